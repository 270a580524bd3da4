/**
 * What the status bar, the Host Health tree and the History view make of a probe sample
 * (pure functions; the same code runs in the extension host). Samples are real: one from
 * `ghostwatch probe` on this host, with a CLOSE-WAIT socket this test creates.
 */
import { spawn } from "node:child_process";
import * as net from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS, closeWaitTotal, evaluate, isOwnWarning, normaliseSample, procOwnerUid, statusText, statusTooltip, type HealthSample } from "../../extension/health-model.js";
import { buildHealthNodes, shortCommand, type HealthNode } from "../../extension/views/health-nodes.js";
import { toPoint } from "../../extension/views/history-point.js";
import { sampleOnce } from "../../server/probe/sample.js";

function find(nodes: HealthNode[], pred: (n: HealthNode) => boolean): HealthNode | undefined {
  for (const n of nodes) {
    if (pred(n)) return n;
    const c = n.children ? find(n.children, pred) : undefined;
    if (c) return c;
  }
  return undefined;
}

const base = (over: Partial<HealthSample> = {}): HealthSample =>
  normaliseSample({
    endpoints: [{ url: "http://127.0.0.1:11434", ok: true, version: "0.12.3", models: ["gemma2:9b", "gpt-oss:120b-cloud"], loaded: ["gemma2:9b"], latencyMs: 12.4, functional: null, error: null }],
    sockets: { byState: { ESTABLISHED: 4, CLOSE_WAIT: 0 }, closeWait: [], cloudLlm: [] },
    fds: [{ pid: 42, command: "node agent.js", open: 100, limit: 1024 }],
    processes: { zombies: [], orphans: [], duplicates: [], stale: [] },
    warnings: [],
    sampledAt: "2026-01-01T10:00:00.000Z",
    durationMs: 30,
    ...over,
  });

describe("status bar text and tooltip", () => {
  it("reads `$(pulse) Ollama ✓ 12 ms · CLOSE-WAIT 0` on a healthy host", () => {
    const s = base();
    expect(statusText(s, evaluate(s, DEFAULT_THRESHOLDS))).toBe("$(pulse) Ollama ✓ 12 ms · CLOSE-WAIT 0");
  });

  it("shows ✗ for a down endpoint and a warning icon while a threshold is crossed", () => {
    const s = base({
      endpoints: [{ url: "http://127.0.0.1:11434", ok: false, error: "ECONNREFUSED", latencyMs: null }],
      sockets: { byState: { CLOSE_WAIT: 61 }, closeWait: [{ pid: 7, command: "node agent.js", remote: "104.18.2.115:443", count: 61 }], cloudLlm: [] },
    });
    const w = evaluate(s, DEFAULT_THRESHOLDS);
    expect(w).toEqual([{ kind: "close-wait", pid: 7, message: "node agent.js (PID 7) holds 61 CLOSE-WAIT sockets (threshold 50)" }]);
    expect(statusText(s, w)).toBe("$(warning) Ollama ✗ · CLOSE-WAIT 61");
    const tip = statusTooltip(s, w, "probe http://127.0.0.1:9464");
    expect(tip).toContain("| CLOSE-WAIT | 61 |");
    expect(tip).toContain("1 warning");
    expect(tip).toContain("ECONNREFUSED");
  });

  it("labels other endpoints by host:port and falls back when nothing was sampled", () => {
    const s = base({ endpoints: [{ url: "http://10.0.0.5:8000/v1", ok: true, latencyMs: 80 }] });
    expect(statusText(s, [])).toBe("$(pulse) 10.0.0.5:8000 ✓ 80 ms · CLOSE-WAIT 0");
    expect(statusText(undefined, [], "starting")).toBe("$(pulse) Ghostwatch starting");
  });
});

