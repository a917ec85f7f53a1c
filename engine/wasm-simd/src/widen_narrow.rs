//! Integer operations whose result lanes differ in width from their inputs: `extend_low/high`,
//! `extmul_low/high`, `extadd_pairwise`, `dot` and the saturating `narrow`s, grouped by result
//! shape and named after their instruction without the shape prefix.

use crate::lanes::{Lane, from_fn, get};

/// Widens the low (or high) half of `v`'s narrow lanes with `widen`.
fn extend<N: Lane, W: Lane>(v: u128, high: bool, widen: impl Fn(N) -> W) -> u128 {
    let first = if high { W::COUNT } else { 0 };
    from_fn::<W>(|i| widen(get::<N>(v, first + i)))
}

/// Combines corresponding low (or high) narrow lanes of `a` and `b` into wide lanes.
fn extend_pairs<N: Lane, W: Lane>(a: u128, b: u128, high: bool, combine: impl Fn(N, N) -> W) -> u128 {
    let first = if high { W::COUNT } else { 0 };
    from_fn::<W>(|i| combine(get::<N>(a, first + i), get::<N>(b, first + i)))
}

/// Combines adjacent narrow lanes `2i` and `2i + 1` of `v` into wide lane `i`.
fn pairwise<N: Lane, W: Lane>(v: u128, combine: impl Fn(N, N) -> W) -> u128 {
    from_fn::<W>(|i| combine(get::<N>(v, 2 * i), get::<N>(v, 2 * i + 1)))
}

/// Narrows the lanes of `a` (low half of the result) then `b` (high half) with `narrow`.
fn narrow<W: Lane, N: Lane>(a: u128, b: u128, narrow: impl Fn(W) -> N) -> u128 {
    from_fn::<N>(|i| if i < W::COUNT { narrow(get::<W>(a, i)) } else { narrow(get::<W>(b, i - W::COUNT)) })
}

/// Results with eight 16-bit lanes.
pub mod i16x8 {
    use super::{extend, extend_pairs, pairwise};

    /// `i16x8.extend_low_i8x16_s`.
    pub fn extend_low_i8x16_s(v: u128) -> u128 {
        extend(v, false, |x: i8| i16::from(x))
    }
    /// `i16x8.extend_high_i8x16_s`.
    pub fn extend_high_i8x16_s(v: u128) -> u128 {
        extend(v, true, |x: i8| i16::from(x))
    }
    /// `i16x8.extend_low_i8x16_u`.
    pub fn extend_low_i8x16_u(v: u128) -> u128 {
        extend(v, false, |x: u8| u16::from(x))
    }
    /// `i16x8.extend_high_i8x16_u`.
    pub fn extend_high_i8x16_u(v: u128) -> u128 {
        extend(v, true, |x: u8| u16::from(x))
    }
    /// `i16x8.extmul_low_i8x16_s`: signed products of the low halves.
    pub fn extmul_low_i8x16_s(a: u128, b: u128) -> u128 {
        extend_pairs(a, b, false, |x: i8, y: i8| i16::from(x) * i16::from(y))
    }
    /// `i16x8.extmul_high_i8x16_s`: signed products of the high halves.
    pub fn extmul_high_i8x16_s(a: u128, b: u128) -> u128 {
        extend_pairs(a, b, true, |x: i8, y: i8| i16::from(x) * i16::from(y))
    }
    /// `i16x8.extmul_low_i8x16_u`: unsigned products of the low halves.
    pub fn extmul_low_i8x16_u(a: u128, b: u128) -> u128 {
        extend_pairs(a, b, false, |x: u8, y: u8| u16::from(x) * u16::from(y))
    }
    /// `i16x8.extmul_high_i8x16_u`: unsigned products of the high halves.
    pub fn extmul_high_i8x16_u(a: u128, b: u128) -> u128 {
        extend_pairs(a, b, true, |x: u8, y: u8| u16::from(x) * u16::from(y))
    }
    /// `i16x8.extadd_pairwise_i8x16_s`: signed sums of adjacent lanes.
    pub fn extadd_pairwise_i8x16_s(v: u128) -> u128 {
        pairwise(v, |x: i8, y: i8| i16::from(x) + i16::from(y))
    }
    /// `i16x8.extadd_pairwise_i8x16_u`: unsigned sums of adjacent lanes.
    pub fn extadd_pairwise_i8x16_u(v: u128) -> u128 {
        pairwise(v, |x: u8, y: u8| u16::from(x) + u16::from(y))
    }
}

/// Results with four 32-bit lanes.
pub mod i32x4 {
    use super::{extend, extend_pairs, pairwise};
    use crate::lanes::{from_fn, get};

