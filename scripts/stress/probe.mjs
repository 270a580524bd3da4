#!/usr/bin/env node
/**
 * Probe stress suites (issue 15): the instance lock, /proc churn, hostile endpoints, the HTTP
 * surface, non-reading /events clients and redaction over the secret table — against the real
 * built CLI (`dist/`), loopback only, each suite bounded in time, every process it starts stopped
 * by PID (also on failure). Prints one `STRESS-ROW {"suite","metric","value","target","ok"}` line
 * per figure (collected by `npm run stress`), then a small table. Runnable alone:
 *
 *   npm run build && node scripts/stress/probe.mjs [--suite instance,churn,hostile,http,events,redaction] [--quick]
 *
 * Exit code: 0 when every row is ok, 1 otherwise.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CLI = path.join(root, "dist/server/cli.js");
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
const QUICK = argv.includes("--quick");
const SUITES = (opt("suite", "instance,churn,hostile,http,events,redaction") ?? "").split(",").filter(Boolean);
const rows = [];
const kids = new Set();
const servers = new Set();
const temps = [];

function row(suite, metric, value, target, ok) {
  const r = { suite: `probe/${suite}`, metric, value, target, ok: !!ok };
  rows.push(r);
  console.log(`STRESS-ROW ${JSON.stringify(r)}`);
}

function tmp(prefix) {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(d);
  return d;
}

function child(cmd, args, opts = {}) {
  const c = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], ...opts });
  kids.add(c);
  c.on("exit", () => kids.delete(c));
  return c;
}

function stop(c, signal = "SIGKILL") {
  if (!c?.pid) return;
  try {
    process.kill(c.pid, signal);
  } catch {
    /* gone */
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function withTimeout(p, ms, what) {
  let t;
  return Promise.race([p, new Promise((_, rej) => (t = setTimeout(() => rej(new Error(`${what}: over ${ms} ms`)), ms)))]).finally(() => clearTimeout(t));
}

