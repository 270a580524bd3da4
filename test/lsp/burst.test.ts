/**
 * Edit bursts (issue 15): 200 back-to-back `didChange`s of one document must be coalesced to
 * the newest version — validated far fewer than 200 times, the final diagnostics published
 * within 500 ms of the last edit, and equal to what a fresh server says about the final text.
 * Real server over stdio (dist/server/lsp.js), real JSON-RPC client.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { TestClient, copyFixture, removeFixtureCopies, uriOf } from "./helpers.js";

const clients: TestClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.stop();
  removeFixtureCopies();
});

/** runner.ts plus ~100 lines of loops and fetches, so one lint costs what a real module costs (tens of ms). */
export function burstText(original: string, i: number): string {
  const filler: string[] = [];
  for (let k = 0; k < 12; k++) {
    filler.push(
      `export async function poll${k}(url: string): Promise<number> {`,
      `  let n = 0;`,
      `  for (let j = 0; j < 10; j++) {`,
      `    const r = await fetch(url + "/" + j, { signal: AbortSignal.timeout(5000) });`,
      `    if (r.ok) n++;`,
      `  }`,
      `  return n;`,
      `}`,
    );
  }
  // Versions differ in where the lie is (leading blank lines), so a stale publish shows.
  return "\n".repeat(i % 5) + original + "\n" + filler.join("\n") + `\n// edit ${i}\n`;
}

const norm = (ds: Array<{ range: unknown; message: string; code?: unknown; severity?: unknown }>) =>
  ds.map((d) => ({ range: d.range, message: d.message, code: d.code, severity: d.severity })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe("ghostwatch-lsp edit bursts", () => {
  it("200 back-to-back edits: validated far fewer than 200 times, final diagnostics within 500 ms, equal to a fresh server's", async () => {
    const root = copyFixture("zombie");
    const runner = path.join(root, "src/runner.ts");
    const original = fs.readFileSync(runner, "utf8");
    const client = new TestClient({ root, progress: false, settings: { workspaceScan: false }, env: { GHOSTWATCH_LSP_TRACE: "1" } });
    clients.push(client);
    await client.initialize();
    client.open(runner, burstText(original, 0));
    await client.waitFor("first diagnostics", () => client.ours(runner)?.some((d) => d.message.startsWith("callOllama()")));
    // Warm: a few isolated edits so the measured burst is not the cold first lint.
    for (let i = 1; i <= 3; i++) {
      const v = client.change(runner, burstText(original, i));
      await client.waitFor(`warm ${i}`, () => client.diagnostics.get(uriOf(runner))?.version === v);
    }
    const before = client.publishes.length;
    let lastVersion = 0;
    let last = 0;
    for (let i = 4; i < 204; i++) {
      lastVersion = client.change(runner, burstText(original, i));
      last = performance.now();
    }
    const finalText = burstText(original, 203);
    const final = await client.waitFor("the final version's diagnostics", () => {
      const p = client.diagnostics.get(uriOf(runner));
      return p?.version === lastVersion ? p : undefined;
    }, 30_000);
    const delay = performance.now() - last;
    // Let any straggling validation of an older version show itself (there must be none after the final one).
    await new Promise((r) => setTimeout(r, 300));
    const burstPublishes = client.publishes.slice(before).filter((p) => p.uri === uriOf(runner));
    const validations = burstPublishes.length;
    expect(validations, `validations of the burst (publishes: ${burstPublishes.map((p) => p.version).join(",")})`).toBeLessThanOrEqual(20);
    expect(burstPublishes.at(-1)!.version, "nothing older is published after the final version").toBe(lastVersion);
    const versions = burstPublishes.map((p) => p.version ?? 0);
    expect([...versions].sort((a, b) => a - b), "versions only move forward").toEqual(versions);
    const trace = client.logs.filter((l) => /trace/.test(l)).slice(-3).join("\n");
    expect(delay, `final diagnostics ${delay.toFixed(0)} ms after the last edit; server trace:\n${trace}`).toBeLessThan(500);
    const lie = final.diagnostics.find((d) => d.code === "ghostwatch/honest-llm-names");
    expect(lie?.message).toMatch(/^callOllama\(\) claims a local model/);
    expect(lie?.range.start, "the lie where the final text has it (3 leading blank lines)").toEqual({ line: 11, character: 22 });

    // A fresh server on the final text says the same.
    const fresh = new TestClient({ root, progress: false, settings: { workspaceScan: false } });
    clients.push(fresh);
    await fresh.initialize();
    fresh.open(runner, finalText);
    const freshDiags = await fresh.waitFor("fresh diagnostics", () => fresh.diagnostics.get(uriOf(runner))?.diagnostics);
    expect(norm(final.diagnostics)).toEqual(norm(freshDiags));
    console.log(trace);
    console.log(`burst of 200: ${validations} validations, final diagnostics ${delay.toFixed(0)} ms after the last edit`);
  }, 90_000);
});
