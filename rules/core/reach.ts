/**
 * Reach analysis: for a function, the ordered list of model routes it reaches — directly,
 * through functions and bindings of its file, and across files through a ModuleResolver
 * (the TypeScript program in typed ESLint, the ts-morph project in the language server).
 *
 * Cycles are cut (a function in progress contributes nothing to itself), depth is bounded,
 * results are memoised per file facts object, so recursive and 500-deep chains stay linear.
 */
import type { Atom, FileFacts, FnInfo, Loc } from "./file-facts.js";
import type { Route } from "./routes.js";

export interface Hit {
  route: Route;
  /** Where the evidence is (the URL literal, the client construction, the env var). */
  at: Loc;
  /** The evidence text (`https://openrouter.ai/api/v1`, `OpenAI`, `process.env.GROQ_API_KEY`). */
  text: string;
}

/** Resolves `import … from source` in `fromFile` to the facts of the target file. */
export interface ModuleResolver {
  resolve(fromFile: string, source: string): FileFacts | undefined;
}

const MAX_DEPTH = 2000;

interface State {
  resolver?: ModuleResolver;
  memo: WeakMap<FileFacts, Map<object, Hit[]>>;
  inProgress: Set<object>;
  depth: number;
  /** Keys being computed, outermost first, and whether a cycle cut made each one partial. */
  stack: object[];
  partial: boolean[];
  /** Partial results (cut by a cycle or the depth bound), reused only within this query. */
  local: Map<object, Hit[]>;
}

const sharedMemo = new WeakMap<ModuleResolver | FileFacts, WeakMap<FileFacts, Map<object, Hit[]>>>();

/** Routes reached by `fn` (deduplicated by label, first occurrence kept, in order). */
export function reachOf(facts: FileFacts, fn: FnInfo, resolver?: ModuleResolver): Hit[] {
  const key = resolver ?? facts;
  let memo = sharedMemo.get(key);
  if (!memo) {
    memo = new WeakMap();
    sharedMemo.set(key, memo);
  }
  const st: State = { resolver, memo, inProgress: new Set(), depth: 0, stack: [], partial: [], local: new Map() };
  return dedupe(rangeHits(st, facts, fn.range, fn, fn.classRange));
}

function dedupe(hits: Hit[]): Hit[] {
  const seen = new Set<string>();
  const out: Hit[] = [];
  for (const h of hits) {
    if (seen.has(h.route.label)) continue;
    seen.add(h.route.label);
    out.push(h);
  }
  return out;
}

function memoFor(st: State, facts: FileFacts): Map<object, Hit[]> {
  let m = st.memo.get(facts);
  if (!m) {
    m = new Map();
    st.memo.set(facts, m);
  }
  return m;
}

/** First atom index with start >= pos. */
function lowerBound(atoms: Atom[], pos: number): number {
  let lo = 0;
  let hi = atoms.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (atoms[mid].start < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function rangeHits(st: State, facts: FileFacts, range: [number, number], key: object, classRange?: [number, number]): Hit[] {
  const memo = memoFor(st, facts);
  const cached = memo.get(key) ?? st.local.get(key);
  if (cached) return cached;
  if (st.inProgress.has(key) || st.depth > MAX_DEPTH) {
    // A cycle (or the depth bound) is cut here: every frame above the cycle's head is partial
    // and must not be memoised for other queries (its head sees the whole cycle).
    const head = st.inProgress.has(key) ? st.stack.lastIndexOf(key) : -1;
    for (let i = head + 1; i < st.partial.length; i++) st.partial[i] = true;
    return [];
  }
  st.inProgress.add(key);
  st.stack.push(key);
  st.partial.push(false);
  st.depth++;
  const out: Hit[] = [];
  let partial = false;
  try {
    for (let i = lowerBound(facts.atoms, range[0]); i < facts.atoms.length && facts.atoms[i].start < range[1]; i++) {
      const atom = facts.atoms[i];
      if (atom.kind === "route") {
        out.push({ route: atom.route, at: atom.at, text: atom.text });
        continue;
      }
      for (const h of refHits(st, facts, atom, classRange)) out.push(h);
    }
  } finally {
    st.depth--;
    st.inProgress.delete(key);
    st.stack.pop();
    partial = st.partial.pop() ?? false;
  }
  const result = dedupe(out);
  if (partial) st.local.set(key, result);
  else memo.set(key, result);
  return result;
}

function refHits(st: State, facts: FileFacts, atom: Extract<Atom, { kind: "ref" }>, classRange?: [number, number]): Hit[] {
  if (atom.self) {
    const method = classRange
      ? facts.functions.find((f) => f.name === atom.name && f.classRange && f.classRange[0] === classRange[0])
      : undefined;
    if (method) return rangeHits(st, facts, method.range, method, method.classRange);
    const fields = classRange ? facts.classFields.get(`${classRange[0]}:${atom.name}`) : undefined;
    if (fields) return fields.flatMap((r) => rangeHits(st, facts, r, r, classRange));
    return [];
  }
  return nameHits(st, facts, atom.name, atom.prop);
}

function nameHits(st: State, facts: FileFacts, name: string, prop?: string): Hit[] {
  const fn = facts.fnByName.get(name);
  if (fn && !prop) return rangeHits(st, facts, fn.range, fn, fn.classRange);
  const value = facts.values.get(name);
  if (value && !prop) return rangeHits(st, facts, value.range, value, undefined);
  const imp = facts.imports.get(name);
  if (imp && st.resolver && (imp.source.startsWith(".") || imp.source.startsWith("/") || imp.source.startsWith("@/") || imp.source.startsWith("~/"))) {
    let target: FileFacts | undefined;
    try {
      target = st.resolver.resolve(facts.file, imp.source);
    } catch {
      target = undefined;
    }
    if (!target) return [];
    const exported = imp.imported === "*" ? prop : imp.imported;
    if (!exported) return [];
    return exportHits(st, target, exported, 0);
  }
  return [];
}

function exportHits(st: State, facts: FileFacts, exported: string, hops: number): Hit[] {
  if (hops > 20) return [];
  const e = facts.exports.get(exported);
  if (e?.local) return nameHits(st, facts, e.local);
  if (e?.from && st.resolver) {
    const next = st.resolver.resolve(facts.file, e.from);
    return next ? exportHits(st, next, e.imported ?? exported, hops + 1) : [];
  }
  // Not in the export table (e.g. `export *`): fall back to a same-named function.
  return facts.fnByName.has(exported) ? nameHits(st, facts, exported) : [];
}

/** `openrouter.ai (src/router.ts:14)` */
export function formatHit(h: Hit, relative: (file: string) => string): string {
  return `${h.route.label} (${relative(h.at.file)}:${h.at.line})`;
}

/** The code-lens text: `reaches: openrouter.ai → api.groq.com → localhost:11434`. */
export function formatChain(hits: Hit[]): string {
  return `reaches: ${hits.map((h) => h.route.label).join(" → ")}`;
}
