// Tokenizes WIT with the TextMate grammar of the extension, using the same engine as VS Code
// (vscode-textmate + vscode-oniguruma), and checks the scopes given to each construct.

import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import vsctm from "vscode-textmate";
import oniguruma from "vscode-oniguruma";

const here = path.dirname(fileURLToPath(import.meta.url));
const extensionRoot = path.resolve(here, "../..");
const corpusRoot = path.resolve(extensionRoot, "../../../shared/corpora");
const require = createRequire(import.meta.url);

const wasm = readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
const registry = new vsctm.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (text) => new oniguruma.OnigString(text),
  }),
  loadGrammar: async (scopeName) => {
    if (scopeName !== "source.wit") {
      return null;
    }
    const file = path.join(extensionRoot, "syntaxes/wit.tmLanguage.json");
    return vsctm.parseRawGrammar(readFileSync(file, "utf8"), file);
  },
});
const grammar = await registry.loadGrammar("source.wit");

/** Tokenizes `text` into `{ text, scopes }` per token, lines joined in order. */
function tokenize(text) {
  const tokens = [];
  let ruleStack = vsctm.INITIAL;
  for (const line of text.split("\n")) {
    const result = grammar.tokenizeLine(line, ruleStack);
    for (const token of result.tokens) {
      tokens.push({ text: line.slice(token.startIndex, token.endIndex), scopes: token.scopes });
    }
    ruleStack = result.ruleStack;
  }
  return tokens;
}

/** The innermost scope of the `occurrence`-th token whose text is exactly `text`. */
function scopeOf(tokens, text, occurrence = 0) {
  const matches = tokens.filter((token) => token.text === text);
  assert.ok(matches.length > occurrence, `no token ${JSON.stringify(text)} (#${occurrence})`);
  const scopes = matches[occurrence].scopes;
  return scopes[scopes.length - 1];
}

/** All scopes of the token covering `text`. */
function scopesOf(tokens, text, occurrence = 0) {
  const matches = tokens.filter((token) => token.text.includes(text));
  assert.ok(matches.length > occurrence, `no token containing ${JSON.stringify(text)} (#${occurrence})`);
  return matches[occurrence].scopes;
}

const sample = `/// The package doc.
package wasi:http@0.3.0-rc-2025-09-16;

/* a block /* nested */ still comment */
/** Doc block. */
interface types {
  use wasi:io/streams@0.2.0.{input-stream as stream-in, %error};
  @since(version = 0.2.1)
  @unstable(feature = fancier-foo)
  @deprecated(version = 0.2.2)
  record %record {
    field-one: list<u8, 4>,
    maybe: option<tuple<s32, f64>>,
    out: result<_, error-context>,
  }
  resource body {
    constructor(size: u64);
    read: async func(len: u32) -> stream<u8>;
    open: static func() -> own<body>;
  }
  variant error-code { timeout, other(string) }
  flags perms { read, write }
  enum mode { fast }
  type alias = borrow<body>;
  do-it: func(m: map<string, future<char>>) -> bool;
}
world proxy {
  import wasi:clocks/monotonic-clock@0.2.0;
  export handler: interface { }
  import run: async func();
  include wasi:cli/imports@0.2.0 with { name as other };
}
`;

