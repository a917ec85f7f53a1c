//! Document symbols (an outline of one file) and workspace symbols (a search over all files).

use std::sync::Arc;

use canopy_wit_analysis::AnalysisHost;
use canopy_wit_syntax::SyntaxKind::*;
use canopy_wit_syntax::{SyntaxNode, TextRange, trimmed_range};

use crate::lookup::{self, FileCtx};

/// What a symbol is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SymbolKind {
    /// `package ns:name`.
    Package,
    /// `interface`.
    Interface,
    /// `world`.
    World,
    /// `record`.
    Record,
    /// `variant`.
    Variant,
    /// `enum`.
    Enum,
    /// `flags`.
    Flags,
    /// `resource`.
    Resource,
    /// `type a = …` or a `use`d name.
    TypeAlias,
    /// A function.
    Function,
    /// A resource method or static function.
    Method,
    /// A resource constructor.
    Constructor,
    /// A record field.
    Field,
    /// A variant or enum case, or a flag.
    Case,
    /// A world import.
    Import,
    /// A world export.
    Export,
}

/// One node of a file's outline.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DocumentSymbol {
    /// The name.
    pub name: String,
    /// A short description (a function's signature, an alias's target).
    pub detail: Option<String>,
    /// What it is.
    pub kind: SymbolKind,
    /// The whole item.
    pub full_range: TextRange,
    /// The name.
    pub focus_range: TextRange,
    /// Nested symbols, in text order.
    pub children: Vec<DocumentSymbol>,
}

/// A definition found by a workspace-wide search.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WorkspaceSymbol {
    /// The name.
    pub name: String,
    /// Where it lives (`ns:pkg/iface`).
    pub container: Option<String>,
    /// What it is.
    pub kind: SymbolKind,
    /// The file.
    pub path: Arc<str>,
    /// The name's range.
    pub focus_range: TextRange,
}

/// The outline of a file: packages, then interfaces and worlds, then their items, then
/// fields, cases and resource functions.
pub fn document_symbols(host: &AnalysisHost, path: &str) -> Vec<DocumentSymbol> {
    let Some(ctx) = FileCtx::new(host, path) else { return Vec::new() };
    let root = &ctx.root;
    let header = root.children().find(|n| n.kind() == PACKAGE_DECL);
    let items: Vec<DocumentSymbol> =
        root.children().filter(|n| n.kind() != PACKAGE_DECL).filter_map(|n| item_symbol(&n)).collect();
    match header.and_then(|decl| package_symbol(&decl, Vec::new())) {
        Some(mut package) => {
            // A `package a:b;` header owns the rest of the file.
            let end = items.iter().map(|s| s.full_range.end()).max().unwrap_or(package.full_range.end());
            package.full_range = TextRange::new(package.full_range.start(), end.max(package.full_range.end()));
            package.children = items;
            vec![package]
        }
        None => items,
    }
}

fn package_symbol(node: &SyntaxNode, children: Vec<DocumentSymbol>) -> Option<DocumentSymbol> {
    let name = node.children().find(|n| n.kind() == PACKAGE_NAME)?;
    Some(DocumentSymbol {
        name: compact_text(&name),
        detail: None,
        kind: SymbolKind::Package,
        full_range: trimmed_range(node),
        focus_range: trimmed_range(&name),
        children,
    })
}

