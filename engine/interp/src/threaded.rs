//! The threaded loop: the fast form of a body run as one handler function per instruction.
//!
//! Each fast body carries, beside its [`Instr`]s, the same instructions as [`Op`]s: the address
//! of the instruction's handler and its operands as four numbers. A handler does its work and
//! ends by calling the next instruction's handler with the loop's registers (the context, the
//! instruction pointer [`Ip`], the frame pointer [`Sp`] and memory 0 as [`Mem`]) as arguments.
//! That call is in tail position with the same signature, which an optimizing build turns into
//! a jump, so there is no central `match` to return to and every handler ends in its own
//! indirect jump (better predicted, and fewer instructions per wasm instruction than the match
//! loop). The build script enables this loop only for optimizing builds on targets where that
//! holds ([`ENABLED`]); elsewhere every frame runs in the match loop of `exec`.
//!
//! The loop runs exactly what the match loop's fast variant without fuel runs (fast forms, no
//! per-instruction tests): it leaves with an [`Exit`] when control reaches a frame that must
//! run in the checked loop, when a host call pends, when the thread finishes, or when it traps.
//! An interrupt ([`crate::Store::interrupt_handle`]) is noticed at backward jumps and calls and
//! hands the frame to the loop with fuel, which stops at the next resume point.

use std::any::Any;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::code::{FuncCode, Instr, for_each_op};
use crate::config::Limits;
use crate::exec::{Exit, Frame, check_host_results, prepare_frame, read_values, write_values};
use crate::numeric as num;
use crate::rare::{self, RareContext, SlotStack};
use crate::raw::{Ip, Mem, Sp};
use crate::store::{Caller, FuncInst, HostResult, InstanceData, Runtime};
use crate::trap::TrapKind;
use crate::value::FuncType;

/// The interrupt flag of stores that have none.
pub(crate) static NEVER_INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Whether this build runs fast frames in the threaded loop (set by the build script).
pub(crate) const ENABLED: bool = cfg!(canopy_threaded);

/// A handler: runs the instruction at `ip` and what follows it, until the loop exits.
pub(crate) type Handler = for<'c, 's> fn(&'c mut Ctx<'s>, Ip, Sp, Mem);

/// One instruction of the threaded code: its handler and operands (their meaning is the
/// handler's: see [`encode`]).
#[derive(Clone, Copy)]
pub(crate) struct Op {
    /// Runs the instruction.
    pub handler: Handler,
    pub a: u32,
    pub b: u32,
    pub c: u32,
    pub d: u32,
}

impl fmt::Debug for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Op({}, {}, {}, {})", self.a, self.b, self.c, self.d)
    }
}

/// What the handlers share: the store's parts, the thread's stacks and the current frame.
pub(crate) struct Ctx<'s> {
    pub funcs: &'s [FuncInst],
    pub instances: &'s [InstanceData],
    pub types: &'s [FuncType],
    pub rt: &'s mut Runtime,
    pub data: &'s mut Option<Box<dyn Any + Send>>,
    pub limits: &'s Limits,
    pub watched: &'s [bool],
    /// The store's interrupt flag, or a flag that is never set.
    pub interrupt: &'s AtomicBool,
    pub stack: &'s mut Vec<u64>,
    pub frames: &'s mut Vec<Frame>,
    /// The current frame's function, code and instance.
    pub func: u32,
    pub code: &'s FuncCode,
    pub inst: &'s InstanceData,
    pub instance_index: u32,
    pub mem_index: Option<usize>,
    /// Stack index of the current frame's first slot.
    pub base: usize,
    /// Returning to a frame at this depth or less hands over to the match loop.
    pub stop_depth: usize,
    /// Frames below this belong to calls the current one is nested in.
    pub floor: usize,
    /// Why the loop ended, set by the handler that ended it.
    pub exit: Result<Exit, TrapKind>,
    /// The current frame and memory as of the last call, return or stack operation (those
    /// refresh them; handlers carry them on as arguments in between).
    pub sp: Sp,
    pub mem: Mem,
}

impl Ctx<'_> {
    /// Memory 0 of the current instance, as it is now.
    #[inline(always)]
    fn current_mem(&mut self) -> Mem {
        match self.mem_index {
            Some(m) => Mem::new(&mut self.rt.memories[m].data),
            None => Mem::none(),
        }
    }

    /// The current frame's slots, as the stack is now.
    #[inline(always)]
    fn frame_sp(&mut self) -> Sp {
        Sp::new(self.stack, self.base, self.code.frame_slots as usize)
    }

    fn is_watched(&self, func: u32) -> bool {
        self.watched.get(func as usize).copied().unwrap_or(false)
    }

    fn interrupted(&self) -> bool {
        self.interrupt.load(Ordering::Relaxed)
    }

    /// Records `pc` as the current frame's next instruction.
    fn save_pc(&mut self, pc: usize) {
        if let Some(f) = self.frames.last_mut() {
            f.pc = pc as u32;
        }
    }
}

