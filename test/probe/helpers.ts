/** Shared helpers for the probe's integration tests: run the real CLI, track every child by PID. */
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const CLI = path.join(ROOT, "dist/server/cli.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const children = new Set<ChildProcess>();

/** Spawn and remember a child so `killTracked()` can stop it by PID (process group when detached). */
export function track(cmd: string, args: string[], opts: SpawnOptions = {}): ChildProcess {
  const c = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], ...opts });
  children.add(c);
  c.on("exit", () => children.delete(c));
  return c;
}

export function killPid(pid: number | undefined, signal: NodeJS.Signals = "SIGKILL"): void {
  if (!pid) return;
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}

/** Kill every tracked child (and its group when it leads one). */
export function killTracked(): void {
  for (const c of children) {
    if (c.pid && c.exitCode === null && c.signalCode === null) {
      try {
        process.kill(-c.pid, "SIGKILL");
      } catch {
        /* not a group leader */
      }
      killPid(c.pid);
    }
  }
  children.clear();
}

/** Run `ghostwatch probe …` through the built CLI. */
export function probe(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 40_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const c = track(process.execPath, [CLI, "probe", ...args], { env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    c.stdout!.on("data", (d) => (stdout += d));
    c.stderr!.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      killPid(c.pid);
      reject(new Error(`probe ${args.join(" ")} timed out; stderr: ${stderr}`));
    }, timeoutMs);
    c.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Start a long-lived child that prints `ready` on stdout once set up; resolves with it. */
export function startReady(cmd: string, args: string[], opts: SpawnOptions = {}, timeoutMs = 15_000): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const c = track(cmd, args, opts);
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error(`child not ready: ${out} ${err}`)), timeoutMs);
    c.stderr?.on("data", (d) => (err += d));
    c.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("ready")) {
        clearTimeout(timer);
        resolve(c);
      }
    });
    c.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited ${code}: ${out} ${err}`));
    });
  });
}

export async function waitFor<T>(fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, stepMs = 50): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** State of a PID from /proc (Linux). */
export function procState(pid: number): string | undefined {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return s.slice(s.lastIndexOf(")") + 2).split(" ")[0];
  } catch {
    return undefined;
  }
}
