//! The words of digitised documents: the file chooser, the detail screen's documents
//! panel, the settings section «Số hóa giấy tờ» and the disk-space warning.

// File chooser
pub const CHOOSER_TITLE: &str = "Chọn tệp giấy tờ (PDF, JPEG, PNG)";
pub const CHOOSER_PATH: &str = "Thư mục hoặc tệp (gõ đường dẫn rồi Enter)";
pub const CHOOSER_HINT: &str = "↑ ↓ chọn dòng · Enter: mở thư mục hoặc lấy tệp · Dấu cách: đánh dấu nhiều tệp cho một giấy tờ · Backspace: lên thư mục trên · Ctrl+Enter: lấy các tệp đã đánh dấu · Esc: hủy";
pub const CHOOSER_EMPTY: &str = "Thư mục này không có tệp PDF, JPEG, PNG hay thư mục con nào";
pub const CHOOSER_UP: &str = ".. (lên thư mục trên)";
pub const CHOOSER_NOTHING: &str =
    "Chưa chọn tệp nào: dùng ↑ ↓ để đến một tệp rồi nhấn Enter, hoặc Dấu cách để đánh dấu";
pub const CHOOSER_BAD_TYPE: &str =
    "Chỉ nhận tệp PDF, JPEG (.jpg, .jpeg) hoặc PNG: hãy chọn tệp khác";
pub fn chooser_take(n: usize) -> String {
    if n <= 1 {
        "Lấy tệp này".to_string()
    } else {
        format!("Lấy {n} tệp đã đánh dấu (gộp thành một giấy tờ)")
    }
}
pub fn chooser_cannot_read(dir: &str, why: &str) -> String {
    format!("Không mở được thư mục {dir}: {why}. Hãy gõ đường dẫn khác.")
}
pub fn chooser_not_found(path: &str) -> String {
    format!("Không có thư mục hay tệp {path}: hãy kiểm tra lại đường dẫn")
}
pub fn chooser_truncated(shown: usize) -> String {
    format!("Thư mục có quá nhiều mục: chỉ hiện {shown} mục đầu; hãy gõ đường dẫn đầy đủ của tệp")
}
pub fn chooser_marked(n: usize) -> String {
    format!("Đã đánh dấu {n} tệp")
}

// Documents panel (detail screen)
pub const DOCS_TITLE: &str = "Giấy tờ đã số hóa";
pub const DOCS_OTHER: &str = "Giấy tờ khác";
pub const DOCS_RESULT: &str = "Kết quả giải quyết";
pub const DOCS_KEYS: &str = "↑ ↓ chọn dòng · Q quét một trang · N quét nhiều trang (khay nạp) · C chọn tệp · T lấy từ thư mục quét · M hoặc Enter mở · I in · G gỡ · F10 về thông tin hồ sơ";
pub const DETAIL_TAB_INFO: &str = "Thông tin hồ sơ";
pub fn detail_tab_documents(n: usize) -> String {
    format!("Giấy tờ đã số hóa ({n}) — F10")
}
pub fn chooser_for(item: &str) -> String {
    format!("Đính kèm vào «{item}»")
}
pub const DOCS_NO_FILE: &str = "Chưa có tệp nào";
pub const DOCS_SCAN: &str = "Quét (Q)";
pub const DOCS_SCAN_FEEDER: &str = "Quét nhiều trang (N)";
pub const DOCS_CHOOSE: &str = "Chọn tệp (C)";
pub const DOCS_FROM_FOLDER: &str = "Lấy từ thư mục quét (T)";
pub const DOCS_OPEN: &str = "Mở (M)";
pub const DOCS_PRINT: &str = "In (I)";
pub const DOCS_DETACH: &str = "Gỡ (G)";
pub const DOCS_DETACH_REASON: &str = "Lý do gỡ tệp (bắt buộc, ghi vào nhật ký hồ sơ)";
pub const DOCS_DETACH_CONFIRM: &str = "Gỡ tệp này";
pub const DOCS_DETACH_NO_REASON: &str = "Hãy ghi lý do gỡ tệp";
pub const DOCS_STOP_SCAN: &str = "Dừng quét (Esc)";
pub const DOCS_SCANNING: &str = "Đang quét… (giấy tờ đặt sẵn trong máy quét)";
pub const DOCS_IMPORTING: &str = "Đang đọc và nén tệp…";
pub const DOCS_WORKING: &str = "Đang xử lý…";
pub const DOCS_NOT_LOCAL: &str = "Tệp chưa có trên máy này; sẽ tải về khi mở";
pub const DOCS_SYNCED: &str = "đã gửi lên trung tâm";
pub const DOCS_NOT_SYNCED: &str = "chưa gửi lên trung tâm";
pub const DOCS_NO_SCAN_FOLDER: &str =
    "Chưa đặt thư mục quét: quản trị viên đặt trong Cài đặt (F9), mục «Số hóa giấy tờ»";
