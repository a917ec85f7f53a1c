//! Document symbols (outline) and workspace symbols (search).

mod fixture;

use canopy_wit_ide::{DocumentSymbol, SymbolKind, document_symbols, workspace_symbols};
use fixture::Fixture;

/// Renders an outline one symbol a line, children indented, with `[detail]` when present.
/// Also checks that each focus range is inside its full range, and the full range inside the
/// parent's.
fn outline(fixture: &Fixture, path: &str, symbols: &[DocumentSymbol], depth: usize, out: &mut String) {
    for symbol in symbols {
        assert!(symbol.full_range.contains_range(symbol.focus_range), "{symbol:?}");
        for child in &symbol.children {
            assert!(symbol.full_range.contains_range(child.full_range), "{child:?} outside {symbol:?}");
        }
        let focus = fixture.slice(path, symbol.focus_range);
        let detail = symbol.detail.as_ref().map(|d| format!(" [{d}]")).unwrap_or_default();
        out.push_str(&format!("{}{:?} {}{detail}\n", "  ".repeat(depth), symbol.kind, focus));
        outline(fixture, path, &symbol.children, depth + 1, out);
    }
}

const SOURCE: &str = "package a:b@1.0.0;

/// Types.
interface types {
  use other.{thing};
  type size = u64;
  record point { x: u32, y: list<u8> }
  variant shape { circle(f32), none }
  enum color { red, green }
  flags perms { read, write }
  resource file {
    constructor(path: string);
    read: func(n: u32) -> list<u8>;
    open: static func(p: string) -> file;
  }
  get: async func(a: u32) -> result<point, string>;
}

interface other { type thing = u8; }

world w {
  import types;
  export run: func();
  import log: interface { write: func(msg: string); }
}
";

#[test]
fn outline_of_a_file() {
    let fixture = Fixture::new(SOURCE);
    let mut out = String::new();
    outline(&fixture, "/wit/main.wit", &document_symbols(&fixture.host, "/wit/main.wit"), 0, &mut out);
    assert_eq!(
        out,
        "Package a:b@1.0.0
  Interface types
    TypeAlias size [= u64]
    Record point
      Field x [u32]
      Field y [list<u8>]
    Variant shape
      Case circle [f32]
      Case none
    Enum color
      Case red
      Case green
    Flags perms
      Case read
      Case write
    Resource file
      Constructor constructor [(path: string)]
      Method read [func(n: u32) -> list<u8>]
      Method open [static func(p: string) -> file]
    Function get [async func(a: u32) -> result<point, string>]
  Interface other
    TypeAlias thing [= u8]
  World w
    Import types
    Export run [func()]
    Import log [interface]
      Function write [func(msg: string)]
"
    );
}

#[test]
fn nested_packages_are_their_own_roots() {
    let fixture = Fixture::new("package a:b;\ninterface i { }\npackage c:d {\n  interface j { f: func(); }\n}\n");
    let symbols = document_symbols(&fixture.host, "/wit/main.wit");
    let mut out = String::new();
    outline(&fixture, "/wit/main.wit", &symbols, 0, &mut out);
    assert_eq!(out, "Package a:b\n  Interface i\n  Package c:d\n    Interface j\n      Function f [func()]\n");
}

#[test]
fn workspace_symbols_rank_exact_prefix_substring_then_scattered() {
    let fixture = Fixture::new(
        "//- /wit/a.wit\npackage a:b;\ninterface types { type point = u32; record point-set { p: point } get-point: func(); }\n//- /wit/b.wit\npackage a:b;\nworld pointer { }\ninterface pint { }\n",
    );
    let got: Vec<(String, Option<String>, SymbolKind, String)> = workspace_symbols(&fixture.host, "point")
        .into_iter()
        .map(|s| (s.name, s.container, s.kind, s.path.to_string()))
        .collect();
    let row = |name: &str, container: &str, kind, path: &str| {
        (name.to_string(), Some(container.to_string()), kind, path.to_string())
    };
    assert_eq!(
        got,
        vec![
            row("point", "a:b/types", SymbolKind::TypeAlias, "/wit/a.wit"),
            row("pointer", "a:b", SymbolKind::World, "/wit/b.wit"),
            row("point-set", "a:b/types", SymbolKind::Record, "/wit/a.wit"),
            row("get-point", "a:b/types", SymbolKind::Function, "/wit/a.wit"),
        ]
    );
    let scattered: Vec<String> = workspace_symbols(&fixture.host, "gpt").into_iter().map(|s| s.name).collect();
    assert_eq!(scattered, vec!["get-point"]);
    assert!(workspace_symbols(&fixture.host, "zzz").is_empty());
}

#[test]
fn unknown_files_have_no_symbols() {
    let fixture = Fixture::new("package a:b;\n");
    assert!(document_symbols(&fixture.host, "/nope.wit").is_empty());
}
