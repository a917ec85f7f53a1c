//! The store: every function, table, memory, global and segment instance, addressed by index,
//! plus instances, the linker and instantiation.

use std::any::Any;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::code::FuncCode;
use crate::config::{Engine, Limits};
use crate::error::Error;
use crate::module::DebugCell;
use crate::module::{ConstExpr, ConstOp, ExternKind, ExternType, GlobalType, Limits32, Module, SegmentMode, TableType};
use crate::trap::TrapKind;
use crate::value::{FuncAddr, FuncType, Value};

/// What a host function returns.
#[derive(Debug, Clone, PartialEq)]
pub enum HostResult {
    /// The call finished with these results.
    Return(Vec<Value>),
    /// The results are not ready yet: the calling thread suspends with [`Outcome::Pending`]
    /// until [`crate::Thread::resume_host`] supplies them.
    Pending,
    /// The call failed; the thread traps with this message.
    Trap(String),
}

/// What a host function can reach while it runs: the memories of the store (the calling
/// instance's by index, any by store address), with bounds-checked reads and writes, and the
/// embedder's data ([`Store::set_data`]).
pub struct Caller<'a> {
    pub(crate) runtime: &'a mut Runtime,
    pub(crate) data: &'a mut Option<Box<dyn Any + Send>>,
    /// The calling instance (`None` when the host function is a thread's entry).
    pub(crate) instance: Option<u32>,
    /// Store addresses of the calling instance's memories, by module-level index.
    pub(crate) instance_memories: &'a [u32],
}

/// A host access outside a memory: which memory, where and how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfBounds {
    /// Store address of the memory (`u32::MAX` when there is no such memory).
    pub memory: u32,
    /// First byte of the access.
    pub offset: u64,
    /// Bytes asked for.
    pub len: u64,
    /// The memory's size in bytes.
    pub size: u64,
}

impl std::fmt::Display for OutOfBounds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.memory == u32::MAX {
            return write!(f, "no such memory");
        }
        write!(f, "{} bytes at {:#x} are outside memory {} ({} bytes)", self.len, self.offset, self.memory, self.size)
    }
}

impl std::error::Error for OutOfBounds {}

impl<'a> Caller<'a> {
    pub(crate) fn new(
        runtime: &'a mut Runtime,
        data: &'a mut Option<Box<dyn Any + Send>>,
        instance: Option<u32>,
        instance_memories: &'a [u32],
    ) -> Caller<'a> {
        Caller { runtime, data, instance, instance_memories }
    }

    /// The calling instance, when a wasm function made the call.
    pub fn instance(&self) -> Option<Instance> {
        self.instance.map(Instance)
    }

    /// Store address of the calling instance's memory `index` (module-level), if it has one.
    pub fn memory_address(&self, index: u32) -> Option<u32> {
        self.instance_memories.get(index as usize).copied()
    }

    /// The calling instance's default memory, if it has one. Its size is the memory's: a host
    /// function reads and writes it but cannot resize it (wasm grows it with `memory.grow`).
    pub fn memory(&mut self) -> Option<&mut [u8]> {
        let m = self.memory_address(0)?;
        self.memory_at(m)
    }

    /// The memory at store address `memory`, whichever instance owns it.
    pub fn memory_at(&mut self, memory: u32) -> Option<&mut [u8]> {
        self.runtime.memories.get_mut(memory as usize).map(|m| &mut m.data[..])
    }

    /// Reads `len` bytes at `offset` of the memory at store address `memory`.
    pub fn read(&self, memory: u32, offset: u64, len: u64) -> Result<&[u8], OutOfBounds> {
        let data = self.runtime.memories.get(memory as usize).map(|m| &m.data[..]);
        let range = checked_range(memory, data.map(<[u8]>::len), offset, len)?;
        Ok(&data.unwrap_or_default()[range])
    }

    /// Writes `bytes` at `offset` of the memory at store address `memory`.
    pub fn write(&mut self, memory: u32, offset: u64, bytes: &[u8]) -> Result<(), OutOfBounds> {
        let data = self.runtime.memories.get_mut(memory as usize).map(|m| &mut m.data[..]);
        let size = data.as_ref().map(|d| d.len());
        let range = checked_range(memory, size, offset, bytes.len() as u64)?;
        if let Some(data) = data {
            data[range].copy_from_slice(bytes);
        }
        Ok(())
    }

    /// The embedder's data, if it was set ([`Store::set_data`]) and is a `T`.
    pub fn data<T: Any>(&mut self) -> Option<&mut T> {
        self.data.as_mut()?.downcast_mut::<T>()
    }
}

