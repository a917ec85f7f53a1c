//! Interfaces, their `use`s, type definitions and functions: binding names and checking the
//! rules on types (handles only of resources, no `borrow` in results, map keys, fixed-size
//! lists, non-empty enums and variants, no cyclic types, …).

use rustc_hash::FxHashMap;

use super::*;
use crate::hir::{FuncSig, InterfaceItem, ResourceFuncKind, TypeExpr, TypeExprKind, UseDef};

/// What a name in an interface or world scope stands for.
#[derive(Debug, Clone, Copy)]
pub(super) enum ScopeEntry {
    Type(TypeId),
    Function,
    /// A type removed by an inactive feature gate.
    Excluded,
}

/// Names visible inside one interface or world.
#[derive(Default)]
pub(super) struct Scope {
    pub(super) names: FxHashMap<String, (ScopeEntry, Location)>,
}

impl Scope {
    /// The type names of the scope.
    pub(super) fn type_names(&self) -> FxHashMap<String, TypeId> {
        self.names
            .iter()
            .filter_map(|(name, (entry, _))| match entry {
                ScopeEntry::Type(id) => Some((name.clone(), *id)),
                ScopeEntry::Function | ScopeEntry::Excluded => None,
            })
            .collect()
    }
}

/// The most flags one flags type may have.
const MAX_FLAGS: usize = 32;

impl<'a> Resolver<'a> {
    /// Resolves the body of an interface `order` has marked in progress, once the interfaces it
    /// `use`s are done (or in progress, on a cycle the `use` reports).
    pub(super) fn resolve_interface(&mut self, id: InterfaceId) {
        let location = self.out.interface(id).location;
        let source = self.interface_sources[id.index()].expect("pending interfaces have a source");
        let owner = TypeOwner::Interface(id);
        let mut scope = Scope::default();
        let mut deps = Vec::new();
        let mut types = Vec::new();
        // 1. `use`s, which may resolve other interfaces first.
        for item in source.items {
            if let InterfaceItem::Use(use_) = item
                && self.is_active(&use_.meta.gates)
            {
                types.extend(self.resolve_use(source.file, source.body, use_, owner, &mut scope, &mut deps));
            }
        }
        // 2. Declare every type and function name, so that order does not matter.
        let package = self.out.interface(id).package;
        let mut defs = Vec::new();
        for item in source.items {
            match item {
                InterfaceItem::Type(def) if !self.is_active(&def.meta.gates) => {
                    self.exclude_type(source.file, id, def, &mut scope);
                }
                InterfaceItem::Func(func) if self.is_active(&func.meta.gates) => {
                    self.check_since(source.file, &func.meta.gates, func.name.range, package);
                    self.declare_name(source.file, &func.name, ScopeEntry::Function, &mut scope);
                }
                InterfaceItem::Type(def) => {
                    self.check_since(source.file, &def.meta.gates, def.name.range, package);
                    if let Some(tid) = self.declare_type(source.file, def, owner, &mut scope) {
                        types.push((def.name.text.clone(), tid));
                        defs.push((tid, def));
                    }
                }
                _ => {}
            }
        }
        // 3. Resolve type definitions, then functions.
        let mut functions = Vec::new();
        for &(tid, def) in &defs {
            self.resolve_type_def(source.file, tid, def, &scope, &mut functions);
        }
        for item in source.items {
            if let InterfaceItem::Func(func) = item
                && self.is_active(&func.meta.gates)
            {
                let location = Location { file: source.file, range: func.name.range };
                let f = self.resolve_function(
                    source.file,
                    &func.name,
                    &func.sig,
                    FunctionKind::Freestanding,
                    &scope,
                    Some(location),
                    func.meta.docs.clone(),
                );
                functions.push(f);
            }
        }
        self.check_type_cycles(source.file, &defs);
        let type_names = scope.type_names();
        for &(_, def) in &defs {
            self.check_type_def(source.file, def, &type_names);
        }
        for item in source.items {
            if let InterfaceItem::Func(func) = item
                && self.is_active(&func.meta.gates)
            {
                self.check_signature_handles(source.file, &func.sig, &type_names);
            }
        }
        deps.dedup();
        self.interface_deps[id.index()] = deps;
        let interface = &mut self.out.interfaces[id.index()];
        interface.types = types;
        interface.functions = functions;
        self.check_strongly_unique(id);
        self.interface_state[id.index()] = State::Done;
        if location.is_some() {
            self.resolving.pop();
        }
    }

