/**
 * Python LLM-call facts: every model call and chat-model construction of a Python file, with a
 * reader for the settings it passes (keyword arguments, `options={…}` dicts, `config=
 * types.GenerateContentConfig(…)`, a dict bound to a local name, `**kwargs`), so the core's
 * parameter decisions (temperature, output budget) and the schema/endpoint decisions run on
 * Python exactly as on TS. Recognised by import (never by a bare name):
 *
 *   openai (and OpenAI-shaped SDKs: groq, together, cerebras, fireworks…) `chat.completions.
 *   create/parse/stream`, `completions.create`, `responses.create/parse/stream`, v0
 *   `openai.ChatCompletion.create`; anthropic `messages.create/stream`; ollama `chat/generate`
 *   (module-level or `Client()/AsyncClient()`); litellm `completion/acompletion/text_completion`
 *   (module-level or a `Router`); mistralai `chat.complete/stream(_async)`; google-genai
 *   `models.generate_content(_stream)` (also `client.aio.models…`); google.generativeai
 *   `GenerativeModel(…)`; LangChain chat-model constructors (`ChatOpenAI(…)`, `ChatOllama(…)`…
 *   from `langchain_*` packages) and `init_chat_model(…)`.
 *
 * Hand-written over tree-sitter nodes (no Python type checker is available in Node); receivers
 * are followed through assignments (`client = OpenAI()`, `self.client = AsyncOpenAI()`) and
 * annotations (`client: OpenAI`), else the file's imports decide, as the TS recogniser does.
 */
import type { Node as TsNode } from "web-tree-sitter";
import { HTTP_PATHS, type Shape } from "../core/llm-calls.js";
import { children, kwarg, namedChildren, positional, qualName, resolveString, unwrap, type PyFile } from "./facts.js";

/** A statically read Python value (a dict, a config object, a literal), or unknown. */
export type PyValue =
  | { kind: "object"; props: Map<string, TsNode>; complete: boolean; node: TsNode }
  | { kind: "literal"; value: string | number | boolean | null; node: TsNode }
  | { kind: "unknown"; node?: TsNode };

export type PySetting = { state: "present"; node: TsNode; value: PyValue } | { state: "absent" } | { state: "unknown" };

export type PyClientKind = "openai" | "anthropic" | "ollama" | "litellm" | "mistral" | "google-genai" | "google-model" | "langchain-model" | "structured-model" | "instructor";

export interface PyLlmCall {
  node: TsNode;
  /** Where a report goes: the method name (`create`), or the constructor/function name. */
  reportNode: TsNode;
  /** `chat.completions.create`, `ollama.chat`, `litellm.completion`, `ChatOpenAI`. */
  api: string;
  shape: Shape;
  /** The Python module the API comes from (`openai`, `langchain_openai`, `litellm`). */
  module: string;
  kind: PyClientKind;
  /** The client construction the call goes through, when known. */
  client?: TsNode;
  /** The request: the call's own keyword arguments (and `**` spreads). */
  request: PyValue;
  /** Carries generation settings (temperature, token budget). */
  settings: boolean;
  /** Its (awaited) result is model output. */
  output: boolean;
  /** For raw HTTP calls: the URL text (unknown parts as \u0000). */
  url?: string;
  /** Provider-enforced schema (`.parse(response_format=Model)`, `format=Model.model_json_schema()`, `with_structured_output`). */
  enforced: boolean;
}

export interface PyLlmFile {
  calls: PyLlmCall[];
  /** Calls by node id (for the schema rule's data flow). */
  byNode: Map<number, PyLlmCall>;
  /** The file imports an LLM SDK at all. */
  llm: boolean;
}

const LLM_MODULE = /^(openai|anthropic|ollama|litellm|groq|mistralai|google\.genai|google\.generativeai|together|cerebras|fireworks|langchain(_\w+)?|langchain_community|instructor|cohere)(\.|$)/;
/** OpenAI-shaped SDK modules (the `chat.completions.create` API). */
const OPENAI_SHAPED = /^(openai|groq|together|cerebras(\.cloud\.sdk)?|fireworks\.client|deepseek|portkey_ai|litellm)$/;

/** The module part of a qualified name that is an LLM SDK (`openai.resources.chat` → `openai`). */
function sdkRoot(q: string): string | undefined {
  const m = LLM_MODULE.exec(q);
  return m ? m[1] : undefined;
}

function lastOf(q: string): string {
  return q.slice(q.lastIndexOf(".") + 1);
}

const LANGCHAIN_CHAT_CLASS = /^(?:Azure|Bedrock)?Chat(?!Message|Generation|Prompt|History|Result|Session|Completion(?:Chunk|Message)|Model$)[A-Z]\w*$/;
const LANGCHAIN_LLM_CLASS = /^(OpenAI|AzureOpenAI|Ollama|OllamaLLM|Anthropic|Cohere|Together|Fireworks|LlamaCpp|HuggingFaceEndpoint|HuggingFaceHub|VLLM|VLLMOpenAI|Replicate|GPT4All|Bedrock|BedrockLLM|VertexAI|GooglePalm|Groq|DeepSeek|Mistral\w*)$/;
const LANGCHAIN_NOT_MODEL = /(?:Chunk|Message|Template|History|Input|Output|Result|Generation|Parser|Memory|Agent|Chain|Tool|Toolkit|Retriever|Loader|Store|Handler|Callbacks?|Error|Wrapper)$/;

