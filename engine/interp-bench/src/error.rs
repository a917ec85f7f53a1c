//! The error type of the adapters: which engine failed, at which step, and why.

use std::fmt;

/// A failure to compile, instantiate or run a program on one engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenchError {
    /// The engine that reported the failure (see [`crate::Runner::NAME`]).
    pub engine: &'static str,
    /// What was being done, e.g. `"instantiate"` or `"call run"`.
    pub step: String,
    /// The engine's own description of the failure.
    pub message: String,
}

impl BenchError {
    /// Creates an error of `engine` during `step` described by `message`.
    pub fn new(engine: &'static str, step: impl Into<String>, message: impl fmt::Display) -> Self {
        BenchError { engine, step: step.into(), message: message.to_string() }
    }
}

impl fmt::Display for BenchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.engine, self.step, self.message)
    }
}

impl std::error::Error for BenchError {}
