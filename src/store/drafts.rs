//! Unsaved input, kept per clerk and screen so that a closed or crashed application
//! offers it back. The body is the screen's own JSON; the store does not read it.

use rusqlite::{OptionalExtension, params};

use crate::domain::clock::{Timestamp, format_rfc3339};
use crate::store::Store;
use crate::store::error::Result;

impl Store {
    /// Replaces the clerk's draft for `screen`.
    pub fn save_draft(
        &mut self,
        clerk: &str,
        screen: &str,
        body: &str,
        now: Timestamp,
    ) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO draft (clerk, screen, body, updated_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (clerk, screen) DO UPDATE SET body = excluded.body,
                     updated_at = excluded.updated_at",
                params![clerk, screen, body, format_rfc3339(now)],
            )?;
            Ok(())
        })
    }

    pub fn draft(&self, clerk: &str, screen: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT body FROM draft WHERE clerk = ?1 AND screen = ?2",
                params![clerk, screen],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub fn discard_draft(&mut self, clerk: &str, screen: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "DELETE FROM draft WHERE clerk = ?1 AND screen = ?2",
                params![clerk, screen],
            )?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::clock::now_vn;
    use crate::store::Store;
    use crate::store::paths::DataPaths;

    #[test]
    fn a_draft_survives_reopening_and_is_per_clerk() {
        let dir = tempfile::tempdir().expect("tempdir");
        {
            let mut s = Store::open(DataPaths::in_dir(dir.path())).expect("open");
            s.save_draft("lan", "intake", "{\"a\":1}", now_vn())
                .expect("save");
            s.save_draft("lan", "intake", "{\"a\":2}", now_vn())
                .expect("save");
        }
        let mut s = Store::open(DataPaths::in_dir(dir.path())).expect("reopen");
        assert_eq!(
            s.draft("lan", "intake").expect("q").as_deref(),
            Some("{\"a\":2}")
        );
        assert_eq!(s.draft("hoa", "intake").expect("q"), None);
        s.discard_draft("lan", "intake").expect("discard");
        assert_eq!(s.draft("lan", "intake").expect("q"), None);
    }
}
