#!/usr/bin/env node
/**
 * Bench: every Ghostwatch rule on ≥ 1,000 real TypeScript files no one here wrote — the `.ts`
 * sources that packages in node_modules ship (@azure/msal-*, secretlint, table, cheerio, …) plus
 * this repo's own TypeScript, and GW_BENCH_DIR (e.g. a corpus of LLM apps) when set.
 *
 *  1. Untyped: ESLint `stats: true`; Ghostwatch rule time (sum over ghostwatch/* rules, the
 *     recommended ones, and per rule) as a ratio of parse time. Target ≤ 0.10 for recommended.
 *  2. Typed (`parserOptions.projectService`): total ESLint wall time vs `tsc --noEmit` on the same
 *     files (both in a fresh Node process). Target ≤ 1.15 × tsc.
 *
 * The files are copied to a scratch folder with one tsconfig.json (so projectService and tsc see
 * the same program), removed at the end. Figures, not asserts. Needs the build (dist/).
 * Env: GW_BENCH_DIR (extra .ts files), GW_BENCH_ROUNDS (untyped rounds, default 2), GW_BENCH_TYPED=0 (skip 2).
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const require = createRequire(path.join(root, "package.json"));
const { ESLint } = require("eslint");
const tsParser = require("@typescript-eslint/parser");
const plugin = (await import(pathToFileURL(path.join(root, "dist/rules/index.js")).href)).default;

const TS_FILE = /\.(ts|mts|tsx)$/;
const DECL = /\.d\.[mc]?ts$/;

/** ESLint config: every Ghostwatch rule (typed-only rules only when typed). */
function config(typed, tmp) {
  const rules = {};
  for (const [name, rule] of Object.entries(plugin.rules)) {
    if (!typed && rule.meta?.docs?.requiresTypeChecking) continue;
    rules[`ghostwatch/${name}`] = "warn";
  }
  return [
    {
      files: ["**/*.ts", "**/*.mts", "**/*.tsx"],
      linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: "off" },
      languageOptions: {
        parser: tsParser,
        sourceType: "module",
        ecmaVersion: "latest",
        parserOptions: typed ? { projectService: true, tsconfigRootDir: tmp } : {},
      },
      plugins: { ghostwatch: plugin },
      rules,
    },
  ];
}

function lintOptions(typed, tmp) {
  return { cwd: tmp, overrideConfigFile: true, ignore: false, stats: true, cache: false, errorOnUnmatchedPattern: false, overrideConfig: config(typed, tmp) };
}

// ── Child mode: the typed lint, timed in a fresh process like tsc. ──
if (process.argv[2] === "--typed-child") {
  const tmp = process.argv[3];
  const t = performance.now();
  const eslint = new ESLint(lintOptions(true, tmp));
  const results = await eslint.lintFiles(["**/*.ts", "**/*.mts", "**/*.tsx"]);
  const s = sumStats(results);
  process.stdout.write(JSON.stringify({ ms: performance.now() - t, files: results.length, fatal: s.fatal, parse: s.parse, rules: s.total }) + "\n");
  process.exit(0);
}

function sumStats(results) {
  let parse = 0;
  let fatal = 0;
  const perRule = new Map();
  for (const r of results) {
    if (r.messages.some((m) => m.fatal)) fatal++;
    for (const pass of r.stats?.times?.passes ?? []) {
      parse += pass.parse?.total ?? 0;
      for (const [id, v] of Object.entries(pass.rules ?? {})) perRule.set(id, (perRule.get(id) ?? 0) + (v.total ?? 0));
    }
  }
  let total = 0;
  for (const v of perRule.values()) total += v;
  return { parse, fatal, perRule, total };
}

function collect(dir, out, skipDirs) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!skipDirs.has(e.name)) collect(p, out, skipDirs);
    } else if (e.isFile() && TS_FILE.test(e.name) && !DECL.test(e.name)) {
      try {
        if (statSync(p).size < 1_000_000) out.push(p);
      } catch {
        /* vanished */
      }
    }
  }
}

const fmtMs = (ms) => `${(ms / 1000).toFixed(2)} s`;
const ratio = (a, b) => (b > 0 ? (a / b).toFixed(3) : "n/a");

// ── Corpus ──
const sources = [];
collect(path.join(root, "node_modules"), sources, new Set([".bin", ".cache", ".vite", ".vitest"]));
for (const d of ["rules", "server", "examples", "test"]) collect(path.join(root, d), sources, new Set(["node_modules", "dist", "fixtures"]));
if (process.env.GW_BENCH_DIR) collect(path.resolve(process.env.GW_BENCH_DIR), sources, new Set(["dist"]));

