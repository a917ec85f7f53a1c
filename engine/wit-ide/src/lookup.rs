//! What is at an offset: the file being asked about, the identifier under the cursor, the
//! declaration a name refers to, how `use` statements chain declarations together, and an index
//! of the resolved definitions by location.
//!
//! Vocabulary used across the crate: a *declaration* is the place a name is introduced in a
//! scope (for a `use`d name, the name in the `use` statement); its *definition* is the original
//! item reached by following `use`s.

use std::sync::Arc;

use canopy_wit_analysis::AnalysisHost;
use canopy_wit_analysis::SourceFile;
use canopy_wit_analysis::db::parse;
use canopy_wit_analysis::resolve::{Function, InterfaceId, Location, PackageId, Resolved, TypeId, WorldId, WorldItem};
use canopy_wit_syntax::SyntaxKind::{self, *};
use canopy_wit_syntax::{SyntaxNode, SyntaxToken, TextRange, TextSize};
use rustc_hash::{FxHashMap, FxHashSet};

/// A file of the layout with its text and syntax tree.
pub(crate) struct FileCtx<'h> {
    /// The host asked.
    pub host: &'h AnalysisHost,
    /// Path in the layout.
    pub path: Arc<str>,
    /// Input handle.
    pub file: SourceFile,
    /// Current text.
    pub text: Arc<str>,
    /// Root of the syntax tree.
    pub root: SyntaxNode,
}

impl<'h> FileCtx<'h> {
    /// The file at `path`, if it is in the layout.
    pub fn new(host: &'h AnalysisHost, path: &str) -> Option<Self> {
        let file = host.file(path)?;
        Some(Self::of(host, file))
    }

    /// The context of a file handle.
    pub fn of(host: &'h AnalysisHost, file: SourceFile) -> Self {
        let db = host.db();
        FileCtx { host, path: file.path(db).clone(), file, text: file.text(db).clone(), root: parse(db, file).syntax() }
    }

    /// Whether `offset` lies within the text (the end included).
    pub fn contains(&self, offset: TextSize) -> bool {
        usize::from(offset) <= self.text.len()
    }

    /// Clamps `range` to the text; `None` when it starts past the end.
    pub fn clamp(&self, range: TextRange) -> Option<TextRange> {
        let len = TextSize::try_from(self.text.len()).ok()?;
        (range.start() <= len).then(|| TextRange::new(range.start(), range.end().min(len)))
    }

    /// The resolved workspace.
    pub fn resolved(&self) -> &'h Resolved {
        &self.host.analysis().resolved
    }

    /// A location in this file.
    pub fn location(&self, range: TextRange) -> Location {
        Location { file: self.file, range }
    }

    /// The identifier at `offset`.
    pub fn ident_at(&self, offset: TextSize) -> Option<SyntaxToken> {
        if !self.contains(offset) {
            return None;
        }
        let at = self.root.token_at_offset(offset);
        // Between two tokens, prefer the identifier on the right (the one starting here).
        at.filter(|token| is_ident(token.kind())).last()
    }
}

/// The first identifier token among a node's direct children.
pub(crate) fn first_ident(node: &SyntaxNode) -> Option<SyntaxToken> {
    node.children_with_tokens().filter_map(|e| e.into_token()).find(|t| is_ident(t.kind()))
}

/// Whether a token kind is an identifier.
pub(crate) fn is_ident(kind: SyntaxKind) -> bool {
    matches!(kind, IDENT | EXPLICIT_IDENT)
}

/// The identifier token covering `range` in `root`.
pub(crate) fn token_at_range(root: &SyntaxNode, range: TextRange) -> Option<SyntaxToken> {
    if range.end() > root.text_range().end() {
        return None;
    }
    match root.covering_element(range) {
        rowan::NodeOrToken::Token(token) => Some(token),
        rowan::NodeOrToken::Node(node) => {
            node.descendants_with_tokens().filter_map(|e| e.into_token()).find(|t| is_ident(t.kind()))
        }
    }
}

