//! Floating-point lane operations for `f32x4` and `f64x2`: arithmetic, the wasm `min`/`max`
//! (NaN-propagating, `-0 < +0`) and pseudo `pmin`/`pmax`, sign bit operations, rounding,
//! comparisons and lane access.
//!
//! NaN results of arithmetic and rounding are the canonical NaN (positive, quiet bit only), which
//! the specification allows for every input. `abs`, `neg`, `pmin`, `pmax`, `splat`,
//! `extract_lane` and `replace_lane` move bits unchanged and keep NaN payloads.

macro_rules! float_shape {
    ($shape:literal, $float:ty, $bits:ty, $canonical_nan:expr) => {
        use $crate::lanes::{compare, map, zip};

        /// Sign bit of one lane.
        const SIGN_BIT: $bits = 1 << (<$bits>::BITS - 1);

        /// The canonical NaN of this lane type.
        fn canonical_nan() -> $float {
            <$float>::from_bits($canonical_nan)
        }

        /// `value`, or the canonical NaN when it is any NaN.
        fn canonical(value: $float) -> $float {
            if value.is_nan() { canonical_nan() } else { value }
        }

        #[doc = concat!("`", $shape, ".add`.")]
        pub fn add(a: u128, b: u128) -> u128 {
            zip::<$float>(a, b, |x, y| canonical(x + y))
        }
        #[doc = concat!("`", $shape, ".sub`.")]
        pub fn sub(a: u128, b: u128) -> u128 {
            zip::<$float>(a, b, |x, y| canonical(x - y))
        }
        #[doc = concat!("`", $shape, ".mul`.")]
        pub fn mul(a: u128, b: u128) -> u128 {
            zip::<$float>(a, b, |x, y| canonical(x * y))
        }
        #[doc = concat!("`", $shape, ".div`.")]
        pub fn div(a: u128, b: u128) -> u128 {
            zip::<$float>(a, b, |x, y| canonical(x / y))
        }
        #[doc = concat!("`", $shape, ".min`: NaN if either lane is NaN; `-0` is less than `+0`.")]
        pub fn min(a: u128, b: u128) -> u128 {
            zip::<$float>(a, b, |x, y| {
                if x.is_nan() || y.is_nan() {
                    canonical_nan()
                } else if x == y {
                    // Equal non-NaN lanes differ at most in the sign of zero: keep a set sign bit.
                    <$float>::from_bits(x.to_bits() | y.to_bits())
                } else if x < y {
                    x
                } else {
                    y
                }
            })
        }
        #[doc = concat!("`", $shape, ".max`: NaN if either lane is NaN; `+0` is greater than `-0`.")]
        pub fn max(a: u128, b: u128) -> u128 {
            zip::<$float>(a, b, |x, y| {
                if x.is_nan() || y.is_nan() {
                    canonical_nan()
                } else if x == y {
                    // Equal non-NaN lanes differ at most in the sign of zero: keep a clear sign bit.
                    <$float>::from_bits(x.to_bits() & y.to_bits())
                } else if x > y {
                    x
                } else {
                    y
                }
            })
        }
        #[doc = concat!("`", $shape, ".pmin`: `b < a ? b : a`, bits unchanged.")]
        pub fn pmin(a: u128, b: u128) -> u128 {
            zip::<$float>(a, b, |x, y| if y < x { y } else { x })
        }
        #[doc = concat!("`", $shape, ".pmax`: `a < b ? b : a`, bits unchanged.")]
        pub fn pmax(a: u128, b: u128) -> u128 {
            zip::<$float>(a, b, |x, y| if x < y { y } else { x })
        }
        #[doc = concat!("`", $shape, ".abs`: clears each sign bit (NaN payloads kept).")]
        pub fn abs(v: u128) -> u128 {
            map::<$bits>(v, |x| x & !SIGN_BIT)
        }
        #[doc = concat!("`", $shape, ".neg`: flips each sign bit (NaN payloads kept).")]
        pub fn neg(v: u128) -> u128 {
            map::<$bits>(v, |x| x ^ SIGN_BIT)
        }
        #[doc = concat!("`", $shape, ".sqrt`: correctly rounded square root.")]
        pub fn sqrt(v: u128) -> u128 {
            map::<$float>(v, |x| canonical(x.sqrt()))
        }
        #[doc = concat!("`", $shape, ".ceil`: round toward positive infinity.")]
        pub fn ceil(v: u128) -> u128 {
            map::<$float>(v, |x| canonical(x.ceil()))
        }
        #[doc = concat!("`", $shape, ".floor`: round toward negative infinity.")]
        pub fn floor(v: u128) -> u128 {
            map::<$float>(v, |x| canonical(x.floor()))
        }
        #[doc = concat!("`", $shape, ".trunc`: round toward zero.")]
        pub fn trunc(v: u128) -> u128 {
            map::<$float>(v, |x| canonical(x.trunc()))
        }
        #[doc = concat!("`", $shape, ".nearest`: round to nearest, ties to even.")]
        pub fn nearest(v: u128) -> u128 {
            map::<$float>(v, |x| canonical(x.round_ties_even()))
        }
        #[doc = concat!("`", $shape, ".eq`: ordered equality (false for NaN).")]
        pub fn eq(a: u128, b: u128) -> u128 {
            compare::<$float>(a, b, |x, y| x == y)
        }
        #[doc = concat!("`", $shape, ".ne`: unordered inequality (true for NaN).")]
        pub fn ne(a: u128, b: u128) -> u128 {
            compare::<$float>(a, b, |x, y| x != y)
        }
        #[doc = concat!("`", $shape, ".lt`: ordered less-than.")]
        pub fn lt(a: u128, b: u128) -> u128 {
            compare::<$float>(a, b, |x, y| x < y)
        }
        #[doc = concat!("`", $shape, ".gt`: ordered greater-than.")]
        pub fn gt(a: u128, b: u128) -> u128 {
            compare::<$float>(a, b, |x, y| x > y)
        }
        #[doc = concat!("`", $shape, ".le`: ordered less-or-equal.")]
        pub fn le(a: u128, b: u128) -> u128 {
            compare::<$float>(a, b, |x, y| x <= y)
        }
        #[doc = concat!("`", $shape, ".ge`: ordered greater-or-equal.")]
        pub fn ge(a: u128, b: u128) -> u128 {
            compare::<$float>(a, b, |x, y| x >= y)
        }
        #[doc = concat!("`", $shape, ".splat`: the raw float bits in every lane.")]
        pub fn splat(x: $bits) -> u128 {
            $crate::lanes::splat::<$bits>(x)
        }
        #[doc = concat!("`", $shape, ".extract_lane`: raw bits of lane `lane`.")]
        pub fn extract_lane(v: u128, lane: u8) -> $bits {
            $crate::lanes::get::<$bits>(v, usize::from(lane))
        }
        #[doc = concat!("`", $shape, ".replace_lane`: `v` with lane `lane` set to the raw bits `x`.")]
        pub fn replace_lane(v: u128, lane: u8, x: $bits) -> u128 {
            $crate::lanes::set::<$bits>(v, usize::from(lane), x)
        }
    };
}

