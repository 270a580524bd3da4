/**
 * What the client can do (read once from `initialize`) and what the server offers in return.
 */
import path from "node:path";
import {
  CodeActionKind,
  type ClientCapabilities,
  type InitializeParams,
  type ServerCapabilities,
  TextDocumentSyncKind,
} from "vscode-languageserver";
import { Commands, FIX_ALL_KIND } from "../shared/protocol.js";
import { LINTED_EXTENSIONS, PYTHON_EXTENSION } from "../workspace.js";
import { toPath } from "./uri.js";

export interface ClientFeatures {
  /** Pull diagnostics (`textDocument/diagnostic`); push otherwise. */
  pullMode: boolean;
  configurationSupport: boolean;
  refreshSupport: boolean;
  codeLensRefresh: boolean;
  /** Code actions can be resolved lazily (the project-wide rename edit is computed on resolve). */
  resolveEditSupport: boolean;
  progressSupport: boolean;
  showDocumentSupport: boolean;
  watcherRegistration: boolean;
}

export function clientFeatures(caps: ClientCapabilities): ClientFeatures {
  return {
    pullMode: !!caps.textDocument?.diagnostic,
    configurationSupport: !!caps.workspace?.configuration,
    refreshSupport: !!caps.workspace?.diagnostics?.refreshSupport,
    codeLensRefresh: !!caps.workspace?.codeLens?.refreshSupport,
    resolveEditSupport: !!caps.textDocument?.codeAction?.resolveSupport?.properties?.includes("edit"),
    progressSupport: !!caps.window?.workDoneProgress,
    showDocumentSupport: !!caps.window?.showDocument?.support,
    watcherRegistration: !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration,
  };
}

export function serverCapabilities(pullMode: boolean): ServerCapabilities {
  return {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
    ...(pullMode
      ? { diagnosticProvider: { identifier: "ghostwatch", interFileDependencies: true, workspaceDiagnostics: false } }
      : {}),
    codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: true },
    hoverProvider: true,
    codeLensProvider: { resolveProvider: false },
    executeCommandProvider: { commands: Object.values(Commands) },
    workspace: { workspaceFolders: { supported: true } },
  };
}

/** File watchers the server registers: every analysed extension, and tsconfig.json. */
export const WATCHED_FILES = [
  { globPattern: `**/*.{${[...LINTED_EXTENSIONS, PYTHON_EXTENSION.slice(1)].join(",")}}` },
  { globPattern: "**/tsconfig.json" },
];

/** The workspace folders of `initialize` (else its rootUri, else its rootPath). */
export function workspaceFolders(params: InitializeParams): string[] {
  const folders = params.workspaceFolders?.map((f) => toPath(f.uri)).filter((p): p is string => !!p) ?? [];
  if (!folders.length && params.rootUri) {
    const p = toPath(params.rootUri);
    if (p) folders.push(p);
  }
  if (!folders.length && params.rootPath) folders.push(path.resolve(params.rootPath));
  return folders;
}
