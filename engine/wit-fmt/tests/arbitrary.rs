//! Arbitrary input never makes the formatter panic: it either refuses (syntax errors) or
//! produces text that parses, formats to itself and keeps the comments and significant tokens.

mod common;

use canopy_wit_fmt::{FormatError, FormatOptions, format, format_range};
use canopy_wit_syntax::{TextRange, TextSize, parse};
use proptest::prelude::*;

/// Pieces of WIT, glued at random: mostly valid fragments, so that some results parse.
fn fragments() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("package a:b@1.0.0;".to_string()),
        Just("interface i {".to_string()),
        Just("world w {".to_string()),
        Just("}".to_string()),
        Just("f: func(a: u32, b: list<u8>) -> result<_, string>;".to_string()),
        Just("record r { a: u32, b: tuple<u8, s8> }".to_string()),
        Just("enum e { x, y, }".to_string()),
        Just("@since(version = 1.0.0)".to_string()),
        Just("use x.{a, b as c};".to_string()),
        Just("import y;".to_string()),
        Just("include z with { a as b }".to_string()),
        Just("// line\n".to_string()),
        Just("/* block */".to_string()),
        Just("/// doc\n".to_string()),
        Just("\n\n".to_string()),
        Just(",".to_string()),
        "[ \t\n]{0,3}",
        "[a-z<>(){}:;,.@/=-]{1,4}",
    ];
    proptest::collection::vec(piece, 0..24).prop_map(|pieces| pieces.join(" "))
}

/// Trivia put wherever the valid files below have a space.
fn trivia() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just(" "),
        Just("\n"),
        Just("\n\n\n"),
        Just(" /* c */ "),
        Just("/*c*/"),
        Just(" // l\n"),
        Just("\n/// d\n"),
        Just("\n/** d\n  more */\n"),
    ]
}

/// Valid files (interfaces and worlds with every kind of item) with random trivia between tokens.
fn valid_files() -> impl Strategy<Value = String> {
    let interface_item = prop_oneof![
        Just("f : func ( a : u32 , b : list<u8> ) -> result<_, string> ;"),
        Just("g : async func ( ) ;"),
        Just("record r { a : u32 , b : tuple< u8 , s8 > , }"),
        Just("variant v { x ( u32 ) , y }"),
        Just("enum e { x , y }"),
        Just("flags fl { x , y , }"),
        Just("type t = option< borrow< r > > ;"),
        Just("resource r { constructor ( a : u32 ) ; m : static func ( ) -> own< r > ; }"),
        Just("use x . { a , b as c , } ;"),
        Just("@since( version = 1.0.0 ) h : func ( ) ;"),
    ];
    let world_item = prop_oneof![
        Just("import y ;"),
        Just("export z : func ( a : u32 ) ;"),
        Just("include w2 with { a as b , }"),
        Just("import i2 : interface { f : func ( ) ; }"),
    ];
    let interface = proptest::collection::vec(interface_item, 0..5)
        .prop_map(|items| format!("interface i {{ {} }}", items.join(" ")));
    let world =
        proptest::collection::vec(world_item, 0..4).prop_map(|items| format!("world w {{ {} }}", items.join(" ")));
    (proptest::collection::vec(prop_oneof![interface, world], 0..4), proptest::collection::vec(trivia(), 64)).prop_map(
        |(items, trivia)| {
            let text = format!("package a:b ; {}", items.join(" "));
            let mut trivia = trivia.into_iter().cycle();
            text.split(' ').collect::<Vec<_>>().join(trivia.next().unwrap_or(" "))
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn formatting_arbitrary_text_is_safe_and_stable(text in fragments()) {
        let options = FormatOptions::default();
        let errors = parse(&text).errors().len();
        match format(&text, &options) {
            Err(FormatError::SyntaxErrors(count)) => prop_assert_eq!(count, errors),
            Ok(formatted) => {
                prop_assert_eq!(errors, 0);
                prop_assert!(parse(&formatted).errors().is_empty(), "output does not parse:\n{}", formatted);
                prop_assert_eq!(format(&formatted, &options).unwrap(), formatted.clone());
                prop_assert_eq!(common::comments(&text), common::comments(&formatted));
                prop_assert_eq!(common::significant(&text), common::significant(&formatted));
            }
        }
        let end = TextSize::of(&text);
        let middle = TextSize::new(u32::from(end) / 2);
        let result = format_range(&text, TextRange::new(middle, end), &options);
        prop_assert_eq!(result.is_ok(), errors == 0);
    }

    #[test]
    fn valid_files_with_any_trivia_format_stably(text in valid_files()) {
        prop_assert!(parse(&text).errors().is_empty(), "the generator made invalid WIT:\n{}", text);
        let options = FormatOptions::default();
        let formatted = format(&text, &options).unwrap();
        prop_assert_eq!(format(&formatted, &options).unwrap(), formatted.clone());
        prop_assert_eq!(common::comments(&text), common::comments(&formatted));
        prop_assert_eq!(common::significant(&text), common::significant(&formatted));
        let edits = format_range(&text, TextRange::up_to(TextSize::of(&text)), &options).unwrap();
        let mut edited = text.clone();
        for edit in edits.iter().rev() {
            edited.replace_range(usize::from(edit.range.start())..usize::from(edit.range.end()), &edit.new_text);
        }
        prop_assert_eq!(edited, formatted);
    }
}
