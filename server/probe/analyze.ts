/**
 * Platform-independent analysis: from what a backend read (processes, sockets) to the SPEC §4
 * sections (sockets, fds, processes) and the raw threshold warnings.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { HostRead, ProcInfo, Snapshot, Warning } from "./types.js";
import { commandLine } from "./redact.js";
import type { Thresholds } from "./thresholds.js";

/** Processes worth flagging when orphaned or long-running: test runners, watchers, agent loops. */
export const DEFAULT_WATCH_PATTERNS: readonly string[] = [
  "vitest", "jest", "mocha", "pytest", "py\\.test", "playwright", "cypress", "karma", "jasmine", "phpunit", "rspec",
  "cargo test", "go test", "node --test", "nodemon", "--watch", "watcher", "agent", "claude", "codex", "aider", "autogpt",
  "crewai", "langgraph", "ollama run",
];

export interface AnalyzeOptions {
  thresholds: Thresholds;
  /** Restrict processes, FDs and per-process sockets to these PIDs and their descendants. */
  pids?: number[];
  /** Regex sources; a process matching one is "watched" (orphans, long runners). */
  watchPatterns?: readonly string[];
  /** Hours after which a watched process counts as a long runner. */
  longRunningHours?: number;
  /** Duplicates younger than this (seconds) are listed but raise no warning (default 120). */
  duplicateMinAgeSec?: number;
  /** How many FD rows to list besides those over the warning threshold. */
  topFds?: number;
  /** IP → cloud host name. */
  cloudIps?: ReadonlyMap<string, string>;
  now?: number;
  /** uid whose processes count as "the user's" (root: everyone). */
  uid?: number;
}

const INTERPRETERS = /^(?:node|nodejs|python[\d.]*|pypy[\d.]*|ruby|perl|php|bash|sh|dash|zsh|fish|deno|bun|tsx|ts-node)$/;
const NODE_VALUE_FLAGS = new Set(["-r", "--require", "--import", "--loader", "--experimental-loader", "--env-file", "-C", "--conditions", "--inspect-port", "--title", "--max-old-space-size", "--stack-size"]);

/** The script an interpreter runs (`node x.js`, `python3 app.py`, `bash run.sh`), resolved against cwd. */
export function scriptOf(p: Pick<ProcInfo, "argv" | "cwd">): string | undefined {
  const [exe, ...rest] = p.argv;
  if (!exe || !INTERPRETERS.test(path.basename(exe))) return undefined;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === "-e" || a === "-c" || a === "-m" || a === "--eval" || a === "-p" || a === "--print" || a === "-") return undefined;
    if (a.startsWith("-")) {
      if (NODE_VALUE_FLAGS.has(a)) i++;
      continue;
    }
    if (a === "run" || a === "test") continue; // deno run x.ts, bun test
    const abs = path.isAbsolute(a) ? a : p.cwd ? path.resolve(p.cwd, a) : undefined;
    return abs;
  }
  return undefined;
}

/** Redacted command lines across samples, keyed by (pid, start time): redaction runs once per process. */
const commandCache = new Map<string, string>();

