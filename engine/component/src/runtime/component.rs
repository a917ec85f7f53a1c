//! Reading a component: validation, then its definitions in binary order.
//!
//! [`Component::new`] validates the whole binary with wasmparser's `Validator` (component
//! model on) and keeps the validator's [`Types`], which resolve every type index, alias and
//! outer alias of types for us: the function type of each component function and the core
//! type of each core function come from there. The sections are then read once, in order,
//! into a list of [`Def`]s, each adding one item to one index space (core modules, core
//! instances, core functions, memories, tables, globals, component functions, component
//! instances). Instantiation (`instance.rs`) replays that list.
//!
//! Nested components are read the same way, each into a [`Component`] of its own with the
//! validator's [`Types`] for that component (the validator yields them at each component's
//! end); an outer alias of a core module or component copies the enclosing component's
//! definition (the validator has checked that it precedes the alias), an outer alias of a
//! type only takes an index, since the validator resolves types. Everything of the async
//! ABI is rejected with [`LoadError::Unsupported`], naming the offset.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use wasmparser::component_types::ComponentAnyTypeId;
use wasmparser::types::Types;
use wasmparser::{
    CanonicalFunction, CanonicalOption, ComponentAlias, ComponentExternalKind, ComponentInstance,
    ComponentOuterAliasKind, ComponentType, ComponentTypeRef, ExternalKind, FuncValidatorAllocations, Instance, Parser,
    Payload, ValidPayload, Validator, WasmFeatures,
};

use crate::abi::StringEncoding;

/// Why a component could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// The binary is malformed or invalid: wasmparser's message, at this byte offset.
    Invalid {
        /// What is wrong.
        message: String,
        /// Byte offset in the component binary.
        offset: u64,
    },
    /// The component text did not parse (the `wat` crate's message, with its position).
    Text(String),
    /// The component is valid but uses something this runtime does not run yet.
    Unsupported {
        /// What it uses.
        message: String,
        /// Byte offset in the component binary.
        offset: u64,
    },
    /// One of its core modules was rejected by the interpreter.
    Module(String),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Invalid { message, offset } => write!(f, "invalid component at byte {offset:#x}: {message}"),
            LoadError::Text(message) => write!(f, "component text: {message}"),
            LoadError::Unsupported { message, offset } => {
                write!(f, "unsupported in a component at byte {offset:#x}: {message}")
            }
            LoadError::Module(message) => write!(f, "core module: {message}"),
        }
    }
}

impl std::error::Error for LoadError {}

/// The canonical options of one `canon lift` or `canon lower`, as indices into the
/// component's core index spaces.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct CanonOpts {
    pub(crate) encoding: StringEncoding,
    /// Core memory index.
    pub(crate) memory: Option<u32>,
    /// Core function index of `realloc`.
    pub(crate) realloc: Option<u32>,
    /// Core function index of `post-return`.
    pub(crate) post_return: Option<u32>,
}

/// A core function's definition.
#[derive(Debug, Clone)]
pub(crate) enum CoreFuncDef {
    /// An export of a core instance.
    Export { instance: u32, name: String },
    /// `canon lower` of component function `func`.
    Lower { func: u32, opts: CanonOpts },
    /// `canon resource.new` of component type `resource`.
    ResourceNew { resource: u32 },
    /// `canon resource.drop`.
    ResourceDrop { resource: u32 },
    /// `canon resource.rep`.
    ResourceRep { resource: u32 },
}

/// A component function's definition.
#[derive(Debug, Clone)]
pub(crate) enum FuncDef {
    /// Imported under this name.
    Import(String),
    /// `canon lift` of core function `core_func` with type index `ty`.
    Lift { core_func: u32, opts: CanonOpts },
    /// An export of component instance `instance`.
    InstanceExport { instance: u32, name: String },
    /// Re-exported (an `export` adds a function index).
    Alias(u32),
}

