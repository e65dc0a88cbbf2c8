//! The organisation file: TOML in, a validated [`OrganisationSpec`] out.
//!
//! An administrator describes a whole municipality in one TOML file — departments, errands,
//! locations with their opening hours, closures, desks and booking capacity, and staff.
//! `examples/organisation.toml` is both the commented reference of the format and the demo.
//!
//! Reading happens in two passes:
//!
//! 1. `toml` and serde fill the raw structs below, which keep every value's byte span.
//!    Syntax and type errors (unknown or missing fields, a number where a list belongs)
//!    stop here, as one problem with its line.
//! 2. Every value and every cross-reference is checked, and *all* problems are collected, so
//!    that one run shows everything there is to fix. Each problem names the file, the 1-based
//!    line and the field as a dotted path with 0-based indexes, as in
//!    `locations[1].desks[0].services[2]`.
//!
//! Format decisions:
//!
//! - Dates (closures) are TOML local dates, written without quotes: `from = 2026-12-24`.
//!   A quoted `"2026-12-24"` means the same, because people write it both ways; a date with a
//!   time or an offset is refused.
//! - Times of day are strings, `"10:00"`, and ranges are `"10:00-14:30"`: TOML has no range.
//! - Weekdays are `mon` … `sun`; a day left out of opening hours is closed.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;
use std::ops::{Range, RangeInclusive};

use chrono::{NaiveDate, Weekday};
use toml::Spanned;

use crate::domain::hours::{
    parse_clock, parse_weekday, Closure, TimeRange, WeeklyHours, WEEKDAY_KEYS,
};
use crate::domain::organisation::{
    parse_choice, parse_queue_prefix, parse_username, BookingPolicy, CapacityRuleSpec, Channel,
    DepartmentSpec, DeskKind, DeskSpec, LocationSpec, OrganisationSpec, Role, ServiceHoursSpec,
    ServiceSpec, StaffSpec, WeekdayKey,
};
use crate::domain::timezone::parse_zone;
use crate::domain::Slug;

/// The longest appointment, buffer or slot step: a working day.
const MAX_MINUTES: u32 = 480;
/// Two years: past that, opening hours and staff are guesses.
const MAX_BOOK_AHEAD_DAYS: u32 = 730;
const DEFAULT_BOOK_AHEAD_DAYS: u32 = 60;
const DEFAULT_MIN_NOTICE_MINUTES: u32 = 60;
const DEFAULT_SLOT_STEP_MINUTES: u32 = 15;
const MINUTES_PER_DAY: u32 = 24 * 60;

/// Everything wrong with one organisation file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", one_per_line(.problems))]
pub struct ImportErrors {
    pub problems: Vec<ImportProblem>,
}

/// One thing wrong with one field, shown as `{file}:{line}: {field}: {message}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    pub file: String,
    /// 1-based; `None` only when toml could not say where.
    pub line: Option<usize>,
    /// A dotted path with 0-based indexes, e.g. `locations[1].desks[0].services[2]`.
    pub field: String,
    pub message: String,
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}: {}", self.file, self.field, self.message),
            None => write!(f, "{}: {}: {}", self.file, self.field, self.message),
        }
    }
}

fn one_per_line(problems: &[ImportProblem]) -> String {
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    lines.join("\n")
}

/// Parses and validates one organisation file. `file_name` is used in messages only.
pub fn parse_organisation(file_name: &str, text: &str) -> Result<OrganisationSpec, ImportErrors> {
    let mut cx = Checker::new(file_name, text);
    match toml::from_str::<raw::File>(text) {
        Ok(file) => {
            let spec = organisation(&mut cx, &file);
            cx.finish(spec)
        }
        Err(err) => {
            cx.toml_error(text, &err);
            cx.finish(None)
        }
    }
}

/// The file as written, before any check but toml's own. Values that a problem may point at
/// are `Spanned`, and enums and slugs stay strings so that their messages are ours.
mod raw {
    use std::collections::BTreeMap;

    use serde::Deserialize;
    use toml::Spanned;

