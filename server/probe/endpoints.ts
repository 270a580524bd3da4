/**
 * LLM endpoint checks: Ollama (`/api/version`, `/api/tags`, `/api/ps`, `/api/status`, optional
 * functional `/api/generate`) and OpenAI-compatible servers (`/v1/models`). Every request is
 * bounded by a timeout, uses its own connection (no keep-alive pool left behind), and a server
 * that accepts the connection but never answers is reported as "hanging".
 */
import * as http from "node:http";
import * as https from "node:https";
import type { EndpointStatus, FunctionalCheck } from "./types.js";
import { redactText, redactUrl, stripControl } from "./redact.js";

export interface EndpointSpec {
  url: string;
  kind?: "ollama" | "openai" | "auto";
  /** Explicitly configured by the user (warnings are raised when it is down). */
  configured?: boolean;
}

export interface EndpointOptions {
  timeoutMs?: number;
  /** Run the 1-token functional check on an already-loaded model. */
  functional?: boolean;
  functionalTimeoutMs?: number;
}

interface HttpResult {
  status: number;
  body: string;
  ms: number;
}

class HttpError extends Error {
  constructor(message: string, readonly code: "down" | "hanging" | "error") {
    super(message);
  }
}

/** One bounded HTTP request; the socket is always destroyed at the end. */
export function httpRequest(url: string, opts: { method?: string; body?: unknown; timeoutMs: number; headers?: Record<string, string> }): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === "https:" ? https : http;
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const t0 = performance.now();
    let connected = false;
    let settled = false;
    const req = mod.request(
      u,
      {
        method: opts.method ?? "GET",
        agent: false,
        headers: { accept: "application/json", connection: "close", ...(body ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) } : {}), ...opts.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > 8 * 1024 * 1024) req.destroy(new Error("response larger than 8 MB"));
          else chunks.push(c);
        });
        res.on("end", () => finish(undefined, { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - t0 }));
        res.on("error", (e) => finish(e));
      },
    );
    const timer = setTimeout(() => {
      // Let the poll phase deliver a pending "connect" first (a blocked event loop delays it past the timer).
      setImmediate(() => {
        const c = connected || (req.socket ? !req.socket.connecting && !req.socket.destroyed : false);
        finish(new HttpError(c ? `no answer within ${opts.timeoutMs} ms (connection accepted, endpoint hanging)` : `no connection within ${opts.timeoutMs} ms`, c ? "hanging" : "down"));
      });
    }, opts.timeoutMs);
    req.on("socket", (s) => {
      if (!s.connecting) connected = true;
      else s.once("connect", () => (connected = true));
    });
    req.on("error", (e: NodeJS.ErrnoException) => finish(new HttpError(e.code ? `${e.code}: ${e.message}` : e.message, e.code === "ECONNRESET" && connected ? "error" : "down")));
    function finish(err?: Error, result?: HttpResult) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      if (err) reject(err);
      else resolve(result!);
    }
    if (body) req.write(body);
    req.end();
  });
}

/** GET a JSON document; a 200 whose body is not a JSON object is an error (a proxy's HTML page is not an API). */
async function getJson(base: string, path: string, timeoutMs: number): Promise<{ status: number; json: unknown; ms: number }> {
  const r = await httpRequest(new URL(path, base).toString(), { timeoutMs });
  let json: unknown;
  try {
    json = r.body ? JSON.parse(r.body) : undefined;
  } catch {
    json = undefined;
  }
  if (r.status === 200 && (json === null || typeof json !== "object" || Array.isArray(json)))
    throw new HttpError(`${new URL(path, base).pathname} answered HTTP 200 without a JSON object${r.body ? ` (starts ${JSON.stringify(stripControl(r.body, 40))})` : " (empty body)"}`, "error");
  return { status: r.status, json, ms: r.ms };
}

/** Endpoint-provided text (versions, model names): no terminal control, bounded length. */
const clean = (v: unknown, max = 200): string => stripControl(String(v), max);

/** Endpoint-provided JSON kept in the snapshot (`cloud.raw`): strings cleaned, depth and size bounded. */
function cleanJson(v: unknown, depth = 0): unknown {
  if (typeof v === "string") return clean(v, 500);
  if (v === null || typeof v !== "object") return v;
  if (depth > 4) return null;
  if (Array.isArray(v)) return v.slice(0, 50).map((x) => cleanJson(x, depth + 1));
  return Object.fromEntries(Object.entries(v).slice(0, 50).map(([k, x]) => [clean(k, 100), cleanJson(x, depth + 1)]));
}

