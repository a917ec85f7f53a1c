//! Differential test: Canopy's resolution against wit-parser's `Resolve`.
//!
//! Each case is loaded twice, by `wit_parser::Resolve` (`push_file` for a file, `push_dir`
//! for a folder) and by Canopy (`loader::load_path` into an `AnalysisHost`), and both results
//! are turned into the normalized [`canopy_wit_analysis::model::Model`] and compared for
//! equality. The normalization is that of the `model` module docs:
//! - packages keyed `ns:name[@version]`;
//! - named types referenced as `OWNER#name`, OWNER being `ns:name/iface[@version]`,
//!   `ns:name[@version] world w`, or `ns:name[@version] world w import|export key` for an
//!   anonymous interface inlined in a world;
//! - anonymous types spelled structurally (`list<T>`, `list<T, N>`, `map<K, V>`, `option<T>`,
//!   `result<T, E>` / `result<_, E>` / `result<T>` / `result`, `tuple<A, B>`, `own<REF>`,
//!   `borrow<REF>`, `future[<T>]`, `stream[<T>]`, primitives by their WIT names). wit-parser's
//!   `Resolve` turns every type-position reference to a resource, or to an alias of one, into an
//!   anonymous `own<REF>` (REF as written, the alias if it is one), so `r` and `own<r>` both read
//!   `own<REF>` there, while `use` and `type x = r` stay `Alias(REF)`;
//! - functions keyed by component-model name (`[async]f`, `[async method]r.m`, … for async ones,
//!   which wit-parser 0.263 keeps in the function kind, not the name), `self` included as the
//!   first method parameter;
//! - world keys are plain names or interface references; world-owned types are both an
//!   import `Type(REF)` and an entry of `World::types`;
//! - items disabled by feature gates are absent.
//!
//! Cases: every accepted case of the wit-parser UI corpus (`shared/conformance/wit-parser-ui`,
//! a `*.wit` file or a folder with a `*.wit.json` beside it; `parse-fail/` is skipped), loaded
//! with the feature `active` enabled, and the WASI HTTP 0.2 and 0.3 trees with no features.
//! A case is equal when the models are equal and Canopy reports no error.
//!
//! `differential-known-differences.txt` lists cases expected to differ, each with a reason.
//! The list is enforced both ways: an unlisted difference fails, and so does a listed case
//! that now matches (or no longer exists), so the list only shrinks.
//!
//! Run: `cargo test -p canopy-wit-analysis --test differential -- --nocapture`.
//! `CANOPY_DIFF_DUMP=<case>` (e.g. `ui/types.wit`, or `all`) prints both models in full.

#[path = "differential/convert.rs"]
mod convert;
#[path = "differential/diff.rs"]
mod diff;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use canopy_wit_analysis::model::{self, Model};
use canopy_wit_analysis::{AnalysisHost, Features, Severity};
use wit_parser::Resolve;

/// Most difference lines printed per case.
const MAX_LINES_PER_CASE: usize = 30;

/// One input: a display name, a path, and the features it is loaded with.
struct Case {
    name: String,
    path: PathBuf,
    features: Vec<String>,
    /// The UI corpus's expected serialized `Resolve` (`*.wit.json`), if any.
    expected_json: Option<PathBuf>,
}

fn shared_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

fn cases() -> Vec<Case> {
    let ui = shared_dir().join("conformance/wit-parser-ui");
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&ui)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", ui.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    let mut cases = Vec::new();
    for path in entries {
        let file_name = path.file_name().and_then(|n| n.to_str()).expect("UTF-8 file name").to_string();
        if file_name == "parse-fail" {
            continue;
        }
        let json = if path.is_dir() {
            ui.join(format!("{file_name}.wit.json"))
        } else if file_name.ends_with(".wit") {
            ui.join(format!("{file_name}.json"))
        } else {
            continue;
        };
        if json.is_file() {
            cases.push(Case {
                name: format!("ui/{file_name}"),
                path,
                features: vec!["active".to_string()],
                expected_json: Some(json),
            });
        }
    }
    for version in ["0.2", "0.3"] {
        cases.push(Case {
            name: format!("wasi-http-{version}"),
            path: shared_dir().join(format!("corpora/wasi-http-{version}/wit")),
            features: Vec::new(),
            expected_json: None,
        });
    }
    cases
}

