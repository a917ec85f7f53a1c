//! Flat lifting and lowering: values to and from core values, as in core function
//! parameters and results.
//!
//! Integers narrower than 32 bits travel in an `i32` (lowered sign- or zero-extended by
//! their signedness, lifted by keeping only their own bits); 64-bit integers in an `i64`;
//! floats in their own type; strings and lists as a pointer and a length into memory;
//! records, tuples and fixed-size lists as their parts one after another; flags as one `i32`
//! (one per 32 labels past 32); handles as an `i32` index. A variant is an `i32`
//! discriminant and then the flat types the layout crate joined over all its cases: lowering
//! a case's payload bit-casts each of its values into the joined slot (an `f32` into an
//! `i32` keeps its bits, anything narrower into an `i64` is zero-extended) and fills the
//! remaining slots with zeros; lifting takes every slot and bit-casts the first ones back
//! into the payload's own types (an `i64` wrapped to 32 bits when the payload wants an `i32`
//! or `f32`). The same bit-cast serves both directions because the join only ever widens.

use canopy_canonical_abi::CoreType;

use super::convert::{case_of, make_case, mismatch, pack_flags, unpack_flags};
use super::core_val::{CoreVal, CoreValues};
use super::cx::LiftLower;
use super::guest::Guest;
use super::load::{capacity, check_discriminant, field_name, field_step, lift_char};
use super::nan::{canonical_f32, canonical_f64};
use super::plan::{FieldPlan, Plan, Shape, VariantPlan};
use super::trap::Trap;
use crate::path::PathStep;
use crate::val::Val;

