//! Inlay hints.

mod fixture;

use canopy_wit_ide::{TextRange, TextSize, inlay_hints};
use fixture::Fixture;

const SOURCE: &str = "//- /wit/main.wit
package a:b;
interface api {
  use x:y/shapes$[]$.{circle};
  use x:y/shapes@1.0.0.{circle as c};
  use local.{t};
}
interface local { type t = u8; }
world w { import x:y/shapes$[]$; }
//- /wit/deps/y/y.wit
package x:y@1.0.0;
interface shapes { record circle { r: f32 } }
";

#[test]
fn unwritten_versions_of_qualified_paths() {
    let fixture = Fixture::new(SOURCE);
    let text = fixture.text("/wit/main.wit");
    let whole = TextRange::up_to(TextSize::try_from(text.len()).unwrap());
    let got: Vec<(TextSize, String)> =
        inlay_hints(&fixture.host, "/wit/main.wit", whole).into_iter().map(|h| (h.offset, h.label)).collect();
    let expected: Vec<(TextSize, String)> =
        fixture.ranges_in("/wit/main.wit").into_iter().map(|r| (r.start(), "@1.0.0".to_string())).collect();
    assert_eq!(got, expected);
    // A range covering only the world gets only its hint.
    let world = TextSize::try_from(text.find("world").unwrap()).unwrap();
    let tail = TextRange::new(world, TextSize::try_from(text.len()).unwrap());
    assert_eq!(inlay_hints(&fixture.host, "/wit/main.wit", tail).len(), 1);
    assert!(inlay_hints(&fixture.host, "/nope.wit", whole).is_empty());
    assert!(inlay_hints(&fixture.host, "/wit/main.wit", TextRange::empty(TextSize::from(5000))).is_empty());
}

#[test]
fn implicit_self_and_constructor_results() {
    let fixture = Fixture::new(
        "package a:b;\ninterface i {\n  resource file {\n    constructor(p: string)$[]$;\n    read: func($[]$n: u32);\n    close: func($[]$);\n    open: static func(p: string) -> file;\n  }\n  resource other { constructor() -> result<other>; }\n}\n",
    );
    let text = fixture.text("/wit/main.wit");
    let whole = TextRange::up_to(TextSize::try_from(text.len()).unwrap());
    let got: Vec<(TextSize, String)> =
        inlay_hints(&fixture.host, "/wit/main.wit", whole).into_iter().map(|h| (h.offset, h.label)).collect();
    let at: Vec<TextSize> = fixture.ranges_in("/wit/main.wit").into_iter().map(|r| r.start()).collect();
    assert_eq!(
        got,
        vec![
            (at[0], " -> own<file>".to_string()),
            (at[1], "self: borrow<file>, ".to_string()),
            (at[2], "self: borrow<file>".to_string()),
        ]
    );
}
