/**
 * The Python front of `require-llm-schema`: facts for the core's schema decisions
 * (core/schema-policy.ts). Finds `json.loads(…)` of model output — followed from a model call's
 * result (`resp.choices[0].message.content`, `response["message"]["content"]`, a LangChain
 * `.content`, a Gemini `.text`) through local assignments and pass-through helpers
 * (`.strip()`, `extract_json(…)`), or recognised by shape (`tool_call.function.arguments`) — and
 * the first thing done with the parsed value: a validator (`Model.model_validate(data)`,
 * `Model(**data)`, `TypeAdapter(…).validate_python`, `jsonschema.validate`, a `validate_*`
 * function, an `isinstance`/`in` guard that raises), or a use as data (read, passed on,
 * returned, iterated). Also `response_format={"type": "json_object"}` with no schema and raw
 * function tools without `"strict": True`.
 */
import type { Node as TsNode } from "web-tree-sitter";
import { jsonModeVerdict, parseVerdict, toolVerdict, type SchemaUse } from "../core/schema-policy.js";
import { kwarg, namedChildren, positional, qualName, unwrap, type PyFile } from "./facts.js";
import type { PyReport } from "./llm-checks.js";
import { eachNode, type PyLlmCall, type PyLlmFile, type PyValues } from "./llm-facts.js";

const JSON_LOADS = new Set(["json.loads", "orjson.loads", "ujson.loads", "simplejson.loads", "json5.loads"]);
const PASSTHROUGH = /^(?:extract|clean|strip|sanitize|sanitise|repair|fix|trim|unwrap|remove|parse_code_block|get_(?:text|content|json))|(?:json|fence|codeblock|code_block|markdown)/i;
const STRING_METHODS = /^(strip|lstrip|rstrip|replace|removeprefix|removesuffix|lower|split|decode|encode|format|group)$/;
const VALIDATOR_METHODS = new Set(["model_validate", "model_validate_json", "model_validate_strings", "parse_obj", "parse_raw", "validate", "validate_python", "validate_json", "from_dict", "load", "structure", "check", "is_valid", "iter_errors", "loads"]);
const DEFAULT_VALIDATOR_NAME = /^(?:_*)(?:validate|assert|is|ensure|check|verify|guard|parse|safe_parse|decode|conform|coerce|sanitize|normali[sz]e)(?:_\w+)?$|(?:Schema|Validator|Model|Adapter)$/;
const NEUTRAL = /^(print|len|str|repr|bool|type|id|isinstance|hasattr|json\.dumps|logging\.\w+|logger\.\w+|log|debug|info|warning|warn|error|pprint|pp)$/;

function short(s: string): string {
  const one = s.replace(/\s+/g, " ");
  return one.length > 60 ? one.slice(0, 57) + "…" : one;
}

function calleeText(call: TsNode): string {
  return call.childForFieldName("function")?.text ?? "";
}

function lastName(call: TsNode): string {
  const f = call.childForFieldName("function");
  if (!f) return "";
  return f.type === "attribute" ? f.childForFieldName("attribute")?.text ?? "" : f.text;
}

/** The chain of an access expression: root node and keys (`resp.choices[0].message.content` → resp, [choices, [], message, content]). */
function chainOf(e: TsNode): { root: TsNode; path: string[] } {
  const path: string[] = [];
  let cur = unwrap(e);
  for (let i = 0; i < 30; i++) {
    if (cur.type === "attribute") {
      path.unshift(cur.childForFieldName("attribute")?.text ?? "?");
      cur = unwrap(cur.childForFieldName("object")!);
    } else if (cur.type === "subscript") {
      const k = cur.childForFieldName("subscript");
      const s = k?.type === "string" ? k.text.slice(1, -1) : k?.type === "integer" ? "[]" : "?";
      path.unshift(s);
      cur = unwrap(cur.childForFieldName("value")!);
    } else if (cur.type === "call") {
      // `resp.json()["x"]`, `x.get("content")`
      const f = cur.childForFieldName("function");
      if (f?.type === "attribute" && f.childForFieldName("attribute")?.text === "json" && !positional(cur).length) {
        // `r.json()["message"]["content"]`: the HTTP response's JSON body
        path.unshift("json()");
        cur = unwrap(f.childForFieldName("object")!);
      } else if (f?.type === "attribute" && f.childForFieldName("attribute")?.text === "get") {
        const a = positional(cur)[0];
        path.unshift(a?.type === "string" ? a.text.slice(1, -1) : "?");
        cur = unwrap(f.childForFieldName("object")!);
      } else break;
    } else break;
  }
  return { root: cur, path };
}

