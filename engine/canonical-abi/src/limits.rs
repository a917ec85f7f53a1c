//! Run-time limits of the Canonical ABI on strings and lists in a 32-bit memory.
//!
//! Lifting a string or a list traps when its byte length passes these bounds. They are low
//! enough that a value which passed them can always be stored again in any other encoding or
//! pointer size without its allocation overflowing a 32-bit `realloc` size: transcoding at
//! most doubles a string's bytes and a wider pointer at most doubles a list's. The tag bit
//! marks a `latin1+utf16` string length as counting UTF-16 code units.

/// Largest byte length of a string that may be lifted, in the encoding it is read in.
pub const MAX_STRING_BYTE_LENGTH: u32 = (1 << 28) - 1;

/// Largest byte length (element count times element size) of a list that may be lifted.
pub const MAX_LIST_BYTE_LENGTH: u32 = (1 << 28) - 1;

/// Largest size a 32-bit `realloc` can be asked for.
pub const REALLOC_I32_MAX: u32 = u32::MAX;

/// The high bit of a `latin1+utf16` string length in a 32-bit memory: set, the rest of the
/// length counts UTF-16 code units; clear, it counts Latin-1 bytes.
pub const UTF16_TAG: u32 = 1 << 31;
