/**
 * `ghostwatch probe --serve`: a loopback-only, read-only HTTP server.
 *   GET /health   the latest snapshot (JSON, SPEC §4)
 *   GET /metrics  Prometheus text (ghostwatch_… names)
 *   GET /events   server-sent events: `event: snapshot` + JSON after every sample
 * Requests whose Host (or Origin) is not loopback are refused (DNS rebinding); no CORS headers.
 * Hostile input never reaches `new URL()` unguarded: a malformed or absolute-form request target
 * naming another host, or two Host headers, is answered 400/421 and the server keeps serving.
 * `/events` clients that do not read are skipped while their buffer drains and dropped (slot freed)
 * after EVENTS_MAX_SKIPS skipped snapshots or EVENTS_MAX_BUFFER bytes queued.
 * `listen` (fleets): a second listener on a non-loopback address that serves `/metrics` only.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { ProbeMetrics } from "./metrics.js";
import { RouteAudit } from "../evidence/audit.js";
import { liveSection, withRouteAudit } from "../evidence/live.js";
import { stateDir } from "./instance.js";
import path from "node:path";
import { Sampler, type SampleOptions } from "./sample.js";
import type { Snapshot } from "./types.js";
import { pkgVersion } from "../version.js";

export interface ServeOptions extends SampleOptions {
  port?: number;
  /** Extra metrics-only listener for fleets ("0.0.0.0:9464", "[::]:9464", "10.0.0.5:9464"). */
  listen?: { host: string; port: number };
  intervalMs?: number;
  raiseAfter?: number;
  clearAfter?: number;
  /** Run the functional generation every N samples (default 12 → once a minute at 5 s). */
  functionalEvery?: number;
  /** Route-audit ring file (default `<state dir>/routes.jsonl`); false: in memory only. */
  routeAuditFile?: string | false;
}

export interface RunningServer {
  url: string;
  port: number;
  /** Address of the metrics-only listener, when `listen` was given. */
  listen?: { host: string; port: number; url: string };
  /** Connected /events clients (for tests and stress figures). */
  eventClients(): number;
  /** /events clients dropped because they did not read (since start). */
  eventDrops(): number;
  close(): Promise<void>;
  /** Resolves with the next completed snapshot. */
  nextSample(): Promise<Snapshot>;
}

const LOOPBACK_NAMES = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** Host header must be a loopback name, with our port when a port is given. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host.trim().toLowerCase());
  if (!m) return false;
  if (!LOOPBACK_NAMES.has(m[1]!)) return false;
  return m[2] === undefined || Number(m[2]) === port;
}

/** Bytes one /events client may have queued in the process before it is dropped. */
export const EVENTS_MAX_BUFFER = 1024 * 1024;
/** Consecutive snapshots a non-draining /events client may miss before it is dropped. */
export const EVENTS_MAX_SKIPS = 3;
/**
 * Bytes the kernel may hold unsent for one /events client. The kernel's own send buffer grows to
 * several MB per socket (tcp_wmem), so a client that never reads would hold its slot for minutes
 * before Node buffers anything; the probe reads its own sockets' Send-Q in every sample (Linux).
 */
export const EVENTS_MAX_KERNEL_QUEUE = 256 * 1024;

/**
 * The path of a request target without `new URL()` on untrusted input in the hot path:
 * origin-form ("/health?x") → "/health"; absolute-form ("http://127.0.0.1:P/health") is parsed
 * guarded and must name a loopback host with our port (else "foreign"); anything else is "bad".
 */
