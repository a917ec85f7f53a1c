//! Running a call: one interpreter thread for the whole call tree.
//!
//! A call of a lifted export lowers the arguments into the callee and starts a thread on
//! its core function. When core code calls a canon-defined core function, the thread
//! pends and [`resume`] serves it: `resource.new/rep` and borrow drops answer at once; a
//! host import gets its arguments lifted and its results lowered; a lowered import that
//! is another instance's lifted export has its arguments lifted from the caller and
//! lowered into the callee, and the callee runs with `Thread::call_nested` on the same
//! thread, so a pause inside it shows every frame of every instance. When the nested call
//! finishes, its results are lifted, lowered into the caller, its `post-return` runs
//! (nested too), and the pending call completes. Destructors run nested the same way.

use std::fmt;

use canopy_interp::{FrameInfo, FuncAddr, HostCallId, HostCompletion, Outcome, PauseReason, RunUntil, Thread, Value};

use super::Store;
use super::guest::Side;
use super::state::{Dispatch, Func, FuncKind, RtOpts};
use super::types::FuncSig;
use crate::abi::{CoreVal, CoreValues, LiftLower, StringEncoding};
use crate::val::Val;

/// A trap of a component call: the message, the component instance and WIT function it
/// happened in, and the core backtrace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentTrap {
    /// What happened (the rule broken, or the core trap).
    pub message: String,
    /// The component instance running when it happened.
    pub instance: Option<String>,
    /// The WIT function (lifted export) running when it happened.
    pub function: Option<String>,
    /// Core frames, innermost first.
    pub backtrace: Vec<FrameInfo>,
}

impl ComponentTrap {
    pub(crate) fn message(message: impl Into<String>) -> ComponentTrap {
        ComponentTrap { message: message.into(), instance: None, function: None, backtrace: Vec::new() }
    }
}

