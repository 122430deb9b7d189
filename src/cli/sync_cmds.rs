//! Sync commands: `enroll` (once, with a code from the centre), `sync --once` (one
//! push-then-pull round), `sync` (rounds forever, with backoff after failures) and
//! `sync status`.

use std::time::{Duration, Instant};

use clap::{Args, Subcommand};
use serde::Serialize;

use crate::cli::output::{errln, outln, print_json};
use crate::cli::{CliError, CliResult, Global};
use crate::desk::Desk;
use crate::desk::sync::SyncFailure;
use crate::desk::update::{LookSchedule, UpdateStep};
use crate::domain::clock::now_vn;
use crate::domain::text::escape_controls;
use crate::domain::text::mask_personal;
use crate::sync::backoff::Backoff;
use crate::sync::client::SyncReport;
use crate::sync::health::{self, Level, SyncHealth, Thresholds};

#[derive(Debug, Args)]
pub struct EnrollArgs {
    /// Địa chỉ máy chủ trung tâm, ví dụ https://motcua.tinh.gov.vn
    #[arg(long, value_name = "ĐỊA_CHỈ")]
    pub centre: String,
    /// Mã đăng ký do trung tâm cấp (dùng một lần). Không ghi ở đây thì lấy từ biến môi
    /// trường MOTCUA_ENROLL_CODE hoặc đọc từ đầu vào chuẩn: tham số dòng lệnh ai cũng
    /// xem được bằng `ps`
    #[arg(
        long,
        value_name = "MÃ",
        env = "MOTCUA_ENROLL_CODE",
        hide_env_values = true
    )]
    pub code: Option<String>,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    #[command(subcommand)]
    pub command: Option<SyncCommand>,
    /// Đồng bộ một lượt (gửi rồi nhận) rồi thoát
    #[arg(long)]
    pub once: bool,
    /// Dùng địa chỉ trung tâm này cho lần chạy này (thay địa chỉ đã đăng ký)
    #[arg(long, value_name = "ĐỊA_CHỈ")]
    pub centre: Option<String>,
    /// Khi chạy liên tục: số giây giữa hai lượt thành công
    #[arg(long, default_value_t = 60, value_name = "GIÂY")]
    pub interval: u64,
}

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Tình trạng đồng bộ: số sự kiện chờ gửi, lần gửi/nhận gần nhất, lỗi, độ lệch giờ
    Status,
}

fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError(format!("không khởi động được bộ chạy đồng bộ: {e}")))
}

fn enrolled_desk(global: &Global) -> Result<Desk, CliError> {
    global
        .open_existing()?
        .ok_or_else(|| CliError(crate::desk::StoreError::NotInitialised.to_string()))
}

/// The enrollment code typed or piped in (one line), kept out of the command line.
fn code_from_stdin() -> Result<String, CliError> {
    eprint!("Nhập mã đăng ký do trung tâm cấp: ");
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| CliError(format!("Không đọc được mã đăng ký: {e}")))?;
    let code = line.trim().to_string();
    if code.is_empty() {
        return Err(CliError(
            "Chưa có mã đăng ký: hãy nhập mã, đặt biến MOTCUA_ENROLL_CODE hoặc dùng --code".into(),
        ));
    }
    Ok(code)
}

pub fn enroll(global: &Global, args: &EnrollArgs) -> CliResult {
    let desk = enrolled_desk(global)?;
    let code = match &args.code {
        Some(code) => code.clone(),
        None => code_from_stdin()?,
    };
    let (resp, _) = runtime()?
        .block_on(desk.enroll(&args.centre, &code))
        .map_err(|e| CliError(e.to_string()))?;
    if global.json {
        #[derive(Serialize)]
        struct EnrolledJson {
            desk_id: String,
            unit_code: String,
            desk_index: u8,
        }
        return print_json(&EnrolledJson {
            desk_id: resp.desk_id.to_string(),
            unit_code: resp.unit_code,
            desk_index: resp.desk_index,
        });
    }
    outln!(
        "Đã đăng ký quầy số {} của {} ({}) với trung tâm {}",
        resp.desk_index,
        resp.unit_name,
        resp.unit_code,
        args.centre
    );
    Ok(())
}

pub fn sync(global: &Global, args: &SyncArgs) -> CliResult {
    if let Some(SyncCommand::Status) = args.command {
        return status(global);
    }
    let desk = enrolled_desk(global)?;
    let rt = runtime()?;
    let thresholds = desk.sync_thresholds()?;
    if args.once {
        let synced = rt
            .block_on(desk.sync_round(args.centre.as_deref()))
            .map_err(|e| CliError(SyncFailure::of(&e).message))?;
        return print_report(global, &synced.report, &thresholds);
    }
    // Runs until interrupted, waiting longer after each failure; a refusal only a
    // person can cure (401, 403) stops it with what to do.
    let mut backoff = Backoff::default();
    let mut looks = LookSchedule::default();
    loop {
        let wait = match rt.block_on(desk.sync_round(args.centre.as_deref())) {
            Ok(synced) => {
                backoff.reset();
                print_report(global, &synced.report, &thresholds)?;
                if looks.due(Instant::now()) {
                    look_for_update(&rt, &desk);
                }
                Duration::from_secs(args.interval.max(1))
            }
            Err(e) if !e.is_transient() => return Err(CliError(SyncFailure::of(&e).message)),
            Err(e) => {
                let wait = backoff.after(&e);
                // A background log: no ID or phone number a refusal may quote.
                errln!(
                    "Lỗi đồng bộ: {} — thử lại sau {} giây",
                    mask_personal(&e.to_string()),
                    wait.as_secs()
                );
                wait
            }
        };
        std::thread::sleep(wait);
    }
}