/// The syntax token at a location (parsing its file as needed).
pub(crate) fn token_at_location(host: &AnalysisHost, location: Location) -> Option<SyntaxToken> {
    let root = parse(host.db(), location.file).syntax();
    token_at_range(&root, location.range)
}

/// The kinds of the first `n` ancestors of a token, innermost first.
pub(crate) fn parent_kinds(token: &SyntaxToken, n: usize) -> Vec<SyntaxKind> {
    token.parent_ancestors().take(n).map(|node| node.kind()).collect()
}

/// Every reference of the workspace, keyed by where it is written.
pub(crate) struct ReferenceMap {
    by_site: FxHashMap<Location, Location>,
}

impl ReferenceMap {
    /// Indexes the references of `resolved`.
    pub fn new(resolved: &Resolved) -> Self {
        let mut by_site = FxHashMap::default();
        for reference in &resolved.references {
            by_site.entry(reference.at).or_insert(reference.target);
        }
        ReferenceMap { by_site }
    }

    /// What the name written at `site` refers to.
    pub fn target(&self, site: Location) -> Option<Location> {
        self.by_site.get(&site).copied()
    }
}

/// A name under the cursor and the declaration it stands for.
#[derive(Debug, Clone)]
pub(crate) struct NameAt {
    /// The identifier token.
    pub token: SyntaxToken,
    /// Where the name is declared (itself when the cursor is on a declaration).
    pub declaration: Location,
}

