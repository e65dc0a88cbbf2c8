//! Text for printed tickets: the embedded fonts, and measuring, wrapping and drawing lines
//! of text as black-on-white pixels.
//!
//! Widths are measured over both the advance and the ink of every glyph, and lines are
//! drawn at whole-pixel origins, so a line drawn anywhere covers exactly the pixels its
//! measurement promised. That is what lets the layout guarantee that nothing is clipped.

use std::sync::LazyLock;

use ab_glyph::{point, Font, FontRef, Glyph, PxScale, ScaleFont};
use image::{GrayImage, Luma};

/// DejaVu Sans, licence in `assets/fonts/LICENSE`. Chosen for its wide coverage (æøå and
/// the Nordic and Greenlandic letters) and its open, sturdy shapes, which survive 1-bit
/// thresholding at small sizes.
pub(crate) static REGULAR_TTF: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
pub(crate) static BOLD_TTF: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");

static FONTS: LazyLock<[FontRef<'static>; 2]> =
    LazyLock::new(|| [load_font(REGULAR_TTF), load_font(BOLD_TTF)]);

fn load_font(bytes: &'static [u8]) -> FontRef<'static> {
    // The fonts are compiled in and loaded by the tests, so a failure here is a defect of
    // the build, never a consequence of input.
    FontRef::try_from_slice(bytes).expect("embedded font is a valid TrueType file")
}

/// Coverage at or above which an anti-aliased pixel is printed black. Thermal printers
/// have no grey, and a midpoint keeps stroke weights as the font designer drew them.
const INK_THRESHOLD: f32 = 0.5;

pub const BLACK: Luma<u8> = Luma([0]);
pub const WHITE: Luma<u8> = Luma([255]);

/// Separator between phrases that should stay whole when a line wraps.
pub const SEPARATOR: &str = " · ";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    Regular,
    Bold,
}

impl Face {
    fn font(self) -> &'static FontRef<'static> {
        match self {
            Face::Regular => &FONTS[0],
            Face::Bold => &FONTS[1],
        }
    }
}

/// A face at a size in pixels (dots).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub face: Face,
    pub px: f32,
}

impl Style {
    pub fn new(face: Face, px: f32) -> Self {
        Self { face, px }
    }

    /// Distance from the top of a line box to its baseline.
    pub fn ascent(self) -> i32 {
        self.face.font().as_scaled(self.px).ascent().ceil() as i32
    }

    /// Height of a line box: room for the tallest accents and the deepest descenders.
    pub fn line_height(self) -> u32 {
        let font = self.face.font().as_scaled(self.px);
        (font.ascent().ceil() - font.descent().floor()) as u32
    }
}

/// The box of a line relative to its pen origin on the baseline, in whole pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extent {
    pub left: i32,
    pub right: i32,
    /// Top of the ink (negative: above the baseline).
    pub ink_top: i32,
    /// Bottom of the ink.
    pub ink_bottom: i32,
}

impl Extent {
    pub fn width(self) -> u32 {
        (self.right - self.left).max(0) as u32
    }

    pub fn ink_height(self) -> u32 {
        (self.ink_bottom - self.ink_top).max(0) as u32
    }
}

/// Lays `text` out on one line with kerning, the pen starting at (0, 0) on the baseline.
fn glyphs(style: Style, text: &str) -> Vec<Glyph> {
    let font = style.face.font().as_scaled(style.px);
    let mut caret = 0.0;
    let mut previous = None;
    let mut glyphs = Vec::with_capacity(text.len());
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(prev) = previous {
            caret += font.kern(prev, id);
        }
        glyphs.push(id.with_scale_and_position(PxScale::from(style.px), point(caret, 0.0)));
        caret += font.h_advance(id);
        previous = Some(id);
    }
    glyphs
}

/// Measures `text` as [`draw`] will draw it.
pub fn measure(style: Style, text: &str) -> Extent {
    let font = style.face.font();
    let scaled = font.as_scaled(style.px);
    let mut extent = Extent {
        left: 0,
        right: 0,
        ink_top: 0,
        ink_bottom: 0,
    };
    for glyph in glyphs(style, text) {
        let advance_end = glyph.position.x + scaled.h_advance(glyph.id);
        extent.right = extent.right.max(advance_end.ceil() as i32);
        if let Some(outline) = font.outline_glyph(glyph) {
            let bounds = outline.px_bounds();
            extent.left = extent.left.min(bounds.min.x as i32);
            extent.right = extent.right.max(bounds.max.x as i32);
            extent.ink_top = extent.ink_top.min(bounds.min.y as i32);
            extent.ink_bottom = extent.ink_bottom.max(bounds.max.y as i32);
        }
    }
    extent
}

pub fn width(style: Style, text: &str) -> u32 {
    measure(style, text).width()
}

