/**
 * The Python front of `no-unclosed-http-client`: tree-sitter calls → the same `ResourceFacts` the
 * TS front builds, decided by the one `decideResource` (`rules/core/resource-decision.ts`), worded
 * here in Python (`with` blocks, `.close()`).
 *
 * Covered: connection pools created per call (`requests.Session()`, `httpx.Client()`,
 * `aiohttp.ClientSession()`, `urllib3.PoolManager()`, `http.client.HTTPConnection()`) and
 * `urllib.request.urlopen()` responses that are neither closed, used in `with`, nor handed on;
 * provider SDK clients built per unit of work (a request handler, a loop iteration, a
 * comprehension item).
 */
import type { Node as TsNode } from "web-tree-sitter";
import { decideResource, type ResourceFacts } from "../core/resource-decision.js";
import { isSessionAdapter } from "./timeout-facts.js";
import { children, isSdkClientName, providerForModule, qualName, walkScope as walk, PY_SCOPES as SCOPES, type PyFile } from "./facts.js";

export interface PyResourceFinding {
  rule: "no-unclosed-http-client";
  messageId: string;
  data: Record<string, string>;
  node: TsNode;
}

/** Connection-pool objects that must be closed (or used in `with`) when created per call. */
const RESOURCES = new Map<string, string>([
  ["requests.Session", "session.close()"],
  ["requests.session", "session.close()"],
  ["requests.sessions.Session", "session.close()"],
  ["httpx.Client", "client.close()"],
  ["httpx.AsyncClient", "await client.aclose()"],
  ["aiohttp.ClientSession", "await session.close()"],
  ["urllib3.PoolManager", "pool.clear()"],
  ["http.client.HTTPConnection", "conn.close()"],
  ["http.client.HTTPSConnection", "conn.close()"],
]);
const URLOPEN = new Set(["urllib.request.urlopen", "urllib2.urlopen", "six.moves.urllib.request.urlopen"]);


function short(s: string): string {
  const one = s.replace(/\s+/g, " ").replace(/^await /, "");
  return one.length > 60 ? one.slice(0, 57) + "…" : one;
}

function enclosingFunction(n: TsNode): TsNode | undefined {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === "function_definition" || p.type === "lambda") return p;
    if (p.type === "class_definition" || p.type === "module") return undefined;
  }
  return undefined;
}


function calleeQual(call: TsNode, py: PyFile): string | undefined {
  const f = call.childForFieldName("function");
  return f ? qualName(f, py.imports) : undefined;
}

function lastName(call: TsNode): string {
  const f = call.childForFieldName("function");
  if (!f) return "";
  if (f.type === "attribute") return f.childForFieldName("attribute")?.text ?? "";
  return f.text;
}

// ---------------------------------------------------------------------------------------------
// no-unclosed-http-client

/** What happens to a value bound to `name` in `fn`: closed, handed on, or neither. */
function fateOfName(fn: TsNode, name: string, after: number): "closed" | "handed" | "leaked" {
  let fate: "closed" | "handed" | "leaked" = "leaked";
  walk(fn.childForFieldName("body") ?? fn, (x) => {
    if (fate !== "leaked") return false;
    if (x.type !== "identifier" || x.text !== name || x.startIndex < after) return;
    const p = x.parent;
    if (!p) return;
    if (p.type === "attribute" && p.childForFieldName("object")?.equals(x)) {
      const attr = p.childForFieldName("attribute")?.text ?? "";
      if (/^(a?close|__exit__|__aexit__|clear|release_conn|shutdown)$/.test(attr)) fate = "closed";
      return;
    }
    if (p.type === "with_item" || (p.type === "as_pattern" && p.parent?.type === "with_item" && p.namedChildren[0]?.equals(x))) {
      fate = "closed";
      return;
    }
    for (let q: TsNode | null = p; q && !q.equals(fn); q = q.parent) {
      if (q.type === "return_statement" || q.type === "yield" || q.type === "argument_list" || q.type === "global_statement" || q.type === "nonlocal_statement") {
        fate = "handed";
        return;
      }
      if (q.type === "assignment" || q.type === "augmented_assignment") {
        const right = q.childForFieldName("right");
        if (right && right.startIndex <= x.startIndex && x.endIndex <= right.endIndex) fate = "handed"; // aliased/stored elsewhere
        return;
      }
      if (q.type === "list" || q.type === "dictionary" || q.type === "tuple" || q.type === "set") {
        fate = "handed";
        return;
      }
      if (q.type.endsWith("_statement") || q.type === "block") break;
    }
  });
  return fate;
}

