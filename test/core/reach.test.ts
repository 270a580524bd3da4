import { parse } from "@typescript-eslint/typescript-estree";
import type { TSESTree } from "@typescript-eslint/utils";
import { describe, expect, it } from "vitest";
import { buildFileFacts, type FileFacts } from "../../rules/core/file-facts.js";
import { formatChain, reachOf, type ModuleResolver } from "../../rules/core/reach.js";

function facts(code: string, file = "/p/src/a.ts"): FileFacts {
  const ast = parse(code, { range: true, loc: true, comment: true, tokens: true }) as TSESTree.Program;
  return buildFileFacts(ast, file);
}
function chain(f: FileFacts, name: string, resolver?: ModuleResolver): string[] {
  const fn = f.functions.find((x) => x.name === name);
  if (!fn) throw new Error(`no function ${name}`);
  return reachOf(f, fn, resolver).map((h) => `${h.route.label}@${h.at.line}`);
}

const OR = "https://openrouter.ai/api/v1/chat/completions";
const GROQ = "https://api.groq.com/openai/v1/chat/completions";

describe("reachOf", () => {
  it("lists routes in source order through same-file calls, with the evidence line", () => {
    const f = facts(`const OLLAMA = "http://localhost:11434/api/chat";
function groq() { return fetch("${GROQ}"); }
function router() { return fetch("${OR}").catch(groq); }
export function ask() { return router() ?? fetch(OLLAMA); }`);
    expect(chain(f, "ask")).toEqual(["openrouter.ai@3", "api.groq.com@2", "localhost:11434@1"]);
    expect(formatChain(reachOf(f, f.fnByName.get("ask")!))).toBe("reaches: openrouter.ai → api.groq.com → localhost:11434");
  });

  it("follows this.method() and this.field inside a class", () => {
    const f = facts(`import Groq from "groq-sdk";
class A {
  client = new Groq();
  run() { return this.inner(); }
  inner() { return this.client.chat.completions.create({}); }
}`);
    expect(chain(f, "run")).toEqual(["api.groq.com@3"]);
  });

  it("reads SDK constructors: OpenAI with baseURL is the server it points at", () => {
    const f = facts(`import OpenAI from "openai";
import { Ollama } from "ollama";
const BASE = "http://localhost:11434/v1";
function a() { return new OpenAI({ baseURL: BASE }); }
function b() { return new OpenAI(); }
function c() { return new Ollama({ host: "https://ollama.com" }); }
function d() { return new OpenAI({ baseURL: process.env.OPENROUTER_BASE_URL }); }
function e(opts: object) { return new OpenAI(opts); }`);
    expect(chain(f, "a")).toEqual(["localhost:11434@4"]);
    expect(chain(f, "b")).toEqual(["api.openai.com@5"]);
    expect(chain(f, "c")).toEqual(["ollama.com@6"]);
    expect(chain(f, "d")).toEqual(["openrouter.ai@7"]);
    const e = f.functions.find((x) => x.name === "e")!;
    expect(reachOf(f, e)[0].route.unresolved).toBe(true);
  });

  it("reads CommonJS requires (compiled TypeScript)", () => {
    const f = facts(`"use strict";
const ollama_1 = require("@langchain/ollama");
const groq_sdk_1 = __importDefault(require("groq-sdk"));
function local() { return new ollama_1.ChatOllama({ model: "llama3" }); }
function remote() { return new groq_sdk_1.default(); }`);
    expect(chain(f, "local")).toEqual(["localhost:11434@4"]);
    expect(chain(f, "remote")).toEqual(["api.groq.com@5"]);
  });

  it("is correct for mutually recursive functions whichever is asked first", () => {
    const code = `function a(n: number): unknown { return n ? b(n - 1) : fetch("${OR}"); }
function b(n: number): unknown { return n ? a(n - 1) : fetch("${GROQ}"); }
function c(): unknown { return c(); }`;
    // Inside a cycle every member reaches every route of the cycle (order within a cycle is not meaningful).
    const both = ["api.groq.com@2", "openrouter.ai@1"];
    const f1 = facts(code);
    expect(chain(f1, "a")).toEqual(["api.groq.com@2", "openrouter.ai@1"]);
    expect(chain(f1, "b").sort()).toEqual(both);
    const f2 = facts(code);
    expect(chain(f2, "b")).toEqual(["openrouter.ai@1", "api.groq.com@2"]);
    expect(chain(f2, "a").sort()).toEqual(both);
    expect(chain(f2, "c")).toEqual([]);
  });

  it("follows a 2,000-deep call chain to its end", () => {
    const n = 2000;
    const lines = [`function f0() { return f1(); }`];
    for (let i = 1; i < n; i++) lines.push(`function f${i}() { return f${i + 1}(); }`);
    lines.push(`function f${n}() { return fetch("${OR}"); }`);
    const f = facts(lines.join("\n"));
    const t = Date.now();
    expect(chain(f, "f0")).toEqual([`openrouter.ai@${n + 1}`]);
    for (const fn of f.functions) reachOf(f, fn);
    expect(Date.now() - t).toBeLessThan(5000);
  });

  it("follows imports through a ModuleResolver, cycles between files included", () => {
    const files = new Map<string, FileFacts>();
    files.set("/p/src/router.ts", facts(`import { local } from "./agent.js";
export function callRouter() { return fetch("${OR}") ?? local(); }`, "/p/src/router.ts"));
    files.set("/p/src/agent.ts", facts(`import { callRouter } from "./router.js";
import * as r from "./router.js";
export function local() { return fetch("http://localhost:11434/api/chat"); }
export function ask() { return callRouter(); }
export function ask2() { return r.callRouter(); }`, "/p/src/agent.ts"));
    const resolver: ModuleResolver = { resolve: (_from, source) => files.get(`/p/src/${source.replace(/^\.\//, "").replace(/\.js$/, ".ts")}`) };
    const agent = files.get("/p/src/agent.ts")!;
    expect(chain(agent, "ask", resolver)).toEqual(["openrouter.ai@2", "localhost:11434@3"]);
    expect(chain(agent, "ask2", resolver)).toEqual(["openrouter.ai@2", "localhost:11434@3"]);
    expect(chain(agent, "ask")).toEqual([]); // no resolver: same file only
  });

  it("survives a minified multi-megabyte file: analysis costs less than parsing it", () => {
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < 2_200_000; i++) {
      const p = `function a${i}(b,c){var d=b+c;return d>${i}?a${i + 1}(d,c):"${i % 97 === 0 ? OR : "x"}"+d}`;
      parts.push(p);
      size += p.length + 1;
    }
    parts.push(`function callLocal(){return a0(1,2)}`);
    const code = parts.join(";");
    expect(code.length).toBeGreaterThan(2_000_000);
    let t = performance.now();
    const ast = parse(code, { range: true, loc: true, comment: true, tokens: true }) as TSESTree.Program;
    const parseMs = performance.now() - t;
    t = performance.now();
    const f = buildFileFacts(ast, "/p/dist/app.min.js");
    // a0 → a1 → … → a30000: one chain as deep as the file is long.
    expect(reachOf(f, f.fnByName.get("callLocal")!).map((h) => `${h.route.label}@${h.at.line}`)).toEqual(["openrouter.ai@1"]);
    for (const fn of f.functions) reachOf(f, fn);
    const oursMs = performance.now() - t;
    expect(oursMs).toBeLessThan(parseMs);
  }, 240_000);
});
