//! Semantic tokens: the legend, the LSP's relative encoding, and `full/delta` results.
//!
//! The engine classifies tokens with byte ranges; here they become the flat LSP array of
//! `(deltaLine, deltaStart, length, type, modifiers)` quintuples. For `full/delta` the server
//! keeps the last array sent per document with its result id and answers with the single edit
//! that turns the old array into the new one (common prefix and suffix kept).

use std::collections::HashMap;

use canopy_wit_ide::{SemanticToken, SemanticTokenKind};
use tower_lsp_server::gen_lsp_types as lsp;

use crate::convert::Files;

/// Token types, indexed by [`type_index`].
const TOKEN_TYPES: [lsp::SemanticTokenTypes; 18] = [
    lsp::SemanticTokenTypes::Keyword,
    lsp::SemanticTokenTypes::Comment,
    lsp::SemanticTokenTypes::String,
    lsp::SemanticTokenTypes::Number,
    lsp::SemanticTokenTypes::Operator,
    lsp::SemanticTokenTypes::Namespace,
    lsp::SemanticTokenTypes::Interface,
    lsp::SemanticTokenTypes::Class,
    lsp::SemanticTokenTypes::Type,
    lsp::SemanticTokenTypes::Enum,
    lsp::SemanticTokenTypes::EnumMember,
    lsp::SemanticTokenTypes::Struct,
    lsp::SemanticTokenTypes::Property,
    lsp::SemanticTokenTypes::Function,
    lsp::SemanticTokenTypes::Method,
    lsp::SemanticTokenTypes::Parameter,
    lsp::SemanticTokenTypes::Decorator,
    lsp::SemanticTokenTypes::TypeParameter,
];

/// Modifiers, in the bit order of `canopy_wit_ide::modifiers`.
const TOKEN_MODIFIERS: [lsp::SemanticTokenModifiers; 4] = [
    lsp::SemanticTokenModifiers::Declaration,
    lsp::SemanticTokenModifiers::Deprecated,
    lsp::SemanticTokenModifiers::DefaultLibrary,
    lsp::SemanticTokenModifiers::Documentation,
];

/// The legend announced in the server capabilities.
pub fn legend() -> lsp::SemanticTokensLegend {
    lsp::SemanticTokensLegend {
        token_types: TOKEN_TYPES.iter().map(|kind| String::from(kind.clone())).collect(),
        token_modifiers: TOKEN_MODIFIERS.iter().map(|modifier| String::from(modifier.clone())).collect(),
    }
}

/// The legend index of an engine token kind. Worlds share `namespace` with packages;
/// resources are classes; doc comments are comments with the documentation modifier.
fn type_index(kind: SemanticTokenKind) -> u32 {
    use SemanticTokenKind as K;
    match kind {
        K::Keyword => 0,
        K::Comment | K::DocComment => 1,
        K::String => 2,
        K::Number => 3,
        K::Operator => 4,
        K::Namespace | K::World => 5,
        K::Interface => 6,
        K::Resource => 7,
        K::Type => 8,
        K::Enum => 9,
        K::EnumMember => 10,
        K::Struct => 11,
        K::Field => 12,
        K::Function => 13,
        K::Method => 14,
        K::Parameter => 15,
        K::Decorator => 16,
        K::TypeParameter => 17,
    }
}

/// The flat LSP array of a file's tokens (sorted, single-line, as the engine gives them).
pub fn encode(files: &Files<'_>, key: &str, tokens: &[SemanticToken]) -> Vec<u32> {
    let mut data = Vec::with_capacity(tokens.len() * 5);
    let (mut previous_line, mut previous_start) = (0u32, 0u32);
    for token in tokens {
        let (Some(start), Some(end)) =
            (files.position(key, token.range.start()), files.position(key, token.range.end()))
        else {
            continue;
        };
        if end.line != start.line || end.character <= start.character {
            continue;
        }
        if start.line < previous_line || (start.line == previous_line && start.character < previous_start) {
            continue;
        }
        let delta_line = start.line - previous_line;
        let delta_start = if delta_line == 0 { start.character - previous_start } else { start.character };
        let mut modifiers = token.modifiers;
        if token.kind == SemanticTokenKind::DocComment {
            modifiers |= canopy_wit_ide::modifiers::DOCUMENTATION;
        }
        data.extend([delta_line, delta_start, end.character - start.character, type_index(token.kind), modifiers]);
        (previous_line, previous_start) = (start.line, start.character);
    }
    data
}

