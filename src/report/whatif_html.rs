//! What-if outcomes for people: a table with a column for the week as it is and one per
//! scenario, in Danish or English; the planner page shows it, `skranke whatif --format
//! html` wraps it in a page of its own.

use std::fmt::Write as _;

use crate::app::whatif::{Outcome, WhatIf};
use crate::domain::booking::Language;
use crate::html::escape;
use crate::messages::{number, percent, text};

/// One row of the table: its label and how an outcome's figure is written.
type Row = (&'static str, fn(&Outcome, Language) -> String);

const ROWS: [Row; 10] = [
    ("whatif.mean_wait", |o, l| number(o.mean_wait_minutes, l)),
    ("whatif.p80_wait", |o, l| number(o.p80_wait_minutes, l)),
    ("whatif.within_target", |o, l| {
        percent(o.within_target_share, l)
    }),
    ("whatif.staff_hours", |o, l| number(o.staff_hours, l)),
    ("whatif.uncovered", |o, _| o.uncovered_intervals.to_string()),
    ("whatif.skill_uncovered", |o, _| {
        o.skill_uncovered_intervals.to_string()
    }),
    ("whatif.visits", |o, l| number(o.visits, l)),
    ("whatif.online", |o, l| number(o.online, l)),
    ("whatif.channel_cost", |o, l| number(o.channel_cost, l)),
    ("whatif.bookable", |o, l| number(o.bookable_desk_hours, l)),
];

/// The outcomes side by side, figures as rows.
pub fn table(what_if: &WhatIf, lang: Language) -> String {
    let mut out = format!(
        "<table class=\"table whatif\"><caption>{} {} – {}</caption><thead><tr><th scope=\"col\">{}</th>",
        text(lang, "whatif.period"),
        what_if.from.format("%d.%m.%Y"),
        what_if.to.format("%d.%m.%Y"),
        text(lang, "whatif.figure")
    );
    for o in &what_if.outcomes {
        let name = o
            .scenario
            .as_deref()
            .map_or_else(|| text(lang, "whatif.as_it_is").to_owned(), escape);
        let _ = write!(out, "<th scope=\"col\">{name}</th>");
    }
    out.push_str("</tr></thead><tbody>");
    for (label, figure) in ROWS {
        let _ = write!(out, "<tr><th scope=\"row\">{}</th>", text(lang, label));
        for o in &what_if.outcomes {
            let _ = write!(out, "<td>{}</td>", figure(o, lang));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

/// A stand-alone page of the table.
pub fn page(what_if: &WhatIf, lang: Language) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"{code}\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}}\
         table{{border-collapse:collapse}}td,th{{padding:.3rem .8rem;border-bottom:1px solid #ddd;text-align:left}}\
         td{{text-align:right}}</style></head><body><main><h1>{title}</h1>{table}</main></body></html>\n",
        code = lang.code(),
        title = text(lang, "whatif.title"),
        table = table(what_if, lang)
    )
}
