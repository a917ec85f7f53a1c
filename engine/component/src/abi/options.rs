//! The canonical options that shape a lift or a lower: string encoding, memory, realloc.
//!
//! [`Options`] holds the subset of `canonopt` that lifting and lowering single values
//! depends on. Whether a memory and a `realloc` function exist is a flag here; the memory and
//! the function themselves are reached through the [`GuestMemory`](super::GuestMemory) the
//! caller passes. [`CodeUnits`] names the encoding one particular string is in, which for
//! `latin1+utf16` is decided string by string.

use std::fmt;

/// The `string-encoding` canonical option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum StringEncoding {
    /// `utf8` (the default): lengths count bytes.
    #[default]
    Utf8,
    /// `utf16`: little-endian, lengths count 16-bit code units, pointers 2-aligned.
    Utf16,
    /// `latin1+utf16`: each string is either Latin-1 (length counts bytes) or UTF-16 (the
    /// length has [`UTF16_TAG`](canopy_canonical_abi::UTF16_TAG) set and counts code units).
    Latin1Utf16,
}

impl fmt::Display for StringEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StringEncoding::Utf8 => "utf8",
            StringEncoding::Utf16 => "utf16",
            StringEncoding::Latin1Utf16 => "latin1+utf16",
        })
    }
}

/// The encoding of one string's code units in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CodeUnits {
    /// UTF-8 bytes.
    Utf8,
    /// Little-endian UTF-16 code units.
    Utf16,
    /// Latin-1 bytes (one per code point, all below U+0100).
    Latin1,
}

impl CodeUnits {
    /// Bytes per code unit.
    pub fn unit_size(self) -> u32 {
        match self {
            CodeUnits::Utf8 | CodeUnits::Latin1 => 1,
            CodeUnits::Utf16 => 2,
        }
    }
}

impl fmt::Display for CodeUnits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CodeUnits::Utf8 => "utf8",
            CodeUnits::Utf16 => "utf16",
            CodeUnits::Latin1 => "latin1",
        })
    }
}

/// The canonical options of one side of a call, as lifting and lowering values need them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Options {
    /// How strings are encoded in this side's memory.
    pub string_encoding: StringEncoding,
    /// Whether the `memory` option is present. Without it, lifting or lowering anything that
    /// lives in memory (strings, lists, spilled parameters or results) traps.
    pub memory: bool,
    /// Whether the `realloc` option is present. Without it, lowering anything that must be
    /// allocated (strings, lists, spilled parameters) traps.
    pub realloc: bool,
    /// Used only when lowering: the encoding the strings being lowered were lifted from
    /// (the other side's `string-encoding`; `utf8` for values the host made). The Canonical
    /// ABI picks its allocation sizes (the sizes passed to `realloc`) from it.
    pub source_encoding: StringEncoding,
}

impl Options {
    /// Options with a memory and a `realloc`, strings in `encoding`, values from a UTF-8 source.
    pub fn with_memory(encoding: StringEncoding) -> Options {
        Options { string_encoding: encoding, memory: true, realloc: true, source_encoding: StringEncoding::Utf8 }
    }
}
