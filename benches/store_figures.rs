//! Store figures: how long `demo_data` takes to fill a database of N dossiers, and on
//! that database the latency of durable intakes (WAL, `synchronous=FULL`) and of
//! searches by folded name, by ID number and by code prefix. Prints figures and asserts
//! nothing about time: the machine decides the numbers.
//!
//! ```text
//! cargo bench --bench store_figures
//! MOTCUA_BENCH_DOSSIERS=20000 MOTCUA_BENCH_DIR=/work/bench-20k cargo bench --bench store_figures
//! ```
//!
//! `MOTCUA_BENCH_DOSSIERS` (default 1,000,000): dossiers made by the demo-data generator.
//! `MOTCUA_BENCH_DIR` (default: a fresh temporary directory under `target/`, removed at
//! the end): a directory that is kept, and whose database is reused on later runs when
//! it was filled by this bench with the same number of dossiers. Every run adds its
//! intakes to it, on days older than the generated year, so reruns never run out of
//! desk numbers.
//!
//! `MOTCUA_BENCH_ONLY=backup` (desk feature): only the first intake of the day, which
//! starts today's backup of the whole database, against the next ones;
//! `MOTCUA_BENCH_ONLY=f3`: only the counter's keystroke and status-line figures.
//!
//! Every figure is also printed as one `figure <name> <value>` line for grepping.

use std::path::{Path, PathBuf};
use std::time::{Duration as StdDuration, Instant};

use chrono::{Datelike, Duration, NaiveDate, NaiveTime};
use fastrand::Rng;
use motcua::domain::clock::{Timestamp, format_rfc3339, from_wall, now_vn, to_wall};
use motcua::domain::dossier_code::code_prefix_for_day;
use motcua::domain::intake::IntakeInput;
use motcua::domain::text::fold;
use motcua::store::setup::InitInput;
use motcua::store::{DataPaths, Store};
use serde_json::{Value, json};

const DEFAULT_DOSSIERS: usize = 1_000_000;
const SEED: u64 = 20_260_501;
const INTAKES: usize = 600;
/// Intakes put on one past day: a busy desk's day, well inside its 999 numbers.
const INTAKES_PER_DAY: usize = 120;
const SEARCH_LIMIT: usize = 20;
/// Queries of each kind (name, ID number, code prefix).
const QUERIES_PER_KIND: usize = 360;
const UNIT_CODE: &str = "H22.39.15";
/// Settings key recording the size this bench generated, so a rerun can reuse the file.
const DEMO_SETTING: &str = "bench.store_figures.demo_dossiers";
const DEMO_SECONDS_SETTING: &str = "bench.store_figures.demo_seconds";

fn main() {
    let dossiers = env_dossiers();
    let (dir, _temp) = bench_dir();
    println!("store_figures: {dossiers} dossiers in {}", dir.display());
    let paths = DataPaths::in_dir(&dir);
    let mut store = Store::open(paths.clone()).expect("open the bench database");
    if store.unit_opt().expect("read the unit").is_none() {
        store
            .init(
                &InitInput {
                    unit_code: UNIT_CODE.into(),
                    unit_name: "Trung tâm Phục vụ hành chính công phường Hồng Gai".into(),
                    authority: "UBND phường Hồng Gai".into(),
                    place: "Hồng Gai".into(),
                    desk_index: 0,
                    working_hours: None,
                },
                now_vn(),
            )
            .expect("init the bench database");
    }

    let mut rows: Vec<Row> = Vec::new();
    let load = load(&mut store, dossiers);
    let size = db_size(&paths);
    rows.push(Row::value(
        "demo_data",
        "seconds",
        load.seconds,
        if load.reused {
            "reused from an earlier run".into()
        } else {
            format!("{} dossiers, {} events", load.dossiers, load.events)
        },
    ));
    rows.push(Row::value(
        "demo_data",
        "dossiers/s",
        load.dossiers as f64 / load.seconds.max(1e-9),
        String::new(),
    ));
    rows.push(Row::value(
        "database",
        "MiB",
        size as f64 / (1024.0 * 1024.0),
        format!(
            "{:.0} bytes per dossier (file + WAL, after checkpoint)",
            size as f64 / load.dossiers.max(1) as f64
        ),
    ));

    // MOTCUA_BENCH_ONLY=f3: only the counter's keystroke and status-line figures.
    if std::env::var("MOTCUA_BENCH_ONLY").is_ok_and(|v| v == "f3") {
        rows.extend(f3_keystrokes(&store));
        rows.push(status_line(&store));
        print_table(&rows, dossiers);
        return;
    }

    // MOTCUA_BENCH_ONLY=backup: only the first intake of the day and its backup.
    #[cfg(feature = "desk")]
    {
        rows.extend(first_intake_of_the_day(&paths, &store));
        if std::env::var("MOTCUA_BENCH_ONLY").is_ok_and(|v| v == "backup") {
            print_table(&rows, dossiers);
            return;
        }
    }

    let (intake_times, intaken) = intakes(&mut store);
    rows.push(Row::latency(
        "intake",
        &intake_times,
        "durable commit each".into(),
    ));

    rows.extend(searches(&store, &intaken));
    rows.extend(f3_keystrokes(&store));
    rows.push(status_line(&store));
    rows.push(report_year(&store));

    print_table(&rows, dossiers);
    print_plans(&store);
    drop(store);
    // `_temp` (the default directory) is removed here; a MOTCUA_BENCH_DIR is kept.
}

