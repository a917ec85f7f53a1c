//! `canopy-interp-oracle`: checks `canopy-interp` against wasmi on generated modules.
//!
//! [`run_case`] turns arbitrary bytes into a valid module with wasm-smith (restricted to the
//! proposals both engines run, SIMD excepted; NaNs canonicalized; every loop and call metered by an
//! injected fuel global so that it terminates), instantiates it on both engines, calls every
//! exported function with arguments drawn from the same bytes, and compares everything
//! observable: results, trap kinds, and after each call the exported memories and globals.
//! [`run_hostile`] feeds raw or mutated bytes to the interpreter alone, under tight limits, for
//! the promise that no input makes it panic. The differential test and the fuzz target both use
//! this crate.

mod canopy_side;
mod compare;
mod generate;
mod hostile;
mod observe;
mod wasmi_side;

pub use compare::{CaseReport, Mismatch, run_case, run_module};
pub use generate::{generate_module, smith_config};
pub use hostile::{HostileReport, run_hostile};
pub use observe::{Observed, TrapClass, Val};
