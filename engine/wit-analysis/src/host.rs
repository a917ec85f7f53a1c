//! [`AnalysisHost`]: owns the database and its inputs, and answers questions about them.

use std::collections::HashMap;
use std::sync::Arc;

use canopy_wit_syntax::{TextEdit, TextRange, TextSize};
use salsa::Setter;

use crate::db::{self, Database, PackageGroup, SourceFile, Workspace};
use crate::diagnostics::Diagnostic;
use crate::line_index::LineCol;
use crate::loader::Layout;
use crate::model::Model;
use crate::{Features, current, resolve};

/// The entry point of the analysis: set the layout, edit files, ask for diagnostics.
pub struct AnalysisHost {
    db: Database,
    workspace: Workspace,
    files: HashMap<Arc<str>, SourceFile>,
    /// Load notes of the current layout, reported as diagnostics.
    notes: Vec<Diagnostic>,
}

impl Default for AnalysisHost {
    fn default() -> Self {
        Self::new()
    }
}

impl AnalysisHost {
    /// An empty workspace.
    pub fn new() -> Self {
        Self::with_database(Database::default())
    }

    /// An empty workspace over a given database (one recording executions, say).
    pub fn with_database(db: Database) -> Self {
        let workspace = Workspace::new(&db, Vec::new(), Features::default());
        AnalysisHost { db, workspace, files: HashMap::new(), notes: Vec::new() }
    }

    /// Replaces the whole layout and the enabled features.
    pub fn set_layout(&mut self, layout: Layout, features: Features) {
        let mut groups = Vec::with_capacity(layout.groups.len());
        let mut files = HashMap::new();
        for group in layout.groups {
            let mut group_files = Vec::with_capacity(group.files.len());
            for (path, text) in group.files {
                let path: Arc<str> = Arc::from(path);
                let file = match self.files.get(&path) {
                    Some(&existing) => {
                        if **existing.text(&self.db) != *text {
                            replace_text(&mut self.db, existing, Arc::from(text));
                        }
                        existing
                    }
                    None => SourceFile::new(&self.db, path.clone(), Arc::from(text)),
                };
                files.insert(path, file);
                group_files.push(file);
            }
            groups.push(PackageGroup::new(&self.db, group.kind, group_files));
        }
        self.files = files;
        self.notes = layout
            .notes
            .into_iter()
            .map(|note| {
                let mut d = Diagnostic::error(Arc::from(note.path), note.range, "load", note.message);
                d.severity = crate::Severity::Warning;
                d
            })
            .collect();
        self.workspace.set_groups(&mut self.db).to(groups);
        if *self.workspace.features(&self.db) != features {
            self.workspace.set_features(&mut self.db).to(features);
        }
    }

    /// Changes the text of a file already in the layout. Returns false for unknown paths.
    ///
    /// The new text is compared with the old one, and what differs (the span between their
    /// common prefix and common suffix) is applied as an edit, so that a whole text that differs
    /// in one place — a client without incremental sync, a file saved by another program — is
    /// analyzed as incrementally as the same edit would be.
    pub fn set_file_text(&mut self, path: &str, text: &str) -> bool {
        let Some(&file) = self.files.get(path) else { return false };
        let old = file.text(&self.db).clone();
        if *old == *text {
            return true;
        }
        let edit = difference(&old, text);
        if !self.edit_file(path, &edit) {
            replace_text(&mut self.db, file, Arc::from(text));
        }
        true
    }

    /// Applies one edit to a file already in the layout, reparsing incrementally: an edit inside
    /// a comment, whitespace or a name swaps one token of the old tree instead of parsing the
    /// whole file again. An edit that only touched trivia also keeps the file's item tree, and
    /// with it every resolution result: it is recorded as a position shift (see
    /// [`crate::positions`]). Returns false for unknown paths and for ranges outside the text
    /// or not on character boundaries (nothing changes then).
    pub fn edit_file(&mut self, path: &str, edit: &TextEdit) -> bool {
        let Some(&file) = self.files.get(path) else { return false };
        let Some(new_text) = edit.apply(file.text(&self.db)) else { return false };
        let old = db::parse(&self.db, file).clone();
        let reparse = old.reparse_incremental(edit, &new_text);
        let trivia_swap = reparse.swapped.filter(|swap| swap.kind.is_trivia());
        let kept_basis = trivia_swap.and_then(|swap| {
            let mut shifts = file.shifts(&self.db).clone();
            shifts.push(swap.old_range, swap.new_len).then_some(shifts)
        });
        match kept_basis {
            Some(shifts) => {
                // The item tree stays as it is: lowered from the basis, or from the old parse.
                if file.basis(&self.db).is_none() {
                    file.set_basis(&mut self.db).to(Some(db::BasisParse(old)));
                }
                if *file.shifts(&self.db) != shifts {
                    file.set_shifts(&mut self.db).to(shifts);
                }
            }
            None => clear_basis(&mut self.db, file),
        }
        file.set_text(&mut self.db).to(Arc::from(new_text));
        file.set_reparsed(&mut self.db).to(Some(reparse.parse));
        true
    }

