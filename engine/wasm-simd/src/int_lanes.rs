//! Same-width integer lane operations, one module per shape (`i8x16`, `i16x8`, `i32x4`,
//! `i64x2`): wrapping and saturating arithmetic, min/max, averages, comparisons, shifts, lane
//! tests and lane access (splat, extract, replace).
//!
//! Every function is named after its instruction without the shape prefix
//! (`i8x16::add_sat_s` is `i8x16.add_sat_s`).

/// Operations every integer shape has: wrapping add/sub/neg, abs, equality and signed ordering,
/// shifts, `all_true` and `bitmask`.
macro_rules! common_integer_ops {
    ($shape:literal, $signed:ty, $unsigned:ty) => {
        use $crate::lanes::{all_true as lanes_all_true, bitmask as lanes_bitmask, compare, map, zip};

        #[doc = concat!("`", $shape, ".add`: wrapping lane-wise addition.")]
        pub fn add(a: u128, b: u128) -> u128 {
            zip::<$unsigned>(a, b, <$unsigned>::wrapping_add)
        }
        #[doc = concat!("`", $shape, ".sub`: wrapping lane-wise subtraction.")]
        pub fn sub(a: u128, b: u128) -> u128 {
            zip::<$unsigned>(a, b, <$unsigned>::wrapping_sub)
        }
        #[doc = concat!("`", $shape, ".neg`: wrapping negation (the minimum value stays itself).")]
        pub fn neg(v: u128) -> u128 {
            map::<$signed>(v, <$signed>::wrapping_neg)
        }
        #[doc = concat!("`", $shape, ".abs`: wrapping absolute value (the minimum value stays itself).")]
        pub fn abs(v: u128) -> u128 {
            map::<$signed>(v, <$signed>::wrapping_abs)
        }
        #[doc = concat!("`", $shape, ".eq`: lanes equal.")]
        pub fn eq(a: u128, b: u128) -> u128 {
            compare::<$unsigned>(a, b, |x, y| x == y)
        }
        #[doc = concat!("`", $shape, ".ne`: lanes differ.")]
        pub fn ne(a: u128, b: u128) -> u128 {
            compare::<$unsigned>(a, b, |x, y| x != y)
        }
        #[doc = concat!("`", $shape, ".lt_s`: signed less-than.")]
        pub fn lt_s(a: u128, b: u128) -> u128 {
            compare::<$signed>(a, b, |x, y| x < y)
        }
        #[doc = concat!("`", $shape, ".gt_s`: signed greater-than.")]
        pub fn gt_s(a: u128, b: u128) -> u128 {
            compare::<$signed>(a, b, |x, y| x > y)
        }
        #[doc = concat!("`", $shape, ".le_s`: signed less-or-equal.")]
        pub fn le_s(a: u128, b: u128) -> u128 {
            compare::<$signed>(a, b, |x, y| x <= y)
        }
        #[doc = concat!("`", $shape, ".ge_s`: signed greater-or-equal.")]
        pub fn ge_s(a: u128, b: u128) -> u128 {
            compare::<$signed>(a, b, |x, y| x >= y)
        }
        #[doc = concat!("`", $shape, ".shl`: left shift by `amount` modulo the lane width.")]
        pub fn shl(v: u128, amount: u32) -> u128 {
            map::<$unsigned>(v, |x| x << (amount % <$unsigned>::BITS))
        }
        #[doc = concat!("`", $shape, ".shr_s`: arithmetic right shift by `amount` modulo the lane width.")]
        pub fn shr_s(v: u128, amount: u32) -> u128 {
            map::<$signed>(v, |x| x >> (amount % <$signed>::BITS))
        }
        #[doc = concat!("`", $shape, ".shr_u`: logical right shift by `amount` modulo the lane width.")]
        pub fn shr_u(v: u128, amount: u32) -> u128 {
            map::<$unsigned>(v, |x| x >> (amount % <$unsigned>::BITS))
        }
        #[doc = concat!("`", $shape, ".all_true`: 1 if every lane is non-zero.")]
        pub fn all_true(v: u128) -> i32 {
            lanes_all_true::<$unsigned>(v)
        }
        #[doc = concat!("`", $shape, ".bitmask`: the sign bits of the lanes, lane 0 in bit 0.")]
        pub fn bitmask(v: u128) -> i32 {
            lanes_bitmask::<$unsigned>(v)
        }
    };
}

