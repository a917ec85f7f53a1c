//! The salsa database: inputs (files, package groups, the workspace) and the base queries.
//!
//! Inputs are set by [`AnalysisHost`](crate::AnalysisHost). Queries derived from them live
//! next to the code that computes them (`lower`, `resolve`) and are declared here.

use std::sync::{Arc, Mutex};

use canopy_wit_syntax::Parse;

use crate::Features;
use crate::line_index::LineIndex;
use crate::loader::LayoutGroupKind;
use crate::positions::Shifts;

/// One WIT file: its path (as shown to users) and its text.
#[salsa::input(debug)]
pub struct SourceFile {
    /// The path, as given in the layout.
    #[returns(ref)]
    pub path: Arc<str>,
    /// The file's text.
    #[returns(ref)]
    pub text: Arc<str>,
    /// The parse of `text`, when the host already has it from an incremental reparse
    /// ([`AnalysisHost::edit_file`](crate::AnalysisHost::edit_file)); `None` means "parse the
    /// text". Set together with `text`, never alone.
    #[default]
    #[returns(ref)]
    pub reparsed: Option<Parse>,
    /// The parse the file's item tree is lowered from, when it is not the current parse: an
    /// older parse that differs from the current one only inside trivia tokens (comments, doc
    /// comments, whitespace). `None` means "the current parse". See [`crate::positions`].
    #[default]
    #[returns(ref)]
    pub basis: Option<BasisParse>,
    /// How positions in `basis` move to positions in the current text. Empty when `basis` is
    /// `None`.
    #[default]
    #[returns(ref)]
    pub shifts: Shifts,
}

/// A parse used as the basis of a file's item tree. Two bases are equal when they are the same
/// tree (the same allocation), which is cheap to decide and never wrongly says "unchanged".
#[derive(Debug, Clone)]
pub struct BasisParse(pub Parse);

impl PartialEq for BasisParse {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq::<canopy_wit_syntax::GreenNodeData>(&**self.0.green(), &**other.0.green())
            && self.0.errors() == other.0.errors()
    }
}

impl Eq for BasisParse {}

/// An alias: files are identified by their input handle.
pub type FileId = SourceFile;

/// Files that form one package group (a package and its nested `package … { }` blocks).
#[salsa::input(debug)]
pub struct PackageGroup {
    /// Root package or dependency.
    pub kind: LayoutGroupKind,
    /// The files, in a stable order.
    #[returns(ref)]
    pub files: Vec<SourceFile>,
}

/// The whole workspace: every package group and the enabled features.
#[salsa::input(debug)]
pub struct Workspace {
    /// Package groups, dependencies first.
    #[returns(ref)]
    pub groups: Vec<PackageGroup>,
    /// Enabled feature gates.
    #[returns(ref)]
    pub features: Features,
}

/// Parses a file into its lossless syntax tree (the current text's).
///
/// A new parse is always treated as a change: comparing two trees costs a walk of both, and a
/// reparse is only asked for when the text changed.
#[salsa::tracked(returns(ref), no_eq)]
pub fn parse(db: &dyn salsa::Database, file: SourceFile) -> Parse {
    match file.reparsed(db) {
        Some(parse) => parse.clone(),
        None => canopy_wit_syntax::parse(file.text(db)),
    }
}

/// The parse the file's item tree is built from: the [`SourceFile::basis`] if there is one,
/// else the current parse. Positions in everything lowered from it are basis positions; the
/// file's [`Shifts`] move them to the current text.
#[salsa::tracked(returns(ref))]
pub fn basis_parse(db: &dyn salsa::Database, file: SourceFile) -> BasisParse {
    match file.basis(db) {
        Some(basis) => basis.clone(),
        None => BasisParse(parse(db, file).clone()),
    }
}

/// The line index of a file.
#[salsa::tracked(returns(ref))]
pub fn line_index(db: &dyn salsa::Database, file: SourceFile) -> LineIndex {
    LineIndex::new(file.text(db))
}

/// The salsa database of the WIT analysis.
#[salsa::db]
#[derive(Clone)]
pub struct Database {
    storage: salsa::Storage<Self>,
}

/// Names of the queries salsa executed (not reused), recorded when enabled.
pub type ExecutionLog = Arc<Mutex<Vec<String>>>;

impl Default for Database {
    fn default() -> Self {
        Database { storage: salsa::Storage::new(None) }
    }
}

impl Database {
    /// A database that records every query execution into `log` (for incrementality tests).
    pub fn with_execution_log(log: ExecutionLog) -> Self {
        let callback = move |event: salsa::Event| {
            if let salsa::EventKind::WillExecute { database_key } = event.kind {
                log.lock().unwrap_or_else(|p| p.into_inner()).push(format!("{database_key:?}"));
            }
        };
        Database { storage: salsa::Storage::new(Some(Box::new(callback))) }
    }
}

#[salsa::db]
impl salsa::Database for Database {}