/** Shapes that are model output whatever their variable. */
function shapeWhat(path: string[]): string | undefined {
  const s = path.join(".");
  if (/(?:^|\.)(?:function|function_call)\.arguments$/.test(s)) return "tool-call arguments";
  if (/(?:^|\.)choices\.(?:\[\]|\?)\.(?:message|delta)\.content$/.test(s) || /(?:^|\.)choices\.(?:\[\]|\?)\.text$/.test(s)) return "a completion's text";
  if (/(?:^|\.)output_text$/.test(s)) return "a response's output_text";
  if (/(?:^|\.)candidates\.(?:\[\]|\?)\.content\.parts\.(?:\[\]|\?)\.text$/.test(s)) return "a Gemini candidate's text";
  return undefined;
}

/** Text paths of a model call's result (what is read from it before parsing). */
function isTextPath(call: PyLlmCall, fullPath: string[]): boolean {
  let path = fullPath;
  if (call.url !== undefined) {
    // raw HTTP: only the JSON body's text fields (`r.json()["choices"][0]["message"]["content"]`)
    if (path[0] !== "json()") return false;
    path = path.slice(1);
    if (!path.length) return false;
  }
  const s = path.join(".");
  if (!path.length) {
    // a LangChain completion LLM (`Ollama(…)`, `OpenAI(…)`, not `Chat…`) returns the text itself
    if (call.shape === "langchain") return !!call.client && call.client.type === "call" && !/Chat/.test(call.client.childForFieldName("function")?.text ?? "Chat") && /^a?invoke$/.test(call.api);
    return call.api.endsWith("text_completion");
  }
  switch (call.shape) {
    case "ollama":
      return /(?:^|\.)(message\.content|response|message\.tool_calls\.(?:\[\]|\?)\.function\.arguments)$/.test(s);
    case "langchain":
      return /^(content|text|tool_calls\.\S*args)$/.test(s);
    case "google":
      return /(?:^|\.)text$/.test(s);
    case "anthropic":
      return /^content\.(?:\[\]|\?)\.(text|input)$/.test(s);
    default:
      return /(?:^|\.)(content|text|arguments|output_text)$/.test(s);
  }
}

interface Origin {
  call?: PyLlmCall;
  enforced: boolean;
  what: string;
  shape: boolean;
}

