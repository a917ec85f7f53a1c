//! The interpreter's one unsafe module: slot and instruction access without bounds checks.
//!
//! Both rest on [`crate::code::FuncCode::verify`], which every translated body passes before it
//! can run: every slot an instruction names (with its width) lies below the body's
//! `frame_slots`, and every jump target, `br_table` entry and fall-through stays inside the body
//! (the last instruction is a terminator).

use crate::code::Instr;

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
