//! Diagnostics: what the analysis reports, where, and how bad it is.

use std::sync::Arc;

use canopy_wit_syntax::TextRange;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// The WIT is invalid.
    Error,
    /// Valid but suspicious (unused `use`, deprecated item, …).
    Warning,
}

/// A second place that matters to a diagnostic ("first defined here").
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Related {
    /// File of the related place.
    pub path: Arc<str>,
    /// Range in that file.
    pub range: TextRange,
    /// What the place is.
    pub message: String,
}

/// One problem, located in one file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// The file's path as given in the layout.
    pub path: Arc<str>,
    /// Byte range in the file.
    pub range: TextRange,
    /// How serious.
    pub severity: Severity,
    /// What is wrong, for a person.
    pub message: String,
    /// A stable code naming the rule (`syntax`, `undefined-name`, …).
    pub code: &'static str,
    /// Other places that explain the problem.
    pub related: Vec<Related>,
}

impl Diagnostic {
    /// An error with no related places.
    pub fn error(path: Arc<str>, range: TextRange, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic { path, range, severity: Severity::Error, message: message.into(), code, related: Vec::new() }
    }

    /// Adds a related place.
    pub fn with_related(mut self, path: Arc<str>, range: TextRange, message: impl Into<String>) -> Self {
        self.related.push(Related { path, range, message: message.into() });
        self
    }
}
