/**
 * The Python front of `no-unbounded-loop`: a tree-sitter `while` loop → the same `LoopFacts` the
 * TS front builds (`rules/core/loops.ts`), decided by the one `decideLoop`
 * (`rules/core/loop-decision.ts`), worded here in Python (`while True`, `try/except`, `raise`).
 *
 * Long-running loops: `while True:` / `while 1:`, and flag loops (`while running:`,
 * `while not stop.is_set():`, `while self.alive:`) whose flag the body never changes — they run
 * until someone else flips the flag (a stop check, not an exit of the loop's own).
 * User-paced loops (`input()`, a websocket receive, a microphone/audio read) are REPLs, not
 * infrastructure (SPEC §2.3).
 */
import type { Node as TsNode } from "web-tree-sitter";
import type { FileFacts, FnInfo } from "../core/file-facts.js";
import { AGENT_OBJECT, AGENT_VERB, AUDIO_OBJECT, AUDIO_READ, classifyExit, decideLoop, isCapName, MODEL_EXIT, MODEL_EXIT_LITERAL, PENDING_WORD, RESOURCE_READ, STATUS_TEST, STOP_WORD, type DelayShape, type ExitClass, type LoopFacts } from "../core/loop-decision.js";
import { formatHit, reachOf, type ModuleResolver } from "../core/reach.js";
import { children, namedChildren, providerForModule, qualName, walkScope as walk, PY_SCOPES as SCOPES, type PyFile } from "./facts.js";

export interface PyLoopFinding {
  rule: "no-unbounded-loop";
  messageId: string;
  data: Record<string, string>;
  node: TsNode;
}

const LOOPS = new Set(["for_statement", "while_statement"]);
// chat-platform and cloud SDKs talk to a server on every call too (`bot.get_updates()`, `s3.get_object()`)
const NETWORK_MODULES = ["requests", "httpx", "aiohttp", "urllib.request", "urllib3", "http.client", "socket.create_connection", "websockets", "websocket", "grpc", "telegram", "discord", "slack_sdk", "slack_bolt", "tweepy", "boto3", "aiobotocore", "redis", "pymongo", "motor"];
/** Agent and LLM frameworks: a file importing one runs the model through its agent objects (`agent.run(…)`, `executor.stream(…)`). */
const AGENT_FRAMEWORK = /^(langchain\w*|langgraph\w*|llama_index\w*|autogen\w*|agents|pydantic_ai|strands\w*|crewai\w*|smolagents|semantic_kernel|haystack\w*|dspy|swarm|google\.adk|google\.genai|google\.generativeai|openai|anthropic|litellm|ollama|instructor|mistralai|groq|cohere)(\.|$)/;
/** Handlers for the interpreter's own signals: they handle no failure of the work. */
const INTERRUPT_ONLY = /^except\s*\(?\s*((asyncio\.)?(KeyboardInterrupt|SystemExit|GeneratorExit|CancelledError)\s*,?\s*)+\)?\s*(as\s+\w+\s*)?:/;
/** Calls that pace a loop: sleeps and blocking receives. */
const PACE = /^(sleep|wait|wait_for|recv|recvfrom|recv_json|recv_string|accept|select|poll|receive|consume|listen|join|readline|get_message|next_message|getch|iter_lines|xread|xreadgroup|blpop|brpop|brpoplpush|get_updates|getUpdates|fetch_message|receive_messages|pull|dequeue)$/;
const SLEEP = /^(sleep|wait)$/;
/** Reads paced by a person: prompts, websocket receives from a client, microphone/audio reads. */
const USER_CALL = /^(input|raw_input|getpass|prompt|ask|confirm|select|checkbox|text|password|ask_user|get_user_input|read_user_input)$/;
const WS_RECEIVE = /^(receive_json|receive_text|receive_bytes|receive|recv|iter_text|iter_json)$/;
const WS_OBJECT = /(^|_)(ws|websocket|socket|sock|conn|connection|client)$/i;
const FRESH_ITEM = /^(read\w*|next\w*|pop\w*|popleft|get|get_nowait|take|dequeue|receive\w*|recv\w*|poll|pull|claim|lease|consume|get_next\w*|get_job|get_task|get_message)$/i;
const EXIT_CALL = /^(sys\.exit|exit|quit|os\._exit)$/;
/** A flag the loop runs on (`running`, `self.alive`, `keep_going`, `stop_event`). */
const FLAG_NAME = /^_*(is_)?(running|alive|active|enabled|keep_?\w*|should_?\w*|retrying|polling|listening|connected|working|go_?on|continue_?\w*|loop\w*|run\w*|stop\w*|shutdown\w*|stopped|done|finished|terminate\w*|exit\w*|quit\w*|cancel\w*|event|flag)$/i;
const RETRY_HELPER = /backoff|retry|retrying|tenacity|throttle/i;

