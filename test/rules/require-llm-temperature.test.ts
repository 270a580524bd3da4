import { RuleTester } from "@typescript-eslint/rule-tester";
import rule from "../../rules/require-llm-temperature.js";
import { sdkProject } from "./sdk-fixture.js";

const ANTHROPIC_0 = sdkProject([{ name: "@anthropic-ai/sdk", version: "0.71.2" }]);
const ANTHROPIC_1 = sdkProject([{ name: "@anthropic-ai/sdk", version: "1.2.0" }]);
const ANTHROPIC_CALL = `import Anthropic from "@anthropic-ai/sdk";\nconst a = new Anthropic();\nawait a.messages.create({ model: "claude-3-5-sonnet-latest", max_tokens: 100, messages: [] });`;

const ruleTester = new RuleTester();
const OPENAI = `import OpenAI from "openai";\nconst client = new OpenAI();\n`;
/** Corpus (opencommit engine/ollama.ts): an axios instance in a class field, the URL in another field. */
const OLLAMA_ENGINE = (body: string) => `import axios, { AxiosInstance } from "axios";
export class OllamaEngine {
  private client: AxiosInstance;
  private chatUrl: string;
  constructor(config: { baseURL?: string }) {
    this.client = axios.create({ baseURL: config.baseURL ?? "http://localhost:11434", timeout: 30000 });
    this.chatUrl = \`\${config.baseURL ?? "http://localhost:11434"}/api/chat\`;
  }
  async generate(messages: object[]) {
    const { data } = await this.client.post(this.chatUrl, ${body});
    return data.message.content;
  }
}`;

/** Where the suggestion puts temperature, by API (as core/llm-params.ts spells it). */
function keyOf(api: string, provider: string): string {
  if (api.startsWith("ollama.") || (!api.startsWith("new ") && /localhost:11434|Ollama/.test(provider))) return "options.temperature";
  if (api === "getGenerativeModel") return "generationConfig.temperature";
  return "temperature";
}

function missing(api: string, provider: string, line: number, column: number, output?: string) {
  const data = { api, provider, max: "0.1", key: keyOf(api, provider) };
  return {
    messageId: "missing" as const,
    line,
    column,
    data,
    suggestions: output ? [{ messageId: "addZero" as const, data, output }] : [],
  };
}