/// Draws `text` with its pen origin at `(x, baseline)`; pixels outside the image are
/// dropped.
pub fn draw(image: &mut GrayImage, style: Style, text: &str, x: i32, baseline: i32) {
    let font = style.face.font();
    for mut glyph in glyphs(style, text) {
        glyph.position.x += x as f32;
        glyph.position.y += baseline as f32;
        let Some(outline) = font.outline_glyph(glyph) else {
            continue; // spaces and other blank glyphs
        };
        let origin = outline.px_bounds().min;
        outline.draw(|gx, gy, coverage| {
            if coverage >= INK_THRESHOLD {
                put(
                    image,
                    origin.x as i32 + gx as i32,
                    origin.y as i32 + gy as i32,
                );
            }
        });
    }
}

fn put(image: &mut GrayImage, x: i32, y: i32) {
    if let (Ok(x), Ok(y)) = (u32::try_from(x), u32::try_from(y)) {
        if x < image.width() && y < image.height() {
            image.put_pixel(x, y, BLACK);
        }
    }
}

/// The largest size from `max_px` down to `min_px` at which every word of `text` fits in
/// `max_width`, and the text wrapped at that size.
///
/// Shrinking for the widest word, not for the whole text, keeps long errands large and
/// wrapped over lines, while a single long Danish compound still fits on one.
pub fn fit(
    face: Face,
    text: &str,
    max_px: f32,
    min_px: f32,
    max_width: u32,
) -> (Style, Vec<String>) {
    let mut px = max_px;
    while px > min_px {
        let widest = text
            .split_whitespace()
            .map(|word| width(Style::new(face, px), word))
            .max()
            .unwrap_or(0);
        if widest <= max_width {
            break;
        }
        // Width is nearly proportional to size; the `- 1.0` guarantees progress when
        // rounding of glyph bounds makes the proportional guess fall just short.
        let proportional = px * max_width as f32 / widest as f32;
        px = proportional.min(px - 1.0).floor().max(min_px);
    }
    let style = Style::new(face, px);
    (style, wrap_balanced(style, text, max_width))
}

/// Like [`fit`], but first tries to keep `text` on one line by shrinking it, no further
/// than `min_px`; for short lines whose wrapped tail would stand alone.
pub fn fit_one_line(
    face: Face,
    text: &str,
    max_px: f32,
    min_px: f32,
    max_width: u32,
) -> (Style, Vec<String>) {
    let whole = |px| width(Style::new(face, px), text);
    if whole(min_px) > max_width || text.contains('\n') {
        return fit(face, text, max_px, min_px, max_width);
    }
    let mut px = max_px;
    while px > min_px && whole(px) > max_width {
        px = (px * max_width as f32 / whole(px) as f32)
            .min(px - 1.0)
            .floor()
            .max(min_px);
    }
    (Style::new(face, px), vec![text.trim().to_owned()])
}

/// Wraps like [`wrap`], into as few lines, but as narrow as that allows, so that a
/// wrapped text does not end in a lone word.
pub fn wrap_balanced(style: Style, text: &str, max_width: u32) -> Vec<String> {
    let lines = wrap(style, text, max_width);
    if lines.len() < 2 {
        return lines;
    }
    // Invariant: wrapping at `narrowest` needs no more lines than at `max_width`.
    let (mut too_narrow, mut narrowest) = (0, max_width);
    while narrowest - too_narrow > 1 {
        let mid = too_narrow + (narrowest - too_narrow) / 2;
        if wrap(style, text, mid).len() <= lines.len() {
            narrowest = mid;
        } else {
            too_narrow = mid;
        }
    }
    wrap(style, text, narrowest)
}

/// Wraps `text` into lines no wider than `max_width`, breaking at [`SEPARATOR`]s first,
/// then between words, and only inside a word that is wider than a line by itself.
/// Explicit newlines are kept.
pub fn wrap(style: Style, text: &str, max_width: u32) -> Vec<String> {
    text.lines()
        .flat_map(|paragraph| pack(style, paragraph, Level::Phrases, max_width))
        .collect()
}

#[derive(Debug, Clone, Copy)]
enum Level {
    Phrases,
    Words,
    Chars,
}

impl Level {
    fn units(self, text: &str) -> (Vec<String>, &'static str) {
        match self {
            Level::Phrases => (
                text.split(SEPARATOR).map(str::to_owned).collect(),
                SEPARATOR,
            ),
            Level::Words => (text.split_whitespace().map(str::to_owned).collect(), " "),
            Level::Chars => (text.chars().map(String::from).collect(), ""),
        }
    }

    fn finer(self) -> Option<Level> {
        match self {
            Level::Phrases => Some(Level::Words),
            Level::Words => Some(Level::Chars),
            Level::Chars => None,
        }
    }
}

