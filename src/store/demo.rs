//! Realistic demonstration and benchmark data: Vietnamese names and addresses, real
//! procedures from the catalogue, dossiers spread over the past year in every status.
//!
//! Dossiers are generated in receipt order and numbered per day across desk ranges as
//! a ward with several desks would have them after syncing; only the events of this
//! desk's own index enter its outbox. Rows are written in batches and the search index
//! is rebuilt once at the end, which is far faster than indexing row by row.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use fastrand::Rng;

use crate::domain::applicant::{Applicant, Gender, Identity, PersonalId};
use crate::domain::calendar::WorkCalendar;
use crate::domain::clock::{Timestamp, from_wall, to_wall};
use crate::domain::dossier::{Channel, DossierContent, ProcedureRef};
use crate::domain::dossier_code::{DeskIndex, DossierCode, NUMBERS_PER_DESK, desk_range};
use crate::domain::due::{WorkingHours, due_at};
use crate::domain::event::{Actor, ActorRole, Event, EventBody, EventId};
use crate::domain::lifecycle;
use crate::domain::procedure::Procedure;
use crate::domain::time_limit::{TimeLimit, TimeUnit};
use crate::store::Store;
use crate::store::error::{Result, StoreError};
use crate::store::log::{SearchIndex, append_own, insert_event, write_projection_with};

const BATCH: usize = 20_000;

const FAMILY: &[(&str, u32)] = &[
    ("Nguyễn", 380),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 70),
    ("Hoàng", 30),
    ("Huỳnh", 21),
    ("Phan", 45),
    ("Vũ", 20),
    ("Võ", 19),
    ("Đặng", 21),
    ("Bùi", 20),
    ("Đỗ", 14),
    ("Hồ", 13),
    ("Ngô", 13),
    ("Dương", 10),
    ("Lý", 5),
    ("Đinh", 6),
    ("Trịnh", 5),
    ("Đoàn", 4),
    ("Lương", 4),
];
const MIDDLE_MALE: &[&str] = &[
    "Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Thành", "Xuân", "Quốc", "Đình",
];
const MIDDLE_FEMALE: &[&str] = &[
    "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Phương", "Thùy", "Mỹ", "Bích", "Hồng",
];
const GIVEN_MALE: &[&str] = &[
    "Hùng", "Dũng", "Nam", "Tuấn", "Long", "Nghĩa", "Phúc", "Khoa", "Bảo", "Quân", "Huy", "Đạt",
    "Thắng", "Sơn", "Trung", "Hiếu", "Cường", "Lộc", "Vĩnh", "Khải",
];
const GIVEN_FEMALE: &[&str] = &[
    "Hoa", "Lan", "Hương", "Ánh", "Hà", "Linh", "Trang", "Thảo", "Ngọc", "Yến", "Hằng", "Nhung",
    "Quỳnh", "Diệp", "Thư", "Uyên", "Oanh", "Nguyệt", "Hạnh", "Vân",
];
const STREETS: &[&str] = &[
    "Lê Thánh Tông",
    "Trần Hưng Đạo",
    "Nguyễn Văn Cừ",
    "Hạ Long",
    "Bến Đoan",
    "Kênh Liêm",
    "Cái Dăm",
    "Giếng Đồn",
    "Đoàn Thị Điểm",
    "Hoàng Quốc Việt",
    "Vũ Văn Hiếu",
    "Lý Tự Trọng",
];
const WARDS: &[&str] = &[
    "Hồng Gai",
    "Hạ Long",
    "Bãi Cháy",
    "Cao Xanh",
    "Hà Lầm",
    "Hà Tu",
    "Việt Hưng",
];
const PROVINCE_CODES: &[&str] = &[
    "022", "022", "022", "001", "031", "030", "034", "036", "038", "079",
];
const CLERKS: &[&str] = &[
    "Trần Thị Mai",
    "Nguyễn Đức Anh",
    "Phạm Thu Hà",
    "Lê Văn Bình",
];

