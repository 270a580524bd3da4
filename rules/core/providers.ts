/**
 * The provider catalogue: every model route Ghostwatch knows, as data.
 *
 * A *route* is where a model call ends up: a cloud provider's API host, a router
 * (LiteLLM, OpenRouter, Portkey, TokenJS…) or a local server (Ollama on 11434, LM Studio,
 * llama.cpp, vLLM). Rules, the language server, the Python front and the probe all read
 * this one table; nothing else hard-codes a host.
 */

export interface Provider {
  /** Stable id, used in messages and options. */
  id: string;
  /** Display name used in honest-name suggestions (PascalCase word). */
  display: string;
  /** Runs on the user's machine (a claim of "local" is satisfied by it). */
  local: boolean;
  /** Routes on to other providers: never satisfies a specific claim. */
  router: boolean;
  /** API hosts (exact or suffix match, lower-case). */
  hosts: string[];
  /** Default ports on loopback/LAN hosts that identify the server. */
  ports?: number[];
  /** npm packages whose client talks to this provider by default. */
  packages: string[];
  /** Python modules (for the Python front). */
  pythonModules?: string[];
  /** Env vars that hold its API key or endpoint. */
  envVars: string[];
  /** Words in a name (or comment) that claim this provider. */
  claimWords: string[];
}

