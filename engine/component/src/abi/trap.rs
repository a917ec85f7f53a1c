//! Traps of lifting and lowering: which Canonical ABI rule was broken, and where.
//!
//! A [`Trap`] is a [`TrapKind`] (the rule, with the numbers that broke it) plus the
//! [`PathStep`]s from the parameter or result down to the value at fault. Messages read like
//! "string pointer 0x1001 is not aligned to 2 for utf16 (in param 0 › field `name`)".
//! Traps raised by the runtime's own hooks (handle tables, memory access) are
//! [`TrapKind::Runtime`] with the runtime's message.

use std::fmt;

use canopy_canonical_abi::{AbiError, CoreType, MAX_LIST_BYTE_LENGTH, MAX_STRING_BYTE_LENGTH};

use super::options::CodeUnits;
use crate::check::TypeError;
use crate::path::{PathStep, write_path};

/// A failed lift or lower.
#[derive(Debug, Clone, PartialEq)]
pub struct Trap {
    kind: TrapKind,
    path: Vec<PathStep>,
}

impl Trap {
    /// A trap of this kind at the outermost value.
    pub fn new(kind: TrapKind) -> Trap {
        Trap { kind, path: Vec::new() }
    }

    /// A trap with a message of the runtime's (a handle-table rule, a memory access).
    pub fn runtime(message: impl Into<String>) -> Trap {
        Trap::new(TrapKind::Runtime(message.into()))
    }

    /// The broken rule.
    pub fn kind(&self) -> &TrapKind {
        &self.kind
    }

    /// Where, from the outermost value inwards.
    pub fn path(&self) -> &[PathStep] {
        &self.path
    }

    /// The trap for a value that failed its type check, at the place it failed.
    pub(crate) fn type_mismatch(error: TypeError) -> Trap {
        Trap { kind: TrapKind::TypeMismatch(error.message), path: error.path }
    }

    /// The same trap, one step further out.
    pub(crate) fn at(mut self, step: PathStep) -> Trap {
        self.path.insert(0, step);
        self
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind)?;
        write_path(f, &self.path)
    }
}

impl std::error::Error for Trap {}

/// Who produced a pointer that failed a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PtrSource {
    /// The guest passed or stored it.
    Guest,
    /// The guest's `realloc` returned it.
    Realloc,
}

/// The piece of memory a pointer was meant to address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Region {
    /// The code units of a string.
    String {
        /// The string's encoding.
        encoding: CodeUnits,
        /// Its length in bytes.
        bytes: u64,
    },
    /// The elements of a list.
    List {
        /// Number of elements.
        elements: u64,
        /// The element type, as WIT.
        elem: String,
        /// Total bytes.
        bytes: u64,
    },
    /// Parameters passed through memory as one tuple.
    Params {
        /// The tuple's size.
        bytes: u32,
    },
    /// Results passed through memory as one tuple.
    Results {
        /// The tuple's size.
        bytes: u32,
    },
    /// One value loaded or stored on its own.
    Value {
        /// Its type, as WIT.
        ty: String,
        /// Its size.
        bytes: u32,
    },
}

impl Region {
    /// What the pointer is called: "string", "list", ...
    fn pointer_noun(&self) -> &'static str {
        match self {
            Region::String { .. } => "string",
            Region::List { .. } => "list",
            Region::Params { .. } => "parameter tuple",
            Region::Results { .. } => "result tuple",
            Region::Value { .. } => "value",
        }
    }

    /// The rule a pointer past the end of memory breaks, in the words of the reference tests:
    /// the content of a string or list, or a value or tuple.
    fn out_of_bounds(&self) -> &'static str {
        match self {
            Region::String { .. } => "string content out-of-bounds (string pointer/length out of bounds of memory)",
            Region::List { .. } => "list content out-of-bounds",
            Region::Params { .. } | Region::Results { .. } | Region::Value { .. } => "pointer out-of-bounds",
        }
    }

    /// What the alignment is for: " for utf16", " for elements of u32", ...
    fn alignment_reason(&self) -> String {
        match self {
            Region::String { encoding, .. } => format!(" for {encoding}"),
            Region::List { elem, .. } => format!(" for elements of {elem}"),
            Region::Value { ty, .. } => format!(" for {ty}"),
            Region::Params { .. } | Region::Results { .. } => String::new(),
        }
    }
}

