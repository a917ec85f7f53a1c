//! Conversion between byte offsets and line/column positions.

use canopy_wit_syntax::TextSize;

/// A 1-based line and a 1-based column counted in characters (as rustc and wit-parser print).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LineCol {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in Unicode scalar values.
    pub col: u32,
}

/// Where each line of a text starts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LineIndex {
    line_starts: Vec<u32>,
}

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        for (offset, byte) in text.bytes().enumerate() {
            if byte == b'\n' {
                line_starts.push(offset as u32 + 1);
            }
        }
        LineIndex { line_starts }
    }

    /// 0-based line containing `offset`.
    pub fn line_of(&self, offset: TextSize) -> usize {
        let offset = u32::from(offset);
        self.line_starts.partition_point(|&start| start <= offset) - 1
    }

    /// Byte offset where 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> Option<u32> {
        self.line_starts.get(line).copied()
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 1-based line and character column of `offset` in `text` (the indexed text).
    pub fn line_col(&self, text: &str, offset: TextSize) -> LineCol {
        let line = self.line_of(offset);
        let start = self.line_starts[line] as usize;
        let end = (u32::from(offset) as usize).min(text.len());
        let col = text.get(start..end).map_or(end - start, |s| s.chars().count());
        LineCol { line: line as u32 + 1, col: col as u32 + 1 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        let text = "ab\n☃x\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, TextSize::new(0)), LineCol { line: 1, col: 1 });
        assert_eq!(index.line_col(text, TextSize::new(6)), LineCol { line: 2, col: 2 });
        assert_eq!(index.line_col(text, TextSize::new(8)), LineCol { line: 3, col: 1 });
    }
}
