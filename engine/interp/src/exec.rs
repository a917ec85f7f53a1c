//! Threads of execution: explicit call frames over one slot stack, the interpreter loop, and the
//! suspend/resume protocol (breakpoints, step budgets, frame-depth stops, pending host calls).
//!
//! A wasm call pushes a [`Frame`] instead of recursing on the Rust stack, so a thread can stop
//! and continue later. The loop exists in variants: the *fast* one runs the fused form of a body
//! with no per-instruction checks; the *checked* one runs the debug form and, before every wasm
//! instruction, tests breakpoints, the step budget and the depth stop. Each comes with and
//! without fuel accounting. A frame runs in the checked loop while its function has a
//! breakpoint or the thread steps; the fast loop tests, when control enters or returns to a
//! function, whether it must hand over, so a breakpoint in a function that is never reached
//! costs one table lookup per call. A frame moves between the forms where both have a group
//! start for the same wasm instruction (see [`crate::code`]).

use std::sync::Arc;
use std::sync::atomic::Ordering::Relaxed;

use crate::code::{FuncCode, Instr, NO_RESUME, for_each_op};
use crate::error::Error;
use crate::numeric as num;
use crate::rare::{self, RareContext, SlotStack};
use crate::raw::{Slots, fetch};
use crate::store::{Caller, FuncInst, HostResult, InstanceData, Store};
use crate::trap::{FrameInfo, Trap, TrapKind};
use crate::value::{FuncAddr, ValType, Value};

/// An activation of a wasm function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Frame {
    /// Store address of the function.
    pub func: u32,
    /// Next instruction to execute (in callers: the one after the call), in the form `debug`
    /// names.
    pub pc: u32,
    /// Stack index of the frame's first slot.
    pub base: u32,
    /// Whether `pc` is in the debug form.
    pub debug: bool,
}

/// Why [`Thread::run`] returned before the thread finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PauseReason {
    /// The next instruction to execute has a breakpoint.
    Breakpoint,
    /// The step budget given to `run` was used up.
    StepsExhausted,
    /// The thread's frame depth came down to the depth asked for (step over, step out).
    DepthReached,
    /// The store's interrupt flag was set (see [`Store::interrupt_handle`]).
    Interrupted,
}

/// Names one host call waiting for its results: the function and a serial number, unique
/// within its thread, so a completion meant for one call is never applied to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HostCallId {
    /// The host function being called.
    pub func: FuncAddr,
    /// Which call of the thread it is (counting from 1).
    pub call: u64,
}

/// How a pending host call ends (see [`Thread::complete_host`]).
#[derive(Debug, Clone, PartialEq)]
pub enum HostCompletion {
    /// The call returns these results and the thread continues after it.
    Return(Vec<Value>),
    /// The call fails: the thread traps with this message, its backtrace taken at the call.
    Trap(String),
    /// The call is abandoned and the thread with it: it ends without results or a trap.
    Cancel,
}

/// The result of [`Thread::run`].
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The entry function returned these results.
    Finished(Vec<Value>),
    /// Execution stopped and can continue with another `run`.
    Paused(PauseReason),
    /// Execution trapped; the thread cannot continue.
    Trapped(Trap),
    /// A host function returned [`HostResult::Pending`]; supply its results with
    /// [`Thread::resume_host`] or [`Thread::complete_host`] (or first run a nested call on
    /// the same thread with [`Thread::call_nested`]), then `run` again.
    Pending(HostCallId),
}

/// When [`Thread::run_until`] is to pause, besides breakpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RunUntil {
    /// Pause after this many wasm instructions (`Some(1)` steps one instruction in).
    pub steps: Option<u64>,
    /// Pause before the first instruction, after at least one, that runs with at most this many
    /// frames active (the current depth steps over a call; one less steps out).
    pub depth: Option<usize>,
}

/// What a thread is doing, as a debugger sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreadState {
    /// Created; nothing has run.
    NotStarted,
    /// Stopped between two instructions; `run` continues.
    Paused,
    /// Waiting for the results of a host call.
    WaitingHost(HostCallId),
    /// Finished or trapped; it cannot run again.
    Done,
}

#[derive(Debug, Clone, PartialEq)]
enum State {
    /// Not started: the entry function's arguments are on the stack at the innermost
    /// activation's base.
    Start(u32),
    Running,
    /// Waiting for a host call's results, to be written at stack index `at`; `then_return` for
    /// tail calls to the host.
    WaitingHost {
        func: u32,
        call: u64,
        at: usize,
        then_return: bool,
    },
    Done,
}

/// A call started on a thread while it waited for a host call ([`Thread::call_nested`]): its
/// frames sit above the waiting ones, and when it returns the thread waits again.
#[derive(Debug, Clone, PartialEq)]
struct Activation {
    /// How many frames were active below it.
    floor: usize,
    /// Stack index of its arguments, where its results are left.
    base: usize,
    /// Its function's result types.
    results: Vec<ValType>,
    /// The host call the thread waits for under it.
    waiting: State,
}

/// A frame as seen by a debugger.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameView {
    /// Store address of the function.
    pub func: FuncAddr,
    /// Module-level index, name and the code offset of the current instruction (in callers,
    /// the call).
    pub info: FrameInfo,
    /// Parameters and locals.
    pub locals: Vec<Value>,
    /// The frame's wasm operand stack, bottom first (in callers, without the call's arguments).
    pub operands: Vec<Value>,
}

/// A thread of execution: a call of one function that can be run in slices.
#[derive(Debug, Clone)]
pub struct Thread {
    stack: Vec<u64>,
    frames: Vec<Frame>,
    state: State,
    results: Vec<ValType>,
    /// A breakpoint to ignore once: the one the thread is paused on (function, offset).
    resume_past: Option<(u32, u32)>,
    /// Whether the innermost frame's `pc` follows a call it returned from (or waits in).
    top_after_call: bool,
    /// Nested calls, innermost last.
    activations: Vec<Activation>,
    /// Host calls made so far (the serial of the last one).
    host_calls: u64,
}

/// How a run of one of the loops ended.
pub(crate) enum Exit {
    Finished,
    Paused(PauseReason),
    Pending {
        func: u32,
        at: usize,
        then_return: bool,
    },
    /// Control moved to a frame that needs the other loop; `after_call` when it was returned to.
    SwitchLoop {
        after_call: bool,
    },
}

/// What the checked loop tests before each wasm instruction.
struct Control {
    budget: u64,
    stepping: bool,
    depth: usize,
    /// Whether an instruction ran in this `run` (depth stops need one).
    executed: bool,
    resume_past: Option<(u32, u32)>,
}

