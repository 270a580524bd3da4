/**
 * require-request-timeout — every outbound request can give up (SPEC §2.6).
 *
 * `fetch` without a `signal` that can time out (`AbortSignal.timeout`, `AbortSignal.any` with
 * one, or an AbortController aborted from a timer), axios calls and `axios.create` without
 * `timeout`, `http(s).request/get` with neither a `timeout` option nor `req.setTimeout()`,
 * and — option `checkSdkClients`, on in `strict` — LLM SDK clients built without `timeout`.
 * Unresolvable options (a parameter, a spread) are not reported: the caller may set them.
 */
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { createRule } from "./create-rule.js";
import { fetchShadowCheck } from "./core/code-paths.js";
import { decideTimeout, type TimeoutSetting } from "./core/timeout-decision.js";
import {
  axiosCall,
  findProp,
  calleeRoot,
  httpRequestKind,
  interestingNames,
  isFetchCall,
  localFetchIsNotGlobal,
  isFunctionNode,
  mayUseNetwork,
  memberName,
  moduleBindings,
  sdkClientCreated,
  unwrap,
  type ModuleBinding,
} from "./core/http-calls.js";

type Node = TSESTree.Node;
type Variable = TSESLint.Scope.Variable;
type Scope = TSESLint.Scope.Scope;

export type Options = [{ defaultTimeoutMs?: number; checkSdkClients?: boolean }];
export type MessageIds =
  | "fetchNoSignal"
  | "fetchSignalNoTimer"
  | "axiosNoTimeout"
  | "axiosCreateNoTimeout"
  | "httpNoTimeout"
  | "sdkNoTimeout"
  | "streamNoTimeout"
  | "callNoTimeout"
  | "timeoutDisabled"
  | "addSignal"
  | "addTimeoutOption";

const SDK_TIMEOUT_KEYS = ["timeout", "timeoutMs", "timeoutInSeconds", "requestTimeout", "fetch", "requestHandler", "httpOptions", "clientOptions", "configuration", "httpAgent", "fetchOptions"];

type Verdict = "yes" | "no" | "unknown";

