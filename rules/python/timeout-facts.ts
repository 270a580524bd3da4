/**
 * The Python front of `require-request-timeout`: tree-sitter calls → `TimeoutFacts`, decided by
 * the one `decideTimeout` (`rules/core/timeout-decision.ts`) the TS rule uses, worded in Python.
 *
 * The Ruff S113 / Bandit B113 ground, plus the clients that turn the timeout off:
 * - `requests.get/post/…/request(…)` and calls on a `requests.Session()` with no `timeout=`
 *   (requests waits forever by default), or `timeout=None`;
 * - `httpx` calls and `httpx.Client/AsyncClient(…)` with `timeout=None` (httpx's own default is
 *   5 s, so a missing `timeout=` is fine);
 * - `aiohttp.ClientSession(…)` / `aiohttp.request(…)` without `timeout=`, or with `timeout=None`;
 * - `urllib.request.urlopen(…)` and `http.client.HTTPConnection/HTTPSConnection(…)` without a
 *   timeout (the socket default is none) — unless the file sets `socket.setdefaulttimeout(…)`.
 * A streamed request (`stream=True`, `client.stream(…)`) is told to time out the connect and
 * reset an idle timer per chunk, not to set a total timeout.
 */
import type { Node as TsNode } from "web-tree-sitter";
import { decideTimeout, type TimeoutFacts, type TimeoutSetting } from "../core/timeout-decision.js";
import { kwarg, namedChildren, positional, qualName, type PyFile } from "./facts.js";

export interface PyTimeoutFinding {
  rule: "require-request-timeout";
  messageId: string;
  data: Record<string, string>;
  node: TsNode;
}

const REQUESTS_METHODS = /^(get|post|put|patch|delete|head|options|request)$/;
const SESSION_CTORS = new Set(["requests.Session", "requests.session", "requests.sessions.Session"]);
const HTTPX_CLIENTS = new Set(["httpx.Client", "httpx.AsyncClient"]);
const URLOPEN = new Set(["urllib.request.urlopen", "urllib2.urlopen", "six.moves.urllib.request.urlopen"]);
const HTTP_CONNECTIONS = new Set(["http.client.HTTPConnection", "http.client.HTTPSConnection", "httplib.HTTPConnection", "httplib.HTTPSConnection"]);

function short(s: string): string {
  const one = s.replace(/\s+/g, " ");
  return one.length > 60 ? one.slice(0, 57) + "…" : one;
}

function label(call: TsNode): string {
  return `\`${short(call.childForFieldName("function")?.text ?? "call")}(…)\``;
}

function hasSplat(call: TsNode): boolean {
  const args = call.childForFieldName("arguments");
  return !!args && namedChildren(args).some((a) => a.type === "dictionary_splat");
}

/** `timeout=None` / `ClientTimeout(total=None)` / `Timeout(None)` → disabled; a value → set; missing → absent. */
function settingOf(value: TsNode | undefined, positionalValue?: TsNode): TimeoutSetting {
  const v = value ?? positionalValue;
  if (!v) return "absent";
  if (v.type === "none") return "disabled";
  if (v.type === "call" && /(^|\.)(ClientTimeout|Timeout)$/.test(v.childForFieldName("function")?.text ?? "")) {
    const args = v.childForFieldName("arguments");
    const all = args ? namedChildren(args).filter((a) => a.type !== "comment") : [];
    if (all.length && all.every((a) => (a.type === "keyword_argument" ? a.childForFieldName("value")?.type === "none" : a.type === "none"))) return "disabled";
  }
  return "set";
}

