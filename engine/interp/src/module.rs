//! Decoding, validation and translation of a module binary into a [`Module`].
//!
//! Validation uses the Wasm 2.0 feature set plus tail calls and extended constant expressions.
//! A module that fails validation is re-validated with every feature wasmparser knows: if it
//! passes then, the error is reported as [`Error::Unsupported`] rather than invalid.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use wasmparser::{
    BinaryReader, ElementItems, ElementKind, ExternalKind, FuncToValidate, FunctionBody, KnownCustom, Name, Parser,
    Payload, TypeRef, Validator, ValidatorResources, WasmFeatures,
};

use crate::code::FuncCode;
use crate::config::Engine;
use crate::error::Error;
use crate::translate::{Form, ModuleContext, translate};

/// The cell a function's debug form is translated into on first use.
pub(crate) type DebugCell = Arc<OnceLock<Arc<FuncCode>>>;

/// Where a defined function's body is, to translate it again (into the debug form).
#[derive(Debug, Clone)]
pub(crate) struct BodySource {
    /// Module-level function index.
    pub func_index: u32,
    /// Module-level type index.
    pub type_index: u32,
    /// The body's bytes within the module binary.
    pub range: Range<usize>,
}
use crate::value::{FuncType, ValType};

/// One operation of a constant expression.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum ConstOp {
    Push(u128),
    GlobalGet(u32),
    RefFunc(u32),
    I32Add,
    I32Sub,
    I32Mul,
    I64Add,
    I64Sub,
    I64Mul,
}

/// A constant expression (global initializer, segment offset, element item).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ConstExpr(pub Vec<ConstOp>);

/// Limits of a table or memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits32 {
    /// Initial size (elements or pages).
    pub min: u64,
    /// Maximum size, if declared.
    pub max: Option<u64>,
}

/// A table's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableType {
    /// Element type (`funcref` or `externref`).
    pub element: ValType,
    /// Size limits in elements.
    pub limits: Limits32,
}

/// A global's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GlobalType {
    /// Value type.
    pub content: ValType,
    /// Whether `global.set` may change it.
    pub mutable: bool,
}

/// The type of an import or export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExternType {
    /// A function of the given type.
    Func(FuncType),
    /// A table.
    Table(TableType),
    /// A memory with limits in 64 KiB pages.
    Memory(Limits32),
    /// A global.
    Global(GlobalType),
}

/// Which index space an export refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExternKind {
    /// Function.
    Func,
    /// Table.
    Table,
    /// Memory.
    Memory,
    /// Global.
    Global,
}

/// An import declared by a module.
#[derive(Debug, Clone)]
pub struct ImportDecl {
    /// Module name.
    pub module: String,
    /// Item name.
    pub name: String,
    /// Expected type.
    pub ty: ExternType,
}

#[derive(Debug, Clone)]
pub(crate) enum SegmentMode {
    Passive,
    Declared,
    Active { index: u32, offset: ConstExpr },
}

#[derive(Debug, Clone)]
pub(crate) struct ElemSegment {
    pub mode: SegmentMode,
    pub items: Vec<ConstExpr>,
}

#[derive(Debug, Clone)]
pub(crate) struct DataSegment {
    pub mode: SegmentMode,
    pub bytes: Arc<[u8]>,
}

/// Everything a module declares, with translated function bodies.
#[derive(Debug)]
pub(crate) struct ModuleInner {
    pub types: Vec<FuncType>,
    pub imports: Vec<ImportDecl>,
    /// Type index of every function (imported first).
    pub func_types: Vec<u32>,
    pub num_imported_funcs: u32,
    pub tables: Vec<(TableType, Option<ConstExpr>)>,
    pub num_imported_tables: u32,
    pub memories: Vec<Limits32>,
    pub num_imported_memories: u32,
    pub globals: Vec<(GlobalType, Option<ConstExpr>)>,
    pub num_imported_globals: u32,
    pub exports: Vec<(String, ExternKind, u32)>,
    pub start: Option<u32>,
    pub elems: Vec<ElemSegment>,
    pub datas: Vec<DataSegment>,
    /// The fast form of every defined function.
    pub codes: Vec<Arc<FuncCode>>,
    /// The debug form of every defined function, translated on first use.
    pub debug_codes: Vec<DebugCell>,
    /// Where each defined function's body is in `bytes`.
    pub bodies: Vec<BodySource>,
    /// The module binary (kept for the debug translations).
    pub bytes: Arc<[u8]>,
    /// The validator's view of the module, for re-validating a body as it is translated again.
    pub resources: Option<ValidatorResources>,
    pub global_types: Vec<ValType>,
    pub code_section_start: u64,
    pub func_names: HashMap<u32, String>,
    pub module_name: Option<String>,
}

