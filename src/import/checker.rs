//! The [`Checker`] that collects problems with their lines, and the names a file defines.

use std::collections::{HashMap, HashSet};
use std::ops::{Range, RangeInclusive};

use toml::Spanned;

use super::problem::{ImportErrors, ImportProblem};
use super::raw::{self, Text};
use super::toml_error::{humane_toml_message, toml_error_field};
use crate::domain::organisation::parse_choice;
use crate::domain::Slug;

/// Collects problems and turns byte spans into line numbers.
pub(super) struct Checker<'f> {
    file: &'f str,
    /// Byte offset where each line starts; line `n` starts at `line_starts[n - 1]`.
    line_starts: Vec<usize>,
    pub(super) problems: Vec<ImportProblem>,
}

impl<'f> Checker<'f> {
    pub(super) fn new(file: &'f str, text: &str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self {
            file,
            line_starts,
            problems: Vec::new(),
        }
    }

    fn line(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset)
    }

    pub(super) fn report(&mut self, span: Range<usize>, field: &str, message: impl Into<String>) {
        self.problems.push(ImportProblem {
            file: self.file.to_owned(),
            line: Some(self.line(span.start)),
            field: field.to_owned(),
            message: message.into(),
        });
    }

    /// The value, or `None` after reporting why not.
    pub(super) fn ok<T, E: Into<String>>(
        &mut self,
        span: Range<usize>,
        field: &str,
        result: Result<T, E>,
    ) -> Option<T> {
        result.map_err(|msg| self.report(span, field, msg)).ok()
    }

    pub(super) fn slug(&mut self, raw: &Text, field: &str) -> Option<Slug> {
        self.ok(raw.span(), field, Slug::parse(raw.get_ref()))
    }

    pub(super) fn text(&mut self, raw: &Text, field: &str) -> Option<String> {
        let value = raw.get_ref().trim();
        let result = if value.is_empty() {
            Err("must not be empty".to_owned())
        } else {
            Ok(value.to_owned())
        };
        self.ok(raw.span(), field, result)
    }

    pub(super) fn choice<T>(&mut self, raw: &Text, field: &str) -> Option<T>
    where
        T: std::str::FromStr + strum::VariantArray + Into<&'static str> + Copy,
    {
        self.ok(raw.span(), field, parse_choice(raw.get_ref()))
    }

    /// An optional enum such as a desk's `kind`, with `default` when left out.
    pub(super) fn choice_or<T>(&mut self, raw: Option<&Text>, default: T, field: &str) -> Option<T>
    where
        T: std::str::FromStr + strum::VariantArray + Into<&'static str> + Copy,
    {
        raw.map_or(Some(default), |raw| self.choice(raw, field))
    }

    /// A whole number that must lie in `allowed`; `default` when left out.
    pub(super) fn number(
        &mut self,
        raw: Option<&Spanned<u32>>,
        default: u32,
        allowed: RangeInclusive<u32>,
        unit: &str,
        field: &str,
    ) -> Option<u32> {
        let Some(raw) = raw else {
            return Some(default);
        };
        let value = *raw.get_ref();
        let result = if allowed.contains(&value) {
            Ok(value)
        } else {
            Err(format!(
                "must be between {} and {} {unit}, got {value}",
                allowed.start(),
                allowed.end()
            ))
        };
        self.ok(raw.span(), field, result)
    }

    /// Reports `key` when `seen` already has it; `what` names it in the message.
    pub(super) fn unique(
        &mut self,
        seen: &mut HashMap<String, usize>,
        key: &str,
        span: Range<usize>,
        field: &str,
        what: &str,
    ) {
        let line = self.line(span.start);
        match seen.get(key) {
            Some(first) => self.report(
                span,
                field,
                format!("{what} '{key}' is used twice: it is already on line {first}"),
            ),
            None => {
                seen.insert(key.to_owned(), line);
            }
        }
    }

    /// A slug that must name something the file defines.
    pub(super) fn reference(&mut self, raw: &Text, field: &str, known: &Names) -> Option<Slug> {
        let name = raw.get_ref();
        if known.contains(name) {
            Slug::parse(name).ok()
        } else {
            self.report(raw.span(), field, known.missing(name));
            None
        }
    }

    /// A list of references, each known and listed once; reports the rest.
    pub(super) fn references(&mut self, raws: &[Text], field: &str, known: &Names) -> Vec<Slug> {
        self.listed_once(raws, field, |cx, raw, at| cx.reference(raw, at, known))
    }

    /// The slugs that `resolve` accepts from a list, reporting any listed twice.
    pub(super) fn listed_once(
        &mut self,
        raws: &[Text],
        field: &str,
        mut resolve: impl FnMut(&mut Self, &Text, &str) -> Option<Slug>,
    ) -> Vec<Slug> {
        let mut listed = HashSet::new();
        let mut slugs = Vec::new();
        for (i, raw) in raws.iter().enumerate() {
            let at = format!("{field}[{i}]");
            if !listed.insert(raw.get_ref().as_str()) {
                let message = format!("'{}' is listed twice", raw.get_ref());
                self.report(raw.span(), &at, message);
            } else if let Some(slug) = resolve(self, raw, &at) {
                slugs.push(slug);
            }
        }
        slugs
    }

    /// Like [`Self::references`], for a list that must name at least one `what`.
    pub(super) fn required_references(
        &mut self,
        raw: &raw::List,
        field: &str,
        known: &Names,
    ) -> Vec<Slug> {
        if raw.get_ref().is_empty() {
            self.report(
                raw.span(),
                field,
                format!("must name at least one {}", known.what),
            );
        }
        self.references(raw.get_ref(), field, known)
    }

    /// Records toml's own error, which stops the import before any other check.
    pub(super) fn toml_error(&mut self, text: &str, err: &toml::de::Error) {
        let offset = err.span().map(|span| span.start);
        self.problems.push(ImportProblem {
            file: self.file.to_owned(),
            line: offset.map(|offset| self.line(offset)),
            field: toml_error_field(text, offset, err.message()),
            message: humane_toml_message(err.message()),
        });
    }

    /// The value when nothing was reported, else every problem, top of the file first.
    pub(super) fn finish<T>(mut self, value: Option<T>) -> Result<T, ImportErrors> {
        match value {
            Some(value) if self.problems.is_empty() => Ok(value),
            _ => {
                debug_assert!(!self.problems.is_empty(), "refused without a reason");
                self.problems.sort_by_key(|p| p.line.unwrap_or(usize::MAX));
                Err(ImportErrors {
                    problems: self.problems,
                })
            }
        }
    }
}