    /// `use path.{a, b as c}`: makes local aliases of another interface's types.
    pub(super) fn resolve_use(
        &mut self,
        file: SourceFile,
        body: &'a PackageBody,
        use_: &UseDef,
        owner: TypeOwner,
        scope: &mut Scope,
        deps: &mut Vec<InterfaceId>,
    ) -> Vec<(String, TypeId)> {
        let mut created = Vec::new();
        let Some(target) = self.resolve_path(file, body, &use_.path) else { return created };
        let interface = match target {
            PathTarget::Interface(id) => id,
            PathTarget::World(_) => {
                self.error(
                    file,
                    use_.path.name.range,
                    "use-of-world",
                    format!("name `{}` is defined as a world, not an interface", use_.path.name.text),
                );
                return created;
            }
        };
        self.ensure_interface(interface);
        if self.interface_state[interface.index()] != State::Done {
            // A `use` cycle, already reported: the names cannot be bound.
            return created;
        }
        if !deps.contains(&interface) {
            deps.push(interface);
        }
        for (name, rename) in &use_.names {
            let found = self.interface_type(interface, &name.text);
            let excluded = self.excluded_types.get(&interface).is_some_and(|names| names.contains(&name.text));
            if found.is_none() && excluded {
                self.report_excluded(file, name.range, "type");
                continue;
            }
            let Some(target_type) = found else {
                let iface_name = self.out.interface(interface).name.clone().unwrap_or_default();
                self.error(
                    file,
                    name.range,
                    "undefined-type",
                    format!("type `{}` not defined in interface `{iface_name}`", name.text),
                );
                continue;
            };
            let target_location = self.out.type_def(target_type).location;
            self.reference(file, name.range, target_location);
            let local = rename.as_ref().unwrap_or(name);
            let tid = self.new_type(TypeDef {
                name: local.text.clone(),
                owner,
                kind: TypeDefKind::Alias(Type::Named(target_type)),
                location: Some(Location { file, range: local.range }),
                docs: None,
            });
            if self.declare_name(file, local, ScopeEntry::Type(tid), scope) {
                created.push((local.text.clone(), tid));
            }
        }
        created
    }

    /// The named type `name` of a resolved interface (the first, should there be two).
    fn interface_type(&mut self, interface: InterfaceId, name: &str) -> Option<TypeId> {
        /// Up to this many types are searched in place; larger interfaces get an index.
        const SEARCHED_IN_PLACE: usize = 16;
        let types = &self.out.interface(interface).types;
        if types.len() <= SEARCHED_IN_PLACE {
            return types.iter().find(|(n, _)| n == name).map(|(_, t)| *t);
        }
        let index = self.type_indexes.entry(interface).or_insert_with(|| {
            let mut index = FxHashMap::default();
            for (n, t) in types {
                index.entry(n.clone()).or_insert(*t);
            }
            index
        });
        index.get(name).copied()
    }

    /// Adds a name to a scope; reports a duplicate and returns false if taken.
    pub(super) fn declare_name(
        &mut self,
        file: SourceFile,
        name: &hir::Name,
        entry: ScopeEntry,
        scope: &mut Scope,
    ) -> bool {
        if let Some((_, previous)) = scope.names.get(&name.text) {
            let previous = *previous;
            self.error_related(
                file,
                name.range,
                "duplicate-name",
                format!("name `{}` is defined more than once", name.text),
                Some(previous),
                "first defined here",
            );
            return false;
        }
        scope.names.insert(name.text.clone(), (entry, Location { file, range: name.range }));
        true
    }

    /// Records a type removed by an inactive feature gate, so references to it say so; an
    /// ungated function of a removed resource is an error.
    pub(super) fn exclude_type(&mut self, file: SourceFile, owner: InterfaceId, def: &hir::TypeDef, scope: &mut Scope) {
        self.excluded_types.entry(owner).or_default().push(def.name.text.clone());
        scope
            .names
            .entry(def.name.text.clone())
            .or_insert((ScopeEntry::Excluded, Location { file, range: def.name.range }));
        if let hir::TypeDefKind::Resource(funcs) = &def.kind {
            for func in funcs {
                if self.is_active(&func.meta.gates) {
                    self.report_excluded(file, func.name.range, "type");
                }
            }
        }
    }

