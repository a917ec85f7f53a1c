//! The one NaN of component-level floats.
//!
//! The component model's `f32` and `f64` have a single NaN value. Lifting turns every NaN bit
//! pattern into the canonical one (as CanonicalABI.md's `canonicalize_nan32`/`64` do).
//! Lowering may, by the spec, store any NaN (it is nondeterministic, or canonical under the
//! deterministic profile); Canopy always stores the canonical one, so runs are repeatable
//! and compatible with the deterministic profile.

/// Bits of the canonical `f32` NaN.
pub const CANONICAL_F32_NAN: u32 = 0x7fc0_0000;
/// Bits of the canonical `f64` NaN.
pub const CANONICAL_F64_NAN: u64 = 0x7ff8_0000_0000_0000;

/// `value`, with any NaN replaced by the canonical NaN.
pub(crate) fn canonical_f32(value: f32) -> f32 {
    if value.is_nan() { f32::from_bits(CANONICAL_F32_NAN) } else { value }
}

/// `value`, with any NaN replaced by the canonical NaN.
pub(crate) fn canonical_f64(value: f64) -> f64 {
    if value.is_nan() { f64::from_bits(CANONICAL_F64_NAN) } else { value }
}
