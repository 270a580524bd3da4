/**
 * The small contract between the Ghostwatch language server (`ghostwatch-lsp`) and its
 * clients (the VS Code extension, or any LSP client that wants more than diagnostics).
 * Both sides import the typed message objects below (vscode-eslint's `$shared/customMessages.ts`
 * pattern) and register or send them through `onRequest`/`sendRequest`/`onNotification`/
 * `sendNotification` here, so a method name and its parameter and result shapes are written once
 * and checked by the compiler on both ends.
 *
 * Plain descriptors rather than vscode-jsonrpc's `RequestType` classes: the server
 * (vscode-languageserver) and the client (vscode-languageclient) each bring their own copy of
 * vscode-languageserver-protocol, and a class from one copy is not assignable to the other's (its
 * private fields differ), so one shared class object could not type-check on both sides. No
 * runtime dependencies, so the extension can bundle this file.
 */
import { EDITOR_MAX_FILE_BYTES } from "../workspace.js";

/** A custom request: its method, and (types only) its params `P` and result `R`. */
export interface RequestDef<P, R> {
  readonly method: string;
  /** Never set: carries the types. */
  readonly types?: { params: P; result: R };
}
/** A custom notification: its method, and (types only) its params `P`. */
export interface NotificationDef<P> {
  readonly method: string;
  /** Never set: carries the types. */
  readonly types?: { params: P };
}

/** What both `vscode-languageserver`'s Connection and `vscode-languageclient`'s LanguageClient offer. */
interface MessageEndpoint {
  onRequest(method: string, handler: (params: never, token: never) => unknown): unknown;
  sendRequest(method: string, params: unknown): Promise<unknown>;
  onNotification(method: string, handler: (params: unknown) => void): unknown;
  sendNotification(method: string, params: unknown): Promise<void>;
}
/** The part of a cancellation token the handlers read. */
export interface CancellationTokenLike {
  readonly isCancellationRequested: boolean;
}

/** Handle a request; a handler may answer with a ResponseError (an Error) instead of a result. */
export function onRequest<P, R>(at: Pick<MessageEndpoint, "onRequest">, type: RequestDef<P, R>, handler: (params: P, token: CancellationTokenLike) => R | Error | Promise<R | Error>): void {
  at.onRequest(type.method, handler);
}
export function sendRequest<P, R>(to: Pick<MessageEndpoint, "sendRequest">, type: RequestDef<P, R>, params: P): Promise<R> {
  return to.sendRequest(type.method, params) as Promise<R>;
}
export function onNotification<P>(at: Pick<MessageEndpoint, "onNotification">, type: NotificationDef<P>, handler: (params: P) => void): void {
  at.onNotification(type.method, handler as (params: unknown) => void);
}
export function sendNotification<P>(to: Pick<MessageEndpoint, "sendNotification">, type: NotificationDef<P>, params: P): Promise<void> {
  return to.sendNotification(type.method, params);
}

/** Section read through `workspace/configuration` (per resource, `scopeUri` = the document). */
export const SETTINGS_SECTION = "ghostwatch";

export type Preset = "recommended" | "strict" | "local-only";
export type RuleLevel = "off" | "warn" | "error";
/** A rule's level, or ESLint's `[level, ...options]`. */
export type RuleSetting = RuleLevel | [RuleLevel, ...unknown[]];

/** `ghostwatch.*` settings, as the server reads them for one resource. */
export interface GhostwatchSettings {
  /** Lint TS/JS files at all. Default true. */
  enable: boolean;
  /** Preset used when the workspace has no ESLint flat config that uses the Ghostwatch plugin. */
  preset: Preset;
  /** Per-rule overrides on top of the preset: `{ "honest-llm-names": "warn" }` (prefix optional). */
  rules: Record<string, RuleSetting>;
  /** Honour the workspace's `eslint.config.{js,mjs,cjs}` when it uses the Ghostwatch plugin. Default true. */
  useFlatConfig: boolean;
  /** Validate while typing ("onType", default) or only when a document is saved ("onSave"). */
  run: "onType" | "onSave";
  /** Debounce between an edit and its validation, in ms. Default 15. */
  debounceMs: number;
  /** Code lenses above model-reaching functions. Default true. */
  codeLens: boolean;
  /** Scan the whole workspace on start so unopened files get diagnostics. Default true. */
  workspaceScan: boolean;
  /** Files larger than this are skipped (never parsed). Default 1 MB. */
  maxFileBytes: number;
  /**
   * When vscode-eslint runs the workspace's eslint.config and that config enables Ghostwatch rules,
   * do not publish the same findings again (hovers, code lenses and rename stay). Default true.
   */
  deferToVscodeEslint: boolean;
}

export const DEFAULT_SETTINGS: GhostwatchSettings = {
  enable: true,
  preset: "recommended",
  rules: {},
  useFlatConfig: true,
  run: "onType",
  debounceMs: 15,
  codeLens: true,
  workspaceScan: true,
  maxFileBytes: EDITOR_MAX_FILE_BYTES,
  deferToVscodeEslint: true,
};

