//! Small fixtures for validation rules the shared corpus does not pin down: each names the
//! exact position (line:col, 1-based) and the message of the error it expects.

use canopy_wit_analysis::{AnalysisHost, Features, Layout, Severity};

/// Diagnostics of a one-file package as `(line, col, severity, message)`.
fn diagnostics(text: &str) -> Vec<(u32, u32, Severity, String)> {
    let mut host = AnalysisHost::new();
    host.set_layout(Layout::single_package(vec![("test.wit".to_string(), text.to_string())]), Features::default());
    host.diagnostics()
        .into_iter()
        .map(|d| {
            let at = host.line_col("test.wit", d.range.start()).expect("the file is in the layout");
            (at.line, at.col, d.severity, d.message)
        })
        .collect()
}

/// Diagnostics of a one-file package as `(line, col, message)`.
fn errors(text: &str) -> Vec<(u32, u32, String)> {
    diagnostics(text).into_iter().map(|(line, col, _, message)| (line, col, message)).collect()
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

/// wit-parser's error for a one-file package, if it rejects it.
fn oracle_error(text: &str) -> Option<String> {
    let mut resolve = wit_parser::Resolve::default();
    resolve.push_str("test.wit", text).err().map(|e| format!("{e:#}"))
}

/// Our single error is at `line:col` and says `ours`; wit-parser 0.263 rejects the same text
/// saying `theirs`.
fn assert_rule(text: &str, line: u32, col: u32, ours: &str, theirs: &str) {
    assert_single_error(text, line, col, ours);
    let oracle = oracle_error(text).unwrap_or_else(|| panic!("wit-parser accepts:\n{text}"));
    assert!(oracle.contains(theirs), "wit-parser says {oracle:?}, expected {theirs:?}");
}

#[test]
fn fields_cases_and_flags_must_differ_by_more_than_case_and_hyphens() {
    for (item, what) in [
        ("record r { foo-bar: u32, foobar: u32 }", "field"),
        ("variant v { foo-bar, FOOBAR }", "case"),
        ("enum e { foo-bar, foobar }", "case"),
        ("flags f { foo-bar, foo-BAR }", "flag"),
    ] {
        let text = format!("package a:b;\ninterface i {{\n  {item}\n}}\n");
        let second = item.rfind(", ").unwrap() as u32 + 5;
        let message = format!("conflicts with previous {what} `foo-bar`");
        assert_rule(&text, 3, second, &message, &message);
    }
}

#[test]
fn flags_hold_at_most_32_flags() {
    let names: Vec<String> = (0..33).map(|i| format!("x{i}")).collect();
    let text = format!("package a:b;\ninterface i {{\n  flags many {{\n    {}\n  }}\n}}\n", names.join(",\n    "));
    assert_rule(&text, 36, 5, "cannot have more than 32 flags", "cannot have more than 32 flags");
    let fewer = text.replace(",\n    x32\n", "\n");
    assert_eq!(errors(&fewer), vec![], "32 flags are allowed");
}

#[test]
fn names_of_an_interface_are_strongly_unique() {
    assert_rule(
        "package a:b;\ninterface i {\n  type foo-bar = u32;\n  foobar: func();\n}\n",
        4,
        3,
        "name `foobar` conflicts with previous name `foo-bar`",
        "name `foobar` conflicts with previous name `foo-bar`",
    );
    // A method named after its resource clashes with the resource; a constructor does not.
    assert_rule(
        "package a:b;\ninterface i {\n  resource r {\n    constructor();\n    r: func();\n  }\n}\n",
        5,
        5,
        "name `[method]r.r` conflicts with previous name `r`",
        "name `[method]r.r` conflicts with previous name `r`",
    );
    // A method and a static function of the same name clash through their canonical form.
    assert_rule(
        "package a:b;\ninterface i {\n  resource r {\n    m: func();\n    M: static func();\n  }\n}\n",
        5,
        5,
        "name `[static]r.M` conflicts with previous name `[method]r.m`",
        "conflicts with previous name `[method]r.m`",
    );
}

#[test]
fn world_imports_are_strongly_unique() {
    assert_rule(
        "package a:b;\nworld w {\n  import foo-bar: func();\n  import foobar: func();\n}\n",
        4,
        10,
        "import `foobar` in world `w` conflicts with import `foo-bar`",
        "foobar",
    );
}

#[test]
fn external_id_is_rejected_where_it_cannot_be_kept() {
    for (text, line, col, what) in [
        ("package a:b;\n@external-id(\"x\")\ninterface i {}\n", 2, 2, "interface declarations"),
        ("package a:b;\n@external-id(\"x\")\nworld w {}\n", 2, 2, "world declarations"),
        ("package a:b;\nworld v {}\nworld w {\n  @external-id(\"x\")\n  include v;\n}\n", 4, 4, "include statements"),
    ] {
        let message = format!("@external-id is not allowed on {what}");
        assert_rule(text, line, col, &message, &message);
    }
    // On an import it is kept, and fine.
    let import = "package a:b;\ninterface i {}\nworld w {\n  @external-id(\"x\")\n  import i;\n}\n";
    assert_eq!(errors(import), vec![]);
    assert_eq!(oracle_error(import), None);
}

#[test]
fn empty_records_flags_and_tuples_are_warned_of() {
    for (item, line, col, message) in [
        ("record r {}", 3, 10, "empty record"),
        ("flags f {}", 3, 9, "empty flags"),
        ("type t = tuple<>;", 3, 12, "empty tuple"),
    ] {
        let text = format!("package a:b;\ninterface i {{\n  {item}\n}}\n");
        let found = diagnostics(&text);
        assert_eq!(found.len(), 1, "{found:#?}");
        let (at_line, at_col, severity, found_message) = &found[0];
        assert_eq!(*severity, Severity::Warning, "{found:#?}");
        assert!(found_message.starts_with(message), "{found:#?}");
        assert_eq!((*at_line, *at_col), (line, col));
        // What the warning announces: current wit-parser rejects the package.
        let oracle = oracle_error(&text).unwrap_or_else(|| panic!("wit-parser accepts {item}"));
        assert!(oracle.contains(message), "{oracle}");
    }
}
