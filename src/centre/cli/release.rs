//! `motcua-centre release …`: the desk app's releases. `keygen` and `sign` are for the
//! province's release machine (no database; the secret key never reaches the centre);
//! `upload` and `list` are the centre operator's.

use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::ctx::Ctx;
use crate::centre::blobs::BlobDir;
use crate::centre::error::ApiError;
use crate::centre::releases;
use crate::update::key::{parse_public_key, trusted_key};
use crate::update::manifest::this_platform;
use crate::update::sign::{ReleaseClaim, SecretKey};
use crate::update::verify::MAX_SIGNATURE_BYTES;
use crate::update::{UpdateError, Version};

#[derive(Debug, Subcommand)]
pub enum ReleaseCommand {
    /// Tải lên một bản phát hành đã ký (bộ cài Windows hoặc gói Linux) để các quầy tự cập nhật
    Upload {
        /// Tệp bản phát hành
        file: PathBuf,
        /// Chữ ký minisign của tệp (.minisig), do tỉnh ký
        #[arg(long, value_name = "TỆP")]
        signature: PathBuf,
        /// Khóa công khai của tỉnh (.pub) để kiểm tra chữ ký (mặc định: khóa dựng sẵn trong chương trình)
        #[arg(long, value_name = "TỆP")]
        public_key: Option<PathBuf>,
    },
    /// Liệt kê các bản phát hành đã tải lên
    List {
        #[arg(long)]
        json: bool,
    },
    /// Tạo khóa phát hành mới (máy ký của tỉnh; giữ khóa bí mật ngoài mạng)
    Keygen {
        /// Thư mục ghi release.key và release.pub (chưa được có hai tệp đó)
        #[arg(long, value_name = "THƯ_MỤC")]
        out: PathBuf,
    },
    /// Ký một bản phát hành (máy ký của tỉnh): ghi chữ ký minisign kèm bản kê
    Sign {
        file: PathBuf,
        /// Khóa bí mật (release.key)
        #[arg(long, value_name = "TỆP")]
        key: PathBuf,
        /// Phiên bản, ví dụ 0.1.1
        #[arg(long)]
        version: String,
        /// Nền tảng, ví dụ windows-x86_64 hoặc linux-x86_64 (mặc định: máy này)
        #[arg(long)]
        platform: Option<String>,
        /// Phiên bản cũ nhất được tự cập nhật lên bản này
        #[arg(long)]
        min_version: Option<String>,
        /// Tệp chữ ký ghi ra (mặc định: FILE.minisig)
        #[arg(long, value_name = "TỆP")]
        out: Option<PathBuf>,
    },
}

fn read_small(path: &Path, max: u64) -> Result<String, String> {
    let len = std::fs::metadata(path)
        .map_err(|e| format!("không đọc được {}: {e}", path.display()))?
        .len();
    if len > max {
        return Err(format!("{} quá lớn ({len} byte)", path.display()));
    }
    std::fs::read_to_string(path).map_err(|e| format!("không đọc được {}: {e}", path.display()))
}

/// The commands that need no database.
pub fn run_offline(cmd: &ReleaseCommand) -> Option<Result<(), String>> {
    match cmd {
        ReleaseCommand::Keygen { out } => Some(keygen(out)),
        ReleaseCommand::Sign {
            file,
            key,
            version,
            platform,
            min_version,
            out,
        } => Some(sign(
            file,
            key,
            version,
            platform.as_deref(),
            min_version.as_deref(),
            out.as_deref(),
        )),
        _ => None,
    }
}

