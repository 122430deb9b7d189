//! Finding dossiers: by code prefix through the code index, by anything else (name,
//! ID number, phone, address, procedure) through FTS5 over folded text.
//!
//! FTS5's unicode61 tokenizer strips tone marks but keeps đ, so both the indexed text
//! and the query are folded by the program (`text::fold`: lowercase, no marks, đ→d).
//!
//! Words are ranked (`Rank`): people whose whole name is the query, then people whose
//! name has the words, then dossiers with the words elsewhere (address, procedure, ID
//! number…), newest first within each. Every step is read newest first from an index
//! (`ORDER BY rowid DESC`, which FTS5 serves lazily) and stops at the page size, so a
//! common name on a million dossiers stays within a frame. The last word is matched as
//! the start of a word (the clerk is still typing it): up to 3 letters through FTS5
//! prefix indexes, longer through the list of known words (`search_word`), which turns
//! it into a few whole words; a start shared by too many words (the first digits of an
//! ID number) is matched as a whole word and the list says so (`broad_prefix`).

use rusqlite::{Connection, Row, Transaction, params};
use serde::Serialize;

use crate::domain::clock::now_vn;
use crate::domain::dossier::DossierState;
use crate::domain::status::Status;
use crate::domain::text;
use crate::store::Store;
use crate::store::error::Result;
use crate::store::log::fold_dossier;

/// The folded text a dossier is found by.
pub fn search_text(state: &DossierState) -> String {
    let c = &state.content;
    let a = &c.applicant;
    let mut parts = vec![
        state.code.to_string(),
        a.full_name.clone(),
        a.id_text().to_string(),
        a.address.clone(),
        c.procedure.name.clone(),
    ];
    parts.extend(a.search_words());
    parts.extend(a.phone.clone());
    if let Some(p) = &c.authorised {
        parts.push(p.full_name.clone());
        parts.push(p.id_number.as_str().to_string());
    }
    text::fold(&parts.join(" "))
}

/// The words of `s`, folded, as FTS5's unicode61 tokenizer splits them.
pub fn fold_words(s: &str) -> Vec<String> {
    text::fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The folded whole name a dossier is found by (`dossier.search_name`).
pub fn search_name(full_name: &str) -> String {
    fold_words(full_name).join(" ")
}

/// Remembers the words of an indexed text, for expanding typed word starts.
pub(crate) fn remember_words(tx: &Transaction<'_>, text: &str) -> Result<()> {
    let mut stmt = tx.prepare_cached("INSERT OR IGNORE INTO search_word (word) VALUES (?1)")?;
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if !word.is_empty() {
            stmt.execute([word])?;
        }
    }
    Ok(())
}

/// Rebuilds both full-text indexes from the dossier rows, merged into one segment each
/// (a word's list is then one run to walk: a full name's rarer matches cost half), and
/// the word list from the index (after a bulk load, or a migration).
pub(crate) fn rebuild_index(tx: &Transaction<'_>) -> Result<()> {
    tx.execute_batch(
        "INSERT INTO dossier_fts (dossier_fts) VALUES ('rebuild');
         INSERT INTO dossier_name_fts (dossier_name_fts) VALUES ('rebuild');
         INSERT INTO dossier_fts (dossier_fts) VALUES ('optimize');
         INSERT INTO dossier_name_fts (dossier_name_fts) VALUES ('optimize');
         CREATE VIRTUAL TABLE temp.dossier_fts_words USING fts5vocab(main, 'dossier_fts', 'row');
         INSERT OR IGNORE INTO search_word (word) SELECT term FROM temp.dossier_fts_words;
         DROP TABLE temp.dossier_fts_words;",
    )?;
    Ok(())
}

/// Migration step (v8): the folded names, then both indexes and the word list.
pub fn fill_search_rank(tx: &Transaction<'_>) -> Result<()> {
    {
        let mut read = tx.prepare("SELECT id, applicant_name FROM dossier")?;
        let mut write = tx.prepare("UPDATE dossier SET search_name = ?2 WHERE id = ?1")?;
        let mut rows = read.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let name: String = r.get(1)?;
            write.execute(params![id, search_name(&name)])?;
        }
    }
    rebuild_index(tx)
}

