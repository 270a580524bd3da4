/**
 * `--serve`: single instance per user (20 concurrent starts → one serves; SIGKILL → the next
 * start takes the stale lock over), loopback-only with Host/Origin checks, /health, /metrics,
 * /events, hysteresis on a real zombie, discovery via findServingProbe, and secret redaction.
 */
import * as http from "node:http";
import * as path from "node:path";
import * as fs from "node:fs";
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, ROOT, killPid, killTracked, probe, procState, startReady, tempDir, track, waitFor } from "./helpers.js";

const stateDir = tempDir("gw-state-");
const env = { GHOSTWATCH_STATE_DIR: stateDir };
const servers: ChildProcess[] = [];
let secretHolder: ChildProcess;
const SECRETS = ["sk-proj-AbCdEfGhIjKlMnOpQrStUv123456", "hunter2-super-secret", "ghp_0123456789abcdefghijABCDEFGHIJ012345", "s3cr3tT0k3nValue", "pa55w0rdInUrl"];

function get(port: number, p: string, headers: Record<string, string> = {}, method = "GET"): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: p, method, agent: false, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.setTimeout(20_000, () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end();
  });
}

/** Start `probe --serve`; resolves with its exit (for losers) or its first stdout line (for the winner). */
function serve(args: string[] = []): Promise<{ child: ChildProcess; line: string; code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = track(process.execPath, [CLI, "probe", "--serve", "--json", "--no-endpoints", "--interval", "400", ...args], { env: { ...process.env, ...env } });
    servers.push(child);
    let out = "";
    let err = "";
    child.stderr!.on("data", (d) => (err += d));
    child.stdout!.on("data", (d) => {
      out += d;
      if (out.includes('"serving":true')) resolve({ child, line: out.trim(), code: null, stderr: err });
    });
    child.on("close", (code) => resolve({ child, line: out.trim(), code, stderr: err }));
  });
}

beforeAll(async () => {
  // A process with secrets on its command line.
  secretHolder = await startReady(process.execPath, ["-e", "setInterval(()=>{},1000); console.log('ready')", "--", "--api-key", SECRETS[0]!, "--password=" + SECRETS[1], `https://user:${SECRETS[4]}@example.com/x?token=${SECRETS[3]}`, `Bearer ${SECRETS[2]}`]);
});

