//! The `motcua-centre` command line's grammar: the global options and every command
//! with its arguments, as clap reads them (the other files of `cli` carry them out).

use std::net::SocketAddr;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

use super::{files, release};

#[derive(Debug, Parser)]
#[command(
    name = "motcua-centre",
    version,
    about = "Máy chủ trung tâm của motcua: gộp dữ liệu mọi quầy của mọi đơn vị"
)]
pub struct CentreCli {
    /// Địa chỉ PostgreSQL, ví dụ postgres://motcua@127.0.0.1/motcua
    #[arg(long, global = true, env = "DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
    /// Người thao tác, ghi vào nhật ký quản trị (mặc định: người dùng hệ điều hành)
    #[arg(long, global = true, value_name = "TÊN")]
    pub operator: Option<String>,
    /// Thư mục giữ các tệp giấy tờ số hóa (mặc định: thư mục dữ liệu của người dùng, ví dụ ~/.local/share/motcua-centre/files)
    #[arg(
        long,
        global = true,
        env = "MOTCUA_CENTRE_FILES_DIR",
        value_name = "THƯ_MỤC"
    )]
    pub files_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: CentreCommand,
}

#[derive(Debug, Subcommand)]
pub enum CentreCommand {
    /// Chạy máy chủ đồng bộ
    Serve(ServeArgs),
    /// Giấy tờ số hóa của hồ sơ: liệt kê, ghi ra tệp
    #[command(subcommand)]
    Files(files::FilesCommand),
    /// Bản phát hành của chương trình quầy: tải lên, liệt kê; tạo khóa và ký (máy ký của tỉnh)
    #[command(subcommand)]
    Release(release::ReleaseCommand),
    /// Quản lý đơn vị
    #[command(subcommand)]
    Unit(UnitCommand),
    /// Tài khoản đăng nhập bảng quản trị trên web
    #[command(subcommand)]
    Operator(OperatorCommand),
    /// Thông báo cho công dân (SMS, Zalo): xem các thông báo gửi thất bại, xếp gửi lại
    #[command(subcommand)]
    Notices(NoticesCommand),
    /// Tạo mã đăng ký quầy (dùng một lần, có hạn)
    EnrollCode {
        #[arg(long)]
        unit: String,
        /// Buộc quầy đăng ký phải mang số hiệu này (0–9)
        #[arg(long, conflicts_with = "replace_desk")]
        desk_index: Option<u8>,
        /// Cho phép thay thế quầy số N đã đăng ký (mất mã truy cập, thay máy);
        /// mã truy cập cũ của quầy đó hết hiệu lực
        #[arg(long, value_name = "N")]
        replace_desk: Option<u8>,
        /// Thời hạn, ví dụ 30m, 24h, 7d
        #[arg(long, default_value = "24h")]
        expires: String,
    },
    /// Ghi nhận bước xử lý tại trung tâm cho một hồ sơ
    Record {
        code: String,
        #[arg(value_enum)]
        action: CentreAction,
        /// Người thực hiện
        #[arg(long, default_value = "Bộ phận chuyên môn")]
        by: String,
        #[arg(long, default_value = "")]
        note: String,
        /// Thời hạn mới khi gia hạn (YYYY-MM-DDTHH:MM, giờ Việt Nam)
        #[arg(long)]
        until: Option<String>,
        /// Nội dung cần bổ sung (lặp lại được)
        #[arg(long = "item")]
        items: Vec<String>,
    },
    /// Danh mục thủ tục chính thức
    #[command(subcommand)]
    Catalogue(CatalogueCommand),
    /// Lịch làm việc chính thức
    #[command(subcommand)]
    Calendar(ImportCommand),
    /// Xuất hồ sơ theo định dạng đồng bộ của Cổng DVCQG
    ExportDvcqg {
        #[arg(long)]
        from: NaiveDate,
        #[arg(long)]
        to: NaiveDate,
        #[arg(long)]
        out: PathBuf,
    },
    /// Các lần quầy gửi dữ liệu mâu thuẫn với trung tâm (đã bị từ chối)
    Conflicts {
        /// Chỉ từ ngày này (YYYY-MM-DD)
        #[arg(long)]
        since: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
    /// Sự kiện quầy gửi lên bị trung tâm từ chối và cách ly (kèm lý do)
    Quarantine {
        /// Chỉ của đơn vị này
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Nhật ký thao tác quản trị: ai, khi nào, làm gì
    Audit {
        /// Chỉ từ ngày này (YYYY-MM-DD)
        #[arg(long)]
        since: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
    /// Thống kê theo đơn vị và trạng thái, tỷ lệ đúng hạn
    Stats {
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Kết quả đánh giá sự hài lòng theo đơn vị (TT 01/2018, Điều 14)
    Ratings {
        #[arg(long)]
        unit: Option<String>,
    },
    /// Địa chỉ công khai của trang tra cứu hồ sơ (mã QR trên giấy tiếp nhận trỏ về đây);
    /// không có URL: in địa chỉ đang dùng
    PublicUrl {
        /// Ví dụ https://tracuu.tinh.gov.vn
        url: Option<String>,
    },
}

// `serve`'s options: where to listen, TLS, limits and notices (a plain comment: a doc
// comment here would replace the command's help, which the variant gives).
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Địa chỉ lắng nghe (cổng 0: chọn cổng trống)
    #[arg(long, env = "MOTCUA_CENTRE_LISTEN", default_value = "127.0.0.1:8088")]
    pub listen: SocketAddr,
    /// Số kết nối PostgreSQL tối đa
    #[arg(long, env = "MOTCUA_CENTRE_POOL_SIZE", default_value_t = 16)]
    pub pool_size: usize,
    /// Số yêu cầu đồng bộ phục vụ cùng lúc tối đa; quá số này trung tâm trả 503 kèm Retry-After
    #[arg(long, env = "MOTCUA_CENTRE_MAX_IN_FLIGHT", default_value_t = 256)]
    pub max_in_flight: usize,
    /// Thời gian chờ kết nối PostgreSQL tối đa (mili giây) trước khi trả 503 kèm Retry-After
    #[arg(
        long,
        env = "MOTCUA_CENTRE_POOL_WAIT_MS",
        default_value_t = 2000,
        value_name = "MILI_GIÂY"
    )]
    pub pool_wait_ms: u64,
    /// Số giây quầy được báo chờ (Retry-After) khi trung tâm quá tải
    #[arg(
        long,
        env = "MOTCUA_CENTRE_RETRY_AFTER",
        default_value_t = 10,
        value_name = "GIÂY"
    )]
    pub retry_after: u64,
    /// Chứng chỉ TLS (PEM, cả chuỗi); cùng với --tls-key để phục vụ HTTPS
    #[arg(
        long,
        env = "MOTCUA_TLS_CERT",
        requires = "tls_key",
        value_name = "TỆP"
    )]
    pub tls_cert: Option<PathBuf>,
    /// Khóa riêng TLS (PEM)
    #[arg(
        long,
        env = "MOTCUA_TLS_KEY",
        requires = "tls_cert",
        value_name = "TỆP"
    )]
    pub tls_key: Option<PathBuf>,
    /// Đóng kết nối không gửi/nhận gì trong số giây này
    #[arg(
        long,
        env = "MOTCUA_CENTRE_IDLE_TIMEOUT",
        default_value_t = 60,
        value_name = "GIÂY"
    )]
    pub idle_timeout: u64,
    /// Thời gian tối đa để nhận xong một yêu cầu (tiêu đề và nội dung), tính bằng giây
    #[arg(
        long,
        env = "MOTCUA_CENTRE_REQUEST_TIMEOUT",
        default_value_t = 60,
        value_name = "GIÂY"
    )]
    pub request_timeout: u64,
    /// Số kết nối phục vụ cùng lúc tối đa
    #[arg(long, env = "MOTCUA_CENTRE_MAX_CONNECTIONS", default_value_t = 1024)]
    pub max_connections: usize,
    /// Kích thước tối đa của một tệp giấy tờ nhận từ quầy, tính bằng byte (không quá 200 MiB)
    #[arg(long, env = "MOTCUA_CENTRE_MAX_FILE_BYTES", default_value_t = 50 * 1024 * 1024)]
    pub max_file_bytes: u64,
    /// Số tệp được nhận cùng lúc tối đa (mọi quầy)
    #[arg(long, env = "MOTCUA_CENTRE_MAX_UPLOADS", default_value_t = 64)]
    pub max_uploads: usize,
    /// Số tệp được nhận cùng lúc tối đa từ các quầy của một đơn vị
    #[arg(long, env = "MOTCUA_CENTRE_MAX_UPLOADS_PER_UNIT", default_value_t = 16)]
    pub max_uploads_per_unit: usize,
    /// Dung lượng tệp tối đa một đơn vị được lưu trên trung tâm (byte)
    #[arg(long, env = "MOTCUA_CENTRE_QUOTA_PER_UNIT", default_value_t = 20 * 1024 * 1024 * 1024)]
    pub quota_per_unit: u64,
    /// Sau bao nhiêu giây (ít nhất 60) thì tệp đã tải lên mà không hồ sơ nào của đơn vị nêu tên bị xóa
    #[arg(long, env = "MOTCUA_CENTRE_ORPHAN_GRACE", default_value_t = 24 * 3600)]
    pub orphan_grace: u64,
    /// Máy chủ đứng sau một proxy HTTPS (nginx, Caddy…): không cảnh báo khi phục vụ HTTP thường ở địa chỉ mạng
    #[arg(long, env = "MOTCUA_CENTRE_BEHIND_TLS_PROXY")]
    pub behind_tls_proxy: bool,
    /// Proxy được tin (địa chỉ hoặc dải CIDR, lặp lại được): chỉ khi kết nối đến từ đây, địa chỉ công dân mới lấy từ X-Forwarded-For (mục ngoài cùng bên phải không thuộc các proxy này); từ nơi khác tiêu đề này bị bỏ qua
    #[arg(
        long,
        env = "MOTCUA_CENTRE_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_name = "CIDR"
    )]
    pub trusted_proxy: Vec<crate::centre::proxy::Cidr>,
    /// Thông báo cho công dân (SMS thương hiệu hoặc Zalo ZNS)
    #[command(flatten)]
    pub notices: crate::centre::notices::config::NoticeArgs,
}

