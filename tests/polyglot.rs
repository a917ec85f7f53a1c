//! Issue 11, acceptance check 4: the polyglot example (`examples/polyglot`, a C component
//! calling a Python component calling a JavaScript component, composed with wac) runs, and a
//! pause inside the innermost callee shows one stack across the three instances with a
//! boundary frame for each lower/lift pair; stepping out lands in the caller, and the call
//! then finishes with wasmtime's answer (`expected.txt`).
//!
//! `wasm/polyglot.wasm` is built by `examples/polyglot/build.sh` (scripts/test-all.sh runs it
//! first); without it this test fails with the build command.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use canopy_component::Val;
use canopy_component::runtime::{BoundaryKind, Call, CallFrame, CallStep, Component, InstanceId, Linker, Store};
use canopy_interp::{PauseReason, RunUntil};
use canopy_wasi::{Output, WasiCtx};

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/polyglot")
}

/// The composition, loaded and instantiated with the WASI host (stderr captured).
fn instantiate() -> (Store, InstanceId, Arc<Mutex<Vec<u8>>>) {
    let path = example().join("wasm/polyglot.wasm");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        panic!("{}: {e}; build it with `bash examples/polyglot/build.sh` (see its README)", path.display())
    });
    let component = Component::new(&bytes).expect("the composition loads");
    let mut linker = Linker::new();
    canopy_wasi::add_to_linker(&mut linker, component.import_names());
    let stderr = Arc::new(Mutex::new(Vec::new()));
    let mut store = Store::new();
    store.set_data(WasiCtx::builder().stderr(Output::Capture(stderr.clone())).build());
    let instance = store.instantiate(&linker, &component, "polyglot").expect("the composition instantiates");
    (store, instance, stderr)
}

/// wasmtime's answer to `run(TEXT)` in expected.txt.
fn expected(call: &str) -> String {
    let text = std::fs::read_to_string(example().join("expected.txt")).expect("expected.txt");
    let line = text.lines().find_map(|l| l.strip_prefix(&format!("{call} => "))).expect("the call in expected.txt");
    line.to_string()
}

fn run_export(store: &mut Store, instance: InstanceId, text: &str) -> String {
    match store.call(instance, "run", &[Val::String(text.into())]) {
        Ok(results) => canopy_component::wave::to_wave(&results[0]).expect("a WAVE value"),
        Err(trap) => panic!("run({text:?}) trapped: {trap}"),
    }
}

#[test]
fn every_call_of_calls_txt_gives_wasmtimes_answer() {
    let (mut store, instance, stderr) = instantiate();
    let calls = std::fs::read_to_string(example().join("calls.txt")).expect("calls.txt");
    let mut count = 0;
    for call in calls.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        let text = call.strip_prefix("run(").and_then(|c| c.strip_suffix(')')).expect("calls of run");
        let Val::String(text) =
            canopy_component::wave::from_wave(&canopy_component::Type::String, text).expect("a WAVE string")
        else {
            panic!("not a string")
        };
        assert_eq!(run_export(&mut store, instance, &text), expected(call), "{call}");
        count += 1;
    }
    assert!(count >= 6, "calls.txt has {count} calls");
    let log = String::from_utf8(stderr.lock().unwrap().clone()).unwrap();
    assert_eq!(log.lines().filter(|l| l.starts_with("app (C): run,")).count(), count, "stderr: {log}");
}

fn instances_of(frames: &[CallFrame]) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for f in frames {
        if let CallFrame::Core(core) = f {
            let name = core.instance.clone().expect("every core frame names its instance");
            if seen.last() != Some(&name) {
                seen.push(name);
            }
        }
    }
    seen
}

