//! Hostile input (issue #7): property tests over everything that parses what a scanner,
//! a clerk's JSON or a desk on the network sends: the chip-card QR string, the intake
//! JSON, the 12-digit personal ID, and the centre's push/enroll bodies.
//!
//! Three kinds of property: nothing panics on arbitrary or near-valid input; a valid
//! input with one thing broken is refused with an error that names that thing; a valid
//! generated input comes back as the values it was built from.
//!
//! The default number of cases keeps the file well under 30 s in a debug build; set
//! `PROPTEST_CASES=N` for a longer run (coverage-guided fuzzing: `tests/fuzz/run.sh`).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use axum::http::StatusCode;
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime};
use motcua::centre::auth::AuthedDesk;
use motcua::centre::request::{decode_body, decode_enroll, decode_push};
use motcua::domain::applicant::{ApplicantError, Gender, Identity, PersonalId};
use motcua::domain::calendar::WorkCalendar;
use motcua::domain::catalogue_seed::seed_catalogue;
use motcua::domain::cccd_qr::{CccdQr, QrError, parse_cccd_qr};
use motcua::domain::clock::{Timestamp, format_rfc3339, from_wall, to_wall};
use motcua::domain::dossier::{Channel, DossierContent};
use motcua::domain::dossier_code::DossierCode;
use motcua::domain::due::WorkingHours;
use motcua::domain::event::{Actor, ActorRole, Event, EventBody, EventId};
use motcua::domain::intake::{IntakeContext, IntakeError, IntakeInput};
use motcua::domain::limit_choice::{default_case, typed_limit_max};
use motcua::domain::procedure::Procedure;
use motcua::domain::text::{TextError, nfc};
use motcua::domain::time_limit::TimeUnit;
use motcua::domain::unit::UnitCode;
use motcua::sync::protocol::{EnrollRequest, MAX_PUSH_EVENTS, OutboxEvent, PushRequest};
use motcua::sync::wire;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Value, json};
use uuid::Uuid;

// ---------------------------------------------------------------------------------------
// Shared generators
// ---------------------------------------------------------------------------------------

/// `default` cases unless `PROPTEST_CASES` says otherwise.
fn cases(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

#[derive(serde::Deserialize)]
struct ProvinceTable {
    codes: BTreeMap<String, String>,
}

/// The province codes the ID check knows, read from the shipped table.
static PROVINCES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let raw = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/cccd_province_codes.json"
    ));
    serde_json::from_str::<ProvinceTable>(raw)
        .expect("province table")
        .codes
        .into_keys()
        .collect()
});

/// Three-digit codes that are not provinces.
static NOT_PROVINCES: LazyLock<Vec<String>> = LazyLock::new(|| {
    (0..1000)
        .map(|n| format!("{n:03}"))
        // A first digit other than 0 is a country code (birth registered abroad).
        .filter(|c| c.starts_with('0') && !PROVINCES.contains(c))
        .collect()
});

/// "Today" and "now" of every intake here: Fri 27/11/2026 16:00 in Vietnam.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).expect("date")
}

fn now() -> Timestamp {
    from_wall(today().and_hms_opt(16, 0, 0).expect("time"))
}

/// Someone as their card describes them.
#[derive(Debug, Clone)]
struct Person {
    province: String,
    dob: NaiveDate,
    gender: Gender,
    serial: u32,
    name: String,
    address: String,
    old_id: Option<String>,
    issued: NaiveDate,
}

impl Person {
    /// The 12-digit ID that agrees with the birth year and gender.
    fn id(&self) -> String {
        id_for(&self.province, self.dob.year(), self.gender, self.serial)
    }
}

fn id_for(province: &str, year: i32, gender: Gender, serial: u32) -> String {
    let g = (year / 100 - 19) * 2 + i32::from(gender == Gender::Female);
    format!("{province}{g}{:02}{serial:06}", year % 100)
}

const VI_LOWER: &str = "[a-zàáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]";

/// A Vietnamese-looking name: 1–5 capitalised words of letters.
fn name() -> impl Strategy<Value = String> {
    let word = format!("[A-ZĐÁÂĂÊÔƠƯ]{VI_LOWER}{{0,7}}");
    let word = proptest::string::string_regex(&word).expect("regex");
    prop::collection::vec(word, 1..=5).prop_map(|w| w.join(" "))
}

/// An address: letters and digits of any script, spaces and common punctuation.
fn address() -> impl Strategy<Value = String> {
    "[\\p{L}\\p{N}][\\p{L}\\p{N} ,./-]{0,80}".prop_map(|s| s.trim_end().to_string())
}

fn date_in(years: std::ops::RangeInclusive<i32>) -> impl Strategy<Value = NaiveDate> {
    (years, 1u32..=365).prop_map(|(y, d)| NaiveDate::from_yo_opt(y, d).expect("day of year"))
}

/// A person born between 1900 and `max_year` (the ID encodes centuries up to 2199).
fn person(max_year: i32) -> impl Strategy<Value = Person> {
    (
        select(PROVINCES.clone()),
        date_in(1900..=max_year),
        any::<bool>(),
        0u32..1_000_000,
        name(),
        address(),
        prop::option::of("[0-9]{9}"),
        0u64..30_000,
    )
        .prop_map(
            |(province, dob, female, serial, name, address, old_id, after)| Person {
                province,
                dob,
                gender: if female { Gender::Female } else { Gender::Male },
                serial,
                name,
                address,
                old_id,
                issued: dob.checked_add_days(Days::new(after)).unwrap_or(dob),
            },
        )
}

fn ddmmyyyy(d: NaiveDate) -> String {
    d.format("%d%m%Y").to_string()
}

/// The seven QR fields of a person, in order.
fn qr_fields(p: &Person, gender: &str) -> Vec<String> {
    vec![
        p.id(),
        p.old_id.clone().unwrap_or_default(),
        p.name.clone(),
        ddmmyyyy(p.dob),
        gender.to_string(),
        p.address.clone(),
        ddmmyyyy(p.issued),
    ]
}

fn expected_qr(p: &Person) -> CccdQr {
    CccdQr {
        id_number: p.id(),
        old_id: p.old_id.clone(),
        full_name: nfc(&p.name),
        date_of_birth: p.dob,
        gender: p.gender,
        address: nfc(&p.address),
        issued_on: p.issued,
    }
}

/// A person's QR string with field `i` replaced by `value`.
fn qr_with(p: &Person, i: usize, value: &str) -> String {
    let mut f = qr_fields(p, p.gender.label_vi());
    f[i] = value.to_string();
    f.join("|")
}

