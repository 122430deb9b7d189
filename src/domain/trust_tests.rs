use super::*;
use crate::domain::clock::from_wall;

fn at(y: i32, m: u32, d: u32) -> Timestamp {
    from_wall(
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .expect("date"),
    )
}

#[test]
fn times_outside_the_era_or_ahead_of_the_clock_are_refused() {
    let now = at(2026, 11, 29);
    assert!(check_time("t", at(2026, 11, 29), now).is_ok());
    assert!(check_time("t", at(2015, 1, 1), now).is_ok());
    for bad in [
        at(1900, 1, 1),
        at(2014, 12, 31),
        at(2999, 1, 1),
        at(2026, 12, 1),
    ] {
        assert!(check_time("t", bad, now).is_err(), "{bad}");
    }
    // A desk clock hours ahead (a time-zone slip) is still a real dossier.
    assert!(check_time("t", now + Duration::hours(7), now).is_ok());
    assert!(check_time("t", now + Duration::hours(25), now).is_err());
}

/// The sync checks are intake's rules: whatever intake produced passes them, for
/// every procedure of the shipped catalogue (and the catalogue passes too).
#[test]
fn whatever_intake_produces_passes_the_sync_checks() {
    use crate::domain::calendar::WorkCalendar;
    use crate::domain::catalogue_seed::seed_catalogue;
    use crate::domain::due::WorkingHours;
    use crate::domain::intake::{IntakeContext, IntakeInput};
    const QR: &str = "034303011829||Nguyễn Thị Hoa|21032003|Nữ|Thôn Lai Ổn, An Quý, Quỳnh Phụ, Thái Bình|14082021";
    let now = at(2026, 11, 27);
    let (calendar, hours) = (WorkCalendar::official(), WorkingHours::default());
    let catalogue = seed_catalogue();
    assert!(check_catalogue(&catalogue).is_ok());
    for p in &catalogue {
        let mut json = serde_json::json!({
            "procedure": p.code.as_str(), "cccd_qr": QR, "phone": "0912 345 678",
            "authorised": {"full_name": "Lê Văn An", "id_number": "022090001234",
                "address": "Hạ Long", "authorisation_document": "Giấy ủy quyền số 1"},
        });
        if p.time_limits.is_empty() {
            json["time_limit"] = serde_json::json!({"value": 5, "unit": "working-day",
                "reason": "Điều 9 NĐ 63/2010/NĐ-CP"});
        }
        let content = IntakeInput::from_json(&json.to_string())
            .expect("json")
            .validate(IntakeContext {
                procedure: p,
                now,
                calendar: &calendar,
                hours: &hours,
                clerk: "Trần Thị Mai",
            })
            .expect("intake accepts it");
        assert_eq!(intake::check_content(&content, now), Ok(()), "{}", p.code);
    }
}

#[test]
fn a_receipt_number_must_lie_in_the_writers_range() {
    let code = DossierCode::parse("H22.39.15-261129-0999").expect("code");
    assert!(check_receipt_range(&code, DeskIndex::new(0).expect("k")).is_ok());
    let err = check_receipt_range(&code, DeskIndex::new(1).expect("k")).expect_err("foreign");
    assert!(err.contains("1001–1999"), "{err}");
}

mod documents {
    use super::*;
    use crate::domain::document::{FileRef, MediaType, Sha256Hex};
    use crate::domain::event::{Actor, ActorRole, EventId};

    fn event(body: EventBody) -> Event {
        Event {
            id: EventId::new(),
            dossier: DossierCode::parse("H22.39.15-261129-1001").expect("code"),
            at: at(2026, 11, 29),
            actor: Actor {
                name: "Lê Văn Bình".into(),
                role: ActorRole::Clerk,
            },
            origin: "desk-b".into(),
            body,
        }
    }

    fn file() -> FileRef {
        FileRef {
            sha256: Sha256Hex::of(b"scan"),
            name: "Giấy khai sinh.pdf".into(),
            media_type: MediaType::Pdf,
            size: 150_000,
            pages: 2,
        }
    }

    fn attached(item: &str, file: FileRef) -> Event {
        event(EventBody::DocumentAttached {
            item: item.into(),
            file,
        })
    }