impl Thread {
    /// Prepares a call of `func` with `args`; nothing runs until [`Thread::run`].
    pub fn new(store: &Store, func: FuncAddr, args: &[Value]) -> Result<Thread, Error> {
        let ty = store.func_type(func).ok_or_else(|| Error::Usage(format!("no function {}", func.0)))?;
        if ty.params.len() != args.len() || ty.params.iter().zip(args).any(|(t, a)| *t != a.ty()) {
            let got: Vec<String> = args.iter().map(|a| a.ty().to_string()).collect();
            return Err(Error::Usage(format!("function expects {ty}, got arguments ({})", got.join(" "))));
        }
        let mut stack = Vec::with_capacity(1024);
        for a in args {
            a.push_slots(&mut stack);
        }
        Ok(Thread {
            stack,
            frames: Vec::with_capacity(64),
            state: State::Start(func.0),
            results: ty.results.clone(),
            resume_past: None,
            top_after_call: false,
            activations: Vec::new(),
            host_calls: 0,
        })
    }

    /// Whether the thread finished or trapped.
    pub fn is_done(&self) -> bool {
        self.state == State::Done
    }

    /// What the thread is doing.
    pub fn state(&self) -> ThreadState {
        match self.state {
            State::Start(_) => ThreadState::NotStarted,
            State::Running => ThreadState::Paused,
            State::WaitingHost { func, call, .. } => {
                ThreadState::WaitingHost(HostCallId { func: FuncAddr(func), call })
            }
            State::Done => ThreadState::Done,
        }
    }

    /// How many wasm frames are active.
    pub fn depth(&self) -> usize {
        self.frames.len()
    }

    /// Supplies the results of the pending host call.
    pub fn resume_host(&mut self, store: &Store, results: &[Value]) -> Result<(), Error> {
        let id = self.pending_call().ok_or_else(|| Error::Usage("the thread is not waiting for a host call".into()))?;
        self.complete_host(store, id, HostCompletion::Return(results.to_vec())).map(|_| ())
    }

    /// The host call the thread waits for, if it does.
    pub fn pending_call(&self) -> Option<HostCallId> {
        match self.state {
            State::WaitingHost { func, call, .. } => Some(HostCallId { func: FuncAddr(func), call }),
            _ => None,
        }
    }

    /// The arguments of the pending host call (they stay readable until it completes).
    pub fn pending_args(&self, store: &Store) -> Option<Vec<Value>> {
        let State::WaitingHost { func, at, .. } = self.state else { return None };
        let ty = &store.types[store.funcs[func as usize].type_id() as usize];
        Some(read_values(&self.stack, at, &ty.params))
    }

    /// Ends the pending host call `id`: with results (checked against its type), with a trap,
    /// or by abandoning the thread. Returns the outcome when the thread ends here (a trap or a
    /// cancel); `None` when it can run on.
    pub fn complete_host(
        &mut self,
        store: &Store,
        id: HostCallId,
        completion: HostCompletion,
    ) -> Result<Option<Outcome>, Error> {
        let State::WaitingHost { func, call, at, then_return } = self.state else {
            return Err(Error::Usage("the thread is not waiting for a host call".into()));
        };
        if id != (HostCallId { func: FuncAddr(func), call }) {
            return Err(Error::Usage(format!(
                "the thread waits for host call {call} (function {func}), not call {} (function {})",
                id.call, id.func.0
            )));
        }
        match completion {
            HostCompletion::Return(results) => {
                let ty = &store.types[store.funcs[func as usize].type_id() as usize];
                if ty.results.len() != results.len() || ty.results.iter().zip(&results).any(|(t, v)| *t != v.ty()) {
                    return Err(Error::Usage(format!("host results do not match {ty}")));
                }
                write_values(&mut self.stack, at, &results);
                self.state = State::Running;
                if then_return {
                    self.return_from_frame(store);
                }
                Ok(None)
            }
            HostCompletion::Trap(message) => Ok(Some(self.trapped(store, TrapKind::Host(message)))),
            HostCompletion::Cancel => {
                self.state = State::Done;
                self.stack.clear();
                self.frames.clear();
                self.activations.clear();
                Ok(Some(Outcome::Finished(Vec::new())))
            }
        }
    }

    /// Starts a call of `func` with `args` on this thread while it waits for a host call: the
    /// callee's frames go above the waiting ones, so a pause inside it shows one sequence of
    /// frames (a component runtime runs a lowered import's callee this way). The next `run`
    /// runs it; when it returns, `run` gives [`Outcome::Finished`] with its results and the
    /// thread waits for the host call again.
    pub fn call_nested(&mut self, store: &Store, func: FuncAddr, args: &[Value]) -> Result<(), Error> {
        let State::WaitingHost { func: host, at, .. } = self.state else {
            return Err(Error::Usage("a nested call needs a thread waiting for a host call".into()));
        };
        let ty = store.func_type(func).ok_or_else(|| Error::Usage(format!("no function {}", func.0)))?;
        if ty.params.len() != args.len() || ty.params.iter().zip(args).any(|(t, a)| *t != a.ty()) {
            let got: Vec<String> = args.iter().map(|a| a.ty().to_string()).collect();
            return Err(Error::Usage(format!("function expects {ty}, got arguments ({})", got.join(" "))));
        }
        // Above everything in use: the innermost frame's slots and the waiting call's values.
        let host_ty = &store.types[store.funcs[host as usize].type_id() as usize];
        let mut base = at + host_ty.param_slots().max(host_ty.result_slots()) as usize;
        if let Some(top) = self.frames.last()
            && let Some(FuncInst::Wasm { code, .. }) = store.funcs.get(top.func as usize)
        {
            base = base.max(top.base as usize + store.frame_slots(top.func, code) as usize);
        }
        let mut slots = Vec::new();
        for a in args {
            a.push_slots(&mut slots);
        }
        if self.stack.len() < base + slots.len() {
            self.stack.resize(base + slots.len(), 0);
        }
        self.stack[base..base + slots.len()].copy_from_slice(&slots);
        let waiting = std::mem::replace(&mut self.state, State::Start(func.0));
        self.activations.push(Activation { floor: self.frames.len(), base, results: ty.results.clone(), waiting });
        Ok(())
    }

