/**
 * One pass over a file's ESTree AST that records what reach analysis needs: named functions,
 * module-level bindings, imports/exports, and "atoms" — route evidence (URLs, SDK clients,
 * env vars, cloud model tags) and references to other functions/bindings — in source order.
 *
 * Works on any ESTree (typescript-estree, espree), knows nothing of ESLint reporting or LSP.
 * Hand-written walker rather than ESLint selectors because the same facts are built for files
 * that ESLint is not linting (imports followed across files) and cached per file version.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { visitorKeys } from "@typescript-eslint/visitor-keys";
import { providerForImport, providerForPackage } from "./providers.js";
import { classifyEnvVar, classifyModelTag, classifyUrl, routeForProvider, routeOfEndpoint, type Route } from "./routes.js";

type Node = TSESTree.Node;

export interface Loc {
  file: string;
  line: number;
  column: number;
}

/**
 * A choice branch: the atom sits in one branch (`index`) of an if/elif/else chain, switch or
 * ternary (`group`, its start offset) whose test compares with a string literal
 * (`if (provider === "openai")`, `elif self.llm_type == 'anthropic'`): a setting picks one
 * branch at run time. Branches on anything else (a status, an error, a result) and catch/except
 * blocks are not choices: a fallback after failure runs in the same call.
 */
export interface Alt {
  group: number;
  index: number;
}

export type Atom =
  | { kind: "route"; start: number; route: Route; at: Loc; text: string; stored?: boolean; alt?: Alt }
  | { kind: "ref"; start: number; name: string; prop?: string; self?: boolean; at: Loc; stored?: boolean; alt?: Alt };

export interface FnInfo {
  name: string;
  /** The node to report on (the name identifier or key). */
  nameNode: Node;
  /** The function node itself. */
  fn: Node;
  range: [number, number];
  /** Range of the enclosing class, for `this.x` resolution. */
  classRange?: [number, number];
  /** Name of the enclosing class (`class OllamaClient { … }`), for methods. */
  className?: string;
  /** Name of the object literal a method is a property of (`const ViaLiteLLM = { gpt4o() {…} }`). */
  ownerName?: string;
  topLevel: boolean;
  exported: boolean;
  /** JSDoc / leading comment text. */
  comment?: string;
  /** The statement the function is declared by (for comments and renames). */
  statement: Node;
  /** Names bound inside the function (parameters, local variables), computed on first use. */
  locals?: () => ReadonlySet<string>;
  /** For a function that returns an object literal (a config factory): each property's value range; undefined when a spread hides some. */
  returnProps?: Map<string, [number, number]>;
}

export interface Binding {
  kind: "value";
  range: [number, number];
  /** For an object-literal value (a lookup table): each property's value range, so `TABLE.groq` reaches only its entry. */
  props?: Map<string, [number, number]>;
  /** For `const cfg = makeConfig()`: the called function, so `cfg.baseUrl` reaches only what that property holds. */
  call?: string;
}

export interface ImportInfo {
  source: string;
  /** "default", "*" or the exported name. */
  imported: string;
}

export interface FileFacts {
  file: string;
  functions: FnInfo[];
  fnByName: Map<string, FnInfo>;
  atoms: Atom[];
  values: Map<string, Binding>;
  /** `${classStart}:${field}` → initialiser ranges (constructor assignments, property initialisers). */
  classFields: Map<string, Array<[number, number]>>;
  imports: Map<string, ImportInfo>;
  /** exported name → local name, or a re-export. */
  exports: Map<string, { local?: string; from?: string; imported?: string }>;
  header?: string;
}

const CLIENT_OPTION_KEYS = ["baseURL", "baseUrl", "base_url", "host", "endpoint", "basePath", "serverURL", "serverUrl", "url", "apiBase", "api_base"];
const SKIP_KEYS = new Set(["typeAnnotation", "typeParameters", "typeArguments", "returnType", "superTypeArguments", "superTypeParameters", "implements", "decorators"]);

interface Ctx {
  file: string;
  facts: FileFacts;
  consumed: Set<Node>;
  /** Module-level string constants, for resolving client options. */
  stringConsts: Map<string, Node>;
  /** Identifiers at the root of a called member chain (`ollama` in `ollama.chat(…)`, `openai` in `openai("gpt-4o")`). */
  calledRoots: Set<Node>;
}

function loc(ctx: Ctx, node: Node): Loc {
  return { file: ctx.file, line: node.loc.start.line, column: node.loc.start.column + 1 };
}

function propName(key: Node, computed: boolean): string | undefined {
  if (!computed && key.type === "Identifier") return key.name;
  if (key.type === "Literal" && typeof key.value === "string") return key.value;
  if (key.type === "PrivateIdentifier") return "#" + key.name;
  return undefined;
}

function unwrap(node: Node): Node {
  let n = node;
  for (;;) {
    if (n.type === "TSAsExpression" || n.type === "TSNonNullExpression" || n.type === "TSSatisfiesExpression" || n.type === "TSTypeAssertion") n = n.expression;
    else if (n.type === "AwaitExpression") n = n.argument;
    else return n;
  }
}

function isFunction(n: Node | null | undefined): n is TSESTree.FunctionLike {
  return !!n && (n.type === "FunctionDeclaration" || n.type === "FunctionExpression" || n.type === "ArrowFunctionExpression");
}

