/**
 * What a name (or a comment) claims about model routes, and the honest name for a route.
 */
import { LOCAL_CLAIM_WORDS, LOCAL_COMMENT_CLAIMS, PATH_WORDS, PROVIDERS, PROVIDERS_BY_ID } from "./providers.js";
import { providerDisplay, type Route } from "./routes.js";

/** Split camelCase, PascalCase, snake_case, kebab-case and digits into lower-case words. */
export function splitWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** Join adjacent words that form one claim word (`llama cpp` → `llamacpp`, `lm studio`, `open ai`). */
function normaliseWords(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const pair = words[i] + (words[i + 1] ?? "");
    if (["llamacpp", "lmstudio", "openai", "openrouter", "litellm", "chatgpt", "deepseek", "vllm", "ollamacloud"].includes(pair) && words[i + 1]) {
      out.push(pair);
      i++;
    } else {
      out.push(words[i]);
    }
  }
  return out;
}

export interface Claim {
  /** "local" or a provider id. */
  claim: string;
  /** The word that made it. */
  word: string;
  source: "name" | "comment";
}

const PROVIDER_BY_CLAIM_WORD = new Map<string, string>();
for (const p of PROVIDERS) for (const w of p.claimWords) if (!LOCAL_CLAIM_WORDS.has(w)) PROVIDER_BY_CLAIM_WORD.set(w, p.id);

export function nameWords(name: string): string[] {
  // Twice: `azure open ai` → `azure openai` → `azureopenai`.
  return joinSecond(normaliseWords(splitWords(name)));
}

/** Provider names made of a provider word and another word (second joining pass). */
const JOINED_CLAIMS = new Map([
  ["azureopenai", "azure-openai"],
  ["googleai", "google"],
  ["googlegenai", "google"],
  ["vertexai", "google"],
]);

function joinSecond(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const pair = words[i] + (words[i + 1] ?? "");
    // `gpt oss` is an open-weight model family (served by Ollama, Groq…), not a claim of OpenAI.
    if (words[i + 1] && (JOINED_CLAIMS.has(pair) || pair === "gptoss")) {
      out.push(pair);
      i++;
    } else out.push(words[i]);
  }
  return out;
}

/**
 * Claim words that are also ordinary words (`getLocalConfigPath`, `searchGoogle`, `uploadToAzure`,
 * `computePerplexity`): they claim a route only next to a model noun (`localModel`, `local_llm`,
 * `googleAi`), or last after a call verb (`callLocal`, `runOffline`).
 */
export const AMBIGUOUS_CLAIM_WORDS: ReadonlySet<string> = new Set(["local", "locally", "offline", "google", "azure", "perplexity", "huggingface", "xai", "nvidia", "vertex"]);
const MODEL_NOUNS = new Set([
  "model", "models", "llm", "llms", "ai", "inference", "infer", "chat", "chats", "completion", "completions", "complete",
  "generate", "generation", "generator", "embed", "embedding", "embeddings", "agent", "provider", "backend", "engine",
  "endpoint", "client", "api", "server", "llama", "genai", "lm", "slm", "gpt", "prompt", "answer", "reply",
  // model tasks: `localSummary`, `offlineClassify` claim a local model (N1)
  "summary", "summaries", "summarize", "summarise", "summarizer", "summariser", "classify", "classifier", "classification",
  "translate", "translation", "translator", "extract", "extraction", "extractor", "rewrite", "rewriter", "caption",
  "captions", "transcribe", "transcription", "transcriber", "tagger", "sentiment",
]);
/** First words of a format converter / role mapper (`convertClaudeTurn`, `toOpenAIMessages`): they claim nothing. */
const CONVERTER_VERBS = new Set(["convert", "converts", "to", "from", "map", "mapper", "format", "formatter", "serialize", "serialise", "deserialize", "normalize", "normalise", "transform", "translate", "adapt", "encode", "decode", "parse", "as"]);
/** Model-family words: kept by any platform that serves the family (routes.ts `servesFamily`). */
const MODEL_FAMILY_WORDS = new Set(["claude", "gpt", "chatgpt", "mistral", "llama", "gemini", "opus", "sonnet", "haiku"]);
/**
 * Claude's model tiers. Ordinary words too (a haiku, a sonnet, an opus), so they claim Claude
 * (Anthropic, or a platform serving Claude) only with a version (`sonnet4`) or before a model /
 * agent-role noun (`opus_orchestrator`, `haiku_sub_agent`, `sonnetModel`), never as a task's
 * subject (`generate_haiku`, `haiku_generator`, `write_sonnet`).
 */