/// A broken ID and the error it must give.
fn bad_id() -> impl Strategy<Value = (String, ApplicantError)> {
    let not_digit = (
        select(PROVINCES.clone()),
        "[0-9]{9}",
        0usize..12,
        select(vec![
            'a', 'O', 'l', '٣', '０', '²', '-', '.', '/', '+', '#', 'ễ', '\u{200B}',
        ]),
    )
        .prop_map(|(p, rest, at, c)| {
            let mut chars: Vec<char> = format!("{p}{rest}").chars().collect();
            chars[at] = c;
            let raw: String = chars.into_iter().collect();
            (raw.clone(), ApplicantError::IdNotDigits(raw))
        });
    let length = (0usize..=40)
        .prop_filter("not 12", |n| *n != 12 && *n != 0)
        .prop_flat_map(|n| prop::collection::vec(0u8..10, n))
        .prop_map(|d| {
            let raw: String = d.iter().map(|x| char::from(b'0' + x)).collect();
            let n = raw.len();
            (raw, ApplicantError::IdLength(n))
        });
    let province = (select(NOT_PROVINCES.clone()), "[0-9]{9}").prop_map(|(code, rest)| {
        let id = format!("{code}{rest}");
        (
            id.clone(),
            ApplicantError::IdProvince {
                id,
                code: code.clone(),
            },
        )
    });
    let empty = select(vec!["", " ", "\t", "\u{3000}", " \u{a0} "])
        .prop_map(|s| (s.to_string(), ApplicantError::IdEmpty));
    prop_oneof![not_digit, length, province, empty]
}

/// A text that a required free-text field must refuse, for a field of at most `max`
/// characters, with the refusal expected for field key `field`.
fn bad_text(max: usize) -> impl Strategy<Value = (String, fn(&TextError) -> bool)> {
    fn required(e: &TextError) -> bool {
        matches!(e, TextError::Required { .. })
    }
    fn control(e: &TextError) -> bool {
        matches!(e, TextError::ControlChar { .. })
    }
    fn replacement(e: &TextError) -> bool {
        matches!(e, TextError::ReplacementChar { .. })
    }
    fn too_long(e: &TextError) -> bool {
        matches!(e, TextError::TooLong { .. })
    }
    prop_oneof![
        select(vec!["", " ", "  \u{3000} "])
            .prop_map(|s| (s.to_string(), required as fn(&TextError) -> bool)),
        (
            "[a-zđ]{1,10}",
            select(vec![
                '\u{0}', '\u{7}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9b}'
            ]),
            "[a-zđ]{1,10}"
        )
            .prop_map(|(a, c, b)| (format!("{a}{c}{b}"), control as fn(&TextError) -> bool)),
        ("[a-z]{1,10}", "[a-z]{0,10}").prop_map(|(a, b)| (
            format!("{a}\u{FFFD}{b}"),
            replacement as fn(&TextError) -> bool
        )),
        (max + 1..max * 40).prop_map(|n| ("ễ".repeat(n), too_long as fn(&TextError) -> bool)),
    ]
}

/// A date string that is not a real `ddmmyyyy` date from 1900 on.
fn bad_ddmmyyyy() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{0,7}",
        "[0-9]{9,12}",
        "(3[2-9]|[4-9][0-9]|00)(0[1-9]|1[0-2])(19|20)[0-9]{2}",
        "(0[1-9]|1[0-9]|2[0-8])(00|1[3-9]|[2-9][0-9])(19|20)[0-9]{2}",
        "(0[1-9]|1[0-9]|2[0-8])(0[1-9]|1[0-2])(1[0-8][0-9]{2}|0[0-9]{3})",
        "(30|31)02[0-9]{4}",
        Just("2003-03-21".to_string()),
        Just("21/03/2003".to_string()),
        "[0-9]{2}[a-z٣][0-9]{5}",
    ]
}

