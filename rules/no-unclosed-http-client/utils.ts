/**
 * no-unclosed-http-client — what its three checks (responses.ts, agents.ts, clients.ts) share:
 * the options and message ids, the module bindings read at `Program`, and small AST helpers.
 */
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { isFunctionNode, memberName, unwrap, type ModuleBinding } from "../core/http-calls.js";

export type Node = TSESTree.Node;
export type Variable = TSESLint.Scope.Variable;

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

export type Context = Readonly<TSESLint.RuleContext<MessageIds, Options>>;

/** Filled by the rule's `Program` listener, read by every check. */
export interface ModuleState {
  bindings: Map<string, ModuleBinding>;
  interesting: Set<string>;
}

export const LISTEN = new Set(["on", "once", "addListener", "prependListener", "prependOnceListener"]);
const REQUEST_CALLS = /^(?:fetch|request|get|post|put|patch|delete|head|options|stream|dispatch|connect|upgrade|pipeline|create|send|query|call|ws)$/i;

export function enclosingFunction(node: Node): Node | null {
  for (let p = node.parent; p; p = p.parent) if (isFunctionNode(p)) return p;
  return null;
}

export function findVariable(scope: TSESLint.Scope.Scope | null, name: string): Variable | undefined {
  for (let s = scope; s; s = s.upper) {
    const v = s.set.get(name);
    if (v) return v;
  }
  return undefined;
}

export function isAsync(fn: Node | null | undefined): boolean {
  return !!fn && isFunctionNode(fn) && fn.async;
}

/** Climb through wrappers that pass the value on unchanged. */
export function valueFlow(node: Node): { node: Node; parent: Node } {
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

export function isTestPosition(node: Node, parent: Node): boolean {
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

/** `{ agent }` / `{ dispatcher: d }` inside the options of a request call: use, not handing on. */
export function objectIsRequestOption(prop: TSESTree.Property): boolean {
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

const NODE_MODULES = /^(node:|fs$|fs\/|http$|https$|http2$|net$|tls$|dgram$|child_process$|path$|os$|stream$|worker_threads$|cluster$|undici$|express$|fastify$|koa$|ws$|next\/server$|server-only$|@vercel\/node$|hono$)/;

const RELATIVE_FETCH = /(?<![\w$.])fetch\(\s*["'`]\//;

/**
 * A file that only runs in a browser: a `'use client'` module, or a JSX/TSX component file with no
 * Node or server import. `'use server'` files and `pages/api` routes are server code.
 */
export function isBrowserOnly(program: TSESTree.Program, filename: string, text: string): boolean {
  const directives = program.body.filter((s): s is TSESTree.ExpressionStatement => s.type === "ExpressionStatement" && !!s.directive).map((s) => s.directive);
  if (directives.includes("use server") || /[\\/](api|server)[\\/]/.test(filename)) return false;
  const nodeImport = program.body.some((s) => s.type === "ImportDeclaration" && s.importKind !== "type" && NODE_MODULES.test(String(s.source.value))) || /\brequire\(\s*["'](node:|fs|http|https|net|child_process)/.test(text) || /\bprocess\.(on|exit|env)\b/.test(text);
  if (directives.includes("use client")) return true;
  // `fetch("/api/…")`: Node's fetch rejects a relative URL, so a module that fetches one runs in a browser
  if (!nodeImport && RELATIVE_FETCH.test(text)) return true;
  if (!/\.[jt]sx$/.test(filename)) return false;
  return !nodeImport && /<\/[A-Za-z]|\/>/.test(text) && /from\s+["'](react|preact|solid-js|react-dom|next\/|@remix-run\/react)/.test(text);
}
