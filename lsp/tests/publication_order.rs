//! Diagnostics arrive in version order: a burst of edits sent without waiting (as a client
//! sends a workspace edit that changes several files, or fast typing) must never leave the
//! diagnostics of an older version on screen after those of a newer one. For every document,
//! the published versions only go up, and the last publication is for the last version.

mod support;

use std::collections::HashMap;

use serde_json::{Value, json};
use support::Client;

const CLEAN: &str = "package a:b;\ninterface i {\n  type t = u32;\n  f: func() -> t;\n}\n";

/// An edit of line 3's result type: `t` (clean) or `x` (an unknown type).
fn edit(uri: &str, version: i64, broken: bool) -> Value {
    let text = if broken { "x" } else { "t" };
    let change = json!({ "range": { "start": { "line": 3, "character": 15 }, "end": { "line": 3, "character": 16 } }, "text": text });
    json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [change] })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bursts_of_edits_to_several_documents_publish_in_version_order() {
    let (mut client, server) = Client::start();
    client.initialize_without_folders().await;
    let uris: Vec<String> = (0..3).map(|i| format!("file:///nowhere/doc{i}.wit")).collect();
    for uri in &uris {
        client.open(uri, CLEAN).await;
        client.diagnostics_for(uri, 1).await;
    }
    const ROUNDS: i64 = 40;
    // Every round edits every document once, without waiting for anything in between.
    for round in 0..ROUNDS {
        for uri in &uris {
            client.notify("textDocument/didChange", edit(uri, round + 2, round % 2 == 0)).await;
        }
    }
    let last_version = ROUNDS + 1;
    let mut seen: HashMap<String, Vec<i64>> = HashMap::new();
    while uris.iter().any(|u| seen.get(u).and_then(|v| v.last()) != Some(&last_version)) {
        let message = client.receive().await;
        if message["method"] != "textDocument/publishDiagnostics" {
            continue;
        }
        let uri = message["params"]["uri"].as_str().unwrap().to_string();
        let version = message["params"]["version"].as_i64().unwrap();
        let versions = seen.entry(uri.clone()).or_default();
        if let Some(&previous) = versions.last() {
            assert!(version >= previous, "{uri}: version {version} published after {previous} ({versions:?})");
        }
        // The last version is clean (ROUNDS is even: the last round's edit restores `t`).
        if version == last_version {
            assert_eq!(message["params"]["diagnostics"], json!([]), "{uri} v{version}");
        }
        versions.push(version);
    }
    client.shut_down(server).await;
}

/// `a.wit` declares the type, `b.wit` uses it: a rename edits both.
fn declaring(name: &str) -> String {
    format!("package a:b;\ninterface types {{\n  type {name} = u32;\n}}\n")
}

fn using(name: &str) -> String {
    format!("package a:b;\ninterface user {{\n  use types.{{{name}}};\n  f: func() -> {name};\n}}\n")
}

/// A whole-text change of `uri` to `text` at `version`.
fn replace(uri: &str, version: i64, text: &str) -> Value {
    json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rename_across_two_files_never_leaves_a_stale_error() {
    let dir = std::env::temp_dir().join(format!("canopy-lsp-order-{}", std::process::id()));
    let wit = dir.join("wit");
    std::fs::create_dir_all(&wit).unwrap();
    std::fs::write(wit.join("a.wit"), declaring("t0")).unwrap();
    std::fs::write(wit.join("b.wit"), using("t0")).unwrap();
    let root = format!("file://{}", dir.display());
    let (a, b) = (format!("{root}/wit/a.wit"), format!("{root}/wit/b.wit"));

    let (mut client, server) = Client::start();
    let params = json!({ "processId": null, "rootUri": root, "capabilities": {} });
    client.request("initialize", params).await;
    client.notify("initialized", json!({})).await;
    for (uri, text) in [(&a, declaring("t0")), (&b, using("t0"))] {
        let document = json!({ "uri": uri, "languageId": "wit", "version": 1, "text": text });
        client.notify("textDocument/didOpen", json!({ "textDocument": document })).await;
    }
    const RENAMES: i64 = 20;
    // Each rename is what a client sends for a workspace edit: both files, back to back. Between
    // the two, `b.wit` names a type that no longer exists.
    for n in 1..=RENAMES {
        let name = format!("t{n}");
        client.notify("textDocument/didChange", replace(&a, n + 1, &declaring(&name))).await;
        client.notify("textDocument/didChange", replace(&b, n + 1, &using(&name))).await;
    }
    let last = RENAMES + 1;
    let mut latest: HashMap<String, (i64, Value)> = HashMap::new();
    let done = |latest: &HashMap<String, (i64, Value)>| {
        [&a, &b].iter().all(|u| latest.get(u.as_str()).is_some_and(|(v, d)| *v == last && d == &json!([])))
    };
    let wait = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        while !done(&latest) {
            let message = client.receive().await;
            if message["method"] != "textDocument/publishDiagnostics" {
                continue;
            }
            let uri = message["params"]["uri"].as_str().unwrap().to_string();
            let version = message["params"]["version"].as_i64().unwrap_or(0);
            if let Some((previous, _)) = latest.get(&uri) {
                assert!(version >= *previous, "{uri}: version {version} published after {previous}");
            }
            latest.insert(uri, (version, message["params"]["diagnostics"].clone()));
        }
    });
    assert!(wait.await.is_ok(), "the last publications are not both clean at version {last}: {latest:?}");
    // Nothing stale follows the clean final state.
    client.shut_down(server).await;
    let _ = std::fs::remove_dir_all(&dir);
}
