//! One side of a call as lifting and lowering see it: an instance's memory, `realloc` and
//! handle table, implementing [`Guest`](crate::abi::Guest) over the interpreter's store.
//!
//! `realloc` runs to completion on a thread of its own (a breakpoint inside it is passed
//! over): the Canonical ABI calls it in the middle of a lift or lower, which is synchronous
//! Rust code here. Calls whose frames a debugger must see (callees, post-return,
//! destructors) run on the caller's thread instead (see `driver.rs`).

use canopy_interp::{FuncAddr, Outcome, Thread, Value};

use super::state::{Rt, RtOpts};
use crate::abi::{GuestMemory, Handles, Trap};
use crate::resources::Entry;
use crate::types::{ResourceType, Type};
use crate::val::{AsyncHandle, ResourceHandle};

/// A component instance's side of a call, for the duration of one lift or lower.
pub(crate) struct Side<'a> {
    pub(crate) core: &'a mut canopy_interp::Store,
    pub(crate) rt: &'a mut Rt,
    /// The component instance.
    pub(crate) inst: usize,
    pub(crate) opts: RtOpts,
    /// The call (task) borrows are scoped to and lends are recorded in.
    pub(crate) task: u64,
}

impl Side<'_> {
    fn memory(&self) -> Result<&[u8], Trap> {
        let addr = self.opts.memory.ok_or_else(|| Trap::runtime("no memory option"))?;
        self.core.memory(addr).ok_or_else(|| Trap::runtime(format!("memory {addr} does not exist")))
    }
}

/// Runs `func` on a fresh thread to completion (breakpoints are passed over).
pub(crate) fn run_plain(core: &mut canopy_interp::Store, func: FuncAddr, args: &[Value]) -> Result<Vec<Value>, String> {
    let mut thread = Thread::new(core, func, args).map_err(|e| e.to_string())?;
    loop {
        match thread.run(core, None) {
            Outcome::Finished(results) => return Ok(results),
            Outcome::Paused(_) => continue,
            Outcome::Trapped(trap) => return Err(trap.to_string()),
            Outcome::Pending(_) => {
                return Err("it called an import, which this runtime does not allow here".to_string());
            }
        }
    }
}

impl GuestMemory for Side<'_> {
    fn size(&self) -> u64 {
        self.memory().map_or(0, |m| m.len() as u64)
    }

    fn read(&self, offset: u32, len: u32) -> Result<&[u8], Trap> {
        let memory = self.memory()?;
        let end = offset as usize + len as usize;
        memory.get(offset as usize..end).ok_or_else(|| {
            Trap::runtime(format!("{len} bytes at {offset:#x} are outside memory ({} bytes)", memory.len()))
        })
    }

    fn write(&mut self, offset: u32, bytes: &[u8]) -> Result<(), Trap> {
        let addr = self.opts.memory.ok_or_else(|| Trap::runtime("no memory option"))?;
        let memory = self.core.memory_mut(addr).ok_or_else(|| Trap::runtime("no memory"))?;
        let size = memory.len();
        let target = memory.get_mut(offset as usize..offset as usize + bytes.len()).ok_or_else(|| {
            Trap::runtime(format!("{} bytes at {offset:#x} are outside memory ({size} bytes)", bytes.len()))
        })?;
        target.copy_from_slice(bytes);
        Ok(())
    }

    fn realloc(&mut self, old_ptr: u32, old_size: u32, align: u32, new_size: u32) -> Result<u32, Trap> {
        let func = self.opts.realloc.ok_or_else(|| Trap::runtime("no realloc option"))?;
        let args = [old_ptr, old_size, align, new_size].map(|v| Value::I32(v as i32));
        match run_plain(self.core, func, &args) {
            Ok(results) => match results.as_slice() {
                [Value::I32(ptr)] => Ok(*ptr as u32),
                other => Err(Trap::runtime(format!("realloc returned {other:?}, not one i32"))),
            },
            Err(message) => Err(Trap::runtime(format!("realloc of instance `{}` failed: {message}", self.name()))),
        }
    }
}

impl Side<'_> {
    fn name(&self) -> String {
        self.rt.instances[self.inst].name.clone()
    }
}

const ASYNC: &str = "futures, streams and error-contexts are not supported by this runtime yet";

impl Handles for Side<'_> {
    fn lift_own(&mut self, index: u32, resource: &ResourceType) -> Result<ResourceHandle, Trap> {
        let name = self.name();
        let table = &mut self.rt.instances[self.inst].table;
        let entry = table.remove(&name, index, resource, true, "passing an own").map_err(handle_trap)?;
        Ok(ResourceHandle::new(u64::from(entry.rep)))
    }

    fn lift_borrow(&mut self, index: u32, resource: &ResourceType) -> Result<ResourceHandle, Trap> {
        let name = self.name();
        let table = &mut self.rt.instances[self.inst].table;
        let entry = table.get_mut(&name, index, resource).map_err(handle_trap)?;
        entry.lends += 1;
        let rep = entry.rep;
        let inst = self.inst;
        self.rt.task(self.task).lenders.push((inst, index));
        Ok(ResourceHandle::new(u64::from(rep)))
    }

    fn lower_own(&mut self, handle: ResourceHandle, resource: &ResourceType) -> Result<u32, Trap> {
        let rep = rep_of(handle)?;
        let entry = Entry { resource: resource.clone(), rep, own: true, lends: 0, scope: None };
        Ok(self.rt.instances[self.inst].table.add(entry))
    }

    fn lower_borrow(&mut self, handle: ResourceHandle, resource: &ResourceType) -> Result<u32, Trap> {
        let rep = rep_of(handle)?;
        if self.rt.resource_impl(resource) == Some(self.inst) {
            return Ok(rep);
        }
        let entry = Entry { resource: resource.clone(), rep, own: false, lends: 0, scope: Some(self.task) };
        self.rt.task(self.task).borrows += 1;
        Ok(self.rt.instances[self.inst].table.add(entry))
    }

    fn lift_future(&mut self, _index: u32, _payload: Option<&Type>) -> Result<AsyncHandle, Trap> {
        Err(Trap::runtime(ASYNC))
    }

    fn lower_future(&mut self, _handle: AsyncHandle, _payload: Option<&Type>) -> Result<u32, Trap> {
        Err(Trap::runtime(ASYNC))
    }

    fn lift_stream(&mut self, _index: u32, _payload: Option<&Type>) -> Result<AsyncHandle, Trap> {
        Err(Trap::runtime(ASYNC))
    }

    fn lower_stream(&mut self, _handle: AsyncHandle, _payload: Option<&Type>) -> Result<u32, Trap> {
        Err(Trap::runtime(ASYNC))
    }

    fn lift_error_context(&mut self, _index: u32) -> Result<AsyncHandle, Trap> {
        Err(Trap::runtime(ASYNC))
    }

    fn lower_error_context(&mut self, _handle: AsyncHandle) -> Result<u32, Trap> {
        Err(Trap::runtime(ASYNC))
    }
}

/// The representation a resource handle value carries (the runtime puts the rep in it).
fn rep_of(handle: ResourceHandle) -> Result<u32, Trap> {
    u32::try_from(handle.raw())
        .map_err(|_| Trap::runtime(format!("resource handle {:#x} is not one this runtime made", handle.raw())))
}

fn handle_trap(error: crate::resources::HandleError) -> Trap {
    Trap::runtime(error.to_string())
}
