//! The dossier list of the counter (F3): words or a code prefix, plus filters (status,
//! procedure, received dates, due soon, overdue), a page at a time: words best match
//! first (`search::Rank`: whole name, name words, elsewhere), all else newest first.
//!
//! Paging is by keyset (the last row's rank and id, or its code for a code prefix),
//! never by OFFSET, so "Xem thêm" costs the same on page 1 and page 500. The plans stay
//! on indexes: each rank is one walk newest first (the folded-name index, the name's
//! FTS5, the whole text's FTS5) that stops at the page size, a code prefix
//! through the code index, and no query walks the rowid backwards; the filters are
//! checked on the rows walked, and the received range and due filters can instead be
//! served by `dossier_report` / `dossier_status_due` when the planner prefers.

use chrono::{Duration, NaiveDate};
use rusqlite::params_from_iter;
use rusqlite::types::Value;
use serde::Serialize;

use crate::domain::clock::{Timestamp, format_rfc3339};
use crate::domain::status::Status;
use crate::domain::urgency::{running_code_list, soon_until, urgency};
use crate::store::Store;
use crate::store::error::Result;
use crate::store::search::{
    DossierSummary, Rank, SUMMARY_COLUMNS, WordQuery, code_prefix, summary,
};

/// Which due times to keep.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum DueFilter {
    #[default]
    Any,
    /// Still pending and due before the end of the next working day (not yet overdue).
    Soon,
    /// Still pending and past its due time.
    Overdue,
}

/// What the clerk asked for; empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    /// A code prefix, or words of the name, ID number, phone, address (folded).
    pub query: String,
    pub status: Option<Status>,
    pub procedure: Option<String>,
    /// Received on or after this day.
    pub received_from: Option<NaiveDate>,
    /// Received on or before this day.
    pub received_to: Option<NaiveDate>,
    pub due: DueFilter,
}

/// Whether the centre has every event this desk wrote about the dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SyncMark {
    /// Sent to and acknowledged by the centre (or only ever written elsewhere).
    Sent,
    /// At least one of this desk's events is still in the outbox.
    Waiting,
}

pub use crate::domain::urgency::Urgency;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListRow {
    pub summary: DossierSummary,
    pub sync: SyncMark,
    pub urgency: Urgency,
}

/// Where the next page starts: after this row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    id: i64,
    code: String,
    /// The rank the row was found in (words only).
    rank: Rank,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPage {
    pub rows: Vec<ListRow>,
    /// Set when more rows may follow.
    pub next: Option<Cursor>,
    /// The last word starts too many words (e.g. the first digits of an ID number): it
    /// was matched as a whole word; the clerk should type more of it.
    pub broad_prefix: Option<String>,
}

/// The end of the "due soon" window from `now` (`domain::urgency`, the dashboard's
/// rule too), on this desk's calendar and office hours.
pub fn soon_limit(store: &Store, now: Timestamp) -> Result<Timestamp> {
    let hours = store.unit_opt()?.map(|u| u.hours).unwrap_or_default();
    Ok(soon_until(now, store.calendar()?, &hours))
}

use crate::domain::clock::day_key as day_start;