#[derive(Debug, Subcommand)]
pub enum UnitCommand {
    Add {
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
    },
    List,
}

#[derive(Debug, Subcommand)]
pub enum OperatorCommand {
    /// Thêm tài khoản; mật khẩu đọc từ dòng đầu của đầu vào chuẩn (không bao giờ từ dòng lệnh)
    Add {
        /// Tên đăng nhập: chữ thường không dấu, số, . _ -
        #[arg(long)]
        username: String,
        /// Họ tên hiển thị
        #[arg(long)]
        name: String,
        /// province (quản trị cấp tỉnh), leader (lãnh đạo một đơn vị, chỉ xem), auditor (kiểm tra, chỉ xem)
        #[arg(long)]
        role: String,
        /// Đơn vị của lãnh đạo (chỉ với --role leader)
        #[arg(long)]
        unit: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum NoticesCommand {
    /// Liệt kê thông báo đã thôi gửi (cổng từ chối hoặc hết số lần thử): mã, loại, số lần, lỗi cuối, thời gian; không hiện số điện thoại
    Failed {
        /// Chỉ của đơn vị này
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Xếp lại một thông báo thất bại (theo mã `notices failed` in ra) hoặc mọi thông báo thất bại để gửi lại
    #[command(group(clap::ArgGroup::new("which").required(true).args(["id", "all_failed"])))]
    Retry {
        /// Mã thông báo, dạng <mã sự kiện>:<loại>
        id: Option<String>,
        /// Mọi thông báo thất bại (cùng --unit: chỉ của đơn vị đó)
        #[arg(long)]
        all_failed: bool,
        /// Chỉ của đơn vị này (cùng --all-failed)
        #[arg(long, requires = "all_failed")]
        unit: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum CatalogueCommand {
    /// Nhập từ tệp và gửi xuống mọi quầy
    Import { file: PathBuf },
    /// Nhập danh mục thủ tục tiếp nhận không phụ thuộc địa giới hành chính của tỉnh
    /// (mỗi dòng một mã thủ tục); thay cho danh mục trước
    ImportPhiDiaGioi {
        file: PathBuf,
        /// Quyết định công bố, ví dụ "QĐ 2095/QĐ-UBND ngày 31/10/2025"
        #[arg(long)]
        decision: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Nhập từ tệp và gửi xuống mọi quầy
    Import { file: PathBuf },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CentreAction {
    ResultReady,
    SupplementRequest,
    Stop,
    Extend,
}
