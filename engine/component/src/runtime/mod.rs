//! The component runtime on `canopy-interp`: loading, instantiation, calls, resources.
//!
//! Module map: `component` (reading and validating a component), `types` (component
//! function types from the validator), `state` (instances, functions, tasks), `guest` (one
//! side of a call for lifting and lowering), `instance` (instantiation), `driver` (running
//! a call: the loop that serves lowered imports with nested calls on one thread), `frames`
//! (a paused call's stack across instances, with boundary frames).

mod component;
mod driver;
mod frames;
mod guest;
mod host;
mod instance;
mod state;
mod types;

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

pub use component::{Component, LoadError};
pub use driver::{Call, CallStep, ComponentTrap};
pub use frames::{BoundaryFrame, BoundaryKind, CallFrame, CoreFrame};
pub use host::{HostContext, HostCtxFn, HostDropFn};
pub use state::{Func, HostFn, Item};
pub use types::FuncSig;

use state::{FuncKind, Rt};

/// Names a component instance in a [`Store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct InstanceId(pub(crate) usize);

/// Host items to satisfy imports: functions by name (`f`, or `iface#f` inside an imported
/// instance `iface`) and whole instances.
#[derive(Default, Clone)]
pub struct Linker {
    items: HashMap<String, Item>,
    /// Host resource types by `iface#name` (see `host.rs`).
    resources: HashMap<String, host::HostResource>,
}

impl Linker {
    /// An empty linker.
    pub fn new() -> Linker {
        Linker::default()
    }

    /// Defines a host function under `name` (`iface#f` puts `f` in the instance `iface`).
    pub fn func(
        &mut self,
        name: &str,
        f: impl Fn(&[crate::Val]) -> Result<Vec<crate::Val>, String> + Send + Sync + 'static,
    ) {
        let func = Func(Arc::new(FuncKind::Host { name: name.to_string(), f: Arc::new(f) }));
        self.define(name, Item::Func(func));
    }

    /// Defines any item under `name` (`iface#f` puts it in the instance `iface`), for
    /// example another instance's export ([`Store::export`]).
    pub fn define(&mut self, name: &str, item: Item) {
        match name.split_once('#') {
            Some((instance, member)) => {
                let entry = self.items.entry(instance.to_string()).or_insert_with(|| Item::Instance(Arc::default()));
                if let Item::Instance(map) = entry {
                    Arc::make_mut(map).insert(member.to_string(), item);
                } else {
                    *entry = Item::Instance(Arc::new(HashMap::from([(member.to_string(), item)])));
                }
            }
            None => {
                self.items.insert(name.to_string(), item);
            }
        }
    }

    pub(crate) fn get(&self, name: &str) -> Option<&Item> {
        self.items.get(name)
    }
}

/// Why instantiation failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstantiateError {
    /// Imports the linker does not define (all of them, by name).
    MissingImports(Vec<String>),
    /// An import is defined as the wrong kind of item.
    ImportKind(String),
    /// A core module did not instantiate or its start function trapped.
    Core(String),
}

impl fmt::Display for InstantiateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstantiateError::MissingImports(names) => write!(f, "unsatisfied imports: {}", names.join(", ")),
            InstantiateError::ImportKind(m) => write!(f, "import {m}"),
            InstantiateError::Core(m) => write!(f, "core instantiation: {m}"),
        }
    }
}

impl std::error::Error for InstantiateError {}

/// Component instances over one interpreter store, so calls between them run on one thread.
pub struct Store {
    pub(crate) core: canopy_interp::Store,
    pub(crate) rt: Rt,
    /// The embedder's data, which context-taking host functions reach.
    pub(crate) data: Option<Box<dyn std::any::Any + Send>>,
    /// WIT functions whose entry from another instance pauses a call.
    pub(crate) function_breaks: Vec<String>,
}

impl Default for Store {
    fn default() -> Self {
        Store::new()
    }
}

impl Store {
    /// An empty store with the interpreter's default limits.
    pub fn new() -> Store {
        Store {
            core: canopy_interp::Store::new(&canopy_interp::Engine::default()),
            rt: Rt::default(),
            data: None,
            function_breaks: Vec::new(),
        }
    }

