/**
 * SARIF 2.1.0 output for `ghostwatch lint --format sarif`.
 * Written here rather than with @microsoft/eslint-formatter-sarif: that package pins ESLint 8
 * (a second ESLint in the tree) and pulls lodash/jschardet for a ~60-line mapping.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ESLint } from "eslint";
import { pkgVersion } from "./version.js";

export function toSarif(results: ESLint.LintResult[], rulesMeta: Record<string, { docs?: { description?: string; url?: string } } | undefined>, cwd: string): object {
  const ruleIds = [...new Set(results.flatMap((r) => r.messages.map((m) => m.ruleId).filter((x): x is string => !!x)))].sort();
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "ghostwatch",
            version: pkgVersion(),
            informationUri: "https://github.com/ghostwatch/ghostwatch",
            rules: ruleIds.map((id) => ({
              id,
              shortDescription: { text: rulesMeta[id]?.docs?.description ?? id },
              helpUri: rulesMeta[id]?.docs?.url,
            })),
          },
        },
        originalUriBaseIds: { "%SRCROOT%": { uri: pathToFileURL(cwd + path.sep).href } },
        results: results.flatMap((r) =>
          r.messages.map((m) => ({
            ruleId: m.ruleId ?? "parse-error",
            level: m.severity === 2 ? "error" : "warning",
            message: { text: m.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: path.relative(cwd, r.filePath).split(path.sep).join("/"), uriBaseId: "%SRCROOT%" },
                  region: {
                    startLine: m.line || 1,
                    startColumn: m.column || 1,
                    ...(m.endLine ? { endLine: m.endLine, endColumn: m.endColumn } : {}),
                  },
                },
              },
            ],
          })),
        ),
      },
    ],
  };
}