    /// Frame counts at which nested calls begin ([`Thread::call_nested`]), outermost first: a
    /// debugger draws a boundary there (counts are from the outermost frame, as in
    /// [`Thread::depth`]).
    pub fn nested_call_floors(&self) -> Vec<usize> {
        self.activations.iter().map(|a| a.floor).collect()
    }

    /// The innermost activation's frame floor and stack base.
    fn activation_floor(&self) -> (usize, usize) {
        self.activations.last().map_or((0, 0), |a| (a.floor, a.base))
    }

    /// Pops the innermost frame after a tail call to the host, whose results were written at
    /// the frame's base, where its caller expects them.
    fn return_from_frame(&mut self, _store: &Store) {
        if self.frames.pop().is_some() {
            self.top_after_call = self.frames.len() > self.activation_floor().0;
        }
    }

    /// Runs until completion, a trap, a pending host call, a breakpoint, or until `steps` wasm
    /// instructions have executed (when given).
    pub fn run(&mut self, store: &mut Store, steps: Option<u64>) -> Outcome {
        self.run_until(store, RunUntil { steps, depth: None })
    }

    /// Runs until completion, a trap, a pending host call, a breakpoint, or what `until` asks.
    pub fn run_until(&mut self, store: &mut Store, until: RunUntil) -> Outcome {
        match self.state {
            State::Done => {
                return Outcome::Trapped(Trap::new(TrapKind::BadInvocation("thread already finished".into())));
            }
            State::WaitingHost { func, call, .. } => {
                return Outcome::Pending(HostCallId { func: FuncAddr(func), call });
            }
            State::Start(func) => {
                self.state = State::Running;
                if let Err(kind) = self.enter(store, func, until.steps.is_some()) {
                    return self.trapped(store, kind);
                }
                if let State::WaitingHost { func, call, .. } = self.state {
                    return Outcome::Pending(HostCallId { func: FuncAddr(func), call });
                }
            }
            State::Running => {}
        }
        let mut ctl = Control {
            budget: until.steps.unwrap_or(u64::MAX),
            stepping: until.steps.is_some(),
            depth: until.depth.unwrap_or(0),
            executed: false,
            resume_past: self.resume_past.take(),
        };
        let fuel = store.limits.fuel.is_some() || store.interrupt.is_some();
        let threaded = crate::threaded::ENABLED && store.limits.fuel.is_none();
        let floor = self.activation_floor().0;
        let result = loop {
            let Some(&top) = self.frames.last().filter(|_| self.frames.len() > floor) else { break Ok(Exit::Finished) };
            let watched = store.is_watched(top.func);
            let want_debug = ctl.stepping || watched || (ctl.executed && self.frames.len() <= ctl.depth);
            if let Err(e) = self.switch_top_form(store, want_debug) {
                break Err(e);
            }
            self.top_after_call = false;
            let checked = self.frames.last().is_some_and(|f| f.debug);
            // With an interrupt flag but no fuel limit, the threaded loop runs until the flag is
            // set and then hands over to the loop with fuel, which stops at a resume point.
            let fuel = fuel && (!threaded || store.interrupt.as_ref().is_some_and(|i| i.load(Relaxed)));
            let exit = match (checked, fuel) {
                (false, false) if threaded => self.execute_threaded(store, &ctl),
                (true, true) => self.execute::<true, true>(store, &mut ctl),
                (true, false) => self.execute::<true, false>(store, &mut ctl),
                (false, true) => self.execute::<false, true>(store, &mut ctl),
                (false, false) => self.execute::<false, false>(store, &mut ctl),
            };
            match exit {
                Ok(Exit::SwitchLoop { after_call }) => {
                    self.top_after_call = after_call;
                    ctl.executed = true;
                }
                other => break other,
            }
        };
        match result {
            Ok(Exit::Finished) => self.finish(),
            Ok(Exit::Paused(reason)) => {
                if let Some(f) = self.frames.last()
                    && let Some(offset) = self.frame_offset(store, f, false)
                {
                    self.resume_past = Some((f.func, offset));
                }
                Outcome::Paused(reason)
            }
            Ok(Exit::Pending { func, at, then_return }) => {
                self.host_calls += 1;
                let call = self.host_calls;
                self.state = State::WaitingHost { func, call, at, then_return };
                self.top_after_call = true;
                Outcome::Pending(HostCallId { func: FuncAddr(func), call })
            }
            Ok(Exit::SwitchLoop { .. }) => unreachable!("the loop above only ends on another exit"),
            Err(kind) => self.trapped(store, kind),
        }
    }

    /// Moves the innermost frame to the debug form (`want_debug`) or, where it can, back to the
    /// fast one. A frame that cannot move yet stays where it is.
    fn switch_top_form(&mut self, store: &Store, want_debug: bool) -> Result<(), TrapKind> {
        let after_call = self.top_after_call;
        let Some(top) = self.frames.last_mut() else { return Ok(()) };
        if top.debug == want_debug {
            return Ok(());
        }
        let Some((fast, debug)) = store.code_pair(top.func).map_err(TrapKind::Host)? else { return Ok(()) };
        let (from, to) = if top.debug { (&*debug, &*fast) } else { (&*fast, &*debug) };
        let Some(pc) = convert_pc(from, to, top.pc as usize, after_call) else {
            if want_debug {
                // Every group start and call of the fast form has its place in the debug form.
                return Err(TrapKind::Host("internal error: no debug position for the frame".into()));
            }
            return Ok(());
        };
        top.pc = pc as u32;
        top.debug = want_debug;
        Ok(())
    }

    fn finish(&mut self) -> Outcome {
        if let Some(nested) = self.activations.pop() {
            // A nested call returned: the thread waits for its host call again.
            let values = read_values(&self.stack, nested.base, &nested.results);
            self.state = nested.waiting;
            self.top_after_call = true;
            return Outcome::Finished(values);
        }
        self.state = State::Done;
        let values = read_values(&self.stack, 0, &self.results);
        self.stack.clear();
        Outcome::Finished(values)
    }

    fn trapped(&mut self, store: &Store, kind: TrapKind) -> Outcome {
        let backtrace = self.backtrace(store);
        self.state = State::Done;
        self.activations.clear();
        Outcome::Trapped(Trap { kind, backtrace })
    }

