//! `textDocument/publishDiagnostics` over the wire: a document the client opens or edits gets
//! its diagnostics pushed, with the document's version, even when they are the same as before
//! (a clean file gets an empty list on open, and again after an edit that keeps it clean).

mod support;

use serde_json::json;
use support::Client;

#[tokio::test]
async fn opened_and_edited_documents_get_their_diagnostics_every_time() {
    let (mut client, server) = Client::start();
    // No workspace folder: the document is a package of its own.
    let capabilities = client.initialize_without_folders().await;
    assert_eq!(capabilities["textDocumentSync"]["change"], json!(2));

    let uri = "file:///nowhere/a.wit";
    let clean = "package a:b;\ninterface i {\n  type t = u32;\n  f: func() -> t;\n}\n";
    client.open(uri, clean).await;
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

    client.shut_down(server).await;
}

#[tokio::test]
async fn typing_in_comments_moves_diagnostics_and_refreshes_docs() {
    let (mut client, server) = Client::start();
    client.initialize_without_folders().await;

    let uri = "file:///nowhere/c.wit";
    let text = "package a:b;\n// note\ninterface i {\n  /// The t.\n  type t = u32;\n  f: func() -> x;\n}\n";
    client.open(uri, text).await;
    let opened = client.published().await;
    assert_eq!(opened["diagnostics"][0]["range"]["start"], json!({ "line": 5, "character": 15 }), "{opened}");

    // One notification, three range edits, each against the text the previous one left: a
    // character typed into the comment, a line break typed before `interface`, and a word
    // typed into the doc comment. The undefined `x` moves one line down.
    let at = |line: u32, character: u32| json!({ "line": line, "character": character });
    let changes = json!([
        { "range": { "start": at(1, 7), "end": at(1, 7) }, "text": "s" },
        { "range": { "start": at(2, 0), "end": at(2, 0) }, "text": "\n" },
        { "range": { "start": at(4, 11), "end": at(4, 11) }, "text": "ee" },
    ]);
    client
        .notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": changes }),
        )
        .await;
    let moved = client.published().await;
    assert_eq!(moved["version"], json!(2));
    let diagnostics = moved["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{moved}");
    assert_eq!(diagnostics[0]["range"]["start"], json!({ "line": 6, "character": 15 }), "{moved}");

    // Hover on the type's name shows the docs as typed.
    let hover =
        client.request("textDocument/hover", json!({ "textDocument": { "uri": uri }, "position": at(5, 7) })).await;
    assert!(hover.to_string().contains("The tee."), "hover shows stale docs: {hover}");

    client.shut_down(server).await;
}
