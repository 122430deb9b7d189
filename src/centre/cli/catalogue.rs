//! `catalogue import`, `catalogue import-phi-dia-gioi` and `calendar import`: the
//! province's lists, sent down to every unit's desks.

use std::path::PathBuf;

use super::ctx::{Ctx, Fallible, e2s};
use crate::centre::admin;
use crate::centre::audit::Entry;
use crate::domain::calendar::official::parse_official_csv;
use crate::domain::catalogue_seed::parse_catalogue;

/// `catalogue import`: the procedures, as an update in every unit's feed.
pub(super) async fn import_catalogue(ctx: &mut Ctx, file: PathBuf) -> Fallible {
    let text = std::fs::read_to_string(&file)
        .map_err(|e| format!("không đọc được {}: {e}", file.display()))?;
    let procedures = parse_catalogue(&text).map_err(|e| e.to_string())?;
    let entry = Entry {
        operator: &ctx.operator,
        action: "catalogue import",
        detail: format!("{} thủ tục từ {}", procedures.len(), file.display()),
    };
    let seq = admin::import_catalogue(&mut ctx.client, &procedures, Some(&entry))
        .await
        .map_err(e2s)?;
    println!(
        "Đã nhập {} thủ tục (mục {seq} của luồng đồng bộ)",
        procedures.len()
    );
    Ok(())
}

/// `catalogue import-phi-dia-gioi`: the province's list of procedures any commune
/// may receive for another (issue 23).
pub(super) async fn import_cross_list(ctx: &mut Ctx, file: PathBuf, decision: String) -> Fallible {
    let decision = decision.trim();
    if decision.is_empty() || decision.chars().count() > 200 {
        return Err("--decision phải ghi số, ký hiệu quyết định công bố danh mục (tối đa 200 ký tự), ví dụ \"QĐ 2095/QĐ-UBND ngày 31/10/2025\"".into());
    }
    let text = std::fs::read_to_string(&file)
        .map_err(|e| format!("không đọc được {}: {e}", file.display()))?;
    let codes = crate::domain::handover::parse_procedure_list(&text)
        .map_err(|e| format!("{}: {e}", file.display()))?;
    let entry = Entry {
        operator: &ctx.operator,
        action: "catalogue import-phi-dia-gioi",
        detail: format!("{} thủ tục theo {decision}", codes.len()),
    };
    let n =
        crate::centre::cross::import_procedures(&mut ctx.client, &codes, decision, Some(&entry))
            .await
            .map_err(e2s)?;
    println!("Đã nhập {n} thủ tục tiếp nhận không phụ thuộc địa giới hành chính ({decision})");
    Ok(())
}

/// `calendar import`: the official calendar, as an update in every unit's feed.
pub(super) async fn import_calendar(ctx: &mut Ctx, file: PathBuf) -> Fallible {
    let text = std::fs::read_to_string(&file)
        .map_err(|e| format!("không đọc được {}: {e}", file.display()))?;
    let entries = parse_official_csv(&text).map_err(|e| e.to_string())?;
    let entry = Entry {
        operator: &ctx.operator,
        action: "calendar import",
        detail: format!("{} ngày đặc biệt từ {}", entries.len(), file.display()),
    };
    let seq = admin::import_calendar(&mut ctx.client, &entries, Some(&entry))
        .await
        .map_err(e2s)?;
    println!(
        "Đã nhập {} ngày đặc biệt (mục {seq} của luồng đồng bộ)",
        entries.len()
    );
    Ok(())
}
