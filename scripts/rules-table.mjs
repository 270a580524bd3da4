#!/usr/bin/env node
// Generates the README rule table from each rule's meta (between the rules:start/end markers).
// `node scripts/rules-table.mjs --write` rewrites README.md; without it, prints the table.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export async function rulesTable() {
  const { default: plugin } = await import(pathToFileURL(path.join(root, "dist/rules/index.js")).href);
  return tableFor(plugin);
}

export function tableFor(plugin) {
  const rows = Object.entries(plugin.rules)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, rule]) => {
      const d = rule.meta.docs;
      const presets = [
        d.recommended ? `recommended (${d.recommended})` : "",
        d.recommended || d.presets?.includes("strict") ? "strict" : "",
        d.recommended || d.presets?.includes("local-only") ? "local-only" : "",
      ].filter(Boolean).join(", ");
      const fix = [rule.meta.fixable ? "🔧" : "", rule.meta.hasSuggestions ? "💡" : ""].join("");
      return `| [\`${name}\`](docs/rules/${name}.md) | ${d.description} | ${presets} | ${fix} |`;
    });
  return ["| rule | what it finds | presets | fix |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

export function replaceTable(readme, table) {
  return readme.replace(/<!-- rules:start -->[\s\S]*<!-- rules:end -->/, `<!-- rules:start -->\n${table}\n<!-- rules:end -->`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const table = await rulesTable();
  if (process.argv.includes("--write")) {
    const file = path.join(root, "README.md");
    writeFileSync(file, replaceTable(readFileSync(file, "utf8"), table));
  } else {
    process.stdout.write(table + "\n");
  }
}
