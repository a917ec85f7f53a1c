// Code actions: a misspelled type name gets a quick fix to the name it was meant to be, tied to
// the diagnostic it fixes; applying it makes the diagnostic go away. A type of another interface
// named without a `use` gets one "add `use`" fix per interface defining it; unused names in a
// `use` (or a whole unused `use`) get removal fixes.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { corpusText, useSession } from "./support/server.mjs";
import { applyEdits, positionAt, rangeOf } from "./support/wit-text.mjs";

const TYPES = "wit/types.wit";
const WORLDS = "wit/worlds.wit";

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

describe("code actions on `use` statements", () => {
  const lsp = useSession(WORLDS);
  const worlds = corpusText(WORLDS);
  const worldsUri = lsp.uri(WORLDS);

  /** Puts the disk text back into the buffer and waits until it checks cleanly. */
  async function restore() {
    const current = lsp.session.text(worldsUri);
    const cleared = lsp.session.nextDiagnostics(worldsUri, (params) => params.diagnostics.length === 0);
    await lsp.session.edit(worldsUri, { start: { line: 0, character: 0 }, end: positionAt(current, current.length) }, worlds);
    await cleared;
  }

  test("a type of another interface used without a `use` gets an \"add `use`\" fix per defining interface", async () => {
    // `handler` stops importing `error-code` but still names it in `handle`'s result.
    const useStatement = "use types.{request, response, error-code};\n\n  /// This function may be called";
    const names = rangeOf(worlds, useStatement, { inner: "request, response, error-code" });
    const reported = lsp.session.nextDiagnostics(worldsUri, (params) => params.diagnostics.length > 0);
    await lsp.session.edit(worldsUri, names, "request, response");
    const edited = lsp.session.text(worldsUri);
    const { diagnostics } = await reported;
    const unresolved = rangeOf(edited, "-> result<response, error-code>;", { inner: "error-code" });
    assert.deepEqual(diagnostics, [
      {
        range: unresolved,
        severity: 1,
        code: "undefined-type",
        source: "canopy",
        message: "name `error-code` does not exist",
      },
    ]);

    const actions = await lsp.session.request("textDocument/codeAction", {
      textDocument: { uri: worldsUri },
      range: unresolved,
      context: { diagnostics, triggerKind: 1 },
    });
    // After the interface's last `use`, with its indentation; this package's interface first,
    // then those of the dependencies that define an `error-code` of their own.
    const after = rangeOf(edited, "use types.{request, response};", { after: "interface handler" }).end;
    const paths = [
      "types",
      "wasi:cli/types@0.3.0",
      "wasi:filesystem/types@0.3.0",
      "wasi:sockets/ip-name-lookup@0.3.0",
      "wasi:sockets/types@0.3.0",
    ];
    assert.deepEqual(
      actions,
      paths.map((path) => ({
        title: `Add \`use ${path}.{error-code};\``,
        kind: "quickfix",
        diagnostics,
        edit: { changes: { [worldsUri]: [{ range: { start: after, end: after }, newText: `\n  use ${path}.{error-code};` }] } },
      })),
    );

    const fixed = applyEdits(edited, actions[0].edit.changes[worldsUri]);
    const clean = lsp.session.nextDiagnostics(worldsUri);
    await lsp.session.edit(worldsUri, { start: { line: 0, character: 0 }, end: positionAt(edited, edited.length) }, fixed);
    assert.deepEqual((await clean).diagnostics, []);
    await restore();
  });

  test("an unused name in a `use` gets a fix removing it with its comma", async () => {
    const names = rangeOf(worlds, "use types.{request, response, error-code};", { inner: "error-code", after: "interface client" });
    await lsp.session.edit(worldsUri, names, "error-code, fields");
    const edited = lsp.session.text(worldsUri);
    const statement = rangeOf(edited, "use types.{request, response, error-code, fields};", { after: "interface client" });
    const actions = await lsp.session.request("textDocument/codeAction", {
      textDocument: { uri: worldsUri },
      range: statement,
      context: { diagnostics: [] },
    });
    const removed = rangeOf(edited, ", fields", { after: "interface client" });
    assert.deepEqual(actions, [
      { title: "Remove unused `fields`", kind: "quickfix", edit: { changes: { [worldsUri]: [{ range: removed, newText: "" }] } } },
    ]);
    assert.equal(applyEdits(edited, actions[0].edit.changes[worldsUri]), worlds);
    await restore();
  });

  test("a `use` none of whose names is used gets a fix removing its whole line", async () => {
    const last = rangeOf(worlds, "use types.{request, response, error-code};", { after: "interface client" }).end;
    await lsp.session.edit(worldsUri, { start: last, end: last }, "\n  use types.{method, scheme};");
    const edited = lsp.session.text(worldsUri);
    const statement = rangeOf(edited, "use types.{method, scheme};");
    const actions = await lsp.session.request("textDocument/codeAction", {
      textDocument: { uri: worldsUri },
      range: { start: statement.start, end: statement.start },
      context: { diagnostics: [] },
    });
    const line = { start: { line: statement.start.line, character: 0 }, end: { line: statement.start.line + 1, character: 0 } };
    assert.deepEqual(actions, [
      {
        title: "Remove unused `use types.{method, scheme}`",
        kind: "quickfix",
        edit: { changes: { [worldsUri]: [{ range: line, newText: "" }] } },
      },
    ]);
    assert.equal(applyEdits(edited, actions[0].edit.changes[worldsUri]), worlds);
    await restore();
  });
});
