// Completion where a type is expected, inside the braces of a `use`, in the paths after `use`,
// `import`, `export` and `include`, in gates, and at the start of an item.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { at, corpusText, useSession } from "./support/server.mjs";
import { declaredTypes, rangeOf } from "./support/wit-text.mjs";

const TYPES = "wit/types.wit";
const WORLDS = "wit/worlds.wit";

/** LSP completion item kinds the server maps engine kinds to (see lsp/src/convert.rs). */
const STRUCT = 22; // a named type
const TYPE_PARAMETER = 25; // a primitive type or builtin generic
const INTERFACE = 8;
const MODULE = 9; // a world or a package
const PROPERTY = 10; // a gate or gate key
const KEYWORD = 14;
const PRIMITIVES = ["bool", "s8", "s16", "s32", "s64", "u8", "u16", "u32", "u64", "f32", "f64", "char", "string"];

/** The packages of the tree other than `wasi:http`: completed as `ns:name`, inserting `ns:name/`. */
const OTHER_PACKAGES = ["cli", "clocks", "filesystem", "random", "sockets"].map((name) => ({
  label: `wasi:${name}`,
  kind: MODULE,
  detail: `wasi:${name}@0.3.0`,
  insertText: `wasi:${name}/`,
}));

/** The label, kind, detail and insert text of each item, in the server's order. */
function summary(items) {
  return items.map(({ label, kind, detail, insertText }) => ({
    label,
    kind,
    ...(detail === undefined ? {} : { detail }),
    ...(insertText === undefined ? {} : { insertText }),
  }));
}

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

  test("after `import` / `export`: the package's interfaces, then the other packages", async () => {
    const expected = [
      ...["client", "handler", "types"].map((label) => ({ label, kind: INTERFACE, detail: "wasi:http@0.3.0" })),
      ...OTHER_PACKAGES,
    ];
    for (const statement of ["import client;", "export handler;"]) {
      const position = rangeOf(worlds, statement, { inner: statement.split(" ")[1].slice(0, -1) }).start;
      const items = itemsOf(await lsp.session.request("textDocument/completion", at(worldsUri, position)));
      assert.deepEqual(summary(items), expected, statement);
    }
  });

  test("after `use `: the same interfaces and packages", async () => {
    const position = rangeOf(worlds, "use types.{request, response, error-code};", { inner: "types" }).start;
    const items = itemsOf(await lsp.session.request("textDocument/completion", at(worldsUri, position)));
    assert.deepEqual(summary(items), [
      ...["client", "handler", "types"].map((label) => ({ label, kind: INTERFACE, detail: "wasi:http@0.3.0" })),
      ...OTHER_PACKAGES,
    ]);
  });

  test("after `import ns:pkg/`: the interfaces of that package", async () => {
    const position = rangeOf(worlds, "import wasi:cli/stdout@0.3.0;", { inner: "stdout" }).start;
    const items = itemsOf(await lsp.session.request("textDocument/completion", at(worldsUri, position)));
    const cliInterfaces = [
      "environment", "exit", "run", "stderr", "stdin", "stdout",
      "terminal-input", "terminal-output", "terminal-stderr", "terminal-stdin", "terminal-stdout", "types",
    ];
    assert.deepEqual(
      summary(items),
      cliInterfaces.map((label) => ({ label, kind: INTERFACE, detail: "wasi:cli@0.3.0" })),
    );
  });

  test("after `include`: the package's worlds, then the other packages", async () => {
    const position = rangeOf(worlds, "include service;", { inner: "service" }).start;
    const items = itemsOf(await lsp.session.request("textDocument/completion", at(worldsUri, position)));
    assert.deepEqual(summary(items), [
      { label: "middleware", kind: MODULE, detail: "wasi:http@0.3.0" },
      { label: "service", kind: MODULE, detail: "wasi:http@0.3.0" },
      ...OTHER_PACKAGES,
    ]);
  });

  test("after `@`: the gates; inside `@since(`: the `version` key", async () => {
    const gate = rangeOf(worlds, "@since(version = 0.3.0)\nworld service", { inner: "since" }).start;
    const gates = itemsOf(await lsp.session.request("textDocument/completion", at(worldsUri, gate)));
    assert.deepEqual(summary(gates), [
      { label: "deprecated", kind: PROPERTY, detail: "@deprecated(version = x.y.z): deprecated since this version" },
      { label: "since", kind: PROPERTY, detail: "@since(version = x.y.z): available from this version" },
      { label: "unstable", kind: PROPERTY, detail: "@unstable(feature = name): only with the feature enabled" },
    ]);
    const key = rangeOf(worlds, "@since(version = 0.3.0)\nworld service", { inner: "version" }).start;
    const keys = itemsOf(await lsp.session.request("textDocument/completion", at(worldsUri, key)));
    assert.deepEqual(summary(keys), [{ label: "version", kind: PROPERTY, insertText: "version = " }]);
  });

  test("at the start of an item: the keywords that may start one there", async () => {
    const keywords = (labels) => labels.map((label) => ({ label, kind: KEYWORD }));
    const inWorld = rangeOf(worlds, "  /// HTTP services have access to time and randomness.").start;
    assert.deepEqual(
      summary(itemsOf(await lsp.session.request("textDocument/completion", at(worldsUri, inWorld)))),
      keywords(["enum", "export", "flags", "import", "include", "record", "resource", "type", "use", "variant"]),
    );
    const inInterface = rangeOf(types, "  /// This type corresponds to HTTP standard Methods.").start;
    assert.deepEqual(
      summary(itemsOf(await lsp.session.request("textDocument/completion", at(typesUri, inInterface)))),
      keywords(["enum", "flags", "record", "resource", "type", "use", "variant"]),
    );
    const topLevel = rangeOf(worlds, "/// This interface defines a handler of HTTP Requests.").start;
    assert.deepEqual(
      summary(itemsOf(await lsp.session.request("textDocument/completion", at(worldsUri, topLevel)))),
      keywords(["interface", "package", "use", "world"]),
    );
  });
});
