// Python suppressions (`# noqa: ghostwatch/<rule>`, bare `# noqa`, `# ghostwatch: disable=`),
// unused-directive reports through the real CLI, and files nested past the parser's limits
// (issue 15: never a silent empty result).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lintPythonText } from "../../rules/python/lint.js";
import { loadPythonParser } from "../../rules/python/parser.js";

const root = path.resolve(__dirname, "../..");
const cli = path.join(root, "dist/server/cli.js");
const dirs: string[] = [];

beforeAll(async () => {
  await loadPythonParser();
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Msg { ruleId: string | null; line: number; column: number; message: string; severity: number; fatal?: boolean; fix?: { range: [number, number]; text: string } }
interface Res { filePath: string; messages: Msg[]; suppressedMessages: Msg[] }

function cliJson(files: Record<string, string>, args: string[]): Res[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ghostwatch-py-sup-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  const r = spawnSync(process.execPath, [cli, "lint", ...Object.keys(files), "--format", "json", ...args], { cwd: dir, encoding: "utf8", timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(r.stdout) as Res[];
}

const HEAD = "from openai import OpenAI\nc = OpenAI()\n";
const CALL = "c.chat.completions.create(model='gpt-4o', messages=[])";

describe("suppressions, the way Python tools spell them", () => {
  it("# noqa: ghostwatch/<rule> suppresses that rule on the line only; other codes in the list are kept", () => {
    const text = `${HEAD}a = ${CALL}  # noqa: E501, ghostwatch/require-llm-temperature\nb = ${CALL}\n`;
    const r = lintPythonText(text, "/p/a.py", { preset: "strict" })!;
    expect(r.messages.map((m) => [m.ruleId, m.line])).toEqual([
      ["ghostwatch/require-llm-max-tokens", 3],
      ["ghostwatch/require-llm-temperature", 4],
      ["ghostwatch/require-llm-max-tokens", 4],
    ]);
    expect(r.suppressedMessages.map((m) => [m.ruleId, m.line, m.suppressions])).toEqual([["ghostwatch/require-llm-temperature", 3, [{ kind: "directive", justification: "" }]]]);
  });

  it("a bare # noqa suppresses every finding on its line (as Ruff and flake8 do); # ghostwatch: disable= takes rule names", () => {
    const text = `${HEAD}a = ${CALL}  # noqa\nb = ${CALL}  # ghostwatch: disable=require-llm-max-tokens,require-llm-temperature\nd = ${CALL}  # ghostwatch: disable=ghostwatch/require-llm-max-tokens\n`;
    const r = lintPythonText(text, "/p/a.py", { preset: "strict" })!;
    expect(r.messages.map((m) => [m.ruleId, m.line])).toEqual([["ghostwatch/require-llm-temperature", 5]]);
    expect(r.suppressedMessages).toHaveLength(5);
  });

  it("a `# noqa` inside a string is not a directive", () => {
    const text = `${HEAD}a = c.chat.completions.create(model='gpt-4o', messages=[{"role": "user", "content": "# noqa"}])\n`;
    const r = lintPythonText(text, "/p/a.py", { preset: "strict" })!;
    expect(r.messages.map((m) => m.ruleId)).toEqual(["ghostwatch/require-llm-temperature", "ghostwatch/require-llm-max-tokens"]);
  });

  it("--report-unused-disable-directives reports ghostwatch codes that suppressed nothing, with a fix; never a bare # noqa or other tools' codes", () => {
    const text = `${HEAD}a = ${CALL}  # noqa: ghostwatch/require-llm-temperature, ghostwatch/require-llm-schema, E501\nx = 1  # noqa\ny = 2  # noqa: F401\nz = 3  # ghostwatch: disable=no-cloud-llm\n`;
    const without = cliJson({ "a.py": text }, ["--preset", "strict"])[0];
    expect(without.messages.map((m) => [m.ruleId, m.line])).toEqual([["ghostwatch/require-llm-max-tokens", 3]]);
    const [res] = cliJson({ "a.py": text }, ["--preset", "strict", "--report-unused-disable-directives"]);
    expect(res.messages.map((m) => [m.ruleId, m.line, m.column, m.severity, m.message])).toEqual([
      ["ghostwatch/require-llm-max-tokens", 3, 24, 2, expect.stringContaining("sets no output budget")],
      [null, 3, 61, 1, "Unused noqa directive (no problems were reported from 'ghostwatch/require-llm-schema')."],
      [null, 6, 8, 1, "Unused ghostwatch: disable directive (no problems were reported from 'ghostwatch/no-cloud-llm')."],
    ]);
    const apply = (fix: { range: [number, number]; text: string }) => text.slice(0, fix.range[0]) + fix.text + text.slice(fix.range[1]);
    expect(apply(res.messages[1].fix!).split("\n")[2]).toBe(`a = ${CALL}  # noqa: ghostwatch/require-llm-temperature, E501`);
    expect(apply(res.messages[2].fix!).split("\n")[5]).toBe("z = 3");
  });

  it("the line-disable suggestion adds to an existing # noqa: list", () => {
    const text = `${HEAD}a = ${CALL}  # noqa: E501\n`;
    const r = lintPythonText(text, "/p/a.py", { preset: "strict" })!;
    const fix = (r.messages[0].suggestions ?? []).find((s) => s.desc.startsWith("Disable"))!.fix;
    expect(text.slice(0, fix.range[0]) + fix.text + text.slice(fix.range[1])).toBe(`${HEAD}a = ${CALL}  # noqa: E501, ghostwatch/require-llm-temperature\n`);
  });
});

describe("files nested past the parser's limits (issue 15): a message, never a silent empty result", () => {
  it("2,000 nested parentheses, a 20,000-term expression: still linted, the finding after them is reported", () => {
    const deep = `${HEAD}x = ${"(".repeat(2000)}1${")".repeat(2000)}\ny = 1${" + 1".repeat(20_000)}\nr = ${CALL}\n`;
    const r = lintPythonText(deep, "/p/deep.py", { preset: "strict" })!;
    expect(r.messages.map((m) => [m.ruleId, m.line])).toEqual([
      ["ghostwatch/require-llm-temperature", 5],
      ["ghostwatch/require-llm-max-tokens", 5],
    ]);
  });

  it("2,000 levels of indentation: one fatal 'nests too deeply' message, and the next file of the run is still linted", () => {
    const lines = ["import openai", "c = openai.OpenAI()"];
    for (let i = 0; i < 2000; i++) lines.push(" ".repeat(i) + "if x:");
    lines.push(" ".repeat(2000) + "r = c.chat.completions.create(model='gpt-4o', messages=[])");
    const results = cliJson({ "deep.py": lines.join("\n") + "\n", "ok.py": `${HEAD}r = ${CALL}\n` }, ["--preset", "strict"]);
    const deep = results.find((x) => x.filePath.endsWith("deep.py"))!;
    expect(deep.messages.map((m) => [m.ruleId, m.fatal, m.line, m.column, m.message])).toEqual([
      [null, true, 1, 1, "Parsing error: the file nests too deeply for the parser (2000 levels of indentation; Python allows 100); it was not linted."],
    ]);
    expect(results.find((x) => x.filePath.endsWith("ok.py"))!.messages.map((m) => [m.ruleId, m.line])).toEqual([
      ["ghostwatch/require-llm-temperature", 3],
      ["ghostwatch/require-llm-max-tokens", 3],
    ]);
  });

  it("240 nested function definitions (within the parser): no stack overflow, no loss", () => {
    // 400 levels of `def` (2 columns each) is within the parser; the facts walk defers past its depth budget.
    const lines = ["import openai", "c = openai.OpenAI()"];
    for (let i = 0; i < 240; i++) lines.push("  ".repeat(i) + `def f${i}():`);
    lines.push("  ".repeat(240) + "return c.chat.completions.create(model='gpt-4o', messages=[], temperature=0)");
    const r = lintPythonText(lines.join("\n") + "\n", "/p/defs.py", { preset: "strict" })!;
    expect(r.messages.map((m) => [m.ruleId, m.line])).toEqual([["ghostwatch/require-llm-max-tokens", 243]]);
  });
});
