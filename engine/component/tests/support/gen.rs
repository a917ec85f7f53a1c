//! Generators for property tests: random valid component value types up to a depth, and
//! random values of a given type.

#![allow(dead_code)]

use canopy_component::{AsyncHandle, Name, ResourceHandle, ResourceType, Type, Val};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::strategy::Union;

/// Whether generated types may contain handles (WAVE cannot write them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handles {
    Included,
    Excluded,
}

fn names(prefix: &'static str, count: usize) -> Vec<Name> {
    (0..count).map(|i| format!("{prefix}{i}").into()).collect()
}

fn scalar() -> impl Strategy<Value = Type> {
    prop_oneof![
        Just(Type::Bool),
        Just(Type::S8),
        Just(Type::U8),
        Just(Type::S16),
        Just(Type::U16),
        Just(Type::S32),
        Just(Type::U32),
        Just(Type::S64),
        Just(Type::U64),
        Just(Type::F32),
        Just(Type::F64),
        Just(Type::Char),
        Just(Type::String),
    ]
}

/// The key types a map may have (the spec's `keytype`: no floats, nothing compound).
fn key_type() -> impl Strategy<Value = Type> {
    prop_oneof![
        Just(Type::Bool),
        Just(Type::S8),
        Just(Type::U16),
        Just(Type::S64),
        Just(Type::Char),
        Just(Type::String)
    ]
}

fn leaf(handles: Handles) -> BoxedStrategy<Type> {
    let plain = prop_oneof![
        4 => scalar(),
        1 => (1usize..=40).prop_map(|count| Type::Flags(names("f", count))),
        1 => prop_oneof![1usize..=4, 250usize..=260].prop_map(|count| Type::Enum(names("e", count))),
    ];
    match handles {
        Handles::Excluded => plain.boxed(),
        Handles::Included => prop_oneof![
            6 => plain,
            1 => Just(Type::Own(ResourceType::named(1, "file"))),
            1 => Just(Type::Borrow(ResourceType::named(2, "dir"))),
            1 => Just(Type::Future(Some(Box::new(Type::U8)))),
            1 => Just(Type::Stream(None)),
            1 => Just(Type::ErrorContext),
        ]
        .boxed(),
    }
}

/// Valid types nested up to `depth` levels.
pub fn any_type(depth: u32, handles: Handles) -> BoxedStrategy<Type> {
    leaf(handles)
        .prop_recursive(depth, 24, 4, |inner| {
            prop_oneof![
                inner.clone().prop_map(Type::list),
                (inner.clone(), 1u32..=3).prop_map(|(elem, len)| Type::fixed_list(elem, len)),
                vec(inner.clone(), 1..4).prop_map(|types| {
                    Type::record(types.into_iter().enumerate().map(|(i, ty)| (format!("r{i}"), ty)))
                }),
                vec(inner.clone(), 1..4).prop_map(Type::tuple),
                vec(proptest::option::of(inner.clone()), 1..4).prop_map(|payloads| {
                    Type::variant(payloads.into_iter().enumerate().map(|(i, ty)| (format!("v{i}"), ty)))
                }),
                inner.clone().prop_map(Type::option),
                (proptest::option::of(inner.clone()), proptest::option::of(inner.clone()))
                    .prop_map(|(ok, err)| Type::result(ok, err)),
                (key_type(), inner).prop_map(|(key, value)| Type::map(key, value)),
            ]
        })
        .boxed()
}

fn string() -> BoxedStrategy<String> {
    prop_oneof![any::<String>(), "[a-z ]{0,12}", "[\u{0}-\u{ff}]{0,12}", "[a-zé€😀]{0,8}"].boxed()
}

fn payload(ty: Option<&Type>) -> BoxedStrategy<Option<Box<Val>>> {
    match ty {
        Some(ty) => any_val(ty).prop_map(|val| Some(Box::new(val))).boxed(),
        None => Just(None).boxed(),
    }
}

