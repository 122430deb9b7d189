//! One sync round against the centre: push everything pending, then pull everything
//! new, writing to the store only what the centre confirmed or what passed the trust
//! checks. A round may be cut anywhere: every step is idempotent. The HTTP side is
//! `sync::client`; this is the orchestration over the desk's store.
//!
//! Every store step runs on tokio's blocking pool (`NetStore::run`), never on the async
//! executor that drives the HTTP calls (and, in the window, the GUI's other tasks).

use std::sync::{Arc, Mutex};

use chrono::Utc;
use uuid::Uuid;

use crate::domain::clock::now_vn;
use crate::domain::text::mask_personal;
use crate::domain::trust;
use crate::store::log::SearchIndex;
use crate::store::recovery::RESTORED_KEY;
use crate::store::sync_state::{Enrollment, PulledItem};
use crate::store::{Store, StoreError};
use crate::sync::bounds::{self, MAX_CATCH_UP_PAGES_PER_ROUND, MAX_PULL_PAGES_PER_ROUND};
use crate::sync::client::{CentreClient, PUSH_BATCH, SyncError, SyncReport, offset_ms};
use crate::sync::protocol::{
    DeskReport, EnrollRequest, EnrollResponse, FeedBody, MAX_PULL_PAGE, OutboxEvent, PullResponse,
    PushRequest,
};

/// A store failure ends the round like any other error; its words are the store's.
impl From<StoreError> for SyncError {
    fn from(e: StoreError) -> Self {
        SyncError::Local(e.to_string())
    }
}

/// The desk's network connection (see `desk`): one round at a time holds it, and each
/// of its store steps runs on the blocking pool.
#[derive(Debug, Clone)]
pub struct NetStore(Arc<Mutex<Store>>);

impl NetStore {
    /// Opens the connection (a blocking step too: it may migrate or check the file).
    pub async fn open(paths: crate::store::DataPaths) -> Result<NetStore, SyncError> {
        let store = tokio::task::spawn_blocking(move || Store::open(paths))
            .await
            .map_err(stopped)??;
        Ok(NetStore(Arc::new(Mutex::new(store))))
    }

    /// Runs one store step off the async executor.
    async fn run<T: Send + 'static>(
        &self,
        step: impl FnOnce(&mut Store) -> Result<T, SyncError> + Send + 'static,
    ) -> Result<T, SyncError> {
        let store = Arc::clone(&self.0);
        tokio::task::spawn_blocking(move || {
            let mut store = store.lock().unwrap_or_else(|p| p.into_inner());
            step(&mut store)
        })
        .await
        .map_err(stopped)?
    }
}

/// A store step that panicked or was cancelled: the round ends, nothing half-written
/// (each step is one transaction).
fn stopped(e: tokio::task::JoinError) -> SyncError {
    SyncError::Local(format!("bước ghi dữ liệu đồng bộ dừng giữa chừng: {e}"))
}

/// Fetches back, page by page, the desk's own events the centre holds after `after`,
/// and writes each page in one transaction. Returns how many were taken back.
async fn recover(
    store: &NetStore,
    client: &CentreClient,
    token: &str,
    mut after: i64,
) -> Result<u64, SyncError> {
    let (origin, unit) = store
        .run(|s| Ok((s.desk()?.desk_id, s.unit()?.code)))
        .await?;
    let mut total = 0;
    for _ in 0..MAX_PULL_PAGES_PER_ROUND {
        let page = client.own(token, after).await?;
        let Some(last) = page.events.last().map(|e| e.seq) else {
            break;
        };
        if last <= after {
            return Err(SyncError::Protocol("số thứ tự sự kiện lùi lại".to_string()));
        }
        // Only this desk's own events of its own unit may be taken back as its own:
        // anything else would be renumbered into its series.
        if let Some(foreign) = page
            .events
            .iter()
            .find(|e| e.event.origin != origin || e.event.dossier.unit() != &unit)
        {
            return Err(SyncError::Protocol(format!(
                "trung tâm trả lại sự kiện số {} không phải của quầy này; không ghi gì",
                foreign.seq
            )));
        }
        let events: Vec<(i64, crate::domain::event::Event)> =
            page.events.into_iter().map(|e| (e.seq, e.event)).collect();
        let acked = page.acked_seq;
        let done = store
            .run(move |s| Ok(s.recover_own_page(&events, acked, now_vn())?))
            .await?;
        total += done.events;
        after = last;
        if !page.more {
            break;
        }
    }
    Ok(total)
}