interface Ctx {
  py: PyFile;
  facts: FileFacts;
  resolver?: ModuleResolver;
  relative: (file: string) => string;
  networkMemo: Map<object, boolean>;
  paceMemo: Map<object, boolean>;
}

function short(s: string): string {
  const one = s.replace(/\s+/g, " ").replace(/^await /, "");
  return one.length > 60 ? one.slice(0, 57) + "…" : one;
}


function within(n: TsNode, outer: TsNode): boolean {
  return n.startIndex >= outer.startIndex && n.endIndex <= outer.endIndex;
}

function lastName(call: TsNode): string {
  const f = call.childForFieldName("function");
  if (!f) return "";
  if (f.type === "attribute") return f.childForFieldName("attribute")?.text ?? "";
  return f.text;
}

function receiverText(call: TsNode): string {
  const f = call.childForFieldName("function");
  return f?.type === "attribute" ? f.childForFieldName("object")?.text ?? "" : "";
}

function isNetworkCall(call: TsNode, py: PyFile): boolean {
  const f = call.childForFieldName("function");
  const q = f ? qualName(f, py.imports) : undefined;
  if (!q) return false;
  if (providerForModule(q)) return true;
  return NETWORK_MODULES.some((m) => q === m || q.startsWith(m + "."));
}

