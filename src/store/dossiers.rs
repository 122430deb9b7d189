//! Taking in dossiers and recording what happens to them, each as one transaction.

use rusqlite::{OptionalExtension, Transaction, params};

use crate::domain::action;
use crate::domain::clock::{Timestamp, to_wall};
use crate::domain::dossier::DossierState;
use crate::domain::dossier_code::{
    DeskIndex, DossierCode, code_prefix_for_day, desk_range, next_number,
};
use crate::domain::event::{Actor, ActorRole, Event, EventBody, EventId};
use crate::domain::intake::{IntakeContext, IntakeInput};
use crate::domain::lifecycle;
use crate::domain::tracking::TrackingToken;
use crate::domain::unit::UnitCode;
use crate::store::Store;
use crate::store::error::{Result, StoreError};
use crate::store::log::{
    append_own, fold_dossier, load_events, record_clerk_event, write_projection,
};

pub use crate::domain::action::ActionRequest;

/// The next free number of this desk's range on the receipt day, inside the transaction
/// that uses it, so two intakes can never get the same code. Only this desk's own
/// receipts count (a number another machine planted in the range cannot exhaust it),
/// and a number already taken by anyone is stepped over.
fn allocate_code(
    tx: &Transaction<'_>,
    unit: &UnitCode,
    desk: DeskIndex,
    origin: &str,
    received: Timestamp,
) -> Result<DossierCode> {
    let day = to_wall(received).date();
    let prefix = code_prefix_for_day(unit, day);
    let range = desk_range(desk);
    let low = format!("{prefix}{:04}", range.start());
    let high = format!("{prefix}{:04}", range.end());
    let last: Option<String> = tx
        .query_row(
            "SELECT max(dossier_code) FROM dossier_event
             WHERE kind = 'received' AND origin = ?3 AND dossier_code >= ?1 AND dossier_code <= ?2",
            params![low, high, origin],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let mut last_number = match last {
        Some(code) => Some(
            DossierCode::parse(&code)
                .map_err(|e| StoreError::decode("mã hồ sơ", e))?
                .number(),
        ),
        None => None,
    };
    loop {
        let number = next_number(desk, day, last_number)?;
        let code = DossierCode::new(unit.clone(), day, number)?;
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM dossier_event WHERE dossier_code = ?1)",
            [code.to_string()],
            |r| r.get(0),
        )?;
        if !taken {
            return Ok(code);
        }
        last_number = Some(number);
    }
}

impl Store {
    /// Takes in one dossier: validates, allocates its code, and writes the receipt event,
    /// the projection and the outbox entry in one transaction.
    pub fn intake(
        &mut self,
        input: IntakeInput,
        clerk: &str,
        now: Timestamp,
    ) -> Result<DossierState> {
        // A restored desk could hand out codes the centre already holds.
        if self
            .setting(crate::store::recovery::RESTORED_KEY)?
            .is_some()
        {
            return Err(StoreError::RestoredNotSynced);
        }
        let unit = self.unit()?;
        let desk = self.desk()?;
        let procedure = self.procedure(&input.procedure_code()?)?;
        let mut input = input;
        // "Đăng ký nhận kết quả tại": the unit itself unless the applicant says otherwise.
        if input.result_at.is_none() {
            input.result_at = Some(unit.name.clone());
        }
        let consent = input.consent();
        // Checked against the province's lists as last synced: offline, final.
        let deciding_unit = input.deciding(&unit.code, &self.province_lists()?);
        let content = input.validate(IntakeContext {
            procedure: &procedure,
            now,
            calendar: self.calendar()?,
            hours: &unit.hours,
            clerk,
        })?;
        let consent = consent?;
        let deciding_unit = deciding_unit?;
        // Made here, offline: the receipt's QR needs it before any sync.
        let tracking = TrackingToken::generate().map_err(StoreError::Invalid)?;
        self.write(|tx| {
            let code = allocate_code(
                tx,
                &unit.code,
                desk.index,
                &desk.desk_id,
                content.received_at,
            )?;
            let numbers = crate::store::book::allocate_numbers(
                tx,
                &code,
                desk.index,
                &content.procedure.field,
            )?;
            let event = Event {
                id: EventId::new(),
                dossier: code,
                at: now,
                actor: Actor {
                    name: clerk.to_string(),
                    role: ActorRole::Clerk,
                },
                origin: desk.desk_id.clone(),
                body: EventBody::Received {
                    content: Box::new(content),
                    numbers: Some(numbers),
                    deciding_unit,
                    tracking: Some(tracking),
                    consent,
                },
            };
            append_own(tx, &event, now)?;
            let state = lifecycle::fold([&event]).map_err(|source| StoreError::Fold {
                code: event.dossier.to_string(),
                source,
            })?;
            write_projection(tx, &state, now)?;
            Ok(state)
        })
    }

