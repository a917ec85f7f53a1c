//! The engine-neutral values passed to and returned from the programs' exports.

use std::fmt;

/// A core WebAssembly number value, as exchanged with the benchmark programs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// An `i32`.
    I32(i32),
    /// An `i64`.
    I64(i64),
    /// An `f32`.
    F32(f32),
    /// An `f64`.
    F64(f64),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::I32(v) => write!(f, "i32:{v}"),
            Value::I64(v) => write!(f, "i64:{v}"),
            Value::F32(v) => write!(f, "f32:{v}"),
            Value::F64(v) => write!(f, "f64:{v}"),
        }
    }
}
