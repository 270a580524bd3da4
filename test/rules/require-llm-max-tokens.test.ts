import { RuleTester } from "@typescript-eslint/rule-tester";
import rule from "../../rules/require-llm-max-tokens.js";
import { sdkProject } from "./sdk-fixture.js";

const ruleTester = new RuleTester();
const OPENAI = `import OpenAI from "openai";\nconst client = new OpenAI();\n`;

const OPENAI_6 = sdkProject([{ name: "openai", version: "6.3.0" }]);
const OPENAI_5 = sdkProject([{ name: "openai", version: "5.23.1" }]);

function missing(api: string, provider: string, key: string, line: number, column: number, output?: string, budget = "1024") {
  const data = { api, provider, key, budget };
  return { messageId: "missing" as const, line, column, data, suggestions: output ? [{ messageId: "addBudget" as const, data, output }] : [] };
}

ruleTester.run("require-llm-max-tokens", rule, {
  valid: [
    // T3: LangChain ChatAnthropic always sends a bounded default max_tokens
    `import { ChatAnthropic } from "@langchain/anthropic";\nexport const reviewer = new ChatAnthropic({ model: "claude-sonnet-4-5", temperature: 0 });`,
    // T1: a static stream helper with the client as its first argument
    `import type OpenAI from "openai";\nimport { ChatCompletionStream } from "openai/lib/ChatCompletionStream";\nexport function streamFromStub(create: (...a: unknown[]) => unknown) {\n  const stub = { chat: { completions: { create } } } as unknown as OpenAI;\n  return ChatCompletionStream.createChatCompletion(stub, { model: "gpt-4o-mini", messages: [], temperature: 0, max_tokens: 256 });\n}`,
    // T2: image generation
    `import ollama from "ollama";\nexport async function poster(prompt: string) {\n  const res = await ollama.generate({ model: "x/flux2-klein", prompt, stream: false });\n  return res.image;\n}`,
    `${OPENAI}await client.chat.completions.create({ model: "gpt-4o", messages: [], max_tokens: 512 });`,
    `${OPENAI}await client.chat.completions.create({ model: "o3-mini", messages: [], max_completion_tokens: 512 });`,
    `${OPENAI}await client.responses.create({ model: "gpt-4.1", input: "x", max_output_tokens: 512 });`,
    // spread of a const options object
    `${OPENAI}const LIMITS = { max_tokens: 256 };\nawait client.chat.completions.create({ ...LIMITS, model: "gpt-4o", messages: [] });`,
    // parameter default
    `${OPENAI}export const ask = (p: string, max_tokens = 256) => client.chat.completions.create({ model: "gpt-4o", messages: [], max_tokens });`,
    // unknown request
    `${OPENAI}export const ask = (req: any) => client.chat.completions.create({ ...req, model: "gpt-4o" });`,
    `import ollama from "ollama";\nawait ollama.generate({ model: "llama3", prompt: "x", options: { num_predict: 128 } });`,
    `import { generateText } from "ai";\nimport { openai } from "@ai-sdk/openai";\nawait generateText({ model: openai("gpt-4o"), prompt: "x", maxTokens: 100 });`,
    `import { generateText } from "ai";\nimport { openai } from "@ai-sdk/openai";\nawait generateText({ model: openai("gpt-4o"), prompt: "x", maxOutputTokens: 100 });`,
    `import { ChatOllama } from "@langchain/ollama";\nnew ChatOllama({ model: "llama3", numPredict: 128 });`,
    `import { ChatOpenAI } from "@langchain/openai";\nnew ChatOpenAI({ model: "gpt-4o", maxTokens: 128 });`,
    `import { GoogleGenAI } from "@google/genai";\nconst ai = new GoogleGenAI({});\nawait ai.models.generateContent({ model: "gemini-2.0-flash", contents: "x", config: { maxOutputTokens: 100 } });`,
    `import { GoogleGenerativeAI } from "@google/generative-ai";\nconst m = new GoogleGenerativeAI("k").getGenerativeModel({ model: "gemini-pro", generationConfig: { maxOutputTokens: 100 } });`,
    `import Anthropic from "@anthropic-ai/sdk";\nconst a = new Anthropic();\nawait a.messages.create({ model: "claude-3-5-haiku-latest", max_tokens: 100, messages: [] });`,
    // Other libraries' generateText / a local chat() method are not model calls
    `import { generateText } from "some-template-lib";\ngenerateText({ template: "x" });`,
    `const bot = { chat: (o: object) => o };\nbot.chat({ model: "x" });`,
    // axios instance with a budget; an instance for a non-LLM API
    `import axios from "axios";\nclass Engine {\n  private http = axios.create({ baseURL: "http://localhost:11434" });\n  chat() { return this.http.post("/api/chat", { model: "llama3", messages: [], options: { num_predict: 256 } }); }\n}`,
    `import axios from "axios";\nclass Tracker {\n  private http = axios.create({ baseURL: "https://api.github.com" });\n  chat() { return this.http.post("/repos/o/r/issues", { model: "llama3", messages: [] }); }\n}`,
  ],
  invalid: [
    {
      // corpus (opencommit): axios instance created in a class field initialiser, relative path joined to its baseURL
      code: `import axios from "axios";\nclass Engine {\n  private http = axios.create({ baseURL: "http://localhost:11434" });\n  chat() { return this.http.post("/api/chat", { model: "llama3", messages: [] }); }\n}`,
      errors: [missing("axios.post", "localhost:11434", "options.num_predict", 4, 19, `import axios from "axios";\nclass Engine {\n  private http = axios.create({ baseURL: "http://localhost:11434" });\n  chat() { return this.http.post("/api/chat", { model: "llama3", messages: [], options: { num_predict: 1024 } }); }\n}`)],
    },
    {
      // an injected instance (typed AxiosInstance) posting to an absolute model URL
      code: `import type { AxiosInstance } from "axios";\nexport class Client {\n  constructor(private readonly http: AxiosInstance) {}\n  complete(prompt: string) { return this.http.post("http://localhost:8000/v1/completions", { model: "m", prompt }); }\n}`,
      errors: [missing("axios.post", "localhost:8000", "max_tokens", 4, 37, `import type { AxiosInstance } from "axios";\nexport class Client {\n  constructor(private readonly http: AxiosInstance) {}\n  complete(prompt: string) { return this.http.post("http://localhost:8000/v1/completions", { model: "m", prompt, max_tokens: 1024 }); }\n}`)],
    },
    {
      code: `${OPENAI}await client.chat.completions.create({ model: "gpt-4o", messages: [] });`,
      errors: [missing("chat.completions.create", "OpenAI", "max_tokens", 3, 31, `${OPENAI}await client.chat.completions.create({ model: "gpt-4o", messages: [], max_tokens: 1024 });`)],
    },
    {
      // reasoning model: the suggestion uses max_completion_tokens, with room for the reasoning (M5)
      code: `${OPENAI}await client.chat.completions.create({ model: "o4-mini", messages: [] });`,
      options: [{ suggestedMaxTokens: 4000 }],
      errors: [missing("chat.completions.create", "OpenAI", "max_completion_tokens", 3, 31, `${OPENAI}await client.chat.completions.create({ model: "o4-mini", messages: [], max_completion_tokens: 25000 });`, "25000")],
    },
    {
      // configurable budget
      code: `${OPENAI}await client.chat.completions.create({ model: "gpt-4o", messages: [] });`,
      options: [{ suggestedMaxTokens: 4000 }],
      errors: [missing("chat.completions.create", "OpenAI", "max_tokens", 3, 31, `${OPENAI}await client.chat.completions.create({ model: "gpt-4o", messages: [], max_tokens: 4000 });`, "4000")],
    },
    {
      // openai 6.x deprecates max_tokens on Chat Completions: the suggestion names max_completion_tokens
      code: `${OPENAI}await client.chat.completions.create({ model: "gpt-4o", messages: [] });`,
      filename: OPENAI_6.file(),
      errors: [missing("chat.completions.create", "OpenAI", "max_completion_tokens", 3, 31, `${OPENAI}await client.chat.completions.create({ model: "gpt-4o", messages: [], max_completion_tokens: 1024 });`)],
    },
    {
      // openai 5.x: max_tokens
      code: `${OPENAI}await client.chat.completions.create({ model: "gpt-4o", messages: [] });`,
      filename: OPENAI_5.file(),
      errors: [missing("chat.completions.create", "OpenAI", "max_tokens", 3, 31, `${OPENAI}await client.chat.completions.create({ model: "gpt-4o", messages: [], max_tokens: 1024 });`)],
    },
    {
      // keep-T3: LangChain ChatOpenAI sends no max_tokens by default
      code: `import { ChatOpenAI } from "@langchain/openai";\nexport const reviewer = new ChatOpenAI({ model: "gpt-4o-mini", temperature: 0 });`,
      errors: [missing("new ChatOpenAI", "OpenAI", "maxTokens", 2, 29, `import { ChatOpenAI } from "@langchain/openai";\nexport const reviewer = new ChatOpenAI({ model: "gpt-4o-mini", temperature: 0, maxTokens: 1024 });`)],
    },
    {
      // R1: a TokenJS fork
      code: `import { TokenJS } from "@acme/tokenjs-fork";\nconst router = new TokenJS();\nexport const ask = (model: string) => router.chat.completions.create({ provider: "openai", model, messages: [{ role: "user", content: "x" }] });`,
      errors: [missing("chat.completions.create", "TokenJS", "max_tokens", 3, 63, `import { TokenJS } from "@acme/tokenjs-fork";\nconst router = new TokenJS();\nexport const ask = (model: string) => router.chat.completions.create({ provider: "openai", model, messages: [{ role: "user", content: "x" }], max_tokens: 1024 });`)],
    },
    {
      code: `${OPENAI}await client.responses.create({ model: "gpt-4.1", input: "x" });`,
      errors: [missing("responses.create", "OpenAI", "max_output_tokens", 3, 24, `${OPENAI}await client.responses.create({ model: "gpt-4.1", input: "x", max_output_tokens: 1024 });`)],
    },
    {
      code: `import ollama from "ollama";\nawait ollama.chat({ model: "llama3", messages: [] });`,
      errors: [missing("ollama.chat", "Ollama", "options.num_predict", 2, 14, `import ollama from "ollama";\nawait ollama.chat({ model: "llama3", messages: [], options: { num_predict: 1024 } });`)],
    },
    {
      code: `import { generateObject } from "ai";\nimport { ollama } from "ollama-ai-provider";\nawait generateObject({ model: ollama("llama3"), prompt: "x", schema });`,
      errors: [missing("generateObject", "Ollama", "maxOutputTokens", 3, 7, `import { generateObject } from "ai";\nimport { ollama } from "ollama-ai-provider";\nawait generateObject({ model: ollama("llama3"), prompt: "x", schema, maxOutputTokens: 1024 });`)],
    },
    {
      code: `import { GoogleGenAI } from "@google/genai";\nconst ai = new GoogleGenAI({});\nawait ai.models.generateContent({ model: "gemini-2.0-flash", contents: "x", config: { temperature: 0 } });`,
      errors: [missing("models.generateContent", "Gemini", "config.maxOutputTokens", 3, 17, `import { GoogleGenAI } from "@google/genai";\nconst ai = new GoogleGenAI({});\nawait ai.models.generateContent({ model: "gemini-2.0-flash", contents: "x", config: { temperature: 0, maxOutputTokens: 1024 } });`)],
    },
    {
      // raw fetch to Ollama's /api/generate
      code: `const OLLAMA = "http://localhost:11434";\nawait fetch(\`\${OLLAMA}/api/generate\`, { method: "POST", body: JSON.stringify({ model: "gemma2:9b", prompt: "x", stream: false }) });`,
      errors: [missing("fetch", "localhost:11434", "options.num_predict", 2, 7, `const OLLAMA = "http://localhost:11434";\nawait fetch(\`\${OLLAMA}/api/generate\`, { method: "POST", body: JSON.stringify({ model: "gemma2:9b", prompt: "x", stream: false, options: { num_predict: 1024 } }) });`)],
    },
    {
      // provider label from the resolved endpoint: an AI SDK provider on an unknown host, LangChain through OpenRouter
      code: `import { createOpenAI } from "@ai-sdk/openai";\nimport { generateText } from "ai";\nimport { ChatOpenAI } from "@langchain/openai";\nconst aiml = createOpenAI({ baseURL: "https://api.aimlapi.com/v1" });\nawait generateText({ model: aiml("gpt-4o"), prompt: "x" });\nnew ChatOpenAI({ model: "x", configuration: { baseURL: "https://openrouter.ai/api/v1" } });`,
      errors: [
        missing("generateText", "api.aimlapi.com", "maxOutputTokens", 5, 7, `import { createOpenAI } from "@ai-sdk/openai";\nimport { generateText } from "ai";\nimport { ChatOpenAI } from "@langchain/openai";\nconst aiml = createOpenAI({ baseURL: "https://api.aimlapi.com/v1" });\nawait generateText({ model: aiml("gpt-4o"), prompt: "x", maxOutputTokens: 1024 });\nnew ChatOpenAI({ model: "x", configuration: { baseURL: "https://openrouter.ai/api/v1" } });`),
        missing("new ChatOpenAI", "OpenRouter", "maxTokens", 6, 5, `import { createOpenAI } from "@ai-sdk/openai";\nimport { generateText } from "ai";\nimport { ChatOpenAI } from "@langchain/openai";\nconst aiml = createOpenAI({ baseURL: "https://api.aimlapi.com/v1" });\nawait generateText({ model: aiml("gpt-4o"), prompt: "x" });\nnew ChatOpenAI({ model: "x", configuration: { baseURL: "https://openrouter.ai/api/v1" }, maxTokens: 1024 });`),
      ],
    },
    {
      // request built in a const: reported, no inline suggestion
      code: `import Groq from "groq-sdk";\nconst groq = new Groq();\nconst body = { model: "llama-3.1-8b-instant", messages: [] };\nawait groq.chat.completions.create(body);`,
      errors: [missing("chat.completions.create", "Groq", "max_tokens", 4, 29)],
    },
  ],
});

