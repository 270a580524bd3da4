/**
 * Probe ownership: use the probe that already serves for this user, else start one and
 * own it. N windows → one probe; nothing left running after the last window closes.
 *
 * Every window holds a *lease*: a file `<stateDir>/extension-leases/<extension-host PID>`.
 * A probe the extension starts runs `probe-entry.js`, which serves and watches the lease
 * folder: once no lease belongs to a live process, it stops itself. So the probe outlives
 * the window that started it while another window uses it, and stops after the last one
 * closes — even when a window's extension host dies without `deactivate`.
 * A probe the user started (`ghostwatch probe --serve`) is used, never stopped.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";

export interface ServingProbe {
  url: string;
  pid?: number;
  port?: number;
}

export interface ProbeHandle extends ServingProbe {
  /** True when this extension (some window of it) started the probe. */
  owned: boolean;
  /** True when this window spawned it. */
  startedHere: boolean;
}

export interface OwnerFile {
  pid: number;
  port: number;
  startedAt: string;
  by: number;
}

export interface ProbeOwnerOptions {
  stateDir: string;
  /** Absolute path of the bundled probe entry (`dist/probe.mjs`). */
  probeEntry: string;
  /** Node executable (the extension host's, with ELECTRON_RUN_AS_NODE). */
  nodePath?: string;
  /** Finds a probe serving for this user (the probe's own `findServingProbe`). */
  findServing: () => Promise<ServingProbe | undefined>;
  /** Extra CLI args for `ghostwatch probe --serve` (interval, endpoints…). */
  probeArgs?: string[];
  log?: (line: string) => void;
  /** How long to wait for a spawned probe to serve. */
  startTimeoutMs?: number;
  /** The lease holder; defaults to this process. */
  holderPid?: number;
}

export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function leaseDir(stateDir: string): string {
  return path.join(stateDir, "extension-leases");
}

export function ownerFilePath(stateDir: string): string {
  return path.join(stateDir, "extension-probe.json");
}

export function readOwnerFile(stateDir: string): OwnerFile | undefined {
  try {
    const o = JSON.parse(fs.readFileSync(ownerFilePath(stateDir), "utf8")) as OwnerFile;
    return typeof o.pid === "number" ? o : undefined;
  } catch {
    return undefined;
  }
}

/** Live lease holders; removes the leases of processes that are gone. */
export function liveLeases(stateDir: string): number[] {
  const dir = leaseDir(stateDir);
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const live: number[] = [];
  for (const n of names) {
    const pid = Number(n);
    if (pidAlive(pid)) live.push(pid);
    else {
      try {
        fs.unlinkSync(path.join(dir, n));
      } catch {
        /* someone else removed it */
      }
    }
  }
  return live;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ProbeOwner {
  private handle: ProbeHandle | undefined;
  private readonly holder: number;

  constructor(private readonly opts: ProbeOwnerOptions) {
    this.holder = opts.holderPid ?? process.pid;
  }

  get current(): ProbeHandle | undefined {
    return this.handle;
  }

  private log(line: string): void {
    this.opts.log?.(line);
  }

  private writeLease(): void {
    const dir = leaseDir(this.opts.stateDir);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(dir, String(this.holder)), new Date().toISOString());
  }

  private removeLease(): void {
    try {
      fs.unlinkSync(path.join(leaseDir(this.opts.stateDir), String(this.holder)));
    } catch {
      /* already gone */
    }
  }

  private asHandle(p: ServingProbe, startedHere: boolean): ProbeHandle {
    const owner = readOwnerFile(this.opts.stateDir);
    const owned = !!owner && (owner.pid === p.pid || (p.port !== undefined && owner.port === p.port)) && pidAlive(owner.pid);
    return { ...p, pid: p.pid ?? (owned ? owner!.pid : undefined), owned, startedHere };
  }

  /** Finds or starts the probe; holds a lease on it either way. */
  async acquire(): Promise<ProbeHandle> {
    this.writeLease();
    const existing = await this.opts.findServing().catch(() => undefined);
    if (existing) {
      this.handle = this.asHandle(existing, false);
      this.log(`using the probe already serving at ${existing.url} (PID ${existing.pid ?? "?"}${this.handle.owned ? ", started by a Ghostwatch window" : ", not ours: never stopped by the extension"})`);
      return this.handle;
    }
    const port = 0; // the probe picks a free port and records it in its state file
    const node = this.opts.nodePath ?? process.execPath;
    const args = [this.opts.probeEntry, "--port", String(port), "--state-dir", this.opts.stateDir, ...(this.opts.probeArgs ?? [])];
    fs.mkdirSync(this.opts.stateDir, { recursive: true, mode: 0o700 });
    const logFd = fs.openSync(path.join(this.opts.stateDir, "extension-probe.log"), "a");
    this.log(`starting a probe: ${node} ${args.join(" ")}`);
    const child = spawn(node, args, {
      detached: true, // outlives this window while other windows hold leases
      stdio: ["ignore", logFd, logFd],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: "1", GHOSTWATCH_STATE_DIR: this.opts.stateDir },
      windowsHide: true,
    });
    fs.closeSync(logFd);
    child.unref();
    let exited: number | null | undefined;
    child.once("exit", (code) => (exited = code));
    const deadline = Date.now() + (this.opts.startTimeoutMs ?? 15_000);
    while (Date.now() < deadline) {
      await sleep(250);
      const serving = await this.opts.findServing().catch(() => undefined);
      if (serving) {
        // It may be ours or another window's that won the single-instance lock: either is fine.
        this.handle = this.asHandle(serving, serving.pid === child.pid || serving.port === port);
        this.log(`probe serving at ${serving.url} (PID ${serving.pid ?? child.pid})`);
        return this.handle;
      }
      if (exited !== undefined) {
        // Lost a race for the lock, or the probe failed: look once more, then give up.
        const other = await this.opts.findServing().catch(() => undefined);
        if (other) {
          this.handle = this.asHandle(other, false);
          return this.handle;
        }
        throw new Error(`the probe exited with code ${exited}; see ${path.join(this.opts.stateDir, "extension-probe.log")}`);
      }
    }
    if (child.pid && pidAlive(child.pid)) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        /* gone */
      }
    }
    throw new Error(`the probe did not serve within ${this.opts.startTimeoutMs ?? 15_000} ms`);
  }

  /**
   * Drops this window's lease. When no other window holds one, stops the probe the
   * extension started (never a probe the user started). Returns the PID it stopped.
   */
  async release(): Promise<number | undefined> {
    this.removeLease();
    const others = liveLeases(this.opts.stateDir).filter((p) => p !== this.holder);
    const owner = readOwnerFile(this.opts.stateDir);
    this.handle = undefined;
    if (others.length || !owner || !pidAlive(owner.pid)) return undefined;
    try {
      process.kill(-owner.pid, "SIGTERM"); // its own process group (spawned detached)
    } catch {
      try {
        process.kill(owner.pid, "SIGTERM");
      } catch {
        return undefined;
      }
    }
    this.log(`stopped the probe this extension started (PID ${owner.pid}): no window uses it any more`);
    return owner.pid;
  }
}