/// Runs the innermost frame (a fast one, at `pc`) and what it calls or returns to, until an
/// exit; returns it.
pub(crate) fn run(mut ctx: Ctx<'_>, pc: usize) -> Result<Exit, TrapKind> {
    let ip = Ip::start(&ctx.code.ops, pc);
    ctx.sp = ctx.frame_sp();
    ctx.mem = ctx.current_mem();
    let (sp, mem) = (ctx.sp, ctx.mem);
    (ip.handler())(&mut ctx, ip, sp, mem);
    ctx.exit
}

/// Ends the loop with a trap at the instruction `ip`.
#[cold]
#[inline(never)]
fn trap(ctx: &mut Ctx<'_>, ip: Ip, kind: TrapKind) {
    let pc = ip.index_in(&ctx.code.ops);
    ctx.save_pc(pc);
    ctx.exit = Err(kind);
}

/// Ends the loop before `ip` so that the loop with fuel takes over (an interrupt was seen).
#[cold]
#[inline(never)]
fn hand_over(ctx: &mut Ctx<'_>, ip: Ip) {
    let pc = ip.index_in(&ctx.code.ops);
    ctx.save_pc(pc);
    ctx.exit = Ok(Exit::SwitchLoop { after_call: false });
}

/// Enters `callee` with its arguments at slot `at` of the current frame (`tail`: in place of
/// the current frame); `ip` is the call. Returns where to continue, with the frame and memory
/// in `ctx.sp` and `ctx.mem`, or `None` when the loop is to exit (`ctx.exit` says why).
///
/// Never inlined, and returning only the instruction pointer in registers: a handler that
/// gave it the address of a local (a larger return value) could not end in a tail call.
#[inline(never)]
fn enter(ctx: &mut Ctx<'_>, ip: Ip, callee: u32, at: u32, tail: bool) -> Option<Ip> {
    let funcs = ctx.funcs;
    // The common case first: a plain call of an unwatched wasm function with room on the stack.
    if let FuncInst::Wasm { code, instance, .. } = &funcs[callee as usize]
        && !tail
        && !ctx.is_watched(callee)
        && !ctx.interrupted()
        && ctx.frames.len() < ctx.limits.max_call_depth
    {
        let base = ctx.base + at as usize;
        let end = base + code.frame_slots as usize;
        if end <= ctx.stack.len() {
            let pc = ip.index_in(&ctx.code.ops);
            ctx.save_pc(pc + 1);
            if code.locals_end > code.param_slots {
                zero_locals(&mut ctx.stack[base + code.param_slots as usize..base + code.locals_end as usize]);
            }
            ctx.frames.push(Frame { func: callee, pc: 0, base: base as u32, debug: false });
            enter_code(ctx, callee, code, *instance, base);
            return Some(Ip::start(&code.ops, 0));
        }
    }
    enter_slow(ctx, ip, callee, at, tail)
}

/// Zeroes a new frame's declared locals: a few with plain stores (most functions declare
/// few, and a `memset` call costs more than the stores), more with `fill`.
#[inline(always)]
fn zero_locals(locals: &mut [u64]) {
    match locals {
        [a] => *a = 0,
        [a, b] => (*a, *b) = (0, 0),
        [a, b, c] => (*a, *b, *c) = (0, 0, 0),
        [a, b, c, d] => (*a, *b, *c, *d) = (0, 0, 0, 0),
        more => more.fill(0),
    }
}

