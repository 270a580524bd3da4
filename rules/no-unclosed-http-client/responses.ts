/**
 * no-unclosed-http-client, check 1 of 3: a `fetch` Response, or an `http(s).get/request`
 * IncomingMessage, whose body some path leaves neither consumed, cancelled nor handed on keeps its
 * socket in CLOSE-WAIT. "Some path" is decided on ESLint's code-path graph (core/code-paths.ts).
 */
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { decideResource } from "../core/resource-decision.js";
import { fetchShadowCheck, findEscape, firstExit, SegmentTracker, type CodePath, type Escape, type ExitNode, type Segment } from "../core/code-paths.js";
import { findProp, httpRequestKind, isFetchCall, localFetchIsNotGlobal, isFunctionNode, memberName, unwrap } from "../core/http-calls.js";
import { enclosingFunction, findVariable, isAsync, isTestPosition, LISTEN, valueFlow, type Context, type MessageIds, type ModuleState, type Node, type Variable } from "./utils.js";

const RESPONSE_NEUTRAL = new Set(["ok", "status", "statusText", "headers", "url", "redirected", "type", "bodyUsed", "clone"]);
const INCOMING_NEUTRAL = new Set(["statusCode", "statusMessage", "headers", "headersDistinct", "rawHeaders", "trailers", "httpVersion", "httpVersionMajor", "httpVersionMinor", "complete", "setEncoding", "url", "method", "aborted", "readableEncoding"]);

/** How a body is released: "response" (WHATWG) or "incoming" (node:http IncomingMessage). */
type BodyKind = "response" | "incoming";

interface Tracked {
  kind: BodyKind;
  name: string;
  variable: Variable;
  /** The node that starts the value's life: declarator/assignment (or the callback for parameters). */
  startNode: Node;
  startPos: number;
  startSegments: readonly Segment[];
  /** Where the report goes. */
  reportNode: Node;
  fn: Node | null;
  /** The AbortController whose signal this request uses (aborting it cancels the body). */
  controller?: Variable;
  via: "var" | "then" | "callback";
}

/** The response check of one file: its listeners (code-path events included) and its state. */
export class ResponseCheck {
  private readonly sourceCode: Readonly<TSESLint.SourceCode>;
  private readonly shadowed: ReturnType<typeof fetchShadowCheck>;
  private readonly tracker = new SegmentTracker();
  private readonly watched = new Set<string>();
  private readonly pending = new Map<CodePath, Tracked[]>();
  private readonly pendingStarts = new Map<Node, { item: Omit<Tracked, "startSegments">; path?: CodePath }>();
  private readonly callbackLabels = new Map<Node, string>();
  /** Variable name → consequents of `if (name.status === 204 …)`: branches with no body. */
  private readonly bodylessBranches = new Map<string, Node[]>();
  private readonly bodylessIfs = new Map<Node, string>();

  constructor(
    private readonly context: Context,
    private readonly state: ModuleState,
  ) {
    this.sourceCode = context.sourceCode;
    this.shadowed = fetchShadowCheck(context.sourceCode as never, localFetchIsNotGlobal);
  }

  listeners(): Record<string, unknown> {
    const listeners: Record<string, unknown> = {
      ...this.tracker.listeners(),
      Identifier: (node: TSESTree.Identifier) => {
        if (!this.watched.has(node.name)) return;
        this.tracker.mark(node);
        this.noteBodylessTest(node);
      },
      "IfStatement > .consequent": (node: Node) => this.markBodylessBranch(node),
      CatchClause: (node: TSESTree.CatchClause) => {
        this.tracker.mark(node);
      },
      VariableDeclarator: (node: TSESTree.VariableDeclarator) => {
        this.startVar(node, node.id, node.init);
        this.destructuredFetch(node.id, node.init);
      },
      "VariableDeclarator:exit": (node: Node) => this.finishStart(node),
      AssignmentExpression: (node: TSESTree.AssignmentExpression) => {
        if (node.operator === "=") this.startVar(node, node.left, node.right);
      },
      "AssignmentExpression:exit": (node: Node) => this.finishStart(node),
      ExpressionStatement: (node: TSESTree.ExpressionStatement) => this.discardedFetch(node),
    };
    const startListener = listeners.onCodePathStart as (p: CodePath, n: Node) => void;
    if (startListener) {
      listeners.onCodePathStart = (path: CodePath, node: Node) => {
        startListener(path, node);
        this.callbackStart(path, node);
      };
    }
    this.tracker.onEnd((path) => {
      const list = this.pending.get(path);
      if (!list) return;
      this.pending.delete(path);
      for (const item of list) this.analyse(path, item);
    });
    return listeners;
  }

