//! Code actions: fix a misspelled name, add a missing `use`, remove an unused `use`.

use canopy_wit_analysis::resolve::{InterfaceId, Location, Resolved};
use canopy_wit_analysis::{AnalysisHost, Diagnostic};
use canopy_wit_syntax::SyntaxKind::*;
use canopy_wit_syntax::{SyntaxNode, TextRange, TextSize, ast, trimmed_range};

use crate::lookup::{self, Def, DefIndex, FileCtx, ReferenceMap};
use crate::{SourceChange, TextEdit};

/// An edit the user may apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeAction {
    /// What it does, for a person.
    pub title: String,
    /// `"quickfix"`, `"refactor"` or `"source.organizeImports"`.
    pub kind: &'static str,
    /// The edits.
    pub edit: SourceChange,
    /// The code of the diagnostic it fixes, if any.
    pub diagnostic_code: Option<String>,
}

/// How many spelling suggestions one unresolved name gets.
const MAX_SUGGESTIONS: usize = 3;

/// Actions that apply to `range` of `path`: fixes for the diagnostics touching it, and removal
/// of unused `use`d names in the `use` statements touching it.
pub fn code_actions(host: &AnalysisHost, path: &str, range: TextRange) -> Vec<CodeAction> {
    let Some(ctx) = FileCtx::new(host, path) else { return Vec::new() };
    let Some(range) = ctx.clamp(range) else { return Vec::new() };
    let touches = |r: TextRange| r.start() <= range.end() && range.start() <= r.end();
    let mut actions = Vec::new();
    for diagnostic in &host.analysis().diagnostics {
        if *diagnostic.path != *ctx.path || !touches(diagnostic.range) {
            continue;
        }
        match diagnostic.code {
            "unknown-package" => actions.extend(version_fix(&ctx, diagnostic)),
            "undefined-type" | "unknown-interface" => {
                actions.extend(spelling_fixes(&ctx, diagnostic));
                if diagnostic.code == "undefined-type" {
                    actions.extend(missing_use_fixes(&ctx, diagnostic));
                }
            }
            _ => {}
        }
    }
    for use_node in ctx.root.descendants().filter(|n| n.kind() == USE) {
        if touches(trimmed_range(&use_node)) {
            actions.extend(unused_use_removals(&ctx, &use_node));
        }
    }
    actions
}

/// A change to one file.
fn single_file_change(ctx: &FileCtx<'_>, edits: Vec<TextEdit>) -> SourceChange {
    SourceChange { edits: vec![(ctx.path.clone(), edits)] }
}

/// "Did you mean `x`?" for an unresolved name, against the names that could stand there.
fn spelling_fixes(ctx: &FileCtx<'_>, diagnostic: &Diagnostic) -> Vec<CodeAction> {
    let Some(written) = ctx.text.get(usize::from(diagnostic.range.start())..usize::from(diagnostic.range.end())) else {
        return Vec::new();
    };
    let written = written.trim_start_matches('%');
    let Some(token) = lookup::token_at_range(&ctx.root, diagnostic.range) else { return Vec::new() };
    let candidates = candidate_names(ctx, &token);
    let limit = (written.chars().count() / 3).max(1);
    let mut scored: Vec<(usize, String)> = candidates
        .into_iter()
        .filter(|c| c != written)
        .map(|c| (edit_distance(written, &c), c))
        .filter(|(d, _)| *d <= limit)
        .collect();
    scored.sort();
    scored.dedup();
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, name)| CodeAction {
            title: format!("Did you mean `{name}`?"),
            kind: "quickfix",
            edit: single_file_change(ctx, vec![TextEdit { range: diagnostic.range, new_text: name }]),
            diagnostic_code: Some(diagnostic.code.to_string()),
        })
        .collect()
}