export const CLAUDE_TIER_WORDS: ReadonlySet<string> = new Set(["opus", "sonnet", "haiku"]);
const TIER_NOUNS = new Set(["model", "models", "llm", "agent", "agents", "subagent", "orchestrator", "orchestrate", "refine", "refiner", "planner", "reviewer", "worker", "client", "api"]);
export function isModelFamilyWord(word: string): boolean {
  return MODEL_FAMILY_WORDS.has(word.replace(/\d.*$/, ""));
}
const CALL_VERBS = new Set([
  "call", "ask", "run", "query", "prompt", "chat", "generate", "complete", "infer", "invoke", "use", "send", "request",
  "talk", "try", "summarize", "summarise", "embed", "answer", "respond", "think", "on", "with",
]);
/** After `openai`/`anthropic`: the word describes an API dialect or SDK, not where the call goes. */
const DIALECT_NOUNS = new Set([
  "compatible", "compat", "like", "style", "format", "schema", "spec", "sdk", "client", "adapter", "protocol", "types",
  "type", "messages", "message", "tools", "tool", "request", "response", "params", "options", "config", "chunk", "chunks",
  "error", "errors", "shape", "wrapper", "api", "turn", "turns", "role", "roles", "content", "block", "blocks", "part", "parts",
  "history", "event", "events", "usage", "thinking", "config", "settings", "limits", "capabilities",
]);

/** Before `openai`/`anthropic`: the name is about any server that speaks that API. */
const COMPAT_QUALIFIERS = new Set(["generic", "custom", "compatible", "compat", "any", "self", "selfhosted"]);

/** The claim a word makes in its context, if any. */
function claimOfWord(words: string[], i: number): string | undefined {
  // Digits do not hide a claim: `callOllama2`, `askLocal3`.
  const w = words[i].length > 3 ? words[i].replace(/\d+$/, "") : words[i];
  const next = words[i + 1];
  const prev = words[i - 1];
  const tier = words[i].replace(/\d.*$/, "");
  if (CLAUDE_TIER_WORDS.has(tier)) {
    const noun = next === "sub" || next === "co" ? words[i + 2] : next;
    return words[i] !== tier || (noun !== undefined && TIER_NOUNS.has(noun)) ? "anthropic" : undefined;
  }
  if (AMBIGUOUS_CLAIM_WORDS.has(w) && !((next && MODEL_NOUNS.has(next)) || (!next && prev !== undefined && CALL_VERBS.has(prev)))) return undefined;
  if (LOCAL_CLAIM_WORDS.has(w)) return "local";
  if (JOINED_CLAIMS.has(w)) return JOINED_CLAIMS.get(w);
  // `gpt4o`, `claude3`: a model version glued to the provider word.
  const base = PROVIDER_BY_CLAIM_WORD.has(w) ? w : w.replace(/\d.*$/, "");
  const provider = base.length >= 3 ? PROVIDER_BY_CLAIM_WORD.get(base) : undefined;
  if (!provider) return undefined;
  if ((base === "openai" || base === "anthropic" || base === "claude") && next && DIALECT_NOUNS.has(next)) return undefined;
  // `GenericOpenAiOptions`, `customOpenAIClient`: any server speaking that API (OpenAI-compatible), no provider claim.
  if ((base === "openai" || base === "anthropic") && prev && COMPAT_QUALIFIERS.has(prev)) return undefined;
  return provider;
}

/** A name that states a path (router/via/chain/fallback…) describes its route honestly. */
export function statesRoute(name: string): boolean {
  return nameWords(name).some((w) => PATH_WORDS.has(w));
}

