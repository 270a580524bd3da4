import { RuleTester } from "@typescript-eslint/rule-tester";
import { describe, expect, it } from "vitest";
import { Linter } from "eslint";
import tsParser from "@typescript-eslint/parser";
import rule from "../../rules/no-unclosed-http-client/index.js";

const ruleTester = new RuleTester();

describe("no-unclosed-http-client", () => {
  ruleTester.run("no-unclosed-http-client", rule, {
    valid: [
      // corpus (NextChat app/api/webdav route): assigned in try/finally, returned after it; the finally's
      // thrown path starts at the request itself, when there is no response yet
      `async function handle(targetUrl: string) { let fetchResult; try { fetchResult = await fetch(targetUrl); } finally { console.log(fetchResult?.status); } return fetchResult; }`,
      // consumed on every path
      `async function f(u: string) { const res = await fetch(u); if (!res.ok) throw new Error(await res.text()); return res.json(); }`,
      // cancelled before the early exit
      `async function f(u: string) { const res = await fetch(u); if (!res.ok) { await res.body?.cancel(); throw new Error("x"); } return await res.json(); }`,
      // returned to the caller (handed on)
      `async function f(u: string) { const res = await fetch(u); if (!res.ok) console.log(res.status); return res; }`,
      // passed on
      `async function f(u: string) { const res = await fetch(u); return handle(res); }`,
      // stored on an object that outlives the call
      `async function f(this: any, u: string) { const res = await fetch(u); this.last = res; }`,
      // body piped to a file
      `import { pipeline } from "node:stream/promises"; import { Readable } from "node:stream"; import fs from "node:fs";
       async function download(u: string, file: string) { const res = await fetch(u); if (!res.body) throw new Error("no body"); await pipeline(Readable.fromWeb(res.body as any), fs.createWriteStream(file)); }`,
      // the `if (!res.body)` test reads nothing; the throw then leaks... unless the response is read first
      `async function f(u: string) { const res = await fetch(u); const text = await res.text(); if (!res.ok) throw new Error(text); return text; }`,
      // stream read to the end
      `async function f(u: string) { const res = await fetch(u); const reader = res.body!.getReader(); for (;;) { const { done } = await reader.read(); if (done) break; } }`,
      // fetch().then(r => r.json())
      `function f(u: string) { return fetch(u).then(r => r.json()); }`,
      `function f(u: string) { return fetch(u).then((r) => { if (!r.ok) { r.body?.cancel(); throw new Error(); } return r.text(); }); }`,
      // aborting the request's own controller cancels the body
      `async function f(u: string) { const c = new AbortController(); const res = await fetch(u, { signal: c.signal }); if (!res.ok) { c.abort(); return null; } return res.json(); }`,
      // consumed in finally
      `async function f(u: string) { const res = await fetch(u); try { if (!res.ok) throw new Error("x"); return 1; } finally { await res.body?.cancel(); } }`,
      // used in a closure: handed on, not followed
      `async function f(u: string) { const res = await fetch(u); if (!res.ok) return later(() => res.text()); return res.json(); }`,
      // iterated with for await
      `async function f(u: string) { const res = await fetch(u); for await (const chunk of res.body as any) console.log(chunk); }`,
      // awaited fetch returned directly / passed
      `async function f(u: string) { return await fetch(u); }`,
      `async function f(u: string) { use(await fetch(u)); }`,
      // not the global fetch
      `import { fetch } from "./my-client"; async function f() { const r = await fetch("x"); if (!r.ok) throw new Error(); }`,
      // a consumed response in a loop with continue after reading
      `async function f(us: string[]) { for (const u of us) { const res = await fetch(u); const t = await res.text(); if (!res.ok) continue; console.log(t); } }`,
      // http.get with resume on the error path
      `import https from "node:https"; https.get("https://x", (res) => { if (res.statusCode !== 200) { res.resume(); return; } res.on("data", () => {}); });`,
      // http.get response handed to a promise
      `import http from "http"; function g(u: string) { return new Promise((resolve) => http.get(u, (res) => resolve(res))); }`,
      `const http = require("http"); http.get("http://x", (res) => res.pipe(process.stdout));`,
      // module-level agent / dispatcher: created once
      `import { Agent } from "undici"; const agent = new Agent({ keepAliveTimeout: 10 }); export async function f(u: string) { const r = await fetch(u, { dispatcher: agent } as any); return r.json(); }`,
      // per-call dispatcher closed
      `import { Agent } from "undici"; export async function f(u: string) { const agent = new Agent(); try { const r = await fetch(u, { dispatcher: agent } as any); return await r.json(); } finally { await agent.close(); } }`,
      // per-call dispatcher handed on (returned / stored / installed globally)
      `import { ProxyAgent, setGlobalDispatcher } from "undici"; export function install(p: string) { setGlobalDispatcher(new ProxyAgent(p)); }`,
      `import { Agent } from "undici"; export function make() { const a = new Agent(); return a; }`,
      `import https from "https"; class C { agent: any; init() { this.agent = new https.Agent({ keepAlive: true }); } }`,
      // agent without keepAlive is not a pool
      `import https from "https"; export function f(u: string) { return https.get(u, { agent: new https.Agent({ rejectUnauthorized: false }) }, (r) => r.resume()); }`,
      // WebSocket with close handling
      `export function connect(u: string) { const ws = new WebSocket(u); ws.onclose = () => setTimeout(() => connect(u), 1000); }`,
      `import WebSocket from "ws"; export function ping(u: string) { const ws = new WebSocket(u); ws.on("open", () => { ws.send("ping"); ws.close(); }); }`,
      // SDK client at module level / once before the loop / cached
      `import OpenAI from "openai"; const openai = new OpenAI(); export async function run(xs: string[]) { for (const x of xs) await openai.chat.completions.create({ model: "m", messages: [{ role: "user", content: x }] }); }`,
      `import OpenAI from "openai"; export async function run(xs: string[]) { const openai = new OpenAI(); for (const x of xs) await openai.models.list(); }`,
      `import OpenAI from "openai"; let client: OpenAI | undefined; export function handler(app: any) { app.get("/x", () => { client ??= new OpenAI(); }); }`,
      `import OpenAI from "openai"; const cache = new Map(); export function clients(keys: string[]) { keys.forEach((k) => cache.set(k, new OpenAI({ apiKey: k }))); }`,
      `import { createOpenAI } from "@ai-sdk/openai"; export const providers = ["a", "b"].map((k) => { return createOpenAI({ apiKey: k }); });`,
      // corpus: ai/src/ui/http-chat-transport.ts — a 204 has no body
      `async function resume(api: string) { const response = await fetch(api, { method: "GET" }); if (response.status === 204) { return null; } if (!response.ok) { throw new Error((await response.text()) ?? "failed"); } return response.body; }`,
      // corpus: @langchain/community google_places/google_routes/google_scholar — read inside try/catch on the error path
      `async function places(u: string) { const res = await fetch(u, { method: "POST" }); if (!res.ok) { let message; try { message = (await res.json()).error.message; } catch { message = "not JSON"; } throw new Error(message); } return (await res.json()).places; }`,
      // corpus: @langchain/community embeddings/voyage — json() in try before the ok check
      `async function embed(url: string) { const response = await fetch(url, { method: "POST" }); let json; try { json = await response.json(); } catch (error) { json = null; } if (!response.ok) { throw new Error(String(response.status)); } return json; }`,
      // corpus: chromadb src/chroma-fetch.ts — the catch runs when fetch itself failed: no response yet
      `export const chromaFetch = async (input: string, init?: RequestInit) => { let response: Response; try { response = await fetch(input, init); } catch (err) { throw new Error("Failed to connect to Chroma"); } if (response.ok) { return response; } throw new Error(await response.text()); };`,
      // HEAD has no body
      `async function exists(u: string) { const r = await fetch(u, { method: "HEAD" }); return r.ok; }`,
      // not an SDK
      `export function f(xs: string[]) { for (const x of xs) { const d = new Date(x); console.log(d); } }`,
    ],
    invalid: [
      // try/finally around the request: a later explicit throw still leaks
      {
        code: `async function get(u: string) {
  let res;
  try {
    res = await fetch(u);
  } finally {
    console.log("done");
  }
  if (!res.ok) throw new Error("x");
  return res.json();
}`,
        errors: [
          {
            messageId: "unconsumedResponse",
            line: 4,
            column: 17,
            data: { call: "fetch(…)", exit: "the `throw` on line 8", name: "res" },
            suggestions: [
              {
                messageId: "cancelBody",
                data: { text: "await res.body?.cancel();", name: "res" },
                output: `async function get(u: string) {
  let res;
  try {
    res = await fetch(u);
  } finally {
    console.log("done");
  }
  if (!res.ok) { await res.body?.cancel(); throw new Error("x"); }
  return res.json();
}`,
              },
            ],
          },
        ],
      },
      // the router.ts incident: `if (!res.ok) return callOpenRouter(prompt)`
      {
        code: `async function callRouter(prompt: string) {
  const res = await fetch("http://localhost:4000/v1/chat/completions", { method: "POST" });
  if (!res.ok) return callOpenRouter(prompt);
  const data = await res.json();
  return data;
}`,
        errors: [
          {
            messageId: "unconsumedResponse",
            line: 2,
            column: 21,
            data: { call: "fetch(…)", exit: "the `return` on line 3", name: "res" },
            suggestions: [
              {
                messageId: "cancelBody",
                data: { text: "await res.body?.cancel();", name: "res" },
                output: `async function callRouter(prompt: string) {
  const res = await fetch("http://localhost:4000/v1/chat/completions", { method: "POST" });
  if (!res.ok) { await res.body?.cancel(); return callOpenRouter(prompt); }
  const data = await res.json();
  return data;
}`,
              },
            ],
          },
        ],
      },
      // `if (!res.ok) throw …`
      {
        code: `async function f(u: string) {
  const res = await fetch(u);
  if (!res.ok) {
    throw new Error("status " + res.status);
  }
  return res.json();
}`,
        errors: [
          {
            messageId: "unconsumedResponse",
            line: 2,
            column: 21,
            data: { call: "fetch(…)", exit: "the `throw` on line 4", name: "res" },
            suggestions: [
              {
                messageId: "cancelBody",
                data: { text: "await res.body?.cancel();", name: "res" },
                output: `async function f(u: string) {
  const res = await fetch(u);
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error("status " + res.status);
  }
  return res.json();
}`,
              },
            ],
          },
        ],
      },
      // `if (res.ok) { … res.json() }` falling through on failure
      {
        code: `async function f(u: string) {
  const res = await fetch(u);
  if (res.ok) {
    return await res.json();
  }
}`,
        errors: [
          {
            messageId: "unconsumedResponse",
            line: 2,
            column: 21,
            data: { call: "fetch(…)", exit: "the end of the function", name: "res" },
            suggestions: [
              {
                messageId: "cancelBody",
                data: { text: "await res.body?.cancel();", name: "res" },
                output: `async function f(u: string) {
  const res = await fetch(u);
  if (res.ok) {
    return await res.json();
  }
  await res.body?.cancel();
}`,
              },
            ],
          },
        ],
      },
      // the throw is caught and the catch returns: still leaks
      {
        code: `async function f(u: string) {
  try {
    const res = await fetch(u);
    if (!res.ok) throw new Error("bad");
    return await res.json();
  } catch {
    return null;
  }
}`,
        errors: [
          {
            messageId: "unconsumedResponse",
            line: 3,
            column: 23,
            data: { call: "fetch(…)", exit: "the `throw` on line 4", name: "res" },
            suggestions: [{ messageId: "cancelBody", data: { text: "await res.body?.cancel();", name: "res" }, output: `async function f(u: string) {
  try {
    const res = await fetch(u);
    if (!res.ok) { await res.body?.cancel(); throw new Error("bad"); }
    return await res.json();
  } catch {
    return null;
  }
}` }],
          },
        ],
      },
      // continue in a loop: the next iteration overwrites the response
      {
        code: `async function f(us: string[]) {
  for (const u of us) {
    const res = await fetch(u);
    if (res.status === 404) continue;
    console.log(await res.text());
  }
}`,
        errors: [
          {
            messageId: "unconsumedResponse",
            line: 3,
            column: 23,
            data: { call: "fetch(…)", exit: "the `continue` on line 4", name: "res" },
            suggestions: [{ messageId: "cancelBody", data: { text: "await res.body?.cancel();", name: "res" }, output: `async function f(us: string[]) {
  for (const u of us) {
    const res = await fetch(u);
    if (res.status === 404) { await res.body?.cancel(); continue; }
    console.log(await res.text());
  }
}` }],
          },
        ],
      },
      // only the status is read
      {
        code: `export async function ping(u: string): Promise<boolean> {
  const res = await globalThis.fetch(u);
  return res.ok;
}`,
        errors: [
          {
            messageId: "unconsumedResponse",
            line: 2,
            column: 21,
            data: { call: "globalThis.fetch(…)", exit: "the `return` on line 3", name: "res" },
            suggestions: [{ messageId: "cancelBody", data: { text: "await res.body?.cancel();", name: "res" }, output: `export async function ping(u: string): Promise<boolean> {
  const res = await globalThis.fetch(u);
  await res.body?.cancel();
  return res.ok;
}` }],
          },
        ],
      },
      // reassigned form
      {
        code: `async function f(u: string) {
  let r;
  r = await fetch(u);
  if (r.status >= 500) return;
  return r.json();
}`,
        errors: [
          {
            messageId: "unconsumedResponse",
            line: 3,
            column: 13,
            data: { call: "fetch(…)", exit: "the `return` on line 4", name: "r" },
            suggestions: [{ messageId: "cancelBody", data: { text: "await r.body?.cancel();", name: "r" }, output: `async function f(u: string) {
  let r;
  r = await fetch(u);
  if (r.status >= 500) { await r.body?.cancel(); return; }
  return r.json();
}` }],
          },
        ],
      },
      // discarded await fetch()
      {
        code: `async function notify(u: string) {
  await fetch(u, { method: "POST" });
}`,
        errors: [
          {
            messageId: "discardedResponse",
            line: 2,
            column: 9,
            data: { call: "fetch(…)" },
            suggestions: [{ messageId: "cancelDiscarded", data: { call: "fetch(…)" }, output: `async function notify(u: string) {
  await (await fetch(u, { method: "POST" })).body?.cancel();
}` }],
          },
        ],
      },
      { code: `function beacon(u: string) { void fetch(u).catch(() => {}); }`, errors: [{ messageId: "discardedResponse", line: 1, column: 35, data: { call: "fetch(…)" } }] },
      // destructured: the body is unreachable
      { code: `async function f(u: string) { const { ok, status } = await fetch(u); return ok || status; }`, errors: [{ messageId: "discardedResponse", line: 1, column: 60, data: { call: "fetch(…)" } }] },
      // fetch().then(r => r.ok)
      {
        code: `function up(u: string) { return fetch(u).then((r) => r.ok); }`,
        errors: [{ messageId: "unconsumedThen", line: 1, column: 48, data: { exit: "the end of the function", name: "r" } }],
      },
      {
        code: `function up(u: string) {
  return fetch(u).then((r) => {
    if (!r.ok) throw new Error(String(r.status));
    return r.json();
  });
}`,
        errors: [
          {
            messageId: "unconsumedThen",
            line: 2,
            column: 25,
            data: { exit: "the `throw` on line 3", name: "r" },
            suggestions: [{ messageId: "cancelBody", data: { text: "void r.body?.cancel();", name: "r" }, output: `function up(u: string) {
  return fetch(u).then((r) => {
    if (!r.ok) { void r.body?.cancel(); throw new Error(String(r.status)); }
    return r.json();
  });
}` }],
          },
        ],
      },
      // http(s).get response never consumed
      {
        code: `import https from "node:https";
export function status(u: string) {
  return new Promise((resolve) => {
    https.get(u, (res) => {
      resolve(res.statusCode);
    });
  });
}`,
        errors: [
          {
            messageId: "unconsumedIncoming",
            line: 4,
            column: 19,
            data: { name: "res", call: "https.get(…)", exit: "the end of the function" },
            suggestions: [{ messageId: "resumeIncoming", data: { text: "res.resume();", name: "res" }, output: `import https from "node:https";
export function status(u: string) {
  return new Promise((resolve) => {
    https.get(u, (res) => {
      resolve(res.statusCode);
      res.resume();
    });
  });
}` }],
          },
        ],
      },
      {
        code: `import { request } from "http";
request("http://x", (res) => {
  if (res.statusCode !== 200) return;
  res.on("data", (d) => console.log(d));
}).end();`,
        errors: [
          {
            messageId: "unconsumedIncoming",
            line: 2,
            column: 22,
            data: { name: "res", call: "request(…)", exit: "the `return` on line 3" },
            suggestions: [{ messageId: "resumeIncoming", data: { text: "res.resume();", name: "res" }, output: `import { request } from "http";
request("http://x", (res) => {
  if (res.statusCode !== 200) { res.resume(); return; }
  res.on("data", (d) => console.log(d));
}).end();` }],
          },
        ],
      },
      // keep-alive agent / undici dispatcher / socket / WebSocket per call
      {
        code: `import https from "https";
export function get(u: string) {
  const agent = new https.Agent({ keepAlive: true });
  return https.get(u, { agent }, (r) => r.resume());
}`,
        errors: [{ messageId: "resourceNotClosed", line: 3, column: 17, data: { what: "keep-alive https.Agent", close: "call `.destroy()`" } }],
      },
      {
        code: `import { Agent } from "undici";
export async function get(u: string) {
  const r = await fetch(u, { dispatcher: new Agent({ connections: 4 }) } as any);
  return r.json();
}`,
        errors: [{ messageId: "resourceNotClosed", line: 3, column: 42, data: { what: "undici Agent", close: "call `await .close()`" } }],
      },
      {
        code: `import net from "node:net";
export function send(port: number, msg: string) {
  const sock = net.connect(port);
  sock.write(msg);
}`,
        errors: [{ messageId: "resourceNotClosed", line: 3, column: 16, data: { what: "net.connect()", close: "call `.end()`/`.destroy()`" } }],
      },
      {
        code: `export function sendOnce(u: string, m: string) {
  const ws = new WebSocket(u);
  ws.onopen = () => ws.send(m);
}`,
        errors: [{ messageId: "resourceNotClosed", line: 2, column: 14, data: { what: "WebSocket", close: "call `.close()`" } }],
      },
      // SDK clients per unit of work
      {
        code: `import OpenAI from "openai";
export async function run(prompts: string[]) {
  for (const p of prompts) {
    const client = new OpenAI();
    await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: p }] });
  }
}`,
        errors: [{ messageId: "clientPerUnit", line: 4, column: 20, data: { client: "new OpenAI()", unit: "inside a loop (once per iteration)" } }],
      },
      {
        code: `import { Ollama } from "ollama";
export const answers = (qs: string[]) => Promise.all(qs.map((q) => new Ollama().generate({ model: "gemma2:9b", prompt: q })));`,
        errors: [{ messageId: "clientPerUnit", line: 2, column: 68, data: { client: "new Ollama()", unit: "in a .map() callback (once per element)" } }],
      },
      {
        code: `import Groq from "groq-sdk";
export function routes(app: any) {
  app.post("/ask", async (req: any, res: any) => {
    const groq = new Groq();
    res.json(await groq.chat.completions.create(req.body));
  });
}`,
        errors: [{ messageId: "clientPerUnit", line: 4, column: 18, data: { client: "new Groq()", unit: "in the `post /ask` request handler (once per request)" } }],
      },
      {
        code: `import { createOllama } from "ollama-ai-provider";
export async function POST(req: Request) {
  const ollama = createOllama({ baseURL: "http://localhost:11434/api" });
  return Response.json({ ok: !!ollama, req });
}`,
        errors: [{ messageId: "clientPerUnit", line: 3, column: 18, data: { client: "createOllama()", unit: "in the exported POST route handler (once per request)" } }],
      },
    ],
  });
});

describe("no-unclosed-http-client on odd input", () => {
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
