// `ghostwatch lint` as a user runs it: the built CLI in a child process.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const cli = path.join(root, "dist/server/cli.js");
const dirs: string[] = [];

function lint(args: string[], cwd = root) {
  const r = spawnSync(process.execPath, [cli, "lint", ...args], { cwd, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ghostwatch-lint-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const lying = `export async function callOllama(p: string) {
  const r = await fetch("https://openrouter.ai/api/v1/chat/completions", { method: "POST", body: p, signal: AbortSignal.timeout(5000) });
  return r.json();
}
`;

describe("ghostwatch lint", () => {
  it("lints the demo agent with the reach chain across files, exit 1", () => {
    const r = lint(["examples/zombie-agent", "--format", "json"]);
    expect(r.code).toBe(1);
    const results = JSON.parse(r.out) as Array<{ filePath: string; messages: Array<{ ruleId: string; line: number; column: number; message: string }> }>;
    const runner = results.find((x) => x.filePath.endsWith("runner.ts"))!;
    const lie = runner.messages.filter((m) => m.ruleId === "ghostwatch/honest-llm-names");
    expect(lie).toHaveLength(1);
    expect(lie[0]).toMatchObject({ line: 9, column: 23 });
    expect(lie[0].message).toContain(
      "callOllama() claims a local model but reaches localhost:4000 (LiteLLM) (examples/zombie-agent/src/router.ts:4), openrouter.ai (examples/zombie-agent/src/router.ts:5), api.groq.com (examples/zombie-agent/src/runner.ts:7) before localhost:11434",
    );
  });

  it("prints stylish output by default", () => {
    const dir = project({ "src/a.ts": lying });
    const r = lint(["src"], dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain("1:23  error  callOllama() claims a local model but reaches openrouter.ai (src/a.ts:2) and never a local model");
    expect(r.out).toContain("ghostwatch/honest-llm-names");
  });

  it("prints SARIF 2.1.0 with rule metadata and locations", () => {
    const dir = project({ "src/a.ts": lying });
    const r = lint(["--format", "sarif", "src"], dir);
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.out);
    expect(sarif.version).toBe("2.1.0");
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe("ghostwatch");
    expect(run.tool.driver.rules.map((x: { id: string }) => x.id)).toContain("ghostwatch/honest-llm-names");
    const res = run.results.find((x: { ruleId: string }) => x.ruleId === "ghostwatch/honest-llm-names");
    expect(res.level).toBe("error");
    expect(res.locations[0].physicalLocation).toMatchObject({ artifactLocation: { uri: "src/a.ts" }, region: { startLine: 1, startColumn: 23 } });
  });

  it("exits 0 on a clean project", () => {
    const dir = project({ "src/ok.ts": "export const add = (a: number, b: number) => a + b;\n" });
    const r = lint(["src"], dir);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe("");
  });

  it("says clearly when a path does not exist (exit 2)", () => {
    const r = lint(["no/such/dir"]);
    expect(r.code).toBe(2);
    expect(r.err).toBe("ghostwatch lint: no such file or folder: no/such/dir\n");
  });

  it("exits 2 on bad usage (an unknown option or format), not 1 as if errors were found", () => {
    const dir = project({ "src/a.ts": lying });
    const badFormat = lint(["--format", "xml", "src"], dir);
    expect(badFormat.code).toBe(2);
    expect(badFormat.err).toContain("error: option '-f, --format <format>' argument 'xml' is invalid. Allowed choices are stylish, json, sarif.");
    expect(badFormat.out).toBe("");
    const unknown = lint(["--bogus", "src"], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("error: unknown option '--bogus'");
    expect(lint(["--help"], dir).code).toBe(0);
  });

  it("names why a file was not linted: too deeply nested to parse, or skipped by the zero-config ignores", () => {
    const dir = project({
      "src/deep.ts": `export const x = ${"(".repeat(5000)}1${")".repeat(5000)};\n`,
      "src/vendor.min.js": 'fetch("https://openrouter.ai/api/v1/chat/completions");\n',
      "src/a.ts": lying,
    });
    const r = lint(["src/deep.ts", "src/vendor.min.js", "src/a.ts", "--format", "json"], dir);
    expect(r.code).toBe(1);
    const results = JSON.parse(r.out) as Array<{ filePath: string; messages: Array<{ ruleId: string | null; fatal?: boolean; line: number; column: number; message: string }> }>;
    const byName = Object.fromEntries(results.map((x) => [path.basename(x.filePath), x.messages]));
    expect(byName["deep.ts"]).toEqual([
      expect.objectContaining({ ruleId: null, fatal: true, line: 1, column: 1, message: "Parsing error: the file nests too deeply for the parser (Maximum call stack size exceeded); it was not linted." }),
    ]);
    expect(byName["vendor.min.js"].map((m) => m.message)).toEqual([
      "File ignored because of a matching ignore pattern: without a config, ghostwatch lint skips node_modules, dist, build, out, .e2e and *.min.js. Lint it through an eslint.config.* that uses the Ghostwatch plugin.",
    ]);
    expect(byName["a.ts"].map((m) => m.ruleId)).toContain("ghostwatch/honest-llm-names");
  });

  it("honours the project's eslint.config.* when present", () => {
    const dir = project({
      "src/a.ts": lying,
      "eslint.config.mjs": `import tsParser from ${JSON.stringify(path.join(root, "node_modules/@typescript-eslint/parser/dist/index.js"))};\nimport ghostwatch from ${JSON.stringify(path.join(root, "dist/rules/index.js"))};\nexport default [{ files: ["**/*.ts"], languageOptions: { parser: tsParser } }, ghostwatch.configs.recommended, { rules: { "ghostwatch/honest-llm-names": "warn" } }];\n`,
    });
    const r = lint(["src", "--format", "json"], dir);
    const msgs = JSON.parse(r.out)[0].messages as Array<{ ruleId: string; severity: number }>;
    expect(msgs.filter((m) => m.ruleId === "ghostwatch/honest-llm-names").map((m) => m.severity)).toEqual([1]); // the config made it a warning
    expect(r.code).toBe(msgs.some((m) => m.severity === 2) ? 1 : 0);
    const ignored = lint(["src", "--no-config", "--format", "json"], dir);
    expect(ignored.code).toBe(1);
  });

  it("reports a file that does not parse and still lints the others", () => {
    const dir = project({ "src/broken.ts": "export function (((\n", "src/a.ts": lying, "src/bin.ts": "\u0000\u0001\u0002garbage\u0000" });
    const r = lint(["src", "--format", "json"], dir);
    expect(r.code).toBe(1);
    const results = JSON.parse(r.out) as Array<{ filePath: string; messages: Array<{ ruleId: string | null; fatal?: boolean }> }>;
    const byName = Object.fromEntries(results.map((x) => [path.basename(x.filePath), x.messages]));
    expect(byName["broken.ts"][0]).toMatchObject({ ruleId: null, fatal: true });
    expect(byName["a.ts"].map((m) => m.ruleId)).toContain("ghostwatch/honest-llm-names");
  });

  it("skips a multi-megabyte file with a warning and lints the rest", () => {
    const big = "var a=" + JSON.stringify("x".repeat(3 * 1024 * 1024)) + ";\n";
    const dir = project({ "src/vendor.js": big, "src/a.ts": lying });
    const r = lint(["src", "--format", "json"], dir);
    expect(r.code).toBe(1);
    const results = JSON.parse(r.out) as Array<{ filePath: string; messages: Array<{ ruleId: string | null; severity: number; message: string }> }>;
    const byName = Object.fromEntries(results.map((x) => [path.basename(x.filePath), x.messages]));
    expect(byName["vendor.js"]).toEqual([
      expect.objectContaining({ ruleId: null, severity: 1, message: "File skipped: 3.0 MB is over the 2.0 MB limit of ghostwatch lint (generated or minified code?). Raise it with --max-file-size <MB>." }),
    ]);
    expect(byName["a.ts"].map((m) => m.ruleId)).toContain("ghostwatch/honest-llm-names");
    const raised = lint(["src", "--format", "json", "--max-file-size", "8"], dir);
    const vendor = (JSON.parse(raised.out) as Array<{ filePath: string; messages: unknown[] }>).find((x) => x.filePath.endsWith("vendor.js"));
    expect(vendor?.messages).toEqual([]);
    expect(lint(["src", "--max-file-size", "zero"], dir)).toMatchObject({ code: 2, err: 'ghostwatch lint: --max-file-size needs a positive number of megabytes, got "zero"\n' });
  });

  it("lints a folder outside the current directory (messages relative to it)", () => {
    const dir = project({ "src/a.ts": lying });
    const r = lint([path.join(dir, "src"), "--format", "json"], root);
    expect(r.code).toBe(1);
    const results = JSON.parse(r.out) as Array<{ filePath: string; messages: Array<{ ruleId: string; message: string }> }>;
    const lie = results[0].messages.find((m) => m.ruleId === "ghostwatch/honest-llm-names");
    expect(lie?.message).toContain("reaches openrouter.ai (a.ts:2) and never a local model");
  });

  it("zero-config: a legacy /* eslint-env */ comment is not reported as ESLint's error, and the file's findings stay", () => {
    // not named *.test.ts: recommended keeps honest-llm-names quiet in test files (issue 11 item 3)
    const dir = project({ "legacy.ts": "/* eslint-env jest */\n" + lying });
    const r = lint([dir, "--format", "json"]);
    const results = JSON.parse(r.out) as Array<{ messages: Array<{ ruleId: string | null; line: number }>; fatalErrorCount: number }>;
    expect(results[0].messages.map((m) => `${m.ruleId}:${m.line}`)).toEqual(["ghostwatch/honest-llm-names:2"]);
    expect(results[0].fatalErrorCount).toBe(0);
    expect(r.code).toBe(1);
  });

  it("a file under a Next.js route folder (`[id]`) is a path, not a glob", () => {
    const dir = project({ "app/api/[id]/route.ts": lying });
    const r = lint(["app/api/[id]/route.ts", "--format", "json"], dir);
    expect(r.code).toBe(1);
    const results = JSON.parse(r.out) as Array<{ filePath: string; messages: Array<{ ruleId: string | null }> }>;
    expect(results.map((x) => path.relative(dir, x.filePath))).toEqual([path.join("app", "api", "[id]", "route.ts")]);
    expect(results[0].messages.map((m) => m.ruleId)).toEqual(["ghostwatch/honest-llm-names"]);
  });
});
