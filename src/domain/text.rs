//! Text hygiene for everything a clerk types or a scanner sends.
//!
//! Two forms of a string exist in the program:
//! - the **stored** form, NFC-normalised ([`nfc`]), because Vietnamese text arrives in
//!   both composed (Unicode dựng sẵn) and decomposed (Unicode tổ hợp) form depending on the
//!   keyboard, and the two must compare, index and print identically;
//! - the **search** form ([`fold`]): no diacritics, đ→d, lowercase, single spaces, so that
//!   "Đặng Hữu Nghĩa", "DANG HUU NGHIA" and "dang  huu nghia" all meet in one FTS column.
//!
//! [`clean_field`] is the one gate for free-text form fields: trim, NFC, no control
//! characters, a length limit counted in characters, and required-ness, with errors that
//! name the field in Vietnamese so the form can mark it.

use thiserror::Error;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// NFC-normalises `s`; every string the program stores goes through this.
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// The search form of `s`: diacritics removed, đ/Đ → d, lowercase, whitespace runs
/// collapsed to one space, trimmed. Accepts NFC or NFD input alike.
pub fn fold(s: &str) -> String {
    // Lowercasing can itself produce combining marks (e.g. 'İ' → "i\u{307}"), so marks
    // are dropped after lowercasing, on the decomposed form.
    let stripped: String = s
        .nfd()
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| if c == 'đ' || c == 'Đ' { 'd' } else { c })
        .collect();
    stripped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `s` without diacritics, case kept: "Phường Đông" → "Phuong Dong" (text messages
/// sent in GSM-7, issue 22 §4). `fold` is the search form; this is the display form.
pub fn strip_marks(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            c => c,
        })
        .collect()
}

/// Why a free-text field was refused. `field` is the English key used in JSON and by the
/// form; `label_vi` is what the clerk sees.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TextError {
    #[error("{label_vi} không được để trống")]
    Required {
        field: &'static str,
        label_vi: &'static str,
    },
    #[error("{label_vi} dài tối đa {max} ký tự (đã nhập {actual} ký tự); hãy rút gọn")]
    TooLong {
        field: &'static str,
        label_vi: &'static str,
        max: usize,
        actual: usize,
    },
    #[error(
        "{label_vi} chứa ký tự điều khiển không hợp lệ ({code}) ở vị trí {position}; \
         hãy xóa ký tự này (thường do xuống dòng hoặc Tab khi dán) và nhập lại"
    )]
    ControlChar {
        field: &'static str,
        label_vi: &'static str,
        /// 1-based position in characters, after trimming.
        position: usize,
        /// e.g. "U+000A".
        code: String,
    },
    #[error(
        "{label_vi} chứa ký tự lỗi mã hóa (�) ở vị trí {position}; \
         hãy gõ lại phần chữ bị lỗi"
    )]
    ReplacementChar {
        field: &'static str,
        label_vi: &'static str,
        position: usize,
    },
}

impl TextError {
    /// The English key of the field the error belongs to.
    pub fn field(&self) -> &'static str {
        match self {
            TextError::Required { field, .. }
            | TextError::TooLong { field, .. }
            | TextError::ControlChar { field, .. }
            | TextError::ReplacementChar { field, .. } => field,
        }
    }
}

/// Cleans one free-text field: trims surrounding whitespace (so a scanner's trailing
/// CR/LF or a pasted trailing Tab is harmless), NFC-normalises, then refuses control
/// characters left inside (and the bidirectional overrides that reorder what is
/// printed, U+202A–U+202E, U+2066–U+2069), U+FFFD (text that was already mis-decoded), more than
/// `max_chars` characters, and an empty value when `required`.
/// An empty optional field comes back as `Ok(String::new())`.
pub fn clean_field(
    field: &'static str,
    label_vi: &'static str,
    s: &str,
    max_chars: usize,
    required: bool,
) -> Result<String, TextError> {
    let cleaned = nfc(s.trim());
    for (i, c) in cleaned.chars().enumerate() {
        if is_unsafe_to_show(c) {
            return Err(TextError::ControlChar {
                field,
                label_vi,
                position: i + 1,
                code: format!("U+{:04X}", u32::from(c)),
            });
        }
        if c == char::REPLACEMENT_CHARACTER {
            return Err(TextError::ReplacementChar {
                field,
                label_vi,
                position: i + 1,
            });
        }
    }
    let actual = cleaned.chars().count();
    if actual > max_chars {
        return Err(TextError::TooLong {
            field,
            label_vi,
            max: max_chars,
            actual,
        });
    }
    if required && cleaned.is_empty() {
        return Err(TextError::Required { field, label_vi });
    }
    Ok(cleaned)
}