/// The byte range `offset..offset + len` of a memory of `size` bytes (`None`: no such memory).
fn checked_range(
    memory: u32,
    size: Option<usize>,
    offset: u64,
    len: u64,
) -> Result<std::ops::Range<usize>, OutOfBounds> {
    let Some(size) = size else { return Err(OutOfBounds { memory: u32::MAX, offset, len, size: 0 }) };
    let fail = OutOfBounds { memory, offset, len, size: size as u64 };
    let end = offset.checked_add(len).ok_or(fail)?;
    if end > size as u64 {
        return Err(fail);
    }
    Ok(offset as usize..end as usize)
}

/// A host function body.
pub type HostFunc = dyn Fn(&mut Caller<'_>, &[Value]) -> HostResult + Send + Sync;

/// A function instance.
#[derive(Clone)]
pub(crate) enum FuncInst {
    /// A wasm function: its fast form, and the cell its debug form is translated into on first
    /// use; `defined` is its index among the module's defined functions.
    Wasm {
        ty: u32,
        instance: u32,
        code: Arc<FuncCode>,
        debug: DebugCell,
        defined: u32,
    },
    Host {
        ty: u32,
        func: Arc<HostFunc>,
        name: String,
    },
}

impl FuncInst {
    pub(crate) fn type_id(&self) -> u32 {
        match self {
            FuncInst::Wasm { ty, .. } | FuncInst::Host { ty, .. } => *ty,
        }
    }

    /// The debug form of a wasm function, translated on first use (`inst` is its instance).
    pub(crate) fn debug_code<'s>(&'s self, inst: &InstanceData) -> Result<&'s Arc<FuncCode>, String> {
        let FuncInst::Wasm { debug, defined, code, .. } = self else { return Err("not a wasm function".into()) };
        if let Some(c) = debug.get() {
            return Ok(c);
        }
        let mut translated = inst.module.translate_debug(*defined).map_err(|e| e.to_string())?;
        // Both forms share one slot layout; the frame is sized for either.
        translated.frame_slots = translated.frame_slots.max(code.frame_slots);
        let _ = debug.set(Arc::new(translated));
        debug.get().ok_or_else(|| "debug form unavailable".to_string())
    }
}

/// The fast and the debug form of one function.
pub(crate) type CodePair = (Arc<FuncCode>, Arc<FuncCode>);

/// A breakpoint: a function and the code-section offset of a wasm instruction in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Breakpoint {
    /// The function.
    pub func: FuncAddr,
    /// Code-section offset of the instruction to stop before.
    pub offset: u32,
}

/// A memory instance.
#[derive(Debug, Clone)]
pub(crate) struct Memory {
    pub data: Vec<u8>,
    pub max_pages: Option<u64>,
}

/// Bytes in one wasm page.
pub const PAGE_SIZE: usize = 65536;

/// A table instance; entries are encoded references (0 is null).
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub elems: Vec<u64>,
    pub ty: TableType,
}

/// A global instance.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Global {
    pub bits: u128,
    pub ty: GlobalType,
}

/// The mutable state that running code changes.
#[derive(Debug, Clone, Default)]
pub(crate) struct Runtime {
    pub memories: Vec<Memory>,
    pub tables: Vec<Table>,
    pub globals: Vec<Global>,
    /// Element segment instances (emptied by `elem.drop`).
    pub elems: Vec<Arc<[u64]>>,
    /// Data segment instances (emptied by `data.drop`).
    pub datas: Vec<Arc<[u8]>>,
    pub fuel: u64,
}

impl Runtime {
    /// `table.init` semantics: copy `len` entries of segment `elem` from `src` to `dst`.
    pub(crate) fn table_init(&mut self, table: u32, elem: u32, dst: u32, src: u32, len: u32) -> Result<(), TrapKind> {
        let seg = &self.elems[elem as usize];
        let t = &mut self.tables[table as usize].elems;
        let (dst, src, len) = (dst as usize, src as usize, len as usize);
        if src.checked_add(len).is_none_or(|e| e > seg.len()) || dst.checked_add(len).is_none_or(|e| e > t.len()) {
            return Err(TrapKind::TableOutOfBounds);
        }
        t[dst..dst + len].copy_from_slice(&seg[src..src + len]);
        Ok(())
    }