// ---------------------------------------------------------------------------------------
// Set-up

/// Biểu 06 over the last 365 days (the span demo data covers), five times.
fn report_year(store: &Store) -> Row {
    use motcua::domain::report::Period;
    let today = to_wall(now_vn()).date();
    let period = Period::new(today - Duration::days(365), today).expect("a valid period");
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let mut times = Vec::new();
    let mut resolved = 0;
    for _ in 0..5 {
        let started = Instant::now();
        let report = store
            .report(period, motcua::domain::clock::now_vn(), &cancel, |_| {})
            .expect("report");
        times.push(started.elapsed());
        resolved = report.total.resolved_total();
    }
    Row::latency(
        "report_year",
        &times,
        format!("Biểu 06, 365 days, {resolved} resolved"),
    )
}

fn env_dossiers() -> usize {
    match std::env::var("MOTCUA_BENCH_DOSSIERS") {
        Ok(raw) => raw
            .replace(['_', ',', '.'], "")
            .trim()
            .parse()
            .expect("MOTCUA_BENCH_DOSSIERS must be a whole number"),
        Err(_) => DEFAULT_DOSSIERS,
    }
}

/// The directory to use, and the temporary directory guard when it is the default one.
fn bench_dir() -> (PathBuf, Option<tempfile::TempDir>) {
    if let Some(dir) = std::env::var_os("MOTCUA_BENCH_DIR") {
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(&dir).expect("create MOTCUA_BENCH_DIR");
        return (dir, None);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    std::fs::create_dir_all(&target).expect("create target/");
    let temp = tempfile::Builder::new()
        .prefix("store_figures-")
        .tempdir_in(&target)
        .expect("create a temporary directory under target/");
    (temp.path().to_path_buf(), Some(temp))
}

#[derive(Debug)]
struct Load {
    dossiers: usize,
    events: usize,
    seconds: f64,
    reused: bool,
}

/// Fills an empty database with `n` generated dossiers, timing it, or reuses one this
/// bench filled with `n` before.
fn load(store: &mut Store, n: usize) -> Load {
    let existing = store.dossier_count().expect("count dossiers");
    if existing > 0 {
        let made: Option<usize> = store
            .setting(DEMO_SETTING)
            .expect("read setting")
            .and_then(|s| s.parse().ok());
        assert!(
            made == Some(n),
            "the bench database already holds {existing} dossiers that this bench did not \
             generate as {n}; point MOTCUA_BENCH_DIR at a new or empty directory"
        );
        let seconds = store
            .setting(DEMO_SECONDS_SETTING)
            .expect("read setting")
            .and_then(|s| s.parse().ok())
            .unwrap_or(f64::NAN);
        let events: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM dossier_event", [], |r| r.get(0))
            .expect("count events");
        eprintln!("reusing the database: {existing} dossiers ({n} generated)");
        return Load {
            dossiers: n,
            events: usize::try_from(events).unwrap_or(0),
            seconds,
            reused: true,
        };
    }
    eprintln!("generating {n} dossiers…");
    let started = Instant::now();
    let mut last = Instant::now();
    let report = store
        .demo_data(n, SEED, now_vn(), |done| {
            if last.elapsed() > StdDuration::from_secs(5) || done == n {
                eprintln!(
                    "  {done} dossiers after {:.1} s",
                    started.elapsed().as_secs_f64()
                );
                last = Instant::now();
            }
        })
        .expect("demo_data");
    let seconds = started.elapsed().as_secs_f64();
    store
        .set_setting(DEMO_SETTING, &n.to_string())
        .expect("record the generated size");
    store
        .set_setting(DEMO_SECONDS_SETTING, &format!("{seconds:.3}"))
        .expect("record the generation time");
    checkpoint(store);
    Load {
        dossiers: report.dossiers,
        events: report.events,
        seconds,
        reused: false,
    }
}

/// Folds the WAL into the main file so intakes start as on a desk that has been idle.
fn checkpoint(store: &Store) {
    store
        .conn()
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            r.get::<_, i64>(0)
        })
        .expect("checkpoint the WAL");
}

