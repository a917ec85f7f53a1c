//! Worlds: imports and exports with their name rules, `include` (with `with` renames), and
//! elaboration, which adds the imports a world needs implicitly (the interfaces its imports
//! and exports `use` types from).

use rustc_hash::{FxHashMap, FxHashSet};

use super::items::Scope;
use super::*;
use crate::hir::{ExternKind, WorldItem as HirWorldItem};

/// Where a world item came from, for conflict messages.
#[derive(Debug, Clone, Copy)]
struct Origin {
    location: Option<Location>,
}

/// A world's imports or its exports, in order.
type Entries = Vec<(WorldKey, WorldItem)>;

/// Imports or exports in order, with their keys indexed (worlds may have many).
#[derive(Default)]
struct Keyed {
    list: Entries,
    keys: FxHashSet<WorldKey>,
}

impl Keyed {
    fn contains(&self, key: &WorldKey) -> bool {
        self.keys.contains(key)
    }

    fn push(&mut self, key: WorldKey, item: WorldItem) {
        self.keys.insert(key.clone());
        self.list.push((key, item));
    }
}

/// A key as the name rules compare keys: names in canonical form (see `names`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum CanonicalKey {
    Name(Vec<u8>),
    Interface(InterfaceId),
}

impl CanonicalKey {
    fn of(key: &WorldKey) -> Self {
        match key {
            WorldKey::Name(name) => CanonicalKey::Name(super::names::canonical(name).collect()),
            WorldKey::Interface(id) => CanonicalKey::Interface(*id),
        }
    }
}

/// The imports or exports of a world being resolved, with where each came from and, per
/// canonical key, the first entry that has it.
#[derive(Default)]
struct WorldItems {
    entries: Keyed,
    origins: Vec<Origin>,
    first: FxHashMap<CanonicalKey, usize>,
}

impl WorldItems {
    fn push(&mut self, key: WorldKey, item: WorldItem, origin: Origin) {
        self.first.entry(CanonicalKey::of(&key)).or_insert(self.entries.list.len());
        self.entries.push(key, item);
        self.origins.push(origin);
    }
}

fn item_kind_word(item: &WorldItem) -> &'static str {
    match item {
        WorldItem::Interface(_) => "interface",
        WorldItem::Function(_) => "func",
        WorldItem::Type(_) => "type",
    }
}

