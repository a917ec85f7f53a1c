//! Byte layouts of stored values, each computed by hand from CanonicalABI.md's `alignment`,
//! `elem_size`, `store` and `load` (not from this crate or the layout crate), then lifted
//! back.

use canopy_component::abi::StringEncoding;
use canopy_component::{Type, Val};

use crate::support::{TestGuest, file, opts, with_cx};

/// Stores `val` at 0x100 in a fresh guest, checks the bytes there, and loads it back.
fn stored(ty: &Type, val: &Val, expected: &[u8]) -> TestGuest {
    let mut guest = TestGuest::standard();
    let options = opts(StringEncoding::Utf8);
    with_cx(&mut guest, &options, |cx| cx.store(val, ty, 0x100)).expect("store");
    assert_eq!(guest.bytes(0x100, expected.len()), expected, "bytes of {ty}");
    let back = with_cx(&mut guest, &options, |cx| cx.load(0x100, ty)).expect("load");
    assert_eq!(&back, val, "{ty} round trip");
    guest
}

#[test]
fn record_fields_are_padded_to_their_alignment() {
    // a: u8 at 0, b: u32 at 4 (aligned up from 1), c: u16 at 8, d: u64 at 16 (aligned up from
    // 10); the record is 24 bytes, 8-aligned.
    let ty = Type::record([("a", Type::U8), ("b", Type::U32), ("c", Type::U16), ("d", Type::U64)]);
    let val = Val::Record(vec![
        ("a".into(), Val::U8(1)),
        ("b".into(), Val::U32(0x0102_0304)),
        ("c".into(), Val::U16(0x0506)),
        ("d".into(), Val::U64(0x0708_090a_0b0c_0d0e)),
    ]);
    #[rustfmt::skip]
    let expected = [
        1, 0, 0, 0, 0x04, 0x03, 0x02, 0x01,
        0x06, 0x05, 0, 0, 0, 0, 0, 0,
        0x0e, 0x0d, 0x0c, 0x0b, 0x0a, 0x09, 0x08, 0x07,
    ];
    stored(&ty, &val, &expected);
}

#[test]
fn variant_payload_sits_at_the_largest_case_alignment() {
    // Three cases: a u8 discriminant; payload alignment max(1, 8) = 8, so the payload is at 8.
    let ty = Type::variant([("a", Some(Type::U8)), ("b", Some(Type::U64)), ("c", None)]);
    let val = Val::Variant("b".into(), Some(Box::new(Val::U64(0x1122_3344_5566_7788))));
    stored(&ty, &val, &[1, 0, 0, 0, 0, 0, 0, 0, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11]);
    stored(&ty, &Val::Variant("c".into(), None), &[2]);
}

#[test]
fn option_and_result_are_two_case_variants() {
    // option<u16>: discriminant byte, payload at 2.
    stored(&Type::option(Type::U16), &Val::Option(Some(Box::new(Val::U16(0xabcd)))), &[1, 0, 0xcd, 0xab]);
    stored(&Type::option(Type::U16), &Val::Option(None), &[0]);
    // result<_, string>: discriminant byte, string (pointer, length) at 4.
    let ty = Type::result(None, Some(Type::String));
    let guest = stored(&ty, &Val::Result(Err(Some(Box::new(Val::String("hi".into()))))), &[1, 0, 0, 0]);
    let ptr = u32::from_le_bytes(guest.bytes(0x104, 4).try_into().unwrap());
    assert_eq!(guest.bytes(0x108, 4), &2u32.to_le_bytes());
    assert_eq!(guest.bytes(ptr, 2), b"hi");
}

#[test]
fn flags_are_little_endian_bit_vectors() {
    // Ten labels: two bytes; labels 0 and 9 set bits 0 of byte 0 and 1 of byte 1.
    let names: Vec<String> = (0..10).map(|i| format!("f{i}")).collect();
    let ty = Type::flags(names.iter().map(String::as_str));
    stored(&ty, &Val::Flags(vec!["f0".into(), "f9".into()]), &[0x01, 0x02]);
    // Forty labels (past the spec's cap; the pre-cap layout has two u32 words): label 33 is
    // bit 1 of the second word, byte 4.
    let names: Vec<String> = (0..40).map(|i| format!("g{i}")).collect();
    let ty = Type::flags(names.iter().map(String::as_str));
    stored(&ty, &Val::Flags(vec!["g33".into(), "g2".into()]), &[0x04, 0, 0, 0, 0x02, 0, 0, 0]);
}

#[test]
fn an_enum_of_300_cases_has_a_two_byte_discriminant() {
    let names: Vec<String> = (0..300).map(|i| format!("c{i}")).collect();
    let ty = Type::enumeration(names.iter().map(String::as_str));
    stored(&ty, &Val::Enum("c258".into()), &[0x02, 0x01]);
}

