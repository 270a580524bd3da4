/**
 * What the editor shows beyond diagnostics — hover text, code lenses, the honest rename —
 * computed with the rules' own analysis (`reachOf`, `findLies`, `describeReach`), over the
 * project model's facts and resolver.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { FileFacts, FnInfo } from "../../rules/core/file-facts.js";
import { describeClaim } from "../../rules/core/names.js";
import { formatChain, formatHit, reachOf, type Hit } from "../../rules/core/reach.js";
import { describeReach, findLies, type Finding } from "../../rules/core/lies.js";
import type { ProjectModel } from "./project.js";

export interface FnReach {
  facts: FileFacts;
  fn: FnInfo;
  hits: Hit[];
  finding?: Finding;
}

function relativeFn(root: string): (file: string) => string {
  return (file) => {
    const rel = path.relative(root, file);
    return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel.split(path.sep).join("/") : file;
  };
}

function nameRange(fn: FnInfo): [number, number] {
  return (fn.nameNode as { range: [number, number] }).range;
}

/** Every function of a file with what it reaches (fresh resolver: one pass). */
export function reachAll(model: ProjectModel, file: string): FnReach[] {
  const facts = model.factsOf(file);
  if (!facts) return [];
  const resolver = model.passResolver(new Set());
  const reach = (fn: FnInfo) => reachOf(facts, fn, resolver);
  const callees = (fn: FnInfo) =>
    facts.atoms.flatMap((a) => (a.kind === "ref" && a.start >= fn.range[0] && a.start < fn.range[1] && facts.fnByName.get(a.name)) || []);
  const lies = new Map(findLies(facts.functions, reach, facts.header, {}, callees).map((f) => [f.fn, f]));
  return facts.functions.map((fn) => ({ facts, fn, hits: reach(fn), finding: lies.get(fn) }));
}

/** The function named at `offset`: its declaration name, or a call of it (same file or imported). */
export function reachAt(model: ProjectModel, file: string, offset: number): FnReach | undefined {
  const all = reachAll(model, file);
  const decl = all.find((r) => {
    const [s, e] = nameRange(r.fn);
    return offset >= s && offset <= e;
  });
  if (decl) return decl;
  const facts = all[0]?.facts ?? model.factsOf(file);
  if (!facts) return undefined;
  const ref = facts.atoms.find((a) => a.kind === "ref" && !a.self && offset >= a.start && offset <= a.start + (a.prop ?? a.name).length + (a.prop ? a.name.length + 1 : 0));
  if (!ref || ref.kind !== "ref") return undefined;
  const local = facts.fnByName.get(ref.name);
  if (local && !ref.prop) return all.find((r) => r.fn === local);
  const imp = facts.imports.get(ref.name);
  if (!imp) return undefined;
  const target = model.resolveModule(file, imp.source);
  if (!target) return undefined;
  const exported = imp.imported === "*" ? ref.prop : imp.imported;
  const tFacts = model.factsOf(target);
  const local2 = exported && (tFacts?.exports.get(exported)?.local ?? exported);
  const tFn = local2 ? tFacts?.fnByName.get(local2) : undefined;
  return tFn ? reachAll(model, target).find((r) => r.fn === tFn) : undefined;
}

export function lensTitle(r: FnReach): string {
  return formatChain(r.hits);
}

/** Markdown for a hover: the chain, each step linked to file:line, and the lie if there is one. */
export function hoverMarkdown(model: ProjectModel, r: FnReach): string {
  const rel = relativeFn(model.root);
  const lines: string[] = [`**${r.fn.name}()** ${lensTitle(r)}`, ""];
  r.hits.forEach((h, i) => {
    const link = `${pathToFileURL(h.at.file).href}#L${h.at.line}`;
    lines.push(`${i + 1}. \`${h.route.label}\` — \`${h.text.replace(/`/g, "'")}\` at [${rel(h.at.file)}:${h.at.line}](${link})`);
  });
  if (r.finding) {
    lines.push(
      "",
      `⚠ **ghostwatch/honest-llm-names**: ${r.fn.name}() claims ${describeClaim(r.finding.claim)} but reaches ${describeReach(r.finding, rel)}.`,
      r.finding.honest ? `Honest name: \`${r.finding.honest}\`` : "No honest name can be derived: state the route in the name.",
    );
  }
  return lines.join("\n");
}

export function formatSteps(model: ProjectModel, r: FnReach): Array<{ label: string; text: string; file: string; line: number; column: number; where: string }> {
  const rel = relativeFn(model.root);
  return r.hits.map((h) => ({ label: h.route.label, text: h.text, file: h.at.file, line: h.at.line, column: h.at.column, where: formatHit(h, rel) }));
}

/** The honest name for the function at `offset`, made unique among the names of the files it will touch. */
export function honestRenameTarget(model: ProjectModel, file: string, offset: number): { fn: FnInfo; honest: string } | undefined {
  const r = reachAll(model, file).find((x) => {
    const [s, e] = nameRange(x.fn);
    return offset >= s && offset <= e;
  });
  if (!r?.finding || r.finding.claim.source !== "name" || !r.finding.honest) return undefined;
  return { fn: r.fn, honest: r.finding.honest };
}

export function uniqueName(model: ProjectModel, files: string[], wanted: string): string {
  const taken = (name: string) =>
    files.some((f) => {
      const facts = model.factsOf(f);
      return !!facts && (facts.fnByName.has(name) || facts.values.has(name) || facts.imports.has(name) || facts.exports.has(name));
    });
  if (!taken(wanted)) return wanted;
  for (let i = 2; i < 100; i++) if (!taken(`${wanted}${i}`)) return `${wanted}${i}`;
  return wanted;
}
