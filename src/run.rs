//! `canopy run`: instantiates a core WebAssembly module (binary or text) and calls one export.

use std::path::PathBuf;

use canopy_interp::{Config, Engine, FuncType, Limits, Linker, Module, Store, TrapKind, ValType, Value};
use clap::Args;

use crate::Status;

/// Arguments of `canopy run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The module: a `.wasm` binary or a `.wat` text file.
    #[arg(value_name = "MODULE")]
    module: PathBuf,

    /// The call to make, e.g. `fib(30)` or `add(1, 2.5)`; arguments are typed by the export's
    /// signature. Without arguments the parentheses may be left out.
    #[arg(long, value_name = "CALL")]
    invoke: String,

    /// Stop the call with a trap after this much fuel (one unit per call and per taken
    /// branch), as wasmtime's `--fuel` does.
    #[arg(long, value_name = "N")]
    fuel: Option<u64>,

    /// Stop the call when it has run this long (`500ms`, `2s`, `1m`), reporting where it was.
    #[arg(long, value_name = "DURATION", value_parser = crate::guest::parse_duration)]
    timeout: Option<std::time::Duration>,
}

/// Runs `canopy run`.
pub fn run(args: RunArgs) -> Status {
    match call(&args) {
        Ok(results) => {
            let shown: Vec<String> = results.iter().map(show).collect();
            println!("{}", shown.join(" "));
            Status::Success
        }
        Err((status, message)) => {
            eprintln!("error: {message}");
            status
        }
    }
}

fn call(args: &RunArgs) -> Result<Vec<Value>, (Status, String)> {
    let usage = |m: String| (Status::Usage, m);
    let bytes =
        std::fs::read(&args.module).map_err(|e| usage(format!("cannot read {}: {e}", args.module.display())))?;
    let engine = Engine::new(Config { limits: Limits { fuel: args.fuel, ..Limits::default() } });
    let module = if bytes.starts_with(b"\0asm") {
        Module::new(&engine, &bytes)
    } else {
        let text =
            String::from_utf8(bytes).map_err(|_| usage(format!("{} is not UTF-8 text", args.module.display())))?;
        Module::from_text(&engine, &text)
    }
    .map_err(|e| (Status::Failure, format!("{}: {e}", args.module.display())))?;
    let (name, raw_args) = parse_call(&args.invoke).map_err(usage)?;
    let mut store = Store::new(&engine);
    let instance = Linker::new().instantiate(&mut store, &module).map_err(|e| (Status::Failure, e.to_string()))?;
    let Some(canopy_interp::Extern::Func(func)) = store.export(instance, name) else {
        return Err(usage(format!("the module exports no function `{name}`")));
    };
    let ty: FuncType = store.func_type(func).cloned().ok_or_else(|| usage("dangling export".into()))?;
    if ty.params.len() != raw_args.len() {
        return Err(usage(format!("`{name}` takes {} arguments ({ty}), got {}", ty.params.len(), raw_args.len())));
    }
    let values = ty
        .params
        .iter()
        .zip(&raw_args)
        .map(|(t, a)| parse_value(*t, a))
        .collect::<Result<Vec<_>, _>>()
        .map_err(usage)?;
    crate::guest::call(&mut store, func, &values, args.timeout).map_err(|stopped| match stopped {
        crate::guest::Stopped::Trap(trap) if trap.kind == TrapKind::FuelExhausted => {
            let fuel = args.fuel.unwrap_or_default();
            (Status::Failure, format!("trap: {trap}\n(the call used all {fuel} units of fuel given by --fuel)"))
        }
        crate::guest::Stopped::Trap(trap) => (Status::Failure, format!("trap: {trap}")),
        crate::guest::Stopped::Timeout(limit, backtrace) => (
            Status::Failure,
            format!(
                "timeout: the call ran longer than {:?} (limit --timeout), stopped in:{}",
                limit,
                crate::guest::show_backtrace(&backtrace)
            ),
        ),
        crate::guest::Stopped::Interrupted(backtrace) => (
            Status::Interrupted,
            format!("interrupted by Ctrl-C, stopped in:{}", crate::guest::show_backtrace(&backtrace)),
        ),
        crate::guest::Stopped::Failed(message) => (Status::Failure, message),
    })
}

/// Splits `name(a, b)` into the name and its argument texts.
fn parse_call(text: &str) -> Result<(&str, Vec<&str>), String> {
    let text = text.trim();
    let Some(open) = text.find('(') else { return Ok((text, Vec::new())) };
    let inner =
        text[open + 1..].strip_suffix(')').ok_or_else(|| format!("`{text}`: expected a closing parenthesis"))?;
    let args = inner.split(',').map(str::trim).filter(|a| !a.is_empty()).collect();
    Ok((text[..open].trim(), args))
}

fn parse_value(ty: ValType, text: &str) -> Result<Value, String> {
    let bad = || format!("`{text}` is not a valid {ty}");
    let int = |t: &str| -> Option<i128> {
        let (neg, digits) = t.strip_prefix('-').map_or((false, t), |d| (true, d));
        let digits = digits.replace('_', "");
        let v = match digits.strip_prefix("0x") {
            Some(hex) => i128::from_str_radix(hex, 16).ok()?,
            None => digits.parse::<i128>().ok()?,
        };
        Some(if neg { -v } else { v })
    };
    Ok(match ty {
        ValType::I32 => {
            let v = int(text).filter(|v| *v >= i32::MIN as i128 && *v <= u32::MAX as i128).ok_or_else(bad)?;
            Value::I32(v as u32 as i32)
        }
        ValType::I64 => {
            let v = int(text).filter(|v| *v >= i64::MIN as i128 && *v <= u64::MAX as i128).ok_or_else(bad)?;
            Value::I64(v as u64 as i64)
        }
        ValType::F32 => Value::F32(text.parse::<f32>().map_err(|_| bad())?.to_bits()),
        ValType::F64 => Value::F64(text.parse::<f64>().map_err(|_| bad())?.to_bits()),
        ValType::V128 => Value::V128(int(text).ok_or_else(bad)? as u128),
        ValType::FuncRef | ValType::ExternRef if text == "null" => ty.default_value(),
        ValType::FuncRef | ValType::ExternRef => return Err(format!("only `null` can be passed as a {ty}")),
    })
}

fn show(value: &Value) -> String {
    match value {
        Value::I32(v) => v.to_string(),
        Value::I64(v) => v.to_string(),
        Value::F32(b) => f32::from_bits(*b).to_string(),
        Value::F64(b) => f64::from_bits(*b).to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_calls_and_typed_arguments() {
        assert_eq!(parse_call("fib(30)").unwrap(), ("fib", vec!["30"]));
        assert_eq!(parse_call(" add( 1, -2 ) ").unwrap(), ("add", vec!["1", "-2"]));
        assert_eq!(parse_call("main").unwrap(), ("main", vec![]));
        assert!(parse_call("f(1").is_err());
        assert_eq!(parse_value(ValType::I32, "-1").unwrap(), Value::I32(-1));
        assert_eq!(parse_value(ValType::I32, "0xffffffff").unwrap(), Value::I32(-1));
        assert!(parse_value(ValType::I32, "4294967296").is_err());
        assert_eq!(parse_value(ValType::F64, "2.5").unwrap(), Value::F64(2.5f64.to_bits()));
        assert!(parse_value(ValType::F32, "x").is_err());
    }
}