/// The symbol of one item (with its children), or `None` for items without a name.
fn item_symbol(node: &SyntaxNode) -> Option<DocumentSymbol> {
    let named = |kind: SymbolKind, detail: Option<String>, children: Vec<DocumentSymbol>| {
        let focus_range = lookup::name_ident_range(node)?;
        let name = node.children().find(|n| n.kind() == NAME)?;
        Some(DocumentSymbol {
            name: compact_text(&name).trim_start_matches('%').to_string(),
            detail,
            kind,
            full_range: trimmed_range(node),
            focus_range,
            children,
        })
    };
    let item_list = || node.children().find(|n| n.kind() == ITEM_LIST);
    let members =
        |holder: &SyntaxNode| -> Vec<DocumentSymbol> { holder.children().filter_map(|n| item_symbol(&n)).collect() };
    match node.kind() {
        NESTED_PACKAGE => {
            let children = node.children().filter_map(|n| item_symbol(&n)).collect();
            package_symbol(node, children)
        }
        INTERFACE => named(SymbolKind::Interface, None, item_list().map(|l| members(&l)).unwrap_or_default()),
        WORLD => named(SymbolKind::World, None, item_list().map(|l| members(&l)).unwrap_or_default()),
        TYPE_ALIAS => {
            let ty = node.children().find(|n| canopy_wit_syntax::ast::Type::cast(n.clone()).is_some());
            named(SymbolKind::TypeAlias, ty.map(|t| format!("= {}", compact_text(&t))), Vec::new())
        }
        RECORD => named(SymbolKind::Record, None, members(node)),
        VARIANT => named(SymbolKind::Variant, None, members(node)),
        ENUM => named(SymbolKind::Enum, None, members(node)),
        FLAGS => named(SymbolKind::Flags, None, members(node)),
        RESOURCE => {
            let body = node.children().find(|n| n.kind() == RESOURCE_BODY);
            named(SymbolKind::Resource, None, body.map(|b| members(&b)).unwrap_or_default())
        }
        RECORD_FIELD => named(SymbolKind::Field, type_detail(node), Vec::new()),
        VARIANT_CASE => named(SymbolKind::Case, type_detail(node), Vec::new()),
        ENUM_CASE | FLAG => named(SymbolKind::Case, None, Vec::new()),
        FUNC => named(SymbolKind::Function, func_detail(node), Vec::new()),
        RESOURCE_METHOD => named(SymbolKind::Method, func_detail(node), Vec::new()),
        CONSTRUCTOR => {
            let keyword =
                node.children_with_tokens().filter_map(|e| e.into_token()).find(|t| t.kind() == CONSTRUCTOR_KW)?;
            let params = node.children().find(|n| n.kind() == PARAM_LIST).map(|p| compact_text(&p));
            Some(DocumentSymbol {
                name: "constructor".to_string(),
                detail: params,
                kind: SymbolKind::Constructor,
                full_range: trimmed_range(node),
                focus_range: keyword.text_range(),
                children: Vec::new(),
            })
        }
        IMPORT | EXPORT => extern_symbol(node),
        _ => None,
    }
}

/// An import or export: named ones by their name, path ones by the path.
fn extern_symbol(node: &SyntaxNode) -> Option<DocumentSymbol> {
    let kind = if node.kind() == IMPORT { SymbolKind::Import } else { SymbolKind::Export };
    if let Some(named) = node.children().find(|n| n.kind() == EXTERN_NAMED) {
        let name = named.children().find(|n| n.kind() == NAME)?;
        let inline = named.children().find(|n| n.kind() == INLINE_INTERFACE);
        let children = inline
            .as_ref()
            .and_then(|i| i.children().find(|n| n.kind() == ITEM_LIST))
            .map(|list| list.children().filter_map(|n| item_symbol(&n)).collect())
            .unwrap_or_default();
        let detail = named
            .children()
            .find(|n| matches!(n.kind(), FUNC_TYPE | USE_PATH))
            .map(|n| compact_text(&n))
            .or_else(|| inline.map(|_| "interface".to_string()));
        return Some(DocumentSymbol {
            name: compact_text(&name).trim_start_matches('%').to_string(),
            detail,
            kind,
            full_range: trimmed_range(node),
            focus_range: lookup::name_ident_range(&named)?,
            children,
        });
    }
    let path = node.children().find(|n| n.kind() == EXTERN_PATH)?.children().find(|n| n.kind() == USE_PATH)?;
    Some(DocumentSymbol {
        name: compact_text(&path),
        detail: None,
        kind,
        full_range: trimmed_range(node),
        focus_range: trimmed_range(&path),
        children: Vec::new(),
    })
}

