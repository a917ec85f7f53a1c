//! Keystroke-to-diagnostics latency of `canopy lsp`, measured the way an editor sees it.
//!
//! The bench starts the real `canopy` binary as `canopy lsp` on stdio, opens every `.wit` file
//! of `../shared/corpora/wasi-http-0.3` (the project and its `deps/`), and records the server's
//! resident memory. Then it sends 1,000 scripted `textDocument/didChange` notifications, one
//! character each, spread round-robin over the files, and times each from the moment the
//! notification is written until the `publishDiagnostics` for that document and version arrives.
//! The script alternates, per file, between two kinds of keystroke: a character typed into a
//! doc comment and deleted again (the common case: nothing changes but the text), and a
//! character appended to a built-in type's name, which makes it undefined, and removed again (the
//! diagnostics change both times; the bench checks that they do, so a server that skipped
//! analysis could not look fast).
//!
//! Beside it, in the same run, wit-parser's full `Resolve::push_dir` of the same tree, which is
//! what a tool without incremental analysis does per keystroke.
//!
//! Run it with `cargo bench --bench lsp_latency`; set `CANOPY_LSP_EDITS` for another edit count.
//! `docs/perf.md` records the figures.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

fn corpus_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/wasi-http-0.3")
}

fn wit_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            wit_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "wit") {
            out.push(path);
        }
    }
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.canonicalize().expect("corpus path").display())
}

/// The server process and the messages it sends, parsed on a reader thread.
struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: u64,
}

impl Server {
    fn start() -> Server {
        let binary = std::env::var_os("CANOPY_BIN").map(PathBuf::from).unwrap_or(env!("CARGO_BIN_EXE_canopy").into());
        let mut child = Command::new(&binary)
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_frame(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        Server { child, stdin, messages, next_id: 1 }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write to server");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn request(&mut self, method: &str, params: Option<Value>) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({ "jsonrpc": "2.0", "id": id, "method": method });
        if let Some(params) = params {
            message["params"] = params;
        }
        self.send(message);
        let response = self.wait_for(|m| m["id"] == id);
        assert!(response.get("error").is_none(), "{method} failed: {response}");
        response["result"].clone()
    }

    /// The next message satisfying `accept`; others are dropped.
    fn wait_for(&self, accept: impl Fn(&Value) -> bool) -> Value {
        loop {
            let message = self.messages.recv_timeout(Duration::from_secs(30)).expect("the server went silent");
            if accept(&message) {
                return message;
            }
        }
    }

    /// The diagnostics published for `uri` at `version`.
    fn diagnostics_for(&self, uri: &str, version: i64) -> Vec<Value> {
        let message = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"].as_i64() == Some(version)
        });
        message["params"]["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    /// Replaces `range` of `document` by `text` as its next version, and returns the
    /// diagnostics published for that version.
    fn keystroke(&mut self, document: &mut Document, range: Value, text: &str) -> Vec<Value> {
        document.version += 1;
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": document.uri, "version": document.version },
                    "contentChanges": [{ "range": range, "text": text }] }),
        );
        self.diagnostics_for(&document.uri, document.version)
    }

    /// Resident and peak resident memory of the server, in KiB.
    fn memory_kib(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }

    fn stop(mut self) {
        self.request("shutdown", None);
        self.send(json!({ "jsonrpc": "2.0", "method": "exit" }));
        let status = self.child.wait().expect("the server exits");
        assert!(status.success(), "the server exited with {status}");
    }
}

