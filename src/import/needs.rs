//! The checks of `[[needs]]`: the needs citizens may state when they book, each kind once.

use std::collections::HashMap;

use toml::Spanned;

use super::checker::Checker;
use super::raw;
use crate::domain::visit::{NeedKind, NeedSpec};

/// The most minutes one need may add to a visit: an interpreted meeting's double time.
const MAX_EXTRA_MINUTES: u32 = 120;

pub(super) fn needs(cx: &mut Checker, raws: &[Spanned<raw::Need>]) -> Vec<NeedSpec> {
    let mut seen = HashMap::new();
    let mut out = Vec::new();
    for (i, raw) in raws.iter().enumerate() {
        let raw = raw.get_ref();
        let field = |name: &str| format!("needs[{i}].{name}");
        cx.unique(
            &mut seen,
            raw.kind.get_ref(),
            raw.kind.span(),
            &field("kind"),
            "need",
        );
        let kind = cx.choice::<NeedKind>(&raw.kind, &field("kind"));
        let name_da = cx.text(&raw.name_da, &field("name_da"));
        let name_en = cx.text(&raw.name_en, &field("name_en"));
        let extra_minutes = cx.number(
            raw.extra_minutes.as_ref(),
            0,
            0..=MAX_EXTRA_MINUTES,
            "minutes",
            &field("extra_minutes"),
        );
        if let (Some(kind), Some(name_da), Some(name_en), Some(extra_minutes)) =
            (kind, name_da, name_en, extra_minutes)
        {
            out.push(NeedSpec {
                kind,
                name_da,
                name_en,
                extra_minutes,
            });
        }
    }
    out
}