/** The kind of client a constructor call makes, from its qualified name. */
function clientKindOfCtor(q: string): PyClientKind | undefined {
  const root = sdkRoot(q);
  if (!root) return undefined;
  const last = lastOf(q);
  if (root.startsWith("langchain")) {
    if (/^langchain_core\b/.test(q) || LANGCHAIN_NOT_MODEL.test(last)) return undefined;
    // completion-style LLM classes too: `langchain_community.llms.Ollama`, `langchain_ollama.OllamaLLM`, `langchain_openai.OpenAI`
    if (LANGCHAIN_LLM_CLASS.test(last) && (/\.llms(\.|$)/.test(q) || /^langchain_(openai|ollama|anthropic|cohere|together|fireworks|mistralai)\.[A-Z]/.test(q))) return "langchain-model";
    return LANGCHAIN_CHAT_CLASS.test(last) ? "langchain-model" : undefined;
  }
  if (/(Error|Exception|Warning|Timeout|Message|Response|Config|Options|Param|Params)$/.test(last) || /\.types?\./.test(q)) return undefined;
  if (root === "anthropic") return /^(Async)?Anthropic(Bedrock|Vertex)?$/.test(last) ? "anthropic" : undefined;
  if (root === "ollama") return /^(Async)?Client$/.test(last) ? "ollama" : undefined;
  if (root === "litellm") return last === "Router" ? "litellm" : undefined;
  if (root === "mistralai") return /^(Mistral|MistralClient|MistralAsyncClient)$/.test(last) ? "mistral" : undefined;
  if (root === "google.genai") return last === "Client" ? "google-genai" : undefined;
  if (root === "google.generativeai") return last === "GenerativeModel" ? "google-model" : undefined;
  if (OPENAI_SHAPED.test(root) || root === "cohere") {
    if (/^(Async)?(Azure)?(OpenAI|Groq|Together|Cerebras|Fireworks|DeepSeek|Portkey)$/.test(last) || /^(Async)?[A-Z][a-z]+OpenAI$/.test(last)) return "openai";
  }
  return undefined;
}

/** Assignment targets and annotations that hold clients: `client = OpenAI()`, `self.llm = ChatOpenAI()`, `client: AsyncOpenAI`. */
interface Bindings {
  names: Map<string, { kind: PyClientKind; node: TsNode; module: string }>;
  fields: Map<string, { kind: PyClientKind; node: TsNode; module: string }>;
}

function targetKey(left: TsNode): { name?: string; field?: string } {
  if (left.type === "identifier") return { name: left.text };
  if (left.type === "attribute") {
    const attr = left.childForFieldName("attribute")?.text;
    if (attr) return { field: attr };
  }
  return {};
}

/** Calls a node is: the callee's dotted path (`self.client.chat.completions.create` → root node + ["chat","completions","create"]). */
function memberPath(f: TsNode): { root: TsNode; path: string[] } {
  const path: string[] = [];
  let cur = unwrap(f);
  while (cur.type === "attribute") {
    const a = cur.childForFieldName("attribute");
    const o = cur.childForFieldName("object");
    if (!a || !o) break;
    path.unshift(a.text);
    cur = unwrap(o);
  }
  return { root: cur, path };
}

function endsWith(path: string[], tail: string[]): boolean {
  if (path.length < tail.length) return false;
  for (let i = 0; i < tail.length; i++) if (path[path.length - tail.length + i] !== tail[i]) return false;
  return true;
}

/** Strip response wrappers from a path: `chat.completions.with_raw_response.create` → `chat.completions.create`. */
function cleanPath(path: string[]): string[] {
  return path.filter((p) => p !== "with_raw_response" && p !== "with_streaming_response" && p !== "aio");
}

function enclosingScope(n: TsNode): TsNode {
  for (let p = n.parent; p; p = p.parent) if (p.type === "function_definition" || p.type === "module") return p;
  return n.tree.rootNode;
}

/** Iterative pre-order walk (deeply nested files must not overflow the stack). */
export function eachNode(root: TsNode, visit: (n: TsNode) => boolean | void): void {
  const stack: TsNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (visit(n) === false) continue;
    for (let i = n.childCount - 1; i >= 0; i--) {
      const c = n.child(i);
      if (c) stack.push(c);
    }
  }
}

function stringOf(n: TsNode): string | undefined {
  if (n.type !== "string") return undefined;
  let s = "";
  for (const c of children(n)) {
    if (c.type === "interpolation") return undefined;
    if (c.type === "string_content") s += c.text;
  }
  return s;
}

/**
 * Reads Python values statically: dict literals, `dict(…)`/config-class calls with keyword
 * arguments, literals, and names bound once to one of those in the same function or at module
 * level. A name whose dict is changed later (`params["temperature"] = t`, `.update(…)`) is
 * incomplete (its keys may grow), so a missing key there is "unknown", never "absent".
 */
export class PyValues {
  private assigns = new Map<number, Map<string, TsNode[]>>();
  private mutated = new Map<number, Set<string>>();
  constructor(private py: PyFile) {}

