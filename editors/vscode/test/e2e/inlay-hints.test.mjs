// Inlay hints: a qualified `use` path that does not spell its package version shows the version
// it resolves to; paths that spell it show nothing. Resource methods show their implicit
// `self: borrow<r>` parameter and constructors without a written result their implicit
// `-> own<r>` result.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { corpusText, useSession } from "./support/server.mjs";
import { blankComments, byPosition, positionAt, rangeOf } from "./support/wit-text.mjs";

const TYPES = "wit/types.wit";

/**
 * The implicit-resource hints of `text`, read off the text: in each `resource r { ... }` body,
 * `self: borrow<r>` right after the `(` of every non-static method (followed by `, ` when the
 * method has parameters), and ` -> own<r>` right after the `)` of every constructor with no
 * written result.
 */
function implicitResourceHints(text) {
  const clean = blankComments(text);
  const hints = [];
  for (const resource of clean.matchAll(/\bresource\s+%?([a-z][a-z0-9-]*)\s*\{/g)) {
    const name = resource[1];
    const bodyStart = resource.index + resource[0].length;
    // A resource body holds only functions: its first `}` closes it.
    const body = clean.slice(bodyStart, clean.indexOf("}", bodyStart));
    for (const method of body.matchAll(/%?[a-z][a-z0-9-]*\s*:\s*(?:async\s+)?func\s*\(/g)) {
      const offset = bodyStart + method.index + method[0].length;
      const hasParams = !/^\s*\)/.test(clean.slice(offset));
      hints.push({ position: positionAt(text, offset), label: `self: borrow<${name}>${hasParams ? ", " : ""}` });
    }
    for (const constructor of body.matchAll(/\bconstructor\s*\([^)]*\)(\s*->)?/g)) {
      if (constructor[1] === undefined) {
        const offset = bodyStart + constructor.index + constructor[0].length;
        hints.push({ position: positionAt(text, offset), label: ` -> own<${name}>` });
      }
    }
  }
  return hints.sort((a, b) => byPosition({ range: { start: a.position } }, { range: { start: b.position } }));
}

describe("inlay hints", () => {
  const lsp = useSession(TYPES);
  const types = corpusText(TYPES);
  const resourceHints = implicitResourceHints(types);
  const typesUri = lsp.uri(TYPES);

  const hints = async () => {
    const found = await lsp.session.request("textDocument/inlayHint", {
      textDocument: { uri: typesUri },
      range: { start: { line: 0, character: 0 }, end: positionAt(lsp.session.text(typesUri), lsp.session.text(typesUri).length) },
    });
    return (found ?? []).map((hint) => ({ position: hint.position, label: hint.label }));
  };

  test("resource methods and constructors show their implicit `self` and result", async () => {
    // The expectation read off the text has the shape the corpus is known to have: the four
    // resources of `types` with 2 constructors (neither writes a result) and 28 methods.
    assert.equal(resourceHints.length, 30);
    const fields = types.indexOf("resource fields {");
    assert.deepEqual(resourceHints.slice(0, 2), [
      { position: positionAt(types, types.indexOf("constructor();", fields) + "constructor()".length), label: " -> own<fields>" },
      { position: positionAt(types, types.indexOf("get: func(", fields) + "get: func(".length), label: "self: borrow<fields>, " },
    ]);
    assert.ok(resourceHints.some((hint) => hint.label === "self: borrow<response>"));
    // Every path in the file spells its version: the resource hints are all there is.
    assert.deepEqual(await hints(), resourceHints);
  });

  test("versioned paths get no hint", async () => {
    assert.deepEqual((await hints()).filter((hint) => hint.label.startsWith("@")), []);
  });

  test("an unversioned `use` path shows the version of the package it names", async () => {
    const version = rangeOf(types, "use wasi:clocks/types@0.3.0.{duration};", { inner: "@0.3.0" });
    assert.ok(resourceHints.every((hint) => hint.position.line > version.start.line));
    await lsp.session.edit(typesUri, version, "");
    assert.deepEqual(await hints(), [{ position: version.start, label: "@0.3.0" }, ...resourceHints]);
    await lsp.session.edit(typesUri, { start: version.start, end: version.start }, "@0.3.0");
    assert.equal(lsp.session.text(typesUri), types);
    assert.deepEqual(await hints(), resourceHints);
  });
});