/** `process.env.X`, `process.env["X"]`, `import.meta.env.X` → X. */
export function envVarName(node: Node): string | undefined {
  if (node.type !== "MemberExpression") return undefined;
  const obj = node.object;
  const isEnv =
    obj.type === "MemberExpression" &&
    !obj.computed &&
    obj.property.type === "Identifier" &&
    obj.property.name === "env" &&
    ((obj.object.type === "Identifier" && obj.object.name === "process") || obj.object.type === "MetaProperty");
  if (!isEnv) return undefined;
  return propName(node.property, node.computed);
}

/** `require("pkg")`, `__importDefault(require("pkg"))`, `__importStar(require("pkg"))` → "pkg". */
function requireSource(node: Node): string | undefined {
  let n = unwrap(node);
  if (n.type === "CallExpression" && n.callee.type === "Identifier" && /^__import(Default|Star)$/.test(n.callee.name) && n.arguments[0]) n = unwrap(n.arguments[0] as Node);
  if (n.type !== "CallExpression" || n.callee.type !== "Identifier" || n.callee.name !== "require" || n.arguments.length !== 1) return undefined;
  const a = n.arguments[0];
  return a.type === "Literal" && typeof a.value === "string" ? a.value : undefined;
}

/** Resolve an expression to a string statically (literals, consts, templates, `env ?? "default"`). */
export function resolveString(node: Node | undefined, consts: Map<string, Node>, depth = 0): { value?: string; env?: string } {
  if (!node || depth > 8) return {};
  const n = unwrap(node);
  if (n.type === "Literal" && typeof n.value === "string") return { value: n.value };
  if (n.type === "TemplateLiteral") {
    let out = "";
    for (let i = 0; i < n.quasis.length; i++) {
      out += n.quasis[i].value.cooked ?? "";
      if (i < n.expressions.length) {
        const r = resolveString(n.expressions[i], consts, depth + 1);
        if (r.value === undefined) return out ? { value: out } : r;
        out += r.value;
      }
    }
    return { value: out };
  }
  if (n.type === "Identifier") {
    const init = consts.get(n.name);
    return init ? resolveString(init, consts, depth + 1) : {};
  }
  if (n.type === "LogicalExpression" && (n.operator === "??" || n.operator === "||")) {
    const right = resolveString(n.right, consts, depth + 1);
    if (right.value !== undefined) return right;
    return resolveString(n.left, consts, depth + 1);
  }
  const env = envVarName(n);
  if (env) return { env };
  return {};
}

/** The route of an SDK client/provider created with `options` (first argument). */
function clientRoute(ctx: Ctx, source: string, calleeName: string, args: Node[], imported = calleeName): Route | undefined {
  const provider = providerForImport(source, imported);
  let options = args.find((a) => a.type === "ObjectExpression") as TSESTree.ObjectExpression | undefined;
  const first = args[0] ? unwrap(args[0]) : undefined;
  if (!options && first?.type === "Identifier") {
    const init = ctx.stringConsts.get(first.name);
    if (init && unwrap(init).type === "ObjectExpression") options = unwrap(init) as TSESTree.ObjectExpression;
  }
  let endpoint: Node | undefined;
  // Options we cannot see (`new OpenAI(config)`, `{ ...params }`) may set the endpoint: unprovable.
  let opaque = !!first && !options && first.type !== "Literal" && first.type !== "TemplateLiteral";
  const scan = (obj: TSESTree.ObjectExpression, depth = 0) => {
    if (depth > 4) return;
    for (const p of obj.properties) {
      if (p.type === "SpreadElement") opaque = true;
      if (p.type !== "Property") continue;
      const k = propName(p.key, p.computed);
      if (k && CLIENT_OPTION_KEYS.includes(k)) endpoint = p.value as Node;
      if (k === "configuration" && p.value.type === "ObjectExpression") scan(p.value, depth + 1);
    }
  };
  if (options) scan(options);
  // `new Ollama("http://…")`-style positional URL
  if (!endpoint && args[0] && (args[0].type === "Literal" || args[0].type === "TemplateLiteral")) endpoint = args[0];
  if (endpoint) return routeOfEndpoint(resolveString(endpoint, ctx.stringConsts), provider?.id, calleeName, (v) => `process.env.${v}`);
  if (opaque) return { provider: provider?.id ?? "unknown", label: `${calleeName} with caller-supplied options`, local: false, router: false, unresolved: true };
  return provider ? routeForProvider(provider) : undefined;
}