/// Greedy line filling at one level; units too wide for a line are packed at the next
/// finer level, and the last of their lines stays open for the units that follow.
fn pack(style: Style, text: &str, level: Level, max_width: u32) -> Vec<String> {
    let fits = |line: &str| width(style, line) <= max_width;
    let (units, joiner) = level.units(text);
    let mut lines = Vec::new();
    let mut current = String::new();
    for unit in units.into_iter().map(|u| u.trim().to_owned()) {
        if unit.is_empty() {
            continue;
        }
        let candidate = if current.is_empty() {
            unit.clone()
        } else {
            format!("{current}{joiner}{unit}")
        };
        if fits(&candidate) {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        match level.finer() {
            Some(finer) if !fits(&unit) => {
                let mut pieces = pack(style, &unit, finer, max_width);
                current = pieces.pop().unwrap_or_default();
                lines.append(&mut pieces);
            }
            // Fits alone, or a single character wider than the paper, which no break
            // can help.
            _ => current = unit,
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether every character of `text` has a glyph in `face` (rather than the blank box
    /// fonts show for missing ones).
    fn has_glyphs(face: Face, text: &str) -> bool {
        text.chars()
            .filter(|c| !c.is_whitespace())
            .all(|c| face.font().glyph_id(c).0 != 0)
    }

    const BODY: Style = Style {
        face: Face::Regular,
        px: 24.0,
    };

    #[test]
    fn embedded_fonts_load_and_cover_danish_letters() {
        for face in [Face::Regular, Face::Bold] {
            assert!(has_glyphs(face, "æøåÆØÅ éü ·–"));
        }
    }

    #[test]
    fn danish_letters_draw_ink() {
        for c in ["æ", "ø", "å", "Æ", "Ø", "Å"] {
            let extent = measure(BODY, c);
            assert!(
                extent.width() > 5 && extent.ink_height() > 5,
                "{c}: {extent:?}"
            );
            let mut image = GrayImage::from_pixel(40, 40, WHITE);
            draw(&mut image, BODY, c, 5, 30);
            let black = image.pixels().filter(|p| **p == BLACK).count();
            assert!(black > 20, "{c} drew only {black} pixels");
        }
    }

    #[test]
    fn drawing_stays_inside_the_measured_box() {
        let text = "Kørekort · fornyelse ÅÆØ jgpq";
        let extent = measure(BODY, text);
        let (x, baseline) = (7, 40);
        let mut image = GrayImage::from_pixel(extent.width() + 20, 80, WHITE);
        draw(&mut image, BODY, text, x, baseline);
        for (px, py, pixel) in image.enumerate_pixels() {
            if *pixel == BLACK {
                let (px, py) = (px as i32, py as i32);
                assert!(px >= x + extent.left && px < x + extent.right, "x {px}");
                assert!(py >= baseline + extent.ink_top && py < baseline + extent.ink_bottom);
            }
        }
    }

    #[test]
    fn wrap_prefers_separators_then_words() {
        let text = "Foran dig: 3 · Forventet ventetid: ca. 12 min";
        let whole = width(BODY, text);
        let lines = wrap(BODY, text, whole - 1);
        assert_eq!(lines, ["Foran dig: 3", "Forventet ventetid: ca. 12 min"]);
        let narrow = width(BODY, "Forventet ventetid:");
        let lines = wrap(BODY, text, narrow);
        assert_eq!(lines, ["Foran dig: 3", "Forventet ventetid:", "ca. 12 min"]);
    }

    #[test]
    fn balanced_wrap_evens_out_the_lines() {
        let text = "Scan the code to follow the queue on your phone";
        let max = width(BODY, text) * 8 / 10;
        let greedy = wrap(BODY, text, max);
        let balanced = wrap_balanced(BODY, text, max);
        assert_eq!(greedy.len(), 2);
        assert_eq!(balanced.len(), 2);
        assert_eq!(balanced.join(" "), text);
        let widths: Vec<u32> = balanced.iter().map(|l| width(BODY, l)).collect();
        assert!(widths.iter().all(|w| *w <= max));
        assert!(
            widths[0].abs_diff(widths[1]) < width(BODY, "follow the"),
            "{balanced:?}"
        );
    }

    #[test]
    fn wrap_breaks_a_word_wider_than_the_line() {
        let word = "Sygesikringsbevisudstedelsesafdelingen";
        let max = width(BODY, word) / 3;
        let lines = wrap(BODY, &format!("{word} og pas"), max);
        assert!(lines.len() >= 3);
        assert!(lines.iter().all(|l| width(BODY, l) <= max), "{lines:?}");
        assert_eq!(lines.concat().replace(' ', ""), format!("{word}ogpas"));
    }

    #[test]
    fn fit_shrinks_for_the_widest_word_only() {
        let (style, lines) = fit(Face::Bold, "A014", 200.0, 40.0, 300);
        assert!(style.px < 200.0 && style.px >= 40.0);
        assert_eq!(lines, ["A014"]);
        assert!(width(style, "A014") <= 300);

        let (style, lines) = fit(Face::Bold, "Pas og kørekort", 30.0, 20.0, 160);
        assert_eq!(style.px, 30.0);
        assert!(lines.len() > 1);
    }

    #[test]
    fn fit_one_line_shrinks_a_little_rather_than_wrap() {
        let text = "Scan koden og følg køen på din telefon";
        let full = width(BODY, text);
        let (style, lines) = fit_one_line(Face::Regular, text, 24.0, 20.0, full * 9 / 10);
        assert!(style.px < 24.0 && style.px >= 20.0);
        assert_eq!(lines, [text]);
        assert!(width(style, text) <= full * 9 / 10);

        let (style, lines) = fit_one_line(Face::Regular, text, 24.0, 20.0, full / 2);
        assert_eq!(style.px, 24.0);
        assert!(lines.len() > 1);
    }
}
