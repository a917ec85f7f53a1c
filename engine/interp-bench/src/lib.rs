//! CPU-bound WebAssembly programs and the engine adapters that run them, shared by the program tests
//! (`tests/programs.rs`) and the criterion benchmarks (`benches/interp.rs`) that compare
//! `canopy-interp` with wasmi.
//!
//! Most programs are hand-written WebAssembly text checked in under `programs/`; one is C compiled
//! by clang (`programs/c/`), and one is CoreMark, read from `../shared/bench`; see [`Program`].
//! Each engine is one implementation of [`Runner`]. CoreMark imports a clock, [`Clock`].

pub mod canopy_imports;
mod canopy_runner;
mod clock;
mod error;
pub mod instrument;
mod program;
mod runner;
mod value;
mod wasmi_runner;

pub use canopy_runner::{CanopyBreakpointRunner, CanopyRunner};
pub use clock::Clock;
pub use error::BenchError;
pub use program::{COREMARK_STEP_MS, LoadError, NEVER_CALLED, Program, coremark_path};
pub use runner::Runner;
pub use value::Value;
pub use wasmi_runner::WasmiRunner;
