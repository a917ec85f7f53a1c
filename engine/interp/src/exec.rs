//! Threads of execution: explicit call frames and value stack, the interpreter loop, and the
//! suspend/resume protocol (breakpoints, step budgets, pending host calls).
//!
//! A wasm call pushes a [`Frame`] instead of recursing on the Rust stack, so a thread can stop
//! after any instruction and continue later. The loop is compiled twice: a fast variant, and a
//! checked variant that tests breakpoints and the step budget before every instruction. The
//! checked variant runs only while stepping or while the current function has a breakpoint;
//! the fast one checks, when it enters or returns to a function, whether that function has
//! one, so a breakpoint in a function that is never reached costs one table lookup per call.

use std::collections::HashSet;

use crate::code::{FuncCode, Instr};
use crate::error::Error;
use crate::numeric as num;
use crate::simd;
use crate::store::{Caller, FuncInst, HostResult, InstanceData, PAGE_SIZE, Store};
use crate::trap::{FrameInfo, Trap, TrapKind};
use crate::value::{FuncAddr, ValType, Value};

/// An activation of a wasm function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Frame {
    /// Store address of the function.
    pub func: u32,
    /// Next instruction to execute (for callers: the instruction after the call).
    pub pc: u32,
    /// Stack index of the first parameter.
    pub base: u32,
}

/// Why [`Thread::run`] returned before the thread finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PauseReason {
    /// The next instruction to execute has a breakpoint.
    Breakpoint,
    /// The step budget given to `run` was used up.
    StepsExhausted,
}

/// Identifies a host call waiting for its results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostCallId {
    /// The host function being called.
    pub func: FuncAddr,
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
    /// [`Thread::resume_host`], then `run` again.
    Pending(HostCallId),
}

/// A breakpoint: a function (store address) and an instruction in its translated body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Breakpoint {
    /// The function.
    pub func: FuncAddr,
    /// Index of the internal instruction (see [`Thread::breakpoint_at_offset`]).
    pub pc: u32,
}

#[derive(Debug, Clone, PartialEq)]
enum State {
    /// Not started: the entry function's arguments are on the stack.
    Start(u32),
    Running,
    /// Waiting for a host call's results; `then_return` for tail calls to the host.
    WaitingHost {
        func: u32,
        then_return: bool,
    },
    Done,
}

/// A frame as seen by a debugger.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameView {
    /// Store address of the function.
    pub func: FuncAddr,
    /// Backtrace information: module-level index, name and code offset.
    pub info: FrameInfo,
    /// Index of the internal instruction (the next to execute in the innermost frame, the
    /// call in callers).
    pub pc: u32,
    /// Parameters and locals.
    pub locals: Vec<Value>,
    /// The frame's operand stack as raw 64-bit slots, bottom first (a `v128` takes two).
    pub operands: Vec<u64>,
}

/// A thread of execution: a call of one function that can be run in slices.
#[derive(Debug, Clone)]
pub struct Thread {
    stack: Vec<u64>,
    frames: Vec<Frame>,
    state: State,
    results: Vec<ValType>,
    breakpoints: HashSet<(u32, u32)>,
    /// Indexed by function address: whether the function has a breakpoint.
    watched: Vec<bool>,
    /// A breakpoint to ignore once (the one the thread is paused on).
    resume_past: Option<(u32, u32)>,
}

