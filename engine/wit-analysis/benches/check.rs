//! How fast is a check of a real workspace, cold and after an edit, next to wit-parser?
//!
//! The workspace is `../shared/corpora/wasi-http-0.3/wit` (the `wasi:http` package and the
//! five WASI packages of its `deps/`). Its texts are read into memory once; no timed part
//! touches the disk except the wit-parser `push_dir` baseline, which exists to show what a
//! tool that re-reads the tree pays.
//!
//! - `canopy_cold`: a new `AnalysisHost`, `set_layout`, `diagnostics()`.
//! - `canopy_recheck`: on a host that has already checked the workspace, a one-character
//!   edit inside a doc comment of `types.wit` (alternating between two texts, so every
//!   iteration is a real change), then `diagnostics()`.
//! - `canopy_recheck_incremental`: the same edit given to the host as an edit
//!   (`AnalysisHost::edit_file`, as a language server receives it), so the file is reparsed
//!   incrementally instead of from scratch.
//! - `canopy_recheck_comment_typing`: as an editor sends typing: a character inserted into
//!   that doc comment, then deleted again (alternating), each given as an edit. Unlike the
//!   replacement above, these change the file's length, so positions after them move.
//! - `canopy_recheck_name_edit`: a one-character edit of a name (the `head` case of the
//!   `method` variant becomes `heat` and back), given as an edit: the declarations change, so
//!   the file is lowered again and the workspace re-resolved.
//! - `canopy_parse_edited_file`: `canopy_wit_syntax::parse` of the edited `types.wit` alone,
//!   the floor under `canopy_recheck`.
//! - `wit_parser_push_dir`: wit-parser's `Resolve::push_dir` on the same directory.
//! - `wit_parser_in_memory`: wit-parser from the in-memory texts: one `SourceMap` per package
//!   group, `SourceMap::parse`, then `Resolve::push_groups`.
//!
//! After the measurements the bench prints the ratios of the medians (read back from
//! criterion's `estimates.json` files). Run it with
//! `cargo bench -p canopy-wit-analysis --bench check`; `docs/perf.md` records the figures.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use canopy_wit_analysis::loader::{self, Layout, LayoutGroupKind};
use canopy_wit_analysis::{AnalysisHost, Features};
use canopy_wit_syntax::{TextEdit, TextRange, TextSize};
use criterion::{BatchSize, Criterion};

const GROUP: &str = "wasi-http-0.3";
/// A doc comment of `types.wit` and its one-character variant.
const EDIT_FROM: &str = "This type corresponds to HTTP standard Methods.";
const EDIT_TO: &str = "This type corresponds to HTTP standard Methodz.";
/// A case name of `types.wit` (with the text around it, to find it) whose last character the
/// name-edit benchmark changes.
const NAME_FROM: &str = "\n    head,";

fn wit_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/wasi-http-0.3/wit")
}

fn load() -> Layout {
    let layout = loader::load_path(&wit_dir()).expect("the wasi-http 0.3 corpus");
    assert!(layout.notes.is_empty(), "unexpected load notes: {:?}", layout.notes);
    layout
}

fn types_wit(layout: &Layout) -> (String, String) {
    layout
        .groups
        .iter()
        .filter(|g| g.kind == LayoutGroupKind::Root)
        .flat_map(|g| &g.files)
        .find(|(path, _)| path.ends_with("/types.wit"))
        .cloned()
        .expect("types.wit in the root package")
}

/// wit-parser from memory: parse every package group from its texts, then resolve them all.
fn wit_parser_in_memory(layout: &Layout) -> wit_parser::Resolve {
    let mut main = None;
    let mut deps = Vec::new();
    for group in &layout.groups {
        let mut map = wit_parser::SourceMap::new();
        for (path, text) in &group.files {
            map.push_str(path, text.as_str());
        }
        let parsed = map.parse().map_err(|(_, e)| e).expect("wit-parser parses the corpus");
        match group.kind {
            LayoutGroupKind::Root => main = Some(parsed),
            LayoutGroupKind::Dependency => deps.push(parsed),
        }
    }
    let mut resolve = wit_parser::Resolve::default();
    resolve.push_groups(main.expect("a root package"), deps).expect("wit-parser resolves the corpus");
    resolve
}

