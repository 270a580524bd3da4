/**
 * SARIF 2.1.0 for `ghostwatch lint --format sarif` and the ESLint formatter
 * (`eslint -f ./node_modules/ghostwatch/dist/server/sarif-formatter.js`), shaped for GitHub code
 * scanning: rules with `fullDescription`, `help` (the rule's docs page as markdown) and
 * `defaultConfiguration.level`; results with `partialFingerprints.primaryLocationLineHash` and
 * the reach chain as `relatedLocations`, linked from the message text.
 *
 * Written here rather than with @microsoft/eslint-formatter-sarif: that package pins ESLint 8
 * (a second ESLint in the tree), pulls lodash/jschardet, and knows nothing of reach chains.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ESLint } from "eslint";
import { pkgVersion } from "./version.js";

type RuleMeta = { docs?: { description?: string; url?: string; recommended?: unknown } } | undefined;

/** GitHub code scanning shows at most 10 related locations per result. */
export const MAX_RELATED = 10;

const PSEUDO_RULES: Record<string, { description: string; level: "error" | "note" }> = {
  "parse-error": { description: "The file could not be parsed, so no rule ran on it.", level: "error" },
  "file-not-linted": { description: "The file was not linted (ignored by a pattern, or over the size limit).", level: "note" },
};

/** Folders where the rules' docs pages may be: from dist/server/ and from server/ (tests). */
function docsPage(ruleId: string): string | undefined {
  const name = ruleId.replace(/^ghostwatch\//, "");
  if (name === ruleId || !/^[a-z0-9-]+$/.test(name)) return undefined;
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const rel of ["../../docs/rules", "../docs/rules"]) {
    try {
      return fs.readFileSync(path.join(here, rel, `${name}.md`), "utf8");
    } catch {
      /* next */
    }
  }
  return undefined;
}

