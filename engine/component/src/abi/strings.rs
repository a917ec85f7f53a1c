//! Strings: decoding from guest memory in any encoding, and encoding into it with the
//! Canonical ABI's allocation strategy for every pair of encodings.
//!
//! Lifting reads a pointer and a length in code units. For `latin1+utf16` the length's top
//! bit ([`UTF16_TAG`]) says UTF-16, otherwise Latin-1. The checks come in the spec's order:
//! byte length against [`MAX_STRING_BYTE_LENGTH`], alignment (2 for UTF-16 and for both
//! halves of `latin1+utf16`), bounds; then the bytes must decode (UTF-8 and UTF-16 strictly:
//! no overlong forms, no surrogates; Latin-1 always decodes).
//!
//! Lowering writes a Rust string into the destination encoding. The spec chooses its
//! `realloc` sizes from the encoding the string came from (its "hint"): the source encoding
//! is [`Options::source_encoding`](super::Options::source_encoding), and for a
//! `latin1+utf16` source each string counts as Latin-1 when all its code points are below
//! U+0100, else as UTF-16 (a producer that chose UTF-16 for a Latin-1-only string is seen
//! as Latin-1 here: the bytes written are the same, the sizes asked of `realloc` differ).
//! Each case then follows the spec: a copy when the size is known up front; into UTF-8, an
//! optimistic one-byte-per-unit allocation grown to the worst case at the first non-ASCII
//! code point and shrunk at the end; UTF-8 into UTF-16, a worst-case allocation shrunk at
//! the end; into `latin1+utf16`, Latin-1 until a code point needs UTF-16, then the bytes so
//! far inflated in place. Everything written before a `realloc` call is in memory when the
//! guest's `realloc` runs, as in the spec.

use canopy_canonical_abi::{MAX_STRING_BYTE_LENGTH, UTF16_TAG};

use super::cx::{LiftLower, offset};
use super::guest::Guest;
use super::options::{CodeUnits, StringEncoding};
use super::trap::{PtrSource, Region, Trap, TrapKind};