enum Exit {
    Finished,
    Paused(PauseReason),
    Pending(u32, bool),
    /// Control moved to a function that needs the other loop variant.
    SwitchLoop,
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
            frames: Vec::new(),
            state: State::Start(func.0),
            results: ty.results.clone(),
            breakpoints: HashSet::new(),
            watched: Vec::new(),
            resume_past: None,
        })
    }

    /// Sets a breakpoint.
    pub fn add_breakpoint(&mut self, bp: Breakpoint) {
        self.breakpoints.insert((bp.func.0, bp.pc));
        let func = bp.func.0 as usize;
        if self.watched.len() <= func {
            self.watched.resize(func + 1, false);
        }
        self.watched[func] = true;
    }

    /// Removes a breakpoint.
    pub fn remove_breakpoint(&mut self, bp: Breakpoint) {
        self.breakpoints.remove(&(bp.func.0, bp.pc));
        let still_watched = self.breakpoints.iter().any(|&(func, _)| func == bp.func.0);
        if let Some(flag) = self.watched.get_mut(bp.func.0 as usize) {
            *flag = still_watched;
        }
    }

    /// The breakpoint for the first instruction of `func` at or after code-section `offset`.
    pub fn breakpoint_at_offset(store: &Store, func: FuncAddr, offset: u32) -> Option<Breakpoint> {
        match store.funcs.get(func.0 as usize)? {
            FuncInst::Wasm { code, .. } => Some(Breakpoint { func, pc: code.pc_at_offset(offset)? }),
            FuncInst::Host { .. } => None,
        }
    }

    /// Whether the thread finished or trapped.
    pub fn is_done(&self) -> bool {
        self.state == State::Done
    }

    /// Supplies the results of the pending host call.
    pub fn resume_host(&mut self, store: &Store, results: &[Value]) -> Result<(), Error> {
        let State::WaitingHost { func, then_return } = self.state else {
            return Err(Error::Usage("the thread is not waiting for a host call".into()));
        };
        let ty = &store.types[store.funcs[func as usize].type_id() as usize];
        if ty.results.len() != results.len() || ty.results.iter().zip(results).any(|(t, v)| *t != v.ty()) {
            return Err(Error::Usage(format!("host results do not match {ty}")));
        }
        for v in results {
            v.push_slots(&mut self.stack);
        }
        self.state = State::Running;
        if then_return {
            self.return_from_frame(store);
        }
        Ok(())
    }

    /// Pops the innermost frame, moving its results down to its base.
    fn return_from_frame(&mut self, store: &Store) {
        let Some(frame) = self.frames.pop() else { return };
        if let FuncInst::Wasm { code, .. } = &store.funcs[frame.func as usize] {
            let keep = code.result_slots as usize;
            let base = frame.base as usize;
            let top = self.stack.len();
            self.stack.copy_within(top - keep..top, base);
            self.stack.truncate(base + keep);
        }
    }

    /// Runs until completion, a trap, a pending host call, a breakpoint, or until `steps`
    /// instructions have executed (when given).
    pub fn run(&mut self, store: &mut Store, steps: Option<u64>) -> Outcome {
        match self.state {
            State::Done => {
                return Outcome::Trapped(Trap::new(TrapKind::BadInvocation("thread already finished".into())));
            }
            State::WaitingHost { func, .. } => return Outcome::Pending(HostCallId { func: FuncAddr(func) }),
            State::Start(func) => {
                self.state = State::Running;
                if let Err(kind) = self.enter(store, func) {
                    return self.trapped(store, kind);
                }
                if let State::WaitingHost { func, .. } = self.state {
                    return Outcome::Pending(HostCallId { func: FuncAddr(func) });
                }
            }
            State::Running => {}
        }
        let stepping = steps.is_some();
        let mut budget = steps.unwrap_or(u64::MAX);
        let result = loop {
            let current = self.frames.last().map_or(u32::MAX, |f| f.func);
            let checked = stepping || self.watched.get(current as usize).copied().unwrap_or(false);
            let exit = if checked {
                self.execute::<true>(store, &mut budget, stepping)
            } else {
                self.execute::<false>(store, &mut budget, stepping)
            };
            if !matches!(exit, Ok(Exit::SwitchLoop)) {
                break exit;
            }
        };
        match result {
            Ok(Exit::Finished) => self.finish(),
            Ok(Exit::Paused(reason)) => {
                if let Some(f) = self.frames.last() {
                    self.resume_past = Some((f.func, f.pc));
                }
                Outcome::Paused(reason)
            }
            Ok(Exit::Pending(func, then_return)) => {
                self.state = State::WaitingHost { func, then_return };
                Outcome::Pending(HostCallId { func: FuncAddr(func) })
            }
            Ok(Exit::SwitchLoop) => unreachable!("the loop above only ends on another exit"),
            Err(kind) => self.trapped(store, kind),
        }
    }

    fn finish(&mut self) -> Outcome {
        self.state = State::Done;
        let mut values = Vec::with_capacity(self.results.len());
        let mut at = 0;
        for &t in &self.results {
            values.push(Value::from_slots(t, &self.stack[at..]));
            at += t.slots() as usize;
        }
        self.stack.clear();
        Outcome::Finished(values)
    }

    fn trapped(&mut self, store: &Store, kind: TrapKind) -> Outcome {
        let backtrace = self.backtrace(store);
        self.state = State::Done;
        Outcome::Trapped(Trap { kind, backtrace })
    }

    /// Starts the entry function (a host entry function is called right away).
    fn enter(&mut self, store: &mut Store, func: u32) -> Result<(), TrapKind> {
        match &store.funcs[func as usize] {
            FuncInst::Wasm { code, .. } => {
                let base = self.stack.len() - code.param_slots as usize;
                push_frame(&mut self.stack, &mut self.frames, &store.limits, func, base, code)
            }
            FuncInst::Host { func: host, ty, .. } => {
                let host = host.clone();
                let ty = store.types[*ty as usize].clone();
                let args = pop_values(&mut self.stack, &ty.params);
                let mut caller = Caller { runtime: &mut store.runtime, memory: None };
                match host(&mut caller, &args) {
                    HostResult::Return(values) => {
                        for v in values {
                            v.push_slots(&mut self.stack);
                        }
                        Ok(())
                    }
                    HostResult::Pending => {
                        self.state = State::WaitingHost { func, then_return: false };
                        Ok(())
                    }
                    HostResult::Trap(m) => Err(TrapKind::Host(m)),
                }
            }
        }
    }

    /// The active frames, innermost first.
    pub fn backtrace(&self, store: &Store) -> Vec<FrameInfo> {
        let n = self.frames.len();
        self.frames.iter().enumerate().rev().map(|(i, f)| frame_info(store, f, i + 1 == n)).collect()
    }

    /// Detailed views of the active frames, innermost first.
    pub fn frames(&self, store: &Store) -> Vec<FrameView> {
        let n = self.frames.len();
        let mut views = Vec::with_capacity(n);
        for i in (0..n).rev() {
            let f = self.frames[i];
            let FuncInst::Wasm { code, .. } = &store.funcs[f.func as usize] else { continue };
            let base = f.base as usize;
            let locals = code
                .local_types
                .iter()
                .zip(&code.local_offsets)
                .map(|(&t, &o)| Value::from_slots(t, &self.stack[base + o as usize..]))
                .collect();
            let operands_start = base + (code.param_slots + code.extra_local_slots) as usize;
            let operands_end = if i + 1 == n {
                self.stack.len()
            } else {
                // A caller's operands end where its callee's parameters begin.
                self.frames[i + 1].base as usize
            };
            let operands = self.stack[operands_start..operands_end.max(operands_start)].to_vec();
            views.push(FrameView {
                func: FuncAddr(f.func),
                info: frame_info(store, &f, i + 1 == n),
                pc: if i + 1 == n { f.pc } else { f.pc.saturating_sub(1) },
                locals,
                operands,
            });
        }
        views
    }

    /// Overwrites a local of the frame `depth` levels below the innermost (0).
    pub fn set_local(&mut self, store: &Store, depth: usize, local: u32, value: Value) -> Result<(), Error> {
        let i = self.frames.len().checked_sub(depth + 1).ok_or_else(|| Error::Usage("no such frame".into()))?;
        let f = self.frames[i];
        let FuncInst::Wasm { code, .. } = &store.funcs[f.func as usize] else {
            return Err(Error::Usage("not a wasm frame".into()));
        };
        let l = local as usize;
        if code.local_types.get(l) != Some(&value.ty()) {
            return Err(Error::Usage(format!("local {local} does not have type {}", value.ty())));
        }
        let at = f.base as usize + code.local_offsets[l] as usize;
        let mut slots = Vec::with_capacity(2);
        value.push_slots(&mut slots);
        self.stack[at..at + slots.len()].copy_from_slice(&slots);
        Ok(())
    }
}

fn frame_info(store: &Store, f: &Frame, innermost: bool) -> FrameInfo {
    match &store.funcs[f.func as usize] {
        FuncInst::Wasm { code, instance, .. } => {
            let pc = if innermost { f.pc } else { f.pc.saturating_sub(1) } as usize;
            let offset = code.offsets.get(pc.min(code.offsets.len().saturating_sub(1))).copied().unwrap_or(0);
            let module = &store.instances[*instance as usize].module;
            FrameInfo {
                func_index: code.func_index,
                func_name: module.func_name(code.func_index).map(str::to_string),
                code_offset: offset,
            }
        }
        FuncInst::Host { name, .. } => FrameInfo { func_index: f.func, func_name: Some(name.clone()), code_offset: 0 },
    }
}

fn pop_values(stack: &mut Vec<u64>, types: &[ValType]) -> Vec<Value> {
    let slots: u32 = types.iter().map(|t| t.slots()).sum();
    let start = stack.len() - slots as usize;
    let mut at = start;
    let values = types
        .iter()
        .map(|&t| {
            let v = Value::from_slots(t, &stack[at..]);
            at += t.slots() as usize;
            v
        })
        .collect();
    stack.truncate(start);
    values
}

