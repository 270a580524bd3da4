import { Linter } from "eslint";
import tsParser from "@typescript-eslint/parser";
import type { TSESTree } from "@typescript-eslint/utils";
import { describe, expect, it } from "vitest";
import { findLlmCalls, type LlmFile } from "../../rules/core/llm-calls.js";
import { valueEnvOf, resolveValue, getPath } from "../../rules/core/values.js";

/** Run the recogniser inside a real ESLint pass (scope manager and all), return what it found. */
function analyse(code: string, probe?: (file: LlmFile, program: TSESTree.Program, env: ReturnType<typeof valueEnvOf>) => void): LlmFile {
  let out: LlmFile | undefined;
  const linter = new Linter({ configType: "flat" });
  linter.verify(code, [
    {
      files: ["**/*.ts"],
      languageOptions: { parser: tsParser },
      plugins: {
        t: {
          rules: {
            probe: {
              meta: { type: "problem", schema: [] },
              create(context) {
                return {
                  "Program:exit"(program: TSESTree.Program) {
                    const env = valueEnvOf(context as never);
                    out = findLlmCalls(program, env);
                    probe?.(out, program, env);
                  },
                };
              },
            },
          },
        },
      },
      rules: { "t/probe": "error" },
    },
  ], "file.ts");
  if (!out) throw new Error("probe did not run");
  return out;
}

const apis = (f: LlmFile) => f.calls.map((c) => `${c.shape}:${c.api}`);

describe("LLM-call recogniser", () => {
  it("recognises every SDK spelling by import source", () => {
    const f = analyse(`
      import OpenAI from "openai";
      import Anthropic from "@anthropic-ai/sdk";
      import ollama, { Ollama } from "ollama";
      import { generateText, streamText, generateObject, streamObject } from "ai";
      import { openai } from "@ai-sdk/openai";
      import { ChatOpenAI } from "@langchain/openai";
      import { GoogleGenAI } from "@google/genai";
      import { TokenJS } from "token.js";
      import axios from "axios";
      const o = new OpenAI(); const a = new Anthropic(); const l = new Ollama(); const g = new GoogleGenAI({}); const t = new TokenJS();
      o.chat.completions.create({}); o.chat.completions.parse({}); o.chat.completions.stream({}); o.chat.completions.runTools({});
      o.completions.create({}); o.responses.create({}); o.beta.chat.completions.parse({});
      a.messages.create({}); a.messages.stream({});
      ollama.chat({}); l.generate({});
      generateText({ model: openai("gpt-4o") }); streamText({}); generateObject({}); streamObject({});
      new ChatOpenAI({});
      g.models.generateContent({});
      t.chat.completions.create({});
      fetch("https://api.openai.com/v1/chat/completions", { body: JSON.stringify({ model: "x" }) });
      axios.post("http://localhost:11434/api/chat", { model: "x" });
    `);
    expect([...apis(f)].sort()).toEqual([
      "langchain:new ChatOpenAI",
      "openai:chat.completions.create", "openai:chat.completions.parse", "openai:chat.completions.stream", "openai:chat.completions.runTools",
      "openai:completions.create", "openai-responses:responses.create", "openai:beta.chat.completions.parse",
      "anthropic:messages.create", "anthropic:messages.stream",
      "ollama:ollama.chat", "ollama:ollama.generate",
      "ai-sdk:generateText", "ai-sdk:streamText", "ai-sdk:generateObject", "ai-sdk:streamObject",
      "google:models.generateContent",
      "openai:chat.completions.create",
      "openai:fetch",
      "ollama:axios.post",
    ].sort());
    // calls come in source order
    expect(f.calls.map((c) => c.node.range[0])).toEqual([...f.calls.map((c) => c.node.range[0])].sort((x, y) => x - y));
    expect(f.calls.find((c) => c.api === "generateText")?.client?.source).toBe("@ai-sdk/openai");
    expect(f.calls.find((c) => c.api.startsWith("axios"))?.shape).toBe("ollama");
  });

  it("returns the request object node and the client", () => {
    const f = analyse(`import OpenAI from "openai";\nconst c = new OpenAI({ baseURL: "http://localhost:11434/v1" });\nc.chat.completions.create({ model: "m", temperature: 0 });`);
    const call = f.calls[0];
    expect(call.request?.type).toBe("ObjectExpression");
    expect(call.client?.node.type).toBe("NewExpression");
    expect(call.settings && call.output).toBe(true);
  });

  it("does not take bare names from other libraries", () => {
    const f = analyse(`
      import { generateText } from "./text-utils";
      const client = { chat: { completions: { create: (x: unknown) => x } } };
      client.chat.completions.create({});
      const messages = { create: (x: unknown) => x };
      messages.create({});
      const store = { chat: (x: unknown) => x };
      store.chat({});
      generateText({});
      fetch("/api/chat", { method: "POST", body: JSON.stringify({ messages: [] }) });
    `);
    expect(f.calls).toEqual([]);
  });

  it("follows axios instances (const, class field, typed AxiosInstance) and this.field URLs only when the class gives one value", () => {
    const f = analyse(`
      import axios, { type AxiosInstance } from "axios";
      const api = axios.create({ baseURL: "https://openrouter.ai/api/v1" });
      api.post("chat/completions", { model: "x", messages: [] });
      class A {
        http = axios.create({ baseURL: "http://localhost:11434" });
        url = "/api/other";
        constructor(private readonly injected: AxiosInstance, cfg: { u?: string }) {
          this.chat = \`\${cfg.u ?? "http://localhost:11434"}/api/chat\`;
          this.twice = "http://localhost:11434/api/chat";
          this.twice = "http://localhost:11434/api/tags";
        }
        run() {
          this.http.post("/api/generate", { model: "m", prompt: "p" });
          this.injected.post(this.chat, { model: "m", messages: [] });
          this.injected.post(this.twice, { model: "m", messages: [] });
          this.http.get("/api/chat");
        }
      }
    `);
    expect(apis(f)).toEqual([
      "openai:axios.post",
      "ollama:axios.post",
      "ollama:axios.post",
    ]);
    expect(f.calls[0].via?.type).toBe("CallExpression");
    expect(f.calls[2].via).toBeUndefined();
  });

  it("skips files with no LLM import or path quickly and never throws on odd code", () => {
    expect(analyse(`const x = 1; function f() { return x; }`).calls).toEqual([]);
    expect(() => analyse(`import OpenAI from "openai"; new OpenAI().chat.completions.create(...[]); (0, o.chat).completions.create();`)).not.toThrow();
  });
});