    pub type Text = Spanned<String>;
    pub type List = Spanned<Vec<Text>>;
    /// `{ mon = ["10:00-14:30"], … }`.
    pub type Hours = Spanned<BTreeMap<String, List>>;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct File {
        pub organisation: Spanned<Organisation>,
        #[serde(default)]
        pub departments: Vec<Spanned<Department>>,
        #[serde(default)]
        pub services: Vec<Spanned<Service>>,
        #[serde(default)]
        pub locations: Vec<Spanned<Location>>,
        #[serde(default)]
        pub staff: Vec<Spanned<Staff>>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Organisation {
        pub slug: Text,
        pub name: Text,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Department {
        pub slug: Text,
        pub name: Text,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Service {
        pub slug: Text,
        pub name_da: Text,
        pub name_en: Text,
        pub department: Text,
        pub duration_minutes: Spanned<u32>,
        pub buffer_minutes: Option<Spanned<u32>>,
        pub channel: Text,
        pub booking: Text,
        pub queue_prefix: Text,
        pub book_ahead_days: Option<Spanned<u32>>,
        pub min_notice_minutes: Option<Spanned<u32>>,
        pub slot_step_minutes: Option<Spanned<u32>>,
        pub priority: Option<Spanned<i32>>,
        pub self_service_url: Option<Text>,
        pub what_to_bring_da: Option<Text>,
        pub what_to_bring_en: Option<Text>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Location {
        pub slug: Text,
        pub name: Text,
        pub address: Text,
        pub timezone: Text,
        pub services: List,
        pub opening_hours: Hours,
        #[serde(default)]
        pub closures: Vec<Spanned<Closure>>,
        #[serde(default)]
        pub service_hours: Vec<Spanned<ServiceHours>>,
        #[serde(default)]
        pub desks: Vec<Spanned<Desk>>,
        #[serde(default)]
        pub capacity: Vec<Spanned<Capacity>>,
    }

    /// `to` may be left out for a single day.
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Closure {
        pub from: Spanned<toml::Value>,
        pub to: Option<Spanned<toml::Value>>,
        pub reason: Text,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct ServiceHours {
        pub service: Text,
        pub hours: Hours,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Desk {
        pub name: Text,
        pub kind: Option<Text>,
        pub services: List,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Capacity {
        pub days: List,
        pub from: Text,
        pub to: Text,
        pub desks: Spanned<u32>,
        pub kind: Option<Text>,
        pub services: List,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Staff {
        pub username: Text,
        pub name: Text,
        pub roles: List,
        pub home_location: Option<Text>,
        #[serde(default)]
        pub locations: Vec<Text>,
        #[serde(default)]
        pub services: Vec<Text>,
        pub password_hash: Option<Text>,
    }
}

use raw::Text;

/// Collects problems and turns byte spans into line numbers.
struct Checker<'f> {
    file: &'f str,
    /// Byte offset where each line starts; line `n` starts at `line_starts[n - 1]`.
    line_starts: Vec<usize>,
    problems: Vec<ImportProblem>,
}

impl<'f> Checker<'f> {
    fn new(file: &'f str, text: &str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self {
            file,
            line_starts,
            problems: Vec::new(),
        }
    }

    fn line(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset)
    }

    fn report(&mut self, span: Range<usize>, field: &str, message: impl Into<String>) {
        self.problems.push(ImportProblem {
            file: self.file.to_owned(),
            line: Some(self.line(span.start)),
            field: field.to_owned(),
            message: message.into(),
        });
    }

    /// The value, or `None` after reporting why not.
    fn ok<T>(&mut self, span: Range<usize>, field: &str, result: Result<T, String>) -> Option<T> {
        result.map_err(|msg| self.report(span, field, msg)).ok()
    }

    fn slug(&mut self, raw: &Text, field: &str) -> Option<Slug> {
        self.ok(raw.span(), field, Slug::parse(raw.get_ref()))
    }

    fn text(&mut self, raw: &Text, field: &str) -> Option<String> {
        let value = raw.get_ref().trim();
        let result = if value.is_empty() {
            Err("must not be empty".to_owned())
        } else {
            Ok(value.to_owned())
        };
        self.ok(raw.span(), field, result)
    }

    fn choice<T>(&mut self, raw: &Text, field: &str) -> Option<T>
    where
        T: std::str::FromStr + strum::VariantArray + Into<&'static str> + Copy,
    {
        self.ok(raw.span(), field, parse_choice(raw.get_ref()))
    }

    /// An optional enum such as a desk's `kind`, with `default` when left out.
    fn choice_or<T>(&mut self, raw: Option<&Text>, default: T, field: &str) -> Option<T>
    where
        T: std::str::FromStr + strum::VariantArray + Into<&'static str> + Copy,
    {
        raw.map_or(Some(default), |raw| self.choice(raw, field))
    }

    /// A whole number that must lie in `allowed`; `default` when left out.
    fn number(
        &mut self,
        raw: Option<&Spanned<u32>>,
        default: u32,
        allowed: RangeInclusive<u32>,
        unit: &str,
        field: &str,
    ) -> Option<u32> {
        let Some(raw) = raw else {
            return Some(default);
        };
        let value = *raw.get_ref();
        let result = if allowed.contains(&value) {
            Ok(value)
        } else {
            Err(format!(
                "must be between {} and {} {unit}, got {value}",
                allowed.start(),
                allowed.end()
            ))
        };
        self.ok(raw.span(), field, result)
    }

    /// Reports `key` when `seen` already has it; `what` names it in the message.
    fn unique(
        &mut self,
        seen: &mut HashMap<String, usize>,
        key: &str,
        span: Range<usize>,
        field: &str,
        what: &str,
    ) {
        let line = self.line(span.start);
        match seen.get(key) {
            Some(first) => self.report(
                span,
                field,
                format!("{what} '{key}' is used twice: it is already on line {first}"),
            ),
            None => {
                seen.insert(key.to_owned(), line);
            }
        }
    }

    /// A slug that must name something the file defines.
    fn reference(&mut self, raw: &Text, field: &str, known: &Names) -> Option<Slug> {
        let name = raw.get_ref();
        if known.contains(name) {
            Slug::parse(name).ok()
        } else {
            self.report(raw.span(), field, known.missing(name));
            None
        }
    }

    /// A list of references, each known and listed once; reports the rest.
    fn references(&mut self, raws: &[Text], field: &str, known: &Names) -> Vec<Slug> {
        self.listed_once(raws, field, |cx, raw, at| cx.reference(raw, at, known))
    }

    /// The slugs that `resolve` accepts from a list, reporting any listed twice.
    fn listed_once(
        &mut self,
        raws: &[Text],
        field: &str,
        mut resolve: impl FnMut(&mut Self, &Text, &str) -> Option<Slug>,
    ) -> Vec<Slug> {
        let mut listed = HashSet::new();
        let mut slugs = Vec::new();
        for (i, raw) in raws.iter().enumerate() {
            let at = format!("{field}[{i}]");
            if !listed.insert(raw.get_ref().as_str()) {
                let message = format!("'{}' is listed twice", raw.get_ref());
                self.report(raw.span(), &at, message);
            } else if let Some(slug) = resolve(self, raw, &at) {
                slugs.push(slug);
            }
        }
        slugs
    }

    /// Like [`Self::references`], for a list that must name at least one `what`.
    fn required_references(&mut self, raw: &raw::List, field: &str, known: &Names) -> Vec<Slug> {
        if raw.get_ref().is_empty() {
            self.report(
                raw.span(),
                field,
                format!("must name at least one {}", known.what),
            );
        }
        self.references(raw.get_ref(), field, known)
    }

    /// Records toml's own error, which stops the import before any other check.
    fn toml_error(&mut self, text: &str, err: &toml::de::Error) {
        let offset = err.span().map(|span| span.start);
        self.problems.push(ImportProblem {
            file: self.file.to_owned(),
            line: offset.map(|offset| self.line(offset)),
            field: toml_error_field(text, offset, err.message()),
            message: humane_toml_message(err.message()),
        });
    }

    /// The value when nothing was reported, else every problem, top of the file first.
    fn finish<T>(mut self, value: Option<T>) -> Result<T, ImportErrors> {
        match value {
            Some(value) if self.problems.is_empty() => Ok(value),
            _ => {
                debug_assert!(!self.problems.is_empty(), "refused without a reason");
                self.problems.sort_by_key(|p| p.line.unwrap_or(usize::MAX));
                Err(ImportErrors {
                    problems: self.problems,
                })
            }
        }
    }
}

/// The slugs of one kind that a file defines, for checking references to them.
struct Names<'r> {
    what: &'static str,
    names: Vec<&'r str>,
}

impl<'r> Names<'r> {
    fn new(what: &'static str, slugs: impl Iterator<Item = &'r Text>) -> Self {
        let mut names: Vec<&str> = slugs
            .map(|slug| slug.get_ref().as_str())
            .filter(|name| Slug::parse(name).is_ok())
            .collect();
        names.sort_unstable();
        names.dedup();
        Self { what, names }
    }

    fn contains(&self, name: &str) -> bool {
        self.names.binary_search(&name).is_ok()
    }

    fn missing(&self, name: &str) -> String {
        if self.names.is_empty() {
            format!("there is no {} '{name}': the file defines none", self.what)
        } else {
            format!(
                "there is no {} '{name}'; the file defines {}",
                self.what,
                self.names.join(", ")
            )
        }
    }
}

/// What the file defines, by kind.
struct FileNames<'r> {
    departments: Names<'r>,
    services: Names<'r>,
    locations: Names<'r>,
}

impl<'r> FileNames<'r> {
    fn new(file: &'r raw::File) -> Self {
        Self {
            departments: Names::new(
                "department",
                file.departments.iter().map(|d| &d.get_ref().slug),
            ),
            services: Names::new("service", file.services.iter().map(|s| &s.get_ref().slug)),
            locations: Names::new("location", file.locations.iter().map(|l| &l.get_ref().slug)),
        }
    }
}

fn organisation(cx: &mut Checker, file: &raw::File) -> Option<OrganisationSpec> {
    let org = file.organisation.get_ref();
    let slug = cx.slug(&org.slug, "organisation.slug");
    let name = cx.text(&org.name, "organisation.name");
    let names = FileNames::new(file);
    let departments = departments(cx, &file.departments);
    let services = services(cx, &file.services, &names);
    let locations = locations(cx, &file.locations, &names, &services);
    let staff = staff(cx, &file.staff, &names);
    check_required_bookings(cx, file);
    Some(OrganisationSpec {
        slug: slug?,
        name: name?,
        departments,
        services,
        locations,
        staff,
    })
}

fn departments(cx: &mut Checker, raws: &[Spanned<raw::Department>]) -> Vec<DepartmentSpec> {
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

fn services(
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
    if let (Some(booking), Some(ahead)) = (booking, book_ahead_days) {
        check_notice(cx, raw, &field("min_notice_minutes"), booking, ahead);
    }
    Some(ServiceSpec {
        slug: slug?,
        name_da: name_da?,
        name_en: name_en?,
        department: department?,
        duration_minutes: duration_minutes?,
        buffer_minutes: buffer_minutes?,
        channel: channel?,
        booking: booking?,
        self_service_url: self_service_url?,
        queue_prefix: queue_prefix?,
        book_ahead_days: book_ahead_days?,
        min_notice_minutes,
        slot_step_minutes: slot_step_minutes?,
        priority: raw.priority.as_ref().map_or(0, |p| *p.get_ref()),
        what_to_bring_da: optional_text(raw.what_to_bring_da.as_ref()),
        what_to_bring_en: optional_text(raw.what_to_bring_en.as_ref()),
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
    if booking != BookingPolicy::WalkInOnly && *notice.get_ref() >= window {
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

fn locations(
    cx: &mut Checker,
    raws: &[Spanned<raw::Location>],
    names: &FileNames,
    services: &[ServiceSpec],
) -> Vec<LocationSpec> {
    let by_slug: HashMap<&str, &ServiceSpec> =
        services.iter().map(|s| (s.slug.as_str(), s)).collect();
    let mut seen = HashMap::new();
    let mut out = Vec::new();
    for (i, raw) in raws.iter().enumerate() {
        let raw = raw.get_ref();
        let at = format!("locations[{i}]");
        cx.unique(
            &mut seen,
            raw.slug.get_ref(),
            raw.slug.span(),
            &format!("{at}.slug"),
            "location slug",
        );
        out.extend(location(cx, at, raw, names, &by_slug));
    }
    out
}

/// One location while it is checked: what its desks, hours and capacity may refer to.
struct Site {
    at: String,
    slug: String,
    offered: BTreeSet<String>,
    opening: Option<WeeklyHours>,
    service_hours: HashMap<String, WeeklyHours>,
    desks: Vec<DeskSpec>,
    /// False when a desk was refused, so counting desks would mislead.
    desks_complete: bool,
}

impl Site {
    fn field(&self, key: &str) -> String {
        format!("{}.{key}", self.at)
    }

    /// A service that must be known and offered here.
    fn offered(
        &self,
        cx: &mut Checker,
        raw: &Text,
        field: &str,
        names: &FileNames,
    ) -> Option<Slug> {
        let slug = cx.reference(raw, field, &names.services)?;
        if self.offered.contains(slug.as_str()) {
            Some(slug)
        } else {
            cx.report(
                raw.span(),
                field,
                format!(
                    "'{slug}' is not offered at '{}'; add it to {} first",
                    self.slug,
                    self.field("services")
                ),
            );
            None
        }
    }

    /// A non-empty list of services offered here, each once.
    fn offered_list(
        &self,
        cx: &mut Checker,
        raw: &raw::List,
        field: &str,
        names: &FileNames,
    ) -> Vec<Slug> {
        if raw.get_ref().is_empty() {
            cx.report(raw.span(), field, "must name at least one service");
        }
        cx.listed_once(raw.get_ref(), field, |cx, service, at| {
            self.offered(cx, service, at, names)
        })
    }

    /// The hours a service keeps here: its own, or the location's.
    fn hours_of(&self, service: &str) -> Option<&WeeklyHours> {
        self.service_hours.get(service).or(self.opening.as_ref())
    }
}

fn location(
    cx: &mut Checker,
    at: String,
    raw: &raw::Location,
    names: &FileNames,
    services: &HashMap<&str, &ServiceSpec>,
) -> Option<LocationSpec> {
    let field = |key: &str| format!("{at}.{key}");
    let slug = cx.slug(&raw.slug, &field("slug"));
    let name = cx.text(&raw.name, &field("name"));
    let address = cx.text(&raw.address, &field("address"));
    let timezone = cx.ok(
        raw.timezone.span(),
        &field("timezone"),
        parse_zone(raw.timezone.get_ref()),
    );
    let offered = cx.required_references(&raw.services, &field("services"), &names.services);
    let opening_hours = opening_hours(cx, &raw.opening_hours, &field("opening_hours"));
    let closures = closures(cx, &raw.closures, &field("closures"));
    let mut site = Site {
        slug: raw.slug.get_ref().clone(),
        offered: offered.iter().map(|s| s.as_str().to_owned()).collect(),
        opening: opening_hours.clone(),
        service_hours: HashMap::new(),
        desks: Vec::new(),
        desks_complete: true,
        at,
    };
    let service_hours = all_service_hours(cx, &raw.service_hours, &mut site, names);
    site.desks = desks(cx, &raw.desks, &mut site, names);
    let capacity = capacity_rules(cx, &raw.capacity, &site, names, services);
    check_queue_prefixes(cx, &raw.services, &site, services);
    check_queues_have_desks(cx, &raw.services, &site, services);
    Some(LocationSpec {
        slug: slug?,
        name: name?,
        address: address?,
        timezone: timezone?,
        opening_hours: opening_hours?,
        closures,
        services: offered,
        service_hours,
        desks: site.desks,
        capacity,
    })
}

/// A location's weekly hours, which must open on at least one day.
fn opening_hours(cx: &mut Checker, raw: &raw::Hours, field: &str) -> Option<WeeklyHours> {
    let hours = weekly_hours(cx, raw, field)?;
    if hours.is_empty() {
        cx.report(
            raw.span(),
            field,
            "the location is never open: give the hours of at least one weekday, \
             e.g. { mon = [\"10:00-14:30\"] }",
        );
        return None;
    }
    Some(hours)
}

/// `{ mon = ["10:00-12:00", "13:00-17:00"], … }`; days left out are closed.
fn weekly_hours(cx: &mut Checker, raw: &raw::Hours, field: &str) -> Option<WeeklyHours> {
    let before = cx.problems.len();
    let mut hours = WeeklyHours::default();
    for (key, ranges) in raw.get_ref() {
        let at = format!("{field}.{key}");
        let Some(day) = cx.ok(ranges.span(), &at, parse_weekday(key)) else {
            continue;
        };
        let parsed: Vec<TimeRange> = ranges
            .get_ref()
            .iter()
            .enumerate()
            .filter_map(|(i, range)| {
                cx.ok(
                    range.span(),
                    &format!("{at}[{i}]"),
                    TimeRange::parse(range.get_ref()),
                )
            })
            .collect();
        cx.ok(ranges.span(), &at, hours.set_day(day, parsed));
    }
    (cx.problems.len() == before).then_some(hours)
}

fn closures(cx: &mut Checker, raws: &[Spanned<raw::Closure>], field: &str) -> Vec<Closure> {
    raws.iter()
        .enumerate()
        .filter_map(|(i, raw)| closure(cx, raw, &format!("{field}[{i}]")))
        .collect()
}

fn closure(cx: &mut Checker, raw: &Spanned<raw::Closure>, at: &str) -> Option<Closure> {
    let closure = raw.get_ref();
    let first = date(cx, &closure.from, &format!("{at}.from"));
    let last = match &closure.to {
        Some(to) => date(cx, to, &format!("{at}.to")),
        None => first,
    };
    let reason = closure.reason.get_ref().trim().to_owned();
    cx.ok(raw.span(), at, Closure::new(first?, last?, reason))
}

/// A TOML local date (`2026-12-24`) or the same written as a string.
fn date(cx: &mut Checker, raw: &Spanned<toml::Value>, field: &str) -> Option<NaiveDate> {
    let parsed = match raw.get_ref() {
        toml::Value::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => {
                NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
            }
            _ => None,
        },
        toml::Value::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
        _ => None,
    };
    let result = parsed.ok_or_else(|| {
        format!(
            "{} is not a date: write a day like 2026-12-24, without a time",
            raw.get_ref()
        )
    });
    cx.ok(raw.span(), field, result)
}

fn all_service_hours(
    cx: &mut Checker,
    raws: &[Spanned<raw::ServiceHours>],
    site: &mut Site,
    names: &FileNames,
) -> Vec<ServiceHoursSpec> {
    let mut seen = HashMap::new();
    let mut out = Vec::new();
    for (i, raw) in raws.iter().enumerate() {
        let raw = raw.get_ref();
        let at = site.field(&format!("service_hours[{i}]"));
        let service_field = format!("{at}.service");
        cx.unique(
            &mut seen,
            raw.service.get_ref(),
            raw.service.span(),
            &service_field,
            "service hours for",
        );
        let service = site.offered(cx, &raw.service, &service_field, names);
        let hours_field = format!("{at}.hours");
        let hours = weekly_hours(cx, &raw.hours, &hours_field);
        if let (Some(service), Some(hours)) = (service, hours) {
            check_within_opening(cx, &raw.hours, &hours_field, &hours, site);
            site.service_hours
                .insert(service.as_str().to_owned(), hours.clone());
            out.push(ServiceHoursSpec { service, hours });
        }
    }
    out
}

/// A unit's own hours are shorter hours inside the location's, never outside them.
fn check_within_opening(
    cx: &mut Checker,
    raw: &raw::Hours,
    field: &str,
    hours: &WeeklyHours,
    site: &Site,
) {
    let Some(opening) = &site.opening else {
        return;
    };
    for (day, range) in hours.iter() {
        if !covers(opening, day, range) {
            let key = WEEKDAY_KEYS[day.num_days_from_monday() as usize];
            let span = raw.get_ref().get(key).map_or(raw.span(), |r| r.span());
            cx.report(
                span,
                &format!("{field}.{key}"),
                format!(
                    "{range} on {key} is outside the opening hours of '{}' ({})",
                    site.slug,
                    describe_day(opening, day)
                ),
            );
        }
    }
}

/// Whether one of the day's ranges holds all of `range`.
fn covers(hours: &WeeklyHours, day: Weekday, range: TimeRange) -> bool {
    hours
        .day(day)
        .iter()
        .any(|open| open.start <= range.start && range.end <= open.end)
}

fn describe_day(hours: &WeeklyHours, day: Weekday) -> String {
    let key = WEEKDAY_KEYS[day.num_days_from_monday() as usize];
    let ranges: Vec<String> = hours.day(day).iter().map(ToString::to_string).collect();
    if ranges.is_empty() {
        format!("closed on {key}")
    } else {
        format!("{key} {}", ranges.join(", "))
    }
}

fn desks(
    cx: &mut Checker,
    raws: &[Spanned<raw::Desk>],
    site: &mut Site,
    names: &FileNames,
) -> Vec<DeskSpec> {
    let mut seen = HashMap::new();
    let mut out = Vec::new();
    for (i, raw) in raws.iter().enumerate() {
        let raw = raw.get_ref();
        let at = site.field(&format!("desks[{i}]"));
        let name_field = format!("{at}.name");
        // Staff and call displays tell desks apart by name alone.
        cx.unique(
            &mut seen,
            raw.name.get_ref().trim(),
            raw.name.span(),
            &name_field,
            "desk name",
        );
        let name = cx.text(&raw.name, &name_field);
        let kind = cx.choice_or(raw.kind.as_ref(), DeskKind::Counter, &format!("{at}.kind"));
        let before = cx.problems.len();
        let services = site.offered_list(cx, &raw.services, &format!("{at}.services"), names);
        match (name, kind, cx.problems.len() == before) {
            (Some(name), Some(kind), true) => out.push(DeskSpec {
                name,
                kind,
                services,
            }),
            _ => site.desks_complete = false,
        }
    }
    out
}

fn capacity_rules(
    cx: &mut Checker,
    raws: &[Spanned<raw::Capacity>],
    site: &Site,
    names: &FileNames,
    services: &HashMap<&str, &ServiceSpec>,
) -> Vec<CapacityRuleSpec> {
    raws.iter()
        .enumerate()
        .filter_map(|(i, raw)| {
            let at = site.field(&format!("capacity[{i}]"));
            let rule = capacity_rule(cx, raw.get_ref(), &at, site, names)?;
            check_capacity(cx, raw.get_ref(), &at, &rule, site, services);
            Some(rule)
        })
        .collect()
}

fn capacity_rule(
    cx: &mut Checker,
    raw: &raw::Capacity,
    at: &str,
    site: &Site,
    names: &FileNames,
) -> Option<CapacityRuleSpec> {
    let field = |key: &str| format!("{at}.{key}");
    let weekdays = weekdays(cx, &raw.days, &field("days"));
    let from = cx.ok(
        raw.from.span(),
        &field("from"),
        parse_clock(raw.from.get_ref()),
    );
    let to = cx.ok(raw.to.span(), &field("to"), parse_clock(raw.to.get_ref()));
    let range = match (from, to) {
        (Some(from), Some(to)) => cx.ok(raw.to.span(), &field("to"), TimeRange::new(from, to)),
        _ => None,
    };
    let desks = cx.ok(
        raw.desks.span(),
        &field("desks"),
        match *raw.desks.get_ref() {
            0 => Err("must be at least 1: a rule with no desks gives no times to book".into()),
            n => Ok(n),
        },
    );
    let desk_kind = cx.choice_or(raw.kind.as_ref(), DeskKind::Counter, &field("kind"));
    let before = cx.problems.len();
    let services = site.offered_list(cx, &raw.services, &field("services"), names);
    (cx.problems.len() == before).then_some(())?;
    Some(CapacityRuleSpec {
        weekdays: weekdays?,
        range: range?,
        desks: desks?,
        desk_kind: desk_kind?,
        services,
    })
}

fn weekdays(cx: &mut Checker, raw: &raw::List, field: &str) -> Option<BTreeSet<WeekdayKey>> {
    if raw.get_ref().is_empty() {
        cx.report(
            raw.span(),
            field,
            "must name at least one weekday (mon … sun)",
        );
        return None;
    }
    let before = cx.problems.len();
    let days: BTreeSet<WeekdayKey> = raw
        .get_ref()
        .iter()
        .enumerate()
        .filter_map(|(i, day)| {
            cx.ok(
                day.span(),
                &format!("{field}[{i}]"),
                parse_weekday(day.get_ref()),
            )
        })
        .map(WeekdayKey::from)
        .collect();
    (cx.problems.len() == before).then_some(days)
}

/// What a well-formed rule must also agree with: the services' booking policy and hours,
/// and the desks that the location has.
fn check_capacity(
    cx: &mut Checker,
    raw: &raw::Capacity,
    at: &str,
    rule: &CapacityRuleSpec,
    site: &Site,
    services: &HashMap<&str, &ServiceSpec>,
) {
    for (i, slug) in rule.services.iter().enumerate() {
        let field = format!("{at}.services[{i}]");
        let walk_in = services
            .get(slug.as_str())
            .is_some_and(|s| s.booking == BookingPolicy::WalkInOnly);
        if walk_in {
            cx.report(
                raw.services.get_ref()[i].span(),
                &field,
                format!(
                    "'{slug}' is walk-in only, so it takes no appointments; remove it from \
                     this rule or change its booking"
                ),
            );
        }
        check_capacity_hours(cx, raw, at, rule, site, slug);
    }
    if site.desks_complete {
        check_capacity_desks(cx, raw, at, rule, site);
    }
}

/// Bookable times must fall when the service is open here.
fn check_capacity_hours(
    cx: &mut Checker,
    raw: &raw::Capacity,
    at: &str,
    rule: &CapacityRuleSpec,
    site: &Site,
    service: &Slug,
) {
    let Some(hours) = site.hours_of(service.as_str()) else {
        return;
    };
    let outside = rule
        .weekdays
        .iter()
        .map(|key| key.weekday())
        .find(|day| !covers(hours, *day, rule.range));
    if let Some(day) = outside {
        let key = WEEKDAY_KEYS[day.num_days_from_monday() as usize];
        cx.report(
            raw.from.span(),
            at,
            format!(
                "{} on {key} is outside the hours of '{service}' at '{}' ({})",
                rule.range,
                site.slug,
                describe_day(hours, day)
            ),
        );
    }
}

/// A rule cannot promise more desks of its kind than there are to serve its services.
fn check_capacity_desks(
    cx: &mut Checker,
    raw: &raw::Capacity,
    at: &str,
    rule: &CapacityRuleSpec,
    site: &Site,
) {
    let serving = site
        .desks
        .iter()
        .filter(|d| d.kind == rule.desk_kind)
        .filter(|d| d.services.iter().any(|s| rule.services.contains(s)))
        .count();
    if rule.desks as usize > serving {
        let services: Vec<&str> = rule.services.iter().map(Slug::as_str).collect();
        cx.report(
            raw.desks.span(),
            &format!("{at}.desks"),
            format!(
                "asks for {} {} desks, but '{}' has only {serving} {} desks that serve {}",
                rule.desks,
                rule.desk_kind,
                site.slug,
                rule.desk_kind,
                services.join(" or ")
            ),
        );
    }
}

/// Ticket numbers restart per queue letter and day at a location: two errands offered at
/// the same location with the same letter would hand out the same number twice.
fn check_queue_prefixes(
    cx: &mut Checker,
    raw: &raw::List,
    site: &Site,
    services: &HashMap<&str, &ServiceSpec>,
) {
    let mut first_with: HashMap<char, &str> = HashMap::new();
    for (i, entry) in raw.get_ref().iter().enumerate() {
        let Some(service) = services.get(entry.get_ref().as_str()) else {
            continue;
        };
        if !site.offered.contains(service.slug.as_str()) {
            continue;
        }
        match first_with.get(&service.queue_prefix) {
            Some(other) if *other != service.slug.as_str() => cx.report(
                entry.span(),
                &site.field(&format!("services[{i}]")),
                format!(
                    "'{}' and '{other}' are both offered here with queue prefix '{}', so their \
                     ticket numbers would collide; give one of them another queue_prefix",
                    service.slug, service.queue_prefix
                ),
            ),
            Some(_) => {}
            None => {
                first_with.insert(service.queue_prefix, service.slug.as_str());
            }
        }
    }
}

/// An in-person queue that no desk serves would hand out tickets that are never called.
fn check_queues_have_desks(
    cx: &mut Checker,
    raw: &raw::List,
    site: &Site,
    services: &HashMap<&str, &ServiceSpec>,
) {
    if !site.desks_complete {
        return;
    }
    for (i, entry) in raw.get_ref().iter().enumerate() {
        let Some(service) = services.get(entry.get_ref().as_str()) else {
            continue;
        };
        let served = site
            .desks
            .iter()
            .any(|d| d.services.contains(&service.slug));
        if service.channel == Channel::InPerson && !served {
            cx.report(
                entry.span(),
                &site.field(&format!("services[{i}]")),
                format!(
                    "'{}' is offered in person at '{}', but no desk there serves it, so its \
                     tickets could never be called; add it to a desk's services",
                    service.slug, site.slug
                ),
            );
        }
    }
}

fn staff(cx: &mut Checker, raws: &[Spanned<raw::Staff>], names: &FileNames) -> Vec<StaffSpec> {
    let mut seen = HashMap::new();
    let mut out = Vec::new();
    for (i, raw) in raws.iter().enumerate() {
        let raw = raw.get_ref();
        let at = format!("staff[{i}]");
        // Sign-in should not depend on how a name was capitalised.
        cx.unique(
            &mut seen,
            &raw.username.get_ref().to_lowercase(),
            raw.username.span(),
            &format!("{at}.username"),
            "username",
        );
        out.extend(staff_member(cx, &at, raw, names));
    }
    out
}

fn staff_member(
    cx: &mut Checker,
    at: &str,
    raw: &raw::Staff,
    names: &FileNames,
) -> Option<StaffSpec> {
    let field = |key: &str| format!("{at}.{key}");
    let username = cx.ok(
        raw.username.span(),
        &field("username"),
        parse_username(raw.username.get_ref()),
    );
    let display_name = cx.text(&raw.name, &field("name"));
    let roles = roles(cx, &raw.roles, &field("roles"));
    let locations = cx.references(&raw.locations, &field("locations"), &names.locations);
    let services = cx.references(&raw.services, &field("services"), &names.services);
    let home_location = match &raw.home_location {
        None => Some(None),
        Some(home) => home_location(cx, home, &field("home_location"), raw, names).map(Some),
    };
    let password_hash = match &raw.password_hash {
        None => Some(None),
        Some(hash) => cx
            .ok(
                hash.span(),
                &field("password_hash"),
                argon2_hash(hash.get_ref()),
            )
            .map(Some),
    };
    Some(StaffSpec {
        username: username?,
        display_name: display_name?,
        roles: roles?,
        home_location: home_location?,
        locations,
        services,
        password_hash: password_hash?,
    })
}

fn roles(cx: &mut Checker, raw: &raw::List, field: &str) -> Option<BTreeSet<Role>> {
    if raw.get_ref().is_empty() {
        cx.report(
            raw.span(),
            field,
            "must name at least one role (admin, planner, staff)",
        );
        return None;
    }
    let before = cx.problems.len();
    let roles: BTreeSet<Role> = raw
        .get_ref()
        .iter()
        .enumerate()
        .filter_map(|(i, role)| cx.choice::<Role>(role, &format!("{field}[{i}]")))
        .collect();
    (cx.problems.len() == before).then_some(roles)
}

/// The home location must also be one of the person's locations: adding it silently would
/// hide a typo in one of the two lists.
fn home_location(
    cx: &mut Checker,
    raw: &Text,
    field: &str,
    staff: &raw::Staff,
    names: &FileNames,
) -> Option<Slug> {
    let home = cx.reference(raw, field, &names.locations)?;
    if staff.locations.iter().any(|l| l.get_ref() == home.as_str()) {
        return Some(home);
    }
    let listed: Vec<&str> = staff
        .locations
        .iter()
        .map(|l| l.get_ref().as_str())
        .collect();
    cx.report(
        raw.span(),
        field,
        format!(
            "'{home}' is not among this person's locations ([{}]); add it to locations too",
            listed.join(", ")
        ),
    );
    None
}

/// Only a hash belongs in a file; a plain password here would be readable by anyone with the file.
fn argon2_hash(raw: &str) -> Result<String, String> {
    if raw.starts_with("$argon2") {
        Ok(raw.to_owned())
    } else {
        Err(
            "is not an argon2 hash (a string starting with $argon2id$); never put a plain \
             password in a file, leave password_hash out instead"
                .to_owned(),
        )
    }
}

/// A required booking with no capacity anywhere could never be booked, nor served at the door.
fn check_required_bookings(cx: &mut Checker, file: &raw::File) {
    let with_capacity: HashSet<&str> = file
        .locations
        .iter()
        .flat_map(|l| &l.get_ref().capacity)
        .flat_map(|rule| rule.get_ref().services.get_ref())
        .map(|s| s.get_ref().as_str())
        .collect();
    for (i, raw) in file.services.iter().enumerate() {
        let raw = raw.get_ref();
        let required =
            parse_choice::<BookingPolicy>(raw.booking.get_ref()) == Ok(BookingPolicy::Required);
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

/// The dotted path of what toml complained about. toml reports a byte offset, not a key
/// path, so this reads the file: the last table header before the offset gives the table
/// (counting `[[array]]` headers for the index) and the line gives the key.
fn toml_error_field(text: &str, offset: Option<usize>, message: &str) -> String {
    let offset = offset.unwrap_or(0).min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let table = table_path(&text[..line_end]);
    let key = missing_field(message).or_else(|| key_on_line(&text[line_start..line_end]));
    match (table.is_empty(), key) {
        (true, Some(key)) => key.to_owned(),
        (false, Some(key)) => format!("{table}.{key}"),
        (true, None) => "(top level)".to_owned(),
        (false, None) => table,
    }
}

/// The path of the table that the end of `text` is in, e.g. `locations[1].desks[0]`.
fn table_path(text: &str) -> String {
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut current = String::new();
    for line in text.lines() {
        let Some((is_array, name)) = table_header(line) else {
            continue;
        };
        if is_array {
            *counts.entry(name.clone()).or_default() += 1;
            // A new parent starts its nested arrays afresh.
            let nested = format!("{name}.");
            counts.retain(|k, _| !k.starts_with(&nested));
        }
        current = name
            .split('.')
            .scan(String::new(), |prefix, segment| {
                if !prefix.is_empty() {
                    prefix.push('.');
                }
                prefix.push_str(segment);
                Some(match counts.get(prefix.as_str()) {
                    Some(n) => format!("{segment}[{}]", n - 1),
                    None => segment.to_owned(),
                })
            })
            .collect::<Vec<_>>()
            .join(".");
    }
    current
}

/// `[[locations.desks]]` → `(true, "locations.desks")`; `[organisation]` → `(false, …)`.
fn table_header(line: &str) -> Option<(bool, String)> {
    let line = line.trim_start();
    let (is_array, rest) = match line.strip_prefix("[[") {
        Some(rest) => (true, rest),
        None => (false, line.strip_prefix('[')?),
    };
    let name = &rest[..rest.find(']')?];
    let segments: Vec<&str> = name
        .split('.')
        .map(|s| s.trim().trim_matches('"'))
        .collect();
    Some((is_array, segments.join(".")))
}

/// The key of a `key = value` line.
fn key_on_line(line: &str) -> Option<&str> {
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    bare.then_some(key)
}

fn missing_field(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.split('`').next()
}

/// toml's message on one line, in the words of the file rather than of Rust.
fn humane_toml_message(message: &str) -> String {
    message
        .trim()
        .replace('\n', "; ")
        .replace("expected u32", "expected a whole number, 0 or more")
        .replace("expected i32", "expected a whole number")
        .replace("expected a sequence", "expected a list like [\"a\", \"b\"]")
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "test.toml";

    /// A small valid file that each test breaks in one place.
    const BASE: &str = r#"
[organisation]
slug = "testby"
name = "Testby Kommune"

[[departments]]
slug = "borgerservice"
name = "Borgerservice"

[[departments]]
slug = "byggeri"
name = "Byggeri"

[[services]]
slug = "pas"
name_da = "Pas"
name_en = "Passport"
department = "borgerservice"
duration_minutes = 15
channel = "in_person"
booking = "required"
queue_prefix = "P"
self_service_url = "https://www.borger.dk/"

[[services]]
slug = "vejledning"
name_da = "Vejledning"
name_en = "Guidance"
department = "borgerservice"
duration_minutes = 10
channel = "in_person"
booking = "walk_in_only"
queue_prefix = "V"

[[services]]
slug = "byggesag"
name_da = "Byggesag"
name_en = "Building permit"
department = "byggeri"
duration_minutes = 30
channel = "in_person"
booking = "optional"
queue_prefix = "B"

[[locations]]
slug = "raadhuset"
name = "Rådhuset"
address = "Torvet 1, 9999 Testby"
timezone = "Europe/Copenhagen"
services = ["pas", "vejledning"]
opening_hours = { mon = ["10:00-14:30"], thu = ["10:00-12:00", "13:00-17:00"] }

[[locations.closures]]
from = 2026-12-24
to = 2026-12-26
reason = "Jul"

[[locations.desks]]
name = "Skranke 1"
services = ["pas", "vejledning"]

[[locations.capacity]]
days = ["mon", "thu"]
from = "10:00"
to = "12:00"
desks = 1
services = ["pas"]

[[locations]]
slug = "byggeriet"
name = "Byggeriet"
address = "Torvet 3, 9999 Testby"
timezone = "Europe/Copenhagen"
services = ["byggesag"]
opening_hours = { tue = ["09:00-15:00"] }

[[locations.service_hours]]
service = "byggesag"
hours = { tue = ["10:00-12:00"] }

[[locations.desks]]
name = "Byggeri 1"
services = ["byggesag"]

[[staff]]
username = "anna"
name = "Anna Jensen"
roles = ["staff"]
home_location = "raadhuset"
locations = ["raadhuset"]
services = ["pas"]
password_hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"
"#;

    /// `BASE` with `old`, which must occur exactly once, replaced by `new`.
    fn edit(old: &str, new: &str) -> String {
        edit_in(BASE, old, new)
    }

    fn edit_in(text: &str, old: &str, new: &str) -> String {
        assert_eq!(text.matches(old).count(), 1, "{old:?} must occur once");
        text.replacen(old, new, 1)
    }

    /// The 1-based line where `needle`, which must occur once, starts.
    fn line_of(text: &str, needle: &str) -> usize {
        assert_eq!(
            text.matches(needle).count(),
            1,
            "{needle:?} must occur once"
        );
        let offset = text.find(needle).unwrap();
        text[..offset].matches('\n').count() + 1
    }

    fn problems(text: &str) -> String {
        parse_organisation(FILE, text)
            .expect_err("the file should be refused")
            .to_string()
    }

    /// Asserts a problem `{file}:{line}: {field}: …` whose message contains `words`, where
    /// the line is the one holding `at`.
    fn assert_problem(text: &str, at: &str, field: &str, words: &str) {
        let all = problems(text);
        let prefix = format!("{FILE}:{}: {field}: ", line_of(text, at));
        assert!(
            all.lines()
                .any(|l| l.starts_with(&prefix) && l.contains(words)),
            "no problem starting {prefix:?} and containing {words:?} in:\n{all}"
        );
    }

    #[test]
    fn the_base_file_is_valid() {
        let spec = parse_organisation(FILE, BASE).unwrap();
        assert_eq!(spec.services.len(), 3);
        assert_eq!(spec.services[0].book_ahead_days, DEFAULT_BOOK_AHEAD_DAYS);
        assert_eq!(spec.locations[0].closures[0].reason, "Jul");
        assert_eq!(spec.locations[0].capacity[0].weekdays.len(), 2);
        assert_eq!(
            spec.locations[1].service_hours[0].service.as_str(),
            "byggesag"
        );
        assert_eq!(
            spec.staff[0].home_location.as_ref().unwrap().as_str(),
            "raadhuset"
        );
    }

    #[test]
    fn unknown_time_zone() {
        let text = edit(
            "timezone = \"Europe/Copenhagen\"\nservices = [\"pas\"",
            "timezone = \"Europe/Taastrup\"\nservices = [\"pas\"",
        );
        assert_problem(
            &text,
            "Europe/Taastrup",
            "locations[0].timezone",
            "not an IANA time zone",
        );
    }

    #[test]
    fn overlapping_opening_hours() {
        let text = edit("\"13:00-17:00\"", "\"11:30-17:00\"");
        assert_problem(
            &text,
            "11:30-17:00",
            "locations[0].opening_hours.thu",
            "overlap on thu",
        );
    }

    #[test]
    fn bad_time_ranges_and_weekdays() {
        let text = edit(
            "{ tue = [\"09:00-15:00\"] }",
            "{ tirsdag = [\"09:00-15:00\"] }",
        );
        assert_problem(
            &text,
            "tirsdag",
            "locations[1].opening_hours.tirsdag",
            "not a weekday",
        );
        let text = edit("{ tue = [\"09:00-15:00\"] }", "{ tue = [\"15:00-09:00\"] }");
        assert_problem(
            &text,
            "15:00-09:00",
            "locations[1].opening_hours.tue[0]",
            "must end after",
        );
        let text = edit("{ tue = [\"09:00-15:00\"] }", "{}");
        assert_problem(
            &text,
            "opening_hours = {}",
            "locations[1].opening_hours",
            "never open",
        );
    }

    #[test]
    fn desk_naming_an_unknown_service() {
        let text = edit(
            "services = [\"pas\", \"vejledning\"]\n\n[[locations.capacity]]",
            "services = [\"pas\", \"pasfoto\"]\n\n[[locations.capacity]]",
        );
        assert_problem(
            &text,
            "\"pasfoto\"",
            "locations[0].desks[0].services[1]",
            "there is no service 'pasfoto'",
        );
    }

    #[test]
    fn desk_serving_a_service_not_offered_at_its_location() {
        let text = edit(
            "services = [\"pas\", \"vejledning\"]\n\n[[locations.capacity]]",
            "services = [\"pas\", \"vejledning\", \"byggesag\"]\n\n[[locations.capacity]]",
        );
        assert_problem(
            &text,
            "\"vejledning\", \"byggesag\"]",
            "locations[0].desks[0].services[2]",
            "'byggesag' is not offered at 'raadhuset'",
        );
    }

    #[test]
    fn duplicate_slugs_usernames_and_desk_names() {
        let text = edit("slug = \"byggeri\"", "slug = \"borgerservice\"");
        assert_problem(
            &text,
            "slug = \"borgerservice\"\nname = \"Byggeri\"",
            "departments[1].slug",
            "used twice",
        );

        let text = edit("slug = \"byggesag\"", "slug = \"vejledning\"");
        let line = line_of(BASE, "slug = \"byggesag\"");
        assert!(problems(&text).contains(&format!(
            "{FILE}:{line}: services[2].slug: service slug 'vejledning' is used twice"
        )));

        let text = edit("slug = \"byggeriet\"", "slug = \"raadhuset\"");
        let line = line_of(BASE, "slug = \"byggeriet\"");
        let expected = format!(
            "{FILE}:{line}: locations[1].slug: location slug 'raadhuset' is used twice: \
             it is already on line"
        );
        assert!(problems(&text).contains(&expected));

        let text = format!(
            "{BASE}\n[[staff]]\nusername = \"Anna\"\nname = \"Anna Hansen\"\nroles = [\"staff\"]\n"
        );
        assert_problem(
            &text,
            "username = \"Anna\"",
            "staff[1].username",
            "username 'anna' is used twice",
        );

        let second_desk = "[[locations.desks]]\nname = \"Skranke 1 \"\nservices = [\"pas\"]\n\n";
        let text = edit(
            "[[locations.capacity]]",
            &format!("{second_desk}[[locations.capacity]]"),
        );
        assert_problem(
            &text,
            "name = \"Skranke 1 \"",
            "locations[0].desks[1].name",
            "desk name 'Skranke 1' is used twice",
        );
    }

    #[test]
    fn service_naming_an_unknown_department() {
        let text = edit("department = \"byggeri\"", "department = \"teknik\"");
        assert_problem(
            &text,
            "department = \"teknik\"",
            "services[2].department",
            "there is no department 'teknik'; the file defines borgerservice, byggeri",
        );
    }

    #[test]
    fn location_offering_an_unknown_service() {
        let text = edit(
            "services = [\"byggesag\"]\nopening",
            "services = [\"byggesager\"]\nopening",
        );
        assert_problem(
            &text,
            "\"byggesager\"",
            "locations[1].services[0]",
            "there is no service 'byggesager'",
        );
    }

    #[test]
    fn capacity_rule_with_an_unknown_service_or_no_desks() {
        let text = edit(
            "desks = 1\nservices = [\"pas\"]",
            "desks = 1\nservices = [\"pas\", \"kørekort\"]",
        );
        assert_problem(
            &text,
            "kørekort",
            "locations[0].capacity[0].services[1]",
            "there is no service 'kørekort'",
        );
        let text = edit("desks = 1", "desks = 0");
        assert_problem(
            &text,
            "desks = 0",
            "locations[0].capacity[0].desks",
            "must be at least 1",
        );
        let text = edit("desks = 1", "desks = 2");
        assert_problem(
            &text,
            "desks = 2",
            "locations[0].capacity[0].desks",
            "has only 1 counter desks that serve pas",
        );
    }

    #[test]
    fn capacity_outside_the_hours_or_for_walk_ins() {
        let text = edit("days = [\"mon\", \"thu\"]", "days = [\"mon\", \"fri\"]");
        assert_problem(
            &text,
            "from = \"10:00\"",
            "locations[0].capacity[0]",
            "10:00-12:00 on fri is outside the hours of 'pas' at 'raadhuset' (closed on fri)",
        );
        let text = edit(
            "desks = 1\nservices = [\"pas\"]",
            "desks = 1\nservices = [\"vejledning\"]",
        );
        assert_problem(
            &text,
            "services = [\"vejledning\"]\n",
            "locations[0].capacity[0].services[0]",
            "walk-in only",
        );
    }

    #[test]
    fn bad_slugs() {
        let text = edit("slug = \"testby\"", "slug = \"Testby\"");
        assert_problem(
            &text,
            "slug = \"Testby\"",
            "organisation.slug",
            "may only contain a-z",
        );
        let text = edit("slug = \"raadhuset\"", "slug = \"rådhuset\"");
        assert_problem(
            &text,
            "slug = \"rådhuset\"",
            "locations[0].slug",
            "may only contain a-z",
        );
    }

    #[test]
    fn bad_enum_values() {
        let text = edit("booking = \"optional\"", "booking = \"mandatory\"");
        assert_problem(
            &text,
            "mandatory",
            "services[2].booking",
            "'mandatory' is not one of required, optional, walk_in_only",
        );
        let text = edit(
            "channel = \"in_person\"\nbooking = \"walk_in_only\"",
            "channel = \"chat\"\nbooking = \"walk_in_only\"",
        );
        assert_problem(
            &text,
            "\"chat\"",
            "services[1].channel",
            "is not one of in_person, phone, video",
        );
        let text = edit(
            "name = \"Byggeri 1\"",
            "name = \"Byggeri 1\"\nkind = \"pc\"",
        );
        assert_problem(
            &text,
            "kind = \"pc\"",
            "locations[1].desks[0].kind",
            "is not one of counter, resource",
        );
    }

    #[test]
    fn bad_queue_prefix() {
        let text = edit("queue_prefix = \"V\"", "queue_prefix = \"Vj\"");
        assert_problem(
            &text,
            "\"Vj\"",
            "services[1].queue_prefix",
            "not a single capital letter",
        );
    }

    #[test]
    fn duplicate_queue_prefix_at_one_location() {
        let text = edit("queue_prefix = \"V\"", "queue_prefix = \"P\"");
        assert_problem(
            &text,
            "services = [\"pas\", \"vejledning\"]\nopening",
            "locations[0].services[1]",
            "'vejledning' and 'pas' are both offered here with queue prefix 'P'",
        );
        // The same letter at different locations is fine: numbers restart per location.
        let text = edit("queue_prefix = \"B\"", "queue_prefix = \"P\"");
        assert!(parse_organisation(FILE, &text).is_ok());
    }

    #[test]
    fn service_hours_for_a_service_not_offered_there_or_outside_opening() {
        let text = edit("service = \"byggesag\"", "service = \"pas\"");
        assert_problem(
            &text,
            "service = \"pas\"",
            "locations[1].service_hours[0].service",
            "'pas' is not offered at 'byggeriet'",
        );
        let text = edit(
            "hours = { tue = [\"10:00-12:00\"] }",
            "hours = { tue = [\"14:00-16:00\"] }",
        );
        assert_problem(
            &text,
            "14:00-16:00",
            "locations[1].service_hours[0].hours.tue",
            "outside the opening hours of 'byggeriet' (tue 09:00-15:00)",
        );
    }

    #[test]
    fn staff_with_unknown_role_location_or_service() {
        let text = edit("roles = [\"staff\"]", "roles = [\"staff\", \"boss\"]");
        assert_problem(
            &text,
            "\"boss\"",
            "staff[0].roles[1]",
            "'boss' is not one of admin, planner, staff",
        );
        let text = edit(
            "locations = [\"raadhuset\"]",
            "locations = [\"raadhuset\", \"nuuk\"]",
        );
        assert_problem(
            &text,
            "\"nuuk\"",
            "staff[0].locations[1]",
            "there is no location 'nuuk'",
        );
        let text = edit(
            "services = [\"pas\"]\npassword_hash",
            "services = [\"pas\", \"sundhedskort\"]\npassword_hash",
        );
        assert_problem(
            &text,
            "\"sundhedskort\"",
            "staff[0].services[1]",
            "there is no service 'sundhedskort'",
        );
    }

    #[test]
    fn home_location_must_be_among_the_locations() {
        let text = edit(
            "home_location = \"raadhuset\"",
            "home_location = \"byggeriet\"",
        );
        assert_problem(
            &text,
            "home_location",
            "staff[0].home_location",
            "'byggeriet' is not among this person's locations ([raadhuset])",
        );
    }

    #[test]
    fn required_booking_needs_capacity_somewhere() {
        let text = edit(
            "desks = 1\nservices = [\"pas\"]",
            "desks = 1\nservices = [\"byggesag\"]",
        );
        let text = edit_in(
            &text,
            "services = [\"pas\", \"vejledning\"]\nopening",
            "services = [\"pas\", \"vejledning\", \"byggesag\"]\nopening",
        );
        let text = edit_in(
            &text,
            "services = [\"pas\", \"vejledning\"]\n\n",
            "services = [\"pas\", \"vejledning\", \"byggesag\"]\n\n",
        );
        assert_problem(
            &text,
            "booking = \"required\"",
            "services[0].booking",
            "booking is required for 'pas', but no [[locations.capacity]] rule names it",
        );
    }

    #[test]
    fn self_service_url_must_be_a_web_address() {
        let text = edit("https://www.borger.dk/", "ftp://borger.dk/");
        assert_problem(
            &text,
            "ftp://",
            "services[0].self_service_url",
            "must be an http or https address",
        );
        let text = edit("https://www.borger.dk/", "borger.dk");
        assert_problem(
            &text,
            "borger.dk\"",
            "services[0].self_service_url",
            "is not a web address",
        );
    }

    #[test]
    fn durations_between_one_minute_and_eight_hours() {
        let text = edit("duration_minutes = 10", "duration_minutes = 0");
        assert_problem(
            &text,
            "duration_minutes = 0",
            "services[1].duration_minutes",
            "must be between 1 and 480 minutes, got 0",
        );
        let text = edit("duration_minutes = 30", "duration_minutes = 481");
        assert_problem(
            &text,
            "duration_minutes = 481",
            "services[2].duration_minutes",
            "got 481",
        );
        let text = edit(
            "duration_minutes = 30",
            "duration_minutes = 30\nbuffer_minutes = 500",
        );
        assert_problem(
            &text,
            "buffer_minutes",
            "services[2].buffer_minutes",
            "between 0 and 480 minutes",
        );
    }

    #[test]
    fn password_hash_must_be_argon2() {
        let text = edit(
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
            "hemmelig123",
        );
        assert_problem(
            &text,
            "hemmelig123",
            "staff[0].password_hash",
            "never put a plain password in a file",
        );
    }

    #[test]
    fn dates_are_toml_dates_or_the_same_as_strings() {
        let quoted = edit("to = 2026-12-26", "to = \"2026-12-26\"");
        let spec = parse_organisation(FILE, &quoted).unwrap();
        assert_eq!(spec, parse_organisation(FILE, BASE).unwrap());

        let one_day = edit("to = 2026-12-26\n", "");
        let closure = &parse_organisation(FILE, &one_day).unwrap().locations[0].closures[0];
        assert_eq!(closure.first, closure.last);

        let text = edit("to = 2026-12-26", "to = 2026-12-26T12:00:00");
        assert_problem(
            &text,
            "to = 2026",
            "locations[0].closures[0].to",
            "without a time",
        );
        let text = edit("to = 2026-12-26", "to = 2026-12-20");
        assert_problem(
            &text,
            "[[locations.closures]]",
            "locations[0].closures[0]",
            "ends 2026-12-20 before it starts 2026-12-24",
        );
    }

    #[test]
    fn toml_errors_name_line_and_field() {
        let text = edit(
            "name = \"Byggeri 1\"",
            "name = \"Byggeri 1\"\ncolour = \"blue\"",
        );
        assert_problem(
            &text,
            "colour",
            "locations[1].desks[0].colour",
            "unknown field `colour`",
        );
        let text = edit("duration_minutes = 30", "duration_minutes = \"30\"");
        assert_problem(
            &text,
            "duration_minutes = \"30\"",
            "services[2].duration_minutes",
            "expected a whole number",
        );
        let text = edit("reason = \"Jul\"\n", "");
        assert_problem(
            &text,
            "[[locations.closures]]",
            "locations[0].closures[0].reason",
            "missing field `reason`",
        );
        let text = edit("[[staff]]", "[[staff]\n");
        assert_eq!(
            parse_organisation(FILE, &text).unwrap_err().problems.len(),
            1
        );
    }

    #[test]
    fn every_problem_is_reported_in_file_order() {
        let text = edit(
            "timezone = \"Europe/Copenhagen\"\nservices = [\"pas\"",
            "timezone = \"Mars/Olympus\"\nservices = [\"pas\"",
        );
        let text = edit_in(&text, "queue_prefix = \"V\"", "queue_prefix = \"v\"");
        let text = edit_in(&text, "roles = [\"staff\"]", "roles = [\"chef\"]");
        let errors = parse_organisation(FILE, &text).unwrap_err();
        let fields: Vec<&str> = errors.problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "services[1].queue_prefix",
                "locations[0].timezone",
                "staff[0].roles[0]"
            ]
        );
        assert_eq!(errors.to_string().lines().count(), 3);
    }

    #[test]
    fn problems_display_with_and_without_a_line() {
        let mut problem = ImportProblem {
            file: "org.toml".into(),
            line: Some(7),
            field: "services[0].slug".into(),
            message: "must not be empty".into(),
        };
        assert_eq!(
            problem.to_string(),
            "org.toml:7: services[0].slug: must not be empty"
        );
        problem.line = None;
        assert_eq!(
            problem.to_string(),
            "org.toml: services[0].slug: must not be empty"
        );
    }

    #[test]
    fn the_example_organisation_is_valid() {
        let text = include_str!("../examples/organisation.toml");
        let spec = match parse_organisation("examples/organisation.toml", text) {
            Ok(spec) => spec,
            Err(errors) => panic!("{errors}"),
        };
        assert!(spec.locations.len() >= 3);
        let nuuk = spec
            .locations
            .iter()
            .find(|l| l.timezone == chrono_tz::America::Nuuk);
        assert!(nuuk.is_some(), "a location in Nuuk");
        for policy in <BookingPolicy as strum::VariantArray>::VARIANTS {
            assert!(
                spec.services.iter().any(|s| s.booking == *policy),
                "{policy} is shown"
            );
        }
        assert!(
            spec.staff.iter().all(|s| s.password_hash.is_none()),
            "the demo sets passwords"
        );
        let admin = spec.staff.iter().find(|s| s.username == "admin").unwrap();
        assert!(admin.roles.contains(&Role::Admin) && admin.roles.contains(&Role::Planner));
    }
}
