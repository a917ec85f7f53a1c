//! The item tree: a file's declarations lowered from syntax into plain data.
//!
//! Lowering keeps every name with its range and every type expression as written, but drops
//! trivia and punctuation. Resolution works on this, never on the syntax tree.

use std::fmt;

use canopy_wit_syntax::TextRange;

/// `ns:name@version`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PackageName {
    /// Namespace.
    pub namespace: String,
    /// Package name.
    pub name: String,
    /// Version, if any.
    pub version: Option<semver::Version>,
}

impl fmt::Display for PackageName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.namespace, self.name)?;
        if let Some(version) = &self.version {
            write!(f, "@{version}")?;
        }
        Ok(())
    }
}

impl PackageName {
    /// `ns:name` without the version.
    pub fn unversioned(&self) -> String {
        format!("{}:{}", self.namespace, self.name)
    }
}

/// A name at its definition.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Name {
    /// The identifier without `%`.
    pub text: String,
    /// Where the identifier is.
    pub range: TextRange,
}

/// A reference to an interface or world: `foo` or `ns:pkg/foo@1.0.0`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PathRef {
    /// The package part, if qualified.
    pub package: Option<PackageName>,
    /// The last segment.
    pub name: Name,
    /// The whole path.
    pub range: TextRange,
}

/// Gates and annotations on an item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Gates {
    /// `@since(version = …)`
    pub since: Option<(semver::Version, TextRange)>,
    /// `@unstable(feature = …)`
    pub unstable: Option<(String, TextRange)>,
    /// `@deprecated(version = …)`
    pub deprecated: Option<(semver::Version, TextRange)>,
    /// `@external-id("…")`
    pub external_id: Option<(String, TextRange)>,
    /// Every attribute, in order, with its kind and range (to check combinations).
    pub all: Vec<(canopy_wit_syntax::ast::AttributeKind, TextRange)>,
}

impl Gates {
    /// Whether the item is present under `features`.
    pub fn is_active(&self, features: &crate::Features) -> bool {
        match &self.unstable {
            Some((feature, _)) => features.is_enabled(feature),
            None => true,
        }
    }
}

/// A primitive type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Primitive {
    /// `bool`
    Bool,
    /// `u8`
    U8,
    /// `u16`
    U16,
    /// `u32`
    U32,
    /// `u64`
    U64,
    /// `s8`
    S8,
    /// `s16`
    S16,
    /// `s32`
    S32,
    /// `s64`
    S64,
    /// `f32`
    F32,
    /// `f64`
    F64,
    /// `char`
    Char,
    /// `string`
    String,
    /// `error-context`
    ErrorContext,
}

impl Primitive {
    /// The WIT spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Primitive::Bool => "bool",
            Primitive::U8 => "u8",
            Primitive::U16 => "u16",
            Primitive::U32 => "u32",
            Primitive::U64 => "u64",
            Primitive::S8 => "s8",
            Primitive::S16 => "s16",
            Primitive::S32 => "s32",
            Primitive::S64 => "s64",
            Primitive::F32 => "f32",
            Primitive::F64 => "f64",
            Primitive::Char => "char",
            Primitive::String => "string",
            Primitive::ErrorContext => "error-context",
        }
    }
}

/// A type expression as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TypeExpr {
    /// Its shape.
    pub kind: TypeExprKind,
    /// Where it is written.
    pub range: TextRange,
}

/// The shape of a type expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeExprKind {
    /// A primitive.
    Primitive(Primitive),
    /// A named type.
    Named(Name),
    /// `list<T>`; with `Some(n)` for `list<T, n>`.
    List(Box<TypeExpr>, Option<u32>),
    /// `map<K, V>`
    Map(Box<TypeExpr>, Box<TypeExpr>),
    /// `option<T>`
    Option(Box<TypeExpr>),
    /// `result<…>`
    Result(Option<Box<TypeExpr>>, Option<Box<TypeExpr>>),
    /// `tuple<…>`
    Tuple(Vec<TypeExpr>),
    /// `own<R>`
    Own(Name),
    /// `borrow<R>`
    Borrow(Name),
    /// `future<T>?`
    Future(Option<Box<TypeExpr>>),
    /// `stream<T>?`
    Stream(Option<Box<TypeExpr>>),
    /// Missing or malformed (a syntax error was reported).
    Error,
}

/// A function signature.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FuncSig {
    /// `async func`.
    pub is_async: bool,
    /// Parameters.
    pub params: Vec<(Name, TypeExpr)>,
    /// `-> T`.
    pub result: Option<TypeExpr>,
}

/// Documentation, gates and range shared by every item.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ItemMeta {
    /// Doc comments.
    pub docs: Option<String>,
    /// Gates.
    pub gates: Gates,
    /// The whole item's range.
    pub range: TextRange,
}

/// A named function of an interface or world.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FuncDef {
    /// Its name.
    pub name: Name,
    /// Signature.
    pub sig: FuncSig,
    /// Docs and gates.
    pub meta: ItemMeta,
}

