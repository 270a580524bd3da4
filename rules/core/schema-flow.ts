/**
 * The schema data flow of require-llm-schema (SPEC §2.5), as a core function over a file's LLM
 * calls: from every model output (SDK results, `res.json()` of a model HTTP call, helpers that
 * return model text, and shapes that are model output whatever their variable) to `JSON.parse`,
 * and from there to its first use before (or instead of) a validator. The rule reports; this decides.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { memberChain, type LlmCall, type LlmFile } from "./llm-calls.js";
import { getPath, getProp, keyName, resolveValue, unwrapExpr, type Value, type ValueEnv, type Variable } from "./values.js";

/** Wrappers a value passes through unchanged (`await`, casts, `!`, `?.` chains): both walks below step over them. */
const TRANSPARENT = new Set<string>(["AwaitExpression", "TSAsExpression", "TSNonNullExpression", "TSSatisfiesExpression", "TSTypeAssertion", "ChainExpression"]);

type Node = TSESTree.Node;

export interface Origin {
  call?: LlmCall;
  enforced: boolean;
  /** What the data is, for the message: `completion`, `tool-call arguments`. */
  what: string;
  /** Recognised by its shape only (`x.function.arguments`), not followed from a model call. */
  shape?: boolean;
  /** The shape's access path shows a model *response* (`delta.tool_calls`, `choices[i].message.tool_calls`), not stored history. */
  response?: boolean;
}

export type Use =
  | { kind: "none" }
  | { kind: "validated" }
  | { kind: "use"; node: Node; desc: string; unchecked?: boolean };

const ARRAY_CALLBACK = new Set(["map", "forEach", "filter", "find", "findLast", "flatMap", "some", "every", "reduce", "then"]);
const PASSTHROUGH = /^(?:extract|clean|strip|sanitize|sanitise|repair|fix|trim|unwrap|remove|parseCodeBlock|get(?:Text|Content|Json|JSON))|(?:json|JSON|Json|fence|Fence|codeblock|CodeBlock|markdown|Markdown)/;
const NEUTRAL_CALLS = /^(?:console\.\w+|JSON\.stringify|String|Boolean|Number|Array\.isArray|Object\.keys|Object\.entries|Object\.values|logger\.\w+|log|debug|assert\.ok)$/;
const VALIDATOR_METHODS = new Set(["parse", "safeParse", "parseAsync", "safeParseAsync", "spa", "decode", "Decode", "Check", "check", "Parse", "validate", "validateSync", "validateAsync", "assert", "is", "cast", "conform", "guard", "assertType", "Assert", "Errors", "create", "mask", "from", "load", "decodeUnknown", "decodeUnknownSync", "decodeUnknownEither", "safeDecode"]);
const NON_VALIDATOR_OBJECTS = new Set(["JSON", "JSON5", "YAML", "yaml", "qs", "querystring", "path", "url", "URL", "Date", "Number", "parseInt", "Math", "dayjs", "moment", "marked", "cheerio"]);
export const DEFAULT_VALIDATOR_NAME = "^(?:validate|assert|is|ensure|check|verify|guard|parse|safeParse|decode|conform|coerce|sanitize|normali[sz]e)(?:[A-Z_\\d]\\w*)?$|(?:Schema|Validator|Codec|Guard|Type)$";

function isJsonParse(n: Node): boolean {
  if (n.type !== "CallExpression") return false;
  const c = unwrapExpr(n.callee);
  return c.type === "MemberExpression" && c.object.type === "Identifier" && c.object.name === "JSON" && keyName(c.property, c.computed) === "parse";
}

function calleeText(call: TSESTree.CallExpression | TSESTree.NewExpression): string | undefined {
  const c = unwrapExpr(call.callee);
  if (c.type === "Identifier") return c.name;
  const ch = memberChain(c);
  if (!ch) return undefined;
  const root = ch.root.type === "Identifier" ? ch.root.name : ch.root.type === "ThisExpression" ? "this" : "…";
  return [root, ...ch.path].join(".");
}

function lastName(call: TSESTree.CallExpression | TSESTree.NewExpression): string | undefined {
  const c = unwrapExpr(call.callee);
  if (c.type === "Identifier") return c.name;
  if (c.type === "MemberExpression") return keyName(c.property, c.computed);
  return undefined;
}

