import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { RuleTester, type InvalidTestCase } from "@typescript-eslint/rule-tester";
import { describe } from "vitest";
import rule, { type MessageIds, type Options } from "../../rules/honest-llm-names.js";

const ruleTester = new RuleTester();
const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, "..", "fixtures", "honest-llm-names");

const OPENROUTER = "https://openrouter.ai/api/v1/chat/completions";
const GROQ = "https://api.groq.com/openai/v1/chat/completions";

type Err = NonNullable<InvalidTestCase<MessageIds, Options>["errors"]>[number];

const esc = (n: string) => n.replace(/\$/g, "\\$");
/** Can another file use `name`? (exported, module.exports / exports.x): then only a project-wide rename is safe. */
function exportedIn(code: string, name: string): boolean {
  const n = esc(name);
  return new RegExp(`export\\s+(?:default\\s+)?(?:async\\s+)?(?:function\\*?|const|let|var|class)\\s+${n}(?![\\w$])|export\\s*\\{[^}]*(?<![\\w$])${n}(?![\\w$])|export\\s+default\\s+${n}(?![\\w$])|module\\.exports\\s*=\\s*\\{[^}]*(?<![\\w$])${n}(?![\\w$])|exports\\.${n}(?![\\w$])`).test(code);
}
const inFile = (honest: string) => `Rename it to say the route (e.g. ${honest}) or remove the other routes.`;
const projectWide = (honest: string) => `Rename it project-wide (e.g. ${honest}; your editor's Rename Symbol) or remove the other routes.`;

/**
 * A lying-name report. The rename suggestion (every reference to the name in the file) is offered
 * only where no other file can reference the name (issue 14 item 4); otherwise the message points
 * to the editor's project-wide rename.
 */
function lie(code: string, name: string, line: number, column: number, claim: string, reach: string, honest: string): Err {
  const safe = !exportedIn(code, name);
  return {
    messageId: "lyingName",
    line,
    column,
    data: { name, claim, reach, honest, advice: safe ? inFile(honest) : projectWide(honest) },
    suggestions: safe
      ? [{ messageId: "renameTo", data: { name, honest }, output: code.replace(new RegExp(`(?<![\\w$.])${esc(name)}(?![\\w$])`, "g"), honest) }]
      : [],
  };
}

/** A method: reachable from outside its file unless private, so no in-file rename. */
function lieOnMethod(code: string, name: string, line: number, column: number, claim: string, reach: string, honest: string): Err {
  return { messageId: "lyingName", line, column, data: { name, claim, reach, honest, advice: projectWide(honest) }, suggestions: [] };
}

// ── The incident, reduced: call_ollama tries LiteLLM (→ OpenRouter → Groq) and only then Ollama. ──
const incident = `const LITELLM = "http://localhost:4000/v1/chat/completions";
async function callOpenRouterFree(prompt: string) {
  return fetch("${OPENROUTER}", { body: prompt });
}
export async function callOllama(prompt: string) {
  const viaRouter = await fetch(LITELLM).catch(() => callOpenRouterFree(prompt));
  if (viaRouter) return viaRouter;
  const fast = await fetch("${GROQ}");
  if (fast.ok) return fast;
  return fetch("http://localhost:11434/api/generate");
}
`;

const snakeIncident = `def = 0;
const call_ollama = async (prompt: string) => {
  const r = await fetch("http://localhost:4000/v1/chat/completions");
  return r.ok ? r : fetch("http://localhost:11434/api/chat");
};
call_ollama("hi");
`;

const kebabLike = `const handlers = {
  "ask-ollama": async () => fetch("${OPENROUTER}"),
};
`;

const pascal = `export class LocalLlmClient {}
export function OllamaChat() {
  return fetch("${GROQ}");
}
`;

const callOpenAI = `import OpenAI from "openai";
export function callOpenAI() {
  return new OpenAI({ baseURL: "http://localhost:11434/v1" });
}
`;

const localWithOpenAISdk = `import OpenAI from "openai";
const client = new OpenAI();
export async function chatLocal(prompt: string) {
  return client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: prompt }] });
}
`;

const templateUrl = `const BASE = "https://openrouter.ai/api";
export async function askOllama(p: string) {
  return fetch(\`\${BASE}/v1/chat/completions\`, { body: p });
}
`;

const templateHead = `export async function askOllama(model: string) {
  return fetch(\`https://api.groq.com/openai/v1/\${model}\`);
}
`;

const cloudTag = `import ollama from "ollama";
export async function runLocalModel(prompt: string) {
  return ollama.chat({ model: "gpt-oss:120b-cloud", messages: [{ role: "user", content: prompt }] });
}
`;

const ollamaHostCloud = `import { Ollama } from "ollama";
const remote = new Ollama({ host: "https://ollama.com" });
export function callOllama(prompt: string) {
  return remote.generate({ model: "llama3", prompt });
}
`;

const anthropicSdk = `import Anthropic from "@anthropic-ai/sdk";
const anthropic = new Anthropic();
export function summariseOffline(text: string) {
  return anthropic.messages.create({ model: "claude-sonnet-4", max_tokens: 100, messages: [{ role: "user", content: text }] });
}
`;

const groqSdk = `import Groq from "groq-sdk";
export function call_local_llm(prompt: string) {
  const groq = new Groq({ apiKey: process.env.GROQ_API_KEY });
  return groq.chat.completions.create({ model: "llama-3.1-8b-instant", messages: [{ role: "user", content: prompt }] });
}
`;

const googleGenai = `import { GoogleGenAI } from "@google/genai";
export function askClaude(prompt: string) {
  const ai = new GoogleGenAI({ apiKey: "k" });
  return ai.models.generateContent({ model: "gemini-2.5-flash", contents: prompt });
}
`;

const vercelAi = `import { generateText } from "ai";
import { openai } from "@ai-sdk/openai";
import { anthropic } from "@ai-sdk/anthropic";
export function generateWithGemini(prompt: string) {
  return generateText({ model: openai("gpt-4o"), prompt }).catch(() => generateText({ model: anthropic("claude-3-5-haiku"), prompt }));
}
`;

const vercelCompatible = `import { createOpenAI } from "@ai-sdk/openai";
const provider = createOpenAI({ baseURL: "http://localhost:4000/v1" });
export const ollamaModel = () => provider("llama3");
`;

