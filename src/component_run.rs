//! `canopy run` on a component: loads it (binary or text), instantiates it with no imports
//! granted, calls the `--invoke` export with WAVE arguments typed by its WIT signature, and
//! prints the results in WAVE.
//!
//! The export is named as the component names it (`echo`, `wasi:cli/run@0.2.0#run`), or by a
//! function name alone when exactly one exported instance has a function of that name.

use canopy_component::runtime::{Component, Item, Linker, Store};
use canopy_component::wave::{WaveCall, to_wave};

use crate::Status;
use crate::text;

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
pub fn run(path: &str, bytes: &[u8], invoke: &str) -> Result<Vec<String>, (Status, String)> {
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
    let imports: Vec<&str> = component.import_names().collect();
    if !imports.is_empty() {
        return Err(failure(format!(
            "{path}: the component imports what `canopy run` does not provide yet:\n{}",
            imports.iter().map(|i| format!("  {i}")).collect::<Vec<_>>().join("\n")
        )));
    }
    let mut store = Store::new();
    let instance =
        store.instantiate(&Linker::new(), &component, "root").map_err(|e| failure(format!("{path}: {e}")))?;
    let exports: Vec<String> = component.export_names().map(str::to_string).collect();
    let export = resolve_export(&store, instance, &exports, name).map_err(|m| usage(format!("{path}: {m}")))?;
    let sig =
        store.func_type(instance, &export).ok_or_else(|| usage(format!("{path}: `{export}` is not a function")))?;
    let args = call.args(&sig.param_types()).map_err(|e| usage(format!("invalid arguments for `{export}`: {e}")))?;
    let results = store.call(instance, &export, &args).map_err(|trap| failure(trap.to_string()))?;
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
