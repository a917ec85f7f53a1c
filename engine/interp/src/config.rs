//! Engine configuration: the resource limits every store created from an engine enforces.

/// Resource limits; each is enforced with a trap (or instantiation error) naming the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Fuel available to a store; one unit is charged per call and per taken branch.
    /// `None` means unlimited.
    pub fuel: Option<u64>,
    /// Largest size of any memory, in 64 KiB pages.
    pub max_memory_pages: u64,
    /// Largest number of elements of any table.
    pub max_table_elements: u64,
    /// Deepest nesting of active wasm/host calls in one thread.
    pub max_call_depth: usize,
    /// Largest size of a thread's value stack, in 64-bit slots.
    pub max_stack_slots: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            fuel: None,
            max_memory_pages: 65536,
            max_table_elements: 10_000_000,
            max_call_depth: 10_000,
            max_stack_slots: 4 << 20,
        }
    }
}

/// Engine-wide configuration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Config {
    /// Resource limits applied to every store of the engine.
    pub limits: Limits,
}

/// Shared configuration for modules and stores.
#[derive(Debug, Clone, Default)]
pub struct Engine {
    pub(crate) config: Config,
}

impl Engine {
    /// Creates an engine with the given configuration.
    pub fn new(config: Config) -> Engine {
        Engine { config }
    }

    /// The engine's configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }
}
