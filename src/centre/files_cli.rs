//! `motcua-centre files …`: the processing department's way to the papers desks have
//! digitised — list a dossier's documents, write one out to open it. Writing a file out
//! reads a citizen's papers, so it is recorded in the operators' audit log.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use clap::Subcommand;
use sha2::{Digest, Sha256};

use crate::centre::audit::{self, Entry, Operator};
use crate::centre::blobs::BlobDir;
use crate::centre::error::ApiError;
use crate::domain::document::Sha256Hex;

#[derive(Debug, Subcommand)]
pub enum FilesCommand {
    /// Ghi một tệp giấy tờ (theo mã băm SHA-256) ra đường dẫn cho trước để mở xem
    Get {
        /// Mã băm SHA-256 của tệp (64 chữ số thập lục phân, như `files list` in ra)
        sha256: String,
        /// Tệp ghi ra (không được đã tồn tại)
        #[arg(long, value_name = "TỆP")]
        out: PathBuf,
    },
}

pub async fn run(
    client: &deadpool_postgres::Client,
    blobs: &BlobDir,
    operator: &Operator,
    cmd: FilesCommand,
) -> Result<(), ApiError> {
    match cmd {
        FilesCommand::Get { sha256, out } => {
            let sha =
                Sha256Hex::parse(sha256.trim()).map_err(|e| ApiError::BadRequest(e.to_string()))?;
            let known = client
                .query_opt(
                    "SELECT size FROM file_blob WHERE sha256 = $1",
                    &[&sha.as_str()],
                )
                .await?
                .is_some();
            if !known {
                return Err(ApiError::NotFound(format!(
                    "Trung tâm chưa nhận tệp {}; quầy đã số hóa sẽ gửi ở lần đồng bộ tới",
                    sha.short()
                )));
            }
            let size = write_out(&blobs.path(&sha), &sha, &out)?;
            audit::log(
                client,
                &Entry {
                    operator,
                    action: "files get",
                    detail: format!("tệp {} ({size} byte)", sha.short()),
                },
            )
            .await?;
            println!("Đã ghi {} ({size} byte)", out.display());
        }
    }
    Ok(())
}

/// Copies a kept file to `out` (a new file), checking its hash on the way: a file
/// damaged on the centre's disk is not handed out as if it were the citizen's paper.
fn write_out(src: &Path, sha: &Sha256Hex, out: &Path) -> Result<u64, ApiError> {
    let io = |what: &str, p: &Path, e: std::io::Error| {
        ApiError::Internal(format!("{what} {}: {e}", p.display()))
    };
    let mut from = std::fs::File::open(src).map_err(|e| io("không mở được", src, e))?;
    let mut to = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(out)
        .map_err(|e| match e.kind() {
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