fn db_size(paths: &DataPaths) -> u64 {
    let wal = PathBuf::from(format!("{}-wal", paths.db.display()));
    [paths.db.clone(), wal]
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum()
}

// ---------------------------------------------------------------------------------------
// Intake

const FAMILY: &[&str] = &[
    "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ",
    "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
];
const RARE_FAMILY: &[&str] = &[
    "Khuất",
    "Quách",
    "Mạc",
    "Lưu",
    "Tôn Nữ",
    "Âu Dương",
    "Thái",
    "Ông",
    "Giáp",
    "Hứa",
    "Tạ",
    "Lã",
    "Kiều",
    "Nghiêm",
    "Văn",
];
const MIDDLE_MALE: &[&str] = &[
    "Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Thành", "Xuân", "Quốc", "Đình", "Bá",
];
const MIDDLE_FEMALE: &[&str] = &[
    "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Phương", "Thùy", "Mỹ", "Bích", "Hồng", "Diệu",
];
const GIVEN_MALE: &[&str] = &[
    "Hùng",
    "Dũng",
    "Nam",
    "Tuấn",
    "Long",
    "Nghĩa",
    "Phúc",
    "Khoa",
    "Bảo",
    "Quân",
    "Huy",
    "Đạt",
    "Huy Nhật",
    "Gia Bảo",
    "Khôi Nguyên",
    "Thiện Nhân",
    "Trọng Nghĩa",
];
const GIVEN_FEMALE: &[&str] = &[
    "Hoa",
    "Lan",
    "Hương",
    "Ánh",
    "Hà",
    "Linh",
    "Trang",
    "Thảo",
    "Ngọc",
    "Yến",
    "Hằng",
    "Khánh Linh",
    "Bảo Ngọc",
    "Minh Châu",
    "Tường Vi",
    "Diệp Chi",
];
const PROVINCES: &[&str] = &[
    "022", "022", "022", "022", "001", "031", "030", "034", "036", "038", "079", "089", "049",
    "040", "026", "042",
];
const STREETS: &[&str] = &[
    "Lê Thánh Tông",
    "Trần Hưng Đạo",
    "Cao Thắng",
    "Bến Đoan",
    "Kênh Liêm",
    "Cái Dăm",
    "Nguyễn Văn Cừ",
    "Hạ Long",
];
const WARDS: &[&str] = &[
    "Hồng Gai",
    "Hạ Long",
    "Bãi Cháy",
    "Cao Xanh",
    "Hà Lầm",
    "Hà Tu",
];
const CLERKS: &[&str] = &[
    "Trần Thị Mai",
    "Nguyễn Đức Anh",
    "Phạm Thu Hà",
    "Lê Văn Bình",
];

fn pick<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}

/// One generated citizen: ID number consistent with date of birth and gender.
#[derive(Debug, Clone)]
struct Person {
    full_name: String,
    rare: bool,
    id_number: String,
    date_of_birth: NaiveDate,
    female: bool,
    address: String,
    phone: Option<String>,
    email: Option<String>,
}

fn person(rng: &mut Rng, today: NaiveDate) -> Person {
    let female = rng.bool();
    let rare = rng.u8(..5) == 0;
    let family = if rare {
        pick(rng, RARE_FAMILY)
    } else {
        pick(rng, FAMILY)
    };
    let (middle, given) = if female {
        (pick(rng, MIDDLE_FEMALE), pick(rng, GIVEN_FEMALE))
    } else {
        (pick(rng, MIDDLE_MALE), pick(rng, GIVEN_MALE))
    };
    let full_name = format!("{family} {middle} {given}");
    let date_of_birth = today - Duration::days(rng.i64(18 * 365..88 * 365));
    let year = date_of_birth.year();
    let century = (year / 100 - 19) * 2 + i32::from(female);
    let id_number = format!(
        "{}{century}{:02}{:06}",
        pick(rng, PROVINCES),
        year % 100,
        rng.u32(..1_000_000)
    );
    let address = if rng.bool() {
        format!(
            "Số {} đường {}, phường {}, tỉnh Quảng Ninh",
            rng.u32(1..400),
            pick(rng, STREETS),
            pick(rng, WARDS)
        )
    } else {
        format!(
            "Tổ {}, khu {}, phường {}, tỉnh Quảng Ninh",
            rng.u32(1..40),
            rng.u32(1..12),
            pick(rng, WARDS)
        )
    };
    let phone = match rng.u8(..10) {
        0 => None,
        1 => Some(format!(
            "+84 {} {:03} {:03}",
            pick(rng, &["912", "983", "358", "868", "707"]),
            rng.u32(..1000),
            rng.u32(..1000)
        )),
        2 => Some(format!(
            "0203.{:03}.{:04}",
            rng.u32(..1000),
            rng.u32(..10_000)
        )),
        _ => Some(format!(
            "{}{:07}",
            pick(rng, &["091", "098", "035", "086", "070", "083", "097"]),
            rng.u32(..10_000_000)
        )),
    };
    let email = (rng.u8(..4) == 0).then(|| {
        let local: String = fold(&full_name)
            .split_whitespace()
            .rev()
            .collect::<Vec<_>>()
            .join(".");
        format!("{local}{}@gmail.com", rng.u32(1..100))
    });
    Person {
        full_name,
        rare,
        id_number,
        date_of_birth,
        female,
        address,
        phone,
        email,
    }
}

