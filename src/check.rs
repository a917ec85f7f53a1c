//! `canopy check`: loads WIT packages from disk, analyzes them and prints their diagnostics.

use std::path::{Path, PathBuf};

use canopy_wit_analysis::{AnalysisHost, Diagnostic, Features, Layout, Severity, loader};
use clap::{Args, ValueEnum};

use crate::Status;
use crate::report::{self, Checked};

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
            }
        }
    }

    let printed = match args.format {
        Format::Human => report::human(&checked),
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
    let layout = loader::load_path(path).map_err(|err| format!("cannot check `{}`: {err}", path.display()))?;
    if !has_wit_files(&layout) {
        return Err(format!(
            "cannot check `{}`: no `.wit` files found (expected a project folder with a `wit/` folder, \
             a folder of `.wit` files, or a `.wit` file)",
            path.display()
        ));
    }
    let mut host = AnalysisHost::new();
    host.set_layout(layout, features.clone());
    let mut diagnostics: Vec<Diagnostic> = host.diagnostics();
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