describe("thresholds", () => {
  it("fires exactly above the limits set in the editor's settings", () => {
    const s = base({
      sockets: { byState: {}, closeWait: [{ pid: 1, command: "a", remote: "x:1", count: 3 }, { pid: 1, command: "a", remote: "y:2", count: 2 }], cloudLlm: [] },
      fds: [{ pid: 2, command: "b", open: 600, limit: 1000 }, { pid: 3, command: "c", open: 500, limit: 1000 }],
      processes: { zombies: [{ pid: 9, ppid: 1, command: "[sh] <defunct>" }], orphans: [], duplicates: [], stale: [] },
    });
    const t = { closeWaitPerProcess: 5, fdPercent: 50, zombies: true, endpointDown: false };
    expect(evaluate(s, t).map((w) => `${w.kind}:${w.pid}`)).toEqual(["fds:2", "zombie:9"]); // 3+2 = 5 is not above 5
    expect(evaluate(s, { ...t, closeWaitPerProcess: 4, zombies: false }).map((w) => `${w.kind}:${w.pid}`)).toEqual(["close-wait:1", "fds:2"]);
  });

  it("keeps the probe's other warnings but lets the editor decide CLOSE-WAIT and FD ones", () => {
    const s = base({
      warnings: [
        { kind: "close_wait", message: "probe's own", pid: 1 },
        { kind: "duplicate", message: "9 copies of the same command", pid: 5 },
      ],
    });
    expect(evaluate(s, DEFAULT_THRESHOLDS).map((w) => w.kind)).toEqual(["duplicate"]);
  });

  it("never throws on garbage from the wire", () => {
    for (const raw of [null, 42, "x", [], { sockets: 5, fds: "no", processes: null, endpoints: {} }]) {
      const s = normaliseSample(raw);
      expect(closeWaitTotal(s)).toBe(0);
      expect(() => buildHealthNodes(s, evaluate(s, DEFAULT_THRESHOLDS), DEFAULT_THRESHOLDS)).not.toThrow();
      expect(statusText(s, [])).toBe("$(pulse) CLOSE-WAIT 0");
    }
  });
});

describe("amber only for the user's own processes", () => {
  it("a real process of another uid (nobody, 65534) crossing a threshold does not count; one of ours does", async () => {
    const myUid = process.getuid!();
    expect(myUid, "spawning as another uid needs root (the build machine runs as root)").toBe(0);
    const other = spawn("sleep", ["30"], { uid: 65534, gid: 65534, stdio: "ignore", detached: true });
    const mine = spawn("sleep", ["30"], { stdio: "ignore", detached: true });
    try {
      await new Promise((r) => setTimeout(r, 100));
      expect(procOwnerUid(other.pid!)).toBe(65534);
      expect(procOwnerUid(mine.pid!)).toBe(myUid);
      const s = base({
        sockets: { byState: {}, closeWait: [{ pid: other.pid!, command: "sleep", remote: "x:1", count: 80 }, { pid: mine.pid!, command: "sleep", remote: "y:2", count: 60 }, { pid: null, command: "", remote: "z:3", count: 70 }], cloudLlm: [] },
      });
      const warnings = evaluate(s, DEFAULT_THRESHOLDS);
      expect(warnings.map((w) => w.pid ?? null)).toEqual([other.pid, null, mine.pid]);
      const own = warnings.filter((w) => isOwnWarning(w, myUid, procOwnerUid));
      expect(own.map((w) => w.pid)).toEqual([mine.pid]);
      expect(statusText(s, own)).toMatch(/^\$\(warning\) /);
      // Only the other user's (and the unattributed) sockets: shown in the tree, not amber.
      const onlyOther = warnings.filter((w) => w.pid !== mine.pid);
      expect(onlyOther.filter((w) => isOwnWarning(w, myUid, procOwnerUid))).toEqual([]);
      // A process that is gone, or a platform without uids, counts as the user's (never hide a warning by mistake).
      expect(isOwnWarning({ kind: "fds", message: "x", pid: 2 ** 22 + 12345 }, myUid, procOwnerUid)).toBe(true);
      expect(isOwnWarning({ kind: "fds", message: "x", pid: other.pid! }, -1, procOwnerUid)).toBe(true);
    } finally {
      for (const c of [other, mine]) {
        try {
          process.kill(-c.pid!, "SIGKILL");
        } catch {
          /* gone */
        }
      }
    }
  });
});

