#!/usr/bin/env node
/**
 * LSP stress (issue 15): the real language server (dist/server/lsp.js --stdio) driven by a real
 * JSON-RPC client on a scratch copy of examples/zombie-agent, loopback/stdio only.
 *
 *   node scripts/stress/lsp.mjs [--storm N] [--storm-seconds S] [--burst N] [--soak SECONDS]
 *
 *  storm: N full-text changes of runner.ts spread over S seconds (default 1,000 in 10 s);
 *  burst: N back-to-back changes (default 200; target: final diagnostics ≤ 500 ms after the last edit);
 *  soak:  edits at ~20/s for SECONDS (off by default), RSS at start and end.
 * For each: final-diagnostics delay after the last edit, validations (publishes of the file),
 * equality of the final diagnostics with a fresh server's on the final text, server RSS.
 * Prints a table, then one `STRESS-ROW <json>` line per figure ({suite, metric, value, target, ok})
 * for scripts/stress/index.mjs. Exit 1 when a target is missed. Every server is stopped by its
 * process group, also on failure.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SERVER = process.env.GW_LSP_SERVER ?? path.join(root, "dist/server/lsp.js");
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : dflt;
};
const STORM = opt("--storm", 1000);
const STORM_S = opt("--storm-seconds", 10);
const BURST = opt("--burst", 200);
const SOAK = opt("--soak", 0);
const uri = (f) => pathToFileURL(f).href;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

if (!fs.existsSync(SERVER)) {
  console.error(`${path.relative(root, SERVER)} is missing: run npm run build first`);
  process.exit(2);
}

const live = new Set();
function killAll() {
  for (const p of live) {
    try {
      process.kill(-p.pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
  live.clear();
}
process.on("exit", killAll);
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => (killAll(), process.exit(130)));

async function startServer(ws, nodeArgs = []) {
  const proc = spawn(process.execPath, [...nodeArgs, SERVER, "--stdio"], { cwd: ws, stdio: ["pipe", "pipe", "ignore"], detached: true });
  live.add(proc);
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  const state = { last: new Map(), publishes: [] };
  const listeners = new Set();
  conn.onNotification("textDocument/publishDiagnostics", (p) => {
    state.last.set(p.uri, p);
    state.publishes.push({ uri: p.uri, version: p.version, at: performance.now() });
    for (const l of listeners) l();
  });
  conn.onRequest("workspace/configuration", (p) => p.items.map(() => ({ workspaceScan: false })));
  conn.onRequest("client/registerCapability", () => null);
  conn.onRequest("window/workDoneProgress/create", () => null);
  conn.onRequest("workspace/codeLens/refresh", () => null);
  conn.onNotification("window/logMessage", () => undefined);
  conn.onNotification("ghostwatch/status", () => undefined);
  conn.listen();
  await conn.sendRequest("initialize", {
    processId: process.pid,
    rootUri: uri(ws),
    workspaceFolders: [{ uri: uri(ws), name: "ws" }],
    capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true } } },
  });
  await conn.sendNotification("initialized", {});
  const versions = new Map();
  const until = (pred, ms = 60_000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const v = pred();
        if (v) {
          listeners.delete(check);
          clearTimeout(t);
          resolve(v);
        }
      };
      const t = setTimeout(() => (listeners.delete(check), reject(new Error("timed out waiting for diagnostics"))), ms);
      listeners.add(check);
      check();
    });
  return {
    proc,
    state,
    until,
    open(file, text) {
      versions.set(file, 1);
      void conn.sendNotification("textDocument/didOpen", { textDocument: { uri: uri(file), languageId: "typescript", version: 1, text } });
    },
    change(file, text) {
      const v = versions.get(file) + 1;
      versions.set(file, v);
      void conn.sendNotification("textDocument/didChange", { textDocument: { uri: uri(file), version: v }, contentChanges: [{ text }] });
      return v;
    },
    rssMb() {
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${proc.pid}/status`, "utf8"));
        return m ? Math.round(Number(m[1]) / 1024) : NaN;
      } catch {
        return NaN;
      }
    },
    async stop() {
      try {
        await Promise.race([conn.sendRequest("shutdown").then(() => conn.sendNotification("exit")), sleep(2000)]);
      } catch {
        /* gone */
      }
      conn.dispose();
      try {
        process.kill(-proc.pid, "SIGKILL");
      } catch {
        /* exited */
      }
      live.delete(proc);
    },
  };
}

