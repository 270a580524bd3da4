/**
 * Recognisers for the network calls and clients the network-hygiene rules look at:
 * `fetch`, `http(s).get/request`, axios, undici dispatchers, keep-alive agents, sockets,
 * WebSockets and LLM SDK clients (whose packages come from the provider catalogue).
 * Pure functions over the AST and the file's module bindings; no ESLint reporting here.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { PROVIDERS, providerForPackage } from "./providers.js";

type Node = TSESTree.Node;

export interface ModuleBinding {
  /** Module specifier without a `node:` prefix. */
  source: string;
  /** "default", "*" (namespace / whole `require`) or the exported name. */
  imported: string;
}

/** Local name → where it comes from: ES imports, `import x = require()`, top-level `require()`. */
export function moduleBindings(program: TSESTree.Program): Map<string, ModuleBinding> {
  const out = new Map<string, ModuleBinding>();
  const norm = (s: string) => (s.startsWith("node:") ? s.slice(5) : s);
  const requireSource = (n: Node | null | undefined): string | undefined => {
    let e = n && unwrap(n);
    if (e?.type === "AwaitExpression") e = unwrap(e.argument);
    if (e?.type === "CallExpression" && e.callee.type === "Identifier" && e.callee.name === "require" && e.arguments[0]?.type === "Literal" && typeof e.arguments[0].value === "string") return norm(e.arguments[0].value);
    if (e?.type === "ImportExpression" && e.source.type === "Literal" && typeof e.source.value === "string") return norm(e.source.value);
    return undefined;
  };
  const fromPattern = (id: Node, source: string) => {
    if (id.type === "Identifier") out.set(id.name, { source, imported: "*" });
    else if (id.type === "ObjectPattern") {
      for (const p of id.properties) {
        if (p.type !== "Property") continue;
        const key = propName(p);
        const v = p.value.type === "AssignmentPattern" ? p.value.left : p.value;
        if (key && v.type === "Identifier") out.set(v.name, { source, imported: key });
      }
    }
  };
  for (const stmt of program.body) {
    if (stmt.type === "ImportDeclaration") {
      if (stmt.importKind === "type") continue;
      const source = norm(String(stmt.source.value));
      for (const s of stmt.specifiers) {
        if (s.type === "ImportSpecifier" && s.importKind === "type") continue;
        const imported =
          s.type === "ImportDefaultSpecifier" ? "default" : s.type === "ImportNamespaceSpecifier" ? "*" : s.imported.type === "Identifier" ? s.imported.name : String(s.imported.value);
        out.set(s.local.name, { source, imported });
      }
    } else if (stmt.type === "TSImportEqualsDeclaration") {
      const ref = stmt.moduleReference;
      if (ref.type === "TSExternalModuleReference" && ref.expression.type === "Literal" && typeof ref.expression.value === "string") out.set(stmt.id.name, { source: norm(ref.expression.value), imported: "*" });
    } else if (stmt.type === "VariableDeclaration") {
      for (const d of stmt.declarations) {
        const source = requireSource(d.init);
        if (source) fromPattern(d.id, source);
      }
    }
  }
  return out;
}

export function unwrap(node: Node): Node {
  let n = node;
  for (;;) {
    if (n.type === "TSAsExpression" || n.type === "TSNonNullExpression" || n.type === "TSSatisfiesExpression" || n.type === "TSTypeAssertion" || n.type === "ChainExpression") n = n.expression;
    else return n;
  }
}

export function propName(p: TSESTree.Property | TSESTree.MethodDefinition | TSESTree.PropertyDefinition): string | undefined {
  if (!p.computed && p.key.type === "Identifier") return p.key.name;
  if (p.key.type === "Literal" && typeof p.key.value === "string") return p.key.value;
  return undefined;
}

export function memberName(m: TSESTree.MemberExpression): string | undefined {
  if (!m.computed && m.property.type === "Identifier") return m.property.name;
  if (m.computed && m.property.type === "Literal" && typeof m.property.value === "string") return m.property.value;
  return undefined;
}

/** The property `name` of an object literal, or undefined. `spread` tells whether a spread could also supply it. */
export function findProp(obj: TSESTree.ObjectExpression, name: string): { prop?: TSESTree.Property; spread: boolean } {
  let prop: TSESTree.Property | undefined;
  let spread = false;
  for (const p of obj.properties) {
    if (p.type === "SpreadElement") {
      // `...(cond ? { headers } : {})`, `...(flag && { headers })`: literal objects we can read; only
      // a spread that may carry the key (or one we cannot see into) can supply it
      if (spreadMaySupply(p.argument, name)) spread = true;
      continue;
    }
    if (propName(p) === name) {
      prop = p;
      spread = false; // a later explicit key wins over earlier spreads
    }
  }
  return { prop, spread };
}

