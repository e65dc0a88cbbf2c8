//! The organisation file written back: an [`OrganisationSpec`] and its planning data as the
//! TOML that [`crate::import`] reads, in the layout of `examples/organisation.toml`.
//!
//! What the file holds is written out in full, defaults included, so that the file says the
//! same thing whatever the import's defaults later become. Two things are left out on
//! purpose: password hashes (a file that may end up in version control should not carry
//! them; an import keeps the stored ones) and the reasons of staff absences, which the
//! import checks but does not store.

mod diff;

use std::fmt::Write;

use chrono::NaiveDate;

use crate::domain::hours::{Closure, TimeRange, WeeklyHours, WEEKDAY_KEYS};
use crate::domain::municipality::Logo;
use crate::domain::organisation::{
    CapacityRuleSpec, DeskSpec, LocationSpec, OrganisationSpec, ServiceSpec, StaffSpec,
};
use crate::domain::roster::{PlanningSpec, ShiftTemplate, StaffPlanning};
use crate::domain::visit::NeedSpec;
use crate::domain::Slug;

pub use diff::line_diff;

/// The logo path a file names for the demo's built-in logo: `examples/logo.svg` beside the
/// demo's own file.
pub const DEMO_LOGO_FILE: &str = "logo.svg";

/// The organisation as an import file.
pub fn organisation_file(spec: &OrganisationSpec, planning: &PlanningSpec) -> String {
    let mut out = Toml::default();
    out.table("[organisation]");
    out.text("slug", spec.slug.as_str());
    out.text("name", &spec.name);
    municipality(&mut out, &spec.municipality);
    for d in &spec.departments {
        out.table("[[departments]]");
        out.text("slug", d.slug.as_str());
        out.text("name", &d.name);
    }
    for s in &spec.services {
        service(&mut out, s);
    }
    for n in &spec.needs {
        need(&mut out, n);
    }
    for l in &spec.locations {
        location(&mut out, l);
    }
    for t in &planning.shift_templates {
        template(&mut out, t);
    }
    for s in &spec.staff {
        let plan = planning.staff.iter().find(|p| p.username == s.username);
        staff(&mut out, s, plan);
    }
    out.text
}

fn municipality(out: &mut Toml, m: &crate::domain::municipality::Municipality) {
    out.table("[municipality]");
    out.text("name", &m.name);
    let logo = match &m.logo {
        Logo::Url(url) => url.clone(),
        Logo::File(path) => path.to_string_lossy().into_owned(),
        Logo::Demo => DEMO_LOGO_FILE.to_owned(),
    };
    out.text("logo", &logo);
    out.text("phone", &m.phone);
    out.text("address", &m.address);
    out.text("mail_from_name", &m.mail_from_name);
    out.text("mail_from", &m.mail_from);
    out.text("reply_to", &m.reply_to);
    out.text("privacy_notice_url", &m.privacy_notice_url);
    out.text(
        "accessibility_statement_url",
        &m.accessibility_statement_url,
    );
    if let Some(colour) = &m.brand_colour {
        out.text("brand_colour", colour);
    }
}

fn service(out: &mut Toml, s: &ServiceSpec) {
    out.table("[[services]]");
    out.text("slug", s.slug.as_str());
    out.text("name_da", &s.name_da);
    out.text("name_en", &s.name_en);
    out.text("department", s.department.as_str());
    out.number("duration_minutes", s.duration_minutes);
    if let Some(additional) = s.additional_minutes {
        out.number("additional_minutes", additional);
    }
    out.number("max_per_visit", s.max_per_visit);
    out.number("buffer_minutes", s.buffer_minutes);
    out.text("channel", s.channel.into());
    out.text("booking", s.booking.into());
    out.text("queue_prefix", &s.queue_prefix.to_string());
    out.number("book_ahead_days", s.book_ahead_days);
    out.number("min_notice_minutes", s.min_notice_minutes);
    out.number("slot_step_minutes", s.slot_step_minutes);
    out.number("priority", s.priority);
    if let Some(url) = &s.self_service_url {
        out.text("self_service_url", url);
    }
    if let Some(url) = &s.meeting_url {
        out.text("meeting_url", url);
    }
    if let Some(text) = &s.what_to_bring_da {
        out.text("what_to_bring_da", text);
    }
    if let Some(text) = &s.what_to_bring_en {
        out.text("what_to_bring_en", text);
    }
    out.number("reminder_hours", s.rules.reminder_hours);
    out.number("max_future_bookings", s.rules.max_future_bookings);
    out.number("check_in_early_minutes", s.rules.check_in_early_minutes);
    out.number("check_in_grace_minutes", s.rules.check_in_grace_minutes);
    out.text("late_arrival", s.rules.late_arrival.into());
    let channels: Vec<String> = (s.rules.reminder_channels.names().into_iter())
        .map(quoted)
        .collect();
    out.raw("reminder_channels", &format!("[{}]", channels.join(", ")));
}

