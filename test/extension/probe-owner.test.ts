/**
 * Probe ownership with real processes: N windows → one probe; the probe outlives the window
 * that started it while another window holds a lease; it stops after the last window
 * (release, or a window that died without saying goodbye); a probe the user started is
 * used and never stopped. "Windows" are real processes (lease holders), the probe is the
 * bundled `extension/probe-entry.ts`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as esbuild from "esbuild";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { liveLeases, ownerFilePath, pidAlive, ProbeOwner, readOwnerFile } from "../../extension/probe-owner.js";
import { findServingProbe } from "../../server/probe/instance.js";

const ROOT = path.resolve(__dirname, "..", "..");
let tmp = "";
let probeEntry = "";
let userProbeEntry = "";
const started: ChildProcess[] = [];
const extraPids = new Set<number>();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(pred: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (pred()) return true;
    await sleep(100);
  }
  return pred();
}

/** A stand-in for a VS Code window's extension host: a live process holding a lease. */
function windowProcess(): ChildProcess {
  const c = spawn(process.execPath, ["-e", "setInterval(() => {}, 1e9)"], { stdio: "ignore" });
  started.push(c);
  return c;
}

function owner(stateDir: string, holder: ChildProcess): ProbeOwner {
  return new ProbeOwner({
    stateDir,
    probeEntry,
    nodePath: process.execPath,
    holderPid: holder.pid!,
    findServing: () => findServingProbe({ dir: stateDir, timeoutMs: 2000 }),
    probeArgs: ["--no-endpoints", "--interval", "1000"],
    startTimeoutMs: 20_000,
  });
}

function killHard(pid: number | undefined): void {
  if (!pid) return;
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, "SIGKILL");
    } catch {
      /* gone */
    }
  }
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gw-owner-"));
  probeEntry = path.join(tmp, "probe.mjs");
  userProbeEntry = path.join(tmp, "user-probe.mjs");
  const banner = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";
  const userSrc = path.join(tmp, "user-probe.ts");
  fs.writeFileSync(userSrc, `import { Command } from "commander";\nimport { registerProbeCommand } from ${JSON.stringify(path.join(ROOT, "server/probe/command.ts"))};\nconst p = new Command("ghostwatch");\nregisterProbeCommand(p);\nawait p.parseAsync(["node", "ghostwatch", "probe", ...process.argv.slice(2)]);\n`);
  await Promise.all([
    esbuild.build({ entryPoints: [path.join(ROOT, "extension/probe-entry.ts")], outfile: probeEntry, bundle: true, platform: "node", format: "esm", target: "node20", banner: { js: banner }, logLevel: "error" }),
    esbuild.build({ entryPoints: [userSrc], outfile: userProbeEntry, bundle: true, platform: "node", format: "esm", target: "node20", banner: { js: banner }, logLevel: "error", nodePaths: [path.join(ROOT, "node_modules")] }),
  ]);
  process.env.GHOSTWATCH_LEASE_CHECK_MS = "300"; // inherited by the probes ProbeOwner spawns
}, 60_000);

afterEach(async () => {
  for (const c of started.splice(0)) killHard(c.pid);
  for (const pid of extraPids) killHard(pid);
  extraPids.clear();
});

afterAll(() => {
  delete process.env.GHOSTWATCH_LEASE_CHECK_MS;
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("probe ownership", () => {
  it("N windows share one probe; it outlives the first window and stops after the last", async () => {
    const stateDir = fs.mkdtempSync(path.join(tmp, "state-"));
    const w1 = windowProcess();
    const w2 = windowProcess();
    const w3 = windowProcess();
    const [o1, o2, o3] = [owner(stateDir, w1), owner(stateDir, w2), owner(stateDir, w3)];
    const h1 = await o1.acquire();
    extraPids.add(h1.pid!);
    expect(h1).toMatchObject({ owned: true, startedHere: true });
    expect(readOwnerFile(stateDir)?.pid).toBe(h1.pid);
    const [h2, h3] = await Promise.all([o2.acquire(), o3.acquire()]);
    expect(h2.pid).toBe(h1.pid);
    expect(h3.pid).toBe(h1.pid);
    expect(h2).toMatchObject({ owned: true, startedHere: false });
    expect(liveLeases(stateDir).sort()).toEqual([w1.pid, w2.pid, w3.pid].sort());

    // The window that started it closes: the probe stays for the others.
    expect(await o1.release()).toBeUndefined();
    await sleep(1200); // several lease checks
    expect(pidAlive(h1.pid!)).toBe(true);
    // A window dies without deactivate: its lease is dropped as stale.
    killHard(w2.pid);
    expect(await until(() => !liveLeases(stateDir).includes(w2.pid!), 3000)).toBe(true);
    expect(pidAlive(h1.pid!)).toBe(true);
    // The last window closes: it stops the probe; nothing is left.
    expect(await o3.release()).toBe(h1.pid);
    expect(await until(() => !pidAlive(h1.pid!), 8000)).toBe(true);
    expect(fs.existsSync(ownerFilePath(stateDir))).toBe(false);
    expect(fs.existsSync(path.join(stateDir, "probe.json"))).toBe(false);
    expect(await findServingProbe({ dir: stateDir })).toBeUndefined();
  }, 60_000);

  it("stops by itself when every window died without saying goodbye", async () => {
    const stateDir = fs.mkdtempSync(path.join(tmp, "state-"));
    const w = windowProcess();
    const h = await owner(stateDir, w).acquire();
    extraPids.add(h.pid!);
    expect(h.owned).toBe(true);
    killHard(w.pid); // the extension host crashes: no release()
    expect(await until(() => !pidAlive(h.pid!), 8000)).toBe(true);
    expect(fs.existsSync(ownerFilePath(stateDir))).toBe(false);
  }, 60_000);

  it("uses a probe the user started and never stops it", async () => {
    const stateDir = fs.mkdtempSync(path.join(tmp, "state-"));
    const user = spawn(process.execPath, [userProbeEntry, "--serve", "--no-endpoints", "--interval", "1000"], { stdio: "ignore", env: { ...process.env, GHOSTWATCH_STATE_DIR: stateDir }, detached: true });
    extraPids.add(user.pid!);
    expect(await until(() => fs.existsSync(path.join(stateDir, "probe.json")), 15_000)).toBe(true);
    const w = windowProcess();
    const o = owner(stateDir, w);
    const h = await o.acquire();
    expect(h).toMatchObject({ pid: user.pid, owned: false, startedHere: false });
    expect(await o.release()).toBeUndefined();
    await sleep(1000);
    expect(pidAlive(user.pid!)).toBe(true);
  }, 60_000);
});
