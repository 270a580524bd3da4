/**
 * THE decision "which generation parameters must this model call set" (SPEC §2.4 temperature,
 * §2.7 output budget), over language-neutral facts: the TS/JS rules and the Python front build a
 * `ParamQuery` from their own syntax trees and call `requiredParams`; neither decides on its own.
 *
 * What it knows:
 * - where each request shape keeps its temperature and its budget, and how a suggestion spells
 *   them (`options.temperature` for Ollama, `generationConfig.maxOutputTokens` for Gemini…);
 * - calls that must not be told to set a temperature: reasoning models (`reasoningModels`),
 *   thinking calls (Anthropic `thinking`, OpenAI `reasoning_effort`/`reasoning`, Ollama `think`),
 *   image and video generation, and SDK versions whose API has no temperature (SDK_TABLE);
 * - calls that have a bounded budget without one written: clients with a built-in bounded default
 *   (LangChain `ChatAnthropic`: the API requires `max_tokens`, the class defaults it);
 * - the budget key the installed SDK wants (`max_completion_tokens` where it deprecates
 *   `max_tokens`, and always for reasoning models, which reject `max_tokens`).
 *
 * The version is the installed one, else the lower bound of the nearest package.json's range
 * (sdk-version.ts `sdkVersionFor`). An unknown SDK version (neither, or a front that cannot
 * tell) is treated conservatively: a parameter that the newest listed version of the SDK does not
 * take is not demanded, and a suggestion uses a spelling every version accepts.
 */
import { majorOf } from "./sdk-version.js";

/** How a request spells its settings (shared with llm-calls.ts). */
export type Shape = "openai" | "openai-responses" | "anthropic" | "ollama" | "google" | "ai-sdk" | "langchain" | "mistral" | "port";

/** A literal setting value, or `undefined` when the key is present but its value is not known statically. */
export type SettingValue = string | number | boolean | null | undefined;

export interface ParamQuery {
  shape: Shape;
  /** Human API name: `chat.completions.create`, `messages.create`, `ollama.generate`, `new ChatAnthropic`. */
  api: string;
  /** The SDK package the call goes through (npm or PyPI name): `openai`, `@anthropic-ai/sdk`, `@langchain/anthropic`. */
  sdkPackage?: string;
  /** The installed version of `sdkPackage`, when the front could read it. */
  sdkVersion?: string;
  /** The LangChain / SDK class constructed (`ChatAnthropic`), for client defaults. */
  className?: string;
  /** The model id, when static. */
  model?: string;
  /** When `model` is not static: the literal ids the module the model comes from constructs (every one a reasoning model → exempt). */
  candidateModels?: readonly string[];
  /**
   * The request's settings by dotted path, depth ≤ 2 (`temperature`, `options.num_predict`,
   * `thinking.type`, `think`), each with its literal value or `undefined` when not static.
   */
  settings: ReadonlyMap<string, SettingValue>;
  /** Every key of the request (and of its setting containers) is known: an absent key is really absent. */
  complete: boolean;
  /** The requested output modalities, when written (`responseModalities: ["IMAGE"]`). */
  outputModalities?: readonly string[];
  /** The code reads an image from the response (`res.image`, `res.images`). */
  readsImage?: boolean;
  /** Regex (case-insensitive) on the model id for reasoning models; default DEFAULT_REASONING. */
  reasoningModels?: RegExp;
  /** The budget a suggestion inserts for an ordinary call (default 1024). */
  suggestedBudget?: number;
  /**
   * The front knows the answer is machine-consumed where the settings do not show it
   * (Python instructor / `.parse(response_format=Model)` enforced schemas).
   */
  structuredOutput?: boolean;
}

export type Verdict =
  | { state: "set"; value: SettingValue; path: string }
  | { state: "missing" }
  | { state: "unknown" }
  | { state: "exempt"; reason: string };

export interface ParamDecision {
  /** Temperature, and where a suggestion inserts it. */
  temperature: Verdict & { insertPath: string[] };
  /** Output budget: `key` is the spelling to suggest, `suggested` its value. */
  budget: Verdict & { insertPath: string[]; key: string; suggested: number };
  /** A reasoning / thinking call (no greedy decoding; a budget that leaves room for reasoning). */
  reasoning: boolean;
}

/** Reasoning models that reject or ignore `temperature` (OpenAI o-series, gpt-5 except -chat, DeepSeek R1). */
export const DEFAULT_REASONING = "^(?:[\\w.-]+/)*(?:o\\d(?:$|[-:])|gpt-5(?!-chat)|deepseek-reasoner|deepseek-r1)";
export const DEFAULT_CREATIVE = "creative|story|stories|poem|poetry|brainstorm";

