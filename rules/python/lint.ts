/**
 * The Python front of `ghostwatch lint`: `.py` files analysed with the same core (reach,
 * honest-llm-names' decision) and reported as ESLint `LintResult`s, so every formatter and the
 * exit code work unchanged. Severities and options come from the preset (`presetRules`), message
 * text from the rules' own `meta.messages` templates.
 */
import fs from "node:fs";
import path from "node:path";
import type { ESLint, Linter } from "eslint";
import { rules } from "../all-rules.js";
import { presetRules } from "../configs.js";
import type { FileFacts, FnInfo } from "../core/file-facts.js";
import { describeClaim } from "../core/names.js";
import { reachOf, type ModuleResolver } from "../core/reach.js";
import { describeReach, findLies, renameAdvice, type LieOptions as HonestOptions } from "../core/lies.js";
import type { PyFinding } from "./checks.js";
import { pythonLoopChecks } from "./loop-facts.js";
import { pythonResourceChecks } from "./resource-facts.js";
import { pythonTimeoutChecks } from "./timeout-facts.js";
import { buildPythonFacts, lite } from "./facts.js";
import { loadPythonParser, pythonParser } from "./parser.js";
import { pythonResolver } from "./resolver.js";

export type Preset = "recommended" | "strict" | "local-only";

export interface PythonLintOptions {
  preset?: Preset;
  cwd?: string;
}

const SKIP_DIRS = new Set(["node_modules", "dist", "build", "out", ".git", ".venv", "venv", "env", ".env", "__pycache__", "site-packages", ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".e2e"]);
const MAX_FILES = 50_000;

/** `.py` files among the paths (folders walked, the usual virtualenv/build folders skipped). */
export function pythonFilesIn(paths: string[], cwd: string): string[] {
  const out: string[] = [];
  const walkDir = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (out.length >= MAX_FILES) return;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !e.name.startsWith(".")) walkDir(p);
      } else if (e.isFile() && e.name.endsWith(".py")) out.push(p);
    }
  };
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      continue;
    }
    if (st.isDirectory()) walkDir(abs);
    else if (abs.endsWith(".py")) out.push(abs);
  }
  return [...new Set(out)];
}

type Level = 0 | 1 | 2;

function ruleSetting(preset: Preset, rule: string): { level: Level; options: Record<string, unknown> } {
  return ruleSettingIn(presetRules(preset) as Record<string, unknown>, rule);
}

/** A rule's level and options in a flat-config `rules` record (`ghostwatch/<rule>` → level or [level, options]). */
function ruleSettingIn(rulesRecord: Record<string, unknown>, rule: string): { level: Level; options: Record<string, unknown> } {
  const entry = rulesRecord[`ghostwatch/${rule}`];
  if (!entry) return { level: 0, options: {} };
  const [lv, opts] = Array.isArray(entry) ? entry : [entry, undefined];
  const level: Level = lv === "error" || lv === 2 ? 2 : lv === "warn" || lv === 1 ? 1 : 0;
  const defaults = ((rules as Record<string, { defaultOptions?: unknown[] }>)[rule]?.defaultOptions?.[0] ?? {}) as Record<string, unknown>;
  return { level, options: { ...defaults, ...((opts as Record<string, unknown>) ?? {}) } };
}

/** The rule's message template for `messageId`, filled like ESLint does (`{{ key }}`). */
export function formatMessage(rule: string, messageId: string, data: Record<string, string>): string {
  const messages = (rules as Record<string, { meta: { messages: Record<string, string> } }>)[rule]?.meta.messages ?? {};
  const template = messages[messageId] ?? messageId;
  return template.replace(/\{\{\s*([^{}]+?)\s*\}\}/g, (m, key: string) => (key in data ? String(data[key]) : m));
}

function relativeTo(cwd: string): (file: string) => string {
  return (file) => {
    const rel = path.relative(cwd, file);
    return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel.split(path.sep).join("/") : file;
  };
}

function result(filePath: string, messages: Linter.LintMessage[], source?: string): ESLint.LintResult {
  messages.sort((a, b) => a.line - b.line || a.column - b.column);
  return {
    filePath,
    messages,
    suppressedMessages: [],
    errorCount: messages.filter((m) => m.severity === 2).length,
    fatalErrorCount: messages.filter((m) => m.fatal).length,
    warningCount: messages.filter((m) => m.severity === 1).length,
    fixableErrorCount: 0,
    fixableWarningCount: 0,
    ...(source !== undefined ? { source } : {}),
    usedDeprecatedRules: [],
  } as ESLint.LintResult;
}

