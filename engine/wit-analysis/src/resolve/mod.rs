//! Name resolution and validation of a whole workspace.
//!
//! [`analyze`] takes every package group of the workspace, assembles packages from the files'
//! item trees (`packages`), binds every name to its definition (`items` for interfaces and
//! types, `worlds` for worlds, `include` and the implicit imports a world needs), checks every
//! rule WIT imposes along the way, and returns the [`Resolved`] arenas plus all diagnostics.
//! Resolution is lazy and memoized per interface and world, which is also how `use` and
//! `include` cycles are found.

pub mod arena;
mod items;
mod names;
mod order;
mod packages;
mod type_text;
mod worlds;

use std::sync::Arc;

use canopy_wit_syntax::TextRange;
use rustc_hash::FxHashMap;

pub use arena::*;
pub use type_text::{NameUse, write_type};

use crate::Features;
use crate::db::{SourceFile, Workspace};
use crate::diagnostics::Diagnostic;
use crate::hir::{self, PackageBody};
use crate::lower::file_items;

/// The result of analyzing a workspace.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Analysis {
    /// Every diagnostic, sorted by path and position.
    pub diagnostics: Vec<Diagnostic>,
    /// What resolved.
    pub resolved: Resolved,
}

/// Resolves and validates the whole workspace from the files' item trees.
///
/// Positions in the result are *basis* positions (see [`crate::positions`]) and docs are those
/// of the basis parses; syntax errors of the current texts are not included. Consumers outside
/// the crate read [`crate::current::analysis`] and [`crate::current::diagnostics`] instead,
/// which add those and move positions to the current texts. Keeping them out of this query is
/// what lets an edit inside a comment leave it, and all resolution, untouched.
#[salsa::tracked(returns(ref))]
pub fn analyze(db: &dyn salsa::Database, ws: Workspace) -> Analysis {
    let mut resolver = Resolver::new(db, ws.features(db));
    for group in ws.groups(db) {
        let files: Vec<(SourceFile, &hir::FileItems)> =
            group.files(db).iter().map(|&file| (file, file_items(db, file))).collect();
        for &(file, items) in &files {
            let path = file.path(db).clone();
            for (range, message) in &items.errors {
                resolver.diags.push(Diagnostic::error(path.clone(), *range, "syntax", message.clone()));
            }
        }
        resolver.add_group(&files);
    }
    resolver.resolve_all();
    let mut diagnostics = resolver.diags;
    diagnostics
        .sort_by(|a, b| (&a.path, a.range.start(), a.range.end()).cmp(&(&b.path, b.range.start(), b.range.end())));
    diagnostics.dedup();
    let mut resolved = resolver.out;
    resolved.index_aliases();
    Analysis { diagnostics, resolved }
}

/// Progress of the lazy resolution of one interface or world.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Pending,
    InProgress,
    Done,
}

/// What to do when resolution of an interface or world is requested.
enum Begin {
    /// Resolve it now (it is marked in progress).
    Start,
    /// Already resolved, or part of a cycle (reported).
    Skip,
}

/// Where a package's items come from: one body per file (or nested block) that declares it.
struct PackageSource<'a> {
    bodies: Vec<(SourceFile, &'a PackageBody)>,
}

/// Where an interface's items come from.
#[derive(Clone, Copy)]
struct InterfaceSource<'a> {
    file: SourceFile,
    /// The file body whose top-level `use`s are in scope.
    body: &'a PackageBody,
    items: &'a [hir::InterfaceItem],
}

#[derive(Clone, Copy)]
struct WorldSource<'a> {
    file: SourceFile,
    body: &'a PackageBody,
    def: &'a hir::WorldDef,
}

/// What a path (`foo`, `a:b/foo`) names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PathTarget {
    Interface(InterfaceId),
    World(WorldId),
}

/// The state of one analysis run.
struct Resolver<'a> {
    db: &'a dyn salsa::Database,
    features: &'a Features,
    out: Resolved,
    diags: Vec<Diagnostic>,
    package_sources: Vec<PackageSource<'a>>,
    interface_sources: Vec<Option<InterfaceSource<'a>>>,
    interface_state: Vec<State>,
    world_sources: Vec<WorldSource<'a>>,
    world_state: Vec<State>,
    /// The interfaces and worlds of each package by name (interface and world names share one
    /// namespace per package, so each name is there once).
    package_items: Vec<FxHashMap<String, PathTarget>>,
    /// The named types of large resolved interfaces by name, built when a `use` first looks
    /// into one (small ones are searched in place).
    type_indexes: FxHashMap<InterfaceId, FxHashMap<String, TypeId>>,
    /// Whether a named type contains a `borrow`, for the types a search has settled (see
    /// `contains_borrow`).
    borrow_memo: FxHashMap<TypeId, bool>,
    /// Resolved top-level `use`s, per file body (keyed by body address).
    toplevel_scopes: FxHashMap<*const PackageBody, FxHashMap<String, (PathTarget, Location)>>,
    /// The package each body belongs to.
    body_package: FxHashMap<*const PackageBody, PackageId>,
    /// Interfaces each interface `use`s from (its direct dependencies).
    interface_deps: Vec<Vec<InterfaceId>>,
    /// Interfaces and worlds being resolved, innermost last (for cycle reports).
    resolving: Vec<(String, Location)>,
    /// A package cycle was reported; the `use` cycles it implies are not reported again.
    package_cycle_found: bool,
    /// Set when a type expression referred to an item removed by an inactive feature gate;
    /// the enclosing definition reports it.
    excluded_reference: bool,
    /// Names of types removed by feature gates, per interface.
    excluded_types: FxHashMap<InterfaceId, Vec<String>>,
    /// Names of interfaces and worlds removed by feature gates, per package.
    excluded_items: FxHashMap<PackageId, Vec<(String, &'static str)>>,
}

