/**
 * The fuzzer's Python reproducers (test/fixtures/fuzz/py-silent-loss-*.py: 1,000–1,500 nested
 * calls, once silently empty): each file carries a lying canary function, so its finding must
 * come back — a silent loss here is a regression of the deep-file handling in rules/python/.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lintPythonFiles } from "../../rules/python/lint.js";

const dir = path.resolve(__dirname, "../fixtures/fuzz");
const files = fs.readdirSync(dir).filter((f) => f.endsWith(".py")).map((f) => path.join(dir, f));

describe("fuzz reproducers (Python)", () => {
  it("there are reproducers to run", () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });
  for (const file of files) {
    it(`${path.basename(file)} keeps its canary finding`, async () => {
      const [r] = await lintPythonFiles([file], { cwd: dir });
      expect(r.messages.map((m) => `${m.ruleId}:${/call_ollama_fuzz_canary\(\)/.test(m.message)}`)).toContain("ghostwatch/honest-llm-names:true");
    });
  }
});
