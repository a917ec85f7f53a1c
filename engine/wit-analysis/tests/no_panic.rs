//! Robustness: no input, however broken, makes the parser or the analysis panic.
//!
//! Inputs are derived from the real WIT files under `../shared` (the wit-parser UI corpus and
//! the WASI corpora), read in place, and mutated by a seeded, deterministic generator:
//! truncation, byte flips, splices of two files, token insertion and deletion, line shuffles,
//! random UTF-8, deep nesting, very long identifiers and numbers, and a few 1 MB files.
//!
//! For every input the test checks that
//! - `parse` does not panic and its tree gives back exactly the input text (losslessness);
//! - every syntax error range lies inside the text and on `char` boundaries;
//!
//! and for the inputs that also go through the full analysis (`AnalysisHost::set_layout` or
//! `set_file_text`, then `diagnostics()` and `model()`), that
//! - nothing panics;
//! - every diagnostic (and every related place) names a file of the layout and a range inside
//!   that file's text, on `char` boundaries.
//!
//! Numbers per `cargo test --release` run (the CI configuration), 100,000+ inputs in all:
//! - `mutated_files_alone`: 70,000 mutated files parsed; every 3rd one (23,334) also analyzed
//!   in a fresh host as a one-file package;
//! - `mutated_files_in_workspaces`: 30,000 mutated files, each parsed and analyzed in place of
//!   the file it came from inside a real multi-package workspace (wasi-http 0.2 and 0.3, and
//!   the wit-parser UI directories), through `set_file_text`, i.e. incrementally;
//! - `extreme_inputs`: 600 generated inputs (deep nesting up to 20,000 levels, identifiers
//!   and numbers up to 300,000 characters, random UTF-8) and 10 files of 1 MB or more, each
//!   parsed and analyzed.
//!
//! - `extreme_inputs` also analyzes generated chains and cycles (aliases, records, `use`s,
//!   `include`s, nested packages, …; see `support/deep_inputs.rs`) of up to 20,000 links,
//!   whole and mutated.
//!
//! Every test runs on a thread with a 256 KiB stack, so that recursion as deep as some part of
//! an input overflows here, in CI, rather than in a user's editor (a stack overflow aborts the
//! test binary: it cannot be caught like a panic).
//!
//! Debug builds run a tenth of the cases. `CANOPY_NO_PANIC_SCALE` (a float, default 1, or
//! 0.1 in debug builds) scales the counts and `CANOPY_NO_PANIC_SEED` changes the seed. A
//! failing input is written to `CARGO_TARGET_TMPDIR` and its path is printed; re-run it alone
//! with `CANOPY_NO_PANIC_REPLAY=<path> cargo test --release --test no_panic replay`.

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use canopy_wit_analysis::loader::{self, Layout};
use canopy_wit_analysis::{AnalysisHost, Diagnostic, Features};
use canopy_wit_syntax::TextRange;

mod support;

use support::deep_inputs;
use support::rng::Rng;

/// Stack of the threads the tests run on: a small fraction of a main thread's 8 MiB.
const SMALL_STACK: usize = 256 * 1024;

/// Runs `f` on a thread with a [`SMALL_STACK`], passing its panic on.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    let outcome = std::thread::Builder::new().stack_size(SMALL_STACK).spawn(f).unwrap().join();
    if let Err(payload) = outcome {
        panic::resume_unwind(payload);
    }
}

fn seed() -> u64 {
    std::env::var("CANOPY_NO_PANIC_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x00c0_ffee_0000_0001)
}

fn scaled(count: usize) -> usize {
    let default = if cfg!(debug_assertions) { 0.1 } else { 1.0 };
    let scale: f64 = std::env::var("CANOPY_NO_PANIC_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(default);
    ((count as f64 * scale).ceil() as usize).max(1)
}

// ---------------------------------------------------------------------------------------------
// The corpus.

fn shared_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

fn collect_wit_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_wit_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "wit") {
            out.push(path);
        }
    }
}

/// Every `.wit` file of the shared corpora, as `(path, text)`, in a stable order.
fn corpus() -> &'static [(String, String)] {
    static CORPUS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let shared = shared_dir();
        let mut paths = Vec::new();
        collect_wit_files(&shared.join("conformance/wit-parser-ui"), &mut paths);
        collect_wit_files(&shared.join("corpora"), &mut paths);
        let files: Vec<(String, String)> = paths
            .into_iter()
            .map(|p| {
                let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
                (p.display().to_string(), String::from_utf8_lossy(&bytes).into_owned())
            })
            .collect();
        assert!(
            files.len() >= 300,
            "expected the shared WIT corpus at {}, found {} files",
            shared.display(),
            files.len()
        );
        files
    })
}

