/**
 * Prometheus exposition (prom-client, `ghostwatch_…` names), shaped as exporters do it:
 *  - bounded labels only: TCP state, remote class (local / cloud / other) with the catalogue host or
 *    the configured endpoint, endpoint URL (redacted; the user's own list), warning kind — never a
 *    pid, command line or remote address, so series do not churn as processes come and go;
 *  - per-process figures as maxima (`…_process_max`): the worst offender is what alerts need, and
 *    `/health` (or `--json`) names it;
 *  - counters for failures (`…_failures_total`, `ghostwatch_sample_errors_total`), histograms for
 *    latencies, `ghostwatch_build_info{…} 1` and `ghostwatch_endpoint_info{…} 1` for identity;
 *  - `ghostwatch_endpoint_configured` (1 = the user listed it, 0 = the implicit default) so alerts
 *    fire only for endpoints that are configured or were seen up.
 * Gauges are reset on every sample; counters and histograms accumulate over a serving probe's life.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { isIP } from "node:net";
import type { Snapshot } from "./types.js";
import { stripControl } from "./redact.js";
import { pkgVersion } from "../version.js";

export type RemoteClass = "local" | "cloud" | "other";

/** Loopback, private (RFC 1918 / ULA) and link-local addresses count as "local". */
export function isLocalAddress(ip: string): boolean {
  const a = ip.startsWith("::ffff:") && ip.includes(".") ? ip.slice(7) : ip;
  if (isIP(a) === 4) {
    const [x, y] = a.split(".").map(Number) as [number, number];
    return x === 127 || x === 10 || (x === 172 && y >= 16 && y <= 31) || (x === 192 && y === 168) || (x === 169 && y === 254) || x === 0;
  }
  if (isIP(a) === 6) {
    const l = a.toLowerCase();
    return l === "::1" || l === "::" || /^f[cd]/.test(l) || /^fe[89ab]/.test(l);
  }
  return a === "localhost";
}

/** "ip:port" / "[v6]:port" → address and port. */
function splitRemote(remote: string): { address: string; port: number } {
  const m = /^\[?(.*?)\]?:(\d+)$/.exec(remote);
  return m ? { address: m[1]!, port: Number(m[2]) } : { address: remote, port: 0 };
}

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const FAILURE_REASONS = ["down", "hanging", "error", "functional"] as const;