/// A realistic intake: typed form, CCCD QR scan, sometimes through an authorised person.
fn intake_json(
    rng: &mut Rng,
    p: &Person,
    procedure: &str,
    received_at: Timestamp,
    today: NaiveDate,
) -> Value {
    let gender = if p.female { "Nữ" } else { "Nam" };
    let mut input = json!({
        "procedure": procedure,
        "received_at": format_rfc3339(received_at),
    });
    if rng.u8(..10) < 3 {
        let issued = today - Duration::days(rng.i64(30..4 * 365));
        let old_id = if rng.bool() {
            format!("{:09}", rng.u32(..1_000_000_000))
        } else {
            String::new()
        };
        input["cccd_qr"] = json!(format!(
            "{}|{old_id}|{}|{}|{gender}|{}|{}",
            p.id_number,
            p.full_name,
            p.date_of_birth.format("%d%m%Y"),
            p.address,
            issued.format("%d%m%Y")
        ));
        input["phone"] = json!(p.phone);
        input["email"] = json!(p.email);
    } else {
        input["applicant"] = json!({
            "full_name": p.full_name,
            "id_number": p.id_number,
            "date_of_birth": p.date_of_birth.format("%Y-%m-%d").to_string(),
            "gender": gender,
            "address": p.address,
            "phone": p.phone,
            "email": p.email,
        });
    }
    if rng.u8(..10) == 0 {
        let a = person(rng, today);
        input["authorised"] = json!({
            "full_name": a.full_name,
            "id_number": a.id_number,
            "address": a.address,
            "phone": a.phone,
            "authorisation_document": format!("Giấy ủy quyền số {}/{}", rng.u32(1..200), today.year()),
        });
    }
    match rng.u8(..10) {
        0 => input["channel"] = json!("online"),
        1 => input["channel"] = json!("bưu chính"),
        _ => {}
    }
    if rng.u8(..8) == 0 {
        input["sets"] = json!(2);
    }
    input
}

/// Past working days with free numbers in desk 0's range, one entry per intake. Days
/// before the generated year are free unless an earlier run used them.
fn intake_days(store: &Store, today: NaiveDate, needed: usize) -> Vec<NaiveDate> {
    let unit = store.unit().expect("unit").code;
    let calendar = store.calendar().expect("calendar").clone();
    let mut out = Vec::with_capacity(needed);
    let mut day = today - Duration::days(370);
    while out.len() < needed {
        day -= Duration::days(1);
        assert!(day.year() > 2001, "no free desk numbers left for intakes");
        if !calendar.is_working_day(day) {
            continue;
        }
        let prefix = code_prefix_for_day(&unit, day);
        let used: i64 = store
            .conn()
            .query_row(
                "SELECT count(*) FROM dossier WHERE code >= ?1 AND code <= ?2",
                [format!("{prefix}0001"), format!("{prefix}0999")],
                |r| r.get(0),
            )
            .expect("count the day's dossiers");
        let free = INTAKES_PER_DAY.saturating_sub(usize::try_from(used).unwrap_or(usize::MAX));
        out.extend(std::iter::repeat_n(day, free.min(needed - out.len())));
    }
    out
}

fn time_in_hours(rng: &mut Rng) -> NaiveTime {
    let seconds = if rng.bool() {
        7 * 3600 + 30 * 60 + rng.u32(..4 * 3600)
    } else {
        13 * 3600 + 30 * 60 + rng.u32(..3 * 3600 + 30 * 60)
    };
    NaiveTime::from_num_seconds_from_midnight_opt(seconds, 0).expect("a time of day")
}