/** The claims a function name makes; empty when the name states a path (router/via/fallback…). */
export function claimsOfName(name: string): Claim[] {
  const words = nameWords(name);
  if (words.some((w) => PATH_WORDS.has(w))) return [];
  if (words.length > 1 && CONVERTER_VERBS.has(words[0])) return [];
  const claims: Claim[] = [];
  for (let i = 0; i < words.length; i++) {
    const claim = claimOfWord(words, i);
    if (claim) claims.push({ claim, word: words[i], source: "name" });
  }
  // Two different provider claims in one name ("openaiOrGroq") describe a choice, not one route.
  const distinct = new Set(claims.map((c) => c.claim));
  if (distinct.size > 1) return [];
  return claims.slice(0, 1);
}

/** Local claims made by a comment ("runs on local model", "offline", "no paid API"). */
export function claimsOfComment(text: string): Claim[] {
  for (const re of LOCAL_COMMENT_CLAIMS) {
    const m = re.exec(text);
    if (m) return [{ claim: "local", word: m[0].trim(), source: "comment" }];
  }
  return [];
}

export function describeClaim(c: Claim): string {
  if (c.claim === "local") return "a local model";
  const p = PROVIDERS_BY_ID.get(c.claim);
  return p ? p.display : c.claim;
}

function capitalise(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1);
}

/**
 * An honest name for `name` given the routes it reaches in order: the claim word is replaced
 * by the route it really takes (`callOllama` → `callRouterWithOllamaFallback`).
 */
export function honestName(name: string, claim: Claim, routes: Route[]): string {
  const snake = name.includes("_") && name === name.toLowerCase();
  const kebab = name.includes("-");
  const seen = new Set<string>();
  const ordered = routes.filter((r) => !seen.has(r.provider) && seen.add(r.provider));
  const satisfying = ordered.filter((r) => (claim.claim === "local" ? r.local && !r.router : r.provider === claim.claim));
  const others = ordered.filter((r) => !satisfying.includes(r));
  const firstSatisfying = satisfying.length ? ordered.indexOf(satisfying[0]) : -1;
  const othersBefore = others.filter((r) => ordered.indexOf(r) < firstSatisfying || firstSatisfying < 0);
  const disp = (r: Route) => providerDisplay(r);
  const group = (rs: Route[]) => (rs.length > 1 || rs.some((r) => r.router) ? ["Router"] : rs.map(disp));
  let phrase: string[];
  if (claim.claim === "local" && satisfying.length && others.length && others.every((r) => r.provider === "ollama-cloud") && satisfying.every((r) => r.provider === "ollama")) {
    phrase = ["OllamaCloud"]; // the local daemon proxies a `…-cloud` model tag to ollama.com
  } else if (satisfying.length && othersBefore.length) {
    phrase = [...group(othersBefore), "With", disp(satisfying[0]), "Fallback"];
  } else if (satisfying.length) {
    phrase = [disp(satisfying[0]), "Then", ...group(others)];
  } else {
    phrase = othersBefore.length ? group(othersBefore) : ["Router"];
  }
  const original = splitWords(name);
  const target = claim.word.toLowerCase().replace(/[^a-z0-9]/g, "");
  const words: string[] = [];
  let replaced = false;
  for (let i = 0; i < original.length; i++) {
    // The claim word may span several split words (`callOpenAI` → call open ai ↔ "openai").
    let j = i;
    let joined = "";
    while (!replaced && j < original.length && joined.length < target.length) joined += original[j++];
    if (!replaced && joined === target) {
      words.push(...phrase);
      i = j - 1;
      // "askLocalModel" → "askRouterWithOllamaFallback": the phrase replaces "local model" whole.
      if ((target === "local" || target === "offline") && ["model", "models", "llm", "llms"].includes(original[i + 1] ?? "")) i++;
      replaced = true;
    } else {
      words.push(original[i]);
    }
  }
  if (!replaced) words.push(...phrase);
  const startsUpper = /^[A-Z]/.test(name);
  if (snake || kebab) return words.map((w) => w.toLowerCase()).join(snake ? "_" : "-");
  return words
    .map((w, i) => (i === 0 ? (startsUpper ? capitalise(w) : w.charAt(0).toLowerCase() + w.slice(1)) : capitalise(w)))
    .join("");
}