/// Unsigned ordering, min/max, saturating arithmetic and rounding average (the 8- and 16-bit
/// shapes, and without saturation/average the 32-bit shape).
macro_rules! unsigned_ordering_ops {
    ($shape:literal, $signed:ty, $unsigned:ty) => {
        #[doc = concat!("`", $shape, ".lt_u`: unsigned less-than.")]
        pub fn lt_u(a: u128, b: u128) -> u128 {
            compare::<$unsigned>(a, b, |x, y| x < y)
        }
        #[doc = concat!("`", $shape, ".gt_u`: unsigned greater-than.")]
        pub fn gt_u(a: u128, b: u128) -> u128 {
            compare::<$unsigned>(a, b, |x, y| x > y)
        }
        #[doc = concat!("`", $shape, ".le_u`: unsigned less-or-equal.")]
        pub fn le_u(a: u128, b: u128) -> u128 {
            compare::<$unsigned>(a, b, |x, y| x <= y)
        }
        #[doc = concat!("`", $shape, ".ge_u`: unsigned greater-or-equal.")]
        pub fn ge_u(a: u128, b: u128) -> u128 {
            compare::<$unsigned>(a, b, |x, y| x >= y)
        }
        #[doc = concat!("`", $shape, ".min_s`: signed minimum.")]
        pub fn min_s(a: u128, b: u128) -> u128 {
            zip::<$signed>(a, b, Ord::min)
        }
        #[doc = concat!("`", $shape, ".min_u`: unsigned minimum.")]
        pub fn min_u(a: u128, b: u128) -> u128 {
            zip::<$unsigned>(a, b, Ord::min)
        }
        #[doc = concat!("`", $shape, ".max_s`: signed maximum.")]
        pub fn max_s(a: u128, b: u128) -> u128 {
            zip::<$signed>(a, b, Ord::max)
        }
        #[doc = concat!("`", $shape, ".max_u`: unsigned maximum.")]
        pub fn max_u(a: u128, b: u128) -> u128 {
            zip::<$unsigned>(a, b, Ord::max)
        }
    };
}

/// Saturating add/sub and the rounding average (8- and 16-bit shapes only).
macro_rules! saturating_ops {
    ($shape:literal, $signed:ty, $unsigned:ty) => {
        #[doc = concat!("`", $shape, ".add_sat_s`: signed saturating addition.")]
        pub fn add_sat_s(a: u128, b: u128) -> u128 {
            zip::<$signed>(a, b, <$signed>::saturating_add)
        }
        #[doc = concat!("`", $shape, ".add_sat_u`: unsigned saturating addition.")]
        pub fn add_sat_u(a: u128, b: u128) -> u128 {
            zip::<$unsigned>(a, b, <$unsigned>::saturating_add)
        }
        #[doc = concat!("`", $shape, ".sub_sat_s`: signed saturating subtraction.")]
        pub fn sub_sat_s(a: u128, b: u128) -> u128 {
            zip::<$signed>(a, b, <$signed>::saturating_sub)
        }
        #[doc = concat!("`", $shape, ".sub_sat_u`: unsigned saturating subtraction.")]
        pub fn sub_sat_u(a: u128, b: u128) -> u128 {
            zip::<$unsigned>(a, b, <$unsigned>::saturating_sub)
        }
        #[doc = concat!("`", $shape, ".avgr_u`: unsigned average rounding up, `(a + b + 1) / 2`.")]
        pub fn avgr_u(a: u128, b: u128) -> u128 {
            zip::<$unsigned>(a, b, |x, y| (u32::from(x) + u32::from(y)).div_ceil(2) as $unsigned)
        }
    };
}

/// Wrapping multiplication (every shape but `i8x16`).
macro_rules! mul_op {
    ($shape:literal, $unsigned:ty) => {
        #[doc = concat!("`", $shape, ".mul`: wrapping lane-wise multiplication.")]
        pub fn mul(a: u128, b: u128) -> u128 {
            zip::<$unsigned>(a, b, <$unsigned>::wrapping_mul)
        }
    };
}

