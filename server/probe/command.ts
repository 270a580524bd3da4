/**
 * `ghostwatch probe` — registered on the main CLI by server/cli.ts.
 *   ghostwatch probe                 human table
 *   ghostwatch probe --json          the SPEC §4 object
 *   ghostwatch probe --check         Nagios exit codes 0 OK / 1 WARNING / 2 CRITICAL / 3 UNKNOWN
 *   ghostwatch probe --metrics       Prometheus text once (node_exporter textfile collector)
 *   ghostwatch probe --serve [--port N] [--interval ms]   loopback HTTP, single instance per user
 *   ghostwatch probe --listen 0.0.0.0:9464                 + a metrics-only listener for fleets (implies --serve)
 */
import { InvalidArgumentError, Option, type Command } from "commander";
import { DEFAULT_WATCH_PATTERNS } from "./analyze.js";
import { parseEndpoint, type EndpointSpec } from "./endpoints.js";
import { acquireServeLock, removeStateIfOurs, stateDir, writeState } from "./instance.js";
import { renderMetrics } from "./metrics.js";
import { sampleOnce, type SampleOptions } from "./sample.js";
import { startServer } from "./serve.js";
import { renderTable } from "./table.js";
import { redactText, stripControl } from "./redact.js";
import { DEFAULT_THRESHOLDS, nagiosCode, type Thresholds } from "./thresholds.js";
import type { Snapshot } from "./types.js";
import { pkgVersion } from "../version.js";