fn location(out: &mut Toml, l: &LocationSpec) {
    out.table("[[locations]]");
    out.text("slug", l.slug.as_str());
    out.text("name", &l.name);
    out.text("address", &l.address);
    if let Some(contact) = &l.contact {
        out.text("contact", contact);
    }
    out.text("timezone", l.timezone.name());
    out.raw("services", &slugs(&l.services));
    out.raw("opening_hours", &hours(&l.opening_hours));
    if let Some(minutes) = l.alerts.after_minutes {
        out.number("alert_after_minutes", minutes);
    }
    if let Some(percent) = l.alerts.surge_percent {
        out.number("surge_alert_percent", percent);
    }
    for sh in &l.service_hours {
        out.table("[[locations.service_hours]]");
        out.text("service", sh.service.as_str());
        out.raw("hours", &hours(&sh.hours));
    }
    for d in &l.desks {
        desk(out, d);
    }
    for rule in &l.capacity {
        capacity(out, rule);
    }
    closures(out, &l.closures);
}

/// An errand as the organisation file writes it, and the locations that offer it, which
/// the file says in each location's `services` (the audit log's before and after of a
/// change to the errand).
pub fn errand_file(s: &ServiceSpec, offered_at: &[Slug]) -> String {
    let mut out = Toml::default();
    service(&mut out, s);
    let names: Vec<&str> = offered_at.iter().map(Slug::as_str).collect();
    writeln!(out.text, "# offered at: {}", names.join(", ")).expect("writing to a String");
    out.text
}

/// A location as the organisation file writes it (the audit log's before and after of a
/// change to its details and hours).
pub fn location_file(l: &LocationSpec) -> String {
    let mut out = Toml::default();
    location(&mut out, l);
    out.text
}

/// A location's closures as the organisation file writes them (the audit log's before and
/// after of a closure's change).
pub fn closures_file(list: &[Closure]) -> String {
    let mut out = Toml::default();
    closures(&mut out, list);
    out.text
}

fn closures(out: &mut Toml, list: &[Closure]) {
    for c in list {
        out.table("[[locations.closures]]");
        out.raw("from", &date(c.first));
        if c.last != c.first {
            out.raw("to", &date(c.last));
        }
        out.text("reason", &c.reason);
        if let Some(from) = c.closed_from {
            out.text("closed_from", &clock(from));
        }
        if let Some(until) = c.closed_until {
            out.text("closed_until", &clock(until));
        }
        if let Some(open) = &c.opening_hours {
            out.raw("opening_hours", &hours(open));
        }
    }
}

fn desk(out: &mut Toml, d: &DeskSpec) {
    out.table("[[locations.desks]]");
    out.text("name", &d.name);
    out.text("kind", d.kind.into());
    out.raw("services", &slugs(&d.services));
    out.raw("out_of_order", &d.out_of_order.to_string());
    let features: Vec<String> = d.features.iter().map(|f| quoted(f.into())).collect();
    out.raw("features", &format!("[{}]", features.join(", ")));
}

fn need(out: &mut Toml, n: &NeedSpec) {
    out.table("[[needs]]");
    out.text("kind", n.kind.into());
    out.text("name_da", &n.name_da);
    out.text("name_en", &n.name_en);
    out.number("extra_minutes", n.extra_minutes);
}

