//! Text for a terminal: escaping control characters, cutting long lines, reading bounded input.
//!
//! Everything a person reads goes through [`escape`]: a source file or an argument can hold ESC,
//! BEL or bidirectional overrides, and printed raw they would retitle, recolour or reorder the
//! terminal. JSON output never does: it is exact, and JSON escapes control characters itself.

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

/// The largest file any subcommand reads (64 MiB, the WIT loader's limit): a file that never
/// ends (`/dev/zero`, a FIFO nobody closes) stops with an error instead of exhausting memory.
pub const MAX_INPUT_BYTES: u64 = canopy_wit_analysis::loader::MAX_FILE_BYTES;

/// Whether `c` must not reach a terminal raw: C0 controls other than tab and newline, DEL, C1
/// controls, and the bidirectional embedding, override and isolate characters.
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `c` as printed: itself, or `\u{1b}` for an unsafe character.
pub fn escape_char(c: char, out: &mut String) {
    if is_unsafe(c) {
        out.push_str(&format!("\\u{{{:x}}}", c as u32));
    } else {
        out.push(c);
    }
}

/// `text` with every unsafe character written as `\u{…}`; tabs and newlines stay.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        escape_char(c, &mut out);
    }
    Cow::Owned(out)
}

/// Like [`escape`], and newlines too: for text that must stay on one line (a call echo).
pub fn escape_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\n' || c == '\t' { out.push_str(&format!("\\u{{{:x}}}", c as u32)) } else { escape_char(c, &mut out) }
    }
    out
}

/// The longest message printed whole; a longer one keeps its start and end.
const MAX_MESSAGE_CHARS: usize = 400;

/// A message for a person: escaped, and cut in the middle when it is very long (a message can
/// quote a name that is a whole 600 KB line).
pub fn message(text: &str) -> String {
    let escaped = escape(text);
    if escaped.len() <= MAX_MESSAGE_CHARS || escaped.chars().nth(MAX_MESSAGE_CHARS).is_none() {
        return escaped.into_owned();
    }
    let count = escaped.chars().count();
    let head: String = escaped.chars().take(300).collect();
    let tail: String = escaped.chars().skip(count - 60).collect();
    format!("{head}...[{} characters]...{tail}", thousands(count - 360))
}

/// `n` with thousands separators: `99,950` (the same writing as the interpreter's traps).
pub fn thousands(n: usize) -> String {
    canopy_interp::wast::display::thousands(n as u64)
}

/// Lines longer than this many characters are cut around the place they are shown for.
pub const MAX_LINE_CHARS: usize = 160;
/// How many characters of a cut line are kept before the place it is shown for.
const KEPT_BEFORE: usize = 60;

/// A source line prepared for display: escaped, and cut around an anchor when it is long.
pub struct ShownLine {
    /// The text to print (no line terminator).
    pub text: String,
    /// Byte offset in the original line where the kept part starts.
    kept_start: usize,
    /// Byte offset in the original line where the kept part ends.
    kept_end: usize,
    /// `(original offset, shown offset)` at each character boundary of the kept part.
    map: Vec<(usize, usize)>,
}

impl ShownLine {
    /// Prepares `line` (without its terminator), keeping the part around byte offset `anchor`.
    pub fn new(line: &str, anchor: usize) -> ShownLine {
        let anchor = floor_boundary(line, anchor.min(line.len()));
        let long = line.len() > MAX_LINE_CHARS && line.chars().nth(MAX_LINE_CHARS).is_some();
        let (kept_start, kept_end) = if long {
            let start = line[..anchor].char_indices().rev().nth(KEPT_BEFORE - 1).map_or(0, |(i, _)| i);
            let end = line[start..].char_indices().nth(MAX_LINE_CHARS).map_or(line.len(), |(i, _)| start + i);
            (start, end)
        } else {
            (0, line.len())
        };
        let mut text = String::new();
        if kept_start > 0 {
            text.push_str("...");
        }
        let mut map = Vec::new();
        for (i, c) in line[kept_start..kept_end].char_indices() {
            map.push((kept_start + i, text.len()));
            escape_char(c, &mut text);
        }
        map.push((kept_end, text.len()));
        if kept_end < line.len() {
            text.push_str("...");
        }
        ShownLine { text, kept_start, kept_end, map }
    }