// ---------------------------------------------------------------------------------------
// 1. The chip-card QR string
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn qr_never_panics_on_arbitrary_text(s in any::<String>()) {
        let _ = parse_cccd_qr(&s);
    }

    #[test]
    fn qr_never_panics_on_qr_like_text(
        s in "[0-9|NamNữu \u{303}\u{31b}\r\n\t\u{FEFF}\u{200B}\u{0}\u{FFFD}ễ٣]{0,120}"
    ) {
        let _ = parse_cccd_qr(&s);
    }

    /// A QR string built from a person, with a scanner's noise around it, reads back as
    /// exactly that person.
    #[test]
    fn qr_round_trips(
        p in person(2199),
        gender in prop::bool::ANY,
        prefix in select(vec!["", "\u{FEFF}", "  ", "\t", "\u{FEFF} "]),
        suffix in select(vec!["", "\r\n", "\n", " \t", "|", "|\r\n", "\r"]),
    ) {
        let spelling = if gender { p.gender.label_vi().to_string() } else {
            match p.gender { Gender::Male => "nam".into(), Gender::Female => "nu".into() }
        };
        let raw = format!("{prefix}{}{suffix}", qr_fields(&p, &spelling).join("|"));
        prop_assert_eq!(parse_cccd_qr(&raw), Ok(expected_qr(&p)));
    }

    /// The same person read from every accepted spelling of the gender, and from NFD text.
    #[test]
    fn qr_gender_spellings_and_nfd(p in person(2025), g in any::<u8>()) {
        let spelling = {
            let options: Vec<&str> = match p.gender {
                Gender::Male => vec!["Nam", "nam", "NAM", " Nam "],
                Gender::Female => vec!["Nữ", "nữ", "NỮ", "Nu", "nu", "Nu\u{31b}\u{303}"],
            };
            options[usize::from(g) % options.len()]
        };
        let raw = qr_fields(&p, spelling).join("|");
        prop_assert_eq!(parse_cccd_qr(&raw), Ok(expected_qr(&p)));
        use unicode_normalization::UnicodeNormalization;
        let nfd: String = raw.nfd().collect();
        prop_assert_eq!(parse_cccd_qr(&nfd), Ok(expected_qr(&p)));
    }

    #[test]
    fn qr_bad_id_is_named(p in person(2199), (bad, err) in bad_id()) {
        prop_assert_eq!(parse_cccd_qr(&qr_with(&p, 0, &bad)), Err(QrError::IdNumber(err)));
    }

    /// Whitespace anywhere inside the ID (typed or scanned in groups) changes nothing.
    #[test]
    fn qr_id_with_spaces_inside(
        p in person(2199),
        cuts in prop::collection::vec((1usize..12, select(vec![" ", "\u{a0}", "\u{2009}"])), 1..4),
    ) {
        let mut id = p.id();
        let mut cuts = cuts;
        cuts.sort_by_key(|c| std::cmp::Reverse(c.0));
        for (at, space) in cuts {
            id.insert_str(at, space);
        }
        prop_assert_eq!(parse_cccd_qr(&qr_with(&p, 0, &id)), Ok(expected_qr(&p)));
    }

    #[test]
    fn qr_bad_old_id_is_named(
        p in person(2199),
        bad in prop_oneof!["[0-9]{1,8}", "[0-9]{10,15}", "[0-9]{4}[A-Za-z٣][0-9]{4}"],
    ) {
        prop_assert_eq!(parse_cccd_qr(&qr_with(&p, 1, &bad)), Err(QrError::OldId(bad)));
    }

    #[test]
    fn qr_bad_name_is_named(p in person(2199), (bad, kind) in bad_text(100)) {
        match parse_cccd_qr(&qr_with(&p, 2, &bad)) {
            Err(QrError::Text(e)) => {
                prop_assert_eq!(e.field(), "full_name");
                prop_assert!(kind(&e), "{e:?}");
            }
            other => prop_assert!(false, "{other:?}"),
        }
    }

    #[test]
    fn qr_bad_address_is_named(p in person(2199), (bad, kind) in bad_text(300)) {
        match parse_cccd_qr(&qr_with(&p, 5, &bad)) {
            Err(QrError::Text(e)) => {
                prop_assert_eq!(e.field(), "address");
                prop_assert!(kind(&e), "{e:?}");
            }
            other => prop_assert!(false, "{other:?}"),
        }
    }

    #[test]
    fn qr_bad_dates_are_named(
        p in person(2199),
        bad in bad_ddmmyyyy(),
        pad in select(vec!["", " ", "\t "]),
    ) {
        // The error quotes the field as scanned, without the padding around it.
        let padded = format!("{pad}{bad}{pad}");
        prop_assert_eq!(
            parse_cccd_qr(&qr_with(&p, 3, &padded)),
            Err(QrError::DateOfBirth(bad.clone()))
        );
        prop_assert_eq!(parse_cccd_qr(&qr_with(&p, 6, &padded)), Err(QrError::IssuedOn(bad)));
    }

    #[test]
    fn qr_bad_gender_is_named(
        p in person(2199),
        bad in "[A-Za-zơư]{0,6}".prop_filter("not a gender", |s| {
            let f = motcua::domain::text::fold(s);
            f != "nam" && f != "nu"
        }),
    ) {
        prop_assert_eq!(parse_cccd_qr(&qr_with(&p, 4, &bad)), Err(QrError::Gender(bad)));
    }

    #[test]
    fn qr_issued_before_birth_is_named(p in person(2199), before in 1u64..20_000) {
        let issued = p.dob.checked_sub_days(Days::new(before)).expect("date");
        prop_assume!(issued.year() >= 1900);
        prop_assert_eq!(
            parse_cccd_qr(&qr_with(&p, 6, &ddmmyyyy(issued))),
            Err(QrError::IssuedBeforeBirth { issued_on: issued, date_of_birth: p.dob })
        );
    }

    /// The card's own fields disagreeing with its ID: the ID is what is named, with the
    /// part that disagrees.
    #[test]
    fn qr_id_disagreeing_with_birth_year_or_gender(p in person(2150), shift in 1i32..50, which in 0u8..3) {
        let other_year = p.dob.with_year(p.dob.year() + shift)
            .or_else(|| p.dob.with_day(1).and_then(|d| d.with_year(d.year() + shift)))
            .expect("date");
        let other_gender = match p.gender { Gender::Male => Gender::Female, Gender::Female => Gender::Male };
        let mut f = qr_fields(&p, p.gender.label_vi());
        if which != 1 {
            f[3] = ddmmyyyy(other_year);
            f[6] = ddmmyyyy(other_year);
        }
        if which != 0 {
            f[4] = other_gender.label_vi().to_string();
        }
        let err = parse_cccd_qr(&f.join("|"));
        let id = p.id();
        let id_year = p.dob.year();
        let expected = match which {
            0 => ApplicantError::IdBirthYearMismatch { id, id_year, dob: other_year },
            1 => ApplicantError::IdGenderMismatch { id, id_gender: p.gender, gender: other_gender },
            _ => ApplicantError::IdBirthYearAndGenderMismatch {
                id, id_year, id_gender: p.gender, dob: other_year, gender: other_gender,
            },
        };
        prop_assert_eq!(err, Err(QrError::IdNumber(expected)));
    }

    /// An extra `|` anywhere but at the very end makes 8 fields with content: refused
    /// as such, whatever it split.
    #[test]
    fn qr_extra_separator(p in person(2199), at in any::<prop::sample::Index>()) {
        let raw = qr_fields(&p, p.gender.label_vi()).join("|");
        let bounds: Vec<usize> = raw.char_indices().map(|(i, _)| i).collect();
        let mut s = raw.clone();
        s.insert(bounds[at.index(bounds.len())], '|');
        prop_assert_eq!(parse_cccd_qr(&s), Err(QrError::FieldCount(8)));
    }

    /// A cut-off scan is never accepted: too few fields, or the cut last field named.
    #[test]
    fn qr_truncated(p in person(2199), at in any::<prop::sample::Index>()) {
        let raw = qr_fields(&p, p.gender.label_vi()).join("|");
        let bounds: Vec<usize> = raw.char_indices().map(|(i, _)| i).collect();
        let cut = &raw[..bounds[at.index(bounds.len())]];
        let seps = cut.matches('|').count();
        let got = parse_cccd_qr(cut);
        if cut.trim().is_empty() {
            prop_assert_eq!(got, Err(QrError::Empty));
        } else if seps < 6 {
            prop_assert_eq!(got, Err(QrError::FieldCount(seps + 1)));
        } else {
            let last = cut.rsplit('|').next().unwrap_or_default().to_string();
            prop_assert_eq!(got, Err(QrError::IssuedOn(last)));
        }
    }

    /// Odd Unicode inside the name: accepted as NFC text, or refused as the name's
    /// problem (control character or bidirectional override, mis-decoded text) and
    /// nothing else.
    #[test]
    fn qr_odd_unicode_in_name(
        p in person(2199),
        at in any::<prop::sample::Index>(),
        c in select(vec![
            '\u{200B}', '\u{200D}', '\u{200F}', '\u{202E}', '\u{FEFF}', '\u{0301}', '\u{0323}',
            '\u{a0}', '\u{2028}', '\u{3000}', '😀', '\u{10FFFF}', '\u{E000}', '\u{0}', '\u{7f}',
            '\u{85}', '\u{FFFD}', 'ﬁ', 'Ⅻ', '\u{1E9E}', '\u{0958}', 'Å', '\u{212B}',
        ]),
    ) {
        let mut name: Vec<char> = p.name.chars().collect();
        name.insert(at.index(name.len() + 1), c);
        let name: String = name.into_iter().collect();
        let cleaned = nfc(name.trim());
        let got = parse_cccd_qr(&qr_with(&p, 2, &name));
        // Bidirectional overrides reorder what is printed: refused like control characters.
        let unsafe_char =
            |c: char| c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
        if let Some(pos) = cleaned.chars().position(unsafe_char) {
            prop_assert!(
                matches!(&got, Err(QrError::Text(TextError::ControlChar { field: "full_name", position, .. })) if *position == pos + 1),
                "{got:?}"
            );
        } else if let Some(pos) = cleaned.chars().position(|c| c == '\u{FFFD}') {
            prop_assert!(
                matches!(&got, Err(QrError::Text(TextError::ReplacementChar { field: "full_name", position, .. })) if *position == pos + 1),
                "{got:?}"
            );
        } else {
            let mut expected = expected_qr(&p);
            expected.full_name = cleaned;
            prop_assert_eq!(got, Ok(expected));
        }
    }
}

