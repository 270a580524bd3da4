/**
 * `ghostwatch lint`: ESLint's Node API underneath. With an `eslint.config.*` in the project it
 * is honoured as is; without one, a zero-config run of a Ghostwatch preset on TS/JS files.
 */
import fs from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import tsParser from "@typescript-eslint/parser";
import plugin from "../rules/index.js";
import { diskResolver } from "../rules/core/disk-resolver.js";
import { toSarif } from "./sarif.js";
import { withPythonResults } from "../rules/python/lint.js";

const CONFIG_NAMES = ["eslint.config.js", "eslint.config.mjs", "eslint.config.cjs", "eslint.config.ts", "eslint.config.mts", "eslint.config.cts"];
export const LINTED_EXTENSIONS = ["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs"];

export function findFlatConfig(from: string): string | undefined {
  let dir = path.resolve(from);
  for (;;) {
    for (const n of CONFIG_NAMES) {
      const p = path.join(dir, n);
      if (fs.existsSync(p)) return p;
    }
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

export function zeroConfig(preset: "recommended" | "strict" | "local-only"): ESLint.Options["overrideConfig"] {
  return [
    { ignores: ["**/node_modules/**", "**/dist/**", "**/build/**", "**/out/**", "**/*.min.js", "**/.e2e/**"] },
    {
      files: LINTED_EXTENSIONS.map((e) => `**/*.${e}`),
      languageOptions: { parser: tsParser as never, parserOptions: { ecmaFeatures: { jsx: true } } },
      linterOptions: { reportUnusedDisableDirectives: "off" },
      // Cross-file reach without type information: relative imports read from disk, once per run.
      settings: { ghostwatch: { resolver: diskResolver() } },
    },
    plugin.configs[preset] as never,
  ];
}

export interface LintOptions {
  format: "stylish" | "json" | "sarif";
  preset?: string;
  config?: boolean;
  cwd?: string;
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
}

/** Runs the lint; returns the process exit code (0 clean or warnings only, 1 errors, 2 bad usage). */
export async function runLint(paths: string[], opts: LintOptions): Promise<number> {
  const cwd = opts.cwd ?? process.cwd();
  const out = opts.out ?? process.stdout;
  const err = opts.err ?? process.stderr;
  const missing = paths.filter((p) => !fs.existsSync(path.resolve(cwd, p)));
  if (missing.length) {
    err.write(`ghostwatch lint: no such file or folder: ${missing.join(", ")}\n`);
    return 2;
  }
  const preset = (opts.preset ?? "recommended") as "recommended" | "strict" | "local-only";
  if (!["recommended", "strict", "local-only"].includes(preset)) {
    err.write(`ghostwatch lint: unknown preset "${preset}" (recommended, strict, local-only)\n`);
    return 2;
  }
  const userConfig = opts.config !== false ? findFlatConfig(cwd) : undefined;
  const eslint = userConfig
    ? new ESLint({ cwd, errorOnUnmatchedPattern: false })
    : new ESLint({ cwd, overrideConfigFile: true, overrideConfig: zeroConfig(preset), errorOnUnmatchedPattern: false });
  const targets = paths.map((p) => {
    const abs = path.resolve(cwd, p);
    return fs.statSync(abs).isDirectory() && !userConfig ? `${abs}/**/*.{${LINTED_EXTENSIONS.join(",")}}` : abs;
  });
  let results: ESLint.LintResult[];
  try {
    results = await eslint.lintFiles(targets);
    // Python front (rules/python): `.py` files among the paths, merged as ESLint-shaped results.
    results = await withPythonResults(eslint, results, paths, { preset, cwd });
    clarifyMessages(results, !!userConfig);
  } catch (e) {
    err.write(`ghostwatch lint: ${(e as Error).message}\n`);
    return 2;
  }
  if (opts.format === "sarif") {
    out.write(JSON.stringify(toSarif(results, eslint.getRulesMetaForResults(results), cwd), null, 2) + "\n");
  } else {
    const formatter = await eslint.loadFormatter(opts.format);
    const text = await formatter.format(results, { cwd, rulesMeta: eslint.getRulesMetaForResults(results) } as never);
    if (text) out.write(text.endsWith("\n") ? text : text + "\n");
  }
  if (userConfig && opts.format === "stylish") err.write(`(using ${path.relative(cwd, userConfig) || userConfig})\n`);
  return results.some((r) => r.errorCount > 0) ? 1 : 0;
}

const ESLINT_IGNORE_HINT = /\. Use "--no-ignore" to disable file ignore settings or use "--no-warn-ignored" to suppress this warning\.?$/;
const ZERO_CONFIG_IGNORES = "node_modules, dist, build, out, .e2e and *.min.js";

/**
 * ESLint's own wording names options `ghostwatch lint` does not have (`--no-ignore`), and a file
 * nested too deeply for the parser surfaces as a bare stack overflow: say what happened instead.
 */
export function clarifyMessages(results: ESLint.LintResult[], userConfig: boolean): void {
  for (const r of results) {
    for (const m of r.messages) {
      if (ESLINT_IGNORE_HINT.test(m.message)) {
        m.message = m.message.replace(
          ESLINT_IGNORE_HINT,
          userConfig
            ? " of your eslint.config.*: change its ignores to lint it."
            : `: without a config, ghostwatch lint skips ${ZERO_CONFIG_IGNORES}. Lint it through an eslint.config.* that uses the Ghostwatch plugin.`,
        );
      } else if (m.fatal && /^Parsing error: Maximum call stack size exceeded/.test(m.message)) {
        m.message = "Parsing error: the file nests too deeply for the parser (Maximum call stack size exceeded); it was not linted.";
        m.line ||= 1;
        m.column ||= 1;
      }
    }
  }
}