impl<'a> Resolver<'a> {
    /// Resolves the body of a world `order` has marked in progress, once the worlds it includes
    /// are done (or in progress, on a cycle the `include` reports).
    pub(super) fn resolve_world(&mut self, id: WorldId) {
        let world_location = self.out.world(id).location;
        let source = self.world_sources[id.index()];
        let file = source.file;
        let owner = TypeOwner::World(id);
        let mut scope = Scope::default();
        let mut imports = WorldItems::default();
        let mut exports = WorldItems::default();
        let mut deps = Vec::new();

        // Types first: `use`s and definitions become imports keyed by their names.
        let mut defs = Vec::new();
        for item in &source.def.items {
            match item {
                HirWorldItem::Use(use_) if self.is_active(&use_.meta.gates) => {
                    for (name, tid) in self.resolve_use(file, source.body, use_, owner, &mut scope, &mut deps) {
                        let location = self.out.type_def(tid).location;
                        self.add_world_item(
                            id,
                            true,
                            &mut imports,
                            WorldKey::Name(name),
                            WorldItem::Type(tid),
                            Origin { location },
                        );
                    }
                }
                HirWorldItem::Type(def) if self.is_active(&def.meta.gates) => {
                    let package = self.out.world(id).package;
                    self.check_since(file, &def.meta.gates, def.name.range, package);
                    if let Some(tid) = self.declare_type(file, def, owner, &mut scope) {
                        defs.push((tid, def));
                        let location = Some(Location { file, range: def.name.range });
                        self.add_world_item(
                            id,
                            true,
                            &mut imports,
                            WorldKey::Name(def.name.text.clone()),
                            WorldItem::Type(tid),
                            Origin { location },
                        );
                    }
                }
                _ => {}
            }
        }
        let mut resource_functions = Vec::new();
        for &(tid, def) in &defs {
            self.resolve_type_def(file, tid, def, &scope, &mut resource_functions);
        }
        // A world's resources bring their constructors, methods and statics as imports.
        for function in resource_functions {
            let origin = Origin { location: function.location };
            let key = WorldKey::Name(function.name.clone());
            self.add_world_item(id, true, &mut imports, key, WorldItem::Function(function), origin);
        }
        self.check_type_cycles(file, &defs);
        let type_names = scope.type_names();
        for &(_, def) in &defs {
            self.check_type_def(file, def, &type_names);
        }

        for item in &source.def.items {
            let (is_import, ext) = match item {
                HirWorldItem::Import(e) => (true, e),
                HirWorldItem::Export(e) => (false, e),
                _ => continue,
            };
            if !self.is_active(&ext.meta.gates) {
                continue;
            }
            let Some((key, value, range)) =
                self.resolve_extern(id, is_import, file, source.body, &ext.kind, &ext.meta, &scope)
            else {
                continue;
            };
            let package = self.out.world(id).package;
            let since_range = match &ext.kind {
                ExternKind::Path(path) => path.name.range,
                _ => range,
            };
            self.check_since(file, &ext.meta.gates, since_range, package);
            let origin = Origin { location: Some(Location { file, range }) };
            if is_import {
                self.add_world_item(id, true, &mut imports, key, value, origin);
            } else {
                self.add_world_item(id, false, &mut exports, key, value, origin);
            }
        }

        for item in &source.def.items {
            let HirWorldItem::Include(include) = item else { continue };
            if !self.is_active(&include.meta.gates) {
                continue;
            }
            let package = self.out.world(id).package;
            self.check_since(file, &include.meta.gates, include.path.name.range, package);
            let Some(target) = self.resolve_path(file, source.body, &include.path) else { continue };
            let included = match target {
                PathTarget::World(w) => w,
                PathTarget::Interface(_) => {
                    self.error(
                        file,
                        include.path.name.range,
                        "include-not-world",
                        format!("`{}` is an interface; only worlds can be included", include.path.name.text),
                    );
                    continue;
                }
            };
            self.ensure_world(included);
            let included_world = self.out.world(included).clone();
            let mut used_renames = vec![false; include.with.len()];
            let renames: Vec<(String, String)> =
                include.with.iter().map(|(from, to)| (from.text.clone(), to.text.clone())).collect();
            let copies = self.copy_world_owned(included, id, &included_world, &renames);
            for (is_import, items) in [(true, &included_world.imports), (false, &included_world.exports)] {
                for (key, value) in items {
                    let key = match key {
                        WorldKey::Name(name) => {
                            let (renamed, index) = rename_key(name, &renames);
                            if let Some(index) = index {
                                used_renames[index] = true;
                            }
                            WorldKey::Name(renamed)
                        }
                        other => other.clone(),
                    };
                    let value = copies.apply(self, value);
                    // The same interface from two places is one import; names must not clash.
                    let list = if is_import { &mut imports } else { &mut exports };
                    let origin = Origin { location: Some(Location { file, range: include.path.name.range }) };
                    if matches!(key, WorldKey::Interface(_)) {
                        if !list.entries.contains(&key) {
                            list.push(key, value, origin);
                        }
                        continue;
                    }
                    let WorldKey::Name(name) = &key else { continue };
                    if list.entries.contains(&key) {
                        let direction = if is_import { "import" } else { "export" };
                        self.error(
                            file,
                            include.path.name.range,
                            "world-conflict",
                            format!("{direction} of `{name}` shadows previously {direction}ed items"),
                        );
                        continue;
                    }
                    list.push(key, value, origin);
                }
            }
            for (index, (from, _)) in include.with.iter().enumerate() {
                if !used_renames[index] {
                    self.error_related(
                        file,
                        include.path.name.range,
                        "include-name",
                        format!(
                            "no import or export kebab-name `{}` in world `{}`. Note that an interface's own name cannot be renamed",
                            from.text, included_world.name
                        ),
                        Some(Location { file, range: from.range }),
                        "this renaming",
                    );
                }
            }
        }

        let (imports, exports) = self.elaborate(id, file, imports.entries.list, exports.entries.list);
        let world = &mut self.out.worlds[id.index()];
        world.imports = imports;
        world.exports = exports;
        self.world_state[id.index()] = State::Done;
        if world_location.is_some() {
            self.resolving.pop();
        }
    }

