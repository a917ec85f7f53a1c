//! The host-call seams a component runtime builds on: calls named by a token and completed
//! with results, a trap or a cancel; a callee run on the waiting thread itself (one sequence
//! of frames across instances); memories reached by index and by address with bounds checks;
//! the embedder's data.

use canopy_interp::{
    Engine, Extern, FuncAddr, FuncType, HostCompletion, HostResult, Instance, Linker, Module, Outcome, PauseReason,
    Store, Thread, TrapKind, ValType, Value,
};

/// `caller` imports `host.lowered: (i32) -> i32` (a lowered import the host completes) and
/// exports `run(x) = lowered(x * 2) + 1`; `callee` exports `triple(x) = x * 3`, with its own
/// memory holding "callee" at 16.
const CALLER: &str = r#"(module
  (import "host" "lowered" (func $lowered (param i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 8) "caller")
  (func (export "run") (param i32) (result i32)
    (i32.add (call $lowered (i32.mul (local.get 0) (i32.const 2))) (i32.const 1)))
  (func (export "tail") (param i32) (result i32)
    (return_call $lowered (local.get 0))))"#;

const CALLEE: &str = r#"(module
  (memory (export "memory") 1)
  (data (i32.const 16) "callee")
  (func $triple (export "triple") (param i32) (result i32)
    (i32.mul (local.get 0) (i32.const 3))))"#;

struct World {
    store: Store,
    caller: Instance,
    callee: Instance,
    lowered: FuncAddr,
}

fn func(store: &Store, instance: Instance, name: &str) -> FuncAddr {
    match store.export(instance, name) {
        Some(Extern::Func(f)) => f,
        other => panic!("export {name} is {other:?}"),
    }
}

/// Both instances; `lowered` pends, after checking it can read both memories.
fn world() -> World {
    let engine = Engine::default();
    let mut store = Store::new(&engine);
    let callee = Linker::new().instantiate(&mut store, &Module::from_text(&engine, CALLEE).unwrap()).unwrap();
    let Some(Extern::Memory(callee_memory)) = store.export(callee, "memory") else { panic!("callee memory") };
    let mut linker = Linker::new();
    let ty = FuncType { params: vec![ValType::I32], results: vec![ValType::I32] };
    let lowered = linker.func(&mut store, "host", "lowered", ty, move |caller, _args| {
        // The calling instance's memory by index, the callee's by store address.
        let own = caller.memory_address(0).expect("the caller has a memory");
        assert_eq!(caller.read(own, 8, 6).unwrap(), b"caller");
        assert_eq!(caller.read(callee_memory, 16, 6).unwrap(), b"callee");
        if let Some(count) = caller.data::<u32>() {
            *count += 1;
        }
        HostResult::Pending
    });
    let caller = linker.instantiate(&mut store, &Module::from_text(&engine, CALLER).unwrap()).unwrap();
    World { store, caller, callee, lowered }
}

#[test]
fn a_nested_call_runs_on_the_waiting_thread_and_pauses_inside_it() {
    let World { mut store, caller, callee, lowered } = world();
    store.set_data(Box::new(0u32));
    let run = func(&store, caller, "run");
    let triple = func(&store, callee, "triple");
    let mut thread = Thread::new(&store, run, &[Value::I32(7)]).unwrap();
    let Outcome::Pending(id) = thread.run(&mut store, None) else { panic!("expected the lowered import to pend") };
    assert_eq!(id.func, lowered);
    assert_eq!(*store.data::<u32>().unwrap(), 1, "the host function reached the embedder's data");
    assert_eq!(thread.pending_args(&store), Some(vec![Value::I32(14)]));

    // The callee runs above the waiting frame; a breakpoint in it shows both instances' frames.
    let offset = store.instruction_offsets(triple).unwrap()[0];
    let bp = store.add_breakpoint(triple, offset).unwrap();
    thread.call_nested(&store, triple, &[Value::I32(14)]).unwrap();
    assert_eq!(thread.run(&mut store, None), Outcome::Paused(PauseReason::Breakpoint));
    let frames = thread.frames(&store).unwrap();
    assert_eq!(frames.len(), 2);
    assert_eq!(frames[0].func, triple);
    assert_eq!(frames[0].locals, vec![Value::I32(14)]);
    assert_eq!(frames[1].func, run);
    assert_eq!(store.func_instance(frames[0].func), Some(callee));
    assert_eq!(store.func_instance(frames[1].func), Some(caller));
    assert_eq!(thread.nested_call_floors(), vec![1]);
    store.remove_breakpoint(bp);

    // The nested call returns its results; the thread waits for the same host call again.
    assert_eq!(thread.run(&mut store, None), Outcome::Finished(vec![Value::I32(42)]));
    assert_eq!(thread.pending_call(), Some(id));
    assert!(thread.nested_call_floors().is_empty());
    assert!(!thread.is_done());
    thread.complete_host(&store, id, HostCompletion::Return(vec![Value::I32(42)])).unwrap();
    assert_eq!(thread.run(&mut store, None), Outcome::Finished(vec![Value::I32(43)]));
    assert!(thread.is_done());
}