function checkResource(call: TsNode, q: string, py: PyFile, out: PyResourceFinding[]): void {
  const isUrlopen = URLOPEN.has(q);
  // a factory from an integration module (`x402.http.clients.requests.x402_requests(…)`) returns a session/client
  const close = RESOURCES.get(q) ?? (isSessionAdapter(q, "requests") ? "session.close()" : isSessionAdapter(q, "httpx") ? "client.close()" : undefined);
  if (!isUrlopen && !close) return;
  const fn = enclosingFunction(call);
  if (!fn) return; // module level: created once
  let p = call.parent;
  while (p && (p.type === "await" || p.type === "parenthesized_expression")) p = p.parent;
  if (!p) return;
  const what = isUrlopen ? `\`${short(call.text)}\` response` : `\`${short(call.text)}\``;
  const report = (closeText: string, fate: ResourceFacts["fate"] = "leaked"): void => {
    const messageId = decideResource({ kind: "pool", scope: "call", fate });
    if (messageId) out.push({ rule: "no-unclosed-http-client", messageId, data: { what, close: closeText }, node: call });
  };
  const withText = isUrlopen ? `open it in a \`with ${short(call.text)} as resp:\` block so it is closed` : `use it in a \`with\` block or call \`${close}\``;
  if (p.type === "with_item" || (p.type === "as_pattern" && p.parent?.type === "with_item")) return;
  if (p.type === "expression_statement") return report(withText, "discarded");
  if (p.type === "attribute") {
    // `urlopen(u).read()` reads to EOF, which closes the connection; `requests.Session().get(u)` drops an open pool.
    if (!isUrlopen) report(withText);
    return;
  }
  if (p.type === "assignment") {
    const left = p.childForFieldName("left");
    if (left?.type !== "identifier" || !p.childForFieldName("right")?.equals(call) && !(call.parent?.type === "await" && p.childForFieldName("right")?.equals(call.parent))) return;
    if (fateOfName(fn, left.text, p.endIndex) === "leaked") report(isUrlopen ? `call \`${left.text}.close()\` (better: \`with ${short(call.text)} as ${left.text}:\`)` : withText.replace("`session", `\`${left.text}`).replace("`client", `\`${left.text}`).replace("`conn", `\`${left.text}`).replace("`pool", `\`${left.text}`));
  }
  // anything else (argument, return, container, attribute target): handed on
}

/** Flask/FastAPI/Starlette route decorators (`@app.post(…)`, `@router.get(…)`, `@bp.route(…)`), not `@mock.patch(…)`. */
const HANDLER_DECORATOR = /^@\s*\w*(app|router|api|bp|blueprint|server)\w*\.(route|get|post|put|patch|delete|websocket|api_route)\s*\(/i;

function checkClientPerUnit(call: TsNode, q: string, out: PyResourceFinding[]): void {
  const provider = providerForModule(q);
  const last = q.split(".").pop() ?? "";
  if (!provider || !/^[A-Z]/.test(last) || /(Error|Exception|Warning|Timeout|Message|Response|Config|Options|Param|Params)$/.test(last) || /\.types?\./.test(q)) return;
  if (!isSdkClientName(last)) return;
  const perUnit = (unit: string) => {
    const messageId = decideResource({ kind: "sdkClient", scope: "unit", fate: "leaked" });
    if (messageId) out.push({ rule: "no-unclosed-http-client", messageId, data: { client: `\`${short(call.text)}\``, unit }, node: call });
  };
  for (let p = call.parent; p; p = p.parent) {
    if (p.type === "function_definition" || p.type === "lambda" || p.type === "class_definition" || p.type === "module") {
      const deco = p.type === "function_definition" && p.parent?.type === "decorated_definition" ? children(p.parent).find((d) => d.type === "decorator" && HANDLER_DECORATOR.test(d.text)) : undefined;
      if (deco) perUnit(`on every request (in the \`${short(deco.text)}\` handler)`);
      return;
    }
    if (p.type === "for_statement" || p.type === "while_statement") {
      const body = p.childForFieldName("body");
      if (body && body.startIndex <= call.startIndex && call.endIndex <= body.endIndex) {
        perUnit(`on every iteration of a \`${p.type === "for_statement" ? "for" : "while"}\` loop`);
        return;
      }
    }
    if (/comprehension$|^generator_expression$/.test(p.type)) {
      perUnit("once per item of a comprehension");
      return;
    }
  }
}


export function pythonResourceChecks(root: TsNode, py: PyFile, options: { resources: boolean; sdkClients: boolean }): PyResourceFinding[] {
  const out: PyResourceFinding[] = [];
  // descendantsOfType walks the tree natively: far cheaper than visiting every node from JS
  for (const x of root.descendantsOfType("call")) {
    if (!x) continue;
    try {
      const q = calleeQual(x, py);
      if (!q) continue;
      if (options.resources) checkResource(x, q, py, out);
      if (options.sdkClients) checkClientPerUnit(x, q, out);
    } catch {
      /* a weird shape never crashes the lint */
    }
  }
  return out;
}