function iso(ms: number): string | null {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

export function analyze(read: HostRead, opts: AnalyzeOptions): Omit<Snapshot, "endpoints" | "sampledAt" | "durationMs" | "host" | "errors"> & { rawWarnings: Warning[] } {
  const t = opts.thresholds;
  const now = opts.now ?? Date.now();
  const myUid = opts.uid ?? process.getuid?.() ?? -1;
  const byPid = new Map<number, ProcInfo>();
  for (const p of read.processes) byPid.set(p.pid, p);
  const cmdCache = new Map<number, string>();
  const cmd = (pid: number | null | undefined): string => {
    if (pid === null || pid === undefined) return "?";
    let c = cmdCache.get(pid);
    if (c === undefined) {
      const p = byPid.get(pid);
      if (p) {
        const key = `${p.pid}:${p.startedAt}`;
        c = commandCache.get(key);
        if (c === undefined) {
          if (commandCache.size > 5000) commandCache.clear();
          c = commandLine(p.argv, p.comm);
          commandCache.set(key, c);
        }
      } else c = "?";
      cmdCache.set(pid, c);
    }
    return c;
  };

  const brief = (pid: number | null | undefined): string => {
    const c = cmd(pid);
    return c.length > 100 ? `${c.slice(0, 99)}…` : c;
  };

  // Scope: given PIDs and all their descendants.
  let scope: Set<number> | undefined;
  if (opts.pids && opts.pids.length > 0) {
    scope = new Set(opts.pids);
    const children = new Map<number, number[]>();
    for (const p of read.processes) {
      const arr = children.get(p.ppid);
      if (arr) arr.push(p.pid);
      else children.set(p.ppid, [p.pid]);
    }
    const stack = [...opts.pids];
    while (stack.length) for (const c of children.get(stack.pop()!) ?? []) if (!scope.has(c)) (scope.add(c), stack.push(c));
  }
  const inScope = (pid: number | null | undefined) => !scope || (pid !== null && pid !== undefined && scope.has(pid));
  const isUsers = (p: ProcInfo) => myUid === 0 || myUid === -1 || p.uid === myUid || p.uid === -1;
  const warnings: Warning[] = [];

  // ---- sockets
  const byState: Record<string, number> = {};
  const cloudIps = opts.cloudIps ?? new Map<string, string>();
  const wanted = new Set<number>();
  const wantedUids = new Set<number>();
  for (const s of read.sockets) {
    byState[s.state] = (byState[s.state] ?? 0) + 1;
    if (s.pid === undefined && s.inode && (s.state === "CLOSE_WAIT" || cloudIps.has(s.remoteAddress))) {
      wanted.add(s.inode);
      if (s.uid !== undefined) wantedUids.add(s.uid);
    }
  }
  let owners = new Map<number, number>();
  if (wanted.size > 0 && read.resolveOwners) {
    // Processes of the sockets' owners first (a socket's uid is its creator's), biggest FD tables
    // of those first; other users' processes only for what is still missing (setuid, fd passing).
    const mine = (p: ProcInfo) => (wantedUids.size === 0 || wantedUids.has(p.uid) ? 0 : 1);
    const candidates = read.processes
      .filter((p) => p.state !== "Z" && inScope(p.pid))
      .sort((a, b) => mine(a) - mine(b) || (b.fds ?? 0) - (a.fds ?? 0))
      .map((p) => p.pid);
    owners = read.resolveOwners(wanted, candidates);
  }
  const ownerOf = (s: { pid?: number; inode?: number }): number | null => s.pid ?? (s.inode ? owners.get(s.inode) ?? null : null);
  // Keep the owner on the socket itself: the per-socket sample stays available to callers (Sampler.lastSockets()).
  if (owners.size > 0) for (const s of read.sockets) if (s.pid === undefined && s.inode && owners.has(s.inode)) s.pid = owners.get(s.inode);
  const cw = new Map<string, { pid: number | null; remote: string; host?: string; count: number }>();
  const cloud = new Map<string, { pid: number | null; remote: string; host: string; count: number }>();
  for (const s of read.sockets) {
    const isCloud = cloudIps.has(s.remoteAddress) && s.state !== "LISTEN" && s.state !== "TIME_WAIT";
    if (s.state !== "CLOSE_WAIT" && !isCloud) continue;
    const pid = ownerOf(s);
    if (!inScope(pid)) continue;
    const remote = s.remoteAddress.includes(":") ? `[${s.remoteAddress}]:${s.remotePort}` : `${s.remoteAddress}:${s.remotePort}`;
    if (s.state === "CLOSE_WAIT") {
      const k = `${pid}|${remote}`;
      const g = cw.get(k);
      if (g) g.count++;
      else cw.set(k, { pid, remote, ...(cloudIps.has(s.remoteAddress) ? { host: cloudIps.get(s.remoteAddress)! } : {}), count: 1 });
    }
    if (isCloud) {
      const k = `${pid}|${remote}`;
      const g = cloud.get(k);
      if (g) g.count++;
      else cloud.set(k, { pid, remote, host: cloudIps.get(s.remoteAddress)!, count: 1 });
    }
  }
  const closeWait = [...cw.values()].sort((a, b) => b.count - a.count).map((g) => ({ pid: g.pid, command: cmd(g.pid), remote: g.remote, ...(g.host ? { host: g.host } : {}), count: g.count }));
  const perPid = new Map<number, number>();
  for (const g of closeWait) if (g.pid !== null) perPid.set(g.pid, (perPid.get(g.pid) ?? 0) + g.count);
  for (const [pid, n] of perPid) {
    if (n <= t.closeWaitWarn) continue;
    const remotes = closeWait.filter((g) => g.pid === pid).map((g) => `${g.remote} ×${g.count}`).slice(0, 3).join(", ");
    warnings.push({
      kind: "close_wait", severity: n > t.closeWaitCrit ? "critical" : "warning", pid, key: `close_wait:${pid}`,
      message: `PID ${pid} (${brief(pid)}) holds ${n} sockets in CLOSE-WAIT (threshold ${t.closeWaitWarn}; ${remotes}): the peer closed and the process never closed its side — close or reuse the HTTP client`,
    });
  }
  const cloudLlm = [...cloud.values()].map((g) => ({ pid: g.pid, command: cmd(g.pid), remote: g.remote, host: g.host, count: g.count }));
  if (t.warnCloudLlm) {
    for (const g of cloudLlm) warnings.push({ kind: "cloud_llm", severity: "warning", pid: g.pid ?? undefined, key: `cloud_llm:${g.pid}:${g.host}`, message: `PID ${g.pid} (${brief(g.pid)}) is connected to cloud LLM host ${g.host} (${g.remote})` });
  }

  // ---- file descriptors
  const fdRows = read.processes
    .filter((p) => p.fds !== undefined && p.state !== "Z" && inScope(p.pid))
    .map((p) => ({ pid: p.pid, command: "", open: p.fds!, limit: p.fdLimit ?? null, ratio: p.fdLimit ? Math.round((p.fds! / p.fdLimit) * 10_000) / 10_000 : null }))
    .sort((a, b) => (b.ratio ?? -1) - (a.ratio ?? -1) || b.open - a.open);
  const fds = fdRows.filter((r, i) => i < (opts.topFds ?? 20) || (r.ratio ?? 0) > t.fdWarn);
  for (const r of fds) r.command = cmd(r.pid);
  for (const r of fdRows) {
    if (r.ratio === null || r.ratio <= t.fdWarn) continue;
    warnings.push({
      kind: "fd_limit", severity: r.ratio > t.fdCrit ? "critical" : "warning", pid: r.pid, key: `fd_limit:${r.pid}`,
      message: `PID ${r.pid} (${brief(r.pid)}) has ${r.open} of ${r.limit} file descriptors open (${Math.round(r.ratio * 100)}%, threshold ${Math.round(t.fdWarn * 100)}%) — leaked sockets or files; it will fail with EMFILE at ${r.limit}`,
    });
  }

  // ---- processes
  const watch = (opts.watchPatterns ?? DEFAULT_WATCH_PATTERNS).map((s) => new RegExp(s, "i"));
  const watchedBy = (p: ProcInfo): string | undefined => {
    const line = p.argv.join(" ");
    return watch.find((re) => re.test(line))?.source;
  };
  const ref = (p: ProcInfo) => ({ pid: p.pid, ppid: p.ppid, command: cmd(p.pid) });

  const zombies = read.processes
    .filter((p) => p.state === "Z" && (inScope(p.pid) || inScope(p.ppid)))
    .map((p) => ({ ...ref(p), parentCommand: cmd(p.ppid) }));
  const zombiesByParent = new Map<number, number>();
  for (const z of zombies) zombiesByParent.set(z.ppid, (zombiesByParent.get(z.ppid) ?? 0) + 1);
  for (const [ppid, n] of zombiesByParent) {
    if (n <= t.zombieWarn) continue;
    warnings.push({
      kind: "zombie", severity: zombies.length > t.zombieCrit ? "critical" : "warning", pid: ppid, key: `zombie:${ppid}`,
      message: `${n} zombie (defunct) child${n === 1 ? "" : "ren"} of PID ${ppid} (${brief(ppid)}): the parent never wait()s for its children — reap them (await the child's exit) or restart the parent`,
    });
  }

  const reapers = /^(?:systemd|init|launchd|tini|dumb-init|catatonit|docker-init|s6-svscan|runit|supervisord?)$/;
  const live = read.processes.filter((p) => p.state !== "Z" && p.pid !== process.pid && isUsers(p) && inScope(p.pid));
  const orphans: Snapshot["processes"]["orphans"] = [];
  for (const p of live) {
    const parent = byPid.get(p.ppid);
    const parentGone = p.ppid === 1 || p.ppid === 0 ? p.pid !== 1 : !!parent && reapers.test(parent.comm) && parent.argv.some((a) => a === "--user");
    if (!parentGone) continue;
    const pattern = watchedBy(p);
    if (!pattern) continue;
    orphans.push({ ...ref(p), startedAt: iso(p.startedAt), pattern });
    if (t.warnOrphans) warnings.push({ kind: "orphan", severity: "warning", pid: p.pid, key: `orphan:${p.pid}`, message: `PID ${p.pid} (${brief(p.pid)}) is orphaned (parent gone, adopted by PID ${p.ppid}) and matches the watched pattern /${pattern}/ — a test runner or agent loop left behind; kill it if nobody owns it` });
  }

  const groups = new Map<string, ProcInfo[]>();
  for (const p of live) {
    if (p.argv.length < 2) continue;
    const key = `${p.argv.join("\0")}\u0001${p.cwd ?? ""}`;
    const g = groups.get(key);
    if (g) g.push(p);
    else groups.set(key, [p]);
  }
  const duplicates: Snapshot["processes"]["duplicates"] = [];
  const groupOf = new Map<number, ProcInfo[]>();
  for (const g of groups.values()) if (g.length > 1) for (const p of g) groupOf.set(p.pid, g);
  const minAgeMs = (opts.duplicateMinAgeSec ?? 120) * 1000;
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    const pids = new Set(g.map((p) => p.pid));
    const roots = g.filter((p) => !pids.has(p.ppid)); // a forked worker of the same command is not a duplicate
    if (roots.length < 2) continue;
    // Inherited duplication (each copy is the child of one copy of another duplicated command): report the parents only.
    const parentGroups = new Set(roots.map((p) => groupOf.get(p.ppid)));
    if (parentGroups.size === 1 && !parentGroups.has(undefined)) continue;
    const first = roots[0]!;
    duplicates.push({ command: cmd(first.pid), cwd: first.cwd ?? null, count: roots.length, pids: roots.map((p) => p.pid), processes: roots.map(ref) });
    const settled = roots.filter((p) => !(now - p.startedAt < minAgeMs));
    if (t.warnDuplicates && settled.length >= 2) warnings.push({ kind: "duplicate", severity: "warning", pid: first.pid, key: `duplicate:${roots.map((p) => p.pid).sort((a, b) => a - b)[0]}`, message: `${roots.length} copies of the same command are running in ${first.cwd ?? "the same directory"} (PIDs ${roots.map((p) => p.pid).slice(0, 10).join(", ")}${roots.length > 10 ? ", …" : ""}): ${brief(first.pid)} — a missing single-instance lock?` });
  }
  duplicates.sort((a, b) => b.count - a.count);

  const stale: Snapshot["processes"]["stale"] = [];
  for (const p of live) {
    // memfd-backed executables (sealed in-memory binaries) always read "(deleted)": not stale.
    if (p.exe?.endsWith(" (deleted)") && !p.exe.startsWith("/memfd:")) {
      stale.push({ ...ref(p), reason: "deleted-executable", file: p.exe.slice(0, -10), startedAt: iso(p.startedAt), fileChangedAt: null });
      continue;
    }
    const script = scriptOf(p);
    if (!script || !Number.isFinite(p.startedAt)) continue;
    let mtime: number;
    try {
      const st = fs.statSync(script);
      if (!st.isFile()) continue;
      mtime = st.mtimeMs;
    } catch {
      if (p.cwd && path.extname(script)) stale.push({ ...ref(p), reason: "script-changed", file: script, startedAt: iso(p.startedAt), fileChangedAt: null });
      continue;
    }
    // start time is only known to ±1 s (btime has 1 s resolution): require a 2 s margin.
    if (mtime > p.startedAt + 2000) stale.push({ ...ref(p), reason: "script-changed", file: script, startedAt: iso(p.startedAt), fileChangedAt: iso(mtime) });
  }
  if (t.warnStale) {
    for (const s of stale) warnings.push({ kind: "stale", severity: "warning", pid: s.pid, key: `stale:${s.pid}`, message: s.reason === "deleted-executable" ? `PID ${s.pid} (${brief(s.pid)}) runs a deleted executable (${s.file}): it is running old code — restart it` : s.fileChangedAt ? `PID ${s.pid} (${brief(s.pid)}) runs ${s.file}, changed at ${s.fileChangedAt} after the process started at ${s.startedAt}: it is running stale code — restart it` : `PID ${s.pid} (${brief(s.pid)}) runs ${s.file}, which no longer exists — it is running stale code` });
  }

  const longHours = opts.longRunningHours ?? 24;
  const longRunning = live
    .filter((p) => Number.isFinite(p.startedAt) && now - p.startedAt > longHours * 3_600_000 && watchedBy(p))
    .map((p) => ({ ...ref(p), startedAt: iso(p.startedAt)!, ageHours: Math.round(((now - p.startedAt) / 3_600_000) * 10) / 10 }));

  return {
    sockets: { byState, total: read.sockets.length, closeWait, cloudLlm },
    fds,
    processes: { total: read.processes.length, zombies, orphans, duplicates, stale, longRunning },
    warnings: [],
    rawWarnings: warnings,
  };
}
