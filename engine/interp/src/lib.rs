//! `canopy-interp`: a stepping interpreter for core WebAssembly.
//!
//! Modules are decoded and validated with wasmparser, and every function body is translated
//! once into a compact internal instruction set ([`code::Instr`]) with resolved branch targets
//! and stack adjustments. Execution uses explicit call frames and a value stack, so a wasm call
//! never recurses on the Rust stack: a [`Thread`] can stop after any instruction (breakpoint,
//! step budget, pending host call) and continue later, and deep recursion ends in a clean
//! "call stack exhausted" trap.
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

pub mod code;
mod config;
mod error;
mod exec;
mod module;
mod numeric;
mod simd;
mod store;
mod translate;
mod trap;
mod value;
pub mod wast;

pub use config::{Config, Engine, Limits};
pub use error::Error;
pub use exec::{Breakpoint, FrameView, HostCallId, Outcome, PauseReason, Thread};
pub use module::{ExternKind, ExternType, GlobalType, ImportDecl, Limits32, Module, TableType};
pub use store::{Caller, Extern, HostFunc, HostResult, Instance, Linker, PAGE_SIZE, Store};
pub use trap::{FrameInfo, Trap, TrapKind};
pub use value::{FuncAddr, FuncType, ValType, Value};
