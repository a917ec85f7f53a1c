//! Folding ranges: `{ … }` blocks and multi-line parameter lists, runs of comments, runs of
//! `use` statements.

use canopy_wit_analysis::AnalysisHost;
use canopy_wit_syntax::SyntaxKind::*;
use canopy_wit_syntax::{SyntaxNode, SyntaxToken, TextRange, trimmed_range};

use crate::lookup::FileCtx;

/// What a folding range folds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FoldingKind {
    /// A `{ … }` block or a multi-line parenthesized list.
    Region,
    /// A run of comments spanning several lines.
    Comment,
    /// A run of `use` statements.
    Imports,
}

/// Folding ranges of `path`, sorted by start; each spans at least two lines.
pub fn folding_ranges(host: &AnalysisHost, path: &str) -> Vec<(TextRange, FoldingKind)> {
    let Some(ctx) = FileCtx::new(host, path) else { return Vec::new() };
    let text = &ctx.text;
    let multi_line = |range: TextRange| text[range].contains('\n');
    let mut folds = Vec::new();
    for node in ctx.root.descendants() {
        if let Some(range) = bracketed(&node).filter(|r| multi_line(*r)) {
            folds.push((range, FoldingKind::Region));
        }
        if let Some(range) = use_run_start(&node) {
            folds.push((range, FoldingKind::Imports));
        }
    }
    let mut run: Option<(TextRange, usize)> = None;
    for token in ctx.root.descendants_with_tokens().filter_map(|e| e.into_token()) {
        match token.kind() {
            LINE_COMMENT | DOC_COMMENT => {
                run = Some(match run {
                    Some((range, count)) => (range.cover(token.text_range()), count + 1),
                    None => (token.text_range(), 1),
                });
            }
            WHITESPACE if token.text().matches('\n').count() <= 1 => {}
            _ => {
                flush_comment_run(&mut run, &mut folds);
                if matches!(token.kind(), BLOCK_COMMENT | DOC_BLOCK_COMMENT) && multi_line(token.text_range()) {
                    folds.push((token.text_range(), FoldingKind::Comment));
                }
            }
        }
    }
    flush_comment_run(&mut run, &mut folds);
    folds.sort_by_key(|(range, _)| (range.start(), std::cmp::Reverse(range.end())));
    folds.dedup();
    folds
}

fn flush_comment_run(run: &mut Option<(TextRange, usize)>, folds: &mut Vec<(TextRange, FoldingKind)>) {
    if let Some((range, count)) = run.take()
        && count >= 2
    {
        folds.push((range, FoldingKind::Comment));
    }
}

/// From the opening to the closing bracket of a block or parameter list.
fn bracketed(node: &SyntaxNode) -> Option<TextRange> {
    let (open, close) = match node.kind() {
        PARAM_LIST => (L_PAREN, R_PAREN),
        _ => (L_BRACE, R_BRACE),
    };
    let tokens: Vec<SyntaxToken> = node.children_with_tokens().filter_map(|e| e.into_token()).collect();
    let start = tokens.iter().find(|t| t.kind() == open)?.text_range().start();
    let end = tokens.iter().rev().find(|t| t.kind() == close)?.text_range().end();
    (start < end).then(|| TextRange::new(start, end))
}

/// For the first `use` of a run of two or more consecutive `use` statements, the run's range.
fn use_run_start(node: &SyntaxNode) -> Option<TextRange> {
    let is_use = |n: &SyntaxNode| matches!(n.kind(), USE | TOPLEVEL_USE);
    if !is_use(node) || node.prev_sibling().is_some_and(|p| is_use(&p)) {
        return None;
    }
    let mut last = node.clone();
    let mut count = 1;
    while let Some(next) = last.next_sibling().filter(is_use) {
        last = next;
        count += 1;
    }
    (count >= 2).then(|| trimmed_range(node).cover(trimmed_range(&last)))
}
