//! Every user-facing string of the counter application, in one place (design §7).
//! Business messages (validation, store errors) come worded from `domain`/`store`.

pub mod documents;
pub use documents::*;
pub mod facing;
pub use facing::*;
pub mod ratings;
pub use ratings::*;
pub mod update;
pub use update::*;

// Application
pub const APP_TITLE: &str = "Một cửa — Tiếp nhận và trả kết quả";
pub const LOADING: &str = "Đang mở dữ liệu…";
pub const CANNOT_OPEN: &str = "Không mở được dữ liệu của quầy";
/// The status line's button once automatic sync stopped on a refusal.
pub const SYNC_AGAIN: &str = "Đồng bộ lại";
/// A job that panicked: nothing half-written stays (its transaction was undone).
pub const JOB_PANICKED: &str = "Chương trình gặp lỗi bất ngờ nên việc vừa làm chưa xong; dữ liệu đã lưu trước đó vẫn nguyên vẹn. Hãy thử lại; nếu lỗi lặp lại, hãy báo cho quản trị viên.";

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
pub const SETUP_UNIT_NAME: &str =
    "Tên đơn vị (ví dụ: Trung tâm Phục vụ hành chính công phường Hồng Gai)";
pub const SETUP_AUTHORITY: &str = "Cơ quan chủ quản (ví dụ: UBND phường Hồng Gai)";
/// Cài đặt: the saved header reads "UBND TỈNH …" over "UBND PHƯỜNG …".
pub const OLD_HEADER_WARNING: &str = "Tiêu đề biểu mẫu đang in UBND tỉnh (thành phố) trên UBND \
    phường (xã). Theo mẫu, cơ quan chủ quản là UBND phường (xã) và tên đơn vị là Trung tâm Phục vụ \
    hành chính công (hoặc Bộ phận Tiếp nhận và Trả kết quả) của phường (xã) đó. Hãy sửa hai ô \
    trên rồi bấm «Lưu thông tin đơn vị».";
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
/// The deciding-unit picker of a cross-commune procedure (issue 23).
pub const DECIDING_UNIT: &str = "Đơn vị giải quyết";
pub const DECIDING_UNIT_HINT: &str = "Thủ tục tiếp nhận không phụ thuộc địa giới hành chính: \
     chọn đơn vị có thẩm quyền giải quyết (mặc định là đơn vị mình)";
pub const DECIDING_UNIT_OWN: &str = "đơn vị mình";
/// The key that moves the picker to the next unit (its pick_list takes no focus).
pub const DECIDING_UNIT_KEY: &str = "(F12: đổi đơn vị)";
pub const APPLICANT: &str = "Người nộp hồ sơ";
pub const QR_HINT: &str = "Quét mã QR trên thẻ căn cước khi con trỏ ở bất kỳ ô nào để điền tự động";
pub const APPLICANT_KIND: &str = "Loại người nộp";
pub const NAME: &str = "Họ và tên";
pub const ID_NUMBER: &str = "Số định danh cá nhân (12 số)";
pub const DOB: &str = "Ngày sinh (dd/mm/yyyy)";
pub const GENDER: &str = "Giới tính (Nam/Nữ)";
pub const KIND_CITIZEN: &str = "Công dân Việt Nam";
pub const KIND_ORGANISATION: &str = "Tổ chức";
pub const KIND_FOREIGNER: &str = "Người nước ngoài";
pub const KIND_KEY: &str = "(F8: đổi loại người nộp)";
pub const ORG_NAME: &str = "Tên tổ chức";
pub const TAX_CODE: &str = "Mã số doanh nghiệp (10 số; chi nhánh: 10-3)";
pub const ORG_ADDRESS: &str = "Địa chỉ trụ sở";
pub const REPRESENTATIVE: &str = "Người đại diện theo pháp luật";
pub const PASSPORT: &str = "Số hộ chiếu";
pub const NATIONALITY: &str = "Quốc tịch";
pub const ADDRESS: &str = "Nơi cư trú";
pub const PHONE: &str = "Số điện thoại";
pub const EMAIL: &str = "Thư điện tử";
pub const AUTHORISED: &str = "Nộp thay theo ủy quyền";
/// The notice consent (issue 22 §4): the applicant's mobile number above.
pub const NOTICE_CONSENT: &str =
    "Người nộp đồng ý nhận tin nhắn thông báo về hồ sơ qua số điện thoại di động trên";