impl<G: Guest + ?Sized> LiftLower<'_, G> {
    /// Lifts the string of `tagged_units` code units at `ptr`.
    pub(crate) fn load_string(&self, ptr: u32, tagged_units: u32) -> Result<String, Trap> {
        let (encoding, align, bytes) = match self.opts.string_encoding {
            StringEncoding::Utf8 => (CodeUnits::Utf8, 1, u64::from(tagged_units)),
            StringEncoding::Utf16 => (CodeUnits::Utf16, 2, 2 * u64::from(tagged_units)),
            StringEncoding::Latin1Utf16 if tagged_units & UTF16_TAG != 0 => {
                (CodeUnits::Utf16, 2, 2 * u64::from(tagged_units ^ UTF16_TAG))
            }
            StringEncoding::Latin1Utf16 => (CodeUnits::Latin1, 2, u64::from(tagged_units)),
        };
        if bytes > u64::from(MAX_STRING_BYTE_LENGTH) {
            return Err(Trap::new(TrapKind::StringTooLong { encoding, bytes }));
        }
        self.check_range(|| Region::String { encoding, bytes }, ptr, align, bytes, PtrSource::Guest)?;
        // Checked against the limit above, so the length fits a u32.
        let data = self.read(ptr, bytes as u32)?;
        decode(ptr, data, encoding)
    }

    /// Lowers `text` into newly allocated memory; returns the pointer and the (tagged)
    /// length in code units.
    pub(crate) fn store_string(&mut self, text: &str) -> Result<(u32, u32), Trap> {
        let (source, units) = source_units(text, self.opts.source_encoding);
        let source_bytes = units * u64::from(source.unit_size());
        if source_bytes > u64::from(MAX_STRING_BYTE_LENGTH) {
            return Err(Trap::new(TrapKind::StringTooLong { encoding: source, bytes: source_bytes }));
        }
        // At most 2^28 - 1 units: every size below, up to three times that, fits a u32.
        let units = units as u32;
        match (self.opts.string_encoding, source) {
            (StringEncoding::Utf8, CodeUnits::Utf8) => self.copy(text.as_bytes(), 1, CodeUnits::Utf8, units),
            (StringEncoding::Utf8, CodeUnits::Utf16) => self.store_as_utf8(text, units, 3 * units),
            (StringEncoding::Utf8, CodeUnits::Latin1) => self.store_as_utf8(text, units, 2 * units),
            (StringEncoding::Utf16, CodeUnits::Utf8) => self.store_utf8_as_utf16(text, units),
            (StringEncoding::Utf16, CodeUnits::Utf16 | CodeUnits::Latin1) => {
                self.copy(&utf16_bytes(text), 2, CodeUnits::Utf16, units)
            }
            (StringEncoding::Latin1Utf16, _) if self.opts.source_encoding != StringEncoding::Latin1Utf16 => {
                self.store_as_latin1_or_utf16(text, units)
            }
            (StringEncoding::Latin1Utf16, CodeUnits::Latin1) => {
                self.copy(&latin1_bytes(text), 2, CodeUnits::Latin1, units)
            }
            (StringEncoding::Latin1Utf16, _) => {
                let (ptr, units) = self.copy(&utf16_bytes(text), 2, CodeUnits::Utf16, units)?;
                Ok((ptr, units | UTF16_TAG))
            }
        }
    }

    /// Allocates exactly `bytes.len()` bytes and copies them in; the length is `units`.
    fn copy(&mut self, bytes: &[u8], align: u32, encoding: CodeUnits, units: u32) -> Result<(u32, u32), Trap> {
        let size = bytes.len() as u32;
        let ptr = self.allocate(align, size, string_region(encoding, size))?;
        self.write(ptr, bytes)?;
        Ok((ptr, units))
    }

    /// From UTF-16 or Latin-1 (`units` code units) into UTF-8: one byte per unit while the
    /// text is ASCII, then the worst case, then shrunk to fit.
    fn store_as_utf8(&mut self, text: &str, units: u32, worst_case: u32) -> Result<(u32, u32), Trap> {
        let mut ptr = self.allocate(1, units, string_region(CodeUnits::Utf8, units))?;
        let bytes = text.as_bytes();
        let ascii = bytes.iter().take_while(|byte| byte.is_ascii()).count();
        self.write(ptr, &bytes[..ascii])?;
        if ascii == bytes.len() {
            return Ok((ptr, units));
        }
        ptr = self.realloc(ptr, units, 1, worst_case, string_region(CodeUnits::Utf8, worst_case))?;
        self.write(offset(ptr, ascii as u32)?, &bytes[ascii..])?;
        let len = bytes.len() as u32;
        if worst_case > len {
            ptr = self.realloc(ptr, worst_case, 1, len, string_region(CodeUnits::Utf8, len))?;
        }
        Ok((ptr, len))
    }

    /// From UTF-8 (`units` bytes) into UTF-16: two bytes per source byte, then shrunk.
    fn store_utf8_as_utf16(&mut self, text: &str, units: u32) -> Result<(u32, u32), Trap> {
        let worst_case = 2 * units;
        let mut ptr = self.allocate(2, worst_case, string_region(CodeUnits::Utf16, worst_case))?;
        let encoded = utf16_bytes(text);
        self.write(ptr, &encoded)?;
        let len = encoded.len() as u32;
        if len < worst_case {
            ptr = self.realloc(ptr, worst_case, 2, len, string_region(CodeUnits::Utf16, len))?;
        }
        Ok((ptr, len / 2))
    }

    /// From UTF-8 or UTF-16 (`units` code units) into `latin1+utf16`: Latin-1 while every
    /// code point fits, else inflated to UTF-16 in place.
    fn store_as_latin1_or_utf16(&mut self, text: &str, units: u32) -> Result<(u32, u32), Trap> {
        let mut ptr = self.allocate(2, units, string_region(CodeUnits::Latin1, units))?;
        let latin1: Vec<u8> = text.chars().map_while(|c| u8::try_from(c).ok()).collect();
        self.write(ptr, &latin1)?;
        let latin1_len = latin1.len() as u32;
        if latin1.len() == text.chars().count() {
            if latin1_len < units {
                ptr = self.realloc(ptr, units, 2, latin1_len, string_region(CodeUnits::Latin1, latin1_len))?;
            }
            return Ok((ptr, latin1_len));
        }
        let worst_case = 2 * units;
        ptr = self.realloc(ptr, units, 2, worst_case, string_region(CodeUnits::Utf16, worst_case))?;
        // Inflate what is already in memory (the guest's realloc moved it) to UTF-16.
        let inflated: Vec<u8> = self.read(ptr, latin1_len)?.iter().flat_map(|&byte| [byte, 0]).collect();
        self.write(ptr, &inflated)?;
        let encoded = utf16_bytes(text);
        let done = inflated.len();
        self.write(offset(ptr, done as u32)?, &encoded[done..])?;
        let len = encoded.len() as u32;
        if worst_case > len {
            ptr = self.realloc(ptr, worst_case, 2, len, string_region(CodeUnits::Utf16, len))?;
        }
        Ok((ptr, (len / 2) | UTF16_TAG))
    }
}

