//! Small constructors and readers of component values, so the interface modules read like
//! the WIT they implement.

use canopy_component::{ResourceHandle, Val};

/// `ok(v)` of a `result`.
pub(crate) fn ok(v: Option<Val>) -> Val {
    Val::Result(Ok(v.map(Box::new)))
}

/// `err(v)` of a `result`.
pub(crate) fn err(v: Val) -> Val {
    Val::Result(Err(Some(Box::new(v))))
}

/// `some(v)` or `none`.
pub(crate) fn option(v: Option<Val>) -> Val {
    Val::Option(v.map(Box::new))
}

/// An enum case.
pub(crate) fn case(name: &str) -> Val {
    Val::Enum(name.into())
}

/// A record from (field, value) pairs in the type's order.
pub(crate) fn record(fields: Vec<(&str, Val)>) -> Val {
    Val::Record(fields.into_iter().map(|(n, v)| (n.into(), v)).collect())
}

/// An `own` of the host resource with representation `rep`.
pub(crate) fn own(rep: u32) -> Val {
    Val::Own(ResourceHandle::new(u64::from(rep)))
}

/// `list<u8>` from bytes.
pub(crate) fn bytes(data: &[u8]) -> Val {
    Val::List(data.iter().map(|b| Val::U8(*b)).collect())
}

/// The representation behind argument `i`, an `own` or `borrow` of a host resource.
pub(crate) fn rep(args: &[Val], i: usize) -> Result<u32, String> {
    match args.get(i) {
        Some(Val::Own(h)) | Some(Val::Borrow(h)) => {
            u32::try_from(h.raw()).map_err(|_| format!("argument {i}: not a host resource handle"))
        }
        other => Err(format!("argument {i}: expected a resource handle, got {other:?}")),
    }
}

/// Argument `i` as a `u64` (any unsigned integer width).
pub(crate) fn u64_arg(args: &[Val], i: usize) -> Result<u64, String> {
    match args.get(i) {
        Some(Val::U64(x)) => Ok(*x),
        Some(Val::U32(x)) => Ok(u64::from(*x)),
        Some(Val::U8(x)) => Ok(u64::from(*x)),
        other => Err(format!("argument {i}: expected an unsigned integer, got {other:?}")),
    }
}

/// Argument `i` as a string.
pub(crate) fn str_arg(args: &[Val], i: usize) -> Result<&str, String> {
    match args.get(i) {
        Some(Val::String(s)) => Ok(s),
        other => Err(format!("argument {i}: expected a string, got {other:?}")),
    }
}

/// Argument `i` as `list<u8>`.
pub(crate) fn bytes_arg(args: &[Val], i: usize) -> Result<Vec<u8>, String> {
    match args.get(i) {
        Some(Val::List(items)) => items
            .iter()
            .map(|v| match v {
                Val::U8(b) => Ok(*b),
                other => Err(format!("argument {i}: expected list<u8>, found {other:?}")),
            })
            .collect(),
        other => Err(format!("argument {i}: expected list<u8>, got {other:?}")),
    }
}

/// The names set in a `flags` argument `i`.
pub(crate) fn flags_arg(args: &[Val], i: usize) -> Result<Vec<String>, String> {
    match args.get(i) {
        Some(Val::Flags(names)) => Ok(names.iter().map(|n| n.to_string()).collect()),
        other => Err(format!("argument {i}: expected flags, got {other:?}")),
    }
}