impl<G: Guest + ?Sized> LiftLower<'_, G> {
    /// Lowers `val` to core values, appending them to `out`.
    pub(crate) fn lower_flat_planned(
        &mut self,
        val: &Val,
        plan: &Plan<'_>,
        out: &mut Vec<CoreVal>,
    ) -> Result<(), Trap> {
        let i32 = |value: i32| CoreVal::I32(value);
        let pair = |(ptr, len): (u32, u32)| [CoreVal::I32(ptr as i32), CoreVal::I32(len as i32)];
        match (&plan.shape, val) {
            (Shape::Bool, Val::Bool(value)) => out.push(i32(i32::from(*value))),
            (Shape::S8, Val::S8(value)) => out.push(i32(i32::from(*value))),
            (Shape::U8, Val::U8(value)) => out.push(i32(i32::from(*value))),
            (Shape::S16, Val::S16(value)) => out.push(i32(i32::from(*value))),
            (Shape::U16, Val::U16(value)) => out.push(i32(i32::from(*value))),
            (Shape::S32, Val::S32(value)) => out.push(i32(*value)),
            (Shape::U32, Val::U32(value)) => out.push(i32(*value as i32)),
            (Shape::S64, Val::S64(value)) => out.push(CoreVal::I64(*value)),
            (Shape::U64, Val::U64(value)) => out.push(CoreVal::I64(*value as i64)),
            (Shape::F32, Val::F32(value)) => out.push(CoreVal::F32(canonical_f32(*value).to_bits())),
            (Shape::F64, Val::F64(value)) => out.push(CoreVal::F64(canonical_f64(*value).to_bits())),
            (Shape::Char, Val::Char(value)) => out.push(i32(u32::from(*value) as i32)),
            (Shape::String, Val::String(text)) => out.extend(pair(self.store_string(text)?)),
            (Shape::List(elem), Val::List(items)) => out.extend(pair(self.store_list(items, elem)?)),
            (Shape::FixedList(elem, len), Val::List(items)) if items.len() == *len as usize => {
                for (index, item) in (0u64..).zip(items) {
                    self.lower_flat_planned(item, elem, out).map_err(|trap| trap.at(PathStep::Element(index)))?;
                }
            }
            (Shape::Record(fields), Val::Record(values)) if fields.len() == values.len() => {
                self.lower_flat_fields(fields, values.iter().map(|(_, value)| value), out)?;
            }
            (Shape::Tuple(fields), Val::Tuple(items)) if fields.len() == items.len() => {
                self.lower_flat_fields(fields, items.iter(), out)?;
            }
            (Shape::Variant(variant), _) => self.lower_flat_variant(val, plan, variant, out)?,
            (Shape::Flags(names, words), Val::Flags(_)) => {
                let bytes = pack_flags(plan.ty, names, val, words.saturating_mul(4))?;
                out.extend(
                    bytes.chunks_exact(4).map(|word| i32(i32::from_le_bytes([word[0], word[1], word[2], word[3]]))),
                );
            }
            (Shape::Map(map), Val::Map(entries)) => out.extend(pair(self.store_map(entries, plan, map)?)),
            (Shape::Own(resource), Val::Own(handle)) => out.push(i32(self.guest.lower_own(*handle, resource)? as i32)),
            (Shape::Borrow(resource), Val::Borrow(handle)) => {
                out.push(i32(self.guest.lower_borrow(*handle, resource)? as i32));
            }
            (Shape::Future(payload), Val::Future(handle)) => {
                out.push(i32(self.guest.lower_future(*handle, *payload)? as i32));
            }
            (Shape::Stream(payload), Val::Stream(handle)) => {
                out.push(i32(self.guest.lower_stream(*handle, *payload)? as i32));
            }
            (Shape::ErrorContext, Val::ErrorContext(handle)) => {
                out.push(i32(self.guest.lower_error_context(*handle)? as i32));
            }
            _ => return Err(mismatch(plan.ty, val)),
        }
        Ok(())
    }

    fn lower_flat_fields<'v>(
        &mut self,
        fields: &[FieldPlan<'_>],
        values: impl Iterator<Item = &'v Val>,
        out: &mut Vec<CoreVal>,
    ) -> Result<(), Trap> {
        for ((index, field), value) in (0u32..).zip(fields).zip(values) {
            self.lower_flat_planned(value, &field.plan, out).map_err(|trap| trap.at(field_step(field, index)))?;
        }
        Ok(())
    }

    /// Lowers a variant: discriminant, the payload bit-cast into the joined slots, zeros.
    fn lower_flat_variant(
        &mut self,
        val: &Val,
        plan: &Plan<'_>,
        variant: &VariantPlan<'_>,
        out: &mut Vec<CoreVal>,
    ) -> Result<(), Trap> {
        let joined = joined_types(plan, variant)?;
        let (index, payload) = case_of(plan.ty, variant, val)?;
        out.push(CoreVal::I32(index as i32));
        let start = out.len();
        if let (Some(payload), Some(case)) = (payload, variant.payload(index)) {
            self.lower_flat_planned(payload, &case.plan, out)
                .map_err(|trap| trap.at(PathStep::Case(variant.case_name(index))))?;
        }
        let lowered = out.len() - start;
        if lowered > joined.len() {
            return Err(too_many_flat(plan));
        }
        for (slot, &want) in out[start..].iter_mut().zip(joined) {
            *slot = bit_cast(*slot, want);
        }
        out.extend(joined[lowered..].iter().map(|&ty| CoreVal::zero(ty)));
        Ok(())
    }

    /// Lifts a value of the planned type from the next core values of `src`.
    pub(crate) fn lift_flat_planned(&mut self, src: &mut CoreValues<'_>, plan: &Plan<'_>) -> Result<Val, Trap> {
        Ok(match &plan.shape {
            Shape::Bool => Val::Bool(src.next_u32()? != 0),
            Shape::S8 => Val::S8(src.next_u32()? as u8 as i8),
            Shape::U8 => Val::U8(src.next_u32()? as u8),
            Shape::S16 => Val::S16(src.next_u32()? as u16 as i16),
            Shape::U16 => Val::U16(src.next_u32()? as u16),
            Shape::S32 => Val::S32(src.next_u32()? as i32),
            Shape::U32 => Val::U32(src.next_u32()?),
            Shape::S64 => Val::S64(src.next(CoreType::I64)?.bits() as i64),
            Shape::U64 => Val::U64(src.next(CoreType::I64)?.bits()),
            Shape::F32 => Val::F32(canonical_f32(f32::from_bits(src.next(CoreType::F32)?.low32()))),
            Shape::F64 => Val::F64(canonical_f64(f64::from_bits(src.next(CoreType::F64)?.bits()))),
            Shape::Char => Val::Char(lift_char(src.next_u32()?)?),
            Shape::String => {
                let (ptr, units) = (src.next_u32()?, src.next_u32()?);
                Val::String(self.load_string(ptr, units)?)
            }
            Shape::List(elem) => {
                let (ptr, len) = (src.next_u32()?, src.next_u32()?);
                self.load_list(ptr, len, elem)?
            }
            Shape::FixedList(elem, len) => {
                let mut items = Vec::with_capacity(capacity(*len));
                for index in 0..u64::from(*len) {
                    items.push(self.lift_flat_planned(src, elem).map_err(|trap| trap.at(PathStep::Element(index)))?);
                }
                Val::List(items)
            }
            Shape::Record(fields) => {
                let values = self.lift_flat_fields(src, fields)?;
                Val::Record(fields.iter().zip(values).map(|(field, value)| (field_name(field), value)).collect())
            }
            Shape::Tuple(fields) => Val::Tuple(self.lift_flat_fields(src, fields)?),
            Shape::Variant(variant) => self.lift_flat_variant(src, plan, variant)?,
            Shape::Flags(names, words) => {
                let mut bytes = Vec::with_capacity(*words as usize * 4);
                for _ in 0..*words {
                    bytes.extend(src.next_u32()?.to_le_bytes());
                }
                unpack_flags(names, &bytes)
            }
            Shape::Map(map) => {
                let (ptr, len) = (src.next_u32()?, src.next_u32()?);
                self.load_map(ptr, len, plan, map)?
            }
            Shape::Own(resource) => Val::Own(self.guest.lift_own(src.next_u32()?, resource)?),
            Shape::Borrow(resource) => Val::Borrow(self.guest.lift_borrow(src.next_u32()?, resource)?),
            Shape::Future(payload) => Val::Future(self.guest.lift_future(src.next_u32()?, *payload)?),
            Shape::Stream(payload) => Val::Stream(self.guest.lift_stream(src.next_u32()?, *payload)?),
            Shape::ErrorContext => Val::ErrorContext(self.guest.lift_error_context(src.next_u32()?)?),
        })
    }

    fn lift_flat_fields(&mut self, src: &mut CoreValues<'_>, fields: &[FieldPlan<'_>]) -> Result<Vec<Val>, Trap> {
        (0u32..)
            .zip(fields)
            .map(|(index, field)| {
                self.lift_flat_planned(src, &field.plan).map_err(|trap| trap.at(field_step(field, index)))
            })
            .collect()
    }

    /// Lifts a variant: discriminant, every joined slot, the payload from the first slots
    /// bit-cast back into its own types.
    fn lift_flat_variant(
        &mut self,
        src: &mut CoreValues<'_>,
        plan: &Plan<'_>,
        variant: &VariantPlan<'_>,
    ) -> Result<Val, Trap> {
        let joined = joined_types(plan, variant)?;
        let index = src.next_u32()?;
        check_discriminant(index, plan, variant)?;
        let slots = joined.iter().map(|&ty| src.next(ty)).collect::<Result<Vec<_>, _>>()?;
        let payload = match variant.payload(index) {
            Some(case) => {
                let own =
                    case.flat.as_deref().filter(|own| own.len() <= slots.len()).ok_or_else(|| too_many_flat(plan))?;
                let values: Vec<CoreVal> = slots.iter().zip(own).map(|(&slot, &want)| bit_cast(slot, want)).collect();
                let mut payload_src = CoreValues::new(&values);
                let payload = self
                    .lift_flat_planned(&mut payload_src, &case.plan)
                    .map_err(|trap| trap.at(PathStep::Case(variant.case_name(index))))?;
                Some(payload)
            }
            None => None,
        };
        Ok(make_case(variant, index, payload))
    }
}

/// The joined flat types of a variant, or a trap if it does not flatten within the limits.
fn joined_types<'p>(plan: &Plan<'_>, variant: &'p VariantPlan<'_>) -> Result<&'p [CoreType], Trap> {
    variant.joined.as_deref().ok_or_else(|| too_many_flat(plan))
}

fn too_many_flat(plan: &Plan<'_>) -> Trap {
    Trap::runtime(format!("{} flattens to more core values than a flat lift or lower can carry", plan.ty))
}

/// `value`'s bits as a value of type `want`: zero-extended when `want` is wider, the low
/// bits when it is narrower. Between the types a variant join pairs, this is exactly the
/// Canonical ABI's coercion in both directions.
fn bit_cast(value: CoreVal, want: CoreType) -> CoreVal {
    let bits = value.bits();
    match want {
        CoreType::I32 => CoreVal::I32(bits as u32 as i32),
        CoreType::I64 => CoreVal::I64(bits as i64),
        CoreType::F32 => CoreVal::F32(bits as u32),
        CoreType::F64 => CoreVal::F64(bits),
    }
}
