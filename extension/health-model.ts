/**
 * The probe's `/health` JSON (SPEC §4) as the extension reads it, and the pure functions
 * that turn one sample into what the editor shows: threshold crossings, the status-bar
 * text, the tooltip. No `vscode` import here, so it is usable anywhere.
 */
import * as fs from "node:fs";

export interface EndpointHealth {
  url: string;
  ok: boolean;
  version?: string | null;
  models?: string[];
  loaded?: string[];
  latencyMs?: number | null;
  functional?: boolean | null | { ok: boolean; [k: string]: unknown };
  error?: string | null;
  cloud?: unknown;
}

export interface CloseWaitEntry {
  pid: number | null;
  command: string;
  remote: string;
  count: number;
}

export interface CloudLlmEntry {
  pid: number | null;
  command: string;
  remote: string;
  host: string;
}

export interface FdEntry {
  pid: number;
  command: string;
  open: number;
  limit: number | null;
}

export interface ProcessEntry {
  pid: number;
  ppid?: number;
  command: string;
  [k: string]: unknown;
}

export interface ProbeWarning {
  kind: string;
  message: string;
  pid?: number;
}

/**
 * Whether a warning is about one of the user's own processes (or the host as a whole): only
 * those turn the status-bar item amber — another user's leaking process is shown in the
 * Host Health view but is not this user's problem to fix. `ownerUid(pid)` is the process's
 * owner (from /proc), undefined when unknown.
 */
export function isOwnWarning(w: ProbeWarning, myUid: number | undefined, ownerUid: (pid: number) => number | undefined): boolean {
  if (myUid === undefined || myUid < 0) return true; // no uids on this platform
  if (w.pid === undefined) {
    // "CLOSE-WAIT sockets of a process the probe could not see" is another user's; host-wide ones are everyone's.
    return !(w.kind === "close-wait" && /could not see/.test(w.message));
  }
  const uid = ownerUid(w.pid);
  return uid === undefined || uid === myUid;
}

/** The owner uid of a live process from /proc (Linux); undefined elsewhere or when it is gone. */
export function procOwnerUid(pid: number): number | undefined {
  try {
    return fs.statSync(`/proc/${pid}`).uid;
  } catch {
    return undefined;
  }
}

export interface HealthSample {
  endpoints: EndpointHealth[];
  sockets: {
    byState: Record<string, number>;
    closeWait: CloseWaitEntry[];
    cloudLlm: CloudLlmEntry[];
    [k: string]: unknown;
  };
  fds: FdEntry[];
  processes: {
    zombies: ProcessEntry[];
    orphans: ProcessEntry[];
    duplicates: ProcessEntry[];
    stale: ProcessEntry[];
    [k: string]: unknown;
  };
  warnings: ProbeWarning[];
  sampledAt: string;
  durationMs: number;
  /** Free-form notes from the probe, e.g. sockets of other users it could not attribute. */
  notes?: string[];
  partial?: boolean;
  [k: string]: unknown;
}

export interface Thresholds {
  /** A process with more CLOSE-WAIT sockets than this is a warning. */
  closeWaitPerProcess: number;
  /** A process using more than this percentage of its FD soft limit is a warning. */
  fdPercent: number;
  /** Any zombie process is a warning. */
  zombies: boolean;
  /** An unreachable endpoint is a warning. */
  endpointDown: boolean;
}

export const DEFAULT_THRESHOLDS: Thresholds = { closeWaitPerProcess: 50, fdPercent: 50, zombies: true, endpointDown: false };

