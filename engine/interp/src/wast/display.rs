//! Values, expectations and traps as people read them: floats exactly (NaN sign and payload
//! included), expectations in `.wast` syntax rather than Rust debug text, and backtraces with
//! repeated frames folded the way Rust and Python fold them, so that a call-stack-exhausted trap
//! prints a few lines rather than ten thousand.

use std::fmt::Write;

use wast::core::{AbstractHeapType, HeapType, NanPattern, V128Pattern, WastRetCore};
use wast::token::{F32, F64};

use crate::config::Limits;
use crate::trap::{FrameInfo, Trap, TrapKind};
use crate::value::Value;

/// An f32 given by its bits: the shortest decimal that reads back exactly, `inf`, or a NaN as
/// `.wat` writes it (`nan`, `-nan`, `nan:0x200000`).
pub fn f32_text(bits: u32) -> String {
    float_text(f32::from_bits(bits).is_nan(), bits >> 31 == 1, u64::from(bits & 0x7f_ffff), 1 << 22, || {
        f32::from_bits(bits).to_string()
    })
}

/// An f64 given by its bits, written as [`f32_text`] writes an f32.
pub fn f64_text(bits: u64) -> String {
    float_text(f64::from_bits(bits).is_nan(), bits >> 63 == 1, bits & 0xf_ffff_ffff_ffff, 1 << 51, || {
        f64::from_bits(bits).to_string()
    })
}

fn float_text(nan: bool, negative: bool, payload: u64, canonical: u64, number: impl Fn() -> String) -> String {
    if !nan {
        return number();
    }
    let sign = if negative { "-" } else { "" };
    if payload == canonical { format!("{sign}nan") } else { format!("{sign}nan:{payload:#x}") }
}

/// A value as `.wast` writes a constant: `(i32.const 4)`, `(f32.const -nan:0x1)`.
pub fn value(v: &Value) -> String {
    match v {
        Value::I32(x) => format!("(i32.const {x})"),
        Value::I64(x) => format!("(i64.const {x})"),
        Value::F32(b) => format!("(f32.const {})", f32_text(*b)),
        Value::F64(b) => format!("(f64.const {})", f64_text(*b)),
        Value::V128(x) => format!("(v128.const i64x2 {:#x} {:#x})", *x as u64, (*x >> 64) as u64),
        Value::FuncRef(None) => "(ref.null func)".into(),
        Value::FuncRef(Some(a)) => format!("(ref.func {})", a.0),
        Value::ExternRef(None) => "(ref.null extern)".into(),
        Value::ExternRef(Some(a)) => format!("(ref.extern {a})"),
    }
}

/// Several values, space-separated, or `nothing`.
pub fn values(vs: &[Value]) -> String {
    if vs.is_empty() { "nothing".into() } else { vs.iter().map(value).collect::<Vec<_>>().join(" ") }
}

fn nan_f32(p: &NanPattern<F32>) -> String {
    match p {
        NanPattern::CanonicalNan => "nan:canonical".into(),
        NanPattern::ArithmeticNan => "nan:arithmetic".into(),
        NanPattern::Value(v) => f32_text(v.bits),
    }
}

fn nan_f64(p: &NanPattern<F64>) -> String {
    match p {
        NanPattern::CanonicalNan => "nan:canonical".into(),
        NanPattern::ArithmeticNan => "nan:arithmetic".into(),
        NanPattern::Value(v) => f64_text(v.bits),
    }
}

fn heap(h: &HeapType<'_>) -> String {
    match h {
        HeapType::Abstract { shared, ty } => {
            let name = match ty {
                AbstractHeapType::Func => "func",
                AbstractHeapType::Extern => "extern",
                AbstractHeapType::NoFunc => "nofunc",
                AbstractHeapType::NoExtern => "noextern",
                AbstractHeapType::Any => "any",
                AbstractHeapType::Eq => "eq",
                AbstractHeapType::Struct => "struct",
                AbstractHeapType::Array => "array",
                AbstractHeapType::I31 => "i31",
                AbstractHeapType::None => "none",
                AbstractHeapType::Exn => "exn",
                AbstractHeapType::NoExn => "noexn",
                AbstractHeapType::Cont => "cont",
                AbstractHeapType::NoCont => "nocont",
            };
            if *shared { format!("shared {name}") } else { name.into() }
        }
        HeapType::Concrete(index) | HeapType::Exact(index) => match index {
            wast::token::Index::Num(n, _) => n.to_string(),
            wast::token::Index::Id(id) => format!("${}", id.name()),
        },
    }
}

