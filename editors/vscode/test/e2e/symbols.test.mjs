// The outline of a file (documentSymbol, hierarchical) and the workspace-wide symbol search.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { corpusText, corpusUri, useSession } from "./support/server.mjs";
import { blankComments, declaredTypes, find, positionAt, rangeOf } from "./support/wit-text.mjs";

const TYPES = "wit/types.wit";
const CLOCK_TYPES = "wit/deps/clocks/types.wit";

/** LSP symbol kinds (see lsp/src/convert.rs for the mapping from WIT items). */
const KIND = {
  Class: 5,
  Method: 6,
  Constructor: 9,
  Field: 8,
  Enum: 10,
  Interface: 11,
  Function: 12,
  Struct: 23,
  EnumMember: 22,
  TypeParameter: 26,
};
const KIND_OF_ITEM = {
  record: KIND.Struct,
  variant: KIND.Enum,
  enum: KIND.Enum,
  flags: KIND.Struct,
  resource: KIND.Class,
  type: KIND.TypeParameter,
};

/** Depth-first search for a symbol by name and kind. */
function findSymbol(symbols, name, kind) {
  for (const symbol of symbols ?? []) {
    if (symbol.name === name && symbol.kind === kind) {
      return symbol;
    }
    const inner = findSymbol(symbol.children, name, kind);
    if (inner) {
      return inner;
    }
  }
  return undefined;
}

/** The position just after the `}` closing the block that starts at the first `{` after `from`. */
function blockEnd(text, from) {
  const code = blankComments(text);
  let depth = 0;
  for (let i = code.indexOf("{", from); i < code.length; i += 1) {
    if (code[i] === "{") {
      depth += 1;
    } else if (code[i] === "}") {
      depth -= 1;
      if (depth === 0) {
        return positionAt(text, i + 1);
      }
    }
  }
  throw new Error("unbalanced braces");
}

describe("symbols", () => {
  const lsp = useSession(TYPES);
  const types = corpusText(TYPES);
  const typesUri = lsp.uri(TYPES);

  test("documentSymbol: interface > types > fields, cases and methods, in text order", async () => {
    const symbols = await lsp.session.request("textDocument/documentSymbol", { textDocument: { uri: typesUri } });
    const iface = findSymbol(symbols, "types", KIND.Interface);
    assert.ok(iface, `no interface symbol in ${JSON.stringify(symbols)}`);
    assert.deepEqual(iface.selectionRange, rangeOf(types, "interface types {", { inner: "types" }));
    assert.deepEqual(iface.range.end, blockEnd(types, find(types, "interface types {")));

    const declared = [...blankComments(types).matchAll(/^\s*(record|variant|enum|flags|resource|type)\s+([A-Za-z][A-Za-z0-9-]*)/gm)];
    const typeChildren = iface.children.filter((child) => child.name !== "duration");
    assert.deepEqual(
      typeChildren.map((child) => [child.name, child.kind]),
      declared.map((match) => [match[2], KIND_OF_ITEM[match[1]]]),
    );
    assert.deepEqual(declaredTypes(types), typeChildren.map((child) => child.name));

    const record = findSymbol(iface.children, "field-size-payload", KIND.Struct);
    assert.deepEqual(record.selectionRange, rangeOf(types, "record field-size-payload {", { inner: "field-size-payload" }));
    assert.deepEqual(record.range.end, blockEnd(types, find(types, "record field-size-payload {")));
    assert.deepEqual(
      record.children.map((child) => [child.name, child.kind, child.selectionRange]),
      [
        ["field-name", KIND.Field, rangeOf(types, "field-name: option<string>", { inner: "field-name" })],
        ["field-size", KIND.Field, rangeOf(types, "field-size: option<u32>", { inner: "field-size" })],
      ],
    );

    const method = findSymbol(iface.children, "method", KIND.Enum);
    assert.deepEqual(
      method.children.map((child) => [child.name, child.kind]),
      ["get", "head", "post", "put", "delete", "connect", "options", "trace", "patch", "other"].map((name) => [
        name,
        KIND.EnumMember,
      ]),
    );

    const fields = findSymbol(iface.children, "fields", KIND.Class);
    const fieldsBody = types.slice(find(types, "resource fields {"), find(types, "type headers = fields;"));
    const methods = [...blankComments(fieldsBody).matchAll(/^\s*([a-z][a-z0-9-]*): (?:static )?func/gm)].map((m) => m[1]);
    assert.equal(methods.length, 9);
    assert.deepEqual(fields.children[0].kind, KIND.Constructor);
    assert.deepEqual(
      fields.children.slice(1).map((child) => [child.name, child.kind]),
      methods.map((name) => [name, KIND.Method]),
    );
  });

  test("workspace/symbol: the exact match first, across the tree including deps/", async () => {
    const found = await lsp.session.request("workspace/symbol", { query: "field-size-payload" });
    assert.ok(found.length >= 1);
    assert.equal(found[0].name, "field-size-payload");
    assert.equal(found[0].kind, KIND.Struct);
    assert.deepEqual(found[0].location, {
      uri: typesUri,
      range: rangeOf(types, "record field-size-payload {", { inner: "field-size-payload" }),
    });
    assert.match(found[0].containerName, /types/);

    const clockTypes = corpusText(CLOCK_TYPES);
    const durations = await lsp.session.request("workspace/symbol", { query: "duration" });
    const inDeps = durations.find((symbol) => symbol.location.uri === corpusUri(CLOCK_TYPES));
    assert.ok(inDeps, JSON.stringify(durations));
    assert.equal(inDeps.name, "duration");
    assert.equal(inDeps.kind, KIND.TypeParameter);
    assert.deepEqual(inDeps.location.range, rangeOf(clockTypes, "type duration = u64;", { inner: "duration" }));
  });
});
