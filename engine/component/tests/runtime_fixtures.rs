//! The real C fixture component (fixtures/components/wasm/fixtures-c.wasm): each call of
//! calls.txt that this runtime can make, compared with wasmtime's answer in
//! expected/fixtures-c.txt.

use std::path::Path;

use canopy_component::runtime::{Component, Linker, Store};
use canopy_component::wave::{WaveCall, to_wave};

#[test]
#[ignore = "the C component wraps its exports in nested components, which the runtime does not instantiate yet"]
fn the_c_component_agrees_with_wasmtime_on_value_calls() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/components");
    let bytes = std::fs::read(root.join("wasm/fixtures-c.wasm")).expect("the committed C component");
    let component = Component::new(&bytes).expect("the C component loads");
    let mut store = Store::new();
    let instance = store.instantiate(&Linker::new(), &component, "fixtures-c").expect("it instantiates");
    let expected = std::fs::read_to_string(root.join("expected/fixtures-c.txt")).unwrap();
    let mut agreed = 0;
    let mut checked = 0;
    let mut differences = Vec::new();
    for line in expected.lines() {
        let Some((call, answer)) = line.split_once(" => ") else { continue };
        // Resource calls and traps are left for the resource and trap tests of the runtime.
        if call.starts_with("resources.") || answer.starts_with("trap") {
            continue;
        }
        let parsed = WaveCall::parse(call).unwrap();
        let path = match parsed.name().split_once('.') {
            Some((iface, func)) => format!("canopy:fixtures/{iface}@0.1.0#{func}"),
            None => parsed.name().to_string(),
        };
        let sig = store.func_type(instance, &path).unwrap_or_else(|| panic!("no export {path}"));
        let args = parsed.args(&sig.param_types()).unwrap();
        checked += 1;
        let got = match store.call(instance, &path, &args) {
            Ok(results) => match results.as_slice() {
                [] => "()".to_string(),
                [one] => to_wave(one).unwrap(),
                _ => panic!("more than one result"),
            },
            Err(trap) => format!("trap: {trap}"),
        };
        if got == answer {
            agreed += 1;
        } else {
            differences.push(format!("{call}: canopy {got}, wasmtime {answer}"));
        }
    }
    assert!(checked > 100, "only {checked} calls checked");
    assert!(differences.is_empty(), "{agreed}/{checked} agree; differences:\n{}", differences.join("\n"));
}
