/**
 * require-request-timeout — `fetch` without a `signal` that can time out (`AbortSignal.timeout`, `AbortSignal.any` with one,
 * or an AbortController aborted from a timer); streamed responses with no connect/idle timeout.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { decideTimeout, type TimeoutSetting } from "../core/timeout-decision.js";
import { findProp, memberName, unwrap } from "../core/http-calls.js";
import { type Node, type TimeoutState, type Verdict, addProperty, constInit, controllerEscapes, controllerHasTimer, findVariable, inPromiseRace, isLocalUrlCall, label, mayBeRequest, objectOf } from "./utils.js";

/** Can this `signal` expression abort on a timer? */
export function signalVerdict(t: TimeoutState, expr: Node, depth = 0): { verdict: Verdict; controller?: string } {
  if (depth > 4) return { verdict: "unknown" };
  const e = unwrap(expr);
  if (e.type === "Identifier") {
    if (e.name === "undefined") return { verdict: "no" };
    const v = findVariable(t.sourceCode.getScope(e), e.name);
    const init = v && constInit(v);
    return init ? signalVerdict(t, init, depth + 1) : { verdict: "unknown" };
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
        const r = signalVerdict(t, el, depth + 1);
        if (r.verdict === "yes") return { verdict: "yes" };
        if (r.verdict === "unknown") unknown = true;
        controller ??= r.controller;
      }
      return unknown ? { verdict: "unknown" } : { verdict: "no", controller };
    }
    return { verdict: "unknown" };
  }
  if (e.type === "MemberExpression" && memberName(e) === "signal" && e.object.type === "Identifier") {
    const v = findVariable(t.sourceCode.getScope(e), e.object.name);
    const init = v && constInit(v);
    if (!v || !init || init.type !== "NewExpression" || init.callee.type !== "Identifier" || init.callee.name !== "AbortController") return { verdict: "unknown" };
    if (controllerHasTimer(v)) return { verdict: "yes" };
    return controllerEscapes(v) ? { verdict: "unknown" } : { verdict: "no", controller: v.name };
  }
  return { verdict: "unknown" };
}


/**
 * Is the fetch's response read as a stream (SSE, `stream: true`, `res.body` read chunk by
 * chunk)? Then a total timeout is the wrong advice (`decideTimeout`).
 */
