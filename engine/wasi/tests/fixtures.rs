//! The JavaScript and Python fixture components (componentize-js and componentize-py
//! builds, which import WASI) over this crate's host: every call of calls.txt, compared with
//! wasmtime's answer in expected/fixtures-{js,py}.txt. The Python component is built by
//! `fixtures/components/build.sh py`, not committed: without it the test is skipped, except
//! in CI (`CI=true`), where it fails.

#[path = "../../component/tests/support/session.rs"]
mod session;
#[path = "support/wasi_session.rs"]
mod wasi_session;

use std::path::Path;

use canopy_component::runtime::Component;
use wasi_session::new_session;

/// Runs every call of the expected file of `lang` and returns (calls, differences).
fn agree(lang: &str) -> Option<(usize, Vec<String>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/components");
    let wasm = root.join(format!("wasm/fixtures-{lang}.wasm"));
    let Ok(bytes) = std::fs::read(&wasm) else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{} is missing; CI builds it with `fixtures/components/build.sh {lang}`", wasm.display());
        }
        eprintln!("skipped: {} is missing (build it with fixtures/components/build.sh {lang})", wasm.display());
        return None;
    };
    let component = Component::new(&bytes).expect("the component loads");
    let mut session = new_session(&component);
    let expected = std::fs::read_to_string(root.join(format!("expected/fixtures-{lang}.txt"))).unwrap();
    let mut checked = 0;
    let mut differences = Vec::new();
    for line in expected.lines() {
        let Some((call, answer)) = line.split_once(" => ") else { continue };
        checked += 1;
        let got = session.run(call);
        if let Some(message) = answer.strip_prefix("trap: ") {
            // Canopy's trap messages are its own; the kind of trap must be the same.
            let kind = if message.contains("unreachable") { "unreachable" } else { message };
            if !got.starts_with("trap: ") || !got.contains(kind) {
                differences.push(format!("{call}: canopy {got}, wasmtime {answer}"));
            }
            // As the reference does: a trapped instance is not entered again.
            session = new_session(&component);
            continue;
        }
        if got != answer {
            differences.push(format!("{call}: canopy {got}, wasmtime {answer}"));
        }
    }
    Some((checked, differences))
}

#[test]
fn the_javascript_component_agrees_with_wasmtime_on_every_call() {
    let (checked, differences) = agree("js").expect("the JavaScript component is committed");
    assert_eq!(checked, 174, "every call of calls.txt is checked");
    assert!(differences.is_empty(), "{} differences:\n{}", differences.len(), differences.join("\n"));
}

#[test]
fn the_python_component_agrees_with_wasmtime_on_every_call() {
    let Some((checked, differences)) = agree("py") else { return };
    assert_eq!(checked, 174, "every call of calls.txt is checked");
    assert!(differences.is_empty(), "{} differences:\n{}", differences.len(), differences.join("\n"));
}
