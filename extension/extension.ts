/**
 * Ghostwatch for VS Code: the language client (diagnostics, quick fixes, hovers, code
 * lenses from the bundled language server), the Host Health tree, the History view and
 * the status-bar item fed by the local probe, settings and commands.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import { ExecuteCommandRequest, type LanguageClient } from "vscode-languageclient/node";
import { Commands, LiveEvidenceRequest, SETTINGS_SECTION, sendRequest, type StatusParams } from "../server/shared/protocol.js";
import { DEFAULT_THRESHOLDS, evaluate, closeWaitTotal, endpointLabel, fdPercent, isOwnWarning, procOwnerUid, type HealthSample, type ProbeWarning, type Thresholds } from "./health-model.js";
import { HealthSource } from "./health-source.js";
import { createClient } from "./lsp-client.js";
import { locateServingProbe, probeStateDir } from "./probe-locate.js";
import { ProbeOwner, type ProbeHandle } from "./probe-owner.js";
import { FOCUS_COMMAND, HealthStatusBar } from "./status-bar.js";
import { HealthTreeProvider, type HealthNode, type OpenedBy } from "./views/health-tree.js";
import { HistoryViewProvider, toPoint } from "./views/history-view.js";

export interface GhostwatchApi {
  client: LanguageClient | undefined;
  tree: HealthTreeProvider;
  treeView: vscode.TreeView<HealthNode>;
  statusBar: HealthStatusBar;
  history: HistoryViewProvider;
  source: HealthSource;
  owner: ProbeOwner;
  probe(): ProbeHandle | undefined;
  warnings(): ProbeWarning[];
  /** Resolves once the probe is found or started (or failed). */
  probeReady: Promise<ProbeHandle | undefined>;
  /** Resolves once the language server runs (or failed to start). */
  clientReady: Promise<void>;
  lastStatus(): StatusParams | undefined;
  /** What the language-status item says (Restricted Mode, vscode-eslint). */
  languageStatus(): { text: string; detail?: string; severity: number };
}

let deactivateHook: (() => Promise<void>) | undefined;

function thresholds(): Thresholds {
  const c = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return {
    closeWaitPerProcess: c.get<number>("hostHealth.thresholds.closeWaitPerProcess", DEFAULT_THRESHOLDS.closeWaitPerProcess),
    fdPercent: c.get<number>("hostHealth.thresholds.fdPercent", DEFAULT_THRESHOLDS.fdPercent),
    zombies: c.get<boolean>("hostHealth.thresholds.zombies", DEFAULT_THRESHOLDS.zombies),
    endpointDown: c.get<boolean>("hostHealth.thresholds.endpointDown", DEFAULT_THRESHOLDS.endpointDown),
  };
}

/**
 * A setting that a workspace must not choose while it is untrusted (probe URL, endpoints): in
 * Restricted Mode only the user's own (global) value counts. VS Code's `restrictedConfigurations`
 * already hides workspace values of these; this keeps it so whatever the host does.
 */
export function userSetting<T>(key: string, fallback: T): T {
  const c = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  if (vscode.workspace.isTrusted) return c.get<T>(key, fallback);
  const i = c.inspect<T>(key);
  return (i?.globalValue ?? i?.defaultValue ?? fallback) as T;
}

/** Status item: "auto" shows it once the language server found LLM use in the workspace. */
export function statusBarMode(): "auto" | "always" | "never" {
  const c = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  if (c.get<boolean>("statusBar.enable", true) === false || !c.get<boolean>("hostHealth.enable", true)) return "never";
  const m = c.get<string>("statusBar.show", "auto");
  return m === "always" || m === "never" ? m : "auto";
}

function probeArgs(): string[] {
  const c = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const args: string[] = [];
  for (const e of userSetting<string[]>("hostHealth.endpoints", [])) args.push("--endpoint", e);
  args.push("--interval", String(Math.round(Math.max(1, c.get<number>("hostHealth.intervalSeconds", 5)) * 1000)));
  if (c.get<boolean>("hostHealth.functionalCheck", false)) args.push("--functional");
  return args;
}

