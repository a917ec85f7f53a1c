//! Engine values (byte ranges in files named by path) to LSP values (positions in documents named
//! by URI), and the mapping of the engine's kinds to LSP's.
//!
//! [`Files`] converts ranges of any file of the workspace, indexing each file's lines once per
//! request.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use canopy_wit_ide as ide;
use canopy_wit_syntax::{TextRange, TextSize};
use tower_lsp_server::gen_lsp_types as lsp;

use crate::position::{LineIndex, PositionEncoding};
use crate::uri;
use crate::workspace::Workspace;

/// A file's text with its line index, built once per request.
type IndexedText = (Arc<str>, Arc<LineIndex>);

/// Range conversion over the files of a workspace.
pub struct Files<'a> {
    workspace: &'a Workspace,
    encoding: PositionEncoding,
    indexes: RefCell<HashMap<String, Option<IndexedText>>>,
}

impl<'a> Files<'a> {
    /// A converter over `workspace`, counting characters in `encoding`.
    pub fn new(workspace: &'a Workspace, encoding: PositionEncoding) -> Self {
        Files { workspace, encoding, indexes: RefCell::new(HashMap::new()) }
    }

    /// The text and line index of a file.
    fn indexed(&self, key: &str) -> Option<IndexedText> {
        let mut indexes = self.indexes.borrow_mut();
        indexes
            .entry(key.to_string())
            .or_insert_with(|| {
                let text = self.workspace.text(key)?;
                let index = Arc::new(LineIndex::new(&text));
                Some((text, index))
            })
            .clone()
    }

    /// The current text of a file.
    pub fn text(&self, key: &str) -> Option<Arc<str>> {
        self.indexed(key).map(|(text, _)| text)
    }

    /// The byte offset of a position in a file.
    pub fn offset(&self, key: &str, position: lsp::Position) -> Option<TextSize> {
        let (text, index) = self.indexed(key)?;
        Some(index.offset(&text, position, self.encoding))
    }

    /// The byte range of an LSP range in a file.
    pub fn text_range(&self, key: &str, range: lsp::Range) -> Option<TextRange> {
        let (text, index) = self.indexed(key)?;
        Some(index.text_range(&text, range, self.encoding))
    }

    /// The LSP range of a byte range in a file.
    pub fn range(&self, key: &str, range: TextRange) -> Option<lsp::Range> {
        let (text, index) = self.indexed(key)?;
        Some(index.range(&text, range, self.encoding))
    }

    /// The LSP position of a byte offset in a file.
    pub fn position(&self, key: &str, offset: TextSize) -> Option<lsp::Position> {
        let (text, index) = self.indexed(key)?;
        Some(index.position(&text, offset, self.encoding))
    }

    /// The whole text of a file as a byte range.
    pub fn full_range(&self, key: &str) -> Option<TextRange> {
        let (text, _) = self.indexed(key)?;
        Some(TextRange::up_to(TextSize::from(u32::try_from(text.len()).unwrap_or(u32::MAX))))
    }

    /// A location in a file.
    pub fn location(&self, key: &str, range: TextRange) -> Option<lsp::Location> {
        Some(lsp::Location { uri: uri::from_analysis_path(key), range: self.range(key, range)? })
    }

    /// A text edit in a file.
    pub fn text_edit(&self, key: &str, range: TextRange, new_text: String) -> Option<lsp::TextEdit> {
        Some(lsp::TextEdit { range: self.range(key, range)?, new_text })
    }

    /// A workspace edit of an engine source change.
    pub fn workspace_edit(&self, change: &ide::SourceChange) -> lsp::WorkspaceEdit {
        let mut changes = HashMap::new();
        for (path, edits) in &change.edits {
            let converted: Vec<lsp::TextEdit> =
                edits.iter().filter_map(|edit| self.text_edit(path, edit.range, edit.new_text.clone())).collect();
            changes.insert(uri::from_analysis_path(path), converted);
        }
        lsp::WorkspaceEdit { changes: Some(changes), ..Default::default() }
    }
}

/// The LSP symbol kind of an engine symbol kind.
pub fn symbol_kind(kind: ide::SymbolKind) -> lsp::SymbolKind {
    use ide::SymbolKind as K;
    match kind {
        K::Package => lsp::SymbolKind::Package,
        K::Interface => lsp::SymbolKind::Interface,
        K::World => lsp::SymbolKind::Module,
        K::Record => lsp::SymbolKind::Struct,
        K::Variant | K::Enum => lsp::SymbolKind::Enum,
        K::Flags => lsp::SymbolKind::Struct,
        K::Resource => lsp::SymbolKind::Class,
        K::TypeAlias => lsp::SymbolKind::TypeParameter,
        K::Function => lsp::SymbolKind::Function,
        K::Method => lsp::SymbolKind::Method,
        K::Constructor => lsp::SymbolKind::Constructor,
        K::Field => lsp::SymbolKind::Field,
        K::Case => lsp::SymbolKind::EnumMember,
        K::Import | K::Export => lsp::SymbolKind::Namespace,
    }
}

/// The LSP completion kind of an engine completion kind.
pub fn completion_kind(kind: ide::CompletionKind) -> lsp::CompletionItemKind {
    use ide::CompletionKind as K;
    match kind {
        K::Keyword => lsp::CompletionItemKind::Keyword,
        K::Type => lsp::CompletionItemKind::Struct,
        K::Interface => lsp::CompletionItemKind::Interface,
        K::World | K::Package => lsp::CompletionItemKind::Module,
        K::Function => lsp::CompletionItemKind::Function,
        K::Field => lsp::CompletionItemKind::Field,
        K::Case => lsp::CompletionItemKind::EnumMember,
        K::Gate => lsp::CompletionItemKind::Property,
        K::Primitive => lsp::CompletionItemKind::TypeParameter,
    }
}

/// The LSP folding kind of an engine folding kind (`None` for plain regions).
pub fn folding_kind(kind: ide::FoldingKind) -> Option<lsp::FoldingRangeKind> {
    match kind {
        ide::FoldingKind::Region => None,
        ide::FoldingKind::Comment => Some(lsp::FoldingRangeKind::Comment),
        ide::FoldingKind::Imports => Some(lsp::FoldingRangeKind::Imports),
    }
}
