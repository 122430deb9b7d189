//! Words of the citizens' ratings on the clerk's side: F5's results, the reprint
//! that renews the tracking code, and a rating that could not be saved (issue 22).

/// F5's panel title, for the month `MM/YYYY`.
pub fn ratings_title(month: &str) -> String {
    format!("Đánh giá sự hài lòng của người dân — tháng {month}")
}
pub const RATINGS_NOTE: &str =
    "Theo Thông tư 01/2018/TT-VPCP Điều 14: điểm trung bình mỗi chỉ số, tối đa 2 điểm.";
pub const RATINGS_NONE: &str = "Chưa có lượt đánh giá nào trong tháng.";
/// "12 lượt đánh giá: 9 tại quầy, 3 trực tuyến".
pub fn ratings_count(count: u32, counter: u32, web: u32) -> String {
    format!("{count} lượt đánh giá: {counter} tại quầy, {web} trực tuyến")
}
pub fn ratings_complaints(n: u32) -> String {
    match n {
        0 => "Không có phản ánh về thái độ cán bộ".into(),
        n => format!("{n} phản ánh về thái độ cán bộ"),
    }
}
/// An indicator's average: "1,50 / 2 điểm", or "-" when nobody answered it.
pub fn ratings_points(average: Option<f64>) -> String {
    match average {
        Some(a) => format!("{a:.2} / 2 điểm").replace('.', ","),
        None => "-".into(),
    }
}
pub fn ratings_indicator(number: u8, label: &str) -> String {
    format!("Chỉ số {number}. {label}")
}
pub const RATINGS_PER_CLERK: &str = "Theo cán bộ tiếp nhận (chỉ quản trị viên xem được)";
pub const RATINGS_CLERK: &str = "Cán bộ tiếp nhận";
pub const RATINGS_COUNT: &str = "Lượt";
pub const RATINGS_COMPLAINTS: &str = "Phản ánh";
pub fn ratings_column(number: u8) -> String {
    format!("CS {number}")
}
pub fn ratings_failed(e: &str) -> String {
    format!("Không đọc được kết quả đánh giá: {e}")
}

/// The reprint of Mẫu 01 that issues a new tracking code.
pub const REPRINT_NEW_TRACKING: &str = "In lại với mã tra cứu mới";
pub const REPRINT_NEW_TRACKING_NOTE: &str = "Mã tra cứu cũ trên giấy tiếp nhận đã in sẽ không dùng được nữa (khi người dân làm mất giấy hoặc lộ mã).";
pub const REPRINT_NEW_TRACKING_CONFIRM: &str = "Cấp mã mới và in Mẫu 01";
pub const TRACKING_RENEWED: &str = "Đã cấp mã tra cứu mới; mã cũ không còn dùng được.";

/// A rating the desk could not keep, on the status line.
pub fn rating_not_saved(e: &str) -> String {
    format!("Không lưu được đánh giá của người dân: {e}")
}
/// The dossier just handed back could not be read to start the rating.
pub fn rating_not_started(e: &str) -> String {
    format!("Không mở được phần đánh giá của người dân: {e}")
}
