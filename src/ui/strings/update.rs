//! The status line's words about a newer version (issue 25 §3).

/// The administrator's button beside "Có phiên bản mới …".
pub const UPDATE_ACCEPT: &str = "Cập nhật";
/// While the accepted release is downloaded and its signature checked.
pub const UPDATE_STAGING: &str = "Đang tải và kiểm tra chữ ký phiên bản mới…";

/// An update that could not be taken, and what happens next.
pub fn update_failed(why: &str) -> String {
    let why = why.trim_end_matches('.');
    format!("Chưa cập nhật được — {why}. Phiên bản đang dùng vẫn chạy bình thường.")
}

/// The offer of a release that was installed here before and did not start.
pub fn update_rolled_back(offer: &str, why: &str) -> String {
    format!(
        "{offer} — lần cài trước không khởi động được ({why}) nên đã quay lại phiên bản đang dùng"
    )
}
