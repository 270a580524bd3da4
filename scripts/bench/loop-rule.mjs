#!/usr/bin/env node
/**
 * Bench: cost of no-unbounded-loop as a share of parse time (ESLint `stats: true`: per-file
 * parse time and per-rule time). Lints the repo's own TypeScript plus any extra globs in
 * GW_BENCH_GLOBS (comma-separated absolute globs, e.g. an SDK corpus) a few rounds. The rule
 * runs alone, so the file facts it builds lazily (for same-file callees and reach) are charged
 * to it; in a preset they are shared with the other rules. Figures, not asserts.
 * Needs the build (`npm run build`): the rule is loaded from dist/.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import tsParser from "@typescript-eslint/parser";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const { default: loopRule } = await import(path.join(root, "dist/rules/no-unbounded-loop.js"));

const globs = ["rules/**/*.ts", "server/**/*.ts", "test/**/*.ts", "examples/**/*.ts", ...(process.env.GW_BENCH_GLOBS ? process.env.GW_BENCH_GLOBS.split(",") : [])];
const rounds = Number(process.env.GW_BENCH_ROUNDS ?? 3);

const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  ignore: false,
  stats: true,
  cache: false,
  overrideConfig: [
    {
      files: ["**/*.ts", "**/*.js", "**/*.mjs"],
      ignores: ["**/*.d.ts", "dist/**"],
      linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: "off" },
      languageOptions: { parser: tsParser, sourceType: "module", ecmaVersion: "latest" },
      plugins: { ghostwatch: { rules: { "no-unbounded-loop": loopRule } } },
      rules: { "ghostwatch/no-unbounded-loop": "warn" },
    },
  ],
});

let parse = 0;
let ruleMs = 0;
let files = 0;
let findings = 0;
for (let r = 0; r < rounds; r++) {
  const results = await eslint.lintFiles(globs);
  for (const res of results) {
    if (r === 0) {
      files++;
      findings += res.messages.filter((m) => m.ruleId === "ghostwatch/no-unbounded-loop").length;
    }
    for (const pass of res.stats?.times?.passes ?? []) {
      parse += pass.parse?.total ?? 0;
      ruleMs += pass.rules?.["ghostwatch/no-unbounded-loop"]?.total ?? 0;
    }
  }
}
console.log(`loop-rule: ${files} files × ${rounds} rounds, parse ${parse.toFixed(0)} ms, findings ${findings}`);
console.log(`  no-unbounded-loop  ${ruleMs.toFixed(1)} ms = ${((100 * ruleMs) / parse).toFixed(2)} % of parse (target ≤ 3 %)`);