const regexMemo = new Map<string, RegExp>();
/** A case-insensitive RegExp from an option (memoised; an invalid pattern falls back to the default). */
export function regex(source: string, fallback: string): RegExp {
  let re = regexMemo.get(source);
  if (!re) {
    try {
      re = new RegExp(source, "i");
    } catch {
      re = new RegExp(fallback, "i");
    }
    if (regexMemo.size < 100) regexMemo.set(source, re);
  }
  return re;
}

/** Image and video generation models (no sampling temperature to pin, no text budget). */
const IMAGE_MODEL = /(?:^|[/:_.-])(?:image|images|imagen|dall-?e(?:-\d)?|gpt-image|flux\d*|sdxl|sd3(?:\.\d)?|stable-diffusion|playground-v\d|recraft|ideogram|video|veo\d*|sora|kling|luma|wan\d|midjourney)(?=$|[/:_.\-\d])/i;

/** Every spelling of an output budget (SPEC §2.7), plus the close relatives SDKs use. */
export const MAX_TOKEN_KEYS = ["max_tokens", "max_completion_tokens", "max_output_tokens", "maxTokens", "maxOutputTokens", "num_predict", "numPredict", "maxGenerationTokens", "maxCompletionTokens", "max_new_tokens", "maxNewTokens"];
/** Objects inside a request that hold settings (`options.num_predict`, `generationConfig.temperature`). */
export const SETTING_CONTAINERS = ["options", "generationConfig", "config", "modelKwargs", "parameters"];
/** Keys whose presence marks a thinking / reasoning call. */
const THINKING_KEYS = ["thinking.type", "thinking", "think", "reasoning_effort", "reasoningEffort", "reasoning", "reasoning.effort", "options.think", "thinkingConfig", "config.thinkingConfig", "generationConfig.thinkingConfig"];

interface SdkRule {
  /** npm / PyPI packages the rule applies to. */
  packages: readonly string[];
  /** APIs (human names) it applies to. */
  api: RegExp;
  /** First major version with this behaviour. */
  fromMajor: number;
  /** The API has no temperature parameter. */
  noTemperature?: boolean;
  /** The budget key the SDK wants (the older spelling is deprecated). */
  budgetKey?: string;
}

/**
 * Behaviour by SDK version. Add a row when an SDK drops or renames a parameter; the newest row of
 * a package is what an unknown version gets for "not demanded" decisions.
 */
const SDK_TABLE: readonly SdkRule[] = [
  // @anthropic-ai/sdk 1.x: `messages.create/stream` no longer take `temperature`.
  { packages: ["@anthropic-ai/sdk", "@anthropic-ai/bedrock-sdk", "@anthropic-ai/vertex-sdk"], api: /^messages\.(?:create|stream|parse)$/, fromMajor: 1, noTemperature: true },
  // openai 6.x: `max_tokens` on Chat Completions is deprecated in favour of `max_completion_tokens`.
  { packages: ["openai"], api: /^(?:beta\.)?chat\.completions\.(?:create|parse|stream|runTools)$/, fromMajor: 6, budgetKey: "max_completion_tokens" },
  // ai (Vercel AI SDK) 5.x renamed `maxTokens` to `maxOutputTokens`; 4.x and older take `maxTokens`.
  { packages: ["ai"], api: /^(?:generateText|streamText|generateObject|streamObject|streamUI)$/, fromMajor: 5, budgetKey: "maxOutputTokens" },
];

/** Clients that always send a bounded budget of their own (so "no budget written" is not "no budget"). */
const BOUNDED_DEFAULT_BUDGET: ReadonlyArray<{ packages: readonly string[]; className: RegExp }> = [
  // LangChain's ChatAnthropic defaults max_tokens (2048–8192 by model in JS, 1024 in Python); the API requires one.
  { packages: ["@langchain/anthropic", "langchain_anthropic"], className: /^ChatAnthropic(?:Messages)?$/ },
];

/** Budget for a reasoning / thinking call: OpenAI advises reserving at least 25,000 tokens for reasoning and output. */
export const REASONING_BUDGET = 25_000;

function sdkRule(q: ParamQuery, pick: (r: SdkRule) => boolean): { rule: SdkRule; applies: boolean | "unknown" } | undefined {
  if (!q.sdkPackage) return undefined;
  const rows = SDK_TABLE.filter((r) => r.packages.includes(q.sdkPackage!) && r.api.test(q.api) && pick(r));
  if (!rows.length) return undefined;
  const major = majorOf(q.sdkVersion);
  const rule = rows[rows.length - 1];
  if (major === undefined) return { rule, applies: "unknown" };
  const hit = rows.filter((r) => major >= r.fromMajor).pop();
  return hit ? { rule: hit, applies: true } : { rule, applies: false };
}

