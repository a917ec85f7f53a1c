//! Range formatting: the minimal edits between a text and its formatted form, and the widening
//! of a selection to the items it overlaps.
//!
//! Both texts have the same significant tokens and comments, except for the commas the
//! formatter adds or drops, so the diff aligns the two token streams and compares the gaps
//! between aligned tokens (whitespace, mostly). Each differing gap becomes one edit, trimmed to
//! the bytes that actually differ.

use canopy_wit_syntax::SyntaxKind::*;
use canopy_wit_syntax::{SyntaxNode, TextRange, TextSize, Token, tokenize};

use crate::TextEdit;
use crate::spacing::is_item;

/// A non-whitespace token with its range.
struct Anchor {
    kind: canopy_wit_syntax::SyntaxKind,
    range: TextRange,
}

fn anchors(text: &str) -> Vec<Anchor> {
    let (tokens, _) = tokenize(text);
    let mut offset = TextSize::new(0);
    let mut anchors = Vec::new();
    for Token { kind, len } in tokens {
        if kind != WHITESPACE {
            anchors.push(Anchor { kind, range: TextRange::at(offset, len) });
        }
        offset += len;
    }
    anchors
}

fn slice(text: &str, range: TextRange) -> &str {
    &text[usize::from(range.start())..usize::from(range.end())]
}

/// The edits that turn `old` into `new`, sorted and not overlapping.
pub(crate) fn diff(old: &str, new: &str) -> Vec<TextEdit> {
    let (old_anchors, new_anchors) = (anchors(old), anchors(new));
    let mut edits = Vec::new();
    // End of the last pair of aligned anchors with identical text, in each text.
    let (mut old_pos, mut new_pos) = (TextSize::new(0), TextSize::new(0));
    let (mut i, mut j) = (0, 0);
    while i < old_anchors.len() && j < new_anchors.len() {
        let (o, n) = (&old_anchors[i], &new_anchors[j]);
        if o.kind == n.kind {
            if slice(old, o.range) == slice(new, n.range) {
                push_gap(
                    &mut edits,
                    old,
                    TextRange::new(old_pos, o.range.start()),
                    new,
                    TextRange::new(new_pos, n.range.start()),
                );
                old_pos = o.range.end();
                new_pos = n.range.end();
            }
            i += 1;
            j += 1;
        } else if n.kind == COMMA {
            j += 1;
        } else if o.kind == COMMA {
            i += 1;
        } else {
            // The streams disagree beyond commas (cannot happen for formatter output): replace
            // everything that is left in one edit.
            break;
        }
    }
    push_gap(
        &mut edits,
        old,
        TextRange::new(old_pos, TextSize::of(old)),
        new,
        TextRange::new(new_pos, TextSize::of(new)),
    );
    edits
}

/// Adds an edit replacing `old_range` of `old` by `new_range` of `new`, trimmed to the part
/// that differs, unless the two are equal.
fn push_gap(edits: &mut Vec<TextEdit>, old: &str, old_range: TextRange, new: &str, new_range: TextRange) {
    let (before, after) = (slice(old, old_range), slice(new, new_range));
    if before == after {
        return;
    }
    let prefix = common_prefix(before, after);
    let suffix = common_suffix(&before[prefix..], &after[prefix..]);
    let start = old_range.start() + TextSize::new(prefix as u32);
    let end = old_range.end() - TextSize::new(suffix as u32);
    edits.push(TextEdit {
        range: TextRange::new(start, end),
        new_text: after[prefix..after.len() - suffix].to_string(),
    });
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices().zip(b.chars()).find(|((_, x), y)| x != y).map_or(a.len().min(b.len()), |((i, _), _)| i)
}

fn common_suffix(a: &str, b: &str) -> usize {
    let mut length = 0;
    for (x, y) in a.chars().rev().zip(b.chars().rev()) {
        if x != y {
            break;
        }
        length += x.len_utf8();
    }
    length
}

/// `range` widened to the innermost items around its start and its end.
pub(crate) fn widen_to_items(root: &SyntaxNode, range: TextRange) -> TextRange {
    let mut widened = range;
    for offset in [range.start(), range.end()] {
        if offset > root.text_range().end() {
            continue;
        }
        let item = root
            .token_at_offset(offset)
            .filter_map(|token| token.parent_ancestors().find(|node| is_item(node.kind())))
            .min_by_key(|node| node.text_range().len());
        if let Some(item) = item {
            widened = widened.cover(canopy_wit_syntax::trimmed_range(&item));
        }
    }
    widened
}

/// Whether an edit at `edit` touches `range` (sharing a point counts).
pub(crate) fn touches(edit: TextRange, range: TextRange) -> bool {
    edit.start() <= range.end() && range.start() <= edit.end()
}
