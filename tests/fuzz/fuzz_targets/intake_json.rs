//! `motcua intake --json`: the JSON parsed and validated against the shipped catalogue
//! as the CLI does. A refusal names at least one field; an accepted dossier is due no
//! earlier than it was received and survives the JSON it is stored and synced as.
#![no_main]

use std::sync::LazyLock;

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use motcua::domain::calendar::WorkCalendar;
use motcua::domain::catalogue_seed::seed_catalogue;
use motcua::domain::clock::{Timestamp, from_wall};
use motcua::domain::dossier::DossierContent;
use motcua::domain::due::WorkingHours;
use motcua::domain::intake::{IntakeContext, IntakeInput};
use motcua::domain::procedure::Procedure;

static CATALOGUE: LazyLock<Vec<Procedure>> = LazyLock::new(seed_catalogue);
static CALENDAR: LazyLock<WorkCalendar> = LazyLock::new(WorkCalendar::official);
static NOW: LazyLock<Timestamp> = LazyLock::new(|| {
    from_wall(
        NaiveDate::from_ymd_opt(2026, 11, 27)
            .and_then(|d| d.and_hms_opt(16, 0, 0))
            .expect("valid"),
    )
});

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let input = match IntakeInput::from_json(raw) {
        Ok(input) => input,
        Err(e) => {
            assert_eq!(e.fields().len(), 1);
            assert_eq!(e.fields()[0].field, "json");
            return;
        }
    };
    let Ok(code) = input.procedure_code() else {
        return;
    };
    let procedure = CATALOGUE
        .iter()
        .find(|p| p.code == code)
        .unwrap_or(&CATALOGUE[0]);
    let hours = WorkingHours::default();
    match input.validate(IntakeContext {
        procedure,
        now: *NOW,
        calendar: &CALENDAR,
        hours: &hours,
        clerk: "Trần Thị Mai",
    }) {
        Ok(content) => {
            assert!(content.due_at >= content.received_at, "{content:?}");
            assert!(content.received_at <= *NOW + chrono::Duration::minutes(5));
            assert!((1..=99).contains(&content.sets));
            let json = serde_json::to_string(&content).expect("serialises");
            let back: DossierContent = serde_json::from_str(&json).expect("reads back");
            assert_eq!(back, content);
        }
        Err(e) => {
            assert!(!e.fields().is_empty());
            assert!(e.fields().iter().all(|f| !f.message.is_empty()));
        }
    }
});
