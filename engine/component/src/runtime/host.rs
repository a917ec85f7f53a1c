//! Host-side items beyond plain functions: functions that reach the store's data
//! ([`HostContext`]), host-defined resource types with a drop hook, and trapping stubs for
//! imports nobody provides ([`Linker::define_unknown_imports_as_traps`]).
//!
//! A host resource's representation is a number the host picks; the guest sees it behind a
//! handle in its own table, typed with the host's [`ResourceType`], like any resource. The
//! host keeps whatever the number stands for in its own state (the store's data slot).

use std::any::Any;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use wasmparser::component_types::{ComponentAnyTypeId, ComponentEntityType};

use super::Linker;
use super::component::{Component, Def, InstanceDef, ItemKind};
use super::state::{Func, FuncKind, Item};
use crate::types::ResourceType;
use crate::val::Val;

/// What a context-taking host function sees of the store: its data slot.
pub struct HostContext<'a> {
    pub(crate) data: Option<&'a mut (dyn Any + Send)>,
}

impl HostContext<'_> {
    /// The store's data, if it holds a `T` ([`super::Store::set_data`]).
    pub fn data<T: 'static>(&mut self) -> Option<&mut T> {
        self.data.as_deref_mut().and_then(|d| d.downcast_mut::<T>())
    }
}

