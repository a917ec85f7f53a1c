//! Semantic tokens.

mod fixture;

use canopy_wit_ide::{SemanticToken, TextRange, TextSize, modifiers, semantic_tokens};
use fixture::Fixture;

/// Renders tokens as `text:Kind[+mods]`, checking order, overlap and single-line-ness.
fn render(fixture: &Fixture, path: &str, tokens: &[SemanticToken]) -> Vec<String> {
    for pair in tokens.windows(2) {
        assert!(pair[0].range.end() <= pair[1].range.start(), "overlap or disorder: {pair:?}");
    }
    tokens
        .iter()
        .map(|t| {
            let text = fixture.slice(path, t.range);
            assert!(!text.contains('\n'), "multi-line token {t:?}");
            let mut mods = String::new();
            for (bit, name) in [
                (modifiers::DECLARATION, "decl"),
                (modifiers::DEPRECATED, "deprecated"),
                (modifiers::DEFAULT_LIBRARY, "lib"),
                (modifiers::DOCUMENTATION, "doc"),
            ] {
                if t.modifiers & bit != 0 {
                    mods.push('+');
                    mods.push_str(name);
                }
            }
            format!("{text}:{:?}{mods}", t.kind)
        })
        .collect()
}

const SOURCE: &str = "package a:b@1.0.0;
/* two
   lines */
interface types {
  /// Docs.
  @since(version = 1.0.0)
  record point { x: u32 }
  @since(version = 1.0.0)
  @deprecated(version = 1.0.0)
  enum color { red }
  resource file { read: func(n: u32) -> list<u8>; }
  get: func(p: point, c: color) -> option<own<file>>;
}
";

#[test]
fn every_token_is_classified() {
    let fixture = Fixture::new(SOURCE);
    let tokens = semantic_tokens(&fixture.host, "/wit/main.wit", None);
    let got = render(&fixture, "/wit/main.wit", &tokens);
    let expected = [
        "package:Keyword",
        "a:Namespace",
        "b:Namespace",
        "1:Number",
        ".:Number",
        "0:Number",
        ".:Number",
        "0:Number",
        "/* two:Comment",
        "   lines */:Comment",
        "interface:Keyword",
        "types:Interface+decl",
        "/// Docs.:DocComment+doc",
        "@:Decorator",
        "since:Decorator",
        "version:Parameter",
        "=:Operator",
        "1:Number",
        ".:Number",
        "0:Number",
        ".:Number",
        "0:Number",
        "record:Keyword",
        "point:Struct+decl",
        "x:Field+decl",
        "u32:Type+lib",
        "@:Decorator",
        "since:Decorator",
        "version:Parameter",
        "=:Operator",
        "1:Number",
        ".:Number",
        "0:Number",
        ".:Number",
        "0:Number",
        "@:Decorator",
        "deprecated:Decorator",
        "version:Parameter",
        "=:Operator",
        "1:Number",
        ".:Number",
        "0:Number",
        ".:Number",
        "0:Number",
        "enum:Keyword",
        "color:Enum+decl+deprecated",
        "red:EnumMember+decl",
        "resource:Keyword",
        "file:Resource+decl",
        "read:Method+decl",
        "func:Keyword",
        "n:Parameter+decl",
        "u32:Type+lib",
        "->:Operator",
        "list:TypeParameter+lib",
        "u8:Type+lib",
        "get:Function+decl",
        "func:Keyword",
        "p:Parameter+decl",
        "point:Struct",
        "c:Parameter+decl",
        "color:Enum+deprecated",
        "->:Operator",
        "option:TypeParameter+lib",
        "own:TypeParameter+lib",
        "file:Resource",
    ];
    assert_eq!(got, expected);
}

#[test]
fn references_through_use_take_the_original_kind() {
    let fixture = Fixture::new(
        "package a:b;\ninterface types { resource file; }\ninterface api { use types.{file as f}; open: func() -> f; }\n",
    );
    let tokens = semantic_tokens(&fixture.host, "/wit/main.wit", None);
    let got = render(&fixture, "/wit/main.wit", &tokens);
    let tail: Vec<&str> = got.iter().map(String::as_str).skip_while(|t| *t != "api:Interface+decl").collect();
    assert_eq!(
        tail,
        [
            "api:Interface+decl",
            "use:Keyword",
            "types:Interface",
            "file:Resource",
            "as:Keyword",
            "f:Resource+decl",
            "open:Function+decl",
            "func:Keyword",
            "->:Operator",
            "f:Resource"
        ]
    );
}

#[test]
fn a_range_selects_the_tokens_inside_it() {
    let fixture = Fixture::new(SOURCE);
    let start = TextSize::try_from(SOURCE.find("record").unwrap()).unwrap();
    // Ends inside `u32`: tokens touching the range are included.
    let range = TextRange::at(start, TextSize::from(20));
    let tokens = semantic_tokens(&fixture.host, "/wit/main.wit", Some(range));
    assert_eq!(
        render(&fixture, "/wit/main.wit", &tokens),
        ["record:Keyword", "point:Struct+decl", "x:Field+decl", "u32:Type+lib"]
    );
    let past = TextRange::at(TextSize::from(10_000), TextSize::from(3));
    assert!(semantic_tokens(&fixture.host, "/wit/main.wit", Some(past)).is_empty());
    assert!(semantic_tokens(&fixture.host, "/nope.wit", None).is_empty());
}
