import { describe, expect, it } from "vitest";
import { claimsOfComment, claimsOfName, honestName, nameWords, splitWords, statesRoute } from "../../rules/core/names.js";
import { classifyModelTag, classifyUrl, type Route } from "../../rules/core/routes.js";

const route = (url: string): Route => {
  const r = classifyUrl(url) ?? classifyModelTag(url);
  if (!r) throw new Error(`not a route: ${url}`);
  return r;
};
const OPENROUTER = route("https://openrouter.ai/api/v1");
const GROQ = route("https://api.groq.com/openai/v1");
const OLLAMA = route("http://localhost:11434/api/chat");
const LITELLM = route("http://localhost:4000/v1");
const CLOUD = route("gpt-oss:120b-cloud");

describe("splitWords / nameWords", () => {
  it("splits camelCase, PascalCase, snake_case, kebab-case and acronyms", () => {
    expect(splitWords("callOpenAI")).toEqual(["call", "open", "ai"]);
    expect(splitWords("LLMClientForGPT4")).toEqual(["llm", "client", "for", "gpt4"]);
    expect(splitWords("call_ollama")).toEqual(["call", "ollama"]);
    expect(splitWords("ask-local-model")).toEqual(["ask", "local", "model"]);
    expect(splitWords("OllamaChat")).toEqual(["ollama", "chat"]);
  });
  it("joins multi-word provider names", () => {
    expect(nameWords("callOpenAI")).toEqual(["call", "openai"]);
    expect(nameWords("useLMStudio")).toEqual(["use", "lmstudio"]);
    expect(nameWords("runLlamaCpp")).toEqual(["run", "llamacpp"]);
    expect(nameWords("callOpenRouter")).toEqual(["call", "openrouter"]);
  });
});

describe("claimsOfName", () => {
  it("claims a local route from local words", () => {
    for (const n of ["callOllama", "call_ollama", "askLocalModel", "runOffline", "run_llama_cpp", "useLMStudio", "callVllm", "OllamaChat"]) {
      expect(claimsOfName(n).map((c) => c.claim), n).toEqual(["local"]);
    }
  });
  it("claims a provider from its whole word", () => {
    expect(claimsOfName("callOpenAI")).toEqual([{ claim: "openai", word: "openai", source: "name" }]);
    expect(claimsOfName("askClaude")[0].claim).toBe("anthropic");
    expect(claimsOfName("GeminiClient")[0].claim).toBe("google");
    expect(claimsOfName("groq_chat")[0].claim).toBe("groq");
    expect(claimsOfName("callOllamaCloud")[0].claim).toBe("ollama-cloud");
  });
  it("does not claim from words that only contain a claim word", () => {
    expect(claimsOfName("localeCompare")).toEqual([]);
    expect(claimsOfName("groqqy")).toEqual([]);
    expect(claimsOfName("openaiOrGroq")).toEqual([]); // a choice of two, not one route
  });
  it("ordinary words claim only next to a model noun or after a call verb", () => {
    for (const n of ["getLocalConfigPath", "migrateLocalStorage", "summarizeLocalFiles", "isOffline", "searchGoogle", "googleSearchTool", "uploadToAzureBlob", "computePerplexity", "downloadHuggingfaceWeights"]) {
      expect(claimsOfName(n), n).toEqual([]);
    }
    // N1: local/offline before a model task word claims too; digits do not hide a claim
    for (const n of ["callLocal", "askLocalModel", "call_local_llm", "localChatModel", "runOffline", "offlineInference", "localGenerate", "localSummary", "offlineSummary", "offlineClassify", "localTranslator", "callOllama2"]) {
      expect(claimsOfName(n).map((c) => c.claim), n).toEqual(["local"]);
    }
    expect(claimsOfName("googleAiChat")[0].claim).toBe("google");
    expect(claimsOfName("callAzureOpenAI")[0].claim).toBe("azure-openai");
  });
  it("format converters and role mappers claim nothing (H1)", () => {
    for (const n of ["convertClaudeTurn", "toOpenAIMessages", "mapClaudeRole", "formatAnthropicTools", "claudeContentBlocks", "parseOllamaChunk"]) {
      expect(claimsOfName(n), n).toEqual([]);
    }
    expect(claimsOfName("refreshLocalCache")).toEqual([]);
    expect(claimsOfName("askClaude")[0].claim).toBe("anthropic");
  });
  it("reads model versions and API dialects", () => {
    expect(claimsOfName("askGpt4o")[0].claim).toBe("openai");
    expect(claimsOfName("claude3Haiku")[0].claim).toBe("anthropic");
    expect(claimsOfName("runGptOss")).toEqual([]);
    expect(claimsOfName("createOpenAIClient")).toEqual([]);
    expect(claimsOfName("callOpenAICompatible")).toEqual([]);
    expect(claimsOfName("toAnthropicMessages")).toEqual([]);
    expect(claimsOfName("GeminiClient")[0].claim).toBe("google");
  });
  it("names that state a path claim nothing", () => {
    for (const n of ["callRouterWithOllamaFallback", "routeViaLiteLLM", "ollamaFallbackChain", "local_llm_gateway"]) {
      expect(statesRoute(n), n).toBe(true);
      expect(claimsOfName(n), n).toEqual([]);
    }
    expect(statesRoute("callOpenRouter")).toBe(false); // "open router" is one provider word
  });
});

