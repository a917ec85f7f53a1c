//! Types and values without the ABI: type checking, WIT rendering, the nameless ABI shape,
//! value equality, and WAVE text in both directions.

#[path = "support/gen.rs"]
mod generate;

use canopy_canonical_abi::ValType;
use canopy_component::wave::{WaveCall, from_wave, to_wave};
use canopy_component::{PathStep, ResourceHandle, ResourceType, Type, Val};
use proptest::prelude::*;

use generate::{Handles, typed_val};

fn point() -> Type {
    Type::record([("x", Type::S32), ("y", Type::S32)])
}

fn shape() -> Type {
    Type::variant([("circle", Some(Type::F32)), ("rect", Some(point())), ("none", None)])
}

#[test]
fn types_render_as_wit() {
    assert_eq!(point().to_string(), "record { x: s32, y: s32 }");
    assert_eq!(shape().to_string(), "variant { circle(f32), rect(record { x: s32, y: s32 }), none }");
    assert_eq!(Type::result(None, Some(Type::String)).to_string(), "result<_, string>");
    assert_eq!(Type::result(None, None).to_string(), "result");
    assert_eq!(Type::fixed_list(Type::U8, 4).to_string(), "list<u8, 4>");
    assert_eq!(Type::map(Type::String, Type::list(Type::U64)).to_string(), "map<string, list<u64>>");
    assert_eq!(Type::Own(ResourceType::named(3, "file")).to_string(), "own<file>");
    assert_eq!(Type::Borrow(ResourceType::new(3)).to_string(), "borrow<resource#3>");
    assert_eq!(Type::Future(None).to_string(), "future");
    assert_eq!(Type::Stream(Some(Box::new(Type::U8))).to_string(), "stream<u8>");
    assert_eq!(Type::flags(["read", "write"]).to_string(), "flags { read, write }");
}

#[test]
fn resource_types_are_identities() {
    assert_eq!(ResourceType::named(1, "a"), ResourceType::named(1, "b"));
    assert_ne!(ResourceType::named(1, "a"), ResourceType::named(2, "a"));
}

#[test]
fn abi_shapes_drop_names() {
    assert_eq!(
        shape().abi(),
        ValType::Variant(vec![Some(ValType::F32), Some(ValType::Record(vec![ValType::S32; 2])), None])
    );
    assert_eq!(Type::flags(["a", "b", "c"]).abi(), ValType::Flags(3));
    assert_eq!(Type::enumeration(["a", "b"]).abi(), ValType::Enum(2));
    assert_eq!(Type::Own(ResourceType::new(9)).abi(), ValType::Own);
    assert_eq!(Type::map(Type::U8, Type::Char).abi(), ValType::Map(Box::new(ValType::U8), Box::new(ValType::Char)));
}

#[test]
fn type_check_says_what_and_where() {
    let ty = Type::list(point());
    let good = Val::List(vec![Val::Record(vec![("x".into(), Val::S32(1)), ("y".into(), Val::S32(2))])]);
    assert_eq!(good.type_check(&ty), Ok(()));
    let bad = Val::List(vec![good_point(), Val::Record(vec![("x".into(), Val::S32(1)), ("y".into(), Val::U32(2))])]);
    let error = bad.type_check(&ty).unwrap_err();
    assert_eq!(error.path, vec![PathStep::Element(1), PathStep::Field("y".into())]);
    assert_eq!(error.to_string(), "expected s32, found a u32 value (in element 1 › field `y`)");

    let renamed = Val::Record(vec![("y".into(), Val::S32(1)), ("x".into(), Val::S32(2))]);
    assert_eq!(
        renamed.type_check(&point()).unwrap_err().message,
        "expected field `x` of record { x: s32, y: s32 }, found field `y`"
    );
    let unknown = Val::Variant("square".into(), None);
    assert!(unknown.type_check(&shape()).unwrap_err().message.contains("has no case `square`"));
    let no_payload = Val::Variant("circle".into(), None);
    assert!(no_payload.type_check(&shape()).unwrap_err().message.contains("carries a f32"));
    let short = Val::List(vec![Val::U8(1)]);
    assert!(short.type_check(&Type::fixed_list(Type::U8, 2)).is_err());
    let twice = Val::Flags(vec!["a".into(), "a".into()]);
    assert_eq!(twice.type_check(&Type::flags(["a", "b"])).unwrap_err().message, "flag `a` is set twice");
    let stranger = Val::Flags(vec!["z".into()]);
    assert!(stranger.type_check(&Type::flags(["a"])).is_err());
    assert_eq!(Val::Own(ResourceHandle::new(1)).type_check(&Type::Own(ResourceType::new(1))), Ok(()));
    assert!(Val::Own(ResourceHandle::new(1)).type_check(&Type::Borrow(ResourceType::new(1))).is_err());
}

