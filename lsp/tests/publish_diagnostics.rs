//! `textDocument/publishDiagnostics` over the wire: a document the client opens or edits gets
//! its diagnostics pushed, with the document's version, even when they are the same as before
//! (a clean file gets an empty list on open, and again after an edit that keeps it clean).

use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};

/// A client over in-memory pipes to a server run by [`canopy_lsp::serve`].
struct Client {
    to_server: DuplexStream,
    from_server: BufReader<DuplexStream>,
    next_id: i64,
}

impl Client {
    fn start() -> (Client, tokio::task::JoinHandle<canopy_lsp::Ending>) {
        let (to_server, server_input) = tokio::io::duplex(1 << 16);
        let (server_output, from_server) = tokio::io::duplex(1 << 16);
        let server = tokio::spawn(canopy_lsp::serve(server_input, server_output));
        (Client { to_server, from_server: BufReader::new(from_server), next_id: 1 }, server)
    }

    async fn send(&mut self, message: Value) {
        let body = message.to_string();
        let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.to_server.write_all(frame.as_bytes()).await.unwrap();
    }

    async fn notify(&mut self, method: &str, params: Value) {
        let mut message = json!({ "jsonrpc": "2.0", "method": method });
        if !params.is_null() {
            message["params"] = params;
        }
        self.send(message).await;
    }

    /// Sends a request and returns its result; the next message from the server must be the
    /// response.
    async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({ "jsonrpc": "2.0", "id": id, "method": method });
        if !params.is_null() {
            message["params"] = params;
        }
        self.send(message).await;
        let response = self.receive().await;
        assert_eq!(response["id"], json!(id), "{response}");
        assert!(response.get("error").is_none(), "{response}");
        response["result"].clone()
    }

    /// The next message from the server (fails after a few seconds).
    async fn receive(&mut self) -> Value {
        tokio::time::timeout(Duration::from_secs(10), read_frame(&mut self.from_server))
            .await
            .expect("no message from the server within 10 s")
    }

    /// The next message, which must be a `publishDiagnostics`: its params.
    async fn published(&mut self) -> Value {
        let message = self.receive().await;
        assert_eq!(message["method"], "textDocument/publishDiagnostics", "{message}");
        message["params"].clone()
    }
}

async fn read_frame<R: AsyncRead + Unpin>(reader: &mut BufReader<R>) -> Value {
    let mut length = None;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).await.unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = Some(value.parse::<usize>().unwrap());
        }
    }
    let mut body = vec![0; length.expect("a Content-Length header")];
    reader.read_exact(&mut body).await.unwrap();
    serde_json::from_slice(&body).unwrap()
}

#[tokio::test]
async fn opened_and_edited_documents_get_their_diagnostics_every_time() {
    let (mut client, server) = Client::start();
    // No workspace folder: the document is a package of its own.
    let result = client.request("initialize", json!({ "processId": null, "rootUri": null, "capabilities": {} })).await;
    assert_eq!(result["capabilities"]["textDocumentSync"]["change"], json!(2));
    client.notify("initialized", json!({})).await;

    let uri = "file:///nowhere/a.wit";
    let clean = "package a:b;\ninterface i {\n  type t = u32;\n  f: func() -> t;\n}\n";
    client
        .notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "wit", "version": 1, "text": clean } }),
        )
        .await;
    assert_eq!(client.published().await, json!({ "uri": uri, "diagnostics": [], "version": 1 }));

    // An edit that keeps the file clean: published again, with the new version.
    let rename = json!({ "range": { "start": { "line": 3, "character": 2 }, "end": { "line": 3, "character": 3 } }, "text": "g" });
    client
        .notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [rename] }),
        )
        .await;
    assert_eq!(client.published().await, json!({ "uri": uri, "diagnostics": [], "version": 2 }));

    // An error, then an edit elsewhere that keeps the same error: both published.
    let broken = json!({ "range": { "start": { "line": 3, "character": 15 }, "end": { "line": 3, "character": 16 } }, "text": "x" });
    client
        .notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": 3 }, "contentChanges": [broken] }),
        )
        .await;
    let first = client.published().await;
    assert_eq!(first["version"], json!(3));
    let diagnostics = first["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{first}");
    assert_eq!(
        diagnostics[0]["range"],
        json!({ "start": { "line": 3, "character": 15 }, "end": { "line": 3, "character": 16 } })
    );
    let rename_back = json!({ "range": { "start": { "line": 3, "character": 2 }, "end": { "line": 3, "character": 3 } }, "text": "f" });
    client
        .notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": 4 }, "contentChanges": [rename_back] }),
        )
        .await;
    let second = client.published().await;
    assert_eq!(second["version"], json!(4));
    assert_eq!(second["diagnostics"], first["diagnostics"]);

    assert_eq!(client.request("shutdown", Value::Null).await, Value::Null);
    client.notify("exit", Value::Null).await;
    let ending = tokio::time::timeout(Duration::from_secs(10), server).await.expect("the server did not stop");
    assert_eq!(ending.unwrap(), canopy_lsp::Ending::Clean);
}
