// prepareRename and rename: a type renamed everywhere it is named (its file and the other file of
// the package that `use`s it), and refusals for keywords and invalid names.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { at, corpusText, useSession } from "./support/server.mjs";
import { applyEdits, byPosition, rangeOf, wordRanges } from "./support/wit-text.mjs";

const TYPES = "wit/types.wit";
const WORLDS = "wit/worlds.wit";
/** LSP `RequestFailed`: the request was valid but the server refuses it. */
const REQUEST_FAILED = -32803;

describe("rename", () => {
  const lsp = useSession(TYPES, WORLDS);
  const types = corpusText(TYPES);
  const worlds = corpusText(WORLDS);
  const typesUri = lsp.uri(TYPES);
  const worldsUri = lsp.uri(WORLDS);

  test("prepareRename on a type name answers the name's range", async () => {
    const name = rangeOf(types, "variant error-code {", { inner: "error-code" });
    const inside = { line: name.start.line, character: name.start.character + 4 };
    assert.deepEqual(await lsp.session.request("textDocument/prepareRename", at(typesUri, inside)), name);
  });

  test("rename edits the definition and every use in both files of the package", async () => {
    const use = rangeOf(worlds, "-> result<response, error-code>;", { inner: "error-code" }).start;
    const edit = await lsp.session.request("textDocument/rename", { ...at(worldsUri, use), newName: "http-error-code" });
    assert.deepEqual(Object.keys(edit.changes).sort(), [typesUri, worldsUri].sort());
    for (const [uri, text] of [
      [typesUri, types],
      [worldsUri, worlds],
    ]) {
      const expected = wordRanges(text, "error-code").map((range) => ({ range, newText: "http-error-code" }));
      assert.deepEqual([...edit.changes[uri]].sort(byPosition), expected, uri);
      const renamed = applyEdits(text, edit.changes[uri]);
      assert.deepEqual(wordRanges(renamed, "error-code"), []);
      assert.equal(wordRanges(renamed, "http-error-code").length, expected.length);
    }
  });

  test("prepareRename and rename refuse a keyword", async () => {
    const keyword = rangeOf(types, "variant error-code {", { inner: "variant" }).start;
    await assert.rejects(lsp.session.request("textDocument/prepareRename", at(typesUri, keyword)), (error) => {
      assert.equal(error.code, REQUEST_FAILED);
      assert.ok(error.message.length > 0);
      return true;
    });
    await assert.rejects(
      lsp.session.request("textDocument/rename", { ...at(typesUri, keyword), newName: "other" }),
      (error) => error.code === REQUEST_FAILED,
    );
  });

  test("rename refuses a new name that is not a WIT identifier", async () => {
    const name = rangeOf(types, "variant error-code {", { inner: "error-code" }).start;
    await assert.rejects(
      lsp.session.request("textDocument/rename", { ...at(typesUri, name), newName: "not valid" }),
      (error) => error.code === REQUEST_FAILED && /not valid/.test(error.message),
    );
  });

  test("rename refuses a new name already used in the same interface; prepareRename still accepts", async () => {
    const name = rangeOf(types, "variant header-error {", { inner: "header-error" });
    assert.deepEqual(await lsp.session.request("textDocument/prepareRename", at(typesUri, name.start)), name);
    // `variant method` is declared in `interface types` too.
    assert.ok(types.includes("variant method {"));
    await assert.rejects(
      lsp.session.request("textDocument/rename", { ...at(typesUri, name.start), newName: "method" }),
      (error) => {
        assert.equal(error.code, REQUEST_FAILED);
        assert.equal(error.message, "the name `method` is already used in interface `types`");
        return true;
      },
    );
    // A name the interface brings in with `use` is taken as well.
    assert.ok(types.includes("use wasi:clocks/types@0.3.0.{duration};"));
    await assert.rejects(
      lsp.session.request("textDocument/rename", { ...at(typesUri, name.start), newName: "duration" }),
      (error) => {
        assert.equal(error.code, REQUEST_FAILED);
        assert.equal(error.message, "the name `duration` is already used in interface `types`");
        return true;
      },
    );
  });
});
