#!/usr/bin/env node
/**
 * Seeded mutation fuzz of real files through every Ghostwatch rule (ESLint's Linter, in process),
 * the Python front, and the `ghostwatch lint` CLI (a child process on a sample of the files).
 *
 *   node scripts/stress/fuzz.mjs [--files N] [--py-files N] [--cli-files N] [--seed S] [--seconds T]
 *
 * Seeds: the bundled examples, the test fixtures and real .ts/.js sources under node_modules
 * (TS/JS); the test fixtures' .py files and any .py under node_modules (Python). Each mutated file
 * gets a canary appended — a function whose name lies (`callOllamaFuzzCanary` reaching the cloud) —
 * so a file that parses must come back with the canary's finding, and one that does not parse must
 * come back with a message: anything else is a *silent loss*. A rule that throws is a *rule
 * exception*. Both are written to test/fixtures/fuzz/ as reproducers (the first few of each kind).
 * Also deep-nesting generators: 1,500+ nested arrows (TS) and 2,000-level Python.
 * Prints `STRESS-ROW <json>` lines for scripts/stress/index.mjs.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Linter } from "eslint";
import tsParser from "@typescript-eslint/parser";
import { rng } from "../lib/rng.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : def;
};
const FILES = opt("files", 2000);
const PY_FILES = opt("py-files", Math.max(2000, Math.round(FILES / 5)));
const CLI_FILES = opt("cli-files", Math.min(FILES, 400));
const SEED = opt("seed", 1);
const SECONDS = opt("seconds", 900);
const deadline = Date.now() + SECONDS * 1000;

const { default: plugin } = await import(path.join(root, "dist/rules/index.js"));
const { diskResolver } = await import(path.join(root, "dist/rules/core/disk-resolver.js"));
const { lintPythonText } = await import(path.join(root, "dist/rules/python/lint.js"));
const { loadPythonParser } = await import(path.join(root, "dist/rules/python/parser.js"));

const rand = rng(SEED);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const int = (n) => Math.floor(rand() * n);

// ---- seeds ------------------------------------------------------------------------------------
const SKIP = new Set([".git", ".e2e", "dist", ".bench", "coverage", ".fuzz"]);
const reproDir = path.join(root, "test/fixtures/fuzz");
function walk(dir, test, out, limit, depth = 0) {
  if (out.length >= limit || depth > 12) return;
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  } catch {
    return;
  }
  for (const e of entries) {
    if (out.length >= limit) return;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP.has(e.name) && p !== reproDir && !(e.name === "node_modules" && depth > 0 && dir.includes("node_modules"))) walk(p, test, out, limit, depth + 1);
    } else if (e.isFile() && test(p)) {
      try {
        const size = fs.statSync(p).size;
        if (size > 0 && size < 64_000) out.push(p);
      } catch {
        /* unreadable */
      }
    }
  }
}
const isTs = (p) => /\.(?:[cm]?[tj]sx?)$/.test(p) && !p.endsWith(".d.ts") && !p.endsWith(".min.js");
const tsSeeds = [];
walk(path.join(root, "examples"), isTs, tsSeeds, 200);
walk(path.join(root, "test/fixtures"), isTs, tsSeeds, 400);
walk(path.join(root, "test/lsp/fixtures"), isTs, tsSeeds, 500);
const nm = [];
walk(path.join(root, "node_modules"), isTs, nm, 20_000);
// A deterministic spread over node_modules, not its first alphabetic packages.
for (let i = 0; i < nm.length && tsSeeds.length < 2500; i += Math.max(1, Math.floor(nm.length / 2000))) tsSeeds.push(nm[i]);
const pySeeds = [];
walk(path.join(root, "test"), (p) => p.endsWith(".py"), pySeeds, 500);
walk(path.join(root, "examples"), (p) => p.endsWith(".py"), pySeeds, 600);
walk(path.join(root, "node_modules"), (p) => p.endsWith(".py"), pySeeds, 1000);
const read = (p) => fs.readFileSync(p, "utf8");

