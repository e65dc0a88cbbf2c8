//! `[[needs]]` and what desks have for them.

use super::*;
use crate::domain::visit::{DeskFeature, NeedKind};

const NEEDS: &str = r#"
[[needs]]
kind = "interpreter"
name_da = "Tolk"
name_en = "Interpreter"
extra_minutes = 15

[[needs]]
kind = "step_free"
name_da = "Skranke uden trin"
name_en = "Step-free desk"
"#;

fn with_needs(needs: &str) -> String {
    edit(
        "[[departments]]\nslug = \"borgerservice\"",
        &format!("{needs}\n[[departments]]\nslug = \"borgerservice\""),
    )
}

#[test]
fn needs_are_offered_in_the_files_order_and_desks_say_what_they_have() {
    assert!(
        parse_organisation(FILE, BASE).unwrap().needs.is_empty(),
        "none unless the file says"
    );
    let text = edit_in(
        &with_needs(NEEDS),
        "name = \"Skranke 1\"\nservices = [\"pas\", \"vejledning\"]",
        "name = \"Skranke 1\"\nservices = [\"pas\", \"vejledning\"]\nfeatures = [\"step_free\", \"hearing_loop\"]",
    );
    let spec = parse_organisation(FILE, &text).unwrap();
    let needs: Vec<(NeedKind, &str, u32)> = spec
        .needs
        .iter()
        .map(|n| (n.kind, n.name_en.as_str(), n.extra_minutes))
        .collect();
    assert_eq!(
        needs,
        [
            (NeedKind::Interpreter, "Interpreter", 15),
            (NeedKind::StepFree, "Step-free desk", 0)
        ]
    );
    let desk = &spec.locations[0].desks[0];
    assert_eq!(
        desk.features.iter().copied().collect::<Vec<_>>(),
        [DeskFeature::StepFree, DeskFeature::HearingLoop]
    );
    assert!(spec.locations[1].desks[0].features.is_empty());
}

#[test]
fn an_unknown_or_repeated_need_and_an_unknown_feature_are_refused_in_their_place() {
    let text = with_needs(&NEEDS.replace("\"step_free\"", "\"wheelchair\""));
    assert_problem(
        &text,
        "kind = \"wheelchair\"",
        "needs[1].kind",
        "'wheelchair' is not one of interpreter, step_free, hearing_loop, extra_time, quiet_room",
    );
    let text = with_needs(&NEEDS.replace("\"step_free\"", "\"interpreter\""));
    let all = problems(&text);
    assert!(
        all.contains("needs[1].kind: need 'interpreter' is used twice"),
        "{all}"
    );
    let text = with_needs(&NEEDS.replace("extra_minutes = 15", "extra_minutes = 121"));
    assert_problem(
        &text,
        "extra_minutes = 121",
        "needs[0].extra_minutes",
        "between 0 and 120 minutes, got 121",
    );
    let text = edit(
        "name = \"Skranke 1\"\nservices = [\"pas\", \"vejledning\"]",
        "name = \"Skranke 1\"\nservices = [\"pas\", \"vejledning\"]\nfeatures = [\"ramp\", \"quiet_room\", \"quiet_room\"]",
    );
    let all = problems(&text);
    assert!(
        all.contains("locations[0].desks[0].features[0]: 'ramp' is not one of step_free, hearing_loop, quiet_room"),
        "{all}"
    );
    assert!(
        all.contains("locations[0].desks[0].features[2]: 'quiet_room' is listed twice"),
        "{all}"
    );
}
