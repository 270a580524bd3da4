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
import { describeReach, findLies, isTestOnlyPath, renameAdvice, type LieOptions as HonestOptions } from "../core/lies.js";
import type { PyFinding } from "./checks.js";
import { pythonLoopChecks } from "./loop-facts.js";
import { pythonResourceChecks } from "./resource-facts.js";
import { pythonTimeoutChecks } from "./timeout-facts.js";
import { buildPythonFacts } from "./facts.js";
import { pythonEndpointChecks, pythonParamChecks, snake, type PyEdit, type PyReport } from "./llm-checks.js";
import { findPythonLlmCalls, PyValues, type PyLlmFile } from "./llm-facts.js";
import { pythonSchemaChecks } from "./schema-facts.js";
import { directivesOf, noqaEdit, removalEdit, suppressing, unusedRules } from "./suppress-facts.js";
import { loadPythonParser, pythonParser, tooDeepForParser } from "./parser.js";
import { pythonResolver } from "./resolver.js";

export type Preset = "recommended" | "strict" | "local-only";

export interface PythonLintOptions {
  preset?: Preset;
  cwd?: string;
  /** Report `# noqa: ghostwatch/…` / `# ghostwatch: disable=…` directives that suppressed nothing. */
  reportUnusedDisableDirectives?: boolean;
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

function result(filePath: string, messages: Linter.LintMessage[], source?: string, suppressed: Linter.SuppressedLintMessage[] = []): ESLint.LintResult {
  messages.sort((a, b) => a.line - b.line || a.column - b.column);
  return {
    filePath,
    messages,
    suppressedMessages: suppressed,
    errorCount: messages.filter((m) => m.severity === 2).length,
    fatalErrorCount: messages.filter((m) => m.fatal).length,
    warningCount: messages.filter((m) => m.severity === 1).length,
    fixableErrorCount: messages.filter((m) => m.severity === 2 && m.fix).length,
    fixableWarningCount: messages.filter((m) => m.severity === 1 && m.fix).length,
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

interface RuleSetting {
  level: Level;
  options: Record<string, unknown>;
}

interface PySettings {
  honest: RuleSetting;
  unclosed: RuleSetting;
  loops: RuleSetting;
  temperature: RuleSetting;
  maxTokens: RuleSetting;
  schema: RuleSetting;
  cloud: RuleSetting;
  timeout: RuleSetting;
  reportUnused: boolean;
}

function settingsFrom(get: (rule: string) => RuleSetting, reportUnused = false): PySettings {
  return {
    honest: get("honest-llm-names"),
    unclosed: get("no-unclosed-http-client"),
    loops: get("no-unbounded-loop"),
    temperature: get("require-llm-temperature"),
    maxTokens: get("require-llm-max-tokens"),
    schema: get("require-llm-schema"),
    cloud: get("no-cloud-llm"),
    timeout: get("require-request-timeout"),
    reportUnused,
  };
}

const LEVEL_OF: Record<string, keyof PySettings> = {
  "honest-llm-names": "honest",
  "no-unclosed-http-client": "unclosed",
  "no-unbounded-loop": "loops",
  "require-llm-temperature": "temperature",
  "require-llm-max-tokens": "maxTokens",
  "require-llm-schema": "schema",
  "no-cloud-llm": "cloud",
  "require-request-timeout": "timeout",
};

/**
 * The rules' messages are written for TS; in a Python file they name the Python construct
 * (`temperature=0`, not `temperature: 0`; `json.loads`, not `JSON.parse`).
 */
const PY_PHRASES: Array<[RegExp | string, string]> = [
  ["JSON.parse", "json.loads"],
  ["`strict: true`", '`"strict": True`'],
  ["`additionalProperties: false`", '`"additionalProperties": False`'],
  ["build the tool with zodFunction()", "build the tool with openai.pydantic_function_tool(Model)"],
  ["`response_format: json_object`", '`response_format={"type": "json_object"}`'],
  ["`json_schema` with `\"strict\": True` / zodResponseFormat()", "`response_format=Model` with `.parse()`"],
  [/ \/ zodResponseFormat\(\)/g, " / `response_format=Model` with `.parse()`"],
  [/baseURL "([^"]*)"/g, 'base_url="$1"'],
  [/`process\.env\.(\w+) \?\? "([^"]*)"`/g, '`os.environ.get("$1", "$2")`'],
];

export function pythonText(message: string): string {
  let out = message;
  for (const [from, to] of PY_PHRASES) out = typeof from === "string" ? out.split(from).join(to) : out.replace(from, to);
  // `key: value` / `options.num_predict: 1024` → `key=value` / `options={"num_predict": 1024}`
  return out.replace(/`([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*): ([^`:]+)`/g, (_m, path: string, value: string) => {
    const v = value === "true" ? "True" : value === "false" ? "False" : value;
    const [head, ...rest] = path.split(".").map(snake);
    return rest.length ? `\`${head}={"${rest.join(".")}": ${v}}\`` : `\`${head}=${v}\``;
  });
}