export const PROVIDERS: readonly Provider[] = [
  {
    id: "ollama", display: "Ollama", local: true, router: false,
    hosts: [], ports: [11434],
    packages: ["ollama", "ollama/browser", "ollama-ai-provider", "ollama-ai-provider-v2", "@langchain/ollama", "@langchain/community/chat_models/ollama"],
    pythonModules: ["ollama"],
    envVars: ["OLLAMA_HOST", "OLLAMA_BASE_URL", "OLLAMA_URL"],
    claimWords: ["ollama"],
  },
  {
    id: "ollama-cloud", display: "OllamaCloud", local: false, router: false,
    hosts: ["ollama.com"], packages: [], envVars: ["OLLAMA_API_KEY"], claimWords: ["ollamacloud"],
  },
  {
    id: "lmstudio", display: "LMStudio", local: true, router: false,
    hosts: [], ports: [1234], packages: ["@lmstudio/sdk"], envVars: ["LMSTUDIO_HOST"],
    claimWords: ["lmstudio"],
  },
  {
    id: "llamacpp", display: "LlamaCpp", local: true, router: false,
    hosts: [], ports: [8080], packages: ["node-llama-cpp"], pythonModules: ["llama_cpp"], envVars: [],
    claimWords: ["llamacpp"],
  },
  {
    id: "vllm", display: "VLLM", local: true, router: false,
    hosts: [], ports: [8000], packages: [], pythonModules: ["vllm"], envVars: ["VLLM_BASE_URL"],
    claimWords: ["vllm"],
  },
  {
    id: "litellm", display: "LiteLLM", local: false, router: true,
    hosts: ["litellm"], ports: [4000], packages: ["litellm"], pythonModules: ["litellm"],
    envVars: ["LITELLM_API_KEY", "LITELLM_BASE_URL", "LITELLM_PROXY_URL", "LITELLM_MASTER_KEY"],
    claimWords: ["litellm"],
  },
  {
    id: "openrouter", display: "OpenRouter", local: false, router: true,
    hosts: ["openrouter.ai"], packages: ["@openrouter/ai-sdk-provider", "@openrouter/sdk"],
    envVars: ["OPENROUTER_API_KEY", "OPENROUTER_BASE_URL"], claimWords: ["openrouter"],
  },
  {
    id: "portkey", display: "Portkey", local: false, router: true,
    hosts: ["api.portkey.ai"], packages: ["portkey-ai"], pythonModules: ["portkey_ai"],
    envVars: ["PORTKEY_API_KEY"], claimWords: ["portkey"],
  },
  {
    id: "tokenjs", display: "TokenJS", local: false, router: true,
    hosts: [], packages: ["token.js"], envVars: [], claimWords: [],
  },
  {
    id: "openai", display: "OpenAI", local: false, router: false,
    hosts: ["api.openai.com"], packages: ["openai", "@ai-sdk/openai", "@langchain/openai"],
    pythonModules: ["openai"],
    envVars: ["OPENAI_API_KEY", "OPENAI_BASE_URL"], claimWords: ["openai", "gpt", "chatgpt"],
  },
  {
    id: "azure-openai", display: "AzureOpenAI", local: false, router: false,
    hosts: ["openai.azure.com", "cognitiveservices.azure.com"], packages: ["@ai-sdk/azure", "@azure/openai", "@langchain/azure-openai"],
    envVars: ["AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT"], claimWords: ["azure"],
  },
  {
    id: "anthropic", display: "Anthropic", local: false, router: false,
    hosts: ["api.anthropic.com"], packages: ["@anthropic-ai/sdk", "@ai-sdk/anthropic", "@langchain/anthropic"],
    pythonModules: ["anthropic"],
    envVars: ["ANTHROPIC_API_KEY"], claimWords: ["anthropic", "claude"],
  },
  {
    id: "google", display: "Gemini", local: false, router: false,
    hosts: ["generativelanguage.googleapis.com", "aiplatform.googleapis.com"],
    packages: ["@google/genai", "@google/generative-ai", "@ai-sdk/google", "@ai-sdk/google-vertex", "@langchain/google-genai", "@langchain/google-vertexai"],
    pythonModules: ["google.generativeai", "google.genai"],
    envVars: ["GEMINI_API_KEY", "GOOGLE_API_KEY", "GOOGLE_GENERATIVE_AI_API_KEY"],
    claimWords: ["gemini", "google", "vertex"],
  },
  {
    id: "groq", display: "Groq", local: false, router: false,
    hosts: ["api.groq.com"], packages: ["groq-sdk", "@ai-sdk/groq", "@langchain/groq"], pythonModules: ["groq"],
    envVars: ["GROQ_API_KEY"], claimWords: ["groq"],
  },
  {
    id: "mistral", display: "Mistral", local: false, router: false,
    hosts: ["api.mistral.ai"], packages: ["@mistralai/mistralai", "@ai-sdk/mistral", "@langchain/mistralai"],
    pythonModules: ["mistralai"],
    envVars: ["MISTRAL_API_KEY"], claimWords: ["mistral"],
  },
  {
    id: "together", display: "Together", local: false, router: false,
    hosts: ["api.together.xyz", "api.together.ai"], packages: ["together-ai", "@ai-sdk/togetherai"],
    envVars: ["TOGETHER_API_KEY"], claimWords: [],
  },
  {
    id: "fireworks", display: "Fireworks", local: false, router: false,
    hosts: ["api.fireworks.ai"], packages: ["@ai-sdk/fireworks"], envVars: ["FIREWORKS_API_KEY"], claimWords: ["fireworks"],
  },
  {
    id: "deepseek", display: "DeepSeek", local: false, router: false,
    hosts: ["api.deepseek.com"], packages: ["@ai-sdk/deepseek"], envVars: ["DEEPSEEK_API_KEY"], claimWords: ["deepseek"],
  },
  {
    id: "xai", display: "XAI", local: false, router: false,
    hosts: ["api.x.ai"], packages: ["@ai-sdk/xai"], envVars: ["XAI_API_KEY"], claimWords: ["xai", "grok"],
  },
  {
    id: "cohere", display: "Cohere", local: false, router: false,
    hosts: ["api.cohere.ai", "api.cohere.com"], packages: ["cohere-ai", "@ai-sdk/cohere", "@langchain/cohere"],
    envVars: ["COHERE_API_KEY", "CO_API_KEY"], claimWords: ["cohere"],
  },
  {
    // IBM watsonx.ai (regional hosts `us-south.ml.cloud.ibm.com`, …): `ibm_watsonx_ai` ModelInference, LangChain's `langchain_ibm`.
    id: "watsonx", display: "watsonx", local: false, router: false,
    hosts: ["ml.cloud.ibm.com"], packages: ["@ibm-cloud/watsonx-ai", "@langchain/community/llms/ibm"],
    pythonModules: ["ibm_watsonx_ai", "ibm_watson_machine_learning", "langchain_ibm"],
    envVars: ["WATSONX_APIKEY", "WATSONX_API_KEY", "WATSONX_URL", "WATSONX_AI_APIKEY"], claimWords: ["watsonx"],
  },
  {
    id: "bedrock", display: "Bedrock", local: false, router: false,
    hosts: ["amazonaws.com"], packages: ["@aws-sdk/client-bedrock-runtime", "@ai-sdk/amazon-bedrock"],
    envVars: [], claimWords: ["bedrock"],
  },
  {
    id: "nvidia", display: "Nvidia", local: false, router: false,
    hosts: ["integrate.api.nvidia.com"], packages: [], envVars: ["NVIDIA_API_KEY"], claimWords: ["nvidia"],
  },
  {
    id: "perplexity", display: "Perplexity", local: false, router: false,
    hosts: ["api.perplexity.ai"], packages: ["@ai-sdk/perplexity"], envVars: ["PERPLEXITY_API_KEY"], claimWords: ["perplexity"],
  },
  {
    id: "cerebras", display: "Cerebras", local: false, router: false,
    hosts: ["api.cerebras.ai"], packages: ["@cerebras/cerebras_cloud_sdk", "@ai-sdk/cerebras"], envVars: ["CEREBRAS_API_KEY"], claimWords: ["cerebras"],
  },
  {
    id: "huggingface", display: "HuggingFace", local: false, router: false,
    hosts: ["api-inference.huggingface.co", "router.huggingface.co"], packages: ["@huggingface/inference"],
    envVars: ["HF_TOKEN", "HUGGINGFACE_API_KEY"], claimWords: ["huggingface"],
  },
];

