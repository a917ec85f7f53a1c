//! Go to definition, declaration and type definition.

mod fixture;

use canopy_wit_ide::{FileRange, NavigationTarget, TextSize, goto_declaration, goto_definition, goto_type_definition};
use fixture::{Fixture, describe};

type Goto = fn(&canopy_wit_ide::AnalysisHost, &str, TextSize) -> Vec<NavigationTarget>;

/// Asserts that `goto` at the cursor lands exactly on the marked ranges.
fn check(goto: Goto, src: &str) {
    let fixture = Fixture::new(src);
    let (path, offset) = fixture.cursor();
    let got: Vec<FileRange> = goto(&fixture.host, path, offset)
        .into_iter()
        .map(|t| FileRange { path: t.path, range: t.focus_range })
        .collect();
    assert_eq!(describe(&fixture, &got), describe(&fixture, &fixture.ranges));
}

#[test]
fn definition_of_a_type_in_the_same_interface() {
    check(goto_definition, "package a:b;\ninterface i {\n  record $[point]$ { x: u32 }\n  f: func(p: poi$0nt);\n}\n");
}

#[test]
fn definition_through_use_lands_on_the_original() {
    check(
        goto_definition,
        "//- /wit/a.wit\npackage a:b;\ninterface types { type $[handle]$ = u32; }\n//- /wit/b.wit\npackage a:b;\ninterface api {\n  use types.{handle};\n  f: func(h: han$0dle);\n}\n",
    );
}

#[test]
fn definition_through_a_renaming_use() {
    check(
        goto_definition,
        "package a:b;\ninterface types { type $[handle]$ = u32; }\ninterface api {\n  use types.{handle as h};\n  f: func(x: $0h);\n}\n",
    );
}

#[test]
fn definition_of_an_interface_path() {
    check(goto_definition, "package a:b;\ninterface $[types]$ { type t = u32; }\nworld w { import ty$0pes; }\n");
}

#[test]
fn definition_across_packages_lands_in_deps() {
    check(
        goto_definition,
        "//- /wit/main.wit\npackage a:b;\ninterface api { use x:y/shapes@1.0.0.{cir$0cle}; }\n//- /wit/deps/y/y.wit\npackage x:y@1.0.0;\ninterface shapes { record $[circle]$ { r: f32 } }\n",
    );
}

#[test]
fn definition_of_a_package_name_in_a_path() {
    check(
        goto_definition,
        "//- /wit/main.wit\npackage a:b;\ninterface api { use x:$0y/shapes.{circle}; }\n//- /wit/deps/y/y.wit\npackage $[x:y]$;\ninterface shapes { record circle { r: f32 } }\n",
    );
}

#[test]
fn declaration_of_a_used_name_is_the_use_statement() {
    check(
        goto_declaration,
        "package a:b;\ninterface types { type handle = u32; }\ninterface api {\n  use types.{$[handle]$};\n  f: func(h: han$0dle);\n}\n",
    );
}

#[test]
fn declaration_of_a_local_type_is_its_definition() {
    check(goto_declaration, "package a:b;\ninterface i {\n  enum $[color]$ { red }\n  f: func() -> col$0or;\n}\n");
}

#[test]
fn type_definition_of_a_parameter_follows_aliases() {
    check(
        goto_type_definition,
        "package a:b;\ninterface i {\n  record $[point]$ { x: u32 }\n  type p2 = point;\n  f: func(p$0t: p2);\n}\n",
    );
}

#[test]
fn type_definition_of_a_field_lists_every_named_type() {
    check(
        goto_type_definition,
        "package a:b;\ninterface i {\n  enum $[e]$ { a }\n  flags $[g]$ { b }\n  record r { f$0ield: result<e, g> }\n}\n",
    );
}

#[test]
fn type_definition_of_a_used_alias_reaches_the_original() {
    check(
        goto_type_definition,
        "package a:b;\ninterface types { resource $[file]$; type fd = file; }\ninterface api {\n  use types.{fd};\n  open: func() -> f$0d;\n}\n",
    );
}

#[test]
fn type_definition_of_a_function_is_its_result() {
    check(
        goto_type_definition,
        "package a:b;\ninterface i {\n  record $[out]$ { x: u32 }\n  g$0et: func(a: u32) -> out;\n}\n",
    );
}

#[test]
fn nothing_for_unknown_files_offsets_and_unresolved_names() {
    let fixture = Fixture::new("package a:b;\ninterface i { f: func(p: missing); }\n");
    let end = TextSize::try_from(fixture.text("/wit/main.wit").len()).unwrap();
    assert!(goto_definition(&fixture.host, "/nope.wit", TextSize::from(0)).is_empty());
    assert!(goto_definition(&fixture.host, "/wit/main.wit", end + TextSize::from(10)).is_empty());
    assert!(goto_declaration(&fixture.host, "/wit/main.wit", end + TextSize::from(1)).is_empty());
    assert!(goto_type_definition(&fixture.host, "/wit/main.wit", end + TextSize::from(1)).is_empty());
    // `missing` does not resolve.
    let at = TextSize::try_from(fixture.text("/wit/main.wit").find("missing").unwrap()).unwrap();
    assert!(goto_definition(&fixture.host, "/wit/main.wit", at).is_empty());
}

/// The fixture parser itself (shared by every test file).
#[test]
fn fixture_markers_are_stripped_and_recorded() {
    let fixture = Fixture::new(
        "//- /wit/a.wit\npackage a:b;\ninterface $[i]$ { f: func($0x: u32); }\n//- /wit/deps/c/c.wit\npackage a:c;\n",
    );
    assert_eq!(fixture.text("/wit/a.wit"), "package a:b;\ninterface i { f: func(x: u32); }\n");
    assert_eq!(fixture.cursor(), ("/wit/a.wit", TextSize::from(35)));
    assert_eq!(describe(&fixture, &fixture.ranges), vec![r#"/wit/a.wit:23..24 "i""#]);
    assert_eq!(fixture.host.diagnostics(), vec![]);
}
