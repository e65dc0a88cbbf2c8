//! The planner page's parts drawn from a roster: the charts, the figures, and the
//! roster table — who works which shift on each day at each place, and each person's
//! week against their contract — in the page's language and number format.

use std::collections::BTreeMap;

use minijinja::Value;
use serde::Serialize;

use crate::app::plan::TargetSpec;
use crate::app::rosters::{PlannerData, RosterView};
use crate::domain::booking::Language;
use crate::domain::organisation::Location;
use crate::messages;
use crate::messages::{number, percent};
use crate::report::plan_html::{legend, locations, svg_chart, ChartPoint};

#[derive(Debug, Serialize)]
pub struct Chart {
    pub name: String,
    pub svg: String,
}

/// One shift in the roster table.
#[derive(Debug, Serialize, PartialEq)]
pub struct ShiftRow {
    pub person: String,
    pub shift: String,
    pub hours: String,
}

/// One day at one place.
#[derive(Debug, Serialize, PartialEq)]
pub struct Day {
    pub day: String,
    pub shifts: Vec<ShiftRow>,
}

/// One place's week.
#[derive(Debug, Serialize, PartialEq)]
pub struct Place {
    pub name: String,
    pub days: Vec<Day>,
}

/// One person's week against their contract.
#[derive(Debug, Serialize, PartialEq)]
pub struct Week {
    pub person: String,
    pub planned: String,
    pub contract: String,
    pub over: bool,
}

fn place_name(all: &[Location], slug: &str) -> String {
    all.iter()
        .find(|l| l.slug.as_str() == slug)
        .map_or_else(|| slug.to_owned(), |l| l.name.clone())
}

/// A chart per location, named, drawn in `lang`.
pub fn charts(roster: &RosterView, all: &[Location], lang: Language) -> Vec<Chart> {
    let points: Vec<ChartPoint> = roster.intervals.iter().map(ChartPoint::from).collect();
    locations(&points)
        .into_iter()
        .map(|slug| {
            let name = place_name(all, slug.as_str());
            Chart {
                svg: svg_chart(&points, slug, &name, lang),
                name,
            }
        })
        .collect()
}

/// The figures over the roster's intervals: covered, target met, the gap, the shifts.
pub fn figures(roster: &RosterView, lang: Language) -> (String, String, String, usize) {
    let n = roster.intervals.len().max(1) as f64;
    let share = |count: usize| percent(count as f64 / n, lang);
    (
        share(
            roster
                .intervals
                .iter()
                .filter(|i| i.planned >= i.required)
                .count(),
        ),
        share(roster.intervals.iter().filter(|i| i.met).count()),
        percent(roster.gap, lang),
        roster.shifts.len(),
    )
}

/// Who works when: per place and day, each shift with its person and hours; `people`
/// maps usernames to names and contracted minutes per week.
pub fn table(
    roster: &RosterView,
    all: &[Location],
    people: &[(String, String, u32)],
    lang: Language,
) -> (Vec<Place>, Vec<Week>) {
    let name_of = |user: &str| {
        people
            .iter()
            .find(|(u, _, _)| u == user)
            .map_or_else(|| user.to_owned(), |(_, name, _)| name.clone())
    };
    let mut places: BTreeMap<(usize, String), BTreeMap<chrono::NaiveDate, Vec<ShiftRow>>> =
        BTreeMap::new();
    let mut minutes: BTreeMap<String, i64> = BTreeMap::new();
    let mut shifts = roster.shifts.clone();
    shifts.sort_by(|a, b| (a.start, &a.staff).cmp(&(b.start, &b.staff)));
    for s in &shifts {
        let length = (s.end - s.start).num_minutes();
        *minutes.entry(s.staff.clone()).or_default() += length;
        let order = roster
            .locations
            .iter()
            .position(|l| l == &s.location)
            .unwrap_or(usize::MAX);
        places
            .entry((order, s.location.to_string()))
            .or_default()
            .entry(s.start.date_naive())
            .or_default()
            .push(ShiftRow {
                person: name_of(&s.staff),
                shift: format!("{}–{}", s.start.format("%H:%M"), s.end.format("%H:%M")),
                hours: number(length as f64 / 60.0, lang),
            });
    }
    let places = places
        .into_iter()
        .map(|((_, slug), days)| Place {
            name: place_name(all, &slug),
            days: days
                .into_iter()
                .map(|(date, shifts)| Day {
                    day: messages::day(lang, date),
                    shifts,
                })
                .collect(),
        })
        .collect();
    let weeks = minutes
        .into_iter()
        .map(|(user, planned)| {
            let contract = people
                .iter()
                .find(|(u, _, _)| *u == user)
                .map_or(0, |(_, _, m)| i64::from(*m));
            Week {
                person: name_of(&user),
                planned: number(planned as f64 / 60.0, lang),
                contract: number(contract as f64 / 60.0, lang),
                over: planned > contract,
            }
        })
        .collect();
    (places, weeks)
}

