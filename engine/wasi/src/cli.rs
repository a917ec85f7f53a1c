//! `wasi:cli`: environment (granted arguments and variables), exit, the standard streams
//! and the terminal interfaces (no terminal is ever reported).

use canopy_component::Val;
use canopy_component::runtime::Linker;

use crate::ctx::Obj;
use crate::vals::{option, own};
use crate::{def, resource};

/// Defines `wasi:cli/IFACE` under `name`; false for an interface this subset lacks.
pub(crate) fn add(linker: &mut Linker, name: &str, iface: &str) -> bool {
    match iface {
        "environment" => {
            def(linker, name, "get-environment", |w, _| {
                let vars = w.env.iter().map(|(k, v)| Val::Tuple(vec![Val::String(k.clone()), Val::String(v.clone())]));
                Ok(vec![Val::List(vars.collect())])
            });
            def(linker, name, "get-arguments", |w, _| {
                Ok(vec![Val::List(w.args.iter().map(|a| Val::String(a.clone())).collect())])
            });
            def(linker, name, "initial-cwd", |_, _| Ok(vec![option(None)]));
        }
        "exit" => {
            def(linker, name, "exit", |w, args| {
                let status = match args.first() {
                    Some(Val::Result(Ok(_))) => 0,
                    _ => 1,
                };
                w.exit = Some(status);
                Err(format!("the guest exited with status {status}"))
            });
            def(linker, name, "exit-with-code", |w, args| {
                let status = crate::vals::u64_arg(args, 0)? as u32;
                w.exit = Some(status);
                Err(format!("the guest exited with status {status}"))
            });
        }
        "stdin" => def(linker, name, "get-stdin", |w, _| Ok(vec![own(w.insert(Obj::Stdin { pos: 0 }))])),
        "stdout" => def(linker, name, "get-stdout", |w, _| {
            let out = w.stdout.clone();
            Ok(vec![own(w.insert(Obj::Out(out)))])
        }),
        "stderr" => def(linker, name, "get-stderr", |w, _| {
            let out = w.stderr.clone();
            Ok(vec![own(w.insert(Obj::Out(out)))])
        }),
        "terminal-input" => resource(linker, name, "terminal-input"),
        "terminal-output" => resource(linker, name, "terminal-output"),
        "terminal-stdin" => def(linker, name, "get-terminal-stdin", |_, _| Ok(vec![option(None)])),
        "terminal-stdout" => def(linker, name, "get-terminal-stdout", |_, _| Ok(vec![option(None)])),
        "terminal-stderr" => def(linker, name, "get-terminal-stderr", |_, _| Ok(vec![option(None)])),
        _ => return false,
    }
    true
}