/// Renders the region with its size, e.g. "utf16 string of 10 bytes",
/// "list of 3 elements of u32 (12 bytes)".
impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Region::String { encoding, bytes } => write!(f, "{encoding} string of {bytes} bytes"),
            Region::List { elements, elem, bytes } => {
                write!(f, "list of {elements} elements of {elem} ({bytes} bytes)")
            }
            Region::Params { bytes } => write!(f, "parameter tuple of {bytes} bytes"),
            Region::Results { bytes } => write!(f, "result tuple of {bytes} bytes"),
            Region::Value { ty, bytes } => write!(f, "{ty} value of {bytes} bytes"),
        }
    }
}

/// The rule a lift or lower broke.
#[derive(Debug, Clone, PartialEq)]
pub enum TrapKind {
    /// A pointer is not a multiple of the alignment its target needs.
    Misaligned {
        /// What it points to.
        region: Region,
        /// The pointer.
        ptr: u32,
        /// The alignment needed.
        align: u32,
        /// Where the pointer came from.
        source: PtrSource,
    },
    /// A pointer and size reach past the end of memory.
    OutOfBounds {
        /// What it points to.
        region: Region,
        /// The pointer.
        ptr: u32,
        /// The memory's size in bytes.
        memory_size: u64,
        /// Where the pointer came from.
        source: PtrSource,
    },
    /// A string longer than `MAX_STRING_BYTE_LENGTH` bytes.
    StringTooLong {
        /// Its encoding.
        encoding: CodeUnits,
        /// Its length in bytes.
        bytes: u64,
    },
    /// A list longer than `MAX_LIST_BYTE_LENGTH` bytes.
    ListTooLong {
        /// Number of elements.
        elements: u64,
        /// Bytes per element.
        elem_size: u32,
    },
    /// String bytes that are not UTF-8.
    InvalidUtf8 {
        /// Where the string starts.
        ptr: u32,
        /// Offset of the first invalid byte.
        offset: u64,
        /// The bytes end inside a character (rather than holding an invalid sequence).
        incomplete: bool,
    },
    /// String code units that are not UTF-16 (an unpaired surrogate).
    InvalidUtf16 {
        /// Where the string starts.
        ptr: u32,
        /// Index of the offending code unit.
        unit: u64,
        /// Its value.
        value: u16,
    },
    /// An `i32` that is no Unicode scalar value (a surrogate, or above U+10FFFF).
    InvalidChar(u32),
    /// A variant discriminant without a case.
    InvalidDiscriminant {
        /// The discriminant read.
        value: u32,
        /// The type, outlined.
        ty: String,
        /// How many cases it has.
        cases: u32,
    },
    /// Lifting or lowering needs memory, and the `memory` option is absent.
    MissingMemory,
    /// Lowering needs to allocate, and the `realloc` option is absent.
    MissingRealloc,
    /// A core value of the wrong type where the flattened signature has another.
    CoreValueType {
        /// Index of the core value.
        position: usize,
        /// The type the signature has there.
        expected: CoreType,
        /// The type supplied.
        found: CoreType,
    },
    /// Fewer core values than the flattened signature has.
    MissingCoreValue {
        /// Index of the first missing value.
        position: usize,
        /// The type the signature has there.
        expected: CoreType,
    },
    /// More core values than the flattened signature has.
    ExtraCoreValues {
        /// How many the signature has.
        expected: usize,
        /// How many were supplied.
        found: usize,
    },
    /// A value to lower does not belong to its type (what is wrong; where is the trap's path).
    TypeMismatch(String),
    /// A type the Canonical ABI rejects (an empty record, a type too large, ...).
    InvalidType(AbiError),
    /// A value count that does not match the type count.
    ValueCount {
        /// Number of types.
        expected: usize,
        /// Number of values.
        found: usize,
    },
    /// A trap raised by the runtime's hooks.
    Runtime(String),
}

