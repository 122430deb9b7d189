//! Store errors, each with a message a clerk can act on.

use std::path::PathBuf;
use std::sync::Arc;

use thiserror::Error;

use crate::domain::dossier_code::DossierCodeError;
use crate::domain::intake::IntakeError;
use crate::domain::lifecycle::{FoldError, TransitionError};

#[derive(Debug, Clone, Error)]
pub enum StoreError {
    #[error(
        "Cơ sở dữ liệu {path} do phiên bản mới hơn của motcua tạo ra (lược đồ v{found}, phiên bản này chỉ hiểu tới v{supported}). Hãy cập nhật motcua; tệp không bị thay đổi."
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error(
        "Tệp {path} không phải cơ sở dữ liệu motcua hợp lệ hoặc đã hỏng. Tệp được giữ nguyên, không bị ghi đè hay xóa. {advice}"
    )]
    Corrupt {
        path: PathBuf,
        backups: PathBuf,
        /// The newest backup in `backups`, if there is one.
        newest_backup: Option<PathBuf>,
        /// What to do: the exact restore command, or where backups would be.
        advice: String,
    },
    #[error(
        "Ổ đĩa đã đầy: không ghi được dữ liệu. Không có gì bị ghi dở; hãy giải phóng dung lượng rồi thử lại."
    )]
    DiskFull,
    #[error(
        "Không ghi được vào {path}: thư mục hoặc tệp chỉ cho phép đọc. Không có gì bị ghi dở; hãy kiểm tra quyền ghi rồi thử lại."
    )]
    ReadOnly { path: PathBuf },
    #[error("Không mở được thư mục dữ liệu {path}: {reason}")]
    DataDir { path: PathBuf, reason: String },
    #[error(
        "Đơn vị chưa được thiết lập. Chạy: motcua init --unit-code MÃ --unit-name TÊN --authority CƠ_QUAN --place ĐỊA_DANH"
    )]
    NotInitialised,
    #[error("Đơn vị đã được thiết lập ({0}); không thiết lập lại")]
    AlreadyInitialised(String),
    #[error("Không có thủ tục mã {0} trong danh mục. Tra cứu bằng: motcua catalogue TỪ_KHÓA")]
    UnknownProcedure(String),
    #[error("Không tìm thấy hồ sơ {0}")]
    UnknownDossier(String),
    #[error("{0}")]
    Intake(#[from] IntakeError),
    #[error("{0}")]
    Transition(#[from] TransitionError),
    #[error("{0}")]
    DossierCode(#[from] DossierCodeError),
    #[error("Dữ liệu hồ sơ {code} không nhất quán: {source}")]
    Fold { code: String, source: FoldError },
    #[error("Không đọc được dữ liệu đã lưu ({what}): {reason}")]
    Decode { what: String, reason: String },
    #[error("{0}")]
    Invalid(String),
    #[error(
        "Cơ sở dữ liệu vừa được khôi phục từ bản sao lưu: hãy đồng bộ với trung tâm (motcua sync --once) trước khi tiếp nhận hồ sơ mới, để máy lấy lại các hồ sơ đã gửi sau bản sao lưu và không cấp trùng mã."
    )]
    RestoredNotSynced,
    #[error("Đã hủy theo yêu cầu; không có gì được ghi")]
    Cancelled,
    #[error("Tệp sao lưu {path} không dùng được: {reason}")]
    Backup { path: PathBuf, reason: String },
    #[error("Lỗi cơ sở dữ liệu: {0}")]
    Sqlite(Arc<rusqlite::Error>),
    #[error("Lỗi đọc/ghi tệp {path}: {reason}")]
    Io { path: PathBuf, reason: String },
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::ReadOnly) | Some(ErrorCode::CannotOpen) => StoreError::ReadOnly {
                path: PathBuf::from("(cơ sở dữ liệu)"),
            },
            _ => StoreError::Sqlite(Arc::new(e)),
        }
    }
}

impl StoreError {
    /// An operating-system error on a file or directory, worded for the clerk.
    pub fn io(path: impl Into<PathBuf>, e: std::io::Error) -> Self {
        use std::io::ErrorKind;
        let path = path.into();
        let reason = match (e.kind(), e.raw_os_error()) {
            (_, Some(28)) | (ErrorKind::StorageFull, _) => return StoreError::DiskFull, // ENOSPC
            (ErrorKind::PermissionDenied, _)
            | (_, Some(30))
            | (ErrorKind::ReadOnlyFilesystem, _) => {
                return StoreError::ReadOnly { path };
            }
            (ErrorKind::NotFound, _) => "không tồn tại".to_string(),
            (ErrorKind::NotADirectory, _) => {
                "một phần của đường dẫn là tệp, không phải thư mục".to_string()
            }
            (ErrorKind::AlreadyExists, _) => "đã tồn tại".to_string(),
            _ => format!("lỗi hệ thống ({e})"),
        };
        StoreError::Io { path, reason }
    }

    pub fn decode(what: impl Into<String>, reason: impl ToString) -> Self {
        StoreError::Decode {
            what: what.into(),
            reason: reason.to_string(),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
