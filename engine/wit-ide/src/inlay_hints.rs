//! Inlay hints: facts not written in the text, shown inline.
//!
//! - The version of the package a qualified path names, when the path does not spell it
//!   (`use wasi:io/streams` shows `@0.2.0`): the resolved package's version, or, where the
//!   missing version keeps the path from resolving, the version of the only package of that name.
//! - The implicit `self: borrow<r>` parameter of resource methods, and the implicit
//!   `-> own<r>` result of constructors.

use canopy_wit_analysis::AnalysisHost;
use canopy_wit_syntax::SyntaxKind::*;
use canopy_wit_syntax::{SyntaxNode, TextRange, TextSize, trimmed_range};

use crate::lookup::{self, Def, DefIndex, FileCtx, ReferenceMap};

/// A label shown at an offset.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InlayHint {
    /// Where the label goes (it is shown before the character at this offset).
    pub offset: TextSize,
    /// The text.
    pub label: String,
}

/// Hints for the part of `path` in `range`, sorted by offset.
pub fn inlay_hints(host: &AnalysisHost, path: &str, range: TextRange) -> Vec<InlayHint> {
    let Some(ctx) = FileCtx::new(host, path) else { return Vec::new() };
    let Some(range) = ctx.clamp(range) else { return Vec::new() };
    let resolved = ctx.resolved();
    let refs = ReferenceMap::new(resolved);
    let index = DefIndex::new(resolved);
    let mut hints = Vec::new();
    for path_node in ctx.root.descendants().filter(|n| n.kind() == USE_PATH) {
        let path_range = trimmed_range(&path_node);
        if !range.contains_range(path_range) && range.intersect(path_range).is_none_or(|r| r.is_empty()) {
            continue;
        }
        let qualified = path_node.children().any(|n| n.kind() == PACKAGE_NAME);
        let versioned = path_node.children().any(|n| n.kind() == VERSION);
        if !qualified || versioned {
            continue;
        }
        let Some(ident) = path_node.children().find(|n| n.kind() == NAME_REF).and_then(|n| lookup::first_ident(&n))
        else {
            continue;
        };
        let resolved_version = refs.target(ctx.location(ident.text_range())).and_then(|declaration| {
            let package = match index.get(lookup::definition_of(host, &refs, declaration))? {
                Def::Interface(id) => resolved.interface(id).package,
                Def::World(id) => resolved.world(id).package,
                _ => return None,
            };
            resolved.package(package).name.version.clone()
        });
        // WIT needs the version written; when it is missing, the only package of that name
        // says which version to write.
        let version = resolved_version.or_else(|| {
            let written = path_node.children().find(|n| n.kind() == PACKAGE_NAME)?;
            sole_version(resolved, &crate::symbols::compact_text(&written))
        });
        if let Some(version) = version {
            hints.push(InlayHint { offset: ident.text_range().end(), label: format!("@{version}") });
        }
    }
    for resource in ctx.root.descendants().filter(|n| n.kind() == RESOURCE) {
        if let Some(name) = resource.children().find(|n| n.kind() == NAME) {
            let name = crate::symbols::compact_text(&name);
            implicit_resource_hints(&resource, &name, range, &mut hints);
        }
    }
    hints.sort_by_key(|h| h.offset);
    hints
}

/// `self: borrow<r>` in each method's parameter list, `-> own<r>` after each constructor's.
fn implicit_resource_hints(resource: &SyntaxNode, name: &str, range: TextRange, hints: &mut Vec<InlayHint>) {
    let body = resource.children().filter(|n| n.kind() == RESOURCE_BODY);
    for member in body.flat_map(|b| b.children()) {
        let is_method =
            member.kind() == RESOURCE_METHOD && !member.children_with_tokens().any(|e| e.kind() == STATIC_KW);
        let is_constructor = member.kind() == CONSTRUCTOR;
        if !is_method && !is_constructor {
            continue;
        }
        let Some(params) = member.descendants().find(|n| n.kind() == PARAM_LIST) else { continue };
        if is_method {
            let Some(open) = params.children_with_tokens().find(|e| e.kind() == L_PAREN) else { continue };
            let offset = open.text_range().end();
            if range.contains_inclusive(offset) {
                let separator = if params.children().any(|n| n.kind() == PARAM) { ", " } else { "" };
                hints.push(InlayHint { offset, label: format!("self: borrow<{name}>{separator}") });
            }
        } else if !member.children().any(|n| n.kind() == RESULT_TYPE_CLAUSE) {
            let Some(close) = params.children_with_tokens().find(|e| e.kind() == R_PAREN) else { continue };
            let offset = close.text_range().end();
            if range.contains_inclusive(offset) {
                hints.push(InlayHint { offset, label: format!(" -> own<{name}>") });
            }
        }
    }
}

/// The version of the one package named `ns:name`, if exactly one has that name.
pub(crate) fn sole_version(
    resolved: &canopy_wit_analysis::resolve::Resolved,
    unversioned: &str,
) -> Option<semver::Version> {
    let mut matching = resolved.packages.iter().filter(|p| p.name.unversioned() == unversioned);
    let first = matching.next()?;
    if matching.next().is_some() {
        return None;
    }
    first.name.version.clone()
}
