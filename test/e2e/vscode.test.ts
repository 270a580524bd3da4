/**
 * Ghostwatch in real VS Code (code-server 4.139 = VS Code 1.139, Node extension host) driven
 * by Chromium. Needs the tools from `bash scripts/e2e-setup.sh`; FAILS (never skips) without.
 *
 * 1. The extension-host suite (test/extension, mocha, standard `run()` contract) through
 *    VS Code's web integration-test mechanism: exit code from `codeAutomationExit`.
 * 2. What a user sees after installing the .vsix: the honest-llm-names problem, a quick fix
 *    applied, the status-bar text, and the Host Health tree showing a real CLOSE-WAIT socket.
 *    Screenshots go to docs/screenshots/.
 * Every code-server, Chromium, language-server, probe and helper process is stopped by PID /
 * process group in `finally`, and the test asserts none remains.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { format } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildExtension,
  installVsix,
  installVscodeEslintStandIn,
  launchChromium,
  makeRunDirs,
  ownedProbePid,
  pidAlive,
  requireTools,
  ROOT,
  SCREENSHOTS,
  STAGE,
  startCloseWaitHolder,
  startCodeServer,
  stopGroup,
  TESTS_BUNDLE,
  waitGone,
  type Browser,
  type CodeServer,
  type RunDirs,
} from "./harness.js";

let vsix = "";
const scratch: RunDirs[] = [];

describe("Ghostwatch in VS Code (code-server + Chromium)", () => {
  // Missing tools or a broken build fail every test here (with the message), never skip them.
  let setupError: unknown;
  beforeAll(() => {
    try {
      requireTools();
      vsix = buildExtension(true);
    } catch (e) {
      setupError = e;
    }
  }, 300_000);
  const ready = () => {
    if (setupError) throw setupError;
  };

  it("packages a small bundled .vsix (no node_modules inside)", async () => {
    ready();
    expect(fs.statSync(vsix).size).toBeLessThan(8 * 1024 * 1024);
    const { execFileSync } = await import("node:child_process");
    const listing = execFileSync("unzip", ["-l", vsix], { encoding: "utf8" });
    expect(listing).not.toMatch(/node_modules/);
    for (const f of ["extension/dist/extension.js", "extension/dist/lsp.mjs", "extension/dist/probe.mjs", "extension/media/icon.png", "extension/media/history.js"]) expect(listing).toContain(f);
  });

  it("the bundled language server (dist/lsp.mjs) reports honest-llm-names over stdio", async () => {
    ready();
    const { spawn } = await import("node:child_process");
    const rpc = await import("vscode-jsonrpc/node");
    const dirs = makeRunDirs("lsp", {});
    scratch.push(dirs);
    const server = spawn(process.execPath, [path.join(STAGE, "dist", "lsp.mjs"), "--stdio"], { stdio: ["pipe", "pipe", "pipe"] });
    const logs: string[] = [];
    try {
      const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(server.stdout!), new rpc.StreamMessageWriter(server.stdin!));
      const diagnostics = new Promise<Array<{ code?: unknown; message: string; range: { start: { line: number } } }>>((resolve) => {
        conn.onNotification("textDocument/publishDiagnostics", (p: { uri: string; diagnostics: never[] }) => {
          if (p.uri.endsWith("/runner.ts") && p.diagnostics.length) resolve(p.diagnostics);
        });
      });
      conn.onNotification("window/logMessage", (p: { message: string }) => {
        logs.push(p.message);
      });
      conn.onRequest("workspace/configuration", (p: { items: unknown[] }) => p.items.map(() => ({})));
      conn.listen();
      const root = `file://${dirs.workspace}`;
      await conn.sendRequest("initialize", { processId: process.pid, rootUri: root, workspaceFolders: [{ uri: root, name: "ws" }], capabilities: { workspace: { configuration: true } } });
      conn.sendNotification("initialized", {});
      const file = path.join(dirs.workspace, "src", "runner.ts");
      conn.sendNotification("textDocument/didOpen", { textDocument: { uri: `file://${file}`, languageId: "typescript", version: 1, text: fs.readFileSync(file, "utf8") } });
      const diags = await Promise.race([diagnostics, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`no diagnostics in 45 s; server log:\n${logs.join("\n")}`)), 45_000))]);
      const honest = diags.find((d) => String(d.code).endsWith("honest-llm-names"));
      expect(honest?.message, logs.join("\n")).toMatch(/callOllama\(\) claims/);
      expect(logs.filter((l) => /failed/.test(l)), "the bundle lints without errors").toEqual([]);
      conn.dispose();
    } finally {
      await stopGroup(server.pid, 2000);
    }
  }, 60_000);

  afterAll(() => {
    for (const d of scratch) fs.rmSync(d.root, { recursive: true, force: true });
  });

  it("runs the extension-host suite (mocha, run() contract) in code-server's extension host", async () => {
    ready();
    const dirs = makeRunDirs("suite", {});
    scratch.push(dirs);
    installVscodeEslintStandIn(dirs); // the suite's vscode-eslint test takes the deferral branch
    let cs: CodeServer | undefined;
    let br: Browser | undefined;
    const logs: string[] = [];
    let probePid: number | undefined;
    try {
      cs = await startCodeServer(dirs, { smokeDriver: true });
      br = await launchChromium();
      const page = await br.browser.newPage();
      let exit: (code: number) => void = () => undefined;
      const exited = new Promise<number>((r) => (exit = r));
      await page.exposeFunction("codeAutomationLog", (type: string, args: unknown[]) => {
        logs.push(`[${type}] ${format(...(Array.isArray(args) ? args : [args]))}`);
      });
      await page.exposeFunction("codeAutomationExit", (code: number) => exit(code));
      const remote = (p: string) => `vscode-remote://127.0.0.1:${cs!.port}${p}`;
      const payload = JSON.stringify([
        ["extensionDevelopmentPath", remote(STAGE)],
        ["extensionTestsPath", remote(TESTS_BUNDLE)],
        ["skipWelcome", "true"],
      ]);
      await page.goto(`${cs.url}/?folder=${encodeURIComponent(dirs.workspace)}&payload=${encodeURIComponent(payload)}`);
      const code = await Promise.race([exited, new Promise<number>((r) => setTimeout(() => r(-1), 150_000))]);
      probePid = ownedProbePid(dirs.stateDir);
      const out = logs.join("\n");
      const suiteLog = logs.filter((l) => !/open-vsx|authentication provider|AccountPolicyGate|AgentHost/.test(l)).join("\n");
      expect(code, `extension-host suite exit code; log:\n${suiteLog.slice(-8000)}`).toBe(0);
      expect(out, "the suite ran").toMatch(/passing/);
      console.log(suiteLog.split("\n").filter((l) => /passing|failing|pending|✔|✓|^\s*\d+\) /.test(l)).join("\n"));
    } finally {
      probePid ??= ownedProbePid(dirs.stateDir);
      await br?.stop();
      await cs?.stop();
      // The probe the extension started stops itself once no window holds a lease.
      const left = await waitGone(dirs, [cs?.pid, br?.pid, probePid]);
      for (const p of left) await stopGroup(p.pid, 1000);
      expect(left.map((p) => `${p.pid} ${p.cmdline.slice(0, 160)}`), "no process of this run remains").toEqual([]);
    }
  }, 240_000);

  it("after installing the .vsix a user sees the problem, applies the quick fix, and watches a real CLOSE-WAIT", async () => {
    ready();
    const dirs = makeRunDirs("ui", {
      "ghostwatch.hostHealth.thresholds.closeWaitPerProcess": 2,
      "ghostwatch.hostHealth.intervalSeconds": 2,
    });
    scratch.push(dirs);
    installVsix(dirs, vsix);
    const installed = fs.readdirSync(dirs.extensions).filter((d) => d.startsWith("ghostwatch.ghostwatch-"));
    expect(installed, "the .vsix is installed").toHaveLength(1);

    let cs: CodeServer | undefined;
    let br: Browser | undefined;
    let holder: Awaited<ReturnType<typeof startCloseWaitHolder>> | undefined;
    let probePid: number | undefined;
    let failureShot: () => Promise<void> = async () => undefined;
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    try {
      holder = await startCloseWaitHolder(3);
      cs = await startCodeServer(dirs);
      br = await launchChromium();
      const page = await br.browser.newPage({ viewport: { width: 1360, height: 820 } });
      failureShot = () => page.screenshot({ path: path.join(ROOT, ".e2e", "failure-ui.png") }).then(() => undefined, () => undefined);
      await page.goto(`${cs.url}/?folder=${encodeURIComponent(dirs.workspace)}`);
      await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });

      // Status bar: `$(pulse|warning) Ollama ✗ · CLOSE-WAIT n`, amber while 3 > threshold 2.
      const status = page.locator(".statusbar-item", { hasText: "CLOSE-WAIT" });
      await status.first().waitFor({ timeout: 60_000 });
      await expect.poll(async () => (await status.first().getAttribute("class")) ?? "", { timeout: 30_000, message: "warning background while a threshold is crossed" }).toMatch(/warning-kind/);
      const statusText = (await status.first().innerText()).trim();
      expect(statusText).toMatch(/^(Ollama|[\w.:-]+) (✓ \d+ ms|✗) · CLOSE-WAIT \d+$/);

      // Open runner.ts and wait for the diagnostic.
      const runner = fs.readFileSync(path.join(dirs.workspace, "src", "runner.ts"), "utf8");
      const lines = runner.split("\n");
      const declLine = lines.findIndex((l) => /function callOllama\(/.test(l));
      const declCol = lines[declLine]!.indexOf("callOllama");
      await page.locator(".monaco-workbench").click({ position: { x: 700, y: 400 } });
      await page.keyboard.press("Control+P");
      await page.keyboard.type("runner.ts");
      await page.locator(".quick-input-widget .monaco-list-row").first().waitFor();
      await page.keyboard.press("Enter");
      await page.locator(".monaco-editor .view-lines", { hasText: "callOllama" }).first().waitFor({ timeout: 30_000 });
      await page.locator(".monaco-editor .squiggly-error, .monaco-editor .squiggly-warning").first().waitFor({ timeout: 90_000 });

      // Problems panel shows honest-llm-names on callOllama.
      await page.keyboard.press("Control+Shift+M");
      // Filter the (virtualised) list to the rule, as a user would with many problems.
      const filter = page.getByPlaceholder(/^Filter \(e\.g\./);
      await filter.first().click();
      await filter.first().fill("honest-llm-names");
      await expect.poll(() => page.locator(".markers-panel .monaco-list-row", { hasText: "no-unclosed-http-client" }).count(), { timeout: 10_000, message: "the filter applies" }).toBe(0);
      const problem = page.locator(".markers-panel .monaco-list-row", { hasText: "callOllama" }).filter({ hasText: "honest-llm-names" });
      await problem.first().waitFor({ timeout: 30_000 });
      const problemText = await problem.first().innerText();
      expect(problemText).toMatch(/openrouter\.ai/);
      await page.screenshot({ path: path.join(SCREENSHOTS, "problems.png") });

      // Hover on the name: the reach chain.
      const nameToken = page.locator(".view-lines .view-line", { hasText: "function callOllama(" }).locator("span > span", { hasText: /^callOllama$/ });
      await nameToken.first().hover();
      const hover = page.locator(".monaco-hover", { hasText: "openrouter.ai" });
      await hover.first().waitFor({ timeout: 20_000 });
      await page.screenshot({ path: path.join(SCREENSHOTS, "hover.png") });
      await page.keyboard.press("Escape");

      // Quick fix: go to the name, Ctrl+. and pick the honest rename (retried: the first
      // Ctrl+. can race the editor's focus or the code-action computation).
      const action = page.locator(".action-widget .monaco-list-row", { hasText: /[Rr]ename|honest/ });
      for (let attempt = 1; ; attempt++) {
        await page.keyboard.press("Escape");
        await page.locator(".monaco-editor .view-lines").first().click();
        await page.keyboard.press("Control+G");
        await page.keyboard.type(`${declLine + 1}:${declCol + 3}`);
        await page.keyboard.press("Enter");
        await page.locator(".statusbar-item", { hasText: `Ln ${declLine + 1}, Col ${declCol + 3}` }).first().waitFor({ timeout: 10_000 });
        await page.keyboard.press("Control+.");
        try {
          await action.first().waitFor({ timeout: 10_000 });
          break;
        } catch (e) {
          if (attempt === 3) throw e;
        }
      }
      const actionTitle = (await action.first().innerText()).trim();
      await page.screenshot({ path: path.join(SCREENSHOTS, "quick-fix.png") });
      await action.first().click();
      await page.keyboard.press("Control+S");
      await expect
        .poll(() => fs.readFileSync(path.join(dirs.workspace, "src", "runner.ts"), "utf8"), { timeout: 20_000, message: `the quick fix "${actionTitle}" renames callOllama on disk` })
        .not.toMatch(/function callOllama\(/);
      await expect.poll(async () => await page.locator(".markers-panel .monaco-list-row", { hasText: "callOllama() claims" }).count(), { timeout: 30_000, message: "the honest-llm-names problem on callOllama is gone" }).toBe(0);

      // Click the status bar: the Host Health view shows the holder's CLOSE-WAIT sockets.
      await status.first().click();
      const tree = page.locator('.pane-body .monaco-list-row');
      const row = tree.filter({ hasText: `(PID ${holder.pid})` }).filter({ hasText: "3 CLOSE-WAIT" });
      await row.first().waitFor({ timeout: 30_000 });
      await page.locator(".pane-header", { hasText: "Host Health" }).first().waitFor();
      await page.keyboard.press("Control+J"); // hide the panel: the sidebar and the editor's code lens
      await page.locator(".monaco-editor .view-lines").first().click();
      await page.keyboard.press("Control+Home");
      await page.waitForTimeout(1500);
      await page.screenshot({ path: path.join(SCREENSHOTS, "host-health.png") });

      // The History view: three SVG charts drawn in its webview (collapse the tree to give it room).
      await page.locator(".pane-header", { hasText: "Host Health" }).first().click();
      const charts = page.frameLocator("iframe.webview.ready").frameLocator("iframe#active-frame").locator("figure.chart");
      await expect.poll(() => charts.count(), { timeout: 20_000, message: "the History view draws its charts" }).toBe(3);
      await expect.poll(async () => (await charts.first().locator("svg").getAttribute("aria-label")) ?? "", { timeout: 20_000 }).toMatch(/CLOSE-WAIT sockets: now \d+/);
      await page.waitForTimeout(500);
      await page.locator(".part.sidebar").screenshot({ path: path.join(SCREENSHOTS, "history.png") });
      await status.first().screenshot({ path: path.join(SCREENSHOTS, "status-bar.png") });
      probePid = ownedProbePid(dirs.stateDir);
      expect(probePid, "the extension started and recorded its own probe").toBeGreaterThan(0);

      // A second window: its own extension host, the same probe (N windows → one probe).
      const page2 = await br.browser.newPage({ viewport: { width: 1000, height: 700 } });
      await page2.goto(`${cs.url}/?folder=${encodeURIComponent(dirs.workspace)}`);
      await page2.locator(".statusbar-item", { hasText: "CLOSE-WAIT" }).first().waitFor({ timeout: 60_000 });
      const leases = () => fs.readdirSync(path.join(dirs.stateDir, "extension-leases")).map(Number).filter((pid) => pidAlive(pid));
      await expect.poll(() => leases().length, { timeout: 20_000, message: "each window's extension host holds a lease" }).toBe(2);
      expect(ownedProbePid(dirs.stateDir), "still the same probe").toBe(probePid);
      expect(JSON.parse(fs.readFileSync(path.join(dirs.stateDir, "probe.json"), "utf8")).pid, "the serving probe is the owned one").toBe(probePid);
      expect(pidAlive(probePid)).toBe(true);
      await page2.close();
    } catch (e) {
      await failureShot(); // .e2e/failure-ui.png: what the user saw when it failed
      throw e;
    } finally {
      probePid ??= ownedProbePid(dirs.stateDir);
      await br?.stop();
      await cs?.stop();
      await holder?.stop();
      const left = await waitGone(dirs, [cs?.pid, br?.pid, holder?.pid, probePid]);
      for (const p of left) await stopGroup(p.pid, 1000);
      expect(left.map((p) => `${p.pid} ${p.cmdline.slice(0, 160)}`), "no process of this run remains (probe included)").toEqual([]);
    }
  }, 300_000);
});