pub const AUTH_NAME: &str = "Họ và tên người được ủy quyền";
pub const AUTH_ID: &str = "Số định danh người được ủy quyền";
pub const AUTH_ADDRESS: &str = "Nơi cư trú người được ủy quyền";
pub const AUTH_PHONE: &str = "Điện thoại người được ủy quyền";
pub const AUTH_EMAIL: &str = "Thư điện tử người được ủy quyền";
pub const AUTH_DOCUMENT: &str = "Giấy ủy quyền (số, ngày)";
pub const DOCUMENTS: &str = "Thành phần hồ sơ đã nhận";
pub const SETS: &str = "Số bộ";
pub const FEE: &str = "Phí, lệ phí";
pub const TIME_LIMIT: &str = "Thời hạn giải quyết";
pub const TIME_LIMIT_UNKNOWN: &str = "Danh mục chưa có thời hạn xác nhận: nhập số ngày làm việc";
pub const TIME_LIMIT_DAYS: &str = "Số ngày làm việc";
pub const TIME_LIMIT_REASON: &str = "Căn cứ thời hạn (văn bản, điều khoản)";
/// After "Thời hạn giải quyết" when a procedure has several cases.
pub const TIME_LIMIT_CASE_KEY: &str = "(F7: chuyển trường hợp)";
pub const CHANNEL: &str = "Hình thức nộp";
pub const RESULT_AT: &str = "Nơi trả kết quả";
/// Under a conditional paper of the checklist, left unticked.
pub const DOC_CONDITIONAL_HINT: &str =
    "Chỉ nộp khi thuộc trường hợp ghi trong ngoặc: đánh dấu nếu người nộp có giấy này";
/// Beside a xuất trình paper.
pub const DOC_SHOWN_HINT: &str = "xuất trình để đối chiếu, trả lại người nộp";
/// Heading of the xuất trình papers, apart from the checklist.
pub const DOCS_SHOWN: &str = "Giấy tờ xuất trình (không ghi vào giấy tiếp nhận):";
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

// Dossiers (F3)
pub const DOSSIERS_TITLE: &str = "Tra cứu hồ sơ";
pub const DOSSIERS_SEARCH: &str =
    "Tìm theo mã hồ sơ, họ tên (có hoặc không dấu), số định danh, số điện thoại";
pub const FILTER_STATUS: &str = "Trạng thái";
pub const FILTER_PROCEDURE: &str = "Thủ tục";
pub const FILTER_ALL: &str = "Tất cả";
pub const FILTER_FROM: &str = "Nhận từ ngày (dd/mm/yyyy)";
pub const FILTER_TO: &str = "đến ngày (dd/mm/yyyy)";
pub const FILTER_SOON: &str = "Sắp đến hạn";
pub const FILTER_OVERDUE: &str = "Quá hạn";
pub const FILTER_CLEAR: &str = "Bỏ lọc";
pub const BOOK_PRINT: &str = "In sổ theo dõi (Mẫu 07)";
pub const BOOK_BAD_PERIOD: &str =
    "Chưa in được sổ theo dõi: ngày lọc phải có dạng dd/mm/yyyy, ví dụ 02/11/2026";

/// After Mẫu 07 was saved (and sent to the printer when one is set).
pub fn book_printed(pdf: &str, sent: bool) -> String {
    if sent {
        format!("Đã gửi sổ theo dõi hồ sơ (Mẫu 07) tới máy in; tệp PDF: {pdf}")
    } else {
        format!("Đã lưu sổ theo dõi hồ sơ (Mẫu 07): {pdf}")
    }
}
pub const BAD_DATE: &str = "Ngày phải có dạng dd/mm/yyyy, ví dụ 02/11/2026";
pub const COL_CODE: &str = "Mã hồ sơ";
pub const COL_APPLICANT: &str = "Người nộp";
pub const COL_PROCEDURE: &str = "Thủ tục";
pub const COL_RECEIVED: &str = "Ngày nhận";
pub const COL_STATUS: &str = "Trạng thái";
pub const COL_DUE: &str = "Hẹn trả";
pub const COL_SYNC: &str = "Trung tâm";
pub const SYNC_SENT: &str = "Đã gửi";
pub const SYNC_WAITING: &str = "Chờ gửi";
pub const SEARCHING: &str = "Đang tìm…";
pub const NO_DOSSIERS: &str = "Không có hồ sơ phù hợp";
pub const MORE: &str = "Xem thêm";
pub fn shown_rows(n: usize) -> String {
    format!("Đang hiển thị {n} hồ sơ, mới nhất trước")
}
/// The last word starts too many words to search by its start.
pub fn broad_prefix(start: &str) -> String {
    format!(
        "Có quá nhiều số/chữ bắt đầu bằng “{start}”: đang tìm đúng “{start}”. \
         Gõ đủ số CCCD, số điện thoại hoặc cả từ để tìm."
    )
}

