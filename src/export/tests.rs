use super::*;
use crate::import::parse_organisation_and_planning;

const EXAMPLE: &str = include_str!("../../examples/organisation.toml");

#[test]
fn the_written_file_reads_back_as_the_same_organisation() {
    let (spec, planning) =
        parse_organisation_and_planning("examples/organisation.toml", EXAMPLE).unwrap();
    let written = organisation_file(&spec, &planning);
    // No folder in the name: the logo path written is used as it stands.
    let (again, again_planning) = parse_organisation_and_planning("export.toml", &written)
        .unwrap_or_else(|e| panic!("{e}\n{written}"));
    assert_eq!(again, spec);
    assert_eq!(again_planning, planning);
    assert_eq!(organisation_file(&again, &again_planning), written);
}

#[test]
fn contract_hours_read_back_to_the_same_minutes() {
    for minutes in [60, 1110, 2220, 37, 1, 3599] {
        let written = contract_hours(minutes);
        let hours: f64 = written.parse().unwrap();
        assert_eq!((hours * 60.0).round() as u32, minutes, "{written}");
    }
    assert_eq!(contract_hours(2220), "37");
    assert_eq!(contract_hours(1110), "18.5");
}

#[test]
fn texts_with_quotes_and_markup_are_written_as_toml_strings() {
    let (mut spec, planning) =
        parse_organisation_and_planning("examples/organisation.toml", EXAMPLE).unwrap();
    spec.services[0].name_da = "Pas \"hurtig\" <b>\\</b>\nlinje 2".into();
    let written = organisation_file(&spec, &planning);
    let (again, _) = parse_organisation_and_planning("export.toml", &written).unwrap();
    assert_eq!(again.services[0].name_da, spec.services[0].name_da);
}