proptest! {
    #![proptest_config(cases(16))]

    /// Huge inputs are refused by length or field count, never by a crash.
    #[test]
    fn qr_huge_fields(p in person(2199), n in 100_000usize..400_000, which in 0u8..3) {
        match which {
            0 => {
                let got = parse_cccd_qr(&qr_with(&p, 2, &"ễ".repeat(n)));
                prop_assert!(matches!(
                    &got,
                    Err(QrError::Text(TextError::TooLong { field: "full_name", actual, .. })) if *actual == n
                ), "{:?}", got);
            }
            1 => {
                let got = parse_cccd_qr(&qr_with(&p, 5, &"a ".repeat(n)));
                prop_assert!(matches!(
                    &got,
                    Err(QrError::Text(TextError::TooLong { field: "address", actual, .. })) if *actual == 2 * n - 1
                ), "{:?}", got);
            }
            _ => prop_assert_eq!(parse_cccd_qr(&"|".repeat(n)), Err(QrError::FieldCount(n + 1))),
        }
    }
}

// ---------------------------------------------------------------------------------------
// 2. The 12-digit personal ID
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(cases(512))]

    #[test]
    fn id_never_panics(s in any::<String>()) {
        let _ = PersonalId::parse(&s);
    }

    /// Against a model of the rule: accepted iff, once whitespace is removed, exactly 12
    /// ASCII digits whose first three are a known province or a country code (first
    /// digit not 0).
    #[test]
    fn id_matches_the_rule(s in "[0-9 \t\u{a0}٣０a]{0,16}|0[0-9]{2} ?[0-9]{3} ?[0-9]{6}") {
        let digits: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        let valid = digits.len() == 12
            && digits.bytes().all(|b| b.is_ascii_digit())
            && (PROVINCES.contains(&digits[..3].to_string()) || !digits.starts_with('0'));
        match PersonalId::parse(&s) {
            Ok(id) => {
                prop_assert!(valid, "{s:?} accepted");
                prop_assert_eq!(id.as_str(), digits.as_str());
            }
            Err(_) => prop_assert!(!valid, "{s:?} refused"),
        }
    }

    /// A generated ID decodes to the birth year and gender it was built from, and agrees
    /// with them; any disagreement is named precisely.
    #[test]
    fn id_round_trips(p in person(2199), other_year in 1900i32..2200) {
        let raw = p.id();
        let id = PersonalId::parse(&raw).expect("valid");
        prop_assert_eq!(id.as_str(), raw.as_str());
        prop_assert_eq!(id.birth_year(), p.dob.year());
        prop_assert_eq!(id.gender(), p.gender);
        prop_assert!(id.province_name().is_some_and(|p| !p.is_empty()));
        prop_assert_eq!(id.check_against(p.dob, p.gender), Ok(()));
        let other_gender = match p.gender { Gender::Male => Gender::Female, Gender::Female => Gender::Male };
        prop_assert_eq!(
            id.check_against(p.dob, other_gender),
            Err(ApplicantError::IdGenderMismatch { id: raw.clone(), id_gender: p.gender, gender: other_gender })
        );
        prop_assume!(other_year != p.dob.year());
        let dob = NaiveDate::from_ymd_opt(other_year, 1, 1).expect("date");
        prop_assert_eq!(
            id.check_against(dob, p.gender),
            Err(ApplicantError::IdBirthYearMismatch { id: raw.clone(), id_year: p.dob.year(), dob })
        );
        prop_assert_eq!(
            id.check_against(dob, other_gender),
            Err(ApplicantError::IdBirthYearAndGenderMismatch {
                id: raw, id_year: p.dob.year(), id_gender: p.gender, dob, gender: other_gender,
            })
        );
    }

    #[test]
    fn id_errors_are_precise((bad, err) in bad_id()) {
        prop_assert_eq!(PersonalId::parse(&bad), Err(err.clone()));
        // JSON (serde) goes through the same check.
        prop_assert!(serde_json::from_value::<PersonalId>(json!(bad)).is_err());
        prop_assert_eq!(err.field(), "id_number");
    }
}

// ---------------------------------------------------------------------------------------
// 3. The intake JSON
// ---------------------------------------------------------------------------------------

static CATALOGUE: LazyLock<Vec<Procedure>> = LazyLock::new(seed_catalogue);
static CALENDAR: LazyLock<WorkCalendar> = LazyLock::new(WorkCalendar::official);

fn intake(json: &str) -> Result<DossierContent, IntakeError> {
    let input = IntakeInput::from_json(json)?;
    let code = input.procedure_code()?;
    let procedure = CATALOGUE
        .iter()
        .find(|p| p.code == code)
        .unwrap_or(&CATALOGUE[0]);
    input.validate(IntakeContext {
        procedure,
        now: now(),
        calendar: &CALENDAR,
        hours: &WorkingHours::default(),
        clerk: "Trần Thị Mai",
    })
}

/// A valid intake: the JSON and what the dossier must then say.
#[derive(Debug, Clone)]
struct ValidIntake {
    json: Value,
    person: Person,
    procedure: Procedure,
    phone: Option<String>,
    email: Option<String>,
    sets: u32,
    channel: Channel,
    received_at: Option<NaiveDateTime>,
    by_qr: bool,
}

