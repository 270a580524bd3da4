import { RuleTester } from "@typescript-eslint/rule-tester";
import { describe, expect, it } from "vitest";
import { Linter } from "eslint";
import tsParser from "@typescript-eslint/parser";
import rule from "../../rules/require-request-timeout/index.js";
import { presetRules } from "../../rules/configs.js";

const ruleTester = new RuleTester();
const MS = "30000";

describe("require-request-timeout presets", () => {
  it("is a warning in recommended (SDK part off) and an error with the SDK part in strict", async () => {
    const { expect } = await import("vitest");
    expect(presetRules("recommended")["ghostwatch/require-request-timeout"]).toBe("warn");
    expect(presetRules("strict")["ghostwatch/require-request-timeout"]).toEqual(["error", { checkSdkClients: true }]);
    expect(presetRules("recommended")["ghostwatch/no-unclosed-http-client"]).toBe("error");
  });
});

describe("require-request-timeout", () => {
  ruleTester.run("require-request-timeout", rule, {
    valid: [
      `await fetch(u, { signal: AbortSignal.timeout(5000) });`,
      `const s = AbortSignal.timeout(5000); await fetch(u, { signal: s });`,
      `await fetch(u, { signal: AbortSignal.any([outer, AbortSignal.timeout(5000)]) });`,
      // a controller aborted by a timer
      `const c = new AbortController(); const t = setTimeout(() => c.abort(), 5000); try { await fetch(u, { signal: c.signal }); } finally { clearTimeout(t); }`,
      `const c = new AbortController(); setTimeout(c.abort.bind(c), 5000); await fetch(u, { signal: c.signal });`,
      `function f(u: string) { const controller = new AbortController(); const onTimeout = () => controller.abort(); const id = setTimeout(onTimeout, 1000); return fetch(u, { signal: controller.signal }).finally(() => clearTimeout(id)); }`,
      // signal from the caller / options we cannot see: not reported
      `async function f(u: string, signal: AbortSignal) { return fetch(u, { signal }); }`,
      `async function f(u: string, init: RequestInit) { return fetch(u, init); }`,
      `async function f(u: string, init: RequestInit) { return fetch(u, { ...init, method: "POST" }); }`,
      `async function f(this: any, u: string) { return fetch(u, { signal: this.controller.signal }); }`,
      // a dispatcher with its own timeouts
      `await fetch(u, { dispatcher: agent } as any);`,
      // raced against a timeout
      `await Promise.race([fetch(u), new Promise((_, rej) => setTimeout(rej, 5000))]);`,
      // corpus: @mistralai/mistralai src/lib/http.ts — a fetcher passing a Request through
      `export const fetcher = (input: RequestInfo | URL, init?: RequestInit) => { if (init == null) { return fetch(input); } return fetch(input, init); };`,
      // corpus: ai/src/ui/call-completion-api.ts — the controller is handed to the UI, which may abort it
      `async function complete(api: string, setAbortController: (c: AbortController) => void) { const abortController = new AbortController(); setAbortController(abortController); return fetch(api, { signal: abortController.signal }); }`,
      // not network
      `await fetch("data:text/plain,hi");`,
      // corpus (chatbot-ui drawing-canvas.tsx, NextChat exporter.tsx): data:/blob: URLs made in the page
      `declare const canvas: HTMLCanvasElement; const dataURL = canvas.toDataURL("image/png"); fetch(dataURL).then((r) => r.blob());`,
      `import { toPng } from "html-to-image"; declare const dom: HTMLElement; const blob = await toPng(dom); const response = await fetch(blob);`,
      `declare const file: Blob; await fetch(URL.createObjectURL(file));`,
      `const r = new Request(u, { signal: AbortSignal.timeout(1) }); await fetch(r);`,
      // not the global fetch
      `import { fetch } from "./client"; await fetch("/x");`,
      // axios with timeout, through an instance with a timeout, or with defaults set
      `import axios from "axios"; await axios.get(u, { timeout: 5000 });`,
      `import axios from "axios"; await axios.post(u, body, { timeout: 5000 });`,
      `import axios from "axios"; await axios({ url: u, timeout: 5000 });`,
      `import axios from "axios"; const api = axios.create({ baseURL: b, timeout: 10000 }); await api.get("/x");`,
      `import axios from "axios"; axios.defaults.timeout = 5000; await axios.get(u);`,
      `import axios from "axios"; const api = axios.create({ baseURL: b }); api.defaults.timeout = 5000;`,
      `import axios from "axios"; await axios.get(u, config);`,
      // http(s) with timeout / setTimeout
      `import https from "https"; https.get(u, { timeout: 5000 }, (r) => r.resume());`,
      `import http from "node:http"; const req = http.request(u, (r) => r.resume()); req.setTimeout(5000, () => req.destroy()); req.end();`,
      `import http from "node:http"; http.get(u, (r) => r.resume()).setTimeout(5000);`,
      `import http from "node:http"; function f(opts: any) { return http.request(opts); }`,
      // SDK clients: off by default
      `import OpenAI from "openai"; const c = new OpenAI();`,
      { code: `import OpenAI from "openai"; const c = new OpenAI({ timeout: 20_000 });`, options: [{ checkSdkClients: true }] },
      { code: `import Anthropic from "@anthropic-ai/sdk"; const c = new Anthropic({ ...opts });`, options: [{ checkSdkClients: true }] },
      { code: `import { Mistral } from "@mistralai/mistralai"; const c = new Mistral({ timeoutMs: 10000 });`, options: [{ checkSdkClients: true }] },
      // corpus: @langchain/community chat_models/llama_cpp — node-llama-cpp runs in-process, no HTTP
      { code: `import { LlamaChatSession } from "node-llama-cpp"; export function s(context: any) { return new LlamaChatSession({ contextSequence: context.getSequence() }); }`, options: [{ checkSdkClients: true }] },
    ],
    invalid: [
      {
        code: `const res = await fetch("http://localhost:4000/v1/chat/completions");`,
        errors: [
          {
            messageId: "fetchNoSignal",
            line: 1,
            column: 19,
            data: { call: "fetch(…)", ms: MS },
            suggestions: [{ messageId: "addSignal", data: { ms: MS }, output: `const res = await fetch("http://localhost:4000/v1/chat/completions", { signal: AbortSignal.timeout(30000) });` }],
          },
        ],
      },
      {
        code: `await fetch(url, { method: "POST", body });`,
        errors: [
          {
            messageId: "fetchNoSignal",
            line: 1,
            column: 7,
            data: { call: "fetch(…)", ms: MS },
            suggestions: [{ messageId: "addSignal", data: { ms: MS }, output: `await fetch(url, { signal: AbortSignal.timeout(30000), method: "POST", body });` }],
          },
        ],
      },
      {
        code: `const init = { method: "POST" }; await globalThis.fetch(url, init);`,
        errors: [{ messageId: "fetchNoSignal", line: 1, column: 40, data: { call: "globalThis.fetch(…)", ms: MS }, suggestions: [] }],
      },
      // a custom default timeout
      {
        code: `fetch(u).then((r) => r.json());`,
        options: [{ defaultTimeoutMs: 5000 }],
        errors: [{ messageId: "fetchNoSignal", line: 1, column: 1, data: { call: "fetch(…)", ms: "5000" }, suggestions: [{ messageId: "addSignal", data: { ms: "5000" }, output: `fetch(u, { signal: AbortSignal.timeout(5000) }).then((r) => r.json());` }] }],
      },
      // a controller nothing aborts on a timer
      {
        code: `const controller = new AbortController();
process.on("SIGINT", () => controller.abort());
await fetch(u, { signal: controller.signal });`,
        errors: [
          {
            messageId: "fetchSignalNoTimer",
            line: 3,
            column: 7,
            data: { call: "fetch(…)", controller: "controller", ms: MS },
            suggestions: [{ messageId: "addSignal", data: { ms: MS }, output: `const controller = new AbortController();
process.on("SIGINT", () => controller.abort());
await fetch(u, { signal: AbortSignal.any([controller.signal, AbortSignal.timeout(30000)]) });` }],
          },
        ],
      },
      {
        code: `import nodeFetch from "node-fetch"; await nodeFetch(u, { signal: undefined });`,
        errors: [{ messageId: "fetchNoSignal", line: 1, column: 43, data: { call: "nodeFetch(…)", ms: MS }, suggestions: [{ messageId: "addSignal", data: { ms: MS }, output: `import nodeFetch from "node-fetch"; await nodeFetch(u, { signal: AbortSignal.timeout(30000) });` }] }],
      },
      // a URL parameter is not a Request
      {
        code: `export function get(url: string) { return fetch(url); }`,
        errors: [{ messageId: "fetchNoSignal", line: 1, column: 43, data: { call: "fetch(…)", ms: MS }, suggestions: [{ messageId: "addSignal", data: { ms: MS }, output: `export function get(url: string) { return fetch(url, { signal: AbortSignal.timeout(30000) }); }` }] }],
      },
      // axios
      {
        code: `import axios from "axios"; await axios.get(u);`,
        errors: [{ messageId: "axiosNoTimeout", line: 1, column: 34, data: { call: "axios.get(…)", ms: MS }, suggestions: [{ messageId: "addTimeoutOption", data: { ms: MS }, output: `import axios from "axios"; await axios.get(u, { timeout: 30000 });` }] }],
      },
      {
        code: `import axios from "axios"; await axios.post(u, body, { headers: h });`,
        errors: [{ messageId: "axiosNoTimeout", line: 1, column: 34, data: { call: "axios.post(…)", ms: MS }, suggestions: [{ messageId: "addTimeoutOption", data: { ms: MS }, output: `import axios from "axios"; await axios.post(u, body, { timeout: 30000, headers: h });` }] }],
      },
      {
        code: `const axios = require("axios"); axios({ url: u, method: "get" });`,
        errors: [{ messageId: "axiosNoTimeout", line: 1, column: 33, data: { call: "axios(…)", ms: MS }, suggestions: [{ messageId: "addTimeoutOption", data: { ms: MS }, output: `const axios = require("axios"); axios({ timeout: 30000, url: u, method: "get" });` }] }],
      },
      {
        code: `import axios from "axios"; export const api = axios.create({ baseURL: "https://api.groq.com" });`,
        errors: [{ messageId: "axiosCreateNoTimeout", line: 1, column: 47, data: { ms: MS }, suggestions: [{ messageId: "addTimeoutOption", data: { ms: MS }, output: `import axios from "axios"; export const api = axios.create({ timeout: 30000, baseURL: "https://api.groq.com" });` }] }],
      },
      // http(s).request / get
      {
        code: `import https from "node:https"; https.get("https://api.groq.com/openai/v1/models", (res) => res.resume());`,
        errors: [{ messageId: "httpNoTimeout", line: 1, column: 33, data: { call: "https.get(…)", ms: MS }, suggestions: [] }],
      },
      {
        code: `import http from "http"; const req = http.request({ host: "localhost", port: 11434, method: "POST" }, (res) => res.resume()); req.end(body);`,
        errors: [{ messageId: "httpNoTimeout", line: 1, column: 38, data: { call: "http.request(…)", ms: MS }, suggestions: [{ messageId: "addTimeoutOption", data: { ms: MS }, output: `import http from "http"; const req = http.request({ timeout: 30000, host: "localhost", port: 11434, method: "POST" }, (res) => res.resume()); req.end(body);` }] }],
      },
      // SDK constructors (strict)
      {
        code: `import Groq from "groq-sdk"; const groq = new Groq({ apiKey: process.env.GROQ_API_KEY });`,
        options: [{ checkSdkClients: true }],
        errors: [{ messageId: "sdkNoTimeout", line: 1, column: 43, data: { client: "new Groq()", ms: MS }, suggestions: [{ messageId: "addTimeoutOption", data: { ms: MS }, output: `import Groq from "groq-sdk"; const groq = new Groq({ timeout: 30000, apiKey: process.env.GROQ_API_KEY });` }] }],
      },
      {
        code: `import OpenAI from "openai"; const openai = new OpenAI();`,
        options: [{ checkSdkClients: true }],
        errors: [{ messageId: "sdkNoTimeout", line: 1, column: 45, data: { client: "new OpenAI()", ms: MS }, suggestions: [{ messageId: "addTimeoutOption", data: { ms: MS }, output: `import OpenAI from "openai"; const openai = new OpenAI({ timeout: 30000 });` }] }],
      },
      {
        code: `import { ChatOpenAI } from "@langchain/openai"; const m = new ChatOpenAI({ model: "gpt-4o-mini", temperature: 0 });`,
        options: [{ checkSdkClients: true }],
        errors: [{ messageId: "sdkNoTimeout", line: 1, column: 59, data: { client: "new ChatOpenAI()", ms: MS }, suggestions: [{ messageId: "addTimeoutOption", data: { ms: MS }, output: `import { ChatOpenAI } from "@langchain/openai"; const m = new ChatOpenAI({ timeout: 30000, model: "gpt-4o-mini", temperature: 0 });` }] }],
      },
    ],
  });
});

