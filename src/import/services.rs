//! The checks of `[[departments]]` and `[[services]]`.

use std::collections::{HashMap, HashSet};

use toml::Spanned;

use super::checker::{Checker, FileNames};
use super::raw::{self, Text};
use crate::domain::booking::VisitRules;
use crate::domain::organisation::{
    parse_choice, parse_queue_prefix, BookingPolicy, Channel, DepartmentSpec, ServiceSpec,
};
use crate::domain::reminder_channels::ReminderChannels;

/// The longest appointment, buffer or slot step: a working day.
const MAX_MINUTES: u32 = 480;
/// Two years: past that, opening hours and staff are guesses.
pub(crate) const MAX_BOOK_AHEAD_DAYS: u32 = 730;
pub(super) const DEFAULT_BOOK_AHEAD_DAYS: u32 = 60;
const DEFAULT_MIN_NOTICE_MINUTES: u32 = 60;
const DEFAULT_SLOT_STEP_MINUTES: u32 = 15;
const MINUTES_PER_DAY: u32 = 24 * 60;
/// The most units of one errand a visit may hold: a large family's passports.
const MAX_PER_VISIT: u32 = 10;

pub(super) fn departments(
    cx: &mut Checker,
    raws: &[Spanned<raw::Department>],
) -> Vec<DepartmentSpec> {
    let mut seen = HashMap::new();
    let mut out = Vec::new();
    for (i, raw) in raws.iter().enumerate() {
        let raw = raw.get_ref();
        let at = format!("departments[{i}]");
        let slug_field = format!("{at}.slug");
        cx.unique(
            &mut seen,
            raw.slug.get_ref(),
            raw.slug.span(),
            &slug_field,
            "department slug",
        );
        let slug = cx.slug(&raw.slug, &slug_field);
        let name = cx.text(&raw.name, &format!("{at}.name"));
        if let (Some(slug), Some(name)) = (slug, name) {
            out.push(DepartmentSpec { slug, name });
        }
    }
    out
}

pub(super) fn services(
    cx: &mut Checker,
    raws: &[Spanned<raw::Service>],
    names: &FileNames,
) -> Vec<ServiceSpec> {
    let mut seen = HashMap::new();
    let mut out = Vec::new();
    for (i, raw) in raws.iter().enumerate() {
        let raw = raw.get_ref();
        let at = format!("services[{i}]");
        cx.unique(
            &mut seen,
            raw.slug.get_ref(),
            raw.slug.span(),
            &format!("{at}.slug"),
            "service slug",
        );
        out.extend(service(cx, &at, raw, names));
    }
    out
}

