//! The checks of `[[shift_templates]]`, and of the planning fields of `[[staff]]`
//! (`contract_hours`, `absences`, `preferred_shifts`).

use std::collections::HashMap;

use toml::Spanned;

use super::checker::{Checker, FileNames, Names};
use super::hours::date;
use super::raw;
use crate::domain::hours::{parse_clock, TimeRange};
use crate::domain::roster::{Absence, PlanningSpec, ShiftTemplate, StaffPlanning, MAX_SHIFT_HOURS};

pub(super) fn planning(cx: &mut Checker, file: &raw::File, names: &FileNames) -> PlanningSpec {
    let shift_templates = templates(cx, &file.shift_templates, names);
    let known = Names::new(
        "shift template",
        file.shift_templates.iter().map(|t| &t.get_ref().slug),
    );
    let staff = file
        .staff
        .iter()
        .enumerate()
        .filter_map(|(i, raw)| staff_planning(cx, &format!("staff[{i}]"), raw.get_ref(), &known))
        .collect();
    PlanningSpec {
        shift_templates,
        staff,
    }
}

fn templates(
    cx: &mut Checker,
    raws: &[Spanned<raw::ShiftTemplate>],
    names: &FileNames,
) -> Vec<ShiftTemplate> {
    let mut seen = HashMap::new();
    let mut out = Vec::new();
    for (i, raw) in raws.iter().enumerate() {
        let raw = raw.get_ref();
        let at = format!("shift_templates[{i}]");
        cx.unique(
            &mut seen,
            raw.slug.get_ref(),
            raw.slug.span(),
            &format!("{at}.slug"),
            "shift template",
        );
        out.extend(template(cx, &at, raw, names));
    }
    out
}

fn template(
    cx: &mut Checker,
    at: &str,
    raw: &raw::ShiftTemplate,
    names: &FileNames,
) -> Option<ShiftTemplate> {
    let field = |key: &str| format!("{at}.{key}");
    let slug = cx.slug(&raw.slug, &field("slug"));
    let start = cx.ok(
        raw.start.span(),
        &field("start"),
        parse_clock(raw.start.get_ref()),
    );
    let end = cx.ok(
        raw.end.span(),
        &field("end"),
        parse_clock(raw.end.get_ref()),
    );
    let locations = cx.references(&raw.locations, &field("locations"), &names.locations);
    let (start, end) = (start?, end?);
    let span = cx.ok(
        raw.end.span(),
        &field("end"),
        TimeRange::new(start, end)
            .map_err(|_| format!("must be after the start {}", start.format("%H:%M"))),
    )?;
    if span.minutes() > MAX_SHIFT_HOURS * 60 {
        cx.report(
            raw.end.span(),
            &field("end"),
            format!("a shift lasts at most {MAX_SHIFT_HOURS} hours, so that 11 hours' rest fit before the next day's"),
        );
        return None;
    }
    let mut breaks: Vec<TimeRange> = Vec::new();
    let mut ok = true;
    for (i, b) in raw.breaks.iter().enumerate() {
        let at = format!("{}[{i}]", field("breaks"));
        let Some(range) = cx.ok(b.span(), &at, TimeRange::parse(b.get_ref())) else {
            ok = false;
            continue;
        };
        if range.start <= span.start || range.end >= span.end {
            cx.report(b.span(), &at, format!("must lie inside the shift {span}"));
            ok = false;
        } else if breaks.iter().any(|other| other.overlaps(&range)) {
            cx.report(
                b.span(),
                &at,
                "overlaps another break of the shift".to_owned(),
            );
            ok = false;
        }
        breaks.push(range);
    }
    Some(ShiftTemplate {
        slug: slug?,
        start,
        end,
        breaks,
        locations,
    })
    .filter(|_| ok)
}

fn staff_planning(
    cx: &mut Checker,
    at: &str,
    raw: &raw::Staff,
    templates: &Names,
) -> Option<StaffPlanning> {
    let field = |key: &str| format!("{at}.{key}");
    let contract_minutes = match &raw.contract_hours {
        None => Some(0),
        Some(hours) => cx.ok(
            hours.span(),
            &field("contract_hours"),
            contract(hours.get_ref()),
        ),
    };
    let mut absences = Vec::new();
    let mut ok = true;
    for (i, a) in raw.absences.iter().enumerate() {
        let at = format!("{}[{i}]", field("absences"));
        let absence = a.get_ref();
        // The reason is for whoever reads the file; it is checked but not stored.
        if let Some(reason) = &absence.reason {
            ok &= cx.text(reason, &format!("{at}.reason")).is_some();
        }
        let from = date(cx, &absence.from, &format!("{at}.from"));
        let to = match &absence.to {
            Some(to) => date(cx, to, &format!("{at}.to")),
            None => from,
        };
        match (from, to) {
            (Some(from), Some(to)) if from <= to => absences.push(Absence { from, to }),
            (Some(from), Some(_)) => {
                cx.report(
                    a.span(),
                    &format!("{at}.to"),
                    format!("must not be before from ({from})"),
                );
                ok = false;
            }
            _ => ok = false,
        }
    }
    let preferred_templates =
        cx.references(&raw.preferred_shifts, &field("preferred_shifts"), templates);
    if preferred_templates.len() != raw.preferred_shifts.len() {
        ok = false;
    }
    Some(StaffPlanning {
        username: raw.username.get_ref().clone(),
        contract_minutes: contract_minutes?,
        absences,
        preferred_templates,
    })
    .filter(|_| ok)
}

fn contract(raw: &toml::Value) -> Result<u32, String> {
    let hours = match raw {
        toml::Value::Integer(n) => *n as f64,
        toml::Value::Float(x) => *x,
        other => {
            return Err(format!(
                "{other} is not a number of hours a week, like 37 or 18.5"
            ))
        }
    };
    crate::domain::staff_account::contract_minutes(hours)
}
