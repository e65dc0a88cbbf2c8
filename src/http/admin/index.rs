//! `GET /staff/admin`: the administration's front page, its sections.

use actix_web::HttpResponse;
use minijinja::context;

use super::{layout, Admin};
use crate::domain::booking::Language;
use crate::error::AppResult;
use crate::http::lang::LangQuery;

/// `GET /staff/admin`
#[utoipa::path(get, path = "/staff/admin", tag = "pages", params(LangQuery), security(("bearer" = []), ("session" = []), ()),
    responses((status = 200, description = "The administration's sections", content_type = "text/html", body = String),
        (status = 303, description = "Not signed in: to the sign-in form, to come back here", headers(("Location" = String))),
        (status = 403, description = "not an administrator")))]
pub async fn index(admin: Admin, lang: Language) -> AppResult<HttpResponse> {
    layout::page("admin_index.html", &admin, lang, "", context! {})
}
