#!/usr/bin/env node
/**
 * The house metrics of issue 17, measured on the working tree (no build needed):
 *   - rule-file median size: each rule (one page in docs/rules/) is `rules/<rule>.ts` or the
 *     folder `rules/<rule>/` (all its files together),
 *   - the share of lines over 120 characters,
 *   - the share of declared names that are a single letter (variables, parameters, functions,
 *     classes, destructured bindings, catch bindings; `_` is not counted: it says "unused"),
 *   - every function longer than 80 lines,
 * over the source files of rules/, server/, extension/ and scripts/ (.ts, .mts, .cts, .js, .mjs,
 * .cjs; no tests, fixtures or generated files). The declared names come from TypeScript's own
 * parser (`ts.createSourceFile`), so a regular expression cannot miss a destructuring or a
 * parameter.
 *
 *   node scripts/house-metrics.mjs            # text
 *   node scripts/house-metrics.mjs --json     # the same figures as JSON
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE_FOLDERS = ["rules", "server", "extension", "scripts"];
const SOURCE_FILE = /\.(?:ts|mts|cts|js|mjs|cjs)$/;
const NOT_SOURCE = /\.d\.[cm]?ts$|\.min\.js$/;
const SKIPPED = new Set(["node_modules", "dist", "fixtures", "results", "judgements", "labels", ".eval"]);
const LONG_LINE = 120;
const LONG_FUNCTION = 80;

function filesUnder(dir) {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  const out = [];
  for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED.has(entry.name) && !entry.name.startsWith(".")) out.push(...filesUnder(rel));
    } else if (SOURCE_FILE.test(entry.name) && !NOT_SOURCE.test(entry.name)) out.push(rel);
  }
  return out;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return 0;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Bytes of each rule: `rules/<rule>.ts`, or every file of `rules/<rule>/`. */
function ruleSizes() {
  const names = fs
    .readdirSync(path.join(root, "docs/rules"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => name.slice(0, -3));
  const sizes = [];
  for (const rule of names) {
    const file = path.join(root, "rules", `${rule}.ts`);
    const folder = path.join(root, "rules", rule);
    let bytes = 0;
    if (fs.existsSync(file)) bytes += fs.statSync(file).size;
    if (fs.existsSync(folder))
      for (const rel of filesUnder(path.join("rules", rule))) bytes += fs.statSync(path.join(root, rel)).size;
    if (bytes) sizes.push({ rule, bytes, folder: fs.existsSync(folder) });
  }
  return sizes;
}

function scriptKind(file) {
  if (/\.[cm]?ts$/.test(file)) return ts.ScriptKind.TS;
  return ts.ScriptKind.JS;
}

/** Names a binding pattern or identifier declares. */
function boundNames(name, out) {
  if (!name) return;
  if (ts.isIdentifier(name)) out.push(name);
  else if (ts.isObjectBindingPattern(name) || ts.isArrayBindingPattern(name)) {
    for (const element of name.elements) if (ts.isBindingElement(element)) boundNames(element.name, out);
  }
}

function functionName(node, source) {
  if (node.name && ts.isIdentifier(node.name)) return node.name.text;
  if (node.name) return node.name.getText(source);
  if (ts.isConstructorDeclaration(node)) return "constructor";
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText(source);
  if (parent && ts.isCallExpression(parent)) return `(callback of ${parent.expression.getText(source).slice(0, 40)})`;
  return "(anonymous)";
}

function measureFile(rel, totals) {
  const text = fs.readFileSync(path.join(root, rel), "utf8");
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  totals.lines += lines.length;
  for (const line of lines) if (line.length > LONG_LINE) totals.longLines++;
  for (const line of lines) totals.longestLine = Math.max(totals.longestLine, line.length);

  const source = ts.createSourceFile(rel, text, ts.ScriptTarget.Latest, true, scriptKind(rel));
  const lineOf = (pos) => source.getLineAndCharacterOfPosition(pos).line + 1;
  const visit = (node) => {
    const declared = [];
    if (ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isCatchClause(node))
      boundNames(ts.isCatchClause(node) ? node.variableDeclaration?.name : node.name, declared);
    if (
      (ts.isFunctionDeclaration(node) ||
        ts.isClassDeclaration(node) ||
        ts.isFunctionExpression(node) ||
        ts.isClassExpression(node)) &&
      node.name
    )
      declared.push(node.name);
    for (const id of declared) {
      if (id.text === "_") continue;
      totals.names++;
      if (id.text.length === 1) totals.singleLetter++;
    }
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const length = lineOf(node.end) - lineOf(node.getStart(source)) + 1;
      if (length > LONG_FUNCTION)
        totals.longFunctions.push({
          file: rel,
          line: lineOf(node.getStart(source)),
          name: functionName(node, source),
          lines: length,
        });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

const files = SOURCE_FOLDERS.flatMap(filesUnder);
const totals = {
  files: files.length,
  lines: 0,
  longLines: 0,
  longestLine: 0,
  names: 0,
  singleLetter: 0,
  longFunctions: [],
};
for (const rel of files) measureFile(rel, totals);
totals.longFunctions.sort((a, b) => b.lines - a.lines);
const rules = ruleSizes();
const percent = (part, whole) => (whole ? (100 * part) / whole : 0);
const report = {
  ruleMedianBytes: median(rules.map((r) => r.bytes)),
  rules: rules.length,
  ruleFolders: rules.filter((r) => r.folder).length,
  files: totals.files,
  lines: totals.lines,
  longLinePercent: percent(totals.longLines, totals.lines),
  longestLine: totals.longestLine,
  declaredNames: totals.names,
  singleLetterPercent: percent(totals.singleLetter, totals.names),
  longFunctions: totals.longFunctions,
};

if (process.argv.includes("--json")) {
  console.log(JSON.stringify(report, null, 2));
} else {
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log(
    `rule-file median size   ${kb(report.ruleMedianBytes)} over ${report.rules} rules (${report.ruleFolders} as folders; target ≤ 8 KB)`,
  );
  console.log(
    `lines over ${LONG_LINE} chars     ${report.longLinePercent.toFixed(2)} % of ${report.lines} lines in ${report.files} files (longest ${report.longestLine}; target < 1 %)`,
  );
  console.log(
    `single-letter names     ${report.singleLetterPercent.toFixed(2)} % of ${report.declaredNames} declared names (target < 3 %)`,
  );
  console.log(`functions over ${LONG_FUNCTION} lines  ${report.longFunctions.length}`);
  for (const fn of report.longFunctions)
    console.log(`  ${String(fn.lines).padStart(4)}  ${fn.file}:${fn.line}  ${fn.name}`);
}