fn pick<'a>(rng: &mut Rng, items: &'a [&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}

fn family(rng: &mut Rng) -> &'static str {
    let total: u32 = FAMILY.iter().map(|(_, w)| w).sum();
    let mut n = rng.u32(..total);
    for (name, w) in FAMILY {
        if n < *w {
            return name;
        }
        n -= w;
    }
    "Nguyễn"
}

fn applicant(rng: &mut Rng, today: NaiveDate) -> Result<Applicant> {
    let gender = if rng.bool() {
        Gender::Male
    } else {
        Gender::Female
    };
    let (middle, given) = match gender {
        Gender::Male => (pick(rng, MIDDLE_MALE), pick(rng, GIVEN_MALE)),
        Gender::Female => (pick(rng, MIDDLE_FEMALE), pick(rng, GIVEN_FEMALE)),
    };
    let full_name = format!("{} {middle} {given}", family(rng));
    let age_days = rng.i64(18 * 365..85 * 365);
    let dob = today - Duration::days(age_days);
    use chrono::Datelike;
    let year = dob.year();
    let century_digit = ((year / 100 - 19) * 2) as u32 + u32::from(gender == Gender::Female);
    let raw_id = format!(
        "{}{}{:02}{:06}",
        pick(rng, PROVINCE_CODES),
        century_digit,
        year % 100,
        rng.u32(..1_000_000)
    );
    let id_number = PersonalId::parse(&raw_id).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let address = format!(
        "Số {} đường {}, phường {}, tỉnh Quảng Ninh",
        rng.u32(1..300),
        pick(rng, STREETS),
        pick(rng, WARDS)
    );
    let phone = rng
        .u8(..10)
        .ne(&0)
        .then(|| format!("09{:08}", rng.u32(..100_000_000)));
    Ok(Applicant {
        full_name,
        identity: Identity::Citizen {
            id_number,
            date_of_birth: dob,
            gender,
        },
        address,
        phone,
        email: None,
    })
}

/// Working days of the year before `today`, each with how many dossiers it gets.
fn spread(total: usize, calendar: &WorkCalendar, today: NaiveDate) -> Vec<(NaiveDate, usize)> {
    let days: Vec<NaiveDate> = (1..=365)
        .map(|back| today - Duration::days(back))
        .rev()
        .filter(|d| calendar.is_working_day(*d))
        .collect();
    if days.is_empty() {
        return Vec::new();
    }
    let base = total / days.len();
    let extra = total % days.len();
    days.into_iter()
        .enumerate()
        .map(|(i, d)| (d, base + usize::from(i < extra)))
        .collect()
}

fn time_in_hours(rng: &mut Rng, hours: &WorkingHours) -> NaiveTime {
    let span = |a: NaiveTime, b: NaiveTime| (b - a).num_seconds().max(1);
    let morning = span(hours.morning_start, hours.morning_end);
    let afternoon = span(hours.afternoon_start, hours.afternoon_end);
    let s = rng.i64(0..morning + afternoon);
    let t = if s < morning {
        hours.morning_start + Duration::seconds(s)
    } else {
        hours.afternoon_start + Duration::seconds(s - morning)
    };
    t.with_nanosecond(0).unwrap_or(t)
}

