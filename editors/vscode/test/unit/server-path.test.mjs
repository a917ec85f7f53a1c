// The server lookup order of the extension (src/server-path.ts), compiled on the fly with esbuild
// and run against a temporary folder of fake executables.

import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as esbuild from "esbuild";

const extensionRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const scratch = mkdtempSync(path.join(os.tmpdir(), "canopy-server-path-"));
const compiled = path.join(scratch, "server-path.mjs");
await esbuild.build({
  entryPoints: [path.join(extensionRoot, "src/server-path.ts")],
  outfile: compiled,
  bundle: true,
  platform: "node",
  format: "esm",
  logLevel: "silent",
});
const { findServer } = await import(pathToFileURL(compiled).href);

/** Creates `relative` under the scratch folder as an executable (or plain, with `mode`) file. */
function makeFile(relative, mode = 0o755) {
  const file = path.join(scratch, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, "#!/bin/sh\n");
  chmodSync(file, mode);
  return file;
}

const extensionPath = path.join(scratch, "extension");
const pathDir = path.join(scratch, "bin");
const cargoHome = path.join(scratch, "cargo");
const lookup = (overrides = {}) =>
  findServer({
    configuredPath: undefined,
    extensionPath,
    platform: "linux",
    env: { PATH: pathDir, CARGO_HOME: cargoHome },
    ...overrides,
  });

describe("server lookup", () => {
  after(() => rmSync(scratch, { recursive: true, force: true }));

  test("nothing installed: missing, naming every place tried in order", async () => {
    assert.deepEqual(await lookup(), {
      kind: "missing",
      reason: "the `canopy` executable was not found.",
      tried: [
        path.join(extensionPath, "server", "canopy"),
        path.join(pathDir, "canopy"),
        path.join(cargoHome, "bin", "canopy"),
      ],
    });
  });

  test("cargo, then PATH, then bundled take precedence in turn", async () => {
    const cargo = makeFile("cargo/bin/canopy");
    assert.deepEqual(await lookup(), { kind: "found", path: cargo, source: "cargo" });
    const onPath = makeFile("bin/canopy");
    assert.deepEqual(await lookup(), { kind: "found", path: onPath, source: "PATH" });
    const bundled = makeFile("extension/server/canopy");
    assert.deepEqual(await lookup(), { kind: "found", path: bundled, source: "bundled" });
  });

  test("a non-executable file is skipped", async () => {
    const plain = makeFile("plain/canopy", 0o644);
    const result = await lookup({ env: { PATH: path.dirname(plain), CARGO_HOME: path.join(scratch, "none") }, extensionPath: scratch });
    assert.equal(result.kind, "missing");
    assert.ok(result.tried.includes(plain));
  });

  test("the setting wins, and a wrong setting is reported rather than silently ignored", async () => {
    const configured = makeFile("custom/my-canopy");
    assert.deepEqual(await lookup({ configuredPath: configured }), { kind: "found", path: configured, source: "setting" });
    const wrong = path.join(scratch, "does-not-exist");
    assert.deepEqual(await lookup({ configuredPath: wrong }), {
      kind: "missing",
      reason: `"canopy.server.path" is set to ${wrong}, which is not an executable file.`,
      tried: [wrong],
    });
  });

  test("a ~ in the setting means the home folder", async () => {
    const result = await lookup({ configuredPath: "~/surely-not-a-canopy-binary" });
    assert.deepEqual(result.tried, [path.join(os.homedir(), "surely-not-a-canopy-binary")]);
  });
});