function fnOf(n: Node): TSESTree.FunctionLike | undefined {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === "FunctionDeclaration" || p.type === "FunctionExpression" || p.type === "ArrowFunctionExpression") return p;
  }
  return undefined;
}

function fnName(fn: TSESTree.FunctionLike): string | undefined {
  if ((fn.type === "FunctionDeclaration" || fn.type === "FunctionExpression") && fn.id) return fn.id.name;
  const p = fn.parent;
  if (p?.type === "VariableDeclarator" && p.id.type === "Identifier") return p.id.name;
  if ((p?.type === "MethodDefinition" || p?.type === "Property" || p?.type === "PropertyDefinition") && !p.computed) return keyName(p.key, false);
  return undefined;
}

/** `(): unknown`, `Promise<unknown>` */
function returnsUnknown(fn: TSESTree.FunctionLike): boolean {
  const t = fn.returnType?.typeAnnotation;
  if (!t) return false;
  if (t.type === "TSUnknownKeyword") return true;
  if (t.type === "TSTypeReference" && t.typeName.type === "Identifier" && t.typeName.name === "Promise") {
    const a = t.typeArguments?.params[0];
    return a?.type === "TSUnknownKeyword";
  }
  return false;
}

function exits(stmt: Node | null | undefined, depth = 0): boolean {
  if (!stmt || depth > 50) return false;
  if (stmt.type === "ThrowStatement" || stmt.type === "ReturnStatement" || stmt.type === "ContinueStatement" || stmt.type === "BreakStatement") return true;
  if (stmt.type === "BlockStatement") return stmt.body.some((s) => exits(s, depth + 1));
  if (stmt.type === "ExpressionStatement") {
    const e = unwrapExpr(stmt.expression);
    return e.type === "CallExpression" && /^(?:process\.exit|fail|bail|abort)$|^throw/i.test(calleeText(e) ?? "");
  }
  return false;
}

/** A hand-written shape check with an early exit: `if (typeof x.a !== "string" || !Array.isArray(x.b)) throw …`. */
function isGuard(ref: Node): boolean {
  let sawCheck = false;
  for (let n: Node = ref; n.parent; n = n.parent) {
    const p: Node = n.parent;
    if (p.type === "UnaryExpression" && (p.operator === "typeof" || p.operator === "!")) sawCheck = true;
    else if (p.type === "BinaryExpression" && (p.operator === "in" || p.operator === "instanceof")) sawCheck = true;
    else if (p.type === "BinaryExpression" && /^[!=]==?$/.test(p.operator)) {
      const other = p.left === n ? p.right : p.left;
      if ((other.type === "Literal" && other.value === null) || (other.type === "Identifier" && other.name === "undefined") || other.type === "UnaryExpression") sawCheck = true;
    } else if (p.type === "CallExpression" && /^(?:Array\.isArray|Number\.isFinite|Number\.isInteger|Object\.hasOwn)$/.test(calleeText(p) ?? "")) sawCheck = true;
    if ((p.type === "IfStatement" && p.test === n) || (p.type === "ConditionalExpression" && p.test === n)) return sawCheck && (p.type === "IfStatement" ? exits(p.consequent) : false);
    if (p.type.endsWith("Statement") || p.type === "VariableDeclarator" || p.type.startsWith("Function") || p.type === "ArrowFunctionExpression") return false;
  }
  return false;
}

export function shorten(s: string): string {
  const one = s.replace(/\s+/g, " ");
  return one.length > 60 ? one.slice(0, 57) + "…" : one;
}

/** Shapes that are model output whatever their variable: tool-call arguments, completion text. */
export function shapeOf(arg: Node, env: ValueEnv): string | undefined {
  let n = unwrapExpr(arg);
  if (n.type === "Identifier") {
    const v = resolveValue(n, env);
    if (v.kind === "unknown" && v.node !== n) n = unwrapExpr(v.node);
  }
  if (n.type !== "MemberExpression") return undefined;
  const names: string[] = [];
  let cur: Node = n;
  while (cur.type === "MemberExpression") {
    names.unshift(keyName(cur.property, cur.computed) ?? (cur.computed ? "[]" : "?"));
    cur = unwrapExpr(cur.object);
  }
  const s = names.join(".");
  if (/(?:^|\.)function\.arguments$/.test(s)) return "tool-call arguments";
  // V1: `fn.arguments` on a parameter that *is* the function call (by its SDK type first, its name second).
  if (s === "arguments" && cur.type === "Identifier" && isFunctionCallParam(cur, env)) return "function-call arguments";
  if (/(?:^|\.)choices\.(?:\d+|\[\])\.(?:message|delta)\.content$/.test(s) || /(?:^|\.)choices\.(?:\d+|\[\])\.text$/.test(s)) return "a completion's text";
  if (/(?:^|\.)output_text$/.test(s)) return "a response's output_text";
  if (/(?:^|\.)candidates\.(?:\d+|\[\])\.content\.parts\.(?:\d+|\[\])\.text$/.test(s)) return "a Gemini candidate's text";
  return undefined;
}