/// Multi-file, multi-package workspaces: the WASI corpora and the wit-parser UI directories.
fn workspace_dirs() -> Vec<PathBuf> {
    let shared = shared_dir();
    let mut dirs = vec![shared.join("corpora/wasi-http-0.3"), shared.join("corpora/wasi-http-0.2")];
    for ui in [shared.join("conformance/wit-parser-ui"), shared.join("conformance/wit-parser-ui/parse-fail")] {
        let mut entries: Vec<PathBuf> =
            std::fs::read_dir(&ui).expect("wit-parser UI corpus").filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        dirs.extend(entries.into_iter().filter(|p| p.is_dir()));
    }
    dirs
}

// ---------------------------------------------------------------------------------------------
// Mutations.

/// Pieces of WIT, broken and whole, to insert.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "<",
    ">",
    "(",
    ")",
    ";",
    ":",
    "@",
    "/",
    "%",
    ",",
    ".",
    "=",
    "->",
    "*",
    "_",
    "-",
    " ",
    "\n",
    "\r\n",
    "\t",
    "//",
    "///",
    "/*",
    "*/",
    "/**",
    "\"",
    "'",
    "\\",
    "#",
    "$",
    "!",
    "?",
    "0",
    "1.0.0",
    "@1.0.0",
    "1.0.0-pre+b",
    "18446744073709551616",
    "package",
    "package a:b;",
    "package a:b {",
    "interface",
    "interface i {",
    "world",
    "world w {",
    "use",
    "use a:b/c.{d};",
    "use i.{t as u};",
    "type",
    "type t = u32;",
    "record",
    "record r {",
    "variant",
    "variant v {",
    "enum",
    "enum e {",
    "flags",
    "flags f {",
    "resource",
    "resource r;",
    "func",
    "f: func();",
    "f: async func(x: u32) -> u32;",
    "static",
    "constructor",
    "constructor();",
    "async",
    "stream",
    "stream<",
    "future",
    "future<",
    "list",
    "list<",
    "list<u8, 4>",
    "option<",
    "result<",
    "result<_, e>",
    "tuple<",
    "borrow<",
    "own<",
    "import",
    "export",
    "include",
    "with",
    "as",
    "from",
    "u8",
    "s64",
    "f32",
    "char",
    "string",
    "bool",
    "error-context",
    "@since(version = 1.0.0)",
    "@unstable(feature = x)",
    "@deprecated(version = 0.1.0)",
    "@since(",
    "%interface",
    "a-b",
    "A-B",
    "a--b",
    "-a",
    "a-",
    "1a",
    "aB",
    "é",
    "\u{feff}",
    "\u{202e}",
    "\u{0}",
    "\u{7f}",
    "\u{fffd}",
    "🦀",
    "\u{301}",
    "\u{10ffff}",
];

/// Characters for random strings: ASCII structure, whitespace, controls and assorted Unicode.
const CHARS: &[char] = &[
    'a',
    'b',
    'z',
    'A',
    'Z',
    '0',
    '9',
    '-',
    '_',
    '%',
    '@',
    ':',
    ';',
    '/',
    '.',
    ',',
    '{',
    '}',
    '<',
    '>',
    '(',
    ')',
    '=',
    '*',
    ' ',
    '\t',
    '\n',
    '\r',
    '\u{0}',
    '\u{b}',
    '\u{c}',
    '\u{7f}',
    '\u{85}',
    '\u{a0}',
    'é',
    'ß',
    'ǅ',
    '\u{130}',
    '\u{212a}',
    '\u{301}',
    '\u{200d}',
    '\u{202e}',
    '\u{2066}',
    '\u{feff}',
    '\u{fffd}',
    '漢',
    '🦀',
    '\u{10ffff}',
    '\u{149}',
    '\u{e000}',
];

fn floor(text: &str, at: usize) -> usize {
    text.floor_char_boundary(at.min(text.len()))
}

fn random_char(rng: &mut Rng) -> char {
    if rng.chance(80) {
        *rng.pick(CHARS)
    } else {
        loop {
            let raw = if rng.chance(50) { rng.below(0x800) as u32 } else { rng.below(0x11_0000) as u32 };
            if let Some(ch) = char::from_u32(raw) {
                break ch;
            }
        }
    }
}

