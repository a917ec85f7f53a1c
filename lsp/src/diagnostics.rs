//! Diagnostics for `textDocument/publishDiagnostics`: conversion from the engine's, and the
//! memory of what each document last got so that, besides the documents just opened or edited,
//! only changes are sent.
//!
//! After every change the server recomputes every diagnostic of the workspace, groups them by
//! document, and asks [`Publisher::changes`] which documents need a new notification: the
//! documents the change touched (opened or edited: they get their list, empty or not, with the
//! new version, so the client always learns the state of the text it just sent), and every other
//! document whose list differs from the last one sent, including documents that became clean
//! (they get an empty list once).

use std::collections::HashMap;

use canopy_wit_analysis::{Diagnostic, Severity};
use tower_lsp_server::gen_lsp_types as lsp;

use crate::convert::Files;
use crate::uri;

/// The `source` of every diagnostic the server publishes.
pub const SOURCE: &str = "canopy";

/// One `publishDiagnostics` to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Publication {
    /// The document.
    pub uri: lsp::Uri,
    /// Its diagnostics (empty to clear).
    pub diagnostics: Vec<lsp::Diagnostic>,
}

/// What each document was last sent.
#[derive(Debug, Default)]
pub struct Publisher {
    last: HashMap<lsp::Uri, Vec<lsp::Diagnostic>>,
}

impl Publisher {
    /// The publications that bring the client from what it was last sent to `current`, plus one
    /// for each document in `touched` (opened or edited by this change) even if its list is the
    /// same as before.
    pub fn changes(
        &mut self,
        current: HashMap<lsp::Uri, Vec<lsp::Diagnostic>>,
        touched: &[lsp::Uri],
    ) -> Vec<Publication> {
        let mut out = Vec::new();
        for (uri, diagnostics) in &current {
            if self.last.get(uri) != Some(diagnostics) || touched.contains(uri) {
                out.push(Publication { uri: uri.clone(), diagnostics: diagnostics.clone() });
            }
        }
        for uri in self.last.keys() {
            if !current.contains_key(uri) {
                out.push(Publication { uri: uri.clone(), diagnostics: Vec::new() });
            }
        }
        for uri in touched {
            if !current.contains_key(uri) && !self.last.contains_key(uri) && !out.iter().any(|p| &p.uri == uri) {
                out.push(Publication { uri: uri.clone(), diagnostics: Vec::new() });
            }
        }
        self.last = current.into_iter().filter(|(_, diagnostics)| !diagnostics.is_empty()).collect();
        out.sort_by(|a, b| AsRef::<str>::as_ref(&a.uri).cmp(b.uri.as_ref()));
        out
    }
}

/// Groups and converts the engine's diagnostics by document URI.
pub fn by_document(files: &Files<'_>, diagnostics: &[Diagnostic]) -> HashMap<lsp::Uri, Vec<lsp::Diagnostic>> {
    let mut grouped: HashMap<lsp::Uri, Vec<lsp::Diagnostic>> = HashMap::new();
    for diagnostic in diagnostics {
        let converted = convert(files, diagnostic);
        grouped.entry(uri::from_analysis_path(&diagnostic.path)).or_default().push(converted);
    }
    for list in grouped.values_mut() {
        list.dedup();
    }
    grouped
}

/// One engine diagnostic as an LSP diagnostic.
pub fn convert(files: &Files<'_>, diagnostic: &Diagnostic) -> lsp::Diagnostic {
    let range = files.range(&diagnostic.path, diagnostic.range).unwrap_or_default();
    let related: Vec<lsp::DiagnosticRelatedInformation> = diagnostic
        .related
        .iter()
        .map(|related| lsp::DiagnosticRelatedInformation {
            location: lsp::Location {
                uri: uri::from_analysis_path(&related.path),
                range: files.range(&related.path, related.range).unwrap_or_default(),
            },
            message: related.message.clone(),
        })
        .collect();
    lsp::Diagnostic {
        range,
        severity: Some(match diagnostic.severity {
            Severity::Error => lsp::DiagnosticSeverity::Error,
            Severity::Warning => lsp::DiagnosticSeverity::Warning,
        }),
        code: Some(lsp::Code::String(diagnostic.code.to_string())),
        source: Some(SOURCE.to_string()),
        message: lsp::Message::String(diagnostic.message.clone()),
        related_information: (!related.is_empty()).then_some(related),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagnostic(message: &str) -> lsp::Diagnostic {
        lsp::Diagnostic { message: lsp::Message::String(message.to_string()), ..Default::default() }
    }

    #[test]
    fn only_changed_documents_are_published_and_clean_ones_cleared_once() {
        let a = lsp::Uri::from("file:///a.wit");
        let b = lsp::Uri::from("file:///b.wit");
        let mut publisher = Publisher::default();
        let first = publisher.changes(HashMap::from([(a.clone(), vec![diagnostic("x")]), (b.clone(), vec![])]), &[]);
        assert_eq!(first.len(), 2);
        let same = publisher.changes(HashMap::from([(a.clone(), vec![diagnostic("x")])]), &[]);
        assert_eq!(same, vec![]);
        let cleared = publisher.changes(HashMap::new(), &[]);
        assert_eq!(cleared, vec![Publication { uri: a, diagnostics: vec![] }]);
        assert_eq!(publisher.changes(HashMap::new(), &[]), vec![]);
    }

    #[test]
    fn touched_documents_are_published_even_when_nothing_changed() {
        let a = lsp::Uri::from("file:///a.wit");
        let b = lsp::Uri::from("file:///b.wit");
        let c = lsp::Uri::from("file:///c.wit");
        let mut publisher = Publisher::default();
        // Opening a clean document: it gets an empty list, the other documents nothing new.
        let opened = publisher.changes(HashMap::from([(b.clone(), vec![diagnostic("y")])]), std::slice::from_ref(&a));
        assert_eq!(
            opened,
            vec![
                Publication { uri: a.clone(), diagnostics: vec![] },
                Publication { uri: b.clone(), diagnostics: vec![diagnostic("y")] },
            ]
        );
        // Editing it without changing anything: it is published again, `b` is not.
        let edited = publisher.changes(HashMap::from([(b.clone(), vec![diagnostic("y")])]), std::slice::from_ref(&a));
        assert_eq!(edited, vec![Publication { uri: a.clone(), diagnostics: vec![] }]);
        // Editing a document with an unchanged error: it gets the same list again, once; a
        // touched document that was never published and is clean gets an empty list.
        let again = publisher.changes(HashMap::from([(b.clone(), vec![diagnostic("y")])]), &[b.clone(), c.clone()]);
        assert_eq!(
            again,
            vec![
                Publication { uri: b.clone(), diagnostics: vec![diagnostic("y")] },
                Publication { uri: c, diagnostics: vec![] },
            ]
        );
        // Fixing it while it is touched: one empty list, not two.
        let fixed = publisher.changes(HashMap::new(), std::slice::from_ref(&b));
        assert_eq!(fixed, vec![Publication { uri: b, diagnostics: vec![] }]);
    }
}
