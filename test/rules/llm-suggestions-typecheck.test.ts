// issue 11 item 4: every temperature / max-tokens suggestion type-checks against the installed SDK.
// Each case lints a file inside a project whose node_modules holds an SDK at a given version, with a
// minimal .d.ts that mirrors the real SDK's request type for that version (no SDK is installed here),
// applies every suggestion, and type-checks the result with the TypeScript compiler (`noEmit`).
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { Linter } from "eslint";
import tsParser from "@typescript-eslint/parser";
import { describe, expect, it } from "vitest";
import plugin from "../../rules/index.js";
import { sdkProject, type FakePackage } from "./sdk-fixture.js";

// openai: ChatCompletionCreateParams (v5: max_tokens; v6: max_tokens deprecated, max_completion_tokens).
const openaiTypes = (v6: boolean) => `export interface ChatCompletionCreateParams {
  model: string;
  messages: Array<{ role: "system" | "user" | "assistant"; content: string }>;
  temperature?: number | null;
  ${v6 ? "/** @deprecated use max_completion_tokens */\n  " : ""}max_tokens?: number | null;
  max_completion_tokens?: number | null;
  reasoning_effort?: "low" | "medium" | "high" | null;
}
export default class OpenAI {
  constructor(opts?: { apiKey?: string; baseURL?: string });
  chat: { completions: { create(body: ChatCompletionCreateParams): Promise<unknown> } };
}
`;
// @anthropic-ai/sdk: MessageCreateParams (0.x has temperature; 1.x does not, per issue 11).
const anthropicTypes = (v1: boolean) => `export interface MessageCreateParams {
  model: string;
  max_tokens: number;
  messages: Array<{ role: "user" | "assistant"; content: string }>;
  ${v1 ? "" : "temperature?: number;"}
  thinking?: { type: "enabled"; budget_tokens: number } | { type: "disabled" };
}
export default class Anthropic {
  constructor(opts?: { apiKey?: string });
  messages: { create(body: MessageCreateParams): Promise<unknown> };
}
`;
// ollama: ChatRequest with Options.
const ollamaTypes = `export interface Options { temperature?: number; num_predict?: number; num_ctx?: number }
export interface ChatRequest { model: string; messages: Array<{ role: string; content: string }>; options?: Partial<Options>; think?: boolean; stream?: false }
declare const ollama: { chat(req: ChatRequest): Promise<unknown>; generate(req: { model: string; prompt: string; options?: Partial<Options> }): Promise<unknown> };
export default ollama;
`;

// ai (Vercel AI SDK): CallSettings (4.x: maxTokens; 5.x: maxOutputTokens, maxTokens removed).
const aiTypes = (v5: boolean) => `export interface CallSettings { temperature?: number; ${v5 ? "maxOutputTokens" : "maxTokens"}?: number }
export declare function generateText(opts: CallSettings & { model: unknown; prompt: string }): Promise<{ text: string }>;
`;
const aiOpenaiTypes = `export declare function openai(model: string): { modelId: string };
`;

