/**
 * THE LLM-call recogniser (SPEC §2.4's list): every model call and client in a file,
 * identified by import source — never by a bare name — with the request object it was given.
 *
 *   OpenAI `chat.completions.create/parse/stream/runTools`, `completions.create`,
 *   `responses.create/parse/stream` (and OpenAI-shaped clients: groq-sdk, TokenJS, Portkey,
 *   Together, Cerebras), Anthropic `messages.create/stream`, ollama-js `chat/generate`,
 *   Vercel AI SDK `generateText/streamText/generateObject/streamObject`, LangChain chat-model
 *   constructors (and `initChatModel`), Google `getGenerativeModel` / `models.generateContent`,
 *   Mistral `chat.complete/stream`, raw `fetch`/axios with a JSON body to an LLM path.
 *
 * Pure ESTree + a ValueEnv (scope lookup); one walk per file, cached per AST by the caller.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { visitorKeys } from "@typescript-eslint/visitor-keys";
import { clientEndpointNode, endpointLabel } from "./llm-endpoints.js";
import { CLIENT_CLASS_PROVIDERS, LLM_PATHS, PROVIDERS, providerForImport, providerForPackage } from "./providers.js";
import { SETTING_CONTAINERS, type ParamQuery, type SettingValue, type Shape } from "./llm-params.js";
import { sdkVersionFor } from "./sdk-version.js";
import { moduleModelIds } from "./model-module.js";
import { getPath, getProp, keyName, resolveUrlText, resolveValue, unwrapExpr, type Prop, type Value, type ValueEnv } from "./values.js";

type Node = TSESTree.Node;

export type { Shape };

export interface ImportRef {
  source: string;
  /** "default", "*" or the exported name. */
  imported: string;
  typeOnly: boolean;
}

export type ClientKind =
  | "openai" | "anthropic" | "ollama" | "google-genai" | "google-generative" | "mistral"
  | "ai-provider" /** createOpenAI(), createOllama()… (a provider factory instance) */
  | "ai-model" /** openai("gpt-4o") from @ai-sdk/openai: a model from a default provider */
  | "langchain-model" | "google-model" | "structured-model";

export interface LlmClient {
  kind: ClientKind;
  /** The construction (`new OpenAI({…})`, `createOllama({…})`, `openai("gpt-4o")`), or the import identifier of a default instance. */
  node: Node;
  source: string;
  imported: string;
  args: Node[];
  /** A default instance (`import ollama from "ollama"`), not constructed in this file. */
  defaultInstance?: boolean;
  /** Known only from a type annotation (`constructor(private client: OpenAI)`). */
  typedOnly?: boolean;
  /** Built with a test-double transport (`fetch: vi.fn(…)`, `fetch: mockFetch`): it reaches no model. */
  testDouble?: boolean;
}

export interface LlmCall {
  node: TSESTree.CallExpression | TSESTree.NewExpression;
  /** Where a report goes: the method / function / class name. */
  reportNode: Node;
  /** Human name of the API: `chat.completions.create`, `generateText`, `new ChatOpenAI`, `fetch …/api/chat`. */
  api: string;
  shape: Shape;
  /** Package the API comes from (`openai`, `ai`, `@langchain/openai`), or "fetch"/"axios". */
  source: string;
  /** The request object expression (first argument, LangChain options, the JSON body). */
  request?: Node;
  /** The client the call goes through, when known. */
  client?: LlmClient;
  /** Carries generation settings (temperature, token budget). */
  settings: boolean;
  /** Its (awaited) result is model output. */
  output: boolean;
  /** For fetch/axios: the URL text (unknown parts as \u0000). */
  url?: string;
  /** For calls through an axios instance: its `axios.create(…)` call (undefined when only typed `AxiosInstance`). */
  via?: TSESTree.CallExpression;
}

/** An axios instance: `axios.create({ baseURL })`, or a binding typed `AxiosInstance`. */
interface HttpInstance {
  create?: TSESTree.CallExpression;
  /** The `baseURL` expression of the create config, when written. */
  base?: Node;
  /** The config could not be read (a spread, a parameter): the base is unknown. */
  unknownBase?: boolean;
}

export interface LlmFile {
  calls: LlmCall[];
  clients: LlmClient[];
  imports: Map<string, ImportRef>;
  /** The file imports an LLM SDK or calls a model API at all. */
  llm: boolean;
  /** Every call/new expression of the file, in source order (empty when `llm` is false). */
  callNodes: Array<TSESTree.CallExpression | TSESTree.NewExpression>;
}

const OPENAI_SHAPED = new Set(["openai", "groq-sdk", "token.js", "portkey-ai", "together-ai", "@cerebras/cerebras_cloud_sdk"]);
const ANTHROPIC = new Set(["@anthropic-ai/sdk", "@anthropic-ai/bedrock-sdk", "@anthropic-ai/vertex-sdk"]);
const OLLAMA = new Set(["ollama", "ollama/browser"]);
const AI_SDK = new Set(["ai", "ai/rsc", "@ai-sdk/rsc"]);
const AI_FUNCS = new Set(["generateText", "streamText", "generateObject", "streamObject", "streamUI"]);
const AI_NON_PROVIDER = new Set(["@ai-sdk/react", "@ai-sdk/ui-utils", "@ai-sdk/provider", "@ai-sdk/provider-utils", "@ai-sdk/rsc", "@ai-sdk/svelte", "@ai-sdk/vue", "@ai-sdk/solid", "@ai-sdk/angular", "@ai-sdk/gateway"]);
/** Default provider instances the AI SDK packages export (`openai("gpt-4o")`, `ollama("llama3")`). */
const AI_PROVIDER_INSTANCES = /^(?:openai|azure|anthropic|google|vertex|vertexAnthropic|mistral|groq|xai|deepseek|cohere|perplexity|togetherai|fireworks|cerebras|deepinfra|bedrock|amazonBedrock|ollama|openrouter|lmstudio|gateway|huggingface|replicate|luma|fal|baseten|portkey)$/;
/** LangChain chat-model classes: `ChatOpenAI`, `AzureChatOpenAI`… — not `ChatMessage`, `ChatGenerationChunk`, `ChatPromptTemplate`. */
const LANGCHAIN_CHAT_CLASS = /^(?:Azure)?Chat(?!Message|Generation|Prompt|History|Result|Session|Completion(?:Chunk|Message))[A-Z]\w*$/;
const LANGCHAIN_NOT_MODEL = /(?:Chunk|Message|Template|History|Input|Output|Result|Generation|Parser|Memory|Agent|Chain|Tool|Toolkit|Retriever|Loader|Store|Handler|Callbacks?|Error)$/;
const LANGCHAIN_LLM_CLASSES = new Set(["OpenAI", "AzureOpenAI", "Ollama", "Anthropic", "Cohere", "TogetherAI", "Fireworks"]);
const LANGCHAIN_INVOKE = new Set(["invoke", "stream", "call", "predict", "generate", "batch", "predictMessages", "streamEvents"]);
const SCHEMA_METHODS = new Set(["withStructuredOutput"]);

