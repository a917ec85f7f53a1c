//! Conversions between integer and float lanes, and between the two float widths.
//!
//! Float-to-integer conversions saturate (NaN becomes 0), which is exactly Rust's `as` for these
//! types; integer-to-float and `f64`-to-`f32` conversions round to nearest, ties to even, which is
//! also what `as` does. NaN results are canonical.

use crate::lanes::{from_fn, get, map};

/// Canonical `f32` NaN bits.
const CANONICAL_NAN_F32: u32 = 0x7fc0_0000;
/// Canonical `f64` NaN bits.
const CANONICAL_NAN_F64: u64 = 0x7ff8_0000_0000_0000;

/// `f32x4.convert_i32x4_s`.
pub fn f32x4_convert_i32x4_s(v: u128) -> u128 {
    from_fn::<f32>(|i| get::<i32>(v, i) as f32)
}

/// `f32x4.convert_i32x4_u`.
pub fn f32x4_convert_i32x4_u(v: u128) -> u128 {
    from_fn::<f32>(|i| get::<u32>(v, i) as f32)
}

/// `i32x4.trunc_sat_f32x4_s`.
pub fn i32x4_trunc_sat_f32x4_s(v: u128) -> u128 {
    from_fn::<i32>(|i| get::<f32>(v, i) as i32)
}

/// `i32x4.trunc_sat_f32x4_u`.
pub fn i32x4_trunc_sat_f32x4_u(v: u128) -> u128 {
    map::<u32>(v, |bits| f32::from_bits(bits) as u32)
}

/// `f64x2.convert_low_i32x4_s`: the two low lanes.
pub fn f64x2_convert_low_i32x4_s(v: u128) -> u128 {
    from_fn::<f64>(|i| f64::from(get::<i32>(v, i)))
}

/// `f64x2.convert_low_i32x4_u`: the two low lanes.
pub fn f64x2_convert_low_i32x4_u(v: u128) -> u128 {
    from_fn::<f64>(|i| f64::from(get::<u32>(v, i)))
}

/// `i32x4.trunc_sat_f64x2_s_zero`: two saturated lanes, the upper two lanes zero.
pub fn i32x4_trunc_sat_f64x2_s_zero(v: u128) -> u128 {
    from_fn::<i32>(|i| if i < 2 { get::<f64>(v, i) as i32 } else { 0 })
}

/// `i32x4.trunc_sat_f64x2_u_zero`: two saturated lanes, the upper two lanes zero.
pub fn i32x4_trunc_sat_f64x2_u_zero(v: u128) -> u128 {
    from_fn::<u32>(|i| if i < 2 { get::<f64>(v, i) as u32 } else { 0 })
}

/// `f32x4.demote_f64x2_zero`: two rounded lanes, the upper two lanes zero.
pub fn f32x4_demote_f64x2_zero(v: u128) -> u128 {
    from_fn::<u32>(|i| {
        if i >= 2 {
            return 0;
        }
        let x = get::<f64>(v, i);
        if x.is_nan() { CANONICAL_NAN_F32 } else { (x as f32).to_bits() }
    })
}

/// `f64x2.promote_low_f32x4`: the two low lanes, exactly.
pub fn f64x2_promote_low_f32x4(v: u128) -> u128 {
    from_fn::<u64>(|i| {
        let x = get::<f32>(v, i);
        if x.is_nan() { CANONICAL_NAN_F64 } else { f64::from(x).to_bits() }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lanes::from_fn;

    #[test]
    fn integer_to_float_rounds_to_nearest_even() {
        let v = from_fn::<i32>(|i| [16_777_217, -1, i32::MAX, 0][i]);
        assert_eq!(f32x4_convert_i32x4_s(v), from_fn::<f32>(|i| [16_777_216.0, -1.0, 2_147_483_648.0, 0.0][i]));
        assert_eq!(get::<f32>(f32x4_convert_i32x4_u(v), 1), 4_294_967_296.0);
        assert_eq!(f64x2_convert_low_i32x4_u(v), from_fn::<f64>(|i| [16_777_217.0, 4_294_967_295.0][i]));
        assert_eq!(get::<f64>(f64x2_convert_low_i32x4_s(v), 1), -1.0);
    }

    #[test]
    fn float_to_integer_saturates() {
        let v = from_fn::<f32>(|i| [f32::NAN, -3.9, 3e9, -3e9][i]);
        assert_eq!(i32x4_trunc_sat_f32x4_s(v), from_fn::<i32>(|i| [0, -3, i32::MAX, i32::MIN][i]));
        assert_eq!(i32x4_trunc_sat_f32x4_u(v), from_fn::<u32>(|i| [0, 0, 3_000_000_000, 0][i]));
        let w = from_fn::<f64>(|i| [-1e300, 4.5e9][i]);
        assert_eq!(i32x4_trunc_sat_f64x2_s_zero(w), from_fn::<i32>(|i| [i32::MIN, i32::MAX, 0, 0][i]));
        assert_eq!(i32x4_trunc_sat_f64x2_u_zero(w), from_fn::<u32>(|i| [0, u32::MAX, 0, 0][i]));
    }

    #[test]
    fn demote_and_promote() {
        let w = from_fn::<f64>(|i| [1e300, f64::from_bits(0xfff0_0000_0000_0001)][i]);
        assert_eq!(f32x4_demote_f64x2_zero(w), from_fn::<u32>(|i| [0x7f80_0000, CANONICAL_NAN_F32, 0, 0][i]));
        let v = from_fn::<f32>(|i| [1.5, f32::NAN, 9.0, 9.0][i]);
        assert_eq!(f64x2_promote_low_f32x4(v), from_fn::<u64>(|i| [1.5f64.to_bits(), CANONICAL_NAN_F64][i]));
    }
}