describe("claimsOfComment", () => {
  it("finds local claims in prose", () => {
    expect(claimsOfComment("Runs queued experiments on local model (gemma2:9b).")[0].word).toBe("on local model");
    expect(claimsOfComment("This runs on local model")[0].word).toBe("runs on local model");
    expect(claimsOfComment("Free, offline, no paid API.")[0].word).toBe("no paid API");
    expect(claimsOfComment("local-only inference")[0].claim).toBe("local");
    expect(claimsOfComment("Fully offline.")[0].claim).toBe("local");
  });
  it("ignores comments that do not claim a route", () => {
    expect(claimsOfComment("Reads the local cache first")).toEqual([]);
    expect(claimsOfComment("Works offline when the cache is warm")).toEqual([]);
  });
});

describe("honestName", () => {
  const local = claimsOfName("callOllama")[0];
  it("names the incident's route in order", () => {
    expect(honestName("callOllama", local, [LITELLM, OPENROUTER, GROQ, OLLAMA])).toBe("callRouterWithOllamaFallback");
    expect(honestName("call_ollama", claimsOfName("call_ollama")[0], [LITELLM, OLLAMA])).toBe("call_router_with_ollama_fallback");
    expect(honestName("askLocalModel", claimsOfName("askLocalModel")[0], [OPENROUTER, OLLAMA])).toBe("askRouterWithOllamaFallback");
  });
  it("replaces a claim word that spans several split words", () => {
    expect(honestName("callOpenAI", claimsOfName("callOpenAI")[0], [OLLAMA])).toBe("callOllama");
    expect(honestName("callOpenRouter", claimsOfName("callOpenRouter")[0], [OPENROUTER, GROQ])).toBe("callOpenRouterThenGroq");
  });
  it("keeps PascalCase and kebab-case", () => {
    expect(honestName("OllamaChat", claimsOfName("OllamaChat")[0], [GROQ])).toBe("GroqChat");
    expect(honestName("ask-ollama", claimsOfName("ask-ollama")[0], [OPENROUTER])).toBe("ask-router");
  });
  it("says OllamaCloud for a cloud model tag behind the local daemon", () => {
    expect(honestName("callOllama", local, [OLLAMA, CLOUD])).toBe("callOllamaCloud");
  });
});

describe("'locally' claims like 'local'", () => {
  it("claims a local route after a call verb, not in other phrases", () => {
    expect(claimsOfName("summarizeLocally")).toEqual([{ claim: "local", word: "locally", source: "name" }]);
    expect(claimsOfName("cacheLocallyForLater")).toEqual([]);
  });
});

describe("file pre-filter", () => {
  it("lets every comment claim through", async () => {
    const { mayClaim } = await import("../../rules/honest-llm-names.js");
    expect(mayClaim("/** Local-only agent. */ export function run() {}")).toBe(true);
    expect(mayClaim("// no paid API\nexport function run() {}")).toBe(true);
    expect(mayClaim("export function summarizeLocally() {}")).toBe(true);
    expect(mayClaim("const x = localStorage.getItem('a');")).toBe(false);
  });
});

describe("second gate: a claim really made", () => {
  it("looks at the identifier around each claim word and at comments", async () => {
    const { makesClaim, mayClaim } = await import("../../rules/honest-llm-names.js");
    const opts = { checkComments: true, checkFileHeader: true };
    const mentionsOnly = "const files = listFiles(); // keep it local\n";
    expect(mayClaim(mentionsOnly)).toBe(true); // the text pre-filter lets it through…
    expect(makesClaim(mentionsOnly, [{ value: " keep it local" }], opts)).toBe(false); // …the second gate does not
    expect(makesClaim("export async function callOllama() {}", [], opts)).toBe(true);
    expect(makesClaim("function run() {}", [{ value: "* Runs on local model (gemma2:9b). " }], opts)).toBe(true);
    expect(makesClaim("const ask_local_model = async () => {};", [], opts)).toBe(true);
    expect(makesClaim("const x = createOpenAIClient();", [], opts)).toBe(false);
  });
});
