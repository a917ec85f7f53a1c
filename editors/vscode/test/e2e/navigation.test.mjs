// Hover, go to definition / declaration / type definition (within a package and across packages
// into `deps/`), references and document highlights on the WASI HTTP 0.3 tree.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { at, corpusText, corpusUri, relativeOf, useSession } from "./support/server.mjs";
import { byPosition, rangeOf, wordRanges } from "./support/wit-text.mjs";

const TYPES = "wit/types.wit";
const WORLDS = "wit/worlds.wit";
const CLOCK_TYPES = "wit/deps/clocks/types.wit";

describe("navigation", () => {
  const lsp = useSession(TYPES, WORLDS);
  const types = corpusText(TYPES);
  const worlds = corpusText(WORLDS);
  const clockTypes = corpusText(CLOCK_TYPES);
  const typesUri = lsp.uri(TYPES);
  const worldsUri = lsp.uri(WORLDS);

  test("hover on a type use shows its documentation and its definition", async () => {
    const use = rangeOf(types, "HTTP-request-trailer-size(field-size-payload)", { inner: "field-size-payload" });
    const hover = await lsp.session.request("textDocument/hover", at(typesUri, { ...use.start, character: use.start.character + 3 }));
    assert.ok(hover, "no hover");
    assert.deepEqual(hover.range, use);
    assert.equal(hover.contents.kind, "markdown");
    const markdown = hover.contents.value;
    assert.ok(
      markdown.includes("Defines the case payload type for `HTTP-response-{header,trailer}-size` above:"),
      markdown,
    );
    assert.match(markdown, /record field-size-payload/);
    assert.match(markdown, /field-name: option<string>/);
  });

  test("hover on an `async func` shows its core signatures under the async and sync ABIs", async () => {
    const name = rangeOf(worlds, "handle: async func(", { inner: "handle" });
    const hover = await lsp.session.request("textDocument/hover", at(worldsUri, name.start));
    assert.ok(hover, "no hover");
    assert.deepEqual(hover.range, name);
    assert.equal(hover.contents.kind, "markdown");
    const sections = hover.contents.value.split("\n\n---\n\n");
    assert.deepEqual(sections.slice(0, 2), [
      "```wit\nhandle: async func(request: request) -> result<response, error-code>\n```",
      "This function may be called with either an incoming request read from the\n" +
        "network or a request synthesized or forwarded by another component.",
    ]);
    // `request` is a resource: one `i32` handle. `result<response, error-code>` flattens to a
    // discriminant joined with the payloads of the large `error-code` variant, far more than
    // MAX_FLAT_RESULTS = 1 core value. CanonicalABI.md `flatten_functype`: an async callback lift
    // keeps its 1 <= 16 params and returns an `i32` code (the result goes to `task.return`); an
    // async lower keeps 1 <= 4 params, appends an out-pointer for the result and returns an `i32`
    // status; a sync lift returns a pointer to the result; a sync lower appends an out-pointer
    // and returns nothing.
    assert.equal(
      sections[2],
      [
        "Canonical ABI core signatures:",
        "- lift (async, callback): `(i32) -> i32`",
        "- lower (async): `(i32, i32) -> i32` (results through memory)",
        "- lift (sync): `(i32) -> i32` (results through memory)",
        "- lower (sync): `(i32, i32)` (results through memory)",
      ].join("\n"),
    );
    assert.equal(sections.length, 3);
  });

  test("hover on a sync func shows its sync core signatures, and no async ones", async () => {
    // `set` of `resource fields`: `self: borrow<fields>` (one `i32`), `name: field-name`
    // (a string: pointer and length) and `value: list<field-value>` (pointer and length) make 5
    // `i32`s <= MAX_FLAT_PARAMS = 16; `result<_, header-error>` flattens to a discriminant and
    // the `header-error` payload, more than MAX_FLAT_RESULTS = 1, so it goes through memory.
    const set = rangeOf(types, "set: func(name: field-name, value: list<field-value>)", { inner: "set" });
    const setHover = await lsp.session.request("textDocument/hover", at(typesUri, set.start));
    assert.ok(setHover, "no hover on `set`");
    assert.deepEqual(setHover.range, set);
    const setSections = setHover.contents.value.split("\n\n---\n\n");
    assert.equal(setSections[0], "```wit\nset: func(name: field-name, value: list<field-value>) -> result<_, header-error>\n```");
    assert.equal(setSections.length, 3);
    // The `async` canonical option "may only be used with `async` function types" (Explainer.md,
    // CanonicalABI.md "canonopt validation"), so a sync func has no async lowering to show.
    assert.equal(
      setSections[2],
      [
        "Canonical ABI core signatures:",
        "- lift: `(i32, i32, i32, i32, i32) -> i32` (results through memory)",
        "- lower: `(i32, i32, i32, i32, i32, i32)` (results through memory)",
      ].join("\n"),
    );

    // `has`: self and a string are 3 `i32`s; `bool` is one `i32` result: nothing spills.
    const has = rangeOf(types, "has: func(name: field-name) -> bool;", { inner: "has" });
    const hasHover = await lsp.session.request("textDocument/hover", at(typesUri, has.start));
    assert.ok(hasHover, "no hover on `has`");
    assert.deepEqual(hasHover.range, has);
    assert.equal(
      hasHover.contents.value.split("\n\n---\n\n").at(-1),
      ["Canonical ABI core signatures:", "- lift: `(i32, i32, i32) -> i32`", "- lower: `(i32, i32, i32) -> i32`"].join("\n"),
    );
  });

  test("hover on a keyword or in a comment gives nothing", async () => {
    const keyword = rangeOf(types, "record field-size-payload", { inner: "record" }).start;
    assert.equal(await lsp.session.request("textDocument/hover", at(typesUri, keyword)), null);
    const comment = rangeOf(types, "This type corresponds to HTTP standard Methods.").start;
    assert.equal(await lsp.session.request("textDocument/hover", at(typesUri, comment)), null);
  });

  test("definition of a name used from another package lands in deps/ at the exact name", async () => {
    const expected = [{ uri: corpusUri(CLOCK_TYPES), range: rangeOf(clockTypes, "type duration = u64;", { inner: "duration" }) }];
    const inUse = rangeOf(types, "use wasi:clocks/types@0.3.0.{duration};", { inner: "duration" }).start;
    assert.deepEqual(await lsp.session.request("textDocument/definition", at(typesUri, inUse)), expected);
    // A later use of the imported name goes through the `use` to the original item.
    const later = rangeOf(types, "get-connect-timeout: func() -> option<duration>;", { inner: "duration" }).start;
    assert.deepEqual(await lsp.session.request("textDocument/definition", at(typesUri, later)), expected);
  });

  test("type definition of a parameter goes to its type in another file", async () => {
    const parameter = rangeOf(worlds, "request: request,", { inner: "request", after: "interface handler" }).start;
    assert.deepEqual(await lsp.session.request("textDocument/typeDefinition", at(worldsUri, parameter)), [
      { uri: typesUri, range: rangeOf(types, "resource request {", { inner: "request" }) },
    ]);
  });

  test("type definition follows aliases and `use`s to the type they finally name", async () => {
    // `headers: headers`: `type headers = fields;` leads on to `resource fields`.
    const headers = rangeOf(types, "headers: headers,", { inner: "headers" }).start;
    const fields = [{ uri: typesUri, range: rangeOf(types, "resource fields {", { inner: "fields" }) }];
    assert.deepEqual(await lsp.session.request("textDocument/typeDefinition", at(typesUri, headers)), fields);
    // On the type name itself rather than the parameter: the same place.
    const headersType = rangeOf(types, "headers: headers,", { inner: "headers," }).start;
    assert.deepEqual(await lsp.session.request("textDocument/typeDefinition", at(typesUri, headersType)), fields);
    // `duration: option<duration>`: the `duration` that `wasi:clocks/types` defines, in deps/.
    const duration = rangeOf(types, "set-connect-timeout: func(duration: option<duration>)", { inner: "duration:" }).start;
    assert.deepEqual(await lsp.session.request("textDocument/typeDefinition", at(typesUri, duration)), [
      { uri: corpusUri(CLOCK_TYPES), range: rangeOf(clockTypes, "type duration = u64;", { inner: "duration" }) },
    ]);
  });

  test("type definition of a variant case is its payload type; of a keyword, nothing", async () => {
    const payloadCase = rangeOf(types, "DNS-error(DNS-error-payload)", { inner: "DNS-error" }).start;
    assert.deepEqual(await lsp.session.request("textDocument/typeDefinition", at(typesUri, payloadCase)), [
      { uri: typesUri, range: rangeOf(types, "record DNS-error-payload {", { inner: "DNS-error-payload" }) },
    ]);
    const keyword = rangeOf(types, "variant method {", { inner: "variant" }).start;
    assert.equal(await lsp.session.request("textDocument/typeDefinition", at(typesUri, keyword)), null);
  });

  test("declaration of an imported name is its `use`", async () => {
    const later = rangeOf(types, "get-connect-timeout: func() -> option<duration>;", { inner: "duration" }).start;
    const declaration = await lsp.session.request("textDocument/declaration", at(typesUri, later));
    assert.deepEqual(declaration, [
      { uri: typesUri, range: rangeOf(types, "use wasi:clocks/types@0.3.0.{duration};", { inner: "duration" }) },
    ]);
  });

  test("definition across files of one package: worlds.wit to types.wit", async () => {
    const use = rangeOf(worlds, "handle: async func(", {}).start;
    const resultUse = rangeOf(worlds, "-> result<response, error-code>;", { inner: "error-code", after: "interface handler" });
    assert.ok(use.line < resultUse.start.line);
    const definition = await lsp.session.request("textDocument/definition", at(worldsUri, resultUse.start));
    assert.deepEqual(definition, [{ uri: typesUri, range: rangeOf(types, "variant error-code {", { inner: "error-code" }) }]);
  });

  test("references of a type: declaration and every use, in text order", async () => {
    const use = rangeOf(types, "HTTP-request-trailer-size(field-size-payload)", { inner: "field-size-payload" }).start;
    const expected = wordRanges(types, "field-size-payload").map((range) => ({ uri: typesUri, range }));
    assert.equal(expected.length, 5);
    const withDeclaration = await lsp.session.request("textDocument/references", {
      ...at(typesUri, use),
      context: { includeDeclaration: true },
    });
    assert.deepEqual([...withDeclaration].sort(byPosition), expected);

    const declaration = rangeOf(types, "record field-size-payload", { inner: "field-size-payload" });
    const withoutDeclaration = await lsp.session.request("textDocument/references", {
      ...at(typesUri, use),
      context: { includeDeclaration: false },
    });
    assert.deepEqual(
      [...withoutDeclaration].sort(byPosition),
      expected.filter((location) => location.range.start.line !== declaration.start.line),
    );
  });

  test("references across files include uses through `use` statements", async () => {
    const declaration = rangeOf(types, "variant error-code {", { inner: "error-code" }).start;
    const references = await lsp.session.request("textDocument/references", {
      ...at(typesUri, declaration),
      context: { includeDeclaration: true },
    });
    const expected = [
      ...wordRanges(types, "error-code").map((range) => ({ uri: typesUri, range })),
      ...wordRanges(worlds, "error-code").map((range) => ({ uri: worldsUri, range })),
    ].sort(byPosition);
    assert.equal(expected.length, 13);
    assert.deepEqual([...references].sort(byPosition), expected);
    assert.ok(references.every((location) => ["wit/types.wit", "wit/worlds.wit"].includes(relativeOf(location.uri))));
  });

  test("document highlights: the definition is a write, the uses are reads", async () => {
    const use = rangeOf(types, "HTTP-response-trailer-size(field-size-payload)", { inner: "field-size-payload" }).start;
    const highlights = await lsp.session.request("textDocument/documentHighlight", at(typesUri, use));
    const declaration = rangeOf(types, "record field-size-payload", { inner: "field-size-payload" });
    const expected = wordRanges(types, "field-size-payload").map((range) => ({
      range,
      kind: range.start.line === declaration.start.line ? 3 : 2,
    }));
    assert.deepEqual([...highlights].sort(byPosition), expected);
  });
});