/** Provider-enforced schema on the call (SPEC §2.5): strict json_schema, zodResponseFormat, .parse(), Ollama format, generateObject… */
export function isEnforced(call: LlmCall, file: LlmFile, env: ValueEnv): boolean {
  if (/(?:^|\.)parse$/.test(call.api)) return true;
  if (call.shape === "ai-sdk") {
    if (call.api === "generateObject" || call.api === "streamObject") return true;
  }
  if (call.client?.kind === "structured-model") return true;
  const req: Value = resolveValue(call.request, env);
  if (call.client?.kind === "google-model" && call.client.node.type === "CallExpression") {
    const cfg = resolveValue(call.client.args[0], env);
    const rs = getPath(cfg, ["generationConfig", "responseSchema"], env);
    if (rs.state !== "absent") return true;
  }
  if (req.kind !== "object") return req.kind === "unknown" && call.shape !== "langchain" && call.shape !== "google" && !!call.request && unwrapExpr(call.request).type !== "Literal";
  const present = (path: string[]) => getPath(req, path, env);
  if (call.shape === "ai-sdk" && (present(["experimental_output"]).state !== "absent" || present(["output"]).state !== "absent")) return true;
  if (call.shape === "ollama") {
    const f = present(["format"]);
    if (f.state === "unknown") return true;
    if (f.state === "present" && !(f.value.kind === "literal" && f.value.value === "json")) return true;
  }
  if (call.shape === "google") {
    for (const c of ["config", "generationConfig"]) {
      if (present([c, "responseSchema"]).state !== "absent" || present([c, "responseJsonSchema"]).state !== "absent") return true;
    }
  }
  if (call.shape === "anthropic" && present(["output_format"]).state !== "absent") return true;
  for (const path of [["response_format"], ["text", "format"]]) {
    const rf = present(path);
    if (rf.state === "unknown") return true;
    if (rf.state !== "present") continue;
    if (rf.value.kind !== "object") return true; // zodResponseFormat(...) or a helper
    const type = getProp(rf.value, "type", env);
    if (type.state === "present" && type.value.kind === "literal" && type.value.value === "json_schema") {
      const strict = getPath(rf.value, path[0] === "text" ? ["strict"] : ["json_schema", "strict"], env);
      if (strict.state === "unknown" || (strict.state === "present" && strict.value.kind === "literal" && strict.value.value === true)) return true;
      if (strict.state === "present" && strict.value.kind !== "literal") return true;
    }
  }
  void file;
  return false;
}


export interface SchemaFlowOptions {
  /** Names of functions that validate (option `validatorPattern`). */
  validatorName: RegExp;
  /** Source text of a node (for use descriptions). */
  getText(node: Node): string;
}

export interface UnvalidatedParse {
  parse: TSESTree.CallExpression;
  origin: Origin;
  use: Extract<Use, { kind: "use" }>;
}