/// Four 32-bit float lanes.
pub mod f32x4 {
    float_shape!("f32x4", f32, u32, 0x7fc0_0000);
}

/// Two 64-bit float lanes.
pub mod f64x2 {
    float_shape!("f64x2", f64, u64, 0x7ff8_0000_0000_0000);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lanes::{from_fn, get};

    fn f32s(lanes: [f32; 4]) -> u128 {
        from_fn::<f32>(|i| lanes[i])
    }

    fn bits32(v: u128) -> [u32; 4] {
        std::array::from_fn(|i| get::<u32>(v, i))
    }

    const CANONICAL_F32: u32 = 0x7fc0_0000;

    #[test]
    fn arithmetic_produces_canonical_nan() {
        let signalling = f32::from_bits(0xff80_0001);
        let v = f32x4::add(f32s([signalling, f32::INFINITY, 1.0, 0.5]), f32s([1.0, f32::NEG_INFINITY, 2.0, 0.25]));
        assert_eq!(bits32(v), [CANONICAL_F32, CANONICAL_F32, 3.0f32.to_bits(), 0.75f32.to_bits()]);
        assert_eq!(bits32(f32x4::sqrt(f32s([-1.0, 4.0, 0.0, -0.0])))[..2], [CANONICAL_F32, 2.0f32.to_bits()]);
        assert_eq!(get::<f64>(f64x2::div(f64x2::splat(1.0f64.to_bits()), 0), 1), f64::INFINITY);
    }

