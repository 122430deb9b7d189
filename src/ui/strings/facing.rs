//! Words on the screen that faces the citizen, and its setting.

pub const FACING_TITLE: &str = "Màn hình công dân";
pub const FACING_CHECK: &str = "Xin ông/bà kiểm tra thông tin cán bộ đang ghi:";
pub const FACING_NAME: &str = "Họ và tên";
pub const FACING_BIRTH: &str = "Ngày sinh";
pub const FACING_ID: &str = "Số định danh";
pub const FACING_PHONE: &str = "Điện thoại";
pub const FACING_PROCEDURE: &str = "Thủ tục";
pub const FACING_DECIDING: &str = "Đơn vị giải quyết";
pub const FACING_PAPERS: &str = "Giấy tờ đã nhận";
pub const FACING_NONE: &str = "(chưa có)";
pub const FACING_DUE: &str = "Hẹn trả kết quả";
pub const FACING_READ_ONLY: &str =
    "Nếu có chỗ sai, xin báo cán bộ sửa trước khi in giấy tiếp nhận.";
pub const FACING_WELCOME: &str = "Xin kính chào quý ông/bà";
pub const FACING_QUEUE: &str = "Hồ sơ đã có kết quả, mời nhận:";
pub const FACING_QUEUE_EMPTY: &str = "Chưa có hồ sơ nào chờ trả kết quả.";
pub const FACING_RATE_TITLE: &str = "Xin ông/bà đánh giá việc giải quyết hồ sơ";
/// How to answer: the keypad's digits go as far as the question's options.
pub fn facing_rate_hint(options: usize) -> String {
    format!("Chạm vào ô, bấm chuột hoặc bấm phím số 1–{options}.")
}
pub const FACING_SKIP: &str = "Bỏ qua (Esc)";
pub const FACING_THANKS: &str = "Xin cảm ơn ông/bà đã đánh giá!";
pub const FACING_SKIPPED: &str = "Xin cảm ơn ông/bà. Chúc ông/bà một ngày tốt lành!";
pub const FACING_FILLED: &str = "Hệ thống đã tự ghi:";
pub const FACING_TIME_EARLY: &str = "Trả kết quả trước hạn";
pub const FACING_TIME_ON: &str = "Trả kết quả đúng hạn";
pub const FACING_TIME_LATE: &str = "Trả kết quả quá hạn";

/// How many times the citizen was asked for more papers, in words.
pub fn facing_contacts(requests: u32) -> String {
    match requests {
        0 => "Không phải bổ sung giấy tờ".into(),
        n => format!("Phải bổ sung giấy tờ {n} lần"),
    }
}

pub fn facing_question_count(at: usize, of: usize) -> String {
    format!("Câu {at}/{of}")
}

// The setting, on the settings screen.
pub const FACING_SETTING: &str = "Màn hình hướng về công dân";
pub const FACING_OFF: &str = "Tắt";
pub const FACING_RIGHT: &str = "Màn hình bên phải";
pub const FACING_LEFT: &str = "Màn hình bên trái";
pub const FACING_AT: &str = "Vị trí x,y,rộng,cao";
pub const FACING_SHOW_QUEUE: &str = "Khi rảnh, hiện mã hồ sơ đã có kết quả (không hiện tên)";
pub const FACING_SAVE: &str = "Lưu cài đặt màn hình công dân";
pub const FACING_NOT_RECTANGLE: &str =
    "Nhập vị trí dạng x,y,rộng,cao (ví dụ 1366,0,1024,600), hoặc chọn một màn hình ở trên";