/// wit-parser's model of a case. For a UI case, wit-parser's own serialization of the
/// `Resolve` must also equal the corpus's `*.wit.json`, so a version skew between the
/// wit-parser used here and the corpus shows as such rather than as a Canopy difference.
fn wit_parser_model(case: &Case) -> Result<Model, String> {
    let mut resolve = Resolve::default();
    resolve.features.extend(case.features.iter().cloned());
    let pushed = if case.path.is_dir() {
        resolve.push_dir(&case.path).map(|_| ())
    } else {
        resolve.push_file(&case.path).map(|_| ())
    };
    pushed.map_err(|e| format!("{e:#}"))?;
    if let Some(json) = &case.expected_json {
        let text = std::fs::read_to_string(json).map_err(|e| format!("cannot read {}: {e}", json.display()))?;
        let expected: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", json.display()))?;
        let actual = serde_json::to_value(&resolve).map_err(|e| e.to_string())?;
        if actual != expected {
            return Err(format!("its Resolve differs from the corpus's {}", json.display()));
        }
    }
    Ok(convert::model(&resolve))
}

/// Canopy's model of a case, with its error messages.
fn canopy_model(case: &Case) -> Result<(Model, Vec<String>), String> {
    let layout = canopy_wit_analysis::loader::load_path(&case.path).map_err(|e| e.to_string())?;
    let mut host = AnalysisHost::new();
    host.set_layout(layout, Features { enabled: case.features.clone(), all: false });
    let errors = host
        .diagnostics()
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{}: {} [{}]", d.path, d.message, d.code))
        .collect();
    Ok((host.model(), errors))
}

/// Compares one case; `None` when equal, else a description of the difference.
fn compare(case: &Case) -> Option<String> {
    let expected = wit_parser_model(case);
    let actual = canopy_model(case);
    if let Ok(dump) = std::env::var("CANOPY_DIFF_DUMP")
        && (dump == case.name || dump == "all")
    {
        let pretty = |m: &Model| serde_json::to_string_pretty(m).expect("model serializes");
        println!("=== {} (wit-parser) ===\n{}", case.name, expected.as_ref().map_or_else(|e| e.clone(), pretty));
        println!("=== {} (canopy) ===\n{}", case.name, actual.as_ref().map_or_else(|e| e.clone(), |(m, _)| pretty(m)));
    }
    let mut report = Vec::new();
    match (&expected, &actual) {
        (Err(e), _) => report.push(format!("wit-parser failed: {e}")),
        (_, Err(e)) => report.push(format!("canopy failed to load: {e}")),
        (Ok(expected), Ok((actual, errors))) => {
            report.extend(diff::differences(expected, actual));
            report.extend(errors.iter().map(|e| format!("canopy error: {e}")));
        }
    }
    if report.is_empty() {
        return None;
    }
    let total = report.len();
    if total > MAX_LINES_PER_CASE {
        report.truncate(MAX_LINES_PER_CASE);
        report.push(format!("… and {} more", total - MAX_LINES_PER_CASE));
    }
    Some(report.iter().map(|line| format!("    {line}\n")).collect())
}

/// Case names of the known-differences list, with their reasons.
fn known_differences() -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/differential-known-differences.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut known = BTreeMap::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, reason) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let reason = reason.trim().trim_start_matches('#').trim();
        assert!(!reason.is_empty(), "{}:{}: `{name}` needs a reason after it", path.display(), number + 1);
        assert!(known.insert(name.to_string(), reason.to_string()).is_none(), "`{name}` is listed twice");
    }
    known
}

#[test]
fn canopy_matches_wit_parser() {
    let cases = cases();
    let mut known = known_differences();
    let mut equal = 0;
    let mut expected_differences = 0;
    let mut unexpected = Vec::new();
    for case in &cases {
        let listed = known.remove(&case.name);
        match (compare(case), listed) {
            (None, None) => equal += 1,
            (None, Some(_)) => unexpected.push(format!(
                "{}: matches now but is listed in differential-known-differences.txt; remove it\n",
                case.name
            )),
            (Some(report), Some(reason)) => {
                expected_differences += 1;
                println!("known difference {} ({reason}):\n{report}", case.name);
            }
            (Some(report), None) => unexpected.push(format!("{}: differs\n{report}", case.name)),
        }
    }
    for stale in known.keys() {
        unexpected.push(format!("{stale}: listed in differential-known-differences.txt but no such case\n"));
    }
    println!(
        "differential: {} cases, {equal} equal, {expected_differences} known differences, {} unexpected",
        cases.len(),
        unexpected.len()
    );
    assert!(unexpected.is_empty(), "unexpected differential results:\n{}", unexpected.concat());
}