// ---- mutations ---------------------------------------------------------------------------------
const TS_SNIPPETS = [
  "{", "}", "(", ")", ";", "=>", "await ", "async ", "return ", "export ", "yield ", "...", "?.", "!", "`${x}`",
  "while (true) {", "for (;;) { await fetch(url); }", "if (!res.ok) throw new Error('x');",
  'await fetch("http://localhost:11434/api/generate", { method: "POST" });',
  'const client = new OpenAI({ baseURL: "https://openrouter.ai/api/v1" });',
  'await client.chat.completions.create({ model: "gpt-4o", messages, temperature: 0.9 });',
  "JSON.parse(completion.choices[0].message.content);",
  "setInterval(async () => { await poll(); }, 1000);",
  "function callLocalModel() { return callOllama(); }",
  "const x = () => () => () => 1;", "class LocalLLM { async generate() { return fetch(u); } }",
  "import { route } from './router';", "export default async function () {}",
  "/* unterminated", "'unterminated", "\u0000", "\uFEFF", "#!", "<div>{x}</div>", "@decorator", "enum E { A }", "type T = { a: string };",
];
const PY_SNIPPETS = [
  ":", "(", ")", "[", "]", "    ", "\t", "\n", "pass", "return", "await ", "async ", "lambda: ", "yield",
  "while True:\n    requests.get(url)", 'requests.post("https://api.openai.com/v1/chat/completions", json=p)',
  'client = OpenAI(base_url="https://openrouter.ai/api/v1")', "def call_local_model():\n    return call_ollama()",
  "with httpx.Client() as c:\n    c.get(u)", "s = requests.Session()", 'urllib.request.urlopen("http://x")',
  "litellm.completion(model=m, fallbacks=['gpt-4o'])", "import requests", "from .router import route",
  '"""unterminated', "'unterminated", "\u0000", "@decorator", "class LocalLLM:\n    def generate(self):\n        return requests.get(u)",
];

/** Mutation operators with weights: most keep the file parseable (so the rules see it), some break it. */
const OPS = [
  ["delete lines", 15], ["duplicate a line", 15], ["swap two lines", 10], ["insert a snippet line", 20],
  ["insert a token in a line", 10], ["splice another file", 15], ["rename to a claim word", 10], ["truncate", 3],
];
const OP_TOTAL = OPS.reduce((n, [, w]) => n + w, 0);
function op() {
  let r = rand() * OP_TOTAL;
  for (const [name, w] of OPS) if ((r -= w) < 0) return name;
  return OPS[0][0];
}

function mutate(text, snippets, donors) {
  let lines = text.split("\n");
  const n = 1 + int(2);
  for (let k = 0; k < n; k++) {
    const i = int(lines.length + 1);
    switch (op()) {
      case "delete lines":
        lines.splice(i, 1 + int(5));
        break;
      case "duplicate a line":
        if (lines.length) lines.splice(i, 0, lines[Math.min(i, lines.length - 1)]);
        break;
      case "swap two lines": {
        const j = int(lines.length);
        if (lines[i] !== undefined && lines[j] !== undefined) [lines[i], lines[j]] = [lines[j], lines[i]];
        break;
      }
      case "insert a snippet line":
        lines.splice(i, 0, pick(snippets));
        break;
      case "insert a token in a line": {
        const line = lines[i] ?? "";
        const at = int(line.length + 1);
        lines[i] = line.slice(0, at) + pick(snippets) + line.slice(at);
        break;
      }
      case "splice another file": {
        const d = read(pick(donors)).split("\n");
        const s = int(d.length);
        lines.splice(i, 0, ...d.slice(s, s + 1 + int(20)));
        break;
      }
      case "rename to a claim word":
        lines[i] = (lines[i] ?? "").replace(/\b([a-z][A-Za-z0-9_]{3,})\b/, pick(["callOllama", "localModel", "call_ollama", "offlineGenerate", "askOpenAI"]));
        break;
      default:
        lines = lines.slice(0, i);
    }
  }
  return lines.join("\n");
}

