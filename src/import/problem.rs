//! What is wrong with an organisation file: each problem with its file, line and field,
//! and all of them together as the import's error.

use std::fmt;

/// Everything wrong with one organisation file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", one_per_line(.problems))]
pub struct ImportErrors {
    pub problems: Vec<ImportProblem>,
}

/// One thing wrong with one field, shown as `{file}:{line}: {field}: {message}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    pub file: String,
    /// 1-based; `None` only when toml could not say where.
    pub line: Option<usize>,
    /// A dotted path with 0-based indexes, e.g. `locations[1].desks[0].services[2]`.
    pub field: String,
    pub message: String,
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}: {}", self.file, self.field, self.message),
            None => write!(f, "{}: {}: {}", self.file, self.field, self.message),
        }
    }
}

fn one_per_line(problems: &[ImportProblem]) -> String {
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    lines.join("\n")
}
