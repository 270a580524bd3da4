/**
 * The language client: starts the bundled Ghostwatch language server over Node IPC,
 * forwards `ghostwatch.*` settings, and restarts the server when it dies.
 * Diagnostics, code actions, hovers and code lenses come from the server as standard LSP.
 */
import * as vscode from "vscode";
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
} from "vscode-languageclient/node";
import { SETTINGS_SECTION, StatusNotification, type StatusParams } from "../server/shared/protocol.js";

export const LANGUAGES = ["typescript", "typescriptreact", "javascript", "javascriptreact", "python"];

export function createClient(serverModule: string, output: vscode.LogOutputChannel, onStatus: (p: StatusParams) => void): LanguageClient {
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" } } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" }, execArgv: ["--nolazy", "--inspect=6019"] } },
  };
  const restarts: number[] = [];
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.flatMap((language) => [
      { scheme: "file", language },
      { scheme: "untitled", language },
    ]),
    synchronize: {
      configurationSection: SETTINGS_SECTION,
      fileEvents: vscode.workspace.createFileSystemWatcher("**/{eslint.config.*,*.{ts,tsx,js,jsx,mjs,cjs,mts,cts,py}}"),
    },
    outputChannel: output,
    initializationOptions: vscode.workspace.getConfiguration(SETTINGS_SECTION),
    errorHandler: {
      error: (error, _message, count): ErrorHandlerResult => {
        output.appendLine(`[client] connection error (${count ?? 0}): ${error.message}`);
        return { action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown };
      },
      closed: (): CloseHandlerResult => {
        // Restart unless it died 5 times in 3 minutes (then it is broken, not unlucky).
        const now = Date.now();
        restarts.push(now);
        while (restarts.length && now - restarts[0]! > 180_000) restarts.shift();
        if (restarts.length > 5) {
          return { action: CloseAction.DoNotRestart, message: "The Ghostwatch language server stopped 5 times in 3 minutes and will not be restarted. See the Ghostwatch output; run “Ghostwatch: Restart Language Server” after fixing it." };
        }
        output.appendLine(`[client] the language server stopped; restarting (${restarts.length}/5 in 3 min)`);
        return { action: CloseAction.Restart };
      },
    },
  };
  const client = new LanguageClient("ghostwatch", "Ghostwatch", serverOptions, clientOptions);
  client.onDidChangeState((e) => output.appendLine(`[client] server ${State[e.oldState]} → ${State[e.newState]}`));
  client.onNotification(StatusNotification, onStatus); // kept across restarts
  return client;
}
