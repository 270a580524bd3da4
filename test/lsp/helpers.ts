/**
 * A real LSP client for the tests: spawns `node dist/server/lsp.js --stdio` in its own process
 * group, speaks JSON-RPC over its stdio (vscode-jsonrpc), answers the server's requests
 * (configuration, progress, registrations, applyEdit) and records its notifications.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection, CancellationTokenSource } from "vscode-jsonrpc/node";
import type {
  ClientCapabilities,
  Diagnostic,
  PublishDiagnosticsParams,
  TextEdit,
  WorkspaceEdit,
} from "vscode-languageserver-protocol";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SERVER = path.join(ROOT, "dist/server/lsp.js");
export const FIXTURES = path.join(ROOT, "test/lsp/fixtures");
export const RULE = "ghostwatch/honest-llm-names";

const copies: string[] = [];

export function copyFixture(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gw-lsp-${name}-`));
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  copies.push(dir);
  return fs.realpathSync(dir);
}

/** Removes every fixture copy made so far (call from afterEach/afterAll). */
export function removeFixtureCopies(): void {
  for (const d of copies.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

export const uriOf = (file: string) => pathToFileURL(file).href;

export interface ClientOptions {
  root: string;
  settings?: Record<string, unknown>;
  /** Declare pull-diagnostics support (textDocument.diagnostic + refresh). */
  pull?: boolean;
  progress?: boolean;
  resolveEdit?: boolean;
  /** `initializationOptions` (e.g. `{ workspaceTrusted: false }`, `{ vscodeEslint: true }`). */
  initOptions?: Record<string, unknown>;
  env?: Record<string, string>;
}

export class TestClient {
  readonly proc: ChildProcess;
  readonly conn: MessageConnection;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly publishes: PublishDiagnosticsParams[] = [];
  readonly progress: Array<{ token: string | number; value: { kind: string; title?: string; message?: string; percentage?: number; cancellable?: boolean } }> = [];
  readonly logs: string[] = [];
  readonly status: unknown[] = [];
  readonly applied: WorkspaceEdit[] = [];
  readonly shown: string[] = [];
  refreshes = 0;
  private versions = new Map<string, number>();
  private texts = new Map<string, string>();
  private listeners = new Set<() => void>();
  stderr = "";

  constructor(readonly opts: ClientOptions) {
    this.proc = spawn(process.execPath, [SERVER, "--stdio"], { cwd: opts.root, stdio: ["pipe", "pipe", "pipe"], detached: true, env: { ...process.env, ...opts.env } });
    this.proc.stderr!.on("data", (d: Buffer) => (this.stderr += d.toString()));
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onNotification("textDocument/publishDiagnostics", (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p);
      this.publishes.push(p);
      this.changed();
    });
    this.conn.onNotification("$/progress", (p: TestClient["progress"][number]) => {
      this.progress.push(p);
      this.changed();
    });
    this.conn.onNotification("window/logMessage", (p: { message: string }) => {
      this.logs.push(p.message);
      this.changed();
    });
    this.conn.onNotification("window/showMessage", (p: { message: string }) => this.shown.push(p.message));
    this.conn.onNotification("ghostwatch/status", (p: unknown) => {
      this.status.push(p);
      this.changed();
    });
    this.conn.onRequest("workspace/configuration", (p: { items: Array<{ section?: string }> }) => p.items.map(() => opts.settings ?? {}));
    this.conn.onRequest("client/registerCapability", () => null);
    this.conn.onRequest("window/workDoneProgress/create", () => null);
    this.conn.onRequest("workspace/diagnostic/refresh", () => {
      this.refreshes++;
      this.changed();
      return null;
    });
    this.conn.onRequest("workspace/codeLens/refresh", () => null);
    this.conn.onRequest("window/showDocument", (p: { uri: string }) => {
      this.shown.push(p.uri);
      return { success: true };
    });
    this.conn.onRequest("workspace/applyEdit", (p: { edit: WorkspaceEdit }) => {
      this.applied.push(p.edit);
      return { applied: true };
    });
    this.conn.listen();
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  async initialize(): Promise<unknown> {
    const caps: ClientCapabilities = {
      workspace: {
        configuration: true,
        didChangeWatchedFiles: { dynamicRegistration: true },
        ...(this.opts.pull ? { diagnostics: { refreshSupport: true } } : {}),
        codeLens: { refreshSupport: true },
      },
      textDocument: {
        synchronization: { didSave: true },
        publishDiagnostics: { versionSupport: true },
        hover: { contentFormat: ["markdown", "plaintext"] },
        codeAction: {
          codeActionLiteralSupport: { codeActionKind: { valueSet: ["quickfix", "source", "source.fixAll"] } },
          dataSupport: true,
          ...(this.opts.resolveEdit ? { resolveSupport: { properties: ["edit"] } } : {}),
        },
        ...(this.opts.pull ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
      },
      window: { workDoneProgress: this.opts.progress !== false, showDocument: { support: true } },
    };
    const res = await this.withTimeout("initialize", this.conn.sendRequest("initialize", {
      processId: process.pid,
      rootUri: uriOf(this.opts.root),
      workspaceFolders: [{ uri: uriOf(this.opts.root), name: path.basename(this.opts.root) }],
      capabilities: caps,
      ...(this.opts.initOptions ? { initializationOptions: this.opts.initOptions } : {}),
    }));
    await this.conn.sendNotification("initialized", {});
    return res;
  }

  withTimeout<T>(what: string, p: Promise<T>, ms = 20_000): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      p.finally(() => clearTimeout(timer)),
      new Promise<T>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms (exit ${this.proc.exitCode}); stderr: ${this.stderr}`)), ms);
      }),
    ]);
  }

  /** Resolves when `pred` holds (checked on every notification and every 25 ms). */
  waitFor<T>(what: string, pred: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        let v: T | undefined | false;
        try {
          v = pred();
        } catch {
          v = undefined;
        }
        if (v) {
          done();
          resolve(v);
        }
      };
      const timer = setInterval(check, 25);
      const to = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${what}\nlogs:\n${this.logs.slice(-20).join("\n")}\nstderr:${this.stderr}`));
      }, timeoutMs);
      const done = () => {
        clearInterval(timer);
        clearTimeout(to);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  open(file: string, text = fs.readFileSync(file, "utf8")): void {
    const uri = uriOf(file);
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    void this.conn.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: file.endsWith(".py") ? "python" : file.endsWith(".js") ? "javascript" : "typescript", version: 1, text } });
  }

  /** Full-text change; returns the new version. */
  change(file: string, text: string): number {
    const uri = uriOf(file);
    const v = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, v);
    this.texts.set(uri, text);
    void this.conn.sendNotification("textDocument/didChange", { textDocument: { uri, version: v }, contentChanges: [{ text }] });
    return v;
  }

  close(file: string): void {
    void this.conn.sendNotification("textDocument/didClose", { textDocument: { uri: uriOf(file) } });
  }

  text(file: string): string {
    return this.texts.get(uriOf(file)) ?? fs.readFileSync(file, "utf8");
  }

  version(file: string): number {
    return this.versions.get(uriOf(file)) ?? 0;
  }

  /** Ghostwatch honest-llm-names diagnostics last published for a file (undefined before the first publish). */
  ours(file: string): Diagnostic[] | undefined {
    return this.diagnostics.get(uriOf(file))?.diagnostics.filter((d) => d.source === "ghostwatch" && d.code === RULE);
  }

  request<R>(method: string, params: unknown, token?: CancellationTokenSource): Promise<R> {
    return (token ? this.conn.sendRequest(method, params, token.token) : this.conn.sendRequest(method, params)) as Promise<R>;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest("shutdown").then(() => this.conn.sendNotification("exit")), new Promise((r) => setTimeout(r, 2000))]);
    } catch {
      /* already gone */
    }
    await new Promise((r) => setTimeout(r, 100));
    this.conn.dispose();
    if (this.proc.exitCode === null && this.proc.pid) {
      try {
        process.kill(-this.proc.pid, "SIGKILL");
      } catch {
        /* exited */
      }
    }
  }
}

/** Applies a WorkspaceEdit's `changes` to files on disk (and returns the new texts). */
export function applyEditToDisk(edit: WorkspaceEdit): Map<string, string> {
  const out = new Map<string, string>();
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
    const file = fileURLToPath(uri);
    const text = applyEdits(fs.readFileSync(file, "utf8"), edits);
    fs.writeFileSync(file, text);
    out.set(file, text);
  }
  return out;
}

export function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split("\n");
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

export { CancellationTokenSource };