/// A validated and translated module, cheap to clone and instantiate many times.
#[derive(Debug, Clone)]
pub struct Module {
    pub(crate) inner: Arc<ModuleInner>,
}

/// The features this interpreter executes.
pub(crate) fn supported_features() -> WasmFeatures {
    WasmFeatures::WASM2 | WasmFeatures::TAIL_CALL | WasmFeatures::EXTENDED_CONST
}

fn invalid(e: wasmparser::BinaryReaderError) -> Error {
    Error::Invalid { message: e.message().to_string(), offset: e.offset() }
}

fn unsupported_type(what: impl std::fmt::Display, offset: u64) -> Error {
    Error::Unsupported { message: format!("type `{what}`"), offset }
}

fn val_type(t: wasmparser::ValType, offset: u64) -> Result<ValType, Error> {
    ValType::from_wasmparser(t).ok_or_else(|| unsupported_type(t, offset))
}

fn table_type(t: &wasmparser::TableType, offset: u64) -> Result<TableType, Error> {
    let element = ValType::from_ref_type(t.element_type).ok_or_else(|| unsupported_type(t.element_type, offset))?;
    Ok(TableType { element, limits: Limits32 { min: t.initial, max: t.maximum } })
}

fn const_expr(expr: &wasmparser::ConstExpr<'_>) -> Result<ConstExpr, Error> {
    let mut ops = Vec::new();
    let mut reader = expr.get_operators_reader();
    while !reader.eof() {
        let offset = reader.original_position();
        use wasmparser::Operator as O;
        ops.push(match reader.read().map_err(invalid)? {
            O::I32Const { value } => ConstOp::Push(value as u32 as u128),
            O::I64Const { value } => ConstOp::Push(value as u64 as u128),
            O::F32Const { value } => ConstOp::Push(value.bits() as u128),
            O::F64Const { value } => ConstOp::Push(value.bits() as u128),
            O::V128Const { value } => ConstOp::Push(u128::from_le_bytes(*value.bytes())),
            O::RefNull { .. } => ConstOp::Push(0),
            O::RefFunc { function_index } => ConstOp::RefFunc(function_index),
            O::GlobalGet { global_index } => ConstOp::GlobalGet(global_index),
            O::I32Add => ConstOp::I32Add,
            O::I32Sub => ConstOp::I32Sub,
            O::I32Mul => ConstOp::I32Mul,
            O::I64Add => ConstOp::I64Add,
            O::I64Sub => ConstOp::I64Sub,
            O::I64Mul => ConstOp::I64Mul,
            O::End => break,
            other => {
                return Err(Error::Unsupported { message: format!("constant operator {other:?}"), offset });
            }
        });
    }
    Ok(ConstExpr(ops))
}

impl Module {
    /// Decodes, validates and translates a module binary (text is not accepted; see
    /// [`Module::from_text`]).
    pub fn new(_engine: &Engine, bytes: &[u8]) -> Result<Module, Error> {
        match Self::build(bytes) {
            Ok(m) => Ok(m),
            Err(Error::Invalid { message, offset }) => {
                let mut all = Validator::new_with_features(WasmFeatures::all());
                if all.validate_all(bytes).is_ok() {
                    Err(Error::Unsupported { message, offset })
                } else {
                    Err(Error::Invalid { message, offset })
                }
            }
            Err(e) => Err(e),
        }
    }

