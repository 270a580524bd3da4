/**
 * A small, generic layer over ESLint's code-path analysis (the `onCodePath*` rule events).
 *
 * `SegmentTracker` keeps the segments that are current at every point of the traversal
 * (ESLint ≥ 9 no longer exposes `codePath.currentSegments`), lets a rule remember where a
 * node was seen (`mark`), and calls back when a code path is complete. `findEscape` answers
 * "is there a path from here to an exit (or back to here) that avoids every blocking segment?",
 * the question behind "some path leaves the resource unclosed". Nothing in here knows about
 * HTTP: other rules can reuse it for any acquire/release pairing.
 */
import type { TSESTree } from "@typescript-eslint/utils";

/** The parts of ESLint's CodePathSegment this module reads. */
export interface Segment {
  readonly id: string;
  readonly nextSegments: readonly Segment[];
  readonly prevSegments: readonly Segment[];
  readonly reachable: boolean;
}

/** The parts of ESLint's CodePath this module reads. */
export interface CodePath {
  readonly id: string;
  readonly initialSegment: Segment;
  readonly finalSegments: readonly Segment[];
  readonly returnedSegments: readonly Segment[];
  readonly thrownSegments: readonly Segment[];
  readonly upper: CodePath | null;
}

interface Frame {
  path: CodePath;
  node: TSESTree.Node;
  current: Set<Segment>;
}

/** Statements that leave the current block: where a path's exit is explained. */
export type ExitNode = TSESTree.ReturnStatement | TSESTree.ThrowStatement | TSESTree.ContinueStatement | TSESTree.BreakStatement;

export class SegmentTracker {
  private stack: Frame[] = [];
  private endHandlers: Array<(path: CodePath, node: TSESTree.Node) => void> = [];
  /** Where each marked node was seen: the segments current at that moment. */
  readonly marks = new Map<TSESTree.Node, readonly Segment[]>();
  /** Exit statements per segment (return/throw/continue/break), in source order. */
  readonly exits = new Map<Segment, ExitNode[]>();

  /** Listeners to merge into a rule's returned object. */
  listeners() {
    return {
      onCodePathStart: (path: CodePath, node: TSESTree.Node) => {
        this.stack.push({ path, node, current: new Set() });
      },
      onCodePathEnd: (path: CodePath, node: TSESTree.Node) => {
        for (const h of this.endHandlers) h(path, node);
        this.stack.pop();
      },
      onCodePathSegmentStart: (seg: Segment) => this.top()?.current.add(seg),
      onCodePathSegmentEnd: (seg: Segment) => this.top()?.current.delete(seg),
      onUnreachableCodePathSegmentStart: (seg: Segment) => this.top()?.current.add(seg),
      onUnreachableCodePathSegmentEnd: (seg: Segment) => this.top()?.current.delete(seg),
      ReturnStatement: (n: TSESTree.ReturnStatement) => this.recordExit(n),
      ThrowStatement: (n: TSESTree.ThrowStatement) => this.recordExit(n),
      ContinueStatement: (n: TSESTree.ContinueStatement) => this.recordExit(n),
      BreakStatement: (n: TSESTree.BreakStatement) => this.recordExit(n),
    };
  }

  onEnd(handler: (path: CodePath, node: TSESTree.Node) => void): void {
    this.endHandlers.push(handler);
  }

  private top(): Frame | undefined {
    return this.stack[this.stack.length - 1];
  }

  private recordExit(n: ExitNode): void {
    for (const seg of this.currentSegments()) {
      let list = this.exits.get(seg);
      if (!list) this.exits.set(seg, (list = []));
      list.push(n);
    }
  }

  /** The code path being traversed (innermost function, class field or program). */
  currentPath(): CodePath | undefined {
    return this.top()?.path;
  }

  currentSegments(): Segment[] {
    const t = this.top();
    return t ? [...t.current] : [];
  }

  /** Remember the current segments for `node`; returns them. */
  mark(node: TSESTree.Node): readonly Segment[] {
    const segs = this.currentSegments();
    this.marks.set(node, segs);
    return segs;
  }
}

export interface Escape {
  /** Segments from the first one after the start to the last one reached. */
  path: Segment[];
  /** "exit": the function returns or throws; "revisit": control comes back to a start segment (a loop). */
  end: "exit" | "revisit";
}