impl fmt::Display for ComponentTrap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.instance, &self.function) {
            (Some(i), Some(func)) => write!(f, "trap in instance `{i}`, function `{func}`: ")?,
            (Some(i), None) => write!(f, "trap in instance `{i}`: ")?,
            _ => write!(f, "trap: ")?,
        }
        f.write_str(&self.message)?;
        for (i, frame) in self.backtrace.iter().enumerate() {
            write!(f, "\n  {i}: {frame}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ComponentTrap {}

/// What [`Store::resume`](super::Store::resume) stopped at.
#[derive(Debug, Clone, PartialEq)]
pub enum CallStep {
    /// The call returned these values.
    Finished(Vec<Val>),
    /// The thread paused (a breakpoint, an interrupt); resume again to go on.
    Paused(PauseReason),
}

/// A lifted function being run: (instance, WIT name, signature, options).
#[derive(Clone)]
pub(super) struct Callee {
    pub(super) inst: usize,
    pub(super) name: String,
    pub(super) sig: FuncSig,
    pub(super) opts: RtOpts,
}

#[allow(clippy::large_enum_variant)] // one per call in flight; boxing buys nothing
pub(super) enum Waiting {
    /// A lowered call whose callee runs nested.
    Callee {
        id: HostCallId,
        caller: usize,
        lower_sig: FuncSig,
        caller_opts: RtOpts,
        args: Vec<CoreVal>,
        consumed: usize,
        callee: Callee,
        task: u64,
        /// The arguments as the callee received them, for its boundary frame.
        values: Vec<Val>,
    },
    /// Its post-return runs nested; then the call completes with `results`.
    PostReturn { id: HostCallId, results: Vec<Value>, callee: Callee },
    /// A destructor runs nested; then `resource.drop` completes.
    Dtor { id: HostCallId },
}

/// A component call in progress, on one interpreter thread.
pub struct Call {
    pub(super) thread: Thread,
    pub(super) stack: Vec<Waiting>,
    pub(super) root: Option<(Callee, u64)>,
    /// The root call's arguments (empty for a start function's run).
    pub(super) root_args: Vec<Val>,
    /// Set when a nested call just entered a function with a breakpoint.
    entered_break: bool,
}

impl Call {
    /// The interpreter thread: frames of every instance in the call, innermost first.
    pub fn thread(&self) -> &Thread {
        &self.thread
    }

    /// The WIT functions in flight, outermost first (the export called, then each callee
    /// reached through a lowered import).
    pub fn functions(&self) -> Vec<String> {
        let mut names: Vec<String> = self.root.iter().map(|(c, _)| c.name.clone()).collect();
        names.extend(self.stack.iter().filter_map(|w| match w {
            Waiting::Callee { callee, .. } => Some(callee.name.clone()),
            _ => None,
        }));
        names
    }
}

fn to_core(v: &Value) -> Result<CoreVal, String> {
    Ok(match *v {
        Value::I32(x) => CoreVal::I32(x),
        Value::I64(x) => CoreVal::I64(x),
        Value::F32(x) => CoreVal::F32(x),
        Value::F64(x) => CoreVal::F64(x),
        other => return Err(format!("core value {other} has no canonical ABI meaning")),
    })
}

fn from_core(v: &CoreVal) -> Value {
    match *v {
        CoreVal::I32(x) => Value::I32(x),
        CoreVal::I64(x) => Value::I64(x),
        CoreVal::F32(x) => Value::F32(x),
        CoreVal::F64(x) => Value::F64(x),
    }
}

fn side(store: &mut Store, inst: usize, opts: RtOpts, task: u64) -> Side<'_> {
    Side { core: &mut store.core, rt: &mut store.rt, inst, opts, task }
}

/// Starts a call of `func` with `args` from the host.
pub(crate) fn start(store: &mut Store, func: &Func, args: &[Val]) -> Result<Call, ComponentTrap> {
    let FuncKind::Lifted(lifted) = &*func.0 else {
        return Err(ComponentTrap::message(format!("`{}` is a host function", func.name())));
    };
    let callee = Callee { inst: lifted.inst, name: lifted.name.clone(), sig: lifted.sig.clone(), opts: lifted.opts };
    let task = store.rt.new_task();
    let instance_name = store_name(store, callee.inst);
    let trap = |m: String| ComponentTrap {
        message: m,
        instance: Some(instance_name.clone()),
        function: Some(callee.name.clone()),
        backtrace: Vec::new(),
    };
    let opts = callee.opts.abi(StringEncoding::Utf8);
    let types = callee.sig.param_types();
    let flat = {
        let mut side = side(store, callee.inst, callee.opts, task);
        LiftLower::new(&mut side, &opts).lower_params(&types, args)
    };
    let flat = flat.map_err(|t| trap(format!("lowering the arguments: {t}")))?;
    let core_args: Vec<Value> = flat.iter().map(from_core).collect();
    let thread = Thread::new(&store.core, lifted.core, &core_args).map_err(|e| trap(e.to_string()))?;
    Ok(Call { thread, stack: Vec::new(), root: Some((callee, task)), root_args: args.to_vec(), entered_break: false })
}

fn store_name(store: &Store, inst: usize) -> String {
    store.rt.instances.get(inst).map_or_else(|| "?".to_string(), |i| i.name.clone())
}

/// Runs a core function (a start function) through the driver, to completion.
pub(crate) fn run_core(store: &mut Store, func: FuncAddr, args: &[Value]) -> Result<Vec<Value>, ComponentTrap> {
    let thread = Thread::new(&store.core, func, args).map_err(|e| ComponentTrap::message(e.to_string()))?;
    let mut call = Call { thread, stack: Vec::new(), root: None, root_args: Vec::new(), entered_break: false };
    loop {
        match run(store, &mut call, RunUntil::default())? {
            Done::Core(values) => return Ok(values),
            Done::Paused(_) => continue,
        }
    }
}

enum Done {
    Core(Vec<Value>),
    Paused(PauseReason),
}

/// Runs `call` until it finishes or pauses.
pub(crate) fn resume(store: &mut Store, call: &mut Call, until: RunUntil) -> Result<CallStep, ComponentTrap> {
    let values = match run(store, call, until)? {
        Done::Paused(reason) => return Ok(CallStep::Paused(reason)),
        Done::Core(values) => values,
    };
    let Some((callee, task)) = call.root.clone() else { return Ok(CallStep::Finished(Vec::new())) };
    let trap = |store: &Store, m: String| ComponentTrap {
        message: m,
        instance: Some(store_name(store, callee.inst)),
        function: Some(callee.name.clone()),
        backtrace: Vec::new(),
    };
    let core: Vec<CoreVal> = values.iter().map(to_core).collect::<Result<_, _>>().map_err(|m| trap(store, m))?;
    let opts = callee.opts.abi(StringEncoding::Utf8);
    let results = {
        let mut side = side(store, callee.inst, callee.opts, task);
        LiftLower::new(&mut side, &opts).lift_results(&callee.sig.results, &core)
    };
    let results = results.map_err(|t| trap(store, format!("lifting the results: {t}")))?;
    store.rt.end_task(task, callee.inst).map_err(|m| trap(store, m))?;
    if let Some(post) = callee.opts.post_return {
        run_core(store, post, &values).map_err(|t| trap(store, format!("post-return: {}", t.message)))?;
    }
    Ok(CallStep::Finished(results))
}

/// The innermost WIT function and instance in flight, for a trap.
fn locate(store: &Store, call: &Call) -> (Option<String>, Option<String>) {
    let innermost = call.stack.iter().rev().find_map(|w| match w {
        Waiting::Callee { callee, .. } => Some(callee.clone()),
        _ => None,
    });
    match innermost.or_else(|| call.root.as_ref().map(|(c, _)| c.clone())) {
        Some(c) => (Some(store_name(store, c.inst)), Some(c.name)),
        None => (None, None),
    }
}

/// Runs the thread, serving its pending calls, until it finishes or pauses. `until` applies
/// across boundaries: steps count in callees too, and a depth stop is reached as soon as a
/// nested call that went below it has delivered its results (stepping out of a callee stops
/// in its caller, on the instruction after the call).
fn run(store: &mut Store, call: &mut Call, until: RunUntil) -> Result<Done, ComponentTrap> {
    loop {
        match call.thread.run_until(&mut store.core, until) {
            Outcome::Paused(reason) => return Ok(Done::Paused(reason)),
            Outcome::Trapped(trap) => {
                let (instance, function) = locate(store, call);
                return Err(ComponentTrap {
                    message: trap.kind.to_string(),
                    instance,
                    function,
                    backtrace: trap.backtrace,
                });
            }
            Outcome::Pending(id) => {
                if let Err(message) = serve(store, call, id) {
                    let (instance, function) = locate(store, call);
                    let backtrace = call.thread.backtrace(&store.core);
                    return Err(ComponentTrap { message, instance, function, backtrace });
                }
                if std::mem::take(&mut call.entered_break) {
                    return Ok(Done::Paused(PauseReason::Breakpoint));
                }
            }
            Outcome::Finished(values) => match call.stack.pop() {
                None => return Ok(Done::Core(values)),
                Some(waiting) => {
                    if let Err(message) = finish_nested(store, call, waiting, &values) {
                        let (instance, function) = locate(store, call);
                        let backtrace = call.thread.backtrace(&store.core);
                        return Err(ComponentTrap { message, instance, function, backtrace });
                    }
                    // Stop once the results are in the caller (not while a post-return or a
                    // destructor still runs nested).
                    if until.depth.is_some_and(|depth| call.thread.depth() <= depth)
                        && call.thread.state() == canopy_interp::ThreadState::Paused
                    {
                        return Ok(Done::Paused(PauseReason::DepthReached));
                    }
                }
            },
        }
    }
}

fn complete(store: &mut Store, call: &mut Call, id: HostCallId, results: Vec<Value>) -> Result<(), String> {
    match call.thread.complete_host(&store.core, id, HostCompletion::Return(results)) {
        Ok(_) => Ok(()),
        Err(e) => Err(e.to_string()),
    }
}

fn i32_arg(args: &[Value]) -> Result<u32, String> {
    match args {
        [Value::I32(x)] => Ok(*x as u32),
        other => Err(format!("expected one i32 argument, got {other:?}")),
    }
}

/// Serves the pending call `id`.
fn serve(store: &mut Store, call: &mut Call, id: HostCallId) -> Result<(), String> {
    let dispatch = store.rt.dispatch.get(&id.func).cloned().ok_or("the thread called an unknown host function")?;
    let args = call.thread.pending_args(&store.core).unwrap_or_default();
    match dispatch {
        Dispatch::ResourceNew { inst, resource } => {
            let rep = i32_arg(&args)?;
            let entry = crate::resources::Entry { resource, rep, own: true, lends: 0, scope: None };
            let index = store.rt.instances[inst].table.add(entry);
            complete(store, call, id, vec![Value::I32(index as i32)])
        }
        Dispatch::ResourceRep { inst, resource } => {
            let index = i32_arg(&args)?;
            let name = store_name(store, inst);
            let entry = store.rt.instances[inst]
                .table
                .get_mut(&name, index, &resource)
                .map_err(|e| format!("resource.rep: {e}"))?;
            let rep = entry.rep;
            complete(store, call, id, vec![Value::I32(rep as i32)])
        }
        Dispatch::ResourceDrop { inst, resource } => {
            let index = i32_arg(&args)?;
            let name = store_name(store, inst);
            let entry = (store.rt.instances[inst].table.remove(&name, index, &resource, false, "resource.drop"))
                .map_err(|e| format!("resource.drop: {e}"))?;
            if !entry.own {
                if let Some(scope) = entry.scope {
                    let task = store.rt.task(scope);
                    task.borrows = task.borrows.saturating_sub(1);
                }
                return complete(store, call, id, Vec::new());
            }
            if let Some(drop) = store.rt.resources.get(&resource.id()).and_then(|info| info.host_drop.clone()) {
                let mut cx = super::host::HostContext { data: store.data.as_deref_mut() };
                drop(&mut cx, entry.rep);
                return complete(store, call, id, Vec::new());
            }
            let dtor = store.rt.resources.get(&resource.id()).and_then(|info| info.dtor);
            match dtor {
                Some(dtor) => {
                    call.thread
                        .call_nested(&store.core, dtor, &[Value::I32(entry.rep as i32)])
                        .map_err(|e| e.to_string())?;
                    call.stack.push(Waiting::Dtor { id });
                    Ok(())
                }
                None => complete(store, call, id, Vec::new()),
            }
        }
        Dispatch::Lower { inst, sig, opts, callee } => {
            let core_args: Vec<CoreVal> = args.iter().map(to_core).collect::<Result<_, _>>()?;
            let task = store.rt.new_task();
            let caller_abi = opts.abi(StringEncoding::Utf8);
            let mut cursor = CoreValues::new(&core_args);
            let vals = {
                let mut side = side(store, inst, opts, task);
                LiftLower::new(&mut side, &caller_abi).lift_params(&sig.param_types(), &mut cursor)
            };
            let vals = vals.map_err(|t| format!("lifting the arguments of `{}`: {t}", callee.name()))?;
            let consumed = cursor.position();
            match &*callee.0 {
                FuncKind::Host { .. } | FuncKind::HostCtx { .. } => {
                    let results = match &*callee.0 {
                        FuncKind::Host { name, f } => {
                            f(&vals).map_err(|m| format!("host function `{name}` failed: {m}"))
                        }
                        FuncKind::HostCtx { name, f } => {
                            let mut cx = super::host::HostContext { data: store.data.as_deref_mut() };
                            f(&mut cx, &vals).map_err(|m| format!("host function `{name}` failed: {m}"))
                        }
                        FuncKind::Lifted(_) => unreachable!("matched a host function"),
                    }?;
                    store.rt.end_task(task, inst)?;
                    let lowered = lower_into_caller(
                        store,
                        inst,
                        opts,
                        &sig,
                        &results,
                        &core_args[consumed..],
                        task,
                        StringEncoding::Utf8,
                    )?;
                    complete(store, call, id, lowered)
                }
                FuncKind::Lifted(lifted) => {
                    if call_active(call, lifted.inst) {
                        return Err(format!(
                            "cannot enter instance `{}` to call `{}`: it is already on the call stack (may_enter)",
                            store_name(store, lifted.inst),
                            lifted.name
                        ));
                    }
                    let target = Callee {
                        inst: lifted.inst,
                        name: lifted.name.clone(),
                        sig: lifted.sig.clone(),
                        opts: lifted.opts,
                    };
                    let abi = target.opts.abi(opts.encoding);
                    let flat = {
                        let mut side = side(store, target.inst, target.opts, task);
                        LiftLower::new(&mut side, &abi).lower_params(&target.sig.param_types(), &vals)
                    };
                    let flat = flat.map_err(|t| format!("lowering the arguments into `{}`: {t}", target.name))?;
                    let flat: Vec<Value> = flat.iter().map(from_core).collect();
                    call.thread.call_nested(&store.core, lifted.core, &flat).map_err(|e| e.to_string())?;
                    call.stack.push(Waiting::Callee {
                        id,
                        caller: inst,
                        lower_sig: sig,
                        caller_opts: opts,
                        args: core_args,
                        consumed,
                        callee: target,
                        task,
                        values: vals,
                    });
                    call.entered_break = store.breaks_on(&lifted.name);
                    Ok(())
                }
            }
        }
    }
}

fn call_active(call: &Call, inst: usize) -> bool {
    call.root.as_ref().is_some_and(|(c, _)| c.inst == inst)
        || call.stack.iter().any(|w| matches!(w, Waiting::Callee { callee, .. } if callee.inst == inst))
}

#[allow(clippy::too_many_arguments)]
fn lower_into_caller(
    store: &mut Store,
    inst: usize,
    opts: RtOpts,
    sig: &FuncSig,
    results: &[Val],
    rest: &[CoreVal],
    task: u64,
    source: StringEncoding,
) -> Result<Vec<Value>, String> {
    let abi = opts.abi(source);
    let mut cursor = CoreValues::new(rest);
    let flat = {
        let mut side = side(store, inst, opts, task);
        LiftLower::new(&mut side, &abi).lower_results(&sig.results, results, &mut cursor)
    };
    let flat = flat.map_err(|t| format!("lowering the results: {t}"))?;
    Ok(flat.iter().map(from_core).collect())
}

fn finish_nested(store: &mut Store, call: &mut Call, waiting: Waiting, values: &[Value]) -> Result<(), String> {
    match waiting {
        Waiting::Dtor { id } => complete(store, call, id, Vec::new()),
        Waiting::PostReturn { id, results, .. } => complete(store, call, id, results),
        Waiting::Callee { id, caller, lower_sig, caller_opts, args, consumed, callee, task, .. } => {
            let core: Vec<CoreVal> = values.iter().map(to_core).collect::<Result<_, _>>()?;
            let abi = callee.opts.abi(StringEncoding::Utf8);
            let results = {
                let mut side = side(store, callee.inst, callee.opts, task);
                LiftLower::new(&mut side, &abi).lift_results(&callee.sig.results, &core)
            };
            let results = results.map_err(|t| format!("lifting the results of `{}`: {t}", callee.name))?;
            store.rt.end_task(task, callee.inst)?;
            let lowered = lower_into_caller(
                store,
                caller,
                caller_opts,
                &lower_sig,
                &results,
                &args[consumed..],
                task,
                callee.opts.encoding,
            )?;
            match callee.opts.post_return {
                Some(post) => {
                    call.thread.call_nested(&store.core, post, values).map_err(|e| e.to_string())?;
                    call.stack.push(Waiting::PostReturn { id, results: lowered, callee });
                    Ok(())
                }
                None => complete(store, call, id, lowered),
            }
        }
    }
}
