//! Folding ranges and selection ranges.

mod fixture;

use canopy_wit_ide::{FoldingKind, TextSize, folding_ranges, selection_ranges};
use fixture::Fixture;

#[test]
fn blocks_comments_and_use_runs_fold() {
    let fixture = Fixture::new(
        "package a:b;\n\n// one\n// two\ninterface i {\n  use x.{a};\n  use x.{b};\n  record r {\n    f: u32,\n  }\n  g: func(\n    a: u32,\n  );\n  enum e { a }\n}\n\n/* single */\n/*\n multi\n*/\n",
    );
    let text = fixture.text("/wit/main.wit");
    let got: Vec<(String, FoldingKind)> = folding_ranges(&fixture.host, "/wit/main.wit")
        .into_iter()
        .map(|(range, kind)| {
            (
                text[range].lines().next().unwrap_or_default().to_string()
                    + "…"
                    + text[range].lines().last().unwrap_or_default(),
                kind,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("// one…// two".to_string(), FoldingKind::Comment),
            ("{…}".to_string(), FoldingKind::Region),
            ("use x.{a};…  use x.{b};".to_string(), FoldingKind::Imports),
            ("{…  }".to_string(), FoldingKind::Region),
            ("(…  )".to_string(), FoldingKind::Region),
            ("/*…*/".to_string(), FoldingKind::Comment),
        ]
    );
    assert!(folding_ranges(&fixture.host, "/nope.wit").is_empty());
}

#[test]
fn selection_grows_from_the_name_outwards() {
    let fixture = Fixture::new("package a:b;\ninterface i {\n  record r { f$0ield: list<u32> }\n}\n");
    let (path, offset) = fixture.cursor();
    let text = fixture.text(path);
    let got: Vec<&str> = selection_ranges(&fixture.host, path, offset).into_iter().map(|r| &text[r]).collect();
    assert_eq!(
        got,
        vec![
            "field",
            "field: list<u32>",
            "record r { field: list<u32> }",
            "{\n  record r { field: list<u32> }\n}",
            "interface i {\n  record r { field: list<u32> }\n}",
            "package a:b;\ninterface i {\n  record r { field: list<u32> }\n}",
            text,
        ]
    );
    assert!(selection_ranges(&fixture.host, path, TextSize::from(9_999)).is_empty());
    assert!(selection_ranges(&fixture.host, "/nope.wit", TextSize::from(0)).is_empty());
}
