//! What an engine shows from outside: values and trap classes in one engine-neutral vocabulary.

use std::fmt;

/// A value returned by a call or held by a global. References are compared by null-ness only:
/// the two engines number functions differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Val {
    /// An `i32`.
    I32(i32),
    /// An `i64`.
    I64(i64),
    /// An `f32`, as bits (NaNs are canonicalized by the generator, so bits compare exactly).
    F32(u32),
    /// An `f64`, as bits.
    F64(u64),
    /// A `v128`.
    V128(u128),
    /// A reference; `true` when null.
    Ref {
        /// Whether the reference is null.
        null: bool,
    },
}

/// Why a call trapped, in classes both engines can name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrapClass {
    /// `unreachable` (also how the injected fuel global stops a module).
    Unreachable,
    /// A load, store or bulk memory operation out of bounds.
    MemoryOutOfBounds,
    /// A table access out of bounds (`call_indirect` with an index past the table included).
    TableOutOfBounds,
    /// `call_indirect` or a call through a null element.
    NullReference,
    /// `call_indirect` to a function of another type.
    SignatureMismatch,
    /// Integer division or remainder by zero.
    DivideByZero,
    /// Signed division overflow.
    IntegerOverflow,
    /// A float-to-int conversion of NaN or out of range.
    BadConversion,
    /// A resource limit of the engine: call depth, stack size, memory or table limit. The two
    /// engines have different limits, so this ends a comparison instead of failing it.
    Limit,
    /// Anything else, in the engine's words.
    Other(String),
}

/// What one call did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Observed {
    /// The call returned these values.
    Returned(Vec<Val>),
    /// The call trapped.
    Trapped(TrapClass),
}

impl fmt::Display for Observed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Observed::Returned(values) => write!(f, "returned {values:?}"),
            Observed::Trapped(class) => write!(f, "trapped ({class:?})"),
        }
    }
}

/// The kinds of exports the comparison looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ExportKind {
    Func,
    Memory,
    Global,
    Other,
}

/// One engine with one instantiated module.
pub(crate) trait Engine: Sized {
    /// Compiles and instantiates (running the start function); `Err` with the engine's words.
    fn instantiate(wasm: &[u8]) -> Result<Self, String>;
    /// The instance's exports (in module order where the engine keeps it).
    fn exports(&self) -> Vec<(String, ExportKind)>;
    /// Calls an exported function.
    fn call(&mut self, name: &str, args: &[Val]) -> Observed;
    /// The bytes of an exported memory.
    fn memory(&self, name: &str) -> Option<&[u8]>;
    /// The value of an exported global.
    fn global(&self, name: &str) -> Option<Val>;
}
