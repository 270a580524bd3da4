import { RuleTester } from "@typescript-eslint/rule-tester";
import { describe, expect, it } from "vitest";
import rule from "../../rules/no-cloud-llm.js";
import { presetRules } from "../../rules/configs.js";

const ruleTester = new RuleTester();
const ALLOW = "localhost, 127.0.0.1, ::1, host.docker.internal";

describe("presets", () => {
  it("no-cloud-llm is off in recommended and an error in local-only", () => {
    expect(presetRules("recommended")["ghostwatch/no-cloud-llm"]).toBeUndefined();
    expect(presetRules("local-only")["ghostwatch/no-cloud-llm"]).toBe("error");
    expect(presetRules("recommended")["ghostwatch/require-llm-temperature"]).toEqual(["warn", { checkTestFiles: false, maxTemperatureScope: "structured" }]);
    expect(presetRules("local-only")["ghostwatch/require-llm-temperature"]).toEqual(["warn", { checkTestFiles: false, maxTemperatureScope: "structured" }]);
    expect(presetRules("strict")["ghostwatch/require-llm-temperature"]).toBe("error");
    expect(presetRules("recommended")["ghostwatch/require-llm-schema"]).toBe("warn");
    expect(presetRules("recommended")["ghostwatch/require-llm-max-tokens"]).toEqual(["warn", { checkTestFiles: false }]);
  });
});

