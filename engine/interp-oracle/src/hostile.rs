//! Hostile input: any bytes through the interpreter alone, under tight limits. The promise is
//! that nothing panics: bad modules are rejected with an error, and anything that validates
//! runs until it finishes, traps or runs out of fuel.

use canopy_interp::{Limits, ValType};

use crate::canopy_side::CanopyInstance;
use crate::observe::{Engine, ExportKind, Observed, Val};

/// What one hostile input did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HostileReport {
    /// The bytes decoded, validated and instantiated.
    pub instantiated: bool,
    /// Exported functions called.
    pub calls: usize,
}

/// Limits small enough that thousands of inputs run in seconds.
fn hostile_limits() -> Limits {
    Limits {
        fuel: Some(50_000),
        max_memory_pages: 64,
        max_table_elements: 10_000,
        max_call_depth: 2_000,
        max_stack_slots: 1 << 16,
    }
}

/// Decodes, instantiates and runs `bytes`: every exported function is called once with zero
/// arguments.
pub fn run_hostile(bytes: &[u8]) -> HostileReport {
    let mut report = HostileReport::default();
    let Ok(mut instance) = CanopyInstance::with_limits(bytes, hostile_limits()) else { return report };
    report.instantiated = true;
    for (name, kind) in instance.exports() {
        if kind != ExportKind::Func {
            continue;
        }
        let zeros: Vec<Val> = instance.param_types(&name).unwrap_or_default().into_iter().map(zero).collect();
        // Returning or trapping are both fine here; panicking is not.
        let _: Observed = instance.call(&name, &zeros);
        report.calls += 1;
    }
    report
}

/// The zero value (or null reference) of a type.
fn zero(ty: ValType) -> Val {
    match ty {
        ValType::I32 => Val::I32(0),
        ValType::I64 => Val::I64(0),
        ValType::F32 => Val::F32(0),
        ValType::F64 => Val::F64(0),
        ValType::V128 => Val::V128(0),
        ValType::FuncRef | ValType::ExternRef => Val::Ref { null: true },
    }
}
