//! Hand-computed layouts for every type form, including the edge cases of discriminant and
//! flags widths, padding, 64-bit memories and saturation.

use canopy_canonical_abi::{
    Cases, Layout, ValType, despecialize, discriminant_size, layout, layout_memory64, record_field_offsets,
    variant_layout,
};

fn size_align(ty: &ValType) -> (u32, u32) {
    let Layout { size, align } = layout(ty);
    (size, align)
}

fn record(fields: &[ValType]) -> ValType {
    ValType::Record(fields.to_vec())
}

fn option(ty: ValType) -> ValType {
    ValType::Option(Box::new(ty))
}

fn fixed(ty: ValType, len: u32) -> ValType {
    ValType::FixedList(Box::new(ty), len)
}

#[test]
fn scalars_are_naturally_aligned() {
    let cases = [
        (ValType::Bool, (1, 1)),
        (ValType::S8, (1, 1)),
        (ValType::U8, (1, 1)),
        (ValType::S16, (2, 2)),
        (ValType::U16, (2, 2)),
        (ValType::S32, (4, 4)),
        (ValType::U32, (4, 4)),
        (ValType::S64, (8, 8)),
        (ValType::U64, (8, 8)),
        (ValType::F32, (4, 4)),
        (ValType::F64, (8, 8)),
        (ValType::Char, (4, 4)),
    ];
    for (ty, expected) in cases {
        assert_eq!(size_align(&ty), expected, "{ty}");
    }
}

#[test]
fn handles_are_four_byte_indices() {
    for ty in [ValType::Own, ValType::Borrow, ValType::Future, ValType::Stream, ValType::ErrorContext] {
        assert_eq!(size_align(&ty), (4, 4), "{ty}");
    }
}

#[test]
fn strings_lists_and_maps_are_pointer_and_length() {
    assert_eq!(size_align(&ValType::String), (8, 4));
    assert_eq!(size_align(&ValType::List(Box::new(ValType::U64))), (8, 4));
    let map = ValType::Map(Box::new(ValType::String), Box::new(ValType::F64));
    assert_eq!(size_align(&map), (8, 4));
    assert_eq!(layout_memory64(&ValType::String), Layout { size: 16, align: 8 });
    assert_eq!(layout_memory64(&map), Layout { size: 16, align: 8 });
}

#[test]
fn fixed_lists_repeat_their_element() {
    assert_eq!(size_align(&fixed(ValType::U16, 3)), (6, 2));
    assert_eq!(size_align(&fixed(ValType::String, 2)), (16, 4));
    // record { u8, u32 } is 8 bytes (3 bytes of padding after the u8).
    assert_eq!(size_align(&fixed(record(&[ValType::U8, ValType::U32]), 2)), (16, 4));
    // option<f64> is 16 bytes aligned to 8.
    assert_eq!(size_align(&fixed(option(ValType::F64), 2)), (32, 8));
}

#[test]
fn records_pad_fields_and_total() {
    let three = record(&[ValType::U8, ValType::U32, ValType::U8]);
    assert_eq!(size_align(&three), (12, 4));
    assert_eq!(record_field_offsets(&[ValType::U8, ValType::U32, ValType::U8]), vec![0, 4, 8]);
    assert_eq!(size_align(&record(&[ValType::U8, ValType::U64])), (16, 8));
    assert_eq!(size_align(&record(&[ValType::U8, ValType::U16, ValType::U8])), (6, 2));
    assert_eq!(record_field_offsets(&[ValType::U8, ValType::U16, ValType::U8]), vec![0, 2, 4]);
    assert_eq!(size_align(&ValType::Tuple(vec![ValType::U8; 3])), (3, 1));
    assert_eq!(size_align(&ValType::Tuple(vec![ValType::U8, ValType::String])), (12, 4));
}

#[test]
fn record_layout_depends_on_pointer_width() {
    let ty = record(&[ValType::U8, ValType::String]);
    assert_eq!(layout(&ty), Layout { size: 12, align: 4 });
    assert_eq!(layout_memory64(&ty), Layout { size: 24, align: 8 });
}

#[test]
fn empty_aggregates_take_no_bytes() {
    // Rejected by validation, but still laid out (as wit-parser does) for editor feedback.
    assert_eq!(size_align(&record(&[])), (0, 1));
    assert_eq!(size_align(&ValType::Flags(0)), (0, 1));
    assert_eq!(size_align(&fixed(ValType::U64, 0)), (0, 8));
}

