//! `stats` and `export-dvcqg`: the figures per unit and the national portal's export.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::ctx::{Ctx, Fallible, e2s};
use crate::centre::audit::{self, Entry};
use crate::centre::{conflicts, report};

/// `stats`: dossiers and on-time figures per unit.
pub(super) async fn stats(ctx: &mut Ctx, unit: Option<String>, json: bool) -> Fallible {
    let stats = report::stats::stats(&ctx.client, unit.as_deref())
        .await
        .map_err(e2s)?;
    let clashes = conflicts::count(&ctx.client, unit.as_deref())
        .await
        .map_err(e2s)?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&stats).map_err(|e| e.to_string())?
        );
    } else {
        for s in stats {
            println!("Đơn vị {}: {} hồ sơ", s.unit, s.dossiers);
            for (status, n) in &s.by_status {
                println!("  trạng thái {status}: {n}");
            }
            println!(
                "  trước hạn {}, đúng hạn {}, quá hạn {}; đang giải quyết trong hạn {}, quá hạn {}",
                s.early, s.on_time, s.late, s.pending_in_time, s.pending_late
            );
            match s.on_time_rate {
                Some(r) => println!("  tỷ lệ đúng hạn: {r:.1}%"),
                None => println!("  tỷ lệ đúng hạn: chưa có hồ sơ đã giải quyết"),
            }
            if s.received_for_others > 0 {
                println!(
                    "  nhận hộ đơn vị khác (tính tại đơn vị giải quyết): {}",
                    s.received_for_others
                );
            }
        }
        if clashes > 0 {
            println!("Số xung đột đồng bộ: {clashes} (xem: motcua-centre conflicts)");
        } else {
            println!("Số xung đột đồng bộ: 0");
        }
    }
    Ok(())
}

/// `export-dvcqg`: the dossiers of a period for the national portal.
pub(super) async fn export_dvcqg(
    ctx: &mut Ctx,
    from: NaiveDate,
    to: NaiveDate,
    out: PathBuf,
) -> Fallible {
    if from > to {
        return Err("--from phải trước hoặc bằng --to".into());
    }
    let rows = report::dvcqg::export_dvcqg(&ctx.client, from, to)
        .await
        .map_err(e2s)?;
    let json = serde_json::to_vec_pretty(&rows).map_err(|e| e.to_string())?;
    std::fs::write(&out, json).map_err(|e| format!("không ghi được {}: {e}", out.display()))?;
    // Read-only on the database: recorded once the file exists.
    let entry = Entry {
        operator: &ctx.operator,
        action: "export-dvcqg",
        detail: format!("{from} – {to}: {} hồ sơ vào {}", rows.len(), out.display()),
    };
    audit::log(&ctx.client, &entry).await.map_err(e2s)?;
    println!("Đã xuất {} hồ sơ vào {}", rows.len(), out.display());
    Ok(())
}