/// Pushes a frame for `code` whose parameters start at `base`, zeroing its locals.
#[inline(always)]
fn push_frame(
    stack: &mut Vec<u64>,
    frames: &mut Vec<Frame>,
    limits: &crate::config::Limits,
    func: u32,
    base: usize,
    code: &FuncCode,
) -> Result<(), TrapKind> {
    if frames.len() >= limits.max_call_depth {
        return Err(TrapKind::CallStackExhausted);
    }
    if base + code.max_slots as usize > limits.max_stack_slots {
        return Err(TrapKind::ValueStackExhausted);
    }
    frames.push(Frame { func, pc: 0, base: base as u32 });
    stack.resize(stack.len() + code.extra_local_slots as usize, 0);
    Ok(())
}

/// Splits a stored function into its code and instance (wasm functions only).
#[inline(always)]
fn wasm_parts<'s>(
    funcs: &'s [FuncInst],
    instances: &'s [InstanceData],
    func: u32,
) -> Option<(&'s FuncCode, &'s InstanceData)> {
    match &funcs[func as usize] {
        FuncInst::Wasm { code, instance, .. } => Some((code, &instances[*instance as usize])),
        FuncInst::Host { .. } => None,
    }
}

impl Thread {
    #[allow(clippy::too_many_lines)]
    /// Runs the innermost frame's function and what it calls or returns to. `CHECKED` tests
    /// breakpoints and the step `budget` before each instruction; either variant leaves with
    /// [`Exit::SwitchLoop`] when control reaches a function that needs the other (the checked
    /// one stays while `stepping`).
    fn execute<const CHECKED: bool>(
        &mut self,
        store: &mut Store,
        budget: &mut u64,
        stepping: bool,
    ) -> Result<Exit, TrapKind> {
        let Store { funcs, instances, runtime: rt, limits, types, .. } = store;
        let types: &[crate::value::FuncType] = types;
        let funcs: &[FuncInst] = funcs;
        let instances: &[InstanceData] = instances;
        let stack = &mut self.stack;
        let frames = &mut self.frames;
        let Some(top) = frames.last().copied() else { return Ok(Exit::Finished) };
        let Some((mut code, mut inst)) = wasm_parts(funcs, instances, top.func) else {
            return Ok(Exit::Finished);
        };
        let mut func = top.func;
        let mut pc = top.pc as usize;
        let mut base = top.base as usize;
        let mut mem = inst.memories.first().copied().unwrap_or(u32::MAX) as usize;
        let breakpoints = &self.breakpoints;
        let watched: &[bool] = &self.watched;
        let mut resume_past = self.resume_past.take();

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
        macro_rules! pop {
            () => {
                stack.pop().unwrap_or(0)
            };
        }
        macro_rules! push {
            ($v:expr) => {
                stack.push($v)
            };
        }
        macro_rules! top {
            () => {
                match stack.last_mut() {
                    Some(t) => t,
                    None => trap!(TrapKind::Unreachable),
                }
            };
        }
        macro_rules! un {
            ($f:expr) => {{
                let t = top!();
                *t = $f(*t);
            }};
        }
        macro_rules! bin {
            ($f:expr) => {{
                let b = pop!();
                let t = top!();
                *t = $f(*t, b);
            }};
        }
        macro_rules! bin_trap {
            ($f:expr) => {{
                let b = pop!();
                let t = top!();
                match $f(*t, b) {
                    Ok(v) => *t = v,
                    Err(k) => trap!(k),
                }
            }};
        }
        macro_rules! un_trap {
            ($f:expr) => {{
                let t = top!();
                match $f(*t) {
                    Ok(v) => *t = v,
                    Err(k) => trap!(k),
                }
            }};
        }
        macro_rules! memory {
            () => {
                &mut rt.memories[mem].data
            };
        }
        macro_rules! load {
            ($off:expr, $n:expr, $conv:expr) => {{
                let t = top!();
                let ea = (*t as u32 as usize) + $off as usize;
                let data = &rt.memories[mem].data;
                match data.get(ea..ea + $n) {
                    Some(bytes) => {
                        let mut buf = [0u8; $n];
                        buf.copy_from_slice(bytes);
                        *t = $conv(buf);
                    }
                    None => trap!(TrapKind::MemoryOutOfBounds),
                }
            }};
        }
        // A binary operator whose right operand is local `$l`.
        macro_rules! bin_local {
            ($l:expr, $f:expr) => {{
                let b = stack[base + $l as usize];
                let t = top!();
                *t = $f(*t, b);
            }};
        }
        // A load from the address held by local `$local`, pushing the value.
        macro_rules! load_local {
            ($local:expr, $off:expr, $n:expr, $conv:expr) => {{
                let ea = (stack[base + $local as usize] as u32 as usize) + $off as usize;
                let data = &rt.memories[mem].data;
                match data.get(ea..ea + $n) {
                    Some(bytes) => {
                        let mut buf = [0u8; $n];
                        buf.copy_from_slice(bytes);
                        push!($conv(buf));
                    }
                    None => trap!(TrapKind::MemoryOutOfBounds),
                }
            }};
        }
        macro_rules! store {
            ($off:expr, $n:expr) => {{
                let v = pop!();
                let ea = (pop!() as u32 as usize) + $off as usize;
                let data = memory!();
                match data.get_mut(ea..ea + $n) {
                    Some(bytes) => bytes.copy_from_slice(&v.to_le_bytes()[..$n]),
                    None => trap!(TrapKind::MemoryOutOfBounds),
                }
            }};
        }
        macro_rules! charge_fuel {
            () => {
                if rt.fuel == 0 {
                    trap!(TrapKind::FuelExhausted);
                }
                rt.fuel -= 1;
            };
        }
        macro_rules! branch {
            ($t:expr) => {{
                let t = $t;
                charge_fuel!();
                if t.drop != 0 {
                    let len = stack.len();
                    let keep = t.keep as usize;
                    let dst = len - keep - t.drop as usize;
                    stack.copy_within(len - keep..len, dst);
                    stack.truncate(dst + keep);
                }
                pc = t.target as usize;
            }};
        }
        // Pops two `i32`s and branches to `$t` when `$f(a, b)` holds.
        macro_rules! br_if_cmp {
            ($t:expr, $f:expr) => {{
                let b = pop!() as u32;
                let a = pop!() as u32;
                if $f(a, b) {
                    branch!($t);
                }
            }};
        }
        // After control enters or returns to `func`: leave if it needs the other loop variant.
        macro_rules! check_loop_variant {
            () => {{
                let is_watched = watched.get(func as usize).copied().unwrap_or(false);
                if is_watched != CHECKED && !(CHECKED && stepping) {
                    save_pc!(pc);
                    return Ok(Exit::SwitchLoop);
                }
            }};
        }
        macro_rules! switch_to_top {
            () => {{
                let Some(f) = frames.last().copied() else { return Ok(Exit::Finished) };
                let Some((c, i)) = wasm_parts(funcs, instances, f.func) else { return Ok(Exit::Finished) };
                code = c;
                inst = i;
                func = f.func;
                pc = f.pc as usize;
                base = f.base as usize;
                mem = inst.memories.first().copied().unwrap_or(u32::MAX) as usize;
                check_loop_variant!();
            }};
        }
        macro_rules! do_return {
            () => {{
                let keep = code.result_slots as usize;
                let len = stack.len();
                stack.copy_within(len - keep..len, base);
                stack.truncate(base + keep);
                frames.pop();
                switch_to_top!();
            }};
        }
        // Calls the function at store address `$callee`; `$tail` replaces the current frame.
        macro_rules! call {
            ($callee:expr, $tail:expr) => {{
                let callee: u32 = $callee;
                charge_fuel!();
                match &funcs[callee as usize] {
                    FuncInst::Wasm { code: c, instance, .. } => {
                        let mut new_base = stack.len() - c.param_slots as usize;
                        if $tail {
                            let n = c.param_slots as usize;
                            stack.copy_within(new_base..new_base + n, base);
                            stack.truncate(base + n);
                            new_base = base;
                            frames.pop();
                        } else {
                            save_pc!(pc);
                        }
                        if let Err(k) = push_frame(stack, frames, limits, callee, new_base, c) {
                            if $tail {
                                frames.push(Frame { func, pc: pc as u32 - 1, base: base as u32 });
                            } else {
                                save_pc!(pc - 1);
                            }
                            return Err(k);
                        }
                        code = c;
                        inst = &instances[*instance as usize];
                        func = callee;
                        pc = 0;
                        base = new_base;
                        mem = inst.memories.first().copied().unwrap_or(u32::MAX) as usize;
                        check_loop_variant!();
                    }
                    FuncInst::Host { func: host, ty, .. } => {
                        if frames.len() >= limits.max_call_depth {
                            trap!(TrapKind::CallStackExhausted);
                        }
                        let ty = &types[*ty as usize];
                        let args = pop_values(stack, &ty.params);
                        let memory = inst.memories.first().copied();
                        let mut caller = Caller { runtime: &mut *rt, memory };
                        match host(&mut caller, &args) {
                            HostResult::Return(values) => {
                                if values.len() != ty.results.len()
                                    || values.iter().zip(&ty.results).any(|(v, t)| v.ty() != *t)
                                {
                                    trap!(TrapKind::Host("host function returned values of the wrong types".into()));
                                }
                                for v in values {
                                    v.push_slots(stack);
                                }
                                if $tail {
                                    do_return!();
                                }
                            }
                            HostResult::Pending => {
                                save_pc!(pc);
                                return Ok(Exit::Pending(callee, $tail));
                            }
                            HostResult::Trap(m) => trap!(TrapKind::Host(m)),
                        }
                    }
                }
            }};
        }
        loop {
            if CHECKED {
                if !breakpoints.is_empty()
                    && breakpoints.contains(&(func, pc as u32))
                    && resume_past != Some((func, pc as u32))
                {
                    save_pc!(pc);
                    return Ok(Exit::Paused(PauseReason::Breakpoint));
                }
                if *budget == 0 {
                    save_pc!(pc);
                    return Ok(Exit::Paused(PauseReason::StepsExhausted));
                }
                *budget -= 1;
                resume_past = None;
            }
            let Some(&instr) = code.instrs.get(pc) else { trap!(TrapKind::Unreachable) };
            pc += 1;
            match instr {
                Instr::Unreachable => trap!(TrapKind::Unreachable),
                Instr::Br(t) => branch!(t),
                Instr::BrIf(t) => {
                    if pop!() as u32 != 0 {
                        branch!(t);
                    }
                }
                Instr::BrIfI32Eqz(t) => {
                    if pop!() as u32 == 0 {
                        branch!(t);
                    }
                }
                Instr::BrIfI32Eq(t) => br_if_cmp!(t, |a: u32, b: u32| a == b),
                Instr::BrIfI32Ne(t) => br_if_cmp!(t, |a: u32, b: u32| a != b),
                Instr::BrIfI32LtS(t) => br_if_cmp!(t, |a: u32, b: u32| (a as i32) < (b as i32)),
                Instr::BrIfI32LtU(t) => br_if_cmp!(t, |a: u32, b: u32| a < b),
                Instr::BrIfI32GtS(t) => br_if_cmp!(t, |a: u32, b: u32| (a as i32) > (b as i32)),
                Instr::BrIfI32GtU(t) => br_if_cmp!(t, |a: u32, b: u32| a > b),
                Instr::BrIfI32LeS(t) => br_if_cmp!(t, |a: u32, b: u32| (a as i32) <= (b as i32)),
                Instr::BrIfI32LeU(t) => br_if_cmp!(t, |a: u32, b: u32| a <= b),
                Instr::BrIfI32GeS(t) => br_if_cmp!(t, |a: u32, b: u32| (a as i32) >= (b as i32)),
                Instr::BrIfI32GeU(t) => br_if_cmp!(t, |a: u32, b: u32| a >= b),
                Instr::BrIfEqz { target } => {
                    if pop!() as u32 == 0 {
                        pc = target as usize;
                    }
                }
                Instr::BrTable { start, len } => {
                    let i = (pop!() as u32).min(len - 1);
                    let t = code.br_tables[(start + i) as usize];
                    branch!(t);
                }
                Instr::Return => do_return!(),
                Instr::Call(f) => call!(inst.funcs[f as usize], false),
                Instr::ReturnCall(f) => call!(inst.funcs[f as usize], true),
                Instr::CallIndirect { type_index, table } | Instr::ReturnCallIndirect { type_index, table } => {
                    let i = pop!() as u32 as usize;
                    let t = &rt.tables[inst.tables[table as usize] as usize];
                    let Some(&r) = t.elems.get(i) else { trap!(TrapKind::UndefinedElement) };
                    if r == 0 {
                        trap!(TrapKind::UninitializedElement);
                    }
                    let callee = (r - 1) as u32;
                    if funcs[callee as usize].type_id() != inst.type_ids[type_index as usize] {
                        trap!(TrapKind::IndirectCallTypeMismatch);
                    }
                    if matches!(instr, Instr::CallIndirect { .. }) { call!(callee, false) } else { call!(callee, true) }
                }
                Instr::Drop => {
                    stack.pop();
                }
                Instr::Drop2 => {
                    stack.truncate(stack.len() - 2);
                }
                Instr::Select => {
                    let c = pop!() as u32;
                    let b = pop!();
                    if c == 0 {
                        *top!() = b;
                    }
                }
                Instr::Select2 => {
                    let c = pop!() as u32;
                    let b1 = pop!();
                    let b0 = pop!();
                    if c == 0 {
                        let len = stack.len();
                        stack[len - 2] = b0;
                        stack[len - 1] = b1;
                    }
                }
                Instr::LocalGet(o) => push!(stack[base + o as usize]),
                Instr::LocalSet(o) => {
                    let v = pop!();
                    stack[base + o as usize] = v;
                }
                Instr::I32AddLocal(l) => bin_local!(l, |a: u64, b: u64| (a as u32).wrapping_add(b as u32) as u64),
                Instr::I32SubLocal(l) => bin_local!(l, |a: u64, b: u64| (a as u32).wrapping_sub(b as u32) as u64),
                Instr::I32MulLocal(l) => bin_local!(l, |a: u64, b: u64| (a as u32).wrapping_mul(b as u32) as u64),
                Instr::I32AndLocal(l) => bin_local!(l, |a: u64, b: u64| (a as u32 & b as u32) as u64),
                Instr::I32OrLocal(l) => bin_local!(l, |a: u64, b: u64| (a as u32 | b as u32) as u64),
                Instr::I32XorLocal(l) => bin_local!(l, |a: u64, b: u64| (a as u32 ^ b as u32) as u64),
                Instr::I32AddConst(c) => un!(|a: u64| (a as u32).wrapping_add(c as u32) as u64),
                Instr::I32MulConst(c) => un!(|a: u64| (a as u32).wrapping_mul(c as u32) as u64),
                Instr::I32AndConst(c) => un!(|a: u64| (a as u32 & c as u32) as u64),
                Instr::I32OrConst(c) => un!(|a: u64| (a as u32 | c as u32) as u64),
                Instr::I32XorConst(c) => un!(|a: u64| (a as u32 ^ c as u32) as u64),
                Instr::I32ShlConst(c) => un!(|a: u64| (a as u32).wrapping_shl(c as u32) as u64),
                Instr::I32ShrSConst(c) => un!(|a: u64| (a as i32).wrapping_shr(c as u32) as u32 as u64),
                Instr::I32ShrUConst(c) => un!(|a: u64| (a as u32).wrapping_shr(c as u32) as u64),
                Instr::I32RotrConst(c) => un!(|a: u64| (a as u32).rotate_right(c as u32 % 32) as u64),
                Instr::I32LtUConst(c) => un!(|a: u64| ((a as u32) < (c as u32)) as u64),
                Instr::LocalCopy { dst, src } => stack[base + dst as usize] = stack[base + src as usize],
                Instr::I32AddConstToLocal { dst, src, c } => {
                    let v = (stack[base + src as usize] as u32).wrapping_add(c as u32);
                    stack[base + dst as usize] = v as u64;
                }
                Instr::I32AddLocalsToLocal { dst, a, b } => {
                    let v = (stack[base + a as usize] as u32).wrapping_add(stack[base + b as usize] as u32);
                    stack[base + dst as usize] = v as u64;
                }
                Instr::LocalTee(o) => {
                    let v = *top!();
                    stack[base + o as usize] = v;
                }
                Instr::LocalGet2(o) => {
                    let at = base + o as usize;
                    push!(stack[at]);
                    push!(stack[at + 1]);
                }
                Instr::LocalSet2(o) => {
                    let hi = pop!();
                    let lo = pop!();
                    let at = base + o as usize;
                    stack[at] = lo;
                    stack[at + 1] = hi;
                }
                Instr::LocalTee2(o) => {
                    let len = stack.len();
                    let at = base + o as usize;
                    stack[at] = stack[len - 2];
                    stack[at + 1] = stack[len - 1];
                }
                Instr::GlobalGet(g) => push!(rt.globals[inst.globals[g as usize] as usize].bits as u64),
                Instr::GlobalSet(g) => {
                    let v = pop!();
                    rt.globals[inst.globals[g as usize] as usize].bits = v as u128;
                }
                Instr::GlobalGet2(g) => {
                    let bits = rt.globals[inst.globals[g as usize] as usize].bits;
                    push!(bits as u64);
                    push!((bits >> 64) as u64);
                }
                Instr::GlobalSet2(g) => {
                    let hi = pop!();
                    let lo = pop!();
                    rt.globals[inst.globals[g as usize] as usize].bits = lo as u128 | ((hi as u128) << 64);
                }
                Instr::I32LoadLocal { local, offset } => {
                    load_local!(local, offset, 4, |b| u32::from_le_bytes(b) as u64)
                }
                Instr::I64LoadLocal { local, offset } => load_local!(local, offset, 8, u64::from_le_bytes),
                Instr::F64LoadLocal { local, offset } => load_local!(local, offset, 8, u64::from_le_bytes),
                Instr::I32Load(o) => load!(o, 4, |b| u32::from_le_bytes(b) as u64),
                Instr::I64Load(o) => load!(o, 8, u64::from_le_bytes),
                Instr::F32Load(o) => load!(o, 4, |b| u32::from_le_bytes(b) as u64),
                Instr::F64Load(o) => load!(o, 8, u64::from_le_bytes),
                Instr::I32Load8S(o) => load!(o, 1, |b| i8::from_le_bytes(b) as i32 as u32 as u64),
                Instr::I32Load8U(o) => load!(o, 1, |b| u8::from_le_bytes(b) as u64),
                Instr::I32Load16S(o) => load!(o, 2, |b| i16::from_le_bytes(b) as i32 as u32 as u64),
                Instr::I32Load16U(o) => load!(o, 2, |b| u16::from_le_bytes(b) as u64),
                Instr::I64Load8S(o) => load!(o, 1, |b| i8::from_le_bytes(b) as i64 as u64),
                Instr::I64Load8U(o) => load!(o, 1, |b| u8::from_le_bytes(b) as u64),
                Instr::I64Load16S(o) => load!(o, 2, |b| i16::from_le_bytes(b) as i64 as u64),
                Instr::I64Load16U(o) => load!(o, 2, |b| u16::from_le_bytes(b) as u64),
                Instr::I64Load32S(o) => load!(o, 4, |b| i32::from_le_bytes(b) as i64 as u64),
                Instr::I64Load32U(o) => load!(o, 4, |b| u32::from_le_bytes(b) as u64),
                Instr::I32Store(o) | Instr::F32Store(o) | Instr::I64Store32(o) => store!(o, 4),
                Instr::I64Store(o) | Instr::F64Store(o) => store!(o, 8),
                Instr::I32Store8(o) | Instr::I64Store8(o) => store!(o, 1),
                Instr::I32Store16(o) | Instr::I64Store16(o) => store!(o, 2),
                Instr::MemorySize => push!((rt.memories[mem].data.len() / PAGE_SIZE) as u64),
                Instr::MemoryGrow => {
                    let delta = pop!() as u32 as u64;
                    let m = &mut rt.memories[mem];
                    let old = (m.data.len() / PAGE_SIZE) as u64;
                    let new = old + delta;
                    if new > m.max_pages.unwrap_or(65536).min(65536) {
                        push!(u32::MAX as u64);
                    } else if new > limits.max_memory_pages {
                        trap!(TrapKind::MemoryLimitExceeded);
                    } else {
                        m.data.resize(new as usize * PAGE_SIZE, 0);
                        push!(old);
                    }
                }
                Instr::MemoryFill => {
                    let n = pop!() as u32 as usize;
                    let v = pop!() as u8;
                    let d = pop!() as u32 as usize;
                    match memory!().get_mut(d..d + n) {
                        Some(bytes) => bytes.fill(v),
                        None => trap!(TrapKind::MemoryOutOfBounds),
                    }
                }
                Instr::MemoryCopy => {
                    let n = pop!() as u32 as usize;
                    let s = pop!() as u32 as usize;
                    let d = pop!() as u32 as usize;
                    let data = memory!();
                    if s + n > data.len() || d + n > data.len() {
                        trap!(TrapKind::MemoryOutOfBounds);
                    }
                    data.copy_within(s..s + n, d);
                }
                Instr::MemoryInit(seg) => {
                    let n = pop!() as u32;
                    let s = pop!() as u32;
                    let d = pop!() as u32;
                    if let Err(k) = rt.memory_init(mem as u32, inst.datas[seg as usize], d, s, n) {
                        trap!(k);
                    }
                }
                Instr::DataDrop(seg) => rt.datas[inst.datas[seg as usize] as usize] = Default::default(),
                Instr::TableGet(t) => {
                    let i = pop!() as u32 as usize;
                    match rt.tables[inst.tables[t as usize] as usize].elems.get(i) {
                        Some(&r) => push!(r),
                        None => trap!(TrapKind::TableOutOfBounds),
                    }
                }
                Instr::TableSet(t) => {
                    let r = pop!();
                    let i = pop!() as u32 as usize;
                    match rt.tables[inst.tables[t as usize] as usize].elems.get_mut(i) {
                        Some(slot) => *slot = r,
                        None => trap!(TrapKind::TableOutOfBounds),
                    }
                }
                Instr::TableSize(t) => push!(rt.tables[inst.tables[t as usize] as usize].elems.len() as u64),
                Instr::TableGrow(t) => {
                    let n = pop!() as u32 as u64;
                    let r = pop!();
                    let table = &mut rt.tables[inst.tables[t as usize] as usize];
                    let old = table.elems.len() as u64;
                    let new = old + n;
                    if new > table.ty.limits.max.unwrap_or(u32::MAX as u64).min(u32::MAX as u64) {
                        push!(u32::MAX as u64);
                    } else if new > limits.max_table_elements {
                        trap!(TrapKind::TableLimitExceeded);
                    } else {
                        table.elems.resize(new as usize, r);
                        push!(old);
                    }
                }
                Instr::TableFill(t) => {
                    let n = pop!() as u32 as usize;
                    let r = pop!();
                    let i = pop!() as u32 as usize;
                    match rt.tables[inst.tables[t as usize] as usize].elems.get_mut(i..i + n) {
                        Some(slots) => slots.fill(r),
                        None => trap!(TrapKind::TableOutOfBounds),
                    }
                }
                Instr::TableCopy { dst, src } => {
                    let n = pop!() as u32 as usize;
                    let s = pop!() as u32 as usize;
                    let d = pop!() as u32 as usize;
                    let (dt, st) = (inst.tables[dst as usize] as usize, inst.tables[src as usize] as usize);
                    if s + n > rt.tables[st].elems.len() || d + n > rt.tables[dt].elems.len() {
                        trap!(TrapKind::TableOutOfBounds);
                    }
                    if dt == st {
                        rt.tables[dt].elems.copy_within(s..s + n, d);
                    } else {
                        let items: Vec<u64> = rt.tables[st].elems[s..s + n].to_vec();
                        rt.tables[dt].elems[d..d + n].copy_from_slice(&items);
                    }
                }
                Instr::TableInit { table, elem } => {
                    let n = pop!() as u32;
                    let s = pop!() as u32;
                    let d = pop!() as u32;
                    if let Err(k) = rt.table_init(inst.tables[table as usize], inst.elems[elem as usize], d, s, n) {
                        trap!(k);
                    }
                }
                Instr::ElemDrop(seg) => rt.elems[inst.elems[seg as usize] as usize] = Default::default(),
                Instr::RefNull => push!(0),
                Instr::RefIsNull => un!(|r: u64| (r == 0) as u64),
                Instr::RefFunc(f) => push!(inst.funcs[f as usize] as u64 + 1),
                Instr::I32Const(v) => push!(v as u32 as u64),
                Instr::I64Const(v) => push!(v as u64),
                Instr::F32Const(v) => push!(v as u64),
                Instr::F64Const(v) => push!(v),
                Instr::V128Const(i) => {
                    let v = code.v128_consts[i as usize];
                    push!(v as u64);
                    push!((v >> 64) as u64);
                }
                Instr::Simd(i) => {
                    if let Err(k) =
                        simd::execute(&code.simd_ops[i as usize], stack, rt.memories.get_mut(mem).map(|m| &mut m.data))
                    {
                        trap!(k);
                    }
                }
                Instr::I32Eqz => un!(|a: u64| (a as u32 == 0) as u64),
                Instr::I32Eq => bin!(|a: u64, b: u64| (a as u32 == b as u32) as u64),
                Instr::I32Ne => bin!(|a: u64, b: u64| (a as u32 != b as u32) as u64),
                Instr::I32LtS => bin!(|a: u64, b: u64| ((a as i32) < (b as i32)) as u64),
                Instr::I32LtU => bin!(|a: u64, b: u64| ((a as u32) < (b as u32)) as u64),
                Instr::I32GtS => bin!(|a: u64, b: u64| ((a as i32) > (b as i32)) as u64),
                Instr::I32GtU => bin!(|a: u64, b: u64| ((a as u32) > (b as u32)) as u64),
                Instr::I32LeS => bin!(|a: u64, b: u64| ((a as i32) <= (b as i32)) as u64),
                Instr::I32LeU => bin!(|a: u64, b: u64| ((a as u32) <= (b as u32)) as u64),
                Instr::I32GeS => bin!(|a: u64, b: u64| ((a as i32) >= (b as i32)) as u64),
                Instr::I32GeU => bin!(|a: u64, b: u64| ((a as u32) >= (b as u32)) as u64),
                Instr::I64Eqz => un!(|a: u64| (a == 0) as u64),
                Instr::I64Eq => bin!(|a: u64, b: u64| (a == b) as u64),
                Instr::I64Ne => bin!(|a: u64, b: u64| (a != b) as u64),
                Instr::I64LtS => bin!(|a: u64, b: u64| ((a as i64) < (b as i64)) as u64),
                Instr::I64LtU => bin!(|a: u64, b: u64| (a < b) as u64),
                Instr::I64GtS => bin!(|a: u64, b: u64| ((a as i64) > (b as i64)) as u64),
                Instr::I64GtU => bin!(|a: u64, b: u64| (a > b) as u64),
                Instr::I64LeS => bin!(|a: u64, b: u64| ((a as i64) <= (b as i64)) as u64),
                Instr::I64LeU => bin!(|a: u64, b: u64| (a <= b) as u64),
                Instr::I64GeS => bin!(|a: u64, b: u64| ((a as i64) >= (b as i64)) as u64),
                Instr::I64GeU => bin!(|a: u64, b: u64| (a >= b) as u64),
                Instr::F32Eq => bin!(|a, b| (num::f32_of(a) == num::f32_of(b)) as u64),
                Instr::F32Ne => bin!(|a, b| (num::f32_of(a) != num::f32_of(b)) as u64),
                Instr::F32Lt => bin!(|a, b| (num::f32_of(a) < num::f32_of(b)) as u64),
                Instr::F32Gt => bin!(|a, b| (num::f32_of(a) > num::f32_of(b)) as u64),
                Instr::F32Le => bin!(|a, b| (num::f32_of(a) <= num::f32_of(b)) as u64),
                Instr::F32Ge => bin!(|a, b| (num::f32_of(a) >= num::f32_of(b)) as u64),
                Instr::F64Eq => bin!(|a, b| (f64::from_bits(a) == f64::from_bits(b)) as u64),
                Instr::F64Ne => bin!(|a, b| (f64::from_bits(a) != f64::from_bits(b)) as u64),
                Instr::F64Lt => bin!(|a, b| (f64::from_bits(a) < f64::from_bits(b)) as u64),
                Instr::F64Gt => bin!(|a, b| (f64::from_bits(a) > f64::from_bits(b)) as u64),
                Instr::F64Le => bin!(|a, b| (f64::from_bits(a) <= f64::from_bits(b)) as u64),
                Instr::F64Ge => bin!(|a, b| (f64::from_bits(a) >= f64::from_bits(b)) as u64),
                Instr::I32Clz => un!(|a: u64| (a as u32).leading_zeros() as u64),
                Instr::I32Ctz => un!(|a: u64| (a as u32).trailing_zeros() as u64),
                Instr::I32Popcnt => un!(|a: u64| (a as u32).count_ones() as u64),
                Instr::I32Add => bin!(|a: u64, b: u64| (a as u32).wrapping_add(b as u32) as u64),
                Instr::I32Sub => bin!(|a: u64, b: u64| (a as u32).wrapping_sub(b as u32) as u64),
                Instr::I32Mul => bin!(|a: u64, b: u64| (a as u32).wrapping_mul(b as u32) as u64),
                Instr::I32DivS => bin_trap!(num::i32_div_s),
                Instr::I32DivU => bin_trap!(num::i32_div_u),
                Instr::I32RemS => bin_trap!(num::i32_rem_s),
                Instr::I32RemU => bin_trap!(num::i32_rem_u),
                Instr::I32And => bin!(|a: u64, b: u64| (a as u32 & b as u32) as u64),
                Instr::I32Or => bin!(|a: u64, b: u64| (a as u32 | b as u32) as u64),
                Instr::I32Xor => bin!(|a: u64, b: u64| (a as u32 ^ b as u32) as u64),
                Instr::I32Shl => bin!(|a: u64, b: u64| (a as u32).wrapping_shl(b as u32) as u64),
                Instr::I32ShrS => bin!(|a: u64, b: u64| (a as i32).wrapping_shr(b as u32) as u32 as u64),
                Instr::I32ShrU => bin!(|a: u64, b: u64| (a as u32).wrapping_shr(b as u32) as u64),
                Instr::I32Rotl => bin!(|a: u64, b: u64| (a as u32).rotate_left(b as u32 % 32) as u64),
                Instr::I32Rotr => bin!(|a: u64, b: u64| (a as u32).rotate_right(b as u32 % 32) as u64),
                Instr::I64Clz => un!(|a: u64| a.leading_zeros() as u64),
                Instr::I64Ctz => un!(|a: u64| a.trailing_zeros() as u64),
                Instr::I64Popcnt => un!(|a: u64| a.count_ones() as u64),
                Instr::I64Add => bin!(|a: u64, b: u64| a.wrapping_add(b)),
                Instr::I64Sub => bin!(|a: u64, b: u64| a.wrapping_sub(b)),
                Instr::I64Mul => bin!(|a: u64, b: u64| a.wrapping_mul(b)),
                Instr::I64DivS => bin_trap!(num::i64_div_s),
                Instr::I64DivU => bin_trap!(num::i64_div_u),
                Instr::I64RemS => bin_trap!(num::i64_rem_s),
                Instr::I64RemU => bin_trap!(num::i64_rem_u),
                Instr::I64And => bin!(|a: u64, b: u64| a & b),
                Instr::I64Or => bin!(|a: u64, b: u64| a | b),
                Instr::I64Xor => bin!(|a: u64, b: u64| a ^ b),
                Instr::I64Shl => bin!(|a: u64, b: u64| a.wrapping_shl(b as u32)),
                Instr::I64ShrS => bin!(|a: u64, b: u64| (a as i64).wrapping_shr(b as u32) as u64),
                Instr::I64ShrU => bin!(|a: u64, b: u64| a.wrapping_shr(b as u32)),
                Instr::I64Rotl => bin!(|a: u64, b: u64| a.rotate_left((b % 64) as u32)),
                Instr::I64Rotr => bin!(|a: u64, b: u64| a.rotate_right((b % 64) as u32)),
                Instr::F32Abs => un!(|a: u64| (a as u32 & 0x7fff_ffff) as u64),
                Instr::F32Neg => un!(|a: u64| (a as u32 ^ 0x8000_0000) as u64),
                Instr::F32Ceil => un!(|a| num::f32_quiet(num::f32_of(a).ceil())),
                Instr::F32Floor => un!(|a| num::f32_quiet(num::f32_of(a).floor())),
                Instr::F32Trunc => un!(|a| num::f32_quiet(num::f32_of(a).trunc())),
                Instr::F32Nearest => un!(|a| num::f32_quiet(num::f32_of(a).round_ties_even())),
                Instr::F32Sqrt => un!(|a| num::f32_quiet(num::f32_of(a).sqrt())),
                Instr::F32Add => bin!(|a, b| num::f32_bits(num::f32_of(a) + num::f32_of(b))),
                Instr::F32Sub => bin!(|a, b| num::f32_bits(num::f32_of(a) - num::f32_of(b))),
                Instr::F32Mul => bin!(|a, b| num::f32_bits(num::f32_of(a) * num::f32_of(b))),
                Instr::F32Div => bin!(|a, b| num::f32_bits(num::f32_of(a) / num::f32_of(b))),
                Instr::F32Min => bin!(|a, b| num::f32_bits(num::f32_min(num::f32_of(a), num::f32_of(b)))),
                Instr::F32Max => bin!(|a, b| num::f32_bits(num::f32_max(num::f32_of(a), num::f32_of(b)))),
                Instr::F32Copysign => {
                    bin!(|a: u64, b: u64| ((a as u32 & 0x7fff_ffff) | (b as u32 & 0x8000_0000)) as u64)
                }
                Instr::F64Abs => un!(|a: u64| a & 0x7fff_ffff_ffff_ffff),
                Instr::F64Neg => un!(|a: u64| a ^ 0x8000_0000_0000_0000),
                Instr::F64Ceil => un!(|a| num::f64_quiet(f64::from_bits(a).ceil())),
                Instr::F64Floor => un!(|a| num::f64_quiet(f64::from_bits(a).floor())),
                Instr::F64Trunc => un!(|a| num::f64_quiet(f64::from_bits(a).trunc())),
                Instr::F64Nearest => un!(|a| num::f64_quiet(f64::from_bits(a).round_ties_even())),
                Instr::F64Sqrt => un!(|a| num::f64_quiet(f64::from_bits(a).sqrt())),
                Instr::F64Add => bin!(|a, b| (f64::from_bits(a) + f64::from_bits(b)).to_bits()),
                Instr::F64Sub => bin!(|a, b| (f64::from_bits(a) - f64::from_bits(b)).to_bits()),
                Instr::F64Mul => bin!(|a, b| (f64::from_bits(a) * f64::from_bits(b)).to_bits()),
                Instr::F64Div => bin!(|a, b| (f64::from_bits(a) / f64::from_bits(b)).to_bits()),
                Instr::F64Min => bin!(|a, b| num::f64_min(f64::from_bits(a), f64::from_bits(b)).to_bits()),
                Instr::F64Max => bin!(|a, b| num::f64_max(f64::from_bits(a), f64::from_bits(b)).to_bits()),
                Instr::F64Copysign => {
                    bin!(|a: u64, b: u64| (a & 0x7fff_ffff_ffff_ffff) | (b & 0x8000_0000_0000_0000))
                }
                Instr::I32WrapI64 => un!(|a: u64| a as u32 as u64),
                Instr::I32TruncF32S => un_trap!(|a| num::trunc_f32_i32(num::f32_of(a)).map(|v| v as u32 as u64)),
                Instr::I32TruncF32U => un_trap!(|a| num::trunc_f32_u32(num::f32_of(a)).map(|v| v as u64)),
                Instr::I32TruncF64S => un_trap!(|a| num::trunc_f64_i32(f64::from_bits(a)).map(|v| v as u32 as u64)),
                Instr::I32TruncF64U => un_trap!(|a| num::trunc_f64_u32(f64::from_bits(a)).map(|v| v as u64)),
                Instr::I64ExtendI32S => un!(|a: u64| a as i32 as i64 as u64),
                Instr::I64ExtendI32U => un!(|a: u64| a as u32 as u64),
                Instr::I64TruncF32S => un_trap!(|a| num::trunc_f32_i64(num::f32_of(a)).map(|v| v as u64)),
                Instr::I64TruncF32U => un_trap!(|a| num::trunc_f32_u64(num::f32_of(a))),
                Instr::I64TruncF64S => un_trap!(|a| num::trunc_f64_i64(f64::from_bits(a)).map(|v| v as u64)),
                Instr::I64TruncF64U => un_trap!(|a| num::trunc_f64_u64(f64::from_bits(a))),
                Instr::F32ConvertI32S => un!(|a: u64| num::f32_bits(a as i32 as f32)),
                Instr::F32ConvertI32U => un!(|a: u64| num::f32_bits(a as u32 as f32)),
                Instr::F32ConvertI64S => un!(|a: u64| num::f32_bits(a as i64 as f32)),
                Instr::F32ConvertI64U => un!(|a: u64| num::f32_bits(a as f32)),
                Instr::F32DemoteF64 => un!(|a| num::f32_bits(f64::from_bits(a) as f32)),
                Instr::F64ConvertI32S => un!(|a: u64| (a as i32 as f64).to_bits()),
                Instr::F64ConvertI32U => un!(|a: u64| (a as u32 as f64).to_bits()),
                Instr::F64ConvertI64S => un!(|a: u64| (a as i64 as f64).to_bits()),
                Instr::F64ConvertI64U => un!(|a: u64| (a as f64).to_bits()),
                Instr::F64PromoteF32 => un!(|a| (num::f32_of(a) as f64).to_bits()),
                Instr::I32ReinterpretF32 | Instr::F32ReinterpretI32 => {}
                Instr::I64ReinterpretF64 | Instr::F64ReinterpretI64 => {}
                Instr::I32Extend8S => un!(|a: u64| a as i8 as i32 as u32 as u64),
                Instr::I32Extend16S => un!(|a: u64| a as i16 as i32 as u32 as u64),
                Instr::I64Extend8S => un!(|a: u64| a as i8 as i64 as u64),
                Instr::I64Extend16S => un!(|a: u64| a as i16 as i64 as u64),
                Instr::I64Extend32S => un!(|a: u64| a as i32 as i64 as u64),
                Instr::I32TruncSatF32S => un!(|a| num::f32_of(a) as i32 as u32 as u64),
                Instr::I32TruncSatF32U => un!(|a| num::f32_of(a) as u32 as u64),
                Instr::I32TruncSatF64S => un!(|a| f64::from_bits(a) as i32 as u32 as u64),
                Instr::I32TruncSatF64U => un!(|a| f64::from_bits(a) as u32 as u64),
                Instr::I64TruncSatF32S => un!(|a| num::f32_of(a) as i64 as u64),
                Instr::I64TruncSatF32U => un!(|a| num::f32_of(a) as u64),
                Instr::I64TruncSatF64S => un!(|a| f64::from_bits(a) as i64 as u64),
                Instr::I64TruncSatF64U => un!(|a| f64::from_bits(a) as u64),
            }
        }
    }
}