// Dossier detail
pub const DETAIL_TITLE: &str = "Chi tiết hồ sơ";
pub const DETAIL_NONE: &str = "Chưa chọn hồ sơ: tìm hồ sơ ở màn hình F3 hoặc quét phiếu hẹn ở F4";
pub const BACK_TO_LIST: &str = "← Danh sách hồ sơ";
pub const RECEIVED_AT: &str = "Tiếp nhận lúc";
pub const RECEIVED_BY: &str = "Cán bộ tiếp nhận";
pub const STATUS: &str = "Trạng thái";
pub const EXTENDED_ONCE: &str = "(đã gia hạn)";
pub const RETURNED_TO: &str = "Người nhận kết quả";
pub const TIMELINE: &str = "Quá trình giải quyết";
pub const ORIGIN_CENTRE: &str = "Trung tâm";
pub fn origin_desk(id: &str) -> String {
    format!("Quầy {id}")
}
pub const ANOMALIES: &str = "Sự kiện không hợp lệ (giữ trong nhật ký, không có hiệu lực)";
pub const ACTIONS: &str = "Thao tác trên hồ sơ";
pub const ACT_TRANSFER: &str = "Chuyển xử lý";
pub const ACT_SUPPLEMENT: &str = "Yêu cầu bổ sung";
pub const ACT_SUPPLEMENT_RECEIVED: &str = "Nhận hồ sơ bổ sung";
pub const ACT_EXTEND: &str = "Gia hạn (Mẫu 04)";
pub const ACT_STOP: &str = "Dừng giải quyết (Mẫu 05)";
pub const ACT_WITHDRAW: &str = "Người nộp rút hồ sơ";
pub const ACT_RESULT_READY: &str = "Đã có kết quả";
pub const ACT_RETURN: &str = "Trả kết quả";
pub const TRANSFER_TO: &str = "Nơi chuyển đến (ví dụ: Công chức Tư pháp – Hộ tịch)";
pub const NOTE: &str = "Ghi chú";
pub const REASON: &str = "Lý do";
pub const SUPPLEMENT_ITEMS: &str = "Giấy tờ cần bổ sung, mỗi dòng một mục (phân cách bằng dấu ;)";
pub const NEW_DUE: &str = "Hạn trả mới (dd/mm/yyyy hoặc dd/mm/yyyy hh:mm)";
pub const BAD_NEW_DUE: &str = "Hạn trả mới phải có dạng dd/mm/yyyy hoặc dd/mm/yyyy hh:mm";
pub const CONFIRM: &str = "Xác nhận";
/// A second supplement request makes the dossier late (QĐ 766 2.1): asked first.
pub const ACCEPT_LATE: &str = "Tôi hiểu, vẫn yêu cầu bổ sung";
pub const LATE_ACCEPTED: &str = "Đã xác nhận: hồ sơ sẽ bị tính quá hạn";
pub const LATE_NOT_CONFIRMED: &str =
    "Hãy đọc cảnh báo và bấm \"Tôi hiểu, vẫn yêu cầu bổ sung\" trước khi xác nhận";
pub const RECORDED: &str = "Đã ghi nhận";
pub const REPRINT: &str = "In lại biểu mẫu";
pub fn form_button(number: &str) -> String {
    format!("Mẫu {number}")
}
pub fn printed_form(number: &str) -> String {
    format!("Đã lưu Mẫu {number}")
}
pub const NOT_PRINTED: &str = "Chưa in được";

