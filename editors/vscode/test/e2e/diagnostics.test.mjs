// The server's life cycle and diagnostics: capabilities at initialize, a clean tree, an error
// appearing with an edit at its exact place, and going away when the edit is undone.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { at, corpusText, corpusUri, useSession } from "./support/server.mjs";
import { rangeOf } from "./support/wit-text.mjs";

const TYPES = "wit/types.wit";
const WORLDS = "wit/worlds.wit";

describe("life cycle and diagnostics", () => {
  const lsp = useSession();

  test("initialize announces every feature the extension relies on", () => {
    const { capabilities, serverInfo } = lsp.session.initializeResult;
    assert.equal(serverInfo?.name, "canopy");
    assert.ok([1, 2].includes(lsp.session.syncKind), `text sync kind ${lsp.session.syncKind}`);
    for (const provider of [
      "hoverProvider",
      "definitionProvider",
      "typeDefinitionProvider",
      "referencesProvider",
      "documentHighlightProvider",
      "documentSymbolProvider",
      "workspaceSymbolProvider",
      "foldingRangeProvider",
      "selectionRangeProvider",
      "documentFormattingProvider",
      "documentRangeFormattingProvider",
      "codeActionProvider",
      "inlayHintProvider",
    ]) {
      assert.ok(capabilities[provider], `${provider} missing`);
    }
    assert.deepEqual(capabilities.renameProvider, { prepareProvider: true });
    assert.ok(capabilities.completionProvider, "completionProvider missing");
    const tokens = capabilities.semanticTokensProvider;
    assert.ok(tokens, "semanticTokensProvider missing");
    assert.deepEqual(tokens.full, { delta: true });
    assert.equal(tokens.range, true);
    assert.ok(tokens.legend.tokenTypes.includes("keyword"));
    assert.ok(tokens.legend.tokenModifiers.includes("declaration"));
  });

  test("a clean file gets empty diagnostics; an error appears at its range and clears on undo", async () => {
    const text = corpusText(TYPES);
    const clean = lsp.session.nextDiagnostics(corpusUri(TYPES));
    const opened = await lsp.session.open(TYPES);
    assert.deepEqual((await clean).diagnostics, []);

    // `get-method: func() -> method;` becomes `... -> methd;`, a name that does not exist.
    const target = rangeOf(text, "get-method: func() -> method;", { inner: "method;" });
    const methodRange = { start: target.start, end: { line: target.start.line, character: target.start.character + 6 } };
    const broken = lsp.session.nextDiagnostics(opened, (params) => params.diagnostics.length > 0);
    await lsp.session.edit(opened, methodRange, "methd");
    const { diagnostics } = await broken;
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    const [diagnostic] = diagnostics;
    assert.deepEqual(diagnostic.range, {
      start: methodRange.start,
      end: { line: methodRange.start.line, character: methodRange.start.character + 5 },
    });
    assert.equal(diagnostic.severity, 1);
    assert.match(diagnostic.message, /methd/);
    assert.equal(diagnostic.source, "canopy");

    const cleared = lsp.session.nextDiagnostics(opened);
    await lsp.session.edit(opened, diagnostic.range, "method");
    assert.deepEqual((await cleared).diagnostics, []);
    assert.equal(lsp.session.text(opened), text);
  });

  test("a duplicate definition points at the first one through relatedInformation", async () => {
    const text = corpusText(TYPES);
    let uri = corpusUri(TYPES);
    if (lsp.session.text(uri) === undefined) {
      const clean = lsp.session.nextDiagnostics(uri);
      uri = await lsp.session.open(TYPES);
      assert.deepEqual((await clean).diagnostics, []);
    }
    assert.equal(lsp.session.text(uri), text);

    // A line `type method = string;` before the docs of `variant scheme`, in `interface types`,
    // which already has `variant method`.
    const before = rangeOf(text, "  /// This type corresponds to HTTP standard Related Schemes.").start;
    assert.equal(before.character, 0);
    const line = "  type method = string;\n";
    const broken = lsp.session.nextDiagnostics(uri, (params) => params.diagnostics.length > 0);
    await lsp.session.edit(uri, { start: before, end: before }, line);
    const { diagnostics } = await broken;
    assert.deepEqual(diagnostics, [
      {
        range: { start: { line: before.line, character: 7 }, end: { line: before.line, character: 13 } },
        severity: 1,
        code: "duplicate-name",
        source: "canopy",
        message: "name `method` is defined more than once",
        relatedInformation: [
          {
            location: { uri, range: rangeOf(text, "variant method {", { inner: "method" }) },
            message: "first defined here",
          },
        ],
      },
    ]);

    const cleared = lsp.session.nextDiagnostics(uri);
    await lsp.session.edit(uri, { start: before, end: { line: before.line + 1, character: 0 } }, "");
    assert.deepEqual((await cleared).diagnostics, []);
    assert.equal(lsp.session.text(uri), text);
  });

  test("positions count UTF-16 code units: astral characters before an error and a hover", async () => {
    const text = corpusText(WORLDS);
    const clean = lsp.session.nextDiagnostics(corpusUri(WORLDS));
    const uri = await lsp.session.open(WORLDS);
    assert.deepEqual((await clean).diagnostics, []);

    // `request: request,` becomes `request: /* 🦀🦀 */ requst,`: each crab is two UTF-16 units
    // (and four UTF-8 bytes), so a server that counts anything else misplaces the error.
    const typeName = rangeOf(text, "request: request,", { inner: "request," });
    const typeRange = { start: typeName.start, end: { line: typeName.start.line, character: typeName.start.character + 7 } };
    const comment = "/* 🦀🦀 */ ";
    const broken = lsp.session.nextDiagnostics(uri, (params) => params.diagnostics.length > 0);
    await lsp.session.edit(uri, typeRange, `${comment}requst`);
    const { diagnostics } = await broken;
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    const start = { line: typeRange.start.line, character: typeRange.start.character + comment.length };
    assert.equal(comment.length, 11, "the comment is 11 UTF-16 units");
    assert.deepEqual(diagnostics[0].range, { start, end: { line: start.line, character: start.character + 6 } });

    // Mend the name at the position the server reported; hovering after the crabs finds the type.
    const cleared = lsp.session.nextDiagnostics(uri);
    await lsp.session.edit(uri, diagnostics[0].range, "request");
    assert.deepEqual((await cleared).diagnostics, []);
    const hover = await lsp.session.request("textDocument/hover", at(uri, { line: start.line, character: start.character + 2 }));
    assert.match(hover.contents.value, /resource request/);
    assert.deepEqual(hover.range, { start, end: { line: start.line, character: start.character + 7 } });
  });
});