    /// `memory.init` semantics: copy `len` bytes of segment `data` from `src` to `dst`.
    pub(crate) fn memory_init(&mut self, memory: u32, data: u32, dst: u32, src: u32, len: u32) -> Result<(), TrapKind> {
        let seg = &self.datas[data as usize];
        let m = &mut self.memories[memory as usize].data;
        let (dst, src, len) = (dst as usize, src as usize, len as usize);
        if src.checked_add(len).is_none_or(|e| e > seg.len()) || dst.checked_add(len).is_none_or(|e| e > m.len()) {
            return Err(TrapKind::MemoryOutOfBounds);
        }
        m[dst..dst + len].copy_from_slice(&seg[src..src + len]);
        Ok(())
    }
}

/// Addresses of a module instance's entities in the store, by module-level index.
#[derive(Clone)]
pub(crate) struct InstanceData {
    pub module: Module,
    pub funcs: Vec<u32>,
    pub tables: Vec<u32>,
    pub memories: Vec<u32>,
    pub globals: Vec<u32>,
    pub elems: Vec<u32>,
    pub datas: Vec<u32>,
    /// Store-wide type id of each module type.
    pub type_ids: Vec<u32>,
    pub exports: HashMap<String, Extern>,
}

/// A handle to an instance in a [`Store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Instance(pub(crate) u32);

/// An entity that can be imported or exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Extern {
    /// A function.
    Func(FuncAddr),
    /// A table (store address).
    Table(u32),
    /// A memory (store address).
    Memory(u32),
    /// A global (store address).
    Global(u32),
}

/// Owns all runtime entities; threads run against a store.
pub struct Store {
    pub(crate) limits: Limits,
    pub(crate) funcs: Vec<FuncInst>,
    pub(crate) instances: Vec<InstanceData>,
    pub(crate) types: Vec<FuncType>,
    type_ids: HashMap<FuncType, u32>,
    pub(crate) runtime: Runtime,
    /// Armed breakpoints, as (function address, code offset); they apply to every thread.
    pub(crate) breakpoints: HashSet<(u32, u32)>,
    /// Indexed by function address: whether the function has a breakpoint.
    pub(crate) watched: Vec<bool>,
    /// Set from anywhere to pause running threads (see [`Store::interrupt_handle`]).
    pub(crate) interrupt: Option<Arc<AtomicBool>>,
    /// The embedder's data, which host functions reach through [`Caller::data`].
    pub(crate) data: Option<Box<dyn Any + Send>>,
}

impl Store {
    /// Creates an empty store enforcing the engine's limits.
    pub fn new(engine: &Engine) -> Store {
        let limits = engine.config.limits;
        Store {
            limits,
            funcs: Vec::new(),
            instances: Vec::new(),
            types: Vec::new(),
            type_ids: HashMap::new(),
            runtime: Runtime { fuel: limits.fuel.unwrap_or(u64::MAX), ..Runtime::default() },
            breakpoints: HashSet::new(),
            watched: Vec::new(),
            interrupt: None,
            data: None,
        }
    }

    /// Sets the embedder's data, which host functions reach with [`Caller::data`] (a component
    /// runtime keeps its handle tables and instance state here); returns the previous data.
    pub fn set_data(&mut self, data: Box<dyn Any + Send>) -> Option<Box<dyn Any + Send>> {
        self.data.replace(data)
    }

    /// The embedder's data, if it was set and is a `T`.
    pub fn data<T: Any>(&mut self) -> Option<&mut T> {
        self.data.as_mut()?.downcast_mut::<T>()
    }

    /// A flag that, once set (from any thread, a signal handler, a timer), makes a running
    /// thread of this store stop before its next wasm instruction boundary it can resume from,
    /// with [`crate::PauseReason::Interrupted`]; the flag is cleared when the pause is taken.
    /// Runs check it at every call and taken branch once a handle exists (the fuel-accounting
    /// variant of the loop), so a store that never asks for one pays nothing.
    pub fn interrupt_handle(&mut self) -> Arc<AtomicBool> {
        self.interrupt.get_or_insert_with(|| Arc::new(AtomicBool::new(false))).clone()
    }

    /// Whether function `func` has a breakpoint.
    #[inline(always)]
    pub(crate) fn is_watched(&self, func: u32) -> bool {
        self.watched.get(func as usize).copied().unwrap_or(false)
    }

    /// The fast and debug forms of a wasm function (`None` for host functions).
    pub(crate) fn code_pair(&self, func: u32) -> Result<Option<CodePair>, String> {
        match self.funcs.get(func as usize) {
            Some(f @ FuncInst::Wasm { code, instance, .. }) => {
                let debug = f.debug_code(&self.instances[*instance as usize])?.clone();
                Ok(Some((code.clone(), debug)))
            }
            _ => Ok(None),
        }
    }