fn phone() -> impl Strategy<Value = (String, String)> {
    ("0[35789][0-9]", "[0-9]{3}", "[0-9]{4}", 0u8..4).prop_map(|(a, b, c, style)| {
        let domestic = format!("{a}{b}{c}");
        let typed = match style {
            0 => domestic.clone(),
            1 => format!("{a}{b} {c}"),
            2 => format!("{a}.{b}.{c}"),
            _ => format!("+84 {} {b} {c}", &a[1..]),
        };
        (typed, domestic)
    })
}

fn valid_intake() -> impl Strategy<Value = ValidIntake> {
    let procedures: Vec<Procedure> = CATALOGUE.clone();
    (
        person(2025),
        select(procedures),
        prop::option::of(phone()),
        prop::option::of("[a-z]{1,8}(\\.[a-z]{1,5})?@[a-z]{2,10}\\.(vn|com)"),
        prop::option::of(1u32..=99),
        prop::option::of(select(vec![
            ("in_person", Channel::InPerson),
            ("trực tuyến", Channel::Online),
            ("Bưu chính", Channel::Postal),
            ("truc-tiep", Channel::InPerson),
            ("2", Channel::Online),
        ])),
        prop::option::of(
            (0i64..3_000_000).prop_map(|min| now().naive_local() - chrono::Duration::minutes(min)),
        ),
        any::<bool>(),
        select(vec![
            "working-day",
            "day",
            "month",
            "hour",
            "same-day",
            "WORKING_DAY",
        ]),
        0u32..=1000,
    )
        .prop_map(
            |(p, procedure, phone, email, sets, channel, received_at, by_qr, unit, value)| {
                let mut json = json!({ "procedure": procedure.code.as_str() });
                if by_qr {
                    json["cccd_qr"] = json!(qr_fields(&p, p.gender.label_vi()).join("|"));
                    if let Some((typed, _)) = &phone {
                        json["phone"] = json!(typed);
                    }
                    if let Some(e) = &email {
                        json["email"] = json!(e);
                    }
                } else {
                    json["applicant"] = json!({
                        "full_name": p.name,
                        "id_number": p.id(),
                        "date_of_birth": p.dob.format("%Y-%m-%d").to_string(),
                        "gender": p.gender.label_vi(),
                        "address": p.address,
                        "phone": phone.as_ref().map(|(t, _)| t),
                        "email": email,
                    });
                }
                if let Some(s) = sets {
                    json["sets"] = json!(s);
                }
                if let Some((c, _)) = channel {
                    json["channel"] = json!(c);
                }
                if let Some(t) = received_at {
                    json["received_at"] = json!(format_rfc3339(from_wall(t)));
                }
                if procedure.time_limits.is_empty() {
                    // Within the bounds a clerk may type, with its reason.
                    let max = TimeUnit::from_cli(unit)
                        .or_else(|| TimeUnit::from_code(unit))
                        .map_or(1, typed_limit_max)
                        .max(1);
                    json["time_limit"] = json!({ "value": value % max + 1, "unit": unit,
                        "reason": "Điều 9 Nghị định 63/2010/NĐ-CP" });
                }
                ValidIntake {
                    json,
                    person: p,
                    procedure,
                    phone: phone.map(|(_, d)| d),
                    email,
                    sets: sets.unwrap_or(1),
                    channel: channel.map_or(Channel::InPerson, |(_, c)| c),
                    received_at,
                    by_qr,
                }
            },
        )
}

/// The valid intake with `field` set to `bad` (in the applicant form for its fields,
/// at the top level otherwise, where the QR's phone and e-mail also go).
fn break_one(v: &ValidIntake, field: &str, bad: Value) -> Value {
    let mut json = v.json.clone();
    let in_form = matches!(
        field,
        "full_name" | "id_number" | "date_of_birth" | "gender" | "address" | "phone" | "email"
    );
    if in_form && !v.by_qr {
        json["applicant"][field] = bad;
    } else {
        json[field] = bad;
    }
    json
}

fn fields_of(r: &Result<DossierContent, IntakeError>) -> Vec<&'static str> {
    match r {
        Ok(_) => Vec::new(),
        Err(e) => e.fields().iter().map(|f| f.field).collect(),
    }
}

/// A broken value for one intake field, as (field key, JSON value).
fn broken_field() -> impl Strategy<Value = (&'static str, Value)> {
    let text =
        |key: &'static str, max: usize| bad_text(max).prop_map(move |(s, _)| (key, json!(s)));
    prop_oneof![
        text("full_name", 100),
        ("[A-Za-zễ]{1,8}", "[0-9@#!?_]", "[a-zễ]{0,8}")
            .prop_map(|(a, c, b)| ("full_name", json!(format!("{a}{c}{b}")))),
        select(vec!["-", ". '", "’-"]).prop_map(|s| ("full_name", json!(s))),
        bad_id().prop_map(|(s, _)| ("id_number", json!(s))),
        prop_oneof![
            "[0-9]{1,7}",
            Just("21/03/2003".to_string()),
            Just("2003-02-30".to_string()),
            Just("1899-12-31".to_string()),
            Just("2026-11-28".to_string()),
            (2027i32..9999).prop_map(|y| format!("{y}-01-01")),
        ]
        .prop_map(|s| ("date_of_birth", json!(s))),
        "[A-Za-z]{0,6}"
            .prop_filter("not a gender", |s| {
                let f = motcua::domain::text::fold(s);
                f != "nam" && f != "nu"
            })
            .prop_map(|s| ("gender", json!(s))),
        text("address", 300),
        prop_oneof![
            "0[01246][0-9]{8}",
            "0[35789][0-9]{3,7}",
            "09[0-9]{2}[a-z][0-9]{5}",
            "\\+1 [0-9]{9}",
        ]
        .prop_map(|s| ("phone", json!(s))),
        prop_oneof![
            "[a-z]{1,8}",
            "[a-z]{1,8}@[a-z]{1,8}",
            "\\.[a-z]{1,8}@[a-z]{2,8}\\.vn",
            "[a-z]{1,8}@-[a-z]{2,8}\\.vn",
        ]
        .prop_map(|s| ("email", json!(s))),
        prop_oneof![Just(0u64), 100u64..=u64::from(u32::MAX)].prop_map(|n| ("sets", json!(n))),
        "[a-z ]{1,12}"
            .prop_filter("not a channel", |s| motcua::domain::intake::parse_channel(
                s
            )
            .is_none())
            .prop_map(|s| ("channel", json!(s))),
        text("result_at", 300),
        prop_oneof![
            Just("27/11/2026 09:00".to_string()),
            Just("2026-11-27 09:00".to_string()),
            Just("2026-11-27T09:00:00".to_string()),
            Just("1999-12-31T23:00:00+07:00".to_string()),
            Just("2026-11-27T16:06:00+07:00".to_string()),
            (2027i32..=9999).prop_map(|y| format!("{y}-01-01T00:00:00Z")),
            "[0-9T:+-]{0,25}".prop_filter("not RFC 3339", |s| {
                chrono::DateTime::parse_from_rfc3339(s).is_err()
            }),
        ]
        .prop_map(|s| ("received_at", json!(s))),
        prop_oneof![
            (1001u64..=u64::from(u32::MAX)).prop_map(|v| json!({"value": v, "unit": "day"})),
            "[a-z]{1,10}"
                .prop_filter("not a unit", |u| !matches!(
                    u.as_str(),
                    "day" | "month" | "hour"
                ))
                .prop_map(|u| json!({"value": 3, "unit": u})),
        ]
        .prop_map(|v| ("time_limit", v)),
        prop_oneof![
            (101usize..200).prop_map(|n| json!(vec![json!({"name": "Tờ khai"}); n])),
            prop_oneof![Just(0u64), 1000u64..=u64::from(u32::MAX)]
                .prop_map(|c| json!([{"name": "Tờ khai", "count": c}])),
            bad_text(500).prop_map(|(s, _)| json!([{"name": "Bản sao", "count": 1}, {"name": s}])),
        ]
        .prop_map(|v| ("documents", v)),
        bad_id().prop_map(|(id, _)| (
            "authorised",
            json!({"full_name": "Lê Văn Lương", "id_number": id, "address": "Hồng Gai",
                   "authorisation_document": "Giấy ủy quyền số 12/2026"})
        )),
    ]
}

