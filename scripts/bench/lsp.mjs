#!/usr/bin/env node
/**
 * Language-server figures (printed, not asserted), through a real JSON-RPC client over stdio:
 *  1. edit → diagnostics latency (p50/p95) on a 2,000-line file (target p95 ≤ 50 ms);
 *  2. cross-file re-analysis after editing a helper in a 1,000-file project (≤ 250 ms);
 *  3. cold workspace scan of 1,000 files (≤ 20 s on 2 cores) and the server's RSS after (≤ 600 MB).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// GW_LSP_SERVER=path/to/lsp.js: measure another build (e.g. an older commit) with the same client.
const SERVER = process.env.GW_LSP_SERVER ?? path.join(root, "dist/server/lsp.js");
const RULE = "ghostwatch/honest-llm-names";
const uri = (f) => pathToFileURL(f).href;

function pct(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function startServer(ws, settings) {
  // GW_LSP_CPU_PROF=dir: the server writes a V8 CPU profile there when it exits (node --cpu-prof).
  // GW_LSP_NODE_ARGS="--flag …": extra node flags for the server process (experiments).
  const prof = [
    ...(process.env.GW_LSP_CPU_PROF ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.GW_LSP_CPU_PROF}`] : []),
    ...(process.env.GW_LSP_NODE_ARGS ?? "").split(" ").filter(Boolean),
  ];
  const proc = spawn(process.execPath, [...prof, SERVER, "--stdio"], {
    cwd: ws,
    stdio: ["pipe", "pipe", "inherit"],
    detached: true,
    env: { ...process.env, GHOSTWATCH_LSP_TRACE: "1" }, // the server logs lint time and edit → publish per validation
  });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  const listeners = new Set();
  const state = { diags: new Map(), progressEnd: 0, published: 0 };
  conn.onNotification("textDocument/publishDiagnostics", (p) => {
    state.gotAt?.set(p.version, performance.timeOrigin + performance.now());
    if (process.env.BENCH_DEBUG) console.log("publish", p.uri, p.version, p.diagnostics.length);
    state.diags.set(p.uri, p);
    state.published++;
    for (const l of listeners) l(p);
  });
  conn.onNotification("$/progress", (p) => {
    if (p.value.kind === "end") state.progressEnd = performance.now();
    for (const l of listeners) l(p);
  });
  state.logs = [];
  conn.onNotification("window/logMessage", (m) => {
    state.logs.push(m.message);
    if (process.env.BENCH_DEBUG) console.log("log", m.message);
  });
  conn.onRequest("workspace/configuration", (p) => p.items.map(() => settings));
  conn.onRequest("window/workDoneProgress/create", () => null);
  conn.onRequest("client/registerCapability", () => null);
  conn.onRequest("workspace/codeLens/refresh", () => null);
  conn.listen();
  const t0 = performance.now();
  await conn.sendRequest("initialize", {
    processId: process.pid,
    rootUri: uri(ws),
    workspaceFolders: [{ uri: uri(ws), name: "bench" }],
    capabilities: { workspace: { configuration: true }, window: { workDoneProgress: true }, textDocument: { publishDiagnostics: { versionSupport: true } } },
  });
  await conn.sendNotification("initialized", {});
  const until = (pred, ms = 120_000) =>
    new Promise((resolve, reject) => {
      const check = (x) => {
        if (pred(x)) {
          listeners.delete(check);
          clearTimeout(to);
          resolve(performance.now());
        }
      };
      const to = setTimeout(() => {
        listeners.delete(check);
        reject(new Error("bench: timed out"));
      }, ms);
      listeners.add(check);
    });
  const stop = async () => {
    try {
      await Promise.race([conn.sendRequest("shutdown").then(() => conn.sendNotification("exit")), new Promise((r) => setTimeout(r, 2000))]);
    } catch {}
    // Let it exit on its own first (a CPU profile is written at exit), then make sure.
    if (proc.exitCode === null) await new Promise((r) => { proc.once("exit", r); setTimeout(r, prof.length ? 5000 : 300); });
    conn.dispose();
    try {
      process.kill(-proc.pid, "SIGKILL");
    } catch {}
  };
  return { proc, conn, state, until, stop, t0 };
}

/** RSS of the server: the process and its children (ghostwatch-lsp re-runs itself with a V8 flag). */
function rssMb(pid) {
  const kb = (p) => {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${p}/status`, "utf8"));
      let children = [];
      try {
        children = fs.readFileSync(`/proc/${p}/task/${p}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
      } catch {}
      return (m ? Number(m[1]) : 0) + children.reduce((n, c) => n + kb(c), 0);
    } catch {
      return NaN;
    }
  };
  return Math.round(kb(pid) / 1024);
}

const ROUTER = fs.readFileSync(path.join(root, "test/lsp/fixtures/zombie/src/router.ts"), "utf8");
const RUNNER = fs.readFileSync(path.join(root, "test/lsp/fixtures/zombie/src/runner.ts"), "utf8");

