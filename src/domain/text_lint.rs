//! Is a displayed text Vietnamese? Finds English words and research markers (notes such
//! as "UNCONFIRMED", "Art 11(1)(b)", "2026 portal asks …") in text a clerk or citizen
//! reads: catalogue entries are printed on receipts.
//!
//! A word passes when, with its diacritics removed, it has the shape of a Vietnamese
//! syllable (initial consonant, one to three vowels, allowed final); short all-capital
//! words are abbreviations (UBND, HĐND, CCCD, NĐ-CP), single letters number the points of
//! a legal text, and words with digits are numbers or document numbers. English words that happen to have a Vietnamese shape ("the", "to",
//! "see") are listed, but only match when written without diacritics ("thẻ" passes).

use crate::domain::text;

/// Substrings that only research notes contain (compared case-insensitively, without
/// diacritics).
const MARKERS: [&str; 11] = [
    "unconfirmed",
    "todo",
    "fixme",
    "index id",
    "github",
    "http",
    "portal",
    "->",
    "=>",
    "tnt ",
    "e.g.",
];

/// English words with the shape of a Vietnamese syllable, matched only when the word is
/// written without any diacritic.
const ENGLISH_SHAPED: [&str; 24] = [
    "the", "to", "is", "as", "at", "by", "on", "no", "or", "see", "per", "via", "max", "min",
    "day", "law", "case", "same", "only", "note", "asks", "new", "old", "art",
];

const INITIALS: [&str; 27] = [
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "g", "h",
    "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
];

const FINALS: [&str; 13] = [
    "ng", "nh", "ch", "c", "m", "n", "p", "t", "i", "o", "u", "y", "",
];

/// Longest all-capital word still read as an abbreviation (HĐND, CCCD, BLĐTBXH …).
const MAX_ABBREVIATION: usize = 8;

/// What in `s` is not Vietnamese: research markers and foreign words, in order.
pub fn foreign_words(s: &str) -> Vec<String> {
    let mut found = Vec::new();
    let folded = format!(" {} ", text::fold(s));
    for marker in MARKERS {
        if folded.contains(marker) {
            found.push(marker.to_string());
        }
    }
    for word in s.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() || word.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        // A lone letter numbers a point of a legal text ("điểm a, b khoản 1").
        if is_abbreviation(word) || word.chars().count() == 1 {
            continue;
        }
        let lower = word.to_lowercase();
        let english = lower.is_ascii() && ENGLISH_SHAPED.contains(&lower.as_str());
        if english || !is_vietnamese_syllable(&text::fold(&lower)) {
            found.push(word.to_string());
        }
    }
    found
}

fn is_abbreviation(word: &str) -> bool {
    let count = word.chars().count();
    (2..=MAX_ABBREVIATION).contains(&count) && word.chars().all(|c| c.is_uppercase())
}

/// `w` is lowercase ASCII (diacritics folded, đ → d).
fn is_vietnamese_syllable(w: &str) -> bool {
    if !w.is_ascii() {
        return false;
    }
    INITIALS.iter().filter(|i| w.starts_with(*i)).any(|i| {
        let rest = &w[i.len()..];
        FINALS.iter().filter(|f| rest.ends_with(*f)).any(|f| {
            let nucleus = &rest[..rest.len() - f.len()];
            (1..=3).contains(&nucleus.len()) && nucleus.chars().all(|c| "aeiouy".contains(c))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_text_passes() {
        for s in [
            "Thủ tục đăng ký khai sinh",
            "Giấy tờ tùy thân (hộ chiếu, thẻ căn cước công dân, căn cước điện tử)",
            "Luật Hộ tịch số 60/2014/QH13 (Điều 11, 17, 18)",
            "trường hợp điểm a, b khoản 1 Điều 31; Thông tư số 01/2019/TT-BLĐTBXH",
            "Nghị định số 123/2015/NĐ-CP; Thông tư số 04/2020/TT-BTP",
            "Phí 2.000 đồng/trang; từ trang thứ 3 trở lên 1.000 đồng/trang",
            "Trường hợp cần xác minh điều kiện kết hôn: 05 ngày làm việc",
            "Ủy ban nhân dân cấp xã nơi cư trú của một trong hai bên; HĐND tỉnh; UBND",
            "Nghiêng, khuyết, quyền, người, giường, khuỷu, ngoằn ngoèo, quýt",
        ] {
            assert_eq!(foreign_words(s), Vec::<String>::new(), "{s}");
        }
    }

    #[test]
    fn research_notes_are_caught() {
        let cases = [
            ("(2026 portal asks CCCD cha, mẹ; GCN kết hôn)", "portal"),
            ("Luật HT Art 11(1)(b)", "Art"),
            ("UNCONFIRMED detail, ND 123/2015", "unconfirmed"),
            ("WORKING_DAY (max; normally same day)", "normally"),
            ("nhận sau 15h không giải quyết kịp -> trả", "->"),
            ("see index id 1360056806", "index id"),
            ("confidence: HIGH (law text)", "confidence"),
        ];
        for (s, expected) in cases {
            let found = foreign_words(s);
            assert!(
                found.iter().any(|w| w == expected),
                "{s}: {found:?} lacks {expected}"
            );
        }
    }

    #[test]
    fn diacritics_tell_vietnamese_from_english_shaped_words() {
        assert!(foreign_words("thẻ căn cước").is_empty());
        assert_eq!(foreign_words("the card"), ["the", "card"]);
    }
}