/** Can spreading `arg` into an object literal supply the key `name`? Unknown values: yes. */
function spreadMaySupply(arg: Node, name: string, depth = 0): boolean {
  const a = unwrap(arg);
  if (depth > 4) return true;
  if (a.type === "ObjectExpression") {
    const r = findProp(a, name);
    return !!r.prop || r.spread;
  }
  if (a.type === "ConditionalExpression") return spreadMaySupply(a.consequent, name, depth + 1) || spreadMaySupply(a.alternate, name, depth + 1);
  // `flag && { … }`: a falsy left spreads nothing; `x ?? {}` / `x || {}`: both sides may be spread
  if (a.type === "LogicalExpression") return (a.operator !== "&&" && spreadMaySupply(a.left, name, depth + 1)) || spreadMaySupply(a.right, name, depth + 1);
  if (a.type === "Literal" || (a.type === "Identifier" && a.name === "undefined")) return false;
  return true;
}

export function isFunctionNode(n: Node | null | undefined): n is TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression {
  return !!n && (n.type === "FunctionDeclaration" || n.type === "FunctionExpression" || n.type === "ArrowFunctionExpression");
}

const GLOBAL_OBJECTS = new Set(["globalThis", "window", "self", "global"]);
const FETCH_MODULES = new Set(["node-fetch", "undici", "cross-fetch", "isomorphic-fetch", "@whatwg-node/fetch", "isomorphic-unfetch", "undici-types"]);

/**
 * `fetch(…)`, `globalThis.fetch(…)`, `undici.fetch(…)` (a call whose result is a WHATWG Response).
 * `shadowed` (from the rule's scope manager, see `localFetchIsNotGlobal`) says whether a bare
 * identifier resolves to a local binding rather than the global or an import.
 */
export function isFetchCall(node: Node, bindings: Map<string, ModuleBinding>, shadowed?: (id: TSESTree.Identifier) => boolean): node is TSESTree.CallExpression {
  if (node.type !== "CallExpression") return false;
  const c = unwrap(node.callee);
  if (c.type === "Identifier") {
    // a local binding (a parameter, a `const fetch = wrap(…)`) shadows the global: scope decides, not the name
    if (shadowed?.(c)) return false;
    if (c.name !== "fetch") {
      const b = bindings.get(c.name);
      return !!b && FETCH_MODULES.has(b.source) && (b.imported === "fetch" || (b.imported === "default" && b.source !== "undici"));
    }
    const b = bindings.get("fetch");
    return !b || FETCH_MODULES.has(b.source);
  }
  if (c.type === "MemberExpression" && memberName(c) === "fetch" && c.object.type === "Identifier") {
    if (GLOBAL_OBJECTS.has(c.object.name)) return true;
    const b = bindings.get(c.object.name);
    return !!b && FETCH_MODULES.has(b.source);
  }
  return false;
}

/** The module (`http`, `https`, `net`, `tls`, `axios`, `undici`, `ws`…) an identifier stands for as a whole. */
export function moduleOf(id: Node, bindings: Map<string, ModuleBinding>): string | undefined {
  if (id.type !== "Identifier") return undefined;
  const b = bindings.get(id.name);
  if (!b) return undefined;
  if (b.imported === "*" || b.imported === "default") return b.source;
  return undefined;
}

/** `[module, member]` of a callee: `http.get` → ["http","get"], `get` imported from https → ["https","get"]. */
export function calleeOf(callee: Node, bindings: Map<string, ModuleBinding>): [string, string] | undefined {
  const c = unwrap(callee);
  if (c.type === "Identifier") {
    const b = bindings.get(c.name);
    if (!b) return undefined;
    return [b.source, b.imported];
  }
  if (c.type === "MemberExpression") {
    const name = memberName(c);
    const obj = unwrap(c.object);
    if (!name) return undefined;
    const mod = moduleOf(obj, bindings);
    if (mod) return [mod, name];
    // `http.default.get` / `(await import("http")).get` are rare: not followed.
  }
  return undefined;
}

/** `http(s).get/request(…)`: the kind of call, or undefined. */
export function httpRequestKind(node: Node, bindings: Map<string, ModuleBinding>): "get" | "request" | undefined {
  if (node.type !== "CallExpression") return undefined;
  const c = calleeOf(node.callee, bindings);
  if (!c || (c[0] !== "http" && c[0] !== "https")) return undefined;
  return c[1] === "get" || c[1] === "request" ? c[1] : undefined;
}

const AXIOS_METHODS: Record<string, number> = { request: 0, get: 1, delete: 1, head: 1, options: 1, post: 2, put: 2, patch: 2, postForm: 2, putForm: 2, patchForm: 2 };

