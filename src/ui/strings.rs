//! Every user-facing string of the counter application, in one place (design §7).
//! Business messages (validation, store errors) come worded from `domain`/`store`.

// Application
pub const APP_TITLE: &str = "Một cửa — Tiếp nhận và trả kết quả";
pub const LOADING: &str = "Đang mở dữ liệu…";
pub const CANNOT_OPEN: &str = "Không mở được dữ liệu của quầy";

// Screens (with their keys)
pub const NAV_INTAKE: &str = "F2 Tiếp nhận";
pub const NAV_DOSSIERS: &str = "F3 Hồ sơ";
pub const NAV_RETURNS: &str = "F4 Trả kết quả";
pub const NAV_DASHBOARD: &str = "F5 Tổng hợp";
pub const NAV_CATALOGUE: &str = "F6 Thủ tục";
pub const NAV_SETTINGS: &str = "F9 Cài đặt";
pub const LOCK_NOW: &str = "Khóa màn hình";
pub const LOG_OUT: &str = "Đăng xuất";

// Common words
pub const SAVE: &str = "Lưu";
pub const CANCEL: &str = "Hủy";
pub const YES: &str = "Có";
pub const NO: &str = "Không";
pub const ADMIN: &str = "Quản trị";
pub const CLERK: &str = "Cán bộ";

// First run
pub const SETUP_TITLE: &str = "Thiết lập lần đầu";
pub const SETUP_INTRO: &str = "Nhập thông tin đơn vị và tạo tài khoản quản trị đầu tiên. Các thông tin này được in trên mọi biểu mẫu.";
pub const SETUP_UNIT: &str = "Đơn vị";
pub const SETUP_UNIT_CODE: &str = "Mã đơn vị (QĐ 20/2020, ví dụ H22.39.15)";
pub const SETUP_UNIT_NAME: &str = "Tên đơn vị (ví dụ: UBND phường Hồng Gai)";
pub const SETUP_AUTHORITY: &str = "Cơ quan chủ quản (ví dụ: UBND tỉnh Quảng Ninh)";
pub const SETUP_PLACE: &str = "Địa danh in trước ngày tháng (ví dụ: Hồng Gai)";
pub const SETUP_HOURS: &str = "Giờ làm việc (ví dụ: 07:30-11:30,13:30-17:00)";
pub const SETUP_DESK: &str = "Số hiệu quầy (0–9)";
pub const SETUP_ADMIN: &str = "Tài khoản quản trị";
pub const SETUP_DONE: &str = "Hoàn tất thiết lập";
pub const SETUP_DESK_NUMBER: &str = "Số hiệu quầy phải là một chữ số từ 0 đến 9";

// Accounts and sign-in
pub const USERNAME: &str = "Tên đăng nhập (chữ không dấu, ví dụ: nguyen.lan)";
pub const FULL_NAME: &str = "Họ và tên";
pub const PASSWORD: &str = "Mật khẩu";
pub const PASSWORD_AGAIN: &str = "Nhập lại mật khẩu";
pub const PASSWORDS_DIFFER: &str = "Hai lần nhập mật khẩu không giống nhau";
pub const LOGIN_TITLE: &str = "Đăng nhập";
pub const LOGIN: &str = "Đăng nhập";
pub const LOCKED_TITLE: &str = "Màn hình đã khóa";
pub const UNLOCK: &str = "Mở khóa";
pub const UNLOCK_WRONG: &str = "Mật khẩu không đúng";
pub fn locked_for(name: &str) -> String {
    format!("Đang làm việc: {name}. Nhập mật khẩu để tiếp tục — dữ liệu đang nhập vẫn được giữ.")
}

// Intake (F2), in the order of the paper Mẫu 01
pub const INTAKE_TITLE: &str = "Tiếp nhận hồ sơ";
pub const PROCEDURE: &str = "Thủ tục hành chính";
pub const PROCEDURE_HINT: &str =
    "Gõ mã hoặc tên thủ tục, có dấu hoặc không (ví dụ: khai sinh, 1.001193)";