describe("Host Health nodes", () => {
  it("have endpoints, sockets, file descriptors and processes with evidence and actions", () => {
    const s = base({
      sockets: { byState: { CLOSE_WAIT: 3, ESTABLISHED: 1 }, closeWait: [{ pid: 77, command: "/usr/bin/node /srv/agent/watcher.js", remote: "127.0.0.1:11434", count: 3 }], cloudLlm: [{ pid: 77, command: "node watcher.js", remote: "104.18.2.115:443", host: "openrouter.ai" }] },
      processes: { zombies: [], orphans: [{ pid: 88, ppid: 1, command: "node vitest/forks.js" }], duplicates: [{ command: "python3 poll.py", count: 2, pids: [5, 6] }] as never, stale: [] },
    });
    const w = evaluate(s, { ...DEFAULT_THRESHOLDS, closeWaitPerProcess: 2 });
    const nodes = buildHealthNodes(s, w, { ...DEFAULT_THRESHOLDS, closeWaitPerProcess: 2 });
    expect(nodes.map((n) => n.label)).toEqual(["Warnings", "Endpoints", "Sockets", "File descriptors", "Processes"]);
    const proc = find(nodes, (n) => n.id === "sockets/close-wait/77")!;
    expect(proc).toMatchObject({ label: "node watcher.js (PID 77)", description: "3 CLOSE-WAIT", icon: "warning", pid: 77, contextValue: "ghostwatch.process" });
    expect(proc.evidence).toContain("3 × CLOSE-WAIT to 127.0.0.1:11434");
    expect(find(nodes, (n) => n.label === "openrouter.ai")?.pid).toBe(77);
    const ollama = find(nodes, (n) => n.id === "ep/0")!;
    expect(ollama.description).toBe("✓ 12 ms http://127.0.0.1:11434");
    expect(find(ollama.children!, (n) => n.label === "gpt-oss:120b-cloud")?.icon).toBe("cloud");
    const dup = find(nodes, (n) => n.id.startsWith("processes/duplicates/0"))!;
    expect(dup.children?.map((c) => c.pid)).toEqual([5, 6]);
    expect(find(nodes, (n) => n.id === "processes/orphans/88")?.contextValue).toBe("ghostwatch.process");
    // ids are unique (VS Code rejects duplicate tree ids)
    const ids: string[] = [];
    const walk = (l: HealthNode[]) => l.forEach((n) => (ids.push(n.id), walk(n.children ?? [])));
    walk(nodes);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("shorten commands to what a user recognises", () => {
    expect(shortCommand("/usr/bin/node --require /x/hook.cjs /srv/agent/dist/watcher.js --flag")).toBe("node watcher.js");
    expect(shortCommand("/usr/bin/node -e const net = require('net')")).toBe("node -e");
    expect(shortCommand("python3 -m uvicorn app:api")).toBe("python3 -m uvicorn");
    expect(shortCommand("/opt/ollama/bin/ollama serve")).toBe("ollama");
    expect(shortCommand("")).toBe("");
  });
});

describe("a real sample from this host", () => {
  const accepted: net.Socket[] = [];
  let server: net.Server;
  let holderPid = 0;
  let stopHolder: () => void = () => undefined;

  beforeAll(async () => {
    server = net.createServer((s) => {
      accepted.push(s);
      s.end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as net.AddressInfo).port;
    const child = spawn(process.execPath, ["-e", `const n=require("node:net");let k=0;for(let i=0;i<2;i++){const c=n.connect({port:${port},host:"127.0.0.1",allowHalfOpen:true});c.on("error",()=>{});c.on("end",()=>{if(++k===2)console.log("ready")})}setInterval(()=>{},1e9)`], { stdio: ["ignore", "pipe", "inherit"] });
    holderPid = child.pid!;
    stopHolder = () => child.kill("SIGKILL");
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("no CLOSE-WAIT")), 10_000);
      child.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && (clearTimeout(t), resolve()));
    });
  });

  afterAll(async () => {
    stopHolder();
    for (const s of accepted) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it("puts the process holding CLOSE-WAIT sockets into the tree, the status bar and the history", async () => {
    const snap = await sampleOnce({ endpoints: [] });
    const s = normaliseSample(snap);
    const t = { ...DEFAULT_THRESHOLDS, closeWaitPerProcess: 1 };
    const w = evaluate(s, t);
    expect(w.some((x) => x.kind === "close-wait" && x.pid === holderPid)).toBe(true);
    const node = find(buildHealthNodes(s, w, t), (n) => n.id === `sockets/close-wait/${holderPid}`);
    expect(node?.description).toBe("2 CLOSE-WAIT");
    expect(node?.label).toBe(`node -e (PID ${holderPid})`);
    expect(statusText(s, w)).toMatch(/^\$\(warning\) CLOSE-WAIT \d+$/);
    const p = toPoint(s, w.length);
    expect(p.closeWait).toBeGreaterThanOrEqual(2);
    expect(p.latencyMs).toBeNull();
  });
});

void path;
