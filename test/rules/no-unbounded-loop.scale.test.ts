// Issue 15: `no-unbounded-loop` took 2.3 s on a file with 8,000 loops (the owner function of each
// loop was searched among all functions: quadratic). The analysis must stay linear in the number
// of loops; measured by the work counter (`loopWork`, visited nodes), not by a flaky timer.
import { Linter } from "eslint";
import tsParser from "@typescript-eslint/parser";
import { describe, expect, it } from "vitest";
import rule from "../../rules/no-unbounded-loop.js";
import { loopWork } from "../../rules/core/loops.js";

function file(n: number): string {
  const parts = ['import OpenAI from "openai";\nconst client = new OpenAI({ timeout: 30_000 });\ndeclare function sleep(ms: number): Promise<void>;\n'];
  for (let i = 0; i < n; i++) {
    parts.push(`export async function job${i}(q: string[]) {
  while (true) {
    try {
      await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: q.shift() ?? "" }], temperature: 0, max_tokens: 10 });
    } catch (e) {
      await sleep(1000 * 2 ** ${i % 5});
    }
    await sleep(5000);
  }
}
`);
  }
  return parts.join("");
}

function lint(n: number): { findings: number; work: number } {
  const linter = new Linter({ configType: "flat" });
  const before = loopWork.nodes;
  const msgs = linter.verify(file(n), [{ files: ["**/*.ts"], languageOptions: { parser: tsParser }, plugins: { g: { rules: { r: rule as never } } }, rules: { "g/r": "warn" } }], { filename: "file.ts" });
  return { findings: msgs.filter((m) => m.ruleId === "g/r").length, work: loopWork.nodes - before };
}

describe("no-unbounded-loop on a file with thousands of loops", () => {
  it("reports every loop and does linear work per loop", () => {
    const small = lint(250);
    const large = lint(2_000);
    // each loop: no exit, and a retry at a constant delay (`1000 * 2 ** k` is a product of literals)
    expect(small.findings).toBe(250 * 2);
    expect(large.findings).toBe(2_000 * 2);
    // 8× the loops: 8× the work (a quadratic search would be 64×)
    expect(large.work / small.work).toBeGreaterThan(7);
    expect(large.work / small.work).toBeLessThan(9);
  });
});
