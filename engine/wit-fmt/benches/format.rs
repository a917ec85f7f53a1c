//! How fast is formatting? Measured on the largest file of the WASI HTTP 0.3 tree
//! (`wit/types.wit`, the `wasi:http` types) and on every `.wit` file of the tree together.
//!
//! - `format_types_wit`: `format` of `types.wit` (parse included).
//! - `format_whole_tree`: `format` of each `.wit` file of the tree, `deps/` included.
//! - `format_range_one_item`: `format_range` of `types.wit` for a cursor inside one function,
//!   as a language server's "format selection" asks.
//!
//! Run it with `cargo bench -p canopy-wit-fmt --bench format`.

use std::path::{Path, PathBuf};

use canopy_wit_fmt::{FormatOptions, format, format_range};
use canopy_wit_syntax::{TextRange, TextSize};
use criterion::Criterion;

fn wit_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/wasi-http-0.3/wit")
}

/// Every `.wit` file under `dir`, recursively, as text.
fn wit_files(dir: &Path, out: &mut Vec<String>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            wit_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "wit") {
            out.push(std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())));
        }
    }
}

fn main() {
    let options = FormatOptions::default();
    let types = std::fs::read_to_string(wit_dir().join("types.wit")).expect("types.wit of wasi-http 0.3");
    let mut tree = Vec::new();
    wit_files(&wit_dir(), &mut tree);
    let cursor = TextSize::new(types.find("set-method: func").expect("a function of types.wit") as u32 + 4);

    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("wit-fmt");
    group.bench_function("format_types_wit", |b| b.iter(|| format(&types, &options).expect("formats")));
    group.bench_function("format_whole_tree", |b| {
        b.iter(|| tree.iter().map(|text| format(text, &options).expect("formats").len()).sum::<usize>())
    });
    group.bench_function("format_range_one_item", |b| {
        b.iter(|| format_range(&types, TextRange::empty(cursor), &options).expect("formats"))
    });
    group.finish();
    criterion.final_summary();
    println!(
        "inputs: types.wit is {} bytes; the tree has {} files, {} bytes",
        types.len(),
        tree.len(),
        tree.iter().map(String::len).sum::<usize>()
    );
}
