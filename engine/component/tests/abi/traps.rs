//! One trap per rule, with the message that names the rule and the place.

use canopy_component::abi::{CoreVal, CoreValues, Options, StringEncoding, Trap, TrapKind};
use canopy_component::{ResourceHandle, Type, Val};

use crate::support::{TestGuest, file, opts, with_cx};

fn lift_flat(guest: &mut TestGuest, options: &Options, ty: &Type, core: &[CoreVal]) -> Trap {
    with_cx(guest, options, |cx| cx.lift_flat(&mut CoreValues::new(core), ty)).expect_err("should trap")
}

fn string_trap(encoding: StringEncoding, ptr: u32, len: u32) -> String {
    let mut guest = TestGuest::standard();
    lift_flat(&mut guest, &opts(encoding), &Type::String, &[CoreVal::I32(ptr as i32), CoreVal::I32(len as i32)])
        .to_string()
}

#[test]
fn misaligned_strings_trap() {
    assert_eq!(
        string_trap(StringEncoding::Utf16, 0x1001, 2),
        "unaligned pointer: string pointer 0x1001 is not aligned to 2 for utf16"
    );
    assert_eq!(
        string_trap(StringEncoding::Latin1Utf16, 0x1001, 2),
        "unaligned pointer: string pointer 0x1001 is not aligned to 2 for latin1",
        "both halves of latin1+utf16 are 2-aligned"
    );
    // Alignment is checked even for an empty string.
    assert_eq!(
        string_trap(StringEncoding::Utf16, 3, 0),
        "unaligned pointer: string pointer 0x3 is not aligned to 2 for utf16"
    );
}

#[test]
fn strings_past_memory_trap() {
    assert_eq!(
        string_trap(StringEncoding::Utf8, 0xfff0, 0x20),
        "string content out-of-bounds (string pointer/length out of bounds of memory): utf8 string of 32 bytes at 0xfff0 runs past the end of memory (65536 bytes)"
    );
    assert_eq!(
        string_trap(StringEncoding::Utf16, 0xfff0, 9),
        "string content out-of-bounds (string pointer/length out of bounds of memory): utf16 string of 18 bytes at 0xfff0 runs past the end of memory (65536 bytes)"
    );
    // An empty string exactly at the end is fine.
    let mut guest = TestGuest::standard();
    let core = [CoreVal::I32(0x10000), CoreVal::I32(0)];
    let options = opts(StringEncoding::Utf8);
    assert_eq!(
        with_cx(&mut guest, &options, |cx| cx.lift_flat(&mut CoreValues::new(&core), &Type::String)),
        Ok(Val::String(String::new()))
    );
}

#[test]
fn the_string_length_limit_comes_before_alignment_and_bounds() {
    // 2^28 bytes is one past MAX_STRING_BYTE_LENGTH; 2^27 UTF-16 units are 2^28 bytes.
    assert_eq!(
        string_trap(StringEncoding::Utf8, 1, 1 << 28),
        "utf8 string of 268435456 bytes is longer than the limit of 268435455 bytes"
    );
    assert_eq!(
        string_trap(StringEncoding::Utf16, 1, 1 << 27),
        "utf16 string of 268435456 bytes is longer than the limit of 268435455 bytes"
    );
    assert_eq!(
        string_trap(StringEncoding::Latin1Utf16, 0, (1 << 31) | (1 << 27)),
        "utf16 string of 268435456 bytes is longer than the limit of 268435455 bytes"
    );
}

#[test]
fn undecodable_strings_trap() {
    let cases: [(StringEncoding, &[u8], &str); 5] = [
        (
            StringEncoding::Utf8,
            &[b'a', 0xff],
            "invalid utf-8: the string at 0x100 has an invalid byte sequence at byte 1",
        ),
        (
            StringEncoding::Utf8,
            &[0xc0, 0x80],
            "invalid utf-8: the string at 0x100 has an invalid byte sequence at byte 0",
        ),
        (
            StringEncoding::Utf8,
            &[0xed, 0xa0, 0x80],
            "invalid utf-8: the string at 0x100 has an invalid byte sequence at byte 0",
        ),
        (
            StringEncoding::Utf16,
            &[0x61, 0, 0x00, 0xd8, 0x62, 0],
            "invalid UTF-16 in the string at 0x100: unpaired surrogate 0xd800 at code unit 1",
        ),
        (
            StringEncoding::Utf16,
            &[0x00, 0xdc],
            "invalid UTF-16 in the string at 0x100: unpaired surrogate 0xdc00 at code unit 0",
        ),
    ];
    for (encoding, bytes, message) in cases {
        let mut guest = TestGuest::standard();
        guest.poke(0x100, bytes);
        let units = if encoding == StringEncoding::Utf16 { bytes.len() / 2 } else { bytes.len() } as i32;
        let trap = lift_flat(&mut guest, &opts(encoding), &Type::String, &[CoreVal::I32(0x100), CoreVal::I32(units)]);
        assert_eq!(trap.to_string(), message);
    }
}

