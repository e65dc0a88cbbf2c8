//! The pages' templates, compiled into the binary, and their rendering: a page, or the
//! error page shown for an error on a page.

use std::sync::OnceLock;

use actix_web::HttpResponse;
use minijinja::value::{Kwargs, Value};
use minijinja::{context, Environment, State};

use crate::domain::booking::Language;
use crate::error::{AppError, AppResult};
use crate::messages;

/// The templates, compiled into the binary so that it runs from any directory.
fn templates() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        for (name, source) in [
            ("base.html", include_str!("../../web/templates/base.html")),
            (
                "citizen.html",
                include_str!("../../web/templates/citizen.html"),
            ),
            ("staff.html", include_str!("../../web/templates/staff.html")),
            ("home.html", include_str!("../../web/templates/home.html")),
            (
                "ticket.html",
                include_str!("../../web/templates/ticket.html"),
            ),
            ("login.html", include_str!("../../web/templates/login.html")),
            ("book.html", include_str!("../../web/templates/book.html")),
            (
                "book_visit.html",
                include_str!("../../web/templates/book_visit.html"),
            ),
            (
                "problems.html",
                include_str!("../../web/templates/problems.html"),
            ),
            (
                "meeting_place.html",
                include_str!("../../web/templates/meeting_place.html"),
            ),
            (
                "book_carried.html",
                include_str!("../../web/templates/book_carried.html"),
            ),
            ("move.html", include_str!("../../web/templates/move.html")),
            (
                "waitlist.html",
                include_str!("../../web/templates/waitlist.html"),
            ),
            (
                "booked.html",
                include_str!("../../web/templates/booked.html"),
            ),
            (
                "appointment.html",
                include_str!("../../web/templates/appointment.html"),
            ),
            (
                "console.html",
                include_str!("../../web/templates/console.html"),
            ),
            (
                "display.html",
                include_str!("../../web/templates/display.html"),
            ),
            (
                "dashboard.html",
                include_str!("../../web/templates/dashboard.html"),
            ),
            (
                "planner.html",
                include_str!("../../web/templates/planner.html"),
            ),
            (
                "interpreters.html",
                include_str!("../../web/templates/interpreters.html"),
            ),
            (
                "whatif.html",
                include_str!("../../web/templates/whatif.html"),
            ),
            (
                "wait_times.html",
                include_str!("../../web/templates/wait_times.html"),
            ),
            (
                "displays.html",
                include_str!("../../web/templates/displays.html"),
            ),
            ("error.html", include_str!("../../web/templates/error.html")),
            ("admin.html", include_str!("../../web/templates/admin.html")),
            (
                "admin_index.html",
                include_str!("../../web/templates/admin_index.html"),
            ),
            (
                "admin_staff.html",
                include_str!("../../web/templates/admin_staff.html"),
            ),
            (
                "admin_staff_form.html",
                include_str!("../../web/templates/admin_staff_form.html"),
            ),
            (
                "admin_desks.html",
                include_str!("../../web/templates/admin_desks.html"),
            ),
            (
                "admin_errands.html",
                include_str!("../../web/templates/admin_errands.html"),
            ),
            (
                "admin_errand.html",
                include_str!("../../web/templates/admin_errand.html"),
            ),
            (
                "account_password.html",
                include_str!("../../web/templates/account_password.html"),
            ),
            (
                "password_set.html",
                include_str!("../../web/templates/password_set.html"),
            ),
            (
                "new_password.html",
                include_str!("../../web/templates/new_password.html"),
            ),
            (
                "admin_audit.html",
                include_str!("../../web/templates/admin_audit.html"),
            ),
            (
                "admin_locations.html",
                include_str!("../../web/templates/admin_locations.html"),
            ),
            (
                "admin_location.html",
                include_str!("../../web/templates/admin_location.html"),
            ),
            (
                "admin_capacity.html",
                include_str!("../../web/templates/admin_capacity.html"),
            ),
            (
                "admin_closure_preview.html",
                include_str!("../../web/templates/admin_closure_preview.html"),
            ),
        ] {
            env.add_template(name, source)
                .expect("the built-in templates parse");
        }
        env.add_function("t", translate);
        env
    })
}

/// `t("section.key", name=value, …)` in a template: the text in the page's `lang`.
fn translate(state: &State, key: &str, args: Kwargs) -> Result<String, minijinja::Error> {
    let lang = state
        .lookup("lang")
        .and_then(|v| v.as_str().and_then(Language::from_code))
        .unwrap_or_default();
    let values: Vec<(String, String)> = args
        .args()
        .map(|name| {
            let value: Value = args.get(name)?;
            Ok((name.to_owned(), value.to_string()))
        })
        .collect::<Result<_, minijinja::Error>>()?;
    args.assert_all_used()?;
    let pairs: Vec<(&str, &str)> = values
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    Ok(messages::text_with(lang, key, &pairs))
}

