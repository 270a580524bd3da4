/**
 * Real kernel: a child process leaves N sockets in CLOSE-WAIT against a loopback server (the
 * server closes its side, the child never closes its own). The probe must report N for that PID
 * and that remote, with both socket readers, and turn it into the right Nagios code.
 */
import * as net from "node:net";
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killTracked, probe, procState, startReady, waitFor } from "./helpers.js";
import * as fs from "node:fs";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { ROOT } from "./helpers.js";

const N = 60;
let server4: net.Server;
let server6: net.Server | undefined;
let leaker: ChildProcess;
let port4 = 0;
let port6 = 0;
const serverSockets = new Set<net.Socket>();

function closeWaitCount(pid: number): number {
  // Cross-check with the kernel via ss, independent of the probe.
  const links = fs.readdirSync(`/proc/${pid}/fd`).map((f) => {
    try {
      return fs.readlinkSync(`/proc/${pid}/fd/${f}`);
    } catch {
      return "";
    }
  });
  const inodes = new Set(links.filter((l) => l.startsWith("socket:[")).map((l) => l.slice(8, -1)));
  let n = 0;
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of fs.readFileSync(file, "utf8").split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] === "08" && inodes.has(f[9]!)) n++;
    }
  }
  return n;
}

beforeAll(async () => {
  const listen = (host: string) =>
    new Promise<net.Server>((resolve, reject) => {
      const s = net.createServer((sock) => {
        serverSockets.add(sock);
        sock.on("error", () => undefined);
        sock.end(); // server closes its side → the client's socket enters CLOSE-WAIT
      });
      s.once("error", reject);
      s.listen(0, host, () => resolve(s));
    });
  server4 = await listen("127.0.0.1");
  port4 = (server4.address() as net.AddressInfo).port;
  try {
    server6 = await listen("::1");
    port6 = (server6.address() as net.AddressInfo).port;
  } catch {
    server6 = undefined; // no IPv6 loopback on this host
  }
  const code = `
    const net = require("net"); const keep = []; let ready = 0; const total = ${N} + (${port6} ? 5 : 0);
    const open = (host, port) => { const s = net.connect(port, host); s.on("error", () => {}); s.on("end", () => { if (++ready === total) console.log("ready"); }); s.resume(); keep.push(s); s.allowHalfOpen = true; };
    for (let i = 0; i < ${N}; i++) open("127.0.0.1", ${port4});
    if (${port6}) for (let i = 0; i < 5; i++) open("::1", ${port6});
    setInterval(() => {}, 1000);`;
  leaker = await startReady(process.execPath, ["-e", code]);
  await waitFor(() => closeWaitCount(leaker.pid!) >= N + (port6 ? 5 : 0), 10_000);
}, 30_000);

afterAll(async () => {
  killTracked();
  for (const s of serverSockets) s.destroy();
  await new Promise((r) => server4?.close(r));
  if (server6) await new Promise((r) => server6!.close(r));
});

describe("CLOSE-WAIT sockets on the real kernel", () => {
  for (const backend of ["proc", "ss"] as const) {
    it(`reports ${N} CLOSE-WAIT for the leaking PID and remote (${backend} reader)`, async () => {
      expect(procState(leaker.pid!)).toBeDefined();
      const r = await probe(["--json", "--no-endpoints", "--pid", String(leaker.pid), "--socket-backend", backend]);
      expect(r.code).toBe(0);
      const snap = JSON.parse(r.stdout);
      const mine = snap.sockets.closeWait.filter((c: { pid: number }) => c.pid === leaker.pid);
      expect(mine).toContainEqual(expect.objectContaining({ pid: leaker.pid, remote: `127.0.0.1:${port4}`, count: N }));
      if (port6) expect(mine).toContainEqual(expect.objectContaining({ pid: leaker.pid, remote: `[::1]:${port6}`, count: 5 }));
      expect(snap.sockets.byState.CLOSE_WAIT).toBeGreaterThanOrEqual(N);
      expect(snap.sockets.byState.FIN_WAIT2 ?? 0).toBeGreaterThanOrEqual(0);
      expect(snap.warnings).toContainEqual(expect.objectContaining({ kind: "close_wait", pid: leaker.pid, severity: "warning" }));
      expect(snap.host.backend).toBe(backend === "ss" ? "proc+ss" : "proc+procnet");
      expect(mine[0].command).toContain("node");
    });
  }

  it("--check: WARNING above the threshold, CRITICAL above the critical one, OK under it", async () => {
    const base = ["--check", "--no-endpoints", "--pid", String(leaker.pid)];
    const [warn, crit, ok] = await Promise.all([probe(base), probe([...base, "--close-wait-crit", String(N - 1)]), probe([...base, "--close-wait-warn", String(N + 10)])]);
    expect(warn.code).toBe(1);
    expect(warn.stdout).toMatch(/^GHOSTWATCH WARNING - .*CLOSE-WAIT/);
    expect(warn.stdout).toMatch(/close_wait_max=\d+;50;200/);
    expect(crit.code).toBe(2);
    expect(crit.stdout).toMatch(/^GHOSTWATCH CRITICAL/);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^GHOSTWATCH OK/);
  });

  it("flags connections to configured cloud LLM hosts per process", async () => {
    const r = await probe(["--json", "--no-endpoints", "--pid", String(leaker.pid), "--cloud-host", "127.0.0.1", "--warn-cloud", "--close-wait-warn", "1000"]);
    const snap = JSON.parse(r.stdout);
    expect(snap.sockets.cloudLlm).toContainEqual(expect.objectContaining({ pid: leaker.pid, host: "127.0.0.1", remote: `127.0.0.1:${port4}`, count: N }));
    expect(snap.warnings).toContainEqual(expect.objectContaining({ kind: "cloud_llm", pid: leaker.pid }));
  });

  it("the human table lists the CLOSE-WAIT group", async () => {
    const r = await probe(["--no-endpoints", "--pid", String(leaker.pid)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("CLOSE-WAIT by process and remote");
    expect(r.stdout).toMatch(new RegExp(`${leaker.pid}\\s+${N}\\s+127\\.0\\.0\\.1:${port4}`));
  });

  it("the macOS parsers read real lsof -F and ps output of this kernel (same formats)", async () => {
    const { parseLsofTcp, parsePs } = await import(path.join(ROOT, "dist/server/probe/backends/darwin.js"));
    const lsof = execFileSync("lsof", ["-nP", "-w", "-a", "-iTCP", "-p", String(leaker.pid), "-FpcfnT"], { encoding: "utf8" });
    const mine = parseLsofTcp(lsof).filter((s: { pid: number; state: string; remotePort: number }) => s.pid === leaker.pid && s.state === "CLOSE_WAIT" && s.remotePort === port4);
    expect(mine).toHaveLength(N);
    expect(mine[0]).toMatchObject({ remoteAddress: "127.0.0.1", localAddress: "127.0.0.1" });
    const ps = parsePs(execFileSync("ps", ["-axo", "pid=,ppid=,uid=,stat=,etime=,args="], { encoding: "utf8" }));
    expect(ps.find((p: { pid: number }) => p.pid === leaker.pid)).toMatchObject({ ppid: process.pid, state: "S" });
  });
});
