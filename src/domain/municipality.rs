//! The municipality's identity as citizens meet it: the name and logo in every page's
//! header, the address, phone and the statements the law asks for in the footer, and the
//! sender of its mails. Each value has a parse rule here, with a message that says what to
//! write instead.

use std::path::PathBuf;

/// What a municipality shows of itself on its citizens' pages and in its mails.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Municipality {
    pub name: String,
    pub logo: Logo,
    pub phone: String,
    pub address: String,
    /// The display name of the mails' `From`.
    pub mail_from_name: String,
    pub mail_from: String,
    pub reply_to: String,
    pub privacy_notice_url: String,
    /// Danish public-sector sites must link one (webtilgængelighedsloven).
    pub accessibility_statement_url: String,
    /// `#rrggbb`, dark enough for white text on it; DKFDS's own blue when `None`.
    pub brand_colour: Option<String>,
}

/// Where the logo comes from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "at", rename_all = "snake_case")]
pub enum Logo {
    /// Shown from the municipality's own site.
    Url(String),
    /// A file on the server's disk, served by Skranke itself.
    File(PathBuf),
    /// The demo municipality's, compiled into the binary, so that the demo shows it from
    /// whatever directory it is started in.
    Demo,
}

/// The picture formats a browser shows in an `<img>`, by file extension.
pub const LOGO_FORMATS: [(&str, &str); 5] = [
    ("svg", "image/svg+xml"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("webp", "image/webp"),
];

/// The content type of a logo file, by its extension.
pub fn logo_content_type(path: &std::path::Path) -> Option<&'static str> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    LOGO_FORMATS
        .iter()
        .find(|(ext, _)| *ext == extension)
        .map(|(_, mime)| *mime)
}

/// A logo: an `https://` address, or a file path of a known picture format. A relative path
/// is taken from `folder`, the organisation file's own.
pub fn parse_logo(raw: &str, folder: Option<&std::path::Path>) -> Result<Logo, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("must not be empty: give a file path or an https:// address".into());
    }
    if raw.contains("://") {
        return https_address(raw).map(Logo::Url);
    }
    let path = PathBuf::from(raw);
    if logo_content_type(&path).is_none() {
        let known: Vec<&str> = LOGO_FORMATS.iter().map(|(ext, _)| *ext).collect();
        return Err(format!(
            "'{raw}' must be a picture file ending in .{}, or an https:// address",
            known.join(", .")
        ));
    }
    Ok(Logo::File(match folder {
        Some(folder) if path.is_relative() => folder.join(path),
        _ => path,
    }))
}

/// An address on OpenStreetMap's map, for the "show on map" link of pages and mails: it
/// needs no key and sets no cookie.
pub fn map_link(address: &str) -> String {
    let query: String = url::form_urlencoded::byte_serialize(address.as_bytes()).collect();
    format!("https://www.openstreetmap.org/search?query={query}")
}

/// The phone number as a `tel:` link: its digits and a leading `+`.
pub fn phone_link(phone: &str) -> String {
    let dialled: String = phone
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    format!("tel:{dialled}")
}

/// An address citizens open from a page or a mail: https only, since the pages are.
pub fn https_address(raw: &str) -> Result<String, String> {
    let url =
        url::Url::parse(raw.trim()).map_err(|e| format!("'{raw}' is not a web address: {e}"))?;
    if url.scheme() == "https" && url.host_str().is_some() {
        Ok(raw.trim().to_owned())
    } else {
        Err(format!(
            "'{raw}' must be an https:// address, like https://www.borger.dk/"
        ))
    }
}

/// A phone number citizens can call: digits with spaces, `+`, `-` or parentheses, 8 to 15
/// digits (a Danish number has 8; with a country code up to 15, E.164).
pub fn parse_phone(raw: &str) -> Result<String, String> {
    let raw = raw.trim();
    let digits = raw.chars().filter(char::is_ascii_digit).count();
    let allowed = raw
        .chars()
        .all(|c| c.is_ascii_digit() || " +-()".contains(c));
    if allowed && (8..=15).contains(&digits) {
        Ok(raw.to_owned())
    } else {
        Err(format!(
            "'{raw}' is not a phone number: write 8 to 15 digits, like +45 43 35 10 00"
        ))
    }
}

/// The least contrast of white text on the brand colour: WCAG 2.2 AA for normal text.
pub const MIN_CONTRAST: f64 = 4.5;

/// A brand colour `#rrggbb` on which white text (the DKFDS header's and buttons') keeps
/// [`MIN_CONTRAST`]; stored in lower case.
pub fn parse_brand_colour(raw: &str) -> Result<String, String> {
    let raw = raw.trim();
    let hex = raw
        .strip_prefix('#')
        .filter(|h| h.len() == 6 && h.chars().all(|c| c.is_ascii_hexdigit()))
        .ok_or_else(|| format!("'{raw}' is not a colour: write it as #rrggbb, like #004b87"))?;
    let contrast = contrast_with_white(hex);
    if contrast < MIN_CONTRAST {
        return Err(format!(
            "'{raw}' is too light for white text on it (contrast {contrast:.1}:1, at least \
             {MIN_CONTRAST}:1 is needed); choose a darker shade"
        ));
    }
    Ok(format!("#{}", hex.to_ascii_lowercase()))
}

/// WCAG's contrast ratio of white against the colour `rrggbb`.
fn contrast_with_white(hex: &str) -> f64 {
    let channel = |i: usize| {
        let value = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0)) / 255.0;
        if value <= 0.04045 {
            value / 12.92
        } else {
            ((value + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
    1.05 / (luminance + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_on_black_is_the_largest_contrast_and_white_on_white_the_least() {
        assert!((contrast_with_white("000000") - 21.0).abs() < 1e-9);
        assert!((contrast_with_white("ffffff") - 1.0).abs() < 1e-9);
    }

    #[test]
    fn a_dark_brand_colour_is_kept_and_a_light_one_refused_with_its_contrast() {
        assert_eq!(parse_brand_colour("#004B87").unwrap(), "#004b87");
        let light = parse_brand_colour("#ffcc00").unwrap_err();
        assert!(
            light.contains("too light") && light.contains(":1"),
            "{light}"
        );
        assert!(parse_brand_colour("blue").unwrap_err().contains("#rrggbb"));
    }

    #[test]
    fn an_address_becomes_a_map_search_and_a_phone_number_a_tel_link() {
        assert_eq!(
            map_link("Bygaden 2, 2630 Taastrup"),
            "https://www.openstreetmap.org/search?query=Bygaden+2%2C+2630+Taastrup"
        );
        assert_eq!(phone_link("+45 43 35 10 00"), "tel:+4543351000");
    }

    #[test]
    fn a_relative_logo_path_is_taken_from_the_files_folder() {
        let folder = std::path::Path::new("/etc/skranke");
        assert_eq!(
            parse_logo("logo.svg", Some(folder)).unwrap(),
            Logo::File("/etc/skranke/logo.svg".into())
        );
        assert_eq!(
            parse_logo("https://www.example.dk/logo.png", Some(folder)).unwrap(),
            Logo::Url("https://www.example.dk/logo.png".into())
        );
        assert!(parse_logo("http://www.example.dk/logo.png", None)
            .unwrap_err()
            .contains("https://"));
        assert!(parse_logo("logo.txt", None).unwrap_err().contains(".svg"));
    }
}
