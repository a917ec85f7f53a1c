//! Name resolution and validation of a whole workspace.

use std::sync::Arc;

use crate::db::{parse, Workspace};
use crate::diagnostics::Diagnostic;

/// The result of analyzing a workspace.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Analysis {
    /// Every diagnostic, sorted by path and position.
    pub diagnostics: Vec<Diagnostic>,
}

/// Analyzes the whole workspace.
#[salsa::tracked(returns(ref))]
pub fn analyze(db: &dyn salsa::Database, ws: Workspace) -> Analysis {
    let mut diagnostics = Vec::new();
    for group in ws.groups(db) {
        for &file in group.files(db) {
            let path: Arc<str> = file.path(db).clone();
            for error in parse(db, file).errors() {
                diagnostics.push(Diagnostic::error(path.clone(), error.range, "syntax", error.message.clone()));
            }
            for (range, message) in &crate::lower::file_items(db, file).errors {
                diagnostics.push(Diagnostic::error(path.clone(), *range, "syntax", message.clone()));
            }
        }
    }
    Analysis { diagnostics }
}
