// Folding ranges (blocks, parenthesized lists, comment runs) and selection ranges (the token
// at the cursor, then each enclosing construct up to the whole file).

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { corpusText, useSession } from "./support/server.mjs";
import { blankComments, find, positionAt, rangeOf } from "./support/wit-text.mjs";

const TYPES = "wit/types.wit";

/** The 0-based line of the `close` matching the first `open` at or after `from`. */
function closingLine(text, from, open = "{", close = "}") {
  const code = blankComments(text);
  let depth = 0;
  for (let i = code.indexOf(open, from); i < code.length; i += 1) {
    if (code[i] === open) {
      depth += 1;
    } else if (code[i] === close && --depth === 0) {
      return positionAt(text, i).line;
    }
  }
  throw new Error(`unbalanced ${open}${close}`);
}

function contains(outer, inner) {
  const before = (a, b) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

describe("structure", () => {
  const lsp = useSession(TYPES);
  const types = corpusText(TYPES);
  const typesUri = lsp.uri(TYPES);

  test("foldingRange: blocks and parenthesized lists as regions, doc comment runs as comments", async () => {
    const folds = await lsp.session.request("textDocument/foldingRange", { textDocument: { uri: typesUri } });
    const fold = (startLine) => folds.filter((f) => f.startLine === startLine);
    const lineOf = (needle) => rangeOf(types, needle).start.line;

    const blocks = ["interface types {", "variant method {", "record field-size-payload {", "resource fields {", "resource response {"];
    for (const header of blocks) {
      const start = lineOf(header);
      assert.deepEqual(
        fold(start).map((f) => [f.endLine, f.kind]),
        [[closingLine(types, find(types, header)), undefined]],
        header,
      );
    }

    const params = "from-list: static func(";
    assert.deepEqual(
      fold(lineOf(params)).map((f) => [f.endLine, f.kind]),
      [[closingLine(types, find(types, params), "(", ")"), undefined]],
    );

    const docStart = lineOf("/// This interface defines all of the types and methods");
    assert.deepEqual(fold(docStart), [{ startLine: docStart, endLine: docStart + 1, kind: "comment" }]);

    const useLine = lineOf("use wasi:clocks/types@0.3.0.{duration};");
    assert.deepEqual(fold(useLine), [], "a single `use` line does not fold");
    assert.ok(folds.every((f) => f.endLine > f.startLine), "every fold spans lines");
  });

  test("selectionRange: from the token out to the whole file, each range enclosing the last", async () => {
    const position = rangeOf(types, "field-size: option<u32>", { inner: "u32" }).start;
    const [selection] = await lsp.session.request("textDocument/selectionRange", {
      textDocument: { uri: typesUri },
      positions: [{ line: position.line, character: position.character + 1 }],
    });
    const chain = [];
    for (let node = selection; node; node = node.parent) {
      chain.push(node.range);
    }
    assert.deepEqual(chain.slice(0, 3), [
      rangeOf(types, "field-size: option<u32>", { inner: "u32" }),
      rangeOf(types, "field-size: option<u32>", { inner: "option<u32>" }),
      rangeOf(types, "field-size: option<u32>"),
    ]);
    for (let i = 1; i < chain.length; i += 1) {
      assert.ok(contains(chain[i], chain[i - 1]), `range ${i} does not enclose range ${i - 1}`);
      assert.notDeepEqual(chain[i], chain[i - 1], `range ${i} repeats range ${i - 1}`);
    }
    assert.ok(
      chain.some(
        (range) =>
          range.start.line <= rangeOf(types, "record field-size-payload {").start.line &&
          range.end.line === closingLine(types, find(types, "record field-size-payload {")),
      ),
      "no range covering the record",
    );
    assert.deepEqual(chain.at(-1), { start: { line: 0, character: 0 }, end: positionAt(types, types.length) });
  });
});
