/**
 * Python facts: the core's `FileFacts` (functions, atoms in source order, imports/exports,
 * header) built from a tree-sitter Python tree, so `reachOf` and `findLies` work on Python
 * exactly as on TS/JS. Node fields of `FnInfo` are lightweight `{ type, name, range, loc }`
 * objects: the tree is freed once a file is analysed.
 *
 * Python specifics recognised here (everything else is the shared core):
 * - provider clients by Python module (`providers.ts` `pythonModules`, plus `langchain_<x>` for
 *   every `@langchain/<x>` npm package in the catalogue): `openai.OpenAI(base_url=…)`,
 *   `ollama.Client(host=…)`, `ollama.chat(…)`, `anthropic.Anthropic()`, `litellm.completion(…)`;
 * - LiteLLM: `completion(model="groq/…")` is the provider its prefix names, `ollama/…` is Ollama
 *   (at `api_base`), anything with `fallbacks=`, a `Router`, or an unprefixed/unknown model is
 *   the LiteLLM router;
 * - env vars via `os.environ["X"]`, `os.environ.get("X", default)`, `os.getenv("X", default)`;
 * - URLs in strings, f-strings (static head, or `f"{BASE}/api/chat"` with a module constant),
 *   implicit concatenation; docstrings and `#` comments are comments (claims), never routes;
 * - imports of local modules: `from .router import x` → source `.router`; absolute imports of
 *   non-provider modules (`from router import x`, script style) → source `~/router`, which the
 *   Python resolver looks up next to the importing file and in its parent folders.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import type { Node as TsNode } from "web-tree-sitter";
import type { Alt, Atom, FileFacts, FnInfo, Loc } from "../core/file-facts.js";
import { PROVIDERS, PROVIDERS_BY_ID, type Provider } from "../core/providers.js";
import { classifyEnvVar, classifyModelTag, classifyUrl, routeForProvider, routeOfEndpoint, type Route } from "../core/routes.js";

/** A local binding created by an import: `module` (dotted) and, for `from m import n`, `name`. */
export interface PyImport {
  module: string;
  name?: string;
  relative: boolean;
}

export interface PyFile {
  facts: FileFacts;
  imports: Map<string, PyImport>;
  /** Module-level `NAME = <expr>` (tree nodes: valid while the tree lives). */
  consts: Map<string, TsNode>;
}

export interface StringValue {
  value?: string;
  env?: string;
}

const ENDPOINT_KWARGS = ["base_url", "api_base", "host", "base", "endpoint", "url", "openai_api_base", "azure_endpoint", "server_url"];

/** Python module → provider, from the catalogue (`pythonModules`, and `langchain_x` for `@langchain/x`). */
const MODULE_PROVIDERS: Array<[string, Provider]> = (() => {
  const out: Array<[string, Provider]> = [];
  for (const p of PROVIDERS) {
    for (const m of p.pythonModules ?? []) out.push([m, p]);
    for (const pkg of p.packages) {
      const lc = /^@langchain\/([\w-]+)$/.exec(pkg);
      if (lc) out.push([`langchain_${lc[1].replace(/-/g, "_")}`, p]);
    }
  }
  return out.sort((a, b) => b[0].length - a[0].length);
})();

export function providerForModule(qualified: string): Provider | undefined {
  for (const [m, p] of MODULE_PROVIDERS) if (qualified === m || qualified.startsWith(m + ".")) return p;
  return undefined;
}

/** ESTree-like stand-in for a tree-sitter node (what FnInfo and reports need). */
export function lite(n: TsNode, name?: string): TSESTree.Node {
  return {
    type: "Identifier",
    name: name ?? n.text,
    range: [n.startIndex, n.endIndex],
    loc: { start: { line: n.startPosition.row + 1, column: n.startPosition.column }, end: { line: n.endPosition.row + 1, column: n.endPosition.column } },
  } as unknown as TSESTree.Node;
}

export function locOf(file: string, n: TsNode): Loc {
  return { file, line: n.startPosition.row + 1, column: n.startPosition.column + 1 };
}

export function children(n: TsNode): TsNode[] {
  return n.children.filter((c): c is TsNode => !!c);
}

/** Python scopes: a walk of one scope does not enter them. */
export const PY_SCOPES = new Set(["function_definition", "lambda", "class_definition", "module"]);

/**
 * Is this value stored rather than used (core/reach.ts reads two or more stored routes in one
 * function or value as a settings table): a dict entry's value, or assigned to an attribute or
 * subscript other than `self.x` (`settings["groq_url"] = "…"`)?
 */
