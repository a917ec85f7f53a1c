//! Execution control: pausing and resuming threads, inspecting frames, limits, pending host
//! calls and trap backtraces.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use canopy_interp::{
    Config, Engine, Error, Extern, FuncType, HostResult, Limits, Linker, Module, Outcome, PauseReason, RunUntil, Store,
    Thread, ThreadState, TrapKind, ValType, Value,
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

/// Every operator of function body `defined` (0 = first defined function) of the module `text`
/// encodes to: its code-section offset and its name (`Debug` of wasmparser's operator, up to
/// the first space or brace).
fn operator_offsets(text: &str, defined: usize) -> Vec<(u32, String)> {
    let bytes = wat::parse_str(text).unwrap();
    let mut code_start = 0;
    let mut bodies = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(&bytes) {
        match payload.unwrap() {
            wasmparser::Payload::CodeSectionStart { unchecked_range, .. } => code_start = unchecked_range.start,
            wasmparser::Payload::CodeSectionEntry(body) => bodies.push(body),
            _ => {}
        }
    }
    let mut reader = bodies[defined].get_operators_reader().unwrap();
    let mut ops = Vec::new();
    while !reader.eof() {
        let (op, offset) = reader.read_with_offset().unwrap();
        let name = format!("{op:?}");
        let name = name.split([' ', '{']).next().unwrap_or_default().to_string();
        ops.push(((offset - code_start) as u32, name));
    }
    ops
}

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
    assert_eq!(thread.state(), ThreadState::NotStarted);
    // An arbitrary number of instructions lands in the middle of the recursion.
    assert_eq!(thread.run(&mut store, Some(2_345)), Outcome::Paused(PauseReason::StepsExhausted));
    assert_eq!(thread.state(), ThreadState::Paused);
    let frames = thread.frames(&store).unwrap();
    assert!(frames.len() > 100, "expected a deep stack, got {} frames", frames.len());
    // Frame k (innermost first) is the call with n = 500 - (depth - 1 - k).
    let depth = frames.len() as i32;
    for (k, frame) in frames.iter().take(5).enumerate() {
        let n = 500 - (depth - 1 - k as i32);
        assert_eq!(frame.info.func_name.as_deref(), Some("sum"));
        assert_eq!(frame.locals[0], Value::I32(n), "frame {k}");
        if k > 0 {
            // Callers are suspended in `i32.add (local.get $n) (call ...)`: `n` is on their
            // stack, typed, and the call's argument is not shown.
            assert_eq!(frame.locals[1], Value::I32(n >> 1), "frame {k}");
            assert_eq!(frame.operands, vec![Value::I32(n)], "frame {k}");
        }
    }
    // Resuming in several slices reaches the right answer.
    let mut outcome = thread.run(&mut store, Some(1_000));
    while outcome == Outcome::Paused(PauseReason::StepsExhausted) {
        outcome = thread.run(&mut store, Some(1_000));
    }
    assert_eq!(outcome, Outcome::Finished(vec![Value::I32(500 * 501 / 2)]));
    assert_eq!(thread.state(), ThreadState::Done);
}

