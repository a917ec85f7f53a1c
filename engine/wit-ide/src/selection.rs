//! Selection ranges: the token at the cursor, then each enclosing syntax node.

use canopy_wit_analysis::AnalysisHost;
use canopy_wit_syntax::{TextRange, TextSize, trimmed_range};

use crate::lookup::FileCtx;

/// Ranges enclosing `offset`, innermost first, each strictly larger than the previous; the
/// last is the whole file.
pub fn selection_ranges(host: &AnalysisHost, path: &str, offset: TextSize) -> Vec<TextRange> {
    let Some(ctx) = FileCtx::new(host, path) else { return Vec::new() };
    if !ctx.contains(offset) {
        return Vec::new();
    }
    // Prefer a non-trivia token: at a boundary, the one on the right, else the one on the left.
    let at = ctx.root.token_at_offset(offset);
    let token = at
        .clone()
        .find(|t| !t.kind().is_trivia() && t.text_range().start() == offset)
        .or_else(|| at.clone().find(|t| !t.kind().is_trivia()).or_else(|| at.right_biased()));
    let Some(token) = token else { return Vec::new() };
    let mut ranges: Vec<TextRange> = Vec::new();
    let mut push = |range: TextRange| {
        if ranges.last().is_none_or(|last| range != *last && range.contains_range(*last)) {
            ranges.push(range);
        }
    };
    if !token.kind().is_trivia() {
        push(token.text_range());
    }
    for node in token.parent_ancestors() {
        let range = trimmed_range(&node);
        if range.contains_inclusive(offset) {
            push(range);
        }
    }
    push(ctx.root.text_range());
    ranges
}
