//! `[municipality]`: the identity citizens see, each field refused with what to write.

use super::*;
use crate::domain::municipality::Logo;

#[test]
fn the_identity_is_read_with_a_logo_path_from_the_files_folder() {
    let spec = parse_organisation("/etc/skranke/testby.toml", BASE).unwrap();
    let m = spec.municipality;
    assert_eq!(m.name, "Testby");
    assert_eq!(m.logo, Logo::File("/etc/skranke/testby.svg".into()));
    assert_eq!(m.mail_from, "borgerservice@testby.example");
    assert_eq!(m.reply_to, "svar@testby.example");
    assert_eq!(m.brand_colour, None);
    assert_eq!(
        m.accessibility_statement_url,
        "https://www.was.digst.dk/testby-example"
    );
}

#[test]
fn a_file_without_the_section_or_its_statements_is_refused() {
    let start = BASE.find("[municipality]").unwrap();
    let end = BASE.find("[[departments]]").unwrap();
    let without = format!("{}{}", &BASE[..start], &BASE[end..]);
    assert!(
        problems(&without).contains("municipality"),
        "{}",
        problems(&without)
    );

    let text = edit(
        "accessibility_statement_url = \"https://www.was.digst.dk/testby-example\"\n",
        "",
    );
    assert!(
        problems(&text).contains("accessibility_statement_url"),
        "{}",
        problems(&text)
    );
}

#[test]
fn each_wrong_field_is_named_with_what_to_write() {
    let cases = [
        (
            "logo = \"testby.svg\"",
            "logo = \"testby.doc\"",
            "logo",
            ".svg",
        ),
        (
            "logo = \"testby.svg\"",
            "logo = \"http://www.testby.example/logo.svg\"",
            "logo",
            "https://",
        ),
        (
            "phone = \"+45 70 10 20 30\"",
            "phone = \"ring os\"",
            "phone",
            "8 to 15 digits",
        ),
        (
            "mail_from = \"borgerservice@testby.example\"",
            "mail_from = \"borgerservice\"",
            "mail_from",
            "needs an @",
        ),
        (
            "reply_to = \"svar@testby.example\"",
            "reply_to = \"svar@\"",
            "reply_to",
            "e-mail address",
        ),
        (
            "privacy_notice_url = \"https://www.testby.example/privatliv\"",
            "privacy_notice_url = \"www.testby.example/privatliv\"",
            "privacy_notice_url",
            "not a web address",
        ),
        (
            "accessibility_statement_url = \"https://www.was.digst.dk/testby-example\"",
            "accessibility_statement_url = \"ftp://was.digst.dk/testby\"",
            "accessibility_statement_url",
            "https://",
        ),
        (
            "mail_from_name = \"Testby Borgerservice\"",
            "mail_from_name = \" \"",
            "mail_from_name",
            "must not be empty",
        ),
    ];
    for (old, new, field, words) in cases {
        assert_problem(
            &edit(old, new),
            new,
            &format!("municipality.{field}"),
            words,
        );
    }
}

#[test]
fn a_brand_colour_must_keep_white_text_readable() {
    let line = "reply_to = \"svar@testby.example\"";
    let dark = edit(line, &format!("{line}\nbrand_colour = \"#1A5632\""));
    let spec = parse_organisation(FILE, &dark).unwrap();
    assert_eq!(spec.municipality.brand_colour.as_deref(), Some("#1a5632"));

    let light = edit(line, &format!("{line}\nbrand_colour = \"#f0e68c\""));
    assert_problem(
        &light,
        "brand_colour = \"#f0e68c\"",
        "municipality.brand_colour",
        "too light for white text",
    );
}

#[test]
fn every_wrong_field_of_the_section_is_reported_in_one_run() {
    let text = edit("phone = \"+45 70 10 20 30\"", "phone = \"x\"");
    let text = edit_in(&text, "logo = \"testby.svg\"", "logo = \"\"");
    let all = problems(&text);
    assert!(
        all.contains("municipality.phone") && all.contains("municipality.logo"),
        "{all}"
    );
}