// misses.md R2: a LangChain chat model imported from a project module, returned as BaseChatModel
const R2 = `import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { ChatOpenAI } from "./vendor/langchain-openai";
export function chatModel(apiKey: string, model: string): BaseChatModel {
  return new ChatOpenAI({ apiKey, model, temperature: 0 });
}`;
ruleTester.run("require-llm-max-tokens (project LangChain models)", rule, {
  valid: [],
  invalid: [
    {
      code: R2,
      errors: [missing("new ChatOpenAI", "OpenAI", "maxTokens", 4, 14, R2.replace("temperature: 0 }", "temperature: 0, maxTokens: 1024 }"))],
    },
  ],
});

// Dev-set classes (eval 2026-12-03): a request built by a same-file builder, a conditional spread that
// keeps the object known, `require("openai")` inside a constructor, and the ai SDK's budget key by version.
const AI_4 = sdkProject([{ name: "ai", version: "4.3.16" }]);
const AI_5 = sdkProject([{ name: "ai", version: "5.0.8" }]);
const AI_DECLARED_4 = (() => {
  const p = sdkProject([]);
  require("node:fs").writeFileSync(require("node:path").join(p.dir, "package.json"), JSON.stringify({ dependencies: { ai: "^4.3.13", "@ai-sdk/openai": "^1.3.21" } }));
  return p;
})();
const AI_CALL = `import { generateText } from "ai";\nimport { openai } from "@ai-sdk/openai";\nexport const ask = (p: string) => generateText({ model: openai("gpt-4o"), temperature: 0, prompt: p });\n`;
const AI_CALL_OUT = (key: string) => AI_CALL.replace("prompt: p })", `prompt: p, ${key}: 1024 })`);
ruleTester.run("require-llm-max-tokens (builders, conditional spreads, lazy require, ai SDK versions)", rule, {
  valid: [
    // the builder sets a budget
    `${OPENAI}function params(q: string) {\n  return { model: "gpt-4o", messages: [{ role: "user" as const, content: q }], max_tokens: 256 };\n}\nawait client.chat.completions.create(params("x"));`,
    // a builder with two returns is not followed (unknown request: not reported)
    `${OPENAI}function params(q: string, big: boolean) {\n  if (big) return { model: "gpt-4o", messages: [], max_tokens: 4096 };\n  return { model: "gpt-4o", messages: [] };\n}\nawait client.chat.completions.create(params("x", true));`,
    // a conditional spread that sets the budget on one path
    `${OPENAI}export const ask = (model: string) => client.chat.completions.create({ model, messages: [], ...(model !== "o3-mini" ? { max_tokens: 256 } : { max_completion_tokens: 4096 }) });`,
    // a spread of an unknown conditional stays unknown
    `${OPENAI}export const ask = (model: string, a: any, b: any) => client.chat.completions.create({ model, messages: [], ...(model ? a : b) });`,
    { code: AI_CALL.replace("temperature: 0", "temperature: 0, maxTokens: 100"), filename: AI_4.file() },
  ],
  invalid: [
    {
      // keep-builder: humanify-style `create(toRenamePrompt(...))`, the suggestion goes into the builder's object
      code: `${OPENAI}export const rename = (n: string) => client.chat.completions.create(toRenamePrompt(n));\nfunction toRenamePrompt(name: string) {\n  return { model: "gpt-4o", temperature: 0, messages: [{ role: "user" as const, content: name }] };\n}`,
      errors: [missing("chat.completions.create", "OpenAI", "max_tokens", 3, 62, `${OPENAI}export const rename = (n: string) => client.chat.completions.create(toRenamePrompt(n));\nfunction toRenamePrompt(name: string) {\n  return { model: "gpt-4o", temperature: 0, messages: [{ role: "user" as const, content: name }], max_tokens: 1024 };\n}`)],
    },
    {
      // keep-spread: paperless-ai style `...(model !== "o3-mini" && { temperature })` no longer hides a missing budget
      code: `${OPENAI}export const ask = (model: string) => client.chat.completions.create({ model, messages: [], ...(model !== "o3-mini" && { temperature: 0 }) });`,
      errors: [missing("chat.completions.create", "OpenAI", "max_tokens", 3, 63, `${OPENAI}export const ask = (model: string) => client.chat.completions.create({ model, messages: [], ...(model !== "o3-mini" && { temperature: 0 }), max_tokens: 1024 });`)],
    },
    {
      // anything-llm style: the SDK is required inside the constructor, the call is wrapped in a monitor
      code: `class LocalAiLLM {\n  openai: any;\n  constructor() {\n    const { OpenAI: OpenAIApi } = require("openai");\n    this.openai = new OpenAIApi({ baseURL: "http://localhost:8080/v1" });\n  }\n  chat(messages: any[]) {\n    return measure(this.openai.chat.completions.create({ model: "m", messages, temperature: 0 }));\n  }\n}\ndeclare function measure(p: unknown): unknown;`,
      errors: [missing("chat.completions.create", "localhost:8080", "max_tokens", 8, 49, `class LocalAiLLM {\n  openai: any;\n  constructor() {\n    const { OpenAI: OpenAIApi } = require("openai");\n    this.openai = new OpenAIApi({ baseURL: "http://localhost:8080/v1" });\n  }\n  chat(messages: any[]) {\n    return measure(this.openai.chat.completions.create({ model: "m", messages, temperature: 0, max_tokens: 1024 }));\n  }\n}\ndeclare function measure(p: unknown): unknown;`)],
    },
    // ai 4.x takes maxTokens; 5.x maxOutputTokens; no node_modules: the package.json range decides
    { code: AI_CALL, filename: AI_4.file(), errors: [missing("generateText", "OpenAI", "maxTokens", 3, 35, AI_CALL_OUT("maxTokens"))] },
    { code: AI_CALL, filename: AI_5.file(), errors: [missing("generateText", "OpenAI", "maxOutputTokens", 3, 35, AI_CALL_OUT("maxOutputTokens"))] },
    { code: AI_CALL, filename: AI_DECLARED_4.file(), errors: [missing("generateText", "OpenAI", "maxTokens", 3, 35, AI_CALL_OUT("maxTokens"))] },
  ],
});