// Return of results (F4)
pub const RETURNS_TITLE: &str = "Trả kết quả";
pub const RETURNS_SCAN: &str = "Quét mã trên phiếu hẹn hoặc gõ mã hồ sơ rồi nhấn Enter; nhấn Enter lần nữa để trả cho chính người nộp";
pub const RETURNS_NOT_READY: &str = "Hồ sơ chưa có kết quả để trả";
pub const COLLECTOR: &str = "Người đến nhận";
pub const COLLECTOR_APPLICANT: &str = "Chính người nộp hồ sơ";
pub const COLLECTOR_OTHER: &str = "Người khác nhận thay";
pub const COLLECTOR_NAME: &str = "Họ và tên người nhận";
pub const COLLECTOR_ID: &str = "Số định danh người nhận";
pub const ID_NUMBER_SHORT: &str = "CCCD";
pub const COLLECTOR_MISSING: &str = "Nhập họ tên và số định danh của người nhận thay";
pub const RECORD_RETURN: &str = "Ghi nhận đã trả kết quả";
pub const OPEN_DETAIL: &str = "Xem chi tiết";
pub fn returned_to(code: &str, who: &str) -> String {
    format!("Đã trả kết quả hồ sơ {code} cho {who}. Sẵn sàng cho công dân tiếp theo.")
}
pub fn not_a_code(raw: &str) -> String {
    format!("Không đọc được mã hồ sơ từ \"{raw}\"")
}

// -- end of gui-a strings --

// Status line
pub const NOT_ENROLLED: &str = "Chưa đăng ký với Trung tâm — hồ sơ được lưu trên máy này";

// -- Dashboard (F5), catalogue (F6), settings (F9): gui-b adds its strings here --

// Dashboard (F5)
pub const DASHBOARD_TITLE: &str = "Tổng hợp";
pub fn dashboard_as_of(now: &str) -> String {
    format!("Số liệu lúc {now}")
}
pub const REFRESH: &str = "Cập nhật số liệu";
pub const LOADING_FIGURES: &str = "Đang tính số liệu…";
pub const CARD_RECEIVED_TODAY: &str = "Tiếp nhận hôm nay";
pub const CARD_RECEIVED_NOTE: &str = "hồ sơ";
pub const CARD_DUE_TODAY: &str = "Hẹn trả hôm nay";
pub const CARD_DUE_NOTE: &str = "hồ sơ đang giải quyết";
pub const CARD_OVERDUE: &str = "Quá hạn";
pub const CARD_OVERDUE_NOTE: &str = "đang giải quyết, đã quá hẹn";
pub const CARD_MONTH_RATE: &str = "Đúng hạn tháng này";
pub const CARD_YEAR_RATE: &str = "Đúng hạn năm nay";
/// Issue 23: dossiers received for another unit of the province (shown when any).
pub const CARD_FOR_OTHERS: &str = "Nhận hộ tháng này";
pub const CARD_FOR_OTHERS_NOTE: &str = "hồ sơ do đơn vị khác giải quyết";
pub fn on_time_of(on_time: u64, resolved: u64) -> String {
    format!("{on_time}/{resolved} hồ sơ đã giải quyết (Biểu 06)")
}
// The QĐ 766 scorecard (F5)
pub const SCORE_TITLE: &str = "Bộ chỉ số 766 tháng này (QĐ 766/QĐ-TTg)";
pub const SCORE_NOTE: &str =
    "Các chỉ số tính được từ dữ liệu của quầy; bấm vào một chỉ số để xem các hồ sơ làm giảm điểm";
