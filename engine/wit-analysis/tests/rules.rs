//! Small fixtures for validation rules the shared corpus does not pin down: each names the
//! exact position (line:col, 1-based) and the message of the error it expects.

use canopy_wit_analysis::{AnalysisHost, Features, Layout};

/// Errors of a one-file package as `(line, col, message)`.
fn errors(text: &str) -> Vec<(u32, u32, String)> {
    let mut host = AnalysisHost::new();
    host.set_layout(Layout::single_package(vec![("test.wit".to_string(), text.to_string())]), Features::default());
    host.diagnostics()
        .into_iter()
        .map(|d| {
            let at = host.line_col("test.wit", d.range.start()).expect("the file is in the layout");
            (at.line, at.col, d.message)
        })
        .collect()
}

fn assert_single_error(text: &str, line: u32, col: u32, message: &str) {
    let found = errors(text);
    assert_eq!(found.len(), 1, "expected one error, found {found:#?}");
    let (l, c, m) = &found[0];
    assert_eq!((*l, *c), (line, col), "wrong position for {m:?}");
    assert!(m.contains(message), "expected {message:?} in {m:?}");
}

#[test]
fn repeated_attribute_is_reported_at_its_name() {
    assert_single_error(
        "package a:b@1.0.0;\n@since(version = 1.0.0)\n@since(version = 1.0.0)\ninterface i {}\n",
        3,
        2,
        "cannot specify @since twice",
    );
}

#[test]
fn since_and_unstable_do_not_go_together() {
    assert_single_error(
        "package a:b@1.0.0;\n@since(version = 1.0.0)\n@unstable(feature = x)\ninterface i {}\n",
        2,
        2,
        "cannot specify both @since and @unstable",
    );
}

#[test]
fn deprecated_needs_since_or_unstable() {
    assert_single_error(
        "package a:b@1.0.0;\n@deprecated(version = 1.0.0)\ninterface i {}\n",
        2,
        2,
        "@deprecated needs @since or @unstable",
    );
}

#[test]
fn attributes_on_top_level_use_are_rejected_at_the_keyword() {
    assert_single_error(
        "package a:b@1.0.0;\n@since(version = 1.0.0)\nuse i as j;\ninterface i {}\n",
        3,
        1,
        "attributes not allowed on top-level use",
    );
}

#[test]
fn since_without_package_version_is_rejected() {
    assert_single_error("package a:b;\n@since(version = 1.0.0)\ninterface i {}\n", 3, 11, "must have a version");
}

#[test]
fn borrow_in_a_freestanding_function_must_name_a_resource() {
    assert_single_error(
        "package a:b;\ninterface i {\n  record r { x: u32 }\n  f: func(x: borrow<r>);\n}\n",
        4,
        21,
        "type `r` used in a handle must be a resource",
    );
}

#[test]
fn five_independent_errors_are_all_reported() {
    let text = "package a:b;\n\
                interface i {\n\
                  type a = missing;\n\
                  record r { x: u32 }\n\
                  f: func(x: borrow<r>);\n\
                  g: func() -> u32;\n\
                  g: func();\n\
                  enum e {}\n\
                }\n\
                world w { import nowhere; }\n";
    let found = errors(text);
    let lines: Vec<u32> = found.iter().map(|(l, _, _)| *l).collect();
    assert_eq!(lines, vec![3, 5, 7, 8, 10], "{found:#?}");
}