/** An axios call through the default instance: which argument holds the config. */
export function axiosCall(node: TSESTree.CallExpression, bindings: Map<string, ModuleBinding>): { configIndex: number; create: boolean; method: string } | undefined {
  const c = unwrap(node.callee);
  if (c.type === "Identifier") {
    const b = bindings.get(c.name);
    if (b?.source !== "axios") return undefined;
    if (b.imported === "default" || b.imported === "*" || b.imported === "axios") {
      // axios(config) or axios(url, config)
      const first = node.arguments[0] && unwrap(node.arguments[0]);
      return { configIndex: first?.type === "ObjectExpression" ? 0 : 1, create: false, method: "axios" };
    }
    return undefined;
  }
  if (c.type === "MemberExpression") {
    const obj = unwrap(c.object);
    const name = memberName(c);
    if (!name || obj.type !== "Identifier") return undefined;
    const b = bindings.get(obj.name);
    if (b?.source !== "axios" || !(b.imported === "default" || b.imported === "*" || b.imported === "axios")) return undefined;
    if (name === "create") return { configIndex: 0, create: true, method: name };
    if (name in AXIOS_METHODS) return { configIndex: AXIOS_METHODS[name], create: false, method: name };
  }
  return undefined;
}

const UNDICI_DISPATCHERS = new Set(["Agent", "Pool", "Client", "ProxyAgent", "BalancedPool", "RetryAgent", "EnvHttpProxyAgent", "H2CClient"]);

export type ResourceKind = "agent" | "dispatcher" | "socket" | "websocket";

/** A connection-holding object created by `node`: keep-alive agent, undici dispatcher, socket, WebSocket. */
export function resourceCreated(node: Node, bindings: Map<string, ModuleBinding>): { kind: ResourceKind; what: string } | undefined {
  if (node.type === "NewExpression") {
    const callee = unwrap(node.callee);
    if (callee.type === "Identifier" && callee.name === "WebSocket" && !bindings.has("WebSocket")) return { kind: "websocket", what: "WebSocket" };
    const c = calleeOf(callee, bindings);
    if (!c) return undefined;
    const [mod, name] = c;
    if ((mod === "http" || mod === "https") && name === "Agent") {
      const opts = node.arguments[0] && unwrap(node.arguments[0]);
      if (opts?.type !== "ObjectExpression") return undefined;
      const ka = findProp(opts, "keepAlive").prop;
      if (ka && ka.value.type === "Literal" && ka.value.value === true) return { kind: "agent", what: `keep-alive ${mod}.Agent` };
      return undefined;
    }
    if (mod === "undici" && UNDICI_DISPATCHERS.has(name)) return { kind: "dispatcher", what: `undici ${name}` };
    if ((mod === "ws" || mod === "isomorphic-ws") && (name === "default" || name === "*" || name === "WebSocket")) return { kind: "websocket", what: "WebSocket" };
    if (mod === "undici" && name === "WebSocket") return { kind: "websocket", what: "WebSocket" };
    if ((mod === "net" || mod === "tls") && (name === "Socket" || name === "TLSSocket")) return { kind: "socket", what: `${mod}.${name}` };
    return undefined;
  }
  if (node.type === "CallExpression") {
    const c = calleeOf(node.callee, bindings);
    if (!c) return undefined;
    const [mod, name] = c;
    if ((mod === "net" && (name === "connect" || name === "createConnection")) || (mod === "tls" && name === "connect")) return { kind: "socket", what: `${mod}.${name}()` };
  }
  return undefined;
}

/** Provider packages that run the model in-process (no HTTP client, no socket): not SDK clients here. */
const IN_PROCESS_PACKAGES = new Set(["node-llama-cpp"]);

const providerPackageMemo = new Map<string, boolean>();
function isProviderPackage(source: string): boolean {
  let v = providerPackageMemo.get(source);
  if (v === undefined) providerPackageMemo.set(source, (v = !!providerForPackage(source)));
  return v;
}

const NETWORK_MODULES = new Set(["http", "https", "http2", "net", "tls", "undici", "ws", "isomorphic-ws", "axios", ...FETCH_MODULES]);

const escapeRe = (x: string) => x.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
/**
 * Text pre-filter for the network rules: a file that never says `fetch`/`WebSocket` and quotes no
 * network module or LLM SDK package (an import or require of one) cannot create what they check.
 */
const NETWORK_TEXT = new RegExp(
  `\\bfetch\\b|WebSocket|["'](?:node:)?(?:${[...NETWORK_MODULES, ...PROVIDERS.flatMap((p) => p.packages)].map(escapeRe).join("|")})(?:/[^"']*)?["']`,
);
export function mayUseNetwork(text: string): boolean {
  return NETWORK_TEXT.test(text);
}

