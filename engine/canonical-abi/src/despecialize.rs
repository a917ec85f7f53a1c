//! Despecialization: the few fundamental shapes every [`ValType`] reduces to.
//!
//! The Canonical ABI defines layout and flattening only for fundamental types; the specialized
//! ones are expansions: `tuple` is a record, `enum`, `option` and `result` are variants, and
//! `map<K, V>` is `list<tuple<K, V>>`. `string` and `flags` keep their own representations.
//! Every scalar (numbers, `char`, and all handle types) is described by its byte width and
//! the core type it flattens to. The views here borrow from the original type, so even an
//! `enum` with millions of cases is despecialized without allocating.

use crate::types::{CoreType, ValType};

/// The fundamental shape of a value type, as used by layout and flattening.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Despecialized<'a> {
    /// A fixed-width value whose alignment equals its size: numbers, `bool`, `char`, and the
    /// 32-bit handles (`own`, `borrow`, `future`, `stream`, `error-context`).
    Scalar {
        /// Width in bytes (1, 2, 4 or 8).
        size: u32,
        /// The core type the value flattens to.
        core: CoreType,
    },
    /// `string`: pointer and byte length.
    String,
    /// `list<T>` or `map<K, V>`: pointer and element count. The element type does not affect
    /// the layout of the list itself.
    List,
    /// `list<T, N>`: `N` inline elements of type `T`.
    FixedList(&'a ValType, u32),
    /// `record` or `tuple`: the field types in order.
    Record(&'a [ValType]),
    /// `variant`, `enum`, `option` or `result`.
    Variant(Cases<'a>),
    /// `flags` with this many labels.
    Flags(u32),
}

/// The cases of a despecialized variant, borrowed from the type they came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cases<'a> {
    /// An explicit `variant`.
    Variant(&'a [Option<ValType>]),
    /// An `enum` with this many payload-less cases.
    Enum(u32),
    /// `option<T>`: cases `none` then `some(T)`.
    Option(&'a ValType),
    /// `result<ok, err>`: cases `ok` then `error`.
    Result(Option<&'a ValType>, Option<&'a ValType>),
}

impl<'a> Cases<'a> {
    /// Number of cases. May be zero only for an (invalid) empty `variant` or `enum`.
    pub fn count(self) -> u32 {
        match self {
            Cases::Variant(cases) => u32::try_from(cases.len()).unwrap_or(u32::MAX),
            Cases::Enum(count) => count,
            Cases::Option(_) | Cases::Result(..) => 2,
        }
    }

    /// The payload of case `index`, or `None` if that case has no payload or does not exist.
    pub fn payload(self, index: u32) -> Option<&'a ValType> {
        match self {
            Cases::Variant(cases) => cases.get(index as usize).and_then(Option::as_ref),
            Cases::Enum(_) => None,
            Cases::Option(some) => (index == 1).then_some(some),
            Cases::Result(ok, err) => match index {
                0 => ok,
                1 => err,
                _ => None,
            },
        }
    }

    /// The payload types of all cases that have one, in case order.
    pub fn payloads(self) -> impl Iterator<Item = &'a ValType> {
        let (variant_cases, fixed): (&'a [Option<ValType>], [Option<&'a ValType>; 2]) = match self {
            Cases::Variant(cases) => (cases, [None, None]),
            Cases::Enum(_) => (&[], [None, None]),
            Cases::Option(some) => (&[], [None, Some(some)]),
            Cases::Result(ok, err) => (&[], [ok, err]),
        };
        variant_cases.iter().filter_map(Option::as_ref).chain(fixed.into_iter().flatten())
    }
}

/// Reduces `ty` to its fundamental shape (the Canonical ABI's `despecialize`, extended to
/// classify scalars by width).
pub fn despecialize(ty: &ValType) -> Despecialized<'_> {
    let scalar = |size, core| Despecialized::Scalar { size, core };
    match ty {
        ValType::Bool | ValType::S8 | ValType::U8 => scalar(1, CoreType::I32),
        ValType::S16 | ValType::U16 => scalar(2, CoreType::I32),
        ValType::S32 | ValType::U32 | ValType::Char => scalar(4, CoreType::I32),
        ValType::S64 | ValType::U64 => scalar(8, CoreType::I64),
        ValType::F32 => scalar(4, CoreType::F32),
        ValType::F64 => scalar(8, CoreType::F64),
        ValType::ErrorContext | ValType::Own | ValType::Borrow | ValType::Future | ValType::Stream => {
            scalar(4, CoreType::I32)
        }
        ValType::String => Despecialized::String,
        ValType::List(_) | ValType::Map(..) => Despecialized::List,
        ValType::FixedList(elem, len) => Despecialized::FixedList(elem, *len),
        ValType::Record(fields) | ValType::Tuple(fields) => Despecialized::Record(fields),
        ValType::Variant(cases) => Despecialized::Variant(Cases::Variant(cases)),
        ValType::Enum(count) => Despecialized::Variant(Cases::Enum(*count)),
        ValType::Option(some) => Despecialized::Variant(Cases::Option(some)),
        ValType::Result { ok, err } => Despecialized::Variant(Cases::Result(ok.as_deref(), err.as_deref())),
        ValType::Flags(count) => Despecialized::Flags(*count),
    }
}