export function buildFileFacts(ast: TSESTree.Program, file: string): FileFacts {
  const facts: FileFacts = {
    file,
    functions: [],
    fnByName: new Map(),
    atoms: [],
    values: new Map(),
    classFields: new Map(),
    imports: new Map(),
    exports: new Map(),
  };
  const ctx: Ctx = { file, facts, consumed: new Set(), stringConsts: new Map(), calledRoots: new Set() };
  const comments = (ast.comments ?? []).slice().sort((a, b) => a.range[0] - b.range[0]);
  const firstCode = ast.body[0]?.range[0] ?? Infinity;
  let headerComments = comments.filter((c) => c.range[1] <= firstCode);
  // A comment glued to a first declaration (no blank line between) is that declaration's comment, not a file header.
  const first = ast.body[0];
  const last = headerComments[headerComments.length - 1];
  if (first && last && first.type !== "ImportDeclaration" && first.type !== "ExpressionStatement" && first.loc.start.line - last.loc.end.line <= 1) {
    headerComments = headerComments.slice(0, -1);
  }
  if (headerComments.length) facts.header = headerComments.map((c) => c.value).join("\n");

  const tokens = ast.tokens ?? [];
  const lastTokenBefore = (pos: number): TSESTree.Token | undefined => {
    let lo = 0;
    let hi = tokens.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (tokens[mid].range[1] <= pos) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? undefined : tokens[found];
  };

  const leadingComment = (stmt: Node): string | undefined => {
    // Last comment that ends right before the statement (only whitespace between).
    let lo = 0;
    let hi = comments.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (comments[mid].range[1] <= stmt.range[0]) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return undefined;
    const c = comments[found];
    // Only a comment on the line(s) right above (or on the statement's line) belongs to it.
    if (stmt.loc.start.line - c.loc.end.line > 1) return undefined;
    if (tokens.length) {
      // No code between the comment and the statement, and not a trailing comment of earlier code.
      const before = lastTokenBefore(stmt.range[0]);
      if (before && before.range[1] > c.range[0]) return undefined;
      const beforeComment = lastTokenBefore(c.range[0]);
      if (beforeComment && beforeComment.loc.end.line === c.loc.start.line) return undefined;
    }
    return c.value;
  };

  // Module-level declarations first: imports, exports, string consts, values.
  for (const stmt of ast.body) {
    if (stmt.type === "ImportDeclaration") {
      if (stmt.importKind === "type") continue;
      for (const s of stmt.specifiers) {
        if (s.type === "ImportSpecifier" && s.importKind === "type") continue;
        const imported = s.type === "ImportDefaultSpecifier" ? "default" : s.type === "ImportNamespaceSpecifier" ? "*" : propName(s.imported, false) ?? "default";
        facts.imports.set(s.local.name, { source: String(stmt.source.value), imported });
      }
      continue;
    }
    let decl: Node | null | undefined = stmt;
    if (stmt.type === "ExportNamedDeclaration") {
      decl = stmt.declaration;
      if (!decl) {
        for (const s of stmt.specifiers) {
          const exported = propName(s.exported, false);
          const local = propName(s.local, false);
          if (exported && local) facts.exports.set(exported, stmt.source ? { from: String(stmt.source.value), imported: local } : { local });
        }
        continue;
      }
    } else if (stmt.type === "ExportDefaultDeclaration") {
      decl = stmt.declaration;
      if ((decl.type === "FunctionDeclaration" || decl.type === "ClassDeclaration") && decl.id) facts.exports.set("default", { local: decl.id.name });
      else if (decl.type === "Identifier") facts.exports.set("default", { local: decl.name });
      continue;
    } else if (stmt.type === "ExportAllDeclaration") {
      continue;
    }
    const exported = stmt.type === "ExportNamedDeclaration";
    if (decl?.type === "VariableDeclaration") {
      for (const d of decl.declarations) {
        // CommonJS (compiled TS, plain Node): `const x = require("pkg")`, `const { A } = require("pkg")`.
        const req = d.init ? requireSource(d.init) : undefined;
        if (req !== undefined) {
          if (d.id.type === "Identifier") facts.imports.set(d.id.name, { source: req, imported: "*" });
          else if (d.id.type === "ObjectPattern") {
            for (const p of d.id.properties) {
              const k = p.type === "Property" ? propName(p.key, p.computed) : undefined;
              if (p.type === "Property" && k && p.value.type === "Identifier") facts.imports.set(p.value.name, { source: req, imported: k });
            }
          }
          continue;
        }
        if (d.id.type !== "Identifier" || !d.init) continue;
        if (exported) facts.exports.set(d.id.name, { local: d.id.name });
        if (isFunction(d.init)) continue;
        const binding: Binding = { kind: "value", range: d.init.range };
        const init = unwrap(d.init);
        if (init.type === "ObjectExpression") {
          binding.props = new Map();
          // Nested tables too, by dotted path (`IMPLS.ollama.list` → "ollama.list"), three levels deep.
          const work: Array<[TSESTree.ObjectExpression, string, number]> = [[init, "", 0]];
          while (work.length) {
            const [obj, prefix, level] = work.pop()!;
            for (const p of obj.properties) {
              const k = p.type === "Property" ? propName(p.key, p.computed) : undefined;
              if (p.type !== "Property" || !k) continue;
              binding.props.set(prefix + k, p.value.range);
              if (level < 2 && p.value.type === "ObjectExpression") work.push([p.value, `${prefix}${k}.`, level + 1]);
            }
          }
        }
        const called = init.type === "AwaitExpression" ? unwrap(init.argument) : init;
        if (called.type === "CallExpression" && called.callee.type === "Identifier" && !called.arguments.length && !/^[^.@/~]/.test(facts.imports.get(called.callee.name)?.source ?? ".")) binding.call = called.callee.name;
        facts.values.set(d.id.name, binding);
        if (decl.kind === "const") ctx.stringConsts.set(d.id.name, d.init);
      }
    } else if ((decl?.type === "FunctionDeclaration" || decl?.type === "ClassDeclaration") && decl.id && exported) {
      facts.exports.set(decl.id.name, { local: decl.id.name });
    }
    // `new FastClient()` reaches the class body (its field initialisers and super(…) call).
    if (decl?.type === "ClassDeclaration" && decl.id && !facts.values.has(decl.id.name)) facts.values.set(decl.id.name, { kind: "value", range: decl.range });
  }

  const addFn = (name: string, nameNode: Node, fn: Node, statement: Node, topLevel: boolean, exported: boolean, classRange?: [number, number]) => {
    const info: FnInfo = { className: classRange ? classNames.get(classRange[0]) : undefined, name, nameNode, fn, range: fn.range, classRange, topLevel, exported, statement, comment: leadingComment(statement), returnProps: returnedProps(fn), locals: lazyLocals(fn) };
    facts.functions.push(info);
    if (!facts.fnByName.has(name) || topLevel) facts.fnByName.set(name, info);
  };

  const classStack: Array<[number, number]> = [];
  const classNames = new Map<number, string>();
  /** Per enclosing class: its SDK superclass (`class Fireworks extends OpenAI`), read at `super(…)`. */
  const superStack: Array<{ source: string; imported: string; name: string } | undefined> = [];
  let fnDepth = 0;

  let depth = 0;
  const visit = (node: Node, parent: Node | undefined, parentKey: string | undefined, stmt: Node): void => {
    // Depth guard (issue 15): code nested deeper than this (1,500 nested arrows) contributes no
    // facts below the cut instead of overflowing the JS stack.
    if (depth > MAX_VISIT_DEPTH) return;
    depth++;
    try {
      visitNode(node, parent, parentKey, stmt);
    } finally {
      depth--;
    }
  };
  const visitNode = (node: Node, parent: Node | undefined, parentKey: string | undefined, stmt: Node): void => {
    switch (node.type) {
      case "FunctionDeclaration":
        if (node.id) {
          const exported = parent?.type === "ExportNamedDeclaration" || parent?.type === "ExportDefaultDeclaration";
          addFn(node.id.name, node.id, node, exported ? parent! : node, fnDepth === 0 && classStack.length === 0, exported);
        }
        break;
      case "VariableDeclarator":
        if (node.id.type === "Identifier" && node.init && isFunction(unwrap(node.init))) {
          // The declaration statement (with its `export`), for the leading comment: not an enclosing top-level statement.
          const declStmt = stmt.type === "ExportNamedDeclaration" && stmt.declaration === parent ? stmt : parent ?? stmt;
          addFn(node.id.name, node.id, unwrap(node.init), declStmt, fnDepth === 0 && classStack.length === 0, declStmt.type === "ExportNamedDeclaration");
        }
        break;
      case "MethodDefinition":
      case "TSAbstractMethodDefinition": {
        const name = propName(node.key, node.computed);
        if (name && name !== "constructor" && node.value.type === "FunctionExpression") {
          addFn(name, node.key, node.value, node, false, false, classStack[classStack.length - 1]);
        }
        break;
      }
      case "PropertyDefinition": {
        const name = propName(node.key, node.computed);
        const cls = classStack[classStack.length - 1];
        if (name && node.value && isFunction(node.value)) addFn(name, node.key, node.value, node, false, false, cls);
        else if (name && node.value && cls) pushField(cls, name, node.value.range);
        break;
      }
      case "Property": {
        const name = propName(node.key, node.computed);
        if (name && isFunction(node.value as Node)) {
          addFn(name, node.key, node.value as Node, node, false, false);
          const holder = parent?.parent;
          if (holder?.type === "VariableDeclarator" && holder.id.type === "Identifier") facts.functions[facts.functions.length - 1].ownerName = holder.id.name;
        }
        break;
      }
      case "FunctionExpression":
        // A named function expression (`module.exports = function callOllama() {…}`) is a named
        // function too; its name is in scope only inside it, so it is not a binding of the file.
        if (node.id && !facts.functions.some((f) => f.fn === node && f.name === node.id!.name)) {
          // Only a function that is the statement's own value (`module.exports = function f…`) takes its comment.
          const direct = parent?.type === "AssignmentExpression" || parent?.type === "ExportDefaultDeclaration" || parent?.type === "TSExportAssignment";
          const info: FnInfo = { name: node.id.name, nameNode: node.id, fn: node, range: node.range, topLevel: false, exported: false, statement: stmt, comment: direct ? leadingComment(stmt) : undefined, returnProps: returnedProps(node) };
          facts.functions.push(info);
        }
        break;
      case "AssignmentExpression": {
        const l = node.left;
        if (l.type === "Identifier" && isFunction(unwrap(node.right)) && !facts.fnByName.has(l.name)) {
          addFn(l.name, l, unwrap(node.right), stmt, fnDepth === 0 && classStack.length === 0, false);
        }
        if (l.type === "MemberExpression" && !l.computed && l.property.type === "Identifier") {
          if (isFunction(node.right)) addFn(l.property.name, l.property, node.right, stmt, fnDepth === 0, false);
          else if (l.object.type === "ThisExpression" && classStack.length) pushField(classStack[classStack.length - 1], l.property.name, node.right.range);
        }
        break;
      }
      case "NewExpression":
      case "CallExpression": {
        const callee = node.callee;
        if (node.type === "CallExpression") {
          let root: Node = callee;
          while (root.type === "MemberExpression") root = root.object;
          if (root.type === "Identifier") ctx.calledRoots.add(root);
        }
        let source: string | undefined;
        let calleeName = "";
        let imported: string | undefined;
        if (callee.type === "Identifier") {
          const imp = facts.imports.get(callee.name);
          if (imp) source = imp.source;
          if (imp && imp.imported !== "default" && imp.imported !== "*") imported = imp.imported;
          calleeName = callee.name;
        } else if (callee.type === "MemberExpression" && callee.object.type === "Identifier" && !callee.computed && callee.property.type === "Identifier") {
          const imp = facts.imports.get(callee.object.name);
          if (imp && (imp.imported === "*" || imp.imported === "default")) source = imp.source;
          calleeName = callee.property.name;
        } else if (callee.type === "Super" && superStack[superStack.length - 1]) {
          // `super({ configuration: { baseURL } })` in a subclass of an SDK client: that client's construction.
          const sup = superStack[superStack.length - 1]!;
          const route = clientRoute(ctx, sup.source, sup.name, node.arguments as Node[], sup.imported);
          if (route) facts.atoms.push({ kind: "route", start: node.range[0], route, at: loc(ctx, node), text: sup.name });
          break;
        }
        const isCtor = node.type === "NewExpression" || /^create[A-Z]/.test(calleeName);
        if (source && isCtor && (clientPackage(source) || /openai-compatible|litellm/.test(source))) {
          const route = clientRoute(ctx, source, calleeName, node.arguments as Node[], imported ?? calleeName);
          if (route) {
            facts.atoms.push({ kind: "route", start: node.range[0], route, at: loc(ctx, node), text: calleeName });
            ctx.consumed.add(callee);
            if (callee.type === "MemberExpression") ctx.consumed.add(callee.object);
          }
        }
        break;
      }
      case "Literal":
        if (typeof node.value === "string" && parentKey !== "source" && !isLinkValue(parent, parentKey) && !isCompared(parent, parentKey)) {
          const route = classifyUrl(node.value) ?? classifyModelTag(node.value);
          if (route) facts.atoms.push({ kind: "route", start: node.range[0], route, at: loc(ctx, node), text: node.value, ...stored(parent, parentKey) });
        }
        break;
      case "TemplateLiteral": {
        if (isLinkValue(parent, parentKey) || isCompared(parent, parentKey)) return;
        const head = node.quasis[0]?.value.cooked ?? "";
        // `${BASE}/v1/chat/completions` with a module const BASE: the whole URL, reported here.
        const whole = !head && node.expressions.length ? resolveString(node, ctx.stringConsts).value : undefined;
        const route = head ? classifyUrl(head) : whole ? classifyUrl(whole) : undefined;
        if (route) facts.atoms.push({ kind: "route", start: node.range[0], route, at: loc(ctx, node), text: head || whole || "", ...stored(parent, parentKey) });
        break;
      }
      case "MemberExpression": {
        // A lookup table (`const URLS = { groq: "…", ollama: "…" }`): `URLS.groq` reaches its entry only,
        // `URLS[engine]` is chosen at run time and reaches none of them.
        if (node.object.type === "Identifier" && facts.values.get(node.object.name)?.props && !ctx.consumed.has(node.object)) {
          const name = node.object.name;
          if (!node.computed && node.property.type === "Identifier") {
            facts.atoms.push({ kind: "ref", start: node.range[0], name, prop: memberPath(node, parent), at: loc(ctx, node) });
            return;
          }
          if (node.computed) {
            visit(node.property as Node, node, "property", stmt);
            return;
          }
        }
        // `const cfg = makeConfig()`: `cfg.baseUrl` reaches what makeConfig's returned object holds there.
        if (node.object.type === "Identifier" && !node.computed && node.property.type === "Identifier" && facts.values.get(node.object.name)?.call && !ctx.consumed.has(node.object)) {
          facts.atoms.push({ kind: "ref", start: node.range[0], name: node.object.name, prop: node.property.name, at: loc(ctx, node) });
          return;
        }
        const env = envVarName(node);
        if (env) {
          const route = classifyEnvVar(env);
          // `if (process.env.OPENAI_API_KEY)` picks a branch: a mention, not a request.
          if (route && !inBranchTest(node, parent)) facts.atoms.push({ kind: "route", start: node.range[0], route, at: loc(ctx, node), text: `process.env.${env}`, ...stored(parent, parentKey) });
          return;
        }
        if (node.object.type === "ThisExpression" && !node.computed && node.property.type === "Identifier") {
          facts.atoms.push({ kind: "ref", start: node.range[0], name: node.property.name, self: true, at: loc(ctx, node) });
          return;
        }
        if (node.object.type === "Identifier" && !node.computed && node.property.type === "Identifier" && !ctx.consumed.has(node.object)) {
          const imp = facts.imports.get(node.object.name);
          // `IMPLS.ollama.list(…)` on a table imported from a project module: its `ollama` entry only
          // (a provider dispatch table is not followed into every branch; reach.ts resolves it).
          if (imp && (imp.imported === "*" || /^(?:\.|\/|@\/|~\/)/.test(imp.source)) && !providerForPackage(imp.source)) {
            facts.atoms.push({ kind: "ref", start: node.range[0], name: node.object.name, prop: imp.imported === "*" ? node.property.name : memberPath(node, parent), at: loc(ctx, node) });
            return;
          }
        }
        break;
      }
      case "Identifier":
        if (!ctx.consumed.has(node) && isReference(node, parent, parentKey)) {
          const imp = facts.imports.get(node.name);
          const provider = imp && requestsThrough(ctx, imp, node) ? providerForImport(imp.source, imp.imported) : undefined;
          if (imp && !provider && providerForPackage(imp.source)) {
            // An enum, a type helper, a capability table or tool definitions from a provider package: no request.
          } else if (parentKey === "superClass") {
            // A superclass is not a route by itself: subclasses of an OpenAI-compatible client choose their
            // endpoint in `super(…)` (read there); same-file base classes are not followed either.
          } else if (provider) {
            facts.atoms.push({ kind: "route", start: node.range[0], route: routeForProvider(provider), at: loc(ctx, node), text: node.name });
          } else if (facts.values.get(node.name)?.props && readsKeysOnly(node, parent, parentKey)) {
            // `Object.keys(CONFIG_PARSERS)`, `k in URLS`: the table's keys, none of its entries.
          } else if (!isCompared(parent, parentKey)) {
            // (`settings.apiURL === DEFAULT_URL` compares with a URL; it requests nothing.)
            facts.atoms.push({ kind: "ref", start: node.range[0], name: node.name, at: loc(ctx, node), ...stored(parent, parentKey) });
          }
        }
        return;
      default:
        if (node.type.startsWith("TS") && !TS_EXPRESSIONS.has(node.type)) return;
    }

    recordChoice(node, parent, parentKey);
    const isClass = node.type === "ClassDeclaration" || node.type === "ClassExpression";
    const isFn = isFunction(node);
    if (isClass) {
      classStack.push(node.range);
      const cid = (node as TSESTree.ClassDeclaration).id?.name ?? (parent?.type === "VariableDeclarator" && parent.id.type === "Identifier" ? parent.id.name : undefined);
      if (cid) classNames.set(node.range[0], cid);
      const sc = (node as TSESTree.ClassDeclaration).superClass;
      let sup: { source: string; imported: string; name: string } | undefined;
      if (sc?.type === "Identifier") {
        const imp = facts.imports.get(sc.name);
        if (imp && providerForPackage(imp.source)) sup = { source: imp.source, imported: imp.imported === "default" || imp.imported === "*" ? sc.name : imp.imported, name: sc.name };
      } else if (sc?.type === "MemberExpression" && sc.object.type === "Identifier" && sc.property.type === "Identifier") {
        const imp = facts.imports.get(sc.object.name);
        if (imp && providerForPackage(imp.source)) sup = { source: imp.source, imported: sc.property.name, name: sc.property.name };
      }
      superStack.push(sup);
    }
    if (isFn) fnDepth++;
    const keys = visitorKeys[node.type] ?? [];
    const childStmt = parent?.type === "Program" || parent?.type === "ExportNamedDeclaration" && parentKey === "declaration" ? (parent.type === "Program" ? node : parent) : stmt;
    for (const key of keys) {
      if (SKIP_KEYS.has(key)) continue;
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) {
        for (const c of child) if (c && typeof c === "object" && "type" in c) visit(c as Node, node, key, childStmt);
      } else if (child && typeof child === "object" && "type" in (child as object)) {
        visit(child as Node, node, key, childStmt);
      }
    }
    if (isFn) fnDepth--;
    if (isClass) {
      classStack.pop();
      superStack.pop();
    }
  };

  /** Choice branches (see `Alt`); an `else if` continues its parent's chain. */
  const choices: Array<{ group: number; index: number; range: [number, number] }> = [];
  const chainOf = new Map<Node, Alt>();
  const recordChoice = (node: Node, parent: Node | undefined, parentKey: string | undefined) => {
    if (node.type === "IfStatement") {
      const outer = parent?.type === "IfStatement" && parentKey === "alternate" ? chainOf.get(parent) : undefined;
      if (!outer && !isStringTest(node.test)) return;
      const me: Alt = outer ? { group: outer.group, index: outer.index + 1 } : { group: node.range[0], index: 0 };
      chainOf.set(node, me);
      choices.push({ ...me, range: node.consequent.range });
      if (node.alternate && node.alternate.type !== "IfStatement") choices.push({ group: me.group, index: me.index + 1, range: node.alternate.range });
    } else if (node.type === "ConditionalExpression" && isStringTest(node.test)) {
      choices.push({ group: node.range[0], index: 0, range: node.consequent.range });
      choices.push({ group: node.range[0], index: 1, range: node.alternate.range });
    } else if (node.type === "SwitchStatement" && node.cases.some((c) => c.test?.type === "Literal" && typeof c.test.value === "string")) {
      node.cases.forEach((c, i) => choices.push({ group: node.range[0], index: i, range: c.range }));
    }
  };

  const pushField = (cls: [number, number], name: string, range: [number, number]) => {
    const key = `${cls[0]}:${name}`;
    const list = facts.classFields.get(key) ?? [];
    list.push(range);
    facts.classFields.set(key, list);
  };

  for (const stmt of ast.body) visit(stmt, ast, "body", stmt);
  facts.atoms.sort((a, b) => a.start - b.start);
  if (choices.length) {
    // Each atom takes its innermost choice branch: one sweep over atoms and branches in source order
    // (branch ranges nest, so the innermost open one is on top of the stack).
    choices.sort((a, b) => a.range[0] - b.range[0] || b.range[1] - a.range[1]);
    const open: typeof choices = [];
    let next = 0;
    for (const a of facts.atoms) {
      while (next < choices.length && choices[next].range[0] <= a.start) {
        while (open.length && open[open.length - 1].range[1] <= choices[next].range[0]) open.pop();
        open.push(choices[next++]);
      }
      while (open.length && open[open.length - 1].range[1] <= a.start) open.pop();
      const best = open[open.length - 1];
      if (best) a.alt = { group: best.group, index: best.index };
    }
  }
  return facts;
}

