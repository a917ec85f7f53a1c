//! Validation errors with their locations, and the hover-oriented summaries.

use canopy_canonical_abi::{AbiErrorKind, FunctionFacts, MAX_ELEM_SIZE, PathStep, TypeFacts, ValType, validate};

fn boxed(ty: ValType) -> Box<ValType> {
    Box::new(ty)
}

fn kind_at(ty: &ValType) -> (Vec<PathStep>, AbiErrorKind) {
    let error = validate(ty).expect_err("type should be invalid");
    (error.path, error.kind)
}

#[test]
fn well_formed_types_validate() {
    let types = [
        ValType::Record(vec![ValType::U8, ValType::String]),
        ValType::Flags(32),
        ValType::Enum(1),
        ValType::FixedList(boxed(ValType::U8), MAX_ELEM_SIZE),
        ValType::Map(boxed(ValType::String), boxed(ValType::Option(boxed(ValType::U64)))),
        ValType::Result { ok: None, err: None },
        ValType::Variant(vec![None, Some(ValType::Own)]),
    ];
    for ty in types {
        assert_eq!(validate(&ty), Ok(()), "{ty}");
    }
}

#[test]
fn empty_aggregates_are_rejected() {
    assert_eq!(kind_at(&ValType::Record(Vec::new())), (vec![], AbiErrorKind::EmptyRecord));
    assert_eq!(kind_at(&ValType::Tuple(Vec::new())), (vec![], AbiErrorKind::EmptyTuple));
    assert_eq!(kind_at(&ValType::Variant(Vec::new())), (vec![], AbiErrorKind::EmptyVariant));
    assert_eq!(kind_at(&ValType::Enum(0)), (vec![], AbiErrorKind::EmptyEnum));
    assert_eq!(kind_at(&ValType::Flags(0)), (vec![], AbiErrorKind::EmptyFlags));
    assert_eq!(kind_at(&ValType::FixedList(boxed(ValType::U8), 0)), (vec![], AbiErrorKind::EmptyFixedList));
}

#[test]
fn flags_are_capped_at_32() {
    assert_eq!(kind_at(&ValType::Flags(33)), (vec![], AbiErrorKind::TooManyFlags(33)));
}

#[test]
fn nested_errors_report_their_path() {
    let ty = ValType::Record(vec![ValType::U8, ValType::Option(boxed(ValType::Tuple(Vec::new())))]);
    let error = validate(&ty).unwrap_err();
    assert_eq!(error.path, vec![PathStep::Field(1), PathStep::Case(1)]);
    assert_eq!(error.to_string(), "in field 1 > case 1: a tuple must have at least one element");
    let map = ValType::Map(boxed(ValType::String), boxed(ValType::Record(Vec::new())));
    assert_eq!(kind_at(&map), (vec![PathStep::Value], AbiErrorKind::EmptyRecord));
    let result = ValType::Result { ok: None, err: Some(boxed(ValType::List(boxed(ValType::Flags(40))))) };
    assert_eq!(kind_at(&result), (vec![PathStep::Case(1), PathStep::Element], AbiErrorKind::TooManyFlags(40)));
}

#[test]
fn element_size_is_bounded_using_64_bit_pointers() {
    let too_big = ValType::FixedList(boxed(ValType::U8), MAX_ELEM_SIZE + 1);
    assert_eq!(kind_at(&too_big), (vec![], AbiErrorKind::TooLarge(1 << 28)));
    // 2^24 strings are 2^27 bytes with 32-bit pointers but 2^28 with 64-bit ones.
    let strings = ValType::List(boxed(ValType::FixedList(boxed(ValType::String), 1 << 24)));
    assert_eq!(kind_at(&strings), (vec![PathStep::Element], AbiErrorKind::TooLarge(1 << 28)));
    let saturated = ValType::FixedList(boxed(ValType::FixedList(boxed(ValType::U64), u32::MAX)), 2);
    assert_eq!(kind_at(&saturated), (vec![], AbiErrorKind::TooLarge(u32::MAX)));
}

#[test]
fn type_facts_render_record_details() {
    let facts = TypeFacts::of(&ValType::Record(vec![ValType::U8, ValType::U32]));
    assert_eq!(facts.to_string(), "size 8, align 4\nflat: i32 i32\nfield offsets: 0, 4");
}

#[test]
fn type_facts_render_variant_details() {
    let facts = TypeFacts::of(&ValType::Option(boxed(ValType::U64)));
    assert_eq!(facts.to_string(), "size 16, align 8\nflat: i32 i64\ndiscriminant: 1 byte, payload at offset 8");
    let wide = TypeFacts::of(&ValType::Enum(1000));
    assert_eq!(wide.to_string(), "size 2, align 2\nflat: i32\ndiscriminant: 2 bytes, payload at offset 2");
}