/** Run the CLI to completion (bounded). */
function cli(args, env = {}, timeoutMs = 60_000) {
  return withTimeout(
    new Promise((resolve) => {
      const c = child(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
      let stdout = "";
      let stderr = "";
      c.stdout.on("data", (d) => (stdout += d));
      c.stderr.on("data", (d) => (stderr += d));
      c.on("close", (code) => resolve({ code, stdout, stderr }));
    }),
    timeoutMs,
    `ghostwatch ${args.join(" ")}`,
  );
}

/** Start `probe --serve --json`; resolves {child, info} once serving, or {child, code, stdout} if it exits. */
function serve(stateDir, extra = []) {
  return new Promise((resolve) => {
    const c = child(process.execPath, [CLI, "probe", "--serve", "--json", "--no-endpoints", ...extra], { env: { ...process.env, GHOSTWATCH_STATE_DIR: stateDir } });
    let out = "";
    let err = "";
    c.stdout.on("data", (d) => {
      out += d;
      if (out.includes('"serving":true')) resolve({ child: c, info: JSON.parse(out.split("\n")[0]) });
    });
    c.stderr.on("data", (d) => (err += d));
    c.on("close", (code) => resolve({ child: c, code, stdout: out, stderr: err }));
  });
}

function get(port, p, { host = `127.0.0.1:${port}`, timeoutMs = 10_000 } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.get({ host: "127.0.0.1", port, path: p, agent: false, headers: { host } }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode, body, ms: performance.now() - t0 }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout GET ${p}`)));
    req.on("error", reject);
  });
}

function raw(port, text) {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port }, () => s.write(text));
    let buf = "";
    s.setTimeout(10_000, () => s.destroy());
    s.on("data", (d) => {
      buf += d;
      if (buf.includes("\r\n")) s.destroy();
    });
    const done = () => resolve(buf.split("\r\n")[0] || "closed");
    s.on("close", done);
    s.on("error", () => undefined);
  });
}

const rssMb = (pid) => Number(/^VmRSS:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;

// ---------------------------------------------------------------------------------------------
async function suiteInstance() {
  const n = QUICK ? 20 : 50;
  const dir = tmp("gw-stress-lock-");
  const t0 = Date.now();
  const results = await withTimeout(Promise.all(Array.from({ length: n }, () => serve(dir))), 180_000, `${n} starts`);
  const serving = results.filter((r) => r.info);
  const losersOk = results.filter((r) => !r.info && r.code === 3 && /"alreadyServing":true/.test(r.stdout)).length;
  row("instance", `${n} simultaneous --serve starts: serving`, serving.length, "= 1", serving.length === 1);
  row("instance", `${n} simultaneous --serve starts: others exit 3 naming the winner`, losersOk, `= ${n - 1}`, losersOk === n - 1);
  row("instance", `${n} simultaneous starts: wall time (s)`, Math.round((Date.now() - t0) / 100) / 10, "≤ 120", Date.now() - t0 <= 120_000);
  // SIGKILL the winner: the next start takes the stale lock over.
  for (const s of serving) stop(s.child);
  await sleep(300);
  const t1 = Date.now();
  const next = await withTimeout(serve(dir), 60_000, "restart after SIGKILL");
  row("instance", "start after SIGKILL of the holder (s)", Math.round((Date.now() - t1) / 100) / 10, "serving, ≤ 10", !!next.info && Date.now() - t1 <= 10_000);
  stop(next.child);
}

// ---------------------------------------------------------------------------------------------
async function suiteChurn() {
  const seconds = QUICK ? 4 : 10;
  const rate = 200; // spawns per second
  const { Sampler } = await import(path.join(root, "dist/server/probe/sample.js"));
  const spawner = child(process.execPath, ["-e", `
    const { spawn } = require("child_process"); let n = 0;
    const t = setInterval(() => { for (let i = 0; i < ${rate / 20}; i++) { const c = spawn("/bin/true", [], { stdio: "ignore" }); c.on("error", () => {}); n++; } }, 50);
    setTimeout(() => { clearInterval(t); console.log("spawned " + n); setTimeout(() => process.exit(0), 200); }, ${seconds * 1000});
  `]);
  let spawned = 0;
  spawner.stdout.on("data", (d) => (spawned = Number(/spawned (\d+)/.exec(String(d))?.[1] ?? spawned)));
  const done = new Promise((r) => spawner.on("close", r));
  let samples = 0;
  let exceptions = 0;
  let partial = 0;
  let maxMs = 0;
  const sampler = new Sampler({ endpoints: [], resolveCloudHosts: false, socketBackend: "proc" }, { raiseAfter: 3, clearAfter: 3 });
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const t0 = performance.now();
    try {
      const s = await sampler.sample();
      if (s.errors.length) partial++;
    } catch {
      exceptions++;
    }
    maxMs = Math.max(maxMs, performance.now() - t0);
    samples++;
  }
  sampler.close();
  await withTimeout(done, 20_000, "spawner");
  row("churn", `samples during ${spawned} spawns in ${seconds} s`, samples, "≥ 5", samples >= 5);
  row("churn", "sample exceptions", exceptions, "= 0", exceptions === 0);
  row("churn", "samples with read errors", partial, "= 0", partial === 0);
  row("churn", "slowest sample (ms)", Math.round(maxMs), "≤ 5000", maxMs <= 5000);
}

// ---------------------------------------------------------------------------------------------
/** 15 hostile "LLM endpoints" on loopback. Each returns the kind of thing that broke probes. */
async function hostileServers() {
  const list = [];
  const add = async (name, handler, { rawSocket = false, legit = false } = {}) => {
    const srv = rawSocket ? net.createServer(handler) : http.createServer(handler);
    srv.on("connection", (s) => s.on("error", () => undefined));
    await new Promise((r) => srv.listen(0, "127.0.0.1", r));
    servers.add(srv);
    list.push({ name, url: `http://127.0.0.1:${srv.address().port}`, legit });
  };
  const json = (res, v, status = 200) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(v));
  await add("hangs after accept", () => undefined);
  await add("headers then silence", (_q, res) => res.writeHead(200, { "content-type": "application/json" }).write("{"));
  await add("drips one byte a second", (_q, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write(" ")), 1000);
  });
  await add("resets the connection", (s) => s.destroy(), { rawSocket: true });
  await add("closes without a byte", (s) => s.end(), { rawSocket: true });
  await add("speaks garbage, not HTTP", (s) => s.end("\u0000\u0001garbage\r\n\r\n"), { rawSocket: true });
  await add("200 with HTML", (_q, res) => res.writeHead(200, { "content-type": "text/html" }).end("<html>hi</html>"));
  await add("200 with a JSON array", (_q, res) => json(res, [1, 2, 3]));
  await add("200 with 12 MB of JSON", (_q, res) => res.writeHead(200, { "content-type": "application/json" }).end(`{"version":"${"x".repeat(12 * 1024 * 1024)}"}`));
  await add("nesting 100,000 deep", (_q, res) => res.writeHead(200, { "content-type": "application/json" }).end(`${"[".repeat(100_000)}${"]".repeat(100_000)}`));
  await add("wrong content-length", (s) => s.end("HTTP/1.1 200 OK\r\ncontent-length: 99999\r\ncontent-type: application/json\r\n\r\n{\"version\":\"1\"}"), { rawSocket: true });
  await add("redirect loop", (q, res) => res.writeHead(302, { location: q.url }).end());
  await add("401 with a token in the error", (_q, res) => json(res, { error: "bad key sk-proj-HostileLeak0123456789abcdef" }, 401));
  await add("ANSI in the version (valid API)", (q, res) => {
    if (q.url === "/api/version") return json(res, { version: "1.0\u001b[2J\u001b]0;owned\u0007\u009b31m" });
    if (q.url === "/api/tags" || q.url === "/api/ps") return json(res, { models: [{ name: "m\u001b[5mx" }] });
    return json(res, {}, 404);
  }, { legit: true });
  await add("version 500, tags fine", (q, res) => (q.url === "/api/version" ? json(res, { error: "x" }, 500) : json(res, { models: [] })));
  return list;
}