/** A test that compares with a string literal (`type === "openai"`, `a == "x" || a == "y"`). */
function isStringTest(test: Node): boolean {
  const work = [test]; // iterative: `a || b || …` may be long
  while (work.length) {
    const t = work.pop()!;
    if (t.type === "LogicalExpression") work.push(t.left, t.right);
    else if (t.type === "BinaryExpression" && /^[!=]==?$/.test(t.operator)) {
      if ([t.left, t.right].some((s) => (s.type === "Literal" && typeof s.value === "string") || (s.type === "TemplateLiteral" && !s.expressions.length))) return true;
    }
  }
  return false;
}

/**
 * The names a function binds itself (parameters, `const`/`let`/`var`, not those of nested
 * functions), computed when reach first asks: a local `messages` or `client` is not the module
 * binding of the same name. Iterative, so a deep body cannot overflow the stack.
 */
function lazyLocals(fn: Node): () => ReadonlySet<string> {
  let names: Set<string> | undefined;
  return () => {
    if (names) return names;
    names = new Set();
    const bind = (p: Node | null | undefined) => {
      const work: Array<Node | null | undefined> = [p];
      while (work.length) {
        const n = work.pop();
        if (!n) continue;
        if (n.type === "Identifier") names!.add(n.name);
        else if (n.type === "AssignmentPattern") work.push(n.left);
        else if (n.type === "RestElement") work.push(n.argument);
        else if (n.type === "ArrayPattern") work.push(...n.elements);
        else if (n.type === "ObjectPattern") for (const q of n.properties) work.push(q.type === "Property" ? q.value : q.argument);
        else if (n.type === "TSParameterProperty") work.push(n.parameter);
      }
    };
    if (!isFunction(fn)) return names;
    for (const p of fn.params) bind(p);
    const stack: Node[] = fn.body ? [fn.body as Node] : [];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.type === "VariableDeclarator") bind(n.id);
      if (n.type === "CatchClause" && n.param) bind(n.param);
      for (const key of visitorKeys[n.type] ?? []) {
        if (SKIP_KEYS.has(key)) continue;
        const c = (n as unknown as Record<string, unknown>)[key];
        const kids = Array.isArray(c) ? c : [c];
        for (const k of kids) if (k && typeof k === "object" && "type" in k && !isFunction(k as Node) && (k as Node).type !== "ClassDeclaration" && (k as Node).type !== "ClassExpression") stack.push(k as Node);
      }
    }
    return names;
  };
}