#[test]
fn invalid_chars_trap() {
    let mut guest = TestGuest::standard();
    let options = opts(StringEncoding::Utf8);
    let surrogate = lift_flat(&mut guest, &options, &Type::Char, &[CoreVal::I32(0xd800)]);
    assert_eq!(surrogate.kind(), &TrapKind::InvalidChar(0xd800));
    assert_eq!(surrogate.to_string(), "invalid `char` bit pattern 0xd800: a surrogate is not a Unicode scalar value");
    let beyond = lift_flat(&mut guest, &options, &Type::Char, &[CoreVal::I32(0x110000)]);
    assert_eq!(beyond.to_string(), "invalid `char` bit pattern 0x110000: beyond 0x10ffff");
    // The same rule in memory.
    guest.poke(0x40, &0xdfffu32.to_le_bytes());
    let trap = with_cx(&mut guest, &options, |cx| cx.load(0x40, &Type::Char)).unwrap_err();
    assert_eq!(trap.kind(), &TrapKind::InvalidChar(0xdfff));
}

#[test]
fn discriminants_out_of_range_trap() {
    let shape = Type::variant([("circle", Some(Type::F32)), ("square", Some(Type::F32)), ("point", None)]);
    let mut guest = TestGuest::standard();
    let options = opts(StringEncoding::Utf8);
    let trap = lift_flat(&mut guest, &options, &shape, &[CoreVal::I32(7), CoreVal::I32(0)]);
    assert_eq!(
        trap.to_string(),
        "invalid variant discriminant 7: out of range for variant { circle(f32), square(f32), point } (3 cases)"
    );
    guest.poke(0x50, &[3]);
    let trap = with_cx(&mut guest, &options, |cx| cx.load(0x50, &shape)).unwrap_err();
    assert!(matches!(trap.kind(), TrapKind::InvalidDiscriminant { value: 3, cases: 3, .. }), "{trap}");
    let trap = lift_flat(&mut guest, &options, &Type::option(Type::U8), &[CoreVal::I32(2), CoreVal::I32(0)]);
    assert_eq!(trap.to_string(), "invalid variant discriminant 2: out of range for option<u8> (2 cases)");
    let trap = lift_flat(&mut guest, &options, &Type::enumeration(["a", "b"]), &[CoreVal::I32(-1)]);
    assert_eq!(trap.to_string(), "invalid variant discriminant 4294967295: out of range for enum { a, b } (2 cases)");
}

#[test]
fn lists_are_checked_before_they_are_read() {
    let mut guest = TestGuest::standard();
    let options = opts(StringEncoding::Utf8);
    let list = |elem: Type, ptr: i32, len: i32, guest: &mut TestGuest| {
        lift_flat(guest, &options, &Type::list(elem), &[CoreVal::I32(ptr), CoreVal::I32(len)]).to_string()
    };
    assert_eq!(
        list(Type::U32, 0xfff0, 1_000_000, &mut guest),
        "list content out-of-bounds: list of 1000000 elements of u32 (4000000 bytes) at 0xfff0 runs past the end of memory (65536 bytes)"
    );
    assert_eq!(
        list(Type::U32, 0x1002, 1, &mut guest),
        "unaligned pointer: list pointer 0x1002 is not aligned to 4 for elements of u32"
    );
    assert_eq!(
        list(Type::U64, 8, 1 << 25, &mut guest),
        "list of 33554432 elements of 8 bytes is longer than the limit of 268435455 bytes"
    );
}

