/**
 * Reach analysis: for a function, the ordered list of model routes it reaches — directly,
 * through functions and bindings of its file, and across files through a ModuleResolver
 * (the TypeScript program in typed ESLint, the ts-morph project in the language server).
 *
 * Cycles are cut (a function in progress contributes nothing to itself), the walk is iterative
 * (no JS recursion) and results are memoised per file facts object, so recursive functions and
 * very deep call chains stay linear and cannot overflow the stack.
 */
import type { Atom, FileFacts, FnInfo, Loc } from "./file-facts.js";
import type { Route } from "./routes.js";

export interface Hit {
  route: Route;
  /** Where the evidence is (the URL literal, the client construction, the env var). */
  at: Loc;
  /** The evidence text (`https://openrouter.ai/api/v1`, `OpenAI`, `process.env.GROQ_API_KEY`). */
  text: string;
  /**
   * The run-time choices this hit sits in, innermost first: `[group, branch]` (a branch of a
   * string-compared if/switch, `Alt` in file-facts, or one of a field's assignments in different
   * methods). A claim kept by one branch of a group is not broken by another branch (lies.ts).
   */
  alts?: ReadonlyArray<readonly [string, number]>;
}

function tagged(h: Hit, alt: readonly [string, number] | undefined): Hit {
  return alt ? { ...h, alts: [...(h.alts ?? []), alt] } : h;
}

/** Resolves `import … from source` in `fromFile` to the facts of the target file. */
export interface ModuleResolver {
  resolve(fromFile: string, source: string): FileFacts | undefined;
}

/** Call-chain depth beyond which a chain is cut (the walk is iterative: this bounds work, not the JS stack). */
const MAX_DEPTH = 100_000;

/** A piece of code whose reach is computed: a function body, a value initialiser, a class field. */
interface Target {
  facts: FileFacts;
  range: [number, number];
  key: object;
  classRange?: [number, number];
}

interface Frame extends Target {
  /** Next atom to look at. */
  atom: number;
  /** Targets of the ref atom being expanded, and the next one to take. */
  pending: Target[];
  next: number;
  out: Hit[];
  /** Per `out` entry: it came from a stored value (a config property / settings default), not a request. */
  outStored: boolean[];
  /** The ref atom being expanded sits in a stored position. */
  curStored: boolean;
  /** The choice branch of the ref atom being expanded (see `Hit.alts`). */
  curAlt?: readonly [string, number];
  /** The pending targets are alternatives (a field assigned in different methods): group key. */
  curFieldGroup?: string;
  /** Names bound inside this function (parameters, locals): a module binding of the same name is shadowed. */
  locals?: ReadonlySet<string>;
  /** A cycle above this frame was cut: the result is partial and not memoised across queries. */
  partial: boolean;
}

interface State {
  resolver?: ModuleResolver;
  memo: WeakMap<FileFacts, Map<object, Hit[]>>;
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
  const st: State = { resolver, memo, local: new Map() };
  return walk(st, { facts, range: fn.range, key: fn, classRange: fn.classRange });
}

function altKey(facts: FileFacts, atom: Atom): readonly [string, number] | undefined {
  return atom.alt ? [`${facts.file}:${atom.alt.group}`, atom.alt.index] : undefined;
}

/** Field initialisers that sit in different functions (`__init_openai` / `__init_anthropic`), not one function's try and except. */
const differentCache = new WeakMap<object, boolean>();
function inDifferentFunctions(facts: FileFacts, targets: Target[]): boolean {
  const cached = differentCache.get(targets[0].key);
  if (cached !== undefined) return cached;
  const owners = targets.map((t) => {
    let best: FnInfo | undefined;
    for (const f of facts.functions) if (f.range[0] <= t.range[0] && t.range[1] <= f.range[1] && (!best || f.range[0] >= best.range[0])) best = f;
    return best;
  });
  const different = new Set(owners).size === owners.length && !owners.includes(undefined);
  differentCache.set(targets[0].key, different);
  return different;
}

/**
 * Deduplicated by label, first occurrence kept, in order. A route reached in several ways keeps
 * only the choices common to all of them (reached outside any choice, it is in none).
 */