    /// The text of a file in the layout.
    pub fn file_text(&self, path: &str) -> Option<Arc<str>> {
        self.files.get(path).map(|f| f.text(&self.db).clone())
    }

    /// Paths of every file in the layout.
    pub fn paths(&self) -> Vec<Arc<str>> {
        let mut paths: Vec<_> = self.files.keys().cloned().collect();
        paths.sort();
        paths
    }

    /// Every diagnostic of the workspace, sorted by path and position.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut all = self.notes.clone();
        all.extend(current::diagnostics(&self.db, self.workspace).iter().cloned());
        all
    }

    /// The resolved workspace: arenas of packages, interfaces, worlds and types, every name
    /// reference with its definition, and every diagnostic.
    pub fn analysis(&self) -> &resolve::Analysis {
        current::analysis(&self.db, self.workspace)
    }

    /// The resolved workspace in normalized form.
    pub fn model(&self) -> Model {
        crate::to_model::model(&self.db, self.workspace)
    }

    /// 1-based line and column of a byte offset in a file.
    pub fn line_col(&self, path: &str, offset: canopy_wit_syntax::TextSize) -> Option<LineCol> {
        let file = *self.files.get(path)?;
        Some(db::line_index(&self.db, file).line_col(file.text(&self.db), offset))
    }

    /// The database, for queries not wrapped here.
    pub fn db(&self) -> &Database {
        &self.db
    }

    /// The workspace input.
    pub fn workspace(&self) -> Workspace {
        self.workspace
    }

    /// The input handle of a file.
    pub fn file(&self, path: &str) -> Option<SourceFile> {
        self.files.get(path).copied()
    }
}

/// The one edit that turns `old` into `new`: everything between their longest common prefix
/// and their longest common suffix (not overlapping it), on character boundaries.
fn difference(old: &str, new: &str) -> TextEdit {
    let mut prefix = old.bytes().zip(new.bytes()).take_while(|(a, b)| a == b).count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let longest_suffix = old.len().min(new.len()) - prefix;
    let mut suffix = old.bytes().rev().zip(new.bytes().rev()).take(longest_suffix).take_while(|(a, b)| a == b).count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    let delete = TextRange::new(TextSize::new(prefix as u32), TextSize::new((old.len() - suffix) as u32));
    TextEdit { delete, insert: new[prefix..new.len() - suffix].to_string() }
}

/// Sets a file's whole text; its next parse starts from scratch.
fn replace_text(db: &mut Database, file: SourceFile, text: Arc<str>) {
    file.set_text(db).to(text);
    if file.reparsed(db).is_some() {
        file.set_reparsed(db).to(None);
    }
    clear_basis(db, file);
}

/// Makes the file's item tree follow its current parse again.
fn clear_basis(db: &mut Database, file: SourceFile) {
    if file.basis(db).is_some() {
        file.set_basis(db).to(None);
    }
    if !file.shifts(db).is_empty() {
        file.set_shifts(db).to(Default::default());
    }
}

#[cfg(test)]
mod tests {
    use super::difference;

    fn check(old: &str, new: &str) {
        let edit = difference(old, new);
        assert_eq!(edit.apply(old).as_deref(), Some(new), "{old:?} -> {new:?} via {edit:?}");
    }

    #[test]
    fn the_difference_turns_old_into_new() {
        check("abc", "abXc");
        check("abc", "ac");
        check("aaa", "aaaa");
        check("", "x");
        check("x", "");
        check("héllo", "hèllo"); // differ inside a two-byte character
        check("aé", "aè");
        check("éa", "èa");
        check("same start, other end", "same start, changed end");
        let edit = difference("interface a {}", "interface ab {}");
        assert_eq!((u32::from(edit.delete.start()), u32::from(edit.delete.end()), edit.insert.as_str()), (11, 11, "b"));
    }
}
