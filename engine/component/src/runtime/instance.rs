//! Instantiation: replays a component's definitions in binary order over one interpreter
//! store, building each index space (core instances, core functions and other core items,
//! component functions and instances).
//!
//! Each core module instance is an interpreter instance; a core instance made of exports
//! is a name map. `canon lower` and `canon resource.*` become interpreter host functions
//! that answer *pending*: the call's driver serves them (`driver.rs`). Core start functions
//! run through the same driver, so they may call lowered imports.

use std::collections::HashMap;
use std::sync::Arc;

use canopy_interp::{Extern, FuncAddr, FuncType, HostResult, ValType};
use wasmparser::component_types::{ComponentAnyTypeId, ComponentEntityType, ResourceId};

use super::component::{CanonOpts, Component, CoreFuncDef, CoreKind, Def, FuncDef, InstanceDef, ItemKind, Slot};
use super::state::{Dispatch, Func, FuncKind, InstState, Item, Lifted, RtOpts};
use super::types::func_sig;
use super::{InstantiateError, Linker, Store};
use crate::resources::Table;
use crate::types::ResourceType;

enum CoreInst {
    Real(canopy_interp::Instance),
    Exports(HashMap<String, Extern>),
}

struct Spaces {
    core_insts: Vec<CoreInst>,
    core_funcs: Vec<FuncAddr>,
    tables: Vec<u32>,
    memories: Vec<u32>,
    globals: Vec<u32>,
    funcs: Vec<Func>,
    instances: Vec<Arc<HashMap<String, Item>>>,
}

fn core_err(m: impl Into<String>) -> InstantiateError {
    InstantiateError::Core(m.into())
}

impl Spaces {
    fn core_export(&self, store: &Store, instance: u32, name: &str) -> Result<Extern, InstantiateError> {
        let found = match self.core_insts.get(instance as usize) {
            Some(CoreInst::Real(i)) => store.core.export(*i, name),
            Some(CoreInst::Exports(map)) => map.get(name).copied(),
            None => None,
        };
        found.ok_or_else(|| core_err(format!("core instance {instance} has no export `{name}`")))
    }

    fn core_exports(&self, store: &Store, instance: u32) -> Vec<(String, Extern)> {
        match self.core_insts.get(instance as usize) {
            Some(CoreInst::Real(i)) => store.core.exports(*i),
            Some(CoreInst::Exports(map)) => map.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            None => Vec::new(),
        }
    }

    fn opts(&self, opts: &CanonOpts) -> RtOpts {
        RtOpts {
            encoding: opts.encoding,
            memory: opts.memory.and_then(|m| self.memories.get(m as usize).copied()),
            realloc: opts.realloc.and_then(|f| self.core_funcs.get(f as usize).copied()),
            post_return: opts.post_return.and_then(|f| self.core_funcs.get(f as usize).copied()),
        }
    }
}

/// Names of component functions, from the exports that reach them (following re-exports).
fn func_names(component: &Component) -> HashMap<u32, String> {
    let inner = &component.inner;
    let mut alias_of = Vec::new();
    let mut names = HashMap::new();
    let mut instance_members: Vec<Vec<(String, u32)>> = Vec::new();
    for def in &inner.defs {
        match def {
            Def::Func(FuncDef::Alias(of)) => alias_of.push(Some(*of)),
            Def::Func(_) => alias_of.push(None),
            Def::Instance(InstanceDef::FromExports(items)) => instance_members.push(
                items.iter().filter(|(_, kind, _)| *kind == ItemKind::Func).map(|(n, _, i)| (n.clone(), *i)).collect(),
            ),
            Def::Instance(InstanceDef::Instantiate { component, args }) => {
                instance_members.push(match inner.components.get(*component as usize) {
                    Some(Slot::Defined(nested)) => passed_through(nested, args),
                    _ => Vec::new(),
                })
            }
            Def::Instance(_) => instance_members.push(Vec::new()),
            _ => {}
        }
    }
    let root = |mut index: u32| {
        while let Some(Some(of)) = alias_of.get(index as usize) {
            index = *of;
        }
        index
    };
    for (name, kind, index) in &inner.exports {
        match kind {
            ItemKind::Func => {
                names.entry(root(*index)).or_insert_with(|| name.clone());
            }
            ItemKind::Instance => {
                for (member, func) in instance_members.get(*index as usize).into_iter().flatten() {
                    names.entry(root(*func)).or_insert_with(|| format!("{name}#{member}"));
                }
            }
            _ => {}
        }
    }
    names
}

