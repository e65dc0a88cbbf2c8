//! The needs a citizen may state for a visit, from the list the organisation offers, and
//! what each asks of the booking: more time, or a desk that has something (step-free access,
//! a hearing loop, a quiet room). An interpreter asks for neither here; staff arrange one.
//! Needs are personal data: they are shown to staff only, and retention blanks them.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::domain::booking::Language;
use crate::domain::FieldError;

/// The kinds of need Skranke knows how to act on.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::Display,
    strum::VariantArray,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum NeedKind {
    /// An interpreter; the detail names the language.
    Interpreter,
    StepFree,
    HearingLoop,
    /// More time at the desk than the errands take.
    ExtraTime,
    QuietRoom,
}

impl NeedKind {
    /// What a desk must have to serve a citizen with this need, if anything.
    pub fn desk_feature(self) -> Option<DeskFeature> {
        match self {
            Self::StepFree => Some(DeskFeature::StepFree),
            Self::HearingLoop => Some(DeskFeature::HearingLoop),
            Self::QuietRoom => Some(DeskFeature::QuietRoom),
            Self::Interpreter | Self::ExtraTime => None,
        }
    }

    /// Whether a stated need of this kind must say more (the interpreter's language).
    pub fn takes_detail(self) -> bool {
        matches!(self, Self::Interpreter)
    }
}

/// What a desk has that some citizens need.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::Display,
    strum::VariantArray,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum DeskFeature {
    StepFree,
    HearingLoop,
    QuietRoom,
}

/// A need the organisation offers: its kind, its name as citizens read it, and the minutes
/// it adds to a visit (an interpreted meeting takes longer; "extra time" is nothing else).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedSpec {
    pub kind: NeedKind,
    pub name_da: String,
    pub name_en: String,
    pub extra_minutes: u32,
}

impl NeedSpec {
    /// The need's name in `language`.
    pub fn name(&self, language: Language) -> &str {
        match language {
            Language::Da => &self.name_da,
            Language::En => &self.name_en,
        }
    }
}

/// A need stated for one visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Need {
    pub kind: NeedKind,
    /// The interpreter's language; nothing for the other kinds.
    pub detail: Option<String>,
}

/// The longest detail a need may carry: a language's name, not a letter.
pub const MAX_NEED_DETAIL_CHARS: usize = 60;

/// Checks needs as a citizen sent them (`kind` as text, an optional detail) against what is
/// `offered`, reporting every problem at once under `needs[i]…`. Each kind may be stated once.
pub fn parse_needs(
    raw: &[(String, Option<String>)],
    offered: &[NeedSpec],
) -> Result<Vec<Need>, Vec<FieldError>> {
    parse(raw, offered, true)
}

/// Checks the kinds of needs alone, as the free times are asked for them: what a need asks
/// of the time and the desk depends on its kind, and the interpreter's language comes with
/// the booking.
pub fn parse_need_kinds(
    kinds: &[String],
    offered: &[NeedSpec],
) -> Result<Vec<Need>, Vec<FieldError>> {
    let raw: Vec<(String, Option<String>)> = kinds.iter().map(|k| (k.clone(), None)).collect();
    parse(&raw, offered, false)
}

fn parse(
    raw: &[(String, Option<String>)],
    offered: &[NeedSpec],
    detail_required: bool,
) -> Result<Vec<Need>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut needs: Vec<Need> = Vec::new();
    for (i, (kind, detail)) in raw.iter().enumerate() {
        let field = |name: &str| format!("needs[{i}].{name}");
        let Some(spec) = offered.iter().find(|s| <&str>::from(s.kind) == kind) else {
            let names: Vec<&str> = offered.iter().map(|s| s.kind.into()).collect();
            errors.push(FieldError::new(
                field("kind"),
                format!(
                    "'{kind}' is not a need offered here; offered: {}",
                    names.join(", ")
                ),
            ));
            continue;
        };
        if needs.iter().any(|n| n.kind == spec.kind) {
            errors.push(FieldError::new(
                field("kind"),
                format!("'{kind}' is stated twice"),
            ));
            continue;
        }
        let detail = detail.as_deref().map(str::trim).filter(|d| !d.is_empty());
        match (spec.kind.takes_detail(), detail) {
            (true, None) if detail_required => errors.push(FieldError::new(
                field("detail"),
                "say which language the interpreter should speak",
            )),
            (true, Some(d)) if d.chars().count() > MAX_NEED_DETAIL_CHARS => {
                errors.push(FieldError::new(
                    field("detail"),
                    format!("give the language in at most {MAX_NEED_DETAIL_CHARS} characters"),
                ))
            }
            (true, Some(d)) if d.chars().any(char::is_control) => errors.push(FieldError::new(
                field("detail"),
                "the language may not hold control characters",
            )),
            (false, Some(_)) => errors.push(FieldError::new(
                field("detail"),
                format!("'{kind}' takes no detail"),
            )),
            (_, detail) => needs.push(Need {
                kind: spec.kind,
                detail: detail.map(str::to_owned),
            }),
        }
    }
    if errors.is_empty() {
        Ok(needs)
    } else {
        Err(errors)
    }
}

/// The minutes the stated needs add to the visit.
pub fn extra_minutes(needs: &[Need], offered: &[NeedSpec]) -> u32 {
    needs
        .iter()
        .filter_map(|need| offered.iter().find(|s| s.kind == need.kind))
        .map(|spec| spec.extra_minutes)
        .fold(0, u32::saturating_add)
}

/// What the desk of a visit with these needs must have.
pub fn desk_features(needs: &[Need]) -> BTreeSet<DeskFeature> {
    needs.iter().filter_map(|n| n.kind.desk_feature()).collect()
}
