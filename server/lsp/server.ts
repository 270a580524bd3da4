/**
 * The Ghostwatch language server: document sync, diagnostics (pull when the client supports
 * it, push otherwise), code actions, hover, code lens, a workspace scan with work-done
 * progress, and commands. Transport-agnostic: `server/lsp.ts` makes the connection.
 */
import path from "node:path";
import {
  CodeAction,
  CodeActionKind,
  CodeLensRefreshRequest,
  type CodeLens,
  type Connection,
  type Diagnostic,
  DidChangeWatchedFilesNotification,
  type DocumentDiagnosticReport,
  FileChangeType,
  type InitializeParams,
  type InitializeResult,
  LSPErrorCodes,
  MarkupKind,
  type Range,
  ResponseError,
  type TextEdit,
  TextDocuments,
  type WorkspaceEdit,
  type CancellationToken,
} from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import plugin from "../../rules/index.js";
import {
  Commands,
  DIAGNOSTIC_SOURCE,
  FIX_ALL_KIND,
  ReachRequest,
  LiveEvidenceRequest,
  type LiveEvidenceResult,
  SETTINGS_SECTION,
  StatusNotification,
  VscodeEslintNotification,
  WorkspaceTrustNotification,
  type GhostwatchSettings,
  type InitializationOptions,
  type ReachResult,
  onNotification,
  onRequest,
  sendNotification,
  type StatusParams,
} from "../shared/protocol.js";
import { ConfigResolver, FLAT_CONFIG_NAMES, normaliseSettings } from "./config.js";
import { loadPythonParser } from "../../rules/python/parser.js";
import { ProjectModel, isLintable, isPython } from "./project.js";
import { Priority, ValidationQueue } from "./queue.js";
import { formatSteps, honestRenameTarget, hoverMarkdown, lensTitle, reachAll, reachAt, uniqueName } from "./reach-info.js";
import { lintPython, lintText, type LintOutcome } from "./validate.js";
import { LiveEvidence } from "./live.js";
import { DiagnosticsStore, type FileResult, type LintRecord } from "./diagnostics.js";
import { toPath, toUri } from "./uri.js";
import { WorkspaceScan } from "./scan.js";
import { FIX_ALL_TITLE, disableFileEdit, findMessage, isEslintGhostwatchDiagnostic, pythonFixEdits, renameTitle, ruleActions } from "./code-actions.js";
import { WATCHED_FILES, clientFeatures, serverCapabilities, workspaceFolders } from "./capabilities.js";
import { AddressResolver, parseConnectTo } from "../evidence/resolve.js";
import { findServingProbe } from "../probe/instance.js";

interface Waiter {
  version: number | null;
  resolve: () => void;
}

/**
 * Time a validation pass may spend analysing files it has not seen (their facts are cached after):
 * bounds the cold first lint whose reach pulls in a large SDK. GHOSTWATCH_REACH_BUDGET_MS overrides
 * it (0 = unlimited; for tests and benches).
 */
