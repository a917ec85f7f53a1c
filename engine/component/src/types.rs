//! Component value types as a runtime sees them: with their field, case and flag names, and
//! with resource types identified.
//!
//! [`Type`] keeps everything a value of the type carries (names included, so a lifted value
//! can say which field or case it is); [`Type::abi`] drops the names to give the
//! [`ValType`] that `canopy-canonical-abi` computes layouts and flattenings for. A resource
//! type is an opaque identity ([`ResourceType`]) that the runtime hands out, one per
//! resource type instance, so that handle checks compare identities, never structure.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use canopy_canonical_abi::ValType;

/// A field, case or flag label. Shared, so that lifted values reuse the type's names
/// instead of allocating new strings.
pub type Name = Arc<str>;

/// The identity of one resource type (one `resource` definition in one component instance).
///
/// Two `ResourceType`s are equal exactly when their ids are; the name is only for messages.
/// The runtime decides how ids are allocated.
#[derive(Debug, Clone)]
pub struct ResourceType {
    id: u64,
    name: Option<Name>,
    /// Defined by a component (a `resource` type definition), rather than by the host.
    guest: bool,
}

impl ResourceType {
    /// A resource type with this identity and no name.
    pub fn new(id: u64) -> ResourceType {
        ResourceType { id, name: None, guest: false }
    }

    /// A resource type with this identity, named (e.g. after its WIT declaration) for messages.
    pub fn named(id: u64, name: impl Into<Name>) -> ResourceType {
        ResourceType { id, name: Some(name.into()), guest: false }
    }

    /// The same type, marked as defined by a component rather than by the host (for messages).
    pub fn guest_defined(self) -> ResourceType {
        ResourceType { guest: true, ..self }
    }

    /// Whether a component defined it ([`ResourceType::guest_defined`]).
    pub fn is_guest_defined(&self) -> bool {
        self.guest
    }

    /// Where it was defined, in words: "guest-defined resource" or "host-defined resource".
    pub fn origin(&self) -> &'static str {
        if self.guest { "guest-defined resource" } else { "host-defined resource" }
    }

    /// The identity.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The name given at creation, if any.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

impl PartialEq for ResourceType {
    fn eq(&self, other: &ResourceType) -> bool {
        self.id == other.id
    }
}

impl Eq for ResourceType {}

impl Hash for ResourceType {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}

/// Renders the name, or `resource#ID` for an unnamed resource type.
impl fmt::Display for ResourceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(name) => f.write_str(name),
            None => write!(f, "resource#{}", self.id),
        }
    }
}

/// A named field of a record type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    /// The field's label.
    pub name: Name,
    /// The field's type.
    pub ty: Type,
}

/// A named case of a variant type, with an optional payload type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Case {
    /// The case's label.
    pub name: Name,
    /// The payload type, `None` for a case that carries nothing.
    pub ty: Option<Type>,
}

/// A component value type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Type {
    /// `bool`.
    Bool,
    /// `s8`.
    S8,
    /// `u8`.
    U8,
    /// `s16`.
    S16,
    /// `u16`.
    U16,
    /// `s32`.
    S32,
    /// `u32`.
    U32,
    /// `s64`.
    S64,
    /// `u64`.
    U64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `char`: a Unicode scalar value.
    Char,
    /// `string`.
    String,
    /// `list<T>`.
    List(Box<Type>),
    /// `list<T, N>`: exactly `N` elements, stored inline.
    FixedList(Box<Type>, u32),
    /// `record { name: T, ... }`, fields in declaration order.
    Record(Vec<Field>),
    /// `tuple<T, ...>`.
    Tuple(Vec<Type>),
    /// `variant { name(T), name, ... }`, cases in declaration order.
    Variant(Vec<Case>),
    /// `enum { name, ... }`.
    Enum(Vec<Name>),
    /// `option<T>`.
    Option(Box<Type>),
    /// `result<T, E>`, either payload optional.
    Result {
        /// Payload of `ok`, if any.
        ok: Option<Box<Type>>,
        /// Payload of `err`, if any.
        err: Option<Box<Type>>,
    },
    /// `flags { name, ... }`: any number of labels, bit `i` for label `i`.
    Flags(Vec<Name>),
    /// `map<K, V>`: carried like `list<tuple<K, V>>`.
    Map(Box<Type>, Box<Type>),
    /// `own<R>`: an owned handle to a resource of type `R`.
    Own(ResourceType),
    /// `borrow<R>`: a borrowed handle to a resource of type `R`.
    Borrow(ResourceType),
    /// `future<T>` (or `future` without a payload): the readable end of a future.
    Future(Option<Box<Type>>),
    /// `stream<T>` (or `stream` without a payload): the readable end of a stream.
    Stream(Option<Box<Type>>),
    /// `error-context`.
    ErrorContext,
}

