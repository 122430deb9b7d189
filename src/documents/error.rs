//! Why a file was refused, in words a clerk can act on. Every refusal happens before
//! anything is written: the pipeline only reads its input and returns bytes.

use thiserror::Error;

use crate::domain::document::DocumentError;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IngestError {
    #[error("Không tìm thấy tệp '{name}': tệp đã bị xóa hoặc chuyển đi; hãy chọn lại")]
    NotFound { name: String },
    #[error("Không đọc được tệp '{name}' ({detail}): hãy kiểm tra quyền đọc hoặc ổ đĩa")]
    Unreadable { name: String, detail: String },
    #[error("'{name}' không phải là một tệp: hãy chọn một tệp PDF, JPEG hoặc PNG")]
    NotAFile { name: String },
    #[error(
        "Tệp '{name}' nặng {size}, vượt giới hạn {limit} của bàn làm việc: hãy quét lại ở độ phân giải thấp hơn hoặc chia nhỏ tệp"
    )]
    TooLarge {
        name: String,
        size: String,
        limit: String,
    },
    #[error("Tệp '{name}' rỗng: không có nội dung để đính kèm")]
    Empty { name: String },
    #[error(
        "Tệp '{name}' không được nhận: chỉ nhận tệp PDF (.pdf), JPEG (.jpg, .jpeg) hoặc PNG (.png)"
    )]
    UnsupportedName { name: String },
    #[error(
        "Tệp '{name}' có tên đuôi của tệp {claimed} nhưng nội dung không phải {claimed}{actual}: tệp có thể bị đổi tên hoặc hỏng; hãy mở kiểm tra rồi chọn đúng tệp"
    )]
    NotWhatItSays {
        name: String,
        claimed: &'static str,
        /// ", mà là PNG" when the content is another known kind, else empty.
        actual: String,
    },
    #[error(
        "Tệp PDF '{name}' được đặt mật khẩu hoặc mã hóa: hãy xin bản không đặt mật khẩu, hoặc in ra rồi quét"
    )]
    EncryptedPdf { name: String },
    #[error(
        "Tệp PDF '{name}' bị hỏng hoặc không đầy đủ ({detail}): hãy xin lại tệp hoặc quét bản giấy"
    )]
    BrokenPdf { name: String, detail: String },
    #[error(
        "Tệp PDF '{name}' có cấu trúc bất thường (khi mở phải giải nén hoặc đọc quá nhiều dữ liệu so với cỡ tệp): tệp có thể đã bị làm hỏng có chủ ý; không đính kèm, hãy xin lại tệp gốc hoặc in ra rồi quét"
    )]
    PdfBomb { name: String },
    #[error("Ảnh '{name}' bị hỏng hoặc không đọc được ({detail}): hãy chụp hoặc quét lại")]
    BrokenImage { name: String, detail: String },
    #[error(
        "Ảnh '{name}' có kích thước {width} × {height} điểm ảnh, vượt giới hạn {limit}: hãy thu nhỏ ảnh hoặc quét lại ở độ phân giải thấp hơn"
    )]
    ImageTooLarge {
        name: String,
        width: u32,
        height: u32,
        /// The bound that was crossed, as the clerk reads it.
        limit: String,
    },
    #[error(
        "Tệp '{name}' có {pages} trang, vượt giới hạn {limit} trang cho một giấy tờ: hãy chia thành nhiều giấy tờ"
    )]
    TooManyPages {
        name: String,
        pages: u32,
        limit: u32,
    },
    #[error("Chưa chọn tệp nào: hãy chọn ít nhất một tệp")]
    NoFiles,
    #[error(
        "Chỉ ghép được nhiều ảnh (JPEG, PNG) thành một giấy tờ; tệp PDF '{name}' hãy nhập riêng"
    )]
    PdfInBatch { name: String },
    #[error("Không tạo được tệp PDF từ ảnh ({0}): hãy thử lại; nếu vẫn lỗi, báo cho kỹ thuật")]
    Encode(String),
    #[error("{0}")]
    Document(#[from] DocumentError),
}