const TS_CANARY = '\nexport async function callOllamaFuzzCanary(p) {\n  return fetch("https://openrouter.ai/api/v1/chat/completions", { method: "POST", body: p, signal: AbortSignal.timeout(5000) });\n}\n';
const PY_CANARY = '\n\ndef call_ollama_fuzz_canary(p):\n    return requests.post("https://api.openai.com/v1/chat/completions", json=p, timeout=5)\n';
/** The canary's line, for the reproducer notes (ESLint's line breaks; the check itself matches the canary's name). */
const canaryLine = (text, canary) => text.split(/\r\n|[\r\n\u2028\u2029]/).length + canary.split("\n").findIndex((l) => /Canary|canary/.test(l));

// ---- the checks --------------------------------------------------------------------------------
const allRules = { ...plugin.configs.strict.rules, ...plugin.configs["local-only"].rules };
for (const k of Object.keys(allRules)) if (!Array.isArray(allRules[k])) allRules[k] = "error";
const linter = new Linter({ configType: "flat" });
const resolver = diskResolver();
const config = [
  {
    files: ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts", "**/*.js", "**/*.jsx", "**/*.mjs", "**/*.cjs"],
    plugins: { ghostwatch: plugin },
    languageOptions: { parser: tsParser, parserOptions: { ecmaFeatures: { jsx: true } } },
    settings: { ghostwatch: { resolver } },
    rules: allRules,
  },
];

const reproduced = new Map();
function reproducer(kind, ext, text, why) {
  const n = reproduced.get(kind) ?? 0;
  if (n >= 3) return undefined;
  reproduced.set(kind, n + 1);
  fs.mkdirSync(reproDir, { recursive: true });
  const file = path.join(reproDir, `${kind}-${createHash("sha1").update(text).digest("hex").slice(0, 8)}.${ext}`);
  fs.writeFileSync(file, text);
  fs.writeFileSync(file + ".txt", why + "\n");
  return path.relative(root, file);
}

const stats = { ts: { files: 0, exceptions: 0, losses: 0, parseErrors: 0 }, py: { files: 0, exceptions: 0, losses: 0, parseErrors: 0 } };
const findings = [];

function checkTs(text, filename, label) {
  const line = canaryLine(text, TS_CANARY);
  const full = text + TS_CANARY;
  stats.ts.files++;
  let messages;
  try {
    messages = linter.verify(full, config, { filename });
  } catch (e) {
    stats.ts.exceptions++;
    const rule = /Rule: "([^"]+)"/.exec(e.message)?.[1] ?? "unknown";
    const file = reproducer(`ts-exception-${rule.replace(/\W+/g, "_")}`, filename.endsWith(".ts") ? "ts" : "js", full, `${label}\n${e.stack}`);
    findings.push({ kind: "rule exception", rule, seed: label, message: e.message.split("\n")[0], file });
    return;
  }
  if (messages.some((m) => m.fatal)) {
    stats.ts.parseErrors++;
    return;
  }
  if (!messages.some((m) => m.ruleId === "ghostwatch/honest-llm-names" && m.message.startsWith("callOllamaFuzzCanary()"))) {
    stats.ts.losses++;
    const file = reproducer("ts-silent-loss", filename.endsWith(".ts") ? "ts" : "js", full, `${label}\nparses, but no honest-llm-names finding on the canary (line ${line}); messages: ${JSON.stringify(messages.map((m) => [m.ruleId, m.line]))}`);
    findings.push({ kind: "silent loss", rule: "ghostwatch/honest-llm-names", seed: label, message: `no canary finding (line ${line})`, file });
  }
}

