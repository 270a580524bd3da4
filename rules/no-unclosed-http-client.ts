/**
 * no-unclosed-http-client — no CLOSE-WAIT leaks (SPEC §2.2).
 *
 * A `fetch` Response, or an `http(s).get/request` IncomingMessage, whose body some path leaves
 * neither consumed, cancelled nor handed on keeps its socket: when the server closes, the
 * kernel parks it in CLOSE-WAIT until the process reads or closes it. "Some path" is decided on
 * ESLint's code-path graph (see core/code-paths.ts). Also: keep-alive agents, undici
 * dispatchers, sockets and WebSockets created per call and never closed or handed on, and LLM
 * SDK clients built once per unit of work (loop iteration, array callback, request handler).
 */
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { createRule } from "./create-rule.js";
import { decideResource } from "./core/resource-decision.js";
import { fetchShadowCheck, findEscape, firstExit, SegmentTracker, type CodePath, type Escape, type ExitNode, type Segment } from "./core/code-paths.js";
import {
  findProp,
  httpRequestKind,
  calleeRoot,
  interestingNames,
  isFetchCall,
  localFetchIsNotGlobal,
  isFunctionNode,
  mayHaveResponseBodies,
  mayUseNetwork,
  memberName,
  moduleBindings,
  resourceCreated,
  sdkClientCreated,
  unwrap,
  type ModuleBinding,
} from "./core/http-calls.js";

type Node = TSESTree.Node;
type Variable = TSESLint.Scope.Variable;

export type Options = [{ checkSdkClients?: boolean; checkResources?: boolean }];
export type MessageIds =
  | "unconsumedResponse"
  | "unconsumedThen"
  | "discardedResponse"
  | "unconsumedIncoming"
  | "resourceNotClosed"
  | "clientPerUnit"
  | "cancelBody"
  | "resumeIncoming"
  | "cancelDiscarded";

const RESPONSE_NEUTRAL = new Set(["ok", "status", "statusText", "headers", "url", "redirected", "type", "bodyUsed", "clone"]);
const INCOMING_NEUTRAL = new Set(["statusCode", "statusMessage", "headers", "headersDistinct", "rawHeaders", "trailers", "httpVersion", "httpVersionMajor", "httpVersionMinor", "complete", "setEncoding", "url", "method", "aborted", "readableEncoding"]);
const LISTEN = new Set(["on", "once", "addListener", "prependListener", "prependOnceListener"]);
const CLOSERS = new Set(["close", "destroy", "end", "terminate", "disconnect", "destroySoon"]);
const ARRAY_CALLBACKS = new Set(["map", "forEach", "flatMap", "filter", "reduce", "reduceRight", "some", "every", "find", "findIndex", "findLast", "findLastIndex"]);
const ROUTE_METHODS = new Set(["get", "post", "put", "patch", "delete", "del", "all", "options", "head", "use", "route"]);
const HTTP_EXPORTS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);
const REQUEST_CALLS = /^(?:fetch|request|get|post|put|patch|delete|head|options|stream|dispatch|connect|upgrade|pipeline|create|send|query|call|ws)$/i;

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

