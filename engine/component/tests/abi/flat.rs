//! Flat lowering and lifting: integer widening and narrowing, floats, and the variant join
//! with its bit-casts, against values computed by hand from CanonicalABI.md's
//! `flatten_variant`, `join`, `lower_flat_variant` and `lift_flat_variant`.

use canopy_component::abi::{CoreVal, CoreValues, StringEncoding};
use canopy_component::{Type, Val};

use crate::support::{TestGuest, opts, with_cx};

fn lower(ty: &Type, val: &Val) -> Vec<CoreVal> {
    let mut guest = TestGuest::standard();
    with_cx(&mut guest, &opts(StringEncoding::Utf8), |cx| cx.lower_flat(val, ty)).expect("lower")
}

fn lift(ty: &Type, core: &[CoreVal]) -> Val {
    let mut guest = TestGuest::standard();
    with_cx(&mut guest, &opts(StringEncoding::Utf8), |cx| {
        let mut src = CoreValues::new(core);
        let val = cx.lift_flat(&mut src, ty).expect("lift");
        src.finish().expect("every core value used");
        val
    })
}

fn some(val: Val) -> Option<Box<Val>> {
    Some(Box::new(val))
}

#[test]
fn small_integers_travel_in_an_i32() {
    assert_eq!(lower(&Type::S8, &Val::S8(-1)), [CoreVal::I32(-1)]);
    assert_eq!(lower(&Type::U8, &Val::U8(255)), [CoreVal::I32(255)]);
    assert_eq!(lower(&Type::S16, &Val::S16(-2)), [CoreVal::I32(-2)]);
    assert_eq!(lower(&Type::U32, &Val::U32(u32::MAX)), [CoreVal::I32(-1)]);
    assert_eq!(lower(&Type::U64, &Val::U64(u64::MAX)), [CoreVal::I64(-1)]);
    assert_eq!(lower(&Type::Bool, &Val::Bool(true)), [CoreVal::I32(1)]);
    // Lifting keeps only the type's own bits.
    assert_eq!(lift(&Type::U8, &[CoreVal::I32(0x1ff)]), Val::U8(0xff));
    assert_eq!(lift(&Type::S8, &[CoreVal::I32(0xff)]), Val::S8(-1));
    assert_eq!(lift(&Type::U16, &[CoreVal::I32(-1)]), Val::U16(0xffff));
    assert_eq!(lift(&Type::S32, &[CoreVal::I32(-5)]), Val::S32(-5));
    assert_eq!(lift(&Type::Bool, &[CoreVal::I32(2)]), Val::Bool(true));
    assert_eq!(lift(&Type::Bool, &[CoreVal::I32(0)]), Val::Bool(false));
    assert_eq!(lift(&Type::Char, &[CoreVal::I32(0x1f600)]), Val::Char('😀'));
}

#[test]
fn floats_keep_their_bits_except_nan() {
    assert_eq!(lower(&Type::F32, &Val::F32(-0.0)), [CoreVal::F32(0x8000_0000)]);
    assert_eq!(lower(&Type::F32, &Val::F32(f32::from_bits(0xffc0_1234))), [CoreVal::F32(0x7fc0_0000)]);
    let Val::F64(value) = lift(&Type::F64, &[CoreVal::F64(0x7ff0_0000_0000_0001)]) else { panic!() };
    assert_eq!(value.to_bits(), 0x7ff8_0000_0000_0000);
    let Val::F32(value) = lift(&Type::F32, &[CoreVal::F32(0x3fc0_0000)]) else { panic!() };
    assert_eq!(value, 1.5);
}

#[test]
fn an_f32_and_an_i32_join_into_an_i32() {
    // variant { a(f32), b(u32) } flattens to [i32, i32]: the f32 payload keeps its bits.
    let ty = Type::variant([("a", Some(Type::F32)), ("b", Some(Type::U32))]);
    let a = Val::Variant("a".into(), some(Val::F32(1.5)));
    assert_eq!(lower(&ty, &a), [CoreVal::I32(0), CoreVal::I32(0x3fc0_0000)]);
    assert_eq!(lift(&ty, &[CoreVal::I32(0), CoreVal::I32(0x3fc0_0000)]), a);
    let b = Val::Variant("b".into(), some(Val::U32(7)));
    assert_eq!(lower(&ty, &b), [CoreVal::I32(1), CoreVal::I32(7)]);
}

#[test]
fn anything_else_joins_into_an_i64() {
    // variant { a(f32), b(u64) }: [i32, i64]; the f32 bits are zero-extended.
    let ty = Type::variant([("a", Some(Type::F32)), ("b", Some(Type::U64))]);
    let a = Val::Variant("a".into(), some(Val::F32(-1.0)));
    assert_eq!(lower(&ty, &a), [CoreVal::I32(0), CoreVal::I64(0xbf80_0000)]);
    assert_eq!(lift(&ty, &[CoreVal::I32(0), CoreVal::I64(0xbf80_0000)]), a);
    // Lifting an f32 from an i64 slot wraps to the low 32 bits first.
    assert_eq!(lift(&ty, &[CoreVal::I32(0), CoreVal::I64(0x1234_5678_bf80_0000)]), a);
    // variant { a(f64), b(f32) }: [i32, i64].
    let ty = Type::variant([("a", Some(Type::F64)), ("b", Some(Type::F32))]);
    let b = Val::Variant("b".into(), some(Val::F32(1.5)));
    assert_eq!(lower(&ty, &b), [CoreVal::I32(1), CoreVal::I64(0x3fc0_0000)]);
    let a = Val::Variant("a".into(), some(Val::F64(2.0)));
    assert_eq!(lower(&ty, &a), [CoreVal::I32(0), CoreVal::I64(0x4000_0000_0000_0000)]);
    assert_eq!(lift(&ty, &[CoreVal::I32(0), CoreVal::I64(0x4000_0000_0000_0000)]), a);
    // A u32 payload in an i64 slot is zero-extended, not sign-extended.
    let ty = Type::variant([("a", Some(Type::U32)), ("b", Some(Type::S64))]);
    let a = Val::Variant("a".into(), some(Val::U32(u32::MAX)));
    assert_eq!(lower(&ty, &a), [CoreVal::I32(0), CoreVal::I64(0xffff_ffff)]);
}

