//! Fixture tests: each `fixtures/NAME.before.wit` formats to `fixtures/NAME.after.wit`, and
//! the expected output is a fixed point (formatting it again changes nothing) and valid WIT for
//! the reference parser, `wit-parser`.

use std::path::Path;

use canopy_wit_fmt::{FormatError, FormatOptions, format};

/// Fixtures using syntax newer than the wit-parser dev-dependency (0.263) accepts: gates on
/// record fields and enum cases.
const NEWER_THAN_WIT_PARSER: &[&str] = &["member-gates"];

fn fixtures_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

#[test]
fn every_fixture_formats_to_its_expected_text() {
    let mut names: Vec<String> = std::fs::read_dir(fixtures_dir())
        .expect("fixtures directory")
        .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".before.wit").map(str::to_string))
        .collect();
    names.sort();
    let options = FormatOptions::default();
    let mut failures = Vec::new();
    for name in &names {
        let read = |suffix: &str| {
            let path = fixtures_dir().join(format!("{name}.{suffix}.wit"));
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
        };
        let (before, expected) = (read("before"), read("after"));
        match format(&before, &options) {
            Ok(actual) if actual == expected => {}
            Ok(actual) => failures.push(format!("{name}: got\n{actual}\n--- expected ---\n{expected}")),
            Err(e) => failures.push(format!("{name}: {e}")),
        }
        match wit_parser::UnresolvedPackageGroup::parse(format!("{name}.after.wit"), &expected) {
            Err((_, e)) if !NEWER_THAN_WIT_PARSER.contains(&name.as_str()) => {
                failures.push(format!("{name}: wit-parser rejects the expected output: {e}"));
            }
            Ok(_) if NEWER_THAN_WIT_PARSER.contains(&name.as_str()) => {
                failures.push(format!("{name}: wit-parser now accepts it; drop it from NEWER_THAN_WIT_PARSER"));
            }
            _ => {}
        }
        match format(&expected, &options) {
            Ok(again) if again == expected => {}
            Ok(again) => failures.push(format!("{name}: expected output is not a fixed point:\n{again}")),
            Err(e) => failures.push(format!("{name}: expected output: {e}")),
        }
    }
    println!("wit-fmt fixtures: {} pairs", names.len());
    assert!(names.len() >= 8, "fixtures missing: found {}", names.len());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn indentation_width_is_an_option() {
    let text = "package a:b;\ninterface i { record r { a: u32 } }\n";
    let formatted = format(text, &FormatOptions { indent: 2 }).expect("formats");
    assert_eq!(formatted, "package a:b;\ninterface i {\n  record r {\n    a: u32,\n  }\n}\n");
}

#[test]
fn syntax_errors_are_refused_with_their_count() {
    let options = FormatOptions::default();
    assert_eq!(format("interface i { f: func(; }", &options), Err(FormatError::SyntaxErrors(1)));
    let message = format("interface { }", &options).unwrap_err().to_string();
    assert!(message.contains("syntax error"), "{message}");
}

#[test]
fn empty_and_comment_only_files() {
    let options = FormatOptions::default();
    assert_eq!(format("", &options).unwrap(), "");
    assert_eq!(format("  \n\n", &options).unwrap(), "");
    assert_eq!(format("\n\n// only a comment   \n\n", &options).unwrap(), "// only a comment\n");
    assert_eq!(format("\u{feff}package a:b;", &options).unwrap(), "package a:b;\n");
}

#[test]
fn explicit_identifiers_and_keyword_names_are_kept() {
    let options = FormatOptions::default();
    let text = "interface %interface { %type: func(%use: u32) -> %result; }";
    assert_eq!(format(text, &options).unwrap(), "interface %interface {\n    %type: func(%use: u32) -> %result;\n}\n");
}
