//! The printed ticket end to end: rendered, encoded, and read back the way a phone and a
//! printer would read it.

use image::GrayImage;
use skranke_kiosk::escpos::{self, Command};
use skranke_kiosk::ticket::{self, Paper, TicketError, TicketPrint, SIDE_MARGIN};

#[path = "support/qr.rs"]
mod qr;
use qr::decode_qr_code;

const PAPERS: [Paper; 2] = [Paper::Mm58, Paper::Mm80];

fn render(ticket: &TicketPrint, paper: Paper) -> GrayImage {
    ticket::render(ticket, paper).expect("ticket renders")
}

fn black(image: &GrayImage, x: u32, y: u32) -> bool {
    image.get_pixel(x, y).0[0] < 128
}

/// Columns that contain at least one black pixel, first and last.
fn inked_columns(image: &GrayImage) -> (u32, u32) {
    let inked: Vec<u32> = (0..image.width())
        .filter(|&x| (0..image.height()).any(|y| black(image, x, y)))
        .collect();
    (inked[0], inked[inked.len() - 1])
}

#[test]
fn qr_code_decodes_to_the_status_url_on_both_papers() {
    let ticket = TicketPrint::sample();
    for paper in PAPERS {
        let png = ticket::to_png(&render(&ticket, paper)).unwrap();
        assert_eq!(decode_qr_code(&png), ticket.status_url, "{paper} mm");
    }
}

#[test]
fn long_status_url_still_decodes_on_58_mm() {
    let ticket = TicketPrint {
        status_url: format!(
            "https://skranke.kommune.dk/t/{}",
            "0123456789abcdef".repeat(8)
        ),
        ..TicketPrint::sample()
    };
    let png = ticket::to_png(&render(&ticket, Paper::Mm58)).unwrap();
    assert_eq!(decode_qr_code(&png), ticket.status_url);
}

#[test]
fn status_url_too_long_for_a_readable_qr_code_is_an_error() {
    let ticket = TicketPrint {
        status_url: format!("https://skranke.kommune.dk/t/{}", "x".repeat(600)),
        ..TicketPrint::sample()
    };
    let err = ticket::render(&ticket, Paper::Mm58).unwrap_err();
    assert!(matches!(err, TicketError::QrTooWide { .. }), "{err}");
}

#[test]
fn image_is_paper_wide_and_pure_black_and_white() {
    for paper in PAPERS {
        let image = render(&TicketPrint::sample(), paper);
        assert_eq!(image.width(), paper.dots());
        assert!(
            image.height() > 600 && image.height() < 1200,
            "{}",
            image.height()
        );
        assert!(image.pixels().all(|p| p.0[0] == 0 || p.0[0] == 255));
    }
}

#[test]
fn escpos_parses_back_into_the_image() {
    for paper in PAPERS {
        let image = render(&TicketPrint::sample(), paper);
        let commands = escpos::parse(&ticket::to_escpos(&image).unwrap()).unwrap();

        assert_eq!(commands.first(), Some(&Command::Init));
        assert!(matches!(commands[commands.len() - 2], Command::Feed(n) if n > 0));
        assert!(matches!(commands.last(), Some(Command::Cut { .. })));

        let mut rows = 0;
        let mut data = Vec::new();
        for command in &commands[1..commands.len() - 2] {
            let Command::RasterImage {
                width_bytes,
                height,
                data: band,
            } = command
            else {
                panic!("expected only raster images between init and feed: {command:?}");
            };
            assert_eq!(u32::from(*width_bytes), paper.width_bytes());
            rows += u32::from(*height);
            data.extend_from_slice(band);
        }
        assert_eq!(
            paper.width_bytes(),
            if paper == Paper::Mm58 { 48 } else { 72 }
        );
        assert_eq!(rows, image.height());
        assert_eq!(unpack(&data, paper.width_bytes(), rows), image);
    }
}

/// Turns raster bytes back into an image: MSB leftmost, 1 = black.
fn unpack(data: &[u8], width_bytes: u32, rows: u32) -> GrayImage {
    GrayImage::from_fn(width_bytes * 8, rows, |x, y| {
        let byte = data[(y * width_bytes + x / 8) as usize];
        image::Luma([if byte & (0x80 >> (x % 8)) != 0 {
            0
        } else {
            255
        }])
    })
}

