//! The canopy-interp adapters: plain execution, and execution with a breakpoint armed in a
//! function the program never calls (to measure what an untaken breakpoint costs).

use canopy_interp::{Engine, Extern, FuncAddr, Instance, Linker, Module, Outcome, Store, Thread};

use crate::{BenchError, Clock, NEVER_CALLED, Runner, Value, canopy_imports};

/// A program instantiated on canopy-interp, run without breakpoints.
pub struct CanopyRunner {
    instance: Loaded,
}

/// A program instantiated on canopy-interp, run with a breakpoint armed (in the store) on the
/// first instruction of the function the name section calls [`NEVER_CALLED`]. A call that
/// reaches the breakpoint fails with an error saying so.
pub struct CanopyBreakpointRunner {
    instance: Loaded,
}

/// The parts both adapters share: the store and the instance in it.
struct Loaded {
    store: Store,
    instance: Instance,
}

impl Loaded {
    /// Compiles and instantiates `wasm`, defining `env.clock_ms` when a clock is given.
    fn new(engine_name: &'static str, wasm: &[u8], clock: Option<&Clock>) -> Result<Loaded, BenchError> {
        let engine = Engine::default();
        let module = Module::new(&engine, wasm).map_err(|e| BenchError::new(engine_name, "compile", e))?;
        let mut store = Store::new(&engine);
        let mut linker = Linker::new();
        if let Some(clock) = clock {
            canopy_imports::define_imports(&mut linker, &mut store, clock);
        }
        let instance =
            linker.instantiate(&mut store, &module).map_err(|e| BenchError::new(engine_name, "instantiate", e))?;
        Ok(Loaded { store, instance })
    }

    fn export(&self, engine_name: &'static str, export: &str) -> Result<FuncAddr, BenchError> {
        match self.store.export(self.instance, export) {
            Some(Extern::Func(func)) => Ok(func),
            _ => Err(BenchError::new(engine_name, format!("call {export}"), "no exported function of that name")),
        }
    }

    /// The store address of the function the name section gives `name`.
    fn func_named(&self, name: &str) -> Option<FuncAddr> {
        let module = self.store.instance_module(self.instance)?;
        let index = (0..)
            .take_while(|&index| module.func_type(index).is_some())
            .find(|&index| module.func_name(index) == Some(name))?;
        self.store.instance_func(self.instance, index)
    }

    /// Runs `func` on a fresh thread (with whatever breakpoints the store has armed).
    fn run(&mut self, engine_name: &'static str, export: &str, args: &[Value]) -> Result<Value, BenchError> {
        let func = self.export(engine_name, export)?;
        let step = || format!("call {export}");
        let args: Vec<canopy_interp::Value> = args.iter().map(|&arg| to_canopy(arg)).collect();
        let mut thread = Thread::new(&self.store, func, &args).map_err(|e| BenchError::new(engine_name, step(), e))?;
        match thread.run(&mut self.store, None) {
            Outcome::Finished(results) => match results.as_slice() {
                [result] => from_canopy(*result)
                    .ok_or_else(|| BenchError::new(engine_name, step(), "the result is not a number")),
                _ => Err(BenchError::new(engine_name, step(), "the export does not return exactly one value")),
            },
            Outcome::Trapped(trap) => Err(BenchError::new(engine_name, step(), trap)),
            Outcome::Paused(reason) => Err(BenchError::new(engine_name, step(), format!("paused: {reason:?}"))),
            Outcome::Pending(_) => Err(BenchError::new(engine_name, step(), "waiting for a host call")),
        }
    }
}

impl Runner for CanopyRunner {
    const NAME: &'static str = "canopy";

    fn instantiate(wasm: &[u8]) -> Result<Self, BenchError> {
        Ok(CanopyRunner { instance: Loaded::new(Self::NAME, wasm, None)? })
    }

    fn instantiate_with_clock(wasm: &[u8], clock: &Clock) -> Result<Self, BenchError> {
        Ok(CanopyRunner { instance: Loaded::new(Self::NAME, wasm, Some(clock))? })
    }

    fn call(&mut self, export: &str, args: &[Value]) -> Result<Value, BenchError> {
        self.instance.run(Self::NAME, export, args)
    }
}

impl Runner for CanopyBreakpointRunner {
    const NAME: &'static str = "canopy+breakpoint";

    fn instantiate(wasm: &[u8]) -> Result<Self, BenchError> {
        Self::armed(Loaded::new(Self::NAME, wasm, None)?)
    }

    fn instantiate_with_clock(wasm: &[u8], clock: &Clock) -> Result<Self, BenchError> {
        Self::armed(Loaded::new(Self::NAME, wasm, Some(clock))?)
    }

    fn call(&mut self, export: &str, args: &[Value]) -> Result<Value, BenchError> {
        self.instance.run(Self::NAME, export, args)
    }
}

impl CanopyBreakpointRunner {
    /// Arms the breakpoint in the loaded program's `never_called`.
    fn armed(mut instance: Loaded) -> Result<Self, BenchError> {
        let func = instance.func_named(NEVER_CALLED).ok_or_else(|| {
            BenchError::new(
                Self::NAME,
                "set breakpoint",
                format!("the name section names no function `{NEVER_CALLED}`"),
            )
        })?;
        instance.store.add_breakpoint(func, 0).map_err(|e| BenchError::new(Self::NAME, "set breakpoint", e))?;
        Ok(CanopyBreakpointRunner { instance })
    }
}

fn to_canopy(value: Value) -> canopy_interp::Value {
    match value {
        Value::I32(v) => canopy_interp::Value::I32(v),
        Value::I64(v) => canopy_interp::Value::I64(v),
        Value::F32(v) => canopy_interp::Value::F32(v.to_bits()),
        Value::F64(v) => canopy_interp::Value::F64(v.to_bits()),
    }
}

fn from_canopy(value: canopy_interp::Value) -> Option<Value> {
    match value {
        canopy_interp::Value::I32(v) => Some(Value::I32(v)),
        canopy_interp::Value::I64(v) => Some(Value::I64(v)),
        canopy_interp::Value::F32(bits) => Some(Value::F32(f32::from_bits(bits))),
        canopy_interp::Value::F64(bits) => Some(Value::F64(f64::from_bits(bits))),
        _ => None,
    }
}