  /** `fetch(url)` as a statement: the response is dropped unread. */
  private discardedFetch(node: TSESTree.ExpressionStatement) {
    let e = unwrap(node.expression);
    if (e.type === "UnaryExpression" && e.operator === "void") e = unwrap(e.argument);
    if (e.type === "AwaitExpression") e = unwrap(e.argument);
    // fetch(url).catch(…) / .finally(…) also drops the response
    while (e.type === "CallExpression" && e.callee.type === "MemberExpression" && ["catch", "finally"].includes(memberName(e.callee) ?? "")) e = unwrap(e.callee.object);
    if (isFetchCall(e, this.state.bindings, this.shadowed)) {
      const call = e;
      const inAsync = isAsync(enclosingFunction(node));
      if (!decideResource({ kind: "response", scope: "call", fate: "discarded" })) return;
      this.context.report({
        node: call,
        messageId: "discardedResponse",
        data: { call: this.callLabel(call) },
        suggest:
          inAsync && node.expression.type === "AwaitExpression" && unwrap(node.expression.argument) === call
            ? [{ messageId: "cancelDiscarded", data: { call: this.callLabel(call) }, fix: (fixer) => fixer.replaceText(node.expression, `await (await ${this.sourceCode.getText(call)}).body?.cancel()`) }]
            : [],
      });
    }
  }

  private callLabel(call: TSESTree.CallExpression) {
    return `${this.sourceCode.getText(call.callee)}(…)`;
  }

  private add(path: CodePath | undefined, item: Tracked) {
    if (!path) return;
    let list = this.pending.get(path);
    if (!list) this.pending.set(path, (list = []));
    list.push(item);
  }

  /** The AbortController (a local `new AbortController()`) whose signal a fetch uses. */
  private controllerOf(call: TSESTree.CallExpression): Variable | undefined {
    let opts: Node | undefined = call.arguments[1] && unwrap(call.arguments[1]);
    // `const init = { signal: controller.signal }; fetch(url, init)`: the options held in a const
    if (opts?.type === "Identifier") {
      const v = findVariable(this.sourceCode.getScope(call), opts.name);
      const d = v?.defs[0];
      const init = d?.type === "Variable" && d.node.type === "VariableDeclarator" && d.parent?.type === "VariableDeclaration" && d.parent.kind === "const" ? d.node.init : undefined;
      opts = init ? unwrap(init) : undefined;
    }
    if (opts?.type !== "ObjectExpression") return undefined;
    const sig = findProp(opts, "signal").prop;
    if (!sig) return undefined;
    const v = unwrap(sig.value as Node);
    if (v.type !== "MemberExpression" || memberName(v) !== "signal" || v.object.type !== "Identifier") return undefined;
    const variable = findVariable(this.sourceCode.getScope(call), v.object.name);
    if (variable) this.watched.add(variable.name);
    return variable;
  }