function typeErrors(dir: string, file: string): string[] {
  const program = ts.createProgram([file], { noEmit: true, strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, skipLibCheck: true, types: [] });
  void dir;
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

function suggestionsApplied(code: string, filename: string, cwd: string): Array<{ rule: string; desc: string; output: string }> {
  const linter = new Linter({ configType: "flat", cwd });
  const messages = linter.verify(code, [{ files: ["**/*.ts"], languageOptions: { parser: tsParser as never } }, plugin.configs.strict as never], { filename });
  const out: Array<{ rule: string; desc: string; output: string }> = [];
  for (const m of messages) {
    if (!/require-llm-(?:temperature|max-tokens)$/.test(m.ruleId ?? "")) continue;
    for (const s of m.suggestions ?? []) out.push({ rule: m.ruleId ?? "", desc: s.desc, output: code.slice(0, s.fix.range[0]) + s.fix.text + code.slice(s.fix.range[1]) });
  }
  return out;
}

interface Case { name: string; packages: FakePackage[]; code: string; expect: string[] }
const CASES: Case[] = [
  {
    name: "openai 6.x: max_completion_tokens and temperature",
    packages: [{ name: "openai", version: "6.2.0", types: openaiTypes(true) }],
    code: `import OpenAI from "openai";\nconst client = new OpenAI();\nexport const ask = (q: string) => client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: q }] });\n`,
    expect: ["require-llm-max-tokens: Add `max_completion_tokens: 1024` to this call.", "require-llm-temperature: Add `temperature: 0` to this call."],
  },
  {
    name: "openai 5.x: max_tokens",
    packages: [{ name: "openai", version: "5.20.0", types: openaiTypes(false) }],
    code: `import OpenAI from "openai";\nconst client = new OpenAI();\nexport const ask = (q: string) => client.chat.completions.create({ model: "gpt-4o", temperature: 0, messages: [{ role: "user", content: q }] });\n`,
    expect: ["require-llm-max-tokens: Add `max_tokens: 1024` to this call."],
  },
  {
    name: "openai reasoning model: max_completion_tokens with room to reason, no temperature",
    packages: [{ name: "openai", version: "5.20.0", types: openaiTypes(false) }],
    code: `import OpenAI from "openai";\nconst client = new OpenAI();\nexport const ask = (q: string) => client.chat.completions.create({ model: "o4-mini", messages: [{ role: "user", content: q }] });\n`,
    expect: ["require-llm-max-tokens: Add `max_completion_tokens: 25000` to this call."],
  },
  {
    name: "@anthropic-ai/sdk 0.x: temperature",
    packages: [{ name: "@anthropic-ai/sdk", version: "0.71.0", types: anthropicTypes(false) }],
    code: `import Anthropic from "@anthropic-ai/sdk";\nconst a = new Anthropic();\nexport const ask = (q: string) => a.messages.create({ model: "claude-sonnet-4-5", max_tokens: 512, messages: [{ role: "user", content: q }] });\n`,
    expect: ["require-llm-temperature: Add `temperature: 0` to this call."],
  },
  {
    name: "@anthropic-ai/sdk 1.x: no temperature is demanded",
    packages: [{ name: "@anthropic-ai/sdk", version: "1.1.0", types: anthropicTypes(true) }],
    code: `import Anthropic from "@anthropic-ai/sdk";\nconst a = new Anthropic();\nexport const ask = (q: string) => a.messages.create({ model: "claude-sonnet-4-5", max_tokens: 512, messages: [{ role: "user", content: q }] });\n`,
    expect: [],
  },
  {
    name: "ollama: options.temperature and options.num_predict, into an existing options object",
    packages: [{ name: "ollama", version: "0.6.0", types: ollamaTypes }],
    code: `import ollama from "ollama";\nexport const ask = (q: string) => ollama.chat({ model: "llama3.2", messages: [{ role: "user", content: q }], options: { num_ctx: 4096 } });\n`,
    expect: ["require-llm-max-tokens: Add `options.num_predict: 1024` to this call.", "require-llm-temperature: Add `temperature: 0` to this call."],
  },
  {
    name: "ai 4.x: maxTokens",
    packages: [{ name: "ai", version: "4.3.16", types: aiTypes(false) }, { name: "@ai-sdk/openai", version: "1.3.22", types: aiOpenaiTypes }],
    code: `import { generateText } from "ai";\nimport { openai } from "@ai-sdk/openai";\nexport const ask = (q: string) => generateText({ model: openai("gpt-4o"), prompt: q });\n`,
    expect: ["require-llm-max-tokens: Add `maxTokens: 1024` to this call.", "require-llm-temperature: Add `temperature: 0` to this call."],
  },
  {
    name: "ai 5.x: maxOutputTokens",
    packages: [{ name: "ai", version: "5.0.8", types: aiTypes(true) }, { name: "@ai-sdk/openai", version: "2.0.5", types: aiOpenaiTypes }],
    code: `import { generateText } from "ai";\nimport { openai } from "@ai-sdk/openai";\nexport const ask = (q: string) => generateText({ model: openai("gpt-4o"), prompt: q });\n`,
    expect: ["require-llm-max-tokens: Add `maxOutputTokens: 1024` to this call.", "require-llm-temperature: Add `temperature: 0` to this call."],
  },
];

describe("LLM-parameter suggestions type-check against the installed SDK", () => {
  for (const c of CASES) {
    it(c.name, () => {
      const project = sdkProject(c.packages);
      const file = project.file("agent.ts");
      fs.writeFileSync(path.join(project.dir, "package.json"), JSON.stringify({ type: "module" }));
      expect(typeErrors(project.dir, (fs.writeFileSync(file, c.code), file)), "the original type-checks").toEqual([]);
      const applied = suggestionsApplied(c.code, file, project.dir);
      expect(applied.map((a) => `${a.rule.replace("ghostwatch/", "")}: ${a.desc}`).sort()).toEqual(c.expect);
      for (const a of applied) {
        fs.writeFileSync(file, a.output);
        expect(typeErrors(project.dir, file), `${a.desc}\n${a.output}`).toEqual([]);
      }
      fs.rmSync(project.dir, { recursive: true, force: true });
    });
  }
});