/// Splat, extract and replace for shapes whose lanes are narrower than the `i32` scalar.
macro_rules! narrow_lane_access {
    ($shape:literal, $signed:ty, $unsigned:ty) => {
        #[doc = concat!("`", $shape, ".splat`: the low bits of `x` in every lane.")]
        pub fn splat(x: i32) -> u128 {
            $crate::lanes::splat::<$unsigned>(x as $unsigned)
        }
        #[doc = concat!("`", $shape, ".extract_lane_s`: lane `lane`, sign-extended.")]
        pub fn extract_lane_s(v: u128, lane: u8) -> i32 {
            i32::from($crate::lanes::get::<$signed>(v, usize::from(lane)))
        }
        #[doc = concat!("`", $shape, ".extract_lane_u`: lane `lane`, zero-extended.")]
        pub fn extract_lane_u(v: u128, lane: u8) -> i32 {
            i32::from($crate::lanes::get::<$unsigned>(v, usize::from(lane)))
        }
        #[doc = concat!("`", $shape, ".replace_lane`: `v` with lane `lane` set to the low bits of `x`.")]
        pub fn replace_lane(v: u128, lane: u8, x: i32) -> u128 {
            $crate::lanes::set::<$unsigned>(v, usize::from(lane), x as $unsigned)
        }
    };
}

/// Splat, extract and replace for shapes whose lanes are exactly the scalar type.
macro_rules! full_lane_access {
    ($shape:literal, $scalar:ty) => {
        #[doc = concat!("`", $shape, ".splat`: `x` in every lane.")]
        pub fn splat(x: $scalar) -> u128 {
            $crate::lanes::splat::<$scalar>(x)
        }
        #[doc = concat!("`", $shape, ".extract_lane`: lane `lane`.")]
        pub fn extract_lane(v: u128, lane: u8) -> $scalar {
            $crate::lanes::get::<$scalar>(v, usize::from(lane))
        }
        #[doc = concat!("`", $shape, ".replace_lane`: `v` with lane `lane` set to `x`.")]
        pub fn replace_lane(v: u128, lane: u8, x: $scalar) -> u128 {
            $crate::lanes::set::<$scalar>(v, usize::from(lane), x)
        }
    };
}

/// Sixteen 8-bit integer lanes.
pub mod i8x16 {
    common_integer_ops!("i8x16", i8, u8);
    unsigned_ordering_ops!("i8x16", i8, u8);
    saturating_ops!("i8x16", i8, u8);
    narrow_lane_access!("i8x16", i8, u8);

    /// `i8x16.popcnt`: number of set bits in each lane.
    pub fn popcnt(v: u128) -> u128 {
        map::<u8>(v, |x| x.count_ones() as u8)
    }
}

/// Eight 16-bit integer lanes.
pub mod i16x8 {
    common_integer_ops!("i16x8", i16, u16);
    unsigned_ordering_ops!("i16x8", i16, u16);
    saturating_ops!("i16x8", i16, u16);
    mul_op!("i16x8", u16);
    narrow_lane_access!("i16x8", i16, u16);

    /// `i16x8.q15mulr_sat_s`: Q15 fixed-point multiplication rounding to nearest,
    /// `(a * b + 0x4000) >> 15`, saturated to `i16`.
    pub fn q15mulr_sat_s(a: u128, b: u128) -> u128 {
        zip::<i16>(a, b, |x, y| {
            let product = (i32::from(x) * i32::from(y) + 0x4000) >> 15;
            product.clamp(i32::from(i16::MIN), i32::from(i16::MAX)) as i16
        })
    }
}

/// Four 32-bit integer lanes.
pub mod i32x4 {
    common_integer_ops!("i32x4", i32, u32);
    unsigned_ordering_ops!("i32x4", i32, u32);
    mul_op!("i32x4", u32);
    full_lane_access!("i32x4", i32);
}

/// Two 64-bit integer lanes.
pub mod i64x2 {
    common_integer_ops!("i64x2", i64, u64);
    mul_op!("i64x2", u64);
    full_lane_access!("i64x2", i64);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lanes::{from_fn, get};

