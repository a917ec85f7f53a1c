//! Core WebAssembly values, and a cursor over the core values of a call.
//!
//! [`CoreVal`] is what flat lifting reads and flat lowering produces: one `i32`, `i64`,
//! `f32` or `f64`, floats kept as their IEEE bits so that no NaN payload is lost on the way.
//! [`CoreValues`] walks a call's core parameters or results; the parameters of a lowered
//! import are read by lifting the arguments and then, when the result spills, by taking the
//! out-pointer from the same cursor, as the Canonical ABI does.

use canopy_canonical_abi::CoreType;

use super::trap::{Trap, TrapKind};

/// A core WebAssembly number value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CoreVal {
    /// An `i32`.
    I32(i32),
    /// An `i64`.
    I64(i64),
    /// An `f32`, as its IEEE bits.
    F32(u32),
    /// An `f64`, as its IEEE bits.
    F64(u64),
}

impl CoreVal {
    /// The core type of this value.
    pub fn ty(self) -> CoreType {
        match self {
            CoreVal::I32(_) => CoreType::I32,
            CoreVal::I64(_) => CoreType::I64,
            CoreVal::F32(_) => CoreType::F32,
            CoreVal::F64(_) => CoreType::F64,
        }
    }

    /// The zero of `ty` (all bits clear).
    pub fn zero(ty: CoreType) -> CoreVal {
        match ty {
            CoreType::I32 => CoreVal::I32(0),
            CoreType::I64 => CoreVal::I64(0),
            CoreType::F32 => CoreVal::F32(0),
            CoreType::F64 => CoreVal::F64(0),
        }
    }

    /// The value's bits, zero-extended to 64.
    pub(crate) fn bits(self) -> u64 {
        match self {
            CoreVal::I32(value) => u64::from(value as u32),
            CoreVal::I64(value) => value as u64,
            CoreVal::F32(bits) => u64::from(bits),
            CoreVal::F64(bits) => bits,
        }
    }

    /// The low 32 bits.
    pub(crate) fn low32(self) -> u32 {
        self.bits() as u32
    }
}

/// A cursor over a sequence of core values, each taken with the type it must have.
#[derive(Debug, Clone)]
pub struct CoreValues<'a> {
    values: &'a [CoreVal],
    next: usize,
}

impl<'a> CoreValues<'a> {
    /// A cursor at the first of `values`.
    pub fn new(values: &'a [CoreVal]) -> CoreValues<'a> {
        CoreValues { values, next: 0 }
    }

    /// How many values have been taken.
    pub fn position(&self) -> usize {
        self.next
    }

    /// The values not taken yet.
    pub fn remaining(&self) -> &'a [CoreVal] {
        &self.values[self.next..]
    }

    /// Takes the next value, which must be of type `want`.
    pub fn next(&mut self, want: CoreType) -> Result<CoreVal, Trap> {
        let position = self.next;
        let Some(&value) = self.values.get(position) else {
            return Err(Trap::new(TrapKind::MissingCoreValue { position, expected: want }));
        };
        if value.ty() != want {
            return Err(Trap::new(TrapKind::CoreValueType { position, expected: want, found: value.ty() }));
        }
        self.next += 1;
        Ok(value)
    }

    /// Takes the next value as an `i32` (reinterpreted as unsigned: pointers, lengths, indices).
    pub fn next_u32(&mut self) -> Result<u32, Trap> {
        self.next(CoreType::I32).map(CoreVal::low32)
    }

    /// Fails unless every value has been taken.
    pub fn finish(&self) -> Result<(), Trap> {
        if self.next == self.values.len() {
            Ok(())
        } else {
            Err(Trap::new(TrapKind::ExtraCoreValues { expected: self.next, found: self.values.len() }))
        }
    }
}
