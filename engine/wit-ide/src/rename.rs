//! Rename: checks the new name, then edits the declaration and every reference.
//!
//! Renaming follows `use` statements that repeat the name (`use a.{t}` renames with `t`) but
//! stops at renaming ones: renaming `t` rewrites the `t` in `use a.{t as u}` and leaves `u`
//! alone, and renaming `u` rewrites only the alias and its uses.

use std::sync::Arc;

use canopy_wit_analysis::loader::LayoutGroupKind;
use canopy_wit_analysis::resolve::Location;
use canopy_wit_analysis::{AnalysisHost, SourceFile};
use canopy_wit_syntax::SyntaxKind::{self, *};
use canopy_wit_syntax::{SyntaxNode, TextRange, TextSize};

use crate::lookup::{self, Def, DefIndex, FileCtx, ReferenceMap};
use crate::{SourceChange, TextEdit};

/// The range of the renamable name at `offset`, or why it cannot be renamed.
pub fn prepare_rename(host: &AnalysisHost, path: &str, offset: TextSize) -> Result<TextRange, String> {
    let ctx = FileCtx::new(host, path).ok_or_else(|| format!("`{path}` is not part of the workspace"))?;
    let refs = ReferenceMap::new(ctx.resolved());
    let target = rename_target(&ctx, &refs, offset)?;
    Ok(target.cursor)
}

/// Renames the name at `offset` to `new_name` everywhere, or says why not.
pub fn rename(host: &AnalysisHost, path: &str, offset: TextSize, new_name: &str) -> Result<SourceChange, String> {
    let ctx = FileCtx::new(host, path).ok_or_else(|| format!("`{path}` is not part of the workspace"))?;
    let refs = ReferenceMap::new(ctx.resolved());
    let target = rename_target(&ctx, &refs, offset)?;
    let bare = check_new_name(new_name)?;
    let sites = lookup::usages(host, target.root, false);
    // Every declaration the rename changes: the root and each `use` that repeats the name.
    let declarations =
        std::iter::once(target.root).chain(sites.iter().copied().filter(|&site| is_use_declaration(host, site)));
    for declaration in declarations {
        if let Some(conflict) = conflict_in_scope(host, declaration, bare) {
            return Err(conflict);
        }
    }
    let mut edits: Vec<(Arc<str>, Vec<TextEdit>)> = Vec::new();
    for location in std::iter::once(target.root).chain(sites) {
        let path = location.file.path(host.db()).clone();
        let edit = TextEdit { range: location.range, new_text: new_name.to_string() };
        match edits.iter_mut().find(|(p, _)| *p == path) {
            Some((_, list)) => list.push(edit),
            None => edits.push((path, vec![edit])),
        }
    }
    for (_, list) in &mut edits {
        list.sort_by_key(|e| e.range.start());
        list.dedup();
    }
    edits.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(SourceChange { edits })
}

/// What a rename at the cursor changes.
struct RenameTarget {
    /// The name under the cursor.
    cursor: TextRange,
    /// The declaration the rename starts from.
    root: Location,
}

fn rename_target(ctx: &FileCtx<'_>, refs: &ReferenceMap, offset: TextSize) -> Result<RenameTarget, String> {
    let host = ctx.host;
    let name = lookup::name_at(ctx, refs, offset).ok_or_else(|| "there is no name to rename here".to_string())?;
    let root = lookup::rename_root(host, refs, name.declaration);
    let index = DefIndex::new(ctx.resolved());
    if let Some(Def::Package(_)) = index.get(root) {
        return Err("package names cannot be renamed: they are how other packages find this one".to_string());
    }
    if is_dependency(host, root.file) {
        let path = root.file.path(host.db());
        return Err(format!("`{}` is defined in a dependency ({path}), which cannot be renamed", name.token.text()));
    }
    Ok(RenameTarget { cursor: name.token.text_range(), root })
}

/// Checks a new name; returns it without a leading `%`.
fn check_new_name(new_name: &str) -> Result<&str, String> {
    if let Some(bare) = new_name.strip_prefix('%') {
        canopy_wit_syntax::validate_id(bare)?;
        return Ok(bare);
    }
    if SyntaxKind::from_keyword(new_name).is_some() {
        return Err(format!(
            "`{new_name}` is a WIT keyword and cannot be a name (write `%{new_name}` to use it anyway)"
        ));
    }
    canopy_wit_syntax::validate_id(new_name)?;
    Ok(new_name)
}

/// Whether a file belongs to a dependency rather than the root package.
pub(crate) fn is_dependency(host: &AnalysisHost, file: SourceFile) -> bool {
    let db = host.db();
    host.workspace()
        .groups(db)
        .iter()
        .any(|group| *group.kind(db) == LayoutGroupKind::Dependency && group.files(db).contains(&file))
}

