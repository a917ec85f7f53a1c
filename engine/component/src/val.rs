//! Component values: the one value type [`Val`] for every component value type.
//!
//! A `Val` mirrors a [`Type`](crate::Type): records carry their field names, variants and
//! enums their case name, flags the names of the flags that are set. Names are the type's
//! shared [`Name`]s, so lifting does not allocate them. Handles are opaque: an
//! [`ResourceHandle`] or [`AsyncHandle`] holds whatever the runtime put in it when it lifted
//! the handle out of a guest's table, and it gives it back to the runtime when the value is
//! lowered into another guest.
//!
//! Equality follows the component model's value sets, not Rust's: every NaN equals every
//! other NaN of the same width (there is one NaN value), while `0.0` and `-0.0` differ; two
//! flags values are equal when they set the same names, in whatever order.

use crate::types::Name;

/// An owned or borrowed resource handle as a component value.
///
/// The number inside is the runtime's business (a representation, a table slot with a
/// generation, ...); this crate only carries it between a lift and a lower.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ResourceHandle(u64);

impl ResourceHandle {
    /// A handle holding `raw`.
    pub fn new(raw: u64) -> ResourceHandle {
        ResourceHandle(raw)
    }

    /// The number the runtime put in.
    pub fn raw(self) -> u64 {
        self.0
    }
}

/// A `future`, `stream` or `error-context` as a component value: like [`ResourceHandle`], an
/// opaque number the runtime fills in when it lifts the handle and reads back when it lowers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AsyncHandle(u64);

impl AsyncHandle {
    /// A handle holding `raw`.
    pub fn new(raw: u64) -> AsyncHandle {
        AsyncHandle(raw)
    }

    /// The number the runtime put in.
    pub fn raw(self) -> u64 {
        self.0
    }
}

/// A component value.
#[derive(Debug, Clone)]
pub enum Val {
    /// `bool`.
    Bool(bool),
    /// `s8`.
    S8(i8),
    /// `u8`.
    U8(u8),
    /// `s16`.
    S16(i16),
    /// `u16`.
    U16(u16),
    /// `s32`.
    S32(i32),
    /// `u32`.
    U32(u32),
    /// `s64`.
    S64(i64),
    /// `u64`.
    U64(u64),
    /// `f32`.
    F32(f32),
    /// `f64`.
    F64(f64),
    /// `char`.
    Char(char),
    /// `string`.
    String(String),
    /// `list<T>` or `list<T, N>`.
    List(Vec<Val>),
    /// `record`: every field, in the type's order, with its name.
    Record(Vec<(Name, Val)>),
    /// `tuple`.
    Tuple(Vec<Val>),
    /// `variant`: the case's name and its payload, if the case has one.
    Variant(Name, Option<Box<Val>>),
    /// `enum`: the case's name.
    Enum(Name),
    /// `option`.
    Option(Option<Box<Val>>),
    /// `result`, with the payload of whichever side has one.
    Result(Result<Option<Box<Val>>, Option<Box<Val>>>),
    /// `flags`: the names of the flags that are set, each once, in any order.
    Flags(Vec<Name>),
    /// `map`: the entries in order (keys may repeat, as the component model allows).
    Map(Vec<(Val, Val)>),
    /// `own<R>`.
    Own(ResourceHandle),
    /// `borrow<R>`.
    Borrow(ResourceHandle),
    /// `future<T>`.
    Future(AsyncHandle),
    /// `stream<T>`.
    Stream(AsyncHandle),
    /// `error-context`.
    ErrorContext(AsyncHandle),
}

impl Val {
    /// The name of this value's kind of type (`u32`, `record`, `own`, ...), for messages.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Val::Bool(_) => "bool",
            Val::S8(_) => "s8",
            Val::U8(_) => "u8",
            Val::S16(_) => "s16",
            Val::U16(_) => "u16",
            Val::S32(_) => "s32",
            Val::U32(_) => "u32",
            Val::S64(_) => "s64",
            Val::U64(_) => "u64",
            Val::F32(_) => "f32",
            Val::F64(_) => "f64",
            Val::Char(_) => "char",
            Val::String(_) => "string",
            Val::List(_) => "list",
            Val::Record(_) => "record",
            Val::Tuple(_) => "tuple",
            Val::Variant(..) => "variant",
            Val::Enum(_) => "enum",
            Val::Option(_) => "option",
            Val::Result(_) => "result",
            Val::Flags(_) => "flags",
            Val::Map(_) => "map",
            Val::Own(_) => "own",
            Val::Borrow(_) => "borrow",
            Val::Future(_) => "future",
            Val::Stream(_) => "stream",
            Val::ErrorContext(_) => "error-context",
        }
    }
}

impl PartialEq for Val {
    fn eq(&self, other: &Val) -> bool {
        match (self, other) {
            (Val::Bool(a), Val::Bool(b)) => a == b,
            (Val::S8(a), Val::S8(b)) => a == b,
            (Val::U8(a), Val::U8(b)) => a == b,
            (Val::S16(a), Val::S16(b)) => a == b,
            (Val::U16(a), Val::U16(b)) => a == b,
            (Val::S32(a), Val::S32(b)) => a == b,
            (Val::U32(a), Val::U32(b)) => a == b,
            (Val::S64(a), Val::S64(b)) => a == b,
            (Val::U64(a), Val::U64(b)) => a == b,
            (Val::F32(a), Val::F32(b)) => (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits(),
            (Val::F64(a), Val::F64(b)) => (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits(),
            (Val::Char(a), Val::Char(b)) => a == b,
            (Val::String(a), Val::String(b)) => a == b,
            (Val::List(a), Val::List(b)) | (Val::Tuple(a), Val::Tuple(b)) => a == b,
            (Val::Record(a), Val::Record(b)) => a == b,
            (Val::Variant(a, x), Val::Variant(b, y)) => a == b && x == y,
            (Val::Enum(a), Val::Enum(b)) => a == b,
            (Val::Option(a), Val::Option(b)) => a == b,
            (Val::Result(a), Val::Result(b)) => a == b,
            (Val::Flags(a), Val::Flags(b)) => a.len() == b.len() && a.iter().all(|name| b.contains(name)),
            (Val::Map(a), Val::Map(b)) => a == b,
            (Val::Own(a), Val::Own(b)) | (Val::Borrow(a), Val::Borrow(b)) => a == b,
            (Val::Future(a), Val::Future(b))
            | (Val::Stream(a), Val::Stream(b))
            | (Val::ErrorContext(a), Val::ErrorContext(b)) => a == b,
            _ => false,
        }
    }
}
