//! Fuzz target: arbitrary bytes, read as (lossy) UTF-8, through the parser and the whole
//! analysis. Fails on any panic, on a tree that does not give back its text, and on a
//! diagnostic whose range is outside its file's text or not on `char` boundaries.

#![no_main]

mod small_stack;

use canopy_wit_analysis::loader::Layout;
use canopy_wit_analysis::{AnalysisHost, Features};
use canopy_wit_syntax::TextRange;
use libfuzzer_sys::fuzz_target;

const PATH: &str = "fuzz/input.wit";

fn assert_in(text: &str, range: TextRange, what: &str) {
    let (start, end) = (usize::from(range.start()), usize::from(range.end()));
    assert!(end <= text.len(), "{what}: {range:?} ends past the text ({} bytes)", text.len());
    assert!(text.is_char_boundary(start) && text.is_char_boundary(end), "{what}: {range:?} splits a character");
}

fuzz_target!(|data: &[u8]| small_stack::run(|| body(data)));

/// The target's check of one input (run on a small stack).
fn body(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text: &str = &text;

    let parse = canopy_wit_syntax::parse(text);
    assert_eq!(parse.syntax().to_string(), text, "the syntax tree is not lossless");
    for error in parse.errors() {
        assert_in(text, error.range, &error.message);
    }

    let mut host = AnalysisHost::new();
    host.set_layout(Layout::single_package(vec![(PATH.to_string(), text.to_string())]), Features::default());
    let diagnostics = host.diagnostics();
    let _model = host.model();
    for d in &diagnostics {
        assert_eq!(&*d.path, PATH, "a diagnostic names a file not in the layout");
        assert_in(text, d.range, &d.message);
        for related in &d.related {
            assert_eq!(&*related.path, PATH, "a related place names a file not in the layout");
            assert_in(text, related.range, &related.message);
        }
    }
}