/// After a successful background round: a newer version is offered or, with "tự cập
/// nhật", downloaded, checked and staged for the install when the window closes. A
/// failure here never stops the rounds.
fn look_for_update(rt: &tokio::runtime::Runtime, desk: &Desk) {
    match rt.block_on(desk.look_for_update(false)) {
        Ok(UpdateStep::UpToDate) => {}
        Ok(step @ UpdateStep::Offered(_)) => {
            errln!("{} (chạy: motcua update --accept)", step.status_line())
        }
        Ok(step) => errln!("{}", step.status_line()),
        Err(e) => errln!(
            "Chưa kiểm tra được bản cập nhật: {}",
            mask_personal(&e.to_string())
        ),
    }
}

fn print_report(global: &Global, r: &SyncReport, t: &Thresholds) -> CliResult {
    // On stderr, so it reaches the clerk even when stdout is JSON for a script.
    warn_clock(r.clock_offset_ms, t);
    if global.json {
        return print_json(r);
    }
    if r.recovered > 0 {
        outln!(
            "Đã lấy lại {} sự kiện của quầy này từ trung tâm (cơ sở dữ liệu đã được khôi phục từ bản sao lưu cũ)",
            r.recovered
        );
    }
    outln!(
        "Đã gửi {} sự kiện (trung tâm đã nhận tới số {}); còn chờ gửi: {}",
        r.pushed,
        r.acked_seq,
        r.pending
    );
    outln!(
        "Đã nhận {} sự kiện mới, {} cập nhật danh mục/lịch",
        r.pulled_events,
        r.pulled_updates
    );
    if r.files_sent > 0 || r.files_pending > 0 {
        outln!(
            "Đã gửi {} tệp giấy tờ số hóa; còn chờ gửi: {}",
            r.files_sent,
            r.files_pending
        );
    }
    if let Some(why) = &r.files_error {
        outln!("Chưa gửi được tệp giấy tờ: {why}");
    }
    if r.refused > 0 {
        outln!(
            "Bị từ chối: {} mục (không áp dụng, không chặn dữ liệu khác; xem: motcua sync status)",
            r.refused
        );
    }
    Ok(())
}

fn warn_clock(offset: Option<i64>, t: &Thresholds) {
    if let Some(w) = health::clock_warning(offset, t.max_clock_skew) {
        errln!("Cảnh báo: {w}");
    }
}

fn level_word(level: &Level) -> &'static str {
    match level {
        Level::Ok => "tốt",
        Level::Info => "thông tin",
        Level::Warning => "cảnh báo",
        Level::Alarm => "báo động",
    }
}

fn status(global: &Global) -> CliResult {
    let desk = enrolled_desk(global)?;
    let s = desk.sync_state()?;
    let unsent = desk.unsent_dossiers()?;
    // Counted up to what one look at the queue takes; "200+" beyond.
    let unsent_files = desk.files_to_upload(200)?.len();
    let thresholds = desk.sync_thresholds()?;
    let h: SyncHealth = health::assess(&s, s.enrolled, unsent, now_vn(), &thresholds);
    if global.json {
        #[derive(Serialize)]
        struct StatusJson<'a> {
            #[serde(flatten)]
            state: &'a crate::domain::sync_state::SyncState,
            pending: i64,
            unsent_dossiers: i64,
            unsent_files: usize,
            health_level: &'static str,
            health: &'a str,
            clock_warning: Option<&'a str>,
        }
        return print_json(&StatusJson {
            state: &s,
            pending: s.pending(),
            unsent_dossiers: unsent,
            unsent_files,
            health_level: level_word(&h.level),
            health: &h.message,
            clock_warning: h.clock_warning.as_deref(),
        });
    }
    let never = "chưa có".to_string();
    outln!(
        "Tình trạng:             {} ({})",
        h.message,
        level_word(&h.level)
    );
    match (&s.centre_url, s.enrolled) {
        (Some(url), true) => outln!("Trung tâm:              {url}"),
        _ => outln!(
            "Trung tâm:              chưa đăng ký (motcua enroll --centre ĐỊA_CHỈ --code MÃ)"
        ),
    }
    outln!("Hồ sơ chờ gửi:          {unsent}");
    outln!("Sự kiện chờ gửi:        {}", s.pending());
    if unsent_files > 0 {
        let more = if unsent_files >= 200 { "+" } else { "" };
        outln!("Tệp giấy tờ chờ gửi:    {unsent_files}{more}");
    }
    outln!(
        "Gửi thành công gần nhất: {}",
        s.last_push_at.as_ref().unwrap_or(&never)
    );
    outln!(
        "Nhận thành công gần nhất: {}",
        s.last_pull_at.as_ref().unwrap_or(&never)
    );
    outln!(
        "Lỗi gần nhất:           {}",
        s.last_error.as_deref().unwrap_or("không có")
    );
    match s.clock_offset_ms {
        Some(ms) => outln!("Lệch giờ với trung tâm: {:+.1} giây", ms as f64 / 1000.0),
        None => outln!("Lệch giờ với trung tâm: chưa đo"),
    }
    if let Some(w) = &h.clock_warning {
        outln!("Cảnh báo:               {w}");
    }
    if s.refused > 0 {
        outln!("Mục bị từ chối:         {} (mới nhất trước)", s.refused);
        for r in desk.refused_items(10)? {
            let way = if r.direction == "push" {
                "trung tâm không nhận sự kiện số"
            } else {
                "quầy không áp dụng mục số"
            };
            outln!(
                "  {} {way} {} (hồ sơ {}): {}",
                r.recorded_at,
                r.seq,
                escape_controls(r.dossier_code.as_deref().unwrap_or("-")),
                escape_controls(&r.reason)
            );
        }
    }
    Ok(())
}
