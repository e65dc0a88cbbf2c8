//! The language switch on every page: back to the same page in the other language, with
//! the choice kept in a cookie for the citizen's next visits.

use actix_web::{web, HttpResponse};

use super::lang;
use crate::domain::booking::Language;
use crate::error::{AppError, AppResult};
use crate::messages::Said;

/// `GET /language/{lang}`: the language switch on every page. It returns to the page it
/// was clicked on, in the other language, keeping that page's query (the chosen place,
/// errand and day, or the token of a manage page), which a plain `?lang=` link would drop.
/// Only a page of this server is returned to; anything else leads to the front page.
#[utoipa::path(get, path = "/language/{lang}", tag = "pages",
    params(("lang" = String, Path, description = "`da` or `en`", example = "en")),
    responses((status = 303, description = "Back to the referring page of this server in that language, or to the front page",
            headers(("Location" = String))),
        (status = 404, description = "no such language")))]
pub async fn switch_language(
    req: actix_web::HttpRequest,
    lang: web::Path<String>,
) -> AppResult<HttpResponse> {
    let Some(lang) = Language::from_code(&lang) else {
        return Err(
            AppError::not_found(format!("there is no language '{lang}'; choose da or en"))
                .saying(Said::key("refusal.no_language")),
        );
    };
    let back = req
        .headers()
        .get(actix_web::http::header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|referer| url::Url::parse(referer).ok())
        .filter(|url| same_site(url, req.connection_info().host()))
        .and_then(|url| with_lang(&url, lang.code()))
        .unwrap_or_else(|| format!("/?lang={}", lang.code()));
    Ok(HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, back))
        .cookie(lang::remember(lang))
        .finish())
}

fn same_site(url: &url::Url, host: &str) -> bool {
    let authority = match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_owned(),
    };
    matches!(url.scheme(), "http" | "https") && authority == host
}

/// The referring page's path and query, with `lang` set and everything else kept; `None`
/// when the path would leave this server: `//host/…` (and `/\host/…`, which browsers read
/// alike and the URL parser has already turned into `//`) is another site to a browser.
fn with_lang(url: &url::Url, lang: &str) -> Option<String> {
    let path = url.path();
    if !path.starts_with('/') || path.starts_with("//") || path.starts_with("/\\") {
        return None;
    }
    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != "lang")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.push(("lang".into(), lang.into()));
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    Some(format!("{path}?{query}"))
}