/** First syntax error of a tree (an ERROR node, or a MISSING token tree-sitter inserted). */
function firstSyntaxError(root: import("web-tree-sitter").Node): { line: number; column: number; message: string } | undefined {
  if (!root.hasError) return undefined;
  const stack = [root];
  while (stack.length) {
    const n = stack.shift()!;
    if (n.isMissing) return { line: n.startPosition.row + 1, column: n.startPosition.column + 1, message: `Parsing error: missing "${n.type}"` };
    if (n.isError) {
      const tok = n.text.split("\n")[0].trim().slice(0, 20);
      return { line: n.startPosition.row + 1, column: n.startPosition.column + 1, message: `Parsing error: invalid syntax${tok ? ` near "${tok}"` : ""}` };
    }
    for (const c of n.children) if (c && c.hasError) stack.push(c);
  }
  return { line: 1, column: 1, message: "Parsing error: invalid syntax" };
}

interface PySettings {
  honest: { level: Level; options: Record<string, unknown> };
  unclosed: { level: Level; options: Record<string, unknown> };
  loops: { level: Level; options: Record<string, unknown> };
  timeout: { level: Level; options: Record<string, unknown> };
}

function settingsFrom(get: (rule: string) => { level: Level; options: Record<string, unknown> }): PySettings {
  return { honest: get("honest-llm-names"), unclosed: get("no-unclosed-http-client"), loops: get("no-unbounded-loop"), timeout: get("require-request-timeout") };
}

/** One text through the Python checks: its messages (a syntax error → one fatal message) and its facts. */
function lintOne(parser: import("web-tree-sitter").Parser, text: string, file: string, settings: PySettings, resolver: ModuleResolver, relative: (f: string) => string): { messages: Linter.LintMessage[]; fatal: boolean; facts?: FileFacts } {
  const { honest, unclosed, loops, timeout } = settings;
  const messages: Linter.LintMessage[] = [];
  const tree = parser.parse(text);
  if (!tree) {
    return { messages: [{ ruleId: null, fatal: true, severity: 2, message: "Parsing error: the Python parser gave up", line: 1, column: 1 } as Linter.LintMessage], fatal: true };
  }
  let facts: FileFacts | undefined;
  try {
    const syntax = firstSyntaxError(tree.rootNode);
    if (syntax) {
      // Like ESLint: a file that does not parse gets one fatal message and no rule findings.
      return { messages: [{ ruleId: null, fatal: true, severity: 2, message: syntax.message, line: syntax.line, column: syntax.column, nodeType: null } as unknown as Linter.LintMessage], fatal: true };
    }
    const py = buildPythonFacts(tree.rootNode, file, text);
    facts = py.facts;
    const push = (rule: string, level: Level, messageId: string, data: Record<string, string>, loc: { start: { line: number; column: number }; end: { line: number; column: number } }) => {
      messages.push({
        ruleId: `ghostwatch/${rule}`,
        severity: level,
        message: formatMessage(rule, messageId, data),
        messageId,
        line: loc.start.line,
        column: loc.start.column + 1,
        endLine: loc.end.line,
        endColumn: loc.end.column + 1,
        nodeType: "Identifier",
      } as Linter.LintMessage);
    };
    if (honest.level) {
      const facts = py.facts;
      const callees = (fn: FnInfo) => facts.atoms.flatMap((a) => (a.kind === "ref" && a.start >= fn.range[0] && a.start < fn.range[1] && facts.fnByName.get(a.name)) || []);
      const lies = findLies(facts.functions, (fn) => reachOf(facts, fn, resolver), facts.header, honest.options as HonestOptions, callees);
      for (const f of lies) {
        const data = { name: f.fn.name, claim: describeClaim(f.claim), word: f.claim.word, reach: describeReach(f, relative), honest: f.honest, advice: renameAdvice(f, true) };
        const loc = (f.fn.nameNode as unknown as { loc: { start: { line: number; column: number }; end: { line: number; column: number } } }).loc;
        push("honest-llm-names", honest.level, f.claim.source === "name" ? "lyingName" : "lyingComment", data, loc);
      }
    }
    if (unclosed.level || loops.level || timeout.level) {
      const findings: PyFinding[] = [
        ...(unclosed.level && unclosed.options.checkResources !== false ? pythonResourceChecks(tree.rootNode, py, { resources: true, sdkClients: true }) : []),
        ...(loops.level ? pythonLoopChecks(tree.rootNode, py, resolver, relative) : []),
        ...(timeout.level ? pythonTimeoutChecks(tree.rootNode, py, Math.max(1, Math.round(Number(timeout.options.defaultTimeoutMs ?? 30_000) / 1000))) : []),
      ];
      for (const f of findings) {
        const level = f.rule === "no-unclosed-http-client" ? unclosed.level : f.rule === "require-request-timeout" ? timeout.level : loops.level;
        if (f.messageId === "clientPerUnit" && unclosed.options.checkSdkClients === false) continue;
        const n = f.node;
        const start = { line: n.startPosition.row + 1, column: n.startPosition.column };
        // Loops are reported on their head (`while True:`), calls on the whole call.
        const end = f.rule === "no-unbounded-loop" ? { line: start.line, column: (n.childForFieldName("condition")?.endPosition.column ?? start.column + 5) } : { line: n.endPosition.row + 1, column: n.endPosition.column };
        push(f.rule, level, f.messageId, f.data, { start, end });
      }
    }
    void lite;
  } catch {
    /* bad input never crashes the lint: the file is reported with what was found */
  } finally {
    tree.delete();
  }
  return { messages, fatal: false, facts };
}

