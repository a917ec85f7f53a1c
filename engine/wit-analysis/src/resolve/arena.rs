//! The resolved workspace: packages, interfaces, worlds, types and functions in arenas, with
//! every name bound to its definition.

use canopy_wit_syntax::TextRange;
use rustc_hash::FxHashMap;

use crate::db::SourceFile;
use crate::hir::{PackageName, Primitive};

/// A place in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Location {
    /// The file.
    pub file: SourceFile,
    /// The range in it.
    pub range: TextRange,
}

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);
        impl $name {
            /// The arena index.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}

id_type! {
    /// A package in [`Resolved::packages`].
    PackageId;
    /// An interface in [`Resolved::interfaces`].
    InterfaceId;
    /// A world in [`Resolved::worlds`].
    WorldId;
    /// A named type in [`Resolved::types`].
    TypeId;
}

/// A resolved package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// Its name.
    pub name: PackageName,
    /// Where it is declared (the first header or block).
    pub location: Option<Location>,
    /// Docs of the package declaration.
    pub docs: Option<String>,
    /// The name of the declaration whose doc comment `docs` is (it need not be `location`).
    pub docs_location: Option<Location>,
    /// Named interfaces, in declaration order.
    pub interfaces: Vec<(String, InterfaceId)>,
    /// Worlds, in declaration order.
    pub worlds: Vec<(String, WorldId)>,
}

/// Who owns an interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InterfaceOwner {
    /// A named interface of a package.
    Package(PackageId),
    /// An anonymous interface written inline in a world's import (`true`) or export.
    World(WorldId, bool, String),
}

/// A resolved interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    /// Name (`None` for inline interfaces).
    pub name: Option<String>,
    /// Owner.
    pub owner: InterfaceOwner,
    /// Package the interface lives in.
    pub package: PackageId,
    /// Named types (defined and `use`d), in order.
    pub types: Vec<(String, TypeId)>,
    /// Functions, in order.
    pub functions: Vec<Function>,
    /// Where it is defined.
    pub location: Option<Location>,
    /// Docs.
    pub docs: Option<String>,
}

/// Who owns a named type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeOwner {
    /// An interface.
    Interface(InterfaceId),
    /// A world.
    World(WorldId),
}

/// A resolved type expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Type {
    /// A primitive.
    Primitive(Primitive),
    /// A named type.
    Named(TypeId),
    /// `list<T>`
    List(Box<Type>),
    /// `list<T, N>`
    FixedList(Box<Type>, u32),
    /// `map<K, V>`
    Map(Box<Type>, Box<Type>),
    /// `option<T>`
    Option(Box<Type>),
    /// `result<…>`
    Result(Option<Box<Type>>, Option<Box<Type>>),
    /// `tuple<…>`
    Tuple(Vec<Type>),
    /// `own<R>`
    Own(TypeId),
    /// `borrow<R>`
    Borrow(TypeId),
    /// `future<T>?`
    Future(Option<Box<Type>>),
    /// `stream<T>?`
    Stream(Option<Box<Type>>),
    /// Could not be resolved (an error was reported).
    Error,
}

/// What a named type is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeDefKind {
    /// Fields in order.
    Record(Vec<(String, Type)>),
    /// Cases in order.
    Variant(Vec<(String, Option<Type>)>),
    /// Cases in order.
    Enum(Vec<String>),
    /// Flags in order.
    Flags(Vec<String>),
    /// A resource.
    Resource,
    /// `type a = …` or a `use`d name.
    Alias(Type),
    /// Not resolved yet, or failed to resolve.
    Unresolved,
}

/// A named type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeDef {
    /// Name.
    pub name: String,
    /// Owner.
    pub owner: TypeOwner,
    /// Definition.
    pub kind: TypeDefKind,
    /// Where defined (for `use`d names: where the local name is written).
    pub location: Option<Location>,
    /// Docs.
    pub docs: Option<String>,
}

/// What kind of function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FunctionKind {
    /// A plain function.
    Freestanding,
    /// A method of a resource.
    Method(TypeId),
    /// A static function of a resource.
    Static(TypeId),
    /// A resource constructor.
    Constructor(TypeId),
}

/// A resolved function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    /// The component-model name (`[method]r.m`, …).
    pub name: String,
    /// The name as written.
    pub short_name: String,
    /// Kind.
    pub kind: FunctionKind,
    /// `async`.
    pub is_async: bool,
    /// Parameters (methods get `self: borrow<r>` first).
    pub params: Vec<(String, Type)>,
    /// Result.
    pub result: Option<Type>,
    /// Where defined.
    pub location: Option<Location>,
    /// Docs.
    pub docs: Option<String>,
}

/// The key of a world import or export.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum WorldKey {
    /// A plain name.
    Name(String),
    /// An interface's own name.
    Interface(InterfaceId),
}

