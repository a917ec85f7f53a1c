//! Document highlights: the declaration and uses of the name at the cursor, in one file.

use canopy_wit_analysis::AnalysisHost;
use canopy_wit_syntax::{TextRange, TextSize};

use crate::lookup::{self, FileCtx, ReferenceMap};

/// How a highlighted range uses the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HighlightKind {
    /// A use of the name.
    Read,
    /// The definition.
    Write,
}

/// Ranges in `path` naming the same definition as the name at `offset`, sorted. The
/// declaration is a `Write`, uses are `Read`s.
pub fn document_highlights(host: &AnalysisHost, path: &str, offset: TextSize) -> Vec<(TextRange, HighlightKind)> {
    let Some(ctx) = FileCtx::new(host, path) else { return Vec::new() };
    let refs = ReferenceMap::new(ctx.resolved());
    let Some(name) = lookup::name_at(&ctx, &refs, offset) else { return Vec::new() };
    let root = lookup::rename_root(host, &refs, name.declaration);
    let mut highlights: Vec<(TextRange, HighlightKind)> = lookup::usages(host, root, true)
        .into_iter()
        .filter(|l| l.file == ctx.file)
        .map(|l| (l.range, HighlightKind::Read))
        .collect();
    if root.file == ctx.file {
        highlights.push((root.range, HighlightKind::Write));
    }
    highlights.sort_by_key(|(range, _)| (range.start(), range.end()));
    highlights.dedup_by_key(|(range, _)| *range);
    highlights
}