/// Migration step: fills the search text of dossiers written before v2.
pub fn backfill_search_text(tx: &Transaction<'_>) -> Result<()> {
    let codes: Vec<String> = {
        let mut stmt = tx.prepare("SELECT code FROM dossier")?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    for code in codes {
        if let Some(state) = fold_dossier(tx, &code)? {
            tx.execute(
                "UPDATE dossier SET search_text = ?1 WHERE code = ?2",
                params![search_text(&state), code],
            )?;
        }
    }
    tx.execute(
        "INSERT INTO dossier_fts (dossier_fts) VALUES ('rebuild')",
        [],
    )?;
    Ok(())
}

/// One line of a result list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DossierSummary {
    pub code: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub applicant_name: String,
    pub id_number: String,
    pub phone: Option<String>,
    pub status: Status,
    pub received_at: String,
    pub due_at: String,
}

pub(crate) const SUMMARY_COLUMNS: &str = "d.code, d.procedure_code, coalesce(p.name, ''), d.applicant_name, \
     d.id_number, d.phone, d.status, d.received_at, d.due_at";

pub(crate) fn summary(r: &Row<'_>) -> rusqlite::Result<DossierSummary> {
    let status: u8 = r.get(6)?;
    Ok(DossierSummary {
        code: r.get(0)?,
        procedure_code: r.get(1)?,
        procedure_name: r.get(2)?,
        applicant_name: r.get(3)?,
        id_number: r.get(4)?,
        phone: r.get(5)?,
        status: Status::from_code(status).unwrap_or(Status::Received),
        received_at: r.get(7)?,
        due_at: r.get(8)?,
    })
}

/// A query that looks like the start of a dossier code: `H22.39.15-2611…`.
pub(crate) fn code_prefix(query: &str) -> Option<String> {
    let q = query.trim().to_uppercase();
    let (unit, _) = q.split_once('-')?;
    let looks_like_code = !unit.is_empty()
        && unit.chars().any(|c| c.is_ascii_uppercase())
        && q.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    looks_like_code.then_some(q)
}

/// How well a dossier matched words, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Rank {
    /// The applicant's whole name is the query.
    WholeName,
    /// Every word is in the applicant's name.
    NameWords,
    /// Every word is somewhere: address, procedure, ID number, phone, code.
    Elsewhere,
}

impl Rank {
    pub const ALL: [Rank; 3] = [Rank::WholeName, Rank::NameWords, Rank::Elsewhere];
}

/// Word starts expanded through `search_word` when they have no prefix index: more
/// words than this sharing a start (the first digits of ID numbers) is "too broad".
const MAX_EXPANSION: usize = 64;
/// FTS5 prefix indexes of the migration v8: `prefix = '1 2 3'`.
const PREFIX_INDEXED: usize = 3;

/// Typed words, ready for the three ranks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WordQuery {
    /// All words, folded.
    words: Vec<String>,
    /// The words as a whole folded name (`dossier.search_name`).
    pub name: String,
    /// The FTS5 expression (all words; the last as the start of a word).
    pub fts: String,
    /// Whether the last word is matched as the start of a word.
    last_as_prefix: bool,
    /// The last word starts too many words to search as a start: matched whole.
    pub broad_prefix: Option<String>,
}