/** The docs page's first prose paragraph, as plain text (not the title, quote or badge line). */
export function firstParagraph(markdown: string): string | undefined {
  for (const block of markdown.split(/\n\s*\n/)) {
    const t = block.trim();
    if (!t || /^(#|>|💼|\||```|<!--|[-*+] |\d+\. )/u.test(t)) continue;
    return t
      .replace(/\s*\n\s*/g, " ")
      .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
      .replace(/\*\*|`/g, "");
  }
  return undefined;
}

function ruleLevel(meta: RuleMeta): "error" | "warning" {
  return meta?.docs?.recommended === "error" ? "error" : "warning";
}

/** One reach step named in a message: `openrouter.ai (src/router.ts:5)`, label included. */
export interface Step {
  label: string;
  file: string;
  line: number;
  /** Where in the message text the `file:line` is (start, end). */
  span: [number, number];
}

/**
 * The reach steps of a message. The rules format each hit as `label (file:line)` (core
 * `formatHit`); messages carry no structured data once ESLint has formatted them, so the text is
 * what every host gets: parsed here, not re-computed.
 */
export function reachSteps(message: string): Step[] {
  const out: Step[] = [];
  // A route label is one word (`openrouter.ai`, `localhost:4000`, `LiteLLM`), maybe with a
  // parenthesised name after it (`localhost:4000 (LiteLLM)`).
  const re = /([^\s,()]+(?: \([^()\s]+\))?) \(([^()\s]+?):(\d+)\)/g;
  for (let m; (m = re.exec(message)); ) {
    const label = m[1].replace(/^[`"']+|[`"']+$/g, "");
    const fileStart = m.index + m[0].lastIndexOf("(" + m[2] + ":") + 1;
    out.push({ label, file: m[2], line: Number(m[3]), span: [fileStart, fileStart + m[2].length + 1 + m[3].length] });
  }
  return out;
}

function lineHash(ruleId: string, lineText: string): string {
  // Whitespace-insensitive, like GitHub's own line hash: re-indenting does not reopen an alert.
  return createHash("sha256").update(`${ruleId}\0${lineText.replace(/\s+/g, "")}`).digest("hex").slice(0, 16);
}

function artifactUri(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  if (rel && !rel.startsWith("..") && !path.isAbsolute(rel)) return { uri: encodeURI(rel.split(path.sep).join("/")), uriBaseId: "%SRCROOT%" };
  return { uri: pathToFileURL(abs).href };
}

export function toSarif(results: ESLint.LintResult[], rulesMeta: Record<string, RuleMeta>, cwd: string): object {
  const idOf = (m: ESLint.LintResult["messages"][number]) => m.ruleId ?? (m.fatal ? "parse-error" : "file-not-linted");
  const ruleIds = [...new Set(results.flatMap((r) => r.messages.map(idOf)))].sort();
  const sources = new Map<string, string[]>();
  const linesOf = (r: ESLint.LintResult): string[] => {
    let lines = sources.get(r.filePath);
    if (!lines) {
      let text = r.source;
      if (text === undefined) {
        try {
          text = fs.readFileSync(r.filePath, "utf8");
        } catch {
          text = "";
        }
      }
      lines = text.split(/\r?\n/);
      sources.set(r.filePath, lines);
    }
    return lines;
  };
  const rules = ruleIds.map((id) => {
    const pseudo = PSEUDO_RULES[id];
    const meta = rulesMeta[id];
    const description = pseudo?.description ?? meta?.docs?.description ?? id;
    const page = docsPage(id);
    const url = meta?.docs?.url;
    return {
      id,
      name: id.replace(/^ghostwatch\//, "").replace(/(^|[-/])([a-z])/g, (_m, _s, c: string) => c.toUpperCase()),
      shortDescription: { text: description },
      fullDescription: { text: (page && firstParagraph(page)) ?? description },
      ...(page || url ? { help: { text: `${description}${url ? ` ${url}` : ""}`, markdown: page ?? `${description}\n\n[Documentation](${url})` } } : {}),
      ...(url ? { helpUri: url } : {}),
      defaultConfiguration: { level: pseudo?.level ?? ruleLevel(meta) },
      properties: { tags: id.startsWith("ghostwatch/") ? ["ghostwatch", "reliability"] : [] },
    };
  });
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "ghostwatch", version: pkgVersion(), semanticVersion: pkgVersion(), informationUri: "https://github.com/ghostwatch/ghostwatch", rules } },
        originalUriBaseIds: { "%SRCROOT%": { uri: pathToFileURL(cwd + path.sep).href } },
        columnKind: "utf16CodeUnits",
        results: results.flatMap((r) => {
          const seen = new Map<string, number>();
          return r.messages.map((m) => {
            const ruleId = idOf(m);
            const startLine = m.line || 1;
            const hash = lineHash(ruleId, linesOf(r)[startLine - 1] ?? "");
            const n = (seen.get(hash) ?? 0) + 1;
            seen.set(hash, n);
            const steps = reachSteps(m.message).slice(0, MAX_RELATED);
            // Each `file:line` of the reach chain becomes a link `[file:line](id)` to its related location.
            let text = m.message;
            for (let i = steps.length - 1; i >= 0; i--) {
              const [a, b] = steps[i].span;
              text = `${text.slice(0, a)}[${text.slice(a, b)}](${i + 1})${text.slice(b)}`;
            }
            return {
              ruleId,
              ruleIndex: ruleIds.indexOf(ruleId),
              level: m.severity === 2 ? "error" : m.ruleId || m.fatal ? "warning" : "note",
              message: { text },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: artifactUri(r.filePath, cwd),
                    region: {
                      startLine,
                      startColumn: m.column || 1,
                      ...(m.endLine && (m.endLine > startLine || (m.endColumn ?? 0) > (m.column || 1)) ? { endLine: m.endLine, endColumn: m.endColumn } : {}),
                    },
                  },
                },
              ],
              partialFingerprints: { primaryLocationLineHash: `${hash}:${n}` },
              ...(steps.length
                ? {
                    relatedLocations: steps.map((s, i) => ({
                      id: i + 1,
                      message: { text: s.label },
                      physicalLocation: { artifactLocation: artifactUri(s.file, cwd), region: { startLine: Math.max(1, s.line) } },
                    })),
                  }
                : {}),
            };
          });
        }),
      },
    ],
  };
}