fn service(
    cx: &mut Checker,
    at: &str,
    raw: &raw::Service,
    names: &FileNames,
) -> Option<ServiceSpec> {
    let field = |key: &str| format!("{at}.{key}");
    let slug = cx.slug(&raw.slug, &field("slug"));
    let name_da = cx.text(&raw.name_da, &field("name_da"));
    let name_en = cx.text(&raw.name_en, &field("name_en"));
    let department = cx.reference(&raw.department, &field("department"), &names.departments);
    let minutes = "minutes";
    let duration_minutes = cx.number(
        Some(&raw.duration_minutes),
        0,
        1..=MAX_MINUTES,
        minutes,
        &field("duration_minutes"),
    );
    // A further unit takes at most what the first does, so the errand's ceiling is its own
    // duration; checked only once that is known to be valid.
    let additional_minutes = match (&raw.additional_minutes, duration_minutes) {
        (None, _) => Some(None),
        (Some(additional), Some(duration)) => cx
            .number(
                Some(additional),
                duration,
                1..=duration,
                "minutes (no more than duration_minutes)",
                &field("additional_minutes"),
            )
            .map(Some),
        (Some(_), None) => None,
    };
    let max_per_visit = cx.number(
        raw.max_per_visit.as_ref(),
        1,
        1..=MAX_PER_VISIT,
        "errands",
        &field("max_per_visit"),
    );
    let buffer_minutes = cx.number(
        raw.buffer_minutes.as_ref(),
        0,
        0..=MAX_MINUTES,
        minutes,
        &field("buffer_minutes"),
    );
    let slot_step_minutes = cx.number(
        raw.slot_step_minutes.as_ref(),
        DEFAULT_SLOT_STEP_MINUTES,
        1..=MAX_MINUTES,
        minutes,
        &field("slot_step_minutes"),
    );
    let book_ahead_days = cx.number(
        raw.book_ahead_days.as_ref(),
        DEFAULT_BOOK_AHEAD_DAYS,
        1..=MAX_BOOK_AHEAD_DAYS,
        "days",
        &field("book_ahead_days"),
    );
    let min_notice_minutes = raw
        .min_notice_minutes
        .as_ref()
        .map_or(DEFAULT_MIN_NOTICE_MINUTES, |m| *m.get_ref());
    let channel = cx.choice::<Channel>(&raw.channel, &field("channel"));
    let booking = cx.choice::<BookingPolicy>(&raw.booking, &field("booking"));
    let queue_prefix = cx.ok(
        raw.queue_prefix.span(),
        &field("queue_prefix"),
        parse_queue_prefix(raw.queue_prefix.get_ref()),
    );
    let self_service_url = match &raw.self_service_url {
        None => Some(None),
        Some(url) => cx
            .ok(
                url.span(),
                &field("self_service_url"),
                web_address(url.get_ref()),
            )
            .map(Some),
    };
    let meeting_url = meeting_url(cx, raw, channel, &field("meeting_url"));
    let rules = visit_rules(cx, raw, &field);
    if let (Some(booking), Some(ahead)) = (booking, book_ahead_days) {
        check_notice(cx, raw, &field("min_notice_minutes"), booking, ahead);
    }
    Some(ServiceSpec {
        slug: slug?,
        name_da: name_da?,
        name_en: name_en?,
        department: department?,
        duration_minutes: duration_minutes?,
        additional_minutes: additional_minutes?,
        max_per_visit: max_per_visit?,
        buffer_minutes: buffer_minutes?,
        channel: channel?,
        booking: booking?,
        self_service_url: self_service_url?,
        meeting_url: meeting_url?,
        queue_prefix: queue_prefix?,
        book_ahead_days: book_ahead_days?,
        min_notice_minutes,
        slot_step_minutes: slot_step_minutes?,
        priority: raw.priority.as_ref().map_or(0, |p| *p.get_ref()),
        what_to_bring_da: optional_text(raw.what_to_bring_da.as_ref()),
        what_to_bring_en: optional_text(raw.what_to_bring_en.as_ref()),
        rules: rules?,
    })
}

/// The reminder, booking limit and check-in window, each defaulting when left out.
fn visit_rules(
    cx: &mut Checker,
    raw: &raw::Service,
    field: &dyn Fn(&str) -> String,
) -> Option<VisitRules> {
    let d = VisitRules::default();
    let reminder_hours = cx.number(
        raw.reminder_hours.as_ref(),
        d.reminder_hours,
        0..=14 * 24,
        "hours (0 for no reminder)",
        &field("reminder_hours"),
    );
    let max_future_bookings = cx.number(
        raw.max_future_bookings.as_ref(),
        d.max_future_bookings,
        1..=50,
        "bookings",
        &field("max_future_bookings"),
    );
    let check_in_early_minutes = cx.number(
        raw.check_in_early_minutes.as_ref(),
        d.check_in_early_minutes,
        0..=240,
        "minutes",
        &field("check_in_early_minutes"),
    );
    let check_in_grace_minutes = cx.number(
        raw.check_in_grace_minutes.as_ref(),
        d.check_in_grace_minutes,
        0..=120,
        "minutes",
        &field("check_in_grace_minutes"),
    );
    let late_arrival = cx.choice_or(
        raw.late_arrival.as_ref(),
        d.late_arrival,
        &field("late_arrival"),
    );
    let reminder_channels = match raw.reminder_channels.as_ref() {
        None => Some(ReminderChannels::default()),
        Some(list) => {
            let names = list.get_ref().iter().map(|n| n.get_ref().as_str());
            cx.ok(
                list.span(),
                &field("reminder_channels"),
                ReminderChannels::parse(names),
            )
        }
    };
    Some(VisitRules {
        reminder_hours: reminder_hours?,
        reminder_channels: reminder_channels?,
        max_future_bookings: max_future_bookings?,
        check_in_early_minutes: check_in_early_minutes?,
        check_in_grace_minutes: check_in_grace_minutes?,
        late_arrival: late_arrival?,
    })
}