    pub(super) fn declare_type(
        &mut self,
        file: SourceFile,
        def: &hir::TypeDef,
        owner: TypeOwner,
        scope: &mut Scope,
    ) -> Option<TypeId> {
        let tid = self.new_type(TypeDef {
            name: def.name.text.clone(),
            owner,
            kind: TypeDefKind::Unresolved,
            location: Some(Location { file, range: def.name.range }),
            docs: def.meta.docs.clone(),
        });
        self.declare_name(file, &def.name, ScopeEntry::Type(tid), scope).then_some(tid)
    }

    /// Resolves a type definition's body; resource functions are appended to `functions`.
    pub(super) fn resolve_type_def(
        &mut self,
        file: SourceFile,
        tid: TypeId,
        def: &hir::TypeDef,
        scope: &Scope,
        functions: &mut Vec<Function>,
    ) {
        self.take_excluded_reference();
        let kind = match &def.kind {
            hir::TypeDefKind::Alias(expr) => {
                let ty = self.resolve_type(file, expr, scope);
                if self.take_excluded_reference() {
                    self.report_excluded(file, def.name.range, "type");
                }
                TypeDefKind::Alias(ty)
            }
            hir::TypeDefKind::Record(fields) => {
                if fields.is_empty() {
                    self.warn_empty(file, def.name.range, "record", "field");
                }
                TypeDefKind::Record(
                    self.resolve_members(file, fields, scope, "field")
                        .into_iter()
                        .map(|(name, ty)| (name, ty.unwrap_or(Type::Error)))
                        .collect(),
                )
            }
            hir::TypeDefKind::Variant(cases) => {
                if cases.is_empty() {
                    self.error(file, def.name.range, "empty-type", "empty variant");
                }
                TypeDefKind::Variant(self.resolve_members(file, cases, scope, "case"))
            }
            hir::TypeDefKind::Enum(cases) => {
                if cases.is_empty() {
                    self.error(file, def.name.range, "empty-type", "empty enum");
                }
                let mut seen = FxHashMap::default();
                for case in cases {
                    self.check_unique_member(file, &mut seen, &case.name, "case");
                }
                TypeDefKind::Enum(cases.iter().map(|c| c.name.text.clone()).collect())
            }
            hir::TypeDefKind::Flags(flags) => {
                if flags.is_empty() {
                    self.warn_empty(file, def.name.range, "flags", "flag");
                }
                let mut seen = FxHashMap::default();
                for flag in flags {
                    self.check_unique_member(file, &mut seen, &flag.name, "flag");
                }
                // A flags value lowers to at most one i32 (wit-parser 0.263's limit).
                if let Some(flag) = flags.get(MAX_FLAGS) {
                    self.error(
                        file,
                        flag.name.range,
                        "too-many-flags",
                        format!("a flags type cannot have more than {MAX_FLAGS} flags"),
                    );
                }
                TypeDefKind::Flags(flags.iter().map(|c| c.name.text.clone()).collect())
            }
            hir::TypeDefKind::Resource(funcs) => {
                self.resolve_resource_functions(file, tid, funcs, scope, functions);
                TypeDefKind::Resource
            }
        };
        self.out.types[tid.index()].kind = kind;
    }

    /// Resolves record fields or variant cases: unique names, types (optional for cases), and
    /// references to feature-gated types reported at the member's name.
    fn resolve_members(
        &mut self,
        file: SourceFile,
        members: &[hir::Field],
        scope: &Scope,
        what: &str,
    ) -> Vec<(String, Option<Type>)> {
        let mut out = Vec::with_capacity(members.len());
        let mut seen = FxHashMap::default();
        for member in members {
            self.check_unique_member(file, &mut seen, &member.name, what);
            let ty = member.ty.as_ref().map(|t| self.resolve_type(file, t, scope));
            if self.take_excluded_reference() {
                self.report_excluded(file, member.name.range, "type");
            }
            out.push((member.name.text.clone(), ty));
        }
        out
    }