fn describe(frames: &[CallFrame]) -> String {
    frames
        .iter()
        .map(|f| match f {
            CallFrame::Core(c) => format!("  {} {}", c.instance.as_deref().unwrap_or("?"), c.frame.info),
            CallFrame::Boundary(b) => {
                format!("  == {:?} {} {:?} -> {:?} {:?}", b.kind, b.function, b.caller, b.callee, b.args)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn step(store: &mut Store, call: &mut Call, until: RunUntil) -> CallStep {
    store.resume_until(call, until).unwrap_or_else(|t| panic!("trapped: {t}"))
}

#[test]
fn a_pause_in_the_javascript_callee_shows_the_whole_stack_then_steps_out_and_finishes() {
    let (mut store, instance, _) = instantiate();
    store.add_function_breakpoint("score-words");
    let text = "Hello, polyglot world!";
    let mut call = store.start_call(instance, "run", &[Val::String(text.into())]).expect("starts");
    // The function breakpoint stops at the boundary, before the callee's first instruction.
    assert_eq!(step(&mut store, &mut call, RunUntil::default()), CallStep::Paused(PauseReason::Breakpoint));
    // One instruction in: inside the JavaScript component's core code.
    assert_eq!(
        step(&mut store, &mut call, RunUntil { steps: Some(1), depth: None }),
        CallStep::Paused(PauseReason::StepsExhausted)
    );
    let frames = call.frames(&store).expect("frames");
    let shown = describe(&frames);
    eprintln!("{shown}");
    let instances = instances_of(&frames);
    assert_eq!(instances.len(), 3, "three instances on the stack, innermost first:\n{shown}");
    let boundaries: Vec<_> = frames
        .iter()
        .filter_map(|f| match f {
            CallFrame::Boundary(b) if b.kind == BoundaryKind::Call => Some(b),
            _ => None,
        })
        .collect();
    assert_eq!(boundaries.len(), 2, "two lower/lift boundaries:\n{shown}");
    assert!(boundaries[0].function.ends_with("#score-words"), "{shown}");
    let words: Vec<Val> = ["hello", "polyglot", "world"].iter().map(|w| Val::String((*w).into())).collect();
    assert_eq!(boundaries[0].args, vec![("words".to_string(), Val::List(words))], "{shown}");
    assert!(boundaries[1].function.ends_with("#transform"), "{shown}");
    assert_eq!(boundaries[1].args, vec![("text".to_string(), Val::String(text.into()))], "{shown}");
    assert_eq!(boundaries[0].callee.as_ref(), Some(&instances[0]), "{shown}");
    assert_eq!(boundaries[0].caller.as_ref(), Some(&instances[1]), "{shown}");
    assert_eq!(boundaries[1].caller.as_ref(), Some(&instances[2]), "{shown}");
    // Step out of the JavaScript callee: the depth of the Python frame below the boundary.
    let below = frames
        .iter()
        .skip_while(|f| !matches!(f, CallFrame::Boundary(_)))
        .find_map(|f| match f {
            CallFrame::Core(c) => Some(c.depth),
            _ => None,
        })
        .expect("a caller frame");
    assert_eq!(
        step(&mut store, &mut call, RunUntil { steps: None, depth: Some(below) }),
        CallStep::Paused(PauseReason::DepthReached)
    );
    let after = call.frames(&store).expect("frames");
    let shown = describe(&after);
    match &after[0] {
        CallFrame::Core(c) => {
            assert_eq!(c.instance.as_ref(), Some(&instances[1]), "back in the Python caller:\n{shown}");
            assert_eq!(c.depth, below, "{shown}");
        }
        other => panic!("expected the caller's frame on top, got {other:?}"),
    }
    assert_eq!(instances_of(&after).len(), 2, "{shown}");
    // Then the call finishes with wasmtime's answer.
    let CallStep::Finished(results) = step(&mut store, &mut call, RunUntil::default()) else {
        panic!("the call did not finish")
    };
    let answer = canopy_component::wave::to_wave(&results[0]).expect("WAVE");
    assert_eq!(
        answer,
        expected(&format!("run({})", canopy_component::wave::to_wave(&Val::String(text.into())).unwrap()))
    );
}