async function suiteHostile() {
  const eps = await hostileServers();
  const args = ["probe", "--pid", String(2 ** 22 + 1), "--timeout", "1000"];
  for (const e of eps) args.push("--endpoint", `ollama=${e.url}`);
  const t0 = Date.now();
  const [json, check, table] = await Promise.all([cli([...args, "--json"]), cli([...args, "--check"]), cli(args)]);
  const wall = (Date.now() - t0) / 1000;
  let snap;
  try {
    snap = JSON.parse(json.stdout);
  } catch {
    snap = undefined;
  }
  row("hostile", `${eps.length} hostile endpoints: wall time of 3 parallel runs (s)`, Math.round(wall * 10) / 10, "≤ 30", wall <= 30);
  row("hostile", "runs that crashed (exit not 0–2, or no JSON)", [json, check, table].filter((r) => r.code === null || r.code > 2).length + (snap ? 0 : 1), "= 0", [json, check, table].every((r) => r.code !== null && r.code <= 2) && !!snap);
  const up = snap ? snap.endpoints.filter((e, i) => e.ok && !eps[i].legit).length : -1;
  row("hostile", "hostile endpoints reported up", up, "= 0", up === 0);
  row("hostile", "--check exit code", check.code, "= 2 (CRITICAL)", check.code === 2);
  // eslint-disable-next-line no-control-regex
  const ctl = [json.stdout, check.stdout, table.stdout].join("").match(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]|\\u001b|\\u009b/g)?.length ?? 0;
  row("hostile", "terminal control characters in output", ctl, "= 0", ctl === 0);
  const leak = [json.stdout, check.stdout, table.stdout, json.stderr].join("").includes("HostileLeak0123456789abcdef") ? 1 : 0;
  row("hostile", "secrets from endpoint errors printed", leak, "= 0", leak === 0);
  for (const s of servers) s.close();
  servers.clear();
}