#[test]
fn a_trap_in_a_nested_call_carries_every_frame() {
    let engine = Engine::default();
    let World { mut store, caller, .. } = world();
    let failing = Module::from_text(&engine, r#"(module (func (export "f") (param i32) (result i32) unreachable))"#);
    let failing = Linker::new().instantiate(&mut store, &failing.unwrap()).unwrap();
    let f = func(&store, failing, "f");
    let mut thread = Thread::new(&store, func(&store, caller, "run"), &[Value::I32(1)]).unwrap();
    assert!(matches!(thread.run(&mut store, None), Outcome::Pending(_)));
    thread.call_nested(&store, f, &[Value::I32(2)]).unwrap();
    let Outcome::Trapped(trap) = thread.run(&mut store, None) else { panic!("expected a trap") };
    assert_eq!(trap.kind, TrapKind::Unreachable);
    assert_eq!(trap.backtrace.len(), 2, "{:?}", trap.backtrace);
    assert!(thread.is_done());
}

#[test]
fn a_completion_names_its_call_and_checks_its_results() {
    let World { mut store, caller, .. } = world();
    let mut thread = Thread::new(&store, func(&store, caller, "run"), &[Value::I32(1)]).unwrap();
    let Outcome::Pending(id) = thread.run(&mut store, None) else { panic!("expected pending") };
    let stale = canopy_interp::HostCallId { call: id.call + 1, ..id };
    assert!(thread.complete_host(&store, stale, HostCompletion::Return(vec![Value::I32(1)])).is_err());
    assert!(thread.complete_host(&store, id, HostCompletion::Return(vec![Value::I64(1)])).is_err());
    assert!(thread.complete_host(&store, id, HostCompletion::Return(vec![])).is_err());
    assert_eq!(thread.pending_call(), Some(id), "a rejected completion changes nothing");
    thread.complete_host(&store, id, HostCompletion::Return(vec![Value::I32(5)])).unwrap();
    assert_eq!(thread.run(&mut store, None), Outcome::Finished(vec![Value::I32(6)]));
    // A second call on a new thread gets its own token; a trap ends the thread at the call.
    let mut thread = Thread::new(&store, func(&store, caller, "run"), &[Value::I32(1)]).unwrap();
    let Outcome::Pending(id) = thread.run(&mut store, None) else { panic!("expected pending") };
    let Some(Outcome::Trapped(trap)) =
        thread.complete_host(&store, id, HostCompletion::Trap("resource handle 3 is not owned".into())).unwrap()
    else {
        panic!("expected a trap")
    };
    assert_eq!(trap.kind, TrapKind::Host("resource handle 3 is not owned".into()));
    assert_eq!(trap.backtrace.len(), 1);
    assert!(thread.is_done());
    // A cancel abandons the thread.
    let mut thread = Thread::new(&store, func(&store, caller, "run"), &[Value::I32(1)]).unwrap();
    let Outcome::Pending(id) = thread.run(&mut store, None) else { panic!("expected pending") };
    assert!(thread.complete_host(&store, id, HostCompletion::Cancel).unwrap().is_some());
    assert!(thread.is_done());
    assert!(thread.pending_call().is_none());
}

#[test]
fn a_tail_call_to_the_host_pends_with_its_arguments_readable() {
    let World { mut store, caller, callee, .. } = world();
    let mut thread = Thread::new(&store, func(&store, caller, "tail"), &[Value::I32(9)]).unwrap();
    let Outcome::Pending(id) = thread.run(&mut store, None) else { panic!("expected pending") };
    assert_eq!(thread.pending_args(&store), Some(vec![Value::I32(9)]));
    thread.call_nested(&store, func(&store, callee, "triple"), &[Value::I32(9)]).unwrap();
    assert_eq!(thread.run(&mut store, None), Outcome::Finished(vec![Value::I32(27)]));
    thread.complete_host(&store, id, HostCompletion::Return(vec![Value::I32(27)])).unwrap();
    assert_eq!(thread.run(&mut store, None), Outcome::Finished(vec![Value::I32(27)]));
}

#[test]
fn host_memory_access_is_bounds_checked() {
    let engine = Engine::default();
    let mut store = Store::new(&engine);
    let mut linker = Linker::new();
    let ty = FuncType { params: vec![ValType::I32], results: vec![ValType::I32] };
    linker.func(&mut store, "host", "probe", ty, |caller, args| {
        let Value::I32(at) = args[0] else { return HostResult::Trap("bad argument".into()) };
        let memory = caller.memory_address(0).unwrap();
        assert!(caller.memory_address(1).is_none());
        match caller.write(memory, at as u32 as u64, &[1, 2, 3, 4]) {
            Ok(()) => HostResult::Return(vec![Value::I32(caller.read(memory, at as u32 as u64, 4).unwrap()[3] as i32)]),
            Err(e) => HostResult::Trap(e.to_string()),
        }
    });
    let module = Module::from_text(
        &engine,
        r#"(module (import "host" "probe" (func $p (param i32) (result i32))) (memory 1)
             (func (export "probe") (param i32) (result i32) (call $p (local.get 0))))"#,
    )
    .unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    assert_eq!(store.invoke(instance, "probe", &[Value::I32(65532)]).unwrap(), vec![Value::I32(4)]);
    let trap = store.invoke(instance, "probe", &[Value::I32(65533)]).unwrap_err();
    assert_eq!(trap.kind, TrapKind::Host("4 bytes at 0xfffd are outside memory 0 (65536 bytes)".into()));
    let trap = store.invoke(instance, "probe", &[Value::I32(-1)]).unwrap_err();
    assert!(matches!(&trap.kind, TrapKind::Host(m) if m.contains("0xffffffff")), "{:?}", trap.kind);
}

