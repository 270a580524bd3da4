/**
 * require-request-timeout — `http(s).request/get` with neither a `timeout` option nor `req.setTimeout()`.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { findProp, httpRequestKind, isFunctionNode, memberName, unwrap } from "../core/http-calls.js";
import { type Node, type TimeoutState, type Variable, addProperty, constInit, findVariable, insideTimer, isUrlish, label } from "./utils.js";
import { signalVerdict } from "./fetch.js";

// ---- http(s).request / get -------------------------------------------------------------
export function checkHttp(t: TimeoutState, call: TSESTree.CallExpression) {
  if (!httpRequestKind(call, t.bindings)) return;
  for (const arg of call.arguments) {
    if (arg.type === "SpreadElement") return;
    const a = unwrap(arg);
    if (isFunctionNode(a)) continue;
    if (a.type === "ObjectExpression") {
      const timeoutProp = findProp(a, "timeout");
      if (timeoutProp.prop || timeoutProp.spread) return;
      const s = findProp(a, "signal");
      if (s.prop && signalVerdict(t, s.prop.value as Node).verdict !== "no") return;
      continue;
    }
    if (a.type === "Identifier") {
      const v = findVariable(t.sourceCode.getScope(a), a.name);
      const init = v && constInit(v);
      if (init?.type === "ObjectExpression") {
        const timeoutProp = findProp(init, "timeout");
        if (timeoutProp.prop || timeoutProp.spread) return;
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
  if (requestGetsTimeout(t, call)) return;
  const objArg = call.arguments.map((x) => unwrap(x)).find((x): x is TSESTree.ObjectExpression => x.type === "ObjectExpression");
  t.context.report({
    node: call.callee,
    messageId: "httpNoTimeout",
    data: { call: label(t, call), ms: t.ms },
    suggest: objArg ? [{ messageId: "addTimeoutOption", data: { ms: t.ms }, fix: (f) => addProperty(f, objArg, `timeout: ${t.ms}`) }] : [],
  });
}


/** `req.setTimeout()`, `.setTimeout()` chained, or `req.destroy()` from a timer. */
export function requestGetsTimeout(t: TimeoutState, call: TSESTree.CallExpression): boolean {
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
  if (p?.type === "VariableDeclarator" && p.init === n && p.id.type === "Identifier") variable = t.sourceCode.getDeclaredVariables(p).find((v) => v.name === (p.id as TSESTree.Identifier).name);
  else if (p?.type === "AssignmentExpression" && p.right === n && p.left.type === "Identifier") variable = findVariable(t.sourceCode.getScope(p), p.left.name);
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
}