/// [`enter`] in every other case: tail calls, host functions, watched functions, a stack that
/// must grow, limits and interrupts.
#[inline(never)]
fn enter_slow(ctx: &mut Ctx<'_>, ip: Ip, callee: u32, at: u32, tail: bool) -> Option<Ip> {
    if ctx.interrupted() {
        hand_over(ctx, ip);
        return None;
    }
    let at = at as usize;
    let pc = ip.index_in(&ctx.code.ops);
    let funcs = ctx.funcs;
    match &funcs[callee as usize] {
        callee_inst @ FuncInst::Wasm { code: fast, instance, .. } => {
            let debug_wanted = ctx.is_watched(callee);
            let c: &FuncCode = if debug_wanted {
                match callee_inst.debug_code(&ctx.instances[*instance as usize]) {
                    Ok(c) => c,
                    Err(m) => {
                        trap(ctx, ip, TrapKind::Host(m));
                        return None;
                    }
                }
            } else {
                fast
            };
            let frame_slots = fast.frame_slots.max(c.frame_slots);
            let mut new_base = ctx.base + at;
            if tail {
                let n = c.param_slots as usize;
                ctx.stack.copy_within(new_base..new_base + n, ctx.base);
                new_base = ctx.base;
                ctx.frames.pop();
            } else {
                ctx.save_pc(pc + 1);
            }
            let depth = ctx.frames.len();
            if let Err(k) =
                prepare_frame(ctx.stack, ctx.limits, depth, new_base, c.param_slots, c.locals_end, frame_slots)
            {
                if tail {
                    ctx.frames.push(Frame { func: ctx.func, pc: pc as u32, base: ctx.base as u32, debug: false });
                }
                trap(ctx, ip, k);
                return None;
            }
            ctx.frames.push(Frame { func: callee, pc: 0, base: new_base as u32, debug: debug_wanted });
            if debug_wanted {
                ctx.exit = Ok(Exit::SwitchLoop { after_call: false });
                return None;
            }
            enter_code(ctx, callee, fast, *instance, new_base);
            Some(Ip::start(&fast.ops, 0))
        }
        FuncInst::Host { func: host, ty, .. } => {
            if ctx.frames.len() >= ctx.limits.max_call_depth {
                trap(ctx, ip, TrapKind::CallStackExhausted { limit: ctx.limits.max_call_depth });
                return None;
            }
            let ty = &ctx.types[*ty as usize];
            let at_abs = ctx.base + at;
            let args = read_values(ctx.stack, at_abs, &ty.params);
            let mut caller = Caller::new(&mut *ctx.rt, &mut *ctx.data, Some(ctx.instance_index), &ctx.inst.memories);
            match host(&mut caller, &args) {
                HostResult::Return(values) => {
                    if let Err(k) = check_host_results(&values, &ty.results) {
                        trap(ctx, ip, k);
                        return None;
                    }
                    write_values(ctx.stack, at_abs, &values);
                    // The host may have grown any memory.
                    ctx.mem = ctx.current_mem();
                    if tail {
                        // The results are at the frame's argument slots: its base.
                        let n = ty.result_slots() as usize;
                        ctx.stack.copy_within(at_abs..at_abs + n, ctx.base);
                        return leave(ctx);
                    }
                    ctx.sp = ctx.frame_sp();
                    Some(ip.next())
                }
                HostResult::Pending => {
                    ctx.save_pc(pc + 1);
                    ctx.exit = if tail {
                        // The arguments move to the frame's base, where the results will go:
                        // both stay readable while it waits.
                        let n = ty.param_slots() as usize;
                        ctx.stack.copy_within(at_abs..at_abs + n, ctx.base);
                        Ok(Exit::Pending { func: callee, at: ctx.base, then_return: true })
                    } else {
                        Ok(Exit::Pending { func: callee, at: at_abs, then_return: false })
                    };
                    None
                }
                HostResult::Trap(m) => {
                    trap(ctx, ip, TrapKind::Host(m));
                    None
                }
            }
        }
    }
}

/// Makes `func` (its `code`, of instance `instance`), with its frame at `base`, the current
/// frame.
#[inline(always)]
fn enter_code<'s>(ctx: &mut Ctx<'s>, func: u32, code: &'s FuncCode, instance: u32, base: usize) {
    ctx.func = func;
    ctx.code = code;
    ctx.base = base;
    ctx.sp = ctx.frame_sp();
    if instance != ctx.instance_index {
        ctx.instance_index = instance;
        ctx.inst = &ctx.instances[instance as usize];
        ctx.mem_index = ctx.inst.memories.first().map(|&m| m as usize);
        ctx.mem = ctx.current_mem();
    }
}

/// Returns from the current frame (its results are in its first slots) to its caller; what it
/// returns is as for [`enter`].
#[inline(never)]
fn leave(ctx: &mut Ctx<'_>) -> Option<Ip> {
    ctx.frames.pop();
    if ctx.frames.len() <= ctx.floor {
        ctx.exit = Ok(Exit::Finished);
        return None;
    }
    let Some(f) = ctx.frames.last().copied() else {
        ctx.exit = Ok(Exit::Finished);
        return None;
    };
    if f.debug || ctx.is_watched(f.func) || ctx.frames.len() <= ctx.stop_depth {
        ctx.exit = Ok(Exit::SwitchLoop { after_call: true });
        return None;
    }
    let funcs = ctx.funcs;
    let FuncInst::Wasm { code, instance, .. } = &funcs[f.func as usize] else {
        ctx.exit = Ok(Exit::SwitchLoop { after_call: true });
        return None;
    };
    enter_code(ctx, f.func, code, *instance, f.base as usize);
    Some(Ip::start(&code.ops, f.pc as usize))
}

