//! Flattening: the sequence of core values that carries a component value in registers.
//!
//! Implements the Canonical ABI's `flatten_type`: scalars become one core value; `string`,
//! `list` and `map` become a pointer and a length (two `i32`); a fixed-size list repeats its
//! element's flattening; records concatenate their fields; `flags` take one `i32` (one per
//! 32 labels for the pre-cap representation of larger flags, see [`crate::layout`]);
//! variants are an `i32` discriminant followed by the position-wise [`join`] of every case's
//! payload flattening.
//!
//! Flattening can be asked to stop early once a bound is exceeded, which is how signatures
//! are computed without materialising the flattening of, say, `list<u8, 100000>`.

use crate::despecialize::{Despecialized, despecialize};
use crate::types::{CoreType, ValType};

/// The core types that carry a value of type `ty`, in order.
pub fn flatten(ty: &ValType) -> Vec<CoreType> {
    let mut flat = Vec::new();
    push_flat(ty, &mut flat, usize::MAX);
    flat
}

/// The core types that carry values of `types` one after another (e.g. a parameter list).
pub fn flatten_types(types: &[ValType]) -> Vec<CoreType> {
    let mut flat = Vec::new();
    for ty in types {
        push_flat(ty, &mut flat, usize::MAX);
    }
    flat
}

/// The flattening of `types` if it has at most `limit` core values, `None` otherwise.
pub fn flatten_types_bounded(types: &[ValType], limit: usize) -> Option<Vec<CoreType>> {
    let mut flat = Vec::new();
    types.iter().all(|ty| push_flat(ty, &mut flat, limit)).then_some(flat)
}

/// The narrowest core type both `a` and `b` can be bit-cast into, used to share one flat
/// slot between variant cases: equal types stay, `i32` and `f32` share an `i32`, and every
/// other combination needs an `i64`.
pub fn join(a: CoreType, b: CoreType) -> CoreType {
    match (a, b) {
        _ if a == b => a,
        (CoreType::I32, CoreType::F32) | (CoreType::F32, CoreType::I32) => CoreType::I32,
        _ => CoreType::I64,
    }
}

/// Appends the flattening of `ty` to `flat`; returns `false` (leaving `flat` partially
/// written) as soon as `flat` would hold more than `limit` values.
fn push_flat(ty: &ValType, flat: &mut Vec<CoreType>, limit: usize) -> bool {
    let push = |flat: &mut Vec<CoreType>, core: CoreType| {
        if flat.len() >= limit {
            return false;
        }
        flat.push(core);
        true
    };
    match despecialize(ty) {
        Despecialized::Scalar { core, .. } => push(flat, core),
        Despecialized::String | Despecialized::List => push(flat, CoreType::I32) && push(flat, CoreType::I32),
        Despecialized::FixedList(elem, len) => {
            let mut elem_flat = Vec::new();
            if !push_flat(elem, &mut elem_flat, limit.saturating_sub(flat.len())) {
                return false;
            }
            if elem_flat.is_empty() {
                return true;
            }
            let total = elem_flat.len().saturating_mul(len as usize);
            if total > limit.saturating_sub(flat.len()) {
                return false;
            }
            for _ in 0..len {
                flat.extend_from_slice(&elem_flat);
            }
            true
        }
        Despecialized::Record(fields) => fields.iter().all(|field| push_flat(field, flat, limit)),
        Despecialized::Variant(cases) => {
            if !push(flat, CoreType::I32) {
                return false;
            }
            let start = flat.len();
            let room = limit - start;
            let mut case_flat = Vec::new();
            for payload in cases.payloads() {
                case_flat.clear();
                if !push_flat(payload, &mut case_flat, room) {
                    return false;
                }
                for (index, &core) in case_flat.iter().enumerate() {
                    match flat.get_mut(start + index) {
                        Some(slot) => *slot = join(*slot, core),
                        None => flat.push(core),
                    }
                }
            }
            true
        }
        Despecialized::Flags(count) => (0..count.div_ceil(32)).all(|_| push(flat, CoreType::I32)),
    }
}
