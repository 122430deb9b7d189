//! Paper to white. A scanner returns paper as a noisy light grey (about 230 ± 5); kept
//! as it is, that noise is most of a page's bytes, in JPEG and in 16-level grey alike.
//! When a page looks like a document (one light grey dominates), the grey is stretched
//! so that this paper and everything lighter becomes pure white and the ink keeps its
//! shades. Photos and dark pages are left as they are.

use image::GrayImage;

/// Paper lighter than this is a document's background; darker, the page is left alone.
const MIN_PAPER: usize = 160;
/// Share of pixels that must sit around the paper level for the page to be a document.
const MIN_PAPER_SHARE: u64 = 4; // one in four

pub fn paper_to_white(grey: &mut GrayImage) {
    let mut hist = [0u64; 256];
    for p in grey.pixels() {
        hist[usize::from(p.0[0])] += 1;
    }
    let total: u64 = hist.iter().sum();
    let Some(peak) = (MIN_PAPER..256).max_by_key(|v| hist[*v]) else {
        return;
    };
    let near: u64 = hist[peak.saturating_sub(8)..=(peak + 8).min(255)]
        .iter()
        .sum();
    if near * MIN_PAPER_SHARE < total || peak == 255 && hist[255] * 2 > total {
        // Not a document, or already clean white paper.
        return;
    }
    // The paper's darker edge: where its histogram falls below an eighth of the peak.
    let mut edge = peak;
    while edge > MIN_PAPER && hist[edge - 1] * 8 >= hist[peak] {
        edge -= 1;
    }
    let white = edge.saturating_sub(4).max(MIN_PAPER - 16) as u32;
    let mut lut = [0u8; 256];
    for (v, out) in lut.iter_mut().enumerate() {
        *out = ((v as u32 * 255) / white).min(255) as u8;
    }
    for p in grey.pixels_mut() {
        p.0[0] = lut[usize::from(p.0[0])];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanned_paper_becomes_white_and_ink_stays_dark() {
        let mut rng = fastrand::Rng::with_seed(1);
        let mut page = GrayImage::from_fn(200, 300, |x, y| {
            let ink = (y / 10) % 3 == 0 && x > 20 && x < 180;
            let base = if ink { 30 } else { 232 };
            image::Luma([(base + rng.i32(-6..=6)) as u8])
        });
        paper_to_white(&mut page);
        let paper = page.get_pixel(5, 15).0[0];
        let ink = page.get_pixel(50, 2).0[0];
        assert_eq!(paper, 255);
        assert!(ink < 50, "ink {ink}");
        assert!(page.pixels().filter(|p| p.0[0] < 255).count() < 200 * 300 / 2);
    }

    #[test]
    fn a_photo_is_left_as_it_is() {
        let photo = GrayImage::from_fn(256, 100, |x, _| image::Luma([x as u8]));
        let mut copy = photo.clone();
        paper_to_white(&mut copy);
        assert_eq!(copy, photo);
        let white = GrayImage::from_pixel(50, 50, image::Luma([255]));
        let mut copy = white.clone();
        paper_to_white(&mut copy);
        assert_eq!(copy, white);
    }
}