/// A field of a record, or a case of a variant (payload optional).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    /// Name.
    pub name: Name,
    /// Type (a variant case may have none).
    pub ty: Option<TypeExpr>,
    /// Docs of the field.
    pub docs: Option<String>,
    /// Attributes written on the field (not allowed; reported).
    pub attributes: Vec<TextRange>,
}

/// What kind of resource function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResourceFuncKind {
    /// `constructor(…)`
    Constructor,
    /// `name: func(…)`
    Method,
    /// `name: static func(…)`
    Static,
}

/// A function inside a resource.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResourceFunc {
    /// Kind.
    pub kind: ResourceFuncKind,
    /// Name (`constructor` for constructors, ranged on the keyword).
    pub name: Name,
    /// Signature.
    pub sig: FuncSig,
    /// Docs and gates.
    pub meta: ItemMeta,
}

/// What a named type definition is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeDefKind {
    /// `type a = …;`
    Alias(TypeExpr),
    /// `record`
    Record(Vec<Field>),
    /// `variant`
    Variant(Vec<Field>),
    /// `enum`
    Enum(Vec<Field>),
    /// `flags`
    Flags(Vec<Field>),
    /// `resource`
    Resource(Vec<ResourceFunc>),
}

/// A named type definition.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TypeDef {
    /// Name.
    pub name: Name,
    /// Definition.
    pub kind: TypeDefKind,
    /// Docs and gates.
    pub meta: ItemMeta,
    /// Range of the keyword (`record`, `type`, …), where some errors point.
    pub keyword_range: TextRange,
}

/// `use path.{a, b as c};`
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UseDef {
    /// The interface.
    pub path: PathRef,
    /// `(name in the interface, local name if renamed)`.
    pub names: Vec<(Name, Option<Name>)>,
    /// Gates.
    pub meta: ItemMeta,
}

/// An item of an interface.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum InterfaceItem {
    /// `use`
    Use(UseDef),
    /// A type.
    Type(TypeDef),
    /// A function.
    Func(FuncDef),
}

/// An interface definition.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InterfaceDef {
    /// Name.
    pub name: Name,
    /// Items.
    pub items: Vec<InterfaceItem>,
    /// Docs and gates.
    pub meta: ItemMeta,
}

/// What an import or export names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ExternKind {
    /// `import path;`
    Path(PathRef),
    /// `import name: func(…);`
    Func(Name, FuncSig),
    /// `import name: interface { … }`
    Interface(Name, Vec<InterfaceItem>),
    /// `import name: path;`
    NamedPath(Name, PathRef),
}

/// An import or an export of a world.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ExternDef {
    /// What.
    pub kind: ExternKind,
    /// Docs and gates.
    pub meta: ItemMeta,
}

/// `include path with { a as b };`
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IncludeDef {
    /// The included world.
    pub path: PathRef,
    /// Renamings.
    pub with: Vec<(Name, Name)>,
    /// Gates.
    pub meta: ItemMeta,
}

/// An item of a world.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum WorldItem {
    /// `import …`
    Import(ExternDef),
    /// `export …`
    Export(ExternDef),
    /// `use …`
    Use(UseDef),
    /// A type.
    Type(TypeDef),
    /// `include …`
    Include(IncludeDef),
}

/// A world definition.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WorldDef {
    /// Name.
    pub name: Name,
    /// Items.
    pub items: Vec<WorldItem>,
    /// Docs and gates.
    pub meta: ItemMeta,
}

/// `use ns:pkg/iface as name;` at file level.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ToplevelUse {
    /// The interface.
    pub path: PathRef,
    /// `as name`.
    pub alias: Option<Name>,
    /// Gates.
    pub meta: ItemMeta,
}

/// `package ns:name@version` as declared, with where.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PackageDecl {
    /// The name.
    pub name: PackageName,
    /// Range of the name.
    pub range: TextRange,
    /// Docs on the declaration.
    pub docs: Option<String>,
    /// Where the first doc comment is.
    pub docs_range: Option<TextRange>,
}

/// The items of one package inside one file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct PackageBody {
    /// `Some` for a `package a:b { … }` block; `None` for the file's top-level items.
    pub nested: Option<PackageDecl>,
    /// File-level `use`s (scoped to this body).
    pub uses: Vec<ToplevelUse>,
    /// Interfaces.
    pub interfaces: Vec<InterfaceDef>,
    /// Worlds.
    pub worlds: Vec<WorldDef>,
}

/// Everything one file declares.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct FileItems {
    /// The file's `package …;` header.
    pub package_decl: Option<PackageDecl>,
    /// Top-level items first (index 0, `nested: None`), then one body per nested block.
    pub bodies: Vec<PackageBody>,
    /// Problems found while lowering (misplaced package headers, bad attributes, …).
    pub errors: Vec<(TextRange, String)>,
}