    /// `i32x4.extend_low_i16x8_s`.
    pub fn extend_low_i16x8_s(v: u128) -> u128 {
        extend(v, false, |x: i16| i32::from(x))
    }
    /// `i32x4.extend_high_i16x8_s`.
    pub fn extend_high_i16x8_s(v: u128) -> u128 {
        extend(v, true, |x: i16| i32::from(x))
    }
    /// `i32x4.extend_low_i16x8_u`.
    pub fn extend_low_i16x8_u(v: u128) -> u128 {
        extend(v, false, |x: u16| u32::from(x))
    }
    /// `i32x4.extend_high_i16x8_u`.
    pub fn extend_high_i16x8_u(v: u128) -> u128 {
        extend(v, true, |x: u16| u32::from(x))
    }
    /// `i32x4.extmul_low_i16x8_s`: signed products of the low halves.
    pub fn extmul_low_i16x8_s(a: u128, b: u128) -> u128 {
        extend_pairs(a, b, false, |x: i16, y: i16| i32::from(x) * i32::from(y))
    }
    /// `i32x4.extmul_high_i16x8_s`: signed products of the high halves.
    pub fn extmul_high_i16x8_s(a: u128, b: u128) -> u128 {
        extend_pairs(a, b, true, |x: i16, y: i16| i32::from(x) * i32::from(y))
    }
    /// `i32x4.extmul_low_i16x8_u`: unsigned products of the low halves.
    pub fn extmul_low_i16x8_u(a: u128, b: u128) -> u128 {
        extend_pairs(a, b, false, |x: u16, y: u16| u32::from(x) * u32::from(y))
    }
    /// `i32x4.extmul_high_i16x8_u`: unsigned products of the high halves.
    pub fn extmul_high_i16x8_u(a: u128, b: u128) -> u128 {
        extend_pairs(a, b, true, |x: u16, y: u16| u32::from(x) * u32::from(y))
    }
    /// `i32x4.extadd_pairwise_i16x8_s`: signed sums of adjacent lanes.
    pub fn extadd_pairwise_i16x8_s(v: u128) -> u128 {
        pairwise(v, |x: i16, y: i16| i32::from(x) + i32::from(y))
    }
    /// `i32x4.extadd_pairwise_i16x8_u`: unsigned sums of adjacent lanes.
    pub fn extadd_pairwise_i16x8_u(v: u128) -> u128 {
        pairwise(v, |x: u16, y: u16| u32::from(x) + u32::from(y))
    }
    /// `i32x4.dot_i16x8_s`: sums of the signed products of adjacent lanes (wrapping only for
    /// `2 * (-32768 * -32768)`).
    pub fn dot_i16x8_s(a: u128, b: u128) -> u128 {
        let product = |i: usize| i32::from(get::<i16>(a, i)) * i32::from(get::<i16>(b, i));
        from_fn::<i32>(|i| product(2 * i).wrapping_add(product(2 * i + 1)))
    }
}

/// Results with two 64-bit lanes.
pub mod i64x2 {
    use super::{extend, extend_pairs};

    /// `i64x2.extend_low_i32x4_s`.
    pub fn extend_low_i32x4_s(v: u128) -> u128 {
        extend(v, false, |x: i32| i64::from(x))
    }
    /// `i64x2.extend_high_i32x4_s`.
    pub fn extend_high_i32x4_s(v: u128) -> u128 {
        extend(v, true, |x: i32| i64::from(x))
    }
    /// `i64x2.extend_low_i32x4_u`.
    pub fn extend_low_i32x4_u(v: u128) -> u128 {
        extend(v, false, |x: u32| u64::from(x))
    }
    /// `i64x2.extend_high_i32x4_u`.
    pub fn extend_high_i32x4_u(v: u128) -> u128 {
        extend(v, true, |x: u32| u64::from(x))
    }
    /// `i64x2.extmul_low_i32x4_s`: signed products of the low halves.
    pub fn extmul_low_i32x4_s(a: u128, b: u128) -> u128 {
        extend_pairs(a, b, false, |x: i32, y: i32| i64::from(x) * i64::from(y))
    }
    /// `i64x2.extmul_high_i32x4_s`: signed products of the high halves.
    pub fn extmul_high_i32x4_s(a: u128, b: u128) -> u128 {
        extend_pairs(a, b, true, |x: i32, y: i32| i64::from(x) * i64::from(y))
    }
    /// `i64x2.extmul_low_i32x4_u`: unsigned products of the low halves.
    pub fn extmul_low_i32x4_u(a: u128, b: u128) -> u128 {
        extend_pairs(a, b, false, |x: u32, y: u32| u64::from(x) * u64::from(y))
    }
    /// `i64x2.extmul_high_i32x4_u`: unsigned products of the high halves.
    pub fn extmul_high_i32x4_u(a: u128, b: u128) -> u128 {
        extend_pairs(a, b, true, |x: u32, y: u32| u64::from(x) * u64::from(y))
    }
}