// A response body can only come from a `fetch(` call, a fetch module's import (any local name) or
// node:http(s): without one of these a file has no body to follow (no code-path tracking needed).
const BODY_TEXT = new RegExp(`\\bfetch\\s*\\(|["'](?:${[...FETCH_MODULES].map(escapeRe).join("|")})["']|["'](?:node:)?https?["']`);
export function mayHaveResponseBodies(text: string): boolean {
  return BODY_TEXT.test(text);
}

/**
 * Names whose calls/constructions the network rules look at: `fetch`, `WebSocket`, the global
 * objects, and every local bound to a network module or an LLM SDK package. A cheap prefilter.
 */
export function interestingNames(bindings: Map<string, ModuleBinding>): Set<string> {
  const out = new Set<string>(["fetch", "WebSocket", ...GLOBAL_OBJECTS]);
  for (const [name, b] of bindings) if (NETWORK_MODULES.has(b.source) || isProviderPackage(b.source)) out.add(name);
  return out;
}

/** The identifier at the root of a callee (`a` in `a.b.c()`), through TS wrappers. */
export function calleeRoot(callee: Node): string | undefined {
  let c = unwrap(callee);
  while (c.type === "MemberExpression") c = unwrap(c.object);
  return c.type === "Identifier" ? c.name : undefined;
}

/** An LLM SDK client or provider created by `node` (`new OpenAI()`, `createOllama()`, `new ChatOpenAI()`). */
export function sdkClientCreated(node: Node, bindings: Map<string, ModuleBinding>): { name: string; source: string; options?: Node } | undefined {
  if (node.type !== "NewExpression" && node.type !== "CallExpression") return undefined;
  const callee = unwrap(node.callee);
  let local: string | undefined;
  let b: ModuleBinding | undefined;
  if (callee.type === "Identifier") {
    local = callee.name;
    b = bindings.get(local);
  } else if (callee.type === "MemberExpression" && callee.object.type === "Identifier") {
    const ns = bindings.get(callee.object.name);
    const name = memberName(callee);
    if (ns && name && (ns.imported === "*" || ns.imported === "default")) {
      local = `${callee.object.name}.${name}`;
      b = { source: ns.source, imported: name };
    }
  }
  if (!b || !local) return undefined;
  if (!isProviderPackage(b.source) || IN_PROCESS_PACKAGES.has(b.source)) return undefined;
  const imported = b.imported === "default" || b.imported === "*" ? local.split(".").pop()! : b.imported;
  if (node.type === "NewExpression") {
    if (!/^[A-Z]/.test(imported) || /(?:Error|Exception|Schema|Tool|Message|Parser|Prompt|Template|Stream|Headers|Response|Request)$/.test(imported)) return undefined;
    if (b.imported === "*" && callee.type === "Identifier") return undefined; // `new ns()` is not a client
  } else if (!/^create[A-Z]/.test(imported)) return undefined;
  return { name: local, source: b.source, options: node.arguments[0] };
}

/**
 * Does a local definition of `fetch` (not an import) stand for something other than the global
 * fetch? A parameter typed `typeof fetch` / `FetchFunction`, or a local initialised from the global
 * (`globalThis.fetch`, `fetch.bind(…)`, `options.fetch ?? fetch`) is still fetch; a wrapper, a mock
 * or an untyped parameter is not (its response is whatever the wrapper returns).
 */
export function localFetchIsNotGlobal(def: { type: string; node: Node; name: Node }): boolean {
  if (def.type === "ImportBinding") return false; // module bindings decide (FETCH_MODULES)
  if (def.type === "Parameter") {
    const id = def.name as TSESTree.Identifier;
    const t = id.typeAnnotation?.typeAnnotation;
    if (!t) return true;
    if (t.type === "TSTypeQuery") return !(t.exprName.type === "Identifier" ? t.exprName.name === "fetch" : t.exprName.type === "TSQualifiedName" && t.exprName.right.name === "fetch");
    if (t.type === "TSTypeReference" && t.typeName.type === "Identifier") return !/^(Fetch|FetchFunction|FetchFn|FetchLike|FetchImpl|typeof fetch)$/.test(t.typeName.name);
    return true;
  }
  if (def.type === "Variable" && def.node.type === "VariableDeclarator") {
    const init = def.node.init ? unwrap(def.node.init) : undefined;
    if (!init) return true;
    const isGlobalFetch = (n: Node): boolean => {
      const x = unwrap(n);
      if (x.type === "Identifier") return x.name === "fetch";
      if (x.type === "MemberExpression") return memberName(x) === "fetch"; // globalThis.fetch, options.fetch: a fetch implementation
      if (x.type === "LogicalExpression") return isGlobalFetch(x.left) && isGlobalFetch(x.right);
      if (x.type === "CallExpression" && x.callee.type === "MemberExpression" && memberName(x.callee) === "bind") return isGlobalFetch(x.callee.object);
      return false;
    };
    return !isGlobalFetch(init);
  }
  return true; // a function or class named fetch
}
