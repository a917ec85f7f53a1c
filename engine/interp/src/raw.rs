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
