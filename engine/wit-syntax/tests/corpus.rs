//! Parses every WIT file of the shared corpora: the tree must reproduce the text byte for
//! byte, and files that wit-parser accepts must parse without syntax errors.

use std::path::{Path, PathBuf};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

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

#[test]
fn every_corpus_file_round_trips_and_accepted_files_have_no_syntax_errors() {
    let root = shared();
    let mut files = Vec::new();
    wit_files(&root.join("conformance/wit-parser-ui"), &mut files);
    wit_files(&root.join("corpora"), &mut files);
    assert!(files.len() > 300, "expected the shared corpora at {}, found {} files", root.display(), files.len());
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let parse = canopy_wit_syntax::parse(&text);
        assert_eq!(parse.syntax().to_string(), text, "tree of {} is not lossless", file.display());
        let expected_to_fail = file.components().any(|c| c.as_os_str() == "parse-fail");
        if !expected_to_fail && !parse.errors().is_empty() {
            failures.push(format!("{}: {:?}", file.display(), parse.errors()));
        }
    }
    assert!(failures.is_empty(), "syntax errors in accepted files:\n{}", failures.join("\n"));
}

#[test]
fn trimmed_range_drops_trivia_at_both_ends_only() {
    let text = "package a:b;\n/// docs\ninterface i { /* inner */ f: func(); } // after\n";
    let parse = canopy_wit_syntax::parse(text);
    let interface = parse
        .syntax()
        .descendants()
        .find(|n| n.kind() == canopy_wit_syntax::SyntaxKind::INTERFACE)
        .expect("an interface node");
    let range = canopy_wit_syntax::trimmed_range(&interface);
    assert_eq!(&text[range], "interface i { /* inner */ f: func(); }");
}