#[test]
fn traps_say_where_inside_the_value() {
    // param 0 is a list of records; element 2's `name` holds invalid UTF-8.
    let person = Type::record([("age", Type::U8), ("name", Type::String)]);
    let types = [Type::list(person)];
    let mut guest = TestGuest::standard();
    // Three records of 12 bytes at 0x100: (age, pad, ptr, len).
    for (index, ptr) in [0x200u32, 0x210, 0x220].iter().enumerate() {
        let at = 0x100 + 12 * index as u32;
        guest.poke(at, &[20 + index as u8]);
        guest.poke(at + 4, &ptr.to_le_bytes());
        guest.poke(at + 8, &1u32.to_le_bytes());
    }
    guest.poke(0x200, b"a");
    guest.poke(0x210, b"b");
    guest.poke(0x220, &[0x80]);
    let options = opts(StringEncoding::Utf8);
    let core = [CoreVal::I32(0x100), CoreVal::I32(3)];
    let trap = with_cx(&mut guest, &options, |cx| cx.lift_params(&types, &mut CoreValues::new(&core))).unwrap_err();
    assert_eq!(
        trap.to_string(),
        "invalid utf-8: the string at 0x220 has an invalid byte sequence at byte 0 (in param 0 › element 2 › field `name`)"
    );
    assert_eq!(trap.path().len(), 3);
}

#[test]
fn spilled_tuples_are_checked() {
    let types: Vec<Type> = (0..17).map(|_| Type::U64).collect();
    let mut guest = TestGuest::standard();
    let options = opts(StringEncoding::Utf8);
    let trap = with_cx(&mut guest, &options, |cx| cx.lift_params(&types, &mut CoreValues::new(&[CoreVal::I32(4)])));
    assert_eq!(trap.unwrap_err().to_string(), "unaligned pointer: parameter tuple pointer 0x4 is not aligned to 8");
    let trap =
        with_cx(&mut guest, &options, |cx| cx.lift_params(&types, &mut CoreValues::new(&[CoreVal::I32(0xff80)])));
    assert_eq!(
        trap.unwrap_err().to_string(),
        "pointer out-of-bounds: parameter tuple of 136 bytes at 0xff80 runs past the end of memory (65536 bytes)"
    );
    let results = [Type::String];
    let trap = with_cx(&mut guest, &options, |cx| cx.lift_results(&results, &[CoreVal::I32(0xfffe)]));
    assert_eq!(trap.unwrap_err().to_string(), "unaligned pointer: result tuple pointer 0xfffe is not aligned to 4");
}

#[test]
fn realloc_results_are_checked() {
    let options = opts(StringEncoding::Utf16);
    let mut guest = TestGuest::standard();
    guest.hostile_realloc = Some(Box::new(|_, _, _, _| 0x1001));
    let trap = with_cx(&mut guest, &options, |cx| cx.lower_flat(&Val::String("ab".into()), &Type::String)).unwrap_err();
    assert_eq!(
        trap.to_string(),
        "realloc return: result not aligned (an unaligned pointer): realloc returned 0x1001 for a utf16 string of 4 bytes, which is not aligned to 2"
    );
    let mut guest = TestGuest::standard();
    guest.hostile_realloc = Some(Box::new(|_, _, _, _| 0xfffc));
    let list = Val::List(vec![Val::U32(1), Val::U32(2)]);
    let trap = with_cx(&mut guest, &options, |cx| cx.lower_flat(&list, &Type::list(Type::U32))).unwrap_err();
    assert_eq!(
        trap.to_string(),
        "realloc return: beyond end of memory (list content out-of-bounds): realloc returned 0xfffc for a list of 2 elements of u32 (8 bytes), which runs past the end of memory (65536 bytes)"
    );
    let mut guest = TestGuest::standard();
    guest.hostile_realloc = Some(Box::new(|_, _, _, _| 4));
    let types: Vec<Type> = (0..17).map(|_| Type::U64).collect();
    let vals: Vec<Val> = (0..17).map(Val::U64).collect();
    let trap = with_cx(&mut guest, &options, |cx| cx.lower_params(&types, &vals)).unwrap_err();
    assert_eq!(
        trap.to_string(),
        "realloc return: result not aligned (an unaligned pointer): realloc returned 0x4 for a parameter tuple of 136 bytes, which is not aligned to 8"
    );
}

