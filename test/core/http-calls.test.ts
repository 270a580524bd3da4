import { describe, expect, it } from "vitest";
import { mayUseNetwork } from "../../rules/core/http-calls.js";

describe("network pre-filter", () => {
  it("admits files that fetch, open sockets or import a network module or LLM SDK", () => {
    expect(mayUseNetwork("const r = await fetch(url);")).toBe(true);
    expect(mayUseNetwork("const ws = new WebSocket(u);")).toBe(true);
    expect(mayUseNetwork('import https from "node:https";')).toBe(true);
    expect(mayUseNetwork("const { Agent } = require('undici');")).toBe(true);
    expect(mayUseNetwork('import OpenAI from "openai";')).toBe(true);
    expect(mayUseNetwork('import { ChatOpenAI } from "@langchain/openai/chat_models";')).toBe(true);
  });
  it("skips files that cannot create what the network rules check", () => {
    expect(mayUseNetwork('import path from "node:path";\nexport const prefetchable = (a: number) => a + 1;')).toBe(false);
    expect(mayUseNetwork('import { httpStatus } from "./codes";')).toBe(false);
  });
});
