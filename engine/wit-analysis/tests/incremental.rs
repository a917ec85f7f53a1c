//! Incrementality: an edit to one file re-runs the per-file queries of that file only.
//!
//! The database records the name of every query salsa executes (rather than reuses), in the
//! form salsa prints a database key, e.g. `parse(Id(1c00))`. The tests load the wasi-http 0.3
//! workspace (the root package plus five dependency packages), check it once, clear the
//! log, make a one-character edit in a doc comment or a plain comment of the root package's
//! `types.wit`, check again, and look at what ran.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use canopy_wit_analysis::db::ExecutionLog;
use canopy_wit_analysis::loader;
use canopy_wit_analysis::{AnalysisHost, Database, Features};
use canopy_wit_syntax::{TextEdit, TextRange, TextSize};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/wasi-http-0.3")
}

/// A host over the wasi-http 0.3 workspace that logs query executions into the returned log.
fn logged_host() -> (AnalysisHost, ExecutionLog) {
    let log: ExecutionLog = Arc::new(Mutex::new(Vec::new()));
    let mut host = AnalysisHost::with_database(Database::with_execution_log(log.clone()));
    let layout = loader::load_path(&corpus_dir()).expect("the wasi-http 0.3 corpus");
    assert!(layout.groups.len() > 1, "expected the root package and its deps/");
    host.set_layout(layout, Features::default());
    (host, log)
}

/// The path of the root package's `types.wit` as the layout names it.
fn types_wit(host: &AnalysisHost) -> Arc<str> {
    let root = corpus_dir().join("wit").join("types.wit");
    let root = root.display().to_string();
    host.paths().into_iter().find(|p| **p == *root).unwrap_or_else(|| panic!("{root} is not in the layout"))
}

/// `text` with the first occurrence of `find` replaced by `replace`.
fn edited(text: &str, find: &str, replace: &str) -> String {
    assert!(text.contains(find), "the corpus changed: `{find}` is no longer in types.wit");
    text.replacen(find, replace, 1)
}

/// The executed queries, drained from the log.
fn take(log: &ExecutionLog) -> Vec<String> {
    std::mem::take(&mut *log.lock().unwrap())
}

/// The query name of a logged database key: `parse` for `parse(Id(1c00))`.
fn query_name(entry: &str) -> &str {
    entry.split('(').next().unwrap_or(entry)
}

fn count(executed: &[String], query: &str) -> usize {
    executed.iter().filter(|e| query_name(e) == query).count()
}

/// Runs one edit of `types.wit` and checks that only that file was re-parsed and re-lowered.
fn check_edit(find: &str, replace: &str) {
    let (mut host, log) = logged_host();
    let first = host.diagnostics();
    let cold = take(&log);
    let files = host.paths().len();
    assert!(files > 20, "expected the whole workspace, got {files} files");
    assert_eq!(count(&cold, "parse"), files, "the first check parses every file once: {cold:#?}");

    let path = types_wit(&host);
    let text = host.file_text(&path).unwrap();
    let new_text = edited(&text, find, replace);
    assert_eq!(new_text.len(), text.len(), "a one-character edit");
    assert!(host.set_file_text(&path, &new_text));
    let second = host.diagnostics();
    let executed = take(&log);

    // The full list, to tighten the assertions below as the analysis grows.
    eprintln!("queries executed after editing {find:?} into {replace:?} in {path}:");
    for entry in &executed {
        eprintln!("  {entry}");
    }

    assert_eq!(count(&executed, "parse"), 1, "only the edited file is re-parsed: {executed:#?}");
    assert!(count(&executed, "file_items") <= 1, "only the edited file is re-lowered: {executed:#?}");
    assert!(count(&executed, "line_index") <= 1, "only the edited file is re-indexed: {executed:#?}");
    // The parse that ran is the edited file's: the cold run parsed it under the same key.
    let parsed = executed.iter().find(|e| query_name(e) == "parse").unwrap();
    assert!(cold.contains(parsed), "`{parsed}` is not a query of the cold run");
    // Nothing ran more often than there are files; in particular no query ran per file
    // for every file of the workspace.
    let mut names: Vec<&str> = executed.iter().map(|e| query_name(e)).collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        let runs = count(&executed, name);
        assert!(runs < files, "`{name}` ran {runs} times for a one-file edit (the workspace has {files} files)");
    }

    // A change in a comment or a doc does not add or remove diagnostics.
    assert_eq!(first.len(), second.len(), "a comment edit changed the diagnostics: {first:#?}\n{second:#?}");
}

#[test]
fn doc_comment_edit_reparses_one_file() {
    check_edit("This type corresponds to HTTP standard Methods.", "This type corresponds to HTTP standard Methodz.");
}

#[test]
fn whitespace_edit_reparses_one_file() {
    // The root package has no plain `//` comments; a space of indentation turned into a tab
    // is the other edit that changes no meaning.
    check_edit(
        "\n  /// This type corresponds to HTTP standard Methods.",
        "\n \t/// This type corresponds to HTTP standard Methods.",
    );
}

