//! Lifting and lowering against hand-computed expectations: byte layouts, flat values and
//! variant joins, strings in every encoding pair, the spill of parameters and results, and
//! one trap per Canonical ABI rule.

#[path = "../support/mod.rs"]
mod support;

mod calls;
mod every_kind;
mod flat;
mod layout;
mod strings;
mod traps;