/// Enrolls this desk with the centre and stores the token.
pub async fn enroll(
    store: &NetStore,
    centre: &str,
    code: &str,
) -> Result<EnrollResponse, SyncError> {
    let (unit, desk) = store.run(|s| Ok((s.unit()?, s.desk()?))).await?;
    let desk_id = uuid::Uuid::parse_str(&desk.desk_id)
        .map_err(|e| SyncError::from(StoreError::decode("mã quầy", e)))?;
    let client = CentreClient::new(centre)?;
    let resp = client
        .enroll(&EnrollRequest {
            code: code.trim().to_string(),
            desk_id,
            unit_code: unit.code.to_string(),
            desk_index: desk.index.get(),
        })
        .await?;
    let enrollment = Enrollment {
        centre_url: centre.trim_end_matches('/').to_string(),
        token: resp.token.clone(),
    };
    let public_url = resp.public_url.clone();
    store
        .run(move |s| {
            s.set_enrollment(&enrollment, now_vn())?;
            crate::desk::settings::remember_public_url(s, public_url.as_deref())?;
            Ok(())
        })
        .await?;
    Ok(resp)
}

/// One round: push then pull. `centre` overrides the enrolled address for this round
/// (e.g. through a proxy). The outcome (error or none, clock offset) is recorded.
/// The clock offset is kept even when the round fails after measuring it: a wrong
/// clock is worth reporting most when something else goes wrong too.
pub async fn sync_once(store: &NetStore, centre: Option<&str>) -> Result<SyncReport, SyncError> {
    let mut report = SyncReport::default();
    let result = round(store, centre, &mut report).await;
    // Kept and shown as the last error: never a quoted ID or phone number.
    let error = result.as_ref().err().map(|e| mask_personal(&e.to_string()));
    let offset = report.clock_offset_ms;
    let recorded = store
        .run(move |s| Ok(s.record_sync_outcome(error.as_deref(), offset)?))
        .await;
    result?;
    recorded?;
    Ok(report)
}

