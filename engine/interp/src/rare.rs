//! Instructions that run as stack operations over the frame's operand slots: bulk memory, tables,
//! references, `memory.size`/`memory.grow` and SIMD. They are rare in hot loops, so they keep the
//! simple stack semantics ([`SlotStack`] over the operand slots, whose height the translator
//! knows) instead of a register form of their own.

use crate::config::Limits;
use crate::simd::{self, SimdInstr};
use crate::store::{InstanceData, PAGE_SIZE, Runtime};
use crate::trap::TrapKind;

/// A stack operation (see [`crate::code::Instr::Stack`]).
#[derive(Debug, Clone, Copy)]
pub(crate) enum StackOp {
    MemorySize,
    MemoryGrow,
    MemoryFill,
    MemoryCopy,
    MemoryInit(u32),
    DataDrop(u32),
    TableGet(u32),
    TableSet(u32),
    TableSize(u32),
    TableGrow(u32),
    TableFill(u32),
    TableCopy { dst: u32, src: u32 },
    TableInit { table: u32, elem: u32 },
    ElemDrop(u32),
    RefNull,
    RefFunc(u32),
    Simd(SimdInstr),
}

/// The operand stack of a frame as a stack: `slots` is the frame's window, `len` the height.
/// Popping an empty stack yields 0 (validation rules it out).
pub(crate) struct SlotStack<'a> {
    slots: &'a mut [u64],
    len: usize,
}

impl<'a> SlotStack<'a> {
    /// The stack whose top is just below slot `len` of `slots`.
    pub fn new(slots: &'a mut [u64], len: usize) -> SlotStack<'a> {
        SlotStack { slots, len }
    }

    /// Pops the top slot.
    #[inline]
    pub fn pop(&mut self) -> u64 {
        if self.len == 0 {
            return 0;
        }
        self.len -= 1;
        self.slots.get(self.len).copied().unwrap_or(0)
    }

    /// Pushes a slot (ignored past the frame: validation bounds the height).
    #[inline]
    pub fn push(&mut self, v: u64) {
        if let Some(s) = self.slots.get_mut(self.len) {
            *s = v;
            self.len += 1;
        }
    }
}

/// What a stack operation may touch besides its operands.
pub(crate) struct RareContext<'r> {
    pub rt: &'r mut Runtime,
    pub inst: &'r InstanceData,
    pub limits: &'r Limits,
}

