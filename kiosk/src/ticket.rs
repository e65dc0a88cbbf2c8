//! The printed queue ticket: laid out and rendered as a 1-bit image at the printer's
//! native resolution, then encoded as PNG (for screens and tests) or ESC/POS (for
//! printers).
//!
//! Rendering is pure: the caller supplies every text already formatted, including the
//! local issue time, so this module knows nothing of time zones or the server.

use std::fmt;
use std::io::Cursor;
use std::str::FromStr;

use image::{GrayImage, ImageFormat};
use qrcode::{Color, EcLevel, QrCode};
use thiserror::Error;

use crate::escpos::{self, Command};
use crate::text::{self, Face, Style, BLACK, SEPARATOR, WHITE};

/// Paper roll width. Receipt printers print 8 dots per millimetre (203 dpi) over 48 mm
/// of 58 mm paper and 72 mm of 80 mm paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Paper {
    Mm58,
    Mm80,
}

impl Paper {
    /// Printable width in dots.
    pub const fn dots(self) -> u32 {
        match self {
            Paper::Mm58 => 384,
            Paper::Mm80 => 576,
        }
    }

    /// Bytes per raster row in ESC/POS.
    pub const fn width_bytes(self) -> u32 {
        self.dots() / 8
    }
}

impl fmt::Display for Paper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Paper::Mm58 => "58",
            Paper::Mm80 => "80",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("paper width must be 58 or 80 (mm), got '{0}'")]
pub struct PaperError(String);

impl FromStr for Paper {
    type Err = PaperError;

    fn from_str(raw: &str) -> Result<Self, PaperError> {
        match raw.trim().trim_end_matches("mm").trim() {
            "58" => Ok(Paper::Mm58),
            "80" => Ok(Paper::Mm80),
            _ => Err(PaperError(raw.to_owned())),
        }
    }
}

/// Everything printed on a ticket, already formatted for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketPrint {
    pub municipality: String,
    pub location: String,
    /// The queue number, e.g. `A014`.
    pub number: String,
    /// The errand's name.
    pub errand: String,
    /// Issue time in the location's time zone, e.g. `29.03.2027 kl. 10:14`.
    pub issued_local: String,
    pub people_ahead: u32,
    /// `None` while no desk is open for the errand: the wait is then unknown, and the
    /// ticket says so rather than promising a time.
    pub estimated_wait_minutes: Option<u32>,
    /// The ticket's live status page; printed as a QR code.
    pub status_url: String,
    /// What to do with the code, in the language the citizen chose; left off when empty.
    pub footer: String,
}

#[derive(Debug, Error)]
pub enum TicketError {
    #[error("the status URL cannot be encoded as a QR code")]
    Qr(#[from] qrcode::types::QrError),
    #[error(
        "the status URL is too long: its QR code ({modules} modules) would need more than \
         {paper} mm paper at {MIN_MODULE_DOTS} dots a module to be readable by a phone"
    )]
    QrTooWide { modules: u32, paper: Paper },
    #[error("the image is {width} dots wide; an ESC/POS raster row holds at most {max}")]
    TooWide { width: u32, max: u32 },
    #[error("PNG encoding failed")]
    Png(#[from] image::ImageError),
}

/// Blank dots kept on each side; printers add their own unprintable edge outside this.
pub const SIDE_MARGIN: u32 = 8;
/// Phone cameras read modules of half a millimetre (4 dots) reliably at arm's length.
pub const MIN_MODULE_DOTS: u32 = 4;
/// One millimetre per module: bigger brings nothing and costs paper.
const MAX_MODULE_DOTS: u32 = 8;
/// White modules required around a QR code by the standard.
const QUIET_ZONE_MODULES: u32 = 4;

/// Lines fed after the image so the footer clears the cutter (about 17 mm at the
/// default 1/6 inch line spacing, enough for common 58 and 80 mm printers).
const FEED_LINES: u8 = 4;
/// Rows per `GS v 0` command. Some printers cannot buffer a whole ticket in one raster
/// command; python-escpos splits at the same height by default.
const MAX_BAND_ROWS: u32 = 960;

