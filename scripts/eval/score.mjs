/**
 * Held-out evaluation: the matcher and the figures (pure functions, no I/O), shared by
 * scripts/eval/run.mjs and test/eval/score.test.ts. Format: scripts/eval/README.md.
 *
 * Matching (EVAL-FORMAT.md): a finding matches a hazard when file and rule are equal and
 * |line − hazard.line| ≤ 2; each hazard and each finding is matched at most once. Pairs are
 * taken closest first (then in source order), so one finding between two hazards goes to the
 * nearer one. Hand-written instead of a bipartite-matching library: with a ±2-line window a
 * closest-first greedy pass is optimal for all practical label sets and keeps this file
 * dependency-free for the lead's rerun.
 */
import { rng } from "../lib/rng.mjs";

export { rng };

/** The rules scored (ESLint ids without the `ghostwatch/` prefix). */
export const RULES = [
  "honest-llm-names",
  "no-unclosed-http-client",
  "require-request-timeout",
  "no-unbounded-loop",
  "require-llm-temperature",
  "require-llm-max-tokens",
  "require-llm-schema",
  "no-cloud-llm",
];

export const LINE_TOLERANCE = 2;

/** `ghostwatch/require-request-timeout` → `require-request-timeout`; null for parse errors. */
export function ruleName(ruleId) {
  if (!ruleId) return null;
  return ruleId.startsWith("ghostwatch/") ? ruleId.slice("ghostwatch/".length) : ruleId;
}

/**
 * Match one repository's findings against its labels.
 * @param {{file:string,line:number,rule:string}[]} hazards
 * @param {{file:string,line:number,rule:string,message?:string,column?:number}[]} findings  already limited to scope files
 * @returns {{tp:{hazard:object,finding:object}[], fn:object[], fp:object[]}}
 */
export function matchFindings(hazards, findings, tolerance = LINE_TOLERANCE) {
  const pairs = [];
  hazards.forEach((h, hi) => {
    findings.forEach((f, fi) => {
      if (f.file !== h.file || f.rule !== h.rule) return;
      const d = Math.abs(f.line - h.line);
      if (d <= tolerance) pairs.push({ d, hi, fi });
    });
  });
  pairs.sort((a, b) => a.d - b.d || a.hi - b.hi || a.fi - b.fi);
  const usedH = new Set();
  const usedF = new Set();
  const tp = [];
  for (const p of pairs) {
    if (usedH.has(p.hi) || usedF.has(p.fi)) continue;
    usedH.add(p.hi);
    usedF.add(p.fi);
    tp.push({ hazard: hazards[p.hi], finding: findings[p.fi] });
  }
  return {
    tp,
    fn: hazards.filter((_, i) => !usedH.has(i)),
    fp: findings.filter((_, i) => !usedF.has(i)),
  };
}

/**
 * Keep the findings of scored rules inside the scope files, one per location: labels are
 * locations, so several messages of one rule on one line (no-unbounded-loop reports each missing
 * safeguard of a loop on its head) count once — as one TP or one FP. `messages` keeps them all.
 */
export function scopeFindings(findings, scope) {
  const inScope = new Set(scope);
  const byLoc = new Map();
  for (const f of findings) {
    if (!f.rule || !RULES.includes(f.rule) || !inScope.has(f.file)) continue;
    const key = `${f.file}\0${f.rule}\0${f.line}`;
    const seen = byLoc.get(key);
    if (seen) seen.messages.push(f.message);
    else byLoc.set(key, { ...f, messages: [f.message] });
  }
  return [...byLoc.values()];
}

/** Per-rule counts of a match result: {rule: {tp, fn, fp}}. */
export function countByRule(match) {
  const out = Object.fromEntries(RULES.map((r) => [r, { tp: 0, fn: 0, fp: 0 }]));
  for (const { hazard } of match.tp) out[hazard.rule].tp++;
  for (const h of match.fn) if (out[h.rule]) out[h.rule].fn++;
  for (const f of match.fp) if (out[f.rule]) out[f.rule].fp++;
  return out;
}

/** Add per-rule counts into an accumulator. */
export function addCounts(acc, counts) {
  for (const [rule, c] of Object.entries(counts)) {
    acc[rule] ??= { tp: 0, fn: 0, fp: 0 };
    acc[rule].tp += c.tp;
    acc[rule].fn += c.fn;
    acc[rule].fp += c.fp;
  }
  return acc;
}

/** recall = TP/(TP+FN), precision = TP/(TP+FP); null when undefined (0/0). */
export function figures({ tp, fn, fp }) {
  return {
    tp,
    fn,
    fp,
    recall: tp + fn === 0 ? null : tp / (tp + fn),
    precision: tp + fp === 0 ? null : tp / (tp + fp),
  };
}


/**
 * Set names in print order: held-out sets first, newest first (numeric-aware, so `heldout2`
 * before `heldout`), then any other set, `dev` last. Every `set` value of `sets/*.json` gets its
 * own table; `heldout` and `dev` are always listed (the historical report layout).
 */
export function orderSets(names) {
  const all = [...new Set(["heldout", "dev", ...names])];
  const rank = (n) => (n === "dev" ? 2 : n.startsWith("heldout") ? 0 : 1);
  return all.sort((a, b) => rank(a) - rank(b) || b.localeCompare(a, "en", { numeric: true }));
}

/** Table title of a set (the existing titles of `heldout` and `dev` are kept). */
export function setTitle(name) {
  if (name === "heldout") return "HELD-OUT (scope files, hand-labelled hazards)";
  if (name === "dev") return "DEV (reported apart)";
  return `${name.toUpperCase()} (scope files, hand-labelled hazards; reported apart)`;
}

/** Column label of a set in the whole-repository table. */
export function setColumn(name) {
  return name === "heldout" ? "held-out" : name;
}

/** `n` items drawn without replacement, reproducibly for a seed (input order does not matter beyond the array given). */
export function sample(items, n, seed) {
  const r = rng(seed);
  const a = items.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, n);
}
