import { RuleTester } from "@typescript-eslint/rule-tester";
import rule from "../../rules/require-llm-schema.js";

const ruleTester = new RuleTester();
const OPENAI = `import OpenAI from "openai";\nconst client = new OpenAI();\n`;
const GENERIC_FIX = "e.g. `Schema.parse(JSON.parse(…))` (zod, valibot, ajv…), or let the provider enforce one (`response_format: json_schema` + `strict: true`, zodResponseFormat)";

ruleTester.run("require-llm-schema", rule, {
  valid: [
    // near-miss: JSON.parse of a config file
    `${OPENAI}import fs from "node:fs";\nconst cfg = JSON.parse(fs.readFileSync("config.json", "utf8"));\nconsole.log(cfg.model);`,
    // near-miss: JSON.parse of a stream frame (SSE lines of a model HTTP response)
    `const res = await fetch("http://localhost:11434/api/chat", { method: "POST", body: JSON.stringify({ model: "llama3", messages: [] }) });\nconst reader = res.body!.getReader();\nfor (;;) {\n  const { done, value } = await reader.read();\n  if (done) break;\n  const frame = JSON.parse(new TextDecoder().decode(value));\n  process.stdout.write(frame.message.content);\n}`,
    // near-miss: request bodies in a server route
    `${OPENAI}export async function POST(req: Request) {\n  const body = JSON.parse(await req.text());\n  return client.chat.completions.create({ model: "gpt-4o", messages: body.messages });\n}`,
    // zod parse around the JSON.parse
    `${OPENAI}import { z } from "zod";\nconst Plan = z.object({ steps: z.array(z.string()) });\nconst r = await client.chat.completions.create({ model: "gpt-4o", messages: [] });\nconst plan = Plan.parse(JSON.parse(r.choices[0].message.content ?? "{}"));\nconsole.log(plan.steps);`,
    // near-miss: zod safeParse then a checked branch
    `${OPENAI}import { z } from "zod";\nconst Plan = z.object({ steps: z.array(z.string()) });\nconst r = await client.chat.completions.create({ model: "gpt-4o", messages: [] });\nconst raw = JSON.parse(r.choices[0].message.content ?? "{}");\nconst checked = Plan.safeParse(raw);\nif (!checked.success) throw new Error("bad plan");\nconsole.log(checked.data.steps);`,
    // valibot, ajv, TypeBox, arktype, a validate*/is* guard
    `${OPENAI}import * as v from "valibot";\nconst r = await client.chat.completions.create({ model: "gpt-4o", messages: [] });\nconst out = v.parse(Schema, JSON.parse(r.choices[0].message.content!));`,
    `${OPENAI}import Ajv from "ajv";\nconst validate = new Ajv().compile(schema);\nconst r = await client.chat.completions.create({ model: "gpt-4o", messages: [] });\nconst data = JSON.parse(r.choices[0].message.content!);\nif (!validate(data)) throw new Error("invalid");\nuse(data.x);`,
    `${OPENAI}import { Value } from "@sinclair/typebox/value";\nconst r = await client.chat.completions.create({ model: "gpt-4o", messages: [] });\nconst data = JSON.parse(r.choices[0].message.content!);\nif (!Value.Check(T, data)) throw new Error("invalid");\nuse(data.x);`,
    `${OPENAI}import { type } from "arktype";\nconst User = type({ name: "string" });\nconst r = await client.chat.completions.create({ model: "gpt-4o", messages: [] });\nconst out = User(JSON.parse(r.choices[0].message.content!));`,
    `${OPENAI}const r = await client.chat.completions.create({ model: "gpt-4o", messages: [] });\nconst data = JSON.parse(r.choices[0].message.content!);\nif (!isPlan(data)) throw new Error("invalid");\nrun(data.steps);`,
    // provider-enforced schemas
    `${OPENAI}import { zodResponseFormat } from "openai/helpers/zod";\nconst r = await client.chat.completions.create({ model: "gpt-4o", messages: [], response_format: zodResponseFormat(Plan, "plan") });\nconst plan = JSON.parse(r.choices[0].message.content!);\nrun(plan.steps);`,
    `${OPENAI}const r = await client.chat.completions.create({ model: "gpt-4o", messages: [], response_format: { type: "json_schema", json_schema: { name: "p", strict: true, schema: {} } } });\nrun(JSON.parse(r.choices[0].message.content!).steps);`,
    `import ollama from "ollama";\nconst r = await ollama.chat({ model: "llama3", messages: [], format: planSchema });\nrun(JSON.parse(r.message.content).steps);`,
    `import { generateObject } from "ai";\nimport { openai } from "@ai-sdk/openai";\nconst { object } = await generateObject({ model: openai("gpt-4o"), schema: Plan, prompt: "x" });\nrun(object.steps);`,
    // strict function tools; zodFunction tools; Responses-API tools
    `${OPENAI}await client.chat.completions.create({ model: "gpt-4o", messages: [], tools: [{ type: "function", function: { name: "f", strict: true, parameters: { type: "object", properties: {}, additionalProperties: false } } }] });`,
    `${OPENAI}import { zodFunction } from "openai/helpers/zod";\nawait client.chat.completions.create({ model: "gpt-4o", messages: [], tools: [zodFunction({ name: "f", parameters: P })] });`,
    `${OPENAI}await client.responses.create({ model: "gpt-4.1", input: "x", tools: [{ type: "function", name: "f", parameters: { type: "object" }, strict: false }] });`,
    // a helper returning the parsed value as unknown: its caller validates
    `${OPENAI}async function askJson(p: string): Promise<unknown> {\n  const r = await client.chat.completions.create({ model: "gpt-4o", messages: [] });\n  return JSON.parse(r.choices[0].message.content ?? "null");\n}\nexport async function plan() {\n  const out = Plan.parse(await askJson("x"));\n  return out.steps;\n}`,
    // parsed but unused (only checks that it is JSON)
    `${OPENAI}const r = await client.chat.completions.create({ model: "gpt-4o", messages: [] });\ntry { JSON.parse(r.choices[0].message.content!); } catch { console.log("not json"); }`,
    // hand-written shape check with an early exit
    `${OPENAI}const r = await client.chat.completions.create({ model: "gpt-4o", messages: [] });\nconst data = JSON.parse(r.choices[0].message.content!);\nif (typeof data.answer !== "string") throw new Error("bad");\nconsole.log(data.answer);`,
    // JSON.parse of the HTTP envelope (not model text)
    `const res = await fetch("http://localhost:11434/api/generate", { method: "POST", body: JSON.stringify({ model: "llama3", prompt: "x", stream: false }) });\nconst env = JSON.parse(await res.text());\nconsole.log(env.response);`,
  ],
  invalid: [
    {
      // the recursion-storm: tool arguments straight into the SOAP call
      code: `${OPENAI}const r = await client.chat.completions.create({ model: "gpt-4o", messages: [] });\nfor (const call of r.choices[0].message.tool_calls ?? []) {\n  const args = JSON.parse(call.function.arguments);\n  soap.updateItem(args.ItemID);\n}`,
      errors: [{ messageId: "unvalidated", line: 5, column: 16, data: { what: "model output", source: "call.function.arguments", use: "read (.ItemID)", line: "6", fix: GENERIC_FIX, schema: "" } }],
    },
    {
      // completion text → JSON.parse → member access, with a zod schema in scope (suggestion)
      code: `${OPENAI}import { z } from "zod";\nconst Plan = z.object({ steps: z.array(z.string()) });\nconst r = await client.chat.completions.create({ model: "gpt-4o", messages: [] });\nconst plan = JSON.parse(r.choices[0].message.content!);\nrun(plan.steps);`,
      errors: [
        {
          messageId: "unvalidated",
          line: 6,
          column: 14,
          data: { what: "model output", source: "r.choices[0].message.content!", use: "read (.steps)", line: "7", fix: "e.g. `Plan.parse(JSON.parse(…))`", schema: "Plan" },
          suggestions: [{ messageId: "wrapInSchema", data: { what: "model output", source: "r.choices[0].message.content!", use: "read (.steps)", line: "7", fix: "e.g. `Plan.parse(JSON.parse(…))`", schema: "Plan" }, output: `${OPENAI}import { z } from "zod";\nconst Plan = z.object({ steps: z.array(z.string()) });\nconst r = await client.chat.completions.create({ model: "gpt-4o", messages: [] });\nconst plan = Plan.parse(JSON.parse(r.choices[0].message.content!));\nrun(plan.steps);` }],
        },
      ],
    },
    {
      // through a helper that returns the model's text; passed on
      code: `import Anthropic from "@anthropic-ai/sdk";\nconst a = new Anthropic();\nasync function ask(p: string): Promise<string> {\n  const m = await a.messages.create({ model: "claude-3-5-haiku-latest", max_tokens: 100, messages: [] });\n  const block = m.content[0];\n  return block.type === "text" ? block.text : "";\n}\nexport async function decide() {\n  const text = await ask("x");\n  execute(JSON.parse(text));\n}`,
      errors: [{ messageId: "unvalidated", line: 10, column: 11, data: { what: "model output", source: "text", use: "passed to execute()", line: "10", fix: GENERIC_FIX, schema: "" } }],
    },
    {
      // ollama-js chat result, destructured
      code: `import ollama from "ollama";\nconst r = await ollama.chat({ model: "llama3", messages: [], format: "json" });\nconst { action, path } = JSON.parse(r.message.content);`,
      errors: [{ messageId: "unvalidated", line: 3, column: 26, data: { what: "model output", source: "r.message.content", use: "destructured", line: "3", fix: GENERIC_FIX, schema: "" } }],
    },
    {
      // raw fetch: res.json() → choices[0].message.content → JSON.parse → returned as data
      code: `export async function plan(): Promise<Plan> {\n  const res = await fetch("https://openrouter.ai/api/v1/chat/completions", { method: "POST", body: JSON.stringify({ model: "x", messages: [] }) });\n  const data = await res.json();\n  return JSON.parse(data.choices[0].message.content);\n}`,
      errors: [{ messageId: "unvalidated", line: 4, column: 10, data: { what: "model output", source: "data.choices[0].message.content", use: "returned from plan() as data", line: "4", fix: GENERIC_FIX, schema: "" } }],
    },
    {
      // AI SDK generateText text
      code: `import { generateText } from "ai";\nimport { openai } from "@ai-sdk/openai";\nconst { text } = await generateText({ model: openai("gpt-4o"), prompt: "x" });\nconst out = { ...JSON.parse(text) };`,
      errors: [{ messageId: "unvalidated", line: 4, column: 18, data: { what: "model output", source: "text", use: "spread", line: "4", fix: GENERIC_FIX, schema: "" } }],
    },
    {
      // safeParse without checking .success
      code: `${OPENAI}const r = await client.chat.completions.create({ model: "gpt-4o", messages: [] });\nconst res = Plan.safeParse(JSON.parse(r.choices[0].message.content!));\nrun(res.data);`,
      errors: [{ messageId: "uncheckedSafeParse", line: 5, column: 5, data: { what: "model output", source: "r.choices[0].message.content!", use: "read (.data)", line: "5", fix: GENERIC_FIX, schema: "" } }],
    },
    {
      // tool arguments in a helper that receives the tool call (shape-based)
      code: `${OPENAI}export function runTool(tc: OpenAI.ChatCompletionMessageToolCall) {\n  const args = JSON.parse(tc.function.arguments);\n  return shell(args.command);\n}`,
      errors: [{ messageId: "unvalidated", line: 4, column: 16, data: { what: "tool-call arguments", source: "tc.function.arguments", use: "read (.command)", line: "5", fix: GENERIC_FIX, schema: "" } }],
    },
    {
      // a helper returning unknown defers to its callers, who do not validate
      code: `${OPENAI}async function askJson(): Promise<unknown> {\n  const r = await client.chat.completions.create({ model: "gpt-4o", messages: [] });\n  return JSON.parse(r.choices[0].message.content ?? "null");\n}\nexport async function plan() {\n  const out = (await askJson()) as { steps: string[] };\n  return out.steps;\n}`,
      errors: [{ messageId: "unvalidated", line: 5, column: 10, data: { what: "model output", source: "r.choices[0].message.content ?? \"null\"", use: "read (.steps)", line: "9", fix: GENERIC_FIX, schema: "" } }],
    },
    {
      // raw JSON-schema function tool without strict; json_object without a schema
      code: `${OPENAI}await client.chat.completions.create({\n  model: "gpt-4o",\n  messages: [],\n  response_format: { type: "json_object" },\n  tools: [{ type: "function", function: { name: "rm", parameters: { type: "object", properties: { path: { type: "string" } } } } }],\n});`,
      errors: [
        { messageId: "jsonObjectNoSchema", line: 6, column: 20, data: { api: "chat.completions.create" } },
        { messageId: "toolNotStrict", line: 7, column: 11, data: { api: "chat.completions.create", name: "\"rm\"" } },
      ],
    },
  ],
});