/// What happened to one generated dossier after its receipt.
fn later_events(
    rng: &mut Rng,
    received: NaiveDateTime,
    due: NaiveDateTime,
    now: NaiveDateTime,
    limit: TimeLimit,
    calendar: &WorkCalendar,
    hours: &WorkingHours,
) -> Vec<(NaiveDateTime, EventBody)> {
    let mut out = Vec::new();
    let between = |rng: &mut Rng, a: NaiveDateTime, b: NaiveDateTime| {
        let secs = (b - a).num_seconds().max(60);
        a + Duration::seconds(rng.i64(1..secs))
    };
    let roll = rng.u32(..1000);
    if roll < 15 {
        out.push((
            between(rng, received, due.min(now)),
            EventBody::Withdrawn {
                note: String::new(),
            },
        ));
        return out;
    }
    if roll < 25 {
        let reason = "Hồ sơ không thuộc thẩm quyền giải quyết".to_string();
        out.push((
            between(rng, received, due.min(now)),
            EventBody::Refused { reason },
        ));
        return out;
    }
    let mut due = due;
    let mut cursor = received;
    if roll < 60 {
        let asked = between(rng, received, due.min(now));
        out.push((
            asked,
            EventBody::SupplementRequested {
                items: vec!["Bản sao giấy tờ tùy thân còn thiếu".into()],
                reason: "Thiếu thành phần hồ sơ".into(),
            },
        ));
        let back = asked + Duration::days(rng.i64(1..6));
        if back >= now {
            return out;
        }
        due = due_at(back, limit, calendar, hours);
        out.push((
            back,
            EventBody::SupplementReceived {
                due_at: from_wall(due),
                note: String::new(),
            },
        ));
        cursor = back;
    }
    if limit.unit != TimeUnit::SameDay15h {
        let at = cursor + Duration::minutes(rng.i64(5..120));
        if at >= now {
            return out;
        }
        out.push((
            at,
            EventBody::Transferred {
                to: "Bộ phận chuyên môn".into(),
                note: String::new(),
            },
        ));
        cursor = at;
    }
    // About 1.75% of resolved dossiers are late, as in the ward figures.
    let ready = if rng.u32(..10_000) < 175 {
        due + Duration::hours(rng.i64(1..96))
    } else {
        between(rng, cursor, due.max(cursor + Duration::minutes(2)))
    };
    if ready >= now {
        return out;
    }
    out.push((
        ready,
        EventBody::ResultReady {
            note: String::new(),
        },
    ));
    let collected = ready + Duration::hours(rng.i64(1..72));
    if collected < now && rng.u32(..100) < 92 {
        out.push((
            collected,
            EventBody::Returned {
                collected_by: String::new(),
                note: String::new(),
            },
        ));
    }
    out
}

/// What `demo_data` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoReport {
    pub dossiers: usize,
    pub events: usize,
}