#[test]
fn type_facts_mark_unflattenable_and_invalid_types() {
    let facts = TypeFacts::of(&ValType::FixedList(boxed(ValType::U8), 17));
    assert_eq!(facts.flat, None);
    assert_eq!(facts.to_string(), "size 17, align 1\nflat: more than 16 values (always passed through memory)");
    let invalid = TypeFacts::of(&ValType::Flags(40));
    assert_eq!(invalid.error.as_ref().map(|error| error.kind), Some(AbiErrorKind::TooManyFlags(40)));
    assert!(invalid.to_string().ends_with("\ninvalid: a flags type may have at most 32 labels, this one has 40"));
}

#[test]
fn function_facts_render_sync_conventions() {
    let facts = FunctionFacts::of(&[ValType::String], Some(&ValType::String), false);
    assert!(facts.async_facts.is_none());
    assert_eq!(
        facts.to_string(),
        "lift: (func (param i32 i32) (result i32)) (result via returned pointer)\n\
         lower: (func (param i32 i32 i32)) (result via out-pointer)"
    );
}

#[test]
fn function_facts_render_async_conventions() {
    let params = vec![ValType::U32; 5];
    let facts = FunctionFacts::of(&params, Some(&ValType::U64), true);
    assert_eq!(
        facts.to_string(),
        "lift: (func (param i32 i32 i32 i32 i32) (result i64))\n\
         lower: (func (param i32 i32 i32 i32 i32) (result i64))\n\
         async lift (callback): (func (param i32 i32 i32 i32 i32) (result i32))\n\
         async lift (stackful): (func (param i32 i32 i32 i32 i32))\n\
         async lower: (func (param i32 i32) (result i32)) (params via pointer, result via out-pointer)\n\
         task.return: (func (param i64))"
    );
}

#[test]
fn val_types_render_in_wit_like_syntax() {
    let ty = ValType::Record(vec![
        ValType::List(boxed(ValType::U8)),
        ValType::FixedList(boxed(ValType::F32), 4),
        ValType::Result { ok: None, err: Some(boxed(ValType::String)) },
        ValType::Variant(vec![None, Some(ValType::Borrow)]),
        ValType::Map(boxed(ValType::String), boxed(ValType::Tuple(vec![ValType::Char, ValType::Flags(3)]))),
    ]);
    assert_eq!(
        ty.to_string(),
        "record { list<u8>, list<f32, 4>, result<_, string>, variant { _, borrow }, map<string, tuple<char, flags(3)>> }"
    );
}

#[test]
fn large_flags_can_be_allowed_without_lifting_other_rules() {
    use canopy_canonical_abi::validate_allowing_large_flags;
    assert_eq!(validate_allowing_large_flags(&ValType::Flags(33)), Ok(()));
    assert_eq!(validate_allowing_large_flags(&ValType::List(boxed(ValType::Flags(1000)))), Ok(()));
    let empty = validate_allowing_large_flags(&ValType::Flags(0)).unwrap_err();
    assert_eq!(empty.kind, AbiErrorKind::EmptyFlags);
    let nested = ValType::Tuple(vec![ValType::Flags(40), ValType::Record(Vec::new())]);
    let error = validate_allowing_large_flags(&nested).unwrap_err();
    assert_eq!((error.path, error.kind), (vec![PathStep::Field(1)], AbiErrorKind::EmptyRecord));
    // The plain validation still caps flags at 32.
    assert_eq!(kind_at(&nested), (vec![PathStep::Field(0)], AbiErrorKind::TooManyFlags(40)));
}

#[test]
fn length_limits_and_the_utf16_tag() {
    use canopy_canonical_abi::{MAX_LIST_BYTE_LENGTH, MAX_STRING_BYTE_LENGTH, REALLOC_I32_MAX, UTF16_TAG};
    // CanonicalABI.md: both limits are (1 << 28) - 1, and twice either still fits a 32-bit
    // realloc size; the tag is bit 31 of a 32-bit length.
    assert_eq!(MAX_STRING_BYTE_LENGTH, 268_435_455);
    assert_eq!(MAX_LIST_BYTE_LENGTH, 268_435_455);
    assert!(u64::from(REALLOC_I32_MAX) > 2 * u64::from(MAX_STRING_BYTE_LENGTH));
    assert_eq!(UTF16_TAG, 0x8000_0000);
}