/** Coerces whatever came over the wire into a HealthSample with every list present. */
export function normaliseSample(raw: unknown): HealthSample {
  const o = (raw && typeof raw === "object" ? raw : {}) as Record<string, any>;
  const arr = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
  const sockets = (o.sockets && typeof o.sockets === "object" ? o.sockets : {}) as Record<string, any>;
  const processes = (o.processes && typeof o.processes === "object" ? o.processes : {}) as Record<string, any>;
  return {
    ...o,
    endpoints: arr<EndpointHealth>(o.endpoints),
    sockets: {
      ...sockets,
      byState: sockets.byState && typeof sockets.byState === "object" ? sockets.byState : {},
      closeWait: arr<CloseWaitEntry>(sockets.closeWait),
      cloudLlm: arr<CloudLlmEntry>(sockets.cloudLlm),
    },
    fds: arr<FdEntry>(o.fds),
    processes: {
      ...processes,
      zombies: arr<ProcessEntry>(processes.zombies),
      orphans: arr<ProcessEntry>(processes.orphans),
      duplicates: arr<ProcessEntry>(processes.duplicates),
      stale: arr<ProcessEntry>(processes.stale),
    },
    warnings: arr<ProbeWarning>(o.warnings),
    sampledAt: typeof o.sampledAt === "string" ? o.sampledAt : new Date().toISOString(),
    durationMs: typeof o.durationMs === "number" ? o.durationMs : 0,
  };
}

/** CLOSE-WAIT sockets in total (the probe spells the state `CLOSE_WAIT`; accept both). */
export function closeWaitTotal(s: HealthSample): number {
  const by = s.sockets.byState;
  const fromState = by.CLOSE_WAIT ?? by["CLOSE-WAIT"];
  if (typeof fromState === "number") return fromState;
  return s.sockets.closeWait.reduce((n, e) => n + (e.count ?? 0), 0);
}

/** CLOSE-WAIT counts summed per process. */
export function closeWaitByProcess(s: HealthSample): Array<{ pid: number | null; command: string; count: number; remotes: CloseWaitEntry[] }> {
  const map = new Map<string, { pid: number | null; command: string; count: number; remotes: CloseWaitEntry[] }>();
  for (const e of s.sockets.closeWait) {
    const key = `${e.pid ?? "?"}`;
    const cur = map.get(key) ?? { pid: e.pid ?? null, command: e.command ?? "", count: 0, remotes: [] };
    cur.count += e.count ?? 0;
    cur.remotes.push(e);
    map.set(key, cur);
  }
  return [...map.values()].sort((a, b) => b.count - a.count);
}

export function fdPercent(e: FdEntry): number | undefined {
  if (!e.limit || e.limit <= 0) return undefined;
  return (100 * e.open) / e.limit;
}

