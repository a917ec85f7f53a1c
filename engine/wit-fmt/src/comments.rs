//! Comments: which tokens are comments, how their text is normalized, and whether they end the
//! line they are on.
//!
//! Comments are never moved across significant tokens. A comment keeps its relation to the
//! line structure of the original: one that started a line stays on its own line, one that
//! followed code on the same line stays at the end of that line (see `layout`).

use std::borrow::Cow;

use canopy_wit_syntax::SyntaxKind::{self, *};

/// Whether `kind` is any of the four comment kinds (`//`, `///`, `/* */`, `/** */`).
pub(crate) fn is_comment(kind: SyntaxKind) -> bool {
    matches!(kind, LINE_COMMENT | DOC_COMMENT | BLOCK_COMMENT | DOC_BLOCK_COMMENT)
}

/// Whether a comment of this kind runs to the end of its line, so that whatever follows it
/// must start a new line.
pub(crate) fn ends_line(kind: SyntaxKind) -> bool {
    matches!(kind, LINE_COMMENT | DOC_COMMENT)
}

/// The text a comment is printed as: line comments lose trailing whitespace (including the
/// `\r` of a CRLF line end); block comments are kept byte for byte.
pub(crate) fn printed_text(kind: SyntaxKind, text: &str) -> &str {
    if ends_line(kind) { text.trim_end() } else { text }
}

/// A multi-line block comment moved from column `old_column` to `new_column`: its later lines
/// move by the same amount, so its inner alignment survives re-indentation. Lines are never
/// shifted left past their first non-blank character.
pub(crate) fn reindent(text: &str, old_column: usize, new_column: usize) -> Cow<'_, str> {
    if !text.contains('\n') || old_column == new_column {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (index, line) in text.split('\n').enumerate() {
        if index == 0 {
            out.push_str(line);
            continue;
        }
        out.push('\n');
        if line.trim().is_empty() {
            out.push_str(line.trim_start_matches([' ', '\t']));
            continue;
        }
        if new_column > old_column {
            out.extend(std::iter::repeat_n(' ', new_column - old_column));
            out.push_str(line);
        } else {
            let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
            out.push_str(&line[indent.min(old_column - new_column)..]);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_comments_lose_trailing_whitespace_only() {
        assert_eq!(printed_text(LINE_COMMENT, "// a  \r"), "// a");
        assert_eq!(printed_text(DOC_COMMENT, "/// b"), "/// b");
        assert_eq!(printed_text(BLOCK_COMMENT, "/* c  \n */"), "/* c  \n */");
    }

    #[test]
    fn block_comments_move_as_a_whole() {
        assert_eq!(reindent("/**\n   * a\n   */", 2, 4), "/**\n     * a\n     */");
        assert_eq!(reindent("/*\n      x\n\n  y */", 4, 0), "/*\n  x\n\ny */");
        assert_eq!(reindent("/* one line */", 0, 8), "/* one line */");
    }

    #[test]
    fn only_comment_kinds_are_comments() {
        assert!(is_comment(DOC_BLOCK_COMMENT));
        assert!(!is_comment(WHITESPACE));
        assert!(ends_line(DOC_COMMENT));
        assert!(!ends_line(BLOCK_COMMENT));
    }
}
