/**
 * Shared harness of the per-area rule benches (scripts/bench/*-rules.mjs, loop-rule.mjs): lint
 * with ESLint's `stats: true` a few rounds and print each rule's time as a share of parse time.
 * Lints the repo's own TypeScript (rules, server, tests, demo), or GW_BENCH_DIR (a corpus) when
 * set; GW_BENCH_ROUNDS rounds (default 3). Needs the build: rules are loaded from dist/.
 */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ESLint } from "eslint";
import tsParser from "@typescript-eslint/parser";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** @param {{ label: string, rules: Record<string, unknown>, targetPct: number }} o  rules: name → severity or [severity, options] */
export async function ruleShareOfParse({ label, rules, targetPct }) {
  const plugin = { rules: {} };
  for (const name of Object.keys(rules)) plugin.rules[name] = (await import(pathToFileURL(path.join(root, `dist/rules/${name}.js`)).href)).default;
  const dir = process.env.GW_BENCH_DIR ? path.resolve(process.env.GW_BENCH_DIR) : root;
  const globs = process.env.GW_BENCH_DIR ? ["**/*.ts", "**/*.tsx", "**/*.mts"] : ["rules/**/*.ts", "server/**/*.ts", "test/**/*.ts", "examples/**/*.ts"];
  const rounds = Number(process.env.GW_BENCH_ROUNDS ?? 3);
  const ids = Object.keys(rules).map((n) => `ghostwatch/${n}`);
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
        plugins: { ghostwatch: plugin },
        rules: Object.fromEntries(Object.entries(rules).map(([n, level]) => [`ghostwatch/${n}`, level])),
      },
    ],
  });
  let parse = 0;
  let files = 0;
  const time = Object.fromEntries(ids.map((id) => [id, 0]));
  const findings = Object.fromEntries(ids.map((id) => [id, 0]));
  for (let r = 0; r < rounds; r++) {
    for (const res of await eslint.lintFiles(globs)) {
      if (r === 0) {
        files++;
        for (const m of res.messages) if (m.ruleId && m.ruleId in findings) findings[m.ruleId]++;
      }
      for (const pass of res.stats?.times?.passes ?? []) {
        parse += pass.parse?.total ?? 0;
        for (const id of ids) time[id] += pass.rules?.[id]?.total ?? 0;
      }
    }
  }
  const pct = (x) => `${((100 * x) / parse).toFixed(2)} %`;
  const all = Object.values(time).reduce((a, b) => a + b, 0);
  console.log(`${label}: ${path.relative(process.cwd(), dir) || "."} — ${files} files × ${rounds} rounds, parse ${parse.toFixed(0)} ms`);
  for (const id of ids) console.log(`  ${id.replace("ghostwatch/", "").padEnd(24)} ${time[id].toFixed(1).padStart(8)} ms = ${pct(time[id]).padStart(7)} of parse, ${findings[id]} findings`);
  if (ids.length > 1) console.log(`  ${"together".padEnd(24)} ${all.toFixed(1).padStart(8)} ms = ${pct(all).padStart(7)} of parse (target ≤ ${targetPct} %)`);
  else console.log(`  target ≤ ${targetPct} %`);
}