fn benches(c: &mut Criterion) {
    let layout = load();
    let (types_path, types_text) = types_wit(&layout);
    assert!(types_text.contains(EDIT_FROM), "the corpus changed: `{EDIT_FROM}` is not in types.wit");
    assert!(types_text.contains(NAME_FROM), "the corpus changed: `{NAME_FROM}` is not in types.wit");
    let texts = [types_text.replacen(EDIT_FROM, EDIT_TO, 1), types_text.clone()];

    // The baseline must resolve: a failure would make its timings meaningless.
    wit_parser::Resolve::default().push_dir(wit_dir()).expect("wit-parser resolves the corpus");
    wit_parser_in_memory(&layout);
    // What the timed check finds, so a figure is never read without knowing what it covered.
    let mut host = AnalysisHost::new();
    host.set_layout(layout.clone(), Features::default());
    let files = host.paths().len();
    println!("{GROUP}: {files} files, {} diagnostics on a cold check", host.diagnostics().len());
    drop(host);

    let mut group = c.benchmark_group(GROUP);
    group.sample_size(50).measurement_time(Duration::from_secs(5));

    group.bench_function("canopy_cold", |b| {
        b.iter_batched(
            || layout.clone(),
            |layout| {
                let mut host = AnalysisHost::new();
                host.set_layout(layout, Features::default());
                let diagnostics = host.diagnostics();
                (host, diagnostics)
            },
            BatchSize::SmallInput,
        )
    });

    group.bench_function("canopy_recheck", |b| {
        let mut host = AnalysisHost::new();
        host.set_layout(layout.clone(), Features::default());
        host.diagnostics();
        let mut next = 0;
        b.iter(|| {
            assert!(host.set_file_text(&types_path, &texts[next]));
            next ^= 1;
            host.diagnostics()
        })
    });

    // Each edit pair alternates on a host that has checked the workspace: one edit, then the one
    // that undoes it, every iteration given as an edit and followed by `diagnostics()`.
    let checked_host = || {
        let mut host = AnalysisHost::new();
        host.set_layout(layout.clone(), Features::default());
        host.diagnostics();
        host
    };
    let mut bench_edits = |name: &str, edits: [TextEdit; 2]| {
        group.bench_function(name, |b| {
            let mut host = checked_host();
            let mut next = 0;
            b.iter(|| {
                assert!(host.edit_file(&types_path, &edits[next]));
                next ^= 1;
                host.diagnostics()
            })
        });
    };

    // The one character that differs between EDIT_FROM and EDIT_TO, and its two values.
    let at = types_text.find(EDIT_FROM).expect("checked above") + EDIT_FROM.len() - 2;
    let range = TextRange::at(TextSize::new(at as u32), TextSize::new(1));
    bench_edits(
        "canopy_recheck_incremental",
        [TextEdit { delete: range, insert: "z".into() }, TextEdit { delete: range, insert: "s".into() }],
    );

    let at = TextSize::new((types_text.find(EDIT_FROM).expect("checked above") + EDIT_FROM.len() - 1) as u32);
    bench_edits(
        "canopy_recheck_comment_typing",
        [
            TextEdit { delete: TextRange::empty(at), insert: "!".into() },
            TextEdit { delete: TextRange::at(at, TextSize::new(1)), insert: String::new() },
        ],
    );

    let at = types_text.find(NAME_FROM).expect("checked above") + NAME_FROM.len() - 2;
    let range = TextRange::at(TextSize::new(at as u32), TextSize::new(1));
    bench_edits(
        "canopy_recheck_name_edit",
        [TextEdit { delete: range, insert: "t".into() }, TextEdit { delete: range, insert: "d".into() }],
    );

    // The floor of a re-check: parsing the edited file alone, nothing else.
    group.bench_function("canopy_parse_edited_file", |b| b.iter(|| canopy_wit_syntax::parse(&texts[0])));

    group.bench_function("wit_parser_push_dir", |b| {
        b.iter(|| {
            let mut resolve = wit_parser::Resolve::default();
            resolve.push_dir(wit_dir()).unwrap();
            resolve
        })
    });

    group.bench_function("wit_parser_in_memory", |b| b.iter(|| wit_parser_in_memory(&layout)));

    group.finish();
}

/// Where criterion writes its results: `$CRITERION_HOME`, or `target/criterion`.
fn output_directory() -> PathBuf {
    match std::env::var_os("CRITERION_HOME") {
        Some(home) => PathBuf::from(home),
        None => Path::new(env!("CARGO_TARGET_TMPDIR")).join("../criterion"),
    }
}

/// The median, in nanoseconds, of a benchmark measured by this process (newer than `since`).
fn median_ns(name: &str, since: SystemTime) -> Option<f64> {
    let path = output_directory().join(GROUP).join(name).join("new/estimates.json");
    let modified = std::fs::metadata(&path).ok()?.modified().ok()?;
    if modified < since {
        return None;
    }
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    json["median"]["point_estimate"].as_f64()
}

fn summary(since: SystemTime) {
    let names = [
        "canopy_cold",
        "canopy_recheck",
        "canopy_recheck_incremental",
        "canopy_recheck_comment_typing",
        "canopy_recheck_name_edit",
        "canopy_parse_edited_file",
        "wit_parser_push_dir",
        "wit_parser_in_memory",
    ];
    let medians: Vec<Option<f64>> = names.iter().map(|n| median_ns(n, since)).collect();
    if medians.iter().all(Option::is_none) {
        return; // `cargo test` mode, or a filter that ran nothing here.
    }
    println!("\nmedians ({GROUP}):");
    for (name, median) in names.iter().zip(&medians) {
        if let Some(ns) = median {
            println!("  {name:<29} {:>12.1} µs", ns / 1e3);
        }
    }
    println!("ratios (how many times faster Canopy is):");
    // Canopy's five checks, each against wit-parser's two.
    for canopy in 0..5 {
        for base in [6, 7] {
            if let (Some(a), Some(b)) = (medians[canopy], medians[base]) {
                println!("  {:<29} vs {:<22} {:>8.1}×", names[canopy], names[base], b / a);
            }
        }
    }
}

fn main() {
    let start = SystemTime::now();
    let mut criterion = Criterion::default().output_directory(&output_directory()).configure_from_args();
    benches(&mut criterion);
    criterion.final_summary();
    summary(start);
}