export interface EscapeQuery {
  /** Segments current where the value is acquired (the acquiring node's marks). */
  from: readonly Segment[];
  /** Released later in the start segment itself (after the acquiring node). */
  startBlocked: (seg: Segment) => boolean;
  /** Released anywhere in this segment. */
  blocked: (seg: Segment) => boolean;
  /** Coming back to a start segment (a loop): is the value released before it is acquired again? */
  revisitBlocked?: (seg: Segment) => boolean;
  /** Give up (report nothing) after this many segments. */
  limit?: number;
  /** Does reaching this final segment along `path` count as an exit? (default: always) */
  acceptExit?: (path: Segment[]) => boolean;
}

/**
 * Searches for a path from the acquiring point to an exit of `codePath` (return, throw, falling
 * off the end), or back to the acquiring point (the next loop iteration overwrites the value),
 * that passes only through segments where the value is not released. Breadth-first, so the
 * path found is a shortest one.
 */
export function findEscape(codePath: CodePath, q: EscapeQuery): Escape | undefined {
  const { from, startBlocked, blocked } = q;
  const revisitBlocked = q.revisitBlocked ?? (() => true);
  const limit = q.limit ?? 20_000;
  const finals = new Set(codePath.finalSegments);
  const starts = new Set(from);
  const prev = new Map<Segment, Segment | null>();
  const queue: Segment[] = [];
  for (const s of from) {
    if (!s.reachable || prev.has(s)) continue;
    prev.set(s, null);
    if (!startBlocked(s)) queue.push(s);
  }
  const pathTo = (s: Segment | null): Segment[] => {
    const out: Segment[] = [];
    for (let c = s; c; c = prev.get(c) ?? null) out.unshift(c);
    return out;
  };
  let steps = 0;
  while (queue.length) {
    if (++steps > limit) return undefined; // pathological graph: say nothing rather than guess
    const s = queue.shift()!;
    if (finals.has(s)) {
      const p = pathTo(s);
      if (!q.acceptExit || q.acceptExit(p)) return { path: p, end: "exit" };
    }
    for (const n of s.nextSegments) {
      if (!n.reachable) continue;
      if (starts.has(n)) {
        if (!revisitBlocked(n)) return { path: [...pathTo(s), n], end: "revisit" };
        continue;
      }
      if (prev.has(n)) continue;
      prev.set(n, s);
      if (blocked(n)) continue;
      queue.push(n);
    }
  }
  return undefined;
}

/** The first exit statement met along `path` (what explains how the path leaves). */
export function firstExit(tracker: SegmentTracker, path: readonly Segment[]): ExitNode | undefined {
  for (const s of path) {
    const list = tracker.exits.get(s);
    if (list?.length) return list[0];
  }
  return undefined;
}

/** The scope-manager view a rule needs to tell whether `fetch` is shadowed (ESLint's `getScope`). */
export interface ScopeLookup {
  getScope(node: TSESTree.Node): { set: Map<string, { defs: ReadonlyArray<{ type: string; node: unknown; name: unknown }> }>; upper: unknown } | null;
}

/**
 * `shadowed(id)` for `isFetchCall`: resolves the identifier through the scope chain; true when its
 * nearest binding is a local definition that is not the global fetch (`localFetchIsNotGlobal`).
 * The global (no definition) and imports answer false.
 */
export function fetchShadowCheck(source: ScopeLookup, localIsNotGlobal: (def: { type: string; node: TSESTree.Node; name: TSESTree.Node }) => boolean): (id: TSESTree.Identifier) => boolean {
  const memo = new Map<TSESTree.Identifier, boolean>();
  return (id) => {
    const cached = memo.get(id);
    if (cached !== undefined) return cached;
    let result = false;
    try {
      type S = { set: Map<string, { defs: ReadonlyArray<{ type: string; node: unknown; name: unknown }> }>; upper: unknown } | null;
      for (let s = source.getScope(id) as S; s; s = s.upper as S) {
        const v = s.set.get(id.name);
        if (!v) continue;
        const def = v.defs[0] as { type: string; node: TSESTree.Node; name: TSESTree.Node } | undefined;
        result = !!def && localIsNotGlobal(def);
        break;
      }
    } catch {
      result = false;
    }
    memo.set(id, result);
    return result;
  };
}
