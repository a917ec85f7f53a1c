//! A normalized, tool-independent picture of a resolved WIT workspace.
//!
//! It exists to compare Canopy's resolution with another resolver (wit-parser's `Resolve`)
//! structurally, and to print what was resolved. Normalization:
//! - everything is keyed by name in sorted maps, so declaration order and arena ids vanish;
//! - packages are keyed `ns:name` or `ns:name@version`;
//! - a reference to a named type is written `OWNER#name`, where OWNER is an interface
//!   (`ns:name/iface` or `ns:name/iface@version`), a world (`ns:name@version world w`), or an
//!   anonymous interface declared inline in a world (`ns:name@version world w import|export key`);
//! - anonymous types are written structurally (`list<u8>`, `result<_, OWNER#e>`, …); a bare
//!   resource name in a type position is a reference like any other name (`OWNER#r`), while
//!   `own<r>` and `borrow<r>` are written `own<OWNER#r>` and `borrow<OWNER#r>`;
//! - functions are keyed by their component-model name (`f`, `[method]r.m`, `[static]r.s`,
//!   `[constructor]r`, with `[async]`, `[async method]`, `[async static]` for async ones);
//! - world import and export keys are either the plain name or the interface reference;
//! - items disabled by a feature gate are absent; docs and stability are not compared.

use std::collections::BTreeMap;

use serde::Serialize;

/// Every package of a resolved workspace.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Model {
    /// Packages keyed `ns:name` or `ns:name@version`.
    pub packages: BTreeMap<String, Package>,
}

/// One package.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Package {
    /// Named interfaces declared by the package.
    pub interfaces: BTreeMap<String, Interface>,
    /// Worlds declared by the package.
    pub worlds: BTreeMap<String, World>,
}

/// An interface: its named types and its functions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Interface {
    /// Named types, `use`d names included (as aliases).
    pub types: BTreeMap<String, TypeDef>,
    /// Functions keyed by component-model name.
    pub functions: BTreeMap<String, Function>,
}

/// A named type definition. Types are rendered as strings (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum TypeDef {
    /// `record`: fields in order.
    Record(Vec<(String, String)>),
    /// `variant`: cases in order, with optional payload.
    Variant(Vec<(String, Option<String>)>),
    /// `enum`: cases in order.
    Enum(Vec<String>),
    /// `flags`: flags in order.
    Flags(Vec<String>),
    /// `resource`.
    Resource,
    /// `type x = …` and `use`d names: the aliased type.
    Alias(String),
}

/// A function signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Function {
    /// Parameters in order (for methods, `self` comes first as `borrow<R>`).
    pub params: Vec<(String, String)>,
    /// The result type, if any.
    pub result: Option<String>,
}

/// A world after `include`s are merged and implicit imports added.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct World {
    /// Imports by key.
    pub imports: BTreeMap<String, WorldItem>,
    /// Exports by key.
    pub exports: BTreeMap<String, WorldItem>,
    /// Types owned by the world (defined or `use`d in it).
    pub types: BTreeMap<String, TypeDef>,
}

/// What a world imports or exports under a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum WorldItem {
    /// An interface, by reference (an inline interface's reference names the world and key).
    Interface(String),
    /// An anonymous inline interface, written out.
    InlineInterface(Interface),
    /// A function.
    Function(Function),
    /// A type owned by the world, by reference.
    Type(String),
}