pub const SCORE_NO_COSTS: &str = "Không có hồ sơ nào làm giảm điểm chỉ số này";
pub fn score_label(id: &str, title: &str) -> String {
    format!("{id}. {title}")
}
pub fn score_of(met: u64, of: u64) -> String {
    format!("{met}/{of} hồ sơ")
}
pub fn score_threshold(rate: &str) -> String {
    format!("đạt điểm tối đa từ {rate}")
}
pub fn score_costs_title(id: &str, n: usize) -> String {
    format!("Chỉ số {id}: {n} hồ sơ làm giảm điểm")
}
pub fn score_more(n: usize) -> String {
    format!("… và {n} hồ sơ khác")
}
pub const CHART_TITLE_DAYS: &str = "Hồ sơ tiếp nhận 30 ngày gần đây";
pub const CHART_TITLE_WEEKS: &str = "Hồ sơ tiếp nhận 26 tuần gần đây";
pub const CHART_BY_DAY: &str = "Theo ngày";
pub const CHART_BY_WEEK: &str = "Theo tuần";
pub const CHART_RECEIVED: &str = "Tiếp nhận";
pub const CHART_LATE: &str = "Trong đó giải quyết quá hạn";
pub const CHART_Y: &str = "Số hồ sơ";
pub const CHART_X_DAYS: &str = "Ngày tiếp nhận";
pub const CHART_X_WEEKS: &str = "Tuần tiếp nhận (từ thứ Hai)";
pub const DUE_SOON_TITLE: &str = "Sắp đến hạn";
pub const DUE_SOON_NOTE: &str = "Hồ sơ đang giải quyết, hẹn trả trong vòng một ngày làm việc";
pub const DUE_SOON_NONE: &str = "Không có hồ sơ sắp đến hạn";
pub fn due_short(when: &str) -> String {
    format!("Hẹn {when}")
}
pub const EXPORT_TITLE: &str = "Xuất Biểu 06/VPCP/KSTT";
pub const EXPORT_THIS_QUARTER: &str = "Quý này";
pub const EXPORT_LAST_QUARTER: &str = "Quý trước";
pub const EXPORT_THIS_YEAR: &str = "Năm nay";
pub const EXPORT_RANGE: &str = "Chọn ngày";
pub const EXPORT_FROM: &str = "Từ ngày (dd/mm/yyyy)";
pub const EXPORT_TO: &str = "Đến ngày (dd/mm/yyyy)";
pub const EXPORT_START: &str = "Xuất báo cáo";
pub const FORMAT_XLSX: &str = "Excel (.xlsx)";
pub const FORMAT_PDF: &str = "PDF";
pub const FORMAT_CSV: &str = "CSV (.csv)";
pub const EXPORT_CANCELLED: &str = "Đã hủy xuất báo cáo; không có tệp nào được ghi";
pub fn export_progress(rows: u64) -> String {
    format!("Đang lập báo cáo… đã đọc {rows} hồ sơ")
}
pub fn exported_to(path: &str) -> String {
    format!("Đã ghi báo cáo vào {path}")
}
pub fn bad_date(what: &str, raw: &str) -> String {
    format!(
        "{what}: '{}' không phải ngày hợp lệ, ví dụ 31/03/2026",
        raw.trim()
    )
}
pub fn cannot_write(path: &str, e: &dyn std::fmt::Display) -> String {
    format!("Không ghi được tệp {path}: {e}")
}

// Catalogue (F6)
pub const CATALOGUE_TITLE: &str = "Danh mục thủ tục hành chính";
pub const CATALOGUE_HINT: &str = "Tìm theo mã hoặc tên thủ tục, có dấu hoặc không";
pub const CATALOGUE_PICK: &str = "Chọn một thủ tục ở danh sách bên trái để xem chi tiết";
pub fn catalogue_count(found: usize, total: usize) -> String {
    format!("{found}/{total} thủ tục")
}
pub const CATALOGUE_DOCUMENTS: &str = "Thành phần hồ sơ";
pub const CATALOGUE_RULES: &str = "Thời hạn, phí và căn cứ";
pub const DOC_NAME: &str = "Tên giấy tờ";
pub const DOC_FORM: &str = "Bản chính/sao";
pub const DOC_COUNT: &str = "Số lượng";
pub const DOCS_NONE: &str = "Danh mục chưa ghi thành phần hồ sơ";
pub const LIMIT_UNCONFIRMED: &str = "Danh mục chưa có thời hạn: cán bộ nhập thời hạn khi tiếp nhận";
pub const FEE_FREE: &str = "Không thu phí";
/// F6, under the kind of a paper needed only in some case.
pub const DOC_NOT_MANDATORY: &str = "(không bắt buộc)";
pub fn money_vi(dong: i64) -> String {
    let digits = dong.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    format!("{}{out} đồng", if dong < 0 { "-" } else { "" })
}
pub const FIELD: &str = "Lĩnh vực";
pub const AGENCY: &str = "Cơ quan thực hiện";
pub const LEGAL_BASIS: &str = "Căn cứ pháp lý";

// Settings (F9)
pub const SETTINGS_TITLE: &str = "Cài đặt";
pub const SETTINGS_UNIT: &str = "Đơn vị";
pub fn unit_fixed(code: &str, desk: u8) -> String {
    format!("Mã đơn vị {code} · Quầy số {desk} (không sửa được: đã in trên mã hồ sơ)")
}
pub const SAVE_UNIT: &str = "Lưu thông tin đơn vị";
pub const SAVED: &str = "Đã lưu";
pub const NOT_SAVED: &str = "Chưa lưu: sửa các ô được đánh dấu đỏ";
pub const SETTINGS_PRINTING: &str = "In phiếu";
pub const PRINTER: &str = "Máy in";
pub const NO_PRINTER_CHOICE: &str = "Không dùng máy in (chỉ lưu tệp PDF)";
pub const PRINTERS_LOADING: &str = "Đang tìm máy in…";
pub const PRINTERS_NONE: &str =
    "Không tìm thấy máy in nào trên máy này: hãy cài máy in cho hệ điều hành trước";