/** LLM API paths a raw HTTP call may target (SPEC §2.4); `/chat/completions` under any prefix. Shared with the Python front. */
export const HTTP_PATHS: Array<[RegExp, Shape]> = [
  [/\/chat\/completions(?:$|[?#])/, "openai"],
  [/\/v1\/completions(?:$|[?#])/, "openai"],
  [/\/v1\/responses(?:$|[?#])/, "openai-responses"],
  [/\/v1\/messages(?:$|[?#])/, "anthropic"],
  [/\/api\/generate(?:$|[?#])/, "ollama"],
  [/\/api\/chat(?:$|[?#])/, "ollama"],
];

function isAiProviderPackage(source: string): boolean {
  if (source.startsWith("@ai-sdk/")) return !AI_NON_PROVIDER.has(source.replace(/-v\d+$/, "")) && !/utils|provider$/.test(source);
  return /^(?:ollama-ai-provider(?:-v2)?|@openrouter\/ai-sdk-provider|@portkey-ai\/vercel-provider|@ai-sdk\/openai-compatible)$/.test(source) || /-ai-sdk-provider$/.test(source);
}

function isLangchain(source: string): boolean {
  return source.startsWith("@langchain/") || source.startsWith("langchain/") || source === "langchain";
}

/** Client kind of `imported` from `source` when constructed / called, or undefined. */
function clientKindOf(source: string, imported: string, isNew: boolean): ClientKind | undefined {
  // `TokenJS` is an OpenAI-shaped router by construction, also from a fork published under another name.
  if (imported === "TokenJS" && !source.startsWith(".")) return isNew ? "openai" : undefined;
  if (OPENAI_SHAPED.has(source) || source === "openai/index") {
    if (isNew && (imported === "default" || imported === "*" || /^(OpenAI|AzureOpenAI|TokenJS|Groq|Portkey|Together|Cerebras)$/.test(imported))) return "openai";
    return undefined;
  }
  if (ANTHROPIC.has(source)) return isNew && (imported === "default" || imported === "*" || /^Anthropic/.test(imported)) ? "anthropic" : undefined;
  if (OLLAMA.has(source)) return isNew && (imported === "Ollama" || imported === "default" || imported === "*") ? "ollama" : undefined;
  if (source === "@google/genai") return isNew && imported === "GoogleGenAI" ? "google-genai" : undefined;
  if (source === "@google/generative-ai") return isNew && imported === "GoogleGenerativeAI" ? "google-generative" : undefined;
  if (source === "@mistralai/mistralai") return isNew && (imported === "Mistral" || imported === "MistralClient" || imported === "default") ? "mistral" : undefined;
  if (isAiProviderPackage(source)) {
    if (!isNew && /^create[A-Z]/.test(imported) && !/MCP|Mcp|Stream|UI|Ui|Tool|Agent|Message|Data|Id[A-Z]?|Json|Event|Parser|Transport/.test(imported)) return "ai-provider";
    if (!isNew && AI_PROVIDER_INSTANCES.test(imported)) return "ai-model";
    return undefined;
  }
  if (isLangchain(source)) {
    if (source.startsWith("@langchain/core") || LANGCHAIN_NOT_MODEL.test(imported)) return undefined;
    if (isNew && (LANGCHAIN_CHAT_CLASS.test(imported) || (LANGCHAIN_LLM_CLASSES.has(imported) && /\/(?:openai|ollama|anthropic|cohere|together|fireworks|llms\/\w+)$/.test(source)))) return "langchain-model";
    return undefined;
  }
  return undefined;
}

/** Packages that make a file "an LLM file" for the shape-based fallbacks. */
const llmPackageMemo = new Map<string, boolean>();
function isLlmPackage(source: string): boolean {
  let r = llmPackageMemo.get(source);
  if (r === undefined) {
    r = isLlmPackageUncached(source);
    if (llmPackageMemo.size < 5000) llmPackageMemo.set(source, r);
  }
  return r;
}
function isLlmPackageUncached(source: string): boolean {
  return OPENAI_SHAPED.has(source) || ANTHROPIC.has(source) || OLLAMA.has(source) || AI_SDK.has(source) || isAiProviderPackage(source) || isLangchain(source) || source.startsWith("openai/") || source.startsWith("@anthropic-ai/") || source.startsWith("@google/gen") || source === "@mistralai/mistralai" || !!providerForPackage(source);
}

const SKIP_KEYS = new Set(["typeParameters", "typeArguments", "returnType", "superTypeArguments", "superTypeParameters", "implements", "decorators"]);

function collectImports(program: TSESTree.Program): Map<string, ImportRef> {
  const out = new Map<string, ImportRef>();
  const req = (n: Node | null | undefined): string | undefined => {
    let e = n ? unwrapExpr(n) : undefined;
    if (e?.type === "AwaitExpression") e = unwrapExpr(e.argument);
    if (e?.type === "CallExpression" && e.callee.type === "Identifier" && e.callee.name === "require" && e.arguments[0]?.type === "Literal" && typeof e.arguments[0].value === "string") return e.arguments[0].value;
    if (e?.type === "ImportExpression" && e.source.type === "Literal" && typeof e.source.value === "string") return e.source.value;
    return undefined;
  };
  for (const stmt of program.body) {
    if (stmt.type === "ImportDeclaration") {
      const source = String(stmt.source.value);
      for (const s of stmt.specifiers) {
        const imported = s.type === "ImportDefaultSpecifier" ? "default" : s.type === "ImportNamespaceSpecifier" ? "*" : keyName(s.imported, false) ?? "default";
        out.set(s.local.name, { source, imported: imported === "default" && s.type === "ImportSpecifier" ? "default" : imported, typeOnly: stmt.importKind === "type" || (s.type === "ImportSpecifier" && s.importKind === "type") });
      }
    } else if (stmt.type === "TSImportEqualsDeclaration" && stmt.moduleReference.type === "TSExternalModuleReference" && stmt.moduleReference.expression.type === "Literal") {
      out.set(stmt.id.name, { source: String(stmt.moduleReference.expression.value), imported: "*", typeOnly: false });
    } else if (stmt.type === "VariableDeclaration") {
      for (const d of stmt.declarations) {
        const source = req(d.init);
        if (!source) continue;
        if (d.id.type === "Identifier") out.set(d.id.name, { source, imported: "*", typeOnly: false });
        else if (d.id.type === "ObjectPattern") {
          for (const p of d.id.properties) {
            if (p.type !== "Property") continue;
            const k = keyName(p.key, p.computed);
            const v = p.value.type === "AssignmentPattern" ? p.value.left : p.value;
            if (k && v.type === "Identifier") out.set(v.name, { source, imported: k, typeOnly: false });
          }
        }
      }
    }
  }
  return out;
}

/** Member chain `a.b.c(…)` → root expression and property names (non-computed / literal keys only). */
export function memberChain(callee: Node): { root: Node; path: string[] } | undefined {
  const path: string[] = [];
  let n = unwrapExpr(callee);
  while (n.type === "MemberExpression") {
    const k = keyName(n.property, n.computed);
    if (k === undefined) return undefined;
    path.unshift(k);
    n = unwrapExpr(n.object);
  }
  return { root: n, path };
}

function endsWith(path: string[], tail: string[]): boolean {
  if (path.length < tail.length) return false;
  for (let i = 0; i < tail.length; i++) if (path[path.length - tail.length + i] !== tail[i]) return false;
  return true;
}

/** Where the value of `node` is stored: a variable name or a field name. */
function bindingTarget(node: Node): { name?: string; field?: string } {
  let n: Node = node;
  while (n.parent && (n.parent.type === "AwaitExpression" || n.parent.type === "TSAsExpression" || n.parent.type === "TSNonNullExpression" || n.parent.type === "TSSatisfiesExpression" || n.parent.type === "ChainExpression")) n = n.parent;
  const p = n.parent;
  if (!p) return {};
  if (p.type === "VariableDeclarator" && p.init === n && p.id.type === "Identifier") return { name: p.id.name };
  if (p.type === "AssignmentExpression" && p.right === n) {
    if (p.left.type === "Identifier") return { name: p.left.name };
    if (p.left.type === "MemberExpression") {
      const k = keyName(p.left.property, p.left.computed);
      if (k) return { field: k };
    }
  }
  if ((p.type === "PropertyDefinition" || p.type === "Property") && p.value === n) {
    const k = keyName(p.key, p.computed);
    if (k) return { field: k };
  }
  return {};
}

const cache = new WeakMap<TSESTree.Program, LlmFile>();

/** Cheap text pre-filter: a file that names no LLM package and no model API path has no LLM calls. */
const MAYBE_LLM = /openai|anthropic|ollama|\bTokenJS\b|['"]ai(?:\/rsc)?['"]|@ai-sdk|-ai-sdk-provider|langchain|genai|generative-ai|token\.js|mistral|groq|portkey|together-ai|cerebras|chat\/completions|v1\/completions|v1\/responses|v1\/messages|api\/generate|api\/chat/;

/**
 * Known model API hosts and model API paths from the catalogue (built once): admits a file whose
 * only LLM hint is an endpoint, e.g. `axios.create({ baseURL: "https://openrouter.ai/api/v1" })`.
 * `amazonaws.com` is left out (every AWS file names it; Bedrock needs its SDK import anyway).
 */
const MODEL_ENDPOINT_TEXT = new RegExp(
  [
    ...new Set(PROVIDERS.flatMap((p) => p.hosts).filter((h) => h !== "amazonaws.com")),
  ].map((h) => h.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).concat(LLM_PATHS.map((re) => re.source)).join("|"),
);

const maybeMemo = new WeakMap<object, boolean>();
/** Could this file contain an LLM call or client? (cheap text test, once per AST: every LLM rule asks) */
function maybeLlm(ast: object, text: string): boolean {
  let r = maybeMemo.get(ast);
  if (r === undefined) {
    r = MAYBE_LLM.test(text) || MODEL_ENDPOINT_TEXT.test(text) || PORT_TEXT.test(text);
    maybeMemo.set(ast, r);
  }
  return r;
}

interface Collected {
  nodes: Array<TSESTree.CallExpression | TSESTree.NewExpression>;
  typed: Node[];
  last?: Node;
  lastTyped?: Node;
}
const collectors = new WeakMap<object, Collected>();

/**
 * ESLint listeners that gather calls and type annotations during ESLint's own traversal, shared
 * by every LLM rule of a file (each node is recorded once), so `findLlmCalls` needs no second
 * walk. Files the text pre-filter rules out get no listeners at all.
 */
export function llmCollector(sourceCode: { ast: TSESTree.Program; text: string }): Record<string, (node: never) => void> {
  if (!maybeLlm(sourceCode.ast, sourceCode.text)) return {};
  let col = collectors.get(sourceCode.ast);
  if (!col) {
    col = { nodes: [], typed: [] };
    collectors.set(sourceCode.ast, col);
  }
  const c = col;
  const push = (n: TSESTree.CallExpression | TSESTree.NewExpression) => {
    if (c.last !== n) {
      c.last = n;
      c.nodes.push(n);
    }
  };
  return {
    CallExpression: push,
    NewExpression: push,
    TSTypeAnnotation: (n: Node) => {
      if (c.lastTyped !== n) {
        c.lastTyped = n;
        c.typed.push(n);
      }
    },
  } as Record<string, (node: never) => void>;
}

/** Every LLM call and client in the file (cached per AST). `text` (the source) enables a fast pre-filter. */
export function findLlmCalls(program: TSESTree.Program, env: ValueEnv, text?: string): LlmFile {
  const hit = cache.get(program);
  if (hit) return hit;
  const result = text !== undefined && !maybeLlm(program, text) ? { calls: [], clients: [], imports: new Map(), llm: false, callNodes: [] } : analyse(program, env, text, collectors.get(program));
  cache.set(program, result);
  return result;
}

function analyse(program: TSESTree.Program, env: ValueEnv, text?: string, collected?: Collected): LlmFile {
  const imports = collectImports(program);
  if (collected && text !== undefined && /\brequire\s*\(/.test(text)) addNestedRequires(imports, collected.nodes);
  let anyLlmImport = false;
  const importedSources = new Set<string>();
  for (const imp of imports.values()) {
    importedSources.add(imp.source);
    if (isLlmPackage(imp.source) || (imp.imported === "TokenJS" && !imp.typeOnly)) anyLlmImport = true;
  }
  // Also `import type` of unlisted specifiers / side-effect imports
  for (const stmt of program.body) if (stmt.type === "ImportDeclaration") importedSources.add(String(stmt.source.value));
  const importsAny = (pred: (s: string) => boolean) => [...importedSources].some(pred);
  const hasOpenAi = importsAny((s) => OPENAI_SHAPED.has(s) || s.startsWith("openai/"));
  const hasOpenAiV3 = [...imports.values()].some((i) => i.source === "openai" && (i.imported === "OpenAIApi" || i.imported === "Configuration"));
  const hasAnthropic = importsAny((s) => s.startsWith("@anthropic-ai/"));
  const hasGenai = importsAny((s) => s === "@google/genai");
  const hasGenerative = importsAny((s) => s === "@google/generative-ai");
  const hasLangchainChat = [...imports.values()].some((i) => isLangchain(i.source) && (LANGCHAIN_CHAT_CLASS.test(i.imported) || /^Base(?:Chat|Language)Model$/.test(i.imported)));

  const news: Array<TSESTree.NewExpression | TSESTree.CallExpression> = [];
  const typed: Array<{ name?: string; field?: string; type: string }> = [];
  let mayFetch = false;
  if (!anyLlmImport && hasHttpClient(program, imports, text)) {
    const t = text ?? sourceText(program);
    mayFetch = LLM_PATH_TEXT.test(t) || MODEL_ENDPOINT_TEXT.test(t);
  }
  const mayPort = PORT_TEXT.test(text ?? "");
  if (!anyLlmImport && !mayFetch && !mayPort) {
    return { calls: [], clients: [], imports, llm: false, callNodes: [] };
  }

  const noteTyped = (node: Node) => {
    if (node.type === "Identifier" && node.typeAnnotation) {
      const t = typeRefName(node.typeAnnotation.typeAnnotation);
      if (t) {
        const p = node.parent;
        if (p?.type === "TSParameterProperty" || (p?.type === "AssignmentPattern" && p.parent?.type === "TSParameterProperty")) typed.push({ field: node.name, name: node.name, type: t });
        else typed.push({ name: node.name, type: t });
      }
    } else if ((node.type === "PropertyDefinition" || node.type === "TSPropertySignature") && node.typeAnnotation) {
      const t = typeRefName(node.typeAnnotation.typeAnnotation);
      const k = keyName(node.key, node.computed);
      if (t && k) typed.push({ field: k, type: t });
    }
  };
  if (collected) {
    // Nodes gathered during ESLint's own traversal: no second walk.
    for (const n of collected.nodes) news.push(n);
    for (const a of collected.typed) if (a.parent) noteTyped(a.parent);
  } else {
    // One walk: constructions/calls and type-annotated client bindings.
    const stack: Node[] = [program];
    while (stack.length) {
      const node = stack.pop()!;
      if (node.type === "NewExpression" || node.type === "CallExpression") news.push(node);
      else noteTyped(node);
      const keys = visitorKeys[node.type] ?? [];
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i];
        if (SKIP_KEYS.has(key) || key === "typeAnnotation") continue;
        const child = (node as unknown as Record<string, unknown>)[key];
        if (Array.isArray(child)) {
          for (let j = child.length - 1; j >= 0; j--) {
            const c = child[j];
            if (c && typeof c === "object" && "type" in c) stack.push(c as Node);
          }
        } else if (child && typeof child === "object" && "type" in (child as object)) stack.push(child as Node);
      }
    }
  }
  news.sort((a, b) => a.range[0] - b.range[0]);

  const typedTypes = new Map<string, string>();
  for (const t of typed) {
    if (t.name) typedTypes.set(t.name, t.type);
    if (t.field) typedTypes.set(`this.${t.field}`, t.type);
  }
  const clients: LlmClient[] = [];
  const byName = new Map<string, LlmClient>();
  const byField = new Map<string, LlmClient>();
  const httpByName = new Map<string, HttpInstance>();
  const httpByField = new Map<string, HttpInstance>();
  const bind = (node: Node, c: LlmClient) => {
    const t = bindingTarget(node);
    if (t.name && !byName.has(t.name)) byName.set(t.name, c);
    if (t.field && !byField.has(t.field)) byField.set(t.field, c);
  };

  const importOfCallee = (callee: Node): ImportRef | undefined => calleeImport(imports, callee);

  // Pass 1: client constructions.
  for (const n of news) {
    const imp = importOfCallee(n.callee);
    if (!imp) continue;
    if (imp.source === "axios" && imp.imported === "create" && n.type === "CallExpression") {
      const cfg = resolveValue(n.arguments[0] as Node | undefined, env);
      const base = cfg.kind === "object" ? cfg.props.get("baseURL") : undefined;
      const inst: HttpInstance = { create: n, base, unknownBase: !base && !(cfg.kind === "object" && cfg.complete) && n.arguments.length > 0 };
      const t = bindingTarget(n);
      if (t.name && !httpByName.has(t.name)) httpByName.set(t.name, inst);
      if (t.field && !httpByField.has(t.field)) httpByField.set(t.field, inst);
      continue;
    }
    let kind = clientKindOf(imp.source, imp.imported, n.type === "NewExpression");
    if (!kind && n.type === "NewExpression" && isProjectLangchainModel(imp, n, hasLangchainChat)) kind = "langchain-model";
    if (!kind && n.type === "NewExpression" && imp.imported === "*" && (OPENAI_SHAPED.has(imp.source) || ANTHROPIC.has(imp.source) || OLLAMA.has(imp.source))) {
      kind = OPENAI_SHAPED.has(imp.source) ? "openai" : ANTHROPIC.has(imp.source) ? "anthropic" : "ollama";
    }
    if (!kind) continue;
    const c: LlmClient = { kind, node: n, source: imp.source, imported: imp.imported, args: n.arguments as Node[] };
    if (hasTestDoubleFetch(n.arguments[0] as Node | undefined, env)) c.testDouble = true;
    clients.push(c);
    bind(n, c);
  }
  // Default instances: `import ollama from "ollama"`.
  for (const [local, imp] of imports) {
    if (OLLAMA.has(imp.source) && imp.imported === "default" && !imp.typeOnly && !byName.has(local)) {
      const c: LlmClient = { kind: "ollama", node: program, source: imp.source, imported: "default", args: [], defaultInstance: true };
      byName.set(local, c);
    }
  }
  // Type-annotated bindings: `constructor(private readonly openai: OpenAI)`.
  for (const t of typed) {
    const imp = imports.get(t.type.split(".")[0]);
    if (!imp) continue;
    const member = t.type.includes(".") ? t.type.split(".").pop()! : imp.imported;
    if (imp.source === "axios" && member === "AxiosInstance") {
      const inst: HttpInstance = { unknownBase: true };
      if (t.name && !httpByName.has(t.name)) httpByName.set(t.name, inst);
      if (t.field && !httpByField.has(t.field)) httpByField.set(t.field, inst);
      continue;
    }
    let kind: ClientKind | undefined;
    if ((OPENAI_SHAPED.has(imp.source) && /^(default|OpenAI|AzureOpenAI|TokenJS|Groq|Portkey|Together|Cerebras)$/.test(member)) || (member === "TokenJS" && !imp.source.startsWith("."))) kind = "openai";
    else if (ANTHROPIC.has(imp.source) && /^(default|Anthropic\w*)$/.test(member)) kind = "anthropic";
    else if (OLLAMA.has(imp.source) && /^(Ollama|default)$/.test(member)) kind = "ollama";
    else if (imp.source === "@google/genai" && member === "GoogleGenAI") kind = "google-genai";
    else if (imp.source === "@google/generative-ai" && member === "GenerativeModel") kind = "google-model";
    else if (isLangchain(imp.source) && /^(?:Base)?Chat\w*$|^BaseLanguageModel$/.test(member)) kind = "langchain-model";
    if (!kind) continue;
    const c: LlmClient = { kind, node: program, source: imp.source, imported: member, args: [], typedOnly: true };
    if (t.name && !byName.has(t.name)) byName.set(t.name, c);
    if (t.field && !byField.has(t.field)) byField.set(t.field, c);
  }

  const clientOf = (recv: Node): LlmClient | undefined => {
    const r = unwrapExpr(recv);
    if (r.type === "Identifier") return byName.get(r.name);
    if (r.type === "MemberExpression") {
      const k = keyName(r.property, r.computed);
      return k ? byField.get(k) : undefined;
    }
    if (r.type === "NewExpression" || r.type === "CallExpression") return clients.find((c) => c.node === r);
    if (r.type === "AwaitExpression") return r.argument.type === "AwaitExpression" ? undefined : clientOf(r.argument);
    return undefined;
  };

  const calls: LlmCall[] = [];
  const add = (c: LlmCall) => {
    // A request built by a same-file function (`create(toRenamePrompt(name, model))`): its returned object.
    if (c.request && c.settings) c.request = builderResult(c.request, env) ?? c.request;
    calls.push(c);
  };

  // Pass 2: derived bindings (models from getGenerativeModel / withStructuredOutput), in source order.
  for (const n of news) {
    if (n.type !== "CallExpression") continue;
    const ch = memberChain(n.callee);
    if (!ch || !ch.path.length) continue;
    const last = ch.path[ch.path.length - 1];
    const recvNode = ch.path.length === 1 ? ch.root : (n.callee as TSESTree.MemberExpression).object;
    const client = clientOf(recvNode);
    if (last === "getGenerativeModel" && (client?.kind === "google-generative" || (!client && hasGenerative))) {
      const m: LlmClient = { kind: "google-model", node: n, source: "@google/generative-ai", imported: "GenerativeModel", args: n.arguments as Node[] };
      bind(n, m);
    } else if (client?.kind === "langchain-model" && (SCHEMA_METHODS.has(last) || last === "bind" || last === "bindTools" || last === "withConfig" || last === "withRetry" || last === "withFallbacks")) {
      const m: LlmClient = { ...client, kind: SCHEMA_METHODS.has(last) ? "structured-model" : "langchain-model", node: n };
      bind(n, m);
    } else if (client?.kind === "google-model" && last === "startChat") {
      bind(n, { ...client, node: n });
    }
  }

  // Pass 3: the calls.
  for (const n of news) {
    const callee = unwrapExpr(n.callee);
    const imp = importOfCallee(callee);
    if (n.type === "NewExpression") {
      const c = clients.find((x) => x.node === n);
      if (c?.kind === "langchain-model") {
        add({ node: n, reportNode: callee, api: `new ${imp?.imported === "default" ? "ChatModel" : imp?.imported}`, shape: "langchain", source: c.source, request: n.arguments[0] as Node | undefined, client: c, settings: true, output: false });
      }
      continue;
    }
    // Vercel AI SDK
    if (imp && AI_SDK.has(imp.source) && AI_FUNCS.has(imp.imported)) {
      const req = n.arguments[0] as Node | undefined;
      add({ node: n, reportNode: callee, api: imp.imported, shape: "ai-sdk", source: imp.source, request: req, client: aiModelClient(req, env, clients, byName), settings: true, output: true });
      continue;
    }
    if (imp && isLangchain(imp.source) && imp.imported === "initChatModel") {
      add({ node: n, reportNode: callee, api: "initChatModel", shape: "langchain", source: imp.source, request: n.arguments[1] as Node | undefined, settings: true, output: false });
      const m: LlmClient = { kind: "langchain-model", node: n, source: imp.source, imported: "initChatModel", args: n.arguments as Node[] };
      bind(n, m);
      continue;
    }
    // Raw HTTP
    if (callee.type === "Identifier" && callee.name === "fetch" && !imports.has("fetch") || (imp && (imp.source === "node-fetch" || imp.source === "undici" || imp.source === "cross-fetch") && (imp.imported === "default" || imp.imported === "fetch" || imp.imported === "request"))) {
      const http = httpCall(n, "fetch", env);
      if (http) add(http);
      continue;
    }
    const axiosImp = axiosCallee(callee, imports);
    if (axiosImp) {
      const http = httpCall(n, axiosImp, env);
      if (http) add(http);
      continue;
    }
    // Through an axios instance: `api.post(url, body)`, `this.client.request({ url, data })`, `api(cfg)`.
    if (httpByName.size || httpByField.size) {
      let inst: HttpInstance | undefined;
      let kind = "axios";
      if (callee.type === "Identifier") inst = httpByName.get(callee.name);
      else if (callee.type === "MemberExpression") {
        const k = keyName(callee.property, callee.computed);
        const recv = unwrapExpr(callee.object);
        if (k && /^(post|put|patch|request)$/.test(k)) {
          kind = `axios.${k}`;
          if (recv.type === "Identifier") inst = httpByName.get(recv.name);
          else if (recv.type === "MemberExpression") {
            const f = keyName(recv.property, recv.computed);
            inst = f ? httpByField.get(f) : undefined;
          }
        }
      }
      if (inst) {
        const http = httpCall(n, kind, env, inst);
        if (http) add(http);
        continue;
      }
    }
    const ch = memberChain(callee);
    if (!ch || !ch.path.length) continue;
    const path = ch.path;
    const last = path[path.length - 1];
    const reportNode = (callee as TSESTree.MemberExpression).property ?? callee;
    const req = n.arguments[0] as Node | undefined;
    // Receiver of the API group (`client` in client.chat.completions.create).
    const recvOf = (len: number): Node => {
      let r: Node = callee;
      for (let i = 0; i < len; i++) r = unwrapExpr((r as TSESTree.MemberExpression).object);
      return r;
    };
    let len = 0;
    if (endsWith(path, ["chat", "completions", last]) && /^(create|parse|stream|runTools)$/.test(last)) len = 3;
    else if (endsWith(path, ["responses", last]) && /^(create|parse|stream)$/.test(last)) len = 2;
    else if (endsWith(path, ["completions", "create"]) && path[path.length - 3] !== "chat") len = 2;
    if (len) {
      if (path[path.length - len - 1] === "beta") len++;
      const recv = path.length > len ? recvOf(len) : ch.root;
      const client = clientOf(recv);
      if (client ? client.kind === "openai" : hasOpenAi) {
        const isResponses = path.includes("responses");
        add({ node: n, reportNode, api: path.slice(path.length - len).join("."), shape: isResponses ? "openai-responses" : "openai", source: client?.source ?? "openai", request: req, client, settings: true, output: true });
        continue;
      }
    }
    // openai v3 (`new OpenAIApi(new Configuration(…))`): `openai.createChatCompletion({ model, messages })`.
    // Only on a v3 client: `ChatCompletionStream.createChatCompletion(client, params)` (a static helper
    // of an imported class) is not one, and its first argument is the client, not the request.
    if (path.length === 1 && /^create(?:Chat)?Completion$/.test(last)) {
      const client = clientOf(ch.root);
      const rootIsImport = ch.root.type === "Identifier" && imports.has(ch.root.name);
      if (client ? client.kind === "openai" : hasOpenAiV3 && !rootIsImport) {
        add({ node: n, reportNode, api: last, shape: "openai", source: client?.source ?? "openai", request: req, client, settings: true, output: true });
        continue;
      }
    }
    if (endsWith(path, ["messages", last]) && /^(create|stream)$/.test(last)) {
      let len = 2;
      if (path[path.length - 3] === "beta") len = 3;
      const recv = path.length > len ? recvOf(len) : ch.root;
      const client = clientOf(recv);
      if (client ? client.kind === "anthropic" : hasAnthropic) {
        add({ node: n, reportNode, api: `messages.${last}`, shape: "anthropic", source: client?.source ?? "@anthropic-ai/sdk", request: req, client, settings: true, output: true });
        continue;
      }
    }
    if (endsWith(path, ["models", last]) && /^generateContent(Stream)?$/.test(last)) {
      const client = clientOf(path.length > 2 ? recvOf(2) : ch.root);
      if (client ? client.kind === "google-genai" : hasGenai) {
        add({ node: n, reportNode, api: `models.${last}`, shape: "google", source: "@google/genai", request: req, client, settings: true, output: true });
        continue;
      }
    }
    const recv1 = path.length >= 1 ? (path.length === 1 ? ch.root : recvOf(1)) : ch.root;
    const client1 = clientOf(recv1);
    if (path.length >= 1 && client1) {
      if (client1.kind === "ollama" && (last === "chat" || last === "generate")) {
        add({ node: n, reportNode, api: `ollama.${last}`, shape: "ollama", source: client1.source, request: req, client: client1, settings: true, output: true });
        continue;
      }
      if (client1.kind === "google-generative" && last === "getGenerativeModel") {
        add({ node: n, reportNode, api: "getGenerativeModel", shape: "google", source: "@google/generative-ai", request: req, client: client1, settings: true, output: false });
        continue;
      }
      if (client1.kind === "google-model" && last === "startChat") {
        add({ node: n, reportNode, api: last, shape: "google", source: "@google/generative-ai", request: req, client: client1, settings: false, output: false });
        continue;
      }
      if (client1.kind === "google-model" && /^(generateContent|generateContentStream|sendMessage|sendMessageStream)$/.test(last)) {
        add({ node: n, reportNode, api: last, shape: "google", source: "@google/generative-ai", request: req, client: client1, settings: false, output: true });
        continue;
      }
      if (client1.kind === "langchain-model" && LANGCHAIN_INVOKE.has(last)) {
        add({ node: n, reportNode, api: last, shape: "langchain", source: client1.source, request: req, client: client1, settings: false, output: true });
        continue;
      }
    }
    if (!client1 && last === "getGenerativeModel" && hasGenerative && path.length >= 1) {
      add({ node: n, reportNode, api: "getGenerativeModel", shape: "google", source: "@google/generative-ai", request: req, settings: true, output: false });
      continue;
    }
    if (endsWith(path, ["chat", last]) && /^(complete|stream)$/.test(last)) {
      const client = clientOf(path.length > 2 ? recvOf(2) : ch.root);
      if (client?.kind === "mistral") {
        add({ node: n, reportNode, api: `chat.${last}`, shape: "mistral", source: client.source, request: req, client, settings: true, output: true });
        continue;
      }
    }
    // X1: the project's own LLM port (`llm.chat([{ role, content }])`): model output, but its settings are not visible here.
    if (mayPort && !client1 && PORT_METHOD.test(last) && isPortReceiver(recv1, typedTypes) && isChatMessages(req, env)) {
      add({ node: n, reportNode, api: `${receiverText(recv1)}.${last}`, shape: "port", source: "port", request: req, settings: false, output: true });
    }
  }
  return { calls, clients, imports, llm: anyLlmImport || calls.length > 0, callNodes: news };
}

/**
 * `const { OpenAI } = require("openai")` inside a constructor or function (lazy loading): a
 * binding like a top-level one. Top-level bindings win on a name clash.
 */
function addNestedRequires(imports: Map<string, ImportRef>, nodes: ReadonlyArray<TSESTree.CallExpression | TSESTree.NewExpression>): void {
  for (const n of nodes) {
    if (n.type !== "CallExpression" || n.callee.type !== "Identifier" || n.callee.name !== "require") continue;
    const a = n.arguments[0];
    if (a?.type !== "Literal" || typeof a.value !== "string") continue;
    let e: Node = n;
    while (e.parent && (e.parent.type === "AwaitExpression" || e.parent.type === "TSAsExpression")) e = e.parent;
    const d = e.parent;
    if (d?.type !== "VariableDeclarator" || d.init !== e) continue;
    if (d.id.type === "Identifier") {
      if (!imports.has(d.id.name)) imports.set(d.id.name, { source: a.value, imported: "*", typeOnly: false });
    } else if (d.id.type === "ObjectPattern") {
      for (const p of d.id.properties) {
        if (p.type !== "Property") continue;
        const k = keyName(p.key, p.computed);
        const v = p.value.type === "AssignmentPattern" ? p.value.left : p.value;
        if (k && v.type === "Identifier" && !imports.has(v.name)) imports.set(v.name, { source: a.value, imported: k, typeOnly: false });
      }
    }
  }
}

/**
 * The object a same-file builder returns, for `create(buildParams(a, b))`: a function declaration
 * or `const f = (…) => …` whose body is one `return { … }` (or an arrow's object body). Anything
 * else (several returns, a spread of arguments, an imported builder) stays the call itself.
 */
function builderResult(req: Node, env: ValueEnv): Node | undefined {
  const r = unwrapExpr(req);
  if (r.type !== "CallExpression" || r.callee.type !== "Identifier") return undefined;
  const v = env.variableOf(r.callee);
  if (!v || v.defs.length !== 1) return undefined;
  const def = v.defs[0];
  let fn: Node | undefined;
  if (def.type === "FunctionName") fn = def.node as Node;
  else if (def.type === "Variable") {
    const init = (def.node as TSESTree.VariableDeclarator).init;
    if (init && (init.type === "ArrowFunctionExpression" || init.type === "FunctionExpression")) fn = init;
  }
  if (!fn || (fn.type !== "FunctionDeclaration" && fn.type !== "FunctionExpression" && fn.type !== "ArrowFunctionExpression")) return undefined;
  if (fn.body.type !== "BlockStatement") return unwrapExpr(fn.body).type === "ObjectExpression" ? unwrapExpr(fn.body) : undefined;
  const returns: TSESTree.ReturnStatement[] = [];
  const walk = (n: Node): void => {
    if (n.type === "ReturnStatement") returns.push(n);
    if (n.type === "FunctionDeclaration" || n.type === "FunctionExpression" || n.type === "ArrowFunctionExpression" || n.type === "ClassDeclaration" || n.type === "ClassExpression") return;
    for (const key of visitorKeys[n.type] ?? []) {
      const c = (n as unknown as Record<string, unknown>)[key];
      if (Array.isArray(c)) for (const x of c) x && typeof x === "object" && "type" in x && walk(x as Node);
      else if (c && typeof c === "object" && "type" in (c as object)) walk(c as Node);
    }
  };
  for (const st of fn.body.body) walk(st);
  if (returns.length !== 1 || !returns[0].argument) return undefined;
  const out = unwrapExpr(returns[0].argument);
  return out.type === "ObjectExpression" ? out : undefined;
}

/** The import a callee comes from (`OpenAI` → openai default, `ns.ChatOpenAI` → its export), value imports only. */
export function calleeImport(imports: Map<string, ImportRef>, callee: Node): ImportRef | undefined {
  const c = unwrapExpr(callee);
  if (c.type === "Identifier") {
    const imp = imports.get(c.name);
    return imp && !imp.typeOnly ? imp : undefined;
  }
  if (c.type === "MemberExpression" && c.object.type === "Identifier") {
    const imp = imports.get(c.object.name);
    const k = keyName(c.property, c.computed);
    if (imp && !imp.typeOnly && k && (imp.imported === "*" || imp.imported === "default")) return { source: imp.source, imported: k, typeOnly: false };
  }
  return undefined;
}

/** A `fetch` / axios identifier anywhere in the file (cheap token scan). */
const LLM_PATH_TEXT = /\/(?:chat\/completions|v1\/completions|v1\/responses|v1\/messages|api\/generate|api\/chat)\b/;
function hasHttpClient(program: TSESTree.Program, imports: Map<string, ImportRef>, text?: string): boolean {
  for (const imp of imports.values()) if (/^(?:axios|node-fetch|undici|cross-fetch)$/.test(imp.source)) return true;
  if (text !== undefined) return /\bfetch\b/.test(text);
  const toks = program.tokens;
  if (!toks) return true;
  for (const t of toks) if (t.type === "Identifier" && t.value === "fetch") return true;
  return false;
}

function sourceText(program: TSESTree.Program): string {
  // Cheap pre-filter over string literals and template quasis is done by the regex on raw tokens when present.
  const toks = program.tokens;
  if (!toks) return "/chat/completions";
  let s = "";
  for (const t of toks) if (t.type === "String" || t.type === "Template") s += t.value;
  return s;
}

function typeRefName(t: Node): string | undefined {
  if (t.type !== "TSTypeReference") return undefined;
  const n = t.typeName;
  if (n.type === "Identifier") return n.name;
  if (n.type === "TSQualifiedName" && n.left.type === "Identifier") return `${n.left.name}.${n.right.name}`;
  return undefined;
}

function axiosCallee(callee: Node, imports: Map<string, ImportRef>): string | undefined {
  if (callee.type === "Identifier") {
    const imp = imports.get(callee.name);
    return imp && imp.source === "axios" && (imp.imported === "default" || imp.imported === "*") ? "axios" : undefined;
  }
  if (callee.type === "MemberExpression" && callee.object.type === "Identifier") {
    const imp = imports.get(callee.object.name);
    const k = keyName(callee.property, callee.computed);
    if (imp && imp.source === "axios" && (imp.imported === "default" || imp.imported === "*") && k && /^(post|put|request)$/.test(k)) return `axios.${k}`;
  }
  return undefined;
}

/** `fetch(url, { body: JSON.stringify(req) })`, `axios.post(url, req)`, `axios({ url, data })` to an LLM path. */
function httpCall(n: TSESTree.CallExpression, kind: string, env: ValueEnv, inst?: HttpInstance): LlmCall | undefined {
  const args = n.arguments as Node[];
  let urlNode: Node | undefined = args[0];
  let body: Node | undefined;
  if (kind === "fetch") {
    const init = resolveValue(args[1], env);
    if (init.kind === "object") {
      const b = init.props.get("body");
      body = b ? jsonBody(b, env) : undefined;
    }
  } else if (kind === "axios.post" || kind === "axios.put" || kind === "axios.patch") {
    body = args[1];
  } else {
    // axios(url, config) / axios({ url, data }) / axios.request({ url, data })
    const cfg = resolveValue(args[0]?.type === "ObjectExpression" || kind === "axios.request" ? args[0] : args[1], env);
    if (cfg.kind === "object") {
      if (args[0]?.type === "ObjectExpression" || kind === "axios.request") urlNode = cfg.props.get("url");
      body = cfg.props.get("data");
    }
  }
  let url = resolveUrlText(urlNode, env);
  // An instance call's relative URL is joined to the instance's baseURL (as axios does).
  let unknownBase = false;
  if (inst && url !== undefined && !/^[a-z][a-z\d+.-]*:\/\//i.test(url) && !url.startsWith("\u0000")) {
    const base = inst.base ? resolveUrlText(inst.base, env) : undefined;
    if (base && !base.includes("\u0000")) url = url ? base.replace(/\/+$/, "") + "/" + url.replace(/^\/+/, "") : base;
    else unknownBase = !!inst.base || !!inst.unknownBase;
  }
  if (!url) return undefined;
  const path = url.replace(/\u0000/g, "");
  const m = HTTP_PATHS.find(([re]) => re.test(path.startsWith("/") ? path : "/" + path));
  if (!m) return undefined;
  // A relative `/api/chat` (also against a base URL we cannot see) is the app's own backend, not a model server.
  if ((url.startsWith("/") || unknownBase) && m[1] === "ollama") return undefined;
  if (!body) return undefined;
  const bodyVal = resolveValue(body, env);
  // Own-backend proxies send `{ messages }`; a model API request names its model.
  if (bodyVal.kind === "object" && bodyVal.complete && !bodyVal.props.has("model") && m[1] !== "anthropic") return undefined;
  if (bodyVal.kind !== "object") return undefined;
  const u = url;
  return { node: n, reportNode: n.callee, api: kind /* the endpoint is named by the message's provider part */, shape: m[1], source: kind.split(".")[0], request: body, settings: true, output: true, url: u, via: inst?.create };
}

/** `JSON.stringify(x)` → x */
function jsonBody(b: Node, env: ValueEnv): Node | undefined {
  let n = unwrapExpr(b);
  if (n.type === "Identifier") {
    const v = resolveValue(n, env);
    if (v.kind === "unknown" || v.node === n) return undefined;
    n = unwrapExpr(v.node);
  }
  if (n.type === "CallExpression" && n.callee.type === "MemberExpression" && n.callee.object.type === "Identifier" && n.callee.object.name === "JSON" && keyName(n.callee.property, n.callee.computed) === "stringify") return n.arguments[0] as Node | undefined;
  return undefined;
}

/** The client behind an AI SDK call's `model:` (openai("gpt-4o"), ollama("llama3"), provider instance calls). */
function aiModelClient(req: Node | undefined, env: ValueEnv, clients: LlmClient[], byName: Map<string, LlmClient>, depth = 0): LlmClient | undefined {
  if (depth > 8) return undefined;
  const r = resolveValue(req, env);
  if (r.kind !== "object") return undefined;
  const m = r.props.get("model");
  if (!m) return undefined;
  let n = unwrapExpr(m);
  if (n.type === "Identifier") {
    const c = byName.get(n.name);
    if (c) return c;
    const v = resolveValue(n, env);
    if (v.kind === "unknown" && v.node !== n) n = unwrapExpr(v.node);
    else if (v.kind === "unknown") return undefined;
    else n = unwrapExpr(v.node);
  }
  if (n.type === "CallExpression") {
    const direct = clients.find((c) => c.node === n);
    if (direct) return direct;
    // `wrapLanguageModel({ model: openai("gpt-4o"), middleware })`: the wrapped model's provider (M6).
    if (n.callee.type === "Identifier" && /^wrap\w*Model$/.test(n.callee.name)) return aiModelClient(n.arguments[0] as Node | undefined, env, clients, byName, depth + 1);
    const ch = memberChain(n.callee);
    if (ch && ch.root.type === "Identifier") return byName.get(ch.root.name);
  }
  return undefined;
}

/**
 * Is any of `keys` set on the request, at the top level or inside one of `containers`
 * (`options`, `generationConfig`…)? Looks at keys only (values are not resolved): "present",
 * "absent" (the whole object is known) or "unknown".
 */
export function hasAnyKey(req: Node | undefined, containers: string[], keys: string[], env: ValueEnv): "present" | "absent" | "unknown" {
  if (!req) return "unknown";
  const v = resolveValue(req, env);
  if (v.kind !== "object") return "unknown";
  let unknown = !v.complete;
  for (const k of keys) if (v.props.has(k)) return "present";
  for (const c of containers) {
    const node = v.props.get(c);
    if (!node) continue;
    const inner = resolveValue(node, env);
    if (inner.kind !== "object") {
      unknown = true;
      continue;
    }
    for (const k of keys) if (inner.props.has(k)) return "present";
    if (!inner.complete) unknown = true;
  }
  return unknown ? "unknown" : "absent";
}

/** Read a setting by any of several paths; present beats unknown beats absent. */
export function readSetting(req: Node | undefined, paths: string[][], env: ValueEnv): Prop {
  if (!req) return { state: "unknown" };
  const v: Value = resolveValue(req, env);
  let sawUnknown = v.kind !== "object";
  for (const p of paths) {
    const r = getPath(v, p, env);
    if (r.state === "present") return r;
    if (r.state === "unknown") sawUnknown = true;
  }
  return sawUnknown ? { state: "unknown" } : { state: "absent" };
}

export { getProp, resolveValue };

/** The model id a call uses, when static: `model:`/`modelName:`, the AI SDK's `openai("o3-mini")`, initChatModel's first argument. */
export function modelOf(call: LlmCall, env: ValueEnv): string | undefined {
  const lit = (n: Node | undefined) => {
    if (!n) return undefined;
    const v = resolveValue(n, env);
    return v.kind === "literal" && typeof v.value === "string" ? v.value : undefined;
  };
  if (call.api === "initChatModel") return lit(call.node.arguments[0] as Node | undefined);
  const req = resolveValue(call.request, env);
  const fromReq = req.kind === "object" ? req.props.get("model") ?? req.props.get("modelName") : undefined;
  if (call.shape === "ai-sdk") {
    if (fromReq) {
      const s = lit(fromReq);
      if (s) return s;
    }
    const c = call.client;
    if (c && (c.node.type === "CallExpression") && c.kind !== "ai-provider") return lit(c.args[0]);
    return undefined;
  }
  if (call.client?.kind === "google-model" && call.client.node.type === "CallExpression") {
    const cfg = resolveValue(call.client.args[0], env);
    if (cfg.kind === "object") return lit(cfg.props.get("model"));
  }
  return fromReq ? lit(fromReq) : undefined;
}

const DISPLAY: Record<string, string> = {
  openai: "OpenAI", "groq-sdk": "Groq", "token.js": "TokenJS", "portkey-ai": "Portkey", "together-ai": "Together", "@cerebras/cerebras_cloud_sdk": "Cerebras",
  "@anthropic-ai/sdk": "Anthropic", ollama: "Ollama", "ollama/browser": "Ollama", "@google/genai": "Gemini", "@google/generative-ai": "Gemini", "@mistralai/mistralai": "Mistral",
};

/**
 * A short provider name for messages, from the resolved endpoint when there is one
 * (`new OpenAI({ baseURL: "https://api.groq.com/openai/v1" })` → `Groq`, a fetch to
 * `localhost:11434` → `localhost:11434`), else from the package (`OpenAI`, `Ollama`,
 * `@langchain/openai`). `env` enables resolving a client's `baseURL`.
 */
export function providerLabel(call: LlmCall, env?: ValueEnv): string {
  if (call.url !== undefined) {
    // The part before the first unknown piece, when it shows the whole host.
    const head = call.url.split("\u0000")[0];
    const l = head === call.url || /^[a-z]+:\/\/[^/\u0000]+\//i.test(head) ? endpointLabel(head) : undefined;
    if (l) return l;
    const m = /^[a-z]+:\/\/([^/\u0000]+)/i.exec(call.url);
    return m ? m[1] : call.shape === "ollama" ? "the Ollama server" : "the model server";
  }
  if (call.shape === "ai-sdk" && !call.client) return "the model's provider";
  const c = call.client;
  if (c && env && !c.typedOnly && !c.defaultInstance && c.kind !== "ai-model" && c.kind !== "google-model") {
    const e = clientEndpointNode(c, env);
    const text = e.node && !e.spread ? resolveUrlText(e.node, env) : undefined;
    const l = text && !text.includes("\u0000") ? endpointLabel(text) : undefined;
    if (l) return l;
  }
  const src = call.client?.source ?? call.source;
  const imported = call.client?.imported ?? "";
  // A project copy of a LangChain class (`./vendor/langchain-openai`): name the provider from the class.
  const fromClass = src.startsWith(".") && /^(?:Azure)?Chat([A-Z]\w+)$/.exec(imported)?.[1];
  // The class names the provider when it is another than the package's (`AzureChatOpenAI` from `@langchain/openai`).
  const byClass = CLIENT_CLASS_PROVIDERS.has(imported) ? providerForImport(src, imported)?.display : undefined;
  return byClass ?? DISPLAY[src] ?? providerForPackage(src)?.display ?? (imported === "TokenJS" ? "TokenJS" : fromClass || src);
}

/** Names of the functions, methods and classes around a node (innermost first). */
export function enclosingNames(node: Node): string[] {
  const out: string[] = [];
  for (let n: Node | undefined = node.parent; n; n = n.parent) {
    if ((n.type === "FunctionDeclaration" || n.type === "FunctionExpression" || n.type === "ClassDeclaration" || n.type === "ClassExpression") && n.id) out.push(n.id.name);
    else if (n.type === "VariableDeclarator" && n.id.type === "Identifier") out.push(n.id.name);
    else if ((n.type === "MethodDefinition" || n.type === "Property" || n.type === "PropertyDefinition") && !n.computed && n.key.type === "Identifier") out.push(n.key.name);
  }
  return out;
}

/** The request object literal of a call, when it is written inline (for suggestions). */
export function inlineRequest(call: LlmCall): TSESTree.ObjectExpression | undefined {
  const r = call.request ? unwrapExpr(call.request) : undefined;
  return r?.type === "ObjectExpression" ? r : undefined;
}

/** `{ a, b }` → the property `key` written inline (not via spread). */
export function inlineProp(obj: TSESTree.ObjectExpression, key: string): TSESTree.Property | undefined {
  for (let i = obj.properties.length - 1; i >= 0; i--) {
    const p = obj.properties[i];
    if (p.type === "Property" && keyName(p.key, p.computed) === key) return p;
  }
  return undefined;
}

/**
 * Text edit that adds `prop` (e.g. `temperature: 0`) to a request: into `path`'s nested object
 * literal when written inline (`options: { … }`), else as a new nested object / top-level
 * property. Returns a range to replace and the new text, or undefined when the request is not
 * an inline literal.
 */
export function addSettingEdit(call: LlmCall, path: string[], value: string, text: string): { range: [number, number]; text: string } | undefined {
  const obj = inlineRequest(call);
  if (!obj) {
    // `new ChatOpenAI()` with no options: give it one.
    if (!call.request && call.node.arguments.length === 0 && call.shape === "langchain" && call.node.range[1] > call.node.callee.range[1]) {
      const closing = call.node.range[1] - 1;
      if (text[closing] === ")") return { range: [closing, closing], text: `{ ${nest(path, value)} }` };
    }
    return undefined;
  }
  let target = obj;
  let rest = path;
  while (rest.length > 1) {
    const p = inlineProp(target, rest[0]);
    if (!p) break;
    const v = unwrapExpr(p.value as Node);
    if (v.type !== "ObjectExpression") return undefined;
    target = v;
    rest = rest.slice(1);
  }
  const prop = nest(rest, value);
  if (!target.properties.length) return { range: [target.range[0], target.range[1]], text: `{ ${prop} }` };
  const last = target.properties[target.properties.length - 1];
  let end = last.range[1];
  // skip whitespace and a trailing comma
  let i = end;
  while (i < target.range[1] && /\s/.test(text[i])) i++;
  if (text[i] === ",") return { range: [i + 1, i + 1], text: ` ${prop},` };
  return { range: [end, end], text: `, ${prop}` };
}

function nest(path: string[], value: string): string {
  let s = `${path[path.length - 1]}: ${value}`;
  for (let i = path.length - 2; i >= 0; i--) s = `${path[i]}: { ${s} }`;
  return s;
}

/** Keys (besides the setting containers) whose object value holds settings the decision reads. */
// `response_format` / `text`: their `type` / `format` tell free text from structured output (isStructuredCall).
const NESTED_SETTING_KEYS = new Set([...SETTING_CONTAINERS, "thinking", "reasoning", "response_format", "responseFormat", "text"]);

/**
 * The TS/JS front of `requiredParams` (core/llm-params.ts): the call's settings by dotted path,
 * its SDK package and installed version (read next to `fileName`), model and output modalities.
 */
export function paramQueryOf(call: LlmCall, env: ValueEnv, fileName?: string): Omit<ParamQuery, "reasoningModels" | "suggestedBudget"> {
  const settings = new Map<string, SettingValue>();
  let complete: boolean;
  const lit = (n: Node): SettingValue => {
    const v = resolveValue(n, env);
    return v.kind === "literal" ? v.value : undefined;
  };
  const req = call.request ? resolveValue(call.request, env) : undefined;
  let modalities: string[] | undefined;
  if (!req) {
    // `new ChatOpenAI()`: no options at all is a complete (empty) request.
    complete = call.shape === "langchain" && call.node.arguments.length === 0;
  } else if (req.kind !== "object") {
    complete = false;
  } else {
    complete = req.complete;
    for (const [k, n] of req.props) {
      settings.set(k, lit(n));
      if (!NESTED_SETTING_KEYS.has(k)) continue;
      const inner = resolveValue(n, env);
      if (inner.kind === "object") {
        for (const [k2, n2] of inner.props) {
          settings.set(`${k}.${k2}`, lit(n2));
          if (k2 === "responseModalities") modalities = stringArray(n2, env);
        }
        if (!inner.complete && SETTING_CONTAINERS.includes(k)) complete = false;
      } else if (SETTING_CONTAINERS.includes(k) && !(inner.kind === "literal" && inner.value == null)) complete = false;
    }
    const m = req.props.get("modalities") ?? req.props.get("responseModalities");
    if (m) modalities = stringArray(m, env);
  }
  // AI SDK calls: the parameter names are the `ai` package's (not the provider package's).
  const model = modelOf(call, env);
  const sdkPackage = call.url !== undefined ? undefined : call.shape === "ai-sdk" ? "ai" : call.client?.source ?? call.source;
  return {
    shape: call.shape,
    api: call.api,
    sdkPackage,
    sdkVersion: sdkPackage ? sdkVersionFor(fileName, sdkPackage) : undefined,
    className: call.client?.imported,
    model,
    candidateModels: model === undefined && call.shape === "ai-sdk" && !call.client ? importedModelIds(call, env, fileName) : undefined,
    settings,
    complete,
    outputModalities: modalities,
    readsImage: readsImageOf(call, env),
  };
}

/** `model: getModel()` / `model: myModel` imported from a project module: the ids that module constructs. */
function importedModelIds(call: LlmCall, env: ValueEnv, fileName: string | undefined): string[] | undefined {
  const req = resolveValue(call.request, env);
  const m = req.kind === "object" ? req.props.get("model") : undefined;
  if (!m) return undefined;
  let root = unwrapExpr(m);
  if (root.type === "CallExpression") root = unwrapExpr(root.callee);
  if (root.type !== "Identifier") return undefined;
  const def = env.variableOf(root)?.defs[0];
  if (def?.type !== "ImportBinding" || def.parent?.type !== "ImportDeclaration") return undefined;
  return moduleModelIds(fileName, String(def.parent.source.value));
}

function stringArray(n: Node, env: ValueEnv): string[] | undefined {
  const v = resolveValue(n, env);
  if (v.kind !== "array" || !v.complete) return undefined;
  const out: string[] = [];
  for (const e of v.elements) {
    const s = resolveValue(e, env);
    if (s.kind !== "literal" || typeof s.value !== "string") {
      // `Modality.IMAGE`: the member name is the modality
      const u = unwrapExpr(e);
      if (u.type === "MemberExpression" && !u.computed && u.property.type === "Identifier") out.push(u.property.name);
      else return undefined;
    } else out.push(s.value);
  }
  return out;
}

/** `const res = await ollama.generate(…); … res.image` — the code reads an image from the answer. */
function readsImageOf(call: LlmCall, env: ValueEnv): boolean {
  let n: Node = call.node;
  while (n.parent && (n.parent.type === "AwaitExpression" || n.parent.type === "TSAsExpression" || n.parent.type === "TSNonNullExpression")) n = n.parent;
  const p = n.parent;
  if (p?.type === "MemberExpression" && p.object === n) return isImageKey(p);
  if (p?.type !== "VariableDeclarator" || p.init !== n || p.id.type !== "Identifier") return false;
  const v = env.variableOf(p.id);
  return !!v?.references.some((r) => {
    const id = r.identifier as Node;
    return id.parent?.type === "MemberExpression" && id.parent.object === id && isImageKey(id.parent);
  });
}

function isImageKey(m: TSESTree.MemberExpression): boolean {
  const k = keyName(m.property, m.computed);
  return k === "image" || k === "images";
}

const DOUBLE_NAME = /mock|fake|stub|spy|dummy/i;
/** `{ fetch: vi.fn(…) }`, `{ fetch: mockFetch }`, `{ fetch: createFakeFetch() }`: a test double transport. */
function hasTestDoubleFetch(options: Node | undefined, env: ValueEnv): boolean {
  const v = resolveValue(options, env);
  const f = v.kind === "object" ? v.props.get("fetch") : undefined;
  if (!f) return false;
  let n = unwrapExpr(f);
  if (n.type === "Identifier") {
    if (DOUBLE_NAME.test(n.name)) return true;
    const r = resolveValue(n, env);
    if (r.kind === "unknown" && r.node === n) return false;
    n = unwrapExpr(r.node);
  }
  if (n.type !== "CallExpression") return false;
  const ch = memberChain(n.callee);
  if (!ch) return false;
  const names = [ch.root.type === "Identifier" ? ch.root.name : "", ...ch.path];
  return names.some((x) => DOUBLE_NAME.test(x)) || (/^(?:vi|jest|sinon)$/.test(names[0]) && /^(?:fn|spyOn|stub)$/.test(names[1] ?? ""));
}

/** A call with an inline chat-message array (cheap text test): the only way a project's own LLM port shows up. */
const PORT_TEXT = /\.(?:chat|complete|completion|generate|invoke|chatCompletion\w*|stream\w*)\(\s*\[\s*\{[^}]{0,200}?\brole\s*:/;
const PORT_METHOD = /^(?:chat|complete|completion|generate|invoke|chatCompletion\w*|stream\w*)$/;
/** A receiver named or typed like a model: `llm`, `this.llm`, `model`, a parameter typed `ChatLlm` / `LanguageModel`. */
const PORT_NAME = /^(?:llm|llmApi|llmClient|model|chatModel|languageModel|lm)$/i;
const PORT_TYPE = /(?:^|\.)(?:\w*(?:LLM|Llm)\w*|\w*ChatModel|\w*LanguageModel)$/;

function receiverText(recv: Node): string {
  const r = unwrapExpr(recv);
  if (r.type === "Identifier") return r.name;
  if (r.type === "MemberExpression" && r.object.type === "ThisExpression") return `this.${keyName(r.property, r.computed) ?? "?"}`;
  return "model";
}

function isPortReceiver(recv: Node, typedTypes: Map<string, string>): boolean {
  const r = unwrapExpr(recv);
  let key: string | undefined;
  let name: string | undefined;
  if (r.type === "Identifier") key = name = r.name;
  else if (r.type === "MemberExpression" && r.object.type === "ThisExpression") {
    name = keyName(r.property, r.computed);
    key = `this.${name}`;
  }
  if (!key || !name) return false;
  const t = typedTypes.get(key) ?? typedTypes.get(name);
  return t ? PORT_TYPE.test(t) : PORT_NAME.test(name);
}

/** `[{ role: "user", content: … }, …]` written inline: every element an object with `role` and `content`. */
function isChatMessages(arg: Node | undefined, env: ValueEnv): boolean {
  const v = arg ? resolveValue(arg, env) : undefined;
  if (v?.kind !== "array" || !v.elements.length) return false;
  return v.elements.every((e) => {
    const o = resolveValue(e, env);
    return o.kind === "object" && o.props.has("role") && o.props.has("content");
  });
}

/** LangChain's chat-model classes by their published names (a project copy or subclass keeps the name). */
const LANGCHAIN_CHAT_NAMES = /^(?:Azure)?Chat(?:OpenAI|Anthropic|AnthropicMessages|Ollama|Groq|MistralAI|GoogleGenerativeAI|VertexAI|BedrockConverse|Bedrock|DeepSeek|XAI|TogetherAI|Fireworks|Cohere|Cerebras|Perplexity|OpenRouter)$/;
/** Types a chat model is returned or stored as. */
const CHAT_MODEL_TYPE = /^(?:Base(?:Chat|Language)Model|BaseChatModel\w*|ChatModel|LanguageModelLike)$/;

/**
 * R2: `new ChatOpenAI(…)` whose class comes from a project module (a vendored copy or a subclass
 * of a LangChain package). Accepted only when this file shows it is a chat model: a LangChain
 * chat-model class name next to a LangChain chat-model import, or the construction returned or
 * stored as `BaseChatModel`. A project UI class that merely starts with "Chat" stays out.
 */
function isProjectLangchainModel(imp: ImportRef, n: TSESTree.NewExpression, hasLangchainChat: boolean): boolean {
  if (!imp.source.startsWith(".") && !imp.source.startsWith("@/") && !imp.source.startsWith("~/")) return false;
  if (!LANGCHAIN_CHAT_CLASS.test(imp.imported)) return false;
  if (hasLangchainChat && LANGCHAIN_CHAT_NAMES.test(imp.imported)) return true;
  return CHAT_MODEL_TYPE.test(declaredTypeOf(n) ?? "");
}

/** The declared type the value of `n` is returned as or stored in (`(): BaseChatModel`, `const m: BaseChatModel = …`). */
function declaredTypeOf(n: Node): string | undefined {
  let e: Node = n;
  while (e.parent && (e.parent.type === "AwaitExpression" || e.parent.type === "TSAsExpression" || e.parent.type === "ConditionalExpression" || e.parent.type === "LogicalExpression")) e = e.parent;
  const p = e.parent;
  if (p?.type === "VariableDeclarator" && p.id.type === "Identifier" && p.id.typeAnnotation) return typeRefName(p.id.typeAnnotation.typeAnnotation);
  if (p?.type === "ReturnStatement" || (p?.type === "ArrowFunctionExpression" && p.body === e)) {
    for (let f: Node | undefined = p; f; f = f.parent) {
      if (f.type === "FunctionDeclaration" || f.type === "FunctionExpression" || f.type === "ArrowFunctionExpression") {
        const t = f.returnType?.typeAnnotation;
        if (!t) return undefined;
        if (t.type === "TSTypeReference" && t.typeName.type === "Identifier" && t.typeName.name === "Promise") {
          const a = t.typeArguments?.params[0];
          return a ? typeRefName(a) : undefined;
        }
        return typeRefName(t);
      }
    }
  }
  return undefined;
}
