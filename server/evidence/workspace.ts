/**
 * One ESLint pass over a workspace that yields both the Ghostwatch findings and the request
 * sites (see sites.ts) — the static half that `probe --explain` and the language server join
 * to the probe's sockets.
 */
import path from "node:path";
import { ESLint } from "eslint";
import { zeroConfig } from "../lint.js";
import { lintPythonFiles, pythonFilesIn } from "../../rules/python/lint.js";
import { pythonFactsFromDisk } from "../../rules/python/resolver.js";
import { sitesOfFacts, sitesRule, type Site, type SiteSink } from "./sites.js";

export interface SiteFinding {
  rule: string;
  line: number;
  column: number;
  message: string;
  severity: 1 | 2;
}

export interface SiteWithFindings extends Site {
  findings: SiteFinding[];
}

export interface StaticEvidence {
  roots: string[];
  sites: SiteWithFindings[];
  files: number;
}

const PLUGIN = "ghostwatch-evidence";

/** Findings of a file that belong to a site: on a line of the call, or the enclosing function's lying name. */
export function attachFindings(sites: Site[], messages: ReadonlyArray<{ ruleId: string | null; line: number; column: number; message: string; severity: number }>): SiteWithFindings[] {
  return sites.map((s) => ({
    ...s,
    findings: messages
      .filter((m) => m.ruleId?.startsWith("ghostwatch/") && ((m.line >= s.line && m.line <= s.endLine) || (m.ruleId === "ghostwatch/honest-llm-names" && m.line === s.functionLine)))
      .map((m) => ({ rule: m.ruleId!.slice("ghostwatch/".length), line: m.line, column: m.column, message: m.message, severity: (m.severity === 2 ? 2 : 1) as 1 | 2 })),
  }));
}

/** Lint `roots` (folders or files) with `preset` and collect every request site with its findings. */
export async function collectStaticEvidence(roots: string[], opts: { preset?: "recommended" | "strict" | "local-only"; cwd?: string } = {}): Promise<StaticEvidence> {
  const abs = roots.map((r) => path.resolve(opts.cwd ?? process.cwd(), r));
  const sink: SiteSink = new Map();
  const cwd = commonDir(abs);
  const eslint = new ESLint({
    cwd,
    overrideConfigFile: true,
    errorOnUnmatchedPattern: false,
    overrideConfig: [
      ...(zeroConfig(opts.preset ?? "recommended") as never[]),
      { plugins: { [PLUGIN]: { rules: { sites: sitesRule(sink) as never } } }, rules: { [`${PLUGIN}/sites`]: "error" } },
    ],
  });
  const results = await eslint.lintFiles(abs);
  const sites: SiteWithFindings[] = [];
  for (const r of results) sites.push(...attachFindings(sink.get(r.filePath) ?? [], r.messages as never));
  // Python: the tree-sitter front's facts (sites per line) and its findings
  const py = pythonFilesIn(abs, cwd);
  const pyResults = py.length ? await lintPythonFiles(py, { preset: opts.preset ?? "recommended", cwd }) : [];
  for (const r of pyResults) {
    const facts = pythonFactsFromDisk(r.filePath);
    if (facts) sites.push(...attachFindings(sitesOfFacts(facts), r.messages as never));
  }
  return { roots: abs, sites, files: results.length + pyResults.length };
}

function commonDir(paths: string[]): string {
  const dirs = paths.map((p) => (path.extname(p) ? path.dirname(p) : p));
  let common = dirs[0] ?? process.cwd();
  for (const d of dirs.slice(1)) while (common !== path.dirname(common) && !(d === common || d.startsWith(common + path.sep))) common = path.dirname(common);
  return common;
}
