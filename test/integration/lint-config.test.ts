// `ghostwatch lint` in a project that already has an eslint.config.*, with ESLint's usual options,
// and a rule that throws: the built CLI in a child process, the real ESLint underneath.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const cli = path.join(root, "dist/server/cli.js");
const tsParser = JSON.stringify(path.join(root, "node_modules/@typescript-eslint/parser/dist/index.js"));
const pluginPath = JSON.stringify(path.join(root, "dist/rules/index.js"));
const dirs: string[] = [];

interface Msg { ruleId: string | null; severity: number; line: number; column: number; message: string }
type Results = Array<{ filePath: string; errorCount: number; warningCount: number; messages: Msg[] }>;

function lint(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [cli, "lint", ...args], { cwd, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ghostwatch-cfg-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const byName = (out: string) => Object.fromEntries((JSON.parse(out) as Results).map((r) => [path.relative(dirs.at(-1)!, r.filePath).split(path.sep).join("/"), r.messages]));

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const lying = `export async function callOllama(p: string) {
  const r = await fetch("https://openrouter.ai/api/v1/chat/completions", { method: "POST", body: p, signal: AbortSignal.timeout(5000) });
  return r.json();
}
`;
const lie = "callOllama() claims a local model but reaches openrouter.ai (src/a.ts:2) and never a local model. Rename it project-wide (e.g. callRouter; your editor's Rename Symbol) or remove the other routes.";
// A project config of its own (a TS parser and one core rule), without the Ghostwatch plugin.
const plainConfig = `import tsParser from ${tsParser};\nexport default [{ files: ["**/*.ts"], languageOptions: { parser: tsParser }, rules: { "no-var": "error" } }];\n`;
const overlayLine = "ghostwatch lint: eslint.config.mjs enables no Ghostwatch rule, so the recommended preset runs on top of it (--config-only: the config alone; --no-config: the preset alone)\n";

describe("ghostwatch lint with a project config that enables no Ghostwatch rule", () => {
  it("runs the preset on top of it, keeps the project's rules, and says so in one line", () => {
    const dir = project({ "eslint.config.mjs": plainConfig, "src/a.ts": lying, "src/b.ts": "var x = 1;\nexport { x };\n" });
    const r = lint(["src", "-f", "json"], dir);
    expect(r.code).toBe(1);
    expect(r.err).toBe(overlayLine);
    const m = byName(r.out);
    expect(m["src/a.ts"].map((x) => [x.ruleId, x.line, x.column, x.message])).toEqual([["ghostwatch/honest-llm-names", 1, 23, lie]]);
    expect(m["src/b.ts"].map((x) => [x.ruleId, x.line, x.column])).toEqual([["no-var", 1, 1]]);
  });

  it("--config-only uses the config alone; --no-config the preset alone; both together is bad usage", () => {
    const dir = project({ "eslint.config.mjs": plainConfig, "src/a.ts": lying, "src/b.ts": "var x = 1;\nexport { x };\n" });
    const only = lint(["src", "-f", "json", "--config-only"], dir);
    expect(only.err).toBe("");
    const m = byName(only.out);
    expect(m["src/a.ts"]).toEqual([]);
    expect(m["src/b.ts"].map((x) => x.ruleId)).toEqual(["no-var"]);
    expect(only.code).toBe(1);
    const none = lint(["src", "-f", "json", "--no-config"], dir);
    const n = byName(none.out);
    expect(n["src/a.ts"].map((x) => x.ruleId)).toEqual(["ghostwatch/honest-llm-names"]);
    expect(n["src/b.ts"]).toEqual([]);
    expect(lint(["src", "--no-config", "--config-only"], dir)).toMatchObject({ code: 2, err: "ghostwatch lint: --no-config and --config-only cannot be used together\n" });
  });

  it("uses a config that enables a Ghostwatch rule as it is (no preset added, no notice)", () => {
    const dir = project({
      "eslint.config.mjs": `import tsParser from ${tsParser};\nimport ghostwatch from ${pluginPath};\nexport default [{ files: ["**/*.ts"], languageOptions: { parser: tsParser }, plugins: { ghostwatch }, rules: { "ghostwatch/require-request-timeout": "error" } }];\n`,
      "src/a.ts": lying,
      "src/c.ts": 'export const get = () => fetch("https://example.com/x");\n',
    });
    const r = lint(["src", "-f", "json"], dir);
    expect(r.err).toBe("");
    const m = byName(r.out);
    expect(m["src/a.ts"]).toEqual([]); // honest-llm-names is not enabled by this config
    expect(m["src/c.ts"].map((x) => [x.ruleId, x.severity, x.line, x.column])).toEqual([["ghostwatch/require-request-timeout", 2, 1, 26]]);
    expect(r.code).toBe(1);
  });
});

describe("ghostwatch lint takes ESLint's options", () => {
  const warnOnly = 'export const ask = (p: string) => fetch("http://localhost:11434/api/generate", { method: "POST", body: p });\n';

  it("globs: lints what the pattern matches; a pattern that matches nothing exits 2 as ESLint does", () => {
    const dir = project({ "src/a.ts": lying, "src/deep/d.ts": lying.replace("callOllama", "callLocalModel"), "other/x.ts": lying });
    const r = lint(["src/**/*.ts", "-f", "json"], dir);
    expect(r.code).toBe(1);
    expect(Object.keys(byName(r.out)).sort()).toEqual(["src/a.ts", "src/deep/d.ts"]);
    const none = lint(["src/**/*.jsx"], dir);
    expect(none).toMatchObject({ code: 2, out: "", err: 'ghostwatch lint: No files matching the pattern "src/**/*.jsx" were found.\n' });
    const py = project({ "app/agent.py": 'import requests\n\ndef call_ollama(p):\n    return requests.post("https://api.openai.com/v1/chat/completions", json=p, timeout=5)\n', "app/a.ts": lying, "tools/t.py": "x = 1\n" });
    const pyGlob = lint(["app/**/*.py", "-f", "json"], py);
    expect(pyGlob.code).toBe(1);
    expect(Object.entries(byName(pyGlob.out)).map(([f, ms]) => [f, ms.map((x) => [x.ruleId, x.line, x.column])])).toEqual([["app/agent.py", [["ghostwatch/honest-llm-names", 3, 5]]]]);
    expect(lint(["app/**/*.pyi"], py)).toMatchObject({ code: 2, err: 'ghostwatch lint: No files matching the pattern "app/**/*.pyi" were found.\n' });
    const empty = project({ "docs/readme.md": "# nothing to lint\n" });
    expect(lint(["docs"], empty)).toMatchObject({ code: 2, err: 'ghostwatch lint: No files matching the pattern "docs" were found.\n' });
  });

  it("--max-warnings: more warnings than allowed exits 1; within the limit exits 0", () => {
    const dir = project({ "src/w.ts": warnOnly });
    const plain = lint(["src", "-f", "json"], dir);
    const warnings = (JSON.parse(plain.out) as Results)[0];
    expect(warnings.errorCount).toBe(0);
    expect(warnings.warningCount).toBeGreaterThan(0);
    expect(plain.code).toBe(0);
    const over = lint(["src", "--max-warnings", "0"], dir);
    expect(over.code).toBe(1);
    expect(over.err).toBe(`ghostwatch lint: too many warnings (${warnings.warningCount}, maximum: 0).\n`);
    expect(lint(["src", "--max-warnings", String(warnings.warningCount)], dir).code).toBe(0);
    expect(lint(["src", "--max-warnings", "lots"], dir)).toMatchObject({ code: 2, err: 'ghostwatch lint: --max-warnings needs a whole number, got "lots"\n' });
  });

  it("-o writes the report to a file (folders created), nothing on stdout; a folder as the file is bad usage", () => {
    const dir = project({ "src/a.ts": lying });
    const r = lint(["src", "-f", "sarif", "-o", "reports/ghostwatch.sarif"], dir);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    const sarif = JSON.parse(readFileSync(path.join(dir, "reports/ghostwatch.sarif"), "utf8"));
    expect(sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toEqual(["ghostwatch/honest-llm-names"]);
    expect(lint(["src", "-o", "src"], dir)).toMatchObject({ code: 2, err: "ghostwatch lint: cannot write to output file path, it is a directory: src\n" });
  });

  it("--ignore-pattern and .gitignore are honoured for TS/JS and Python", () => {
    const py = 'import requests\n\ndef call_ollama(p):\n    return requests.post("https://api.openai.com/v1/chat/completions", json={"p": p}, timeout=5)\n';
    const dir = project({
      ".gitignore": "# build output\ngenerated/\n*.gen.ts\n",
      "src/a.ts": lying,
      "src/b.gen.ts": lying,
      "generated/g.ts": lying,
      "generated/g.py": py,
      "legacy/l.ts": lying,
      "legacy/l.py": py,
      "app/agent.py": py,
    });
    const r = lint([".", "-f", "json", "--ignore-pattern", "legacy/**"], dir);
    expect(r.code).toBe(1);
    expect(Object.keys(byName(r.out)).sort()).toEqual(["app/agent.py", "src/a.ts"]);
  });
});

describe("ghostwatch lint when a rule throws", () => {
  // A real rule that throws on one identifier, loaded by the project's own config (no mock of ESLint).
  const crashPlugin = `export default { rules: { boom: { meta: { type: "problem", schema: [] }, create() { return { Identifier(node) { if (node.name === "explode") throw new Error("kaboom on " + node.name); } }; } } } };\n`;
  const files = {
    "crash-plugin.mjs": crashPlugin,
    "eslint.config.mjs": `import tsParser from ${tsParser};\nimport crash from "./crash-plugin.mjs";\nexport default [{ files: ["**/*.ts"], languageOptions: { parser: tsParser }, plugins: { crash }, rules: { "crash/boom": "error", "no-var": "error" } }];\n`,
    "src/a.ts": lying,
    "src/b.ts": `var explode = 1;\n${lying.replace("openrouter.ai/api", "api.openai.com")}`,
    "src/c.ts": "var fine = 2;\nexport { fine };\n",
  };

  it("ESLint itself loses every result (the baseline this fixes)", () => {
    const dir = project(files);
    const r = spawnSync(process.execPath, [path.join(root, "node_modules/eslint/bin/eslint.js"), "-f", "json", "src"], { cwd: dir, encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("kaboom on explode");
  });

  it("reports the crash as one error on that file and keeps every other result (json and sarif)", () => {
    const dir = project(files);
    const r = lint(["src", "-f", "json"], dir);
    expect(r.code).toBe(1);
    const m = byName(r.out);
    expect(m["src/a.ts"].map((x) => [x.ruleId, x.line, x.column])).toEqual([["ghostwatch/honest-llm-names", 1, 23]]);
    expect(m["src/b.ts"].map((x) => [x.ruleId, x.severity, x.line, x.column, x.message.replace(/ \(src.*$/, "")])).toEqual([
      ["no-var", 2, 1, 1, "Unexpected var, use let or const instead."],
      ["crash/boom", 2, 1, 1, "Rule crash/boom crashed: kaboom on explode"],
      ["ghostwatch/honest-llm-names", 2, 2, 23, "callOllama() claims a local model but reaches api.openai.com"],
    ]);
    expect(m["src/c.ts"].map((x) => x.ruleId)).toEqual(["no-var"]);
    const sarif = JSON.parse(lint(["src", "-f", "sarif"], dir).out);
    expect(sarif.runs[0].results.filter((x: { ruleId: string }) => x.ruleId === "crash/boom").map((x: { level: string; message: { text: string } }) => [x.level, x.message.text])).toEqual([["error", "Rule crash/boom crashed: kaboom on explode"]]);
  });

  it("names a crashing Ghostwatch rule and still runs the other Ghostwatch rules on that file", () => {
    // The project's config wraps one real Ghostwatch rule so that it throws on one file.
    const dir = project({
      "eslint.config.mjs": `import tsParser from ${tsParser};\nimport ghostwatch from ${pluginPath};\nconst rule = ghostwatch.rules["require-request-timeout"];\nconst broken = { ...ghostwatch, rules: { ...ghostwatch.rules, "require-request-timeout": { ...rule, create(context) { if (context.filename.endsWith("x.ts")) throw new TypeError("cannot read properties of undefined (reading 'type')"); return rule.create(context); } } } };\nexport default [{ files: ["**/*.ts"], languageOptions: { parser: tsParser } }, { ...ghostwatch.configs.recommended, plugins: { ghostwatch: broken } }];\n`,
      "src/a.ts": lying,
      "src/x.ts": `${lying}export const get = () => fetch("https://example.com/x");\n`,
    });
    const r = lint(["src", "-f", "json"], dir);
    expect(r.code).toBe(1);
    const m = byName(r.out);
    expect(m["src/x.ts"].map((x) => [x.ruleId, x.severity, x.line])).toEqual([
      ["ghostwatch/require-request-timeout", 2, 1],
      ["ghostwatch/honest-llm-names", 2, 1],
    ]);
    expect(m["src/x.ts"][0].message).toBe("Ghostwatch rule require-request-timeout crashed: cannot read properties of undefined (reading 'type')");
    expect(m["src/a.ts"].map((x) => x.ruleId)).toEqual(["ghostwatch/honest-llm-names"]);
    expect(existsSync(path.join(dir, "src/x.ts"))).toBe(true);
  });
});
