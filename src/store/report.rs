//! Building Biểu 06 from the projection: one pass over the dossiers that touch the
//! period, each classified by `domain::report::contribution`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::types::ValueRef;

use crate::domain::clock::Timestamp;
use crate::domain::dossier::Channel;
use crate::domain::report::{
    Counts, DossierFacts, Period, PeriodKeys, ProcedureLine, Report, contribution,
};
use crate::domain::status::Status;
use crate::store::Store;
use crate::store::error::{Result, StoreError};

/// How often progress is reported, in rows.
const PROGRESS_EVERY: u64 = 50_000;

fn text<'a>(v: ValueRef<'a>) -> Option<&'a str> {
    match v {
        ValueRef::Text(t) => std::str::from_utf8(t).ok(),
        _ => None,
    }
}

fn channel(code: i64) -> Channel {
    match code {
        2 => Channel::Online,
        3 => Channel::Postal,
        _ => Channel::InPerson,
    }
}

impl Store {
    /// The report for `period`, made at `now` (open dossiers of a period that has not
    /// ended are judged at `now`). `progress` gets the number of rows read so far;
    /// setting `cancel` stops the work with `StoreError::Cancelled`.
    pub fn report(
        &self,
        period: Period,
        now: Timestamp,
        cancel: &AtomicBool,
        mut progress: impl FnMut(u64),
    ) -> Result<Report> {
        let unit = self.unit()?;
        let catalogue: HashMap<String, (String, String)> = self
            .procedures()?
            .into_iter()
            .map(|p| (p.code.to_string(), (p.field, p.name)))
            .collect();
        let keys = PeriodKeys::at(&period, now);
        let (start, end) = (period.start_key(), period.end_key());
        // Only rows that can touch the period: received before its end, and not
        // resolved (result, return or closing) before its start; and counted here, not
        // at another deciding unit (issue 23).
        let own = unit.code.to_string();
        let mut stmt = self.conn().prepare(
            "SELECT procedure_code, channel, status, received_at, due_at, result_ready_at,
                    returned_at, closed_at, second_supplement_at, waiting_since,
                    supplement_wait_secs
             FROM dossier
             WHERE received_at < ?2
               AND coalesce(result_ready_at, returned_at, closed_at, ?1) >= ?1
               AND (deciding_unit IS NULL OR deciding_unit = ?3)",
        )?;
        let mut rows = stmt.query([&start, &end, &own])?;
        let mut per_procedure: HashMap<String, Counts> = HashMap::new();
        let mut seen = 0u64;
        while let Some(row) = rows.next()? {
            seen += 1;
            if seen.is_multiple_of(PROGRESS_EVERY) {
                if cancel.load(Ordering::Relaxed) {
                    return Err(StoreError::Cancelled);
                }
                progress(seen);
            }
            let status_code: i64 = row.get(2)?;
            let status = u8::try_from(status_code)
                .ok()
                .and_then(Status::from_code)
                .ok_or_else(|| StoreError::decode("trạng thái hồ sơ", status_code))?;
            let (Some(code), Some(received_at), Some(due_at)) = (
                text(row.get_ref(0)?),
                text(row.get_ref(3)?),
                text(row.get_ref(4)?),
            ) else {
                return Err(StoreError::decode(
                    "hồ sơ",
                    "thiếu mã thủ tục hoặc thời điểm",
                ));
            };
            let facts = DossierFacts {
                channel: channel(row.get(1)?),
                status,
                received_at,
                due_at,
                result_ready_at: text(row.get_ref(5)?),
                returned_at: text(row.get_ref(6)?),
                closed_at: text(row.get_ref(7)?),
                second_supplement_at: text(row.get_ref(8)?),
                waiting_since: text(row.get_ref(9)?),
                supplement_wait_secs: row.get(10)?,
            };
            if let Some(c) = contribution(&facts, &keys) {
                match per_procedure.get_mut(code) {
                    Some(counts) => counts.add(&c),
                    None => {
                        per_procedure.insert(code.to_string(), c);
                    }
                }
            }
        }
        progress(seen);
        let lines = per_procedure
            .into_iter()
            .map(|(code, counts)| {
                let (field, name) = catalogue
                    .get(&code)
                    .cloned()
                    .unwrap_or_else(|| ("Khác".to_string(), code.clone()));
                (field, ProcedureLine { code, name, counts })
            })
            .collect();
        let received_for_others = self.conn().query_row(
            "SELECT count(*) FROM dossier
             WHERE received_at >= ?1 AND received_at < ?2
               AND deciding_unit IS NOT NULL AND deciding_unit <> ?3",
            [&start, &end, &own],
            |r| r.get::<_, i64>(0),
        )?;
        Ok(Report {
            recipient: unit.authority.clone(),
            received_for_others: u64::try_from(received_for_others).unwrap_or_default(),
            ..Report::assemble(unit.name, period, lines)
        })
    }
}