    /// Parses WebAssembly text (or binary, which `wat` passes through) and builds the module.
    pub fn from_text(engine: &Engine, text: &str) -> Result<Module, Error> {
        let bytes = wast::parser::ParseBuffer::new(text)
            .and_then(|buf| wast::parser::parse::<wast::Wat>(&buf).and_then(|mut wat| wat.encode()))
            .map_err(|e| Error::Invalid { message: e.to_string(), offset: 0 })?;
        Module::new(engine, &bytes)
    }

    fn build(bytes: &[u8]) -> Result<Module, Error> {
        let mut validator = Validator::new_with_features(supported_features());
        let mut m = ModuleInner {
            types: Vec::new(),
            imports: Vec::new(),
            func_types: Vec::new(),
            num_imported_funcs: 0,
            tables: Vec::new(),
            num_imported_tables: 0,
            memories: Vec::new(),
            num_imported_memories: 0,
            globals: Vec::new(),
            num_imported_globals: 0,
            exports: Vec::new(),
            start: None,
            elems: Vec::new(),
            datas: Vec::new(),
            codes: Vec::new(),
            debug_codes: Vec::new(),
            bodies: Vec::new(),
            bytes: bytes.into(),
            resources: None,
            global_types: Vec::new(),
            code_section_start: 0,
            func_names: HashMap::new(),
            module_name: None,
        };
        let mut code_section_start = 0;
        let mut global_types: Vec<ValType> = Vec::new();
        let mut parser = Parser::new(0);
        parser.set_features(supported_features());
        for payload in parser.parse_all(bytes) {
            let payload = payload.map_err(invalid)?;
            let valid = validator.payload(&payload).map_err(invalid)?;
            match payload {
                Payload::Version { encoding: wasmparser::Encoding::Component, range, .. } => {
                    return Err(Error::Unsupported {
                        message: "components are not core modules".into(),
                        offset: range.start,
                    });
                }
                Payload::TypeSection(reader) => {
                    let offset = reader.range().start;
                    for ty in reader.into_iter_err_on_gc_types() {
                        let ty = ty.map_err(invalid)?;
                        let params = ty.params().iter().map(|&t| val_type(t, offset)).collect::<Result<_, _>>()?;
                        let results = ty.results().iter().map(|&t| val_type(t, offset)).collect::<Result<_, _>>()?;
                        m.types.push(FuncType { params, results });
                    }
                }
                Payload::ImportSection(reader) => {
                    for import in reader.into_imports_with_offsets() {
                        let (offset, import) = import.map_err(invalid)?;
                        let ty = match import.ty {
                            TypeRef::Func(t) | TypeRef::FuncExact(t) => {
                                m.func_types.push(t);
                                m.num_imported_funcs += 1;
                                ExternType::Func(m.types[t as usize].clone())
                            }
                            TypeRef::Table(t) => {
                                let t = table_type(&t, offset)?;
                                m.tables.push((t, None));
                                m.num_imported_tables += 1;
                                ExternType::Table(t)
                            }
                            TypeRef::Memory(t) => {
                                let l = Limits32 { min: t.initial, max: t.maximum };
                                m.memories.push(l);
                                m.num_imported_memories += 1;
                                ExternType::Memory(l)
                            }
                            TypeRef::Global(g) => {
                                let t = GlobalType { content: val_type(g.content_type, offset)?, mutable: g.mutable };
                                global_types.push(t.content);
                                m.globals.push((t, None));
                                m.num_imported_globals += 1;
                                ExternType::Global(t)
                            }
                            TypeRef::Tag(_) => {
                                return Err(Error::Unsupported { message: "exception tags".into(), offset });
                            }
                        };
                        m.imports.push(ImportDecl { module: import.module.into(), name: import.name.into(), ty });
                    }
                }
                Payload::FunctionSection(reader) => {
                    for t in reader {
                        m.func_types.push(t.map_err(invalid)?);
                    }
                }
                Payload::TableSection(reader) => {
                    let offset = reader.range().start;
                    for t in reader {
                        let t = t.map_err(invalid)?;
                        let init = match &t.init {
                            wasmparser::TableInit::RefNull => None,
                            wasmparser::TableInit::Expr(e) => Some(const_expr(e)?),
                        };
                        m.tables.push((table_type(&t.ty, offset)?, init));
                    }
                }
                Payload::MemorySection(reader) => {
                    for t in reader {
                        let t = t.map_err(invalid)?;
                        m.memories.push(Limits32 { min: t.initial, max: t.maximum });
                    }
                }
                Payload::GlobalSection(reader) => {
                    let offset = reader.range().start;
                    for g in reader {
                        let g = g.map_err(invalid)?;
                        let t = GlobalType { content: val_type(g.ty.content_type, offset)?, mutable: g.ty.mutable };
                        global_types.push(t.content);
                        m.globals.push((t, Some(const_expr(&g.init_expr)?)));
                    }
                }
                Payload::ExportSection(reader) => {
                    for e in reader {
                        let e = e.map_err(invalid)?;
                        let kind = match e.kind {
                            ExternalKind::Func | ExternalKind::FuncExact => ExternKind::Func,
                            ExternalKind::Table => ExternKind::Table,
                            ExternalKind::Memory => ExternKind::Memory,
                            ExternalKind::Global => ExternKind::Global,
                            ExternalKind::Tag => {
                                return Err(Error::Unsupported { message: "exception tags".into(), offset: 0 });
                            }
                        };
                        m.exports.push((e.name.to_string(), kind, e.index));
                    }
                }
                Payload::StartSection { func, .. } => m.start = Some(func),
                Payload::ElementSection(reader) => {
                    for e in reader {
                        let e = e.map_err(invalid)?;
                        let mode = match e.kind {
                            ElementKind::Passive => SegmentMode::Passive,
                            ElementKind::Declared => SegmentMode::Declared,
                            ElementKind::Active { table_index, offset_expr } => SegmentMode::Active {
                                index: table_index.unwrap_or(0),
                                offset: const_expr(&offset_expr)?,
                            },
                        };
                        let mut items = Vec::new();
                        match e.items {
                            ElementItems::Functions(funcs) => {
                                for f in funcs {
                                    items.push(ConstExpr(vec![ConstOp::RefFunc(f.map_err(invalid)?)]));
                                }
                            }
                            ElementItems::Expressions(_, exprs) => {
                                for x in exprs {
                                    items.push(const_expr(&x.map_err(invalid)?)?);
                                }
                            }
                        }
                        m.elems.push(ElemSegment { mode, items });
                    }
                }
                Payload::DataSection(reader) => {
                    for d in reader {
                        let d = d.map_err(invalid)?;
                        let mode = match d.kind {
                            wasmparser::DataKind::Passive => SegmentMode::Passive,
                            wasmparser::DataKind::Active { memory_index, offset_expr } => {
                                SegmentMode::Active { index: memory_index, offset: const_expr(&offset_expr)? }
                            }
                        };
                        m.datas.push(DataSegment { mode, bytes: d.data.into() });
                    }
                }
                Payload::CodeSectionStart { unchecked_range, .. } => code_section_start = unchecked_range.start,
                Payload::CodeSectionEntry(_) => {
                    let wasmparser::ValidPayload::Func(func, body) = valid else { continue };
                    let func_index = func.index;
                    let type_index = m.func_types[func_index as usize];
                    if m.resources.is_none() {
                        m.resources = Some(func.resources.clone());
                    }
                    let validator = func.into_validator(Default::default());
                    let ctx = ModuleContext {
                        types: &m.types,
                        func_types: &m.func_types,
                        global_types: &global_types,
                        code_section_start,
                    };
                    let code = translate(&ctx, func_index, type_index, &body, validator, Form::Fast)?;
                    m.codes.push(Arc::new(code));
                    m.debug_codes.push(Arc::new(OnceLock::new()));
                    m.bodies.push(BodySource {
                        func_index,
                        type_index,
                        range: body.range().start as usize..body.range().end as usize,
                    });
                }
                Payload::CustomSection(section) => {
                    if let KnownCustom::Name(names) = section.as_known() {
                        for name in names.into_iter().flatten() {
                            match name {
                                Name::Function(map) => {
                                    for n in map.into_iter().flatten() {
                                        m.func_names.insert(n.index, n.name.to_string());
                                    }
                                }
                                Name::Module { name, .. } => m.module_name = Some(name.to_string()),
                                _ => {}
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        m.global_types = global_types;
        m.code_section_start = code_section_start;
        Ok(Module { inner: Arc::new(m) })
    }

    /// Translates defined function `defined` into its debug form.
    pub(crate) fn translate_debug(&self, defined: u32) -> Result<FuncCode, Error> {
        let m = &*self.inner;
        let source = m.bodies.get(defined as usize).ok_or_else(|| Error::Usage("no such function".into()))?;
        let resources = m.resources.clone().ok_or_else(|| Error::Usage("module has no code".into()))?;
        let func = FuncToValidate {
            resources,
            index: source.func_index,
            ty: source.type_index,
            features: supported_features(),
        };
        let validator = func.into_validator(Default::default());
        let bytes = m.bytes.get(source.range.clone()).ok_or_else(|| Error::Usage("body out of range".into()))?;
        let body = FunctionBody::new(BinaryReader::new(bytes, source.range.start as u64));
        let ctx = ModuleContext {
            types: &m.types,
            func_types: &m.func_types,
            global_types: &m.global_types,
            code_section_start: m.code_section_start,
        };
        translate(&ctx, source.func_index, source.type_index, &body, validator, Form::Debug)
    }

    /// The module-level index of the defined function whose body contains code-section
    /// `offset`.
    pub fn func_at_offset(&self, offset: u32) -> Option<u32> {
        let m = &*self.inner;
        let absolute = offset as usize + m.code_section_start as usize;
        let i = m.bodies.partition_point(|b| b.range.end <= absolute);
        let body = m.bodies.get(i)?;
        body.range.contains(&absolute).then_some(body.func_index)
    }

    /// The code-section offsets a defined function's body spans (locals included).
    pub fn func_code_range(&self, index: u32) -> Option<Range<u32>> {
        let m = &*self.inner;
        let defined = index.checked_sub(m.num_imported_funcs)?;
        let body = m.bodies.get(defined as usize)?;
        let start = m.code_section_start as usize;
        Some((body.range.start - start) as u32..(body.range.end - start) as u32)
    }

    /// The module's imports, in declaration order.
    pub fn imports(&self) -> &[ImportDecl] {
        &self.inner.imports
    }

    /// The module's exports: name, kind and index in that kind's index space.
    pub fn exports(&self) -> impl Iterator<Item = (&str, ExternKind, u32)> {
        self.inner.exports.iter().map(|(n, k, i)| (n.as_str(), *k, *i))
    }

    /// The type of function `index` (imported functions first).
    pub fn func_type(&self, index: u32) -> Option<&FuncType> {
        let t = *self.inner.func_types.get(index as usize)?;
        self.inner.types.get(t as usize)
    }

    /// The name of function `index` from the name section, if any.
    pub fn func_name(&self, index: u32) -> Option<&str> {
        self.inner.func_names.get(&index).map(String::as_str)
    }

    /// The fast form of a defined function (for the crate's own tests of the translator).
    #[cfg(test)]
    pub(crate) fn func_code(&self, index: u32) -> Option<&FuncCode> {
        let defined = index.checked_sub(self.inner.num_imported_funcs)?;
        self.inner.codes.get(defined as usize).map(|c| &**c)
    }
}

#[cfg(test)]
mod dump {
    /// Prints the fast form of every function of the module named by `CANOPY_DUMP` (a `.wat` or
    /// `.wasm`), for looking at what the translator emits: `CANOPY_DUMP=f.wat cargo test -p
    /// canopy-interp --lib dump -- --nocapture`.
    #[test]
    fn dump() {
        let Ok(path) = std::env::var("CANOPY_DUMP") else { return };
        let bytes = wat::parse_file(&path).expect("module");
        let module = super::Module::new(&crate::Engine::default(), &bytes).expect("compiles");
        for i in 0..module.inner.func_types.len() as u32 {
            if let Some(code) = module.func_code(i) {
                println!("func {i} {:?} frame {}", module.func_name(i), code.frame_slots);
                for (pc, instr) in code.instrs.iter().enumerate() {
                    println!(
                        "  {pc:4} {:#06x}{} {instr:?}",
                        code.offsets[pc],
                        if code.resume[pc] != crate::code::NO_RESUME { ' ' } else { '+' }
                    );
                }
            }
        }
    }
}