ruleTester.run("require-llm-temperature", rule, {
  valid: [
    `import { OpenAIApi, Configuration } from "openai";\nconst openAi = new OpenAIApi(new Configuration({ apiKey: "k" }));\nawait openAi.createChatCompletion({ model: "gpt-4o-mini", messages: [], temperature: 0 });`,
    // explicit 0
    `${OPENAI}await client.chat.completions.create({ model: "gpt-4o", messages: [], temperature: 0 });`,
    // near-miss: temperature via a spread of a const options object
    `${OPENAI}const BASE = { temperature: 0, max_tokens: 256 };\nawait client.chat.completions.create({ ...BASE, model: "gpt-4o", messages: [] });`,
    // nested spreads and a whole const request
    `${OPENAI}const A = { temperature: 0.1 };\nconst B = { ...A, model: "gpt-4o" };\nconst req = { ...B, messages: [] };\nawait client.chat.completions.create(req);`,
    // parameter default
    `${OPENAI}export async function ask(prompt: string, temperature = 0) {\n  return client.chat.completions.create({ model: "gpt-4o", messages: [], temperature });\n}`,
    // destructured default
    `${OPENAI}export async function ask({ prompt, temperature = 0 }: { prompt: string; temperature?: number }) {\n  return client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: prompt }], temperature });\n}`,
    // unresolvable request / value: never reported
    `${OPENAI}export async function ask(params: any) { return client.chat.completions.create(params); }`,
    `${OPENAI}export async function ask(t: number) { return client.chat.completions.create({ model: "gpt-4o", messages: [], temperature: t }); }`,
    `${OPENAI}export async function ask(opts: object) { return client.chat.completions.create({ ...opts, model: "gpt-4o", messages: [] }); }`,
    // reasoning models reject temperature: exempt
    `${OPENAI}await client.chat.completions.create({ model: "o3-mini", messages: [] });`,
    `${OPENAI}await client.responses.create({ model: "o4-mini", input: "x" });`,
    `${OPENAI}await client.chat.completions.create({ model: "o1", messages: [] });`,
    // creative context lifts the upper bound (but not the requirement to set it)
    `${OPENAI}export async function writeStory(p: string) { return client.chat.completions.create({ model: "gpt-4o", messages: [], temperature: 0.9 }); }`,
    { code: `${OPENAI}export async function writeJingle(p: string) { return client.chat.completions.create({ model: "gpt-4o", messages: [], temperature: 0.9 }); }`, options: [{ creativePattern: "jingle" }] },
    { code: `${OPENAI}await client.chat.completions.create({ model: "gpt-4o", messages: [], temperature: 0.5 });`, options: [{ maxTemperature: 0.7 }] },
    // Ollama options.temperature
    `import ollama from "ollama";\nawait ollama.chat({ model: "llama3", messages: [], options: { temperature: 0 } });`,
    `import { Ollama } from "ollama";\nconst o = new Ollama({ host: "http://localhost:11434" });\nawait o.generate({ model: "llama3", prompt: "x", options: { temperature: 0, num_predict: 100 } });`,
    // AI SDK
    `import { generateText } from "ai";\nimport { openai } from "@ai-sdk/openai";\nawait generateText({ model: openai("gpt-4o"), prompt: "x", temperature: 0 });`,
    // not the AI SDK's generateText
    `import { generateText } from "./my-lib";\nawait generateText({ prompt: "x" });`,
    // bare names with no LLM import are not calls
    `const client = { chat: { completions: { create: async (x: unknown) => x } } };\nawait client.chat.completions.create({ model: "gpt-4o", messages: [] });`,
    `const messages = { create: (x: unknown) => x };\nmessages.create({ content: "hi" });`,
    // LangChain with temperature
    `import { ChatOpenAI } from "@langchain/openai";\nconst llm = new ChatOpenAI({ model: "gpt-4o", temperature: 0 });`,
    // Google: config on the model, or per request
    `import { GoogleGenerativeAI } from "@google/generative-ai";\nconst g = new GoogleGenerativeAI("k");\nconst m = g.getGenerativeModel({ model: "gemini-1.5-flash", generationConfig: { temperature: 0 } });\nawait m.generateContent("x");`,
    `import { GoogleGenerativeAI } from "@google/generative-ai";\nconst g = new GoogleGenerativeAI("k");\nconst m = g.getGenerativeModel({ model: "gemini-1.5-flash" });\nawait m.generateContent({ contents: [], generationConfig: { temperature: 0 } });`,
    `import { GoogleGenAI } from "@google/genai";\nconst ai = new GoogleGenAI({});\nawait ai.models.generateContent({ model: "gemini-2.0-flash", contents: "x", config: { temperature: 0 } });`,
    // raw fetch with temperature; and a fetch to the app's own /api/chat
    `await fetch("http://localhost:11434/api/chat", { method: "POST", body: JSON.stringify({ model: "llama3", messages: [], options: { temperature: 0 } }) });`,
    `await fetch("/api/chat", { method: "POST", body: JSON.stringify({ messages: [] }) });`,
    // JSON body without a model is not a model API request (own backend)
    `const base = location.origin;\nawait fetch(\`\${base}/v1/chat/completions\`, { method: "POST", body: JSON.stringify({ messages: [] }) });`,
    // mutated request object: unknown
    `${OPENAI}const req: any = { model: "gpt-4o", messages: [] };\nreq.temperature = 0;\nawait client.chat.completions.create(req);`,
    // axios instances: settings present; a non-LLM API; the app's own backend; not an axios instance; a GET
    OLLAMA_ENGINE(`{ model: "llama3", messages, stream: false, options: { temperature: 0 } }`),
    `import axios from "axios";\nconst api = axios.create({ baseURL: "https://openrouter.ai/api/v1" });\nexport const ask = (model: string, messages: object[]) => api.post("/chat/completions", { model, messages, temperature: 0 });`,
    `import axios from "axios";\nconst gh = axios.create({ baseURL: "https://api.github.com" });\nexport const open = (title: string) => gh.post("/repos/o/r/issues", { title, model: "x" });`,
    `import axios from "axios";\nconst backend = axios.create({ baseURL: process.env.API_URL });\nexport const send = (messages: object[]) => backend.post("/api/chat", { model: "llama3", messages });`,
    `import axios from "axios";\nimport { http } from "./http";\nconst api = http.create({ baseURL: "https://openrouter.ai/api/v1" });\nexport const ask = (model: string, messages: object[]) => api.post("/chat/completions", { model, messages });`,
    `import axios from "axios";\nconst api = axios.create({ baseURL: "https://openrouter.ai/api/v1" });\nexport const list = () => api.get("/chat/completions");`,
    // @anthropic-ai/sdk 1.x has no temperature on messages.create: never demanded (issue 11 item 4)
    { code: ANTHROPIC_CALL, filename: ANTHROPIC_1.file() },
    // no installed SDK next to the file: the version is unknown, and the newest API has no temperature
    ANTHROPIC_CALL,
    // T1: a static stream helper `X.createChatCompletion(client, params)` is no openai v3 call
    `import type OpenAI from "openai";\nimport { ChatCompletionStream } from "openai/lib/ChatCompletionStream";\nexport function streamFromStub(create: (...a: unknown[]) => unknown) {\n  const stub = { chat: { completions: { create } } } as unknown as OpenAI;\n  return ChatCompletionStream.createChatCompletion(stub, { model: "gpt-4o-mini", messages: [], temperature: 0, max_tokens: 256 });\n}`,
    // T2: image generation (an image model id, an image read from the answer, image-only modalities)
    `import ollama from "ollama";\nexport async function poster(prompt: string) {\n  const res = await ollama.generate({ model: "x/flux2-klein", prompt, stream: false });\n  return res.image;\n}`,
    `import ollama from "ollama";\nexport async function poster(prompt: string, model: string) {\n  const res = await ollama.generate({ model, prompt, stream: false });\n  return res.images;\n}`,
    `import { GoogleGenAI } from "@google/genai";\nconst ai = new GoogleGenAI({});\nawait ai.models.generateContent({ model: "gemini-2.5-flash", contents: "a cat", config: { responseModalities: ["IMAGE"] } });`,
    // M3/M4: a thinking call (Ollama think, Anthropic thinking, reasoning_effort) is not told to use greedy decoding
    `import ollama from "ollama";\nexport async function solve(q: string) {\n  const res = await ollama.chat({ model: "qwen3:8b", think: true, messages: [{ role: "user", content: q }], options: { num_predict: 4096 } });\n  return res.message.content;\n}`,
    { code: `import Anthropic from "@anthropic-ai/sdk";\nconst a = new Anthropic();\nawait a.messages.create({ model: "claude-sonnet-4-5", max_tokens: 16000, thinking: { type: "enabled", budget_tokens: 8000 }, messages: [] });`, filename: ANTHROPIC_0.file() },
    `${OPENAI}await client.chat.completions.create({ model: "gpt-4.1", reasoning_effort: "low", messages: [] });`,
    // R1 near-miss: an unrelated SDK whose method path is chat.completions.create
    `import { Client } from "@acme/search-sdk";\nconst search = new Client({ apiKey: "x" });\nexport async function q() { return search.chat.completions.create({ index: "docs", query: "hello" }); }`,
    // broken code never crashes
    `${OPENAI}await client.chat.completions.create();`,
    `${OPENAI}await client.chat.completions.create(...args);`,
  ],
  invalid: [
    // corpus (opencommit engine/ollama.ts): axios instance in a class field, URL in a field set by the constructor
    {
      code: OLLAMA_ENGINE(`{ model: "llama3", messages, stream: false }`),
      errors: [missing("axios.post", "localhost:11434", 10, 28, OLLAMA_ENGINE(`{ model: "llama3", messages, stream: false, options: { temperature: 0 } }`))],
    },
    {
      // corpus (opencommit engine/openrouter.ts): module-level instance, path joined to its baseURL; too high through request()
      code: `import axios from "axios";\nconst api = axios.create({ baseURL: "https://openrouter.ai/api/v1/" });\nexport const ask = (model: string, messages: object[]) => api.post("/chat/completions", { model, messages });\nexport const ask2 = (messages: object[]) => api.request({ url: "chat/completions", method: "POST", data: { model: "x", messages, temperature: 0.7 } });`,
      errors: [
        missing("axios.post", "OpenRouter", 3, 59, `import axios from "axios";\nconst api = axios.create({ baseURL: "https://openrouter.ai/api/v1/" });\nexport const ask = (model: string, messages: object[]) => api.post("/chat/completions", { model, messages, temperature: 0 });\nexport const ask2 = (messages: object[]) => api.request({ url: "chat/completions", method: "POST", data: { model: "x", messages, temperature: 0.7 } });`),
        {
          messageId: "tooHigh", line: 4, column: 143, data: { api: "axios.request", provider: "OpenRouter", max: "0.1", value: "0.7" },
          suggestions: [{ messageId: "setZero", data: { api: "axios.request", provider: "OpenRouter", max: "0.1" }, output: `import axios from "axios";\nconst api = axios.create({ baseURL: "https://openrouter.ai/api/v1/" });\nexport const ask = (model: string, messages: object[]) => api.post("/chat/completions", { model, messages });\nexport const ask2 = (messages: object[]) => api.request({ url: "chat/completions", method: "POST", data: { model: "x", messages, temperature: 0 } });` }],
        },
      ],
    },
    // the provider named in the message comes from the resolved baseURL, else from the package
    {
      code: `import OpenAI from "openai";\nconst groq = new OpenAI({ baseURL: "https://api.groq.com/openai/v1", apiKey: process.env.GROQ_API_KEY });\nawait groq.chat.completions.create({ model: "llama-3.1-8b-instant", messages: [] });`,
      errors: [missing("chat.completions.create", "Groq", 3, 29, `import OpenAI from "openai";\nconst groq = new OpenAI({ baseURL: "https://api.groq.com/openai/v1", apiKey: process.env.GROQ_API_KEY });\nawait groq.chat.completions.create({ model: "llama-3.1-8b-instant", messages: [], temperature: 0 });`)],
    },
    {
      code: `import OpenAI from "openai";\nconst BASE = "http://localhost:11434/v1";\nconst local = new OpenAI({ baseURL: BASE, apiKey: "ollama" });\nconst env = new OpenAI({ baseURL: process.env.LLM_URL });\nawait local.chat.completions.create({ model: "llama3", messages: [], temperature: 0.5 });\nawait env.chat.completions.create({ model: "gpt-4o", messages: [], temperature: 0.5 });`,
      errors: [
        { messageId: "tooHigh", line: 5, column: 83, data: { api: "chat.completions.create", provider: "localhost:11434", max: "0.1", value: "0.5" }, suggestions: [{ messageId: "setZero", data: { api: "chat.completions.create", provider: "localhost:11434", max: "0.1" }, output: `import OpenAI from "openai";\nconst BASE = "http://localhost:11434/v1";\nconst local = new OpenAI({ baseURL: BASE, apiKey: "ollama" });\nconst env = new OpenAI({ baseURL: process.env.LLM_URL });\nawait local.chat.completions.create({ model: "llama3", messages: [], temperature: 0 });\nawait env.chat.completions.create({ model: "gpt-4o", messages: [], temperature: 0.5 });` }] },
        { messageId: "tooHigh", line: 6, column: 81, data: { api: "chat.completions.create", provider: "OpenAI", max: "0.1", value: "0.5" }, suggestions: [{ messageId: "setZero", data: { api: "chat.completions.create", provider: "OpenAI", max: "0.1" }, output: `import OpenAI from "openai";\nconst BASE = "http://localhost:11434/v1";\nconst local = new OpenAI({ baseURL: BASE, apiKey: "ollama" });\nconst env = new OpenAI({ baseURL: process.env.LLM_URL });\nawait local.chat.completions.create({ model: "llama3", messages: [], temperature: 0.5 });\nawait env.chat.completions.create({ model: "gpt-4o", messages: [], temperature: 0 });` }] },
      ],
    },
    // corpus (ai-shell helpers/completion.ts): the openai v3 SDK, client returned by a helper
    {
      code: `import { OpenAIApi, Configuration } from "openai";\nconst getOpenAi = (apiKey: string) => new OpenAIApi(new Configuration({ apiKey }));\nconst openAi = getOpenAi("k");\nawait openAi.createChatCompletion({ model: "gpt-4o-mini", messages: [] });`,
      errors: [missing("createChatCompletion", "OpenAI", 4, 14, `import { OpenAIApi, Configuration } from "openai";\nconst getOpenAi = (apiKey: string) => new OpenAIApi(new Configuration({ apiKey }));\nconst openAi = getOpenAi("k");\nawait openAi.createChatCompletion({ model: "gpt-4o-mini", messages: [], temperature: 0 });`)],
    },
    {
      code: `${OPENAI}await client.chat.completions.create({ model: "gpt-4o", messages: [] });`,
      errors: [missing("chat.completions.create", "OpenAI", 3, 31, `${OPENAI}await client.chat.completions.create({ model: "gpt-4o", messages: [], temperature: 0 });`)],
    },
    {
      // too high, outside a creative context (TICKET-8824: temperature=0.7 for an SRE agent)
      code: `${OPENAI}export async function cleanupTmp() {\n  return client.chat.completions.create({ model: "gpt-4o", messages: [], temperature: 0.7 });\n}`,
      errors: [
        {
          messageId: "tooHigh",
          line: 4,
          column: 87,
          data: { api: "chat.completions.create", provider: "OpenAI", max: "0.1", value: "0.7" },
          suggestions: [{ messageId: "setZero", data: { api: "chat.completions.create", provider: "OpenAI", max: "0.1" }, output: `${OPENAI}export async function cleanupTmp() {\n  return client.chat.completions.create({ model: "gpt-4o", messages: [], temperature: 0 });\n}` }],
        },
      ],
    },
    {
      // too high through a const
      code: `${OPENAI}const TEMP = 0.8;\nawait client.chat.completions.create({ model: "gpt-4o", messages: [], temperature: TEMP });`,
      errors: [{ messageId: "tooHigh", line: 4, column: 84, data: { api: "chat.completions.create", provider: "OpenAI", max: "0.1", value: "0.8" } }],
    },
    {
      // too high through a spread const
      code: `${OPENAI}const OPTS = { temperature: 1 };\nawait client.chat.completions.create({ ...OPTS, model: "gpt-4o", messages: [] });`,
      errors: [{ messageId: "tooHigh", line: 4, column: 31, data: { api: "chat.completions.create", provider: "OpenAI", max: "0.1", value: "1" } }],
    },
    {
      // a complete const request with no temperature
      code: `${OPENAI}const req = { model: "gpt-4o", messages: [] };\nawait client.chat.completions.create(req);`,
      errors: [missing("chat.completions.create", "OpenAI", 4, 31)],
    },
    {
      // injected client (constructor parameter typed OpenAI), stream API
      code: `import type OpenAI from "openai";\nclass Agent {\n  constructor(private readonly llm: OpenAI) {}\n  run() { return this.llm.chat.completions.stream({ model: "gpt-4o", messages: [] }); }\n}`,
      errors: [missing("chat.completions.stream", "OpenAI", 4, 44, `import type OpenAI from "openai";\nclass Agent {\n  constructor(private readonly llm: OpenAI) {}\n  run() { return this.llm.chat.completions.stream({ model: "gpt-4o", messages: [], temperature: 0 }); }\n}`)],
    },
    {
      // beta parse, runTools, legacy completions, responses
      code: `${OPENAI}await client.beta.chat.completions.parse({ model: "gpt-4o", messages: [] });\nawait client.completions.create({ model: "gpt-3.5-turbo-instruct", prompt: "x" });\nawait client.responses.create({ model: "gpt-4.1", input: "x" });`,
      errors: [
        missing("beta.chat.completions.parse", "OpenAI", 3, 36, `${OPENAI}await client.beta.chat.completions.parse({ model: "gpt-4o", messages: [], temperature: 0 });\nawait client.completions.create({ model: "gpt-3.5-turbo-instruct", prompt: "x" });\nawait client.responses.create({ model: "gpt-4.1", input: "x" });`),
        missing("completions.create", "OpenAI", 4, 26, `${OPENAI}await client.beta.chat.completions.parse({ model: "gpt-4o", messages: [] });\nawait client.completions.create({ model: "gpt-3.5-turbo-instruct", prompt: "x", temperature: 0 });\nawait client.responses.create({ model: "gpt-4.1", input: "x" });`),
        missing("responses.create", "OpenAI", 5, 24, `${OPENAI}await client.beta.chat.completions.parse({ model: "gpt-4o", messages: [] });\nawait client.completions.create({ model: "gpt-3.5-turbo-instruct", prompt: "x" });\nawait client.responses.create({ model: "gpt-4.1", input: "x", temperature: 0 });`),
      ],
    },
    {
      // OpenAI-shaped router client (TokenJS)
      code: `import { TokenJS } from "token.js";\nconst t = new TokenJS();\nawait t.chat.completions.create({ provider: "groq", model: "llama3-70b-8192", messages: [] });`,
      errors: [missing("chat.completions.create", "TokenJS", 3, 26, `import { TokenJS } from "token.js";\nconst t = new TokenJS();\nawait t.chat.completions.create({ provider: "groq", model: "llama3-70b-8192", messages: [], temperature: 0 });`)],
    },
    {
      // Anthropic, SDK 0.x installed next to the file
      code: ANTHROPIC_CALL,
      filename: ANTHROPIC_0.file(),
      errors: [missing("messages.create", "Anthropic", 3, 18, `import Anthropic from "@anthropic-ai/sdk";\nconst a = new Anthropic();\nawait a.messages.create({ model: "claude-3-5-sonnet-latest", max_tokens: 100, messages: [], temperature: 0 });`)],
    },
    {
      // keep-M3: the same model with thinking turned off is an ordinary call
      code: `import ollama from "ollama";\nawait ollama.chat({ model: "qwen3:8b", think: false, messages: [] });`,
      errors: [missing("ollama.chat", "Ollama", 2, 14, `import ollama from "ollama";\nawait ollama.chat({ model: "qwen3:8b", think: false, messages: [], options: { temperature: 0 } });`)],
    },
    {
      // keep-T2: a text model on the same API is still told
      code: `import ollama from "ollama";\nexport async function caption(prompt: string) {\n  const res = await ollama.generate({ model: "llama3.2", prompt, stream: false });\n  return res.response;\n}`,
      errors: [missing("ollama.generate", "Ollama", 3, 28, `import ollama from "ollama";\nexport async function caption(prompt: string) {\n  const res = await ollama.generate({ model: "llama3.2", prompt, stream: false, options: { temperature: 0 } });\n  return res.response;\n}`)],
    },
    {
      // R1: an OpenAI-shaped TokenJS router from a fork published under another name
      code: `import { TokenJS } from "@acme/tokenjs-fork";\nconst router = new TokenJS({ baseURL: "https://llm-gateway.example/v1", apiKey: process.env.GW_KEY });\nexport async function summarize(text: string, provider: string, model: string) {\n  const r = await router.chat.completions.create({ provider, model, messages: [{ role: "user", content: text }] });\n  return r.choices[0].message.content ?? "";\n}`,
      errors: [missing("chat.completions.create", "llm-gateway.example", 4, 43, `import { TokenJS } from "@acme/tokenjs-fork";\nconst router = new TokenJS({ baseURL: "https://llm-gateway.example/v1", apiKey: process.env.GW_KEY });\nexport async function summarize(text: string, provider: string, model: string) {\n  const r = await router.chat.completions.create({ provider, model, messages: [{ role: "user", content: text }], temperature: 0 });\n  return r.choices[0].message.content ?? "";\n}`)],
    },
    {
      // keep-T1: a real v3 client still counts
      code: `import { OpenAIApi, Configuration } from "openai";\nconst api = new OpenAIApi(new Configuration({ apiKey: "k" }));\nawait api.createChatCompletion({ model: "gpt-4o-mini", messages: [] });`,
      errors: [missing("createChatCompletion", "OpenAI", 3, 11, `import { OpenAIApi, Configuration } from "openai";\nconst api = new OpenAIApi(new Configuration({ apiKey: "k" }));\nawait api.createChatCompletion({ model: "gpt-4o-mini", messages: [], temperature: 0 });`)],
    },
    {
      // ollama-js: options.temperature, added into an existing options object
      code: `import ollama from "ollama";\nawait ollama.chat({ model: "llama3", messages: [], options: { num_ctx: 4096 } });`,
      errors: [missing("ollama.chat", "Ollama", 2, 14, `import ollama from "ollama";\nawait ollama.chat({ model: "llama3", messages: [], options: { num_ctx: 4096, temperature: 0 } });`)],
    },
    {
      // ollama-js: top-level temperature is ignored by Ollama
      code: `import { Ollama } from "ollama";\nconst o = new Ollama();\nawait o.generate({ model: "llama3", prompt: "x" });`,
      errors: [missing("ollama.generate", "Ollama", 3, 9, `import { Ollama } from "ollama";\nconst o = new Ollama();\nawait o.generate({ model: "llama3", prompt: "x", options: { temperature: 0 } });`)],
    },
    {
      // Vercel AI SDK
      code: `import { streamText } from "ai";\nimport { anthropic } from "@ai-sdk/anthropic";\nstreamText({ model: anthropic("claude-3-5-haiku-latest"), prompt: "x" });`,
      errors: [missing("streamText", "Anthropic", 3, 1, `import { streamText } from "ai";\nimport { anthropic } from "@ai-sdk/anthropic";\nstreamText({ model: anthropic("claude-3-5-haiku-latest"), prompt: "x", temperature: 0 });`)],
    },
    {
      // LangChain chat-model constructor, including no options at all
      code: `import { ChatOpenAI } from "@langchain/openai";\nimport { ChatOllama } from "@langchain/ollama";\nconst a = new ChatOpenAI({ model: "gpt-4o" });\nconst b = new ChatOllama();`,
      errors: [
        missing("new ChatOpenAI", "OpenAI", 3, 15, `import { ChatOpenAI } from "@langchain/openai";\nimport { ChatOllama } from "@langchain/ollama";\nconst a = new ChatOpenAI({ model: "gpt-4o", temperature: 0 });\nconst b = new ChatOllama();`),
        missing("new ChatOllama", "Ollama", 4, 15, `import { ChatOpenAI } from "@langchain/openai";\nimport { ChatOllama } from "@langchain/ollama";\nconst a = new ChatOpenAI({ model: "gpt-4o" });\nconst b = new ChatOllama({ temperature: 0 });`),
      ],
    },
    {
      // Google generative-ai model config
      code: `import { GoogleGenerativeAI } from "@google/generative-ai";\nconst g = new GoogleGenerativeAI("k");\nconst m = g.getGenerativeModel({ model: "gemini-1.5-flash" });\nawait m.generateContent("x");`,
      errors: [missing("getGenerativeModel", "Gemini", 3, 13, `import { GoogleGenerativeAI } from "@google/generative-ai";\nconst g = new GoogleGenerativeAI("k");\nconst m = g.getGenerativeModel({ model: "gemini-1.5-flash", generationConfig: { temperature: 0 } });\nawait m.generateContent("x");`)],
    },
    {
      // raw fetch with a JSON body to /v1/chat/completions via a const URL
      code: `const URL_ = "https://openrouter.ai/api/v1/chat/completions";\nawait fetch(URL_, { method: "POST", body: JSON.stringify({ model: "x", messages: [] }) });`,
      errors: [missing("fetch", "OpenRouter", 2, 7, `const URL_ = "https://openrouter.ai/api/v1/chat/completions";\nawait fetch(URL_, { method: "POST", body: JSON.stringify({ model: "x", messages: [], temperature: 0 }) });`)],
    },
    {
      // axios to Ollama's /api/generate, base URL from env (path still visible)
      code: `import axios from "axios";\nawait axios.post(\`\${process.env.OLLAMA_URL}/api/generate\`, { model: "llama3", prompt: "x", stream: false });`,
      errors: [missing("axios.post", "the Ollama server", 2, 7, `import axios from "axios";\nawait axios.post(\`\${process.env.OLLAMA_URL}/api/generate\`, { model: "llama3", prompt: "x", stream: false, options: { temperature: 0 } });`)],
    },
  ],
});

