//! The oracle: wit-parser's own Canonical ABI computations, and the comparison with ours.
//!
//! Deliberate differences, normalised before comparing:
//! - wit-parser distinguishes `Pointer`, `Length` and `PointerOrI64` core types so bindings
//!   can keep pointer provenance; for 32-bit memories they are `i32`, `i32` and `i64`.
//! - wit-parser passes the resource representation of an exported method's `self` as a
//!   `Pointer`; it is the same `i32` core value.
//! - Bare `resource` definitions have no value representation and are skipped (handles to
//!   them, `own`/`borrow`, are compared).

use canopy_canonical_abi::{
    CallingConvention, Context, CoreSignature, CoreType, ValType, core_signature, core_signature_with, flatten, layout,
    layout_memory64,
};
use wit_parser::abi::{AbiVariant, FlatTypes, WasmSignature, WasmType};
use wit_parser::{Function, Handle, Resolve, SizeAlign, Type, TypeDefKind};

/// Converts a wit-parser type into the ABI's structural view; `None` for bare resources.
pub fn convert(resolve: &Resolve, ty: &Type) -> Option<ValType> {
    Some(match ty {
        Type::Bool => ValType::Bool,
        Type::U8 => ValType::U8,
        Type::U16 => ValType::U16,
        Type::U32 => ValType::U32,
        Type::U64 => ValType::U64,
        Type::S8 => ValType::S8,
        Type::S16 => ValType::S16,
        Type::S32 => ValType::S32,
        Type::S64 => ValType::S64,
        Type::F32 => ValType::F32,
        Type::F64 => ValType::F64,
        Type::Char => ValType::Char,
        Type::String => ValType::String,
        Type::ErrorContext => ValType::ErrorContext,
        Type::Id(id) => return convert_kind(resolve, &resolve.types[*id].kind),
    })
}

pub fn convert_kind(resolve: &Resolve, kind: &TypeDefKind) -> Option<ValType> {
    let boxed = |ty: &Type| Box::new(convert(resolve, ty).expect("resources are not values"));
    Some(match kind {
        TypeDefKind::Resource => return None,
        TypeDefKind::Type(ty) => return convert(resolve, ty),
        TypeDefKind::Record(record) => ValType::Record(record.fields.iter().map(|field| *boxed(&field.ty)).collect()),
        TypeDefKind::Tuple(tuple) => ValType::Tuple(tuple.types.iter().map(|ty| *boxed(ty)).collect()),
        TypeDefKind::Variant(variant) => {
            ValType::Variant(variant.cases.iter().map(|case| case.ty.as_ref().map(|ty| *boxed(ty))).collect())
        }
        TypeDefKind::Enum(enum_) => ValType::Enum(enum_.cases.len() as u32),
        TypeDefKind::Flags(flags) => ValType::Flags(flags.flags.len() as u32),
        TypeDefKind::Option(ty) => ValType::Option(boxed(ty)),
        TypeDefKind::Result(result) => {
            ValType::Result { ok: result.ok.as_ref().map(boxed), err: result.err.as_ref().map(boxed) }
        }
        TypeDefKind::List(ty) => ValType::List(boxed(ty)),
        TypeDefKind::FixedLengthList(ty, len) => ValType::FixedList(boxed(ty), *len),
        TypeDefKind::Map(key, value) => ValType::Map(boxed(key), boxed(value)),
        TypeDefKind::Handle(Handle::Own(_)) => ValType::Own,
        TypeDefKind::Handle(Handle::Borrow(_)) => ValType::Borrow,
        TypeDefKind::Future(_) => ValType::Future,
        TypeDefKind::Stream(_) => ValType::Stream,
        TypeDefKind::Unknown => panic!("wit-parser left an unknown type in a resolved package"),
    })
}

fn core_type(ty: WasmType) -> CoreType {
    match ty {
        WasmType::I32 | WasmType::Pointer | WasmType::Length => CoreType::I32,
        WasmType::I64 | WasmType::PointerOrI64 => CoreType::I64,
        WasmType::F32 => CoreType::F32,
        WasmType::F64 => CoreType::F64,
    }
}

fn expected_signature(signature: &WasmSignature) -> CoreSignature {
    CoreSignature {
        params: signature.params.iter().copied().map(core_type).collect(),
        results: signature.results.iter().copied().map(core_type).collect(),
        params_spilled: signature.indirect_params,
        results_spilled: signature.retptr,
    }
}

