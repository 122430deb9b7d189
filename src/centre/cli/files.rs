//! `motcua-centre files …`: the processing department's way to the papers desks have
//! digitised — list a dossier's documents, write one out to open it. Writing a file out
//! reads a citizen's papers, so it is recorded in the operators' audit log.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use clap::Subcommand;
use sha2::{Digest, Sha256};

use super::ctx::Ctx;
use crate::centre::audit::{self, Entry};
use crate::centre::blobs::BlobDir;
use crate::centre::error::ApiError;
use crate::centre::{admin, file_access};
use crate::domain::clock::to_wall;
use crate::domain::document::{Sha256Hex, size_vi};
use crate::domain::lifecycle;
use crate::domain::text::escape_controls;
use serde::Serialize;

#[derive(Debug, Subcommand)]
pub enum FilesCommand {
    /// Liệt kê giấy tờ số hóa hiện có của một hồ sơ (mã băm, thành phần, tên tệp, đã nhận tệp chưa)
    List {
        /// Mã hồ sơ, ví dụ H22.39.15-261127-0001
        code: String,
        #[arg(long)]
        json: bool,
    },
    /// Ghi một tệp giấy tờ của một hồ sơ (theo mã băm SHA-256) ra đường dẫn cho trước để mở xem
    Get {
        /// Mã hồ sơ có giấy tờ này, ví dụ H22.39.15-261127-0001
        code: String,
        /// Mã băm SHA-256 của tệp (64 chữ số thập lục phân, như `files list` in ra)
        sha256: String,
        /// Tệp ghi ra (không được đã tồn tại)
        #[arg(long, value_name = "TỆP")]
        out: PathBuf,
    },
}

/// `files list`: a dossier's current documents and whether the centre holds each.
async fn list_command(ctx: &Ctx, code: &str, json: bool) -> Result<(), ApiError> {
    let blobs = BlobDir::new(&ctx.files_dir);
    let listed = list(&ctx.client, &blobs, code.trim()).await?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&listed).unwrap_or_default()
        );
        return Ok(());
    }
    if listed.is_empty() {
        println!("Hồ sơ {} chưa có giấy tờ số hóa nào", code.trim());
    }
    for f in &listed {
        println!(
            "{}\t{}\t{}\t{}\t{}",
            f.sha256,
            escape_controls(&f.item),
            escape_controls(&f.name),
            size_vi(f.size),
            if f.at_centre {
                "đã nhận tệp"
            } else {
                "chưa nhận tệp (quầy sẽ gửi ở lần đồng bộ tới)"
            }
        );
    }
    Ok(())
}

/// `files get`: one of a dossier's files written out, recorded in the audit log.
async fn get(ctx: &Ctx, code: &str, sha256: &str, out: &Path) -> Result<(), ApiError> {
    let blobs = BlobDir::new(&ctx.files_dir);
    let code = code.trim();
    let sha = Sha256Hex::parse(sha256.trim()).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    // Only a file the dossier holds now, and that its unit uploaded: a hash
    // merely named in an event may be another unit's citizen's paper.
    let listed = list(&ctx.client, &blobs, code).await?;
    let Some(doc) = listed.iter().find(|f| f.sha256 == sha.as_str()) else {
        return Err(ApiError::NotFound(format!(
            "Hồ sơ {} không có giấy tờ {}; hãy xem `files list {}`",
            escape_controls(code),
            sha.short(),
            escape_controls(code)
        )));
    };
    if !doc.at_centre {
        return Err(ApiError::NotFound(format!(
            "Trung tâm chưa nhận tệp {}; quầy đã số hóa sẽ gửi ở lần đồng bộ tới",
            sha.short()
        )));
    }
    let size = write_out(&blobs.path(&sha), &sha, out)?;
    audit::log(
        &ctx.client,
        &Entry {
            operator: &ctx.operator,
            action: "files get",
            detail: format!(
                "tệp {} ({size} byte) của hồ sơ {}",
                sha.short(),
                escape_controls(code)
            ),
        },
    )
    .await?;
    println!("Đã ghi {} ({size} byte)", out.display());
    Ok(())
}

/// One current document of a dossier, as `files list` shows it.
#[derive(Debug, Serialize)]
pub struct Listed {
    pub sha256: String,
    pub item: String,
    pub name: String,
    pub media_type: String,
    pub size: u64,
    pub pages: u32,
    pub attached_at: String,
    pub attached_by: String,
    /// The centre holds the file's bytes (on its disk) for the dossier's unit.
    pub at_centre: bool,
}

/// The dossier's documents now (its events folded, detached ones gone).
async fn list(
    client: &deadpool_postgres::Client,
    blobs: &BlobDir,
    code: &str,
) -> Result<Vec<Listed>, ApiError> {
    let Some((unit, events)) = admin::dossier_feed(client, code).await? else {
        return Err(ApiError::NotFound(format!(
            "Trung tâm không có hồ sơ {}",
            escape_controls(code)
        )));
    };
    let held = file_access::held_by_unit(client, &unit).await?;
    let state = lifecycle::fold(&events).map_err(|e| {
        ApiError::Conflict(format!(
            "Hồ sơ {} chưa đủ dữ liệu: {e}",
            escape_controls(code)
        ))
    })?;
    Ok(state
        .documents
        .iter()
        .map(|d| Listed {
            sha256: d.file.sha256.to_string(),
            item: d.item.clone(),
            name: d.file.name.clone(),
            media_type: d.file.media_type.mime().to_string(),
            size: d.file.size,
            pages: d.file.pages,
            attached_at: to_wall(d.attached_at).format("%d/%m/%Y %H:%M").to_string(),
            attached_by: d.attached_by.clone(),
            at_centre: held.contains(d.file.sha256.as_str()) && blobs.has(&d.file.sha256),
        })
        .collect())
}

/// Copies a kept file to `out` (a new file), checking its hash on the way: a file
/// damaged on the centre's disk is not handed out as if it were the citizen's paper.
fn write_out(src: &Path, sha: &Sha256Hex, out: &Path) -> Result<u64, ApiError> {
    let io = |what: &str, p: &Path, e: std::io::Error| {
        ApiError::Internal(format!("{what} {}: {e}", p.display()))
    };
    let mut from = std::fs::File::open(src).map_err(|e| io("không mở được", src, e))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    // Owner-only: a citizen's paper is not for the machine's other accounts.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut to = options.open(out).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => {
            ApiError::Conflict(format!("{} đã tồn tại; hãy chọn tên khác", out.display()))
        }
        _ => io("không tạo được", out, e),
    })?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    let copied: std::io::Result<()> = (|| {
        loop {
            let n = from.read(&mut buf)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            to.write_all(&buf[..n])?;
            size += n as u64;
        }
        to.sync_all()
    })();
    let good = copied.is_ok() && Sha256Hex::from_digest(&hasher.finalize()) == *sha;
    if !good {
        drop(to);
        let _ = std::fs::remove_file(out);
        return Err(match copied {
            Err(e) => io("không chép được", out, e),
            Ok(()) => ApiError::Internal(format!(
                "tệp {} trên đĩa trung tâm bị hỏng (mã băm không khớp); hãy khôi phục từ bản sao lưu",
                sha.short()
            )),
        });
    }
    Ok(size)
}

/// `files`: the centre's stored documents.
pub(super) async fn command(ctx: &mut Ctx, cmd: FilesCommand) -> Result<(), String> {
    match cmd {
        FilesCommand::List { code, json } => list_command(ctx, &code, json).await,
        FilesCommand::Get { code, sha256, out } => get(ctx, &code, &sha256, &out).await,
    }
    .map_err(|e| e.to_string())
}
