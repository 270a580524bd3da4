// Accuracy classes from real code (../shared/accuracy: false-positives.md, misses.md), one case
// per reproduction: a false positive stays clean, its `keep-*` twin and each miss stay reported
// at the exact place.
import { RuleTester } from "@typescript-eslint/rule-tester";
import rule from "../../rules/no-unclosed-http-client/index.js";

const ruleTester = new RuleTester();

ruleTester.run("no-unclosed-http-client", rule, {
  valid: [
    // M7: a 'use client' component: the browser owns the sockets, no CLOSE-WAIT story
    {
      code: `"use client";
import { useEffect } from "react";
export function Status() {
  useEffect(() => {
    void (async () => {
      const res = await fetch("/api/status");
      if (!res.ok) throw new Error("down");
    })();
  }, []);
  return null;
}`,
      filename: "components/Status.tsx",
    },
    // N1: a fetch parameter that is a test double (untyped) is not the global fetch
    {
      code: `export async function probe(fetch: any, url: string) {
  const res = await fetch(url);
  if (!res.ok) throw new Error("down");
  return res.json();
}`,
      filename: "file.ts",
    },
    // FP N1: a local binding named fetch (a wrapped or mocked fetch) is not the global fetch
    { code: `// class: N1 — a local variable named \`fetch\` (a wrapped / mocked fetch) is taken for the global fetch
// rule: no-unclosed-http-client, require-request-timeout
// expected: none
import { expect, test, vi } from "vitest";
declare function wrapFetch(impl: typeof globalThis.fetch): typeof globalThis.fetch;

test("the wrapper forwards requests unchanged", async () => {
  const impl = vi.fn(async () => new Response(null, { status: 204 }));
  const fetch = wrapFetch(impl);
  await fetch("http://127.0.0.1:9000/upload", { method: "POST", body: "x" });
  const res = await fetch("http://127.0.0.1:9000/upload");
  expect(res.status).toBe(204);
});
`, filename: "file.ts" },
    // FP N2: aborting the request's own controller when the options are a const
    { code: `// class: N2 — aborting the request's own AbortController in the catch is not seen when the fetch options are a local object
// rule: no-unclosed-http-client
// expected: none
export async function complete(url: string, body: unknown) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 60_000);
  try {
    const init = { method: "POST", body: JSON.stringify(body), signal: controller.signal };
    const res = await fetch(url, init);
    clearTimeout(timer);
    if (!res.ok) throw new Error(\`server answered \${res.status}\`);
    return await res.json();
  } catch (e) {
    controller.abort(); // cancels the body of a response that was not read
    throw e;
  }
}
`, filename: "file.ts" },
    // H3 near-miss: a default-exported main() with no request parameter
    { code: `import OpenAI from "openai";
// near-miss: a default-exported CLI entry point that runs once (no request parameter)
export default async function main(): Promise<void> {
  const client = new OpenAI({ timeout: 30_000 });
  const r = await client.chat.completions.create({ model: "gpt-4o-mini", temperature: 0, max_tokens: 200, messages: [{ role: "user", content: "hi" }] });
  console.log(r.choices[0].message.content);
}
`, filename: "file.ts" },
  ],
  invalid: [
    // keep N1: the global fetch with an unread error body
    {
      code: `// twin of N1: the global fetch with an unread error body and no timeout is still reported by both rules
// rule: no-unclosed-http-client, require-request-timeout
// expected: report
export async function getJson(url: string) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(\`status \${res.status}\`);
  return res.json();
}
`,
      filename: "file.ts",
      errors: [
        { messageId: "unconsumedResponse", line: 5, column: 21, suggestions: [{ messageId: "cancelBody", output: `// twin of N1: the global fetch with an unread error body and no timeout is still reported by both rules
// rule: no-unclosed-http-client, require-request-timeout
// expected: report
export async function getJson(url: string) {
  const res = await fetch(url);
  if (!res.ok) { await res.body?.cancel(); throw new Error(\`status \${res.status}\`); }
  return res.json();
}
` }] },
      ],
    },
    // miss H1: logging a response is not handing it on (4:23); passing it to a consumer is
    {
      code: `// H1: on the !ok path the response is only logged; logging is not reading, cancelling or handing on.
export async function fetchCatalog(base: string, token: string): Promise<string[]> {
  try {
    const res = await fetch(\`\${base}/catalog\`, { headers: { authorization: token }, signal: AbortSignal.timeout(10_000) });
    if (res.ok) {
      const body = (await res.json()) as { names: string[] };
      return body.names;
    } else {
      console.warn("catalog request failed", res);
    }
  } catch (err) {
    console.warn("catalog unreachable", err);
  }
  return [];
}

// reported today: the same without passing \`res\` to console.warn
export async function fetchCatalog2(base: string, token: string): Promise<string[]> {
  try {
    const res = await fetch(\`\${base}/catalog\`, { headers: { authorization: token }, signal: AbortSignal.timeout(10_000) });
    if (res.ok) {
      const body = (await res.json()) as { names: string[] };
      return body.names;
    } else {
      console.warn("catalog request failed", res.status);
    }
  } catch (err) {
    console.warn("catalog unreachable", err);
  }
  return [];
}

// near-miss: the response is handed to a real consumer on the failure path
declare function reportFailure(r: Response): Promise<void>;
export async function fetchCatalog3(base: string): Promise<string[]> {
  const res = await fetch(\`\${base}/catalog\`, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) {
    await reportFailure(res);
    return [];
  }
  return ((await res.json()) as { names: string[] }).names;
}
`,
      filename: "file.ts",
      errors: [
        { messageId: "unconsumedResponse", line: 4, column: 23, suggestions: [{ messageId: "cancelBody", output: `// H1: on the !ok path the response is only logged; logging is not reading, cancelling or handing on.
export async function fetchCatalog(base: string, token: string): Promise<string[]> {
  try {
    const res = await fetch(\`\${base}/catalog\`, { headers: { authorization: token }, signal: AbortSignal.timeout(10_000) });
    if (res.ok) {
      const body = (await res.json()) as { names: string[] };
      return body.names;
    } else {
      console.warn("catalog request failed", res);
    }
  } catch (err) {
    console.warn("catalog unreachable", err);
  }
  await res.body?.cancel();
  return [];
}

// reported today: the same without passing \`res\` to console.warn
export async function fetchCatalog2(base: string, token: string): Promise<string[]> {
  try {
    const res = await fetch(\`\${base}/catalog\`, { headers: { authorization: token }, signal: AbortSignal.timeout(10_000) });
    if (res.ok) {
      const body = (await res.json()) as { names: string[] };
      return body.names;
    } else {
      console.warn("catalog request failed", res.status);
    }
  } catch (err) {
    console.warn("catalog unreachable", err);
  }
  return [];
}

// near-miss: the response is handed to a real consumer on the failure path
declare function reportFailure(r: Response): Promise<void>;
export async function fetchCatalog3(base: string): Promise<string[]> {
  const res = await fetch(\`\${base}/catalog\`, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) {
    await reportFailure(res);
    return [];
  }
  return ((await res.json()) as { names: string[] }).names;
}
` }] },
        { messageId: "unconsumedResponse", line: 20, column: 23, suggestions: [{ messageId: "cancelBody", output: `// H1: on the !ok path the response is only logged; logging is not reading, cancelling or handing on.
export async function fetchCatalog(base: string, token: string): Promise<string[]> {
  try {
    const res = await fetch(\`\${base}/catalog\`, { headers: { authorization: token }, signal: AbortSignal.timeout(10_000) });
    if (res.ok) {
      const body = (await res.json()) as { names: string[] };
      return body.names;
    } else {
      console.warn("catalog request failed", res);
    }
  } catch (err) {
    console.warn("catalog unreachable", err);
  }
  return [];
}

// reported today: the same without passing \`res\` to console.warn
export async function fetchCatalog2(base: string, token: string): Promise<string[]> {
  try {
    const res = await fetch(\`\${base}/catalog\`, { headers: { authorization: token }, signal: AbortSignal.timeout(10_000) });
    if (res.ok) {
      const body = (await res.json()) as { names: string[] };
      return body.names;
    } else {
      console.warn("catalog request failed", res.status);
    }
  } catch (err) {
    console.warn("catalog unreachable", err);
  }
  await res.body?.cancel();
  return [];
}

// near-miss: the response is handed to a real consumer on the failure path
declare function reportFailure(r: Response): Promise<void>;
export async function fetchCatalog3(base: string): Promise<string[]> {
  const res = await fetch(\`\${base}/catalog\`, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) {
    await reportFailure(res);
    return [];
  }
  return ((await res.json()) as { names: string[] }).names;
}
` }] },
      ],
    },
    // FP H2: options in a const whose controller the catch aborts; the twin without an abort is reported
    {
      code: `// H2 (FP today): the request's own AbortController is aborted on the failure path, which cancels
// the body; the signal reaches fetch through an options object held in a const.
// (No timers here on purpose: the only cancel is the catch's abort. require-request-timeout's
// reports on these fetches are expected and not part of this class.)
export async function postJob(url: string, payload: unknown): Promise<unknown> {
  const ac = new AbortController();
  try {
    const init = { method: "POST", body: JSON.stringify(payload), signal: ac.signal };
    const res = await fetch(url, init);
    if (!res.ok) throw new Error(\`HTTP \${res.status}\`);
    return await res.json();
  } catch (err) {
    ac.abort();
    throw err;
  }
}

// clean today: the same with the options written inline
export async function postJob2(url: string, payload: unknown): Promise<unknown> {
  const ac = new AbortController();
  try {
    const res = await fetch(url, { method: "POST", body: JSON.stringify(payload), signal: ac.signal });
    if (!res.ok) throw new Error(\`HTTP \${res.status}\`);
    return await res.json();
  } catch (err) {
    ac.abort();
    throw err;
  }
}

// near-miss that must stay reported: options in a const, and nothing ever aborts the controller
export async function postJob3(url: string, payload: unknown): Promise<unknown> {
  const ac = new AbortController();
  const init = { method: "POST", body: JSON.stringify(payload), signal: ac.signal };
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(\`HTTP \${res.status}\`);
  return await res.json();
}
`,
      filename: "file.ts",
      errors: [
        { messageId: "unconsumedResponse", line: 35, column: 21, suggestions: [{ messageId: "cancelBody", output: `// H2 (FP today): the request's own AbortController is aborted on the failure path, which cancels
// the body; the signal reaches fetch through an options object held in a const.
// (No timers here on purpose: the only cancel is the catch's abort. require-request-timeout's
// reports on these fetches are expected and not part of this class.)
export async function postJob(url: string, payload: unknown): Promise<unknown> {
  const ac = new AbortController();
  try {
    const init = { method: "POST", body: JSON.stringify(payload), signal: ac.signal };
    const res = await fetch(url, init);
    if (!res.ok) throw new Error(\`HTTP \${res.status}\`);
    return await res.json();
  } catch (err) {
    ac.abort();
    throw err;
  }
}

// clean today: the same with the options written inline
export async function postJob2(url: string, payload: unknown): Promise<unknown> {
  const ac = new AbortController();
  try {
    const res = await fetch(url, { method: "POST", body: JSON.stringify(payload), signal: ac.signal });
    if (!res.ok) throw new Error(\`HTTP \${res.status}\`);
    return await res.json();
  } catch (err) {
    ac.abort();
    throw err;
  }
}

// near-miss that must stay reported: options in a const, and nothing ever aborts the controller
export async function postJob3(url: string, payload: unknown): Promise<unknown> {
  const ac = new AbortController();
  const init = { method: "POST", body: JSON.stringify(payload), signal: ac.signal };
  const res = await fetch(url, init);
  if (!res.ok) { await res.body?.cancel(); throw new Error(\`HTTP \${res.status}\`); }
  return await res.json();
}
` }] },
      ],
    },
    // miss H3: a default-exported request handler runs once per request
    {
      code: `import OpenAI from "openai";

// H3: a framework route module (\`export default function handler(req)\` taking a Request) runs once
// per request; the client built inside it is one connection pool per request.
export default async function handler(req: Request): Promise<Response> {
  const question = await req.text();
  const client = new OpenAI({ timeout: 30_000 });
  const r = await client.chat.completions.create({ model: "gpt-4o-mini", temperature: 0, max_tokens: 200, messages: [{ role: "user", content: question }] });
  return new Response(r.choices[0].message.content ?? "");
}
`,
      filename: "file.ts",
      errors: [
        { messageId: "clientPerUnit", line: 7, column: 18 },
      ],
    },
    // H3 control: an exported POST handler
    {
      code: `import OpenAI from "openai";
// reported today: the same body in an exported POST route handler
export async function POST(req: Request): Promise<Response> {
  const question = await req.text();
  const client = new OpenAI({ timeout: 30_000 });
  const r = await client.chat.completions.create({ model: "gpt-4o-mini", temperature: 0, max_tokens: 200, messages: [{ role: "user", content: question }] });
  return new Response(r.choices[0].message.content ?? "");
}
`,
      filename: "file.ts",
      errors: [
        { messageId: "clientPerUnit", line: 5, column: 18 },
      ],
    },
    // miss H4: a factory whose cache is never assigned builds a client per call; the filled cache is clean
    {
      code: `import { Ollama } from "ollama";

// H4: a client factory that checks a module-level cache but never fills it: every call builds a
// new client, and it is called on every request.
let cached: Ollama | null = null;
let cachedHost = "";

function clientFor(host: string): Ollama {
  if (cached && cachedHost === host) return cached;
  cachedHost = host;
  return new Ollama({ host });
}

export async function listModels(req: { headers: Record<string, string> }) {
  const client = clientFor(req.headers["x-ollama-host"] ?? "http://127.0.0.1:11434");
  return client.list();
}

// near-miss: the same factory that fills the cache
let cached2: Ollama | null = null;
let cachedHost2 = "";
function clientFor2(host: string): Ollama {
  if (cached2 && cachedHost2 === host) return cached2;
  cachedHost2 = host;
  cached2 = new Ollama({ host });
  return cached2;
}
export async function listModels2(req: { headers: Record<string, string> }) {
  return clientFor2(req.headers["x-ollama-host"] ?? "http://127.0.0.1:11434").list();
}
`,
      filename: "file.ts",
      errors: [
        { messageId: "clientPerUnit", line: 11, column: 10, data: { client: "new Ollama()", unit: "on every call of `clientFor()` (its cache `cached` is never assigned)" } },
      ],
    },
    // miss H5: a client built in a method a message callback reaches; one kept on the instance is clean
    {
      code: `import { TokenJS } from "token.js";

interface Cfg { url: string; key: string; model: string }
interface View { onDidReceiveMessage(cb: (m: { type: string; data: Cfg }) => void): void }

// H5: a client built in a method that runs once per webview/IPC message (a request handler by
// another name) and dropped at the end of it.
export class SettingsPanel {
  constructor(view: View) {
    view.onDidReceiveMessage((m) => this.dispatch(m));
  }

  private dispatch(m: { type: string; data: Cfg }) {
    switch (m.type) {
      case "ping":
        return this.ping(m.data);
    }
  }

  private async ping(cfg: Cfg) {
    const client = new TokenJS({ baseURL: cfg.url, apiKey: cfg.key });
    await client.chat.completions.create({ provider: "openai-compatible", model: cfg.model, temperature: 0, max_tokens: 1, messages: [{ role: "user", content: "ping" }] });
  }
}

// near-miss: the client is built once per configuration change and kept on the instance
export class SettingsPanel2 {
  private client?: TokenJS;
  configure(cfg: Cfg) {
    this.client = new TokenJS({ baseURL: cfg.url, apiKey: cfg.key });
  }
}
`,
      filename: "file.ts",
      errors: [
        { messageId: "clientPerUnit", line: 21, column: 20 },
      ],
    },
    // miss H6: an error listener does not close a WebSocket
    {
      code: `import WebSocket from "ws";

// H6: the socket is never closed; an "error" listener is not a close.
export function nextTick(url: string): Promise<string> {
  const sock = new WebSocket(url);
  return new Promise((resolve, reject) => {
    sock.on("message", (d) => resolve(String(d)));
    sock.on("error", reject);
  });
}

// reported today: the same without the error listener
export function nextTick2(url: string): Promise<string> {
  const sock = new WebSocket(url);
  return new Promise((resolve) => {
    sock.on("message", (d) => resolve(String(d)));
  });
}

// near-miss: closed once the value arrives (and on error)
export function nextTick3(url: string): Promise<string> {
  const sock = new WebSocket(url);
  return new Promise((resolve, reject) => {
    sock.once("message", (d) => { sock.close(); resolve(String(d)); });
    sock.once("error", (e) => { sock.terminate(); reject(e); });
  });
}
`,
      filename: "file.ts",
      errors: [
        { messageId: "resourceNotClosed", line: 5, column: 16 },
        { messageId: "resourceNotClosed", line: 14, column: 16 },
      ],
    },
  ],
});

