//! Figures as people read them: at most two decimals, a decimal comma in Danish.

use crate::domain::booking::Language;

/// A number with at most two decimals, with a decimal comma in Danish.
pub fn number(x: f64, lang: Language) -> String {
    let text = format!("{x:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.').to_owned();
    match lang {
        Language::Da => text.replace('.', ","),
        Language::En => text,
    }
}

/// A share (0.853) as a percentage ("85,3 %").
pub fn percent(share: f64, lang: Language) -> String {
    format!("{} %", number(share * 100.0, lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_figures_have_a_decimal_comma_and_no_trailing_zeros() {
        assert_eq!(number(2.5, Language::Da), "2,5");
        assert_eq!(number(2.0, Language::En), "2");
        assert_eq!(percent(0.8534, Language::Da), "85,34 %");
        assert_eq!(percent(0.8534, Language::En), "85.34 %");
    }
}
