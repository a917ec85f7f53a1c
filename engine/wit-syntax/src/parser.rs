//! The parser's machinery: a cursor over tokens that builds a rowan green tree as it goes.
//!
//! Trivia is attached lazily: whitespace and comments are written into the tree only when the
//! next real token is consumed, so the comments in front of an item land inside that item's
//! node (which is where doc comments belong). The grammar itself lives in `grammar`.

use rowan::{Checkpoint, GreenNode, GreenNodeBuilder};

use crate::SyntaxKind::{self, *};
use crate::lexer::Token;
use crate::{SyntaxError, TextRange, TextSize};

/// Holds the token stream, the tree under construction and the errors found so far.
pub(crate) struct Parser<'t> {
    text: &'t str,
    tokens: Vec<Token>,
    /// Start offset of each token.
    starts: Vec<TextSize>,
    /// Index of the next token to write into the tree (trivia included).
    pos: usize,
    builder: GreenNodeBuilder<'static>,
    errors: Vec<SyntaxError>,
    /// Nesting of grammar rules, to bound recursion on hostile input.
    depth: u32,
    /// Errors reported at the end unless nesting overflowed (see `defer_error`).
    deferred: Vec<SyntaxError>,
}

/// How deep type expressions may nest before the parser refuses to go further.
pub(crate) const MAX_TYPE_DEPTH: u32 = 100;
/// How deep `package … { }` blocks may nest (only one level is valid; deeper nesting is parsed
/// to report it, up to this bound).
pub(crate) const MAX_PACKAGE_DEPTH: u32 = 100;

/// The error for nesting past a limit, saying the limit: `type nesting too deep (limit: 100
/// levels)`.
pub(crate) fn too_deep(what: &str, limit: u32) -> String {
    format!("{what} nesting too deep (limit: {limit} levels)")
}

/// A node started with [`Parser::start`]; must be closed with [`Parser::finish`].
#[must_use]
pub(crate) struct Marker;

impl<'t> Parser<'t> {
    pub(crate) fn new(text: &'t str, tokens: Vec<Token>) -> Self {
        let mut starts = Vec::with_capacity(tokens.len());
        let mut offset = TextSize::new(0);
        for token in &tokens {
            starts.push(offset);
            offset += token.len;
        }
        Parser {
            text,
            tokens,
            starts,
            pos: 0,
            builder: GreenNodeBuilder::new(),
            errors: Vec::new(),
            depth: 0,
            deferred: Vec::new(),
        }
    }

    /// Index of the next non-trivia token at or after `from`.
    fn next_significant(&self, mut from: usize) -> usize {
        while from < self.tokens.len() && self.tokens[from].kind.is_trivia() {
            from += 1;
        }
        from
    }

    /// The kind of the `n`th significant token ahead (0 = current); `EOF` past the end.
    pub(crate) fn nth(&self, n: usize) -> SyntaxKind {
        let mut index = self.next_significant(self.pos);
        for _ in 0..n {
            if index >= self.tokens.len() {
                return EOF;
            }
            index = self.next_significant(index + 1);
        }
        self.tokens.get(index).map_or(EOF, |t| t.kind)
    }

    /// The current significant token's kind.
    pub(crate) fn current(&self) -> SyntaxKind {
        self.nth(0)
    }

    pub(crate) fn at(&self, kind: SyntaxKind) -> bool {
        self.current() == kind
    }