#[derive(Debug, Serialize)]
struct LocationChoice {
    slug: String,
    name: String,
    checked: bool,
}

/// The planning form's starting values: the roster's, or next week at 80 % within 10
/// minutes.
struct FormValues {
    week: String,
    kind: &'static str,
    level: f64,
    within: f64,
    average: f64,
    share: f64,
}

fn form_values(roster: Option<&RosterView>, today: chrono::NaiveDate) -> FormValues {
    use chrono::Datelike;
    let monday = roster.map_or_else(
        || today + chrono::Duration::days(7 - i64::from(today.weekday().num_days_from_monday())),
        |r| r.from,
    );
    let mut values = FormValues {
        week: format!(
            "{}-W{:02}",
            monday.iso_week().year(),
            monday.iso_week().week()
        ),
        kind: "service_level",
        level: 0.8,
        within: 10.0,
        average: 4.0,
        share: crate::domain::roster::publish::DEFAULT_BOOKED_SHARE,
    };
    let Some(r) = roster else { return values };
    match serde_json::from_value::<TargetSpec>(r.target.clone()) {
        Ok(TargetSpec::ServiceLevel {
            service_level,
            within_minutes,
        }) => (values.level, values.within) = (service_level, within_minutes),
        Ok(TargetSpec::AverageWait {
            average_wait_minutes,
        }) => {
            values.kind = "average_wait";
            values.average = average_wait_minutes;
        }
        Err(_) => {}
    }
    values.share = r.booked_share.unwrap_or(values.share);
    values
}

/// Everything the planner's template reads but the layout's `staff`.
pub fn page(
    data: &PlannerData,
    today: chrono::NaiveDate,
    lang: Language,
) -> BTreeMap<&'static str, Value> {
    let roster = data.roster.as_ref();
    let form = form_values(roster, today);
    let choices: Vec<LocationChoice> = data
        .locations
        .iter()
        .map(|l| LocationChoice {
            slug: l.slug.to_string(),
            name: l.name.clone(),
            checked: roster.is_none_or(|r| r.locations.contains(&l.slug)),
        })
        .collect();
    let mut ctx: BTreeMap<&'static str, Value> = BTreeMap::new();
    ctx.insert("lang", Value::from(lang.code()));
    ctx.insert("page", Value::from("planner"));
    ctx.insert("locations", Value::from_serialize(&choices));
    ctx.insert("week", Value::from(form.week));
    ctx.insert("kind", Value::from(form.kind));
    ctx.insert("service_level", Value::from(form.level));
    ctx.insert("within_minutes", Value::from(form.within));
    ctx.insert("average_wait_minutes", Value::from(form.average));
    ctx.insert("booked_share", Value::from(form.share));
    ctx.insert("legend", Value::from(legend(lang)));
    let texts: BTreeMap<&str, &str> = messages::keys(lang)
        .filter_map(|k| Some((k.strip_prefix("planner.js_")?, messages::text(lang, k))))
        .collect();
    ctx.insert(
        "texts",
        Value::from(serde_json::to_string(&texts).unwrap_or_default()),
    );
    if let Some(r) = roster {
        let (covered, met, gap, shifts) = figures(r, lang);
        let (places, weeks) = table(r, &data.locations, &data.people, lang);
        ctx.insert(
            "roster",
            Value::from_serialize(serde_json::json!({
                "id": r.id, "status": r.status,
                "from": messages::day(lang, r.from), "to": messages::day(lang, r.to),
            })),
        );
        ctx.insert("covered", Value::from(covered));
        ctx.insert("met", Value::from(met));
        ctx.insert("gap", Value::from(gap));
        ctx.insert("shifts", Value::from(shifts));
        ctx.insert(
            "charts",
            Value::from_serialize(charts(r, &data.locations, lang)),
        );
        ctx.insert("places", Value::from_serialize(&places));
        ctx.insert("weeks", Value::from_serialize(&weeks));
    }
    ctx
}