export function pythonTimeoutChecks(root: TsNode, py: PyFile, seconds: number): PyTimeoutFinding[] {
  const out: PyTimeoutFinding[] = [];
  const socketDefault = /\bsetdefaulttimeout\s*\(/.test(root.text);
  // Names bound to a requests session (no default timeout) in this file: `s = requests.Session()`, `with requests.Session() as s`.
  const sessions = new Set<string>();
  if (!/requests|httpx|aiohttp|urlopen|HTTPS?Connection|urllib2/.test(root.text)) return out;
  // descendantsOfType walks the tree natively: far cheaper than visiting every node from JS
  const calls = root.descendantsOfType("call").filter((c): c is TsNode => !!c);
  for (const x of calls) {
    const q = qualOf(x, py);
    if (q && (SESSION_CTORS.has(q) || isSessionAdapter(q, "requests"))) {
      const p = x.parent;
      if (p?.type === "assignment" && p.childForFieldName("left")?.type === "identifier") sessions.add(scopeKey(x, p.childForFieldName("left")!.text));
      if (p?.type === "as_pattern") for (const t of namedChildren(p)) if (t.type === "as_pattern_target") sessions.add(scopeKey(x, t.text));
    }
  }
  // a name is a session in the function that binds it (or module-wide when bound at module level):
  // `session` in another function may be an aiohttp session or anything else
  function isSession(call: TsNode, name: string): boolean {
    return sessions.has(scopeKey(call, name)) || sessions.has(`module:${name}`);
  }
  const n = String(seconds);
  for (const call of calls) {
    try {
      check(call);
    } catch {
      /* a weird shape never crashes the lint */
    }
  }
  return out;

  function report(call: TsNode, facts: TimeoutFacts, fix: string, setting?: TsNode): void {
    const v = decideTimeout(facts);
    if (!v) return;
    const node = call.childForFieldName("function") ?? call;
    if (v.advice === "connect-idle") out.push({ rule: "require-request-timeout", messageId: "streamNoTimeout", data: { call: label(call) }, node });
    else if (v.missing === "disabled") out.push({ rule: "require-request-timeout", messageId: "timeoutDisabled", data: { call: label(call), setting: `\`${short(setting?.text ?? "timeout=None")}\``, fix }, node });
    else out.push({ rule: "require-request-timeout", messageId: "callNoTimeout", data: { call: label(call), fix }, node });
  }

  function check(call: TsNode): void {
    if (hasSplat(call)) return; // `**kwargs` may carry the timeout
    const fn = call.childForFieldName("function");
    const q = qualOf(call, py);
    const timeout = kwarg(call, "timeout");
    const streamed = kwarg(call, "stream")?.type === "true";
    const disabledNode = timeout?.parent ?? undefined;
    if (q && q.startsWith("requests.") && REQUESTS_METHODS.test(q.slice("requests.".length))) {
      return report(call, { setting: settingOf(timeout), streamed }, `\`timeout=${streamed ? "(5, 60)" : n}\``, disabledNode);
    }
    // calls on a requests session
    if (fn?.type === "attribute" && REQUESTS_METHODS.test(fn.childForFieldName("attribute")?.text ?? "") && isSession(call, fn.childForFieldName("object")?.text ?? "")) {
      return report(call, { setting: settingOf(timeout), streamed }, `\`timeout=${streamed ? "(5, 60)" : n}\``, disabledNode);
    }
    if (!q) return;
    if (HTTPX_CLIENTS.has(q) || (q.startsWith("httpx.") && /^(get|post|put|patch|delete|head|options|request|stream)$/.test(q.slice(6)))) {
      // httpx times out after 5 s by default: only an explicit `timeout=None` turns it off
      if (settingOf(timeout) === "disabled") report(call, { setting: "disabled", streamed: false }, `\`timeout=httpx.Timeout(${n}, connect=5)\``, disabledNode);
      return;
    }
    if (q === "aiohttp.ClientSession" || q === "aiohttp.request") {
      // aiohttp's default is `ClientTimeout(total=300)`: a real bound (as httpx's 5 s), inherited;
      // only `timeout=None` / `ClientTimeout(total=None)` turns it off
      const setting = settingOf(timeout);
      return report(call, { setting, streamed: false, inherited: setting === "absent" }, `\`timeout=aiohttp.ClientTimeout(total=${n})\``, disabledNode);
    }
    if (URLOPEN.has(q)) {
      const pos = positional(call)[2];
      return report(call, { setting: settingOf(timeout, pos), streamed: false, inherited: socketDefault }, `\`timeout=${n}\``, disabledNode);
    }
    if (HTTP_CONNECTIONS.has(q)) {
      const pos = positional(call)[2];
      return report(call, { setting: settingOf(timeout, pos), streamed: false, inherited: socketDefault }, `\`timeout=${n}\``, disabledNode);
    }
  }
}

/**
 * `from x402.http.clients.requests import x402_requests`: a factory from a package's integration
 * module for `lib` (a module path ending in `.requests`/`.httpx`, or a `requests_*` package) whose
 * name says it builds a session or client: it returns one of `lib`'s sessions.
 */
export function isSessionAdapter(q: string, lib: "requests" | "httpx"): boolean {
  const parts = q.split(".");
  const name = parts.pop() ?? "";
  if (parts.length < 2 || parts[0] === lib) return false;
  const fromIntegration = parts[parts.length - 1] === lib || parts[0].startsWith(`${lib}_`);
  return fromIntegration && new RegExp(`(^|_)(${lib}|session|client)$|Session$|Client$`, "i").test(name);
}

function scopeKey(n: TsNode, name: string): string {
  for (let p = n.parent; p; p = p.parent) if (p.type === "function_definition") return `${p.startIndex}:${name}`;
  return `module:${name}`;
}

function qualOf(call: TsNode, py: PyFile): string | undefined {
  const f = call.childForFieldName("function");
  return f ? qualName(f, py.imports) : undefined;
}
