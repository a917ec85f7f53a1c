//! The Canonical ABI of the WebAssembly Component Model, as static facts about types.
//!
//! Given the shape of a component value type ([`ValType`]) this crate answers how values of
//! that type sit in a 32-bit linear memory ([`layout`]), which core values carry them in
//! registers ([`flatten`]), and what core function type a lifted or lowered component
//! function has, synchronously or asynchronously ([`core_signature`]). [`validate`] reports
//! types the current specification rejects, and [`TypeFacts`]/[`FunctionFacts`] bundle the
//! answers for display (e.g. in editor hovers).
//!
//! Module map: `types` (the type vocabularies), `despecialize` (reduction to fundamental
//! shapes), `layout`, `flatten`, `signature` (`flatten_functype`), `validate`, `facts`,
//! `limits` (the run-time length limits on strings and lists, and the UTF-16 length tag).

mod despecialize;
mod facts;
mod flatten;
mod layout;
mod limits;
mod signature;
mod types;
mod validate;

pub use despecialize::{Cases, Despecialized, despecialize};
pub use facts::{AsyncFunctionFacts, FunctionFacts, TypeFacts};
pub use flatten::{flatten, flatten_types, flatten_types_bounded, join};
pub use layout::{
    Layout, POINTER_SIZE, VariantLayout, align_to, discriminant_size, flags_layout, layout, layout_memory64,
    record_field_offsets, record_layout, variant_layout,
};
pub use limits::{MAX_LIST_BYTE_LENGTH, MAX_STRING_BYTE_LENGTH, REALLOC_I32_MAX, UTF16_TAG};
pub use signature::{
    CallingConvention, Context, CoreSignature, MAX_FLAT_ASYNC_PARAMS, MAX_FLAT_PARAMS, MAX_FLAT_RESULTS,
    callback_signature, core_signature, core_signature_with, task_return_signature,
};
pub use types::{CoreType, ValType};
pub use validate::{
    AbiError, AbiErrorKind, MAX_ELEM_SIZE, MAX_FLAGS, PathStep, validate, validate_allowing_large_flags,
};
