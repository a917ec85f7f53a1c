//! Decodes a binary module into what the straight-line evaluator needs: exported function
//! indices, the bodies it can run (local access, constants and SIMD operators only) and the
//! initial contents of the module's own memory.

use std::collections::HashMap;

use canopy_wasm_simd::{SimdOp, classify, lane_index};
use wasmparser::{DataKind, ExternalKind, MemArg, Operator, Parser, Payload, TypeRef, ValType};

/// A value on the evaluator's stack; floats are raw bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Val {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
    V128(u128),
}

/// One instruction of a straight-line body.
#[derive(Clone, Copy, Debug)]
pub enum Step {
    LocalGet(u32),
    LocalSet(u32),
    LocalTee(u32),
    Drop,
    Push(Val),
    GlobalGet(u32),
    /// `i32.load` (`wide == false`) or `i64.load` (`wide == true`), to observe stored lanes.
    ScalarLoad {
        wide: bool,
        memarg: MemArg,
    },
    Simd {
        op: SimdOp,
        lane: u8,
    },
}

/// A function body the evaluator can run.
#[derive(Clone, Debug)]
pub struct Body {
    /// Zero values of the declared (non-parameter) locals.
    pub declared_locals: Vec<Val>,
    pub steps: Vec<Step>,
}

impl Body {
    fn touches_memory(&self) -> bool {
        self.steps.iter().any(|step| {
            matches!(
                step,
                Step::ScalarLoad { .. }
                    | Step::Simd {
                        op: SimdOp::Load(..) | SimdOp::Store(_) | SimdOp::LoadLane { .. } | SimdOp::StoreLane { .. },
                        ..
                    }
            )
        })
    }
}

/// The parts of a module the evaluator uses.
#[derive(Debug, Default)]
pub struct DecodedModule {
    /// Exported function name → function index.
    pub exports: HashMap<String, u32>,
    /// Indexed by function index; `None` for imports and bodies outside the evaluable subset.
    pub bodies: Vec<Option<Body>>,
    /// Initial contents of the module's own memory 0, if it defines one.
    pub memory: Option<Vec<u8>>,
    /// Initial values of the globals; `None` for imported or non-constant ones.
    pub globals: Vec<Option<Val>>,
}

const PAGE_SIZE: usize = 65536;

fn zero_value(ty: ValType) -> Option<Val> {
    Some(match ty {
        ValType::I32 => Val::I32(0),
        ValType::I64 => Val::I64(0),
        ValType::F32 => Val::F32(0),
        ValType::F64 => Val::F64(0),
        ValType::V128 => Val::V128(0),
        ValType::Ref(_) => return None,
    })
}

/// The evaluable form of one body, or `None` if it uses anything else.
fn decode_body(body: &wasmparser::FunctionBody<'_>) -> wasmparser::Result<Option<Body>> {
    let mut declared_locals = Vec::new();
    for local in body.get_locals_reader()? {
        let (count, ty) = local?;
        let Some(zero) = zero_value(ty) else { return Ok(None) };
        declared_locals.extend(std::iter::repeat_n(zero, count as usize));
    }
    let mut steps = Vec::new();
    let mut reader = body.get_operators_reader()?;
    while !reader.eof() {
        let op = reader.read()?;
        let step = match op {
            Operator::End if reader.eof() => break,
            // Whatever follows a `return` in straight-line code is unreachable.
            Operator::Return => break,
            // Without branches, blocks are transparent: the bodies stay straight-line.
            Operator::Block { .. } | Operator::End => continue,
            Operator::LocalGet { local_index } => Step::LocalGet(local_index),
            Operator::LocalSet { local_index } => Step::LocalSet(local_index),
            Operator::LocalTee { local_index } => Step::LocalTee(local_index),
            Operator::Drop => Step::Drop,
            Operator::I32Const { value } => Step::Push(Val::I32(value)),
            Operator::I64Const { value } => Step::Push(Val::I64(value)),
            Operator::F32Const { value } => Step::Push(Val::F32(value.bits())),
            Operator::F64Const { value } => Step::Push(Val::F64(value.bits())),
            Operator::GlobalGet { global_index } => Step::GlobalGet(global_index),
            Operator::I32Load { memarg } => Step::ScalarLoad { wide: false, memarg },
            Operator::I64Load { memarg } => Step::ScalarLoad { wide: true, memarg },
            ref other => match classify(other) {
                Some(op) => Step::Simd { op, lane: lane_index(other).unwrap_or(0) },
                None => return Ok(None),
            },
        };
        steps.push(step);
    }
    Ok(Some(Body { declared_locals, steps }))
}