/** Version i of runner.ts: the lie moves (leading blank lines) so a stale publish would differ. */
function textAt(original, i) {
  return "\n".repeat(i % 5) + original + `\n// edit ${i}\n`;
}

const norm = (ds) => JSON.stringify(ds.map((d) => ({ r: d.range, m: d.message, c: d.code, s: d.severity })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));

async function freshDiagnostics(ws, file, text) {
  const s = await startServer(ws);
  try {
    s.open(file, text);
    const p = await s.until(() => s.state.last.get(uri(file)));
    return p.diagnostics;
  } finally {
    await s.stop();
  }
}

/** Sends `n` edits, `gapMs` apart (0 = back to back); returns the figures. */
async function run(suite, n, gapMs, ws, file, original) {
  const s = await startServer(ws);
  try {
    s.open(file, textAt(original, 0));
    await s.until(() => s.state.last.get(uri(file)));
    const rssBefore = s.rssMb();
    const before = s.state.publishes.length;
    let lastV = 0;
    let lastAt = 0;
    const t0 = performance.now();
    for (let i = 1; i <= n; i++) {
      lastV = s.change(file, textAt(original, i));
      lastAt = performance.now();
      if (gapMs > 0) {
        const due = t0 + i * gapMs;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
      }
    }
    const final = await s.until(() => {
      const p = s.state.last.get(uri(file));
      return p && p.version === lastV ? p : undefined;
    });
    const delay = performance.now() - lastAt;
    await sleep(300);
    const validations = s.state.publishes.slice(before).filter((p) => p.uri === uri(file)).length;
    const rss = s.rssMb();
    const fresh = await freshDiagnostics(ws, file, textAt(original, n));
    return { suite, n, delay, validations, equal: norm(final.diagnostics) === norm(fresh), rssBefore, rss };
  } finally {
    await s.stop();
  }
}

/**
 * The soak server runs with a small old-generation cap: V8 otherwise grows its heap lazily (RSS
 * rises for minutes without a leak), while under the cap a leak ends in an out-of-memory crash or
 * RSS above the cap — and live memory that is released keeps RSS flat.
 */
const SOAK_HEAP_MB = 160;
async function soak(seconds, ws, file, original) {
  const s = await startServer(ws, [`--max-old-space-size=${SOAK_HEAP_MB}`]);
  try {
    s.open(file, textAt(original, 0));
    await s.until(() => s.state.last.get(uri(file)));
    await sleep(500);
    const rssStart = s.rssMb();
    const end = performance.now() + seconds * 1000;
    let i = 0;
    let lastV = 0;
    let peak = rssStart;
    // RSS once warm (a quarter in): V8 grows its heap to a working size first; a leak keeps growing after.
    const warmAt = performance.now() + (seconds * 1000) / 4;
    let rssWarm = NaN;
    while (performance.now() < end) {
      lastV = s.change(file, textAt(original, ++i));
      await sleep(50);
      if (i % 20 === 0) peak = Math.max(peak, s.rssMb());
      if (Number.isNaN(rssWarm) && performance.now() >= warmAt) rssWarm = s.rssMb();
    }
    const lastAt = performance.now();
    const final = await s.until(() => {
      const p = s.state.last.get(uri(file));
      return p && p.version === lastV ? p : undefined;
    });
    const delay = performance.now() - lastAt;
    await sleep(2000); // let the collector run
    const rssEnd = s.rssMb();
    const fresh = await freshDiagnostics(ws, file, textAt(original, i));
    return { edits: i, delay, equal: norm(final.diagnostics) === norm(fresh), rssStart, rssWarm, rssEnd, peak };
  } finally {
    await s.stop();
  }
}