function rec(v: unknown): Record<string, unknown> {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
function list(v: unknown): Array<Record<string, unknown>> {
  return Array.isArray(v) ? (v.filter((x) => x && typeof x === "object") as Array<Record<string, unknown>>) : [];
}

function empty(spec: EndpointSpec, kind: "ollama" | "openai"): EndpointStatus {
  return {
    url: redactUrl(spec.url), kind, ok: false, status: "down", configured: spec.configured ?? true, version: null, models: [], loaded: [],
    cloudModels: [], cloud: null, latencyMs: null, functional: null, error: null,
  };
}

function fail(st: EndpointStatus, e: unknown): EndpointStatus {
  st.ok = false;
  st.status = e instanceof HttpError ? e.code : "error";
  st.error = stripControl(redactText(e instanceof Error ? e.message : String(e)), 500);
  return st;
}

/** Ollama's `expires_at` → a keep_alive that keeps the model's remaining life unchanged. */
export function keepAliveFor(expiresAt: unknown, now = Date.now()): string | null {
  if (typeof expiresAt !== "string") return null;
  const t = Date.parse(expiresAt);
  if (Number.isNaN(t)) return null;
  const remaining = Math.floor((t - now) / 1000);
  if (remaining > 10 * 365 * 86400) return "-1"; // loaded "forever" (keep_alive -1): keep it so
  if (remaining < 5) return null; // about to unload: do not touch it
  return `${remaining}s`;
}

export async function checkOllama(spec: EndpointSpec, opts: EndpointOptions = {}): Promise<EndpointStatus> {
  const timeoutMs = opts.timeoutMs ?? 2000;
  const st = empty(spec, "ollama");
  try {
    const v = await getJson(spec.url, "/api/version", timeoutMs);
    st.latencyMs = Math.round(v.ms * 10) / 10;
    if (v.status !== 200) throw new HttpError(`/api/version answered HTTP ${v.status}`, "error");
    st.version = typeof rec(v.json).version === "string" ? clean(rec(v.json).version, 64) : null;
    const [tags, ps, status] = await Promise.all([
      getJson(spec.url, "/api/tags", timeoutMs),
      getJson(spec.url, "/api/ps", timeoutMs),
      getJson(spec.url, "/api/status", timeoutMs).catch(() => undefined),
    ]);
    if (tags.status !== 200) throw new HttpError(`/api/tags answered HTTP ${tags.status}`, "error");
    if (ps.status !== 200) throw new HttpError(`/api/ps answered HTTP ${ps.status}`, "error");
    const models = list(rec(tags.json).models);
    st.models = models.map((m) => clean(m.name ?? m.model ?? "?"));
    st.cloudModels = models.filter((m) => typeof m.remote_host === "string" && m.remote_host).map((m) => clean(m.name ?? m.model));
    const loaded = list(rec(ps.json).models);
    st.loaded = loaded.map((m) => clean(m.name ?? m.model ?? "?"));
    if (status && status.status === 200) {
      const cloud = rec(rec(status.json).cloud);
      st.cloud = { disabled: typeof cloud.disabled === "boolean" ? cloud.disabled : null, raw: cleanJson(status.json ?? null) };
    }
    st.ok = true;
    st.status = "up";
    if (opts.functional) {
      const local = loaded.filter((m) => !(typeof m.remote_host === "string" && m.remote_host) && !st.cloudModels.includes(clean(m.name)));
      const target = local.map((m) => ({ name: String(m.name ?? m.model), keepAlive: keepAliveFor(m.expires_at) })).find((m) => m.keepAlive !== null);
      if (target) st.functional = await functionalCheck(spec.url, target.name, target.keepAlive!, opts.functionalTimeoutMs ?? 15_000);
    }
    if (st.functional && !st.functional.ok) st.ok = false;
  } catch (e) {
    return fail(st, e);
  }
  return st;
}

/** 1-token generation on an already loaded model, temperature 0, keep_alive = its remaining life. */
async function functionalCheck(base: string, model: string, keepAlive: string, timeoutMs: number): Promise<FunctionalCheck> {
  const body = { model, prompt: "Reply with one word: ok", stream: false, raw: false, keep_alive: keepAlive === "-1" ? -1 : keepAlive, options: { temperature: 0, num_predict: 1 } };
  try {
    const r = await httpRequest(new URL("/api/generate", base).toString(), { method: "POST", body, timeoutMs });
    let json: Record<string, unknown> = {};
    try {
      json = rec(JSON.parse(r.body));
    } catch {
      /* not JSON */
    }
    if (r.status !== 200) return { ok: false, model, latencyMs: Math.round(r.ms), error: stripControl(redactText(`/api/generate answered HTTP ${r.status}${typeof json.error === "string" ? `: ${json.error}` : ""}`), 300), keepAlive };
    if (typeof json.response !== "string") return { ok: false, model, latencyMs: Math.round(r.ms), error: "/api/generate answered without a response field", keepAlive };
    return { ok: true, model, latencyMs: Math.round(r.ms), error: null, keepAlive };
  } catch (e) {
    return { ok: false, model, latencyMs: null, error: stripControl(redactText((e as Error).message), 300), keepAlive };
  }
}

export async function checkOpenAi(spec: EndpointSpec, opts: EndpointOptions = {}): Promise<EndpointStatus> {
  const st = empty(spec, "openai");
  try {
    const base = spec.url.replace(/\/+$/, "");
    const path = /\/v\d+$/.test(base) ? `${base}/models` : `${base}/v1/models`;
    const r = await getJson(path, path, opts.timeoutMs ?? 2000);
    st.latencyMs = Math.round(r.ms * 10) / 10;
    if (r.status !== 200) throw new HttpError(`/v1/models answered HTTP ${r.status}`, "error");
    if (!Array.isArray(rec(r.json).data)) throw new HttpError("/v1/models answered HTTP 200 without a data list", "error");
    st.models = list(rec(r.json).data).map((m) => clean(m.id ?? "?"));
    st.ok = true;
    st.status = "up";
  } catch (e) {
    return fail(st, e);
  }
  return st;
}

/** Check one endpoint; kind "auto" tries Ollama's /api/version, then the OpenAI-compatible /v1/models. */
export async function checkEndpoint(spec: EndpointSpec, opts: EndpointOptions = {}): Promise<EndpointStatus> {
  const kind = spec.kind ?? (/\/v\d+\/?$/.test(spec.url) ? "openai" : "auto");
  if (kind === "openai") return checkOpenAi(spec, opts);
  const o = await checkOllama(spec, opts);
  if (kind === "ollama" || o.status !== "error" || !/\/api\/version answered HTTP 404/.test(o.error ?? "")) return o;
  const oa = await checkOpenAi(spec, opts);
  return oa.ok ? oa : o;
}

/** Default endpoints: OLLAMA_HOST (configured) or http://127.0.0.1:11434 (implicit). */
export function defaultEndpoints(env: NodeJS.ProcessEnv = process.env): EndpointSpec[] {
  const h = env.OLLAMA_HOST?.trim();
  if (h) {
    let url = /^[a-z]+:\/\//i.test(h) ? h : `http://${h}`;
    const u = new URL(url);
    if (!u.port && !/^[a-z]+:\/\/[^/]+:\d+/i.test(url)) u.port = u.protocol === "https:" ? "443" : "11434";
    if (u.hostname === "0.0.0.0") u.hostname = "127.0.0.1";
    url = u.toString().replace(/\/$/, "");
    return [{ url, kind: "ollama", configured: true }];
  }
  return [{ url: "http://127.0.0.1:11434", kind: "ollama", configured: false }];
}

/** Parse a user endpoint: "URL", "ollama=URL" or "openai=URL". */
export function parseEndpoint(s: string): EndpointSpec {
  const m = /^(ollama|openai)=(.+)$/i.exec(s.trim());
  const raw = m ? m[2]! : s.trim();
  const url = /^[a-z]+:\/\//i.test(raw) ? raw : `http://${raw}`;
  new URL(url); // throws on garbage
  return { url: url.replace(/\/+$/, ""), kind: m ? (m[1]!.toLowerCase() as "ollama" | "openai") : "auto", configured: true };
}
