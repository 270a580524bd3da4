// The one crash policy (issue 17, item 6): createRule guards `create` and every listener. Under
// tests (VITEST) or GHOSTWATCH_DEBUG=1 a rule error is rethrown; otherwise it is logged once per
// (rule, file) with the file name and the rule is off for the rest of that file, while the other
// rules of the same run keep reporting. Real ESLint Linter, a deliberately throwing rule.
import { Linter } from "eslint";
import tsParser from "@typescript-eslint/parser";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createRule } from "../../rules/create-rule.js";

/** Reports every identifier named `x`; throws on the identifier `boom`. */
const throwing = createRule<[], "seen">({
  name: "throwing",
  meta: { type: "problem", docs: { description: "test rule" }, messages: { seen: "seen {{name}}" }, schema: [] },
  defaultOptions: [],
  create(context) {
    return {
      Identifier(node) {
        if (node.name === "boom") throw new TypeError("cannot read properties of undefined (reading 'type')");
        if (node.name === "x") context.report({ node, messageId: "seen", data: { name: node.name } });
      },
    };
  },
});

/** Throws in `create` itself. */
const throwingCreate = createRule<[], "never">({
  name: "throwing-create",
  meta: { type: "problem", docs: { description: "test rule" }, messages: { never: "never" }, schema: [] },
  defaultOptions: [],
  create() {
    throw new RangeError("bad state");
  },
});

/** A healthy neighbour: reports every `debugger`. */
const healthy = createRule<[], "found">({
  name: "healthy",
  meta: { type: "problem", docs: { description: "test rule" }, messages: { found: "debugger" }, schema: [] },
  defaultOptions: [],
  create(context) {
    return { DebuggerStatement: (node) => context.report({ node, messageId: "found" }) };
  },
});

const config: Linter.Config[] = [
  {
    files: ["**/*.ts"],
    languageOptions: { parser: tsParser as never },
    plugins: { t: { rules: { throwing, "throwing-create": throwingCreate, healthy } as never } },
    rules: { "t/throwing": "error", "t/throwing-create": "error", "t/healthy": "error" },
  },
];
const code = "let x = 1;\nboom();\nx = 2;\ndebugger;\n";

function lint(file: string) {
  return new Linter({ configType: "flat", cwd: "/w" })
    .verify(code, config, { filename: file })
    .map((m) => ({ rule: m.ruleId, line: m.line, column: m.column, message: m.message }));
}

describe("createRule crash policy", () => {
  const saved = { VITEST: process.env.VITEST, GHOSTWATCH_DEBUG: process.env.GHOSTWATCH_DEBUG };
  afterEach(() => {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    vi.restoreAllMocks();
  });

  it("rethrows under vitest, so a rule bug fails the suite with its message", () => {
    expect(process.env.VITEST).toBeTruthy();
    expect(() => lint("/w/a.ts")).toThrow(/reading 'type'|bad state/);
  });

  describe("outside tests", () => {
    let errors: string[];
    beforeEach(() => {
      delete process.env.VITEST;
      delete process.env.GHOSTWATCH_DEBUG;
      errors = [];
      vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void errors.push(args.join(" ")));
    });

    it("switches the failing rule off for the file and keeps the other rules' findings", () => {
      expect(lint("/w/b.ts")).toEqual([
        // reported before the error; the `x` on line 3 comes after it: the rule is off by then
        { rule: "t/throwing", line: 1, column: 5, message: "seen x" },
        { rule: "t/healthy", line: 4, column: 1, message: "debugger" },
      ]);
      expect(errors).toEqual([
        "ghostwatch: rule throwing-create failed on /w/b.ts (bad state); it is off for this file. GHOSTWATCH_DEBUG=1 rethrows the error.",
        "ghostwatch: rule throwing failed on /w/b.ts (cannot read properties of undefined (reading 'type')); it is off for this file. GHOSTWATCH_DEBUG=1 rethrows the error.",
      ]);
    });

    it("logs once per rule and file, again for another file", () => {
      lint("/w/c.ts");
      lint("/w/c.ts");
      expect(errors.filter((e) => e.includes("rule throwing failed on /w/c.ts"))).toHaveLength(1);
      lint("/w/d.ts");
      expect(errors.filter((e) => e.includes("rule throwing failed on /w/d.ts"))).toHaveLength(1);
    });

    it("rethrows with GHOSTWATCH_DEBUG=1", () => {
      process.env.GHOSTWATCH_DEBUG = "1";
      expect(() => lint("/w/e.ts")).toThrow();
      expect(errors).toEqual([]);
    });
  });
});
