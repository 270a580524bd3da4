/**
 * The validation queue: one file at a time (ESLint is synchronous), debounced per file,
 * prioritised (the edited document, then open dependents, then the workspace scan), yielding
 * to the event loop between files so hovers, code actions and cancellations are served
 * while a scan runs. Re-scheduling a pending file replaces it: stale work is never done.
 *
 * The debounce has a leading edge: an edit that comes after a pause (nothing pending for the
 * file, no edit of it in the last `delayMs`) is validated at once, so an isolated edit pays no
 * fixed delay; edits that follow within `delayMs` are coalesced and validated `delayMs` after
 * the last one (trailing edge).
 *
 * Bursts coalesce to the newest version: the burst detector counts from the later of the file's
 * last edit and the end of its last validation (or a validation running now). Without the
 * latter, an edit that arrives while a lint blocks the event loop (one lint of a real module is
 * tens of ms, longer than the debounce) looks like "after a pause", and a burst of 200 edits
 * was validated 200 times, one version at a time. A file kept busy by a storm of edits is still
 * validated at least every `maxWaitMs` (as lodash's `maxWait`), so diagnostics never starve.
 */
export const Priority = { edited: 0, openDependent: 1, background: 2 } as const;

interface Item {
  priority: number;
  due: number;
  /** When the file was first scheduled since its last validation (for maxWait). */
  first: number;
}

/** A file edited without pause is validated at least this often. */
const MAX_WAIT_MS = 1000;

export class ValidationQueue {
  private readonly items = new Map<string, Item>();
  private running = false;
  private timer?: NodeJS.Timeout;
  private idleWaiters: Array<() => void> = [];
  /** When each file was last scheduled with a debounce (the burst detector of the leading edge). */
  private readonly lastEdit = new Map<string, number>();
  /** When each file's last validation ended. */
  private readonly lastRunEnd = new Map<string, number>();
  private current: string | undefined;

  constructor(private readonly run: (file: string, priority: number) => Promise<void>, private readonly onError: (file: string, e: unknown) => void) {}

  schedule(file: string, priority: number, delayMs = 0): void {
    const now = Date.now();
    const prev = this.items.get(file);
    let due = now + delayMs;
    if (delayMs > 0) {
      const last = Math.max(this.lastEdit.get(file) ?? -Infinity, this.lastRunEnd.get(file) ?? -Infinity);
      this.lastEdit.set(file, now);
      const busy = this.current === file;
      if (!prev && !busy && now - last >= delayMs) due = now; // leading edge: after a pause
      if (this.lastEdit.size > 10_000) this.lastEdit.clear();
      if (this.lastRunEnd.size > 10_000) this.lastRunEnd.clear();
    }
    // Debounce: a later edit pushes the validation out (but not past maxWait); an immediate request pulls it in.
    const first = prev?.first ?? now;
    if (delayMs > 0) due = Math.min(due, first + MAX_WAIT_MS);
    this.items.set(file, prev ? { priority: Math.min(prev.priority, priority), due: delayMs > 0 ? Math.max(Math.min(prev.due, first + MAX_WAIT_MS), due) : Math.min(prev.due, due), first } : { priority, due, first });
    this.kick();
  }

  has(file: string): boolean {
    return this.items.has(file);
  }

  /** Drops pending background work (a cancelled scan). */
  dropWhere(pred: (file: string, priority: number) => boolean): number {
    let n = 0;
    for (const [f, it] of this.items) if (pred(f, it.priority)) {
      this.items.delete(f);
      n++;
    }
    return n;
  }

  get size(): number {
    return this.items.size;
  }

  whenIdle(): Promise<void> {
    if (!this.items.size && !this.running) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private kicked = false;

  /** One pump per turn of the event loop, never a burst (a burst would validate everything in one macrotask). */
  private kick(): void {
    if (this.running || this.kicked) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.kicked = true;
    setImmediate(() => {
      this.kicked = false;
      void this.pump();
    });
  }

  private next(): { file: string; wait: number } | undefined {
    const now = Date.now();
    let best: [string, Item] | undefined;
    let earliest = Infinity;
    for (const e of this.items) {
      const it = e[1];
      if (it.due <= now) {
        if (!best || it.priority < best[1].priority || (it.priority === best[1].priority && it.due < best[1].due)) best = e;
      } else earliest = Math.min(earliest, it.due);
    }
    if (best) return { file: best[0], wait: 0 };
    return earliest < Infinity ? { file: "", wait: earliest - now } : undefined;
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    const n = this.next();
    if (!n) {
      const w = this.idleWaiters;
      this.idleWaiters = [];
      for (const r of w) r();
      return;
    }
    if (n.wait > 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.pump();
      }, n.wait);
      return;
    }
    const item = this.items.get(n.file)!;
    this.items.delete(n.file);
    this.running = true;
    this.current = n.file;
    try {
      await this.run(n.file, item.priority);
    } catch (e) {
      this.onError(n.file, e);
    } finally {
      this.running = false;
      this.current = undefined;
      this.lastRunEnd.set(n.file, Date.now());
    }
    this.kick();
  }
}