  private scopeInfo(scope: TsNode): { assigns: Map<string, TsNode[]>; mutated: Set<string> } {
    let a = this.assigns.get(scope.id);
    let m = this.mutated.get(scope.id);
    if (!a || !m) {
      a = new Map();
      m = new Set();
      const body = scope.type === "module" ? scope : scope.childForFieldName("body") ?? scope;
      const aa = a;
      const mm = m;
      eachNode(body, (x) => {
        if (x !== body && (x.type === "function_definition" || x.type === "class_definition" || x.type === "lambda")) return false;
        if (x.type === "assignment" || x.type === "augmented_assignment") {
          const left = x.childForFieldName("left");
          if (left?.type === "identifier") {
            const list = aa.get(left.text) ?? [];
            list.push(x);
            aa.set(left.text, list);
          } else if (left?.type === "subscript") {
            const v = left.childForFieldName("value");
            if (v?.type === "identifier") mm.add(v.text);
          }
        } else if (x.type === "call") {
          const f = x.childForFieldName("function");
          if (f?.type === "attribute" && /^(update|setdefault|__setitem__)$/.test(f.childForFieldName("attribute")?.text ?? "")) {
            const o = f.childForFieldName("object");
            if (o?.type === "identifier") mm.add(o.text);
          }
        } else if (x.type === "parameters" || x.type === "lambda_parameters") {
          for (const p of namedChildren(x)) {
            const id = p.type === "identifier" ? p : p.childForFieldName("name") ?? namedChildren(p).find((c) => c.type === "identifier");
            if (id) {
              const list = aa.get(id.text) ?? [];
              list.push(p);
              aa.set(id.text, list);
            }
          }
        }
      });
      // parameters are children of the function node, not of its body
      if (scope.type === "function_definition") {
        const params = scope.childForFieldName("parameters");
        for (const p of params ? namedChildren(params) : []) {
          const id = p.type === "identifier" ? p : p.childForFieldName("name") ?? namedChildren(p).find((c) => c.type === "identifier");
          if (id) {
            const list = aa.get(id.text) ?? [];
            list.push(p);
            aa.set(id.text, list);
          }
        }
      }
      this.assigns.set(scope.id, a);
      this.mutated.set(scope.id, m);
    }
    return { assigns: a, mutated: m };
  }

  /** The expression a name is bound to at `at` (one plain assignment in its scope), or undefined. */
  bindingOf(id: TsNode): { init?: TsNode; mutated: boolean; param: boolean } {
    const scope = enclosingScope(id);
    const info = this.scopeInfo(scope);
    const list = info.assigns.get(id.text);
    if (list?.length) {
      if (list.some((d) => d.type !== "assignment")) return { mutated: true, param: list.some((d) => d.type !== "assignment" && d.type !== "augmented_assignment") };
      const before = list.filter((d) => d.startIndex < id.startIndex);
      const d = (before.length ? before : list)[before.length ? before.length - 1 : 0];
      return { init: d.childForFieldName("right") ?? undefined, mutated: info.mutated.has(id.text) || list.length > 1, param: false };
    }
    if (scope.type !== "module") {
      const init = this.py.consts.get(id.text);
      if (init) return { init, mutated: this.scopeInfo(id.tree.rootNode).mutated.has(id.text), param: false };
    }
    return { mutated: false, param: false };
  }

  value(n: TsNode | null | undefined, depth = 0): PyValue {
    if (!n || depth > 8) return { kind: "unknown" };
    const u = unwrap(n);
    switch (u.type) {
      case "integer":
      case "float": {
        const v = Number(u.text.replace(/_/g, ""));
        return Number.isFinite(v) ? { kind: "literal", value: v, node: u } : { kind: "unknown", node: u };
      }
      case "unary_operator": {
        const arg = u.childForFieldName("argument");
        const v = this.value(arg, depth + 1);
        return v.kind === "literal" && typeof v.value === "number" && u.childForFieldName("operator")?.text === "-" ? { kind: "literal", value: -v.value, node: u } : { kind: "unknown", node: u };
      }
      case "true":
        return { kind: "literal", value: true, node: u };
      case "false":
        return { kind: "literal", value: false, node: u };
      case "none":
        return { kind: "literal", value: null, node: u };
      case "string":
      case "concatenated_string": {
        const s = resolveString(u, this.py).value;
        return s !== undefined ? { kind: "literal", value: s, node: u } : { kind: "unknown", node: u };
      }
      case "dictionary": {
        const props = new Map<string, TsNode>();
        let complete = true;
        for (const c of namedChildren(u)) {
          if (c.type === "pair") {
            const k = c.childForFieldName("key");
            const v = c.childForFieldName("value");
            const key = k ? stringOf(k) ?? this.literalKey(k, depth) : undefined;
            if (key !== undefined && v) props.set(key, v);
            else complete = false;
          } else if (c.type === "dictionary_splat") {
            const inner = this.value(c.namedChildren[0], depth + 1);
            if (inner.kind === "object") {
              for (const [k, v] of inner.props) if (!props.has(k)) props.set(k, v);
              if (!inner.complete) complete = false;
            } else complete = false;
          } else if (c.type !== "comment") complete = false;
        }
        return { kind: "object", props, complete, node: u };
      }
      case "call": {
        const f = u.childForFieldName("function");
        const last = f?.type === "attribute" ? f.childForFieldName("attribute")?.text ?? "" : f?.text ?? "";
        // `dict(temperature=0)`, `types.GenerateContentConfig(…)`, `ollama.Options(…)`, `genai.GenerationConfig(…)`
        if (last === "dict" || /(?:Config|Options|Params|Parameters|Settings)$/.test(last)) return this.kwargsOf(u, depth, last !== "dict");
        return { kind: "unknown", node: u };
      }
      case "identifier": {
        const b = this.bindingOf(u);
        if (!b.init) return { kind: "unknown", node: u };
        const v = this.value(b.init, depth + 1);
        if (v.kind === "object" && b.mutated) return { ...v, complete: false };
        return b.mutated && v.kind === "literal" ? { kind: "unknown", node: u } : v;
      }
      default:
        return { kind: "unknown", node: u };
    }
  }