proptest! {
    #![proptest_config(cases(128))]

    #[test]
    fn intake_never_panics_on_text(s in any::<String>()) {
        let _ = intake(&s);
    }

    #[test]
    fn intake_never_panics_on_json_values(v in arbitrary_json()) {
        let _ = intake(&v.to_string());
    }

    /// A valid generated intake (typed applicant or scanned QR) becomes a dossier that
    /// states exactly what was given, due no earlier than it was received.
    #[test]
    fn intake_round_trips(v in valid_intake()) {
        let content = intake(&v.json.to_string());
        let content = match content {
            Ok(c) => c,
            Err(e) => return Err(TestCaseError::fail(format!("{e}\n{}", v.json))),
        };
        let a = &content.applicant;
        prop_assert_eq!(&a.full_name, &nfc(&v.person.name));
        prop_assert_eq!(a.id_text(), v.person.id());
        prop_assert_eq!(
            &a.identity,
            &Identity::Citizen {
                id_number: PersonalId::parse(&v.person.id()).expect("valid"),
                date_of_birth: v.person.dob,
                gender: v.person.gender,
            }
        );
        prop_assert_eq!(&a.address, &nfc(&v.person.address));
        prop_assert_eq!(&a.phone, &v.phone);
        prop_assert_eq!(&a.email, &v.email);
        prop_assert_eq!(content.sets, v.sets);
        prop_assert_eq!(content.channel, v.channel);
        prop_assert_eq!(&content.procedure.code, &v.procedure.code);
        let received = v.received_at.map_or(now(), from_wall);
        if !v.procedure.time_limits.is_empty() {
            // The default case: the one due first from this receipt (issue 19 §4).
            let index = default_case(
                &v.procedure.time_limits,
                to_wall(received),
                &CALENDAR,
                &WorkingHours::default(),
            );
            prop_assert_eq!(content.procedure.time_limit, v.procedure.time_limits[index].limit);
            // Issue 19: only the papers every applicant hands in are assumed.
            let handed_in = v.procedure.documents.iter().filter(|d| d.ticked_by_default()).count();
            prop_assert_eq!(content.documents.len(), handed_in);
        }
        prop_assert_eq!(content.received_at, received);
        prop_assert!(content.due_at >= content.received_at, "due {} before {}", content.due_at, content.received_at);
        let _ = v.by_qr;
    }

    /// One broken field: refused, and every error names that field and no other.
    #[test]
    fn intake_errors_name_the_broken_field(v in valid_intake(), (field, bad) in broken_field()) {
        // The QR carries neither a typed name nor address etc.; break those only in the form.
        prop_assume!(!v.by_qr || matches!(field, "phone" | "email" | "sets" | "channel"
            | "result_at" | "received_at" | "time_limit" | "documents" | "authorised"));
        // A time limit given for a procedure that has one overrides it, so it is checked
        // just the same.
        let json = break_one(&v, field, bad);
        let got = intake(&json.to_string());
        let fields = fields_of(&got);
        prop_assert!(!fields.is_empty(), "accepted: {json}");
        prop_assert!(fields.iter().all(|f| *f == field), "{field}: {fields:?} for {json}");
    }

    /// A valid JSON cut anywhere is a syntax error of the whole document.
    #[test]
    fn intake_truncated_json(v in valid_intake(), at in any::<prop::sample::Index>()) {
        let raw = v.json.to_string();
        let bounds: Vec<usize> = raw.char_indices().map(|(i, _)| i).collect();
        let cut = &raw[..bounds[at.index(bounds.len())]];
        let got = intake(cut);
        prop_assert_eq!(fields_of(&got), vec!["json"]);
        let msg = got.err().map(|e| e.to_string()).unwrap_or_default();
        prop_assert!(msg.contains("sai cú pháp"), "{msg}");
    }

    /// An unknown key is named, wherever it is.
    #[test]
    fn intake_unknown_key_is_named(
        v in valid_intake(),
        key in "[a-z_]{1,12}".prop_filter("unknown", |k| !matches!(k.as_str(),
            "procedure" | "applicant" | "cccd_qr" | "phone" | "email" | "authorised"
            | "documents" | "sets" | "channel" | "result_at" | "received_at" | "time_limit" | "time_limit_case"
            | "full_name" | "id_number" | "date_of_birth" | "gender" | "address"
            | "kind" | "representative" | "nationality")),
        nested in any::<bool>(),
    ) {
        let mut json = v.json.clone();
        if nested && !v.by_qr {
            json["applicant"][&key] = json!("x");
        } else {
            json[&key] = json!(1);
        }
        let got = intake(&json.to_string());
        prop_assert_eq!(fields_of(&got), vec!["json"]);
        let msg = got.err().map(|e| e.to_string()).unwrap_or_default();
        prop_assert!(msg.contains(&format!("Khóa '{key}' không được hỗ trợ")), "{msg}");
    }

    /// A missing required key or a value of the wrong type is named.
    #[test]
    fn intake_missing_or_mistyped(v in valid_intake(), which in 0u8..3) {
        let mut json = v.json.clone();
        let expect = match which {
            0 => {
                json.as_object_mut().expect("object").remove("procedure");
                "Thiếu khóa bắt buộc 'procedure'"
            }
            1 => {
                json["sets"] = json!("hai");
                "Giá trị không đúng kiểu"
            }
            _ => {
                json["sets"] = json!(-1);
                "Giá trị không đúng kiểu"
            }
        };
        let got = intake(&json.to_string());
        prop_assert_eq!(fields_of(&got), vec!["json"]);
        let msg = got.err().map(|e| e.to_string()).unwrap_or_default();
        prop_assert!(msg.contains(expect), "{msg}");
    }
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let keys = select(vec![
        "procedure",
        "applicant",
        "cccd_qr",
        "phone",
        "sets",
        "channel",
        "documents",
        "received_at",
        "time_limit",
        "value",
        "unit",
        "name",
        "count",
        "full_name",
        "id_number",
        "date_of_birth",
        "gender",
        "address",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,20}".prop_map(Value::from),
        Just(json!("1.004873")),
        Just(json!("034303011829")),
        Just(json!("2026-11-27T09:00:00+07:00")),
    ];
    leaf.prop_recursive(4, 48, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(keys.clone(), inner, 0..8).prop_map(|m| Value::Object(
                m.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
            )),
        ]
    })
}

