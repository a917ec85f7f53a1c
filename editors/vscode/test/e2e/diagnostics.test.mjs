// The server's life cycle and diagnostics: capabilities at initialize, a clean tree, an error
// appearing with an edit at its exact place, and going away when the edit is undone.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { corpusText, corpusUri, useSession } from "./support/server.mjs";
import { rangeOf } from "./support/wit-text.mjs";

const TYPES = "wit/types.wit";

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
});