/// Names that could be written where `token` is: the members of the interface for a name in a
/// `use` list, interfaces and worlds of the package for a path, types in scope otherwise.
fn candidate_names(ctx: &FileCtx<'_>, token: &canopy_wit_syntax::SyntaxToken) -> Vec<String> {
    let resolved = ctx.resolved();
    let index = DefIndex::new(resolved);
    let kinds = lookup::parent_kinds(token, 3);
    match kinds.as_slice() {
        [NAME_REF, USE_NAME, ..] => {
            let refs = ReferenceMap::new(resolved);
            let use_node = token.parent_ancestors().find(|n| n.kind() == USE);
            let interface = use_node.and_then(|u| used_interface(ctx, &refs, &index, &u));
            interface
                .map(|id| resolved.interface(id).types.iter().map(|(n, _)| n.clone()).collect())
                .unwrap_or_default()
        }
        [NAME_REF, USE_PATH, ..] => {
            // `ns:pkg/name`: the items of the packages of that name; `name`: of this package.
            let written_package = token
                .parent()
                .and_then(|p| p.parent())
                .and_then(|path| path.children().find(|c| c.kind() == PACKAGE_NAME))
                .map(|p| crate::symbols::compact_text(&p));
            let packages: Vec<&canopy_wit_analysis::resolve::Package> = match written_package {
                Some(name) => resolved.packages.iter().filter(|p| p.name.unversioned() == name).collect(),
                None => lookup::current_package(ctx).map(|p| resolved.package(p)).into_iter().collect(),
            };
            packages
                .into_iter()
                .flat_map(|package| {
                    package
                        .interfaces
                        .iter()
                        .map(|(n, _)| n.clone())
                        .chain(package.worlds.iter().map(|(n, _)| n.clone()))
                })
                .collect()
        }
        _ => {
            let Some(container) = token.parent().and_then(|p| lookup::enclosing_container(&p)) else {
                return Vec::new();
            };
            scope_types(ctx, &index, &container).into_iter().map(|(n, _)| n).collect()
        }
    }
}

/// The interface a `use` statement's path names.
fn used_interface(
    ctx: &FileCtx<'_>,
    refs: &ReferenceMap,
    index: &DefIndex<'_>,
    use_node: &SyntaxNode,
) -> Option<InterfaceId> {
    let path = use_node.children().find(|n| n.kind() == USE_PATH)?;
    let name_ref = path.children().find(|n| n.kind() == NAME_REF)?;
    let ident = lookup::first_ident(&name_ref)?;
    let declaration = refs.target(ctx.location(ident.text_range()))?;
    let definition = lookup::definition_of(ctx.host, refs, declaration);
    match index.get(definition)? {
        Def::Interface(id) => Some(id),
        _ => None,
    }
}

