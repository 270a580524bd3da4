// Meta-tests in the typescript-eslint style: every rule has a docs page, a test file, a preset
// entry, a description and a derived docs URL; the README rule table matches the rules.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import plugin from "../../rules/index.js";
import { DOCS_BASE } from "../../rules/create-rule.js";
// @ts-expect-error plain ESM script without types
import { tableFor } from "../../scripts/rules-table.mjs";

const root = path.resolve(__dirname, "../..");
const names = Object.keys(plugin.rules);

describe("rule registry", () => {
  it("has the foundation rule", () => {
    expect(names).toContain("honest-llm-names");
  });

  describe.each(names)("%s", (name) => {
    const rule = (plugin.rules as Record<string, { meta: { docs?: { description?: string; url?: string; recommended?: string; presets?: string[] }; messages: Record<string, string>; schema: unknown } }>)[name];

    it("has a description and a docs URL derived from its name", () => {
      expect(rule.meta.docs?.description?.length ?? 0).toBeGreaterThan(20);
      expect(rule.meta.docs?.url).toBe(`${DOCS_BASE}/${name}.md`);
    });

    it("has a docs page with incorrect and correct examples and an out-of-scope list", () => {
      const file = path.join(root, "docs/rules", `${name}.md`);
      expect(existsSync(file), `docs/rules/${name}.md is missing`).toBe(true);
      const text = readFileSync(file, "utf8");
      expect(text).toMatch(new RegExp(`^# .*${name}`, "m"));
      expect(text).toMatch(/incorrect/i);
      expect(text).toMatch(/correct/i);
      expect(text).toMatch(/out of scope/i);
    });

    it("has a RuleTester suite", () => {
      const file = path.join(root, "test/rules", `${name}.test.ts`);
      expect(existsSync(file), `test/rules/${name}.test.ts is missing`).toBe(true);
      const text = readFileSync(file, "utf8");
      expect(text).toContain("RuleTester");
      expect(text).toMatch(/invalid\s*:/);
    });

    it("is in a preset", () => {
      const inSome = Object.values(plugin.configs).some((c) => (c.rules ?? {})[`ghostwatch/${name}`] !== undefined);
      expect(inSome, `ghostwatch/${name} is in no preset`).toBe(true);
    });

    it("says every message through messageId, with placeholders only from data", () => {
      expect(Object.keys(rule.meta.messages).length).toBeGreaterThan(0);
      for (const text of Object.values(rule.meta.messages)) expect(text.trim().length).toBeGreaterThan(10);
    });
  });

  it("has no docs page for a rule that does not exist", () => {
    const pages = require("node:fs").readdirSync(path.join(root, "docs/rules")).filter((f: string) => f.endsWith(".md"));
    for (const page of pages) expect(names).toContain(page.replace(/\.md$/, ""));
  });
});

describe("presets", () => {
  it("strict turns every recommended rule into an error", () => {
    const rec = plugin.configs.recommended.rules ?? {};
    const strict = plugin.configs.strict.rules ?? {};
    for (const id of Object.keys(rec)) {
      const entry = strict[id];
      expect(Array.isArray(entry) ? entry[0] : entry).toBe("error");
    }
  });

  it("local-only is recommended plus the local-only rules", () => {
    const rec = plugin.configs.recommended.rules ?? {};
    const local = plugin.configs["local-only"].rules ?? {};
    for (const id of Object.keys(rec)) expect(local[id]).toBeDefined();
  });

  it("registers the plugin under the ghostwatch namespace", () => {
    for (const c of Object.values(plugin.configs)) expect(c.plugins?.ghostwatch).toBe(plugin);
    expect(plugin.meta.name).toBe("ghostwatch");
  });
});

describe("README", () => {
  it("opens with the two commands", () => {
    const readme = readFileSync(path.join(root, "README.md"), "utf8");
    const firstBlock = readme.slice(readme.indexOf("```"), readme.indexOf("```", readme.indexOf("```") + 3));
    expect(firstBlock).toContain("npm install && npm start");
    expect(firstBlock).toContain("npm test");
  });

  it("has a rule table in sync with the rules (run `npm run docs:rules`)", () => {
    const readme = readFileSync(path.join(root, "README.md"), "utf8");
    const current = /<!-- rules:start -->\n([\s\S]*?)\n<!-- rules:end -->/.exec(readme)?.[1];
    expect(current).toBe(tableFor(plugin));
  });
});
