/**
 * Single instance per user: an OS-held lock plus a state file with the owner's PID and port, both
 * inside a private state directory (owned by the user, mode 0700) that no other user can enter.
 *  - The lock is a Unix-domain socket `probe.sock` in that directory (a named pipe on Windows).
 *    Binding is atomic; another user cannot bind, connect to or even see it (unlike an abstract
 *    name, which is global and listed in /proc/net/unix). A socket left by a killed owner refuses
 *    connections: it is taken over under a short `mkdir` mutex, so two starters never both take it.
 *  - The state directory is `$GHOSTWATCH_STATE_DIR`, else `$XDG_RUNTIME_DIR/ghostwatch`, else
 *    `os.tmpdir()/ghostwatch-<uid>`; it is used only when it is a real directory (not a symlink),
 *    owned by the user, with no group/other access — created so when absent, refused with a
 *    clear message otherwise (a planted directory in /tmp is never trusted).
 *  - `probe.json` is written to a fresh `O_EXCL | O_NOFOLLOW` temp file and renamed into place;
 *    discovery ignores a state file that is a symlink, not a regular file, or not owned by the user.
 * `findServingProbe()` is the discovery API for the VS Code extension and other clients.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

export interface ServingProbe {
  pid: number;
  port: number;
  url: string;
}

interface StateFile extends ServingProbe {
  startedAt: string;
  version: string;
}

/** A takeover mutex older than this (ms) belongs to a starter that died mid-takeover. */
export const TAKEOVER_STALE_MS = 10_000;

const myUid = (): number | undefined => process.getuid?.();

/** Per-user state directory: $GHOSTWATCH_STATE_DIR, else $XDG_RUNTIME_DIR/ghostwatch, else os.tmpdir()/ghostwatch-<uid>. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GHOSTWATCH_STATE_DIR) return env.GHOSTWATCH_STATE_DIR;
  if (env.XDG_RUNTIME_DIR) return path.join(env.XDG_RUNTIME_DIR, "ghostwatch");
  const uid = myUid() ?? os.userInfo().username;
  return path.join(os.tmpdir(), `ghostwatch-${uid}`);
}

export class UnsafeStateDirError extends Error {}

/** Why `dir` may not hold our state, or undefined when it is a private directory of ours. */
export function privateDirProblem(dir: string): string | undefined {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(dir);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ENOENT" ? "it does not exist" : (e as Error).message;
  }
  if (st.isSymbolicLink()) return "it is a symbolic link";
  if (!st.isDirectory()) return "it is not a directory";
  const uid = myUid();
  if (uid === undefined) return undefined; // Windows: per-user profile directories, no POSIX owner
  if (st.uid !== uid) return `it is owned by uid ${st.uid}, not ${uid}`;
  if ((st.mode & 0o077) !== 0) return `its mode is ${(st.mode & 0o777).toString(8)}, not 700`;
  return undefined;
}

/**
 * Make sure `dir` is a private directory of ours: create it (mode 0700) when absent; throw
 * UnsafeStateDirError when it exists and is someone else's, a symlink, or open to others.
 */
export function ensurePrivateDir(dir: string): void {
  try {
    fs.mkdirSync(path.dirname(dir), { recursive: true, mode: 0o700 });
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw new UnsafeStateDirError(`cannot create the state directory ${dir}: ${(e as Error).message}`);
  }
  const problem = privateDirProblem(dir);
  if (problem)
    throw new UnsafeStateDirError(
      `refusing to use the state directory ${dir}: ${problem}. Another user may have planted it; remove it, or set XDG_RUNTIME_DIR or GHOSTWATCH_STATE_DIR to a directory only you can write`,
    );
}

const statePath = (dir: string) => path.join(dir, "probe.json");
const lockSocketPath = (dir: string) => path.join(dir, "probe.sock");
const takeoverPath = (dir: string) => path.join(dir, "probe.takeover");

/** Read a file of ours: no symlink, regular file, owned by the user (else undefined). */
export function readOwnFile(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0));
    const st = fs.fstatSync(fd);
    const uid = myUid();
    if (!st.isFile() || (uid !== undefined && st.uid !== uid) || st.size > 1024 * 1024) return undefined;
    return fs.readFileSync(fd, "utf8");
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Write `file` atomically without following links: a fresh temp file (O_CREAT | O_EXCL | O_NOFOLLOW,
 * random name, mode 0600) in the same directory, renamed over the target.
 */