/// One vertical piece of the ticket.
enum Block {
    /// A line of text, centred. `tight` lines take only the height of their ink, which
    /// keeps the big number from carrying a large empty accent and descender area.
    Line {
        style: Style,
        text: String,
        tight: bool,
    },
    Gap(u32),
    /// A horizontal rule of this thickness across the content width.
    Rule(u32),
    /// A QR code of `module`-dot modules (without its quiet zone, which is left as gaps).
    Qr {
        code: QrCode,
        module: u32,
    },
}

impl Block {
    fn height(&self) -> u32 {
        match self {
            Block::Line { style, text, tight } => {
                if *tight {
                    text::measure(*style, text).ink_height()
                } else {
                    style.line_height()
                }
            }
            Block::Gap(h) | Block::Rule(h) => *h,
            Block::Qr { code, module } => code.width() as u32 * module,
        }
    }
}

/// Collects blocks, wrapping and shrinking text to the content width.
struct Layout {
    blocks: Vec<Block>,
    content_width: u32,
}

impl Layout {
    fn new(paper: Paper) -> Self {
        Self {
            blocks: Vec::new(),
            content_width: paper.dots() - 2 * SIDE_MARGIN,
        }
    }

    /// Adds `text` wrapped at `px`, shrunk towards `min_px` only if one word would not fit.
    fn text(&mut self, face: Face, px: f32, min_px: f32, text: &str) {
        let (style, lines) = text::fit(face, text, px, min_px, self.content_width);
        self.lines(style, lines, false);
    }

    /// Like [`Layout::text`], but shrinks towards `min_px` to keep `text` on one line.
    fn short_text(&mut self, face: Face, px: f32, min_px: f32, text: &str) {
        let (style, lines) = text::fit_one_line(face, text, px, min_px, self.content_width);
        self.lines(style, lines, false);
    }

    fn lines(&mut self, style: Style, lines: Vec<String>, tight: bool) {
        for text in lines {
            self.blocks.push(Block::Line { style, text, tight });
        }
    }

    /// Adds `text` on one line, as large as fits up to `px`, and only as tall as its ink.
    fn headline(&mut self, face: Face, px: f32, text: &str) {
        let (style, lines) = text::fit_one_line(face, text, px, px / 8.0, self.content_width);
        self.lines(style, lines, true);
    }

    fn gap(&mut self, height: u32) {
        self.blocks.push(Block::Gap(height));
    }

    fn rule(&mut self) {
        self.blocks.push(Block::Rule(2));
    }

    fn qr(&mut self, data: &str, paper: Paper) -> Result<(), TicketError> {
        let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M)?;
        let modules = code.width() as u32;
        let module = (self.content_width / (modules + 2 * QUIET_ZONE_MODULES)).min(MAX_MODULE_DOTS);
        if module < MIN_MODULE_DOTS {
            return Err(TicketError::QrTooWide { modules, paper });
        }
        let quiet = QUIET_ZONE_MODULES * module;
        self.gap(quiet);
        self.blocks.push(Block::Qr { code, module });
        self.gap(quiet);
        Ok(())
    }

    fn height(&self) -> u32 {
        self.blocks.iter().map(Block::height).sum()
    }
}

/// Lays the ticket out, top to bottom.
fn layout(ticket: &TicketPrint, paper: Paper) -> Result<Layout, TicketError> {
    let mut l = Layout::new(paper);
    l.gap(8);
    l.text(Face::Bold, 30.0, 20.0, &ticket.municipality);
    l.text(Face::Regular, 26.0, 18.0, &ticket.location);
    l.gap(14);
    l.rule();
    l.gap(16);
    l.text(
        Face::Regular,
        24.0,
        18.0,
        &format!("Dit nummer{SEPARATOR}Your number"),
    );
    l.gap(18);
    l.headline(Face::Bold, 200.0, &ticket.number);
    l.gap(22);
    l.text(Face::Bold, 36.0, 22.0, &ticket.errand);
    l.gap(4);
    l.text(Face::Regular, 24.0, 18.0, &ticket.issued_local);
    l.gap(14);
    l.rule();
    l.gap(14);
    let (da, en) = wait_lines(ticket.people_ahead, ticket.estimated_wait_minutes);
    l.text(Face::Regular, 26.0, 18.0, &da);
    l.gap(4);
    l.text(Face::Regular, 22.0, 18.0, &en);
    l.qr(&ticket.status_url, paper)?;
    if !ticket.footer.is_empty() {
        l.short_text(Face::Regular, 22.0, 18.0, &ticket.footer);
    }
    l.gap(8);
    Ok(l)
}

