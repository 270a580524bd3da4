/**
 * Single instance per user: an OS-held lock plus a state file with the owner's PID and port.
 *  - Linux: a listening socket in the abstract namespace ("\0ghostwatch-probe-<uid>-<hash of state dir>").
 *    Binding is atomic and the kernel releases it the moment the owner dies (SIGKILL included):
 *    no stale lock, no heartbeat a CPU-starved owner could miss, no PID race.
 *  - Windows: a named pipe (same properties).
 *  - macOS/other: proper-lockfile (atomic mkdir + mtime heartbeat); a killed owner's lock is
 *    taken over once its heartbeat is older than LOCK_STALE_MS.
 * `findServingProbe()` is the discovery API for the VS Code extension and other clients.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import lockfile from "proper-lockfile";

export interface ServingProbe {
  pid: number;
  port: number;
  url: string;
}

interface StateFile extends ServingProbe {
  startedAt: string;
  version: string;
}

/** proper-lockfile backend: lock considered stale when its heartbeat is older than this (ms). */
export const LOCK_STALE_MS = 30_000;

/** Per-user state directory: $GHOSTWATCH_STATE_DIR, else $XDG_RUNTIME_DIR/ghostwatch, else os.tmpdir()/ghostwatch-<uid>. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GHOSTWATCH_STATE_DIR) return env.GHOSTWATCH_STATE_DIR;
  if (env.XDG_RUNTIME_DIR) return path.join(env.XDG_RUNTIME_DIR, "ghostwatch");
  const uid = process.getuid?.() ?? os.userInfo().username;
  return path.join(os.tmpdir(), `ghostwatch-${uid}`);
}

function ensureDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
}

const statePath = (dir: string) => path.join(dir, "probe.json");
const lockTarget = (dir: string) => path.join(dir, "probe");
const lockPath = (dir: string) => path.join(dir, "probe.lock");

export function readState(dir = stateDir()): StateFile | undefined {
  try {
    const s = JSON.parse(fs.readFileSync(statePath(dir), "utf8")) as StateFile;
    if (Number.isInteger(s.pid) && Number.isInteger(s.port)) return s;
  } catch {
    /* absent or half-written */
  }
  return undefined;
}

export function writeState(state: StateFile, dir = stateDir()): void {
  ensureDir(dir);
  const tmp = `${statePath(dir)}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
  fs.renameSync(tmp, statePath(dir));
}

export function removeStateIfOurs(dir = stateDir()): void {
  const s = readState(dir);
  if (s && s.pid === process.pid) fs.rmSync(statePath(dir), { force: true });
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** GET /health on loopback; resolves with the answering probe's PID (header), or undefined. */
function healthPid(port: number, timeoutMs: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/health", agent: false, headers: { host: `127.0.0.1:${port}`, connection: "close" } }, (res) => {
      const pid = Number(res.headers["x-ghostwatch-pid"]);
      res.resume();
      res.on("end", () => resolve(res.statusCode === 200 && pid ? pid : undefined));
      res.on("error", () => resolve(undefined));
    });
    req.setTimeout(timeoutMs, () => req.destroy());
    req.on("error", () => resolve(undefined));
  });
}

/** The probe serving for this user, if one is alive and answers /health. */
export async function findServingProbe(opts: { timeoutMs?: number; dir?: string } = {}): Promise<ServingProbe | undefined> {
  const s = readState(opts.dir ?? stateDir());
  if (!s || !pidAlive(s.pid)) return undefined;
  const pid = await healthPid(s.port, opts.timeoutMs ?? 3000);
  if (pid !== s.pid) return undefined;
  return { pid: s.pid, port: s.port, url: `http://127.0.0.1:${s.port}` };
}

export type LockResult =
  | { kind: "acquired"; release: () => Promise<void> }
  | { kind: "serving"; probe: ServingProbe }
  | { kind: "busy"; message: string };

/** Name of the OS lock for a state directory (abstract socket on Linux, named pipe on Windows). */
export function osLockName(dir: string): string | undefined {
  const id = `${process.getuid?.() ?? os.userInfo().username}-${createHash("sha256").update(path.resolve(dir)).digest("hex").slice(0, 16)}`;
  if (process.platform === "linux") return `\0ghostwatch-probe-${id}`;
  if (process.platform === "win32") return `\\\\.\\pipe\\ghostwatch-probe-${id}`;
  return undefined;
}

/** Try to hold the OS lock: resolves with a release function, or "held" when another process has it. */
function tryOsLock(name: string): Promise<(() => Promise<void>) | "held"> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((sock) => sock.end(`${JSON.stringify({ pid: process.pid })}\n`));
    server.once("error", (e: NodeJS.ErrnoException) => (e.code === "EADDRINUSE" ? resolve("held") : reject(e)));
    server.listen({ path: name, exclusive: true }, () => {
      server.unref();
      resolve(() => new Promise<void>((r) => server.close(() => r())));
    });
  });
}

async function tryLock(dir: string, onCompromised: (err: Error) => void): Promise<(() => Promise<void>) | "held"> {
  const name = osLockName(dir);
  if (name) return tryOsLock(name);
  try {
    return await lockfile.lock(lockTarget(dir), { realpath: false, lockfilePath: lockPath(dir), stale: LOCK_STALE_MS, update: 5000, onCompromised });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ELOCKED") return "held";
    throw e;
  }
}

/**
 * Take the per-user serve lock. When another live probe holds it, wait (up to `waitMs`) until it
 * answers /health and report it.
 */
export async function acquireServeLock(opts: { waitMs?: number; dir?: string; onCompromised?: (err: Error) => void } = {}): Promise<LockResult> {
  const dir = opts.dir ?? stateDir();
  ensureDir(dir);
  const deadline = Date.now() + (opts.waitMs ?? 30_000);
  const onCompromised =
    opts.onCompromised ??
    ((err: Error) => {
      process.stderr.write(`ghostwatch probe: serve lock compromised (${err.message}); exiting\n`);
      process.exit(3);
    });
  for (;;) {
    let got: (() => Promise<void>) | "held";
    try {
      got = await tryLock(dir, onCompromised);
    } catch (e) {
      return { kind: "busy", message: `cannot take the serve lock for ${dir}: ${(e as Error).message}` };
    }
    if (got !== "held") return { kind: "acquired", release: got };
    const probe = await findServingProbe({ dir, timeoutMs: 5000 });
    if (probe) return { kind: "serving", probe };
    if (Date.now() > deadline) {
      const s = readState(dir);
      return { kind: "busy", message: `another probe holds the serve lock for ${dir}${s ? ` (PID ${s.pid}, port ${s.port})` : ""} but does not answer` };
    }
    await new Promise((r) => setTimeout(r, 200 + Math.random() * 200));
  }
}
