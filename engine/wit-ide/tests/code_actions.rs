//! Code actions: spelling fixes, missing `use`, unused `use`.

mod fixture;

use canopy_wit_ide::{TextRange, TextSize, code_actions};
use fixture::Fixture;

/// Titles of the actions for the marked range (or the cursor), and the text after applying
/// the action titled `apply` (if given).
fn check(src: &str, titles: &[&str], apply: Option<(&str, &str)>) {
    let fixture = Fixture::new(src);
    let (path, range) = match fixture.cursor.as_ref() {
        Some((path, offset)) => (path.clone(), TextRange::empty(*offset)),
        None => (fixture.ranges[0].path.to_string(), fixture.ranges[0].range),
    };
    let actions = code_actions(&fixture.host, &path, range);
    let got: Vec<&str> = actions.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(got, titles);
    if let Some((title, expected)) = apply {
        let action = actions.iter().find(|a| a.title == title).expect("no such action");
        let changed = fixture.apply(&action.edit);
        assert_eq!(changed, vec![(path.clone(), expected.to_string())]);
    }
}

#[test]
fn misspelled_type_gets_suggestions() {
    check(
        "package a:b;\ninterface i {\n  record point { x: u32 }\n  record pointer { x: u32 }\n  f: func(p: poin$0);\n}\n",
        &["Did you mean `point`?"],
        Some((
            "Did you mean `point`?",
            "package a:b;\ninterface i {\n  record point { x: u32 }\n  record pointer { x: u32 }\n  f: func(p: point);\n}\n",
        )),
    );
}

#[test]
fn misspelled_use_member_and_interface_path() {
    check(
        "package a:b;\ninterface types { record point { x: u32 } }\ninterface i { use types.{pont$0}; }\n",
        &["Did you mean `point`?"],
        None,
    );
    check(
        "package a:b;\ninterface types { }\nworld w { import tpyes$0; }\n",
        &["Did you mean `types`?"],
        Some(("Did you mean `types`?", "package a:b;\ninterface types { }\nworld w { import types; }\n")),
    );
}

#[test]
fn misspelled_interface_of_another_package() {
    check(
        "//- /wit/main.wit\npackage a:b;\ninterface api { use x:y/shpes$0@1.0.0.{circle}; }\n//- /wit/deps/y/y.wit\npackage x:y@1.0.0;\ninterface shapes { record circle { r: f32 } }\n",
        &["Did you mean `shapes`?"],
        Some(("Did you mean `shapes`?", "package a:b;\ninterface api { use x:y/shapes@1.0.0.{circle}; }\n")),
    );
}

#[test]
fn missing_use_from_the_same_package_and_a_dependency() {
    check(
        "//- /wit/main.wit\npackage a:b;\ninterface types { record point { x: u32 } }\ninterface api {\n  use types.{};\n  f: func(p: point$0, s: circle);\n}\n//- /wit/deps/y/y.wit\npackage x:y@1.0.0;\ninterface shapes { record circle { r: f32 } record point { x: u8 } }\n",
        &["Add `use types.{point};`", "Add `use x:y/shapes@1.0.0.{point};`"],
        Some((
            "Add `use types.{point};`",
            "package a:b;\ninterface types { record point { x: u32 } }\ninterface api {\n  use types.{};\n  use types.{point};\n  f: func(p: point, s: circle);\n}\n",
        )),
    );
    check(
        "//- /wit/main.wit\npackage a:b;\ninterface api {\n    f: func(s: circle$0);\n}\n//- /wit/deps/y/y.wit\npackage x:y@1.0.0;\ninterface shapes { record circle { r: f32 } }\n",
        &["Add `use x:y/shapes@1.0.0.{circle};`"],
        Some((
            "Add `use x:y/shapes@1.0.0.{circle};`",
            "package a:b;\ninterface api {\n    use x:y/shapes@1.0.0.{circle};\n    f: func(s: circle);\n}\n",
        )),
    );
}

#[test]
fn unused_use_names_and_statements_are_removed() {
    let src = "package a:b;\ninterface types { type a = u8; type b = u8; type c = u8; }\ninterface api {\n  use types.{a, b, c};\n  $[use types.{a as x};]$\n  f: func(p: b);\n}\n";
    check(
        src,
        &["Remove unused `use types.{a as x}`"],
        Some((
            "Remove unused `use types.{a as x}`",
            "package a:b;\ninterface types { type a = u8; type b = u8; type c = u8; }\ninterface api {\n  use types.{a, b, c};\n  f: func(p: b);\n}\n",
        )),
    );
    check(
        "package a:b;\ninterface types { type a = u8; type b = u8; type c = u8; }\ninterface api {\n  use types.{a, b$0, c};\n  f: func(p: b);\n}\n",
        &["Remove unused `a`", "Remove unused `c`"],
        Some((
            "Remove unused `c`",
            "package a:b;\ninterface types { type a = u8; type b = u8; type c = u8; }\ninterface api {\n  use types.{a, b};\n  f: func(p: b);\n}\n",
        )),
    );
}

#[test]
fn nothing_for_clean_code_or_bad_input() {
    check("package a:b;\ninterface i {\n  record point { x: u32 }\n  f: func(p: point$0);\n}\n", &[], None);
    let fixture = Fixture::new("package a:b;\n");
    assert!(code_actions(&fixture.host, "/nope.wit", TextRange::empty(TextSize::from(0))).is_empty());
    assert!(code_actions(&fixture.host, "/wit/main.wit", TextRange::empty(TextSize::from(400))).is_empty());
}

#[test]
fn a_missing_version_is_added() {
    check(
        "//- /wit/main.wit\npackage a:b;\ninterface api { use x:y/sha$0pes.{circle}; }\n//- /wit/deps/y/y.wit\npackage x:y@1.0.0;\ninterface shapes { record circle { r: f32 } }\n",
        &["Add version `@1.0.0`"],
        Some(("Add version `@1.0.0`", "package a:b;\ninterface api { use x:y/shapes@1.0.0.{circle}; }\n")),
    );
}