async fn round(
    store: &NetStore,
    centre: Option<&str>,
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    let enrollment = store
        .run(|s| Ok(s.enrollment()?))
        .await?
        .ok_or(SyncError::NotEnrolled)?;
    let base = centre.unwrap_or(&enrollment.centre_url);
    let client = CentreClient::new(base)?;
    let token = &enrollment.token;

    // Ask first: after a restore from backup the local ack may be behind or ahead.
    let unsent = store.run(|s| Ok(s.unsent_dossiers()?)).await?;
    let desk_report = DeskReport {
        version: Some(env!("CARGO_PKG_VERSION").to_string()),
        unsent: Some(unsent),
        desk_time: Some(Utc::now()),
    };
    let sent = Utc::now();
    let ack = client.acked(token, &desk_report).await?;
    report.clock_offset_ms = Some(offset_ms(sent, Utc::now(), ack.server_time));
    let public_url = ack.public_url.clone();
    store
        .run(move |s| {
            Ok(crate::desk::settings::remember_public_url(
                s,
                public_url.as_deref(),
            )?)
        })
        .await?;
    let state = store.run(|s| Ok(s.sync_state()?)).await?;
    let (acked_seq, acked_event) = (ack.acked_seq, ack.acked_event);
    let matches_centre = move |s: &mut Store| -> Result<bool, SyncError> {
        Ok(match acked_event {
            Some(id) => s.outbox_event_id(acked_seq)? == Some(id.to_string()),
            None => acked_seq <= s.sync_state()?.last_seq,
        })
    };
    if !store.run(matches_centre).await? {
        // Restored from an old backup: take back what the centre holds first.
        report.recovered =
            recover(store, &client, token, state.acked_seq.min(ack.acked_seq)).await?;
        if !store.run(matches_centre).await? {
            return Err(SyncError::Diverged { seq: ack.acked_seq });
        }
    }
    let last_seq = store
        .run(move |s| {
            if s.setting(RESTORED_KEY)?.is_some() {
                s.clear_restored_flag()?;
            }
            let last_seq = s.sync_state()?.last_seq;
            s.set_acked(acked_seq, None)?;
            Ok(last_seq)
        })
        .await?;
    let mut acked = ack.acked_seq;

    // Bounded: every successful batch must move the ack forward, and a batch the
    // centre finds too large (413: long notes) is halved until it passes.
    let mut batch_size = PUSH_BATCH;
    while acked < last_seq {
        let batch = store
            .run(move |s| Ok(s.outbox_after(acked, batch_size)?))
            .await?;
        if batch.is_empty() {
            break;
        }
        let req = PushRequest {
            events: batch
                .into_iter()
                .map(|(seq, event)| OutboxEvent { seq, event })
                .collect(),
        };
        let resp = match client.push(token, &req).await {
            Err(SyncError::Rejected { status: 413, .. }) if batch_size > 1 => {
                batch_size = (batch_size / 2).max(1);
                continue;
            }
            other => other?,
        };
        if !resp.refused.is_empty() {
            // The centre quarantined these; the rest of the series goes on.
            report.refused += resp.refused.len() as u64;
            let refused = resp.refused;
            store
                .run(move |s| Ok(s.record_push_refusals(&refused, now_vn())?))
                .await?;
        }
        if resp.acked_seq <= acked {
            return Err(SyncError::Protocol(format!(
                "trung tâm không xác nhận thêm sự kiện nào (vẫn ở số {})",
                resp.acked_seq
            )));
        }
        report.pushed += (resp.acked_seq - acked) as u64;
        acked = resp.acked_seq;
        store
            .run(move |s| Ok(s.set_acked(acked, Some(now_vn()))?))
            .await?;
    }
    if acked >= last_seq {
        store
            .run(move |s| Ok(s.set_acked(acked, Some(now_vn()))?))
            .await?;
    }
    report.acked_seq = acked;
    report.pending = last_seq - acked;

    pull(store, &client, token, report).await?;
    // Documents after the events that name them: the centre then knows their dossier.
    upload_files(store, &client, token, report).await;
    Ok(())
}

/// Most bytes of documents one round sends: a backlog of scans (a desk offline for
/// days) goes over several rounds, and events keep flowing between them.
pub const MAX_UPLOAD_BYTES_PER_ROUND: u64 = 64 * 1024 * 1024;
/// Most documents one round looks at.
const MAX_UPLOADS_PER_ROUND: usize = 200;

/// Sends the documents this desk attached that the centre has not confirmed, up to
/// [`MAX_UPLOAD_BYTES_PER_ROUND`] (at least one). Never fails the round: a cut link
/// leaves the rest for the next round (which resumes a cut file where the centre's copy
/// ends), and a refusal is reported in `files_error` while the others go on.
async fn upload_files(
    store: &NetStore,
    client: &CentreClient,
    token: &str,
    report: &mut SyncReport,
) {
    let found = store
        .run(|s| Ok((s.files_to_upload(MAX_UPLOADS_PER_ROUND)?, s.file_store())))
        .await;
    let (pending, files) = match found {
        Ok(p) => p,
        Err(e) => {
            report.files_error = Some(e.to_string());
            return;
        }
    };
    report.files_pending = pending.len() as u64;
    let mut bytes = 0u64;
    for file in pending {
        if bytes > 0 && bytes.saturating_add(file.size) > MAX_UPLOAD_BYTES_PER_ROUND {
            break;
        }
        bytes = bytes.saturating_add(file.size);
        let path = files.path(&file.sha256);
        match client
            .upload_file(token, &file.sha256, &path, file.size)
            .await
        {
            Ok(()) => {
                let sha = file.sha256.clone();
                let marked = store
                    .run(move |s| Ok(s.mark_file_uploaded(&sha, now_vn())?))
                    .await;
                if let Err(e) = marked {
                    report.files_error = Some(e.to_string());
                    return;
                }
                report.files_sent += 1;
                report.files_pending -= 1;
            }
            Err(e) => {
                let transient = e.is_transient();
                report.files_error = Some(format!(
                    "Tệp {}: {}",
                    file.sha256.short(),
                    mask_personal(&e.to_string())
                ));
                if transient {
                    return;
                }
            }
        }
    }
}