    /// Records a clerk's action at `at` (default: now), if the dossier's state allows it.
    pub fn record(
        &mut self,
        code: &str,
        request: ActionRequest,
        at: Option<Timestamp>,
        clerk: &str,
        now: Timestamp,
    ) -> Result<DossierState> {
        let code = DossierCode::parse(code.trim()).map_err(StoreError::from)?;
        let unit = self.unit()?;
        let desk = self.desk()?;
        let calendar = self.calendar()?.clone();
        let at = at.unwrap_or(now);
        self.write(|tx| {
            let mut state = fold_dossier(tx, &code.to_string())?
                .ok_or_else(|| StoreError::UnknownDossier(code.to_string()))?;
            action::check_time(at, now, state.content.received_at).map_err(StoreError::Invalid)?;
            let body = action::event_for(request, &state, at, &calendar, &unit.hours)
                .map_err(StoreError::Invalid)?;
            lifecycle::check(&state, &body, to_wall(at), &calendar)?;
            // A cross-commune dossier: only the unit that writes it now (`handover`).
            state
                .units()
                .check_write(&unit.code, body.kind())
                .map_err(StoreError::Invalid)?;
            record_clerk_event(tx, &mut state, body, clerk, &desk.desk_id, at, now)?;
            Ok(state)
        })
    }

    /// Which of `codes` this desk holds.
    pub fn held_dossiers(&self, codes: &[String]) -> Result<std::collections::HashSet<String>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT 1 FROM dossier WHERE code = ?1")?;
        let mut held = std::collections::HashSet::new();
        for code in codes {
            if stmt.exists([code])? {
                held.insert(code.clone());
            }
        }
        Ok(held)
    }

    /// The folded state of one dossier.
    pub fn dossier(&self, code: &str) -> Result<DossierState> {
        let code = DossierCode::parse(code.trim()).map_err(StoreError::from)?;
        fold_dossier(self.conn(), &code.to_string())?
            .ok_or_else(|| StoreError::UnknownDossier(code.to_string()))
    }

    /// The timeline of one dossier, in fold order.
    pub fn timeline(&self, code: &str) -> Result<Vec<Event>> {
        let code = DossierCode::parse(code.trim()).map_err(StoreError::from)?;
        let mut events = load_events(self.conn(), &code.to_string())?;
        events.sort_by_key(|e| (!matches!(e.body, EventBody::Received { .. }), e.at, e.id));
        Ok(events)
    }

    /// Events written by this desk and not yet acknowledged by the centre.
    pub fn pending_outbox(&self) -> Result<i64> {
        Ok(self.conn().query_row(
            "SELECT count(*) FROM outbox WHERE seq > (SELECT acked_seq FROM sync_state WHERE id = 1)",
            [],
            |r| r.get(0),
        )?)
    }

    /// Dossiers with at least one own event the centre has not acknowledged yet.
    pub fn unsent_dossiers(&self) -> Result<i64> {
        // Kept by triggers in every transaction that writes the outbox or the
        // acknowledged seq (migration v8): a million unsent dossiers cost one row read.
        Ok(self
            .conn()
            .query_row("SELECT dossiers FROM unsent_count WHERE id = 1", [], |r| {
                r.get(0)
            })?)
    }

    pub fn dossier_count(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("SELECT count(*) FROM dossier", [], |r| r.get(0))?)
    }
}