/// The slugs of one kind that a file defines, for checking references to them.
pub(super) struct Names<'r> {
    what: &'static str,
    names: Vec<&'r str>,
}

impl<'r> Names<'r> {
    pub(super) fn new(what: &'static str, slugs: impl Iterator<Item = &'r Text>) -> Self {
        let mut names: Vec<&str> = slugs
            .map(|slug| slug.get_ref().as_str())
            .filter(|name| Slug::parse(name).is_ok())
            .collect();
        names.sort_unstable();
        names.dedup();
        Self { what, names }
    }

    fn contains(&self, name: &str) -> bool {
        self.names.binary_search(&name).is_ok()
    }

    fn missing(&self, name: &str) -> String {
        if self.names.is_empty() {
            format!("there is no {} '{name}': the file defines none", self.what)
        } else {
            format!(
                "there is no {} '{name}'; the file defines {}",
                self.what,
                self.names.join(", ")
            )
        }
    }
}

/// What the file defines, by kind.
pub(super) struct FileNames<'r> {
    pub(super) departments: Names<'r>,
    pub(super) services: Names<'r>,
    pub(super) locations: Names<'r>,
}

impl<'r> FileNames<'r> {
    pub(super) fn new(file: &'r raw::File) -> Self {
        Self {
            departments: Names::new(
                "department",
                file.departments.iter().map(|d| &d.get_ref().slug),
            ),
            services: Names::new("service", file.services.iter().map(|s| &s.get_ref().slug)),
            locations: Names::new("location", file.locations.iter().map(|l| &l.get_ref().slug)),
        }
    }
}