/** Lints Python files; one ESLint-shaped result per file, in the given order. */
export async function lintPythonFiles(files: string[], options: PythonLintOptions = {}): Promise<ESLint.LintResult[]> {
  if (!files.length) return [];
  const preset = options.preset ?? "recommended";
  const cwd = options.cwd ?? process.cwd();
  const relative = relativeTo(cwd);
  const settings = settingsFrom((rule) => ruleSetting(preset, rule));
  const parser = await loadPythonParser();
  const known = new Map<string, FileFacts>();
  const resolver = pythonResolver(known);
  const out: ESLint.LintResult[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (e) {
      out.push(result(file, [{ ruleId: null, fatal: true, severity: 2, message: `Cannot read file: ${(e as Error).message}`, line: 1, column: 1 } as Linter.LintMessage]));
      continue;
    }
    const one = lintOne(parser, text, file, settings, resolver, relative);
    if (one.facts) known.set(file, one.facts);
    out.push(result(file, one.messages, one.fatal || one.messages.length ? text : undefined));
  }
  return out;
}

export interface PythonTextOptions {
  /** Flat-config `rules` (`ghostwatch/<rule>` → level or [level, options]); default: the preset's. */
  rules?: Record<string, unknown>;
  preset?: Preset;
  /** Paths in messages are relative to it. */
  cwd?: string;
  /** Resolves the file's imports (e.g. over editor buffers); default: the file system. */
  resolver?: ModuleResolver;
}

/**
 * One Python text (an editor buffer, not the disk) → its messages, exactly as `lintPythonFiles`
 * reports them, plus the file's facts (undefined when it does not parse). Synchronous: the
 * parser must be loaded (`await loadPythonParser()`); before that it returns undefined.
 */
export function lintPythonText(text: string, file: string, options: PythonTextOptions = {}): { messages: Linter.LintMessage[]; facts?: FileFacts } | undefined {
  const parser = pythonParser();
  if (!parser) return undefined;
  const rulesRecord = options.rules ?? (presetRules(options.preset ?? "recommended") as Record<string, unknown>);
  const settings = settingsFrom((rule) => ruleSettingIn(rulesRecord, rule));
  const one = lintOne(parser, text, file, settings, options.resolver ?? pythonResolver(), relativeTo(options.cwd ?? process.cwd()));
  one.messages.sort((a, b) => a.line - b.line || a.column - b.column);
  return { messages: one.messages, facts: one.facts };
}

/**
 * The hook `server/lint.ts` calls: lints the `.py` files among `paths`, appends their results,
 * and teaches `eslint.getRulesMetaForResults` (which only knows files ESLint linted) the rule
 * metadata of the Python results, so formatters and SARIF see them like any other.
 */
export async function withPythonResults(eslint: ESLint, results: ESLint.LintResult[], paths: string[], options: PythonLintOptions & { cwd: string }): Promise<ESLint.LintResult[]> {
  const py = await lintPythonFiles(pythonFilesIn(paths, options.cwd), options);
  if (!py.length) return results;
  const pyFiles = new Set(py.map((r) => r.filePath));
  const original = eslint.getRulesMetaForResults.bind(eslint);
  eslint.getRulesMetaForResults = (rs: ESLint.LintResult[]) => {
    const meta = original(rs.filter((r) => !pyFiles.has(r.filePath))) as Record<string, unknown>;
    for (const r of rs) {
      if (!pyFiles.has(r.filePath)) continue;
      for (const m of r.messages) {
        const name = m.ruleId?.replace(/^ghostwatch\//, "");
        const rule = name ? (rules as Record<string, { meta: unknown }>)[name] : undefined;
        if (m.ruleId && rule && !meta[m.ruleId]) meta[m.ruleId] = rule.meta;
      }
    }
    return meta as ReturnType<ESLint["getRulesMetaForResults"]>;
  };
  // An explicit `foo.py` argument makes ESLint report "file ignored": the Python result replaces it.
  return results.filter((r) => !pyFiles.has(r.filePath)).concat(py);
}