function checkPy(text, filename, label) {
  const line = canaryLine(text, PY_CANARY);
  const full = text + PY_CANARY;
  stats.py.files++;
  let out;
  try {
    out = lintPythonText(full, filename, { preset: "strict", cwd: root });
  } catch (e) {
    stats.py.exceptions++;
    const file = reproducer("py-exception", "py", full, `${label}\n${e.stack}`);
    findings.push({ kind: "rule exception", rule: "python front", seed: label, message: String(e.message).split("\n")[0], file });
    return;
  }
  if (!out) throw new Error("Python parser not loaded");
  if (out.messages.some((m) => m.fatal || m.ruleId === null)) {
    stats.py.parseErrors++;
    return;
  }
  if (!out.messages.some((m) => m.ruleId === "ghostwatch/honest-llm-names" && m.message.startsWith("call_ollama_fuzz_canary()"))) {
    stats.py.losses++;
    const file = reproducer("py-silent-loss", "py", full, `${label}\nparses (no fatal message), but no honest-llm-names finding on the canary (line ${line}); messages: ${JSON.stringify(out.messages.map((m) => [m.ruleId, m.line]))}`);
    findings.push({ kind: "silent loss", rule: "python front", seed: label, message: `no canary finding (line ${line})`, file });
  }
}

// ---- deep nesting ------------------------------------------------------------------------------
// Depth ramps: the deepest a rule sees is the deepest the parser accepts (~1,000 with Node's default stack).
const DEPTHS = [300, 600, 900, 1100, 1500, 2000];
const deepTs = DEPTHS.flatMap((n) => [
  [`${n} nested arrows`, `export const f = ${"() => ".repeat(n)}fetch("https://openrouter.ai/api/v1/chat/completions");\n`],
  [`${n} nested arrow bodies`, `export const g = ${"() => { return ".repeat(n)}1${"; }".repeat(n)};\n`],
  [`${n} nested calls`, `export const h = ${"f(".repeat(n)}1${")".repeat(n)};\n`],
  [`${n} nested ifs`, `export function k(x) {\n${"if (x) {\n".repeat(n)}x++;\n${"}\n".repeat(n)}}\n`],
  [`${n} nested loops`, `export async function w() {\n${"while (true) {\n".repeat(n)}await fetch("http://localhost:11434/api/tags");\n${"}\n".repeat(n)}}\n`],
]);
const deepPy = [...DEPTHS.map((n) => Math.max(n, 1000)), 2000].filter((n, i, a) => a.indexOf(n) === i).flatMap((n) => [
  [`${n} nested parens`, `x = ${"(".repeat(n)}1${")".repeat(n)}\n`],
  [`${n} nested lists`, `x = ${"[".repeat(n)}1${"]".repeat(n)}\n`],
  [`${n} nested ifs`, Array.from({ length: n }, (_, i) => `${" ".repeat(i)}if x:`).join("\n") + `\n${" ".repeat(n)}pass\n`],
  [`${n} nested calls`, `x = ${"f(".repeat(n)}1${")".repeat(n)}\n`],
]);

const t0 = Date.now();
for (const [label, text] of deepTs) checkTs(text, path.join(root, "examples/deep.ts"), `generator: ${label}`);
await loadPythonParser();
for (const [label, text] of deepPy) checkPy(text, path.join(root, "examples/deep.py"), `generator: ${label}`);

// ---- mutation runs -----------------------------------------------------------------------------
const cliSample = [];
let timedOut = false;
for (let i = 0; i < FILES; i++) {
  if (Date.now() > deadline) {
    timedOut = true;
    break;
  }
  const seed = pick(tsSeeds);
  const text = mutate(read(seed), TS_SNIPPETS, tsSeeds);
  const ext = /\.(?:[cm]?tsx?)$/.test(seed) ? path.extname(seed) : ".ts";
  // Linted under its own folder (relative imports resolve from there), node_modules seeds under
  // .fuzz/ (ESLint never lints node_modules).
  const virtual = path.relative(root, seed).split(path.sep).includes("node_modules") ? path.join(root, ".fuzz", path.relative(root, seed).split(path.sep).map((s) => (s === "node_modules" ? "nm" : s)).join(path.sep)) : seed;
  checkTs(text, virtual.replace(/\.[^.]+$/, `.fuzz${ext}`), `${path.relative(root, seed)} #${i} (seed ${SEED})`);
  if (cliSample.length < CLI_FILES) cliSample.push({ text: text + TS_CANARY, ext });
}
const tsSeconds = (Date.now() - t0) / 1000;
const t1 = Date.now();
for (let i = 0; i < PY_FILES && pySeeds.length; i++) {
  if (Date.now() > deadline) {
    timedOut = true;
    break;
  }
  const seed = pick(pySeeds);
  checkPy(mutate(read(seed), PY_SNIPPETS, pySeeds), seed.replace(/\.py$/, ".fuzz.py"), `${path.relative(root, seed)} #${i} (seed ${SEED})`);
}
const pySeconds = (Date.now() - t1) / 1000;

