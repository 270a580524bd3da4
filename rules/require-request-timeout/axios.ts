/**
 * require-request-timeout — axios calls and `axios.create` without `timeout` (unless `X.defaults.timeout` is set in the file).
 */
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { axiosCall, findProp, memberName, unwrap } from "../core/http-calls.js";
import { type MessageIds, type Node, type TimeoutState, addProperty, label, objectOf } from "./utils.js";
import { signalVerdict } from "./fetch.js";

// ---- axios -----------------------------------------------------------------------------
export function axiosHasTimeout(t: TimeoutState, cfg: TSESTree.ObjectExpression | "none" | "unknown"): boolean | undefined {
  if (cfg === "unknown") return undefined;
  if (cfg === "none") return false;
  const timeoutProp = findProp(cfg, "timeout");
  if (timeoutProp.prop) return !(timeoutProp.prop.value.type === "Literal" && (timeoutProp.prop.value.value === 0 || timeoutProp.prop.value.value === null));
  const s = findProp(cfg, "signal");
  if (s.prop) return signalVerdict(t, s.prop.value as Node).verdict !== "no";
  return timeoutProp.spread ? undefined : false;
}

export function checkAxios(t: TimeoutState, call: TSESTree.CallExpression) {
  const a = axiosCall(call, t.bindings);
  if (!a) return;
  if (call.arguments.some((x) => x.type === "SpreadElement")) return;
  const cfgArg = call.arguments[a.configIndex];
  const cfg = objectOf(t, cfgArg);
  const has = axiosHasTimeout(t, cfg);
  if (has !== false) return;
  const object = (unwrap(call.callee).type === "MemberExpression" ? (unwrap(call.callee) as TSESTree.MemberExpression).object : unwrap(call.callee)) as Node;
  const objectName = object.type === "Identifier" ? object.name : "";
  const suggest = (): TSESLint.SuggestionReportDescriptor<MessageIds>[] => {
    if (cfg !== "none" && cfg === unwrap(cfgArg!)) return [{ messageId: "addTimeoutOption", data: { ms: t.ms }, fix: (f) => addProperty(f, cfg, `timeout: ${t.ms}`) }];
    if (cfg === "none" && call.arguments.length === a.configIndex && a.configIndex > 0) return [{ messageId: "addTimeoutOption", data: { ms: t.ms }, fix: (f) => f.insertTextAfter(call.arguments[a.configIndex - 1], `, { timeout: ${t.ms} }`) }];
    if (cfg === "none" && a.create && call.arguments.length === 0) return [{ messageId: "addTimeoutOption", data: { ms: t.ms }, fix: (f) => f.replaceText(call, `${t.sourceCode.getText(call.callee)}({ timeout: ${t.ms} })`) }];
    return [];
  };
  if (a.create) {
    const flow = call.parent;
    const instance = flow?.type === "VariableDeclarator" && flow.id.type === "Identifier" ? flow.id.name : flow?.type === "AssignmentExpression" && flow.left.type === "MemberExpression" ? memberName(flow.left) ?? "" : "";
    t.axiosCandidates.push({ node: call, object: instance, report: () => t.context.report({ node: call.callee, messageId: "axiosCreateNoTimeout", data: { ms: t.ms }, suggest: suggest() }) });
    return;
  }
  t.axiosCandidates.push({ node: call, object: objectName, report: () => t.context.report({ node: call.callee, messageId: "axiosNoTimeout", data: { call: label(t, call), ms: t.ms }, suggest: suggest() }) });
}
