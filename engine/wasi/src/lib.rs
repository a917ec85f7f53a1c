//! A WASI 0.2 host subset for Canopy's component runtime: `wasi:cli`, `wasi:io`,
//! `wasi:clocks`, `wasi:random` and `wasi:filesystem`, enough for components that
//! componentize-js, componentize-py and the preview1 adapter produce, and `wasi:sockets`
//! with no network granted (creating a socket or resolving a name is `access-denied`).
//!
//! Capability based: a [`WasiCtx`] grants nothing unless its builder is asked (arguments,
//! each environment variable, stdio, each preopened directory). [`add_to_linker`] defines
//! the interfaces under the exact names (and 0.2.x versions) a component imports; the host
//! functions reach the context through the store's data slot, so put the context there with
//! [`canopy_component::runtime::Store::set_data`]. Host failures are WASI error codes;
//! functions this subset does not implement answer `unsupported` where their type has an
//! error code, and otherwise trap naming themselves.
//!
//! Modules: `ctx` (the granted capabilities and the host objects), `cli`, `io`, `clocks`,
//! `random`, `filesystem`, `sockets` (one per WASI package), `vals` (value helpers).

mod cli;
mod clocks;
mod ctx;
mod filesystem;
mod io;
mod random;
mod sockets;
mod vals;

pub use ctx::{Input, Output, WasiCtx, WasiCtxBuilder};

use canopy_component::Val;
use canopy_component::runtime::{HostContext, Linker};

/// Defines every interface of this subset that `imports` (a component's import names) asks
/// for, under the import's own name; other names are left alone. Returns the names defined.
pub fn add_to_linker<'a>(linker: &mut Linker, imports: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut defined = Vec::new();
    for name in imports {
        let Some((path, version)) = name.split_once('@') else { continue };
        if !version.starts_with("0.2.") {
            continue;
        }
        let known = match path.split_once('/') {
            Some(("wasi:cli", iface)) => cli::add(linker, name, iface),
            Some(("wasi:io", iface)) => io::add(linker, name, iface),
            Some(("wasi:clocks", iface)) => clocks::add(linker, name, iface),
            Some(("wasi:random", iface)) => random::add(linker, name, iface),
            Some(("wasi:filesystem", iface)) => filesystem::add(linker, name, iface),
            Some(("wasi:sockets", iface)) => sockets::add(linker, name, iface),
            _ => false,
        };
        if known {
            defined.push(name.to_string());
        }
    }
    defined
}

/// A host function body over the WASI context.
pub(crate) type Body = fn(&mut WasiCtx, &[Val]) -> Result<Vec<Val>, String>;

/// Defines `iface#func` as `body` over the store's [`WasiCtx`].
pub(crate) fn def(linker: &mut Linker, iface: &str, func: &str, body: Body) {
    linker.func_ctx(&format!("{iface}#{func}"), move |cx: &mut HostContext<'_>, args: &[Val]| {
        let wasi = cx.data::<WasiCtx>().ok_or("the store holds no WASI context (Store::set_data)")?;
        body(wasi, args)
    });
}

/// Defines the host resource `iface#name`; dropping an own removes its host object.
pub(crate) fn resource(linker: &mut Linker, iface: &str, name: &str) {
    linker.resource(
        &format!("{iface}#{name}"),
        Some(Box::new(|cx: &mut HostContext<'_>, rep: u32| {
            if let Some(wasi) = cx.data::<WasiCtx>() {
                wasi.remove(rep);
            }
        })),
    );
}
