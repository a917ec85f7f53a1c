//! Converts a `wit_parser::Resolve` into Canopy's normalized [`Model`].
//!
//! The rules are those of the `canopy_wit_analysis::model` module docs. Where wit-parser's
//! representation needs interpreting, the choice is documented on the function that makes it.

use std::collections::{BTreeMap, HashMap};

use canopy_wit_analysis::model;
use wit_parser::{
    Function, FunctionKind, Handle, InterfaceId, PackageId, Resolve, Type, TypeDef, TypeDefKind, TypeId, TypeOwner,
    WorldId, WorldItem, WorldKey,
};

/// Converts every package of `resolve`.
pub fn model(resolve: &Resolve) -> model::Model {
    Converter::new(resolve).model()
}

/// Reference strings and conversion over one `Resolve`.
struct Converter<'a> {
    resolve: &'a Resolve,
    /// Owner strings (`ns:name world w import key`) of anonymous interfaces inlined in worlds.
    inline_owners: HashMap<InterfaceId, String>,
}

impl<'a> Converter<'a> {
    fn new(resolve: &'a Resolve) -> Self {
        let mut converter = Converter { resolve, inline_owners: HashMap::new() };
        // wit-parser deep-copies anonymous interfaces when a world is included elsewhere, so
        // each anonymous interface is reachable from exactly one world item.
        for (world_id, world) in resolve.worlds.iter() {
            let world_owner = converter.world_owner(world_id);
            for (direction, items) in [("import", &world.imports), ("export", &world.exports)] {
                for (key, item) in items {
                    if let (WorldItem::Interface { id, .. }, WorldKey::Name(name)) = (item, key)
                        && resolve.interfaces[*id].name.is_none()
                    {
                        converter
                            .inline_owners
                            .entry(*id)
                            .or_insert_with(|| format!("{world_owner} {direction} {name}"));
                    }
                }
            }
        }
        converter
    }

    fn model(&self) -> model::Model {
        let mut packages = BTreeMap::new();
        for (id, package) in self.resolve.packages.iter() {
            let interfaces =
                package.interfaces.values().map(|&i| (self.interface_name(i), self.interface(i))).collect();
            let worlds = package.worlds.iter().map(|(name, &w)| (name.clone(), self.world(w))).collect();
            let previous = packages.insert(self.package_key(id), model::Package { interfaces, worlds });
            assert!(previous.is_none(), "two packages named {}", self.package_key(id));
        }
        model::Model { packages }
    }

    /// `ns:name` or `ns:name@version`.
    fn package_key(&self, id: PackageId) -> String {
        let name = &self.resolve.packages[id].name;
        match &name.version {
            Some(version) => format!("{}:{}@{version}", name.namespace, name.name),
            None => format!("{}:{}", name.namespace, name.name),
        }
    }

    fn interface_name(&self, id: InterfaceId) -> String {
        self.resolve.interfaces[id].name.clone().expect("packages list named interfaces only")
    }

    /// `ns:name/iface` or `ns:name/iface@version` for a named interface; the world-and-key owner
    /// string for an anonymous one.
    fn interface_ref(&self, id: InterfaceId) -> String {
        let interface = &self.resolve.interfaces[id];
        let Some(name) = &interface.name else {
            return match self.inline_owners.get(&id) {
                Some(owner) => owner.clone(),
                None => format!("<anonymous interface {} in no world>", id.index()),
            };
        };
        let Some(package) = interface.package else {
            return format!("<interface {name} without a package>");
        };
        let package = &self.resolve.packages[package].name;
        match &package.version {
            Some(version) => format!("{}:{}/{name}@{version}", package.namespace, package.name),
            None => format!("{}:{}/{name}", package.namespace, package.name),
        }
    }

    /// `ns:name@version world w` (no `@version` for an unversioned package).
    fn world_owner(&self, id: WorldId) -> String {
        let world = &self.resolve.worlds[id];
        match world.package {
            Some(package) => format!("{} world {}", self.package_key(package), world.name),
            None => format!("<world {} without a package>", world.name),
        }
    }

