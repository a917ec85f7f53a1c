//! The real C fixture component (fixtures/components/wasm/fixtures-c.wasm, whose exports
//! wit-component wraps in nested components): every call of calls.txt, compared with
//! wasmtime's answer in expected/fixtures-c.txt, resource calls included (`$name` bindings
//! of the handles a call returns, `drop $name` from the host).

#[path = "support/session.rs"]
mod session;

use std::collections::HashMap;
use std::path::Path;

use canopy_component::runtime::{Component, Linker, Store};
use session::Session;

/// The C component needs no imports.
fn new_session(component: &Component) -> Session {
    let mut store = Store::new();
    let instance = store.instantiate(&Linker::new(), component, "fixtures-c").expect("it instantiates");
    Session { store, instance, bound: HashMap::new() }
}

#[test]
fn the_c_component_agrees_with_wasmtime_on_every_call() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/components");
    let bytes = std::fs::read(root.join("wasm/fixtures-c.wasm")).expect("the committed C component");
    let component = Component::new(&bytes).expect("the C component loads");
    let mut session = new_session(&component);
    let expected = std::fs::read_to_string(root.join("expected/fixtures-c.txt")).unwrap();
    let mut checked = 0;
    let mut differences = Vec::new();
    let mut traps = 0;
    for line in expected.lines() {
        let Some((call, answer)) = line.split_once(" => ") else { continue };
        checked += 1;
        let got = session.run(call);
        if let Some(message) = answer.strip_prefix("trap: ") {
            // Canopy's trap messages are its own; the kind of trap must be the same.
            let kind = if message.contains("unreachable") { "unreachable" } else { "divide by zero" };
            if !got.starts_with("trap: ") || !got.contains(kind) {
                differences.push(format!("{call}: canopy {got}, wasmtime {answer}"));
            }
            traps += 1;
            // As the reference does: a trapped instance is not entered again.
            session = new_session(&component);
            continue;
        }
        if got != answer {
            differences.push(format!("{call}: canopy {got}, wasmtime {answer}"));
        }
    }
    assert_eq!(checked, 174, "every call of calls.txt is checked");
    assert_eq!(traps, 2);
    assert!(differences.is_empty(), "{} differences:\n{}", differences.len(), differences.join("\n"));
}

#[test]
fn a_trap_in_the_c_component_names_the_wit_function_behind_the_shim() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/components");
    let component = Component::new(&std::fs::read(root.join("wasm/fixtures-c.wasm")).unwrap()).unwrap();
    let mut session = new_session(&component);
    let trap = session.store.call(session.instance, "canopy:fixtures/values@0.1.0#trap", &[]).unwrap_err();
    assert_eq!(trap.instance.as_deref(), Some("fixtures-c"));
    assert_eq!(trap.function.as_deref(), Some("canopy:fixtures/values@0.1.0#trap"), "{trap}");
    assert!(trap.message.contains("unreachable"), "{trap}");
}
