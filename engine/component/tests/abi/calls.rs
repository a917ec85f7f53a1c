//! Parameters and results of calls in both directions, within the flat limits and spilled
//! to memory past them (MAX_FLAT_PARAMS = 16, MAX_FLAT_RESULTS = 1).

use canopy_component::abi::{CoreVal, CoreValues, MAX_FLAT_PARAMS, Role, StringEncoding};
use canopy_component::{Type, Val};

use crate::support::{ENCODINGS, TestGuest, opts, with_cx};

fn u32s(count: u32) -> (Vec<Type>, Vec<Val>) {
    ((0..count).map(|_| Type::U32).collect(), (0..count).map(|i| Val::U32(i * 3 + 1)).collect())
}

#[test]
fn sixteen_flat_params_travel_in_registers() {
    let (types, vals) = u32s(16);
    let mut guest = TestGuest::standard();
    let options = opts(StringEncoding::Utf8);
    let core = with_cx(&mut guest, &options, |cx| cx.lower_params(&types, &vals)).unwrap();
    assert_eq!(core, (0..16).map(|i| CoreVal::I32(i * 3 + 1)).collect::<Vec<_>>());
    assert!(guest.reallocs.is_empty());
    let mut args = CoreValues::new(&core);
    assert_eq!(with_cx(&mut guest, &options, |cx| cx.lift_params(&types, &mut args)), Ok(vals));
    assert!(args.remaining().is_empty());
}

#[test]
fn seventeen_params_spill_into_a_reallocated_tuple() {
    // 17 u32s: the tuple is 68 bytes, 4-aligned, allocated by the callee's realloc.
    let (types, vals) = u32s(17);
    let mut guest = TestGuest::standard();
    let options = opts(StringEncoding::Utf8);
    let core = with_cx(&mut guest, &options, |cx| cx.lower_params(&types, &vals)).unwrap();
    assert_eq!(core, [CoreVal::I32(0x1000)]);
    assert_eq!(guest.reallocs, [[0, 0, 4, 68]]);
    assert_eq!(guest.bytes(0x1000 + 16 * 4, 4), &49u32.to_le_bytes(), "the 17th param at offset 64");
    let mut args = CoreValues::new(&core);
    assert_eq!(with_cx(&mut guest, &options, |cx| cx.lift_params(&types, &mut args)), Ok(vals));
}

#[test]
fn spilled_params_are_laid_out_as_a_tuple() {
    // (u8, u64, string) + 14 more u32: flat count 1 + 1 + 2 + 14 = 18 > 16. Tuple layout: u8
    // at 0, u64 at 8, string at 16, the u32s from 24; 80 bytes, 8-aligned.
    let mut types = vec![Type::U8, Type::U64, Type::String];
    types.extend((0..14).map(|_| Type::U32));
    let mut vals = vec![Val::U8(5), Val::U64(u64::MAX - 1), Val::String("spill".into())];
    vals.extend((0..14).map(Val::U32));
    for encoding in ENCODINGS {
        let mut guest = TestGuest::standard();
        let options = opts(encoding);
        let core = with_cx(&mut guest, &options, |cx| cx.lower_params(&types, &vals)).unwrap();
        assert_eq!(core, [CoreVal::I32(0x1000)]);
        assert_eq!(guest.reallocs[0], [0, 0, 8, 80], "the tuple is allocated before the string");
        assert_eq!(guest.bytes(0x1000, 1), &[5]);
        assert_eq!(guest.bytes(0x1008, 8), &(u64::MAX - 1).to_le_bytes());
        assert_eq!(guest.bytes(0x1000 + 24 + 13 * 4, 4), &13u32.to_le_bytes());
        let mut args = CoreValues::new(&core);
        assert_eq!(with_cx(&mut guest, &options, |cx| cx.lift_params(&types, &mut args)), Ok(vals.clone()));
    }
}

#[test]
fn one_flat_result_is_returned_directly() {
    let types = [Type::U64];
    let mut guest = TestGuest::standard();
    let options = opts(StringEncoding::Utf8);
    let vals = [Val::U64(77)];
    let mut args = CoreValues::new(&[]);
    let core = with_cx(&mut guest, &options, |cx| cx.lower_results(&types, &vals, &mut args)).unwrap();
    assert_eq!(core, [CoreVal::I64(77)]);
    assert_eq!(with_cx(&mut guest, &options, |cx| cx.lift_results(&types, &core)), Ok(vals.to_vec()));
    // No result at all: no core values.
    let core = with_cx(&mut guest, &options, |cx| cx.lower_results(&[], &[], &mut CoreValues::new(&[]))).unwrap();
    assert!(core.is_empty());
}

