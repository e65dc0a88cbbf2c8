//! `/staff/admin/audit`: the audit log as a page, read by period, by who and by kind; an
//! administrative change shows what it changed, as the lines of the organisation file before
//! and after.

use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;
use minijinja::context;
use serde::{Deserialize, Serialize};
use strum::VariantArray;

use super::{layout, Admin};
use crate::app::audit::{self, AuditFilter};
use crate::app::{catalogue, AppState};
use crate::domain::audit_kind::AuditKind;
use crate::domain::booking::Language;
use crate::domain::organisation::parse_choice;
use crate::error::{AppError, AppResult};
use crate::export::line_diff;
use crate::http::blocking;
use crate::http::lang::LangQuery;
use crate::messages::{self, day_time};
use crate::store::audit::Entry;

/// The zone of a line that names no location: the municipality's own.
const HOME_ZONE: Tz = chrono_tz::Europe::Copenhagen;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AuditPageQuery {
    /// First UTC date, `YYYY-MM-DD`; today when left out or empty.
    #[param(pattern = r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    from: Option<String>,
    /// Last UTC date (included); `from` when left out or empty.
    #[param(pattern = r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    to: Option<String>,
    /// Only what this user (a username) did.
    who: Option<String>,
    /// Only lines of this kind: `desk`, `ticket`, `organisation`, `account` or `security`.
    kind: Option<String>,
}

/// `GET /staff/admin/audit`
#[utoipa::path(get, path = "/staff/admin/audit", tag = "pages", params(AuditPageQuery, LangQuery),
    security(("bearer" = []), ("session" = []), ()),
    responses((status = 200, description = "The audit log of the period", content_type = "text/html", body = String),
        (status = 303, description = "Not signed in: to the sign-in form, to come back here", headers(("Location" = String))),
        (status = 403, description = "not an administrator"),
        (status = 422, description = "a bad date, period or kind")))]
pub async fn audit_page(
    admin: Admin,
    state: web::Data<AppState>,
    query: web::Query<AuditPageQuery>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let given = |v: &Option<String>| v.clone().filter(|v| !v.is_empty());
    let today = state.clock.now().date_naive().to_string();
    let from = given(&query.from).unwrap_or(today);
    let to = given(&query.to).unwrap_or_else(|| from.clone());
    let who = given(&query.who);
    let kind = match given(&query.kind) {
        Some(raw) => {
            Some(parse_choice::<AuditKind>(&raw).map_err(|e| AppError::invalid_field("kind", e))?)
        }
        None => None,
    };
    let (f, t, w) = (from.clone(), to.clone(), who.clone());
    let (entries, actors, places) = blocking::run(&state, move |conn| {
        let filter = AuditFilter {
            from: Some(&f),
            to: Some(&t),
            who: w.as_deref(),
            kind,
        };
        let entries = audit::read(conn, &filter)?;
        Ok((entries, audit::actors(conn)?, catalogue::locations(conn)?))
    })
    .await?;
    let names: HashMap<String, String> = actors.iter().cloned().collect();
    let places: HashMap<String, (String, Tz)> = places
        .into_iter()
        .map(|l| (l.slug.to_string(), (l.name, l.timezone)))
        .collect();
    let lines: Vec<Line> = entries
        .iter()
        .rev()
        .map(|e| Line::of(e, lang, &names, &places))
        .collect();
    let kinds: Vec<Choice> = AuditKind::VARIANTS
        .iter()
        .map(|k| {
            let id: &'static str = (*k).into();
            Choice {
                value: id.to_owned(),
                label: messages::text(lang, &format!("audit_kind.{id}")).to_owned(),
                selected: kind == Some(*k),
            }
        })
        .collect();
    let people: Vec<Choice> = actors
        .into_iter()
        .map(|(username, name)| Choice {
            selected: who.as_deref() == Some(username.as_str()),
            value: username,
            label: name,
        })
        .collect();
    let earlier = day_before(&from);
    layout::page(
        "admin_audit.html",
        &admin,
        lang,
        "audit",
        context! { from, to, earlier, lines, kinds, people },
    )
}

fn day_before(day: &str) -> Option<String> {
    let day: NaiveDate = day.parse().ok()?;
    Some((day - Duration::days(1)).to_string())
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

/// One line of the log as a person reads it: names, not usernames or slugs.
#[derive(Serialize)]
struct Line {
    when: String,
    who: String,
    what: String,
    place: String,
    subject: String,
    /// What an administrative change changed, as the file's lines removed and added.
    change: Option<String>,
}

impl Line {
    fn of(
        e: &Entry,
        lang: Language,
        names: &HashMap<String, String>,
        places: &HashMap<String, (String, Tz)>,
    ) -> Self {
        let place = e.location.as_ref().and_then(|slug| places.get(slug));
        let subject_place = e.subject.as_ref().and_then(|slug| places.get(slug));
        let zone = place.or(subject_place).map_or(HOME_ZONE, |(_, zone)| *zone);
        let who = match e.actor.as_str() {
            "cli" => messages::text(lang, "admin_audit.cli").to_owned(),
            "anonymous" => messages::text(lang, "admin_audit.anonymous").to_owned(),
            actor => names
                .get(actor)
                .cloned()
                .unwrap_or_else(|| messages::text(lang, "admin_audit.unknown").to_owned()),
        };
        let where_ = [place.map(|(name, _)| name.clone()), e.desk.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        let subject = e
            .ticket
            .clone()
            .or_else(|| subject_place.map(|(name, _)| name.clone()))
            .or_else(|| e.subject.as_ref().and_then(|s| names.get(s).cloned()))
            .unwrap_or_default();
        let change = match (&e.before, &e.after) {
            (Some(before), Some(after)) => Some(line_diff(before, after)),
            _ => None,
        };
        Self {
            when: day_time(lang, e.at, zone),
            who,
            what: action_label(lang, &e.action),
            place: where_,
            subject,
            change,
        }
    }
}

/// The action in words: its own text where the catalogue has one, else its kind's.
fn action_label(lang: Language, action: &str) -> String {
    let key = format!("audit_action.{}", action.replace('.', "_"));
    match messages::text(lang, &key) {
        text if text == key => {
            let kind: &'static str = AuditKind::of(action).into();
            messages::text(lang, &format!("audit_kind.{kind}")).to_owned()
        }
        text => text.to_owned(),
    }
}
