//! One value of every kind, round-tripped through memory and through flat values (spilled,
//! since together they flatten to far more than 16 values) in each string encoding.

use canopy_component::abi::CoreValues;
use canopy_component::{AsyncHandle, ResourceHandle, Type, Val};

use crate::support::{ENCODINGS, TestGuest, file, opts, with_cx};

fn boxed(val: Val) -> Option<Box<Val>> {
    Some(Box::new(val))
}

fn every_kind() -> Vec<(Type, Val)> {
    let names: Vec<String> = (0..36).map(|i| format!("f{i}")).collect();
    vec![
        (Type::Bool, Val::Bool(true)),
        (Type::S8, Val::S8(-128)),
        (Type::U8, Val::U8(200)),
        (Type::S16, Val::S16(-30000)),
        (Type::U16, Val::U16(60000)),
        (Type::S32, Val::S32(i32::MIN)),
        (Type::U32, Val::U32(u32::MAX)),
        (Type::S64, Val::S64(i64::MIN)),
        (Type::U64, Val::U64(u64::MAX)),
        (Type::F32, Val::F32(-0.0)),
        (Type::F64, Val::F64(f64::NAN)),
        (Type::Char, Val::Char('\u{10ffff}')),
        (Type::String, Val::String("ünïcödé 😀 and ÿ".into())),
        (Type::list(Type::String), Val::List(vec![Val::String("a".into()), Val::String(String::new())])),
        (Type::fixed_list(Type::Char, 2), Val::List(vec![Val::Char('x'), Val::Char('€')])),
        (
            Type::record([("id", Type::U64), ("tags", Type::list(Type::U8))]),
            Val::Record(vec![("id".into(), Val::U64(1)), ("tags".into(), Val::List(vec![Val::U8(9)]))]),
        ),
        (Type::tuple([Type::U8, Type::String]), Val::Tuple(vec![Val::U8(1), Val::String("t".into())])),
        (
            Type::variant([("a", None), ("b", Some(Type::F64)), ("c", Some(Type::String))]),
            Val::Variant("c".into(), boxed(Val::String("payload".into()))),
        ),
        (Type::enumeration(["red", "green"]), Val::Enum("green".into())),
        (Type::option(Type::option(Type::U8)), Val::Option(boxed(Val::Option(None)))),
        (Type::result(Some(Type::U32), None), Val::Result(Ok(boxed(Val::U32(3))))),
        (Type::result(None, Some(Type::String)), Val::Result(Err(boxed(Val::String("bad".into()))))),
        (Type::flags(names.iter().map(String::as_str)), Val::Flags(vec!["f0".into(), "f35".into()])),
        (
            Type::map(Type::String, Type::S16),
            Val::Map(vec![(Val::String("k".into()), Val::S16(-1)), (Val::String("k".into()), Val::S16(2))]),
        ),
        (Type::Own(file()), Val::Own(ResourceHandle::new(11))),
        (Type::Borrow(file()), Val::Borrow(ResourceHandle::new(12))),
        (Type::Future(Some(Box::new(Type::U8))), Val::Future(AsyncHandle::new(13))),
        (Type::Stream(None), Val::Stream(AsyncHandle::new(14))),
        (Type::ErrorContext, Val::ErrorContext(AsyncHandle::new(15))),
    ]
}

#[test]
fn every_kind_round_trips_through_memory() {
    for encoding in ENCODINGS {
        for (ty, val) in every_kind() {
            let mut guest = TestGuest::standard();
            let options = opts(encoding);
            with_cx(&mut guest, &options, |cx| cx.store(&val, &ty, 0x100)).unwrap();
            assert_eq!(with_cx(&mut guest, &options, |cx| cx.load(0x100, &ty)), Ok(val), "{ty} in {encoding}");
        }
    }
}

#[test]
fn every_kind_round_trips_flat_and_as_spilled_params() {
    for encoding in ENCODINGS {
        let options = opts(encoding);
        for (ty, val) in every_kind() {
            let mut guest = TestGuest::standard();
            let core = with_cx(&mut guest, &options, |cx| cx.lower_flat(&val, &ty)).unwrap();
            let back = with_cx(&mut guest, &options, |cx| cx.lift_flat(&mut CoreValues::new(&core), &ty));
            assert_eq!(back, Ok(val), "{ty} in {encoding}");
        }
        let (types, vals): (Vec<Type>, Vec<Val>) = every_kind().into_iter().unzip();
        let mut guest = TestGuest::standard();
        let core = with_cx(&mut guest, &options, |cx| cx.lower_params(&types, &vals)).unwrap();
        assert_eq!(core.len(), 1, "spilled to one pointer");
        let back = with_cx(&mut guest, &options, |cx| cx.lift_params(&types, &mut CoreValues::new(&core)));
        assert_eq!(back, Ok(vals), "{encoding}");
    }
}