/// The converter itself, on a small package covering each kind of item and reference.
#[test]
fn converter_normalizes_a_small_package() {
    let mut resolve = Resolve::default();
    resolve
        .push_str(
            "small.wit",
            r#"
package t:small@1.0.0;

interface base {
    resource r {
        constructor();
        fetch: func(i: u32) -> option<string>;
        make: static func() -> r;
        wait: async func();
        spawn: static async func();
    }
    record point { x: s32, y: s32 }
    type bytes = list<u8>;
    type owned = own<r>;
    variant v { none, one(point) }
    enum e { a, b }
    flags f { x, y }
    take: func(p: borrow<r>, q: own<r>, l: list<r, 2>) -> result<_, e>;
    go: async func() -> u8;
}

interface user {
    use base.{r, point as pt};
    type h = r;
    pair: func(a: tuple<pt, h>, b: map<string, f64>) -> future<stream>;
}

world w {
    use user.{pt};
    record local { p: pt }
    import inline: interface {
        record cfg { on: bool }
        set: func(c: cfg);
    }
    import hop: async func();
    export run: func(l: local) -> result<u8>;
}
"#,
        )
        .expect("the WIT is valid");

    let base = "t:small/base@1.0.0";
    let user = "t:small/user@1.0.0";
    let world = "t:small@1.0.0 world w";
    let s = |v: &str| v.to_string();
    let func = |params: &[(&str, &str)], result: Option<&str>| model::Function {
        params: params.iter().map(|(n, t)| (s(n), s(t))).collect(),
        result: result.map(s),
    };
    let alias = |t: &str| model::TypeDef::Alias(s(t));

    let base_interface = model::Interface {
        types: BTreeMap::from([
            (s("r"), model::TypeDef::Resource),
            (s("point"), model::TypeDef::Record(vec![(s("x"), s("s32")), (s("y"), s("s32"))])),
            (s("bytes"), alias("list<u8>")),
            (s("owned"), alias(&format!("own<{base}#r>"))),
            (s("v"), model::TypeDef::Variant(vec![(s("none"), None), (s("one"), Some(format!("{base}#point")))])),
            (s("e"), model::TypeDef::Enum(vec![s("a"), s("b")])),
            (s("f"), model::TypeDef::Flags(vec![s("x"), s("y")])),
        ]),
        functions: BTreeMap::from([
            (s("[constructor]r"), func(&[], Some(&format!("own<{base}#r>")))),
            (
                s("[method]r.fetch"),
                func(&[("self", &format!("borrow<{base}#r>")), ("i", "u32")], Some("option<string>")),
            ),
            (s("[static]r.make"), func(&[], Some(&format!("own<{base}#r>")))),
            (s("[async method]r.wait"), func(&[("self", &format!("borrow<{base}#r>"))], None)),
            (s("[async static]r.spawn"), func(&[], None)),
            (s("[async]go"), func(&[], Some("u8"))),
            (
                s("take"),
                func(
                    &[
                        ("p", &format!("borrow<{base}#r>")),
                        ("q", &format!("own<{base}#r>")),
                        ("l", &format!("list<own<{base}#r>, 2>")),
                    ],
                    Some(&format!("result<_, {base}#e>")),
                ),
            ),
        ]),
    };
    let user_interface = model::Interface {
        types: BTreeMap::from([
            (s("r"), alias(&format!("{base}#r"))),
            (s("pt"), alias(&format!("{base}#point"))),
            (s("h"), alias(&format!("{user}#r"))),
        ]),
        functions: BTreeMap::from([(
            s("pair"),
            func(
                &[("a", &format!("tuple<{user}#pt, own<{user}#h>>")), ("b", "map<string, f64>")],
                Some("future<stream>"),
            ),
        )]),
    };
    let inline_interface = model::Interface {
        types: BTreeMap::from([(s("cfg"), model::TypeDef::Record(vec![(s("on"), s("bool"))]))]),
        functions: BTreeMap::from([(s("set"), func(&[("c", &format!("{world} import inline#cfg"))], None))]),
    };
    let w = model::World {
        imports: BTreeMap::from([
            (s(base), model::WorldItem::Interface(s(base))),
            (s(user), model::WorldItem::Interface(s(user))),
            (s("pt"), model::WorldItem::Type(format!("{world}#pt"))),
            (s("local"), model::WorldItem::Type(format!("{world}#local"))),
            (s("inline"), model::WorldItem::InlineInterface(inline_interface)),
            (s("hop"), model::WorldItem::Function(func(&[], None))),
        ]),
        exports: BTreeMap::from([(
            s("run"),
            model::WorldItem::Function(func(&[("l", &format!("{world}#local"))], Some("result<u8>"))),
        )]),
        types: BTreeMap::from([
            (s("pt"), alias(&format!("{user}#pt"))),
            (s("local"), model::TypeDef::Record(vec![(s("p"), format!("{world}#pt"))])),
        ]),
    };
    let expected = Model {
        packages: BTreeMap::from([(
            s("t:small@1.0.0"),
            model::Package {
                interfaces: BTreeMap::from([(s("base"), base_interface), (s("user"), user_interface)]),
                worlds: BTreeMap::from([(s("w"), w)]),
            },
        )]),
    };
    assert_converts_to(&resolve, &expected);
}