/// Continues with the handler of the instruction `ip`.
macro_rules! next {
    ($ctx:ident, $ip:expr, $sp:expr, $mem:expr) => {{
        let ip: Ip = $ip;
        let sp: Sp = $sp;
        let mem: Mem = $mem;
        return (ip.handler())($ctx, ip, sp, mem);
    }};
}

/// Jumps `rel` instructions from `ip`; a backward jump (`$backward`, known when the code is
/// encoded) first hands over if an interrupt is pending.
macro_rules! jump {
    ($backward:literal, $ctx:ident, $ip:ident, $rel:expr, $sp:expr, $mem:expr) => {{
        let target = $ip.jump($rel as i32);
        if $backward && $ctx.interrupted() {
            return hand_over($ctx, target);
        }
        next!($ctx, target, $sp, $mem)
    }};
}

macro_rules! define_handlers {
    (
        binary [$($bin:ident [$($bin_imm:ident)?] ($ba:ident, $bb:ident) => $be:expr;)*]
        compare [$($cmp:ident $cmp_imm:ident $br:ident $br_imm:ident $neg:ident ($ca:ident, $cb:ident) => $ce:expr;)*]
        binary_trap [$($bin_trap:ident ($ta:ident, $tb:ident) => $te:expr;)*]
        unary [$($un:ident ($ua:ident) => $ue:expr;)*]
        unary_trap [$($un_trap:ident ($va:ident) => $ve:expr;)*]
        load [$($load:ident $load_at:ident $load_idx:ident $lbytes:literal ($lb:ident) => $le:expr;)*]
        store [$($store:ident $sbytes:literal;)*]
    ) => {
        $(pub(super) fn $bin(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
            let op = ip.op();
            let $ba = sp.get(op.a);
            let $bb = sp.get(op.b);
            sp.set(op.d, $be);
            next!(ctx, ip.next(), sp, mem)
        })*
        $($(pub(super) fn $bin_imm(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
            let op = ip.op();
            let $ba = sp.get(op.a);
            let $bb = op.b as i32 as i64 as u64;
            sp.set(op.d, $be);
            next!(ctx, ip.next(), sp, mem)
        })?)*
        $(pub(super) fn $cmp(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
            let op = ip.op();
            let $ca = sp.get(op.a);
            let $cb = sp.get(op.b);
            sp.set(op.d, ($ce) as u64);
            next!(ctx, ip.next(), sp, mem)
        })*
        $(pub(super) fn $cmp_imm(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
            let op = ip.op();
            let $ca = sp.get(op.a);
            let $cb = op.b as i32 as i64 as u64;
            sp.set(op.d, ($ce) as u64);
            next!(ctx, ip.next(), sp, mem)
        })*
        $(pub(super) fn $bin_trap(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
            let op = ip.op();
            let $ta = sp.get(op.a);
            let $tb = sp.get(op.b);
            match $te {
                Ok(v) => sp.set(op.d, v),
                Err(k) => return trap(ctx, ip, k),
            }
            next!(ctx, ip.next(), sp, mem)
        })*
        $(pub(super) fn $un(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
            let op = ip.op();
            let $ua = sp.get(op.a);
            sp.set(op.d, $ue);
            next!(ctx, ip.next(), sp, mem)
        })*
        $(pub(super) fn $un_trap(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
            let op = ip.op();
            let $va = sp.get(op.a);
            match $ve {
                Ok(v) => sp.set(op.d, v),
                Err(k) => return trap(ctx, ip, k),
            }
            next!(ctx, ip.next(), sp, mem)
        })*
        $(pub(super) fn $load(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
            let op = ip.op();
            let ea = sp.get(op.a) as u32 as usize + op.b as usize;
            match mem.load::<$lbytes>(ea) {
                Some($lb) => sp.set(op.d, $le),
                None => return trap(ctx, ip, TrapKind::MemoryOutOfBounds),
            }
            next!(ctx, ip.next(), sp, mem)
        })*
        $(pub(super) fn $load_at(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
            let op = ip.op();
            let ea = (sp.get(op.a) as u32).wrapping_add(op.b) as usize;
            match mem.load::<$lbytes>(ea) {
                Some($lb) => sp.set(op.d, $le),
                None => return trap(ctx, ip, TrapKind::MemoryOutOfBounds),
            }
            next!(ctx, ip.next(), sp, mem)
        })*
        $(pub(super) fn $load_idx(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
            let op = ip.op();
            let ea = (sp.get(op.a) as u32).wrapping_add(sp.get(op.b) as u32) as usize;
            match mem.load::<$lbytes>(ea) {
                Some($lb) => sp.set(op.d, $le),
                None => return trap(ctx, ip, TrapKind::MemoryOutOfBounds),
            }
            next!(ctx, ip.next(), sp, mem)
        })*
        $(pub(super) fn $store(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
            let op = ip.op();
            let ea = sp.get(op.a) as u32 as usize + op.c as usize;
            let all = sp.get(op.b).to_le_bytes();
            let mut bytes = [0u8; $sbytes];
            bytes.copy_from_slice(&all[..$sbytes]);
            if !mem.store::<$sbytes>(ea, bytes) {
                return trap(ctx, ip, TrapKind::MemoryOutOfBounds);
            }
            next!(ctx, ip.next(), sp, mem)
        })*
    };
}