#[test]
fn discriminant_width_follows_case_count() {
    assert_eq!(discriminant_size(1), 1);
    assert_eq!(discriminant_size(256), 1);
    assert_eq!(discriminant_size(257), 2);
    assert_eq!(discriminant_size(65_536), 2);
    assert_eq!(discriminant_size(65_537), 4);
    assert_eq!(discriminant_size(u32::MAX), 4);
    assert_eq!(size_align(&ValType::Enum(2)), (1, 1));
    assert_eq!(size_align(&ValType::Enum(257)), (2, 2));
    assert_eq!(size_align(&ValType::Enum(70_000)), (4, 4));
}

#[test]
fn options_and_results_are_two_case_variants() {
    assert_eq!(size_align(&option(ValType::U8)), (2, 1));
    assert_eq!(size_align(&option(ValType::U32)), (8, 4));
    assert_eq!(size_align(&option(ValType::U64)), (16, 8));
    assert_eq!(size_align(&option(ValType::String)), (12, 4));
    assert_eq!(size_align(&ValType::Result { ok: None, err: None }), (1, 1));
    assert_eq!(size_align(&ValType::Result { ok: None, err: Some(Box::new(ValType::U16)) }), (4, 2));
    let wide = ValType::Result { ok: Some(Box::new(ValType::U64)), err: Some(Box::new(ValType::String)) };
    assert_eq!(size_align(&wide), (16, 8));
}

#[test]
fn variant_payload_sits_after_discriminant_at_payload_alignment() {
    let mut cases = vec![None; 257];
    cases[3] = Some(ValType::F32);
    let ty = ValType::Variant(cases);
    assert_eq!(size_align(&ty), (8, 4));
    let ValType::Variant(cases) = &ty else { unreachable!() };
    let details = variant_layout(Cases::Variant(cases));
    assert_eq!((details.discriminant_size, details.payload_offset), (2, 4));

    let mut cases = vec![None; 300];
    cases[0] = Some(ValType::U8);
    assert_eq!(size_align(&ValType::Variant(cases)), (4, 2));

    // Payload size is the largest case; alignment the strictest.
    let mixed = ValType::Variant(vec![Some(ValType::Tuple(vec![ValType::U8; 7])), Some(ValType::U32), None]);
    assert_eq!(size_align(&mixed), (12, 4));
}

#[test]
fn flags_use_smallest_integer_then_u32_words() {
    assert_eq!(size_align(&ValType::Flags(1)), (1, 1));
    assert_eq!(size_align(&ValType::Flags(8)), (1, 1));
    assert_eq!(size_align(&ValType::Flags(9)), (2, 2));
    assert_eq!(size_align(&ValType::Flags(16)), (2, 2));
    assert_eq!(size_align(&ValType::Flags(17)), (4, 4));
    assert_eq!(size_align(&ValType::Flags(32)), (4, 4));
    // Beyond the current spec's cap of 32: the earlier one-u32-per-32-labels representation.
    assert_eq!(size_align(&ValType::Flags(33)), (8, 4));
    assert_eq!(size_align(&ValType::Flags(65)), (12, 4));
}

#[test]
fn sizes_saturate_instead_of_overflowing() {
    let huge = fixed(fixed(ValType::U64, u32::MAX), 2);
    assert_eq!(size_align(&huge), (u32::MAX, 8));
    let record_of_huge = record(&[ValType::U8, fixed(ValType::U64, u32::MAX)]);
    assert_eq!(layout(&record_of_huge).size, u32::MAX);
}

#[test]
fn enums_with_many_cases_do_not_allocate_cases() {
    // Despecialization borrows: an enum with u32::MAX cases is a count, not a vector.
    let ty = ValType::Enum(u32::MAX);
    let canopy_canonical_abi::Despecialized::Variant(cases) = despecialize(&ty) else { panic!("not a variant") };
    assert_eq!(cases.count(), u32::MAX);
    assert_eq!(cases.payloads().count(), 0);
    assert_eq!(size_align(&ty), (4, 4));
}

#[test]
fn despecialized_cases_expose_payloads_in_order() {
    let result = ValType::Result { ok: Some(Box::new(ValType::U8)), err: None };
    let canopy_canonical_abi::Despecialized::Variant(cases) = despecialize(&result) else { panic!("not a variant") };
    assert_eq!((cases.count(), cases.payload(0), cases.payload(1)), (2, Some(&ValType::U8), None));
    let opt = option(ValType::S16);
    let canopy_canonical_abi::Despecialized::Variant(cases) = despecialize(&opt) else { panic!("not a variant") };
    assert_eq!((cases.payload(0), cases.payload(1)), (None, Some(&ValType::S16)));
    assert_eq!(cases.payloads().collect::<Vec<_>>(), vec![&ValType::S16]);
}