impl Type {
    /// `list<elem>`.
    pub fn list(elem: Type) -> Type {
        Type::List(Box::new(elem))
    }

    /// `list<elem, len>`.
    pub fn fixed_list(elem: Type, len: u32) -> Type {
        Type::FixedList(Box::new(elem), len)
    }

    /// `record { ... }` from `(name, type)` pairs.
    pub fn record<N: Into<Name>>(fields: impl IntoIterator<Item = (N, Type)>) -> Type {
        Type::Record(fields.into_iter().map(|(name, ty)| Field { name: name.into(), ty }).collect())
    }

    /// `tuple<...>`.
    pub fn tuple(items: impl IntoIterator<Item = Type>) -> Type {
        Type::Tuple(items.into_iter().collect())
    }

    /// `variant { ... }` from `(name, payload)` pairs.
    pub fn variant<N: Into<Name>>(cases: impl IntoIterator<Item = (N, Option<Type>)>) -> Type {
        Type::Variant(cases.into_iter().map(|(name, ty)| Case { name: name.into(), ty }).collect())
    }

    /// `enum { ... }`.
    pub fn enumeration<N: Into<Name>>(names: impl IntoIterator<Item = N>) -> Type {
        Type::Enum(names.into_iter().map(Into::into).collect())
    }

    /// `option<some>`.
    pub fn option(some: Type) -> Type {
        Type::Option(Box::new(some))
    }

    /// `result<ok, err>` with optional payloads.
    pub fn result(ok: Option<Type>, err: Option<Type>) -> Type {
        Type::Result { ok: ok.map(Box::new), err: err.map(Box::new) }
    }

    /// `flags { ... }`.
    pub fn flags<N: Into<Name>>(names: impl IntoIterator<Item = N>) -> Type {
        Type::Flags(names.into_iter().map(Into::into).collect())
    }

    /// `map<key, value>`.
    pub fn map(key: Type, value: Type) -> Type {
        Type::Map(Box::new(key), Box::new(value))
    }

    /// The shape of this type as the Canonical ABI sees it: names dropped, resource types
    /// forgotten (every handle is a 32-bit index).
    pub fn abi(&self) -> ValType {
        let boxed = |ty: &Type| Box::new(ty.abi());
        match self {
            Type::Bool => ValType::Bool,
            Type::S8 => ValType::S8,
            Type::U8 => ValType::U8,
            Type::S16 => ValType::S16,
            Type::U16 => ValType::U16,
            Type::S32 => ValType::S32,
            Type::U32 => ValType::U32,
            Type::S64 => ValType::S64,
            Type::U64 => ValType::U64,
            Type::F32 => ValType::F32,
            Type::F64 => ValType::F64,
            Type::Char => ValType::Char,
            Type::String => ValType::String,
            Type::List(elem) => ValType::List(boxed(elem)),
            Type::FixedList(elem, len) => ValType::FixedList(boxed(elem), *len),
            Type::Record(fields) => ValType::Record(fields.iter().map(|field| field.ty.abi()).collect()),
            Type::Tuple(items) => ValType::Tuple(items.iter().map(Type::abi).collect()),
            Type::Variant(cases) => {
                ValType::Variant(cases.iter().map(|case| case.ty.as_ref().map(Type::abi)).collect())
            }
            Type::Enum(names) => ValType::Enum(count(names.len())),
            Type::Option(some) => ValType::Option(boxed(some)),
            Type::Result { ok, err } => {
                ValType::Result { ok: ok.as_deref().map(boxed), err: err.as_deref().map(boxed) }
            }
            Type::Flags(names) => ValType::Flags(count(names.len())),
            Type::Map(key, value) => ValType::Map(boxed(key), boxed(value)),
            Type::Own(_) => ValType::Own,
            Type::Borrow(_) => ValType::Borrow,
            Type::Future(_) => ValType::Future,
            Type::Stream(_) => ValType::Stream,
            Type::ErrorContext => ValType::ErrorContext,
        }
    }
}

