/**
 * An ESLint formatter that writes Ghostwatch's SARIF 2.1.0 (GitHub code scanning):
 *   npx eslint -f ./node_modules/ghostwatch/dist/server/sarif-formatter.js -o ghostwatch.sarif .
 * ESLint resolves `-f` as a path when it contains a slash, else as `eslint-formatter-<name>`, so
 * the file path (also `import("ghostwatch/sarif")`) is how a plugin package can ship one.
 * Loads nothing but node built-ins and ./sarif.js.
 */
import type { ESLint } from "eslint";
import { toSarif } from "./sarif.js";

export default function formatSarif(results: ESLint.LintResult[], context?: { cwd?: string; rulesMeta?: Record<string, never> }): string {
  return JSON.stringify(toSarif(results, context?.rulesMeta ?? {}, context?.cwd ?? process.cwd()), null, 2);
}
