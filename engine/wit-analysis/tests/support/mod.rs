//! Helpers shared by the generated tests (each test binary uses a part of them).
#![allow(dead_code)]

pub mod rng;