/// Pulls the unit's feed page by page (see [`pull_pages`]). A desk that never pulled
/// (new, or reinstalled) takes its unit's whole feed: its search index is rebuilt once
/// at the end instead of row by row, and the rebuild runs even after a cut, so the
/// pages that did arrive are searchable; a mark left by a crash is acted on next round.
async fn pull(
    store: &NetStore,
    client: &CentreClient,
    token: &str,
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    let (start, stale) = store
        .run(|s| Ok((s.sync_state()?.pull_cursor, s.search_index_stale()?)))
        .await?;
    let index = if start == 0 || stale {
        SearchIndex::RebuildLater
    } else {
        SearchIndex::RowByRow
    };
    let pulled = pull_pages(store, client, token, start, index, report).await;
    let finished = store.run(|s| Ok(s.finish_pull()?)).await;
    pulled?;
    finished
}

/// Asks for the page after `cursor`; a page too large to read is asked for again in
/// smaller pages, and the smaller size is kept for the rest of the round.
async fn fetch_page(
    client: &CentreClient,
    token: &str,
    cursor: i64,
    limit: &mut i64,
    province: Option<&str>,
    epoch: Option<Uuid>,
) -> Result<PullResponse, SyncError> {
    loop {
        match client
            .pull_with(token, cursor, *limit, province, epoch)
            .await
        {
            Err(SyncError::TooLarge { .. }) if *limit > 1 => *limit = (*limit / 4).max(1),
            other => return other,
        }
    }
}

/// At most [`MAX_PULL_PAGES_PER_ROUND`] pages, or [`MAX_CATCH_UP_PAGES_PER_ROUND`] while
/// they come back full (a desk far behind), each checked, page and items, before
/// anything is written. The next page is fetched while this one is written: the line
/// and the disk work at the same time. A page is screened only after the one before it
/// is written, because the screen reads what the desk holds.
async fn pull_pages(
    store: &NetStore,
    client: &CentreClient,
    token: &str,
    mut cursor: i64,
    index: SearchIndex,
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    let (desk, unit) = store.run(|s| Ok((s.desk()?, s.unit()?.code))).await?;
    // The version of the province's lists (units, cross-commune procedures) the desk
    // holds: the centre sends new lists on a round's last page only when they differ.
    let mut province = store
        .run(|s| Ok(s.setting(crate::store::province::PROVINCE_VERSION_KEY)?))
        .await?;
    // The centre's epoch this desk last pulled under (its restored-backup guard).
    let mut epoch = store.run(|s| Ok(s.centre_epoch()?)).await?;
    let mut limit = MAX_PULL_PAGE;
    let mut page = fetch_page(
        client,
        token,
        cursor,
        &mut limit,
        province.as_deref(),
        epoch,
    )
    .await?;
    for n in 1.. {
        bounds::check_page(cursor, &page).map_err(SyncError::Protocol)?;
        // A restored centre serves again from the point it was restored to.
        let start = bounds::page_start(cursor, &page).map_err(SyncError::Protocol)?;
        let page_epoch = page.epoch;
        if let Some(update) = page.province.take() {
            // Checked and bounded by the store: it came from another machine.
            province = Some(update.version.clone());
            store
                .run(move |s| Ok(s.replace_province_lists(&update.lists, &update.version)?))
                .await?;
        }
        let now = now_vn();
        // Other units' dossiers of the page this desk already holds: only cross-commune
        // dossiers its unit decides ever got in (`handover`).
        let foreign = foreign_codes(&page.items, &unit);
        let mut decided = if foreign.is_empty() {
            std::collections::HashSet::new()
        } else {
            store.run(move |s| Ok(s.held_dossiers(&foreign)?)).await?
        };
        let full = page.items.len() as i64 >= limit;
        let cap = if full {
            MAX_CATCH_UP_PAGES_PER_ROUND
        } else {
            MAX_PULL_PAGES_PER_ROUND
        };
        let next = page.next_cursor;
        let go_on = page.more && next > start && n < cap;
        let items: Vec<(i64, PulledItem)> = page
            .items
            .into_iter()
            .map(|item| (item.seq, screen(item.body, &unit, &desk, &mut decided, now)))
            .collect();
        let rewound = (start < cursor).then_some(start);
        let apply = store.run(move |s| {
            // A cut between the two leaves the old cursor and epoch: the centre serves
            // the page again and the numbers are forgotten again (no change).
            if let Some(start) = rewound {
                s.forget_feed_numbers_after(start)?;
            }
            let applied = s.apply_pull_page_with(&items, next, now_vn(), index)?;
            // Kept after its page, never before: a cut in between leaves the old epoch,
            // and the centre serves the page again (no change), never a skipped one.
            if let Some(e) = page_epoch {
                s.set_centre_epoch(e)?;
            }
            if applied.updates > 0 {
                s.forget_cached_calendar();
            }
            Ok(applied)
        });
        let (applied, following) = if go_on {
            let (applied, following) = tokio::join!(
                apply,
                fetch_page(
                    client,
                    token,
                    next,
                    &mut limit,
                    province.as_deref(),
                    page_epoch.or(epoch)
                )
            );
            (applied?, Some(following))
        } else {
            (apply.await?, None)
        };
        report.pulled_events += applied.new_events;
        report.pulled_updates += applied.updates;
        report.refused += applied.refused;
        cursor = next;
        epoch = page_epoch.or(epoch);
        report.pull_cursor = cursor;
        match following {
            Some(following) => page = following?,
            None => break,
        }
    }
    Ok(())
}