export default createRule<Options, MessageIds>({
  name: "no-unclosed-http-client",
  meta: {
    type: "problem",
    docs: {
      description: "HTTP responses, agents, sockets and SDK clients must be consumed, cancelled or closed on every path, or the process keeps their sockets in CLOSE-WAIT.",
      recommended: "error",
    },
    hasSuggestions: true,
    schema: [
      {
        type: "object",
        properties: {
          checkSdkClients: { type: "boolean", description: "Report LLM SDK clients created once per loop iteration, array callback or request handler." },
          checkResources: { type: "boolean", description: "Report keep-alive agents, undici dispatchers, sockets and WebSockets created per call and never closed." },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      unconsumedResponse: "The Response from {{call}} is left unread when the function leaves through {{exit}}: its socket stays open (CLOSE-WAIT).",
      unconsumedThen: "The Response in this .then() is left unread when the callback leaves through {{exit}}: its socket stays open (CLOSE-WAIT).",
      discardedResponse: "The Response of {{call}} is discarded unread: its socket stays open (CLOSE-WAIT). Read it or cancel its body.",
      unconsumedIncoming: "The response `{{name}}` of {{call}} is never read when the callback leaves through {{exit}}: its socket stays open.",
      resourceNotClosed: "A {{what}} is created on every call and never closed or handed on: its sockets stay open; {{close}}.",
      clientPerUnit: "{{client}} is created {{unit}}: each instance opens its own connection pool. Create it once and reuse it.",
      cancelBody: "Cancel the body before leaving: `{{text}}`.",
      resumeIncoming: "Drain the response before leaving: `{{name}}.resume()`.",
      cancelDiscarded: "Cancel the discarded body: `await (await {{call}}).body?.cancel()`.",
    },
  },
  defaultOptions: [{ checkSdkClients: true, checkResources: true }],
  create(context, [options]) {
    if (!mayUseNetwork(context.sourceCode.text)) return {}; // cheap text pre-filter
    // Browser code has no process-level CLOSE-WAIT: the browser owns the sockets (M7).
    if (isBrowserOnly(context.sourceCode.ast, context.filename, context.sourceCode.text)) return {};
    const sourceCode = context.sourceCode;
    let bindings: Map<string, ModuleBinding> = new Map();
    const shadowed = fetchShadowCheck(context.sourceCode as never, localFetchIsNotGlobal);
    let interesting = new Set<string>();
    const tracker = new SegmentTracker();
    const watched = new Set<string>();
    const pending = new Map<CodePath, Tracked[]>();
    const pendingStarts = new Map<Node, { item: Omit<Tracked, "startSegments">; path?: CodePath }>();

    const callLabel = (call: TSESTree.CallExpression) => `${sourceCode.getText(call.callee)}(…)`;

    const add = (path: CodePath | undefined, item: Tracked) => {
      if (!path) return;
      let list = pending.get(path);
      if (!list) pending.set(path, (list = []));
      list.push(item);
    };

    const enclosingFunction = (n: Node): Node | null => {
      for (let p = n.parent; p; p = p.parent) if (isFunctionNode(p)) return p;
      return null;
    };

    /** The AbortController (a local `new AbortController()`) whose signal a fetch uses. */
    const controllerOf = (call: TSESTree.CallExpression): Variable | undefined => {
      let opts: Node | undefined = call.arguments[1] && unwrap(call.arguments[1]);
      // `const init = { signal: controller.signal }; fetch(url, init)`: the options held in a const
      if (opts?.type === "Identifier") {
        const v = findVariable(sourceCode.getScope(call), opts.name);
        const d = v?.defs[0];
        const init = d?.type === "Variable" && d.node.type === "VariableDeclarator" && d.parent?.type === "VariableDeclaration" && d.parent.kind === "const" ? d.node.init : undefined;
        opts = init ? unwrap(init) : undefined;
      }
      if (opts?.type !== "ObjectExpression") return undefined;
      const sig = findProp(opts, "signal").prop;
      if (!sig) return undefined;
      const v = unwrap(sig.value as Node);
      if (v.type !== "MemberExpression" || memberName(v) !== "signal" || v.object.type !== "Identifier") return undefined;
      const variable = findVariable(sourceCode.getScope(call), v.object.name);
      if (variable) watched.add(variable.name);
      return variable;
    };

    // ---- fetch: `const res = await fetch(…)` / `res = await fetch(…)` -------------------------
    const startVar = (holder: Node, id: Node, init: Node | null | undefined) => {
      if (!init || id.type !== "Identifier") return;
      const e = unwrap(init);
      if (e.type !== "AwaitExpression") return;
      const call = unwrap(e.argument);
      if (!isFetchCall(call, bindings, shadowed) || isHeadRequest(call)) return;
      const variable = findVariable(sourceCode.getScope(holder), id.name);
      if (!variable) return;
      watched.add(id.name);
      pendingStarts.set(holder, {
        item: {
          kind: "response",
          name: id.name,
          variable,
          startNode: holder,
          startPos: holder.range[1],
          reportNode: call,
          fn: enclosingFunction(holder),
          controller: controllerOf(call),
          via: "var",
        },
      });
    };
    const finishStart = (holder: Node) => {
      const p = pendingStarts.get(holder);
      if (!p) return;
      pendingStarts.delete(holder);
      const segs = tracker.currentSegments();
      if (!segs.some((s) => s.reachable)) return;
      add(tracker.currentPath(), { ...p.item, startSegments: segs });
    };

    /** A destructured response: `const { ok } = await fetch()` never reaches the body. */
    const destructuredFetch = (id: Node, init: Node | null | undefined) => {
      if (!init || id.type !== "ObjectPattern") return;
      const e = unwrap(init);
      if (e.type !== "AwaitExpression") return;
      const call = unwrap(e.argument);
      if (!isFetchCall(call, bindings, shadowed)) return;
      if (patternReadsBody(id, "response")) return;
      const messageId = decideResource({ kind: "response", scope: "call", fate: "discarded" });
      if (messageId) context.report({ node: call, messageId, data: { call: callLabel(call) } });
    };

    // ---- callbacks that receive a response: fetch().then(r => …), http.get(url, res => …) ------
    const callbackStart = (path: CodePath, fn: Node) => {
      if (!isFunctionNode(fn) || fn.parent?.type !== "CallExpression") return;
      const call = fn.parent;
      let kind: BodyKind | undefined;
      let label = "";
      if (call.callee.type === "MemberExpression" && memberName(call.callee) === "then" && call.arguments[0] === fn && isFetchCall(unwrap(call.callee.object), bindings, shadowed)) {
        kind = "response";
        label = callLabel(unwrap(call.callee.object) as TSESTree.CallExpression);
      } else if (httpRequestKind(call, bindings) && call.arguments[call.arguments.length - 1] === fn && call.arguments.length >= 2) {
        kind = "incoming";
        label = callLabel(call);
      }
      if (!kind) return;
      const p = fn.params[0];
      if (!p || (p.type !== "Identifier" && !patternReadsBody(p, kind))) {
        const id = decideResource({ kind, scope: "call", fate: "leaked", via: kind === "response" ? "then" : "callback" });
        if (id === "unconsumedThen") context.report({ node: p ?? fn, messageId: id, data: { exit: "its end without touching the response", name: "res" } });
        else if (id) context.report({ node: p ?? fn, messageId: id, data: { name: "res", call: label, exit: "its end (the response is not even a parameter)" } });
        return;
      }
      if (p.type !== "Identifier") return;
      const variable = sourceCode.getDeclaredVariables(fn).find((v) => v.name === p.name);
      if (!variable) return;
      watched.add(p.name);
      add(path, {
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
      callbackLabels.set(fn, label);
    };
    const callbackLabels = new Map<Node, string>();

    // ---- the decision, when a code path is complete ------------------------------------------
    const analyse = (path: CodePath, item: Tracked) => {
      const releases: Array<{ node: Node; segs: readonly Segment[] }> = [];
      for (const ref of item.variable.references) {
        const id = ref.identifier as Node;
        if (id === (item.startNode.type === "VariableDeclarator" ? item.startNode.id : item.startNode.type === "AssignmentExpression" ? item.startNode.left : null)) continue;
        const use = ref.isWrite() && !ref.isRead() ? "release" : classify(id, item.kind);
        if (use === "neutral") continue;
        if (enclosingFunction(id) !== item.fn) return; // used in a closure: handed on, we cannot follow it
        const segs = tracker.marks.get(id);
        if (!segs) return; // a use we did not see in order (before the start in a loop): stay silent
        releases.push({ node: id, segs });
      }
      // `if (res.status === 204) return …`: a 204/205/304 response has no body to read
      for (const c of bodylessBranches.get(item.name) ?? []) {
        const segs = tracker.marks.get(c);
        if (segs && enclosingFunction(c) === item.fn) releases.push({ node: c, segs });
      }
      // A read inside `try { … await res.json() } catch { … }` (a try after the request): ESLint lets
      // the catch start before the read; if the read throws, the body was being read. Count the catch too.
      for (const r of [...releases]) {
        for (let p = r.node.parent; p && p !== item.fn; p = p.parent) {
          if (p.type === "TryStatement" && p.handler && p.range[0] > item.startPos && r.node.range[0] >= p.block.range[0] && r.node.range[1] <= p.block.range[1]) {
            const segs = tracker.marks.get(p.handler);
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
        const segs = tracker.marks.get(p.handler);
        if (segs) releases.push({ node: p.handler, segs });
      }
      if (item.controller) {
        for (const ref of item.controller.references) {
          const id = ref.identifier as Node;
          const m = id.parent;
          if (m?.type !== "MemberExpression" || m.object !== id || memberName(m) !== "abort") continue;
          if (enclosingFunction(id) !== item.fn) return; // aborted from a timer or handler: that cancels too
          const segs = tracker.marks.get(id);
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
        acceptExit: implicitThrowIsEmpty ? (p) => !(thrown.has(p[p.length - 1]) && !firstExit(tracker, p)) : undefined,
        from: item.startSegments,
        startBlocked: (seg) => inSeg(seg, (n) => n.range[0] >= item.startPos),
        blocked: (seg) => inSeg(seg, () => true),
        revisitBlocked: (seg) => inSeg(seg, (n) => n.range[0] < item.startPos),
      });
      if (escape) report(item, escape);
    };

    const describeExit = (escape: Escape, exit: ExitNode | undefined): string => {
      if (exit) {
        const word = exit.type === "ReturnStatement" ? "return" : exit.type === "ThrowStatement" ? "throw" : exit.type === "ContinueStatement" ? "continue" : "break";
        return `the \`${word}\` on line ${exit.loc.start.line}`;
      }
      return escape.end === "revisit" ? "the next loop iteration (the variable is overwritten)" : "the end of the function";
    };

    const report = (item: Tracked, escape: Escape) => {
      const exit = firstExit(tracker, escape.path);
      const data = { name: item.name, exit: describeExit(escape, exit), call: item.reportNode.type === "CallExpression" ? callLabel(item.reportNode) : callbackLabels.get(item.startNode) ?? "" };
      const fixText = item.kind === "response" ? `${isAsync(item.fn) ? "await " : "void "}${item.name}.body?.cancel();` : `${item.name}.resume();`;
      const suggest: TSESLint.SuggestionReportDescriptor<MessageIds>[] = [];
      const insertion = insertBefore(exit, item, escape);
      if (insertion) suggest.push({ messageId: item.kind === "response" ? "cancelBody" : "resumeIncoming", data: { text: fixText, name: item.name }, fix: (fixer) => insertion(fixer, fixText) });
      const messageId = decideResource({ kind: item.kind, scope: "call", fate: "leaked", via: item.via });
      if (!messageId) return;
      context.report({
        node: item.reportNode,
        messageId,
        data,
        suggest,
      });
    };

    /** Where the cancel goes: before the exit statement, or at the end of the function body. */
    const insertBefore = (exit: ExitNode | undefined, item: Tracked, escape: Escape) => {
      if (exit) {
        if (exit.type === "BreakStatement" && exit.label) return undefined;
        const parent = exit.parent;
        if (parent?.type === "BlockStatement" || parent?.type === "SwitchCase" || parent?.type === "Program" || parent?.type === "StaticBlock") {
          const indent = " ".repeat(exit.loc.start.column);
          return (fixer: TSESLint.RuleFixer, t: string) => fixer.insertTextBefore(exit, `${t}\n${indent}`);
        }
        return (fixer: TSESLint.RuleFixer, t: string) => fixer.replaceText(exit, `{ ${t} ${sourceCode.getText(exit)} }`);
      }
      const fn = item.fn;
      if (escape.end === "exit" && fn && isFunctionNode(fn) && fn.body.type === "BlockStatement") {
        const closing = sourceCode.getLastToken(fn.body)!;
        const before = sourceCode.getTokenBefore(closing);
        if (before && before.loc.end.line === closing.loc.start.line) return (fixer: TSESLint.RuleFixer, t: string) => fixer.insertTextBefore(closing, `${t} `);
        return (fixer: TSESLint.RuleFixer, t: string) => fixer.insertTextBefore(closing, `  ${t}\n${" ".repeat(closing.loc.start.column)}`);
      }
      return undefined;
    };

    // ---- per-call resources ----------------------------------------------------------------
    const checkResource = (node: TSESTree.NewExpression | TSESTree.CallExpression) => {
      const r = resourceCreated(node, bindings);
      if (!r) return;
      const fn = enclosingFunction(node);
      if (!fn) return; // module level: created once
      const flow = valueFlow(node);
      const close = r.kind === "websocket" ? "call `.close()`" : r.kind === "socket" ? "call `.end()`/`.destroy()`" : r.kind === "agent" ? "call `.destroy()`" : "call `await .close()`";
      const reportIt = () => {
        const id = decideResource({ kind: "pool", scope: "call", fate: "leaked" });
        if (id) context.report({ node, messageId: id, data: { what: r.what, close } });
      };
      if (flow.parent.type === "Property" && flow.parent.value === flow.node) {
        if (objectIsRequestOption(flow.parent)) reportIt();
        return;
      }
      if (flow.parent.type === "VariableDeclarator" && flow.parent.init === flow.node && flow.parent.id.type === "Identifier") {
        const variable = sourceCode.getDeclaredVariables(flow.parent).find((v) => v.name === (flow.parent as TSESTree.VariableDeclarator & { id: TSESTree.Identifier }).id.name);
        if (!variable) return;
        for (const ref of variable.references) {
          const id = ref.identifier as Node;
          if (id === flow.parent.id) continue;
          const u = resourceUse(id, r.kind);
          if (u !== "use") return; // closed, lifecycle-managed or handed on
        }
        reportIt();
      }
    };

    // ---- SDK clients per unit of work --------------------------------------------------------
    const checkClient = (node: TSESTree.NewExpression | TSESTree.CallExpression) => {
      const c = sdkClientCreated(node, bindings);
      if (!c) return;
      const unit = unitOfWork(node, sourceCode) ?? deadCacheFactory(node);
      if (!unit) return;
      const flow = valueFlow(node);
      const p = flow.parent;
      // cached: this.client = …, cache[k] = …, client ??= …, map.set(k, …), an outer variable
      if (p.type === "AssignmentExpression") {
        if (p.left.type !== "Identifier" || p.operator !== "=") return;
        const v = findVariable(sourceCode.getScope(p), p.left.name);
        if (!v || v.defs.some((d) => enclosingFunction(d.node as Node) !== enclosingFunction(node))) return;
      }
      if (p.type === "CallExpression" && p.callee.type === "MemberExpression" && memberName(p.callee) === "set") return;
      if ((p.type === "ReturnStatement" || (p.type === "ArrowFunctionExpression" && p.body === flow.node)) && !unit.startsWith("on every call")) return; // a factory
      const id = decideResource({ kind: "sdkClient", scope: "unit", fate: "leaked" });
      if (id) context.report({ node, messageId: id, data: { client: `${node.type === "NewExpression" ? "new " : ""}${c.name}()`, unit } });
    };

    /**
     * `function clientFor(h) { if (cached && …) return cached; return new Ollama(…) }` where the
     * module-level `cached` is never assigned: every call builds a client (a dead cache).
     */
    const deadCacheFactory = (node: Node): string | undefined => {
      const flow = valueFlow(node);
      if (flow.parent.type !== "ReturnStatement") return undefined;
      const fn = enclosingFunction(node);
      if (!fn || !isFunctionNode(fn) || fn.body.type !== "BlockStatement") return undefined;
      const fnName = fn.type === "FunctionDeclaration" && fn.id ? fn.id.name : fn.parent?.type === "VariableDeclarator" && fn.parent.id.type === "Identifier" ? fn.parent.id.name : "this factory";
      for (const st of fn.body.body) {
        if (st.type !== "IfStatement") continue;
        const cons = st.consequent.type === "BlockStatement" ? st.consequent.body[st.consequent.body.length - 1] : st.consequent;
        const ret = cons?.type === "ReturnStatement" && cons.argument ? unwrap(cons.argument) : undefined;
        if (ret?.type !== "Identifier") continue;
        const v = findVariable(sourceCode.getScope(st), ret.name);
        const def = v?.defs[0];
        if (!v || def?.type !== "Variable" || def.parent?.type !== "VariableDeclaration" || def.parent.kind === "const" || def.parent.parent?.type !== "Program") continue;
        if (v.references.some((r) => r.isWrite() && !r.init)) continue; // the cache is filled somewhere
        return `on every call of \`${fnName}()\` (its cache \`${ret.name}\` is never assigned)`;
      }
      return undefined;
    };

    /** Variable name → consequents of `if (name.status === 204 …)`: branches with no body. */
    const bodylessBranches = new Map<string, Node[]>();
    const bodylessIfs = new Map<Node, string>();
    const noteBodylessTest = (id: TSESTree.Identifier) => {
      const m = id.parent;
      if (m?.type !== "MemberExpression" || m.object !== id || memberName(m) !== "status") return;
      const b = m.parent;
      if (b?.type !== "BinaryExpression" || (b.operator !== "===" && b.operator !== "==")) return;
      const other = b.left === m ? b.right : b.left;
      if (other.type !== "Literal" || ![204, 205, 304].includes(other.value as number)) return;
      let t: Node = b;
      while (t.parent?.type === "LogicalExpression" && t.parent.operator === "||") t = t.parent;
      if (t.parent?.type === "IfStatement" && t.parent.test === t) bodylessIfs.set(t.parent.consequent, id.name);
    };

    const listeners: Record<string, unknown> = {
      ...tracker.listeners(),
      Program(program: TSESTree.Program) {
        bindings = moduleBindings(program);
        interesting = interestingNames(bindings);
      },
      Identifier(node: TSESTree.Identifier) {
        if (!watched.has(node.name)) return;
        tracker.mark(node);
        noteBodylessTest(node);
      },
      "IfStatement > .consequent"(node: Node) {
        const name = bodylessIfs.get(node);
        if (!name) return;
        tracker.mark(node);
        let list = bodylessBranches.get(name);
        if (!list) bodylessBranches.set(name, (list = []));
        list.push(node);
      },
      CatchClause(node: TSESTree.CatchClause) {
        tracker.mark(node);
      },
      VariableDeclarator(node: TSESTree.VariableDeclarator) {
        startVar(node, node.id, node.init);
        destructuredFetch(node.id, node.init);
      },
      "VariableDeclarator:exit": finishStart,
      AssignmentExpression(node: TSESTree.AssignmentExpression) {
        if (node.operator === "=") startVar(node, node.left, node.right);
      },
      "AssignmentExpression:exit": finishStart,
      ExpressionStatement(node: TSESTree.ExpressionStatement) {
        let e = unwrap(node.expression);
        if (e.type === "UnaryExpression" && e.operator === "void") e = unwrap(e.argument);
        if (e.type === "AwaitExpression") e = unwrap(e.argument);
        // fetch(url).catch(…) / .finally(…) also drops the response
        while (e.type === "CallExpression" && e.callee.type === "MemberExpression" && ["catch", "finally"].includes(memberName(e.callee) ?? "")) e = unwrap(e.callee.object);
        if (isFetchCall(e, bindings, shadowed)) {
          const call = e;
          const inAsync = isAsync(enclosingFunction(node));
          if (!decideResource({ kind: "response", scope: "call", fate: "discarded" })) return;
          context.report({
            node: call,
            messageId: "discardedResponse",
            data: { call: callLabel(call) },
            suggest:
              inAsync && node.expression.type === "AwaitExpression" && unwrap(node.expression.argument) === call
                ? [{ messageId: "cancelDiscarded", data: { call: callLabel(call) }, fix: (fixer) => fixer.replaceText(node.expression, `await (await ${sourceCode.getText(call)}).body?.cancel()`) }]
                : [],
          });
        }
      },
      "NewExpression, CallExpression"(node: TSESTree.NewExpression | TSESTree.CallExpression) {
        const root = calleeRoot(node.callee);
        if (!root || !interesting.has(root)) return;
        if (options.checkResources !== false) checkResource(node);
        if (options.checkSdkClients !== false) checkClient(node);
      },
    };
    // No fetch and no node:http in the text: only the client/resource checks can apply, so skip the
    // code-path tracking and the per-Identifier listener (most of this rule's cost).
    if (!mayHaveResponseBodies(sourceCode.text)) {
      for (const key of Object.keys(listeners)) if (key !== "Program" && key !== "NewExpression, CallExpression") delete listeners[key];
    }
    const startListener = listeners.onCodePathStart as (p: CodePath, n: Node) => void;
    if (startListener) {
      listeners.onCodePathStart = (path: CodePath, node: Node) => {
        startListener(path, node);
        callbackStart(path, node);
      };
    }
    tracker.onEnd((path) => {
      const list = pending.get(path);
      if (!list) return;
      pending.delete(path);
      for (const item of list) {
        try {
          analyse(path, item);
        } catch {
          // an AST shape we did not foresee: say nothing rather than crash the lint
        }
      }
    });
    // Bad input must never crash a lint: a listener that meets an AST shape we did not foresee skips quietly.
    for (const [key, fn] of Object.entries(listeners)) {
      if (typeof fn !== "function") continue;
      const f = fn as (a: unknown, b: unknown, c: unknown) => void;
      // fixed arity (listeners take at most three arguments): no rest array per call on hot events (every Identifier, every segment)
      listeners[key] = (a: unknown, b: unknown, c: unknown) => {
        try {
          f(a, b, c);
        } catch {
          // skip
        }
      };
    }
    return listeners as TSESLint.RuleListener;
  },
});

// ---- helpers ----------------------------------------------------------------------------------

const NODE_MODULES = /^(node:|fs$|fs\/|http$|https$|http2$|net$|tls$|dgram$|child_process$|path$|os$|stream$|worker_threads$|cluster$|undici$|express$|fastify$|koa$|ws$|next\/server$|server-only$|@vercel\/node$|hono$)/;

/**
 * A file that only runs in a browser: a `'use client'` module, or a JSX/TSX component file with no
 * Node or server import. `'use server'` files and `pages/api` routes are server code.
 */
const RELATIVE_FETCH = /(?<![\w$.])fetch\(\s*["'`]\//;

function isBrowserOnly(program: TSESTree.Program, filename: string, text: string): boolean {
  const directives = program.body.filter((s): s is TSESTree.ExpressionStatement => s.type === "ExpressionStatement" && !!s.directive).map((s) => s.directive);
  if (directives.includes("use server") || /[\\/](api|server)[\\/]/.test(filename)) return false;
  const nodeImport = program.body.some((s) => s.type === "ImportDeclaration" && s.importKind !== "type" && NODE_MODULES.test(String(s.source.value))) || /\brequire\(\s*["'](node:|fs|http|https|net|child_process)/.test(text) || /\bprocess\.(on|exit|env)\b/.test(text);
  if (directives.includes("use client")) return true;
  // `fetch("/api/…")`: Node's fetch rejects a relative URL, so a module that fetches one runs in a browser
  if (!nodeImport && RELATIVE_FETCH.test(text)) return true;
  if (!/\.[jt]sx$/.test(filename)) return false;
  return !nodeImport && /<\/[A-Za-z]|\/>/.test(text) && /from\s+["'](react|preact|solid-js|react-dom|next\/|@remix-run\/react)/.test(text);
}

function findVariable(scope: TSESLint.Scope.Scope | null, name: string): Variable | undefined {
  for (let s = scope; s; s = s.upper) {
    const v = s.set.get(name);
    if (v) return v;
  }
  return undefined;
}

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

function isAsync(fn: Node | null | undefined): boolean {
  return !!fn && isFunctionNode(fn) && fn.async;
}

/** Climb through wrappers that pass the value on unchanged. */
function valueFlow(node: Node): { node: Node; parent: Node } {
  let n = node;
  let p = n.parent!;
  for (;;) {
    if (!p) return { node: n, parent: n };
    if (
      p.type === "TSAsExpression" ||
      p.type === "TSNonNullExpression" ||
      p.type === "TSSatisfiesExpression" ||
      p.type === "TSTypeAssertion" ||
      p.type === "ChainExpression" ||
      p.type === "AwaitExpression" ||
      (p.type === "ConditionalExpression" && p.test !== n) ||
      (p.type === "LogicalExpression" && !(p.operator === "&&" && p.left === n)) ||
      (p.type === "SequenceExpression" && p.expressions[p.expressions.length - 1] === n)
    ) {
      n = p;
      p = p.parent!;
      continue;
    }
    return { node: n, parent: p };
  }
}

function isTestPosition(node: Node, parent: Node): boolean {
  switch (parent.type) {
    case "IfStatement":
    case "WhileStatement":
    case "DoWhileStatement":
    case "ForStatement":
    case "ConditionalExpression":
      return (parent as { test?: Node | null }).test === node;
    case "UnaryExpression":
    case "BinaryExpression":
    case "SwitchStatement":
    case "ExpressionStatement":
      return true;
    case "LogicalExpression":
      return parent.operator === "&&" && parent.left === node;
    default:
      return false;
  }
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

/** One use of a per-call agent/socket: "use" keeps it ours; anything else ends our concern. */
function resourceUse(id: Node, kind: string): "use" | "released" {
  const parent = id.parent;
  if (parent?.type === "MemberExpression" && parent.object === id) {
    const name = memberName(parent);
    if (!name) return "released";
    if (CLOSERS.has(name)) return "released";
    if (kind === "websocket" || kind === "socket") {
      // an `error` listener does not close the socket (an error may come without a close); `close`/`end` listeners manage its lifecycle
      if (/^onclose$/.test(name)) return "released";
      if ((LISTEN.has(name) || name === "addEventListener") && parent.parent?.type === "CallExpression") {
        const ev = parent.parent.arguments[0];
        if (ev?.type === "Literal" && (ev.value === "close" || ev.value === "end")) return "released";
      }
    }
    return "use";
  }
  const f = valueFlow(id);
  if (isTestPosition(f.node, f.parent)) return "use";
  if (f.parent.type === "Property" && f.parent.value === f.node) return objectIsRequestOption(f.parent) ? "use" : "released";
  return "released";
}

/** `{ agent }` / `{ dispatcher: d }` inside the options of a request call: use, not handing on. */
function objectIsRequestOption(prop: TSESTree.Property): boolean {
  let obj: Node | undefined = prop.parent;
  for (;;) {
    while (obj?.parent && (obj.parent.type === "TSAsExpression" || obj.parent.type === "TSSatisfiesExpression" || obj.parent.type === "TSTypeAssertion")) obj = obj.parent;
    if (obj?.parent?.type === "Property" && obj.parent.parent?.type === "ObjectExpression") obj = obj.parent.parent;
    else break;
  }
  const call = obj?.parent;
  if (!call || (call.type !== "CallExpression" && call.type !== "NewExpression") || !call.arguments.includes(obj as TSESTree.CallExpressionArgument)) return false;
  if (call.type === "NewExpression") return false; // new Client({ agent }): the object keeps it
  const callee = unwrap(call.callee);
  const name = callee.type === "Identifier" ? callee.name : callee.type === "MemberExpression" ? memberName(callee) : undefined;
  return !!name && REQUEST_CALLS.test(name);
}

const REQUEST_TYPES = /^(Request|NextRequest|NextApiRequest|IncomingMessage|FastifyRequest|ExpressRequest|H3Event|VercelRequest)$/;

/** A function whose first parameter is a request (`req: Request`, or `req`/`request` with a response second). */
function takesRequest(fn: TSESTree.FunctionLike): boolean {
  const [a, b] = fn.params;
  if (!a || a.type !== "Identifier") return false;
  const t = a.typeAnnotation?.typeAnnotation;
  if (t?.type === "TSTypeReference") {
    const name = t.typeName.type === "Identifier" ? t.typeName.name : t.typeName.type === "TSQualifiedName" ? t.typeName.right.name : "";
    if (REQUEST_TYPES.test(name)) return true;
  }
  return /^(req|request)$/.test(a.name) && !!b && b.type === "Identifier" && /^(res|response|reply)$/.test(b.name);
}

function calleeText(call: TSESTree.CallExpression): string {
  const c = unwrap(call.callee);
  return c.type === "Identifier" ? c.name : c.type === "MemberExpression" ? memberName(c) ?? "" : "";
}

const perMessageMemo = new WeakMap<TSESTree.ClassBody, Set<string>>();

/** Methods of a class reached (through `this.m()`, up to 3 calls deep) from a message callback registered in the class. */
function methodsRunPerMessage(body: TSESTree.ClassBody): Set<string> {
  const cached = perMessageMemo.get(body);
  if (cached) return cached;
  const methods = new Map<string, Node>();
  for (const m of body.body) if (m.type === "MethodDefinition" && !m.computed && m.key.type === "Identifier") methods.set(m.key.name, m.value);
  const callsOf = (root: Node, enterFns: boolean): string[] => {
    const out: string[] = [];
    const stack: Node[] = [root];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.type === "CallExpression" && n.callee.type === "MemberExpression" && n.callee.object.type === "ThisExpression") {
        const nm = memberName(n.callee);
        if (nm) out.push(nm);
      }
      if (n !== root && !enterFns && isFunctionNode(n)) continue;
      for (const key of Object.keys(n)) {
        if (key === "parent") continue;
        const v = (n as unknown as Record<string, unknown>)[key];
        if (Array.isArray(v)) for (const x of v) { if (x && typeof x === "object" && "type" in x) stack.push(x as Node); }
        else if (v && typeof v === "object" && "type" in (v as object)) stack.push(v as Node);
      }
    }
    return out;
  };
  let frontier: string[] = [];
  const stack: Node[] = [body];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === "CallExpression" && isMessageHandler(n)) for (const a of n.arguments) if (isFunctionNode(a)) frontier.push(...callsOf(a, true));
    for (const key of Object.keys(n)) {
      if (key === "parent") continue;
      const v = (n as unknown as Record<string, unknown>)[key];
      if (Array.isArray(v)) for (const x of v) { if (x && typeof x === "object" && "type" in x) stack.push(x as Node); }
      else if (v && typeof v === "object" && "type" in (v as object)) stack.push(v as Node);
    }
  }
  const out = new Set<string>();
  for (let depth = 0; depth < 3 && frontier.length; depth++) {
    const next: string[] = [];
    for (const nm of frontier) {
      if (out.has(nm) || !methods.has(nm)) continue;
      out.add(nm);
      next.push(...callsOf(methods.get(nm)!, false));
    }
    frontier = next;
  }
  perMessageMemo.set(body, out);
  return out;
}

function isMessageHandler(call: TSESTree.CallExpression): boolean {
  const name = calleeText(call);
  if (/^(onDidReceiveMessage|onMessage|onmessage)$/.test(name)) return true;
  const ev = call.arguments[0];
  return /^(on|addListener|addEventListener|handle)$/.test(name) && ev?.type === "Literal" && typeof ev.value === "string" && /^(message|ipc-message)$/.test(ev.value);
}

/** Why `node` runs once per unit of work: inside a loop body, an array callback, a request handler. */
function unitOfWork(node: Node, sourceCode: Readonly<TSESLint.SourceCode>): string | undefined {
  let child: Node = node;
  // Past a function that is no unit itself (a helper defined inside the handler), only a request or
  // message handler further out still makes it run once per unit: it is defined (and called) per request.
  let crossed = false;
  for (let p = node.parent; p; child = p, p = p.parent) {
    switch (p.type) {
      case "ForStatement":
      case "ForInStatement":
      case "ForOfStatement":
      case "WhileStatement":
      case "DoWhileStatement":
        if (p.body === child && !crossed) return "inside a loop (once per iteration)";
        break;
      case "FunctionDeclaration":
      case "FunctionExpression":
      case "ArrowFunctionExpression": {
        const unit = functionUnit(p, sourceCode);
        if (unit && (!crossed || !unit.endsWith("(once per element)"))) return unit;
        crossed = true;
        break;
      }
      default:
        break;
    }
  }
  return undefined;
}

/** Why every call of `p` is one unit of work (a request, a message, an array element), if it is. */
function functionUnit(p: TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression, sourceCode: Readonly<TSESLint.SourceCode>): string | undefined {
  {
    {
      {
        const call = p.parent;
        if (call?.type === "CallExpression" && call.arguments.includes(p as TSESTree.CallExpressionArgument)) {
          const callee = unwrap(call.callee);
          const name = callee.type === "MemberExpression" ? memberName(callee) : callee.type === "Identifier" ? callee.name : undefined;
          if (callee.type === "MemberExpression" && name && ARRAY_CALLBACKS.has(name) && call.arguments[0] === p) return `in a .${name}() callback (once per element)`;
          const first = call.arguments[0];
          if (callee.type === "MemberExpression" && name && ROUTE_METHODS.has(name) && first?.type === "Literal" && typeof first.value === "string" && first.value.startsWith("/"))
            return `in the \`${name} ${first.value}\` request handler (once per request)`;
          if (name === "createServer") return "in the server's request handler (once per request)";
        }
        if (p.type === "FunctionDeclaration" && p.id && HTTP_EXPORTS.has(p.id.name) && p.parent?.type === "ExportNamedDeclaration") return `in the exported ${p.id.name} route handler (once per request)`;
        // `export default function handler(req: Request)` (Next.js pages/edge API routes, h3/Nuxt `defineEventHandler`)
        if (p.parent?.type === "ExportDefaultDeclaration" && takesRequest(p)) return "in the default-exported request handler (once per request)";
        if (call?.type === "CallExpression" && /^(defineEventHandler|eventHandler|defineHandler)$/.test(calleeText(call))) return `in the ${calleeText(call)} request handler (once per request)`;
        // `view.onDidReceiveMessage(cb)`, `.on("message", cb)`, `process.on("message", cb)`: once per message
        if (call?.type === "CallExpression" && call.arguments.includes(p as TSESTree.CallExpressionArgument) && isMessageHandler(call)) return "in a message handler (once per message)";
        // a method of the class that a message callback reaches (`onDidReceiveMessage(m => this.dispatch(m))` → `this.ping()`)
        if (p.parent?.type === "MethodDefinition" && !p.parent.computed && p.parent.key.type === "Identifier" && p.parent.parent.type === "ClassBody" && methodsRunPerMessage(p.parent.parent).has(p.parent.key.name)) return `in \`${p.parent.key.name}()\`, run once per message`;
        if (p.parent?.type === "VariableDeclarator" && p.parent.id.type === "Identifier" && HTTP_EXPORTS.has(p.parent.id.name) && p.parent.parent?.parent?.type === "ExportNamedDeclaration")
          return `in the exported ${p.parent.id.name} route handler (once per request)`;
        // any function handed the request itself (`req: NextRequest`, `(req, res)`) or the server
        // response it streams to (`res.setHeader(…)`, `res.write(…)`): a request handler by another name
        if (takesRequest(p)) return "in a function that takes the request (once per request)";
        const res = writtenResponseParam(p, sourceCode);
        if (res) return `in a function that writes the response \`${res}\` (once per request)`;
        return undefined;
      }
    }
  }
}

const SERVER_RESPONSE_ONLY = new Set(["setHeader", "writeHead", "flushHeaders", "sendStatus"]);
const SERVER_RESPONSE = new Set([...SERVER_RESPONSE_ONLY, "write", "status", "end"]);

/** A parameter used as a node:http/Express server response (`res.setHeader(…)`, `res.write(…)` on a `res`). */
function writtenResponseParam(fn: TSESTree.FunctionLike, sourceCode: Readonly<TSESLint.SourceCode>): string | undefined {
  if (fn.params.length === 0) return undefined;
  for (const v of sourceCode.getDeclaredVariables(fn as Node)) {
    if (!v.defs.some((d) => d.type === "Parameter")) continue;
    const conventional = /^(res|resp|response|reply)$/.test(v.name);
    for (const ref of v.references) {
      const m = (ref.identifier as Node).parent;
      if (m?.type !== "MemberExpression" || m.object !== ref.identifier || m.parent?.type !== "CallExpression" || m.parent.callee !== m) continue;
      const name = memberName(m);
      if (name && (SERVER_RESPONSE_ONLY.has(name) || (conventional && SERVER_RESPONSE.has(name)))) return v.name;
    }
  }
  return undefined;
}

