//! The 12-digit personal ID, and its check against a date of birth and gender. The
//! first four bytes choose that date and gender; the rest is the typed ID.
#![no_main]

use chrono::{Datelike, NaiveDate};
use libfuzzer_sys::fuzz_target;
use motcua::domain::applicant::{Gender, PersonalId};

fuzz_target!(|data: &[u8]| {
    let [y0, y1, day, g, rest @ ..] = data else {
        return;
    };
    let year = 1900 + i32::from(u16::from_le_bytes([*y0, *y1]) % 500);
    let dob = NaiveDate::from_yo_opt(year, u32::from(*day) % 365 + 1).expect("day of year");
    let gender = if g & 1 == 0 {
        Gender::Male
    } else {
        Gender::Female
    };
    let Ok(raw) = std::str::from_utf8(rest) else {
        return;
    };
    match PersonalId::parse(raw) {
        Ok(id) => {
            let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
            assert_eq!(id.as_str(), digits);
            assert!(id.as_str().len() == 12 && id.as_str().bytes().all(|b| b.is_ascii_digit()));
            assert!(!id.birthplace_vi().is_empty());
            assert!((1900..=2399).contains(&id.birth_year()));
            let agrees = id.birth_year() == dob.year() && id.gender() == gender;
            assert_eq!(id.check_against(dob, gender).is_ok(), agrees);
            let json = serde_json::to_string(&id).expect("serialises");
            assert_eq!(serde_json::from_str::<PersonalId>(&json).ok(), Some(id));
        }
        Err(e) => {
            assert_eq!(e.field(), "id_number");
            assert!(!e.to_string().is_empty());
        }
    }
});
