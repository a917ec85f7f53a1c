// Semantic tokens: what each kind of WIT name is classified as (decoded with the server's own
// legend), a range request agreeing with the full answer, and a delta that reproduces it.

import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { corpusText, useSession } from "./support/server.mjs";
import { rangeOf } from "./support/wit-text.mjs";

const TYPES = "wit/types.wit";

/** Decodes the relative LSP encoding into absolute tokens named by the legend. */
function decode(data, legend) {
  const tokens = [];
  let line = 0;
  let start = 0;
  for (let i = 0; i < data.length; i += 5) {
    const [deltaLine, deltaStart, length, type, modifierBits] = data.slice(i, i + 5);
    line += deltaLine;
    start = deltaLine === 0 ? start + deltaStart : deltaStart;
    const modifiers = legend.tokenModifiers.filter((_, bit) => (modifierBits & (1 << bit)) !== 0);
    tokens.push({ line, start, length, type: legend.tokenTypes[type], modifiers });
  }
  return tokens;
}

/** Applies `SemanticTokensEdit`s to a previous data array. */
function applyTokenEdits(data, edits) {
  const result = [...data];
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) {
    result.splice(edit.start, edit.deleteCount, ...(edit.data ?? []));
  }
  return result;
}

describe("semantic tokens", () => {
  const lsp = useSession(TYPES);
  let legend;
  const types = corpusText(TYPES);
  const typesUri = lsp.uri(TYPES);

  before(() => {
    legend = lsp.session.initializeResult.capabilities.semanticTokensProvider.legend;
  });

  const full = () => lsp.session.request("textDocument/semanticTokens/full", { textDocument: { uri: typesUri } });

  test("full: each construct gets its type and modifiers at its exact range", async () => {
    const answer = await full();
    assert.ok(answer.resultId);
    const tokens = decode(answer.data, legend);
    /** The token exactly covering `inner` inside the first match of `needle`. */
    const tokenAt = (needle, inner, options = {}) => {
      const range = rangeOf(types, needle, { ...options, inner });
      const token = tokens.find((t) => t.line === range.start.line && t.start === range.start.character);
      assert.ok(token, `no token at ${JSON.stringify(inner)} in ${JSON.stringify(needle)}`);
      assert.equal(token.length, range.end.character - range.start.character, `length of ${inner}`);
      return token;
    };
    const expect = (needle, inner, type, modifiers = []) => {
      const token = tokenAt(needle, inner);
      assert.equal(token.type, type, `type of ${inner} in ${needle}`);
      assert.deepEqual(token.modifiers, modifiers, `modifiers of ${inner} in ${needle}`);
    };

    expect("variant method {", "variant", "keyword");
    // Records, variants and flags are structs; variant cases are fields (canopy-wit-ide's kinds).
    expect("variant method {", "method", "struct", ["declaration"]);
    expect("record field-size-payload {", "field-size-payload", "struct", ["declaration"]);
    expect("HTTP-request-trailer-size(field-size-payload)", "field-size-payload", "struct");
    expect("HTTP-request-trailer-size(field-size-payload)", "HTTP-request-trailer-size", "property", ["declaration"]);
    expect("field-size: option<u32>", "field-size", "property", ["declaration"]);
    expect("field-size: option<u32>", "option", "typeParameter", ["defaultLibrary"]);
    expect("resource fields {", "fields", "class", ["declaration"]);
    expect("get-method: func() -> method;", "get-method", "method", ["declaration"]);
    // `inner` picks the first match inside the needle: start the needle after `get-method`.
    expect("func() -> method;", "method", "struct");
    expect("type field-name = string;", "field-name", "type", ["declaration"]);
    expect("use wasi:clocks/types@0.3.0.{duration};", "wasi", "namespace");
    expect("interface types {", "types", "interface", ["declaration"]);
    expect("/// This type corresponds to HTTP standard Methods.", "/// This type corresponds to HTTP standard Methods.", "comment", [
      "documentation",
    ]);

    const primitive = tokenAt("field-size: option<u32>", "u32");
    assert.ok(primitive.modifiers.includes("defaultLibrary"), JSON.stringify(primitive));
    const gate = rangeOf(types, "@since(version = 0.3.0)\n  variant method", { inner: "since" });
    assert.ok(
      tokens.some(
        (t) => t.type === "decorator" && t.line === gate.start.line && t.start <= gate.start.character && t.start + t.length >= gate.end.character,
      ),
      "no decorator token on @since",
    );

    // Sorted, non-overlapping.
    for (let i = 1; i < tokens.length; i += 1) {
      const [a, b] = [tokens[i - 1], tokens[i]];
      assert.ok(a.line < b.line || (a.line === b.line && a.start + a.length <= b.start), `overlap at ${JSON.stringify(b)}`);
    }
  });

  test("range: exactly the full answer's tokens inside the range", async () => {
    const start = rangeOf(types, "record field-size-payload {").start;
    const range = { start: { line: start.line, character: 0 }, end: { line: start.line + 4, character: 0 } };
    const ranged = await lsp.session.request("textDocument/semanticTokens/range", { textDocument: { uri: typesUri }, range });
    const all = decode((await full()).data, legend);
    const expected = all.filter((t) => t.line >= range.start.line && t.line < range.end.line);
    assert.ok(expected.length >= 8, `only ${expected.length} tokens in range`);
    assert.deepEqual(decode(ranged.data, legend), expected);
  });

  test("full/delta after an edit reproduces a fresh full answer", async () => {
    const before = await full();
    const name = rangeOf(types, "get-status-code: func() -> status-code;", { inner: "get-status-code" });
    await lsp.session.edit(typesUri, name, "read-status-code");
    const delta = await lsp.session.request("textDocument/semanticTokens/full/delta", {
      textDocument: { uri: typesUri },
      previousResultId: before.resultId,
    });
    assert.ok(delta.resultId && delta.resultId !== before.resultId);
    assert.ok(Array.isArray(delta.edits), `expected edits, got ${JSON.stringify(Object.keys(delta))}`);
    const patched = applyTokenEdits(before.data, delta.edits);
    const fresh = await full();
    assert.deepEqual(patched, fresh.data);
    const renamed = decode(fresh.data, legend).find((t) => t.line === name.start.line && t.start === name.start.character);
    assert.equal(renamed.length, "read-status-code".length);
    assert.equal(renamed.type, "method");
    await lsp.session.edit(typesUri, { start: name.start, end: { line: name.start.line, character: name.start.character + 16 } }, "get-status-code");
  });
});