    /// Where original byte offset `offset` of the line is shown; offsets outside the kept part
    /// go to its nearest end.
    pub fn shown(&self, offset: usize) -> usize {
        let offset = offset.clamp(self.kept_start, self.kept_end);
        match self.map.binary_search_by_key(&offset, |&(o, _)| o) {
            Ok(i) => self.map[i].1,
            // Inside a character: its start.
            Err(i) => self.map[i.saturating_sub(1)].1,
        }
    }
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Reads a file of at most [`MAX_INPUT_BYTES`]; the error says why in words.
pub fn read_bounded(path: &Path) -> Result<Vec<u8>, String> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", escape(&path.display().to_string())))?;
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {}: {e}", escape(&path.display().to_string())))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_large(path));
    }
    Ok(bytes)
}

/// The error for a file over the input cap.
pub fn too_large(path: &Path) -> String {
    format!(
        "cannot read {}: larger than {} MiB (the input limit); is it a device or a pipe that never ends?",
        escape(&path.display().to_string()),
        MAX_INPUT_BYTES >> 20
    )
}

/// Why `text` is not a text file, if it is not: it holds a NUL character, or more than one in
/// eight of its first 8 KiB is a control or replacement character.
pub fn not_text(text: &str) -> Option<String> {
    if let Some(at) = text.find('\0') {
        return Some(format!("not a text file (a NUL byte at offset {at})"));
    }
    let head = &text[..floor_boundary(text, text.len().min(8192))];
    let (mut odd, mut all) = (0usize, 0usize);
    for c in head.chars() {
        all += 1;
        if (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')) || c == '\u{fffd}' {
            odd += 1;
        }
    }
    (all >= 32 && odd * 8 > all).then(|| format!("not a text file ({odd} of its first {all} characters are binary)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_but_not_layout() {
        assert_eq!(escape("a\x1b]0;x\x07b"), "a\\u{1b}]0;x\\u{7}b");
        assert_eq!(escape("tab\there\nnext"), "tab\there\nnext");
        assert_eq!(escape("\u{9b}31m \u{202e}"), "\\u{9b}31m \\u{202e}");
        assert_eq!(escape_line("a\nb"), "a\\u{a}b");
    }

    #[test]
    fn long_messages_are_cut() {
        let long = format!("type `{}` does not exist", "x".repeat(100_000));
        let cut = message(&long);
        assert!(cut.len() < 500 && cut.starts_with("type `xx") && cut.ends_with("` does not exist"), "{cut}");
        assert_eq!(message("short \x07"), "short \\u{7}");
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(99_950), "99,950");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn long_lines_are_cut_around_the_anchor() {
        let line = format!("{}X{}", "a".repeat(10_000), "b".repeat(10_000));
        let shown = ShownLine::new(&line, 10_000);
        assert!(shown.text.len() < MAX_LINE_CHARS + 10, "{}", shown.text.len());
        assert!(shown.text.starts_with("...") && shown.text.ends_with("..."));
        assert_eq!(&shown.text[shown.shown(10_000)..shown.shown(10_001)], "X");
        let short = ShownLine::new("ab\x1bc", 3);
        assert_eq!(short.text, "ab\\u{1b}c");
        assert_eq!(short.shown(3), 8);
    }

    #[test]
    fn binary_is_not_text() {
        assert!(not_text("package a:b;\n").is_none());
        assert!(not_text("a\0b").is_some());
        assert!(not_text(&"\u{fffd}\u{1}x".repeat(40)).is_some());
        assert!(not_text(&format!("package a:b; // \x1b[31m{}", "x".repeat(100))).is_none());
    }
}