// issue 11 item 3: a client whose transport is a test double reaches no model
ruleTester.run("require-llm-temperature (test doubles)", rule, {
  valid: [
    `import OpenAI from "openai";\nimport { vi } from "vitest";\nconst client = new OpenAI({ apiKey: "k", fetch: vi.fn() });\nawait client.chat.completions.create({ model: "gpt-4o", messages: [] });`,
    `import OpenAI from "openai";\ndeclare const mockFetch: typeof fetch;\nconst client = new OpenAI({ apiKey: "k", fetch: mockFetch });\nawait client.chat.completions.create({ model: "gpt-4o", messages: [] });`,
  ],
  invalid: [
    {
      // keep: a real custom fetch (a proxy agent wrapper) is no test double
      code: `import OpenAI from "openai";\ndeclare const proxiedFetch: typeof fetch;\nconst client = new OpenAI({ apiKey: "k", fetch: proxiedFetch });\nawait client.chat.completions.create({ model: "gpt-4o", messages: [] });`,
      errors: [missing("chat.completions.create", "OpenAI", 4, 31, `import OpenAI from "openai";\ndeclare const proxiedFetch: typeof fetch;\nconst client = new OpenAI({ apiKey: "k", fetch: proxiedFetch });\nawait client.chat.completions.create({ model: "gpt-4o", messages: [], temperature: 0 });`)],
    },
  ],
});

