//! The checks of `[municipality]`: the identity shown on citizens' pages and in mails.

use std::path::Path;

use toml::Spanned;

use super::checker::Checker;
use super::raw;
use crate::domain::email;
use crate::domain::municipality::{
    https_address, parse_brand_colour, parse_logo, parse_phone, Municipality,
};

/// The municipality, or `None` after reporting each field that is wrong. A relative logo
/// path is taken from the folder of `file_name`.
pub(super) fn municipality(
    cx: &mut Checker,
    raw: &Spanned<raw::Municipality>,
    file_name: &str,
) -> Option<Municipality> {
    let raw = raw.get_ref();
    let field = |key: &str| format!("municipality.{key}");
    let folder = Path::new(file_name).parent();
    let mut check =
        |value: &raw::Text, key: &str, rule: &dyn Fn(&str) -> Result<String, String>| {
            cx.ok(value.span(), &field(key), rule(value.get_ref()))
        };
    let name = check(&raw.name, "name", &non_empty);
    let phone = check(&raw.phone, "phone", &parse_phone);
    let address = check(&raw.address, "address", &non_empty);
    let mail_from_name = check(&raw.mail_from_name, "mail_from_name", &non_empty);
    let mail_from = check(&raw.mail_from, "mail_from", &email::parse);
    let reply_to = check(&raw.reply_to, "reply_to", &email::parse);
    let privacy = check(
        &raw.privacy_notice_url,
        "privacy_notice_url",
        &https_address,
    );
    let accessibility = check(
        &raw.accessibility_statement_url,
        "accessibility_statement_url",
        &https_address,
    );
    // `Some(None)` when it is left out, `None` when it was refused.
    let brand_colour = match &raw.brand_colour {
        Some(colour) => check(colour, "brand_colour", &parse_brand_colour).map(Some),
        None => Some(None),
    };
    let logo = cx.ok(
        raw.logo.span(),
        &field("logo"),
        parse_logo(
            raw.logo.get_ref(),
            folder.filter(|f| !f.as_os_str().is_empty()),
        ),
    );
    Some(Municipality {
        name: name?,
        logo: logo?,
        phone: phone?,
        address: address?,
        mail_from_name: mail_from_name?,
        mail_from: mail_from?,
        reply_to: reply_to?,
        privacy_notice_url: privacy?,
        accessibility_statement_url: accessibility?,
        brand_colour: brand_colour?,
    })
}

fn non_empty(raw: &str) -> Result<String, String> {
    match raw.trim() {
        "" => Err("must not be empty".into()),
        text => Ok(text.to_owned()),
    }
}
