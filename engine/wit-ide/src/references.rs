//! Find references: every place a definition is named, across files and packages.

use canopy_wit_analysis::AnalysisHost;
use canopy_wit_analysis::resolve::Location;
use canopy_wit_syntax::TextSize;

use crate::FileRange;
use crate::lookup::{self, FileCtx, ReferenceMap};

/// Every reference to the definition of the name at `offset`, sorted by path and position;
/// with `include_declaration`, the definition's name too. References through `use` statements
/// count, renaming ones included (with their alias and its uses).
pub fn find_references(host: &AnalysisHost, path: &str, offset: TextSize, include_declaration: bool) -> Vec<FileRange> {
    let Some(ctx) = FileCtx::new(host, path) else { return Vec::new() };
    let refs = ReferenceMap::new(ctx.resolved());
    let Some(name) = lookup::name_at(&ctx, &refs, offset) else { return Vec::new() };
    let root = lookup::rename_root(host, &refs, name.declaration);
    let mut locations = lookup::usages(host, root, true);
    if include_declaration {
        locations.push(root);
    }
    to_file_ranges(host, locations)
}

/// Converts locations to sorted, deduplicated file ranges.
pub(crate) fn to_file_ranges(host: &AnalysisHost, locations: Vec<Location>) -> Vec<FileRange> {
    let mut ranges: Vec<FileRange> =
        locations.into_iter().map(|l| FileRange { path: l.file.path(host.db()).clone(), range: l.range }).collect();
    ranges.sort_by(|a, b| (&a.path, a.range.start(), a.range.end()).cmp(&(&b.path, b.range.start(), b.range.end())));
    ranges.dedup();
    ranges
}