// ---------------------------------------------------------------------------------------
// 4. The centre's request bodies
// ---------------------------------------------------------------------------------------

const UNIT: &str = "H22.39.15";

fn desk() -> AuthedDesk {
    AuthedDesk {
        desk_id: Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001),
        unit_code: UNIT.into(),
        desk_index: 0,
    }
}

/// A valid received dossier content, made once through the real intake.
static CONTENT: LazyLock<DossierContent> = LazyLock::new(|| {
    intake(
        &json!({"procedure": "2.000884",
                "cccd_qr": "034303011829||Nguyễn Thị Hoa|21032003|Nữ|Thôn Lai Ổn, An Quý|14082021"})
        .to_string(),
    )
    .expect("valid intake")
});

fn event(unit: &str, origin: String) -> impl Strategy<Value = Event> {
    let unit = UnitCode::parse(unit).expect("unit");
    (
        any::<u128>(),
        date_in(2000..=2099),
        1u16..=9999,
        0u32..86_400,
        ".{0,40}",
        ".{0,60}",
        0u8..5,
    )
        .prop_map(move |(id, date, number, secs, who, text, kind)| {
            let at = from_wall(
                date.and_hms_opt(0, 0, 0).expect("midnight")
                    + chrono::Duration::seconds(i64::from(secs)),
            );
            let body = match kind {
                0 => EventBody::Received {
                    content: Box::new(CONTENT.clone()),
                    numbers: None,
                    deciding_unit: None,
                    tracking: None,
                    consent: None,
                },
                1 => EventBody::Transferred {
                    to: who,
                    note: text,
                },
                2 => EventBody::ResultReady { note: text },
                3 => EventBody::Returned {
                    collected_by: who,
                    note: text,
                },
                _ => EventBody::SupplementRequested {
                    items: vec![who, text.clone()],
                    reason: text,
                },
            };
            Event {
                id: EventId(Uuid::from_u128(id)),
                dossier: DossierCode::new(unit.clone(), date, number).expect("code"),
                at,
                actor: Actor {
                    name: "Trần Thị Mai".into(),
                    role: ActorRole::Clerk,
                },
                origin: origin.clone(),
                body,
            }
        })
}

/// A batch the centre must accept from [`desk`]: its unit, its origin, increasing seqs.
fn batch(max: usize) -> impl Strategy<Value = PushRequest> {
    (
        prop::collection::vec(
            (1i64..1000, event(UNIT, desk().desk_id.to_string())),
            0..max,
        ),
        1i64..1_000_000,
    )
        .prop_map(|(items, start)| {
            let mut seq = start;
            PushRequest {
                events: items
                    .into_iter()
                    .map(|(gap, event)| {
                        seq += gap;
                        OutboxEvent { seq, event }
                    })
                    .collect(),
            }
        })
}

fn status(r: &Result<PushRequest, motcua::centre::error::ApiError>) -> Option<StatusCode> {
    r.as_ref().err().map(|e| e.status())
}

proptest! {
    #![proptest_config(cases(256))]

    /// Any bytes under any Content-Encoding: refused as bad (400) or too large (413),
    /// never a panic, never a server error.
    #[test]
    fn push_never_panics_on_bytes(
        body in prop::collection::vec(any::<u8>(), 0..2048),
        enc in prop::option::of(prop_oneof![
            Just(b"gzip".to_vec()), Just(b"identity".to_vec()), Just(b"GZIP".to_vec()),
            prop::collection::vec(any::<u8>(), 0..10),
        ]),
    ) {
        let got = decode_push(&desk(), enc.as_deref(), &body);
        if let Err(e) = &got {
            prop_assert!(
                matches!(e.status(), StatusCode::BAD_REQUEST | StatusCode::PAYLOAD_TOO_LARGE | StatusCode::FORBIDDEN),
                "{e:?}"
            );
        }
        let _ = decode_enroll(enc.as_deref(), &body);
    }

    /// Bytes that are gzip of arbitrary text: the same.
    #[test]
    fn push_never_panics_on_gzipped_text(s in any::<String>(), v in arbitrary_json()) {
        let _ = decode_push(&desk(), Some(b"gzip"), &wire::gzip(s.as_bytes()));
        let _ = decode_push(&desk(), Some(b"gzip"), &wire::to_gzip_json(&json!({"events": [v]})));
        let _ = decode_enroll(Some(b"gzip"), &wire::to_gzip_json(&v));
    }
}

