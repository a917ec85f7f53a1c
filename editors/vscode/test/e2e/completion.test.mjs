// Completion where a type is expected, and inside the braces of a `use`.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { at, corpusText, useSession } from "./support/server.mjs";
import { declaredTypes, rangeOf } from "./support/wit-text.mjs";

const TYPES = "wit/types.wit";
const WORLDS = "wit/worlds.wit";

/** LSP completion item kinds the server maps engine kinds to (see lsp/src/convert.rs). */
const STRUCT = 22; // a named type
const TYPE_PARAMETER = 25; // a primitive type or builtin generic
const PRIMITIVES = ["bool", "s8", "s16", "s32", "s64", "u8", "u16", "u32", "u64", "f32", "f64", "char", "string"];

/** The items of a completion answer (a list or a `CompletionList`). */
function itemsOf(answer) {
  assert.ok(answer, "no completion answer");
  return Array.isArray(answer) ? answer : answer.items;
}

describe("completion", () => {
  const lsp = useSession(TYPES, WORLDS);
  const types = corpusText(TYPES);
  const worlds = corpusText(WORLDS);
  const typesUri = lsp.uri(TYPES);
  const worldsUri = lsp.uri(WORLDS);

  test("in a type position: primitives and every type in scope, no item keywords", async () => {
    const position = rangeOf(types, "info-code: option<u16>", { inner: "u16" }).start;
    const items = itemsOf(
      await lsp.session.request("textDocument/completion", at(typesUri, position)),
    );
    const byLabel = new Map(items.map((item) => [item.label, item]));
    for (const primitive of PRIMITIVES) {
      assert.equal(byLabel.get(primitive)?.kind, TYPE_PARAMETER, `primitive ${primitive}`);
    }
    const inScope = [...declaredTypes(types), "duration"];
    assert.equal(inScope.length, 18);
    for (const name of inScope) {
      assert.equal(byLabel.get(name)?.kind, STRUCT, `type ${name}`);
    }
    for (const keyword of ["record", "interface", "world", "package", "use", "func"]) {
      assert.ok(!byLabel.has(keyword), `keyword ${keyword} offered in a type position`);
    }
  });

  test("after `use ...{`: the types of the named interface", async () => {
    const position = rangeOf(worlds, "use types.{request, response, error-code};", { inner: "request" }).start;
    const items = itemsOf(
      await lsp.session.request("textDocument/completion", at(worldsUri, position)),
    );
    const labels = items.map((item) => item.label);
    for (const name of declaredTypes(types)) {
      assert.ok(labels.includes(name), `${name} missing from ${JSON.stringify(labels)}`);
      assert.equal(items.find((item) => item.label === name).kind, STRUCT);
    }
    for (const notAType of ["u32", "string", "record", "handle", "send"]) {
      assert.ok(!labels.includes(notAType), `${notAType} offered inside use braces`);
    }
  });
});
