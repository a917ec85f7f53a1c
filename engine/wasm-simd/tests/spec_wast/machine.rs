//! A tiny stack machine running straight-line bodies whose only non-local instructions are
//! SIMD operators, executed through `canopy_wasm_simd::classify`'s functions.

use canopy_wasm_simd::{SimdOp, lane_bytes, load_from_bytes, replace_lane_bytes, shuffle};
use wasmparser::MemArg;

use crate::decode::{Body, Step, Val};

/// Why an evaluation stopped early.
#[derive(Debug)]
pub enum Stop {
    /// A wasm trap (out-of-bounds memory access).
    Trap(String),
    /// The body or its arguments do not type-check: a bug in the test or the crate.
    Invalid(String),
}

struct Machine<'m> {
    stack: Vec<Val>,
    locals: Vec<Val>,
    memory: Option<&'m mut Vec<u8>>,
}

impl Machine<'_> {
    fn pop(&mut self) -> Result<Val, Stop> {
        self.stack.pop().ok_or_else(|| Stop::Invalid("stack underflow".into()))
    }

    fn pop_v128(&mut self) -> Result<u128, Stop> {
        match self.pop()? {
            Val::V128(v) => Ok(v),
            other => Err(Stop::Invalid(format!("expected v128, found {other:?}"))),
        }
    }

    fn pop_i32(&mut self) -> Result<i32, Stop> {
        match self.pop()? {
            Val::I32(v) => Ok(v),
            other => Err(Stop::Invalid(format!("expected i32, found {other:?}"))),
        }
    }

    fn pop_i64(&mut self) -> Result<i64, Stop> {
        match self.pop()? {
            Val::I64(v) => Ok(v),
            other => Err(Stop::Invalid(format!("expected i64, found {other:?}"))),
        }
    }

    fn pop_f32(&mut self) -> Result<u32, Stop> {
        match self.pop()? {
            Val::F32(v) => Ok(v),
            other => Err(Stop::Invalid(format!("expected f32, found {other:?}"))),
        }
    }

    fn pop_f64(&mut self) -> Result<u64, Stop> {
        match self.pop()? {
            Val::F64(v) => Ok(v),
            other => Err(Stop::Invalid(format!("expected f64, found {other:?}"))),
        }
    }

    fn local(&mut self, index: u32) -> Result<&mut Val, Stop> {
        self.locals.get_mut(index as usize).ok_or_else(|| Stop::Invalid(format!("no local {index}")))
    }

    /// The in-bounds byte range `address + memarg.offset .. + width` of memory.
    fn memory_range(&mut self, memarg: MemArg, width: usize) -> Result<(&mut Vec<u8>, usize), Stop> {
        let address = self.pop_i32()?;
        let memory = self.memory.as_deref_mut().ok_or_else(|| Stop::Invalid("no memory".into()))?;
        let start = u64::from(address as u32) + memarg.offset;
        if start + width as u64 > memory.len() as u64 {
            return Err(Stop::Trap(format!("out of bounds memory access at {start} (+{width})")));
        }
        Ok((memory, start as usize))
    }

    fn simd(&mut self, op: SimdOp, lane: u8) -> Result<(), Stop> {
        let result = match op {
            SimdOp::Unary(f) => Val::V128(f(self.pop_v128()?)),
            SimdOp::Binary(f) => {
                let b = self.pop_v128()?;
                Val::V128(f(self.pop_v128()?, b))
            }
            SimdOp::Ternary(f) => {
                let c = self.pop_v128()?;
                let b = self.pop_v128()?;
                Val::V128(f(self.pop_v128()?, b, c))
            }
            SimdOp::Shift(f) => {
                let amount = self.pop_i32()? as u32;
                Val::V128(f(self.pop_v128()?, amount))
            }
            SimdOp::Test(f) => Val::I32(f(self.pop_v128()?)),
            SimdOp::SplatI32(f) => Val::V128(f(self.pop_i32()?)),
            SimdOp::SplatI64(f) => Val::V128(f(self.pop_i64()?)),
            SimdOp::SplatF32(f) => Val::V128(f(self.pop_f32()?)),
            SimdOp::SplatF64(f) => Val::V128(f(self.pop_f64()?)),
            SimdOp::ExtractLaneI32(f) => Val::I32(f(self.pop_v128()?, lane)),
            SimdOp::ExtractLaneI64(f) => Val::I64(f(self.pop_v128()?, lane)),
            SimdOp::ExtractLaneF32(f) => Val::F32(f(self.pop_v128()?, lane)),
            SimdOp::ExtractLaneF64(f) => Val::F64(f(self.pop_v128()?, lane)),
            SimdOp::ReplaceLaneI32(f) => {
                let x = self.pop_i32()?;
                Val::V128(f(self.pop_v128()?, lane, x))
            }
            SimdOp::ReplaceLaneI64(f) => {
                let x = self.pop_i64()?;
                Val::V128(f(self.pop_v128()?, lane, x))
            }
            SimdOp::ReplaceLaneF32(f) => {
                let x = self.pop_f32()?;
                Val::V128(f(self.pop_v128()?, lane, x))
            }
            SimdOp::ReplaceLaneF64(f) => {
                let x = self.pop_f64()?;
                Val::V128(f(self.pop_v128()?, lane, x))
            }
            SimdOp::Shuffle(lanes) => {
                let b = self.pop_v128()?;
                Val::V128(shuffle(lanes, self.pop_v128()?, b))
            }
            SimdOp::Const(v) => Val::V128(v),
            SimdOp::Load(kind, memarg) => {
                let (memory, start) = self.memory_range(memarg, kind.width())?;
                Val::V128(load_from_bytes(kind, &memory[start..start + kind.width()]))
            }
            SimdOp::Store(memarg) => {
                let v = self.pop_v128()?;
                let (memory, start) = self.memory_range(memarg, 16)?;
                memory[start..start + 16].copy_from_slice(&v.to_le_bytes());
                return Ok(());
            }
            SimdOp::LoadLane { bytes, lane, memarg } => {
                let v = self.pop_v128()?;
                let width = usize::from(bytes);
                let (memory, start) = self.memory_range(memarg, width)?;
                Val::V128(replace_lane_bytes(v, &memory[start..start + width], lane))
            }
            SimdOp::StoreLane { bytes, lane, memarg } => {
                let v = self.pop_v128()?;
                let width = usize::from(bytes);
                let (memory, start) = self.memory_range(memarg, width)?;
                memory[start..start + width].copy_from_slice(&lane_bytes(v, bytes, lane)[..width]);
                return Ok(());
            }
        };
        self.stack.push(result);
        Ok(())
    }
}