#[test]
fn edit_and_revert_gives_identical_diagnostics() {
    let (mut host, log) = logged_host();
    let before = host.diagnostics();
    let model_before = host.model();
    let path = types_wit(&host);
    let original = host.file_text(&path).unwrap().to_string();

    // An edit that breaks the file, then the original text again.
    let broken = edited(&original, "interface types {", "interface types {{");
    assert!(host.set_file_text(&path, &broken));
    let during = host.diagnostics();
    assert_ne!(before, during, "breaking types.wit must change the diagnostics");
    assert!(host.set_file_text(&path, &original));
    assert_eq!(before, host.diagnostics(), "reverting an edit restores the diagnostics");
    assert_eq!(model_before, host.model(), "reverting an edit restores the model");

    // A one-character edit and back, then the same through a fresh host: all identical.
    let tweaked = edited(&original, "Methods.", "Methodz.");
    assert!(host.set_file_text(&path, &tweaked));
    host.diagnostics();
    assert!(host.set_file_text(&path, &original));
    assert_eq!(before, host.diagnostics());

    let (fresh, _) = logged_host();
    assert_eq!(before, fresh.diagnostics(), "an edited-and-reverted host agrees with a fresh one");
    assert_eq!(model_before, fresh.model());
    drop(log);
}

#[test]
fn incremental_edits_agree_with_whole_text_replacement() {
    let (mut host, _log) = logged_host();
    let before = host.diagnostics();
    let path = types_wit(&host);
    let original = host.file_text(&path).unwrap().to_string();

    // Type a character into a doc comment, then break the file, through `edit_file`.
    let at = original.find("Methods.").unwrap() + "Method".len();
    let doc_edit = TextEdit { delete: TextRange::at(TextSize::new(at as u32), TextSize::new(1)), insert: "z".into() };
    assert!(host.edit_file(&path, &doc_edit));
    assert_eq!(*host.file_text(&path).unwrap(), *edited(&original, "Methods.", "Methodz."));
    assert_eq!(before, host.diagnostics(), "a doc-comment edit changes no diagnostic");

    let brace = original.find("interface types {").unwrap() + "interface types ".len();
    let break_edit = TextEdit { delete: TextRange::empty(TextSize::new(brace as u32)), insert: "{".into() };
    assert!(host.edit_file(&path, &break_edit));
    let broken_text = host.file_text(&path).unwrap().to_string();
    let broken = host.diagnostics();
    assert_ne!(before, broken);

    // The same text set whole on a fresh host gives the same diagnostics.
    let (mut fresh, _) = logged_host();
    assert!(fresh.set_file_text(&path, &broken_text));
    assert_eq!(broken, fresh.diagnostics(), "incremental and whole-text edits must agree");

    // Edits outside the text, or inside a character, change nothing.
    let len = broken_text.len() as u32;
    let past = TextEdit { delete: TextRange::at(TextSize::new(len + 1), TextSize::new(0)), insert: "x".into() };
    assert!(!host.edit_file(&path, &past));
    assert!(!host.edit_file("no/such/file.wit", &doc_edit));
    assert_eq!(*host.file_text(&path).unwrap(), *broken_text);
}

/// Edits typed into a doc comment through `edit_file`: what runs after each.
fn executed_after_doc_typing(edits: &[(&str, &str)]) -> (Vec<Vec<String>>, AnalysisHost) {
    let (mut host, log) = logged_host();
    host.diagnostics();
    host.analysis();
    take(&log);
    let path = types_wit(&host);
    let mut runs = Vec::new();
    for (find, insert) in edits {
        let text = host.file_text(&path).unwrap();
        let at = text.find(find).unwrap_or_else(|| panic!("`{find}` is not in types.wit")) + find.len();
        let edit = TextEdit { delete: TextRange::empty(TextSize::new(at as u32)), insert: insert.to_string() };
        assert!(host.edit_file(&path, &edit));
        host.diagnostics();
        runs.push(take(&log));
    }
    (runs, host)
}

#[test]
fn typing_in_a_doc_comment_resolves_nothing_again() {
    let doc = "This type corresponds to HTTP standard Methods";
    // Two characters typed (the text grows), then a space typed into the indentation.
    let (runs, host) = executed_after_doc_typing(&[(doc, "!"), (doc, "?"), ("\n  /// This type corresponds", " ")]);
    for executed in &runs {
        eprintln!("executed: {executed:?}");
        assert_eq!(count(executed, "parse"), 1, "the edited file is re-parsed: {executed:#?}");
        assert_eq!(count(executed, "file_items"), 0, "the item tree is kept: {executed:#?}");
        assert_eq!(count(executed, "analyze"), 0, "resolution is not re-run: {executed:#?}");
        assert_eq!(count(executed, "diagnostics"), 1, "the diagnostics are re-assembled: {executed:#?}");
    }
    // The IDE's view has the new docs, at the new positions.
    let analysis = host.analysis();
    let method = analysis.resolved.types.iter().find(|t| t.name == "method").expect("the `method` type");
    let docs = method.docs.as_deref().unwrap_or_default();
    assert!(docs.contains("Methods?!"), "hover would show stale docs: {docs:?}");
    let location = method.location.unwrap();
    let text = host.file_text(&types_wit(&host)).unwrap();
    assert_eq!(&text[location.range], "method", "the type's location did not follow the edits");
}