/// The LSP form of a flat array.
pub fn to_lsp(data: &[u32]) -> Vec<lsp::SemanticToken> {
    data.chunks_exact(5)
        .map(|chunk| lsp::SemanticToken {
            delta_line: chunk[0],
            delta_start: chunk[1],
            length: chunk[2],
            token_type: chunk[3],
            token_modifiers_bitset: chunk[4],
        })
        .collect()
}

/// The single edit turning `old` into `new` (none when they are equal).
pub fn delta(old: &[u32], new: &[u32]) -> Vec<lsp::SemanticTokensEdit> {
    if old == new {
        return Vec::new();
    }
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let max_suffix = old.len().min(new.len()) - prefix;
    let suffix = old.iter().rev().zip(new.iter().rev()).take(max_suffix).take_while(|(a, b)| a == b).count();
    let inserted = &new[prefix..new.len() - suffix];
    vec![lsp::SemanticTokensEdit {
        start: to_u32(prefix),
        delete_count: to_u32(old.len() - prefix - suffix),
        data: (!inserted.is_empty()).then(|| inserted.to_vec()),
    }]
}

fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// The last full result sent per document, for deltas.
#[derive(Debug, Default)]
pub struct ResultCache {
    next_id: u64,
    last: HashMap<String, (String, Vec<u32>)>,
}

impl ResultCache {
    /// Records `data` as the latest result for a document and returns its new result id.
    pub fn store(&mut self, key: &str, data: Vec<u32>) -> String {
        self.next_id += 1;
        let id = self.next_id.to_string();
        self.last.insert(key.to_string(), (id.clone(), data));
        id
    }

    /// The data of the result with this id, if it is the document's latest.
    pub fn previous(&self, key: &str, result_id: &str) -> Option<&[u32]> {
        self.last.get(key).filter(|(id, _)| id == result_id).map(|(_, data)| data.as_slice())
    }

    /// Forgets a closed document.
    pub fn forget(&mut self, key: &str) {
        self.last.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(old: &[u32], edits: &[lsp::SemanticTokensEdit]) -> Vec<u32> {
        let mut out = old.to_vec();
        for edit in edits.iter().rev() {
            let start = edit.start as usize;
            out.splice(start..start + edit.delete_count as usize, edit.data.clone().unwrap_or_default());
        }
        out
    }

    #[test]
    fn delta_keeps_common_prefix_and_suffix() {
        let old = [0, 0, 3, 1, 0, 1, 2, 4, 5, 0, 0, 6, 1, 1, 0];
        let new = [0, 0, 3, 1, 0, 1, 2, 7, 5, 0, 0, 6, 1, 1, 0];
        let edits = delta(&old, &new);
        assert_eq!(edits.len(), 1);
        assert_eq!((edits[0].start, edits[0].delete_count, edits[0].data.clone()), (7, 1, Some(vec![7])));
        assert_eq!(apply(&old, &edits), new);
    }

    #[test]
    fn delta_of_insertions_deletions_and_equal_arrays() {
        assert!(delta(&[1, 2, 3], &[1, 2, 3]).is_empty());
        let grown = delta(&[1, 1, 1], &[1, 1, 1, 1, 1]);
        assert_eq!(apply(&[1, 1, 1], &grown), vec![1, 1, 1, 1, 1]);
        let shrunk = delta(&[1, 2, 3, 4], &[1, 4]);
        assert_eq!(apply(&[1, 2, 3, 4], &shrunk), vec![1, 4]);
        assert_eq!(shrunk[0].data, None);
    }

    #[test]
    fn legend_matches_type_indexes() {
        let legend = legend();
        assert_eq!(legend.token_types[type_index(SemanticTokenKind::Function) as usize], "function");
        assert_eq!(legend.token_types[type_index(SemanticTokenKind::Resource) as usize], "class");
        assert_eq!(legend.token_modifiers[3], "documentation");
    }
}