impl<'a> Resolver<'a> {
    fn new(db: &'a dyn salsa::Database, features: &'a Features) -> Self {
        Resolver {
            db,
            features,
            out: Resolved::default(),
            diags: Vec::new(),
            package_sources: Vec::new(),
            interface_sources: Vec::new(),
            interface_state: Vec::new(),
            world_sources: Vec::new(),
            world_state: Vec::new(),
            package_items: Vec::new(),
            type_indexes: FxHashMap::default(),
            borrow_memo: FxHashMap::default(),
            toplevel_scopes: FxHashMap::default(),
            body_package: FxHashMap::default(),
            interface_deps: Vec::new(),
            resolving: Vec::new(),
            package_cycle_found: false,
            excluded_reference: false,
            excluded_types: FxHashMap::default(),
            excluded_items: FxHashMap::default(),
        }
    }

    fn path_of(&self, file: SourceFile) -> Arc<str> {
        file.path(self.db).clone()
    }

    fn error(&mut self, file: SourceFile, range: TextRange, code: &'static str, message: impl Into<String>) {
        let path = self.path_of(file);
        self.diags.push(Diagnostic::error(path, range, code, message));
    }

    fn error_related(
        &mut self,
        file: SourceFile,
        range: TextRange,
        code: &'static str,
        message: impl Into<String>,
        related: Option<Location>,
        related_message: &str,
    ) {
        let path = self.path_of(file);
        let mut diagnostic = Diagnostic::error(path, range, code, message);
        if let Some(loc) = related {
            let related_path = self.path_of(loc.file);
            diagnostic = diagnostic.with_related(related_path, loc.range, related_message);
        }
        self.diags.push(diagnostic);
    }

    fn reference(&mut self, file: SourceFile, range: TextRange, target: Option<Location>) {
        if let Some(target) = target {
            self.out.references.push(Reference { at: Location { file, range }, target });
        }
    }

    fn is_active(&self, gates: &hir::Gates) -> bool {
        gates.is_active(self.features)
    }

    fn new_interface(&mut self, interface: Interface, source: Option<InterfaceSource<'a>>) -> InterfaceId {
        let id = InterfaceId(self.out.interfaces.len() as u32);
        self.out.interfaces.push(interface);
        self.interface_sources.push(source);
        self.interface_state.push(if source.is_some() { State::Pending } else { State::Done });
        self.interface_deps.push(Vec::new());
        id
    }

    fn new_type(&mut self, def: TypeDef) -> TypeId {
        let id = TypeId(self.out.types.len() as u32);
        self.out.types.push(def);
        id
    }

    fn resolve_all(&mut self) {
        self.check_package_cycles();
        self.resolve_toplevel_uses();
        for index in 0..self.out.interfaces.len() {
            self.ensure_interface(InterfaceId(index as u32));
        }
        for index in 0..self.out.worlds.len() {
            self.ensure_world(WorldId(index as u32));
        }
    }
}

impl Resolver<'_> {
    /// Moves `state` to in-progress if it was pending; reports a cycle if it was in progress.
    fn begin(&mut self, state: State) -> Begin {
        match state {
            State::Pending => Begin::Start,
            State::Done => Begin::Skip,
            State::InProgress => {
                self.report_cycle();
                Begin::Skip
            }
        }
    }

    /// Checks `@since(version = …)` against the version of the package the item is in.
    fn check_since(&mut self, file: SourceFile, gates: &hir::Gates, at: TextRange, package: PackageId) {
        let Some((since, _)) = &gates.since else { return };
        let name = self.out.package(package).name.clone();
        match &name.version {
            None => self.error(
                file,
                at,
                "since-version",
                format!("package [{name}] contains a feature gate with a version specifier, so it must have a version"),
            ),
            Some(current) if since > current => self.error(
                file,
                at,
                "since-version",
                format!(
                    "feature gate cannot reference unreleased version {since} of package [{name}] (current version {current})"
                ),
            ),
            Some(_) => {}
        }
    }

    /// Reports a reference to something a feature gate removed.
    fn report_excluded(&mut self, file: SourceFile, at: TextRange, what: &str) {
        self.error(
            file,
            at,
            "excluded-by-feature",
            format!("found a reference to a {what} which is excluded due to its feature not being activated"),
        );
    }

    /// Takes the flag set when the last type expressions referred to a removed type.
    fn take_excluded_reference(&mut self) -> bool {
        std::mem::take(&mut self.excluded_reference)
    }

    /// Reports that the item being resolved depends on itself (through `use` or `include`).
    fn report_cycle(&mut self) {
        if self.package_cycle_found {
            return;
        }
        if let Some((name, location)) = self.resolving.last().cloned() {
            self.error(
                location.file,
                location.range,
                "cycle",
                format!("interface or world `{name}` depends on itself"),
            );
        }
    }
}