    /// The form of a wasm function a frame runs (`debug` or fast).
    pub(crate) fn frame_code(&self, func: u32, debug: bool) -> Option<Arc<FuncCode>> {
        match self.funcs.get(func as usize)? {
            f @ FuncInst::Wasm { code, instance, .. } => {
                if debug {
                    f.debug_code(&self.instances[*instance as usize]).ok().cloned()
                } else {
                    Some(code.clone())
                }
            }
            FuncInst::Host { .. } => None,
        }
    }

    /// Slots a frame of `func` needs in either form.
    pub(crate) fn frame_slots(&self, func: u32, fast: &FuncCode) -> u32 {
        match self.funcs.get(func as usize) {
            Some(FuncInst::Wasm { debug, .. }) => {
                debug.get().map_or(fast.frame_slots, |d| d.frame_slots.max(fast.frame_slots))
            }
            _ => fast.frame_slots,
        }
    }

    /// Arms a breakpoint before the wasm instruction of `func` at code-section `offset`, or the
    /// first one after it; returns the breakpoint as placed. Every thread of the store stops
    /// there.
    pub fn add_breakpoint(&mut self, func: FuncAddr, offset: u32) -> Result<Breakpoint, Error> {
        let (_, debug) = self
            .code_pair(func.0)
            .map_err(Error::Usage)?
            .ok_or_else(|| Error::Usage(format!("function {} is not a wasm function", func.0)))?;
        let pc = debug.pc_at_or_after(offset).ok_or_else(|| {
            Error::Usage(format!("no instruction at or after offset {offset:#x} in function {}", func.0))
        })?;
        let bp = Breakpoint { func, offset: debug.resume[pc] };
        self.breakpoints.insert((func.0, bp.offset));
        let f = func.0 as usize;
        if self.watched.len() <= f {
            self.watched.resize(f + 1, false);
        }
        self.watched[f] = true;
        Ok(bp)
    }

    /// Removes a breakpoint; returns whether it was armed.
    pub fn remove_breakpoint(&mut self, bp: Breakpoint) -> bool {
        let removed = self.breakpoints.remove(&(bp.func.0, bp.offset));
        let still = self.breakpoints.iter().any(|&(f, _)| f == bp.func.0);
        if let Some(flag) = self.watched.get_mut(bp.func.0 as usize) {
            *flag = still;
        }
        removed
    }

    /// The armed breakpoints, in no particular order.
    pub fn breakpoints(&self) -> Vec<Breakpoint> {
        self.breakpoints.iter().map(|&(f, offset)| Breakpoint { func: FuncAddr(f), offset }).collect()
    }

    /// The code-section offsets of every wasm instruction of a function, in order (the places
    /// a breakpoint or a step can stop at).
    pub fn instruction_offsets(&self, func: FuncAddr) -> Result<Vec<u32>, Error> {
        let (_, debug) =
            self.code_pair(func.0).map_err(Error::Usage)?.ok_or_else(|| Error::Usage("not a wasm function".into()))?;
        Ok(debug.resume.iter().copied().filter(|&r| r != crate::code::NO_RESUME).collect())
    }

    /// The function of `instance` whose body contains code-section `offset`.
    pub fn func_at_offset(&self, instance: Instance, offset: u32) -> Option<FuncAddr> {
        let data = self.instances.get(instance.0 as usize)?;
        let index = data.module.func_at_offset(offset)?;
        data.funcs.get(index as usize).map(|&a| FuncAddr(a))
    }

    /// The store address of global `index` of an instance (exported or not).
    pub fn instance_global(&self, instance: Instance, index: u32) -> Option<u32> {
        self.instances.get(instance.0 as usize)?.globals.get(index as usize).copied()
    }

    /// The store address of memory `index` of an instance (exported or not).
    pub fn instance_memory(&self, instance: Instance, index: u32) -> Option<u32> {
        self.instances.get(instance.0 as usize)?.memories.get(index as usize).copied()
    }

    /// The instance a wasm function belongs to.
    pub fn func_instance(&self, func: FuncAddr) -> Option<Instance> {
        match self.funcs.get(func.0 as usize)? {
            FuncInst::Wasm { instance, .. } => Some(Instance(*instance)),
            FuncInst::Host { .. } => None,
        }
    }

    /// The limits this store enforces.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Remaining fuel (`u64::MAX` when unlimited).
    pub fn fuel(&self) -> u64 {
        self.runtime.fuel
    }

    /// Sets the remaining fuel.
    pub fn set_fuel(&mut self, fuel: u64) {
        self.runtime.fuel = fuel;
    }

    pub(crate) fn intern_type(&mut self, ty: &FuncType) -> u32 {
        if let Some(&id) = self.type_ids.get(ty) {
            return id;
        }
        let id = self.types.len() as u32;
        self.types.push(ty.clone());
        self.type_ids.insert(ty.clone(), id);
        id
    }

