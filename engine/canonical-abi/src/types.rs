//! Component value types and core WebAssembly value types as the Canonical ABI sees them.
//!
//! Owns [`ValType`] (the shape of a component-level value, stripped of names: only what
//! influences memory layout and flattening is kept), [`CoreType`] (the four core number types
//! values are flattened into) and their textual renderings.

use std::fmt;

/// A component-level value type, reduced to what the Canonical ABI needs.
///
/// Names of fields, cases and flags are dropped: records keep their field types in order,
/// variants keep one optional payload per case, enums and flags keep their label count.
/// Resource handles and async handles (`own`, `borrow`, `future`, `stream`, `error-context`)
/// are all 32-bit table indices, so their pointee types are not needed either.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ValType {
    /// `bool`: one byte in memory, `i32` when flattened.
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
    /// `char`: a Unicode scalar value stored in four bytes.
    Char,
    /// `string`: a pointer and a byte length.
    String,
    /// `error-context`: a handle.
    ErrorContext,
    /// `list<T>`: a pointer and an element count.
    List(Box<ValType>),
    /// `list<T, N>`: `N` elements stored inline.
    FixedList(Box<ValType>, u32),
    /// `record { ... }`: the field types in declaration order.
    Record(Vec<ValType>),
    /// `tuple<...>`: laid out exactly like a record with the same field types.
    Tuple(Vec<ValType>),
    /// `variant { ... }`: one entry per case, `None` for a case without payload.
    Variant(Vec<Option<ValType>>),
    /// `enum { ... }` with this many cases: a variant whose cases carry no payload.
    Enum(u32),
    /// `option<T>`: a variant `none | some(T)`.
    Option(Box<ValType>),
    /// `result<ok, err>`: a variant `ok(ok?) | error(err?)`.
    Result {
        /// Payload of the `ok` case, if any.
        ok: Option<Box<ValType>>,
        /// Payload of the `error` case, if any.
        err: Option<Box<ValType>>,
    },
    /// `flags { ... }` with this many labels: a packed bit vector.
    Flags(u32),
    /// `own<R>`: a resource handle.
    Own,
    /// `borrow<R>`: a borrowed resource handle.
    Borrow,
    /// `future<T>`: a handle to the readable end of a future.
    Future,
    /// `stream<T>`: a handle to the readable end of a stream.
    Stream,
    /// `map<K, V>`: the Canonical ABI represents it as `list<tuple<K, V>>`.
    Map(Box<ValType>, Box<ValType>),
}

/// One of the core WebAssembly number types component values are flattened into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CoreType {
    /// 32-bit integer (also used for pointers and lengths of 32-bit memories).
    I32,
    /// 64-bit integer.
    I64,
    /// 32-bit float.
    F32,
    /// 64-bit float.
    F64,
}

impl CoreType {
    /// The core WebAssembly text-format keyword (`i32`, `i64`, `f32`, `f64`).
    pub fn keyword(self) -> &'static str {
        match self {
            CoreType::I32 => "i32",
            CoreType::I64 => "i64",
            CoreType::F32 => "f32",
            CoreType::F64 => "f64",
        }
    }
}

impl fmt::Display for CoreType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

/// Renders the type in WIT-like syntax. Names are not kept, so records and variants print
/// their positional structure (`record { u32, string }`, `variant { _, u8 }`) and enums and
/// flags print their label counts (`enum(3)`, `flags(5)`).
impl fmt::Display for ValType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValType::Bool => f.write_str("bool"),
            ValType::S8 => f.write_str("s8"),
            ValType::U8 => f.write_str("u8"),
            ValType::S16 => f.write_str("s16"),
            ValType::U16 => f.write_str("u16"),
            ValType::S32 => f.write_str("s32"),
            ValType::U32 => f.write_str("u32"),
            ValType::S64 => f.write_str("s64"),
            ValType::U64 => f.write_str("u64"),
            ValType::F32 => f.write_str("f32"),
            ValType::F64 => f.write_str("f64"),
            ValType::Char => f.write_str("char"),
            ValType::String => f.write_str("string"),
            ValType::ErrorContext => f.write_str("error-context"),
            ValType::List(elem) => write!(f, "list<{elem}>"),
            ValType::FixedList(elem, len) => write!(f, "list<{elem}, {len}>"),
            ValType::Record(fields) => {
                f.write_str("record { ")?;
                write_separated(f, fields.iter())?;
                f.write_str(" }")
            }
            ValType::Tuple(items) => {
                f.write_str("tuple<")?;
                write_separated(f, items.iter())?;
                f.write_str(">")
            }
            ValType::Variant(cases) => {
                f.write_str("variant { ")?;
                for (index, case) in cases.iter().enumerate() {
                    if index > 0 {
                        f.write_str(", ")?;
                    }
                    match case {
                        Some(payload) => write!(f, "{payload}")?,
                        None => f.write_str("_")?,
                    }
                }
                f.write_str(" }")
            }
            ValType::Enum(count) => write!(f, "enum({count})"),
            ValType::Option(payload) => write!(f, "option<{payload}>"),
            ValType::Result { ok, err } => match (ok, err) {
                (None, None) => f.write_str("result"),
                (Some(ok), None) => write!(f, "result<{ok}>"),
                (None, Some(err)) => write!(f, "result<_, {err}>"),
                (Some(ok), Some(err)) => write!(f, "result<{ok}, {err}>"),
            },
            ValType::Flags(count) => write!(f, "flags({count})"),
            ValType::Own => f.write_str("own"),
            ValType::Borrow => f.write_str("borrow"),
            ValType::Future => f.write_str("future"),
            ValType::Stream => f.write_str("stream"),
            ValType::Map(key, value) => write!(f, "map<{key}, {value}>"),
        }
    }
}

fn write_separated<'a>(f: &mut fmt::Formatter<'_>, items: impl Iterator<Item = &'a ValType>) -> fmt::Result {
    for (index, item) in items.enumerate() {
        if index > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{item}")?;
    }
    Ok(())
}