/// Runs the intakes, each its own durable transaction; returns their latencies and the
/// people taken in (for searching by rare names).
fn intakes(store: &mut Store) -> (Vec<StdDuration>, Vec<Person>) {
    let mut rng = Rng::with_seed(now_vn().timestamp().unsigned_abs());
    let today = to_wall(now_vn()).date();
    let procedures: Vec<String> = store
        .procedures()
        .expect("procedures")
        .into_iter()
        .filter(|p| !p.time_limits.is_empty())
        .map(|p| p.code.as_str().to_string())
        .collect();
    assert!(!procedures.is_empty(), "no procedure with a time limit");
    let days = intake_days(store, today, INTAKES);
    eprintln!(
        "{INTAKES} intakes over {} procedures, days {} … {}",
        procedures.len(),
        days.last().map(|d| d.to_string()).unwrap_or_default(),
        days.first().map(|d| d.to_string()).unwrap_or_default()
    );
    let mut times = Vec::with_capacity(INTAKES);
    let mut people = Vec::with_capacity(INTAKES);
    let mut codes = Vec::with_capacity(INTAKES);
    for day in days {
        let p = person(&mut rng, today);
        let procedure = &procedures[rng.usize(..procedures.len())];
        let received = from_wall(day.and_time(time_in_hours(&mut rng)));
        let json = intake_json(&mut rng, &p, procedure, received, today).to_string();
        let input = IntakeInput::from_json(&json).expect("intake JSON parses");
        let clerk = pick(&mut rng, CLERKS);
        let started = Instant::now();
        let state = store
            .intake(input, clerk, now_vn())
            .unwrap_or_else(|e| panic!("intake failed: {e}\n{json}"));
        times.push(started.elapsed());
        codes.push(state.code.to_string());
        people.push(p);
    }
    // Read back a few: the receipt is what was stored.
    for (code, p) in codes.iter().zip(&people).step_by(97) {
        let state = store.dossier(code).expect("read back an intake");
        assert_eq!(state.content.applicant.id_text(), p.id_number);
    }
    (times, people)
}

/// The first intake of the day starts today's backup (a copy of the whole database):
/// through the desk, as the window and `motcua intake` take in, each intake committed
/// and its Mẫu 01 laid out and saved as PDF. The first one must be as fast as the next
/// ones, which run while the backup copies in the background.
#[cfg(feature = "desk")]
fn first_intake_of_the_day(paths: &DataPaths, store: &Store) -> Vec<Row> {
    use motcua::desk::Desk;
    use motcua::desk::forms::PrintRequest;
    use motcua::desk::work::Intake;
    use motcua::print::Paper;

    const N: usize = 21;
    let today_backup = motcua::store::backup::daily_path(paths, now_vn());
    if today_backup.exists() {
        std::fs::remove_file(&today_backup).expect("remove today's backup");
    }
    let mut rng = Rng::with_seed(SEED ^ 0xBAC0);
    let today = to_wall(now_vn()).date();
    let procedure = store
        .procedures()
        .expect("procedures")
        .into_iter()
        .find(|p| !p.time_limits.is_empty())
        .map(|p| p.code.as_str().to_string())
        .expect("a procedure with a time limit");
    let days = intake_days(store, today, N);
    let desk = Desk::open(paths.clone()).expect("open the desk");
    let print = PrintRequest {
        printer: None,
        paper: Paper::A4,
    };
    let mut times = Vec::with_capacity(N);
    for day in days {
        let p = person(&mut rng, today);
        let received = from_wall(day.and_time(time_in_hours(&mut rng)));
        let json = intake_json(&mut rng, &p, &procedure, received, today).to_string();
        let input = IntakeInput::from_json(&json).expect("intake JSON parses");
        let who = Intake {
            clerk: CLERKS[0],
            draft: None,
        };
        let started = Instant::now();
        let written = desk
            .take_in_and_print(input, who, &print)
            .unwrap_or_else(|e| panic!("intake failed: {e}\n{json}"));
        times.push(started.elapsed());
        let printed = written.printed.expect("Mẫu 01 laid out");
        assert!(printed.error.is_none(), "Mẫu 01: {:?}", printed.error);
    }
    let started = Instant::now();
    let failure = desk.finish_backup();
    let waited = started.elapsed();
    assert!(failure.is_none(), "daily backup: {failure:?}");
    assert!(today_backup.exists(), "today's backup was made");
    let backup_size = std::fs::metadata(&today_backup).map_or(0, |m| m.len());
    vec![
        Row::latency(
            "first intake of the day",
            &times[..1],
            "commit + Mẫu 01 PDF; starts today's backup".into(),
        ),
        Row::latency(
            "next intakes, backup running",
            &times[1..],
            format!("{} intakes, commit + Mẫu 01 PDF each", N - 1),
        ),
        Row::value(
            "backup left after the intakes",
            "seconds",
            waited.as_secs_f64(),
            format!(
                "background copy of {:.0} MiB still running when the {N} intakes ended",
                backup_size as f64 / (1024.0 * 1024.0)
            ),
        ),
    ]
}

// ---------------------------------------------------------------------------------------
// Search

#[derive(Debug)]
struct Query {
    kind: &'static str,
    text: String,
    /// A dossier code the results must contain, when known.
    expect: Option<String>,
}