export default createRule<Options, MessageIds>({
  name: "require-request-timeout",
  meta: {
    type: "problem",
    docs: {
      description: "Outbound HTTP requests (fetch, axios, http(s).request, and optionally LLM SDK clients) must be able to time out.",
      recommended: "warn",
      strictOptions: [{ checkSdkClients: true }],
    },
    hasSuggestions: true,
    schema: [
      {
        type: "object",
        properties: {
          defaultTimeoutMs: { type: "integer", minimum: 1, description: "Timeout the suggestions insert, in milliseconds (default 30000)." },
          checkSdkClients: { type: "boolean", description: "Also report LLM SDK clients constructed without a `timeout` (on in the strict preset)." },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      fetchNoSignal:
        "{{call}} has no `signal` that can time out: if the server stops answering, this request (and the loop awaiting it) hangs with its socket open. Pass `signal: AbortSignal.timeout({{ms}})`.",
      fetchSignalNoTimer:
        "{{call}} uses `{{controller}}.signal`, but nothing aborts `{{controller}}` on a timer, so it is no timeout: a silent server hangs this request forever. Use `signal: AbortSignal.any([{{controller}}.signal, AbortSignal.timeout({{ms}})])` or abort it from a `setTimeout`.",
      axiosNoTimeout:
        "{{call}} has no `timeout` (axios waits forever by default): a silent server hangs this request and its socket. Add `timeout: {{ms}}` to the config, or call through an `axios.create({ timeout })` instance.",
      axiosCreateNoTimeout:
        "axios.create() without `timeout`: every call through this instance can hang forever on a silent server. Add `timeout: {{ms}}`.",
      httpNoTimeout:
        "{{call}} has neither a `timeout` option nor `req.setTimeout()`: a silent server keeps this socket and the caller waiting forever. Add `timeout: {{ms}}` (and destroy the request on 'timeout'), or call `req.setTimeout()`.",
      sdkNoTimeout:
        "{{client}} is created without a `timeout`: the SDK default (minutes, or none) lets one stuck call stall the agent that long. Set `timeout: {{ms}}` (or the SDK's equivalent) in the constructor.",
      streamNoTimeout:
        "{{call}} streams its response with no connect or idle timeout: a stalled stream hangs forever. Time out the connect; reset an idle timer per chunk.",
      // eslint-disable-next-line eslint-plugin/no-unused-message-ids -- reported by the Python front (rules/python/timeout-facts.ts)
      callNoTimeout: "{{call}} has no timeout: a silent server hangs this request (and its caller) forever. Pass {{fix}}.",
      // eslint-disable-next-line eslint-plugin/no-unused-message-ids -- reported by the Python front (rules/python/timeout-facts.ts)
      timeoutDisabled: "{{call}} turns its timeout off ({{setting}}): a silent server hangs every request forever. Set {{fix}}.",
      addSignal: "Add `signal: AbortSignal.timeout({{ms}})`.",
      addTimeoutOption: "Add `timeout: {{ms}}`.",
    },
    defaultOptions: [{ defaultTimeoutMs: 30_000, checkSdkClients: false }],
  },
  create(context, [options]) {
    if (!mayUseNetwork(context.sourceCode.text)) return {}; // cheap text pre-filter
    const ms = String(options.defaultTimeoutMs ?? 30_000);
    const sourceCode = context.sourceCode;
    let bindings: Map<string, ModuleBinding> = new Map();
    const shadowed = fetchShadowCheck(context.sourceCode as never, localFetchIsNotGlobal);
    let interesting = new Set<string>();
    /** Objects with `X.defaults.timeout = …` somewhere in the file (`axios`, an instance). */
    const defaultsWithTimeout = new Set<string>();
    const axiosCandidates: Array<{ node: TSESTree.CallExpression; object: string; report: () => void }> = [];

    const label = (call: TSESTree.CallExpression) => `${sourceCode.getText(call.callee)}(…)`;

    /** Options object literal for an argument: inline, or a local `const` initialised with one. */
    const objectOf = (arg: Node | undefined): TSESTree.ObjectExpression | "none" | "unknown" => {
      if (!arg) return "none";
      const a = unwrap(arg);
      if (a.type === "ObjectExpression") return a;
      if (a.type === "Identifier") {
        if (a.name === "undefined") return "none";
        const v = findVariable(sourceCode.getScope(a), a.name);
        const init = v && constInit(v);
        if (init && init.type === "ObjectExpression") return init;
      }
      return "unknown";
    };

    /** Can this `signal` expression abort on a timer? */
    const signalVerdict = (expr: Node, depth = 0): { verdict: Verdict; controller?: string } => {
      if (depth > 4) return { verdict: "unknown" };
      const e = unwrap(expr);
      if (e.type === "Identifier") {
        if (e.name === "undefined") return { verdict: "no" };
        const v = findVariable(sourceCode.getScope(e), e.name);
        const init = v && constInit(v);
        return init ? signalVerdict(init, depth + 1) : { verdict: "unknown" };
      }
      if (e.type === "Literal" && e.value === null) return { verdict: "no" };
      if (e.type === "CallExpression" && e.callee.type === "MemberExpression" && e.callee.object.type === "Identifier" && e.callee.object.name === "AbortSignal") {
        const m = memberName(e.callee);
        if (m === "timeout") return { verdict: "yes" };
        if (m === "any") {
          const arr = e.arguments[0] && unwrap(e.arguments[0]);
          if (arr?.type !== "ArrayExpression") return { verdict: "unknown" };
          let unknown = false;
          let controller: string | undefined;
          for (const el of arr.elements) {
            if (!el || el.type === "SpreadElement") {
              unknown = true;
              continue;
            }
            const r = signalVerdict(el, depth + 1);
            if (r.verdict === "yes") return { verdict: "yes" };
            if (r.verdict === "unknown") unknown = true;
            controller ??= r.controller;
          }
          return unknown ? { verdict: "unknown" } : { verdict: "no", controller };
        }
        return { verdict: "unknown" };
      }
      if (e.type === "MemberExpression" && memberName(e) === "signal" && e.object.type === "Identifier") {
        const v = findVariable(sourceCode.getScope(e), e.object.name);
        const init = v && constInit(v);
        if (!v || !init || init.type !== "NewExpression" || init.callee.type !== "Identifier" || init.callee.name !== "AbortController") return { verdict: "unknown" };
        if (controllerHasTimer(v)) return { verdict: "yes" };
        return controllerEscapes(v) ? { verdict: "unknown" } : { verdict: "no", controller: v.name };
      }
      return { verdict: "unknown" };
    };

    /**
     * Is the fetch's response read as a stream (SSE, `stream: true`, `res.body` read chunk by
     * chunk)? Then a total timeout is the wrong advice (`decideTimeout`).
     */
    const isStreamed = (call: TSESTree.CallExpression): boolean => {
      const optsText = call.arguments[1] ? sourceCode.getText(call.arguments[1]) : "";
      const opts = objectOf(call.arguments[1]);
      const optsFull = typeof opts === "object" ? sourceCode.getText(opts) : optsText;
      if (/text\/event-stream|["']?stream["']?\s*:\s*true/.test(optsFull)) return true;
      // const res = await fetch(…); … res.body.getReader() / pipeTo / consume(res.body)
      let holder: Node | undefined = call.parent;
      while (holder && (holder.type === "AwaitExpression" || holder.type === "TSAsExpression" || holder.type === "TSNonNullExpression")) holder = holder.parent;
      if (holder?.type !== "VariableDeclarator" || holder.id.type !== "Identifier") return false;
      const v = sourceCode.getDeclaredVariables(holder).find((x) => x.name === (holder as TSESTree.VariableDeclarator & { id: TSESTree.Identifier }).id.name);
      return !!v?.references.some((r) => {
        const m = r.identifier.parent;
        if (m?.type !== "MemberExpression" || m.object !== r.identifier || memberName(m) !== "body") return false;
        const up = m.parent;
        if (up?.type === "MemberExpression" && /^(getReader|pipeTo|pipeThrough|tee)$/.test(memberName(up) ?? "")) return true;
        if (up?.type === "CallExpression" && up.arguments.includes(m as TSESTree.CallExpressionArgument)) return true;
        return up?.type === "ForOfStatement" && up.await;
      });
    };

    /** The one decision (core/timeout-decision.ts); a stream gets connect/idle advice instead of a total timeout. */
    const reportFetch = (call: TSESTree.CallExpression, setting: TimeoutSetting, report: () => void) => {
      const v = decideTimeout({ setting, streamed: isStreamed(call) });
      if (!v) return;
      if (v.advice === "connect-idle") context.report({ node: call.callee, messageId: "streamNoTimeout", data: { call: label(call) } });
      else report();
    };

    // ---- fetch ---------------------------------------------------------------------------
    const checkFetch = (call: TSESTree.CallExpression) => {
      const url = call.arguments[0] && unwrap(call.arguments[0]);
      if (url?.type === "Literal" && typeof url.value === "string" && /^(?:data|blob|file):/i.test(url.value)) return;
      if (url?.type === "TemplateLiteral" && /^(?:data|blob|file):/i.test(url.quasis[0]?.value.cooked ?? "")) return;
      if (url?.type === "NewExpression" && url.callee.type === "Identifier" && url.callee.name === "Request") return;
      if (url && isLocalUrlCall(url)) return;
      if (url?.type === "Identifier") {
        const v = findVariable(sourceCode.getScope(url), url.name);
        const init = v && constInit(v);
        if (init && isLocalUrlCall(init)) return;
        if (init?.type === "NewExpression" && init.callee.type === "Identifier" && init.callee.name === "Request") return;
        // a fetch wrapper's `input` parameter may be a Request that carries its own signal
        if (v?.defs[0]?.type === "Parameter" && call.arguments.length === 1 && mayBeRequest(v)) return;
      }
      if (call.arguments.some((a) => a.type === "SpreadElement")) return;
      if (inPromiseRace(call)) return;
      const opts = objectOf(call.arguments[1]);
      if (opts === "unknown") return;
      if (opts === "none") {
        reportFetch(call, "absent", () =>
          context.report({
            node: call.callee,
            messageId: "fetchNoSignal",
            data: { call: label(call), ms },
            suggest: call.arguments.length === 1 ? [{ messageId: "addSignal", data: { ms }, fix: (f) => f.insertTextAfter(call.arguments[0], `, { signal: AbortSignal.timeout(${ms}) }`) }] : [],
          }),
        );
        return;
      }
      const { prop, spread } = findProp(opts, "signal");
      if (!prop) {
        if (spread || findProp(opts, "dispatcher").prop) return;
        const inline = opts === unwrap(call.arguments[1]);
        reportFetch(call, "absent", () => context.report({ node: call.callee, messageId: "fetchNoSignal", data: { call: label(call), ms }, suggest: inline ? [{ messageId: "addSignal", data: { ms }, fix: (f) => addProperty(f, opts, `signal: AbortSignal.timeout(${ms})`) }] : [] }));
        return;
      }
      if (prop.shorthand && prop.value.type === "Identifier") {
        // `{ signal }`: a parameter or local; resolved like any identifier
      }
      const r = signalVerdict(prop.value as Node);
      if (r.verdict !== "no") return;
      if (r.controller) {
        const controller = r.controller;
        reportFetch(call, "absent", () =>
          context.report({
            node: call.callee,
            messageId: "fetchSignalNoTimer",
            data: { call: label(call), controller, ms },
            suggest: [{ messageId: "addSignal", data: { ms }, fix: (f) => f.replaceText(prop.value, `AbortSignal.any([${sourceCode.getText(prop.value)}, AbortSignal.timeout(${ms})])`) }],
          }),
        );
      } else {
        reportFetch(call, "absent", () => context.report({ node: call.callee, messageId: "fetchNoSignal", data: { call: label(call), ms }, suggest: [{ messageId: "addSignal", data: { ms }, fix: (f) => f.replaceText(prop.value, `AbortSignal.timeout(${ms})`) }] }));
      }
    };

    // ---- axios -----------------------------------------------------------------------------
    const axiosHasTimeout = (cfg: TSESTree.ObjectExpression | "none" | "unknown"): boolean | undefined => {
      if (cfg === "unknown") return undefined;
      if (cfg === "none") return false;
      const t = findProp(cfg, "timeout");
      if (t.prop) return !(t.prop.value.type === "Literal" && (t.prop.value.value === 0 || t.prop.value.value === null));
      const s = findProp(cfg, "signal");
      if (s.prop) return signalVerdict(s.prop.value as Node).verdict !== "no";
      return t.spread ? undefined : false;
    };
    const checkAxios = (call: TSESTree.CallExpression) => {
      const a = axiosCall(call, bindings);
      if (!a) return;
      if (call.arguments.some((x) => x.type === "SpreadElement")) return;
      const cfgArg = call.arguments[a.configIndex];
      const cfg = objectOf(cfgArg);
      const has = axiosHasTimeout(cfg);
      if (has !== false) return;
      const object = (unwrap(call.callee).type === "MemberExpression" ? (unwrap(call.callee) as TSESTree.MemberExpression).object : unwrap(call.callee)) as Node;
      const objectName = object.type === "Identifier" ? object.name : "";
      const suggest = (): TSESLint.SuggestionReportDescriptor<MessageIds>[] => {
        if (cfg !== "none" && cfg === unwrap(cfgArg!)) return [{ messageId: "addTimeoutOption", data: { ms }, fix: (f) => addProperty(f, cfg, `timeout: ${ms}`) }];
        if (cfg === "none" && call.arguments.length === a.configIndex && a.configIndex > 0) return [{ messageId: "addTimeoutOption", data: { ms }, fix: (f) => f.insertTextAfter(call.arguments[a.configIndex - 1], `, { timeout: ${ms} }`) }];
        if (cfg === "none" && a.create && call.arguments.length === 0) return [{ messageId: "addTimeoutOption", data: { ms }, fix: (f) => f.replaceText(call, `${sourceCode.getText(call.callee)}({ timeout: ${ms} })`) }];
        return [];
      };
      if (a.create) {
        const flow = call.parent;
        const instance = flow?.type === "VariableDeclarator" && flow.id.type === "Identifier" ? flow.id.name : flow?.type === "AssignmentExpression" && flow.left.type === "MemberExpression" ? memberName(flow.left) ?? "" : "";
        axiosCandidates.push({ node: call, object: instance, report: () => context.report({ node: call.callee, messageId: "axiosCreateNoTimeout", data: { ms }, suggest: suggest() }) });
        return;
      }
      axiosCandidates.push({ node: call, object: objectName, report: () => context.report({ node: call.callee, messageId: "axiosNoTimeout", data: { call: label(call), ms }, suggest: suggest() }) });
    };

    // ---- http(s).request / get -------------------------------------------------------------
    const checkHttp = (call: TSESTree.CallExpression) => {
      if (!httpRequestKind(call, bindings)) return;
      for (const arg of call.arguments) {
        if (arg.type === "SpreadElement") return;
        const a = unwrap(arg);
        if (isFunctionNode(a)) continue;
        if (a.type === "ObjectExpression") {
          const t = findProp(a, "timeout");
          if (t.prop || t.spread) return;
          const s = findProp(a, "signal");
          if (s.prop && signalVerdict(s.prop.value as Node).verdict !== "no") return;
          continue;
        }
        if (a.type === "Identifier") {
          const v = findVariable(sourceCode.getScope(a), a.name);
          const init = v && constInit(v);
          if (init?.type === "ObjectExpression") {
            const t = findProp(init, "timeout");
            if (t.prop || t.spread) return;
            continue;
          }
          if (init && (init.type === "Literal" || init.type === "TemplateLiteral" || (init.type === "NewExpression" && init.callee.type === "Identifier" && init.callee.name === "URL"))) continue;
          // a parameter or something computed: it may be an options object carrying a timeout
          if (!isUrlish(a.name)) return;
          continue;
        }
        if (a.type === "Literal" || a.type === "TemplateLiteral" || a.type === "NewExpression" || a.type === "BinaryExpression") continue;
        return; // member expressions, calls: options we cannot see
      }
      if (requestGetsTimeout(call)) return;
      const objArg = call.arguments.map((x) => unwrap(x)).find((x): x is TSESTree.ObjectExpression => x.type === "ObjectExpression");
      context.report({
        node: call.callee,
        messageId: "httpNoTimeout",
        data: { call: label(call), ms },
        suggest: objArg ? [{ messageId: "addTimeoutOption", data: { ms }, fix: (f) => addProperty(f, objArg, `timeout: ${ms}`) }] : [],
      });
    };

    /** `req.setTimeout()`, `.setTimeout()` chained, or `req.destroy()` from a timer. */
    const requestGetsTimeout = (call: TSESTree.CallExpression): boolean => {
      let n: Node = call;
      for (;;) {
        const p: Node | undefined = n.parent;
        if (p?.type === "MemberExpression" && p.object === n && p.parent?.type === "CallExpression" && p.parent.callee === p) {
          if (memberName(p) === "setTimeout") return true;
          n = p.parent;
          continue;
        }
        break;
      }
      const p = n.parent;
      let variable: Variable | undefined;
      if (p?.type === "VariableDeclarator" && p.init === n && p.id.type === "Identifier") variable = sourceCode.getDeclaredVariables(p).find((v) => v.name === (p.id as TSESTree.Identifier).name);
      else if (p?.type === "AssignmentExpression" && p.right === n && p.left.type === "Identifier") variable = findVariable(sourceCode.getScope(p), p.left.name);
      else if (p && p.type !== "ExpressionStatement") return true; // returned, passed on, awaited in a helper: the caller may set it
      if (!variable) return p?.type !== "ExpressionStatement";
      for (const ref of variable.references) {
        const id = ref.identifier as Node;
        const m = id.parent;
        if (m?.type === "MemberExpression" && m.object === id) {
          const name = memberName(m);
          if (name === "setTimeout") return true;
          if ((name === "destroy" || name === "abort") && insideTimer(id)) return true;
          continue;
        }
        if (ref.isWrite()) continue;
        const up = m && (m.type === "TSAsExpression" || m.type === "TSNonNullExpression") ? m.parent : m;
        if (up && up.type !== "IfStatement" && up.type !== "UnaryExpression" && up.type !== "BinaryExpression" && up.type !== "ExpressionStatement") return true; // handed on
      }
      return false;
    };

    // ---- SDK clients (strict) ----------------------------------------------------------------
    const checkSdk = (node: TSESTree.NewExpression | TSESTree.CallExpression) => {
      const c = sdkClientCreated(node, bindings);
      if (!c) return;
      const cfg = objectOf(c.options);
      if (cfg === "unknown") return;
      if (cfg !== "none") {
        if (cfg.properties.some((p) => p.type === "SpreadElement")) return;
        if (SDK_TIMEOUT_KEYS.some((k) => findProp(cfg, k).prop)) return;
      }
      const client = `${node.type === "NewExpression" ? "new " : ""}${c.name}()`;
      context.report({
        node,
        messageId: "sdkNoTimeout",
        data: { client, ms },
        suggest:
          cfg !== "none" && cfg === unwrap(c.options!)
            ? [{ messageId: "addTimeoutOption", data: { ms }, fix: (f) => addProperty(f, cfg, `timeout: ${ms}`) }]
            : cfg === "none" && node.arguments.length === 0 && node.type === "NewExpression"
              ? [{ messageId: "addTimeoutOption", data: { ms }, fix: (f) => f.replaceText(node, `new ${sourceCode.getText(node.callee)}({ timeout: ${ms} })`) }]
              : [],
      });
    };

    return {
      Program(program) {
        bindings = moduleBindings(program);
        interesting = interestingNames(bindings);
      },
      AssignmentExpression(node) {
        // axios.defaults.timeout = …, api.defaults.timeout = …
        const l = node.left;
        if (l.type === "MemberExpression" && memberName(l) === "timeout" && l.object.type === "MemberExpression" && memberName(l.object) === "defaults") {
          const o = l.object.object;
          const name = o.type === "Identifier" ? o.name : o.type === "MemberExpression" ? memberName(o) : undefined;
          if (name) defaultsWithTimeout.add(name);
        }
      },
      CallExpression(node) {
        const root = calleeRoot(node.callee);
        if (!root || !interesting.has(root)) return;
        // no try/catch here: createRule's guard owns the crash policy (rules/create-rule.ts)
        if (isFetchCall(node, bindings, shadowed)) {
          checkFetch(node);
          return;
        }
        checkAxios(node);
        checkHttp(node);
        if (options.checkSdkClients) checkSdk(node);
      },
      NewExpression(node) {
        const root = calleeRoot(node.callee);
        if (options.checkSdkClients && root && interesting.has(root)) checkSdk(node);
      },
      "Program:exit"() {
        for (const c of axiosCandidates) if (!defaultsWithTimeout.has(c.object)) c.report();
      },
    };
  },
});

function findVariable(scope: Scope | null, name: string): Variable | undefined {
  for (let s = scope; s; s = s.upper) {
    const v = s.set.get(name);
    if (v) return v;
  }
  return undefined;
}

/**
 * A call that yields a `data:` or `blob:` URL (no network): `canvas.toDataURL()`, `URL.createObjectURL(b)`,
 * html-to-image's `toPng/toJpeg/toSvg(node)` (awaited or not).
 */
function isLocalUrlCall(e: Node): boolean {
  const c = e.type === "AwaitExpression" ? unwrap(e.argument) : e;
  if (c.type !== "CallExpression") return false;
  const name = c.callee.type === "Identifier" ? c.callee.name : c.callee.type === "MemberExpression" ? memberName(c.callee) : undefined;
  return name !== undefined && /^(?:toDataURL|createObjectURL|toPng|toJpeg|toSvg)$/.test(name);
}

/** The initialiser of a variable that is assigned exactly once (const, or let never reassigned). */
function constInit(v: Variable): Node | undefined {
  if (v.defs.length !== 1) return undefined;
  const d = v.defs[0];
  if (d.type !== "Variable" || d.node.type !== "VariableDeclarator" || d.node.id.type !== "Identifier" || !d.node.init) return undefined;
  if (v.references.some((r) => r.isWrite() && r.identifier !== d.node.id)) return undefined;
  return unwrap(d.node.init);
}

/** An AbortController aborted from a timer: `setTimeout(() => c.abort(), ms)`, `setTimeout(c.abort.bind(c), ms)`. */
function controllerHasTimer(v: Variable): boolean {
  for (const ref of v.references) {
    const id = ref.identifier as Node;
    const m = id.parent;
    if (m?.type !== "MemberExpression" || m.object !== id || memberName(m) !== "abort") continue;
    if (insideTimer(id)) return true;
  }
  return false;
}

/** The controller itself is passed on, stored or returned: someone else may abort it on a timer. */
function controllerEscapes(v: Variable): boolean {
  for (const ref of v.references) {
    const id = ref.identifier as Node;
    if (ref.isWrite()) continue;
    const p = id.parent;
    if (p?.type === "MemberExpression" && p.object === id) continue;
    if (p && (p.type === "IfStatement" || p.type === "UnaryExpression" || p.type === "BinaryExpression")) continue;
    return true;
  }
  return false;
}

/** A parameter typed or named like a Request (`input: RequestInfo | URL`, `req`). */
function mayBeRequest(v: Variable): boolean {
  const id = v.defs[0].name as Node;
  const ann = id.type === "Identifier" && id.typeAnnotation ? JSON.stringify(id.typeAnnotation.typeAnnotation, (k, val) => (k === "parent" || k === "loc" || k === "range" ? undefined : val)) : "";
  if (/Request/.test(ann)) return true;
  if (ann && !/Request/.test(ann)) return false;
  return /^(?:input|req|request|resource|info)$/i.test(v.name);
}

const TIMER_NAME = /timeout|timer|deadline|expire/i;

/** Is `node` run by a timer: inside a function passed to setTimeout, or passed to it directly, or in a function named like a timeout? */
function insideTimer(node: Node): boolean {
  for (let p: Node | undefined = node.parent; p; p = p.parent) {
    if (p.type === "CallExpression") {
      const c = unwrap(p.callee);
      const name = c.type === "Identifier" ? c.name : c.type === "MemberExpression" ? memberName(c) : undefined;
      if (name && /^set(?:Timeout|Interval)$/.test(name)) return true;
    }
    if (isFunctionNode(p)) {
      const fnName = p.type !== "ArrowFunctionExpression" && p.id ? p.id.name : p.parent?.type === "VariableDeclarator" && p.parent.id.type === "Identifier" ? p.parent.id.name : p.parent?.type === "Property" && p.parent.key.type === "Identifier" ? p.parent.key.name : "";
      if (fnName && TIMER_NAME.test(fnName)) return true;
      const call = p.parent;
      if (call?.type === "CallExpression" && call.arguments.includes(p as TSESTree.CallExpressionArgument)) continue; // maybe setTimeout(…) further up
      return false;
    }
  }
  return false;
}

/** fetch(…) inside `Promise.race([...])`: the caller does not wait past the other contender. */
function inPromiseRace(call: Node): boolean {
  for (let p: Node | undefined = call.parent; p; p = p.parent) {
    if (isFunctionNode(p)) return false;
    if (p.type === "CallExpression" && p.callee.type === "MemberExpression" && p.callee.object.type === "Identifier" && p.callee.object.name === "Promise" && memberName(p.callee) === "race") return true;
  }
  return false;
}

function isUrlish(name: string): boolean {
  return /url|uri|href|endpoint|link|address|location/i.test(name);
}

/** Insert `text` as the first property of an object literal. */
function addProperty(fixer: TSESLint.RuleFixer, obj: TSESTree.ObjectExpression, text: string): TSESLint.RuleFix {
  if (obj.properties.length === 0) return fixer.replaceText(obj, `{ ${text} }`);
  return fixer.insertTextBefore(obj.properties[0], `${text}, `);
}
