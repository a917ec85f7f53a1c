//! Printing diagnostics: rustc-style for people (stderr), JSON for tools (stdout).

use std::collections::HashMap;
use std::io::{self, IsTerminal, Write};
use std::sync::Arc;

use canopy_wit_analysis::{AnalysisHost, Diagnostic, LineCol, Severity};
use canopy_wit_syntax::TextRange;
use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream, WriteColor};
use codespan_reporting::term::{self, Chars, Config};
use serde::Serialize;

/// One analyzed path: the host (for file texts and positions) and its sorted diagnostics.
pub struct Checked {
    pub host: AnalysisHost,
    pub diagnostics: Vec<Diagnostic>,
}

/// Prints every diagnostic rustc-style on stderr, then a summary line.
pub fn human(checked: &[Checked]) -> io::Result<()> {
    let stderr = StandardStream::stderr(color_choice());
    let mut out = stderr.lock();
    write_human(&mut out, checked)
}

/// Colors only for a terminal, and never when `NO_COLOR` is set (<https://no-color.org>).
fn color_choice() -> ColorChoice {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    if no_color || !io::stderr().is_terminal() { ColorChoice::Never } else { ColorChoice::Auto }
}

fn write_human(out: &mut dyn WriteColor, checked: &[Checked]) -> io::Result<()> {
    let config = Config { chars: Chars::ascii(), ..Config::default() };
    let (mut errors, mut warnings) = (0, 0);
    for one in checked {
        let mut files = SimpleFiles::new();
        let mut ids = HashMap::new();
        for path in one.host.paths() {
            let text = one.host.file_text(&path).unwrap_or_default();
            ids.insert(path.clone(), files.add(path, text));
        }
        for diagnostic in &one.diagnostics {
            match diagnostic.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
            }
            let report = to_report(diagnostic, &ids);
            term::emit_to_write_style(out, &config, &files, &report).map_err(io::Error::other)?;
        }
    }
    writeln!(out, "{}", summary(errors, warnings))
}

fn to_report(diagnostic: &Diagnostic, ids: &HashMap<Arc<str>, usize>) -> Report<usize> {
    let report = match diagnostic.severity {
        Severity::Error => Report::error(),
        Severity::Warning => Report::warning(),
    };
    let mut report = report.with_code(diagnostic.code).with_message(&diagnostic.message);
    let mut labels = Vec::new();
    match ids.get(&diagnostic.path) {
        Some(&id) => labels.push(Label::primary(id, range(diagnostic.range))),
        None => report = report.with_note(format!("in {}", diagnostic.path)),
    }
    for related in &diagnostic.related {
        match ids.get(&related.path) {
            Some(&id) => labels.push(Label::secondary(id, range(related.range)).with_message(&related.message)),
            None => report = report.with_note(format!("{}: {}", related.path, related.message)),
        }
    }
    report.with_labels(labels)
}

fn range(range: TextRange) -> std::ops::Range<usize> {
    usize::from(range.start())..usize::from(range.end())
}

/// `no errors`, `no errors, 1 warning`, `2 errors, 0 warnings`…
fn summary(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| {
        if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
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
        write_human(&mut buffer, &[one]).unwrap();
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
