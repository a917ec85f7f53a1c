//! Property tests over random types and values: lowering then lifting gives the value back,
//! through memory and through flat values, in every string encoding and from every source
//! encoding; and hostile input (random memory, core values, realloc results) ends in a value
//! or a trap, never a panic.

#[path = "../support/gen.rs"]
mod generate;
#[path = "../support/mod.rs"]
mod support;

mod hostile;
mod roundtrip;