macro_rules! define_branch_handlers {
    (
        binary [$($bin:ident [$($bin_imm:ident)?] ($ba:ident, $bb:ident) => $be:expr;)*]
        compare [$($cmp:ident $cmp_imm:ident $br:ident $br_imm:ident $neg:ident ($ca:ident, $cb:ident) => $ce:expr;)*]
        binary_trap [$($bin_trap:ident ($ta:ident, $tb:ident) => $te:expr;)*]
        unary [$($un:ident ($ua:ident) => $ue:expr;)*]
        unary_trap [$($un_trap:ident ($va:ident) => $ve:expr;)*]
        load [$($load:ident $load_at:ident $load_idx:ident $lbytes:literal ($lb:ident) => $le:expr;)*]
        store [$($store:ident $sbytes:literal;)*]
        $backward:literal
    ) => {
        $(pub(super) fn $br(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
            let op = ip.op();
            let $ca = sp.get(op.a);
            let $cb = sp.get(op.b);
            if $ce {
                jump!($backward, ctx, ip, op.c, sp, mem)
            }
            next!(ctx, ip.next(), sp, mem)
        })*
        $(pub(super) fn $br_imm(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
            let op = ip.op();
            let $ca = sp.get(op.a);
            let $cb = op.b as i32 as i64 as u64;
            if $ce {
                jump!($backward, ctx, ip, op.c, sp, mem)
            }
            next!(ctx, ip.next(), sp, mem)
        })*

        pub(super) fn Br(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
            jump!($backward, ctx, ip, ip.op().c, sp, mem)
        }

        pub(super) fn BrNez(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
            let op = ip.op();
            if sp.get(op.a) as u32 != 0 {
                jump!($backward, ctx, ip, op.c, sp, mem)
            }
            next!(ctx, ip.next(), sp, mem)
        }

        pub(super) fn BrEqz(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
            let op = ip.op();
            if sp.get(op.a) as u32 == 0 {
                jump!($backward, ctx, ip, op.c, sp, mem)
            }
            next!(ctx, ip.next(), sp, mem)
        }

        pub(super) fn BrI64Nez(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
            let op = ip.op();
            if sp.get(op.a) != 0 {
                jump!($backward, ctx, ip, op.c, sp, mem)
            }
            next!(ctx, ip.next(), sp, mem)
        }

        pub(super) fn BrI64Eqz(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
            let op = ip.op();
            if sp.get(op.a) == 0 {
                jump!($backward, ctx, ip, op.c, sp, mem)
            }
            next!(ctx, ip.next(), sp, mem)
        }
    };
}

/// Branch handlers for forward jumps.
#[allow(non_snake_case)]
mod forward {
    use super::*;

    for_each_op!(define_branch_handlers, false);
}

/// Branch handlers for backward jumps (loops): they notice interrupts.
#[allow(non_snake_case)]
mod backward {
    use super::*;

    for_each_op!(define_branch_handlers, true);
}

/// The handlers, one per instruction, named after the [`Instr`] they run.
#[allow(non_snake_case)]
mod handlers {
    use super::*;

    for_each_op!(define_handlers);

    pub(super) fn Nop(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
        next!(ctx, ip.next(), sp, mem)
    }

    pub(super) fn Unreachable(ctx: &mut Ctx<'_>, ip: Ip, _sp: Sp, _mem: Mem) {
        trap(ctx, ip, TrapKind::Unreachable)
    }

    pub(super) fn Copy(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
        let op = ip.op();
        sp.set(op.d, sp.get(op.a));
        next!(ctx, ip.next(), sp, mem)
    }

    pub(super) fn Copy2(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
        let op = ip.op();
        let v = sp.get(op.a);
        sp.set(op.d, v);
        sp.set(op.b, v);
        next!(ctx, ip.next(), sp, mem)
    }

    pub(super) fn CopyWide(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
        let op = ip.op();
        let (lo, hi) = (sp.get(op.a), sp.get(op.a + 1));
        sp.set(op.d, lo);
        sp.set(op.d + 1, hi);
        next!(ctx, ip.next(), sp, mem)
    }

