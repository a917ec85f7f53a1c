//! Conversions between values and the ABI's views of them: variant case indices and flag
//! bit vectors, shared by memory and flat lifting and lowering.
//!
//! A variant-shaped value (variant, enum, option, result) becomes a case index plus an
//! optional payload, and back. A flags value becomes a little-endian bit vector with bit `i`
//! for label `i`: the same bytes whether stored in memory (1, 2 or 4 bytes, or one `u32` per
//! 32 labels past 32) or split into `i32` words for flattening. Bits beyond the last label
//! are written as zero and ignored when read, as the Canonical ABI's flag unpacking ignores
//! them.

use super::plan::{VariantKind, VariantPlan};
use super::trap::Trap;
use crate::check::TypeError;
use crate::types::{Name, Type};
use crate::val::Val;

/// The trap for a value that does not belong to the type being lowered.
pub(crate) fn mismatch(ty: &Type, val: &Val) -> Trap {
    Trap::type_mismatch(TypeError::mismatch(ty, val))
}

/// The case index and payload of a variant-shaped value.
pub(crate) fn case_of<'v>(ty: &Type, plan: &VariantPlan<'_>, val: &'v Val) -> Result<(u32, Option<&'v Val>), Trap> {
    let (index, payload) = match (plan.kind, val) {
        (VariantKind::Variant(cases), Val::Variant(name, payload)) => {
            let index = cases.iter().position(|case| case.name == *name).ok_or_else(|| mismatch(ty, val))?;
            (index, payload.as_deref())
        }
        (VariantKind::Enum(names), Val::Enum(name)) => {
            (names.iter().position(|case| case == name).ok_or_else(|| mismatch(ty, val))?, None)
        }
        (VariantKind::Option, Val::Option(payload)) => (usize::from(payload.is_some()), payload.as_deref()),
        (VariantKind::Result, Val::Result(Ok(payload))) => (0, payload.as_deref()),
        (VariantKind::Result, Val::Result(Err(payload))) => (1, payload.as_deref()),
        _ => return Err(mismatch(ty, val)),
    };
    let index = u32::try_from(index).map_err(|_| mismatch(ty, val))?;
    if payload.is_some() != plan.payload(index).is_some() {
        return Err(mismatch(ty, val));
    }
    Ok((index, payload))
}

/// The value of case `index` with `payload`.
pub(crate) fn make_case(plan: &VariantPlan<'_>, index: u32, payload: Option<Val>) -> Val {
    let payload = payload.map(Box::new);
    match plan.kind {
        VariantKind::Variant(_) => Val::Variant(plan.case_name(index), payload),
        VariantKind::Enum(_) => Val::Enum(plan.case_name(index)),
        VariantKind::Option => Val::Option(payload),
        VariantKind::Result if index == 0 => Val::Result(Ok(payload)),
        VariantKind::Result => Val::Result(Err(payload)),
    }
}

/// The bit vector of a flags value, `byte_len` bytes long.
pub(crate) fn pack_flags(ty: &Type, names: &[Name], val: &Val, byte_len: u32) -> Result<Vec<u8>, Trap> {
    let Val::Flags(set) = val else {
        return Err(mismatch(ty, val));
    };
    let mut bytes = vec![0u8; byte_len as usize];
    for name in set {
        let bit = names.iter().position(|label| label == name).ok_or_else(|| mismatch(ty, val))?;
        let byte = bytes.get_mut(bit / 8).ok_or_else(|| mismatch(ty, val))?;
        *byte |= 1 << (bit % 8);
    }
    Ok(bytes)
}

/// The flags value whose bit vector is `bytes` (bits past the labels are ignored).
pub(crate) fn unpack_flags(names: &[Name], bytes: &[u8]) -> Val {
    let set = names
        .iter()
        .enumerate()
        .filter(|(bit, _)| bytes.get(bit / 8).is_some_and(|byte| byte & (1 << (bit % 8)) != 0))
        .map(|(_, name)| name.clone())
        .collect();
    Val::Flags(set)
}
