//! `public-url` and `ratings`: the citizen's side as the operator sees it.

use super::ctx::{Ctx, Fallible, e2s};
use crate::centre::audit::Entry;

/// `public-url`: shows or sets the public address of the tracking pages (recorded in
/// the operators' audit when set).
pub(super) async fn public_url(ctx: &mut Ctx, url: Option<String>) -> Fallible {
    use crate::centre::settings;
    let Some(url) = url else {
        match settings::public_url(&ctx.client).await.map_err(e2s)? {
            Some(u) => println!("{u}"),
            None => println!("Chưa đặt địa chỉ công khai của trang tra cứu"),
        }
        return Ok(());
    };
    let kept = settings::set_public_url(&ctx.client, &url)
        .await
        .map_err(e2s)?;
    crate::centre::audit::log(
        &ctx.client,
        &Entry {
            operator: &ctx.operator,
            action: "public-url",
            detail: kept.clone(),
        },
    )
    .await
    .map_err(e2s)?;
    println!("Đã đặt địa chỉ công khai của trang tra cứu: {kept}");
    Ok(())
}

/// `ratings`: each unit's ratings, the average points of each indicator.
pub(super) async fn ratings(ctx: &mut Ctx, unit: Option<String>) -> Fallible {
    use crate::domain::rating::Indicator;
    let units = crate::centre::ratings::per_unit(&ctx.client, unit.as_deref())
        .await
        .map_err(e2s)?;
    if units.is_empty() {
        println!("Chưa có đánh giá nào");
    }
    for (code, s) in units {
        println!(
            "Đơn vị {code}: {} đánh giá ({} tại quầy, {} trực tuyến), {} có phản ánh về cán bộ",
            s.count, s.counter, s.web, s.complaints
        );
        for i in Indicator::ALL {
            let avg = s
                .average(i)
                .map_or("—".to_string(), |a| format!("{a:.2}/2"));
            println!("  Chỉ số {}: {} — {avg}", i.number(), i.label_vi());
        }
    }
    Ok(())
}
