#!/usr/bin/env node
// `npm run new-rule NAME [-- --description "…" --level warn|error --root DIR]`
// Scaffolds a rule the way the house expects it (CONTRIBUTING.md, "Adding a rule"):
//   rules/NAME.ts            createRule, one placeholder check, listeners first
//   docs/rules/NAME.md       the headings test/meta/docs-examples.test.ts requires, one
//                            Incorrect and one Correct block the placeholder rule agrees with
//   test/rules/NAME.test.ts  a RuleTester suite (one valid, one invalid case) that passes
//   rules/all-rules.ts       one import and one entry; presets (rules/configs.ts) and the README
//                            table are derived from the rule's meta.docs (`recommended` level)
// Refuses a name that is not kebab-case or that already exists. Nothing is written unless every
// check passes. `--root DIR` scaffolds into another checkout (the meta-test uses a temp copy).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";

const here = path.dirname(fileURLToPath(import.meta.url));
const TEMPLATES = path.join(here, "new-rule");
const KEBAB = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$|^[a-z][a-z0-9]*$/;
// Files and folders of rules/ that are not rules.
const RESERVED = new Set(["index", "all-rules", "configs", "create-rule", "core", "python"]);

export class ScaffoldError extends Error {}

/** camelCase binding for the import in all-rules.ts: `no-cloud-llm` → `noCloudLlm`. */
export function bindingFor(name) {
  return name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
}

function fill(template, values) {
  return readFileSync(path.join(TEMPLATES, template), "utf8").replace(/__([A-Z]+)__/g, (m, key) => values[key] ?? m);
}

/**
 * all-rules.ts with the new rule added: the import after the last import and the entry after
 * the last property of `export const rules = { … }`, both found on the TypeScript AST (the file
 * is the registry; a text search could match a comment or a string).
 */
export function addToRegistry(text, name) {
  const source = ts.createSourceFile("all-rules.ts", text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const imports = source.statements.filter(ts.isImportDeclaration);
  let table;
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const decl of statement.declarationList.declarations) {
      const isTable = ts.isIdentifier(decl.name) && decl.name.text === "rules" && decl.initializer;
      if (isTable && ts.isObjectLiteralExpression(decl.initializer)) table = decl.initializer;
    }
  }
  if (!imports.length || !table) {
    throw new ScaffoldError("rules/all-rules.ts has no imports or no `const rules = { … }`: add the rule by hand");
  }
  const binding = bindingFor(name);
  const taken = new Set(imports.map((d) => d.importClause?.name?.text).filter(Boolean));
  if (taken.has(binding)) throw new ScaffoldError(`rules/all-rules.ts already imports a binding named ${binding}`);
  for (const p of table.properties) {
    const key = p.name && (ts.isStringLiteral(p.name) || ts.isIdentifier(p.name)) ? p.name.text : undefined;
    if (key === name) throw new ScaffoldError(`rules/all-rules.ts already registers "${name}"`);
  }
  const lastImport = imports[imports.length - 1].getEnd();
  const last = table.properties[table.properties.length - 1];
  // After the last property (and its trailing comma, if any), or right after `{` when empty.
  let entryAt = last ? last.getEnd() : table.getStart(source) + 1;
  if (last && text[entryAt] === ",") entryAt += 1;
  const entry = `${last && text[last.getEnd()] !== "," ? "," : ""}\n  "${name}": ${binding},`;
  const withEntry = text.slice(0, entryAt) + entry + text.slice(entryAt);
  return withEntry.slice(0, lastImport) + `\nimport ${binding} from "./${name}.js";` + withEntry.slice(lastImport);
}

/** Writes the four files; returns the repository-relative paths written or changed. */
export function scaffoldRule({ name, root, description, level = "warn" }) {
  if (typeof name !== "string" || !KEBAB.test(name)) {
    const why = 'lower-case letters and digits, words joined by "-"';
    throw new ScaffoldError(`"${name ?? ""}" is not a kebab-case rule name (e.g. require-llm-stop): ${why}`);
  }
  if (RESERVED.has(name)) throw new ScaffoldError(`"${name}" is a file or folder of rules/ that is not a rule`);
  if (level !== "warn" && level !== "error") throw new ScaffoldError(`--level must be warn or error, not ${level}`);
  const desc = description ?? `TODO: say in one sentence what ${name} finds and why it keeps an agent a zombie.`;
  if (desc.length <= 20) throw new ScaffoldError("--description must be a sentence (more than 20 characters)");
  if (/["\\\n`]|__[A-Z]+__/.test(desc)) {
    throw new ScaffoldError("--description may not contain quotes, backticks, backslashes or new lines");
  }
  const files = {
    rule: `rules/${name}.ts`,
    docs: `docs/rules/${name}.md`,
    test: `test/rules/${name}.test.ts`,
  };
  const registry = "rules/all-rules.ts";
  const at = (rel) => path.join(root, rel);
  if (!existsSync(at(registry))) {
    throw new ScaffoldError(`${at(registry)} not found: --root must be a Ghostwatch checkout`);
  }
  for (const rel of [...Object.values(files), `rules/${name}`]) {
    if (existsSync(at(rel))) throw new ScaffoldError(`${rel} already exists: rule "${name}" is taken`);
  }
  const values = { NAME: name, DESCRIPTION: desc, LEVEL: level };
  const registryText = addToRegistry(readFileSync(at(registry), "utf8"), name);
  writeFileSync(at(files.rule), fill("rule.ts.tmpl", values));
  writeFileSync(at(files.docs), fill("rule.md.tmpl", values));
  writeFileSync(at(files.test), fill("rule.test.ts.tmpl", values));
  writeFileSync(at(registry), registryText);
  return [files.rule, files.docs, files.test, registry];
}

function parseArgs(argv) {
  const out = { root: path.resolve(here, "..") };
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--root" || arg === "--description" || arg === "--level") {
      if (argv[i + 1] === undefined) throw new ScaffoldError(`${arg} needs a value`);
      out[arg.slice(2)] = argv[++i];
    } else if (arg.startsWith("--")) throw new ScaffoldError(`unknown option ${arg}`);
    else rest.push(arg);
  }
  if (rest.length !== 1) {
    throw new ScaffoldError('usage: npm run new-rule NAME [-- --description "…" --level warn|error --root DIR]');
  }
  return { ...out, name: rest[0], root: path.resolve(out.root) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    const args = parseArgs(process.argv.slice(2));
    const written = scaffoldRule(args);
    console.log(`new rule ${args.name}:\n${written.map((f) => `  ${f}`).join("\n")}`);
    console.log(
      [
        "next:",
        `  1. replace the placeholder check in rules/${args.name}.ts (shared decisions go to rules/core/)`,
        `  2. write real Incorrect/Correct examples in docs/rules/${args.name}.md (they are linted by the suite)`,
        `  3. npx vitest run test/rules/${args.name}.test.ts test/meta`,
        "  4. npm run docs:rules   (regenerates the README rule table)",
      ].join("\n"),
    );
  } catch (error) {
    if (!(error instanceof ScaffoldError)) throw error;
    console.error(`new-rule: ${error.message}`);
    process.exitCode = 1;
  }
}