export function pythonSchemaChecks(root: TsNode, file: PyLlmFile, py: PyFile, values: PyValues, level: number): PyReport[] {
  const out: PyReport[] = [];
  if (!level) return out;
  if (!file.llm) return toolTableChecks(root, file, values, out);
  // Names bound to a model call's result: `resp = client.chat.completions.create(…)`, in their scope.
  const results = new Map<string, PyLlmCall[]>();
  const scopeKey = (n: TsNode) => {
    for (let p = n.parent; p; p = p.parent) if (p.type === "function_definition" || p.type === "module") return p.id;
    return 0;
  };
  for (const c of file.calls) {
    if (!c.output) continue;
    let n: TsNode = c.node;
    while (n.parent && (n.parent.type === "await" || n.parent.type === "parenthesized_expression")) n = n.parent;
    const p = n.parent;
    if (p?.type === "assignment" && p.childForFieldName("right")?.id === n.id) {
      const left = p.childForFieldName("left");
      if (left?.type === "identifier") {
        const k = `${scopeKey(p)}:${left.text}`;
        results.set(k, [...(results.get(k) ?? []), c]);
      }
    }
  }

  /** The model call (or shape) the text passed to `json.loads` comes from (`suffix`: keys read after `arg`). */
  const originOf = (arg: TsNode, depth = 0, suffix: string[] = []): Origin | undefined => {
    if (depth > 6) return undefined;
    let e = unwrap(arg);
    // pass-throughs: `s.strip()`, `extract_json(s)`
    // pass-throughs: `s.strip()`, `extract_json(s)`, `re.search(r"{.*}", s).group()`, `s[s.find("{"):s.rfind("}") + 1]`
    for (let i = 0; i < 8; i++) {
      if (e.type === "subscript" && e.childForFieldName("subscript")?.type === "slice") {
        e = unwrap(e.childForFieldName("value")!);
        continue;
      }
      // `delta.function.arguments or ""`: the text, or an empty default
      if (e.type === "boolean_operator" && e.childForFieldName("operator")?.text === "or" && e.childForFieldName("left")) {
        e = unwrap(e.childForFieldName("left")!);
        continue;
      }
      if (e.type !== "call") break;
      const f = e.childForFieldName("function");
      const q = f ? qualName(f, py.imports) : undefined;
      if (f?.type === "attribute" && STRING_METHODS.test(f.childForFieldName("attribute")?.text ?? "")) e = unwrap(f.childForFieldName("object")!);
      else if (q && /^(re|regex)\.(search|match|fullmatch|findall|sub)$/.test(q) && positional(e)[q.endsWith(".sub") ? 2 : 1]) e = unwrap(positional(e)[q.endsWith(".sub") ? 2 : 1]);
      else if (f && PASSTHROUGH.test(lastName(e)) && positional(e)[0]) e = unwrap(positional(e)[0]);
      else if (f?.type === "identifier" && f.text === "str" && positional(e).length === 1) e = unwrap(positional(e)[0]);
      else break;
    }
    if (e.type === "call" && !suffix.length) {
      const direct = file.byNode.get(e.id);
      if (direct?.output && direct.url === undefined && direct.shape !== "langchain") return { call: direct, enforced: direct.enforced, what: "model output", shape: false };
    }
    const { root: r, path: own } = chainOf(e);
    const path = [...own, ...suffix];
    const shape = shapeWhat(path);
    if (r.type === "call") {
      const c = file.byNode.get(r.id);
      if (c?.output && isTextPath(c, path)) return { call: c, enforced: c.enforced, what: shape ?? "model output", shape: false };
    }
    if (r.type === "identifier") {
      const calls = results.get(`${scopeKey(r)}:${r.text}`);
      const c = calls?.filter((x) => x.node.startIndex < r.startIndex).pop() ?? calls?.[0];
      if (c) return isTextPath(c, path) ? { call: c, enforced: c.enforced, what: shape ?? "model output", shape: false } : shape ? { enforced: false, what: shape, shape: true } : undefined;
      // `content = resp.choices[0].message.content` … `json.loads(content)`; `body = r.json()` … `body["message"]["content"]`
      const b = values.bindingOf(r);
      if (b.init && !b.param) {
        const o = originOf(b.init, depth + 1, path);
        if (o) return o;
      }
      // Text built over several statements: `args = ""` … `args += delta.function.arguments` (a
      // streamed tool call), `text = resp.content[0].text` … `text += more`; any binding before the read.
      if (!b.init || b.mutated) {
        for (const d of bindingsBefore(r)) {
          const right = d.childForFieldName("right");
          const o = right ? originOf(right, depth + 1, path) : undefined;
          if (o) return o;
        }
      }
      // A parameter: what the same-file callers pass (`self.handle_call(name, arguments)`).
      const fromCallers = paramOrigin(r, depth, path);
      if (fromCallers) return fromCallers;
    }
    // A same-file function whose returned value is model output (`text = ask_model(q)`).
    if (r.type === "call" && !path.length) {
      const o = helperReturnOrigin(r, depth);
      if (o) return o;
    }
    if (shape) return { enforced: false, what: shape, shape: true };
    return undefined;
  };

  /** Assignments (`=`, `+=`) to the name `r` in its scope, before `r`, nested functions aside. */
  const bindingsBefore = (r: TsNode): TsNode[] => {
    const scope = fnOf(r) ?? root;
    const out: TsNode[] = [];
    eachNode(scope, (x) => {
      if (x.startIndex >= r.startIndex) return false;
      if (x.id !== scope.id && (x.type === "function_definition" || x.type === "class_definition" || x.type === "lambda")) return false;
      if ((x.type === "assignment" || x.type === "augmented_assignment") && x.childForFieldName("left")?.type === "identifier" && x.childForFieldName("left")?.text === r.text) out.push(x);
    });
    return out.reverse();
  };

  /** The origin of parameter `r` of its function, from the arguments of the same-file calls of that function. */
  const paramOrigin = (r: TsNode, depth: number, path: string[]): Origin | undefined => {
    const fn = fnOf(r);
    if (!fn || fn.type !== "function_definition" || depth > 3) return undefined;
    const params = namedChildren(fn.childForFieldName("parameters")!).map((p) => (p.type === "identifier" ? p : namedChildren(p).find((c) => c.type === "identifier")));
    let idx = params.findIndex((p) => p?.text === r.text);
    if (idx < 0) return undefined;
    const method = /^(self|cls)$/.test(params[0]?.text ?? "");
    if (method) idx--;
    if (idx < 0) return undefined;
    const name = fn.childForFieldName("name")?.text;
    if (!name) return undefined;
    for (const c of callsByName(name)) {
      const a = kwarg(c, r.text) ?? positional(c)[idx];
      const o = a ? originOf(a, depth + 1, path) : undefined;
      if (o) return o;
    }
    return undefined;
  };

  /** `helper(…)` where a same-file `def helper` returns model output. */
  const helperReturnOrigin = (call: TsNode, depth: number): Origin | undefined => {
    const f = call.childForFieldName("function");
    const name = f?.type === "identifier" ? f.text : f?.type === "attribute" && /^(self|cls)$/.test(f.childForFieldName("object")?.text ?? "") ? f.childForFieldName("attribute")?.text : undefined;
    if (!name || depth > 3) return undefined;
    for (const def of defsByName(name)) {
      let found: Origin | undefined;
      eachNode(def, (x) => {
        if (found) return false;
        if (x.id !== def.id && (x.type === "function_definition" || x.type === "class_definition" || x.type === "lambda")) return false;
        if (x.type !== "return_statement") return;
        const v = namedChildren(x)[0];
        const o = v ? originOf(v, depth + 2) : undefined;
        if (o && o.call) found = o;
      });
      if (found) return found;
    }
    return undefined;
  };

  let defs: Map<string, TsNode[]> | undefined;
  function defsByName(name: string): TsNode[] {
    if (!defs) {
      const m = new Map<string, TsNode[]>();
      eachNode(root, (x) => {
        if (x.type !== "function_definition") return;
        const n = x.childForFieldName("name")?.text;
        if (n) m.set(n, [...(m.get(n) ?? []), x]);
      });
      defs = m;
    }
    return defs.get(name) ?? [];
  }

  const isValidatorCall = (call: TsNode): boolean => {
    const f = call.childForFieldName("function");
    if (!f) return false;
    const q = qualName(f, py.imports);
    if (q && /^(jsonschema|fastjsonschema|cerberus|marshmallow|pydantic|msgspec|cattrs|dacite|attrs|voluptuous|schema|instructor)(\.|$)/.test(q)) return true;
    const last = lastName(call);
    if (f.type === "attribute") {
      const obj = f.childForFieldName("object")?.text ?? "";
      if (/^(json|orjson|yaml|re|os|str|dict)$/.test(obj)) return false;
      return VALIDATOR_METHODS.has(last) || DEFAULT_VALIDATOR_NAME.test(last);
    }
    return DEFAULT_VALIDATOR_NAME.test(last) && !/^(parse|get|fetch|call|ask|run)$/i.test(last);
  };

  const exits = (block: TsNode | null): boolean => {
    if (!block) return false;
    let found = false;
    eachNode(block, (x) => {
      if (found) return false;
      if (x.type === "raise_statement" || x.type === "return_statement" || x.type === "continue_statement") found = true;
      if (x.type === "function_definition") return false;
    });
    return found;
  };

  /** A shape guard: `if not isinstance(data, dict): raise …`, `if "answer" not in data: return`. */
  /**
   * A shape guard on `id`: `if not isinstance(data, dict): raise …`, `if "answer" not in data: return`,
   * `assert "k" in data`, or `if "path" in data:` around the read. Returns the region it protects: the
   * statements after an exiting guard in its block, or the body of a guarding `if`.
   */
  const guardRegion = (id: TsNode): TsNode | undefined => {
    let sawCheck = false;
    for (let n: TsNode = id; n.parent; n = n.parent) {
      const p: TsNode = n.parent;
      if (p.type === "call" && /^(isinstance|hasattr)$/.test(calleeText(p))) sawCheck = true;
      else if (p.type === "argument_list") continue;
      else if (p.type === "comparison_operator" && /\b(not in|in|is not|is)\b/.test(p.text)) sawCheck = true;
      if ((p.type === "if_statement" || p.type === "elif_clause") && p.childForFieldName("condition")?.id === n.id) {
        if (!sawCheck) return undefined;
        const stmt = p.type === "elif_clause" ? p.parent! : p;
        // `if not isinstance(d, dict): raise` protects what follows; `if "k" in d: return d["k"]` only its body
        const negative = /\bnot\b|\bis None\b/.test(p.childForFieldName("condition")?.text ?? "");
        return negative && exits(p.childForFieldName("consequence")) ? stmt.parent ?? undefined : p.childForFieldName("consequence") ?? undefined;
      }
      if (p.type === "assert_statement") return sawCheck ? p.parent ?? undefined : undefined;
      if (/_statement$|^block$|^function_definition$/.test(p.type)) return undefined;
    }
    return undefined;
  };

  const fnOf = (n: TsNode): TsNode | undefined => {
    for (let p = n.parent; p; p = p.parent) if (p.type === "function_definition" || p.type === "lambda") return p;
    return undefined;
  };

  /** The first use of the value of expression `e`. */
  const firstUse = (e: TsNode, depth: number): SchemaUse => {
    if (depth > 12) return { kind: "none" };
    let n = e;
    while (n.parent && (n.parent.type === "await" || n.parent.type === "parenthesized_expression")) n = n.parent;
    const p = n.parent;
    if (!p) return { kind: "none" };
    const line = p.startPosition.row + 1;
    switch (p.type) {
      case "argument_list":
      case "dictionary_splat":
      case "list_splat": {
        const call = p.type === "argument_list" ? p.parent : p.parent?.parent;
        if (!call || call.type !== "call") return { kind: "none" };
        if (isValidatorCall(call)) return { kind: "validated" };
        // `Model(**data)`: a pydantic / dataclass model built from the fields
        const f = call.childForFieldName("function");
        const last = lastName(call);
        // (a callee looked up in a table, `TOOLS[name](**data)`, is a function, not a model class)
        if (p.type === "dictionary_splat" && (f?.type === "identifier" || f?.type === "attribute") && (/^[A-Z]/.test(last) || /model|schema|cls|class|type/i.test(last))) return { kind: "validated" };
        if (NEUTRAL.test(calleeText(call)) || NEUTRAL.test(last)) return { kind: "none" };
        void f;
        return { kind: "use", desc: `passed to ${short(calleeText(call) || "a call")}()`, line };
      }
      case "keyword_argument": {
        const call = p.parent?.parent;
        if (call?.type === "call" && isValidatorCall(call)) return { kind: "validated" };
        if (call?.type === "call" && (NEUTRAL.test(calleeText(call)) || NEUTRAL.test(lastName(call)))) return { kind: "none" };
        return { kind: "use", desc: `passed to ${short(call ? calleeText(call) : "a call")}()`, line };
      }
      case "subscript":
        return p.childForFieldName("value")?.id === n.id ? { kind: "use", desc: `read ([${short(p.childForFieldName("subscript")?.text ?? "…")}])`, line } : { kind: "none" };
      case "attribute": {
        const a = p.childForFieldName("attribute")?.text ?? "";
        return { kind: "use", desc: `read (.${a})`, line };
      }
      case "assignment": {
        if (p.childForFieldName("right")?.id !== n.id) return { kind: "none" };
        const left = p.childForFieldName("left");
        if (left?.type === "identifier") return varUses(left, p, depth);
        if (left?.type === "pattern_list" || left?.type === "tuple_pattern") return { kind: "use", desc: "unpacked", line };
        return { kind: "use", desc: `stored in ${short(left?.text ?? "a field")}`, line };
      }
      case "return_statement": {
        const fn = fnOf(p);
        const name = fn?.childForFieldName("name")?.text;
        if (name && DEFAULT_VALIDATOR_NAME.test(name) && !/^_*(parse|get|fetch|call|ask|run)\w*$/i.test(name)) return { kind: "validated" };
        // A parsing helper (`parse_result`, `_load_args`, `get_plan`) hands the dict to its callers:
        // the first use at a call site in this file decides (none visible: not reported here).
        if (name && /^_*(parse|load|decode|extract|get|read|to)(_|[A-Z]|$)/.test(name)) {
          for (const c of callsByName(name)) {
            const u = firstUse(c, depth + 1);
            if (u.kind !== "none") return u;
          }
          return { kind: "none" };
        }
        // `-> dict`/`-> Any`: the caller validates?  A typed return of a model class is a cast, not a check.
        return { kind: "use", desc: `returned from ${name ? name + "()" : "a function"} as data`, line };
      }
      case "for_statement":
      case "for_in_clause":
        return p.childForFieldName("right")?.id === n.id ? { kind: "use", desc: "iterated", line } : { kind: "none" };
      case "pair":
        return p.childForFieldName("value")?.id === n.id ? { kind: "use", desc: `stored in { ${short(p.childForFieldName("key")?.text ?? "")} }`, line } : { kind: "none" };
      case "list":
      case "tuple":
      case "set":
        return { kind: "use", desc: "put in a list", line };
      case "yield":
        return { kind: "use", desc: "yielded", line };
      case "boolean_operator":
      case "conditional_expression":
        return firstUse(p, depth + 1);
      default:
        return { kind: "none" };
    }
  };

  /** Uses of a name assigned a parsed value, in source order after the assignment, until it is reassigned. */
  const varUses = (id: TsNode, assign: TsNode, depth: number): SchemaUse => {
    let scope: TsNode | null = assign.parent;
    while (scope && scope.type !== "function_definition" && scope.type !== "module") scope = scope.parent;
    if (!scope) return { kind: "none" };
    const refs: TsNode[] = [];
    eachNode(scope, (x) => {
      if (x.endIndex <= assign.endIndex && x.type !== "module" && x.type !== "function_definition" && x.type !== "block") {
        // a node wholly before the assignment holds no later use
        if (x.endIndex <= assign.startIndex || x.id === assign.id) return false;
      }
      if (x.type === "identifier" && x.text === id.text && x.startIndex >= assign.endIndex) refs.push(x);
      if (x.id !== scope!.id && (x.type === "function_definition" || x.type === "class_definition")) return false;
    });
    refs.sort((a, b) => a.startIndex - b.startIndex);
    // Guarded regions: a guard that dominates the parse validates it; one inside a branch protects only its region.
    const guarded: TsNode[] = [];
    const within = (x: TsNode, region: TsNode) => x.startIndex >= region.startIndex && x.endIndex <= region.endIndex;
    for (const r of refs) {
      const p = r.parent;
      // reassigned: later reads see another value — unless the reassignment is on another path
      // (`try: data = json.loads(s)` / `except ValueError: data = {}`, or the `else:` of the `if`
      // that parses): after the statement, the parsed value still flows on its own path.
      if (p?.type === "assignment" && p.childForFieldName("left")?.id === r.id) {
        if (exclusive(assign, p)) continue;
        return { kind: "none" };
      }
      if (guarded.some((g) => within(r, g))) continue;
      if (inCheckedBranch(r)) continue;
      const region = guardRegion(r);
      if (region) {
        if (within(assign, region) || region.type === "module" || region.id === scope.id) return { kind: "validated" };
        guarded.push(region);
        continue;
      }
      const u = firstUse(r, depth + 1);
      if (u.kind === "none") continue;
      return u;
    }
    return { kind: "none" };
  };

  /** `a` and `b` are on exclusive paths: one in a `try` body and the other in its `except`, or in two branches of one `if`. */
  const exclusive = (a: TsNode, b: TsNode): boolean => {
    const chain = (n: TsNode) => {
      const out: TsNode[] = [];
      for (let x: TsNode | null = n; x; x = x.parent) out.push(x);
      return out;
    };
    const ca = chain(a);
    const ids = new Set(ca.map((x) => x.id));
    const cb = chain(b);
    const i = cb.findIndex((x) => ids.has(x.id));
    if (i <= 0) return false;
    const lca = cb[i];
    const bChild = cb[i - 1];
    const aChild = ca[ca.findIndex((x) => x.id === lca.id) - 1];
    if (!aChild || aChild.id === bChild.id) return false;
    const branch = (c: TsNode) => (c.type === "except_clause" || c.type === "else_clause" || c.type === "elif_clause" || c.type === "finally_clause" ? c.type : "body");
    if (lca.type === "try_statement") {
      const ka = branch(aChild), kb = branch(bChild);
      return (ka === "body" && kb === "except_clause") || (ka === "except_clause" && kb === "body") || (ka === "except_clause" && kb === "except_clause");
    }
    if (lca.type === "if_statement") return branch(aChild) !== "body" || branch(bChild) !== "body" ? aChild.id !== bChild.id : false;
    return false;
  };

  /** `cast(T, data) if isinstance(data, dict) else None`: the value branch of a conditional that checks the name. */
  const inCheckedBranch = (r: TsNode): boolean => {
    const check = new RegExp(`\\b(isinstance|hasattr)\\(\\s*${r.text}\\b|\\bin\\s+${r.text}\\b`);
    for (let n: TsNode = r; n.parent; n = n.parent) {
      const p: TsNode = n.parent;
      if (p.type === "conditional_expression") {
        const [body, cond] = namedChildren(p);
        if (body?.id === n.id && cond && check.test(cond.text)) return true;
      }
      if (/_statement$|^block$/.test(p.type)) return false;
    }
    return false;
  };

  let byName: Map<string, TsNode[]> | undefined;
  /** Calls of a same-file function or method by its name (`plan(…)`, `self.plan(…)`). */
  function callsByName(name: string): TsNode[] {
    if (!byName) {
      const m = new Map<string, TsNode[]>();
      eachNode(root, (x) => {
        if (x.type !== "call") return;
        const f = x.childForFieldName("function");
        const n = f?.type === "identifier" ? f.text : f?.type === "attribute" && /^(self|cls)$/.test(f.childForFieldName("object")?.text ?? "") ? f.childForFieldName("attribute")?.text : undefined;
        if (n) m.set(n, [...(m.get(n) ?? []), x]);
      });
      byName = m;
    }
    return byName.get(name) ?? [];
  }

  const validatedCalls = new Set<number>();
  const parses: Array<{ node: TsNode; origin: Origin; arg: TsNode }> = [];
  eachNode(root, (x) => {
    if (x.type !== "call") return;
    const f = x.childForFieldName("function");
    const q = f ? qualName(f, py.imports) : undefined;
    if (!q || !JSON_LOADS.has(q)) return;
    const arg = positional(x)[0] ?? kwarg(x, "s");
    if (!arg) return;
    const origin = originOf(arg);
    if (origin) parses.push({ node: x, origin, arg });
  });
  for (const { node, origin, arg } of parses) {
    try {
      const use = origin.enforced ? ({ kind: "none" } as SchemaUse) : firstUse(node, 0);
      if (use.kind === "validated" && origin.call) validatedCalls.add(origin.call.node.id);
      const verdict = parseVerdict({ enforced: origin.enforced, shape: origin.shape, use });
      if (!verdict || use.kind !== "use") continue;
      out.push({
        rule: "require-llm-schema",
        messageId: verdict,
        node,
        data: {
          what: origin.what,
          source: short(arg.text),
          use: use.desc,
          line: String(use.line),
          fix: "e.g. `Model.model_validate(json.loads(…))` (pydantic), or let the provider enforce one (`client.beta.chat.completions.parse(response_format=Model)`)",
          schema: "",
        },
      });
    } catch {
      /* never crash */
    }
  }

  // Request-level checks on OpenAI-shaped calls: raw tools without strict, json_object without a schema.
  for (const call of file.calls) {
    if (call.shape !== "openai" || /\bparse$/.test(call.api) || !(/chat\.completions/.test(call.api) || call.url !== undefined)) continue;
    try {
      const tools = kwarg(call.node, "tools");
      const list = tools ? listOf(tools, values) : undefined;
      for (const el of list ?? []) {
        const t = values.value(el);
        if (t.kind !== "object") continue;
        const type = t.props.get("type");
        const tv = type ? values.value(type) : undefined;
        if (type && !(tv?.kind === "literal" && tv.value === "function")) continue;
        const fnNode = t.props.get("function");
        const fn = fnNode ? values.value(fnNode) : undefined;
        if (fn?.kind !== "object" || !fn.props.has("parameters") || values.value(fn.props.get("parameters")).kind !== "object") continue;
        const strictNode = fn.props.get("strict");
        const sv = strictNode ? values.value(strictNode) : undefined;
        const strict = !strictNode ? (fn.complete ? "absent" : "unknown") : sv?.kind === "literal" ? (sv.value === false ? "false" : "true") : "unknown";
        if (!toolVerdict(strict)) continue;
        const nameNode = fn.props.get("name");
        const nv = nameNode ? values.value(nameNode) : undefined;
        out.push({ rule: "require-llm-schema", messageId: "toolNotStrict", node: t.node ?? el, data: { api: call.api, name: nv?.kind === "literal" ? `"${String(nv.value)}"` : "(unnamed)" } });
      }
      const rf = kwarg(call.node, "response_format");
      const rv = rf ? values.value(rf) : undefined;
      if (rv?.kind === "object") {
        const type = rv.props.get("type");
        const tv = type ? values.value(type) : undefined;
        const verdict = jsonModeVerdict(tv?.kind === "literal" && tv.value === "json_object", validatedCalls.has(call.node.id));
        if (verdict) out.push({ rule: "require-llm-schema", messageId: verdict, node: rv.node, data: { api: call.api } });
      }
    } catch {
      /* never crash */
    }
  }
  return toolTableChecks(root, file, values, out);
}

