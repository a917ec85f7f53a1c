//! Helpers shared by the generated tests (each test binary uses a part of them).
#![allow(dead_code)]

pub mod deep_inputs;
pub mod rng;