export function writeFileAtomic(file: string, data: string): void {
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0), 0o600);
  try {
    fs.writeFileSync(fd, data);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

export function readState(dir = stateDir()): StateFile | undefined {
  if (privateDirProblem(dir)) return undefined; // a directory another user controls says nothing about our probe
  const text = readOwnFile(statePath(dir));
  if (text === undefined) return undefined;
  try {
    const s = JSON.parse(text) as StateFile;
    if (Number.isInteger(s.pid) && Number.isInteger(s.port) && s.port > 0 && s.port < 65536) return s;
  } catch {
    /* half-written or garbage */
  }
  return undefined;
}

export function writeState(state: StateFile, dir = stateDir()): void {
  ensurePrivateDir(dir);
  writeFileAtomic(statePath(dir), JSON.stringify(state));
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

/** Name of the OS lock for a state directory: a socket inside it (a per-user named pipe on Windows). */
export function osLockName(dir: string): string {
  if (process.platform === "win32") return `\\\\.\\pipe\\ghostwatch-probe-${os.userInfo().username}-${Buffer.from(path.resolve(dir)).toString("hex").slice(-32)}`;
  return lockSocketPath(dir);
}

function listenLock(name: string): Promise<(() => Promise<void>) | "inuse"> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((sock) => {
      sock.on("error", () => undefined); // the asker hung up first (EPIPE/ECONNRESET): never fatal
      sock.end(`${JSON.stringify({ pid: process.pid })}\n`);
    });
    server.once("error", (e: NodeJS.ErrnoException) => (e.code === "EADDRINUSE" ? resolve("inuse") : reject(e)));
    server.listen({ path: name, exclusive: true }, () => {
      server.unref();
      resolve(() => new Promise<void>((r) => server.close(() => r())));
    });
  });
}

/** Does a live process listen on the lock socket? (ECONNREFUSED/ENOENT: the socket file is stale.) */
function lockAnswers(name: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect({ path: name });
    const done = (v: boolean) => {
      c.destroy();
      resolve(v);
    };
    c.setTimeout(2000, () => done(true)); // a starved owner is still an owner
    c.once("connect", () => done(true));
    c.once("error", (e: NodeJS.ErrnoException) => done(!(e.code === "ECONNREFUSED" || e.code === "ENOENT")));
  });
}

/** Try to hold the lock: a release function, or "held" when a live process has it. */
async function tryLock(dir: string): Promise<(() => Promise<void>) | "held"> {
  const name = osLockName(dir);
  // sun_path holds 108 bytes on Linux, 104 on macOS.
  if (process.platform !== "win32" && Buffer.byteLength(name) > 100) throw new Error(`the lock socket path ${name} is too long for a Unix socket; use a shorter GHOSTWATCH_STATE_DIR`);
  const got = await listenLock(name);
  if (got !== "inuse") return got;
  if (process.platform === "win32" || (await lockAnswers(name))) return "held";
  // Stale socket file (its owner was killed). Take it over under a mutex so that two starters
  // that both saw it stale cannot unlink each other's fresh socket.
  const mutex = takeoverPath(dir);
  try {
    fs.mkdirSync(mutex, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    try {
      if (Date.now() - fs.lstatSync(mutex).mtimeMs > TAKEOVER_STALE_MS) fs.rmSync(mutex, { recursive: true, force: true });
    } catch {
      /* gone meanwhile */
    }
    return "held"; // someone else is taking over: retry shortly
  }
  try {
    if (await lockAnswers(name)) return "held";
    fs.rmSync(name, { force: true });
    const again = await listenLock(name);
    return again === "inuse" ? "held" : again;
  } finally {
    fs.rmSync(mutex, { recursive: true, force: true });
  }
}

/**
 * Take the per-user serve lock. When another live probe holds it, wait (up to `waitMs`) until it
 * answers /health and report it.
 */
export async function acquireServeLock(opts: { waitMs?: number; dir?: string } = {}): Promise<LockResult> {
  const dir = opts.dir ?? stateDir();
  try {
    ensurePrivateDir(dir);
  } catch (e) {
    return { kind: "busy", message: (e as Error).message };
  }
  const deadline = Date.now() + (opts.waitMs ?? 30_000);
  for (;;) {
    let got: (() => Promise<void>) | "held";
    try {
      got = await tryLock(dir);
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
    await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
  }
}
