import fs from "node:fs";
import path from "node:path";
import type { Hover } from "vscode-languageserver-protocol";
import { afterEach, describe, expect, it } from "vitest";
import { TestClient, copyFixture, uriOf, removeFixtureCopies } from "./helpers.js";

let client: TestClient | undefined;
afterEach(async () => {
  await client?.stop();
  client = undefined;
  removeFixtureCopies();
});

async function start(fixture: string) {
  const root = copyFixture(fixture);
  const c = (client = new TestClient({ root, progress: false, settings: { workspaceScan: false, debounceMs: 10 } }));
  await c.initialize();
  return { root, c };
}

async function hoverMs(c: TestClient, file: string, line: number, character: number): Promise<number> {
  const t = Date.now();
  await c.withTimeout("hover", c.request<Hover | null>("textDocument/hover", { textDocument: { uri: uriOf(file) }, position: { line, character } }), 10_000);
  return Date.now() - t;
}

describe("ghostwatch-lsp on bad input (SPEC §6)", () => {
  it("syntax errors mid-typing: last good diagnostics kept, right again once the file parses", async () => {
    const { root, c } = await start("zombie");
    const runner = path.join(root, "src/runner.ts");
    c.open(runner);
    const first = await c.waitFor("diagnostic", () => c.ours(runner)?.find((d) => d.message.startsWith("callOllama()")));
    const good = c.text(runner);
    // Typing an unfinished call: the file does not parse for a while.
    const broken = good.replace("const next = queue.shift();", "const next = queue.shift(;\n  if (");
    const vb = c.change(runner, broken);
    await new Promise((r) => setTimeout(r, 500));
    expect(c.ours(runner)?.find((d) => d.message.startsWith("callOllama()"))?.message).toBe(first.message);
    expect(c.diagnostics.get(uriOf(runner))!.version).toBeLessThan(vb); // nothing published for the broken text
    // Finished typing, and the lie removed: the diagnostic goes.
    c.change(runner, good.replace(/callOllama/g, "callRouterWithOllamaFallback"));
    await c.waitFor("clean", () => c.diagnostics.get(uriOf(runner))?.version === c.version(runner) && c.ours(runner)?.length === 0);

    // A file that never parsed at all gets diagnostics once it does.
    const broken2 = path.join(root, "src/broken.ts");
    const text = 'export async function callLocalModel(prompt: string) {\n  const r = await fetch("https://openrouter.ai/api/v1/chat/completions", { body: prompt\n';
    c.open(broken2, text);
    await new Promise((r) => setTimeout(r, 300));
    expect(c.ours(broken2) ?? []).toEqual([]);
    c.change(broken2, text + "  });\n  return r.json();\n}\n");
    const d = await c.waitFor("broken fixed", () => c.ours(broken2)?.[0]);
    expect(d.message).toContain("callLocalModel() claims a local model but reaches openrouter.ai (src/broken.ts:2)");
  });

  it("a 5 MB minified file and a binary file are skipped with a log message; the server stays responsive", async () => {
    const { root, c } = await start("zombie");
    const big = path.join(root, "src/bundle.js");
    const chunk = 'function a(){return fetch("https://api.groq.com/openai/v1/chat")}var b=1;';
    fs.writeFileSync(big, chunk.repeat(Math.ceil(5_000_000 / chunk.length)));
    const bin = path.join(root, "src/blob.ts");
    fs.writeFileSync(bin, Buffer.from([0, 1, 2, 255, 0, 66, 0, 0, 13, 10, 0, 7]));
    c.open(big);
    c.open(bin, fs.readFileSync(bin, "latin1"));
    const runner = path.join(root, "src/runner.ts");
    c.open(runner);
    await c.waitFor("skip logs", () => c.logs.some((l) => l.includes("bundle.js") && l.includes("larger than")) && c.logs.some((l) => l.includes("blob.ts") && l.includes("binary")));
    await c.waitFor("runner diagnostic", () => c.ours(runner)?.find((d) => d.message.startsWith("callOllama()")));
    expect(await hoverMs(c, big, 0, 10)).toBeLessThan(2000);
    expect(await hoverMs(c, runner, 8, 25)).toBeLessThan(2000);
    expect(c.proc.exitCode).toBeNull();
  });

  it("cyclic imports terminate and report the chain across the cycle", async () => {
    const { root, c } = await start("bad");
    const a = path.join(root, "src/a.ts");
    c.open(a);
    const d = await c.waitFor("askOllama", () => c.ours(a)?.find((x) => x.message.startsWith("askOllama()")));
    expect(d.message).toContain("askOllama() claims a local model but reaches api.groq.com (src/a.ts:8) before localhost:11434 (src/b.ts:5)");
  });

  it("1,000 edits in 10 s: hovers keep answering, and the final diagnostics match the final text", async () => {
    const { root, c } = await start("zombie");
    const runner = path.join(root, "src/runner.ts");
    c.open(runner);
    await c.waitFor("diagnostic", () => c.ours(runner)?.find((d) => d.message.startsWith("callOllama()")));
    const good = c.text(runner);
    const honest = good.replace(/callOllama/g, "callRouterWithOllamaFallback");
    const hoverTimes: number[] = [];
    const started = Date.now();
    for (let i = 0; i < 1000; i++) {
      // Mix of honest text, lying text and half-typed text.
      const t = i % 3 === 0 ? honest : i % 3 === 1 ? good.replace("queue.shift();", "queue.shift(") : good;
      c.change(runner, i === 999 ? honest : t);
      if (i % 100 === 50) hoverTimes.push(await hoverMs(c, runner, 0, 0));
      const due = started + (i + 1) * 10;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(Math.max(...hoverTimes)).toBeLessThan(1500);
    await c.waitFor("final", () => c.diagnostics.get(uriOf(runner))?.version === c.version(runner) && c.ours(runner)?.length === 0, 20_000);
    // And one more edit back to the lie is reported.
    c.change(runner, good);
    await c.waitFor("lie again", () => c.diagnostics.get(uriOf(runner))?.version === c.version(runner) && c.ours(runner)?.find((d) => d.message.startsWith("callOllama()")));
  });
});
