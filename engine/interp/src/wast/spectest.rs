//! The `spectest` host module that the official test suite imports from.

use crate::module::{GlobalType, Limits32, TableType};
use crate::store::{Extern, HostResult, Linker, Store};
use crate::value::{FuncType, ValType, Value};

/// Defines the `spectest` module (print functions, globals, a table and a memory) in `linker`.
pub fn define_spectest(linker: &mut Linker, store: &mut Store) {
    let prints: [(&str, &[ValType]); 7] = [
        ("print", &[]),
        ("print_i32", &[ValType::I32]),
        ("print_i64", &[ValType::I64]),
        ("print_f32", &[ValType::F32]),
        ("print_f64", &[ValType::F64]),
        ("print_i32_f32", &[ValType::I32, ValType::F32]),
        ("print_f64_f64", &[ValType::F64, ValType::F64]),
    ];
    for (name, params) in prints {
        let ty = FuncType { params: params.to_vec(), results: Vec::new() };
        linker.func(store, "spectest", name, ty, |_, _| HostResult::Return(Vec::new()));
    }
    let globals = [
        ("global_i32", Value::I32(666)),
        ("global_i64", Value::I64(666)),
        ("global_f32", Value::F32(666.6f32.to_bits())),
        ("global_f64", Value::F64(666.6f64.to_bits())),
    ];
    for (name, value) in globals {
        let g = store.new_global(GlobalType { content: value.ty(), mutable: false }, value);
        linker.define("spectest", name, Extern::Global(g));
    }
    let table = TableType { element: ValType::FuncRef, limits: Limits32 { min: 10, max: Some(20) } };
    let t = store.new_table(table, Value::FuncRef(None));
    linker.define("spectest", "table", Extern::Table(t));
    if let Ok(m) = store.new_memory(Limits32 { min: 1, max: Some(2) }) {
        linker.define("spectest", "memory", Extern::Memory(m));
    }
}
