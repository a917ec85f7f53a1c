//! Incremental semantic analysis of WIT, on salsa.
//!
//! The ground state is a [`Layout`]: packages of `(path, text)` files as `wit-parser`'s
//! `Resolve::push_dir` would find them on disk, plus the enabled features. The analysis does no
//! IO; [`loader`] reads a directory into a `Layout` for the CLI and the tests.
//!
//! Queries (see `db`): parse a file → lower it to an item tree → assemble a package group →
//! resolve every name → validate → diagnostics. An edit to one file re-runs only the queries
//! that depend on it.

pub mod current;
pub mod db;
pub mod diagnostics;
pub mod hir;
mod host;
pub mod line_index;
pub mod loader;
mod lower;
pub mod model;
pub mod positions;
pub mod resolve;
mod to_model;

pub use db::{Database, FileId, SourceFile};
pub use diagnostics::{Diagnostic, Related, Severity};
pub use host::AnalysisHost;
pub use line_index::{LineCol, LineIndex};
pub use loader::{Layout, LayoutGroup, LayoutGroupKind};

/// Which feature gates (`@unstable(feature = x)`) are enabled.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Features {
    /// Enabled feature names.
    pub enabled: Vec<String>,
    /// Enable every feature.
    pub all: bool,
}

impl Features {
    /// Whether `name` is enabled.
    pub fn is_enabled(&self, name: &str) -> bool {
        self.all || self.enabled.iter().any(|f| f == name)
    }
}
