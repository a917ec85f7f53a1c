//! Printing diagnostics: rustc-style for people (stderr), JSON for tools (stdout).
//!
//! What a person reads is bounded and safe to print: control characters of sources, messages
//! and paths are escaped ([`crate::text::escape`]), a long source line is cut around the place it
//! is shown for, and only the first `--max-diagnostics` diagnostics are printed, followed by how
//! many more there are. Snippets are rendered by codespan-reporting from an [`Excerpt`] per
//! diagnostic: the few lines it shows, prepared for display, with their real line numbers and
//! columns. JSON output stays exact and complete.

use std::collections::{BTreeSet, HashMap};
use std::io::{self, IsTerminal, Write};
use std::ops::Range;
use std::sync::Arc;

use canopy_wit_analysis::{AnalysisHost, Diagnostic, LineCol, Severity};
use canopy_wit_syntax::TextRange;
use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream, WriteColor};
use codespan_reporting::term::{self, Chars, Config};
use serde::Serialize;

use crate::text::{self, ShownLine, escape, thousands};

/// One analyzed path: the host (for file texts and positions) and its sorted diagnostics.
pub struct Checked {
    /// The analysis, for file texts and positions.
    pub host: AnalysisHost,
    /// Every diagnostic of the path, sorted by place.
    pub diagnostics: Vec<Diagnostic>,
}

/// What `canopy check` prints for people, besides the diagnostics themselves.
#[derive(Debug, Clone, Copy)]
pub struct HumanOptions {
    /// Print at most this many diagnostics (`None`: all).
    pub max_diagnostics: Option<usize>,
    /// Paths that could not be checked at all (their errors are already printed).
    pub unchecked: usize,
}

/// Prints the diagnostics rustc-style on stderr, then a summary line.
pub fn human(checked: &[Checked], options: HumanOptions) -> io::Result<()> {
    let stderr = StandardStream::stderr(color_choice());
    let mut out = stderr.lock();
    write_human(&mut out, checked, options)
}

/// Colors only for a terminal, and never when `NO_COLOR` is set (<https://no-color.org>).
fn color_choice() -> ColorChoice {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    if no_color || !io::stderr().is_terminal() { ColorChoice::Never } else { ColorChoice::Auto }
}

fn write_human(out: &mut dyn WriteColor, checked: &[Checked], options: HumanOptions) -> io::Result<()> {
    let config = Config { chars: Chars::ascii(), ..Config::default() };
    let (mut errors, mut warnings, mut printed) = (0, 0, 0usize);
    for one in checked {
        let mut sources = Sources::default();
        for diagnostic in &one.diagnostics {
            match diagnostic.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
            }
            if options.max_diagnostics.is_some_and(|max| printed >= max) {
                continue;
            }
            printed += 1;
            let (excerpts, report) = to_report(diagnostic, &one.host, &mut sources);
            term::emit_to_write_style(out, &config, &excerpts, &report).map_err(io::Error::other)?;
        }
    }
    let hidden = errors + warnings - printed;
    if hidden > 0 {
        writeln!(out, "... and {} more (--max-diagnostics 0 prints them all)", thousands(hidden))?;
    }
    if options.unchecked > 0 {
        let plural = |n: usize, word: &str| format!("{} {word}{}", thousands(n), if n == 1 { "" } else { "s" });
        if !checked.is_empty() {
            writeln!(
                out,
                "{}, {}, and {} that could not be checked",
                plural(errors, "error"),
                plural(warnings, "warning"),
                plural(options.unchecked, "path")
            )?;
        }
        return Ok(());
    }
    writeln!(out, "{}", summary(errors, warnings))
}

/// A file's text and the byte offset where each of its lines starts.
type Source = (Arc<str>, Arc<[usize]>);

/// The texts and line starts of the files diagnostics point into, computed once per file.
#[derive(Default)]
struct Sources {
    files: HashMap<Arc<str>, Option<Source>>,
}

impl Sources {
    fn get(&mut self, host: &AnalysisHost, path: &Arc<str>) -> Option<Source> {
        self.files
            .entry(path.clone())
            .or_insert_with(|| {
                let text = host.file_text(path)?;
                let starts: Vec<usize> =
                    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
                Some((text, starts.into()))
            })
            .clone()
    }
}

