//! Component values and the Canonical ABI's lifting and lowering: the first layer of
//! Canopy's component runtime.
//!
//! - [`Type`] is a component value type with its names (record fields, variant cases, enum
//!   and flag labels) and resource identities ([`ResourceType`]); [`Type::abi`] gives the
//!   nameless [`ValType`](canopy_canonical_abi::ValType) the `canopy-canonical-abi` crate
//!   computes layouts for.
//! - [`Val`] is the one value type. [`Val::type_check`] says whether a value belongs to a
//!   type, and where it does not.
//! - [`wave`] reads and writes values as WAVE text (the `wasm-wave` crate's traits are
//!   implemented for `Type` and `Val`), including calls such as `greet("world")`.
//! - [`abi`] lifts and lowers values between `Val`s and core values plus linear memory, for
//!   every value type, in all three string encodings, with the flat limits and the spill to
//!   memory, through a small trait the runtime implements ([`abi::Guest`]: memory,
//!   `realloc`, handle tables). This crate does not know the interpreter.
//!
//! The rules are those of `CanonicalABI.md` in the component-model repository, at the
//! revision Canopy tracks. Choices where the spec leaves room, or where this crate is
//! narrower than it:
//!
//! - Floats: lifting canonicalizes every NaN (the spec's `canonicalize_nan32/64`); lowering
//!   stores the canonical NaN for any NaN (the spec allows any NaN, or requires the
//!   canonical one under the deterministic profile).
//! - `bool` lifts as true for any nonzero value; `char` traps on surrogates and past
//!   U+10FFFF; a discriminant past the last case traps; flags ignore the bits past their
//!   labels (the spec's unpacking reads only the labelled bits, it does not trap).
//! - Flags of more than 32 labels, which the current spec rejects at validation, are
//!   accepted and use the layout crate's pre-cap representation (one `u32` per 32 labels,
//!   flattened to one `i32` each). Every other validation rule is enforced before a value is
//!   touched.
//! - Strings: lifting checks the byte length against 2^28 - 1, then alignment, then bounds,
//!   then decodes strictly. Lowering transcodes into the destination encoding with the
//!   spec's allocation sequence, choosing it from [`abi::Options::source_encoding`]; a
//!   `latin1+utf16` source string is taken as Latin-1 when all its code points fit, else as
//!   UTF-16 (the producer's choice is not kept in a `Val`).
//! - Memories are 32-bit; `memory64` is not handled.
//! - Handles are opaque ([`ResourceHandle`], [`AsyncHandle`]): the ownership and borrow
//!   rules live in the runtime's [`abi::Handles`] implementation.
//!
//! - [`runtime`] runs components on `canopy-interp`: [`runtime::Component`] (validated with
//!   wasmparser, from binary or text), [`runtime::Store`] (component instances over one
//!   interpreter store), [`runtime::Linker`] (host functions over `Val`s, other instances'
//!   exports), calls by export path (`f`, `iface#f`) with the export's [`runtime::FuncSig`],
//!   and a stepping call API ([`runtime::Store::start_call`], [`runtime::Store::resume`]).
//!   A lowered import satisfied by another instance's lifted export runs nested on the
//!   caller's interpreter thread, so one frame list spans every instance of a call.
//!   Handle tables (`resources`) follow the spec's own/borrow rules (lend counts, borrow
//!   scopes that end with the call). Nested components are instantiated (with `with`
//!   arguments, outer aliases of modules, components and types, imported core modules and
//!   components). Not yet: component start functions, value imports, the async ABI, import
//!   type checking (subtyping), instance poisoning, aliases of modules and components that
//!   instances export.
//! - [`wast`] runs `.wast` scripts with components (the component half of the interpreter's
//!   script runner).
//!
//! Module map: `types`, `val`, `check` (type checking), `path` (where inside a value),
//! `wave`, `abi`, `resources` (handle tables), `runtime`, `wast` (scripts).

pub mod abi;
mod check;
mod path;
mod resources;
pub mod runtime;
mod types;
mod val;
pub mod wast;
pub mod wave;

pub use check::TypeError;
pub use path::PathStep;
pub use resources::HandleError;
pub use types::{Case, Field, Name, ResourceType, Type};
pub use val::{AsyncHandle, ResourceHandle, Val};
