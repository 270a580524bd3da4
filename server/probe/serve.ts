/**
 * `ghostwatch probe --serve`: a loopback-only, read-only HTTP server.
 *   GET /health   the latest snapshot (JSON, SPEC §4)
 *   GET /metrics  Prometheus text (ghostwatch_… names)
 *   GET /events   server-sent events: `event: snapshot` + JSON after every sample
 * Requests whose Host (or Origin) is not loopback are refused (DNS rebinding); no CORS headers.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { ProbeMetrics } from "./metrics.js";
import { Sampler, type SampleOptions } from "./sample.js";
import type { Snapshot } from "./types.js";
import { pkgVersion } from "../version.js";

export interface ServeOptions extends SampleOptions {
  port?: number;
  intervalMs?: number;
  raiseAfter?: number;
  clearAfter?: number;
  /** Run the functional generation every N samples (default 12 → once a minute at 5 s). */
  functionalEvery?: number;
}

export interface RunningServer {
  url: string;
  port: number;
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

function originAllowed(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  try {
    const u = new URL(origin);
    return (u.protocol === "http:" || u.protocol === "https:") && hostAllowed(u.host, port);
  } catch {
    return false; // "null" origins (sandboxed iframes, file://) are refused
  }
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const sampler = new Sampler(opts, { raiseAfter: opts.raiseAfter ?? 3, clearAfter: opts.clearAfter ?? 3, functionalEvery: opts.functionalEvery ?? 12 });
  const metrics = new ProbeMetrics();
  const intervalMs = Math.max(250, opts.intervalMs ?? 5000);
  let latest: Snapshot | undefined;
  let latestJson = "";
  let waiters: Array<(s: Snapshot) => void> = [];
  const clients = new Set<http.ServerResponse>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let port = 0;

  const first = new Promise<Snapshot>((resolve) => waiters.push(resolve));

  async function tick(): Promise<void> {
    const t0 = Date.now();
    try {
      const snap = await sampler.sample();
      latest = snap;
      latestJson = JSON.stringify(snap);
      metrics.update(snap);
      const w = waiters;
      waiters = [];
      for (const r of w) r(snap);
      for (const c of clients) c.write(`event: snapshot\ndata: ${latestJson}\n\n`);
    } catch (e) {
      process.stderr.write(`ghostwatch probe: sample failed: ${(e as Error).message}\n`);
    }
    if (!closed) timer = setTimeout(() => void tick(), Math.max(0, intervalMs - (Date.now() - t0)));
  }

  const server = http.createServer(async (req, res) => {
    const baseHeaders = { "x-ghostwatch-pid": String(process.pid), "cache-control": "no-store", "x-content-type-options": "nosniff" };
    if (!hostAllowed(req.headers.host, port) || !originAllowed(req.headers.origin as string | undefined, port)) {
      res.writeHead(403, { ...baseHeaders, "content-type": "text/plain" }).end("forbidden: only loopback Host/Origin is served\n");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { ...baseHeaders, allow: "GET, HEAD", "content-type": "text/plain" }).end("read-only\n");
      return;
    }
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    try {
      if (url.pathname === "/health") {
        const snap = latest ?? (await first);
        const body = latest ? latestJson : JSON.stringify(snap);
        res.writeHead(200, { ...baseHeaders, "content-type": "application/json; charset=utf-8" }).end(req.method === "HEAD" ? undefined : body);
      } else if (url.pathname === "/metrics") {
        if (!latest) await first;
        const text = await metrics.metrics();
        res.writeHead(200, { ...baseHeaders, "content-type": metrics.contentType }).end(req.method === "HEAD" ? undefined : text);
      } else if (url.pathname === "/events") {
        if (clients.size >= 64) {
          res.writeHead(503, { ...baseHeaders, "content-type": "text/plain" }).end("too many event clients\n");
          return;
        }
        res.writeHead(200, { ...baseHeaders, "content-type": "text/event-stream; charset=utf-8", connection: "keep-alive" });
        res.write("retry: 5000\n\n");
        if (latest) res.write(`event: snapshot\ndata: ${latestJson}\n\n`);
        clients.add(res);
        req.on("close", () => clients.delete(res));
      } else if (url.pathname === "/") {
        res.writeHead(200, { ...baseHeaders, "content-type": "application/json; charset=utf-8" }).end(JSON.stringify({ service: "ghostwatch-probe", version: pkgVersion(), pid: process.pid, intervalMs, paths: ["/health", "/metrics", "/events"] }));
      } else {
        res.writeHead(404, { ...baseHeaders, "content-type": "text/plain" }).end("not found\n");
      }
    } catch (e) {
      res.writeHead(500, { ...baseHeaders, "content-type": "text/plain" }).end(`error: ${(e as Error).message}\n`);
    }
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  const heartbeat = setInterval(() => {
    for (const c of clients) c.write(": ping\n\n");
  }, 15_000);

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: opts.port ?? 0, exclusive: true }, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  void tick();

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    nextSample: () => new Promise<Snapshot>((r) => waiters.push(r)),
    async close() {
      closed = true;
      clearTimeout(timer);
      clearInterval(heartbeat);
      for (const c of clients) c.end();
      clients.clear();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
