//! `GET /staff/displays`: the call displays of the places the signed-in user works, one
//! link each, so the nav reaches every waiting room's screen and not only the first.

use actix_web::{web, HttpResponse};
use minijinja::context;
use serde::Serialize;

use super::page::render;
use super::session::StaffPage;
use super::{blocking, staff_layout};
use crate::app::{catalogue, AppState};
use crate::domain::booking::Language;
use crate::error::AppResult;

#[derive(Serialize)]
struct DisplayLink {
    name: String,
    href: String,
    /// The same screen chiming and speaking from the start, for a wall screen's browser.
    with_sound: String,
}

/// `GET /staff/displays`: a link to the call display of each place the user works.
#[utoipa::path(get, path = "/staff/displays", tag = "pages", params(super::lang::LangQuery), security(("bearer" = []), ("session" = []), ()),
    responses((status = 200, description = "A link to the call display of each place the user works", content_type = "text/html", body = String),
        (status = 303, description = "Not signed in: to the sign-in form, to come back here", headers(("Location" = String)))))]
pub async fn displays(
    state: web::Data<AppState>,
    session: StaffPage,
    lang: Language,
) -> AppResult<HttpResponse> {
    let user = session.user.clone();
    let places = blocking::run(&state, move |conn| catalogue::workplaces(conn, &user)).await?;
    let code = lang.code();
    let links: Vec<DisplayLink> = places
        .into_iter()
        .map(|place| {
            let href = format!("/locations/{}/display?lang={code}", place.slug);
            DisplayLink {
                name: place.name,
                with_sound: format!("{href}&sound=on"),
                href,
            }
        })
        .collect();
    render(
        "displays.html",
        context! {
            lang,
            page => "display",
            staff => staff_layout::chrome(&session, lang),
            displays => links,
        },
    )
}
