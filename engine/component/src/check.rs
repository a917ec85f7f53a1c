//! Type checking of values: does a [`Val`] belong to a [`Type`]?
//!
//! A value belongs to a type when it has the type's kind and everything inside it belongs to
//! the nested types: integers of the right width, a fixed-size list of exactly its length,
//! every record field in the type's order with the type's names, a variant or enum case the
//! type has (with a payload exactly when the case has one), and flags the type names, each at
//! most once. Handles cannot be checked here beyond their kind: what they point to is known
//! only to the runtime that lowers them.

use std::fmt;

use crate::path::{PathStep, write_path};
use crate::types::{Case, Name, Type};
use crate::val::Val;

/// Why a value does not belong to a type, and where inside the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeError {
    /// Steps from the checked value to the offending one (empty: the value itself).
    pub path: Vec<PathStep>,
    /// What is wrong, e.g. "expected u32, found string".
    pub message: String,
}

impl TypeError {
    fn new(message: String) -> TypeError {
        TypeError { path: Vec::new(), message }
    }

    /// "expected T, found a K value".
    pub(crate) fn mismatch(ty: &Type, val: &Val) -> TypeError {
        TypeError::new(format!("expected {ty}, found a {} value", val.kind_name()))
    }

    pub(crate) fn at(mut self, step: PathStep) -> TypeError {
        self.path.insert(0, step);
        self
    }
}

impl fmt::Display for TypeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        write_path(f, &self.path)
    }
}

impl std::error::Error for TypeError {}

impl Val {
    /// Checks that this value belongs to `ty`.
    pub fn type_check(&self, ty: &Type) -> Result<(), TypeError> {
        check(self, ty)
    }
}

fn check(val: &Val, ty: &Type) -> Result<(), TypeError> {
    match (ty, val) {
        (Type::Bool, Val::Bool(_))
        | (Type::S8, Val::S8(_))
        | (Type::U8, Val::U8(_))
        | (Type::S16, Val::S16(_))
        | (Type::U16, Val::U16(_))
        | (Type::S32, Val::S32(_))
        | (Type::U32, Val::U32(_))
        | (Type::S64, Val::S64(_))
        | (Type::U64, Val::U64(_))
        | (Type::F32, Val::F32(_))
        | (Type::F64, Val::F64(_))
        | (Type::Char, Val::Char(_))
        | (Type::String, Val::String(_))
        | (Type::Own(_), Val::Own(_))
        | (Type::Borrow(_), Val::Borrow(_))
        | (Type::Future(_), Val::Future(_))
        | (Type::Stream(_), Val::Stream(_))
        | (Type::ErrorContext, Val::ErrorContext(_)) => Ok(()),
        (Type::List(elem), Val::List(items)) => check_elements(items, elem),
        (Type::FixedList(elem, len), Val::List(items)) => {
            if items.len() != *len as usize {
                return Err(TypeError::new(format!(
                    "expected {len} elements for {ty}, found a list of {}",
                    items.len()
                )));
            }
            check_elements(items, elem)
        }
        (Type::Record(fields), Val::Record(values)) => {
            if fields.len() != values.len() {
                return Err(TypeError::new(format!(
                    "expected {} fields for {ty}, found a record of {}",
                    fields.len(),
                    values.len()
                )));
            }
            for (field, (name, value)) in fields.iter().zip(values) {
                if field.name != *name {
                    return Err(TypeError::new(format!(
                        "expected field `{}` of {ty}, found field `{name}`",
                        field.name
                    )));
                }
                check(value, &field.ty).map_err(|error| error.at(PathStep::Field(name.clone())))?;
            }
            Ok(())
        }
        (Type::Tuple(types), Val::Tuple(items)) => {
            if types.len() != items.len() {
                return Err(TypeError::new(format!(
                    "expected {} items for {ty}, found a tuple of {}",
                    types.len(),
                    items.len()
                )));
            }
            (0u32..)
                .zip(types.iter().zip(items))
                .try_for_each(|(index, (ty, item))| check(item, ty).map_err(|error| error.at(PathStep::Item(index))))
        }
        (Type::Variant(cases), Val::Variant(name, payload)) => {
            let case = find_case(cases, name).ok_or_else(|| unknown_case(ty, name))?;
            check_payload(ty, name, case.ty.as_ref(), payload.as_deref())
        }
        (Type::Enum(names), Val::Enum(name)) => {
            if names.contains(name) {
                Ok(())
            } else {
                Err(unknown_case(ty, name))
            }
        }
        (Type::Option(some), Val::Option(payload)) => match payload {
            Some(payload) => check(payload, some).map_err(|error| error.at(PathStep::Case("some".into()))),
            None => Ok(()),
        },
        (Type::Result { ok, err }, Val::Result(value)) => match value {
            Ok(payload) => check_payload(ty, &"ok".into(), ok.as_deref(), payload.as_deref()),
            Err(payload) => check_payload(ty, &"err".into(), err.as_deref(), payload.as_deref()),
        },
        (Type::Flags(names), Val::Flags(set)) => {
            for (index, name) in set.iter().enumerate() {
                if !names.contains(name) {
                    return Err(TypeError::new(format!("{ty} has no flag `{name}`")));
                }
                if set[..index].contains(name) {
                    return Err(TypeError::new(format!("flag `{name}` is set twice")));
                }
            }
            Ok(())
        }
        (Type::Map(key_ty, value_ty), Val::Map(entries)) => {
            (0u64..).zip(entries).try_for_each(|(index, (key, value))| {
                check(key, key_ty).map_err(|error| error.at(PathStep::Key(index)))?;
                check(value, value_ty).map_err(|error| error.at(PathStep::Value(index)))
            })
        }
        _ => Err(TypeError::mismatch(ty, val)),
    }
}

fn check_elements(items: &[Val], elem: &Type) -> Result<(), TypeError> {
    (0u64..)
        .zip(items)
        .try_for_each(|(index, item)| check(item, elem).map_err(|error| error.at(PathStep::Element(index))))
}

/// The case of `cases` named `name`.
pub(crate) fn find_case<'a>(cases: &'a [Case], name: &str) -> Option<&'a Case> {
    cases.iter().find(|case| &*case.name == name)
}

fn unknown_case(ty: &Type, name: &Name) -> TypeError {
    TypeError::new(format!("{ty} has no case `{name}`"))
}

fn check_payload(ty: &Type, case: &Name, expected: Option<&Type>, payload: Option<&Val>) -> Result<(), TypeError> {
    match (expected, payload) {
        (Some(expected), Some(payload)) => {
            check(payload, expected).map_err(|error| error.at(PathStep::Case(case.clone())))
        }
        (None, None) => Ok(()),
        (Some(expected), None) => {
            Err(TypeError::new(format!("case `{case}` of {ty} carries a {expected}, but the value has no payload")))
        }
        (None, Some(_)) => Err(TypeError::new(format!("case `{case}` of {ty} has no payload, but the value has one"))),
    }
}