/** Same-file functions (or module values) a range refers to, via the core's ref atoms. */
function targetsOf(ctx: Ctx, range: [number, number], classRange?: [number, number]): Array<{ key: object; range: [number, number]; classRange?: [number, number] }> {
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

/** Does a range (or a same-file function it calls, transitively) contain a call matching `pred`? Memoised per function. */
function rangeHas(ctx: Ctx, root: TsNode, range: [number, number], classRange: [number, number] | undefined, pred: (call: TsNode) => boolean, memo: Map<object, boolean>, key: object, depth = 0): boolean {
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

/** `running`, `self.alive`, `not stop.is_set()`, `not self._stopped`: a flag the loop tests. */
function flagOf(c: TsNode | null): TsNode | undefined {
  if (!c) return undefined;
  let x = c;
  while (x.type === "parenthesized_expression" && x.namedChildren[0]) x = x.namedChildren[0];
  if (x.type === "not_operator") x = x.childForFieldName("argument") ?? x;
  if (x.type === "identifier" || x.type === "attribute") return x;
  if (x.type === "call" && /^(is_set|isSet|is_alive|running|is_running|active)$/.test(lastName(x))) return x.childForFieldName("function")?.childForFieldName("object") ?? undefined;
  return undefined;
}

/** Is `text` (a name or `self.x`) assigned anywhere in the body? */
function assignedIn(body: TsNode, text: string): TsNode[] {
  const out: TsNode[] = [];
  walk(body, (x) => {
    if ((x.type === "assignment" || x.type === "augmented_assignment") && x.childForFieldName("left")?.text === text) out.push(x);
    if (x.type === "call" && /^(set|clear)$/.test(lastName(x)) && receiverText(x) === text) out.push(x);
  });
  return out;
}

function delayArg(call: TsNode): TsNode | undefined {
  const args = call.childForFieldName("arguments");
  const a = args ? namedChildren(args).find((x) => x.type !== "comment") : undefined;
  return a?.type === "keyword_argument" ? a.childForFieldName("value") ?? undefined : a;
}

const GROWS = /\*\*|<<|\bpow\s*\(|\bexp\w*\s*\(|backoff|jitter|\*\s*2\b|\b2\s*\*/i;

/** A sleep's delay: constant, growing without a cap, growing and capped ("ok"), looking through assignments. */
function delayShape(arg: TsNode | undefined, fn: TsNode | undefined, py: PyFile): DelayShape {
  if (!arg) return "constant";
  const text = arg.text;
  // `10 * 60`, `2 ** 3`: a product of literals is a constant
  if (/^[\d_.\s*+/-]+$/.test(text)) return "constant";
  if (arg.type !== "identifier" && GROWS.test(text) && /[A-Za-z_]/.test(text.replace(/\b(min|max|pow|random|uniform)\b/g, ""))) return /\bmin\s*\(/.test(text) ? "ok" : "uncapped";
  if (arg.type === "identifier") {
    const defs: TsNode[] = [];
    walk(fn ?? arg.tree.rootNode, (x) => {
      if ((x.type === "assignment" || x.type === "augmented_assignment") && x.childForFieldName("left")?.text === arg.text) defs.push(x);
    }, !fn);
    const moduleConst = py.consts.get(arg.text);
    if (!defs.length && moduleConst && /^[\d_.\s*+/-]+$/.test(moduleConst.text)) return "constant";
    if (defs.some((d) => GROWS.test(d.text) || /[*<]=/.test(d.childForFieldName("operator")?.text ?? d.text))) {
      const fnText = (fn ?? arg.tree.rootNode).text;
      return defs.some((d) => /\bmin\s*\(/.test(d.text)) || new RegExp(`\\b${arg.text}\\s*[<>]=?|[<>]=?\\s*${arg.text}\\b`).test(fnText) ? "ok" : "uncapped";
    }
    if (defs.length && defs.every((d) => /^[\d_.\s*+/-]+$/.test(d.childForFieldName("right")?.text ?? "x"))) return "constant";
  }
  return "ok"; // unknown: trusted
}

/** Does this block leave the loop on every path (raise/return/break/exit, through if/else and try/finally)? */
function leaves(n: TsNode): boolean {
  switch (n.type) {
    case "raise_statement":
    case "return_statement":
    case "break_statement":
      return true;
    case "expression_statement": {
      const c = n.namedChildren[0];
      return c?.type === "call" && EXIT_CALL.test(c.childForFieldName("function")?.text ?? "");
    }
    case "block":
    case "except_clause":
    case "except_group_clause":
    case "else_clause":
    case "finally_clause": {
      for (const s of namedChildren(n)) {
        if (s.type === "block") return leaves(s);
        if (leaves(s)) return true;
        if (containsContinue(s)) return false;
      }
      return false;
    }
    case "if_statement": {
      const alts = namedChildren(n).filter((c) => c.type === "elif_clause" || c.type === "else_clause");
      if (!alts.some((c) => c.type === "else_clause")) return false;
      const cons = n.childForFieldName("consequence");
      return !!cons && leaves(cons) && alts.every((a) => leaves(a.childForFieldName("consequence") ?? a.childForFieldName("body") ?? a));
    }
    case "elif_clause":
      return leaves(n.childForFieldName("consequence") ?? n);
    case "try_statement": {
      const fin = namedChildren(n).find((c) => c.type === "finally_clause");
      if (fin && leaves(fin)) return true;
      const body = n.childForFieldName("body");
      const handlers = namedChildren(n).filter((c) => c.type === "except_clause" || c.type === "except_group_clause");
      return !!body && leaves(body) && handlers.every(leaves);
    }
    default:
      return false;
  }
}

function containsContinue(root: TsNode): boolean {
  let found = false;
  walk(root, (x) => {
    if (found || LOOPS.has(x.type)) return false;
    if (x.type === "continue_statement") found = true;
  });
  return found;
}

/** Identifiers and attribute names a condition reads; fields of an answer the loop awaited are "value". */
function namesIn(cond: TsNode, answers: Set<string>): string[] {
  const out: string[] = [];
  walk(cond, (x) => {
    if (x.type === "attribute") {
      const attr = x.childForFieldName("attribute")?.text ?? "";
      let root = x.childForFieldName("object");
      while (root && (root.type === "attribute" || root.type === "subscript" || root.type === "call")) root = root.childForFieldName(root.type === "call" ? "function" : root.type === "subscript" ? "value" : "object");
      out.push(root?.type === "identifier" && answers.has(root.text) && STOP_WORD.test(attr) ? "value" : attr);
      const obj = x.childForFieldName("object");
      if (obj) walk(obj, (y) => void (y.type === "identifier" && out.push(y.text)));
      return false;
    }
    if (x.type === "identifier") out.push(x.text);
  });
  return out;
}

const TIME_CALL = /\b(time\.(time|monotonic|perf_counter)|monotonic|perf_counter|datetime\.(now|utcnow)|loop\.time)\s*\(/;

export function pythonLoopChecks(root: TsNode, py: PyFile, resolver: ModuleResolver | undefined, relative: (file: string) => string): PyLoopFinding[] {
  const out: PyLoopFinding[] = [];
  const ctx: Ctx = { py, facts: py.facts, resolver, relative, networkMemo: new Map(), paceMemo: new Map() };
  for (const x of root.descendantsOfType("while_statement")) {
    if (!x) continue;
    try {
      checkLoop(x, ctx, out);
    } catch {
      /* a weird shape never crashes the lint */
    }
  }
  return out;
}

/**
 * A call that runs an agent framework's turn: `agent(task)`, `executor.stream(…)`,
 * `Runner.run(agent, task)`, `crew.kickoff()` (the caller checks the file imports such a framework).
 */
function agentCall(call: TsNode): boolean {
  const f = call.childForFieldName("function");
  if (!f) return false;
  if (f.type === "identifier") return AGENT_OBJECT.test(f.text) && !/^[A-Z]/.test(f.text); // `agent(task)`, not `Agent(…)` (a constructor)
  if (f.type !== "attribute" || !AGENT_VERB.test(f.childForFieldName("attribute")?.text ?? "")) return false;
  const recv = f.childForFieldName("object");
  const last = recv?.type === "attribute" ? recv.childForFieldName("attribute")?.text ?? "" : recv?.text ?? "";
  if (AGENT_OBJECT.test(last)) return true;
  const args = call.childForFieldName("arguments");
  return !!args && namedChildren(args).some((a) => a.type === "identifier" && AGENT_OBJECT.test(a.text));
}

function checkLoop(loop: TsNode, ctx: Ctx, out: PyLoopFinding[]): void {
  const cond = loop.childForFieldName("condition");
  const body = loop.childForFieldName("body");
  if (!body || !cond) return;
  // The loop's own test: `True`, or a flag the body never changes (changed elsewhere: a stop check).
  let flagExits: TsNode[] = [];
  let flagLoop = false;
  if (!isTrueCondition(cond)) {
    const flag = flagOf(cond);
    if (!flag || !FLAG_NAME.test(flag.text.split(".").pop() ?? "")) return;
    // `while todo:` with `todo.pop()` is a data loop, not a flag
    let mutated = false;
    walk(body, (x) => void (x.type === "call" && receiverText(x) === flag.text && /^(pop\w*|remove|clear|get\w*|discard|append|extend|put\w*)$/.test(lastName(x)) && (mutated = true)));
    if (mutated) return;
    const writes = assignedIn(body, flag.text);
    // `while retrying:` … `retrying = False` on success: each write is an exit of the loop
    flagExits = writes;
    flagLoop = true;
  }
  const { py } = ctx;
  let fnNode: TsNode | undefined;
  for (let p = loop.parent; p; p = p.parent) if (p.type === "function_definition" || p.type === "lambda") { fnNode = p; break; } else if (p.type === "class_definition" || p.type === "module") break;
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
  const agentFile = [...py.imports.values()].some((im) => !im.relative && (AGENT_FRAMEWORK.test(im.module) || !!providerForModule(im.module)));
  const model = (n: TsNode) => {
    if (agentFile && agentCall(n)) return true;
    if (!hits.length) return false;
    try {
      return reachOf(ctx.facts, { ...pseudo, range: [n.startIndex, n.endIndex] } as FnInfo, ctx.resolver).length > 0;
    } catch {
      return false;
    }
  };
  // `bot = Bot(token)` / `bot = await self.get_bot()` before the loop: a client whose every method talks to its server
  const clientVars = new Set<string>();
  walk(fnNode ?? root, (x) => {
    if (x.type !== "assignment" || x.startIndex >= loop.startIndex) return;
    const left = x.childForFieldName("left");
    let right = x.childForFieldName("right");
    if (right?.type === "await") right = right.namedChildren[0] ?? right;
    if (left?.type === "identifier" && right?.type === "call" && (isNetworkCall(right, py) || doesWork([right.startIndex, right.endIndex], right, owner?.classRange))) clientVars.add(left.text);
  });
  const clientCall = (c: TsNode) => {
    const f = c.childForFieldName("function");
    const o = f?.type === "attribute" ? f.childForFieldName("object") : undefined;
    return o?.type === "identifier" && clientVars.has(o.text);
  };
  let agentWork = false;
  walk(body, (x) => void (!agentWork && x.type === "call" && ((agentFile && agentCall(x)) || clientCall(x)) && (agentWork = true)));
  if (!hits.length && !agentWork && !doesWork(range, loop, owner?.classRange)) return;

  // ---- one walk over the body ----
  interface Call { node: TsNode; inTry: boolean; inExcept: boolean; conds: TsNode[] }
  const works: Call[] = [];
  const pauses: Call[] = [];
  const exits: Array<{ node: TsNode; kind: "break" | "return" | "throw" | "exitCall"; conds: TsNode[]; inTry: boolean; inExcept: boolean }> = [];
  const tries: TsNode[] = [];
  const answers = new Set<string>();
  /** Variables assigned a model's (or an agent's) answer in the loop. */
  const modelVars = new Set<string>();
  const fresh = new Set<string>();
  const toolChoiceVars = new Set<string>();
  const noneAssigned = new Set<string>();
  const allConds: TsNode[] = [];
  let userPaced = false;
  let generator = false;
  let retryLib = false;
  const readVars = new Set<string>();
  const reads: Call[] = [];
  const flagExitSet = new Set(flagExits.map((n) => n.startIndex));

  let depth = 0;
  const visit = (n: TsNode, st: { loopDepth: number; tryDepth: number; exceptDepth: number; conds: TsNode[] }): void => {
    if (SCOPES.has(n.type)) return;
    // nesting past a few hundred levels is not a loop anyone wrote by hand: stop there, never overflow
    if (depth > 400) throw new Error("nested too deeply");
    depth++;
    try {
      visitNode(n, st);
    } finally {
      depth--;
    }
  };
  const visitNode = (n: TsNode, st: { loopDepth: number; tryDepth: number; exceptDepth: number; conds: TsNode[] }): void => {
    switch (n.type) {
      case "for_statement":
      case "while_statement": {
        const c = n.childForFieldName(n.type === "while_statement" ? "condition" : "right");
        if (c) visit(c, st);
        const inner = { ...st, loopDepth: st.loopDepth + 1 };
        for (const ch of namedChildren(n)) if (!c || !ch.equals(c)) visit(ch, inner);
        return;
      }
      case "if_statement":
      case "elif_clause": {
        const c = n.childForFieldName("condition");
        if (c) {
          allConds.push(c);
          visit(c, st);
        }
        const inner = { ...st, conds: c ? [...st.conds, c] : st.conds };
        for (const ch of namedChildren(n)) if (!c || !ch.equals(c)) visit(ch, inner);
        return;
      }
      case "conditional_expression":
        break;
      case "try_statement": {
        const handlers = namedChildren(n).filter((c) => (c.type === "except_clause" || c.type === "except_group_clause") && !INTERRUPT_ONLY.test(c.text));
        if (handlers.length && st.loopDepth === 0) tries.push(n);
        for (const ch of namedChildren(n)) {
          if (ch.type === "block") visit(ch, handlers.length ? { ...st, tryDepth: st.tryDepth + 1 } : st);
          else if (ch.type === "except_clause" || ch.type === "except_group_clause") visit(ch, { ...st, exceptDepth: st.exceptDepth + 1 });
          else visit(ch, st);
        }
        return;
      }
      case "break_statement":
        if (st.loopDepth === 0) exits.push({ node: n, kind: "break", conds: st.conds, inTry: st.tryDepth > 0, inExcept: st.exceptDepth > 0 });
        return;
      case "return_statement":
        exits.push({ node: n, kind: "return", conds: st.conds, inTry: st.tryDepth > 0, inExcept: st.exceptDepth > 0 });
        break;
      case "raise_statement":
        if (st.tryDepth === 0) exits.push({ node: n, kind: "throw", conds: st.conds, inTry: false, inExcept: st.exceptDepth > 0 });
        break;
      case "yield":
        generator = true;
        break;
      case "assignment":
      case "augmented_assignment": {
        const left = n.childForFieldName("left");
        const right = n.childForFieldName("right");
        if (flagExitSet.has(n.startIndex)) exits.push({ node: n, kind: "break", conds: st.conds, inTry: st.tryDepth > 0, inExcept: st.exceptDepth > 0 });
        if (left && right && (left.type === "identifier" || left.type === "pattern_list" || left.type === "tuple_pattern")) {
          const r = right.type === "await" ? right.namedChildren[0] ?? right : right;
          if (r.type === "call" && !RESOURCE_READ.test(lastName(r)) && model(r)) walk(left, (y) => void (y.type === "identifier" && modelVars.add(y.text)));
        }
        if (left?.type === "identifier" && right) {
          const r = right.type === "await" ? right.namedChildren[0] ?? right : right;
          if (r.type === "call") {
            answers.add(left.text);
            if (st.loopDepth === 0 && st.tryDepth === 0 && st.exceptDepth === 0 && r.childForFieldName("function")?.type === "attribute" && FRESH_ITEM.test(lastName(r))) fresh.add(left.text);
          }
          if (right.type === "string" && /^["']none["']$/.test(right.text)) noneAssigned.add(left.text);
        }
        break;
      }
      case "keyword_argument": {
        const name = n.childForFieldName("name")?.text;
        const value = n.childForFieldName("value");
        if (name === "tool_choice" && value?.type === "identifier") toolChoiceVars.add(value.text);
        break;
      }
      case "call": {
        const name = lastName(n);
        const recv = receiverText(n);
        const fnText = n.childForFieldName("function")?.text ?? "";
        const c: Call = { node: n, inTry: st.tryDepth > 0, inExcept: st.exceptDepth > 0, conds: st.conds };
        if (EXIT_CALL.test(fnText)) exits.push({ node: n, kind: "exitCall", conds: st.conds, inTry: st.tryDepth > 0, inExcept: st.exceptDepth > 0 });
        const isWork = model(n) || clientCall(n) || doesWork([n.startIndex, n.endIndex], n, owner?.classRange);
        // `ask(history)` that calls the model is work, not a prompt
        if (isWork) {
          /* not a person's input */
        } else if (USER_CALL.test(name) && (n.childForFieldName("function")?.type === "identifier" || /prompt|questionary|inquirer|typer|click|console|rl|readline/i.test(recv))) userPaced = true;
        else if (WS_RECEIVE.test(name) && WS_OBJECT.test(recv.split(".").pop() ?? "")) userPaced = true; // a websocket peer paces it
        else if (AUDIO_READ.test(name) && AUDIO_OBJECT.test(recv)) userPaced = true; // a microphone paces it
        if (RETRY_HELPER.test(fnText) && !st.exceptDepth) retryLib = retryLib || /tenacity|backoff|retrying/.test(fnText);
        if (isWork) {
          works.push(c);
          return; // the outermost call stands for its arguments
        }
        if (PACE.test(name) || (name === "get" && /queue|^q$|jobs|tasks|inbox|channel/i.test(recv))) pauses.push(c);
        else if (/^(read|readline|recv|read_chunk|next)$/.test(name) && recv) {
          reads.push(c);
          const holder = n.parent?.type === "await" ? n.parent.parent : n.parent;
          const left = holder?.type === "assignment" ? holder.childForFieldName("left") : undefined;
          if (left) walk(left, (y) => void (y.type === "identifier" && readVars.add(y.text)));
        }
        break;
      }
    }
    for (const ch of children(n)) visit(ch, st);
  };
  for (const ch of namedChildren(body)) visit(ch, { loopDepth: 0, tryDepth: 0, exceptDepth: 0, conds: [] });

  // tenacity/backoff decorators on the called helper are the helper's business; a decorated loop function retries by library
  if (fnNode?.parent?.type === "decorated_definition" && /@\s*(tenacity\.)?retry|@\s*backoff\./.test(fnNode.parent.text)) retryLib = true;
  if (!works.length) return;

  // ---- caps, exits ----
  const updated = new Set<string>();
  walk(body, (x) => {
    if (x.type === "augmented_assignment") updated.add(x.childForFieldName("left")?.text ?? "");
    if (x.type === "assignment" && /[+-]\s*1\b/.test(x.childForFieldName("right")?.text ?? "")) updated.add(x.childForFieldName("left")?.text ?? "");
  });
  // `for attempt in range(…)` around the loop is not this loop; `attempt` counted in it is.
  const capOf = (c: TsNode): { cmp: TsNode; limit?: TsNode } | undefined => {
    let found: { cmp: TsNode; limit?: TsNode } | undefined;
    walk(c, (x) => {
      if (found) return false;
      if (x.type !== "comparison_operator") return;
      const ops = children(x).filter((o) => /^(<|>|<=|>=|==|!=)$/.test(o.type)).map((o) => o.type);
      const sides = namedChildren(x);
      if (sides.length !== 2) return;
      const [l, r] = sides;
      const counter = (s: TsNode) => updated.has(s.text) || TIME_CALL.test(s.text) || (ops.some((o) => /[<>]/.test(o)) && namesIn(s, new Set()).some(isCapName) && !namesIn(s, new Set()).some((nm) => MODEL_EXIT.test(nm)));
      if (namesIn(x, new Set()).some((nm) => MODEL_EXIT.test(nm))) return;
      if (!ops.some((o) => /[<>]/.test(o)) && !(updated.has(l.text) || updated.has(r.text))) return;
      if (counter(l) || counter(r)) {
        let limit = counter(l) && !counter(r) ? r : counter(r) && !counter(l) ? l : undefined;
        // a countdown (`left <= 0`) is capped at the counter's start
        if (limit && /^0$/.test(limit.text)) {
          const ctr = limit === r ? l : r;
          let init: TsNode | undefined;
          walk(fnNode ?? root, (y) => {
            if (init) return false;
            if (y.type === "assignment" && y.childForFieldName("left")?.text === ctr.text && y.startIndex < loop.startIndex) init = y.childForFieldName("right") ?? undefined;
          });
          limit = init ?? limit;
        }
        found = { cmp: x, limit };
      }
    });
    return found;
  };
  const exitCls: ExitClass[] = exits.map((e) => {
    const capCond = e.conds.some((c) => !!capOf(c));
    const names = e.conds.flatMap((c) => namesIn(c, answers));
    const modelLiteral = e.conds.some((c) => MODEL_EXIT_LITERAL.test(c.text));
    const modelAnswer = e.conds.some((c) => !STATUS_TEST.test(c.text) && namesIn(c, new Set()).some((nm) => modelVars.has(nm)));
    return classifyExit({ capCond, names, modelLiteral, modelAnswer, inCatch: e.inExcept, kind: e.kind });
  });
  const capHit = exits.flatMap((e, i) => (exitCls[i] === "cap" ? e.conds : [])).map(capOf).find((x) => x) ?? allConds.map(capOf).find((x) => x);
  const cap = capHit ? { limit: capHit.limit, deadline: TIME_CALL.test(capHit.cmp.text) || /deadline|timeout|elapsed/i.test(capHit.cmp.text) } : undefined;

  const readExit = reads.length > 0 && exits.some((e) => e.kind !== "throw" && e.conds.some((c) => namesIn(c, new Set()).some((nm) => readVars.has(nm))));
  const firstWork = works[0].node;
  const topLevel = namedChildren(body);
  const topPauses = pauses.filter((p) => SLEEP.test(lastName(p.node)) && !p.inExcept && !p.inTry && !p.conds.length && p.node.endIndex <= firstWork.startIndex);
  const shapeOf = (p: Call) => ({ at: p.node, delay: delayArg(p.node), shape: delayShape(delayArg(p.node), fnNode, py) });

  // ---- failure paths ----
  const retries: LoopFacts<TsNode>["retries"] = [];
  for (const t of tries) {
    const tryBody = t.childForFieldName("body");
    if (!tryBody || !works.some((w) => within(w.node, tryBody))) continue;
    if (fresh.size && [...fresh].some((v) => new RegExp(`\\b${v}\\b`).test(tryBody.text))) continue; // skip this item
    for (const h of namedChildren(t).filter((c) => (c.type === "except_clause" || c.type === "except_group_clause") && !INTERRUPT_ONLY.test(c.text))) {
      if (leaves(h)) continue;
      if (cap?.deadline && rethrowsUnexpected(h)) continue;
      let helper = false;
      walk(h, (x) => void (x.type === "call" && RETRY_HELPER.test(lastName(x)) && (helper = true)));
      if (helper) continue;
      let delays = pauses.filter((p) => within(p.node, h) && SLEEP.test(lastName(p.node)));
      if (!delays.length && !containsContinue(h)) {
        const after = topLevel.filter((s) => s.startIndex >= t.endIndex);
        // falls through: a statement after the try that always leaves means no retry
        if (after.some((s) => leaves(s) && !containsContinue(s))) continue;
        delays = pauses.filter((p) => SLEEP.test(lastName(p.node)) && !p.inExcept && after.some((s) => within(p.node, s)));
      }
      if (!delays.length) delays = topPauses;
      if (makesProgress(h, tryBody, updated, capHit?.cmp)) continue;
      // `url = f"…{offset}"` before the try, `offset += page_size` in the handler: the next attempt asks for another page
      if (makesProgress(h, { text: inputsBefore(t, topLevel, tryBody) } as TsNode, updated, undefined)) continue;
      retries.push({ at: h, delays: delays.map(shapeOf) });
      break;
    }
  }

  const pauseNode = pauses.find((p) => SLEEP.test(lastName(p.node)) && !p.inExcept);
  const pausedByCallee = rangeHas(ctx, root, range, owner?.classRange, (c) => {
    for (let p = c.parent; p && !p.equals(loop); p = p.parent) if (p.type === "except_clause") return false;
    return PACE.test(lastName(c)) || (lastName(c) === "get" && /queue|^q$|jobs|tasks|inbox|channel/i.test(receiverText(c)));
  }, ctx.paceMemo, loop);

  const facts: LoopFacts<TsNode> = {
    userPaced,
    streamRead: readExit,
    generator,
    works: works.map((w) => ({ at: w.node, guarded: w.inTry || w.inExcept, network: true })),
    exits: exits.map((e, i) => ({ at: e.node, cls: exitCls[i], inTry: e.inTry, conditional: e.conds.length > 0 })),
    cap,
    // Python's own stop: Ctrl-C raises KeyboardInterrupt, which ends the loop unless a handler swallows it.
    stopCheck: flagLoop,
    interruptible: !swallowsInterrupt(tries),
    paced: pausedByCallee || pauses.some((p) => !p.inExcept),
    pause: pauseNode ? shapeOf(pauseNode) : undefined,
    retries,
    retryLib,
    get pages() {
      return works.some((w) => pagesThrough(w.node, body));
    },
    toolsDisabled: [...toolChoiceVars].some((v) => noneAssigned.has(v)),
  };
  const verdict = decideLoop(facts);
  if (!verdict.findings.length) return;

  // ---- words, in Python ----
  const Loop = `\`while ${cond.text}\``;
  const shown = hits.slice(0, 3).map((h) => formatHit(h, ctx.relative)).join(", ") + (hits.length > 3 ? ", …" : "");
  const leads = (prefix: string) => (hits.length ? `${prefix}${shown}` : "");
  const exitText = (n: TsNode | undefined) => {
    for (let p = n?.parent; p && !p.equals(loop); p = p.parent) if (p.type === "if_statement" || p.type === "elif_clause") return `\`${short(p.childForFieldName("condition")?.text ?? "")}\``;
    return n ? `\`${short(n.text)}\`` : "the model's answer";
  };
  const seen = new Set<string>();
  for (const f of verdict.findings) {
    if (seen.has(f.messageId)) continue;
    seen.add(f.messageId);
    let data: Record<string, string>;
    switch (f.messageId) {
      case "noTryCatch":
        data = { loop: Loop, work: `\`${short((f.at ?? firstWork).text)}\``, leads: leads(" (reaching ") && `${leads(" (reaching ")})`, guard: "try/except" };
        break;
      case "retryWithoutBackoff":
        data = { loop: Loop, retry: f.retry === "none" ? "immediately, with no delay" : f.retry === "uncapped" ? `with a growing delay that has no cap (${f.delay ? `\`${short(f.delay.text)}\`` : "?"})` : `after a constant delay (${f.delay ? `\`${short(f.delay.text)}\`` : "the same every time"})`, leads: leads(" against ") };
        break;
      case "retryConstantDelayCapped":
        data = { loop: Loop, delay: f.delay ? `\`${short(f.delay.text)}\`` : "the same every time", cap: f.cap ? `\`${short(f.cap.text)}\`` : "a limit", leads: leads(" against ") };
        break;
      case "hotLoop":
        data = { loop: Loop, work: `\`${short(firstWork.text)}\``, target: leads(" ") || " its backend" };
        break;
      case "noExit":
        data = { loop: Loop, leads: leads(" (it holds connections to ") && `${leads(" (it holds connections to ")})`, exits: "break/return/raise" };
        break;
      case "agentWithoutCap":
        data = { leads: leads(" (calling ") && `${leads(" (calling ")})`, exit: exitText(f.at) };
        break;
      case "pollWithoutDeadline":
        data = { exit: exitText(f.at), delay: f.delay ? `\`${short(f.delay.text)}\`` : "no delay argument", leads: leads(" ") };
        break;
    }
    out.push({ rule: "no-unbounded-loop", messageId: f.messageId, data, node: loop });
  }
}

/** A handler that catches everything (`except:`, `except BaseException`, `except KeyboardInterrupt`) and does not leave. */
function swallowsInterrupt(tries: TsNode[]): boolean {
  return tries.some((t) => namedChildren(t).some((h) => h.type === "except_clause" && !leaves(h) && (namedChildren(h).filter((c) => c.type !== "block" && c.type !== "comment").length === 0 || /\b(BaseException|KeyboardInterrupt|SystemExit)\b/.test(namedChildren(h)[0]?.text ?? ""))));
}

/** `except Exception as e: if not isinstance(e, NotReady): raise`: only the expected error is swallowed. */
function rethrowsUnexpected(h: TsNode): boolean {
  const alias = /\bas\s+(\w+)\s*:/.exec(h.text.split("\n")[0])?.[1];
  let found = false;
  walk(h, (x) => {
    if (found || x.type !== "if_statement") return;
    const c = x.childForFieldName("condition");
    const cons = x.childForFieldName("consequence");
    if (c && cons && leaves(cons) && (!alias || c.text.includes(alias)) && !/429|5\d\d|rate|overload|unavailable|timeout|connection/i.test(c.text)) found = true;
  });
  // `except NotReady: pass` next to an `except Exception: raise` is the same shape
  if (!found && !/^except\s*(\(|Exception\b|BaseException\b|:)/.test(h.text) && namedChildren(h).some((c) => c.type === "block" && /^(pass|continue)\b/.test(c.text.trim()))) {
    found = !/Timeout|Connection|HTTP|RateLimit|APIError|Overloaded|ServiceUnavailable|RequestException/i.test(h.text.split("\n")[0]);
  }
  return found;
}

/** Does the handler change something the try body reads (the next attempt differs: a fallback, a repaired input)? */
function makesProgress(h: TsNode, tryBody: TsNode, updated: Set<string>, capCmp: TsNode | undefined): boolean {
  const changed: string[] = [];
  walk(h, (x) => {
    if (x.type === "assignment" || x.type === "augmented_assignment") {
      const left = x.childForFieldName("left")?.text ?? "";
      if (left && !(capCmp && capCmp.text.includes(left)) && !/attempt|retr|err|fail|count|tries|delay|wait|backoff|sleep/i.test(left)) changed.push(left);
    }
  });
  void updated;
  return changed.some((c) => new RegExp(`(^|[^\\w.])${c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`).test(tryBody.text));
}

/** The right-hand sides of the assignments before a try whose variables the try body reads (one step of data flow). */
function inputsBefore(t: TsNode, topLevel: TsNode[], tryBody: TsNode): string {
  const out: string[] = [];
  for (const st of topLevel) {
    if (st.startIndex >= t.startIndex) break;
    const a = st.type === "expression_statement" ? st.namedChildren[0] : undefined;
    if (a?.type !== "assignment") continue;
    const left = a.childForFieldName("left");
    const right = a.childForFieldName("right");
    if (left?.type === "identifier" && right && new RegExp(`\\b${left.text}\\b`).test(tryBody.text)) out.push(right.text);
  }
  return out.join("\n");
}

/** The request's input advances every iteration (`cursor = page.next`, `offset += 100`): a paginator. */
function pagesThrough(work: TsNode, body: TsNode): boolean {
  const args = work.text; // the request with its arguments (`requests.get(url, params=…).json()`)
  let pages = false;
  walk(body, (x) => {
    if (pages) return false;
    if (x.type !== "assignment" && x.type !== "augmented_assignment") return;
    const right = x.childForFieldName("right");
    if (right && within(work, right)) return; // `job = client.get(job.id)` refreshes the polled object
    const left = x.childForFieldName("left")?.text ?? "";
    if (left && /^[\w.]+$/.test(left) && new RegExp(`(^|[^\\w.])${left.replace(/\./g, "\\.")}\\b`).test(args) && !PENDING_WORD.test(left)) pages = true;
  });
  return pages;
}