fn random_string(rng: &mut Rng, max_len: usize) -> String {
    let len = rng.below(max_len + 1);
    let mut s = String::with_capacity(len);
    while s.len() < len {
        if rng.chance(30) {
            s.push_str(rng.pick::<&str>(TOKENS));
        } else {
            s.push(random_char(rng));
        }
    }
    s
}

fn truncate(rng: &mut Rng, text: &str) -> String {
    let bytes = text.as_bytes();
    let at = rng.below(bytes.len() + 1);
    String::from_utf8_lossy(&bytes[..at]).into_owned()
}

fn flip_bytes(rng: &mut Rng, text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    if bytes.is_empty() {
        bytes.push(rng.next_u64() as u8);
    }
    for _ in 0..rng.range(1, 8) {
        let at = rng.below(bytes.len());
        bytes[at] = if rng.chance(50) { bytes[at] ^ (1 << rng.below(8)) } else { rng.next_u64() as u8 };
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn splice(rng: &mut Rng, a: &str, b: &str) -> String {
    // Byte offsets: a cut inside a character exercises the lossy conversion too.
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let cut_a = rng.below(a.len() + 1);
    let cut_b = rng.below(b.len() + 1);
    let mut bytes = a[..cut_a].to_vec();
    bytes.extend_from_slice(&b[cut_b..]);
    String::from_utf8_lossy(&bytes).into_owned()
}

fn edit_tokens(rng: &mut Rng, text: &str) -> String {
    let mut text = text.to_string();
    for _ in 0..rng.range(1, 10) {
        let at = floor(&text, rng.below(text.len() + 1));
        match rng.below(4) {
            0 | 1 => {
                let token = *rng.pick(TOKENS);
                text.insert_str(at, token);
            }
            2 => {
                let end = floor(&text, at + rng.range(1, 20));
                text.replace_range(at..end, "");
            }
            _ => {
                // Delete one occurrence of a structural character near `at`.
                let needle = *rng.pick(&['{', '}', '<', '>', '(', ')', ';', ':', '@', '/', '%', ',', '.', '=']);
                if let Some(found) = text[at..].find(needle).map(|i| i + at).or_else(|| text.find(needle)) {
                    text.remove(found);
                }
            }
        }
    }
    text
}

fn shuffle_lines(rng: &mut Rng, text: &str) -> String {
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    if lines.is_empty() {
        return String::new();
    }
    for _ in 0..rng.range(1, 4) {
        let i = rng.below(lines.len());
        let j = rng.below(lines.len());
        match rng.below(3) {
            0 => lines.swap(i, j),
            1 => {
                let line = lines[i];
                lines.insert(j, line);
            }
            _ => {
                if lines.len() > 1 {
                    lines.remove(i);
                }
            }
        }
    }
    lines.concat()
}

fn insert_random(rng: &mut Rng, text: &str) -> String {
    let mut text = text.to_string();
    let at = floor(&text, rng.below(text.len() + 1));
    let piece = random_string(rng, 64);
    text.insert_str(at, &piece);
    text
}

/// One of the cheap mutations, applied once, with its name.
fn light_mutation(rng: &mut Rng, text: &str, other: &str) -> (String, &'static str) {
    match rng.below(100) {
        0..15 => (truncate(rng, text), "truncate"),
        15..32 => (flip_bytes(rng, text), "flip-bytes"),
        32..44 => (splice(rng, text, other), "splice"),
        44..72 => (edit_tokens(rng, text), "edit-tokens"),
        72..84 => (shuffle_lines(rng, text), "shuffle-lines"),
        _ => (insert_random(rng, text), "insert-random"),
    }
}

/// A mutation of `text` (`other` is a second corpus file, for splices).
fn mutate(rng: &mut Rng, text: &str, other: &str) -> (String, String) {
    match rng.below(100) {
        0..2 => (text.to_string(), "unchanged".to_string()),
        2..80 => {
            let (out, name) = light_mutation(rng, text, other);
            (out, name.to_string())
        }
        80..95 => {
            let mut out = text.to_string();
            let mut names = Vec::new();
            for _ in 0..rng.range(2, 5) {
                let (next, name) = light_mutation(rng, &out, other);
                out = next;
                names.push(name);
            }
            (out, names.join("+"))
        }
        _ => {
            // A deep or long piece dropped into a real file.
            let piece = if rng.chance(50) { deep_nesting(rng, 3000) } else { long_identifier(rng, 20_000) };
            let mut out = text.to_string();
            let at = floor(&out, rng.below(out.len() + 1));
            out.insert_str(at, &piece);
            (out, "insert-extreme".to_string())
        }
    }
}

/// Openers for deep nesting, each with what closes it.
const OPENERS: &[(&str, &str)] = &[
    ("list<", ">"),
    ("option<", ">"),
    ("result<", ">"),
    ("result<_, ", ">"),
    ("tuple<u8, ", ">"),
    ("borrow<", ">"),
    ("own<", ">"),
    ("stream<", ">"),
    ("future<", ">"),
    ("list<u8, ", ">"),
    ("<", ">"),
    ("{", "}"),
    ("(", ")"),
    ("/*", "*/"),
    ("package a:b {\n", "}\n"),
    ("interface i {\n", "}\n"),
    ("world w {\n", "}\n"),
    ("import x: interface {\n", "}\n"),
    ("record r {\n a: ", "}\n"),
    ("variant v { c(", ") }\n"),
    ("f: func(a: ", ");\n"),
    ("f: func() -> ", ";\n"),
];

/// Deeply nested text: one opener repeated or a random mix, closed fully, partly or not at all.
fn deep_nesting(rng: &mut Rng, max_depth: usize) -> String {
    let depth = rng.log_range(10, max_depth);
    let mixed = rng.chance(30);
    let single = *rng.pick(OPENERS);
    let mut open = String::new();
    let mut closers = Vec::with_capacity(depth);
    for _ in 0..depth {
        let (o, c) = if mixed { *rng.pick(OPENERS) } else { single };
        open.push_str(o);
        closers.push(c);
    }
    open.push_str(rng.pick::<&str>(&["u8", "string", "t", "", "a:b/c", ";"]));
    let closed = match rng.below(3) {
        0 => depth,
        1 => rng.below(depth + 1),
        _ => 0,
    };
    for c in closers.iter().rev().take(closed) {
        open.push_str(c);
    }
    // Wrap it into a type position of a real-looking file half the time.
    if rng.chance(50) { format!("package a:b;\n\ninterface i {{\n  type t = {open};\n}}\n") } else { open }
}

/// Very long identifiers, versions, numbers and docs in the places they can appear.
fn long_identifier(rng: &mut Rng, max_len: usize) -> String {
    let len = rng.log_range(100, max_len);
    let word: String = match rng.below(6) {
        0 => "a".repeat(len),
        1 => "ab-".repeat(len / 3 + 1) + "c",
        2 => "A".repeat(len),
        3 => "aB".repeat(len / 2 + 1),
        4 => "9".repeat(len),
        _ => "é".repeat(len / 2 + 1),
    };
    match rng.below(9) {
        0 => format!("package a:b;\ninterface {word} {{}}\n"),
        1 => format!("package {word}:{word}@1.0.0-{word};\n"),
        2 => format!("package a:b@{word}.{word}.{word};\n"),
        3 => format!("package a:b;\ninterface i {{\n  @since(version = 1.{word}.0)\n  f: func();\n}}\n"),
        4 => format!("package a:b;\ninterface i {{\n  @unstable(feature = {word})\n  type %{word} = u8;\n}}\n"),
        5 => format!("package a:b;\n/// {word}\nworld w {{ import {word}: func(); }}\n"),
        6 => format!("package a:b;\ninterface i {{ type t = list<u8, {word}>; }}\n"),
        7 => format!("package a:b;\ninterface i {{ use a:b/{word}@{word}.{{{word} as %{word}}}; }}\n"),
        _ => word,
    }
}

/// Inputs of 1 MB or more, made once.
fn huge_inputs() -> Vec<(String, String)> {
    const MB: usize = 1 << 20;
    let mut rng = Rng::new(seed() ^ 0x1_0000);
    let mut concat = String::new();
    while concat.len() < MB {
        concat.push_str(&rng.pick(corpus()).1);
    }
    let random_bytes: Vec<u8> = (0..MB).map(|_| rng.next_u64() as u8).collect();
    let mut many_funcs = String::from("package a:b;\n\ninterface i {\n");
    let mut k = 0;
    while many_funcs.len() < MB {
        many_funcs.push_str(&format!("  f{k}: func(a: list<u8>) -> result<u32, string>;\n"));
        k += 1;
    }
    many_funcs.push_str("}\n");
    let mut duplicates = String::from("package a:b;\n\ninterface i {\n");
    while duplicates.len() < MB {
        duplicates.push_str("  type t = u8;\n  f: func();\n");
    }
    duplicates.push_str("}\n");
    vec![
        ("corpus-concatenation".into(), concat),
        ("random-bytes".into(), String::from_utf8_lossy(&random_bytes).into_owned()),
        ("open-braces".into(), "{".repeat(MB)),
        ("open-lists".into(), format!("package a:b;\ninterface i {{ type t = {} }}", "list<".repeat(MB / 5))),
        ("identifier".into(), "a".repeat(MB)),
        ("block-comments".into(), "/*".repeat(MB / 2)),
        ("newlines".into(), "\n".repeat(MB)),
        ("multibyte".into(), "é漢🦀\u{301}".repeat(MB / 10)),
        ("many-functions".into(), many_funcs),
        ("many-duplicates".into(), duplicates),
    ]
}

// ---------------------------------------------------------------------------------------------
// Checks.

fn check_range(what: &str, text: &str, range: TextRange) {
    let (start, end) = (usize::from(range.start()), usize::from(range.end()));
    assert!(end <= text.len(), "{what}: range {range:?} ends past the text ({} bytes)", text.len());
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what}: range {range:?} is not on char boundaries"
    );
}

