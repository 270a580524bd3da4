/**
 * Prometheus exposition of a snapshot via prom-client (`ghostwatch_…` names). Gauges are reset
 * on every sample so label sets of vanished processes disappear instead of going stale.
 */
import { Gauge, Registry } from "prom-client";
import type { Snapshot } from "./types.js";

/** Label-friendly command: first two words, at most 60 characters (already redacted). */
function short(command: string): string {
  const s = command.split(" ").slice(0, 2).join(" ");
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}

export class ProbeMetrics {
  readonly registry = new Registry();
  private g = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name: `ghostwatch_${name}`, help, labelNames, registers: [this.registry] });
  private up = this.g("endpoint_up", "1 when the LLM endpoint answered its API correctly", ["url", "kind"]);
  private hanging = this.g("endpoint_hanging", "1 when the endpoint accepted the connection but did not answer in time", ["url"]);
  private latency = this.g("endpoint_latency_seconds", "Latency of the endpoint's version request", ["url"]);
  private modelsInstalled = this.g("endpoint_models_installed", "Models installed on the endpoint", ["url"]);
  private modelsLoaded = this.g("endpoint_models_loaded", "Models loaded in memory on the endpoint", ["url"]);
  private modelsCloud = this.g("endpoint_models_cloud", "Installed models that run remotely (Ollama remote_host)", ["url"]);
  private functional = this.g("endpoint_functional_ok", "1 when the 1-token generation on a loaded model succeeded", ["url", "model"]);
  private functionalLatency = this.g("endpoint_functional_latency_seconds", "Latency of the 1-token generation", ["url", "model"]);
  private sockets = this.g("tcp_sockets", "TCP sockets on the host by state", ["state"]);
  private closeWait = this.g("close_wait_sockets", "Sockets in CLOSE-WAIT per process and remote", ["pid", "command", "remote"]);
  private cloudLlm = this.g("cloud_llm_connections", "Connections to known cloud LLM hosts per process", ["pid", "command", "host"]);
  private fdOpen = this.g("process_open_fds", "Open file descriptors per process (listed processes)", ["pid", "command"]);
  private fdLimit = this.g("process_max_fds", "Soft limit on open files per process", ["pid", "command"]);
  private fdRatio = this.g("process_fd_ratio", "Open FDs / soft limit", ["pid", "command"]);
  private procs = this.g("processes", "Processes by category", ["category"]);
  private warnings = this.g("warnings", "Active warnings by kind and severity", ["kind", "severity"]);
  private duration = this.g("sample_duration_seconds", "Duration of the last sample");
  private sampledAt = this.g("sample_timestamp_seconds", "Unix time of the last sample");

  update(s: Snapshot): void {
    for (const m of [this.up, this.hanging, this.latency, this.modelsInstalled, this.modelsLoaded, this.modelsCloud, this.functional, this.functionalLatency, this.sockets, this.closeWait, this.cloudLlm, this.fdOpen, this.fdLimit, this.fdRatio, this.procs, this.warnings]) m.reset();
    for (const e of s.endpoints) {
      this.up.set({ url: e.url, kind: e.kind }, e.ok ? 1 : 0);
      this.hanging.set({ url: e.url }, e.status === "hanging" ? 1 : 0);
      if (e.latencyMs !== null) this.latency.set({ url: e.url }, e.latencyMs / 1000);
      this.modelsInstalled.set({ url: e.url }, e.models.length);
      this.modelsLoaded.set({ url: e.url }, e.loaded.length);
      this.modelsCloud.set({ url: e.url }, e.cloudModels.length);
      if (e.functional) {
        this.functional.set({ url: e.url, model: e.functional.model }, e.functional.ok ? 1 : 0);
        if (e.functional.latencyMs !== null) this.functionalLatency.set({ url: e.url, model: e.functional.model }, e.functional.latencyMs / 1000);
      }
    }
    for (const state of ["ESTABLISHED", "CLOSE_WAIT", "TIME_WAIT", "LISTEN", "SYN_SENT", "FIN_WAIT2"]) this.sockets.set({ state }, 0);
    for (const [state, n] of Object.entries(s.sockets.byState)) this.sockets.set({ state }, n);
    for (const c of s.sockets.closeWait) this.closeWait.inc({ pid: String(c.pid ?? "unknown"), command: short(c.command), remote: c.remote }, c.count);
    for (const c of s.sockets.cloudLlm) this.cloudLlm.inc({ pid: String(c.pid ?? "unknown"), command: short(c.command), host: c.host }, c.count);
    for (const f of s.fds) {
      const l = { pid: String(f.pid), command: short(f.command) };
      this.fdOpen.set(l, f.open);
      if (f.limit !== null) this.fdLimit.set(l, f.limit);
      if (f.ratio !== null) this.fdRatio.set(l, f.ratio);
    }
    const p = s.processes;
    this.procs.set({ category: "total" }, p.total);
    this.procs.set({ category: "zombie" }, p.zombies.length);
    this.procs.set({ category: "orphan" }, p.orphans.length);
    this.procs.set({ category: "duplicate" }, p.duplicates.reduce((n, d) => n + d.count, 0));
    this.procs.set({ category: "stale" }, p.stale.length);
    this.procs.set({ category: "long_running" }, p.longRunning.length);
    for (const w of s.warnings) this.warnings.inc({ kind: w.kind, severity: w.severity });
    this.duration.set(s.durationMs / 1000);
    this.sampledAt.set(Date.parse(s.sampledAt) / 1000);
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