fn keygen(out: &Path) -> Result<(), String> {
    let key = SecretKey::generate().map_err(|e| e.to_string())?;
    std::fs::create_dir_all(out).map_err(|e| format!("không tạo được {}: {e}", out.display()))?;
    let (secret, public) = (out.join("release.key"), out.join("release.pub"));
    if secret.exists() || public.exists() {
        return Err(format!("{} đã có khóa: không ghi đè", out.display()));
    }
    crate::files::write_atomically(&secret, key.to_file_text().as_bytes())
        .map_err(|e| format!("không ghi được {}: {e}", secret.display()))?;
    let pub_text = key.public_file_text().map_err(|e| e.to_string())?;
    crate::files::write_atomically(&public, pub_text.as_bytes())
        .map_err(|e| format!("không ghi được {}: {e}", public.display()))?;
    println!("Đã tạo {} và {}", secret.display(), public.display());
    Ok(())
}

fn sign(
    file: &Path,
    key: &Path,
    version: &str,
    platform: Option<&str>,
    min_version: Option<&str>,
    out: Option<&Path>,
) -> Result<(), String> {
    let text = |e: UpdateError| e.to_string();
    let secret = SecretKey::from_file_text(&read_small(key, 4096)?).map_err(text)?;
    let claim = ReleaseClaim {
        version: Version::parse(version).map_err(text)?,
        platform: platform.map_or_else(this_platform, str::to_string),
        min_version: min_version.map(Version::parse).transpose().map_err(text)?,
    };
    let sig = secret.sign(file, &claim).map_err(text)?;
    let dest = out.map_or_else(
        || PathBuf::from(format!("{}.minisig", file.display())),
        Path::to_path_buf,
    );
    crate::files::write_atomically(&dest, sig.as_bytes())
        .map_err(|e| format!("không ghi được {}: {e}", dest.display()))?;
    println!("Đã ký {} → {}", file.display(), dest.display());
    Ok(())
}

/// The operator's commands, on the centre's database.
pub(super) async fn command(ctx: &mut Ctx, cmd: ReleaseCommand) -> Result<(), String> {
    match cmd {
        ReleaseCommand::Upload {
            file,
            signature,
            public_key,
        } => upload(ctx, &file, &signature, public_key.as_deref()).await,
        ReleaseCommand::List { json } => list(ctx, json).await,
        ReleaseCommand::Keygen { .. } | ReleaseCommand::Sign { .. } => {
            run_offline(&cmd).unwrap_or(Ok(()))
        }
    }
}

/// `release upload`: a signed release, checked, kept and offered to the desks.
async fn upload(
    ctx: &mut Ctx,
    file: &Path,
    signature: &Path,
    public_key: Option<&Path>,
) -> Result<(), String> {
    let sig = read_small(signature, MAX_SIGNATURE_BYTES as u64)?;
    let key = match public_key {
        Some(p) => parse_public_key(&read_small(p, 4096)?),
        None => trusted_key(),
    }
    .map_err(|e| e.to_string())?;
    let blobs = BlobDir::new(&ctx.files_dir);
    let m = releases::upload(&mut ctx.client, &blobs, &ctx.operator, file, &sig, &key)
        .await
        .map_err(|e: ApiError| e.to_string())?;
    println!(
        "Đã tải lên bản phát hành {} cho {} ({} byte); các quầy sẽ nhận ở lần đồng bộ tới",
        m.version, m.platform, m.size
    );
    Ok(())
}

/// `release list`: the releases the centre holds.
async fn list(ctx: &mut Ctx, json: bool) -> Result<(), String> {
    let all = releases::all(&ctx.client)
        .await
        .map_err(|e| e.to_string())?;
    if json {
        let rows: Vec<_> = all
            .iter()
            .map(|(o, by)| {
                serde_json::json!({
                    "version": o.version, "platform": o.platform, "sha256": o.sha256,
                    "size": o.size, "uploaded_by": by,
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&rows).unwrap_or_default()
        );
        return Ok(());
    }
    if all.is_empty() {
        println!("Chưa có bản phát hành nào");
    }
    for (o, by) in &all {
        println!(
            "{}\t{}\t{} byte\t{}\t{}",
            o.platform,
            o.version,
            o.size,
            &o.sha256[..12.min(o.sha256.len())],
            by
        );
    }
    Ok(())
}
