//! What lifting and lowering need from the runtime: the guest's memory and `realloc`, and its
//! handle tables.
//!
//! The Canonical ABI reads and writes one component instance's linear memory, calls its
//! `realloc` to allocate, and moves handles in and out of its tables. This crate does none
//! of that itself: the runtime implements [`GuestMemory`] (over the interpreter's memories
//! and a call of the guest's `realloc`) and [`Handles`] (over its per-instance tables, where
//! the own/borrow rules and lend counts live), and passes one value implementing both
//! ([`Guest`]). Every method may trap; lifting and lowering pass the trap on.

use super::trap::Trap;
use crate::types::{ResourceType, Type};
use crate::val::{AsyncHandle, ResourceHandle};

/// One guest's linear memory and `realloc`.
pub trait GuestMemory {
    /// The memory's current size in bytes.
    fn size(&self) -> u64;

    /// The `len` bytes at `offset`; traps if they are not all inside the memory.
    fn read(&self, offset: u32, len: u32) -> Result<&[u8], Trap>;

    /// Writes `bytes` at `offset`; traps if they do not all fit inside the memory.
    fn write(&mut self, offset: u32, bytes: &[u8]) -> Result<(), Trap>;

    /// Calls the guest's `realloc(old_ptr, old_size, align, new_size)` and returns what it
    /// returned. Lifting and lowering check the result's alignment and bounds themselves.
    fn realloc(&mut self, old_ptr: u32, old_size: u32, align: u32, new_size: u32) -> Result<u32, Trap>;
}

/// One guest's handle tables, as the runtime keeps them.
///
/// Lifting takes a table index from the guest and gives back the value that crosses the
/// boundary; lowering takes such a value and gives back the index of a new table entry.
/// The runtime applies the spec's rules here (CanonicalABI.md, "Loading" and "Storing"):
/// `lift_own` removes the entry and traps unless it is an `own` of `resource` that is not
/// lent out; `lift_borrow` leaves the entry and records the lend for the current subtask;
/// `lower_own` adds an owning entry; `lower_borrow` adds a borrowing entry for the current
/// task, or gives the representation itself when lowering into the resource's own
/// implementation. Futures and streams move their readable end (lifting removes it and
/// traps unless it is idle, of the right payload type and in no waitable set); an
/// `error-context` is lifted by reference, leaving the entry in place.
pub trait Handles {
    /// Lifts the `own<resource>` at table `index`.
    fn lift_own(&mut self, index: u32, resource: &ResourceType) -> Result<ResourceHandle, Trap>;

    /// Lifts the `borrow<resource>` of the handle at table `index`.
    fn lift_borrow(&mut self, index: u32, resource: &ResourceType) -> Result<ResourceHandle, Trap>;

    /// Lowers an `own<resource>`, returning the new table index.
    fn lower_own(&mut self, handle: ResourceHandle, resource: &ResourceType) -> Result<u32, Trap>;

    /// Lowers a `borrow<resource>`, returning the index (or representation) the guest gets.
    fn lower_borrow(&mut self, handle: ResourceHandle, resource: &ResourceType) -> Result<u32, Trap>;

    /// Lifts the readable end of a `future<payload>` at table `index`.
    fn lift_future(&mut self, index: u32, payload: Option<&Type>) -> Result<AsyncHandle, Trap>;

    /// Lowers the readable end of a `future<payload>`, returning the new table index.
    fn lower_future(&mut self, handle: AsyncHandle, payload: Option<&Type>) -> Result<u32, Trap>;

    /// Lifts the readable end of a `stream<payload>` at table `index`.
    fn lift_stream(&mut self, index: u32, payload: Option<&Type>) -> Result<AsyncHandle, Trap>;

    /// Lowers the readable end of a `stream<payload>`, returning the new table index.
    fn lower_stream(&mut self, handle: AsyncHandle, payload: Option<&Type>) -> Result<u32, Trap>;

    /// Lifts the `error-context` at table `index`.
    fn lift_error_context(&mut self, index: u32) -> Result<AsyncHandle, Trap>;

    /// Lowers an `error-context`, returning the new table index.
    fn lower_error_context(&mut self, handle: AsyncHandle) -> Result<u32, Trap>;
}

/// Everything a lift or lower reaches in a guest: its memory, `realloc` and handle tables.
pub trait Guest: GuestMemory + Handles {}

impl<T: GuestMemory + Handles + ?Sized> Guest for T {}
