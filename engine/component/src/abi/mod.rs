//! The Canonical ABI's lifting and lowering of component values.
//!
//! Lifting turns core values and linear memory into [`Val`](crate::Val)s; lowering turns
//! `Val`s into core values and memory. Everything runs in a [`LiftLower`] context: a
//! [`Guest`] (memory, `realloc`, handle tables, implemented by the runtime) and the
//! [`Options`] of that side of the call. The entry points are in `values`; the layout facts
//! come from `canopy-canonical-abi` through `plan`.
//!
//! Module map: `options` (string encoding, memory and realloc flags), `core_val` (core values
//! and a cursor over them), `trap` (what went wrong, and where), `guest` (the runtime's
//! traits), `nan` (the canonical NaN), `plan` (types annotated with their layout), `cx` (the
//! context and its checked memory access), `convert` (case indices, flag bits), `strings`
//! (decoding and transcoding), `load` and `store` (memory), `flat` (core values), `values`
//! (parameters and results, and single values).

mod convert;
mod core_val;
mod cx;
mod flat;
mod guest;
mod load;
mod nan;
mod options;
mod plan;
mod store;
mod strings;
mod trap;
mod values;

pub use canopy_canonical_abi::{MAX_FLAT_ASYNC_PARAMS, MAX_FLAT_PARAMS, MAX_FLAT_RESULTS};
pub use core_val::{CoreVal, CoreValues};
pub use cx::LiftLower;
pub use guest::{Guest, GuestMemory, Handles};
pub use nan::{CANONICAL_F32_NAN, CANONICAL_F64_NAN};
pub(crate) use nan::{canonical_f32, canonical_f64};
pub use options::{CodeUnits, Options, StringEncoding};
pub use trap::{PtrSource, Region, Trap, TrapKind};
pub use values::Role;
