//! Prepare-rename and rename.

mod fixture;

use canopy_wit_ide::{TextSize, prepare_rename, rename};
use fixture::Fixture;

/// Renames at the cursor and compares every changed file with `after` (`//- PATH` files).
fn check(before: &str, new_name: &str, after: &str) {
    let fixture = Fixture::new(before);
    let (path, offset) = fixture.cursor();
    let change = rename(&fixture.host, path, offset, new_name).expect("rename refused");
    let expected = Fixture::new(after).files;
    let mut got = fixture.apply(&change);
    got.sort();
    let mut expected: Vec<(String, String)> = expected.into_iter().filter(|(p, t)| fixture.text(p) != t).collect();
    expected.sort();
    assert_eq!(got, expected);
}

/// Asserts that renaming at the cursor to `new_name` is refused with `message`.
fn check_refused(src: &str, new_name: &str, message: &str) {
    let fixture = Fixture::new(src);
    let (path, offset) = fixture.cursor();
    assert_eq!(rename(&fixture.host, path, offset, new_name), Err(message.to_string()));
}

const TWO_FILES: &str = "//- /wit/a.wit\npackage a:b;\ninterface types {\n  record po$0int { x: u32 }\n  f: func(p: point);\n}\n//- /wit/b.wit\npackage a:b;\ninterface api {\n  use types.{point};\n  use types.{point as pt};\n  g: func(a: point, b: pt);\n}\n";

#[test]
fn rename_updates_definition_and_references_across_files() {
    check(
        TWO_FILES,
        "location",
        "//- /wit/a.wit\npackage a:b;\ninterface types {\n  record location { x: u32 }\n  f: func(p: location);\n}\n//- /wit/b.wit\npackage a:b;\ninterface api {\n  use types.{location};\n  use types.{location as pt};\n  g: func(a: location, b: pt);\n}\n",
    );
}

#[test]
fn renaming_an_alias_renames_only_its_uses() {
    check(
        "package a:b;\ninterface types { type t = u32; }\ninterface api {\n  use types.{t as u};\n  f: func(a: $0u, b: t);\n  use types.{t};\n}\n",
        "handle",
        "package a:b;\ninterface types { type t = u32; }\ninterface api {\n  use types.{t as handle};\n  f: func(a: handle, b: t);\n  use types.{t};\n}\n",
    );
}

#[test]
fn renaming_from_a_use_site_renames_the_original() {
    check(
        "//- /wit/a.wit\npackage a:b;\ninterface types { type t = u32; }\n//- /wit/b.wit\npackage a:b;\ninterface api { use types.{t}; f: func(a: $0t); }\n",
        "size",
        "//- /wit/a.wit\npackage a:b;\ninterface types { type size = u32; }\n//- /wit/b.wit\npackage a:b;\ninterface api { use types.{size}; f: func(a: size); }\n",
    );
}

#[test]
fn rename_an_interface_and_its_paths() {
    check(
        "package a:b;\ninterface ty$0pes { type t = u32; }\ninterface api { use types.{t}; }\nworld w { import types; }\n",
        "common",
        "package a:b;\ninterface common { type t = u32; }\ninterface api { use common.{t}; }\nworld w { import common; }\n",
    );
}

#[test]
fn rename_a_field() {
    check(
        "package a:b;\ninterface i { record r { x$0: u32, y: u32 } }\n",
        "z",
        "package a:b;\ninterface i { record r { z: u32, y: u32 } }\n",
    );
}

#[test]
fn rename_to_an_escaped_keyword_is_allowed() {
    check(
        "package a:b;\ninterface i { type t$0 = u32; f: func(a: t); }\n",
        "%record",
        "package a:b;\ninterface i { type %record = u32; f: func(a: %record); }\n",
    );
}

#[test]
fn keywords_are_refused() {
    for keyword in ["record", "func", "u32", "string"] {
        check_refused(
            TWO_FILES,
            keyword,
            &format!("`{keyword}` is a WIT keyword and cannot be a name (write `%{keyword}` to use it anyway)"),
        );
    }
}

#[test]
fn invalid_identifiers_are_refused() {
    check_refused(
        TWO_FILES,
        "bad_name",
        "`bad_name` is not a valid identifier: '_' is not allowed (identifiers are kebab-case)",
    );
    check_refused(TWO_FILES, "9lives", "`9lives` is not a valid identifier: it must start with a letter, not '9'");
}

#[test]
fn conflicts_in_the_same_scope_are_refused() {
    check_refused(
        "package a:b;\ninterface i {\n  type a = u32;\n  type b$0 = u32;\n}\n",
        "a",
        "the name `a` is already used in interface `i`",
    );
    check_refused(
        "package a:b;\ninterface i { record r { x$0: u32, y: u32 } }\n",
        "Y",
        "the name `y` is already used in record `r`",
    );
    // The name also arrives through `use` into `api`, where `other` is taken.
    check_refused(
        "package a:b;\ninterface types { type t$0 = u32; }\ninterface api { use types.{t}; type other = u8; }\n",
        "other",
        "the name `other` is already used in interface `api`",
    );
    check_refused(
        "package a:b;\ninterface fir$0st { }\nworld second { }\n",
        "second",
        "the name `second` is already used in package `a:b`",
    );
}

#[test]
fn prepare_rename_gives_the_name_range_or_a_reason() {
    let fixture = Fixture::new(
        "//- /wit/main.wit\npackage a:b;\ninterface api { use x:y/shapes.{circle}; }\n//- /wit/deps/y/y.wit\npackage x:y;\ninterface shapes { record circle { r: f32 } }\n",
    );
    let text = fixture.text("/wit/main.wit");
    let at = |needle: &str| TextSize::try_from(text.find(needle).unwrap()).unwrap();
    assert_eq!(prepare_rename(&fixture.host, "/wit/main.wit", at("api")).map(|r| &text[r]), Ok("api"));
    assert_eq!(
        prepare_rename(&fixture.host, "/wit/main.wit", at("circle")),
        Err("`circle` is defined in a dependency (/wit/deps/y/y.wit), which cannot be renamed".to_string())
    );
    assert_eq!(
        prepare_rename(&fixture.host, "/wit/main.wit", at("a:b")),
        Err("package names cannot be renamed: they are how other packages find this one".to_string())
    );
    assert_eq!(
        prepare_rename(&fixture.host, "/wit/main.wit", at("interface")),
        Err("there is no name to rename here".to_string())
    );
    assert!(prepare_rename(&fixture.host, "/wit/main.wit", TextSize::from(10_000)).is_err());
    assert!(prepare_rename(&fixture.host, "/missing.wit", TextSize::from(0)).is_err());
}
