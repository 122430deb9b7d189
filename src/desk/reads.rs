//! What the desk shows: named reads over the one store, each a short step under its
//! lock. The faces ask for these; they never hold the store themselves.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use crate::desk::{Changed, Desk, now};
use crate::domain::calendar::WorkCalendar;
use crate::domain::clock::Timestamp;
use crate::domain::dossier::DossierState;
use crate::domain::event::Event;
use crate::domain::procedure::{Procedure, ProcedureCode};
use crate::domain::province::ProvinceLists;
use crate::domain::report::{Period, Report};
use crate::domain::sync_state::SyncState;
use crate::domain::unit::Unit;
use crate::store::Result;
use crate::store::dashboard::Dashboard;
use crate::store::demo::DemoReport;
use crate::store::documents::PendingFile;
use crate::store::listing::{Cursor, ListFilter, ListPage};
use crate::store::search::DossierSummary;
use crate::store::setup::{DeskConfig, InitInput};
use crate::store::sync_state::Refused;

impl Desk {
    /// The unit this desk serves (refused when the desk is not set up yet).
    pub fn unit(&self) -> Result<Unit> {
        self.lock().unit()
    }

    /// The unit, or `None` before set-up.
    pub fn unit_opt(&self) -> Result<Option<Unit>> {
        self.lock().unit_opt()
    }

    /// The whole catalogue of procedures, by code.
    pub fn procedures(&self) -> Result<Vec<Procedure>> {
        self.lock().procedures()
    }

    /// The procedures whose code or name matches `query` (with or without diacritics).
    pub fn find_procedures(&self, query: &str) -> Result<Vec<Procedure>> {
        self.lock().find_procedures(query)
    }

    pub fn procedure(&self, code: &ProcedureCode) -> Result<Procedure> {
        self.lock().procedure(code)
    }

    /// The province's units and cross-commune procedures as last kept from sync
    /// (issue 23): what the intake's deciding-unit picker offers.
    pub fn province_lists(&self) -> Result<ProvinceLists> {
        self.lock().province_lists()
    }

    /// The work calendar the desk computes due dates with.
    pub fn calendar(&self) -> Result<WorkCalendar> {
        Ok(self.lock().calendar()?.clone())
    }

    /// One dossier, folded from its log.
    pub fn dossier(&self, code: &str) -> Result<DossierState> {
        self.lock().dossier(code)
    }

    /// One dossier and its events, read together.
    pub fn dossier_and_timeline(&self, code: &str) -> Result<(DossierState, Vec<Event>)> {
        let store = self.lock();
        Ok((store.dossier(code)?, store.timeline(code)?))
    }

    /// One page of the dossier list (F3): filtered, newest first, after `after`.
    pub fn list_dossiers(
        &self,
        filter: &ListFilter,
        after: Option<&Cursor>,
        limit: usize,
    ) -> Result<ListPage> {
        self.lock().list_dossiers(filter, after, limit, now())
    }

    /// The dashboard's figures (F5) at `now`, "about to be late" up to `soon_until`.
    pub fn dashboard(&self, now: Timestamp, soon_until: Timestamp) -> Result<Dashboard> {
        self.lock().dashboard(now, soon_until)
    }

    /// One dossier's events, in fold order.
    pub fn timeline(&self, code: &str) -> Result<Vec<Event>> {
        self.lock().timeline(code)
    }

    /// Dossiers matching a code, name, ID number or phone (at most `limit`).
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<DossierSummary>> {
        self.lock().search(query, limit)
    }

    pub fn dossier_count(&self) -> Result<i64> {
        self.lock().dossier_count()
    }

    /// Where the sync stands: cursors, last push and pull, last error.
    pub fn sync_state(&self) -> Result<SyncState> {
        self.lock().sync_state()
    }

    /// Dossiers with events the centre has not acknowledged yet.
    pub fn unsent_dossiers(&self) -> Result<i64> {
        self.lock().unsent_dossiers()
    }

    /// Digitised documents still to upload (at most `limit`).
    pub fn files_to_upload(&self, limit: usize) -> Result<Vec<PendingFile>> {
        self.lock().files_to_upload(limit)
    }

    /// The newest items the centre or this desk refused in sync.
    pub fn refused_items(&self, limit: usize) -> Result<Vec<Refused>> {
        self.lock().refused_items(limit)
    }

    /// The sync status thresholds of this desk's settings.
    pub fn sync_thresholds(&self) -> Result<crate::sync::health::Thresholds> {
        crate::desk::settings::sync_thresholds(&self.lock())
    }

    /// Biểu 06 for `period` (the store is held while it is read; `cancel` stops it).
    pub fn report(
        &self,
        period: Period,
        cancel: &AtomicBool,
        progress: impl FnMut(u64),
    ) -> Result<Report> {
        self.lock().report(period, now(), cancel, progress)
    }

    /// `reports/bieu06-YYYYMMDD-YYYYMMDD.EXT` in the data directory.
    pub fn report_path(&self, period: &Period, ext: &str) -> PathBuf {
        self.paths().dir.join("reports").join(format!(
            "bieu06-{}-{}.{ext}",
            period.from.format("%Y%m%d"),
            period.to.format("%Y%m%d"),
        ))
    }

    /// Sets up the unit and this desk, in one transaction; then today's backup.
    pub fn set_up(&self, input: &InitInput) -> Result<(Unit, DeskConfig, Changed)> {
        let now = now();
        let (unit, desk) = self.lock().init(input, now)?;
        let _ = self.backup_after_write(now);
        let changed = Changed {
            unit: true,
            settings: true,
            catalogue: true,
            calendar: true,
            ..Changed::default()
        };
        Ok((unit, desk, changed))
    }

    /// Generates `count` demo dossiers (for demonstrations and measurements).
    pub fn demo_data(
        &self,
        count: usize,
        seed: u64,
        progress: impl FnMut(usize),
    ) -> Result<DemoReport> {
        self.lock().demo_data(count, seed, now(), progress)
    }
}