fn searches(store: &Store, intaken: &[Person]) -> Vec<Row> {
    let mut rng = Rng::with_seed(SEED ^ 0x5EA2C4);
    let max_id: i64 = store
        .conn()
        .query_row("SELECT max(id) FROM dossier", [], |r| r.get(0))
        .expect("max id");
    let mut sample = store
        .conn()
        .prepare("SELECT code, applicant_name, id_number FROM dossier WHERE id = ?1")
        .expect("prepare sample");
    let mut rows: Vec<(String, String, String)> = Vec::new();
    while rows.len() < QUERIES_PER_KIND {
        let id = rng.i64(1..=max_id);
        if let Ok(r) = sample.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))) {
            rows.push(r);
        }
    }

    const COMMON: &[&str] = &[
        "nguyen van",
        "nguyen thi",
        "tran thi",
        "le van",
        "pham van",
        "nguyen",
        "huong",
        "thi lan",
        "dang thi huong",
        "nguyen van hung",
        "tran thi lan",
        "vu duc nam",
        "bui thi thu",
        "hoang minh",
        "ngoc anh",
    ];
    let rare: Vec<&Person> = intaken.iter().filter(|p| p.rare).collect();
    let mut queries = Vec::new();
    for i in 0..QUERIES_PER_KIND {
        let (code, name, id) = &rows[i];
        // Names: a third common words, a third full names of stored rows, a third rare
        // full names just taken in.
        queries.push(match i % 3 {
            0 => Query {
                kind: "name_common",
                text: COMMON[(i / 3) % COMMON.len()].to_string(),
                expect: None,
            },
            1 => Query {
                kind: "name_full",
                text: fold(name),
                expect: None,
            },
            _ => match rare.get((i / 3) % rare.len().max(1)) {
                Some(p) => Query {
                    kind: "name_rare",
                    text: fold(&p.full_name),
                    expect: None,
                },
                None => Query {
                    kind: "name_full",
                    text: fold(name),
                    expect: None,
                },
            },
        });
        queries.push(Query {
            kind: "id_number",
            text: id.clone(),
            expect: Some(code.clone()),
        });
        // Codes: month prefix (YYMM), day prefix (YYMMDD-), full code.
        let (text, expect) = match i % 3 {
            0 => (code[..UNIT_CODE.len() + 5].to_string(), None),
            1 => (code[..code.len() - 4].to_string(), None),
            _ => (code.clone(), Some(code.clone())),
        };
        queries.push(Query {
            kind: match i % 3 {
                0 => "code_month",
                1 => "code_day",
                _ => "code_full",
            },
            text,
            expect,
        });
    }

    // Warm up the statement cache and the first pages, as a desk that has just opened.
    for q in queries.iter().take(6) {
        store.search(&q.text, SEARCH_LIMIT).expect("search");
    }

    let mut by_kind: Vec<(&'static str, Vec<StdDuration>, Vec<usize>, usize)> = Vec::new();
    for q in &queries {
        let started = Instant::now();
        let found = store.search(&q.text, SEARCH_LIMIT).expect("search");
        let elapsed = started.elapsed();
        let missed = q
            .expect
            .as_ref()
            .is_some_and(|c| !found.iter().any(|s| &s.code == c));
        let slot = match by_kind.iter().position(|(k, ..)| *k == q.kind) {
            Some(i) => i,
            None => {
                by_kind.push((q.kind, Vec::new(), Vec::new(), 0));
                by_kind.len() - 1
            }
        };
        let entry = &mut by_kind[slot];
        entry.1.push(elapsed);
        entry.2.push(found.len());
        entry.3 += usize::from(missed);
    }

    let mut out = Vec::new();
    for group in ["name", "id_number", "code"] {
        let members: Vec<_> = by_kind
            .iter()
            .filter(|(k, ..)| k.starts_with(group))
            .collect();
        let times: Vec<StdDuration> = members.iter().flat_map(|m| m.1.clone()).collect();
        let hits: Vec<usize> = members.iter().flat_map(|m| m.2.clone()).collect();
        let missed: usize = members.iter().map(|m| m.3).sum();
        out.push(Row::latency(
            &format!("search_{group}"),
            &times,
            hit_note(&hits, missed),
        ));
        if members.len() > 1 {
            for (kind, times, hits, missed) in members {
                out.push(Row::latency(
                    &format!("  search_{kind}"),
                    times,
                    hit_note(hits, *missed),
                ));
            }
        }
    }

    // How common the common names are (all matches, not just the first page).
    let mut count = store
        .conn()
        .prepare("SELECT count(*) FROM dossier_fts WHERE dossier_fts MATCH ?1")
        .expect("prepare count");
    for q in [
        "nguyen van",
        "tran thi",
        "dang thi huong",
        "nguyen van hung",
    ] {
        let started = Instant::now();
        let n: i64 = count
            .query_row([fts_query(q)], |r| r.get(0))
            .expect("count matches");
        out.push(Row::value(
            &format!("matches '{q}'"),
            "dossiers",
            n as f64,
            format!(
                "counting them all takes {:.1} ms",
                started.elapsed().as_secs_f64() * 1e3
            ),
        ));
    }
    out
}