afterAll(() => {
  for (const s of servers) killPid(s.pid);
  killTracked();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

describe("probe --serve", () => {
  let winner: { child: ChildProcess; port: number; pid: number };

  it("20 concurrent starts: exactly one serves, the other 19 print its address and exit 3", async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => serve()));
    const serving = results.filter((r) => r.code === null);
    const losers = results.filter((r) => r.code !== null);
    expect(serving).toHaveLength(1);
    const info = JSON.parse(serving[0]!.line);
    winner = { child: serving[0]!.child, port: info.port, pid: info.pid };
    expect(losers.map((l) => `${l.code} ${l.stderr}`)).toEqual(Array(19).fill("3 "));
    for (const l of losers) expect(JSON.parse(l.line)).toMatchObject({ alreadyServing: true, pid: winner.pid, port: winner.port, url: `http://127.0.0.1:${winner.port}` });
    const { findServingProbe } = await import(path.join(ROOT, "dist/server/probe/instance.js"));
    process.env.GHOSTWATCH_STATE_DIR = stateDir;
    try {
      expect(await findServingProbe()).toEqual({ pid: winner.pid, port: winner.port, url: `http://127.0.0.1:${winner.port}` });
    } finally {
      delete process.env.GHOSTWATCH_STATE_DIR;
    }
  }, 300_000);

  it("serves /health (SPEC §4 JSON), /metrics (ghostwatch_ names) and /events (SSE snapshots)", async () => {
    const h = await get(winner.port, "/health");
    expect(h.status).toBe(200);
    expect(h.headers["content-type"]).toMatch(/application\/json/);
    const snap = JSON.parse(h.body);
    for (const k of ["endpoints", "sockets", "fds", "processes", "warnings", "sampledAt", "durationMs"]) expect(snap).toHaveProperty(k);
    for (const k of ["byState", "closeWait", "cloudLlm"]) expect(snap.sockets).toHaveProperty(k);
    for (const k of ["zombies", "orphans", "duplicates", "stale"]) expect(snap.processes).toHaveProperty(k);
    const m = await get(winner.port, "/metrics");
    expect(m.status).toBe(200);
    expect(m.body).toMatch(/^ghostwatch_tcp_sockets\{state="ESTABLISHED"\} \d+$/m);
    expect(m.body).toMatch(/^ghostwatch_sample_duration_seconds_count [1-9]\d*$/m);
    expect(m.body).toMatch(/^ghostwatch_processes\{category="zombie"\} \d+$/m);
    // SSE: two snapshots arrive
    const events = await new Promise<string>((resolve, reject) => {
      const req = http.get({ host: "127.0.0.1", port: winner.port, path: "/events", agent: false, headers: { host: `localhost:${winner.port}` } }, (res) => {
        expect(res.headers["content-type"]).toMatch(/text\/event-stream/);
        let buf = "";
        res.on("data", (d) => {
          buf += d;
          if ((buf.match(/event: snapshot\ndata: \{/g) ?? []).length >= 2) {
            req.destroy();
            resolve(buf);
          }
        });
      });
      req.on("error", reject);
      setTimeout(() => reject(new Error("no SSE snapshots")), 15_000);
    });
    const first = /event: snapshot\ndata: (.*)\n\n/.exec(events)![1]!;
    expect(JSON.parse(first)).toHaveProperty("sampledAt");
  });

  it("refuses foreign Host and Origin headers (DNS rebinding), non-GET methods, and sends no CORS headers", async () => {
    const evil = await get(winner.port, "/health", { host: "evil.example" });
    expect(evil.status).toBe(403);
    expect(evil.body).not.toContain("sockets");
    expect((await get(winner.port, "/health", { host: `evil.example:${winner.port}` })).status).toBe(403);
    expect((await get(winner.port, "/health", { host: "127.0.0.1:1" })).status).toBe(403);
    expect((await get(winner.port, "/metrics", { origin: "http://evil.example" })).status).toBe(403);
    expect((await get(winner.port, "/health", {}, "POST")).status).toBe(405);
    const ok = await get(winner.port, "/health", { host: `localhost:${winner.port}`, origin: `http://localhost:${winner.port}` });
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.headers).filter((k) => k.startsWith("access-control-"))).toEqual([]);
  });

  it("SIGKILL the serving probe → the next start takes the stale lock over and serves", async () => {
    winner.child.kill("SIGKILL");
    await waitFor(() => procState(winner.pid) === undefined, 5000);
    const next = await serve();
    expect(next.code).toBeNull();
    const info = JSON.parse(next.line);
    expect(info.pid).not.toBe(winner.pid);
    expect((await get(info.port, "/health")).status).toBe(200);
    killPid(info.pid, "SIGTERM");
    await new Promise((r) => next.child.on("close", r));
    expect(next.child.exitCode).toBe(0); // clean shutdown on SIGTERM
  }, 60_000);

  it("hysteresis: a zombie is pending for 2 samples and raised on the 3rd", async () => {
    const parent = track("/bin/sh", ["-c", "true & exec sleep 60"]);
    try {
      const s = await serve(["--pid", String(parent.pid), "--interval", "300"]);
      expect(s.code).toBeNull();
      const { port } = JSON.parse(s.line);
      const seen: Array<{ warnings: unknown[]; pending: unknown[] }> = [];
      await waitFor(async () => {
        const snap = JSON.parse((await get(port, "/health")).body);
        if (snap.processes.zombies.length > 0 && seen.at(-1)?.toString() !== snap.sampledAt) seen.push({ ...snap, toString: () => snap.sampledAt });
        return snap.warnings.some((w: { kind: string }) => w.kind === "zombie");
      }, 20_000, 100);
      const firstWithZombie = seen[0]!;
      expect(firstWithZombie.warnings).toEqual([]);
      expect(firstWithZombie.pending).toContainEqual(expect.objectContaining({ kind: "zombie", pid: parent.pid }));
      killPid(s.child.pid, "SIGTERM");
      await new Promise((r) => s.child.on("close", r));
    } finally {
      killPid(parent.pid);
    }
  }, 60_000);
});

describe("secrets never appear in any output", () => {
  it("json, table, check, metrics and /health redact secrets from command lines", async () => {
    const scope = ["--pid", String(secretHolder.pid), "--no-endpoints", "--top", "1000"];
    const outs = await Promise.all([probe(["--json", ...scope]), probe(scope), probe(["--check", ...scope]), probe(["--metrics", ...scope])]);
    const s = await serve(["--pid", String(secretHolder.pid)]);
    const { port } = JSON.parse(s.line);
    const health = await get(port, "/health");
    const metrics = await get(port, "/metrics");
    killPid(s.child.pid, "SIGTERM");
    const all = [...outs.map((o) => o.stdout + o.stderr), health.body, metrics.body].join("\n");
    const row = JSON.parse(outs[0]!.stdout).fds.find((f: { pid: number }) => f.pid === secretHolder.pid);
    expect(row.command).toContain("--api-key ***");
    expect(row.command).toContain("user:***@example.com");
    for (const secret of SECRETS) expect(all).not.toContain(secret);
  }, 60_000);
});