    /// Resolves what an import or export names; returns its key, item and the range to blame.
    #[allow(clippy::too_many_arguments)]
    fn resolve_extern(
        &mut self,
        world: WorldId,
        is_import: bool,
        file: SourceFile,
        body: &'a PackageBody,
        kind: &'a ExternKind,
        meta: &hir::ItemMeta,
        scope: &Scope,
    ) -> Option<(WorldKey, WorldItem, TextRange)> {
        match kind {
            ExternKind::Path(path) => {
                let iid = self.extern_interface(file, body, path)?;
                Some((WorldKey::Interface(iid), WorldItem::Interface(iid), path.range))
            }
            ExternKind::NamedPath(name, path) => {
                let iid = self.extern_interface(file, body, path)?;
                Some((WorldKey::Name(name.text.clone()), WorldItem::Interface(iid), name.range))
            }
            ExternKind::Func(name, sig) => {
                let location = Some(Location { file, range: name.range });
                self.check_signature_handles(file, sig, &scope.type_names());
                let f = self.resolve_function(
                    file,
                    name,
                    sig,
                    FunctionKind::Freestanding,
                    scope,
                    location,
                    meta.docs.clone(),
                );
                Some((WorldKey::Name(name.text.clone()), WorldItem::Function(f), name.range))
            }
            ExternKind::Interface(name, items) => {
                let package = self.out.world(world).package;
                let interface = Interface {
                    name: None,
                    owner: InterfaceOwner::World(world, is_import, name.text.clone()),
                    package,
                    types: Vec::new(),
                    functions: Vec::new(),
                    location: Some(Location { file, range: name.range }),
                    docs: meta.docs.clone(),
                };
                let iid = self.new_interface(interface, Some(InterfaceSource { file, body, items }));
                self.ensure_interface(iid);
                Some((WorldKey::Name(name.text.clone()), WorldItem::Interface(iid), name.range))
            }
        }
    }

    fn extern_interface(
        &mut self,
        file: SourceFile,
        body: &'a PackageBody,
        path: &hir::PathRef,
    ) -> Option<InterfaceId> {
        match self.resolve_path(file, body, path)? {
            PathTarget::Interface(iid) => {
                self.ensure_interface(iid);
                Some(iid)
            }
            PathTarget::World(_) => {
                self.error(
                    file,
                    path.name.range,
                    "import-world",
                    format!("name `{}` is defined as a world, not an interface", path.name.text),
                );
                None
            }
        }
    }