// ── Accuracy classes (../shared/accuracy/misses.md V1–V4, X1): each miss reported, its near-miss clean. ──
const unv = (line: number, column: number, what: string, source: string, use: string, useLine: number) => ({ messageId: "unvalidated" as const, line, column, data: { what, source, use, line: String(useLine), fix: GENERIC_FIX, schema: "" } });
const RUN_TOOL = (parse: string) => `import OpenAI from "openai";
const ai = new OpenAI({ timeout: 20_000 });
declare function lookupPrice(args: { sku: string }): Promise<number>;
declare const PriceArgs: { parse(x: unknown): { sku: string } };
export async function answer(q: string) {
  const runner = ai.chat.completions.runTools({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: q }],
    tools: [
      {
        type: "function",
        function: { name: "lookup_price", parameters: { type: "object", properties: { sku: { type: "string" } } }, function: lookupPrice, parse: ${parse} },
      },
    ],
  });
  return runner.finalContent();
}`;
const TABLE = (strict: string) => `import type OpenAI from "openai";
export const TOOLS: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  { type: "function", function: { name: "close_issue",${strict} parameters: { type: "object", properties: { id: { type: "number" } } } } },
];`;
ruleTester.run("require-llm-schema (accuracy classes)", rule, {
  valid: [
    // V1 near-miss: `.arguments` of a plain record
    `import type OpenAI from "openai";\nexport function jobArgs(job: { name: string; arguments: string }): string[] {\n  const argv = JSON.parse(job.arguments);\n  return argv.map(String);\n}`,
    // V2 near-miss: tool calls of the stored history re-encoded for another API
    `import type OpenAI from "openai";\ninterface StoredMessage { role: string; toolCalls?: { id: string; function: { name: string; arguments: string } }[] }\nexport function toWire(m: StoredMessage) {\n  return { role: m.role, tool_calls: (m.toolCalls ?? []).map((tc) => ({ id: tc.id, function: { name: tc.function.name, arguments: JSON.parse(tc.function.arguments) } })) };\n}`,
    // V3 near-miss: a runTools tool whose parse validates with a schema
    RUN_TOOL("(s: string) => PriceArgs.parse(JSON.parse(s))"),
    // V4 near-miss: the same table with strict: true
    TABLE(" strict: true,"),
    // X1 near-misses: a chat-room client ({ user, text }), and the port's output validated before use
    `interface Room { send(messages: { user: string; text: string }[]): Promise<{ content: string }> }\nexport async function roomTheme(room: Room): Promise<string> {\n  const r = await room.send([{ user: "bot", text: "settings?" }]);\n  return JSON.parse(r.content).theme;\n}`,
    `import type { ChatLlm } from "./llm-port";\ndeclare function execute(name: string, args: unknown): Promise<void>;\ndeclare const Plan: { parse(x: unknown): { steps: { name: string; args: unknown }[] } };\nexport async function planSafely(llm: ChatLlm, goal: string): Promise<void> {\n  const reply = await llm.chat([{ role: "user", content: goal }]);\n  const parsed = Plan.parse(JSON.parse(reply.content));\n  for (const s of parsed.steps) await execute(s.name, s.args);\n}`,
  ],
  invalid: [
    {
      // V1: helpers that receive the function-call object itself (typed by the SDK)
      code: `import type { ChatCompletionMessageToolCall } from "openai/resources/chat/completions";\nimport type { ChatCompletionMessage } from "openai/resources/chat";\ndeclare function bookFlight(from: string, to: string): Promise<string>;\nexport async function runFunction(fn: ChatCompletionMessageToolCall.Function): Promise<string> {\n  const args = JSON.parse(fn.arguments);\n  return bookFlight(args.from, args.to);\n}\nexport async function runLegacyFunction(legacy: ChatCompletionMessage.FunctionCall): Promise<string> {\n  const args = JSON.parse(legacy.arguments);\n  return bookFlight(args.from, args.to);\n}`,
      errors: [unv(5, 16, "function-call arguments", "fn.arguments", "read (.from)", 6), unv(9, 16, "function-call arguments", "legacy.arguments", "read (.from)", 10)],
    },
    {
      // V2: tool calls of a streamed *response* delta, parsed and handed on in new objects
      code: `import type { ChatCompletionChunk } from "openai/resources/chat/completions";\nexport function toolRequestsOf(choice: ChatCompletionChunk.Choice) {\n  return (choice.delta.tool_calls ?? []).map((tc) => ({\n    id: tc.id ?? "",\n    input: JSON.parse(tc.function!.arguments!) as Record<string, unknown>,\n  }));\n}`,
      errors: [unv(5, 12, "tool-call arguments", "tc.function!.arguments!", "stored in { input }", 5)],
    },
    {
      // V3: a runTools tool with a raw JSON schema, no strict, and parse: JSON.parse
      code: RUN_TOOL("JSON.parse"),
      errors: [{ messageId: "toolNotStrict", line: 10, column: 7, data: { api: "chat.completions.runTools", name: "\"lookup_price\"" } }],
    },
    {
      // V4: a tool table typed as Chat Completions tools that no call in this file receives
      code: TABLE(""),
      errors: [{ messageId: "toolTableNotStrict", line: 3, column: 3, data: { table: "TOOLS", name: "\"close_issue\"" } }],
    },
    {
      // X1: the completion text of the project's own LLM port, parsed and acted upon unvalidated
      code: `import type { ChatLlm } from "./llm-port";\ndeclare function execute(name: string, args: unknown): Promise<void>;\nexport async function plan(llm: ChatLlm, goal: string): Promise<void> {\n  const reply = await llm.chat([{ role: "user", content: \`Plan for \${goal}\` }]);\n  const parsed = JSON.parse(reply.content);\n  for (const s of parsed.steps) await execute(s.name, s.args);\n}`,
      errors: [unv(5, 18, "model output", "reply.content", "read (.steps)", 6)],
    },
  ],
});

