/**
 * The Python front of `require-llm-temperature`, `require-llm-max-tokens` and `no-cloud-llm`:
 * builds the core's language-neutral queries from Python LLM-call facts (llm-facts.ts) and asks
 * the core (`requiredParams` in core/llm-params.ts, `endpointVerdict` in core/llm-endpoints.ts)
 * — it decides nothing itself. Also builds the text edits of their suggestions (`temperature=0`,
 * `max_tokens=1024`) in the shape ESLint uses (`{ range, text }` on the file's text).
 */
import type { Node as TsNode } from "web-tree-sitter";
import { DEFAULT_ALLOW, endpointVerdict } from "../core/llm-endpoints.js";
import { endpointLabel, routeLabel } from "../core/llm-endpoints.js";
import { DEFAULT_CREATIVE, DEFAULT_MAX_TEMPERATURE, requiredParams, SETTING_CONTAINERS, temperatureScopeOf, temperatureTooHigh, type ParamQuery, type SettingValue } from "../core/llm-params.js";
import { PROVIDERS, PROVIDERS_BY_ID } from "../core/providers.js";
import { classifyModelTag, classifyUrl, type Route } from "../core/routes.js";
import { kwarg, namedChildren, positional, providerCallRoute, providerForModule, qualName, resolveString, type PyFile } from "./facts.js";
import { eachNode, type PyLlmCall, type PyLlmFile, type PyValue, type PyValues } from "./llm-facts.js";

import { settingEdit, type PyEdit } from "./edits.js";
import { isPythonTestPath } from "./test-paths.js";

export type { PyEdit };

/** A finding of the Python front, reported under a rule's id and messageId. */
export interface PyReport {
  rule: string;
  messageId: string;
  data: Record<string, string>;
  node: TsNode;
  /** Reports a multi-line node on its first line only (loops: their head). */
  suggestions?: Array<{ messageId: string; data: Record<string, string>; fix: PyEdit }>;
  fix?: PyEdit;
}

/** Python spellings of the core's (TS) setting containers. */
const CANONICAL: Record<string, string> = { generation_config: "generationConfig", model_kwargs: "modelKwargs", thinking_config: "thinkingConfig", response_modalities: "responseModalities" };
// `response_format` / `text`: their `type` / `format` tell free text from structured output (isStructuredCall).
const NESTED = new Set([...SETTING_CONTAINERS, "thinking", "reasoning", "response_format", "text"]);

/** `maxOutputTokens` → `max_output_tokens` (the Python spelling of a suggested key). */
export function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
}

function literal(v: PyValue): SettingValue {
  return v.kind === "literal" ? v.value : undefined;
}

/** The model id a call uses, when static (`model=`, `model_name=`, the first positional argument). */
export function modelOfCall(call: PyLlmCall, values: PyValues): string | undefined {
  const m = call.request.kind === "object" ? call.request.props.get("model") ?? call.request.props.get("model_name") : undefined;
  const node = m ?? ((call.shape === "ollama" || call.api === "GenerativeModel" || call.api === "init_chat_model" || call.module === "litellm") ? positional(call.node)[0] : undefined);
  const v = node ? values.value(node) : undefined;
  return v?.kind === "literal" && typeof v.value === "string" ? v.value : undefined;
}

/** The Python front of `requiredParams`: the call's settings by dotted (canonical) path. */
export function pyParamQuery(call: PyLlmCall, values: PyValues): Omit<ParamQuery, "reasoningModels" | "suggestedBudget"> {
  const settings = new Map<string, SettingValue>();
  const req = call.request;
  let complete = req.kind === "object" && req.complete;
  let modalities: string[] | undefined;
  if (req.kind === "object") {
    for (const [raw, n] of req.props) {
      const k = CANONICAL[raw] ?? raw;
      const v = values.value(n);
      settings.set(k, literal(v));
      if (!NESTED.has(k)) continue;
      if (v.kind === "object") {
        for (const [raw2, n2] of v.props) {
          const k2 = CANONICAL[raw2] ?? raw2;
          settings.set(`${k}.${k2}`, literal(values.value(n2)));
          if (k2 === "responseModalities") modalities = stringList(n2, values);
        }
        if (!v.complete && SETTING_CONTAINERS.includes(k)) complete = false;
      } else if (SETTING_CONTAINERS.includes(k) && !(v.kind === "literal" && v.value == null)) complete = false;
    }
    const m = req.props.get("modalities") ?? req.props.get("response_modalities");
    if (m) modalities = stringList(m, values);
  }
  return {
    shape: call.shape,
    api: call.api,
    sdkPackage: call.module,
    className: call.shape === "langchain" ? call.api : undefined,
    model: modelOfCall(call, values),
    settings,
    complete,
    outputModalities: modalities,
    // instructor's `response_model=`, `.parse(response_format=Model)`, `with_structured_output` models
    structuredOutput: call.enforced || call.kind === "structured-model" || call.kind === "instructor",
  };
}