export function isStreamed(t: TimeoutState, call: TSESTree.CallExpression): boolean {
  const optsText = call.arguments[1] ? t.sourceCode.getText(call.arguments[1]) : "";
  const opts = objectOf(t, call.arguments[1]);
  const optsFull = typeof opts === "object" ? t.sourceCode.getText(opts) : optsText;
  if (/text\/event-stream|["']?stream["']?\s*:\s*true/.test(optsFull)) return true;
  // const res = await fetch(…); … res.body.getReader() / pipeTo / consume(res.body)
  let holder: Node | undefined = call.parent;
  while (holder && (holder.type === "AwaitExpression" || holder.type === "TSAsExpression" || holder.type === "TSNonNullExpression")) holder = holder.parent;
  if (holder?.type !== "VariableDeclarator" || holder.id.type !== "Identifier") return false;
  const v = t.sourceCode.getDeclaredVariables(holder).find((x) => x.name === (holder as TSESTree.VariableDeclarator & { id: TSESTree.Identifier }).id.name);
  return !!v?.references.some((r) => {
    const m = r.identifier.parent;
    if (m?.type !== "MemberExpression" || m.object !== r.identifier || memberName(m) !== "body") return false;
    const up = m.parent;
    if (up?.type === "MemberExpression" && /^(getReader|pipeTo|pipeThrough|tee)$/.test(memberName(up) ?? "")) return true;
    if (up?.type === "CallExpression" && up.arguments.includes(m as TSESTree.CallExpressionArgument)) return true;
    return up?.type === "ForOfStatement" && up.await;
  });
}


/** The one decision (core/timeout-decision.ts); a stream gets connect/idle advice instead of a total timeout. */
export function reportFetch(t: TimeoutState, call: TSESTree.CallExpression, setting: TimeoutSetting, report: () => void) {
  const v = decideTimeout({ setting, streamed: isStreamed(t, call) });
  if (!v) return;
  if (v.advice === "connect-idle") t.context.report({ node: call.callee, messageId: "streamNoTimeout", data: { call: label(t, call) } });
  else report();
}


// ---- fetch ---------------------------------------------------------------------------
export function checkFetch(t: TimeoutState, call: TSESTree.CallExpression) {
  const url = call.arguments[0] && unwrap(call.arguments[0]);
  if (url?.type === "Literal" && typeof url.value === "string" && /^(?:data|blob|file):/i.test(url.value)) return;
  if (url?.type === "TemplateLiteral" && /^(?:data|blob|file):/i.test(url.quasis[0]?.value.cooked ?? "")) return;
  if (url?.type === "NewExpression" && url.callee.type === "Identifier" && url.callee.name === "Request") return;
  if (url && isLocalUrlCall(url)) return;
  if (url?.type === "Identifier") {
    const v = findVariable(t.sourceCode.getScope(url), url.name);
    const init = v && constInit(v);
    if (init && isLocalUrlCall(init)) return;
    if (init?.type === "NewExpression" && init.callee.type === "Identifier" && init.callee.name === "Request") return;
    // a fetch wrapper's `input` parameter may be a Request that carries its own signal
    if (v?.defs[0]?.type === "Parameter" && call.arguments.length === 1 && mayBeRequest(v)) return;
  }
  if (call.arguments.some((a) => a.type === "SpreadElement")) return;
  if (inPromiseRace(call)) return;
  const opts = objectOf(t, call.arguments[1]);
  if (opts === "unknown") return;
  if (opts === "none") {
    reportFetch(t, call, "absent", () =>
      t.context.report({
        node: call.callee,
        messageId: "fetchNoSignal",
        data: { call: label(t, call), ms: t.ms },
        suggest: call.arguments.length === 1 ? [{ messageId: "addSignal", data: { ms: t.ms }, fix: (f) => f.insertTextAfter(call.arguments[0], `, { signal: AbortSignal.timeout(${t.ms}) }`) }] : [],
      }),
    );
    return;
  }
  const { prop, spread } = findProp(opts, "signal");
  if (!prop) {
    if (spread || findProp(opts, "dispatcher").prop) return;
    const inline = opts === unwrap(call.arguments[1]);
    reportFetch(t, call, "absent", () => t.context.report({ node: call.callee, messageId: "fetchNoSignal", data: { call: label(t, call), ms: t.ms }, suggest: inline ? [{ messageId: "addSignal", data: { ms: t.ms }, fix: (f) => addProperty(f, opts, `signal: AbortSignal.timeout(${t.ms})`) }] : [] }));
    return;
  }
  if (prop.shorthand && prop.value.type === "Identifier") {
    // `{ signal }`: a parameter or local; resolved like any identifier
  }
  const r = signalVerdict(t, prop.value as Node);
  if (r.verdict !== "no") return;
  if (r.controller) {
    const controller = r.controller;
    reportFetch(t, call, "absent", () =>
      t.context.report({
        node: call.callee,
        messageId: "fetchSignalNoTimer",
        data: { call: label(t, call), controller, ms: t.ms },
        suggest: [{ messageId: "addSignal", data: { ms: t.ms }, fix: (f) => f.replaceText(prop.value, `AbortSignal.any([${t.sourceCode.getText(prop.value)}, AbortSignal.timeout(${t.ms})])`) }],
      }),
    );
  } else {
    reportFetch(t, call, "absent", () => t.context.report({ node: call.callee, messageId: "fetchNoSignal", data: { call: label(t, call), ms: t.ms }, suggest: [{ messageId: "addSignal", data: { ms: t.ms }, fix: (f) => f.replaceText(prop.value, `AbortSignal.timeout(${t.ms})`) }] }));
  }
}