// Dev-set classes (eval 2026-12-03): Realtime / Responses / Agents function-call items carry
// `.arguments` directly, often in files that import no SDK (a WebRTC or WebSocket client).
ruleTester.run("require-llm-schema (function-call items without an SDK import)", rule, {
  valid: [
    // validated before use
    `import { z } from "zod";\nconst Args = z.object({ city: z.string() });\nexport function run(toolCall: any) {\n  const a = Args.parse(JSON.parse(toolCall.arguments));\n  return a.city;\n}`,
    // `arguments` of something that is not a function call (a CLI job) is not model output
    `export function run(job: { arguments: string }) {\n  const a = JSON.parse(job.arguments);\n  return a.city;\n}`,
    // no JSON.parse of arguments at all
    `export function show(toolCall: { name: string; arguments: string }) {\n  return toolCall.arguments.length;\n}`,
  ],
  invalid: [
    {
      // keep: realtime-console style, destructured in a component
      code: `export function FunctionCallOutput({ functionCallOutput }: any) {\n  const { theme, colors } = JSON.parse(functionCallOutput.arguments);\n  return [theme, colors.length];\n}`,
      errors: [{ messageId: "unvalidated", line: 2, column: 29, data: { what: "function-call arguments", source: "functionCallOutput.arguments", use: "destructured", line: "2", fix: GENERIC_FIX, schema: "" } }],
    },
    {
      // keep: Agents SDK guardrail, `toolCall.arguments` read
      code: `export const guard = { run: async ({ toolCall }: any) => {\n  const toolArgs = JSON.parse(toolCall.arguments);\n  return toolArgs.city.toLowerCase() === "tokyo";\n} };`,
      errors: [{ messageId: "unvalidated", line: 2, column: 20, data: { what: "function-call arguments", source: "toolCall.arguments", use: "read (.city)", line: "3", fix: GENERIC_FIX, schema: "" } }],
    },
  ],
});