    #[test]
    fn wrapping_and_saturating_add() {
        let a = i8x16::splat(0x7f);
        let b = i8x16::splat(1);
        assert_eq!(get::<i8>(i8x16::add(a, b), 0), -128);
        assert_eq!(get::<i8>(i8x16::add_sat_s(a, b), 5), 127);
        assert_eq!(get::<u8>(i8x16::add_sat_u(i8x16::splat(0xff), b), 3), 0xff);
        assert_eq!(get::<u16>(i16x8::sub_sat_u(i16x8::splat(1), i16x8::splat(2)), 7), 0);
        assert_eq!(get::<i16>(i16x8::sub_sat_s(i16x8::splat(-32768), i16x8::splat(1)), 2), -32768);
    }

    #[test]
    fn min_max_signed_vs_unsigned() {
        let a = i8x16::splat(-1);
        let b = i8x16::splat(1);
        assert_eq!(i8x16::min_s(a, b), a);
        assert_eq!(i8x16::min_u(a, b), b);
        assert_eq!(i32x4::max_s(a, b), b);
        assert_eq!(i32x4::max_u(a, b), a);
    }

    #[test]
    fn avgr_rounds_up() {
        assert_eq!(get::<u8>(i8x16::avgr_u(i8x16::splat(255), i8x16::splat(0)), 0), 128);
        assert_eq!(get::<u16>(i16x8::avgr_u(i16x8::splat(0xffff), i16x8::splat(0xffff)), 4), 0xffff);
    }

    #[test]
    fn abs_neg_popcnt_mul() {
        assert_eq!(get::<i16>(i16x8::abs(i16x8::splat(-32768)), 0), -32768);
        assert_eq!(get::<i32>(i32x4::neg(i32x4::splat(5)), 3), -5);
        assert_eq!(get::<i64>(i64x2::abs(i64x2::splat(-7)), 1), 7);
        assert_eq!(get::<u8>(i8x16::popcnt(i8x16::splat(0xf1)), 9), 5);
        assert_eq!(get::<u64>(i64x2::mul(i64x2::splat(1 << 62), i64x2::splat(4)), 0), 0);
        assert_eq!(get::<i16>(i16x8::mul(i16x8::splat(300), i16x8::splat(300)), 0), (90000i32 as i16));
    }

    #[test]
    fn q15_multiplication_saturates_and_rounds() {
        let min = i16x8::splat(-32768);
        assert_eq!(get::<i16>(i16x8::q15mulr_sat_s(min, min), 0), 32767);
        assert_eq!(get::<i16>(i16x8::q15mulr_sat_s(i16x8::splat(16384), i16x8::splat(16384)), 0), 8192);
        assert_eq!(get::<i16>(i16x8::q15mulr_sat_s(i16x8::splat(1), i16x8::splat(16384)), 0), 1);
    }

    #[test]
    fn shifts_take_amount_modulo_width() {
        assert_eq!(i8x16::shl(i8x16::splat(1), 9), i8x16::splat(2));
        assert_eq!(i16x8::shr_s(i16x8::splat(-16), 18), i16x8::splat(-4));
        assert_eq!(i32x4::shr_u(i32x4::splat(-16), 32 + 28), i32x4::splat(15));
        assert_eq!(i64x2::shl(i64x2::splat(3), 64), i64x2::splat(3));
    }

    #[test]
    fn comparisons() {
        let a = from_fn::<i32>(|i| i as i32 - 2);
        let zero = 0;
        assert_eq!(i32x4::lt_s(a, zero), from_fn::<i32>(|i| if i < 2 { -1 } else { 0 }));
        assert_eq!(i32x4::lt_u(a, zero), 0);
        assert_eq!(i32x4::ge_u(a, zero), u128::MAX);
        assert_eq!(i64x2::eq(i64x2::splat(4), i64x2::replace_lane(i64x2::splat(4), 1, 0)), u64::MAX as u128);
        assert_eq!(i16x8::ne(0, 0), 0);
    }

    #[test]
    fn lane_access() {
        let v = i8x16::replace_lane(0, 3, 0x1ff);
        assert_eq!(i8x16::extract_lane_s(v, 3), -1);
        assert_eq!(i8x16::extract_lane_u(v, 3), 255);
        assert_eq!(i16x8::extract_lane_s(i16x8::splat(0x18000), 6), -32768);
        assert_eq!(i64x2::extract_lane(i64x2::replace_lane(0, 1, -2), 1), -2);
        assert_eq!(i32x4::bitmask(i32x4::replace_lane(0, 2, -1)), 0b100);
        assert_eq!(i16x8::all_true(i16x8::splat(0x100)), 1);
    }
}