/// Random values of `ty`.
pub fn any_val(ty: &Type) -> BoxedStrategy<Val> {
    match ty {
        Type::Bool => any::<bool>().prop_map(Val::Bool).boxed(),
        Type::S8 => any::<i8>().prop_map(Val::S8).boxed(),
        Type::U8 => any::<u8>().prop_map(Val::U8).boxed(),
        Type::S16 => any::<i16>().prop_map(Val::S16).boxed(),
        Type::U16 => any::<u16>().prop_map(Val::U16).boxed(),
        Type::S32 => any::<i32>().prop_map(Val::S32).boxed(),
        Type::U32 => any::<u32>().prop_map(Val::U32).boxed(),
        Type::S64 => any::<i64>().prop_map(Val::S64).boxed(),
        Type::U64 => any::<u64>().prop_map(Val::U64).boxed(),
        Type::F32 => prop_oneof![any::<f32>(), Just(f32::NAN), Just(-0.0f32)].prop_map(Val::F32).boxed(),
        Type::F64 => prop_oneof![any::<f64>(), Just(f64::NAN), Just(-0.0f64)].prop_map(Val::F64).boxed(),
        Type::Char => any::<char>().prop_map(Val::Char).boxed(),
        Type::String => string().prop_map(Val::String).boxed(),
        Type::List(elem) => vec(any_val(elem), 0..4).prop_map(Val::List).boxed(),
        Type::FixedList(elem, len) => vec(any_val(elem), *len as usize).prop_map(Val::List).boxed(),
        Type::Record(fields) => {
            let names: Vec<Name> = fields.iter().map(|field| field.name.clone()).collect();
            let values: Vec<_> = fields.iter().map(|field| any_val(&field.ty)).collect();
            values.prop_map(move |values| Val::Record(names.iter().cloned().zip(values).collect())).boxed()
        }
        Type::Tuple(items) => items.iter().map(any_val).collect::<Vec<_>>().prop_map(Val::Tuple).boxed(),
        Type::Variant(cases) => Union::new(cases.iter().map(|case| {
            let name = case.name.clone();
            payload(case.ty.as_ref()).prop_map(move |payload| Val::Variant(name.clone(), payload)).boxed()
        }))
        .boxed(),
        Type::Enum(names) => proptest::sample::select(names.clone()).prop_map(Val::Enum).boxed(),
        Type::Option(some) => prop_oneof![Just(Val::Option(None)), payload(Some(some)).prop_map(Val::Option)].boxed(),
        Type::Result { ok, err } => prop_oneof![
            payload(ok.as_deref()).prop_map(|payload| Val::Result(Ok(payload))),
            payload(err.as_deref()).prop_map(|payload| Val::Result(Err(payload))),
        ]
        .boxed(),
        Type::Flags(names) => {
            let names = names.clone();
            vec(any::<bool>(), names.len())
                .prop_map(move |set| {
                    Val::Flags(names.iter().zip(set).filter(|(_, on)| *on).map(|(name, _)| name.clone()).collect())
                })
                .boxed()
        }
        Type::Map(key, value) => {
            vec((any_val(key), any_val(value)), 0..3).prop_map(|entries| Val::Map(unique_keys(entries))).boxed()
        }
        Type::Own(_) => any::<u32>().prop_map(|raw| Val::Own(ResourceHandle::new(raw.into()))).boxed(),
        Type::Borrow(_) => any::<u32>().prop_map(|raw| Val::Borrow(ResourceHandle::new(raw.into()))).boxed(),
        Type::Future(_) => any::<u32>().prop_map(|raw| Val::Future(AsyncHandle::new(raw.into()))).boxed(),
        Type::Stream(_) => any::<u32>().prop_map(|raw| Val::Stream(AsyncHandle::new(raw.into()))).boxed(),
        Type::ErrorContext => any::<u32>().prop_map(|raw| Val::ErrorContext(AsyncHandle::new(raw.into()))).boxed(),
    }
}

/// A random type and a random value of it.
pub fn typed_val(depth: u32, handles: Handles) -> BoxedStrategy<(Type, Val)> {
    any_type(depth, handles).prop_flat_map(|ty| any_val(&ty).prop_map(move |val| (ty.clone(), val))).boxed()
}

/// The entries with each key kept once, at its first place (WAVE merges repeated keys, so
/// only such maps print and parse back to themselves; the ABI itself keeps repeats).
fn unique_keys(entries: Vec<(Val, Val)>) -> Vec<(Val, Val)> {
    let mut unique: Vec<(Val, Val)> = Vec::new();
    for (key, value) in entries {
        if !unique.iter().any(|(seen, _)| *seen == key) {
            unique.push((key, value));
        }
    }
    unique
}