    /// Starts the entry function (a host entry function is called right away).
    fn enter(&mut self, store: &mut Store, func: u32, stepping: bool) -> Result<(), TrapKind> {
        let base = self.activation_floor().1;
        let depth = self.frames.len();
        match &store.funcs[func as usize] {
            FuncInst::Wasm { code, .. } => {
                let debug = stepping || store.is_watched(func);
                let frame_slots = store.frame_slots(func, code);
                let limits = &store.limits;
                prepare_frame(&mut self.stack, limits, depth, base, code.param_slots, code.locals_end, frame_slots)?;
                self.frames.push(Frame { func, pc: 0, base: base as u32, debug });
                Ok(())
            }
            FuncInst::Host { func: host, ty, .. } => {
                let host = host.clone();
                let ty = store.types[*ty as usize].clone();
                let args = read_values(&self.stack, base, &ty.params);
                let mut caller = Caller::new(&mut store.runtime, &mut store.data, None, &[]);
                match host(&mut caller, &args) {
                    HostResult::Return(values) => {
                        check_host_results(&values, &ty.results)?;
                        write_values(&mut self.stack, base, &values);
                        Ok(())
                    }
                    HostResult::Pending => {
                        self.host_calls += 1;
                        self.state = State::WaitingHost { func, call: self.host_calls, at: base, then_return: false };
                        Ok(())
                    }
                    HostResult::Trap(m) => Err(TrapKind::Host(m)),
                }
            }
        }
    }

    /// The code offset of a frame's current instruction (in callers, of the call).
    fn frame_offset(&self, store: &Store, f: &Frame, in_call: bool) -> Option<u32> {
        let code = store.frame_code(f.func, f.debug)?;
        let pc = if in_call { (f.pc as usize).saturating_sub(1) } else { f.pc as usize };
        code.offsets.get(pc.min(code.offsets.len().saturating_sub(1))).copied()
    }

    /// Whether frame `i` (0 = outermost) is suspended in a call.
    fn in_call(&self, i: usize) -> bool {
        i + 1 < self.frames.len() || self.top_after_call
    }

    /// The active frames, innermost first.
    pub fn backtrace(&self, store: &Store) -> Vec<FrameInfo> {
        (0..self.frames.len()).rev().map(|i| self.frame_info(store, i)).collect()
    }

    fn frame_info(&self, store: &Store, i: usize) -> FrameInfo {
        let f = &self.frames[i];
        let (func_index, func_name) = match store.func_name(FuncAddr(f.func)) {
            Some((index, name)) => (index, name.map(str::to_string)),
            None => (f.func, None),
        };
        let code_offset = self.frame_offset(store, f, self.in_call(i)).unwrap_or(0);
        FrameInfo { func_index, func_name, code_offset }
    }

    /// Detailed views of the active frames, innermost first: locals and the wasm operand stack
    /// with their types (this translates the debug form of each function on first use).
    pub fn frames(&self, store: &Store) -> Result<Vec<FrameView>, Error> {
        let mut views = Vec::with_capacity(self.frames.len());
        for i in (0..self.frames.len()).rev() {
            let f = self.frames[i];
            let (code, types) = self.frame_operand_types(store, i)?;
            let base = f.base as usize;
            let locals = code
                .local_types
                .iter()
                .zip(&code.local_slots)
                .map(|(&t, &s)| Value::from_slots(t, &self.stack[base + s as usize..]))
                .collect();
            let mut at = base + code.locals_end as usize;
            let mut operands = Vec::with_capacity(types.len());
            for t in types {
                operands.push(Value::from_slots(t, &self.stack[at..]));
                at += t.slots() as usize;
            }
            views.push(FrameView { func: FuncAddr(f.func), info: self.frame_info(store, i), locals, operands });
        }
        Ok(views)
    }

    /// The debug form of frame `i`'s function and the types of the frame's live operands.
    fn frame_operand_types(&self, store: &Store, i: usize) -> Result<(Arc<FuncCode>, Vec<ValType>), Error> {
        let f = self.frames[i];
        let Some((fast, debug)) = store.code_pair(f.func).map_err(Error::Usage)? else {
            return Err(Error::Usage("not a wasm frame".into()));
        };
        let in_call = self.in_call(i);
        let from = if f.debug { &*debug } else { &*fast };
        let pc = convert_pc(from, &debug, f.pc as usize, in_call)
            .ok_or_else(|| Error::Usage("the frame is between two wasm instructions".into()))?;
        let (stop, hidden) = if in_call {
            let call = pc.saturating_sub(1);
            (call, call_params(store, f.func, debug.instrs.get(call).copied()))
        } else {
            (pc, 0)
        };
        let mut types = debug.operand_types.get(stop).map(|t| t.to_vec()).unwrap_or_default();
        types.truncate(types.len().saturating_sub(hidden));
        Ok((debug, types))
    }

    /// Overwrites a local of the frame `depth` levels below the innermost (0).
    pub fn set_local(&mut self, store: &Store, depth: usize, local: u32, value: Value) -> Result<(), Error> {
        let i = self.frames.len().checked_sub(depth + 1).ok_or_else(|| Error::Usage("no such frame".into()))?;
        let f = self.frames[i];
        let code = store.frame_code(f.func, f.debug).ok_or_else(|| Error::Usage("not a wasm frame".into()))?;
        let l = local as usize;
        if code.local_types.get(l) != Some(&value.ty()) {
            return Err(Error::Usage(format!("local {local} does not have type {}", value.ty())));
        }
        write_values(&mut self.stack, f.base as usize + code.local_slots[l] as usize, &[value]);
        Ok(())
    }

    /// Overwrites operand `index` (0 = bottom) of the frame `depth` levels below the innermost.
    pub fn set_operand(&mut self, store: &Store, depth: usize, index: usize, value: Value) -> Result<(), Error> {
        let i = self.frames.len().checked_sub(depth + 1).ok_or_else(|| Error::Usage("no such frame".into()))?;
        let (code, types) = self.frame_operand_types(store, i)?;
        let ty = *types.get(index).ok_or_else(|| Error::Usage(format!("no operand {index}")))?;
        if ty != value.ty() {
            return Err(Error::Usage(format!("operand {index} has type {ty}, not {}", value.ty())));
        }
        let at: u32 = types[..index].iter().map(|t| t.slots()).sum();
        let slot = self.frames[i].base as usize + code.locals_end as usize + at as usize;
        write_values(&mut self.stack, slot, &[value]);
        Ok(())
    }
}

