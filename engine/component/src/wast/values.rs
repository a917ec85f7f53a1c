//! Script values: component values written in a `.wast` script (`(u32.const 1)`,
//! `(str.const "a")`, `(record (field "x" ...))`) as [`Val`]s.

use ::wast::component::WastVal;

use crate::val::Val;

/// The component value a script writes.
pub(crate) fn val(v: &WastVal<'_>) -> Val {
    let boxed = |v: &Option<Box<WastVal<'_>>>| v.as_deref().map(|v| Box::new(val(v)));
    match v {
        WastVal::Bool(b) => Val::Bool(*b),
        WastVal::U8(x) => Val::U8(*x),
        WastVal::S8(x) => Val::S8(*x),
        WastVal::U16(x) => Val::U16(*x),
        WastVal::S16(x) => Val::S16(*x),
        WastVal::U32(x) => Val::U32(*x),
        WastVal::S32(x) => Val::S32(*x),
        WastVal::U64(x) => Val::U64(*x),
        WastVal::S64(x) => Val::S64(*x),
        WastVal::F32(x) => Val::F32(f32::from_bits(x.bits)),
        WastVal::F64(x) => Val::F64(f64::from_bits(x.bits)),
        WastVal::Char(c) => Val::Char(*c),
        WastVal::String(s) => Val::String((*s).to_string()),
        WastVal::List(items) => Val::List(items.iter().map(val).collect()),
        WastVal::Map(entries) => Val::Map(entries.iter().map(|(k, v)| (val(k), val(v))).collect()),
        WastVal::Record(fields) => Val::Record(fields.iter().map(|(n, v)| ((*n).into(), val(v))).collect()),
        WastVal::Tuple(items) => Val::Tuple(items.iter().map(val).collect()),
        WastVal::Variant(case, payload) => Val::Variant((*case).into(), boxed(payload)),
        WastVal::Enum(case) => Val::Enum((*case).into()),
        WastVal::Option(v) => Val::Option(boxed(v)),
        WastVal::Result(Ok(v)) => Val::Result(Ok(boxed(v))),
        WastVal::Result(Err(v)) => Val::Result(Err(boxed(v))),
        WastVal::Flags(names) => Val::Flags(names.iter().map(|n| (*n).into()).collect()),
    }
}

/// Values in WAVE text, for messages.
pub(crate) fn show_all(vals: &[Val]) -> String {
    let one = |v: &Val| crate::wave::to_wave(v).unwrap_or_else(|_| format!("{v:?}"));
    format!("({})", vals.iter().map(one).collect::<Vec<_>>().join(", "))
}