/** `T.a.b.c` read from its innermost member `T.a`: "a.b.c" (three levels at most, non-computed). */
function memberPath(node: TSESTree.MemberExpression, parent: Node | undefined): string {
  let path = (node.property as TSESTree.Identifier).name;
  let cur: Node = node;
  let up: Node | undefined = parent;
  for (let i = 0; i < 2 && up?.type === "MemberExpression" && up.object === cur && !up.computed && up.property.type === "Identifier"; i++) {
    path += "." + up.property.name;
    cur = up;
    up = (up as { parent?: Node }).parent;
  }
  return path;
}

/** Nesting depth (AST levels) beyond which the facts walk stops descending. */
const MAX_VISIT_DEPTH = 1_000;

const TS_EXPRESSIONS = new Set(["TSAsExpression", "TSNonNullExpression", "TSSatisfiesExpression", "TSTypeAssertion", "TSExportAssignment", "TSModuleDeclaration", "TSModuleBlock", "TSParameterProperty", "TSInstantiationExpression"]);

/** The properties of the object literal a function returns (`() => ({…})`, or its body's top-level `return {…}`). */
function returnedProps(fn: Node): Map<string, [number, number]> | undefined {
  if (!isFunction(fn)) return undefined;
  const body = (fn as TSESTree.ArrowFunctionExpression).body;
  let obj: Node | undefined = body ? unwrap(body as Node) : undefined;
  if (obj?.type === "BlockStatement") {
    const ret = obj.body.filter((s): s is TSESTree.ReturnStatement => s.type === "ReturnStatement");
    obj = ret.length === 1 && ret[0].argument ? unwrap(ret[0].argument) : undefined;
  }
  if (obj?.type !== "ObjectExpression") return undefined;
  const props = new Map<string, [number, number]>();
  for (const p of obj.properties) {
    const k = p.type === "Property" ? propName(p.key, p.computed) : undefined;
    if (p.type !== "Property" || !k) return undefined;
    props.set(k, p.value.range);
  }
  return props;
}

