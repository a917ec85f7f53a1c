// Files appearing in and vanishing from `deps/` on disk, reported with
// `workspace/didChangeWatchedFiles`: the server reloads the layout and the diagnostics of the open
// documents follow. Runs on a throwaway copy of the tree, since it writes to disk.

import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { corpusRoot, corpusText, LspSession } from "./support/server.mjs";
import { rangeOf } from "./support/wit-text.mjs";

const TYPES = "wit/types.wit";
const WORLDS = "wit/worlds.wit";
const RANDOM = "wit/deps/random";
const CLOCK_TYPES = "wit/deps/clocks/types.wit";

/** `FileChangeType` values. */
const CREATED = 1;
const DELETED = 3;

describe("watched files", () => {
  /** @type {string} */
  let root;
  /** @type {LspSession} */
  let session;
  const types = corpusText(TYPES);
  const worlds = corpusText(WORLDS);

  before(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), "canopy-e2e-"));
    cpSync(corpusRoot, root, { recursive: true });
    // The copy starts without the `wasi:random` package.
    rmSync(path.join(root, RANDOM), { recursive: true });
    session = await LspSession.start({ rootPath: root });
  });

  after(async () => {
    try {
      if (session) {
        assert.equal(await session.stop(), 0, `server exit code; stderr:\n${session.stderr}`);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test("a package written into deps/ resolves the include that named it", async () => {
    const uri = session.uriOf(WORLDS);
    // The publication for the opened document (the server may also have published the
    // workspace's diagnostics, this file's among them, after `initialized`).
    const missing = session.nextDiagnostics(uri, (params) => params.version === 1);
    await session.open(WORLDS);
    assert.deepEqual((await missing).diagnostics, [
      {
        range: rangeOf(worlds, "include wasi:random/imports@0.3.0;", { inner: "wasi:random/imports@0.3.0" }),
        severity: 1,
        code: "unknown-package",
        source: "canopy",
        message:
          "package `wasi:random@0.3.0` not found; known packages: `wasi:cli@0.3.0`, `wasi:clocks@0.3.0`, " +
          "`wasi:filesystem@0.3.0`, `wasi:http@0.3.0`, `wasi:sockets@0.3.0`",
      },
    ]);

    cpSync(path.join(corpusRoot, RANDOM), path.join(root, RANDOM), { recursive: true });
    const files = readdirSync(path.join(root, RANDOM)).sort();
    assert.deepEqual(files, ["insecure-seed.wit", "insecure.wit", "random.wit", "world.wit"]);
    const cleared = session.nextDiagnostics(uri, (params) => params.diagnostics.length === 0);
    await session.notify("workspace/didChangeWatchedFiles", {
      changes: files.map((file) => ({ uri: session.uriOf(`${RANDOM}/${file}`), type: CREATED })),
    });
    assert.deepEqual((await cleared).diagnostics, []);
  });

  test("a deleted deps/ file breaks the `use` of its interface; restoring it mends it", async () => {
    const uri = session.uriOf(TYPES);
    const clean = session.nextDiagnostics(uri, (params) => params.version === 1);
    await session.open(TYPES);
    assert.deepEqual((await clean).diagnostics, []);

    rmSync(path.join(root, CLOCK_TYPES));
    const broken = session.nextDiagnostics(uri, (params) => params.diagnostics.length > 0);
    await session.notify("workspace/didChangeWatchedFiles", {
      changes: [{ uri: session.uriOf(CLOCK_TYPES), type: DELETED }],
    });
    const undefinedDuration = [];
    for (let occurrence = 0; occurrence < 6; occurrence += 1) {
      undefinedDuration.push({
        range: rangeOf(types, "option<duration>", { inner: "duration", occurrence }),
        severity: 1,
        code: "undefined-type",
        source: "canopy",
        message: "name `duration` does not exist",
      });
    }
    assert.deepEqual((await broken).diagnostics, [
      {
        range: rangeOf(types, "use wasi:clocks/types@0.3.0.{duration};", { inner: "types" }),
        severity: 1,
        code: "unknown-interface",
        source: "canopy",
        message: "interface or world `types` not found in package `wasi:clocks@0.3.0`",
      },
      ...undefinedDuration,
    ]);

    cpSync(path.join(corpusRoot, CLOCK_TYPES), path.join(root, CLOCK_TYPES));
    const mended = session.nextDiagnostics(uri, (params) => params.diagnostics.length === 0);
    await session.notify("workspace/didChangeWatchedFiles", {
      changes: [{ uri: session.uriOf(CLOCK_TYPES), type: CREATED }],
    });
    assert.deepEqual((await mended).diagnostics, []);
  });
});