/**
 * Chat Completions function tools (`{"type": "function", "function": {"name", "parameters"}}`)
 * written as raw JSON schema that no call in this file receives (an `openai_schema()` helper, a
 * module-level tool list handed to an agent elsewhere; TS's V4 tool tables). Not in a file that
 * sends to a provider with no `strict` (Ollama, LangChain, a raw HTTP server): only where every
 * model call in the file is OpenAI-shaped, or there is none. The decision is the core's toolVerdict.
 */
function toolTableChecks(root: TsNode, file: PyLlmFile, values: PyValues, out: PyReport[]): PyReport[] {
  try {
    if (file.calls.some((c) => c.shape !== "openai" || c.url !== undefined)) return out;
    const done = new Set(out.filter((r) => r.messageId === "toolNotStrict").map((r) => r.node.id));
    const str = (n: TsNode | undefined) => {
      const v = n ? values.value(n) : undefined;
      return v?.kind === "literal" && typeof v.value === "string" ? v.value : undefined;
    };
    eachNode(root, (x) => {
      if (x.type !== "dictionary" || done.has(x.id)) return;
      const t = values.value(x);
      if (t.kind !== "object" || str(t.props.get("type")) !== "function") return;
      const fnNode = t.props.get("function");
      const fn = fnNode ? values.value(fnNode) : undefined;
      if (fn?.kind !== "object" || !fn.complete || values.value(fn.props.get("parameters")).kind !== "object") return;
      const name = str(fn.props.get("name"));
      if (name === undefined) return;
      // received by a call in this file (`tools=[…]`): the call-level check decides there
      for (let p = x.parent; p; p = p.parent) {
        if (p.type === "keyword_argument" && p.childForFieldName("name")?.text === "tools") return false;
        if (/_statement$|^function_definition$/.test(p.type)) break;
      }
      const strictNode = fn.props.get("strict");
      const sv = strictNode ? values.value(strictNode) : undefined;
      const strict = !strictNode ? "absent" : sv?.kind === "literal" ? (sv.value === false ? "false" : "true") : "unknown";
      if (!toolVerdict(strict)) return false;
      out.push({ rule: "require-llm-schema", messageId: "toolTableNotStrict", node: x, data: { table: tableName(x), name: `"${name}"` } });
      return false;
    });
  } catch {
    /* never crash */
  }
  return out;
}

/** What holds a tool dict: `TOOLS`, `openai_schema()`, or "a tool list". */
function tableName(x: TsNode): string {
  for (let p = x.parent; p; p = p.parent) {
    if (p.type === "assignment") return p.childForFieldName("left")?.text ?? "a tool list";
    if (p.type === "return_statement") {
      for (let f = p.parent; f; f = f.parent) if (f.type === "function_definition") return `${f.childForFieldName("name")?.text ?? "a function"}()`;
    }
    if (p.type === "function_definition" || p.type === "module") break;
  }
  return "a tool list";
}

/** Elements of a list literal, or of a list bound to a name. */
function listOf(n: TsNode, values: PyValues): TsNode[] | undefined {
  let u = unwrap(n);
  if (u.type === "identifier") {
    const b = values.bindingOf(u);
    if (!b.init) return undefined;
    u = unwrap(b.init);
  }
  return u.type === "list" ? namedChildren(u).filter((c) => c.type !== "comment") : undefined;
}
