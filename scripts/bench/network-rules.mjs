#!/usr/bin/env node
/**
 * Bench: cost of no-unclosed-http-client and require-request-timeout as a share of parse time.
 * ESLint's `stats: true` gives per-file parse time and per-rule time; we lint the repo's own
 * TypeScript (rules, server, tests, demo) plus any extra globs in GW_BENCH_GLOBS (comma-separated,
 * e.g. a corpus of SDK sources) a few rounds, and print the ratios. Figures, not asserts.
 * Needs the build (`npm run build`): the rules are loaded from dist/.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import tsParser from "@typescript-eslint/parser";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const { default: unclosed } = await import(path.join(root, "dist/rules/no-unclosed-http-client.js"));
const { default: timeout } = await import(path.join(root, "dist/rules/require-request-timeout.js"));

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
      ignores: ["**/*.d.ts", "**/node_modules/**", "dist/**"],
      linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: "off" },
      languageOptions: { parser: tsParser, sourceType: "module", ecmaVersion: "latest" },
      plugins: { ghostwatch: { rules: { "no-unclosed-http-client": unclosed, "require-request-timeout": timeout } } },
      rules: { "ghostwatch/no-unclosed-http-client": "error", "ghostwatch/require-request-timeout": ["warn", { checkSdkClients: true }] },
    },
  ],
});

let parse = 0;
const rule = { "ghostwatch/no-unclosed-http-client": 0, "ghostwatch/require-request-timeout": 0 };
let files = 0;
let findings = 0;
for (let r = 0; r < rounds; r++) {
  const results = await eslint.lintFiles(globs);
  for (const res of results) {
    if (r === 0) {
      files++;
      findings += res.messages.filter((m) => m.ruleId?.startsWith("ghostwatch/")).length;
    }
    for (const pass of res.stats?.times?.passes ?? []) {
      parse += pass.parse?.total ?? 0;
      for (const id of Object.keys(rule)) rule[id] += pass.rules?.[id]?.total ?? 0;
    }
  }
}
const pct = (x) => `${((100 * x) / parse).toFixed(2)} %`;
const both = rule["ghostwatch/no-unclosed-http-client"] + rule["ghostwatch/require-request-timeout"];
console.log(`network-rules: ${files} files × ${rounds} rounds, parse ${parse.toFixed(0)} ms, findings ${findings}`);
console.log(`  no-unclosed-http-client  ${rule["ghostwatch/no-unclosed-http-client"].toFixed(1)} ms = ${pct(rule["ghostwatch/no-unclosed-http-client"])} of parse`);
console.log(`  require-request-timeout  ${rule["ghostwatch/require-request-timeout"].toFixed(1)} ms = ${pct(rule["ghostwatch/require-request-timeout"])} of parse`);
console.log(`  both                     ${both.toFixed(1)} ms = ${pct(both)} of parse (target ≤ 3 %)`);
