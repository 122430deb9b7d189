//! `conflicts`, `quarantine` and `audit`: what the centre refused and who did what.

use chrono::NaiveDate;

use super::ctx::{Ctx, Fallible, e2s, print_json, start_of_day, vn_time};
use crate::centre::{audit, conflicts, quarantine};
use crate::domain::text::escape_controls;

/// `conflicts`: sync conflicts the centre detected.
pub(super) async fn list_conflicts(
    ctx: &mut Ctx,
    since: Option<NaiveDate>,
    json: bool,
) -> Fallible {
    let rows = conflicts::list(&ctx.client, since.map(start_of_day))
        .await
        .map_err(e2s)?;
    if json {
        return print_json(&rows);
    }
    if rows.is_empty() {
        println!("Chưa có xung đột đồng bộ nào");
    }
    for c in rows {
        println!(
            "{}\tđơn vị {}\tquầy {}\t{}\tsự kiện số {}\thồ sơ {}\tgửi {}\tđã có {}",
            vn_time(c.detected_at),
            c.unit_code,
            c.desk_id,
            c.kind,
            c.seq,
            c.dossier_code,
            c.sent_event,
            c.held_event
                .map(|u| u.to_string())
                .unwrap_or_else(|| "-".into())
        );
    }
    Ok(())
}

/// `quarantine`: events held back and why.
pub(super) async fn list_quarantine(ctx: &mut Ctx, unit: Option<String>, json: bool) -> Fallible {
    let rows = quarantine::list(&ctx.client, unit.as_deref())
        .await
        .map_err(e2s)?;
    if json {
        return print_json(&rows);
    }
    if rows.is_empty() {
        println!("Không có sự kiện nào bị cách ly");
    }
    for q in rows {
        println!(
            "{}\tđơn vị {}\tquầy {}\tsự kiện số {} ({})\thồ sơ {}\t{}\tlý do: {}",
            vn_time(q.quarantined_at),
            q.unit_code,
            q.desk_id,
            q.seq,
            q.kind,
            escape_controls(&q.dossier_code),
            q.event_id,
            escape_controls(&q.reason)
        );
    }
    Ok(())
}

/// `audit`: the operators' log.
pub(super) async fn list_audit(ctx: &mut Ctx, since: Option<NaiveDate>, json: bool) -> Fallible {
    let rows = audit::list(&ctx.client, since.map(start_of_day))
        .await
        .map_err(e2s)?;
    if json {
        return print_json(&rows);
    }
    if rows.is_empty() {
        println!("Nhật ký quản trị trống");
    }
    for a in rows {
        println!(
            "{}\t{}\t{}\t{}",
            vn_time(a.at),
            a.operator,
            a.action,
            a.detail
        );
    }
    Ok(())
}
