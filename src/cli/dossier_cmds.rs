//! Dossier commands: intake, show, search, record.

use std::io::Read;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::cli::output::{errln, outln, parse_time, print_json};
use crate::cli::{CliError, CliResult, Global};
use crate::desk::work::Intake;
use crate::domain::action::ActionRequest;
use crate::domain::applicant::Identity;
use crate::domain::clock::{
    Timestamp, format_rfc3339, format_vi_long, format_vi_short, now_vn, to_wall,
};
use crate::domain::dossier::DossierState;
use crate::domain::due::new_due::NewDue;
use crate::domain::event::Event;
use crate::domain::intake::IntakeInput;
use crate::domain::lifecycle::{classify, second_supplement_warning};
use crate::domain::text::escape_controls;

/// Largest intake document accepted: far above any real dossier, far below harm.
const MAX_INPUT_BYTES: u64 = 1024 * 1024;

#[derive(Debug, Args)]
pub struct IntakeArgs {
    /// Tệp JSON của hồ sơ, hoặc '-' để đọc từ stdin (viết là --json TỆP hoặc --input TỆP)
    #[arg(long = "input", value_name = "TỆP")]
    pub file: String,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Mã hồ sơ
    pub code: String,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Mã hồ sơ (hoặc phần đầu), họ tên (có hoặc không dấu), số định danh, số điện thoại
    pub query: String,
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Action {
    /// Chuyển xử lý
    Transfer,
    /// Yêu cầu bổ sung hồ sơ (Mẫu 02)
    SupplementRequest,
    /// Nhận hồ sơ bổ sung (tính lại hạn trả)
    SupplementReceived,
    /// Gia hạn (Mẫu 04), cần --until
    Extend,
    /// Dừng giải quyết (Mẫu 05)
    Stop,
    /// Người nộp rút hồ sơ (Mẫu 05)
    Withdraw,
    /// Từ chối giải quyết (Mẫu 03)
    Refuse,
    /// Có kết quả, chờ trả
    ResultReady,
    /// Trả kết quả
    Return,
}

#[derive(Debug, Args)]
pub struct RecordArgs {
    /// Mã hồ sơ
    pub code: String,
    /// Việc cần ghi nhận
    #[arg(value_enum)]
    pub action: Action,
    /// Thời điểm thực hiện (mặc định: bây giờ)
    #[arg(long)]
    pub at: Option<String>,
    /// Ghi chú, lý do
    #[arg(long, default_value = "")]
    pub note: String,
    /// Thời hạn mới khi gia hạn
    #[arg(long)]
    pub until: Option<String>,
    /// Nơi chuyển đến khi chuyển xử lý
    #[arg(long, default_value = "Bộ phận chuyên môn")]
    pub to: String,
    /// Người nhận kết quả (mặc định: người nộp hồ sơ)
    #[arg(long)]
    pub collected_by: Option<String>,
    /// Nội dung cần bổ sung (có thể lặp lại)
    #[arg(long = "item")]
    pub items: Vec<String>,
    /// Vẫn ghi yêu cầu bổ sung lần thứ hai, biết rằng hồ sơ sẽ bị tính quá hạn
    /// (QĐ 766/QĐ-TTg, chỉ số 2.1)
    #[arg(long)]
    pub yes: bool,
}

fn read_input(file: &str) -> Result<String, CliError> {
    let mut text = String::new();
    let read = if file == "-" {
        std::io::stdin()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_string(&mut text)
    } else {
        let path = PathBuf::from(file);
        std::fs::File::open(&path)
            .map_err(|e| CliError(format!("không mở được tệp {}: {e}", path.display())))?
            .take(MAX_INPUT_BYTES + 1)
            .read_to_string(&mut text)
    };
    read.map_err(|e| {
        CliError(format!(
            "không đọc được dữ liệu hồ sơ (cần văn bản UTF-8): {e}"
        ))
    })?;
    if text.len() as u64 > MAX_INPUT_BYTES {
        return Err(CliError(format!(
            "dữ liệu hồ sơ quá lớn (tối đa {} KB)",
            MAX_INPUT_BYTES / 1024
        )));
    }
    Ok(text)
}

/// What intake and record print for scripts: the code, its times and status.
#[derive(Serialize)]
struct BriefJson {
    code: String,
    received_at: String,
    due_at: String,
    status: u8,
}

impl BriefJson {
    fn of(state: &DossierState) -> Self {
        BriefJson {
            code: state.code.to_string(),
            received_at: format_rfc3339(state.content.received_at),
            due_at: format_rfc3339(state.due_at),
            status: state.status.code(),
        }
    }
}

pub fn intake(global: &Global, args: &IntakeArgs) -> CliResult {
    let input =
        IntakeInput::from_json(&read_input(&args.file)?).map_err(|e| CliError(e.to_string()))?;
    let desk = global.open()?;
    let clerk = global.clerk_name();
    let written = desk.take_in(
        input,
        Intake {
            clerk: &clerk,
            draft: None,
        },
    )?;
    // The dossier is already durable; a failed daily backup must not hide that.
    if let Some(warning) = &written.backup_warning {
        errln!("Cảnh báo: {warning}");
    }
    let state = written.state;
    if global.json {
        return print_json(&BriefJson::of(&state));
    }
    outln!("Đã tiếp nhận hồ sơ: {}", state.code);
    outln!(
        "Hẹn trả kết quả:   {} ({})",
        format_vi_long(state.due_at),
        format_rfc3339(state.due_at)
    );
    Ok(())
}

#[derive(Serialize)]
struct ApplicantJson {
    kind: &'static str,
    full_name: String,
    id_number: String,
    date_of_birth: Option<String>,
    gender: Option<String>,
    representative: Option<String>,
    nationality: Option<String>,
    address: String,
    phone: Option<String>,
    email: Option<String>,
}

#[derive(Serialize)]
struct EventJson {
    id: String,
    at: String,
    kind: &'static str,
    label: &'static str,
    actor: String,
    origin: String,
    event: serde_json::Value,
}

#[derive(Serialize)]
struct ShowJson {
    code: String,
    status: u8,
    status_label: &'static str,
    procedure: String,
    procedure_name: String,
    time_limit: String,
    received_at: String,
    due_at: String,
    received_due_at: String,
    extended: bool,
    result_ready_at: Option<String>,
    returned_at: Option<String>,
    returned_to: Option<String>,
    closed_at: Option<String>,
    timeliness: &'static str,
    applicant: ApplicantJson,
    authorised: Option<serde_json::Value>,
    documents: serde_json::Value,
    /// Digitised documents attached now (`DossierState.documents`).
    digitised: serde_json::Value,
    sets: u32,
    channel: &'static str,
    result_at: String,
    fee_amount: Option<i64>,
    received_by: String,
    anomalies: Vec<String>,
    events: Vec<EventJson>,
}

fn show_json(state: &DossierState, events: &[Event], now: Timestamp) -> Result<ShowJson, CliError> {
    let c = &state.content;
    let a = &c.applicant;
    let to_value = |v: &dyn erased::Ser| v.value();
    Ok(ShowJson {
        code: state.code.to_string(),
        status: state.status.code(),
        status_label: state.status.label_vi(),
        procedure: c.procedure.code.to_string(),
        procedure_name: c.procedure.name.clone(),
        time_limit: c.procedure.time_limit_vi(),
        received_at: format_rfc3339(c.received_at),
        due_at: format_rfc3339(state.due_at),
        received_due_at: format_rfc3339(c.due_at),
        extended: state.extended,
        result_ready_at: state.result_ready_at.map(format_rfc3339),
        returned_at: state.returned_at.map(format_rfc3339),
        returned_to: state.returned_to.clone(),
        closed_at: state.closed_at.map(format_rfc3339),
        timeliness: classify(state, now).label_vi(),
        applicant: ApplicantJson {
            kind: a.kind().key(),
            full_name: a.full_name.clone(),
            id_number: a.id_text().to_string(),
            date_of_birth: match &a.identity {
                Identity::Citizen { date_of_birth, .. } => {
                    Some(date_of_birth.format("%Y-%m-%d").to_string())
                }
                _ => None,
            },
            gender: match &a.identity {
                Identity::Citizen { gender, .. } => Some(gender.to_string()),
                _ => None,
            },
            representative: match &a.identity {
                Identity::Organisation { representative, .. } => Some(representative.clone()),
                _ => None,
            },
            nationality: match &a.identity {
                Identity::Foreigner { nationality, .. } => Some(nationality.clone()),
                _ => None,
            },
            address: a.address.clone(),
            phone: a.phone.clone(),
            email: a.email.clone(),
        },
        authorised: c.authorised.as_ref().map(|p| to_value(p)).transpose()?,
        documents: to_value(&c.documents)?,
        digitised: to_value(&state.documents)?,
        sets: c.sets,
        channel: c.channel.label_vi(),
        result_at: c.result_at.clone(),
        fee_amount: c.fee_amount,
        received_by: c.received_by.clone(),
        anomalies: state
            .anomalies
            .iter()
            .map(|a| format!("{}: {}", a.kind.label_vi(), a.reason))
            .collect(),
        events: events
            .iter()
            .map(|e| {
                Ok(EventJson {
                    id: e.id.to_string(),
                    at: format_rfc3339(e.at),
                    kind: e.body.kind().as_str(),
                    label: e.body.kind().label_vi(),
                    actor: e.actor.name.clone(),
                    origin: e.origin.clone(),
                    event: to_value(&e.body)?,
                })
            })
            .collect::<Result<_, CliError>>()?,
    })
}

/// Serialising domain values into JSON values for the show output.
mod erased {
    use crate::cli::CliError;

