//! The oracle: wasmi 2.0 with the same proposals enabled, behind the [`Engine`] trait.

use wasmi::TrapCode;
use wasmi::{CompilationMode, Config, Extern, ExternType, Instance, Linker, Module, Store};

use crate::observe::{Engine, ExportKind, Observed, TrapClass, Val};

/// A module instantiated on wasmi.
pub(crate) struct WasmiInstance {
    store: Store<()>,
    instance: Instance,
    exports: Vec<(String, ExportKind)>,
}

/// How the oracle's own failures begin, so the comparison can tell them from disagreements.
pub(crate) const ORACLE_PANICKED: &str = "wasmi panicked";

impl WasmiInstance {
    fn instantiate_unguarded(wasm: &[u8]) -> Result<Self, String> {
        let mut config = Config::default();
        // Eager: every body is translated here, where a translator panic is caught.
        config.wasm_tail_call(true).wasm_extended_const(true).compilation_mode(CompilationMode::Eager);
        let engine = wasmi::Engine::new(&config);
        let module = Module::new(&engine, wasm).map_err(|e| e.to_string())?;
        let exports = module
            .exports()
            .map(|export| {
                let kind = match export.ty() {
                    ExternType::Func(_) => ExportKind::Func,
                    ExternType::Memory(_) => ExportKind::Memory,
                    ExternType::Global(_) => ExportKind::Global,
                    ExternType::Table(_) => ExportKind::Other,
                };
                (export.name().to_string(), kind)
            })
            .collect();
        let mut store = Store::new(&engine, ());
        let instance =
            Linker::<()>::new(&engine).instantiate_and_start(&mut store, &module).map_err(|e| e.to_string())?;
        Ok(WasmiInstance { store, instance, exports })
    }
}

impl Engine for WasmiInstance {
    fn instantiate(wasm: &[u8]) -> Result<Self, String> {
        // wasmi 2.0's translator hits `unreachable!` on some valid modules; that says nothing
        // about the interpreter under test.
        std::panic::catch_unwind(|| Self::instantiate_unguarded(wasm))
            .unwrap_or_else(|_| Err(format!("{ORACLE_PANICKED} while compiling the module")))
    }

    fn exports(&self) -> Vec<(String, ExportKind)> {
        self.exports.clone()
    }

    fn call(&mut self, name: &str, args: &[Val]) -> Observed {
        let Some(func) = self.instance.get_func(&self.store, name) else {
            return Observed::Trapped(TrapClass::Other(format!("no exported function `{name}`")));
        };
        let ty = func.ty(&self.store);
        let inputs: Vec<wasmi::Val> = args.iter().zip(ty.params()).map(|(arg, param)| to_wasmi(*arg, param)).collect();
        let mut outputs: Vec<wasmi::Val> = ty.results().iter().map(|t| wasmi::Val::default_for_ty(*t)).collect();
        match func.call(&mut self.store, &inputs, &mut outputs) {
            Ok(()) => Observed::Returned(outputs.iter().map(from_wasmi).collect()),
            Err(error) => Observed::Trapped(match error.as_trap_code() {
                Some(code) => classify(code),
                None => TrapClass::Other(error.to_string()),
            }),
        }
    }

    fn memory(&self, name: &str) -> Option<&[u8]> {
        match self.instance.get_export(&self.store, name)? {
            Extern::Memory(memory) => Some(memory.data(&self.store)),
            _ => None,
        }
    }

    fn global(&self, name: &str) -> Option<Val> {
        match self.instance.get_export(&self.store, name)? {
            Extern::Global(global) => Some(from_wasmi(&global.get(&self.store))),
            _ => None,
        }
    }
}

fn to_wasmi(value: Val, ty: &wasmi::ValType) -> wasmi::Val {
    match value {
        Val::I32(v) => wasmi::Val::I32(v),
        Val::I64(v) => wasmi::Val::I64(v),
        Val::F32(v) => wasmi::Val::F32(wasmi::F32::from_bits(v)),
        Val::F64(v) => wasmi::Val::F64(wasmi::F64::from_bits(v)),
        Val::V128(v) => wasmi::Val::V128(wasmi::V128::from(v)),
        Val::Ref { .. } => wasmi::Val::default_for_ty(*ty),
    }
}

fn from_wasmi(value: &wasmi::Val) -> Val {
    match value {
        wasmi::Val::I32(v) => Val::I32(*v),
        wasmi::Val::I64(v) => Val::I64(*v),
        wasmi::Val::F32(v) => Val::F32(v.to_bits()),
        wasmi::Val::F64(v) => Val::F64(v.to_bits()),
        wasmi::Val::V128(v) => Val::V128(v.as_u128()),
        wasmi::Val::FuncRef(r) => Val::Ref { null: r.is_null() },
        wasmi::Val::ExternRef(r) => Val::Ref { null: r.is_null() },
    }
}

fn classify(code: TrapCode) -> TrapClass {
    match code {
        TrapCode::UnreachableCodeReached => TrapClass::Unreachable,
        TrapCode::MemoryOutOfBounds => TrapClass::MemoryOutOfBounds,
        TrapCode::TableOutOfBounds => TrapClass::TableOutOfBounds,
        TrapCode::IndirectCallToNull => TrapClass::NullReference,
        TrapCode::IntegerDivisionByZero => TrapClass::DivideByZero,
        TrapCode::IntegerOverflow => TrapClass::IntegerOverflow,
        TrapCode::BadConversionToInteger => TrapClass::BadConversion,
        TrapCode::BadSignature => TrapClass::SignatureMismatch,
        TrapCode::StackOverflow | TrapCode::OutOfFuel | TrapCode::GrowthOperationLimited => TrapClass::Limit,
        other => TrapClass::Other(format!("{other:?}")),
    }
}