pub fn printer_missing(name: &str) -> String {
    format!("{name} (không còn trong danh sách máy in)")
}
pub const PAPER: &str = "Khổ giấy phiếu hẹn";
pub const PAPER_A5: &str = "A5 (một liên mỗi tờ)";
pub const PAPER_A4: &str = "A4 (hai liên trên một tờ)";
pub const TRACKING_URL: &str =
    "Địa chỉ tra cứu hồ sơ in thành mã QR (ví dụ: https://dichvucong.quangninh.gov.vn/tra-cuu)";
pub const UNIT_PHONE: &str = "Số điện thoại liên hệ của bộ phận một cửa";
pub const SIGNER_TITLE: &str = "Chức danh người ký Mẫu 04, 05 (ví dụ: GIÁM ĐỐC; KT. GIÁM ĐỐC / \
    PHÓ GIÁM ĐỐC; TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH). Để trống: GIÁM ĐỐC nếu đơn vị là Trung tâm";
pub const BAD_SIGNER_TITLE: &str =
    "Chức danh người ký dài tối đa 120 ký tự và không có ký tự điều khiển";
pub const IDLE_MINUTES: &str = "Tự khóa màn hình sau (phút không thao tác)";
pub const SAVE_DESK: &str = "Lưu cài đặt in và khóa màn hình";
pub const BAD_TRACKING_URL: &str =
    "Địa chỉ tra cứu phải bắt đầu bằng http:// hoặc https:// và không có dấu cách";
pub const BAD_PHONE: &str = "Số điện thoại chỉ gồm chữ số, dấu cách và + . - ( ), tối đa 30 ký tự";
pub fn bad_idle_minutes(max: u64) -> String {
    format!("Số phút phải là số nguyên từ 1 đến {max}")
}
pub const SETTINGS_CENTRE: &str = "Đăng ký với Trung tâm";
pub fn enrolled_with(url: &str) -> String {
    format!("Đã đăng ký với trung tâm {url}")
}
pub const CENTRE_URL: &str = "Địa chỉ máy chủ trung tâm (ví dụ: https://motcua.quangninh.gov.vn)";
pub const ENROLL_CODE: &str = "Mã đăng ký do trung tâm cấp (dùng một lần)";
pub const ENROLL: &str = "Đăng ký quầy";
pub const ENROLLING: &str = "Đang đăng ký…";
pub const BAD_CENTRE_URL: &str = "Địa chỉ trung tâm phải bắt đầu bằng http:// hoặc https://";
pub const ENROLL_CODE_MISSING: &str = "Chưa nhập mã đăng ký";
pub fn enrolled(desk: u8, unit_name: &str, unit_code: &str) -> String {
    format!("Đã đăng ký quầy số {desk} của {unit_name} ({unit_code})")
}
pub fn enroll_failed(reason: &str) -> String {
    format!("Không đăng ký được: {reason}")
}
pub const SETTINGS_CLERKS: &str = "Tài khoản cán bộ";
pub const ACCOUNT_ACTIVE: &str = "đang dùng";
pub const ACCOUNT_DISABLED: &str = "đã khóa";
pub const RESET_PASSWORD: &str = "Đặt lại mật khẩu";
pub const NEW_PASSWORD: &str = "Mật khẩu mới (ít nhất 8 ký tự)";
pub const SAVE_PASSWORD: &str = "Lưu mật khẩu";
pub const DISABLE_ACCOUNT: &str = "Khóa tài khoản";
pub const ENABLE_ACCOUNT: &str = "Mở lại tài khoản";
pub const CANNOT_DISABLE_SELF: &str = "Không thể khóa tài khoản đang đăng nhập";
pub const ADD_ACCOUNT: &str = "Tài khoản mới";
pub const ADMIN_ACCOUNT: &str = "Quyền quản trị (vào được Cài đặt)";
pub const ADD_ACCOUNT_BUTTON: &str = "Thêm tài khoản";
pub fn clerk_added(username: &str, full_name: &str) -> String {
    format!("Đã thêm tài khoản {username} ({full_name})")
}
pub fn password_reset(username: &str) -> String {
    format!("Đã đặt lại mật khẩu cho {username}")
}
pub fn clerk_active(username: &str, active: bool) -> String {
    if active {
        format!("Đã mở lại tài khoản {username}")
    } else {
        format!("Đã khóa tài khoản {username}")
    }
}

// -- end of gui-b strings --
