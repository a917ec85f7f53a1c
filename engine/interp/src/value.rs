//! Runtime values as the embedder sees them, and their value types.
//!
//! Inside the interpreter every value lives in 64-bit stack slots (a `v128` takes two); this
//! module converts between those slots and the typed [`Value`] handed to embedders.

use std::fmt;

/// The type of a core WebAssembly value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValType {
    /// 32-bit integer.
    I32,
    /// 64-bit integer.
    I64,
    /// 32-bit IEEE float.
    F32,
    /// 64-bit IEEE float.
    F64,
    /// 128-bit SIMD vector.
    V128,
    /// Nullable reference to a function.
    FuncRef,
    /// Nullable reference to a host value.
    ExternRef,
}

impl ValType {
    /// Converts a wasmparser value type; `None` for types outside the supported feature set.
    pub(crate) fn from_wasmparser(ty: wasmparser::ValType) -> Option<ValType> {
        use wasmparser::ValType as W;
        Some(match ty {
            W::I32 => ValType::I32,
            W::I64 => ValType::I64,
            W::F32 => ValType::F32,
            W::F64 => ValType::F64,
            W::V128 => ValType::V128,
            W::Ref(r) => ValType::from_ref_type(r)?,
        })
    }

    /// Converts a wasmparser reference type (only `funcref` and `externref` are supported).
    pub(crate) fn from_ref_type(r: wasmparser::RefType) -> Option<ValType> {
        if r == wasmparser::RefType::FUNCREF {
            Some(ValType::FuncRef)
        } else if r == wasmparser::RefType::EXTERNREF {
            Some(ValType::ExternRef)
        } else {
            None
        }
    }

    /// How many 64-bit stack slots a value of this type occupies.
    pub fn slots(self) -> u32 {
        if self == ValType::V128 { 2 } else { 1 }
    }

    /// The zero value (or null reference) of this type.
    pub fn default_value(self) -> Value {
        match self {
            ValType::I32 => Value::I32(0),
            ValType::I64 => Value::I64(0),
            ValType::F32 => Value::F32(0),
            ValType::F64 => Value::F64(0),
            ValType::V128 => Value::V128(0),
            ValType::FuncRef => Value::FuncRef(None),
            ValType::ExternRef => Value::ExternRef(None),
        }
    }
}

impl fmt::Display for ValType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ValType::I32 => "i32",
            ValType::I64 => "i64",
            ValType::F32 => "f32",
            ValType::F64 => "f64",
            ValType::V128 => "v128",
            ValType::FuncRef => "funcref",
            ValType::ExternRef => "externref",
        })
    }
}

/// Identifies a function in a [`crate::Store`] (its address).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FuncAddr(pub u32);

/// A core WebAssembly value. Floats are carried as raw bits so NaN payloads survive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Value {
    /// An `i32`.
    I32(i32),
    /// An `i64`.
    I64(i64),
    /// An `f32`, as its IEEE bits.
    F32(u32),
    /// An `f64`, as its IEEE bits.
    F64(u64),
    /// A `v128`; lane 0 is the least significant bits.
    V128(u128),
    /// A function reference, `None` for null.
    FuncRef(Option<FuncAddr>),
    /// An external reference, `None` for null; the number is chosen by the host.
    ExternRef(Option<u32>),
}

impl Value {
    /// The type of this value.
    pub fn ty(&self) -> ValType {
        match self {
            Value::I32(_) => ValType::I32,
            Value::I64(_) => ValType::I64,
            Value::F32(_) => ValType::F32,
            Value::F64(_) => ValType::F64,
            Value::V128(_) => ValType::V128,
            Value::FuncRef(_) => ValType::FuncRef,
            Value::ExternRef(_) => ValType::ExternRef,
        }
    }

    /// The value's representation as raw bits (low slot first for `v128`).
    pub(crate) fn to_bits(self) -> u128 {
        match self {
            Value::I32(v) => v as u32 as u128,
            Value::I64(v) => v as u64 as u128,
            Value::F32(v) => v as u128,
            Value::F64(v) => v as u128,
            Value::V128(v) => v,
            Value::FuncRef(r) => r.map_or(0, |a| a.0 as u128 + 1),
            Value::ExternRef(r) => r.map_or(0, |a| a as u128 + 1),
        }
    }

    /// Rebuilds a value of type `ty` from raw bits.
    pub(crate) fn from_bits(ty: ValType, bits: u128) -> Value {
        match ty {
            ValType::I32 => Value::I32(bits as u32 as i32),
            ValType::I64 => Value::I64(bits as u64 as i64),
            ValType::F32 => Value::F32(bits as u32),
            ValType::F64 => Value::F64(bits as u64),
            ValType::V128 => Value::V128(bits),
            ValType::FuncRef => Value::FuncRef(if bits == 0 { None } else { Some(FuncAddr(bits as u32 - 1)) }),
            ValType::ExternRef => Value::ExternRef(if bits == 0 { None } else { Some(bits as u32 - 1) }),
        }
    }

    /// Pushes this value's slots onto a slot stack.
    pub(crate) fn push_slots(self, stack: &mut Vec<u64>) {
        let bits = self.to_bits();
        stack.push(bits as u64);
        if self.ty() == ValType::V128 {
            stack.push((bits >> 64) as u64);
        }
    }

    /// Reads a value of type `ty` from `slots` (one or two slots, low first).
    pub(crate) fn from_slots(ty: ValType, slots: &[u64]) -> Value {
        let bits = if ty == ValType::V128 { slots[0] as u128 | ((slots[1] as u128) << 64) } else { slots[0] as u128 };
        Value::from_bits(ty, bits)
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::I32(v) => write!(f, "{v}:i32"),
            Value::I64(v) => write!(f, "{v}:i64"),
            Value::F32(v) => write!(f, "{}:f32", f32::from_bits(*v)),
            Value::F64(v) => write!(f, "{}:f64", f64::from_bits(*v)),
            Value::V128(v) => write!(f, "0x{v:032x}:v128"),
            Value::FuncRef(None) => write!(f, "null:funcref"),
            Value::FuncRef(Some(a)) => write!(f, "func#{}:funcref", a.0),
            Value::ExternRef(None) => write!(f, "null:externref"),
            Value::ExternRef(Some(a)) => write!(f, "{a}:externref"),
        }
    }
}

/// A function signature.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FuncType {
    /// Parameter types.
    pub params: Vec<ValType>,
    /// Result types.
    pub results: Vec<ValType>,
}

impl FuncType {
    /// Total slots taken by the parameters.
    pub(crate) fn param_slots(&self) -> u32 {
        self.params.iter().map(|t| t.slots()).sum()
    }

    /// Total slots taken by the results.
    pub(crate) fn result_slots(&self) -> u32 {
        self.results.iter().map(|t| t.slots()).sum()
    }
}

impl fmt::Display for FuncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |v: &[ValType]| v.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(" ");
        write!(f, "(func (param {}) (result {}))", list(&self.params), list(&self.results))
    }
}
