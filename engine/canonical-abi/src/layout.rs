//! Linear-memory layout of component values: size, alignment and offsets.
//!
//! Implements the Canonical ABI's `alignment` and `elem_size` over despecialized types:
//! scalars are naturally aligned; `string`/`list`/`map` are a pointer plus a length (8 bytes,
//! align 4); a fixed-size list is its element repeated; records lay fields out in order, each
//! at its own alignment, and pad the total to the record alignment; variants store the
//! smallest discriminant that counts their cases (1, 2 or 4 bytes) followed by the payload
//! at the largest payload alignment; flags are a bit vector of 1, 2 or 4 bytes. Layouts are
//! for 32-bit memories unless a function says otherwise.
//!
//! Types the current spec rejects at validation (empty records/variants/flags, zero-length
//! fixed lists, more than 32 flags) still get a layout here, so that an editor can show
//! something for code that does not validate yet: empty aggregates take no bytes, and
//! `flags` beyond 32 labels use one `u32` per 32 labels (the representation before the cap,
//! still used by wit-parser). [`crate::validate`] reports such types. All arithmetic
//! saturates at `u32::MAX` instead of overflowing.

use crate::despecialize::{Cases, Despecialized, despecialize};
use crate::types::ValType;

/// Size in bytes of a pointer into a 32-bit linear memory.
pub const POINTER_SIZE: u32 = 4;
/// Size in bytes of a pointer into a 64-bit linear memory.
const POINTER_SIZE_64: u32 = 8;

/// Size and alignment of a value stored in linear memory.
///
/// `size` is the element size: the stride between consecutive values in a list, already
/// padded to a multiple of `align`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Layout {
    /// Bytes occupied, including trailing padding.
    pub size: u32,
    /// Required alignment in bytes (a power of two).
    pub align: u32,
}

impl Layout {
    const fn scalar(size: u32) -> Layout {
        Layout { size, align: size }
    }
}

/// Size and alignment of `ty` stored in a 32-bit linear memory, per the Canonical ABI.
pub fn layout(ty: &ValType) -> Layout {
    layout_for(ty, POINTER_SIZE)
}

/// Size and alignment of `ty` stored in a 64-bit linear memory (8-byte pointers and
/// lengths). Validation bounds element sizes by this layout.
pub fn layout_memory64(ty: &ValType) -> Layout {
    layout_for(ty, POINTER_SIZE_64)
}

fn layout_for(ty: &ValType, pointer_size: u32) -> Layout {
    match despecialize(ty) {
        Despecialized::Scalar { size, .. } => Layout::scalar(size),
        Despecialized::String | Despecialized::List => Layout { size: 2 * pointer_size, align: pointer_size },
        Despecialized::FixedList(elem, len) => {
            let elem = layout_for(elem, pointer_size);
            Layout { size: elem.size.saturating_mul(len), align: elem.align }
        }
        Despecialized::Record(fields) => {
            let (end, align) = lay_out_fields(fields, pointer_size, |_| ());
            Layout { size: align_to(end, align), align }
        }
        Despecialized::Variant(cases) => variant_layout_for(cases, pointer_size).layout,
        Despecialized::Flags(count) => flags_layout(count),
    }
}

/// Rounds `offset` up to the next multiple of `align` (a power of two). An offset that
/// cannot be rounded up within `u32` saturates to `u32::MAX`, which stays the marker of an
/// oversized type.
pub fn align_to(offset: u32, align: u32) -> u32 {
    debug_assert!(align.is_power_of_two());
    match offset.checked_add(align - 1) {
        Some(end) => end & !(align - 1),
        None => u32::MAX,
    }
}

/// Layout of a record (or tuple) with these field types.
pub fn record_layout(fields: &[ValType]) -> Layout {
    let (end, align) = lay_out_fields(fields, POINTER_SIZE, |_| ());
    Layout { size: align_to(end, align), align }
}

/// Byte offset of each field of a record (or tuple) with these field types.
pub fn record_field_offsets(fields: &[ValType]) -> Vec<u32> {
    let mut offsets = Vec::with_capacity(fields.len());
    lay_out_fields(fields, POINTER_SIZE, |offset| offsets.push(offset));
    offsets
}

/// Places fields in order, reporting each offset; returns the unpadded end and the alignment.
fn lay_out_fields(fields: &[ValType], pointer_size: u32, mut on_field: impl FnMut(u32)) -> (u32, u32) {
    let mut offset = 0u32;
    let mut align = 1u32;
    for field in fields {
        let field = layout_for(field, pointer_size);
        offset = align_to(offset, field.align);
        on_field(offset);
        offset = offset.saturating_add(field.size);
        align = align.max(field.align);
    }
    (offset, align)
}

/// Byte width of the discriminant of a variant with `case_count` cases: the smallest of
/// `u8`, `u16` and `u32` that can number every case.
pub fn discriminant_size(case_count: u32) -> u32 {
    match case_count {
        0..=0x100 => 1,
        0x101..=0x1_0000 => 2,
        _ => 4,
    }
}

/// Layout details of a variant (or enum, option, result).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VariantLayout {
    /// Size and alignment of the whole variant.
    pub layout: Layout,
    /// Byte width of the discriminant stored at offset 0.
    pub discriminant_size: u32,
    /// Offset of every case's payload.
    pub payload_offset: u32,
}

/// Layout of the variant described by `cases`.
pub fn variant_layout(cases: Cases<'_>) -> VariantLayout {
    variant_layout_for(cases, POINTER_SIZE)
}

fn variant_layout_for(cases: Cases<'_>, pointer_size: u32) -> VariantLayout {
    let discriminant_size = discriminant_size(cases.count());
    let mut payload_size = 0u32;
    let mut payload_align = 1u32;
    for payload in cases.payloads() {
        let payload = layout_for(payload, pointer_size);
        payload_size = payload_size.max(payload.size);
        payload_align = payload_align.max(payload.align);
    }
    let payload_offset = align_to(discriminant_size, payload_align);
    let align = discriminant_size.max(payload_align);
    let size = align_to(payload_offset.saturating_add(payload_size), align);
    VariantLayout { layout: Layout { size, align }, discriminant_size, payload_offset }
}

/// Layout of a `flags` type with `count` labels.
pub fn flags_layout(count: u32) -> Layout {
    match count {
        0 => Layout { size: 0, align: 1 },
        1..=8 => Layout::scalar(1),
        9..=16 => Layout::scalar(2),
        _ => Layout { size: 4 * count.div_ceil(32), align: 4 },
    }
}
