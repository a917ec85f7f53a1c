//! Range formatting: `format_range` returns minimal, sorted, non-overlapping edits that touch
//! only the items overlapping the range, and that reproduce `format` when the range is the
//! whole file.

use canopy_wit_fmt::{FormatError, FormatOptions, TextEdit, format, format_range};
use canopy_wit_syntax::{TextRange, TextSize};

fn apply(text: &str, edits: &[TextEdit]) -> String {
    let mut out = text.to_string();
    for edit in edits.iter().rev() {
        out.replace_range(usize::from(edit.range.start())..usize::from(edit.range.end()), &edit.new_text);
    }
    out
}

fn range_of(text: &str, needle: &str) -> TextRange {
    let start = text.find(needle).unwrap_or_else(|| panic!("`{needle}` not in the text"));
    TextRange::at(TextSize::new(start as u32), TextSize::of(needle))
}

fn assert_sorted_and_disjoint(edits: &[TextEdit]) {
    for pair in edits.windows(2) {
        assert!(pair[0].range.end() <= pair[1].range.start(), "edits overlap or are unsorted: {pair:?}");
    }
}

const MESSY: &str = "package a:b;\ninterface i {\n  f:func( a:u32 )->u32;\n  g : func();\n  record r { a: u32 }\n}\n";

#[test]
fn whole_file_range_reproduces_format() {
    let options = FormatOptions::default();
    let edits = format_range(MESSY, TextRange::up_to(TextSize::of(MESSY)), &options).unwrap();
    assert_sorted_and_disjoint(&edits);
    assert_eq!(apply(MESSY, &edits), format(MESSY, &options).unwrap());
}

#[test]
fn a_range_inside_one_item_formats_only_that_item() {
    let options = FormatOptions::default();
    let edits = format_range(MESSY, range_of(MESSY, "a:u32"), &options).unwrap();
    assert_sorted_and_disjoint(&edits);
    let result = apply(MESSY, &edits);
    assert_eq!(
        result,
        "package a:b;\ninterface i {\n    f: func(a: u32) -> u32;\n  g : func();\n  record r { a: u32 }\n}\n"
    );
}

#[test]
fn a_range_spanning_items_formats_each_of_them() {
    let options = FormatOptions::default();
    let start = range_of(MESSY, "g :").start();
    let end = range_of(MESSY, "a: u32 }").end();
    let edits = format_range(MESSY, TextRange::new(start, end), &options).unwrap();
    let result = apply(MESSY, &edits);
    assert_eq!(
        result,
        "package a:b;\ninterface i {\n  f:func( a:u32 )->u32;\n    g: func();\n    record r {\n        a: u32,\n    }\n}\n"
    );
}

#[test]
fn edits_are_minimal() {
    let options = FormatOptions::default();
    let text = "interface i {\n    f: func();\n      g: func();\n}\n";
    let edits = format_range(text, TextRange::up_to(TextSize::of(text)), &options).unwrap();
    // Only the two extra spaces of `g`'s indentation go.
    assert_eq!(edits.len(), 1, "{edits:?}");
    assert_eq!(edits[0].range.len(), TextSize::new(2));
    assert_eq!(edits[0].new_text, "");
}

#[test]
fn added_and_dropped_commas_are_edits() {
    let options = FormatOptions::default();
    let text = "interface i {\n    record r {\n        a: u32\n    }\n    f: func(a: u32,);\n}\n";
    let edits = format_range(text, TextRange::up_to(TextSize::of(text)), &options).unwrap();
    assert_eq!(edits.len(), 2, "{edits:?}");
    assert_eq!(edits[0].new_text, ",");
    assert!(edits[0].range.is_empty());
    assert_eq!(edits[1].new_text, "");
    assert_eq!(&text[usize::from(edits[1].range.start())..usize::from(edits[1].range.end())], ",");
    assert_eq!(apply(text, &edits), format(text, &options).unwrap());
}

#[test]
fn formatted_text_needs_no_edits() {
    let options = FormatOptions::default();
    let formatted = format(MESSY, &options).unwrap();
    let edits = format_range(&formatted, TextRange::up_to(TextSize::of(&formatted)), &options).unwrap();
    assert!(edits.is_empty(), "{edits:?}");
}

#[test]
fn a_cursor_in_the_blank_lines_before_an_item_formats_that_item() {
    let options = FormatOptions::default();
    let text = "interface i {\n  f: func();\n\n\n\n  g: func();\n}\n";
    let position = TextSize::new(text.find("\n\n\n").unwrap() as u32 + 2);
    let edits = format_range(text, TextRange::empty(position), &options).unwrap();
    // The blank lines collapse and `g` is reindented; `f` and the braces stay untouched.
    assert_eq!(apply(text, &edits), "interface i {\n  f: func();\n\n    g: func();\n}\n");
}

#[test]
fn syntax_errors_are_refused() {
    let options = FormatOptions::default();
    let text = "interface i { f: func(; }";
    assert_eq!(format_range(text, TextRange::up_to(TextSize::of(text)), &options), Err(FormatError::SyntaxErrors(1)));
}

#[test]
fn ranges_past_the_end_do_not_panic() {
    let options = FormatOptions::default();
    let range = TextRange::new(TextSize::new(5), TextSize::new(10_000));
    let edits = format_range(MESSY, range, &options).unwrap();
    assert_sorted_and_disjoint(&edits);
    assert_eq!(apply(MESSY, &edits), format(MESSY, &options).unwrap());
    let beyond = TextRange::new(TextSize::new(9_000), TextSize::new(10_000));
    assert!(format_range(MESSY, beyond, &options).unwrap().is_empty());
}

#[test]
fn reindented_block_comments_are_edited_too() {
    let options = FormatOptions::default();
    let text = "interface i {\n  /* two\n     lines */\n  f: func();\n}\n";
    let edits = format_range(text, TextRange::up_to(TextSize::of(text)), &options).unwrap();
    assert_sorted_and_disjoint(&edits);
    assert_eq!(apply(text, &edits), "interface i {\n    /* two\n       lines */\n    f: func();\n}\n");
}
