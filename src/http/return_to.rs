//! Where sign-in returns to: the staff page the browser was sent away from, carried as
//! `next` through the sign-in form. Only a path of this site is followed, so the form
//! cannot be used to send someone elsewhere.

use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse};

use crate::domain::booking::Language;

/// `next` when it is a path on this site (one leading `/`, no scheme, host or
/// backslash trick), else `None`.
pub fn same_site(next: Option<&str>) -> Option<&str> {
    let next = next?;
    let plain = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control);
    plain.then_some(next)
}

/// After signing in: `next` if it is a path of this site, else the console.
pub fn after_sign_in(next: Option<&str>, lang: Language) -> String {
    same_site(next).map_or_else(|| format!("/staff?lang={}", lang.code()), str::to_owned)
}

/// The request's path and query, to come back to.
pub fn here(req: &HttpRequest) -> String {
    req.uri()
        .path_and_query()
        .map_or_else(|| req.path().to_owned(), |p| p.as_str().to_owned())
}

/// To the sign-in form, to come back to `here` (a path of this site, with its query).
pub fn to_sign_in(here: &str, lang: Language) -> HttpResponse {
    let next = url::form_urlencoded::byte_serialize(here.as_bytes()).collect::<String>();
    HttpResponse::SeeOther()
        .insert_header((
            LOCATION,
            format!("/staff/login?lang={}&next={next}", lang.code()),
        ))
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_path_of_this_site_is_returned_to() {
        assert_eq!(
            same_site(Some("/staff/planner?roster=3")),
            Some("/staff/planner?roster=3")
        );
        for elsewhere in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "staff",
            "",
        ] {
            assert_eq!(same_site(Some(elsewhere)), None, "{elsewhere}");
        }
        assert_eq!(
            after_sign_in(Some("//evil.example"), Language::En),
            "/staff?lang=en"
        );
        assert_eq!(after_sign_in(None, Language::Da), "/staff?lang=da");
    }
}
