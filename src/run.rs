//! `canopy run`: instantiates a core WebAssembly module (binary or text) and calls one export;
//! a component goes to `component_run`.
//!
//! The `--invoke` call is parsed strictly (one comma between arguments, one sign per number, no
//! text after the call) and every error points at its column. Problems in a `.wat` file are
//! given at its line and column, validation errors included; a trap's backtrace is folded.

use std::path::PathBuf;

use canopy_interp::wast::{TextModule, display, without_offset};
use canopy_interp::{Config, Engine, Error, FuncType, Limits, Linker, Module, Store, TrapKind, ValType, Value};
use clap::Args;

use crate::Status;
use crate::text;

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

    /// Components: grant the environment variable NAME, with VAL or with the host's value.
    #[arg(long = "env", value_name = "NAME[=VAL]")]
    env: Vec<String>,

    /// Components: preopen the host directory HOST for the guest as GUEST.
    #[arg(long = "dir", value_name = "HOST::GUEST")]
    dirs: Vec<String>,

    /// Components: satisfy imports the host lacks with functions that trap when called
    /// (wasmtime's flag), instead of refusing to instantiate.
    #[arg(long)]
    trap_unknown_imports: bool,

    /// Components: arguments for the guest (its `wasi:cli/environment` arguments after
    /// the component's name).
    #[arg(last = true, value_name = "ARGS")]
    guest_args: Vec<String>,
}

/// Runs `canopy run`.
pub fn run(args: RunArgs) -> Status {
    if let Ok(bytes) = text::read_bounded(&args.module)
        && crate::component_run::is_component(&bytes)
    {
        let path = args.module.display().to_string();
        let host = crate::component_run::HostOptions {
            env: args.env.clone(),
            dirs: args.dirs.clone(),
            trap_unknown_imports: args.trap_unknown_imports,
            args: args.guest_args.clone(),
        };
        return match crate::component_run::run(&path, &bytes, &args.invoke, &host) {
            Ok(results) => {
                println!("{}", results.join(" "));
                Status::Success
            }
            // A guest's own exit (`wasi:cli/exit`) is its status, not an error to report.
            Err((status @ Status::Exit(_), _)) => status,
            Err((status, message)) => {
                eprintln!("error: {}", text::escape(&message));
                status
            }
        };
    }
    match call(&args) {
        Ok(results) => {
            let shown: Vec<String> = results.iter().map(show).collect();
            println!("{}", shown.join(" "));
            Status::Success
        }
        Err((status, message)) => {
            // Everything in it may come from the module or the command line: escape it.
            eprintln!("error: {}", text::escape(&message));
            status
        }
    }
}

