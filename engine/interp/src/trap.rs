//! Traps: why execution stopped abnormally, with a wasm backtrace.

use std::fmt;

/// The reason for a trap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrapKind {
    /// `unreachable` was executed.
    Unreachable,
    /// A memory access or bulk memory operation was out of bounds.
    MemoryOutOfBounds,
    /// A table access or bulk table operation was out of bounds.
    TableOutOfBounds,
    /// `call_indirect` with an index beyond the table.
    UndefinedElement,
    /// `call_indirect` through a null entry.
    UninitializedElement,
    /// `call_indirect` to a function of another type.
    IndirectCallTypeMismatch,
    /// Integer division or remainder by zero.
    IntegerDivideByZero,
    /// Signed division overflow or float-to-int conversion out of range.
    IntegerOverflow,
    /// Float-to-int conversion of a NaN.
    InvalidConversionToInteger,
    /// The call depth limit ([`crate::Limits::max_call_depth`]) was reached.
    CallStackExhausted {
        /// The limit: how many frames may be active at once.
        limit: usize,
    },
    /// The value stack limit ([`crate::Limits::max_stack_slots`]) was reached.
    ValueStackExhausted {
        /// The limit, in 64-bit slots.
        limit: usize,
    },
    /// The fuel limit ([`crate::Limits::fuel`]) was used up.
    FuelExhausted {
        /// The limit, in units of fuel: the configured [`crate::Limits::fuel`] (a store
        /// refuelled with [`crate::Store::set_fuel`] is expected to be given the same amount).
        limit: u64,
    },
    /// `memory.grow` beyond [`crate::Limits::max_memory_pages`].
    MemoryLimitExceeded,
    /// `table.grow` beyond [`crate::Limits::max_table_elements`].
    TableLimitExceeded,
    /// A host function reported an error.
    Host(String),
    /// The embedder invoked something wrongly (unknown export, mismatched arguments).
    BadInvocation(String),
}

impl fmt::Display for TrapKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrapKind::Unreachable => f.write_str("unreachable"),
            TrapKind::MemoryOutOfBounds => f.write_str("out of bounds memory access"),
            TrapKind::TableOutOfBounds => f.write_str("out of bounds table access"),
            TrapKind::UndefinedElement => f.write_str("undefined element"),
            TrapKind::UninitializedElement => f.write_str("uninitialized element"),
            TrapKind::IndirectCallTypeMismatch => f.write_str("indirect call type mismatch"),
            TrapKind::IntegerDivideByZero => f.write_str("integer divide by zero"),
            TrapKind::IntegerOverflow => f.write_str("integer overflow"),
            TrapKind::InvalidConversionToInteger => f.write_str("invalid conversion to integer"),
            TrapKind::CallStackExhausted { limit } => {
                write!(f, "call stack exhausted (limit max_call_depth = {limit} frames)")
            }
            TrapKind::ValueStackExhausted { limit } => {
                write!(f, "value stack exhausted (limit max_stack_slots = {limit} slots)")
            }
            TrapKind::FuelExhausted { limit } => write!(f, "fuel exhausted (limit fuel = {limit})"),
            TrapKind::MemoryLimitExceeded => f.write_str("memory size limit exceeded (limit max_memory_pages)"),
            TrapKind::TableLimitExceeded => f.write_str("table size limit exceeded (limit max_table_elements)"),
            TrapKind::Host(m) => write!(f, "host function failed: {m}"),
            TrapKind::BadInvocation(m) => write!(f, "bad invocation: {m}"),
        }
    }
}

/// One frame of a wasm backtrace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameInfo {
    /// Module-level function index.
    pub func_index: u32,
    /// Function name from the name section, if present.
    pub func_name: Option<String>,
    /// Code-section offset of the instruction executing in this frame (the call, for callers).
    pub code_offset: u32,
}

impl fmt::Display for FrameInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.func_name {
            Some(n) => write!(f, "{n} (func {}) at {:#x}", self.func_index, self.code_offset),
            None => write!(f, "func {} at {:#x}", self.func_index, self.code_offset),
        }
    }
}

/// A trap with the wasm frames active when it happened (innermost first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trap {
    /// Why execution trapped.
    pub kind: TrapKind,
    /// Active frames, innermost first.
    pub backtrace: Vec<FrameInfo>,
}

impl Trap {
    /// A trap without frames.
    pub fn new(kind: TrapKind) -> Trap {
        Trap { kind, backtrace: Vec::new() }
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind)?;
        for (i, frame) in self.backtrace.iter().enumerate() {
            write!(f, "\n  {i}: {frame}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Trap {}
