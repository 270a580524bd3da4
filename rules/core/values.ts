/**
 * Static value resolution shared by the LLM-call rules: what does an expression evaluate to,
 * as far as the code shows? Follows `const`s (and `let`s never reassigned), object literals
 * with spreads, member reads of known objects, parameter / destructuring defaults
 * (`temperature = 0`) and — when the caller supplies type information — imported constants
 * (their literal type). Anything else is `unknown`, and rules never report an unknown.
 *
 * ESTree only; scope lookup and type queries come in through a `ValueEnv`, so the core does
 * not depend on ESLint.
 */
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";

type Node = TSESTree.Node;
export type Variable = TSESLint.Scope.Variable;

export interface ValueEnv {
  /** The variable an identifier refers to (scope-resolved), if any. */
  variableOf(id: TSESTree.Identifier): Variable | undefined;
  /** A literal value known from the type checker (imported `const X = 0`), when available. */
  typeLiteral?(node: Node): string | number | boolean | undefined;
}

export type Value =
  | { kind: "unknown"; node: Node }
  | { kind: "literal"; value: string | number | boolean | null | undefined; node: Node }
  | { kind: "object"; node: Node; props: Map<string, Node>; complete: boolean }
  | { kind: "array"; node: Node; elements: Node[]; complete: boolean }
  | { kind: "env"; name: string; node: Node };

export type Prop =
  | { state: "present"; node: Node; value: Value }
  | { state: "absent" }
  | { state: "unknown" };

const MAX_DEPTH = 12;

export function unwrapExpr(node: Node): Node {
  let n = node;
  for (;;) {
    if (n.type === "TSAsExpression" || n.type === "TSNonNullExpression" || n.type === "TSSatisfiesExpression" || n.type === "TSTypeAssertion" || n.type === "ChainExpression") n = n.expression;
    else return n;
  }
}