// ---- the CLI on a sample: every file must come back with a result, exit 0/1 ------------------
const cli = { files: 0, missing: 0, badExit: 0, crashMessages: 0 };
if (cliSample.length && Date.now() < deadline) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ghostwatch-fuzz-"));
  try {
    cliSample.forEach((f, i) => fs.writeFileSync(path.join(dir, `f${i}${f.ext}`), f.text));
    const r = spawnSync(process.execPath, [path.join(root, "dist/server/cli.js"), "lint", ".", "--format", "json", "--preset", "strict"], { cwd: dir, encoding: "utf8", timeout: Math.max(30_000, deadline - Date.now()), maxBuffer: 1 << 30, killSignal: "SIGKILL" });
    cli.files = cliSample.length;
    if (r.status !== 0 && r.status !== 1) {
      cli.badExit = 1;
      findings.push({ kind: "cli exit", rule: "-", seed: "-", message: `exit ${r.status ?? r.signal}: ${r.stderr.slice(0, 300)}` });
    } else {
      const results = JSON.parse(r.stdout);
      const seen = new Set(results.map((x) => path.basename(x.filePath)));
      cli.missing = cliSample.filter((f, i) => !seen.has(`f${i}${f.ext}`)).length;
      cli.crashMessages = results.reduce((n, x) => n + x.messages.filter((m) => / crashed: /.test(m.message)).length, 0);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

for (const f of findings.slice(0, 40)) process.stderr.write(`FUZZ ${f.kind}: ${f.rule} — ${f.message} — ${f.seed}${f.file ? ` → ${f.file}` : ""}\n`);
const row = (metric, value, target, ok) => console.log(`STRESS-ROW ${JSON.stringify({ suite: "fuzz", metric, value, target, ok })}`);
row(`TS/JS mutated files (seed ${SEED}; ${tsSeeds.length} seeds; ${tsSeconds.toFixed(0)} s)`, stats.ts.files, `≥ ${FILES}`, stats.ts.files >= FILES);
row("TS/JS rule exceptions", stats.ts.exceptions, 0, stats.ts.exceptions === 0);
row("TS/JS files that parsed and went through every rule", stats.ts.files - stats.ts.parseErrors - stats.ts.exceptions, "-", true);
row(`TS/JS silent losses (${stats.ts.parseErrors} parse errors, each with a message)`, stats.ts.losses, 0, stats.ts.losses === 0);
row(`Python mutated files (${pySeeds.length} seeds; ${pySeconds.toFixed(0)} s)`, stats.py.files, `≥ ${PY_FILES}`, stats.py.files >= PY_FILES);
row("Python exceptions", stats.py.exceptions, 0, stats.py.exceptions === 0);
row("Python files that parsed and went through every check", stats.py.files - stats.py.parseErrors - stats.py.exceptions, "-", true);
row(`Python silent losses (${stats.py.parseErrors} parse errors, each with a message)`, stats.py.losses, 0, stats.py.losses === 0);
row(`CLI: files of ${cli.files} without a result / bad exit`, cli.missing + cli.badExit, 0, cli.files > 0 && cli.missing + cli.badExit === 0);
row("CLI: rule crashes reported (isolated)", cli.crashMessages, 0, cli.crashMessages === 0);
if (timedOut) row("fuzz finished within --seconds", "no", "yes", false);