ruleTester.run("no-cloud-llm", rule, {
  valid: [
    // axios instances: a local model server, or a host that is not a model API
    `import axios from "axios";\nconst ollama = axios.create({ baseURL: "http://localhost:11434/api/chat" });\nconst gh = axios.create({ baseURL: "https://api.github.com" });\nawait ollama.post("", { model: "llama3", messages: [] });`,
    // near-miss: an OpenAI client whose baseURL is Ollama on localhost:11434
    `import OpenAI from "openai";\nconst client = new OpenAI({ baseURL: "http://localhost:11434/v1", apiKey: "ollama" });\nawait client.chat.completions.create({ model: "llama3", messages: [] });`,
    // through a const (an env var with a local default is unprovable: see the P1 suite below)
    `import OpenAI from "openai";\nconst BASE = "http://127.0.0.1:1234/v1";\nnew OpenAI({ baseURL: BASE });`,
    `import ollama from "ollama";\nawait ollama.chat({ model: "llama3", messages: [] });`,
    `import { Ollama } from "ollama";\nnew Ollama();`,
    `import { createOllama } from "ollama-ai-provider";\nconst o = createOllama({ baseURL: "http://host.docker.internal:11434/api" });`,
    `import { ChatOllama } from "@langchain/ollama";\nnew ChatOllama({ model: "llama3", baseUrl: "http://localhost:11434" });`,
    `await fetch("http://localhost:11434/api/generate", { method: "POST", body: JSON.stringify({ model: "llama3", prompt: "x" }) });`,
    // LAN host added by the user
    { code: `import OpenAI from "openai";\nnew OpenAI({ baseURL: "http://192.168.1.20:8000/v1" });`, options: [{ allow: ["localhost", "192.168.1.*"] }] },
    // unprovable allowed by option
    { code: `import OpenAI from "openai";\nnew OpenAI({ baseURL: process.env.LLM_URL });`, options: [{ allowUnresolved: true }] },
    // an injected client is checked where it is constructed
    `import type OpenAI from "openai";\nexport const ask = (c: OpenAI) => c.chat.completions.create({ model: "x", messages: [] });`,
    // not an LLM client
    `import { BetaFallbackState } from "@anthropic-ai/sdk/lib/fallbacks";\nnew BetaFallbackState();`,
    // near-misses for the host pre-filter: a model host named only in a comment / a non-axios create; a non-model host
    `import axios from "axios";\n// pricing: see https://openrouter.ai/models\nexport const api = axios.create({ baseURL: "https://api.github.com" });`,
    `import ky from "ky";\nexport const api = ky.create({ prefixUrl: "https://api.deepseek.com" });`,
  ],
  invalid: [
    // corpus (opencommit engine/openrouter.ts, engine/aimlapi.ts): axios instances for model APIs
    {
      code: `import axios from "axios";\nconst or = axios.create({ baseURL: "https://openrouter.ai/api/v1/chat/completions" });\nconst ai = axios.create({ baseURL: process.env.AIML_URL || "https://api.aimlapi.com/v1/chat/completions" });`,
      errors: [
        { messageId: "router", line: 2, column: 12, data: { what: "axios.create()", label: "openrouter.ai", provider: "OpenRouter", allow: ALLOW } },
        { messageId: "cloud", line: 3, column: 12, data: { what: "axios.create()", label: "api.aimlapi.com", provider: "remote host", allow: ALLOW } },
      ],
    },
    {
      // corpus (opencommit engine/openrouter.ts): the instance's baseURL is the only LLM hint in the file
      code: `import axios from "axios";\nexport const api = axios.create({ baseURL: "https://openrouter.ai/api/v1" });\nconst ds = axios.create({ baseURL: "https://api.deepseek.com", headers: { Authorization: "Bearer k" } });`,
      errors: [
        { messageId: "router", line: 2, column: 20, data: { what: "axios.create()", label: "openrouter.ai", provider: "OpenRouter", allow: ALLOW } },
        { messageId: "cloud", line: 3, column: 12, data: { what: "axios.create()", label: "api.deepseek.com", provider: "DeepSeek", allow: ALLOW } },
      ],
    },
    {
      // a call through a reported instance is not reported again; an instance whose base alone is not a model route is reported at the call
      code: `import axios from "axios";\nconst or = axios.create({ baseURL: "https://openrouter.ai/api/v1" });\nawait or.post("/chat/completions", { model: "x", messages: [] });\nconst aiml = axios.create({ baseURL: "https://api.aimlapi.com/v1" });\nawait aiml.post("/chat/completions", { model: "x", messages: [] });`,
      errors: [
        { messageId: "router", line: 2, column: 12, data: { what: "axios.create()", label: "openrouter.ai", provider: "OpenRouter", allow: ALLOW } },
        { messageId: "cloud", line: 5, column: 7, data: { what: "axios to https://api.aimlapi.com/v1/chat/completions", label: "api.aimlapi.com", provider: "remote host", allow: ALLOW } },
      ],
    },
    {
      code: `import OpenAI from "openai";\nconst client = new OpenAI();`,
      errors: [{ messageId: "cloud", line: 2, column: 16, data: { what: "new OpenAI()", label: "api.openai.com", provider: "OpenAI", allow: ALLOW } }],
    },
    {
      // a LiteLLM proxy on localhost is a router (the eleven-day incident)
      code: `import OpenAI from "openai";\nnew OpenAI({ baseURL: "http://localhost:4000/v1" });`,
      errors: [{ messageId: "router", line: 2, column: 1, data: { what: "new OpenAI()", label: "localhost:4000 (LiteLLM)", provider: "LiteLLM", allow: ALLOW } }],
    },
    {
      code: `const LITELLM_URL = "http://localhost:4000/v1/chat/completions";\nawait fetch(LITELLM_URL, { method: "POST", body: JSON.stringify({ model: "auto-tier", messages: [] }) });`,
      errors: [{ messageId: "router", line: 2, column: 7, data: { what: "fetch to http://localhost:4000/v1/chat/completions", label: "localhost:4000 (LiteLLM)", provider: "LiteLLM", allow: ALLOW } }],
    },
    {
      code: `import Groq from "groq-sdk";\nconst groq = new Groq({ apiKey: process.env.GROQ_API_KEY });`,
      errors: [{ messageId: "cloud", line: 2, column: 14, data: { what: "new Groq()", label: "api.groq.com", provider: "Groq", allow: ALLOW } }],
    },
    {
      code: `import OpenAI from "openai";\nnew OpenAI({ baseURL: "https://openrouter.ai/api/v1" });`,
      errors: [{ messageId: "router", line: 2, column: 1, data: { what: "new OpenAI()", label: "openrouter.ai", provider: "OpenRouter", allow: ALLOW } }],
    },
    {
      // unprovable: endpoint from an env var
      code: `import OpenAI from "openai";\nnew OpenAI({ baseURL: process.env.LLM_BASE_URL });`,
      errors: [{ messageId: "unprovable", line: 2, column: 1, data: { what: "new OpenAI()", label: "OpenAI at process.env.LLM_BASE_URL", provider: "remote host", allow: ALLOW } }],
    },
    {
      // LAN hosts are outside the default list
      code: `import { Ollama } from "ollama";\nnew Ollama({ host: "http://192.168.1.20:11434" });`,
      errors: [{ messageId: "cloud", line: 2, column: 1, data: { what: "new Ollama()", label: "192.168.1.20:11434", provider: "Ollama", allow: ALLOW } }],
    },
    {
      // Ollama asked for a cloud model tag is proxied to ollama.com
      code: `import ollama from "ollama";\nawait ollama.chat({ model: "gpt-oss:120b-cloud", messages: [] });`,
      errors: [{ messageId: "cloud", line: 2, column: 7, data: { what: "ollama.chat() with model \"gpt-oss:120b-cloud\"", label: "gpt-oss:120b-cloud (Ollama cloud)", provider: "OllamaCloud", allow: ALLOW } }],
    },
    {
      // AI SDK provider instance and LangChain chat model
      code: `import { generateText } from "ai";\nimport { anthropic } from "@ai-sdk/anthropic";\nimport { ChatOpenAI } from "@langchain/openai";\nawait generateText({ model: anthropic("claude-3-5-haiku-latest"), prompt: "x" });\nnew ChatOpenAI({ model: "gpt-4o" });`,
      errors: [
        { messageId: "cloud", line: 4, column: 29, data: { what: "anthropic()", label: "api.anthropic.com", provider: "Anthropic", allow: ALLOW } },
        { messageId: "cloud", line: 5, column: 1, data: { what: "new ChatOpenAI()", label: "api.openai.com", provider: "OpenAI", allow: ALLOW } },
      ],
    },
    {
      // AI SDK with a plain model string goes through the Vercel AI Gateway
      code: `import { streamText } from "ai";\nstreamText({ model: "openai/gpt-4o", prompt: "x" });`,
      errors: [{ messageId: "router", line: 2, column: 21, data: { what: "streamText() with model \"openai/gpt-4o\"", label: "the Vercel AI Gateway (ai-gateway.vercel.sh)", provider: "remote host", allow: ALLOW } }],
    },
  ],
});