/// The functions a nested component exports that are arguments of its instantiation (as
/// wit-component's shims do): (export name, function index in the instantiating component).
fn passed_through(nested: &Component, args: &[(String, ItemKind, u32)]) -> Vec<(String, u32)> {
    let funcs: Vec<&FuncDef> = nested
        .inner
        .defs
        .iter()
        .filter_map(|def| match def {
            Def::Func(f) => Some(f),
            _ => None,
        })
        .collect();
    let mut members = Vec::new();
    for (export, kind, index) in &nested.inner.exports {
        if *kind != ItemKind::Func {
            continue;
        }
        let mut index = *index;
        // Bounded: each step goes to an earlier function, as re-exports can only name those.
        for _ in 0..funcs.len() {
            match funcs.get(index as usize) {
                Some(FuncDef::Alias(of)) => index = *of,
                Some(FuncDef::Import(import)) => {
                    let arg = args.iter().find(|(name, kind, _)| name == import && *kind == ItemKind::Func);
                    if let Some((_, _, outer)) = arg {
                        members.push((export.clone(), *outer));
                    }
                    break;
                }
                _ => break,
            }
        }
    }
    members
}

fn core_type(component: &Component, core_func: usize) -> Result<FuncType, InstantiateError> {
    let types = &component.inner.types;
    let id = types.as_ref().core_function_at(core_func as u32);
    let func = types[id].unwrap_func();
    let convert = |ty: &wasmparser::ValType| match ty {
        wasmparser::ValType::I32 => Ok(ValType::I32),
        wasmparser::ValType::I64 => Ok(ValType::I64),
        wasmparser::ValType::F32 => Ok(ValType::F32),
        wasmparser::ValType::F64 => Ok(ValType::F64),
        other => Err(core_err(format!("canonical function with core type {other}"))),
    };
    Ok(FuncType {
        params: func.params().iter().map(convert).collect::<Result<_, _>>()?,
        results: func.results().iter().map(convert).collect::<Result<_, _>>()?,
    })
}

/// What an instantiating parent gives a nested component besides functions and instances:
/// resource types (by import name, or `instance#export` for one an imported instance exports),
/// core modules and components (by import name).
#[derive(Default)]
pub(crate) struct Given {
    pub(crate) types: HashMap<String, ResourceType>,
    pub(crate) modules: HashMap<String, canopy_interp::Module>,
    pub(crate) components: HashMap<String, Component>,
}

impl Given {
    /// The core module in a slot: defined, or given for its import.
    fn module<'a>(
        &'a self,
        slot: Option<&'a Slot<canopy_interp::Module>>,
        index: u32,
    ) -> Result<&'a canopy_interp::Module, InstantiateError> {
        match slot {
            Some(Slot::Defined(module)) => Ok(module),
            Some(Slot::Imported(name)) => {
                self.modules.get(name).ok_or_else(|| core_err(format!("no core module given for import `{name}`")))
            }
            None => Err(core_err(format!("no core module {index}"))),
        }
    }

    /// The component in a slot: defined, or given for its import.
    fn component<'a>(
        &'a self,
        slot: Option<&'a Slot<Component>>,
        index: u32,
    ) -> Result<&'a Component, InstantiateError> {
        match slot {
            Some(Slot::Defined(component)) => Ok(component),
            Some(Slot::Imported(name)) => {
                self.components.get(name).ok_or_else(|| core_err(format!("no component given for import `{name}`")))
            }
            None => Err(core_err(format!("no component {index}"))),
        }
    }
}

/// The resource types an instance type exports: (export name, the validator's resource id).
fn exported_resources(
    types: &wasmparser::types::Types,
    instance_type: wasmparser::component_types::ComponentInstanceTypeId,
) -> Vec<(String, ResourceId)> {
    let mut found = Vec::new();
    for (export, item) in &types[instance_type].exports {
        if let ComponentEntityType::Type { referenced: ComponentAnyTypeId::Resource(id), .. } = item.ty {
            found.push((export.to_string(), id.resource()));
        }
    }
    found
}

