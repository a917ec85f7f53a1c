//! Places inside a value: where a type check failed or a lift or lower trapped.
//!
//! A path is a list of [`PathStep`]s from the outermost value (a parameter or the result of
//! a call) to the one at fault. Errors collect their steps while they travel outwards, so
//! nothing is recorded on the way in and a successful lift or lower pays nothing for it.

use std::fmt;

use crate::types::Name;

/// One step from a value to a value inside it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathStep {
    /// The parameter at this position of a call.
    Param(u32),
    /// The result at this position of a call (a component function has at most one).
    Result(u32),
    /// The record field with this name.
    Field(Name),
    /// The tuple element at this position.
    Item(u32),
    /// The list element at this position.
    Element(u64),
    /// The payload of the variant, option or result case with this name.
    Case(Name),
    /// The key of the map entry at this position.
    Key(u64),
    /// The value of the map entry at this position.
    Value(u64),
}

impl fmt::Display for PathStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathStep::Param(index) => write!(f, "param {index}"),
            PathStep::Result(index) => write!(f, "result {index}"),
            PathStep::Field(name) => write!(f, "field `{name}`"),
            PathStep::Item(index) => write!(f, "tuple item {index}"),
            PathStep::Element(index) => write!(f, "element {index}"),
            PathStep::Case(name) => write!(f, "case `{name}`"),
            PathStep::Key(index) => write!(f, "key of entry {index}"),
            PathStep::Value(index) => write!(f, "value of entry {index}"),
        }
    }
}

/// Writes ` (in param 0 › field `a` › element 3)`, or nothing for an empty path.
pub(crate) fn write_path(f: &mut fmt::Formatter<'_>, path: &[PathStep]) -> fmt::Result {
    for (index, step) in path.iter().enumerate() {
        f.write_str(if index == 0 { " (in " } else { " › " })?;
        write!(f, "{step}")?;
    }
    if !path.is_empty() {
        f.write_str(")")?;
    }
    Ok(())
}
