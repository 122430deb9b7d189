//! Why a release was refused, in words an administrator can act on.

use thiserror::Error;

#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum UpdateError {
    #[error("Số phiên bản không hợp lệ: “{0}” (cần dạng 0.1.1).")]
    BadVersion(String),
    #[error(
        "Bản dựng này không có khoá phát hành nên không tự cập nhật được: hãy cài phiên bản mới bằng bộ cài của tỉnh."
    )]
    NoTrustedKey,
    #[error("Khoá phát hành không hợp lệ: {0}.")]
    BadKey(String),
    #[error("Chữ ký của bản phát hành không đọc được: {0}.")]
    BadSignature(String),
    #[error(
        "Bản phát hành được ký bằng một khoá khác khoá của tỉnh: không cài. Báo cho bộ phận CNTT của tỉnh."
    )]
    WrongKey,
    #[error(
        "Chữ ký không khớp với tệp bản phát hành (tệp đã bị sửa hoặc tải hỏng): không cài. Báo cho bộ phận CNTT của tỉnh."
    )]
    Tampered,
    #[error("Bản kê của bản phát hành không hợp lệ: {0}.")]
    BadManifest(String),
    #[error(
        "Bản phát hành {offered} không mới hơn phiên bản đang chạy {running}: không cài (không cho hạ phiên bản)."
    )]
    NotNewer { offered: String, running: String },
    #[error(
        "Bản phát hành {offered} chỉ thay được từ phiên bản {minimum} trở lên, máy đang chạy {running}: hãy cài bằng bộ cài của tỉnh."
    )]
    TooOld {
        offered: String,
        minimum: String,
        running: String,
    },
    #[error("Bản phát hành dành cho {offered}, máy này là {ours}: không cài.")]
    WrongPlatform { offered: String, ours: String },
    #[error(
        "Tệp bản phát hành có {actual} byte, bản kê ghi {expected} byte: không cài (tải lại ở lần đồng bộ sau)."
    )]
    WrongSize { expected: u64, actual: u64 },
    #[error("Không đọc được tệp bản phát hành {path}: {reason}.")]
    Io { path: String, reason: String },
}