describe("require-request-timeout on odd input", () => {
  const odd = [
    "",
    "fetch",
    "await fetch();",
    "const r = await fetch(); r = 1;",
    "let a; for (a of await fetch(u)) {}",
    "const { [k]: v } = await fetch(u);",
    "label: { const r = await fetch(u); if (!r.ok) break label; await r.text(); }",
    "switch (x) { case 1: { const r = await fetch(u); if (!r.ok) break; return r.json(); } }",
    "class A { static { const r = fetch(u); } #p = new WebSocket(u); m = async () => { const res = await fetch(u); return res?.json?.(); }; }",
    "import http from 'http'; http.get(); http.request(...args); http.get(u, function () {}, 1);",
    "import axios from 'axios'; axios(); axios.get(...a); axios.create(...c);",
    "new (fetch as any)(); (await fetch(u)).body; fetch(u).then(); fetch(u).then(...cbs);",
    "async function* g() { const r = await fetch(u); yield* r.body; }",
    "const f = async (r = await fetch(u)) => r;",
    "export default async function () { while (true) { const r = await fetch(u); if (r.ok) continue; } }",
    Array.from({ length: 300 }, (_, i) => `if (c${i}) { const r${i} = await fetch(u); if (!r${i}.ok) throw 1; await r${i}.text(); }`).join("\n"),
  ];
  it("never throws, whatever the shape", () => {
    const linter = new Linter({ configType: "flat" });
    for (const code of odd) {
      const messages = linter.verify(code, [
        { languageOptions: { parser: tsParser, sourceType: "module" }, plugins: { g: { rules: { r: rule as never } } }, rules: { "g/r": "error" } },
      ]);
      expect(messages.filter((m) => m.fatal && !/Parsing error/.test(m.message))).toEqual([]);
    }
  });
});
