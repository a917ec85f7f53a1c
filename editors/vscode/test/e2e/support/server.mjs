// Starts the real `canopy lsp` binary over stdio and talks to it with the protocol library that
// VS Code's own language client is built on. One `LspSession` per test file, set up by `useSession`.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { after, before } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentSyncKind,
} from "vscode-languageserver-protocol/node";
import { offsetAt } from "./wit-text.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
/** The extension's folder, `editors/vscode`. */
export const extensionRoot = path.resolve(here, "../../..");
/** The WASI HTTP 0.3 project used by every test: `wit/` plus `wit/deps/`. */
export const corpusRoot = path.resolve(extensionRoot, "../../../shared/corpora/wasi-http-0.3");

/** The server binary: `$CANOPY_BIN`, else the workspace's release build. */
export function serverBinary() {
  const configured = process.env.CANOPY_BIN;
  const binary = configured
    ? path.resolve(extensionRoot, configured)
    : path.resolve(extensionRoot, "../../target/release/canopy");
  if (!existsSync(binary)) {
    throw new Error(`canopy binary not found at ${binary}; build it (cargo build --release) or set CANOPY_BIN`);
  }
  return binary;
}

/** The `file:` URI of a corpus file given relative to the corpus root (e.g. `wit/types.wit`). */
export function corpusUri(relative) {
  return pathToFileURL(path.join(corpusRoot, relative)).href;
}

/** The disk text of a corpus file. */
export function corpusText(relative) {
  return readFileSync(path.join(corpusRoot, relative), "utf8");
}

/** The corpus-relative path of a `file:` URI (forward slashes). */
export function relativeOf(uri) {
  return path.relative(corpusRoot, fileURLToPath(uri)).split(path.sep).join("/");
}

/** The `TextDocumentPositionParams` for `position` in the document `uri`. */
export function at(uri, position) {
  return { textDocument: { uri }, position };
}

/**
 * Call inside a `describe`: registers hooks that start an `LspSession` and open the corpus files
 * `relatives` before its tests, and stop the server after them, asserting it exits with 0.
 * `session` is usable inside tests and later hooks; `uri(relative)`, the URI of one of those
 * files, anywhere.
 * @param {...string} relatives
 * @returns {{ readonly session: LspSession, uri(relative: string): string }}
 */
export function useSession(...relatives) {
  /** @type {LspSession | undefined} */
  let session;
  before(async () => {
    session = await LspSession.start();
    for (const relative of relatives) {
      await session.open(relative);
    }
  });
  after(async () => {
    if (session) {
      assert.equal(await session.stop(), 0, `server exit code; stderr:\n${session.stderr}`);
    }
  });
  return {
    get session() {
      if (!session) {
        throw new Error("no session yet: use it inside a test or hook");
      }
      return session;
    },
    uri(relative) {
      if (!relatives.includes(relative)) {
        throw new Error(`${relative} is not among the files this session opens`);
      }
      return corpusUri(relative);
    },
  };
}

/** What the test client tells the server it supports: what VS Code announces for these features. */
const clientCapabilities = {
  general: { positionEncodings: ["utf-16"] },
  workspace: {
    workspaceFolders: true,
    configuration: true,
    symbol: { symbolKind: { valueSet: Array.from({ length: 26 }, (_, i) => i + 1) } },
    workspaceEdit: { documentChanges: false },
    semanticTokens: { refreshSupport: true },
    inlayHint: { refreshSupport: true },
    diagnostics: { refreshSupport: false },
  },
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: true },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true },
    hover: { contentFormat: ["markdown", "plaintext"] },
    definition: { linkSupport: false },
    declaration: { linkSupport: false },
    typeDefinition: { linkSupport: false },
    references: {},
    documentHighlight: {},
    rename: { prepareSupport: true, honorsChangeAnnotations: false },
    completion: {
      completionItem: { snippetSupport: false, documentationFormat: ["markdown", "plaintext"] },
      contextSupport: true,
    },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    semanticTokens: {
      requests: { full: { delta: true }, range: true },
      tokenTypes: [
        "namespace", "type", "class", "enum", "interface", "struct", "typeParameter", "parameter",
        "variable", "property", "enumMember", "event", "function", "method", "macro", "keyword",
        "modifier", "comment", "string", "number", "regexp", "operator", "decorator",
      ],
      tokenModifiers: [
        "declaration", "definition", "readonly", "static", "deprecated", "abstract", "async",
        "modification", "documentation", "defaultLibrary",
      ],
      formats: ["relative"],
      overlappingTokenSupport: false,
      multilineTokenSupport: false,
    },
    foldingRange: { lineFoldingOnly: false },
    selectionRange: {},
    formatting: {},
    rangeFormatting: {},
    codeAction: {
      codeActionLiteralSupport: {
        codeActionKind: { valueSet: ["", "quickfix", "refactor", "source", "source.organizeImports"] },
      },
      isPreferredSupport: true,
    },
    inlayHint: {},
  },
};

