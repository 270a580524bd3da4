// Import boundaries (issue 17, item 1), checked on the real module graph: every .ts file under
// rules/, server/ and extension/ is parsed with the TypeScript compiler API and each module
// specifier it names (import/export … from, `import type`, `import x = require()`, `import()`,
// `require()`, `import("…")` types) is resolved to a repository file. It fails, naming file and
// specifier, on
//   - an import from one rule (`rules/<rule>.ts` or `rules/<rule>/**`) into another rule,
//   - an import from rules/core/ into a rule (the core is below the rules: shared decisions live
//     in rules/core/, never in a rule file that others reach into),
//   - any import from rules/ into server/ or extension/,
//   - any import from extension/ into rules/ (the extension talks to the language server).
// Type-only imports count: they still couple the files. The rule registry files
// (rules/index.ts = the plugin object, rules/all-rules.ts = the name → rule table,
// rules/configs.ts = presets derived from meta.docs) list the rules and are exempt as importers.
// server/ importing rules/ is the intended direction and is allowed.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { rules } from "../../rules/all-rules.js";

const root = path.resolve(__dirname, "../..");
const RULE_NAMES = new Set(Object.keys(rules));
const REGISTRY = new Set(["rules/index.ts", "rules/all-rules.ts", "rules/configs.ts"]);
const SOURCE_EXT = /\.(?:ts|tsx|mts|cts)$/;