/// A component instance's definition.
#[derive(Debug, Clone)]
pub(crate) enum InstanceDef {
    /// Imported under this name.
    Import(String),
    /// Made of other items: (name, kind, index).
    FromExports(Vec<(String, ItemKind, u32)>),
    /// An export of another instance.
    InstanceExport { instance: u32, name: String },
    /// Re-exported.
    Alias(u32),
    /// Instantiate nested component `component` with (name, kind, index) arguments.
    Instantiate { component: u32, args: Vec<(String, ItemKind, u32)> },
}

/// The kinds of component items this runtime carries between instances.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ItemKind {
    /// A component function.
    Func,
    /// A component instance.
    Instance,
    /// A type (its name is used in messages about resources).
    Type,
    /// A core module (carried to nested instantiations).
    Module,
    /// A component (carried to nested instantiations).
    Component,
    /// A value: recorded, not carried.
    Other,
}

/// An entry of the core module or component index space: defined in the component, or
/// imported under a name (bound by the instantiating parent's `with` argument).
#[derive(Debug, Clone)]
pub(crate) enum Slot<T> {
    /// Defined here (or outer-aliased from a definition).
    Defined(T),
    /// Imported under this name.
    Imported(String),
}

/// Which core index space a core alias or export names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CoreKind {
    Func,
    Table,
    Memory,
    Global,
}

/// One definition, in binary order.
#[derive(Debug, Clone)]
pub(crate) enum Def {
    /// Instantiate core module `module` with (name, core instance) arguments.
    CoreInstantiate { module: u32, args: Vec<(String, u32)> },
    /// A core instance made of (name, kind, index) items.
    CoreFromExports(Vec<(String, CoreKind, u32)>),
    /// A core function.
    CoreFunc(CoreFuncDef),
    /// A core table, memory or global: an export of a core instance.
    CoreItem { kind: CoreKind, instance: u32, name: String },
    /// A component function.
    Func(FuncDef),
    /// A component instance.
    Instance(InstanceDef),
}

/// A resource type defined by the component: its type index, and its destructor (a core
/// function index) if it has one.
#[derive(Debug, Clone)]
pub(crate) struct ResourceDef {
    pub(crate) dtor: Option<u32>,
}

pub(crate) struct Inner {
    /// The core module index space (defined, imported and outer-aliased modules).
    pub(crate) modules: Vec<Slot<canopy_interp::Module>>,
    /// The component index space (nested, imported and outer-aliased components).
    pub(crate) components: Vec<Slot<Component>>,
    /// Imported types: name and type index (a resource import is bound at instantiation).
    pub(crate) type_imports: Vec<(String, u32)>,
    pub(crate) defs: Vec<Def>,
    /// Exports: name, kind, index.
    pub(crate) exports: Vec<(String, ItemKind, u32)>,
    /// Imports: name, kind.
    pub(crate) imports: Vec<(String, ItemKind)>,
    pub(crate) types: Types,
    /// Resource types defined here, by type index.
    pub(crate) resources: HashMap<u32, ResourceDef>,
    /// Names under which type indices are exported (at the top or in an instance).
    pub(crate) type_names: HashMap<u32, String>,
}

/// A validated component, ready to instantiate. Cheap to clone.
#[derive(Clone)]
pub struct Component {
    pub(crate) inner: Arc<Inner>,
}

impl fmt::Debug for Component {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Component")
            .field("modules", &self.inner.modules.len())
            .field("imports", &self.inner.imports)
            .field("exports", &self.inner.exports)
            .finish()
    }
}

fn unsupported(message: impl Into<String>, offset: impl TryInto<u64>) -> LoadError {
    LoadError::Unsupported { message: message.into(), offset: offset.try_into().unwrap_or(u64::MAX) }
}

fn invalid(e: wasmparser::BinaryReaderError) -> LoadError {
    LoadError::Invalid { message: e.message().to_string(), offset: e.offset() }
}

fn item_kind(kind: ComponentExternalKind) -> ItemKind {
    match kind {
        ComponentExternalKind::Func => ItemKind::Func,
        ComponentExternalKind::Instance => ItemKind::Instance,
        ComponentExternalKind::Type => ItemKind::Type,
        ComponentExternalKind::Module => ItemKind::Module,
        ComponentExternalKind::Component => ItemKind::Component,
        ComponentExternalKind::Value => ItemKind::Other,
    }
}