export class ProbeMetrics {
  readonly registry = new Registry();
  private g = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name: `ghostwatch_${name}`, help, labelNames, registers: [this.registry] });
  private c = (name: string, help: string, labelNames: string[] = []) => new Counter({ name: `ghostwatch_${name}`, help, labelNames, registers: [this.registry] });
  private h = (name: string, help: string, labelNames: string[] = []) => new Histogram({ name: `ghostwatch_${name}`, help, labelNames, buckets: DURATION_BUCKETS, registers: [this.registry] });

  private buildInfo = this.g("build_info", "Ghostwatch probe build and platform (always 1)", ["version", "node_version", "platform"]);
  private up = this.g("endpoint_up", "1 when the LLM endpoint answered its API correctly (valid JSON)", ["url", "kind"]);
  private configured = this.g("endpoint_configured", "1 when the endpoint was configured (--endpoint, OLLAMA_HOST), 0 for the implicit default", ["url", "kind"]);
  private endpointInfo = this.g("endpoint_info", "Identity of an endpoint that answered (always 1; version as reported, sanitised)", ["url", "kind", "version"]);
  private hanging = this.g("endpoint_hanging", "1 when the endpoint accepted the connection but did not answer in time", ["url"]);
  private modelsInstalled = this.g("endpoint_models_installed", "Models installed on the endpoint", ["url"]);
  private modelsLoaded = this.g("endpoint_models_loaded", "Models loaded in memory on the endpoint", ["url"]);
  private modelsCloud = this.g("endpoint_models_cloud", "Installed models that run remotely (Ollama remote_host)", ["url"]);
  private functional = this.g("endpoint_functional_ok", "1 when the 1-token generation on a loaded model succeeded (absent when not run)", ["url"]);
  private checkDuration = this.h("endpoint_request_duration_seconds", "Latency of the endpoint's version request", ["url"]);
  private functionalDuration = this.h("endpoint_functional_duration_seconds", "Latency of the 1-token generation", ["url"]);
  private checks = this.c("endpoint_checks_total", "Endpoint checks run", ["url"]);
  private failures = this.c("endpoint_check_failures_total", "Endpoint checks that failed, by reason (down, hanging, error, functional)", ["url", "reason"]);
  private sockets = this.g("tcp_sockets", "TCP sockets on the host by state", ["state"]);
  private closeWait = this.g("close_wait_sockets", "Sockets in CLOSE-WAIT by remote class and host (catalogue host or configured endpoint; empty otherwise)", ["remote_class", "host"]);
  private closeWaitMax = this.g("close_wait_sockets_process_max", "Most CLOSE-WAIT sockets held by one process (GET /health names it)");
  private cloudLlm = this.g("cloud_llm_connections", "Connections to cloud LLM hosts from the provider catalogue", ["host"]);
  private fdOpenMax = this.g("process_open_fds_max", "Most open file descriptors of one listed process");
  private fdRatioMax = this.g("process_fd_ratio_max", "Highest open FDs / soft limit of one listed process");
  private procs = this.g("processes", "Processes by category", ["category"]);
  private warnings = this.g("warnings", "Active warnings by kind and severity", ["kind", "severity"]);
  private samples = this.c("samples_total", "Samples taken");
  private sampleErrors = this.c("sample_errors_total", "Samples that failed or read the host only partly");
  private duration = this.h("sample_duration_seconds", "Duration of one sample");
  private sampledAt = this.g("sample_timestamp_seconds", "Unix time of the last sample");
  private eventClientsGauge = this.g("events_clients", "Connected /events clients (serve mode)");
  private eventDropsCounter = this.c("events_clients_dropped_total", "/events clients dropped because they did not read (serve mode)");
  private modelConnections = this.c("model_connections_total", "New model connections seen while serving (route audit), by remote class (local / cloud / other) and catalogue host (\"other\" otherwise)", ["remote_class", "host"]);

  constructor(_opts: { backend?: string } = {}) {
    this.buildInfo.set({ version: pkgVersion(), node_version: process.version, platform: process.platform }, 1);
  }

  /** Serve mode: /events clients now connected, and one more dropped. */
  eventClients(n: number): void {
    this.eventClientsGauge.set(n);
  }
  eventClientDropped(): void {
    this.eventDropsCounter.inc();
  }

  /** A sample threw before producing a snapshot (serve mode). */
  sampleFailed(): void {
    this.samples.inc();
    this.sampleErrors.inc();
  }

  update(s: Snapshot): void {
    // functional_ok is not reset: in serve mode the generation runs every Nth sample, and its last
    // result stands in between (no series flapping in and out).
    for (const m of [this.up, this.configured, this.endpointInfo, this.hanging, this.modelsInstalled, this.modelsLoaded, this.modelsCloud, this.sockets, this.closeWait, this.cloudLlm, this.procs, this.warnings]) m.reset();
    this.samples.inc();
    if (s.errors.length > 0) this.sampleErrors.inc();
    else this.sampleErrors.inc(0);
    const endpointHosts = new Map<string, string>(); // "address:port" → endpoint host label
    for (const e of s.endpoints) {
      const url = e.url;
      this.up.set({ url, kind: e.kind }, e.ok ? 1 : 0);
      this.configured.set({ url, kind: e.kind }, e.configured ? 1 : 0);
      if (e.status === "up") this.endpointInfo.set({ url, kind: e.kind, version: stripControl(e.version ?? "", 40) }, 1);
      this.hanging.set({ url }, e.status === "hanging" ? 1 : 0);
      this.modelsInstalled.set({ url }, e.models.length);
      this.modelsLoaded.set({ url }, e.loaded.length);
      this.modelsCloud.set({ url }, e.cloudModels.length);
      this.checks.inc({ url });
      for (const reason of FAILURE_REASONS) this.failures.inc({ url, reason }, 0);
      if (e.status !== "up") this.failures.inc({ url, reason: e.status });
      else if (e.functional && !e.functional.ok) this.failures.inc({ url, reason: "functional" });
      if (e.latencyMs !== null) this.checkDuration.observe({ url }, e.latencyMs / 1000);
      if (e.functional) {
        this.functional.set({ url }, e.functional.ok ? 1 : 0);
        if (e.functional.latencyMs !== null) this.functionalDuration.observe({ url }, e.functional.latencyMs / 1000);
      }
      try {
        const u = new URL(url);
        const host = u.hostname.replace(/^\[|\]$/g, "");
        const port = u.port || (u.protocol === "https:" ? "443" : "80");
        const label = `${u.hostname}:${port}`;
        endpointHosts.set(`${host}:${port}`, label);
        if (host === "localhost") endpointHosts.set(`127.0.0.1:${port}`, label).set(`::1:${port}`, label);
      } catch {
        /* display URL that does not parse: no join */
      }
    }
    for (const state of ["ESTABLISHED", "CLOSE_WAIT", "TIME_WAIT", "LISTEN", "SYN_SENT", "FIN_WAIT2"]) this.sockets.set({ state }, 0);
    for (const [state, n] of Object.entries(s.sockets.byState)) this.sockets.set({ state }, n);
    for (const cls of ["local", "cloud", "other"]) this.closeWait.set({ remote_class: cls, host: "" }, 0);
    const perPid = new Map<number, number>();
    for (const c of s.sockets.closeWait) {
      const r = splitRemote(c.remote);
      const endpoint = endpointHosts.get(`${r.address}:${r.port}`);
      const cls: RemoteClass = c.host ? "cloud" : isLocalAddress(r.address) ? "local" : "other";
      this.closeWait.inc({ remote_class: cls, host: c.host ?? endpoint ?? "" }, c.count);
      if (c.pid !== null) perPid.set(c.pid, (perPid.get(c.pid) ?? 0) + c.count);
    }
    this.closeWaitMax.set(Math.max(0, ...perPid.values()));
    for (const c of s.sockets.cloudLlm) this.cloudLlm.inc({ host: c.host }, c.count);
    this.fdOpenMax.set(Math.max(0, ...s.fds.map((f) => f.open)));
    this.fdRatioMax.set(Math.max(0, ...s.fds.map((f) => f.ratio ?? 0)));
    const p = s.processes;
    this.procs.set({ category: "total" }, p.total);
    this.procs.set({ category: "zombie" }, p.zombies.length);
    this.procs.set({ category: "orphan" }, p.orphans.length);
    this.procs.set({ category: "duplicate" }, p.duplicates.reduce((n, d) => n + d.count, 0));
    this.procs.set({ category: "stale" }, p.stale.length);
    this.procs.set({ category: "long_running" }, p.longRunning.length);
    for (const w of s.warnings) this.warnings.inc({ kind: w.kind, severity: w.severity });
    this.duration.observe(s.durationMs / 1000);
    this.sampledAt.set(Date.parse(s.sampledAt) / 1000);
  }

  /** New model connections of one sample, from the route audit (bounded labels: class × catalogue host). */
  countConnections(byClassHost: ReadonlyMap<string, number>): void {
    for (const [k, n] of byClassHost) {
      const [remote_class, host] = k.split("|");
      if (n > 0) this.modelConnections.inc({ remote_class, host }, n);
    }
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** One-shot rendering (e.g. for the node_exporter textfile collector). */
export async function renderMetrics(s: Snapshot): Promise<string> {
  const m = new ProbeMetrics();
  m.update(s);
  return m.metrics();
}
