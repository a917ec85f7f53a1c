//! Test fixtures in the style of rust-analyzer: one or more WIT files in one string, with
//! markers for the cursor and for expected ranges.
//!
//! ```text
//! //- /wit/a.wit
//! package a:b;
//! interface i { type $[t]$ = u32; f: func(x: $0t); }
//! //- /wit/deps/c/c.wit
//! package a:c;
//! ```
//!
//! - `//- PATH` starts a file. Without any, the text is one file `/wit/main.wit`.
//! - Files under `…/deps/NAME/…` form one dependency package per NAME; the rest form the root.
//! - `$0` marks the cursor (at most one), `$[` and `]$` enclose an expected range (any number).
//!
//! Included by every test file with `mod fixture;`.
#![allow(dead_code)]

use std::sync::Arc;

use canopy_wit_analysis::loader::{Layout, LayoutGroup, LayoutGroupKind};
use canopy_wit_analysis::{AnalysisHost, Features};
use canopy_wit_ide::{FileRange, SourceChange, TextRange, TextSize};

/// A parsed fixture loaded into a host.
pub struct Fixture {
    /// The host with every file.
    pub host: AnalysisHost,
    /// `(path, text without markers)`, in fixture order.
    pub files: Vec<(String, String)>,
    /// The cursor, if marked.
    pub cursor: Option<(String, TextSize)>,
    /// Marked ranges, sorted by path and position.
    pub ranges: Vec<FileRange>,
}

impl Fixture {
    /// Parses `fixture` and loads it.
    pub fn new(fixture: &str) -> Fixture {
        let mut files = Vec::new();
        let mut cursor = None;
        let mut ranges = Vec::new();
        for (path, raw) in split_files(fixture) {
            let (text, file_cursor, file_ranges) = strip_markers(&raw);
            if let Some(offset) = file_cursor {
                assert!(cursor.is_none(), "a fixture has at most one cursor");
                cursor = Some((path.clone(), offset));
            }
            let path_arc: Arc<str> = Arc::from(path.as_str());
            ranges.extend(file_ranges.into_iter().map(|range| FileRange { path: path_arc.clone(), range }));
            files.push((path, text));
        }
        ranges.sort_by(|a, b| (&a.path, a.range.start()).cmp(&(&b.path, b.range.start())));
        let mut host = AnalysisHost::new();
        host.set_layout(layout(&files), Features::default());
        Fixture { host, files, cursor, ranges }
    }

    /// The cursor's file and offset; panics when the fixture has none.
    pub fn cursor(&self) -> (&str, TextSize) {
        let (path, offset) = self.cursor.as_ref().expect("fixture has no `$0` cursor");
        (path.as_str(), *offset)
    }

    /// The text of a file.
    pub fn text(&self, path: &str) -> &str {
        &self.files.iter().find(|(p, _)| p == path).expect("no such fixture file").1
    }

    /// The text of a range in a file.
    pub fn slice(&self, path: &str, range: TextRange) -> &str {
        &self.text(path)[usize::from(range.start())..usize::from(range.end())]
    }

    /// Marked ranges of one file.
    pub fn ranges_in(&self, path: &str) -> Vec<TextRange> {
        self.ranges.iter().filter(|r| &*r.path == path).map(|r| r.range).collect()
    }

    /// The first file's path.
    pub fn first_path(&self) -> &str {
        &self.files[0].0
    }

    /// Applies a change to the fixture's texts; returns `(path, new text)` of changed files.
    pub fn apply(&self, change: &SourceChange) -> Vec<(String, String)> {
        change
            .edits
            .iter()
            .map(|(path, edits)| {
                let mut text = self.text(path).to_string();
                let mut sorted = edits.clone();
                sorted.sort_by_key(|e| std::cmp::Reverse(e.range.start()));
                for edit in sorted {
                    text.replace_range(usize::from(edit.range.start())..usize::from(edit.range.end()), &edit.new_text);
                }
                (path.to_string(), text)
            })
            .collect()
    }
}

/// Splits a fixture into `(path, text)` files.
fn split_files(fixture: &str) -> Vec<(String, String)> {
    if !fixture.trim_start().starts_with("//-") {
        return vec![("/wit/main.wit".to_string(), fixture.to_string())];
    }
    let mut files: Vec<(String, String)> = Vec::new();
    for line in fixture.trim_start().split_inclusive('\n') {
        if let Some(path) = line.strip_prefix("//-") {
            files.push((path.trim().to_string(), String::new()));
        } else if let Some((_, text)) = files.last_mut() {
            text.push_str(line);
        }
    }
    files
}

/// Removes `$0`, `$[` and `]$` from a text, returning the clean text, the cursor and the ranges.
fn strip_markers(raw: &str) -> (String, Option<TextSize>, Vec<TextRange>) {
    let mut text = String::with_capacity(raw.len());
    let mut cursor = None;
    let mut ranges = Vec::new();
    let mut open: Vec<TextSize> = Vec::new();
    let mut rest = raw;
    let here = |text: &String| TextSize::try_from(text.len()).unwrap();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("$0") {
            cursor = Some(here(&text));
            rest = after;
        } else if let Some(after) = rest.strip_prefix("$[") {
            open.push(here(&text));
            rest = after;
        } else if let Some(after) = rest.strip_prefix("]$") {
            let start = open.pop().expect("`]$` without `$[`");
            ranges.push(TextRange::new(start, here(&text)));
            rest = after;
        } else {
            let ch = rest.chars().next().unwrap();
            text.push(ch);
            rest = &rest[ch.len_utf8()..];
        }
    }
    assert!(open.is_empty(), "`$[` without `]$`");
    (text, cursor, ranges)
}

/// `(path, text)` pairs.
type Files = Vec<(String, String)>;

/// Groups fixture files into a layout: `…/deps/NAME/…` per NAME, the rest as the root.
fn layout(files: &[(String, String)]) -> Layout {
    // `(dependency name or None for the root, files)`.
    let mut groups: Vec<(Option<String>, Files)> = Vec::new();
    for (path, text) in files {
        let dep = path.split("/deps/").nth(1).map(|rest| rest.split('/').next().unwrap_or(rest).to_string());
        match groups.iter_mut().find(|(d, _)| *d == dep) {
            Some((_, list)) => list.push((path.clone(), text.clone())),
            None => groups.push((dep, vec![(path.clone(), text.clone())])),
        }
    }
    // Dependencies first, the root last, as the loader orders them.
    groups.sort_by_key(|(dep, _)| dep.is_none());
    Layout {
        groups: groups
            .into_iter()
            .map(|(dep, files)| LayoutGroup {
                kind: if dep.is_some() { LayoutGroupKind::Dependency } else { LayoutGroupKind::Root },
                files,
            })
            .collect(),
        notes: Vec::new(),
    }
}

/// Renders ranges as `path:start..end "text"` lines, for readable assertions.
pub fn describe(fixture: &Fixture, ranges: &[FileRange]) -> Vec<String> {
    ranges.iter().map(|r| format!("{}:{:?} {:?}", r.path, r.range, fixture.slice(&r.path, r.range))).collect()
}