// misses.md R2: a LangChain chat model imported from a project module (a vendored copy / subclass)
const R2 = `import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { ChatOllama } from "@langchain/ollama";
import { ChatOpenAI } from "./vendor/langchain-openai";
import { ChatWindow } from "./ui/chat-window";
export function chatModel(kind: string, apiKey: string, model: string): BaseChatModel {
  if (kind === "openai") {
    return new ChatOpenAI({ apiKey, model });
  }
  return new ChatOllama({ model, temperature: 0, numPredict: 512 });
}
export function openWindow(title: string) {
  return new ChatWindow({ title });
}`;
ruleTester.run("require-llm-temperature (project LangChain models)", rule, {
  valid: [
    // near-miss: a project UI class that starts with "Chat", in a file with no LangChain evidence for it
    `import { ChatWindow } from "./ui/chat-window";\nimport { ChatOllama } from "@langchain/ollama";\nexport const w = new ChatWindow({ title: "x" });`,
  ],
  invalid: [
    {
      code: R2,
      errors: [missing("new ChatOpenAI", "OpenAI", 7, 16, R2.replace("new ChatOpenAI({ apiKey, model })", "new ChatOpenAI({ apiKey, model, temperature: 0 })"))],
    },
  ],
});

// M6: the message names the right provider
ruleTester.run("require-llm-temperature (provider labels)", rule, {
  valid: [],
  invalid: [
    {
      code: `import { AzureChatOpenAI } from "@langchain/openai";\nexport const m = new AzureChatOpenAI({ azureOpenAIApiDeploymentName: "gpt-4o" });`,
      errors: [missing("new AzureChatOpenAI", "AzureOpenAI", 2, 22, `import { AzureChatOpenAI } from "@langchain/openai";\nexport const m = new AzureChatOpenAI({ azureOpenAIApiDeploymentName: "gpt-4o", temperature: 0 });`)],
    },
    {
      code: `import { generateText, wrapLanguageModel } from "ai";\nimport { openai } from "@ai-sdk/openai";\ndeclare const middleware: never;\nawait generateText({ model: wrapLanguageModel({ model: openai("gpt-4o"), middleware }), prompt: "x" });`,
      errors: [missing("generateText", "OpenAI", 4, 7, `import { generateText, wrapLanguageModel } from "ai";\nimport { openai } from "@ai-sdk/openai";\ndeclare const middleware: never;\nawait generateText({ model: wrapLanguageModel({ model: openai("gpt-4o"), middleware }), prompt: "x", temperature: 0 });`)],
    },
    {
      code: `import { generateText } from "ai";\nimport { amazonBedrock } from "@ai-sdk/amazon-bedrock";\nconst model = amazonBedrock("anthropic.claude-3-5-sonnet-20241022-v2:0");\nawait generateText({ model, prompt: "x" });`,
      errors: [missing("generateText", "Bedrock", 4, 7, `import { generateText } from "ai";\nimport { amazonBedrock } from "@ai-sdk/amazon-bedrock";\nconst model = amazonBedrock("anthropic.claude-3-5-sonnet-20241022-v2:0");\nawait generateText({ model, prompt: "x", temperature: 0 });`)],
    },
  ],
});

