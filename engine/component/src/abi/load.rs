//! Loading: reading a value of a planned type out of guest memory.
//!
//! The caller has checked that the value's bytes are aligned and inside memory (every list,
//! string and spilled tuple range is checked before anything in it is read). Integers are
//! little-endian; `bool` is true for any nonzero byte; floats lose their NaN payload; a
//! `char` must be a Unicode scalar value; a discriminant must name a case; flags ignore the
//! bits past their labels; handles are lifted through the runtime's [`Handles`] hooks.
//!
//! [`Handles`]: super::Handles

use canopy_canonical_abi::MAX_LIST_BYTE_LENGTH;

use super::convert::{make_case, unpack_flags};
use super::cx::{LiftLower, offset};
use super::guest::Guest;
use super::nan::{canonical_f32, canonical_f64};
use super::plan::{FieldPlan, MapPlan, Plan, Shape, VariantPlan};
use super::trap::{PtrSource, Region, Trap, TrapKind};
use crate::path::PathStep;
use crate::val::Val;

impl<G: Guest + ?Sized> LiftLower<'_, G> {
    /// Loads the value at `ptr`.
    pub(crate) fn load_planned(&mut self, ptr: u32, plan: &Plan<'_>) -> Result<Val, Trap> {
        let uint = |cx: &Self, size| cx.read_uint(ptr, size);
        Ok(match &plan.shape {
            Shape::Bool => Val::Bool(uint(self, 1)? != 0),
            Shape::S8 => Val::S8(uint(self, 1)? as u8 as i8),
            Shape::U8 => Val::U8(uint(self, 1)? as u8),
            Shape::S16 => Val::S16(uint(self, 2)? as u16 as i16),
            Shape::U16 => Val::U16(uint(self, 2)? as u16),
            Shape::S32 => Val::S32(uint(self, 4)? as u32 as i32),
            Shape::U32 => Val::U32(uint(self, 4)? as u32),
            Shape::S64 => Val::S64(uint(self, 8)? as i64),
            Shape::U64 => Val::U64(uint(self, 8)?),
            Shape::F32 => Val::F32(canonical_f32(f32::from_bits(uint(self, 4)? as u32))),
            Shape::F64 => Val::F64(canonical_f64(f64::from_bits(uint(self, 8)?))),
            Shape::Char => Val::Char(lift_char(uint(self, 4)? as u32)?),
            Shape::String => {
                let (begin, units) = self.load_pointer_pair(ptr)?;
                Val::String(self.load_string(begin, units)?)
            }
            Shape::List(elem) => {
                let (begin, len) = self.load_pointer_pair(ptr)?;
                self.load_list(begin, len, elem)?
            }
            Shape::FixedList(elem, len) => Val::List(self.load_elements(ptr, *len, elem)?),
            Shape::Record(fields) => {
                let values = self.load_fields(ptr, fields)?;
                Val::Record(fields.iter().zip(values).map(|(field, value)| (field_name(field), value)).collect())
            }
            Shape::Tuple(fields) => Val::Tuple(self.load_fields(ptr, fields)?),
            Shape::Variant(variant) => self.load_variant(ptr, plan, variant)?,
            Shape::Flags(names, _) => unpack_flags(names, self.read(ptr, plan.layout.size)?),
            Shape::Map(map) => {
                let (begin, len) = self.load_pointer_pair(ptr)?;
                self.load_map(begin, len, plan, map)?
            }
            Shape::Own(resource) => Val::Own(self.guest.lift_own(self.read_u32(ptr)?, resource)?),
            Shape::Borrow(resource) => Val::Borrow(self.guest.lift_borrow(self.read_u32(ptr)?, resource)?),
            Shape::Future(payload) => Val::Future(self.guest.lift_future(self.read_u32(ptr)?, *payload)?),
            Shape::Stream(payload) => Val::Stream(self.guest.lift_stream(self.read_u32(ptr)?, *payload)?),
            Shape::ErrorContext => Val::ErrorContext(self.guest.lift_error_context(self.read_u32(ptr)?)?),
        })
    }

    /// The pointer and length stored at `ptr` for a string or list.
    fn load_pointer_pair(&self, ptr: u32) -> Result<(u32, u32), Trap> {
        Ok((self.read_u32(ptr)?, self.read_u32(offset(ptr, 4)?)?))
    }

    /// Lifts the list of `len` elements at `ptr`, checking its byte length, alignment and
    /// bounds first.
    pub(crate) fn load_list(&mut self, ptr: u32, len: u32, elem: &Plan<'_>) -> Result<Val, Trap> {
        self.check_list(ptr, len, elem.layout.size, elem.layout.align, || elem.ty.to_string())?;
        Ok(Val::List(self.load_elements(ptr, len, elem)?))
    }

    /// Lifts the map of `len` entries at `ptr`, checked like a list of `tuple<K, V>`.
    pub(crate) fn load_map(&mut self, ptr: u32, len: u32, plan: &Plan<'_>, map: &MapPlan<'_>) -> Result<Val, Trap> {
        self.check_list(ptr, len, map.entry.size, map.entry.align, || entry_type(plan))?;
        let mut entries = Vec::with_capacity(capacity(len));
        for index in 0..len {
            let entry = offset(ptr, index.saturating_mul(map.entry.size))?;
            let key = self.load_planned(entry, &map.key).map_err(|trap| trap.at(PathStep::Key(index.into())))?;
            let value = self
                .load_planned(offset(entry, map.value_offset)?, &map.value)
                .map_err(|trap| trap.at(PathStep::Value(index.into())))?;
            entries.push((key, value));
        }
        Ok(Val::Map(entries))
    }

    /// The Canonical ABI's checks on a list range: byte length, alignment, bounds.
    fn check_list(&self, ptr: u32, len: u32, size: u32, align: u32, elem: impl FnOnce() -> String) -> Result<(), Trap> {
        let bytes = u64::from(len) * u64::from(size);
        if bytes > u64::from(MAX_LIST_BYTE_LENGTH) {
            return Err(Trap::new(TrapKind::ListTooLong { elements: len.into(), elem_size: size }));
        }
        let region = || Region::List { elements: len.into(), elem: elem(), bytes };
        self.check_range(region, ptr, align, bytes, PtrSource::Guest)
    }

    /// Loads `len` consecutive elements starting at `ptr`.
    fn load_elements(&mut self, ptr: u32, len: u32, elem: &Plan<'_>) -> Result<Vec<Val>, Trap> {
        let mut items = Vec::with_capacity(capacity(len));
        for index in 0..len {
            let at = offset(ptr, index.saturating_mul(elem.layout.size))?;
            items.push(self.load_planned(at, elem).map_err(|trap| trap.at(PathStep::Element(index.into())))?);
        }
        Ok(items)
    }

    /// Loads every field of a record or tuple at `ptr`.
    fn load_fields(&mut self, ptr: u32, fields: &[FieldPlan<'_>]) -> Result<Vec<Val>, Trap> {
        (0u32..)
            .zip(fields)
            .map(|(index, field)| {
                self.load_planned(offset(ptr, field.offset)?, &field.plan)
                    .map_err(|trap| trap.at(field_step(field, index)))
            })
            .collect()
    }

    /// Loads a variant, enum, option or result: discriminant, then the case's payload.
    fn load_variant(&mut self, ptr: u32, plan: &Plan<'_>, variant: &VariantPlan<'_>) -> Result<Val, Trap> {
        let index = self.read_uint(ptr, variant.discriminant_size)? as u32;
        check_discriminant(index, plan, variant)?;
        let payload = match variant.payload(index) {
            Some(case) => Some(
                self.load_planned(offset(ptr, variant.payload_offset)?, &case.plan)
                    .map_err(|trap| trap.at(PathStep::Case(variant.case_name(index))))?,
            ),
            None => None,
        };
        Ok(make_case(variant, index, payload))
    }
}