describe("TextMate grammar", () => {
  const tokens = tokenize(sample);

  test("comments: line, nested block, doc line and doc block", () => {
    assert.equal(scopeOf(tokens, " The package doc."), "comment.line.documentation.wit");
    assert.ok(scopesOf(tokens, "still comment").includes("comment.block.wit"));
    assert.ok(scopesOf(tokens, "nested").includes("comment.block.wit"));
    assert.ok(scopesOf(tokens, " Doc block. ").includes("comment.block.documentation.wit"));
  });

  test("package header with namespace, name and version", () => {
    assert.equal(scopeOf(tokens, "package"), "keyword.other.package.wit");
    assert.equal(scopeOf(tokens, "wasi"), "entity.name.namespace.wit");
    assert.equal(scopeOf(tokens, "http"), "entity.name.namespace.package.wit");
    assert.equal(scopeOf(tokens, "0.3.0-rc-2025-09-16"), "constant.numeric.version.wit");
  });

  test("use paths, braces, renames and %-escaped names", () => {
    assert.equal(scopeOf(tokens, "use"), "keyword.other.use.wit");
    assert.equal(scopeOf(tokens, "streams"), "entity.name.type.interface.wit");
    assert.equal(scopeOf(tokens, "0.2.0"), "constant.numeric.version.wit");
    assert.equal(scopeOf(tokens, "input-stream"), "entity.name.type.wit");
    assert.equal(scopeOf(tokens, "as"), "keyword.other.as.wit");
    assert.equal(scopeOf(tokens, "%error"), "entity.name.type.wit");
  });

  test("gates", () => {
    assert.equal(scopeOf(tokens, "since"), "storage.type.annotation.gate.wit");
    assert.equal(scopeOf(tokens, "unstable"), "storage.type.annotation.gate.wit");
    assert.equal(scopeOf(tokens, "deprecated"), "storage.type.annotation.gate.wit");
    assert.equal(scopeOf(tokens, "0.2.1"), "constant.numeric.version.wit");
    assert.equal(scopeOf(tokens, "fancier-foo"), "entity.name.tag.feature.wit");
    assert.equal(scopeOf(tokens, "feature"), "variable.parameter.gate.wit");
  });

  test("type declarations, keywords and declared names", () => {
    for (const keyword of ["interface", "record", "resource", "variant", "flags", "enum", "type", "world"]) {
      assert.equal(scopeOf(tokens, keyword), "storage.type.wit", keyword);
    }
    assert.equal(scopeOf(tokens, "%record"), "entity.name.type.wit");
    assert.equal(scopeOf(tokens, "error-code"), "entity.name.type.wit");
    assert.equal(scopeOf(tokens, "proxy"), "entity.name.type.wit");
    assert.equal(scopeOf(tokens, "constructor"), "storage.type.constructor.wit");
  });

  test("functions, async and static", () => {
    assert.equal(scopeOf(tokens, "read", 0), "entity.name.function.wit");
    assert.equal(scopeOf(tokens, "read", 1), "variable.other.wit");
    assert.equal(scopeOf(tokens, "async"), "storage.modifier.async.wit");
    assert.equal(scopeOf(tokens, "static"), "storage.modifier.static.wit");
    assert.equal(scopeOf(tokens, "func"), "storage.type.function.wit");
    assert.equal(scopeOf(tokens, "do-it"), "entity.name.function.wit");
    assert.equal(scopeOf(tokens, "->"), "keyword.operator.arrow.wit");
    assert.equal(scopeOf(tokens, "run"), "entity.name.function.wit");
  });

  test("primitive types and builtin generics", () => {
    for (const primitive of ["u8", "s32", "f64", "u64", "u32", "string", "char", "bool", "error-context"]) {
      assert.equal(scopeOf(tokens, primitive), "support.type.primitive.wit", primitive);
    }
    for (const generic of ["list", "option", "tuple", "result", "stream", "own", "borrow", "map", "future"]) {
      assert.equal(scopeOf(tokens, generic), "support.type.builtin.wit", generic);
    }
    assert.equal(scopeOf(tokens, "4"), "constant.numeric.integer.wit");
    assert.equal(scopeOf(tokens, "_"), "support.type.placeholder.wit");
  });

  test("world items: import paths, inline interfaces, include with", () => {
    assert.equal(scopeOf(tokens, "monotonic-clock"), "entity.name.type.interface.wit");
    assert.equal(scopeOf(tokens, "handler"), "entity.name.type.interface.wit");
    assert.equal(scopeOf(tokens, "include"), "keyword.other.include.wit");
    assert.equal(scopeOf(tokens, "with"), "keyword.other.with.wit");
  });

  test("identifiers containing keywords are not split", () => {
    const local = tokenize("interface i { list-files: func(option-x: stream-id) -> u8-ish; }");
    assert.equal(scopeOf(local, "list-files"), "entity.name.function.wit");
    assert.equal(scopeOf(local, "option-x"), "variable.other.member.wit");
    assert.equal(scopeOf(local, "stream-id"), "variable.other.wit");
    assert.equal(scopeOf(local, "u8-ish"), "variable.other.wit");
  });

  test("every non-blank token of the real WASI corpora gets a WIT scope", () => {
    const files = listWit(corpusRoot);
    assert.ok(files.length > 50, `expected the WASI corpora under ${corpusRoot}, found ${files.length} files`);
    for (const file of files) {
      for (const token of tokenize(readFileSync(file, "utf8"))) {
        if (token.text.trim() === "") {
          continue;
        }
        assert.ok(token.scopes.length > 1, `${file}: token ${JSON.stringify(token.text)} has no scope`);
      }
    }
  });
});

function listWit(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) {
      out.push(...listWit(full));
    } else if (entry.endsWith(".wit")) {
      out.push(full);
    }
  }
  return out;
}
