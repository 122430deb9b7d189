//! Which processing time limit a dossier is promised at intake.
//!
//! **Several cases, none picked: the shortest.** When a procedure's cases have
//! different limits (1.004859: "03 ngày làm việc" for a change, the same day for "bổ
//! sung thông tin hộ tịch", Luật Hộ tịch Art 29(2)), the desk cannot know the case at
//! hand, and a default longer than that case's statutory limit would print a promise
//! later than the law. So the default is the case whose due time, from this receipt
//! moment, comes first (ties: the first listed); the clerk moves to a longer case when
//! the dossier is that case (F7 on the window, `time_limit_case` in JSON), and the
//! receipt then names the case. Asking every time was rejected: most dossiers are the
//! ordinary case, and a forced question at every intake invites a reflex answer.
//! Comparing due times rather than units is needed because limits of different units
//! have no fixed order (04 working hours vs 03 working days; the same day vs 01
//! working day after 15:00).
//!
//! **A typed limit** (procedures the catalogue has no limit for) is bounded per unit
//! ([`typed_limit_max`]) and must come with its reason (the legal text it is read
//! from), which the dossier keeps (`ProcedureRef::time_limit_reason`).

use chrono::NaiveDateTime;

use crate::domain::applicant::FieldError;
use crate::domain::calendar::WorkCalendar;
use crate::domain::due::{WorkingHours, due_at};
use crate::domain::intake::TimeLimitInput;
use crate::domain::procedure::{Procedure, TimeLimitCase};
use crate::domain::text;
use crate::domain::time_limit::{TimeLimit, TimeUnit};

/// Longest reason kept with a typed limit.
pub const MAX_LIMIT_REASON: usize = 300;

/// The largest value a clerk may type for `unit`. The catalogue's longest commune
/// limits are 25 working days and 15 days; anything far beyond is a slip.
pub fn typed_limit_max(unit: TimeUnit) -> u32 {
    match unit {
        TimeUnit::WorkingDay => 30,
        TimeUnit::Day => 45,
        TimeUnit::Month => 2,
        TimeUnit::Hour => 40,
        TimeUnit::SameDay15h => 0,
    }
}

/// The index of the default case for a receipt at `received`: the one due first.
pub fn default_case(
    cases: &[TimeLimitCase],
    received: NaiveDateTime,
    calendar: &WorkCalendar,
    hours: &WorkingHours,
) -> usize {
    cases
        .iter()
        .enumerate()
        .min_by_key(|(i, c)| (due_at(received, c.limit, calendar, hours), *i))
        .map_or(0, |(i, _)| i)
}

/// The chosen limit, its case label (when the procedure has several) and the reason
/// of a typed limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chosen {
    pub limit: TimeLimit,
    pub case: Option<String>,
    pub reason: Option<String>,
}

fn field_error(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError {
        field,
        message: message.into(),
    }
}

fn no_limit(procedure: &Procedure) -> String {
    format!(
        "Danh mục chưa có thời hạn giải quyết của thủ tục {}; nhập thời hạn ('time_limit') \
         theo văn bản của thủ tục, kèm căn cứ ('reason')",
        procedure.code
    )
}

/// The limit that applies: typed by hand (`typed`), picked by number (`case`, from 1),
/// or the default case for a receipt at `received`.
pub fn choose_limit(
    typed: Option<TimeLimitInput>,
    case: Option<usize>,
    procedure: &Procedure,
    received: NaiveDateTime,
    calendar: &WorkCalendar,
    hours: &WorkingHours,
) -> Result<Chosen, FieldError> {
    let cases = &procedure.time_limits;
    let pick = |index: usize| {
        cases.get(index).map(|c| Chosen {
            limit: c.limit,
            case: (cases.len() > 1 && !c.label.trim().is_empty()).then(|| c.label.clone()),
            reason: None,
        })
    };
    match (typed, case) {
        (Some(_), Some(_)) => Err(field_error(
            "time_limit",
            "Chỉ dùng một trong hai: nhập thời hạn ('time_limit') hoặc chọn trường hợp thời hạn ('time_limit_case')",
        )),
        (Some(_), None) if !cases.is_empty() => Err(field_error(
            "time_limit",
            format!(
                "Thủ tục {} đã có thời hạn theo danh mục ({}); không nhập tay, chọn trường hợp \
                 thời hạn ('time_limit_case') nếu hồ sơ thuộc trường hợp khác",
                procedure.code,
                procedure.time_limits_vi()
            ),
        )),
        (Some(input), None) => check_time_limit(&input).map_err(|m| field_error("time_limit", m)),
        (None, Some(n)) => n.checked_sub(1).and_then(pick).ok_or_else(|| {
            field_error(
                "time_limit_case",
                if cases.is_empty() {
                    no_limit(procedure)
                } else {
                    format!(
                        "Thủ tục {} có {} trường hợp thời hạn; chọn từ 1 đến {} (đã chọn {n})",
                        procedure.code,
                        cases.len(),
                        cases.len()
                    )
                },
            )
        }),
        (None, None) => pick(default_case(cases, received, calendar, hours))
            .ok_or_else(|| field_error("time_limit", no_limit(procedure))),
    }
}

