//! Byte-level halves of the SIMD memory instructions: turning the bytes a load read into a vector
//! and picking the bytes a lane store writes. Address computation and bounds checks belong to the
//! interpreter.

use crate::LoadKind;
use crate::lanes::{from_fn, get, set, splat};

/// Reads `bytes` as a little-endian integer of `width` bytes; missing bytes read as zero and
/// extra bytes are ignored.
fn read_le(bytes: &[u8], width: usize) -> u128 {
    bytes.iter().take(width.min(16)).enumerate().fold(0, |acc, (i, &byte)| acc | (u128::from(byte) << (8 * i)))
}

/// The vector a `v128.load*` of `kind` produces from the bytes it read.
///
/// `bytes` should hold exactly `kind.width()` bytes; missing bytes read as zero and extra bytes
/// are ignored, so the function never panics.
pub fn load_from_bytes(kind: LoadKind, bytes: &[u8]) -> u128 {
    let raw = read_le(bytes, kind.width());
    match kind {
        LoadKind::V128 | LoadKind::Zero32 | LoadKind::Zero64 => raw,
        LoadKind::Extend8x8S => from_fn::<i16>(|i| i16::from(get::<i8>(raw, i))),
        LoadKind::Extend8x8U => from_fn::<u16>(|i| u16::from(get::<u8>(raw, i))),
        LoadKind::Extend16x4S => from_fn::<i32>(|i| i32::from(get::<i16>(raw, i))),
        LoadKind::Extend16x4U => from_fn::<u32>(|i| u32::from(get::<u16>(raw, i))),
        LoadKind::Extend32x2S => from_fn::<i64>(|i| i64::from(get::<i32>(raw, i))),
        LoadKind::Extend32x2U => from_fn::<u64>(|i| u64::from(get::<u32>(raw, i))),
        LoadKind::Splat8 => splat(raw as u8),
        LoadKind::Splat16 => splat(raw as u16),
        LoadKind::Splat32 => splat(raw as u32),
        LoadKind::Splat64 => splat(raw as u64),
    }
}

/// `v128.loadN_lane`: `v` with its `bytes.len()`-byte lane `lane` replaced by `bytes`
/// (little-endian). Widths other than 1, 2, 4 and 8 leave `v` unchanged; the lane index is taken
/// modulo the lane count.
pub fn replace_lane_bytes(v: u128, bytes: &[u8], lane: u8) -> u128 {
    let raw = read_le(bytes, bytes.len());
    let lane = usize::from(lane);
    match bytes.len() {
        1 => set::<u8>(v, lane, raw as u8),
        2 => set::<u16>(v, lane, raw as u16),
        4 => set::<u32>(v, lane, raw as u32),
        8 => set::<u64>(v, lane, raw as u64),
        _ => v,
    }
}

/// `v128.storeN_lane`: the little-endian bytes of `v`'s `bytes`-byte lane `lane`; the first
/// `bytes` entries are valid, the rest are zero. Widths other than 1, 2, 4 and 8 give all zeros;
/// the lane index is taken modulo the lane count.
pub fn lane_bytes(v: u128, bytes: u8, lane: u8) -> [u8; 8] {
    let lane = usize::from(lane);
    let value = match bytes {
        1 => u64::from(get::<u8>(v, lane)),
        2 => u64::from(get::<u16>(v, lane)),
        4 => u64::from(get::<u32>(v, lane)),
        8 => get::<u64>(v, lane),
        _ => 0,
    };
    value.to_le_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BYTES: [u8; 16] = [0x80, 0x01, 0xff, 0x7f, 0x00, 0x90, 0x12, 0x34, 9, 10, 11, 12, 13, 14, 15, 16];

    #[test]
    fn widths_match_the_instructions() {
        assert_eq!(LoadKind::V128.width(), 16);
        assert_eq!(LoadKind::Extend16x4U.width(), 8);
        assert_eq!(LoadKind::Splat16.width(), 2);
        assert_eq!(LoadKind::Zero32.width(), 4);
    }

    #[test]
    fn plain_and_zero_loads() {
        assert_eq!(load_from_bytes(LoadKind::V128, &BYTES), u128::from_le_bytes(BYTES));
        assert_eq!(load_from_bytes(LoadKind::Zero32, &BYTES[..4]), 0x7fff_0180);
        assert_eq!(load_from_bytes(LoadKind::Zero64, &BYTES[..8]), 0x3412_9000_7fff_0180);
    }

    #[test]
    fn extending_loads() {
        let v = load_from_bytes(LoadKind::Extend8x8S, &BYTES[..8]);
        assert_eq!((get::<i16>(v, 0), get::<i16>(v, 2), get::<i16>(v, 7)), (-128, -1, 0x34));
        let v = load_from_bytes(LoadKind::Extend8x8U, &BYTES[..8]);
        assert_eq!((get::<u16>(v, 0), get::<u16>(v, 2)), (0x80, 0xff));
        let v = load_from_bytes(LoadKind::Extend16x4S, &BYTES[..8]);
        assert_eq!((get::<i32>(v, 0), get::<i32>(v, 2)), (0x0180, -28672));
        let v = load_from_bytes(LoadKind::Extend32x2U, &BYTES[..8]);
        assert_eq!(get::<u64>(v, 1), 0x3412_9000);
        let v = load_from_bytes(LoadKind::Extend32x2S, &[0, 0, 0, 0x80, 1, 0, 0, 0]);
        assert_eq!((get::<i64>(v, 0), get::<i64>(v, 1)), (-(1 << 31), 1));
    }

    #[test]
    fn splat_loads() {
        assert_eq!(load_from_bytes(LoadKind::Splat8, &[0xab]), u128::from_le_bytes([0xab; 16]));
        assert_eq!(load_from_bytes(LoadKind::Splat16, &[1, 2]), splat::<u16>(0x0201));
        assert_eq!(load_from_bytes(LoadKind::Splat64, &BYTES[..8]), splat::<u64>(0x3412_9000_7fff_0180));
    }

    #[test]
    fn short_input_reads_as_zero() {
        assert_eq!(load_from_bytes(LoadKind::Splat32, &[1]), splat::<u32>(1));
    }

    #[test]
    fn lane_loads_and_stores() {
        let v = replace_lane_bytes(u128::MAX, &[1, 2], 7);
        assert_eq!(get::<u16>(v, 7), 0x0201);
        assert_eq!(get::<u16>(v, 6), 0xffff);
        assert_eq!(replace_lane_bytes(0, &[0xee], 15), 0xee << 120);
        assert_eq!(replace_lane_bytes(5, &[1, 2, 3], 0), 5);
        let w = u128::from_le_bytes(BYTES);
        assert_eq!(lane_bytes(w, 4, 1), [0x00, 0x90, 0x12, 0x34, 0, 0, 0, 0]);
        assert_eq!(lane_bytes(w, 8, 1), [9, 10, 11, 12, 13, 14, 15, 16]);
        assert_eq!(lane_bytes(w, 1, 2), [0xff, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(lane_bytes(w, 3, 0), [0; 8]);
    }
}
