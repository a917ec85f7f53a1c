//! The driver: walks a tree's tokens in order and prints them with the separators of
//! `spacing`, carrying comments through and tracking the block depth for indentation.

use canopy_wit_syntax::SyntaxKind::*;
use canopy_wit_syntax::{SyntaxNode, SyntaxToken};

use crate::FormatOptions;
use crate::comments;
use crate::lists::VerticalLists;
use crate::printer::Printer;
use crate::spacing::{self, BlankLines, Separator};

/// What the walk has seen since the last significant token was printed.
struct State {
    printer: Printer,
    lists: VerticalLists,
    /// Open blocks (interfaces, worlds, records, vertical lists, …) around the current position.
    depth: u32,
    /// The last significant token printed.
    previous: Option<SyntaxToken>,
    /// Line breaks in the whitespace directly before the current token.
    newlines_before: usize,
    /// Comments printed since `previous`.
    comments_since: usize,
    /// Whether the last comment printed runs to the end of its line (`//`, `///`).
    last_comment_ends_line: bool,
}

/// Formats a parsed, error-free file whose text is `text`.
pub(crate) fn format_tree(root: &SyntaxNode, text: &str, options: &FormatOptions) -> String {
    let tokens: Vec<SyntaxToken> = root.descendants_with_tokens().filter_map(|e| e.into_token()).collect();
    // For each position, the index of the next significant token at or after it.
    let mut next_significant = vec![None; tokens.len() + 1];
    for index in (0..tokens.len()).rev() {
        next_significant[index] =
            if tokens[index].kind().is_trivia() { next_significant[index + 1] } else { Some(index) };
    }
    let mut state = State {
        printer: Printer::new(options.indent),
        lists: VerticalLists::compute(root, options.indent),
        depth: 0,
        previous: None,
        newlines_before: 0,
        comments_since: 0,
        last_comment_ends_line: false,
    };
    for (index, token) in tokens.iter().enumerate() {
        let kind = token.kind();
        if kind == WHITESPACE {
            state.newlines_before += token.text().matches('\n').count();
            continue;
        }
        let next = next_significant[index + 1].map(|i| &tokens[i]);
        if comments::is_comment(kind) {
            let start = usize::from(token.text_range().start());
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            state.comment(token, text[line_start..start].chars().count(), next);
        } else if !spacing::is_dropped_comma(token, &state.lists) {
            state.significant(token, next);
        }
    }
    state.printer.finish()
}

impl State {
    fn structural(&self, next: Option<&SyntaxToken>) -> Separator {
        match (&self.previous, next) {
            (Some(previous), Some(next)) => spacing::between(previous, next, &self.lists),
            _ => Separator::Line(BlankLines::Keep),
        }
    }

    /// Whether a blank line may precede the current element under `rule`.
    fn blank_allowed(&self, rule: BlankLines, element_is_comment: bool) -> bool {
        match rule {
            BlankLines::Keep => true,
            BlankLines::AfterOpen => self.comments_since > 0,
            BlankLines::BeforeClose => element_is_comment,
            BlankLines::Never => false,
        }
    }

    /// Prints a comment that sits between `previous` and `next` and started at `column` in
    /// the original text.
    fn comment(&mut self, token: &SyntaxToken, column: usize, next: Option<&SyntaxToken>) {
        let printed = comments::printed_text(token.kind(), token.text());
        let own_line = self.newlines_before > 0 || self.printer.is_empty();
        if own_line {
            let (blank, level) = match self.structural(next) {
                Separator::Line(rule) => (self.newlines_before >= 2 && self.blank_allowed(rule, true), self.depth),
                Separator::Glue | Separator::Space => (false, self.depth + 1),
            };
            self.printer.line_break(blank);
            let moved = comments::reindent(printed, column, self.printer.column(level));
            self.printer.write(&moved, level);
        } else {
            self.printer.space();
            let moved = comments::reindent(printed, column, self.printer.column(self.depth));
            self.printer.write(&moved, self.depth);
        }
        self.comments_since += 1;
        self.last_comment_ends_line = comments::ends_line(token.kind());
        self.newlines_before = 0;
    }

    /// Prints a significant token followed by `next`.
    fn significant(&mut self, token: &SyntaxToken, next: Option<&SyntaxToken>) {
        if spacing::closes_block(token, &self.lists) {
            self.depth = self.depth.saturating_sub(1);
        }
        let forced_line = self.comments_since > 0 && (self.last_comment_ends_line || self.newlines_before > 0);
        let structural = match &self.previous {
            Some(previous) => spacing::between(previous, token, &self.lists),
            None => Separator::Line(BlankLines::Never),
        };
        let level = match structural {
            Separator::Line(rule) => {
                self.printer.line_break(self.newlines_before >= 2 && self.blank_allowed(rule, false));
                self.depth
            }
            _ if forced_line => {
                self.printer.line_break(false);
                if spacing::is_closer(token) { self.depth } else { self.depth + 1 }
            }
            Separator::Space => {
                self.printer.space();
                self.depth
            }
            Separator::Glue => {
                // A block comment in a glued spot keeps a space on each side, except before
                // punctuation that ends something: `list< /* c */ u8>`, `a /* c */, b`,
                // `list<u8 /* c */>`; alone between brackets it is centred: `( /* c */ )`.
                let ends_something = matches!(token.kind(), COMMA | SEMICOLON | R_PAREN | R_ANGLE);
                let alone_in_brackets =
                    self.previous.as_ref().is_some_and(|p| matches!(p.kind(), L_PAREN | L_ANGLE | L_BRACE));
                if self.comments_since > 0 && (!ends_something || alone_in_brackets) {
                    self.printer.space();
                }
                self.depth
            }
        };
        self.printer.write(token.text(), level);
        if next.is_some_and(|next| spacing::needs_trailing_comma(token, next, &self.lists)) {
            self.printer.write(",", level);
        }
        if spacing::opens_block(token, &self.lists) {
            self.depth += 1;
        }
        self.previous = Some(token.clone());
        self.newlines_before = 0;
        self.comments_since = 0;
        self.last_comment_ends_line = false;
    }
}
