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
 */
export const Priority = { edited: 0, openDependent: 1, background: 2 } as const;

interface Item {
  priority: number;
  due: number;
}

export class ValidationQueue {
  private readonly items = new Map<string, Item>();
  private running = false;
  private timer?: NodeJS.Timeout;
  private idleWaiters: Array<() => void> = [];
  /** When each file was last scheduled with a debounce (the burst detector of the leading edge). */
  private readonly lastEdit = new Map<string, number>();

  constructor(private readonly run: (file: string, priority: number) => Promise<void>, private readonly onError: (file: string, e: unknown) => void) {}

  schedule(file: string, priority: number, delayMs = 0): void {
    const now = Date.now();
    const prev = this.items.get(file);
    let due = now + delayMs;
    if (delayMs > 0) {
      const last = this.lastEdit.get(file);
      this.lastEdit.set(file, now);
      if (!prev && (last === undefined || now - last >= delayMs)) due = now; // leading edge: after a pause
      if (this.lastEdit.size > 10_000) this.lastEdit.clear();
    }
    // Debounce: a later edit pushes the validation out; an immediate request pulls it in.
    this.items.set(file, prev ? { priority: Math.min(prev.priority, priority), due: delayMs > 0 ? due : Math.min(prev.due, due) } : { priority, due });
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
    try {
      await this.run(n.file, item.priority);
    } catch (e) {
      this.onError(n.file, e);
    } finally {
      this.running = false;
    }
    this.kick();
  }
}
