//! Completion in each kind of position.

mod fixture;

use canopy_wit_ide::{CompletionKind, TextSize, completions};
use fixture::Fixture;

/// The labels offered at the cursor, with their kinds.
fn labels(src: &str) -> Vec<(String, CompletionKind)> {
    let fixture = Fixture::new(src);
    let (path, offset) = fixture.cursor();
    completions(&fixture.host, path, offset).into_iter().map(|c| (c.label, c.kind)).collect()
}

fn names(src: &str) -> Vec<String> {
    labels(src).into_iter().map(|(l, _)| l).collect()
}

const PRIMITIVES_AND_GENERICS: &[&str] = &[
    "bool",
    "borrow",
    "char",
    "error-context",
    "f32",
    "f64",
    "future",
    "list",
    "map",
    "option",
    "own",
    "result",
    "s16",
    "s32",
    "s64",
    "s8",
    "stream",
    "string",
    "tuple",
    "u16",
    "u32",
    "u64",
    "u8",
];

fn with_builtins(types: &[&str]) -> Vec<String> {
    let mut all: Vec<String> = types.iter().chain(PRIMITIVES_AND_GENERICS).map(|s| s.to_string()).collect();
    all.sort();
    all
}

#[test]
fn types_after_a_parameter_colon_include_used_names() {
    assert_eq!(
        names(
            "package a:b;\ninterface t { type size = u64; }\ninterface i {\n  use t.{size};\n  record point { x: u32 }\n  f: func(p: $0);\n}\n"
        ),
        with_builtins(&["point", "size"])
    );
}

#[test]
fn types_with_a_typed_prefix_and_in_generics() {
    assert_eq!(
        names("package a:b;\ninterface i {\n  record point { x: u32 }\n  f: func() -> list<po$0>;\n}\n"),
        with_builtins(&["point"])
    );
    assert_eq!(
        names("package a:b;\ninterface i {\n  enum e { a }\n  type t = result<u32, $0>;\n}\n"),
        with_builtins(&["e", "t"])
    );
}

#[test]
fn only_resources_inside_borrow() {
    assert_eq!(
        labels("package a:b;\ninterface i {\n  resource file;\n  record r { x: u32 }\n  f: func(x: borrow<$0>);\n}\n"),
        vec![("file".to_string(), CompletionKind::Type)]
    );
}

#[test]
fn members_after_use_brace() {
    assert_eq!(
        labels(
            "package a:b;\ninterface types { record point { x: u32 } resource file; }\ninterface i {\n  use types.{point, $0\n}\n"
        ),
        vec![("file".to_string(), CompletionKind::Type), ("point".to_string(), CompletionKind::Type)]
    );
    assert_eq!(
        names(
            "//- /wit/main.wit\npackage a:b;\ninterface i { use x:y/shapes@1.0.0.{c$0}; }\n//- /wit/deps/y/y.wit\npackage x:y@1.0.0;\ninterface shapes { record circle { r: f32 } type square = u8; }\n"
        ),
        vec!["circle", "square"]
    );
}

#[test]
fn interfaces_and_packages_after_use_and_import() {
    let deps = "//- /wit/deps/y/y.wit\npackage x:y@1.0.0;\ninterface shapes { }\nworld all { }\n";
    let got =
        labels(&format!("//- /wit/main.wit\npackage a:b;\ninterface types {{ }}\nworld w {{\n  import $0\n}}\n{deps}"));
    assert_eq!(
        got,
        vec![("types".to_string(), CompletionKind::Interface), ("x:y".to_string(), CompletionKind::Package)]
    );
    let qualified = labels(&format!("//- /wit/main.wit\npackage a:b;\nworld w {{\n  import x:y/$0\n}}\n{deps}"));
    assert_eq!(qualified, vec![("shapes".to_string(), CompletionKind::Interface)]);
    let include =
        labels(&format!("//- /wit/main.wit\npackage a:b;\nworld v {{ }}\nworld w {{\n  include x:y/$0\n}}\n{deps}"));
    assert_eq!(include, vec![("all".to_string(), CompletionKind::World)]);
    let package_insert = {
        let fixture = Fixture::new(&format!("//- /wit/main.wit\npackage a:b;\ninterface i {{ use $0 }}\n{deps}"));
        let (path, offset) = fixture.cursor();
        completions(&fixture.host, path, offset).into_iter().find(|c| c.kind == CompletionKind::Package).unwrap()
    };
    assert_eq!(package_insert.insert_text.as_deref(), Some("x:y/"));
    assert_eq!(package_insert.detail.as_deref(), Some("x:y@1.0.0"));
}

#[test]
fn gates_after_at_and_keys_inside_parentheses() {
    assert_eq!(
        labels("package a:b@1.0.0;\ninterface i {\n  @$0\n  f: func();\n}\n"),
        vec![
            ("deprecated".to_string(), CompletionKind::Gate),
            ("since".to_string(), CompletionKind::Gate),
            ("unstable".to_string(), CompletionKind::Gate)
        ]
    );
    let fixture = Fixture::new("package a:b@1.0.0;\ninterface i {\n  @unstable($0)\n  f: func();\n}\n");
    let (path, offset) = fixture.cursor();
    let got = completions(&fixture.host, path, offset);
    assert_eq!(got.len(), 1);
    assert_eq!((got[0].label.as_str(), got[0].insert_text.as_deref()), ("feature", Some("feature = ")));
    // An `@` after a path is a version, not a gate.
    assert!(names("package a:b;\ninterface i { use x:y/z@$0 }\n").is_empty());
}

#[test]
fn item_keywords_depend_on_the_body() {
    assert_eq!(names("package a:b;\n$0"), vec!["interface", "package", "use", "world"]);
    assert_eq!(
        names("package a:b;\ninterface i {\n  type t = u32;\n  $0\n}\n"),
        vec!["enum", "flags", "record", "resource", "type", "use", "variant"]
    );
    assert_eq!(
        names("package a:b;\nworld w {\n  $0\n}\n"),
        vec!["enum", "export", "flags", "import", "include", "record", "resource", "type", "use", "variant"]
    );
    assert_eq!(names("package a:b;\ninterface i {\n  resource r {\n    $0\n  }\n}\n"), vec!["constructor"]);
    assert_eq!(names("package a:b;\ninterface i { }\n$0"), vec!["interface", "package", "use", "world"]);
    assert_eq!(names("package a:b;\ninterface i {\n  f: $0\n}\n"), vec!["async", "func"]);
}

#[test]
fn nothing_for_bad_positions() {
    let fixture = Fixture::new("package a:b;\n");
    assert!(completions(&fixture.host, "/wit/main.wit", TextSize::from(100)).is_empty());
    assert!(completions(&fixture.host, "/nope.wit", TextSize::from(0)).is_empty());
    // Inside a record body, a field name is expected: nothing to offer.
    assert!(names("package a:b;\ninterface i { record r { $0 } }\n").is_empty());
}
