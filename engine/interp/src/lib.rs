//! `canopy-interp`: a stepping interpreter for core WebAssembly.
//!
//! Modules are decoded and validated with wasmparser, and every function body is translated
//! into a register form over frame slots (see the `code` module): operands are fixed slots,
//! constants immediates, tests and branches fused. Execution uses explicit call frames over one
//! slot stack, so a wasm call never recurses on the Rust stack: a [`Thread`] can stop before
//! any wasm instruction (breakpoint, step budget, frame depth, pending host call) and continue
//! later, and deep recursion ends in a clean "call stack exhausted" trap. The public API speaks
//! wasm terms only: function addresses, code-section offsets, typed values.
//!
//! ```
//! use canopy_interp::{Engine, Linker, Module, Store, Value};
//! let engine = Engine::default();
//! let module = Module::from_text(&engine, r#"(module (func (export "add") (param i32 i32) (result i32)
//!     local.get 0 local.get 1 i32.add))"#).unwrap();
//! let mut store = Store::new(&engine);
//! let instance = Linker::new().instantiate(&mut store, &module).unwrap();
//! let results = store.invoke(instance, "add", &[Value::I32(2), Value::I32(3)]).unwrap();
//! assert_eq!(results, vec![Value::I32(5)]);
//! ```
//!
//! Supported: WebAssembly 2.0 (MVP, multi-value, sign extension, non-trapping float-to-int,
//! bulk memory, reference types, multiple tables, SIMD), tail calls and extended constant
//! expressions. Other proposals are rejected with [`Error::Unsupported`].

mod code;
mod complete;
mod config;
mod error;
mod exec;
mod module;
mod numeric;
mod rare;
mod raw;
mod simd;
mod store;
mod threaded;
mod translate;
mod trap;
mod value;
pub mod wast;
mod watchdog;

pub use config::{Config, Engine, Limits};
pub use error::Error;
pub use exec::{FrameView, HostCallId, HostCompletion, Outcome, PauseReason, RunUntil, Thread, ThreadState};
pub use module::{ExternKind, ExternType, GlobalType, ImportDecl, Limits32, Module, TableType};
pub use store::{
    Breakpoint, Caller, Extern, HostFunc, HostResult, Instance, Linker, OutOfBounds, PAGE_SIZE, Store, Unstarted,
};
pub use trap::{FrameInfo, Trap, TrapKind};
pub use value::{FuncAddr, FuncType, ValType, Value};
pub use watchdog::Watchdog;
