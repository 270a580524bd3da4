// `npm run new-rule NAME` (scripts/new-rule.mjs) cannot rot: the scaffold runs, as a real child
// process, into a temporary copy of rules/, docs/ and test/ (`--root`), and what it wrote is
// type-checked with the repository's compiler options, linted with typescript-eslint's
// recommended config, registered (all-rules.ts, the recommended preset), documented with the
// headings and examples the docs test expects, and its generated RuleTester suite is run here.
// Nothing is written into the real tree (checked), and the temp copy is removed afterwards.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ESLint, Linter } from "eslint";
import MarkdownIt from "markdown-it";
import ts from "typescript";
import tseslint from "typescript-eslint";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const script = path.join(root, "scripts/new-rule.mjs");
const NAME = "require-scaffold-probe";
const generated = [`rules/${NAME}.ts`, `docs/rules/${NAME}.md`, `test/rules/${NAME}.test.ts`];

const tmp = mkdtempSync(path.join(os.tmpdir(), "ghostwatch-new-rule-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
for (const dir of ["rules", "docs", "test"]) cpSync(path.join(root, dir), path.join(tmp, dir), { recursive: true });
// Packages resolve from the copy exactly as from the repository.
symlinkSync(realpathSync(path.join(root, "node_modules")), path.join(tmp, "node_modules"), "dir");

const registryBefore = readFileSync(path.join(root, "rules/all-rules.ts"), "utf8");
// spawnSync returns only once the child has exited (the timeout kills it): no process outlives the test.
const run = (...args: string[]) =>
  spawnSync(process.execPath, [script, ...args], { encoding: "utf8", timeout: 30_000 });
const DESCRIPTION = "Reports the scaffold's placeholder call, to prove the template works.";
const scaffold = run(NAME, "--root", tmp, "--description", DESCRIPTION);

describe("npm run new-rule", () => {
  it("scaffolds the rule, its docs page and its test, and registers it", () => {
    expect(scaffold.stderr).toBe("");
    expect(scaffold.status).toBe(0);
    expect(scaffold.stdout).toContain(`new rule ${NAME}:`);
    for (const file of generated) expect(existsSync(path.join(tmp, file)), file).toBe(true);
    const registry = readFileSync(path.join(tmp, "rules/all-rules.ts"), "utf8");
    expect(registry).toContain(`import requireScaffoldProbe from "./${NAME}.js";`);
    expect(registry).toContain(`"${NAME}": requireScaffoldProbe,`);
  });

  it("writes nothing into the real tree", () => {
    for (const file of generated) expect(existsSync(path.join(root, file)), file).toBe(false);
    expect(readFileSync(path.join(root, "rules/all-rules.ts"), "utf8")).toBe(registryBefore);
  });

  it.each([
    ["an existing rule", "honest-llm-names", /rules\/honest-llm-names\.ts already exists/],
    ["a name that is not kebab-case", "requireStop", /not a kebab-case rule name/],
  ])("refuses %s (%s): exit code 1, a message, nothing written", (_what, name, message) => {
    const before = readFileSync(path.join(tmp, "rules/all-rules.ts"), "utf8");
    const refused = run(name, "--root", tmp);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(message);
    expect(readFileSync(path.join(tmp, "rules/all-rules.ts"), "utf8")).toBe(before);
  });

  it.each([
    ["the rule it just made", NAME, new RegExp(`rules/${NAME}\\.ts already exists`)],
    ["snake_case", "require_stop", /not a kebab-case rule name/],
    ["a double dash", "require--stop", /not a kebab-case rule name/],
    ["a trailing dash", "require-", /not a kebab-case rule name/],
    ["a leading digit", "1-rule", /not a kebab-case rule name/],
    ["a folder of rules/ that is not a rule", "core", /not a rule/],
    ["a registry file", "all-rules", /not a rule/],
  ])("refuses %s (%s) in-process, writing nothing", async (_what, name, message) => {
    type Scaffold = { scaffoldRule: (o: { name: string; root: string }) => string[] };
    const { scaffoldRule } = (await import(pathToFileURL(script).href)) as Scaffold;
    const before = readFileSync(path.join(tmp, "rules/all-rules.ts"), "utf8");
    expect(() => scaffoldRule({ name, root: tmp })).toThrow(message);
    expect(readFileSync(path.join(tmp, "rules/all-rules.ts"), "utf8")).toBe(before);
    expect(existsSync(path.join(tmp, `docs/rules/${name}.md`))).toBe(name === NAME);
  });

  // The generated test is not type-checked: tsconfig.json covers rules/ and server/ only, and
  // @typescript-eslint/rule-tester carries its own nested @typescript-eslint/utils (as for every
  // existing test/rules suite). It is linted below and run at the end of this file.
  it("type-checks the rule with the repository's compiler options", () => {
    const text = (d: ts.Diagnostic) => ts.flattenDiagnosticMessageText(d.messageText, "\n");
    const host = {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d: ts.Diagnostic) => {
        throw new Error(text(d));
      },
    };
    const config = ts.getParsedCommandLineOfConfigFile(path.join(root, "tsconfig.json"), { noEmit: true }, host);
    if (!config) throw new Error("tsconfig.json did not parse");
    const files = [path.join(tmp, `rules/${NAME}.ts`)];
    const options = { ...config.options, rootDir: tmp, outDir: undefined, noEmit: true, declaration: false };
    const program = ts.createProgram(files, options);
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => `${d.file ? path.relative(tmp, d.file.fileName) : ""}: ${text(d)}`);
    expect(diagnostics).toEqual([]);
  });

  it("lints clean with typescript-eslint's recommended config", async () => {
    const overrideConfig = tseslint.configs.recommended as never;
    const eslint = new ESLint({ cwd: tmp, overrideConfigFile: true, overrideConfig });
    const results = await eslint.lintFiles([`rules/${NAME}.ts`, `test/rules/${NAME}.test.ts`]);
    const where = (r: ESLint.LintResult, m: Linter.LintMessage) =>
      `${path.relative(tmp, r.filePath)}:${m.line}:${m.column}`;
    expect(results.flatMap((r) => r.messages.map((m) => `${where(r, m)} ${m.ruleId} ${m.message}`))).toEqual([]);
  });

  it("is in the recommended preset at the level of its meta.docs, and strict makes it an error", async () => {
    const configsUrl = pathToFileURL(path.join(tmp, "rules/configs.ts")).href;
    const { presetRules } = (await import(configsUrl)) as typeof import("../../rules/configs.js");
    expect(presetRules("recommended")[`ghostwatch/${NAME}`]).toBe("warn");
    expect(presetRules("strict")[`ghostwatch/${NAME}`]).toBe("error");
  });

  it("has a docs page with the required headings whose examples its rule agrees with", async () => {
    const text = readFileSync(path.join(tmp, `docs/rules/${NAME}.md`), "utf8");
    const tokens = new MarkdownIt().parse(text, {});
    const headings = tokens.flatMap((t, i) => (t.type === "heading_open" ? [`${t.tag} ${tokens[i + 1].content}`] : []));
    expect(headings).toEqual([`h1 ${NAME}`, "h2 Incorrect", "h2 Correct", "h2 Options", "h2 Out of scope"]);
    const blocks: Array<{ section: string; code: string }> = [];
    let section = "";
    tokens.forEach((t, i) => {
      if (t.type === "heading_open") section = tokens[i + 1].content;
      if (t.type === "fence" && t.info.trim() === "ts") blocks.push({ section, code: t.content });
    });
    expect(blocks.map((b) => b.section)).toEqual(["Incorrect", "Correct"]);
    const ruleUrl = pathToFileURL(path.join(tmp, `rules/${NAME}.ts`)).href;
    const { default: rule } = (await import(ruleUrl)) as { default: unknown };
    const config = {
      files: ["**/*.ts"],
      languageOptions: { parser: tseslint.parser as Linter.Parser },
      plugins: { ghostwatch: { rules: { [NAME]: rule } } as never },
      rules: { [`ghostwatch/${NAME}`]: "error" as const },
    };
    const linter = new Linter({ configType: "flat", cwd: tmp });
    const lint = (code: string) => linter.verify(code, [config], { filename: path.join(tmp, "example.ts") });
    expect(lint(blocks[0].code).map((m) => [m.ruleId, m.line, m.column])).toEqual([[`ghostwatch/${NAME}`, 1, 1]]);
    expect(lint(blocks[1].code)).toEqual([]);
  });
});

describe("the generated RuleTester suite", async () => {
  // RuleTester registers its describe/it blocks (vitest.setup.ts wires them) while it is imported.
  if (scaffold.status === 0) await import(pathToFileURL(path.join(tmp, `test/rules/${NAME}.test.ts`)).href);
  it("was generated", () => {
    expect(scaffold.status).toBe(0);
  });
});
