//! Canonical-ABI facts for hovers: converts resolved WIT types to the ABI crate's [`ValType`]
//! and describes layouts and core signatures in a few lines of markdown.

use canopy_canonical_abi::{self as abi, Context, CoreSignature, CoreType, ValType};
use canopy_wit_analysis::hir::Primitive;
use canopy_wit_analysis::resolve::{Function, Resolved, Type, TypeDefKind, TypeId};

/// How deep type definitions are followed (WIT types are not recursive; this guards against
/// cycles left by errors).
const MAX_DEPTH: usize = 64;

/// The ABI shape of a type expression; `None` when part of it did not resolve.
pub(crate) fn val_type(resolved: &Resolved, ty: &Type) -> Option<ValType> {
    convert(resolved, ty, 0)
}

/// The ABI shape of a named type (a resource is an owned handle).
pub(crate) fn val_type_of_def(resolved: &Resolved, id: TypeId) -> Option<ValType> {
    convert(resolved, &Type::Named(id), 0)
}

fn convert(resolved: &Resolved, ty: &Type, depth: usize) -> Option<ValType> {
    if depth > MAX_DEPTH {
        return None;
    }
    let go = |t: &Type| convert(resolved, t, depth + 1);
    let boxed = |t: &Type| go(t).map(Box::new);
    Some(match ty {
        Type::Primitive(p) => primitive(*p),
        Type::Named(id) => return named(resolved, *id, depth),
        Type::List(t) => ValType::List(boxed(t)?),
        Type::FixedList(t, n) => ValType::FixedList(boxed(t)?, *n),
        Type::Map(k, v) => ValType::Map(boxed(k)?, boxed(v)?),
        Type::Option(t) => ValType::Option(boxed(t)?),
        Type::Result(ok, err) => ValType::Result {
            ok: match ok {
                Some(t) => Some(boxed(t)?),
                None => None,
            },
            err: match err {
                Some(t) => Some(boxed(t)?),
                None => None,
            },
        },
        Type::Tuple(types) => ValType::Tuple(types.iter().map(go).collect::<Option<_>>()?),
        Type::Own(_) => ValType::Own,
        Type::Borrow(_) => ValType::Borrow,
        Type::Future(_) => ValType::Future,
        Type::Stream(_) => ValType::Stream,
        Type::Error => return None,
    })
}

fn named(resolved: &Resolved, id: TypeId, depth: usize) -> Option<ValType> {
    let go = |t: &Type| convert(resolved, t, depth + 1);
    Some(match &resolved.type_def(id).kind {
        TypeDefKind::Record(fields) => ValType::Record(fields.iter().map(|(_, t)| go(t)).collect::<Option<_>>()?),
        TypeDefKind::Variant(cases) => ValType::Variant(
            cases
                .iter()
                .map(|(_, t)| match t {
                    Some(t) => go(t).map(Some),
                    None => Some(None),
                })
                .collect::<Option<_>>()?,
        ),
        TypeDefKind::Enum(cases) => ValType::Enum(u32::try_from(cases.len()).ok()?),
        TypeDefKind::Flags(flags) => ValType::Flags(u32::try_from(flags.len()).ok()?),
        TypeDefKind::Resource => ValType::Own,
        TypeDefKind::Alias(t) => go(t)?,
        TypeDefKind::Unresolved => return None,
    })
}

fn primitive(p: Primitive) -> ValType {
    match p {
        Primitive::Bool => ValType::Bool,
        Primitive::U8 => ValType::U8,
        Primitive::U16 => ValType::U16,
        Primitive::U32 => ValType::U32,
        Primitive::U64 => ValType::U64,
        Primitive::S8 => ValType::S8,
        Primitive::S16 => ValType::S16,
        Primitive::S32 => ValType::S32,
        Primitive::S64 => ValType::S64,
        Primitive::F32 => ValType::F32,
        Primitive::F64 => ValType::F64,
        Primitive::Char => ValType::Char,
        Primitive::String => ValType::String,
        Primitive::ErrorContext => ValType::ErrorContext,
    }
}

/// How many core values a flattening shows before saying "more than".
const MAX_SHOWN_FLAT: usize = 16;

/// One markdown line about how a value type sits in memory and in core values, or why the
/// Canonical ABI rejects it.
pub(crate) fn type_facts(ty: &ValType) -> String {
    if let Err(error) = abi::validate(ty) {
        return format!("Canonical ABI: not representable ({error})");
    }
    let layout = abi::layout(ty);
    let flat = match abi::flatten_types_bounded(std::slice::from_ref(ty), MAX_SHOWN_FLAT) {
        Some(flat) => format!("`{}`", core_types(&flat)),
        None => format!("more than {MAX_SHOWN_FLAT} core values"),
    };
    format!("Canonical ABI: size {}, align {}; flattens to {flat}", layout.size, layout.align)
}

/// The byte offset of field `index` in a record whose fields have these types.
pub(crate) fn field_offset(fields: &[ValType], index: usize) -> u32 {
    let mut offset = 0u32;
    for (i, field) in fields.iter().enumerate() {
        let layout = abi::layout(field);
        let align = layout.align.max(1);
        offset = offset.div_ceil(align) * align;
        if i == index {
            break;
        }
        offset += layout.size;
    }
    offset
}

/// Markdown lines with the core signatures of a function: lifted (the callee implementing an
/// export) and lowered (the caller of an import); for an `async func` also with the `async`
/// option, which the Canonical ABI allows only on `async` function types.
pub(crate) fn function_facts(resolved: &Resolved, f: &Function) -> Option<String> {
    let params: Vec<ValType> = f.params.iter().map(|(_, t)| val_type(resolved, t)).collect::<Option<_>>()?;
    let result = match &f.result {
        Some(t) => Some(val_type(resolved, t)?),
        None => None,
    };
    if let Some(error) = params.iter().chain(&result).find_map(|t| abi::validate(t).err()) {
        return Some(format!("Canonical ABI: not representable ({error})"));
    }
    let describe = |label: &str, context: Context, is_async: bool| {
        let signature = abi::core_signature(&params, result.as_ref(), context, is_async);
        format!("- {label}: `{}`{}", signature_text(&signature), spill_notes(&signature))
    };
    let mut lines = vec!["Canonical ABI core signatures:".to_string()];
    if f.is_async {
        lines.push(describe("lift (async, callback)", Context::Lift, true));
        lines.push(describe("lower (async)", Context::Lower, true));
        lines.push(describe("lift (sync)", Context::Lift, false));
        lines.push(describe("lower (sync)", Context::Lower, false));
    } else {
        // The `async` canonical option is only valid on `async` function types.
        lines.push(describe("lift", Context::Lift, false));
        lines.push(describe("lower", Context::Lower, false));
    }
    Some(lines.join("\n"))
}

fn signature_text(signature: &CoreSignature) -> String {
    let results = match signature.results.as_slice() {
        [] => String::new(),
        [one] => format!(" -> {one}"),
        many => format!(" -> ({})", core_types(many)),
    };
    format!("({}){results}", core_types(&signature.params))
}

fn spill_notes(signature: &CoreSignature) -> String {
    let mut notes = Vec::new();
    if signature.params_spilled {
        notes.push("params spilled to memory");
    }
    if signature.results_spilled {
        notes.push("results through memory");
    }
    if notes.is_empty() { String::new() } else { format!(" ({})", notes.join(", ")) }
}

fn core_types(types: &[CoreType]) -> String {
    types.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(", ")
}
