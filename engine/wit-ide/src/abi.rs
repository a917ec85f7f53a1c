//! Canonical-ABI facts for hovers: converts resolved WIT types to the ABI crate's [`ValType`]
//! and describes layouts and core signatures in a few lines of markdown.

use canopy_canonical_abi::{self as abi, Context, CoreSignature, CoreType, ValType};
use canopy_wit_analysis::hir::Primitive;
use canopy_wit_analysis::resolve::{Function, Resolved, Type, TypeDefKind, TypeId};

/// How deep a value type may nest for its facts to be computed, counting one level per list,
/// record, variant, option, result, tuple, map and fixed-size list (aliases are followed
/// without counting). Deeper types (WIT allows any depth through named types) get a note
/// instead, and the canonical-ABI computations, which recurse once per level, stay this
/// shallow.
pub(crate) const MAX_DEPTH: usize = 100;

/// How many parts (nodes of the value type, with every named type expanded where it is used) a
/// type may have for its facts to be computed: a type naming another twice holds it twice, so
/// the expansion can be exponential in the length of the WIT that defines it.
pub(crate) const MAX_PARTS: usize = 10_000;

/// Why a type has no canonical-ABI shape here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NoShape {
    /// Part of it did not resolve (or is an alias cycle): an error says so elsewhere.
    Unresolved,
    /// It nests deeper than [`MAX_DEPTH`].
    TooDeep,
    /// It expands to more than [`MAX_PARTS`] parts.
    TooLarge,
}

impl NoShape {
    /// The hover line for a type whose facts are not computed (`None` when unresolved).
    fn note(self) -> Option<String> {
        match self {
            NoShape::Unresolved => None,
            NoShape::TooDeep => {
                Some(format!("Canonical ABI: not computed (the type nests more than {MAX_DEPTH} levels deep)"))
            }
            NoShape::TooLarge => Some(format!(
                "Canonical ABI: not computed (the type has more than {MAX_PARTS} parts once named types are expanded)"
            )),
        }
    }
}

/// The ABI shape of a type expression.
pub(crate) fn val_type(resolved: &Resolved, ty: &Type) -> Result<ValType, NoShape> {
    convert(resolved, ty)
}

/// The ABI shape of a named type (a resource is an owned handle).
pub(crate) fn val_type_of_def(resolved: &Resolved, id: TypeId) -> Result<ValType, NoShape> {
    convert(resolved, &Type::Named(id))
}

/// The facts line of a type, or the note saying why there is none (`None` when unresolved).
pub(crate) fn facts_line(shape: Result<ValType, NoShape>) -> Option<String> {
    match shape {
        Ok(ty) => Some(type_facts(&ty)),
        Err(why) => why.note(),
    }
}

/// How a value type is built once its parts are: the constructor and how many parts it takes
/// from the stack of built values.
enum Build {
    List,
    FixedList(u32),
    Map,
    Option,
    Result {
        ok: bool,
        err: bool,
    },
    Tuple(usize),
    Record(usize),
    /// Which cases have a payload.
    Variant(Vec<bool>),
}