const langchain = `import { ChatOpenAI } from "@langchain/openai";
export function localChatModel() {
  return new ChatOpenAI({ model: "gpt-4o-mini" });
}
`;

const langchainConfigured = `import { ChatOpenAI } from "@langchain/openai";
export function localChatModel() {
  return new ChatOpenAI({ model: "llama3", configuration: { baseURL: "https://openrouter.ai/api/v1" } });
}
`;

const envKey = `export function offlineCompletion(text: string) {
  const key = process.env.OPENROUTER_API_KEY;
  return { key, text };
}
`;

const transitive = `const OLLAMA = "http://localhost:11434/api/chat";
function tryGroq() {
  return fetch("${GROQ}");
}
function tryRouter() {
  return fetch("${OPENROUTER}").catch(tryGroq);
}
export function askLocal() {
  return tryRouter() ?? fetch(OLLAMA);
}
`;

const classMethods = `import Groq from "groq-sdk";
export class Agent {
  private client = new Groq();
  async askOllama(prompt: string) {
    return this.complete(prompt);
  }
  private complete(prompt: string) {
    return this.client.chat.completions.create({ model: "llama-3.1-8b-instant", messages: [{ role: "user", content: prompt }] });
  }
}
`;

const tableEntry = `const URLS = { groq: "https://api.groq.com/openai/v1", ollama: "http://127.0.0.1:11434" };
export const loadOllamaModels = () => fetch(URLS.groq);
`;

// Corpus (NextChat app/config/server.ts + app/api/common.ts): a config factory reads every provider's
// env vars; a function reading one property of its result reaches only what that property holds.
const configFactory = `const getServerSideConfig = () => {
  const isGoogle = !!process.env.GOOGLE_API_KEY;
  return { baseUrl: process.env.BASE_URL, apiKey: process.env.OPENAI_API_KEY, isGoogle, googleApiKey: process.env.GOOGLE_API_KEY };
};
const serverConfig = getServerSideConfig();
export async function requestOpenai(path: string) {
  const baseUrl = serverConfig.baseUrl || "https://api.openai.com";
  return fetch(\`\${baseUrl}/\${path}\`, { headers: { Authorization: \`Bearer \${serverConfig.apiKey}\` } });
}
`;
const configFactoryLie = `const getServerSideConfig = () => ({ apiKey: process.env.OPENAI_API_KEY, googleApiKey: process.env.GOOGLE_API_KEY });
const serverConfig = getServerSideConfig();
export const requestOpenai = () => fetch("https://api.openai.com/v1/models", { headers: { "x-goog-api-key": serverConfig.googleApiKey! } });
`;

const sdkSubclass = `import OpenAI from "openai";
class FastClient extends OpenAI {
  constructor() { super({ baseURL: "https://api.groq.com/openai/v1" }); }
}
export function callOllama() { return new FastClient(); }
`;

const gpt4o = `export function askGpt4o(prompt: string) {
  return fetch("${OPENROUTER}", { body: JSON.stringify({ model: "openai/gpt-4o", prompt }) });
}
`;

const routerAsProvider = `import { createOpenAI } from "@ai-sdk/openai";
const router = createOpenAI({ baseURL: "https://openrouter.ai/api/v1" });
export function callOpenAI(prompt: string) {
  return router("openai/gpt-4o");
}
`;

const jsdocClaim = `/** Summarise with a local model; no paid API. */
export async function summarise(text: string) {
  return fetch("${OPENROUTER}", { body: text });
}
`;

const leadingLineComment = `// runs on local model (gemma2:9b)
export const summarise = (text: string) => fetch("${GROQ}", { body: text });
`;

const fileHeader = `/**
 * Runs queued experiments on local model (gemma2:9b). Free, offline, no paid API.
 */

const PRIMARY = "${OPENROUTER}";
function primary(prompt: string) {
  return fetch(PRIMARY, { body: prompt });
}
export function runExperiment(prompt: string) {
  return primary(prompt);
}
export function localHealth() {
  return fetch("http://localhost:11434/api/tags");
}
`;

const recursive = `export function callLocal(n: number): unknown {
  if (n > 0) return callLocal(n - 1);
  return fetch("${GROQ}");
}
`;

const mutual = `function step(n: number): unknown {
  if (n > 0) return askLocal(n - 1);
  return fetch("${OPENROUTER}");
}
function askLocal(n: number): unknown {
  return step(n);
}
`;

function deepChain(n: number): string {
  const lines = [`export function askLocalModel() { return f1(); }`];
  for (let i = 1; i < n; i++) lines.push(`function f${i}() { return f${i + 1}(); }`);
  lines.push(`function f${n}() { return fetch("${OPENROUTER}"); }`);
  return lines.join("\n") + "\n";
}
const deep = deepChain(500);