    /// Adds an import or export, reporting name clashes.
    #[allow(clippy::too_many_arguments)]
    fn add_world_item(
        &mut self,
        world: WorldId,
        is_import: bool,
        list: &mut WorldItems,
        key: WorldKey,
        item: WorldItem,
        origin: Origin,
    ) {
        let direction = if is_import { "import" } else { "export" };
        // The first entry whose key is the same (names: in canonical form).
        let clash = list.first.get(&CanonicalKey::of(&key)).copied();
        if let Some(index) = clash {
            let (existing_key, existing_item) = &list.entries.list[index];
            let message = match (&key, existing_key) {
                (WorldKey::Interface(_), _) => {
                    format!("interface cannot be {} more than once", if is_import { "imported" } else { "exported" })
                }
                (WorldKey::Name(new), WorldKey::Name(old)) if new != old => {
                    let world_name = &self.out.world(world).name;
                    let why = if new.eq_ignore_ascii_case(old) {
                        "kebab-case identifiers are case-insensitive"
                    } else {
                        "names must differ by more than case and hyphens"
                    };
                    format!("{direction} `{new}` in world `{world_name}` conflicts with {direction} `{old}` ({why})")
                }
                (WorldKey::Name(new), _) => {
                    format!("{direction} `{new}` conflicts with prior {} of same name", item_kind_word(existing_item))
                }
            };
            let related = list.origins[index].location;
            if let Some(location) = origin.location {
                self.error_related(
                    location.file,
                    location.range,
                    "world-conflict",
                    message,
                    related,
                    "the earlier one is here",
                );
            }
            return;
        }
        list.push(key, item, origin);
    }

    /// The interface a world type is `use`d from, if it is a `use` of another owner's type.
    fn type_use_source(&self, tid: TypeId) -> Option<InterfaceId> {
        let def = self.out.type_def(tid);
        let TypeDefKind::Alias(Type::Named(target)) = &def.kind else { return None };
        let target_def = self.out.type_def(*target);
        match target_def.owner {
            TypeOwner::Interface(iid) if target_def.owner != def.owner => Some(iid),
            _ => None,
        }
    }

    /// Adds the imports a world needs implicitly. Imports come first, ordered interfaces,
    /// then types, then functions; an imported interface brings the interfaces it `use`s (before
    /// it), and a `use`d world type brings its interface. Each exported interface's
    /// dependencies are exports when exported themselves, imports otherwise; an export that
    /// would see one interface both ways (an implicit import depending on an export) is an
    /// error.
    fn elaborate(
        &mut self,
        world: WorldId,
        file: SourceFile,
        imports: Entries,
        exports: Entries,
    ) -> (Entries, Entries) {
        let class = |this: &Self, item: &WorldItem| match item {
            WorldItem::Interface(_) => 0,
            WorldItem::Type(tid) => {
                if this.type_use_source(*tid).is_some() {
                    1
                } else {
                    2
                }
            }
            WorldItem::Function(f) => {
                if matches!(f.kind, FunctionKind::Freestanding) {
                    3
                } else {
                    4
                }
            }
        };
        let mut original = imports;
        original.sort_by_key(|(_, item)| class(self, item));
        let mut elaborated = Keyed::default();
        for (key, item) in original {
            match item {
                WorldItem::Interface(iid) => self.import_with_deps(key, iid, &mut elaborated),
                WorldItem::Type(tid) => {
                    if let Some(dep) = self.type_use_source(tid) {
                        self.import_with_deps(WorldKey::Interface(dep), dep, &mut elaborated);
                    }
                    elaborated.push(key, item);
                }
                WorldItem::Function(_) => elaborated.push(key, item),
            }
        }

        let exported_interfaces: Vec<(WorldKey, InterfaceId)> = exports
            .iter()
            .filter_map(|(k, item)| match item {
                WorldItem::Interface(iid) => Some((k.clone(), *iid)),
                _ => None,
            })
            .collect();
        let exported_keys: FxHashSet<WorldKey> = exported_interfaces.iter().map(|(k, _)| k.clone()).collect();
        let mut new_exports = Keyed::default();
        for (key, item) in exports {
            if !matches!(item, WorldItem::Interface(_)) {
                new_exports.push(key, item);
            }
        }
        let mut required_imports: FxHashSet<InterfaceId> = FxHashSet::default();
        for (key, iid) in &exported_interfaces {
            let ok = self.add_export(
                key.clone(),
                *iid,
                &exported_keys,
                &mut elaborated,
                &mut new_exports,
                &mut required_imports,
            );
            if !ok {
                let name = match key {
                    WorldKey::Name(n) => n.clone(),
                    WorldKey::Interface(i) => self.interface_display_name(*i),
                };
                let location = self.out.world(world).location;
                let (file, range) = location.map_or((file, TextRange::default()), |l| (l.file, l.range));
                self.error(
                    file,
                    range,
                    "incompatible-dependency",
                    format!(
                        "interface `{name}` transitively depends on an interface in incompatible ways: \
                         one of its dependencies must be imported, but it depends on an exported interface; export that dependency too"
                    ),
                );
                break;
            }
        }
        let mut imports = elaborated.list;
        imports.sort_by_key(|(_, item)| class(self, item));
        (imports, new_exports.list)
    }

