//! Validation of value types against the Canonical ABI's current restrictions.
//!
//! The specification forbids types without a value-carrying representation: records and
//! tuples without fields, variants and enums without cases, flags without labels and
//! fixed-size lists of length zero. It caps `flags` at 32 labels, and bounds the element
//! size of every type (computed for 64-bit memories) below 2^28 bytes. A runtime that still
//! accepts the pre-cap representation of larger flags validates with
//! [`validate_allowing_large_flags`]. [`layout`] and [`flatten`] still answer for such types
//! (see their modules); this module says what is wrong and where inside the type.
//!
//! [`layout`]: crate::layout()
//! [`flatten`]: crate::flatten()

use std::fmt;

use crate::layout::layout_memory64;
use crate::types::ValType;

/// Largest allowed element size in bytes (measured with 64-bit pointers).
pub const MAX_ELEM_SIZE: u32 = (1 << 28) - 1;
/// Largest allowed number of labels in a `flags` type.
pub const MAX_FLAGS: u32 = 32;

/// One step from a type to a type nested inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PathStep {
    /// The field (record) or element (tuple) at this index.
    Field(u32),
    /// The payload of the case at this index (`option`: `some` is 1; `result`: `ok` is 0,
    /// `error` is 1).
    Case(u32),
    /// The element type of a list.
    Element,
    /// The key type of a map.
    Key,
    /// The value type of a map.
    Value,
}

impl fmt::Display for PathStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathStep::Field(index) => write!(f, "field {index}"),
            PathStep::Case(index) => write!(f, "case {index}"),
            PathStep::Element => f.write_str("element"),
            PathStep::Key => f.write_str("key"),
            PathStep::Value => f.write_str("value"),
        }
    }
}

/// What is wrong with a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AbiErrorKind {
    /// A `record` with no fields.
    EmptyRecord,
    /// A `tuple` with no elements.
    EmptyTuple,
    /// A `variant` with no cases.
    EmptyVariant,
    /// An `enum` with no cases.
    EmptyEnum,
    /// A `flags` type with no labels.
    EmptyFlags,
    /// A `flags` type with more than [`MAX_FLAGS`] labels.
    TooManyFlags(u32),
    /// A fixed-size list of length zero.
    EmptyFixedList,
    /// A type whose element size (with 64-bit pointers) exceeds [`MAX_ELEM_SIZE`]; the size
    /// saturates at `u32::MAX`.
    TooLarge(u32),
}

impl fmt::Display for AbiErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AbiErrorKind::EmptyRecord => f.write_str("a record must have at least one field"),
            AbiErrorKind::EmptyTuple => f.write_str("a tuple must have at least one element"),
            AbiErrorKind::EmptyVariant => f.write_str("a variant must have at least one case"),
            AbiErrorKind::EmptyEnum => f.write_str("an enum must have at least one case"),
            AbiErrorKind::EmptyFlags => f.write_str("a flags type must have at least one label"),
            AbiErrorKind::TooManyFlags(count) => {
                write!(f, "a flags type may have at most {MAX_FLAGS} labels, this one has {count}")
            }
            AbiErrorKind::EmptyFixedList => f.write_str("a fixed-size list must have a length of at least 1"),
            AbiErrorKind::TooLarge(size) => {
                write!(f, "values of this type take {size} bytes, more than the limit of {MAX_ELEM_SIZE}")
            }
        }
    }
}

/// A restriction violated by a type, and where inside the validated type it occurs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AbiError {
    /// Steps from the validated type to the offending nested type (empty: the type itself).
    pub path: Vec<PathStep>,
    /// The violated restriction.
    pub kind: AbiErrorKind,
}

impl fmt::Display for AbiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, step) in self.path.iter().enumerate() {
            f.write_str(if index == 0 { "in " } else { " > " })?;
            write!(f, "{step}")?;
        }
        if !self.path.is_empty() {
            f.write_str(": ")?;
        }
        write!(f, "{}", self.kind)
    }
}

impl std::error::Error for AbiError {}

/// Checks `ty` and everything nested in it against the Canonical ABI's restrictions,
/// reporting the first (outermost, then leftmost) violation.
pub fn validate(ty: &ValType) -> Result<(), AbiError> {
    check_all(ty, MAX_FLAGS)
}

/// Like [`validate`], but lets `flags` types have more than [`MAX_FLAGS`] labels: for a
/// runtime that still lifts and lowers the pre-cap representation of larger flags (one `u32`
/// per 32 labels, see [`crate::layout`]). Every other restriction applies.
pub fn validate_allowing_large_flags(ty: &ValType) -> Result<(), AbiError> {
    check_all(ty, u32::MAX)
}

fn check_all(ty: &ValType, max_flags: u32) -> Result<(), AbiError> {
    let mut path = Vec::new();
    check(ty, max_flags, &mut path).map_err(|kind| AbiError { path, kind })
}

/// Checks one type; on error `path` is left pointing at the offending nested type.
fn check(ty: &ValType, max_flags: u32, path: &mut Vec<PathStep>) -> Result<(), AbiErrorKind> {
    let size = layout_memory64(ty).size;
    if size > MAX_ELEM_SIZE {
        return Err(AbiErrorKind::TooLarge(size));
    }
    let mut nested = |step: PathStep, inner: &ValType| -> Result<(), AbiErrorKind> {
        path.push(step);
        check(inner, max_flags, path)?;
        path.pop();
        Ok(())
    };
    match ty {
        ValType::Bool
        | ValType::S8
        | ValType::U8
        | ValType::S16
        | ValType::U16
        | ValType::S32
        | ValType::U32
        | ValType::S64
        | ValType::U64
        | ValType::F32
        | ValType::F64
        | ValType::Char
        | ValType::String
        | ValType::ErrorContext
        | ValType::Own
        | ValType::Borrow
        | ValType::Future
        | ValType::Stream => Ok(()),
        ValType::List(elem) => nested(PathStep::Element, elem),
        ValType::FixedList(elem, len) => {
            if *len == 0 {
                return Err(AbiErrorKind::EmptyFixedList);
            }
            nested(PathStep::Element, elem)
        }
        ValType::Record(fields) | ValType::Tuple(fields) => {
            if fields.is_empty() {
                let empty =
                    if matches!(ty, ValType::Record(_)) { AbiErrorKind::EmptyRecord } else { AbiErrorKind::EmptyTuple };
                return Err(empty);
            }
            (0u32..).zip(fields).try_for_each(|(index, field)| nested(PathStep::Field(index), field))
        }
        ValType::Variant(cases) => {
            if cases.is_empty() {
                return Err(AbiErrorKind::EmptyVariant);
            }
            (0u32..)
                .zip(cases)
                .filter_map(|(index, case)| Some((index, case.as_ref()?)))
                .try_for_each(|(index, payload)| nested(PathStep::Case(index), payload))
        }
        ValType::Enum(count) => match count {
            0 => Err(AbiErrorKind::EmptyEnum),
            _ => Ok(()),
        },
        ValType::Option(some) => nested(PathStep::Case(1), some),
        ValType::Result { ok, err } => {
            if let Some(ok) = ok {
                nested(PathStep::Case(0), ok)?;
            }
            match err {
                Some(err) => nested(PathStep::Case(1), err),
                None => Ok(()),
            }
        }
        ValType::Flags(count) => match count {
            0 => Err(AbiErrorKind::EmptyFlags),
            _ if *count > max_flags => Err(AbiErrorKind::TooManyFlags(*count)),
            _ => Ok(()),
        },
        ValType::Map(key, value) => {
            nested(PathStep::Key, key)?;
            nested(PathStep::Value, value)
        }
    }
}