    /// Warns of an empty record, flags or tuple. The WIT grammar asks for at least one member
    /// and wit-parser 0.263 rejects them, but the wit-parser release the conformance corpus
    /// comes from accepts them: a warning keeps such packages valid here while telling their
    /// authors what tools built on 0.263 will say.
    fn warn_empty(&mut self, file: SourceFile, at: TextRange, what: &str, member: &str) {
        let path = self.path_of(file);
        let mut diagnostic = Diagnostic::error(
            path,
            at,
            "empty-type",
            format!(
                "empty {what}: wit-parser 0.263 rejects it (the WIT grammar asks for at least one {member}), though newer releases accept it"
            ),
        );
        diagnostic.severity = crate::Severity::Warning;
        self.diags.push(diagnostic);
    }

    /// Reports a field, case or flag whose name is taken, or differs from an earlier one only
    /// by case and hyphens (see `names`).
    fn check_unique_member<'n>(
        &mut self,
        file: SourceFile,
        seen: &mut FxHashMap<super::names::Label<'n>, &'n hir::Name>,
        name: &'n hir::Name,
        what: &str,
    ) {
        let label = super::names::Label(&name.text);
        match seen.get(&label) {
            Some(previous) => {
                let message = if previous.text == name.text {
                    format!("{what} `{}` is defined more than once", name.text)
                } else {
                    format!(
                        "{what} `{}` conflicts with previous {what} `{}` (names must differ by more than case and hyphens)",
                        name.text, previous.text
                    )
                };
                let related = Some(Location { file, range: previous.range });
                self.error_related(file, name.range, "duplicate-name", message, related, "first defined here");
            }
            None => {
                seen.insert(label, name);
            }
        }
    }

    fn resolve_resource_functions(
        &mut self,
        file: SourceFile,
        resource: TypeId,
        funcs: &[hir::ResourceFunc],
        scope: &Scope,
        functions: &mut Vec<Function>,
    ) {
        let mut seen_constructor = false;
        let mut seen: FxHashMap<&str, TextRange> = FxHashMap::default();
        for func in funcs {
            if !self.is_active(&func.meta.gates) {
                continue;
            }
            let kind = match func.kind {
                ResourceFuncKind::Constructor => {
                    if seen_constructor {
                        self.error(file, func.name.range, "duplicate-name", "duplicate constructors");
                        continue;
                    }
                    seen_constructor = true;
                    FunctionKind::Constructor(resource)
                }
                ResourceFuncKind::Method | ResourceFuncKind::Static => {
                    if let Some(&previous) = seen.get(func.name.text.as_str()) {
                        self.error_related(
                            file,
                            func.name.range,
                            "duplicate-name",
                            format!("duplicate function name `{}`", func.name.text),
                            Some(Location { file, range: previous }),
                            "first defined here",
                        );
                        continue;
                    }
                    seen.insert(&func.name.text, func.name.range);
                    if func.kind == ResourceFuncKind::Method {
                        FunctionKind::Method(resource)
                    } else {
                        FunctionKind::Static(resource)
                    }
                }
            };
            if let (FunctionKind::Constructor(_), Some(result)) = (kind, &func.sig.result) {
                self.check_constructor_result(file, resource, result, scope);
            }
            let location = Some(Location { file, range: func.name.range });
            let f = self.resolve_function(file, &func.name, &func.sig, kind, scope, location, func.meta.docs.clone());
            functions.push(f);
        }
    }

    fn check_constructor_result(&mut self, file: SourceFile, resource: TypeId, result: &TypeExpr, scope: &Scope) {
        match &result.kind {
            TypeExprKind::Result(ok, _) => {
                let ok_is_resource = match ok.as_deref() {
                    Some(TypeExpr { kind: TypeExprKind::Named(name), .. }) => {
                        matches!(scope.names.get(&name.text), Some((ScopeEntry::Type(t), _)) if *t == resource)
                    }
                    _ => false,
                };
                if !ok_is_resource {
                    let range = ok.as_ref().map_or(result.range, |t| t.range);
                    self.error(
                        file,
                        range,
                        "constructor-result",
                        "the `ok` type must be the resource being constructed",
                    );
                }
            }
            _ => self.error(
                file,
                result.range,
                "constructor-result",
                "if a constructor return type is declared it must be a `result`",
            ),
        }
    }

    /// Resolves a function signature into a [`Function`] with its component-model name.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn resolve_function(
        &mut self,
        file: SourceFile,
        name: &hir::Name,
        sig: &FuncSig,
        kind: FunctionKind,
        scope: &Scope,
        location: Option<Location>,
        docs: Option<String>,
    ) -> Function {
        let resource_name = |r: &TypeId, this: &Self| this.out.type_def(*r).name.clone();
        let prefix = if sig.is_async { "async " } else { "" };
        let full_name = match kind {
            FunctionKind::Freestanding if sig.is_async => format!("[async]{}", name.text),
            FunctionKind::Freestanding => name.text.clone(),
            FunctionKind::Method(r) => format!("[{prefix}method]{}.{}", resource_name(&r, self), name.text),
            FunctionKind::Static(r) => format!("[{prefix}static]{}.{}", resource_name(&r, self), name.text),
            FunctionKind::Constructor(r) => format!("[constructor]{}", resource_name(&r, self)),
        };
        let mut params = Vec::new();
        let mut seen: FxHashMap<&str, TextRange> = FxHashMap::default();
        self.take_excluded_reference();
        if let FunctionKind::Method(r) = kind {
            params.push(("self".to_string(), Type::Borrow(r)));
        }
        for (param_name, ty) in &sig.params {
            if let Some(&previous) = seen.get(param_name.text.as_str()) {
                self.error_related(
                    file,
                    param_name.range,
                    "duplicate-name",
                    format!("param `{}` is defined more than once", param_name.text),
                    Some(Location { file, range: previous }),
                    "first defined here",
                );
                continue;
            }
            seen.insert(&param_name.text, param_name.range);
            let resolved = self.resolve_type_in(file, ty, scope, "name");
            params.push((param_name.text.clone(), resolved));
        }
        let result = match (&sig.result, kind) {
            (Some(ty), _) => Some(self.resolve_type_in(file, ty, scope, "name")),
            (None, FunctionKind::Constructor(r)) => Some(Type::Own(r)),
            (None, _) => None,
        };
        if self.take_excluded_reference() {
            self.report_excluded(file, name.range, "type");
        }
        if let Some(result) = &result
            && !matches!(kind, FunctionKind::Constructor(_))
            && self.contains_borrow(result)
        {
            self.error(
                file,
                name.range,
                "borrow-in-result",
                format!("function `{full_name}` returns a type which contains a `borrow<T>` which is not supported"),
            );
        }
        Function {
            name: full_name,
            short_name: name.text.clone(),
            kind,
            is_async: sig.is_async,
            params,
            result,
            location,
            docs,
        }
    }

    /// Whether a type contains a `borrow` anywhere (through named types too).
    ///
    /// A search over the named types reached, each explored once (on an explicit stack, since
    /// chains of definitions may be long). Answers are remembered per named type: `true` for
    /// the types along the way to a `borrow`, `false` for everything a search explored without
    /// finding one, unless it met a type not resolved yet (which may still turn out to hold one).
    fn contains_borrow(&mut self, ty: &Type) -> bool {
        let mut named = Vec::new();
        if direct_borrow(ty, &mut named) {
            return true;
        }
        // The named types to explore, each with the one it was reached from.
        let mut pending: Vec<(TypeId, Option<TypeId>)> = named.drain(..).map(|id| (id, None)).collect();
        let mut reached_from: FxHashMap<TypeId, Option<TypeId>> = FxHashMap::default();
        let mut saw_unresolved = false;
        while let Some((id, from)) = pending.pop() {
            if reached_from.contains_key(&id) {
                continue;
            }
            reached_from.insert(id, from);
            let found = match self.borrow_memo.get(&id) {
                Some(&known) => known,
                None => match &self.out.type_def(id).kind {
                    TypeDefKind::Alias(t) => direct_borrow(t, &mut named),
                    TypeDefKind::Record(fields) => fields.iter().any(|(_, t)| direct_borrow(t, &mut named)),
                    TypeDefKind::Variant(cases) => {
                        cases.iter().flat_map(|(_, t)| t).any(|t| direct_borrow(t, &mut named))
                    }
                    TypeDefKind::Unresolved => {
                        saw_unresolved = true;
                        false
                    }
                    TypeDefKind::Enum(_) | TypeDefKind::Flags(_) | TypeDefKind::Resource => false,
                },
            };
            if found {
                let mut at = Some(id);
                while let Some(id) = at {
                    self.borrow_memo.insert(id, true);
                    at = reached_from.get(&id).copied().flatten();
                }
                return true;
            }
            pending.extend(named.drain(..).map(|next| (next, Some(id))));
        }
        if !saw_unresolved {
            self.borrow_memo.extend(reached_from.into_keys().map(|id| (id, false)));
        }
        false
    }

    /// Resolves a type expression in a scope.
    pub(super) fn resolve_type(&mut self, file: SourceFile, expr: &TypeExpr, scope: &Scope) -> Type {
        self.resolve_type_in(file, expr, scope, "type")
    }

    /// `what` is how an undefined name is described (`type` in definitions, `name` in
    /// signatures, as wit-parser words it).
    fn resolve_type_in(&mut self, file: SourceFile, expr: &TypeExpr, scope: &Scope, what: &str) -> Type {
        match &expr.kind {
            TypeExprKind::Primitive(p) => Type::Primitive(*p),
            TypeExprKind::Named(name) => match self.lookup_type(file, name, scope, what) {
                Some(id) => Type::Named(id),
                None => Type::Error,
            },
            TypeExprKind::List(elem, size) => {
                let elem = Box::new(self.resolve_type_in(file, elem, scope, what));
                match size {
                    None => Type::List(elem),
                    Some(0) => {
                        self.error(
                            file,
                            expr.range,
                            "fixed-list",
                            "invalid fixed-length list: the length must be at least 1",
                        );
                        Type::Error
                    }
                    Some(n) => Type::FixedList(elem, *n),
                }
            }
            TypeExprKind::Map(key, value) => {
                let key_ty = self.resolve_type_in(file, key, scope, what);
                let value_ty = self.resolve_type_in(file, value, scope, what);
                let valid_key = matches!(
                    key_ty,
                    Type::Primitive(p) if !matches!(p, hir::Primitive::F32 | hir::Primitive::F64 | hir::Primitive::ErrorContext)
                ) || key_ty == Type::Error;
                if !valid_key {
                    self.error(
                        file,
                        TextRange::at(expr.range.start(), canopy_wit_syntax::TextSize::from(3)),
                        "map-key",
                        "invalid map key type: map keys must be bool, u8, u16, u32, u64, s8, s16, s32, s64, char, or string",
                    );
                }
                Type::Map(Box::new(key_ty), Box::new(value_ty))
            }
            TypeExprKind::Option(t) => Type::Option(Box::new(self.resolve_type_in(file, t, scope, what))),
            TypeExprKind::Result(ok, err) => Type::Result(
                ok.as_ref().map(|t| Box::new(self.resolve_type_in(file, t, scope, what))),
                err.as_ref().map(|t| Box::new(self.resolve_type_in(file, t, scope, what))),
            ),
            TypeExprKind::Tuple(types) => {
                if types.is_empty() {
                    let keyword = TextRange::at(expr.range.start(), canopy_wit_syntax::TextSize::from(5));
                    self.warn_empty(file, keyword, "tuple", "type");
                }
                Type::Tuple(types.iter().map(|t| self.resolve_type_in(file, t, scope, what)).collect())
            }
            TypeExprKind::Own(name) | TypeExprKind::Borrow(name) => {
                let Some(id) = self.lookup_type(file, name, scope, "type") else { return Type::Error };
                if matches!(expr.kind, TypeExprKind::Own(_)) { Type::Own(id) } else { Type::Borrow(id) }
            }
            TypeExprKind::Future(t) => {
                Type::Future(t.as_ref().map(|t| Box::new(self.resolve_type_in(file, t, scope, what))))
            }
            TypeExprKind::Stream(t) => {
                Type::Stream(t.as_ref().map(|t| Box::new(self.resolve_type_in(file, t, scope, what))))
            }
            TypeExprKind::Error => Type::Error,
        }
    }

    fn lookup_type(&mut self, file: SourceFile, name: &hir::Name, scope: &Scope, what: &str) -> Option<TypeId> {
        match scope.names.get(&name.text) {
            Some((ScopeEntry::Type(id), location)) => {
                let (id, location) = (*id, *location);
                self.reference(file, name.range, Some(location));
                Some(id)
            }
            Some((ScopeEntry::Excluded, _)) => {
                self.excluded_reference = true;
                None
            }
            Some((ScopeEntry::Function, _)) if what == "name" => {
                self.error(file, name.range, "not-a-type", format!("cannot use function `{}` as a type", name.text));
                None
            }
            _ => {
                self.error(file, name.range, "undefined-type", format!("{what} `{}` does not exist", name.text));
                None
            }
        }
    }

    /// Checks rules that need the whole interface resolved: handles must name resources.
    pub(super) fn check_type_def(
        &mut self,
        file: SourceFile,
        def: &hir::TypeDef,
        type_names: &FxHashMap<String, TypeId>,
    ) {
        let mut exprs = Vec::new();
        match &def.kind {
            hir::TypeDefKind::Alias(e) => exprs.push(e),
            hir::TypeDefKind::Record(fields) | hir::TypeDefKind::Variant(fields) => {
                exprs.extend(fields.iter().filter_map(|f| f.ty.as_ref()));
            }
            hir::TypeDefKind::Resource(funcs) => {
                for f in funcs {
                    exprs.extend(f.sig.params.iter().map(|(_, t)| t));
                    exprs.extend(f.sig.result.iter());
                }
            }
            _ => {}
        }
        for expr in exprs {
            self.check_handles(file, expr, type_names);
        }
    }

    /// Checks the handles in a function signature.
    pub(super) fn check_signature_handles(
        &mut self,
        file: SourceFile,
        sig: &FuncSig,
        names: &FxHashMap<String, TypeId>,
    ) {
        for (_, ty) in &sig.params {
            self.check_handles(file, ty, names);
        }
        if let Some(ty) = &sig.result {
            self.check_handles(file, ty, names);
        }
    }

    /// Reports `own<T>`/`borrow<T>` whose `T` is not a resource.
    pub(super) fn check_handles(&mut self, file: SourceFile, expr: &TypeExpr, names: &FxHashMap<String, TypeId>) {
        match &expr.kind {
            TypeExprKind::Own(name) | TypeExprKind::Borrow(name) => {
                if let Some(&id) = names.get(&name.text)
                    && !self.out.is_resource(id)
                    && !matches!(self.out.type_def(self.out.resolve_alias(id)).kind, TypeDefKind::Unresolved)
                {
                    self.error(
                        file,
                        name.range,
                        "handle-not-resource",
                        format!("type `{}` used in a handle must be a resource", name.text),
                    );
                }
            }
            TypeExprKind::List(t, _) | TypeExprKind::Option(t) => self.check_handles(file, t, names),
            TypeExprKind::Map(k, v) => {
                self.check_handles(file, k, names);
                self.check_handles(file, v, names);
            }
            TypeExprKind::Result(ok, err) => {
                if let Some(t) = ok {
                    self.check_handles(file, t, names);
                }
                if let Some(t) = err {
                    self.check_handles(file, t, names);
                }
            }
            TypeExprKind::Tuple(types) => {
                for t in types {
                    self.check_handles(file, t, names);
                }
            }
            TypeExprKind::Future(Some(t)) | TypeExprKind::Stream(Some(t)) => self.check_handles(file, t, names),
            _ => {}
        }
    }

    /// Reports types that contain themselves (through aliases, records, lists, …).
    ///
    /// A depth-first search over the interface's (or world's) own definitions, on an explicit
    /// stack: a chain of definitions each naming the next may be as long as the input.
    pub(super) fn check_type_cycles(&mut self, file: SourceFile, defs: &[(TypeId, &hir::TypeDef)]) {
        let local: FxHashMap<TypeId, &hir::TypeDef> = defs.iter().map(|&(t, d)| (t, d)).collect();
        let names: FxHashMap<&str, TypeId> = defs.iter().map(|&(t, d)| (d.name.text.as_str(), t)).collect();
        // 1: on the current path; 2: done, no cycle through it.
        let mut state: FxHashMap<TypeId, u8> = FxHashMap::default();
        for &(root, _) in defs {
            // The definitions on the current path, each with the name that led to it (none for
            // the root), and per definition the names its body refers to and how many were taken.
            let mut path: Vec<(TypeId, Option<&hir::Name>)> = Vec::new();
            let mut frames: Vec<(Vec<&hir::Name>, usize)> = Vec::new();
            let mut next: Option<(TypeId, Option<&hir::Name>)> = Some((root, None));
            loop {
                if let Some((tid, via)) = next.take() {
                    match state.get(&tid).copied().unwrap_or(0) {
                        2 => {}
                        1 => {
                            let position = path.iter().position(|(t, _)| *t == tid).unwrap_or(0);
                            let edge = path.get(position + 1).and_then(|(_, via)| *via).or(via);
                            if let Some(name) = edge {
                                self.error(
                                    file,
                                    name.range,
                                    "type-cycle",
                                    format!("type `{}` depends on itself", name.text),
                                );
                            }
                            // One cycle report per interface is enough to explain it.
                            return;
                        }
                        _ => {
                            if let Some(def) = local.get(&tid) {
                                state.insert(tid, 1);
                                path.push((tid, via));
                                let mut refs = Vec::new();
                                collect_type_refs(&def.kind, &mut refs);
                                frames.push((refs, 0));
                            }
                        }
                    }
                }
                let Some((refs, taken)) = frames.last_mut() else { break };
                match refs.get(*taken) {
                    Some(&name) => {
                        *taken += 1;
                        if let Some(&target) = names.get(name.text.as_str()) {
                            next = Some((target, Some(name)));
                        }
                    }
                    None => {
                        frames.pop();
                        if let Some((tid, _)) = path.pop() {
                            state.insert(tid, 2);
                        }
                    }
                }
            }
        }
    }
}