    /// Text of the `n`th significant token ahead.
    pub(crate) fn nth_text(&self, n: usize) -> &'t str {
        let mut index = self.next_significant(self.pos);
        for _ in 0..n {
            if index >= self.tokens.len() {
                return "";
            }
            index = self.next_significant(index + 1);
        }
        self.token_text(index)
    }

    fn token_text(&self, index: usize) -> &'t str {
        match self.tokens.get(index) {
            Some(token) => {
                let start = usize::from(self.starts[index]);
                &self.text[start..start + usize::from(token.len)]
            }
            None => "",
        }
    }

    /// Whether the current token directly follows the previous one, with no trivia between.
    pub(crate) fn current_is_adjacent(&self) -> bool {
        self.next_significant(self.pos) == self.pos
    }

    /// Range of the current significant token (empty at the end of the text).
    pub(crate) fn current_range(&self) -> TextRange {
        let index = self.next_significant(self.pos);
        match self.tokens.get(index) {
            Some(token) => TextRange::at(self.starts[index], token.len),
            None => TextRange::empty(TextSize::of(self.text)),
        }
    }

    fn flush_trivia(&mut self) {
        while self.pos < self.tokens.len() && self.tokens[self.pos].kind.is_trivia() {
            self.push_token(self.pos);
            self.pos += 1;
        }
    }

    fn push_token(&mut self, index: usize) {
        let kind = self.tokens[index].kind;
        let text = self.token_text(index);
        self.builder.token(kind.into(), text);
    }

    /// Consumes the current significant token into the tree.
    pub(crate) fn bump(&mut self) {
        self.flush_trivia();
        if self.pos < self.tokens.len() {
            self.push_token(self.pos);
            self.pos += 1;
        }
    }

    /// Consumes the current token if it is `kind`.
    pub(crate) fn eat(&mut self, kind: SyntaxKind) -> bool {
        if self.at(kind) {
            self.bump();
            true
        } else {
            false
        }
    }

    /// Consumes `kind` or reports "expected …, found …" without consuming anything.
    pub(crate) fn expect(&mut self, kind: SyntaxKind) -> bool {
        if self.eat(kind) {
            return true;
        }
        self.error_expected(&kind.describe());
        false
    }

    /// Reports that `what` was expected at the current token.
    pub(crate) fn error_expected(&mut self, what: &str) {
        let found = self.current().describe();
        self.error_here(format!("expected {what}, found {found}"));
    }

    /// Reports an error at the current token, unless one is already reported there.
    pub(crate) fn error_here(&mut self, message: impl Into<String>) {
        let range = self.current_range();
        self.error_at(range, message);
    }

    /// Reports an error at `range`, unless an earlier error already covers that position.
    pub(crate) fn error_at(&mut self, range: TextRange, message: impl Into<String>) {
        if let Some(last) = self.errors.last()
            && last.range.start() >= range.start()
        {
            return;
        }
        self.errors.push(SyntaxError::new(message, range));
    }

    pub(crate) fn start(&mut self, kind: SyntaxKind) -> Marker {
        self.builder.start_node(kind.into());
        Marker
    }

    pub(crate) fn finish(&mut self, _marker: Marker) {
        self.builder.finish_node();
    }

    pub(crate) fn checkpoint(&mut self) -> Checkpoint {
        self.builder.checkpoint()
    }

    pub(crate) fn start_at(&mut self, checkpoint: Checkpoint, kind: SyntaxKind) -> Marker {
        self.builder.start_node_at(checkpoint, kind.into());
        Marker
    }

    /// Skips the current token into an `ERROR` node, keeping braces balanced so that a
    /// skipped `{` takes its whole block with it.
    pub(crate) fn skip_token_as_error(&mut self) {
        let marker = self.start(ERROR);
        self.skip_balanced();
        self.finish(marker);
    }

    fn skip_balanced(&mut self) {
        let opener = self.current();
        self.bump();
        let closer = match opener {
            L_BRACE => R_BRACE,
            L_PAREN => R_PAREN,
            _ => return,
        };
        let mut depth = 1u32;
        while !self.at(EOF) {
            let kind = self.current();
            if kind == opener {
                depth += 1;
            } else if kind == closer {
                depth -= 1;
                if depth == 0 {
                    self.bump();
                    return;
                }
            }
            self.bump();
        }
    }

    /// Enters a nested rule; false (with "`what` nesting too deep", and the limit's value,
    /// reported) when `limit` rules are already open.
    pub(crate) fn enter(&mut self, limit: u32, what: &str) -> bool {
        if self.depth >= limit {
            self.error_here(too_deep(what, limit));
            return false;
        }
        self.depth += 1;
        true
    }

    /// How many nested rules are open.
    pub(crate) fn depth(&self) -> u32 {
        self.depth
    }

    /// Records an error that is reported only if no "nesting too deep" error occurs (that one
    /// explains the input better).
    pub(crate) fn defer_error(&mut self, range: TextRange, message: impl Into<String>) {
        self.deferred.push(SyntaxError::new(message, range));
    }

    pub(crate) fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Writes every remaining token (trivia included) and returns the tree and errors.
    pub(crate) fn finish_file(mut self, root: Marker) -> (GreenNode, Vec<SyntaxError>) {
        while self.pos < self.tokens.len() {
            self.push_token(self.pos);
            self.pos += 1;
        }
        self.finish(root);
        if !self.errors.iter().any(|e| e.message.contains("nesting too deep")) {
            self.errors.append(&mut self.deferred);
        }
        (self.builder.finish(), self.errors)
    }
}

impl Parser<'_> {
    /// End offset of the last token written into the tree.
    pub(crate) fn last_end(&self) -> TextSize {
        if self.pos == 0 {
            return TextSize::new(0);
        }
        self.starts[self.pos - 1] + self.tokens[self.pos - 1].len
    }

    /// The source text between two offsets.
    pub(crate) fn slice(&self, start: TextSize, end: TextSize) -> &str {
        &self.text[usize::from(start)..usize::from(end).max(usize::from(start))]
    }

    /// Index of the next token to be written: grows whenever anything is consumed.
    pub(crate) fn position(&self) -> usize {
        self.pos
    }
}