/// An expected result as `.wast` writes it: `(i32.const 4)`, `(f32.const nan:canonical)`.
pub fn expected(e: &WastRetCore<'_>) -> String {
    let lanes = |items: Vec<String>| items.join(" ");
    match e {
        WastRetCore::I32(v) => format!("(i32.const {v})"),
        WastRetCore::I64(v) => format!("(i64.const {v})"),
        WastRetCore::F32(p) => format!("(f32.const {})", nan_f32(p)),
        WastRetCore::F64(p) => format!("(f64.const {})", nan_f64(p)),
        WastRetCore::V128(p) => match p {
            V128Pattern::I8x16(l) => format!("(v128.const i8x16 {})", lanes(l.iter().map(|x| x.to_string()).collect())),
            V128Pattern::I16x8(l) => format!("(v128.const i16x8 {})", lanes(l.iter().map(|x| x.to_string()).collect())),
            V128Pattern::I32x4(l) => format!("(v128.const i32x4 {})", lanes(l.iter().map(|x| x.to_string()).collect())),
            V128Pattern::I64x2(l) => format!("(v128.const i64x2 {})", lanes(l.iter().map(|x| x.to_string()).collect())),
            V128Pattern::F32x4(l) => format!("(v128.const f32x4 {})", lanes(l.iter().map(nan_f32).collect())),
            V128Pattern::F64x2(l) => format!("(v128.const f64x2 {})", lanes(l.iter().map(nan_f64).collect())),
        },
        WastRetCore::RefNull(None) => "(ref.null)".into(),
        WastRetCore::RefNull(Some(h)) => format!("(ref.null {})", heap(h)),
        WastRetCore::RefExtern(None) => "(ref.extern)".into(),
        WastRetCore::RefExtern(Some(n)) => format!("(ref.extern {n})"),
        WastRetCore::RefFunc(None) => "(ref.func)".into(),
        WastRetCore::RefFunc(Some(index)) => format!(
            "(ref.func {})",
            match index {
                wast::token::Index::Num(n, _) => n.to_string(),
                wast::token::Index::Id(id) => format!("${}", id.name()),
            }
        ),
        WastRetCore::Either(options) => format!("(either {})", lanes(options.iter().map(expected).collect())),
        other => {
            // Proposals the interpreter does not run (GC references, exceptions): name the kind.
            let debug = format!("{other:?}");
            let kind = debug.split(['(', ' ', '{']).next().unwrap_or("result");
            format!("({kind} ...)")
        }
    }
}

/// A trap's reason, with the value of the limit it hit: the stack and fuel limits are carried
/// by the trap, the memory and table limits are read from `limits`.
pub fn trap_kind(kind: &TrapKind, limits: &Limits) -> String {
    match kind {
        TrapKind::CallStackExhausted { limit } => {
            format!("call stack exhausted (limit max_call_depth = {} frames)", thousands(*limit as u64))
        }
        TrapKind::ValueStackExhausted { limit } => {
            format!("value stack exhausted (limit max_stack_slots = {} slots)", thousands(*limit as u64))
        }
        TrapKind::FuelExhausted { limit } => format!("fuel exhausted (limit fuel = {})", thousands(*limit)),
        TrapKind::MemoryLimitExceeded => format!(
            "memory size limit exceeded (limit max_memory_pages = {} pages of 64 KiB)",
            thousands(limits.max_memory_pages)
        ),
        TrapKind::TableLimitExceeded => {
            format!("table size limit exceeded (limit max_table_elements = {})", thousands(limits.max_table_elements))
        }
        other => other.to_string(),
    }
}

/// The most frames of a backtrace printed after folding; the rest are counted.
const MAX_FRAMES: usize = 40;
/// The longest cycle of frames (mutual recursion) that is folded.
const MAX_PERIOD: usize = 8;

