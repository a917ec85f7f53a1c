//! Hand-computed flattenings: scalars, aggregates, variant joins, flags, fixed-size lists and
//! the bounded flattening used for signatures.

use canopy_canonical_abi::CoreType::{F32, F64, I32, I64};
use canopy_canonical_abi::{CoreType, ValType, flatten, flatten_types, flatten_types_bounded, join};

fn boxed(ty: ValType) -> Box<ValType> {
    Box::new(ty)
}

fn result(ok: ValType, err: ValType) -> ValType {
    ValType::Result { ok: Some(boxed(ok)), err: Some(boxed(err)) }
}

#[test]
fn scalars_flatten_to_one_value() {
    let cases = [
        (ValType::Bool, I32),
        (ValType::S8, I32),
        (ValType::U16, I32),
        (ValType::U32, I32),
        (ValType::Char, I32),
        (ValType::S64, I64),
        (ValType::U64, I64),
        (ValType::F32, F32),
        (ValType::F64, F64),
        (ValType::Own, I32),
        (ValType::Borrow, I32),
        (ValType::Future, I32),
        (ValType::Stream, I32),
        (ValType::ErrorContext, I32),
        (ValType::Enum(300), I32),
        (ValType::Flags(32), I32),
    ];
    for (ty, core) in cases {
        assert_eq!(flatten(&ty), vec![core], "{ty}");
    }
}

#[test]
fn strings_lists_and_maps_flatten_to_pointer_and_length() {
    assert_eq!(flatten(&ValType::String), vec![I32, I32]);
    assert_eq!(flatten(&ValType::List(boxed(ValType::F64))), vec![I32, I32]);
    assert_eq!(flatten(&ValType::Map(boxed(ValType::U64), boxed(ValType::String))), vec![I32, I32]);
}

#[test]
fn records_concatenate_fields() {
    let ty = ValType::Record(vec![ValType::U8, ValType::F64, ValType::String]);
    assert_eq!(flatten(&ty), vec![I32, F64, I32, I32]);
    let tuple = ValType::Tuple(vec![ValType::F32, ValType::S64]);
    assert_eq!(flatten(&tuple), vec![F32, I64]);
    assert_eq!(flatten(&ValType::Record(Vec::new())), Vec::<CoreType>::new());
}

#[test]
fn variants_join_payloads_position_by_position() {
    assert_eq!(flatten(&ValType::Option(boxed(ValType::F32))), vec![I32, F32]);
    assert_eq!(flatten(&result(ValType::F32, ValType::U32)), vec![I32, I32]);
    assert_eq!(flatten(&result(ValType::F32, ValType::F64)), vec![I32, I64]);
    assert_eq!(flatten(&result(ValType::U32, ValType::U64)), vec![I32, I64]);
    assert_eq!(flatten(&result(ValType::F64, ValType::F64)), vec![I32, F64]);
    assert_eq!(flatten(&ValType::Result { ok: None, err: None }), vec![I32]);
    let wider =
        ValType::Variant(vec![Some(ValType::F32), Some(ValType::Tuple(vec![ValType::U32, ValType::U32])), None]);
    assert_eq!(flatten(&wider), vec![I32, I32, I32]);
    let mixed = ValType::Variant(vec![Some(ValType::Tuple(vec![ValType::F32, ValType::F32])), Some(ValType::U64)]);
    assert_eq!(flatten(&mixed), vec![I32, I64, F32]);
}

#[test]
fn join_table() {
    let all = [I32, I64, F32, F64];
    for a in all {
        for b in all {
            let expected = match (a, b) {
                _ if a == b => a,
                (I32, F32) | (F32, I32) => I32,
                _ => I64,
            };
            assert_eq!(join(a, b), expected, "join({a}, {b})");
            assert_eq!(join(a, b), join(b, a), "join is symmetric for {a}, {b}");
        }
    }
    assert_eq!(join(F32, F64), I64);
    assert_eq!(join(I32, F64), I64);
}

#[test]
fn flags_take_one_i32_per_32_labels() {
    assert_eq!(flatten(&ValType::Flags(1)), vec![I32]);
    assert_eq!(flatten(&ValType::Flags(33)), vec![I32, I32]);
    assert_eq!(flatten(&ValType::Flags(0)), Vec::<CoreType>::new());
}

#[test]
fn fixed_lists_repeat_element_flattening() {
    assert_eq!(flatten(&ValType::FixedList(boxed(ValType::U8), 3)), vec![I32; 3]);
    let pairs = ValType::FixedList(boxed(ValType::Tuple(vec![ValType::F32, ValType::U64])), 2);
    assert_eq!(flatten(&pairs), vec![F32, I64, F32, I64]);
    // Elements that flatten to nothing do not make the list expensive to flatten.
    let empty = ValType::FixedList(boxed(ValType::Record(Vec::new())), u32::MAX);
    assert_eq!(flatten(&empty), Vec::<CoreType>::new());
}

#[test]
fn parameter_lists_flatten_in_order() {
    let params = [ValType::String, ValType::U64, ValType::Option(boxed(ValType::F64))];
    assert_eq!(flatten_types(&params), vec![I32, I32, I64, I32, F64]);
}

#[test]
fn bounded_flattening_stops_at_the_limit() {
    let sixteen = vec![ValType::U32; 16];
    assert_eq!(flatten_types_bounded(&sixteen, 16), Some(vec![I32; 16]));
    let seventeen = vec![ValType::U32; 17];
    assert_eq!(flatten_types_bounded(&seventeen, 16), None);
    let huge = [ValType::FixedList(boxed(ValType::U8), u32::MAX)];
    assert_eq!(flatten_types_bounded(&huge, 16), None);
    let variant = [ValType::Variant(vec![Some(ValType::FixedList(boxed(ValType::U8), 16))])];
    assert_eq!(flatten_types_bounded(&variant, 16), None, "discriminant plus 16 payload values");
    assert_eq!(flatten_types_bounded(&variant, 17).map(|flat| flat.len()), Some(17));
    assert_eq!(flatten_types_bounded(&[ValType::Flags(33)], 1), None);
}