impl WordQuery {
    /// Reads the typed words; `None` when nothing could match (no words, or the last
    /// word starts no known word).
    pub fn parse(conn: &Connection, query: &str) -> Result<Option<WordQuery>> {
        let words = fold_words(query);
        let Some((last, before)) = words.split_last() else {
            return Ok(None);
        };
        let mut terms: Vec<String> = before.iter().map(|w| format!("\"{w}\"")).collect();
        let mut last_as_prefix = true;
        let mut broad_prefix = None;
        if last.chars().count() <= PREFIX_INDEXED {
            terms.push(format!("\"{last}\"*"));
        } else {
            let mut stmt = conn.prepare_cached(
                "SELECT word FROM search_word WHERE word >= ?1 AND word < ?2
                 ORDER BY word LIMIT ?3",
            )?;
            let upper = format!("{last}\u{10FFFF}");
            let found: Vec<String> = stmt
                .query_map(params![last, upper, MAX_EXPANSION as i64 + 1], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            if found.is_empty() {
                return Ok(None);
            }
            if found.len() > MAX_EXPANSION {
                last_as_prefix = false;
                broad_prefix = Some(last.clone());
                terms.push(format!("\"{last}\""));
            } else {
                let any: Vec<String> = found.iter().map(|w| format!("\"{w}\"")).collect();
                terms.push(format!("({})", any.join(" OR ")));
            }
        }
        Ok(Some(WordQuery {
            name: words.join(" "),
            // Explicit AND: FTS5 joins only plain words implicitly, not a bracket.
            fts: terms.join(" AND "),
            words,
            last_as_prefix,
            broad_prefix,
        }))
    }

    /// Whether a folded name (`dossier.search_name`) has every word, as the name index
    /// would find it: the rank a dossier with this name got before `Rank::Elsewhere`.
    pub fn in_name(&self, search_name: &str) -> bool {
        let name: Vec<&str> = search_name.split(' ').collect();
        let Some((last, before)) = self.words.split_last() else {
            return false;
        };
        before.iter().all(|w| name.contains(&w.as_str()))
            && name.iter().any(|n| {
                if self.last_as_prefix {
                    n.starts_with(last.as_str())
                } else {
                    n == last
                }
            })
    }

    /// Whether a dossier with this folded name belongs in `rank` (and no better one).
    pub fn keeps(&self, rank: Rank, search_name: &str) -> bool {
        match rank {
            Rank::WholeName => search_name == self.name,
            Rank::NameWords => search_name != self.name,
            Rank::Elsewhere => !self.in_name(search_name),
        }
    }
}

impl Store {
    /// Dossiers matching `query`, best match first (see `Rank`), newest first within.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<DossierSummary>> {
        let filter = crate::store::listing::ListFilter {
            query: query.to_string(),
            ..Default::default()
        };
        let page = self.list_dossiers(&filter, None, limit.clamp(1, 1000), now_vn())?;
        Ok(page.rows.into_iter().map(|r| r.summary).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memory() -> Connection {
        let conn = Connection::open_in_memory().expect("memory");
        conn.execute_batch("CREATE TABLE search_word (word TEXT PRIMARY KEY) WITHOUT ROWID")
            .expect("table");
        conn
    }

    #[test]
    fn word_starts_use_prefix_indexes_or_expand_to_known_words() {
        let conn = memory();
        let parse = |q: &str| WordQuery::parse(&conn, q).expect("parse");
        assert_eq!(parse(" \"*) "), None);
        // Up to three letters: the prefix index.
        let q = parse("Đặng Hữu ngh").expect("words");
        assert_eq!(q.fts, "\"dang\" AND \"huu\" AND \"ngh\"*");
        assert_eq!(q.name, "dang huu ngh");
        // Longer: the known words that start so, or nothing at all.
        for w in ["nguyen", "nguyet", "nguu", "ngoc"] {
            conn.execute("INSERT INTO search_word VALUES (?1)", [w])
                .expect("word");
        }
        assert_eq!(
            parse("thi nguy").expect("words").fts,
            "\"thi\" AND (\"nguyen\" OR \"nguyet\")"
        );
        assert_eq!(parse("thi nguyx"), None);
        // Too many words start so: the word as typed, and the list says so.
        for n in 0..=MAX_EXPANSION {
            conn.execute(
                "INSERT INTO search_word VALUES (?1)",
                [format!("0221900{n:05}")],
            )
            .expect("word");
        }
        let q = parse("0221900").expect("words");
        assert_eq!(q.fts, "\"0221900\"");
        assert_eq!(q.broad_prefix.as_deref(), Some("0221900"));
        assert!(parse("02219000000").expect("words").broad_prefix.is_none());
    }

    #[test]
    fn ranks_keep_each_dossier_once() {
        let conn = memory();
        conn.execute("INSERT INTO search_word VALUES ('lanh')", [])
            .expect("word");
        let q = WordQuery::parse(&conn, "Nguyễn Thị Lan")
            .expect("p")
            .expect("q");
        assert!(q.keeps(Rank::WholeName, "nguyen thi lan"));
        assert!(!q.keeps(Rank::NameWords, "nguyen thi lan"));
        assert!(q.keeps(Rank::NameWords, "nguyen thi lanh"));
        assert!(q.keeps(Rank::NameWords, "thi lan nguyen"));
        assert!(!q.keeps(Rank::Elsewhere, "nguyen thi lanh"));
        assert!(q.keeps(Rank::Elsewhere, "tran thi lan"));
        assert!(q.keeps(Rank::Elsewhere, "nguyen thuy lan"));
    }

    #[test]
    fn queries_are_classified_and_folded() {
        assert_eq!(
            code_prefix("h22.39.15-2611").as_deref(),
            Some("H22.39.15-2611")
        );
        assert_eq!(code_prefix("Nguyễn Văn"), None);
        assert_eq!(
            code_prefix("0912-345"),
            None,
            "digits only: a phone, not a code"
        );
        assert_eq!(
            fold_words("Đặng  Hữu-Nghĩa \"*)"),
            vec!["dang", "huu", "nghia"]
        );
        assert_eq!(search_name(" Nguyễn  Thị LAN "), "nguyen thi lan");
    }
}