/// The value of a constant expression made of a single constant instruction.
fn const_value(expr: &wasmparser::ConstExpr<'_>) -> Option<Val> {
    let mut reader = expr.get_operators_reader();
    let value = match reader.read().ok()? {
        Operator::I32Const { value } => Val::I32(value),
        Operator::I64Const { value } => Val::I64(value),
        Operator::F32Const { value } => Val::F32(value.bits()),
        Operator::F64Const { value } => Val::F64(value.bits()),
        Operator::V128Const { value } => Val::V128(u128::from_le_bytes(*value.bytes())),
        _ => return None,
    };
    matches!(reader.read().ok()?, Operator::End).then_some(value)
}

/// Reads the `i32.const` offset of an active data segment.
fn const_offset(expr: &wasmparser::ConstExpr<'_>) -> Option<usize> {
    match const_value(expr)? {
        Val::I32(offset) => usize::try_from(offset as u32).ok(),
        _ => None,
    }
}

/// Decodes `bytes` (a binary module).
pub fn decode(bytes: &[u8]) -> Result<DecodedModule, String> {
    let mut module = DecodedModule::default();
    let mut memory_from_import = false;
    for payload in Parser::new(0).parse_all(bytes) {
        match payload.map_err(|e| e.to_string())? {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    match import.map_err(|e| e.to_string())?.ty {
                        TypeRef::Func(_) | TypeRef::FuncExact(_) => module.bodies.push(None),
                        TypeRef::Memory(_) => memory_from_import = true,
                        TypeRef::Global(_) => module.globals.push(None),
                        _ => {}
                    }
                }
            }
            Payload::MemorySection(reader) => {
                for memory in reader {
                    let memory = memory.map_err(|e| e.to_string())?;
                    if module.memory.is_none() && !memory_from_import {
                        let size = usize::try_from(memory.initial).map_err(|e| e.to_string())? * PAGE_SIZE;
                        module.memory = Some(vec![0; size]);
                    }
                }
            }
            Payload::GlobalSection(reader) => {
                for global in reader {
                    module.globals.push(const_value(&global.map_err(|e| e.to_string())?.init_expr));
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.map_err(|e| e.to_string())?;
                    if export.kind == ExternalKind::Func {
                        module.exports.insert(export.name.to_string(), export.index);
                    }
                }
            }
            Payload::DataSection(reader) => {
                for data in reader {
                    let data = data.map_err(|e| e.to_string())?;
                    let DataKind::Active { memory_index: 0, offset_expr } = data.kind else { continue };
                    let (Some(memory), Some(offset)) = (module.memory.as_mut(), const_offset(&offset_expr)) else {
                        continue;
                    };
                    let end = offset + data.data.len();
                    if end > memory.len() {
                        return Err(format!("data segment {offset}..{end} outside memory"));
                    }
                    memory[offset..end].copy_from_slice(data.data);
                }
            }
            Payload::CodeSectionEntry(body) => {
                let body = decode_body(&body).map_err(|e| e.to_string())?;
                // A body reading or writing an imported (or absent) memory is not evaluable.
                let body = body.filter(|body| module.memory.is_some() || !body.touches_memory());
                module.bodies.push(body);
            }
            _ => {}
        }
    }
    Ok(module)
}
