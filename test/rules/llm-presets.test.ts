// issue 11 item 3 / T4: `recommended` does not report the LLM-parameter rules in tests, mocks and
// fixture / codemod folders; `strict` keeps them. Real ESLint (flat Linter) with the real presets.
import { Linter } from "eslint";
import tsParser from "@typescript-eslint/parser";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import plugin from "../../rules/index.js";
import { isTestOrFixturePath } from "../../rules/core/test-files.js";

const CODE = `import { generateText } from "ai";\ndeclare const model: any;\nawait generateText({ model, prompt: "Hello", maxSteps: 3 });\n`;

function lint(preset: "recommended" | "strict", filename: string): string[] {
  const linter = new Linter({ configType: "flat", cwd: "/repo" });
  const messages = linter.verify(CODE, [{ files: ["**/*.ts"], languageOptions: { parser: tsParser as never } }, plugin.configs[preset] as never], { filename });
  return messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`).sort();
}

describe("presets and test files", () => {
  const both = ["3:7 ghostwatch/require-llm-max-tokens", "3:7 ghostwatch/require-llm-temperature"];
  it("recommended is silent in fixtures, codemod inputs, tests and mocks", () => {
    for (const f of ["/repo/__testfixtures__/t4-codemod-fixture.input.ts", "/repo/src/__fixtures__/a.ts", "/repo/src/agent.test.ts", "/repo/src/agent.spec.ts", "/repo/tests/agent.ts", "/repo/src/__mocks__/ai.ts", "/repo/e2e/chat.ts", "/repo/test/fixtures/x.ts", "/repo/examples/tools/calculator.ts"]) {
      expect(lint("recommended", f), f).toEqual([]);
    }
  });
  it("keep-T4: recommended still reports production code, strict reports everywhere", () => {
    expect(lint("recommended", "/repo/src/agent.ts")).toEqual(both);
    expect(lint("recommended", "/repo/src/testing-utils.ts")).toEqual(both);
    expect(lint("strict", "/repo/__testfixtures__/t4-codemod-fixture.input.ts")).toEqual(both);
    expect(lint("strict", "/repo/src/agent.test.ts")).toEqual(both);
  });
  it("folders above the working directory do not count", () => {
    expect(isTestOrFixturePath("/home/me/tests/app/src/agent.ts", "/home/me/tests/app")).toBe(false);
    expect(isTestOrFixturePath("/home/me/tests/app/test/agent.ts", "/home/me/tests/app")).toBe(true);
    expect(isTestOrFixturePath("src/fixtures.ts", "/x")).toBe(false);
  });
  it("an example that is a project of its own (a manifest below examples/) is linted; loose example snippets are not", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "gw-examples-"));
    try {
      fs.mkdirSync(path.join(root, "examples", "deep-research", "lib"), { recursive: true });
      fs.writeFileSync(path.join(root, "examples", "deep-research", "package.json"), "{}");
      fs.mkdirSync(path.join(root, "examples", "chatbot"), { recursive: true });
      fs.writeFileSync(path.join(root, "examples", "chatbot", "pyproject.toml"), "[project]\n");
      fs.mkdirSync(path.join(root, "examples", "snippets"), { recursive: true });
      fs.writeFileSync(path.join(root, "examples", "package.json"), "{}"); // the examples folder's own manifest: still snippets
      expect(isTestOrFixturePath(path.join(root, "examples", "deep-research", "lib", "agent.ts"), root)).toBe(false);
      expect(isTestOrFixturePath(path.join(root, "examples", "chatbot", "chatbot.py"), root)).toBe(false);
      expect(isTestOrFixturePath(path.join(root, "examples", "snippets", "chat.ts"), root)).toBe(true);
      expect(isTestOrFixturePath(path.join(root, "examples", "chat.ts"), root)).toBe(true);
      // a test folder inside an example app stays quiet
      expect(isTestOrFixturePath(path.join(root, "examples", "deep-research", "tests", "a.ts"), root)).toBe(true);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

// maxTemperatureScope: recommended bounds an explicit temperature only where the answer is machine-consumed; strict everywhere.
describe("presets and maxTemperatureScope", () => {
  const run = (preset: "recommended" | "strict", code: string) =>
    new Linter({ configType: "flat", cwd: "/repo" })
      .verify(code, [{ files: ["**/*.ts"], languageOptions: { parser: tsParser as never } }, plugin.configs[preset] as never], { filename: "/repo/src/chat.ts" })
      .filter((m) => m.ruleId === "ghostwatch/require-llm-temperature")
      .map((m) => `${m.line}:${m.column} ${m.messageId}`);
  const chat = (extra: string) => `import OpenAI from "openai";\nconst c = new OpenAI();\nawait c.chat.completions.create({ model: "gpt-4o", messages: [], max_tokens: 9, ${extra}temperature: 0.7 });\n`;
  it("a free-text chat with an explicit 0.7: clean in recommended, reported in strict (keep-*)", () => {
    expect(run("recommended", chat(""))).toEqual([]);
    expect(run("strict", chat(""))).toEqual(["3:94 tooHigh"]);
  });
  it("the same 0.7 with response_format json_schema is reported in recommended", () => {
    expect(run("recommended", chat('response_format: { type: "json_schema", json_schema: { name: "x", schema: {} } }, '))).toEqual(["3:176 tooHigh"]);
  });
  it("a missing temperature is reported in both", () => {
    const missing = `import OpenAI from "openai";\nconst c = new OpenAI();\nawait c.chat.completions.create({ model: "gpt-4o", messages: [], max_tokens: 9 });\n`;
    expect(run("recommended", missing)).toEqual(["3:26 missing"]);
    expect(run("strict", missing)).toEqual(["3:26 missing"]);
  });
});
