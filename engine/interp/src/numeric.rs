//! Scalar numeric semantics that need more than one Rust operator: trapping integer division,
//! float-to-integer truncation, and WebAssembly's `min`/`max` (NaN-propagating, `-0 < +0`).

use crate::trap::TrapKind;

/// The `f32` held in the low 32 bits of a slot.
#[inline(always)]
pub(crate) fn f32_of(slot: u64) -> f32 {
    f32::from_bits(slot as u32)
}

/// The slot holding an `f32`.
#[inline(always)]
pub(crate) fn f32_bits(v: f32) -> u64 {
    v.to_bits() as u64
}

/// `i32.div_s`.
#[inline(always)]
pub(crate) fn i32_div_s(a: u64, b: u64) -> Result<u64, TrapKind> {
    let (a, b) = (a as i32, b as i32);
    if b == 0 {
        return Err(TrapKind::IntegerDivideByZero);
    }
    a.checked_div(b).map(|v| v as u32 as u64).ok_or(TrapKind::IntegerOverflow)
}

/// `i32.div_u`.
#[inline(always)]
pub(crate) fn i32_div_u(a: u64, b: u64) -> Result<u64, TrapKind> {
    (a as u32).checked_div(b as u32).map(|v| v as u64).ok_or(TrapKind::IntegerDivideByZero)
}

/// `i32.rem_s`.
#[inline(always)]
pub(crate) fn i32_rem_s(a: u64, b: u64) -> Result<u64, TrapKind> {
    let (a, b) = (a as i32, b as i32);
    if b == 0 {
        return Err(TrapKind::IntegerDivideByZero);
    }
    Ok(a.wrapping_rem(b) as u32 as u64)
}

/// `i32.rem_u`.
#[inline(always)]
pub(crate) fn i32_rem_u(a: u64, b: u64) -> Result<u64, TrapKind> {
    (a as u32).checked_rem(b as u32).map(|v| v as u64).ok_or(TrapKind::IntegerDivideByZero)
}

/// `i64.div_s`.
#[inline(always)]
pub(crate) fn i64_div_s(a: u64, b: u64) -> Result<u64, TrapKind> {
    let (a, b) = (a as i64, b as i64);
    if b == 0 {
        return Err(TrapKind::IntegerDivideByZero);
    }
    a.checked_div(b).map(|v| v as u64).ok_or(TrapKind::IntegerOverflow)
}

/// `i64.div_u`.
#[inline(always)]
pub(crate) fn i64_div_u(a: u64, b: u64) -> Result<u64, TrapKind> {
    a.checked_div(b).ok_or(TrapKind::IntegerDivideByZero)
}

/// `i64.rem_s`.
#[inline(always)]
pub(crate) fn i64_rem_s(a: u64, b: u64) -> Result<u64, TrapKind> {
    let (a, b) = (a as i64, b as i64);
    if b == 0 {
        return Err(TrapKind::IntegerDivideByZero);
    }
    Ok(a.wrapping_rem(b) as u64)
}

/// `i64.rem_u`.
#[inline(always)]
pub(crate) fn i64_rem_u(a: u64, b: u64) -> Result<u64, TrapKind> {
    a.checked_rem(b).ok_or(TrapKind::IntegerDivideByZero)
}

macro_rules! float_min_max {
    ($min:ident, $max:ident, $f:ty) => {
        /// WebAssembly `min`: NaN if either operand is NaN, and `-0` below `+0`.
        #[inline(always)]
        pub(crate) fn $min(a: $f, b: $f) -> $f {
            if a.is_nan() || b.is_nan() {
                a + b
            } else if a == b {
                if a.is_sign_negative() { a } else { b }
            } else if a < b {
                a
            } else {
                b
            }
        }

        /// WebAssembly `max`: NaN if either operand is NaN, and `+0` above `-0`.
        #[inline(always)]
        pub(crate) fn $max(a: $f, b: $f) -> $f {
            if a.is_nan() || b.is_nan() {
                a + b
            } else if a == b {
                if a.is_sign_positive() { a } else { b }
            } else if a > b {
                a
            } else {
                b
            }
        }
    };
}
float_min_max!(f32_min, f32_max, f32);
float_min_max!(f64_min, f64_max, f64);

macro_rules! trunc {
    ($name:ident, $f:ty, $i:ty, $lo:expr, $hi:expr) => {
        /// Trapping float-to-integer truncation: NaN is an invalid conversion, values outside
        /// `($lo, $hi)` overflow.
        #[inline(always)]
        pub(crate) fn $name(v: $f) -> Result<$i, TrapKind> {
            if v.is_nan() {
                return Err(TrapKind::InvalidConversionToInteger);
            }
            let t = v.trunc();
            if t <= $lo || t >= $hi {
                return Err(TrapKind::IntegerOverflow);
            }
            Ok(t as $i)
        }
    };
}
// Bounds are exclusive and exactly representable: the first values that do not fit.
trunc!(trunc_f32_i32, f32, i32, -2147483904.0f32, 2147483648.0f32);
trunc!(trunc_f32_u32, f32, u32, -1.0f32, 4294967296.0f32);
trunc!(trunc_f64_i32, f64, i32, -2147483649.0f64, 2147483648.0f64);
trunc!(trunc_f64_u32, f64, u32, -1.0f64, 4294967296.0f64);
trunc!(trunc_f32_i64, f32, i64, -9223373136366403584.0f32, 9223372036854775808.0f32);
trunc!(trunc_f32_u64, f32, u64, -1.0f32, 18446744073709551616.0f32);
trunc!(trunc_f64_i64, f64, i64, -9223372036854777856.0f64, 9223372036854775808.0f64);
trunc!(trunc_f64_u64, f64, u64, -1.0f64, 18446744073709551616.0f64);

/// The slot of an `f32` result, with the quiet bit set if it is a NaN (rounding operations
/// may pass a signalling NaN through unchanged; wasm requires an arithmetic NaN).
#[inline(always)]
pub(crate) fn f32_quiet(v: f32) -> u64 {
    let bits = v.to_bits();
    (if v.is_nan() { bits | 0x0040_0000 } else { bits }) as u64
}

/// The slot of an `f64` result, with the quiet bit set if it is a NaN.
#[inline(always)]
pub(crate) fn f64_quiet(v: f64) -> u64 {
    let bits = v.to_bits();
    if v.is_nan() { bits | 0x0008_0000_0000_0000 } else { bits }
}