  private literalKey(k: TsNode, depth: number): string | undefined {
    const v = this.value(k, depth + 1);
    return v.kind === "literal" && typeof v.value === "string" ? v.value : undefined;
  }

  /** A call's keyword arguments as an object (`**spread` merged when readable, else incomplete). */
  kwargsOf(call: TsNode, depth = 0, positionalOk = true): PyValue {
    const args = call.childForFieldName("arguments");
    const props = new Map<string, TsNode>();
    let complete = true;
    if (!args || args.type !== "argument_list") return { kind: "object", props, complete: !args, node: call };
    for (const a of namedChildren(args)) {
      if (a.type === "keyword_argument") {
        const k = a.childForFieldName("name")?.text;
        const v = a.childForFieldName("value");
        if (k && v) props.set(k, v);
      } else if (a.type === "dictionary_splat") {
        const inner = this.value(a.namedChildren[0], depth + 1);
        if (inner.kind === "object") {
          for (const [k, v] of inner.props) if (!props.has(k)) props.set(k, v);
          if (!inner.complete) complete = false;
        } else complete = false;
      } else if (a.type === "list_splat") {
        complete = false;
      } else if (a.type !== "comment" && !positionalOk) complete = false;
    }
    return { kind: "object", props, complete, node: call };
  }

  /** A setting by path (`["options", "temperature"]`); present beats unknown beats absent. */
  read(req: PyValue, path: string[], depth = 0): PySetting {
    if (req.kind !== "object") return { state: "unknown" };
    const [head, ...rest] = path;
    const node = req.props.get(head);
    if (!node) return req.complete ? { state: "absent" } : { state: "unknown" };
    const v = this.value(node, depth + 1);
    if (!rest.length) return { state: "present", node, value: v };
    if (v.kind === "literal" && v.value === null) return { state: "absent" };
    return this.read(v, rest, depth + 1);
  }

  /** The first present of several paths, else unknown when any is unknown, else absent. */
  readAny(req: PyValue, paths: string[][]): PySetting {
    let unknown = false;
    for (const p of paths) {
      const r = this.read(req, p);
      if (r.state === "present") return r;
      if (r.state === "unknown") unknown = true;
    }
    return unknown ? { state: "unknown" } : { state: "absent" };
  }
}