    fn world_key(&self, key: &WorldKey) -> String {
        match key {
            WorldKey::Name(name) => name.clone(),
            WorldKey::Interface(id) => self.interface_ref(*id),
        }
    }

    /// `OWNER#name` of a named type.
    fn type_ref(&self, id: TypeId) -> String {
        let def = &self.resolve.types[id];
        let owner = match def.owner {
            TypeOwner::Interface(i) => self.interface_ref(i),
            TypeOwner::World(w) => self.world_owner(w),
            TypeOwner::None => "<no owner>".to_string(),
        };
        match &def.name {
            Some(name) => format!("{owner}#{name}"),
            None => format!("{owner}#<anonymous type {}>", id.index()),
        }
    }

    /// A type in a type position (field, parameter, result, payload, element type).
    ///
    /// A named type is its reference; an anonymous one is spelled structurally. Resources need
    /// no special case: when wit-parser merges a package into the `Resolve`, it replaces every
    /// type-position reference to a resource (or to an alias chain ending at one), implicit
    /// constructor results included, with an anonymous `own<…>` handle of the name as written,
    /// which is the same type it makes of an explicit `own<r>`.
    fn ty(&self, ty: &Type) -> String {
        match ty {
            Type::Bool => "bool".into(),
            Type::U8 => "u8".into(),
            Type::U16 => "u16".into(),
            Type::U32 => "u32".into(),
            Type::U64 => "u64".into(),
            Type::S8 => "s8".into(),
            Type::S16 => "s16".into(),
            Type::S32 => "s32".into(),
            Type::S64 => "s64".into(),
            Type::F32 => "f32".into(),
            Type::F64 => "f64".into(),
            Type::Char => "char".into(),
            Type::String => "string".into(),
            Type::ErrorContext => "error-context".into(),
            Type::Id(id) => match self.resolve.types[*id].name {
                Some(_) => self.type_ref(*id),
                None => self.structural(&self.resolve.types[*id].kind),
            },
        }
    }

    fn opt_ty(&self, ty: &Option<Type>) -> Option<String> {
        ty.as_ref().map(|t| self.ty(t))
    }

    /// The structural spelling of an anonymous type (or of the right side of `type x = …`).
    fn structural(&self, kind: &TypeDefKind) -> String {
        match kind {
            TypeDefKind::Type(t) => self.ty(t),
            TypeDefKind::Handle(Handle::Own(r)) => format!("own<{}>", self.type_ref(*r)),
            TypeDefKind::Handle(Handle::Borrow(r)) => format!("borrow<{}>", self.type_ref(*r)),
            TypeDefKind::List(t) => format!("list<{}>", self.ty(t)),
            TypeDefKind::FixedLengthList(t, n) => format!("list<{}, {n}>", self.ty(t)),
            TypeDefKind::Map(k, v) => format!("map<{}, {}>", self.ty(k), self.ty(v)),
            TypeDefKind::Option(t) => format!("option<{}>", self.ty(t)),
            TypeDefKind::Result(r) => match (&r.ok, &r.err) {
                (None, None) => "result".into(),
                (Some(ok), None) => format!("result<{}>", self.ty(ok)),
                (None, Some(err)) => format!("result<_, {}>", self.ty(err)),
                (Some(ok), Some(err)) => format!("result<{}, {}>", self.ty(ok), self.ty(err)),
            },
            TypeDefKind::Tuple(t) => {
                format!("tuple<{}>", t.types.iter().map(|t| self.ty(t)).collect::<Vec<_>>().join(", "))
            }
            TypeDefKind::Future(t) => match t {
                Some(t) => format!("future<{}>", self.ty(t)),
                None => "future".into(),
            },
            TypeDefKind::Stream(t) => match t {
                Some(t) => format!("stream<{}>", self.ty(t)),
                None => "stream".into(),
            },
            other => format!("<UNEXPECTED anonymous {} type>", other.as_str()),
        }
    }