// Dev-set class (eval 2026-12-03, deep-research): `model: getModel()` from a project module whose
// every literal model is a reasoning model (o3-mini, a Fireworks deepseek-r1) takes no temperature;
// keep-twin: a module handing out gpt-4o is still reported; an id from the environment stays unknown.
import nodeFs from "node:fs";
import nodeOs from "node:os";
import nodePath from "node:path";
const MODELS_DIR = nodeFs.mkdtempSync(nodePath.join(nodeOs.tmpdir(), "gw-models-"));
process.on("exit", () => nodeFs.rmSync(MODELS_DIR, { recursive: true, force: true }));
nodeFs.writeFileSync(
  nodePath.join(MODELS_DIR, "reasoning.ts"),
  `import { createOpenAI } from "@ai-sdk/openai";\nimport { createFireworks } from "@ai-sdk/fireworks";\nconst openai = process.env.OPENAI_KEY ? createOpenAI({ apiKey: process.env.OPENAI_KEY }) : undefined;\nconst fireworks = createFireworks({});\nconst custom = process.env.CUSTOM_MODEL ? openai?.(process.env.CUSTOM_MODEL) : undefined;\nconst o3 = openai?.("o3-mini", { reasoningEffort: "medium" });\nconst r1 = fireworks("accounts/fireworks/models/deepseek-r1");\nexport function getModel() { return custom ?? r1 ?? o3!; }\n`,
);
nodeFs.writeFileSync(nodePath.join(MODELS_DIR, "chat.ts"), `import { openai } from "@ai-sdk/openai";\nexport function getModel() { return openai("gpt-4o"); }\n`);
const FROM = (mod: string) => `import { generateObject } from "ai";\nimport { getModel } from "./${mod}";\nexport const plan = (p: string, schema: any) => generateObject({ model: getModel(), schema, prompt: p, maxTokens: 512 });\n`;
ruleTester.run("require-llm-temperature (models from a project module)", rule, {
  valid: [{ code: FROM("reasoning"), filename: nodePath.join(MODELS_DIR, "agent.ts") }],
  invalid: [
    {
      code: FROM("chat"),
      filename: nodePath.join(MODELS_DIR, "agent2.ts"),
      errors: [missing("generateObject", "the model's provider", 3, 49, FROM("chat").replace("maxTokens: 512 })", "maxTokens: 512, temperature: 0 })"))],
    },
  ],
});

