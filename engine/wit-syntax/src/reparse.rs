//! Incremental reparsing: applies a text edit to an existing [`Parse`] by relexing the one token
//! the edit falls in, when that provably yields the same tree shape as a full parse.
//!
//! Typing inside a comment, a doc comment, whitespace or a name is the common case in an
//! editor, and none of those can change the tree's structure: the token keeps its kind, so the
//! parser would make exactly the same decisions. Such an edit swaps one green token and shares
//! every other node with the old tree, at a cost proportional to the tree's depth instead of the
//! file's size. Anything else falls back to a full [`parse`](crate::parse).
//!
//! The proof obligation for the token swap, checked here:
//! - the edit lies inside one token (touching its ends is allowed), and that token is trivia, or
//!   a name (`IDENT` directly under `NAME` / `NAME_REF`) whose old and new texts are both valid
//!   identifiers (so the parser's kebab-case check reports nothing either way) and are not words
//!   the grammar reads as text (attribute names and keys);
//! - relexing the new token together with its neighbours gives back exactly three tokens: the
//!   unchanged neighbours and one token of the old kind, with no lexical error (so the edit cannot
//!   merge into or split off a neighbour);
//! - no syntax error of the old parse touches the token.

use rowan::{GreenToken, TextRange, TextSize};

use crate::SyntaxKind::{self, *};
use crate::{Parse, SyntaxError, SyntaxToken, lexer, validate_id};

/// A change to a file's text: the bytes in `delete` are replaced by `insert`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    /// The replaced range, in the old text.
    pub delete: TextRange,
    /// The new text put in its place.
    pub insert: String,
}

impl TextEdit {
    /// Applies the edit to `text`. `None` when the range is out of bounds or not on character
    /// boundaries.
    pub fn apply(&self, text: &str) -> Option<String> {
        let start = usize::from(self.delete.start());
        let end = usize::from(self.delete.end());
        if end > text.len() || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            return None;
        }
        let mut out = String::with_capacity(text.len() - (end - start) + self.insert.len());
        out.push_str(&text[..start]);
        out.push_str(&self.insert);
        out.push_str(&text[end..]);
        Some(out)
    }
}

/// The outcome of [`Parse::reparse_incremental`].
#[derive(Debug, Clone)]
pub struct Reparse {
    /// The new parse; always equal to a full parse of the new text.
    pub parse: Parse,
    /// The token that was swapped, when the single-token path ran; `None` after a full parse.
    pub swapped: Option<SwappedToken>,
}

/// The one token an incremental reparse replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SwappedToken {
    /// Its kind (the same before and after the edit).
    pub kind: SyntaxKind,
    /// Its range in the old text.
    pub old_range: TextRange,
    /// Its length in the new text.
    pub new_len: TextSize,
}

/// Words the grammar compares as text when they appear as identifiers: changing a name to or
/// from one of them could change how the parser reads it.
const GRAMMAR_WORDS: &[&str] = &["since", "unstable", "deprecated", "external-id", "version", "feature"];

impl Parse {
    /// The parse of `new_text`, which must be this parse's text with `edit` applied. Reuses the
    /// old tree when the edit stays inside one token whose kind cannot change (see the module
    /// docs); otherwise parses `new_text` from scratch. Either way the result equals
    /// `parse(new_text)`.
    pub fn reparse(&self, edit: &TextEdit, new_text: &str) -> Parse {
        self.reparse_incremental(edit, new_text).parse
    }

    /// Like [`reparse`](Parse::reparse), and also says which token was swapped when the
    /// single-token path ran, so that callers can tell an edit that only touched trivia (and so
    /// cannot change anything but positions and doc text) from one that may change meaning.
    pub fn reparse_incremental(&self, edit: &TextEdit, new_text: &str) -> Reparse {
        match self.reparse_token(edit, new_text) {
            Some((parse, swapped)) => Reparse { parse, swapped: Some(swapped) },
            None => Reparse { parse: crate::parse(new_text), swapped: None },
        }
    }

    /// Whether `reparse` would take the single-token path for this edit (for tests and
    /// benchmarks that want to know which path ran).
    pub fn can_reparse_token(&self, edit: &TextEdit, new_text: &str) -> bool {
        self.reparse_token(edit, new_text).is_some()
    }

