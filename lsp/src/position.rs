//! Conversion between LSP positions (line, character in the negotiated encoding) and byte offsets.
//!
//! LSP counts characters in UTF-16 code units unless the client and server agree on UTF-8 during
//! `initialize`. The engine counts bytes. [`LineIndex`] converts both ways exactly (a character
//! outside the Basic Multilingual Plane is two UTF-16 units and four bytes) and clamps positions
//! past the end of a line or of the text instead of failing: a stale position from the client
//! never panics the server.

use canopy_wit_syntax::{TextRange, TextSize};
use tower_lsp_server::gen_lsp_types::{Position, PositionEncodingKind, Range};

/// How the `character` of a position counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PositionEncoding {
    /// UTF-16 code units: the LSP default.
    #[default]
    Utf16,
    /// Bytes of UTF-8.
    Utf8,
}

impl PositionEncoding {
    /// Picks the encoding from the client's offer: UTF-8 when offered, else the default UTF-16.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Self {
        let offers_utf8 = offered.is_some_and(|kinds| kinds.contains(&PositionEncodingKind::UTF8));
        if offers_utf8 { PositionEncoding::Utf8 } else { PositionEncoding::Utf16 }
    }

    /// The LSP name of the encoding, for the server capabilities.
    pub fn kind(self) -> PositionEncodingKind {
        match self {
            PositionEncoding::Utf16 => PositionEncodingKind::UTF16,
            PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
        }
    }
}

/// Start offsets of the lines of one text, for position conversion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset where each line starts; the first is always 0.
    line_starts: Vec<usize>,
    /// Length of the text in bytes.
    len: usize,
}

impl LineIndex {
    /// Indexes `text`. Lines end at `\n`, `\r\n` or a lone `\r`, as LSP defines them.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line_starts.push(i + 1),
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    line_starts.push(i + 2);
                    i += 1;
                }
                b'\r' => line_starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex { line_starts, len: text.len() }
    }

    /// Number of lines (a text ending with a line break has an empty last line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte range of a line's content, without its line break.
    fn line_content(&self, text: &str, line: usize) -> (usize, usize) {
        let start = self.line_starts[line];
        let mut end = self.line_starts.get(line + 1).copied().unwrap_or(self.len);
        let bytes = text.as_bytes();
        if end > start && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        (start, end)
    }

    /// The byte offset of a position. A line past the end clamps to the end of the text; a
    /// character past the end of its line clamps to the end of the line; a character inside a
    /// multi-unit character moves to that character's start.
    pub fn offset(&self, text: &str, position: Position, encoding: PositionEncoding) -> TextSize {
        let line = position.line as usize;
        if line >= self.line_starts.len() {
            return to_size(self.len);
        }
        let (start, end) = self.line_content(text, line);
        let content = &text[start..end];
        let wanted = position.character as usize;
        let within = match encoding {
            PositionEncoding::Utf8 => {
                let mut at = wanted.min(content.len());
                while !content.is_char_boundary(at) {
                    at -= 1;
                }
                at
            }
            PositionEncoding::Utf16 => {
                let mut units = 0;
                let mut at = content.len();
                for (byte, ch) in content.char_indices() {
                    let next = units + ch.len_utf16();
                    if next > wanted {
                        at = byte;
                        break;
                    }
                    units = next;
                }
                at
            }
        };
        to_size(start + within)
    }

    /// The position of a byte offset; an offset past the end clamps to the end, one inside a
    /// character moves to that character's start.
    pub fn position(&self, text: &str, offset: TextSize, encoding: PositionEncoding) -> Position {
        let mut offset = usize::from(offset).min(self.len).min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let character = match encoding {
            PositionEncoding::Utf8 => offset - start,
            PositionEncoding::Utf16 => text[start..offset].chars().map(char::len_utf16).sum(),
        };
        Position { line: to_u32(line), character: to_u32(character) }
    }

    /// The byte range of an LSP range (ends swapped if reversed).
    pub fn text_range(&self, text: &str, range: Range, encoding: PositionEncoding) -> TextRange {
        let start = self.offset(text, range.start, encoding);
        let end = self.offset(text, range.end, encoding);
        if start <= end { TextRange::new(start, end) } else { TextRange::new(end, start) }
    }

    /// The LSP range of a byte range.
    pub fn range(&self, text: &str, range: TextRange, encoding: PositionEncoding) -> Range {
        Range { start: self.position(text, range.start(), encoding), end: self.position(text, range.end(), encoding) }
    }
}

/// A byte count as a `TextSize`, saturating (texts over 4 GiB are not analyzed anyway).
fn to_size(offset: usize) -> TextSize {
    TextSize::from(u32::try_from(offset).unwrap_or(u32::MAX))
}

/// A count as an LSP `uinteger`, saturating.
fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn astral_characters_count_two_utf16_units() {
        let text = "// 🦀x\nab";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(index.position(text, to_size(x), PositionEncoding::Utf16), pos(0, 5));
        assert_eq!(index.position(text, to_size(x), PositionEncoding::Utf8), pos(0, 7));
        assert_eq!(index.offset(text, pos(0, 5), PositionEncoding::Utf16), to_size(x));
        // Inside the surrogate pair: back to the crab's start.
        assert_eq!(index.offset(text, pos(0, 4), PositionEncoding::Utf16), to_size(3));
    }

    #[test]
    fn positions_past_the_end_clamp() {
        let text = "ab\r\ncd";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(text, pos(0, 99), PositionEncoding::Utf16), to_size(2));
        assert_eq!(index.offset(text, pos(1, 1), PositionEncoding::Utf16), to_size(5));
        assert_eq!(index.offset(text, pos(7, 0), PositionEncoding::Utf16), to_size(6));
        assert_eq!(index.position(text, to_size(100), PositionEncoding::Utf16), pos(1, 2));
    }

    #[test]
    fn lone_carriage_return_breaks_a_line() {
        let text = "a\rb\nc";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 3);
        assert_eq!(index.position(text, to_size(2), PositionEncoding::Utf16), pos(1, 0));
        assert_eq!(index.position(text, to_size(4), PositionEncoding::Utf16), pos(2, 0));
    }

    #[test]
    fn utf8_offsets_inside_a_character_snap_back() {
        let text = "é!";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(text, pos(0, 1), PositionEncoding::Utf8), to_size(0));
        assert_eq!(index.offset(text, pos(0, 2), PositionEncoding::Utf8), to_size(2));
    }

    #[test]
    fn negotiation_prefers_utf8_only_when_offered() {
        assert_eq!(PositionEncoding::negotiate(None), PositionEncoding::Utf16);
        let offer = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(PositionEncoding::negotiate(Some(&offer)), PositionEncoding::Utf8);
    }
}