/**
 * The innermost choice branch around `n` (core/file-facts.ts `Alt`): a branch of an
 * if/elif/else chain whose conditions compare with a string (`elif self.llm_type == 'openai'`).
 * Except blocks and other tests are no choice. Stops at the enclosing function or class.
 */
function choicePy(n: TsNode): { alt?: Alt } {
  // web-tree-sitter's `.parent` re-descends from the root (O(depth) in wasm), so walking every
  // atom's ancestors was O(atoms × depth²): 77 s on a deeply nested 4.6 KB fuzz file. The answer
  // for a node depends only on its ancestors, so it is memoised per (tree, node) and each
  // ancestor is visited once per file.
  let memo = CHOICE_MEMO.get(n.tree);
  if (!memo) CHOICE_MEMO.set(n.tree, (memo = new Map()));
  return choiceFrom(n, memo);
}

const CHOICE_MEMO = new WeakMap<object, Map<number, { alt?: Alt }>>();

function choiceFrom(start: TsNode, memo: Map<number, { alt?: Alt }>): { alt?: Alt } {
  const pending: number[] = [];
  let result: { alt?: Alt } = {};
  for (let cur: TsNode | null = start; cur; ) {
    const known = memo.get(cur.id);
    if (known) { result = known; break; }
    pending.push(cur.id);
    const p: TsNode | null = cur.parent;
    if (!p || p.type === "function_definition" || p.type === "lambda" || p.type === "class_definition") break;
    const here = branchChoice(cur, p);
    if (here) { result = here; break; }
    cur = p;
  }
  for (const id of pending) memo.set(id, result);
  return result;
}

/** `cur` (a block, elif or else under `p`) as a branch of a string-compared if/elif chain. */
function branchChoice(cur: TsNode, p: TsNode): { alt: Alt } | undefined {
  if (cur.type !== "block" && cur.type !== "elif_clause" && cur.type !== "else_clause") return undefined;
  let chain: TsNode | null = null;
  let index = 0;
  if (p.type === "if_statement" && cur.type === "block") chain = p;
  else if (cur.type === "block" && (p.type === "elif_clause" || p.type === "else_clause")) {
    chain = p.parent;
    index = chain ? chain.children.filter((c) => c?.type === "elif_clause" || c?.type === "else_clause").findIndex((c) => c?.id === p.id) + 1 : 0;
  }
  if (!chain || chain.type !== "if_statement") return undefined;
  const conds = [chain.childForFieldName("condition"), ...chain.children.filter((c) => c?.type === "elif_clause").map((c) => c!.childForFieldName("condition"))];
  return conds.some((c) => c && isStringTestPy(c)) ? { alt: { group: chain.startIndex, index } } : undefined;
}

/** A condition comparing with a string literal (`x == 'openai'`, `x in ('a', 'b')`), through `and`/`or`/`not`. */
function isStringTestPy(cond: TsNode): boolean {
  const work = [cond];
  while (work.length) {
    const c = work.pop()!;
    if (c.type === "boolean_operator" || c.type === "not_operator" || c.type === "parenthesized_expression") work.push(...namedChildren(c));
    else if (c.type === "comparison_operator") {
      const isStr = (x: TsNode) => x.type === "string" || x.type === "concatenated_string";
      if (namedChildren(c).some((x) => isStr(x) || ((x.type === "tuple" || x.type === "list" || x.type === "set") && namedChildren(x).length > 0 && namedChildren(x).every(isStr)))) return true;
    }
  }
  return false;
}

function storedPy(n: TsNode): { stored?: true } {
  const p = n.parent;
  if (p?.type === "pair" && p.childForFieldName("value")?.id === n.id) return { stored: true };
  if (p?.type === "assignment" && p.childForFieldName("right")?.id === n.id) {
    const left = p.childForFieldName("left");
    if (left?.type === "subscript" || (left?.type === "attribute" && left.childForFieldName("object")?.text !== "self")) return { stored: true };
  }
  return {};
}

/** A comparison operand or a `startswith`/`endswith` argument: a mention, no request. */
function comparedPy(n: TsNode): boolean {
  const p = n.parent;
  if (p?.type === "comparison_operator") return children(p).some((c) => !c.isNamed && (c.type === "==" || c.type === "!=" || c.type === "in" || c.type === "not in"));
  if (p?.type === "argument_list" && p.parent?.type === "call") {
    const f = p.parent.childForFieldName("function");
    return f?.type === "attribute" && /^(?:startswith|endswith)$/.test(f.childForFieldName("attribute")?.text ?? "");
  }
  return false;
}