    /// A named type definition. `use` and `type x = y` are both `TypeDefKind::Type` in
    /// wit-parser and become `Alias(y)`; any other right-hand side (`list<…>`, `own<r>`, `u32`,
    /// …) becomes `Alias` of its structural spelling.
    fn type_def(&self, def: &TypeDef) -> model::TypeDef {
        match &def.kind {
            TypeDefKind::Record(r) => {
                model::TypeDef::Record(r.fields.iter().map(|f| (f.name.clone(), self.ty(&f.ty))).collect())
            }
            TypeDefKind::Variant(v) => {
                model::TypeDef::Variant(v.cases.iter().map(|c| (c.name.clone(), self.opt_ty(&c.ty))).collect())
            }
            TypeDefKind::Enum(e) => model::TypeDef::Enum(e.cases.iter().map(|c| c.name.clone()).collect()),
            TypeDefKind::Flags(f) => model::TypeDef::Flags(f.flags.iter().map(|f| f.name.clone()).collect()),
            TypeDefKind::Resource => model::TypeDef::Resource,
            TypeDefKind::Unknown => model::TypeDef::Alias("<UNRESOLVED unknown type>".into()),
            other => model::TypeDef::Alias(self.structural(other)),
        }
    }

    fn function(&self, f: &Function) -> model::Function {
        model::Function {
            params: f.params.iter().map(|p| (p.name.clone(), self.ty(&p.ty))).collect(),
            result: self.opt_ty(&f.result),
        }
    }

    fn interface(&self, id: InterfaceId) -> model::Interface {
        let interface = &self.resolve.interfaces[id];
        model::Interface {
            types: interface
                .types
                .iter()
                .map(|(name, &t)| (name.clone(), self.type_def(&self.resolve.types[t])))
                .collect(),
            functions: interface.functions.values().map(|f| (function_key(f), self.function(f))).collect(),
        }
    }

    fn world(&self, id: WorldId) -> model::World {
        let world = &self.resolve.worlds[id];
        let mut types = BTreeMap::new();
        let mut items = |source: &wit_parser::IndexMap<WorldKey, WorldItem>| -> BTreeMap<String, model::WorldItem> {
            source
                .iter()
                .map(|(key, item)| {
                    let key = self.world_key(key);
                    let item = match item {
                        WorldItem::Interface { id, .. } if self.resolve.interfaces[*id].name.is_none() => {
                            model::WorldItem::InlineInterface(self.interface(*id))
                        }
                        WorldItem::Interface { id, .. } => model::WorldItem::Interface(self.interface_ref(*id)),
                        WorldItem::Function(f) => model::WorldItem::Function(self.function(f)),
                        WorldItem::Type { id, .. } => {
                            types.insert(key.clone(), self.type_def(&self.resolve.types[*id]));
                            model::WorldItem::Type(self.type_ref(*id))
                        }
                    };
                    (key, item)
                })
                .collect()
        };
        let imports = items(&world.imports);
        let exports = items(&world.exports);
        model::World { imports, exports, types }
    }
}

/// The component-model name of an interface function. wit-parser 0.263's `Function::name` has
/// the `[method]`, `[static]` and `[constructor]` prefixes but not the async ones: those are in
/// the function's kind.
fn function_key(f: &Function) -> String {
    let renamed = match f.kind {
        FunctionKind::AsyncFreestanding => Some(format!("[async]{}", f.name)),
        FunctionKind::AsyncMethod(_) => f.name.strip_prefix("[method]").map(|rest| format!("[async method]{rest}")),
        FunctionKind::AsyncStatic(_) => f.name.strip_prefix("[static]").map(|rest| format!("[async static]{rest}")),
        _ => None,
    };
    renamed.unwrap_or_else(|| f.name.clone())
}
