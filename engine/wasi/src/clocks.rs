//! `wasi:clocks`: the wall clock (the host's system time) and the monotonic clock
//! (nanoseconds since the context was built), with pollables for instants and durations.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use canopy_component::Val;
use canopy_component::runtime::Linker;

use crate::ctx::{Obj, WasiCtx};
use crate::def;
use crate::vals::{own, record, u64_arg};

fn now_ns(w: &WasiCtx) -> u64 {
    w.start.elapsed().as_nanos() as u64
}

/// Defines `wasi:clocks/IFACE` under `name`; false for an interface this subset lacks.
pub(crate) fn add(linker: &mut Linker, name: &str, iface: &str) -> bool {
    match iface {
        "wall-clock" => {
            def(linker, name, "now", |_, _| {
                let t = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
                Ok(vec![record(vec![("seconds", Val::U64(t.as_secs())), ("nanoseconds", Val::U32(t.subsec_nanos()))])])
            });
            def(linker, name, "resolution", |_, _| {
                Ok(vec![record(vec![("seconds", Val::U64(0)), ("nanoseconds", Val::U32(1))])])
            });
        }
        "monotonic-clock" => {
            def(linker, name, "now", |w, _| Ok(vec![Val::U64(now_ns(w))]));
            def(linker, name, "resolution", |_, _| Ok(vec![Val::U64(1)]));
            def(linker, name, "subscribe-instant", |w, args| {
                let at = u64_arg(args, 0)?;
                let deadline = w.start + Duration::from_nanos(at);
                Ok(vec![own(w.insert(Obj::Pollable(Some(deadline))))])
            });
            def(linker, name, "subscribe-duration", |w, args| {
                let after = u64_arg(args, 0)?;
                let deadline = std::time::Instant::now() + Duration::from_nanos(after);
                Ok(vec![own(w.insert(Obj::Pollable(Some(deadline))))])
            });
        }
        _ => return false,
    }
    true
}