/// A limit typed by the clerk: a known unit, a value within [`typed_limit_max`], and a
/// reason.
pub fn check_time_limit(input: &TimeLimitInput) -> Result<Chosen, String> {
    let unit = TimeUnit::from_cli(&input.unit)
        .or_else(|| TimeUnit::from_code(&input.unit))
        .ok_or_else(|| {
            format!(
                "Đơn vị thời hạn '{}' không hợp lệ: working-day, day, month, hour hoặc same-day",
                input.unit
            )
        })?;
    let max = typed_limit_max(unit);
    if unit != TimeUnit::SameDay15h && !(1..=max).contains(&input.value) {
        return Err(format!(
            "Thời hạn {} {} ngoài khoảng cho phép (từ 1 đến {max} {}); kiểm tra lại văn bản \
             quy định thời hạn của thủ tục",
            input.value,
            unit.label_vi(),
            unit.label_vi()
        ));
    }
    let reason = input.reason.as_deref().unwrap_or_default();
    let reason = text::clean_field("reason", "Căn cứ thời hạn", reason, MAX_LIMIT_REASON, true)
        .map_err(|_| {
            format!(
                "Thời hạn nhập tay cần căn cứ ('reason'): văn bản và điều khoản quy định thời hạn, \
             ví dụ \"Điều 9 Nghị định 63/2010/NĐ-CP\" (tối đa {MAX_LIMIT_REASON} ký tự)"
            )
        })?;
    let value = if unit == TimeUnit::SameDay15h {
        0
    } else {
        input.value
    };
    Ok(Chosen {
        limit: TimeLimit { value, unit },
        case: None,
        reason: Some(reason),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalogue_seed::seed_catalogue;
    use chrono::NaiveDate;

    fn at(d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, d)
            .and_then(|d| d.and_hms_opt(h, 0, 0))
            .expect("time")
    }

    fn procedure(code: &str) -> Procedure {
        seed_catalogue()
            .into_iter()
            .find(|p| p.code.as_str() == code)
            .expect("in the catalogue")
    }

    /// Issue 19 §4: 1.004859 lists "03 ngày làm việc" first, but "bổ sung thông tin hộ
    /// tịch" is due the same day: the default is the same day.
    #[test]
    fn the_default_of_1_004859_is_the_same_day() {
        let (cal, hours) = (WorkCalendar::official(), WorkingHours::default());
        let p = procedure("1.004859");
        assert!(p.time_limits.len() > 1);
        let chosen = choose_limit(None, None, &p, at(8, 10), &cal, &hours).expect("chosen");
        assert_eq!(chosen.limit.unit, TimeUnit::SameDay15h, "{chosen:?}");
        assert_eq!(
            due_at(at(8, 10), chosen.limit, &cal, &hours),
            at(8, 17),
            "Tue 08/12/2026 10:00: due 17:00 the same day"
        );
        // Picked by number: the clerk's case.
        let first = choose_limit(None, Some(1), &p, at(8, 10), &cal, &hours).expect("case 1");
        assert_eq!(first.limit, TimeLimit::new(3, TimeUnit::WorkingDay));
        // Not typed by hand over the catalogue's limits.
        let typed = TimeLimitInput {
            value: 10,
            unit: "working-day".into(),
            reason: Some("x".into()),
        };
        let err = choose_limit(Some(typed), None, &p, at(8, 10), &cal, &hours)
            .expect_err("the catalogue has limits");
        assert!(
            err.message.contains("đã có thời hạn theo danh mục"),
            "{err:?}"
        );
    }

    /// Over every procedure of the catalogue with several cases and receipt moments
    /// around the day's edges, the default is never due later than any case.
    #[test]
    fn the_default_is_never_due_later_than_any_case_of_the_catalogue() {
        let (cal, hours) = (WorkCalendar::official(), WorkingHours::default());
        let mut checked = 0;
        for p in seed_catalogue().iter().filter(|p| p.time_limits.len() > 1) {
            for day in 1..=31 {
                for h in [0, 7, 10, 12, 14, 15, 16, 17, 20] {
                    let r = at(day, h);
                    let chosen = choose_limit(None, None, p, r, &cal, &hours).expect("chosen");
                    let due = due_at(r, chosen.limit, &cal, &hours);
                    for c in &p.time_limits {
                        assert!(due <= due_at(r, c.limit, &cal, &hours), "{} at {r}", p.code);
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked > 0);
    }

    #[test]
    fn a_typed_limit_is_bounded_and_needs_its_reason() {
        let input = |value, unit: &str, reason: Option<&str>| TimeLimitInput {
            value,
            unit: unit.into(),
            reason: reason.map(str::to_string),
        };
        let ok = check_time_limit(&input(5, "working-day", Some("Điều 9 NĐ 63/2010"))).expect("ok");
        assert_eq!(ok.limit, TimeLimit::new(5, TimeUnit::WorkingDay));
        assert_eq!(ok.reason.as_deref(), Some("Điều 9 NĐ 63/2010"));
        let err = check_time_limit(&input(5, "working-day", None)).expect_err("no reason");
        assert!(err.contains("căn cứ"), "{err}");
        assert!(check_time_limit(&input(5, "working-day", Some("  "))).is_err());
        for (value, unit) in [
            (0, "working-day"),
            (31, "working-day"),
            (46, "day"),
            (3, "month"),
            (41, "hour"),
        ] {
            let err = check_time_limit(&input(value, unit, Some("x"))).expect_err("bounded");
            assert!(err.contains("ngoài khoảng cho phép"), "{err}");
        }
        assert!(check_time_limit(&input(0, "same-day", Some("Điều 5 Luật Hộ tịch"))).is_ok());
    }
}