fn core_kind(kind: ExternalKind, offset: usize) -> Result<CoreKind, LoadError> {
    Ok(match kind {
        ExternalKind::Func => CoreKind::Func,
        ExternalKind::Table => CoreKind::Table,
        ExternalKind::Memory => CoreKind::Memory,
        ExternalKind::Global => CoreKind::Global,
        other => return Err(unsupported(format!("core {other:?} items"), offset)),
    })
}

fn canon_opts(options: &[CanonicalOption], offset: usize) -> Result<CanonOpts, LoadError> {
    let mut opts = CanonOpts::default();
    for option in options {
        match *option {
            CanonicalOption::UTF8 => opts.encoding = StringEncoding::Utf8,
            CanonicalOption::UTF16 => opts.encoding = StringEncoding::Utf16,
            CanonicalOption::CompactUTF16 => opts.encoding = StringEncoding::Latin1Utf16,
            CanonicalOption::Memory(m) => opts.memory = Some(m),
            CanonicalOption::Realloc(f) => opts.realloc = Some(f),
            CanonicalOption::PostReturn(f) => opts.post_return = Some(f),
            ref other => return Err(unsupported(format!("canonical option {other:?}"), offset)),
        }
    }
    Ok(opts)
}

/// Index-space counters while reading (only types: the other spaces are the `Def` list).
#[derive(Default)]
struct Counts {
    types: u32,
}

/// One component's definitions while its sections are read.
#[derive(Default)]
struct Builder {
    modules: Vec<Slot<canopy_interp::Module>>,
    components: Vec<Slot<Component>>,
    defs: Vec<Def>,
    exports: Vec<(String, ItemKind, u32)>,
    imports: Vec<(String, ItemKind)>,
    type_imports: Vec<(String, u32)>,
    resources: HashMap<u32, ResourceDef>,
    counts: Counts,
    type_names: HashMap<u32, String>,
}

impl Builder {
    fn finish(self, types: Types) -> Component {
        let Builder { modules, components, defs, exports, imports, type_imports, resources, type_names, .. } = self;
        Component {
            inner: Arc::new(Inner {
                modules,
                components,
                defs,
                exports,
                imports,
                type_imports,
                types,
                resources,
                type_names,
            }),
        }
    }
}

/// Builds the interpreter's module of the core module at `range` (the `index`-th of its
/// component); a module the interpreter cannot run makes the component unsupported.
fn load_module(
    engine: &canopy_interp::Engine,
    bytes: &[u8],
    range: std::ops::Range<usize>,
    index: usize,
) -> Result<canopy_interp::Module, LoadError> {
    let start = range.start;
    let module_bytes = bytes.get(range).ok_or_else(|| unsupported("a module section past the end", start))?;
    canopy_interp::Module::new(engine, module_bytes).map_err(|e| match e {
        canopy_interp::Error::Unsupported { message, offset } => {
            unsupported(format!("in core module {index}: {message}"), start as u64 + offset)
        }
        e => LoadError::Module(format!("module {index}: {e}")),
    })
}

