//! Running the calls of `fixtures/components/calls.txt` on an instantiated fixture component
//! and printing each answer as wasmtime's reference does: shared by the C fixture's test here
//! and the JS and Python fixtures' test in `engine/wasi` (which includes this file by path).
//! Each includer makes its own `Session::new`, with the imports its component needs.

use std::collections::HashMap;

use canopy_component::runtime::{InstanceId, Store};
use canopy_component::wave::{from_wave, to_wave};
use canopy_component::{ResourceType, Type, Val};

/// Splits `a, [b, c], "d,e"` at its top-level commas.
pub fn split_args(text: &str) -> Vec<String> {
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

/// A fixture component's instance, and the resources the host holds by `$name`.
pub struct Session {
    pub store: Store,
    pub instance: InstanceId,
    pub bound: HashMap<String, (ResourceType, Val)>,
}

impl Session {
    /// A value as wasmtime's reference prints it: handles as the `$name` they are bound to.
    pub fn show(&self, val: &Val, binding: Option<&str>) -> String {
        match val {
            Val::Own(_) => binding.map_or_else(|| "<unbound own>".to_string(), str::to_string),
            Val::Result(Ok(Some(inner))) if matches!(**inner, Val::Own(_)) => {
                format!("ok({})", self.show(inner, binding))
            }
            other => to_wave(other).unwrap_or_else(|e| format!("<not WAVE: {e:?}>")),
        }
    }

    /// Runs one line's call and returns its answer as the reference prints it.
    pub fn run(&mut self, call: &str) -> String {
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