#[test]
fn tall_images_are_sent_in_bands_and_odd_widths_padded_white() {
    let image = GrayImage::from_fn(13, 2000, |x, y| {
        image::Luma([if (x + y) % 3 == 0 { 0 } else { 255 }])
    });
    let commands = escpos::parse(&ticket::to_escpos(&image).unwrap()).unwrap();
    let bands: Vec<(u16, u16)> = commands
        .iter()
        .filter_map(|c| match c {
            Command::RasterImage {
                width_bytes,
                height,
                ..
            } => Some((*width_bytes, *height)),
            _ => None,
        })
        .collect();
    assert_eq!(bands, [(2, 960), (2, 960), (2, 80)]);
    let data: Vec<u8> = commands
        .iter()
        .filter_map(|c| match c {
            Command::RasterImage { data, .. } => Some(data.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    let unpacked = unpack(&data, 2, 2000);
    for y in 0..2000 {
        for x in 0..16 {
            let expected = x < 13 && black(&image, x, y);
            assert_eq!(black(&unpacked, x, y), expected, "({x}, {y})");
        }
    }
}

#[test]
fn long_texts_wrap_or_shrink_inside_the_margins() {
    let ticket = TicketPrint {
        municipality: "Ringkøbing-Skjern Kommune og Lemvig Kommune i fællesskab".into(),
        location: "Borgerservice, Jobcenter og Ydelsesservice, Rådhuset, 1. sal".into(),
        number: "WWW9999".into(),
        errand: "Sygesikringsbevisudstedelsesafdelingens ansøgning om nyt sundhedskort \
                 og ændring af lægevalg"
            .into(),
        people_ahead: 123,
        estimated_wait_minutes: Some(480),
        footer: "Scan the code with your phone to follow your place in the queue, \
                    and come back in time"
            .into(),
        ..TicketPrint::sample()
    };
    for paper in PAPERS {
        let image = render(&ticket, paper);
        let (first, last) = inked_columns(&image);
        assert!(first >= SIDE_MARGIN, "{paper} mm: ink in column {first}");
        assert!(
            last < paper.dots() - SIDE_MARGIN,
            "{paper} mm: ink in column {last}"
        );
        assert_eq!(
            decode_qr_code(&ticket::to_png(&image).unwrap()),
            ticket.status_url
        );
    }
}

#[test]
fn a_single_word_wider_than_the_paper_is_broken_not_clipped() {
    let ticket = TicketPrint {
        errand: "Æ".repeat(40),
        ..TicketPrint::sample()
    };
    let image = render(&ticket, Paper::Mm58);
    let (first, last) = inked_columns(&image);
    assert!(first >= SIDE_MARGIN && last < Paper::Mm58.dots() - SIDE_MARGIN);
}

#[test]
fn danish_letters_are_drawn() {
    let plain = TicketPrint {
        errand: String::new(),
        ..TicketPrint::sample()
    };
    let danish = TicketPrint {
        errand: "æøå ÆØÅ".into(),
        ..plain.clone()
    };
    let count = |image: &GrayImage| image.pixels().filter(|p| p.0[0] == 0).count();
    let (without, with) = (render(&plain, Paper::Mm80), render(&danish, Paper::Mm80));
    assert!(
        with.height() > without.height(),
        "the errand line takes room"
    );
    assert!(
        count(&with) > count(&without) + 500,
        "the errand line has ink"
    );
}

#[test]
fn the_number_is_the_largest_text() {
    // The tallest run of inked rows without a blank row is the big number.
    let image = render(&TicketPrint::sample(), Paper::Mm80);
    let inked_rows: Vec<bool> = (0..image.height())
        .map(|y| (0..image.width()).any(|x| black(&image, x, y)))
        .collect();
    let runs: Vec<usize> = inked_rows
        .split(|inked| !inked)
        .map(<[bool]>::len)
        .filter(|len| *len > 0)
        .collect();
    let tallest = *runs.iter().max().unwrap();
    // The QR code is taller, and is the other candidate; the number's run must be next.
    let mut sorted = runs.clone();
    sorted.sort_unstable();
    let second = sorted[sorted.len() - 2];
    assert!(tallest > 200, "QR code run {tallest}");
    assert!(second > 100, "number run {second}");
    assert!(sorted[sorted.len() - 3] < second / 2, "{runs:?}");
}

#[test]
fn png_round_trips() {
    let image = render(&TicketPrint::sample(), Paper::Mm58);
    let decoded = image::load_from_memory(&ticket::to_png(&image).unwrap())
        .unwrap()
        .to_luma8();
    assert_eq!(decoded, image);
}
