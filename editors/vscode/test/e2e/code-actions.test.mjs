// Code actions: a misspelled type name gets a quick fix to the name it was meant to be, tied to
// the diagnostic it fixes; applying it makes the diagnostic go away.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { corpusText, useSession } from "./support/server.mjs";
import { applyEdits, positionAt, rangeOf } from "./support/wit-text.mjs";

const TYPES = "wit/types.wit";

describe("code actions", () => {
  const lsp = useSession(TYPES);
  const types = corpusText(TYPES);
  const typesUri = lsp.uri(TYPES);

  test("a misspelled name gets a quick fix replacing it with the right one", async () => {
    const name = rangeOf(types, "get-status-code: func() -> status-code;", { inner: "status-code;" });
    const typo = { start: name.start, end: { line: name.start.line, character: name.start.character + 11 } };
    const reported = lsp.session.nextDiagnostics(typesUri, (params) => params.diagnostics.length > 0);
    await lsp.session.edit(typesUri, typo, "status-cod");
    const [diagnostic] = (await reported).diagnostics;
    const misspelled = { start: typo.start, end: { line: typo.start.line, character: typo.start.character + 10 } };
    assert.deepEqual(diagnostic.range, misspelled);

    const actions = await lsp.session.request("textDocument/codeAction", {
      textDocument: { uri: typesUri },
      range: misspelled,
      context: { diagnostics: [diagnostic], triggerKind: 1 },
    });
    const fixes = actions.filter((action) => action.kind === "quickfix");
    assert.ok(fixes.length >= 1, JSON.stringify(actions));
    const [fix] = fixes;
    assert.match(fix.title, /status-code/);
    assert.deepEqual(fix.edit.changes, { [typesUri]: [{ range: misspelled, newText: "status-code" }] });
    assert.deepEqual(fix.diagnostics, [diagnostic]);

    const fixed = applyEdits(lsp.session.text(typesUri), fix.edit.changes[typesUri]);
    assert.equal(fixed, types);
    const cleared = lsp.session.nextDiagnostics(typesUri);
    await lsp.session.edit(typesUri, { start: { line: 0, character: 0 }, end: positionAt(lsp.session.text(typesUri), lsp.session.text(typesUri).length) }, fixed);
    assert.deepEqual((await cleared).diagnostics, []);
  });

  test("only: a kind filter the action does not match returns nothing", async () => {
    const whole = { start: { line: 0, character: 0 }, end: positionAt(types, types.length) };
    const actions = await lsp.session.request("textDocument/codeAction", {
      textDocument: { uri: typesUri },
      range: whole,
      context: { diagnostics: [], only: ["refactor.extract"] },
    });
    assert.deepEqual(actions ?? [], []);
  });
});