/**
 * Is this value stored rather than used: a property of an object literal (not a client's options,
 * read at the construction) or assigned to a member (`settings.groqAPIURL = "…"`, not `this.x`)?
 * Reach treats two or more stored routes in one function or value as a settings table (reach.ts).
 */
function stored(parent: Node | undefined, key: string | undefined): { stored?: true } {
  if (parent?.type === "Property" && key === "value" && parent.parent?.type === "ObjectExpression") return { stored: true };
  if (parent?.type === "AssignmentExpression" && key === "right" && parent.left.type === "MemberExpression" && parent.left.object.type !== "ThisExpression") return { stored: true };
  return {};
}

/** Is `node` inside the test of an `if`, `?:` or loop (up to its statement; parent pointers where the AST has them)? */
function inBranchTest(node: Node, parent: Node | undefined): boolean {
  let child: Node = node;
  let up: Node | undefined = parent;
  for (let i = 0; up && i < 12; i++) {
    if ((up.type === "IfStatement" || up.type === "ConditionalExpression" || up.type === "WhileStatement") && up.test === child) return true;
    if (up.type.endsWith("Statement") || up.type.endsWith("Declaration") || isFunction(up)) return false;
    child = up;
    up = (up as { parent?: Node }).parent;
  }
  return false;
}