impl Store {
    /// Adds `count` generated dossiers received over the past year. Deterministic for a
    /// given seed and `now`.
    pub fn demo_data(
        &mut self,
        count: usize,
        seed: u64,
        now: Timestamp,
        mut progress: impl FnMut(usize),
    ) -> Result<DemoReport> {
        let unit = self.unit()?;
        let desk = self.desk()?;
        let calendar = self.calendar()?.clone();
        let procedures: Vec<Procedure> = self
            .procedures()?
            .into_iter()
            .filter(|p| !p.time_limits.is_empty())
            .collect();
        if procedures.is_empty() {
            return Err(StoreError::Invalid("Danh mục thủ tục trống".into()));
        }
        let existing = self.dossier_count()?;
        if existing > 0 {
            return Err(StoreError::Invalid(format!(
                "Cơ sở dữ liệu đã có {existing} hồ sơ; dữ liệu mẫu chỉ tạo trong cơ sở dữ liệu trống (dùng --data-dir THƯ_MỤC_MỚI)"
            )));
        }
        let now_wall = to_wall(now);
        let mut rng = Rng::with_seed(seed);
        let days = spread(count, &calendar, now_wall.date());
        if days
            .iter()
            .any(|(_, n)| *n > usize::from(NUMBERS_PER_DESK) * 10)
        {
            return Err(StoreError::Invalid(format!(
                "{count} hồ sơ trong một năm vượt quá 9.990 hồ sơ mỗi ngày của 10 quầy"
            )));
        }
        let desk_ids: Vec<String> = (0..10u8)
            .map(|k| {
                if k == desk.index.get() {
                    desk.desk_id.clone()
                } else {
                    format!("demo-desk-{k}")
                }
            })
            .collect();
        let mut report = DemoReport {
            dossiers: 0,
            events: 0,
        };
        let mut pending: Vec<(DossierCode, Vec<Event>)> = Vec::with_capacity(BATCH);
        for (day, n) in days {
            let mut times: Vec<NaiveDateTime> = (0..n)
                .map(|_| day.and_time(time_in_hours(&mut rng, &unit.hours)))
                .collect();
            times.sort();
            for (i, received) in times.into_iter().enumerate() {
                // Each desk's own range of the day (`domain::dossier_code::desk_range`).
                let per_desk = usize::from(NUMBERS_PER_DESK);
                let desk_index = u8::try_from(i / per_desk).unwrap_or(u8::MAX);
                let number =
                    desk_range(DeskIndex::new(desk_index)?).start() + (i % per_desk) as u16;
                let code = DossierCode::new(unit.code.clone(), day, number)?;
                let p = &procedures[rng.usize(..procedures.len())];
                let limit = p.default_limit().unwrap_or(TimeLimit {
                    value: 5,
                    unit: TimeUnit::WorkingDay,
                });
                let due = due_at(received, limit, &calendar, &unit.hours);
                let origin = desk_ids[usize::from(desk_index)].clone();
                let clerk = CLERKS[usize::from(desk_index) % CLERKS.len()];
                let content = DossierContent {
                    procedure: ProcedureRef {
                        code: p.code.clone(),
                        name: p.name.clone(),
                        field: p.field.clone(),
                        time_limit: limit,
                        time_limit_case: None,
                        time_limit_reason: None,
                    },
                    applicant: applicant(&mut rng, day)?,
                    authorised: None,
                    documents: crate::domain::intake::default_documents(p),
                    sets: 1,
                    channel: if rng.u32(..10) == 0 {
                        Channel::Online
                    } else {
                        Channel::InPerson
                    },
                    result_at: unit.name.clone(),
                    received_at: from_wall(received),
                    due_at: from_wall(due),
                    fee_amount: p.fee_amount,
                    received_by: clerk.to_string(),
                };
                let event = |at: NaiveDateTime, body: EventBody| Event {
                    id: EventId::new(),
                    dossier: code.clone(),
                    at: from_wall(at),
                    actor: Actor {
                        name: clerk.to_string(),
                        role: ActorRole::Clerk,
                    },
                    origin: origin.clone(),
                    body,
                };
                let mut events = vec![event(
                    received,
                    EventBody::Received {
                        content: Box::new(content),
                        numbers: None,
                        tracking: None,
                        consent: None,
                    },
                )];
                for (at, body) in later_events(
                    &mut rng,
                    received,
                    due,
                    now_wall,
                    limit,
                    &calendar,
                    &unit.hours,
                ) {
                    events.push(event(at, body));
                }
                pending.push((code, events));
                if pending.len() == BATCH {
                    report = self.write_demo_batch(&mut pending, &desk.desk_id, now, report)?;
                    progress(report.dossiers);
                }
            }
        }
        report = self.write_demo_batch(&mut pending, &desk.desk_id, now, report)?;
        self.write(crate::store::search::rebuild_index)?;
        progress(report.dossiers);
        Ok(report)
    }

    fn write_demo_batch(
        &mut self,
        batch: &mut Vec<(DossierCode, Vec<Event>)>,
        own_desk: &str,
        now: Timestamp,
        mut report: DemoReport,
    ) -> Result<DemoReport> {
        self.write(|tx| {
            for (code, events) in batch.iter() {
                for e in events {
                    if e.origin == own_desk {
                        append_own(tx, e, now)?;
                    } else {
                        insert_event(tx, e, now)?;
                    }
                }
                let state = lifecycle::fold(events).map_err(|source| StoreError::Fold {
                    code: code.to_string(),
                    source,
                })?;
                write_projection_with(tx, &state, now, SearchIndex::RebuildLater)?;
                report.events += events.len();
                report.dossiers += 1;
            }
            Ok(())
        })?;
        batch.clear();
        Ok(report)
    }
}
