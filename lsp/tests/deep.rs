//! Issue 16, finding 1, over the protocol: documents as deep as they are long (a 100,000-long
//! alias chain, a 30,000-long alias cycle, a 10,000-long `use` chain and a 10,000-long
//! `include` chain; see `wit-analysis/tests/support/deep_inputs.rs`) opened with `didOpen` get
//! the diagnostics a correct analysis gives; hover at the head of each chain and the document's
//! symbols are answered, and the server is still alive and shuts down cleanly afterwards (the
//! stack overflow these inputs once caused killed it on `didOpen`).

#[path = "../../engine/wit-analysis/tests/support/deep_inputs.rs"]
mod deep_inputs;
mod support;

use serde_json::{Value, json};
use support::Client;

/// The LSP position (0-based line, UTF-16 column) of a byte offset of an ASCII text.
fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let character = offset - before.rfind('\n').map_or(0, |i| i + 1);
    json!({ "line": line, "character": character })
}

/// The names of a `documentSymbol` answer and of their children, depth first.
fn symbol_names(symbols: &Value, out: &mut Vec<String>) {
    for symbol in symbols.as_array().into_iter().flatten() {
        out.push(symbol["name"].as_str().unwrap_or_default().to_string());
        symbol_names(&symbol["children"], out);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deep_documents_are_analyzed_and_answered_and_the_server_survives() {
    let (mut client, server) = Client::start();
    client.initialize_without_folders().await;
    let inputs = [
        deep_inputs::alias_chain(100_000),
        deep_inputs::alias_cycle(30_000),
        deep_inputs::use_chain(10_000),
        deep_inputs::include_chain(10_000),
    ];
    for input in &inputs {
        let name = &input.name;
        let (path, _) = &input.probe;
        let text = input.text(path);
        let uri = format!("file:///deep/{name}/{path}");
        client.open(&uri, text).await;

        let diagnostics = client.diagnostics_for(&uri, 1).await;
        let diagnostics = diagnostics.as_array().expect("a list");
        match &input.expected {
            None => assert!(diagnostics.is_empty(), "{name}: {diagnostics:?}"),
            Some(expected) => {
                assert_eq!(diagnostics.len(), 1, "{name}: {diagnostics:?}");
                assert_eq!(diagnostics[0]["code"], expected.code, "{name}: {diagnostics:?}");
                let message = diagnostics[0]["message"].as_str().unwrap_or_default();
                assert!(message.contains(expected.message), "{name}: {message}");
                if let Some(offset) = input.expected_offset() {
                    assert_eq!(diagnostics[0]["range"]["start"], position(text, offset as usize), "{name}");
                }
            }
        }

        let at = position(text, input.probe_offset() as usize);
        let hover = client.call("textDocument/hover", json!({ "textDocument": { "uri": uri }, "position": at })).await;
        assert!(hover.get("error").is_none(), "{name}: {hover}");
        // In a cycle the name at the probe does not resolve, and there may be nothing to show.
        if input.expected.is_none() {
            let (_, probe) = &input.probe;
            let probe = probe.trim_end_matches(['}', ';']);
            let shown = hover["result"]["contents"]["value"].as_str().unwrap_or_default();
            assert!(shown.contains(probe), "{name}: hover at `{probe}` shows {shown:?}");
        }

        let symbols = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } })).await;
        let mut names = Vec::new();
        symbol_names(&symbols, &mut names);
        // Every declaration of the chain is a symbol: at least one per link.
        assert!(names.len() >= 10_000, "{name}: {} symbols", names.len());
        assert!(names.iter().any(|n| n == "a0" || n == "i0" || n == "w0"), "{name}: {:?}", &names[..5]);
    }
    client.shut_down(server).await;
}
