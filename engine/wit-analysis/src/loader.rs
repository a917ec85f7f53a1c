//! Reads WIT files from disk into a [`Layout`], the analysis's ground state.
//!
//! This is the only module of the crate that touches the file system, and nothing in the
//! analysis calls it: the CLI and the tests do, then hand the result to an
//! [`AnalysisHost`](crate::AnalysisHost). The layout rules follow `wit-parser`'s
//! `Resolve::push_path`: a directory holds one package's `*.wit` files plus an optional
//! `deps/` whose entries are each a package (a directory of `*.wit` files, or one `*.wit`
//! file); a single file is a package on its own.
//!
//! Every read is bounded: a file that is not a regular file (a FIFO, which would block, or a
//! device such as `/dev/zero`, which never ends) or is larger than [`MAX_FILE_BYTES`] is
//! skipped with a [`LoadNote`] instead of being read until memory runs out.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use canopy_wit_syntax::{TextRange, TextSize};

/// The largest file the loader reads: 64 MiB, the input limit of the command line too.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

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
    /// Where in the file's (loaded) text; empty at offset 0 when the note is about the file as
    /// a whole.
    pub range: TextRange,
    /// What happened.
    pub message: String,
}

impl LoadNote {
    /// A note about a file as a whole.
    fn file(path: &Path, message: String) -> LoadNote {
        LoadNote { path: display(path), range: TextRange::default(), message }
    }
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

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// It could not be opened or read.
    Io(std::io::Error),
    /// It is not a regular file: a directory, a FIFO, a socket or a device.
    NotRegular,
    /// It is larger than [`MAX_FILE_BYTES`] (or grew past it while being read).
    TooLarge,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(error) => write!(f, "{error}"),
            ReadError::NotRegular => f.write_str(
                "not a regular file (a device, a pipe or a socket is read until it ends, which may be never)",
            ),
            ReadError::TooLarge => write!(f, "larger than {} MiB (the input limit)", MAX_FILE_BYTES >> 20),
        }
    }
}

impl std::error::Error for ReadError {}

/// Reads a regular file of at most [`MAX_FILE_BYTES`], without opening anything else (opening
/// a FIFO blocks until someone writes to it).
pub fn read_bounded(path: &Path) -> Result<Vec<u8>, ReadError> {
    let metadata = std::fs::metadata(path).map_err(ReadError::Io)?;
    if !metadata.is_file() {
        return Err(ReadError::NotRegular);
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge);
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(ReadError::Io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge);
    }
    Ok(bytes)
}

/// Reads a file as the analysis's text: [`read_bounded`], then invalid UTF-8 replaced with
/// U+FFFD, with a note pointing at the first invalid byte.
pub fn read_text_file(path: &Path) -> Result<(String, Option<LoadNote>), ReadError> {
    match String::from_utf8(read_bounded(path)?) {
        Ok(text) => Ok((text, None)),
        Err(err) => {
            let valid_up_to = err.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
            // The text before the bad byte is unchanged, so the replacement starts there.
            let start = TextSize::try_from(valid_up_to).unwrap_or_default();
            let range = TextRange::at(start, TextSize::of('\u{fffd}'));
            let message = format!(
                "file is not valid UTF-8 (first bad byte at offset {valid_up_to}); invalid bytes were replaced with U+FFFD"
            );
            Ok((text, Some(LoadNote { path: display(path), range, message })))
        }
    }
}

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
        let files = read_text(path, &mut layout)?.map(|text| (display(path), text)).into_iter().collect();
        layout.groups.push(LayoutGroup { kind: LayoutGroupKind::Root, files });
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
                if let Some(text) = read_text(&entry, layout)? {
                    layout
                        .groups
                        .push(LayoutGroup { kind: LayoutGroupKind::Dependency, files: vec![(display(&entry), text)] });
                }
            }
            Some("wasm" | "wat") => match decode_wit_package(&entry) {
                Ok(text) => layout.groups.push(LayoutGroup {
                    kind: LayoutGroupKind::Dependency,
                    files: vec![(format!("{} (decoded)", display(&entry)), text)],
                }),
                Err(message) => layout.notes.push(LoadNote::file(&entry, message)),
            },
            _ => {}
        }
    }
    Ok(())
}

/// Decodes a WIT package encoded as a component (binary `.wasm` or text `.wat`) and prints it as
/// WIT text, which the analysis then reads like any other file.
fn decode_wit_package(path: &Path) -> Result<String, String> {
    let bytes = read_bounded(path).map_err(|e| format!("cannot read: {e}"))?;
    let binary = wat::parse_bytes(&bytes).map_err(|e| format!("not a valid WebAssembly text or binary file: {e}"))?;
    if wasmparser::Parser::is_core_wasm(&binary) {
        return Err("this is a core WebAssembly module, not an encoded WIT package; deps/ holds packages only".into());
    }
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
        if let Some(text) = read_text(&path, layout)? {
            files.push((display(&path), text));
        }
    }
    Ok(files)
}

/// The text of a file, with its note recorded; `None` (and a note) for a file that is skipped
/// because it is not a regular file or is too large. A file that cannot be read is an error.
fn read_text(path: &Path, layout: &mut Layout) -> Result<Option<String>, LoadError> {
    match read_text_file(path) {
        Ok((text, note)) => {
            layout.notes.extend(note);
            Ok(Some(text))
        }
        Err(ReadError::Io(error)) => Err(LoadError { path: path.to_path_buf(), error }),
        Err(refused) => {
            layout.notes.push(LoadNote::file(path, format!("file skipped: {refused}")));
            Ok(None)
        }
    }
}

fn display(path: &Path) -> String {
    path.display().to_string()
}
