/**
 * Line suppressions in Python, the way Python tools spell them:
 *
 *   x = completion(model=m)  # noqa: ghostwatch/require-llm-temperature   (Ruff/flake8 codes)
 *   x = completion(model=m)  # noqa                                          (bare: every finding on the line, as Ruff/flake8)
 *   x = completion(model=m)  # ghostwatch: disable=require-llm-temperature,require-llm-max-tokens
 *
 * Only real `#` comments count (tree-sitter comment nodes, not `#` inside strings). A finding
 * belongs to the line it starts on (as Ruff and flake8 report). Unused directives — a
 * `ghostwatch/…` code or a `ghostwatch: disable=` rule that suppressed nothing — are reported
 * on request (`--report-unused-disable-directives`), with a fix that removes them; a bare
 * `# noqa` and other tools' codes are never "unused" here (they may be for another linter).
 */
import type { Node as TsNode } from "web-tree-sitter";

export interface Directive {
  line: number;
  /** The comment node's range (UTF-16 indices of the text). */
  range: [number, number];
  kind: "noqa" | "disable";
  /** Rule names it names (`require-llm-temperature`), empty for a bare `# noqa`. */
  rules: string[];
  /** Other tools' codes in the same `# noqa:` list (`E501`), kept by a removal fix. */
  others: string[];
  bare: boolean;
  used: Set<string>;
  text: string;
}

const NOQA = /#\s*noqa(?::\s*([^#]*))?/i;
const DISABLE = /#\s*ghostwatch:\s*disable(?:=|\s+)([\w/,\s-]+)/i;

/** Every suppression comment of a file, by line (1-based). */
export function directivesOf(root: TsNode, text: string): Map<number, Directive[]> {
  const out = new Map<number, Directive[]>();
  if (!/noqa|ghostwatch:/i.test(text)) return out;
  // Comments only: candidate `#` positions checked against the tree (strings may contain `# noqa`).
  const re = /#[^\n]*/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const body = m[0];
    if (!/noqa|ghostwatch:/i.test(body)) continue;
    const node = root.descendantForIndex(m.index, m.index + 1);
    if (!node || node.type !== "comment") {
      // inside a string: skip to its end so its other `#` are not tried one by one
      continue;
    }
    const line = node.startPosition.row + 1;
    const ctext = node.text;
    const push = (d: Omit<Directive, "used" | "line" | "range" | "text">) => {
      const list = out.get(line) ?? [];
      list.push({ ...d, line, range: [node.startIndex, node.endIndex], used: new Set(), text: ctext });
      out.set(line, list);
    };
    const dis = DISABLE.exec(ctext);
    if (dis) {
      const rules = dis[1].split(/[,\s]+/).map((r) => r.trim().replace(/^ghostwatch\//, "")).filter(Boolean);
      if (rules.length) push({ kind: "disable", rules, others: [], bare: false });
    }
    const nq = NOQA.exec(ctext);
    if (nq) {
      if (nq[1] === undefined || !nq[1].trim()) push({ kind: "noqa", rules: [], others: [], bare: true });
      else {
        const codes = nq[1].split(/[,\s]+/).map((c) => c.trim()).filter(Boolean);
        const rules = codes.filter((c) => /^ghostwatch\/[\w-]+$/i.test(c)).map((c) => c.slice("ghostwatch/".length));
        const others = codes.filter((c) => !/^ghostwatch\//i.test(c));
        push({ kind: "noqa", rules, others, bare: false });
      }
    }
    re.lastIndex = node.endIndex > re.lastIndex ? node.endIndex : re.lastIndex;
  }
  return out;
}

/** The directive on `line` that suppresses `rule`, if any (marks it used). */
export function suppressing(directives: Map<number, Directive[]>, line: number, rule: string): Directive | undefined {
  const list = directives.get(line);
  if (!list) return undefined;
  for (const d of list) {
    if (d.bare || d.rules.includes(rule)) {
      d.used.add(d.bare ? "*" : rule);
      return d;
    }
  }
  return undefined;
}

/** Unused rule names of a directive (never for a bare `# noqa`). */
export function unusedRules(d: Directive): string[] {
  return d.bare ? [] : d.rules.filter((r) => !d.used.has(r));
}

/**
 * The edit that removes the unused names from a directive (the whole comment, with the spaces
 * before it, when nothing is left; other tools' codes are kept).
 */
export function removalEdit(d: Directive, text: string): { range: [number, number]; text: string } {
  const unused = new Set(unusedRules(d));
  const keep = d.rules.filter((r) => !unused.has(r));
  if (d.kind === "noqa" && (keep.length || d.others.length)) {
    const codes = [...keep.map((r) => `ghostwatch/${r}`), ...d.others].join(", ");
    return { range: d.range, text: d.text.replace(/#\s*noqa:\s*[^#]*/i, `# noqa: ${codes}`).trimEnd() };
  }
  if (d.kind === "disable" && keep.length) {
    return { range: d.range, text: d.text.replace(DISABLE, `# ghostwatch: disable=${keep.join(",")}`).trimEnd() };
  }
  // Strip the whole comment and the whitespace before it (not a comment alone on its line: that line stays, empty).
  let start = d.range[0];
  while (start > 0 && (text[start - 1] === " " || text[start - 1] === "\t")) start--;
  return { range: [start, d.range[1]], text: "" };
}

/**
 * The "disable for this line" edit: ` # noqa: ghostwatch/<rule>` at the end of the line, or the
 * code added to the line's existing `# noqa: …` list. Undefined when the line ends inside a
 * string (a multi-line literal), where a comment cannot go.
 */
export function noqaEdit(root: TsNode, text: string, line: number, rule: string, directives: Map<number, Directive[]>): { range: [number, number]; text: string } | undefined {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf("\n", start);
    if (nl < 0) return undefined;
    start = nl + 1;
  }
  let end = text.indexOf("\n", start);
  if (end < 0) end = text.length;
  let eol = end;
  if (text[eol - 1] === "\r") eol--;
  const existing = directives.get(line)?.find((d) => d.kind === "noqa" && !d.bare);
  if (existing) {
    const m = /#\s*noqa:\s*([^#]*?)\s*$/i.exec(existing.text);
    if (m) {
      const at = existing.range[0] + m.index + m[0].length - (m[0].length - m[0].trimEnd().length);
      return { range: [at, at], text: `, ghostwatch/${rule}` };
    }
  }
  if (directives.get(line)?.some((d) => d.bare)) return undefined; // already suppressed
  // The last token of the line must be code or a comment, not the inside of a string.
  let probe = eol - 1;
  while (probe > start && /\s/.test(text[probe])) probe--;
  const node = probe >= start ? root.descendantForIndex(probe, probe + 1) : undefined;
  for (let p: TsNode | null | undefined = node; p; p = p.parent) {
    if ((p.type === "string" || p.type === "concatenated_string") && p.endPosition.row + 1 > line) return undefined;
    if (p.type === "comment") {
      // after an existing comment: a second `#` comment is fine in Python (`# note  # noqa: …`)
      break;
    }
  }
  const trimmedEnd = probe + 1;
  return { range: [trimmedEnd, eol], text: `  # noqa: ghostwatch/${rule}` };
}
