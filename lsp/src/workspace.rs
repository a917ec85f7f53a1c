//! The server's picture of the files: the layout on disk, with open editor buffers over it.
//!
//! The workspace folders are loaded with [`canopy_wit_analysis::loader`] (a project's `wit/`
//! and `wit/deps/`, or a folder of `.wit` files) into one [`AnalysisHost`]. A document the
//! client opens replaces the disk text of its file (an *overlay*) until it is closed, when the
//! disk text comes back. A document outside the loaded layout (a lone `.wit` file, an untitled
//! buffer) gets a host of its own in which it is a single-file package. Reloading the layout
//! (after files are created or deleted on disk) keeps every overlay.
//!
//! Files are named by *keys*: the path string the loader uses for a `file:` URI, the URI
//! itself for other schemes.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use canopy_wit_analysis::loader::{self, Layout, LayoutGroup, LayoutGroupKind};
use canopy_wit_analysis::{AnalysisHost, Diagnostic, Features};
use canopy_wit_syntax::TextEdit;
use tower_lsp_server::gen_lsp_types::{TextDocumentContentChangeEvent, Uri};

use crate::position::{LineIndex, PositionEncoding};
use crate::uri;

/// An open editor buffer.
#[derive(Debug, Clone)]
pub struct Document {
    /// The buffer's text.
    pub text: Arc<str>,
    /// The version the client gave with the last change.
    pub version: i32,
}

/// The name of a file in the analysis for a document URI.
pub fn key_of(document: &Uri) -> String {
    match uri::to_path(document) {
        Some(path) => path.display().to_string(),
        None => AsRef::<str>::as_ref(document).to_string(),
    }
}

/// Disk layout plus overlays, and the analysis hosts over them.
pub struct Workspace {
    /// The workspace folders.
    roots: Vec<PathBuf>,
    /// Enabled feature gates.
    features: Features,
    /// The host over the loaded layout (with overlays applied).
    host: AnalysisHost,
    /// Keys of the files of the loaded layout.
    layout_keys: HashSet<Arc<str>>,
    /// Open documents by key.
    documents: HashMap<String, Document>,
    /// Hosts of open documents outside the layout, by key.
    lone: HashMap<String, AnalysisHost>,
}

impl Default for Workspace {
    fn default() -> Self {
        Workspace::new(Vec::new(), Features::default())
    }
}

impl Workspace {
    /// An empty workspace over the given folders; call [`Workspace::reload`] to read them.
    pub fn new(roots: Vec<PathBuf>, features: Features) -> Self {
        Workspace {
            roots,
            features,
            host: AnalysisHost::new(),
            layout_keys: HashSet::new(),
            documents: HashMap::new(),
            lone: HashMap::new(),
        }
    }

    /// The same open documents and features over other folders; call [`Workspace::reload`].
    pub fn with_roots(self, roots: Vec<PathBuf>) -> Self {
        Workspace { roots, ..self }
    }

    /// The workspace folders.
    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    /// Reads the layout of every folder from disk again, puts the open buffers over it, and
    /// moves documents between the layout and lone hosts as files appeared or vanished.
    pub fn reload(&mut self) {
        let mut layout = load_roots(&self.roots);
        for group in &mut layout.groups {
            for (path, text) in &mut group.files {
                if let Some(document) = self.documents.get(path.as_str()) {
                    *text = document.text.to_string();
                }
            }
        }
        self.layout_keys = layout
            .groups
            .iter()
            .flat_map(|group| group.files.iter().map(|(path, _)| Arc::from(path.as_str())))
            .collect();
        self.host.set_layout(layout, self.features.clone());
        let lone_keys: Vec<String> =
            self.documents.keys().filter(|key| !self.layout_keys.contains(key.as_str())).cloned().collect();
        self.lone.retain(|key, _| lone_keys.contains(key));
        for key in lone_keys {
            if !self.lone.contains_key(&key) {
                let text = self.documents[&key].text.to_string();
                self.lone.insert(key.clone(), lone_host(&key, text, &self.features));
            }
        }
    }

    /// Opens a document: its text now overrides the disk.
    pub fn open(&mut self, key: String, text: String, version: i32) {
        let text: Arc<str> = Arc::from(text);
        if self.layout_keys.contains(key.as_str()) {
            self.host.set_file_text(&key, &text);
        } else {
            self.lone.insert(key.clone(), lone_host(&key, text.to_string(), &self.features));
        }
        self.documents.insert(key, Document { text, version });
    }