function filler(n, offset = 0) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const k = i + offset;
    out.push(
      `export function step${k}(input: string[]): number {`,
      `  let total = 0;`,
      `  for (const s of input) total += s.length * ${k % 7};`,
      `  return total;`,
      `}`,
      ``,
    );
  }
  return out.join("\n");
}

async function benchEdits(targetLines = 2000) {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), "gw-bench-lsp-edit-"));
  fs.mkdirSync(path.join(ws, "src"));
  fs.writeFileSync(path.join(ws, "src/router.ts"), ROUTER);
  const big = RUNNER + "\n" + filler(Math.ceil((targetLines - RUNNER.split("\n").length) / 6));
  const file = path.join(ws, "src/big.ts");
  fs.writeFileSync(file, big);
  const s = await startServer(ws, { workspaceScan: false });
  try {
    await s.conn.sendNotification("textDocument/didOpen", { textDocument: { uri: uri(file), languageId: "typescript", version: 1, text: big } });
    await s.until((p) => p.uri === uri(file));
    const honest = big.replace(/callOllama/g, "callRouterWithOllamaFallback");
    const lat = [];
    const sentAt = new Map();
    const gotAt = new Map();
    s.state.gotAt = gotAt;
    for (let v = 2; v < 82; v++) {
      const text = v % 2 ? big : honest;
      const t = performance.now();
      sentAt.set(v, performance.timeOrigin + t);
      const done = s.until((p) => p.uri === uri(file) && p.version === v);
      await s.conn.sendNotification("textDocument/didChange", { textDocument: { uri: uri(file), version: v }, contentChanges: [{ text }] });
      lat.push((await done) - t);
    }
    const lines = big.split("\n").length;
    // Each edit waits for the previous one's diagnostics, so each is an isolated edit: the queue's
    // leading-edge debounce validates it at once (a burst would wait debounceMs = 15 after its last edit).
    console.log(`edit → diagnostics, ${lines}-line file (80 isolated edits, client-measured: didChange sent → publishDiagnostics received): p50 ${pct(lat, 50).toFixed(1)} ms, p95 ${pct(lat, 95).toFixed(1)} ms (target p95 ≤ 50 ms)`);
    const traces = s.state.logs.map((l) => /trace big\.ts v(\d+) lint ([\d.]+) ms, edit → publish ([\d.]+) ms \(received ([\d.]+), published ([\d.]+)\)/.exec(l)).filter((m) => m && Number(m[1]) >= 2);
    const toServer = traces.map((m) => Number(m[4]) - sentAt.get(Number(m[1])));
    const toClient = traces.map((m) => gotAt.get(Number(m[1])) - Number(m[5])).filter((x) => !Number.isNaN(x));
    if (traces.length) console.log(`  transport: didChange sent → received p50 ${pct(toServer, 50).toFixed(1)} ms, p95 ${pct(toServer, 95).toFixed(1)} ms; publish sent → received p50 ${pct(toClient, 50).toFixed(1)} ms, p95 ${pct(toClient, 95).toFixed(1)} ms`);
    const lint = traces.map((m) => Number(m[2]));
    const server = traces.map((m) => Number(m[3]));
    if (lint.length) console.log(`  of which in the server: ESLint lint (parse + rules) p50 ${pct(lint, 50).toFixed(1)} ms, p95 ${pct(lint, 95).toFixed(1)} ms; didChange received → publish sent p50 ${pct(server, 50).toFixed(1)} ms, p95 ${pct(server, 95).toFixed(1)} ms; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
  } finally {
    await s.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  }
}

/** 1,000 files: 1 shared helper (llm.ts), 40 agents claiming "local" that call it, the rest plain code. */
function generateProject(ws) {
  fs.mkdirSync(path.join(ws, "src/agents"), { recursive: true });
  fs.mkdirSync(path.join(ws, "src/lib"), { recursive: true });
  const helper = `export async function complete(prompt: string): Promise<string> {\n  const res = await fetch("https://openrouter.ai/api/v1/chat/completions", { method: "POST", body: prompt });\n  return res.text();\n}\n`;
  fs.writeFileSync(path.join(ws, "src/llm.ts"), helper);
  for (let i = 0; i < 40; i++) {
    fs.writeFileSync(
      path.join(ws, `src/agents/agent${i}.ts`),
      `import { complete } from "../llm";\nimport { step${i} } from "../lib/lib${i}";\n\nexport async function askOllama(q: string): Promise<string> {\n  step${i}([q]);\n  return complete(q);\n}\n`,
    );
  }
  for (let i = 0; i < 959; i++) fs.writeFileSync(path.join(ws, `src/lib/lib${i}.ts`), filler(5, i));
  return { helper, helperFile: path.join(ws, "src/llm.ts"), agent0: path.join(ws, "src/agents/agent0.ts") };
}

async function benchProject() {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), "gw-bench-lsp-proj-"));
  const { helper, helperFile, agent0 } = generateProject(ws);
  const s = await startServer(ws, {});
  try {
    await s.until(() => s.state.progressEnd > 0, 300_000);
    const scanMs = s.state.progressEnd - s.t0;
    const rss = rssMb(s.proc.pid);
    console.log(`cold scan of 1,000 files (initialize → progress end): ${(scanMs / 1000).toFixed(1)} s (target ≤ 20 s); server RSS after: ${rss} MB (target ≤ 600 MB)`);

    // Open one agent and the helper; edit the helper so it reaches localhost:11434 only.
    await s.conn.sendNotification("textDocument/didOpen", { textDocument: { uri: uri(agent0), languageId: "typescript", version: 1, text: fs.readFileSync(agent0, "utf8") } });
    await s.until((p) => p.uri === uri(agent0));
    await s.conn.sendNotification("textDocument/didOpen", { textDocument: { uri: uri(helperFile), languageId: "typescript", version: 1, text: helper } });
    await s.until((p) => p.uri === uri(helperFile));
    const lat = [];
    const all = [];
    for (let v = 2; v < 12; v++) {
      const local = v % 2 === 0;
      const text = local ? helper.replace("https://openrouter.ai/api/v1/chat/completions", "http://localhost:11434/v1/chat/completions") : helper;
      const wantsLie = !local;
      const t = performance.now();
      let seenOthers = 0;
      const agentDone = s.until((p) => p.uri === uri(agent0) && p.diagnostics.some((d) => d.code === RULE) === wantsLie);
      const othersDone = s.until((p) => {
        if (p.uri && p.uri.includes("/agents/") && p.uri !== uri(agent0)) seenOthers++;
        return seenOthers >= 39;
      });
      await s.conn.sendNotification("textDocument/didChange", { textDocument: { uri: uri(helperFile), version: v }, contentChanges: [{ text }] });
      lat.push((await agentDone) - t);
      all.push((await othersDone) - t);
    }
    console.log(`cross-file re-analysis after editing a helper (1,000-file project): open dependent updated p50 ${pct(lat, 50).toFixed(0)} ms, p95 ${pct(lat, 95).toFixed(0)} ms (target ≤ 250 ms); all 40 dependents republished p50 ${pct(all, 50).toFixed(0)} ms`);
    // Project-wide honest rename through ts-morph: the first one builds the ts-morph project.
    for (const which of ["first (builds the ts-morph project)", "second"]) {
      const p = s.state.diags.get(uri(agent0));
      const d = p?.diagnostics.find((x) => x.code === RULE);
      if (!d) break;
      const t = performance.now();
      const actions = await s.conn.sendRequest("textDocument/codeAction", { textDocument: { uri: uri(agent0) }, range: d.range, context: { diagnostics: [d] } });
      const rename = actions.find((a) => a.title.endsWith("across the project"));
      const files = Object.keys(rename?.edit?.changes ?? {}).length;
      console.log(`honest rename across the 1,000-file project, ${which}: ${(performance.now() - t).toFixed(0)} ms (${files} file(s) in the WorkspaceEdit)`);
    }
    console.log(`server RSS at the end: ${rssMb(s.proc.pid)} MB`);
  } finally {
    await s.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  }
}

if (!process.env.BENCH_ONLY || process.env.BENCH_ONLY === "edits") {
  await benchEdits(2000);
  await benchEdits(300); // a typical module
}
if (!process.env.BENCH_ONLY || process.env.BENCH_ONLY === "project") await benchProject();

/**
 * Optional: GW_LSP_CORPUS=dir[:dir…] scans real projects (copied to a temp folder) and prints
 * files, scan time, findings per rule, every honest-llm-names message, and any rule crash.
 */
for (const dir of (process.env.GW_LSP_CORPUS ?? "").split(":").filter(Boolean)) {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), "gw-bench-lsp-corpus-"));
  fs.cpSync(dir, ws, { recursive: true, dereference: true });
  const s = await startServer(ws, {});
  try {
    await s.until(() => s.state.progressEnd > 0, 600_000);
    for (let i = 0; i < 100 && !s.state.logs.some((l) => l.includes("scan finished")); i++) await new Promise((r) => setTimeout(r, 50));
    const byRule = {};
    const lies = [];
    for (const p of s.state.diags.values())
      for (const d of p.diagnostics) {
        byRule[d.code] = (byRule[d.code] ?? 0) + 1;
        if (d.code === RULE) lies.push(`${path.relative(ws, fileURLToPath(p.uri))}:${d.range.start.line + 1} ${d.message}`);
      }
    const scanned = /scan finished: (\d+)\/(\d+) files in (\d+) ms/.exec(s.state.logs.join("\n"));
    console.log(`corpus ${dir}: ${scanned ? `${scanned[2]} files in ${(scanned[3] / 1000).toFixed(1)} s` : "scan?"}, RSS ${rssMb(s.proc.pid)} MB, findings ${JSON.stringify(byRule)}`);
    for (const l of lies) console.log(`  ${l}`);
    for (const l of s.state.logs.filter((x) => /crashed|failed|unhandled/.test(x))) console.log(`  LOG: ${l.split("\n")[0]}`);
  } finally {
    await s.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  }
}