interface ProbeCliOptions {
  json?: boolean;
  check?: boolean;
  metrics?: boolean;
  serve?: boolean;
  port?: number;
  listen?: { host: string; port: number };
  interval: number;
  endpoint?: EndpointSpec[];
  endpoints: boolean;
  functional?: boolean;
  timeout: number;
  pid?: number[];
  closeWaitWarn: number;
  closeWaitCrit: number;
  fdWarn: number;
  fdCrit: number;
  zombieWarn: number;
  zombieCrit: number;
  ignore?: string[];
  warnCloud?: boolean;
  watchPattern?: string[];
  longRunning: number;
  top: number;
  duplicateMinAge: number;
  cloudHost?: string[];
  socketBackend: "proc" | "ss" | "auto";
  raiseAfter: number;
  clearAfter: number;
  explain?: string[] | boolean;
  connectTo?: string[];
}

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected an integer between ${min} and ${max}`);
  return n;
};
const percent = (v: string) => {
  const n = Number(String(v).replace(/%$/, ""));
  if (!Number.isFinite(n) || n <= 0 || n > 100) throw new InvalidArgumentError("expected a percentage in (0, 100]");
  return n / 100;
};
function collect<T>(parse: (v: string) => T) {
  return (v: string, prev: T[] | undefined) => [...(prev ?? []), parse(v)];
}
const pids = (v: string, prev: number[] | undefined) => [...(prev ?? []), ...v.split(",").filter(Boolean).map(int(1))];
const list = (v: string, prev: string[] | undefined) => [...(prev ?? []), ...v.split(",").map((s) => s.trim()).filter(Boolean)];
const endpoint = (v: string) => {
  try {
    return parseEndpoint(v);
  } catch {
    throw new InvalidArgumentError(`not a URL: ${redactText(v)}`);
  }
};
/** "HOST:PORT", "[v6]:PORT", ":PORT" (all addresses) or "PORT". */
export function parseListen(v: string): { host: string; port: number } {
  const t = v.trim();
  const m = /^\d{1,5}$/.test(t) ? ["", "", "", t] : /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]*)):(\d{1,5})$/.exec(t);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new InvalidArgumentError(`expected HOST:PORT, [IPv6]:PORT, :PORT or PORT, got ${v}`);
  return { host: m[1] || m[2] || "0.0.0.0", port };
}
const regex = (v: string) => {
  try {
    new RegExp(v, "i");
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
  return v;
};

function toSampleOptions(o: ProbeCliOptions): SampleOptions {
  const thresholds: Thresholds = {
    ...DEFAULT_THRESHOLDS,
    closeWaitWarn: o.closeWaitWarn, closeWaitCrit: o.closeWaitCrit, fdWarn: o.fdWarn, fdCrit: o.fdCrit, zombieWarn: o.zombieWarn, zombieCrit: o.zombieCrit,
    warnCloudLlm: !!o.warnCloud,
  };
  const ignore = new Set(o.ignore ?? []);
  if (ignore.has("orphan")) thresholds.warnOrphans = false;
  if (ignore.has("duplicate")) thresholds.warnDuplicates = false;
  if (ignore.has("stale")) thresholds.warnStale = false;
  if (ignore.has("zombie")) thresholds.zombieWarn = Number.MAX_SAFE_INTEGER;
  if (ignore.has("close_wait")) thresholds.closeWaitWarn = thresholds.closeWaitCrit = Number.MAX_SAFE_INTEGER;
  if (ignore.has("fd_limit")) thresholds.fdWarn = thresholds.fdCrit = Number.POSITIVE_INFINITY;
  return {
    endpoints: o.endpoints === false ? [] : o.endpoint,
    functional: !!o.functional,
    endpointTimeoutMs: o.timeout,
    thresholds,
    pids: o.pid,
    watchPatterns: o.watchPattern ? [...DEFAULT_WATCH_PATTERNS, ...o.watchPattern] : undefined,
    longRunningHours: o.longRunning,
    topFds: o.top,
    duplicateMinAgeSec: o.duplicateMinAge,
    cloudHosts: o.cloudHost,
    socketBackend: o.socketBackend,
  };
}

function nagiosLine(s: Snapshot, t: Thresholds): string {
  const code = nagiosCode(s.warnings);
  const label = ["OK", "WARNING", "CRITICAL"][code];
  const maxCw = Math.max(0, ...Object.values(s.sockets.closeWait.reduce<Record<string, number>>((m, c) => ((m[String(c.pid)] = (m[String(c.pid)] ?? 0) + c.count), m), {})));
  const maxFd = Math.max(0, ...s.fds.map((f) => f.ratio ?? 0));
  const down = s.endpoints.filter((e) => e.configured && !e.ok).length;
  const perf = [
    `close_wait_max=${maxCw};${t.closeWaitWarn};${t.closeWaitCrit}`,
    `fd_ratio_max=${maxFd};${t.fdWarn};${t.fdCrit}`,
    `zombies=${s.processes.zombies.length};${t.zombieWarn};${t.zombieCrit}`,
    `orphans=${s.processes.orphans.length}`,
    `duplicates=${s.processes.duplicates.length}`,
    `stale=${s.processes.stale.length}`,
    `endpoints_down=${down}`,
    `duration=${s.durationMs}ms`,
  ].join(" ");
  const summary = s.warnings.length === 0 ? "no threshold crossed" : `${s.warnings.length} warning(s): ${s.warnings[0]!.message}`;
  return [`GHOSTWATCH ${label} - ${stripControl(summary)} | ${perf}`, ...s.warnings.slice(1).map((w) => `${w.severity.toUpperCase()} [${w.kind}] ${stripControl(w.message)}`)].join("\n") + "\n";
}

async function runServe(o: ProbeCliOptions): Promise<number> {
  const dir = stateDir();
  const lock = await acquireServeLock({ dir });
  if (lock.kind === "serving") {
    process.stdout.write(`${o.json ? JSON.stringify({ alreadyServing: true, ...lock.probe }) : `ghostwatch probe is already serving for this user: ${lock.probe.url} (PID ${lock.probe.pid})`}\n`);
    return 3;
  }
  if (lock.kind === "busy") {
    process.stderr.write(`ghostwatch probe: ${lock.message}\n`);
    return 3;
  }
  let server;
  try {
    server = await startServer({ ...toSampleOptions(o), port: o.port ?? 0, intervalMs: o.interval, raiseAfter: o.raiseAfter, clearAfter: o.clearAfter, listen: o.listen });
  } catch (e) {
    await lock.release().catch(() => undefined);
    const where = o.listen ? `127.0.0.1:${o.port ?? 0} and ${o.listen.host}:${o.listen.port}` : `127.0.0.1:${o.port ?? 0}`;
    process.stderr.write(`ghostwatch probe: cannot listen on ${where}: ${(e as Error).message}\n`);
    return 3;
  }
  try {
    writeState({ pid: process.pid, port: server.port, url: server.url, startedAt: new Date().toISOString(), version: pkgVersion() }, dir);
  } catch (e) {
    process.stderr.write(`ghostwatch probe: cannot write the state file: ${(e as Error).message}\n`);
  }
  const listen = server.listen ? { listen: server.listen.url } : {};
  process.stdout.write(
    `${o.json ? JSON.stringify({ serving: true, pid: process.pid, port: server.port, url: server.url, ...listen }) : `ghostwatch probe serving on ${server.url} (/health, /metrics, /events)${server.listen ? ` and ${server.listen.url} (metrics only)` : ""} — PID ${process.pid}`}\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    process.once("SIGHUP", stop);
  });
  removeStateIfOurs(dir);
  await server.close();
  await lock.release().catch(() => undefined);
  return 0;
}

