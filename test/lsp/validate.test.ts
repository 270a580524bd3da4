/**
 * In-process: the validation core with a rule that throws. The throwing rule is logged and
 * switched off for that file only; honest-llm-names still reports on it and on other files.
 */
import fs from "node:fs";
import path from "node:path";
import type { Linter } from "eslint";
import { afterEach, describe, expect, it } from "vitest";
import { configFromSettings } from "../../server/lsp/config.js";
import { ProjectModel } from "../../server/lsp/project.js";
import { lintText } from "../../server/lsp/validate.js";
import { normaliseSettings } from "../../server/lsp/config.js";
import { copyFixture, removeFixtureCopies } from "./helpers.js";

const crashPlugin = {
  rules: {
    boom: {
      meta: { type: "problem" as const, schema: [] },
      create(context: { filename: string }) {
        return {
          Program() {
            if (context.filename.endsWith("runner.ts")) throw new Error("kaboom in a rule");
          },
        };
      },
    },
  },
};

afterEach(() => removeFixtureCopies());

describe("validation core", () => {
  it("a rule that throws on one file is logged and switched off there; other rules and other files keep their diagnostics", () => {
    const root = copyFixture("zombie");
    const model = new ProjectModel(root);
    const base = configFromSettings(normaliseSettings({}), root);
    const config = { ...base, configs: [...base.configs, { plugins: { crash: crashPlugin }, rules: { "crash/boom": "error" } } as unknown as Linter.Config] };
    const logs: string[] = [];
    const runner = path.join(root, "src/runner.ts");
    const out = lintText(fs.readFileSync(runner, "utf8"), runner, config, model.passResolver(new Set()), (m) => logs.push(m));
    expect(out.crashed).toEqual(["crash/boom"]);
    expect(logs.join("\n")).toContain("rule crash/boom crashed on");
    expect(logs.join("\n")).toContain("kaboom in a rule");
    const lie = out.messages.find((m) => m.ruleId === "ghostwatch/honest-llm-names");
    expect(lie?.message).toContain("callOllama() claims a local model but reaches localhost:4000 (LiteLLM) (src/router.ts:4)");

    const caller = path.join(root, "src/caller.ts");
    const other = lintText(fs.readFileSync(caller, "utf8"), caller, config, model.passResolver(new Set()), (m) => logs.push(m));
    expect(other.crashed).toEqual([]);
    expect(other.parseError).toBeUndefined();
  });

  it("records the files a diagnostic was computed from (the dependency graph), so edits re-validate only dependents", () => {
    const root = copyFixture("zombie");
    const model = new ProjectModel(root);
    const config = configFromSettings(normaliseSettings({}), root);
    for (const f of ["runner.ts", "caller.ts", "router.ts", "config-paths.ts"]) {
      const file = path.join(root, "src", f);
      const deps = new Set<string>();
      lintText(fs.readFileSync(file, "utf8"), file, config, model.passResolver(deps), () => {});
      model.setDeps(file, deps);
    }
    // runner.ts's callOllama claims a route, so its diagnostics were computed from router.ts;
    // caller.ts claims nothing, so an edit to router.ts cannot change its diagnostics.
    expect(model.dependentsOf(path.join(root, "src/router.ts")).map((f) => path.basename(f)).sort()).toEqual(["runner.ts"]);
    expect(model.dependentsOf(path.join(root, "src/config-paths.ts"))).toEqual([]);
  });

  it("fix mode (fix-all) applies every auto-fix and keeps the other rules' findings", () => {
    const root = copyFixture("zombie");
    const model = new ProjectModel(root);
    const fixer = {
      rules: {
        "temp-zero": {
          meta: { type: "suggestion" as const, fixable: "code" as const, schema: [] },
          create(context: { report: (d: unknown) => void }) {
            return {
              Literal(node: { value: unknown; range: [number, number] }) {
                if (node.value === "gemma2:9b") context.report({ node, message: "pin the model", fix: (f: { replaceTextRange: (r: [number, number], t: string) => unknown }) => f.replaceTextRange(node.range, '"gemma2:9b-instruct"') });
              },
            };
          },
        },
      },
    };
    const base = configFromSettings(normaliseSettings({}), root);
    const config = { ...base, configs: [...base.configs, { plugins: { fx: fixer }, rules: { "fx/temp-zero": "warn" } } as unknown as Linter.Config] };
    const runner = path.join(root, "src/runner.ts");
    const out = lintText(fs.readFileSync(runner, "utf8"), runner, config, model.passResolver(new Set()), () => {}, true);
    expect(out.output).toContain('model: "gemma2:9b-instruct"');
    expect(out.messages.some((m) => m.ruleId === "ghostwatch/honest-llm-names")).toBe(true);
    expect(out.messages.some((m) => m.ruleId === "fx/temp-zero")).toBe(false);
  });
});
