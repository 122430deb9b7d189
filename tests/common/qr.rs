//! Reading a printed receipt's QR back, as a phone would: the PDF's first page drawn at
//! 300 dpi by `pdftoppm`, then decoded by `zbarimg` (both installed by `.ci/setup`; a
//! missing tool fails the test, never skips it).

use std::path::Path;
use std::process::Command;

/// Runs a tool and insists it succeeds; its standard output.
pub fn tool(name: &str, args: &[&str]) -> Vec<u8> {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} is missing ({e}): run `bash .ci/setup`"));
    assert!(
        out.status.success(),
        "{name} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// What `zbarimg` reads on the first page of `pdf` at 300 dpi: the QR's text.
pub fn qr_of(pdf: &Path, work: &Path) -> String {
    let png = work.join("page");
    let (p, o) = (pdf.to_str().expect("path"), png.to_str().expect("path"));
    tool(
        "pdftoppm",
        &[
            "-r",
            "300",
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            "-singlefile",
            p,
            o,
        ],
    );
    let text = String::from_utf8(tool(
        "zbarimg",
        &["-q", png.with_extension("png").to_str().expect("path")],
    ))
    .expect("utf-8");
    text.lines()
        .find_map(|l| l.strip_prefix("QR-Code:"))
        .expect("a QR code on the receipt")
        .trim()
        .to_string()
}