    #[test]
    fn min_max_order_zeros_and_propagate_nan() {
        let a = f32s([0.0, -0.0, f32::NAN, 1.0]);
        let b = f32s([-0.0, 0.0, 0.0, f32::from_bits(0x7f80_0005)]);
        assert_eq!(bits32(f32x4::min(a, b)), [0x8000_0000, 0x8000_0000, CANONICAL_F32, CANONICAL_F32]);
        assert_eq!(bits32(f32x4::max(a, b)), [0, 0, CANONICAL_F32, CANONICAL_F32]);
        assert_eq!(get::<f64>(f64x2::min(f64x2::splat(2.0f64.to_bits()), f64x2::splat((-3.0f64).to_bits())), 0), -3.0);
    }

    #[test]
    fn pseudo_min_max_keep_first_operand_on_ties_and_nan() {
        let a = f32s([0.0, f32::from_bits(0x7fa0_0000), 1.0, 2.0]);
        let b = f32s([-0.0, 0.0, f32::NAN, 1.0]);
        assert_eq!(bits32(f32x4::pmin(a, b)), [0, 0x7fa0_0000, 1.0f32.to_bits(), 1.0f32.to_bits()]);
        assert_eq!(bits32(f32x4::pmax(a, b)), [0, 0x7fa0_0000, 1.0f32.to_bits(), 2.0f32.to_bits()]);
    }

    #[test]
    fn sign_operations_keep_payloads() {
        let v = f32x4::splat(0xffc0_1234);
        assert_eq!(bits32(f32x4::abs(v)), [0x7fc0_1234; 4]);
        assert_eq!(bits32(f32x4::neg(v)), [0x7fc0_1234; 4]);
        assert_eq!(f64x2::neg(0), (1u128 << 63) | (1u128 << 127));
    }

    #[test]
    fn rounding_modes() {
        let v = f32s([2.5, -2.5, -0.5, 3.5]);
        assert_eq!(bits32(f32x4::nearest(v)), bits32(f32s([2.0, -2.0, -0.0, 4.0])));
        assert_eq!(bits32(f32x4::ceil(v)), bits32(f32s([3.0, -2.0, -0.0, 4.0])));
        assert_eq!(bits32(f32x4::floor(v)), bits32(f32s([2.0, -3.0, -1.0, 3.0])));
        assert_eq!(bits32(f32x4::trunc(v)), bits32(f32s([2.0, -2.0, -0.0, 3.0])));
    }

    #[test]
    fn comparisons_treat_nan_as_unordered() {
        let a = f32s([f32::NAN, 1.0, -0.0, 2.0]);
        let b = f32s([f32::NAN, 2.0, 0.0, 1.0]);
        assert_eq!(bits32(f32x4::eq(a, b)), [0, 0, u32::MAX, 0]);
        assert_eq!(bits32(f32x4::ne(a, b)), [u32::MAX, u32::MAX, 0, u32::MAX]);
        assert_eq!(bits32(f32x4::lt(a, b)), [0, u32::MAX, 0, 0]);
        assert_eq!(bits32(f32x4::ge(a, b)), [0, 0, u32::MAX, u32::MAX]);
        assert_eq!(f64x2::extract_lane(f64x2::replace_lane(0, 1, 7), 1), 7);
    }
}