/// The five wit-parser ABI variants and the call of ours that must agree with each.
fn our_signature(variant: AbiVariant, params: &[ValType], result: Option<&ValType>) -> CoreSignature {
    match variant {
        AbiVariant::GuestImport => core_signature(params, result, Context::Lower, false),
        AbiVariant::GuestExport => core_signature(params, result, Context::Lift, false),
        AbiVariant::GuestImportAsync => core_signature(params, result, Context::Lower, true),
        AbiVariant::GuestExportAsync => core_signature(params, result, Context::Lift, true),
        AbiVariant::GuestExportAsyncStackful => {
            core_signature_with(params, result, Context::Lift, CallingConvention::AsyncStackful)
        }
    }
}

pub const VARIANTS: [AbiVariant; 5] = [
    AbiVariant::GuestImport,
    AbiVariant::GuestExport,
    AbiVariant::GuestImportAsync,
    AbiVariant::GuestExportAsync,
    AbiVariant::GuestExportAsyncStackful,
];

/// Slots handed to wit-parser's flattener; larger flattenings are compared as "overflow".
const FLAT_STORAGE: usize = 64;

/// Counts of what was compared, and every disagreement found.
#[derive(Default)]
pub struct Tally {
    pub types: usize,
    pub functions: usize,
    pub signatures: usize,
    pub mismatches: Vec<String>,
}

impl Tally {
    fn compare_types(&mut self, resolve: &Resolve, sizes: &SizeAlign) {
        for (id, def) in resolve.types.iter() {
            let Some(ty) = convert_kind(resolve, &def.kind) else { continue };
            self.types += 1;
            let wit_ty = Type::Id(id);
            let name = def.name.clone().unwrap_or_else(|| ty.to_string());
            let expected = (sizes.size(&wit_ty).size_wasm32(), sizes.align(&wit_ty).align_wasm32());
            let ours = layout(&ty);
            if (ours.size as usize, ours.align as usize) != expected {
                self.mismatch(format!("layout of {name} ({ty}): ours {ours:?}, wit-parser {expected:?}"));
            }
            let expected64 = (sizes.size(&wit_ty).size_wasm64(), sizes.align(&wit_ty).align_wasm64());
            let ours64 = layout_memory64(&ty);
            if (ours64.size as usize, ours64.align as usize) != expected64 {
                self.mismatch(format!("memory64 layout of {name}: ours {ours64:?}, wit-parser {expected64:?}"));
            }
            let mut storage = [WasmType::I32; FLAT_STORAGE];
            let mut flat = FlatTypes::new(&mut storage);
            let fits = resolve.push_flat(&wit_ty, &mut flat);
            let ours_flat = flatten(&ty);
            let agrees = if fits {
                ours_flat == flat.to_vec().into_iter().map(core_type).collect::<Vec<_>>()
            } else {
                ours_flat.len() > FLAT_STORAGE
            };
            if !agrees {
                self.mismatch(format!("flattening of {name}: ours {ours_flat:?}, wit-parser {:?}", flat.to_vec()));
            }
        }
    }

    fn compare_function(&mut self, resolve: &Resolve, func: &Function) {
        self.functions += 1;
        let params: Vec<ValType> =
            func.params.iter().map(|param| convert(resolve, &param.ty).expect("parameter is a value")).collect();
        let result = func.result.as_ref().map(|ty| convert(resolve, ty).expect("result is a value"));
        for variant in VARIANTS {
            self.signatures += 1;
            let expected = expected_signature(&resolve.wasm_signature(variant, func));
            let ours = our_signature(variant, &params, result.as_ref());
            if ours != expected {
                self.mismatch(format!(
                    "{variant:?} signature of {}: ours {ours:?}, wit-parser {expected:?}",
                    func.name
                ));
            }
        }
    }

    fn compare_functions(&mut self, resolve: &Resolve) {
        for (_, interface) in resolve.interfaces.iter() {
            for func in interface.functions.values() {
                self.compare_function(resolve, func);
            }
        }
        for (_, world) in resolve.worlds.iter() {
            for item in world.imports.values().chain(world.exports.values()) {
                if let wit_parser::WorldItem::Function(func) = item {
                    self.compare_function(resolve, func);
                }
            }
        }
    }

    fn mismatch(&mut self, message: String) {
        self.mismatches.push(message);
    }
}

pub fn compare_resolve(resolve: &Resolve) -> Tally {
    let mut sizes = SizeAlign::default();
    sizes.fill(resolve).expect("wit-parser computes sizes");
    let mut tally = Tally::default();
    tally.compare_types(resolve, &sizes);
    tally.compare_functions(resolve);
    tally
}
