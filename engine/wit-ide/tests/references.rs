//! Find references and document highlights.

mod fixture;

use canopy_wit_ide::{HighlightKind, TextSize, document_highlights, find_references};
use fixture::{Fixture, describe};

/// Asserts that the references at the cursor are exactly the marked ranges.
fn check(src: &str, include_declaration: bool) {
    let fixture = Fixture::new(src);
    let (path, offset) = fixture.cursor();
    let got = find_references(&fixture.host, path, offset, include_declaration);
    assert_eq!(describe(&fixture, &got), describe(&fixture, &fixture.ranges));
}

#[test]
fn references_across_files_and_uses() {
    check(
        "//- /wit/a.wit\npackage a:b;\ninterface types {\n  record $[po$0int]$ { x: u32 }\n  f: func(p: $[point]$) -> list<$[point]$>;\n}\n//- /wit/b.wit\npackage a:b;\ninterface api {\n  use types.{$[point]$};\n  g: func() -> option<$[point]$>;\n}\n",
        true,
    );
}

#[test]
fn references_without_the_declaration() {
    check("package a:b;\ninterface i {\n  type t$0 = u32;\n  f: func(a: $[t]$, b: $[t]$);\n}\n", false);
}

#[test]
fn references_from_a_use_site_include_renamed_uses_and_their_alias() {
    check(
        "package a:b;\ninterface types { type $[t]$ = u32; }\ninterface api {\n  use types.{$[t]$ as $[u]$};\n  f: func(a: $[u]$) -> $[$0t]$;\n  use types.{$[t]$};\n}\n",
        true,
    );
}

#[test]
fn references_to_an_interface_from_another_package() {
    check(
        "//- /wit/main.wit\npackage a:b;\nworld w {\n  import x:y/$[shapes]$@1.0.0;\n  export x:y/$[shapes]$@1.0.0;\n}\n//- /wit/deps/y/y.wit\npackage x:y@1.0.0;\ninterface $[sha$0pes]$ { }\n",
        true,
    );
}

#[test]
fn references_are_empty_for_bad_positions() {
    let fixture = Fixture::new("package a:b;\ninterface i { }\n");
    assert!(find_references(&fixture.host, "/wit/main.wit", TextSize::from(999), true).is_empty());
    assert!(find_references(&fixture.host, "/nope.wit", TextSize::from(0), true).is_empty());
    // On a keyword there is no name.
    assert!(find_references(&fixture.host, "/wit/main.wit", TextSize::from(14), true).is_empty());
}

#[test]
fn highlights_mark_the_declaration_as_write() {
    let fixture = Fixture::new("package a:b;\ninterface i {\n  type $0t = u32;\n  f: func(a: t) -> t;\n}\n");
    let (path, offset) = fixture.cursor();
    let text = fixture.text(path);
    let got: Vec<(String, HighlightKind)> = document_highlights(&fixture.host, path, offset)
        .into_iter()
        .map(|(range, kind)| (format!("{}@{}", &text[range], u32::from(range.start())), kind))
        .collect();
    assert_eq!(
        got,
        vec![
            ("t@34".to_string(), HighlightKind::Write),
            ("t@56".to_string(), HighlightKind::Read),
            ("t@62".to_string(), HighlightKind::Read)
        ]
    );
}

#[test]
fn highlights_stay_in_the_file() {
    let fixture = Fixture::new(
        "//- /wit/a.wit\npackage a:b;\ninterface types { type t = u32; }\n//- /wit/b.wit\npackage a:b;\ninterface api { use types.{$[t]$}; f: func(a: $[$0t]$); }\n",
    );
    let (path, offset) = fixture.cursor();
    let got: Vec<_> = document_highlights(&fixture.host, path, offset).into_iter().map(|(r, _)| r).collect();
    assert_eq!(got, fixture.ranges_in("/wit/b.wit"));
}
