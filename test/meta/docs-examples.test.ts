// Docs are tests (issue 17, item 4; typescript-eslint's packages/eslint-plugin/tests/docs.test.mts):
// every example block of docs/rules/<rule>.md and docs/python.md is linted with its rule by the
// real ESLint `Linter` (typescript-eslint parser, the plugin of rules/index.ts) or the real Python
// front (`lintPythonText`), and every page's headings are checked exactly.
//
// The convention this test relies on (and that rule pages follow):
//   - docs/rules/<rule>.md starts with `# <rule>` (the bare rule name, as ESLint's own pages do)
//     and has no other H1. It has, in this order, an `Incorrect` and a `Correct` heading (level 2
//     or 3), an `## Options` heading and an `## Out of scope` heading, each exactly once; the
//     out-of-scope list is the page's last `##` section. A heading may carry a qualifier in
//     parentheses: `## Incorrect (\`local-only\`)`, `## Out of scope (deliberately not reported)`.
//   - An example is a fenced block whose info string is ts/typescript/tsx/js/javascript/jsx
//     (```python in docs/python.md) inside an Incorrect or Correct section. A section runs to the
//     next heading; a paragraph that starts with "Incorrect" or "Correct" and ends with ":" (the
//     lead-in style of docs/python.md) opens a section the same way. Other blocks (```text output,
//     ```sh commands, blocks under Options) are not examples.
//   - In docs/python.md the rule is the nearest heading that is a rule name (`## no-unbounded-loop`).
//   - Rule options: a first line `// eslint ghostwatch/<rule>: ["error", { … }]` (or the same in a
//     `/* */` comment) gives them as JSON; else a preset named in the section's qualifier
//     (`recommended`, `strict`, `local-only`) gives that preset's entry; else `"error"` with the
//     rule's defaults.
//   - Every Incorrect block reports the page's rule at least once; every Correct block reports
//     nothing from it; no block may fail to parse (a parse error would make "reports nothing"
//     true of any text). A block is linted as it stands, so it carries the imports it needs
//     (rules recognise SDK calls by import source).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Linter as LinterType } from "eslint";
import { Linter } from "eslint";
import MarkdownIt from "markdown-it";
import tseslint from "typescript-eslint";
import { beforeAll, describe, expect, it } from "vitest";
import plugin from "../../rules/index.js";
import { lintPythonText } from "../../rules/python/lint.js";
import { loadPythonParser } from "../../rules/python/parser.js";

const root = path.resolve(__dirname, "../..");
const RULE_NAMES = new Set(Object.keys(plugin.rules));
const PRESETS = ["recommended", "strict", "local-only"] as const;
const SCRIPT_LANGS = new Set(["ts", "typescript", "tsx", "js", "javascript", "jsx"]);

type Kind = "Incorrect" | "Correct";
interface Heading {
  level: number;
  text: string;
  line: number;
}
interface Example {
  kind: Kind;
  /** The heading or lead-in that opened the section, e.g. "Incorrect (`local-only`)". */
  section: string;
  rule: string;
  lang: string;
  code: string;
  /** 1-based line of the block's first code line in the page. */
  line: number;
}

const md = new MarkdownIt();

function kindOf(text: string): Kind | undefined {
  const m = /^(Incorrect|Correct)\b/.exec(text.trim());
  return m ? (m[1] as Kind) : undefined;
}

function parsePage(file: string, defaultRule: string | undefined): { headings: Heading[]; examples: Example[] } {
  const tokens = md.parse(readFileSync(file, "utf8"), {});
  const headings: Heading[] = [];
  const examples: Example[] = [];
  let section: { kind: Kind; text: string } | undefined;
  let rule = defaultRule;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.type === "heading_open") {
      const text = tokens[i + 1].content.trim();
      headings.push({ level: Number(token.tag.slice(1)), text, line: (token.map?.[0] ?? 0) + 1 });
      const kind = kindOf(text);
      section = kind ? { kind, text } : undefined;
      if (!defaultRule && RULE_NAMES.has(text)) rule = text;
      else if (!defaultRule && !kind) rule = undefined;
    } else if (token.type === "paragraph_open" && token.level === 0) {
      const text = tokens[i + 1].content.trim();
      const kind = kindOf(text);
      if (kind && text.endsWith(":")) section = { kind, text: text.slice(0, -1) };
    } else if (token.type === "fence" && section && rule) {
      const lang = token.info.trim().split(/\s+/)[0];
      const wanted = defaultRule ? SCRIPT_LANGS.has(lang) : lang === "python";
      const line = (token.map?.[0] ?? 0) + 2;
      if (wanted) examples.push({ kind: section.kind, section: section.text, rule, lang, code: token.content, line });
    }
  }
  return { headings, examples };
}