/// The codes of the page's events that belong to another unit.
fn foreign_codes(
    items: &[crate::sync::protocol::FeedItem],
    unit: &crate::domain::unit::UnitCode,
) -> Vec<String> {
    items
        .iter()
        .filter_map(|i| match &i.body {
            FeedBody::Event { event } if event.dossier.unit() != unit => {
                Some(event.dossier.to_string())
            }
            _ => None,
        })
        .collect()
}

/// One feed item as the store will apply it: checked, or refused with the reason.
/// `decided` holds the other units' dossiers this unit decides; a receipt accepted
/// here adds its code.
fn screen(
    body: FeedBody,
    unit: &crate::domain::unit::UnitCode,
    desk: &crate::store::setup::DeskConfig,
    decided: &mut std::collections::HashSet<String>,
    now: crate::domain::clock::Timestamp,
) -> PulledItem {
    let refused =
        |event_id: Option<String>, dossier: Option<String>, reason: String| PulledItem::Refused {
            event_id,
            dossier,
            reason: trust::safe_reason(&reason),
        };
    match body {
        FeedBody::Event { event } => {
            match trust::check_pulled_event_for(
                &event,
                unit,
                &desk.desk_id,
                desk.index,
                decided,
                now,
            ) {
                Ok(()) => {
                    decided.insert(event.dossier.to_string());
                    PulledItem::Event(Box::new(event))
                }
                Err(reason) => refused(
                    Some(event.id.to_string()),
                    Some(event.dossier.to_string()),
                    reason,
                ),
            }
        }
        FeedBody::Catalogue { procedures } => match trust::check_catalogue(&procedures) {
            Ok(()) => PulledItem::Catalogue(procedures),
            Err(reason) => refused(None, None, format!("Cập nhật danh mục: {reason}")),
        },
        FeedBody::Calendar { entries } => match trust::check_calendar(&entries, now) {
            Ok(()) => PulledItem::Calendar(entries),
            Err(reason) => refused(None, None, format!("Cập nhật lịch: {reason}")),
        },
    }
}
