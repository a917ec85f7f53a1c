//! `canopy run` on a component: loads it (binary or text), links the WASI host for its
//! `wasi:*` imports with only what the flags grant (`--env`, `--dir`, guest arguments),
//! calls the `--invoke` export with WAVE arguments typed by its WIT signature, and prints
//! the results in WAVE. Imports nobody provides are an error listing them, unless
//! `--trap-unknown-imports` stubs them with functions that trap naming themselves.
//!
//! The export is named as the component names it (`echo`, `wasi:cli/run@0.2.0#run`), or by a
//! function name alone when exactly one exported instance has a function of that name.

use canopy_component::runtime::{Component, InstantiateError, Item, Linker, Store};
use canopy_component::wave::{WaveCall, to_wave};

use canopy_wasi::WasiCtx;

use crate::Status;
use crate::text;

/// What the command line grants a component's WASI host.
#[derive(Debug, Default)]
pub struct HostOptions {
    /// `--env NAME[=VAL]`: NAME alone passes the host's value.
    pub env: Vec<String>,
    /// `--dir HOST::GUEST`.
    pub dirs: Vec<String>,
    /// `--trap-unknown-imports`.
    pub trap_unknown_imports: bool,
    /// The guest's arguments after its name.
    pub args: Vec<String>,
}

/// The WASI context the options grant; stdio is inherited.
fn wasi_ctx(path: &str, host: &HostOptions) -> Result<WasiCtx, (Status, String)> {
    let mut builder = WasiCtx::builder().inherit_stdio().arg(path);
    for arg in &host.args {
        builder = builder.arg(arg.clone());
    }
    for var in &host.env {
        match var.split_once('=') {
            Some((name, value)) => builder = builder.env(name, value),
            None => {
                if let Ok(value) = std::env::var(var) {
                    builder = builder.env(var.clone(), value);
                }
            }
        }
    }
    for dir in &host.dirs {
        let Some((host_dir, guest)) = dir.split_once("::") else {
            return Err((Status::Usage, format!("--dir `{dir}`: expected HOST::GUEST")));
        };
        if !std::path::Path::new(host_dir).is_dir() {
            return Err((Status::Usage, format!("--dir `{dir}`: `{host_dir}` is not a directory")));
        }
        builder = builder.preopened_dir(host_dir, guest);
    }
    Ok(builder.build())
}

/// Whether `bytes` (a file's contents) hold a component rather than a core module: the
/// binary's layer field, or text that begins with `(component`.
pub fn is_component(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"\0asm") {
        return wasmparser::Parser::is_component(bytes);
    }
    let Ok(source) = std::str::from_utf8(bytes) else { return false };
    strip_comments(source).starts_with("(component")
}

/// The text after leading whitespace and `;;` / `(; ;)` comments.
fn strip_comments(mut source: &str) -> &str {
    loop {
        source = source.trim_start();
        if let Some(rest) = source.strip_prefix(";;") {
            source = rest.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(rest) = source.strip_prefix("(;") {
            source = rest.split_once(";)").map_or("", |(_, after)| after);
        } else {
            return source;
        }
    }
}

/// Runs the call `invoke` on the component in `bytes` (from `path`); returns the results as
/// WAVE text, or the exit status and message of the failure.
pub fn run(path: &str, bytes: &[u8], invoke: &str, host: &HostOptions) -> Result<Vec<String>, (Status, String)> {
    let usage = |m: String| (Status::Usage, m);
    let failure = |m: String| (Status::Failure, m);
    // The name is everything before the argument list; WAVE parses the list itself.
    let (name, arg_text) = match invoke.find('(') {
        Some(open) => (invoke[..open].trim(), &invoke[open..]),
        None => (invoke.trim(), "()"),
    };
    if name.is_empty() {
        return Err(usage("invalid call: expected the name of an exported function (column 1)".into()));
    }
    let call = WaveCall::parse(&format!("f{arg_text}")).map_err(|e| usage(format!("invalid call `{invoke}`: {e}")))?;
    let component = if bytes.starts_with(b"\0asm") {
        Component::new(bytes)
    } else {
        let source = std::str::from_utf8(bytes).map_err(|e| failure(format!("{path}: not UTF-8 text: {e}")))?;
        Component::from_text(source)
    }
    .map_err(|e| failure(format!("{path}: {e}")))?;
    let mut linker = Linker::new();
    canopy_wasi::add_to_linker(&mut linker, component.import_names());
    if host.trap_unknown_imports {
        linker.define_unknown_imports_as_traps(&component);
    }
    let mut store = Store::new();
    store.set_data(wasi_ctx(path, host)?);
    let instance = store.instantiate(&linker, &component, "root").map_err(|e| match e {
        InstantiateError::MissingImports(names) => failure(format!(
            "{path}: the component imports what the host does not provide (grant it, or pass \
             --trap-unknown-imports to make each one trap when called):\n{}",
            names.iter().map(|i| format!("  {i}")).collect::<Vec<_>>().join("\n")
        )),
        other => failure(format!("{path}: {other}")),
    })?;
    let exports: Vec<String> = component.export_names().map(str::to_string).collect();
    let export = resolve_export(&store, instance, &exports, name).map_err(|m| usage(format!("{path}: {m}")))?;
    let sig =
        store.func_type(instance, &export).ok_or_else(|| usage(format!("{path}: `{export}` is not a function")))?;
    let args = call.args(&sig.param_types()).map_err(|e| usage(format!("invalid arguments for `{export}`: {e}")))?;
    let results = store.call(instance, &export, &args).map_err(|trap| {
        match store.data::<WasiCtx>().and_then(WasiCtx::exit_status) {
            Some(status) => (Status::Exit(status.min(255) as u8), format!("the guest exited with status {status}")),
            None => failure(trap.to_string()),
        }
    })?;
    results.iter().map(|v| to_wave(v).map_err(|e| failure(format!("result of `{export}`: {e}")))).collect()
}

/// The export path `name` stands for: itself, or the one `iface#name` among the exported
/// instances.
fn resolve_export(
    store: &Store,
    instance: canopy_component::runtime::InstanceId,
    exports: &[String],
    name: &str,
) -> Result<String, String> {
    if store.func(instance, name).is_some() {
        return Ok(name.to_string());
    }
    let mut functions = Vec::new();
    for export in exports {
        match store.export(instance, export) {
            Some(Item::Func(_)) => functions.push(export.clone()),
            Some(Item::Instance(members)) => {
                let mut names: Vec<&String> =
                    members.iter().filter(|(_, item)| matches!(item, Item::Func(_))).map(|(n, _)| n).collect();
                names.sort();
                functions.extend(names.into_iter().map(|member| format!("{export}#{member}")));
            }
            None => {}
        }
    }
    let matches: Vec<&String> =
        functions.iter().filter(|f| f.rsplit_once('#').is_some_and(|(_, m)| m == name)).collect();
    match matches.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(format!(
            "the component exports no function `{}`; it exports:\n{}",
            text::escape_line(name),
            functions.iter().map(|f| format!("  {f}")).collect::<Vec<_>>().join("\n")
        )),
        many => Err(format!(
            "`{}` is ambiguous; name one of:\n{}",
            text::escape_line(name),
            many.iter().map(|f| format!("  {f}")).collect::<Vec<_>>().join("\n")
        )),
    }
}
