//! Calendar commands: due-time computation and the year's days off and make-up days.

use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::cli::output::{outln, parse_time, print_json};
use crate::cli::{CliError, CliResult, Global};
use crate::domain::calendar::{CalendarEntryKind, WorkCalendar};
use crate::domain::clock::{format_rfc3339, format_vi_long, from_wall, to_wall};
use crate::domain::due::{WorkingHours, due_at};
use crate::domain::procedure::ProcedureCode;
use crate::domain::time_limit::{TimeLimit, TimeUnit};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum UnitArg {
    WorkingDay,
    Day,
    Month,
    Hour,
    SameDay,
}

impl From<UnitArg> for TimeUnit {
    fn from(u: UnitArg) -> TimeUnit {
        match u {
            UnitArg::WorkingDay => TimeUnit::WorkingDay,
            UnitArg::Day => TimeUnit::Day,
            UnitArg::Month => TimeUnit::Month,
            UnitArg::Hour => TimeUnit::Hour,
            UnitArg::SameDay => TimeUnit::SameDay15h,
        }
    }
}

#[derive(Debug, Args)]
pub struct DueArgs {
    /// Thời điểm tiếp nhận
    #[arg(long)]
    pub at: String,
    /// Mã thủ tục (lấy thời hạn theo danh mục)
    #[arg(long, conflicts_with_all = ["limit", "unit"], required_unless_present = "limit")]
    pub procedure: Option<String>,
    /// Trường hợp thời hạn của thủ tục, đếm từ 1 theo danh mục (mặc định: trường hợp có
    /// hạn trả sớm nhất)
    #[arg(long, requires = "procedure")]
    pub case: Option<usize>,
    /// Thời hạn (số)
    #[arg(long, requires = "unit")]
    pub limit: Option<u32>,
    /// Đơn vị thời hạn
    #[arg(long, value_enum, requires = "limit")]
    pub unit: Option<UnitArg>,
}

#[derive(Debug, Args)]
pub struct HolidaysArgs {
    #[arg(long)]
    pub year: i32,
}

/// The calendar and hours of the desk's database when there is one, else the official
/// calendar and default hours: these commands never create a database.
fn calendar_and_hours(
    global: &Global,
) -> Result<(WorkCalendar, WorkingHours, Option<crate::desk::Desk>), CliError> {
    match global.open_existing()? {
        Some(desk) => {
            let calendar = desk.calendar()?;
            let hours = desk.unit_opt()?.map(|u| u.hours).unwrap_or_default();
            Ok((calendar, hours, Some(desk)))
        }
        None => Ok((WorkCalendar::official(), WorkingHours::default(), None)),
    }
}

#[derive(Serialize)]
struct DueJson {
    received_at: String,
    due_at: String,
    time_limit: String,
}

pub fn due(global: &Global, args: &DueArgs) -> CliResult {
    let at = parse_time(&args.at, "Thời điểm tiếp nhận")?;
    let (calendar, hours, desk) = calendar_and_hours(global)?;
    let limit = match (&args.procedure, args.limit, args.unit) {
        (Some(code), _, _) => {
            let code = ProcedureCode::parse(code).map_err(|e| CliError(e.to_string()))?;
            let procedure = match &desk {
                Some(desk) => desk.procedure(&code)?,
                None => crate::domain::catalogue_seed::seed_catalogue()
                    .into_iter()
                    .find(|p| p.code == code)
                    .ok_or_else(|| {
                        CliError(
                            crate::desk::StoreError::UnknownProcedure(code.to_string()).to_string(),
                        )
                    })?,
            };
            if procedure.time_limits.is_empty() {
                return Err(CliError(format!(
                    "danh mục chưa có thời hạn giải quyết của thủ tục {code}; dùng --limit N --unit ĐƠN_VỊ"
                )));
            }
            // Without --case: the case due first, as intake defaults (issue 19 §4).
            let n = args.case.unwrap_or_else(|| {
                1 + crate::domain::limit_choice::default_case(
                    &procedure.time_limits,
                    to_wall(at),
                    &calendar,
                    &hours,
                )
            });
            n.checked_sub(1)
                .and_then(|i| procedure.time_limits.get(i))
                .map(|c| c.limit)
                .ok_or_else(|| {
                    CliError(format!(
                        "thủ tục {code} có {} trường hợp thời hạn; --case từ 1 đến {} (đã nhập {n})",
                        procedure.time_limits.len(),
                        procedure.time_limits.len()
                    ))
                })?
        }
        (None, Some(value), Some(unit)) => TimeLimit {
            value,
            unit: unit.into(),
        },
        _ => {
            return Err(CliError(
                "cần --procedure MÃ hoặc --limit N --unit ĐƠN_VỊ".into(),
            ));
        }
    };
    let due = from_wall(due_at(to_wall(at), limit, &calendar, &hours));
    if global.json {
        return print_json(&DueJson {
            received_at: format_rfc3339(at),
            due_at: format_rfc3339(due),
            time_limit: limit.describe_vi(),
        });
    }
    outln!("{}", format_rfc3339(due));
    outln!("{} ({})", format_vi_long(due), limit.describe_vi());
    Ok(())
}

#[derive(Serialize)]
struct DayJson {
    date: String,
    kind: &'static str,
    name: String,
}

pub fn holidays(global: &Global, args: &HolidaysArgs) -> CliResult {
    if !(1900..=2199).contains(&args.year) {
        return Err(CliError(format!(
            "năm {} nằm ngoài khoảng 1900–2199",
            args.year
        )));
    }
    let (calendar, _, _) = calendar_and_hours(global)?;
    let days: Vec<DayJson> = calendar
        .exceptions_in_year(args.year)
        .into_iter()
        .map(|e| DayJson {
            date: e.date.format("%Y-%m-%d").to_string(),
            kind: match e.kind {
                CalendarEntryKind::MakeUpWorkday => "work",
                CalendarEntryKind::Off(_) => "off",
            },
            name: e.name,
        })
        .collect();
    if global.json {
        return print_json(&days);
    }
    for d in days {
        outln!("{}\t{}\t{}", d.date, d.kind, d.name);
    }
    Ok(())
}
