//! Reads WIT files from disk into a [`Layout`], the analysis's ground state.
//!
//! This is the only module of the crate that touches the file system, and nothing in the
//! analysis calls it: the CLI and the tests do, then hand the result to an
//! [`AnalysisHost`](crate::AnalysisHost). The layout rules follow `wit-parser`'s
//! `Resolve::push_path`: a directory holds one package's `*.wit` files plus an optional
//! `deps/` whose entries are each a package (a directory of `*.wit` files, or one `*.wit`
//! file); a single file is a package on its own.

use std::fmt;
use std::path::{Path, PathBuf};

/// Whether a group of files is the package being checked or one of its dependencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LayoutGroupKind {
    /// The root package (the project's `wit/` folder, or the file given).
    Root,
    /// An entry of `deps/`.
    Dependency,
}

/// Files that together form one package (plus any nested `package … { }` blocks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoutGroup {
    /// Root or dependency.
    pub kind: LayoutGroupKind,
    /// `(path, text)` of each file, sorted by path.
    pub files: Vec<(String, String)>,
}

/// Something the loader could not use fully; reported to the user, never silently dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadNote {
    /// The file concerned.
    pub path: String,
    /// What happened.
    pub message: String,
}

/// Every package of a workspace, dependencies first, the root last.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    /// The package groups.
    pub groups: Vec<LayoutGroup>,
    /// Files skipped or read with losses.
    pub notes: Vec<LoadNote>,
}

impl Layout {
    /// A layout of one root package made of the given `(path, text)` files.
    pub fn single_package(files: Vec<(String, String)>) -> Self {
        Layout { groups: vec![LayoutGroup { kind: LayoutGroupKind::Root, files }], notes: Vec::new() }
    }
}

/// A path that could not be read at all.
#[derive(Debug)]
pub struct LoadError {
    /// The path.
    pub path: PathBuf,
    /// The IO error.
    pub error: std::io::Error,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot read {}: {}", self.path.display(), self.error)
    }
}

impl std::error::Error for LoadError {}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> LoadError + '_ {
    move |error| LoadError { path: path.to_path_buf(), error }
}

/// Loads a project folder (one with a `wit/` folder), a WIT folder, or one `.wit` file.
pub fn load_path(path: &Path) -> Result<Layout, LoadError> {
    let mut layout = Layout::default();
    let metadata = std::fs::metadata(path).map_err(io_err(path))?;
    if metadata.is_dir() {
        let wit_dir = path.join("wit");
        let dir = if wit_dir.is_dir() { wit_dir } else { path.to_path_buf() };
        load_deps(&dir.join("deps"), &mut layout)?;
        let files = read_wit_files(&dir, &mut layout)?;
        layout.groups.push(LayoutGroup { kind: LayoutGroupKind::Root, files });
    } else {
        let text = read_text(path, &mut layout)?;
        layout.groups.push(LayoutGroup { kind: LayoutGroupKind::Root, files: vec![(display(path), text)] });
    }
    Ok(layout)
}

fn load_deps(deps: &Path, layout: &mut Layout) -> Result<(), LoadError> {
    if !deps.is_dir() {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(deps).map_err(io_err(deps))?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            let files = read_wit_files(&entry, layout)?;
            layout.groups.push(LayoutGroup { kind: LayoutGroupKind::Dependency, files });
            continue;
        }
        match entry.extension().and_then(|e| e.to_str()) {
            Some("wit") => {
                let text = read_text(&entry, layout)?;
                layout
                    .groups
                    .push(LayoutGroup { kind: LayoutGroupKind::Dependency, files: vec![(display(&entry), text)] });
            }
            Some("wasm" | "wat") => match decode_wit_package(&entry) {
                Ok(text) => layout.groups.push(LayoutGroup {
                    kind: LayoutGroupKind::Dependency,
                    files: vec![(format!("{} (decoded)", display(&entry)), text)],
                }),
                Err(message) => layout.notes.push(LoadNote { path: display(&entry), message }),
            },
            _ => {}
        }
    }
    Ok(())
}

/// Decodes a WIT package encoded as a component (binary `.wasm` or text `.wat`) and prints it as
/// WIT text, which the analysis then reads like any other file.
fn decode_wit_package(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    let binary = wat::parse_bytes(&bytes).map_err(|e| format!("not a valid WebAssembly text or binary file: {e}"))?;
    let decoded = wit_parser::decoding::decode(&binary).map_err(|e| format!("cannot decode a WIT package: {e:#}"))?;
    let (resolve, package) = match decoded {
        wit_parser::decoding::DecodedWasm::WitPackage(resolve, package) => (resolve, package),
        wit_parser::decoding::DecodedWasm::Component(..) => {
            return Err("this is a component, not an encoded WIT package; deps/ holds packages only".to_string());
        }
    };
    let mut printer = wit_component::WitPrinter::default();
    printer.print(&resolve, package, &[]).map_err(|e| format!("cannot print the decoded package as WIT: {e:#}"))?;
    Ok(printer.output.to_string())
}

fn read_wit_files(dir: &Path, layout: &mut Layout) -> Result<Vec<(String, String)>, LoadError> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io_err(dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| !p.is_dir() && p.extension().is_some_and(|e| e == "wit"))
        .collect();
    paths.sort();
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        let text = read_text(&path, layout)?;
        files.push((display(&path), text));
    }
    Ok(files)
}

fn read_text(path: &Path, layout: &mut Layout) -> Result<String, LoadError> {
    let bytes = std::fs::read(path).map_err(io_err(path))?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(err) => {
            let valid_up_to = err.utf8_error().valid_up_to();
            layout.notes.push(LoadNote {
                path: display(path),
                message: format!(
                    "file is not valid UTF-8 (first bad byte at offset {valid_up_to}); invalid bytes were replaced with U+FFFD"
                ),
            });
            Ok(String::from_utf8_lossy(err.as_bytes()).into_owned())
        }
    }
}

fn display(path: &Path) -> String {
    path.display().to_string()
}
