//! The host functions the programs import, defined for canopy-interp. `canopy_runner.rs` calls
//! [`define_imports`] on its linker before instantiating a program that imports a clock.

use canopy_interp::{FuncType, HostResult, Linker, Store, ValType, Value};

use crate::Clock;

/// Defines `env.clock_ms: () -> i32` in `linker` as a host function of `store` that reads `clock`.
pub fn define_imports(linker: &mut Linker, store: &mut Store, clock: &Clock) {
    let clock = clock.clone();
    let ty = FuncType { params: Vec::new(), results: vec![ValType::I32] };
    linker
        .func(store, "env", "clock_ms", ty, move |_caller, _args| HostResult::Return(vec![Value::I32(clock.now_ms())]));
}