fn good_point() -> Val {
    Val::Record(vec![("x".into(), Val::S32(1)), ("y".into(), Val::S32(2))])
}

#[test]
fn value_equality_has_one_nan_and_two_zeros() {
    assert_eq!(Val::F32(f32::NAN), Val::F32(f32::from_bits(0xffc0_0001)));
    assert_ne!(Val::F64(0.0), Val::F64(-0.0));
    assert_eq!(Val::Flags(vec!["a".into(), "b".into()]), Val::Flags(vec!["b".into(), "a".into()]));
    assert_ne!(Val::Flags(vec!["a".into()]), Val::Flags(vec!["a".into(), "b".into()]));
    assert_ne!(Val::List(vec![]), Val::Tuple(vec![]));
}

#[test]
fn wave_parses_into_typed_values() {
    let val = from_wave(&shape(), "rect({x: 1, y: -2})").unwrap();
    assert_eq!(
        val,
        Val::Variant(
            "rect".into(),
            Some(Box::new(Val::Record(vec![("x".into(), Val::S32(1)), ("y".into(), Val::S32(-2)),])))
        )
    );
    let person = Type::record([("name", Type::String), ("nick", Type::option(Type::String))]);
    assert_eq!(
        from_wave(&person, r#"{name: "Ada"}"#).unwrap(),
        Val::Record(vec![("name".into(), Val::String("Ada".into())), ("nick".into(), Val::Option(None))])
    );
    let flags = Type::flags(["read", "write", "exec"]);
    assert_eq!(from_wave(&flags, "{exec, read}").unwrap(), Val::Flags(vec!["read".into(), "exec".into()]));
    let Val::F32(nan) = from_wave(&Type::F32, "nan").unwrap() else { panic!() };
    assert_eq!(nan.to_bits(), 0x7fc0_0000);
    assert_eq!(from_wave(&Type::fixed_list(Type::U8, 2), "[1, 2]").unwrap(), Val::List(vec![Val::U8(1), Val::U8(2)]));
    assert!(from_wave(&Type::fixed_list(Type::U8, 2), "[1, 2, 3]").is_err());
    assert!(from_wave(&Type::U8, "256").is_err());
    let error = from_wave(&shape(), "square").unwrap_err();
    assert!(error.span().is_some(), "{error}");
}

#[test]
fn wave_prints_values() {
    let val = Val::Record(vec![("name".into(), Val::String("Ada".into())), ("nick".into(), Val::Option(None))]);
    assert_eq!(to_wave(&val).unwrap(), r#"{name: "Ada"}"#);
    assert_eq!(to_wave(&Val::Result(Err(Some(Box::new(Val::String("no".into())))))).unwrap(), r#"err("no")"#);
    assert_eq!(to_wave(&Val::F64(f64::NAN)).unwrap(), "nan");
    assert_eq!(to_wave(&Val::Enum("none".into())).unwrap(), "%none", "keywords are escaped");
    assert!(to_wave(&Val::Own(ResourceHandle::new(1))).is_err(), "WAVE has no handle syntax");
}

#[test]
fn wave_calls_parse_their_arguments() {
    let call = WaveCall::parse(r#"greet("world", 3)"#).unwrap();
    assert_eq!(call.name(), "greet");
    assert_eq!(call.args(&[Type::String, Type::U32]).unwrap(), vec![Val::String("world".into()), Val::U32(3)]);
    let args = call.args(&[Type::String, Type::U32, Type::option(Type::U8)]).unwrap();
    assert_eq!(args[2], Val::Option(None), "trailing options may be left out");
    assert!(call.args(&[Type::String]).is_err());
    assert!(WaveCall::parse("greet(").is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn wave_round_trips((ty, val) in typed_val(3, Handles::Excluded)) {
        let text = to_wave(&val).expect("write");
        let back = from_wave(&ty, &text).unwrap_or_else(|error| panic!("{text:?} as {ty}: {error}"));
        prop_assert_eq!(back, val);
    }

    #[test]
    fn generated_values_type_check((ty, val) in typed_val(3, Handles::Included)) {
        prop_assert_eq!(val.type_check(&ty), Ok(()));
    }
}