    /// Adds a host function to the store.
    pub fn host_func(
        &mut self,
        name: &str,
        ty: FuncType,
        func: impl Fn(&mut Caller<'_>, &[Value]) -> HostResult + Send + Sync + 'static,
    ) -> FuncAddr {
        let ty = self.intern_type(&ty);
        self.funcs.push(FuncInst::Host { ty, func: Arc::new(func), name: name.to_string() });
        FuncAddr(self.funcs.len() as u32 - 1)
    }

    /// Adds a table of `ty`, all entries set to `init`.
    pub fn new_table(&mut self, ty: TableType, init: Value) -> u32 {
        let bits = init.to_bits() as u64;
        self.runtime.tables.push(Table { elems: vec![bits; ty.limits.min as usize], ty });
        self.runtime.tables.len() as u32 - 1
    }

    /// Adds a zeroed memory with the given limits (pages).
    pub fn new_memory(&mut self, limits: Limits32) -> Result<u32, Error> {
        if limits.min > self.limits.max_memory_pages {
            return Err(Error::Limit(format!(
                "memory of {} pages exceeds max_memory_pages = {}",
                limits.min, self.limits.max_memory_pages
            )));
        }
        let mut data = Vec::new();
        let len = limits.min as usize * PAGE_SIZE;
        let max = limits.max.unwrap_or(65536).min(65536).min(self.limits.max_memory_pages) as usize * PAGE_SIZE;
        if !crate::raw::grow_zeroed(&mut data, len, max) {
            return Err(Error::Limit(format!("cannot allocate a memory of {} pages: out of memory", limits.min)));
        }
        self.runtime.memories.push(Memory { data, max_pages: limits.max });
        Ok(self.runtime.memories.len() as u32 - 1)
    }

    /// Adds a global.
    pub fn new_global(&mut self, ty: GlobalType, value: Value) -> u32 {
        self.runtime.globals.push(Global { bits: value.to_bits(), ty });
        self.runtime.globals.len() as u32 - 1
    }

    /// The type of a function.
    pub fn func_type(&self, func: FuncAddr) -> Option<&FuncType> {
        self.funcs.get(func.0 as usize).map(|f| &self.types[f.type_id() as usize])
    }

    /// Module-level index and name of a function, for display (host functions give `None`).
    pub fn func_name(&self, func: FuncAddr) -> Option<(u32, Option<&str>)> {
        match self.funcs.get(func.0 as usize)? {
            FuncInst::Wasm { instance, code, .. } => {
                let m = &self.instances[*instance as usize].module;
                Some((code.func_index, m.func_name(code.func_index)))
            }
            FuncInst::Host { .. } => None,
        }
    }

    /// The name a host function was defined with (`module.name`).
    pub fn host_func_name(&self, func: FuncAddr) -> Option<&str> {
        match self.funcs.get(func.0 as usize)? {
            FuncInst::Host { name, .. } => Some(name),
            FuncInst::Wasm { .. } => None,
        }
    }

    /// An export of an instance.
    pub fn export(&self, instance: Instance, name: &str) -> Option<Extern> {
        self.instances.get(instance.0 as usize)?.exports.get(name).copied()
    }

    /// All exports of an instance, in no particular order.
    pub fn exports(&self, instance: Instance) -> Vec<(String, Extern)> {
        self.instances
            .get(instance.0 as usize)
            .map(|i| i.exports.iter().map(|(n, e)| (n.clone(), *e)).collect())
            .unwrap_or_default()
    }

    /// The module an instance was created from.
    pub fn instance_module(&self, instance: Instance) -> Option<&Module> {
        self.instances.get(instance.0 as usize).map(|i| &i.module)
    }

    /// The store address of function `index` of an instance.
    pub fn instance_func(&self, instance: Instance, index: u32) -> Option<FuncAddr> {
        self.instances.get(instance.0 as usize)?.funcs.get(index as usize).map(|&a| FuncAddr(a))
    }

    /// The current value of a global.
    pub fn global_value(&self, global: u32) -> Option<Value> {
        let g = self.runtime.globals.get(global as usize)?;
        Some(Value::from_bits(g.ty.content, g.bits))
    }

    /// Sets a global's value (mutability is not checked: this is the debugger's access).
    pub fn set_global_value(&mut self, global: u32, value: Value) -> Result<(), Error> {
        let g = self.runtime.globals.get_mut(global as usize).ok_or_else(|| Error::Usage("no such global".into()))?;
        if g.ty.content != value.ty() {
            return Err(Error::Usage(format!("global has type {}, value is {}", g.ty.content, value.ty())));
        }
        g.bits = value.to_bits();
        Ok(())
    }

    /// The bytes of a memory.
    pub fn memory(&self, memory: u32) -> Option<&[u8]> {
        self.runtime.memories.get(memory as usize).map(|m| &m.data[..])
    }

    /// The bytes of a memory, writable.
    pub fn memory_mut(&mut self, memory: u32) -> Option<&mut [u8]> {
        self.runtime.memories.get_mut(memory as usize).map(|m| &mut m.data[..])
    }

    /// The entries of a table.
    pub fn table(&self, table: u32) -> Option<Vec<Value>> {
        let t = self.runtime.tables.get(table as usize)?;
        Some(t.elems.iter().map(|&e| Value::from_bits(t.ty.element, e as u128)).collect())
    }

    /// The type of an external entity.
    pub fn extern_type(&self, ext: Extern) -> Option<ExternType> {
        Some(match ext {
            Extern::Func(f) => ExternType::Func(self.func_type(f)?.clone()),
            Extern::Table(t) => {
                let t = self.runtime.tables.get(t as usize)?;
                ExternType::Table(TableType {
                    element: t.ty.element,
                    limits: Limits32 { min: t.elems.len() as u64, max: t.ty.limits.max },
                })
            }
            Extern::Memory(m) => {
                let m = self.runtime.memories.get(m as usize)?;
                ExternType::Memory(Limits32 { min: (m.data.len() / PAGE_SIZE) as u64, max: m.max_pages })
            }
            Extern::Global(g) => ExternType::Global(self.runtime.globals.get(g as usize)?.ty),
        })
    }

    fn eval_const(&self, data: &InstanceData, expr: &ConstExpr) -> u128 {
        let mut stack: Vec<u128> = Vec::with_capacity(2);
        for op in &expr.0 {
            let v = match *op {
                ConstOp::Push(v) => v,
                ConstOp::GlobalGet(g) => self.runtime.globals[data.globals[g as usize] as usize].bits,
                ConstOp::RefFunc(f) => data.funcs[f as usize] as u128 + 1,
                ConstOp::I32Add | ConstOp::I32Sub | ConstOp::I32Mul => {
                    let b = stack.pop().unwrap_or(0) as u32;
                    let a = stack.pop().unwrap_or(0) as u32;
                    (match op {
                        ConstOp::I32Add => a.wrapping_add(b),
                        ConstOp::I32Sub => a.wrapping_sub(b),
                        _ => a.wrapping_mul(b),
                    }) as u128
                }
                ConstOp::I64Add | ConstOp::I64Sub | ConstOp::I64Mul => {
                    let b = stack.pop().unwrap_or(0) as u64;
                    let a = stack.pop().unwrap_or(0) as u64;
                    (match op {
                        ConstOp::I64Add => a.wrapping_add(b),
                        ConstOp::I64Sub => a.wrapping_sub(b),
                        _ => a.wrapping_mul(b),
                    }) as u128
                }
            };
            stack.push(v);
        }
        stack.pop().unwrap_or(0)
    }
}

fn type_matches(actual: &ExternType, expected: &ExternType) -> bool {
    let limits_ok = |a: &Limits32, e: &Limits32| {
        a.min >= e.min
            && match (a.max, e.max) {
                (_, None) => true,
                (Some(am), Some(em)) => am <= em,
                (None, Some(_)) => false,
            }
    };
    match (actual, expected) {
        (ExternType::Func(a), ExternType::Func(e)) => a == e,
        (ExternType::Table(a), ExternType::Table(e)) => a.element == e.element && limits_ok(&a.limits, &e.limits),
        (ExternType::Memory(a), ExternType::Memory(e)) => limits_ok(a, e),
        (ExternType::Global(a), ExternType::Global(e)) => a == e,
        _ => false,
    }
}

/// Resolves imports by module and item name.
#[derive(Debug, Clone, Default)]
pub struct Linker {
    items: HashMap<(String, String), Extern>,
}

impl Linker {
    /// An empty linker.
    pub fn new() -> Linker {
        Linker::default()
    }

