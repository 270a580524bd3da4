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
  /** Files larger than this many bytes are skipped with a warning (default 2 MB). */
  maxFileBytes?: number;
  preset?: string;
  config?: boolean;
  /** Report disable directives that suppress nothing (ESLint's option; `# noqa: ghostwatch/…` in Python). */
  reportUnusedDisableDirectives?: boolean;
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
  // ESLint ignores files outside its cwd: lint paths elsewhere from their common folder.
  const outside = paths.some((p) => path.relative(cwd, path.resolve(cwd, p)).startsWith(".."));
  if (outside) return runLint(paths.map((p) => path.resolve(cwd, p)), { ...opts, cwd: commonFolder(paths.map((p) => path.resolve(cwd, p))) });
  const userConfig = opts.config !== false ? findFlatConfig(cwd) : undefined;
  // Multi-megabyte (vendored, minified) files cost the parser seconds and gigabytes each and hold
  // no hand-written agent code: skip them, visibly.
  const tooLarge = findLargeFiles(paths.map((p) => path.resolve(cwd, p)), opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  const ignorePatterns = tooLarge.map((f) => path.relative(cwd, f.file)).filter((r) => r && !r.startsWith("..") && !path.isAbsolute(r));
  const eslint = userConfig
    ? new ESLint({ cwd, errorOnUnmatchedPattern: false, ignorePatterns })
    : new ESLint({ cwd, overrideConfigFile: true, overrideConfig: zeroConfig(preset), errorOnUnmatchedPattern: false, ignorePatterns });
  const targets = paths.map((p) => {
    const abs = path.resolve(cwd, p);
    return fs.statSync(abs).isDirectory() && !userConfig ? `${abs}/**/*.{${LINTED_EXTENSIONS.join(",")}}` : abs;
  });
  let results: ESLint.LintResult[];
  try {
    results = await eslint.lintFiles(targets);
    // Python front (rules/python): `.py` files among the paths, merged as ESLint-shaped results.
    results = await withPythonResults(eslint, results, paths, { preset, cwd, reportUnusedDisableDirectives: opts.reportUnusedDisableDirectives });
    clarifyMessages(results, !!userConfig);
    results = results.filter((r) => !tooLarge.some((f) => f.file === r.filePath)).concat(tooLarge.map((f) => skippedResult(f.file, f.size, opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES)));
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

/** The deepest folder that contains every path. */
function commonFolder(abs: string[]): string {
  const dirs = abs.map((p) => (fs.statSync(p).isDirectory() ? p : path.dirname(p)).split(path.sep));
  const out: string[] = [];
  for (let i = 0; dirs.every((d) => i < d.length && d[i] === dirs[0][i]); i++) out.push(dirs[0][i]);
  return out.join(path.sep) || path.sep;
}

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;
const SKIP_DIRS = new Set(["node_modules", "dist", "build", "out", ".e2e", ".git"]);
const SIZE_CHECKED = new RegExp(`\\.(?:${[...LINTED_EXTENSIONS, "py"].join("|")})$`);

/** Lintable files over the size limit under the given paths (bounded walk, unreadable entries skipped). */
export function findLargeFiles(roots: string[], limit: number): Array<{ file: string; size: number }> {
  const out: Array<{ file: string; size: number }> = [];
  let budget = 200_000;
  const visit = (p: string, depth: number) => {
    if (--budget < 0 || depth > 64) return;
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      let names: string[] = [];
      try {
        names = fs.readdirSync(p);
      } catch {
        return;
      }
      for (const n of names) if (!SKIP_DIRS.has(n)) visit(path.join(p, n), depth + 1);
    } else if (st.isFile() && st.size > limit && SIZE_CHECKED.test(p)) {
      out.push({ file: p, size: st.size });
    }
  };
  for (const r of roots) visit(r, 0);
  return out;
}

function skippedResult(file: string, size: number, limit: number): ESLint.LintResult {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return {
    filePath: file,
    messages: [{ ruleId: null, severity: 1, line: 1, column: 1, message: `File skipped: ${mb(size)} is over the ${mb(limit)} limit of ghostwatch lint (generated or minified code?). Raise it with --max-file-size <MB>.` }],
    suppressedMessages: [],
    errorCount: 0,
    fatalErrorCount: 0,
    warningCount: 1,
    fixableErrorCount: 0,
    fixableWarningCount: 0,
    usedDeprecatedRules: [],
  };
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