// ---------------------------------------------------------------------------------------------
async function suiteHttp() {
  const dir = tmp("gw-stress-http-");
  const s = await serve(dir, ["--interval", "1000"]);
  if (!s.info) throw new Error(`--serve did not start: ${s.stderr}`);
  const port = s.info.port;
  const targets = ["//[/x", "http://[/health", "http://%zz/health", "http://a:b:c/health", "http://127.0.0.1:99999/health", "/%zz", "/{x}", "*", "health", "http:/health"];
  const junk = [
    ...targets.map((t) => `GET ${t} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`),
    `GET /health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nHost: evil.com\r\n\r\n`,
    "GET /health HTTP/1.1\r\n\r\n",
    `GET /health\u0000 HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`,
    "GET /health HTTP/9.9\r\n\r\n",
    "\u0016\u0003\u0001\u0002\u0000\u0001\u0000",
    `GET /health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX: ${"a".repeat(20_000)}\r\n\r\n`,
  ];
  let wrong = 0;
  for (let round = 0; round < (QUICK ? 2 : 10); round++) for (const j of junk) if (!/^HTTP\/1\.1 (400|431) /.test(await raw(port, j))) wrong++;
  const foreign = await raw(port, `GET http://evil.com/health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  const alive = s.child.exitCode === null && (await get(port, "/health")).status === 200;
  row("http", `malformed requests (${junk.length} kinds × ${QUICK ? 2 : 10}) not answered 400/431`, wrong, "= 0", wrong === 0);
  row("http", "absolute-form with a foreign host", foreign.replace("HTTP/1.1 ", ""), "421", foreign.startsWith("HTTP/1.1 421"));
  row("http", "--serve alive after malformed requests", alive ? 1 : 0, "= 1", alive);
  // 1,000 slow connections (headers never finished) while a normal client asks /health.
  const slow = [];
  const n = QUICK ? 300 : 1000;
  for (let i = 0; i < n; i++) {
    const c = net.connect({ host: "127.0.0.1", port });
    c.on("error", () => undefined);
    c.on("connect", () => c.write(`GET /health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: `));
    c.resume(); // read what the server says (its 408/400 and FIN), so a close is seen
    slow.push(c);
    if (i % 100 === 99) await sleep(20);
  }
  await sleep(1000);
  const lat = [];
  for (let i = 0; i < 10; i++) lat.push((await get(port, "/health")).ms);
  lat.sort((a, b) => a - b);
  const rss = rssMb(s.child.pid);
  row("http", `/health p50 with ${n} slow connections open (ms)`, Math.round(lat[5]), "≤ 1000", lat[5] <= 1000);
  row("http", `--serve RSS with ${n} slow connections (MB)`, Math.round(rss), "< 150", rss < 150);
  // The server's headersTimeout (10 s) closes them.
  await sleep(12_000);
  const open = slow.filter((c) => !c.destroyed && c.readyState === "open").length;
  row("http", "slow connections still open after the 10 s header timeout", open, "= 0", open === 0);
  for (const c of slow) c.destroy();
  stop(s.child);
}

// ---------------------------------------------------------------------------------------------
async function suiteEvents() {
  const dir = tmp("gw-stress-events-");
  const s = await serve(dir, ["--interval", "250", "--top", "1000"]);
  if (!s.info) throw new Error(`--serve did not start: ${s.stderr}`);
  const port = s.info.port;
  const rss0 = rssMb(s.child.pid);
  const socks = [];
  for (let i = 0; i < 64; i++) {
    const c = net.connect({ host: "127.0.0.1", port });
    c.on("error", () => undefined);
    await new Promise((r) => c.once("connect", r));
    c.write(`GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    c.pause();
    socks.push(c);
  }
  let peak = rss0;
  let dropped = 0;
  const t0 = Date.now();
  const end = Date.now() + (QUICK ? 30_000 : 60_000);
  while (Date.now() < end) {
    await sleep(1000);
    peak = Math.max(peak, rssMb(s.child.pid));
    dropped = Number(/^ghostwatch_events_clients_dropped_total (\d+)/m.exec((await get(port, "/metrics")).body)?.[1] ?? 0);
    if (dropped >= 64) break;
  }
  const freedIn = (Date.now() - t0) / 1000;
  const next = await raw(port, `GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  row("events", "64 non-reading /events clients: peak RSS (MB)", Math.round(peak), "< 150", peak < 150);
  row("events", "non-reading clients dropped", dropped, "= 64", dropped === 64);
  row("events", "time until all 64 slots were freed (s)", Math.round(freedIn), "≤ 60", dropped === 64);
  row("events", "a 65th client after the drops", next.replace("HTTP/1.1 ", ""), "200", next.startsWith("HTTP/1.1 200"));
  for (const c of socks) c.destroy();
  stop(s.child);
}

// ---------------------------------------------------------------------------------------------
async function suiteRedaction() {
  const { forms } = JSON.parse(fs.readFileSync(path.join(root, "test/probe/fixtures/secret-forms.json"), "utf8"));
  const secrets = forms.map((f) => f.secret).filter(Boolean);
  const { commandLine } = await import(path.join(root, "dist/server/probe/redact.js"));
  const unitLeaks = forms.filter((f) => f.secret && commandLine(f.argv, "").includes(f.secret)).length;
  // detached: each holder leads its own process group, so stopping the group also stops its `sleep`.
  const holders = forms.map((f) => child("/bin/sh", ["-c", "sleep 120; :", ...f.argv.slice(1)], { argv0: f.argv[0], stdio: "ignore", detached: true }));
  try {
    await sleep(300);
    const scope = ["--pid", holders.map((h) => h.pid).join(","), "--no-endpoints", "--top", "1000"];
    const outs = await Promise.all([cli(["probe", "--json", ...scope]), cli(["probe", ...scope]), cli(["probe", "--metrics", ...scope])]);
    const all = outs.map((o) => o.stdout + o.stderr).join("\n");
    const listed = JSON.parse(outs[0].stdout).fds.filter((f) => holders.some((h) => h.pid === f.pid)).length;
    const leaks = secrets.filter((x) => all.includes(x)).length;
    row("redaction", "secret forms in the table", secrets.length, "≥ 30", secrets.length >= 30);
    row("redaction", "leaks through the redactor", unitLeaks, "= 0", unitLeaks === 0);
    row("redaction", `leaks from ${listed} real processes (--json, table, --metrics)`, leaks, "= 0", leaks === 0 && listed === forms.length);
  } finally {
    for (const h of holders) {
      try {
        process.kill(-h.pid, "SIGKILL");
      } catch {
        stop(h);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
const table = { instance: suiteInstance, churn: suiteChurn, hostile: suiteHostile, http: suiteHttp, events: suiteEvents, redaction: suiteRedaction };
const BUDGET_MS = { instance: 240_000, churn: 60_000, hostile: 90_000, http: 120_000, events: 120_000, redaction: 60_000 };
try {
  if (!fs.existsSync(CLI)) throw new Error("dist/ is missing: run `npm run build` first");
  if (process.platform !== "linux") {
    console.log("probe stress suites need Linux (/proc, ss); skipped");
  } else {
    for (const name of SUITES) {
      const fn = table[name];
      if (!fn) {
        row(name, "unknown suite", name, Object.keys(table).join(","), false);
        continue;
      }
      const t0 = Date.now();
      try {
        await withTimeout(fn(), BUDGET_MS[name], `suite ${name}`);
      } catch (e) {
        row(name, "suite failed", String(e.message).slice(0, 200), "no error", false);
      } finally {
        for (const k of [...kids]) stop(k); // nothing outlives its suite
      }
      console.error(`probe/${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  }
} finally {
  for (const k of [...kids]) stop(k);
  for (const s of servers) s.close();
  for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
}
const w = Math.max(...rows.map((r) => `${r.suite}  ${r.metric}`.length), 10);
console.log("");
for (const r of rows) console.log(`${r.ok ? "ok  " : "FAIL"}  ${`${r.suite}  ${r.metric}`.padEnd(w)}  ${String(r.value).padStart(8)}  (${r.target})`);
process.exitCode = rows.every((r) => r.ok) ? 0 : 1;
// Keep-alive handles (servers closing) must not hold the run open.
setTimeout(() => process.exit(process.exitCode), 500).unref();