/// Runs one stack operation.
pub(crate) fn execute(op: &StackOp, stack: &mut SlotStack<'_>, cx: RareContext<'_>) -> Result<(), TrapKind> {
    let RareContext { rt, inst, limits } = cx;
    let mem = inst.memories.first().map(|&m| m as usize);
    match *op {
        StackOp::MemorySize => {
            let len = memory_of(rt, mem).map_or(0, |d| d.len());
            stack.push((len / PAGE_SIZE) as u64);
        }
        StackOp::MemoryGrow => {
            let delta = stack.pop() as u32 as u64;
            let Some(m) = mem.and_then(|m| rt.memories.get_mut(m)) else { return Err(TrapKind::MemoryOutOfBounds) };
            let old = (m.data.len() / PAGE_SIZE) as u64;
            let new = old + delta;
            if new > m.max_pages.unwrap_or(65536).min(65536) {
                stack.push(u32::MAX as u64);
            } else if new > limits.max_memory_pages {
                return Err(TrapKind::MemoryLimitExceeded);
            } else {
                let max = m.max_pages.unwrap_or(65536).min(65536).min(limits.max_memory_pages);
                if crate::raw::grow_zeroed(&mut m.data, new as usize * PAGE_SIZE, max as usize * PAGE_SIZE) {
                    stack.push(old);
                } else {
                    // The system has no memory for it: the spec lets `memory.grow` fail.
                    stack.push(u32::MAX as u64);
                }
            }
        }
        StackOp::MemoryFill => {
            let n = stack.pop() as u32 as usize;
            let v = stack.pop() as u8;
            let d = stack.pop() as u32 as usize;
            match memory_of(rt, mem).and_then(|m| m.get_mut(d..d + n)) {
                Some(bytes) => bytes.fill(v),
                None => return Err(TrapKind::MemoryOutOfBounds),
            }
        }
        StackOp::MemoryCopy => {
            let n = stack.pop() as u32 as usize;
            let s = stack.pop() as u32 as usize;
            let d = stack.pop() as u32 as usize;
            let Some(data) = memory_of(rt, mem) else { return Err(TrapKind::MemoryOutOfBounds) };
            if s + n > data.len() || d + n > data.len() {
                return Err(TrapKind::MemoryOutOfBounds);
            }
            data.copy_within(s..s + n, d);
        }
        StackOp::MemoryInit(seg) => {
            let n = stack.pop() as u32;
            let s = stack.pop() as u32;
            let d = stack.pop() as u32;
            let m = mem.ok_or(TrapKind::MemoryOutOfBounds)? as u32;
            rt.memory_init(m, inst.datas[seg as usize], d, s, n)?;
        }
        StackOp::DataDrop(seg) => rt.datas[inst.datas[seg as usize] as usize] = Default::default(),
        StackOp::TableGet(t) => {
            let i = stack.pop() as u32 as usize;
            match rt.tables[inst.tables[t as usize] as usize].elems.get(i) {
                Some(&r) => stack.push(r),
                None => return Err(TrapKind::TableOutOfBounds),
            }
        }
        StackOp::TableSet(t) => {
            let r = stack.pop();
            let i = stack.pop() as u32 as usize;
            match rt.tables[inst.tables[t as usize] as usize].elems.get_mut(i) {
                Some(slot) => *slot = r,
                None => return Err(TrapKind::TableOutOfBounds),
            }
        }
        StackOp::TableSize(t) => stack.push(rt.tables[inst.tables[t as usize] as usize].elems.len() as u64),
        StackOp::TableGrow(t) => {
            let n = stack.pop() as u32 as u64;
            let r = stack.pop();
            let table = &mut rt.tables[inst.tables[t as usize] as usize];
            let old = table.elems.len() as u64;
            let new = old + n;
            if new > table.ty.limits.max.unwrap_or(u32::MAX as u64).min(u32::MAX as u64) {
                stack.push(u32::MAX as u64);
            } else if new > limits.max_table_elements {
                return Err(TrapKind::TableLimitExceeded);
            } else if table.elems.try_reserve(n as usize).is_ok() {
                table.elems.resize(new as usize, r);
                stack.push(old);
            } else {
                // No memory for the entries: `table.grow` fails.
                stack.push(u32::MAX as u64);
            }
        }
        StackOp::TableFill(t) => {
            let n = stack.pop() as u32 as usize;
            let r = stack.pop();
            let i = stack.pop() as u32 as usize;
            match rt.tables[inst.tables[t as usize] as usize].elems.get_mut(i..i + n) {
                Some(slots) => slots.fill(r),
                None => return Err(TrapKind::TableOutOfBounds),
            }
        }
        StackOp::TableCopy { dst, src } => {
            let n = stack.pop() as u32 as usize;
            let s = stack.pop() as u32 as usize;
            let d = stack.pop() as u32 as usize;
            let (dt, st) = (inst.tables[dst as usize] as usize, inst.tables[src as usize] as usize);
            if s + n > rt.tables[st].elems.len() || d + n > rt.tables[dt].elems.len() {
                return Err(TrapKind::TableOutOfBounds);
            }
            if dt == st {
                rt.tables[dt].elems.copy_within(s..s + n, d);
            } else {
                let items: Vec<u64> = rt.tables[st].elems[s..s + n].to_vec();
                rt.tables[dt].elems[d..d + n].copy_from_slice(&items);
            }
        }
        StackOp::TableInit { table, elem } => {
            let n = stack.pop() as u32;
            let s = stack.pop() as u32;
            let d = stack.pop() as u32;
            rt.table_init(inst.tables[table as usize], inst.elems[elem as usize], d, s, n)?;
        }
        StackOp::ElemDrop(seg) => rt.elems[inst.elems[seg as usize] as usize] = Default::default(),
        StackOp::RefNull => stack.push(0),
        StackOp::RefFunc(f) => stack.push(inst.funcs[f as usize] as u64 + 1),
        StackOp::Simd(ref instr) => simd::execute(instr, stack, memory_of(rt, mem).map(|v| &mut v[..]))?,
    }
    Ok(())
}

/// The default memory's bytes, if the instance has one.
fn memory_of(rt: &mut Runtime, mem: Option<usize>) -> Option<&mut Vec<u8>> {
    mem.and_then(|m| rt.memories.get_mut(m)).map(|m| &mut m.data)
}
