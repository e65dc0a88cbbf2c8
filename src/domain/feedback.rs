//! A citizen's answer to the one question asked after a finished visit: how it went, 1 to
//! 5, and a comment if they like. The score is counted, anonymously, in the KPIs; the
//! comment is free text, so it may hold anything personal and retention blanks it.

use crate::domain::FieldError;

/// The longest comment kept: a few sentences, not a letter.
pub const MAX_COMMENT_CHARS: usize = 1000;

/// A score from 1 (poor) to 5 (very good).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Score(u8);

impl Score {
    pub fn parse(value: i64) -> Result<Self, FieldError> {
        match u8::try_from(value) {
            Ok(n @ 1..=5) => Ok(Self(n)),
            _ => Err(FieldError::new(
                "score",
                format!("{value} is not a score; give a whole number from 1 to 5"),
            )),
        }
    }

    pub fn value(self) -> u8 {
        self.0
    }
}

/// An answer as it is kept: the score, and the comment trimmed (none when empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback {
    pub score: Score,
    pub comment: Option<String>,
}

impl Feedback {
    /// Checks an answer, reporting every problem at once.
    pub fn parse(score: i64, comment: Option<&str>) -> Result<Self, Vec<FieldError>> {
        let comment = comment.map(str::trim).filter(|c| !c.is_empty());
        let mut errors = Vec::new();
        let score = Score::parse(score).map_err(|e| errors.push(e)).ok();
        if let Some(c) = comment {
            let chars = c.chars().count();
            if chars > MAX_COMMENT_CHARS {
                errors.push(FieldError::new(
                    "comment",
                    format!(
                        "the comment has {chars} characters; at most {MAX_COMMENT_CHARS} are kept"
                    ),
                ));
            }
        }
        match (score, errors.is_empty()) {
            (Some(score), true) => Ok(Self {
                score,
                comment: comment.map(str::to_owned),
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_score_is_a_whole_number_from_one_to_five_and_the_comment_is_optional() {
        let ok = Feedback::parse(5, Some("  Hurtigt og venligt. ")).unwrap();
        assert_eq!(ok.score.value(), 5);
        assert_eq!(ok.comment.as_deref(), Some("Hurtigt og venligt."));
        assert_eq!(Feedback::parse(1, Some("   ")).unwrap().comment, None);
        for bad in [0, 6, -1, 300] {
            let errors = Feedback::parse(bad, None).unwrap_err();
            assert_eq!(errors[0].field, "score", "{bad}");
        }
        let long = "x".repeat(MAX_COMMENT_CHARS + 1);
        let fields: Vec<String> = Feedback::parse(9, Some(&long))
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["score", "comment"], "every problem at once");
    }
}
