//! Execution control: pausing and resuming threads, inspecting frames, limits, pending host
//! calls and trap backtraces.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use canopy_interp::code::Instr;
use canopy_interp::{
    Config, Engine, Error, Extern, FuncType, HostResult, Limits, Linker, Module, Outcome, PauseReason, Store, Thread,
    TrapKind, ValType, Value,
};

const SUM: &str = r#"
(module
  (func $sum (export "sum") (param $n i32) (result i32)
    (local $half i32)
    (local.set $half (i32.shr_u (local.get $n) (i32.const 1)))
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (local.get $n) (call $sum (i32.sub (local.get $n) (i32.const 1))))))))
"#;

fn instantiate(config: Config, text: &str) -> (Store, canopy_interp::Instance) {
    let engine = Engine::new(config);
    let module = Module::from_text(&engine, text).expect("module compiles");
    let mut store = Store::new(&engine);
    let instance = Linker::new().instantiate(&mut store, &module).expect("instantiates");
    (store, instance)
}

fn export_func(store: &Store, instance: canopy_interp::Instance, name: &str) -> canopy_interp::FuncAddr {
    match store.export(instance, name) {
        Some(Extern::Func(f)) => f,
        other => panic!("export {name} is {other:?}"),
    }
}

#[test]
fn pauses_deep_recursion_inspects_frames_and_resumes() {
    let (mut store, instance) = instantiate(Config::default(), SUM);
    let sum = export_func(&store, instance, "sum");
    let mut thread = Thread::new(&store, sum, &[Value::I32(500)]).unwrap();
    // An arbitrary number of instructions lands in the middle of the recursion.
    assert_eq!(thread.run(&mut store, Some(2_345)), Outcome::Paused(PauseReason::StepsExhausted));
    let frames = thread.frames(&store);
    assert!(frames.len() > 100, "expected a deep stack, got {} frames", frames.len());
    // Frame k (innermost first) is the call with n = 500 - (depth - 1 - k).
    let depth = frames.len() as i32;
    for (k, frame) in frames.iter().take(5).enumerate() {
        let n = 500 - (depth - 1 - k as i32);
        assert_eq!(frame.info.func_name.as_deref(), Some("sum"));
        assert_eq!(frame.locals[0], Value::I32(n), "frame {k}");
        if k > 0 {
            // Callers are suspended in `i32.add (local.get $n) (call ...)`: `n` is on their stack.
            assert_eq!(frame.locals[1], Value::I32(n >> 1), "frame {k}");
            assert_eq!(frame.operands, vec![n as u32 as u64], "frame {k}");
        }
    }
    // Resuming in several slices reaches the right answer.
    let mut outcome = thread.run(&mut store, Some(1_000));
    while outcome == Outcome::Paused(PauseReason::StepsExhausted) {
        outcome = thread.run(&mut store, Some(1_000));
    }
    assert_eq!(outcome, Outcome::Finished(vec![Value::I32(500 * 501 / 2)]));
}