const tmp = mkdtempSync(path.join(os.tmpdir(), "gw-bench-rules-"));
try {
  for (const src of sources) {
    const rel = path.relative(path.parse(src).root, src).replace(/(^|[\\/])node_modules([\\/])/g, "$1nm$2");
    const dst = path.join(tmp, "src", rel);
    mkdirSync(path.dirname(dst), { recursive: true });
    copyFileSync(src, dst);
  }
  writeFileSync(
    path.join(tmp, "tsconfig.json"),
    JSON.stringify(
      {
        compilerOptions: {
          target: "ES2022",
          module: "ESNext",
          moduleResolution: "Bundler",
          lib: ["ES2023", "DOM"],
          types: [],
          jsx: "preserve",
          strict: false,
          noEmit: true,
          skipLibCheck: true,
          allowImportingTsExtensions: true,
        },
        include: ["src/**/*.ts", "src/**/*.mts", "src/**/*.tsx"],
      },
      null,
      2,
    ),
  );
  const bytes = sources.reduce((n, f) => n + statSync(f).size, 0);
  console.log(`corpus: ${sources.length} TypeScript files (${(bytes / 1e6).toFixed(1)} MB) — node_modules sources + this repo${process.env.GW_BENCH_DIR ? " + GW_BENCH_DIR" : ""}`);
  console.log(`rules: ${Object.keys(plugin.rules).length} (${Object.keys(plugin.configs.recommended.rules ?? {}).length} in recommended); machine: ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}`);

  // ── 1. Untyped ──
  const rounds = Math.max(1, Number(process.env.GW_BENCH_ROUNDS ?? 2));
  let s;
  let files = 0;
  let wall = 0;
  for (let i = 0; i < rounds; i++) {
    const eslint = new ESLint(lintOptions(false, tmp));
    const t = performance.now();
    const results = await eslint.lintFiles(["**/*.ts", "**/*.mts", "**/*.tsx"]);
    wall = performance.now() - t;
    files = results.length;
    s = sumStats(results); // the last (warm) round is reported
  }
  const recommended = new Set(Object.keys(plugin.configs.recommended.rules ?? {}));
  let recTotal = 0;
  for (const [id, v] of s.perRule) if (recommended.has(id)) recTotal += v;
  console.log(`\nuntyped (round ${rounds} of ${rounds}): ${files} files linted, ${s.fatal} did not parse, wall ${fmtMs(wall)}`);
  console.log(`  parse time                      ${fmtMs(s.parse)}`);
  console.log(`  all ghostwatch rules            ${fmtMs(s.total)}   ratio to parse ${ratio(s.total, s.parse)}`);
  console.log(`  recommended rules               ${fmtMs(recTotal)}   ratio to parse ${ratio(recTotal, s.parse)}   (target ≤ 0.10)`);
  for (const [id, v] of [...s.perRule].sort((a, b) => b[1] - a[1])) {
    console.log(`    ${id.padEnd(44)} ${v.toFixed(0).padStart(7)} ms   ${ratio(v, s.parse)}${recommended.has(id) ? "" : "   (not in recommended)"}`);
  }

  // ── 2. Typed vs tsc ──
  if (process.env.GW_BENCH_TYPED !== "0") {
    const tscBin = require.resolve("typescript/bin/tsc");
    let t = performance.now();
    const tsc = spawnSync(process.execPath, [tscBin, "-p", path.join(tmp, "tsconfig.json"), "--noEmit"], { cwd: tmp, encoding: "utf8", maxBuffer: 1 << 28 });
    const tscMs = performance.now() - t;
    const tscErrors = (tsc.stdout.match(/error TS\d+/g) ?? []).length;
    t = performance.now();
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--typed-child", tmp], { cwd: root, encoding: "utf8", maxBuffer: 1 << 28 });
    const typedMs = performance.now() - t;
    let info = {};
    try {
      info = JSON.parse(child.stdout.trim().split("\n").pop() ?? "{}");
    } catch {
      console.log(`typed lint failed: ${child.stderr.slice(0, 2000)}`);
    }
    console.log(`\ntyped (projectService), each in a fresh Node process:`);
    console.log(`  tsc --noEmit                    ${fmtMs(tscMs)}   (${tscErrors} type errors: external imports are not installed in the scratch copy)`);
    console.log(`  eslint typed, all rules         ${fmtMs(typedMs)}   ${info.files ?? "?"} files, ${info.fatal ?? "?"} did not parse; rules ${fmtMs(info.rules ?? 0)}, parse+program ${fmtMs(info.parse ?? 0)}`);
    console.log(`  ratio eslint typed / tsc        ${ratio(typedMs, tscMs)}   (target ≤ 1.15)`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