describe("honest-llm-names", () => {
  ruleTester.run("honest-llm-names", rule, {
    valid: [
      // a class named for its route whose methods keep to it, and a class that states a path
      `export class OllamaClient {\n  async chat(p: string) {\n    return fetch("http://localhost:11434/api/chat", { method: "POST", body: p });\n  }\n}`,
      `export class OllamaFallbackRouter {\n  async chat(p: string) {\n    return fetch("https://openrouter.ai/api/v1/chat/completions", { method: "POST", body: p });\n  }\n}`,
      // a callback named like a model route inside a documented function reaches nothing itself
      `/** Runs on local model. */\nexport function run(items: string[]) {\n  return items.map(function mapItem(x) { return x.trim(); });\n}`,
      // Names that claim nothing.
      `export function summarise(t: string) { return fetch("${OPENROUTER}", { body: t }); }`,
      // Words that contain a claim word but are not it: whole words only.
      `export function localeCompareAll(a: string[]) { return a.sort((x, y) => x.localeCompare(y)); }
       export const key = process.env.OPENROUTER_API_KEY;`,
      // Claims, but no model route reached: never checked.
      `export function getLocalConfigPath() { return "/home/me/.config/app.json"; }`,
      `export function migrateLocalStorage() { localStorage.setItem("v", "2"); return fetch("https://example.com/api/migrate"); }`,
      `export function isOffline() { return !navigator.onLine; }`,
      // Names that keep their promise.
      `export function callOllama(p: string) { return fetch("http://localhost:11434/api/generate", { body: p }); }`,
      `export function call_ollama(p: string) { return fetch("http://127.0.0.1:11434/api/chat", { body: p }); }`,
      `export function askLocal() { return fetch("http://localhost:1234/v1/chat/completions"); }`, // LM Studio
      `export function runLlamaCpp() { return fetch("http://localhost:8080/completion"); }`,
      `export function callVllm() { return fetch("http://localhost:8000/v1/chat/completions"); }`,
      `export function callOllamaOnNas() { return fetch("http://192.168.1.20:11434/api/chat"); }`,
      `import OpenAI from "openai";
       export function callOpenAI() { return new OpenAI(); }
       export function callOllama() { return new OpenAI({ baseURL: "http://localhost:11434/v1" }); }`,
      `import ollama from "ollama";
       export function chatOllama(p: string) { return ollama.chat({ model: "llama3.2", messages: [{ role: "user", content: p }] }); }`,
      `import { ChatOllama } from "@langchain/ollama";
       export const localModel = () => new ChatOllama({ model: "llama3" });`,
      `import Anthropic from "@anthropic-ai/sdk";
       export function callClaude() { return new Anthropic(); }`,
      `import { GoogleGenAI } from "@google/genai";
       export function askGemini() { return new GoogleGenAI({ apiKey: "k" }); }`,
      `import Groq from "groq-sdk";
       export function groqChat() { return new Groq(); }`,
      // Ollama's cloud, stated as such.
      `import ollama from "ollama";
       export function callOllamaCloud(p: string) { return ollama.chat({ model: "gpt-oss:120b-cloud", messages: [] }); }`,
      // Names that state the route: router / via / fallback / chain.
      incident.replace(/callOllama/g, "callRouterWithOllamaFallback"),
      `export function routeViaLiteLLM() { return fetch("http://localhost:4000/v1/chat/completions"); }`,
      `export function localFallbackChain() { return fetch("${OPENROUTER}").catch(() => fetch("http://localhost:11434/api/chat")); }`,
      // Two providers in one name describe a choice, not one route.
      `export function openaiOrGroq() { return fetch("${GROQ}"); }`,
      // The endpoint comes from configuration: unprovable, not reported.
      `import OpenAI from "openai";
       export function callOllama() { return new OpenAI({ baseURL: process.env.LLM_BASE_URL }); }`,
      // Corpus (@langchain/openai azure/chat_models/common.js): AzureOpenAI from "openai" is Azure, and
      // options spread from the caller may set the endpoint.
      `import { AzureOpenAI } from "openai";
       function _getAzureClientOptions(params: object) { return new AzureOpenAI({ apiVersion: "2024-10-21", ...params }); }
       export function createAzureClient() { return new AzureOpenAI({ apiVersion: "2024-10-21" }); }`,
      `import OpenAI from "openai";
       export function createLocalClient(config: { baseURL: string }) { return new OpenAI(config); }`,
      // Claim words that are ordinary words here: not about the model route.
      `import OpenAI from "openai";
       const openai = new OpenAI();
       export async function summarizeLocalFiles(paths: string[]) { return openai.chat.completions.create({ model: "gpt-4o", messages: [] }); }
       export async function searchGoogle(q: string) { return openai.responses.create({ model: "gpt-4o", input: q }); }
       export async function uploadToAzure(blob: string) { return openai.files.create({ file: blob as never, purpose: "batch" }); }
       export async function computePerplexity(text: string) { return openai.completions.create({ model: "gpt-3.5-turbo-instruct", prompt: text, logprobs: 1 }); }
       export function isOffline() { return !process.env.OPENAI_API_KEY; }`,
      // "OpenAI" as the API dialect / SDK, not the route; gpt-oss is an open-weight model.
      `import OpenAI from "openai";
       export function createOpenAIClient() { return new OpenAI({ baseURL: "http://localhost:11434/v1", apiKey: "ollama" }); }
       export function callOpenAICompatible() { return fetch("http://localhost:1234/v1/chat/completions"); }
       export function toOpenAIMessages() { return fetch("http://localhost:11434/api/chat"); }
       export function runGptOss() { return fetch("http://localhost:11434/api/chat", { body: JSON.stringify({ model: "gpt-oss:20b" }) }); }`,
      `import { AzureOpenAI } from "openai";
       export function callAzureOpenAI() { return new AzureOpenAI({ endpoint: "https://acme.openai.azure.com", apiVersion: "2024-10-21" }); }`,
      // Corpus (multi-llm-ts dist): a provider table read by key, and engine classes that extend an
      // OpenAI-compatible base with their own endpoint.
      `const PROVIDER_BASE_URLS = { groq: "https://api.groq.com/openai/v1", ollama: "http://127.0.0.1:11434", openai: "https://api.openai.com/v1" };
       class OpenAIEngine { baseURL = "https://api.openai.com/v1"; complete() { return fetch(this.baseURL); } }
       class GroqEngine extends OpenAIEngine { baseURL = PROVIDER_BASE_URLS.groq; }
       class OllamaEngine extends OpenAIEngine { baseURL = PROVIDER_BASE_URLS.ollama; }
       export const loadGroqModels = () => new GroqEngine();
       export const loadOllamaModels = () => new OllamaEngine();
       export const loadModels = (engine: "groq" | "ollama") => fetch(PROVIDER_BASE_URLS[engine]);`,
      // Corpus (micro-agent helpers/config.ts): a config loader walks a parser table by its keys;
      // only the OpenAI endpoint parser holds a URL, and getAnthropic reads the Anthropic key.
      `import Anthropic from "@anthropic-ai/sdk";
       const configParsers = { ANTHROPIC_KEY(k?: string) { return k; }, OPENAI_API_ENDPOINT(e?: string) { return e || "https://api.openai.com/v1"; } };
       const getConfig = () => { const out: Record<string, unknown> = {}; for (const key of Object.keys(configParsers)) if (key in configParsers) out[key] = configParsers[key as never](process.argv[2]); return out; };
       export const getAnthropic = () => { const { ANTHROPIC_KEY } = getConfig(); return new Anthropic({ apiKey: ANTHROPIC_KEY as string }); };`,
      configFactory,
      // Corpus (@langchain/community llms/fireworks.js): a subclass of an SDK client picks its endpoint in super().
      `import { OpenAI } from "@langchain/openai";
       export class Fireworks extends OpenAI {
         constructor(fields: object) { super({ ...fields, configuration: { baseURL: "https://api.fireworks.ai/inference/v1" } }); }
       }
       export const createFireworks = () => new Fireworks({});`,
      // A bare name is not another class's method of the same name.
      `class OpenAIEngine { chat() { return fetch("https://api.openai.com/v1/chat/completions"); } }
       class OllamaEngine { chat() { return fetch("http://127.0.0.1:11434/api/chat"); } }
       export function askOllama(chat: () => unknown) { return [chat(), new OllamaEngine().chat()]; }`,
      // Comments that do not claim a route.
      `/** Reads the local cache before asking the model. */
       export function answer(q: string) { return fetch("${GROQ}", { body: q }); }`,
      { code: jsdocClaim, options: [{ checkComments: false }] },
      { code: fileHeader, options: [{ checkFileHeader: false }] },
      // Bad input never crashes: recursion with honest names, odd shapes.
      `function callOllama(n: number): unknown { return n ? callOllama(n - 1) : fetch("http://localhost:11434/api/chat"); }`,
      `const o = { ["callOllama" + 1]: () => fetch("${GROQ}") };`,
      `export default function () { return fetch("${GROQ}"); }`,
    ],
    invalid: [
      // A method of a class whose name claims a route makes the class's claim, reported once per class.
      {
        code: `import Anthropic from "@anthropic-ai/sdk";\nexport class LocalLLM {\n  async complete(prompt: string) {\n    return new Anthropic().messages.create({ model: "claude", max_tokens: 5, messages: [{ role: "user", content: prompt }] });\n  }\n  async summarize(text: string) {\n    return this.complete(text);\n  }\n}`,
        errors: [
          {
            messageId: "lyingName",
            line: 3,
            column: 9,
            data: { name: "LocalLLM.complete", claim: "a local model", reach: "api.anthropic.com (file.ts:4) and never a local model", honest: "Anthropic", advice: projectWide("Anthropic") },
            suggestions: [],
          },
        ],
      },
      // Named function expressions and plain assignments are named functions too.
      {
        code: `module.exports = function callOllama(p: string) {\n  return fetch("https://openrouter.ai/api/v1/chat/completions", { body: p });\n};`,
        errors: [lie(`module.exports = function callOllama(p: string) {\n  return fetch("https://openrouter.ai/api/v1/chat/completions", { body: p });\n};`, "callOllama", 1, 27, "a local model", "openrouter.ai (file.ts:2) and never a local model", "callRouter")],
      },
      {
        code: `let askLocalModel: (p: string) => Promise<Response>;\naskLocalModel = async (p) => fetch("https://api.groq.com/openai/v1/chat/completions", { body: p });`,
        errors: [lie(`let askLocalModel: (p: string) => Promise<Response>;\naskLocalModel = async (p) => fetch("https://api.groq.com/openai/v1/chat/completions", { body: p });`, "askLocalModel", 2, 1, "a local model", "api.groq.com (file.ts:2) and never a local model", "askGroq")],
      },
      {
        code: incident,
        errors: [
          lie(
            incident,
            "callOllama",
            5,
            23,
            "a local model",
            "localhost:4000 (LiteLLM) (file.ts:1), openrouter.ai (file.ts:3), api.groq.com (file.ts:8) before localhost:11434 (file.ts:10)",
            "callRouterWithOllamaFallback",
          ),
        ],
      },
      {
        code: snakeIncident,
        errors: [lie(snakeIncident, "call_ollama", 2, 7, "a local model", "localhost:4000 (LiteLLM) (file.ts:3) before localhost:11434 (file.ts:4)", "call_router_with_ollama_fallback")],
      },
      {
        code: kebabLike,
        errors: [
          {
            messageId: "lyingName",
            line: 2,
            column: 3,
            // an object member: other files can call it, so no in-file rename
            data: { name: "ask-ollama", claim: "a local model", reach: "openrouter.ai (file.ts:2) and never a local model", honest: "ask-router", advice: projectWide("ask-router") },
            suggestions: [],
          },
        ],
      },
      {
        code: pascal,
        errors: [lie(pascal, "OllamaChat", 2, 17, "a local model", "api.groq.com (file.ts:3) and never a local model", "GroqChat")],
      },
      {
        code: callOpenAI,
        errors: [lie(callOpenAI, "callOpenAI", 2, 17, "OpenAI", "localhost:11434 (file.ts:3) and never OpenAI", "callOllama")],
      },
      {
        code: localWithOpenAISdk,
        errors: [lie(localWithOpenAISdk, "chatLocal", 3, 23, "a local model", "api.openai.com (file.ts:2) and never a local model", "chatOpenAI")],
      },
      {
        code: templateUrl,
        errors: [lie(templateUrl, "askOllama", 2, 23, "a local model", "openrouter.ai (file.ts:3) and never a local model", "askRouter")],
      },
      {
        code: templateHead,
        errors: [lie(templateHead, "askOllama", 1, 23, "a local model", "api.groq.com (file.ts:2) and never a local model", "askGroq")],
      },
      {
        code: cloudTag,
        errors: [
          lie(cloudTag, "runLocalModel", 2, 23, "a local model", "gpt-oss:120b-cloud (Ollama cloud) (file.ts:3) after localhost:11434 (file.ts:3)", "runOllamaCloud"),
        ],
      },
      {
        code: ollamaHostCloud,
        errors: [lie(ollamaHostCloud, "callOllama", 3, 17, "a local model", "ollama.com (file.ts:2) and never a local model", "callOllamaCloud")],
      },
      {
        code: anthropicSdk,
        errors: [lie(anthropicSdk, "summariseOffline", 3, 17, "a local model", "api.anthropic.com (file.ts:2) and never a local model", "summariseAnthropic")],
      },
      {
        code: groqSdk,
        errors: [lie(groqSdk, "call_local_llm", 2, 17, "a local model", "api.groq.com (file.ts:3) and never a local model", "call_groq")],
      },
      {
        code: googleGenai,
        errors: [lie(googleGenai, "askClaude", 2, 17, "Anthropic", "generativelanguage.googleapis.com (file.ts:3) and never Anthropic", "askGemini")],
      },
      {
        code: vercelAi,
        errors: [
          lie(vercelAi, "generateWithGemini", 4, 17, "Gemini", "api.openai.com (file.ts:5), api.anthropic.com (file.ts:5) and never Gemini", "generateWithRouter"),
        ],
      },
      {
        code: vercelCompatible,
        errors: [lie(vercelCompatible, "ollamaModel", 3, 14, "a local model", "localhost:4000 (LiteLLM) (file.ts:2) and never a local model", "routerModel")],
      },
      {
        code: langchain,
        errors: [lie(langchain, "localChatModel", 2, 17, "a local model", "api.openai.com (file.ts:3) and never a local model", "openAIChatModel")],
      },
      {
        code: langchainConfigured,
        errors: [lie(langchainConfigured, "localChatModel", 2, 17, "a local model", "openrouter.ai (file.ts:3) and never a local model", "routerChatModel")],
      },
      {
        code: envKey,
        errors: [lie(envKey, "offlineCompletion", 1, 17, "a local model", "openrouter.ai (file.ts:2) and never a local model", "routerCompletion")],
      },
      {
        code: transitive,
        errors: [
          lie(transitive, "askLocal", 8, 17, "a local model", "openrouter.ai (file.ts:6), api.groq.com (file.ts:3) before localhost:11434 (file.ts:1)", "askRouterWithOllamaFallback"),
        ],
      },
      {
        code: classMethods,
        errors: [lieOnMethod(classMethods, "askOllama", 4, 9, "a local model", "api.groq.com (file.ts:3) and never a local model", "askGroq")],
      },
      {
        code: configFactoryLie,
        errors: [lie(configFactoryLie, "requestOpenai", 3, 14, "OpenAI", "generativelanguage.googleapis.com (file.ts:1) after api.openai.com (file.ts:3)", "requestOpenAIThenGemini")],
      },
      {
        code: tableEntry,
        errors: [lie(tableEntry, "loadOllamaModels", 2, 14, "a local model", "api.groq.com (file.ts:1) and never a local model", "loadGroqModels")],
      },
      {
        code: sdkSubclass,
        errors: [lie(sdkSubclass, "callOllama", 5, 17, "a local model", "api.groq.com (file.ts:3) and never a local model", "callGroq")],
      },
      {
        code: gpt4o,
        errors: [lie(gpt4o, "askGpt4o", 1, 17, "OpenAI", "openrouter.ai (file.ts:2) and never OpenAI", "askRouter")],
      },
      {
        code: routerAsProvider,
        errors: [lie(routerAsProvider, "callOpenAI", 3, 17, "OpenAI", "openrouter.ai (file.ts:2) and never OpenAI", "callRouter")],
      },
      {
        code: jsdocClaim,
        errors: [
          {
            messageId: "lyingComment",
            line: 2,
            column: 23,
            data: { name: "summarise", claim: "a local model", word: "with a local model", reach: "openrouter.ai (file.ts:3) and never a local model" },
          },
        ],
      },
      {
        code: leadingLineComment,
        errors: [
          {
            messageId: "lyingComment",
            line: 2,
            column: 14,
            data: { name: "summarise", claim: "a local model", word: "runs on local model", reach: "api.groq.com (file.ts:2) and never a local model" },
          },
        ],
      },
      {
        // The header's claim is reported where the lie starts (primary), not again on its caller;
        // localHealth keeps the promise.
        code: fileHeader,
        errors: [
          {
            messageId: "lyingComment",
            line: 6,
            column: 10,
            data: { name: "primary", claim: "a local model", word: "on local model", reach: "openrouter.ai (file.ts:5) and never a local model" },
          },
        ],
      },
      {
        code: recursive,
        errors: [lie(recursive, "callLocal", 1, 17, "a local model", "api.groq.com (file.ts:3) and never a local model", "callGroq")],
      },
      {
        // askLocal is analysed after step has been cut at the cycle: it still sees openrouter.ai.
        code: mutual,
        errors: [lie(mutual, "askLocal", 5, 10, "a local model", "openrouter.ai (file.ts:3) and never a local model", "askRouter")],
      },
      {
        code: deep,
        errors: [lie(deep, "askLocalModel", 1, 17, "a local model", "openrouter.ai (file.ts:501) and never a local model", "askRouter")],
      },
    ],
  });
});