    pub(super) fn Const32(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
        let op = ip.op();
        sp.set(op.d, op.a as u64);
        next!(ctx, ip.next(), sp, mem)
    }

    pub(super) fn Const64(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
        let op = ip.op();
        sp.set(op.d, op.a as u64 | (op.b as u64) << 32);
        next!(ctx, ip.next(), sp, mem)
    }

    pub(super) fn ConstWide(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
        let op = ip.op();
        let v = ctx.code.v128_consts[op.a as usize];
        sp.set(op.d, v as u64);
        sp.set(op.d + 1, (v >> 64) as u64);
        next!(ctx, ip.next(), sp, mem)
    }

    pub(super) fn BrTable(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
        let op = ip.op();
        let i = (sp.get(op.a) as u32).min(op.c - 1);
        let rel = ctx.code.br_table_rel[(op.b + i) as usize];
        let target = ip.jump(rel);
        if rel <= 0 && ctx.interrupted() {
            return hand_over(ctx, target);
        }
        next!(ctx, target, sp, mem)
    }

    pub(super) fn Return(ctx: &mut Ctx<'_>, _ip: Ip, _sp: Sp, _mem: Mem) {
        if let Some(ip) = leave(ctx) {
            next!(ctx, ip, ctx.sp, ctx.mem)
        }
    }

    pub(super) fn Return1(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, _mem: Mem) {
        sp.set(0, sp.get(ip.op().a));
        if let Some(ip) = leave(ctx) {
            next!(ctx, ip, ctx.sp, ctx.mem)
        }
    }

    pub(super) fn Call(ctx: &mut Ctx<'_>, ip: Ip, _sp: Sp, _mem: Mem) {
        let op = ip.op();
        let callee = ctx.inst.funcs[op.a as usize];
        if let Some(ip) = enter(ctx, ip, callee, op.b, false) {
            next!(ctx, ip, ctx.sp, ctx.mem)
        }
    }

    pub(super) fn ReturnCall(ctx: &mut Ctx<'_>, ip: Ip, _sp: Sp, _mem: Mem) {
        let op = ip.op();
        let callee = ctx.inst.funcs[op.a as usize];
        if let Some(ip) = enter(ctx, ip, callee, op.b, true) {
            next!(ctx, ip, ctx.sp, ctx.mem)
        }
    }

    pub(super) fn CallIndirect(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, _mem: Mem) {
        let op = ip.op();
        if let Some(callee) = indirect_callee(ctx, ip, sp.get(op.a), op.c)
            && let Some(ip) = enter(ctx, ip, callee, op.b, false)
        {
            next!(ctx, ip, ctx.sp, ctx.mem)
        }
    }

    pub(super) fn ReturnCallIndirect(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, _mem: Mem) {
        let op = ip.op();
        if let Some(callee) = indirect_callee(ctx, ip, sp.get(op.a), op.c)
            && let Some(ip) = enter(ctx, ip, callee, op.b, true)
        {
            next!(ctx, ip, ctx.sp, ctx.mem)
        }
    }

    /// The function the `call_indirect` entry `entry` calls with table index `index`, or
    /// `None` after a trap.
    #[inline(never)]
    fn indirect_callee(ctx: &mut Ctx<'_>, ip: Ip, index: u64, entry: u32) -> Option<u32> {
        let ic = ctx.code.indirect[entry as usize];
        let index = index as u32 as usize;
        let table = &ctx.rt.tables[ctx.inst.tables[ic.table as usize] as usize];
        let kind = match table.elems.get(index) {
            None => TrapKind::UndefinedElement,
            Some(0) => TrapKind::UninitializedElement,
            Some(&r) => {
                let callee = (r - 1) as u32;
                if ctx.funcs[callee as usize].type_id() == ctx.inst.type_ids[ic.type_index as usize] {
                    return Some(callee);
                }
                TrapKind::IndirectCallTypeMismatch
            }
        };
        trap(ctx, ip, kind);
        None
    }

    pub(super) fn Select(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
        let op = ip.op();
        if sp.get(op.c) as u32 == 0 {
            sp.set(op.d, sp.get(op.b));
        }
        next!(ctx, ip.next(), sp, mem)
    }

    pub(super) fn SelectWide(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
        let op = ip.op();
        if sp.get(op.c) as u32 == 0 {
            let (lo, hi) = (sp.get(op.b), sp.get(op.b + 1));
            sp.set(op.d, lo);
            sp.set(op.d + 1, hi);
        }
        next!(ctx, ip.next(), sp, mem)
    }

