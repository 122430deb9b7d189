//! The citizen's pages, rendered from [`PublicView`] only (which holds nothing the page
//! may not show). Plain HTML, no script, small enough for a cheap phone on a slow link.

use chrono::{DateTime, Utc};
use maud::{Markup, html};

use crate::centre::web::layout;
use crate::domain::clock::{Timestamp, to_wall};
use crate::domain::public_view::PublicView;
use crate::domain::rating::{self, Choice};

use super::rate;

/// "10:32, 07/12/2026": the form the issue asks for.
pub fn when(t: Timestamp) -> String {
    to_wall(t).format("%H:%M, %d/%m/%Y").to_string()
}

fn when_utc(t: DateTime<Utc>) -> String {
    when(t.with_timezone(&crate::domain::clock::vn_offset()))
}

/// The rating form: the three questions, each skippable, and the page's nonce.
fn rating_form(action: &str, nonce: &str) -> Markup {
    html! {
        form.card method="post" action=(action) {
            h2 { "Đánh giá sự hài lòng" }
            p.muted { "Ông/Bà trả lời câu nào cũng được; mỗi hồ sơ đánh giá một lần." }
            input type="hidden" name="nonce" value=(nonce);
            @for q in rating::QUESTIONS {
                fieldset {
                    legend { (q.text) }
                    @for o in q.options {
                        @let id = format!("{}_{}", rate::field(q.indicator), choice_key(o.choice));
                        label for=(id) {
                            input type="radio" id=(id) name=(rate::field(q.indicator)) value=(choice_key(o.choice));
                            " " (o.label)
                        }
                    }
                }
            }
            button type="submit" { "Gửi đánh giá" }
        }
    }
}

fn choice_key(c: Choice) -> &'static str {
    match c {
        Choice::A => "a",
        Choice::B => "b",
        Choice::C => "c",
    }
}

/// The dossier's page; `rate` is the form's action and nonce when it may be rated.
pub fn dossier(
    v: &PublicView,
    desk_synced_at: Option<DateTime<Utc>>,
    rate: Option<(&str, &str)>,
) -> Markup {
    let body = html! {
        h1 { "Tình trạng hồ sơ" }
        div.card {
            p { span.muted { "Mã hồ sơ: " } strong { (v.code) } }
            p { span.muted { "Người nộp: " } (v.masked_name) }
            p { span.muted { "Thủ tục: " } (v.procedure) }
            p { span.muted { "Tiếp nhận lúc: " } (when(v.received_at)) }
            p { span.muted { "Hẹn trả kết quả: " } strong { (when(v.due_at)) } }
        }
        div.card {
            h2 { "Tình trạng" }
            p class=(if v.ready { "ok" } else { "" }) { (v.status_words) }
            @if !v.supplement_items.is_empty() {
                p { "Giấy tờ cần bổ sung:" }
                ul { @for item in &v.supplement_items { li { (item) } } }
            }
            p { span.muted { "Nơi nhận kết quả: " } (v.collect_at) }
            @if v.ready {
                p { "Ông/Bà đến nhận trong giờ làm việc, mang theo Giấy tiếp nhận hồ sơ và giấy tờ tùy thân." }
            }
        }
        h2 { "Quá trình giải quyết" }
        ol.steps {
            @for s in &v.steps {
                li { span.muted { (when(s.at)) } " — " (s.label) }
            }
        }
        @if v.rated {
            p.ok { "Cảm ơn Ông/Bà đã đánh giá." }
        }
        @if let (true, Some((action, nonce))) = (v.may_rate, rate) {
            (rating_form(action, nonce))
        }
        p.muted {
            @match desk_synced_at {
                Some(t) => { "Cập nhật lần cuối: " (when_utc(t)) }
                None => { "Bộ phận tiếp nhận chưa hoàn tất lần đồng bộ nào: thông tin có thể chưa đầy đủ." }
            }
        }
    };
    layout::page(&format!("Hồ sơ {}", v.code), body)
}

/// The look-up form (by dossier code and the last 4 digits).
pub fn lookup_form() -> Markup {
    html! {
        form.card method="get" action="/tra-cuu" {
            h2 { "Tra cứu bằng mã hồ sơ" }
            label for="ma" { "Mã hồ sơ (in trên Giấy tiếp nhận)" }
            input id="ma" name="ma" maxlength="40" required autocomplete="off";
            label for="so" { "4 số cuối của số định danh cá nhân hoặc số điện thoại" }
            input id="so" name="so" inputmode="numeric" pattern="[0-9]{4}" maxlength="4" required autocomplete="off";
            button type="submit" { "Tra cứu" }
        }
    }
}

/// The one answer for every token that opens nothing, whatever the cause.
pub fn unknown() -> Markup {
    layout::page(
        "Không tìm thấy hồ sơ",
        html! {
            h1 { "Không tìm thấy hồ sơ" }
            p { "Mã tra cứu này không mở được hồ sơ nào." }
            p.muted { "Nếu Ông/Bà vừa nộp hồ sơ, thông tin sẽ có sau khi bộ phận tiếp nhận đồng bộ dữ liệu với trung tâm. Giấy tiếp nhận in lại có mã QR mới; mã cũ không dùng được nữa." }
            (lookup_form())
        },
    )
}

/// The look-up page, with a message after a failed attempt.
pub fn lookup(message: Option<&str>) -> Markup {
    layout::page(
        "Tra cứu hồ sơ",
        html! {
            h1 { "Tra cứu hồ sơ" }
            @if let Some(m) = message { p.warn { (m) } }
            (lookup_form())
        },
    )
}

/// Too many failed look-ups from this address.
pub fn limited(wait_secs: u64) -> Markup {
    layout::page(
        "Tạm dừng tra cứu",
        html! {
            h1 { "Tạm dừng tra cứu" }
            p { "Có quá nhiều lượt tra cứu không thành công từ địa chỉ này. Mời Ông/Bà thử lại sau "
                (wait_secs.div_ceil(60)) " phút, hoặc quét lại mã QR trên Giấy tiếp nhận." }
        },
    )
}

/// A posted rating that could not be taken.
pub fn rating_refused(back: &str, why: &str) -> Markup {
    layout::page(
        "Chưa ghi nhận đánh giá",
        html! {
            h1 { "Chưa ghi nhận đánh giá" }
            p.warn { (why) }
            p { a href=(back) { "Quay lại trang hồ sơ" } }
        },
    )
}

/// The centre cannot answer now.
pub fn busy() -> Markup {
    layout::page(
        "Hệ thống đang bận",
        html! {
            h1 { "Hệ thống đang bận" }
            p { "Chưa tra cứu được lúc này. Mời Ông/Bà thử lại sau ít phút." }
        },
    )
}