// misses.md P1 (issue 12 item 4): an env var with a literal local default can point anywhere.
ruleTester.run("no-cloud-llm (env-overridable endpoints)", rule, {
  valid: [
    // near-miss: a literal local endpoint is provable
    `import { Ollama } from "ollama";\nconst pinned = new Ollama({ host: "http://127.0.0.1:11434" });`,
    // allowUnresolved lets the override pass
    { code: `import { Ollama } from "ollama";\nconst model = new Ollama({ host: process.env.MODEL_HOST ?? "http://127.0.0.1:11434" });`, options: [{ allowUnresolved: true }] },
  ],
  invalid: [
    {
      code: `import { Ollama } from "ollama";\nimport OpenAI from "openai";\nconst model = new Ollama({ host: process.env.MODEL_HOST ?? "http://127.0.0.1:11434" });\nconst compat = new OpenAI({ baseURL: process.env.COMPAT_URL || "http://localhost:11434/v1", apiKey: "none" });\nconst BASE = process.env.LLM_URL ?? "http://localhost:11434";\nconst viaConst = new Ollama({ host: BASE });`,
      errors: [
        { messageId: "unprovable", line: 3, column: 15, data: { what: "new Ollama()", label: "process.env.MODEL_HOST, default 127.0.0.1:11434", provider: "Ollama", allow: "localhost, 127.0.0.1, ::1, host.docker.internal" } },
        { messageId: "unprovable", line: 4, column: 16, data: { what: "new OpenAI()", label: "process.env.COMPAT_URL, default localhost:11434", provider: "Ollama", allow: "localhost, 127.0.0.1, ::1, host.docker.internal" } },
        { messageId: "unprovable", line: 6, column: 18, data: { what: "new Ollama()", label: "process.env.LLM_URL, default localhost:11434", provider: "Ollama", allow: "localhost, 127.0.0.1, ::1, host.docker.internal" } },
      ],
    },
  ],
});

ruleTester.run("no-cloud-llm (env-overridable endpoints with a cloud default)", rule, {
  valid: [],
  invalid: [
    {
      // the default goes to the cloud: reported as cloud, not merely unprovable
      code: `import OpenAI from "openai";\ndeclare const config: { baseURL?: string };\nexport const c = new OpenAI({ baseURL: config.baseURL || "https://api.openai.com/v1" });`,
      errors: [{ messageId: "cloud", line: 3, column: 18, data: { what: "new OpenAI()", label: "api.openai.com", provider: "OpenAI", allow: "localhost, 127.0.0.1, ::1, host.docker.internal" } }],
    },
  ],
});
