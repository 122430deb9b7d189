//! QR codes and Code 128 barcodes as plain rectangles (mm, from the top-left of the
//! code), so they print as crisp vectors without any image library.

use qrcode::{EcLevel, QrCode};

/// A filled rectangle: x, y (top), width, height, in mm.
pub type Cell = (f32, f32, f32, f32);

/// The quiet zone around a QR code, in modules (ISO/IEC 18004 asks for 4).
const QR_QUIET: usize = 4;

/// The dark modules of a QR code of `data` drawn `size` mm square (quiet zone
/// included); horizontal runs are merged into one rectangle each.
pub fn qr_cells(data: &str, size: f32) -> Result<Vec<Cell>, String> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M)
        .map_err(|e| format!("không tạo được mã QR: {e}"))?;
    let n = code.width();
    let module = size / (n + 2 * QR_QUIET) as f32;
    let colors = code.to_colors();
    let mut cells = Vec::new();
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if colors[row * n + col] == qrcode::Color::Dark {
                let start = col;
                while col < n && colors[row * n + col] == qrcode::Color::Dark {
                    col += 1;
                }
                cells.push((
                    (start + QR_QUIET) as f32 * module,
                    (row + QR_QUIET) as f32 * module,
                    (col - start) as f32 * module,
                    module,
                ));
            } else {
                col += 1;
            }
        }
    }
    Ok(cells)
}

/// The bars of a Code 128 barcode of `data` (character set B, which covers the
/// dossier code's letters, digits, dots and hyphens), `module` mm per module.
pub fn code128_bars(data: &str, module: f32, height: f32) -> Result<Vec<Cell>, String> {
    // barcoders wants the start character set as the first character: Ɓ = set B.
    let code = barcoders::sym::code128::Code128::new(format!("Ɓ{data}"))
        .map_err(|e| format!("không tạo được mã vạch cho '{data}': {e}"))?;
    let modules = code.encode();
    let mut bars = Vec::new();
    let mut i = 0;
    while i < modules.len() {
        if modules[i] == 1 {
            let start = i;
            while i < modules.len() && modules[i] == 1 {
                i += 1;
            }
            bars.push((
                start as f32 * module,
                0.0,
                (i - start) as f32 * module,
                height,
            ));
        } else {
            i += 1;
        }
    }
    Ok(bars)
}

/// The width in mm of the barcode of `data` (without quiet zones).
pub fn code128_width(data: &str, module: f32) -> f32 {
    // Start + one symbol per character + check + stop (13 modules).
    (11 * (data.chars().count() + 2) + 13) as f32 * module
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_stays_inside_its_square_with_a_quiet_zone() {
        let cells = qr_cells("H22.39.15-260213-0001", 20.0).expect("qr");
        assert!(!cells.is_empty());
        for (x, y, w, h) in &cells {
            assert!(*x > 0.0 && *y > 0.0 && x + w < 20.0 && y + h < 20.0);
        }
    }

    #[test]
    fn barcode_width_is_predicted() {
        let data = "H22.39.15-260213-0001";
        let bars = code128_bars(data, 0.25, 8.0).expect("barcode");
        let right = bars.iter().map(|(x, _, w, _)| x + w).fold(0.0, f32::max);
        assert!((right - code128_width(data, 0.25)).abs() < 0.01, "{right}");
        assert!(code128_bars("Mã có dấu", 0.25, 8.0).is_err());
    }
}
