/**
 * no-unclosed-http-client, check 3 of 3: LLM SDK clients built once per unit of work (a loop
 * iteration, an array callback, a request or message handler, a factory with a dead cache):
 * each instance opens its own connection pool.
 */
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { decideResource } from "../core/resource-decision.js";
import { isFunctionNode, memberName, sdkClientCreated, unwrap } from "../core/http-calls.js";
import { enclosingFunction, findVariable, valueFlow, type Context, type ModuleState, type Node } from "./utils.js";

const ARRAY_CALLBACKS = new Set(["map", "forEach", "flatMap", "filter", "reduce", "reduceRight", "some", "every", "find", "findIndex", "findLast", "findLastIndex"]);
const ROUTE_METHODS = new Set(["get", "post", "put", "patch", "delete", "del", "all", "options", "head", "use", "route"]);
const HTTP_EXPORTS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);

/** Report an SDK client created at `node` once per unit of work and not cached. */
export function checkClient(context: Context, state: ModuleState, node: TSESTree.NewExpression | TSESTree.CallExpression): void {
  const sourceCode = context.sourceCode;
  const client = sdkClientCreated(node, state.bindings);
  if (!client) return;
  const unit = unitOfWork(node, sourceCode) ?? deadCacheFactory(node, sourceCode);
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
  if (id) context.report({ node, messageId: id, data: { client: `${node.type === "NewExpression" ? "new " : ""}${client.name}()`, unit } });
}

/**
 * `function clientFor(h) { if (cached && …) return cached; return new Ollama(…) }` where the
 * module-level `cached` is never assigned: every call builds a client (a dead cache).
 */
function deadCacheFactory(node: Node, sourceCode: Readonly<TSESLint.SourceCode>): string | undefined {
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