    /// Applies the changes of one `didChange`, in order. Range edits are resolved against the
    /// text as left by the previous edit, and handed to the analysis as edits (so that typing
    /// inside a comment or a name is reparsed incrementally); a whole-document change replaces
    /// the text. Fails for documents that are not open.
    pub fn change(
        &mut self,
        key: &str,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: PositionEncoding,
    ) -> Result<(), String> {
        let document = self.documents.get_mut(key).ok_or_else(|| format!("document {key} is not open"))?;
        let mut text = document.text.to_string();
        // The range edits since the last whole-document change, or `None` after one.
        let mut edits = Some(Vec::new());
        for change in changes {
            match change {
                TextDocumentContentChangeEvent::TextDocumentContentChangeWholeDocument(whole) => {
                    text = whole.text;
                    edits = None;
                }
                TextDocumentContentChangeEvent::TextDocumentContentChangePartial(partial) => {
                    let index = LineIndex::new(&text);
                    let range = index.text_range(&text, partial.range, encoding);
                    text.replace_range(usize::from(range.start())..usize::from(range.end()), &partial.text);
                    if let Some(edits) = &mut edits {
                        edits.push(TextEdit { delete: range, insert: partial.text });
                    }
                }
            }
        }
        document.text = Arc::from(text);
        document.version = version;
        let text = document.text.clone();
        let host = match self.lone.get_mut(key) {
            Some(host) => host,
            None => &mut self.host,
        };
        let edited = edits.is_some_and(|edits| edits.iter().all(|edit| host.edit_file(key, edit)));
        if !edited || host.file_text(key).is_none_or(|now| *now != *text) {
            host.set_file_text(key, &text);
        }
        Ok(())
    }

    /// Closes a document: the file goes back to its disk text (or leaves the analysis if it has
    /// none). Returns whether the document was open.
    pub fn close(&mut self, key: &str) -> bool {
        if self.documents.remove(key).is_none() {
            return false;
        }
        if self.lone.remove(key).is_some() {
            return true;
        }
        match read_disk_text(Path::new(key)) {
            Some(text) => {
                self.host.set_file_text(key, &text);
            }
            None => self.reload(),
        }
        true
    }

    /// The open document of a key.
    pub fn document(&self, key: &str) -> Option<&Document> {
        self.documents.get(key)
    }

    /// The host that analyzes a file, if the file is known.
    pub fn host_for(&self, key: &str) -> Option<&AnalysisHost> {
        if let Some(host) = self.lone.get(key) {
            return Some(host);
        }
        self.layout_keys.contains(key).then_some(&self.host)
    }

    /// Every host: the layout's first, then the lone documents'.
    pub fn hosts(&self) -> impl Iterator<Item = &AnalysisHost> {
        std::iter::once(&self.host).chain(self.lone.values())
    }

    /// The current text of a known file (buffer or disk).
    pub fn text(&self, key: &str) -> Option<Arc<str>> {
        self.host_for(key)?.file_text(key)
    }

    /// Keys of every file of every host.
    pub fn keys(&self) -> Vec<Arc<str>> {
        let mut keys: Vec<Arc<str>> = self.hosts().flat_map(AnalysisHost::paths).collect();
        keys.sort();
        keys.dedup();
        keys
    }

    /// Every diagnostic of every host.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.hosts().flat_map(AnalysisHost::diagnostics).collect()
    }
}

/// A host in which one document is a package on its own.
fn lone_host(key: &str, text: String, features: &Features) -> AnalysisHost {
    let mut host = AnalysisHost::new();
    host.set_layout(Layout::single_package(vec![(key.to_string(), text)]), features.clone());
    host
}

/// Loads every folder and merges the layouts: dependencies first, then the root packages.
fn load_roots(roots: &[PathBuf]) -> Layout {
    let mut dependencies: Vec<LayoutGroup> = Vec::new();
    let mut packages: Vec<LayoutGroup> = Vec::new();
    let mut notes = Vec::new();
    for root in roots {
        match loader::load_path(root) {
            Ok(layout) => {
                notes.extend(layout.notes);
                for group in layout.groups {
                    if group.files.is_empty() {
                        continue;
                    }
                    match group.kind {
                        LayoutGroupKind::Dependency => dependencies.push(group),
                        LayoutGroupKind::Root => packages.push(group),
                    }
                }
            }
            Err(error) => tracing::warn!("cannot load workspace folder: {error}"),
        }
    }
    dependencies.extend(packages);
    Layout { groups: dependencies, notes }
}

/// The text of a file on disk as the loader reads it: bounded, invalid UTF-8 replaced.
fn read_disk_text(path: &Path) -> Option<String> {
    loader::read_text_file(path).ok().map(|(text, _)| text)
}