/** Repository-relative ("rules/core/ast.ts") paths of every TS file below `dir`. */
function tsFilesUnder(dir: string): string[] {
  const abs = path.join(root, dir);
  if (!existsSync(abs)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(abs, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...tsFilesUnder(rel));
    else if (SOURCE_EXT.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(rel);
  }
  return out;
}

interface ModuleRef {
  specifier: string;
  line: number;
  typeOnly: boolean;
}

/** Every static module specifier of one file, from its TypeScript AST. */
function moduleRefs(file: string, text: string): ModuleRef[] {
  const kind = file.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const refs: ModuleRef[] = [];
  const add = (node: ts.Node, specifier: ts.Node | undefined, typeOnly: boolean) => {
    if (!specifier || !ts.isStringLiteralLike(specifier)) return;
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    refs.push({ specifier: specifier.text, line, typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) add(node, node.moduleSpecifier, Boolean(node.importClause?.isTypeOnly));
    else if (ts.isExportDeclaration(node)) add(node, node.moduleSpecifier, node.isTypeOnly);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, node.isTypeOnly);
    }
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node, node.argument.literal, true);
    else if (ts.isCallExpression(node) && node.arguments.length >= 1) {
      const callee = node.expression;
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === "require";
      if (isImport || isRequire) add(node, node.arguments[0], false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return refs;
}

/** The repository file a relative specifier names (`./x.js` → `rules/x.ts`), or undefined for packages. */
function resolveRelative(fromFile: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = path.resolve(path.dirname(path.join(root, fromFile)), specifier);
  const stem = base.replace(/\.(?:[mc]?js|jsx)$/, "");
  const candidates = [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.cts`, path.join(base, "index.ts"), path.join(stem, "index.ts")];
  const hit = candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? base;
  return path.relative(root, hit).split(path.sep).join("/");
}

/** `honest-llm-names` for rules/honest-llm-names.ts and rules/honest-llm-names/**, else undefined. */
function ruleOf(file: string): string | undefined {
  const m = /^rules\/([^/]+?)(?:\.tsx?|\/.*)$/.exec(file);
  return m && RULE_NAMES.has(m[1]) ? m[1] : undefined;
}

const area = (file: string) => file.split("/")[0];

function violationsOf(file: string, refs: ModuleRef[]): string[] {
  const out: string[] = [];
  for (const ref of refs) {
    const target = resolveRelative(file, ref.specifier);
    if (!target) continue;
    const what = `${file}:${ref.line} imports${ref.typeOnly ? " (type-only)" : ""} "${ref.specifier}" (${target})`;
    const from = ruleOf(file);
    const to = ruleOf(target);
    if (area(file) === "rules" && !REGISTRY.has(file)) {
      if (from && to && from !== to) {
        out.push(`${what}: rule ${from} imports rule ${to}; move the shared decision to rules/core/`);
      }
      if (file.startsWith("rules/core/") && to) {
        out.push(`${what}: rules/core/ imports rule ${to}; the core is below the rules`);
      }
      if (area(target) === "server" || area(target) === "extension") {
        out.push(`${what}: rules/ must not import ${area(target)}/`);
      }
    }
    if (area(file) === "extension" && area(target) === "rules") {
      out.push(`${what}: extension/ must not import rules/ (go through the language server)`);
    }
  }
  return out;
}

describe("import boundaries", () => {
  const files = ["rules", "server", "extension"].flatMap(tsFilesUnder);

  it("finds the source tree and every registry file (they list the rules)", () => {
    expect(files.length).toBeGreaterThan(20);
    for (const registry of REGISTRY) expect(files).toContain(registry);
    // all-rules.ts imports every rule; that is what makes it (and only it) the registry.
    const registryRefs = moduleRefs("rules/all-rules.ts", readFileSync(path.join(root, "rules/all-rules.ts"), "utf8"));
    const targets = registryRefs.map((r) => resolveRelative("rules/all-rules.ts", r.specifier) ?? "");
    const registered = new Set(targets.map(ruleOf).filter(Boolean));
    expect([...registered].sort()).toEqual([...RULE_NAMES].sort());
  });

  it("sees every kind of module reference (self-check on a fixture text)", () => {
    const text = [
      `import a from "./a.js";`,
      `import type { B } from "./b.js";`,
      `export { c } from "./c.js";`,
      `export type { D } from "./d.js";`,
      `import e = require("./e.js");`,
      `const f = await import("./f.js");`,
      `const g = require("./g.js");`,
      `let h: typeof import("./h.js");`,
      `const notAnImport = "./i.js"; // a string is not a reference`,
    ].join("\n");
    expect(moduleRefs("x.ts", text).map((r) => [r.specifier, r.line, r.typeOnly])).toEqual([
      ["./a.js", 1, false],
      ["./b.js", 2, true],
      ["./c.js", 3, false],
      ["./d.js", 4, true],
      ["./e.js", 5, false],
      ["./f.js", 6, false],
      ["./g.js", 7, false],
      ["./h.js", 8, true],
    ]);
  });

  it("classifies boundary crossings (self-check on synthetic edges)", () => {
    const [first, second] = [...RULE_NAMES];
    const ref = (specifier: string, typeOnly = false): ModuleRef => ({ specifier, line: 1, typeOnly });
    expect(violationsOf(`rules/${first}.ts`, [ref(`./${second}.js`, true)])).toHaveLength(1);
    expect(violationsOf(`rules/${first}/part.ts`, [ref(`../${second}.js`)])).toHaveLength(1);
    expect(violationsOf(`rules/${first}/part.ts`, [ref(`../${first}.js`)])).toHaveLength(0);
    expect(violationsOf("rules/core/x.ts", [ref(`../${first}.js`)])).toHaveLength(1);
    expect(violationsOf("rules/core/x.ts", [ref("../../server/lint.js")])).toHaveLength(1);
    expect(violationsOf("extension/x.ts", [ref("../rules/core/names.js", true)])).toHaveLength(1);
    expect(violationsOf("extension/x.ts", [ref("../server/shared/x.js")])).toHaveLength(0);
    expect(violationsOf("server/x.ts", [ref(`../rules/${first}.js`)])).toHaveLength(0);
    expect(violationsOf("rules/all-rules.ts", [ref(`./${first}.js`)])).toHaveLength(0);
  });

  it("has no import across a boundary", () => {
    const violations = files.flatMap((file) => {
      const refs = moduleRefs(file, readFileSync(path.join(root, file), "utf8"));
      return violationsOf(file, refs);
    });
    expect(violations, violations.join("\n")).toEqual([]);
  });
});
