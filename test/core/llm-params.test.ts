import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { requiredParams, type ParamQuery } from "../../rules/core/llm-params.js";
import { clearVersionCache, installedVersion, majorOf } from "../../rules/core/sdk-version.js";

const q = (over: Partial<ParamQuery>): ParamQuery => ({ shape: "openai", api: "chat.completions.create", settings: new Map(), complete: true, ...over });

describe("requiredParams (the one decision for TS/JS and Python)", () => {
  it("an ordinary call must set temperature and a budget, spelled for its API", () => {
    const d = requiredParams(q({ sdkPackage: "openai", model: "gpt-4o" }));
    expect(d.temperature).toEqual({ state: "missing", insertPath: ["temperature"] });
    expect(d.budget).toEqual({ state: "missing", insertPath: ["max_tokens"], key: "max_tokens", suggested: 1024 });
    expect(d.reasoning).toBe(false);
  });

  it("reads settings by dotted path, and an incomplete request is unknown, never missing", () => {
    const set = requiredParams(q({ shape: "ollama", api: "chat", settings: new Map([["options.temperature", 0], ["options.num_predict", 64]]) }));
    expect(set.temperature).toMatchObject({ state: "set", value: 0, path: "options.temperature" });
    expect(set.budget).toMatchObject({ state: "set", path: "options.num_predict" });
    const unknown = requiredParams(q({ complete: false }));
    expect(unknown.temperature.state).toBe("unknown");
    expect(unknown.budget.state).toBe("unknown");
  });

  it("openai 6.x names max_completion_tokens; 5.x and an unknown version keep max_tokens", () => {
    expect(requiredParams(q({ sdkPackage: "openai", sdkVersion: "6.0.1" })).budget.key).toBe("max_completion_tokens");
    expect(requiredParams(q({ sdkPackage: "openai", sdkVersion: "5.9.0" })).budget.key).toBe("max_tokens");
    expect(requiredParams(q({ sdkPackage: "openai" })).budget.key).toBe("max_tokens");
    // groq-sdk is not openai: its own table row (none) applies
    expect(requiredParams(q({ sdkPackage: "groq-sdk", sdkVersion: "6.0.0" })).budget.key).toBe("max_tokens");
  });

  it("@anthropic-ai/sdk 1.x has no temperature on messages.create; 0.x has; unknown is not demanded", () => {
    const a = (sdkVersion?: string) => requiredParams(q({ shape: "anthropic", api: "messages.create", sdkPackage: "@anthropic-ai/sdk", sdkVersion, settings: new Map([["max_tokens", 100]]) }));
    expect(a("1.0.0").temperature.state).toBe("exempt");
    expect(a("0.71.0").temperature.state).toBe("missing");
    expect(a(undefined).temperature.state).toBe("exempt");
    // the Python SDK (`anthropic`) has no row: demanded
    expect(requiredParams(q({ shape: "anthropic", api: "messages.create", sdkPackage: "anthropic" })).temperature.state).toBe("missing");
  });

  it("thinking and reasoning calls: no temperature, a budget with room for the reasoning", () => {
    for (const settings of [new Map([["think", true]]), new Map<string, unknown>([["thinking", undefined], ["thinking.type", "enabled"], ["thinking.budget_tokens", 30000]]), new Map([["reasoning_effort", "low"]])] as Map<string, never>[]) {
      const d = requiredParams(q({ settings }));
      expect(d.reasoning).toBe(true);
      expect(d.temperature.state).toBe("exempt");
      expect(d.budget.state).toBe("missing");
      expect(d.budget.suggested).toBeGreaterThanOrEqual(25_000);
    }
    expect(requiredParams(q({ settings: new Map([["thinking.type", "enabled"], ["thinking.budget_tokens", 30000]]) })).budget.suggested).toBe(31_024);
    // think: false / thinking disabled is an ordinary call
    expect(requiredParams(q({ settings: new Map([["think", false]]) })).temperature.state).toBe("missing");
    expect(requiredParams(q({ settings: new Map([["thinking.type", "disabled"]]) })).temperature.state).toBe("missing");
    // by model id
    expect(requiredParams(q({ model: "o3-mini" })).budget.key).toBe("max_completion_tokens");
  });

  it("image and video generation need neither", () => {
    for (const over of [{ model: "x/flux2-klein" }, { model: "dall-e-3" }, { model: "gemini-2.5-flash-image" }, { readsImage: true }, { outputModalities: ["IMAGE"] }]) {
      const d = requiredParams(q(over));
      expect(d.temperature.state).toBe("exempt");
      expect(d.budget.state).toBe("exempt");
    }
    expect(requiredParams(q({ model: "llama3.2", outputModalities: ["TEXT", "IMAGE"] })).temperature.state).toBe("missing");
  });

  it("clients with a bounded default budget are not 'without a budget'", () => {
    const lc = (className: string, sdkPackage: string) => requiredParams(q({ shape: "langchain", api: `new ${className}`, className, sdkPackage })).budget.state;
    expect(lc("ChatAnthropic", "@langchain/anthropic")).toBe("exempt");
    expect(lc("ChatAnthropic", "langchain_anthropic")).toBe("exempt");
    expect(lc("ChatOpenAI", "@langchain/openai")).toBe("missing");
  });
});

describe("installedVersion", () => {
  it("reads the nearest node_modules, walking up, cached per folder", () => {
    clearVersionCache();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "gw-ver-"));
    const pkg = path.join(root, "node_modules", "@anthropic-ai", "sdk");
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, "package.json"), JSON.stringify({ version: "1.4.0" }));
    fs.mkdirSync(path.join(root, "a", "b"), { recursive: true });
    expect(installedVersion(path.join(root, "a", "b", "x.ts"), "@anthropic-ai/sdk")).toBe("1.4.0");
    expect(installedVersion(path.join(root, "a", "b", "x.ts"), "openai")).toBeUndefined();
    // cached: a later change is not seen until the cache is cleared
    fs.writeFileSync(path.join(pkg, "package.json"), JSON.stringify({ version: "2.0.0" }));
    expect(installedVersion(path.join(root, "a", "y.ts"), "@anthropic-ai/sdk")).toBe("1.4.0");
    expect(installedVersion("relative.ts", "openai")).toBeUndefined();
    expect(majorOf("v6.1.0")).toBe(6);
    expect(majorOf("latest")).toBeUndefined();
    fs.rmSync(root, { recursive: true, force: true });
  });
});