/** Commands the server executes (`workspace/executeCommand`). */
export const Commands = {
  /** args: [docsUrl: string] — opens the rule's documentation (window/showDocument). */
  showDocumentation: "ghostwatch.showDocumentation",
  /** args: [uri: string, line: number] — shows a function's reach chain as a message. */
  showReach: "ghostwatch.showReach",
  /** args: [uri: string] — applies every auto-fix of the document. */
  fixAll: "ghostwatch.fixAll",
  /** args: [] — rescans the workspace (with work-done progress). */
  scanWorkspace: "ghostwatch.scanWorkspace",
  /** args: [uri: string] — inserts the file-wide disable comment (an `eslint-disable` block comment at the top for the rules reported in it; TS/JS). */
  disableForFile: "ghostwatch.disableForFile",
} as const;

/** Code action kind of the fix-all source action (`editor.codeActionsOnSave`). */
export const FIX_ALL_KIND = "source.fixAll.ghostwatch";

/** Diagnostic `source` of every Ghostwatch diagnostic; `code` is the rule id (`ghostwatch/…`). */
export const DIAGNOSTIC_SOURCE = "ghostwatch";

/** Server → client notification: what the server is doing (for a status-bar item). */
export interface StatusParams {
  state: "idle" | "scanning" | "validating";
  /** Files with Ghostwatch diagnostics after the last scan. */
  filesWithProblems?: number;
  /** Files scanned so far / to scan. */
  scanned?: number;
  total?: number;
  /** Where the lint configuration comes from: a flat config path, or "settings". */
  configSource?: string;
  /** Restricted Mode: the workspace is not trusted, so its eslint.config was not loaded. */
  restricted?: boolean;
  /** Set when the workspace's eslint.config already enables Ghostwatch and vscode-eslint publishes those findings. */
  diagnosticsFrom?: "vscode-eslint";
  /** One line for the UI saying why (Restricted Mode, deferring to vscode-eslint). */
  note?: string;
  /** The workspace scan found files that reach an LLM (the client shows its Host Health item then). */
  usesLlm?: boolean;
}
export const StatusNotification: NotificationDef<StatusParams> = { method: "ghostwatch/status" };

/**
 * `initializationOptions` the server understands (all optional; any LSP client may omit them).
 * `workspaceTrusted: false` = Restricted Mode: nothing of the workspace is executed (no
 * `eslint.config.*` import, so no workspace plugin is loaded); the rules run with the settings.
 * Clients without a trust model (Neovim, Helix) omit it: the workspace counts as trusted.
 */
export interface InitializationOptions {
  settings?: unknown;
  workspaceTrusted?: boolean;
  /** The client runs vscode-eslint (`dbaeumer.vscode-eslint`) in this workspace. */
  vscodeEslint?: boolean;
  /** Live evidence (the probe's sockets joined to the code): on unless `enabled: false`; the probe the client uses, else the user's serving probe is discovered. */
  liveEvidence?: { enabled?: boolean; probeUrl?: string; intervalMs?: number; closeWaitWarn?: number; connectTo?: string[] };
}

/** Client → server request: the live evidence now (per process and remote, the call sites behind it) — the Host Health "opened by" children. */
export interface LiveEvidenceResult {
  explanations: Array<{ pid: number; remote: string; state: string; count: number; sites: Array<{ uri: string; line: number; function: string; call: string }> }>;
}
/** No parameters; clients send `{}`. */
export type LiveEvidenceParams = Record<string, never>;
export const LiveEvidenceRequest: RequestDef<LiveEvidenceParams, LiveEvidenceResult> = { method: "ghostwatch/liveEvidence" };

/** Client → server notification: the user trusted (or un-trusted) the workspace. */
export interface WorkspaceTrustParams {
  trusted: boolean;
}
export const WorkspaceTrustNotification: NotificationDef<WorkspaceTrustParams> = { method: "ghostwatch/workspaceTrust" };

/** Client → server notification: vscode-eslint was enabled/disabled in the client. */
export interface VscodeEslintParams {
  active: boolean;
}
export const VscodeEslintNotification: NotificationDef<VscodeEslintParams> = { method: "ghostwatch/vscodeEslint" };

/** Client → server request: the reach chain of the function at a position (for custom UI). */
export interface ReachParams {
  textDocument: { uri: string };
  position: { line: number; character: number };
}
export interface ReachResult {
  name: string;
  steps: Array<{ label: string; text: string; uri: string; line: number; column: number }>;
  /** `reaches: openrouter.ai → api.groq.com → localhost:11434` */
  chain: string;
  /** Set when the name (or comment) claims a route it does not keep. */
  lie?: { claim: string; honestName: string; message: string };
}
export const ReachRequest: RequestDef<ReachParams, ReachResult | null> = { method: "ghostwatch/reach" };

/**
 * Host health is NOT relayed by the language server: the extension reads the probe itself
 * (`findServingProbe()` from `server/probe/instance.ts`, else starts one it owns). The
 * language server stays a pure static-analysis process that any editor can run.
 */
export const HEALTH_RELAYED_BY_SERVER = false;
