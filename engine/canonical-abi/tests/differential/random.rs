//! Randomised differential test: arbitrary well-formed types and functions, written out as
//! WIT, resolved by wit-parser and compared with the oracle.
//!
//! Each case checks first that the WIT round trip reproduces the generated [`ValType`]
//! exactly (so the comparison really covers the generated shape), then that every type and
//! function of the package agrees with wit-parser.

use std::fmt::Write as _;

use canopy_canonical_abi::ValType;
use proptest::prelude::*;
use wit_parser::Resolve;

use super::oracle::{compare_resolve, convert};

/// Types wit-parser accepts as `map` keys.
fn map_key() -> impl Strategy<Value = ValType> {
    prop_oneof![Just(ValType::Bool), Just(ValType::U8), Just(ValType::S64), Just(ValType::Char), Just(ValType::String)]
}

fn leaf() -> impl Strategy<Value = ValType> {
    prop_oneof![
        Just(ValType::Bool),
        Just(ValType::S8),
        Just(ValType::U8),
        Just(ValType::S16),
        Just(ValType::U16),
        Just(ValType::S32),
        Just(ValType::U32),
        Just(ValType::S64),
        Just(ValType::U64),
        Just(ValType::F32),
        Just(ValType::F64),
        Just(ValType::Char),
        Just(ValType::String),
        Just(ValType::ErrorContext),
        Just(ValType::Own),
        Just(ValType::Future),
        Just(ValType::Stream),
        (1u32..=300).prop_map(ValType::Enum),
        (1u32..=32).prop_map(ValType::Flags),
    ]
}

/// Well-formed value types (no `borrow`: WIT only allows it in parameters).
fn val_type() -> impl Strategy<Value = ValType> {
    leaf().prop_recursive(4, 48, 5, |inner| {
        let boxed = inner.clone().prop_map(Box::new);
        prop_oneof![
            boxed.clone().prop_map(ValType::List),
            (boxed.clone(), 1u32..=6).prop_map(|(elem, len)| ValType::FixedList(elem, len)),
            prop::collection::vec(inner.clone(), 1..=5).prop_map(ValType::Record),
            prop::collection::vec(inner.clone(), 1..=4).prop_map(ValType::Tuple),
            prop::collection::vec(prop::option::of(inner.clone()), 1..=5).prop_map(ValType::Variant),
            boxed.clone().prop_map(ValType::Option),
            (prop::option::of(boxed.clone()), prop::option::of(boxed.clone()))
                .prop_map(|(ok, err)| ValType::Result { ok, err }),
            (map_key().prop_map(Box::new), boxed).prop_map(|(key, value)| ValType::Map(key, value)),
        ]
    })
}

/// A function: parameters (a `borrow` now and then), an optional result, sync or async.
#[derive(Debug, Clone)]
struct FunctionShape {
    params: Vec<ValType>,
    result: Option<ValType>,
    is_async: bool,
}

fn function_shape() -> impl Strategy<Value = FunctionShape> {
    let param = prop_oneof![9 => val_type(), 1 => Just(ValType::Borrow)];
    (prop::collection::vec(param, 0..=20), prop::option::of(val_type()), any::<bool>())
        .prop_map(|(params, result, is_async)| FunctionShape { params, result, is_async })
}

/// Writes generated types as WIT, naming every record, variant, enum and flags type.
#[derive(Default)]
struct WitWriter {
    definitions: String,
    next_name: usize,
}

impl WitWriter {
    fn define(&mut self, keyword: &str, members: Vec<String>) -> String {
        let name = format!("t{}", self.next_name);
        self.next_name += 1;
        writeln!(self.definitions, "  {keyword} {name} {{ {} }}", members.join(", ")).unwrap();
        name
    }

