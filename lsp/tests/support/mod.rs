//! A test client for the language server: in-memory pipes to [`canopy_lsp::serve`], framing,
//! and waiting for responses and notifications.

#![allow(dead_code)] // Each test file uses a different part.

use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};

/// A client over in-memory pipes to a server run by [`canopy_lsp::serve`].
pub struct Client {
    to_server: DuplexStream,
    from_server: BufReader<DuplexStream>,
    next_id: i64,
}

impl Client {
    pub fn start() -> (Client, tokio::task::JoinHandle<canopy_lsp::Ending>) {
        let (to_server, server_input) = tokio::io::duplex(1 << 16);
        let (server_output, from_server) = tokio::io::duplex(1 << 16);
        let server = tokio::spawn(canopy_lsp::serve(server_input, server_output));
        (Client { to_server, from_server: BufReader::new(from_server), next_id: 1 }, server)
    }

    /// `initialize` (no workspace folder: each document is a package of its own) and
    /// `initialized`; returns the server's capabilities.
    pub async fn initialize_without_folders(&mut self) -> Value {
        let result =
            self.request("initialize", json!({ "processId": null, "rootUri": null, "capabilities": {} })).await;
        self.notify("initialized", json!({})).await;
        result["capabilities"].clone()
    }

    /// `didOpen` of a WIT document at version 1.
    pub async fn open(&mut self, uri: &str, text: &str) {
        let document = json!({ "uri": uri, "languageId": "wit", "version": 1, "text": text });
        self.notify("textDocument/didOpen", json!({ "textDocument": document })).await;
    }

    /// `shutdown`, then `exit`; the server must end cleanly within ten seconds.
    pub async fn shut_down(mut self, server: tokio::task::JoinHandle<canopy_lsp::Ending>) {
        assert_eq!(self.request("shutdown", Value::Null).await, Value::Null);
        self.notify("exit", Value::Null).await;
        let ending = tokio::time::timeout(Duration::from_secs(10), server).await.expect("the server did not stop");
        assert_eq!(ending.unwrap(), canopy_lsp::Ending::Clean);
    }

    pub async fn send(&mut self, message: Value) {
        let body = message.to_string();
        let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.to_server.write_all(frame.as_bytes()).await.unwrap();
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        let mut message = json!({ "jsonrpc": "2.0", "method": method });
        if !params.is_null() {
            message["params"] = params;
        }
        self.send(message).await;
    }

    /// Sends a request and returns its whole response (`result` or `error`), skipping the
    /// notifications that arrive before it.
    pub async fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({ "jsonrpc": "2.0", "id": id, "method": method });
        // `null` means no parameters (as `shutdown` has): the field is left out.
        if !params.is_null() {
            message["params"] = params;
        }
        self.send(message).await;
        self.response(json!(id)).await
    }

    /// Sends a request and returns its result; an error response fails the test.
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.call(method, params).await;
        assert!(response.get("error").is_none(), "{method} failed: {response}");
        response["result"].clone()
    }

    /// The response with this `id`, skipping notifications and other messages before it.
    pub async fn response(&mut self, id: Value) -> Value {
        loop {
            let message = self.receive().await;
            if message.get("method").is_none() && message["id"] == id {
                return message;
            }
        }
    }

    /// Writes raw bytes to the server, framed or not.
    pub async fn send_raw(&mut self, bytes: &[u8]) {
        self.to_server.write_all(bytes).await.unwrap();
    }

    /// The diagnostics next published for `uri` at `version`, skipping other messages.
    pub async fn diagnostics_for(&mut self, uri: &str, version: i64) -> Value {
        loop {
            let message = self.receive().await;
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
                && message["params"]["version"] == json!(version)
            {
                return message["params"]["diagnostics"].clone();
            }
        }
    }

    /// The next message from the server (fails after a few seconds).
    pub async fn receive(&mut self) -> Value {
        tokio::time::timeout(Duration::from_secs(60), read_frame(&mut self.from_server))
            .await
            .expect("no message from the server within 60 s")
    }

    /// The next message, which must be a `publishDiagnostics`: its params.
    pub async fn published(&mut self) -> Value {
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