  // ---- fetch: `const res = await fetch(…)` / `res = await fetch(…)` -------------------------
  private startVar(holder: Node, id: Node, init: Node | null | undefined) {
    if (!init || id.type !== "Identifier") return;
    const e = unwrap(init);
    if (e.type !== "AwaitExpression") return;
    const call = unwrap(e.argument);
    if (!isFetchCall(call, this.state.bindings, this.shadowed) || isHeadRequest(call)) return;
    const variable = findVariable(this.sourceCode.getScope(holder), id.name);
    if (!variable) return;
    this.watched.add(id.name);
    this.pendingStarts.set(holder, {
      item: {
        kind: "response",
        name: id.name,
        variable,
        startNode: holder,
        startPos: holder.range[1],
        reportNode: call,
        fn: enclosingFunction(holder),
        controller: this.controllerOf(call),
        via: "var",
      },
    });
  }
  private finishStart(holder: Node) {
    const p = this.pendingStarts.get(holder);
    if (!p) return;
    this.pendingStarts.delete(holder);
    const segs = this.tracker.currentSegments();
    if (!segs.some((s) => s.reachable)) return;
    this.add(this.tracker.currentPath(), { ...p.item, startSegments: segs });
  }

  /** A destructured response: `const { ok } = await fetch()` never reaches the body. */
  private destructuredFetch(id: Node, init: Node | null | undefined) {
    if (!init || id.type !== "ObjectPattern") return;
    const e = unwrap(init);
    if (e.type !== "AwaitExpression") return;
    const call = unwrap(e.argument);
    if (!isFetchCall(call, this.state.bindings, this.shadowed)) return;
    if (patternReadsBody(id, "response")) return;
    const messageId = decideResource({ kind: "response", scope: "call", fate: "discarded" });
    if (messageId) this.context.report({ node: call, messageId, data: { call: this.callLabel(call) } });
  }

  // ---- callbacks that receive a response: fetch().then(r => …), http.get(url, res => …) ------
  private callbackStart(path: CodePath, fn: Node) {
    if (!isFunctionNode(fn) || fn.parent?.type !== "CallExpression") return;
    const call = fn.parent;
    let kind: BodyKind | undefined;
    let label = "";
    if (call.callee.type === "MemberExpression" && memberName(call.callee) === "then" && call.arguments[0] === fn && isFetchCall(unwrap(call.callee.object), this.state.bindings, this.shadowed)) {
      kind = "response";
      label = this.callLabel(unwrap(call.callee.object) as TSESTree.CallExpression);
    } else if (httpRequestKind(call, this.state.bindings) && call.arguments[call.arguments.length - 1] === fn && call.arguments.length >= 2) {
      kind = "incoming";
      label = this.callLabel(call);
    }
    if (!kind) return;
    const p = fn.params[0];
    if (!p || (p.type !== "Identifier" && !patternReadsBody(p, kind))) {
      const id = decideResource({ kind, scope: "call", fate: "leaked", via: kind === "response" ? "then" : "callback" });
      if (id === "unconsumedThen") this.context.report({ node: p ?? fn, messageId: id, data: { exit: "its end without touching the response", name: "res" } });
      else if (id) this.context.report({ node: p ?? fn, messageId: id, data: { name: "res", call: label, exit: "its end (the response is not even a parameter)" } });
      return;
    }
    if (p.type !== "Identifier") return;
    const variable = this.sourceCode.getDeclaredVariables(fn).find((v) => v.name === p.name);
    if (!variable) return;
    this.watched.add(p.name);
    this.add(path, {
      kind,
      name: p.name,
      variable,
      startNode: fn,
      startPos: -1,
      startSegments: [path.initialSegment],
      reportNode: p,
      fn,
      via: kind === "response" ? "then" : "callback",
    });
    this.callbackLabels.set(fn, label);
  }