/** Names a function binds itself (parameters, assignment / for / with targets; not nested scopes), computed on first use. */
function lazyPyLocals(fn: TsNode): () => ReadonlySet<string> {
  let names: Set<string> | undefined;
  return () => {
    if (names) return names;
    const out = new Set<string>();
    const bindTarget = (t: TsNode | null) => {
      if (!t) return;
      walkScope(t, (x) => {
        if (x.type === "identifier") out.add(x.text);
        else if (x.type === "attribute" || x.type === "subscript") return false;
      });
    };
    const params = fn.childForFieldName("parameters");
    if (params) {
      for (const p of namedChildren(params)) {
        const id = p.type === "identifier" ? p : p.childForFieldName("name") ?? p.namedChildren.find((c) => c?.type === "identifier") ?? null;
        if (id?.type === "identifier") out.add(id.text);
      }
    }
    const body = fn.childForFieldName("body");
    if (body) {
      walkScope(body, (x) => {
        if (x.type === "assignment" || x.type === "augmented_assignment") bindTarget(x.childForFieldName("left"));
        else if (x.type === "for_statement" || x.type === "for_in_clause") bindTarget(x.childForFieldName("left"));
        else if (x.type === "as_pattern_target") bindTarget(x);
      });
    }
    names = out;
    return out;
  };
}

/** Depth-first walk (explicit stack, never recursion) that does not enter nested scopes unless asked. */
export function walkScope(n: TsNode, visit: (x: TsNode) => boolean | void, enterScopes = false): void {
  const stack: TsNode[] = [n];
  let first = true;
  while (stack.length) {
    const x = stack.pop()!;
    if (!first && !enterScopes && PY_SCOPES.has(x.type)) continue;
    first = false;
    if (visit(x) === false) continue;
    const cs = children(x);
    for (let i = cs.length - 1; i >= 0; i--) stack.push(cs[i]);
  }
}

export function namedChildren(n: TsNode): TsNode[] {
  return n.namedChildren.filter((c): c is TsNode => !!c);
}

/** The text of a string literal without prefix and quotes (interpolations resolved by `resolve`). */
function stringContent(n: TsNode, resolve?: (e: TsNode) => string | undefined): { text: string; complete: boolean } {
  let text = "";
  for (const c of children(n)) {
    if (c.type === "string_content") text += c.text;
    else if (c.type === "interpolation") {
      const expr = c.namedChildren[0];
      const v = expr && resolve ? resolve(expr) : undefined;
      if (v === undefined) return { text, complete: false };
      text += v;
    }
  }
  return { text, complete: true };
}

/** Unwraps `await x`, `(x)`. */
export function unwrap(n: TsNode): TsNode {
  let cur = n;
  for (let i = 0; i < 20; i++) {
    if ((cur.type === "await" || cur.type === "parenthesized_expression") && cur.namedChildren[0]) cur = cur.namedChildren[0];
    else break;
  }
  return cur;
}

/** `os.environ["X"]`, `os.environ.get("X")`, `os.getenv("X")` → X (needs the import table). */
export function envVarOf(n: TsNode, imports: Map<string, PyImport>): string | undefined {
  const u = unwrap(n);
  if (u.type === "subscript") {
    const v = u.childForFieldName("value");
    const key = u.childForFieldName("subscript");
    if (v && key && qualName(v, imports) === "os.environ" && key.type === "string") return stringContent(key).text;
  }
  if (u.type === "call") {
    const f = u.childForFieldName("function");
    const q = f ? qualName(f, imports) : undefined;
    if (q === "os.getenv" || q === "os.environ.get") {
      const first = namedChildren(u.childForFieldName("arguments") ?? u)[0];
      if (first?.type === "string") return stringContent(first).text;
    }
  }
  return undefined;
}

/** Dotted name of an identifier/attribute chain through the import table (`ur.urlopen` → `urllib.request.urlopen`). */
export function qualName(n: TsNode, imports: Map<string, PyImport>): string | undefined {
  if (n.type === "identifier") {
    const imp = imports.get(n.text);
    if (!imp || imp.relative) return undefined;
    return imp.name ? `${imp.module}.${imp.name}` : imp.module;
  }
  if (n.type === "attribute") {
    const obj = n.childForFieldName("object");
    const attr = n.childForFieldName("attribute");
    const head = obj ? qualName(obj, imports) : undefined;
    return head && attr ? `${head}.${attr.text}` : undefined;
  }
  return undefined;
}

