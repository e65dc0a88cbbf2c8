//! The language a page speaks, one [`Language`] for the whole program: `?lang=` when the
//! link says, else the choice the language switch left in a cookie, else the browser's
//! `Accept-Language`, else Danish.

use std::future::{ready, Ready};

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header::{HeaderMap, ACCEPT_LANGUAGE};
use actix_web::{FromRequest, HttpRequest};
use serde::Deserialize;

use crate::domain::booking::Language;
use crate::error::AppError;

/// The cookie that keeps the citizen's choice between visits.
pub const COOKIE: &str = "skranke_lang";

/// How long the choice is kept: a year, as a citizen comes back seldom.
const KEPT_DAYS: i64 = 365;

/// `?lang=` on an API resource that names things: `da` (default) or `en`. The API reads
/// only the query, never a cookie or `Accept-Language`, so a script's answer is the same
/// wherever it runs.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct LangQuery {
    /// `da` (default) or `en`; anything else is Danish.
    #[param(example = "en")]
    pub lang: Option<String>,
}

impl LangQuery {
    pub fn language(&self) -> Language {
        self.lang
            .as_deref()
            .and_then(Language::from_code)
            .unwrap_or_default()
    }
}

/// A page's language from its request.
impl FromRequest for Language {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        ready(Ok(of_request(req.query_string(), req.headers())))
    }
}

/// The language of a request to a page, from its query string and headers.
pub fn of_request(query: &str, headers: &HeaderMap) -> Language {
    named_by(query, headers).unwrap_or_default()
}

/// The language a request names — by its link, a kept choice or `Accept-Language` — if it
/// names one: an API client that names none reads the problems' English.
pub fn named_by(query: &str, headers: &HeaderMap) -> Option<Language> {
    let asked = url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v.into_owned());
    let kept = headers
        .get_all(actix_web::http::header::COOKIE)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| Cookie::parse(pair.trim().to_owned()).ok())
        .find(|c| c.name() == COOKIE)
        .map(|c| c.value().to_owned());
    let accepted = headers
        .get(ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(preferred);
    chosen(asked.as_deref(), kept.as_deref(), accepted)
}

/// The first of: the language asked for, the one kept, the one the browser prefers.
pub fn resolve(asked: Option<&str>, kept: Option<&str>, accepted: Option<Language>) -> Language {
    chosen(asked, kept, accepted).unwrap_or_default()
}

fn chosen(asked: Option<&str>, kept: Option<&str>, accepted: Option<Language>) -> Option<Language> {
    asked
        .and_then(Language::from_code)
        .or_else(|| kept.and_then(Language::from_code))
        .or(accepted)
}

/// The language a form named in its hidden `lang` field, left on its request by the form
/// extractor, so that an error page after the form speaks it.
#[derive(Debug, Clone, Copy)]
pub struct FormLanguage(pub Language);

/// A form's hidden `lang` when it names one of ours, else the page's language.
pub fn of_form(field: Option<&str>, page: Language) -> Language {
    field.and_then(Language::from_code).unwrap_or(page)
}

/// The language the browser prefers of ours, by the weights of `Accept-Language`
/// (`en-GB,en;q=0.9,da;q=0.8` → English); `None` when it names neither.
pub fn preferred(header: &str) -> Option<Language> {
    header
        .split(',')
        .enumerate()
        .filter_map(|(order, item)| {
            let mut parts = item.trim().split(';');
            let tag = parts.next()?.trim().to_ascii_lowercase();
            let primary = tag.split('-').next()?.to_owned();
            let weight = parts
                .find_map(|p| p.trim().strip_prefix("q=").map(str::to_owned))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
            let language = Language::from_code(&primary)?;
            (weight > 0.0).then_some((weight, order, language))
        })
        // The highest weight wins; among equals, the one named first.
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
        .map(|(_, _, language)| language)
}

/// The cookie that keeps `language` for the citizen's next visits; no script reads it.
pub fn remember(language: Language) -> Cookie<'static> {
    Cookie::build(COOKIE, language.code())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::days(KEPT_DAYS))
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_wins_over_the_cookie_and_the_cookie_over_the_browser() {
        let en = Some(Language::En);
        assert_eq!(resolve(Some("da"), Some("en"), en), Language::Da);
        assert_eq!(resolve(None, Some("da"), en), Language::Da);
        assert_eq!(resolve(Some("xx"), Some("en"), None), Language::En);
        assert_eq!(resolve(None, None, en), Language::En);
        assert_eq!(resolve(None, None, None), Language::Da);
    }

    #[test]
    fn accept_language_is_read_by_its_weights() {
        assert_eq!(preferred("en-GB,en;q=0.9,da;q=0.8"), Some(Language::En));
        assert_eq!(preferred("de-DE, da;q=0.7, en;q=0.9"), Some(Language::En));
        assert_eq!(preferred("da, en"), Some(Language::Da));
        assert_eq!(preferred("en;q=0, da;q=0.1"), Some(Language::Da));
        assert_eq!(preferred("de, fr"), None);
        assert_eq!(preferred(""), None);
    }
}