/** Every LLM call of a Python file (facts for the LLM rules). */
export function findPythonLlmCalls(root: TsNode, py: PyFile, values: PyValues): PyLlmFile {
  const out: PyLlmFile = { calls: [], byNode: new Map(), llm: false };
  const modules = new Set<string>();
  for (const imp of py.imports.values()) {
    if (imp.relative) continue;
    const r = sdkRoot(imp.name ? `${imp.module}.${imp.name}` : imp.module);
    if (r) modules.add(r);
  }
  if (!modules.size) return out;
  out.llm = true;
  const has = (re: RegExp) => [...modules].some((m) => re.test(m));

  const b: Bindings = { names: new Map(), fields: new Map() };
  const calls: TsNode[] = [];
  eachNode(root, (x) => {
    if (x.type === "call") calls.push(x);
    else if (x.type === "typed_parameter" || (x.type === "assignment" && x.childForFieldName("type"))) {
      // `client: OpenAI`, `self.llm: BaseChatModel = …`
      const t = x.childForFieldName("type");
      const id = x.type === "typed_parameter" ? namedChildren(x).find((c) => c.type === "identifier") : x.childForFieldName("left");
      const tn = t?.namedChildren[0];
      const q = tn && (tn.type === "identifier" || tn.type === "attribute") ? qualName(tn, py.imports) : undefined;
      const kind = q ? clientKindOfCtor(q) ?? (/^langchain/.test(q) && /^Base(Chat|Language)Model$/.test(lastOf(q)) ? "langchain-model" : /^instructor\.(Async)?Instructor$/.test(q) ? "instructor" : undefined) : undefined;
      if (id && kind && q) {
        const k = targetKey(id);
        if (k.name && !b.names.has(k.name)) b.names.set(k.name, { kind, node: x, module: sdkRoot(q)! });
        if (k.field && !b.fields.has(k.field)) b.fields.set(k.field, { kind, node: x, module: sdkRoot(q)! });
      }
    }
  });

  const bind = (call: TsNode, kind: PyClientKind, module: string) => {
    let n: TsNode = call;
    while (n.parent && (n.parent.type === "await" || n.parent.type === "parenthesized_expression")) n = n.parent;
    const p = n.parent;
    if (p?.type === "assignment" && p.childForFieldName("right")?.id === n.id) {
      const left = p.childForFieldName("left");
      const k = left ? targetKey(left) : {};
      if (k.name) b.names.set(k.name, { kind, node: call, module });
      if (k.field) b.fields.set(k.field, { kind, node: call, module });
    }
  };

  const add = (c: Omit<PyLlmCall, "request"> & { request?: PyValue }) => {
    // instructor's `response_model=Model` (a patched client) validates the output against the model.
    const full: PyLlmCall = { ...c, enforced: c.enforced || !!kwarg(c.node, "response_model"), request: c.request ?? values.kwargsOf(c.node) };
    out.calls.push(full);
    out.byNode.set(c.node.id, full);
  };

  /** The client a receiver expression holds. */
  const clientOf = (recv: TsNode): { kind: PyClientKind; node: TsNode; module: string } | undefined => {
    const r = unwrap(recv);
    if (r.type === "identifier") {
      const hit = b.names.get(r.text);
      if (hit) return hit;
      const q = qualName(r, py.imports);
      if (q && (q === "ollama" || q === "litellm" || q === "openai" || q === "anthropic")) return { kind: q as PyClientKind, node: r, module: q };
      return undefined;
    }
    if (r.type === "attribute") {
      const q = qualName(r, py.imports);
      if (q === "openai") return { kind: "openai", node: r, module: "openai" };
      const a = r.childForFieldName("attribute")?.text;
      return a ? b.fields.get(a) : undefined;
    }
    if (r.type === "call") {
      const f = r.childForFieldName("function");
      const q = f ? qualName(f, py.imports) : undefined;
      const kind = q ? clientKindOfCtor(q) : undefined;
      if (kind && q) return { kind, node: r, module: sdkRoot(q)! };
      const wrapped = q ? instructorOf(r, q) : undefined;
      if (wrapped) return { kind: "instructor", node: r, module: wrapped.module };
      // `ChatOpenAI(…).with_structured_output(X)` / `.bind(…)`
      if (f?.type === "attribute") {
        const inner = clientOf(f.childForFieldName("object")!);
        const m = f.childForFieldName("attribute")?.text ?? "";
        if (inner?.kind === "langchain-model" && m === "with_structured_output") return { ...inner, kind: "structured-model" };
        if (inner?.kind === "langchain-model" && /^(bind|bind_tools|with_config|with_retry|with_fallbacks|configurable_fields)$/.test(m)) return inner;
      }
    }
    return undefined;
  };

  /**
   * instructor wraps a client (`instructor.from_openai(OpenAI())`, `instructor.patch(…)`,
   * `instructor.from_provider("anthropic/claude-…")`): its `chat.completions.create` and
   * `messages.create` are model calls in the wrapped provider's spelling, validated against
   * `response_model=`.
   */
  const instructorOf = (call: TsNode, q: string): { module: string } | undefined => {
    const m = /^instructor\.(?:from_(\w+)|a?patch|from_provider|(?:Async)?Instructor)$/.exec(q);
    if (!m) return undefined;
    if (m[1]) return { module: m[1] === "genai" || m[1] === "gemini" ? "google.genai" : m[1] };
    const first = positional(call)[0] ?? kwarg(call, "client") ?? kwarg(call, "model");
    if (q === "instructor.from_provider") {
      const v = first ? values.value(first) : undefined;
      const prefix = v?.kind === "literal" && typeof v.value === "string" ? v.value.split("/")[0] : "";
      return { module: prefix || "instructor" };
    }
    const inner = first ? clientOf(first) : undefined;
    return { module: inner?.module ?? "openai" };
  };

  // Pass 1: constructions (bind names), in source order.
  for (const call of calls) {
    const f = call.childForFieldName("function");
    if (!f) continue;
    const q = qualName(f, py.imports);
    const wrapped = q ? instructorOf(call, q) : undefined;
    if (wrapped) {
      bind(call, "instructor", wrapped.module);
      continue;
    }
    const kind = q ? clientKindOfCtor(q) : undefined;
    if (kind && q) {
      bind(call, kind, sdkRoot(q)!);
      continue;
    }
    if (f.type === "attribute") {
      const m = f.childForFieldName("attribute")?.text ?? "";
      const inner = clientOf(f.childForFieldName("object")!);
      if (inner?.kind === "langchain-model" && (m === "with_structured_output" || /^(bind|bind_tools|with_config|with_retry|with_fallbacks)$/.test(m))) {
        bind(call, m === "with_structured_output" ? "structured-model" : "langchain-model", inner.module);
      }
    } else if (q && /^langchain(\.chat_models)?(\.base)?\.init_chat_model$/.test(q)) bind(call, "langchain-model", "langchain");
  }

  // Pass 2: the calls.
  for (const call of calls) {
    const f = call.childForFieldName("function");
    if (!f) continue;
    const q = qualName(f, py.imports);
    const first = namedChildren(call.childForFieldName("arguments") ?? call).find((a) => a.type !== "comment");
    // Constructors that carry settings: LangChain chat models, google.generativeai.GenerativeModel.
    if (q) {
      const kind = clientKindOfCtor(q);
      const last = lastOf(q);
      if (kind === "langchain-model") {
        add({ node: call, reportNode: f.type === "attribute" ? f.childForFieldName("attribute")! : f, api: last, shape: "langchain", module: sdkRoot(q)!, kind, settings: true, output: false, enforced: false });
        continue;
      }
      if (kind === "google-model") {
        // Its settings may come per request (`generate_content(…, generation_config=…)`): decided at the
        // construction only when every use of the model is visible (a local name used for calls only).
        add({ node: call, reportNode: f.type === "attribute" ? f.childForFieldName("attribute")! : f, api: "GenerativeModel", shape: "google", module: "google.generativeai", kind, settings: usesAllVisible(call), output: false, enforced: false });
        continue;
      }
      if (/^langchain(\.chat_models)?(\.base)?\.init_chat_model$/.test(q)) {
        add({ node: call, reportNode: f.type === "attribute" ? f.childForFieldName("attribute")! : f, api: "init_chat_model", shape: "langchain", module: "langchain", kind: "langchain-model", settings: true, output: false, enforced: false });
        continue;
      }
      // Module-level APIs: `ollama.chat(…)`, `litellm.completion(…)`, `from litellm import completion`.
      if (/^ollama\.(chat|generate)$/.test(q)) {
        add({ node: call, reportNode: f.type === "attribute" ? f.childForFieldName("attribute")! : f, api: `ollama.${last}`, shape: "ollama", module: "ollama", kind: "ollama", settings: true, output: true, enforced: !!kwarg(call, "format") && isSchemaFormat(kwarg(call, "format")!, values) });
        continue;
      }
      if (/^litellm\.(a?completion|a?text_completion|batch_completion)$/.test(q)) {
        add({ node: call, reportNode: f.type === "attribute" ? f.childForFieldName("attribute")! : f, api: `litellm.${last}`, shape: "openai", module: "litellm", kind: "litellm", settings: true, output: true, enforced: enforcedOpenAi(call, values) });
        continue;
      }
      if (/^openai\.(ChatCompletion|Completion)\.a?create$/.test(q)) {
        add({ node: call, reportNode: f.childForFieldName("attribute")!, api: q.slice(7), shape: "openai", module: "openai", kind: "openai", settings: true, output: true, enforced: enforcedOpenAi(call, values) });
        continue;
      }
    }
    if (f.type !== "attribute") continue;
    const { root: recvRoot, path: rawPath } = memberPath(f);
    const path = cleanPath(rawPath);
    if (!path.length) continue;
    const last = path[path.length - 1];
    const reportNode = f.childForFieldName("attribute")!;
    // The receiver of an API group (`client` in client.chat.completions.create).
    const recvAt = (len: number): TsNode | undefined => {
      // walk `len` attribute steps up from the callee, skipping wrappers
      let cur: TsNode | null = f;
      let steps = 0;
      while (cur && cur.type === "attribute" && steps < len) {
        const a = cur.childForFieldName("attribute")?.text;
        cur = cur.childForFieldName("object");
        if (a && a !== "with_raw_response" && a !== "with_streaming_response" && a !== "aio") steps++;
        while (cur && cur.type === "attribute" && /^(with_raw_response|with_streaming_response|aio)$/.test(cur.childForFieldName("attribute")?.text ?? "")) cur = cur.childForFieldName("object");
      }
      return cur ?? undefined;
    };
    void recvRoot;
    // instructor: `client.chat.completions.create(…)`, `client.messages.create(…)`, `create_with_completion`, `create_partial`, `create_iterable`
    if ((endsWith(path, ["chat", "completions", last]) || endsWith(path, ["messages", last])) && /^(create|create_with_completion|create_partial|create_iterable)$/.test(last)) {
      const l = path[path.length - 2] === "messages" ? 2 : 3;
      const client = clientOf(recvAt(l) ?? f);
      if (client?.kind === "instructor") {
        const shape: Shape = client.module === "anthropic" ? "anthropic" : client.module === "ollama" ? "openai" : client.module === "google.genai" ? "google" : client.module === "mistral" || client.module === "mistralai" ? "mistral" : "openai";
        add({ node: call, reportNode, api: path.slice(path.length - l).join("."), shape, module: client.module === "mistral" ? "mistralai" : client.module, kind: "instructor", client: client.node, settings: true, output: true, enforced: !!kwarg(call, "response_model") });
        continue;
      }
    }
    let len = 0;
    if (endsWith(path, ["chat", "completions", last]) && /^(create|parse|stream|acreate)$/.test(last)) len = 3;
    else if (endsWith(path, ["responses", last]) && /^(create|parse|stream)$/.test(last)) len = 2;
    else if (endsWith(path, ["completions", "create"]) && path[path.length - 3] !== "chat") len = 2;
    if (len) {
      if (path[path.length - len - 1] === "beta") len++;
      const recv = recvAt(len);
      const client = recv ? clientOf(recv) : undefined;
      const ok = client ? client.kind === "openai" || client.kind === "litellm" : has(OPENAI_SHAPED);
      if (ok) {
        const responses = path.includes("responses");
        // `responses.stream(response_id=…)` resumes a response made earlier: it sends no generation settings.
        const resumes = responses && !!kwarg(call, "response_id");
        add({ node: call, reportNode, api: path.slice(path.length - len).join("."), shape: responses ? "openai-responses" : "openai", module: client?.module ?? "openai", kind: "openai", client: client?.node, settings: !resumes, output: true, enforced: /^parse$/.test(last) || enforcedOpenAi(call, values) });
        continue;
      }
    }
    if (endsWith(path, ["messages", last]) && /^(create|stream|parse)$/.test(last)) {
      let l = 2;
      if (path[path.length - 3] === "beta") l = 3;
      const recv = recvAt(l);
      const client = recv ? clientOf(recv) : undefined;
      if (client ? client.kind === "anthropic" : has(/^anthropic$/)) {
        add({ node: call, reportNode, api: `messages.${last}`, shape: "anthropic", module: "anthropic", kind: "anthropic", client: client?.node, settings: true, output: true, enforced: last === "parse" || !!kwarg(call, "output_format") });
        continue;
      }
    }
    if (endsWith(path, ["models", last]) && /^generate_content(_stream)?$/.test(last)) {
      const recv = recvAt(2);
      const client = recv ? clientOf(recv) : undefined;
      if (client ? client.kind === "google-genai" : has(/^google\.genai$/)) {
        const cfg = values.read(values.kwargsOf(call), ["config"]);
        const schema = cfg.state === "present" ? values.readAny(cfg.value, [["response_schema"], ["response_json_schema"]]) : { state: "absent" as const };
        add({ node: call, reportNode, api: `models.${last}`, shape: "google", module: "google.genai", kind: "google-genai", client: client?.node, settings: true, output: true, enforced: schema.state !== "absent" });
        continue;
      }
    }
    if (endsWith(path, ["chat", last]) && /^(complete|stream|complete_async|stream_async|parse|parse_async)$/.test(last)) {
      const recv = recvAt(2);
      const client = recv ? clientOf(recv) : undefined;
      if (client?.kind === "mistral" || (!client && has(/^mistralai$/))) {
        add({ node: call, reportNode, api: `chat.${last}`, shape: "mistral", module: "mistralai", kind: "mistral", client: client?.node, settings: true, output: true, enforced: /parse/.test(last) || enforcedOpenAi(call, values) });
        continue;
      }
    }
    const recv1 = recvAt(1);
    const client1 = recv1 ? clientOf(recv1) : undefined;
    if (!client1) continue;
    if (client1.kind === "ollama" && (last === "chat" || last === "generate")) {
      add({ node: call, reportNode, api: `ollama.${last}`, shape: "ollama", module: "ollama", kind: "ollama", client: client1.node, settings: true, output: true, enforced: !!kwarg(call, "format") && isSchemaFormat(kwarg(call, "format")!, values) });
    } else if (client1.kind === "litellm" && /^(a?completion|a?text_completion)$/.test(last)) {
      add({ node: call, reportNode, api: `Router.${last}`, shape: "openai", module: "litellm", kind: "litellm", client: client1.node, settings: true, output: true, enforced: enforcedOpenAi(call, values) });
    } else if (client1.kind === "google-model" && /^(generate_content|generate_content_async|send_message|send_message_async)$/.test(last)) {
      add({ node: call, reportNode, api: last, shape: "google", module: "google.generativeai", kind: "google-model", client: client1.node, settings: false, output: true, enforced: false });
    } else if ((client1.kind === "langchain-model" || client1.kind === "structured-model") && /^(invoke|ainvoke|stream|astream|batch|abatch|predict|apredict|generate|agenerate)$/.test(last)) {
      add({ node: call, reportNode, api: last, shape: "langchain", module: client1.module, kind: client1.kind, client: client1.node, settings: false, output: true, enforced: client1.kind === "structured-model" });
    }
    void first;
  }
  // Pass 3: raw HTTP to a model API path with a JSON body that names a model
  // (`requests.post(f"{OLLAMA}/api/chat", json={"model": …})`, `session.post(url, json=payload)`).
  for (const call of calls) {
    if (out.byNode.has(call.id)) continue;
    const f = call.childForFieldName("function");
    // `urllib.request.Request(url, data=json.dumps(payload).encode())` (opened with `urlopen`)
    if (f && qualName(f, py.imports) === "urllib.request.Request") {
      const urlNode = kwarg(call, "url") ?? positional(call)[0];
      const url = urlNode ? urlText(urlNode, py) : undefined;
      const hit = url ? HTTP_PATHS.find(([re]) => re.test(url)) : undefined;
      const data = kwarg(call, "data") ?? positional(call)[1];
      const body = data ? jsonBodyOf(data, values) : undefined;
      const req = body ? values.value(body) : undefined;
      if (hit && req?.kind === "object" && (req.props.has("model") || hit[1] === "anthropic")) {
        add({ node: call, reportNode: f.type === "attribute" ? f.childForFieldName("attribute")! : f, api: f.text, shape: hit[1], module: "http", kind: hit[1] === "ollama" ? "ollama" : "openai", settings: true, output: false, enforced: false, request: req, url });
      }
      continue;
    }
    if (f?.type !== "attribute") continue;
    const method = f.childForFieldName("attribute")?.text ?? "";
    if (!/^(post|request|stream)$/.test(method)) continue;
    const q = qualName(f, py.imports);
    if (q && !/^(requests|httpx|aiohttp)\./.test(q) && !/^[a-z_]*(session|client|http|sess|s|c|api)$/i.test(f.childForFieldName("object")?.text ?? "")) continue;
    const args = positional(call);
    const urlNode = kwarg(call, "url") ?? (method === "post" ? args[0] : args[1]);
    const url = urlNode ? urlText(urlNode, py) : undefined;
    if (!url) continue;
    const hit = HTTP_PATHS.find(([re]) => re.test(url));
    if (!hit) continue;
    let body = kwarg(call, "json");
    const data = kwarg(call, "data") ?? kwarg(call, "content");
    if (!body && data) body = jsonBodyOf(data, values);
    const req = body ? values.value(body) : undefined;
    if (req?.kind !== "object" || (!req.props.has("model") && hit[1] !== "anthropic")) continue;
    add({ node: call, reportNode: f.childForFieldName("attribute")!, api: f.text.replace(/\s+/g, "").slice(0, 60), shape: hit[1], module: "http", kind: hit[1] === "ollama" ? "ollama" : "openai", settings: true, output: true, enforced: false, request: req, url });
  }
  return out;
}