describe("honest-llm-names across files (typed mode)", () => {
  const typedTester = new RuleTester({
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: fixtures } },
  });
  const agent = `import { callRouter } from "./router.js";
export async function callOllama(prompt: string) {
  const viaRouter = await callRouter(prompt);
  if (viaRouter) return viaRouter;
  return fetch("http://localhost:11434/api/generate", { body: prompt });
}
`;
  const honest = `import { localGenerate } from "./local.js";
export async function askOllama(prompt: string) {
  return localGenerate(prompt);
}
`;
  typedTester.run("honest-llm-names (typed)", rule, {
    valid: [
      { code: honest, filename: "honest.ts" },
      // a provider dispatch table in another module: `IMPLS.ollama.list` reaches that entry, not every provider
      { code: fs.readFileSync(path.join(fixtures, "dispatch.ts"), "utf8"), filename: "dispatch.ts" },
    ],
    invalid: [
      {
        // keep: the entry used is the route
        code: fs.readFileSync(path.join(fixtures, "dispatch-keep.ts"), "utf8"),
        filename: "dispatch-keep.ts",
        errors: [lie("export function callOllamaList", "callOllamaList", 2, 17, "a local model", "api.groq.com (impls.ts:3) and never a local model", "callGroqList")],
      },
      {
        code: agent,
        filename: "agent.ts",
        errors: [
          lie(
            agent,
            "callOllama",
            2,
            23,
            "a local model",
            "localhost:4000 (LiteLLM) (router.ts:1), openrouter.ai (router.ts:2) before localhost:11434 (agent.ts:5)",
            "callRouterWithOllamaFallback",
          ),
        ],
      },
    ],
  });
});

