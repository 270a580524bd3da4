// docs/python.md's examples are linted as tests: under a rule's `## <rule>` section, every
// ```python block below `### Incorrect` reports that rule, every block below `### Correct`
// reports nothing at all (strict preset; local-only for no-cloud-llm).
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { rules } from "../../rules/all-rules.js";
import { lintPythonText } from "../../rules/python/lint.js";
import { loadPythonParser } from "../../rules/python/parser.js";

const doc = fs.readFileSync(path.resolve(__dirname, "../../docs/python.md"), "utf8");

interface Example { rule: string; kind: "Incorrect" | "Correct"; code: string; line: number }

function examples(): Example[] {
  const out: Example[] = [];
  let rule: string | undefined;
  let kind: Example["kind"] | undefined;
  const lines = doc.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const h2 = /^## (\S+)\s*$/.exec(l);
    if (h2) {
      rule = h2[1] in rules ? h2[1] : undefined;
      kind = undefined;
      continue;
    }
    const h3 = /^### (Incorrect|Correct)\b/.exec(l);
    if (h3) {
      kind = h3[1] as Example["kind"];
      continue;
    }
    if (/^### /.test(l)) kind = undefined;
    if (l.startsWith("```python") && rule && kind) {
      const start = i + 1;
      let j = start;
      while (j < lines.length && !lines[j].startsWith("```")) j++;
      out.push({ rule, kind, code: lines.slice(start, j).join("\n") + "\n", line: start + 1 });
      i = j;
    }
  }
  return out;
}

beforeAll(async () => {
  await loadPythonParser();
});

describe("docs/python.md examples", () => {
  const all = examples();

  it("has Incorrect and Correct examples for every rule the Python front implements here", () => {
    const have = new Set(all.map((e) => `${e.rule}:${e.kind}`));
    for (const r of ["honest-llm-names", "require-llm-temperature", "require-llm-max-tokens", "require-llm-schema", "no-cloud-llm"]) {
      expect(have.has(`${r}:Incorrect`), `${r} Incorrect`).toBe(true);
      expect(have.has(`${r}:Correct`), `${r} Correct`).toBe(true);
    }
  });

  for (const e of all) {
    it(`${e.rule} ${e.kind} (docs/python.md:${e.line})`, () => {
      const r = lintPythonText(e.code, `/docs/example_${e.line}.py`, { preset: e.rule === "no-cloud-llm" ? "local-only" : "strict", cwd: "/docs" })!;
      const found = r.messages.map((m) => `${m.ruleId}:${m.line}: ${m.message}`);
      if (e.kind === "Incorrect") expect(r.messages.some((m) => m.ruleId === `ghostwatch/${e.rule}`), found.join("\n")).toBe(true);
      else expect(found).toEqual([]);
    });
  }
});