    fn reparse_token(&self, edit: &TextEdit, new_text: &str) -> Option<(Parse, SwappedToken)> {
        let root = self.syntax();
        let old_len = root.text_range().len();
        if edit.delete.end() > old_len {
            return None;
        }
        if usize::from(old_len) - usize::from(edit.delete.len()) + edit.insert.len() != new_text.len() {
            return None;
        }
        let delta_len = TextSize::try_from(edit.insert.len()).ok()?;
        let token = token_containing(&root, edit.delete)?;
        if !is_relexable(&token) {
            return None;
        }
        let token_range = token.text_range();
        let relative = edit.delete - token_range.start();
        let new_token_text = TextEdit { delete: relative, insert: edit.insert.clone() }.apply(token.text())?;
        if new_token_text.is_empty() || !same_lexing(&token, &new_token_text) {
            return None;
        }
        if token.kind() == IDENT && !is_plain_name(&new_token_text) {
            return None;
        }
        if self.errors().iter().any(|e| touches(e.range, token_range)) {
            return None;
        }

        let new_token = GreenToken::new(token.kind().into(), &new_token_text);
        let green = token.replace_with(new_token);
        let errors = shift_errors(self.errors(), token_range, edit.delete.len(), delta_len);
        let swapped =
            SwappedToken { kind: token.kind(), old_range: token_range, new_len: TextSize::of(&new_token_text) };
        Some((Parse { green, errors }, swapped))
    }
}

/// The token that contains `range` (an empty range at a boundary between two tokens belongs to
/// either; the one on the left is tried, then the one on the right).
fn token_containing(root: &crate::SyntaxNode, range: TextRange) -> Option<SyntaxToken> {
    let covers = |t: &SyntaxToken| t.text_range().contains_range(range);
    let at = root.token_at_offset(range.start());
    let (left, right) = match at {
        rowan::TokenAtOffset::None => return None,
        rowan::TokenAtOffset::Single(t) => (Some(t), None),
        rowan::TokenAtOffset::Between(l, r) => (Some(l), Some(r)),
    };
    left.filter(covers).or_else(|| right.filter(covers))
}

/// Tokens whose kind alone decides how the parser treats them.
fn is_relexable(token: &SyntaxToken) -> bool {
    let kind = token.kind();
    if kind.is_trivia() {
        return true;
    }
    kind == IDENT && token.parent().is_some_and(|p| matches!(p.kind(), NAME | NAME_REF)) && is_plain_name(token.text())
}

/// A valid identifier that the grammar never reads as a word.
fn is_plain_name(text: &str) -> bool {
    validate_id(text).is_ok() && !GRAMMAR_WORDS.contains(&text)
}

/// Whether relexing the new token text between its old neighbours gives the neighbours back
/// unchanged and one token of the old kind, without lexical errors.
fn same_lexing(token: &SyntaxToken, new_text: &str) -> bool {
    let prev = token.prev_token();
    let next = token.next_token();
    let mut text = String::new();
    let mut expected: Vec<(SyntaxKind, TextSize)> = Vec::with_capacity(3);
    for (part, kind) in [
        (prev.as_ref().map(|t| t.text()), prev.as_ref().map(|t| t.kind())),
        (Some(new_text), Some(token.kind())),
        (next.as_ref().map(|t| t.text()), next.as_ref().map(|t| t.kind())),
    ] {
        if let (Some(part), Some(kind)) = (part, kind) {
            text.push_str(part);
            expected.push((kind, TextSize::of(part)));
        }
    }
    let (tokens, errors) = lexer::tokenize(&text);
    errors.is_empty()
        && tokens.len() == expected.len()
        && tokens.iter().zip(&expected).all(|(t, &(kind, len))| t.kind == kind && t.len == len)
}

/// Whether an error's range touches the token (an empty error range at either end counts).
fn touches(error: TextRange, token: TextRange) -> bool {
    error.start() <= token.end() && token.start() <= error.end()
}

/// The old errors, moved past the edit (none of them touches the edited token).
fn shift_errors(errors: &[SyntaxError], token: TextRange, deleted: TextSize, inserted: TextSize) -> Vec<SyntaxError> {
    errors
        .iter()
        .map(|e| {
            if e.range.start() >= token.end() {
                let start = e.range.start() - deleted + inserted;
                SyntaxError { message: e.message.clone(), range: TextRange::at(start, e.range.len()) }
            } else {
                e.clone()
            }
        })
        .collect()
}
