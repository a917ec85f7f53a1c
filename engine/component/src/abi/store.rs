//! Storing: writing a value of a planned type into guest memory.
//!
//! The caller has checked that the value's bytes are aligned and inside memory. Strings and
//! lists are written into fresh `realloc` allocations (checked for alignment and bounds as
//! they come back) and their pointer and length stored in place; everything else is stored
//! inline at the planned offsets. Floats store the canonical NaN for any NaN; handles are
//! lowered through the runtime's [`Handles`](super::Handles) hooks.

use canopy_canonical_abi::MAX_LIST_BYTE_LENGTH;

use super::convert::{case_of, mismatch, pack_flags};
use super::cx::{LiftLower, offset};
use super::guest::Guest;
use super::load::{entry_type, field_step};
use super::nan::{canonical_f32, canonical_f64};
use super::plan::{FieldPlan, MapPlan, Plan, Shape, VariantPlan};
use super::trap::{Region, Trap, TrapKind};
use crate::path::PathStep;
use crate::val::Val;

impl<G: Guest + ?Sized> LiftLower<'_, G> {
    /// Stores `val` at `ptr`.
    pub(crate) fn store_planned(&mut self, val: &Val, plan: &Plan<'_>, ptr: u32) -> Result<(), Trap> {
        match (&plan.shape, val) {
            (Shape::Bool, Val::Bool(value)) => self.write_uint(ptr, u64::from(*value), 1),
            (Shape::S8, Val::S8(value)) => self.write_uint(ptr, u64::from(*value as u8), 1),
            (Shape::U8, Val::U8(value)) => self.write_uint(ptr, u64::from(*value), 1),
            (Shape::S16, Val::S16(value)) => self.write_uint(ptr, u64::from(*value as u16), 2),
            (Shape::U16, Val::U16(value)) => self.write_uint(ptr, u64::from(*value), 2),
            (Shape::S32, Val::S32(value)) => self.write_uint(ptr, u64::from(*value as u32), 4),
            (Shape::U32, Val::U32(value)) => self.write_uint(ptr, u64::from(*value), 4),
            (Shape::S64, Val::S64(value)) => self.write_uint(ptr, *value as u64, 8),
            (Shape::U64, Val::U64(value)) => self.write_uint(ptr, *value, 8),
            (Shape::F32, Val::F32(value)) => self.write_uint(ptr, u64::from(canonical_f32(*value).to_bits()), 4),
            (Shape::F64, Val::F64(value)) => self.write_uint(ptr, canonical_f64(*value).to_bits(), 8),
            (Shape::Char, Val::Char(value)) => self.write_uint(ptr, u64::from(u32::from(*value)), 4),
            (Shape::String, Val::String(text)) => {
                let pair = self.store_string(text)?;
                self.store_pointer_pair(ptr, pair)
            }
            (Shape::List(elem), Val::List(items)) => {
                let pair = self.store_list(items, elem)?;
                self.store_pointer_pair(ptr, pair)
            }
            (Shape::FixedList(elem, len), Val::List(items)) if items.len() == *len as usize => {
                self.store_elements(ptr, items, elem)
            }
            (Shape::Record(fields), Val::Record(values)) if fields.len() == values.len() => {
                self.store_fields(ptr, fields, values.iter().map(|(_, value)| value))
            }
            (Shape::Tuple(fields), Val::Tuple(items)) if fields.len() == items.len() => {
                self.store_fields(ptr, fields, items.iter())
            }
            (Shape::Variant(variant), _) => self.store_variant(val, plan, variant, ptr),
            (Shape::Flags(names, _), Val::Flags(_)) => {
                let bytes = pack_flags(plan.ty, names, val, plan.layout.size)?;
                self.write(ptr, &bytes)
            }
            (Shape::Map(map), Val::Map(entries)) => {
                let pair = self.store_map(entries, plan, map)?;
                self.store_pointer_pair(ptr, pair)
            }
            (Shape::Own(resource), Val::Own(handle)) => {
                let index = self.guest.lower_own(*handle, resource)?;
                self.write_uint(ptr, index.into(), 4)
            }
            (Shape::Borrow(resource), Val::Borrow(handle)) => {
                let index = self.guest.lower_borrow(*handle, resource)?;
                self.write_uint(ptr, index.into(), 4)
            }
            (Shape::Future(payload), Val::Future(handle)) => {
                let index = self.guest.lower_future(*handle, *payload)?;
                self.write_uint(ptr, index.into(), 4)
            }
            (Shape::Stream(payload), Val::Stream(handle)) => {
                let index = self.guest.lower_stream(*handle, *payload)?;
                self.write_uint(ptr, index.into(), 4)
            }
            (Shape::ErrorContext, Val::ErrorContext(handle)) => {
                let index = self.guest.lower_error_context(*handle)?;
                self.write_uint(ptr, index.into(), 4)
            }
            _ => Err(mismatch(plan.ty, val)),
        }
    }

    /// Stores a string's or list's pointer and length at `ptr`.
    fn store_pointer_pair(&mut self, ptr: u32, (begin, len): (u32, u32)) -> Result<(), Trap> {
        self.write_uint(ptr, begin.into(), 4)?;
        self.write_uint(offset(ptr, 4)?, len.into(), 4)
    }

    /// Lowers a list into a fresh allocation; returns its pointer and length.
    pub(crate) fn store_list(&mut self, items: &[Val], elem: &Plan<'_>) -> Result<(u32, u32), Trap> {
        let (size, len) = list_size(items.len(), elem.layout.size)?;
        let region = || Region::List { elements: len.into(), elem: elem.ty.to_string(), bytes: size.into() };
        let ptr = self.allocate(elem.layout.align, size, region)?;
        self.store_elements(ptr, items, elem)?;
        Ok((ptr, len))
    }

    /// Lowers a map into a fresh allocation of `tuple<K, V>` entries.
    pub(crate) fn store_map(
        &mut self,
        entries: &[(Val, Val)],
        plan: &Plan<'_>,
        map: &MapPlan<'_>,
    ) -> Result<(u32, u32), Trap> {
        let (size, len) = list_size(entries.len(), map.entry.size)?;
        let region = || Region::List { elements: len.into(), elem: entry_type(plan), bytes: size.into() };
        let ptr = self.allocate(map.entry.align, size, region)?;
        for (index, (key, value)) in (0u32..).zip(entries) {
            let entry = offset(ptr, index.saturating_mul(map.entry.size))?;
            self.store_planned(key, &map.key, entry).map_err(|trap| trap.at(PathStep::Key(index.into())))?;
            self.store_planned(value, &map.value, offset(entry, map.value_offset)?)
                .map_err(|trap| trap.at(PathStep::Value(index.into())))?;
        }
        Ok((ptr, len))
    }

    /// Stores consecutive elements starting at `ptr`.
    fn store_elements(&mut self, ptr: u32, items: &[Val], elem: &Plan<'_>) -> Result<(), Trap> {
        for (index, item) in (0u32..).zip(items) {
            let at = offset(ptr, index.saturating_mul(elem.layout.size))?;
            self.store_planned(item, elem, at).map_err(|trap| trap.at(PathStep::Element(index.into())))?;
        }
        Ok(())
    }

    /// Stores every field of a record or tuple at its offset from `ptr`.
    fn store_fields<'v>(
        &mut self,
        ptr: u32,
        fields: &[FieldPlan<'_>],
        values: impl Iterator<Item = &'v Val>,
    ) -> Result<(), Trap> {
        for ((index, field), value) in (0u32..).zip(fields).zip(values) {
            self.store_planned(value, &field.plan, offset(ptr, field.offset)?)
                .map_err(|trap| trap.at(field_step(field, index)))?;
        }
        Ok(())
    }

    /// Stores a variant, enum, option or result: discriminant, then the case's payload.
    fn store_variant(&mut self, val: &Val, plan: &Plan<'_>, variant: &VariantPlan<'_>, ptr: u32) -> Result<(), Trap> {
        let (index, payload) = case_of(plan.ty, variant, val)?;
        self.write_uint(ptr, index.into(), variant.discriminant_size)?;
        if let (Some(payload), Some(case)) = (payload, variant.payload(index)) {
            self.store_planned(payload, &case.plan, offset(ptr, variant.payload_offset)?)
                .map_err(|trap| trap.at(PathStep::Case(variant.case_name(index))))?;
        }
        Ok(())
    }
}

/// The byte size and length of a list of `count` elements of `elem_size` bytes, trapping past
/// the Canonical ABI's list limit (a lifted list is always within it; a host-made one may not be).
fn list_size(count: usize, elem_size: u32) -> Result<(u32, u32), Trap> {
    let bytes = count as u64 * u64::from(elem_size);
    match (u32::try_from(count), u32::try_from(bytes)) {
        (Ok(len), Ok(size)) if size <= MAX_LIST_BYTE_LENGTH => Ok((size, len)),
        _ => Err(Trap::new(TrapKind::ListTooLong { elements: count as u64, elem_size })),
    }
}
