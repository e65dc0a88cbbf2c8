//! The administration's frame: its sections, which the index lists and every admin page
//! shows beside itself, and the rendering of a page inside `admin.html`.

use actix_web::HttpResponse;
use minijinja::{context, Value};
use serde::Serialize;

use super::super::page::render;
use super::super::staff_layout;
use super::Admin;
use crate::domain::booking::Language;
use crate::error::AppResult;

/// One part of the organisation an administrator looks after.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Section {
    pub id: &'static str,
    /// The catalogue's keys of its name and of what it holds.
    pub label: &'static str,
    pub summary: &'static str,
    /// Its page, with the language; `None` while the section has none yet.
    pub href: Option<String>,
}

/// `(id, name, what it holds, page)` of each section, in the order a team leader reaches
/// for them.
const SECTIONS: &[(&str, &str, &str, Option<&str>)] = &[
    (
        "locations",
        "admin.section_locations",
        "admin.section_locations_summary",
        Some("/staff/admin/locations"),
    ),
    (
        "errands",
        "admin.section_errands",
        "admin.section_errands_summary",
        Some("/staff/admin/errands"),
    ),
    (
        "desks",
        "admin.section_desks",
        "admin.section_desks_summary",
        Some("/staff/admin/desks"),
    ),
    (
        "staff",
        "admin.section_staff",
        "admin.section_staff_summary",
        Some("/staff/admin/staff"),
    ),
    (
        "capacity",
        "admin.section_capacity",
        "admin.section_capacity_summary",
        None,
    ),
    (
        "audit",
        "admin.section_audit",
        "admin.section_audit_summary",
        Some("/staff/admin/audit"),
    ),
];

/// The sections, with their pages in `lang`.
pub fn sections(lang: Language) -> Vec<Section> {
    SECTIONS
        .iter()
        .map(|&(id, label, summary, path)| Section {
            id,
            label,
            summary,
            href: path.map(|p| format!("{p}?lang={}", lang.code())),
        })
        .collect()
}

/// An administration page: `template` extends `admin.html`; `section` is the id of the
/// section it belongs to (`""` for the index), `ctx` what the template itself needs.
pub fn page(
    template: &str,
    admin: &Admin,
    lang: Language,
    section: &str,
    ctx: Value,
) -> AppResult<HttpResponse> {
    render(
        template,
        context! {
            lang,
            page => "admin",
            staff => staff_layout::chrome(admin, lang),
            admin_sections => sections(lang),
            section,
            ..ctx
        },
    )
}
