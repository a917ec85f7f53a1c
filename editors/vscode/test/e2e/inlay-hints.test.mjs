// Inlay hints: a qualified `use` path that does not spell its package version shows the version
// it resolves to; paths that spell it show nothing.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { corpusText, LspSession } from "./support/server.mjs";
import { positionAt, rangeOf } from "./support/wit-text.mjs";

const TYPES = "wit/types.wit";

describe("inlay hints", () => {
  /** @type {LspSession} */
  let session;
  const types = corpusText(TYPES);
  let typesUri;

  before(async () => {
    session = await LspSession.start();
    typesUri = await session.open(TYPES);
  });
  after(async () => {
    assert.equal(await session.stop(), 0, `server exit code; stderr:\n${session.stderr}`);
  });

  const hints = () =>
    session.request("textDocument/inlayHint", {
      textDocument: { uri: typesUri },
      range: { start: { line: 0, character: 0 }, end: positionAt(session.text(typesUri), session.text(typesUri).length) },
    });

  test("versioned paths get no hint", async () => {
    assert.deepEqual((await hints()) ?? [], []);
  });

  test("an unversioned `use` path shows the version of the package it names", async () => {
    const version = rangeOf(types, "use wasi:clocks/types@0.3.0.{duration};", { inner: "@0.3.0" });
    await session.edit(typesUri, version, "");
    const found = await hints();
    assert.deepEqual(
      found.map((hint) => ({ position: hint.position, label: hint.label })),
      [{ position: version.start, label: "@0.3.0" }],
    );
    await session.edit(typesUri, { start: version.start, end: version.start }, "@0.3.0");
    assert.equal(session.text(typesUri), types);
    assert.deepEqual((await hints()) ?? [], []);
  });
});