/// One file as a diagnostic shows it: only the lines its labels need, each escaped and cut,
/// at their real line indices.
struct Excerpt {
    name: String,
    /// The shown lines, each followed by a newline.
    text: String,
    /// Original line index and range in `text` (newline excluded) of each shown line, in order.
    lines: Vec<(usize, Range<usize>)>,
    /// Number of lines of the original file.
    line_count: usize,
    /// Original 1-based column of each label start, by its offset in `text`.
    columns: HashMap<usize, usize>,
}

/// The excerpts of one diagnostic, as codespan's file database.
struct Excerpts(Vec<Excerpt>);

impl<'a> Files<'a> for Excerpts {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, FilesError> {
        Ok(&self.0.get(id).ok_or(FilesError::FileMissing)?.name)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, FilesError> {
        Ok(&self.0.get(id).ok_or(FilesError::FileMissing)?.text)
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, FilesError> {
        let excerpt = self.0.get(id).ok_or(FilesError::FileMissing)?;
        let at = excerpt.lines.partition_point(|(_, range)| range.start <= byte_index);
        Ok(excerpt.lines[at.saturating_sub(1)].0)
    }

    fn column_number(&'a self, id: usize, line_index: usize, byte_index: usize) -> Result<usize, FilesError> {
        let excerpt = self.0.get(id).ok_or(FilesError::FileMissing)?;
        if let Some(&col) = excerpt.columns.get(&byte_index) {
            return Ok(col);
        }
        let range = self.line_range(id, line_index)?;
        Ok(codespan_reporting::files::column_index(&excerpt.text, range, byte_index) + 1)
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, FilesError> {
        let excerpt = self.0.get(id).ok_or(FilesError::FileMissing)?;
        if line_index >= excerpt.line_count {
            return Err(FilesError::LineTooLarge { given: line_index, max: excerpt.line_count.saturating_sub(1) });
        }
        // Lines not shown (the middle of a long multi-line label) are empty: codespan elides them.
        Ok(match excerpt.lines.binary_search_by_key(&line_index, |(line, _)| *line) {
            Ok(i) => excerpt.lines[i].1.start..excerpt.lines[i].1.end + 1,
            Err(_) => 0..0,
        })
    }
}

/// One label before rendering: file, original range, primary or not, message.
struct Place<'d> {
    path: &'d Arc<str>,
    range: TextRange,
    primary: bool,
    message: &'d str,
}

fn to_report(diagnostic: &Diagnostic, host: &AnalysisHost, sources: &mut Sources) -> (Excerpts, Report<usize>) {
    let report = match diagnostic.severity {
        Severity::Error => Report::error(),
        Severity::Warning => Report::warning(),
    };
    let mut report = report.with_code(diagnostic.code).with_message(text::message(&diagnostic.message));
    let mut places = vec![Place { path: &diagnostic.path, range: diagnostic.range, primary: true, message: "" }];
    places.extend(diagnostic.related.iter().map(|r| Place {
        path: &r.path,
        range: r.range,
        primary: false,
        message: &r.message,
    }));
    let mut paths: Vec<&Arc<str>> = Vec::new();
    for place in &places {
        if !paths.contains(&place.path) {
            paths.push(place.path);
        }
    }
    let mut excerpts = Vec::new();
    let mut labels = Vec::new();
    for path in paths {
        let here: Vec<&Place<'_>> = places.iter().filter(|p| p.path == path).collect();
        let Some((source, starts)) = sources.get(host, path) else {
            for place in here {
                report = report.with_note(if place.primary {
                    format!("in {}", escape(path))
                } else {
                    format!("{}: {}", escape(path), text::message(place.message))
                });
            }
            continue;
        };
        let id = excerpts.len();
        let (excerpt, ranges) = excerpt(path, &source, &starts, &here);
        excerpts.push(excerpt);
        for (place, range) in here.iter().zip(ranges) {
            labels.push(if place.primary {
                Label::primary(id, range)
            } else {
                Label::secondary(id, range).with_message(text::message(place.message))
            });
        }
    }
    (Excerpts(excerpts), report.with_labels(labels))
}

/// Builds the excerpt of one file for `places` and returns their ranges in it.
fn excerpt(path: &str, text: &str, starts: &[usize], places: &[&Place<'_>]) -> (Excerpt, Vec<Range<usize>>) {
    let line_count = starts.len();
    let line_of = |offset: usize| starts.partition_point(|&s| s <= offset).saturating_sub(1);
    let clamp = |offset: u32| (offset as usize).min(text.len());
    // The lines codespan may print: each label's first and last line with the context it shows
    // around them, and any single line between two shown ones (codespan prints it instead of `...`).
    let mut shown = BTreeSet::new();
    for place in places {
        let (start, end) = (line_of(clamp(place.range.start().into())), line_of(clamp(place.range.end().into())));
        shown.extend(start.saturating_sub(1)..=(start + 4).min(line_count - 1));
        shown.extend(end.saturating_sub(2)..=(end + 1).min(line_count - 1));
    }
    let gaps: Vec<usize> =
        shown.iter().zip(shown.iter().skip(1)).filter(|(a, b)| **b == **a + 2).map(|(a, _)| a + 1).collect();
    shown.extend(gaps);

    let line_text = |line: usize| {
        let end = starts.get(line + 1).map_or(text.len(), |&s| s - 1);
        let body = &text[starts[line]..end];
        body.strip_suffix('\r').unwrap_or(body)
    };
    let mut out = String::new();
    let mut lines = Vec::new();
    let mut prepared: HashMap<usize, (usize, ShownLine)> = HashMap::new();
    for &line in &shown {
        // Cut a long line around the first label that starts on it (the primary one first), else
        // around the first that ends on it.
        let line_start = starts[line];
        let on_line = |offset: usize| line_of(offset) == line;
        let anchor = places
            .iter()
            .map(|p| clamp(p.range.start().into()))
            .find(|&o| on_line(o))
            .or_else(|| places.iter().map(|p| clamp(p.range.end().into())).find(|&o| on_line(o)))
            .map_or(0, |o| o - line_start);
        let shown_line = ShownLine::new(line_text(line), anchor);
        let begin = out.len();
        out.push_str(&shown_line.text);
        lines.push((line, begin..out.len()));
        out.push('\n');
        prepared.insert(line, (begin, shown_line));
    }
    let mut columns = HashMap::new();
    let mut at = |offset: usize, record: bool| {
        let line = line_of(offset);
        let (begin, shown_line) = &prepared[&line];
        let body = line_text(line);
        let within = (offset - starts[line]).min(body.len());
        let position = begin + shown_line.shown(within);
        if record {
            let col = body.get(..within).map_or(within, |b| b.chars().count()) + 1;
            columns.insert(position, col);
        }
        position
    };
    let ranges = places
        .iter()
        .map(|p| {
            let start = at(clamp(p.range.start().into()), true);
            let end = at(clamp(p.range.end().into()), false).max(start);
            start..end
        })
        .collect();
    (Excerpt { name: escape(path).into_owned(), text: out, lines, line_count, columns }, ranges)
}

/// `no errors`, `no errors, 1 warning`, `2 errors, 0 warnings`…
fn summary(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| {
        if n == 1 { format!("1 {word}") } else { format!("{} {word}s", thousands(n)) }
    };
    match (errors, warnings) {
        (0, 0) => "no errors".to_string(),
        (0, w) => format!("no errors, {}", plural(w, "warning")),
        (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
    }
}

/// A diagnostic as printed by `--format json`.
#[derive(Debug, Serialize)]
struct JsonDiagnostic<'a> {
    path: &'a str,
    severity: &'static str,
    code: &'a str,
    message: &'a str,
    range: Option<JsonRange>,
    byte_range: [u32; 2],
    related: Vec<JsonRelated<'a>>,
}

#[derive(Debug, Serialize)]
struct JsonRelated<'a> {
    path: &'a str,
    message: &'a str,
    range: Option<JsonRange>,
    byte_range: [u32; 2],
}

/// 1-based lines, 1-based columns counted in characters; `end` is exclusive.
#[derive(Debug, Serialize)]
struct JsonRange {
    start: JsonPosition,
    end: JsonPosition,
}

#[derive(Debug, Serialize)]
struct JsonPosition {
    line: u32,
    col: u32,
}

impl From<LineCol> for JsonPosition {
    fn from(lc: LineCol) -> Self {
        JsonPosition { line: lc.line, col: lc.col }
    }
}

/// Prints every diagnostic as one JSON array on stdout.
pub fn json(checked: &[Checked]) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    write_json(&mut out, checked)
}

fn write_json(out: &mut dyn Write, checked: &[Checked]) -> io::Result<()> {
    let mut all = Vec::new();
    for one in checked {
        for d in &one.diagnostics {
            let related = d
                .related
                .iter()
                .map(|r| JsonRelated {
                    path: &r.path,
                    message: &r.message,
                    range: json_range(&one.host, &r.path, r.range),
                    byte_range: byte_range(r.range),
                })
                .collect();
            all.push(JsonDiagnostic {
                path: &d.path,
                severity: match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                },
                code: d.code,
                message: &d.message,
                range: json_range(&one.host, &d.path, d.range),
                byte_range: byte_range(d.range),
                related,
            });
        }
    }
    serde_json::to_writer_pretty(&mut *out, &all)?;
    writeln!(out)
}

