//! A ticket's QR code read back from its PNG, as a phone reads it from a photo of the ticket.

pub fn decode_qr_code(png: &[u8]) -> String {
    let image = image::load_from_memory(png).expect("valid PNG").to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
        image.width() as usize,
        image.height() as usize,
        |x, y| image.get_pixel(x as u32, y as u32).0[0],
    );
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "expected exactly one QR code");
    grids[0].decode().expect("QR code decodes").1
}
