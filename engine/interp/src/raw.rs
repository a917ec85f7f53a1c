//! The interpreter's one unsafe module: slot, instruction and memory access without bounds
//! checks where validation has already made them.
//!
//! Everything here rests on [`crate::code::FuncCode::verify`], which every translated body
//! passes before it can run: every slot an instruction names (with its width) lies below the
//! body's `frame_slots`, and every jump target, `br_table` entry and fall-through stays inside
//! the body (the last instruction is a terminator). The threaded loop's registers ([`Ip`],
//! [`Sp`], [`Mem`]) are raw pointers; the rule that keeps them valid is that each is derived
//! afresh, by the constructors below, after anything else touched the buffer it points into
//! (a call or return moves between frames and may grow the value stack; `memory.grow` and host
//! functions may grow a memory).

use crate::code::Instr;
use crate::threaded::{Handler, Op};

/// A frame's slots: exactly `frame_slots` of the thread's value stack, borrowed mutably for as
/// long as the frame runs, so the stack cannot be resized underneath it.
pub(crate) struct Slots<'a> {
    slots: &'a mut [u64],
}

impl<'a> Slots<'a> {
    /// The frame of `frame_slots` slots starting at `base`. Panics if the stack is too short:
    /// callers size it first, so this is a check that cannot fail.
    #[inline(always)]
    pub fn new(stack: &'a mut [u64], base: usize, frame_slots: usize) -> Slots<'a> {
        Slots { slots: &mut stack[base..base + frame_slots] }
    }

    /// Slot `i` of the frame.
    #[inline(always)]
    pub fn get(&self, i: u32) -> u64 {
        debug_assert!((i as usize) < self.slots.len());
        // SAFETY: `i` comes from an instruction of a verified body whose frame this is, and
        // `verify` checked `i < frame_slots == self.slots.len()`.
        unsafe { *self.slots.get_unchecked(i as usize) }
    }

    /// Writes slot `i` of the frame.
    #[inline(always)]
    pub fn set(&mut self, i: u32, v: u64) {
        debug_assert!((i as usize) < self.slots.len());
        // SAFETY: as in `get`: verified `i < frame_slots == self.slots.len()`.
        unsafe { *self.slots.get_unchecked_mut(i as usize) = v }
    }

    /// The whole frame, for operations that work on several slots at once.
    #[inline(always)]
    pub fn all(&mut self) -> &mut [u64] {
        self.slots
    }
}

/// Instruction `pc` of a verified body.
#[inline(always)]
pub(crate) fn fetch(instrs: &[Instr], pc: usize) -> Instr {
    debug_assert!(pc < instrs.len());
    // SAFETY: execution starts at 0 and moves only by falling through a non-terminator (the
    // last instruction is a terminator, so `pc + 1` stays in range) or jumping to a target
    // `verify` checked is `< instrs.len()`.
    unsafe { *instrs.get_unchecked(pc) }
}

/// Grows `bytes` to `new_len` zero bytes at the end without writing them: spare capacity is
/// allocated zeroed by the allocator (fresh pages the OS maps on first touch), so growing a
/// memory costs what is copied, not what is added. Capacity at least doubles, so a run of small
/// grows copies each byte a bounded number of times; it never exceeds `max_len`. Returns false,
/// leaving `bytes` as it was, when the allocation fails (a memory limit: `memory.grow` then
/// answers -1 instead of aborting).
pub(crate) fn grow_zeroed(bytes: &mut Vec<u8>, new_len: usize, max_len: usize) -> bool {
    if new_len <= bytes.len() {
        return true;
    }
    if new_len > bytes.capacity() {
        let capacity = new_len.max(bytes.capacity().saturating_mul(2)).min(max_len.max(new_len));
        let Ok(layout) = std::alloc::Layout::array::<u8>(capacity) else { return false };
        // SAFETY: `layout` has a non-zero size (`capacity >= new_len > bytes.len() >= 0`).
        let ptr = unsafe { std::alloc::alloc_zeroed(layout) };
        if ptr.is_null() {
            return false;
        }
        // SAFETY: `ptr` is a fresh allocation of `capacity >= bytes.len()` bytes from the global
        // allocator with the layout of a `Vec<u8>` of that capacity; the old bytes are copied
        // into it and the rest is zero, so all `capacity` bytes are initialized.
        let mut grown = unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), ptr, bytes.len());
            Vec::from_raw_parts(ptr, bytes.len(), capacity)
        };
        std::mem::swap(bytes, &mut grown);
    }
    // SAFETY: `new_len <= capacity`, and every byte past the length is zero: a memory's buffer
    // is only ever created and grown here (spare capacity comes from `alloc_zeroed`), and
    // everything else reaches a memory as a slice of its length (`Caller::memory` included), so
    // nothing is ever written past the length or the length lowered.
    unsafe { bytes.set_len(new_len) };
    true
}

