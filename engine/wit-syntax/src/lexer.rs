//! The WIT lexer: turns text into tokens that cover every byte, and reports lexical errors.
//!
//! Lexing never fails. Bytes that form no token become `ERROR_TOKEN`s with a diagnostic, so
//! the parser and the tree still see the whole text.

use crate::SyntaxKind::{self, *};
use crate::{SyntaxError, TextRange, TextSize};

/// One token: its kind and its length in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// What the token is.
    pub kind: SyntaxKind,
    /// Its length in bytes.
    pub len: TextSize,
}

/// Splits `text` into tokens that together cover it exactly, with the lexical errors found.
pub fn tokenize(text: &str) -> (Vec<Token>, Vec<SyntaxError>) {
    let mut lexer = Lexer { text, pos: 0, tokens: Vec::new(), errors: Vec::new() };
    lexer.run();
    (lexer.tokens, lexer.errors)
}

struct Lexer<'a> {
    text: &'a str,
    pos: usize,
    tokens: Vec<Token>,
    errors: Vec<SyntaxError>,
}

/// Whether `ch` may start a keyword or an identifier (validation of the identifier comes later).
pub fn is_keylike_start(ch: char) -> bool {
    unicode_ident::is_xid_start(ch) || ch == '_' || ch == '-'
}

/// Whether `ch` may continue a keyword or an identifier.
pub fn is_keylike_continue(ch: char) -> bool {
    unicode_ident::is_xid_continue(ch) || ch == '-'
}

/// Why a character may not appear anywhere in a WIT file, if it may not.
fn forbidden_char(ch: char) -> Option<&'static str> {
    match ch {
        '\n' | '\r' | '\t' => None,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => Some("bidirectional override codepoints are not allowed"),
        '\u{149}' | '\u{673}' | '\u{f77}' | '\u{f79}' | '\u{17a3}' | '\u{17a4}' | '\u{17b4}' | '\u{17b5}' => {
            Some("codepoints deprecated or discouraged by Unicode are not allowed")
        }
        c if c.is_control() => Some("control codepoints are not allowed"),
        _ => None,
    }
}