fn type_detail(node: &SyntaxNode) -> Option<String> {
    node.children().find(|n| canopy_wit_syntax::ast::Type::cast(n.clone()).is_some()).map(|t| compact_text(&t))
}

fn func_detail(node: &SyntaxNode) -> Option<String> {
    let func_type = node.children().find(|n| n.kind() == FUNC_TYPE).map(|t| compact_text(&t))?;
    let is_static = node.children_with_tokens().any(|e| e.kind() == STATIC_KW);
    Some(if is_static { format!("static {func_type}") } else { func_type })
}

/// A node's text without comments, each run of whitespace (and comments) made one space,
/// none after `(`/`<` or before `)`/`>`/`,`/`:`/`;`, and spaces around `->`.
pub(crate) fn compact_text(node: &SyntaxNode) -> String {
    let mut out = String::new();
    let mut pending_space = false;
    for token in node.descendants_with_tokens().filter_map(|e| e.into_token()) {
        if token.kind().is_trivia() {
            pending_space = !out.is_empty();
            continue;
        }
        let text = token.text();
        let glued = matches!(text, ")" | ">" | "," | ":" | ";") || out.ends_with(['(', '<']);
        if (pending_space && !glued) || (text == "->" && !out.ends_with(' ')) {
            out.push(' ');
        }
        out.push_str(text);
        if text == "->" {
            pending_space = true;
            continue;
        }
        pending_space = false;
    }
    out
}

/// Definitions whose name matches `query` (case-insensitively: as a substring, or with the
/// query's characters in order), best matches first: exact, prefix, substring, scattered.
/// Fields and cases are left out; an empty query matches everything else.
pub fn workspace_symbols(host: &AnalysisHost, query: &str) -> Vec<WorkspaceSymbol> {
    let query = query.to_ascii_lowercase();
    let mut found: Vec<(u8, WorkspaceSymbol)> = Vec::new();
    for path in host.paths() {
        let symbols = document_symbols(host, &path);
        collect(&symbols, None, &path, &query, &mut found);
    }
    found.sort_by(|(sa, a), (sb, b)| {
        (sa, a.name.len(), &a.name, &a.path, a.focus_range.start()).cmp(&(
            sb,
            b.name.len(),
            &b.name,
            &b.path,
            b.focus_range.start(),
        ))
    });
    found.into_iter().map(|(_, s)| s).collect()
}

fn collect(
    symbols: &[DocumentSymbol],
    container: Option<&str>,
    path: &Arc<str>,
    query: &str,
    out: &mut Vec<(u8, WorkspaceSymbol)>,
) {
    for symbol in symbols {
        if matches!(symbol.kind, SymbolKind::Field | SymbolKind::Case) {
            continue;
        }
        if let Some(score) = match_score(&symbol.name, query) {
            out.push((
                score,
                WorkspaceSymbol {
                    name: symbol.name.clone(),
                    container: container.map(str::to_string),
                    kind: symbol.kind,
                    path: path.clone(),
                    focus_range: symbol.focus_range,
                },
            ));
        }
        let inner = match (container, symbol.kind) {
            (_, SymbolKind::Package) => symbol.name.clone(),
            (Some(outer), SymbolKind::Interface | SymbolKind::World) if !outer.contains('/') => {
                format!("{outer}/{}", symbol.name)
            }
            (Some(outer), _) => format!("{outer}.{}", symbol.name),
            (None, _) => symbol.name.clone(),
        };
        collect(&symbol.children, Some(&inner), path, query, out);
    }
}

/// 0 exact, 1 prefix, 2 substring, 3 characters in order; `None` when it does not match.
fn match_score(name: &str, query: &str) -> Option<u8> {
    let name = name.to_ascii_lowercase();
    if query.is_empty() || name == query {
        return Some(0);
    }
    if name.starts_with(query) {
        return Some(1);
    }
    if name.contains(query) {
        return Some(2);
    }
    let mut chars = name.chars();
    query.chars().all(|q| chars.any(|c| c == q)).then_some(3)
}