/// The queue position and expected wait, in Danish and in English.
fn wait_lines(people_ahead: u32, minutes: Option<u32>) -> (String, String) {
    let Some(minutes) = minutes else {
        return (
            format!("Foran dig: {people_ahead}{SEPARATOR}Ventetid: ukendt"),
            format!("Ahead of you: {people_ahead}{SEPARATOR}Wait: not known"),
        );
    };
    let wait = |label_da: &str, label_en: &str| match minutes {
        0 => (
            format!("{label_da}under 1 min"),
            format!("{label_en}under 1 min"),
        ),
        m => (
            format!("{label_da}ca. {m} min"),
            format!("{label_en}about {m} min"),
        ),
    };
    if people_ahead == 0 {
        return ("Du er den næste".into(), "You are next".into());
    }
    let (wait_da, wait_en) = wait("Forventet ventetid: ", "Expected wait: ");
    (
        format!("Foran dig: {people_ahead}{SEPARATOR}{wait_da}"),
        format!("Ahead of you: {people_ahead}{SEPARATOR}{wait_en}"),
    )
}

/// Renders the ticket as a black-on-white image exactly `paper.dots()` wide.
pub fn render(ticket: &TicketPrint, paper: Paper) -> Result<GrayImage, TicketError> {
    let layout = layout(ticket, paper)?;
    let mut image = GrayImage::from_pixel(paper.dots(), layout.height(), WHITE);
    let mut top = 0;
    for block in &layout.blocks {
        draw_block(&mut image, block, top, layout.content_width);
        top += block.height();
    }
    Ok(image)
}

fn draw_block(image: &mut GrayImage, block: &Block, top: u32, content_width: u32) {
    match block {
        Block::Line { style, text, tight } => {
            let extent = text::measure(*style, text);
            let centre_offset = (content_width.saturating_sub(extent.width()) / 2) as i32;
            let x = SIDE_MARGIN as i32 + centre_offset - extent.left;
            let baseline = if *tight {
                top as i32 - extent.ink_top
            } else {
                top as i32 + style.ascent()
            };
            text::draw(image, *style, text, x, baseline);
        }
        Block::Gap(_) => {}
        Block::Rule(thickness) => fill(image, SIDE_MARGIN, top, content_width, *thickness),
        Block::Qr { code, module } => draw_qr(image, code, *module, top),
    }
}

fn draw_qr(image: &mut GrayImage, code: &QrCode, module: u32, top: u32) {
    let modules = code.width() as u32;
    let left = image.width().saturating_sub(modules * module) / 2;
    let colors = code.to_colors();
    for (i, color) in colors.iter().enumerate() {
        if *color == Color::Dark {
            let (col, row) = (i as u32 % modules, i as u32 / modules);
            fill(
                image,
                left + col * module,
                top + row * module,
                module,
                module,
            );
        }
    }
}

fn fill(image: &mut GrayImage, x: u32, y: u32, width: u32, height: u32) {
    for py in y..(y + height).min(image.height()) {
        for px in x..(x + width).min(image.width()) {
            image.put_pixel(px, py, BLACK);
        }
    }
}

/// Encodes the image as a greyscale PNG.
pub fn to_png(image: &GrayImage) -> Result<Vec<u8>, TicketError> {
    let mut png = Cursor::new(Vec::new());
    image.write_to(&mut png, ImageFormat::Png)?;
    Ok(png.into_inner())
}