    /// Defines (or redefines) `module`.`name`.
    pub fn define(&mut self, module: &str, name: &str, item: Extern) {
        self.items.insert((module.to_string(), name.to_string()), item);
    }

    /// Defines a host function as `module`.`name`.
    pub fn func(
        &mut self,
        store: &mut Store,
        module: &str,
        name: &str,
        ty: FuncType,
        func: impl Fn(&mut Caller<'_>, &[Value]) -> HostResult + Send + Sync + 'static,
    ) -> FuncAddr {
        let addr = store.host_func(&format!("{module}.{name}"), ty, func);
        self.define(module, name, Extern::Func(addr));
        addr
    }

    /// Defines every export of `instance` under the module name `module`.
    pub fn instance(&mut self, store: &Store, module: &str, instance: Instance) {
        for (name, ext) in store.exports(instance) {
            self.define(module, &name, ext);
        }
    }

    /// Looks up a definition.
    pub fn get(&self, module: &str, name: &str) -> Option<Extern> {
        self.items.get(&(module.to_string(), name.to_string())).copied()
    }

    /// Instantiates `module` up to its start function: resolves imports, allocates entities
    /// and runs segment initialization. The start function, if there is one, is the caller's
    /// to run ([`Unstarted::start`], on a [`crate::Thread`] like any call, so it can pend, pause
    /// and be debugged); [`Linker::instantiate`] runs it to completion. A failure here leaves
    /// nothing of the instance in the store (see [`Store::discard`] for what stays when a
    /// module that imports a table fails).
    pub fn instantiate_unstarted(&self, store: &mut Store, module: &Module) -> Result<Unstarted, Error> {
        let checkpoint = store.checkpoint(module);
        match self.instantiate_parts(store, module) {
            Ok((instance, start)) => Ok(Unstarted { instance, start, checkpoint }),
            Err(e) => {
                store.rollback(&checkpoint);
                Err(e)
            }
        }
    }

    fn instantiate_parts(&self, store: &mut Store, module: &Module) -> Result<(Instance, Option<FuncAddr>), Error> {
        let m = &*module.inner;
        let mut data = InstanceData {
            module: module.clone(),
            funcs: Vec::new(),
            tables: Vec::new(),
            memories: Vec::new(),
            globals: Vec::new(),
            elems: Vec::new(),
            datas: Vec::new(),
            type_ids: m.types.iter().map(|t| store.intern_type(t)).collect(),
            exports: HashMap::new(),
        };
        for import in &m.imports {
            let Some(ext) = self.get(&import.module, &import.name) else {
                return Err(Error::Unlinkable(format!("`{}`.`{}` is not defined", import.module, import.name)));
            };
            let actual = store.extern_type(ext).ok_or_else(|| Error::Unlinkable("dangling definition".into()))?;
            if !type_matches(&actual, &import.ty) {
                return Err(Error::Unlinkable(format!(
                    "incompatible import type for `{}`.`{}`",
                    import.module, import.name
                )));
            }
            match ext {
                Extern::Func(f) => data.funcs.push(f.0),
                Extern::Table(t) => data.tables.push(t),
                Extern::Memory(x) => data.memories.push(x),
                Extern::Global(g) => data.globals.push(g),
            }
        }
        let instance_index = store.instances.len() as u32;
        for (defined, code) in m.codes.iter().enumerate() {
            let ty = data.type_ids[m.func_types[(m.num_imported_funcs as usize) + defined] as usize];
            let debug = m.debug_codes[defined].clone();
            store.funcs.push(FuncInst::Wasm {
                ty,
                instance: instance_index,
                code: code.clone(),
                debug,
                defined: defined as u32,
            });
            data.funcs.push(store.funcs.len() as u32 - 1);
        }
        for (ty, init) in m.globals.iter().skip(m.num_imported_globals as usize) {
            let bits = init.as_ref().map_or(0, |e| store.eval_const(&data, e));
            store.runtime.globals.push(Global { bits, ty: *ty });
            data.globals.push(store.runtime.globals.len() as u32 - 1);
        }
        for (ty, init) in m.tables.iter().skip(m.num_imported_tables as usize) {
            if ty.limits.min > store.limits.max_table_elements {
                return Err(Error::Limit(format!(
                    "table of {} elements exceeds max_table_elements = {}",
                    ty.limits.min, store.limits.max_table_elements
                )));
            }
            let fill = init.as_ref().map_or(0, |e| store.eval_const(&data, e));
            let t = store.new_table(*ty, Value::from_bits(ty.element, fill));
            data.tables.push(t);
        }
        for limits in m.memories.iter().skip(m.num_imported_memories as usize) {
            data.memories.push(store.new_memory(*limits)?);
        }
        for seg in &m.elems {
            let items: Vec<u64> = seg.items.iter().map(|e| store.eval_const(&data, e) as u64).collect();
            store.runtime.elems.push(items.into());
            data.elems.push(store.runtime.elems.len() as u32 - 1);
        }
        for seg in &m.datas {
            store.runtime.datas.push(seg.bytes.clone());
            data.datas.push(store.runtime.datas.len() as u32 - 1);
        }
        for (name, kind, index) in &m.exports {
            let i = *index as usize;
            let ext = match kind {
                ExternKind::Func => Extern::Func(FuncAddr(data.funcs[i])),
                ExternKind::Table => Extern::Table(data.tables[i]),
                ExternKind::Memory => Extern::Memory(data.memories[i]),
                ExternKind::Global => Extern::Global(data.globals[i]),
            };
            data.exports.insert(name.clone(), ext);
        }
        store.instances.push(data);
        let data = store.instances[instance_index as usize].clone();
        let empty_elems: Arc<[u64]> = Arc::new([]);
        for (i, seg) in m.elems.iter().enumerate() {
            let addr = data.elems[i];
            match &seg.mode {
                SegmentMode::Active { index, offset } => {
                    let dst = store.eval_const(&data, offset) as u32;
                    let len = seg.items.len() as u32;
                    store
                        .runtime
                        .table_init(data.tables[*index as usize], addr, dst, 0, len)
                        .map_err(|k| Error::Instantiation(k.to_string()))?;
                    store.runtime.elems[addr as usize] = empty_elems.clone();
                }
                SegmentMode::Declared => store.runtime.elems[addr as usize] = empty_elems.clone(),
                SegmentMode::Passive => {}
            }
        }
        let empty_data: Arc<[u8]> = Arc::new([]);
        for (i, seg) in m.datas.iter().enumerate() {
            let addr = data.datas[i];
            if let SegmentMode::Active { index, offset } = &seg.mode {
                let dst = store.eval_const(&data, offset) as u32;
                let len = seg.bytes.len() as u32;
                store
                    .runtime
                    .memory_init(data.memories[*index as usize], addr, dst, 0, len)
                    .map_err(|k| Error::Instantiation(k.to_string()))?;
                store.runtime.datas[addr as usize] = empty_data.clone();
            }
        }
        let start = m.start.map(|start| FuncAddr(data.funcs[start as usize]));
        Ok((Instance(instance_index), start))
    }
}

/// An instance allocated and initialized, whose start function has not run
/// ([`Linker::instantiate_unstarted`]).
#[derive(Debug, Clone)]
pub struct Unstarted {
    /// The instance.
    pub instance: Instance,
    /// Its start function, to run before anything else is called.
    pub start: Option<FuncAddr>,
    checkpoint: Checkpoint,
}

/// How many of each entity the store held before an instantiation began.
#[derive(Debug, Clone, Copy)]
struct Checkpoint {
    funcs: usize,
    instances: usize,
    memories: usize,
    tables: usize,
    globals: usize,
    elems: usize,
    datas: usize,
    /// Whether the entities made since may be referenced from outside (an imported table can
    /// receive the new functions from an element segment), so that they must stay.
    shared: bool,
}

impl Store {
    fn checkpoint(&self, module: &Module) -> Checkpoint {
        Checkpoint {
            funcs: self.funcs.len(),
            instances: self.instances.len(),
            memories: self.runtime.memories.len(),
            tables: self.runtime.tables.len(),
            globals: self.runtime.globals.len(),
            elems: self.runtime.elems.len(),
            datas: self.runtime.datas.len(),
            shared: module.inner.num_imported_tables > 0,
        }
    }

