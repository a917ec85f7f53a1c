// Entry point of the Canopy WIT extension: starts `canopy lsp` as a language server over stdio,
// restarts it on demand or when its settings change, and reports a missing binary clearly.

import * as vscode from "vscode";
import {
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";
import { findServer, type ServerLookup } from "./server-path";

/** Identifier of the language client; the client library reads the `canopy.trace.server` setting from it. */
const CLIENT_ID = "canopy";
const CLIENT_NAME = "Canopy WIT Language Server";
const SETTINGS_SECTION = "canopy";

let client: LanguageClient | undefined;
let outputChannel: vscode.LogOutputChannel | undefined;

/** Called by VS Code when a WIT file is opened or a workspace holds `.wit` files. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  outputChannel = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  context.subscriptions.push(outputChannel);

  context.subscriptions.push(
    vscode.commands.registerCommand("canopy.restartServer", () => restartServer(context)),
    vscode.commands.registerCommand("canopy.showServerOutput", () => outputChannel?.show(true)),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration(`${SETTINGS_SECTION}.server`)) {
        await restartServer(context);
      }
    }),
  );

  await startServer(context);
}

/** Called by VS Code on shutdown or when the extension is disabled. */
export async function deactivate(): Promise<void> {
  await stopServer();
}

async function startServer(context: vscode.ExtensionContext): Promise<void> {
  const settings = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const lookup = await findServer({
    configuredPath: settings.get<string | null>("server.path") ?? undefined,
    extensionPath: context.extensionPath,
    platform: process.platform,
    env: process.env,
  });
  if (lookup.kind === "missing") {
    await reportMissingServer(lookup);
    return;
  }
  outputChannel?.info(`Starting ${lookup.path} lsp (${lookup.source})`);

  const extraEnv = settings.get<Record<string, string>>("server.extraEnv") ?? {};
  const executable = {
    command: lookup.path,
    args: ["lsp"],
    transport: TransportKind.stdio,
    options: { env: { ...process.env, ...extraEnv } },
  };
  const serverOptions: ServerOptions = { run: executable, debug: executable };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: "wit" }],
    outputChannel,
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher("**/*.{wit,wasm,wat}"),
    },
  };

  client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    client = undefined;
    const message = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(`Canopy: the language server at ${lookup.path} failed to start: ${message}`);
  }
}

async function stopServer(): Promise<void> {
  const running = client;
  client = undefined;
  if (running !== undefined) {
    await running.stop();
  }
}

async function restartServer(context: vscode.ExtensionContext): Promise<void> {
  await stopServer();
  await startServer(context);
}

async function reportMissingServer(lookup: Extract<ServerLookup, { kind: "missing" }>): Promise<void> {
  const openSettings = "Open settings";
  const tried = lookup.tried.map((place) => `  ${place}`).join("\n");
  outputChannel?.info(`Canopy language server not found. Looked in:\n${tried}`);
  const choice = await vscode.window.showErrorMessage(
    `Canopy: ${lookup.reason} Install it with \`cargo install --path .\` in the Canopy repository, or set "canopy.server.path".`,
    openSettings,
  );
  if (choice === openSettings) {
    await vscode.commands.executeCommand("workbench.action.openSettings", "canopy.server.path");
  }
}