type Loc = { start: { line: number; column: number }; end: { line: number; column: number } };

interface Lint {
  messages: Linter.LintMessage[];
  suppressed: Linter.SuppressedLintMessage[];
  fatal: boolean;
  facts?: FileFacts;
}

const TOO_DEEP = "Parsing error: the file nests too deeply for the parser (Maximum call stack size exceeded); it was not linted.";

function fatalMessage(message: string, line = 1, column = 1): Linter.LintMessage {
  return { ruleId: null, fatal: true, severity: 2, message, line, column, nodeType: null } as unknown as Linter.LintMessage;
}

function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}

/** One text through the Python checks: its messages (a syntax error → one fatal message) and its facts. */
function lintOne(parser: import("web-tree-sitter").Parser, text: string, file: string, settings: PySettings, resolver: ModuleResolver, relative: (f: string) => string, cwd: string): Lint {
  const { honest, unclosed, loops } = settings;
  const messages: Linter.LintMessage[] = [];
  const suppressed: Linter.SuppressedLintMessage[] = [];
  const depth = tooDeepForParser(text);
  if (depth !== undefined) {
    return { messages: [fatalMessage(`Parsing error: the file nests too deeply for the parser (${depth} levels of indentation; Python allows 100); it was not linted.`)], suppressed, fatal: true };
  }
  let tree: import("web-tree-sitter").Tree | null;
  try {
    tree = parser.parse(text);
  } catch (e) {
    return { messages: [fatalMessage(isStackOverflow(e) ? TOO_DEEP : `Parsing error: the Python parser failed (${(e as Error).message})`)], suppressed, fatal: true };
  }
  if (!tree) return { messages: [fatalMessage("Parsing error: the Python parser gave up")], suppressed, fatal: true };
  if (tree.rootNode.childCount === 0 && /^[ \t]*[^\s#]/m.test(text)) {
    // Code but an empty tree: the parser failed without saying so. Never report that as clean.
    tree.delete();
    return { messages: [fatalMessage("Parsing error: the Python parser returned nothing for this file; it was not linted.")], suppressed, fatal: true };
  }
  let facts: FileFacts | undefined;
  const root = tree.rootNode;
  try {
    const syntax = firstSyntaxError(root);
    if (syntax) {
      // Like ESLint: a file that does not parse gets one fatal message and no rule findings.
      return { messages: [fatalMessage(syntax.message, syntax.line, syntax.column)], suppressed, fatal: true };
    }
    let py: ReturnType<typeof buildPythonFacts>;
    try {
      py = buildPythonFacts(root, file, text);
    } catch (e) {
      // Never a silent empty result: the file is reported as not linted.
      return { messages: [fatalMessage(isStackOverflow(e) ? TOO_DEEP : `Parsing error: the Python front could not read this file (${(e as Error).message}); it was not linted.`)], suppressed, fatal: true };
    }
    facts = py.facts;
    const directives = directivesOf(root, text);
    const push = (rule: string, level: Level, messageId: string, data: Record<string, string>, loc: Loc, extra?: { suggestions?: PyReport["suggestions"]; fix?: PyEdit }) => {
      const m = {
        ruleId: `ghostwatch/${rule}`,
        severity: level,
        message: pythonText(formatMessage(rule, messageId, data)),
        messageId,
        line: loc.start.line,
        column: loc.start.column + 1,
        endLine: loc.end.line,
        endColumn: loc.end.column + 1,
        nodeType: "Identifier",
      } as Linter.LintMessage;
      if (extra?.fix) m.fix = extra.fix;
      const suggestions: Linter.LintSuggestion[] = (extra?.suggestions ?? []).map((s) => ({ desc: pythonText(formatMessage(rule, s.messageId, s.data)), messageId: s.messageId, fix: s.fix }));
      const noqa = noqaEdit(root, text, loc.start.line, rule, directives);
      if (noqa) suggestions.push({ desc: `Disable ${rule} for this line (# noqa: ghostwatch/${rule})`, fix: noqa });
      if (suggestions.length) m.suggestions = suggestions;
      const d = suppressing(directives, loc.start.line, rule);
      if (d) suppressed.push({ ...m, suppressions: [{ kind: "directive", justification: "" }] } as Linter.SuppressedLintMessage);
      else messages.push(m);
    };
    /** Runs one rule's checks; a crash is reported on the file and every other rule's findings are kept. */
    const guarded = (rule: string, run: () => void) => {
      try {
        run();
      } catch (e) {
        const level = (settings[LEVEL_OF[rule]] as RuleSetting | undefined)?.level || 1;
        messages.push({ ruleId: `ghostwatch/${rule}`, severity: level, message: isStackOverflow(e) ? `${rule} could not check this file: it nests too deeply (Maximum call stack size exceeded).` : `${rule} crashed on this file (${(e as Error).message}); the other rules' findings are kept.`, line: 1, column: 1 } as Linter.LintMessage);
      }
    };
    const locOf = (n: import("web-tree-sitter").Node): Loc => ({ start: { line: n.startPosition.row + 1, column: n.startPosition.column }, end: { line: n.endPosition.row + 1, column: n.endPosition.column } });
    if (honest.level && !((honest.options as HonestOptions).checkTestFiles === false && isTestOnlyPath(file))) {
      guarded("honest-llm-names", () => {
        const facts = py.facts;
        const callees = (fn: FnInfo) => facts.atoms.flatMap((a) => (a.kind === "ref" && a.start >= fn.range[0] && a.start < fn.range[1] && facts.fnByName.get(a.name)) || []);
        const lies = findLies(facts.functions, (fn) => reachOf(facts, fn, resolver), facts.header, honest.options as HonestOptions, callees);
        for (const f of lies) {
          const data = { name: f.fn.name, claim: describeClaim(f.claim), word: f.claim.word, reach: describeReach(f, relative), honest: f.honest, advice: renameAdvice(f, true) };
          const loc = (f.fn.nameNode as unknown as { loc: Loc }).loc;
          push("honest-llm-names", honest.level, f.claim.source === "name" ? "lyingName" : "lyingComment", data, loc);
        }
      });
    }
    const timeout = settings.timeout;
    const networkRules: Array<[string, Level, () => PyFinding[]]> = [
      ["no-unclosed-http-client", unclosed.level && unclosed.options.checkResources !== false ? unclosed.level : 0, () => pythonResourceChecks(root, py, { resources: true, sdkClients: true })],
      ["no-unbounded-loop", loops.level, () => pythonLoopChecks(root, py, resolver, relative)],
      ["require-request-timeout", timeout.level, () => pythonTimeoutChecks(root, py, Math.max(1, Math.round(Number(timeout.options.defaultTimeoutMs ?? 30_000) / 1000)))],
    ];
    for (const [rule, ruleLevel, check] of networkRules) {
      if (!ruleLevel) continue;
      guarded(rule, () => {
        for (const f of check()) {
          const level = f.rule === "no-unclosed-http-client" ? unclosed.level : f.rule === "require-request-timeout" ? timeout.level : loops.level;
          if (f.messageId === "clientPerUnit" && unclosed.options.checkSdkClients === false) continue;
          const n = f.node;
          const start = { line: n.startPosition.row + 1, column: n.startPosition.column };
          // Loops are reported on their head (`while True:`), calls on the whole call.
          const end = f.rule === "no-unbounded-loop" ? { line: start.line, column: (n.childForFieldName("condition")?.endPosition.column ?? start.column + 5) } : { line: n.endPosition.row + 1, column: n.endPosition.column };
          push(f.rule, level, f.messageId, f.data, { start, end });
        }
      });
    }
    const { temperature, maxTokens, schema, cloud } = settings;
    if (temperature.level || maxTokens.level || schema.level || cloud.level) {
      const values = new PyValues(py);
      let llm: PyLlmFile | undefined;
      const llmFile = () => (llm ??= findPythonLlmCalls(root, py, values));
      const emit = (r: PyReport) => {
        const setting = settings[LEVEL_OF[r.rule]] as RuleSetting;
        push(r.rule, setting.level, r.messageId, r.data, locOf(r.node), { suggestions: r.suggestions, fix: r.fix });
      };
      if (temperature.level || maxTokens.level) {
        guarded(temperature.level ? "require-llm-temperature" : "require-llm-max-tokens", () => {
          for (const r of pythonParamChecks(llmFile(), py, values, text, { temperature, maxTokens }, cwd)) emit(r);
        });
      }
      if (schema.level) guarded("require-llm-schema", () => pythonSchemaChecks(root, llmFile(), py, values, schema.level).forEach(emit));
      if (cloud.level) guarded("no-cloud-llm", () => pythonEndpointChecks(root, llmFile(), py, values, { cloud }).forEach(emit));
    }
    if (settings.reportUnused) {
      for (const list of directives.values()) {
        for (const d of list) {
          const unused = unusedRules(d);
          if (!unused.length) continue;
          const fix = removalEdit(d, text);
          const names = unused.map((r) => `'ghostwatch/${r}'`).join(", ");
          const kind = d.kind === "noqa" ? "noqa directive" : "ghostwatch: disable directive";
          messages.push({ ruleId: null, severity: 1, message: `Unused ${kind} (no problems were reported from ${names}).`, line: d.line, column: d.range[0] - lineStart(text, d.range[0]) + 1, fix, nodeType: null } as unknown as Linter.LintMessage);
        }
      }
    }
  } catch (e) {
    // Anything else: say so on the file, never an empty result that reads as clean.
    messages.push(fatalMessage(isStackOverflow(e) ? TOO_DEEP : `Internal error in the Python front (${(e as Error).message}); findings may be missing.`));
  } finally {
    tree.delete();
  }
  return { messages, suppressed, fatal: messages.some((m) => m.fatal), facts };
}

function lineStart(text: string, index: number): number {
  return text.lastIndexOf("\n", index - 1) + 1;
}

/** Lints Python files; one ESLint-shaped result per file, in the given order. */
export async function lintPythonFiles(files: string[], options: PythonLintOptions = {}): Promise<ESLint.LintResult[]> {
  if (!files.length) return [];
  const preset = options.preset ?? "recommended";
  const cwd = options.cwd ?? process.cwd();
  const relative = relativeTo(cwd);
  const settings = settingsFrom((rule) => ruleSetting(preset, rule), !!options.reportUnusedDisableDirectives);
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
    const one = lintOne(parser, text, file, settings, resolver, relative, cwd);
    if (one.facts) known.set(file, one.facts);
    out.push(result(file, one.messages, one.fatal || one.messages.length ? text : undefined, one.suppressed));
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
  reportUnusedDisableDirectives?: boolean;
}

/**
 * One Python text (an editor buffer, not the disk) → its messages, exactly as `lintPythonFiles`
 * reports them, plus the file's facts (undefined when it does not parse). Synchronous: the
 * parser must be loaded (`await loadPythonParser()`); before that it returns undefined.
 */
export function lintPythonText(text: string, file: string, options: PythonTextOptions = {}): { messages: Linter.LintMessage[]; suppressedMessages: Linter.SuppressedLintMessage[]; facts?: FileFacts } | undefined {
  const parser = pythonParser();
  if (!parser) return undefined;
  const rulesRecord = options.rules ?? (presetRules(options.preset ?? "recommended") as Record<string, unknown>);
  const settings = settingsFrom((rule) => ruleSettingIn(rulesRecord, rule), !!options.reportUnusedDisableDirectives);
  const one = lintOne(parser, text, file, settings, options.resolver ?? pythonResolver(), relativeTo(options.cwd ?? process.cwd()), options.cwd ?? process.cwd());
  one.messages.sort((a, b) => a.line - b.line || a.column - b.column);
  return { messages: one.messages, suppressedMessages: one.suppressed, facts: one.facts };
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