// ── Accuracy classes (../shared/accuracy): each false positive stays clean, its keep-* twin stays reported. ──
const deepArrows = `export const callOllama = ${"() => ".repeat(700)}fetch("${OPENROUTER}");\n`;
ruleTester.run("honest-llm-names (accuracy classes)", rule, {
  valid: [
    // H1: values imported from a provider package (an enum, a capability helper) are no request; converters claim nothing
    `import { Role } from "@openrouter/sdk/models";\nimport { modelLimits } from "@ai-sdk/anthropic/internal";\nexport function convertClaudeTurn(role: "user" | "assistant") {\n  return role === "user" ? Role.User : Role.Assistant;\n}\nexport function bedrockThinkingConfig(modelId: string) {\n  return modelLimits(modelId).supportsThinking ? { type: "enabled", budgetTokens: 1024 } : { type: "disabled" };\n}`,
    `import { anthropicTools } from "@ai-sdk/anthropic";\nexport function ollamaToolSet() { return { search: anthropicTools.webSearch_20250305 }; }`,
    // H2: a docs link, a catalogue page and a web-search API on the provider's host are no model route
    `export function toOllamaCard(name: string) {\n  return { title: name, docsUrl: \`https://ollama.com/library/\${name}\`, provider: "ollama" };\n}\nexport async function listOllamaLibrary() {\n  const res = await fetch("https://ollama.com/library");\n  return res.text();\n}\nexport class OllamaHelpers {\n  async searchWeb(query: string) {\n    return fetch("https://ollama.com/api/web_search", { method: "POST", body: JSON.stringify({ query }) });\n  }\n}`,
    // H3: a provider client at a company gateway or a placeholder host keeps its provider
    `import { AzureOpenAI } from "openai";\nexport function makeAzureChat(apiKey: string) {\n  return new AzureOpenAI({ baseURL: "https://llm-gateway.example.com/openai/", apiKey, apiVersion: "2024-10-01-preview" });\n}`,
    `import { AzureOpenAI } from "openai";\nexport function makeAzureChat(apiKey: string) {\n  return new AzureOpenAI({ baseURL: "https://ai-gw.acme-corp.net/openai/", apiKey });\n}`,
    // H4: a platform class's method names the model family it serves there; an object qualifier states the route
    `export class VertexGateway {\n  endpoint = "https://aiplatform.googleapis.com/v1/";\n  async completeWithClaude(model: string, body: unknown, signal: AbortSignal) {\n    const url = new URL(\`publishers/anthropic/models/\${model}:rawPredict\`, this.endpoint);\n    return fetch(url, { method: "POST", body: JSON.stringify(body), signal });\n  }\n}`,
    `export class Vertex {\n  async streamClaude(body: string) { return fetch("https://aiplatform.googleapis.com/v1/projects/p/locations/l/publishers/anthropic/models/claude:streamRawPredict", { body }); }\n}`,
    `export const ViaLiteLLM = {\n  gpt4o: () => fetch("http://localhost:4000/v1/chat/completions"),\n};`,
    `import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";\nexport function askClaude() { return new BedrockRuntimeClient({ region: "us-east-1" }); }`,
    // N1 near-miss: "local" qualifies a cache, not the model
    `import OpenAI from "openai";\nconst cloud = new OpenAI({ baseURL: "https://api.groq.com/openai/v1" });\nconst cache = new Map<string, number[]>();\nexport async function refreshLocalCache(key: string) {\n  const r = await cloud.embeddings.create({ model: "text-embedding-3-small", input: key });\n  cache.set(key, r.data[0].embedding);\n}`,
  ],
  invalid: [
    {
      // keep-H1: a real client constructed from a provider package still reaches it
      code: `import Groq from "groq-sdk";\nexport async function callOllama(prompt: string) {\n  const client = new Groq();\n  return client.chat.completions.create({ model: "llama-3.1-8b-instant", messages: [{ role: "user", content: prompt }] });\n}`,
      errors: [lie(`import Groq from "groq-sdk";\nexport async function callOllama`, "callOllama", 2, 23, "a local model", "api.groq.com (file.ts:3) and never a local model", "callGroq")],
    },
    {
      // keep-H1: a default provider instance that is called (`ollama.chat`) is a request
      code: `import { anthropic } from "@ai-sdk/anthropic";\nimport { generateText } from "ai";\nexport const askOllama = (prompt: string) => generateText({ model: anthropic("claude-sonnet-4-5"), prompt });`,
      errors: [lie(`export const askOllama`, "askOllama", 3, 14, "a local model", "api.anthropic.com (file.ts:3) and never a local model", "askAnthropic")],
    },
    {
      // keep-H2: a chat endpoint on the provider's cloud host is a model route
      code: `export async function askLocalModel(prompt: string) {\n  return fetch("https://ollama.com/api/chat", { method: "POST", body: prompt });\n}`,
      errors: [lie(`export async function askLocalModel`, "askLocalModel", 1, 23, "a local model", "ollama.com (file.ts:2) and never a local model", "askOllamaCloud")],
    },
    {
      // keep-H3: a custom host does not satisfy a *local* claim; no honest name for an unknown host (M1)
      code: `import OpenAI from "openai";\nexport function localChat() {\n  return new OpenAI({ baseURL: "https://ai-gw.acme-corp.net/v1" });\n}`,
      errors: [{ messageId: "lyingName", line: 2, column: 17, data: { name: "localChat", claim: "a local model", reach: "ai-gw.acme-corp.net (file.ts:3) and never a local model", honest: "", advice: "State the route in the name or remove the other routes." }, suggestions: [] }],
    },
    {
      // keep-H4: a model-family word is not kept by a platform that does not serve it (Gemini API host)
      code: `export class Gemini {\n  async streamClaude(body: string) { return fetch("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent", { body }); }\n}`,
      errors: [lieOnMethod("", "streamClaude", 2, 9, "Anthropic", "generativelanguage.googleapis.com (file.ts:2) and never Anthropic", "streamGemini")],
    },
    {
      // N1: local/offline before a model task word claims a local model; digits do not hide a claim
      code: `import OpenAI from "openai";\nconst cloud = new OpenAI({ baseURL: "https://api.groq.com/openai/v1" });\nexport const localSummary = (text: string) => cloud.chat.completions.create({ model: "m", messages: [{ role: "user", content: text }] });\nexport const offlineClassify = (text: string) => cloud.chat.completions.create({ model: "m", messages: [{ role: "user", content: text }] });\nexport const callOllama2 = (text: string) => cloud.chat.completions.create({ model: "m", messages: [{ role: "user", content: text }] });`,
      errors: [
        lie("export const localSummary", "localSummary", 3, 14, "a local model", "api.groq.com (file.ts:2) and never a local model", "groqSummary"),
        lie("export const offlineClassify", "offlineClassify", 4, 14, "a local model", "api.groq.com (file.ts:2) and never a local model", "groqClassify"),
        lie("export const callOllama2", "callOllama2", 5, 14, "a local model", "api.groq.com (file.ts:2) and never a local model", "callGroq"),
      ],
    },
    {
      // issue 14 item 4: a private method can be renamed in this file; a public one only project-wide
      code: `class Agent {\n  private askOllama() { return fetch("${OPENROUTER}"); }\n  run() { return this.askOllama(); }\n}`,
      errors: [{
        messageId: "lyingName", line: 2, column: 11,
        data: { name: "askOllama", claim: "a local model", reach: "openrouter.ai (file.ts:2) and never a local model", honest: "askRouter", advice: inFile("askRouter") },
        suggestions: [{ messageId: "renameTo", data: { name: "askOllama", honest: "askRouter" }, output: `class Agent {\n  private askRouter() { return fetch("${OPENROUTER}"); }\n  run() { return this.askRouter(); }\n}` }],
      }],
    },
    {
      // issue 14 item 4: exported through `export { … }` or module.exports: no in-file rename
      code: `function callOllama() { return fetch("${OPENROUTER}"); }\nexport { callOllama };`,
      errors: [{ messageId: "lyingName", line: 1, column: 10, data: { name: "callOllama", claim: "a local model", reach: "openrouter.ai (file.ts:1) and never a local model", honest: "callRouter", advice: projectWide("callRouter") }, suggestions: [] }],
    },
    {
      code: `function callOllama() { return fetch("${OPENROUTER}"); }\nmodule.exports = { callOllama };`,
      errors: [{ messageId: "lyingName", line: 1, column: 10, data: { name: "callOllama", claim: "a local model", reach: "openrouter.ai (file.ts:1) and never a local model", honest: "callRouter", advice: projectWide("callRouter") }, suggestions: [] }],
    },
    {
      // issue 15: nesting as deep as the parser takes in-process (700 arrows) is still read (test/core/file-facts.test.ts goes to 20,000)
      code: deepArrows,
      errors: [lie(deepArrows, "callOllama", 1, 14, "a local model", "openrouter.ai (file.ts:1) and never a local model", "callRouter")],
    },
  ],
});