    /// Adds an exported interface after its dependencies: those exported too as exports, the
    /// others (and everything they depend on) as imports. False when an import would depend on
    /// an export.
    ///
    /// A depth-first walk over `use` dependencies on an explicit stack (they may chain far).
    fn add_export(
        &self,
        key: WorldKey,
        iid: InterfaceId,
        exported: &FxHashSet<WorldKey>,
        imports: &mut Keyed,
        exports: &mut Keyed,
        required_imports: &mut FxHashSet<InterfaceId>,
    ) -> bool {
        // Interfaces whose dependencies are being added: key, id, whether it is to be exported
        // (or else imported), and how many dependencies were taken.
        let mut frames: Vec<(WorldKey, InterfaceId, bool, usize)> = Vec::new();
        let mut open: FxHashSet<InterfaceId> = FxHashSet::default();
        let mut next = Some((key, iid, true));
        loop {
            if let Some((key, iid, as_export)) = next.take() {
                if exports.contains(&key) {
                    // Already exported: fine for an export, a conflict for a needed import.
                    if !as_export {
                        return false;
                    }
                } else if (as_export || !required_imports.contains(&iid)) && open.insert(iid) {
                    frames.push((key, iid, as_export, 0));
                }
            }
            let Some((_, iid, as_export, taken)) = frames.last_mut() else { return true };
            if let Some(&dep) = self.interface_deps[iid.index()].get(*taken) {
                *taken += 1;
                let dep_key = WorldKey::Interface(dep);
                let dep_as_export = *as_export && exported.contains(&dep_key);
                next = Some((dep_key, dep, dep_as_export));
                continue;
            }
            let Some((key, iid, as_export, _)) = frames.pop() else { return true };
            open.remove(&iid);
            if as_export {
                if required_imports.contains(&iid) {
                    return false;
                }
                exports.push(key, WorldItem::Interface(iid));
            } else {
                required_imports.insert(iid);
                self.import_with_deps(key, iid, imports);
            }
        }
    }

    /// Imports an interface under `key` after the interfaces it depends on (a depth-first walk
    /// on an explicit stack).
    fn import_with_deps(&self, key: WorldKey, iid: InterfaceId, imports: &mut Keyed) {
        if imports.contains(&key) {
            return;
        }
        let mut open: FxHashSet<InterfaceId> = FxHashSet::default();
        open.insert(iid);
        let mut frames = vec![(key, iid, 0usize)];
        while let Some((_, iid, taken)) = frames.last_mut() {
            if let Some(&dep) = self.interface_deps[iid.index()].get(*taken) {
                *taken += 1;
                let dep_key = WorldKey::Interface(dep);
                // `use` dependencies form no cycle (a `use` of an interface in progress binds
                // nothing); `open` keeps the walk finite regardless.
                if !imports.contains(&dep_key) && open.insert(dep) {
                    frames.push((dep_key, dep, 0));
                }
            } else if let Some((key, iid, _)) = frames.pop() {
                open.remove(&iid);
                imports.push(key, WorldItem::Interface(iid));
            }
        }
    }