/** A construction bound to a plain name (`model = X(…)`) whose every later use is a method call on it (`model.f(…)`). */
function usesAllVisible(ctor: TsNode): boolean {
  let n: TsNode = ctor;
  while (n.parent && (n.parent.type === "await" || n.parent.type === "parenthesized_expression")) n = n.parent;
  const p = n.parent;
  if (p?.type !== "assignment" || p.childForFieldName("right")?.id !== n.id) return false;
  const left = p.childForFieldName("left");
  if (left?.type !== "identifier") return false;
  let scope: TsNode | null = p.parent;
  while (scope && scope.type !== "function_definition" && scope.type !== "module") scope = scope.parent;
  if (!scope) return false;
  let ok = true;
  eachNode(scope, (x) => {
    if (!ok) return false;
    if (x.type === "identifier" && x.text === left.text && x.startIndex > p.endIndex) {
      const a = x.parent;
      if (!(a?.type === "attribute" && a.childForFieldName("object")?.id === x.id && a.parent?.type === "call")) ok = false;
    }
  });
  return ok;
}

/** `json.dumps(payload).encode()` (directly or through a local name) → `payload`. */
function jsonBodyOf(n: TsNode, values: PyValues, depth = 0): TsNode | undefined {
  if (depth > 3) return undefined;
  let u = unwrap(n);
  if (u.type === "identifier") {
    const b = values.bindingOf(u);
    return b.init && !b.mutated ? jsonBodyOf(b.init, values, depth + 1) : undefined;
  }
  const f = u.type === "call" ? u.childForFieldName("function") : undefined;
  if (f?.type === "attribute" && f.childForFieldName("attribute")?.text === "encode") u = unwrap(f.childForFieldName("object")!);
  return u.type === "call" && /^(json|orjson)\.dumps$/.test(u.childForFieldName("function")?.text ?? "") ? positional(u)[0] : undefined;
}