const REACH_BUDGET_MS = (() => {
  const v = Number(process.env.GHOSTWATCH_REACH_BUDGET_MS);
  return Number.isFinite(v) && v >= 0 && process.env.GHOSTWATCH_REACH_BUDGET_MS !== "" ? v || Infinity : 300;
})();

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const log = (m: string) => connection.console.log(m);
  const models: ProjectModel[] = [];
  const configs = new Map<string, ConfigResolver>();
  const results = new DiagnosticsStore();
  const waiters = new Map<string, Waiter[]>();
  const skippedLogged = new Set<string>();
  const budgetLogged = new Set<string>();
  const scanned = new Set<string>();
  let pullMode = false;
  let configurationSupport = false;
  let refreshSupport = false;
  let codeLensRefresh = false;
  let resolveEditSupport = false;
  let progressSupport = false;
  let showDocumentSupport = false;
  let watcherRegistration = false;
  let globalSettings: unknown = undefined;
  /** Restricted Mode when false: nothing of the workspace is executed (no eslint.config import). */
  let trusted = true;
  /** The client runs vscode-eslint in this workspace. */
  let vscodeEslint = false;
  /** What the client was last told (status): only changes are sent. */
  let lastNote: string | undefined;
  let usesLlm = false;
  let restrictedConfigSeen: string | undefined;
  let deferredSeen = false;
  const settingsCache = new Map<string, Promise<GhostwatchSettings>>();
  /** The last settings resolved per document: edits are scheduled synchronously with them. */
  const lastSettings = new Map<string, GhostwatchSettings>();
  /** GHOSTWATCH_LSP_TRACE=1: log each validation's lint time and edit → publish time (for the bench). */
  const trace = !!process.env.GHOSTWATCH_LSP_TRACE;
  const editedAt = new Map<string, number>();
  let refreshTimer: NodeJS.Timeout | undefined;

  // ---------- live evidence (the probe's sockets joined to the code: server/lsp/live.ts) ----------

  let live: LiveEvidence | undefined;
  let liveInit: InitializationOptions["liveEvidence"];

  function withLive(file: string, diagnostics: Diagnostic[]): Diagnostic[] {
    const extra = live?.diagnosticsFor(file) ?? [];
    return extra.length ? [...diagnostics, ...extra] : diagnostics;
  }

  function hashKey(s: string): string {
    let h = 0;
    for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
    return (h >>> 0).toString(36);
  }

  function startLive(): void {
    live = new LiveEvidence({
      roots: () => models.map((m) => m.root),
      // the client's probe (its own setting, honoured by the client only where trusted), else the user's serving probe
      probeUrl: async () => liveInit?.probeUrl || (await findServingProbe({ timeoutMs: 1000 }).catch(() => undefined))?.url,
      intervalMs: liveInit?.intervalMs,
      closeWaitWarn: liveInit?.closeWaitWarn,
      resolver: new AddressResolver({ connectTo: new Map((liveInit?.connectTo ?? []).flatMap((c) => { try { return [parseConnectTo(c)]; } catch { log(`Ghostwatch: ignored liveEvidence.connectTo "${c}"`); return []; } })) }),
      log,
      onChange: (files) => {
        for (const file of files) {
          const uri = toUri(file);
          const r = results.get(file);
          if (pullMode && documents.get(uri)) continue;
          if (r) publish(file, r, true);
          else void connection.sendDiagnostics({ uri, diagnostics: live?.diagnosticsFor(file) ?? [] });
        }
        if (pullMode) scheduleRefresh();
        else if (codeLensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
      },
    });
    live.start();
  }

  onRequest(connection, LiveEvidenceRequest, (): LiveEvidenceResult => ({
    explanations: (live?.explanations ?? []).map((e) => ({
      pid: e.pid,
      remote: e.remote,
      state: e.state,
      count: e.count,
      sites: e.sites.map((s) => ({ uri: toUri(s.path), line: s.line, function: s.function, call: s.call })),
    })),
  }));
  connection.onShutdown(() => live?.stop());

  // ---------- models, settings, config ----------

  function modelFor(file: string): ProjectModel {
    let best: ProjectModel | undefined;
    for (const m of models) if ((file === m.root || file.startsWith(m.root + path.sep)) && (!best || m.root.length > best.root.length)) best = m;
    if (best) return best;
    const m = new ProjectModel(path.dirname(file), log);
    models.push(m);
    return m;
  }

  function configsFor(model: ProjectModel): ConfigResolver {
    let c = configs.get(model.root);
    if (!c) {
      c = new ConfigResolver(model.root, log);
      configs.set(model.root, c);
    }
    return c;
  }

  function settingsFor(uri: string): Promise<GhostwatchSettings> {
    let s = settingsCache.get(uri);
    if (!s) {
      s = (async () => {
        if (configurationSupport) {
          try {
            const raw = await connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION });
            return normaliseSettings(raw);
          } catch {
            return normaliseSettings(undefined);
          }
        }
        return normaliseSettings((globalSettings as Record<string, unknown> | undefined)?.[SETTINGS_SECTION] ?? globalSettings);
      })();
      settingsCache.set(uri, s);
      void s.then((v) => lastSettings.set(uri, v));
    }
    return s;
  }

  // ---------- validation ----------

  function settle(file: string): void {
    const w = waiters.get(file);
    if (!w) return;
    const r = results.get(file);
    const open = documents.get(toUri(file));
    const keep = w.filter((x) => open && x.version !== null && (r?.version ?? -1) < x.version && open.version >= x.version && queue.has(file));
    for (const x of w) if (!keep.includes(x)) x.resolve();
    if (keep.length) waiters.set(file, keep);
    else waiters.delete(file);
  }

  function publish(file: string, r: FileResult, changed: boolean): void {
    const uri = toUri(file);
    const isOpen = !!documents.get(uri);
    if (pullMode && isOpen) {
      // Pull clients ask for open documents; a new result they did not ask for (a dependent) → refresh.
      if (changed && !waiters.has(file)) scheduleRefresh();
      return;
    }
    // Unopened files: only publish what changes the Problems view.
    const diagnostics = withLive(file, r.diagnostics);
    if (!isOpen && !diagnostics.length && !r.pushed) return;
    r.pushed = diagnostics.length > 0;
    void connection.sendDiagnostics({ uri, version: r.version ?? undefined, diagnostics });
  }

  function scheduleRefresh(): void {
    if (!refreshSupport || refreshTimer) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = undefined;
      void connection.languages.diagnostics.refresh().catch(() => undefined);
      if (codeLensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    }, 30);
  }

  function store(file: string, r: LintRecord, changed = true): void {
    publish(file, results.record(file, r, changed, !!documents.get(toUri(file))), changed);
  }

  async function validate(file: string): Promise<void> {
    const uri = toUri(file);
    try {
      const settings = await settingsFor(uri);
      const model = modelFor(file);
      const doc = documents.get(uri);
      if (!doc && !scanned.has(file) && !model.isOpen(file) && !settings.workspaceScan) return;
      model.maxFileBytes = settings.maxFileBytes;
      if (!settings.enable) {
        store(file, { version: doc?.version ?? null, text: "", messages: [] });
        return;
      }
      const config = await configsFor(model).forFile(file, settings, trusted);
      if (config.restrictedConfig && !restrictedConfigSeen) {
        restrictedConfigSeen = config.restrictedConfig;
        sendNote();
      }
      // vscode-eslint runs the same config (TS/JS only: it does not lint Python): one set of diagnostics.
      const deferred = trusted && vscodeEslint && settings.deferToVscodeEslint && config.source !== "settings" && !isPython(file);
      if (deferred && !deferredSeen) {
        deferredSeen = true;
        log(`Ghostwatch: ${config.source} enables Ghostwatch rules and vscode-eslint runs it: its findings are published by vscode-eslint, not again here (ghostwatch.deferToVscodeEslint)`);
        sendNote();
      }
      // Python: the parser loads once (asynchronously), then everything is synchronous.
      let pyRules: Record<string, unknown> | undefined;
      if (isPython(file)) {
        try {
          await loadPythonParser();
        } catch (e) {
          pythonLoadFailed(e);
          store(file, { version: documents.get(uri)?.version ?? null, text: "", messages: [] }, !results.has(file));
          return;
        }
        pyRules = await config.pythonRules(file);
      }
      // One turn of the event loop before linting an open document: an edit already received but not yet
      // dispatched (JSON-RPC dispatches one message per turn) gets its chance to supersede this version.
      if (documents.get(uri)) await new Promise((r) => setImmediate(r));
      // Superseded while the settings/config/parser were awaited: a newer version is queued, and its pass
      // validates the newest text. Validating this one too would lint a version nobody will see.
      if (documents.get(uri) && queue.has(file)) return;
      const read = model.read(file); // after the awaits: the newest text
      const version = documents.get(uri)?.version ?? null;
      if (!read.ok) {
        if (!skippedLogged.has(file + read.reason)) {
          skippedLogged.add(file + read.reason);
          if (read.reason !== "not found") log(`Ghostwatch: skipped ${file} (${read.reason})`);
        }
        const skipped = read.reason !== "not found" && read.reason !== "not a file" ? read.reason : undefined;
        const prev = results.get(file);
        store(file, { version, text: "", messages: [], skipped }, !prev || prev.skipped !== skipped || prev.messages.length > 0);
        return;
      }
      const deps = new Set<string>();
      const lintStart = performance.now();
      let outcome: LintOutcome;
      const resolver = model.passResolver(deps, REACH_BUDGET_MS);
      if (pyRules) {
        outcome = lintPython(read.text, file, pyRules, config.cwd, resolver, log);
      } else outcome = lintText(read.text, file, config, resolver, log);
      if (resolver.exhausted && resolver.built > 0) {
        // The cold reach (a large SDK) hit this pass's budget: publish what is known now, and go on
        // in the background; every pass analyses more files (cached), so the result converges.
        if (!budgetLogged.has(file)) {
          budgetLogged.add(file);
          log(`Ghostwatch: the reach analysis of ${file} spent its ${REACH_BUDGET_MS} ms budget for new files (${resolver.built} analysed); continuing in the background`);
        }
        queue.schedule(file, Priority.background, 0);
      }
      // Open documents: hovers, code lenses and dependents reuse this pass's parse instead of parsing the
      // text again. Not for scanned files: holding every scanned file's SourceCode would cost memory.
      if (outcome.facts && documents.get(uri)) model.putFacts(file, read.key, outcome.facts);
      if (outcome.parseError && !outcome.messages.length) {
        // Mid-typing syntax error: keep the last good diagnostics until the file parses again.
        const prev = results.get(file);
        if (prev) {
          prev.version = version;
          return;
        }
      }
      model.setDeps(file, deps);
      const prev = results.get(file);
      const same = !!prev && prev.text === read.text && JSON.stringify(prev.messages) === JSON.stringify(outcome.messages);
      if (!usesLlm && (outcome.messages.length || outcome.facts?.()?.atoms.some((a) => a.kind === "route"))) {
        usesLlm = true;
        sendNote(true);
      }
      store(file, { version, text: read.text, messages: outcome.messages, deferred }, !same || !!prev?.deferred !== deferred);
      if (trace) {
        const now = performance.now();
        const edited = editedAt.get(file);
        editedAt.delete(file);
        const at = (t: number) => (performance.timeOrigin + t).toFixed(1);
        log(`Ghostwatch: trace ${path.basename(file)} v${version ?? "disk"} lint ${(now - lintStart).toFixed(1)} ms${edited !== undefined ? `, edit → publish ${(now - edited).toFixed(1)} ms (received ${at(edited)}, published ${at(now)})` : ""}`);
      }
    } finally {
      settle(file);
      workspaceScan.validated(file);
    }
  }

  const queue = new ValidationQueue(
    (file) => validate(file),
    (file, e) => log(`Ghostwatch: validating ${file} failed: ${(e as Error).stack ?? e}`),
  );

  /** A file's text changed: re-validate it and whatever was computed from it. */
  let lensTimer: NodeJS.Timeout | undefined;
  function changed(file: string, delay: number, self = true): void {
    // Code lenses of other files may show chains through this one.
    if (codeLensRefresh && !lensTimer) {
      lensTimer = setTimeout(() => {
        lensTimer = undefined;
        void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
      }, 300);
    }
    if (self) queue.schedule(file, documents.get(toUri(file)) ? Priority.edited : Priority.background, delay);
    for (const d of modelFor(file).dependentsOf(file)) {
      const open = !!documents.get(toUri(d));
      if (open || scanned.has(d)) queue.schedule(d, open ? Priority.openDependent : Priority.background, delay);
    }
  }

  function waitForResult(file: string, version: number | null, token: CancellationToken): Promise<boolean> {
    const r = results.get(file);
    if (r && (version === null || (r.version !== null && r.version >= version)) && !queue.has(file)) return Promise.resolve(true);
    if (!queue.has(file)) queue.schedule(file, Priority.edited, 0);
    return new Promise((resolve) => {
      const w: Waiter = { version, resolve: () => resolve(true) };
      const list = waiters.get(file) ?? [];
      list.push(w);
      waiters.set(file, list);
      token.onCancellationRequested(() => {
        const l = waiters.get(file);
        if (l) waiters.set(file, l.filter((x) => x !== w));
        resolve(false);
      });
    });
  }

  function cancelled<T>(): ResponseError<T> {
    return new ResponseError(LSPErrorCodes.RequestCancelled, "request cancelled");
  }

  /** The Python parser (tree-sitter .wasm) did not load: an error in the log and one message, once. */
  let pythonFailure = false;
  function pythonLoadFailed(e: unknown): void {
    if (pythonFailure) return;
    pythonFailure = true;
    const why = (e as Error)?.message ?? String(e);
    connection.console.error(`Ghostwatch: the Python parser (tree-sitter .wasm) failed to load, so .py files get no diagnostics: ${(e as Error)?.stack ?? why}`);
    void connection.window.showErrorMessage(`Ghostwatch: Python files cannot be analysed (the tree-sitter parser failed to load: ${why.split("\n")[0]}). See the Ghostwatch output.`);
  }

  /** Restricted Mode / deferral / LLM use changed: tell the client (status) and the log. */
  function sendNote(force = false): void {
    const note = !trusted
      ? `Restricted Mode: workspace eslint.config ignored${restrictedConfigSeen ? ` (${path.basename(restrictedConfigSeen)} not loaded)` : ""}; rules from the ghostwatch.* settings`
      : deferredSeen && vscodeEslint
        ? "diagnostics from vscode-eslint (the workspace eslint.config enables Ghostwatch); hovers, code lenses and rename from Ghostwatch"
        : undefined;
    if (note === lastNote && !force) return;
    lastNote = note;
    void sendNotification(connection, StatusNotification, {
      state: queue.size ? "validating" : "idle",
      restricted: !trusted,
      ...(deferredSeen && vscodeEslint && trusted ? { diagnosticsFrom: "vscode-eslint" as const } : {}),
      ...(note ? { note } : {}),
      usesLlm,
    } satisfies StatusParams);
  }

  /** Trust or vscode-eslint changed: every config is re-resolved and every known file validated again. */
  function revalidateAll(): void {
    settingsCache.clear();
    for (const c of configs.values()) c.invalidate();
    for (const f of new Set([...scanned, ...documents.all().map((d) => toPath(d.uri)!).filter(Boolean)])) {
      if (isLintable(f)) queue.schedule(f, documents.get(toUri(f)) ? Priority.edited : Priority.background, 0);
    }
  }

  // ---------- workspace scan ----------

  const workspaceScan = new WorkspaceScan({
    listFiles: async () => {
      const files: string[] = [];
      for (const m of models) {
        const s = await settingsFor(toUri(m.root));
        if (!s.workspaceScan || !s.enable) continue;
        for (const f of m.listFiles()) files.push(f);
      }
      return files;
    },
    createProgress: async () => (progressSupport ? await connection.window.createWorkDoneProgress() : undefined),
    status: (p) => void sendNotification(connection, StatusNotification, p),
    isOpen: (file) => !!documents.get(toUri(file)),
    markScanned: (file) => scanned.add(file),
    schedule: (file) => queue.schedule(file, Priority.background, 0),
    drop: (pending) => queue.dropWhere((f, p) => p === Priority.background && pending.has(f)),
    idleStatus: () => ({ filesWithProblems: results.withProblems(), usesLlm, restricted: !trusted, ...(lastNote ? { note: lastNote } : {}) }),
    log,
  });
  const startScan = () => workspaceScan.start();

  // ---------- lifecycle ----------

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    ({ pullMode, configurationSupport, refreshSupport, codeLensRefresh, resolveEditSupport, progressSupport, showDocumentSupport, watcherRegistration } = clientFeatures(params.capabilities));
    const init = params.initializationOptions as InitializationOptions | undefined;
    globalSettings = init?.settings;
    trusted = init?.workspaceTrusted !== false;
    vscodeEslint = init?.vscodeEslint === true;
    liveInit = init?.liveEvidence;
    const folders = workspaceFolders(params);
    for (const f of folders) models.push(new ProjectModel(f, log));
    return {
      capabilities: serverCapabilities(pullMode),
      serverInfo: { name: "ghostwatch-lsp", version: plugin.meta.version },
    };
  });

  connection.onInitialized(() => {
    if (watcherRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: WATCHED_FILES,
      });
    }
    if (!trusted) {
      log("Ghostwatch: Restricted Mode: the workspace is not trusted, so no workspace code runs (eslint.config.* is not imported); rules from the ghostwatch.* settings");
      sendNote();
    }
    void startScan().catch((e) => log(`Ghostwatch: workspace scan failed: ${(e as Error).message}`));
    if (liveInit?.enabled !== false) startLive();
  });

  onNotification(connection, WorkspaceTrustNotification, (p) => {
    const next = p?.trusted !== false;
    if (next === trusted) return;
    trusted = next;
    restrictedConfigSeen = undefined;
    log(`Ghostwatch: workspace ${trusted ? "trusted: loading the workspace eslint.config" : "no longer trusted: Restricted Mode"}; validating again`);
    sendNote(true);
    revalidateAll();
  });

  onNotification(connection, VscodeEslintNotification, (p) => {
    const next = p?.active === true;
    if (next === vscodeEslint) return;
    vscodeEslint = next;
    deferredSeen = false;
    sendNote(true);
    revalidateAll();
  });

  connection.onDidChangeConfiguration((p) => {
    if (!configurationSupport) globalSettings = p.settings;
    settingsCache.clear();
    for (const c of configs.values()) c.invalidate();
    for (const d of documents.all()) {
      const f = toPath(d.uri);
      if (f) queue.schedule(f, Priority.edited, 0);
    }
  });

  // ---------- documents ----------

  documents.onDidOpen((e) => {
    const file = toPath(e.document.uri);
    if (!file || !isLintable(file)) return;
    modelFor(file).setOpen(file, e.document.version, e.document.getText());
    if (pullMode && results.get(file)?.pushed) {
      void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] }); // pull takes over
      results.get(file)!.pushed = false;
    }
    void settingsFor(e.document.uri);
    queue.schedule(file, Priority.edited, 0);
  });

  documents.onDidChangeContent((e) => {
    const file = toPath(e.document.uri);
    if (!file || !isLintable(file)) return;
    modelFor(file).setOpen(file, e.document.version, e.document.getText());
    if (trace && !editedAt.has(file)) editedAt.set(file, performance.now());
    // Scheduled synchronously with the settings already known (once per edit: a second schedule of the
    // same edit would push the debounce out); the first edits before they are known wait for them.
    const known = lastSettings.get(e.document.uri);
    const fresh = settingsFor(e.document.uri); // re-read after a configuration change
    if (known) {
      if (known.run === "onType") changed(file, known.debounceMs);
    } else {
      const version = e.document.version;
      void fresh.then((s) => {
        if (s.run === "onType" && documents.get(e.document.uri)?.version === version) changed(file, s.debounceMs);
      });
    }
  });

  documents.onDidSave((e) => {
    const file = toPath(e.document.uri);
    if (!file || !isLintable(file)) return;
    live?.invalidate(file);
    void settingsFor(e.document.uri).then((s) => {
      if (s.run === "onSave") changed(file, 0);
    });
  });

  documents.onDidClose((e) => {
    const file = toPath(e.document.uri);
    if (!file || !isLintable(file)) return;
    modelFor(file).closeOpen(file);
    settingsCache.delete(e.document.uri);
    lastSettings.delete(e.document.uri);
    if (scanned.has(file)) changed(file, 0); // back to the on-disk text, pushed like the scan
    else {
      results.delete(file);
      if (!pullMode) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    }
  });

  connection.onDidChangeWatchedFiles((p) => {
    for (const c of p.changes) {
      const file = toPath(c.uri);
      if (!file) continue;
      const base = path.basename(file);
      if (FLAT_CONFIG_NAMES.includes(base) || base === "tsconfig.json") {
        for (const cr of configs.values()) cr.invalidate();
        for (const f of new Set([...scanned, ...documents.all().map((d) => toPath(d.uri)!).filter(Boolean)])) queue.schedule(f, documents.get(toUri(f)) ? Priority.openDependent : Priority.background, 0);
        continue;
      }
      if (!isLintable(file)) continue;
      const kind = c.type === FileChangeType.Created ? "created" : c.type === FileChangeType.Deleted ? "deleted" : "changed";
      const model = modelFor(file);
      const dependents = model.dependentsOf(file);
      model.diskChanged(file, kind);
      if (!documents.get(c.uri)) {
        if (kind === "deleted") {
          scanned.delete(file);
          if (results.get(file)?.pushed) void connection.sendDiagnostics({ uri: c.uri, diagnostics: [] });
          results.delete(file);
        } else {
          scanned.add(file);
          queue.schedule(file, Priority.background, 0);
        }
      }
      for (const d of dependents) queue.schedule(d, documents.get(toUri(d)) ? Priority.openDependent : Priority.background, 0);
      if (kind !== "changed") for (const d of documents.all()) {
        const f = toPath(d.uri);
        if (f) queue.schedule(f, Priority.openDependent, 0);
      }
    }
  });

  // ---------- pull diagnostics ----------

  connection.languages.diagnostics.on(async (params, token): Promise<DocumentDiagnosticReport> => {
    const file = toPath(params.textDocument.uri);
    const doc = documents.get(params.textDocument.uri);
    if (!file || !isLintable(file)) return { kind: "full", items: [] };
    const ok = await waitForResult(file, doc?.version ?? null, token);
    if (!ok || token.isCancellationRequested) throw cancelled();
    const r = results.get(file);
    if (!r) return { kind: "full", items: [] };
    const resultId = live ? `${r.resultId}.${live.versionOf(file).length}.${hashKey(live.versionOf(file))}` : r.resultId;
    if (params.previousResultId === resultId) return { kind: "unchanged", resultId };
    return { kind: "full", resultId, items: withLive(file, r.diagnostics) };
  });

  // ---------- code actions ----------

  function docFor(file: string, text: string): TextDocument {
    return documents.get(toUri(file)) ?? TextDocument.create(toUri(file), "typescript", 0, text);
  }

  async function fixAllEdit(file: string): Promise<WorkspaceEdit | undefined> {
    const uri = toUri(file);
    const doc = documents.get(uri);
    const model = modelFor(file);
    const read = model.read(file);
    if (!read.ok) return undefined;
    if (isPython(file)) return pythonFixAll(file, read.text);
    const settings = await settingsFor(uri);
    const config = await configsFor(model).forFile(file, settings, trusted);
    const out = lintText(read.text, file, config, model.passResolver(new Set()), log, true);
    if (out.output === undefined || out.output === read.text) return undefined;
    const d = doc ?? TextDocument.create(uri, "typescript", 0, read.text);
    return { changes: { [uri]: [{ range: { start: d.positionAt(0), end: d.positionAt(read.text.length) }, newText: out.output }] } };
  }

  /** Python's auto-fixes as one edit (server/lsp/code-actions.ts pythonFixEdits). */
  function pythonFixAll(file: string, text: string): WorkspaceEdit | undefined {
    const r = results.get(file);
    if (!r || r.text !== text) return undefined;
    const edits = pythonFixEdits(r.messages, docFor(file, text));
    return edits.length ? { changes: { [toUri(file)]: edits } } : undefined;
  }

  function renameEdit(file: string, offset: number, newName: string): WorkspaceEdit | undefined {
    const model = modelFor(file);
    const locs = model.renameLocations(file, offset);
    if (!locs?.length) return undefined;
    const changes: Record<string, TextEdit[]> = {};
    for (const l of locs) {
      const read = model.read(l.file);
      if (!read.ok) continue;
      const d = docFor(l.file, read.text);
      (changes[toUri(l.file)] ??= []).push({ range: { start: d.positionAt(l.start), end: d.positionAt(l.start + l.length) }, newText: newName });
    }
    return { changes };
  }

  connection.onCodeAction(async (params, token) => {
    const file = toPath(params.textDocument.uri);
    if (!file) return [];
    const doc = documents.get(params.textDocument.uri);
    const r = results.get(file);
    const only = params.context.only;
    const actions: CodeAction[] = [];
    const wantsFixAll = only?.some((k) => FIX_ALL_KIND.startsWith(k) || k === CodeActionKind.SourceFixAll || k === CodeActionKind.Source);
    if (wantsFixAll) {
      const edit = await fixAllEdit(file);
      if (edit) actions.push({ title: FIX_ALL_TITLE, kind: FIX_ALL_KIND, edit });
      return actions;
    }
    if (!r || (doc && r.version !== doc.version)) return [];
    const d0 = docFor(file, r.text);
    let anyFixable = false;
    for (const d of params.context.diagnostics) {
      if (token.isCancellationRequested) return cancelled();
      const fromEslint = isEslintGhostwatchDiagnostic(d);
      if (d.source !== DIAGNOSTIC_SOURCE && !fromEslint) continue;
      const m = findMessage(r, d);
      if (!m?.ruleId) continue;
      const ruleId = m.ruleId;
      if (fromEslint) {
        // vscode-eslint offers the rule's fixes, suggestions and disable comments itself: only the project-wide rename here.
        if (ruleId === "ghostwatch/honest-llm-names" && !isPython(file)) {
          const offset = d0.offsetAt(d.range.start);
          const target = honestRenameTarget(modelFor(file), file, offset);
          if (target) {
            const data = { kind: "rename", uri: params.textDocument.uri, offset, from: target.fn.name, honest: target.honest };
            if (!resolveEditSupport) {
              const resolved = resolveRename(data);
              if (resolved) actions.push({ ...resolved, diagnostics: [d] });
            } else actions.push({ title: renameTitle(target.fn.name, target.honest), kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, data });
          }
        }
        continue;
      }
      const own = ruleActions(params.textDocument.uri, file, r.text, d0, d, { ...m, ruleId });
      if (own.fix) {
        anyFixable = true;
        actions.push(own.fix);
      }
      if (ruleId === "ghostwatch/honest-llm-names" && !isPython(file)) {
        const offset = d0.offsetAt(d.range.start);
        const target = honestRenameTarget(modelFor(file), file, offset);
        if (target) {
          const data = { kind: "rename", uri: params.textDocument.uri, offset, from: target.fn.name, honest: target.honest };
          const action: CodeAction = { title: renameTitle(target.fn.name, target.honest), kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, data };
          if (!resolveEditSupport) {
            const resolved = resolveRename(data);
            if (resolved) actions.push(resolved);
          } else actions.push(action);
        }
      }
      actions.push(...own.rest);
    }
    if (anyFixable) actions.push({ title: FIX_ALL_TITLE, kind: CodeActionKind.QuickFix, command: { title: "Fix all", command: Commands.fixAll, arguments: [params.textDocument.uri] } });
    return actions;
  });

  function resolveRename(data: { uri: string; offset: number; from: string; honest: string }): CodeAction | undefined {
    const file = toPath(data.uri);
    if (!file) return undefined;
    const model = modelFor(file);
    const locs = model.renameLocations(file, data.offset);
    if (!locs?.length) return undefined;
    const name = uniqueName(model, [...new Set(locs.map((l) => l.file))], data.honest);
    const edit = renameEdit(file, data.offset, name);
    return edit ? { title: renameTitle(data.from, name), kind: CodeActionKind.QuickFix, isPreferred: true, edit } : undefined;
  }

  connection.onCodeActionResolve((action) => {
    const data = action.data as { kind?: string; uri: string; offset: number; from: string; honest: string } | undefined;
    if (data?.kind !== "rename") return action;
    const resolved = resolveRename(data);
    return resolved ? { ...action, title: resolved.title, edit: resolved.edit } : action;
  });

  // ---------- hover, code lens, reach request ----------

  connection.onHover((params, token) => {
    if (token.isCancellationRequested) return cancelled();
    const file = toPath(params.textDocument.uri);
    const doc = documents.get(params.textDocument.uri);
    if (!file || !doc || !isLintable(file)) return null;
    const r = reachAt(modelFor(file), file, doc.offsetAt(params.position));
    if (!r?.hits.length) return null;
    const [s, e] = (r.fn.nameNode as { range: [number, number] }).range;
    const sameFile = r.fn.nameNode && r.facts.file === file;
    const liveHover = live?.hoverFor(file, r.fn.name);
    return {
      contents: { kind: MarkupKind.Markdown, value: hoverMarkdown(modelFor(file), r) + (liveHover ? `\n\n${liveHover}` : "") },
      ...(sameFile ? { range: { start: doc.positionAt(s), end: doc.positionAt(e) } as Range } : {}),
    };
  });

  connection.onCodeLens(async (params, token): Promise<CodeLens[] | ResponseError<void>> => {
    if (token.isCancellationRequested) return cancelled();
    const file = toPath(params.textDocument.uri);
    const doc = documents.get(params.textDocument.uri);
    if (!file || !doc || !isLintable(file)) return [];
    if (!(await settingsFor(params.textDocument.uri)).codeLens) return [];
    if (token.isCancellationRequested) return cancelled();
    const lenses: CodeLens[] = reachAll(modelFor(file), file)
      .filter((r) => r.hits.length)
      .map((r) => {
        const [s, e] = (r.fn.nameNode as { range: [number, number] }).range;
        const range = { start: doc.positionAt(s), end: doc.positionAt(e) };
        return { range, command: { title: lensTitle(r), command: Commands.showReach, arguments: [params.textDocument.uri, range.start.line] } };
      });
    // Live evidence: `live: 37 CLOSE-WAIT · 99 % cloud (pid 4242)` above the call that opened the sockets
    for (const l of live?.lensesFor(file) ?? []) {
      const range = { start: { line: l.line, character: 0 }, end: { line: l.line, character: 0 } };
      lenses.push({ range, command: { title: l.title, command: "" } });
    }
    return lenses;
  });

  onRequest(connection, ReachRequest, (params, token): ReachResult | null | ResponseError<void> => {
    if (token.isCancellationRequested) return cancelled();
    const file = toPath(params.textDocument.uri);
    const doc = documents.get(params.textDocument.uri);
    if (!file) return null;
    const model = modelFor(file);
    const read = model.read(file);
    const d = doc ?? (read.ok ? TextDocument.create(params.textDocument.uri, "typescript", 0, read.text) : undefined);
    if (!d) return null;
    const r = reachAt(model, file, d.offsetAt(params.position));
    if (!r) return null;
    return {
      name: r.fn.name,
      chain: lensTitle(r),
      steps: formatSteps(model, r).map((s) => ({ label: s.label, text: s.text, uri: toUri(s.file), line: s.line, column: s.column })),
      ...(r.finding ? { lie: { claim: r.finding.claim.claim, honestName: r.finding.honest, message: hoverMarkdown(model, r) } } : {}),
    };
  });

  // ---------- commands ----------

  connection.onExecuteCommand(async (params) => {
    const args = params.arguments ?? [];
    switch (params.command) {
      case Commands.showDocumentation: {
        const url = String(args[0] ?? "");
        if (showDocumentSupport) await connection.window.showDocument({ uri: url, external: true });
        else void connection.window.showInformationMessage(`Ghostwatch rule documentation: ${url}`);
        return url;
      }
      case Commands.showReach: {
        const uri = String(args[0] ?? "");
        const line = Number(args[1] ?? 0);
        const file = toPath(uri);
        if (!file) return null;
        const r = reachAll(modelFor(file), file).find((x) => (x.fn.nameNode as { loc: { start: { line: number } } }).loc.start.line - 1 === line && x.hits.length);
        if (r) void connection.window.showInformationMessage(`${r.fn.name}() ${formatSteps(modelFor(file), r).map((s) => s.where).join(" → ")}`);
        return r ? lensTitle(r) : null;
      }
      case Commands.fixAll: {
        const file = toPath(String(args[0] ?? ""));
        if (!file) return null;
        const edit = await fixAllEdit(file);
        if (edit) await connection.workspace.applyEdit({ label: "Ghostwatch: fix all", edit });
        return !!edit;
      }
      case Commands.disableForFile: {
        const file = toPath(String(args[0] ?? ""));
        if (!file) return null;
        const r = results.get(file);
        const read = modelFor(file).read(file);
        const rules = (r?.messages ?? []).map((m) => m.ruleId).filter((x): x is string => !!x);
        const edit = read.ok ? disableFileEdit(file, read.text, rules) : undefined;
        if (!edit) {
          void connection.window.showInformationMessage(isPython(file) ? "Ghostwatch: Python files have no file-wide disable comment." : "Ghostwatch: no Ghostwatch problems to disable in this file.");
          return false;
        }
        await connection.workspace.applyEdit({ label: "Ghostwatch: disable for this file", edit });
        return true;
      }
      case Commands.scanWorkspace: {
        scanned.clear();
        await startScan();
        return true;
      }
    }
    return null;
  });

  process.on("unhandledRejection", (e) => log(`Ghostwatch: unhandled rejection: ${(e as Error)?.stack ?? e}`));
  documents.listen(connection);
}