function dedupe(hits: Hit[]): Hit[] {
  const seen = new Map<string, number>();
  const out: Hit[] = [];
  for (const h of hits) {
    const i = seen.get(h.route.label);
    if (i === undefined) {
      seen.set(h.route.label, out.length);
      out.push(h);
      continue;
    }
    const kept = out[i];
    if (!kept.alts?.length) continue;
    const common = kept.alts.filter(([g, b]) => h.alts?.some(([g2, b2]) => g2 === g && b2 === b));
    if (common.length !== kept.alts.length) out[i] = { ...kept, alts: common.length ? common : undefined };
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

/**
 * Depth-first walk with an explicit stack (no recursion: a 100,000-deep chain cannot overflow).
 * A target already on the stack is a cycle: it contributes nothing there, and every frame above
 * the cycle's head is partial (memoised for this query only; the head itself sees the whole cycle).
 */
function walk(st: State, root: Target): Hit[] {
  const cached = memoFor(st, root.facts).get(root.key);
  if (cached) return cached;
  const stack: Frame[] = [];
  const onStack = new Map<object, number>();
  const push = (t: Target) => {
    onStack.set(t.key, stack.length);
    const locals = (t.key as Partial<FnInfo>).locals?.();
    stack.push({ ...t, atom: lowerBound(t.facts.atoms, t.range[0]), pending: [], next: 0, out: [], outStored: [], curStored: false, locals, partial: false });
  };
  push(root);
  let result: Hit[] = [];
  while (stack.length) {
    const top = stack[stack.length - 1];
    // 1. Expand the pending targets of the current ref atom.
    if (top.next < top.pending.length) {
      const ti = top.next++;
      const t = top.pending[ti];
      const known = memoFor(st, t.facts).get(t.key) ?? st.local.get(t.key);
      if (known) {
        for (const h of known) {
          top.out.push(tagged(tagged(h, top.curFieldGroup ? [top.curFieldGroup, ti] : undefined), top.curAlt));
          top.outStored.push(top.curStored);
        }
        continue;
      }
      const at = onStack.get(t.key);
      if (at !== undefined || stack.length >= MAX_DEPTH) {
        for (let i = (at ?? -1) + 1; i < stack.length; i++) stack[i].partial = true;
        continue;
      }
      push(t);
      continue;
    }
    // 2. Next atom of the current range.
    const atoms = top.facts.atoms;
    if (top.atom < atoms.length && atoms[top.atom].start < top.range[1]) {
      const atom = atoms[top.atom++];
      if (atom.kind === "route") {
        top.out.push(tagged({ route: atom.route, at: atom.at, text: atom.text }, altKey(top.facts, atom)));
        top.outStored.push(!!atom.stored);
      } else if (!atom.self && top.locals?.has(atom.name)) {
        // A parameter or local of this function: not the module binding of the same name.
        top.pending = [];
        top.next = 0;
      } else {
        top.pending = refTargets(st, top.facts, atom, top.classRange);
        top.next = 0;
        top.curStored = !!atom.stored;
        top.curAlt = altKey(top.facts, atom);
        top.curFieldGroup = atom.self && top.pending.length > 1 && inDifferentFunctions(top.facts, top.pending) ? `${top.facts.file}:field:${atom.start}` : undefined;
      }
      continue;
    }
    // 3. Done: memoise and hand the result to the caller frame.
    stack.pop();
    onStack.delete(top.key);
    result = dedupe(dropSettingsTable(top));
    if (top.partial) st.local.set(top.key, result);
    else memoFor(st, top.facts).set(top.key, result);
    const parent = stack[stack.length - 1];
    if (parent) {
      const ti = parent.next - 1;
      for (const h of result) {
        parent.out.push(tagged(tagged(h, parent.curFieldGroup ? [parent.curFieldGroup, ti] : undefined), parent.curAlt));
        parent.outStored.push(parent.curStored);
      }
    }
  }
  return result;
}

/**
 * A settings or config table: one piece of code that stores endpoints of two or more different
 * routes as values (`settings.groqAPIURL = "https://api.groq.com"`, `{ ollama: { baseUrl: … }, openai: … }`).
 * Which entry is used is chosen at run time, so storing them is no request (as `URLS[engine]`
 * reaches none): the stored entries are dropped. A single stored endpoint (`{ baseURL: URL }`)
 * and every URL used in a request (`fetch("…")`, a client's `baseURL`) still count.
 */
function dropSettingsTable(f: Frame): Hit[] {
  let first: string | undefined;
  let table = false;
  for (let i = 0; i < f.out.length && !table; i++) {
    if (!f.outStored[i]) continue;
    const label = f.out[i].route.label;
    if (first === undefined) first = label;
    else if (label !== first) table = true;
  }
  return table ? f.out.filter((_, i) => !f.outStored[i]) : f.out;
}

function refTargets(st: State, facts: FileFacts, atom: Extract<Atom, { kind: "ref" }>, classRange?: [number, number]): Target[] {
  if (atom.self) {
    const method = classRange
      ? facts.functions.find((f) => f.name === atom.name && f.classRange && f.classRange[0] === classRange[0])
      : undefined;
    if (method) return [{ facts, range: method.range, key: method, classRange: method.classRange }];
    const fields = classRange ? facts.classFields.get(`${classRange[0]}:${atom.name}`) : undefined;
    if (fields) return fields.map((r) => ({ facts, range: r, key: r, classRange }));
    return [];
  }
  return nameTargets(st, facts, atom.name, atom.prop);
}

/** The entry for a dotted path (`ollama.list`), else its longest prefix that is an entry (`ollama`). */
function longestEntry(props: Map<string, [number, number]> | undefined, path: string): [number, number] | undefined {
  if (!props) return undefined;
  for (let p = path; ; ) {
    const r = props.get(p);
    if (r) return r;
    const dot = p.lastIndexOf(".");
    if (dot < 0) return undefined;
    p = p.slice(0, dot);
  }
}

function nameTargets(st: State, facts: FileFacts, name: string, prop?: string): Target[] {
  const fn = facts.fnByName.get(name);
  // A bare name never denotes a class method or an object-literal method (`chat` ≠ `Other.prototype.chat`).
  const isMember = fn && (fn.classRange || fn.statement.type === "Property" || fn.statement.type === "MethodDefinition" || fn.statement.type === "PropertyDefinition" || fn.statement.type === "TSAbstractMethodDefinition");
  if (fn && !prop && !isMember) return [{ facts, range: fn.range, key: fn, classRange: fn.classRange }];
  const value = facts.values.get(name);
  if (value && !prop) return [{ facts, range: value.range, key: value }];
  const entry = value && prop ? longestEntry(value.props, prop) : undefined;
  if (entry) return [{ facts, range: entry, key: entry }];
  // `const cfg = makeConfig(); … cfg.baseUrl`: the returned object's property only (or, unseen, the whole value).
  if (value?.call && prop) {
    const out: Target[] = [];
    for (const t of nameTargets(st, facts, value.call)) {
      const props = (t.key as Partial<FnInfo>).returnProps;
      if (!props) return [{ facts, range: value.range, key: value }];
      const r = longestEntry(props, prop);
      if (r) out.push({ facts: t.facts, range: r, key: r });
    }
    return out;
  }
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
    return exportTargets(st, target, exported, 0, imp.imported === "*" ? undefined : prop);
  }
  return [];
}

/**
 * `name.prop` in another file: the `prop` entry of an object-literal table (a provider dispatch
 * table reaches only the entry used), else the whole binding (a client, a function, a class).
 */
function memberTargets(st: State, facts: FileFacts, name: string, prop: string): Target[] {
  const t = nameTargets(st, facts, name, prop);
  return t.length ? t : nameTargets(st, facts, name);
}

function exportTargets(st: State, facts: FileFacts, exported: string, hops: number, prop?: string): Target[] {
  if (hops > 20) return [];
  const e = facts.exports.get(exported);
  if (e?.local) return prop ? memberTargets(st, facts, e.local, prop) : nameTargets(st, facts, e.local);
  if (e?.from && st.resolver) {
    let next: FileFacts | undefined;
    try {
      next = st.resolver.resolve(facts.file, e.from);
    } catch {
      next = undefined;
    }
    return next ? exportTargets(st, next, e.imported ?? exported, hops + 1, prop) : [];
  }
  // Not in the export table (e.g. `export *`): fall back to a same-named function.
  return facts.fnByName.has(exported) ? nameTargets(st, facts, exported) : [];
}

/** `openrouter.ai (src/router.ts:14)` */
export function formatHit(h: Hit, relative: (file: string) => string): string {
  return `${h.route.label} (${relative(h.at.file)}:${h.at.line})`;
}

/** The code-lens text: `reaches: openrouter.ai → api.groq.com → localhost:11434`. */
export function formatChain(hits: Hit[]): string {
  return `reaches: ${hits.map((h) => h.route.label).join(" → ")}`;
}
