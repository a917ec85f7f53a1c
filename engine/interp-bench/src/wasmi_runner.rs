//! The wasmi adapter: the reference interpreter the benchmarks compare against.

use wasmi::{Engine, Instance, Linker, Module, Store, Val};

use crate::{BenchError, Clock, Runner, Value};

/// A program instantiated on wasmi with its default configuration.
pub struct WasmiRunner {
    store: Store<()>,
    instance: Instance,
}

impl WasmiRunner {
    /// Compiles `wasm` and instantiates it, defining `env.clock_ms` to read `clock` if there is one.
    fn load(wasm: &[u8], clock: Option<&Clock>) -> Result<Self, BenchError> {
        let engine = Engine::default();
        let module = Module::new(&engine, wasm).map_err(|e| BenchError::new(Self::NAME, "compile", e))?;
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::<()>::new(&engine);
        if let Some(clock) = clock {
            let clock = clock.clone();
            linker
                .func_wrap("env", "clock_ms", move || -> i32 { clock.now_ms() })
                .map_err(|e| BenchError::new(Self::NAME, "define env.clock_ms", e))?;
        }
        let instance = linker
            .instantiate_and_start(&mut store, &module)
            .map_err(|e| BenchError::new(Self::NAME, "instantiate", e))?;
        Ok(WasmiRunner { store, instance })
    }
}

impl Runner for WasmiRunner {
    const NAME: &'static str = "wasmi";

    fn instantiate(wasm: &[u8]) -> Result<Self, BenchError> {
        WasmiRunner::load(wasm, None)
    }

    fn instantiate_with_clock(wasm: &[u8], clock: &Clock) -> Result<Self, BenchError> {
        WasmiRunner::load(wasm, Some(clock))
    }

    fn call(&mut self, export: &str, args: &[Value]) -> Result<Value, BenchError> {
        let step = || format!("call {export}");
        let func = self
            .instance
            .get_func(&self.store, export)
            .ok_or_else(|| BenchError::new(Self::NAME, step(), "no exported function of that name"))?;
        let inputs: Vec<Val> = args.iter().map(|&arg| to_wasmi(arg)).collect();
        let mut outputs = [Val::I32(0)];
        let ty = func.ty(&self.store);
        if ty.results().len() != 1 {
            return Err(BenchError::new(Self::NAME, step(), "the export does not return exactly one value"));
        }
        outputs[0] = Val::default_for_ty(ty.results()[0]);
        func.call(&mut self.store, &inputs, &mut outputs).map_err(|e| BenchError::new(Self::NAME, step(), e))?;
        from_wasmi(&outputs[0]).ok_or_else(|| BenchError::new(Self::NAME, step(), "the result is not a number"))
    }
}

fn to_wasmi(value: Value) -> Val {
    match value {
        Value::I32(v) => Val::I32(v),
        Value::I64(v) => Val::I64(v),
        Value::F32(v) => Val::from(v),
        Value::F64(v) => Val::from(v),
    }
}

fn from_wasmi(value: &Val) -> Option<Value> {
    match value {
        Val::I32(v) => Some(Value::I32(*v)),
        Val::I64(v) => Some(Value::I64(*v)),
        Val::F32(v) => Some(Value::F32(f32::from(*v))),
        Val::F64(v) => Some(Value::F64(f64::from(*v))),
        _ => None,
    }
}