export const PROVIDERS_BY_ID: ReadonlyMap<string, Provider> = new Map(PROVIDERS.map((p) => [p.id, p]));

/** Words that claim *some* local route (any local provider satisfies them). */
export const LOCAL_CLAIM_WORDS = new Set(["ollama", "local", "locally", "offline", "llamacpp", "lmstudio", "vllm", "localllm"]);

/** Words that describe a path through several routes: a name using them states its route. */
export const PATH_WORDS = new Set(["router", "route", "routed", "routing", "via", "chain", "fallback", "fallbacks", "cascade", "failover", "proxy", "proxied", "any", "multi", "gateway"]);

/** Comment phrases that claim a local route (file header, JSDoc, leading comment). */
export const LOCAL_COMMENT_CLAIMS: readonly RegExp[] = [
  /\b(?:(?:runs?|running|uses?|using|calls?)\s+(?:on\s+|with\s+)?|on\s+|with\s+|via\s+)(?:a\s+|the\s+)?local\s+(?:llm|model|models|ollama|inference)\b/i,
  /\blocal[- ]only\b/i,
  /\bno\s+(?:paid|cloud|external)\s+(?:api|apis|calls?|providers?|llms?)\b/i,
  /\b(?:fully|completely|100%)\s+(?:offline|local)\b/i,
  /\boffline\s+(?:model|llm|inference|only)\b/i,
];

/** Loopback and "this machine" hosts. */
export const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0", "host.docker.internal"]);

/** Paths that identify a model API (used for hosts/ports the catalogue does not name). */
export const LLM_PATHS: readonly RegExp[] = [
  /\/v1\/chat\/completions\b/, /\/v1\/completions\b/, /\/v1\/messages\b/, /\/v1\/responses\b/,
  /\/api\/generate\b/, /\/api\/chat\b/, /\/v1\/embeddings\b/, /\/completion\b/,
];

/** An Ollama model tag proxied to Ollama's cloud (`gpt-oss:120b-cloud`, `…:cloud`). */
export function isCloudModelTag(s: string): boolean {
  return /^[\w.\-/]+:(?:[\w.\-]*-)?cloud$/i.test(s);
}

/** Memo of providerForHost (string literals repeat hosts across a project); bounded. */
const hostMemo = new Map<string, Provider | null>();
/** Provider whose API host matches `host` (lower-case, no port). */
export function providerForHost(host: string): Provider | undefined {
  const hit = hostMemo.get(host);
  if (hit !== undefined) return hit ?? undefined;
  const p = providerForHostUncached(host);
  if (hostMemo.size > 10_000) hostMemo.clear();
  hostMemo.set(host, p ?? null);
  return p;
}

function providerForHostUncached(host: string): Provider | undefined {
  const h = host.toLowerCase();
  for (const p of PROVIDERS) {
    for (const known of p.hosts) {
      if (known.includes(".")) {
        if (h === known || h.endsWith("." + known)) {
          if (p.id === "bedrock" && !h.includes("bedrock")) continue;
          return p;
        }
      } else if (h.split(/[.-]/).includes(known)) {
        return p;
      }
    }
  }
  return undefined;
}

/** Provider identified by a port on a loopback/LAN host. */
export function providerForPort(port: number): Provider | undefined {
  return PROVIDERS.find((p) => p.ports?.includes(port));
}

/** Provider whose npm package is `source` (exact, or a subpath of it). */
export function providerForPackage(source: string): Provider | undefined {
  for (const p of PROVIDERS) {
    if (p.packages.some((pkg) => source === pkg || source.startsWith(pkg + "/"))) return p;
  }
  return undefined;
}

/** Classes/factories a package exports for another provider than its default (`AzureOpenAI` from `openai`). */
export const CLIENT_CLASS_PROVIDERS: ReadonlyMap<string, string> = new Map([
  ["AzureOpenAI", "azure-openai"],
  ["AzureChatOpenAI", "azure-openai"],
  ["AzureOpenAIEmbeddings", "azure-openai"],
  ["AzureOpenAIResponses", "azure-openai"],
]);

/** Provider of the binding `imported` from package `source` (the class name wins over the package). */
export function providerForImport(source: string, imported: string): Provider | undefined {
  const byClass = CLIENT_CLASS_PROVIDERS.get(imported);
  if (byClass && providerForPackage(source)) return PROVIDERS_BY_ID.get(byClass);
  return providerForPackage(source);
}

/** Provider whose env var is `name`. */
export function providerForEnvVar(name: string): Provider | undefined {
  return PROVIDERS.find((p) => p.envVars.includes(name));
}

/** Hosts of cloud LLM APIs (for the probe's outbound-connection check). */
export function cloudLlmHosts(): string[] {
  return PROVIDERS.filter((p) => !p.local).flatMap((p) => p.hosts.filter((h) => h.includes(".") && h !== "amazonaws.com"));
}
