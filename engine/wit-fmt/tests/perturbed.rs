//! Perturbation tests over every corpus file:
//! - layout independence: with comments removed, replacing every run of whitespace by one
//!   space, one line break or a CRLF and a tab changes nothing in the output but the blank
//!   lines the author had left;
//! - comment robustness: a block comment, or a line comment, inserted at every place where
//!   whitespace separates two tokens, is kept, and the output is idempotent and means the same.

mod common;

use common::{cases, comments, is_comment, significant};

use canopy_wit_fmt::{FormatOptions, format};
use canopy_wit_syntax::SyntaxKind::WHITESPACE;
use canopy_wit_syntax::{Token, parse, tokenize};

/// `(path, text)` of every `.wit` file of the corpus.
fn corpus_files() -> Vec<(String, String)> {
    let mut files = Vec::new();
    for case in cases() {
        let layout = canopy_wit_analysis::loader::load_path(&case.path).expect("corpus loads");
        for group in layout.groups {
            files.extend(group.files.into_iter().filter(|(path, _)| path.ends_with(".wit")));
        }
    }
    files
}

/// Rebuilds `text` token by token: `separator(kind_before, whitespace)` decides what replaces
/// each whitespace run and `comment` what replaces each comment.
fn rewrite(text: &str, whitespace: impl Fn(&str) -> String, comment: impl Fn(&str) -> String) -> String {
    let (tokens, _) = tokenize(text);
    let mut out = String::new();
    let mut offset = 0;
    for Token { kind, len } in tokens {
        let piece = &text[offset..offset + usize::from(len)];
        offset += usize::from(len);
        if kind == WHITESPACE {
            out.push_str(&whitespace(piece));
        } else if is_comment(kind) {
            out.push_str(&comment(piece));
        } else {
            out.push_str(piece);
        }
    }
    out
}

#[test]
fn output_does_not_depend_on_the_original_layout() {
    let options = FormatOptions::default();
    let mut checked = 0;
    for (path, text) in corpus_files() {
        // A removed comment becomes a space (it separated its neighbours) or a line break.
        let uncommented =
            rewrite(&text, str::to_string, |c| if c.starts_with("//") { "\n".into() } else { " ".into() });
        let expected = format(&uncommented, &options).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut without_blank_lines = expected.clone();
        while without_blank_lines.contains("\n\n") {
            without_blank_lines = without_blank_lines.replace("\n\n", "\n");
        }
        for replacement in [" ", "\n", "\r\n\t  "] {
            let squeezed = rewrite(&uncommented, |_| replacement.to_string(), str::to_string);
            let actual = format(&squeezed, &options).unwrap_or_else(|e| panic!("{path} squeezed: {e}"));
            assert_eq!(actual, without_blank_lines, "{path}: whitespace as {replacement:?} changed the output");
            checked += 1;
        }
    }
    println!("wit-fmt layout independence: {checked} variants");
    assert!(checked >= 450, "only {checked} variants");
}

#[test]
fn comments_inserted_anywhere_are_kept() {
    let options = FormatOptions::default();
    let mut checked = 0;
    for (path, text) in corpus_files() {
        for inserted in ["/* c */", "// c\n"] {
            let variant = rewrite(&text, |ws| format!(" {inserted}{ws}"), str::to_string);
            assert!(parse(&variant).errors().is_empty(), "{path}: the variant does not parse");
            let formatted = format(&variant, &options).unwrap_or_else(|e| panic!("{path}: {e}"));
            let again = format(&formatted, &options).unwrap();
            assert_eq!(again, formatted, "{path} with `{inserted}`: not idempotent");
            assert_eq!(comments(&variant), comments(&formatted), "{path} with `{inserted}`: comments changed");
            assert_eq!(significant(&variant), significant(&formatted), "{path} with `{inserted}`: tokens changed");
            checked += 1;
        }
    }
    println!("wit-fmt comment injection: {checked} variants");
    assert!(checked >= 300, "only {checked} variants");
}
