//! Completion that knows where the cursor is: type positions, paths, `use` members, gates,
//! item starts.

use canopy_wit_analysis::AnalysisHost;
use canopy_wit_analysis::resolve::{InterfaceId, PackageId, Resolved, TypeDefKind, TypeId, WorldItem};
use canopy_wit_syntax::SyntaxKind::{self, *};
use canopy_wit_syntax::{SyntaxNode, SyntaxToken, TextSize};

use crate::lookup::{self, Def, DefIndex, FileCtx};

/// What a completion item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompletionKind {
    /// A keyword (`record`, `func`, …).
    Keyword,
    /// A named type.
    Type,
    /// An interface.
    Interface,
    /// A world.
    World,
    /// A package (`ns:name`).
    Package,
    /// A function.
    Function,
    /// A record field.
    Field,
    /// A variant or enum case, or a flag.
    Case,
    /// A gate or gate key (`since`, `version =`, …).
    Gate,
    /// A primitive type or builtin generic (`u32`, `list<…>`).
    Primitive,
}

/// One completion proposal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CompletionItem {
    /// What is shown and, without `insert_text`, inserted.
    pub label: String,
    /// What it is.
    pub kind: CompletionKind,
    /// A short description (where it is defined, its signature).
    pub detail: Option<String>,
    /// Text to insert instead of the label (plain text, no snippet syntax).
    pub insert_text: Option<String>,
}

/// Primitive types, in the order the WIT spec lists them.
const PRIMITIVES: &[&str] =
    &["bool", "s8", "s16", "s32", "s64", "u8", "u16", "u32", "u64", "f32", "f64", "char", "string", "error-context"];

/// Builtin generic types and what they take.
const GENERICS: &[(&str, &str)] = &[
    ("list", "list<T> or list<T, N>"),
    ("option", "option<T>"),
    ("result", "result<T, E>"),
    ("tuple", "tuple<T, …>"),
    ("map", "map<K, V>"),
    ("future", "future<T>"),
    ("stream", "stream<T>"),
    ("own", "own<R>"),
    ("borrow", "borrow<R>"),
];

const TOPLEVEL_KEYWORDS: &[&str] = &["interface", "package", "use", "world"];
const INTERFACE_KEYWORDS: &[&str] = &["enum", "flags", "record", "resource", "type", "use", "variant"];
const WORLD_KEYWORDS: &[&str] =
    &["enum", "export", "flags", "import", "include", "record", "resource", "type", "use", "variant"];

/// Completions at `offset`, sorted by label.
pub fn completions(host: &AnalysisHost, path: &str, offset: TextSize) -> Vec<CompletionItem> {
    let Some(ctx) = FileCtx::new(host, path) else { return Vec::new() };
    if !ctx.contains(offset) || !ctx.text.is_char_boundary(usize::from(offset)) {
        return Vec::new();
    }
    let mut items = complete(&ctx, offset);
    items.sort_by(|a, b| a.label.cmp(&b.label).then((a.kind as u8).cmp(&(b.kind as u8))));
    items.dedup_by(|a, b| a.label == b.label && a.kind == b.kind);
    items
}

fn complete(ctx: &FileCtx<'_>, offset: TextSize) -> Vec<CompletionItem> {
    let before = &ctx.text[..usize::from(offset)];
    let word_start = before.trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '-' || c == '%').len();
    let path_start = before
        .trim_end_matches(|c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '%' | ':' | '/' | '@' | '.'))
        .len();
    let prev = significant_before(ctx, word_start);
    let prev_kind = prev.as_ref().map(|t| t.kind());

    // `@since`, `@unstable`, `@deprecated`.
    if prev_kind == Some(AT) && !prev.as_ref().is_some_and(|at| is_version_at(ctx, at)) {
        return gates();
    }
    // Keys inside an attribute: `@since(|`.
    if let Some(prev) = &prev
        && prev.kind() == L_PAREN
        && let Some(attribute) = prev.parent().filter(|p| p.kind() == ATTRIBUTE)
    {
        return attribute_keys(&attribute);
    }
    // Members of `use path.{|`.
    if let Some(path_text) = use_member_path(before, word_start) {
        return use_members(ctx, &path_text);
    }
    // Paths after `use`, `import`, `export`, `include`.
    if let Some(keyword) = significant_before(ctx, path_start).map(|t| t.kind())
        && matches!(keyword, USE_KW | IMPORT_KW | EXPORT_KW | INCLUDE_KW)
    {
        return paths(ctx, keyword, &before[path_start..]);
    }
    let Some(prev) = prev else { return keywords(TOPLEVEL_KEYWORDS) };
    if is_type_position(&prev) {
        let resources_only = matches!(prev.parent().map(|p| p.kind()), Some(OWN_TYPE | BORROW_TYPE));
        return types_in_scope(ctx, &prev, resources_only);
    }
    if matches!(prev.kind(), L_BRACE | R_BRACE | SEMICOLON) || prev.parent().is_some_and(|p| p.kind() == ATTRIBUTE) {
        return item_keywords(&prev);
    }
    if prev.kind() == COLON && prev.parent().is_some_and(|p| matches!(p.kind(), FUNC | RESOURCE_METHOD | EXTERN_NAMED))
    {
        let mut words = vec!["async", "func"];
        match prev.parent().map(|p| p.kind()) {
            Some(RESOURCE_METHOD) => words.push("static"),
            Some(EXTERN_NAMED) => words.push("interface"),
            _ => {}
        }
        return keywords(&words);
    }
    Vec::new()
}

