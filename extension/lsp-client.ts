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
import {
  SETTINGS_SECTION,
  StatusNotification,
  VscodeEslintNotification,
  WorkspaceTrustNotification,
  onNotification,
  sendNotification,
  type InitializationOptions,
  type NotificationDef,
  type StatusParams,
} from "../server/shared/protocol.js";

export const VSCODE_ESLINT_ID = "dbaeumer.vscode-eslint";

/**
 * vscode-eslint runs in this window: installed and enabled (VS Code lists only enabled extensions),
 * not switched off by `eslint.enable`, and the workspace is trusted (vscode-eslint does not run
 * a workspace's ESLint in Restricted Mode either).
 */
export function vscodeEslintActive(): boolean {
  return !!vscode.extensions.getExtension(VSCODE_ESLINT_ID) && vscode.workspace.getConfiguration("eslint").get<boolean>("enable", true) !== false && vscode.workspace.isTrusted;
}

export const LANGUAGES = ["typescript", "typescriptreact", "javascript", "javascriptreact", "python"];

export function createClient(serverModule: string, output: vscode.LogOutputChannel, onStatus: (p: StatusParams) => void, disposables: vscode.Disposable[] = []): LanguageClient {
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
    // Trust and vscode-eslint are told at start, and by notification when they change (below).
    initializationOptions: (): InitializationOptions => ({
      settings: { [SETTINGS_SECTION]: vscode.workspace.getConfiguration(SETTINGS_SECTION) },
      workspaceTrusted: vscode.workspace.isTrusted,
      vscodeEslint: vscodeEslintActive(),
    }),
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
  onNotification(client, StatusNotification, onStatus); // kept across restarts
  const send = <P>(type: NotificationDef<P>, params: P) => {
    if (client.isRunning()) void sendNotification(client, type, params).catch(() => undefined);
  };
  let eslint = vscodeEslintActive();
  const eslintChanged = () => {
    const now = vscodeEslintActive();
    if (now === eslint) return;
    eslint = now;
    output.appendLine(`[client] vscode-eslint ${now ? "active" : "inactive"}: telling the server`);
    send(VscodeEslintNotification, { active: now });
  };
  disposables.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      output.appendLine("[client] workspace trusted: the server loads the workspace eslint.config now");
      send(WorkspaceTrustNotification, { trusted: true });
      eslintChanged();
    }),
    vscode.extensions.onDidChange(eslintChanged),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("eslint.enable")) eslintChanged();
    }),
  );
  return client;
}