/// Whether `c` must never reach a terminal, a log line or a CSV cell as itself: control
/// characters (newlines, ESC, NUL …) and the bidirectional overrides and isolates that
/// reorder what is shown (U+202A–U+202E, U+2066–U+2069).
pub fn is_unsafe_to_show(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every character unsafe to show written as `\u{XXXX}`, so text that arrived
/// from elsewhere cannot move the cursor, colour a terminal, forge a line of a log or a
/// row of a listing. Borrowed when there is nothing to escape.
pub fn escape_controls(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_unsafe_to_show) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe_to_show(c) {
            out.push_str(&format!("\\u{{{:04X}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Fewest digits in a run that may be an ID number (12, or 9 for the old CMND) or a
/// phone number (10): every such run is masked in logs.
const MASK_MIN_DIGITS: usize = 9;

/// Masks what could be a personal ID or phone number before a string reaches a log:
/// every run of at least 9 digits, which may be grouped by single spaces or dots
/// ("0912 345 678", "0912.345.678", "+84 912 345 678"), becomes `***`. Shorter runs
/// survive, so dossier codes (`H22.39.15-261127-0001`), dates, counts and seq
/// numbers stay readable.
pub fn mask_personal(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // The longest run of digits with single separators between digit groups.
        let start = i;
        let (mut end, mut digits) = (i, 0);
        let mut j = i;
        while j < chars.len() {
            if chars[j].is_ascii_digit() {
                digits += 1;
                j += 1;
                end = j;
            } else if matches!(chars[j], ' ' | '.')
                && chars.get(j + 1).is_some_and(char::is_ascii_digit)
            {
                j += 1;
            } else {
                break;
            }
        }
        if digits >= MASK_MIN_DIGITS {
            out.push_str("***");
        } else {
            out.extend(&chars[start..end]);
        }
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn nfc_composes_decomposed_vietnamese() {
        let nfd = "Nguye\u{302}\u{303}n"; // "Nguyễn" typed with combining marks
        assert_eq!(nfc(nfd), "Nguyễn");
        assert_eq!(nfc("Nguyễn").chars().count(), 6);
    }

    #[test]
    fn escape_controls_leaves_vietnamese_and_escapes_the_rest() {
        assert_eq!(escape_controls("Nguyễn Thị Hoa"), "Nguyễn Thị Hoa");
        assert_eq!(
            escape_controls("a\nb\u{1b}]0;x\u{7}\u{0}\u{202E}c"),
            "a\\u{000A}b\\u{001B}]0;x\\u{0007}\\u{0000}\\u{202E}c"
        );
    }

    #[test]
    fn fold_examples() {
        assert_eq!(fold("Đặng Hữu Nghĩa"), "dang huu nghia");
        assert_eq!(fold("NGUYỄN"), "nguyen");
        assert_eq!(fold("  Lê\tVăn \n Lương  "), "le van luong");
        assert_eq!(fold("ĐÀ NẴNG"), "da nang");
        assert_eq!(fold(""), "");
    }

    #[test]
    fn fold_handles_nfd_input() {
        let nfd: String = "Đặng Hữu Nghĩa".nfd().collect();
        assert_ne!(nfd, "Đặng Hữu Nghĩa");
        assert_eq!(fold(&nfd), "dang huu nghia");
    }

    #[test]
    fn clean_field_trims_and_normalises() {
        let nfd: String = "  Nguyễn Thị Hoa\r\n".nfd().collect();
        assert_eq!(
            clean_field("full_name", "Họ và tên", &nfd, 100, true),
            Ok("Nguyễn Thị Hoa".to_string())
        );
    }

    #[test]
    fn clean_field_rejects_inner_control_chars() {
        for (input, code) in [
            ("Lê\nVăn", "U+000A"),
            ("Lê\tVăn", "U+0009"),
            ("Lê\rVăn", "U+000D"),
            ("Lê\u{0}", "U+0000"),
        ] {
            let err = clean_field("full_name", "Họ và tên", input, 100, true);
            assert_eq!(
                err,
                Err(TextError::ControlChar {
                    field: "full_name",
                    label_vi: "Họ và tên",
                    position: 3,
                    code: code.to_string(),
                })
            );
        }
        let msg = clean_field("address", "Địa chỉ", "a\u{7}", 10, false)
            .map_err(|e| e.to_string())
            .err();
        assert_eq!(
            msg.as_deref(),
            Some(
                "Địa chỉ chứa ký tự điều khiển không hợp lệ (U+0007) ở vị trí 2; \
                 hãy xóa ký tự này (thường do xuống dòng hoặc Tab khi dán) và nhập lại"
            )
        );
    }

    #[test]
    fn clean_field_rejects_replacement_char() {
        let err = clean_field("address", "Địa chỉ", "Th\u{FFFD}n", 300, true);
        assert!(matches!(
            err,
            Err(TextError::ReplacementChar { position: 3, .. })
        ));
    }

    #[test]
    fn clean_field_counts_chars_after_nfc() {
        // 6 characters in NFC, 8 code points in NFD: the limit applies to the NFC form.
        let nfd: String = "Nguyễn".nfd().collect();
        assert_eq!(nfd.chars().count(), 8);
        assert!(clean_field("x", "Tên", &nfd, 6, true).is_ok());
        let err = clean_field("x", "Tên", "Nguyễn Văn", 6, true);
        assert_eq!(
            err,
            Err(TextError::TooLong {
                field: "x",
                label_vi: "Tên",
                max: 6,
                actual: 10
            })
        );
        assert_eq!(
            err.map_err(|e| e.to_string()),
            Err("Tên dài tối đa 6 ký tự (đã nhập 10 ký tự); hãy rút gọn".to_string())
        );
    }

    #[test]
    fn clean_field_required() {
        let err = clean_field("address", "Địa chỉ", "   ", 300, true);
        assert_eq!(
            err.clone().map_err(|e| e.to_string()),
            Err("Địa chỉ không được để trống".to_string())
        );
        assert_eq!(err.map_err(|e| e.field()), Err("address"));
        assert_eq!(
            clean_field("note", "Ghi chú", " ", 300, false),
            Ok(String::new())
        );
    }

    proptest! {
        #[test]
        fn fold_is_idempotent(s in any::<String>()) {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once);
        }

        #[test]
        fn fold_is_idempotent_on_vietnamese(s in "[a-zA-Z ăâđêôơưĂÂĐÊÔƠƯàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ\u{300}\u{301}\u{303}\u{309}\u{323}\t\n]{0,40}") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once.clone());
            prop_assert!(once.chars().all(|c| c.is_ascii_lowercase() || c == ' '));
        }

        #[test]
        fn fold_output_is_plain(s in any::<String>()) {
            let out = fold(&s);
            // "No uppercase" means lowercasing changes nothing: a few uppercase letters
            // (e.g. U+03D2) have no lowercase form and must stay as they are.
            prop_assert_eq!(out.to_lowercase(), out.clone());
            prop_assert!(!out.chars().any(is_combining_mark));
            prop_assert!(!out.contains('đ') && !out.contains('Đ'));
            prop_assert!(!out.starts_with(' ') && !out.ends_with(' ') && !out.contains("  "));
        }

        #[test]
        fn clean_field_never_panics(s in any::<String>(), max in 0usize..200, required in any::<bool>()) {
            if let Ok(out) = clean_field("f", "Trường", &s, max, required) {
                prop_assert!(out.chars().count() <= max);
                prop_assert!(!out.chars().any(char::is_control));
                prop_assert_eq!(nfc(&out), out.clone());
            }
        }
    }

    #[test]
    fn personal_numbers_are_masked_and_codes_are_not() {
        let line = "CCCD 022190001234, SĐT 0912 345 678 hoặc +84 912.345.678, CMND `123456789`";
        let masked = mask_personal(line);
        assert_eq!(masked, "CCCD ***, SĐT *** hoặc +***, CMND `***`");
        for kept in [
            "hồ sơ H22.39.15-261127-0001",
            "sự kiện số 12345678 lúc 2026-11-27T10:00:00+07:00",
            "đơn vị 000.00.06.H56, 3 hồ sơ",
        ] {
            assert_eq!(mask_personal(kept), kept);
        }
        assert_eq!(mask_personal("số 22190001234"), "số ***");
        assert_eq!(mask_personal(""), "");
    }
}