/// Parses `text` and checks losslessness and the syntax error ranges.
fn check_parse(text: &str) {
    let parse = canopy_wit_syntax::parse(text);
    let printed = parse.syntax().to_string();
    if printed != text {
        let at = printed.bytes().zip(text.bytes()).position(|(a, b)| a != b).unwrap_or(printed.len().min(text.len()));
        panic!(
            "the tree is not lossless: it differs from the text at byte {at} ({} vs {} bytes)",
            printed.len(),
            text.len()
        );
    }
    for error in parse.errors() {
        check_range(&format!("syntax error `{}`", error.message), text, error.range);
    }
}

/// Checks every diagnostic of `host` against the current texts of its files.
fn check_host(host: &AnalysisHost) {
    let diagnostics = host.diagnostics();
    let _model = host.model();
    let text_of = |d: &Diagnostic, path: &str| -> Option<std::sync::Arc<str>> {
        let text = host.file_text(path);
        assert!(
            text.is_some() || d.code == "load",
            "diagnostic `{}` names a file not in the layout: {path}",
            d.message
        );
        text
    };
    for (index, d) in diagnostics.iter().enumerate() {
        if let Some(text) = text_of(d, &d.path) {
            check_range(&format!("diagnostic `{}` ({})", d.message, d.code), &text, d.range);
            // Line/column conversion is linear in the line's length: sample a few.
            if index < 8 {
                assert!(host.line_col(&d.path, d.range.start()).is_some());
            }
        }
        for related in &d.related {
            if let Some(text) = text_of(d, &related.path) {
                check_range(&format!("related place `{}` of `{}`", related.message, d.message), &text, related.range);
            }
        }
    }
}