#[test]
fn tuples_lists_and_chars() {
    // tuple<u8, f64>: the f64 at 8.
    let ty = Type::tuple([Type::U8, Type::F64]);
    let mut expected = vec![9, 0, 0, 0, 0, 0, 0, 0];
    expected.extend(1.5f64.to_le_bytes());
    stored(&ty, &Val::Tuple(vec![Val::U8(9), Val::F64(1.5)]), &expected);
    // char: its scalar value as a u32.
    stored(&Type::Char, &Val::Char('€'), &[0xac, 0x20, 0, 0]);
    // list<u16>: (pointer, 3) in place; the elements 2-aligned in a fresh allocation.
    let guest = stored(&Type::list(Type::U16), &Val::List(vec![Val::U16(1), Val::U16(2), Val::U16(3)]), &[]);
    let ptr = u32::from_le_bytes(guest.bytes(0x100, 4).try_into().unwrap());
    assert_eq!(guest.bytes(0x104, 4), &3u32.to_le_bytes());
    assert_eq!(ptr % 2, 0);
    assert_eq!(guest.bytes(ptr, 6), &[1, 0, 2, 0, 3, 0]);
    assert_eq!(guest.reallocs, vec![[0, 0, 2, 6]]);
}

#[test]
fn fixed_size_lists_are_stored_inline() {
    // record { x: u8, l: list<u32, 3> }: l at 4, size 16.
    let ty = Type::record([("x", Type::U8), ("l", Type::fixed_list(Type::U32, 3))]);
    let val = Val::Record(vec![
        ("x".into(), Val::U8(0xee)),
        ("l".into(), Val::List(vec![Val::U32(1), Val::U32(2), Val::U32(0xdead_beef)])),
    ]);
    let guest = stored(&ty, &val, &[0xee, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0xef, 0xbe, 0xad, 0xde]);
    assert!(guest.reallocs.is_empty(), "a fixed-size list allocates nothing");
}

#[test]
fn maps_are_lists_of_key_value_tuples() {
    // map<u8, u32>: entries are tuple<u8, u32>, 8 bytes, 4-aligned.
    let ty = Type::map(Type::U8, Type::U32);
    let val = Val::Map(vec![(Val::U8(1), Val::U32(10)), (Val::U8(2), Val::U32(20))]);
    let guest = stored(&ty, &val, &[]);
    let ptr = u32::from_le_bytes(guest.bytes(0x100, 4).try_into().unwrap());
    assert_eq!(guest.bytes(0x104, 4), &2u32.to_le_bytes());
    assert_eq!(guest.bytes(ptr, 16), &[1, 0, 0, 0, 10, 0, 0, 0, 2, 0, 0, 0, 20, 0, 0, 0]);
}

#[test]
fn handles_are_table_indices() {
    // own<file> lowered into the test guest's table gets index 1 (index 0 is never used).
    let ty = Type::Own(file());
    let guest = stored(&ty, &Val::Own(canopy_component::ResourceHandle::new(42)), &[1, 0, 0, 0]);
    assert_eq!(guest.table[1], None, "lifting the own took it out of the table");
}

#[test]
fn loading_ignores_nothing_it_should_not() {
    // bool: any nonzero byte is true.
    let mut guest = TestGuest::standard();
    guest.poke(0x10, &[0x80]);
    let options = opts(StringEncoding::Utf8);
    assert_eq!(with_cx(&mut guest, &options, |cx| cx.load(0x10, &Type::Bool)), Ok(Val::Bool(true)));
    // Signed integers take their sign from the top bit.
    guest.poke(0x20, &[0xfe, 0xff]);
    assert_eq!(with_cx(&mut guest, &options, |cx| cx.load(0x20, &Type::S16)), Ok(Val::S16(-2)));
    // Flags: bits past the labels are ignored, not a trap.
    guest.poke(0x30, &[0b1111_1101]);
    let flags = Type::flags(["a", "b", "c"]);
    assert_eq!(with_cx(&mut guest, &options, |cx| cx.load(0x30, &flags)), Ok(Val::Flags(vec!["a".into(), "c".into()])));
    // A NaN's payload is dropped: every NaN lifts as the canonical one.
    guest.poke(0x40, &0x7fc0_0001u32.to_le_bytes());
    let Ok(Val::F32(nan)) = with_cx(&mut guest, &options, |cx| cx.load(0x40, &Type::F32)) else { panic!() };
    assert_eq!(nan.to_bits(), 0x7fc0_0000);
    // Lowering a NaN stores the canonical NaN.
    with_cx(&mut guest, &options, |cx| cx.store(&Val::F64(f64::from_bits(0xfff0_0000_0000_0001)), &Type::F64, 0x48))
        .unwrap();
    assert_eq!(guest.bytes(0x48, 8), &0x7ff8_0000_0000_0000u64.to_le_bytes());
}