/// A host function that reaches the store's data through a [`HostContext`].
pub type HostCtxFn = dyn Fn(&mut HostContext<'_>, &[Val]) -> Result<Vec<Val>, String> + Send + Sync;

/// The host's drop of one of its resources: called with the representation when the guest
/// drops the last `own` handle.
pub type HostDropFn = dyn Fn(&mut HostContext<'_>, u32) + Send + Sync;

/// A resource type the host defines.
#[derive(Clone)]
pub(crate) struct HostResource {
    pub(crate) ty: ResourceType,
    pub(crate) drop: Option<Arc<HostDropFn>>,
}

/// Host resource type ids come from their own range, above any id a store hands out to
/// guest-defined resources, so a linker can make them before any store exists.
static NEXT_HOST_RESOURCE: AtomicU64 = AtomicU64::new(1 << 48);

impl Linker {
    /// Defines a host function that receives a [`HostContext`] (the store's data) under
    /// `name` (`iface#f` puts `f` in the instance `iface`).
    pub fn func_ctx(
        &mut self,
        name: &str,
        f: impl Fn(&mut HostContext<'_>, &[Val]) -> Result<Vec<Val>, String> + Send + Sync + 'static,
    ) {
        let func = Func(Arc::new(FuncKind::HostCtx { name: name.to_string(), f: Arc::new(f) }));
        self.define(name, Item::Func(func));
    }

    /// Defines a host resource type `iface#name` and returns it; `drop` runs when a guest
    /// drops an `own` of it. Defining the same name again returns the type defined first.
    pub fn resource(&mut self, name: &str, drop: Option<Box<HostDropFn>>) -> ResourceType {
        if let Some(existing) = self.resources.get(name) {
            return existing.ty.clone();
        }
        let id = NEXT_HOST_RESOURCE.fetch_add(1, Ordering::Relaxed);
        let short = name.rsplit_once('#').map_or(name, |(_, r)| r);
        let ty = ResourceType::named(id, short);
        let drop: Option<Arc<HostDropFn>> = drop.map(Arc::from);
        self.resources.insert(name.to_string(), HostResource { ty: ty.clone(), drop });
        if let Some((instance, _)) = name.split_once('#')
            && self.get(instance).is_none()
        {
            self.define_empty_instance(instance);
        }
        ty
    }

    /// The host resource type defined as `name` (`iface#res`).
    pub fn resource_type(&self, name: &str) -> Option<ResourceType> {
        self.resources.get(name).map(|r| r.ty.clone())
    }

    pub(crate) fn host_resource(&self, name: &str) -> Option<&HostResource> {
        self.resources.get(name)
    }

    /// Satisfies every import of `component` this linker lacks with a stub: a function that
    /// traps naming the import when called, and a resource type with no behavior (as
    /// wasmtime's `define_unknown_imports_as_traps`). Returns the stubbed names.
    pub fn define_unknown_imports_as_traps(&mut self, component: &Component) -> Vec<String> {
        let mut stubbed = Vec::new();
        for (name, members) in import_members(component) {
            match members {
                None => {
                    if self.get(&name).is_none() {
                        self.func(&name, trap_stub(&name));
                        stubbed.push(name);
                    }
                }
                Some(members) => {
                    for (member, is_func) in members {
                        let path = format!("{name}#{member}");
                        let present = match self.get(&name) {
                            Some(Item::Instance(map)) => map.contains_key(&member),
                            _ => false,
                        };
                        if is_func && !present {
                            self.func(&path, trap_stub(&path));
                            stubbed.push(path);
                        } else if !is_func && !self.resources.contains_key(&path) {
                            self.resource(&path, None);
                            stubbed.push(path);
                        }
                    }
                    if self.get(&name).is_none() {
                        self.define_empty_instance(&name);
                    }
                }
            }
        }
        stubbed
    }

    fn define_empty_instance(&mut self, name: &str) {
        self.items.insert(name.to_string(), Item::Instance(Arc::new(HashMap::new())));
    }
}

fn trap_stub(name: &str) -> impl Fn(&[Val]) -> Result<Vec<Val>, String> + Send + Sync + 'static {
    let name = name.to_string();
    move |_| Err(format!("unknown import `{name}` was called (it is stubbed by --trap-unknown-imports)"))
}

/// An imported instance's members: (name, whether it is a function).
pub(crate) type Members = Vec<(String, bool)>;

/// The component's function and instance imports: for an instance, its members as
/// (name, is a function); resource types the instance only re-exports from another import
/// (an `eq` bound) are left out. `None` for a function import.
pub(crate) fn import_members(component: &Component) -> Vec<(String, Option<Members>)> {
    let inner = &component.inner;
    let types = inner.types.as_ref();
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (name, kind) in &inner.imports {
        if *kind == ItemKind::Func {
            out.push((name.clone(), None));
        }
    }
    let mut instance_index = 0u32;
    for def in &inner.defs {
        let Def::Instance(def) = def else { continue };
        let index = instance_index;
        instance_index += 1;
        let InstanceDef::Import(name) = def else { continue };
        let id = types.component_instance_at(index);
        let mut members = Vec::new();
        for (export, item) in &inner.types[id].exports {
            match item.ty {
                ComponentEntityType::Func(_) => members.push((export.to_string(), true)),
                ComponentEntityType::Type { referenced: ComponentAnyTypeId::Resource(r), .. }
                    if seen.insert(r.resource()) =>
                {
                    members.push((export.to_string(), false));
                }
                _ => {}
            }
        }
        out.push((name.clone(), Some(members)));
    }
    out
}

/// The members of imported instances that `linker` does not provide (`iface#member`), and
/// members it provides as the wrong kind.
pub(crate) fn missing_members(
    linker: &Linker,
    component: &Component,
    given_type: impl Fn(&str) -> bool,
) -> Vec<String> {
    let mut missing = Vec::new();
    for (name, members) in import_members(component) {
        let (Some(members), Some(Item::Instance(map))) = (members, linker.get(&name)) else { continue };
        for (member, is_func) in members {
            let path = format!("{name}#{member}");
            let ok = if is_func {
                matches!(map.get(&member), Some(Item::Func(_)))
            } else {
                // A resource type comes from the host or with the instance given as argument.
                linker.host_resource(&path).is_some() || given_type(&path)
            };
            if !ok {
                missing.push(path);
            }
        }
    }
    missing
}

/// Binds the resource types the imported instance `import` (instance index `index`)
/// declares to the linker's host resource types, and registers them (with their drops) in
/// the store. A type the instance re-exports from an earlier import is already bound.
pub(crate) fn bind_host_resources(
    store: &mut super::Store,
    linker: &Linker,
    component: &Component,
    import: &str,
    index: u32,
    resource_ids: &mut HashMap<wasmparser::component_types::ResourceId, ResourceType>,
) {
    let inner = &component.inner;
    let id = inner.types.as_ref().component_instance_at(index);
    for (export, item) in &inner.types[id].exports {
        let ComponentEntityType::Type { referenced: ComponentAnyTypeId::Resource(r), .. } = item.ty else { continue };
        if resource_ids.contains_key(&r.resource()) {
            continue;
        }
        let Some(host) = linker.host_resource(&format!("{import}#{export}")) else { continue };
        store.rt.resources.entry(host.ty.id()).or_insert_with(|| super::state::ResourceInfo {
            impl_inst: None,
            dtor: None,
            host_drop: host.drop.clone(),
        });
        resource_ids.insert(r.resource(), host.ty.clone());
    }
}