// ---------------------------------------------------------------------------------------
// F3: what one keystroke in the dossier search costs (the store job the screen runs,
// `list_dossiers` with the screen's page size), by the shape of what is typed so far.

/// The F3 screen's page (`ui::screens::dossiers::PAGE`).
const F3_PAGE: usize = 100;
const F3_QUERIES: usize = 200;

fn f3_keystrokes(store: &Store) -> Vec<Row> {
    use motcua::store::listing::ListFilter;
    let mut rng = Rng::with_seed(SEED ^ 0xF3);
    let max_id: i64 = store
        .conn()
        .query_row("SELECT max(id) FROM dossier", [], |r| r.get(0))
        .expect("max id");
    let mut sample = store
        .conn()
        .prepare("SELECT code, applicant_name, id_number FROM dossier WHERE id = ?1")
        .expect("prepare sample");
    let mut people: Vec<(String, String, String)> = Vec::new();
    while people.len() < F3_QUERIES {
        let id = rng.i64(1..=max_id);
        if let Ok(r) = sample.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))) {
            people.push(r);
        }
    }
    let word_start = |rng: &mut Rng, name: &str, n: usize| -> String {
        let words: Vec<&str> = name.split_whitespace().collect();
        words[rng.usize(..words.len())].chars().take(n).collect()
    };
    let mut shapes: Vec<(&str, Vec<String>)> = vec![
        ("f3_one_letter", Vec::new()),
        ("f3_two_letters", Vec::new()),
        ("f3_full_name", Vec::new()),
        ("f3_id_number", Vec::new()),
        ("f3_code_prefix", Vec::new()),
        ("f3_typing_name", Vec::new()),
        ("f3_typing_id", Vec::new()),
    ];
    for (code, name, id) in &people {
        shapes[0].1.push(word_start(&mut rng, name, 1));
        shapes[1].1.push(word_start(&mut rng, name, 2));
        shapes[2].1.push(name.clone());
        shapes[3].1.push(id.clone());
        let cut = rng.usize(UNIT_CODE.len() + 3..=code.len());
        shapes[4].1.push(code[..cut].to_string());
    }
    // Every keystroke of typing a name and an ID number (a quarter of the people).
    for (_, name, id) in people.iter().take(F3_QUERIES / 4) {
        let chars: Vec<char> = name.chars().collect();
        for n in 1..=chars.len() {
            shapes[5].1.push(chars[..n].iter().collect());
        }
        for n in 1..=id.len() {
            shapes[6].1.push(id[..n].to_string());
        }
    }
    let now = now_vn();
    let run = |q: &str| {
        let filter = ListFilter {
            query: q.to_string(),
            ..ListFilter::default()
        };
        store
            .list_dossiers(&filter, None, F3_PAGE, now)
            .expect("list")
    };
    // Warm the statement cache, as a desk that has been open a moment.
    for q in ["n", "ng", "nguyen van", "022", "H22.39.15-26"] {
        run(q);
    }
    let mut out = Vec::new();
    for (label, queries) in &shapes {
        let mut times = Vec::new();
        let mut hits = Vec::new();
        let mut broad = 0;
        for q in queries {
            let started = Instant::now();
            let page = run(q);
            times.push(started.elapsed());
            hits.push(page.rows.len());
            broad += usize::from(page.broad_prefix.is_some());
        }
        let full = hits.iter().filter(|h| **h == F3_PAGE).count();
        let empty = hits.iter().filter(|h| **h == 0).count();
        out.push(Row::latency(
            label,
            &times,
            format!("page {F3_PAGE}: full {full}, empty {empty}, too-broad hint {broad}"),
        ));
    }
    out
}

/// The status line's refresh: the sync state, the unsent-dossier count and the
/// thresholds, as `ui::status::StatusInfo::load` reads them (`desk::settings::sync_thresholds`).
fn status_line(store: &Store) -> Row {
    let acked: i64 = store
        .conn()
        .query_row("SELECT acked_seq FROM sync_state WHERE id = 1", [], |r| {
            r.get(0)
        })
        .expect("acked");
    let mut times = Vec::new();
    let mut unsent = 0;
    for _ in 0..50 {
        let started = Instant::now();
        let state = store.sync_state().expect("sync state");
        unsent = store.unsent_dossiers().expect("unsent");
        let _ = motcua::desk::settings::sync_thresholds(store);
        times.push(started.elapsed());
        assert!(state.last_seq >= unsent);
    }
    Row::latency(
        "status_line",
        &times,
        format!("{unsent} unsent dossiers, acknowledged seq {acked}"),
    )
}

