//! `motcua render-thumbnails` (hidden): the child process the desk starts to draw a
//! PDF's thumbnails, so that a file which never finishes drawing can be stopped
//! (issue 20). Not for people: the PDF comes on standard input and the pictures leave on
//! standard output in the desk's own format.

use clap::Args;

use super::{CliError, CliResult};

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Cạnh dài nhất của mỗi hình, tính bằng điểm ảnh
    #[arg(long, default_value_t = 200)]
    side: u32,
    /// Số trang tối đa
    #[arg(long, default_value_t = 8)]
    pages: usize,
    /// Thời gian CPU tối đa, giây
    #[arg(long, default_value_t = 10)]
    cpu_seconds: u64,
    /// Bộ nhớ tối đa, byte
    #[arg(long, default_value_t = 1024 * 1024 * 1024)]
    memory_bytes: u64,
}

pub fn render_thumbnails(a: &RenderArgs) -> CliResult {
    crate::desk::attach::serve_thumbnail_child(a.side, a.pages, a.cpu_seconds, a.memory_bytes)
        .map_err(CliError)
}
