//! What a notice says (issue 22 §4): one SMS segment, GSM-7, no diacritics.
//!
//! Why GSM-7 and not UCS-2: one UCS-2 segment holds only 70 characters, too few for
//! a ward's full name, the dossier code and a date in Vietnamese; GSM-7 holds 160 and
//! every Vietnamese phone shows unaccented Vietnamese, as the banks' and carriers'
//! own brandname messages do. The text is folded with `domain::text::strip_marks`,
//! anything outside the GSM-7 basic set becomes '?', and the ward's name is
//! shortened (never the code or the date) until the message fits 160 septets.

use crate::domain::clock::{Timestamp, vn_offset};
use crate::domain::event::EventBody;
use crate::domain::text::strip_marks;

/// One SMS segment in GSM-7.
pub const MAX_SEPTETS: usize = 160;

/// The moments the citizen is told about (NĐ 61/2018 Art 19(9), 20(4)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    Received,
    SupplementNeeded,
    /// An extension, sent with the apology letter (Mẫu 04).
    Extended,
    ResultReady,
    Returned,
}

impl NoticeKind {
    /// The kind of notice an event calls for, if any.
    pub fn of(body: &EventBody) -> Option<Self> {
        Some(match body {
            EventBody::Received { .. } => Self::Received,
            EventBody::SupplementRequested { .. } => Self::SupplementNeeded,
            EventBody::Extended { .. } => Self::Extended,
            EventBody::ResultReady { .. } => Self::ResultReady,
            EventBody::Returned { .. } => Self::Returned,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::SupplementNeeded => "supplement_needed",
            Self::Extended => "extended",
            Self::ResultReady => "result_ready",
            Self::Returned => "returned",
        }
    }

    /// The status as the ZNS template shows it (Zalo renders Unicode).
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Received => "Đã tiếp nhận",
            Self::SupplementNeeded => "Cần bổ sung hồ sơ",
            Self::Extended => "Gia hạn trả kết quả (thư xin lỗi)",
            Self::ResultReady => "Đã có kết quả",
            Self::Returned => "Đã trả kết quả",
        }
    }
}

/// "10:30 09/12/2026" in Vietnam time.
pub fn when(t: &Timestamp) -> String {
    t.with_timezone(&vn_offset())
        .format("%H:%M %d/%m/%Y")
        .to_string()
}

/// The message body after the ward's name, in Vietnamese with diacritics (folded
/// later). `due` is the due time the notice announces, if it has one.
fn body_vi(kind: NoticeKind, code: &str, due: Option<&str>) -> String {
    let due = due.unwrap_or("");
    match kind {
        NoticeKind::Received => format!("đã tiếp nhận hồ sơ {code}. Hẹn trả kết quả {due}."),
        NoticeKind::SupplementNeeded => format!(
            "hồ sơ {code} cần bổ sung giấy tờ. Mời ông/bà đến bộ phận một cửa để biết chi tiết."
        ),
        NoticeKind::Extended => {
            format!("xin lỗi ông/bà, hồ sơ {code} chậm trả kết quả. Hẹn trả mới {due}.")
        }
        NoticeKind::ResultReady => {
            format!("hồ sơ {code} đã có kết quả. Mời ông/bà đến bộ phận một cửa nhận.")
        }
        NoticeKind::Returned => format!("hồ sơ {code} đã trả kết quả. Cảm ơn ông/bà."),
    }
}

/// GSM-7 basic-set characters that are ASCII and cost one septet each.
fn is_gsm_basic(c: char) -> bool {
    c.is_ascii_alphanumeric() || " !\"#%&'()*+,-./:;<=>?@$_".contains(c)
}

/// `s` folded to one-septet GSM-7 characters.
pub fn to_gsm(s: &str) -> String {
    strip_marks(s)
        .chars()
        .map(|c| if is_gsm_basic(c) { c } else { '?' })
        .collect()
}

/// The SMS text: "<ward>: <body>", GSM-7, at most [`MAX_SEPTETS`]. The ward's name is
/// cut (with "..") when the whole would not fit.
pub fn sms(kind: NoticeKind, unit_name: &str, code: &str, due: Option<&str>) -> String {
    let body = to_gsm(&body_vi(kind, code, due));
    let unit = to_gsm(unit_name.trim());
    let room = MAX_SEPTETS.saturating_sub(body.len() + 2);
    let unit = if unit.len() <= room {
        unit
    } else {
        let keep = room.saturating_sub(2);
        format!("{}..", unit.get(..keep).unwrap_or("").trim_end())
    };
    let text = format!("{unit}: {body}");
    // The body alone always fits (the longest is ~110 septets with a 25-char code);
    // cut as a last guard so no message is ever split into two.
    text.get(..MAX_SEPTETS).unwrap_or(&text).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KINDS: [NoticeKind; 5] = [
        NoticeKind::Received,
        NoticeKind::SupplementNeeded,
        NoticeKind::Extended,
        NoticeKind::ResultReady,
        NoticeKind::Returned,
    ];

    #[test]
    fn every_text_is_one_gsm7_segment_even_for_the_longest_unit_names() {
        let names = [
            "UBND phường Hồng Gai",
            // The longest names of units in the catalogue are about 60 characters; this
            // one is longer still.
            "Ủy ban nhân dân xã Nghĩa Hưng Đông, huyện Nghĩa Hưng, tỉnh Nam Định cũ",
            &"Ủy ban nhân dân phường Đống Đa ".repeat(10),
        ];
        for name in names {
            for kind in KINDS {
                let t = sms(kind, name, "25.25930.071226.1001", Some("16:30 21/12/2026"));
                assert!(t.len() <= MAX_SEPTETS, "{} > 160: {t}", t.len());
                assert!(t.chars().all(is_gsm_basic), "{t}");
                assert!(t.contains("25.25930.071226.1001"), "{t}");
            }
        }
    }

    #[test]
    fn vietnamese_is_folded_not_lost() {
        let t = sms(NoticeKind::ResultReady, "UBND phường Hồng Gai", "X1", None);
        assert_eq!(
            t,
            "UBND phuong Hong Gai: ho so X1 da co ket qua. Moi ong/ba den bo phan mot cua nhan."
        );
        let long = sms(NoticeKind::Received, &"Đ".repeat(300), "X1", Some("d"));
        assert!(
            long.starts_with("DDD") && long.contains("..: da tiep nhan"),
            "{long}"
        );
    }

    #[test]
    fn only_the_five_moments_call_for_a_notice() {
        let ready = EventBody::ResultReady {
            note: String::new(),
        };
        assert_eq!(NoticeKind::of(&ready), Some(NoticeKind::ResultReady));
        let stop = EventBody::Stopped {
            reason: String::new(),
        };
        assert_eq!(NoticeKind::of(&stop), None);
    }
}
