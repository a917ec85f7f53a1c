//! The JavaScript and Python fixture components (componentize-js and componentize-py
//! builds, which import WASI) over this crate's host: every call of calls.txt, compared with
//! wasmtime's answer in expected/fixtures-{js,py}.txt. The Python component is built by
//! `fixtures/components/build.sh py`, not committed: without it the test is skipped, except
//! in CI (`CI=true`), where it fails.

use std::collections::HashMap;
use std::path::Path;

use canopy_component::runtime::{Component, InstanceId, Linker, Store};
use canopy_component::wave::{from_wave, to_wave};
use canopy_component::{ResourceType, Type, Val};
use canopy_wasi::{Output, WasiCtx};

/// Splits `a, [b, c], "d,e"` at its top-level commas.
fn split_args(text: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut current = String::new();
    let (mut depth, mut quote, mut escaped) = (0i32, None, false);
    for c in text.chars() {
        if let Some(q) = quote {
            current.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                args.push(current.trim().to_string());
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        args.push(current.trim().to_string());
    }
    args
}

/// A fixture component's instance over a WASI host, and the resources the host holds by
/// `$name`.
struct Session {
    store: Store,
    instance: InstanceId,
    bound: HashMap<String, (ResourceType, Val)>,
}

impl Session {
    fn new(component: &Component) -> Session {
        let mut linker = Linker::new();
        canopy_wasi::add_to_linker(&mut linker, component.import_names());
        // The Python component also imports wasi:sockets, which this host does not grant.
        linker.define_unknown_imports_as_traps(component);
        let mut store = Store::new();
        store.set_data(WasiCtx::builder().stdout(Output::Capture(Default::default())).build());
        let instance = store.instantiate(&linker, component, "fixture").expect("it instantiates");
        Session { store, instance, bound: HashMap::new() }
    }

    /// A value as wasmtime's reference prints it: handles as the `$name` they are bound to.
    fn show(&self, val: &Val, binding: Option<&str>) -> String {
        match val {
            Val::Own(_) => binding.map_or_else(|| "<unbound own>".to_string(), str::to_string),
            Val::Result(Ok(Some(inner))) if matches!(**inner, Val::Own(_)) => {
                format!("ok({})", self.show(inner, binding))
            }
            other => to_wave(other).unwrap_or_else(|e| format!("<not WAVE: {e:?}>")),
        }
    }

    /// Runs one line's call and returns its answer as the reference prints it.
    fn run(&mut self, call: &str) -> String {
        let (binding, call) = match call.split_once(" = ") {
            Some((name, rest)) if name.starts_with('$') => (Some(name), rest),
            _ => (None, call),
        };
        if let Some(name) = call.strip_prefix("drop ") {
            let (resource, handle) = self.bound.remove(name).unwrap_or_else(|| panic!("{name} is not bound"));
            let Val::Own(handle) = handle else { panic!("{name} is not an own") };
            return match self.store.drop_resource(&resource, handle) {
                Ok(()) => "()".to_string(),
                Err(trap) => format!("trap: {trap}"),
            };
        }
        let open = call.find('(').expect("a call has arguments in parentheses");
        let name = &call[..open];
        let path = match name.split_once('.') {
            Some((iface, func)) => format!("canopy:fixtures/{iface}@0.1.0#{func}"),
            None => name.to_string(),
        };
        let sig = self.store.func_type(self.instance, &path).unwrap_or_else(|| panic!("no export {path}"));
        let texts = split_args(&call[open + 1..call.len() - 1]);
        assert_eq!(texts.len(), sig.params.len(), "{call}: argument count");
        let mut args = Vec::new();
        for (text, (_, ty)) in texts.iter().zip(&sig.params) {
            let arg = match (text.strip_prefix('$'), ty) {
                (Some(_), Type::Borrow(_)) => {
                    let Some((_, Val::Own(handle))) = self.bound.get(text.as_str()) else { panic!("{text} unbound") };
                    Val::Borrow(*handle)
                }
                (Some(_), Type::Own(_)) => self.bound.remove(text.as_str()).expect("a bound own").1,
                _ => from_wave(ty, text).unwrap_or_else(|e| panic!("{call}: argument {text}: {e:?}")),
            };
            args.push(arg);
        }
        match self.store.call(self.instance, &path, &args) {
            Ok(results) => match results.as_slice() {
                [] => "()".to_string(),
                [one] => {
                    if let Some(name) = binding {
                        let own = match (one, &sig.results[0]) {
                            (Val::Own(_), Type::Own(rt)) => Some((rt.clone(), one.clone())),
                            (Val::Result(Ok(Some(inner))), Type::Result { ok: Some(ok), .. }) => match &**ok {
                                Type::Own(rt) => Some((rt.clone(), (**inner).clone())),
                                _ => None,
                            },
                            _ => None,
                        };
                        if let Some(own) = own {
                            self.bound.insert(name.to_string(), own);
                        }
                    }
                    self.show(one, binding)
                }
                _ => panic!("more than one result"),
            },
            Err(trap) => format!("trap: {}", trap.message),
        }
    }
}

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
    let mut session = Session::new(&component);
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
            session = Session::new(&component);
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