/// Runs `body` on `args` against the instance's `globals` and `memory`, returning the values
/// left on the stack.
pub fn run(body: &Body, args: &[Val], globals: &[Option<Val>], memory: Option<&mut Vec<u8>>) -> Result<Vec<Val>, Stop> {
    let locals = args.iter().chain(&body.declared_locals).copied().collect();
    let mut machine = Machine { stack: Vec::new(), locals, memory };
    for step in &body.steps {
        match *step {
            Step::LocalGet(index) => {
                let value = *machine.local(index)?;
                machine.stack.push(value);
            }
            Step::LocalSet(index) => {
                let value = machine.pop()?;
                *machine.local(index)? = value;
            }
            Step::LocalTee(index) => {
                let value = machine.pop()?;
                *machine.local(index)? = value;
                machine.stack.push(value);
            }
            Step::Drop => {
                machine.pop()?;
            }
            Step::Push(value) => machine.stack.push(value),
            Step::GlobalGet(index) => {
                let value = globals.get(index as usize).copied().flatten();
                machine.stack.push(value.ok_or_else(|| Stop::Invalid(format!("global {index} is not known")))?);
            }
            Step::ScalarLoad { wide, memarg } => {
                let width = if wide { 8 } else { 4 };
                let (memory, start) = machine.memory_range(memarg, width)?;
                let mut bytes = [0; 8];
                bytes[..width].copy_from_slice(&memory[start..start + width]);
                let value = u64::from_le_bytes(bytes);
                machine.stack.push(if wide { Val::I64(value as i64) } else { Val::I32(value as i32) });
            }
            Step::Simd { op, lane } => machine.simd(op, lane)?,
        }
    }
    Ok(machine.stack)
}