/// How many operand entries a call instruction of the debug form takes from the stack.
fn call_params(store: &Store, func: u32, instr: Option<Instr>) -> usize {
    let Some(FuncInst::Wasm { instance, code, .. }) = store.funcs.get(func as usize) else { return 0 };
    let inst = &store.instances[*instance as usize];
    let params = |type_id: u32| store.types.get(type_id as usize).map_or(0, |t| t.params.len());
    match instr {
        Some(Instr::Call { func: f, .. } | Instr::ReturnCall { func: f, .. }) => inst
            .funcs
            .get(f as usize)
            .and_then(|&addr| store.funcs.get(addr as usize))
            .map_or(0, |callee| params(callee.type_id())),
        Some(Instr::CallIndirect { i, .. } | Instr::ReturnCallIndirect { i, .. }) => {
            code.indirect.get(i as usize).map_or(0, |ic| params(inst.type_ids[ic.type_index as usize]) + 1)
        }
        _ => 0,
    }
}

/// The position in `to` that corresponds to `pc` in `from`: the same group start, or after the
/// same call (`after_call`).
fn convert_pc(from: &FuncCode, to: &FuncCode, pc: usize, after_call: bool) -> Option<usize> {
    if std::ptr::eq(from, to) {
        return Some(pc);
    }
    if pc == 0 && !after_call {
        return Some(0);
    }
    if after_call {
        let call = pc.checked_sub(1)?;
        let offset = *from.offsets.get(call)?;
        return to.call_at_offset(offset).map(|target| target + 1);
    }
    match from.resume.get(pc) {
        Some(&offset) if offset != NO_RESUME => to.pc_of_offset(offset),
        _ => None,
    }
}

/// Checks a host function's results against its type.
pub(crate) fn check_host_results(values: &[Value], types: &[ValType]) -> Result<(), TrapKind> {
    if values.len() != types.len() || values.iter().zip(types).any(|(v, t)| v.ty() != *t) {
        return Err(TrapKind::Host("host function returned values of the wrong types".into()));
    }
    Ok(())
}

/// Reads values of `types` from consecutive slots starting at `at`.
pub(crate) fn read_values(stack: &[u64], at: usize, types: &[ValType]) -> Vec<Value> {
    let mut at = at;
    types
        .iter()
        .map(|&t| {
            let v = Value::from_slots(t, stack.get(at..).unwrap_or(&[]));
            at += t.slots() as usize;
            v
        })
        .collect()
}

/// Writes values to consecutive slots starting at `at`, growing the stack if needed.
pub(crate) fn write_values(stack: &mut Vec<u64>, at: usize, values: &[Value]) {
    let mut slots = Vec::with_capacity(values.len() * 2);
    for v in values {
        v.push_slots(&mut slots);
    }
    if stack.len() < at + slots.len() {
        stack.resize(at + slots.len(), 0);
    }
    stack[at..at + slots.len()].copy_from_slice(&slots);
}

/// Makes room for a frame of `frame_slots` at `base` (whose first `param_slots` hold the
/// arguments) and zeroes its declared locals; `depth` frames are active.
#[inline(always)]
pub(crate) fn prepare_frame(
    stack: &mut Vec<u64>,
    limits: &crate::config::Limits,
    depth: usize,
    base: usize,
    param_slots: u32,
    locals_end: u32,
    frame_slots: u32,
) -> Result<(), TrapKind> {
    if depth >= limits.max_call_depth {
        return Err(TrapKind::CallStackExhausted { limit: limits.max_call_depth });
    }
    let need = base + frame_slots as usize;
    if need > stack.len() {
        if need > limits.max_stack_slots {
            return Err(TrapKind::ValueStackExhausted { limit: limits.max_stack_slots });
        }
        let grown = need.max(stack.len() * 2).min(limits.max_stack_slots.max(need));
        stack.resize(grown, 0);
    }
    stack[base + param_slots as usize..base + locals_end as usize].fill(0);
    Ok(())
}

/// The code a frame of `func` runs in the loop variant `checked`, with its instance.
#[inline(always)]
fn frame_parts<'s>(
    store_funcs: &'s [FuncInst],
    instances: &'s [InstanceData],
    func: u32,
    checked: bool,
) -> Option<(&'s FuncCode, &'s InstanceData)> {
    match &store_funcs[func as usize] {
        FuncInst::Wasm { code, instance, .. } => {
            let inst = &instances[*instance as usize];
            let code: &FuncCode = if checked { store_funcs[func as usize].debug_code(inst).ok()? } else { code };
            Some((code, inst))
        }
        FuncInst::Host { .. } => None,
    }
}

impl Thread {
    /// Runs the innermost frame (a fast one) and what it calls or returns to in the threaded
    /// loop, until an exit.
    fn execute_threaded(&mut self, store: &mut Store, ctl: &Control) -> Result<Exit, TrapKind> {
        let Store { funcs, instances, runtime, limits, types, watched, interrupt, data, .. } = store;
        let Some(top) = self.frames.last().copied() else { return Ok(Exit::Finished) };
        let FuncInst::Wasm { code, instance, .. } = &funcs[top.func as usize] else { return Ok(Exit::Finished) };
        let inst = &instances[*instance as usize];
        let base = top.base as usize;
        if self.stack.len() < base + code.frame_slots as usize {
            self.stack.resize(base + code.frame_slots as usize, 0);
        }
        let ctx = crate::threaded::Ctx {
            funcs,
            instances,
            types,
            rt: runtime,
            data,
            limits,
            watched,
            interrupt: interrupt.as_deref().unwrap_or(&crate::threaded::NEVER_INTERRUPTED),
            stack: &mut self.stack,
            frames: &mut self.frames,
            func: top.func,
            code,
            inst,
            instance_index: *instance,
            mem_index: inst.memories.first().map(|&m| m as usize),
            base,
            stop_depth: ctl.depth,
            floor: self.activations.last().map_or(0, |a| a.floor),
            exit: Ok(Exit::Finished),
            sp: crate::raw::Sp::dangling(),
            mem: crate::raw::Mem::none(),
        };
        crate::threaded::run(ctx, top.pc as usize)
    }