describe("value resolution", () => {
  it("follows consts, spreads, parameter defaults and destructuring defaults; unknown otherwise", () => {
    const code = `
      const BASE = { temperature: 0, max_tokens: 5 };
      const MID = { ...BASE, temperature: 0.2 };
      function f(t = 0.3, { k = 7 }: { k?: number } = {}, u: number) { return [t, k, u]; }
      const req = { ...MID, extra: TEMP_FROM_ELSEWHERE };
      const partial = { ...unknownThing, a: 1 };
      let reassigned = 1; reassigned = 2;
      use(req, partial, reassigned);
    `;
    analyse(code, (_f, program, env) => {
      const decl = (name: string) => {
        for (const s of program.body) if (s.type === "VariableDeclaration") for (const d of s.declarations) if (d.id.type === "Identifier" && d.id.name === name) return d.id;
        throw new Error(name);
      };
      const req = resolveValue(decl("req"), env);
      const t = getPath(req, ["temperature"], env);
      expect(t.state === "present" && t.value.kind === "literal" && t.value.value).toBe(0.2);
      const mt = getPath(req, ["max_tokens"], env);
      expect(mt.state === "present" && mt.value.kind === "literal" && mt.value.value).toBe(5);
      expect(getPath(req, ["missing"], env).state).toBe("absent");
      const extra = getPath(req, ["extra"], env);
      expect(extra.state === "present" && extra.value.kind).toBe("unknown");
      expect(getPath(resolveValue(decl("partial"), env), ["temperature"], env).state).toBe("unknown");
      expect(resolveValue(decl("reassigned"), env).kind).toBe("unknown");
      const fn = program.body.find((s) => s.type === "FunctionDeclaration") as TSESTree.FunctionDeclaration;
      const ret = (fn.body.body[0] as TSESTree.ReturnStatement).argument as TSESTree.ArrayExpression;
      const [tv, kv, uv] = ret.elements.map((e) => resolveValue(e as TSESTree.Node, env));
      expect(tv.kind === "literal" && tv.value).toBe(0.3);
      expect(kv.kind === "literal" && kv.value).toBe(7);
      expect(uv.kind).toBe("unknown");
    });
  });
});