/// Traps unless `index` names a case of the variant.
pub(crate) fn check_discriminant(index: u32, plan: &Plan<'_>, variant: &VariantPlan<'_>) -> Result<(), Trap> {
    if index < variant.case_count {
        return Ok(());
    }
    Err(Trap::new(TrapKind::InvalidDiscriminant { value: index, ty: outline(plan), cases: variant.case_count }))
}

/// A type for a trap message, cut short if it is long.
fn outline(plan: &Plan<'_>) -> String {
    const MAX: usize = 80;
    let text = plan.ty.to_string();
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// Converts an `i32` to a `char`, trapping on surrogates and values past U+10FFFF.
pub(crate) fn lift_char(value: u32) -> Result<char, Trap> {
    char::from_u32(value).ok_or_else(|| Trap::new(TrapKind::InvalidChar(value)))
}

/// The name a record field value carries (record fields are always planned with their
/// name; only tuple items, which carry none, lack one).
pub(crate) fn field_name(field: &FieldPlan<'_>) -> crate::types::Name {
    field.name.cloned().unwrap_or_else(|| "".into())
}

/// The path step into a record field or tuple item.
pub(crate) fn field_step(field: &FieldPlan<'_>, index: u32) -> PathStep {
    match field.name {
        Some(name) => PathStep::Field(name.clone()),
        None => PathStep::Item(index),
    }
}

/// `tuple<K, V>` of a map type, for messages.
pub(crate) fn entry_type(plan: &Plan<'_>) -> String {
    match plan.ty {
        crate::types::Type::Map(key, value) => format!("tuple<{key}, {value}>"),
        other => other.to_string(),
    }
}

/// A first allocation for `len` lifted values: no more than a few thousand up front, so a
/// hostile length costs nothing before the values are actually read.
pub(crate) fn capacity(len: u32) -> usize {
    (len as usize).min(4096)
}