export function targetPath(target: string | undefined, port: number): string | "bad" | "foreign" {
  if (!target) return "bad";
  if (target.startsWith("/")) {
    // origin-form: RFC 3986 pchars only ("[" "]" "{" spaces … are not), well-formed %XX escapes.
    if (!/^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*(?:\?[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*)?$/.test(target) || /%(?![0-9A-Fa-f]{2})/.test(target)) return "bad";
    const q = target.indexOf("?");
    return q < 0 ? target : target.slice(0, q);
  }
  if (!/^https?:\/\//i.test(target)) return "bad";
  let u: URL;
  try {
    u = new URL(target);
  } catch {
    return "bad";
  }
  return hostAllowed(u.host, port) ? u.pathname : "foreign";
}

/** Exactly one Host header (HTTP/1.1 §5.4: more than one → 400). */
function hostCount(rawHeaders: string[]): number {
  let n = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === "host") n++;
  return n;
}

function originAllowed(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  try {
    const u = new URL(origin);
    return (u.protocol === "http:" || u.protocol === "https:") && hostAllowed(u.host, port);
  } catch {
    return false; // "null" origins (sandboxed iframes, file://) are refused
  }
}

/**
 * Timeouts are enforced by a periodic check (Node's default: every 30 s); every second keeps a
 * slow-headers client (slowloris) from holding a connection much past `headersTimeout`.
 */
const SERVER_OPTIONS: http.ServerOptions = { connectionsCheckingInterval: 1000, headersTimeout: 10_000, requestTimeout: 15_000, maxHeaderSize: 16 * 1024 };

interface EventClient {
  res: http.ServerResponse;
  skips: number;
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const sampler = new Sampler(opts, { raiseAfter: opts.raiseAfter ?? 3, clearAfter: opts.clearAfter ?? 3, functionalEvery: opts.functionalEvery ?? 12 });
  const metrics = new ProbeMetrics({ backend: "" });
  const audit = new RouteAudit({ file: opts.routeAuditFile === false ? undefined : (opts.routeAuditFile ?? path.join(stateDir(), "routes.jsonl")) });
  const intervalMs = Math.max(250, opts.intervalMs ?? 5000);
  let latest: Snapshot | undefined;
  let latestJson = "";
  let waiters: Array<(s: Snapshot) => void> = [];
  const clients = new Set<EventClient>();
  let drops = 0;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let port = 0;

  const first = new Promise<Snapshot>((resolve) => waiters.push(resolve));

  function drop(c: EventClient): void {
    clients.delete(c);
    drops++;
    metrics.eventClientDropped();
    c.res.destroy();
  }

  /** Send-Q of our own /events sockets from the last sample (remote port → bytes), Linux only. */
  function kernelQueues(): Map<number, number> {
    const m = new Map<number, number>();
    for (const s of sampler.lastSockets()) if (s.localPort === port && s.sendQueue !== undefined && s.state === "ESTABLISHED") m.set(s.remotePort, s.sendQueue);
    return m;
  }

  /** Write to every /events client that keeps up; skip those still draining, drop the stuck ones. */
  function broadcast(chunk: string, queues = new Map<number, number>()): void {
    for (const c of clients) {
      if (c.res.destroyed) {
        clients.delete(c);
        continue;
      }
      const kernel = queues.get(c.res.socket?.remotePort ?? -1) ?? 0;
      if (c.res.writableNeedDrain || c.res.writableLength > 0 || kernel > EVENTS_MAX_KERNEL_QUEUE) {
        if (++c.skips >= EVENTS_MAX_SKIPS || c.res.writableLength > EVENTS_MAX_BUFFER) drop(c);
        continue;
      }
      c.skips = 0;
      c.res.write(chunk);
      if (c.res.writableLength > EVENTS_MAX_BUFFER) drop(c);
    }
  }

  async function tick(): Promise<void> {
    const t0 = Date.now();
    try {
      const snap = await sampler.sample();
      if (sampler.lastRead) {
        // live evidence: model connections with their processes, counted by the route audit
        const before = new Map(audit.totals);
        const { section, connections } = liveSection(sampler.lastRead, sampler.cloudIps, sampler.endpointTargets());
        audit.observe(connections);
        snap.live = withRouteAudit(section, audit);
        metrics.countConnections(new Map([...audit.totals].map(([k, n]) => [k, n - (before.get(k) ?? 0)])));
      }
      latest = snap;
      latestJson = JSON.stringify(snap);
      metrics.update(snap);
      const w = waiters;
      waiters = [];
      for (const r of w) r(snap);
      broadcast(`event: snapshot\ndata: ${latestJson}\n\n`, clients.size > 0 ? kernelQueues() : undefined);
    } catch (e) {
      metrics.sampleFailed();
      process.stderr.write(`ghostwatch probe: sample failed: ${(e as Error).message}\n`);
    }
    if (!closed) timer = setTimeout(() => void tick(), Math.max(0, intervalMs - (Date.now() - t0)));
  }

  const baseHeaders = () => ({ "x-ghostwatch-pid": String(process.pid), "cache-control": "no-store", "x-content-type-options": "nosniff" });
  const text = (res: http.ServerResponse, status: number, body: string, extra: Record<string, string> = {}) => {
    if (!res.headersSent) res.writeHead(status, { ...baseHeaders(), "content-type": "text/plain; charset=utf-8", ...extra });
    res.end(body);
  };

  async function sendMetrics(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!latest) await first;
    metrics.eventClients(clients.size);
    const body = await metrics.metrics();
    res.writeHead(200, { ...baseHeaders(), "content-type": metrics.contentType }).end(req.method === "HEAD" ? undefined : body);
  }

  /** Checks shared by both listeners; returns the path to serve, or undefined once answered. */
  function admit(req: http.IncomingMessage, res: http.ServerResponse, listenerPort: number, loopbackOnly: boolean): string | undefined {
    if (hostCount(req.rawHeaders) !== 1) {
      text(res, 400, "bad request: exactly one Host header is required\n", { connection: "close" });
      return undefined;
    }
    const p = targetPath(req.url, listenerPort);
    if (p === "bad") {
      text(res, 400, "bad request: malformed request target\n", { connection: "close" });
      return undefined;
    }
    if (p === "foreign" && loopbackOnly) {
      text(res, 421, "misdirected request: only loopback targets are served\n", { connection: "close" });
      return undefined;
    }
    if (loopbackOnly && (!hostAllowed(req.headers.host, listenerPort) || !originAllowed(req.headers.origin as string | undefined, listenerPort))) {
      text(res, 403, "forbidden: only loopback Host/Origin is served\n");
      return undefined;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      text(res, 405, "read-only\n", { allow: "GET, HEAD" });
      return undefined;
    }
    return p === "foreign" ? "" : p;
  }

  const server = http.createServer(SERVER_OPTIONS, async (req, res) => {
    try {
      const pathname = admit(req, res, port, true);
      if (pathname === undefined) return;
      if (pathname === "/health") {
        const snap = latest ?? (await first);
        const body = latest ? latestJson : JSON.stringify(snap);
        res.writeHead(200, { ...baseHeaders(), "content-type": "application/json; charset=utf-8" }).end(req.method === "HEAD" ? undefined : body);
      } else if (pathname === "/metrics") {
        await sendMetrics(req, res);
      } else if (pathname === "/events") {
        if (clients.size >= 64) {
          text(res, 503, "too many event clients\n");
          return;
        }
        res.writeHead(200, { ...baseHeaders(), "content-type": "text/event-stream; charset=utf-8", connection: "keep-alive" });
        res.write("retry: 5000\n\n");
        if (latest) res.write(`event: snapshot\ndata: ${latestJson}\n\n`);
        const c: EventClient = { res, skips: 0 };
        clients.add(c);
        res.on("close", () => clients.delete(c));
      } else if (pathname === "/") {
        res.writeHead(200, { ...baseHeaders(), "content-type": "application/json; charset=utf-8" }).end(JSON.stringify({ service: "ghostwatch-probe", version: pkgVersion(), pid: process.pid, intervalMs, paths: ["/health", "/metrics", "/events"] }));
      } else {
        text(res, 404, "not found\n");
      }
    } catch (e) {
      text(res, 500, `error: ${(e as Error).message}\n`);
    }
  });
  /** Fleet listener: /metrics only, any Host (it is meant to be scraped from other hosts). */
  const metricsServer = opts.listen
    ? http.createServer(SERVER_OPTIONS, async (req, res) => {
        try {
          const pathname = admit(req, res, 0, false);
          if (pathname === undefined) return;
          if (pathname === "/metrics") await sendMetrics(req, res);
          else text(res, 404, "not found: this listener serves /metrics only\n");
        } catch (e) {
          text(res, 500, `error: ${(e as Error).message}\n`);
        }
      })
    : undefined;
  for (const s of [server, metricsServer]) {
    if (!s) continue;
    s.headersTimeout = 10_000;
    s.requestTimeout = 15_000;
    s.maxHeadersCount = 64;
    // A request the HTTP parser itself rejects: answer 400 on the socket, never throw.
    s.on("clientError", (_err, socket) => {
      if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
      else socket.destroy();
    });
  }
  const heartbeat = setInterval(() => broadcast(": ping\n\n"), 15_000);

  const listen = (s: http.Server, host: string, p: number) =>
    new Promise<void>((resolve, reject) => {
      s.once("error", reject);
      s.listen({ host, port: p, exclusive: true }, () => {
        s.off("error", reject);
        resolve();
      });
    });
  await listen(server, "127.0.0.1", opts.port ?? 0);
  port = (server.address() as AddressInfo).port;
  let listenInfo: RunningServer["listen"];
  if (metricsServer && opts.listen) {
    try {
      await listen(metricsServer, opts.listen.host, opts.listen.port);
    } catch (e) {
      await new Promise<void>((r) => server.close(() => r()));
      clearInterval(heartbeat);
      throw e;
    }
    const a = metricsServer.address() as AddressInfo;
    const h = a.family === "IPv6" ? `[${a.address}]` : a.address;
    listenInfo = { host: a.address, port: a.port, url: `http://${h}:${a.port}/metrics` };
  }
  void tick();

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    listen: listenInfo,
    eventClients: () => clients.size,
    eventDrops: () => drops,
    nextSample: () => new Promise<Snapshot>((r) => waiters.push(r)),
    async close() {
      closed = true;
      clearTimeout(timer);
      clearInterval(heartbeat);
      audit.close();
      for (const c of clients) c.res.destroy();
      clients.clear();
      for (const s of [server, metricsServer]) {
        if (!s) continue;
        s.closeAllConnections();
        await new Promise<void>((r) => s.close(() => r()));
      }
    },
  };
}
