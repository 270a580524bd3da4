/**
 * `ghostwatch lint`: ESLint's Node API underneath. With an `eslint.config.*` in the project it
 * is honoured as is; without one, a zero-config run of a Ghostwatch preset on TS/JS files.
 */
import fs from "node:fs";
import path from "node:path";
import { ESLint, type Linter } from "eslint";
import { minimatch } from "minimatch";
import tsParser from "@typescript-eslint/parser";
import plugin from "../rules/index.js";
import { diskResolver } from "../rules/core/disk-resolver.js";
import { toSarif } from "./sarif.js";
import { withPythonResults } from "../rules/python/lint.js";

import { CLI_MAX_FILE_BYTES, FLAT_CONFIG_NAMES, LINTED_EXTENSIONS, SKIPPED_FOLDERS, ignoreGlobs } from "./workspace.js";

export { LINTED_EXTENSIONS };

export function findFlatConfig(from: string): string | undefined {
  let dir = path.resolve(from);
  for (;;) {
    for (const n of FLAT_CONFIG_NAMES) {
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
    { ignores: ignoreGlobs(SKIPPED_FOLDERS) },
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

export type ConfigMode = "auto" | "none" | "only";

export interface LintOptions {
  format: "stylish" | "json" | "sarif";
  /** Files larger than this many bytes are skipped with a warning (default 2 MB). */
  maxFileBytes?: number;
  preset?: string;
  /** commander's `--no-config` (false) */
  config?: boolean;
  /** Report disable directives that suppress nothing (ESLint's option; `# noqa: ghostwatch/…` in Python). */
  reportUnusedDisableDirectives?: boolean;
  /** `--config-only`: the project's eslint.config.* as it is, even when it enables no Ghostwatch rule. */
  configOnly?: boolean;
  /** `--max-warnings N`: more warnings than N → exit 1 (ESLint's option; -1 or unset: no limit). */
  maxWarnings?: number;
  /** `-o, --output-file`: write the report there instead of stdout (relative to the current directory). */
  outputFile?: string;
  /** `--ignore-pattern`: more ignores, flat-config syntax relative to the current directory. */
  ignorePattern?: string[];
  cwd?: string;
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
}

/** ESLint's own test for a glob (`*`, `?`, `{}`, `[]`), so `src/**\/*.ts` is a pattern, not a path. */
const isGlob = (p: string) => /[*?{}[\]]/.test(p);

/** Runs the lint; returns the process exit code (0 clean or warnings only, 1 errors, 2 bad usage). */
export async function runLint(paths: string[], opts: LintOptions): Promise<number> {
  const cwd = opts.cwd ?? process.cwd();
  // A path that exists is a path, whatever it contains: Next.js route folders are named `[id]`.
  const isPattern = (p: string) => isGlob(p) && !fs.existsSync(path.resolve(cwd, p));
  const err = opts.err ?? process.stderr;
  if (opts.config === false && opts.configOnly) {
    err.write("ghostwatch lint: --no-config and --config-only cannot be used together\n");
    return 2;
  }
  const missing = paths.filter((p) => !isPattern(p) && !fs.existsSync(path.resolve(cwd, p)));
  if (missing.length) {
    err.write(`ghostwatch lint: no such file or folder: ${missing.join(", ")}\n`);
    return 2;
  }
  const preset = (opts.preset ?? "recommended") as "recommended" | "strict" | "local-only";
  if (!["recommended", "strict", "local-only"].includes(preset)) {
    err.write(`ghostwatch lint: unknown preset "${preset}" (recommended, strict, local-only)\n`);
    return 2;
  }
  if (opts.outputFile) {
    const target = path.resolve(cwd, opts.outputFile);
    if (fs.existsSync(target) && fs.statSync(target).isDirectory()) {
      err.write(`ghostwatch lint: cannot write to output file path, it is a directory: ${opts.outputFile}\n`);
      return 2;
    }
  }
  // ESLint ignores files outside its cwd: lint paths elsewhere from their common folder.
  const outside = paths.some((p) => !isPattern(p) && path.relative(cwd, path.resolve(cwd, p)).startsWith(".."));
  if (outside) {
    const abs = paths.map((p) => path.resolve(cwd, p));
    const outputFile = opts.outputFile ? path.resolve(cwd, opts.outputFile) : undefined;
    const ignorePattern = opts.ignorePattern?.map((p) => path.relative(commonFolder(abs), path.resolve(cwd, p)));
    return runLint(abs, { ...opts, cwd: commonFolder(abs), outputFile, ignorePattern });
  }
  return lintIn(paths, opts, cwd, preset);
}

async function lintIn(paths: string[], opts: LintOptions, cwd: string, preset: "recommended" | "strict" | "local-only"): Promise<number> {
  const err = opts.err ?? process.stderr;
  const isPattern = (p: string) => isGlob(p) && !fs.existsSync(path.resolve(cwd, p));
  const userConfig = opts.config !== false ? findFlatConfig(cwd) : undefined;
  const maxFileBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  // Multi-megabyte (vendored, minified) files cost the parser seconds and gigabytes each and hold
  // no hand-written agent code: skip them, visibly.
  const tooLarge = findLargeFiles(paths.filter((p) => !isPattern(p)).map((p) => path.resolve(cwd, p)), maxFileBytes);
  const ignorePatterns = [
    ...(opts.ignorePattern ?? []),
    ...tooLarge.map((f) => path.relative(cwd, f.file)).filter((r) => r && !r.startsWith("..") && !path.isAbsolute(r)).map(escapeGlob),
  ];
  // .gitignore'd files are not source (ESLint users add `includeIgnoreFile` for this): honoured
  // whenever Ghostwatch builds the config; `--config-only` leaves ignores to the project's config.
  const gitignore = path.join(cwd, ".gitignore");
  const gitIgnores = fs.existsSync(gitignore) ? await gitignoreConfig(gitignore, err) : [];

  let mode: "zero" | "config" | "overlay" = userConfig ? "config" : "zero";
  let overlay: Linter.Config[] = [];
  if (userConfig && !opts.configOnly) {
    const probe = new ESLint({ cwd, errorOnUnmatchedPattern: false, ignorePatterns });
    const sample = await sampleConfigs(probe, sampleFiles(paths, cwd));
    if (!sample.enablesGhostwatch) {
      mode = "overlay";
      overlay = overlayConfig(preset, sample);
      err.write(
        `ghostwatch lint: ${path.relative(cwd, userConfig) || userConfig} enables no Ghostwatch rule, so the ${preset} preset runs on top of it (--config-only: the config alone; --no-config: the preset alone)\n`,
      );
    }
  }
  const make = (extra: Partial<ESLint.Options> = {}, more: Linter.Config[] = []) => {
    const common = { cwd, errorOnUnmatchedPattern: false, ...extra, ignorePatterns: [...ignorePatterns, ...(extra.ignorePatterns ?? [])] };
    if (mode === "zero") return new ESLint({ ...common, overrideConfigFile: true, overrideConfig: [...gitIgnores, ...(zeroConfig(preset) as Linter.Config[]), ...more] });
    if (mode === "overlay") return new ESLint({ ...common, overrideConfig: [...gitIgnores, ...overlay, ...more] });
    return new ESLint(more.length ? { ...common, overrideConfig: more } : common);
  };
  const targets = paths.map((p) => {
    if (isPattern(p)) return p;
    const abs = path.resolve(cwd, p);
    return fs.statSync(abs).isDirectory() && mode === "zero" ? `${escapeGlob(abs)}/**/*.{${LINTED_EXTENSIONS.join(",")}}` : abs;
  });
  let results: ESLint.LintResult[];
  let eslint: ESLint;
  try {
    ({ results, eslint } = await lintIsolatingCrashes(make, targets, cwd));
    // Python front (rules/python): `.py` files among the paths, merged as ESLint-shaped results.
    results = await withPythonResults(eslint, results, [...paths.filter((p) => !isPattern(p)), ...pythonGlobMatches(paths.filter(isPattern), cwd)], { preset, cwd, reportUnusedDisableDirectives: opts.reportUnusedDisableDirectives });
    // The same ignores for .py files (an instance that only answers isPathIgnored: ESLint counts a
    // file no config object matches as ignored, so this one matches .py).
    const pyIgnores = make({}, [{ files: ["**/*.py"] }]);
    const ignored = await Promise.all(results.map((r) => (r.filePath.endsWith(".py") ? pyIgnores.isPathIgnored(r.filePath) : false)));
    results = results.filter((_, i) => !ignored[i]);
    clarifyMessages(results, mode !== "zero");
    results = results.filter((r) => !tooLarge.some((f) => f.file === r.filePath)).concat(tooLarge.map((f) => skippedResult(f.file, f.size, maxFileBytes)));
  } catch (e) {
    err.write(`ghostwatch lint: ${(e as Error).message}\n`);
    return 2;
  }
  // As ESLint: a path or pattern that matches no file is an error of usage (exit 2), not "clean".
  const unmatched = paths.filter((p) => {
    if (isPattern(p)) return !results.some((r) => minimatch(r.filePath.split(path.sep).join("/"), path.isAbsolute(p) ? p : path.join(cwd, p).split(path.sep).join("/")));
    const abs = path.resolve(cwd, p);
    return !results.some((r) => r.filePath === abs || r.filePath.startsWith(abs + path.sep));
  });
  if (unmatched.length) {
    err.write(`ghostwatch lint: No files matching the pattern${unmatched.length > 1 ? "s" : ""} ${unmatched.map((p) => `"${p}"`).join(", ")} were found.\n`);
    return 2;
  }
  const rulesMeta = eslint.getRulesMetaForResults(results);
  let text: string;
  if (opts.format === "sarif") {
    text = JSON.stringify(toSarif(results, rulesMeta, cwd), null, 2) + "\n";
  } else {
    const formatter = await eslint.loadFormatter(opts.format);
    text = await formatter.format(results, { cwd, rulesMeta } as never);
    if (text && !text.endsWith("\n")) text += "\n";
  }
  if (opts.outputFile) {
    const target = path.resolve(cwd, opts.outputFile);
    try {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, text);
    } catch (e) {
      err.write(`ghostwatch lint: cannot write the output file: ${(e as Error).message}\n`);
      return 2;
    }
  } else if (text) {
    (opts.out ?? process.stdout).write(text);
  }
  if (mode === "config" && opts.format === "stylish" && !opts.outputFile) err.write(`(using ${path.relative(cwd, userConfig!) || userConfig})\n`);
  const warnings = results.reduce((n, r) => n + r.warningCount, 0);
  if (results.some((r) => r.errorCount > 0)) return 1;
  if (opts.maxWarnings !== undefined && opts.maxWarnings >= 0 && warnings > opts.maxWarnings) {
    err.write(`ghostwatch lint: too many warnings (${warnings}, maximum: ${opts.maxWarnings}).\n`);
    return 1;
  }
  return 0;
}

/** ESLint's own `.gitignore` → flat `ignores` conversion (`eslint/config`, ESLint ≥ 9.x that has it). */
async function gitignoreConfig(file: string, err: NodeJS.WritableStream): Promise<Linter.Config[]> {
  const helpers = (await import("eslint/config").catch(() => ({}))) as { includeIgnoreFile?: (p: string, name?: string) => Linter.Config };
  if (!helpers.includeIgnoreFile) {
    err.write("ghostwatch lint: this ESLint cannot read .gitignore (eslint/config has no includeIgnoreFile); .gitignore not honoured\n");
    return [];
  }
  return [helpers.includeIgnoreFile(file, "ghostwatch/.gitignore")];
}

const escapeGlob = (p: string) => p.replace(/[*?{}[\]()!]/g, "\\$&");

interface ConfigSample {
  enablesGhostwatch: boolean;
  /** The project's config registers the plugin itself (re-registering another copy would fail). */
  hasPlugin: boolean;
  /** The project already parses TypeScript (a `parseForESLint` parser on its .ts files). */
  parsesTs: boolean;
}

/** `.py` files a glob argument matches (ESLint expands globs for the files it lints; the Python front does not). */
export function pythonGlobMatches(globs: string[], cwd: string): string[] {
  const out: string[] = [];
  for (const g of globs) {
    const pattern = path.isAbsolute(g) ? g : path.join(cwd, g).split(path.sep).join("/");
    const base = staticBase(pattern);
    const visit = (p: string, depth: number) => {
      if (out.length >= 50_000 || depth > 32) return;
      let entries: fs.Dirent[] = [];
      try {
        entries = fs.readdirSync(p, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const f = path.join(p, e.name);
        if (e.isDirectory()) {
          if (!SKIP_DIRS.has(e.name) && !e.name.startsWith(".")) visit(f, depth + 1);
        } else if (e.isFile() && e.name.endsWith(".py") && minimatch(f.split(path.sep).join("/"), pattern)) out.push(f);
      }
    };
    visit(base, 0);
  }
  return [...new Set(out)].sort();
}

/** The folder part of a glob before its first pattern segment. */
function staticBase(glob: string): string {
  const parts = glob.split(/[\\/]/);
  const i = parts.findIndex(isGlob);
  return (i < 0 ? parts.slice(0, -1) : parts.slice(0, i)).join("/") || "/";
}

/** Up to `limit` lintable files under the paths (a bounded walk; a glob's static folder stands for it). */
export function sampleFiles(paths: string[], cwd: string, limit = 200): string[] {
  const out: string[] = [];
  const ext = new RegExp(`\\.(?:${LINTED_EXTENSIONS.join("|")})$`);
  const visit = (p: string, depth: number) => {
    if (out.length >= limit || depth > 32) return;
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isFile()) {
      if (ext.test(p)) out.push(p);
    } else if (st.isDirectory()) {
      let names: string[] = [];
      try {
        names = fs.readdirSync(p).sort();
      } catch {
        return;
      }
      for (const n of names) if (!SKIP_DIRS.has(n)) visit(path.join(p, n), depth + 1);
    }
  };
  for (const p of paths) {
    visit(isGlob(p) ? staticBase(path.resolve(cwd, p)) : path.resolve(cwd, p), 0);
  }
  return out;
}

const severityOf = (v: unknown) => {
  const s = Array.isArray(v) ? v[0] : v;
  return s === "error" || s === 2 ? 2 : s === "warn" || s === 1 ? 1 : 0;
};

/** What the project's config does with the sampled files (`calculateConfigForFile`, no lint). */
async function sampleConfigs(eslint: ESLint, files: string[]): Promise<ConfigSample> {
  const out: ConfigSample = { enablesGhostwatch: false, hasPlugin: false, parsesTs: false };
  for (const f of files) {
    if (await eslint.isPathIgnored(f)) continue;
    const cfg = (await eslint.calculateConfigForFile(f)) as Linter.Config | undefined;
    if (!cfg) continue;
    if (Object.entries(cfg.rules ?? {}).some(([id, v]) => id.startsWith("ghostwatch/") && severityOf(v) > 0)) out.enablesGhostwatch = true;
    if (cfg.plugins?.ghostwatch) out.hasPlugin = true;
    if (/\.[cm]?tsx?$/.test(f) && typeof (cfg.languageOptions?.parser as { parseForESLint?: unknown } | undefined)?.parseForESLint === "function") out.parsesTs = true;
    if (out.enablesGhostwatch) break;
  }
  return out;
}

/** The preset on top of a project's config that enables none of our rules. */
function overlayConfig(preset: "recommended" | "strict" | "local-only", sample: ConfigSample): Linter.Config[] {
  const cfg = plugin.configs[preset] as unknown as Linter.Config;
  return [
    // Without a TypeScript parser in the project's config, .ts files would not parse at all.
    ...(sample.parsesTs ? [] : [{ files: ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts"], languageOptions: { parser: tsParser as never, parserOptions: { ecmaFeatures: { jsx: true } } } }]),
    { files: LINTED_EXTENSIONS.map((e) => `**/*.${e}`), settings: { ghostwatch: { resolver: diskResolver() } } },
    { files: LINTED_EXTENSIONS.map((e) => `**/*.${e}`), ...(sample.hasPlugin ? {} : { plugins: cfg.plugins }), rules: cfg.rules },
  ];
}

interface Crash {
  file: string;
  line?: number;
  ruleId?: string;
  /** The rule's own error message, without ESLint's "Occurred while linting" trailer. */
  reason: string;
}

/** A rule's exception as ESLint rethrows it from `lintFiles` (its message names the file, line and rule). */
export function parseCrash(e: unknown): Crash | undefined {
  const msg = e instanceof Error ? e.message : String(e);
  const at = /\nOccurred while linting (.+?)(?::(\d+))?(?:\n|$)/.exec(msg);
  if (!at) return undefined;
  const ruleId = (e as { ruleId?: string }).ruleId ?? /\nRule: "([^"]+)"/.exec(msg)?.[1] ?? /^Error while loading rule '([^']+)'/.exec(msg)?.[1];
  const reason = msg.slice(0, at.index).replace(/^Error while loading rule '[^']+': /, "").split("\n")[0];
  return { file: at[1], line: at[2] ? Number(at[2]) : undefined, ruleId, reason };
}

const MAX_CRASHED_FILES = 100;

/**
 * `lintFiles` with the language server's isolation: ESLint throws away every result when one rule
 * throws on one file. Here the file that crashed is set aside, the rest linted again, and that file
 * re-linted without the crashing rule(s), each crash reported as one error on the file.
 */
export async function lintIsolatingCrashes(make: (extra?: Partial<ESLint.Options>) => ESLint, targets: string[], cwd: string): Promise<{ results: ESLint.LintResult[]; eslint: ESLint }> {
  const isolated = new Map<string, { result: ESLint.LintResult; meta: Record<string, unknown> }>();
  for (;;) {
    const eslint = make({ ignorePatterns: [...isolated.keys()].map((f) => escapeGlob(path.relative(cwd, f).split(path.sep).join("/"))) });
    try {
      const results = await eslint.lintFiles(targets);
      if (!isolated.size) return { results, eslint };
      // The set-aside files are ignored by this instance: their rule metadata comes from their own.
      const original = eslint.getRulesMetaForResults.bind(eslint);
      eslint.getRulesMetaForResults = (rs: ESLint.LintResult[]) =>
        Object.assign({}, ...rs.map((r) => isolated.get(r.filePath)?.meta ?? {}), original(rs.filter((r) => !isolated.has(r.filePath))));
      return { results: results.filter((r) => !isolated.has(r.filePath)).concat([...isolated.values()].map((x) => x.result)), eslint };
    } catch (e) {
      const crash = parseCrash(e);
      if (!crash || isolated.has(crash.file) || isolated.size >= MAX_CRASHED_FILES) throw e;
      isolated.set(crash.file, await lintRuleByRule(make, crash));
    }
  }
}

/** One file, linted again with each crashing rule turned off in turn until the rest runs through. */
async function lintRuleByRule(make: (extra?: Partial<ESLint.Options>) => ESLint, first: Crash): Promise<{ result: ESLint.LintResult; meta: Record<string, unknown> }> {
  const crashes: Crash[] = [first];
  for (;;) {
    const off = new Set(crashes.map((c) => c.ruleId));
    const eslint = make({ ruleFilter: ({ ruleId }: { ruleId: string }) => !off.has(ruleId) } as Partial<ESLint.Options>);
    let results: ESLint.LintResult[] = [];
    try {
      results = await eslint.lintFiles([first.file]);
    } catch (e) {
      const next = parseCrash(e);
      if (next?.ruleId && !off.has(next.ruleId) && crashes.length < 50) {
        crashes.push(next);
        continue;
      }
      // Not a rule (a parser or processor threw): the whole file is lost; say so, keep the others.
      crashes.push(next ?? { file: first.file, reason: (e as Error).message.split("\n")[0] });
    }
    const result = withCrashMessages(results[0], first.file, crashes);
    let meta: Record<string, unknown> = {};
    try {
      if (results[0]) {
        results[0].messages = result.messages; // the same object ESLint made, so it knows the file
        meta = eslint.getRulesMetaForResults(results);
      }
    } catch {
      /* metadata is optional (docs URL in formatters) */
    }
    return { result, meta };
  }
}

function withCrashMessages(result: ESLint.LintResult | undefined, file: string, crashes: Crash[]): ESLint.LintResult {
  const messages: Linter.LintMessage[] = crashes.map((c) => ({
    ruleId: c.ruleId ?? null,
    severity: 2,
    message: `${c.ruleId ? (c.ruleId.startsWith("ghostwatch/") ? `Ghostwatch rule ${c.ruleId.slice("ghostwatch/".length)}` : `Rule ${c.ruleId}`) : "ESLint"} crashed: ${c.reason}`.slice(0, 300),
    line: c.line ?? 1,
    column: 1,
    nodeType: null,
  })) as Linter.LintMessage[];
  const base: ESLint.LintResult = result ?? { filePath: file, messages: [], suppressedMessages: [], errorCount: 0, fatalErrorCount: 0, warningCount: 0, fixableErrorCount: 0, fixableWarningCount: 0, usedDeprecatedRules: [] };
  const all = [...base.messages, ...messages].sort((a, b) => a.line - b.line || a.column - b.column);
  return { ...base, messages: all, errorCount: base.errorCount + messages.length };
}

/** The deepest folder that contains every path. */
function commonFolder(abs: string[]): string {
  const dirs = abs.map((p) => (fs.statSync(p).isDirectory() ? p : path.dirname(p)).split(path.sep));
  const out: string[] = [];
  for (let i = 0; dirs.every((d) => i < d.length && d[i] === dirs[0][i]); i++) out.push(dirs[0][i]);
  return out.join(path.sep) || path.sep;
}

const SKIP_DIRS: ReadonlySet<string> = new Set(SKIPPED_FOLDERS);
export const DEFAULT_MAX_FILE_BYTES = CLI_MAX_FILE_BYTES;
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
const ZERO_CONFIG_IGNORES = `${SKIPPED_FOLDERS.filter((f) => f !== ".git").join(", ")} and *.min.js`;

/**
 * ESLint's own wording names options `ghostwatch lint` does not have (`--no-ignore`), and a file
 * nested too deeply for the parser surfaces as a bare stack overflow: say what happened instead.
 */
export function clarifyMessages(results: ESLint.LintResult[], userConfig: boolean): void {
  for (const r of results) {
    if (!userConfig) {
      // Zero-config runs only Ghostwatch's rules: ESLint's own complaint about a legacy `/* eslint-env */`
      // comment (an error since ESLint 9) is not ours to raise, and would fail CI on old test files.
      const before = r.messages.length;
      r.messages = r.messages.filter((m) => !(m.ruleId === null && /^\/\* eslint-env \*\/ comments are no longer supported/.test(m.message)));
      const dropped = before - r.messages.length;
      if (dropped) {
        r.errorCount -= dropped;
        r.fatalErrorCount = r.messages.filter((m) => m.fatal).length;
      }
    }
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