// maxTemperatureScope (recommended: "structured"): the upper bound only where the answer is machine-consumed.
// Corpus class (paperless-ai, anything-llm, llamacoder): a deliberate explicit 0.2–0.7 in a free-text chat.
const STRUCTURED = [{ maxTemperatureScope: "structured" as const }];
const AI = `import { generateText, generateObject } from "ai";\nimport { openai } from "@ai-sdk/openai";\nimport { z } from "zod";\n`;
const high = (api: string, line: number, column: number, provider = "OpenAI") => ({ messageId: "tooHigh" as const, line, column, data: { api, provider, max: "0.1", value: "0.7" } });
ruleTester.run("require-llm-temperature maxTemperatureScope", rule, {
  valid: [
    // free-text chat with a deliberate 0.7: clean under "structured"
    { code: `${OPENAI}await client.chat.completions.create({ model: "gpt-4o", messages: [], temperature: 0.7 });`, options: STRUCTURED },
    // response_format { type: "text" } is still free text
    { code: `${OPENAI}await client.chat.completions.create({ model: "gpt-4o", messages: [], response_format: { type: "text" }, temperature: 0.7 });`, options: STRUCTURED },
    { code: `${AI}await generateText({ model: openai("gpt-4o"), prompt: "hi", temperature: 0.7 });`, options: STRUCTURED },
    // Ollama chat without `format`
    { code: `import ollama from "ollama";\nawait ollama.chat({ model: "llama3", messages: [], options: { temperature: 0.7 } });`, options: STRUCTURED },
    // 0.1 or below is fine in either scope
    { code: `${OPENAI}await client.chat.completions.create({ model: "gpt-4o", messages: [], tools: [], temperature: 0.1 });`, options: STRUCTURED },
  ],
  invalid: [
    // keep-free-text-all: the same free-text call under the default scope "all" (strict) is reported
    { code: `${OPENAI}await client.chat.completions.create({ model: "gpt-4o", messages: [], temperature: 0.7 });`, errors: [{ ...high("chat.completions.create", 3, 84), suggestions: [{ messageId: "setZero", data: { api: "chat.completions.create", provider: "OpenAI", max: "0.1" }, output: `${OPENAI}await client.chat.completions.create({ model: "gpt-4o", messages: [], temperature: 0 });` }] }] },
    {
      code: `${OPENAI}await client.chat.completions.create({ model: "gpt-4o", messages: [], temperature: 0.7 });`,
      options: [{ maxTemperatureScope: "all" }],
      errors: [{ ...high("chat.completions.create", 3, 84), suggestions: [{ messageId: "setZero", data: { api: "chat.completions.create", provider: "OpenAI", max: "0.1" }, output: `${OPENAI}await client.chat.completions.create({ model: "gpt-4o", messages: [], temperature: 0 });` }] }],
    },
    // response_format json_object: machine-consumed
    {
      code: `${OPENAI}await client.chat.completions.create({ model: "gpt-4o", messages: [], response_format: { type: "json_object" }, temperature: 0.7 });`,
      options: STRUCTURED,
      errors: [{ ...high("chat.completions.create", 3, 126), suggestions: [{ messageId: "setZero", data: { api: "chat.completions.create", provider: "OpenAI", max: "0.1" }, output: `${OPENAI}await client.chat.completions.create({ model: "gpt-4o", messages: [], response_format: { type: "json_object" }, temperature: 0 });` }] }],
    },
    // tools: the answer is a function call
    {
      code: `${OPENAI}const tools = [];\nawait client.chat.completions.create({ model: "gpt-4o", messages: [], tools, temperature: 0.7 });`,
      options: STRUCTURED,
      errors: [{ ...high("chat.completions.create", 4, 91), suggestions: [{ messageId: "setZero", data: { api: "chat.completions.create", provider: "OpenAI", max: "0.1" }, output: `${OPENAI}const tools = [];\nawait client.chat.completions.create({ model: "gpt-4o", messages: [], tools, temperature: 0 });` }] }],
    },
    // AI SDK generateObject
    {
      code: `${AI}await generateObject({ model: openai("gpt-4o"), schema: z.object({}), prompt: "hi", temperature: 0.7 });`,
      options: STRUCTURED,
      errors: [{ ...high("generateObject", 4, 98), suggestions: [{ messageId: "setZero", data: { api: "generateObject", provider: "OpenAI", max: "0.1" }, output: `${AI}await generateObject({ model: openai("gpt-4o"), schema: z.object({}), prompt: "hi", temperature: 0 });` }] }],
    },
    // Ollama format: "json"
    {
      code: `import ollama from "ollama";\nawait ollama.chat({ model: "llama3", messages: [], format: "json", options: { temperature: 0.7 } });`,
      options: STRUCTURED,
      errors: [{ ...high("ollama.chat", 2, 92, "the Ollama server"), suggestions: [{ messageId: "setZero", data: { api: "ollama.chat", provider: "the Ollama server", max: "0.1" }, output: `import ollama from "ollama";\nawait ollama.chat({ model: "llama3", messages: [], format: "json", options: { temperature: 0 } });` }] }],
    },
  ],
});