/** A comparison with a URL or a const (`url === DEFAULT_URL`, `url.startsWith("https://api.openai.com")`): a mention, no request. */
function isCompared(parent: Node | undefined, key: string | undefined): boolean {
  if (parent?.type === "BinaryExpression") return /^[!=]==?$/.test(parent.operator);
  if (parent?.type === "CallExpression" && key === "arguments") {
    const c = parent.callee;
    return c.type === "MemberExpression" && !c.computed && c.property.type === "Identifier" && /^(?:startsWith|endsWith|includes|indexOf)$/.test(c.property.name);
  }
  return false;
}

/** Keys whose value is a link for people (a docs page, an icon), not an endpoint anything requests. */
const LINK_KEY = /^(?:placeholder|example|hint|docs?|documentation|ref|reference|help|info|homepage|home|website|site|page|icon|logo|avatar|image|learnMore|signup|signUp|pricing|terms|privacy|source|repo|repository|github|changelog|blog)(?:_?(?:url|uri|link|href|page))?$|^(?:href|link|links)$/i;
function isLinkValue(parent: Node | undefined, key: string | undefined): boolean {
  // A JSX attribute (`placeholder="http://localhost:8000/v1"`, `href=…`) is UI text: nothing requests it.
  if (parent?.type === "JSXAttribute" || (parent?.type === "JSXExpressionContainer" && parent.parent?.type === "JSXAttribute")) return true;
  if (parent?.type !== "Property" || key !== "value") return false;
  const k = propName(parent.key, parent.computed);
  return !!k && LINK_KEY.test(k);
}

