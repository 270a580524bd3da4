#!/usr/bin/env node
/**
 * Bench: the four LLM-call rules together (require-llm-temperature, require-llm-schema,
 * require-llm-max-tokens, no-cloud-llm) as a share of parse time. ESLint's `stats: true` gives
 * per-file parse time and per-rule time. Lints the repo's own TypeScript, or GW_BENCH_DIR (e.g. a
 * corpus of LLM apps/SDK examples) when set, a few rounds. Figures, not asserts. Needs the build.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import tsParser from "@typescript-eslint/parser";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const names = ["require-llm-temperature", "require-llm-schema", "require-llm-max-tokens", "no-cloud-llm"];
const rules = {};
for (const n of names) rules[n] = (await import(path.join(root, `dist/rules/${n}.js`))).default;

const dir = process.env.GW_BENCH_DIR ? path.resolve(process.env.GW_BENCH_DIR) : root;
const globs = process.env.GW_BENCH_DIR ? ["**/*.ts", "**/*.tsx", "**/*.mts"] : ["rules/**/*.ts", "server/**/*.ts", "test/**/*.ts", "examples/**/*.ts"];
const rounds = Number(process.env.GW_BENCH_ROUNDS ?? 3);

const eslint = new ESLint({
  cwd: dir,
  errorOnUnmatchedPattern: false,
  overrideConfigFile: true,
  ignore: false,
  stats: true,
  cache: false,
  overrideConfig: [
    {
      files: ["**/*.ts", "**/*.tsx", "**/*.mts"],
      ignores: ["**/*.d.ts", "**/node_modules/**", "dist/**"],
      linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: "off" },
      languageOptions: { parser: tsParser, sourceType: "module", ecmaVersion: "latest", parserOptions: { ecmaFeatures: { jsx: true } } },
      plugins: { ghostwatch: { rules } },
      rules: Object.fromEntries(names.map((n) => [`ghostwatch/${n}`, "warn"])),
    },
  ],
});

let parse = 0;
const time = Object.fromEntries(names.map((n) => [`ghostwatch/${n}`, 0]));
let files = 0;
const findings = Object.fromEntries(names.map((n) => [`ghostwatch/${n}`, 0]));
for (let r = 0; r < rounds; r++) {
  const results = await eslint.lintFiles(globs);
  for (const res of results) {
    if (r === 0) {
      files++;
      for (const m of res.messages) if (m.ruleId && m.ruleId in findings) findings[m.ruleId]++;
    }
    for (const pass of res.stats?.times?.passes ?? []) {
      parse += pass.parse?.total ?? 0;
      for (const id of Object.keys(time)) time[id] += pass.rules?.[id]?.total ?? 0;
    }
  }
}
const pct = (x) => `${((100 * x) / parse).toFixed(2)} %`;
const all = Object.values(time).reduce((a, b) => a + b, 0);
console.log(`llm-rules: ${path.relative(process.cwd(), dir) || "."} — ${files} files × ${rounds} rounds, parse ${parse.toFixed(0)} ms`);
for (const id of Object.keys(time)) console.log(`  ${id.replace("ghostwatch/", "").padEnd(24)} ${time[id].toFixed(1).padStart(8)} ms = ${pct(time[id]).padStart(7)} of parse, ${findings[id]} findings`);
console.log(`  all four                 ${all.toFixed(1).padStart(8)} ms = ${pct(all).padStart(7)} of parse (target ≤ 4 %)`);