/// The last non-trivia token ending at or before `at`. (A linear scan: rowan's `prev_token`
/// stops at the empty nodes an incomplete item leaves, exactly where completion happens.)
fn significant_before(ctx: &FileCtx<'_>, at: usize) -> Option<SyntaxToken> {
    let offset = TextSize::try_from(at).ok()?;
    ctx.root
        .descendants_with_tokens()
        .filter_map(|e| e.into_token())
        .take_while(|t| t.text_range().end() <= offset)
        .filter(|t| !t.kind().is_trivia() && !t.text_range().is_empty())
        .last()
}

/// Whether an `@` starts a version (right after a path or package name) rather than an
/// attribute.
fn is_version_at(ctx: &FileCtx<'_>, at: &SyntaxToken) -> bool {
    significant_before(ctx, usize::from(at.text_range().start())).is_some_and(|t| lookup::is_ident(t.kind()))
}

fn item(label: &str, kind: CompletionKind, detail: Option<String>, insert_text: Option<String>) -> CompletionItem {
    CompletionItem { label: label.to_string(), kind, detail, insert_text }
}

fn keywords(words: &[&str]) -> Vec<CompletionItem> {
    words.iter().map(|w| item(w, CompletionKind::Keyword, None, None)).collect()
}

fn gates() -> Vec<CompletionItem> {
    [
        ("since", "@since(version = x.y.z): available from this version"),
        ("unstable", "@unstable(feature = name): only with the feature enabled"),
        ("deprecated", "@deprecated(version = x.y.z): deprecated since this version"),
    ]
    .iter()
    .map(|(label, detail)| item(label, CompletionKind::Gate, Some(detail.to_string()), None))
    .collect()
}

fn attribute_keys(attribute: &SyntaxNode) -> Vec<CompletionItem> {
    let name = lookup::first_ident(attribute);
    let key = match name.as_ref().map(|t| t.text()) {
        Some("unstable") => "feature",
        Some("since" | "deprecated") => "version",
        _ => return Vec::new(),
    };
    vec![item(key, CompletionKind::Gate, None, Some(format!("{key} = ")))]
}

/// If the cursor is inside the braces of `use path.{…`, the path.
fn use_member_path(before: &str, word_start: usize) -> Option<String> {
    let head = &before[..word_start];
    let brace = head.rfind('{')?;
    let inside = &head[brace + 1..];
    if !inside.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '%' | ',' | ' ' | '\t' | '\n' | '\r')) {
        return None;
    }
    let path_end = head[..brace].trim_end().strip_suffix('.')?;
    let path_start = path_end
        .trim_end_matches(|c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '%' | ':' | '/' | '@' | '.'))
        .len();
    let keyword = path_end[..path_start].trim_end();
    keyword.ends_with("use").then(|| path_end[path_start..].to_string())
}

/// The package a qualified path's `ns:name[@version]` part names.
fn find_package(resolved: &Resolved, spec: &str) -> Option<PackageId> {
    let (name, version) = match spec.split_once('@') {
        Some((name, version)) => (name, Some(version)),
        None => (spec, None),
    };
    resolved
        .packages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.name.unversioned() == name)
        .find(|(_, p)| version.is_none_or(|v| p.name.version.as_ref().is_some_and(|pv| pv.to_string() == v)))
        .map(|(i, _)| PackageId(i as u32))
}

/// The interface a `use` path names: `iface` in the current package or `ns:pkg/iface@v`.
fn interface_of_path(ctx: &FileCtx<'_>, path: &str) -> Option<InterfaceId> {
    let resolved = ctx.resolved();
    let (package, name) = match path.split_once('/') {
        Some((package, rest)) => {
            let (name, version) = match rest.split_once('@') {
                Some((name, version)) => (name, Some(version)),
                None => (rest, None),
            };
            let spec = match version {
                Some(version) => format!("{package}@{version}"),
                None => package.to_string(),
            };
            (find_package(resolved, &spec)?, name)
        }
        None => (lookup::current_package(ctx)?, path),
    };
    let name = name.trim_start_matches('%');
    resolved.package(package).interfaces.iter().find(|(n, _)| n == name).map(|(_, id)| *id)
}

fn use_members(ctx: &FileCtx<'_>, path: &str) -> Vec<CompletionItem> {
    let Some(interface) = interface_of_path(ctx, path) else { return Vec::new() };
    let resolved = ctx.resolved();
    resolved
        .interface(interface)
        .types
        .iter()
        .map(|(name, id)| item(name, CompletionKind::Type, Some(type_detail(resolved, *id)), None))
        .collect()
}