function stringList(n: TsNode, values: PyValues): string[] | undefined {
  if (n.type !== "list" && n.type !== "tuple") return undefined;
  const out: string[] = [];
  for (const e of namedChildren(n)) {
    const v = values.value(e);
    if (v.kind === "literal" && typeof v.value === "string") out.push(v.value);
    else if (e.type === "attribute") out.push(e.childForFieldName("attribute")?.text ?? "");
    else return undefined;
  }
  return out;
}

/** Provider label for messages: the client's resolved endpoint, else the SDK's provider. */
function providerLabelOf(call: PyLlmCall, py: PyFile, values: PyValues): string {
  if (call.module === "litellm") {
    const model = modelOfCall(call, values);
    const prefix = model?.includes("/") ? model.slice(0, model.indexOf("/")) : undefined;
    const p = prefix ? PROVIDERS_BY_ID.get(prefix.replace(/_(ai|chat)$/, "")) : undefined;
    return p ? `${p.display} via LiteLLM` : "LiteLLM";
  }
  if (call.url !== undefined) {
    const head = call.url.split("\u0000")[0];
    const l = head === call.url || /^[a-z]+:\/\/[^/\u0000]+\//i.test(head) ? endpointLabel(head) : undefined;
    if (l) return l;
    const m = /^[a-z]+:\/\/([^/\u0000]+)/i.exec(call.url);
    return m ? m[1] : call.shape === "ollama" ? "the Ollama server" : "the model server";
  }
  let ctor = call.client?.type === "call" ? call.client : undefined;
  // a wrapper (`instructor.from_openai(OpenAI(base_url=…))`): the client it wraps names the endpoint
  const inner = ctor ? positional(ctor)[0] ?? kwarg(ctor, "client") : undefined;
  if (ctor && call.kind === "instructor" && inner?.type === "call") ctor = inner;
  if (ctor) {
    const f = ctor.childForFieldName("function");
    const q = f ? qualName(f, py.imports) : undefined;
    const provider = q ? providerForModule(q) : undefined;
    if (provider && q) {
      const r = providerCallRoute(py, provider, q, ctor);
      if (r && !r.unresolved) return routeLabel(r);
    }
  }
  const provider = providerForModule(call.module);
  if (call.shape === "langchain") {
    // `ChatOpenAI` → OpenAI, `AzureChatOpenAI` → AzureOpenAI, `ChatOllama` → Ollama (the class names its provider)
    const word = call.api.replace(/^(Azure|Bedrock)?Chat/, "$1").toLowerCase();
    const p = PROVIDERS.find((x) => x.display.toLowerCase() === word || x.id === word) ?? PROVIDERS.find((x) => x.claimWords.includes(word) || word.startsWith(x.id)) ?? provider;
    const base = kwarg(call.node, "base_url") ?? kwarg(call.node, "openai_api_base");
    const url = base ? resolveString(base, py).value : undefined;
    const l = url ? endpointLabel(url) : undefined;
    return l ?? p?.display ?? call.module;
  }
  return provider?.display ?? call.module;
}

export interface LlmRuleSettings {
  temperature?: { level: number; options: Record<string, unknown> };
  maxTokens?: { level: number; options: Record<string, unknown> };
  cloud?: { level: number; options: Record<string, unknown> };
}

function enclosingNames(n: TsNode): string[] {
  const out: string[] = [];
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === "function_definition" || p.type === "class_definition") {
      const name = p.childForFieldName("name")?.text;
      if (name) out.push(name);
    }
  }
  return out;
}

