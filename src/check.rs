//! `canopy check`: loads WIT packages from disk, analyzes them and prints their diagnostics.
//!
//! Before the loader reads anything, every file it would read is checked to be a regular file
//! within the input limit ([`crate::text::MAX_INPUT_BYTES`]); a file that turns out not to be
//! text (a binary given as `.wit`) is one `not-text` error instead of hundreds of syntax errors.

use std::path::{Path, PathBuf};

use canopy_wit_analysis::{AnalysisHost, Diagnostic, Features, Layout, Severity, loader};
use canopy_wit_syntax::TextRange;
use clap::{Args, ValueEnum};

use crate::Status;
use crate::report::{self, Checked, HumanOptions};
use crate::text::{self, escape};

/// Arguments of `canopy check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// What to check: a project folder (one with a `wit/` folder), a folder of `.wit` files, or
    /// a single `.wit` file. A folder's `deps/` entries are loaded as its dependencies. Defaults
    /// to the current folder.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// How to print diagnostics: `human` (rustc-style, on stderr) or `json` (an array, on stdout).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,

    /// Feature gates to enable (`@unstable(feature = name)`), comma-separated.
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    features: Vec<String>,

    /// Enable every feature gate.
    #[arg(long)]
    all_features: bool,

    /// Print at most N diagnostics in human format, then how many more there are (`0`: all of
    /// them). The summary and the exit status count every diagnostic; JSON output has them all.
    #[arg(long, value_name = "N", default_value_t = 50)]
    max_diagnostics: usize,
}

/// Output format of `canopy check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Source snippets with underlines, for people.
    Human,
    /// A JSON array of diagnostics, for tools.
    Json,
}

/// Runs `canopy check`.
pub fn run(args: CheckArgs) -> Status {
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths };
    let features = Features {
        enabled: args.features.iter().map(|f| f.trim().to_string()).filter(|f| !f.is_empty()).collect(),
        all: args.all_features,
    };

    let mut status = Status::Success;
    let mut checked = Vec::with_capacity(paths.len());
    let mut unchecked = 0;
    for path in &paths {
        match analyze(path, &features) {
            Ok(one) => {
                if one.diagnostics.iter().any(|d| d.severity == Severity::Error) {
                    status = status.max(Status::Failure);
                }
                checked.push(one);
            }
            Err(message) => {
                eprintln!("error: {message}");
                status = Status::Usage;
                unchecked += 1;
            }
        }
    }

    let options =
        HumanOptions { max_diagnostics: (args.max_diagnostics > 0).then_some(args.max_diagnostics), unchecked };
    let printed = match args.format {
        Format::Human => report::human(&checked, options),
        Format::Json => report::json(&checked),
    };
    if let Err(err) = printed {
        // A closed pipe (`canopy check | head`) is not worth a panic, but it is a failure.
        eprintln!("error: cannot write the report: {err}");
        return Status::Usage;
    }
    status
}

/// Loads and analyzes one path. The error says which path and why.
fn analyze(path: &Path, features: &Features) -> Result<Checked, String> {
    let shown = escape(&path.display().to_string()).into_owned();
    preflight(path).map_err(|err| format!("cannot check `{shown}`: {err}"))?;
    let mut layout =
        loader::load_path(path).map_err(|err| format!("cannot check `{shown}`: {}", escape(&err.to_string())))?;
    let not_text = take_binary_files(&mut layout);
    if !has_wit_files(&layout) && not_text.is_empty() {
        return Err(format!(
            "cannot check `{shown}`: no `.wit` files found (expected a project folder with a `wit/` folder, \
             a folder of `.wit` files, or a `.wit` file)",
        ));
    }
    let mut host = AnalysisHost::new();
    host.set_layout(layout, features.clone());
    let mut diagnostics: Vec<Diagnostic> = host.diagnostics();
    diagnostics.extend(not_text);
    diagnostics.sort_by(|a, b| {
        (&a.path, a.range.start(), a.range.end(), a.severity).cmp(&(
            &b.path,
            b.range.start(),
            b.range.end(),
            b.severity,
        ))
    });
    Ok(Checked { host, diagnostics })
}

fn has_wit_files(layout: &Layout) -> bool {
    layout.groups.iter().any(|group| !group.files.is_empty())
}

/// Takes the files that are not text out of the layout, each as one `not-text` error: the
/// analysis of a binary file says nothing useful, at great length.
fn take_binary_files(layout: &mut Layout) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for group in &mut layout.groups {
        group.files.retain(|(path, text)| match text::not_text(text) {
            Some(reason) => {
                errors.push(Diagnostic::error(path.as_str().into(), TextRange::default(), "not-text", reason));
                false
            }
            None => true,
        });
    }
    // A load note about such a file (invalid UTF-8) says the same thing again.
    let dropped: Vec<&str> = errors.iter().map(|d| &*d.path).collect();
    layout.notes.retain(|note| !dropped.contains(&note.path.as_str()));
    errors
}

/// Checks that every file the loader would read for `path` is a regular file within the input
/// limit, so that a device or a pipe never reaches it (it reads files whole).
fn preflight(path: &Path) -> Result<(), String> {
    let metadata = std::fs::metadata(path).map_err(|e| format!("cannot read it: {e}"))?;
    if !metadata.is_dir() {
        return check_file(path, &metadata);
    }
    let wit = path.join("wit");
    let dir = if wit.is_dir() { wit } else { path.to_path_buf() };
    let mut files = wit_entries(&dir);
    if dir.join("deps").is_dir() {
        for entry in entries(&dir.join("deps")) {
            if entry.is_dir() {
                files.extend(wit_entries(&entry));
            } else if entry.extension().is_some_and(|e| e == "wit" || e == "wasm" || e == "wat") {
                files.push(entry);
            }
        }
    }
    for file in files {
        // A file that vanished or cannot be read is the loader's to report.
        if let Ok(metadata) = std::fs::metadata(&file) {
            check_file(&file, &metadata).map_err(|e| format!("`{}`: {e}", escape(&file.display().to_string())))?;
        }
    }
    Ok(())
}

fn check_file(path: &Path, metadata: &std::fs::Metadata) -> Result<(), String> {
    if !metadata.is_file() {
        return Err(loader::ReadError::NotRegular.to_string());
    }
    if metadata.len() > text::MAX_INPUT_BYTES {
        return Err(text::too_large(path));
    }
    Ok(())
}

fn entries(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir).map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default()
}

fn wit_entries(dir: &Path) -> Vec<PathBuf> {
    entries(dir).into_iter().filter(|p| !p.is_dir() && p.extension().is_some_and(|e| e == "wit")).collect()
}
