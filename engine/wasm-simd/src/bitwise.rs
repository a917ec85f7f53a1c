//! Whole-vector bit operations (`v128.not/and/andnot/or/xor/bitselect/any_true`) and byte
//! permutations (`i8x16.swizzle`, `i8x16.shuffle`).

use crate::lanes::{from_fn, get};

/// `v128.not`: bitwise complement.
pub fn not(v: u128) -> u128 {
    !v
}

/// `v128.and`: bitwise and.
pub fn and(a: u128, b: u128) -> u128 {
    a & b
}

/// `v128.andnot`: `a & !b`.
pub fn andnot(a: u128, b: u128) -> u128 {
    a & !b
}

/// `v128.or`: bitwise or.
pub fn or(a: u128, b: u128) -> u128 {
    a | b
}

/// `v128.xor`: bitwise exclusive or.
pub fn xor(a: u128, b: u128) -> u128 {
    a ^ b
}

/// `v128.bitselect`: bits of `a` where `mask` is 1, bits of `b` where it is 0.
pub fn bitselect(a: u128, b: u128, mask: u128) -> u128 {
    (a & mask) | (b & !mask)
}

/// `v128.any_true`: 1 if any bit is set.
pub fn any_true(v: u128) -> i32 {
    i32::from(v != 0)
}

/// `i8x16.swizzle`: result byte `i` is byte `indices[i]` of `v`, or 0 when that index is 16 or more.
pub fn swizzle(v: u128, indices: u128) -> u128 {
    from_fn::<u8>(|i| {
        let index = get::<u8>(indices, i);
        if index < 16 { get::<u8>(v, usize::from(index)) } else { 0 }
    })
}

/// `i8x16.shuffle`: result byte `i` is byte `lanes[i]` of the 32-byte concatenation of `a`
/// (bytes 0-15) and `b` (bytes 16-31). Indices are taken modulo 32 (validation rejects larger ones).
pub fn shuffle(lanes: [u8; 16], a: u128, b: u128) -> u128 {
    from_fn::<u8>(|i| {
        let index = usize::from(lanes[i] % 32);
        if index < 16 { get::<u8>(a, index) } else { get::<u8>(b, index - 16) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lanes::from_fn;

    #[test]
    fn bit_operations() {
        assert_eq!(not(0), u128::MAX);
        assert_eq!(andnot(0b1100, 0b1010), 0b0100);
        assert_eq!(bitselect(u128::MAX, 0, 0xff00), 0xff00);
        assert_eq!(bitselect(0x1234, 0xabcd, 0x0ff0), 0xa23d);
        assert_eq!(any_true(1 << 127), 1);
        assert_eq!(any_true(0), 0);
        assert_eq!((and(6, 3), or(6, 3), xor(6, 3)), (2, 7, 5));
    }

    #[test]
    fn swizzle_zeroes_out_of_range_indices() {
        let v = from_fn::<u8>(|i| 0xa0 + i as u8);
        let indices = from_fn::<u8>(|i| [15, 0, 16, 255, 3, 3, 128, 1, 0, 0, 0, 0, 0, 0, 0, 0][i]);
        let expected = from_fn::<u8>(|i| {
            [0xaf, 0xa0, 0, 0, 0xa3, 0xa3, 0, 0xa1, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0][i]
        });
        assert_eq!(swizzle(v, indices), expected);
    }

    #[test]
    fn shuffle_reads_both_operands() {
        let a = from_fn::<u8>(|i| i as u8);
        let b = from_fn::<u8>(|i| 16 + i as u8);
        let lanes = [31, 0, 16, 15, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 30];
        assert_eq!(shuffle(lanes, a, b), from_fn::<u8>(|i| lanes[i]));
    }
}
