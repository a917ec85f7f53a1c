//! Bad input over the wire never brings the server down: each case gets a JSON-RPC error or an
//! empty answer, and the next ordinary request is answered as usual.
//!
//! Cases: bytes outside a frame, a body that is not JSON, JSON that is not JSON-RPC, a request
//! with parameters of the wrong shape, an unknown method, requests about documents the server
//! does not know, positions far past the end of a document, a 10 MB document, a binary file
//! opened by mistake, and workspace files that never end (a FIFO) or are too large to read.

mod support;

use serde_json::{Value, json};
use support::Client;

const URI: &str = "file:///robust/a.wit";
const TEXT: &str = "package a:b;\n\ninterface i {\n    /// A number.\n    type t = u32;\n    f: func(x: t) -> t;\n}\n";

/// A server with one clean document open.
async fn started() -> Client {
    let (mut client, _server) = Client::start();
    client.initialize_without_folders().await;
    client.open(URI, TEXT).await;
    assert_eq!(client.diagnostics_for(URI, 1).await, json!([]));
    client
}

/// The server still works: hover on the use of `t` in `f` names its definition.
async fn still_serves(client: &mut Client) {
    serves(client, URI).await;
}

/// Hover on the use of `t` in `f` of the document at `uri`, whose text is [`TEXT`], names its
/// definition.
async fn serves(client: &mut Client, uri: &str) {
    let hover = client
        .request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": { "line": 5, "character": 15 } }),
        )
        .await;
    let text = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(text.contains("type t = u32"), "unexpected hover after bad input: {hover}");
}

/// The next error response without an id (the server cannot tell which request it answers).
async fn anonymous_error(client: &mut Client) -> i64 {
    let response = client.response(Value::Null).await;
    response["error"]["code"].as_i64().unwrap_or_else(|| panic!("not an error: {response}"))
}

#[tokio::test]
async fn malformed_messages_get_json_rpc_errors() {
    let mut client = started().await;

    client.send_raw(b"this is no header at all\r\n\r\n").await;
    assert_eq!(anonymous_error(&mut client).await, -32700, "bytes outside a frame");

    client.send_raw(b"Content-Length: 9\r\n\r\n{not json").await;
    assert_eq!(anonymous_error(&mut client).await, -32700, "a body that is not JSON");

    client.send_raw(b"Content-Length: abc\r\n\r\n").await;
    assert_eq!(anonymous_error(&mut client).await, -32700, "a bad Content-Length");

    let not_rpc = br#"{"hello":"world"}"#;
    client.send_raw(format!("Content-Length: {}\r\n\r\n", not_rpc.len()).as_bytes()).await;
    client.send_raw(not_rpc).await;
    assert_eq!(anonymous_error(&mut client).await, -32600, "JSON that is not JSON-RPC");

    let wrong_params = client.call("textDocument/hover", json!(42)).await;
    assert_eq!(wrong_params["error"]["code"], json!(-32602), "{wrong_params}");

    let unknown = client.call("canopy/noSuchMethod", json!({})).await;
    assert_eq!(unknown["error"]["code"], json!(-32601), "{unknown}");

    still_serves(&mut client).await;
}

#[tokio::test]
async fn unknown_documents_and_positions_past_the_end_get_empty_answers() {
    let mut client = started().await;
    let nowhere = json!({ "uri": "file:///robust/never-opened.wit" });
    for (method, params) in [
        ("textDocument/hover", json!({ "textDocument": nowhere, "position": { "line": 0, "character": 0 } })),
        ("textDocument/definition", json!({ "textDocument": nowhere, "position": { "line": 0, "character": 0 } })),
        ("textDocument/documentSymbol", json!({ "textDocument": nowhere })),
        (
            "textDocument/formatting",
            json!({ "textDocument": nowhere, "options": { "tabSize": 4, "insertSpaces": true } }),
        ),
    ] {
        let response = client.call(method, params).await;
        assert!(response.get("error").is_none(), "{method} on an unknown document: {response}");
        assert!(response["result"].is_null() || response["result"] == json!([]), "{method}: {response}");
    }

    let far = json!({ "line": 1_000_000, "character": 1_000_000 });
    let document = json!({ "uri": URI });
    for method in
        ["textDocument/hover", "textDocument/definition", "textDocument/references", "textDocument/completion"]
    {
        let mut params = json!({ "textDocument": document, "position": far });
        if method == "textDocument/references" {
            params["context"] = json!({ "includeDeclaration": true });
        }
        let response = client.call(method, params).await;
        assert!(response.get("error").is_none(), "{method} past the end: {response}");
    }
    let rename =
        client.call("textDocument/rename", json!({ "textDocument": document, "position": far, "newName": "u" })).await;
    assert!(rename["result"].is_null() || rename.get("error").is_some(), "rename past the end: {rename}");
    let tokens = client
        .call(
            "textDocument/semanticTokens/range",
            json!({ "textDocument": document, "range": { "start": far, "end": { "line": 2_000_000, "character": 0 } } }),
        )
        .await;
    assert!(tokens.get("error").is_none(), "{tokens}");

    // An edit whose range lies past the end is applied at the end, not refused with a crash.
    let past = json!({ "range": { "start": far, "end": far }, "text": "\n// appended\n" });
    client
        .notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": URI, "version": 2 }, "contentChanges": [past] }),
        )
        .await;
    assert_eq!(client.diagnostics_for(URI, 2).await, json!([]));
    still_serves(&mut client).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ten_megabyte_document_is_analyzed_and_the_server_keeps_serving() {
    let mut client = started().await;
    // 10 MB of valid WIT: many interfaces, one error near the end.
    let mut big = String::from("package big:one;\n");
    let mut n = 0;
    while big.len() < 10 << 20 {
        big.push_str(&format!(
            "interface i{n} {{\n    /// Interface number {n}.\n    record r {{ a: u32, b: string, c: list<u8> }}\n    f: func(x: r) -> result<r, string>;\n}}\n"
        ));
        n += 1;
    }
    big.push_str("interface last { g: func() -> missing-type; }\n");
    let uri = "file:///robust/big/big.wit";
    client.open(uri, &big).await;
    let diagnostics = client.diagnostics_for(uri, 1).await;
    let diagnostics = diagnostics.as_array().expect("a list");
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(diagnostics[0]["message"].as_str().unwrap_or_default().contains("missing-type"), "{diagnostics:?}");
    let last_line = big.lines().count() as u64 - 1;
    assert_eq!(diagnostics[0]["range"]["start"]["line"], json!(last_line));
    still_serves(&mut client).await;
}