/** Where each request shape keeps its temperature (dotted paths). */
export function temperaturePaths(shape: Shape): string[] {
  switch (shape) {
    case "ollama":
      return ["options.temperature"];
    case "google":
      return ["generationConfig.temperature", "config.temperature"];
    case "langchain":
      return ["temperature", "modelKwargs.temperature"];
    default:
      return ["temperature"];
  }
}

function temperatureInsert(shape: Shape, api: string): string[] {
  if (shape === "ollama") return ["options", "temperature"];
  if (shape === "google") return [api === "getGenerativeModel" ? "generationConfig" : "config", "temperature"];
  return ["temperature"];
}

function budgetInsert(q: ParamQuery, reasoning: boolean): string[] {
  switch (q.shape) {
    case "openai": {
      const rule = sdkRule(q, (r) => !!r.budgetKey);
      return [reasoning || rule?.applies === true ? "max_completion_tokens" : "max_tokens"];
    }
    case "openai-responses":
      return ["max_output_tokens"];
    case "anthropic":
      return ["max_tokens"];
    case "ollama":
      return ["options", "num_predict"];
    case "google":
      return [q.api === "getGenerativeModel" ? "generationConfig" : "config", "maxOutputTokens"];
    case "ai-sdk": {
      // The installed / declared `ai` version decides; unknown gets the current spelling.
      const rule = sdkRule(q, (r) => !!r.budgetKey);
      return [rule?.applies === false ? "maxTokens" : "maxOutputTokens"];
    }
    case "langchain":
      return [/Ollama/.test(q.api) ? "numPredict" : /Google|Vertex/.test(q.api) ? "maxOutputTokens" : "maxTokens"];
    default:
      return ["maxTokens"];
  }
}

/** A key set by any of `paths` (dotted): its value; "unknown" when the request is not fully known. */
function lookup(q: ParamQuery, paths: readonly string[]): Verdict {
  for (const p of paths) if (q.settings.has(p)) return { state: "set", value: q.settings.get(p), path: p };
  return q.complete ? { state: "missing" } : { state: "unknown" };
}

/** Is this a thinking / reasoning call (by model id or by its settings)? */
export function isReasoningCall(q: Pick<ParamQuery, "model" | "settings" | "reasoningModels" | "candidateModels">): boolean {
  const re = q.reasoningModels ?? regex(DEFAULT_REASONING, DEFAULT_REASONING);
  if (q.model && re.test(q.model)) return true;
  if (!q.model && q.candidateModels?.length && q.candidateModels.every((m) => re.test(m))) return true;
  for (const k of THINKING_KEYS) {
    if (!q.settings.has(k)) continue;
    const v = q.settings.get(k);
    // `think: false`, `thinking: { type: "disabled" }`, `reasoning_effort: "none"` turn it off.
    if (v === false || v === null || v === "disabled" || v === "none" || v === 0) continue;
    if (k === "thinking" && q.settings.has("thinking.type")) continue; // decided by thinking.type
    return true;
  }
  return false;
}

/** Where `maxTemperature` applies (SPEC §2.4): every call, or only calls whose answer is machine-consumed. */
export type TemperatureScope = "all" | "structured";
export const DEFAULT_MAX_TEMPERATURE = 0.1;

/** APIs whose answer is always structured: AI SDK object calls, OpenAI `.parse` helpers and `runTools`. */
const STRUCTURED_API = /(?:^|\.)(?:generateObject|streamObject|parse|runTools)$/;
/**
 * Request keys (dotted, as in `ParamQuery.settings`) that ask for machine-consumed output, by shape
 * ("*": every shape). Python spellings are listed next to the TS ones (the Python front canonicalises
 * only container names). A key's literal value can turn it off (`NOT_STRUCTURED`).
 */
const STRUCTURED_KEYS: Record<string, readonly string[]> = {
  "*": ["response_format", "responseFormat", "tools", "functions", "tool_choice", "toolChoice", "function_call", "response_model", "text_format", "output_format"],
  "openai-responses": ["text.format"],
  ollama: ["format"],
  "ai-sdk": ["output", "experimental_output", "schema"],
  google: ["generationConfig.responseSchema", "generationConfig.responseMimeType", "config.responseSchema", "config.responseJsonSchema", "config.responseMimeType", "generationConfig.response_schema", "generationConfig.response_mime_type", "config.response_schema", "config.response_mime_type", "config.tools"],
};
/** Literal values of those keys that still mean free text. */
const NOT_STRUCTURED = new Set(["text", "none", "text/plain", ""]);

/**
 * Does the call ask for machine-consumed output (structured output or a function-call answer)?
 * Read from the request's settings and its API; `structuredOutput` adds what only the front knows.
 */
