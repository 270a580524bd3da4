/**
 * One sample of the host: backend read + analysis + endpoint checks → the SPEC §4 snapshot.
 * `Sampler` keeps state between samples (process cache, cloud DNS answers, tiers) for serve mode;
 * `sampleOnce(options)` is the programmatic one-shot API (language server, extension).
 */
import * as os from "node:os";
import { analyze, DEFAULT_WATCH_PATTERNS } from "./analyze.js";
import { DarwinReader } from "./backends/darwin.js";
import { LinuxReader } from "./backends/linux.js";
import { WindowsReader } from "./backends/windows.js";
import { CloudHostResolver } from "./cloud.js";
import { checkEndpoint, defaultEndpoints, type EndpointSpec } from "./endpoints.js";
import { DEFAULT_THRESHOLDS, Hysteresis, type Thresholds } from "./thresholds.js";
import type { EndpointStatus, HostRead, Snapshot, TcpSocket, Warning } from "./types.js";
import { redactText } from "./redact.js";

export interface SampleOptions {
  /** Endpoints to check; default: OLLAMA_HOST or http://127.0.0.1:11434. Pass [] to skip. */
  endpoints?: Array<EndpointSpec | string>;
  /** Also check the default Ollama endpoint when `endpoints` is given (default false). */
  includeDefaultEndpoint?: boolean;
  /** Run the 1-token functional check on loaded Ollama models. */
  functional?: boolean;
  endpointTimeoutMs?: number;
  thresholds?: Partial<Thresholds>;
  /** Restrict per-process findings to these PIDs and their descendants. */
  pids?: number[];
  watchPatterns?: string[];
  longRunningHours?: number;
  topFds?: number;
  /** Duplicates younger than this (seconds) raise no warning (default 120). */
  duplicateMinAgeSec?: number;
  /** Extra cloud LLM hosts (names or IP literals) besides the provider catalogue. */
  cloudHosts?: string[];
  /** Resolve cloud hosts via DNS (default true; never blocks a sample — answers are cached on disk). */
  resolveCloudHosts?: boolean;
  /** Directory of the cloud-host DNS cache (default: the state directory; null: no disk cache). */
  cloudCacheDir?: string | null;
  /** Linux socket backend. */
  socketBackend?: "proc" | "ss" | "auto";
}

interface Reader {
  read(): Promise<HostRead>;
}

function makeReader(opts: SampleOptions, serving: boolean): Reader {
  if (process.platform === "darwin") return new DarwinReader();
  if (process.platform === "win32") return new WindowsReader();
  // Serve mode is tiered: sockets every sample, the process table every 2nd, FD counts every 3rd
  // (processes above 25 % of their FD limit every sample), static facts every 12th.
  return new LinuxReader({ socketBackend: opts.socketBackend ?? "auto", processEvery: serving ? 2 : 1 });
}

function normaliseEndpoints(opts: SampleOptions): EndpointSpec[] {
  if (!opts.endpoints) return defaultEndpoints();
  const list = opts.endpoints.map((e) => (typeof e === "string" ? { url: e.replace(/\/+$/, ""), kind: "auto" as const, configured: true } : e));
  if (opts.includeDefaultEndpoint) for (const d of defaultEndpoints()) if (!list.some((e) => e.url === d.url)) list.push(d);
  return list;
}

function endpointWarnings(eps: EndpointStatus[]): Warning[] {
  const out: Warning[] = [];
  for (const e of eps) {
    if (!e.configured) continue;
    if (e.status !== "up") {
      const what = e.status === "hanging" ? "is hanging (accepts connections, never answers)" : e.status === "down" ? "is down" : "answers with errors";
      out.push({ kind: `endpoint_${e.status}`, severity: "critical", key: `endpoint:${e.url}`, message: `LLM endpoint ${e.url} ${what}: ${e.error ?? "no detail"}` });
    } else if (e.functional && !e.functional.ok) {
      out.push({ kind: "endpoint_functional", severity: "critical", key: `endpoint:${e.url}`, message: `LLM endpoint ${e.url} is up but not working: a 1-token generation on loaded model ${e.functional.model} failed (${e.functional.error}) — "up" is not "working"` });
    }
  }
  return out;
}

export class Sampler {
  private reader: Reader;
  private cloud: CloudHostResolver;
  private hysteresis: Hysteresis | undefined;
  private n = 0;
  private readonly endpoints: EndpointSpec[];
  private readonly thresholds: Thresholds;