fn call(args: &RunArgs) -> Result<Vec<Value>, (Status, String)> {
    let usage = |m: String| (Status::Usage, m);
    let failure = |m: String| (Status::Failure, m);
    let path = args.module.display().to_string();
    // The call is checked before the module is read: a malformed call is a usage error whatever
    // the module holds.
    let call = parse_call(&args.invoke).map_err(|e| usage(e.render(&args.invoke)))?;
    let bytes = text::read_bounded(&args.module).map_err(usage)?;
    let engine = Engine::new(Config { limits: Limits { fuel: args.fuel, ..Limits::default() } });
    let module = if bytes.starts_with(b"\0asm") {
        Module::new(&engine, &bytes).map_err(|e| failure(format!("{path}: {e}")))?
    } else if args.module.extension().is_some_and(|e| e == "wasm") {
        return Err(failure(format!(
            "{path}: not a WebAssembly binary (it does not start with the `\\0asm` magic number)"
        )));
    } else {
        let source = String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            failure(format!(
                "{path}: neither a WebAssembly binary (no `\\0asm` magic number) nor UTF-8 text \
                 (an invalid byte at offset {at})"
            ))
        })?;
        let parsed =
            TextModule::parse(&source).map_err(|e| failure(format!("{path}:{}:{}: {}", e.line, e.col, e.message)))?;
        Module::new(&engine, &parsed.bytes).map_err(|e| {
            let place = match &e {
                Error::Invalid { offset, .. } | Error::Unsupported { offset, .. } => parsed.locate(*offset),
                _ => None,
            };
            match place {
                Some((line, col)) => failure(format!("{path}:{line}:{col}: {}", without_offset(&e))),
                None => failure(format!("{path}: {e}")),
            }
        })?
    };
    let mut store = Store::new(&engine);
    let instance = Linker::new().instantiate(&mut store, &module).map_err(|e| failure(format!("{path}: {e}")))?;
    let name = call.name;
    let Some(canopy_interp::Extern::Func(func)) = store.export(instance, name) else {
        return Err(usage(format!("{path} exports no function `{name}`")));
    };
    let ty: FuncType = store.func_type(func).cloned().ok_or_else(|| usage("dangling export".into()))?;
    // Each argument's text is checked first, so that a malformed one is shown at its column
    // even when the count is wrong too.
    let values = ty
        .params
        .iter()
        .zip(&call.args)
        .map(|(t, (at, a))| parse_value(*t, a).map_err(|m| CallError { at: *at, message: m }.render(&args.invoke)))
        .collect::<Result<Vec<_>, _>>()
        .map_err(usage)?;
    if ty.params.len() != call.args.len() {
        return Err(usage(format!("`{name}` takes {} arguments ({ty}), got {}", ty.params.len(), call.args.len())));
    }
    let limits = engine.config().limits;
    crate::guest::call(&mut store, func, &values, args.timeout).map_err(|stopped| match stopped {
        crate::guest::Stopped::Trap(trap) if matches!(trap.kind, TrapKind::FuelExhausted { .. }) => {
            let fuel = args.fuel.unwrap_or_default();
            failure(format!(
                "trap: {}\n(the call used all {fuel} units of fuel given by --fuel)",
                display::trap(&trap, &limits)
            ))
        }
        crate::guest::Stopped::Trap(trap) => failure(format!("trap: {}", display::trap(&trap, &limits))),
        crate::guest::Stopped::Timeout(limit, backtrace) => failure(format!(
            "timeout: the call ran longer than {:?} (limit --timeout), stopped in:{}",
            limit,
            crate::guest::show_backtrace(&backtrace)
        )),
        crate::guest::Stopped::Interrupted(backtrace) => (
            Status::Interrupted,
            format!("interrupted by Ctrl-C, stopped in:{}", crate::guest::show_backtrace(&backtrace)),
        ),
        crate::guest::Stopped::Failed(message) => failure(message),
    })
}

/// A parsed `--invoke`: the export's name and each argument with its byte offset in the call.
#[derive(Debug, PartialEq, Eq)]
struct Call<'a> {
    name: &'a str,
    args: Vec<(usize, &'a str)>,
}

/// What is wrong with a call, and at which byte of it.
#[derive(Debug, PartialEq, Eq)]
struct CallError {
    at: usize,
    message: String,
}

impl CallError {
    /// The message, the call (escaped) and a caret under the problem.
    fn render(&self, call: &str) -> String {
        let shown = text::escape_line(call);
        let before = text::escape_line(&call[..self.at.min(call.len())]);
        let column = call[..self.at.min(call.len())].chars().count() + 1;
        format!(
            "invalid call: {} (column {column})\n  {shown}\n  {}^",
            self.message,
            " ".repeat(before.chars().count())
        )
    }
}

/// Parses `name`, `name()` or `name(a, b)`: a name without spaces or parentheses, then
/// arguments separated by single commas. Empty arguments, doubled or trailing commas and text
/// after the closing parenthesis are errors at their position.
fn parse_call(call: &str) -> Result<Call<'_>, CallError> {
    let err = |at: usize, message: &str| CallError { at, message: message.to_string() };
    let bytes = call.as_bytes();
    let skip_ws = |mut i: usize| {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    let mut i = skip_ws(0);
    let name_start = i;
    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !b"(),".contains(&bytes[i]) {
        i += 1;
    }
    let name = &call[name_start..i];
    if name.is_empty() {
        return Err(err(i, "expected the name of an exported function"));
    }
    if let Some(c) = name.chars().find(|&c| text::is_unsafe(c)) {
        let at = name_start + name.find(c).unwrap_or(0);
        return Err(err(at, "a control character in the name"));
    }
    i = skip_ws(i);
    if i == bytes.len() {
        return Ok(Call { name, args: Vec::new() });
    }
    if bytes[i] != b'(' {
        return Err(err(i, "expected `(` after the name"));
    }
    i = skip_ws(i + 1);
    let mut args = Vec::new();
    if i < bytes.len() && bytes[i] == b')' {
        i += 1;
    } else {
        loop {
            let start = i;
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !b"(),".contains(&bytes[i]) {
                i += 1;
            }
            if i == start {
                return Err(err(
                    start,
                    if start == bytes.len() { "expected an argument and `)`" } else { "expected an argument" },
                ));
            }
            args.push((start, &call[start..i]));
            i = skip_ws(i);
            match bytes.get(i) {
                Some(b',') => i = skip_ws(i + 1),
                Some(b')') => {
                    i += 1;
                    break;
                }
                Some(_) => return Err(err(i, "expected `,` or `)` after the argument")),
                None => return Err(err(i, "expected `)`")),
            }
        }
    }
    i = skip_ws(i);
    if i < bytes.len() {
        return Err(err(i, "unexpected text after the call"));
    }
    Ok(Call { name, args })
}