export function keyName(key: Node, computed: boolean): string | undefined {
  if (!computed && key.type === "Identifier") return key.name;
  if (key.type === "Literal" && (typeof key.value === "string" || typeof key.value === "number")) return String(key.value);
  if (computed && key.type === "TemplateLiteral" && key.expressions.length === 0) return key.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

/** `process.env.X`, `process.env["X"]`, `import.meta.env.X` → X. */
function envName(n: Node): string | undefined {
  if (n.type !== "MemberExpression") return undefined;
  const o = n.object;
  if (o.type !== "MemberExpression" || o.computed || o.property.type !== "Identifier" || o.property.name !== "env") return undefined;
  if (!((o.object.type === "Identifier" && o.object.name === "process") || o.object.type === "MetaProperty")) return undefined;
  return keyName(n.property, n.computed);
}

/** Is the variable written anywhere besides its declaration (reassigned)? */
function reassigned(v: Variable): boolean {
  return v.references.some((r) => r.isWrite() && !r.init);
}

/** Is the object bound to `v` mutated after creation (`v.x = …`, `Object.assign(v, …)`, `delete v.x`)? */
function mutated(v: Variable): boolean {
  for (const r of v.references) {
    const id = r.identifier as Node;
    const p = id.parent;
    if (!p) continue;
    if (p.type === "MemberExpression" && p.object === id) {
      const gp = p.parent;
      if (gp?.type === "AssignmentExpression" && gp.left === p) return true;
      if (gp?.type === "UnaryExpression" && gp.operator === "delete") return true;
    }
    if (p.type === "CallExpression" && p.arguments[0] === id && p.callee.type === "MemberExpression" && p.callee.object.type === "Identifier" && p.callee.object.name === "Object" && !p.callee.computed && p.callee.property.type === "Identifier" && p.callee.property.name === "assign") return true;
  }
  return false;
}

/** The expression a binding identifier stands for: a const/let initialiser, a destructured property, a default. */
export function definitionOf(id: TSESTree.Identifier, env: ValueEnv): { init?: Node; fallback?: Node; variable?: Variable; param?: boolean } {
  const v = env.variableOf(id);
  if (!v || v.defs.length !== 1) return { variable: v };
  const def = v.defs[0];
  const name = def.name as Node;
  if (def.type === "Variable") {
    const decl = def.node as TSESTree.VariableDeclarator;
    const kind = (def.parent as TSESTree.VariableDeclaration | null)?.kind;
    if (kind !== "const" && reassigned(v)) return { variable: v };
    if (decl.id === name) return { init: decl.init ?? undefined, variable: v };
    // const { temperature = 0 } = opts  →  opts.temperature, falling back to 0
    const pat = patternPath(name, decl.id);
    if (pat && decl.init) return { init: pat.path.length ? memberPath(decl.init, pat.path) : decl.init, fallback: pat.fallback, variable: v };
    return { variable: v };
  }
  if (def.type === "Parameter") {
    if (reassigned(v)) return { variable: v, param: true };
    const p = name.parent;
    if (p?.type === "AssignmentPattern" && p.left === name) return { fallback: p.right, variable: v, param: true };
    if (p?.type === "Property" && p.value === name) return { variable: v, param: true };
    if (p?.type === "AssignmentPattern") return { variable: v, param: true };
    // destructured parameter `{ temperature = 0 }`
    let n: Node | undefined = name;
    while (n && n.parent && n.parent.type !== "FunctionDeclaration" && n.parent.type !== "FunctionExpression" && n.parent.type !== "ArrowFunctionExpression") {
      if (n.parent.type === "AssignmentPattern" && n.parent.left === n && n === name) return { fallback: n.parent.right, variable: v, param: true };
      n = n.parent;
    }
    return { variable: v, param: true };
  }
  return { variable: v };
}

/** Path of keys from a destructuring pattern's root to `name`, and its default. */
function patternPath(name: Node, root: Node): { path: string[]; fallback?: Node } | undefined {
  const path: string[] = [];
  let fallback: Node | undefined;
  let n: Node = name;
  while (n !== root) {
    const p = n.parent;
    if (!p) return undefined;
    if (p.type === "AssignmentPattern") {
      if (n === p.left && !path.length) fallback = p.right;
    } else if (p.type === "Property") {
      const k = keyName(p.key, p.computed);
      if (!k) return undefined;
      path.unshift(k);
    } else if (p.type === "ObjectPattern") {
      // keep climbing
    } else return undefined;
    n = p;
  }
  return { path, fallback };
}

/** A synthetic marker: the value of `base.a.b` is read through getPath. */
const PATH_NODES = new WeakMap<object, { base: Node; path: string[] }>();
function memberPath(base: Node, path: string[]): Node {
  const marker = { type: "Identifier", name: "__path__", range: base.range, loc: base.loc, parent: base.parent } as unknown as Node;
  PATH_NODES.set(marker, { base, path });
  return marker;
}

/** Resolve an expression to what the code statically shows. */
export function resolveValue(node: Node | undefined | null, env: ValueEnv, depth = 0): Value {
  if (!node) return { kind: "unknown", node: node as unknown as Node };
  if (depth > MAX_DEPTH) return { kind: "unknown", node };
  const viaPath = PATH_NODES.get(node);
  if (viaPath) {
    const p = getPath(resolveValue(viaPath.base, env, depth + 1), viaPath.path, env, depth + 1);
    return p.state === "present" ? p.value : { kind: "unknown", node };
  }
  const n = unwrapExpr(node);
  switch (n.type) {
    case "Literal":
      if (n.value === null || typeof n.value === "string" || typeof n.value === "number" || typeof n.value === "boolean") return { kind: "literal", value: n.value, node: n };
      return { kind: "unknown", node: n };
    case "UnaryExpression": {
      if (n.operator === "-" || n.operator === "+") {
        const a = resolveValue(n.argument, env, depth + 1);
        if (a.kind === "literal" && typeof a.value === "number") return { kind: "literal", value: n.operator === "-" ? -a.value : a.value, node: n };
      }
      if (n.operator === "void") return { kind: "literal", value: undefined, node: n };
      return { kind: "unknown", node: n };
    }
    case "TemplateLiteral": {
      let out = "";
      for (let i = 0; i < n.quasis.length; i++) {
        out += n.quasis[i].value.cooked ?? "";
        if (i < n.expressions.length) {
          const r = resolveValue(n.expressions[i] as Node, env, depth + 1);
          if (r.kind !== "literal") return { kind: "unknown", node: n };
          out += String(r.value);
        }
      }
      return { kind: "literal", value: out, node: n };
    }
    case "Identifier": {
      if (n.name === "undefined") return { kind: "literal", value: undefined, node: n };
      const d = definitionOf(n, env);
      if (d.init) {
        const r = resolveValue(d.init, env, depth + 1);
        if (r.kind === "literal" && r.value === undefined && d.fallback) return resolveValue(d.fallback, env, depth + 1);
        if (r.kind === "unknown" && d.fallback && PATH_NODES.has(d.init)) {
          // `const { t = 0 } = opts` with opts known to lack `t`
          const via = PATH_NODES.get(d.init)!;
          const p = getPath(resolveValue(via.base, env, depth + 1), via.path, env, depth + 1);
          if (p.state === "absent") return resolveValue(d.fallback, env, depth + 1);
        }
        if (r.kind === "object" && d.variable && mutated(d.variable)) return { ...r, complete: false };
        return r;
      }
      if (d.fallback) return resolveValue(d.fallback, env, depth + 1);
      const t = env.typeLiteral?.(n);
      if (t !== undefined) return { kind: "literal", value: t, node: n };
      return { kind: "unknown", node: n };
    }
    case "MemberExpression": {
      const e = envName(n);
      if (e) return { kind: "env", name: e, node: n };
      const k = keyName(n.property, n.computed);
      if (k !== undefined) {
        const base = resolveValue(n.object, env, depth + 1);
        const p = getProp(base, k, env, depth + 1);
        if (p.state === "present") return p.value;
      }
      const t = env.typeLiteral?.(n);
      if (t !== undefined) return { kind: "literal", value: t, node: n };
      return { kind: "unknown", node: n };
    }
    case "ObjectExpression": {
      const props = new Map<string, Node>();
      let complete = true;
      for (const p of n.properties) {
        if (p.type === "SpreadElement") {
          // `...(cond ? { temperature } : {})`, `...(cond && { temperature })`: the keys of every
          // branch are set on some path; the object stays complete when every branch is known.
          const branches = conditionalBranches(p.argument);
          if (branches) {
            for (const b of branches) {
              const s = resolveValue(b, env, depth + 1);
              if (s.kind === "object") {
                for (const [k, v] of s.props) props.set(k, v);
                if (!s.complete) complete = false;
              } else if (!(s.kind === "literal" && !s.value)) complete = false;
            }
            continue;
          }
          const s = resolveValue(p.argument, env, depth + 1);
          if (s.kind === "object") {
            for (const [k, v] of s.props) props.set(k, v);
            if (!s.complete) complete = false;
          } else if (!(s.kind === "literal" && (s.value === undefined || s.value === null))) {
            complete = false;
          }
          continue;
        }
        const k = keyName(p.key, p.computed);
        if (k === undefined) {
          complete = false;
          continue;
        }
        props.set(k, p.value as Node);
      }
      return { kind: "object", node: n, props, complete };
    }
    case "ArrayExpression": {
      const elements: Node[] = [];
      let complete = true;
      for (const el of n.elements) {
        if (!el) continue;
        if (el.type === "SpreadElement") {
          const s = resolveValue(el.argument, env, depth + 1);
          if (s.kind === "array") {
            elements.push(...s.elements);
            if (!s.complete) complete = false;
          } else complete = false;
        } else elements.push(el);
      }
      return { kind: "array", node: n, elements, complete };
    }
    case "ConditionalExpression": {
      const a = resolveValue(n.consequent, env, depth + 1);
      const b = resolveValue(n.alternate, env, depth + 1);
      if (a.kind === "literal" && b.kind === "literal" && a.value === b.value) return a;
      return { kind: "unknown", node: n };
    }
    case "LogicalExpression": {
      const l = resolveValue(n.left, env, depth + 1);
      if (l.kind === "literal") {
        const nullish = l.value === null || l.value === undefined;
        if (n.operator === "??") return nullish ? resolveValue(n.right, env, depth + 1) : l;
        if (n.operator === "||") return l.value ? l : resolveValue(n.right, env, depth + 1);
        if (n.operator === "&&") return l.value ? resolveValue(n.right, env, depth + 1) : l;
      }
      if (l.kind === "object" && (n.operator === "??" || n.operator === "||")) return l;
      return { kind: "unknown", node: n };
    }
    default:
      return { kind: "unknown", node: n };
  }
}

/** The values a conditional spread argument may take: `c ? a : b` → [a, b]; `c && a` → [a] (else falsy, spreads nothing). */
function conditionalBranches(arg: Node): Node[] | undefined {
  const n = unwrapExpr(arg);
  if (n.type === "ConditionalExpression") return [n.consequent, n.alternate];
  if (n.type === "LogicalExpression" && n.operator === "&&" && unwrapExpr(n.right).type === "ObjectExpression") return [n.right];
  return undefined;
}

/** Property `key` of a resolved value: present (with its value), absent (the object is fully known), or unknown. */
export function getProp(v: Value, key: string, env: ValueEnv, depth = 0): Prop {
  if (v.kind === "object") {
    const node = v.props.get(key);
    if (node) return { state: "present", node, value: resolveValue(node, env, depth + 1) };
    return v.complete ? { state: "absent" } : { state: "unknown" };
  }
  if (v.kind === "literal" && (v.value === undefined || v.value === null)) return { state: "absent" };
  return { state: "unknown" };
}

/** Nested property: `options.temperature`, `generationConfig.maxOutputTokens`. */
export function getPath(v: Value, path: string[], env: ValueEnv, depth = 0): Prop {
  let cur: Prop = { state: "present", node: v.node, value: v };
  for (const k of path) {
    if (cur.state !== "present") return cur;
    cur = getProp(cur.value, k, env, depth);
  }
  return cur;
}

/**
 * Text of a URL-ish expression with unresolvable parts replaced by `\u0000` (so a path suffix
 * like `${base}/api/chat` is still visible), or undefined when nothing is known.
 */
export function resolveUrlText(node: Node | undefined | null, env: ValueEnv, depth = 0): string | undefined {
  if (!node || depth > MAX_DEPTH) return undefined;
  if (PATH_NODES.has(node)) {
    const v = resolveValue(node, env, depth + 1);
    return v.kind === "literal" && typeof v.value === "string" ? v.value : undefined;
  }
  const n = unwrapExpr(node);
  if (n.type === "TemplateLiteral") {
    let out = "";
    for (let i = 0; i < n.quasis.length; i++) {
      out += n.quasis[i].value.cooked ?? "";
      if (i < n.expressions.length) out += resolveUrlText(n.expressions[i] as Node, env, depth + 1) ?? "\u0000";
    }
    return out;
  }
  if (n.type === "BinaryExpression" && n.operator === "+") {
    const a = resolveUrlText(n.left as Node, env, depth + 1) ?? "\u0000";
    const b = resolveUrlText(n.right, env, depth + 1) ?? "\u0000";
    return a + b;
  }
  if (n.type === "NewExpression" && n.callee.type === "Identifier" && n.callee.name === "URL" && n.arguments.length) {
    const path = resolveUrlText(n.arguments[0] as Node, env, depth + 1);
    const base = n.arguments[1] ? resolveUrlText(n.arguments[1] as Node, env, depth + 1) ?? "\u0000" : "";
    if (path === undefined) return undefined;
    if (/^[a-z]+:\/\//i.test(path)) return path;
    return base.replace(/\/+$/, "") + (path.startsWith("/") ? path : "/" + path);
  }
  if (n.type === "LogicalExpression" && (n.operator === "??" || n.operator === "||")) {
    // `process.env.OLLAMA_HOST ?? "http://localhost:11434"`: the code's own default
    const l = resolveValue(n.left, env, depth + 1);
    if (l.kind === "literal" && typeof l.value === "string" && l.value) return l.value;
    return resolveUrlText(n.right, env, depth + 1);
  }
  if (n.type === "Identifier") {
    const d = definitionOf(n, env);
    if (d.init) return resolveUrlText(d.init, env, depth + 1) ?? (d.fallback ? resolveUrlText(d.fallback, env, depth + 1) : undefined);
    if (d.fallback) return resolveUrlText(d.fallback, env, depth + 1);
  }
  if (n.type === "MemberExpression" && n.object.type === "ThisExpression") {
    const init = thisFieldInit(n);
    if (init) return resolveUrlText(init, env, depth + 1);
  }
  const v = resolveValue(n, env, depth + 1);
  if (v.kind === "literal" && typeof v.value === "string") return v.value;
  return undefined;
}

/**
 * `this.x` inside a class: the one expression the class gives the field, from its initialiser
 * (`chatUrl = "…"`) or a top-level `this.x = …` of the constructor. Only the class body's own
 * members and the constructor's statements are read (no walk); two candidates, a static or
 * computed key, or a `function` in between (its `this` is another object) give undefined.
 */
export function thisFieldInit(m: TSESTree.MemberExpression): Node | undefined {
  if (m.object.type !== "ThisExpression") return undefined;
  const key = keyName(m.property, m.computed);
  if (key === undefined) return undefined;
  let body: TSESTree.ClassBody | undefined;
  for (let p: Node | undefined = m.parent; p; p = p.parent) {
    if (p.type === "ClassBody") {
      body = p;
      break;
    }
    if ((p.type === "FunctionExpression" && p.parent?.type !== "MethodDefinition" && p.parent?.type !== "PropertyDefinition") || p.type === "FunctionDeclaration") return undefined;
  }
  if (!body) return undefined;
  let found: Node | undefined;
  let count = 0;
  for (const member of body.body) {
    if (member.type === "PropertyDefinition" && !member.static && keyName(member.key, member.computed) === key && member.value) {
      found = member.value;
      count++;
    } else if (member.type === "MethodDefinition" && member.kind === "constructor" && member.value.body) {
      for (const st of member.value.body.body) {
        if (st.type !== "ExpressionStatement" || st.expression.type !== "AssignmentExpression" || st.expression.operator !== "=") continue;
        const l = st.expression.left;
        if (l.type === "MemberExpression" && l.object.type === "ThisExpression" && keyName(l.property, l.computed) === key) {
          found = st.expression.right;
          count++;
        }
      }
    }
  }
  return count === 1 ? found : undefined;
}

/** Minimal view of an ESLint rule context that a ValueEnv needs (no ESLint import at runtime). */
interface ContextLike {
  sourceCode: {
    ast: object;
    getScope(node: Node): TSESLint.Scope.Scope;
    parserServices?: { program?: unknown; esTreeNodeToTSNodeMap?: { get(n: Node): unknown } } | null;
  };
}

const envCache = new WeakMap<object, ValueEnv>();

/** The ValueEnv of a linted file: ESLint's scope manager, plus the type checker when the user lints with types. */
export function valueEnvOf(context: ContextLike): ValueEnv {
  const sc = context.sourceCode;
  let env = envCache.get(sc.ast);
  if (env) return env;
  const services = sc.parserServices;
  type Checker = { getTypeAtLocation(n: unknown): { isNumberLiteral?(): boolean; isStringLiteral?(): boolean; value?: unknown; flags: number } };
  const program = services?.program as { getTypeChecker(): Checker } | undefined;
  const map = services?.esTreeNodeToTSNodeMap;
  let checker: Checker | undefined;
  env = {
    variableOf(id) {
      let scope: TSESLint.Scope.Scope | null = null;
      try {
        scope = sc.getScope(id);
      } catch {
        return undefined;
      }
      for (let s: TSESLint.Scope.Scope | null = scope; s; s = s.upper) {
        const v = s.set.get(id.name);
        if (v) return v;
      }
      return undefined;
    },
    typeLiteral: program && map
      ? (node) => {
          try {
            checker ??= program.getTypeChecker();
            const t = checker.getTypeAtLocation(map.get(node));
            if (t.isNumberLiteral?.() || t.isStringLiteral?.()) return t.value as number | string;
            // boolean literal types: flags BooleanLiteral (512) with intrinsicName
            const name = (t as { intrinsicName?: string }).intrinsicName;
            if (t.flags & 512 && (name === "true" || name === "false")) return name === "true";
          } catch {
            /* no type info for this node */
          }
          return undefined;
        }
      : undefined,
  };
  envCache.set(sc.ast, env);
  return env;
}
