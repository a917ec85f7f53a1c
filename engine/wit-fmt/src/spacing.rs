//! The style rules: what separates two neighbouring significant tokens, and which commas are
//! added or dropped.
//!
//! Everything here is decided from the two tokens, the nodes they sit in and the choice of
//! vertical lists (see `lists`), never from the original whitespace; that is what makes the
//! output canonical and formatting idempotent.

use canopy_wit_syntax::SyntaxKind::{self, *};
use canopy_wit_syntax::{SyntaxNode, SyntaxToken};

use crate::lists::{VerticalLists, is_inline_list, is_item_block, is_trailing_comma, opener};

/// What goes between two significant tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Separator {
    /// Nothing: `list<u32>`, `a:b`, `f(`.
    Glue,
    /// One space: `a: u32`, `x = y`, `-> t`.
    Space,
    /// A line break; whether a blank line the author left there may stay.
    Line(BlankLines),
}

/// Where blank lines of the original survive a line break (collapsed to one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BlankLines {
    /// Between items, fields or cases: kept.
    Keep,
    /// Right after a block's opening bracket: dropped, except after a comment that opens it.
    AfterOpen,
    /// Right before a block's closing bracket: dropped, except before a comment that ends it.
    BeforeClose,
    /// Between a gate or annotation and what it applies to: dropped.
    Never,
}

/// Nodes that are items: one per line, separated by line breaks.
pub(crate) fn is_item(kind: SyntaxKind) -> bool {
    matches!(
        kind,
        PACKAGE_DECL
            | NESTED_PACKAGE
            | TOPLEVEL_USE
            | INTERFACE
            | WORLD
            | USE
            | TYPE_ALIAS
            | RECORD
            | VARIANT
            | ENUM
            | FLAGS
            | RESOURCE
            | CONSTRUCTOR
            | RESOURCE_METHOD
            | FUNC
            | IMPORT
            | EXPORT
            | INCLUDE
    )
}

/// The closing kind matching an opening one.
fn closer_of(open: SyntaxKind) -> SyntaxKind {
    match open {
        L_PAREN => R_PAREN,
        L_ANGLE => R_ANGLE,
        _ => R_BRACE,
    }
}

/// The node whose contents a bracket token opens or closes on lines of their own, if the
/// token is such a bracket.
fn vertical_owner(token: &SyntaxToken, lists: &VerticalLists) -> Option<SyntaxNode> {
    if !matches!(token.kind(), L_BRACE | R_BRACE | L_PAREN | R_PAREN | L_ANGLE | R_ANGLE) {
        return None;
    }
    let parent = token.parent()?;
    if is_item_block(parent.kind()) {
        return matches!(token.kind(), L_BRACE | R_BRACE).then_some(parent);
    }
    if !lists.is_vertical(&parent) {
        return None;
    }
    let open = opener(&parent)?;
    (token == &open || token.kind() == closer_of(open.kind())).then_some(parent)
}

/// Whether `token` opens contents printed one entry per line (and indented one level).
pub(crate) fn opens_block(token: &SyntaxToken, lists: &VerticalLists) -> bool {
    matches!(token.kind(), L_BRACE | L_PAREN | L_ANGLE) && vertical_owner(token, lists).is_some()
}

/// Whether `token` closes contents printed one entry per line.
pub(crate) fn closes_block(token: &SyntaxToken, lists: &VerticalLists) -> bool {
    matches!(token.kind(), R_BRACE | R_PAREN | R_ANGLE) && vertical_owner(token, lists).is_some()
}

/// Whether `token` closes a bracket (`)`, `>`, `}`), so that a line break forced before it
/// returns to the indentation of the line that opened it.
pub(crate) fn is_closer(token: &SyntaxToken) -> bool {
    matches!(token.kind(), R_PAREN | R_ANGLE | R_BRACE)
}

/// The last significant token inside `node`, if any.
fn last_significant(node: &SyntaxNode) -> Option<SyntaxToken> {
    let mut token = node.last_token();
    while let Some(current) = token {
        if !node.text_range().contains_range(current.text_range()) {
            return None;
        }
        if !current.kind().is_trivia() {
            return Some(current);
        }
        token = current.prev_token();
    }
    None
}

/// Whether `token` is the last significant token of an ancestor of one of `kinds`.
fn ends_node(token: &SyntaxToken, kinds: impl Fn(SyntaxKind) -> bool) -> bool {
    token
        .parent_ancestors()
        .filter(|node| kinds(node.kind()))
        .any(|node| last_significant(&node).is_some_and(|last| last == *token))
}

/// Whether `token` is the first significant token of the `VERSION` node it sits in.
fn starts_version(token: &SyntaxToken) -> bool {
    let Some(parent) = token.parent() else { return false };
    parent.children_with_tokens().filter_map(|e| e.into_token()).find(|t| !t.kind().is_trivia()).as_ref() == Some(token)
}

/// What separates the significant tokens `a` and `b` (`b` directly follows `a`, ignoring
/// trivia and dropped commas).
pub(crate) fn between(a: &SyntaxToken, b: &SyntaxToken, lists: &VerticalLists) -> Separator {
    let a_open = opens_block(a, lists);
    let b_close = closes_block(b, lists);
    if a_open && b_close {
        return Separator::Glue;
    }
    if a_open {
        return Separator::Line(BlankLines::AfterOpen);
    }
    if b_close {
        return Separator::Line(BlankLines::BeforeClose);
    }
    if ends_node(a, |k| k == ATTRIBUTE) {
        return Separator::Line(BlankLines::Never);
    }
    if ends_node(a, is_item) {
        return Separator::Line(BlankLines::Keep);
    }
    if a.kind() == COMMA && a.parent().is_some_and(|p| lists.is_vertical(&p)) {
        return Separator::Line(BlankLines::Keep);
    }
    inline_separator(a, b)
}

/// Separators within a line.
pub(crate) fn inline_separator(a: &SyntaxToken, b: &SyntaxToken) -> Separator {
    let (ka, kb) = (a.kind(), b.kind());
    let parent = |t: &SyntaxToken| t.parent().map(|p| p.kind());
    let (pa, pb) = (parent(a), parent(b));
    let glue = match kb {
        COMMA | SEMICOLON | COLON | SLASH | DOT | L_PAREN | R_PAREN | L_ANGLE | R_ANGLE => true,
        AT => pb == Some(VERSION),
        L_BRACE | R_BRACE => pb == Some(USE_NAME_LIST),
        _ => false,
    } || match ka {
        SLASH | DOT | AT | L_PAREN | L_ANGLE => true,
        COLON => pa == Some(PACKAGE_NAME),
        L_BRACE => pa == Some(USE_NAME_LIST),
        _ => false,
    } || (pb == Some(VERSION) && !starts_version(b));
    if glue { Separator::Glue } else { Separator::Space }
}

/// Whether a comma must be printed after `a`, which is followed by `b`: the last entry of a
/// vertical list gets a trailing comma.
pub(crate) fn needs_trailing_comma(a: &SyntaxToken, b: &SyntaxToken, lists: &VerticalLists) -> bool {
    a.kind() != COMMA
        && !opens_block(a, lists)
        && closes_block(b, lists)
        && b.parent().is_some_and(|p| !is_item_block(p.kind()))
}

/// Whether the comma `token` is the trailing comma of a list printed on one line, and so is
/// left out.
pub(crate) fn is_dropped_comma(token: &SyntaxToken, lists: &VerticalLists) -> bool {
    token.kind() == COMMA
        && token.parent().is_some_and(|p| is_inline_list(p.kind()) && !lists.is_vertical(&p))
        && is_trailing_comma(token)
}