#[test]
fn a_start_function_runs_on_a_thread_that_can_pause() {
    let engine = Engine::default();
    let mut store = Store::new(&engine);
    let module = Module::from_text(
        &engine,
        r#"(module (global $g (mut i32) (i32.const 0))
             (func $start (global.set $g (i32.add (global.get $g) (i32.const 5))))
             (start $start)
             (func (export "g") (result i32) (global.get $g)))"#,
    )
    .unwrap();
    let unstarted = Linker::new().instantiate_unstarted(&mut store, &module).unwrap();
    let start = unstarted.start.expect("the module has a start function");
    let offset = store.instruction_offsets(start).unwrap()[0];
    store.add_breakpoint(start, offset).unwrap();
    let mut thread = Thread::new(&store, start, &[]).unwrap();
    assert_eq!(thread.run(&mut store, None), Outcome::Paused(PauseReason::Breakpoint));
    assert_eq!(thread.frames(&store).unwrap()[0].func, start);
    assert_eq!(thread.run(&mut store, None), Outcome::Finished(vec![]));
    assert_eq!(store.invoke(unstarted.instance, "g", &[]).unwrap(), vec![Value::I32(5)]);
}

#[test]
fn a_failed_instantiation_leaves_nothing_behind() {
    let engine = Engine::default();
    let mut store = Store::new(&engine);
    // Allocation succeeds, then the active data segment is out of bounds.
    let bad_data =
        Module::from_text(&engine, r#"(module (memory 1) (global i32 (i32.const 7)) (data (i32.const 65535) "ab"))"#);
    assert!(Linker::new().instantiate(&mut store, &bad_data.unwrap()).is_err());
    assert!(store.memory(0).is_none(), "the failed instance's memory is gone");
    assert!(store.global_value(0).is_none(), "and its global");
    // A start function that traps: the instance and its memory are discarded too.
    let trapping = Module::from_text(&engine, r#"(module (memory 1) (func $s unreachable) (start $s))"#);
    let error = Linker::new().instantiate(&mut store, &trapping.unwrap()).unwrap_err();
    assert!(error.to_string().contains("unreachable"), "{error}");
    assert!(store.memory(0).is_none());
    // The store still works, and the next instance gets the first addresses.
    let good = Module::from_text(&engine, r#"(module (memory (export "m") 1))"#).unwrap();
    let instance = Linker::new().instantiate(&mut store, &good).unwrap();
    assert_eq!(store.export(instance, "m"), Some(Extern::Memory(0)));
}