/** Resolve an expression to a string statically (literals, f-strings, constants, `+`, `or`, env defaults). */
export function resolveString(n: TsNode | null | undefined, file: Pick<PyFile, "consts" | "imports">, depth = 0): StringValue {
  if (!n || depth > 8) return {};
  const u = unwrap(n);
  switch (u.type) {
    case "string": {
      const c = stringContent(u, (e) => resolveString(e, file, depth + 1).value);
      return c.complete || c.text ? { value: c.text } : {};
    }
    case "concatenated_string": {
      let out = "";
      for (const part of namedChildren(u)) {
        const r = resolveString(part, file, depth + 1);
        if (r.value === undefined) return out ? { value: out } : {};
        out += r.value;
      }
      return { value: out };
    }
    case "identifier": {
      const init = file.consts.get(u.text);
      return init ? resolveString(init, file, depth + 1) : {};
    }
    case "binary_operator": {
      if (u.childForFieldName("operator")?.text !== "+") return {};
      const l = resolveString(u.childForFieldName("left"), file, depth + 1);
      if (l.value === undefined) return l;
      const r = resolveString(u.childForFieldName("right"), file, depth + 1);
      return { value: l.value + (r.value ?? "") };
    }
    case "boolean_operator": {
      const r = resolveString(u.childForFieldName("right"), file, depth + 1);
      if (r.value !== undefined) return r;
      return resolveString(u.childForFieldName("left"), file, depth + 1);
    }
    case "call":
    case "subscript": {
      const env = envVarOf(u, file.imports);
      if (!env) return {};
      if (u.type === "call") {
        const args = namedChildren(u.childForFieldName("arguments") ?? u);
        const dflt = args[1] && args[1].type !== "keyword_argument" ? args[1] : args.find((a) => a.type === "keyword_argument" && a.childForFieldName("name")?.text === "default")?.childForFieldName("value");
        const d = dflt ? resolveString(dflt, file, depth + 1) : {};
        if (d.value !== undefined) return d;
      }
      return { env };
    }
    default:
      return {};
  }
}

export function kwarg(call: TsNode, name: string): TsNode | undefined {
  const args = call.childForFieldName("arguments");
  if (!args || args.type !== "argument_list") return undefined;
  for (const a of namedChildren(args)) {
    if (a.type === "keyword_argument" && a.childForFieldName("name")?.text === name) return a.childForFieldName("value") ?? undefined;
  }
  return undefined;
}

export function positional(call: TsNode): TsNode[] {
  const args = call.childForFieldName("arguments");
  if (!args || args.type !== "argument_list") return [];
  return namedChildren(args).filter((a) => a.type !== "keyword_argument" && a.type !== "list_splat" && a.type !== "dictionary_splat" && a.type !== "comment");
}

function endpointRoute(file: PyFile, provider: Provider | undefined, callee: string, endpoint: TsNode): Route {
  return routeOfEndpoint(resolveString(endpoint, file), provider?.id, callee, (v) => `os.environ["${v}"]`);
}

/** `groq/llama3` → Groq; `gemini/…`, `vertex_ai/…` → Google; `ollama_chat/…` → Ollama. */
function providerForLiteLlmPrefix(prefix: string): Provider | undefined {
  const p = prefix.toLowerCase().replace(/_(ai|chat|nim)$/, "");
  return PROVIDERS_BY_ID.get(p) ?? PROVIDERS.find((x) => x.claimWords.includes(p));
}

function liteLlmRoute(file: PyFile, q: string, call: TsNode): Route {
  const provider = PROVIDERS_BY_ID.get("litellm")!;
  const router = routeForProvider(provider, "LiteLLM");
  const last = q.split(".").pop() ?? "";
  if (last === "Router" || kwarg(call, "fallbacks") || kwarg(call, "router")) return router;
  const modelNode = kwarg(call, "model") ?? positional(call)[0];
  const model = modelNode ? resolveString(modelNode, file).value : undefined;
  const slash = model?.indexOf("/") ?? -1;
  if (!model || slash <= 0) return router;
  const target = providerForLiteLlmPrefix(model.slice(0, slash));
  if (!target || target.router) return router;
  const base = kwarg(call, "api_base") ?? kwarg(call, "base_url");
  if (base) return endpointRoute(file, target, last, base);
  return routeForProvider(target);
}

