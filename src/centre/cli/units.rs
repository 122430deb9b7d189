//! `unit add`, `unit list` and `enroll-code`: the units and their desks' enrollment.

use chrono::Duration;

use super::ctx::{Ctx, Fallible, e2s};
use crate::centre::admin;
use crate::centre::audit::{self, Entry};

/// `unit add`: a new unit, recorded in the audit log.
pub(super) async fn unit_add(ctx: &mut Ctx, code: String, name: String) -> Fallible {
    let tx = ctx.client.transaction().await.map_err(|e| e.to_string())?;
    let code = admin::add_unit(&tx, &code, &name).await.map_err(e2s)?;
    let entry = Entry {
        operator: &ctx.operator,
        action: "unit add",
        detail: format!("đơn vị {code} ({})", name.trim()),
    };
    audit::log(&tx, &entry).await.map_err(e2s)?;
    tx.commit().await.map_err(|e| e.to_string())?;
    println!("Đã thêm đơn vị {code}");
    Ok(())
}

/// `unit list`: every unit with its desks and events.
pub(super) async fn unit_list(ctx: &mut Ctx) -> Fallible {
    for (code, name, desks, events) in admin::list_units(&ctx.client).await.map_err(e2s)? {
        println!("{code}\t{name}\t{desks} quầy\t{events} sự kiện");
    }
    Ok(())
}

/// `enroll-code`: a single-use code for a desk (shown once, never logged).
pub(super) async fn enroll_code(
    ctx: &mut Ctx,
    unit: String,
    desk_index: Option<u8>,
    replace_desk: Option<u8>,
    expires: String,
) -> Fallible {
    let valid = parse_duration(&expires)?;
    let tx = ctx.client.transaction().await.map_err(|e| e.to_string())?;
    let (code, until) = match replace_desk {
        Some(i) => admin::create_replace_code(&tx, &unit, i, valid).await,
        None => admin::create_enroll_code(&tx, &unit, desk_index, valid).await,
    }
    .map_err(e2s)?;
    let desk_index = replace_desk.or(desk_index);
    // Never the code itself: it is a secret shown once, to this operator.
    let entry = Entry {
        operator: &ctx.operator,
        action: "enroll-code",
        detail: format!(
            "đơn vị {unit}{}, hết hạn {}",
            desk_index
                .map(|i| format!(", quầy số {i}"))
                .unwrap_or_default(),
            until.to_rfc3339()
        ),
    };
    audit::log(&tx, &entry).await.map_err(e2s)?;
    tx.commit().await.map_err(|e| e.to_string())?;
    println!("{code}");
    eprintln!(
        "Mã đăng ký cho đơn vị {unit}{}, dùng một lần, hết hạn {}",
        desk_index
            .map(|i| format!(", quầy số {i}"))
            .unwrap_or_default(),
        until
            .with_timezone(&crate::domain::clock::vn_offset())
            .format("%H:%M %d/%m/%Y")
    );
    Ok(())
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (n, unit) = s.split_at(s.len().saturating_sub(1));
    let n: i64 = n
        .parse()
        .map_err(|_| format!("thời hạn '{s}' không hợp lệ (ví dụ: 30m, 24h, 7d)"))?;
    let d = match unit {
        "m" => Duration::minutes(n),
        "h" => Duration::hours(n),
        "d" => Duration::days(n),
        _ => return Err(format!("thời hạn '{s}' không hợp lệ (ví dụ: 30m, 24h, 7d)")),
    };
    if n <= 0 || d > Duration::days(30) {
        return Err("thời hạn phải dương và không quá 30 ngày".into());
    }
    Ok(d)
}
