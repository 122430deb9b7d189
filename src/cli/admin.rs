//! Set-up and maintenance commands: init, catalogue, demo data, backup, restore, and
//! the no-argument default.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use serde::Serialize;

use crate::cli::output::{err, errln, outln, print_json};
use crate::cli::{CliError, CliResult, Global};
use crate::desk::InitInput;
use crate::desk::work::Intake;
use crate::domain::clock::{format_rfc3339, format_vi_long};
use crate::domain::intake::IntakeInput;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Mã định danh điện tử của đơn vị (QĐ 20/2020), ví dụ H22.39.15
    #[arg(long)]
    pub unit_code: String,
    /// Tên đơn vị tiếp nhận, ví dụ "Trung tâm Phục vụ hành chính công phường Hồng Gai"
    #[arg(long)]
    pub unit_name: String,
    /// Cơ quan chủ quản, ví dụ "UBND phường Hồng Gai"
    #[arg(long)]
    pub authority: String,
    /// Địa danh in trên biểu mẫu
    #[arg(long)]
    pub place: String,
    /// Số hiệu quầy (0–9)
    #[arg(long, default_value_t = 0)]
    pub desk_index: u8,
    /// Giờ làm việc, ví dụ 07:00-11:30,13:30-17:00
    #[arg(long)]
    pub working_hours: Option<String>,
    /// Chức danh người ký Mẫu 04, 05, ví dụ "GIÁM ĐỐC" hoặc "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"
    /// (" / " xuống dòng; mặc định: GIÁM ĐỐC nếu đơn vị là Trung tâm)
    #[arg(long)]
    pub signer_title: Option<String>,
}

#[derive(Debug, Args)]
pub struct CatalogueArgs {
    /// Mã hoặc từ khóa (có hoặc không dấu)
    pub query: Option<String>,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[arg(long)]
    pub dossiers: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    pub file: PathBuf,
}

pub fn init(global: &Global, args: &InitArgs) -> CliResult {
    let input = InitInput {
        unit_code: args.unit_code.clone(),
        unit_name: args.unit_name.clone(),
        authority: args.authority.clone(),
        place: args.place.clone(),
        desk_index: args.desk_index,
        working_hours: args.working_hours.clone(),
    };
    // Check the input before anything is created on disk.
    input.validate()?;
    let signer_title = match &args.signer_title {
        Some(raw) => Some(crate::desk::settings::clean_signer_title(raw).map_err(CliError)?),
        None => None,
    };
    let desk_of = global.open()?;
    let (unit, desk, _) = desk_of.set_up(&input)?;
    if let Some(title) = signer_title.filter(|t| !t.is_empty()) {
        desk_of.change_settings(&[(crate::desk::settings::SETTING_SIGNER_TITLE, title)])?;
    }
    if crate::domain::unit::old_header_pattern(&unit.name, &unit.authority) {
        errln!(
            "Lưu ý: tiêu đề biểu mẫu sẽ in \"{}\" trên \"{}\". Theo mẫu, cơ quan chủ quản là UBND \
             phường (xã) và tên đơn vị là Trung tâm Phục vụ hành chính công (hoặc Bộ phận Tiếp \
             nhận và Trả kết quả) của phường (xã) đó; sửa trong Cài đặt (F9).",
            unit.authority,
            unit.name
        );
    }
    if global.json {
        #[derive(Serialize)]
        struct InitJson<'a> {
            unit: &'a crate::domain::unit::Unit,
            desk: &'a crate::desk::DeskConfig,
            data_dir: String,
        }
        return print_json(&InitJson {
            unit: &unit,
            desk: &desk,
            data_dir: desk_of.paths().dir.display().to_string(),
        });
    }
    outln!("Đã thiết lập đơn vị {} — {}", unit.code, unit.name);
    outln!(
        "Quầy số {}; dữ liệu tại {}",
        desk.index.get(),
        desk_of.paths().dir.display()
    );
    Ok(())
}

pub fn catalogue(global: &Global, args: &CatalogueArgs) -> CliResult {
    let desk = global.open()?;
    let found = match &args.query {
        Some(q) => desk.find_procedures(q)?,
        None => desk.procedures()?,
    };
    if global.json {
        return print_json(&found);
    }
    for p in found {
        let limit = if p.time_limits.is_empty() {
            "chưa có thời hạn".to_string()
        } else {
            p.time_limits_vi()
        };
        outln!("{}\t{}\t{}\t{}", p.code, p.name, p.field, limit);
    }
    Ok(())
}

pub fn demo_data(global: &Global, args: &DemoArgs) -> CliResult {
    let desk = global.open()?;
    let started = Instant::now();
    let report = desk.demo_data(args.dossiers, args.seed, |done| {
        if !global.json {
            err!("\rĐã tạo {done} hồ sơ…");
        }
    })?;
    let seconds = started.elapsed().as_secs_f64();
    if global.json {
        #[derive(Serialize)]
        struct DemoJson {
            dossiers: usize,
            events: usize,
            seconds: f64,
        }
        return print_json(&DemoJson {
            dossiers: report.dossiers,
            events: report.events,
            seconds,
        });
    }
    errln!();
    outln!(
        "Đã tạo {} hồ sơ mẫu ({} sự kiện) trong {seconds:.1} giây",
        report.dossiers,
        report.events
    );
    Ok(())
}