/// An integer literal: one optional sign, then decimal digits or `0x` and hex digits, with `_`
/// only between digits (as in `.wat`).
fn int_literal(text: &str) -> Option<i128> {
    let (neg, rest) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, digits) = match rest.strip_prefix("0x").or_else(|| rest.strip_prefix("0X")) {
        Some(hex) => (16, hex),
        None => (10, rest),
    };
    let ok = !digits.is_empty()
        && !digits.starts_with('_')
        && !digits.ends_with('_')
        && !digits.contains("__")
        && digits.chars().all(|c| c == '_' || c.is_digit(radix));
    if !ok {
        return None;
    }
    let magnitude = u128::from_str_radix(&digits.replace('_', ""), radix).ok()?;
    if neg { 0i128.checked_sub_unsigned(magnitude) } else { i128::try_from(magnitude).ok() }
}

/// A float literal: a decimal number, `inf`, `nan` or `nan:0x…` (a payload), each with one
/// optional sign. A finite number too large for the type is an error, not infinity.
fn float_literal(
    text: &str,
    mantissa_bits: u32,
    parse: impl Fn(&str) -> Option<(f64, bool)>,
) -> Result<FloatLit, String> {
    let (neg, rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "inf" {
        return Ok(FloatLit::Inf(neg));
    }
    if rest == "nan" {
        return Ok(FloatLit::Nan(neg, 1 << (mantissa_bits - 1)));
    }
    if let Some(payload) = rest.strip_prefix("nan:0x") {
        let payload = u64::from_str_radix(&payload.replace('_', ""), 16)
            .map_err(|_| "a NaN payload is hex digits".to_string())?;
        if payload == 0 || payload >> mantissa_bits != 0 {
            return Err(format!("a NaN payload is between 0x1 and {:#x}", (1u64 << mantissa_bits) - 1));
        }
        return Ok(FloatLit::Nan(neg, payload));
    }
    let plain =
        !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'));
    let (value, infinite) = if plain { parse(text).ok_or_else(String::new)? } else { return Err(String::new()) };
    if infinite {
        return Err("out of range (write `inf` for infinity)".into());
    }
    Ok(FloatLit::Finite(value))
}

/// A float literal's meaning, before it becomes bits.
enum FloatLit {
    Finite(f64),
    Inf(bool),
    Nan(bool, u64),
}

fn parse_value(ty: ValType, text: &str) -> Result<Value, String> {
    let bad = |why: String| {
        if why.is_empty() {
            format!("`{text}` is not a valid {ty}")
        } else {
            format!("`{text}` is not a valid {ty}: {why}")
        }
    };
    let int = || int_literal(text).ok_or_else(|| bad(String::new()));
    let range = || bad("out of range".into());
    Ok(match ty {
        ValType::I32 => {
            let v = int()?;
            if v < i32::MIN as i128 || v > u32::MAX as i128 {
                return Err(range());
            }
            Value::I32(v as u32 as i32)
        }
        ValType::I64 => {
            let v = int()?;
            if v < i64::MIN as i128 || v > u64::MAX as i128 {
                return Err(range());
            }
            Value::I64(v as u64 as i64)
        }
        ValType::F32 => {
            let lit =
                float_literal(text, 23, |t| t.parse::<f32>().ok().map(|v| (v as f64, v.is_infinite()))).map_err(bad)?;
            Value::F32(match lit {
                FloatLit::Finite(v) => (v as f32).to_bits(),
                FloatLit::Inf(neg) => if neg { f32::NEG_INFINITY } else { f32::INFINITY }.to_bits(),
                FloatLit::Nan(neg, payload) => (u32::from(neg) << 31) | 0x7f80_0000 | payload as u32,
            })
        }
        ValType::F64 => {
            let lit = float_literal(text, 52, |t| t.parse::<f64>().ok().map(|v| (v, v.is_infinite()))).map_err(bad)?;
            Value::F64(match lit {
                FloatLit::Finite(v) => v.to_bits(),
                FloatLit::Inf(neg) => if neg { f64::NEG_INFINITY } else { f64::INFINITY }.to_bits(),
                FloatLit::Nan(neg, payload) => (u64::from(neg) << 63) | 0x7ff0_0000_0000_0000 | payload,
            })
        }
        ValType::V128 => {
            let v = int()?;
            Value::V128(v as u128)
        }
        ValType::FuncRef | ValType::ExternRef if text == "null" => ty.default_value(),
        ValType::FuncRef | ValType::ExternRef => return Err(format!("only `null` can be passed as a {ty}")),
    })
}

/// A result as printed: integers in decimal, floats exactly (NaN sign and payload as `.wat`
/// writes them: `-nan:0x123`).
fn show(value: &Value) -> String {
    match value {
        Value::I32(v) => v.to_string(),
        Value::I64(v) => v.to_string(),
        Value::F32(b) => display::f32_text(*b),
        Value::F64(b) => display::f64_text(*b),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(call: &str) -> Vec<&str> {
        parse_call(call).unwrap().args.into_iter().map(|(_, a)| a).collect()
    }

    #[test]
    fn parses_calls_and_typed_arguments() {
        assert_eq!(parse_call("fib(30)").unwrap().name, "fib");
        assert_eq!(args("fib(30)"), vec!["30"]);
        assert_eq!(args(" add( 1, -2 ) "), vec!["1", "-2"]);
        assert_eq!(args("add (1,2)"), vec!["1", "2"]);
        assert_eq!(parse_call("main").unwrap(), Call { name: "main", args: vec![] });
        assert_eq!(args("main()"), Vec::<&str>::new());
        assert!(parse_call("f(1").is_err());
        assert_eq!(parse_value(ValType::I32, "-1").unwrap(), Value::I32(-1));
        assert_eq!(parse_value(ValType::I32, "0xffffffff").unwrap(), Value::I32(-1));
        assert_eq!(parse_value(ValType::I32, "1_000").unwrap(), Value::I32(1000));
        assert!(parse_value(ValType::I32, "4294967296").is_err());
        assert_eq!(parse_value(ValType::F64, "2.5").unwrap(), Value::F64(2.5f64.to_bits()));
        assert!(parse_value(ValType::F32, "x").is_err());
    }

    #[test]
    fn malformed_calls_are_errors_at_their_position() {
        let at = |call: &str| parse_call(call).unwrap_err().at;
        assert_eq!(at("add(,,,1,,,2,,,)"), 4);
        assert_eq!(at("add(1,,2)"), 6);
        assert_eq!(at("add(1,2,)"), 8);
        assert_eq!(at("add(1 2)"), 6);
        assert_eq!(at("add(1,2) x"), 9);
        assert_eq!(at("add(1,2))"), 8);
        assert_eq!(at("(1)"), 0);
        assert_eq!(at("a b"), 2);
        let rendered = parse_call("f(1,,2)").unwrap_err().render("f(1,,2)");
        assert!(rendered.ends_with("  f(1,,2)\n      ^"), "{rendered}");
    }

    #[test]
    fn numbers_take_one_sign_and_digits_only() {
        for bad in ["--1", "-+1", "+-1", "1-", "0x", "_1", "1__0", "1_", "0x-1", "1.0", " 1", "1e3"] {
            assert!(parse_value(ValType::I32, bad).is_err(), "{bad}");
            assert!(parse_value(ValType::I64, bad).is_err(), "{bad}");
        }
        assert_eq!(parse_value(ValType::I64, "+7").unwrap(), Value::I64(7));
        for bad in ["--1", "1e39", "-1e39", "1..0", "nan:0x0", "nan:0x800000", "infinity", "NaN"] {
            assert!(parse_value(ValType::F32, bad).is_err(), "{bad}");
        }
        assert!(parse_value(ValType::F64, "1e309").is_err());
        assert_eq!(parse_value(ValType::F64, "1e39").unwrap(), Value::F64(1e39f64.to_bits()));
        assert_eq!(parse_value(ValType::F32, "-nan:0x123").unwrap(), Value::F32(0xff80_0123));
        assert_eq!(parse_value(ValType::F32, "-inf").unwrap(), Value::F32(f32::NEG_INFINITY.to_bits()));
        assert_eq!(show(&Value::F32(0xff80_0123)), "-nan:0x123");
        assert_eq!(show(&Value::F64(f64::NAN.to_bits())), "nan");
    }
}
