//! QR codes as the citizen meets them: a PNG in the confirmation mail that the kiosk's
//! scanner reads, and an SVG for pages that show a link to scan with a phone.

use image::{ImageFormat, Luma};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

use crate::error::AppError;

/// A PNG of `text` with a quiet zone, about 8 px per module: sharp on screen and in print.
pub fn png(text: &str) -> Result<Vec<u8>, AppError> {
    let image = code(text)?
        .render::<Luma<u8>>()
        .module_dimensions(8, 8)
        .build();
    let mut bytes = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut bytes, ImageFormat::Png)
        .map_err(|e| AppError::Internal(format!("encoding a QR code: {e}")))?;
    Ok(bytes.into_inner())
}

/// An inline SVG of `text`, scaled by its container.
pub fn svg(text: &str) -> Result<String, AppError> {
    Ok(code(text)?
        .render::<svg::Color<'_>>()
        .min_dimensions(200, 200)
        .build())
}

fn code(text: &str) -> Result<QrCode, AppError> {
    // Level M survives a scratched or creased print-out, and keeps a URL's code small.
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|e| AppError::Internal(format!("a QR code for {} bytes: {e}", text.len())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_png_is_a_png_and_grows_with_its_text() {
        let short = png("https://skranke.test/a").unwrap();
        let long = png(&format!("https://skranke.test/{}", "x".repeat(200))).unwrap();
        assert_eq!(&short[1..4], b"PNG");
        assert!(long.len() > short.len());
    }

    #[test]
    fn an_svg_is_an_svg() {
        assert!(svg("https://skranke.test").unwrap().contains("<svg"));
    }
}