pub const PROCEDURE_NONE: &str = "Không tìm thấy thủ tục phù hợp";
pub const PROCEDURE_CHANGE: &str = "Chọn thủ tục khác";
pub const APPLICANT: &str = "Người nộp hồ sơ";
pub const QR_HINT: &str = "Quét mã QR trên thẻ căn cước khi con trỏ ở bất kỳ ô nào để điền tự động";
pub const NAME: &str = "Họ và tên";
pub const ID_NUMBER: &str = "Số định danh cá nhân (12 số)";
pub const DOB: &str = "Ngày sinh (dd/mm/yyyy)";
pub const GENDER: &str = "Giới tính (Nam/Nữ)";
pub const ADDRESS: &str = "Nơi cư trú";
pub const PHONE: &str = "Số điện thoại";
pub const EMAIL: &str = "Thư điện tử";
pub const AUTHORISED: &str = "Nộp thay theo ủy quyền";
pub const AUTH_NAME: &str = "Họ và tên người được ủy quyền";
pub const AUTH_ID: &str = "Số định danh người được ủy quyền";
pub const AUTH_ADDRESS: &str = "Nơi cư trú người được ủy quyền";
pub const AUTH_PHONE: &str = "Điện thoại người được ủy quyền";
pub const AUTH_DOCUMENT: &str = "Giấy ủy quyền (số, ngày)";
pub const DOCUMENTS: &str = "Thành phần hồ sơ đã nhận";
pub const SETS: &str = "Số bộ";
pub const FEE: &str = "Phí, lệ phí";
pub const TIME_LIMIT: &str = "Thời hạn giải quyết";
pub const TIME_LIMIT_UNKNOWN: &str = "Danh mục chưa có thời hạn xác nhận: nhập số ngày làm việc";
pub const TIME_LIMIT_DAYS: &str = "Số ngày làm việc";
pub const CHANNEL: &str = "Hình thức nộp";
pub const RESULT_AT: &str = "Nơi trả kết quả";
pub const DUE: &str = "Hẹn trả kết quả";
pub const SAVE_AND_PRINT: &str = "Lưu và in phiếu hẹn (Ctrl+Enter)";
pub const ASK_SUPPLEMENT: &str = "Yêu cầu bổ sung (Mẫu 02)";
pub const REFUSE: &str = "Từ chối (Mẫu 03)";
pub const NOTICE_REASON: &str = "Lý do (in trên phiếu)";
pub const NOTICE_ITEMS: &str = "Giấy tờ cần bổ sung, mỗi dòng một mục";
pub const PRINT_NOTICE: &str = "In phiếu";
pub const CLEAR_FORM: &str = "Nhập hồ sơ mới";
pub const SAVED_TITLE: &str = "Đã tiếp nhận hồ sơ";
pub const FIX_FIELDS: &str = "Hồ sơ chưa được lưu: sửa các ô được đánh dấu đỏ rồi lưu lại";
pub const DRAFT_OFFERED: &str = "Có hồ sơ đang nhập dở từ lần trước.";
pub const DRAFT_RESTORE: &str = "Mở lại để nhập tiếp";
pub const DRAFT_DISCARD: &str = "Bỏ bản nháp";
pub const QR_FILLED: &str = "Đã điền thông tin từ mã QR căn cước";
pub const NO_PRINTER: &str = "Chưa chọn máy in (Cài đặt): phiếu đã được lưu thành tệp PDF";
pub fn printed_to(printer: &str, job: &str) -> String {
    format!("Đã gửi lệnh in {job} tới máy in {printer}")
}
pub fn pdf_saved(path: &str) -> String {
    format!("Tệp PDF: {path}")
}
pub fn saved_but_not_printed(reason: &str) -> String {
    format!("Hồ sơ đã được lưu nhưng chưa in được: {reason}. Có thể in lại từ màn hình hồ sơ.")
}

// -- Dossiers (F3), dossier detail, return of results (F4): gui-a adds its strings here --

// -- end of gui-a strings --

// Status line
pub const NOT_ENROLLED: &str = "Chưa đăng ký với Trung tâm — hồ sơ được lưu trên máy này";

// -- Dashboard (F5), catalogue (F6), settings (F9): gui-b adds its strings here --

// -- end of gui-b strings --