/** Every `JSON.parse` of model output whose result is used before a validator; and the calls whose output is validated. */
export function analyseSchemaFlow(file: LlmFile, env: ValueEnv, opts: SchemaFlowOptions): { findings: UnvalidatedParse[]; validatedCalls: Set<LlmCall> } {
  const sc = { getText: opts.getText };
  const validatorName = opts.validatorName;
  const parses = new Map<TSESTree.CallExpression, Origin>();
  const validatedCalls = new Set<LlmCall>();
  const seenVar = new Set<string>();
  const returning = new Set<Node>();
  const callsByName = new Map<string, Array<TSESTree.CallExpression>>();
  for (const c of file.callNodes) {
    if (c.type !== "CallExpression") continue;
    const n = lastName(c);
    if (!n) continue;
    const list = callsByName.get(n) ?? [];
    list.push(c);
    callsByName.set(n, list);
  }

  const varOf = (id: TSESTree.Identifier): Variable | undefined => env.variableOf(id);

  const taintVar = (v: Variable | undefined, o: Origin, kind: "data" | "response", depth: number) => {
    if (!v) return;
    const key = `${kind}:${v.identifiers[0]?.range[0] ?? v.name}:${v.name}`;
    if (seenVar.has(key)) return;
    seenVar.add(key);
    for (const r of v.references) if (r.isRead()) climb(r.identifier as Node, o, kind, depth + 1);
  };

  const taintPattern = (pat: Node, o: Origin, kind: "data" | "response", depth: number) => {
    if (pat.type === "Identifier") taintVar(varOf(pat), o, kind, depth);
    else if (pat.type === "ObjectPattern") {
      for (const p of pat.properties) taintPattern(p.type === "RestElement" ? p.argument : (p.value as Node), o, kind, depth);
    } else if (pat.type === "ArrayPattern") {
      for (const e of pat.elements) if (e) taintPattern(e, o, kind, depth);
    } else if (pat.type === "AssignmentPattern") taintPattern(pat.left, o, kind, depth);
    else if (pat.type === "VariableDeclaration") for (const d of pat.declarations) taintPattern(d.id, o, kind, depth);
  };

  const taintParam = (fn: Node | undefined, index: number, o: Origin, depth: number) => {
    if (!fn || (fn.type !== "FunctionDeclaration" && fn.type !== "FunctionExpression" && fn.type !== "ArrowFunctionExpression")) return;
    const p = fn.params[index];
    if (p) taintPattern(p.type === "TSParameterProperty" ? p.parameter : p, o, "data", depth);
  };

  const functionOfCallee = (call: TSESTree.CallExpression): Node | undefined => {
    const c = unwrapExpr(call.callee);
    if (c.type === "Identifier") {
      const v = varOf(c);
      const def = v?.defs[0];
      if (def?.type === "FunctionName") return def.node as Node;
      if (def?.type === "Variable") {
        const init = (def.node as TSESTree.VariableDeclarator).init;
        return init ? unwrapExpr(init) : undefined;
      }
    }
    if (c.type === "MemberExpression" && c.object.type === "ThisExpression") {
      const name = keyName(c.property, c.computed);
      for (let p: Node | undefined = c.parent; p; p = p.parent) {
        if (p.type === "ClassBody") {
          for (const m of p.body) if ((m.type === "MethodDefinition" || m.type === "PropertyDefinition") && keyName(m.key, m.computed) === name && m.value) return unwrapExpr(m.value as Node);
          break;
        }
      }
    }
    return undefined;
  };

  /** Calls of the function `fn` (by its variable, or `this.name()` for methods). */
  const callsOf = (fn: TSESTree.FunctionLike): TSESTree.CallExpression[] => {
    const name = fnName(fn);
    if (!name) return [];
    return (callsByName.get(name) ?? []).filter((c) => functionOfCallee(c) === fn);
  };

  const returnsData = (fn: TSESTree.FunctionLike | undefined, o: Origin, kind: "data" | "response", depth: number) => {
    if (!fn || returning.has(fn) || depth > 30) return;
    returning.add(fn);
    for (const c of callsOf(fn)) climb(c, o, kind, depth + 1);
  };

  /** Follow model output upwards from expression `e`. */
  function climb(e: Node, o: Origin, kind: "data" | "response", depth: number): void {
    if (depth > 60) return;
    const p = e.parent;
    if (!p) return;
    if (TRANSPARENT.has(p.type)) return climb(p, o, kind, depth + 1);
    switch (p.type) {

      case "MemberExpression": {
        if (p.object !== e) return;
        const m = keyName(p.property, p.computed);
        const call = p.parent;
        if (call?.type === "CallExpression" && call.callee === p) {
          if (kind === "response") {
            if (m === "json") climb(call, o, "data", depth + 1);
            return; // .text() is the HTTP envelope; .body a stream of frames
          }
          if (m && ARRAY_CALLBACK.has(m)) {
            const cb = call.arguments[0];
            if (cb && (cb.type === "ArrowFunctionExpression" || cb.type === "FunctionExpression")) {
              const idx = m === "reduce" ? 1 : 0;
              if (cb.params[idx]) taintPattern(cb.params[idx], o, "data", depth + 1);
            }
            if (m === "then") return;
          }
          return climb(call, o, kind, depth + 1);
        }
        if (kind === "response") {
          if (m === "data") climb(p, o, "data", depth + 1); // axios
          return;
        }
        return climb(p, o, kind, depth + 1);
      }
      case "VariableDeclarator":
        if (p.init === e) taintPattern(p.id, o, kind, depth);
        return;
      case "AssignmentExpression":
        if (p.right === e && p.left.type === "Identifier") taintVar(varOf(p.left), o, kind, depth);
        return;
      case "CallExpression":
      case "NewExpression": {
        if (p.callee === e || kind !== "data") return;
        if (p.type === "CallExpression" && isJsonParse(p)) {
          if (p.arguments[0] === e && !parses.has(p)) parses.set(p as TSESTree.CallExpression, o);
          return;
        }
        const name = lastName(p);
        if (name && PASSTHROUGH.test(name)) return climb(p, o, kind, depth + 1);
        if (p.type === "CallExpression") taintParam(functionOfCallee(p), p.arguments.indexOf(e as TSESTree.CallExpressionArgument), o, depth + 1);
        return;
      }
      case "TemplateLiteral":
        return kind === "data" ? climb(p, o, kind, depth + 1) : undefined;
      case "BinaryExpression":
        return kind === "data" && p.operator === "+" ? climb(p, o, kind, depth + 1) : undefined;
      case "ConditionalExpression":
        return p.test !== e ? climb(p, o, kind, depth + 1) : undefined;
      case "LogicalExpression":
        return climb(p, o, kind, depth + 1);
      case "ReturnStatement":
        return returnsData(fnOf(p), o, kind, depth);
      case "ArrowFunctionExpression":
        return p.body === e ? returnsData(p, o, kind, depth) : undefined;
      case "ForOfStatement":
        if (p.right === e) taintPattern(p.left, o, kind === "response" ? "response" : "data", depth);
        return;
      case "YieldExpression":
        return;
      default:
        return;
    }
  }

  // Sources: every model call's result.
  for (const call of file.calls) {
    if (!call.output) continue;
    const o: Origin = { call, enforced: isEnforced(call, file, env), what: "model output" };
    climb(call.node, o, call.url !== undefined ? "response" : "data", 0);
  }
  // Shape-based sources: `toolCall.function.arguments`, `res.choices[0].message.content` in helpers that get them as parameters.
  for (const c of file.callNodes) {
    if (c.type !== "CallExpression" || !isJsonParse(c) || parses.has(c) || !c.arguments[0]) continue;
    const what = shapeOf(c.arguments[0] as Node, env);
    if (what) parses.set(c, { enforced: false, what, shape: true, response: fromResponse(c.arguments[0] as Node, env, opts.getText) });
  }


  const findings: UnvalidatedParse[] = [];
  for (const [parse, o] of parses) {
    if (o.enforced) continue;
    const u = firstUse(parse, 0, parse.range[1]);
    if (u.kind === "validated") {
      if (o.call) validatedCalls.add(o.call);
      continue;
    }
    if (u.kind !== "use") continue;
    // A message being converted between formats (tool calls in the history sent to another API) is not consumed here.
    if (o.shape && !o.response && /^(?:stored in|put in)/.test(u.desc)) continue;
    findings.push({ parse, origin: o, use: u });
  }
  return { findings, validatedCalls };

  /** First use of a parsed value `e`, before or instead of a validator. */
  function firstUse(e: Node, depth: number, after: number): Use {
    if (depth > 20) return { kind: "none" };
    const p = e.parent;
    if (!p) return { kind: "none" };
    if (TRANSPARENT.has(p.type)) return firstUse(p, depth + 1, after);
    switch (p.type) {

      case "MemberExpression": {
        if (p.object !== e) return { kind: "none" };
        const m = keyName(p.property, p.computed);
        return { kind: "use", node: p, desc: m ? `read (.${m})` : "read" };
      }
      case "CallExpression":
      case "NewExpression": {
        if (p.callee === e) return { kind: "none" };
        const text = calleeText(p) ?? "";
        if (isValidator(p)) return safeParseCheck(p, depth);
        if (NEUTRAL_CALLS.test(text)) return { kind: "none" };
        return { kind: "use", node: p, desc: `passed to ${shorten(text || "a call")}()` };
      }
      case "VariableDeclarator": {
        if (p.init !== e) return { kind: "none" };
        if (p.id.type === "Identifier") {
          const ann = p.id.typeAnnotation?.typeAnnotation;
          if (ann?.type === "TSUnknownKeyword") return { kind: "none" };
          return varUses(varOf(p.id), depth, p.range[1]);
        }
        return { kind: "use", node: p.id, desc: "destructured" };
      }
      case "AssignmentExpression":
        if (p.right !== e) return { kind: "none" };
        if (p.left.type === "Identifier") return varUses(varOf(p.left), depth, p.range[1]);
        return { kind: "use", node: p, desc: `stored in ${shorten(sc.getText(p.left))}` };
      case "ReturnStatement":
      case "ArrowFunctionExpression": {
        if (p.type === "ArrowFunctionExpression" && p.body !== e) return { kind: "none" };
        const fn = p.type === "ArrowFunctionExpression" ? p : fnOf(p);
        if (!fn) return { kind: "none" };
        if (returnsUnknown(fn)) {
          // Validation is the callers' job: check each call site.
          for (const c of callsOf(fn)) {
            const u = firstUse(c, depth + 1, c.range[1]);
            if (u.kind === "use") return u;
          }
          return { kind: "none" };
        }
        const name = fnName(fn);
        if (name && validatorName.test(name) && !/^(?:parse|get|fetch|call|ask|run)\w*$/i.test(name)) return { kind: "validated" };
        return { kind: "use", node: p, desc: `returned from ${name ? name + "()" : "a function"} as data` };
      }
      case "SpreadElement":
        return { kind: "use", node: p, desc: "spread" };
      case "Property":
        return p.value === e ? { kind: "use", node: p, desc: `stored in { ${shorten(sc.getText(p.key))} }` } : { kind: "none" };
      case "ArrayExpression":
        return { kind: "use", node: p, desc: "put in an array" };
      case "ConditionalExpression":
        return p.test !== e ? firstUse(p, depth + 1, after) : { kind: "none" };
      case "LogicalExpression":
        return firstUse(p, depth + 1, after);
      default:
        return { kind: "none" };
    }
  }

  function varUses(v: Variable | undefined, depth: number, after: number): Use {
    if (!v) return { kind: "none" };
    const refs = v.references.filter((r) => r.isRead() && r.identifier.range[0] >= after).sort((a, b) => a.identifier.range[0] - b.identifier.range[0]);
    for (const r of refs) {
      const u = firstUse(r.identifier as Node, depth + 1, after);
      if (u.kind === "none") continue;
      if (u.kind === "use" && !u.unchecked && isGuard(r.identifier as Node)) return { kind: "validated" };
      return u;
    }
    return { kind: "none" };
  }

  function isValidator(call: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
    const c = unwrapExpr(call.callee);
    if (c.type === "Identifier") {
      if (validatorName.test(c.name)) return true;
      // arktype: const User = type({...}); User(data)
      const v = varOf(c);
      const init = v?.defs[0]?.type === "Variable" ? (v.defs[0].node as TSESTree.VariableDeclarator).init : undefined;
      if (init && init.type === "CallExpression") {
        const ch = memberChain(init.callee);
        const root = ch?.root.type === "Identifier" ? file.imports.get(ch.root.name) : undefined;
        if (root && /^(?:arktype|zod|valibot|@sinclair\/typebox|io-ts|ajv|superstruct|yup|joi|effect|@effect\/schema|runtypes|@badrap\/valita|typia)/.test(root.source)) return true;
      }
      return false;
    }
    if (c.type === "MemberExpression") {
      const m = keyName(c.property, c.computed);
      if (!m) return false;
      const obj = unwrapExpr(c.object);
      if (obj.type === "Identifier" && NON_VALIDATOR_OBJECTS.has(obj.name)) return false;
      return VALIDATOR_METHODS.has(m) || validatorName.test(m);
    }
    return false;
  }

  /** safeParse needs a checked branch: `if (!r.success)`, `{ success, data }`. */
  function safeParseCheck(call: TSESTree.CallExpression | TSESTree.NewExpression, depth: number): Use {
    const m = lastName(call) ?? "";
    if (!/^(?:safeParse|safeParseAsync|spa|safeDecode)$/.test(m)) return { kind: "validated" };
    let n: Node = call;
    while (n.parent && (n.parent.type === "AwaitExpression" || n.parent.type === "TSAsExpression" || n.parent.type === "ChainExpression")) n = n.parent;
    const p = n.parent;
    if (p?.type === "MemberExpression" && p.object === n) {
      const k = keyName(p.property, p.computed);
      return k === "data" || k === "output" ? { kind: "use", node: p, desc: `read (.${k})`, unchecked: true } : { kind: "validated" };
    }
    if (p?.type === "VariableDeclarator" && p.init === n) {
      if (p.id.type === "ObjectPattern") return { kind: "validated" };
      if (p.id.type === "Identifier") {
        const v = varOf(p.id);
        const refs = (v?.references ?? []).filter((r) => r.isRead());
        const checked = refs.some((r) => {
          const q = r.identifier.parent;
          return q?.type === "MemberExpression" && /^(?:success|error|issues|ok|isOk|isErr)$/.test(keyName(q.property, q.computed) ?? "");
        });
        if (checked) return { kind: "validated" };
        const read = refs.find((r) => r.identifier.parent?.type === "MemberExpression");
        if (read) {
          const q = read.identifier.parent as TSESTree.MemberExpression;
          return { kind: "use", node: q, desc: `read (.${keyName(q.property, q.computed) ?? "?"})`, unchecked: true };
        }
      }
    }
    void depth;
    return { kind: "validated" };
  }
}