/// Parses and analyzes `text` as a one-file package in a fresh host.
fn check_alone(text: &str) {
    let mut host = AnalysisHost::new();
    host.set_layout(
        Layout::single_package(vec![("fuzz/input.wit".to_string(), text.to_string())]),
        Features::default(),
    );
    check_host(&host);
}

/// Runs `f`; when it panics, saves the input for replay and fails with a useful message.
fn guarded(case: &str, description: &str, text: &str, f: impl FnOnce()) {
    if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(f)) {
        let name: String = case.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
        let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("no-panic-{name}.wit"));
        let saved = match std::fs::write(&path, text) {
            Ok(()) => format!("saved to {}", path.display()),
            Err(e) => format!("could not be saved to {}: {e}", path.display()),
        };
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("(non-string panic payload)");
        panic!(
            "case {case} ({description}, seed {}, {} bytes) failed: {message}\nthe input was {saved}",
            seed(),
            text.len()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Tests.

#[test]
fn mutated_files_alone() {
    on_small_stack(|| {
        let files = corpus();
        let cases = scaled(70_000);
        let mut rng = Rng::new(seed());
        let mut analyzed = 0;
        for case in 0..cases {
            let (_, base) = rng.pick(files);
            let (_, other) = rng.pick(files);
            let (text, description) = mutate(&mut rng, base, other);
            let analyze = case % 3 == 0;
            guarded(&format!("alone-{case}"), &description, &text, || {
                check_parse(&text);
                if analyze {
                    check_alone(&text);
                }
            });
            analyzed += usize::from(analyze);
        }
        eprintln!("mutated_files_alone: {cases} inputs parsed, {analyzed} analyzed");
    });
}

#[test]
fn mutated_files_in_workspaces() {
    on_small_stack(|| {
        let mut workspaces = Vec::new();
        for dir in workspace_dirs() {
            let layout = loader::load_path(&dir).unwrap_or_else(|e| panic!("{e}"));
            let files: Vec<(String, String)> = layout.groups.iter().flat_map(|g| g.files.iter().cloned()).collect();
            if files.is_empty() {
                continue;
            }
            let mut host = AnalysisHost::new();
            host.set_layout(layout, Features::default());
            check_host(&host);
            workspaces.push((host, files));
        }
        assert!(
            workspaces.len() >= 20,
            "expected the wit-parser UI directories, found {} workspaces",
            workspaces.len()
        );
        // The WASI workspaces are the realistic ones: give them half the cases.
        let cases = scaled(30_000);
        let mut rng = Rng::new(seed() ^ 0x2_0000);
        for case in 0..cases {
            let index = if rng.chance(50) { rng.below(2) } else { rng.below(workspaces.len()) };
            let (host, files) = &mut workspaces[index];
            let (path, original) = rng.pick(files);
            let (_, other) = rng.pick(corpus());
            let (text, description) = mutate(&mut rng, original, other);
            guarded(&format!("workspace-{case}"), &format!("{description} of {path}"), &text, || {
                check_parse(&text);
                assert!(host.set_file_text(path, &text));
                check_host(host);
                assert!(host.set_file_text(path, original));
            });
        }
        // Back to the original texts: the analysis must still work after all those edits.
        for (host, _) in &workspaces {
            check_host(host);
        }
        eprintln!("mutated_files_in_workspaces: {cases} inputs parsed and analyzed in {} workspaces", workspaces.len());
    });
}

#[test]
fn extreme_inputs() {
    on_small_stack(|| {
        let cases = scaled(600);
        let mut rng = Rng::new(seed() ^ 0x3_0000);
        for case in 0..cases {
            let (text, description) = match case % 3 {
                0 => (deep_nesting(&mut rng, 20_000), "deep-nesting"),
                1 => (long_identifier(&mut rng, 300_000), "long-identifier"),
                _ => (random_string(&mut rng, 20_000), "random-utf8"),
            };
            guarded(&format!("extreme-{case}"), description, &text, || {
                check_parse(&text);
                check_alone(&text);
            });
        }
        // Chains and cycles, whole and mutated (a mutation may break a link or the syntax); of
        // the inputs made of many files, the root's first file.
        let chains = scaled(60);
        for case in 0..chains {
            let &(_, make, files) = rng.pick(deep_inputs::KINDS);
            let n = rng.log_range(10, if files { 500 } else { 20_000 });
            let input = make(n);
            let original = &input.groups.last().unwrap().files[0].1;
            let (_, other) = rng.pick(corpus());
            let (text, description) =
                if case % 4 == 0 { (original.clone(), "whole".to_string()) } else { mutate(&mut rng, original, other) };
            guarded(&format!("chain-{case}"), &format!("{description} of {} ({n})", input.name), &text, || {
                check_parse(&text);
                check_alone(&text);
            });
        }
        let huge = huge_inputs();
        for (name, text) in &huge {
            assert!(text.len() >= 1 << 20);
            guarded(&format!("huge-{name}"), name, text, || {
                check_parse(text);
                check_alone(text);
            });
        }
        // The trivial corners.
        for (name, text) in [("empty", ""), ("bom", "\u{feff}"), ("nul", "\0"), ("cr", "\r"), ("package", "package")] {
            guarded(&format!("corner-{name}"), name, text, || {
                check_parse(text);
                check_alone(text);
            });
        }
        eprintln!(
            "extreme_inputs: {cases} generated inputs, {chains} chains and cycles, and {} inputs of 1 MB or more",
            huge.len()
        );
    });
}

#[test]
fn every_corpus_file_unchanged() {
    on_small_stack(|| {
        for (path, text) in corpus() {
            guarded(&format!("corpus-{path}"), "unchanged", text, || {
                check_parse(text);
                check_alone(text);
            });
        }
    });
}

/// Re-runs one saved input: `CANOPY_NO_PANIC_REPLAY=<path>`. Does nothing without it.
#[test]
fn replay() {
    let Ok(path) = std::env::var("CANOPY_NO_PANIC_REPLAY") else {
        return;
    };
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let text = String::from_utf8_lossy(&bytes).into_owned();
    on_small_stack(move || {
        check_parse(&text);
        check_alone(&text);
    });
}
