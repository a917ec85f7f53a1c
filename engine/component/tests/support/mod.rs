//! Test helpers: a guest with a plain byte memory, a logging bump `realloc` and simple
//! handle tables, plus shorthands for types and options.

#![allow(dead_code)]

use canopy_component::abi::{GuestMemory, Handles, LiftLower, Options, StringEncoding, Trap};
use canopy_component::{AsyncHandle, ResourceHandle, ResourceType, Type};

/// What a test guest's table entry holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A resource handle: its type's id, the representation, whether it is owned.
    Resource { resource: u64, rep: u64, own: bool },
    /// A future, stream or error-context end, tagged with its kind.
    Async { kind: &'static str, raw: u64 },
}

/// A replacement `realloc`: gets the four arguments, returns the pointer.
pub type Realloc = Box<dyn FnMut(u32, u32, u32, u32) -> u32>;

/// A guest: `memory.len()` bytes of memory, a bump allocator starting at `next`, every
/// `realloc` call logged, and one handle table (index 0 is never used, as in the spec).
pub struct TestGuest {
    pub memory: Vec<u8>,
    pub next: u32,
    pub reallocs: Vec<[u32; 4]>,
    pub table: Vec<Option<Entry>>,
    /// When set, `realloc` returns what this gives instead of allocating.
    pub hostile_realloc: Option<Realloc>,
}

impl TestGuest {
    /// A guest with `size` bytes of zeroed memory; allocations start at `next`.
    pub fn new(size: usize, next: u32) -> TestGuest {
        TestGuest { memory: vec![0; size], next, reallocs: Vec::new(), table: vec![None], hostile_realloc: None }
    }

    /// A 64 KiB guest allocating from 0x1000.
    pub fn standard() -> TestGuest {
        TestGuest::new(65536, 0x1000)
    }

    /// The bytes at `ptr..ptr+len`.
    pub fn bytes(&self, ptr: u32, len: usize) -> &[u8] {
        &self.memory[ptr as usize..ptr as usize + len]
    }

    /// Puts `bytes` at `ptr`.
    pub fn poke(&mut self, ptr: u32, bytes: &[u8]) {
        self.memory[ptr as usize..ptr as usize + bytes.len()].copy_from_slice(bytes);
    }

    fn add(&mut self, entry: Entry) -> u32 {
        self.table.push(Some(entry));
        (self.table.len() - 1) as u32
    }

    fn entry(&self, index: u32) -> Result<&Entry, Trap> {
        self.table
            .get(index as usize)
            .and_then(Option::as_ref)
            .ok_or_else(|| Trap::runtime(format!("no handle at index {index}")))
    }

    fn take_async(&mut self, index: u32, kind: &'static str) -> Result<AsyncHandle, Trap> {
        match self.entry(index)? {
            Entry::Async { kind: found, raw } if *found == kind => {
                let raw = *raw;
                self.table[index as usize] = None;
                Ok(AsyncHandle::new(raw))
            }
            other => Err(Trap::runtime(format!("index {index} holds {other:?}, not a {kind}"))),
        }
    }
}

impl GuestMemory for TestGuest {
    fn size(&self) -> u64 {
        self.memory.len() as u64
    }

    fn read(&self, offset: u32, len: u32) -> Result<&[u8], Trap> {
        let start = offset as usize;
        self.memory
            .get(start..start + len as usize)
            .ok_or_else(|| Trap::runtime(format!("read of {len} bytes at {offset:#x} out of bounds")))
    }

    fn write(&mut self, offset: u32, bytes: &[u8]) -> Result<(), Trap> {
        let start = offset as usize;
        let target = self
            .memory
            .get_mut(start..start + bytes.len())
            .ok_or_else(|| Trap::runtime(format!("write of {} bytes at {offset:#x} out of bounds", bytes.len())))?;
        target.copy_from_slice(bytes);
        Ok(())
    }