/// The threaded loop's instruction pointer: the [`Op`] being executed in a verified body's
/// threaded code.
#[derive(Clone, Copy)]
pub(crate) struct Ip(*const Op);

impl Ip {
    /// Instruction `pc` of `ops`. Panics when `pc` is out of range: frames only hold positions
    /// of their body, so this is a check that cannot fail.
    #[inline(always)]
    pub fn start(ops: &[Op], pc: usize) -> Ip {
        Ip(&ops[pc])
    }

    /// The instruction after this one (this one is not a terminator, so it exists).
    #[inline(always)]
    pub fn next(self) -> Ip {
        Ip(self.0.wrapping_add(1))
    }

    /// The instruction `rel` places from this one (a verified jump target).
    #[inline(always)]
    pub fn jump(self, rel: i32) -> Ip {
        Ip(self.0.wrapping_offset(rel as isize))
    }

    /// The instruction's operands and handler.
    #[inline(always)]
    pub fn op(self) -> Op {
        // SAFETY: an `Ip` is made by `start` (in range), by `next` from a non-terminator (the
        // body ends in a terminator, so the next one exists) or by `jump` with a target that
        // `verify` checked lies in the body; the body's `ops` live in an `Arc<FuncCode>` the
        // store holds for as long as the loop borrows the store.
        unsafe { *self.0 }
    }

    /// The instruction's handler.
    #[inline(always)]
    pub fn handler(self) -> Handler {
        // SAFETY: as in `op`.
        unsafe { (*self.0).handler }
    }

    /// The instruction's index in `ops`, the body it points into.
    #[inline(always)]
    pub fn index_in(self, ops: &[Op]) -> usize {
        (self.0 as usize - ops.as_ptr() as usize) / std::mem::size_of::<Op>()
    }
}

/// The threaded loop's frame pointer: the current frame's first slot on the value stack.
#[derive(Clone, Copy)]
pub(crate) struct Sp(*mut u64);

impl Sp {
    /// The frame of `frame_slots` slots at `base`. Panics if the stack is too short: callers
    /// size it first, so this is a check that cannot fail.
    #[inline(always)]
    pub fn new(stack: &mut [u64], base: usize, frame_slots: usize) -> Sp {
        Sp(stack[base..base + frame_slots].as_mut_ptr())
    }

    /// A placeholder that must not be read: replaced by [`Sp::new`] before any slot access.
    pub fn dangling() -> Sp {
        Sp(std::ptr::NonNull::dangling().as_ptr())
    }

    /// Slot `i` of the frame.
    #[inline(always)]
    pub fn get(self, i: u32) -> u64 {
        // SAFETY: `i` comes from an instruction of the verified body whose frame this is
        // (`i < frame_slots`, and `new` checked the frame lies in the stack); the stack has not
        // moved since `new` (see the module header).
        unsafe { *self.0.add(i as usize) }
    }

    /// Writes slot `i` of the frame.
    #[inline(always)]
    pub fn set(self, i: u32, v: u64) {
        // SAFETY: as in `get`.
        unsafe { *self.0.add(i as usize) = v }
    }
}

/// The threaded loop's view of the instance's memory 0: its bytes, bounds-checked per access.
#[derive(Clone, Copy)]
pub(crate) struct Mem {
    ptr: *mut u8,
    len: usize,
}

impl Mem {
    /// The memory whose bytes are `bytes`.
    #[inline(always)]
    pub fn new(bytes: &mut [u8]) -> Mem {
        Mem { ptr: bytes.as_mut_ptr(), len: bytes.len() }
    }

    /// No memory (the instance has none).
    #[inline(always)]
    pub fn none() -> Mem {
        Mem { ptr: std::ptr::NonNull::dangling().as_ptr(), len: 0 }
    }

    /// The `N` bytes at `at`, or `None` past the end.
    #[inline(always)]
    pub fn load<const N: usize>(self, at: usize) -> Option<[u8; N]> {
        if at.checked_add(N)? > self.len {
            return None;
        }
        // SAFETY: `at + N <= len` and the memory has not been resized since `new` (see the
        // module header), so the bytes lie in its buffer; unaligned reads are what wasm wants.
        Some(unsafe { self.ptr.add(at).cast::<[u8; N]>().read_unaligned() })
    }

    /// Writes `bytes` at `at`; false (and nothing written) past the end.
    #[inline(always)]
    pub fn store<const N: usize>(self, at: usize, bytes: [u8; N]) -> bool {
        match at.checked_add(N) {
            Some(end) if end <= self.len => {
                // SAFETY: as in `load`.
                unsafe { self.ptr.add(at).cast::<[u8; N]>().write_unaligned(bytes) };
                true
            }
            _ => false,
        }
    }
}