export function isStructuredCall(q: Pick<ParamQuery, "api" | "shape" | "settings" | "structuredOutput">): boolean {
  if (q.structuredOutput || STRUCTURED_API.test(q.api)) return true;
  for (const k of [...STRUCTURED_KEYS["*"], ...(STRUCTURED_KEYS[q.shape] ?? [])]) {
    if (!q.settings.has(k)) continue;
    const v = q.settings.get(k);
    if (v === null || v === false) continue;
    if (typeof v === "string" && NOT_STRUCTURED.has(v.toLowerCase())) continue;
    // `response_format: { type: "text" }` (settings go two levels deep, so `text.format.type` is not read)
    const type = q.settings.get(`${k}.type`);
    if (typeof type === "string" && NOT_STRUCTURED.has(type.toLowerCase())) continue;
    if (k === "tool_choice" || k === "toolChoice") continue; // only with tools, which count on their own
    return true;
  }
  return false;
}

export interface TemperatureBound {
  /** Highest temperature allowed (default 0.1). */
  max: number;
  /** "all" (the rule's default and `strict`): every call; "structured" (`recommended`): machine-consumed answers only. */
  scope: TemperatureScope;
  /** Creative-work pattern on the enclosing function / class names: lifts the bound. */
  creative: RegExp;
}

/** THE upper-bound decision of SPEC §2.4: is this explicit literal temperature too high for this call? */
export function temperatureTooHigh(q: Pick<ParamQuery, "api" | "shape" | "settings" | "structuredOutput">, value: number, enclosingNames: readonly string[], bound: TemperatureBound): boolean {
  if (!(value > bound.max)) return false;
  if (enclosingNames.some((n) => bound.creative.test(n))) return false;
  return bound.scope !== "structured" || isStructuredCall(q);
}

/** The scope option as written, else the rule's default ("all"). */
export function temperatureScopeOf(v: unknown): TemperatureScope {
  return v === "structured" ? "structured" : "all";
}

/** Image / video generation: by model id, requested modalities, or an image read from the response. */
export function isImageCall(q: Pick<ParamQuery, "model" | "outputModalities" | "readsImage">): boolean {
  if (q.readsImage) return true;
  if (q.model && IMAGE_MODEL.test(q.model)) return true;
  const mods = q.outputModalities?.map((m) => m.toLowerCase());
  return !!mods?.length && !mods.includes("text");
}

/** Which parameters this call must set, and how a suggestion spells them. */
export function requiredParams(q: ParamQuery): ParamDecision {
  const reasoning = isReasoningCall(q);
  const image = isImageCall(q);
  const suggestedBase = q.suggestedBudget ?? 1024;
  const budgetPath = budgetInsert(q, reasoning);
  const thinkingBudget = q.settings.get("thinking.budget_tokens") ?? q.settings.get("thinking.budgetTokens");
  const suggested = reasoning ? Math.max(suggestedBase, REASONING_BUDGET, typeof thinkingBudget === "number" ? thinkingBudget + suggestedBase : 0) : suggestedBase;

  let temperature: Verdict;
  const noTemp = sdkRule(q, (r) => !!r.noTemperature);
  if (image) temperature = { state: "exempt", reason: "image or video generation" };
  else if (reasoning) temperature = { state: "exempt", reason: "reasoning or thinking call" };
  else if (noTemp && noTemp.applies === true) temperature = { state: "exempt", reason: `${q.sdkPackage} ${q.sdkVersion} has no temperature on ${q.api}` };
  else {
    temperature = lookup(q, temperaturePaths(q.shape));
    // Unknown SDK version: the newest SDK has no temperature here, so it is not demanded.
    if (temperature.state === "missing" && noTemp?.applies === "unknown") temperature = { state: "exempt", reason: `${q.sdkPackage} version unknown; its newest API has no temperature on ${q.api}` };
  }

  let budget: Verdict;
  const bounded = BOUNDED_DEFAULT_BUDGET.find((b) => q.sdkPackage && b.packages.includes(q.sdkPackage) && q.className && b.className.test(q.className));
  if (image) budget = { state: "exempt", reason: "image or video generation" };
  else {
    budget = lookup(q, [...MAX_TOKEN_KEYS, ...SETTING_CONTAINERS.flatMap((c) => MAX_TOKEN_KEYS.map((k) => `${c}.${k}`))]);
    if (budget.state === "missing" && bounded) budget = { state: "exempt", reason: `${q.className} sends a bounded default budget` };
  }

  return {
    temperature: { ...temperature, insertPath: temperatureInsert(q.shape, q.api) },
    budget: { ...budget, insertPath: budgetPath, key: budgetPath.join("."), suggested },
    reasoning,
  };
}
