//! Package assembly: which files and blocks make up which package, the packages' interface
//! and world names, the dependency order between packages, and resolution of paths
//! (`foo`, `ns:pkg/foo@1.0.0`) to interfaces and worlds.

use rustc_hash::FxHashMap;

use super::*;
use crate::hir::{PackageDecl, PackageName, PathRef};

impl<'a> Resolver<'a> {
    /// Registers the packages one group of files declares.
    pub(super) fn add_group(&mut self, files: &[(SourceFile, &'a hir::FileItems)]) {
        // The group's main package: named by the files' `package …;` headers, which must agree.
        let mut main: Option<(PackageDecl, SourceFile)> = None;
        // The docs, the file and range of their comment, and the location of their declaration.
        let mut main_docs: Option<(String, SourceFile, TextRange, Location)> = None;
        let group_has_syntax_errors = files.iter().any(|&(file, items)| {
            !items.errors.is_empty() || !crate::db::basis_parse(self.db, file).0.errors().is_empty()
        });
        for &(file, items) in files {
            let Some(decl) = &items.package_decl else { continue };
            match &main {
                None => main = Some((decl.clone(), file)),
                Some((first, first_file)) if first.name != decl.name => {
                    let related = Some(Location { file: *first_file, range: first.range });
                    self.error_related(
                        file,
                        decl.range,
                        "package-mismatch",
                        format!(
                            "package identifier `{}` does not match previous package name of `{}`",
                            decl.name, first.name
                        ),
                        related,
                        "the package was first named here",
                    );
                }
                Some(_) => {}
            }
            if let Some(docs) = &decl.docs {
                if let Some((_, first_file, first_range, _)) = &main_docs {
                    let related = Some(Location { file: *first_file, range: *first_range });
                    self.error_related(
                        file,
                        decl.docs_range.unwrap_or(decl.range),
                        "package-docs",
                        "found doc comments on multiple `package` items; document the package in one file only",
                        related,
                        "the package is first documented here",
                    );
                } else {
                    let declared = Location { file, range: decl.range };
                    main_docs = Some((docs.clone(), file, decl.docs_range.unwrap_or(decl.range), declared));
                }
            }
        }

        let has_nested = files.iter().any(|(_, items)| items.bodies.len() > 1);
        let has_top_items = files.iter().any(|(_, items)| {
            let top = &items.bodies[0];
            !top.interfaces.is_empty() || !top.worlds.is_empty() || !top.uses.is_empty()
        });
        match &main {
            Some((decl, file)) => {
                let bodies: Vec<_> = files.iter().map(|&(f, items)| (f, &items.bodies[0])).collect();
                let docs = main_docs.map(|(docs, _, _, declared)| (docs, declared));
                self.declare_package(decl.clone(), *file, docs, bodies);
            }
            // Reported only once the files parse: with syntax errors the header may be what is
            // broken, and the syntax error explains more.
            None if (has_top_items || !has_nested) && !group_has_syntax_errors => {
                if let Some(&(file, _)) = files.first() {
                    self.error(
                        file,
                        TextRange::empty(0.into()),
                        "missing-package",
                        "no `package` header was found in any WIT file for this package; add `package namespace:name;` at the top of a file",
                    );
                }
            }
            None => {}
        }
        for &(file, items) in files {
            for body in &items.bodies[1..] {
                let Some(decl) = &body.nested else { continue };
                let docs = decl.docs.clone().map(|docs| (docs, Location { file, range: decl.range }));
                self.declare_package(decl.clone(), file, docs, vec![(file, body)]);
            }
        }
    }

    fn declare_package(
        &mut self,
        decl: PackageDecl,
        file: SourceFile,
        docs: Option<(String, Location)>,
        bodies: Vec<(SourceFile, &'a PackageBody)>,
    ) {
        let location = Location { file, range: decl.range };
        if let Some(&existing) = self.out.package_by_name.get(&decl.name) {
            let related = self.out.package(existing).location;
            self.error_related(
                file,
                decl.range,
                "duplicate-package",
                format!("package `{}` is defined more than once", decl.name),
                related,
                "first defined here",
            );
            return;
        }
        let id = PackageId(self.out.packages.len() as u32);
        self.out.packages.push(Package {
            name: decl.name.clone(),
            location: Some(location),
            docs_location: docs.as_ref().map(|(_, at)| *at),
            docs: docs.map(|(docs, _)| docs),
            interfaces: Vec::new(),
            worlds: Vec::new(),
        });
        self.out.package_by_name.insert(decl.name, id);
        self.package_items.push(FxHashMap::default());
        for &(_, body) in &bodies {
            self.body_package.insert(body as *const PackageBody, id);
        }
        // Interface and world names share one namespace per package.
        let mut names: FxHashMap<String, Location> = FxHashMap::default();
        for &(file, body) in &bodies {
            for def in &body.interfaces {
                if !self.is_active(&def.meta.gates) {
                    self.excluded_items.entry(id).or_default().push((def.name.text.clone(), "interface"));
                    // Items of a removed interface must be gated themselves.
                    for item in &def.items {
                        if let hir::InterfaceItem::Type(t) = item
                            && t.meta.gates.unstable.is_none()
                        {
                            self.error(
                                file,
                                t.name.range,
                                "excluded-by-feature",
                                "found a reference to a interface which is excluded due to its feature not being activated; this type is not gated by a feature but its interface is",
                            );
                        }
                    }
                    continue;
                }
                self.check_since(file, &def.meta.gates, def.name.range, id);
                if !self.claim_package_name(&mut names, file, &def.name) {
                    continue;
                }
                let location = Location { file, range: def.name.range };
                let interface = Interface {
                    name: Some(def.name.text.clone()),
                    owner: InterfaceOwner::Package(id),
                    package: id,
                    types: Vec::new(),
                    functions: Vec::new(),
                    location: Some(location),
                    docs: def.meta.docs.clone(),
                };
                let source = InterfaceSource { file, body, items: &def.items };
                let iid = self.new_interface(interface, Some(source));
                self.out.packages[id.index()].interfaces.push((def.name.text.clone(), iid));
                self.package_items[id.index()].insert(def.name.text.clone(), PathTarget::Interface(iid));
            }
        }
        for &(file, body) in &bodies {
            for def in &body.worlds {
                if !self.is_active(&def.meta.gates) {
                    self.excluded_items.entry(id).or_default().push((def.name.text.clone(), "world"));
                    continue;
                }
                self.check_since(file, &def.meta.gates, def.name.range, id);
                if !self.claim_package_name(&mut names, file, &def.name) {
                    continue;
                }
                let wid = WorldId(self.out.worlds.len() as u32);
                self.out.worlds.push(World {
                    name: def.name.text.clone(),
                    package: id,
                    imports: Vec::new(),
                    exports: Vec::new(),
                    location: Some(Location { file, range: def.name.range }),
                    docs: def.meta.docs.clone(),
                });
                self.world_sources.push(WorldSource { file, body, def });
                self.world_state.push(State::Pending);
                self.out.packages[id.index()].worlds.push((def.name.text.clone(), wid));
                self.package_items[id.index()].entry(def.name.text.clone()).or_insert(PathTarget::World(wid));
            }
        }
        self.package_sources.push(PackageSource { bodies });
    }

    fn claim_package_name(
        &mut self,
        names: &mut FxHashMap<String, Location>,
        file: SourceFile,
        name: &hir::Name,
    ) -> bool {
        if let Some(previous) = names.get(&name.text).copied() {
            self.error_related(
                file,
                name.range,
                "duplicate-name",
                format!("duplicate item named `{}`", name.text),
                Some(previous),
                "first defined here",
            );
            return false;
        }
        names.insert(name.text.clone(), Location { file, range: name.range });
        true
    }

    /// Reports cycles between packages (through qualified `use`, `import`, `include` paths).
    pub(super) fn check_package_cycles(&mut self) {
        let count = self.out.packages.len();
        let mut edges: Vec<Vec<(PackageId, SourceFile, TextRange)>> = vec![Vec::new(); count];
        for (index, source) in self.package_sources.iter().enumerate() {
            for &(file, body) in &source.bodies {
                let mut paths = Vec::new();
                collect_body_paths(body, &mut paths);
                for path in paths {
                    let Some(name) = &path.package else { continue };
                    if let Some(&target) = self.out.package_by_name.get(name) {
                        // A package naming itself by its qualified name is a cycle too.
                        edges[index].push((target, file, path.range));
                    }
                }
            }
        }
        // Depth-first search for a back edge; the report goes on the first edge of the cycle.
        let mut color = vec![0u8; count];
        for start in 0..count {
            if color[start] == 0 {
                let mut stack = Vec::new();
                if let Some((file, range, name)) = visit_package(start, &edges, &mut color, &mut stack) {
                    let name = self.out.packages[name.index()].name.to_string();
                    self.error(file, range, "package-cycle", format!("package `{name}` creates a dependency cycle"));
                    self.package_cycle_found = true;
                    return;
                }
            }
        }
    }

    /// Resolves the top-level `use`s of every body, so that each is checked even if unused.
    pub(super) fn resolve_toplevel_uses(&mut self) {
        let bodies: Vec<(SourceFile, &'a PackageBody)> =
            self.package_sources.iter().flat_map(|s| s.bodies.iter().copied()).collect();
        for (file, body) in bodies {
            self.toplevel_scope(file, body);
        }
    }

    /// Resolves the top-level `use` names of a file body into `toplevel_scopes`, on first use.
    fn toplevel_scope(&mut self, file: SourceFile, body: &'a PackageBody) {
        let key = body as *const PackageBody;
        if self.toplevel_scopes.contains_key(&key) {
            return;
        }
        // Insert an empty scope first: a top-level `use` path never goes through another one.
        self.toplevel_scopes.insert(key, FxHashMap::default());
        let mut scope: FxHashMap<String, (PathTarget, Location)> = FxHashMap::default();
        for use_ in &body.uses {
            if !self.is_active(&use_.meta.gates) {
                continue;
            }
            let Some(target) = self.resolve_path_in(file, body, &use_.path, false) else { continue };
            // A foreign top-level `use` names an interface; a local one may name a world.
            if let (PathTarget::World(_), Some(_)) = (target, &use_.path.package) {
                let package = use_.path.package.as_ref().map_or_else(String::new, |p| p.to_string());
                self.error(
                    file,
                    use_.path.name.range,
                    "unknown-interface",
                    format!("interface `{}` not found in package `{package}` (it is a world)", use_.path.name.text),
                );
                continue;
            }
            let local = use_.alias.as_ref().unwrap_or(&use_.path.name);
            let location = Location { file, range: local.range };
            if let Some((_, previous)) = scope.get(&local.text) {
                let previous = *previous;
                self.error_related(
                    file,
                    local.range,
                    "duplicate-name",
                    format!("name `{}` is defined more than once", local.text),
                    Some(previous),
                    "first defined here",
                );
                continue;
            }
            // Top-level names are file-scoped: only definitions of this file can clash.
            let clash = body
                .interfaces
                .iter()
                .map(|i| &i.name)
                .chain(body.worlds.iter().map(|w| &w.name))
                .find(|n| n.text == local.text)
                .map(|n| Location { file, range: n.range });
            {
                if let Some(clash) = clash {
                    // Reported on the definition in this file, as wit-parser does.
                    let (at_file, at_range, related) = if clash.range.start() > local.range.start() {
                        (clash.file, clash.range, location)
                    } else {
                        (file, local.range, clash)
                    };
                    self.error_related(
                        at_file,
                        at_range,
                        "duplicate-name",
                        format!("duplicate name `{}` in this file", local.text),
                        Some(related),
                        "the other definition",
                    );
                    continue;
                }
            }
            scope.insert(local.text.clone(), (target, location));
        }
        self.toplevel_scopes.insert(key, scope);
    }

    /// What a path written in `body` of `file` names, like [`Self::resolve_path`] but without
    /// reporting anything or recording a reference (for the walk that orders resolution).
    pub(super) fn peek_path(&mut self, file: SourceFile, body: &'a PackageBody, path: &PathRef) -> Option<PathTarget> {
        match &path.package {
            Some(package_name) => {
                let package = self.find_package(package_name)?;
                self.lookup_in_package(package, &path.name.text)
            }
            None => {
                let key = body as *const PackageBody;
                self.toplevel_scope(file, body);
                if let Some((target, _)) = self.toplevel_scopes.get(&key).and_then(|s| s.get(&path.name.text)) {
                    return Some(*target);
                }
                let package = self.body_package.get(&key).copied()?;
                self.lookup_in_package(package, &path.name.text)
            }
        }
    }

    /// Resolves a path written in `body` of `file` to an interface or world.
    pub(super) fn resolve_path(
        &mut self,
        file: SourceFile,
        body: &'a PackageBody,
        path: &PathRef,
    ) -> Option<PathTarget> {
        self.resolve_path_in(file, body, path, true)
    }

    fn resolve_path_in(
        &mut self,
        file: SourceFile,
        body: &'a PackageBody,
        path: &PathRef,
        use_toplevel: bool,
    ) -> Option<PathTarget> {
        match &path.package {
            Some(package_name) => {
                let Some(package) = self.find_package(package_name) else {
                    let known = self.known_packages();
                    self.error(
                        file,
                        path.range,
                        "unknown-package",
                        format!("package `{package_name}` not found; known packages: {known}"),
                    );
                    return None;
                };
                let found = self.lookup_in_package(package, &path.name.text);
                let missing = format!("interface or world `{}` not found in package `{package_name}`", path.name.text);
                self.bind_path(file, path, Some(package), found, missing)
            }
            None => {
                if use_toplevel {
                    self.toplevel_scope(file, body);
                    let key = body as *const PackageBody;
                    if let Some(&(target, location)) =
                        self.toplevel_scopes.get(&key).and_then(|s| s.get(&path.name.text))
                    {
                        self.reference(file, path.name.range, Some(location));
                        return Some(target);
                    }
                }
                let package = self.body_package.get(&(body as *const PackageBody)).copied();
                let found = package.and_then(|p| self.lookup_in_package(p, &path.name.text));
                let missing = format!("interface or world `{}` does not exist", path.name.text);
                self.bind_path(file, path, package, found, missing)
            }
        }
    }

    /// Records the reference of a looked-up path, or reports why it names nothing.
    fn bind_path(
        &mut self,
        file: SourceFile,
        path: &PathRef,
        package: Option<PackageId>,
        found: Option<PathTarget>,
        missing: String,
    ) -> Option<PathTarget> {
        if let Some(target) = found {
            let location = self.target_location(target);
            self.reference(file, path.name.range, location);
            return Some(target);
        }
        match package.and_then(|p| self.excluded_kind(p, &path.name.text)) {
            Some(what) => self.report_excluded(file, path.name.range, what),
            None => self.error(file, path.name.range, "unknown-interface", missing),
        }
        None
    }

    /// "interface" or "world" when a feature gate removed an item of that name.
    fn excluded_kind(&self, package: PackageId, name: &str) -> Option<&'static str> {
        self.excluded_items.get(&package)?.iter().find(|(n, _)| n == name).map(|(_, k)| *k)
    }

    fn find_package(&self, name: &PackageName) -> Option<PackageId> {
        self.out.package_by_name.get(name).copied()
    }

    fn known_packages(&self) -> String {
        let mut names: Vec<String> = self.out.packages.iter().map(|p| format!("`{}`", p.name)).collect();
        names.sort();
        if names.is_empty() { "none".to_string() } else { names.join(", ") }
    }

    fn lookup_in_package(&self, package: PackageId, name: &str) -> Option<PathTarget> {
        self.package_items[package.index()].get(name).copied()
    }

    pub(super) fn target_location(&self, target: PathTarget) -> Option<Location> {
        match target {
            PathTarget::Interface(id) => self.out.interface(id).location,
            PathTarget::World(id) => self.out.world(id).location,
        }
    }
}

/// Every path written in a body: top-level uses, interface uses, world imports, exports and
/// includes.
fn collect_body_paths<'b>(body: &'b PackageBody, out: &mut Vec<&'b PathRef>) {
    for use_ in &body.uses {
        out.push(&use_.path);
    }
    for interface in &body.interfaces {
        collect_item_paths(&interface.items, out);
    }
    for world in &body.worlds {
        for item in &world.items {
            match item {
                hir::WorldItem::Import(e) | hir::WorldItem::Export(e) => match &e.kind {
                    hir::ExternKind::Path(p) | hir::ExternKind::NamedPath(_, p) => out.push(p),
                    hir::ExternKind::Interface(_, items) => collect_item_paths(items, out),
                    hir::ExternKind::Func(..) => {}
                },
                hir::WorldItem::Use(u) => out.push(&u.path),
                hir::WorldItem::Include(i) => out.push(&i.path),
                hir::WorldItem::Type(_) => {}
            }
        }
    }
}

fn collect_item_paths<'b>(items: &'b [hir::InterfaceItem], out: &mut Vec<&'b PathRef>) {
    for item in items {
        if let hir::InterfaceItem::Use(u) = item {
            out.push(&u.path);
        }
    }
}

type PackageEdge = (PackageId, SourceFile, TextRange);

/// Depth-first search from `root` (on an explicit stack: dependency chains may be long); on a
/// cycle, returns the first edge of the cycle (where to report) and the package it leads to.
fn visit_package(
    root: usize,
    edges: &[Vec<PackageEdge>],
    color: &mut [u8],
    stack: &mut Vec<(usize, PackageEdge)>,
) -> Option<(SourceFile, TextRange, PackageId)> {
    // The packages being visited, each with how many of its edges were taken; `stack` holds
    // the edge that led to each but the first.
    let mut visiting: Vec<(usize, usize)> = vec![(root, 0)];
    color[root] = 1;
    while let Some((node, taken)) = visiting.last_mut() {
        let node = *node;
        let Some(&edge) = edges[node].get(*taken) else {
            color[node] = 2;
            visiting.pop();
            stack.pop();
            continue;
        };
        *taken += 1;
        let (target, file, range) = edge;
        match color[target.index()] {
            1 => {
                // The cycle starts at `target`; its first edge leaves `target`.
                let first = stack.iter().find(|(from, _)| *from == target.index()).map(|(_, e)| *e);
                let (to, file, range) = first.unwrap_or((target, file, range));
                return Some((file, range, to));
            }
            0 => {
                stack.push((node, edge));
                color[target.index()] = 1;
                visiting.push((target.index(), 0));
            }
            _ => {}
        }
    }
    None
}
