//! Errors from decoding, validating, linking and instantiating modules.

use std::fmt;

/// Why a module could not be created, linked or instantiated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The binary is malformed or invalid (wasmparser's message and byte offset).
    Invalid {
        /// What is wrong.
        message: String,
        /// Byte offset in the module binary.
        offset: u64,
    },
    /// The module is valid WebAssembly but uses a feature this interpreter does not support.
    Unsupported {
        /// Which feature, as reported by validation.
        message: String,
        /// Byte offset in the module binary.
        offset: u64,
    },
    /// An import could not be satisfied.
    Unlinkable(String),
    /// Instantiation failed while initializing tables or memories, or a start function trapped.
    Instantiation(String),
    /// A limit configured in [`crate::Limits`] forbids the module's declarations.
    Limit(String),
    /// Misuse of the embedding API (unknown export, wrong argument types, ...).
    Usage(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid { message, offset } => write!(f, "invalid module at byte {offset:#x}: {message}"),
            Error::Unsupported { message, offset } => {
                write!(f, "unsupported feature at byte {offset:#x}: {message}")
            }
            Error::Unlinkable(m) => write!(f, "unknown import: {m}"),
            Error::Instantiation(m) => write!(f, "instantiation failed: {m}"),
            Error::Limit(m) => write!(f, "limit exceeded: {m}"),
            Error::Usage(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for Error {}
