//! The runtime's state beside the interpreter's store: component instances (name, handle
//! table, exports), functions, the dispatch of canon-defined core functions, resource
//! types and calls in flight (tasks).

use std::collections::HashMap;
use std::sync::Arc;

use canopy_interp::FuncAddr;

use super::types::FuncSig;
use crate::abi::StringEncoding;
use crate::resources::Table;
use crate::types::ResourceType;
use crate::val::Val;

/// Canonical options resolved to store addresses.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RtOpts {
    pub(crate) encoding: StringEncoding,
    pub(crate) memory: Option<u32>,
    pub(crate) realloc: Option<FuncAddr>,
    pub(crate) post_return: Option<FuncAddr>,
}

impl RtOpts {
    /// The ABI crate's options for this side; `source` is the other side's encoding.
    pub(crate) fn abi(&self, source: StringEncoding) -> crate::abi::Options {
        crate::abi::Options {
            string_encoding: self.encoding,
            memory: self.memory.is_some(),
            realloc: self.realloc.is_some(),
            source_encoding: source,
        }
    }
}

/// A host function over component values.
pub type HostFn = dyn Fn(&[Val]) -> Result<Vec<Val>, String> + Send + Sync;

/// A lifted function: core code of one component instance behind a component function type.
pub(crate) struct Lifted {
    pub(crate) inst: usize,
    pub(crate) name: String,
    pub(crate) core: FuncAddr,
    pub(crate) sig: FuncSig,
    pub(crate) opts: RtOpts,
}

pub(crate) enum FuncKind {
    Lifted(Lifted),
    Host { name: String, f: Arc<HostFn> },
    HostCtx { name: String, f: Arc<super::host::HostCtxFn> },
}

/// A component function: a lifted export of an instance, or a host function.
#[derive(Clone)]
pub struct Func(pub(crate) Arc<FuncKind>);

impl Func {
    /// The function's component type, when it is a lifted export (host functions take the
    /// type of the import they satisfy).
    pub fn sig(&self) -> Option<&FuncSig> {
        match &*self.0 {
            FuncKind::Lifted(lifted) => Some(&lifted.sig),
            FuncKind::Host { .. } | FuncKind::HostCtx { .. } => None,
        }
    }

    /// A name for messages.
    pub fn name(&self) -> &str {
        match &*self.0 {
            FuncKind::Lifted(lifted) => &lifted.name,
            FuncKind::Host { name, .. } | FuncKind::HostCtx { name, .. } => name,
        }
    }
}

impl std::fmt::Debug for Func {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Func({})", self.name())
    }
}

/// A component item the runtime carries between instances: a function or an instance.
#[derive(Clone, Debug)]
pub enum Item {
    /// A component function.
    Func(Func),
    /// A component instance's exports, by name.
    Instance(Arc<HashMap<String, Item>>),
}

/// What a canon-defined core function does when core code calls it.
#[derive(Clone)]
pub(crate) enum Dispatch {
    /// `canon lower` of `callee` into instance `inst`, typed `sig`.
    Lower {
        inst: usize,
        sig: FuncSig,
        opts: RtOpts,
        callee: Func,
    },
    ResourceNew {
        inst: usize,
        resource: ResourceType,
    },
    ResourceDrop {
        inst: usize,
        resource: ResourceType,
    },
    ResourceRep {
        inst: usize,
        resource: ResourceType,
    },
}

/// A component instance's runtime state.
pub(crate) struct InstState {
    pub(crate) name: String,
    pub(crate) table: Table,
    pub(crate) exports: HashMap<String, Item>,
    /// The runtime resource types it exports, by export name (for a parent component,
    /// whose validator sees them under ids of its own).
    pub(crate) resource_exports: HashMap<String, ResourceType>,
}

/// A resource type's implementation.
pub(crate) struct ResourceInfo {
    /// The instance that defined it (`None`: a host or imported resource).
    pub(crate) impl_inst: Option<usize>,
    pub(crate) dtor: Option<FuncAddr>,
    /// For a host resource: the host's drop.
    pub(crate) host_drop: Option<Arc<super::host::HostDropFn>>,
}

/// A call in flight: borrows handed to the callee, and handles the caller lent.
#[derive(Default)]
pub(crate) struct Task {
    pub(crate) borrows: u32,
    pub(crate) lenders: Vec<(usize, u32)>,
}

#[derive(Default)]
pub(crate) struct Rt {
    pub(crate) instances: Vec<InstState>,
    pub(crate) dispatch: HashMap<FuncAddr, Dispatch>,
    pub(crate) resources: HashMap<u64, ResourceInfo>,
    pub(crate) next_resource: u64,
    pub(crate) tasks: HashMap<u64, Task>,
    pub(crate) next_task: u64,
    /// Core instance → component instance.
    pub(crate) core_owner: HashMap<canopy_interp::Instance, usize>,
}

impl Rt {
    pub(crate) fn task(&mut self, id: u64) -> &mut Task {
        self.tasks.entry(id).or_default()
    }

    pub(crate) fn new_task(&mut self) -> u64 {
        self.next_task += 1;
        self.tasks.insert(self.next_task, Task::default());
        self.next_task
    }

    /// Ends a task: its lends are returned; it fails if borrows it gave remain.
    pub(crate) fn end_task(&mut self, id: u64, callee: usize) -> Result<(), String> {
        let task = self.tasks.remove(&id).unwrap_or_default();
        for (inst, index) in task.lenders {
            self.instances[inst].table.end_lend(index);
        }
        if task.borrows != 0 {
            return Err(format!(
                "instance `{}` returned while still holding {} borrowed handle(s) it was given for the call; \
                 a borrow must be dropped before the call that lent it returns",
                self.instances[callee].name, task.borrows
            ));
        }
        Ok(())
    }

    pub(crate) fn new_resource(&mut self, impl_inst: Option<usize>, name: Option<String>) -> ResourceType {
        self.next_resource += 1;
        let id = self.next_resource;
        self.resources.insert(id, ResourceInfo { impl_inst, dtor: None, host_drop: None });
        let ty = match name {
            Some(name) => ResourceType::named(id, name),
            None => ResourceType::new(id),
        };
        if impl_inst.is_some() { ty.guest_defined() } else { ty }
    }

    pub(crate) fn resource_impl(&self, resource: &ResourceType) -> Option<usize> {
        self.resources.get(&resource.id()).and_then(|info| info.impl_inst)
    }
}