/// Whether `site` is the original name in a `use` without `as` (so it also declares the name).
fn is_use_declaration(host: &AnalysisHost, site: Location) -> bool {
    let Some(token) = lookup::token_at_location(host, site) else { return false };
    let kinds = lookup::parent_kinds(&token, 3);
    match kinds.as_slice() {
        [NAME_REF, USE_NAME, ..] | [NAME_REF, USE_PATH, TOPLEVEL_USE] => {
            lookup::alias_declared_at(host, site).is_none()
        }
        _ => false,
    }
}

/// A message when `new_name` is already taken in the scope of `declaration`.
fn conflict_in_scope(host: &AnalysisHost, declaration: Location, new_name: &str) -> Option<String> {
    let token = lookup::token_at_location(host, declaration)?;
    let node = lookup::named_node(&token)?;
    let (names, scope) = scope_names(host, declaration.file, &node)?;
    names
        .into_iter()
        .find(|(name, range)| *range != declaration.range && name.eq_ignore_ascii_case(new_name))
        .map(|(name, _)| format!("the name `{name}` is already used in {scope}"))
}

/// The names sharing a scope with the item `node`, and a description of that scope.
fn scope_names(host: &AnalysisHost, file: SourceFile, node: &SyntaxNode) -> Option<(Vec<(String, TextRange)>, String)> {
    let parent = node.parent()?;
    let sibling_names = |holder: &SyntaxNode, kinds: &[SyntaxKind]| -> Vec<(String, TextRange)> {
        holder
            .descendants()
            .filter(|n| {
                kinds.contains(&n.kind())
                    && n.parent().is_some_and(|p| p == *holder || p.parent().as_ref() == Some(holder))
            })
            .filter_map(|n| {
                let range = lookup::name_ident_range(&n)?;
                let name = n.children().find(|c| c.kind() == NAME)?.text().to_string();
                Some((name.trim().trim_start_matches('%').to_string(), range))
            })
            .collect()
    };
    match node.kind() {
        RECORD_FIELD => Some((sibling_names(&parent, &[RECORD_FIELD]), format!("record `{}`", item_name(&parent)))),
        VARIANT_CASE => Some((sibling_names(&parent, &[VARIANT_CASE]), format!("variant `{}`", item_name(&parent)))),
        ENUM_CASE => Some((sibling_names(&parent, &[ENUM_CASE]), format!("enum `{}`", item_name(&parent)))),
        FLAG => Some((sibling_names(&parent, &[FLAG]), format!("flags `{}`", item_name(&parent)))),
        PARAM => Some((sibling_names(&parent, &[PARAM]), "this parameter list".to_string())),
        RESOURCE_METHOD => {
            let resource = parent.parent()?;
            Some((sibling_names(&parent, &[RESOURCE_METHOD]), format!("resource `{}`", item_name(&resource))))
        }
        INTERFACE | WORLD => {
            // Interfaces and worlds share the package's namespace, across all its files.
            let resolved = &host.analysis().resolved;
            let package = resolved.package(package_of_node(host, file, node)?);
            let interfaces = package.interfaces.iter().map(|(name, id)| (name, resolved.interface(*id).location));
            let worlds = package.worlds.iter().map(|(name, id)| (name, resolved.world(*id).location));
            let names =
                interfaces.chain(worlds).filter_map(|(name, location)| Some((name.clone(), location?.range))).collect();
            Some((names, format!("package `{}`", package.name)))
        }
        _ => {
            let container = lookup::enclosing_container(node)?;
            let what = match container.kind() {
                WORLD => "world",
                _ => "interface",
            };
            Some((lookup::container_names(&container), format!("{what} `{}`", item_name(&container))))
        }
    }
}

/// The name of an item node, for messages.
fn item_name(node: &SyntaxNode) -> String {
    node.children().find(|n| n.kind() == NAME).map(|n| n.text().to_string().trim().to_string()).unwrap_or_default()
}

/// The package an interface or world node of `file` belongs to.
fn package_of_node(
    host: &AnalysisHost,
    file: SourceFile,
    node: &SyntaxNode,
) -> Option<canopy_wit_analysis::resolve::PackageId> {
    let range = lookup::name_ident_range(node)?;
    let resolved = &host.analysis().resolved;
    match DefIndex::new(resolved).get(Location { file, range })? {
        Def::Interface(id) => Some(resolved.interface(id).package),
        Def::World(id) => Some(resolved.world(id).package),
        _ => None,
    }
}
