//! A formatter for WIT: reprints a file in one canonical style while keeping every comment.
//!
//! The formatter works on the lossless tree of `canopy-wit-syntax`. It walks the file's tokens
//! in order and decides, for each pair of neighbouring significant tokens, whether they are
//! glued, separated by a space or by a line break (see `spacing`); comments are carried
//! through where they were, either at the end of a line or on their own line (see `comments`).
//! Lists are either vertical (one entry per line, each followed by a comma) or inline (on one
//! line, no trailing comma): record fields and variant, enum and flags cases are always
//! vertical; parameters, tuple types, `use` names and `include … with` renames are inline
//! unless a comment sits inside them or the item would be wider than [`MAX_WIDTH`] columns
//! (see `lists`). Adding or dropping those trailing commas is the only change the formatter
//! makes to the significant tokens.
//!
//! Style: 4-space indentation (see [`FormatOptions`]), one item per line, `{` on the line of
//! its item, gates and annotations on lines of their own, blank lines between items kept but
//! collapsed to one, none at the start or end of a block, exactly one newline at the end.
//!
//! Text with syntax errors is refused ([`FormatError::SyntaxErrors`]): reprinting a tree the
//! parser had to repair could change what the file means.
//!
//! [`format_range`] formats the whole file and returns the minimal edits (see `range`) that
//! touch the items overlapping a range, for editors' "format selection".

mod comments;
mod layout;
mod lists;
mod printer;
mod range;
mod spacing;

pub use canopy_wit_syntax::TextRange;
pub use lists::MAX_WIDTH;

/// How to format.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FormatOptions {
    /// Spaces per indentation level (default 4).
    pub indent: u32,
}

impl Default for FormatOptions {
    fn default() -> Self {
        FormatOptions { indent: 4 }
    }
}

/// Why a text could not be formatted.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FormatError {
    /// The text has this many syntax errors; the formatter refuses to reprint it.
    SyntaxErrors(usize),
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormatError::SyntaxErrors(count) => {
                write!(f, "cannot format: the file has {count} syntax error{}", if *count == 1 { "" } else { "s" })
            }
        }
    }
}

impl std::error::Error for FormatError {}

/// A replacement of the text in `range` (of the original text) by `new_text`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TextEdit {
    /// The bytes of the original text to replace.
    pub range: TextRange,
    /// What to put there.
    pub new_text: String,
}

/// Formats a whole WIT file. The result always ends with exactly one newline.
pub fn format(text: &str, options: &FormatOptions) -> Result<String, FormatError> {
    let parse = canopy_wit_syntax::parse(text);
    if !parse.errors().is_empty() {
        return Err(FormatError::SyntaxErrors(parse.errors().len()));
    }
    Ok(layout::format_tree(&parse.syntax(), text, options))
}

/// Minimal edits turning `text` into its formatted form, restricted to edits that touch `range`.
///
/// The range is first widened to the whole items (type definitions, functions, `use`s, …) it
/// overlaps, so that a selection inside an item reformats that item. Edits are sorted and do
/// not overlap; applying them all in reverse order yields the partially formatted text.
pub fn format_range(text: &str, range: TextRange, options: &FormatOptions) -> Result<Vec<TextEdit>, FormatError> {
    let parse = canopy_wit_syntax::parse(text);
    if !parse.errors().is_empty() {
        return Err(FormatError::SyntaxErrors(parse.errors().len()));
    }
    let root = parse.syntax();
    let formatted = layout::format_tree(&root, text, options);
    let widened = range::widen_to_items(&root, range);
    let edits = range::diff(text, &formatted);
    Ok(edits.into_iter().filter(|edit| range::touches(edit.range, widened)).collect())
}