    /// Puts the embedder's data in the store, replacing what was there; host functions
    /// defined with [`Linker::func_ctx`] reach it through [`HostContext::data`].
    pub fn set_data<T: std::any::Any + Send>(&mut self, data: T) {
        self.data = Some(Box::new(data));
    }

    /// The embedder's data, if it is a `T`.
    pub fn data<T: 'static>(&self) -> Option<&T> {
        self.data.as_deref().and_then(|d| d.downcast_ref::<T>())
    }

    /// The embedder's data, mutably, if it is a `T`.
    pub fn data_mut<T: 'static>(&mut self) -> Option<&mut T> {
        self.data.as_deref_mut().and_then(|d| d.downcast_mut::<T>())
    }

    /// An empty store whose core code runs under `limits` (fuel, memory, call depth, ...).
    pub fn with_limits(limits: canopy_interp::Limits) -> Store {
        let engine = canopy_interp::Engine::new(canopy_interp::Config { limits });
        Store { core: canopy_interp::Store::new(&engine), rt: Rt::default(), data: None, function_breaks: Vec::new() }
    }

    /// Pauses calls when they enter the WIT function `name` through a lowered import: the
    /// call stops with [`CallStep::Paused`] (a breakpoint) before the callee's first
    /// instruction, with the boundary frame on top of [`Call::frames`]. `name` is the
    /// function's full name (`canopy:polyglot/score#score-words`) or what follows its
    /// interface (`score-words`).
    pub fn add_function_breakpoint(&mut self, name: &str) {
        if !self.function_breaks.iter().any(|n| n == name) {
            self.function_breaks.push(name.to_string());
        }
    }

    /// Removes a function breakpoint; false when there was none by that name.
    pub fn remove_function_breakpoint(&mut self, name: &str) -> bool {
        let before = self.function_breaks.len();
        self.function_breaks.retain(|n| n != name);
        before != self.function_breaks.len()
    }

    /// Whether entering the WIT function `function` pauses.
    pub(crate) fn breaks_on(&self, function: &str) -> bool {
        self.function_breaks
            .iter()
            .any(|b| b == function || function.rsplit_once('#').is_some_and(|(_, short)| short == b))
    }

    /// The interpreter store (breakpoints, memories, frames).
    pub fn core(&self) -> &canopy_interp::Store {
        &self.core
    }

    /// The interpreter store, mutably (to set breakpoints).
    pub fn core_mut(&mut self) -> &mut canopy_interp::Store {
        &mut self.core
    }

    /// Instantiates `component` under `name` (used in traps and frames), satisfying its
    /// imports from `linker`.
    pub fn instantiate(
        &mut self,
        linker: &Linker,
        component: &Component,
        name: &str,
    ) -> Result<InstanceId, InstantiateError> {
        instance::instantiate(self, linker, component, name, &instance::Given::default()).map(InstanceId)
    }

    /// An export of `instance` by path: `name`, or `iface#f` for a function of an exported
    /// instance.
    pub fn export(&self, instance: InstanceId, path: &str) -> Option<Item> {
        let exports = &self.rt.instances.get(instance.0)?.exports;
        match path.split_once('#') {
            None => exports.get(path).cloned(),
            Some((iface, member)) => match exports.get(iface)? {
                Item::Instance(map) => map.get(member).cloned(),
                Item::Func(_) => None,
            },
        }
    }

    /// The exported function at `path` (see [`Store::export`]).
    pub fn func(&self, instance: InstanceId, path: &str) -> Option<Func> {
        match self.export(instance, path)? {
            Item::Func(func) => Some(func),
            Item::Instance(_) => None,
        }
    }

    /// The component type of the exported function at `path`: parameter names and types,
    /// result types (for parsing WAVE arguments, say).
    pub fn func_type(&self, instance: InstanceId, path: &str) -> Option<FuncSig> {
        self.func(instance, path)?.sig().cloned()
    }

    /// The name an instance was given.
    pub fn instance_name(&self, instance: InstanceId) -> Option<&str> {
        self.rt.instances.get(instance.0).map(|i| i.name.as_str())
    }

    /// How many handles the instance's table holds.
    pub fn live_handles(&self, instance: InstanceId) -> usize {
        self.rt.instances.get(instance.0).map_or(0, |i| i.table.len())
    }

    /// Calls the exported function at `path` with `args`, to completion.
    pub fn call(
        &mut self,
        instance: InstanceId,
        path: &str,
        args: &[crate::Val],
    ) -> Result<Vec<crate::Val>, ComponentTrap> {
        let mut call = self.start_call(instance, path, args)?;
        loop {
            match self.resume(&mut call)? {
                CallStep::Finished(results) => return Ok(results),
                CallStep::Paused(_) => continue,
            }
        }
    }

    /// Starts a call of the exported function at `path`; [`Store::resume`] runs it. A
    /// breakpoint set in [`Store::core_mut`] pauses it, with every frame of every instance
    /// on the call's one thread ([`Call::thread`]).
    pub fn start_call(&mut self, instance: InstanceId, path: &str, args: &[crate::Val]) -> Result<Call, ComponentTrap> {
        let func = self.func(instance, path).ok_or_else(|| {
            ComponentTrap::message(format!(
                "instance `{}` exports no function `{path}`",
                self.instance_name(instance).unwrap_or("?")
            ))
        })?;
        driver::start(self, &func, args)
    }

    /// Runs a call until it finishes, traps, or pauses.
    pub fn resume(&mut self, call: &mut Call) -> Result<CallStep, ComponentTrap> {
        driver::resume(self, call, canopy_interp::RunUntil::default())
    }

    /// Runs a call until it finishes, traps, pauses, or reaches what `until` asks: a step
    /// budget (counted in every instance the call enters, so one step from a call of a
    /// lowered import stops on the callee's first instruction) or a frame depth of the
    /// call's thread (see [`Call::frames`]; the depth of a caller steps out of a callee in
    /// another instance and stops in the caller once the results are delivered).
    pub fn resume_until(&mut self, call: &mut Call, until: canopy_interp::RunUntil) -> Result<CallStep, ComponentTrap> {
        driver::resume(self, call, until)
    }

    /// Drops a resource the host owns (an `own` a call returned, of resource type
    /// `resource`): runs the destructor of the instance that implements the resource, if it
    /// has one, as `resource.drop` of an own does (for a host resource, the host's drop).
    /// The host keeps its handles as values, not in a table, so a second drop of the same
    /// handle is not detected here.
    pub fn drop_resource(
        &mut self,
        resource: &crate::ResourceType,
        handle: crate::ResourceHandle,
    ) -> Result<(), ComponentTrap> {
        let info = self
            .rt
            .resources
            .get(&resource.id())
            .ok_or_else(|| ComponentTrap::message(format!("`{resource}` is not a resource type of this store")))?;
        let (dtor, owner) = (info.dtor, info.impl_inst);
        let host_drop = info.host_drop.clone();
        let rep = u32::try_from(handle.raw()).map_err(|_| {
            ComponentTrap::message(format!("handle {:#x} to `{resource}` is not one this store made", handle.raw()))
        })?;
        if let Some(host_drop) = host_drop {
            let mut cx = HostContext { data: self.data.as_deref_mut() };
            host_drop(&mut cx, rep);
            return Ok(());
        }
        let Some(dtor) = dtor else { return Ok(()) };
        driver::run_core(self, dtor, &[canopy_interp::Value::I32(rep as i32)]).map_err(|mut trap| {
            trap.instance = owner.map(|i| self.rt.instances[i].name.clone());
            trap.message = format!("destructor of `{resource}`: {}", trap.message);
            trap
        })?;
        Ok(())
    }

    /// The component instance a core function belongs to, for frames.
    pub fn func_owner(&self, func: canopy_interp::FuncAddr) -> Option<InstanceId> {
        let core = self.core.func_instance(func)?;
        self.rt.core_owner.get(&core).copied().map(InstanceId)
    }
}