/// The name at `offset` and its declaration. Unresolved references give `None`.
pub(crate) fn name_at(ctx: &FileCtx<'_>, refs: &ReferenceMap, offset: TextSize) -> Option<NameAt> {
    let token = ctx.ident_at(offset)?;
    let range = token.text_range();
    let parent = token.parent()?;
    match parent.kind() {
        NAME => Some(NameAt { declaration: ctx.location(range), token }),
        NAME_REF => {
            let declaration = refs.target(ctx.location(range))?;
            Some(NameAt { declaration, token })
        }
        PACKAGE_NAME => {
            let owner = parent.parent()?;
            match owner.kind() {
                PACKAGE_DECL | NESTED_PACKAGE => {
                    Some(NameAt { declaration: ctx.location(canopy_wit_syntax::trimmed_range(&parent)), token })
                }
                USE_PATH => {
                    // `ns:pkg` of a qualified path: the package of the item the path names.
                    let name_ref = owner.children().find(|n| n.kind() == NAME_REF)?;
                    let ident = first_ident(&name_ref)?;
                    let target = refs.target(ctx.location(ident.text_range()))?;
                    let index = DefIndex::new(ctx.resolved());
                    let package = match index.get(target)? {
                        Def::Interface(id) => ctx.resolved().interface(id).package,
                        Def::World(id) => ctx.resolved().world(id).package,
                        _ => return None,
                    };
                    let declaration = ctx.resolved().package(package).location?;
                    Some(NameAt { declaration, token })
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// How a declaration was introduced by a `use`, if it was.
enum UseIntroduced {
    /// `use a.{t}` or `use ns:p/i;`: the name written is the local name.
    Plain(Location),
    /// `use a.{t as u}` or `use ns:p/i as j;`: `site` is where the original name is written.
    Renamed(Location),
}

/// If `declaration` is a name introduced by a `use`, where the original name is written.
fn use_introduced(host: &AnalysisHost, declaration: Location) -> Option<UseIntroduced> {
    let token = token_at_location(host, declaration)?;
    let parent = token.parent()?;
    let site_of = |holder: &SyntaxNode| -> Option<Location> {
        let name_ref = match holder.kind() {
            USE_NAME => holder.children().find(|n| n.kind() == NAME_REF)?,
            TOPLEVEL_USE => {
                holder.children().find(|n| n.kind() == USE_PATH)?.children().find(|n| n.kind() == NAME_REF)?
            }
            _ => return None,
        };
        let ident = first_ident(&name_ref)?;
        Some(Location { file: declaration.file, range: ident.text_range() })
    };
    match parent.kind() {
        NAME_REF => {
            let holder = parent.parent()?;
            let holder = if holder.kind() == USE_PATH { holder.parent()? } else { holder };
            if !matches!(holder.kind(), USE_NAME | TOPLEVEL_USE) {
                return None;
            }
            Some(UseIntroduced::Plain(site_of(&holder)?))
        }
        NAME => {
            let rename = parent.parent().filter(|n| n.kind() == RENAME)?;
            let holder = rename.parent()?;
            Some(UseIntroduced::Renamed(site_of(&holder)?))
        }
        _ => None,
    }
}

/// The original definition of a declaration, following every `use` (renaming ones included).
pub(crate) fn definition_of(host: &AnalysisHost, refs: &ReferenceMap, declaration: Location) -> Location {
    follow_uses(host, refs, declaration, true)
}

/// The declaration a rename starts from: `use`s without `as` are followed (they repeat the
/// original name), a renaming `use` stops the walk (its alias is a name of its own).
pub(crate) fn rename_root(host: &AnalysisHost, refs: &ReferenceMap, declaration: Location) -> Location {
    follow_uses(host, refs, declaration, false)
}

/// Follows `use`s from `at`, one hop at a time, as far as they chain (a chain of `use`s across
/// interfaces may be as long as the workspace); a `use` cycle, an error, stops the walk.
fn follow_uses(host: &AnalysisHost, refs: &ReferenceMap, mut at: Location, through_renames: bool) -> Location {
    let mut seen = FxHashSet::default();
    while seen.insert(at) {
        let site = match use_introduced(host, at) {
            Some(UseIntroduced::Plain(site)) => site,
            Some(UseIntroduced::Renamed(site)) if through_renames => site,
            _ => break,
        };
        match refs.target(site) {
            Some(next) => at = next,
            None => break,
        }
    }
    at
}

/// Places that name `root`, transitively through `use`s that repeat the name (and, with
/// `through_renames`, through renaming `use`s and the alias's own uses). The alias names of
/// renaming `use`s are included when followed. `root` itself is not included.
pub(crate) fn usages(host: &AnalysisHost, root: Location, through_renames: bool) -> Vec<Location> {
    let resolved = &host.analysis().resolved;
    let mut by_target: FxHashMap<Location, Vec<Location>> = FxHashMap::default();
    for reference in &resolved.references {
        by_target.entry(reference.target).or_default().push(reference.at);
    }
    let mut found = Vec::new();
    let mut worklist = vec![root];
    let mut seen = vec![root];
    while let Some(declaration) = worklist.pop() {
        for &site in by_target.get(&declaration).map(Vec::as_slice).unwrap_or_default() {
            if seen.contains(&site) {
                continue;
            }
            seen.push(site);
            found.push(site);
            // A plain `use` declares the name at the very site that refers to the original.
            worklist.push(site);
            if through_renames
                && let Some(alias) = alias_declared_at(host, site)
                && !seen.contains(&alias)
            {
                seen.push(alias);
                found.push(alias);
                worklist.push(alias);
            }
        }
    }
    found.sort_by_key(|l| (l.file.path(host.db()).clone(), l.range.start()));
    found
}

/// For the original name in a renaming `use` (`t` in `use a.{t as u}`), the alias `u`.
pub(crate) fn alias_declared_at(host: &AnalysisHost, site: Location) -> Option<Location> {
    let token = token_at_location(host, site)?;
    let name_ref = token.parent().filter(|n| n.kind() == NAME_REF)?;
    let mut holder = name_ref.parent()?;
    if holder.kind() == USE_PATH {
        holder = holder.parent()?;
    }
    if !matches!(holder.kind(), USE_NAME | TOPLEVEL_USE) {
        return None;
    }
    let name = holder.children().find(|n| n.kind() == RENAME)?.children().find(|n| n.kind() == NAME)?;
    let ident = first_ident(&name)?;
    Some(Location { file: site.file, range: ident.text_range() })
}

/// A resolved definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Def {
    /// A package declaration.
    Package(PackageId),
    /// An interface (named or inline).
    Interface(InterfaceId),
    /// A world.
    World(WorldId),
    /// A named type (or a `use`d name).
    Type(TypeId),
    /// A function: index into [`DefIndex::functions`].
    Function(usize),
}

/// The resolved definitions of the workspace, by the location of their name.
pub(crate) struct DefIndex<'r> {
    by_location: FxHashMap<Location, Def>,
    /// Every function of every interface and world.
    pub functions: Vec<&'r Function>,
}

impl<'r> DefIndex<'r> {
    /// Indexes `resolved`.
    pub fn new(resolved: &'r Resolved) -> Self {
        let mut index = DefIndex { by_location: FxHashMap::default(), functions: Vec::new() };
        for (i, package) in resolved.packages.iter().enumerate() {
            index.insert(package.location, Def::Package(PackageId(i as u32)));
        }
        for (i, interface) in resolved.interfaces.iter().enumerate() {
            index.insert(interface.location, Def::Interface(InterfaceId(i as u32)));
            for function in &interface.functions {
                index.add_function(function);
            }
        }
        for (i, world) in resolved.worlds.iter().enumerate() {
            index.insert(world.location, Def::World(WorldId(i as u32)));
            for (_, item) in world.imports.iter().chain(&world.exports) {
                if let WorldItem::Function(function) = item {
                    index.add_function(function);
                }
            }
        }
        for (i, ty) in resolved.types.iter().enumerate() {
            index.insert(ty.location, Def::Type(TypeId(i as u32)));
        }
        index
    }

    fn insert(&mut self, location: Option<Location>, def: Def) {
        if let Some(location) = location {
            self.by_location.entry(location).or_insert(def);
        }
    }

    fn add_function(&mut self, function: &'r Function) {
        let Some(location) = function.location else { return };
        if self.by_location.contains_key(&location) {
            return;
        }
        self.by_location.insert(location, Def::Function(self.functions.len()));
        self.functions.push(function);
    }

    /// The definition named at `location`.
    pub fn get(&self, location: Location) -> Option<Def> {
        self.by_location.get(&location).copied()
    }

    /// The function of a [`Def::Function`].
    pub fn function(&self, index: usize) -> &'r Function {
        self.functions[index]
    }
}

/// The syntax node that a name token names: the item, field, case or parameter around it.
pub(crate) fn named_node(token: &SyntaxToken) -> Option<SyntaxNode> {
    let name = token.parent().filter(|n| matches!(n.kind(), NAME | NAME_REF | PACKAGE_NAME))?;
    let owner = name.parent()?;
    match owner.kind() {
        // `as name` and paths belong to the `use`/`import`/`include` around them.
        RENAME | USE_PATH => owner.parent(),
        _ => Some(owner),
    }
}

/// The interface or world whose body encloses `node` (an `INTERFACE`, `WORLD` or
/// `EXTERN_NAMED` for inline interfaces).
pub(crate) fn enclosing_container(node: &SyntaxNode) -> Option<SyntaxNode> {
    node.ancestors()
        .skip(1)
        .find(|n| matches!(n.kind(), INTERFACE | WORLD | INLINE_INTERFACE))
        .and_then(|n| if n.kind() == INLINE_INTERFACE { n.parent() } else { Some(n) })
}

/// The range of the identifier of the `NAME` child of `node`.
pub(crate) fn name_ident_range(node: &SyntaxNode) -> Option<TextRange> {
    let name = node.children().find(|n| n.kind() == NAME)?;
    first_ident(&name).map(|t| t.text_range())
}

/// The names a container (interface, world, inline interface) declares: its types, functions,
/// `use`d names, imports and exports, with the range of each name.
pub(crate) fn container_names(container: &SyntaxNode) -> Vec<(String, TextRange)> {
    let list = match container.kind() {
        EXTERN_NAMED => container
            .children()
            .find(|n| n.kind() == INLINE_INTERFACE)
            .and_then(|i| i.children().find(|n| n.kind() == ITEM_LIST)),
        _ => container.children().find(|n| n.kind() == ITEM_LIST),
    };
    let Some(list) = list else { return Vec::new() };
    let mut names = Vec::new();
    let mut push_ident = |node: &SyntaxNode| {
        if let Some(token) = first_ident(node) {
            names.push((canopy_wit_syntax::ast::ident_text(&token).to_string(), token.text_range()));
        }
    };
    for item in list.children() {
        match item.kind() {
            USE => {
                for use_name in item.descendants().filter(|n| n.kind() == USE_NAME) {
                    let local = use_name
                        .children()
                        .find(|n| n.kind() == RENAME)
                        .and_then(|r| r.children().find(|n| n.kind() == NAME))
                        .or_else(|| use_name.children().find(|n| n.kind() == NAME_REF));
                    if let Some(local) = local {
                        push_ident(&local);
                    }
                }
            }
            IMPORT | EXPORT => {
                if let Some(named) = item.children().find(|n| n.kind() == EXTERN_NAMED)
                    && let Some(name) = named.children().find(|n| n.kind() == NAME)
                {
                    push_ident(&name);
                }
            }
            _ => {
                if let Some(name) = item.children().find(|n| n.kind() == NAME) {
                    push_ident(&name);
                }
            }
        }
    }
    names
}

/// A navigation target for the declaration at `location`.
pub(crate) fn navigation_target(host: &AnalysisHost, location: Location) -> Option<crate::NavigationTarget> {
    let db = host.db();
    let path = location.file.path(db).clone();
    let token = token_at_location(host, location);
    let (name, full_range) = match &token {
        Some(token) if is_ident(token.kind()) && token.text_range() == location.range => {
            let full = named_node(token).map_or(location.range, |n| canopy_wit_syntax::trimmed_range(&n));
            (canopy_wit_syntax::ast::ident_text(token).to_string(), full)
        }
        _ => {
            let text = location.file.text(db);
            let name = text.get(usize::from(location.range.start())..usize::from(location.range.end()))?.to_string();
            let full = token
                .and_then(|t| t.parent_ancestors().find(|n| matches!(n.kind(), PACKAGE_DECL | NESTED_PACKAGE)))
                .map_or(location.range, |n| canopy_wit_syntax::trimmed_range(&n));
            (name, full)
        }
    };
    Some(crate::NavigationTarget { path, full_range, focus_range: location.range, name })
}

/// The doc comments of the item or member named by `name`: those the item node starts with,
/// or (where the parser attached them to the name, as for functions and fields) the doc
/// comments right before the name's identifier.
pub(crate) fn docs_of(name: &SyntaxToken) -> Option<String> {
    if let Some(docs) = named_node(name).and_then(|node| canopy_wit_syntax::ast::docs(&node)) {
        return Some(docs);
    }
    let mut lines = Vec::new();
    let mut token = name.prev_token();
    while let Some(t) = token {
        match t.kind() {
            DOC_COMMENT => {
                let text = t.text().trim_start_matches("///");
                lines.push(text.strip_prefix(' ').unwrap_or(text).trim_end().to_string());
            }
            kind if kind.is_trivia() => {}
            _ => break,
        }
        token = t.prev_token();
    }
    lines.reverse();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// The package the file's items belong to.
pub(crate) fn current_package(ctx: &FileCtx<'_>) -> Option<PackageId> {
    let resolved = ctx.resolved();
    let in_file = |l: Option<Location>| l.is_some_and(|l| l.file == ctx.file);
    resolved
        .packages
        .iter()
        .position(|p| in_file(p.location))
        .map(|i| PackageId(i as u32))
        .or_else(|| resolved.interfaces.iter().find(|i| in_file(i.location)).map(|i| i.package))
        .or_else(|| resolved.worlds.iter().find(|w| in_file(w.location)).map(|w| w.package))
}
