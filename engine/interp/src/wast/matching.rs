//! Conversion of script arguments to values and matching of results against expectations.

use wast::core::{AbstractHeapType, HeapType, NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::token::{F32, F64};
use wast::{WastArg, WastRet};

use crate::value::Value;

/// Converts a script argument, or explains why it is out of scope.
pub fn arg_value(arg: &WastArg<'_>) -> Result<Value, String> {
    let WastArg::Core(arg) = arg else { return Err("component-model argument".into()) };
    Ok(match arg {
        WastArgCore::I32(v) => Value::I32(*v),
        WastArgCore::I64(v) => Value::I64(*v),
        WastArgCore::F32(v) => Value::F32(v.bits),
        WastArgCore::F64(v) => Value::F64(v.bits),
        WastArgCore::V128(v) => Value::V128(u128::from_le_bytes(v.to_le_bytes())),
        WastArgCore::RefNull(HeapType::Abstract { ty: AbstractHeapType::Func | AbstractHeapType::NoFunc, .. }) => {
            Value::FuncRef(None)
        }
        WastArgCore::RefNull(HeapType::Abstract {
            ty: AbstractHeapType::Extern | AbstractHeapType::NoExtern, ..
        }) => Value::ExternRef(None),
        WastArgCore::RefExtern(n) => Value::ExternRef(Some(*n)),
        _ => return Err("an argument that needs an unsupported proposal (GC or exception references)".into()),
    })
}

fn f32_matches(pattern: &NanPattern<F32>, bits: u32) -> bool {
    match pattern {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
        NanPattern::ArithmeticNan => bits & 0x7fc0_0000 == 0x7fc0_0000,
        NanPattern::Value(v) => v.bits == bits,
    }
}

fn f64_matches(pattern: &NanPattern<F64>, bits: u64) -> bool {
    match pattern {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
        NanPattern::ArithmeticNan => bits & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000,
        NanPattern::Value(v) => v.bits == bits,
    }
}

fn v128_matches(pattern: &V128Pattern, v: u128) -> bool {
    let lane = |bits: u32, i: usize| (v >> (bits as usize * i)) & ((1u128 << bits) - 1);
    match pattern {
        V128Pattern::I8x16(l) => l.iter().enumerate().all(|(i, &x)| lane(8, i) == x as u8 as u128),
        V128Pattern::I16x8(l) => l.iter().enumerate().all(|(i, &x)| lane(16, i) == x as u16 as u128),
        V128Pattern::I32x4(l) => l.iter().enumerate().all(|(i, &x)| lane(32, i) == x as u32 as u128),
        V128Pattern::I64x2(l) => l.iter().enumerate().all(|(i, &x)| lane(64, i) == x as u64 as u128),
        V128Pattern::F32x4(l) => l.iter().enumerate().all(|(i, p)| f32_matches(p, lane(32, i) as u32)),
        V128Pattern::F64x2(l) => l.iter().enumerate().all(|(i, p)| f64_matches(p, lane(64, i) as u64)),
    }
}

/// An expected result in `.wast` syntax.
pub fn expected_text(expected: &WastRet<'_>) -> String {
    match expected {
        WastRet::Core(core) => super::display::expected(core),
        _ => "(a component-model result)".into(),
    }
}

/// Whether `value` matches the expected result; `Err` when the expectation is out of scope.
pub fn result_matches(expected: &WastRet<'_>, value: &Value) -> Result<bool, String> {
    let WastRet::Core(expected) = expected else { return Err("component-model result".into()) };
    core_matches(expected, value)
}

fn core_matches(expected: &WastRetCore<'_>, value: &Value) -> Result<bool, String> {
    Ok(match (expected, value) {
        (WastRetCore::I32(e), Value::I32(v)) => e == v,
        (WastRetCore::I64(e), Value::I64(v)) => e == v,
        (WastRetCore::F32(p), Value::F32(v)) => f32_matches(p, *v),
        (WastRetCore::F64(p), Value::F64(v)) => f64_matches(p, *v),
        (WastRetCore::V128(p), Value::V128(v)) => v128_matches(p, *v),
        (WastRetCore::RefNull(_), Value::FuncRef(r)) => r.is_none(),
        (WastRetCore::RefNull(_), Value::ExternRef(r)) => r.is_none(),
        (WastRetCore::RefExtern(None), Value::ExternRef(r)) => r.is_some(),
        (WastRetCore::RefExtern(Some(e)), Value::ExternRef(r)) => *r == Some(*e),
        (WastRetCore::RefFunc(_), Value::FuncRef(r)) => r.is_some(),
        (WastRetCore::Either(options), v) => {
            for o in options {
                if core_matches(o, v)? {
                    return Ok(true);
                }
            }
            false
        }
        (
            WastRetCore::I32(_)
            | WastRetCore::I64(_)
            | WastRetCore::F32(_)
            | WastRetCore::F64(_)
            | WastRetCore::V128(_)
            | WastRetCore::RefNull(_)
            | WastRetCore::RefExtern(_)
            | WastRetCore::RefFunc(_),
            _,
        ) => false,
        (other, _) => {
            return Err(format!("expected result {} needs an unsupported proposal", super::display::expected(other)));
        }
    })
}
