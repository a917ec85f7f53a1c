//! The adapter trait: everything the tests and benchmarks need from an engine.

use crate::{BenchError, Value};

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

    /// Calls the exported function `export` with `args` and returns its single result.
    fn call(&mut self, export: &str, args: &[Value]) -> Result<Value, BenchError>;
}