/// Renders with the municipality of the request (see [`super::identity`]) as `municipality`.
fn render_html(name: &str, ctx: minijinja::Value) -> AppResult<String> {
    let ctx = context! { municipality => super::identity::shown(), ..ctx };
    templates()
        .get_template(name)
        .and_then(|t| t.render(ctx))
        .map_err(|e| AppError::Internal(format!("rendering {name}: {e}")))
}

/// A page. Its security headers (the referrer kept to this site, where the language switch
/// reads it; no caching; the content policy) are added to every response in `headers`.
pub fn render(name: &str, ctx: minijinja::Value) -> AppResult<HttpResponse> {
    let html = render_html(name, ctx)?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(html))
}

/// The page shown for an error on a page: what went wrong, and the way back.
pub fn error_page(lang: Language, status: u16, said: Option<&str>) -> String {
    let title_key = format!("error_title.{status}");
    let heading = match messages::text(lang, &title_key) {
        text if text == title_key => messages::text(lang, "error.heading"),
        text => text,
    };
    let advice_key = format!("error_advice.{status}");
    let advice = match messages::text(lang, &advice_key) {
        text if text == advice_key => messages::text(lang, "error_advice.400"),
        text => text,
    };
    let ctx = context! { lang, status, heading, advice, said };
    render_html("error.html", ctx).unwrap_or_else(|_| {
        // The template is compiled in; should it ever fail, the status still says it all.
        format!("<!doctype html><title>{status}</title>")
    })
}

#[cfg(test)]
mod tests {
    use strum::VariantArray;

    use super::*;
    use crate::domain::booking::AppointmentStatus;
    use crate::domain::organisation::BookingPolicy;
    use crate::domain::queue::TicketStatus;

    /// Every `t("key")` a template asks for, and every key built from a status or a
    /// policy, has a text in both languages.
    #[test]
    fn every_text_the_templates_ask_for_is_in_both_languages() {
        let mut keys: Vec<String> = Vec::new();
        for name in templates().templates().map(|(name, _)| name) {
            let source = templates().get_template(name).unwrap().source().to_owned();
            for piece in source.split("t(\"").skip(1) {
                let (key, rest) = piece.split_once('"').unwrap();
                // A key joined to a value (`t("status." ~ s)`) is a prefix, checked below.
                if !key.ends_with('.') && !rest.trim_start().starts_with('~') {
                    keys.push(key.to_owned());
                }
            }
        }
        assert!(keys.len() > 100, "{} keys", keys.len());
        let statuses = |prefix: &'static str, names: Vec<&'static str>| {
            names.into_iter().map(move |n| format!("{prefix}{n}"))
        };
        keys.extend(statuses(
            "status.appointment.",
            AppointmentStatus::VARIANTS
                .iter()
                .map(|s| (*s).into())
                .collect(),
        ));
        keys.extend(statuses(
            "status.ticket.",
            TicketStatus::VARIANTS.iter().map(|s| (*s).into()).collect(),
        ));
        keys.extend(statuses(
            "status.ticket_sentence.",
            TicketStatus::VARIANTS.iter().map(|s| (*s).into()).collect(),
        ));
        keys.extend(statuses(
            "policy.",
            BookingPolicy::VARIANTS
                .iter()
                .map(|s| (*s).into())
                .collect(),
        ));
        keys.extend((1..=5).map(|score| format!("feedback.score_{score}")));
        for lang in [Language::Da, Language::En] {
            for key in &keys {
                assert_ne!(messages::text(lang, key), key, "no {lang:?} text for {key}");
            }
        }
    }

    #[test]
    fn an_error_page_says_what_to_do_in_the_citizens_language() {
        let da = error_page(Language::Da, 404, None);
        assert!(
            da.contains(messages::text(Language::Da, "error_advice.404")),
            "{da}"
        );
        assert!(da.contains("Fejlkode 404."), "{da}");
        let en = error_page(Language::En, 418, None);
        assert!(
            en.contains(messages::text(Language::En, "error.heading")),
            "{en}"
        );
    }

    /// The staff's pages render with what their handlers pass, signed in or not.
    #[test]
    fn the_staff_pages_render_in_both_languages() {
        for lang in [Language::Da, Language::En] {
            let texts =
                serde_json::to_string(&crate::http::console_view::script_texts(lang)).unwrap();
            let console = render_html(
                "console.html",
                context! { lang, page => "console", user_key => 1, texts,
                locations => vec![context! { slug => "raadhuset", name => "Rådhuset" }] },
            )
            .unwrap();
            assert!(console.contains("value=\"raadhuset\""), "{console}");
            let display = render_html(
                "display.html",
                context! { lang, sound => "on", texts => "{}", location_slug => "raadhuset",
                location => "Rådhuset" },
            )
            .unwrap();
            assert!(
                !display.contains("staff-nav"),
                "no staff header on the wall screen"
            );
            render_html("login.html", context! { lang, next => "/staff/planner" }).unwrap();
        }
    }
}