/// Converts on explicit stacks (types nest through named types as deep as the WIT is long):
/// `tasks` holds what is left to convert or build, `built` the converted parts, in order.
fn convert(resolved: &Resolved, ty: &Type) -> Result<ValType, NoShape> {
    enum Task<'r> {
        Convert(&'r Type, usize),
        Build(Build),
    }
    let mut tasks = vec![Task::Convert(ty, 0)];
    let mut built: Vec<ValType> = Vec::new();
    let mut parts = 0usize;
    while let Some(task) = tasks.pop() {
        let (ty, depth) = match task {
            Task::Convert(ty, depth) => (ty, depth),
            Task::Build(build) => {
                let value = build_value(build, &mut built).ok_or(NoShape::Unresolved)?;
                built.push(value);
                continue;
            }
        };
        parts += 1;
        if parts > MAX_PARTS {
            return Err(NoShape::TooLarge);
        }
        // A named type stands for its definition, one level deeper unless it is an alias.
        let (ty, depth) = match ty {
            Type::Named(id) => {
                let target = resolved.resolve_alias(*id);
                match &resolved.type_def(target).kind {
                    TypeDefKind::Alias(Type::Named(_)) | TypeDefKind::Unresolved => return Err(NoShape::Unresolved),
                    TypeDefKind::Alias(aliased) => (aliased, depth),
                    TypeDefKind::Enum(cases) => {
                        built.push(ValType::Enum(u32::try_from(cases.len()).map_err(|_| NoShape::TooLarge)?));
                        continue;
                    }
                    TypeDefKind::Flags(flags) => {
                        built.push(ValType::Flags(u32::try_from(flags.len()).map_err(|_| NoShape::TooLarge)?));
                        continue;
                    }
                    TypeDefKind::Resource => {
                        built.push(ValType::Own);
                        continue;
                    }
                    TypeDefKind::Record(fields) => {
                        if depth >= MAX_DEPTH {
                            return Err(NoShape::TooDeep);
                        }
                        tasks.push(Task::Build(Build::Record(fields.len())));
                        tasks.extend(fields.iter().rev().map(|(_, t)| Task::Convert(t, depth + 1)));
                        continue;
                    }
                    TypeDefKind::Variant(cases) => {
                        if depth >= MAX_DEPTH {
                            return Err(NoShape::TooDeep);
                        }
                        tasks.push(Task::Build(Build::Variant(cases.iter().map(|(_, t)| t.is_some()).collect())));
                        tasks.extend(
                            cases.iter().rev().filter_map(|(_, t)| t.as_ref()).map(|t| Task::Convert(t, depth + 1)),
                        );
                        continue;
                    }
                }
            }
            other => (other, depth),
        };
        let leaf = match ty {
            Type::Primitive(p) => Some(primitive(*p)),
            Type::Own(_) => Some(ValType::Own),
            Type::Borrow(_) => Some(ValType::Borrow),
            Type::Future(_) => Some(ValType::Future),
            Type::Stream(_) => Some(ValType::Stream),
            Type::Error => return Err(NoShape::Unresolved),
            _ => None,
        };
        if let Some(leaf) = leaf {
            built.push(leaf);
            continue;
        }
        if depth >= MAX_DEPTH {
            return Err(NoShape::TooDeep);
        }
        let inner = depth + 1;
        let (build, children): (Build, Vec<&Type>) = match ty {
            Type::List(t) => (Build::List, vec![t]),
            Type::FixedList(t, n) => (Build::FixedList(*n), vec![t]),
            Type::Map(k, v) => (Build::Map, vec![k, v]),
            Type::Option(t) => (Build::Option, vec![t]),
            Type::Result(ok, err) => {
                (Build::Result { ok: ok.is_some(), err: err.is_some() }, ok.iter().chain(err).map(|t| &**t).collect())
            }
            Type::Tuple(types) => (Build::Tuple(types.len()), types.iter().collect()),
            // A named type that is not an alias was handled above; leaves too.
            _ => return Err(NoShape::Unresolved),
        };
        tasks.push(Task::Build(build));
        tasks.extend(children.into_iter().rev().map(|t| Task::Convert(t, inner)));
    }
    match (built.pop(), built.is_empty()) {
        (Some(value), true) => Ok(value),
        _ => Err(NoShape::Unresolved),
    }
}

/// Builds one value from its parts, the last ones of `built`.
fn build_value(build: Build, built: &mut Vec<ValType>) -> Option<ValType> {
    let take = |built: &mut Vec<ValType>, count: usize| -> Option<Vec<ValType>> {
        let start = built.len().checked_sub(count)?;
        Some(built.split_off(start))
    };
    Some(match build {
        Build::List => ValType::List(Box::new(built.pop()?)),
        Build::FixedList(n) => ValType::FixedList(Box::new(built.pop()?), n),
        Build::Map => {
            let value = built.pop()?;
            let key = built.pop()?;
            ValType::Map(Box::new(key), Box::new(value))
        }
        Build::Option => ValType::Option(Box::new(built.pop()?)),
        Build::Result { ok, err } => {
            let err = if err { Some(Box::new(built.pop()?)) } else { None };
            let ok = if ok { Some(Box::new(built.pop()?)) } else { None };
            ValType::Result { ok, err }
        }
        Build::Tuple(count) => ValType::Tuple(take(built, count)?),
        Build::Record(count) => ValType::Record(take(built, count)?),
        Build::Variant(has_payload) => {
            let mut payloads = take(built, has_payload.iter().filter(|&&p| p).count())?.into_iter();
            ValType::Variant(has_payload.into_iter().map(|p| if p { payloads.next() } else { None }).collect())
        }
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
    let shapes = || -> Result<(Vec<ValType>, Option<ValType>), NoShape> {
        let params = f.params.iter().map(|(_, t)| val_type(resolved, t)).collect::<Result<_, _>>()?;
        let result = f.result.as_ref().map(|t| val_type(resolved, t)).transpose()?;
        Ok((params, result))
    };
    let (params, result) = match shapes() {
        Ok(shapes) => shapes,
        Err(why) => return why.note(),
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