    pub(super) fn GlobalGet(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
        let op = ip.op();
        sp.set(op.d, ctx.rt.globals[ctx.inst.globals[op.a as usize] as usize].bits as u64);
        next!(ctx, ip.next(), sp, mem)
    }

    pub(super) fn GlobalSet(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
        let op = ip.op();
        ctx.rt.globals[ctx.inst.globals[op.b as usize] as usize].bits = sp.get(op.a) as u128;
        next!(ctx, ip.next(), sp, mem)
    }

    pub(super) fn GlobalGetWide(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
        let op = ip.op();
        let bits = ctx.rt.globals[ctx.inst.globals[op.a as usize] as usize].bits;
        sp.set(op.d, bits as u64);
        sp.set(op.d + 1, (bits >> 64) as u64);
        next!(ctx, ip.next(), sp, mem)
    }

    pub(super) fn GlobalSetWide(ctx: &mut Ctx<'_>, ip: Ip, sp: Sp, mem: Mem) {
        let op = ip.op();
        let bits = sp.get(op.a) as u128 | ((sp.get(op.a + 1) as u128) << 64);
        ctx.rt.globals[ctx.inst.globals[op.b as usize] as usize].bits = bits;
        next!(ctx, ip.next(), sp, mem)
    }

    pub(super) fn Stack(ctx: &mut Ctx<'_>, ip: Ip, _sp: Sp, _mem: Mem) {
        let op = ip.op();
        if let Err(k) = stack_op(ctx, op.a, op.b) {
            return trap(ctx, ip, k);
        }
        ctx.sp = ctx.frame_sp();
        ctx.mem = ctx.current_mem();
        // The operation wrote the stack through a slice and may have grown the memory.
        next!(ctx, ip.next(), ctx.sp, ctx.mem)
    }

    /// Runs stack operation `i` over the current frame's operands below slot `height`.
    #[inline(never)]
    fn stack_op(ctx: &mut Ctx<'_>, i: u32, height: u32) -> Result<(), TrapKind> {
        let stack_op = ctx.code.stack_ops[i as usize];
        let end = ctx.base + ctx.code.frame_slots as usize;
        let mut st = SlotStack::new(&mut ctx.stack[ctx.base..end], height as usize);
        rare::execute(&stack_op, &mut st, RareContext { rt: &mut *ctx.rt, inst: ctx.inst, limits: ctx.limits })
    }
}

/// `t` (an instruction index) relative to `pc`.
fn rel(t: u32, pc: usize) -> u32 {
    (t as i64 - pc as i64) as i32 as u32
}

/// The forward or the backward handler of a branch from `pc` to `t`.
fn branch(t: u32, pc: usize, forward: Handler, backward: Handler) -> Handler {
    if (t as usize) <= pc { backward } else { forward }
}

fn op(handler: Handler, a: u32, b: u32, c: u32, d: u32) -> Op {
    Op { handler, a, b, c, d }
}

macro_rules! encode_match {
    (
        binary [$($bin:ident [$($bin_imm:ident)?] ($ba:ident, $bb:ident) => $be:expr;)*]
        compare [$($cmp:ident $cmp_imm:ident $br:ident $br_imm:ident $neg:ident ($ca:ident, $cb:ident) => $ce:expr;)*]
        binary_trap [$($bin_trap:ident ($ta:ident, $tb:ident) => $te:expr;)*]
        unary [$($un:ident ($ua:ident) => $ue:expr;)*]
        unary_trap [$($un_trap:ident ($va:ident) => $ve:expr;)*]
        load [$($load:ident $load_at:ident $load_idx:ident $lbytes:literal ($lb:ident) => $le:expr;)*]
        store [$($store:ident $sbytes:literal;)*]
        $instr:ident $pc:ident { $($rest:tt)* }
    ) => {
        match $instr {
            $(Instr::$bin { d, a, b } => op(handlers::$bin, a, b, 0, d),)*
            $($(Instr::$bin_imm { d, a, imm } => op(handlers::$bin_imm, a, imm as u32, 0, d),)?)*
            $(Instr::$cmp { d, a, b } => op(handlers::$cmp, a, b, 0, d),)*
            $(Instr::$cmp_imm { d, a, imm } => op(handlers::$cmp_imm, a, imm as u32, 0, d),)*
            $(Instr::$br { a, b, t } => op(branch(t, $pc, forward::$br, backward::$br), a, b, rel(t, $pc), 0),)*
            $(Instr::$br_imm { a, imm, t } => {
                op(branch(t, $pc, forward::$br_imm, backward::$br_imm), a, imm as u32, rel(t, $pc), 0)
            })*
            $(Instr::$bin_trap { d, a, b } => op(handlers::$bin_trap, a, b, 0, d),)*
            $(Instr::$un { d, a } => op(handlers::$un, a, 0, 0, d),)*
            $(Instr::$un_trap { d, a } => op(handlers::$un_trap, a, 0, 0, d),)*
            $(Instr::$load { d, a, off } => op(handlers::$load, a, off, 0, d),)*
            $(Instr::$load_at { d, a, k } => op(handlers::$load_at, a, k as u32, 0, d),)*
            $(Instr::$load_idx { d, a, b } => op(handlers::$load_idx, a, b, 0, d),)*
            $(Instr::$store { a, b, off } => op(handlers::$store, a, b, off, 0),)*
            $($rest)*
        }
    };
}

