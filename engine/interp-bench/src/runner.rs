//! The adapter trait: everything the tests and benchmarks need from an engine.

use crate::{BenchError, Clock, Value};

/// One instantiated program on one engine, ready to have its exports called repeatedly.
///
/// Every program's exports take number parameters and return exactly one number, so a single
/// dynamic `call` suffices; the cost of converting arguments is negligible next to the programs'
/// run times.
pub trait Runner: Sized {
    /// The engine's name, used as the benchmark id and in errors.
    const NAME: &'static str;

    /// Compiles and instantiates the binary module `wasm`, which imports nothing.
    fn instantiate(wasm: &[u8]) -> Result<Self, BenchError>;

    /// Compiles and instantiates the binary module `wasm`, which may import
    /// `env.clock_ms: () -> i32`; the adapter defines it as a host function reading `clock`.
    ///
    /// The default is for adapters that define no host functions: it fails, saying so, so that a
    /// program needing the clock is reported as not runnable rather than silently left out.
    fn instantiate_with_clock(wasm: &[u8], clock: &Clock) -> Result<Self, BenchError> {
        let _ = (wasm, clock);
        Err(BenchError::new(
            Self::NAME,
            "instantiate",
            "this adapter does not define host functions yet, so the import `env.clock_ms` is missing",
        ))
    }

    /// Calls the exported function `export` with `args` and returns its single result.
    fn call(&mut self, export: &str, args: &[Value]) -> Result<Value, BenchError>;
}