impl Component {
    /// Validates and reads a component binary.
    pub fn new(bytes: &[u8]) -> Result<Component, LoadError> {
        // The component-model features the reference tests are written for: a component
        // that uses one of them validates, and is then reported as unsupported where this
        // runtime does not run it.
        let features = WasmFeatures::default()
            | WasmFeatures::COMPONENT_MODEL
            | WasmFeatures::CM_ASYNC
            | WasmFeatures::CM_ASYNC_STACKFUL
            | WasmFeatures::CM_MORE_ASYNC_BUILTINS
            | WasmFeatures::CM_THREADING
            | WasmFeatures::CM_FIXED_LENGTH_LISTS
            | WasmFeatures::CM_MAP
            | WasmFeatures::CM_IMPLEMENTS;
        let mut validator = Validator::new_with_features(features);
        let engine = canopy_interp::Engine::default();
        // One builder per component being read: the outermost first, the innermost nested
        // component (whose sections are being read) last.
        let mut stack: Vec<Builder> = Vec::new();
        let mut in_module = false;
        // The byte range of the core module being read, built once the validator has seen it.
        let mut pending_module: Option<std::ops::Range<usize>> = None;
        // A core module this runtime cannot run, reported once the whole binary validated.
        let mut deferred: Option<LoadError> = None;
        let mut allocs = FuncValidatorAllocations::default();
        for payload in Parser::new(0).parse_all(bytes) {
            let payload = payload.map_err(invalid)?;
            let ended = match validator.payload(&payload).map_err(invalid)? {
                ValidPayload::Func(func, body) => {
                    let mut func = func.into_validator(std::mem::take(&mut allocs));
                    func.validate(&body).map_err(invalid)?;
                    allocs = func.into_allocations();
                    None
                }
                ValidPayload::End(types) => Some(types),
                _ => None,
            };
            if in_module {
                // A core module's own payloads: the validator has seen each of them; at its end
                // the interpreter reads the module whole.
                in_module = !matches!(payload, Payload::End(_));
                if !in_module && let (Some(range), Some(current)) = (pending_module.take(), stack.last_mut()) {
                    match load_module(&engine, bytes, range, current.modules.len()) {
                        Ok(module) => current.modules.push(Slot::Defined(module)),
                        // The rest is still validated: an invalid component is invalid even
                        // when it also has a module this runtime cannot run.
                        Err(e @ LoadError::Unsupported { .. }) => deferred = Some(e),
                        Err(e) => return Err(e),
                    }
                }
                continue;
            }
            if deferred.is_some() {
                continue;
            }
            match &payload {
                Payload::Version { encoding: wasmparser::Encoding::Component, .. } => {
                    stack.push(Builder::default());
                    continue;
                }
                Payload::Version { encoding: wasmparser::Encoding::Module, range, .. } => {
                    return Err(unsupported("a core module is not a component", range.start));
                }
                Payload::ComponentSection { .. } => continue,
                Payload::End(offset) => {
                    let types = ended.ok_or_else(|| unsupported("a component end without its types", *offset))?;
                    let done = stack.pop().ok_or_else(|| unsupported("an end outside a component", *offset))?;
                    let component = done.finish(types);
                    match stack.last_mut() {
                        Some(parent) => parent.components.push(Slot::Defined(component)),
                        None => return Ok(component),
                    }
                    continue;
                }
                _ => {}
            }
            let depth = stack.len();
            let (parents, current) = stack.split_at_mut(depth.saturating_sub(1));
            let Some(current) = current.first_mut() else {
                return Err(unsupported("a section outside a component", 0u64));
            };
            let Builder { modules, components, defs, exports, imports, type_imports, resources, counts, type_names } =
                current;
            match payload {
                Payload::ModuleSection { unchecked_range, .. } => {
                    in_module = true;
                    pending_module = Some(unchecked_range.start as usize..unchecked_range.end as usize);
                }
                Payload::CoreTypeSection(_) | Payload::CustomSection(_) => {}
                Payload::ComponentTypeSection(reader) => {
                    for ty in reader {
                        let ty = ty.map_err(invalid)?;
                        if let ComponentType::Resource { dtor, .. } = ty {
                            resources.insert(counts.types, ResourceDef { dtor });
                        }
                        counts.types += 1;
                    }
                }
                Payload::InstanceSection(reader) => {
                    for instance in reader.into_iter_with_offsets() {
                        let (offset, instance) = instance.map_err(invalid)?;
                        defs.push(match instance {
                            Instance::Instantiate { module_index, args } => Def::CoreInstantiate {
                                module: module_index,
                                args: args.iter().map(|a| (a.name.to_string(), a.index)).collect(),
                            },
                            Instance::FromExports(items) => Def::CoreFromExports(
                                items
                                    .iter()
                                    .map(|e| Ok((e.name.to_string(), core_kind(e.kind, offset as usize)?, e.index)))
                                    .collect::<Result<_, LoadError>>()?,
                            ),
                        });
                    }
                }
                Payload::ComponentInstanceSection(reader) => {
                    for instance in reader {
                        let instance = instance.map_err(invalid)?;
                        match instance {
                            ComponentInstance::Instantiate { component_index, args } => {
                                let args = args.iter().map(|a| (a.name.to_string(), item_kind(a.kind), a.index));
                                defs.push(Def::Instance(InstanceDef::Instantiate {
                                    component: component_index,
                                    args: args.collect(),
                                }));
                            }
                            ComponentInstance::FromExports(items) => {
                                for e in items.iter().filter(|e| e.kind == ComponentExternalKind::Type) {
                                    type_names.entry(e.index).or_insert_with(|| e.name.name.to_string());
                                }
                                let items = items.iter().map(|e| (e.name.name.to_string(), item_kind(e.kind), e.index));
                                defs.push(Def::Instance(InstanceDef::FromExports(items.collect())));
                            }
                        }
                    }
                }
                Payload::ComponentAliasSection(reader) => {
                    for alias in reader.into_iter_with_offsets() {
                        let (offset, alias) = alias.map_err(invalid)?;
                        match alias {
                            ComponentAlias::InstanceExport { kind, instance_index, name } => match item_kind(kind) {
                                ItemKind::Func => defs.push(Def::Func(FuncDef::InstanceExport {
                                    instance: instance_index,
                                    name: name.to_string(),
                                })),
                                ItemKind::Instance => defs.push(Def::Instance(InstanceDef::InstanceExport {
                                    instance: instance_index,
                                    name: name.to_string(),
                                })),
                                ItemKind::Type => counts.types += 1,
                                ItemKind::Module | ItemKind::Component | ItemKind::Other => {
                                    return Err(unsupported(format!("aliases of {kind:?} exports"), offset));
                                }
                            },
                            ComponentAlias::CoreInstanceExport { kind, instance_index, name } => {
                                let kind = core_kind(kind, offset as usize)?;
                                let name = name.to_string();
                                defs.push(match kind {
                                    CoreKind::Func => {
                                        Def::CoreFunc(CoreFuncDef::Export { instance: instance_index, name })
                                    }
                                    kind => Def::CoreItem { kind, instance: instance_index, name },
                                });
                            }
                            ComponentAlias::Outer { kind, count, index } => {
                                // The validator has checked that `count` names an enclosing
                                // component and `index` a definition that precedes this one.
                                let outer = match count {
                                    0 => None,
                                    n => Some(
                                        parents
                                            .len()
                                            .checked_sub(n as usize)
                                            .and_then(|i| parents.get(i))
                                            .ok_or_else(|| unsupported("an outer alias past the outermost", offset))?,
                                    ),
                                };
                                let missing = || unsupported(format!("outer alias of {kind:?} {index}"), offset);
                                match kind {
                                    ComponentOuterAliasKind::Type => counts.types += 1,
                                    ComponentOuterAliasKind::CoreType => {}
                                    ComponentOuterAliasKind::CoreModule => {
                                        let from = outer.map_or(&*modules, |b| &b.modules);
                                        let module = from.get(index as usize).cloned().ok_or_else(missing)?;
                                        if outer.is_some() && matches!(module, Slot::Imported(_)) {
                                            return Err(unsupported("an outer alias of an imported module", offset));
                                        }
                                        modules.push(module);
                                    }
                                    ComponentOuterAliasKind::Component => {
                                        let from = outer.map_or(&*components, |b| &b.components);
                                        let component = from.get(index as usize).cloned().ok_or_else(missing)?;
                                        if outer.is_some() && matches!(component, Slot::Imported(_)) {
                                            return Err(unsupported("an outer alias of an imported component", offset));
                                        }
                                        components.push(component);
                                    }
                                }
                            }
                        }
                    }
                }
                Payload::ComponentCanonicalSection(reader) => {
                    for canon in reader.into_iter_with_offsets() {
                        let (offset, canon) = canon.map_err(invalid)?;
                        defs.push(match canon {
                            CanonicalFunction::Lift { core_func_index, options, .. } => Def::Func(FuncDef::Lift {
                                core_func: core_func_index,
                                opts: canon_opts(&options, offset as usize)?,
                            }),
                            CanonicalFunction::Lower { func_index, options } => Def::CoreFunc(CoreFuncDef::Lower {
                                func: func_index,
                                opts: canon_opts(&options, offset as usize)?,
                            }),
                            CanonicalFunction::ResourceNew { resource } => {
                                Def::CoreFunc(CoreFuncDef::ResourceNew { resource })
                            }
                            CanonicalFunction::ResourceDrop { resource } => {
                                Def::CoreFunc(CoreFuncDef::ResourceDrop { resource })
                            }
                            CanonicalFunction::ResourceRep { resource } => {
                                Def::CoreFunc(CoreFuncDef::ResourceRep { resource })
                            }
                            other => return Err(unsupported(format!("canonical built-in {other:?}"), offset)),
                        });
                    }
                }
                Payload::ComponentImportSection(reader) => {
                    for import in reader.into_iter_with_offsets() {
                        let (offset, import) = import.map_err(invalid)?;
                        let name = import.name.name.to_string();
                        match import.ty {
                            ComponentTypeRef::Func(_) => {
                                imports.push((name.clone(), ItemKind::Func));
                                defs.push(Def::Func(FuncDef::Import(name)));
                            }
                            ComponentTypeRef::Instance(_) => {
                                imports.push((name.clone(), ItemKind::Instance));
                                defs.push(Def::Instance(InstanceDef::Import(name)));
                            }
                            ComponentTypeRef::Module(_) => {
                                imports.push((name.clone(), ItemKind::Module));
                                modules.push(Slot::Imported(name));
                            }
                            ComponentTypeRef::Component(_) => {
                                imports.push((name.clone(), ItemKind::Component));
                                components.push(Slot::Imported(name));
                            }
                            ComponentTypeRef::Type(_) => {
                                type_imports.push((name.clone(), counts.types));
                                imports.push((name, ItemKind::Type));
                                counts.types += 1;
                            }
                            other => return Err(unsupported(format!("imports of {other:?}"), offset)),
                        }
                    }
                }
                Payload::ComponentExportSection(reader) => {
                    for export in reader {
                        let export = export.map_err(invalid)?;
                        let name = export.name.name.to_string();
                        let kind = item_kind(export.kind);
                        if kind == ItemKind::Type {
                            type_names.entry(export.index).or_insert_with(|| name.clone());
                        }
                        exports.push((name, kind, export.index));
                        match kind {
                            ItemKind::Func => defs.push(Def::Func(FuncDef::Alias(export.index))),
                            ItemKind::Instance => defs.push(Def::Instance(InstanceDef::Alias(export.index))),
                            ItemKind::Type => counts.types += 1,
                            // An export adds an index to its sort's space, as a copy.
                            ItemKind::Module => {
                                let module = modules.get(export.index as usize).cloned();
                                modules.push(module.ok_or_else(|| unsupported("an export of no module", 0u64))?);
                            }
                            ItemKind::Component => {
                                let component = components.get(export.index as usize).cloned();
                                let component =
                                    component.ok_or_else(|| unsupported("an export of no component", 0u64))?;
                                components.push(component);
                            }
                            ItemKind::Other => {}
                        }
                    }
                }
                Payload::ComponentStartSection { range, .. } => {
                    return Err(unsupported("component start functions", range.start));
                }
                _ => {}
            }
        }
        Err(deferred.unwrap_or_else(|| unsupported("the component ends early", bytes.len())))
    }

    /// Parses component text (the `wat` crate), then loads the binary as [`Component::new`].
    pub fn from_text(text: &str) -> Result<Component, LoadError> {
        let bytes = wat::parse_str(text).map_err(|e| LoadError::Text(e.to_string()))?;
        Component::new(&bytes)
    }

    /// The names of the component's imports, in order.
    pub fn import_names(&self) -> impl Iterator<Item = &str> {
        self.inner.imports.iter().map(|(name, _)| name.as_str())
    }

    /// The names of the component's exports, in order.
    pub fn export_names(&self) -> impl Iterator<Item = &str> {
        self.inner.exports.iter().map(|(name, _, _)| name.as_str())
    }

    /// The validator's view of a type index (for resources).
    pub(crate) fn any_type(&self, index: u32) -> ComponentAnyTypeId {
        self.inner.types.as_ref().component_any_type_at(index)
    }
}