/// The threaded form of instruction `pc` of a verified body. Operands: `d` the slot written;
/// `a`, `b` the slots read (or `b` an immediate, a static offset, a second written slot, a
/// global or a table start); `c` a jump target relative to `pc`, a store's offset, a table
/// length or an indirect call's entry.
pub(crate) fn encode(instr: Instr, pc: usize) -> Op {
    use handlers as h;
    for_each_op!(encode_match, instr, pc, {
        Instr::Nop => op(h::Nop, 0, 0, 0, 0),
        Instr::Unreachable => op(h::Unreachable, 0, 0, 0, 0),
        Instr::Copy { d, a } => op(h::Copy, a, 0, 0, d),
        Instr::Copy2 { d, d2, a } => op(h::Copy2, a, d2, 0, d),
        Instr::CopyWide { d, a } => op(h::CopyWide, a, 0, 0, d),
        Instr::Const32 { d, imm } => op(h::Const32, imm, 0, 0, d),
        Instr::Const64 { d, imm } => op(h::Const64, imm as u32, (imm >> 32) as u32, 0, d),
        Instr::ConstWide { d, i } => op(h::ConstWide, i, 0, 0, d),
        Instr::Br { t } => op(branch(t, pc, forward::Br, backward::Br), 0, 0, rel(t, pc), 0),
        Instr::BrNez { a, t } => op(branch(t, pc, forward::BrNez, backward::BrNez), a, 0, rel(t, pc), 0),
        Instr::BrEqz { a, t } => op(branch(t, pc, forward::BrEqz, backward::BrEqz), a, 0, rel(t, pc), 0),
        Instr::BrI64Nez { a, t } => op(branch(t, pc, forward::BrI64Nez, backward::BrI64Nez), a, 0, rel(t, pc), 0),
        Instr::BrI64Eqz { a, t } => op(branch(t, pc, forward::BrI64Eqz, backward::BrI64Eqz), a, 0, rel(t, pc), 0),
        Instr::BrTable { a, start, len } => op(h::BrTable, a, start, len, 0),
        Instr::Return => op(h::Return, 0, 0, 0, 0),
        Instr::Return1 { a } => op(h::Return1, a, 0, 0, 0),
        Instr::Call { func, at } => op(h::Call, func, at, 0, 0),
        Instr::CallIndirect { i, a, at } => op(h::CallIndirect, a, at, i, 0),
        Instr::ReturnCall { func, at } => op(h::ReturnCall, func, at, 0, 0),
        Instr::ReturnCallIndirect { i, a, at } => op(h::ReturnCallIndirect, a, at, i, 0),
        Instr::Select { d, b, c } => op(h::Select, 0, b, c, d),
        Instr::SelectWide { d, b, c } => op(h::SelectWide, 0, b, c, d),
        Instr::GlobalGet { d, g } => op(h::GlobalGet, g, 0, 0, d),
        Instr::GlobalSet { a, g } => op(h::GlobalSet, a, g, 0, 0),
        Instr::GlobalGetWide { d, g } => op(h::GlobalGetWide, g, 0, 0, d),
        Instr::GlobalSetWide { a, g } => op(h::GlobalSetWide, a, g, 0, 0),
        Instr::Stack { i, h: height } => op(h::Stack, i, height, 0, 0),
    })
}

/// The threaded form of a verified body's instructions, and its `br_table` targets relative to
/// the `br_table` that uses them (see [`FuncCode::br_table_rel`]).
pub(crate) fn encode_body(code: &FuncCode) -> (Vec<Op>, Vec<i32>) {
    let ops = code.instrs.iter().enumerate().map(|(pc, &instr)| encode(instr, pc)).collect();
    let mut br_table_rel = vec![0; code.br_tables.len()];
    for (pc, instr) in code.instrs.iter().enumerate() {
        if let Instr::BrTable { start, len, .. } = *instr {
            let range = start as usize..(start + len) as usize;
            for (slot, &t) in br_table_rel[range.clone()].iter_mut().zip(&code.br_tables[range]) {
                *slot = rel(t, pc) as i32;
            }
        }
    }
    (ops, br_table_rel)
}