    pub trait Ser {
        fn value(&self) -> Result<serde_json::Value, CliError>;
    }

    impl<T: serde::Serialize> Ser for T {
        fn value(&self) -> Result<serde_json::Value, CliError> {
            serde_json::to_value(self).map_err(|e| CliError(format!("không tạo được JSON: {e}")))
        }
    }
}

/// One line of `show`: text that came from another machine is printed with its control
/// characters escaped, so it cannot drive the terminal or forge a line.
macro_rules! say {
    ($($arg:tt)*) => {
        outln!("{}", escape_controls(&format!($($arg)*)))
    };
}

pub fn show(global: &Global, args: &ShowArgs) -> CliResult {
    let desk = global.open()?;
    let state = desk.dossier(&args.code)?;
    let events = desk.timeline(&args.code)?;
    let now = now_vn();
    if global.json {
        return print_json(&show_json(&state, &events, now)?);
    }
    let c = &state.content;
    let a = &c.applicant;
    say!("Mã hồ sơ:          {}", state.code);
    say!(
        "Số tiếp nhận:      {:02} — sổ {}, Quyển số {}, Số thứ tự {:02}",
        state.numbers.receipt,
        state.book_field,
        state.numbers.volume_vi(state.book_year()),
        state.numbers.seq
    );
    say!(
        "Trạng thái:        {} ({})",
        state.status.label_vi(),
        state.status.code()
    );
    say!("Tiến độ:           {}", classify(&state, now).label_vi());
    say!(
        "Thủ tục:           {} — {}",
        c.procedure.code,
        c.procedure.name
    );
    say!("Thời hạn:          {}", c.procedure.time_limit_vi());
    if let Some(reason) = &c.procedure.time_limit_reason {
        say!("Căn cứ thời hạn:   {reason}");
    }
    say!(
        "Người nộp:         {} ({}) — {} {}",
        a.full_name,
        a.kind().label_vi(),
        a.kind().id_label_vi().to_lowercase(),
        a.id_text()
    );
    for (label, value) in a.details_vi() {
        say!("{:<19}{value}", format!("{label}:"));
    }
    for note in a.notes_vi() {
        say!("Lưu ý:             {note}");
    }
    say!("Địa chỉ:           {}", a.address);
    if let Some(p) = &a.phone {
        say!("Điện thoại:        {p}");
    }
    if let Some(e) = &a.email {
        say!("Email:             {e}");
    }
    if let Some(p) = &c.authorised {
        say!(
            "Người được ủy quyền: {} — số định danh {}",
            p.full_name,
            p.id_number.as_str()
        );
        outln!("Giấy tờ ủy quyền:  {}", p.authorisation_document);
    }
    say!("Thành phần hồ sơ:");
    for (i, d) in c.documents.iter().enumerate() {
        say!("  {}. {} ({} bản)", i + 1, d.name, d.count);
    }
    if !state.documents.is_empty() {
        say!("Giấy tờ đã số hóa:");
        for d in &state.documents {
            say!("  - {}: {} ({} trang)", d.item, d.file.name, d.file.pages);
        }
    }
    say!("Số lượng hồ sơ:    {} bộ", c.sets);
    say!("Tiếp nhận:         {}", format_vi_long(c.received_at));
    say!("Hẹn trả:           {}", format_vi_long(state.due_at));
    say!("Nhận kết quả tại:  {}", c.result_at);
    say!("Nhật ký:");
    for e in &events {
        say!(
            "  {}  {} — {}",
            format_vi_short(e.at),
            e.body.kind().label_vi(),
            e.actor.name
        );
    }
    for anomaly in &state.anomalies {
        say!(
            "Cảnh báo: {} không áp dụng được: {}",
            anomaly.kind.label_vi(),
            anomaly.reason
        );
    }
    Ok(())
}

pub fn search(global: &Global, args: &SearchArgs) -> CliResult {
    let found = global.open()?.search(&args.query, args.limit)?;
    if global.json {
        return print_json(&found);
    }
    if found.is_empty() {
        outln!(
            "Không tìm thấy hồ sơ nào khớp với \"{}\"",
            escape_controls(&args.query)
        );
        return Ok(());
    }
    for s in &found {
        outln!(
            "{}\t{}\t{}\t{}\t{}",
            s.code,
            escape_controls(&s.applicant_name),
            escape_controls(&s.id_number),
            s.status.label_vi(),
            escape_controls(&s.procedure_name)
        );
    }
    Ok(())
}

pub fn record(global: &Global, args: &RecordArgs) -> CliResult {
    let at = args
        .at
        .as_deref()
        .map(|t| parse_time(t, "Thời điểm"))
        .transpose()?;
    let note = args.note.clone();
    let request = match args.action {
        Action::Transfer => ActionRequest::Transfer {
            to: args.to.clone(),
            note,
        },
        Action::SupplementRequest => ActionRequest::RequestSupplement {
            items: args.items.clone(),
            reason: note,
        },
        Action::SupplementReceived => ActionRequest::ReceiveSupplement { note },
        Action::Extend => {
            let until = args
                .until
                .as_deref()
                .ok_or_else(|| CliError("gia hạn cần thời hạn mới: --until THỜI_ĐIỂM".into()))?;
            ActionRequest::Extend {
                until: parse_new_due(until)?,
                reason: note,
            }
        }
        Action::Stop => ActionRequest::Stop { reason: note },
        Action::Withdraw => ActionRequest::Withdraw { note },
        Action::Refuse => ActionRequest::Refuse { reason: note },
        Action::ResultReady => ActionRequest::ResultReady { note },
        Action::Return => ActionRequest::Return {
            collected_by: args.collected_by.clone(),
            note,
        },
    };
    let desk = global.open()?;
    // A script cannot answer a question: a second supplement request, which makes the
    // dossier late, is refused unless `--yes` says the clerk knows.
    if matches!(args.action, Action::SupplementRequest) && !args.yes {
        let state = desk.dossier(&args.code)?;
        if let Some(warning) = second_supplement_warning(&state) {
            return Err(CliError(format!(
                "{warning} Nếu vẫn cần, chạy lại lệnh với --yes"
            )));
        }
    }
    let written = desk.record(&args.code, request, at, &global.clerk_name())?;
    if let Some(warning) = &written.backup_warning {
        errln!("Cảnh báo: {warning}");
    }
    let state = written.state;
    if global.json {
        return print_json(&BriefJson::of(&state));
    }
    outln!(
        "Đã ghi nhận. Hồ sơ {}: {} — hẹn trả {}",
        state.code,
        state.status.label_vi(),
        format_vi_short(state.due_at)
    );
    Ok(())
}

/// `--until`: a date alone (2026-12-28) means that day's closing time; a date and
/// time is taken as typed. The store refuses a rest day or a time the desk is shut.
fn parse_new_due(raw: &str) -> Result<NewDue, CliError> {
    if let Ok(day) = chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d") {
        return Ok(NewDue::Day(day));
    }
    Ok(NewDue::At(to_wall(parse_time(raw, "Thời hạn mới")?)))
}