/// A notice as long as the booking window would leave no time that can be booked.
fn check_notice(
    cx: &mut Checker,
    raw: &raw::Service,
    field: &str,
    booking: BookingPolicy,
    book_ahead_days: u32,
) {
    let Some(notice) = &raw.min_notice_minutes else {
        return;
    };
    let window = book_ahead_days.saturating_mul(MINUTES_PER_DAY);
    if booking.takes_bookings() && *notice.get_ref() >= window {
        cx.report(
            notice.span(),
            field,
            format!(
                "a notice of {} minutes is as long as the {book_ahead_days} days it can be \
                 booked ahead, so no time could ever be booked",
                notice.get_ref()
            ),
        );
    }
}

/// A meeting link's template, for a video errand only: the other channels meet at a desk
/// or on the phone.
fn meeting_url(
    cx: &mut Checker,
    raw: &raw::Service,
    channel: Option<Channel>,
    field: &str,
) -> Option<Option<String>> {
    let Some(template) = &raw.meeting_url else {
        return Some(None);
    };
    let checked = crate::domain::meeting::check_template(template.get_ref())
        .and_then(|()| match channel {
            Some(Channel::Video) | None => Ok(()),
            Some(other) => Err(format!(
                "only a video errand has a meeting link; '{}' is {other}",
                raw.slug.get_ref()
            )),
        })
        .map(|()| template.get_ref().clone());
    cx.ok(template.span(), field, checked).map(Some)
}

/// Only http(s): the link is shown to citizens, who must be able to open it.
fn web_address(raw: &str) -> Result<String, String> {
    let url = url::Url::parse(raw).map_err(|e| format!("'{raw}' is not a web address: {e}"))?;
    if matches!(url.scheme(), "http" | "https") {
        Ok(raw.to_owned())
    } else {
        Err(format!(
            "'{raw}' must be an http or https address, like https://www.borger.dk/"
        ))
    }
}

/// Blank optional text means the same as leaving it out.
fn optional_text(raw: Option<&Text>) -> Option<String> {
    raw.map(|t| t.get_ref().trim())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// A required booking with no capacity anywhere could never be booked, nor served at the door.
pub(super) fn check_required_bookings(cx: &mut Checker, file: &raw::File) {
    let with_capacity: HashSet<&str> = file
        .locations
        .iter()
        .flat_map(|l| &l.get_ref().capacity)
        .flat_map(|rule| rule.get_ref().services.get_ref())
        .map(|s| s.get_ref().as_str())
        .collect();
    for (i, raw) in file.services.iter().enumerate() {
        let raw = raw.get_ref();
        let required = parse_choice::<BookingPolicy>(raw.booking.get_ref())
            .is_ok_and(BookingPolicy::needs_booking);
        if required && !with_capacity.contains(raw.slug.get_ref().as_str()) {
            cx.report(
                raw.booking.span(),
                &format!("services[{i}].booking"),
                format!(
                    "booking is required for '{}', but no [[locations.capacity]] rule names it, \
                     so it could never be booked; add a capacity rule or make booking optional",
                    raw.slug.get_ref()
                ),
            );
        }
    }
}