export async function activate(context: vscode.ExtensionContext): Promise<GhostwatchApi> {
  const output = vscode.window.createOutputChannel("Ghostwatch", { log: true });
  context.subscriptions.push(output);
  const cfg = () => vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const log = (line: string) => output.info(line);

  // ── Language server ────────────────────────────────────────────────────────────────
  let client: LanguageClient | undefined;
  let status: StatusParams | undefined;
  let usesLlm = false;
  let updateStatusBarVisibility = () => undefined as void;
  const langStatus = vscode.languages.createLanguageStatusItem("ghostwatch.lsp", ["typescript", "typescriptreact", "javascript", "javascriptreact", "python"]);
  langStatus.name = "Ghostwatch";
  langStatus.text = "Ghostwatch";
  langStatus.command = { title: "Show output", command: "ghostwatch.showOutput" };
  context.subscriptions.push(langStatus);
  const serverModule = context.asAbsolutePath(path.join("dist", "lsp.mjs"));
  const startClient = async () => {
    if (!cfg().get<boolean>("enable", true)) {
      langStatus.text = "Ghostwatch off";
      return;
    }
    client = createClient(serverModule, output, (p) => {
      const prevNote = status?.note;
      status = { ...status, ...p };
      if (!p.note && p.restricted === false) delete status.note;
      const s = status;
      langStatus.busy = s.state !== "idle";
      if (s.restricted) {
        // The UI says why: Restricted Mode ignores the workspace's eslint.config (it would run its code).
        langStatus.text = "$(shield) Ghostwatch: Restricted Mode";
        langStatus.severity = vscode.LanguageStatusSeverity.Warning;
        langStatus.command = { title: "Manage Workspace Trust", command: "workbench.trust.manage" };
      } else {
        langStatus.text = s.state === "scanning" ? `Ghostwatch scanning ${s.scanned ?? 0}/${s.total ?? "?"}` : s.diagnosticsFrom ? "Ghostwatch (diagnostics via ESLint)" : `Ghostwatch ${s.state}`;
        langStatus.severity = vscode.LanguageStatusSeverity.Information;
        langStatus.command = { title: "Show output", command: "ghostwatch.showOutput" };
      }
      langStatus.detail = s.note ?? (s.configSource ? `config: ${s.configSource}` : undefined);
      if (s.note && s.note !== prevNote) log(s.note);
      if (s.usesLlm && !usesLlm) {
        usesLlm = true;
        updateStatusBarVisibility();
      }
    }, context.subscriptions);
    try {
      await client.start();
      log(`language server running (${serverModule})`);
    } catch (e) {
      log(`language server failed to start: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const clientReady = startClient();

  // ── Host health: probe, source, views ──────────────────────────────────────────────
  const stateDir = probeStateDir();
  const owner = new ProbeOwner({
    stateDir,
    probeEntry: context.asAbsolutePath(path.join("dist", "probe.mjs")),
    findServing: () => locateServingProbe(stateDir),
    probeArgs: probeArgs(),
    log,
  });
  const source = new HealthSource(cfg().get<number>("hostHealth.intervalSeconds", 5) * 1000);
  const tree = new HealthTreeProvider();
  const treeView = vscode.window.createTreeView("ghostwatch.hostHealth", { treeDataProvider: tree, showCollapseAll: true });
  tree.view = treeView;
  const history = new HistoryViewProvider(context.extensionUri);
  const statusBar = new HealthStatusBar();
  context.subscriptions.push(treeView, tree, statusBar, source, vscode.window.registerWebviewViewProvider(HistoryViewProvider.viewId, history));
  let warnings: ProbeWarning[] = [];
  const describeSource = () => {
    const p = owner.current;
    if (!p) return "no probe";
    return `probe ${p.url} (PID ${p.pid ?? "?"}${p.owned ? ", started by Ghostwatch" : ""})`;
  };
  // Live evidence ("opened by" children of process nodes) comes from the language server's join.
  let openedBy: OpenedBy[] = [];
  let liveSeq = 0;
  const render = (sample: HealthSample | undefined, error?: string) => {
    warnings = sample ? evaluate(sample, thresholds()) : [];
    tree.update(sample, warnings, thresholds(), { error, source: describeSource() }, openedBy);
    if (sample && client?.isRunning()) {
      const seq = ++liveSeq;
      const c = client;
      void sendRequest(c, LiveEvidenceRequest, {}).then(
        (r) => {
          const next = r?.explanations ?? [];
          if (seq !== liveSeq || JSON.stringify(next) === JSON.stringify(openedBy)) return;
          openedBy = next;
          tree.update(sample, warnings, thresholds(), { error, source: describeSource() }, openedBy);
        },
        () => undefined,
      );
    }
    const myUid = process.getuid?.();
    statusBar.update(sample, warnings, describeSource(), error, warnings.filter((w) => isOwnWarning(w, myUid, procOwnerUid)));
    if (sample) history.add(toPoint(sample, warnings.length));
  };
  context.subscriptions.push(source.onSample(render));
  // Shown where the workspace uses LLMs (the language server says so after its scan) or when the user opts in.
  updateStatusBarVisibility = () => {
    const mode = statusBarMode();
    statusBar.show(mode === "always" || (mode === "auto" && usesLlm));
  };
  updateStatusBarVisibility();

  let probeReady: Promise<ProbeHandle | undefined> = Promise.resolve(undefined);
  const connectProbe = async (): Promise<ProbeHandle | undefined> => {
    if (!cfg().get<boolean>("hostHealth.enable", true)) {
      tree.update(undefined, [], thresholds(), { source: "Host Health is disabled (ghostwatch.hostHealth.enable)" });
      return undefined;
    }
    try {
      const external = userSetting<string>("hostHealth.probeUrl", "");
      const handle = external ? { url: external, owned: false, startedHere: false } : await owner.acquire();
      source.setBaseUrl(handle.url);
      source.start();
      await source.refresh();
      return handle;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      log(`probe unavailable: ${msg}`);
      render(undefined, msg);
      return undefined;
    }
  };
  probeReady = connectProbe();

  // Re-find the probe when it goes away (e.g. its owner window closed and another took over).
  let failures = 0;
  context.subscriptions.push(
    source.onSample((s, err) => {
      failures = err ? failures + 1 : 0;
      if (failures === 3 && !userSetting<string>("hostHealth.probeUrl", "")) {
        log("the probe stopped answering; looking for another or starting one");
        source.stop();
        probeReady = connectProbe();
      }
      void s;
    }),
  );

  // ── Commands ───────────────────────────────────────────────────────────────────────
  const reg = (id: string, fn: (...a: any[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  reg(FOCUS_COMMAND, () => vscode.commands.executeCommand("ghostwatch.hostHealth.focus"));
  reg("ghostwatch.refreshHealth", () => source.refresh());
  reg("ghostwatch.showOutput", () => output.show(true));
  reg("ghostwatch.restartServer", async () => {
    if (client) await client.restart();
    else await startClient();
  });
  const activeUri = () => {
    const ed = vscode.window.activeTextEditor;
    return ed && ed.document.uri.scheme === "file" ? ed.document.uri.toString() : undefined;
  };
  reg("ghostwatch.fixAllInFile", async () => {
    const uri = activeUri();
    if (!client || !uri) return vscode.window.showWarningMessage("Open a file to fix (the Ghostwatch language server must be running).");
    const done = await client.sendRequest(ExecuteCommandRequest.type, { command: Commands.fixAll, arguments: [uri] });
    if (!done) vscode.window.setStatusBarMessage("Ghostwatch: nothing auto-fixable in this file", 3000);
    return done;
  });
  reg("ghostwatch.disableRulesForFile", async () => {
    const uri = activeUri();
    if (!client || !uri) return vscode.window.showWarningMessage("Open a file (the Ghostwatch language server must be running).");
    return client.sendRequest(ExecuteCommandRequest.type, { command: Commands.disableForFile, arguments: [uri] });
  });
  reg("ghostwatch.scan", async () => {
    if (!client) return vscode.window.showWarningMessage("The Ghostwatch language server is not running.");
    await client.sendRequest(ExecuteCommandRequest.type, { command: Commands.scanWorkspace, arguments: [] });
  });
  reg("ghostwatch.showProbeReport", async () => {
    const s = source.last;
    const doc = await vscode.workspace.openTextDocument({ language: "markdown", content: s ? reportMarkdown(s, warnings, describeSource()) : `# Ghostwatch probe report\n\nNo sample yet: ${source.lastError ?? "waiting for the probe"}.\n` });
    await vscode.window.showTextDocument(doc, { preview: true });
  });
  reg("ghostwatch.openRuleDocs", async (rule?: string) => {
    const dir = context.asAbsolutePath(path.join("docs", "rules"));
    const rules = safeList(dir).filter((f) => f.endsWith(".md")).map((f) => f.slice(0, -3));
    const pick = rule ?? (await vscode.window.showQuickPick(rules, { title: "Ghostwatch rule documentation" }));
    if (!pick) return;
    const file = vscode.Uri.file(path.join(dir, `${pick.replace(/^ghostwatch\//, "")}.md`));
    if (fs.existsSync(file.fsPath)) await vscode.commands.executeCommand("markdown.showPreview", file);
    else await vscode.env.openExternal(vscode.Uri.parse(`https://github.com/ghostwatch/ghostwatch/blob/main/docs/rules/${pick}.md`));
  });
  reg("ghostwatch.copyEvidence", async (n?: HealthNode) => {
    const node = n ?? treeView.selection[0];
    if (!node) return;
    await vscode.env.clipboard.writeText(node.evidence ?? `${node.label}${node.description ? ` ${node.description}` : ""}`);
    vscode.window.setStatusBarMessage(`Copied: ${node.label}`, 2000);
  });
  reg("ghostwatch.revealProcess", (n?: HealthNode) => {
    const node = n ?? treeView.selection[0];
    if (!node?.pid) return;
    const term = vscode.window.createTerminal({ name: `Ghostwatch · PID ${node.pid}` });
    term.show();
    term.sendText(process.platform === "win32" ? `Get-Process -Id ${node.pid} | Format-List *` : `ps -o pid,ppid,stat,etime,nlwp,cmd -p ${node.pid}; ls -l /proc/${node.pid}/fd 2>/dev/null | wc -l`);
  });
  reg("ghostwatch.copyPid", async (n?: HealthNode) => {
    const node = n ?? treeView.selection[0];
    if (node?.pid) await vscode.env.clipboard.writeText(String(node.pid));
  });

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SETTINGS_SECTION}.hostHealth.intervalSeconds`)) source.setInterval(cfg().get<number>("hostHealth.intervalSeconds", 5) * 1000);
      if (e.affectsConfiguration(`${SETTINGS_SECTION}.hostHealth.thresholds`) && source.last) render(source.last, source.lastError);
      if (e.affectsConfiguration(`${SETTINGS_SECTION}.statusBar`) || e.affectsConfiguration(`${SETTINGS_SECTION}.hostHealth.enable`)) updateStatusBarVisibility();
      if (e.affectsConfiguration(`${SETTINGS_SECTION}.hostHealth.enable`) || e.affectsConfiguration(`${SETTINGS_SECTION}.hostHealth.probeUrl`)) {
        source.stop();
        probeReady = connectProbe();
      }
      if (e.affectsConfiguration(`${SETTINGS_SECTION}.enable`)) void vscode.commands.executeCommand("ghostwatch.restartServer");
    }),
  );

  deactivateHook = async () => {
    source.stop();
    await owner.release().catch(() => undefined);
    await client?.stop(3000).catch(() => undefined);
  };

  return {
    get client() {
      return client;
    },
    tree,
    treeView,
    statusBar,
    history,
    source,
    owner,
    probe: () => owner.current,
    warnings: () => warnings,
    get probeReady() {
      return probeReady;
    },
    clientReady,
    lastStatus: () => status,
    languageStatus: () => ({ text: langStatus.text, detail: langStatus.detail, severity: langStatus.severity }),
  };
}

export async function deactivate(): Promise<void> {
  await deactivateHook?.();
  deactivateHook = undefined;
}

function safeList(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function reportMarkdown(s: HealthSample, warnings: ProbeWarning[], source: string): string {
  const L: string[] = [`# Ghostwatch probe report`, "", `Sampled ${s.sampledAt} in ${s.durationMs} ms by ${source}.`, ""];
  L.push(`## Warnings (${warnings.length})`, "", ...(warnings.length ? warnings.map((w) => `- **${w.kind}**${w.pid ? ` (PID ${w.pid})` : ""}: ${w.message}`) : ["None."]), "");
  L.push("## Endpoints", "", "| endpoint | up | latency | version | loaded |", "|---|---|---|---|---|");
  for (const e of s.endpoints) L.push(`| ${endpointLabel(e.url)} ${e.url} | ${e.ok ? "✓" : `✗ ${e.error ?? ""}`} | ${e.latencyMs ?? "–"} ms | ${e.version ?? "–"} | ${(e.loaded ?? []).join(", ") || "–"} |`);
  L.push("", `## Sockets — CLOSE-WAIT ${closeWaitTotal(s)}`, "", "| PID | command | remote | count |", "|---|---|---|---|");
  for (const c of s.sockets.closeWait) L.push(`| ${c.pid ?? "?"} | \`${c.command}\` | ${c.remote} | ${c.count} |`);
  L.push("", "By state: " + (Object.entries(s.sockets.byState).map(([k, v]) => `${k} ${v}`).join(", ") || "none"), "");
  L.push("## File descriptors (top 10)", "", "| PID | command | open | limit | % |", "|---|---|---|---|---|");
  for (const f of [...s.fds].sort((a, b) => (fdPercent(b) ?? 0) - (fdPercent(a) ?? 0)).slice(0, 10)) L.push(`| ${f.pid} | \`${f.command}\` | ${f.open} | ${f.limit ?? "?"} | ${fdPercent(f)?.toFixed(1) ?? "?"} |`);
  L.push("", "## Processes", "");
  for (const k of ["zombies", "orphans", "duplicates", "stale"] as const) L.push(`- ${k}: ${s.processes[k].length}`);
  L.push("", "## Raw sample", "", "```json", JSON.stringify(s, null, 2), "```", "");
  return L.join("\n");
}
