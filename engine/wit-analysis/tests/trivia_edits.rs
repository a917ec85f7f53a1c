//! Edits through `AnalysisHost::edit_file` agree with analyzing the edited texts from scratch.
//!
//! An edit inside a comment, a doc comment or whitespace keeps the file's item tree and every
//! resolution result, and only moves positions and refreshes docs on the way out (the
//! `positions` module). This test checks that shortcut against the long way round: on real
//! workspaces (wasi-http 0.2 and 0.3) and on every input of wit-parser's UI corpus (accepted and
//! rejected, so that there are diagnostics whose positions must move), it applies a seeded
//! sequence of one-character edits — mostly inside trivia tokens (insertions, deletions,
//! replacements, multi-byte characters, newlines), some inside names, some anywhere, given as
//! edits or as whole new texts — and after each one compares the host's diagnostics, analysis (every location, reference and doc) and
//! model with those of a fresh host given the same texts.

mod support;

use std::path::{Path, PathBuf};

use canopy_wit_analysis::loader::{self, Layout};
use canopy_wit_analysis::{AnalysisHost, Features};
use canopy_wit_syntax::{SyntaxKind, TextEdit, TextRange, TextSize};
use support::rng::Rng;

fn shared_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// Every workspace the test edits: the two wasi-http trees, then each UI corpus input.
fn layouts() -> Vec<(String, Layout)> {
    let mut out = Vec::new();
    for tree in ["corpora/wasi-http-0.2/wit", "corpora/wasi-http-0.3/wit"] {
        let layout = loader::load_path(&shared_dir().join(tree)).expect("a wasi-http corpus");
        out.push((tree.to_string(), layout));
    }
    let ui = shared_dir().join("conformance/wit-parser-ui");
    for dir in [ui.clone(), ui.join("parse-fail")] {
        let mut entries: Vec<PathBuf> =
            std::fs::read_dir(&dir).expect("the UI corpus").filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for path in entries {
            let is_input = path.is_dir() && path.file_name().is_some_and(|n| n != "parse-fail")
                || path.extension().is_some_and(|e| e == "wit");
            if !is_input {
                continue;
            }
            if let Ok(layout) = loader::load_path(&path) {
                out.push((path.display().to_string(), layout));
            }
        }
    }
    out
}

fn host_of(layout: &Layout) -> AnalysisHost {
    let mut host = AnalysisHost::new();
    host.set_layout(layout.clone(), Features::default());
    host
}

/// The layout with the host's current texts.
fn current_layout(layout: &Layout, host: &AnalysisHost) -> Layout {
    let mut layout = layout.clone();
    for group in &mut layout.groups {
        for (path, text) in &mut group.files {
            *text = host.file_text(path).expect("a file of the layout").to_string();
        }
    }
    layout
}

/// A character to put into a token of this kind without (usually) changing its kind.
fn filler(rng: &mut Rng, kind: SyntaxKind) -> &'static str {
    let options: &[&'static str] = match kind {
        SyntaxKind::WHITESPACE => &[" ", "\n", "\t", "  "],
        SyntaxKind::LINE_COMMENT | SyntaxKind::DOC_COMMENT => &["x", " ", "é", "/", "*"],
        SyntaxKind::BLOCK_COMMENT | SyntaxKind::DOC_BLOCK_COMMENT => &["x", "\n", "é", "*", "/"],
        SyntaxKind::IDENT => &["a", "z", "-", "0"],
        _ => &["x", " ", ";", "{", "}"],
    };
    options[rng.below(options.len())]
}

/// A random one-character edit of `text`, inside a trivia token most of the time.
fn random_edit(rng: &mut Rng, text: &str) -> TextEdit {
    let tree = canopy_wit_syntax::parse(text).syntax();
    let tokens: Vec<_> = tree.descendants_with_tokens().filter_map(|e| e.into_token()).collect();
    let trivia: Vec<_> = tokens.iter().filter(|t| t.kind().is_trivia()).collect();
    let idents: Vec<_> = tokens.iter().filter(|t| t.kind() == SyntaxKind::IDENT).collect();
    let token = match rng.below(10) {
        0..=6 if !trivia.is_empty() => *rng.pick(&trivia),
        7 | 8 if !idents.is_empty() => *rng.pick(&idents),
        _ if !tokens.is_empty() => rng.pick(&tokens),
        _ => return TextEdit { delete: TextRange::empty(0.into()), insert: "x".into() },
    };
    let range = token.text_range();
    let boundaries: Vec<TextSize> = token
        .text()
        .char_indices()
        .map(|(i, _)| range.start() + TextSize::new(i as u32))
        .chain(std::iter::once(range.end()))
        .collect();
    let at = *rng.pick(&boundaries);
    let next = boundaries.iter().copied().find(|&b| b > at);
    match (rng.below(3), next) {
        (0, Some(next)) => TextEdit { delete: TextRange::new(at, next), insert: String::new() },
        (1, Some(next)) => TextEdit { delete: TextRange::new(at, next), insert: filler(rng, token.kind()).into() },
        _ => TextEdit { delete: TextRange::empty(at), insert: filler(rng, token.kind()).into() },
    }
}

#[test]
fn edits_agree_with_a_fresh_analysis() {
    let mut rng = Rng::new(0x7471_7669_6121);
    let layouts = layouts();
    assert!(layouts.len() > 200, "expected the whole UI corpus, found {} inputs", layouts.len());
    let (mut edits, mut kept_basis, mut moved_diagnostics) = (0, 0, 0);
    for (name, layout) in &layouts {
        let mut host = host_of(layout);
        host.diagnostics();
        let paths = host.paths();
        let steps = if layout.groups.len() > 2 { 150 } else { 16 };
        for step in 0..steps {
            let path = rng.pick(&paths).clone();
            let text = host.file_text(&path).unwrap();
            let edit = random_edit(&mut rng, &text);
            // Mostly as an editor sends it, sometimes as a whole new text (which the host
            // turns back into an edit).
            if rng.chance(25) {
                let new_text = edit.apply(&text).expect("an edit on character boundaries");
                assert!(host.set_file_text(&path, &new_text), "{name}: {path} refused");
            } else {
                assert!(host.edit_file(&path, &edit), "{name}: edit {edit:?} of {path} refused");
            }
            edits += 1;
            let file = host.file(&path).unwrap();
            if file.basis(host.db()).is_some() {
                kept_basis += 1;
            }

            let fresh = host_of(&current_layout(layout, &host));
            let diagnostics = host.diagnostics();
            let context = || format!("{name}, step {step}: after {edit:?} in {path}");
            assert_eq!(diagnostics, fresh.diagnostics(), "diagnostics differ, {}", context());
            assert_eq!(host.analysis(), fresh.analysis(), "analyses differ, {}", context());
            assert_eq!(host.model(), fresh.model(), "models differ, {}", context());
            if !file.shifts(host.db()).is_empty() && diagnostics.iter().any(|d| *d.path == *path) {
                moved_diagnostics += 1;
            }
        }
    }
    println!(
        "{} workspaces, {edits} edits; {kept_basis} kept an older item tree, \
         {moved_diagnostics} of them with diagnostics in the moved file",
        layouts.len()
    );
    assert!(kept_basis * 3 > edits, "too few edits took the trivia path: {kept_basis} of {edits}");
    assert!(moved_diagnostics > 100, "too few edits moved diagnostics: {moved_diagnostics}");
}