/// The FTS5 query the store builds for a name (every folded word as a prefix).
fn fts_query(q: &str) -> String {
    fold(q)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\"*"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn hit_note(hits: &[usize], missed: usize) -> String {
    let total: usize = hits.iter().sum();
    let full = hits.iter().filter(|h| **h == SEARCH_LIMIT).count();
    let empty = hits.iter().filter(|h| **h == 0).count();
    let mut note = format!(
        "hits/query {:.1} (full page {full}, none {empty})",
        total as f64 / hits.len().max(1) as f64
    );
    if missed > 0 {
        note.push_str(&format!(", expected dossier missing {missed}"));
    }
    note
}

fn print_plans(store: &Store) {
    println!();
    println!("query plans (EXPLAIN QUERY PLAN):");
    let plans = [
        (
            "code prefix",
            "SELECT d.code FROM dossier d LEFT JOIN procedure p ON p.code = d.procedure_code \
             WHERE d.code >= 'H22.39.15-2605' AND d.code < 'H22.39.15-2606' ORDER BY d.code DESC LIMIT 20",
        ),
        (
            "name / ID (FTS5)",
            "SELECT d.code FROM dossier_fts f JOIN dossier d ON d.id = f.rowid \
             LEFT JOIN procedure p ON p.code = d.procedure_code \
             WHERE dossier_fts MATCH '\"nguyen\"* \"van\"*' ORDER BY f.rowid DESC LIMIT 20",
        ),
    ];
    for (label, sql) in plans {
        println!("  {label}:");
        let mut stmt = store
            .conn()
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("prepare plan");
        let lines = stmt
            .query_map([], |r| r.get::<_, String>(3))
            .expect("plan")
            .collect::<Result<Vec<_>, _>>()
            .expect("plan rows");
        for line in lines {
            println!("    {line}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Output

#[derive(Debug)]
enum Figure {
    Value { unit: &'static str, value: f64 },
    Latency { n: usize, ms: [f64; 5] },
}

#[derive(Debug)]
struct Row {
    name: String,
    figure: Figure,
    note: String,
}

impl Row {
    fn value(name: &str, unit: &'static str, value: f64, note: String) -> Row {
        Row {
            name: name.to_string(),
            figure: Figure::Value { unit, value },
            note,
        }
    }

    fn latency(name: &str, times: &[StdDuration], note: String) -> Row {
        let mut ms: Vec<f64> = times.iter().map(|t| t.as_secs_f64() * 1e3).collect();
        ms.sort_by(f64::total_cmp);
        let mean = ms.iter().sum::<f64>() / ms.len().max(1) as f64;
        Row {
            name: name.to_string(),
            figure: Figure::Latency {
                n: ms.len(),
                ms: [
                    percentile(&ms, 0.50),
                    percentile(&ms, 0.95),
                    percentile(&ms, 0.99),
                    ms.last().copied().unwrap_or(f64::NAN),
                    mean,
                ],
            },
            note,
        }
    }
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn print_table(rows: &[Row], dossiers: usize) {
    println!();
    println!(
        "{:<22} {:>5} {:>9} {:>9} {:>9} {:>9} {:>9}  note",
        format!("N = {dossiers}"),
        "n",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        "mean ms"
    );
    println!("{}", "-".repeat(110));
    for row in rows {
        match &row.figure {
            Figure::Latency { n, ms } => println!(
                "{:<22} {n:>5} {:>9.2} {:>9.2} {:>9.2} {:>9.2} {:>9.2}  {}",
                row.name, ms[0], ms[1], ms[2], ms[3], ms[4], row.note
            ),
            Figure::Value { unit, value } => println!(
                "{:<22} {:>27} {:<21}  {}",
                row.name,
                format!("{value:.1}"),
                unit,
                row.note
            ),
        }
    }
    println!();
    println!("figure dossiers {dossiers}");
    for row in rows {
        let key: String = row
            .name
            .trim()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let key = key
            .split('_')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("_")
            .to_lowercase();
        match &row.figure {
            Figure::Latency { n, ms } => {
                for (label, v) in ["p50", "p95", "p99", "max", "mean"].iter().zip(ms) {
                    println!("figure {key}_{label}_ms {v:.3}");
                }
                println!("figure {key}_count {n}");
            }
            Figure::Value { unit, value } => {
                let unit = match *unit {
                    "dossiers/s" => "per_s",
                    "MiB" => "mib",
                    other => other,
                };
                println!("figure {key}_{unit} {value:.3}");
            }
        }
    }
}