  constructor(private readonly opts: SampleOptions = {}, hysteresis?: { raiseAfter: number; clearAfter: number; functionalEvery?: number }) {
    this.reader = makeReader(opts, !!hysteresis);
    this.cloud = opts.cloudCacheDir === undefined ? new CloudHostResolver(opts.cloudHosts ?? []) : new CloudHostResolver(opts.cloudHosts ?? [], undefined, undefined, opts.cloudCacheDir);
    this.endpoints = normaliseEndpoints(opts);
    this.thresholds = { ...DEFAULT_THRESHOLDS, ...opts.thresholds };
    if (hysteresis) {
      this.hysteresis = new Hysteresis(hysteresis.raiseAfter, hysteresis.clearAfter);
      this.functionalEvery = hysteresis.functionalEvery ?? 12;
    }
  }
  private functionalEvery = 1;
  /** The raw host read of the last sample (live evidence joins its sockets to the code). */
  lastRead: HostRead | undefined;
  /** `host:port` of the endpoints this probe checks (sockets to them are model connections). */
  endpointTargets(): string[] {
    const out: string[] = [];
    for (const e of this.endpoints) {
      try {
        const u = new URL(e.url);
        out.push(`${u.hostname.replace(/^\[|\]$/g, "").toLowerCase()}:${u.port || (u.protocol === "https:" ? 443 : 80)}`);
      } catch {
        /* a malformed endpoint is reported by its check */
      }
    }
    return out;
  }
  /** Cloud LLM host addresses known now (IP → catalogue host). */
  get cloudIps(): ReadonlyMap<string, string> {
    return this.cloud.ipMap();
  }
  private sockets: TcpSocket[] = [];

  /** Every TCP socket of the last sample, with its owner PID where it was resolved (CLOSE-WAIT, cloud LLM). */
  lastSockets(): readonly TcpSocket[] {
    return this.sockets;
  }

  /** Stop background work (pending DNS queries). */
  close(): void {
    this.cloud.close();
  }

  async sample(): Promise<Snapshot> {
    const t0 = performance.now();
    const sampledAt = new Date();
    this.n++;
    // DNS for the cloud-host list runs beside the host read and is never waited for beyond it.
    if (this.opts.resolveCloudHosts !== false) void this.cloud.refreshIfDue(0);
    // Tiered: the functional generation runs every `functionalEvery` samples in serve mode.
    const functional = !!this.opts.functional && (this.n - 1) % this.functionalEvery === 0;
    let read: HostRead;
    try {
      read = await this.reader.read();
    } catch (e) {
      read = { platform: process.platform, backend: "none", processes: [], sockets: [], errors: [redactText(`host read failed: ${(e as Error).message}`)] };
    }
    this.lastRead = read;
    const a = analyze(read, {
      thresholds: this.thresholds, pids: this.opts.pids, watchPatterns: this.opts.watchPatterns ?? DEFAULT_WATCH_PATTERNS,
      longRunningHours: this.opts.longRunningHours, topFds: this.opts.topFds, duplicateMinAgeSec: this.opts.duplicateMinAgeSec, cloudIps: this.cloud.ipMap(),
    });
    // Endpoints after the (partly synchronous) host read, so a blocked event loop cannot inflate their latency or timeouts.
    const endpoints = await Promise.all(this.endpoints.map((e) => checkEndpoint(e, { timeoutMs: this.opts.endpointTimeoutMs ?? 2000, functional })));
    this.sockets = read.sockets;
    const raw = [...endpointWarnings(endpoints), ...a.rawWarnings];
    let active = raw;
    let pending: Warning[] | undefined;
    if (this.hysteresis) ({ active, pending } = this.hysteresis.update(raw));
    const strip = (w: Warning) => ({ kind: w.kind, severity: w.severity, message: w.message, ...(w.pid !== undefined ? { pid: w.pid } : {}) });
    const snap: Snapshot = {
      host: { hostname: os.hostname(), platform: read.platform, backend: read.backend },
      endpoints,
      sockets: a.sockets,
      fds: a.fds,
      processes: a.processes,
      warnings: active.map(strip),
      ...(pending ? { pending: pending.map(strip) } : {}),
      errors: read.errors,
      sampledAt: sampledAt.toISOString(),
      durationMs: Math.round((performance.now() - t0) * 10) / 10,
    };
    return snap;
  }
}

/** Sample the host once (no hysteresis: every threshold crossing is reported at once). */
export async function sampleOnce(options: SampleOptions = {}): Promise<Snapshot> {
  const sampler = new Sampler(options);
  try {
    return await sampler.sample();
  } finally {
    sampler.close();
  }
}
