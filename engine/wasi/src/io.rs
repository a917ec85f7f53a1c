//! `wasi:io`: errors (a debug string), pollables (ready now or at a deadline; `poll`
//! blocks until one is ready) and streams over the standard streams and open files.

use std::io::{Read, Seek, SeekFrom, Write};
use std::time::Instant;

use canopy_component::Val;
use canopy_component::runtime::Linker;

use crate::ctx::{Obj, Output, WasiCtx};
use crate::vals::{bytes, bytes_arg, err, ok, own, rep, u64_arg};
use crate::{def, resource};

/// The most bytes one read hands out.
const MAX_READ: u64 = 1 << 20;
/// What `check-write` permits at once.
const WRITE_BUDGET: u64 = 1 << 20;

fn closed() -> Val {
    Val::Variant("closed".into(), None)
}

fn failed(w: &mut WasiCtx, message: String) -> Val {
    Val::Variant("last-operation-failed".into(), Some(Box::new(own(w.insert(Obj::Error(message))))))
}

fn read(w: &mut WasiCtx, args: &[Val]) -> Result<Vec<Val>, String> {
    let stream = rep(args, 0)?;
    let len = u64_arg(args, 1)?.min(MAX_READ) as usize;
    let result = match w.get(stream)? {
        Obj::Stdin { pos } => {
            let pos = *pos;
            w.read_stdin(pos, len).inspect(|data| {
                if let Ok(Obj::Stdin { pos }) = w.get(stream) {
                    *pos += data.len();
                }
            })
        }
        Obj::FileIn { file, offset } => {
            let mut buf = vec![0; len];
            let n = file.seek(SeekFrom::Start(*offset)).and_then(|_| file.read(&mut buf));
            n.map(|n| {
                *offset += n as u64;
                buf.truncate(n);
                buf
            })
        }
        _ => return Err("the handle is not an input stream".into()),
    };
    Ok(vec![match result {
        Ok(data) if data.is_empty() && len > 0 => err(closed()),
        Ok(data) => ok(Some(bytes(&data))),
        Err(e) => err(failed(w, e.to_string())),
    }])
}

fn skip(w: &mut WasiCtx, args: &[Val]) -> Result<Vec<Val>, String> {
    let answer = read(w, args)?;
    Ok(vec![match answer.into_iter().next() {
        Some(Val::Result(Ok(Some(list)))) => match *list {
            Val::List(items) => ok(Some(Val::U64(items.len() as u64))),
            _ => ok(Some(Val::U64(0))),
        },
        Some(other) => other,
        None => ok(Some(Val::U64(0))),
    }])
}

fn write_bytes(w: &mut WasiCtx, stream: u32, data: &[u8]) -> Result<Val, String> {
    let result = match w.get(stream)? {
        Obj::Out(Output::InheritStdout) => std::io::stdout().write_all(data).and_then(|_| std::io::stdout().flush()),
        Obj::Out(Output::InheritStderr) => std::io::stderr().write_all(data),
        Obj::Out(Output::Capture(buf)) => {
            buf.lock().map_err(|_| "the capture buffer is poisoned")?.extend_from_slice(data);
            Ok(())
        }
        Obj::Out(Output::Null) => Ok(()),
        Obj::FileOut { file, offset } => match offset {
            Some(at) => file.seek(SeekFrom::Start(*at)).and_then(|_| file.write_all(data)).map(|_| {
                *at += data.len() as u64;
            }),
            None => file.seek(SeekFrom::End(0)).and_then(|_| file.write_all(data)),
        },
        _ => return Err("the handle is not an output stream".into()),
    };
    Ok(match result {
        Ok(()) => ok(None),
        Err(e) => err(failed(w, e.to_string())),
    })
}

fn write(w: &mut WasiCtx, args: &[Val]) -> Result<Vec<Val>, String> {
    let stream = rep(args, 0)?;
    let data = bytes_arg(args, 1)?;
    Ok(vec![write_bytes(w, stream, &data)?])
}

fn write_zeroes(w: &mut WasiCtx, args: &[Val]) -> Result<Vec<Val>, String> {
    let stream = rep(args, 0)?;
    let len = u64_arg(args, 1)?.min(WRITE_BUDGET) as usize;
    Ok(vec![write_bytes(w, stream, &vec![0; len])?])
}