/// Instantiates `component` as a new component instance named `name`: functions and
/// instances from `linker`, imported resource types, core modules and components from
/// `given` (by import name; a nested component's imports of those are bound to its parent's
/// there).
pub(crate) fn instantiate(
    store: &mut Store,
    linker: &Linker,
    component: &Component,
    name: &str,
    given: &Given,
) -> Result<usize, InstantiateError> {
    let inner = &component.inner;
    let type_args = &given.types;
    let missing: Vec<String> = inner
        .imports
        .iter()
        .filter(|(n, kind)| match kind {
            ItemKind::Type => false,
            ItemKind::Module => !given.modules.contains_key(n),
            ItemKind::Component => !given.components.contains_key(n),
            ItemKind::Func | ItemKind::Instance | ItemKind::Other => linker.get(n).is_none(),
        })
        .map(|(n, _)| n.clone())
        .collect();
    let mut missing = missing;
    missing.extend(super::host::missing_members(linker, component, |path| type_args.contains_key(path)));
    if !missing.is_empty() {
        return Err(InstantiateError::MissingImports(missing));
    }
    let inst = store.rt.instances.len();
    store.rt.instances.push(InstState {
        name: name.to_string(),
        table: Table::default(),
        exports: HashMap::new(),
        resource_exports: HashMap::new(),
    });
    // Resource types defined here: one fresh runtime type each, for this instance.
    let mut resource_ids: HashMap<ResourceId, ResourceType> = HashMap::new();
    let mut dtors = Vec::new();
    for (&type_index, def) in &inner.resources {
        if let ComponentAnyTypeId::Resource(id) = component.any_type(type_index) {
            let type_name = inner.type_names.get(&type_index).cloned();
            let rt = store.rt.new_resource(Some(inst), type_name);
            dtors.push((rt.id(), def.dtor));
            resource_ids.insert(id.resource(), rt);
        }
    }
    // Imported resource types: the validator gave each its own abstract id, which stands for
    // the type the instantiator supplied.
    for (import, type_index) in &inner.type_imports {
        if let (Some(rt), ComponentAnyTypeId::Resource(id)) = (type_args.get(import), component.any_type(*type_index)) {
            resource_ids.insert(id.resource(), rt.clone());
        }
    }
    let names = func_names(component);
    let mut s = Spaces {
        core_insts: Vec::new(),
        core_funcs: Vec::new(),
        tables: Vec::new(),
        memories: Vec::new(),
        globals: Vec::new(),
        funcs: Vec::new(),
        instances: Vec::new(),
    };
    for def in &inner.defs {
        match def {
            Def::CoreInstantiate { module, args } => {
                let mut core_linker = canopy_interp::Linker::new();
                for (arg, instance) in args {
                    for (export, ext) in s.core_exports(store, *instance) {
                        core_linker.define(arg, &export, ext);
                    }
                }
                let module = given.module(inner.modules.get(*module as usize), *module)?;
                let unstarted =
                    core_linker.instantiate_unstarted(&mut store.core, module).map_err(|e| core_err(e.to_string()))?;
                store.rt.core_owner.insert(unstarted.instance, inst);
                if let Some(start) = unstarted.start {
                    super::driver::run_core(store, start, &[])
                        .map_err(|trap| core_err(format!("start function of a core instance: {trap}")))?;
                }
                s.core_insts.push(CoreInst::Real(unstarted.instance));
            }
            Def::CoreFromExports(items) => {
                let mut map = HashMap::new();
                for (item, kind, index) in items {
                    let i = *index as usize;
                    let ext = match kind {
                        CoreKind::Func => s.core_funcs.get(i).map(|f| Extern::Func(*f)),
                        CoreKind::Table => s.tables.get(i).map(|t| Extern::Table(*t)),
                        CoreKind::Memory => s.memories.get(i).map(|m| Extern::Memory(*m)),
                        CoreKind::Global => s.globals.get(i).map(|g| Extern::Global(*g)),
                    };
                    map.insert(item.clone(), ext.ok_or_else(|| core_err(format!("no core item {index}")))?);
                }
                s.core_insts.push(CoreInst::Exports(map));
            }
            Def::CoreItem { kind, instance, name } => match (kind, s.core_export(store, *instance, name)?) {
                (CoreKind::Table, Extern::Table(t)) => s.tables.push(t),
                (CoreKind::Memory, Extern::Memory(m)) => s.memories.push(m),
                (CoreKind::Global, Extern::Global(g)) => s.globals.push(g),
                _ => return Err(core_err(format!("core export `{name}` is not a {kind:?}"))),
            },
            Def::CoreFunc(CoreFuncDef::Export { instance, name }) => match s.core_export(store, *instance, name)? {
                Extern::Func(f) => s.core_funcs.push(f),
                _ => return Err(core_err(format!("core export `{name}` is not a function"))),
            },
            Def::CoreFunc(def) => {
                let ty = core_type(component, s.core_funcs.len())?;
                let mut resource =
                    |id: ResourceId| resource_ids.get(&id).cloned().unwrap_or_else(|| ResourceType::new(u64::MAX));
                let resource_of = |index: u32, resource: &mut dyn FnMut(ResourceId) -> ResourceType| match component
                    .any_type(index)
                {
                    ComponentAnyTypeId::Resource(id) => Ok(resource(id.resource())),
                    _ => Err(core_err(format!("type {index} is not a resource"))),
                };
                let (label, dispatch) = match def {
                    CoreFuncDef::Lower { func, opts } => {
                        let callee =
                            s.funcs.get(*func as usize).cloned().ok_or_else(|| core_err("no such function"))?;
                        let sig =
                            func_sig(&inner.types, inner.types.as_ref().component_function_at(*func), &mut resource);
                        let label = format!("canon lower {}", callee.name());
                        (label, Dispatch::Lower { inst, sig, opts: s.opts(opts), callee })
                    }
                    CoreFuncDef::ResourceNew { resource: r } => {
                        let rt = resource_of(*r, &mut resource)?;
                        (format!("resource.new {rt}"), Dispatch::ResourceNew { inst, resource: rt })
                    }
                    CoreFuncDef::ResourceDrop { resource: r } => {
                        let rt = resource_of(*r, &mut resource)?;
                        (format!("resource.drop {rt}"), Dispatch::ResourceDrop { inst, resource: rt })
                    }
                    CoreFuncDef::ResourceRep { resource: r } => {
                        let rt = resource_of(*r, &mut resource)?;
                        (format!("resource.rep {rt}"), Dispatch::ResourceRep { inst, resource: rt })
                    }
                    CoreFuncDef::Export { .. } => unreachable!("handled above"),
                };
                let addr = store.core.host_func(&label, ty, |_, _| HostResult::Pending);
                store.rt.dispatch.insert(addr, dispatch);
                s.core_funcs.push(addr);
            }
            Def::Func(def) => {
                let func = match def {
                    FuncDef::Import(import) => match linker.get(import) {
                        Some(Item::Func(f)) => f.clone(),
                        _ => return Err(InstantiateError::ImportKind(format!("`{import}` is not a function"))),
                    },
                    FuncDef::Lift { core_func, opts } => {
                        let index = s.funcs.len() as u32;
                        let mut resource = |id: ResourceId| {
                            resource_ids.get(&id).cloned().unwrap_or_else(|| ResourceType::new(u64::MAX))
                        };
                        let sig =
                            func_sig(&inner.types, inner.types.as_ref().component_function_at(index), &mut resource);
                        let core =
                            *s.core_funcs.get(*core_func as usize).ok_or_else(|| core_err("no core function"))?;
                        let name = names.get(&index).cloned().unwrap_or_else(|| format!("func {index}"));
                        Func(Arc::new(FuncKind::Lifted(Lifted { inst, name, core, sig, opts: s.opts(opts) })))
                    }
                    FuncDef::InstanceExport { instance, name } => {
                        match s.instances.get(*instance as usize).and_then(|i| i.get(name)) {
                            Some(Item::Func(f)) => f.clone(),
                            _ => return Err(core_err(format!("instance {instance} has no function `{name}`"))),
                        }
                    }
                    FuncDef::Alias(of) => s.funcs[*of as usize].clone(),
                };
                s.funcs.push(func);
            }
            Def::Instance(def) => {
                let instance = match def {
                    InstanceDef::Import(import) => match linker.get(import) {
                        Some(Item::Instance(map)) => {
                            super::host::bind_host_resources(
                                store,
                                linker,
                                component,
                                import,
                                s.instances.len() as u32,
                                &mut resource_ids,
                            );
                            // The resource types the imported instance exports stand for the
                            // runtime types the instantiator gave under `import#export`.
                            let instance_type = inner.types.as_ref().component_instance_at(s.instances.len() as u32);
                            for (export, rt) in exported_resources(&inner.types, instance_type) {
                                if let Some(given) = type_args.get(&format!("{import}#{export}")) {
                                    resource_ids.insert(rt, given.clone());
                                }
                            }
                            map.clone()
                        }
                        _ => return Err(InstantiateError::ImportKind(format!("`{import}` is not an instance"))),
                    },
                    InstanceDef::FromExports(items) => {
                        let mut map = HashMap::new();
                        for (item, kind, index) in items {
                            let i = *index as usize;
                            match kind {
                                ItemKind::Func => map.insert(item.clone(), Item::Func(s.funcs[i].clone())),
                                ItemKind::Instance => map.insert(item.clone(), Item::Instance(s.instances[i].clone())),
                                ItemKind::Type | ItemKind::Module | ItemKind::Component | ItemKind::Other => None,
                            };
                        }
                        Arc::new(map)
                    }
                    InstanceDef::InstanceExport { instance, name } => {
                        match s.instances.get(*instance as usize).and_then(|i| i.get(name)) {
                            Some(Item::Instance(map)) => map.clone(),
                            _ => return Err(core_err(format!("instance {instance} has no instance `{name}`"))),
                        }
                    }
                    InstanceDef::Alias(of) => s.instances[*of as usize].clone(),
                    InstanceDef::Instantiate { component: index, args } => {
                        let nested = given.component(inner.components.get(*index as usize), *index)?.clone();
                        let mut args_linker = Linker::new();
                        let mut nested_given = Given::default();
                        let nested_types = &mut nested_given.types;
                        for (arg, kind, i) in args {
                            let item = match kind {
                                ItemKind::Func => s.funcs.get(*i as usize).cloned().map(Item::Func),
                                ItemKind::Instance => {
                                    // Its resource types go along, by `arg#export`.
                                    let instance_type = inner.types.as_ref().component_instance_at(*i);
                                    for (export, id) in exported_resources(&inner.types, instance_type) {
                                        if let Some(rt) = resource_ids.get(&id) {
                                            nested_types.insert(format!("{arg}#{export}"), rt.clone());
                                        }
                                    }
                                    s.instances.get(*i as usize).cloned().map(Item::Instance)
                                }
                                ItemKind::Type => {
                                    if let ComponentAnyTypeId::Resource(id) = component.any_type(*i)
                                        && let Some(rt) = resource_ids.get(&id.resource())
                                    {
                                        nested_types.insert(arg.clone(), rt.clone());
                                    }
                                    continue;
                                }
                                ItemKind::Module => {
                                    let module = given.module(inner.modules.get(*i as usize), *i)?.clone();
                                    nested_given.modules.insert(arg.clone(), module);
                                    continue;
                                }
                                ItemKind::Component => {
                                    let component = given.component(inner.components.get(*i as usize), *i)?.clone();
                                    nested_given.components.insert(arg.clone(), component);
                                    continue;
                                }
                                ItemKind::Other => continue,
                            };
                            let item = item.ok_or_else(|| core_err(format!("no {kind:?} {i} for argument `{arg}`")))?;
                            // Inserted whole: an argument name is never a `#` path.
                            args_linker.items.insert(arg.clone(), item);
                        }
                        let child_name = format!("{name}/instance {}", s.instances.len());
                        let child = instantiate(store, &args_linker, &nested, &child_name, &nested_given)?;
                        // Each instantiation makes its resource types anew: the validator
                        // names the instance's exported resources with ids of this
                        // component, which now stand for the child's runtime types.
                        let instance_type = inner.types.as_ref().component_instance_at(s.instances.len() as u32);
                        for (export, item) in &inner.types[instance_type].exports {
                            if let ComponentEntityType::Type { referenced: ComponentAnyTypeId::Resource(id), .. } =
                                item.ty
                                && let Some(rt) = store.rt.instances[child].resource_exports.get(export.as_str())
                            {
                                resource_ids.insert(id.resource(), rt.clone());
                            }
                        }
                        Arc::new(store.rt.instances[child].exports.clone())
                    }
                };
                s.instances.push(instance);
            }
        }
    }
    for (id, dtor) in dtors {
        let dtor = dtor.and_then(|d| s.core_funcs.get(d as usize).copied());
        if let Some(info) = store.rt.resources.get_mut(&id) {
            info.dtor = dtor;
        }
    }
    let mut exports = HashMap::new();
    for (export, kind, index) in &inner.exports {
        let i = *index as usize;
        match kind {
            ItemKind::Func => exports.insert(export.clone(), Item::Func(s.funcs[i].clone())),
            ItemKind::Instance => exports.insert(export.clone(), Item::Instance(s.instances[i].clone())),
            ItemKind::Type | ItemKind::Module | ItemKind::Component | ItemKind::Other => None,
        };
    }
    let mut resource_exports = HashMap::new();
    for (export, kind, index) in &inner.exports {
        if *kind == ItemKind::Type
            && let ComponentAnyTypeId::Resource(id) = component.any_type(*index)
            && let Some(rt) = resource_ids.get(&id.resource())
        {
            resource_exports.insert(export.clone(), rt.clone());
        }
    }
    store.rt.instances[inst].exports = exports;
    store.rt.instances[inst].resource_exports = resource_exports;
    Ok(inst)
}