/** SDK types of a function call object (`ChatCompletionMessageToolCall.Function`, `ChatCompletionMessage.FunctionCall`). */
const FUNCTION_CALL_TYPE = /(?:FunctionCall|ToolCall\.Function)$/;
/**
 * Names of a function-call object whose `.arguments` is the model's JSON: `functionCall`,
 * `toolCall` (Responses / Realtime / Agents SDK items carry `arguments` directly, Chat
 * Completions nests it under `.function`), `functionCallOutput`, `tool_call_item`.
 */
const FUNCTION_CALL_NAME = /^(?:[a-z]+_?)?(?:function|fn|tool)_?call(?:_?(?:function|item|output|event|data))?$/i;

function isFunctionCallParam(id: TSESTree.Identifier, env: ValueEnv): boolean {
  const v = env.variableOf(id);
  const def = v?.defs[0];
  if (!def || (def.type !== "Parameter" && def.type !== "Variable")) return false;
  const name = def.name as TSESTree.Identifier;
  const ann = name.typeAnnotation?.typeAnnotation;
  if (ann?.type === "TSTypeReference") return FUNCTION_CALL_TYPE.test(typeText(ann.typeName));
  return !ann && FUNCTION_CALL_NAME.test(name.name);
}

function typeText(n: TSESTree.EntityName): string {
  if (n.type === "Identifier") return n.name;
  if (n.type === "TSQualifiedName") return `${typeText(n.left)}.${n.right.name}`;
  return "";
}

/** A model *response*'s tool calls: `delta.tool_calls`, `choices[i].message.tool_calls`, or an SDK response chunk type. */
const RESPONSE_PATH = /\bdelta\??\.tool_calls\b|\bchoices\s*\[[^\]]*\]\??\.(?:message|delta)\??\.tool_calls\b|\b(?:ChatCompletionChunk|ChatCompletion)\b/;

/**
 * V2: the parsed arguments come from a model response (the callback parameter of
 * `choice.delta.tool_calls.map(tc => …)`), not from stored conversation history.
 */
function fromResponse(arg: Node, env: ValueEnv, getText: (n: Node) => string): boolean {
  let root = unwrapExpr(arg);
  while (root.type === "MemberExpression") root = unwrapExpr(root.object);
  if (root.type !== "Identifier") return false;
  const def = env.variableOf(root)?.defs[0];
  if (!def || def.type !== "Parameter") return false;
  const fn = def.node as Node;
  const call = fn.parent;
  if (call?.type !== "CallExpression" || call.arguments[0] !== fn || call.callee.type !== "MemberExpression") return false;
  return RESPONSE_PATH.test(getText(call.callee.object as Node));
}
