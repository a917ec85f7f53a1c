//! `wasi:sockets` with no network granted: what wasmtime gives a component it did not allow
//! onto the network. The interfaces are there, so a component that imports them (every
//! componentize-py component does) instantiates; `instance-network` hands out the one
//! network, and creating a TCP or UDP socket or resolving a name answers `access-denied`.
//! No socket can therefore exist, so the socket methods are reachable only through a handle
//! the runtime has already rejected; each still answers with an error naming itself.

use canopy_component::Val;
use canopy_component::runtime::Linker;

use crate::ctx::Obj;
use crate::vals::{case, err, option, own};
use crate::{def, resource};

/// `[method]RESOURCE.NAME` of every socket resource, by interface.
const TCP_METHODS: &[&str] = &[
    "start-bind",
    "finish-bind",
    "start-connect",
    "finish-connect",
    "start-listen",
    "finish-listen",
    "accept",
    "local-address",
    "remote-address",
    "is-listening",
    "address-family",
    "set-listen-backlog-size",
    "keep-alive-enabled",
    "set-keep-alive-enabled",
    "keep-alive-idle-time",
    "set-keep-alive-idle-time",
    "keep-alive-interval",
    "set-keep-alive-interval",
    "keep-alive-count",
    "set-keep-alive-count",
    "hop-limit",
    "set-hop-limit",
    "receive-buffer-size",
    "set-receive-buffer-size",
    "send-buffer-size",
    "set-send-buffer-size",
    "subscribe",
    "shutdown",
];
const UDP_METHODS: &[&str] = &[
    "start-bind",
    "finish-bind",
    "stream",
    "local-address",
    "remote-address",
    "address-family",
    "unicast-hop-limit",
    "set-unicast-hop-limit",
    "receive-buffer-size",
    "set-receive-buffer-size",
    "send-buffer-size",
    "set-send-buffer-size",
    "subscribe",
];

fn denied(_: &mut crate::WasiCtx, _: &[Val]) -> Result<Vec<Val>, String> {
    Ok(vec![err(case("access-denied"))])
}

/// Defines the methods of `res` as functions that fail naming themselves: no such object can
/// have been created (see the module header).
fn unreachable_methods(linker: &mut Linker, iface: &str, res: &str, methods: &[&str]) {
    resource(linker, iface, res);
    for method in methods {
        let path = format!("{iface}#[method]{res}.{method}");
        let message = format!("`{path}`: no {res} exists, since this host grants no network access");
        linker.func(&path, move |_| Err(message.clone()));
    }
}

/// Defines `wasi:sockets/IFACE` under `name`; false for an interface this subset lacks.
pub(crate) fn add(linker: &mut Linker, name: &str, iface: &str) -> bool {
    match iface {
        "network" => {
            resource(linker, name, "network");
            def(linker, name, "network-error-code", |_, _| Ok(vec![option(None)]));
        }
        "instance-network" => def(linker, name, "instance-network", |wasi, _| Ok(vec![own(wasi.insert(Obj::Network))])),
        "tcp-create-socket" => def(linker, name, "create-tcp-socket", denied),
        "udp-create-socket" => def(linker, name, "create-udp-socket", denied),
        "ip-name-lookup" => {
            def(linker, name, "resolve-addresses", denied);
            unreachable_methods(linker, name, "resolve-address-stream", &["resolve-next-address", "subscribe"]);
        }
        "tcp" => unreachable_methods(linker, name, "tcp-socket", TCP_METHODS),
        "udp" => {
            unreachable_methods(linker, name, "udp-socket", UDP_METHODS);
            unreachable_methods(linker, name, "incoming-datagram-stream", &["receive", "subscribe"]);
            unreachable_methods(linker, name, "outgoing-datagram-stream", &["check-send", "send", "subscribe"]);
        }
        _ => return false,
    }
    true
}
