// Document formatting on every file of the tree: the formatted text still analyzes cleanly and
// formatting it again changes nothing. Range formatting touches only the items in its range.
// Text with syntax errors is left alone.

import assert from "node:assert/strict";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { corpusRoot, corpusText, useSession } from "./support/server.mjs";
import { applyEdits, offsetAt, positionAt, rangeOf } from "./support/wit-text.mjs";

const OPTIONS = { tabSize: 4, insertSpaces: true };

/** Corpus-relative paths of every `.wit` file under `wit/`. */
function witFiles(dir = path.join(corpusRoot, "wit")) {
  const files = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) {
      files.push(...witFiles(full));
    } else if (entry.endsWith(".wit")) {
      files.push(path.relative(corpusRoot, full).split(path.sep).join("/"));
    }
  }
  return files;
}

describe("formatting", () => {
  const lsp = useSession();

  const format = (uri) => lsp.session.request("textDocument/formatting", { textDocument: { uri }, options: OPTIONS });

  test("every file of the tree formats to a fixed point that still checks cleanly", async () => {
    const files = witFiles();
    assert.equal(files.length, 24);
    for (const file of files) {
      const original = corpusText(file);
      const uri = await lsp.session.open(file);
      const formatted = applyEdits(original, (await format(uri)) ?? []);
      assert.ok(formatted.trim().length > 0, `${file} formatted to nothing`);
      // Only layout and trailing commas may change.
      const essence = (text) => text.replace(/[\s,]+/g, "");
      assert.equal(essence(formatted), essence(original), `${file}: formatting changed more than layout`);

      const checked = lsp.session.nextDiagnostics(uri);
      const whole = { start: { line: 0, character: 0 }, end: positionAt(original, original.length) };
      await lsp.session.edit(uri, whole, formatted);
      assert.deepEqual((await checked).diagnostics, [], `${file}: formatted text has diagnostics`);
      assert.deepEqual((await format(uri)) ?? [], [], `${file}: formatting is not idempotent`);
      await lsp.session.close(uri);
    }
  });

  test("range formatting reformats the items in the range and nothing outside it", async () => {
    const original = corpusText("wit/types.wit");
    const uri = await lsp.session.open("wit/types.wit");
    const tidy = "  variant scheme {\n    HTTP,\n    HTTPS,\n    other(string)\n  }";
    const messy = "variant   scheme {\nHTTP,\n        HTTPS,\n  other( string )\n      }";
    await lsp.session.edit(uri, rangeOf(original, tidy), messy);
    // A second mis-indented line, before the range: it must stay as it is.
    await lsp.session.edit(uri, rangeOf(lsp.session.text(uri), "    head,"), "head,");
    const edited = lsp.session.text(uri);
    const range = rangeOf(edited, messy);

    const edits = await lsp.session.request("textDocument/rangeFormatting", {
      textDocument: { uri },
      range,
      options: { tabSize: 2, insertSpaces: true },
    });
    // The item is laid out as whole-file formatting would (with its trailing comma) ...
    const formattedItem = "  variant scheme {\n    HTTP,\n    HTTPS,\n    other(string),\n  }";
    const expected = edited.replace(messy, formattedItem);
    assert.equal(applyEdits(edited, edits), expected);
    // ... by edits inside the range only.
    for (const edit of edits) {
      assert.ok(offsetAt(edited, edit.range.start) >= offsetAt(edited, range.start), JSON.stringify(edit));
      assert.ok(offsetAt(edited, edit.range.end) <= offsetAt(edited, range.end), JSON.stringify(edit));
    }
    assert.ok(expected.includes("\nhead,\n"), "the line outside the range was touched");
    await lsp.session.close(uri);
  });

  test("text with a syntax error is not formatted", async () => {
    const uri = await lsp.session.open("wit/worlds.wit", "package wasi:http@0.3.0;\n\nworld broken {\n  import ;\n");
    assert.deepEqual((await format(uri)) ?? [], []);
    await lsp.session.close(uri);
  });
});
