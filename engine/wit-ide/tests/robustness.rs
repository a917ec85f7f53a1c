//! Every feature at every offset of broken text (and past its end) answers within the text.

mod fixture;

use canopy_wit_ide::*;
use fixture::Fixture;

const BROKEN: &str = "//- /wit/a.wit
package a:b@1.0.0;
// héllo ✓ comment
interface i {
  use missing.{x};
  use other.{t as u, t};
  record r { a: u32, b: list<
  f: func(p: r) ->
  resource res { constructor(; m: func(); }
}
world w { import i; export %type: func(); include nope with { a as b }; @since(
//- /wit/b.wit
package a:b@1.0.0;
interface other { type t = u8; }
";

#[test]
fn every_answer_stays_inside_the_text() {
    let fixture = Fixture::new(BROKEN);
    let host = &fixture.host;
    for (path, text) in &fixture.files {
        let len = TextSize::try_from(text.len()).unwrap();
        let inside = |range: TextRange| range.end() <= len;
        let whole = TextRange::up_to(len);
        for offset in 0..=u32::from(len) + 3 {
            let offset = TextSize::from(offset);
            if let Some(hover) = hover(host, path, offset) {
                assert!(inside(hover.range) && !hover.markdown.is_empty());
            }
            for target in goto_definition(host, path, offset)
                .into_iter()
                .chain(goto_declaration(host, path, offset))
                .chain(goto_type_definition(host, path, offset))
            {
                assert!(target.full_range.contains_range(target.focus_range), "{target:?}");
            }
            for reference in find_references(host, path, offset, true) {
                let other = fixture.text(&reference.path);
                assert!(usize::from(reference.range.end()) <= other.len());
            }
            for (range, _) in document_highlights(host, path, offset) {
                assert!(inside(range));
            }
            if let Ok(range) = prepare_rename(host, path, offset) {
                assert!(range.contains_inclusive(offset));
                if let Ok(change) = rename(host, path, offset, "renamed") {
                    for (_, edits) in &change.edits {
                        assert!(edits.windows(2).all(|w| w[0].range.end() <= w[1].range.start()));
                    }
                }
            }
            for item in completions(host, path, offset) {
                assert!(!item.label.is_empty());
            }
            let selection = selection_ranges(host, path, offset);
            assert!(selection.windows(2).all(|w| w[1].contains_range(w[0]) && w[1] != w[0]));
            assert!(selection.iter().all(|r| inside(*r)));
            for action in code_actions(host, path, TextRange::empty(offset)) {
                for (_, edits) in &action.edit.edits {
                    assert!(edits.iter().all(|e| inside(e.range)));
                }
            }
        }
        let tokens = semantic_tokens(host, path, None);
        assert!(tokens.windows(2).all(|w| w[0].range.end() <= w[1].range.start()));
        assert!(tokens.iter().all(|t| inside(t.range) && !text[t.range].contains('\n')));
        assert!(folding_ranges(host, path).iter().all(|(r, _)| inside(*r)));
        assert!(inlay_hints(host, path, whole).iter().all(|h| h.offset <= len));
        assert!(!document_symbols(host, path).is_empty());
    }
}