/// Whether a type expression holds a `borrow` outside named types; the named types it refers to
/// are added to `named` (handles excepted: a handle's resource is not part of the value).
fn direct_borrow(ty: &Type, named: &mut Vec<TypeId>) -> bool {
    // The expression's own nesting is bounded by the parser's, but a stack costs nothing here.
    let mut pending = vec![ty];
    while let Some(ty) = pending.pop() {
        match ty {
            Type::Borrow(_) => return true,
            Type::Named(id) => named.push(*id),
            Type::List(t) | Type::FixedList(t, _) | Type::Option(t) => pending.push(t),
            Type::Map(k, v) => pending.extend([&**k, &**v]),
            Type::Result(ok, err) => pending.extend(ok.iter().chain(err).map(|t| &**t)),
            Type::Tuple(types) => pending.extend(types),
            Type::Future(t) | Type::Stream(t) => pending.extend(t.as_deref()),
            Type::Primitive(_) | Type::Own(_) | Type::Error => {}
        }
    }
    false
}

/// Names a type definition's body refers to (its dependencies for cycle detection).
fn collect_type_refs<'d>(kind: &'d hir::TypeDefKind, out: &mut Vec<&'d hir::Name>) {
    match kind {
        hir::TypeDefKind::Alias(e) => collect_expr_refs(e, out),
        hir::TypeDefKind::Record(fields) | hir::TypeDefKind::Variant(fields) => {
            for f in fields {
                if let Some(t) = &f.ty {
                    collect_expr_refs(t, out);
                }
            }
        }
        _ => {}
    }
}

fn collect_expr_refs<'d>(expr: &'d TypeExpr, out: &mut Vec<&'d hir::Name>) {
    match &expr.kind {
        TypeExprKind::Named(n) | TypeExprKind::Own(n) | TypeExprKind::Borrow(n) => out.push(n),
        TypeExprKind::List(t, _) | TypeExprKind::Option(t) => collect_expr_refs(t, out),
        TypeExprKind::Map(k, v) => {
            collect_expr_refs(k, out);
            collect_expr_refs(v, out);
        }
        TypeExprKind::Result(ok, err) => {
            if let Some(t) = ok {
                collect_expr_refs(t, out);
            }
            if let Some(t) = err {
                collect_expr_refs(t, out);
            }
        }
        TypeExprKind::Tuple(types) => {
            for t in types {
                collect_expr_refs(t, out);
            }
        }
        TypeExprKind::Future(Some(t)) | TypeExprKind::Stream(Some(t)) => collect_expr_refs(t, out),
        _ => {}
    }
}
