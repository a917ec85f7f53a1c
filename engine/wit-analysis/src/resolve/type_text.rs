//! Writing a resolved type expression back out as WIT text, with the caller choosing how a
//! named type is spelled (a bare name in hovers, a qualified reference in the model).
//!
//! Types nest as deep as their text (and through named types without bound), so the writer
//! keeps an explicit stack of what is left to print instead of recursing once per level.

use super::{Type, TypeId};

/// Where a [`TypeId`] appears in a type expression, for [`write_type`]'s naming callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameUse {
    /// As a type by itself (`r`).
    Plain,
    /// Inside `own<…>`.
    Own,
    /// Inside `borrow<…>`.
    Borrow,
}

/// Writes `ty` as WIT. `name` spells each named type (also the resource of `own`/`borrow`,
/// whose brackets it writes itself when it wants them) and `error` stands for what did not
/// resolve.
pub fn write_type(ty: &Type, error: &str, name: &mut dyn FnMut(TypeId, NameUse) -> String) -> String {
    /// What is left to print: a type (`None`: the `_` of a `result` without an ok payload), or
    /// text that closes or separates.
    enum Step<'t> {
        Type(Option<&'t Type>),
        Text(&'static str),
        Owned(String),
    }
    /// Prints `open`, then (from the stack) the inner types separated by `, `, then `close`.
    fn nested<'t>(
        steps: &mut Vec<Step<'t>>,
        out: &mut String,
        open: &str,
        inner: &[Option<&'t Type>],
        close: Step<'t>,
    ) {
        out.push_str(open);
        steps.push(close);
        for (index, t) in inner.iter().enumerate().rev() {
            steps.push(Step::Type(*t));
            if index > 0 {
                steps.push(Step::Text(", "));
            }
        }
    }
    let mut out = String::new();
    let mut steps = vec![Step::Type(Some(ty))];
    while let Some(step) = steps.pop() {
        let ty = match step {
            Step::Type(Some(ty)) => ty,
            Step::Type(None) => {
                out.push('_');
                continue;
            }
            Step::Text(text) => {
                out.push_str(text);
                continue;
            }
            Step::Owned(text) => {
                out.push_str(&text);
                continue;
            }
        };
        let close = Step::Text(">");
        match ty {
            Type::Primitive(p) => out.push_str(p.as_str()),
            Type::Named(id) => out.push_str(&name(*id, NameUse::Plain)),
            Type::List(t) => nested(&mut steps, &mut out, "list<", &[Some(t)], close),
            Type::FixedList(t, n) => nested(&mut steps, &mut out, "list<", &[Some(t)], Step::Owned(format!(", {n}>"))),
            Type::Map(k, v) => nested(&mut steps, &mut out, "map<", &[Some(k), Some(v)], close),
            Type::Option(t) => nested(&mut steps, &mut out, "option<", &[Some(t)], close),
            Type::Result(None, None) => out.push_str("result"),
            Type::Result(Some(ok), None) => nested(&mut steps, &mut out, "result<", &[Some(ok)], close),
            Type::Result(ok, err) => nested(&mut steps, &mut out, "result<", &[ok.as_deref(), err.as_deref()], close),
            Type::Tuple(types) => {
                let inner: Vec<Option<&Type>> = types.iter().map(Some).collect();
                nested(&mut steps, &mut out, "tuple<", &inner, close);
            }
            Type::Own(id) => out.push_str(&format!("own<{}>", name(*id, NameUse::Own))),
            Type::Borrow(id) => out.push_str(&format!("borrow<{}>", name(*id, NameUse::Borrow))),
            Type::Future(None) => out.push_str("future"),
            Type::Future(Some(t)) => nested(&mut steps, &mut out, "future<", &[Some(t)], close),
            Type::Stream(None) => out.push_str("stream"),
            Type::Stream(Some(t)) => nested(&mut steps, &mut out, "stream<", &[Some(t)], close),
            Type::Error => out.push_str(error),
        }
    }
    out
}