/// The ESC/POS commands that print the image and cut it off: initialise, the image in
/// raster bands, feed, partial cut.
pub fn escpos_commands(image: &GrayImage) -> Result<Vec<Command>, TicketError> {
    let max = u32::from(u16::MAX) * 8;
    let width_bytes =
        u16::try_from(image.width().div_ceil(8)).map_err(|_| TicketError::TooWide {
            width: image.width(),
            max,
        })?;
    let mut commands = vec![Command::Init];
    let mut top = 0;
    while top < image.height() {
        let rows = (image.height() - top).min(MAX_BAND_ROWS);
        commands.push(Command::RasterImage {
            width_bytes,
            // At most MAX_BAND_ROWS, well within u16.
            height: rows as u16,
            data: pack_rows(image, top, rows, width_bytes),
        });
        top += rows;
    }
    commands.push(Command::Feed(FEED_LINES));
    // A partial cut leaves the ticket hanging by a thread for the citizen to take,
    // instead of dropping it where no printer presenter catches it.
    commands.push(Command::Cut {
        partial: true,
        feed: None,
    });
    Ok(commands)
}

/// Encodes the image as an ESC/POS print job (see [`escpos_commands`]).
pub fn to_escpos(image: &GrayImage) -> Result<Vec<u8>, TicketError> {
    Ok(escpos::encode(&escpos_commands(image)?))
}

/// Packs rows into raster bytes: 1 bit per dot, most significant bit leftmost, 1 = black
/// (darker than mid-grey), the padding at the end of each row white.
fn pack_rows(image: &GrayImage, top: u32, rows: u32, width_bytes: u16) -> Vec<u8> {
    let row_bytes = usize::from(width_bytes);
    let mut data = vec![0u8; row_bytes * rows as usize];
    for y in 0..rows {
        let row = &mut data[y as usize * row_bytes..][..row_bytes];
        for x in 0..image.width() {
            if image.get_pixel(x, top + y).0[0] < 128 {
                row[x as usize / 8] |= 0x80 >> (x % 8);
            }
        }
    }
    data
}

impl TicketPrint {
    /// A realistic ticket with Danish letters, for previews and printer tests.
    pub fn sample() -> Self {
        Self {
            municipality: "Høje-Taastrup Kommune".into(),
            location: "Borgerservice, Rådhuset".into(),
            number: "A014".into(),
            errand: "Kørekort – fornyelse".into(),
            issued_local: "29.03.2027 kl. 10:14".into(),
            people_ahead: 3,
            estimated_wait_minutes: Some(12),
            status_url: "https://skranke.htk.dk/t/7f3a9c2e51d04b6a".into(),
            footer: "Scan koden og følg køen på din telefon".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_widths() {
        assert_eq!("58".parse(), Ok(Paper::Mm58));
        assert_eq!(" 80mm ".parse(), Ok(Paper::Mm80));
        assert!("76".parse::<Paper>().is_err());
        assert_eq!((Paper::Mm58.dots(), Paper::Mm58.width_bytes()), (384, 48));
        assert_eq!((Paper::Mm80.dots(), Paper::Mm80.width_bytes()), (576, 72));
    }

    #[test]
    fn wait_lines_in_both_languages() {
        assert_eq!(
            wait_lines(3, Some(12)),
            (
                "Foran dig: 3 · Forventet ventetid: ca. 12 min".into(),
                "Ahead of you: 3 · Expected wait: about 12 min".into()
            )
        );
        assert_eq!(
            wait_lines(0, Some(0)),
            ("Du er den næste".into(), "You are next".into())
        );
        assert!(wait_lines(2, Some(0)).0.ends_with("under 1 min"));
        assert_eq!(
            wait_lines(0, None),
            (
                "Foran dig: 0 · Ventetid: ukendt".into(),
                "Ahead of you: 0 · Wait: not known".into()
            )
        );
    }

    #[test]
    fn empty_image_encodes_to_init_feed_cut() {
        let commands = escpos_commands(&GrayImage::new(0, 0)).unwrap();
        assert_eq!(commands.len(), 3);
        assert_eq!(commands[0], Command::Init);
    }
}