/** The route of a call into a provider module (a client construction or a module-level call). */
export function providerCallRoute(file: PyFile, provider: Provider, q: string, call: TsNode): Route | undefined {
  const last = q.split(".").pop() ?? "";
  if (/(Error|Exception|Warning|Timeout)$/.test(last) || /\.types?\./.test(q)) return undefined;
  if (provider.id === "litellm") return LITELLM_CALLS.test(last) ? liteLlmRoute(file, q, call) : undefined;
  // Helpers of an SDK module (`openai.pydantic_function_tool`, `mistralai.extra.…`) call no model:
  // only clients, the module-level API functions and `module.chat.completions.create`-style chains do.
  if (!isSdkClientName(last) && !(provider.id === "ollama" && OLLAMA_CALLS.test(last)) && !/\.(chat|completions|messages|responses|embeddings|models|ChatCompletion|Completion)\./.test(q)) return undefined;
  // openai-python's `OpenAI(provider=bedrock(…))` sends the calls elsewhere: not provable statically.
  if (kwarg(call, "provider")) return { provider: provider.id, label: `${last} with a provider option`, local: false, router: false, unresolved: true };
  // `AzureOpenAI`, `BedrockOpenAI`: the OpenAI SDK speaking to the provider its prefix names.
  const prefix = /^(?:Async)?([A-Z][a-z]+)OpenAI$/.exec(last)?.[1]?.toLowerCase();
  const other = prefix ? PROVIDERS.find((x) => x.id !== "openai" && x.claimWords.includes(prefix)) : undefined;
  if (other) return routeForProvider(other);
  let endpoint: TsNode | undefined;
  for (const k of ENDPOINT_KWARGS) {
    endpoint = kwarg(call, k);
    if (endpoint) break;
  }
  // `ollama.Client("http://…")`: a positional URL.
  const first = positional(call)[0];
  if (!endpoint && first && /^[A-Z]/.test(last) && (first.type === "string" || first.type === "concatenated_string")) endpoint = first;
  if (endpoint) return endpointRoute(file, provider, last, endpoint);
  // `OpenAI(**client_params)`: the endpoint may be in the spread (as the TS facts say of `{ ...opts }`).
  const args = call.childForFieldName("arguments");
  if (args && namedChildren(args).some((a) => a.type === "dictionary_splat")) return { provider: provider.id, label: `${last} with an endpoint from **kwargs`, local: false, router: false, unresolved: true };
  return routeForProvider(provider);
}

const LITELLM_CALLS = /^(a?completion|a?text_completion|a?embedding|a?image_generation|a?transcription|a?speech|a?responses|Router|batch_completion\w*)$/;
const OLLAMA_CALLS = /^(chat|generate|embed|embeddings|pull|push|create|show|list|ps|copy|delete|web_search|web_fetch)$/;

/** An SDK client class: `OpenAI`, `AsyncAnthropic`, `ollama.Client`, `ChatOpenAI`, `litellm.Router`… */
export function isSdkClientName(last: string): boolean {
  return (/Client$/.test(last) && !/Http\w*Client$/i.test(last)) || /^(Async)?[A-Z][a-z]+OpenAI$/.test(last) || /^(Async)?(Azure)?(OpenAI|Anthropic|Groq|Mistral|Cerebras|Together|Cohere|Ollama|Gemini|Perplexity|Fireworks|DeepSeek)$/.test(last) || /^Chat[A-Z]\w+$/.test(last) || /^(Ollama|OpenAI)(LLM|Embeddings)$/.test(last) || last === "Router" || last === "GenerativeModel";
}

const DEFINITION_PARENTS = new Set(["function_definition", "class_definition"]);
/** Recursion depth of the facts visitor before a subtree is deferred (each level is a few JS frames). */
const MAX_DEPTH = 400;

/**
 * Builds the Python file's facts from its tree-sitter root (`module`).
 * `text` is the file's source (for comments above definitions).
 */
