//! Helpers shared by the corpus tests: the corpus cases and token-level views of a text.

#![allow(dead_code)] // each test binary uses its own subset

use std::path::{Path, PathBuf};

use canopy_wit_syntax::SyntaxKind::{self, *};
use canopy_wit_syntax::{Token, tokenize};

pub fn shared_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// A workspace to check, with the features it is analysed with.
pub struct Case {
    pub name: String,
    pub path: PathBuf,
    pub features: Vec<String>,
}

/// Accepted UI cases (a `*.wit` file or a folder with a `*.wit.json` beside it) and both WASI trees.
pub fn cases() -> Vec<Case> {
    let ui = shared_dir().join("conformance/wit-parser-ui");
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&ui)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", ui.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    let mut cases = Vec::new();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).expect("UTF-8 file name").to_string();
        let accepted = if path.is_dir() {
            name != "parse-fail" && ui.join(format!("{name}.wit.json")).is_file()
        } else {
            name.ends_with(".wit")
        };
        if accepted {
            cases.push(Case { name: format!("ui/{name}"), path, features: vec!["active".to_string()] });
        }
    }
    for version in ["0.2", "0.3"] {
        cases.push(Case {
            name: format!("wasi-http-{version}"),
            path: shared_dir().join(format!("corpora/wasi-http-{version}/wit")),
            features: Vec::new(),
        });
    }
    cases
}

/// `(kind, text)` of every token of `text` but whitespace.
pub fn tokens(text: &str) -> Vec<(SyntaxKind, &str)> {
    let (tokens, _) = tokenize(text);
    let mut offset = 0;
    let mut out = Vec::new();
    for Token { kind, len } in tokens {
        let end = offset + usize::from(len);
        if kind != WHITESPACE {
            out.push((kind, &text[offset..end]));
        }
        offset = end;
    }
    out
}

pub fn is_comment(kind: SyntaxKind) -> bool {
    matches!(kind, LINE_COMMENT | DOC_COMMENT | BLOCK_COMMENT | DOC_BLOCK_COMMENT)
}

/// Comment texts, sorted (a multiset), compared modulo what the formatter may change: line
/// comments without trailing whitespace, block comments with each line's leading whitespace
/// removed (their lines move with the comment when it is reindented).
pub fn comments(text: &str) -> Vec<String> {
    let mut out: Vec<String> = tokens(text)
        .into_iter()
        .filter(|(kind, _)| is_comment(*kind))
        .map(|(kind, text)| match kind {
            LINE_COMMENT | DOC_COMMENT => text.trim_end().to_string(),
            _ => text.split('\n').map(str::trim_start).collect::<Vec<_>>().join("\n"),
        })
        .collect();
    out.sort();
    out
}

/// Significant tokens, without commas directly followed by a closing bracket.
pub fn significant(text: &str) -> Vec<(SyntaxKind, String)> {
    let all: Vec<(SyntaxKind, &str)> = tokens(text).into_iter().filter(|(kind, _)| !is_comment(*kind)).collect();
    all.iter()
        .enumerate()
        .filter(|(i, (kind, _))| {
            *kind != COMMA || !all.get(i + 1).is_some_and(|(next, _)| matches!(next, R_PAREN | R_ANGLE | R_BRACE))
        })
        .map(|(_, (kind, text))| (*kind, text.to_string()))
        .collect()
}