  // ---- the decision, when a code path is complete ------------------------------------------
  private analyse(path: CodePath, item: Tracked) {
    const releases: Array<{ node: Node; segs: readonly Segment[] }> = [];
    for (const ref of item.variable.references) {
      const id = ref.identifier as Node;
      if (id === (item.startNode.type === "VariableDeclarator" ? item.startNode.id : item.startNode.type === "AssignmentExpression" ? item.startNode.left : null)) continue;
      const use = ref.isWrite() && !ref.isRead() ? "release" : classify(id, item.kind);
      if (use === "neutral") continue;
      if (enclosingFunction(id) !== item.fn) return; // used in a closure: handed on, we cannot follow it
      const segs = this.tracker.marks.get(id);
      if (!segs) return; // a use we did not see in order (before the start in a loop): stay silent
      releases.push({ node: id, segs });
    }
    // `if (res.status === 204) return …`: a 204/205/304 response has no body to read
    for (const c of this.bodylessBranches.get(item.name) ?? []) {
      const segs = this.tracker.marks.get(c);
      if (segs && enclosingFunction(c) === item.fn) releases.push({ node: c, segs });
    }
    // A read inside `try { … await res.json() } catch { … }` (a try after the request): ESLint lets
    // the catch start before the read; if the read throws, the body was being read. Count the catch too.
    for (const r of [...releases]) {
      for (let p = r.node.parent; p && p !== item.fn; p = p.parent) {
        if (p.type === "TryStatement" && p.handler && p.range[0] > item.startPos && r.node.range[0] >= p.block.range[0] && r.node.range[1] <= p.block.range[1]) {
          const segs = this.tracker.marks.get(p.handler);
          if (segs) releases.push({ node: p.handler, segs });
        }
      }
    }
    // `try { res = await fetch(…) } catch { throw … }`: ESLint forks into the catch at the request
    // itself, when there is no response yet. Unless the try block throws explicitly after the
    // request (`if (!res.ok) throw …`), its catch never sees a live response.
    for (let p = item.startNode.parent; p && p !== item.fn; p = p.parent) {
      if (p.type !== "TryStatement" || !p.handler || item.startNode.range[0] < p.block.range[0] || item.startNode.range[1] > p.block.range[1]) continue;
      if (throwsAfter(p.block, item.startPos)) continue;
      const segs = this.tracker.marks.get(p.handler);
      if (segs) releases.push({ node: p.handler, segs });
    }
    if (item.controller) {
      for (const ref of item.controller.references) {
        const id = ref.identifier as Node;
        const m = id.parent;
        if (m?.type !== "MemberExpression" || m.object !== id || memberName(m) !== "abort") continue;
        if (enclosingFunction(id) !== item.fn) return; // aborted from a timer or handler: that cancels too
        const segs = this.tracker.marks.get(id);
        if (segs) releases.push({ node: id, segs });
      }
    }
    // `try { res = await fetch(…) } finally { … }`: ESLint forks into the finally's thrown path at
    // the request itself. Unless the try block throws explicitly after the request, a path that
    // leaves by that implicit throw (no `throw` statement on it) never carries a live response.
    let implicitThrowIsEmpty = false;
    for (let p = item.startNode.parent; p && p !== item.fn; p = p.parent) {
      if (p.type === "TryStatement" && p.finalizer && item.startNode.range[0] >= p.block.range[0] && item.startNode.range[1] <= p.block.range[1] && !throwsAfter(p.block, item.startPos)) implicitThrowIsEmpty = true;
    }
    const thrown = new Set(path.thrownSegments);
    const inSeg = (seg: Segment, pred: (n: Node) => boolean) => releases.some((r) => r.segs.includes(seg) && pred(r.node));
    const escape = findEscape(path, {
      acceptExit: implicitThrowIsEmpty ? (p) => !(thrown.has(p[p.length - 1]) && !firstExit(this.tracker, p)) : undefined,
      from: item.startSegments,
      startBlocked: (seg) => inSeg(seg, (n) => n.range[0] >= item.startPos),
      blocked: (seg) => inSeg(seg, () => true),
      revisitBlocked: (seg) => inSeg(seg, (n) => n.range[0] < item.startPos),
    });
    if (escape) this.report(item, escape);
  }

  private describeExit(escape: Escape, exit: ExitNode | undefined): string {
    if (exit) {
      const word = exit.type === "ReturnStatement" ? "return" : exit.type === "ThrowStatement" ? "throw" : exit.type === "ContinueStatement" ? "continue" : "break";
      return `the \`${word}\` on line ${exit.loc.start.line}`;
    }
    return escape.end === "revisit" ? "the next loop iteration (the variable is overwritten)" : "the end of the function";
  }

