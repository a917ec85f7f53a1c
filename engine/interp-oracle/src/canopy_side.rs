//! The engine under test: `canopy-interp`, behind the oracle's [`Engine`] trait.

use canopy_interp::{Config, Extern, ExternKind, Instance, Limits, Linker, Module, Store, TrapKind, ValType, Value};

use crate::observe::{Engine, ExportKind, Observed, TrapClass, Val};

/// A module instantiated on `canopy-interp`.
pub(crate) struct CanopyInstance {
    store: Store,
    instance: Instance,
    module: Module,
}

impl CanopyInstance {
    /// Instantiates with the given limits.
    pub(crate) fn with_limits(wasm: &[u8], limits: Limits) -> Result<CanopyInstance, String> {
        let engine = canopy_interp::Engine::new(Config { limits });
        let module = Module::new(&engine, wasm).map_err(|e| e.to_string())?;
        let mut store = Store::new(&engine);
        let instance = Linker::new().instantiate(&mut store, &module).map_err(|e| e.to_string())?;
        Ok(CanopyInstance { store, instance, module })
    }

    /// The parameter types of an exported function.
    pub(crate) fn param_types(&self, name: &str) -> Option<Vec<ValType>> {
        match self.store.export(self.instance, name)? {
            Extern::Func(func) => Some(self.store.func_type(func)?.params.clone()),
            _ => None,
        }
    }
}

impl Engine for CanopyInstance {
    fn instantiate(wasm: &[u8]) -> Result<Self, String> {
        CanopyInstance::with_limits(wasm, Limits::default())
    }

    fn exports(&self) -> Vec<(String, ExportKind)> {
        self.module
            .exports()
            .map(|(name, kind, _)| {
                let kind = match kind {
                    ExternKind::Func => ExportKind::Func,
                    ExternKind::Memory => ExportKind::Memory,
                    ExternKind::Global => ExportKind::Global,
                    _ => ExportKind::Other,
                };
                (name.to_string(), kind)
            })
            .collect()
    }

    fn call(&mut self, name: &str, args: &[Val]) -> Observed {
        let Some(types) = self.param_types(name) else {
            return Observed::Trapped(TrapClass::Other(format!("no exported function `{name}`")));
        };
        let args: Vec<Value> = args.iter().zip(types).map(|(arg, ty)| to_canopy(*arg, ty)).collect();
        match self.store.invoke(self.instance, name, &args) {
            Ok(values) => Observed::Returned(values.into_iter().map(from_canopy).collect()),
            Err(trap) => Observed::Trapped(classify(&trap.kind)),
        }
    }

    fn memory(&self, name: &str) -> Option<&[u8]> {
        match self.store.export(self.instance, name)? {
            Extern::Memory(memory) => self.store.memory(memory),
            _ => None,
        }
    }

    fn global(&self, name: &str) -> Option<Val> {
        match self.store.export(self.instance, name)? {
            Extern::Global(global) => self.store.global_value(global).map(from_canopy),
            _ => None,
        }
    }
}

/// The interpreter's value for an argument of type `ty`.
pub(crate) fn to_canopy(value: Val, ty: ValType) -> Value {
    match value {
        Val::I32(v) => Value::I32(v),
        Val::I64(v) => Value::I64(v),
        Val::F32(v) => Value::F32(v),
        Val::F64(v) => Value::F64(v),
        Val::V128(v) => Value::V128(v),
        Val::Ref { .. } => ty.default_value(),
    }
}

fn from_canopy(value: Value) -> Val {
    match value {
        Value::I32(v) => Val::I32(v),
        Value::I64(v) => Val::I64(v),
        Value::F32(v) => Val::F32(v),
        Value::F64(v) => Val::F64(v),
        Value::V128(v) => Val::V128(v),
        Value::FuncRef(r) => Val::Ref { null: r.is_none() },
        Value::ExternRef(r) => Val::Ref { null: r.is_none() },
    }
}

fn classify(kind: &TrapKind) -> TrapClass {
    match kind {
        TrapKind::Unreachable => TrapClass::Unreachable,
        TrapKind::MemoryOutOfBounds => TrapClass::MemoryOutOfBounds,
        TrapKind::TableOutOfBounds | TrapKind::UndefinedElement => TrapClass::TableOutOfBounds,
        TrapKind::UninitializedElement => TrapClass::NullReference,
        TrapKind::IndirectCallTypeMismatch => TrapClass::SignatureMismatch,
        TrapKind::IntegerDivideByZero => TrapClass::DivideByZero,
        TrapKind::IntegerOverflow => TrapClass::IntegerOverflow,
        TrapKind::InvalidConversionToInteger => TrapClass::BadConversion,
        TrapKind::CallStackExhausted { .. }
        | TrapKind::ValueStackExhausted { .. }
        | TrapKind::FuelExhausted { .. }
        | TrapKind::MemoryLimitExceeded
        | TrapKind::TableLimitExceeded => TrapClass::Limit,
        other => TrapClass::Other(other.to_string()),
    }
}