#[test]
fn breakpoint_by_code_offset_stops_each_call() {
    let (mut store, instance) = instantiate(Config::default(), SUM);
    let sum = export_func(&store, instance, "sum");
    let first_offset = operator_offsets(SUM, 0)[0].0;
    assert_eq!(store.instruction_offsets(sum).unwrap()[0], first_offset);
    let bp = store.add_breakpoint(sum, first_offset).unwrap();
    assert_eq!(bp.offset, first_offset);
    let mut thread = Thread::new(&store, sum, &[Value::I32(3)]).unwrap();
    let mut hits = Vec::new();
    loop {
        match thread.run(&mut store, None) {
            Outcome::Paused(PauseReason::Breakpoint) => {
                let top = &thread.frames(&store).unwrap()[0];
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
            Outcome::Paused(PauseReason::Breakpoint) => {
                paused_in.push(thread.frames(store).unwrap()[0].info.func_index)
            }
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
    // Only `leaf` is watched: `outer` and `mid` run fast and must notice entering it.
    let leaf_bp = store.add_breakpoint(leaf, 0).unwrap();
    let mut thread = Thread::new(&store, outer, &[Value::I32(10)]).unwrap();
    let (result, paused_in) = run_counting_pauses(&mut thread, &mut store);
    assert_eq!(result, vec![Value::I32(45 + 5)]);
    assert_eq!(paused_in, vec![0; 5], "one pause per odd i, in leaf");

    // A breakpoint in `outer` just after `call $mid`: reached by returning from fast code.
    let ops = operator_offsets(CALL_CHAIN, 2);
    let call = ops.iter().position(|(_, name)| name == "Call").unwrap();
    let after_call = ops[call + 1].0;
    let bp = store.add_breakpoint(outer, after_call).unwrap();
    assert_eq!(bp.offset, after_call);
    let mut thread = Thread::new(&store, outer, &[Value::I32(10)]).unwrap();
    let (result, paused_in) = run_counting_pauses(&mut thread, &mut store);
    assert_eq!(result, vec![Value::I32(50)]);
    assert_eq!(paused_in.iter().filter(|&&f| f == 2).count(), 10, "{paused_in:?}");
    assert_eq!(paused_in.iter().filter(|&&f| f == 0).count(), 5, "{paused_in:?}");

    // Removing the breakpoints stops the pauses, also in a thread already paused.
    assert!(store.remove_breakpoint(bp));
    let mut thread = Thread::new(&store, outer, &[Value::I32(10)]).unwrap();
    assert_eq!(thread.run(&mut store, None), Outcome::Paused(PauseReason::Breakpoint));
    assert!(store.remove_breakpoint(leaf_bp));
    assert!(store.breakpoints().is_empty());
    assert_eq!(run_counting_pauses(&mut thread, &mut store), (vec![Value::I32(50)], vec![]));
}

/// A loop whose body the translator fuses heavily (constant and local operands, a compare and
/// branch, results written straight into locals).
const FUSED: &str = r#"(module (func (export "f") (param $n i32) (result i32) (local $i i32) (local $acc i32) (local $d i32) (local $e i32)
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

#[test]
fn fused_code_computes_what_the_unfused_does() {
    let (mut store, instance) = instantiate(Config::default(), FUSED);
    // n = 5: the loop runs for i = 0..5; acc = 0+1+2+3+4 = 10, d = -10, e = 5.
    assert_eq!(store.invoke(instance, "f", &[Value::I32(5)]).unwrap(), vec![Value::I32(5)]);
    assert_eq!(store.invoke(instance, "f", &[Value::I32(7)]).unwrap(), vec![Value::I32(21 - 14 + 7)]);
    // The same with every instruction watched (the debug form throughout).
    let f = export_func(&store, instance, "f");
    for offset in store.instruction_offsets(f).unwrap() {
        store.add_breakpoint(f, offset).unwrap();
    }
    let mut thread = Thread::new(&store, f, &[Value::I32(7)]).unwrap();
    let (result, pauses) = run_counting_pauses(&mut thread, &mut store);
    assert_eq!(result, vec![Value::I32(21 - 14 + 7)]);
    assert!(pauses.len() > 7 * 20, "{} pauses", pauses.len());
}

#[test]
fn a_breakpoint_at_every_offset_is_hit_exactly_there() {
    for (text, export, defined, args, expect) in [
        (FUSED, "f", 0, vec![Value::I32(3)], Value::I32(3 - 6 + 3)),
        (CALL_CHAIN, "outer", 2, vec![Value::I32(4)], Value::I32(8)),
        (CALL_CHAIN, "outer", 1, vec![Value::I32(4)], Value::I32(8)),
        (SUM, "sum", 0, vec![Value::I32(3)], Value::I32(6)),
    ] {
        let (mut store, instance) = instantiate(Config::default(), text);
        let entry = export_func(&store, instance, export);
        let target = store.instance_func(instance, defined as u32).unwrap();
        let offsets = store.instruction_offsets(target).unwrap();
        // Every wasm instruction of the body is a place to stop (`end`s included).
        let wasm_ops: Vec<u32> = operator_offsets(text, defined).iter().map(|o| o.0).collect();
        for offset in &offsets {
            assert!(wasm_ops.contains(offset), "{offset:#x} is not an instruction of {export}");
        }
        for offset in offsets {
            let bp = store.add_breakpoint(target, offset).unwrap();
            assert_eq!(bp.offset, offset);
            let mut thread = Thread::new(&store, entry, &args).unwrap();
            let mut hits = 0;
            let result = loop {
                match thread.run(&mut store, None) {
                    Outcome::Paused(PauseReason::Breakpoint) => {
                        let top = &thread.frames(&store).unwrap()[0];
                        assert_eq!(top.info.code_offset, offset, "{export}: paused elsewhere");
                        hits += 1;
                    }
                    Outcome::Finished(v) => break v,
                    other => panic!("unexpected {other:?}"),
                }
            };
            assert_eq!(result, vec![expect], "{export} with a breakpoint at {offset:#x}");
            store.remove_breakpoint(bp);
            // Instructions after the function's first `return`-like exit may be unreachable
            // for these arguments; everything else is reached at least once.
            let _ = hits;
        }
    }
}

#[test]
fn single_stepping_visits_every_instruction_in_order() {
    // A body without branches: stepping must visit each operator once, in order.
    let text = r#"(module (global $g (mut i32) (i32.const 5))
        (func (export "f") (param $x i32) (result i32) (local $y i32)
          (local.set $y (i32.mul (local.get $x) (i32.const 3)))
          (global.set $g (i32.add (global.get $g) (local.get $y)))
          (block (result i32) (i32.sub (local.get $y) (i32.const 1)))
          (drop)
          (i32.add (local.get $y) (global.get $g))))"#;
    let (mut store, instance) = instantiate(Config::default(), text);
    let f = export_func(&store, instance, "f");
    let expected: Vec<u32> = operator_offsets(text, 0).iter().map(|o| o.0).collect();
    let mut thread = Thread::new(&store, f, &[Value::I32(2)]).unwrap();
    let mut visited = Vec::new();
    let result = loop {
        match thread.run(&mut store, Some(1)) {
            Outcome::Paused(PauseReason::StepsExhausted) => {
                visited.push(thread.frames(&store).unwrap()[0].info.code_offset)
            }
            Outcome::Finished(v) => break v,
            other => panic!("unexpected {other:?}"),
        }
    };
    assert_eq!(result, vec![Value::I32(6 + 11)]);
    // The first instruction is where the thread starts; each step stops before the next one.
    assert_eq!(visited, expected[1..].to_vec());
}

#[test]
fn step_over_and_step_out_stop_at_the_right_depth() {
    let (mut store, instance) = instantiate(Config::default(), CALL_CHAIN);
    let outer = export_func(&store, instance, "outer");
    let leaf = store.instance_func(instance, 0).unwrap();
    let bp = store.add_breakpoint(leaf, 0).unwrap();
    let mut thread = Thread::new(&store, outer, &[Value::I32(4)]).unwrap();
    assert_eq!(thread.run(&mut store, None), Outcome::Paused(PauseReason::Breakpoint));
    assert_eq!(thread.depth(), 3);
    store.remove_breakpoint(bp);
    // Step out of `leaf`: the next stop is in `mid`, just after the call.
    let out = thread.run_until(&mut store, RunUntil { depth: Some(2), ..RunUntil::default() });
    assert_eq!(out, Outcome::Paused(PauseReason::DepthReached));
    let frames = thread.frames(&store).unwrap();
    assert_eq!(frames.len(), 2);
    assert_eq!(frames[0].info.func_index, 1);
    // `leaf(1)` returned 2: it is on `mid`'s stack now.
    assert_eq!(frames[0].operands, vec![Value::I32(2)]);
    // Step out again, then step over instructions of `outer` until its next call is passed.
    let out = thread.run_until(&mut store, RunUntil { depth: Some(1), ..RunUntil::default() });
    assert_eq!(out, Outcome::Paused(PauseReason::DepthReached));
    assert_eq!(thread.depth(), 1);
    let mut steps = 0;
    while thread.depth() == 1 && steps < 100 {
        match thread.run_until(&mut store, RunUntil { depth: Some(1), ..RunUntil::default() }) {
            Outcome::Paused(_) => steps += 1,
            Outcome::Finished(v) => {
                // mid(0) + mid(1) + mid(2) + mid(3) = 0 + 2 + 2 + 4.
                assert_eq!(v, vec![Value::I32(8)]);
                break;
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(thread.depth() <= 1, "step over entered a call");
    }
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
fn set_operand_changes_the_result() {
    let text = r#"(module (func (export "f") (param i32) (result i32)
        (i32.add (local.get 0) (i32.const 10))))"#;
    let (mut store, instance) = instantiate(Config::default(), text);
    let f = export_func(&store, instance, "f");
    let mut thread = Thread::new(&store, f, &[Value::I32(1)]).unwrap();
    // Before `i32.add`: the operands are `1` and `10`.
    assert_eq!(thread.run(&mut store, Some(2)), Outcome::Paused(PauseReason::StepsExhausted));
    assert_eq!(thread.frames(&store).unwrap()[0].operands, vec![Value::I32(1), Value::I32(10)]);
    assert!(thread.set_operand(&store, 0, 1, Value::I64(3)).is_err(), "the type is checked");
    thread.set_operand(&store, 0, 1, Value::I32(100)).unwrap();
    assert_eq!(thread.run(&mut store, None), Outcome::Finished(vec![Value::I32(101)]));
}

#[test]
fn unexported_globals_and_offsets_are_reachable() {
    let text = r#"(module (global $sp (mut i32) (i32.const 1024)) (memory 1)
        (func $a (result i32) (global.get $sp))
        (func (export "b") (result i32) (call $a)))"#;
    let (store, instance) = instantiate(Config::default(), text);
    let g = store.instance_global(instance, 0).unwrap();
    assert_eq!(store.global_value(g), Some(Value::I32(1024)));
    assert!(store.instance_memory(instance, 0).is_some());
    let a_ops = operator_offsets(text, 0);
    let b_ops = operator_offsets(text, 1);
    assert_eq!(store.func_at_offset(instance, a_ops[0].0), store.instance_func(instance, 0));
    assert_eq!(store.func_at_offset(instance, b_ops[0].0), store.instance_func(instance, 1));
    assert_eq!(store.func_at_offset(instance, 0), None);
}

#[test]
fn hundred_thousand_deep_recursion_traps_cleanly() {
    let (mut store, instance) = instantiate(Config::default(), SUM);
    let trap = store.invoke(instance, "sum", &[Value::I32(100_000)]).unwrap_err();
    assert_eq!(trap.kind, TrapKind::CallStackExhausted { limit: 10_000 });
    assert!(trap.to_string().starts_with("call stack exhausted (limit max_call_depth = 10000 frames)"), "{trap}");
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
    // The message says the limit's value, not only its name.
    assert_eq!(trap.kind, TrapKind::CallStackExhausted { limit: 50 });
    assert!(trap.to_string().contains("max_call_depth = 50 frames"), "{trap}");
}

#[test]
fn value_stack_limit_traps() {
    let (mut store, instance) = instantiate(with_limits(|l| l.max_stack_slots = 400), SUM);
    assert_eq!(store.invoke(instance, "sum", &[Value::I32(5)]).unwrap(), vec![Value::I32(15)]);
    let trap = store.invoke(instance, "sum", &[Value::I32(1000)]).unwrap_err();
    assert_eq!(trap.kind, TrapKind::ValueStackExhausted { limit: 400 });
    assert!(trap.to_string().contains("max_stack_slots = 400 slots"), "{trap}");
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
    assert_eq!(trap.kind, TrapKind::FuelExhausted { limit: 1_000 });
    assert!(trap.to_string().contains("fuel exhausted (limit fuel = 1000)"), "{trap}");
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
    let text = r#"(module
             (func $inner (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
             (func $outer (export "outer") (param i32) (result i32) (call $inner (local.get 0))))"#;
    let offset_of =
        |defined: usize, name: &str| operator_offsets(text, defined).into_iter().find(|(_, n)| n == name).unwrap().0;
    assert_eq!(trap.backtrace[0].code_offset, offset_of(0, "I32DivU"));
    assert_eq!(trap.backtrace[1].code_offset, offset_of(1, "Call"));
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

/// Resident memory of this process in KiB (Linux), from `/proc/self/status`.
fn resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn memory_grow_commits_only_what_is_touched() {
    let (mut store, instance) = instantiate(
        Config::default(),
        r#"(module (memory (export "memory") 1)
             (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
             (func (export "poke") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
             (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0))))"#,
    );
    let before = resident_kib();
    // To 4 GiB, the largest 32-bit memory.
    assert_eq!(store.invoke(instance, "grow", &[Value::I32(65535)]).unwrap(), vec![Value::I32(1)]);
    let last = (65536u64 * 65536 - 1) as u32 as i32;
    store.invoke(instance, "poke", &[Value::I32(last), Value::I32(7)]).unwrap();
    assert_eq!(store.invoke(instance, "peek", &[Value::I32(last)]).unwrap(), vec![Value::I32(7)]);
    assert_eq!(store.invoke(instance, "peek", &[Value::I32(123_456_789)]).unwrap(), vec![Value::I32(0)]);
    // Beyond 4 GiB it fails as the spec says, with -1.
    assert_eq!(store.invoke(instance, "grow", &[Value::I32(1)]).unwrap(), vec![Value::I32(-1)]);
    if let (Some(before), Some(after)) = (before, resident_kib()) {
        // Growing by 4 GiB wrote (and committed) almost nothing.
        assert!(after < before + 256 * 1024, "resident memory grew from {before} KiB to {after} KiB");
    }
}

#[test]
fn an_interrupt_pauses_an_endless_loop_where_it_can_resume() {
    let text = r#"(module (global $n (mut i32) (i32.const 0))
        (func $spin (export "spin") (loop $l (global.set $n (i32.add (global.get $n) (i32.const 1))) (br $l)))
        (func (export "count") (result i32) (global.get $n)))"#;
    let (mut store, instance) = instantiate(Config::default(), text);
    let spin = export_func(&store, instance, "spin");
    let flag = store.interrupt_handle();
    let mut thread = Thread::new(&store, spin, &[]).unwrap();
    for _ in 0..3 {
        let setter = {
            let flag = flag.clone();
            std::thread::spawn(move || {
                std::thread::sleep(std::time::Duration::from_millis(30));
                flag.store(true, Ordering::SeqCst);
            })
        };
        assert_eq!(thread.run(&mut store, None), Outcome::Paused(PauseReason::Interrupted));
        setter.join().unwrap();
        assert!(!flag.load(Ordering::SeqCst), "the pause clears the flag");
        // Paused inside `spin`, at a place a debugger can show and resume from.
        let frames = thread.frames(&store).unwrap();
        assert_eq!(frames[0].info.func_name.as_deref(), Some("spin"));
    }
    let count = store.global_value(store.instance_global(instance, 0).unwrap()).unwrap();
    assert!(matches!(count, Value::I32(n) if n > 1000), "the loop ran: {count:?}");
}

#[test]
fn an_address_add_fused_into_a_load_wraps_like_i32_add() {
    let text = r#"(module (memory 1) (data (i32.const 8) "\2a")
        (func (export "f") (param i32) (result i32) (i32.load8_u (i32.add (local.get 0) (i32.const 16)))))"#;
    let (mut store, instance) = instantiate(Config::default(), text);
    // 0xfffffff8 + 16 wraps to 8, where the byte 42 is; no wrap would be out of bounds.
    assert_eq!(store.invoke(instance, "f", &[Value::I32(-8)]).unwrap(), vec![Value::I32(42)]);
    assert_eq!(store.invoke(instance, "f", &[Value::I32(-16)]).unwrap(), vec![Value::I32(0)]);
    // Out of bounds: the trap names the load's offset, not the add's.
    let trap = store.invoke(instance, "f", &[Value::I32(65536)]).unwrap_err();
    assert_eq!(trap.kind, TrapKind::MemoryOutOfBounds);
    let load = operator_offsets(text, 0).into_iter().find(|(_, n)| n == "I32Load8U").unwrap().0;
    assert_eq!(trap.backtrace[0].code_offset, load);
}

#[test]
fn an_address_sum_fused_into_a_load_wraps_like_i32_add() {
    let text = r#"(module (memory 1) (data (i32.const 8) "\2a\00\01\02")
        (func (export "f") (param i32 i32) (result i32) (i32.load (i32.add (local.get 0) (local.get 1)))))"#;
    let (mut store, instance) = instantiate(Config::default(), text);
    // 0xfffffff8 + 16 wraps to 8, where the word 0x0201002a is; no wrap would be out of bounds.
    let call = |store: &mut Store, a: i32, b: i32| store.invoke(instance, "f", &[Value::I32(a), Value::I32(b)]);
    assert_eq!(call(&mut store, -8, 16).unwrap(), vec![Value::I32(0x0201_002a)]);
    assert_eq!(call(&mut store, 16, -8).unwrap(), vec![Value::I32(0x0201_002a)]);
    assert_eq!(call(&mut store, 4, 5).unwrap(), vec![Value::I32(0x0002_0100)]);
    // The last word of memory is in bounds, one byte further is not; the trap names the load.
    assert_eq!(call(&mut store, 65000, 532).unwrap(), vec![Value::I32(0)]);
    let trap = call(&mut store, 65000, 533).unwrap_err();
    assert_eq!(trap.kind, TrapKind::MemoryOutOfBounds);
    let load = operator_offsets(text, 0).into_iter().find(|(_, n)| n == "I32Load").unwrap().0;
    assert_eq!(trap.backtrace[0].code_offset, load);
}
