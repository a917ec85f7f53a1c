//! The lifting and lowering context, and its checked access to guest memory.
//!
//! [`LiftLower`] pairs a [`Guest`] with the [`Options`] of its side of the call, like the
//! Canonical ABI's `LiftLowerContext`. The helpers here are the only way the rest of the
//! module touches memory: they refuse when the `memory` or `realloc` option is absent, check
//! a range's alignment and bounds before it is used (naming the region in the trap), and read
//! and write little-endian integers.

use super::guest::Guest;
use super::options::Options;
use super::trap::{PtrSource, Region, Trap, TrapKind};

/// A guest and the canonical options of its side of a call: the context every lift and lower
/// runs in.
pub struct LiftLower<'a, G: ?Sized> {
    pub(crate) guest: &'a mut G,
    pub(crate) opts: &'a Options,
}

impl<'a, G: Guest + ?Sized> LiftLower<'a, G> {
    /// A context lifting from or lowering into `guest` under `opts`.
    pub fn new(guest: &'a mut G, opts: &'a Options) -> LiftLower<'a, G> {
        LiftLower { guest, opts }
    }

    /// The options this context lifts and lowers with.
    pub fn options(&self) -> &Options {
        self.opts
    }

    /// The guest.
    pub fn guest(&mut self) -> &mut G {
        self.guest
    }

    /// The memory's size; traps when there is no `memory` option.
    pub(crate) fn memory_size(&self) -> Result<u64, Trap> {
        if self.opts.memory { Ok(self.guest.size()) } else { Err(Trap::new(TrapKind::MissingMemory)) }
    }

    /// Checks that `bytes` bytes at `ptr` are aligned to `align` and inside memory, in that
    /// order, as the Canonical ABI checks them. `region` names them in a trap.
    pub(crate) fn check_range(
        &self,
        region: impl FnOnce() -> Region,
        ptr: u32,
        align: u32,
        bytes: u64,
        source: PtrSource,
    ) -> Result<(), Trap> {
        let memory_size = self.memory_size()?;
        if align > 1 && !ptr.is_multiple_of(align) {
            return Err(Trap::new(TrapKind::Misaligned { region: region(), ptr, align, source }));
        }
        if u64::from(ptr) + bytes > memory_size {
            return Err(Trap::new(TrapKind::OutOfBounds { region: region(), ptr, memory_size, source }));
        }
        Ok(())
    }

    /// The `len` bytes at `ptr`.
    pub(crate) fn read(&self, ptr: u32, len: u32) -> Result<&[u8], Trap> {
        self.memory_size()?;
        self.guest.read(ptr, len)
    }

    /// The `size`-byte (1, 2, 4 or 8) little-endian unsigned integer at `ptr`.
    pub(crate) fn read_uint(&self, ptr: u32, size: u32) -> Result<u64, Trap> {
        let bytes = self.read(ptr, size)?;
        Ok(bytes.iter().rev().fold(0u64, |value, &byte| (value << 8) | u64::from(byte)))
    }

    /// The little-endian `u32` at `ptr`.
    pub(crate) fn read_u32(&self, ptr: u32) -> Result<u32, Trap> {
        self.read_uint(ptr, 4).map(|value| value as u32)
    }

    /// Writes `bytes` at `ptr`.
    pub(crate) fn write(&mut self, ptr: u32, bytes: &[u8]) -> Result<(), Trap> {
        self.memory_size()?;
        self.guest.write(ptr, bytes)
    }

    /// Writes the low `size` bytes of `value`, little-endian, at `ptr`.
    pub(crate) fn write_uint(&mut self, ptr: u32, value: u64, size: u32) -> Result<(), Trap> {
        let bytes = value.to_le_bytes();
        self.write(ptr, &bytes[..size.min(8) as usize])
    }

    /// Calls `realloc(old_ptr, old_size, align, new_size)` and checks that the result is
    /// aligned and that `new_size` bytes fit at it.
    pub(crate) fn realloc(
        &mut self,
        old_ptr: u32,
        old_size: u32,
        align: u32,
        new_size: u32,
        region: impl FnOnce() -> Region,
    ) -> Result<u32, Trap> {
        self.memory_size()?;
        if !self.opts.realloc {
            return Err(Trap::new(TrapKind::MissingRealloc));
        }
        let ptr = self.guest.realloc(old_ptr, old_size, align, new_size)?;
        self.check_range(region, ptr, align, u64::from(new_size), PtrSource::Realloc)?;
        Ok(ptr)
    }

    /// A fresh allocation of `size` bytes aligned to `align` (`realloc(0, 0, align, size)`).
    pub(crate) fn allocate(&mut self, align: u32, size: u32, region: impl FnOnce() -> Region) -> Result<u32, Trap> {
        self.realloc(0, 0, align, size, region)
    }
}

/// `ptr + offset`, trapping instead of wrapping around the 32-bit address space.
pub(crate) fn offset(ptr: u32, offset: u32) -> Result<u32, Trap> {
    ptr.checked_add(offset)
        .ok_or_else(|| Trap::runtime(format!("address {ptr:#x} + {offset} overflows the 32-bit address space")))
}