/// What a world imports or exports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorldItem {
    /// An interface (named or inline).
    Interface(InterfaceId),
    /// A function.
    Function(Function),
    /// A type owned by the world.
    Type(TypeId),
}

/// A resolved world.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct World {
    /// Name.
    pub name: String,
    /// Package.
    pub package: PackageId,
    /// Imports, in order.
    pub imports: Vec<(WorldKey, WorldItem)>,
    /// Exports, in order.
    pub exports: Vec<(WorldKey, WorldItem)>,
    /// Where defined.
    pub location: Option<Location>,
    /// Docs.
    pub docs: Option<String>,
}

/// A name written somewhere and what it refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference {
    /// Where the name is written.
    pub at: Location,
    /// The definition.
    pub target: Location,
}

/// Everything resolved in a workspace.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolved {
    /// Packages.
    pub packages: Vec<Package>,
    /// Interfaces.
    pub interfaces: Vec<Interface>,
    /// Worlds.
    pub worlds: Vec<World>,
    /// Named types.
    pub types: Vec<TypeDef>,
    /// Every resolved name reference.
    pub references: Vec<Reference>,
    /// Package lookup by full name.
    pub package_by_name: FxHashMap<PackageName, PackageId>,
    /// What [`Resolved::resolve_alias`] answers for each type, filled in once resolution is
    /// complete (alias chains may be long, and the answer is asked for often).
    pub(crate) alias_targets: Vec<TypeId>,
}

impl Resolved {
    /// The interface with this id.
    pub fn interface(&self, id: InterfaceId) -> &Interface {
        &self.interfaces[id.index()]
    }
    /// The world with this id.
    pub fn world(&self, id: WorldId) -> &World {
        &self.worlds[id.index()]
    }
    /// The type with this id.
    pub fn type_def(&self, id: TypeId) -> &TypeDef {
        &self.types[id.index()]
    }
    /// The package with this id.
    pub fn package(&self, id: PackageId) -> &Package {
        &self.packages[id.index()]
    }

    /// Calls `f` with the location and docs of every interface, world, named type and function
    /// (packages, whose docs may come from another declaration than their location, excepted).
    pub(crate) fn for_each_documented_mut(&mut self, mut f: impl FnMut(&mut Option<Location>, &mut Option<String>)) {
        for interface in &mut self.interfaces {
            f(&mut interface.location, &mut interface.docs);
            for function in &mut interface.functions {
                f(&mut function.location, &mut function.docs);
            }
        }
        for world in &mut self.worlds {
            f(&mut world.location, &mut world.docs);
            for (_, item) in world.imports.iter_mut().chain(world.exports.iter_mut()) {
                if let WorldItem::Function(function) = item {
                    f(&mut function.location, &mut function.docs);
                }
            }
        }
        for def in &mut self.types {
            f(&mut def.location, &mut def.docs);
        }
    }

    /// Follows aliases to the type a name finally denotes (in a cycle of aliases, an error,
    /// to the first type of the cycle the walk reaches).
    pub fn resolve_alias(&self, id: TypeId) -> TypeId {
        if let Some(&target) = self.alias_targets.get(id.index()) {
            return target;
        }
        let mut seen = rustc_hash::FxHashSet::default();
        let mut at = id;
        while seen.insert(at) {
            match &self.types[at.index()].kind {
                TypeDefKind::Alias(Type::Named(next)) => at = *next,
                _ => break,
            }
        }
        at
    }

    /// Fills in the table [`Resolved::resolve_alias`] reads: each chain is walked once.
    pub(crate) fn index_aliases(&mut self) {
        const UNKNOWN: TypeId = TypeId(u32::MAX);
        const WALKING: TypeId = TypeId(u32::MAX - 1);
        let mut targets = vec![UNKNOWN; self.types.len()];
        let mut path = Vec::new();
        for start in 0..self.types.len() {
            // Walk until a type whose answer is known, a type that is no alias, or a type met
            // before on this walk (a cycle); every type walked has that answer.
            let mut at = TypeId(start as u32);
            let target = loop {
                match targets[at.index()] {
                    UNKNOWN => {}
                    WALKING => break at,
                    known => break known,
                }
                targets[at.index()] = WALKING;
                path.push(at);
                match &self.types[at.index()].kind {
                    TypeDefKind::Alias(Type::Named(next)) => at = *next,
                    _ => break at,
                }
            };
            for walked in path.drain(..) {
                targets[walked.index()] = target;
            }
        }
        self.alias_targets = targets;
    }

    /// Whether a named type is (an alias of) a resource.
    pub fn is_resource(&self, id: TypeId) -> bool {
        matches!(self.types[self.resolve_alias(id).index()].kind, TypeDefKind::Resource)
    }
}