impl fmt::Display for TrapKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrapKind::Misaligned { region, ptr, align, source: PtrSource::Guest } => write!(
                f,
                "unaligned pointer: {} pointer {ptr:#x} is not aligned to {align}{}",
                region.pointer_noun(),
                region.alignment_reason()
            ),
            TrapKind::Misaligned { region, ptr, align, source: PtrSource::Realloc } => {
                write!(
                    f,
                    "realloc return: result not aligned (an unaligned pointer): realloc returned {ptr:#x} for a \
                     {region}, which is not aligned to {align}"
                )
            }
            TrapKind::OutOfBounds { region, ptr, memory_size, source: PtrSource::Guest } => {
                write!(
                    f,
                    "{}: {region} at {ptr:#x} runs past the end of memory ({memory_size} bytes)",
                    region.out_of_bounds()
                )
            }
            TrapKind::OutOfBounds { region, ptr, memory_size, source: PtrSource::Realloc } => write!(
                f,
                "realloc return: beyond end of memory ({}): realloc returned {ptr:#x} for a {region}, which runs \
                 past the end of memory ({memory_size} bytes)",
                region.out_of_bounds()
            ),
            TrapKind::StringTooLong { encoding, bytes } => write!(
                f,
                "{encoding} string of {bytes} bytes is longer than the limit of {MAX_STRING_BYTE_LENGTH} bytes"
            ),
            TrapKind::ListTooLong { elements, elem_size } => write!(
                f,
                "list of {elements} elements of {elem_size} bytes is longer than the limit of {MAX_LIST_BYTE_LENGTH} bytes"
            ),
            TrapKind::InvalidUtf8 { ptr, offset, incomplete: true } => {
                write!(
                    f,
                    "incomplete utf-8 byte sequence: the string at {ptr:#x} ends inside a character at byte {offset}"
                )
            }
            TrapKind::InvalidUtf8 { ptr, offset, incomplete: false } => {
                write!(f, "invalid utf-8: the string at {ptr:#x} has an invalid byte sequence at byte {offset}")
            }
            TrapKind::InvalidUtf16 { ptr, unit, value } => {
                write!(
                    f,
                    "invalid UTF-16 in the string at {ptr:#x}: unpaired surrogate {value:#06x} at code unit {unit}"
                )
            }
            TrapKind::InvalidChar(value) if (0xd800..=0xdfff).contains(value) => {
                write!(f, "invalid `char` bit pattern {value:#x}: a surrogate is not a Unicode scalar value")
            }
            TrapKind::InvalidChar(value) => write!(f, "invalid `char` bit pattern {value:#x}: beyond 0x10ffff"),
            TrapKind::InvalidDiscriminant { value, ty, cases } => {
                write!(f, "invalid variant discriminant {value}: out of range for {ty} ({cases} cases)")
            }
            TrapKind::MissingMemory => {
                f.write_str("this value lives in linear memory, but the `memory` option is absent")
            }
            TrapKind::MissingRealloc => {
                f.write_str("lowering this value allocates, but the `realloc` option is absent")
            }
            TrapKind::CoreValueType { position, expected, found } => {
                write!(f, "core value {position} is {found} where the flattened signature has {expected}")
            }
            TrapKind::MissingCoreValue { position, expected } => {
                write!(f, "core value {position} ({expected}) is missing")
            }
            TrapKind::ExtraCoreValues { expected, found } => {
                write!(f, "{found} core values given where the flattened signature has {expected}")
            }
            TrapKind::TypeMismatch(message) => write!(f, "value does not match its type: {message}"),
            TrapKind::InvalidType(error) => write!(f, "type rejected by the Canonical ABI: {error}"),
            TrapKind::ValueCount { expected, found } => write!(f, "{found} values given for {expected} types"),
            TrapKind::Runtime(message) => f.write_str(message),
        }
    }
}