// ── Issue 11 item 1 (dev-set FP classes): reach is a request, never a stored default or a mention. ──
const SETTINGS = `const DEFAULT_URL = "https://api.openai.com";
export async function getSettings(): Promise<Record<string, string>> {
  const settings: Record<string, string> = {};
  if (!settings.apiURL) settings.apiURL = DEFAULT_URL;
  if (!settings.ollamaAPIURL) settings.ollamaAPIURL = "http://127.0.0.1:11434";
  if (!settings.groqAPIURL) settings.groqAPIURL = "https://api.groq.com";
  return settings;
}
`;
const TWO_CLIENTS = `import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
const openaiClient = new OpenAI();
const anthropic = new Anthropic();
export const result = anthropic.messages.create({ model: "claude-sonnet-4-5", max_tokens: 10, messages: [] });
`;
const jsx = { parserOptions: { ecmaFeatures: { jsx: true } } };
ruleTester.run("honest-llm-names (stored defaults, mentions, locals, UI text)", rule, {
  valid: [
    // a settings function storing default URLs of several providers is a table: reading it is no request
    `${SETTINGS}export class DeepSeek {\n  async listModels() { const s = await getSettings(); return fetch(s.deepseekAPIURL + "/v1/models"); }\n}\nexport const isUsingOpenAIOfficial = async () => (await getSettings()).apiURL === DEFAULT_URL;`,
    // a config object with one entry per provider, read whole
    `const PROVIDER_DEFAULTS = {\n  ollama: { baseUrl: "http://localhost:11434" },\n  groq: { baseUrl: "https://api.groq.com/openai/v1" },\n};\nexport function ollamaDefaults() { return Object.values(PROVIDER_DEFAULTS); }`,
    // an env-selected config (an API-key env var tested to pick a branch, a table of the other defaults): the local default is the route
    `export function getLLMConfig() {
  if (process.env.OPENAI_API_KEY) return { url: "https://api.openai.com", apiKey: process.env.OPENAI_API_KEY };
  if (process.env.TOGETHER_API_KEY) return { url: "https://api.together.xyz" };
  return { url: process.env.OLLAMA_HOST ?? "http://127.0.0.1:11434" };
}
export async function tryPullOllama(model: string) {
  return fetch(getLLMConfig().url + "/api/pull", { method: "POST", body: JSON.stringify({ name: model }) });
}`,
    // comparing with a provider URL is a mention
    `export function isOllamaUrl(url: string) { return url.startsWith("https://api.groq.com") || url === "https://openrouter.ai/api/v1"; }`,
    // a local of the function shadows the module binding of the same name
    `${TWO_CLIENTS}export async function gptOrchestrator(prompt: string) {\n  const result = await openaiClient.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: prompt }] });\n  return result;\n}`,
    // "Generic"/"custom" OpenAI means any OpenAI-compatible server; a JSX placeholder is UI text
    { code: `export default function GenericOpenAiOptions({ settings }: { settings: { url?: string } }) {\n  return <input placeholder="http://localhost:8000/v1" defaultValue={settings?.url} />;\n}`, languageOptions: jsx },
    { code: `export function OllamaOptions() {\n  return <input placeholder="https://api.groq.com/openai/v1" />;\n}`, languageOptions: jsx },
  ],
  invalid: [
    {
      // keep: next to the settings table, a URL that is requested still counts
      code: `${SETTINGS}export async function callOllama() { await getSettings(); return fetch("${GROQ}"); }`,
      errors: [lie("export async function callOllama", "callOllama", 9, 23, "a local model", "api.groq.com (file.ts:9) and never a local model", "callGroq")],
    },
    {
      // keep: an API-key env var used as the key (not a branch test) is the route
      code: `export async function tryPullOllama() {
  return fetch("http://127.0.0.1:11434/api/pull", { headers: { authorization: process.env.GROQ_API_KEY ?? "" } });
}`,
      errors: [lie("export async function tryPullOllama", "tryPullOllama", 1, 23, "a local model", "api.groq.com (file.ts:2) after 127.0.0.1:11434 (file.ts:2)", "tryPullOllamaThenGroq")],
    },
    {
      // keep: a single stored endpoint that is read is the route
      code: `const CONFIG = { baseURL: "${OPENROUTER}" };\nexport const callOllama = () => fetch(CONFIG.baseURL);`,
      errors: [lie("export const callOllama", "callOllama", 2, 14, "a local model", "openrouter.ai (file.ts:1) and never a local model", "callRouter")],
    },
    {
      // keep: a function that uses the module binding (no local of that name) reaches it
      code: `${TWO_CLIENTS}export async function gptSummary() { return result; }`,
      errors: [lie("export async function gptSummary", "gptSummary", 6, 23, "OpenAI", "api.anthropic.com (file.ts:4) and never OpenAI", "anthropicSummary")],
    },
    {
      // keep: a request made from JSX (an event handler) is a request
      code: `export function OllamaOptions() {\n  return <button onClick={() => fetch("${GROQ}")} />;\n}`,
      languageOptions: jsx,
      errors: [lie("export function OllamaOptions", "OllamaOptions", 1, 17, "a local model", "api.groq.com (react.tsx:2) and never a local model", "GroqOptions")],
    },
  ],
});