/// A short description of a named type: its keyword.
fn type_detail(resolved: &Resolved, id: TypeId) -> String {
    match &resolved.type_def(id).kind {
        TypeDefKind::Record(_) => "record",
        TypeDefKind::Variant(_) => "variant",
        TypeDefKind::Enum(_) => "enum",
        TypeDefKind::Flags(_) => "flags",
        TypeDefKind::Resource => "resource",
        TypeDefKind::Alias(_) | TypeDefKind::Unresolved => "type",
    }
    .to_string()
}

fn paths(ctx: &FileCtx<'_>, keyword: SyntaxKind, written: &str) -> Vec<CompletionItem> {
    let resolved = ctx.resolved();
    let worlds_wanted = keyword == INCLUDE_KW;
    let interfaces_wanted = keyword != INCLUDE_KW;
    let members = |package: PackageId| {
        let package = resolved.package(package);
        let mut out = Vec::new();
        if interfaces_wanted {
            out.extend(
                package
                    .interfaces
                    .iter()
                    .map(|(n, _)| item(n, CompletionKind::Interface, Some(package.name.to_string()), None)),
            );
        }
        if worlds_wanted {
            out.extend(
                package
                    .worlds
                    .iter()
                    .map(|(n, _)| item(n, CompletionKind::World, Some(package.name.to_string()), None)),
            );
        }
        out
    };
    if let Some((package, _)) = written.split_once('/') {
        return find_package(resolved, package).map(members).unwrap_or_default();
    }
    let current = lookup::current_package(ctx);
    let mut out = current.map(members).unwrap_or_default();
    for (i, package) in resolved.packages.iter().enumerate() {
        if Some(PackageId(i as u32)) == current {
            continue;
        }
        let label = package.name.unversioned();
        out.push(item(&label, CompletionKind::Package, Some(package.name.to_string()), Some(format!("{label}/"))));
    }
    out
}

/// Whether a type is expected right after `prev`.
fn is_type_position(prev: &SyntaxToken) -> bool {
    let parent = prev.parent().map(|p| p.kind());
    match prev.kind() {
        COLON => matches!(parent, Some(PARAM | RECORD_FIELD)),
        ARROW => true,
        EQ => parent == Some(TYPE_ALIAS),
        L_PAREN => parent == Some(VARIANT_CASE),
        L_ANGLE => true,
        COMMA => matches!(parent, Some(RESULT_TYPE | TUPLE_TYPE | MAP_TYPE)),
        _ => false,
    }
}

fn types_in_scope(ctx: &FileCtx<'_>, prev: &SyntaxToken, resources_only: bool) -> Vec<CompletionItem> {
    let resolved = ctx.resolved();
    let index = DefIndex::new(resolved);
    let mut out = Vec::new();
    let container = prev.parent().and_then(|p| lookup::enclosing_container(&p));
    let names: Vec<(String, TypeId)> = container
        .and_then(|c| {
            let range = lookup::name_ident_range(&c)?;
            match index.get(ctx.location(range))? {
                Def::Interface(id) => Some(resolved.interface(id).types.clone()),
                Def::World(id) => Some(
                    resolved
                        .world(id)
                        .imports
                        .iter()
                        .filter_map(|(_, item)| match item {
                            WorldItem::Type(t) => Some((resolved.type_def(*t).name.clone(), *t)),
                            _ => None,
                        })
                        .collect(),
                ),
                _ => None,
            }
        })
        .unwrap_or_default();
    for (name, id) in names {
        if resources_only && !resolved.is_resource(id) {
            continue;
        }
        out.push(item(&name, CompletionKind::Type, Some(type_detail(resolved, id)), None));
    }
    if !resources_only {
        out.extend(PRIMITIVES.iter().map(|p| item(p, CompletionKind::Primitive, None, None)));
        out.extend(GENERICS.iter().map(|(g, d)| item(g, CompletionKind::Primitive, Some(d.to_string()), None)));
    }
    out
}

/// Keywords that may start an item where `prev` ends the previous one (or opens a body).
fn item_keywords(prev: &SyntaxToken) -> Vec<CompletionItem> {
    let Some(mut node) = prev.parent() else { return Vec::new() };
    if prev.kind() != L_BRACE {
        // `prev` ends an item (or an attribute before one): find the body around that item.
        if matches!(node.kind(), ITEM_LIST | RESOURCE_BODY) && prev.kind() == R_BRACE {
            node = node.parent().unwrap_or(node);
        }
        node = node
            .ancestors()
            .skip(1)
            .find(|n| {
                matches!(
                    n.kind(),
                    ITEM_LIST | RESOURCE_BODY | SOURCE_FILE | NESTED_PACKAGE | RECORD | VARIANT | ENUM | FLAGS
                )
            })
            .unwrap_or(node);
    }
    match node.kind() {
        SOURCE_FILE | NESTED_PACKAGE => keywords(TOPLEVEL_KEYWORDS),
        RESOURCE_BODY => keywords(&["constructor"]),
        ITEM_LIST => match node.parent().map(|p| p.kind()) {
            Some(WORLD) => keywords(WORLD_KEYWORDS),
            _ => keywords(INTERFACE_KEYWORDS),
        },
        _ => Vec::new(),
    }
}