    /// Removes what was made since `checkpoint`, unless it may be referenced from outside.
    fn rollback(&mut self, checkpoint: &Checkpoint) {
        if checkpoint.shared {
            return;
        }
        self.funcs.truncate(checkpoint.funcs);
        self.watched.truncate(checkpoint.funcs);
        self.instances.truncate(checkpoint.instances);
        self.runtime.memories.truncate(checkpoint.memories);
        self.runtime.tables.truncate(checkpoint.tables);
        self.runtime.globals.truncate(checkpoint.globals);
        self.runtime.elems.truncate(checkpoint.elems);
        self.runtime.datas.truncate(checkpoint.datas);
    }

    /// Discards an instance whose start function failed, with everything its instantiation
    /// made, so the store is as before. Only the latest instantiation can be discarded (an
    /// older one returns an error), and when its module imports a table the new functions may
    /// sit in that table, so they and the rest stay (as the specification has it) while the
    /// instance is no longer handed out.
    pub fn discard(&mut self, unstarted: Unstarted) -> Result<(), Error> {
        if self.instances.len() != unstarted.checkpoint.instances + 1 {
            return Err(Error::Usage("only the latest instantiation can be discarded".into()));
        }
        self.rollback(&unstarted.checkpoint);
        Ok(())
    }
}