#[test]
fn shorter_payloads_are_padded_with_zeros_of_the_joined_types() {
    // result<tuple<u8, f32>, tuple<f64>>: ok flattens to [i32, f32], error to [f64]; joined
    // per position: [i32 ⊔ f64, f32] = [i64, f32]; with the discriminant, [i32, i64, f32].
    let ty = Type::result(Some(Type::tuple([Type::U8, Type::F32])), Some(Type::tuple([Type::F64])));
    let err = Val::Result(Err(some(Val::Tuple(vec![Val::F64(2.0)]))));
    assert_eq!(lower(&ty, &err), [CoreVal::I32(1), CoreVal::I64(0x4000_0000_0000_0000), CoreVal::F32(0)]);
    assert_eq!(lift(&ty, &[CoreVal::I32(1), CoreVal::I64(0x4000_0000_0000_0000), CoreVal::F32(0)]), err);
    let ok = Val::Result(Ok(some(Val::Tuple(vec![Val::U8(7), Val::F32(1.0)]))));
    assert_eq!(lower(&ty, &ok), [CoreVal::I32(0), CoreVal::I64(7), CoreVal::F32(0x3f80_0000)]);
    assert_eq!(lift(&ty, &[CoreVal::I32(0), CoreVal::I64(7), CoreVal::F32(0x3f80_0000)]), ok);
    // A case without payload still takes every slot.
    let ty = Type::option(Type::tuple([Type::U64, Type::F32]));
    assert_eq!(lower(&ty, &Val::Option(None)), [CoreVal::I32(0), CoreVal::I64(0), CoreVal::F32(0)]);
    assert_eq!(lift(&ty, &[CoreVal::I32(0), CoreVal::I64(99), CoreVal::F32(5)]), Val::Option(None));
}

#[test]
fn nested_variants_join_inside_out() {
    // option<variant { x(u8), y(f32) }>: the inner variant is [i32, i32] (i32 ⊔ f32), so the
    // option is [i32, i32, i32].
    let ty = Type::option(Type::variant([("x", Some(Type::U8)), ("y", Some(Type::F32))]));
    let val = Val::Option(some(Val::Variant("y".into(), some(Val::F32(0.5)))));
    assert_eq!(lower(&ty, &val), [CoreVal::I32(1), CoreVal::I32(1), CoreVal::I32(0x3f00_0000)]);
    assert_eq!(lift(&ty, &[CoreVal::I32(1), CoreVal::I32(1), CoreVal::I32(0x3f00_0000)]), val);
    // result<option<f64>, u32>: ok is [i32, f64], err [i32]; joined [i32, f64] → [i32, i32, f64]
    // where position 1 is i32 ⊔ i32 and position 2 the f64.
    let ty = Type::result(Some(Type::option(Type::F64)), Some(Type::U32));
    let ok = Val::Result(Ok(some(Val::Option(some(Val::F64(3.0))))));
    let bits = 3.0f64.to_bits();
    assert_eq!(lower(&ty, &ok), [CoreVal::I32(0), CoreVal::I32(1), CoreVal::F64(bits)]);
    assert_eq!(lift(&ty, &[CoreVal::I32(0), CoreVal::I32(1), CoreVal::F64(bits)]), ok);
    let err = Val::Result(Err(some(Val::U32(4))));
    assert_eq!(lower(&ty, &err), [CoreVal::I32(1), CoreVal::I32(4), CoreVal::F64(0)]);
}

#[test]
fn flags_and_handles_flatten_to_i32s() {
    let ty = Type::flags(["a", "b", "c"]);
    assert_eq!(lower(&ty, &Val::Flags(vec!["c".into(), "a".into()])), [CoreVal::I32(0b101)]);
    assert_eq!(lift(&ty, &[CoreVal::I32(-1)]), Val::Flags(vec!["a".into(), "b".into(), "c".into()]));
    // 40 labels: two words, label 35 in bit 3 of the second.
    let names: Vec<String> = (0..40).map(|i| format!("f{i}")).collect();
    let ty = Type::flags(names.iter().map(String::as_str));
    assert_eq!(lower(&ty, &Val::Flags(vec!["f35".into()])), [CoreVal::I32(0), CoreVal::I32(8)]);
    assert_eq!(lift(&ty, &[CoreVal::I32(1), CoreVal::I32(8)]), Val::Flags(vec!["f0".into(), "f35".into()]));
}

#[test]
fn fixed_lists_and_records_concatenate() {
    let ty = Type::record([("a", Type::fixed_list(Type::U16, 2)), ("b", Type::S64)]);
    let val = Val::Record(vec![("a".into(), Val::List(vec![Val::U16(1), Val::U16(2)])), ("b".into(), Val::S64(-3))]);
    assert_eq!(lower(&ty, &val), [CoreVal::I32(1), CoreVal::I32(2), CoreVal::I64(-3)]);
    assert_eq!(lift(&ty, &[CoreVal::I32(1), CoreVal::I32(2), CoreVal::I64(-3)]), val);
}