    #[test]
    fn an_attach_from_another_machine_is_bounded_by_the_ceiling_not_our_settings() {
        let now = at(2026, 11, 29);
        assert_eq!(
            check_event(&attached("Bản sao Giấy khai sinh", file()), now),
            Ok(())
        );
        // Larger than this desk's default limit, within the ceiling: a real dossier.
        let mut big = file();
        big.size = 120 * 1024 * 1024;
        assert_eq!(
            check_event(&attached("Giấy khai sinh", big.clone()), now),
            Ok(())
        );
        big.size = DocumentLimits::CEILING.max_bytes + 1;
        let err = check_event(&attached("Giấy khai sinh", big), now).expect_err("ceiling");
        assert!(err.contains("vượt giới hạn"), "{err}");
        let mut pages = file();
        pages.pages = DocumentLimits::CEILING.max_pages + 1;
        assert!(check_event(&attached("Giấy khai sinh", pages), now).is_err());
        let mut empty = file();
        empty.size = 0;
        assert!(check_event(&attached("Giấy khai sinh", empty), now).is_err());
        for name in ["../../etc/passwd", "a\u{0}b", "", &"x".repeat(161)] {
            let mut bad = file();
            bad.name = name.into();
            assert!(
                check_event(&attached("Giấy khai sinh", bad), now).is_err(),
                "{name:?}"
            );
        }
    }

    #[test]
    fn the_item_and_the_reason_are_checked_texts() {
        let now = at(2026, 11, 29);
        for item in ["", "  ", &"x".repeat(MAX_DOCUMENT_ITEM + 1), "a\u{7}b"] {
            assert!(
                check_event(&attached(item, file()), now).is_err(),
                "{item:?}"
            );
        }
        let detached = |item: &str, reason: &str| {
            event(EventBody::DocumentDetached {
                sha256: Sha256Hex::of(b"scan"),
                item: item.into(),
                reason: reason.into(),
            })
        };
        assert_eq!(
            check_event(&detached("Giấy khai sinh", "Quét nhầm"), now),
            Ok(())
        );
        assert!(check_event(&detached("Giấy khai sinh", ""), now).is_err());
        assert!(check_event(&detached("Giấy khai sinh", &"x".repeat(MAX_NOTE + 1)), now).is_err());
        assert!(check_event(&detached("", "Quét nhầm"), now).is_err());
    }

    #[test]
    fn a_pulled_attach_passes_the_same_checks() {
        let now = at(2026, 11, 29);
        let unit = UnitCode::parse("H22.39.15").expect("unit");
        let own = DeskIndex::new(0).expect("index");
        let ok = attached("Giấy khai sinh", file());
        assert_eq!(check_pulled_event(&ok, &unit, "desk-a", own, now), Ok(()));
        let mut bad = file();
        bad.pages = 0;
        let bad = attached("Giấy khai sinh", bad);
        assert!(check_pulled_event(&bad, &unit, "desk-a", own, now).is_err());
    }

    /// A rating on the tracking page comes from the centre only, one at the counter
    /// from a desk only; its scores are bounded.
    #[test]
    fn a_rating_is_checked_and_bound_to_its_channel_and_writer() {
        use crate::domain::rating::{Answer, Choice, Indicator, Rating, RatingChannel, Score};
        let now = at(2026, 11, 29);
        let rating = |channel, points| Rating {
            channel,
            answers: vec![Answer {
                indicator: Indicator::Attitude,
                choice: Choice::A,
            }],
            scores: vec![Score {
                indicator: Indicator::Attitude,
                points,
            }],
        };
        let rated = |r: Rating, origin: &str| {
            let mut e = event(EventBody::Rated { rating: r });
            e.origin = origin.into();
            e
        };
        let counter = rating(RatingChannel::Counter, 2);
        let web = rating(RatingChannel::Web, 2);
        assert_eq!(check_event(&rated(counter.clone(), "desk-b"), now), Ok(()));
        assert_eq!(check_event(&rated(web.clone(), CENTRE_ORIGIN), now), Ok(()));
        let err = check_event(&rated(web, "desk-b"), now).expect_err("desk web");
        assert!(err.contains("máy chủ trung tâm"), "{err}");
        assert!(check_event(&rated(counter, CENTRE_ORIGIN), now).is_err());
        assert!(check_event(&rated(rating(RatingChannel::Counter, 3), "desk-b"), now).is_err());
        let mut unanswered = rating(RatingChannel::Counter, 1);
        unanswered.scores.push(Score {
            indicator: Indicator::Bodies,
            points: 2,
        });
        assert!(check_event(&rated(unanswered, "desk-b"), now).is_err());
        let json = r#"{"kind":"rated","rating":{"channel":"web","answers":[],"scores":[{"indicator":5,"points":1}]}}"#;
        assert!(serde_json::from_str::<EventBody>(json).is_err());
    }
}
