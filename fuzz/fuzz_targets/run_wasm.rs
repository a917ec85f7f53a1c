//! Fuzz target `run_wasm`: the interpreter on arbitrary input, two ways.
//!
//! 1. The bytes drive wasm-smith to a valid module, which runs on `canopy-interp` and on wasmi;
//!    any difference in results, traps, memories or globals is a crash (see
//!    `canopy-interp-oracle`).
//! 2. The same bytes, taken as a module binary, go through the interpreter alone under tight
//!    limits: rejected or run, they must never make it panic.

#![no_main]

mod small_stack;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| small_stack::run(|| body(data)));

/// The target's check of one input (run on a small stack).
fn body(data: &[u8]) {
    if let Err(mismatch) = canopy_interp_oracle::run_case(data) {
        panic!("canopy-interp and wasmi disagree: {mismatch}");
    }
    canopy_interp_oracle::run_hostile(data);
}