/// The named types visible in an interface or world.
fn scope_types(
    ctx: &FileCtx<'_>,
    index: &DefIndex<'_>,
    container: &SyntaxNode,
) -> Vec<(String, canopy_wit_analysis::resolve::TypeId)> {
    let resolved = ctx.resolved();
    let Some(range) = lookup::name_ident_range(container) else { return Vec::new() };
    match index.get(ctx.location(range)) {
        Some(Def::Interface(id)) => resolved.interface(id).types.clone(),
        Some(Def::World(id)) => resolved
            .world(id)
            .imports
            .iter()
            .filter_map(|(_, item)| match item {
                canopy_wit_analysis::resolve::WorldItem::Type(t) => Some((resolved.type_def(*t).name.clone(), *t)),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Edit distance over characters where inserting, deleting or replacing a character, or
/// swapping two adjacent ones, costs one (optimal string alignment).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut table = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in table.iter_mut().enumerate() {
        row[0] = i;
    }
    table[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (table[i - 1][j] + 1).min(table[i][j - 1] + 1).min(table[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(table[i - 2][j - 2] + 1);
            }
            table[i][j] = best;
        }
    }
    table[a.len()][b.len()]
}

/// "Add `use iface.{name}`" for an unresolved type name defined in another interface of the
/// same package or of a dependency.
fn missing_use_fixes(ctx: &FileCtx<'_>, diagnostic: &Diagnostic) -> Vec<CodeAction> {
    let Some(token) = lookup::token_at_range(&ctx.root, diagnostic.range) else { return Vec::new() };
    if token.parent().is_none_or(|p| p.kind() != NAME_REF) || token.parent_ancestors().any(|n| n.kind() == USE) {
        return Vec::new();
    }
    let name = ast::ident_text(&token).to_string();
    let Some(container) = token.parent().and_then(|p| lookup::enclosing_container(&p)) else { return Vec::new() };
    let resolved = ctx.resolved();
    let index = DefIndex::new(resolved);
    let own = lookup::name_ident_range(&container).and_then(|r| index.get(ctx.location(r)));
    let own_package = match own {
        Some(Def::Interface(id)) => Some(resolved.interface(id).package),
        Some(Def::World(id)) => Some(resolved.world(id).package),
        _ => None,
    };
    let Some(insert) = use_insertion(ctx, &container) else { return Vec::new() };
    let mut actions: Vec<(bool, CodeAction)> = Vec::new();
    for (i, interface) in resolved.interfaces.iter().enumerate() {
        let id = InterfaceId(i as u32);
        if Some(Def::Interface(id)) == own || interface.name.is_none() {
            continue;
        }
        let defines = interface.types.iter().any(|(n, t)| *n == name && is_original(ctx, resolved, *t));
        if !defines {
            continue;
        }
        let foreign = Some(interface.package) != own_package;
        let path = if !foreign {
            interface.name.clone().unwrap_or_default()
        } else {
            crate::render::interface_path(resolved, id)
        };
        let statement = format!("use {path}.{{{name}}};");
        actions.push((
            foreign,
            CodeAction {
                title: format!("Add `{statement}`"),
                kind: "quickfix",
                edit: single_file_change(
                    ctx,
                    vec![TextEdit {
                        range: TextRange::empty(insert.0),
                        new_text: format!("\n{}{statement}", insert.1),
                    }],
                ),
                diagnostic_code: Some(diagnostic.code.to_string()),
            },
        ));
    }
    // The package's own interfaces first, then dependencies.
    actions.sort_by(|(fa, a), (fb, b)| (fa, &a.title).cmp(&(fb, &b.title)));
    actions.into_iter().map(|(_, action)| action).collect()
}

/// Whether a type is defined where it is (not brought in by a `use`).
fn is_original(ctx: &FileCtx<'_>, resolved: &Resolved, id: canopy_wit_analysis::resolve::TypeId) -> bool {
    let Some(location) = resolved.type_def(id).location else { return false };
    lookup::token_at_location(ctx.host, location)
        .is_some_and(|t| t.parent().is_some_and(|p| p.kind() == NAME) && !t.parent_ancestors().any(|n| n.kind() == USE))
}

/// Where a new `use` goes in a container (after its last `use`, else after `{`), and the
/// indentation of its items.
fn use_insertion(ctx: &FileCtx<'_>, container: &SyntaxNode) -> Option<(TextSize, String)> {
    let list = container.descendants().find(|n| n.kind() == ITEM_LIST)?;
    let first_item = list.children().next();
    let indent = first_item
        .map(|item| {
            let start = usize::from(trimmed_range(&item).start());
            let line_start = ctx.text[..start].rfind('\n').map_or(0, |i| i + 1);
            let prefix = &ctx.text[line_start..start];
            if prefix.chars().all(char::is_whitespace) { prefix.to_string() } else { "    ".to_string() }
        })
        .unwrap_or_else(|| "    ".to_string());
    let last_use = list.children().filter(|n| n.kind() == USE).last();
    let at = match last_use {
        Some(u) => trimmed_range(&u).end(),
        None => list.children_with_tokens().find(|e| e.kind() == L_BRACE)?.text_range().end(),
    };
    Some((at, indent))
}

/// Removal of the `use`d names nothing refers to: the whole statement when all are unused.
fn unused_use_removals(ctx: &FileCtx<'_>, use_node: &SyntaxNode) -> Vec<CodeAction> {
    let resolved = ctx.resolved();
    let names: Vec<SyntaxNode> = use_node.descendants().filter(|n| n.kind() == USE_NAME).collect();
    if names.is_empty() {
        return Vec::new();
    }
    let is_used = |use_name: &SyntaxNode| {
        let local = use_name
            .children()
            .find(|n| n.kind() == RENAME)
            .and_then(|r| r.children().find(|n| n.kind() == NAME))
            .or_else(|| use_name.children().find(|n| n.kind() == NAME_REF));
        let Some(ident) = local.and_then(|l| lookup::first_ident(&l)) else {
            return true;
        };
        let declaration = Location { file: ctx.file, range: ident.text_range() };
        let original = use_name.children().find(|n| n.kind() == NAME_REF).and_then(|n| lookup::first_ident(&n));
        // A name that does not resolve is a different problem (with its own fixes).
        let resolves =
            original.is_some_and(|o| resolved.references.iter().any(|r| r.at == ctx.location(o.text_range())));
        !resolves || resolved.references.iter().any(|r| r.target == declaration)
    };
    let unused: Vec<&SyntaxNode> = names.iter().filter(|n| !is_used(n)).collect();
    if unused.is_empty() {
        return Vec::new();
    }
    if unused.len() == names.len() {
        let statement = trimmed_range(use_node);
        return vec![CodeAction {
            title: format!("Remove unused `{}`", ctx.text[statement].trim_end_matches(';')),
            kind: "quickfix",
            edit: single_file_change(
                ctx,
                vec![TextEdit { range: whole_lines(ctx, statement), new_text: String::new() }],
            ),
            diagnostic_code: None,
        }];
    }
    unused
        .into_iter()
        .map(|use_name| {
            let range = trimmed_range(use_name);
            CodeAction {
                title: format!("Remove unused `{}`", &ctx.text[range]),
                kind: "quickfix",
                edit: single_file_change(
                    ctx,
                    vec![TextEdit { range: with_separator(use_name), new_text: String::new() }],
                ),
                diagnostic_code: None,
            }
        })
        .collect()
}

/// Extends a range to whole lines when only whitespace surrounds it on its lines.
fn whole_lines(ctx: &FileCtx<'_>, range: TextRange) -> TextRange {
    let text = &ctx.text;
    let start = usize::from(range.start());
    let end = usize::from(range.end());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
    if text[line_start..start].trim().is_empty() && text[end..line_end].trim().is_empty() {
        TextRange::new(TextSize::from(line_start as u32), TextSize::from(line_end as u32))
    } else {
        range
    }
}

/// A name in a `use` list with the comma that separates it from its neighbour (the following
/// one, or the preceding one for the last name).
fn with_separator(use_name: &SyntaxNode) -> TextRange {
    let range = trimmed_range(use_name);
    let mut next = use_name.next_sibling_or_token();
    while let Some(element) = &next {
        if element.kind() == COMMA {
            // Up to the next name, so the list stays tidy.
            let following = element.next_sibling_or_token().filter(|e| e.kind() == WHITESPACE);
            let end = following.map_or(element.text_range().end(), |w| w.text_range().end());
            return TextRange::new(range.start(), end);
        }
        if !element.kind().is_trivia() {
            break;
        }
        next = element.next_sibling_or_token();
    }
    let mut prev = use_name.prev_sibling_or_token();
    while let Some(element) = &prev {
        if element.kind() == COMMA {
            return TextRange::new(element.text_range().start(), range.end());
        }
        if !element.kind().is_trivia() {
            break;
        }
        prev = element.prev_sibling_or_token();
    }
    range
}

/// "Add version `@x.y.z`" for a qualified path whose package exists only with a version.
fn version_fix(ctx: &FileCtx<'_>, diagnostic: &Diagnostic) -> Option<CodeAction> {
    let token = lookup::token_at_range(&ctx.root, diagnostic.range)?;
    let path = token.parent_ancestors().find(|n| n.kind() == USE_PATH)?;
    if path.children().any(|n| n.kind() == VERSION) {
        return None;
    }
    let package = path.children().find(|n| n.kind() == PACKAGE_NAME)?;
    let version = crate::inlay_hints::sole_version(ctx.resolved(), &crate::symbols::compact_text(&package))?;
    let name_end = trimmed_range(&path.children().find(|n| n.kind() == NAME_REF)?).end();
    Some(CodeAction {
        title: format!("Add version `@{version}`"),
        kind: "quickfix",
        edit: single_file_change(
            ctx,
            vec![TextEdit { range: TextRange::empty(name_end), new_text: format!("@{version}") }],
        ),
        diagnostic_code: Some(diagnostic.code.to_string()),
    })
}