pub const DOCS_SCAN_FOLDER_EMPTY: &str =
    "Thư mục quét chưa có tệp PDF, JPEG hay PNG nào: hãy quét giấy tờ vào đó rồi thử lại";
pub const DOCS_NO_PRINTER: &str = "Chưa chọn máy in: quản trị viên chọn máy in trong Cài đặt (F9)";
pub fn docs_meta(pages: u32, size: &str, who: &str, when: &str) -> String {
    format!("{pages} trang · {size} · {who}, {when}")
}
pub fn docs_attached(name: &str, item: &str) -> String {
    format!("Đã đính kèm «{name}» vào «{item}»")
}
pub fn docs_detached(name: &str) -> String {
    format!("Đã gỡ «{name}»")
}
pub fn docs_not_attached(why: &str) -> String {
    format!("Chưa đính kèm được: {why}")
}
pub fn docs_opened(name: &str) -> String {
    format!("Đã mở «{name}» bằng chương trình xem tệp của máy")
}
pub fn docs_cannot_open(why: &str) -> String {
    format!("Không mở được tệp: {why}")
}
pub fn docs_printed(name: &str, printer: &str, job: &str) -> String {
    format!("Đã gửi «{name}» tới máy in {printer} (lệnh in {job})")
}
pub fn docs_not_printed(why: &str) -> String {
    format!("Chưa in được: {why}")
}
pub fn docs_more_pages(n: usize) -> String {
    format!("+{n} trang")
}

// Intake: after a save
pub const INTAKE_DIGITISE: &str = "Số hóa giấy tờ (F10)";

// Settings (F9): «Số hóa giấy tờ»
pub const SETTINGS_DOCUMENTS: &str = "Số hóa giấy tờ";
pub const SCAN_DPI: &str = "Độ phân giải khi quét (dpi, từ 100 đến 600; nên dùng 200)";
pub const SCAN_MODE: &str = "Chế độ quét";
pub const SCANNER_DEVICE: &str =
    "Máy quét (tên thiết bị, ví dụ test:0; để trống: máy quét đầu tiên tìm thấy)";
pub const SCAN_FOLDER: &str = "Thư mục quét (máy quét mạng lưu tệp vào đây; có thể để trống)";
pub const MAX_MB: &str = "Dung lượng tối đa một tệp (MB)";
pub const MAX_MEGAPIXELS: &str = "Kích thước ảnh tối đa (megapixel)";
pub const MAX_PAGES: &str = "Số trang tối đa một giấy tờ";
pub const DISK_WARN_MB: &str = "Cảnh báo khi ổ đĩa còn dưới (MB)";
pub const SAVE_DOCUMENTS: &str = "Lưu cài đặt số hóa";
pub const DISK_SPACE: &str = "Dung lượng ổ đĩa chứa dữ liệu";
pub const DISK_SPACE_UNKNOWN: &str = "Chưa đọc được dung lượng ổ đĩa";
pub fn disk_space(free: &str, total: &str) -> String {
    format!("Còn trống {free} trên tổng {total}")
}
pub fn bad_whole_number(min: u64, max: u64) -> String {
    format!("Phải là số nguyên từ {min} đến {max}")
}
pub const SCAN_FOLDER_MISSING: &str =
    "Không có thư mục này trên máy: hãy gõ đúng đường dẫn thư mục máy quét lưu tệp vào";

pub fn docs_not_fetched(e: &str) -> String {
    format!("Chưa tải được tệp từ trung tâm: {e}. Kiểm tra kết nối rồi mở lại.")
}