/** The rule entry a block is linted with (see the convention above). */
function entryFor(example: Example): unknown[] {
  // `// eslint ghostwatch/<rule>: <json>` or `/* eslint ghostwatch/<rule>: <json> */`
  const pattern = new RegExp(`^\\s*(?://|/\\*)\\s*eslint\\s+ghostwatch/${example.rule}\\s*:\\s*(.*?)\\s*(?:\\*/)?$`);
  const directive = pattern.exec(example.code.split("\n")[0]);
  if (directive) {
    const parsed = JSON.parse(directive[1]) as unknown;
    return Array.isArray(parsed) ? parsed : [parsed];
  }
  const preset = PRESETS.find((p) => example.section.includes(`\`${p}\``) || example.section.includes(`(${p})`));
  if (preset) {
    const entry = (plugin.configs[preset].rules ?? {})[`ghostwatch/${example.rule}`];
    if (entry === undefined) {
      throw new Error(`${example.section}: ghostwatch/${example.rule} is not in the ${preset} preset`);
    }
    return (Array.isArray(entry) ? ["error", ...entry.slice(1)] : ["error"]) as unknown[];
  }
  return ["error"];
}

const linter = new Linter({ configType: "flat", cwd: root });

function lintScript(example: Example, page: string, index: number): LinterType.LintMessage[] {
  const ext = example.lang === "tsx" || example.lang === "jsx" ? "tsx" : "ts";
  const filename = path.join(root, "docs", `${page}.example-${index}.${ext}`);
  const config: LinterType.Config[] = [
    {
      files: ["**/*.ts", "**/*.tsx"],
      languageOptions: {
        parser: tseslint.parser as LinterType.Parser,
        parserOptions: { ecmaVersion: "latest", sourceType: "module", ecmaFeatures: { jsx: ext === "tsx" } },
      },
      plugins: { ghostwatch: plugin as never },
      rules: { [`ghostwatch/${example.rule}`]: entryFor(example) as LinterType.RuleEntry },
    },
  ];
  return linter.verify(example.code, config, { filename });
}

function lintPython(example: Example, index: number): LinterType.LintMessage[] {
  const file = path.join(root, "docs", `python.example-${index}.py`);
  const rules = { [`ghostwatch/${example.rule}`]: entryFor(example) };
  const result = lintPythonText(example.code, file, { rules, cwd: root });
  if (!result) throw new Error("the Python parser is not loaded");
  return result.messages;
}

const describeMessages = (messages: LinterType.LintMessage[]) =>
  messages.map((m) => `${m.line}:${m.column} ${m.ruleId ?? "(fatal)"} ${m.message}`).join("\n");
/** A block's title in the test report: its first non-empty line, shortened. */
const titleOf = (example: Example) => (example.code.split("\n").find((l) => l.trim()) ?? "").trim().slice(0, 80);

function checkExample(example: Example, messages: LinterType.LintMessage[]) {
  const fatal = messages.filter((m) => m.fatal || m.ruleId === null);
  expect(fatal, `the block does not parse:\n${describeMessages(fatal)}`).toEqual([]);
  const own = messages.filter((m) => m.ruleId === `ghostwatch/${example.rule}`);
  if (example.kind === "Incorrect") {
    expect(own.length, `an Incorrect block that reports nothing from ghostwatch/${example.rule}`).toBeGreaterThan(0);
  }
  else expect(own, `a Correct block reported by its own rule:\n${describeMessages(own)}`).toEqual([]);
}