impl<'a> Lexer<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn peek2(&self) -> Option<char> {
        let mut chars = self.rest().chars();
        chars.next();
        chars.next()
    }

    fn push(&mut self, kind: SyntaxKind, start: usize) {
        let len = TextSize::new((self.pos - start) as u32);
        self.tokens.push(Token { kind, len });
    }

    fn error(&mut self, start: usize, end: usize, message: impl Into<String>) {
        let range = TextRange::new(TextSize::new(start as u32), TextSize::new(end as u32));
        self.errors.push(SyntaxError::new(message, range));
    }

    fn run(&mut self) {
        if self.rest().starts_with('\u{feff}') {
            let start = self.pos;
            self.pos += '\u{feff}'.len_utf8();
            self.push(WHITESPACE, start);
        }
        while let Some(ch) = self.peek() {
            let start = self.pos;
            let kind = self.token(ch, start);
            debug_assert!(self.pos > start);
            self.push(kind, start);
        }
    }

    fn bump_char(&mut self) -> char {
        let ch = self.peek().expect("bump at end of input");
        self.pos += ch.len_utf8();
        ch
    }

    fn eat_while(&mut self, pred: impl Fn(char) -> bool) {
        while let Some(ch) = self.peek() {
            if !pred(ch) {
                break;
            }
            self.pos += ch.len_utf8();
        }
    }

    fn token(&mut self, ch: char, start: usize) -> SyntaxKind {
        if let Some(why) = forbidden_char(ch) {
            self.bump_char();
            self.error(start, self.pos, format!("{why}: found U+{:04X}", ch as u32));
            return ERROR_TOKEN;
        }
        match ch {
            ' ' | '\t' | '\n' | '\r' => {
                self.eat_while(|c| matches!(c, ' ' | '\t' | '\n' | '\r'));
                WHITESPACE
            }
            '/' if self.peek2() == Some('/') => self.line_comment(),
            '/' if self.peek2() == Some('*') => self.block_comment(start),
            '-' if self.peek2() == Some('>') => {
                self.pos += 2;
                ARROW
            }
            '"' => self.string(start),
            '%' => {
                self.bump_char();
                if self.peek().is_some_and(is_keylike_start) {
                    self.bump_char();
                    self.eat_while(is_keylike_continue);
                }
                EXPLICIT_IDENT
            }
            c if c.is_ascii_digit() => {
                self.eat_while(|c| c.is_ascii_digit());
                INTEGER
            }
            c if is_keylike_start(c) => {
                self.bump_char();
                self.eat_while(is_keylike_continue);
                SyntaxKind::from_keyword(&self.text[start..self.pos]).unwrap_or(IDENT)
            }
            _ => {
                self.bump_char();
                match ch {
                    '=' => EQ,
                    ',' => COMMA,
                    ':' => COLON,
                    '.' => DOT,
                    ';' => SEMICOLON,
                    '(' => L_PAREN,
                    ')' => R_PAREN,
                    '{' => L_BRACE,
                    '}' => R_BRACE,
                    '<' => L_ANGLE,
                    '>' => R_ANGLE,
                    '*' => STAR,
                    '@' => AT,
                    '/' => SLASH,
                    '+' => PLUS,
                    '-' => MINUS,
                    other => {
                        self.error(start, self.pos, format!("unexpected character {other:?}"));
                        ERROR_TOKEN
                    }
                }
            }
        }
    }

    fn line_comment(&mut self) -> SyntaxKind {
        let rest = self.rest();
        let is_doc = rest.starts_with("///") && !rest.starts_with("////");
        self.eat_while(|c| c != '\n');
        if is_doc { DOC_COMMENT } else { LINE_COMMENT }
    }

    fn block_comment(&mut self, start: usize) -> SyntaxKind {
        let rest = self.rest();
        let is_doc = rest.starts_with("/**") && !rest.starts_with("/**/") && !rest.starts_with("/***");
        self.pos += 2;
        let mut depth = 1u32;
        while depth > 0 {
            let rest = self.rest();
            if rest.is_empty() {
                self.error(start, start + 2, "unterminated block comment");
                return BLOCK_COMMENT;
            }
            if rest.starts_with("/*") {
                depth += 1;
                self.pos += 2;
            } else if rest.starts_with("*/") {
                depth -= 1;
                self.pos += 2;
            } else {
                self.bump_char();
            }
        }
        if is_doc { DOC_BLOCK_COMMENT } else { BLOCK_COMMENT }
    }

    fn string(&mut self, start: usize) -> SyntaxKind {
        self.bump_char();
        loop {
            match self.peek() {
                None | Some('\n') => {
                    self.error(start, start + 1, "unterminated string literal");
                    return STRING;
                }
                Some('"') => {
                    self.bump_char();
                    return STRING;
                }
                Some('\\') => {
                    let escape_start = self.pos;
                    self.bump_char();
                    match self.peek() {
                        Some('t' | 'n' | 'r' | '"' | '\'' | '\\') => {
                            self.bump_char();
                        }
                        Some('u') => {
                            self.bump_char();
                            self.unicode_escape(escape_start);
                        }
                        Some(c) if c.is_ascii_hexdigit() => {
                            self.bump_char();
                            if self.peek().is_some_and(|c| c.is_ascii_hexdigit()) {
                                self.bump_char();
                            } else {
                                self.error(escape_start, self.pos, "invalid hex escape: expected two hex digits");
                            }
                        }
                        Some(c) => {
                            self.bump_char();
                            self.error(escape_start, self.pos, format!("invalid string escape '\\{c}'"));
                        }
                        None => {}
                    }
                }
                Some(_) => {
                    self.bump_char();
                }
            }
        }
    }

    fn unicode_escape(&mut self, escape_start: usize) {
        if self.peek() != Some('{') {
            self.error(escape_start, self.pos, "invalid unicode escape: expected '{'");
            return;
        }
        self.bump_char();
        let digits_start = self.pos;
        self.eat_while(|c| c.is_ascii_hexdigit() || c == '_');
        let digits: String = self.text[digits_start..self.pos].chars().filter(|c| *c != '_').collect();
        if self.peek() != Some('}') {
            self.error(escape_start, self.pos, "invalid unicode escape: expected '}'");
            return;
        }
        self.bump_char();
        let valid = u32::from_str_radix(&digits, 16).ok().and_then(char::from_u32).is_some();
        if !valid {
            self.error(escape_start, self.pos, "invalid unicode escape: not a unicode scalar value");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<SyntaxKind> {
        tokenize(text).0.into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn tokens_cover_every_byte() {
        let text = "package a:b@1.0.0; /* x /* y */ */ interface %type { f: func() -> u32; }";
        let (tokens, errors) = tokenize(text);
        assert!(errors.is_empty(), "{errors:?}");
        let total: u32 = tokens.iter().map(|t| u32::from(t.len)).sum();
        assert_eq!(total as usize, text.len());
    }

    #[test]
    fn keywords_idents_and_arrows() {
        assert_eq!(
            kinds("func -> error-context my-id %use"),
            vec![
                FUNC_KW,
                WHITESPACE,
                ARROW,
                WHITESPACE,
                ERROR_CONTEXT_KW,
                WHITESPACE,
                IDENT,
                WHITESPACE,
                EXPLICIT_IDENT
            ]
        );
    }

    #[test]
    fn doc_comments_are_told_apart() {
        assert_eq!(kinds("/// doc\n"), vec![DOC_COMMENT, WHITESPACE]);
        assert_eq!(kinds("//// not doc"), vec![LINE_COMMENT]);
        assert_eq!(kinds("/** doc */"), vec![DOC_BLOCK_COMMENT]);
        assert_eq!(kinds("/**/"), vec![BLOCK_COMMENT]);
    }

    #[test]
    fn unterminated_comment_and_string_are_errors() {
        let (_, errors) = tokenize("/* open");
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("unterminated block comment"));
        let (_, errors) = tokenize("\"open");
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn forbidden_codepoints_are_errors() {
        let (tokens, errors) = tokenize("a\u{202e}b");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].range.start(), TextSize::new(1));
        assert_eq!(tokens.len(), 3);
    }
}