proptest! {
    #![proptest_config(cases(48))]

    /// A valid batch reads back as itself, gzip or plain.
    #[test]
    fn push_round_trips(req in batch(40), gzip in any::<bool>()) {
        let body = if gzip { wire::to_gzip_json(&req) } else { serde_json::to_vec(&req).expect("json") };
        let enc: Option<&[u8]> = if gzip { Some(b"gzip") } else if req.events.len() % 2 == 0 { None } else { Some(b"identity") };
        let got = decode_push(&desk(), enc, &body);
        prop_assert_eq!(got.ok(), Some(req));
    }

    /// A corrupted byte or a cut in the gzip stream: refused, or (in the few header bytes
    /// gzip does not check, or past the end of the stream) the very same request, never
    /// a different one.
    #[test]
    fn push_corruption_is_caught(
        req in batch(8),
        at in any::<prop::sample::Index>(),
        flip in 1u8..=255,
        cut in any::<bool>(),
    ) {
        let mut body = wire::to_gzip_json(&req);
        let i = at.index(body.len());
        if cut {
            body.truncate(i);
        } else {
            body[i] ^= flip;
        }
        match decode_push(&desk(), Some(b"gzip"), &body) {
            Ok(got) => prop_assert_eq!(got, req),
            Err(e) => prop_assert_eq!(e.status(), StatusCode::BAD_REQUEST, "{}", e),
        }
    }

    /// One event out of order: refused with 400 naming that event's seq.
    #[test]
    fn push_bad_seq_is_named(req in batch(12), at in any::<prop::sample::Index>(), back in 0i64..3, nonpositive in any::<bool>()) {
        prop_assume!(!req.events.is_empty());
        let mut req = req;
        let i = at.index(req.events.len());
        req.events[i].seq = if nonpositive || i == 0 { -back } else { req.events[i - 1].seq - back };
        let expect = if req.events[i].seq < 1 { "phải là số nguyên dương" } else { "không tăng dần" };
        let got = decode_push(&desk(), Some(b"gzip"), &wire::to_gzip_json(&req));
        prop_assert_eq!(status(&got), Some(StatusCode::BAD_REQUEST));
        let msg = got.err().map(|e| e.to_string()).unwrap_or_default();
        prop_assert!(msg.starts_with(&format!("events[{i}].seq")) && msg.contains(expect), "{msg}");
    }

    /// One event of another unit, or written by another machine: 403 naming it.
    #[test]
    fn push_foreign_event_is_named(
        req in batch(12),
        at in any::<prop::sample::Index>(),
        other_unit in event("H22.39.16", desk().desk_id.to_string()),
        other_origin in "[a-z0-9-]{1,36}",
        which in any::<bool>(),
    ) {
        prop_assume!(!req.events.is_empty());
        let mut req = req;
        let i = at.index(req.events.len());
        let expect = if which {
            // Only another unit's receipt is refused before the database is read: any
            // other step may be of a cross-commune dossier this unit decides, which
            // `cross::check_foreign` judges against the dossiers held (tests/centre_cross.rs).
            let receipt = matches!(other_unit.body, EventBody::Received { .. });
            req.events[i].event = other_unit;
            if !receipt {
                let got = decode_push(&desk(), None, &serde_json::to_vec(&req).expect("json"));
                prop_assert!(got.is_ok(), "{:?}", got.err());
                return Ok(());
            }
            "không thuộc đơn vị H22.39.15"
        } else {
            prop_assume!(other_origin != desk().desk_id.to_string());
            req.events[i].event.origin = other_origin;
            "sự kiện do máy khác ghi"
        };
        let got = decode_push(&desk(), None, &serde_json::to_vec(&req).expect("json"));
        prop_assert_eq!(status(&got), Some(StatusCode::FORBIDDEN));
        let msg = got.err().map(|e| e.to_string()).unwrap_or_default();
        prop_assert!(msg.starts_with(&format!("events[{i}]:")) && msg.contains(expect), "{msg}");
    }

    /// A key removed from one event: 400 naming the key.
    #[test]
    fn push_missing_key_is_named(req in batch(6), at in any::<prop::sample::Index>(), key in select(vec!["seq", "id", "dossier", "origin", "at"])) {
        prop_assume!(!req.events.is_empty());
        let mut json = serde_json::to_value(&req).expect("json");
        let i = at.index(req.events.len());
        let item = &mut json["events"][i];
        if key == "seq" {
            item.as_object_mut().expect("object").remove("seq");
        } else {
            item["event"].as_object_mut().expect("object").remove(key);
        }
        let got = decode_push(&desk(), None, json.to_string().as_bytes());
        prop_assert_eq!(status(&got), Some(StatusCode::BAD_REQUEST));
        let msg = got.err().map(|e| e.to_string()).unwrap_or_default();
        prop_assert!(msg.contains(&format!("missing field `{key}`")), "{msg}");
    }

    /// An enroll request reads back as itself; a missing key is named.
    #[test]
    fn enroll_round_trips(code in ".{0,30}", id in any::<u128>(), unit in "[A-Z0-9.]{1,12}", index in any::<u8>(), drop in prop::option::of(select(vec!["code", "desk_id", "unit_code", "desk_index"]))) {
        let req = EnrollRequest { code, desk_id: Uuid::from_u128(id), unit_code: unit, desk_index: index };
        prop_assert_eq!(decode_enroll(Some(b"gzip"), &wire::to_gzip_json(&req)).ok(), Some(req.clone()));
        let mut json = serde_json::to_value(&req).expect("json");
        if let Some(key) = drop {
            json.as_object_mut().expect("object").remove(key);
            let e = decode_enroll(None, json.to_string().as_bytes()).expect_err("missing");
            prop_assert_eq!(e.status(), StatusCode::BAD_REQUEST);
            prop_assert!(e.to_string().contains(&format!("missing field `{key}`")), "{e}");
        }
    }
}

proptest! {
    #![proptest_config(cases(4))]

    /// More events than a push may carry: 413 with the count, whatever they are.
    #[test]
    fn push_too_many_events(extra in 1usize..40, ev in event(UNIT, desk().desk_id.to_string())) {
        let n = MAX_PUSH_EVENTS + extra;
        let req = PushRequest {
            events: (1..=n as i64).map(|seq| OutboxEvent { seq, event: ev.clone() }).collect(),
        };
        let got = decode_push(&desk(), Some(b"gzip"), &wire::to_gzip_json(&req));
        prop_assert_eq!(status(&got), Some(StatusCode::PAYLOAD_TOO_LARGE));
        let msg = got.err().map(|e| e.to_string()).unwrap_or_default();
        prop_assert_eq!(msg, format!("Lô có {n} sự kiện, tối đa {MAX_PUSH_EVENTS}"));
    }

    /// A gzip bomb (small on the wire, over the limit once inflated) is 413 whatever
    /// it decompresses to.
    #[test]
    fn push_bomb_is_too_large(fill in select(vec![b' ', b'[', b'a', 0u8])) {
        let body = wire::gzip(&vec![fill; motcua::sync::protocol::MAX_JSON_BYTES + 1]);
        let got = decode_body::<Value>(Some(b"gzip"), &body);
        prop_assert_eq!(got.err().map(|e| e.status()), Some(StatusCode::PAYLOAD_TOO_LARGE));
    }
}