/// A region-naming closure for a string allocation.
fn string_region(encoding: CodeUnits, bytes: u32) -> impl FnOnce() -> Region {
    move || Region::String { encoding, bytes: u64::from(bytes) }
}

/// The encoding `text` counts as when lowered from `source`, and its length in that
/// encoding's code units.
fn source_units(text: &str, source: StringEncoding) -> (CodeUnits, u64) {
    let utf16_units = || text.encode_utf16().count() as u64;
    match source {
        StringEncoding::Utf8 => (CodeUnits::Utf8, text.len() as u64),
        StringEncoding::Utf16 => (CodeUnits::Utf16, utf16_units()),
        StringEncoding::Latin1Utf16 if text.chars().all(|c| u32::from(c) < 0x100) => {
            (CodeUnits::Latin1, text.chars().count() as u64)
        }
        StringEncoding::Latin1Utf16 => (CodeUnits::Utf16, utf16_units()),
    }
}

/// `text` as little-endian UTF-16.
fn utf16_bytes(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// `text` as Latin-1 (every code point must be below U+0100).
fn latin1_bytes(text: &str) -> Vec<u8> {
    text.chars().map_while(|c| u8::try_from(c).ok()).collect()
}

/// Decodes the string bytes at `ptr`.
fn decode(ptr: u32, data: &[u8], encoding: CodeUnits) -> Result<String, Trap> {
    match encoding {
        CodeUnits::Utf8 => match std::str::from_utf8(data) {
            Ok(text) => Ok(text.to_owned()),
            Err(error) => Err(Trap::new(TrapKind::InvalidUtf8 {
                ptr,
                offset: error.valid_up_to() as u64,
                incomplete: error.error_len().is_none(),
            })),
        },
        CodeUnits::Latin1 => Ok(data.iter().map(|&byte| char::from(byte)).collect()),
        CodeUnits::Utf16 => {
            let units = data.chunks_exact(2).map(|pair| u16::from_le_bytes([pair[0], pair[1]]));
            let mut text = String::with_capacity(data.len() / 2);
            let mut unit = 0u64;
            for decoded in char::decode_utf16(units) {
                match decoded {
                    Ok(c) => {
                        text.push(c);
                        unit += c.len_utf16() as u64;
                    }
                    Err(error) => {
                        let value = error.unpaired_surrogate();
                        return Err(Trap::new(TrapKind::InvalidUtf16 { ptr, unit, value }));
                    }
                }
            }
            Ok(text)
        }
    }
}
