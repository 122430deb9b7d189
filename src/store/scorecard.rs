//! The F5 scorecard's facts: every dossier that touches a period, with the supplement
//! facts the on-time rule reads, whether the centre holds its receipt and whether any
//! of its papers is digitised; the figures are `domain::scorecard`'s.

use rusqlite::params;

use crate::domain::clock::Timestamp;
use crate::domain::dossier::Channel;
use crate::domain::report::{DossierFacts, Period};
use crate::domain::scorecard::{ScoreDossier, Scorecard, scorecard};
use crate::domain::status::Status;
use crate::store::Store;
use crate::store::error::{Result, StoreError};

impl Store {
    /// The QĐ 766 scorecard of this unit for `period`, made at `now`.
    pub fn scorecard(&self, period: Period, now: Timestamp) -> Result<Scorecard> {
        let (start, end) = (period.start_key(), period.end_key());
        // A cross-commune dossier counts at its deciding unit only (issue 23).
        let own = self.unit()?.code.to_string();
        // The receipt is synced once the centre acknowledged this desk's push of it,
        // or when it came from the centre (pulled, with the centre's seq).
        let mut stmt = self.conn().prepare(
            "SELECT d.code, d.status, d.received_at, d.due_at, d.result_ready_at,
                    d.returned_at, d.closed_at, d.second_supplement_at, d.waiting_since,
                    d.supplement_wait_secs,
                    EXISTS (SELECT 1 FROM dossier_file f WHERE f.dossier_code = d.code),
                    EXISTS (SELECT 1 FROM dossier_event e
                            WHERE e.dossier_code = d.code AND e.kind = 'received'
                              AND (e.server_seq IS NOT NULL
                                   OR EXISTS (SELECT 1 FROM outbox o
                                              WHERE o.event_id = e.id
                                                AND o.seq <= (SELECT acked_seq FROM sync_state
                                                              WHERE id = 1))))
             FROM dossier d
             WHERE d.received_at < ?2
               AND coalesce(d.result_ready_at, d.returned_at, d.closed_at, ?1) >= ?1
               AND (d.deciding_unit IS NULL OR d.deciding_unit = ?3)",
        )?;
        let mut rows = stmt.query(params![start, end, own])?;
        let mut dossiers = Vec::new();
        while let Some(row) = rows.next()? {
            let code: String = row.get(0)?;
            let status: i64 = row.get(1)?;
            let status = u8::try_from(status)
                .ok()
                .and_then(Status::from_code)
                .ok_or_else(|| StoreError::decode("trạng thái hồ sơ", status))?;
            let received: String = row.get(2)?;
            let due: String = row.get(3)?;
            let texts: [Option<String>; 5] = [
                row.get(4)?,
                row.get(5)?,
                row.get(6)?,
                row.get(7)?,
                row.get(8)?,
            ];
            let facts = DossierFacts {
                result_ready_at: texts[0].as_deref(),
                returned_at: texts[1].as_deref(),
                closed_at: texts[2].as_deref(),
                second_supplement_at: texts[3].as_deref(),
                waiting_since: texts[4].as_deref(),
                supplement_wait_secs: row.get(9)?,
                ..DossierFacts::new(Channel::InPerson, status, &received, &due)
            };
            let bad = || StoreError::decode("thời điểm của hồ sơ", &code);
            let progress = facts.progress().ok_or_else(bad)?;
            let received_at = chrono::DateTime::parse_from_rfc3339(&received).map_err(|_| bad())?;
            dossiers.push(ScoreDossier {
                received_at,
                progress,
                digitised: row.get(10)?,
                synced: row.get(11)?,
                code,
            });
        }
        Ok(scorecard(&dossiers, &period, now))
    }
}
