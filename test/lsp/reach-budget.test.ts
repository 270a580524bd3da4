/**
 * The cold cost of a first lint whose reach pulls in a large SDK is bounded (issue 15): each
 * validation pass may spend a budget on analysing files it has not seen; the rest continues in
 * the background (facts are cached, so every pass gets further) until the diagnostics equal an
 * unbounded server's. Real server over stdio on a generated 400-file call chain.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { TestClient, uriOf } from "./helpers.js";

const clients: TestClient[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.stop();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** agent.ts: callOllama() → step399() → … → step0() → fetch(api.openai.com), one file per step. */
function sdkWorkspace(n: number): { root: string; agent: string } {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "gw-lsp-sdk-")));
  dirs.push(root);
  fs.mkdirSync(path.join(root, "src/sdk"), { recursive: true });
  fs.writeFileSync(path.join(root, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, module: "esnext", moduleResolution: "bundler" }, include: ["src"] }));
  fs.writeFileSync(
    path.join(root, "src/sdk/m0.ts"),
    `export async function step0(prompt: string): Promise<string> {\n  const r = await fetch("https://api.openai.com/v1/chat/completions", { method: "POST", body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: prompt }], temperature: 0, max_tokens: 100 }), signal: AbortSignal.timeout(5000) });\n  const j = (await r.json()) as { choices: Array<{ message: { content: string } }> };\n  return j.choices[0]!.message.content;\n}\n`,
  );
  for (let i = 1; i < n; i++) {
    const filler = Array.from({ length: 6 }, (_, k) => `export function helper${i}_${k}(s: string): string {\n  let out = s;\n  for (let j = 0; j < ${k + 2}; j++) out = out.trim() + "${k}";\n  return out;\n}\n`).join("\n");
    fs.writeFileSync(path.join(root, `src/sdk/m${i}.ts`), `import { step${i - 1} } from "./m${i - 1}";\n\nexport async function step${i}(prompt: string): Promise<string> {\n  return step${i - 1}(prompt);\n}\n\n${filler}`);
  }
  const agent = path.join(root, "src/agent.ts");
  fs.writeFileSync(agent, `import { step${n - 1} } from "./sdk/m${n - 1}";\n\nexport async function callOllama(prompt: string): Promise<string> {\n  return step${n - 1}(prompt);\n}\n`);
  return { root, agent };
}

describe("ghostwatch-lsp reach budget", () => {
  it("a tiny budget: the first diagnostics come at once, later passes continue in the background and converge to the unbounded result", async () => {
    const { root, agent } = sdkWorkspace(400);
    const unbounded = new TestClient({ root, progress: false, settings: { workspaceScan: false }, env: { GHOSTWATCH_REACH_BUDGET_MS: "0" } });
    clients.push(unbounded);
    await unbounded.initialize();
    unbounded.open(agent);
    const full = await unbounded.waitFor("the unbounded result", () => unbounded.diagnostics.get(uriOf(agent))?.diagnostics, 60_000);
    const lie = full.find((d) => d.code === "ghostwatch/honest-llm-names");
    expect(lie?.message).toMatch(/^callOllama\(\) claims a local model but reaches api\.openai\.com/);
    expect(lie?.range.start).toEqual({ line: 2, character: 22 });

    const bounded = new TestClient({ root, progress: false, settings: { workspaceScan: false }, env: { GHOSTWATCH_REACH_BUDGET_MS: "5" } });
    clients.push(bounded);
    await bounded.initialize();
    bounded.open(agent);
    const first = await bounded.waitFor("the first publish", () => bounded.publishes.find((p) => p.uri === uriOf(agent)), 30_000);
    expect(first.diagnostics.some((d) => d.code === "ghostwatch/honest-llm-names"), "the first pass did not get to the end of the chain").toBe(false);
    const converged = await bounded.waitFor(
      "the bounded server to converge",
      () => {
        const d = bounded.diagnostics.get(uriOf(agent))?.diagnostics;
        return d?.some((x) => x.code === "ghostwatch/honest-llm-names") ? d : undefined;
      },
      60_000,
    );
    const strip = (ds: typeof full) => ds.map(({ data: _d, ...rest }) => rest);
    expect(strip(converged)).toEqual(strip(full));
    expect(bounded.publishes.filter((p) => p.uri === uriOf(agent)).length, "several bounded passes").toBeGreaterThan(2);
    expect(bounded.logs.filter((l) => l.includes("spent its 5 ms budget") && l.includes("agent.ts"))).toHaveLength(1);
  }, 120_000);
});