// keep N1: a parameter typed `typeof fetch` is still the global fetch (a TP on real code)
ruleTester.run("no-unclosed-http-client (typed fetch parameter)", rule, {
  valid: [],
  invalid: [
    {
      code: `export async function probe(fetch: typeof globalThis.fetch, url: string) {
  const res = await fetch(url);
  if (!res.ok) throw new Error("down");
  return res.json();
}`,
      filename: "file.ts",
      errors: [{ messageId: "unconsumedResponse", line: 2, column: 21, suggestions: [{ messageId: "cancelBody", output: `export async function probe(fetch: typeof globalThis.fetch, url: string) {
  const res = await fetch(url);
  if (!res.ok) { await res.body?.cancel(); throw new Error("down"); }
  return res.json();
}` }] }],
    },
  ],
});

// Classes from last session's held-out set (scripts/eval/results/final-5893c38.txt), now dev data.
ruleTester.run("no-unclosed-http-client (held-out classes, 2nd round)", rule, {
  valid: [
    // FP (llamacoder lib/client-image-upload.ts, realtime-agents agentConfigs): a module that fetches
    // a relative URL runs in a browser (Node's fetch rejects one): no CLOSE-WAIT story, for every fetch in it
    {
      code: `export async function uploadImage(file: File, signal?: AbortSignal) {
  const sign = await fetch("/api/s3-upload", { method: "POST", body: file.name, signal });
  if (!sign.ok) throw new Error("not allowed");
  const upload = (await sign.json()) as { url: string };
  const put = await fetch(upload.url, { method: "PUT", body: file, signal });
  if (!put.ok) throw new Error("upload failed");
  return upload.url;
}`,
      filename: "lib/client-image-upload.ts",
    },
    // near-miss of the per-request helper: a helper nested in an ordinary function is not per request
    {
      code: `import Together from "together-ai";
export async function describeOnce(prompt: string) {
  const ask = async () => {
    const together = new Together();
    return together.chat.completions.create({ model: "m", messages: [{ role: "user", content: prompt }] });
  };
  return ask();
}`,
      filename: "lib/describe.ts",
    },
    // near-miss of the response-writing service method: a method without the server response builds its client once per call of a one-off
    {
      code: `const { OpenAI } = require("openai");
class Setup {
  async checkKey(apiKey) {
    const openai = new OpenAI({ apiKey });
    await openai.models.list();
    return true;
  }
}
module.exports = new Setup();`,
      filename: "services/setup.js",
    },
  ],
  invalid: [
    // keep twin of the relative-URL FP: the same module with an absolute URL (it may run in Node) is reported
    {
      code: `export async function uploadImage(file: File, signal?: AbortSignal) {
  const sign = await fetch("https://uploads.example.com/sign", { method: "POST", body: file.name, signal });
  if (!sign.ok) throw new Error("not allowed");
  return (await sign.json()) as { url: string };
}`,
      filename: "lib/client-image-upload.ts",
      errors: [{ messageId: "unconsumedResponse", line: 2, column: 22, suggestions: [{ messageId: "cancelBody", output: `export async function uploadImage(file: File, signal?: AbortSignal) {
  const sign = await fetch("https://uploads.example.com/sign", { method: "POST", body: file.name, signal });
  if (!sign.ok) { await sign.body?.cancel(); throw new Error("not allowed"); }
  return (await sign.json()) as { url: string };
}` }] }],
    },
    // keep twin: a relative fetch in a module that imports Node (a server module, its base URL set elsewhere) is reported
    {
      code: `import fs from "node:fs";
export async function push(path: string) {
  const res = await fetch("/api/push", { method: "POST", body: fs.readFileSync(path) });
  if (!res.ok) throw new Error("push failed");
  return res.json();
}`,
      filename: "lib/push.ts",
      errors: [{ messageId: "unconsumedResponse", line: 3, column: 21, suggestions: [{ messageId: "cancelBody", output: `import fs from "node:fs";
export async function push(path: string) {
  const res = await fetch("/api/push", { method: "POST", body: fs.readFileSync(path) });
  if (!res.ok) { await res.body?.cancel(); throw new Error("push failed"); }
  return res.json();
}` }] }],
    },
    // miss (llamacoder app/api/create-chat/route.ts): the client is built in a helper defined inside the POST handler
    {
      code: `import Together from "together-ai";
export async function POST(request: Request) {
  const body = await request.json();
  const describe = async () => {
    const together = new Together();
    return together.chat.completions.create({ model: "m", messages: [{ role: "user", content: body.prompt }] });
  };
  const r = await describe();
  return Response.json(r);
}`,
      filename: "app/api/create-chat/route.ts",
      errors: [{ messageId: "clientPerUnit", line: 5, column: 22, data: { client: "new Together()", unit: "in the exported POST route handler (once per request)" } }],
    },
    // miss (paperless-ai services/chatService.js): a service method that streams to the server response `res` runs once per request
    {
      code: `const { OpenAI } = require("openai");
class ChatService {
  async sendMessageStream(documentId, userMessage, res) {
    res.setHeader("Content-Type", "text/event-stream");
    const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });
    const stream = await openai.chat.completions.create({ model: "gpt-4", messages: [{ role: "user", content: userMessage }], stream: true });
    for await (const chunk of stream) res.write(chunk.choices[0]?.delta?.content ?? "");
    res.end();
  }
}
module.exports = new ChatService();`,
      filename: "services/chatService.js",
      errors: [{ messageId: "clientPerUnit", line: 5, column: 20, data: { client: "new OpenAI()", unit: "in a function that writes the response `res` (once per request)" } }],
    },
    // miss: any function handed the request (`req: NextRequest`), not only a default export
    {
      code: `import OpenAI from "openai";
import type { NextRequest } from "next/server";
async function answer(req: NextRequest) {
  const client = new OpenAI();
  return client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: await req.text() }] });
}
export const POST = (req: NextRequest) => answer(req);`,
      filename: "app/api/answer/route.ts",
      errors: [{ messageId: "clientPerUnit", line: 4, column: 18, data: { client: "new OpenAI()", unit: "in a function that takes the request (once per request)" } }],
    },
  ],
});