function regexOr(source: unknown, fallback: string): RegExp {
  try {
    return new RegExp(typeof source === "string" ? source : fallback, "i");
  } catch {
    return new RegExp(fallback, "i");
  }
}

/** require-llm-temperature and require-llm-max-tokens on a Python file's LLM calls. */
export function pythonParamChecks(file: PyLlmFile, py: PyFile, values: PyValues, text: string, s: LlmRuleSettings, cwd = process.cwd()): PyReport[] {
  const out: PyReport[] = [];
  // `checkTestFiles: false` (the recommended preset): nothing from these rules in tests, mocks, fixtures.
  const inTests = isPythonTestPath(py.facts.file, cwd);
  s = {
    ...s,
    temperature: s.temperature && !(inTests && s.temperature.options.checkTestFiles === false) ? s.temperature : undefined,
    maxTokens: s.maxTokens && !(inTests && s.maxTokens.options.checkTestFiles === false) ? s.maxTokens : undefined,
  };
  const tOpts = s.temperature?.options ?? {};
  const max = typeof tOpts.maxTemperature === "number" ? tOpts.maxTemperature : DEFAULT_MAX_TEMPERATURE;
  const creative = regexOr(tOpts.creativePattern, DEFAULT_CREATIVE);
  const bound = { max, scope: temperatureScopeOf(tOpts.maxTemperatureScope), creative };
  const reasoning = typeof tOpts.reasoningModels === "string" ? regexOr(tOpts.reasoningModels, "$^") : undefined;
  const budgetOpt = s.maxTokens?.options.suggestedMaxTokens;
  for (const call of file.calls) {
    if (!call.settings) continue;
    try {
      const q = pyParamQuery(call, values);
      const d = requiredParams({ ...q, ...(reasoning ? { reasoningModels: reasoning } : {}), ...(typeof budgetOpt === "number" ? { suggestedBudget: budgetOpt } : {}) });
      const provider = providerLabelOf(call, py, values);
      // `GenerativeModel(…)` whose `generate_content(generation_config=…)` sets it per request.
      const later = (key: (c: PyLlmCall) => boolean) => call.api === "GenerativeModel" && file.calls.some((c) => c.client?.id === call.node.id && key(c));
      if (s.temperature?.level) {
        const t = d.temperature;
        const path = t.insertPath.map(snake);
        if (t.state === "missing" && !later((c) => !!kwarg(c.node, "generation_config"))) {
          const data = { api: call.api, provider, max: String(max), key: path.join(".") };
          const edit = settingEdit(call, pyPath(call, path), "0", text, values);
          out.push({ rule: "require-llm-temperature", messageId: "missing", data, node: call.reportNode, suggestions: edit ? [{ messageId: "addZero", data, fix: edit }] : [] });
        } else if (t.state === "set" && typeof t.value === "number" && temperatureTooHigh(q, t.value, enclosingNames(call.node), bound)) {
          // The value node, when written in this call (`temperature=0.7`).
          const node = valueNodeOf(call, t.path);
          const data = { api: call.api, provider, max: String(max), value: String(t.value), key: path.join(".") };
          const inCall = node && node.startIndex >= call.node.startIndex && node.endIndex <= call.node.endIndex;
          out.push({ rule: "require-llm-temperature", messageId: "tooHigh", data, node: inCall ? node : call.reportNode, suggestions: inCall && (node.type === "float" || node.type === "integer") ? [{ messageId: "setZero", data, fix: { range: [node.startIndex, node.endIndex], text: "0" } }] : [] });
        }
      }
      if (s.maxTokens?.level) {
        const b = d.budget;
        if (b.state === "missing" && !later((c) => !!kwarg(c.node, "generation_config"))) {
          const path = pyPath(call, b.insertPath.map(snake));
          const key = path.length > 1 ? `${path[0]}["${path.slice(1).join(".")}"]` : path[0];
          const data = { api: call.api, provider, key, budget: String(b.suggested) };
          const edit = settingEdit(call, path, String(b.suggested), text, values);
          out.push({ rule: "require-llm-max-tokens", messageId: "missing", data, node: call.reportNode, suggestions: edit ? [{ messageId: "addBudget", data: { ...data, key: path.join(".") }, fix: edit }] : [] });
        }
      }
    } catch {
      /* an odd shape never crashes the lint */
    }
  }
  return out;
}