// Test files (recommended: checkTestFiles false): a test helper is named for its scenario, not a route.
const TEST_HELPER = `export async function streamThroughOllama() { return fetch("${GROQ}"); }`;
ruleTester.run("honest-llm-names (test files)", rule, {
  valid: [
    { code: TEST_HELPER, filename: "ai-sdk.retry.test.ts", options: [{ checkTestFiles: false }] },
    { code: TEST_HELPER, filename: "src/agent.spec.tsx", options: [{ checkTestFiles: false }] },
  ],
  invalid: [
    {
      // keep: outside a test file (even under a test folder, where shared fixtures live) and by default it is checked
      code: TEST_HELPER,
      filename: "test/fixtures/agent.ts",
      options: [{ checkTestFiles: false }],
      errors: [lie(TEST_HELPER, "streamThroughOllama", 1, 23, "a local model", "api.groq.com (test/fixtures/agent.ts:1) and never a local model", "streamThroughGroq")],
    },
    {
      code: TEST_HELPER,
      filename: "ai-sdk.retry.test.ts",
      errors: [lie(TEST_HELPER, "streamThroughOllama", 1, 23, "a local model", "api.groq.com (ai-sdk.retry.test.ts:1) and never a local model", "streamThroughGroq")],
    },
  ],
});

