// The package as a user gets it: `npm pack`, installed with eslint + typescript-eslint into a
// scratch project, linted by the real `eslint` CLI with `ghostwatch.configs.recommended`.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
let dir: string;

interface Msg { ruleId: string; line: number; column: number; message: string }

function eslint(args: string[]): Array<{ filePath: string; messages: Msg[] }> {
  const r = spawnSync(process.execPath, [path.join(dir, "node_modules/eslint/bin/eslint.js"), "-f", "json", ...args], { cwd: dir, encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`eslint exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const router = `export async function callRouter(prompt: string) {
  const res = await fetch("https://openrouter.ai/api/v1/chat/completions", { method: "POST", body: prompt });
  return res.json();
}
`;

const sameFile = `async function viaGroq(prompt: string) {
  return fetch("https://api.groq.com/openai/v1/chat/completions", { method: "POST", body: prompt }).then((r) => r.json());
}

export async function callOllama(prompt: string) {
  const cloud = await viaGroq(prompt).catch(() => undefined);
  if (cloud) return cloud;
  return fetch("http://localhost:11434/api/generate", { method: "POST", body: prompt }).then((r) => r.json());
}

export async function callGroqWithOllamaFallback(prompt: string) {
  return callOllama(prompt);
}
`;

const crossFile = `import { callRouter } from "./router";

export async function askLocalModel(prompt: string) {
  const routed = await callRouter(prompt);
  if (routed) return routed;
  return fetch("http://127.0.0.1:11434/api/chat", { method: "POST", body: prompt }).then((r) => r.json());
}
`;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "ghostwatch-pack-"));
  const tgz = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: root, encoding: "utf8" }).trim().split("\n").pop()!;
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", path.join(dir, tgz), "eslint@^10", "typescript-eslint@^8.73.0", "typescript@~6.0.3"], { cwd: dir, stdio: "pipe", timeout: 240_000 });
  mkdirSync(path.join(dir, "src"));
  writeFileSync(path.join(dir, "src/agent.ts"), sameFile);
  writeFileSync(path.join(dir, "src/router.ts"), router);
  writeFileSync(path.join(dir, "src/runner.ts"), crossFile);
  writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, module: "ESNext", moduleResolution: "Bundler", target: "ES2022", noEmit: true }, include: ["src"] }));
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("npm pack → eslint CLI", () => {
  it("reports the lying callOllama with its chain and not the honest name (untyped)", () => {
    writeFileSync(
      path.join(dir, "eslint.config.js"),
      `import tseslint from "typescript-eslint";\nimport ghostwatch from "ghostwatch";\nexport default [{ files: ["**/*.ts"], languageOptions: { parser: tseslint.parser } }, ghostwatch.configs.recommended];\n`,
    );
    const results = eslint(["src/agent.ts"]);
    const msgs = results[0].messages.filter((m) => m.ruleId === "ghostwatch/honest-llm-names");
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatchObject({ line: 5, column: 23 });
    expect(msgs[0].message).toBe(
      "callOllama() claims a local model but reaches api.groq.com (src/agent.ts:2) before localhost:11434 (src/agent.ts:8). Rename it project-wide (e.g. callGroqWithOllamaFallback; your editor's Rename Symbol) or remove the other routes.",
    );
  });

  it("follows the router into another file in typed mode (projectService)", () => {
    writeFileSync(
      path.join(dir, "eslint.config.js"),
      `import tseslint from "typescript-eslint";\nimport ghostwatch from "ghostwatch";\nexport default [{ files: ["**/*.ts"], languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } }, ghostwatch.configs.recommended];\n`,
    );
    const results = eslint(["src/runner.ts"]);
    const msgs = results[0].messages.filter((m) => m.ruleId === "ghostwatch/honest-llm-names");
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatchObject({ line: 3, column: 23 });
    expect(msgs[0].message).toBe(
      "askLocalModel() claims a local model but reaches openrouter.ai (src/router.ts:2) before 127.0.0.1:11434 (src/runner.ts:6). Rename it project-wide (e.g. askRouterWithOllamaFallback; your editor's Rename Symbol) or remove the other routes.",
    );
  });

  it("sees no cross-file route without type information (same-file only)", () => {
    writeFileSync(
      path.join(dir, "eslint.config.js"),
      `import tseslint from "typescript-eslint";\nimport ghostwatch from "ghostwatch";\nexport default [{ files: ["**/*.ts"], languageOptions: { parser: tseslint.parser } }, ghostwatch.configs.recommended];\n`,
    );
    const results = eslint(["src/runner.ts"]);
    expect(results[0].messages.filter((m) => m.ruleId === "ghostwatch/honest-llm-names")).toEqual([]);
  });
});
