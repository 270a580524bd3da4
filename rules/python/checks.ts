/**
 * Python checks for `no-unclosed-http-client` and `no-unbounded-loop`: small and precise
 * (precision over recall; docs/python.md lists what is out of scope). They report under the TS
 * rules' ids with those rules' messageIds; formatting happens in `lint.ts`.
 */
import type { Node as TsNode } from "web-tree-sitter";
import type { FileFacts, FnInfo } from "../core/file-facts.js";
import { formatHit, reachOf, type ModuleResolver } from "../core/reach.js";
import { children, isSdkClientName, namedChildren, providerForModule, qualName, type PyFile } from "./facts.js";

export interface PyFinding {
  rule: "no-unclosed-http-client" | "no-unbounded-loop";
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
const NETWORK_MODULES = ["requests", "httpx", "aiohttp", "urllib.request", "urllib3", "http.client", "socket.create_connection", "websockets", "websocket"];

const SCOPES = new Set(["function_definition", "lambda", "class_definition", "module"]);

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

/** Depth-first walk that does not enter nested scopes unless `into` says so. */
function walk(n: TsNode, visit: (x: TsNode) => boolean | void, enterScopes = false): void {
  const stack: TsNode[] = [n];
  let first = true;
  while (stack.length) {
    const x = stack.pop()!;
    if (!first && !enterScopes && SCOPES.has(x.type)) continue;
    first = false;
    if (visit(x) === false) continue;
    const cs = children(x);
    for (let i = cs.length - 1; i >= 0; i--) stack.push(cs[i]);
  }
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

function checkResource(call: TsNode, q: string, py: PyFile, out: PyFinding[]): void {
  const isUrlopen = URLOPEN.has(q);
  const close = RESOURCES.get(q);
  if (!isUrlopen && !close) return;
  const fn = enclosingFunction(call);
  if (!fn) return; // module level: created once
  let p = call.parent;
  while (p && (p.type === "await" || p.type === "parenthesized_expression")) p = p.parent;
  if (!p) return;
  const what = isUrlopen ? `\`${short(call.text)}\` response` : `\`${short(call.text)}\``;
  const report = (closeText: string): void => void out.push({ rule: "no-unclosed-http-client", messageId: "resourceNotClosed", data: { what, close: closeText }, node: call });
  const withText = isUrlopen ? `open it in a \`with ${short(call.text)} as resp:\` block so it is closed` : `use it in a \`with\` block or call \`${close}\``;
  if (p.type === "with_item" || (p.type === "as_pattern" && p.parent?.type === "with_item")) return;
  if (p.type === "expression_statement") return report(withText);
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

function checkClientPerUnit(call: TsNode, q: string, out: PyFinding[]): void {
  const provider = providerForModule(q);
  const last = q.split(".").pop() ?? "";
  if (!provider || !/^[A-Z]/.test(last) || /(Error|Exception|Warning|Timeout|Message|Response|Config|Options|Param|Params)$/.test(last) || /\.types?\./.test(q)) return;
  if (!isSdkClientName(last)) return;
  for (let p = call.parent; p; p = p.parent) {
    if (p.type === "function_definition" || p.type === "lambda" || p.type === "class_definition" || p.type === "module") {
      const deco = p.type === "function_definition" && p.parent?.type === "decorated_definition" ? children(p.parent).find((d) => d.type === "decorator" && HANDLER_DECORATOR.test(d.text)) : undefined;
      if (deco) out.push({ rule: "no-unclosed-http-client", messageId: "clientPerUnit", data: { client: `\`${short(call.text)}\``, unit: `on every request (in the \`${short(deco.text)}\` handler)` }, node: call });
      return;
    }
    if (p.type === "for_statement" || p.type === "while_statement") {
      const body = p.childForFieldName("body");
      if (body && body.startIndex <= call.startIndex && call.endIndex <= body.endIndex) {
        out.push({ rule: "no-unclosed-http-client", messageId: "clientPerUnit", data: { client: `\`${short(call.text)}\``, unit: `on every iteration of a \`${p.type === "for_statement" ? "for" : "while"}\` loop` }, node: call });
        return;
      }
    }
    if (/comprehension$|^generator_expression$/.test(p.type)) {
      out.push({ rule: "no-unclosed-http-client", messageId: "clientPerUnit", data: { client: `\`${short(call.text)}\``, unit: "once per item of a comprehension" }, node: call });
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// no-unbounded-loop

const PACE = /^(sleep|wait|wait_for|input|recv|recvfrom|accept|select|poll|receive|receive_json|receive_text|consume|listen|join|readline|get_message|next_message|getch|iter_lines)$/;

interface LoopCtx {
  py: PyFile;
  facts: FileFacts;
  resolver?: ModuleResolver;
  relative: (file: string) => string;
  networkMemo: Map<object, boolean>;
  paceMemo: Map<object, boolean>;
}

function isNetworkCall(call: TsNode, py: PyFile): boolean {
  const q = calleeQual(call, py);
  if (!q) return false;
  if (providerForModule(q)) return true;
  return NETWORK_MODULES.some((m) => q === m || q.startsWith(m + "."));
}

/** Same-file functions (or module values) a range refers to, via the core's ref atoms. */
function targetsOf(ctx: LoopCtx, range: [number, number], classRange?: [number, number]): Array<{ key: object; range: [number, number]; classRange?: [number, number] }> {
  const out: Array<{ key: object; range: [number, number]; classRange?: [number, number] }> = [];
  for (const a of ctx.facts.atoms) {
    if (a.start < range[0] || a.start >= range[1] || a.kind !== "ref") continue;
    let fn: FnInfo | undefined;
    if (a.self && classRange) fn = ctx.facts.functions.find((f) => f.name === a.name && f.classRange?.[0] === classRange[0]);
    else if (!a.self && !a.prop) fn = ctx.facts.fnByName.get(a.name);
    if (fn) out.push({ key: fn, range: fn.range, classRange: fn.classRange });
    else if (!a.self && !a.prop) {
      const v = ctx.facts.values.get(a.name);
      if (v) out.push({ key: v, range: v.range });
    }
  }
  return out;
}

function rangeHas(ctx: LoopCtx, root: TsNode, range: [number, number], classRange: [number, number] | undefined, pred: (call: TsNode) => boolean, memo: Map<object, boolean>, key: object, depth = 0): boolean {
  const cached = memo.get(key);
  if (cached !== undefined) return cached;
  memo.set(key, false); // cycle guard
  let found = false;
  const node = root.descendantForIndex(range[0], Math.max(range[0], range[1] - 1));
  walk(node ?? root, (x) => {
    if (found) return false;
    if (x.endIndex <= range[0] || x.startIndex >= range[1]) return false;
    if (x.type === "call" && x.startIndex >= range[0] && pred(x)) found = true;
  }, true);
  if (!found && depth < 50) {
    for (const t of targetsOf(ctx, range, classRange)) {
      if (rangeHas(ctx, root, t.range, t.classRange, pred, memo, t.key, depth + 1)) {
        found = true;
        break;
      }
    }
  }
  memo.set(key, found);
  return found;
}

function isTrueCondition(c: TsNode | null): boolean {
  if (!c) return false;
  if (c.type === "true") return true;
  if (c.type === "integer") return Number(c.text) !== 0;
  if (c.type === "parenthesized_expression") return isTrueCondition(c.namedChildren[0]);
  return false;
}

/** break/return/raise/exit of this loop (not of nested loops or functions). */
function exitsOf(body: TsNode): TsNode[] {
  const out: TsNode[] = [];
  const visit = (n: TsNode, nestedLoop: boolean) => {
    for (const c of children(n)) {
      if (SCOPES.has(c.type)) continue;
      if (c.type === "return_statement" || c.type === "raise_statement") out.push(c);
      else if (c.type === "break_statement" && !nestedLoop) out.push(c);
      else if (c.type === "call" && /^(sys\.exit|exit|quit|os\._exit)$/.test(c.childForFieldName("function")?.text ?? "")) out.push(c);
      visit(c, nestedLoop || c.type === "for_statement" || c.type === "while_statement");
    }
  };
  visit(body, false);
  return out;
}

function sleepsIn(n: TsNode): TsNode[] {
  const out: TsNode[] = [];
  walk(n, (x) => {
    if (x.type === "call" && /^(sleep|wait)$/.test(lastName(x))) out.push(x);
  });
  return out;
}

function delayArg(call: TsNode): TsNode | undefined {
  const args = call.childForFieldName("arguments");
  const a = args ? namedChildren(args).find((x) => x.type !== "comment") : undefined;
  return a?.type === "keyword_argument" ? a.childForFieldName("value") ?? undefined : a;
}

const GROWS = /\*\*|<<|\bpow\s*\(|\bexp\w*\s*\(|backoff|jitter|\*\s*2\b|\b2\s*\*/i;

/** "growing" / "constant" / "unknown" for a sleep's delay argument, looking through one assignment. */
function delayKind(arg: TsNode | undefined, fn: TsNode | undefined, py: PyFile): { kind: "growing" | "constant" | "unknown"; capped: boolean } {
  if (!arg) return { kind: "constant", capped: false };
  const text = arg.text;
  if (/^[\d_.]+$/.test(text) || (/^[\d_.\s*+/-]+$/.test(text))) return { kind: "constant", capped: false };
  if (GROWS.test(text)) return { kind: "growing", capped: /\bmin\s*\(/.test(text) };
  if (arg.type === "identifier") {
    const defs: TsNode[] = [];
    walk(fn ?? arg.tree.rootNode, (x) => {
      if ((x.type === "assignment" || x.type === "augmented_assignment") && x.childForFieldName("left")?.text === arg.text) defs.push(x);
    }, !fn);
    const moduleConst = py.consts.get(arg.text);
    if (!defs.length && moduleConst && /^[\d_.]+$/.test(moduleConst.text)) return { kind: "constant", capped: false };
    if (defs.some((d) => GROWS.test(d.text) || /[*<]=/.test(d.childForFieldName("operator")?.text ?? d.text))) {
      const fnText = (fn ?? arg.tree.rootNode).text;
      return { kind: "growing", capped: defs.some((d) => /\bmin\s*\(/.test(d.text)) || new RegExp(`\\b${arg.text}\\s*[<>]=?|[<>]=?\\s*${arg.text}\\b`).test(fnText) };
    }
    if (defs.length && defs.every((d) => /^[\d_.]+$/.test(d.childForFieldName("right")?.text ?? "x"))) return { kind: "constant", capped: false };
  }
  return { kind: "unknown", capped: false };
}

function handlerExits(handler: TsNode): boolean {
  return exitsOf(handler).length > 0;
}

function checkLoop(loop: TsNode, ctx: LoopCtx, out: PyFinding[]): void {
  if (!isTrueCondition(loop.childForFieldName("condition"))) return;
  const body = loop.childForFieldName("body");
  if (!body) return;
  const { py } = ctx;
  const fnNode = enclosingFunction(loop);
  const owner = ctx.facts.functions.filter((f) => f.range[0] <= loop.startIndex && f.range[1] >= loop.endIndex).pop();
  const range: [number, number] = [body.startIndex, body.endIndex];
  const root = loop.tree.rootNode;
  const pseudo = { ...(owner ?? {}), name: "<loop>", range, classRange: owner?.classRange, topLevel: false, exported: false } as FnInfo;
  let hits: ReturnType<typeof reachOf> = [];
  try {
    hits = reachOf(ctx.facts, pseudo, ctx.resolver);
  } catch {
    hits = [];
  }
  const doesWork = (r: [number, number], key: object, cr?: [number, number]) => rangeHas(ctx, root, r, cr, (c) => isNetworkCall(c, py), ctx.networkMemo, key);
  const model = (n: TsNode) => {
    try {
      return reachOf(ctx.facts, { ...pseudo, range: [n.startIndex, n.endIndex] } as FnInfo, ctx.resolver).length > 0;
    } catch {
      return false;
    }
  };
  if (!hits.length && !doesWork(range, loop, owner?.classRange)) return;
  // Loops paced by a user (`input()`, prompts) are REPLs, not long-running infrastructure (SPEC §2.3).
  let interactive = false;
  walk(body, (x) => {
    if (x.type === "call" && /^(input|raw_input|getpass|prompt|ask|confirm)$/.test(lastName(x))) interactive = true;
  });
  if (interactive) return;

  // The statements of the body that do the work, and the first call in each.
  const stmts = namedChildren(body).filter((s) => s.type !== "comment");
  const workCalls: TsNode[] = [];
  walk(body, (x) => {
    if (x.type !== "call") return;
    const r: [number, number] = [x.startIndex, x.endIndex];
    if (model(x) || doesWork(r, x, owner?.classRange)) {
      workCalls.push(x);
      return false; // the outermost call stands for its arguments
    }
  });
  if (!workCalls.length) return;
  const Loop = `\`while ${loop.childForFieldName("condition")!.text}\``;
  const firstWork = workCalls[0];
  const shown = hits.slice(0, 3).map((h) => formatHit(h, ctx.relative)).join(", ") + (hits.length > 3 ? ", …" : "");
  const leads = (prefix: string) => (hits.length ? `${prefix}${shown}` : "");
  const exits = exitsOf(body);
  const forever = exits.length === 0;
  const report = (messageId: string, data: Record<string, string>) => out.push({ rule: "no-unbounded-loop", messageId, data, node: loop });

  const insideTry = (c: TsNode) => {
    for (let p = c.parent; p && !p.equals(loop); p = p.parent) {
      if (p.type === "block" && p.parent?.type === "try_statement" && p.parent.childForFieldName("body")?.equals(p) && children(p.parent).some((h) => h.type === "except_clause" || h.type === "except_group_clause")) return true;
    }
    return false;
  };

  // 1. work outside any try/except in the loop (the loop dies with the first failure)
  const unguarded = workCalls.find((c) => !insideTry(c));
  if (forever && unguarded) report("noTryCatch", { loop: Loop, work: `\`${short(unguarded.text)}\``, leads: leads(" (reaching ") && `${leads(" (reaching ")})` });

  // 2. a failure path that retries with no delay or a constant one
  const tries: TsNode[] = [];
  walk(body, (x) => {
    if (x.type === "for_statement" || x.type === "while_statement") return false; // a handler there retries that inner loop's item
    if (x.type === "try_statement" && workCalls.some((c) => c.startIndex >= x.startIndex && c.endIndex <= (x.childForFieldName("body")?.endIndex ?? 0))) tries.push(x);
  });
  let reportedRetry = false;
  for (const t of tries) {
    if (reportedRetry) break;
    for (const h of children(t).filter((c) => c.type === "except_clause" || c.type === "except_group_clause")) {
      if (handlerExits(h)) continue;
      let sleeps = sleepsIn(h);
      const continues = (() => {
        let found = false;
        walk(h, (x) => {
          if (x.type === "continue_statement") found = true;
          if (x.type === "for_statement" || x.type === "while_statement") return false;
        });
        return found;
      })();
      if (!sleeps.length && !continues) {
        // falls through: the sleeps after the try statement in the loop body pace the retry too
        const after = stmts.filter((s) => s.startIndex >= t.endIndex);
        sleeps = after.flatMap((s) => sleepsIn(s));
      }
      if (!sleeps.length) {
        // a helper (`backoff(…)`, `wait_before_retry(…)`) in the handler is trusted
        let helper = false;
        walk(h, (x) => {
          if (x.type === "call" && /backoff|retry|wait|sleep|throttle|delay/i.test(lastName(x))) helper = true;
        });
        if (helper) continue;
        report("retryWithoutBackoff", { loop: Loop, retry: "immediately, with no delay", leads: leads(" against ") });
        reportedRetry = true;
        break;
      }
      const d = delayKind(delayArg(sleeps[0]), fnNode, py);
      if (d.kind === "constant") {
        const a = delayArg(sleeps[0]);
        report("retryWithoutBackoff", { loop: Loop, retry: `after a constant delay (${a ? `\`${short(a.text)}\`` : "the same every time"})`, leads: leads(" against ") });
        reportedRetry = true;
        break;
      }
    }
  }

  // 3. no pause at all (a hot loop), for loops that run forever
  const inHandler = (c: TsNode) => {
    for (let p = c.parent; p && !p.equals(loop); p = p.parent) if (p.type === "except_clause") return true;
    return false;
  };
  const paced = rangeHas(ctx, root, range, owner?.classRange, (c) => {
    const name = lastName(c);
    if (inHandler(c)) return false; // a pause on the failure path only: the success path is still hot
    if (PACE.test(name)) return true;
    const f = c.childForFieldName("function");
    // `queue.get()`, `jobs.get(timeout=…)`: blocking reads from a queue
    return name === "get" && f?.type === "attribute" && /queue|^q$|jobs|tasks|inbox|channel/i.test(f.childForFieldName("object")?.text ?? "");
  }, ctx.paceMemo, loop);
  if (forever && !paced) report("hotLoop", { loop: Loop, work: `\`${short(firstWork.text)}\``, target: leads(" ") || " its backend" });

  // 4. no exit: runs forever and swallows KeyboardInterrupt/SystemExit too
  if (forever) {
    const swallows = tries.some((t) => children(t).some((h) => h.type === "except_clause" && !handlerExits(h) && (namedChildren(h).filter((c) => c.type !== "block" && c.type !== "comment").length === 0 || /^\(?\s*BaseException\b/.test(namedChildren(h)[0]?.text ?? ""))));
    if (swallows) report("noExit", { loop: Loop, leads: leads(" and its connections to ") });
  }

  // 5/6. loops that stop only on an answer or a status, with no cap or deadline
  if (!forever) {
    let capped = false;
    walk(body, (x) => {
      if (x.type === "comparison_operator" && children(x).some((o) => /^(<|>|<=|>=)$/.test(o.type))) capped = true;
    }, true);
    if (capped) return;
    const exitIf = exits.map((e) => {
      for (let p = e.parent; p && !p.equals(loop); p = p.parent) if (p.type === "if_statement") return p.childForFieldName("condition");
      return undefined;
    }).find((c): c is TsNode => !!c);
    if (!exitIf) return;
    const sleeps = sleepsIn(body);
    const constant = sleeps.map((s) => ({ s, d: delayKind(delayArg(s), fnNode, py) })).find((x) => x.d.kind === "constant");
    if (constant && !tries.length) {
      const a = delayArg(constant.s);
      report("pollWithoutDeadline", { exit: `\`${short(exitIf.text)}\``, delay: a ? `\`${short(a.text)}\`` : "no delay argument", leads: leads(" ") });
    } else if (!sleeps.length && hits.length && exits.every((e) => e.type !== "raise_statement")) {
      report("agentWithoutCap", { leads: leads(" (calling ") && `${leads(" (calling ")})`, exit: `\`${short(exitIf.text)}\`` });
    }
  }
}

export function pythonChecks(root: TsNode, py: PyFile, resolver: ModuleResolver | undefined, relative: (file: string) => string, enabled: { unclosed: boolean; loops: boolean }): PyFinding[] {
  const out: PyFinding[] = [];
  const ctx: LoopCtx = { py, facts: py.facts, resolver, relative, networkMemo: new Map(), paceMemo: new Map() };
  walk(root, (x) => {
    try {
      if (x.type === "call" && enabled.unclosed) {
        const q = calleeQual(x, py);
        if (q) {
          checkResource(x, q, py, out);
          checkClientPerUnit(x, q, out);
        }
      } else if (x.type === "while_statement" && enabled.loops) {
        checkLoop(x, ctx, out);
      }
    } catch {
      /* a weird shape never crashes the lint */
    }
  }, true);
  return out;
}