  private report(item: Tracked, escape: Escape) {
    const exit = firstExit(this.tracker, escape.path);
    const data = { name: item.name, exit: this.describeExit(escape, exit), call: item.reportNode.type === "CallExpression" ? this.callLabel(item.reportNode) : this.callbackLabels.get(item.startNode) ?? "" };
    const fixText = item.kind === "response" ? `${isAsync(item.fn) ? "await " : "void "}${item.name}.body?.cancel();` : `${item.name}.resume();`;
    const suggest: TSESLint.SuggestionReportDescriptor<MessageIds>[] = [];
    const insertion = this.insertBefore(exit, item, escape);
    if (insertion) suggest.push({ messageId: item.kind === "response" ? "cancelBody" : "resumeIncoming", data: { text: fixText, name: item.name }, fix: (fixer) => insertion(fixer, fixText) });
    const messageId = decideResource({ kind: item.kind, scope: "call", fate: "leaked", via: item.via });
    if (!messageId) return;
    this.context.report({
      node: item.reportNode,
      messageId,
      data,
      suggest,
    });
  }

  /** Where the cancel goes: before the exit statement, or at the end of the function body. */
  private insertBefore(exit: ExitNode | undefined, item: Tracked, escape: Escape) {
    if (exit) {
      if (exit.type === "BreakStatement" && exit.label) return undefined;
      const parent = exit.parent;
      if (parent?.type === "BlockStatement" || parent?.type === "SwitchCase" || parent?.type === "Program" || parent?.type === "StaticBlock") {
        const indent = " ".repeat(exit.loc.start.column);
        return (fixer: TSESLint.RuleFixer, t: string) => fixer.insertTextBefore(exit, `${t}\n${indent}`);
      }
      return (fixer: TSESLint.RuleFixer, t: string) => fixer.replaceText(exit, `{ ${t} ${this.sourceCode.getText(exit)} }`);
    }
    const fn = item.fn;
    if (escape.end === "exit" && fn && isFunctionNode(fn) && fn.body.type === "BlockStatement") {
      const closing = this.sourceCode.getLastToken(fn.body)!;
      const before = this.sourceCode.getTokenBefore(closing);
      if (before && before.loc.end.line === closing.loc.start.line) return (fixer: TSESLint.RuleFixer, t: string) => fixer.insertTextBefore(closing, `${t} `);
      return (fixer: TSESLint.RuleFixer, t: string) => fixer.insertTextBefore(closing, `  ${t}\n${" ".repeat(closing.loc.start.column)}`);
    }
    return undefined;
  }

  /** Variable name → consequents of `if (name.status === 204 …)`: branches with no body. */
  private noteBodylessTest(id: TSESTree.Identifier) {
    const m = id.parent;
    if (m?.type !== "MemberExpression" || m.object !== id || memberName(m) !== "status") return;
    const b = m.parent;
    if (b?.type !== "BinaryExpression" || (b.operator !== "===" && b.operator !== "==")) return;
    const other = b.left === m ? b.right : b.left;
    if (other.type !== "Literal" || ![204, 205, 304].includes(other.value as number)) return;
    let t: Node = b;
    while (t.parent?.type === "LogicalExpression" && t.parent.operator === "||") t = t.parent;
    if (t.parent?.type === "IfStatement" && t.parent.test === t) this.bodylessIfs.set(t.parent.consequent, id.name);
  }

  private markBodylessBranch(node: Node) {
    const name = this.bodylessIfs.get(node);
    if (!name) return;
    this.tracker.mark(node);
    let list = this.bodylessBranches.get(name);
    if (!list) this.bodylessBranches.set(name, (list = []));
    list.push(node);
  }
}

// ---- helpers ----------------------------------------------------------------------------------

