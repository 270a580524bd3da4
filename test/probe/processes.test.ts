/**
 * Real processes: a zombie, two duplicates, a stale script, a process near its FD limit
 * (`ulimit -n` in a child shell), an orphaned test runner, and a spawn storm during sampling.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killPid, killTracked, probe, procState, startReady, tempDir, track, waitFor, ROOT } from "./helpers.js";

const dir = tempDir("gw-proc-");
const marker = `gw-marker-${process.pid}-${Date.now()}`;
let zombieParent: ChildProcess;
let zombiePid = 0;
let dupA: ChildProcess;
let dupB: ChildProcess;
let stale: ChildProcess;
let fdHog: ChildProcess;
let orphanPid = 0;
const script = path.join(dir, "agent-loop.mjs");

function childrenOf(ppid: number): number[] {
  return fs
    .readdirSync("/proc")
    .filter((n) => /^\d+$/.test(n))
    .filter((n) => {
      try {
        const s = fs.readFileSync(`/proc/${n}/stat`, "utf8");
        return Number(s.slice(s.lastIndexOf(")") + 2).split(" ")[1]) === ppid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

beforeAll(async () => {
  // Zombie: `true` exits in the background; its parent becomes `sleep`, which never wait()s.
  zombieParent = track("/bin/sh", ["-c", "true & exec sleep 60"]);
  zombiePid = await waitFor(() => childrenOf(zombieParent.pid!).find((p) => procState(p) === "Z"), 10_000);

  // Duplicates: the same command line twice in the same directory.
  const dupCode = `setInterval(() => {}, 1000); console.log("ready") // ${marker}`;
  [dupA, dupB] = await Promise.all([startReady(process.execPath, ["-e", dupCode], { cwd: dir }), startReady(process.execPath, ["-e", dupCode], { cwd: dir })]);

  // Stale: the script changes on disk after the process started.
  fs.writeFileSync(script, `setInterval(() => {}, 1000); console.log("ready");\n`);
  stale = await startReady(process.execPath, [script], { cwd: dir });
  const later = Date.now() / 1000 + 30;
  fs.appendFileSync(script, "// edited after start\n");
  fs.utimesSync(script, later, later);

  // Near the FD limit: soft limit 64, open files until exactly 40 descriptors are open (62.5 %).
  const hogCode = `const fs=require("fs"); while (fs.readdirSync("/proc/self/fd").length - 1 < 40) fs.openSync("/dev/null","r"); console.log("ready"); setInterval(()=>{},1000);`;
  fdHog = await startReady("/bin/sh", ["-c", `ulimit -n 64 && exec "${process.execPath}" -e '${hogCode}'`]);

  // Orphan: a "vitest" runner whose parent shell exits immediately.
  const sh = track("/bin/sh", ["-c", `"${process.execPath}" -e 'setInterval(()=>{},1000)' vitest ${marker}-orphan >/dev/null 2>&1 & echo $!`]);
  let out = "";
  sh.stdout!.on("data", (d) => (out += d));
  await new Promise((r) => sh.on("close", r));
  orphanPid = Number(out.trim());
  await waitFor(() => procState(orphanPid) !== undefined && fs.readFileSync(`/proc/${orphanPid}/cmdline`, "utf8").includes("-orphan"), 5000);
}, 40_000);

afterAll(() => {
  killPid(orphanPid);
  killTracked();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("process findings on the real kernel", () => {
  it("reports the zombie per parent, duplicates, the stale script, the FD hog and the orphan", async () => {
    const scope = [zombieParent.pid, dupA.pid, dupB.pid, stale.pid, fdHog.pid, orphanPid].join(",");
    const r = await probe(["--json", "--no-endpoints", "--pid", scope, "--duplicate-min-age", "0"]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    // zombie
    expect(s.processes.zombies).toContainEqual(expect.objectContaining({ pid: zombiePid, ppid: zombieParent.pid }));
    expect(s.processes.zombies[0].parentCommand).toContain("sleep 60");
    expect(s.warnings).toContainEqual(expect.objectContaining({ kind: "zombie", pid: zombieParent.pid }));
    // duplicates
    const dup = s.processes.duplicates.find((d: { pids: number[] }) => d.pids.includes(dupA.pid!));
    expect(dup).toBeDefined();
    expect(dup.pids.sort()).toEqual([dupA.pid, dupB.pid].sort());
    expect(dup.cwd).toBe(fs.realpathSync(dir));
    expect(s.warnings).toContainEqual(expect.objectContaining({ kind: "duplicate" }));
    // stale script
    expect(s.processes.stale).toContainEqual(expect.objectContaining({ pid: stale.pid, reason: "script-changed", file: script }));
    // FD limit via ulimit -n
    const hog = s.fds.find((f: { pid: number }) => f.pid === fdHog.pid);
    expect(hog).toMatchObject({ limit: 64 });
    expect(hog.open).toBeGreaterThanOrEqual(40); // node may open one or two more (stdout handle) after that
    expect(hog.open).toBeLessThan(45);
    expect(hog.ratio).toBeCloseTo(hog.open / 64, 3);
    expect(s.warnings).toContainEqual(expect.objectContaining({ kind: "fd_limit", pid: fdHog.pid, severity: "warning" }));
    // orphan (parent gone, matches the "vitest" watch pattern)
    expect(s.processes.orphans).toContainEqual(expect.objectContaining({ pid: orphanPid, pattern: "vitest" }));
    // duplicates a test creates are young: by default (min age 120 s) listed, not warned
    const young = JSON.parse((await probe(["--json", "--no-endpoints", "--pid", `${dupA.pid},${dupB.pid}`])).stdout);
    expect(young.processes.duplicates).toHaveLength(1);
    expect(young.warnings.filter((w: { kind: string }) => w.kind === "duplicate")).toEqual([]);
  });

  it("--check exit codes per threshold: zombie, FD warning/critical, OK when ignored", async () => {
    const z = String(zombieParent.pid);
    const f = String(fdHog.pid);
    const [zombie, zombieIgnored, fdWarn, fdCrit, fdOk] = await Promise.all([
      probe(["--check", "--no-endpoints", "--pid", z]),
      probe(["--check", "--no-endpoints", "--pid", z, "--ignore", "zombie"]),
      probe(["--check", "--no-endpoints", "--pid", f]),
      probe(["--check", "--no-endpoints", "--pid", f, "--fd-crit", "55"]),
      probe(["--check", "--no-endpoints", "--pid", f, "--fd-warn", "95", "--fd-crit", "99"]),
    ]);
    expect([zombie.code, zombieIgnored.code, fdWarn.code, fdCrit.code, fdOk.code]).toEqual([1, 0, 1, 2, 0]);
    expect(zombie.stdout).toMatch(/^GHOSTWATCH WARNING - .*zombie/);
    expect(fdCrit.stdout).toMatch(/^GHOSTWATCH CRITICAL - .*file descriptors/);
  });

  it("usage errors are Nagios UNKNOWN (3)", async () => {
    const r = await probe(["--check", "--fd-warn", "150"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/percentage/);
  });

  it("a spawn storm of short-lived children during sampling never crashes it", async () => {
    const { sampleOnce } = await import(path.join(ROOT, "dist/server/probe/sample.js"));
    const storm = track("/bin/sh", ["-c", "i=0; while [ $i -lt 400 ]; do (true &) ; i=$((i+1)); done"]);
    try {
      const snaps = [];
      for (let i = 0; i < 5; i++) snaps.push(await sampleOnce({ endpoints: [], resolveCloudHosts: false, socketBackend: "proc" }));
      for (const s of snaps) expect(s.processes.total).toBeGreaterThan(0);
    } finally {
      killPid(storm.pid);
    }
  });
});
