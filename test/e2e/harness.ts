/**
 * Real-editor harness: code-server (VS Code 1.139, Node extension host) + Chromium via
 * playwright-core, both installed by `bash scripts/e2e-setup.sh` into the git-ignored
 * .e2e/ folder. Every process started here is tracked by PID and stopped by process group.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const E2E_DIR = path.join(ROOT, ".e2e");
export const CODE_SERVER = path.join(E2E_DIR, "code-server");
export const CHROMIUM = process.env.GHOSTWATCH_CHROMIUM ?? "/usr/bin/chromium";
export const STAGE = path.join(E2E_DIR, "vsix-stage");
export const TESTS_BUNDLE = path.join(E2E_DIR, "ext-tests", "index.js");
export const SCREENSHOTS = path.join(ROOT, "docs", "screenshots");

/** Fails (never skips) with the command that installs what is missing. */
export function requireTools(): void {
  const missing: string[] = [];
  if (!fs.existsSync(CODE_SERVER)) missing.push(`code-server (${path.relative(ROOT, CODE_SERVER)})`);
  if (!fs.existsSync(CHROMIUM)) missing.push(`Chromium (${CHROMIUM})`);
  if (missing.length) {
    throw new Error(`The real-editor tests need ${missing.join(" and ")}. Install them with: bash scripts/e2e-setup.sh`);
  }
}

export function pidAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    // A zombie child of ours counts as gone.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) Z /.test(stat);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SIGTERM to the process group (or the PID), then SIGKILL after `graceMs`. */
export async function stopGroup(pid: number | undefined, graceMs = 5000): Promise<void> {
  if (!pid) return;
  const send = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* gone */
      }
    }
  };
  send("SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && (pidAlive(pid) || groupAlive(pid))) await sleep(100);
  if (pidAlive(pid) || groupAlive(pid)) send("SIGKILL");
  const hard = Date.now() + 3000;
  while (Date.now() < hard && pidAlive(pid)) await sleep(50);
}

/** Any live process whose process group is `pgid`. */
export function groupAlive(pgid: number): boolean {
  return processesWhere((p) => p.pgid === pgid).length > 0;
}

export interface ProcRow {
  pid: number;
  pgid: number;
  cmdline: string;
  state: string;
}

/** Live processes matching a predicate (from /proc; zombies excluded). */
export function processesWhere(pred: (p: ProcRow) => boolean): ProcRow[] {
  const out: ProcRow[] = [];
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const m = /^\d+ \(.*\) (\S) (\d+) (\d+)/s.exec(stat);
      if (!m || m[1] === "Z") continue;
      const row = { pid: Number(d), pgid: Number(m[3]), state: m[1]!, cmdline: fs.readFileSync(`/proc/${d}/cmdline`, "utf8").replace(/\0/g, " ").trim() };
      if (pred(row)) out.push(row);
    } catch {
      /* vanished */
    }
  }
  return out;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

function httpOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve((res.statusCode ?? 500) < 500);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => {
      req.destroy();
      resolve(false);
    });
  });
}

/** A scratch folder for one run: workspace copy, user data, extensions, probe state. */
export interface RunDirs {
  root: string;
  workspace: string;
  userData: string;
  extensions: string;
  stateDir: string;
}

export function makeRunDirs(tag: string, userSettings: Record<string, unknown>): RunDirs {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `gw-e2e-${tag}-`));
  const workspace = path.join(root, "zombie-agent");
  fs.cpSync(path.join(ROOT, "examples", "zombie-agent"), workspace, { recursive: true });
  const userData = path.join(root, "user-data");
  fs.mkdirSync(path.join(userData, "User"), { recursive: true });
  fs.writeFileSync(
    path.join(userData, "User", "settings.json"),
    JSON.stringify(
      {
        "workbench.startupEditor": "none",
        "workbench.tips.enabled": false,
        "workbench.welcomePage.walkthroughs.openOnInstall": false,
        "security.workspace.trust.enabled": false,
        "telemetry.telemetryLevel": "off",
        "update.mode": "none",
        "extensions.autoCheckUpdates": false,
        "extensions.autoUpdate": false,
        "editor.minimap.enabled": false,
        "workbench.colorTheme": "Default Dark Modern",
        "chat.disableAIFeatures": true,
        "window.zoomLevel": 0,
        "editor.wordWrap": "on",
        "workbench.secondarySideBar.defaultVisibility": "hidden",
        "chat.commandCenter.enabled": false,
        ...userSettings,
      },
      null,
      2,
    ),
  );
  const extensions = path.join(root, "extensions");
  fs.mkdirSync(extensions, { recursive: true });
  const stateDir = path.join(root, "state");
  fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  return { root, workspace, userData, extensions, stateDir };
}

