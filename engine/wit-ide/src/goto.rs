//! Go to definition, declaration and type definition.

use canopy_wit_analysis::AnalysisHost;
use canopy_wit_analysis::resolve::Location;
use canopy_wit_syntax::SyntaxKind::*;
use canopy_wit_syntax::{SyntaxNode, TextSize};

use crate::NavigationTarget;
use crate::lookup::{self, Def, DefIndex, FileCtx, ReferenceMap};

/// Where the name at `offset` is finally defined (through `use`s, to the original item).
pub fn goto_definition(host: &AnalysisHost, path: &str, offset: TextSize) -> Vec<NavigationTarget> {
    let Some(ctx) = FileCtx::new(host, path) else { return Vec::new() };
    let refs = ReferenceMap::new(ctx.resolved());
    let Some(name) = lookup::name_at(&ctx, &refs, offset) else { return Vec::new() };
    let definition = lookup::definition_of(host, &refs, name.declaration);
    lookup::navigation_target(host, definition).into_iter().collect()
}

/// Where the name at `offset` is declared in scope: for a `use`d name, the name in the `use`
/// statement; otherwise the definition.
pub fn goto_declaration(host: &AnalysisHost, path: &str, offset: TextSize) -> Vec<NavigationTarget> {
    let Some(ctx) = FileCtx::new(host, path) else { return Vec::new() };
    let refs = ReferenceMap::new(ctx.resolved());
    let Some(name) = lookup::name_at(&ctx, &refs, offset) else { return Vec::new() };
    lookup::navigation_target(host, name.declaration).into_iter().collect()
}

/// The named types that the thing at `offset` (a parameter, a field, a case, a function's
/// result, an alias, a type name) denotes, following aliases to the type they finally name.
pub fn goto_type_definition(host: &AnalysisHost, path: &str, offset: TextSize) -> Vec<NavigationTarget> {
    let Some(ctx) = FileCtx::new(host, path) else { return Vec::new() };
    let refs = ReferenceMap::new(ctx.resolved());
    let index = DefIndex::new(ctx.resolved());
    let Some(name) = lookup::name_at(&ctx, &refs, offset) else { return Vec::new() };
    let definition = lookup::definition_of(host, &refs, name.declaration);
    let mut types = Vec::new();
    match index.get(definition) {
        Some(Def::Type(id)) => types.push(aliased_location(&ctx, id, definition)),
        Some(Def::Function(_)) | None => {
            // A parameter, field or case (or a function): the types written in its type.
            let Some(token) = lookup::token_at_location(host, definition) else { return Vec::new() };
            let Some(node) = lookup::named_node(&token) else { return Vec::new() };
            let def_ctx = FileCtx::of(host, definition.file);
            for site in named_type_sites(&node) {
                let Some(declaration) = refs.target(def_ctx.location(site)) else { continue };
                let target = lookup::definition_of(host, &refs, declaration);
                match index.get(target) {
                    Some(Def::Type(id)) => types.push(aliased_location(&ctx, id, target)),
                    _ => types.push(target),
                }
            }
        }
        Some(_) => {}
    }
    let mut seen = Vec::new();
    types.retain(|l| {
        let new = !seen.contains(l);
        seen.push(*l);
        new
    });
    types.into_iter().filter_map(|l| lookup::navigation_target(host, l)).collect()
}

/// The location of the type a named type finally denotes once aliases are followed.
fn aliased_location(ctx: &FileCtx<'_>, id: canopy_wit_analysis::resolve::TypeId, fallback: Location) -> Location {
    let resolved = ctx.resolved();
    resolved.type_def(resolved.resolve_alias(id)).location.unwrap_or(fallback)
}

/// Ranges of the type names written in the type of a field, case, parameter or function
/// result (for a function, its result type).
fn named_type_sites(node: &SyntaxNode) -> Vec<canopy_wit_syntax::TextRange> {
    let type_roots: Vec<SyntaxNode> = match node.kind() {
        FUNC | RESOURCE_METHOD | EXTERN_NAMED => {
            node.descendants().filter(|n| n.kind() == RESULT_TYPE_CLAUSE).take(1).collect()
        }
        _ => node.children().filter(|n| canopy_wit_syntax::ast::Type::cast(n.clone()).is_some()).collect(),
    };
    type_roots
        .iter()
        .flat_map(|root| root.descendants().filter(|n| n.kind() == NAME_REF))
        .filter_map(|name_ref| lookup::first_ident(&name_ref))
        .map(|t| t.text_range())
        .collect()
}