/** The Python spelling of an insertion path (`generationConfig` → `generation_config` for the legacy Gemini SDK). */
function pyPath(call: PyLlmCall, path: string[]): string[] {
  if (call.api === "GenerativeModel" && path[0] === "config") return ["generation_config", ...path.slice(1)];
  return path;
}

function valueNodeOf(call: PyLlmCall, dotted: string): TsNode | undefined {
  const [head, ...rest] = dotted.split(".");
  const raw = Object.entries(CANONICAL).find(([, v]) => v === head)?.[0] ?? head;
  let n = kwarg(call.node, raw);
  for (const k of rest) {
    if (!n || n.type !== "dictionary") return rest.length ? undefined : n;
    const pair = namedChildren(n).find((p) => p.type === "pair" && /^["']/.test(p.childForFieldName("key")?.text ?? "") && p.childForFieldName("key")!.text.slice(1, -1) === k);
    n = pair?.childForFieldName("value") ?? undefined;
  }
  return n;
}

/** HTTP calls whose URL may be a model API (`requests.post("https://api.openai.com/v1/chat/completions", …)`). */
const HTTP_CALL = /^(requests|httpx|aiohttp|urllib\.request)\.(post|get|put|request|stream|urlopen|Request)$/;

/** no-cloud-llm on a Python file: every model client, module-level model call and raw HTTP call to a model API. */
export function pythonEndpointChecks(root: TsNode, file: PyLlmFile, py: PyFile, values: PyValues, s: LlmRuleSettings): PyReport[] {
  const out: PyReport[] = [];
  if (!s.cloud?.level) return out;
  const allow = Array.isArray(s.cloud.options.allow) ? (s.cloud.options.allow as string[]) : DEFAULT_ALLOW;
  const allowUnresolved = s.cloud.options.allowUnresolved === true;
  const decide = (node: TsNode, what: string, route: Route) => {
    const messageId = endpointVerdict(route, { allow, allowUnresolved });
    if (!messageId) return;
    const provider = PROVIDERS_BY_ID.get(route.provider)?.display ?? (route.local ? "local server" : "remote host");
    out.push({ rule: "no-cloud-llm", messageId, data: { what, label: route.label, provider, allow: allow.join(", ") }, node });
  };
  const short = (t: string) => {
    const one = t.replace(/\s+/g, " ");
    return one.length > 60 ? one.slice(0, 57) + "…" : one;
  };
  eachNode(root, (call) => {
    if (call.type !== "call") return;
    try {
      const f = call.childForFieldName("function");
      const q = f ? qualName(f, py.imports) : undefined;
      if (!q || !f) return;
      const provider = providerForModule(q);
      if (provider) {
        const route = providerCallRoute(py, provider, q, call);
        if (!route) return;
        // A client's calls are decided at the client; the module-level Ollama API is the local daemon.
        const llm = file.byNode.get(call.id);
        const model = llm && (llm.shape === "ollama") ? modelOfCall(llm, values) : undefined;
        const tag = model ? classifyModelTag(model) : undefined;
        if (tag) return void decide(call, `${short(f.text)}() with model "${model}"`, tag);
        decide(call, `${short(f.text)}()`, route);
        return;
      }
      if (HTTP_CALL.test(q)) {
        const urlNode = kwarg(call, "url") ?? positional(call)[q.endsWith(".request") ? 1 : 0];
        const url = urlNode ? resolveString(urlNode, py).value : undefined;
        const r = url ? classifyUrl(url) : undefined;
        if (r && (r.provider !== "remote" || /\/(chat\/completions|v1\/completions|v1\/responses|v1\/messages|api\/generate|api\/chat)\b/.test(url!))) decide(call, `${short(f.text)} to ${short(url!)}`, r);
      }
    } catch {
      /* never crash */
    }
  });
  // Calls through a client of an OpenAI-compatible server pointed at Ollama, asking for a cloud model tag.
  for (const c of file.calls) {
    if (c.shape === "ollama" || !c.client) continue;
    const model = modelOfCall(c, values);
    const tag = model ? classifyModelTag(model) : undefined;
    if (tag) decide(c.node, `${c.api}() with model "${model}"`, tag);
  }
  return out;
}