#[test]
fn breakpoint_by_code_offset_stops_each_call() {
    let (mut store, instance) = instantiate(Config::default(), SUM);
    let sum = export_func(&store, instance, "sum");
    let code = store.instance_module(instance).unwrap().func_code(0).unwrap();
    let first_offset = code.offsets[0];
    let mut thread = Thread::new(&store, sum, &[Value::I32(3)]).unwrap();
    let bp = Thread::breakpoint_at_offset(&store, sum, first_offset).unwrap();
    thread.add_breakpoint(bp);
    let mut hits = Vec::new();
    loop {
        match thread.run(&mut store, None) {
            Outcome::Paused(PauseReason::Breakpoint) => {
                let top = &thread.frames(&store)[0];
                assert_eq!(top.info.code_offset, first_offset);
                hits.push(top.locals[0]);
            }
            Outcome::Finished(v) => {
                assert_eq!(v, vec![Value::I32(6)]);
                break;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(hits, vec![Value::I32(3), Value::I32(2), Value::I32(1), Value::I32(0)]);
}

/// `outer(n)` sums `mid(i)` for i < n; `mid` calls `leaf` for odd i only.
const CALL_CHAIN: &str = r#"
(module
  (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $mid (param i32) (result i32)
    (if (result i32) (i32.and (local.get 0) (i32.const 1))
      (then (call $leaf (local.get 0)))
      (else (local.get 0))))
  (func (export "outer") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (block
      (loop
        (br_if 1 (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (call $mid (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br 0)))
    (local.get $acc)))
"#;

/// Runs `thread` to the end, returning the result and the function index of every pause.
fn run_counting_pauses(thread: &mut Thread, store: &mut Store) -> (Vec<Value>, Vec<u32>) {
    let mut paused_in = Vec::new();
    loop {
        match thread.run(store, None) {
            Outcome::Paused(PauseReason::Breakpoint) => paused_in.push(thread.frames(store)[0].info.func_index),
            Outcome::Finished(values) => return (values, paused_in),
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[test]
fn breakpoints_are_found_across_calls_and_returns_between_fast_and_checked_code() {
    let (mut store, instance) = instantiate(Config::default(), CALL_CHAIN);
    let outer = export_func(&store, instance, "outer");
    let leaf = store.instance_func(instance, 0).unwrap();
    // Only `leaf` is watched: `outer` and `mid` run unchecked and must notice entering it.
    let mut thread = Thread::new(&store, outer, &[Value::I32(10)]).unwrap();
    thread.add_breakpoint(canopy_interp::Breakpoint { func: leaf, pc: 0 });
    let (result, paused_in) = run_counting_pauses(&mut thread, &mut store);
    assert_eq!(result, vec![Value::I32(45 + 5)]);
    assert_eq!(paused_in, vec![0; 5], "one pause per odd i, in leaf");

    // A breakpoint in `outer` just after `call $mid`: reached by returning from unwatched code.
    let code = store.instance_module(instance).unwrap().func_code(2).unwrap();
    let after_call = code.instrs.iter().position(|i| matches!(i, Instr::Call(_))).unwrap() as u32 + 1;
    let mut thread = Thread::new(&store, outer, &[Value::I32(10)]).unwrap();
    thread.add_breakpoint(canopy_interp::Breakpoint { func: outer, pc: after_call });
    thread.add_breakpoint(canopy_interp::Breakpoint { func: leaf, pc: 0 });
    let (result, paused_in) = run_counting_pauses(&mut thread, &mut store);
    assert_eq!(result, vec![Value::I32(50)]);
    assert_eq!(paused_in.iter().filter(|&&f| f == 2).count(), 10, "{paused_in:?}");
    assert_eq!(paused_in.iter().filter(|&&f| f == 0).count(), 5, "{paused_in:?}");

    // Removing the last breakpoint of a function stops the pauses there.
    let mut thread = Thread::new(&store, outer, &[Value::I32(10)]).unwrap();
    let bp = canopy_interp::Breakpoint { func: leaf, pc: 0 };
    thread.add_breakpoint(bp);
    assert_eq!(thread.run(&mut store, None), Outcome::Paused(PauseReason::Breakpoint));
    thread.remove_breakpoint(bp);
    assert_eq!(run_counting_pauses(&mut thread, &mut store), (vec![Value::I32(50)], vec![]));
}

#[test]
fn counter_updates_are_fused_but_not_across_a_loop_start() {
    // `$i = $i + 1`, `$acc = $acc + $i`, `$d = $d - 2`, `$e = $i` and the loop's test and branch
    // are fused; the `i32.add`
    // that starts the loop body takes its operands from before the loop (a branch target) and
    // is not.
    let text = r#"(module (func (export "f") (param $n i32) (result i32) (local $i i32) (local $acc i32) (local $d i32) (local $e i32)
        (local.get $n) (i32.const 0)
        (loop $l (param i32 i32) (result i32)
          (i32.add)
          (local.set $d (i32.sub (local.get $d) (i32.const 2)))
          (local.set $acc (i32.add (local.get $acc) (local.get $i)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (local.set $e (local.get $i))
          (br_if $l (local.get $i) (i32.const 0) (i32.lt_u (local.get $i) (local.get $n)))
          (drop) (drop))
        (drop)
        (i32.add (i32.add (local.get $acc) (local.get $d)) (local.get $e))))"#;
    let (mut store, instance) = instantiate(Config::default(), text);
    let code = store.instance_module(instance).unwrap().func_code(0).unwrap();
    let count = |pred: fn(&Instr) -> bool| code.instrs.iter().filter(|i| pred(i)).count();
    assert_eq!(count(|i| matches!(i, Instr::I32AddConstToLocal { .. })), 2, "{:?}", code.instrs);
    assert_eq!(count(|i| matches!(i, Instr::I32AddLocalsToLocal { .. })), 1, "{:?}", code.instrs);
    assert_eq!(count(|i| matches!(i, Instr::LocalCopy { .. })), 1, "{:?}", code.instrs);
    // The final `acc + d + e` reads `d` and `e` as operands of the adds.
    assert_eq!(count(|i| matches!(i, Instr::I32AddLocal(_))), 2, "{:?}", code.instrs);
    // The loop test and its `br_if` are one instruction.
    assert_eq!(count(|i| matches!(i, Instr::BrIfI32LtU(_))), 1, "{:?}", code.instrs);
    assert_eq!(count(|i| matches!(i, Instr::BrIf(_) | Instr::I32LtU)), 0, "{:?}", code.instrs);
    assert_eq!(count(|i| matches!(i, Instr::I32Add)), 1, "only the loop-start add stays: {:?}", code.instrs);
    assert_eq!(code.instrs.len(), code.offsets.len());
    // A counter update that is the first thing in a loop body is fused too.
    let text = r#"(module (func (export "g") (param $n i32) (result i32) (local $i i32)
        (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1))) (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
        (local.get $i)))"#;
    let (mut loop_store, loop_instance) = instantiate(Config::default(), text);
    let loop_code = loop_store.instance_module(loop_instance).unwrap().func_code(0).unwrap();
    assert!(matches!(loop_code.instrs[0], Instr::I32AddConstToLocal { .. }), "{:?}", loop_code.instrs);
    assert_eq!(loop_store.invoke(loop_instance, "g", &[Value::I32(9)]).unwrap(), vec![Value::I32(9)]);
    // n = 5: the loop runs for i = 0..5; acc = 0+1+2+3+4 = 10, d = -10, e = 5.
    assert_eq!(store.invoke(instance, "f", &[Value::I32(5)]).unwrap(), vec![Value::I32(5)]);
    assert_eq!(store.invoke(instance, "f", &[Value::I32(7)]).unwrap(), vec![Value::I32(21 - 14 + 7)]);
}

#[test]
fn set_local_changes_the_result() {
    let (mut store, instance) = instantiate(Config::default(), SUM);
    let sum = export_func(&store, instance, "sum");
    let mut thread = Thread::new(&store, sum, &[Value::I32(10)]).unwrap();
    assert_eq!(thread.run(&mut store, Some(1)), Outcome::Paused(PauseReason::StepsExhausted));
    thread.set_local(&store, 0, 0, Value::I32(4)).unwrap();
    assert_eq!(thread.run(&mut store, None), Outcome::Finished(vec![Value::I32(10)]));
}

#[test]
fn hundred_thousand_deep_recursion_traps_cleanly() {
    let (mut store, instance) = instantiate(Config::default(), SUM);
    let trap = store.invoke(instance, "sum", &[Value::I32(100_000)]).unwrap_err();
    assert_eq!(trap.kind, TrapKind::CallStackExhausted);
    assert!(trap.to_string().starts_with("call stack exhausted"), "{trap}");
    assert_eq!(trap.backtrace.len(), Limits::default().max_call_depth);
    assert_eq!(trap.backtrace[0].func_name.as_deref(), Some("sum"));
}

fn with_limits(f: impl FnOnce(&mut Limits)) -> Config {
    let mut limits = Limits::default();
    f(&mut limits);
    Config { limits }
}

#[test]
fn call_depth_limit_is_configurable() {
    let (mut store, instance) = instantiate(with_limits(|l| l.max_call_depth = 50), SUM);
    assert_eq!(store.invoke(instance, "sum", &[Value::I32(40)]).unwrap(), vec![Value::I32(820)]);
    let trap = store.invoke(instance, "sum", &[Value::I32(60)]).unwrap_err();
    assert_eq!(trap.kind, TrapKind::CallStackExhausted);
    assert!(trap.to_string().contains("max_call_depth"));
}

#[test]
fn value_stack_limit_traps() {
    let (mut store, instance) = instantiate(with_limits(|l| l.max_stack_slots = 400), SUM);
    assert_eq!(store.invoke(instance, "sum", &[Value::I32(5)]).unwrap(), vec![Value::I32(15)]);
    let trap = store.invoke(instance, "sum", &[Value::I32(1000)]).unwrap_err();
    assert_eq!(trap.kind, TrapKind::ValueStackExhausted);
    assert!(trap.to_string().contains("max_stack_slots"));
}

const LOOP: &str = r#"
(module
  (func (export "count") (param $n i32) (result i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $i)))
"#;

#[test]
fn fuel_limit_traps_and_can_be_refilled() {
    let (mut store, instance) = instantiate(with_limits(|l| l.fuel = Some(1_000)), LOOP);
    assert_eq!(store.invoke(instance, "count", &[Value::I32(100)]).unwrap(), vec![Value::I32(100)]);
    let trap = store.invoke(instance, "count", &[Value::I32(10_000)]).unwrap_err();
    assert_eq!(trap.kind, TrapKind::FuelExhausted);
    assert!(trap.to_string().contains("fuel"));
    store.set_fuel(1_000_000);
    assert_eq!(store.invoke(instance, "count", &[Value::I32(10_000)]).unwrap(), vec![Value::I32(10_000)]);
}

const GROW: &str = r#"
(module
  (memory 1)
  (table 1 funcref)
  (func (export "grow_memory") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "grow_table") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))
"#;

#[test]
fn memory_page_limit_traps_on_grow_and_rejects_large_memories() {
    let config = with_limits(|l| l.max_memory_pages = 4);
    let (mut store, instance) = instantiate(config, GROW);
    assert_eq!(store.invoke(instance, "grow_memory", &[Value::I32(3)]).unwrap(), vec![Value::I32(1)]);
    let trap = store.invoke(instance, "grow_memory", &[Value::I32(1)]).unwrap_err();
    assert_eq!(trap.kind, TrapKind::MemoryLimitExceeded);
    assert!(trap.to_string().contains("max_memory_pages"));
    let engine = Engine::new(config);
    let big = Module::from_text(&engine, "(module (memory 5))").unwrap();
    let err = Linker::new().instantiate(&mut Store::new(&engine), &big).unwrap_err();
    assert!(matches!(err, Error::Limit(ref m) if m.contains("max_memory_pages")), "{err}");
}

#[test]
fn table_size_limit_traps_on_grow() {
    let (mut store, instance) = instantiate(with_limits(|l| l.max_table_elements = 10), GROW);
    assert_eq!(store.invoke(instance, "grow_table", &[Value::I32(9)]).unwrap(), vec![Value::I32(1)]);
    let trap = store.invoke(instance, "grow_table", &[Value::I32(1)]).unwrap_err();
    assert_eq!(trap.kind, TrapKind::TableLimitExceeded);
    assert!(trap.to_string().contains("max_table_elements"));
}

#[test]
fn pending_host_call_suspends_and_resumes() {
    let engine = Engine::default();
    let module = Module::from_text(
        &engine,
        r#"(module
             (import "host" "fetch" (func $fetch (param i32) (result i32)))
             (func (export "twice") (param i32) (result i32)
               (i32.mul (call $fetch (local.get 0)) (i32.const 2))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine);
    let mut linker = Linker::new();
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let ty = FuncType { params: vec![ValType::I32], results: vec![ValType::I32] };
    let fetch = linker.func(&mut store, "host", "fetch", ty, move |_, args| {
        assert_eq!(args, &[Value::I32(20)]);
        seen.fetch_add(1, Ordering::SeqCst);
        HostResult::Pending
    });
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let twice = export_func(&store, instance, "twice");
    let mut thread = Thread::new(&store, twice, &[Value::I32(20)]).unwrap();
    let Outcome::Pending(id) = thread.run(&mut store, None) else { panic!("expected pending") };
    assert_eq!(id.func, fetch);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    // Running again without results keeps waiting.
    assert!(matches!(thread.run(&mut store, None), Outcome::Pending(_)));
    assert!(thread.resume_host(&store, &[Value::I64(1)]).is_err(), "wrong result type is rejected");
    thread.resume_host(&store, &[Value::I32(21)]).unwrap();
    assert_eq!(thread.run(&mut store, None), Outcome::Finished(vec![Value::I32(42)]));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[test]
fn trap_carries_named_backtrace() {
    let (mut store, instance) = instantiate(
        Config::default(),
        r#"(module
             (func $inner (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
             (func $outer (export "outer") (param i32) (result i32) (call $inner (local.get 0))))"#,
    );
    let trap = store.invoke(instance, "outer", &[Value::I32(0)]).unwrap_err();
    assert_eq!(trap.kind, TrapKind::IntegerDivideByZero);
    let names: Vec<_> = trap.backtrace.iter().map(|f| f.func_name.clone().unwrap_or_default()).collect();
    assert_eq!(names, vec!["inner", "outer"]);
    let module = store.instance_module(instance).unwrap();
    let offset_of = |func: u32, instr: Instr| {
        let code = module.func_code(func).unwrap();
        code.offsets[code.instrs.iter().position(|i| *i == instr).unwrap()]
    };
    assert_eq!(trap.backtrace[0].code_offset, offset_of(0, Instr::I32DivU));
    assert_eq!(trap.backtrace[1].code_offset, offset_of(1, Instr::Call(0)));
}

#[test]
fn unsupported_proposals_are_reported_not_panicking() {
    let engine = Engine::default();
    let err = Module::from_text(&engine, "(module (memory i64 1))").unwrap_err();
    assert!(matches!(err, Error::Unsupported { .. }), "{err}");
    let err = Module::from_text(&engine, "(module (type (struct (field i32))))").unwrap_err();
    assert!(matches!(err, Error::Unsupported { .. }), "{err}");
    let err = Module::new(&engine, b"\0asm\x01\0\0\0\x01").unwrap_err();
    assert!(matches!(err, Error::Invalid { .. }), "{err}");
}
