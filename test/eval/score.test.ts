import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error -- plain ESM module of the eval harness (scripts/eval), no type declarations
import { matchFindings, scopeFindings, countByRule, figures, ruleName, sample, orderSets, setTitle, setColumn } from "../../scripts/eval/score.mjs";

type Loc = { file: string; line: number; rule: string };

// A hand-made label set for one repository, and the findings a build might produce.
const hazards: Loc[] = [
  { file: "src/a.ts", line: 10, rule: "require-request-timeout" }, // found 2 lines later: TP
  { file: "src/a.ts", line: 20, rule: "require-request-timeout" }, // nearest finding is 3 lines away: FN
  { file: "src/a.ts", line: 30, rule: "no-unbounded-loop" }, // a finding of another rule on the same line does not count: FN
  { file: "src/b.ts", line: 5, rule: "require-llm-temperature" }, // two findings within ±2: the closer one matches, the other is an FP
  { file: "src/b.ts", line: 7, rule: "require-llm-temperature" }, // and this hazard takes the remaining one: TP
];
const findings = [
  { file: "src/a.ts", line: 12, rule: "require-request-timeout" },
  { file: "src/a.ts", line: 23, rule: "require-request-timeout" },
  { file: "src/a.ts", line: 30, rule: "require-llm-schema" },
  { file: "src/b.ts", line: 6, rule: "require-llm-temperature" },
  { file: "src/b.ts", line: 7, rule: "require-llm-temperature" },
  { file: "src/b.ts", line: 40, rule: "honest-llm-names" },
  { file: "src/b.ts", line: 40, rule: "honest-llm-names" }, // a second message at the same location: one location, one FP
  { file: "src/c.ts", line: 1, rule: "require-request-timeout" }, // outside scope: not counted
  { file: "src/a.ts", line: 1, rule: null }, // a parse error: not a rule finding
];
const scope = ["src/a.ts", "src/b.ts"];

describe("eval matcher", () => {
  it("keeps scored-rule findings in scope files only, one per location", () => {
    expect(scopeFindings(findings, scope).map((f: Loc) => `${f.file}:${f.line}`)).toEqual([
      "src/a.ts:12",
      "src/a.ts:23",
      "src/a.ts:30",
      "src/b.ts:6",
      "src/b.ts:7",
      "src/b.ts:40",
    ]);
  });

  it("pins TP, FN and FP (file and rule equal, |Δline| ≤ 2, each matched once, closest first)", () => {
    const m = matchFindings(hazards, scopeFindings(findings, scope));
    expect(m.tp.map((p: { hazard: Loc; finding: Loc }) => `${p.hazard.file}:${p.hazard.line}->${p.finding.line}`)).toEqual([
      "src/b.ts:7->7",
      "src/b.ts:5->6",
      "src/a.ts:10->12",
    ]);
    expect(m.fn.map((h: Loc) => `${h.file}:${h.line}:${h.rule}`)).toEqual([
      "src/a.ts:20:require-request-timeout",
      "src/a.ts:30:no-unbounded-loop",
    ]);
    expect(m.fp.map((f: Loc) => `${f.file}:${f.line}:${f.rule}`)).toEqual([
      "src/a.ts:23:require-request-timeout",
      "src/a.ts:30:require-llm-schema",
      "src/b.ts:40:honest-llm-names",
    ]);
  });

  it("counts per rule and computes recall/precision", () => {
    const c = countByRule(matchFindings(hazards, scopeFindings(findings, scope)));
    expect(c["require-request-timeout"]).toEqual({ tp: 1, fn: 1, fp: 1 });
    expect(c["require-llm-temperature"]).toEqual({ tp: 2, fn: 0, fp: 0 });
    expect(c["no-unbounded-loop"]).toEqual({ tp: 0, fn: 1, fp: 0 });
    expect(c["require-llm-schema"]).toEqual({ tp: 0, fn: 0, fp: 1 });
    expect(figures(c["require-request-timeout"])).toEqual({ tp: 1, fn: 1, fp: 1, recall: 0.5, precision: 0.5 });
    expect(figures(c["no-unbounded-loop"])).toEqual({ tp: 0, fn: 1, fp: 0, recall: 0, precision: null });
    expect(figures({ tp: 0, fn: 0, fp: 0 })).toEqual({ tp: 0, fn: 0, fp: 0, recall: null, precision: null });
  });

  it("strips the plugin prefix and draws reproducible samples", () => {
    expect(ruleName("ghostwatch/no-unbounded-loop")).toBe("no-unbounded-loop");
    expect(ruleName(null)).toBe(null);
    const items = Array.from({ length: 50 }, (_, i) => i);
    const a = sample(items, 5, 7);
    expect(a).toEqual(sample(items, 5, 7));
    expect(new Set(a).size).toBe(5);
    expect(a).not.toEqual(sample(items, 5, 8));
  });
});

describe("eval sets", () => {
  it("orders every set value apart: held-out sets newest first, other sets, dev last", () => {
    expect(orderSets(["dev", "heldout", "heldout2", "heldout", "dev"])).toEqual(["heldout2", "heldout", "dev"]);
    expect(orderSets(["heldout10", "heldout2", "smoke"])).toEqual(["heldout10", "heldout2", "heldout", "smoke", "dev"]);
    // heldout and dev keep their tables (and titles) even when only a new set is selected
    expect(orderSets(["heldout2"])).toEqual(["heldout2", "heldout", "dev"]);
    expect(setTitle("heldout")).toBe("HELD-OUT (scope files, hand-labelled hazards)");
    expect(setTitle("dev")).toBe("DEV (reported apart)");
    expect(setTitle("heldout2")).toBe("HELDOUT2 (scope files, hand-labelled hazards; reported apart)");
    expect(["heldout2", "heldout", "dev"].map(setColumn)).toEqual(["heldout2", "held-out", "dev"]);
  });

  it("every entry of every sets/*.json has its labels: same commit, hazards inside the scope", () => {
    const root = path.join(__dirname, "../../scripts/eval");
    const files = fs.readdirSync(path.join(root, "sets")).filter((n) => n.endsWith(".json"));
    expect(files).toEqual(expect.arrayContaining(["ts.json", "py.json", "ts2.json"]));
    const seen = new Map<string, Set<string>>();
    for (const f of files) {
      for (const e of JSON.parse(fs.readFileSync(path.join(root, "sets", f), "utf8"))) {
        // one repository may be labelled once per language: the second id carries a __<lang> suffix
        expect(e.id.replace(/__(py|ts)$/, "")).toBe(e.repo.replace("/", "__"));
        expect(e.commit).toMatch(/^[0-9a-f]{40}$/);
        const labels = JSON.parse(fs.readFileSync(path.join(root, "labels", `${e.id}.json`), "utf8"));
        expect(labels.commit).toBe(e.commit);
        expect(labels.beforeRunningRules).toBe(true);
        for (const h of [...labels.hazards, ...(labels.clean ?? [])]) expect(e.scope).toContain(h.file);
        if (!seen.has(e.set)) seen.set(e.set, new Set());
        seen.get(e.set)!.add(e.id);
      }
    }
    expect([...seen.keys()].sort()).toEqual(["dev", "heldout", "heldout2"]);
    // the new held-out set shares no repository with the earlier sets
    for (const id of seen.get("heldout2")!) {
      expect(seen.get("heldout")!.has(id)).toBe(false);
      expect(seen.get("dev")!.has(id)).toBe(false);
    }
  });
});