/** Default provider instances exported by name (`openai("gpt-4o")`, `ollama("llama3")`, `anthropic.messages`). */
const PROVIDER_INSTANCE = /^(?:openai|azure|anthropic|google|vertex|vertexAnthropic|mistral|groq|xai|deepseek|cohere|perplexity|togetherai|fireworks|cerebras|deepinfra|bedrock|ollama|openrouter|lmstudio)$/;

/**
 * Does this use of an import from a provider package make a model request? A default / namespace
 * import or a provider instance that is called (`ollama.chat(…)`, `openai("gpt-4o")`) does; an
 * enum, a type helper, a capability table or tool definitions (anything from a subpath such as
 * `/internal`, `/models`) do not. Constructions (`new OpenAI()`, `createOpenAI()`) are read at the call.
 */
function requestsThrough(ctx: Ctx, imp: ImportInfo, node: Node): boolean {
  if (!clientPackage(imp.source)) return false;
  const instance = imp.imported === "default" || imp.imported === "*" || PROVIDER_INSTANCE.test(imp.imported);
  return instance && ctx.calledRoots.has(node);
}

/** A provider's client package itself (or a listed entry such as `ollama/browser`), not a helper subpath. */
function clientPackage(source: string): boolean {
  const p = providerForPackage(source);
  return !!p && (p.packages.includes(source) || /\/(?:index|browser|node|edge|web)(?:\.m?js)?$/.test(source));
}

/** `Object.keys(table)` or `key in table`: only the keys of a lookup table are read. */
function readsKeysOnly(node: Node, parent: Node | undefined, key: string | undefined): boolean {
  if (parent?.type === "BinaryExpression") return parent.operator === "in" && key === "right";
  if (parent?.type !== "CallExpression" || key !== "arguments" || parent.arguments[0] !== node) return false;
  const c = parent.callee;
  return c.type === "MemberExpression" && !c.computed && c.object.type === "Identifier" && c.object.name === "Object" && c.property.type === "Identifier" && c.property.name === "keys";
}

/** Is this identifier a value reference (not a declaration, key or member name)? */
function isReference(node: TSESTree.Identifier, parent: Node | undefined, key: string | undefined): boolean {
  if (!parent) return false;
  switch (parent.type) {
    case "MemberExpression":
      return key === "object" || parent.computed;
    case "Property":
      return key === "value" || (key === "key" && parent.computed);
    case "PropertyDefinition":
    case "MethodDefinition":
    case "TSAbstractMethodDefinition":
      return key === "value" || (key === "key" && parent.computed);
    case "VariableDeclarator":
      return key === "init";
    case "FunctionDeclaration":
    case "FunctionExpression":
    case "ArrowFunctionExpression":
      return key === "body";
    case "ClassDeclaration":
    case "ClassExpression":
      return key === "superClass";
    case "ImportSpecifier":
    case "ImportDefaultSpecifier":
    case "ImportNamespaceSpecifier":
    case "ExportSpecifier":
    case "LabeledStatement":
    case "BreakStatement":
    case "ContinueStatement":
    case "CatchClause":
    case "RestElement":
    case "ArrayPattern":
    case "ObjectPattern":
    case "TSPropertySignature":
    case "TSEnumMember":
      return false;
    case "AssignmentPattern":
      return key === "right";
    default:
      return true;
  }
}
