//! Hover: definition as WIT, location, docs, canonical-ABI facts.

mod fixture;

use canopy_wit_ide::{TextSize, hover};
use fixture::Fixture;

/// Asserts the hover at the cursor: its range is the marked one, its markdown is `expected`.
fn check(src: &str, expected: &str) {
    let fixture = Fixture::new(src);
    let (path, offset) = fixture.cursor();
    let got = hover(&fixture.host, path, offset).expect("no hover");
    if !fixture.ranges.is_empty() {
        assert_eq!(got.range, fixture.ranges[0].range);
    }
    assert_eq!(got.markdown, expected, "\n{}", got.markdown);
}

#[test]
fn hover_on_a_record_use_shows_definition_docs_and_layout() {
    check(
        "package a:b@1.0.0;\ninterface types {\n  /// A point on the plane.\n  record point { x: u32, label: string }\n  f: func(p: $[po$0int]$);\n}\n",
        "```wit\nrecord point {\n    x: u32,\n    label: string,\n}\n```\nin `a:b/types@1.0.0`\n\n---\n\nA point on the plane.\n\n---\n\nCanonical ABI: size 12, align 4; flattens to `i32, i32, i32`",
    );
}

#[test]
fn hover_on_a_function_shows_core_signatures() {
    check(
        "package a:b;\ninterface i {\n  /// Reads.\n  re$0ad: func(fd: u32, len: u64) -> result<list<u8>, string>;\n}\n",
        "```wit\nread: func(fd: u32, len: u64) -> result<list<u8>, string>\n```\n\n---\n\nReads.\n\n---\n\nCanonical ABI core signatures:\n- lift: `(i32, i64) -> i32` (results through memory)\n- lower: `(i32, i64, i32)` (results through memory)",
    );
}

#[test]
fn hover_on_many_params_reports_spilling() {
    let params: Vec<String> = (0..17).map(|i| format!("p{i}: u32")).collect();
    let src = format!("package a:b;\ninterface i {{\n  $0f: func({});\n}}\n", params.join(", "));
    let fixture = Fixture::new(&src);
    let (path, offset) = fixture.cursor();
    let markdown = hover(&fixture.host, path, offset).unwrap().markdown;
    assert!(markdown.contains("- lift: `(i32)` (params spilled to memory)"), "{markdown}");
    assert!(markdown.contains("- lower: `(i32)` (params spilled to memory)"), "{markdown}");
}

#[test]
fn hover_through_use_shows_the_original_and_its_interface() {
    check(
        "//- /wit/a.wit\npackage a:b;\ninterface types {\n  /// A handle.\n  resource file {\n    constructor(path: string);\n    read: func(n: u32) -> list<u8>;\n  }\n}\n//- /wit/b.wit\npackage a:b;\ninterface api {\n  use types.{file};\n  open: func() -> fi$0le;\n}\n",
        "```wit\nresource file {\n    constructor(path: string);\n    read: func(n: u32) -> list<u8>;\n}\n```\nin `a:b/types`\n\n---\n\nA handle.\n\n---\n\nCanonical ABI: size 4, align 4; flattens to `i32`",
    );
}

#[test]
fn hover_on_a_field_shows_its_offset() {
    check(
        "package a:b;\ninterface i {\n  record r {\n    a: u8,\n    /// The big one.\n    $[b$0ig]$: u64,\n  }\n}\n",
        "```wit\nbig: u64\n```\nin record `r`\n\n---\n\nThe big one.\n\n---\n\nCanonical ABI: size 8, align 8; flattens to `i64`; offset 8",
    );
}

#[test]
fn hover_on_a_parameter_and_a_variant_case() {
    check(
        "package a:b;\ninterface i {\n  variant v { none, some(u16) }\n  f: func(x$0: v);\n}\n",
        "```wit\nx: v\n```\nparameter of `f`\n\n---\n\nCanonical ABI: size 4, align 2; flattens to `i32, i32`",
    );
    check(
        "package a:b;\ninterface i {\n  variant v { none, so$0me(u16) }\n}\n",
        "```wit\nsome(u16)\n```\nin variant `v`\n\n---\n\nCanonical ABI: size 2, align 2; flattens to `i32`",
    );
}

#[test]
fn hover_on_an_interface_and_a_world() {
    check(
        "package a:b@0.2.0;\n/// Shared types.\ninterface ty$0pes { }\n",
        "```wit\ninterface types\n```\n`a:b/types@0.2.0`\n\n---\n\nShared types.",
    );
    check(
        "package a:b;\ninterface types { }\nworld w$0 { import types; export run: func(); }\n",
        "```wit\nworld w\n```\n`a:b/w`\n\n---\n\n1 imports, 1 exports",
    );
}

#[test]
fn no_hover_on_keywords_unknown_files_or_past_the_end() {
    let fixture = Fixture::new("package a:b;\ninterface i { }\n");
    assert_eq!(hover(&fixture.host, "/wit/main.wit", TextSize::from(15)), None);
    assert_eq!(hover(&fixture.host, "/wit/main.wit", TextSize::from(500)), None);
    assert_eq!(hover(&fixture.host, "/other.wit", TextSize::from(0)), None);
}

#[test]
fn hover_reports_types_the_abi_rejects_and_long_flattenings() {
    check(
        "package a:b;\ninterface i {\n  type $[b$0ig]$ = list<u64, 40>;\n}\n",
        "```wit\ntype big = list<u64, 40>\n```\nin `a:b/i`\n\n---\n\nCanonical ABI: size 320, align 8; flattens to more than 16 core values",
    );
    let fixture = Fixture::new(
        "package a:b;\ninterface i {\n  record r { x: u32 }\n  type e = tuple<r, list<u64, 40000000>>;\n}\n",
    );
    let offset = TextSize::try_from(fixture.text("/wit/main.wit").find("e =").unwrap()).unwrap();
    let markdown = hover(&fixture.host, "/wit/main.wit", offset).unwrap().markdown;
    assert!(markdown.contains("Canonical ABI: not representable ("), "{markdown}");
}

#[test]
fn hover_shows_docs_written_before_a_gate_attribute() {
    check(
        "package a:b@1.0.0;\ninterface types {\n  variant v { big($[p$0ayload]$) }\n  /// Payload of `big`.\n  @since(version = 1.0.0)\n  record payload { size: option<u32> }\n}\n",
        "```wit\nrecord payload {\n    size: option<u32>,\n}\n```\nin `a:b/types@1.0.0`\n\n---\n\nPayload of `big`.\n\n---\n\nCanonical ABI: size 8, align 4; flattens to `i32, i32`",
    );
}
