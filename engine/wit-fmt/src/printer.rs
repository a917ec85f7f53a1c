//! The output buffer: text, line breaks with at most one blank line, and indentation.
//!
//! The printer knows nothing of WIT. It writes pieces of text, inserts a single space or a
//! line break between them when asked, and indents the first piece of every line.

/// Accumulates formatted text.
pub(crate) struct Printer {
    out: String,
    indent_unit: String,
    at_line_start: bool,
}

impl Printer {
    /// An empty buffer indenting by `indent` spaces per level.
    pub(crate) fn new(indent: u32) -> Self {
        Printer { out: String::new(), indent_unit: " ".repeat(indent as usize), at_line_start: true }
    }

    /// Whether nothing has been written yet.
    pub(crate) fn is_empty(&self) -> bool {
        self.out.is_empty()
    }

    /// Writes `text`, indented by `level` if it starts a line.
    pub(crate) fn write(&mut self, text: &str, level: u32) {
        if self.at_line_start && !self.out.is_empty() {
            for _ in 0..level {
                self.out.push_str(&self.indent_unit);
            }
        }
        self.out.push_str(text);
        self.at_line_start = false;
    }

    /// The column (in characters) where a `write` at `level` would start.
    pub(crate) fn column(&self, level: u32) -> usize {
        if self.at_line_start && !self.out.is_empty() {
            return level as usize * self.indent_unit.len();
        }
        let line_start = self.out.rfind('\n').map_or(0, |i| i + 1);
        self.out[line_start..].chars().count()
    }

    /// A single space, unless at the start of a line or after one already.
    pub(crate) fn space(&mut self) {
        if !self.at_line_start && !self.out.ends_with(' ') {
            self.out.push(' ');
        }
    }

    /// Ends the current line (if anything is on it) and, when `blank`, leaves one empty line.
    /// Does nothing at the very start of the output, so files never start with blank lines.
    pub(crate) fn line_break(&mut self, blank: bool) {
        if self.out.is_empty() {
            return;
        }
        self.trim_trailing_spaces();
        if !self.at_line_start {
            self.out.push('\n');
        }
        if blank && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
        self.at_line_start = true;
    }

    /// The finished text: no trailing spaces, exactly one final newline (none when empty).
    pub(crate) fn finish(mut self) -> String {
        let kept = self.out.trim_end().len();
        self.out.truncate(kept);
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        self.out
    }

    fn trim_trailing_spaces(&mut self) {
        let kept = self.out.trim_end_matches([' ', '\t']).len();
        self.out.truncate(kept);
    }
}

#[cfg(test)]
mod tests {
    use super::Printer;

    #[test]
    fn indents_line_starts_and_collapses_blank_lines() {
        let mut printer = Printer::new(2);
        printer.write("a", 0);
        printer.space();
        printer.space();
        printer.write("{", 0);
        printer.line_break(true);
        printer.line_break(true);
        printer.write("b", 1);
        printer.line_break(false);
        printer.write("}", 0);
        assert_eq!(printer.finish(), "a {\n\n  b\n}\n");
    }

    #[test]
    fn empty_output_stays_empty() {
        let mut printer = Printer::new(4);
        printer.line_break(true);
        assert!(printer.is_empty());
        assert_eq!(printer.finish(), "");
    }
}