/// Which index a step of the list walks, newest first.
enum Mode<'a> {
    All,
    Code(&'a str),
    /// `dossier_search_name`: the whole folded name.
    WholeName(&'a str),
    /// `dossier_name_fts`: words of the name.
    NameWords(&'a str),
    /// `dossier_fts`: words anywhere.
    Words(&'a str),
}

/// One row found, before its marks are worked out.
struct Found {
    summary: DossierSummary,
    id: i64,
    last_own_seq: Option<i64>,
    rank: Rank,
}

/// What every step of one page shares.
struct Context<'a> {
    filter: &'a ListFilter,
    now: String,
    soon: String,
}

impl Store {
    /// One page of dossiers matching `filter`, after `after`: for words, best match
    /// first (`Rank`), newest first within; otherwise newest first.
    pub fn list_dossiers(
        &self,
        filter: &ListFilter,
        after: Option<&Cursor>,
        limit: usize,
        now: Timestamp,
    ) -> Result<ListPage> {
        let limit = limit.clamp(1, 1000);
        let ctx = Context {
            filter,
            now: format_rfc3339(now),
            soon: format_rfc3339(soon_limit(self, now)?),
        };
        // One more than asked tells whether another page follows.
        let want = limit + 1;
        let query = filter.query.trim();
        let mut broad_prefix = None;
        let found = if query.is_empty() {
            self.walk(&ctx, &Mode::All, after, want, Rank::WholeName, &|_| true)?
        } else if let Some(prefix) = code_prefix(query) {
            self.walk(
                &ctx,
                &Mode::Code(&prefix),
                after,
                want,
                Rank::WholeName,
                &|_| true,
            )?
        } else if let Some(words) = WordQuery::parse(self.conn(), query)? {
            broad_prefix = words.broad_prefix.clone();
            let mut found = Vec::new();
            for rank in Rank::ALL {
                if after.is_some_and(|c| c.rank > rank) {
                    continue;
                }
                let mode = match rank {
                    Rank::WholeName => Mode::WholeName(&words.name),
                    Rank::NameWords => Mode::NameWords(&words.fts),
                    Rank::Elsewhere => Mode::Words(&words.fts),
                };
                let from = after.filter(|c| c.rank == rank);
                let keep = |name: &str| words.keeps(rank, name);
                found.extend(self.walk(&ctx, &mode, from, want - found.len(), rank, &keep)?);
                if found.len() >= want {
                    break;
                }
            }
            found
        } else {
            Vec::new()
        };
        let acked: i64 =
            self.conn()
                .query_row("SELECT acked_seq FROM sync_state WHERE id = 1", [], |r| {
                    r.get(0)
                })?;
        let more = found.len() > limit;
        let mut next = None;
        let mut rows = Vec::with_capacity(limit.min(found.len()));
        for f in found.into_iter().take(limit) {
            next = Some(Cursor {
                id: f.id,
                code: f.summary.code.clone(),
                rank: f.rank,
            });
            let sync = match f.last_own_seq {
                Some(seq) if seq > acked => SyncMark::Waiting,
                _ => SyncMark::Sent,
            };
            let urgency = urgency(f.summary.status, &f.summary.due_at, &ctx.now, &ctx.soon);
            rows.push(ListRow {
                summary: f.summary,
                sync,
                urgency,
            });
        }
        Ok(ListPage {
            rows,
            next: if more { next } else { None },
            broad_prefix,
        })
    }

    /// Up to `want` rows of one index, newest first after `after`, that pass the filter
    /// and `keep` (given the folded name). The statement is stepped only as far as
    /// needed: FTS5 and the indexes hand rows over lazily.
    fn walk(
        &self,
        ctx: &Context<'_>,
        mode: &Mode<'_>,
        after: Option<&Cursor>,
        want: usize,
        rank: Rank,
        keep: &dyn Fn(&str) -> bool,
    ) -> Result<Vec<Found>> {
        let filter = ctx.filter;
        // Two steps: the walk reads only ids and names (rows `keep` refuses cost one
        // row read), then the kept rows are read in full.
        let mut sql = String::from("SELECT d.id, d.search_name ");
        let mut args: Vec<Value> = Vec::new();
        let mut wheres: Vec<String> = Vec::new();
        let order = match mode {
            Mode::All | Mode::WholeName(_) => {
                sql.push_str("FROM dossier d");
                if let Mode::WholeName(name) = mode {
                    args.push(Value::Text((*name).to_string()));
                    wheres.push(format!("d.search_name = ?{}", args.len()));
                }
                if let Some(c) = after {
                    args.push(Value::Integer(c.id));
                    wheres.push(format!("d.id < ?{}", args.len()));
                }
                "d.id DESC"
            }
            Mode::Code(prefix) => {
                sql.push_str("FROM dossier d");
                args.push(Value::Text((*prefix).to_string()));
                wheres.push(format!("d.code >= ?{}", args.len()));
                match after {
                    Some(c) => {
                        args.push(Value::Text(c.code.clone()));
                        wheres.push(format!("d.code < ?{}", args.len()));
                    }
                    None => {
                        args.push(Value::Text(format!("{prefix}\u{10FFFF}")));
                        wheres.push(format!("d.code < ?{}", args.len()));
                    }
                }
                "d.code DESC"
            }
            Mode::NameWords(fts) | Mode::Words(fts) => {
                let table = if matches!(mode, Mode::NameWords(_)) {
                    "dossier_name_fts"
                } else {
                    "dossier_fts"
                };
                sql.push_str(&format!("FROM {table} f JOIN dossier d ON d.id = f.rowid"));
                args.push(Value::Text((*fts).to_string()));
                wheres.push(format!("{table} MATCH ?{}", args.len()));
                if let Some(c) = after {
                    args.push(Value::Integer(c.id));
                    wheres.push(format!("f.rowid < ?{}", args.len()));
                }
                "f.rowid DESC"
            }
        };
        if let Some(status) = filter.status {
            args.push(Value::Integer(i64::from(status.code())));
            wheres.push(format!("d.status = ?{}", args.len()));
        }
        if let Some(procedure) = filter.procedure.as_deref().filter(|p| !p.is_empty()) {
            args.push(Value::Text(procedure.to_string()));
            wheres.push(format!("d.procedure_code = ?{}", args.len()));
        }
        if let Some(from) = filter.received_from {
            args.push(Value::Text(day_start(from)));
            wheres.push(format!("d.received_at >= ?{}", args.len()));
        }
        if let Some(to) = filter.received_to {
            let end = to.checked_add_signed(Duration::days(1)).unwrap_or(to);
            args.push(Value::Text(day_start(end)));
            wheres.push(format!("d.received_at < ?{}", args.len()));
        }
        match filter.due {
            DueFilter::Any => {}
            DueFilter::Soon => {
                args.push(Value::Text(ctx.now.clone()));
                let n = args.len();
                args.push(Value::Text(ctx.soon.clone()));
                wheres.push(format!(
                    "d.status IN ({}) AND d.due_at >= ?{n} AND d.due_at <= ?{}",
                    running_code_list(),
                    args.len()
                ));
            }
            DueFilter::Overdue => {
                args.push(Value::Text(ctx.now.clone()));
                wheres.push(format!(
                    "d.status IN ({}) AND d.due_at < ?{}",
                    running_code_list(),
                    args.len()
                ));
            }
        }
        if !wheres.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&wheres.join(" AND "));
        }
        sql.push_str(&format!(" ORDER BY {order}"));

        let mut stmt = self.conn().prepare_cached(&sql)?;
        let mut rows = stmt.query(params_from_iter(args))?;
        let mut ids = Vec::new();
        while ids.len() < want {
            let Some(r) = rows.next()? else { break };
            let name: String = r.get(1)?;
            if keep(&name) {
                ids.push(r.get::<_, i64>(0)?);
            }
        }
        let mut read = self.conn().prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS},
                (SELECT last_seq FROM outbox_dossier WHERE dossier_code = d.code)
             FROM dossier d LEFT JOIN procedure p ON p.code = d.procedure_code WHERE d.id = ?1"
        ))?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(read.query_row([id], |r| {
                Ok(Found {
                    summary: summary(r)?,
                    id,
                    last_own_seq: r.get(9)?,
                    rank,
                })
            })?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::now_vn;
    use crate::store::dossiers::ActionRequest;
    use crate::store::testkit::{intake, kit};

    fn codes(page: &ListPage) -> Vec<String> {
        page.rows.iter().map(|r| r.summary.code.clone()).collect()
    }

    fn t(s: &str) -> Timestamp {
        chrono::DateTime::parse_from_rfc3339(s)
            .expect("time")
            .with_timezone(&crate::domain::clock::vn_offset())
    }

    /// The list (F3) and the dashboard (F5) at `now`: the codes each shows as due soon.
    fn soon_in_both(s: &Store, now: Timestamp) -> (Vec<String>, Vec<String>) {
        let soon = ListFilter {
            due: DueFilter::Soon,
            ..ListFilter::default()
        };
        let listed = codes(&s.list_dossiers(&soon, None, 10, now).expect("list"));
        let until = soon_limit(s, now).expect("until");
        let dashboard = s.dashboard(now, until).expect("dashboard");
        let shown = dashboard.due_soon.iter().map(|d| d.code.clone()).collect();
        (listed, shown)
    }

    #[test]
    fn the_list_and_the_dashboard_agree_on_a_dossier_due_tuesday_afternoon() {
        let mut kit = kit();
        let s = &mut kit.store;
        // Thursday 15:00, three working days: due Tuesday 17/11 15:00.
        let code = intake(
            s,
            "Lê Văn Tâm",
            "022190001111",
            Some("2026-11-12T15:00:00+07:00"),
        );
        let due = s.dossier(&code).expect("dossier").due_at;
        assert_eq!(due, t("2026-11-17T15:00:00+07:00"));
        // Monday 10:00: one working day reaches Tuesday 10:00, so not yet soon.
        let monday = t("2026-11-16T10:00:00+07:00");
        assert_eq!(soon_in_both(s, monday), (vec![], vec![]));
        let all = s
            .list_dossiers(&ListFilter::default(), None, 10, monday)
            .expect("list");
        assert_eq!(all.rows[0].urgency, Urgency::Normal);
        // Monday 15:00: soon in both, and coloured so.
        let afternoon = t("2026-11-16T15:00:00+07:00");
        assert_eq!(
            soon_in_both(s, afternoon),
            (vec![code.clone()], vec![code.clone()])
        );
        let all = s
            .list_dossiers(&ListFilter::default(), None, 10, afternoon)
            .expect("list");
        assert_eq!(all.rows[0].urgency, Urgency::Soon);
        // Tuesday 15:00 sharp is still in time; a minute later it is late in both.
        let at_due = t("2026-11-17T15:00:00+07:00");
        assert_eq!(
            soon_in_both(s, at_due),
            (vec![code.clone()], vec![code.clone()])
        );
        let late = t("2026-11-17T15:01:00+07:00");
        assert_eq!(soon_in_both(s, late), (vec![], vec![]));
        let overdue = ListFilter {
            due: DueFilter::Overdue,
            ..ListFilter::default()
        };
        let listed = s.list_dossiers(&overdue, None, 10, late).expect("list");
        assert_eq!(codes(&listed), vec![code]);
        assert_eq!(s.overdue_count(late).expect("count"), 1);
    }

    #[test]
    fn filters_and_keyset_pages_newest_first() {
        let mut kit = kit();
        let s = &mut kit.store;
        let old = intake(
            s,
            "Phạm Quỳnh Hương",
            "022190001234",
            Some("2026-11-02T09:00:00+07:00"),
        );
        let a = intake(s, "Nguyễn Thị Hải", "022190005678", None);
        let b = intake(s, "Nguyễn Văn Bình", "022190004321", None);
        let c = intake(s, "Trần Thị Lan", "022190008765", None);
        let now = now_vn();

        // Pages of two: every row once, newest first, the last page says so.
        let all = ListFilter::default();
        let p1 = s.list_dossiers(&all, None, 2, now).expect("p1");
        assert_eq!(codes(&p1), vec![c.clone(), b.clone()]);
        let p2 = s.list_dossiers(&all, p1.next.as_ref(), 2, now).expect("p2");
        assert_eq!(codes(&p2), vec![a.clone(), old.clone()]);
        assert!(p2.next.is_none());

        // Folded words, and the last word as a prefix while typing.
        let q = |query: &str| ListFilter {
            query: query.into(),
            ..ListFilter::default()
        };
        let found = s.list_dossiers(&q("nguyen thi"), None, 10, now).expect("q");
        assert_eq!(codes(&found), vec![a.clone()]);
        let found = s.list_dossiers(&q("nguyen bi"), None, 10, now).expect("q");
        assert_eq!(codes(&found), vec![b.clone()]);
        // Words page too.
        let p1 = s.list_dossiers(&q("nguyen"), None, 1, now).expect("q");
        assert_eq!(codes(&p1), vec![b.clone()]);
        let p2 = s
            .list_dossiers(&q("nguyen"), p1.next.as_ref(), 1, now)
            .expect("q");
        assert_eq!(codes(&p2), vec![a.clone()]);
        assert!(p2.next.is_none());
        // A code prefix, lower case.
        let found = s
            .list_dossiers(&q(&old.to_lowercase()), None, 10, now)
            .expect("q");
        assert_eq!(codes(&found), vec![old.clone()]);

        // Status, procedure, received range, overdue, due soon.
        s.record(
            &b,
            ActionRequest::ResultReady {
                note: String::new(),
            },
            None,
            "Mai",
            now,
        )
        .expect("ready");
        let ready = ListFilter {
            status: Some(Status::ResultReady),
            ..ListFilter::default()
        };
        assert_eq!(
            codes(&s.list_dossiers(&ready, None, 10, now).expect("q")),
            vec![b.clone()]
        );
        let other_procedure = ListFilter {
            procedure: Some("1.001193".into()),
            ..ListFilter::default()
        };
        assert!(
            s.list_dossiers(&other_procedure, None, 10, now)
                .expect("q")
                .rows
                .is_empty()
        );
        let november_2 = ListFilter {
            received_from: NaiveDate::from_ymd_opt(2026, 11, 2),
            received_to: NaiveDate::from_ymd_opt(2026, 11, 2),
            ..ListFilter::default()
        };
        assert_eq!(
            codes(&s.list_dossiers(&november_2, None, 10, now).expect("q")),
            vec![old.clone()]
        );
        let overdue = ListFilter {
            due: DueFilter::Overdue,
            ..ListFilter::default()
        };
        let late = s.list_dossiers(&overdue, None, 10, now).expect("q");
        assert_eq!(codes(&late), vec![old.clone()]);
        assert_eq!(late.rows[0].urgency, Urgency::Overdue);
        // Seen from just before c's due time, c (and a) are due soon; b is ready.
        let c_due = s.dossier(&c).expect("c").due_at;
        let soon = ListFilter {
            due: DueFilter::Soon,
            ..ListFilter::default()
        };
        let before_due = c_due - Duration::hours(1);
        let found = s.list_dossiers(&soon, None, 10, before_due).expect("q");
        assert_eq!(codes(&found), vec![c.clone(), a.clone()]);
        assert!(found.rows.iter().all(|r| r.urgency == Urgency::Soon));

        // Sync marks: waiting until the centre acknowledges the latest own event.
        let page = s.list_dossiers(&all, None, 10, now).expect("q");
        assert!(page.rows.iter().all(|r| r.sync == SyncMark::Waiting));
        let last: i64 = s
            .conn()
            .query_row("SELECT max(seq) FROM outbox", [], |r| r.get(0))
            .expect("seq");
        s.set_acked(last - 1, None).expect("ack");
        let page = s.list_dossiers(&all, None, 10, now).expect("q");
        let waiting: Vec<&str> = page
            .rows
            .iter()
            .filter(|r| r.sync == SyncMark::Waiting)
            .map(|r| r.summary.code.as_str())
            .collect();
        assert_eq!(
            waiting,
            vec![b.as_str()],
            "b's result-ready event is the last"
        );
    }

    #[test]
    fn the_list_uses_indexes_not_a_scan_for_status_and_procedure() {
        let kit = kit();
        let plan = |sql: &str| -> String {
            let mut stmt = kit
                .store
                .conn()
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .expect("plan");
            let rows = stmt
                .query_map([], |r| r.get::<_, String>(3))
                .expect("rows")
                .collect::<rusqlite::Result<Vec<_>>>()
                .expect("rows");
            rows.join("\n")
        };
        let p = plan("SELECT code FROM dossier d WHERE d.status = 7 ORDER BY d.id DESC LIMIT 101");
        assert!(p.contains("dossier_status_id"), "{p}");
        let p = plan(
            "SELECT code FROM dossier d WHERE d.procedure_code = 'x' ORDER BY d.id DESC LIMIT 101",
        );
        assert!(p.contains("dossier_procedure_id"), "{p}");
    }
}
