//! Incremental reparsing must give exactly the tree and errors of a full parse.
//!
//! Edits are drawn deterministically from the shared corpora: single-character insertions,
//! deletions and replacements at random places (biased towards comments and names, where the
//! single-token path applies), each checked against `parse` of the edited text.

use std::path::{Path, PathBuf};

use canopy_wit_syntax::{TextEdit, TextRange, TextSize, parse};

fn wit_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            wit_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "wit") {
            out.push(path);
        }
    }
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Characters an edit inserts: letters, name punctuation, comment and structure characters.
const INSERTS: &[&str] = &["a", "Z", "-", "1", " ", "\n", "/", "*", "{", "}", ";", "é", "😀", "%", "@", "<"];

fn random_edit(rng: &mut Rng, text: &str) -> TextEdit {
    let mut start = rng.below(text.len() + 1);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = start;
    if rng.below(2) == 0 && end < text.len() {
        end += 1;
        while !text.is_char_boundary(end) {
            end += 1;
        }
    }
    let insert =
        if end > start && rng.below(3) == 0 { String::new() } else { INSERTS[rng.below(INSERTS.len())].into() };
    TextEdit { delete: TextRange::new(TextSize::new(start as u32), TextSize::new(end as u32)), insert }
}

#[test]
fn reparse_equals_full_parse_on_corpus_edits() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let mut files = Vec::new();
    wit_files(&root.join("corpora"), &mut files);
    wit_files(&root.join("conformance/wit-parser-ui"), &mut files);
    files.sort();
    assert!(files.len() > 300, "expected the shared corpora at {}", root.display());

    let mut rng = Rng(0x5eed_cafe_f00d_d00d);
    let (mut checked, mut token_path) = (0usize, 0usize);
    for file in &files {
        let mut text = std::fs::read_to_string(file).unwrap();
        let mut current = parse(&text);
        // A chain of edits on the same file, each applied to the previous (reparsed) tree.
        for _ in 0..40 {
            let edit = random_edit(&mut rng, &text);
            let new_text = edit.apply(&text).expect("edit lies on character boundaries");
            let incremental = current.reparse(&edit, &new_text);
            if current.can_reparse_token(&edit, &new_text) {
                token_path += 1;
            }
            let full = parse(&new_text);
            assert_eq!(incremental, full, "{}: reparse after {edit:?} differs from a full parse", file.display());
            checked += 1;
            text = new_text;
            current = incremental;
        }
    }
    println!("reparse: {checked} edits checked, {token_path} took the single-token path");
    assert!(checked > 12_000);
    // Comments and names are a large part of the corpus, so many random edits stay in one token;
    // those are the edits whose equality above exercises the fast path.
    assert!(token_path > 1_000, "only {token_path} of {checked} edits took the single-token path");
}

#[test]
fn typing_in_a_doc_comment_reuses_the_tree() {
    let text = "package a:b;\n\n/// Methods.\ninterface i {\n  f: func();\n}\n";
    let old = parse(text);
    let at = text.find("Methods").unwrap() + 6;
    let edit = TextEdit { delete: TextRange::new((at as u32).into(), (at as u32 + 1).into()), insert: "z".into() };
    let new_text = edit.apply(text).unwrap();
    assert!(old.can_reparse_token(&edit, &new_text));
    let new = old.reparse(&edit, &new_text);
    assert_eq!(new, parse(&new_text));
    assert!(new.syntax().to_string().contains("Methodz."));
}

#[test]
fn edits_that_change_a_token_kind_fall_back_to_a_full_parse() {
    let text = "package a:b;\n// note\ninterface i {}\n";
    let old = parse(text);
    let cases = [
        // `// note` becomes a doc comment `/// note`.
        (text.find("// note").unwrap() + 2, 0, "/"),
        // A newline inside a line comment splits it.
        (text.find("note").unwrap() + 2, 0, "\n"),
        // A name becomes a keyword.
        (text.find(" i ").unwrap() + 1, 1, "record"),
        // A name becomes an invalid identifier (the parser reports it).
        (text.find(" i ").unwrap() + 1, 1, "aB"),
    ];
    for (start, len, insert) in cases {
        let edit =
            TextEdit { delete: TextRange::at((start as u32).into(), (len as u32).into()), insert: insert.to_string() };
        let new_text = edit.apply(text).unwrap();
        assert!(!old.can_reparse_token(&edit, &new_text), "{edit:?} should not take the token path");
        assert_eq!(old.reparse(&edit, &new_text), parse(&new_text));
    }
}

#[test]
fn a_mismatched_new_text_is_parsed_from_scratch() {
    let text = "package a:b;\n";
    let old = parse(text);
    let edit = TextEdit { delete: TextRange::empty(TextSize::new(0)), insert: "x".into() };
    // Not `text` with the edit applied: the reparse must not trust the edit.
    let other = "package c:d;\n// other\n";
    assert_eq!(old.reparse(&edit, other), parse(other));
    // Out-of-range edits never apply.
    let past = TextEdit { delete: TextRange::at(TextSize::new(100), TextSize::new(1)), insert: String::new() };
    assert_eq!(past.apply(text), None);
}