export function registerProbeCommand(program: Command): void {
  const d = DEFAULT_THRESHOLDS;
  const cmd = program
    .command("probe")
    .description("Live host health for local-LLM hosts: endpoints, CLOSE-WAIT sockets, FDs, zombie/orphan/duplicate/stale processes.")
    .option("--json", "print the snapshot as JSON (SPEC §4 shape)")
    .option("--check", "Nagios plugin mode: one status line, exit 0 OK / 1 WARNING / 2 CRITICAL / 3 UNKNOWN")
    .option("--metrics", "print Prometheus text once (for the node_exporter textfile collector)")
    .option("--serve", "serve on 127.0.0.1: GET /health, /metrics, /events (one per user)")
    .option("--port <n>", "port for --serve (0 or omitted: a free port)", int(0, 65535))
    .option("--listen <addr>", "also serve /metrics only (no /health, no /events) on HOST:PORT for fleet scraping; implies --serve", parseListen)
    .option("--interval <ms>", "sampling interval for --serve", int(250), 5000)
    .option("--endpoint <url>", "LLM endpoint to check, repeatable: URL, ollama=URL or openai=URL (replaces the default OLLAMA_HOST / 127.0.0.1:11434)", collect(endpoint))
    .option("--no-endpoints", "do not check any LLM endpoint")
    .option("--functional", "1-token generation (temperature 0) on an already loaded Ollama model; never loads a model")
    .option("--timeout <ms>", "timeout of each endpoint request", int(50), 2000)
    .option("--pid <pids>", "only these PIDs (comma-separated, repeatable) and their descendants", pids)
    .option("--close-wait-warn <n>", "CLOSE-WAIT sockets per process: warning above", int(0), d.closeWaitWarn)
    .option("--close-wait-crit <n>", "CLOSE-WAIT sockets per process: critical above", int(0), d.closeWaitCrit)
    .addOption(new Option("--fd-warn <percent>", "open FDs vs soft limit: warning above").argParser(percent).default(d.fdWarn, `${d.fdWarn * 100}%`))
    .addOption(new Option("--fd-crit <percent>", "open FDs vs soft limit: critical above").argParser(percent).default(d.fdCrit, `${d.fdCrit * 100}%`))
    .option("--zombie-warn <n>", "zombies per parent: warning above (0 = any zombie)", int(0), d.zombieWarn)
    .option("--zombie-crit <n>", "zombies in total: critical above", int(0), d.zombieCrit)
    .option("--ignore <kinds>", "warning kinds not to raise: orphan,duplicate,stale,zombie,close_wait,fd_limit", list)
    .option("--warn-cloud", "warn about every connection to a cloud LLM host (local-only policy)")
    .option("--watch-pattern <regex>", "extra pattern of processes to watch for orphans/long runs (repeatable)", collect(regex))
    .option("--long-running <hours>", "watched processes older than this are long runners", int(1), 24)
    .option("--duplicate-min-age <seconds>", "duplicates younger than this are listed without a warning", int(0), 120)
    .option("--top <n>", "FD rows to list besides those over the threshold", int(0), 20)
    .option("--cloud-host <host>", "extra cloud LLM host name or IP to flag (repeatable)", collect(String))
    .addOption(new Option("--socket-backend <backend>", "Linux socket reader").choices(["auto", "proc", "ss"]).default("auto"))
    .option("--raise-after <n>", "--serve: samples a warning must hold before it is raised", int(1), 3)
    .option("--clear-after <n>", "--serve: clean samples before a warning is cleared", int(1), 3)
    .option("--explain [paths...]", "join this host's sockets to the code in paths (default .): per process, the live symptom and the call site behind it")
    .option("--connect-to <HOST:PORT:ADDR:PORT>", "--explain: a code endpoint is reached at another address (proxy, stand-in), as curl's --connect-to (repeatable)", collect(String))
    .action(async (o: ProbeCliOptions) => {
      if (o.serve || o.listen) {
        process.exitCode = await runServe(o);
        return;
      }
      if (o.explain) {
        try {
          // Loaded on demand (and not by a literal specifier): --explain brings ESLint and the rules, which a
          // bundled probe (the VS Code extension's) neither needs nor ships.
          const mod = (await import(new URL("../evidence/command.js", import.meta.url).href)) as typeof import("../evidence/command.js");
          process.exitCode = await mod.runExplain(Array.isArray(o.explain) ? o.explain : [], { ...toSampleOptions(o), pids: o.pid }, { json: o.json, connectTo: o.connectTo });
        } catch (e) {
          process.stdout.write(`GHOSTWATCH UNKNOWN - --explain could not run: ${(e as Error).message}\n`);
          process.exitCode = 3;
        }
        return;
      }
      try {
        const snap = await sampleOnce(toSampleOptions(o));
        if (o.metrics) process.stdout.write(await renderMetrics(snap));
        else if (o.json) process.stdout.write(`${JSON.stringify(snap, null, 2)}\n`);
        else if (o.check) process.stdout.write(nagiosLine(snap, { ...DEFAULT_THRESHOLDS, closeWaitWarn: o.closeWaitWarn, closeWaitCrit: o.closeWaitCrit, fdWarn: o.fdWarn, fdCrit: o.fdCrit, zombieWarn: o.zombieWarn, zombieCrit: o.zombieCrit }));
        else process.stdout.write(renderTable(snap));
        process.exitCode = o.check ? nagiosCode(snap.warnings) : 0;
      } catch (e) {
        process.stdout.write(`GHOSTWATCH UNKNOWN - the probe could not run: ${(e as Error).message}\n`);
        process.exitCode = 3;
      }
    });
  // Usage errors in probe mode are Nagios UNKNOWN (3), not commander's 1.
  cmd.exitOverride((err) => {
    process.exit(err.exitCode === 0 ? 0 : 3);
  });
}
