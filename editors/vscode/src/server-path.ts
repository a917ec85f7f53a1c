// Finds the `canopy` executable that runs the language server. Pure apart from file-system checks,
// and free of `vscode` imports, so the lookup order is easy to read and to test.

import { constants as fsConstants, promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Where a server binary was found. */
export type ServerSource = "setting" | "bundled" | "PATH" | "cargo";

/** The outcome of a lookup: a usable executable, or why none was found and where we looked. */
export type ServerLookup =
  | { kind: "found"; path: string; source: ServerSource }
  | { kind: "missing"; reason: string; tried: string[] };

/** Everything the lookup depends on, passed in rather than read from globals. */
export interface LookupInputs {
  /** The `canopy.server.path` setting, if set (may start with `~`). */
  configuredPath: string | undefined;
  /** The extension's install folder; a bundled binary lives in its `server/` folder. */
  extensionPath: string;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
}

/**
 * Looks for the server in order: the `canopy.server.path` setting (used as is, and reported if it
 * does not exist), a binary bundled under `server/`, `canopy` on `PATH`, `~/.cargo/bin/canopy`.
 */
export async function findServer(inputs: LookupInputs): Promise<ServerLookup> {
  const exe = inputs.platform === "win32" ? "canopy.exe" : "canopy";
  const configured = inputs.configuredPath?.trim();
  if (configured) {
    const resolved = expandHome(configured);
    if (await isExecutable(resolved, inputs.platform)) {
      return { kind: "found", path: resolved, source: "setting" };
    }
    return {
      kind: "missing",
      reason: `"canopy.server.path" is set to ${resolved}, which is not an executable file.`,
      tried: [resolved],
    };
  }

  const tried: string[] = [];
  const bundled = path.join(inputs.extensionPath, "server", exe);
  tried.push(bundled);
  if (await isExecutable(bundled, inputs.platform)) {
    return { kind: "found", path: bundled, source: "bundled" };
  }

  const searchPath = inputs.env.PATH ?? inputs.env.Path ?? "";
  for (const dir of searchPath.split(path.delimiter).filter((entry) => entry.length > 0)) {
    const candidate = path.join(dir, exe);
    tried.push(candidate);
    if (await isExecutable(candidate, inputs.platform)) {
      return { kind: "found", path: candidate, source: "PATH" };
    }
  }

  const cargoHome = inputs.env.CARGO_HOME ?? path.join(os.homedir(), ".cargo");
  const cargoBinary = path.join(cargoHome, "bin", exe);
  tried.push(cargoBinary);
  if (await isExecutable(cargoBinary, inputs.platform)) {
    return { kind: "found", path: cargoBinary, source: "cargo" };
  }

  return { kind: "missing", reason: "the `canopy` executable was not found.", tried };
}

function expandHome(p: string): string {
  if (p === "~") {
    return os.homedir();
  }
  if (p.startsWith("~/") || p.startsWith("~\\")) {
    return path.join(os.homedir(), p.slice(2));
  }
  return p;
}

async function isExecutable(file: string, platform: NodeJS.Platform): Promise<boolean> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) {
      return false;
    }
    // Windows has no execute bit; existence of the .exe is what counts there.
    if (platform !== "win32") {
      await fs.access(file, fsConstants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}