/** Threshold crossings computed from the editor's settings, merged with the probe's own warnings. */
export function evaluate(s: HealthSample, t: Thresholds): ProbeWarning[] {
  const out: ProbeWarning[] = [];
  for (const p of closeWaitByProcess(s)) {
    if (p.count > t.closeWaitPerProcess) {
      out.push({
        kind: "close-wait",
        pid: p.pid ?? undefined,
        message: p.pid === null ? `${p.count} CLOSE-WAIT sockets of a process the probe could not see (another user's?) (threshold ${t.closeWaitPerProcess})` : `${p.command || "process"} (PID ${p.pid}) holds ${p.count} CLOSE-WAIT sockets (threshold ${t.closeWaitPerProcess})`,
      });
    }
  }
  for (const f of s.fds) {
    const pct = fdPercent(f);
    if (pct !== undefined && pct > t.fdPercent) {
      out.push({ kind: "fds", pid: f.pid, message: `${f.command} (PID ${f.pid}) uses ${f.open}/${f.limit} file descriptors (${pct.toFixed(0)}% > ${t.fdPercent}%)` });
    }
  }
  if (t.zombies) {
    for (const z of s.processes.zombies) out.push({ kind: "zombie", pid: z.pid, message: `zombie process ${z.command} (PID ${z.pid}, parent ${z.ppid ?? "?"})` });
  }
  if (t.endpointDown) {
    for (const e of s.endpoints) if (!e.ok) out.push({ kind: "endpoint", message: `${e.url} is unreachable${e.error ? `: ${e.error}` : ""}` });
  }
  // The probe's warnings have hysteresis (raised after 3 samples); keep the ones the
  // editor's thresholds do not already cover.
  const seen = new Set(out.map((w) => `${w.kind}:${w.pid ?? ""}`));
  for (const w of s.warnings) {
    const kind = normaliseKind(w.kind);
    if (kind === "close-wait" || kind === "fds") continue; // editor settings decide these
    if (kind === "zombie" && !t.zombies) continue;
    const key = `${kind}:${w.pid ?? ""}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ ...w, kind });
    }
  }
  return out;
}

function normaliseKind(kind: string): string {
  const k = String(kind).toLowerCase().replace(/_/g, "-");
  if (k.includes("close")) return "close-wait";
  if (k.includes("fd") || k.includes("descriptor")) return "fds";
  if (k.includes("zombie")) return "zombie";
  return k;
}

/** Short label for an endpoint: `Ollama` for port 11434, else host:port. */
export function endpointLabel(url: string): string {
  try {
    const u = new URL(url);
    if (u.port === "11434") return "Ollama";
    if (u.port === "1234") return "LM Studio";
    if (u.port === "8080") return "llama.cpp";
    return u.host;
  } catch {
    return url;
  }
}

/** `$(pulse) Ollama ✓ 12 ms · CLOSE-WAIT 0` */
export function statusText(s: HealthSample | undefined, warnings: ProbeWarning[], probeState?: string): string {
  if (!s) return `$(pulse) Ghostwatch ${probeState ?? "…"}`;
  const parts: string[] = [];
  const ep = s.endpoints[0];
  if (ep) {
    const label = endpointLabel(ep.url);
    parts.push(ep.ok ? `${label} ✓${typeof ep.latencyMs === "number" ? ` ${Math.round(ep.latencyMs)} ms` : ""}` : `${label} ✗`);
  }
  parts.push(`CLOSE-WAIT ${closeWaitTotal(s)}`);
  const icon = warnings.length ? "$(warning)" : "$(pulse)";
  return `${icon} ${parts.join(" · ")}`;
}

function mdEscape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}

/** The Markdown tooltip with the live figures. */
export function statusTooltip(s: HealthSample | undefined, warnings: ProbeWarning[], source: string): string {
  if (!s) return `**Ghostwatch** — waiting for the probe (${mdEscape(source)})`;
  const lines = [`**Ghostwatch — host health**`, ""];
  lines.push("| | |", "|---|---|");
  for (const e of s.endpoints) {
    const fig = e.ok ? `✓ ${typeof e.latencyMs === "number" ? `${Math.round(e.latencyMs)} ms` : ""}${e.version ? ` · v${mdEscape(e.version)}` : ""}` : `✗ ${mdEscape(e.error ?? "unreachable")}`;
    lines.push(`| ${mdEscape(endpointLabel(e.url))} | ${fig} |`);
  }
  lines.push(`| CLOSE-WAIT | ${closeWaitTotal(s)} |`);
  lines.push(`| ESTABLISHED | ${s.sockets.byState.ESTABLISHED ?? 0} |`);
  lines.push(`| cloud LLM connections | ${s.sockets.cloudLlm.length} |`);
  const worstFd = [...s.fds].sort((a, b) => (fdPercent(b) ?? 0) - (fdPercent(a) ?? 0))[0];
  if (worstFd) lines.push(`| most FDs | ${mdEscape(worstFd.command)} ${worstFd.open}/${worstFd.limit ?? "?"} |`);
  lines.push(`| zombies · orphans | ${s.processes.zombies.length} · ${s.processes.orphans.length} |`);
  lines.push("");
  if (warnings.length) {
    lines.push(`$(warning) **${warnings.length} warning${warnings.length === 1 ? "" : "s"}**`, "");
    for (const w of warnings.slice(0, 8)) lines.push(`- ${mdEscape(w.message)}`);
    lines.push("");
  }
  lines.push(`_Sampled ${mdEscape(new Date(s.sampledAt).toLocaleTimeString())} by ${mdEscape(source)}_ · click to open Host Health`);
  return lines.join("\n");
}
