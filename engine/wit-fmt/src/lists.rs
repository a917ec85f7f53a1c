//! Which comma-separated lists are printed vertically (one entry per line, trailing comma).
//!
//! Record fields and variant, enum and flags cases always are. The inline lists (function
//! parameters, tuple types, `use` names, `include … with` renames) stay on one line unless
//! - a comment sits between their brackets (it must keep its own line), or
//! - they are the first inline list of an item that fits on one line only by exceeding
//!   [`MAX_WIDTH`] columns (for a function: its parameter list).
//!
//! Both criteria depend only on the significant tokens and the comments, never on the
//! original whitespace, so the decision is the same when formatting the output again.

use std::collections::HashSet;

use canopy_wit_syntax::SyntaxKind::{self, *};
use canopy_wit_syntax::{SyntaxNode, SyntaxToken};

use crate::comments::is_comment;
use crate::spacing::{Separator, inline_separator, is_item};

/// Longest line (in characters, indentation included) an item may take before its first
/// inline list is broken over several lines.
pub const MAX_WIDTH: usize = 100;

/// Nodes whose `{ … }` always holds one entry per line.
pub(crate) fn is_block_list(kind: SyntaxKind) -> bool {
    matches!(kind, RECORD | VARIANT | ENUM | FLAGS)
}

/// Nodes whose comma-separated entries normally stay on one line.
pub(crate) fn is_inline_list(kind: SyntaxKind) -> bool {
    matches!(kind, PARAM_LIST | TUPLE_TYPE | USE_NAME_LIST | INCLUDE_WITH)
}

/// Nodes whose `{ … }` holds items, one per line.
pub(crate) fn is_item_block(kind: SyntaxKind) -> bool {
    matches!(kind, ITEM_LIST | RESOURCE_BODY | NESTED_PACKAGE)
}

/// The opening bracket of a list node: its first direct child token of an opening kind.
pub(crate) fn opener(node: &SyntaxNode) -> Option<SyntaxToken> {
    node.children_with_tokens().filter_map(|e| e.into_token()).find(|t| matches!(t.kind(), L_PAREN | L_ANGLE | L_BRACE))
}

/// The inline lists of one file that are printed vertically.
pub(crate) struct VerticalLists {
    nodes: HashSet<SyntaxNode>,
}

impl VerticalLists {
    /// Decides for every inline list under `root`, indenting by `indent` spaces per level.
    pub(crate) fn compute(root: &SyntaxNode, indent: u32) -> Self {
        let mut nodes = HashSet::new();
        for node in root.descendants() {
            if is_inline_list(node.kind()) && has_comment_inside(&node) {
                nodes.insert(node);
            } else if is_item(node.kind())
                && let Some(list) = node.descendants().find(|n| is_inline_list(n.kind()))
                && flat_width(&node, indent).is_some_and(|width| width > MAX_WIDTH)
            {
                nodes.insert(list);
            }
        }
        VerticalLists { nodes }
    }

    /// Whether `node` prints one entry per line.
    pub(crate) fn is_vertical(&self, node: &SyntaxNode) -> bool {
        is_block_list(node.kind()) || self.nodes.contains(node)
    }
}

/// Whether a comment follows the list's opening bracket inside the list.
fn has_comment_inside(list: &SyntaxNode) -> bool {
    let Some(open) = opener(list) else { return false };
    list.descendants_with_tokens()
        .filter_map(|e| e.into_token())
        .any(|t| is_comment(t.kind()) && t.text_range().start() >= open.text_range().end())
}

/// The width of `item` printed on one line at its indentation, from its first significant
/// token after its attributes to its end; `None` when it cannot be printed on one line (it
/// holds a block, a vertical list or a comment).
fn flat_width(item: &SyntaxNode, indent: u32) -> Option<usize> {
    let depth = item.ancestors().filter(|n| is_item_block(n.kind())).count();
    let mut width = depth * indent as usize;
    let mut previous: Option<SyntaxToken> = None;
    for token in item.descendants_with_tokens().filter_map(|e| e.into_token()) {
        if token.parent_ancestors().any(|n| n.kind() == ATTRIBUTE) {
            continue;
        }
        let kind = token.kind();
        if kind == WHITESPACE {
            continue;
        }
        if previous.is_none() && kind.is_trivia() {
            continue; // leading comments (docs) are on lines of their own
        }
        if is_comment(kind) || token.parent().is_some_and(|p| is_block_list(p.kind()) || is_item_block(p.kind())) {
            return None;
        }
        if kind == COMMA && is_trailing_comma(&token) {
            continue;
        }
        if let Some(previous) = &previous
            && inline_separator(previous, &token) == Separator::Space
        {
            width += 1;
        }
        width += token.text().chars().count();
        previous = Some(token);
    }
    Some(width)
}

/// Whether the comma `token` is directly followed (trivia aside) by the closer of its list.
pub(crate) fn is_trailing_comma(token: &SyntaxToken) -> bool {
    let mut next = token.next_token();
    while let Some(t) = &next {
        if !t.kind().is_trivia() {
            break;
        }
        next = t.next_token();
    }
    next.is_some_and(|n| matches!(n.kind(), R_PAREN | R_ANGLE | R_BRACE) && n.parent() == token.parent())
}