const ws = fs.mkdtempSync(path.join(os.tmpdir(), "gw-stress-lsp-"));
const rows = [];
const row = (suite, metric, value, target, ok) => rows.push({ suite, metric, value, target, ok });
try {
  fs.cpSync(path.join(root, "examples", "zombie-agent"), ws, { recursive: true });
  const file = path.join(ws, "src", "runner.ts");
  const original = fs.readFileSync(file, "utf8");

  const storm = await run("lsp-storm", STORM, (STORM_S * 1000) / STORM, ws, file, original);
  row("lsp-storm", `final diagnostics after last edit (${STORM} edits in ${STORM_S} s)`, `${storm.delay.toFixed(0)} ms`, "≤ 500 ms", storm.delay <= 500);
  row("lsp-storm", "validations", String(storm.validations), `< ${STORM}`, storm.validations < STORM);
  row("lsp-storm", "final = fresh server", String(storm.equal), "true", storm.equal);
  row("lsp-storm", "server RSS", `${storm.rssBefore} → ${storm.rss} MB`, "≤ 600 MB", storm.rss <= 600);

  const burst = await run("lsp-burst", BURST, 0, ws, file, original);
  row("lsp-burst", `final diagnostics after last edit (${BURST} back to back)`, `${burst.delay.toFixed(0)} ms`, "≤ 500 ms", burst.delay <= 500);
  row("lsp-burst", "validations", String(burst.validations), `≤ ${Math.max(2, Math.ceil(BURST / 10))}`, burst.validations <= Math.max(2, Math.ceil(BURST / 10)));
  row("lsp-burst", "final = fresh server", String(burst.equal), "true", burst.equal);
  row("lsp-burst", "server RSS", `${burst.rssBefore} → ${burst.rss} MB`, "≤ 600 MB", burst.rss <= 600);

  if (SOAK > 0) {
    const s = await soak(SOAK, ws, file, original);
    row("lsp-soak", `final diagnostics after last edit (${s.edits} edits in ${SOAK} s)`, `${s.delay.toFixed(0)} ms`, "≤ 500 ms", s.delay <= 500);
    row("lsp-soak", "final = fresh server", String(s.equal), "true", s.equal);
    // No leak: from warm (a quarter in) to the end, RSS grows less than 20 % (or 40 MB).
    const grown = s.rssEnd - s.rssWarm;
    row("lsp-soak", `server RSS start → warm → peak → end (old space ≤ ${SOAK_HEAP_MB} MB)`, `${s.rssStart} → ${s.rssWarm} → ${s.peak} → ${s.rssEnd} MB`, "end ≤ warm + max(20 %, 40 MB)", grown <= Math.max(0.2 * s.rssWarm, 40));
  }
} finally {
  killAll();
  fs.rmSync(ws, { recursive: true, force: true });
}

const w = [Math.max(5, ...rows.map((r) => r.suite.length)), Math.max(6, ...rows.map((r) => r.metric.length)), Math.max(5, ...rows.map((r) => r.value.length)), Math.max(6, ...rows.map((r) => r.target.length))];
const line = (a) => a.map((c, i) => String(c).padEnd(w[i] ?? 4)).join("  ");
console.log(line(["suite", "metric", "value", "target", "ok"]));
for (const r of rows) console.log(line([r.suite, r.metric, r.value, r.target, r.ok ? "✓" : "✗"]));
for (const r of rows) console.log(`STRESS-ROW ${JSON.stringify(r)}`);
process.exitCode = rows.every((r) => r.ok) ? 0 : 1;
