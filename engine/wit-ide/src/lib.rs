//! IDE features of the WIT language server, as plain functions over an [`AnalysisHost`].
//!
//! Positions are byte offsets ([`TextSize`]) into a file's current text; files are named by their
//! path in the layout. Nothing here knows the Language Server Protocol: the `lsp` crate converts.
//! Every function answers empty (or `None`, or an error message) for unknown files and offsets
//! past the end of the text, and never panics.
//!
//! One module per feature. Shared helpers: `lookup` (what is at an offset, how `use`s chain
//! declarations, the index of resolved definitions by location), `render` (definitions back as
//! WIT text) and `abi` (canonical-ABI facts through `canopy-canonical-abi`).

mod abi;
mod code_actions;
mod completion;
mod folding;
mod goto;
mod highlight;
mod hover;
mod inlay_hints;
mod lookup;
mod references;
mod rename;
mod render;
mod selection;
mod semantic_tokens;
mod symbols;

use std::sync::Arc;

pub use canopy_wit_analysis::AnalysisHost;
pub use canopy_wit_syntax::{TextRange, TextSize};

pub use code_actions::{CodeAction, code_actions};
pub use completion::{CompletionItem, CompletionKind, completions};
pub use folding::{FoldingKind, folding_ranges};
pub use goto::{goto_declaration, goto_definition, goto_type_definition};
pub use highlight::{HighlightKind, document_highlights};
pub use hover::{Hover, hover};
pub use inlay_hints::{InlayHint, inlay_hints};
pub use references::find_references;
pub use rename::{prepare_rename, rename};
pub use selection::selection_ranges;
pub use semantic_tokens::{SemanticToken, SemanticTokenKind, modifiers, semantic_tokens};
pub use symbols::{DocumentSymbol, SymbolKind, WorkspaceSymbol, document_symbols, workspace_symbols};

/// A range in a file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FileRange {
    /// The file's path in the layout.
    pub path: Arc<str>,
    /// The range in its text.
    pub range: TextRange,
}

/// Something to jump to: a definition with its whole extent and its name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NavigationTarget {
    /// The file's path in the layout.
    pub path: Arc<str>,
    /// The whole item (docs and body included), for previews.
    pub full_range: TextRange,
    /// The name at the definition, where the cursor goes.
    pub focus_range: TextRange,
    /// The name.
    pub name: String,
}

/// One replacement of a range of text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TextEdit {
    /// What to replace (empty for an insertion).
    pub range: TextRange,
    /// The replacement.
    pub new_text: String,
}

/// Edits over several files, each file's edits sorted by position and non-overlapping.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceChange {
    /// `(path, edits)`, sorted by path.
    pub edits: Vec<(Arc<str>, Vec<TextEdit>)>,
}