/** A running server with an initialized LSP connection and a log of published diagnostics. */
export class LspSession {
  /**
   * Starts a server whose workspace folder is `rootPath` (default: the corpus). `open` reads and
   * names files relative to that folder.
   * @param {{ rootPath?: string }} [options]
   */
  static async start(options = {}) {
    const rootPath = options.rootPath ?? corpusRoot;
    const child = spawn(serverBinary(), ["lsp"], { stdio: ["pipe", "pipe", "pipe"] });
    const session = new LspSession(child, rootPath);
    const result = await session.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      clientInfo: { name: "canopy-e2e" },
      rootUri: pathToFileURL(rootPath).href,
      workspaceFolders: [{ uri: pathToFileURL(rootPath).href, name: path.basename(rootPath) }],
      capabilities: clientCapabilities,
    });
    session.initializeResult = result;
    await session.connection.sendNotification(InitializedNotification.type, {});
    return session;
  }

  constructor(child, rootPath = corpusRoot) {
    this.child = child;
    /** The workspace folder. */
    this.rootPath = rootPath;
    this.stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk) => {
      this.stderr += chunk;
    });
    this.connection = createProtocolConnection(
      new StreamMessageReader(child.stdout),
      new StreamMessageWriter(child.stdin),
    );
    /** @type {Map<string, object[]>} every publishDiagnostics, per URI, in arrival order */
    this.diagnostics = new Map();
    this.diagnosticWaiters = [];
    this.versions = new Map();
    this.texts = new Map();
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      const list = this.diagnostics.get(params.uri) ?? [];
      list.push(params);
      this.diagnostics.set(params.uri, list);
      this.diagnosticWaiters = this.diagnosticWaiters.filter((waiter) => !waiter(params));
    });
    // Requests from the server (configuration, registrations, refreshes, progress): answer as
    // VS Code would when it has nothing particular to say.
    this.connection.onRequest((method, params) => {
      if (method === "workspace/configuration") {
        return (params?.items ?? []).map(() => null);
      }
      return null;
    });
    this.connection.listen();
  }

  /** Sends a request by method name, e.g. `textDocument/hover`. */
  request(method, params) {
    return this.connection.sendRequest(method, params);
  }

  /** Sends a notification by method name, e.g. `workspace/didChangeWatchedFiles`. */
  notify(method, params) {
    return this.connection.sendNotification(method, params);
  }

  /** The text-document sync kind the server asked for. */
  get syncKind() {
    const sync = this.initializeResult.capabilities.textDocumentSync;
    return typeof sync === "number" ? sync : (sync?.change ?? TextDocumentSyncKind.None);
  }

  /** The `file:` URI of a file given relative to the workspace folder. */
  uriOf(relative) {
    return pathToFileURL(path.join(this.rootPath, relative)).href;
  }

  /**
   * Opens a file of the workspace folder (the corpus unless the session was started on another
   * folder) with its disk text (or `text`) and returns its URI.
   */
  async open(relative, text = readFileSync(path.join(this.rootPath, relative), "utf8")) {
    const uri = this.uriOf(relative);
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: "wit", version: 1, text },
    });
    return uri;
  }

  /** Replaces `range` of an open document by `newText`, as an incremental or a full change. */
  async edit(uri, range, newText) {
    const old = this.texts.get(uri);
    const start = offsetAt(old, range.start);
    const end = offsetAt(old, range.end);
    const text = old.slice(0, start) + newText + old.slice(end);
    const version = this.versions.get(uri) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    const contentChanges =
      this.syncKind === TextDocumentSyncKind.Incremental ? [{ range, text: newText }] : [{ text }];
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges,
    });
    return { version, text };
  }

  /** Closes an open document. */
  async close(uri) {
    this.texts.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** The current text of an open document. */
  text(uri) {
    return this.texts.get(uri);
  }

  /**
   * Resolves with the first diagnostics published for `uri` from now on that satisfy `accept`
   * (default: any). Rejects after `timeoutMs`, naming what was published meanwhile.
   */
  nextDiagnostics(uri, accept = () => true, timeoutMs = 20000) {
    return new Promise((resolve, reject) => {
      const seen = [];
      const timer = setTimeout(() => {
        reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; got ${JSON.stringify(seen)}`));
      }, timeoutMs);
      this.diagnosticWaiters.push((params) => {
        if (params.uri !== uri) {
          return false;
        }
        seen.push(params.diagnostics);
        if (!accept(params)) {
          return false;
        }
        clearTimeout(timer);
        resolve(params);
        return true;
      });
    });
  }

  /** Shuts the server down politely and waits for it to exit; kills it if it lingers. */
  async stop() {
    const exited = new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        resolve(this.child.exitCode);
      } else {
        this.child.once("exit", (code) => resolve(code));
      }
    });
    try {
      await withTimeout(this.connection.sendRequest(ShutdownRequest.type), 5000, "shutdown");
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // The exit code check below reports the problem; make sure the process goes away.
    }
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 5000);
    const code = await exited;
    clearTimeout(timer);
    this.connection.dispose();
    return code;
  }
}

function withTimeout(promise, ms, what) {
  return Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms)),
  ]);
}