/// Saturating narrowing of two vectors of signed wide lanes into one vector of narrow lanes.
pub mod narrowing {
    use super::narrow;

    /// `i8x16.narrow_i16x8_s`: signed saturation to `i8`.
    pub fn i8x16_narrow_i16x8_s(a: u128, b: u128) -> u128 {
        narrow(a, b, |x: i16| x.clamp(i16::from(i8::MIN), i16::from(i8::MAX)) as i8)
    }
    /// `i8x16.narrow_i16x8_u`: unsigned saturation (of signed input) to `u8`.
    pub fn i8x16_narrow_i16x8_u(a: u128, b: u128) -> u128 {
        narrow(a, b, |x: i16| x.clamp(0, i16::from(u8::MAX)) as u8)
    }
    /// `i16x8.narrow_i32x4_s`: signed saturation to `i16`.
    pub fn i16x8_narrow_i32x4_s(a: u128, b: u128) -> u128 {
        narrow(a, b, |x: i32| x.clamp(i32::from(i16::MIN), i32::from(i16::MAX)) as i16)
    }
    /// `i16x8.narrow_i32x4_u`: unsigned saturation (of signed input) to `u16`.
    pub fn i16x8_narrow_i32x4_u(a: u128, b: u128) -> u128 {
        narrow(a, b, |x: i32| x.clamp(0, i32::from(u16::MAX)) as u16)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lanes::{from_fn, get, splat};

    #[test]
    fn extend_halves() {
        let v = from_fn::<i8>(|i| if i < 8 { -1 } else { 2 });
        assert_eq!(i16x8::extend_low_i8x16_s(v), splat::<i16>(-1));
        assert_eq!(i16x8::extend_low_i8x16_u(v), splat::<u16>(255));
        assert_eq!(i16x8::extend_high_i8x16_s(v), splat::<i16>(2));
        assert_eq!(i64x2::extend_high_i32x4_u(splat::<i32>(-1)), splat::<u64>(u32::MAX.into()));
    }

    #[test]
    fn extmul_and_pairwise() {
        let a = from_fn::<i16>(|i| i as i16 - 4);
        let b = splat::<i16>(-3);
        assert_eq!(i32x4::extmul_low_i16x8_s(a, b), from_fn::<i32>(|i| (i as i32 - 4) * -3));
        assert_eq!(get::<u32>(i32x4::extmul_high_i16x8_u(a, b), 0), 0);
        assert_eq!(get::<u32>(i32x4::extmul_high_i16x8_u(a, b), 1), 0xfffd);
        assert_eq!(i16x8::extadd_pairwise_i8x16_u(splat::<u8>(255)), splat::<u16>(510));
        assert_eq!(i32x4::extadd_pairwise_i16x8_s(splat::<i16>(-32768)), splat::<i32>(-65536));
        assert_eq!(get::<i64>(i64x2::extmul_low_i32x4_s(splat::<i32>(i32::MIN), splat::<i32>(i32::MIN)), 0), 1 << 62);
    }

    #[test]
    fn dot_product_wraps_only_at_the_extreme() {
        let min = splat::<i16>(i16::MIN);
        assert_eq!(i32x4::dot_i16x8_s(min, min), splat::<i32>(i32::MIN));
        let a = from_fn::<i16>(|i| i as i16);
        assert_eq!(get::<i32>(i32x4::dot_i16x8_s(a, splat::<i16>(2)), 1), (2 + 3) * 2);
    }

    #[test]
    fn narrowing_saturates() {
        let a = from_fn::<i16>(|i| [300, -300, 5, -5, 127, 128, -128, -129][i]);
        let n = narrowing::i8x16_narrow_i16x8_s(a, splat::<i16>(1));
        assert_eq!((0..8).map(|i| get::<i8>(n, i)).collect::<Vec<_>>(), [127, -128, 5, -5, 127, 127, -128, -128]);
        assert_eq!(get::<i8>(n, 12), 1);
        let u = narrowing::i8x16_narrow_i16x8_u(a, 0);
        assert_eq!((0..8).map(|i| get::<u8>(u, i)).collect::<Vec<_>>(), [255, 0, 5, 0, 127, 128, 0, 0]);
        assert_eq!(narrowing::i16x8_narrow_i32x4_u(splat::<i32>(70000), splat::<i32>(-1)), u64::MAX as u128);
        assert_eq!(get::<i16>(narrowing::i16x8_narrow_i32x4_s(0, splat::<i32>(-70000)), 7), -32768);
    }
}