pub fn backup(global: &Global, args: &BackupArgs) -> CliResult {
    let desk = global.open()?;
    let files = desk.back_up_to(&args.out)?;
    let folder = crate::desk::files_beside(&args.out);
    if !global.json {
        outln!("Đã sao lưu vào {}", args.out.display());
        if files.copied + files.present > 0 {
            outln!(
                "Giấy tờ đã số hóa: {} tệp trong {} ({} tệp mới chép). Khi mang bản sao lưu đi nơi khác, hãy mang cả thư mục này.",
                files.copied + files.present,
                folder.display(),
                files.copied
            );
        }
        if !files.missing.is_empty() {
            outln!(
                "{} tệp giấy tờ do quầy khác số hóa chưa có trên máy này nên không có trong bản sao lưu (trung tâm vẫn giữ).",
                files.missing.len()
            );
        }
        return Ok(());
    }
    print_json(&serde_json::json!({
        "backup": args.out.display().to_string(),
        "files_folder": folder.display().to_string(),
        "files_copied": files.copied,
        "files_present": files.present,
        "files_not_on_this_desk": files.missing.len(),
    }))
}

pub fn restore(global: &Global, args: &RestoreArgs) -> CliResult {
    let paths = global.paths()?;
    let report = crate::desk::backup::restore(&paths, &args.file)?;
    if global.json {
        return print_json(&serde_json::json!({
            "restored_from": report.restored_from.display().to_string(),
            "previous_kept_at": report.previous_kept_at.map(|p| p.display().to_string()),
            "dossiers": report.dossiers,
            "must_sync_before_intake": report.enrolled,
            "files_restored": report.files.copied,
            "files_present": report.files.present,
            "files_missing": report.files.missing.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        }));
    }
    outln!(
        "Đã khôi phục từ {} ({} hồ sơ).",
        report.restored_from.display(),
        report.dossiers
    );
    if let Some(kept) = report.previous_kept_at {
        outln!("Cơ sở dữ liệu trước đó được giữ lại tại {}", kept.display());
    }
    if report.files.copied > 0 {
        outln!(
            "Đã khôi phục {} tệp giấy tờ đã số hóa.",
            report.files.copied
        );
    }
    if !report.files.missing.is_empty() {
        outln!(
            "{} tệp giấy tờ đã số hóa không có trong bản sao lưu (thư mục files bên cạnh tệp sao lưu): sau khi đồng bộ, máy sẽ tải về từ trung tâm khi mở.",
            report.files.missing.len()
        );
    }
    if report.enrolled {
        outln!(
            "Quầy đã đăng ký với trung tâm: hãy chạy motcua sync --once trước khi tiếp nhận hồ sơ mới (máy sẽ lấy lại các hồ sơ đã gửi sau bản sao lưu)."
        );
    }
    Ok(())
}

/// A sample dossier (a real QR string from a chip card) for the no-argument default.
const SAMPLE_INTAKE: &str = r#"{
  "procedure": "2.000884",
  "cccd_qr": "034303011829||Nguyễn Thị Hoa|21032003|Nữ|Thôn Lai Ổn, An Quý, Quỳnh Phụ, Thái Bình|14082021",
  "phone": "0912 345 678",
  "documents": [
    {"name": "Giấy tờ, văn bản cần chứng thực chữ ký", "count": 1},
    {"name": "Căn cước công dân (xuất trình)", "count": 1}
  ]
}"#;

/// `motcua sample`: sets up a sample unit when there is none and takes in one sample
/// dossier, to show the desk working without the window (e.g. over SSH).
pub fn sample_intake(global: &Global) -> CliResult {
    let desk = global.open()?;
    if desk.unit_opt()?.is_none() {
        desk.set_up(&InitInput {
            unit_code: "H22.39.15".into(),
            unit_name: "Trung tâm Phục vụ hành chính công phường Hồng Gai (mẫu)".into(),
            authority: "UBND phường Hồng Gai".into(),
            place: "Hồng Gai".into(),
            desk_index: 0,
            working_hours: None,
        })?;
        outln!("Chưa có đơn vị: đã tạo đơn vị MẪU H22.39.15 để chạy thử.");
    }
    let input = IntakeInput::from_json(SAMPLE_INTAKE).map_err(|e| CliError(e.to_string()))?;
    let clerk = global.clerk_name();
    let written = desk.take_in(
        input,
        Intake {
            clerk: &clerk,
            draft: None,
        },
    )?;
    if let Some(warning) = &written.backup_warning {
        errln!("Cảnh báo: {warning}");
    }
    let state = written.state;
    outln!(
        "Đã tiếp nhận hồ sơ mẫu {} của {}",
        state.code,
        state.content.applicant.full_name
    );
    outln!("Thủ tục: {}", state.content.procedure.name);
    outln!(
        "Hẹn trả kết quả: {} ({})",
        format_vi_long(state.due_at),
        format_rfc3339(state.due_at)
    );
    outln!(
        "Cơ sở dữ liệu: {} — {} hồ sơ",
        desk.paths().db.display(),
        desk.dossier_count()?
    );
    Ok(())
}
