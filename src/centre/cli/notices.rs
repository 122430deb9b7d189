//! `notices failed` and `notices retry`: the citizen's notices that gave up, listed
//! without the phone number, and put back in the queue (audited, one transaction).

use super::args::NoticesCommand;
use super::ctx::{Ctx, Fallible, e2s, print_json, vn_time};
use crate::centre::audit::{self, Entry};
use crate::centre::notices::failed::{self, MAX_LISTED, Which};
use crate::domain::text::escape_controls;

/// `notices …`.
pub(super) async fn command(ctx: &mut Ctx, cmd: NoticesCommand) -> Fallible {
    match cmd {
        NoticesCommand::Failed { unit, json } => list_failed(ctx, unit.as_deref(), json).await,
        NoticesCommand::Retry {
            id,
            all_failed,
            unit,
        } => {
            let which = match (&id, all_failed) {
                (Some(id), false) => Which::One(id),
                (None, true) => Which::All {
                    unit: unit.as_deref(),
                },
                _ => return Err("cần đúng một trong hai: mã thông báo hoặc --all-failed".into()),
            };
            retry(ctx, which).await
        }
    }
}

/// `notices failed`: code, kind, attempts, last error and time; never the phone.
async fn list_failed(ctx: &mut Ctx, unit: Option<&str>, json: bool) -> Fallible {
    let rows = failed::list(&ctx.client, unit).await.map_err(e2s)?;
    if json {
        return print_json(&rows);
    }
    if rows.is_empty() {
        println!("Không có thông báo nào gửi thất bại");
    }
    for f in &rows {
        println!(
            "{}\tđơn vị {}\thồ sơ {}\t{}\t{} lần gửi\ttạo lúc {}\tlỗi: {}",
            f.id,
            f.unit_code,
            escape_controls(&f.dossier_code),
            f.kind,
            f.attempts,
            vn_time(f.queued_at),
            escape_controls(f.last_error.as_deref().unwrap_or("-"))
        );
    }
    if rows.len() as i64 >= MAX_LISTED {
        println!("(chỉ hiện {MAX_LISTED} thông báo cũ nhất; dùng --unit để xem từng đơn vị)");
    }
    Ok(())
}

/// `notices retry ID|--all-failed`: back in the queue, with its audit entry.
async fn retry(ctx: &mut Ctx, which: Which<'_>) -> Fallible {
    let what = match &which {
        Which::One(id) => format!("thông báo {}", escape_controls(id.trim())),
        Which::All { unit: Some(u) } => format!("mọi thông báo thất bại của đơn vị {u}"),
        Which::All { unit: None } => "mọi thông báo thất bại".to_string(),
    };
    let tx = ctx.client.transaction().await.map_err(|e| e.to_string())?;
    let done = failed::retry(&tx, which).await.map_err(e2s)?;
    let entry = Entry {
        operator: &ctx.operator,
        action: "notices retry",
        detail: format!("{what}: {} gửi lại", done.requeued),
    };
    audit::log(&tx, &entry).await.map_err(e2s)?;
    tx.commit().await.map_err(|e| e.to_string())?;
    println!("Đã xếp lại {} thông báo để gửi lại", done.requeued);
    if done.without_consent > 0 {
        println!(
            "{} thông báo không gửi lại được: hồ sơ không còn số điện thoại công dân đồng ý nhận tin",
            done.without_consent
        );
    }
    Ok(())
}