/** Does `block` contain a `throw` (outside nested functions) after position `pos`? */
function throwsAfter(block: Node, pos: number): boolean {
  const stack: Node[] = [block];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === "ThrowStatement" && n.range[0] > pos) return true;
    if (n !== block && isFunctionNode(n)) continue;
    for (const key of Object.keys(n)) {
      if (key === "parent") continue;
      const v = (n as unknown as Record<string, unknown>)[key];
      if (Array.isArray(v)) {
        for (const c of v) if (c && typeof c === "object" && typeof (c as Node).type === "string") stack.push(c as Node);
      } else if (v && typeof v === "object" && typeof (v as Node).type === "string") stack.push(v as Node);
    }
  }
  return false;
}

/** `fetch(u, { method: "HEAD" })`: no body to leak. */
function isHeadRequest(call: TSESTree.CallExpression): boolean {
  const o = call.arguments[1] && unwrap(call.arguments[1]);
  if (o?.type !== "ObjectExpression") return false;
  const m = findProp(o, "method").prop;
  return !!m && m.value.type === "Literal" && typeof m.value.value === "string" && m.value.value.toUpperCase() === "HEAD";
}

/** Does a destructuring pattern of a response/IncomingMessage take something that reads the body? */
function patternReadsBody(p: Node, kind: BodyKind): boolean {
  if (p.type === "AssignmentPattern") return patternReadsBody(p.left, kind);
  if (p.type !== "ObjectPattern") return true; // array pattern or rest: unknown, assume it does
  for (const prop of p.properties) {
    if (prop.type === "RestElement") return true;
    const key = !prop.computed && prop.key.type === "Identifier" ? prop.key.name : undefined;
    if (!key) return true;
    if (kind === "response" ? !RESPONSE_NEUTRAL.has(key) : !INCOMING_NEUTRAL.has(key)) return true;
  }
  return false;
}

/** What a reference does to the body: nothing, or consume/cancel/hand on (all "release"). */
function classify(id: Node, kind: BodyKind): "neutral" | "release" {
  const parent = id.parent;
  if (parent?.type === "MemberExpression" && parent.object === id) {
    const name = memberName(parent);
    if (!name) return "release";
    if (kind === "response") {
      if (RESPONSE_NEUTRAL.has(name)) return "neutral";
      // json(), text(), body.* — even `if (!res.body) throw …`: a null body holds nothing — and anything we do not know
      return "release"; // json(), text(), body.*, and anything we do not know
    }
    if (INCOMING_NEUTRAL.has(name)) return "neutral";
    if (LISTEN.has(name) && parent.parent?.type === "CallExpression") {
      const ev = parent.parent.arguments[0];
      if (ev?.type === "Literal" && typeof ev.value === "string") return ev.value === "data" || ev.value === "readable" ? "release" : "neutral";
    }
    return "release"; // resume(), pipe(), read(), destroy(), and anything we do not know
  }
  const f = valueFlow(id);
  if (isTestPosition(f.node, f.parent)) return "neutral";
  // `console.warn("failed", res)`, `logger.error(res)`: logging prints the object, it neither reads nor hands on the body
  if (f.parent.type === "CallExpression" && f.parent.arguments.includes(f.node as TSESTree.CallExpressionArgument) && isLogCall(f.parent)) return "neutral";
  return "release"; // returned, passed, stored, iterated, aliased: handed on
}

const LOG_METHODS = /^(log|info|warn|warning|error|debug|trace|fatal|dir|table)$/;
const LOGGER_OBJECTS = /^(console|logger|log|logging|winston|pino|bunyan|debug|this\.logger|this\.log)$/i;

/** `console.warn(…)`, `logger.error(…)`, `this.logger.debug(…)`. */
function isLogCall(call: TSESTree.CallExpression): boolean {
  const c = unwrap(call.callee);
  if (c.type !== "MemberExpression") return false;
  const name = memberName(c);
  const obj = unwrap(c.object);
  const objText = obj.type === "Identifier" ? obj.name : obj.type === "MemberExpression" && obj.object.type === "ThisExpression" ? `this.${memberName(obj)}` : "";
  return !!name && LOG_METHODS.test(name) && LOGGER_OBJECTS.test(objText);
}