    fn realloc(&mut self, old_ptr: u32, old_size: u32, align: u32, new_size: u32) -> Result<u32, Trap> {
        self.reallocs.push([old_ptr, old_size, align, new_size]);
        if let Some(hostile) = &mut self.hostile_realloc {
            return Ok(hostile(old_ptr, old_size, align, new_size));
        }
        if old_ptr != 0 && new_size <= old_size {
            return Ok(old_ptr);
        }
        let ptr = self.next.div_ceil(align) * align;
        self.next = ptr + new_size;
        if old_ptr != 0 {
            let (from, to, len) = (old_ptr as usize, ptr as usize, old_size.min(new_size) as usize);
            if to + len <= self.memory.len() && from + len <= self.memory.len() {
                self.memory.copy_within(from..from + len, to);
            }
        }
        Ok(ptr)
    }
}

impl Handles for TestGuest {
    fn lift_own(&mut self, index: u32, resource: &ResourceType) -> Result<ResourceHandle, Trap> {
        match self.entry(index)? {
            Entry::Resource { resource: found, rep, own: true } if *found == resource.id() => {
                let rep = *rep;
                self.table[index as usize] = None;
                Ok(ResourceHandle::new(rep))
            }
            other => Err(Trap::runtime(format!("index {index} holds {other:?}, not an own<{resource}>"))),
        }
    }

    fn lift_borrow(&mut self, index: u32, resource: &ResourceType) -> Result<ResourceHandle, Trap> {
        match self.entry(index)? {
            Entry::Resource { resource: found, rep, .. } if *found == resource.id() => Ok(ResourceHandle::new(*rep)),
            other => Err(Trap::runtime(format!("index {index} holds {other:?}, not a {resource}"))),
        }
    }

    fn lower_own(&mut self, handle: ResourceHandle, resource: &ResourceType) -> Result<u32, Trap> {
        Ok(self.add(Entry::Resource { resource: resource.id(), rep: handle.raw(), own: true }))
    }

    fn lower_borrow(&mut self, handle: ResourceHandle, resource: &ResourceType) -> Result<u32, Trap> {
        Ok(self.add(Entry::Resource { resource: resource.id(), rep: handle.raw(), own: false }))
    }

    fn lift_future(&mut self, index: u32, _payload: Option<&Type>) -> Result<AsyncHandle, Trap> {
        self.take_async(index, "future")
    }

    fn lower_future(&mut self, handle: AsyncHandle, _payload: Option<&Type>) -> Result<u32, Trap> {
        Ok(self.add(Entry::Async { kind: "future", raw: handle.raw() }))
    }

    fn lift_stream(&mut self, index: u32, _payload: Option<&Type>) -> Result<AsyncHandle, Trap> {
        self.take_async(index, "stream")
    }

    fn lower_stream(&mut self, handle: AsyncHandle, _payload: Option<&Type>) -> Result<u32, Trap> {
        Ok(self.add(Entry::Async { kind: "stream", raw: handle.raw() }))
    }

    fn lift_error_context(&mut self, index: u32) -> Result<AsyncHandle, Trap> {
        self.take_async(index, "error-context")
    }

    fn lower_error_context(&mut self, handle: AsyncHandle) -> Result<u32, Trap> {
        Ok(self.add(Entry::Async { kind: "error-context", raw: handle.raw() }))
    }
}

/// Options with memory and realloc, strings in `encoding`, values from a UTF-8 source.
pub fn opts(encoding: StringEncoding) -> Options {
    Options::with_memory(encoding)
}

/// Runs `f` in a lift/lower context over `guest` with `options`.
pub fn with_cx<R>(guest: &mut TestGuest, options: &Options, f: impl FnOnce(&mut LiftLower<'_, TestGuest>) -> R) -> R {
    let mut cx = LiftLower::new(guest, options);
    f(&mut cx)
}

/// All three string encodings.
pub const ENCODINGS: [StringEncoding; 3] = [StringEncoding::Utf8, StringEncoding::Utf16, StringEncoding::Latin1Utf16];

/// The resource type the tests use.
pub fn file() -> ResourceType {
    ResourceType::named(7, "file")
}