/// A trap with its backtrace, one frame a line, repeated frames folded: a frame repeated more
/// than three times in a row is printed three times, then `frame repeated N more times`; a cycle
/// of up to eight frames repeated is printed once, then `the N frames above repeated M more
/// times`. At most [`MAX_FRAMES`] lines of frames are printed.
pub fn trap(trap: &Trap, limits: &Limits) -> String {
    let mut out = trap_kind(&trap.kind, limits);
    let frames = &trap.backtrace;
    let mut lines = 0usize;
    let mut i = 0;
    while i < frames.len() {
        if lines >= MAX_FRAMES {
            let _ = write!(out, "\n  ... and {} more frames", thousands((frames.len() - i) as u64));
            break;
        }
        let (period, repeats) = cycle_at(frames, i);
        if period == 1 && repeats > 3 {
            for k in 0..3 {
                frame_line(&mut out, i + k, &frames[i]);
            }
            let _ = write!(out, "\n  [frame repeated {} more times]", thousands(repeats as u64 - 3));
            lines += 4;
            i += repeats;
        } else if period > 1 && repeats >= 3 {
            for k in 0..period {
                frame_line(&mut out, i + k, &frames[i + k]);
            }
            let _ =
                write!(out, "\n  [the {period} frames above repeated {} more times]", thousands(repeats as u64 - 1));
            lines += period + 1;
            i += period * repeats;
        } else {
            frame_line(&mut out, i, &frames[i]);
            lines += 1;
            i += 1;
        }
    }
    out
}

fn frame_line(out: &mut String, index: usize, frame: &FrameInfo) {
    let _ = write!(out, "\n  {index}: {frame}");
}

/// The shortest period (up to [`MAX_PERIOD`]) of the frames starting at `i`, with how many
/// times the cycle occurs in a row; `(1, 1)` when nothing repeats.
fn cycle_at(frames: &[FrameInfo], i: usize) -> (usize, usize) {
    for period in 1..=MAX_PERIOD {
        if i + 2 * period > frames.len() {
            break;
        }
        let mut repeats = 1;
        while i + (repeats + 1) * period <= frames.len()
            && frames[i..i + period] == frames[i + repeats * period..i + (repeats + 1) * period]
        {
            repeats += 1;
        }
        if repeats > 1 {
            return (period, repeats);
        }
    }
    (1, 1)
}

/// `n` with thousands separators: `9,997`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(index: u32, offset: u32) -> FrameInfo {
        FrameInfo { func_index: index, func_name: Some(format!("f{index}")), code_offset: offset }
    }

    #[test]
    fn floats_keep_nan_sign_and_payload() {
        assert_eq!(f32_text(0x7fc0_0000), "nan");
        assert_eq!(f32_text(0xffc0_0000), "-nan");
        assert_eq!(f32_text(0xff80_0123), "-nan:0x123");
        assert_eq!(f64_text(0x7ff0_0000_0000_0001), "nan:0x1");
        assert_eq!(f32_text(f32::INFINITY.to_bits()), "inf");
        assert_eq!(f64_text(2.5f64.to_bits()), "2.5");
    }

    #[test]
    fn repeated_frames_are_folded() {
        let limits = Limits::default();
        let exhausted = TrapKind::CallStackExhausted { limit: 10_000 };
        let same = Trap { kind: exhausted.clone(), backtrace: vec![frame(0, 5); 10_000] };
        let text = trap(&same, &limits);
        assert!(text.contains("frame repeated 9,997 more times"), "{text}");
        assert!(text.contains("max_call_depth = 10,000"), "{text}");
        assert!(text.lines().count() < 10, "{text}");

        let mutual: Vec<FrameInfo> = (0..9_999).map(|i| frame(i % 3, 7 + i % 3)).collect();
        let text = trap(&Trap { kind: exhausted, backtrace: mutual }, &limits);
        assert!(text.contains("the 3 frames above repeated 3,332 more times"), "{text}");
        assert!(text.lines().count() < 10, "{text}");

        let distinct: Vec<FrameInfo> = (0..500).map(|i| frame(i, i)).collect();
        let text = trap(&Trap { kind: TrapKind::Unreachable, backtrace: distinct }, &limits);
        assert!(text.contains("and 460 more frames") && text.lines().count() < 50, "{text}");
    }
}