fn read_frame(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length:") {
            length = value.trim().parse().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// Uses of built-in types in parameters, fields and results: a character appended to one makes
/// an undefined name.
const TYPE_USES: [&str; 10] =
    [": string", ": u64", ": u32", ": u8", ": bool", ": s64", ": s32", "-> u64", "-> bool", "-> string"];

/// An open document and where its two keystrokes go.
struct Document {
    uri: String,
    version: i64,
    /// UTF-16 (line, character) just inside the first doc comment, if any.
    in_comment: Option<(u32, u32)>,
    /// Just after the first use of a built-in type (see [`TYPE_USES`]), if any.
    after_type_name: Option<(u32, u32)>,
    /// How many keystrokes this document has had (even: insert next, odd: delete).
    strokes: u32,
}

/// The (line, UTF-16 character) of byte offset `offset` in `text`.
fn position(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].encode_utf16().count() as u32)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn main() {
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return; // `cargo test --benches` and IDE discovery: nothing to list.
    }
    let edits: usize = std::env::var("CANOPY_LSP_EDITS").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
    let root = corpus_root();
    let mut paths = Vec::new();
    wit_files(&root.join("wit"), &mut paths);

    let mut server = Server::start();
    let started = Instant::now();
    server.request(
        "initialize",
        Some(json!({
            "processId": std::process::id(),
            "rootUri": file_uri(&root),
            "capabilities": { "general": { "positionEncodings": ["utf-16"] },
                              "textDocument": { "publishDiagnostics": { "versionSupport": true } } },
            "workspaceFolders": [{ "uri": file_uri(&root), "name": "wasi-http-0.3" }],
        })),
    );
    server.notify("initialized", json!({}));
    let mut documents = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).expect("corpus file");
        let uri = file_uri(path);
        server.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "wit", "version": 1, "text": text } }),
        );
        let published = server.diagnostics_for(&uri, 1);
        assert!(published.is_empty(), "{uri} is clean but got {published:?}");
        let in_comment = text.find("/// ").map(|i| position(&text, i + 4));
        let after_type_name = TYPE_USES
            .iter()
            .filter_map(|pattern| {
                // The first use outside a comment.
                text.match_indices(pattern)
                    .map(|(i, _)| i)
                    .find(|&i| {
                        let line_start = text[..i].rfind('\n').map_or(0, |l| l + 1);
                        !text[line_start..i].contains("//")
                    })
                    .map(|i| i + pattern.len())
            })
            .min()
            .map(|end| position(&text, end));
        documents.push(Document { uri, version: 1, in_comment, after_type_name, strokes: 0 });
    }
    let open_time = started.elapsed();
    let (rss_open, _) = server.memory_kib();

    // Keep only type-name places where a typo is reported: items behind a disabled
    // `@unstable` gate are not checked, by design. Probing is two untimed keystrokes.
    for document in &mut documents {
        let Some((line, character)) = document.after_type_name else { continue };
        let at = json!({ "line": line, "character": character });
        let past = json!({ "line": line, "character": character + 1 });
        let reported = !server.keystroke(document, json!({ "start": at, "end": at }), "x").is_empty();
        server.keystroke(document, json!({ "start": at, "end": past }), "");
        if !reported {
            document.after_type_name = None;
        }
    }

    let mut latencies = Vec::with_capacity(edits);
    // The same latencies, split by kind: typing into a comment, and into a name.
    let (mut in_comments, mut in_names) = (Vec::new(), Vec::new());
    let mut changed_diagnostics = 0usize;
    let mut next = 0usize;
    while latencies.len() < edits {
        let document = &mut documents[next % paths.len()];
        next += 1;
        // Even rounds of a document type into a comment, odd rounds into a type name; each
        // insertion is undone by the document's next keystroke at the same place.
        let round = document.strokes / 2;
        let (target, breaks_name) = if round % 2 == 1 && document.after_type_name.is_some() {
            (document.after_type_name, true)
        } else {
            (document.in_comment.or(document.after_type_name), document.in_comment.is_none())
        };
        let Some((line, character)) = target else { continue };
        let inserting = document.strokes % 2 == 0;
        let (range, text) = if inserting {
            (
                json!({ "start": { "line": line, "character": character }, "end": { "line": line, "character": character } }),
                "x",
            )
        } else {
            (
                json!({ "start": { "line": line, "character": character }, "end": { "line": line, "character": character + 1 } }),
                "",
            )
        };
        document.strokes += 1;
        let sent = Instant::now();
        let published = server.keystroke(document, range, text);
        let latency = sent.elapsed();
        latencies.push(latency);
        if breaks_name {
            in_names.push(latency)
        } else {
            in_comments.push(latency)
        }
        let (uri, version) = (&document.uri, document.version);
        if breaks_name {
            // The analysis really ran: a broken name is reported, a repaired one is not.
            assert_eq!(published.is_empty(), !inserting, "{uri} v{version}: {published:?}");
            changed_diagnostics += 1;
        } else {
            assert!(published.is_empty(), "{uri} v{version}: a comment edit produced {published:?}");
        }
    }
    let (rss_end, peak) = server.memory_kib();
    server.stop();

    // The baseline, in the same run: wit-parser's full resolve of the same tree.
    let mut resolves = Vec::new();
    for _ in 0..50 {
        let start = Instant::now();
        let mut resolve = wit_parser::Resolve::default();
        resolve.push_dir(root.join("wit")).expect("wit-parser resolves the tree");
        resolves.push(start.elapsed());
    }
    resolves.sort();
    let resolve_median = percentile(&resolves, 0.5);

    let mut sorted = latencies.clone();
    sorted.sort();
    let mean = latencies.iter().sum::<Duration>() / latencies.len() as u32;
    let (p50, p90, p99) = (percentile(&sorted, 0.5), percentile(&sorted, 0.9), percentile(&sorted, 0.99));
    println!("canopy lsp on wasi-http-0.3: {} files opened in {:.1} ms", paths.len(), open_time.as_secs_f64() * 1e3);
    println!(
        "{} keystrokes ({} of them changing diagnostics), keystroke → publishDiagnostics:",
        latencies.len(),
        changed_diagnostics
    );
    println!(
        "  p50 {:.0} µs, p90 {:.0} µs, p99 {:.0} µs, max {:.0} µs, mean {:.0} µs",
        micros(p50),
        micros(p90),
        micros(p99),
        micros(sorted[sorted.len() - 1]),
        micros(mean)
    );
    for (kind, mut kind_latencies) in [("into a comment", in_comments), ("into a name", in_names)] {
        if kind_latencies.is_empty() {
            continue;
        }
        kind_latencies.sort();
        println!(
            "  {} keystrokes {kind}: p50 {:.0} µs, p99 {:.0} µs",
            kind_latencies.len(),
            micros(percentile(&kind_latencies, 0.5)),
            micros(percentile(&kind_latencies, 0.99))
        );
    }
    println!(
        "server memory: {:.1} MiB resident after opening every file, {:.1} MiB after the edits (peak {:.1} MiB)",
        rss_open as f64 / 1024.0,
        rss_end as f64 / 1024.0,
        peak as f64 / 1024.0
    );
    println!("wit-parser Resolve::push_dir of the same tree: median {:.0} µs over 50 runs", micros(resolve_median));
    println!(
        "ratio: wit-parser full resolve / canopy keystroke p50 = {:.1}×, / p99 = {:.1}×",
        micros(resolve_median) / micros(p50),
        micros(resolve_median) / micros(p99)
    );
}