/** A URL's text with unknown parts as \u0000 (`f"{BASE}/api/chat"` → `\u0000/api/chat`). */
export function urlText(n: TsNode, py: PyFile, depth = 0): string | undefined {
  if (depth > 6) return undefined;
  const u = unwrap(n);
  if (u.type === "string") {
    let s = "";
    for (const c of children(u)) {
      if (c.type === "string_content") s += c.text;
      else if (c.type === "interpolation") {
        const e = c.namedChildren[0];
        s += (e ? urlText(e, py, depth + 1) : undefined) ?? "\u0000";
      }
    }
    return s;
  }
  if (u.type === "binary_operator" && u.childForFieldName("operator")?.text === "+") {
    const l = urlText(u.childForFieldName("left")!, py, depth + 1) ?? "\u0000";
    const r = urlText(u.childForFieldName("right")!, py, depth + 1) ?? "\u0000";
    return l + r;
  }
  if (u.type === "concatenated_string") return namedChildren(u).map((c) => urlText(c, py, depth + 1) ?? "\u0000").join("");
  const v = resolveString(u, py).value;
  return v;
}

/** `response_format=Model` / `{"type": "json_schema", …}` / `text_format=Model`: a provider-enforced schema. */
function enforcedOpenAi(call: TsNode, values: PyValues): boolean {
  if (kwarg(call, "text_format")) return true;
  const rf = kwarg(call, "response_format");
  if (!rf) return false;
  const v = values.value(rf);
  if (v.kind === "object") {
    const t = v.props.get("type");
    const tv = t ? values.value(t) : undefined;
    return tv?.kind === "literal" && tv.value === "json_schema";
  }
  // a pydantic class (`response_format=Answer`) or a helper (`type_to_response_format_param(Answer)`)
  const u = unwrap(rf);
  return u.type === "identifier" || u.type === "attribute" || u.type === "call";
}

/** Ollama `format=Model.model_json_schema()` / a schema dict enforces a schema; `format="json"` does not. */
function isSchemaFormat(fmt: TsNode, values: PyValues): boolean {
  const v = values.value(fmt);
  if (v.kind === "literal") return false;
  return true;
}

export { positional };