// Run-time choices (issue 11): alternatives picked by a string switch (if/else-if, switch, ternary) or a
// field assigned different clients in different methods are a choice, not a lie; a fallback after failure
// (catch, a status check) in the same path stays reported.
const CHOICES = `import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";

export class Wrapper {
  client: any;
  constructor(private kind: string) {
    if (kind === "openai") this.initOpenAI();
    else if (kind === "anthropic") this.initAnthropic();
  }
  initOpenAI() {
    this.client = new OpenAI();
  }
  initAnthropic() {
    this.client = new Anthropic();
  }
  async openaiChat(prompt: string) {
    return this.client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: prompt }] });
  }
}

function pick(provider: string) {
  switch (provider) {
    case "ollama":
      return fetch("http://localhost:11434/api/chat", { method: "POST" });
    case "openai":
      return fetch("https://api.openai.com/v1/chat/completions", { method: "POST" });
  }
}
export async function chatWithOllama(provider: string) {
  return provider === "groq" ? fetch("https://api.groq.com/openai/v1/chat/completions") : pick(provider);
}
`;
const FALLBACKS = `import { Ollama } from "ollama";
import OpenAI from "openai";

export class Wrapper {
  client: any = new Ollama({ host: "http://localhost:11434" });
  useCloud() {
    this.client = new OpenAI({ baseURL: "https://openrouter.ai/api/v1" });
  }
  async callOllama(prompt: string) {
    try {
      return await this.client.chat({ model: "llama3", messages: [{ role: "user", content: prompt }] });
    } catch {
      this.useCloud();
      return this.client.chat.completions.create({ model: "x", messages: [] });
    }
  }
}
export async function ollamaChat(status: number) {
  const r = await fetch("http://localhost:11434/api/chat", { method: "POST" });
  if (status !== 200) return fetch("https://openrouter.ai/api/v1/chat/completions", { method: "POST" });
  return r;
}
`;
ruleTester.run("honest-llm-names (run-time choices)", rule, {
  valid: [CHOICES],
  invalid: [
    {
      code: FALLBACKS,
      errors: [
        lieOnMethod(FALLBACKS, "callOllama", 9, 9, "a local model", "openrouter.ai (file.ts:7) after localhost:11434 (file.ts:5)", "callOllamaThenRouter"),
        lie(FALLBACKS, "ollamaChat", 18, 23, "a local model", "openrouter.ai (file.ts:20) after localhost:11434 (file.ts:19)", "ollamaThenRouterChat"),
      ],
    },
    {
      // keep: the branch that keeps the claim also takes the other route
      code: `export function ollamaChat(kind: string) {\n  if (kind === "local") { fetch("http://localhost:11434/api/chat"); return fetch("${GROQ}"); }\n}`,
      errors: [lie("export function ollamaChat", "ollamaChat", 1, 17, "a local model", "api.groq.com (file.ts:2) after localhost:11434 (file.ts:2)", "ollamaThenGroqChat")],
    },
  ],
});

// Claude tiers (opus/sonnet/haiku) claim Claude before a model/agent-role noun or with a version; a haiku or sonnet as a task's subject claims nothing.
ruleTester.run("honest-llm-names (Claude tiers)", rule, {
  valid: [
    `export async function generateHaiku() { return fetch("https://api.openai.com/v1/chat/completions"); }`,
    `export async function haikuGenerator() { return fetch("https://api.openai.com/v1/chat/completions"); }`,
    `export async function writeSonnet() { return fetch("${GROQ}"); }`,
    // a platform serving Claude keeps the tier's claim
    `export async function opusAgent() { return fetch("https://bedrock-runtime.us-east-1.amazonaws.com/model/x/invoke"); }`,
  ],
  invalid: [
    {
      code: `export async function opusOrchestrator() { return fetch("http://localhost:11434/api/chat"); }`,
      errors: [lie("export async function opusOrchestrator", "opusOrchestrator", 1, 23, "Anthropic", "localhost:11434 (file.ts:1) and never Anthropic", "ollamaOrchestrator")],
    },
    {
      code: `export async function haikuSubAgent() { return fetch("${GROQ}"); }`,
      errors: [lie("export async function haikuSubAgent", "haikuSubAgent", 1, 23, "Anthropic", "api.groq.com (file.ts:1) and never Anthropic", "groqSubAgent")],
    },
  ],
});