    /// `ns:pkg/name@version` of a named interface.
    pub(super) fn interface_display_name(&self, iid: InterfaceId) -> String {
        let interface = self.out.interface(iid);
        let package = &self.out.package(interface.package).name;
        let name = interface.name.clone().unwrap_or_else(|| "<inline>".to_string());
        match &package.version {
            Some(v) => format!("{}/{name}@{v}", package.unversioned()),
            None => format!("{}/{name}", package.unversioned()),
        }
    }
}

/// The renamed key and the index of the `with` entry used: `a` → `b` for `with { a as b }`,
/// and `[method]a.m` → `[method]b.m` for resource functions of a renamed resource.
fn rename_key(name: &str, renames: &[(String, String)]) -> (String, Option<usize>) {
    if let Some(index) = renames.iter().position(|(from, _)| from == name) {
        return (renames[index].1.clone(), Some(index));
    }
    if let Some(rest) = name.strip_prefix('[')
        && let Some((annotation, tail)) = rest.split_once(']')
    {
        let (resource, member) = match tail.split_once('.') {
            Some((r, m)) => (r, Some(m)),
            None => (tail, None),
        };
        if let Some(index) = renames.iter().position(|(from, _)| from == resource) {
            let renamed = match member {
                Some(m) => format!("[{annotation}]{}.{m}", renames[index].1),
                None => format!("[{annotation}]{}", renames[index].1),
            };
            return (renamed, Some(index));
        }
    }
    (name.to_string(), None)
}

/// Types and inline interfaces of an included world, copied into the including world.
#[derive(Default)]
struct WorldCopies {
    types: rustc_hash::FxHashMap<TypeId, TypeId>,
    interfaces: rustc_hash::FxHashMap<InterfaceId, InterfaceId>,
}

impl WorldCopies {
    fn ty(&self, ty: &Type) -> Type {
        let id = |t: &TypeId| *self.types.get(t).unwrap_or(t);
        let boxed = |t: &Type| Box::new(self.ty(t));
        match ty {
            Type::Named(t) => Type::Named(id(t)),
            Type::Own(t) => Type::Own(id(t)),
            Type::Borrow(t) => Type::Borrow(id(t)),
            Type::List(t) => Type::List(boxed(t)),
            Type::FixedList(t, n) => Type::FixedList(boxed(t), *n),
            Type::Map(k, v) => Type::Map(boxed(k), boxed(v)),
            Type::Option(t) => Type::Option(boxed(t)),
            Type::Result(ok, err) => Type::Result(ok.as_deref().map(boxed), err.as_deref().map(boxed)),
            Type::Tuple(ts) => Type::Tuple(ts.iter().map(|t| self.ty(t)).collect()),
            Type::Future(t) => Type::Future(t.as_deref().map(boxed)),
            Type::Stream(t) => Type::Stream(t.as_deref().map(boxed)),
            Type::Primitive(_) | Type::Error => ty.clone(),
        }
    }

    fn kind(&self, kind: &TypeDefKind) -> TypeDefKind {
        match kind {
            TypeDefKind::Record(fields) => {
                TypeDefKind::Record(fields.iter().map(|(n, t)| (n.clone(), self.ty(t))).collect())
            }
            TypeDefKind::Variant(cases) => {
                TypeDefKind::Variant(cases.iter().map(|(n, t)| (n.clone(), t.as_ref().map(|t| self.ty(t)))).collect())
            }
            TypeDefKind::Alias(t) => TypeDefKind::Alias(self.ty(t)),
            other => other.clone(),
        }
    }

