/**
 * require-request-timeout — what the checks share: options, message ids, the per-file state and small AST helpers.
 */
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { fetchShadowCheck } from "../core/code-paths.js";
import { isFunctionNode, memberName, unwrap, type ModuleBinding } from "../core/http-calls.js";

export type Node = TSESTree.Node;
export type Variable = TSESLint.Scope.Variable;
export type Scope = TSESLint.Scope.Scope;

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

export const SDK_TIMEOUT_KEYS = ["timeout", "timeoutMs", "timeoutInSeconds", "requestTimeout", "fetch", "requestHandler", "httpOptions", "clientOptions", "configuration", "httpAgent", "fetchOptions"];

export type Verdict = "yes" | "no" | "unknown";

/** One file's state, shared by the checks (fetch.ts, axios.ts, http.ts, sdk.ts). */
export interface TimeoutState {
  context: Readonly<TSESLint.RuleContext<MessageIds, Options>>;
  options: Options[0];
  sourceCode: Readonly<TSESLint.SourceCode>;
  /** The timeout the suggestions propose, in ms. */
  ms: string;
  bindings: Map<string, ModuleBinding>;
  shadowed: ReturnType<typeof fetchShadowCheck>;
  interesting: Set<string>;
  /** Objects with `X.defaults.timeout = …` somewhere in the file (`axios`, an instance). */
  defaultsWithTimeout: Set<string>;
  axiosCandidates: Array<{ node: TSESTree.CallExpression; object: string; report: () => void }>;
}

export function label(t: TimeoutState, call: TSESTree.CallExpression) {
  return `${t.sourceCode.getText(call.callee)}(…)`;
}


/** Options object literal for an argument: inline, or a local `const` initialised with one. */
export function objectOf(t: TimeoutState, arg: Node | undefined): TSESTree.ObjectExpression | "none" | "unknown" {
  if (!arg) return "none";
  const a = unwrap(arg);
  if (a.type === "ObjectExpression") return a;
  if (a.type === "Identifier") {
    if (a.name === "undefined") return "none";
    const v = findVariable(t.sourceCode.getScope(a), a.name);
    const init = v && constInit(v);
    if (init && init.type === "ObjectExpression") return init;
  }
  return "unknown";
}

export function findVariable(scope: Scope | null, name: string): Variable | undefined {
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
export function isLocalUrlCall(e: Node): boolean {
  const c = e.type === "AwaitExpression" ? unwrap(e.argument) : e;
  if (c.type !== "CallExpression") return false;
  const name = c.callee.type === "Identifier" ? c.callee.name : c.callee.type === "MemberExpression" ? memberName(c.callee) : undefined;
  return name !== undefined && /^(?:toDataURL|createObjectURL|toPng|toJpeg|toSvg)$/.test(name);
}

/** The initialiser of a variable that is assigned exactly once (const, or let never reassigned). */
export function constInit(v: Variable): Node | undefined {
  if (v.defs.length !== 1) return undefined;
  const d = v.defs[0];
  if (d.type !== "Variable" || d.node.type !== "VariableDeclarator" || d.node.id.type !== "Identifier" || !d.node.init) return undefined;
  if (v.references.some((r) => r.isWrite() && r.identifier !== d.node.id)) return undefined;
  return unwrap(d.node.init);
}

/** An AbortController aborted from a timer: `setTimeout(() => c.abort(), ms)`, `setTimeout(c.abort.bind(c), ms)`. */
export function controllerHasTimer(v: Variable): boolean {
  for (const ref of v.references) {
    const id = ref.identifier as Node;
    const m = id.parent;
    if (m?.type !== "MemberExpression" || m.object !== id || memberName(m) !== "abort") continue;
    if (insideTimer(id)) return true;
  }
  return false;
}

/** The controller itself is passed on, stored or returned: someone else may abort it on a timer. */
export function controllerEscapes(v: Variable): boolean {
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
export function mayBeRequest(v: Variable): boolean {
  const id = v.defs[0].name as Node;
  const ann = id.type === "Identifier" && id.typeAnnotation ? JSON.stringify(id.typeAnnotation.typeAnnotation, (k, val) => (k === "parent" || k === "loc" || k === "range" ? undefined : val)) : "";
  if (/Request/.test(ann)) return true;
  if (ann && !/Request/.test(ann)) return false;
  return /^(?:input|req|request|resource|info)$/i.test(v.name);
}

export const TIMER_NAME = /timeout|timer|deadline|expire/i;

/** Is `node` run by a timer: inside a function passed to setTimeout, or passed to it directly, or in a function named like a timeout? */
export function insideTimer(node: Node): boolean {
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
export function inPromiseRace(call: Node): boolean {
  for (let p: Node | undefined = call.parent; p; p = p.parent) {
    if (isFunctionNode(p)) return false;
    if (p.type === "CallExpression" && p.callee.type === "MemberExpression" && p.callee.object.type === "Identifier" && p.callee.object.name === "Promise" && memberName(p.callee) === "race") return true;
  }
  return false;
}

export function isUrlish(name: string): boolean {
  return /url|uri|href|endpoint|link|address|location/i.test(name);
}

/** Insert `text` as the first property of an object literal. */
export function addProperty(fixer: TSESLint.RuleFixer, obj: TSESTree.ObjectExpression, text: string): TSESLint.RuleFix {
  if (obj.properties.length === 0) return fixer.replaceText(obj, `{ ${text} }`);
  return fixer.insertTextBefore(obj.properties[0], `${text}, `);
}
