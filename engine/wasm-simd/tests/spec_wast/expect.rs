//! Converts wast arguments to evaluator values and matches results against wast expectations,
//! including the per-lane `nan:canonical` / `nan:arithmetic` patterns.

use wast::core::{NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::{WastArg, WastRet};

use crate::decode::Val;

/// The evaluator value of a wast argument, or `None` for references.
pub fn argument(arg: &WastArg<'_>) -> Option<Val> {
    let WastArg::Core(core) = arg else { return None };
    Some(match core {
        WastArgCore::I32(v) => Val::I32(*v),
        WastArgCore::I64(v) => Val::I64(*v),
        WastArgCore::F32(v) => Val::F32(v.bits),
        WastArgCore::F64(v) => Val::F64(v.bits),
        WastArgCore::V128(v) => Val::V128(u128::from_le_bytes(v.to_le_bytes())),
        _ => return None,
    })
}

/// Float bit layouts needed to recognise NaN patterns.
trait FloatBits: Copy + PartialEq {
    /// Exponent bits plus the quiet (most significant mantissa) bit.
    const QUIET_NAN: Self;
    /// Every bit but the sign.
    const MAGNITUDE: Self;
    fn and(self, mask: Self) -> Self;
}

impl FloatBits for u32 {
    const QUIET_NAN: u32 = 0x7fc0_0000;
    const MAGNITUDE: u32 = 0x7fff_ffff;
    fn and(self, mask: u32) -> u32 {
        self & mask
    }
}

impl FloatBits for u64 {
    const QUIET_NAN: u64 = 0x7ff8_0000_0000_0000;
    const MAGNITUDE: u64 = 0x7fff_ffff_ffff_ffff;
    fn and(self, mask: u64) -> u64 {
        self & mask
    }
}

/// Whether `bits` matches `pattern` (whose values are given as bits already).
fn float_matches<B: FloatBits>(bits: B, pattern: &NanPattern<B>) -> bool {
    match pattern {
        // Canonical: quiet bit only, either sign.
        NanPattern::CanonicalNan => bits.and(B::MAGNITUDE) == B::QUIET_NAN,
        // Arithmetic: quiet bit set, any payload, either sign.
        NanPattern::ArithmeticNan => bits.and(B::QUIET_NAN) == B::QUIET_NAN,
        NanPattern::Value(expected) => bits == *expected,
    }
}

fn f32_pattern(pattern: &NanPattern<wast::token::F32>) -> NanPattern<u32> {
    match pattern {
        NanPattern::CanonicalNan => NanPattern::CanonicalNan,
        NanPattern::ArithmeticNan => NanPattern::ArithmeticNan,
        NanPattern::Value(v) => NanPattern::Value(v.bits),
    }
}

fn f64_pattern(pattern: &NanPattern<wast::token::F64>) -> NanPattern<u64> {
    match pattern {
        NanPattern::CanonicalNan => NanPattern::CanonicalNan,
        NanPattern::ArithmeticNan => NanPattern::ArithmeticNan,
        NanPattern::Value(v) => NanPattern::Value(v.bits),
    }
}

/// Whether every lane of `v` matches `pattern`.
fn v128_matches(v: u128, pattern: &V128Pattern) -> bool {
    let lane = |bits: u32, index: usize| (v >> (bits as usize * index)) & (u128::MAX >> (128 - bits));
    match pattern {
        V128Pattern::I8x16(lanes) => lanes.iter().enumerate().all(|(i, &x)| lane(8, i) == u128::from(x as u8)),
        V128Pattern::I16x8(lanes) => lanes.iter().enumerate().all(|(i, &x)| lane(16, i) == u128::from(x as u16)),
        V128Pattern::I32x4(lanes) => lanes.iter().enumerate().all(|(i, &x)| lane(32, i) == u128::from(x as u32)),
        V128Pattern::I64x2(lanes) => lanes.iter().enumerate().all(|(i, &x)| lane(64, i) == u128::from(x as u64)),
        V128Pattern::F32x4(lanes) => {
            lanes.iter().enumerate().all(|(i, p)| float_matches(lane(32, i) as u32, &f32_pattern(p)))
        }
        V128Pattern::F64x2(lanes) => {
            lanes.iter().enumerate().all(|(i, p)| float_matches(lane(64, i) as u64, &f64_pattern(p)))
        }
    }
}

/// Whether `actual` matches `expected`; `None` when the expectation is not a core
/// number/vector (references are outside this test's scope).
pub fn result_matches(actual: &Val, expected: &WastRet<'_>) -> Option<bool> {
    let WastRet::Core(core) = expected else { return None };
    Some(match (core, actual) {
        (WastRetCore::I32(e), Val::I32(a)) => e == a,
        (WastRetCore::I64(e), Val::I64(a)) => e == a,
        (WastRetCore::F32(p), Val::F32(a)) => float_matches(*a, &f32_pattern(p)),
        (WastRetCore::F64(p), Val::F64(a)) => float_matches(*a, &f64_pattern(p)),
        (WastRetCore::V128(p), Val::V128(a)) => v128_matches(*a, p),
        (WastRetCore::I32(_) | WastRetCore::I64(_) | WastRetCore::F32(_) | WastRetCore::F64(_), _)
        | (WastRetCore::V128(_), _) => false,
        _ => return None,
    })
}

#[test]
fn nan_patterns_accept_the_right_bits() {
    assert!(float_matches(0xffc0_0000u32, &NanPattern::CanonicalNan));
    assert!(!float_matches(0x7fc0_0001u32, &NanPattern::CanonicalNan));
    assert!(float_matches(0x7fc0_0001u32, &NanPattern::ArithmeticNan));
    assert!(!float_matches(0x7f80_0001u32, &NanPattern::ArithmeticNan));
    assert!(float_matches(0x7ff8_0000_0000_0000u64, &NanPattern::CanonicalNan));
}