/// `include` copies world-owned types and inline interfaces into the including world, so their
/// references name the including world (and `with` renames follow).
#[test]
fn converter_names_included_items_after_the_including_world() {
    let mut resolve = Resolve::default();
    resolve
        .push_str(
            "inc.wit",
            r#"
package t:inc;

world base {
    record r { x: u32 }
    import i: interface {
        record c { y: u8 }
        f: func(c: c);
    }
    import g: func(a: r);
}

world top {
    include base with { g as h }
}
"#,
        )
        .expect("the WIT is valid");
    let s = |v: &str| v.to_string();
    let world = |name: &str, function: &str| {
        let owner = format!("t:inc world {name}");
        model::World {
            imports: BTreeMap::from([
                (s("r"), model::WorldItem::Type(format!("{owner}#r"))),
                (
                    s("i"),
                    model::WorldItem::InlineInterface(model::Interface {
                        types: BTreeMap::from([(s("c"), model::TypeDef::Record(vec![(s("y"), s("u8"))]))]),
                        functions: BTreeMap::from([(
                            s("f"),
                            model::Function { params: vec![(s("c"), format!("{owner} import i#c"))], result: None },
                        )]),
                    }),
                ),
                (
                    s(function),
                    model::WorldItem::Function(model::Function {
                        params: vec![(s("a"), format!("{owner}#r"))],
                        result: None,
                    }),
                ),
            ]),
            exports: BTreeMap::new(),
            types: BTreeMap::from([(s("r"), model::TypeDef::Record(vec![(s("x"), s("u32"))]))]),
        }
    };
    let expected = Model {
        packages: BTreeMap::from([(
            s("t:inc"),
            model::Package {
                interfaces: BTreeMap::new(),
                worlds: BTreeMap::from([(s("base"), world("base", "g")), (s("top"), world("top", "h"))]),
            },
        )]),
    };
    assert_converts_to(&resolve, &expected);
}

/// The feature gate and the set of enabled features are honored by wit-parser as the corpus
/// expects: `active` items are present, others absent.
#[test]
fn converter_sees_feature_filtering() {
    let source = r#"
package t:gates;

interface i {
    @unstable(feature = active)
    on: func();
    @unstable(feature = inactive)
    off: func();
}
"#;
    let mut resolve = Resolve::default();
    resolve.features.insert("active".to_string());
    resolve.push_str("gates.wit", source).expect("the WIT is valid");
    let functions: BTreeSet<String> =
        convert::model(&resolve).packages["t:gates"].interfaces["i"].functions.keys().cloned().collect();
    assert_eq!(functions, BTreeSet::from(["on".to_string()]));
}

/// Asserts that the converter turns `resolve` into exactly `expected`, printing the differences.
fn assert_converts_to(resolve: &wit_parser::Resolve, expected: &Model) {
    let actual = convert::model(resolve);
    let differences = diff::differences(expected, &actual);
    assert!(
        differences.is_empty(),
        "converter output differs (`wit-parser =` is the expectation, `canopy =` the converter):\n{}",
        differences.join("\n")
    );
    assert_eq!(&actual, expected);
}
