//! SIMD (`v128`) support: the stack and memory plumbing around the pure lane semantics of
//! `canopy-wasm-simd`. A `v128` occupies two slots, low half first; SIMD instructions run as
//! stack operations over the frame's operand slots ([`SlotStack`]).

use canopy_wasm_simd::{SimdOp, lane_bytes, lane_index, load_from_bytes, replace_lane_bytes};

use crate::rare::SlotStack;
use crate::trap::TrapKind;

/// A decoded SIMD operation with its lane immediate.
#[derive(Debug, Clone, Copy)]
pub struct SimdInstr {
    op: SimdOp,
    lane: u8,
}

/// Classifies a SIMD operator; `Ok(None)` for operators that are not SIMD, `Err` for SIMD
/// memory accesses outside memory 0.
pub(crate) fn classify(op: &wasmparser::Operator<'_>) -> Result<Option<SimdInstr>, String> {
    let Some(simd) = canopy_wasm_simd::classify(op) else { return Ok(None) };
    let memarg = match &simd {
        SimdOp::Load(_, m) | SimdOp::Store(m) => Some(m),
        SimdOp::LoadLane { memarg, .. } | SimdOp::StoreLane { memarg, .. } => Some(memarg),
        _ => None,
    };
    if let Some(m) = memarg
        && (m.target != wasmparser::MemArgTarget::Memory(0) || m.offset > u32::MAX as u64)
    {
        return Err("SIMD access to a memory other than a 32-bit memory 0".into());
    }
    Ok(Some(SimdInstr { op: simd, lane: lane_index(op).unwrap_or(0) }))
}

#[inline(always)]
fn pop(stack: &mut SlotStack<'_>) -> u64 {
    stack.pop()
}

#[inline(always)]
fn pop_v128(stack: &mut SlotStack<'_>) -> u128 {
    let hi = pop(stack);
    let lo = pop(stack);
    lo as u128 | ((hi as u128) << 64)
}

#[inline(always)]
fn push_v128(stack: &mut SlotStack<'_>, v: u128) {
    stack.push(v as u64);
    stack.push((v >> 64) as u64);
}

/// The bytes at `address + offset .. + len` of `memory`, or an out-of-bounds trap.
fn range<'m>(
    memory: &'m mut Option<&mut [u8]>,
    address: u64,
    offset: u64,
    len: usize,
) -> Result<&'m mut [u8], TrapKind> {
    let start = (address as u32 as usize) + offset as usize;
    memory.as_deref_mut().and_then(|m| m.get_mut(start..start + len)).ok_or(TrapKind::MemoryOutOfBounds)
}

/// Executes a SIMD operation on the value stack (and the default memory, for loads/stores).
pub(crate) fn execute(
    instr: &SimdInstr,
    stack: &mut SlotStack<'_>,
    mut memory: Option<&mut [u8]>,
) -> Result<(), TrapKind> {
    let lane = instr.lane;
    match instr.op {
        SimdOp::Unary(f) => {
            let a = pop_v128(stack);
            push_v128(stack, f(a));
        }
        SimdOp::Binary(f) => {
            let b = pop_v128(stack);
            let a = pop_v128(stack);
            push_v128(stack, f(a, b));
        }
        SimdOp::Ternary(f) => {
            let c = pop_v128(stack);
            let b = pop_v128(stack);
            let a = pop_v128(stack);
            push_v128(stack, f(a, b, c));
        }
        SimdOp::Shift(f) => {
            let n = pop(stack) as u32;
            let a = pop_v128(stack);
            push_v128(stack, f(a, n));
        }
        SimdOp::Test(f) => {
            let a = pop_v128(stack);
            stack.push(f(a) as u32 as u64);
        }
        SimdOp::SplatI32(f) => {
            let x = pop(stack) as i32;
            push_v128(stack, f(x));
        }
        SimdOp::SplatI64(f) => {
            let x = pop(stack) as i64;
            push_v128(stack, f(x));
        }
        SimdOp::SplatF32(f) => {
            let x = pop(stack) as u32;
            push_v128(stack, f(x));
        }
        SimdOp::SplatF64(f) => {
            let x = pop(stack);
            push_v128(stack, f(x));
        }
        SimdOp::ExtractLaneI32(f) => {
            let a = pop_v128(stack);
            stack.push(f(a, lane) as u32 as u64);
        }
        SimdOp::ExtractLaneI64(f) => {
            let a = pop_v128(stack);
            stack.push(f(a, lane) as u64);
        }
        SimdOp::ExtractLaneF32(f) => {
            let a = pop_v128(stack);
            stack.push(f(a, lane) as u64);
        }
        SimdOp::ExtractLaneF64(f) => {
            let a = pop_v128(stack);
            stack.push(f(a, lane));
        }
        SimdOp::ReplaceLaneI32(f) => {
            let x = pop(stack) as i32;
            let a = pop_v128(stack);
            push_v128(stack, f(a, lane, x));
        }
        SimdOp::ReplaceLaneI64(f) => {
            let x = pop(stack) as i64;
            let a = pop_v128(stack);
            push_v128(stack, f(a, lane, x));
        }
        SimdOp::ReplaceLaneF32(f) => {
            let x = pop(stack) as u32;
            let a = pop_v128(stack);
            push_v128(stack, f(a, lane, x));
        }
        SimdOp::ReplaceLaneF64(f) => {
            let x = pop(stack);
            let a = pop_v128(stack);
            push_v128(stack, f(a, lane, x));
        }
        SimdOp::Shuffle(lanes) => {
            let b = pop_v128(stack);
            let a = pop_v128(stack);
            push_v128(stack, canopy_wasm_simd::shuffle(lanes, a, b));
        }
        SimdOp::Const(v) => push_v128(stack, v),
        SimdOp::Load(kind, memarg) => {
            let address = pop(stack);
            let bytes = range(&mut memory, address, memarg.offset, kind.width())?;
            let v = load_from_bytes(kind, bytes);
            push_v128(stack, v);
        }
        SimdOp::Store(memarg) => {
            let v = pop_v128(stack);
            let address = pop(stack);
            range(&mut memory, address, memarg.offset, 16)?.copy_from_slice(&v.to_le_bytes());
        }
        SimdOp::LoadLane { bytes, lane, memarg } => {
            let v = pop_v128(stack);
            let address = pop(stack);
            let data = range(&mut memory, address, memarg.offset, bytes as usize)?;
            let v = replace_lane_bytes(v, data, lane);
            push_v128(stack, v);
        }
        SimdOp::StoreLane { bytes, lane, memarg } => {
            let v = pop_v128(stack);
            let address = pop(stack);
            let data = range(&mut memory, address, memarg.offset, bytes as usize)?;
            data.copy_from_slice(&lane_bytes(v, bytes, lane)[..bytes as usize]);
        }
    }
    Ok(())
}