#[test]
fn a_string_result_spills_through_the_out_pointer() {
    // canon lower: the caller passes its argument (an i32) and then the out-pointer 0x200.
    let params = [Type::U32];
    let results = [Type::String];
    for encoding in ENCODINGS {
        let mut guest = TestGuest::standard();
        let options = opts(encoding);
        let core_args = [CoreVal::I32(9), CoreVal::I32(0x200)];
        let mut args = CoreValues::new(&core_args);
        let lifted = with_cx(&mut guest, &options, |cx| cx.lift_params(&params, &mut args)).unwrap();
        assert_eq!(lifted, [Val::U32(9)]);
        let vals = [Val::String("résumé".into())];
        let core = with_cx(&mut guest, &options, |cx| cx.lower_results(&results, &vals, &mut args)).unwrap();
        assert!(core.is_empty(), "the result went through the out-pointer");
        // canon lift on the other side: the callee returns the pointer to its result tuple.
        let back = with_cx(&mut guest, &options, |cx| cx.lift_results(&results, &[CoreVal::I32(0x200)])).unwrap();
        assert_eq!(back, vals, "{encoding}");
    }
}

#[test]
fn a_two_value_result_spills_to_a_returned_pointer() {
    let results = [Type::tuple([Type::U32, Type::F64])];
    let mut guest = TestGuest::standard();
    guest.poke(0x300, &7u32.to_le_bytes());
    guest.poke(0x308, &2.5f64.to_le_bytes());
    let options = opts(StringEncoding::Utf8);
    let back = with_cx(&mut guest, &options, |cx| cx.lift_results(&results, &[CoreVal::I32(0x300)])).unwrap();
    assert_eq!(back, [Val::Tuple(vec![Val::U32(7), Val::F64(2.5)])]);
}

#[test]
fn the_async_limits_are_parameters() {
    // An async-lowered import takes at most 4 flat params; 5 u32s spill.
    let (types, vals) = u32s(5);
    let mut guest = TestGuest::standard();
    let options = opts(StringEncoding::Utf8);
    let core = with_cx(&mut guest, &options, |cx| cx.lower_flat_values(Role::Params, 4, &vals, &types, None)).unwrap();
    assert_eq!(core, [CoreVal::I32(0x1000)]);
    let mut args = CoreValues::new(&core);
    let back = with_cx(&mut guest, &options, |cx| cx.lift_flat_values(Role::Params, 4, &mut args, &types));
    assert_eq!(back, Ok(vals.clone()));
    // Limits above MAX_FLAT_PARAMS count as MAX_FLAT_PARAMS.
    let (types, vals) = u32s(MAX_FLAT_PARAMS as u32 + 1);
    let core =
        with_cx(&mut guest, &options, |cx| cx.lower_flat_values(Role::Params, 100, &vals, &types, None)).unwrap();
    assert_eq!(core.len(), 1);
}

#[test]
fn own_handles_move_between_tables() {
    use canopy_component::ResourceHandle;
    let ty = [Type::Own(crate::support::file()), Type::Borrow(crate::support::file())];
    let mut guest = TestGuest::standard();
    let options = opts(StringEncoding::Utf8);
    let vals = [Val::Own(ResourceHandle::new(100)), Val::Borrow(ResourceHandle::new(200))];
    let core = with_cx(&mut guest, &options, |cx| cx.lower_params(&ty, &vals)).unwrap();
    assert_eq!(core, [CoreVal::I32(1), CoreVal::I32(2)], "new table entries 1 and 2");
    let mut args = CoreValues::new(&core);
    assert_eq!(with_cx(&mut guest, &options, |cx| cx.lift_params(&ty, &mut args)), Ok(vals.to_vec()));
    assert!(guest.table[1].is_none(), "lifting the own removed it");
    assert!(guest.table[2].is_some(), "lifting the borrow left it");
    // The own is gone: lifting index 1 again traps.
    let mut again = CoreValues::new(&core);
    let trap = with_cx(&mut guest, &options, |cx| cx.lift_params(&ty, &mut again)).unwrap_err();
    assert_eq!(trap.to_string(), "no handle at index 1 (in param 0)");
}