    fn function(&self, resolver: &Resolver<'_>, f: &Function) -> Function {
        let map = |t: &TypeId| *self.types.get(t).unwrap_or(t);
        let kind = match f.kind {
            FunctionKind::Method(r) => FunctionKind::Method(map(&r)),
            FunctionKind::Static(r) => FunctionKind::Static(map(&r)),
            FunctionKind::Constructor(r) => FunctionKind::Constructor(map(&r)),
            FunctionKind::Freestanding => FunctionKind::Freestanding,
        };
        let resource_name = |r: TypeId| resolver.out.type_def(r).name.clone();
        let prefix = if f.is_async { "async " } else { "" };
        let name = match kind {
            FunctionKind::Freestanding => f.name.clone(),
            FunctionKind::Method(r) => format!("[{prefix}method]{}.{}", resource_name(r), f.short_name),
            FunctionKind::Static(r) => format!("[{prefix}static]{}.{}", resource_name(r), f.short_name),
            FunctionKind::Constructor(r) => format!("[constructor]{}", resource_name(r)),
        };
        Function {
            name,
            kind,
            params: f.params.iter().map(|(n, t)| (n.clone(), self.ty(t))).collect(),
            result: f.result.as_ref().map(|t| self.ty(t)),
            ..f.clone()
        }
    }

    fn apply(&self, resolver: &Resolver<'_>, item: &WorldItem) -> WorldItem {
        match item {
            WorldItem::Type(t) => WorldItem::Type(*self.types.get(t).unwrap_or(t)),
            WorldItem::Interface(i) => WorldItem::Interface(*self.interfaces.get(i).unwrap_or(i)),
            WorldItem::Function(f) => WorldItem::Function(self.function(resolver, f)),
        }
    }
}

impl Resolver<'_> {
    /// Copies the types and inline interfaces `from` owns into world `into`, renaming what
    /// `with` renames.
    fn copy_world_owned(
        &mut self,
        from: WorldId,
        into: WorldId,
        world: &World,
        renames: &[(String, String)],
    ) -> WorldCopies {
        let mut copies = WorldCopies::default();
        let owned: Vec<TypeId> = world
            .imports
            .iter()
            .chain(&world.exports)
            .filter_map(|(_, item)| match item {
                WorldItem::Type(t) if self.out.type_def(*t).owner == TypeOwner::World(from) => Some(*t),
                _ => None,
            })
            .collect();
        for &old in &owned {
            let def = self.out.type_def(old).clone();
            let (name, _) = rename_key(&def.name, renames);
            let new = self.new_type(TypeDef { name, owner: TypeOwner::World(into), ..def });
            copies.types.insert(old, new);
        }
        let inline: Vec<(InterfaceId, bool, String)> = world
            .imports
            .iter()
            .map(|entry| (true, entry))
            .chain(world.exports.iter().map(|entry| (false, entry)))
            .filter_map(|(is_import, (key, item))| match (key, item) {
                (WorldKey::Name(name), WorldItem::Interface(i)) if self.out.interface(*i).name.is_none() => {
                    Some((*i, is_import, rename_key(name, renames).0))
                }
                _ => None,
            })
            .collect();
        for (old, is_import, key) in inline {
            let original = self.out.interface(old).clone();
            let new = self.new_interface(
                Interface { owner: InterfaceOwner::World(into, is_import, key), ..original.clone() },
                None,
            );
            self.interface_deps[new.index()] = self.interface_deps[old.index()].clone();
            let mut types = Vec::new();
            for (name, t) in &original.types {
                let def = self.out.type_def(*t).clone();
                let copy = self.new_type(TypeDef { owner: TypeOwner::Interface(new), ..def });
                copies.types.insert(*t, copy);
                types.push((name.clone(), copy));
            }
            self.out.interfaces[new.index()].types = types;
            copies.interfaces.insert(old, new);
        }
        // Now that every copy exists, point the copies' bodies at the copies.
        let copied: Vec<TypeId> = copies.types.values().copied().collect();
        for t in copied {
            let kind = copies.kind(&self.out.type_def(t).kind);
            self.out.types[t.index()].kind = kind;
        }
        for (&old, &new) in &copies.interfaces {
            let functions = self.out.interface(old).functions.iter().map(|f| copies.function(self, f)).collect();
            self.out.interfaces[new.index()].functions = functions;
        }
        copies
    }
}