describe("the example harness (self-check)", () => {
  const example = (section: string, code: string): Example =>
    ({ kind: "Incorrect", section, rule: "no-cloud-llm", lang: "ts", code, line: 1 });

  it("reads rule options from a first-line directive, in a line or a block comment", () => {
    const options = `["error", { "allow": ["gpu-box.lan"] }]`;
    const parsed = ["error", { allow: ["gpu-box.lan"] }];
    const lineComment = `// eslint ghostwatch/no-cloud-llm: ${options}\nnew OpenAI();`;
    const blockComment = `/* eslint ghostwatch/no-cloud-llm: ${options} */\nnew OpenAI();`;
    expect(entryFor(example("Incorrect", lineComment))).toEqual(parsed);
    expect(entryFor(example("Incorrect", blockComment))).toEqual(parsed);
  });

  it("takes a preset named in the section's qualifier, else the rule's defaults", () => {
    expect(entryFor(example("Incorrect (`local-only`)", "new OpenAI();"))).toEqual(["error"]);
    const notInPreset = () => entryFor(example("Incorrect (`recommended`)", "new OpenAI();"));
    expect(notInPreset).toThrow(/not in the recommended preset/);
    expect(entryFor(example("Incorrect", "new OpenAI();"))).toEqual(["error"]);
  });

  it("fails a block that does not parse, whatever its kind", () => {
    const broken = { ...example("Correct", "for (;;) { … }"), kind: "Correct" as const };
    expect(() => checkExample(broken, lintScript(broken, "rules/no-cloud-llm", 0))).toThrow(/does not parse/);
  });
});

const pages = readdirSync(path.join(root, "docs/rules"))
  .filter((f) => f.endsWith(".md"))
  .sort();

describe.each(pages)("docs/rules/%s", (page) => {
  const rule = page.replace(/\.md$/, "");
  const { headings, examples } = parsePage(path.join(root, "docs/rules", page), rule);

  it("has exactly the required headings, once each, in order", () => {
    const h1 = headings.filter((h) => h.level === 1);
    expect(h1.map((h) => [h.text, h.line]), "one H1, `# <rule>`, on line 1").toEqual([[rule, 1]]);
    const find = (pattern: RegExp, levels: number[]) =>
      headings.filter((h) => pattern.test(h.text) && levels.includes(h.level));
    const required: Array<[string, RegExp, number[]]> = [
      ["Incorrect", /^Incorrect(?: \(.+\))?$/, [2, 3]],
      ["Correct", /^Correct(?: \(.+\))?$/, [2, 3]],
      ["Options", /^Options$/, [2]],
      ["Out of scope", /^Out of scope(?: \(.+\))?$/, [2]],
    ];
    const lines: number[] = [];
    for (const [name, pattern, levels] of required) {
      const hits = find(pattern, levels);
      expect(hits.map((h) => h.text), `exactly one "${name}" heading at level ${levels.join(" or ")}`).toHaveLength(1);
      lines.push(hits[0].line);
    }
    expect(lines, "Incorrect, Correct, Options, Out of scope in this order").toEqual([...lines].sort((a, b) => a - b));
    const lastH2 = headings.filter((h) => h.level === 2).at(-1);
    expect(lastH2?.text, "the out-of-scope list is the last section").toMatch(/^Out of scope/);
    // Near-misses of the section names ("Incorrect code", "Examples of correct code") would hide examples.
    for (const h of headings) {
      if (/\b(?:in)?correct\b/i.test(h.text)) expect(h.text).toMatch(/^(?:Incorrect|Correct)(?: \(.+\))?$/);
    }
  });

  it("has at least one Incorrect and one Correct example", () => {
    expect(examples.filter((e) => e.kind === "Incorrect").length).toBeGreaterThan(0);
    expect(examples.filter((e) => e.kind === "Correct").length).toBeGreaterThan(0);
  });

  const cases = examples.map((e, i) => [`${e.section} #${i + 1} (line ${e.line}): ${titleOf(e)}`, e, i] as const);
  describe.each(cases)("%s", (_name, example, index) => {
    it(example.kind === "Incorrect" ? `reports ghostwatch/${rule}` : `is clean for ghostwatch/${rule}`, () => {
      checkExample(example, lintScript(example, `rules/${rule}`, index));
    });
  });
});

describe("docs/python.md", () => {
  const { examples } = parsePage(path.join(root, "docs/python.md"), undefined);
  beforeAll(async () => {
    await loadPythonParser();
  });

  it("has Python examples under rule headings", () => {
    expect(examples.length).toBeGreaterThan(0);
    for (const e of examples) expect(RULE_NAMES.has(e.rule)).toBe(true);
  });

  const cases = examples.map(
    (e, i) => [`${e.rule} ${e.section} #${i + 1} (line ${e.line}): ${titleOf(e)}`, e, i] as const,
  );
  describe.each(cases)("%s", (_name, example, index) => {
    const verb = example.kind === "Incorrect" ? "reports" : "is clean for";
    it(`${verb} ghostwatch/${example.rule}`, () => {
      checkExample(example, lintPython(example, index));
    });
  });
});