    /// Runs the innermost frame and what it calls or returns to, until an exit. `CHECKED` runs
    /// the debug form with its per-instruction tests; `FUEL` charges one unit per call and per
    /// taken branch.
    #[allow(clippy::too_many_lines)]
    fn execute<const CHECKED: bool, const FUEL: bool>(
        &mut self,
        store: &mut Store,
        ctl: &mut Control,
    ) -> Result<Exit, TrapKind> {
        if CHECKED {
            // The debug forms this loop runs are translated before it starts.
            if let Some(f) = self.frames.last() {
                store.code_pair(f.func).map_err(TrapKind::Host)?;
            }
        }
        let Store { funcs, instances, runtime: rt, limits, types, breakpoints, watched, interrupt, data, .. } = store;
        let interrupt: Option<&std::sync::atomic::AtomicBool> = interrupt.as_deref();
        // An interrupt was seen: stop at the next resume point.
        let mut stopping = false;
        let types: &[crate::value::FuncType] = types;
        let funcs: &[FuncInst] = funcs;
        let instances: &[InstanceData] = instances;
        let limits: &crate::config::Limits = limits;
        let watched: &[bool] = watched;
        let stack = &mut self.stack;
        let frames = &mut self.frames;
        let Some(top) = frames.last().copied() else { return Ok(Exit::Finished) };
        let Some((mut code, mut inst)) = frame_parts(funcs, instances, top.func, CHECKED) else {
            return Ok(Exit::Finished);
        };
        let mut func = top.func;
        let mut instance_index = match &funcs[top.func as usize] {
            FuncInst::Wasm { instance, .. } => *instance,
            FuncInst::Host { .. } => u32::MAX,
        };
        let stop_depth = ctl.depth;
        // Frames below belong to calls this one is nested in (see `Thread::call_nested`).
        let floor = self.activations.last().map_or(0, |a| a.floor);
        let mut pc = top.pc as usize;
        let mut base = top.base as usize;
        if stack.len() < base + code.frame_slots as usize {
            stack.resize(base + code.frame_slots as usize, 0);
        }
        let mut slots = Slots::new(stack, base, code.frame_slots as usize);
        let mut instrs: &[Instr] = &code.instrs;
        let mut mem_index = inst.memories.first().map(|&m| m as usize);
        let mut memory: &mut [u8] = match mem_index {
            Some(m) => &mut rt.memories[m].data,
            None => &mut [],
        };
        let is_watched = |f: u32| watched.get(f as usize).copied().unwrap_or(false);

        macro_rules! save_pc {
            ($pc:expr) => {
                if let Some(f) = frames.last_mut() {
                    f.pc = $pc as u32;
                }
            };
        }
        macro_rules! trap {
            ($kind:expr) => {{
                save_pc!(pc - 1);
                return Err($kind);
            }};
        }
        macro_rules! get {
            ($i:expr) => {
                slots.get($i)
            };
        }
        macro_rules! set {
            ($i:expr, $v:expr) => {{
                let v = $v;
                slots.set($i, v)
            }};
        }
        macro_rules! charge_fuel {
            () => {
                if FUEL {
                    if interrupt.is_some_and(|i| i.load(std::sync::atomic::Ordering::Relaxed)) {
                        stopping = true;
                    }
                    if rt.fuel == 0 {
                        trap!(TrapKind::FuelExhausted { limit: limits.fuel.unwrap_or(u64::MAX) });
                    }
                    rt.fuel -= 1;
                }
            };
        }
        macro_rules! jump {
            ($t:expr) => {{
                charge_fuel!();
                pc = $t as usize;
            }};
        }
        macro_rules! reload_memory {
            () => {
                memory = match mem_index {
                    Some(m) => &mut rt.memories[m].data,
                    None => &mut [],
                };
            };
        }
        macro_rules! effective {
            ($a:expr, $off:expr) => {
                (get!($a) as u32 as usize) + $off as usize
            };
        }
        // Resumes the innermost frame after a return (or leaves for the other loop).
        macro_rules! resume_caller {
            () => {{
                if frames.len() <= floor {
                    return Ok(Exit::Finished);
                }
                let Some(f) = frames.last().copied() else { return Ok(Exit::Finished) };
                if f.debug != CHECKED || (!CHECKED && (is_watched(f.func) || frames.len() <= stop_depth)) {
                    return Ok(Exit::SwitchLoop { after_call: true });
                }
                match &funcs[f.func as usize] {
                    FuncInst::Wasm { code: fast, instance, .. } => {
                        code = if CHECKED {
                            match funcs[f.func as usize].debug_code(&instances[*instance as usize]) {
                                Ok(c) => c,
                                Err(_) => return Ok(Exit::SwitchLoop { after_call: true }),
                            }
                        } else {
                            fast
                        };
                        if *instance != instance_index {
                            instance_index = *instance;
                            inst = &instances[*instance as usize];
                            mem_index = inst.memories.first().map(|&m| m as usize);
                            reload_memory!();
                        }
                    }
                    FuncInst::Host { .. } => return Ok(Exit::SwitchLoop { after_call: true }),
                }
                instrs = &code.instrs;
                func = f.func;
                pc = f.pc as usize;
                base = f.base as usize;
                slots = Slots::new(stack, base, code.frame_slots as usize);
            }};
        }
        macro_rules! do_return {
            () => {{
                frames.pop();
                resume_caller!();
            }};
        }
        // Calls the function at store address `$callee` with arguments at slot `$at`; `$tail`
        // replaces the current frame.
        macro_rules! call {
            ($callee:expr, $at:expr, $tail:expr) => {{
                let callee: u32 = $callee;
                let at: usize = $at as usize;
                charge_fuel!();
                match &funcs[callee as usize] {
                    callee_inst @ FuncInst::Wasm { code: fast, instance, .. } => {
                        let debug_wanted = is_watched(callee) || (CHECKED && ctl.stepping);
                        let mut new_base = base + at;
                        let c: &FuncCode = if debug_wanted {
                            match callee_inst.debug_code(&instances[*instance as usize]) {
                                Ok(c) => c,
                                Err(m) => trap!(TrapKind::Host(m)),
                            }
                        } else {
                            fast
                        };
                        let frame_slots = fast.frame_slots.max(c.frame_slots);
                        if $tail {
                            let n = c.param_slots as usize;
                            stack.copy_within(new_base..new_base + n, base);
                            new_base = base;
                            frames.pop();
                        } else {
                            save_pc!(pc);
                        }
                        let depth = frames.len();
                        if let Err(k) =
                            prepare_frame(stack, limits, depth, new_base, c.param_slots, c.locals_end, frame_slots)
                        {
                            if $tail {
                                frames.push(Frame { func, pc: pc as u32 - 1, base: base as u32, debug: CHECKED });
                            } else {
                                save_pc!(pc - 1);
                            }
                            return Err(k);
                        }
                        frames.push(Frame { func: callee, pc: 0, base: new_base as u32, debug: debug_wanted });
                        if debug_wanted != CHECKED {
                            return Ok(Exit::SwitchLoop { after_call: false });
                        }
                        code = c;
                        instrs = &code.instrs;
                        if *instance != instance_index {
                            instance_index = *instance;
                            inst = &instances[*instance as usize];
                            mem_index = inst.memories.first().map(|&m| m as usize);
                            reload_memory!();
                        }
                        func = callee;
                        pc = 0;
                        base = new_base;
                        slots = Slots::new(stack, base, code.frame_slots as usize);
                    }
                    FuncInst::Host { func: host, ty, .. } => {
                        if frames.len() >= limits.max_call_depth {
                            trap!(TrapKind::CallStackExhausted { limit: limits.max_call_depth });
                        }
                        let ty = &types[*ty as usize];
                        let at_abs = base + at;
                        let args = read_values(stack, at_abs, &ty.params);
                        let mut caller = Caller::new(&mut *rt, &mut *data, Some(instance_index), &inst.memories);
                        let result = host(&mut caller, &args);
                        // The host may have grown any memory.
                        reload_memory!();
                        match result {
                            HostResult::Return(values) => {
                                if let Err(k) = check_host_results(&values, &ty.results) {
                                    trap!(k);
                                }
                                write_values(stack, at_abs, &values);
                                if $tail {
                                    // The results are at the frame's argument slots: its base.
                                    stack.copy_within(at_abs..at_abs + ty.result_slots() as usize, base);
                                    do_return!();
                                } else {
                                    slots = Slots::new(stack, base, code.frame_slots as usize);
                                }
                            }
                            HostResult::Pending => {
                                save_pc!(pc);
                                if $tail {
                                    // The arguments move to the frame's base, where the
                                    // results will go: both stay readable while it waits.
                                    let n = ty.param_slots() as usize;
                                    stack.copy_within(at_abs..at_abs + n, base);
                                    return Ok(Exit::Pending { func: callee, at: base, then_return: true });
                                }
                                return Ok(Exit::Pending { func: callee, at: at_abs, then_return: false });
                            }
                            HostResult::Trap(m) => trap!(TrapKind::Host(m)),
                        }
                    }
                }
            }};
        }
        macro_rules! call_indirect {
            ($i:expr, $a:expr, $at:expr, $tail:expr) => {{
                let ic = code.indirect[$i as usize];
                let index = get!($a) as u32 as usize;
                let table = &rt.tables[inst.tables[ic.table as usize] as usize];
                let Some(&r) = table.elems.get(index) else { trap!(TrapKind::UndefinedElement) };
                if r == 0 {
                    trap!(TrapKind::UninitializedElement);
                }
                let callee = (r - 1) as u32;
                if funcs[callee as usize].type_id() != inst.type_ids[ic.type_index as usize] {
                    trap!(TrapKind::IndirectCallTypeMismatch);
                }
                call!(callee, $at, $tail)
            }};
        }
        macro_rules! dispatch {
            (
                binary [$($bin:ident [$($bin_imm:ident)?] ($ba:ident, $bb:ident) => $be:expr;)*]
                compare [$($cmp:ident $cmp_imm:ident $br:ident $br_imm:ident $neg:ident ($ca:ident, $cb:ident) => $ce:expr;)*]
                binary_trap [$($bin_trap:ident ($ta:ident, $tb:ident) => $te:expr;)*]
                unary [$($un:ident ($ua:ident) => $ue:expr;)*]
                unary_trap [$($un_trap:ident ($va:ident) => $ve:expr;)*]
                load [$($load:ident $load_at:ident $load_idx:ident $lbytes:literal ($lb:ident) => $le:expr;)*]
                store [$($store:ident $sbytes:literal;)*]
                $instr:ident { $($rest:tt)* }
            ) => {
                match $instr {
                    $(Instr::$bin { d, a, b } => { let $ba = get!(a); let $bb = get!(b); set!(d, $be); })*
                    $($(Instr::$bin_imm { d, a, imm } => {
                        let $ba = get!(a);
                        let $bb = imm as i64 as u64;
                        set!(d, $be);
                    })?)*
                    $(Instr::$cmp { d, a, b } => { let $ca = get!(a); let $cb = get!(b); set!(d, ($ce) as u64); })*
                    $(Instr::$cmp_imm { d, a, imm } => {
                        let $ca = get!(a);
                        let $cb = imm as i64 as u64;
                        set!(d, ($ce) as u64);
                    })*
                    $(Instr::$br { a, b, t } => {
                        let $ca = get!(a);
                        let $cb = get!(b);
                        if $ce { jump!(t); }
                    })*
                    $(Instr::$br_imm { a, imm, t } => {
                        let $ca = get!(a);
                        let $cb = imm as i64 as u64;
                        if $ce { jump!(t); }
                    })*
                    $(Instr::$bin_trap { d, a, b } => {
                        let $ta = get!(a);
                        let $tb = get!(b);
                        match $te { Ok(v) => set!(d, v), Err(k) => trap!(k) }
                    })*
                    $(Instr::$un { d, a } => { let $ua = get!(a); set!(d, $ue); })*
                    $(Instr::$un_trap { d, a } => {
                        let $va = get!(a);
                        match $ve { Ok(v) => set!(d, v), Err(k) => trap!(k) }
                    })*
                    $(Instr::$load { d, a, off } => {
                        let ea = effective!(a, off);
                        match memory.get(ea..ea + $lbytes) {
                            Some(bytes) => {
                                let mut buf = [0u8; $lbytes];
                                buf.copy_from_slice(bytes);
                                let $lb = buf;
                                set!(d, $le);
                            }
                            None => trap!(TrapKind::MemoryOutOfBounds),
                        }
                    })*
                    $(Instr::$load_at { d, a, k } => {
                        let ea = (get!(a) as u32).wrapping_add(k as u32) as usize;
                        match memory.get(ea..ea + $lbytes) {
                            Some(bytes) => {
                                let mut buf = [0u8; $lbytes];
                                buf.copy_from_slice(bytes);
                                let $lb = buf;
                                set!(d, $le);
                            }
                            None => trap!(TrapKind::MemoryOutOfBounds),
                        }
                    })*
                    $(Instr::$load_idx { d, a, b } => {
                        let ea = (get!(a) as u32).wrapping_add(get!(b) as u32) as usize;
                        match memory.get(ea..ea + $lbytes) {
                            Some(bytes) => {
                                let mut buf = [0u8; $lbytes];
                                buf.copy_from_slice(bytes);
                                let $lb = buf;
                                set!(d, $le);
                            }
                            None => trap!(TrapKind::MemoryOutOfBounds),
                        }
                    })*
                    $(Instr::$store { a, b, off } => {
                        let ea = effective!(a, off);
                        let v = get!(b);
                        match memory.get_mut(ea..ea + $sbytes) {
                            Some(bytes) => bytes.copy_from_slice(&v.to_le_bytes()[..$sbytes]),
                            None => trap!(TrapKind::MemoryOutOfBounds),
                        }
                    })*
                    $($rest)*
                }
            };
        }

        loop {
            if FUEL && stopping && code.resume[pc] != NO_RESUME {
                if let Some(i) = interrupt {
                    i.store(false, std::sync::atomic::Ordering::Relaxed);
                }
                save_pc!(pc);
                return Ok(Exit::Paused(PauseReason::Interrupted));
            }
            if CHECKED && code.resume[pc] != NO_RESUME {
                let offset = code.resume[pc];
                if !breakpoints.is_empty()
                    && breakpoints.contains(&(func, offset))
                    && ctl.resume_past != Some((func, offset))
                {
                    save_pc!(pc);
                    return Ok(Exit::Paused(crate::exec::PauseReason::Breakpoint));
                }
                if ctl.executed && frames.len() <= stop_depth {
                    save_pc!(pc);
                    return Ok(Exit::Paused(PauseReason::DepthReached));
                }
                if ctl.budget == 0 {
                    save_pc!(pc);
                    return Ok(Exit::Paused(PauseReason::StepsExhausted));
                }
                if !ctl.stepping && !is_watched(func) && frames.len() > stop_depth {
                    // Nothing needs this frame checked any more: leave where the fast form
                    // has the same group start.
                    save_pc!(pc);
                    if let Some(FuncInst::Wasm { code: fast, .. }) = funcs.get(func as usize)
                        && let Some(fast_pc) = convert_pc(code, fast, pc, false)
                        && let Some(f) = frames.last_mut()
                    {
                        f.pc = fast_pc as u32;
                        f.debug = false;
                        return Ok(Exit::SwitchLoop { after_call: false });
                    }
                }
                ctl.budget -= 1;
                ctl.resume_past = None;
                ctl.executed = true;
            }
            let instr = fetch(instrs, pc);
            pc += 1;
            for_each_op!(dispatch, instr, {
                Instr::Nop => {}
                Instr::Unreachable => trap!(TrapKind::Unreachable),
                Instr::Copy { d, a } => set!(d, get!(a)),
                Instr::Copy2 { d, d2, a } => {
                    let v = get!(a);
                    set!(d, v);
                    set!(d2, v);
                }
                Instr::CopyWide { d, a } => {
                    let (lo, hi) = (get!(a), get!(a + 1));
                    set!(d, lo);
                    set!(d + 1, hi);
                }
                Instr::Const32 { d, imm } => set!(d, imm as u64),
                Instr::Const64 { d, imm } => set!(d, imm),
                Instr::ConstWide { d, i } => {
                    let v = code.v128_consts[i as usize];
                    set!(d, v as u64);
                    set!(d + 1, (v >> 64) as u64);
                }
                Instr::Br { t } => jump!(t),
                Instr::BrNez { a, t } => {
                    if get!(a) as u32 != 0 {
                        jump!(t);
                    }
                }
                Instr::BrEqz { a, t } => {
                    if get!(a) as u32 == 0 {
                        jump!(t);
                    }
                }
                Instr::BrI64Nez { a, t } => {
                    if get!(a) != 0 {
                        jump!(t);
                    }
                }
                Instr::BrI64Eqz { a, t } => {
                    if get!(a) == 0 {
                        jump!(t);
                    }
                }
                Instr::BrTable { a, start, len } => {
                    let i = (get!(a) as u32).min(len - 1);
                    let t = code.br_tables[(start + i) as usize];
                    jump!(t);
                }
                Instr::Return => do_return!(),
                Instr::Return1 { a } => {
                    let v = get!(a);
                    set!(0, v);
                    do_return!();
                }
                Instr::Call { func: f, at } => call!(inst.funcs[f as usize], at, false),
                Instr::ReturnCall { func: f, at } => call!(inst.funcs[f as usize], at, true),
                Instr::CallIndirect { i, a, at } => call_indirect!(i, a, at, false),
                Instr::ReturnCallIndirect { i, a, at } => call_indirect!(i, a, at, true),
                Instr::Select { d, b, c } => {
                    if get!(c) as u32 == 0 {
                        set!(d, get!(b));
                    }
                }
                Instr::SelectWide { d, b, c } => {
                    if get!(c) as u32 == 0 {
                        let (lo, hi) = (get!(b), get!(b + 1));
                        set!(d, lo);
                        set!(d + 1, hi);
                    }
                }
                Instr::GlobalGet { d, g } => set!(d, rt.globals[inst.globals[g as usize] as usize].bits as u64),
                Instr::GlobalSet { a, g } => rt.globals[inst.globals[g as usize] as usize].bits = get!(a) as u128,
                Instr::GlobalGetWide { d, g } => {
                    let bits = rt.globals[inst.globals[g as usize] as usize].bits;
                    set!(d, bits as u64);
                    set!(d + 1, (bits >> 64) as u64);
                }
                Instr::GlobalSetWide { a, g } => {
                    let bits = get!(a) as u128 | ((get!(a + 1) as u128) << 64);
                    rt.globals[inst.globals[g as usize] as usize].bits = bits;
                }
                Instr::Stack { i, h } => {
                    let op = code.stack_ops[i as usize];
                    let mut st = SlotStack::new(slots.all(), h as usize);
                    let result = rare::execute(&op, &mut st, RareContext { rt: &mut *rt, inst, limits });
                    reload_memory!();
                    if let Err(k) = result {
                        trap!(k);
                    }
                }
            })
        }
    }
}

#[cfg(test)]
mod sizes {
    /// What a frame costs: its record here, plus 8 bytes per slot on the value stack. Kept small
    /// on purpose (docs/perf.md reports it).
    #[test]
    fn frame_and_instruction_sizes() {
        assert_eq!(std::mem::size_of::<super::Frame>(), 16);
        assert_eq!(std::mem::size_of::<crate::code::Instr>(), 16);
        assert_eq!(std::mem::size_of::<crate::threaded::Op>(), 24);
    }

    /// Optimized builds for x86-64 (what the benchmarks and CI run) must get the threaded loop,
    /// not fall back to the match loop without anyone noticing.
    #[test]
    fn optimized_x86_64_builds_use_the_threaded_loop() {
        let optimized_x86_64 = !cfg!(debug_assertions) && cfg!(target_arch = "x86_64");
        assert!(crate::threaded::ENABLED || !optimized_x86_64);
    }
}