export function buildPythonFacts(root: TsNode, file: string, text: string): PyFile {
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
  const py: PyFile = { facts, imports: new Map(), consts: new Map() };
  const lines = text.split("\n");

  // Pass 1: every import in the file (function-local imports are common in Python), module-level values.
  const addImport = (local: string, imp: PyImport, reachSource?: string, imported?: string) => {
    py.imports.set(local, imp);
    if (reachSource && !providerForModule(imp.name ? `${imp.module}.${imp.name}` : imp.module)) {
      facts.imports.set(local, { source: reachSource, imported: imported ?? "*" });
    }
  };
  // Iterative (explicit stack): a deeply nested file must not overflow the JS stack.
  const collectImports = (start: TsNode, startModuleLevel: boolean) => {
    const work: Array<[TsNode, boolean]> = [[start, startModuleLevel]];
    while (work.length) {
    const [n, moduleLevel] = work.pop()!;
    for (const c of children(n)) {
      if (c.type === "import_statement") {
        for (const item of namedChildren(c)) {
          if (item.type === "dotted_name") {
            const head = item.text.split(".")[0];
            addImport(head, { module: head, relative: false }, `~/${head}`);
          } else if (item.type === "aliased_import") {
            const name = item.childForFieldName("name")?.text;
            const alias = item.childForFieldName("alias")?.text;
            if (name && alias) addImport(alias, { module: name, relative: false }, `~/${name}`);
          }
        }
      } else if (c.type === "import_from_statement") {
        const modNode = c.childForFieldName("module_name");
        if (!modNode) continue;
        const relative = modNode.type === "relative_import";
        const mod = modNode.text;
        for (const item of c.childrenForFieldName("name").filter((x): x is TsNode => !!x)) {
          const name = item.type === "aliased_import" ? item.childForFieldName("name")?.text : item.text;
          const alias = item.type === "aliased_import" ? item.childForFieldName("alias")?.text : item.text;
          if (!name || !alias) continue;
          // `from . import router` / `from pkg import mod`: the name may be a module (namespace) or a member.
          const base = relative ? mod : `~/${mod}`;
          const asModule = relative && /^\.+$/.test(mod) ? `${mod}${name}` : undefined;
          addImport(alias, { module: mod, name, relative }, asModule ?? base, asModule ? "*" : name);
          if (moduleLevel) facts.exports.set(alias, { from: asModule ?? base, imported: asModule ? undefined : name });
        }
      } else if (c.type === "future_import_statement") {
        continue;
      } else if (c.childCount) {
        work.push([c, moduleLevel && !DEFINITION_PARENTS.has(c.type)]);
      }
    }
    }
  };
  collectImports(root, true);

  // Document order, iteratively: a later module-level assignment wins, as at run time.
  const VALUE_CONTAINERS = new Set(["module", "if_statement", "try_statement", "block", "else_clause", "except_clause", "elif_clause", "finally_clause"]);
  const collectModuleValues = (start: TsNode) => {
    const work: TsNode[] = [start];
    while (work.length) {
      const c = work.pop()!;
      if (c.type === "expression_statement") {
        const a = c.namedChildren[0];
        if (a?.type !== "assignment") continue;
        const left = a.childForFieldName("left");
        const right = a.childForFieldName("right");
        if (left?.type === "identifier" && right) {
          py.consts.set(left.text, right);
          if (right.type !== "lambda") facts.values.set(left.text, { kind: "value", range: [right.startIndex, right.endIndex] });
          facts.exports.set(left.text, { local: left.text });
        }
      } else if (VALUE_CONTAINERS.has(c.type)) {
        const cs = children(c);
        for (let i = cs.length - 1; i >= 0; i--) work.push(cs[i]);
      }
    }
  };
  collectModuleValues(root);

  // Header: the module docstring, or a leading `#` block that is not glued to a first definition.
  const firstStmt = namedChildren(root).find((c) => c.type !== "comment");
  const docOf = (block: TsNode | undefined | null): string | undefined => {
    const first = block ? namedChildren(block).find((c) => c.type !== "comment") : undefined;
    const s = first?.type === "expression_statement" && first.namedChildCount === 1 ? first.namedChildren[0] : undefined;
    return s && (s.type === "string" || s.type === "concatenated_string") ? s.text.replace(/^[rRuUbB]*("""|'''|"|')/, "").replace(/("""|'''|"|')$/, "") : undefined;
  };
  const moduleDoc = docOf(root);
  if (moduleDoc !== undefined) facts.header = moduleDoc;
  else {
    const head: string[] = [];
    let i = 0;
    for (; i < lines.length; i++) {
      const t = lines[i].trim();
      if (i === 0 && t.startsWith("#!")) continue;
      if (/^#.*coding[:=]/.test(t)) continue;
      if (!t.startsWith("#")) break;
      head.push(t.replace(/^#+\s?/, ""));
    }
    const glued = firstStmt && firstStmt.startPosition.row === i && /definition$/.test(firstStmt.type);
    if (head.length && !glued) facts.header = head.join("\n");
  }

  /** `#` lines right above a definition (or its decorators). */
  const commentAbove = (row: number): string | undefined => {
    const out: string[] = [];
    for (let r = row - 1; r >= 0; r--) {
      const t = lines[r]?.trim() ?? "";
      if (!t.startsWith("#")) break;
      out.unshift(t.replace(/^#+\s?/, ""));
    }
    return out.length ? out.join("\n") : undefined;
  };

  const addFn = (name: string, nameNode: TsNode, fnNode: TsNode, statement: TsNode, topLevel: boolean, classRange: [number, number] | undefined, body: TsNode | null) => {
    const doc = body ? docOf(body) : undefined;
    const info: FnInfo = {
      name,
      nameNode: lite(nameNode),
      fn: lite(fnNode, name),
      range: [fnNode.startIndex, fnNode.endIndex],
      classRange,
      topLevel,
      exported: topLevel && !name.startsWith("_"),
      comment: doc ?? commentAbove(statement.startPosition.row),
      statement: lite(statement, name),
      locals: lazyPyLocals(fnNode),
    };
    facts.functions.push(info);
    if (!facts.fnByName.has(name) || topLevel) facts.fnByName.set(name, info);
  };
  const pushField = (cls: [number, number], name: string, range: [number, number]) => {
    const key = `${cls[0]}:${name}`;
    const list = facts.classFields.get(key) ?? [];
    list.push(range);
    facts.classFields.set(key, list);
  };

  const atoms: Atom[] = facts.atoms;
  const route = (n: TsNode, r: Route, text: string) => atoms.push({ kind: "route", start: n.startIndex, route: r, at: locOf(file, n), text, ...storedPy(n), ...choicePy(n) });
  const ref = (n: TsNode, name: string, extra?: { prop?: string; self?: boolean }) => atoms.push({ kind: "ref", start: n.startIndex, name, ...extra, at: locOf(file, n), ...storedPy(n), ...choicePy(n) });

  const classStack: Array<[number, number]> = [];
  let fnDepth = 0;

  const visitChildren = (n: TsNode) => {
    for (const c of children(n)) visit(c);
  };
  const visitParams = (params: TsNode | null) => {
    if (!params) return;
    for (const p of namedChildren(params)) {
      if (p.type === "default_parameter" || p.type === "typed_default_parameter") {
        const v = p.childForFieldName("value");
        if (v) visit(v);
      }
    }
  };
  const visitTargets = (start: TsNode) => {
    // Assignment/for targets: names are definitions; attributes and subscripts are uses.
    // Iterative: `((((a, b), c), …)) = …` may nest arbitrarily deep.
    const work = [start];
    while (work.length) {
      const n = work.pop()!;
      if (n.type === "identifier") continue;
      if (n.type === "attribute" || n.type === "subscript") visit(n);
      else for (const c of namedChildren(n)) work.push(c);
    }
  };

  const visitString = (n: TsNode) => {
    if (comparedPy(n)) return; // `url == DEFAULT_URL`, `url.startswith("https://…")`: a mention, no request
    const c = stringContent(n, (e) => resolveString(e, py).value);
    const head = c.text;
    const r = (head ? classifyUrl(head) : undefined) ?? (c.complete ? classifyModelTag(head) : undefined);
    if (r) route(n, r, head);
    for (const ch of children(n)) if (ch.type === "interpolation") visitChildren(ch);
  };

  // The visitor recurses with the tree; subtrees deeper than MAX_DEPTH are deferred to a work list
  // (with the class/function context they were reached in) and visited after, from a fresh stack.
  // Atoms are sorted by position at the end, so the facts are the same as with one deep recursion,
  // and a file nested thousands of levels deep (a long `a + b + …` chain) cannot overflow the stack.
  let depth = 0;
  const deferred: Array<{ n: TsNode; classStack: Array<[number, number]>; fnDepth: number }> = [];
  const visit = (n: TsNode): void => {
    if (depth > MAX_DEPTH) {
      deferred.push({ n, classStack: [...classStack], fnDepth });
      return;
    }
    depth++;
    try {
      visitNode(n);
    } finally {
      depth--;
    }
  };
  const visitNode = (n: TsNode): void => {
    switch (n.type) {
      case "comment":
      case "import_statement":
      case "import_from_statement":
      case "future_import_statement":
      case "global_statement":
      case "nonlocal_statement":
      case "type":
        return;
      case "expression_statement": {
        const only = n.namedChildCount === 1 ? n.namedChildren[0] : undefined;
        if (only && (only.type === "string" || only.type === "concatenated_string")) return; // docstring / bare string: a comment
        return visitChildren(n);
      }
      case "decorated_definition": {
        for (const d of children(n)) if (d.type === "decorator") visitChildren(d);
        const def = n.childForFieldName("definition");
        if (def) visitDefinition(def, n);
        return;
      }
      case "function_definition":
      case "class_definition":
        return visitDefinition(n, n);
      case "lambda": {
        visitParams(n.childForFieldName("parameters"));
        const body = n.childForFieldName("body");
        if (body) visit(body);
        return;
      }
      case "assignment": {
        const left = n.childForFieldName("left");
        const right = n.childForFieldName("right");
        if (left?.type === "identifier" && right?.type === "lambda") {
          addFn(left.text, left, right, n.parent ?? n, fnDepth === 0 && classStack.length === 0, classStack[classStack.length - 1], null);
        }
        const cls = classStack[classStack.length - 1];
        if (cls && right) {
          if (left?.type === "attribute" && left.childForFieldName("object")?.text === "self") {
            const attr = left.childForFieldName("attribute");
            if (attr) pushField(cls, attr.text, [right.startIndex, right.endIndex]);
          } else if (left?.type === "identifier" && fnDepth === 0) {
            pushField(cls, left.text, [right.startIndex, right.endIndex]);
          }
        }
        if (left) visitTargets(left);
        if (right) visit(right);
        return;
      }
      case "augmented_assignment":
        return visitChildren(n);
      case "for_statement":
      case "for_in_clause": {
        const left = n.childForFieldName("left");
        if (left) visitTargets(left);
        for (const c of children(n)) if (c !== left && c.id !== left?.id) visit(c);
        return;
      }
      case "as_pattern": {
        const first = n.namedChildren[0];
        if (first) visit(first);
        return;
      }
      case "keyword_argument": {
        const v = n.childForFieldName("value");
        if (v) visit(v);
        return;
      }
      case "string":
        return visitString(n);
      case "call": {
        const f = n.childForFieldName("function");
        const q = f ? qualName(f, py.imports) : undefined;
        const provider = q ? providerForModule(q) : undefined;
        const env = envVarOf(n, py.imports);
        if (env !== undefined) {
          const r = classifyEnvVar(env);
          if (r) route(n, r, `os.environ["${env}"]`);
          const args = n.childForFieldName("arguments");
          if (args) visitChildren(args);
          return;
        }
        if (provider && q) {
          const r = providerCallRoute(py, provider, q, n);
          if (r) {
            route(n, r, f!.text);
            const args = n.childForFieldName("arguments");
            if (args) visitChildren(args);
            return;
          }
        }
        return visitChildren(n);
      }
      case "subscript": {
        const env = envVarOf(n, py.imports);
        if (env !== undefined) {
          const r = classifyEnvVar(env);
          if (r) route(n, r, `os.environ["${env}"]`);
          return;
        }
        return visitChildren(n);
      }
      case "attribute": {
        const obj = n.childForFieldName("object");
        const attr = n.childForFieldName("attribute");
        if (obj?.type === "identifier" && attr) {
          if (obj.text === "self" || obj.text === "cls") return void ref(n, attr.text, { self: true });
          const imp = facts.imports.get(obj.text);
          if (imp && imp.imported === "*") return void ref(n, obj.text, { prop: attr.text });
          return void ref(obj, obj.text);
        }
        if (obj) visit(obj);
        return;
      }
      case "identifier":
        if (comparedPy(n)) return;
        return void ref(n, n.text);
      default:
        return visitChildren(n);
    }
  };

  const visitDefinition = (def: TsNode, statement: TsNode) => {
    const nameNode = def.childForFieldName("name");
    const body = def.childForFieldName("body");
    if (def.type === "class_definition") {
      const range: [number, number] = [def.startIndex, def.endIndex];
      classStack.push(range);
      const savedDepth = fnDepth;
      fnDepth = 0; // class-body assignments are fields
      if (body) visit(body);
      fnDepth = savedDepth;
      classStack.pop();
      return;
    }
    const inClass = classStack.length > 0 && fnDepth === 0;
    if (nameNode) addFn(nameNode.text, nameNode, def, statement, fnDepth === 0 && classStack.length === 0, inClass ? classStack[classStack.length - 1] : undefined, body);
    visitParams(def.childForFieldName("parameters"));
    fnDepth++;
    if (body) visit(body);
    fnDepth--;
  };

  visitChildren(root);
  while (deferred.length) {
    const d = deferred.pop()!;
    classStack.length = 0;
    classStack.push(...d.classStack);
    fnDepth = d.fnDepth;
    visit(d.n);
  }
  facts.atoms.sort((a, b) => a.start - b.start);
  return py;
}