#[test]
fn missing_options_trap() {
    let mut guest = TestGuest::standard();
    let no_memory = Options::default();
    let trap = lift_flat(&mut guest, &no_memory, &Type::String, &[CoreVal::I32(0), CoreVal::I32(0)]);
    assert_eq!(trap.kind(), &TrapKind::MissingMemory);
    let no_realloc = Options { realloc: false, ..opts(StringEncoding::Utf8) };
    let trap = with_cx(&mut guest, &no_realloc, |cx| cx.lower_flat(&Val::String("x".into()), &Type::String));
    assert_eq!(trap.unwrap_err().kind(), &TrapKind::MissingRealloc);
    // Scalars need neither.
    assert_eq!(with_cx(&mut guest, &no_memory, |cx| cx.lower_flat(&Val::U8(1), &Type::U8)), Ok(vec![CoreVal::I32(1)]));
}

#[test]
fn core_values_must_match_the_flattened_signature() {
    let mut guest = TestGuest::standard();
    let options = opts(StringEncoding::Utf8);
    let trap = lift_flat(&mut guest, &options, &Type::U32, &[CoreVal::F32(0)]);
    assert_eq!(trap.to_string(), "core value 0 is f32 where the flattened signature has i32");
    let trap = lift_flat(&mut guest, &options, &Type::tuple([Type::U32, Type::U64]), &[CoreVal::I32(0)]);
    assert_eq!(trap.to_string(), "core value 1 (i64) is missing (in tuple item 1)");
    let trap = with_cx(&mut guest, &options, |cx| cx.lift_results(&[Type::U32], &[CoreVal::I32(1), CoreVal::I32(2)]));
    assert_eq!(trap.unwrap_err().to_string(), "2 core values given where the flattened signature has 1");
}

#[test]
fn values_must_match_their_types_before_anything_is_written() {
    let mut guest = TestGuest::standard();
    let options = opts(StringEncoding::Utf8);
    let types = [Type::String, Type::record([("x", Type::U8)])];
    let vals = [Val::String("fine".into()), Val::Record(vec![("x".into(), Val::U16(1))])];
    let trap = with_cx(&mut guest, &options, |cx| cx.lower_params(&types, &vals)).unwrap_err();
    assert_eq!(
        trap.to_string(),
        "value does not match its type: expected u8, found a u16 value (in param 1 › field `x`)"
    );
    assert!(guest.reallocs.is_empty(), "the string of param 0 was not lowered");
    let trap = with_cx(&mut guest, &options, |cx| cx.lower_params(&types, &vals[..1])).unwrap_err();
    assert_eq!(trap.to_string(), "1 values given for 2 types");
}

#[test]
fn a_huge_fixed_list_runs_out_of_core_values_quickly() {
    let mut guest = TestGuest::standard();
    let options = opts(StringEncoding::Utf8);
    let trap = lift_flat(&mut guest, &options, &Type::fixed_list(Type::U8, 1_000_000), &[CoreVal::I32(1)]);
    assert_eq!(trap.to_string(), "core value 1 (i32) is missing (in element 1)");
}

#[test]
fn types_the_abi_rejects_trap_before_lifting() {
    let mut guest = TestGuest::standard();
    let options = opts(StringEncoding::Utf8);
    let empty = Type::list(Type::Record(Vec::new()));
    let trap = lift_flat(&mut guest, &options, &empty, &[CoreVal::I32(0), CoreVal::I32(-1)]);
    assert_eq!(
        trap.to_string(),
        "type rejected by the Canonical ABI: in element: a record must have at least one field"
    );
    let zero = Type::fixed_list(Type::U8, 0);
    assert!(matches!(lift_flat(&mut guest, &options, &zero, &[]).kind(), TrapKind::InvalidType(_)));
}

#[test]
fn handle_rules_are_the_runtimes() {
    let mut guest = TestGuest::standard();
    let options = opts(StringEncoding::Utf8);
    let own = Type::Own(file());
    let core =
        with_cx(&mut guest, &options, |cx| cx.lower_flat(&Val::Borrow(ResourceHandle::new(1)), &Type::Borrow(file())))
            .unwrap();
    let trap = lift_flat(&mut guest, &options, &own, &core);
    assert!(trap.to_string().contains("not an own<file>"), "{trap}");
}
