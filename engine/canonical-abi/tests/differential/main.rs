//! Differential test against wit-parser's independent implementation of the Canonical ABI.
//!
//! Loads real WASI WIT trees (wasi-http 0.2 and 0.3 with their dependencies) plus a generated
//! package of edge cases, converts every type wit-parser resolved into a [`ValType`], and
//! compares, type by type, our layout (32- and 64-bit memories) and flattening with
//! wit-parser's `SizeAlign` and `push_flat`, and, function by function, our core signatures
//! with `Resolve::wasm_signature` under all five ABI variants (see `oracle`). `random`
//! does the same for randomly generated types and functions.
//!
//! [`ValType`]: canopy_canonical_abi::ValType

mod oracle;
mod random;

use std::fmt::Write as _;
use std::path::Path;

use oracle::{Tally, VARIANTS, compare_resolve};
use wit_parser::Resolve;

const CORPORA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpora");

fn load_corpus(name: &str) -> Resolve {
    let mut resolve = Resolve::default();
    let dir = Path::new(CORPORA).join(name).join("wit");
    resolve.push_dir(&dir).unwrap_or_else(|error| panic!("loading {}: {error:?}", dir.display()));
    resolve
}

/// Asserts zero mismatches and the exact coverage. The corpora are fixed inputs and
/// wit-parser is pinned, so a drop in a count means types or functions were silently skipped.
fn assert_agreement(label: &str, tally: &Tally, types: usize, functions: usize) {
    println!(
        "{label}: compared {} types, {} functions, {} signatures; {} mismatches",
        tally.types,
        tally.functions,
        tally.signatures,
        tally.mismatches.len()
    );
    assert!(tally.mismatches.is_empty(), "{label} mismatches:\n{}", tally.mismatches.join("\n"));
    assert_eq!((tally.types, tally.functions), (types, functions), "{label}: (types, functions) compared");
    assert_eq!(tally.signatures, functions * VARIANTS.len(), "{label}: signatures compared");
}

#[test]
fn wasi_http_0_2_agrees_with_wit_parser() {
    let tally = compare_resolve(&load_corpus("wasi-http-0.2"));
    assert_agreement("wasi-http-0.2", &tally, 220, 177);
}

#[test]
fn wasi_http_0_3_agrees_with_wit_parser() {
    let tally = compare_resolve(&load_corpus("wasi-http-0.3"));
    assert_agreement("wasi-http-0.3", &tally, 157, 127);
}

/// A generated package exercising what the WASI trees lack: fixed-size lists, maps, wide
/// discriminants, joins of every core type pair, parameter/result spilling at the limits.
fn edge_case_package() -> String {
    let mut wit = String::from("package test:edge;\n\ninterface edge {\n");
    let scalars = ["bool", "u8", "s16", "u32", "s64", "f32", "f64", "char", "string", "list<u8>"];
    wit.push_str("  resource res;\n");
    for (index, a) in scalars.iter().enumerate() {
        for b in &scalars[index..] {
            let name = format!("{a}-{b}").replace(['<', '>'], "");
            writeln!(wit, "  variant j-{name} {{ a({a}), b({b}), c, d(tuple<{b}, {a}>) }}").unwrap();
            writeln!(wit, "  type r-{name} = result<{a}, tuple<{b}, u8, {a}>>;").unwrap();
        }
        writeln!(wit, "  type fixed-{index} = list<{}, {}>;", a, index + 1).unwrap();
    }
    writeln!(wit, "  record packed {{ a: u8, b: u64, c: u16, d: tuple<u8, f32>, e: option<s8>, f: list<u16, 3> }}")
        .unwrap();
    writeln!(wit, "  type nested = list<tuple<packed, option<packed>>, 2>;").unwrap();
    writeln!(wit, "  type dict = map<string, option<u64>>;").unwrap();
    writeln!(wit, "  type dict-list = list<map<u32, packed>>;").unwrap();
    writeln!(wit, "  type handles = tuple<own<res>, borrow<res>, future<u8>, stream<string>, future, stream>;")
        .unwrap();
    for count in [1, 8, 9, 16, 17, 31, 32] {
        let labels: Vec<String> = (0..count).map(|index| format!("f{index}")).collect();
        writeln!(wit, "  flags flags-{count} {{ {} }}", labels.join(", ")).unwrap();
    }
    for count in [1, 2, 255, 256, 257, 300] {
        let cases: Vec<String> = (0..count).map(|index| format!("c{index}")).collect();
        writeln!(wit, "  enum enum-{count} {{ {} }}", cases.join(", ")).unwrap();
        let cases: Vec<String> = (0..count)
            .map(|index| if index % 3 == 0 { format!("v{index}(f64)") } else { format!("v{index}") })
            .collect();
        writeln!(wit, "  variant variant-{count} {{ {} }}", cases.join(", ")).unwrap();
    }
    for count in [0, 1, 3, 4, 5, 15, 16, 17] {
        let params: Vec<String> = (0..count).map(|index| format!("p{index}: u32")).collect();
        let params = params.join(", ");
        writeln!(wit, "  params-{count}: func({params});").unwrap();
        writeln!(wit, "  params-{count}-spill: func({params}) -> tuple<u32, u32>;").unwrap();
        writeln!(wit, "  params-{count}-async: async func({params}) -> u64;").unwrap();
    }
    writeln!(wit, "  takes-string: func(s: string, t: string) -> string;").unwrap();
    writeln!(wit, "  takes-fixed: func(x: list<u64, 8>, y: list<f32, 8>) -> list<u8, 1>;").unwrap();
    writeln!(wit, "  takes-map: async func(m: dict) -> dict;").unwrap();
    writeln!(wit, "  returns-variant: func() -> j-s64-f32;").unwrap();
    writeln!(wit, "  returns-option: func() -> option<f32>;").unwrap();
    writeln!(wit, "  returns-enum: func() -> enum-300;").unwrap();
    writeln!(wit, "  returns-result: func() -> result;").unwrap();
    writeln!(wit, "  use-res: func(r: borrow<res>, o: own<res>) -> own<res>;").unwrap();
    wit.push_str("}\n\nworld edge-world {\n  import edge;\n  export edge;\n");
    wit.push_str("  import top-level: func(a: list<u8, 20>) -> string;\n");
    wit.push_str("  export top-level-async: async func(a: f32, b: f64, c: s64, d: u8, e: string) -> f32;\n}\n");
    wit
}

#[test]
fn generated_edge_cases_agree_with_wit_parser() {
    let mut resolve = Resolve { all_features: true, ..Resolve::default() };
    let text = edge_case_package();
    resolve.push_str("edge.wit", &text).unwrap_or_else(|error| panic!("generated WIT rejected: {error:?}\n{text}"));
    let tally = compare_resolve(&resolve);
    assert_agreement("generated edge cases", &tally, 274, 34);
}