#[tokio::test]
async fn a_binary_file_opened_by_mistake_gets_diagnostics_not_a_crash() {
    let mut client = started().await;
    // What an editor sends for a wasm binary it decoded as text: NULs, control characters and
    // replacement characters.
    let bytes: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let mut text = String::from("\0asm\u{1}\0\0\0");
    text.push_str(&String::from_utf8_lossy(&bytes));
    let uri = "file:///robust/bin/module.wit";
    client.open(uri, &text).await;
    let diagnostics = client.diagnostics_for(uri, 1).await;
    assert!(!diagnostics.as_array().expect("a list").is_empty(), "binary text must be reported");
    let symbols = client.call("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } })).await;
    assert!(symbols.get("error").is_none(), "{symbols}");
    let hover = client
        .call(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 3 } }),
        )
        .await;
    assert!(hover.get("error").is_none(), "{hover}");
    still_serves(&mut client).await;
}

/// The protocol allows one `initialize`; a second is an error and changes nothing.
#[tokio::test]
async fn a_second_initialize_is_an_error() {
    let mut client = started().await;
    let response = client.call("initialize", json!({ "processId": null, "rootUri": null, "capabilities": {} })).await;
    assert_eq!(response["error"]["code"].as_i64(), Some(-32600), "second initialize: {response}");
    still_serves(&mut client).await;
}

/// A FIFO and a file over the loader's 64 MiB cap in a workspace folder are skipped, each with a
/// warning on the file, and the rest of the folder is served. Reading the FIFO would block the
/// server in `initialize` forever, and a device such as `/dev/zero` would be read until memory
/// ran out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_that_never_end_or_are_too_large_are_skipped_with_a_warning() {
    let dir = std::env::temp_dir().join(format!("canopy-lsp-unbounded-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let wit = dir.join("wit");
    std::fs::create_dir_all(&wit).unwrap();
    std::fs::write(wit.join("a.wit"), TEXT).unwrap();
    let fifo = wit.join("pipe.wit");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success());
    // Sparse: 65 MiB that take no disk space.
    std::fs::File::create(wit.join("huge.wit")).unwrap().set_len(65 << 20).unwrap();

    let (mut client, server) = Client::start();
    let root = format!("file://{}", dir.display());
    let params = json!({ "processId": null, "rootUri": root, "capabilities": {} });
    let initialized = tokio::time::timeout(std::time::Duration::from_secs(30), client.request("initialize", params));
    if initialized.await.is_err() {
        // Unblock a server stuck opening the FIFO, so that the test ends.
        use std::os::unix::fs::OpenOptionsExt;
        let _ = std::fs::OpenOptions::new().write(true).custom_flags(0o4000).open(&fifo);
        panic!("initialize was not answered: the server is reading the FIFO");
    }
    client.notify("initialized", json!({})).await;

    let mut warned = Vec::new();
    while warned.len() < 2 {
        let published = client.receive().await;
        if published["method"] != "textDocument/publishDiagnostics" {
            continue;
        }
        let uri = published["params"]["uri"].as_str().unwrap_or_default().to_string();
        for diagnostic in published["params"]["diagnostics"].as_array().into_iter().flatten() {
            let message = diagnostic["message"].as_str().unwrap_or_default();
            assert_eq!(diagnostic["severity"], 2, "a warning: {diagnostic}");
            if uri.ends_with("/pipe.wit") {
                assert!(message.contains("file skipped: not a regular file"), "{message}");
                warned.push(uri.clone());
            } else if uri.ends_with("/huge.wit") {
                assert!(message.contains("file skipped: larger than 64 MiB"), "{message}");
                warned.push(uri.clone());
            } else {
                panic!("unexpected diagnostic on {uri}: {diagnostic}");
            }
        }
    }
    // The readable file of the folder is served.
    serves(&mut client, &format!("{root}/wit/a.wit")).await;
    client.shut_down(server).await;
    let _ = std::fs::remove_dir_all(&dir);
}