/// Line/column range, or `None` for a file that is not part of the analysis.
fn json_range(host: &AnalysisHost, path: &str, range: TextRange) -> Option<JsonRange> {
    Some(JsonRange { start: host.line_col(path, range.start())?.into(), end: host.line_col(path, range.end())?.into() })
}

fn byte_range(range: TextRange) -> [u32; 2] {
    [range.start().into(), range.end().into()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use canopy_wit_analysis::{Features, Layout};
    use codespan_reporting::term::termcolor::NoColor;

    fn checked(text: &str) -> Checked {
        let mut host = AnalysisHost::new();
        let layout = Layout::single_package(vec![("pkg/a.wit".to_string(), text.to_string())]);
        host.set_layout(layout, Features::default());
        let diagnostics = host.diagnostics();
        Checked { host, diagnostics }
    }

    const BROKEN: &str = "package a:b;\n\ninterface i {\n  type t = u32\n  type u = t;\n}\n";

    #[test]
    fn human_output_is_rustc_style() {
        let one = checked(BROKEN);
        assert!(!one.diagnostics.is_empty());
        let mut buffer = NoColor::new(Vec::new());
        write_human(&mut buffer, &[one], HumanOptions { max_diagnostics: None, unchecked: 0 }).unwrap();
        let text = String::from_utf8(buffer.into_inner()).unwrap();
        assert!(text.starts_with("error[syntax]: "), "{text}");
        assert!(text.contains("--> pkg/a.wit:"), "{text}");
        assert!(text.contains("|   type u = t;") || text.contains("type t = u32"), "{text}");
        assert!(text.contains('^'), "{text}");
        assert!(text.trim_end().ends_with("1 error, 0 warnings"), "{text}");
    }

    #[test]
    fn json_output_has_positions_and_byte_ranges() {
        let one = checked(BROKEN);
        let mut buffer = Vec::new();
        write_json(&mut buffer, &[one]).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&buffer).unwrap();
        let first = &value.as_array().unwrap()[0];
        assert_eq!(first["path"], "pkg/a.wit");
        assert_eq!(first["severity"], "error");
        assert_eq!(first["code"], "syntax");
        let start = first["byte_range"][0].as_u64().unwrap() as usize;
        let line = first["range"]["start"]["line"].as_u64().unwrap() as usize;
        assert_eq!(BROKEN[..start].matches('\n').count() + 1, line);
        assert!(first["related"].as_array().unwrap().is_empty());
    }

    #[test]
    fn summaries() {
        assert_eq!(summary(0, 0), "no errors");
        assert_eq!(summary(0, 1), "no errors, 1 warning");
        assert_eq!(summary(1, 0), "1 error, 0 warnings");
        assert_eq!(summary(5, 2), "5 errors, 2 warnings");
    }
}