export interface CodeServer {
  port: number;
  url: string;
  pid: number;
  log: () => string;
  stop: () => Promise<void>;
}

/** `trust: true` runs code-server with workspace trust on (no `--disable-workspace-trust`): folders open in Restricted Mode. */
export async function startCodeServer(dirs: RunDirs, opts: { smokeDriver?: boolean; env?: Record<string, string>; trust?: boolean } = {}): Promise<CodeServer> {
  const port = await freePort();
  const args = [
    "--auth", "none",
    "--bind-addr", `127.0.0.1:${port}`,
    "--disable-telemetry",
    "--disable-update-check",
    ...(opts.trust ? [] : ["--disable-workspace-trust"]),
    "--disable-getting-started-override",
    "--user-data-dir", dirs.userData,
    "--extensions-dir", dirs.extensions,
    ...(opts.smokeDriver ? ["--vscode-option", "enable-smoke-test-driver"] : []),
    dirs.workspace,
  ];
  let log = "";
  const child: ChildProcess = spawn(CODE_SERVER, args, {
    detached: true, // own process group: extension host, language server go with it
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      XDG_CONFIG_HOME_E2E: path.join(dirs.root, "xdg-config"),
      XDG_DATA_HOME_E2E: path.join(dirs.root, "xdg-data"),
      GHOSTWATCH_STATE_DIR: dirs.stateDir,
      ...opts.env,
    },
  });
  child.stdout!.on("data", (d: Buffer) => (log += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (log += d.toString()));
  const pid = child.pid!;
  const url = `http://127.0.0.1:${port}`;
  const stop = () => stopGroup(pid);
  const deadline = Date.now() + 60_000;
  while (!(await httpOk(`${url}/healthz`))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not start (exit ${child.exitCode}):\n${log.slice(-3000)}`);
    }
    await sleep(200);
  }
  return { port, url, pid, log: () => log, stop };
}

export function installVsix(dirs: RunDirs, vsix: string): void {
  const r = spawnSync(CODE_SERVER, ["--user-data-dir", dirs.userData, "--extensions-dir", dirs.extensions, "--install-extension", vsix], {
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, XDG_CONFIG_HOME_E2E: path.join(dirs.root, "xdg-config"), XDG_DATA_HOME_E2E: path.join(dirs.root, "xdg-data") },
  });
  if (r.status !== 0) throw new Error(`code-server --install-extension failed (${r.status}): ${r.stdout}\n${r.stderr}`);
}

export interface Browser {
  browser: import("playwright-core").Browser;
  pid: number | undefined;
  stop: () => Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  const server = await chromium.launchServer({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
  const pid = server.process().pid;
  const browser = await chromium.connect(server.wsEndpoint());
  return {
    browser,
    pid,
    stop: async () => {
      await browser.close().catch(() => undefined);
      await server.close().catch(() => undefined);
      await stopGroup(pid, 3000);
    },
  };
}

/** A child process that holds `count` connections whose server side closed: CLOSE-WAIT. */
export async function startCloseWaitHolder(count: number): Promise<{ pid: number; port: number; stop: () => Promise<void> }> {
  const accepted: net.Socket[] = [];
  const server = net.createServer((s) => {
    accepted.push(s);
    s.end(); // server closes its side; the child never does
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  const script = `
    const net = require("node:net");
    let n = 0;
    for (let i = 0; i < ${count}; i++) {
      const c = net.connect({ port: ${port}, host: "127.0.0.1", allowHalfOpen: true });
      c.on("error", () => {});
      c.on("end", () => { if (++n === ${count}) console.log("close-wait-ready"); });
    }
    setInterval(() => {}, 1 << 30);
  `;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"], detached: true });
  const pid = child.pid!;
  const stop = async () => {
    await stopGroup(pid, 2000);
    for (const s of accepted) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("the CLOSE-WAIT holder did not get its FINs")), 10_000);
      child.stdout!.on("data", (d: Buffer) => {
        if (d.toString().includes("close-wait-ready")) {
          clearTimeout(t);
          resolve();
        }
      });
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return { pid, port, stop };
}

/** Build the staged extension, the suite bundle and (optionally) the .vsix. */
export function buildExtension(pkg: boolean): string {
  const r = spawnSync(process.execPath, [path.join(ROOT, "scripts", "build-extension.mjs"), ...(pkg ? ["--package"] : [])], { cwd: ROOT, encoding: "utf8", timeout: 300_000 });
  if (r.status !== 0) throw new Error(`build-extension failed:\n${r.stdout}\n${r.stderr}`);
  const version = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version as string;
  return path.join(ROOT, `ghostwatch-${version}.vsix`);
}

/** The probe the extension started (recorded by probe-entry), if any. */
export function ownedProbePid(stateDir: string): number | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(stateDir, "extension-probe.json"), "utf8")) as { pid: number }).pid;
  } catch {
    return undefined;
  }
}

/** Processes that still mention this run's scratch folder (code-server, hosts, servers, probe, browser profile). */
export function leftovers(dirs: RunDirs, pids: Array<number | undefined>): ProcRow[] {
  const mine = new Set(pids.filter((p): p is number => !!p));
  return processesWhere((p) => p.pid !== process.pid && (mine.has(p.pid) || p.cmdline.includes(dirs.root)));
}

export async function waitGone(dirs: RunDirs, pids: Array<number | undefined>, timeoutMs = 15_000): Promise<ProcRow[]> {
  const deadline = Date.now() + timeoutMs;
  let left = leftovers(dirs, pids);
  while (left.length && Date.now() < deadline) {
    await sleep(250);
    left = leftovers(dirs, pids);
  }
  return left;
}

/**
 * A stand-in with vscode-eslint's extension id (`dbaeumer.vscode-eslint`): the real one cannot be
 * downloaded on this offline machine. It contributes nothing and runs nothing; it exists so the
 * extension's "is vscode-eslint enabled here?" detection (`vscode.extensions.getExtension`) and
 * the server's deferral are exercised in a real extension host. Packaged with vsce, installed
 * like any .vsix.
 */
export function installVscodeEslintStandIn(dirs: RunDirs): void {
  const dir = path.join(dirs.root, "vscode-eslint-stand-in");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "vscode-eslint", displayName: "ESLint (test stand-in)", description: "Stand-in with vscode-eslint's id for Ghostwatch's tests.", publisher: "dbaeumer", version: "0.0.1", license: "MIT", engines: { vscode: "^1.91.0" }, repository: { type: "git", url: "https://example.invalid/stand-in.git" } }, null, 2),
  );
  fs.writeFileSync(path.join(dir, "README.md"), "Test stand-in.\n");
  fs.writeFileSync(path.join(dir, "LICENSE"), "MIT\n");
  const out = path.join(dirs.root, "vscode-eslint-stand-in.vsix");
  const vsce = path.join(ROOT, "node_modules", "@vscode", "vsce", "vsce");
  const r = spawnSync(process.execPath, [vsce, "package", "--no-dependencies", "--allow-missing-repository", "--skip-license", "--out", out], { cwd: dir, encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0) throw new Error(`vsce package (stand-in) failed: ${r.stdout}\n${r.stderr}`);
  installVsix(dirs, out);
}