fn ready(w: &mut WasiCtx, rep: u32) -> Result<Option<Instant>, String> {
    match w.get(rep)? {
        Obj::Pollable(deadline) => Ok(*deadline),
        _ => Err("the handle is not a pollable".into()),
    }
}

fn sleep_until(deadline: Option<Instant>) {
    if let Some(d) = deadline {
        let now = Instant::now();
        if d > now {
            std::thread::sleep(d - now);
        }
    }
}

fn poll(w: &mut WasiCtx, args: &[Val]) -> Result<Vec<Val>, String> {
    let Some(Val::List(items)) = args.first() else { return Err("poll: expected a list of pollables".into()) };
    if items.is_empty() {
        return Err("poll: the list of pollables is empty".into());
    }
    let deadlines =
        (0..items.len()).map(|i| ready(w, rep(items, i)?)).collect::<Result<Vec<Option<Instant>>, String>>()?;
    let earliest = deadlines.iter().map(|d| d.unwrap_or_else(Instant::now)).min();
    sleep_until(earliest);
    let now = Instant::now();
    let ready: Vec<Val> = deadlines
        .iter()
        .enumerate()
        .filter(|(_, d)| d.is_none_or(|d| d <= now))
        .map(|(i, _)| Val::U32(i as u32))
        .collect();
    Ok(vec![Val::List(ready)])
}

fn subscribe(w: &mut WasiCtx, _args: &[Val]) -> Result<Vec<Val>, String> {
    Ok(vec![own(w.insert(Obj::Pollable(None)))])
}

/// Defines `wasi:io/IFACE` under `name`; false for an interface this subset lacks.
pub(crate) fn add(linker: &mut Linker, name: &str, iface: &str) -> bool {
    match iface {
        "error" => {
            resource(linker, name, "error");
            def(linker, name, "[method]error.to-debug-string", |w, args| match w.get(rep(args, 0)?)? {
                Obj::Error(message) => Ok(vec![Val::String(message.clone())]),
                _ => Err("the handle is not an error".into()),
            });
        }
        "poll" => {
            resource(linker, name, "pollable");
            def(linker, name, "[method]pollable.ready", |w, args| {
                let deadline = ready(w, rep(args, 0)?)?;
                Ok(vec![Val::Bool(deadline.is_none_or(|d| d <= Instant::now()))])
            });
            def(linker, name, "[method]pollable.block", |w, args| {
                sleep_until(ready(w, rep(args, 0)?)?);
                Ok(Vec::new())
            });
            def(linker, name, "poll", poll);
        }
        "streams" => {
            resource(linker, name, "input-stream");
            resource(linker, name, "output-stream");
            def(linker, name, "[method]input-stream.read", read);
            def(linker, name, "[method]input-stream.blocking-read", read);
            def(linker, name, "[method]input-stream.skip", skip);
            def(linker, name, "[method]input-stream.blocking-skip", skip);
            def(linker, name, "[method]input-stream.subscribe", subscribe);
            def(linker, name, "[method]output-stream.check-write", |w, args| {
                w.get(rep(args, 0)?)?;
                Ok(vec![ok(Some(Val::U64(WRITE_BUDGET)))])
            });
            def(linker, name, "[method]output-stream.write", write);
            def(linker, name, "[method]output-stream.blocking-write-and-flush", write);
            def(linker, name, "[method]output-stream.flush", |_, _| Ok(vec![ok(None)]));
            def(linker, name, "[method]output-stream.blocking-flush", |_, _| Ok(vec![ok(None)]));
            def(linker, name, "[method]output-stream.subscribe", subscribe);
            def(linker, name, "[method]output-stream.write-zeroes", write_zeroes);
            def(linker, name, "[method]output-stream.blocking-write-zeroes-and-flush", write_zeroes);
            def(linker, name, "[method]output-stream.splice", |_, _| {
                Err("wasi:io/streams output-stream.splice is not implemented by this host".into())
            });
            def(linker, name, "[method]output-stream.blocking-splice", |_, _| {
                Err("wasi:io/streams output-stream.blocking-splice is not implemented by this host".into())
            });
        }
        _ => return false,
    }
    true
}
