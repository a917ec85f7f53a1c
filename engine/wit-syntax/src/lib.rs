//! Lossless, error-tolerant syntax trees for WIT (the WebAssembly Interface Type language).
//!
//! [`parse`] turns any text into a rowan tree that keeps every byte (whitespace and comments
//! included) plus a list of [`SyntaxError`]s. It never fails: what does not parse ends up in
//! `ERROR` nodes. The [`ast`] module gives typed views over the tree.
//!
//! This crate knows nothing of files, packages or name resolution; that is the analysis
//! crate's job.

pub mod ast;
mod grammar;
mod lexer;
mod parser;
mod reparse;
mod syntax_kind;

pub use lexer::{Token, is_keylike_continue, is_keylike_start, tokenize};
pub use reparse::{Reparse, SwappedToken, TextEdit};
pub use rowan::{GreenNode, GreenNodeData, TextLen, TextRange, TextSize};
pub use syntax_kind::{SyntaxElement, SyntaxKind, SyntaxNode, SyntaxToken, WitLanguage};

/// A problem found while lexing or parsing, with the range it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SyntaxError {
    /// What is wrong, for a person.
    pub message: String,
    /// Where, in bytes of the file's text.
    pub range: TextRange,
}

impl SyntaxError {
    /// An error with a message and a range.
    pub fn new(message: impl Into<String>, range: TextRange) -> Self {
        SyntaxError { message: message.into(), range }
    }
}

/// The result of parsing one file: its green tree and the errors found.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Parse {
    green: GreenNode,
    errors: Vec<SyntaxError>,
}

impl Parse {
    /// The root of the tree (a `SOURCE_FILE` node).
    pub fn syntax(&self) -> SyntaxNode {
        SyntaxNode::new_root(self.green.clone())
    }

    /// The typed root.
    pub fn tree(&self) -> ast::SourceFile {
        ast::SourceFile { syntax: self.syntax() }
    }

    /// The immutable green tree (cheap to clone, shareable between threads).
    pub fn green(&self) -> &GreenNode {
        &self.green
    }

    /// Lexical and syntax errors, in text order.
    pub fn errors(&self) -> &[SyntaxError] {
        &self.errors
    }
}

/// Parses WIT text. Never fails; the tree's text is always exactly `text`.
pub fn parse(text: &str) -> Parse {
    let (tokens, mut errors) = lexer::tokenize(text);
    let mut parser = parser::Parser::new(text, tokens);
    let root = grammar::source_file(&mut parser);
    let (green, parse_errors) = parser.finish_file(root);
    errors.extend(parse_errors);
    errors.sort_by_key(|e| (e.range.start(), e.range.end()));
    Parse { green, errors }
}

/// Checks that `id` is a WIT identifier: kebab-case words, each all-lowercase or all-uppercase
/// letters and digits, the first starting with a letter. Returns a message when it is not.
pub fn validate_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("identifiers must have at least one character".to_string());
    }
    for (index, part) in id.split('-').enumerate() {
        let Some(first) = part.chars().next() else {
            return Err(format!("`{id}` is not a valid identifier: each `-`-separated part must be non-empty"));
        };
        if index == 0 && !first.is_ascii_alphabetic() {
            return Err(format!("`{id}` is not a valid identifier: it must start with a letter, not {first:?}"));
        }
        let mut case: Option<bool> = None;
        for ch in part.chars() {
            let upper = if ch.is_ascii_digit() {
                continue;
            } else if ch.is_ascii_uppercase() {
                true
            } else if ch.is_ascii_lowercase() {
                false
            } else {
                return Err(format!(
                    "`{id}` is not a valid identifier: {ch:?} is not allowed (identifiers are kebab-case)"
                ));
            };
            match case {
                None => case = Some(upper),
                Some(previous) if previous != upper => {
                    return Err(format!(
                        "`{id}` is not a valid identifier: each part must be all lowercase or all uppercase"
                    ));
                }
                Some(_) => {}
            }
        }
    }
    Ok(())
}

/// The range of a node without its leading and trailing trivia (whitespace and comments).
/// Walks inward from the node's first and last tokens, so it costs only the trivia at its ends.
pub fn trimmed_range(node: &SyntaxNode) -> TextRange {
    let full = node.text_range();
    let mut first = node.first_token();
    while let Some(token) = &first {
        if !token.kind().is_trivia() || token.text_range().start() >= full.end() {
            break;
        }
        first = token.next_token();
    }
    let mut last = node.last_token();
    while let Some(token) = &last {
        if !token.kind().is_trivia() || token.text_range().end() <= full.start() {
            break;
        }
        last = token.prev_token();
    }
    match (first, last) {
        (Some(first), Some(last))
            if !first.kind().is_trivia() && first.text_range().start() <= last.text_range().start() =>
        {
            TextRange::new(first.text_range().start(), last.text_range().end())
        }
        _ => full,
    }
}