fn capacity(out: &mut Toml, rule: &CapacityRuleSpec) {
    out.table("[[locations.capacity]]");
    let days: Vec<String> = rule
        .weekdays
        .iter()
        .map(|d| quoted(WEEKDAY_KEYS[usize::from(d.0)]))
        .collect();
    out.raw("days", &format!("[{}]", days.join(", ")));
    out.text("from", &clock(rule.range.start));
    out.text("to", &clock(rule.range.end));
    out.number("desks", rule.desks);
    out.text("kind", rule.desk_kind.into());
    out.raw("services", &slugs(&rule.services));
}

fn template(out: &mut Toml, t: &ShiftTemplate) {
    out.table("[[shift_templates]]");
    out.text("slug", t.slug.as_str());
    out.text("start", &clock(t.start));
    out.text("end", &clock(t.end));
    if !t.breaks.is_empty() {
        out.raw("breaks", &ranges(&t.breaks));
    }
    if !t.locations.is_empty() {
        out.raw("locations", &slugs(&t.locations));
    }
}

fn staff(out: &mut Toml, s: &StaffSpec, plan: Option<&StaffPlanning>) {
    out.table("[[staff]]");
    out.text("username", &s.username);
    out.text("name", &s.display_name);
    let roles: Vec<String> = s.roles.iter().map(|r| quoted(r.into())).collect();
    out.raw("roles", &format!("[{}]", roles.join(", ")));
    if let Some(home) = &s.home_location {
        out.text("home_location", home.as_str());
    }
    if !s.locations.is_empty() {
        out.raw("locations", &slugs(&s.locations));
    }
    if !s.services.is_empty() {
        out.raw("services", &slugs(&s.services));
    }
    let Some(plan) = plan else { return };
    if plan.contract_minutes > 0 {
        out.raw("contract_hours", &contract_hours(plan.contract_minutes));
    }
    if !plan.absences.is_empty() {
        let absences: Vec<String> = plan
            .absences
            .iter()
            .map(|a| format!("{{ from = {}, to = {} }}", date(a.from), date(a.to)))
            .collect();
        out.raw("absences", &format!("[{}]", absences.join(", ")));
    }
    if !plan.preferred_templates.is_empty() {
        out.raw("preferred_shifts", &slugs(&plan.preferred_templates));
    }
}

/// Whole hours as an integer, others as the shortest decimal that reads back to the same
/// minutes (`18.5`).
fn contract_hours(minutes: u32) -> String {
    if minutes % 60 == 0 {
        (minutes / 60).to_string()
    } else {
        format!("{:?}", f64::from(minutes) / 60.0)
    }
}

fn quoted(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

fn slugs(list: &[Slug]) -> String {
    let items: Vec<String> = list.iter().map(|s| quoted(s.as_str())).collect();
    format!("[{}]", items.join(", "))
}

fn ranges(list: &[TimeRange]) -> String {
    let items: Vec<String> = list.iter().map(|r| quoted(&r.to_string())).collect();
    format!("[{}]", items.join(", "))
}

/// `{ mon = ["10:00-14:30"], … }`, Monday first, closed days left out.
fn hours(week: &WeeklyHours) -> String {
    let days: Vec<String> = WEEKDAY_KEYS
        .iter()
        .filter_map(|key| {
            let day = crate::domain::hours::parse_weekday(key).expect("a weekday key");
            let open = week.day(day);
            (!open.is_empty()).then(|| format!("{key} = {}", ranges(open)))
        })
        .collect();
    if days.is_empty() {
        "{}".to_owned()
    } else {
        format!("{{ {} }}", days.join(", "))
    }
}

fn clock(time: chrono::NaiveTime) -> String {
    time.format("%H:%M").to_string()
}

/// A TOML local date, unquoted, as people write closures.
fn date(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// The text being written: a blank line before each table, `key = value` lines in it.
#[derive(Default)]
struct Toml {
    text: String,
}

impl Toml {
    fn table(&mut self, header: &str) {
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.text.push_str(header);
        self.text.push('\n');
    }

    fn raw(&mut self, key: &str, value: &str) {
        writeln!(self.text, "{key} = {value}").expect("writing to a String");
    }

    fn text(&mut self, key: &str, value: &str) {
        self.raw(key, &quoted(value));
    }

    fn number(&mut self, key: &str, value: impl std::fmt::Display) {
        self.raw(key, &value.to_string());
    }
}

#[cfg(test)]
mod tests;