    fn type_text(&mut self, ty: &ValType) -> String {
        match ty {
            ValType::Bool => "bool".into(),
            ValType::S8 => "s8".into(),
            ValType::U8 => "u8".into(),
            ValType::S16 => "s16".into(),
            ValType::U16 => "u16".into(),
            ValType::S32 => "s32".into(),
            ValType::U32 => "u32".into(),
            ValType::S64 => "s64".into(),
            ValType::U64 => "u64".into(),
            ValType::F32 => "f32".into(),
            ValType::F64 => "f64".into(),
            ValType::Char => "char".into(),
            ValType::String => "string".into(),
            ValType::ErrorContext => "error-context".into(),
            ValType::Own => "own<res>".into(),
            ValType::Borrow => "borrow<res>".into(),
            ValType::Future => "future<u8>".into(),
            ValType::Stream => "stream".into(),
            ValType::List(elem) => format!("list<{}>", self.type_text(elem)),
            ValType::FixedList(elem, len) => format!("list<{}, {len}>", self.type_text(elem)),
            ValType::Map(key, value) => format!("map<{}, {}>", self.type_text(key), self.type_text(value)),
            ValType::Option(some) => format!("option<{}>", self.type_text(some)),
            ValType::Result { ok, err } => {
                let ok = ok.as_ref().map(|ok| self.type_text(ok));
                let err = err.as_ref().map(|err| self.type_text(err));
                match (ok, err) {
                    (None, None) => "result".into(),
                    (Some(ok), None) => format!("result<{ok}>"),
                    (None, Some(err)) => format!("result<_, {err}>"),
                    (Some(ok), Some(err)) => format!("result<{ok}, {err}>"),
                }
            }
            ValType::Tuple(items) => {
                let items: Vec<String> = items.iter().map(|item| self.type_text(item)).collect();
                format!("tuple<{}>", items.join(", "))
            }
            ValType::Record(fields) => {
                let fields = fields
                    .iter()
                    .enumerate()
                    .map(|(index, field)| format!("f{index}: {}", self.type_text(field)))
                    .collect();
                self.define("record", fields)
            }
            ValType::Variant(cases) => {
                let cases = cases
                    .iter()
                    .enumerate()
                    .map(|(index, case)| match case {
                        Some(payload) => format!("c{index}({})", self.type_text(payload)),
                        None => format!("c{index}"),
                    })
                    .collect();
                self.define("variant", cases)
            }
            ValType::Enum(count) => self.define("enum", (0..*count).map(|index| format!("c{index}")).collect()),
            ValType::Flags(count) => self.define("flags", (0..*count).map(|index| format!("g{index}")).collect()),
        }
    }
}

fn package_text(types: &[ValType], functions: &[FunctionShape]) -> String {
    let mut writer = WitWriter::default();
    let mut items = String::new();
    for (index, ty) in types.iter().enumerate() {
        let text = writer.type_text(ty);
        writeln!(items, "  type top{index} = {text};").unwrap();
    }
    for (index, function) in functions.iter().enumerate() {
        let params: Vec<String> = function
            .params
            .iter()
            .enumerate()
            .map(|(position, param)| format!("p{position}: {}", writer.type_text(param)))
            .collect();
        let result = function.result.as_ref().map(|result| format!(" -> {}", writer.type_text(result)));
        let keyword = if function.is_async { "async func" } else { "func" };
        writeln!(items, "  fn{index}: {keyword}({}){};", params.join(", "), result.unwrap_or_default()).unwrap();
    }
    format!("package test:random;\n\ninterface random {{\n  resource res;\n{}{items}}}\n", writer.definitions)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn random_types_and_functions_agree_with_wit_parser(
        types in prop::collection::vec(val_type(), 1..=4),
        functions in prop::collection::vec(function_shape(), 1..=3),
    ) {
        let text = package_text(&types, &functions);
        let mut resolve = Resolve { all_features: true, ..Resolve::default() };
        let package = resolve.push_str("random.wit", &text);
        prop_assert!(package.is_ok(), "generated WIT rejected: {:?}\n{}", package.err(), text);

        let interface = resolve.interfaces.iter().map(|(_, interface)| interface).next().expect("one interface");
        for (index, ty) in types.iter().enumerate() {
            let id = interface.types[&format!("top{index}")];
            let round_trip = convert(&resolve, &wit_parser::Type::Id(id));
            prop_assert_eq!(round_trip.as_ref(), Some(ty), "round trip of top{}", index);
        }

        let tally = compare_resolve(&resolve);
        prop_assert!(tally.mismatches.is_empty(), "mismatches:\n{}\n{}", tally.mismatches.join("\n"), text);
        prop_assert_eq!(tally.functions, functions.len());
        prop_assert!(tally.types >= types.len());
    }
}