/// A label or case count as the Canonical ABI counts it (saturating: such a type is invalid
/// anyway).
fn count(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

/// Renders the type in WIT syntax, e.g. `record { x: u32, tags: list<string> }`,
/// `variant { circle(f32), none }`, `result<_, string>`, `own<file>`.
impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Bool => f.write_str("bool"),
            Type::S8 => f.write_str("s8"),
            Type::U8 => f.write_str("u8"),
            Type::S16 => f.write_str("s16"),
            Type::U16 => f.write_str("u16"),
            Type::S32 => f.write_str("s32"),
            Type::U32 => f.write_str("u32"),
            Type::S64 => f.write_str("s64"),
            Type::U64 => f.write_str("u64"),
            Type::F32 => f.write_str("f32"),
            Type::F64 => f.write_str("f64"),
            Type::Char => f.write_str("char"),
            Type::String => f.write_str("string"),
            Type::List(elem) => write!(f, "list<{elem}>"),
            Type::FixedList(elem, len) => write!(f, "list<{elem}, {len}>"),
            Type::Record(fields) => {
                write_braced(f, "record", fields, |f, field| write!(f, "{}: {}", field.name, field.ty))
            }
            Type::Tuple(items) => {
                f.write_str("tuple<")?;
                write_separated(f, items, |f, item| write!(f, "{item}"))?;
                f.write_str(">")
            }
            Type::Variant(cases) => write_braced(f, "variant", cases, |f, case| match &case.ty {
                Some(payload) => write!(f, "{}({payload})", case.name),
                None => f.write_str(&case.name),
            }),
            Type::Enum(names) => write_braced(f, "enum", names, |f, name| f.write_str(name)),
            Type::Option(some) => write!(f, "option<{some}>"),
            Type::Result { ok, err } => match (ok, err) {
                (None, None) => f.write_str("result"),
                (Some(ok), None) => write!(f, "result<{ok}>"),
                (None, Some(err)) => write!(f, "result<_, {err}>"),
                (Some(ok), Some(err)) => write!(f, "result<{ok}, {err}>"),
            },
            Type::Flags(names) => write_braced(f, "flags", names, |f, name| f.write_str(name)),
            Type::Map(key, value) => write!(f, "map<{key}, {value}>"),
            Type::Own(resource) => write!(f, "own<{resource}>"),
            Type::Borrow(resource) => write!(f, "borrow<{resource}>"),
            Type::Future(payload) => write_async(f, "future", payload.as_deref()),
            Type::Stream(payload) => write_async(f, "stream", payload.as_deref()),
            Type::ErrorContext => f.write_str("error-context"),
        }
    }
}

fn write_braced<T>(
    f: &mut fmt::Formatter<'_>,
    keyword: &str,
    items: &[T],
    write_item: impl Fn(&mut fmt::Formatter<'_>, &T) -> fmt::Result,
) -> fmt::Result {
    write!(f, "{keyword} {{ ")?;
    write_separated(f, items, write_item)?;
    f.write_str(" }")
}

fn write_separated<T>(
    f: &mut fmt::Formatter<'_>,
    items: &[T],
    write_item: impl Fn(&mut fmt::Formatter<'_>, &T) -> fmt::Result,
) -> fmt::Result {
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            f.write_str(", ")?;
        }
        write_item(f, item)?;
    }
    Ok(())
}

fn write_async(f: &mut fmt::Formatter<'_>, keyword: &str, payload: Option<&Type>) -> fmt::Result {
    match payload {
        Some(payload) => write!(f, "{keyword}<{payload}>"),
        None => f.write_str(keyword),
    }
}
