//! Draws PDF pages that are not one image (text, lines, fonts: an imported form) with
//! the pure-Rust renderer hayro, within bounds: each page first passes `render_guard`,
//! its size in points is sane, and the whole list stops after a time budget. A page
//! that is refused, fails or panics inside the renderer is left for the placeholder.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_interpret::util::TransformExt;
use hayro::hayro_syntax::Pdf;
use hayro::hayro_syntax::page::Page;
use hayro::kurbo::Affine;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::vello_cpu::{Pixmap, RasterizerSettings, RenderContext, Resources, TargetInit};
use hayro::{RenderCache, RenderSettings, render_into};
use lopdf::{Document, ObjectId};

use super::render_guard::Guard;
use super::thumbnail::Thumbnail;

/// Pages still waiting after this long keep the placeholder: the list must come back.
const TIME_BUDGET: Duration = Duration::from_secs(4);
/// Largest page side accepted, in points (the PDF limit is 14,400; UserUnit aside).
const MAX_POINTS: f32 = 15_000.0;
/// A page thinner than this (width over height, or the inverse) is not drawn.
const MAX_ASPECT: f32 = 10.0;

/// Fills the empty `slots` (one per page of `pages`, in order) with rendered pages.
pub(super) fn render_missing(
    bytes: &[u8],
    doc: &Document,
    pages: &[ObjectId],
    slots: &mut [Option<Thumbnail>],
    max_side: u32,
) {
    let started = Instant::now();
    let Ok(Ok(pdf)) = catch_unwind(|| Pdf::new(bytes.to_vec())) else {
        return;
    };
    let rendered = pdf.pages();
    let cache = RenderCache::new();
    let settings = InterpreterSettings::default();
    let mut guard = Guard::new(doc);
    for ((slot, id), page) in slots.iter_mut().zip(pages).zip(rendered.iter()) {
        if slot.is_some() {
            continue;
        }
        if started.elapsed() > TIME_BUDGET {
            break;
        }
        if !guard.page_ok(*id) {
            continue;
        }
        *slot = catch_unwind(AssertUnwindSafe(|| {
            render_page(page, &cache, &settings, max_side)
        }))
        .ok()
        .flatten();
    }
}

/// The page scaled so its longer side is `max_side` pixels, on white.
fn render_page<'a>(
    page: &'a Page<'a>,
    cache: &RenderCache<'a>,
    settings: &InterpreterSettings,
    max_side: u32,
) -> Option<Thumbnail> {
    let (w, h) = page.render_dimensions();
    let sane = |v: f32| v.is_finite() && (1.0..=MAX_POINTS).contains(&v);
    if !sane(w) || !sane(h) || w.max(h) / w.min(h) > MAX_ASPECT {
        return None;
    }
    let scale = max_side as f32 / w.max(h);
    let px = |v: f32| u16::try_from(((v * scale).round() as u32).clamp(1, max_side)).ok();
    let (pw, ph) = (px(w)?, px(h)?);
    let mut ctx = RenderContext::new(pw, ph);
    let fit = Affine::scale_non_uniform(f64::from(pw) / f64::from(w), f64::from(ph) / f64::from(h));
    let transform = fit * page.initial_transform(true).to_kurbo();
    render_into(
        page,
        cache,
        settings,
        &RenderSettings::default(),
        &mut ctx,
        transform,
    );
    ctx.flush();
    let mut pixmap = Pixmap::new(pw, ph);
    ctx.render_with(
        &mut pixmap,
        &mut Resources::default(),
        RasterizerSettings {
            target_init: TargetInit::Clear(WHITE),
            ..Default::default()
        },
    );
    // Opaque on white, so premultiplied RGBA is plain RGBA.
    Some(Thumbnail {
        width: u32::from(pw),
        height: u32::from(ph),
        rgba: pixmap.data_as_u8_slice().to_vec(),
    })
}
