/**
 * Route audit over time: while the probe serves, count the NEW model connections per process
 * and remote (a connection is new when its socket identity — pid, local and remote address —
 * was not in the previous sample), and keep them in a bounded on-disk ring (JSON lines: a day
 * at the default 5 s interval, size-capped) that survives a probe restart.
 *
 * Counting is by sampling: a connection opened and closed between two samples is not seen
 * (Linux keeps a closed socket visible in TIME_WAIT for 60 s, but without its owner). Records are
 * written only for samples that saw new connections, so an idle host writes nothing.
 */
import fs from "node:fs";
import path from "node:path";

export type RemoteClass = "local" | "cloud" | "other";

export interface Connection {
  pid: number;
  /** Socket identity: stable for the life of one connection. */
  id: string;
  /** The remote as the code names it (`api.groq.com:443`) or its address. */
  remote: string;
  class: RemoteClass;
  /** Catalogue host for the Prometheus label (`api.groq.com`), or undefined (→ "other"). */
  host?: string;
}

interface Rec {
  t: number;
  /** [pid, remote, class, host|"", count] */
  n: Array<[number, string, RemoteClass, string, number]>;
}

export interface RouteAuditOptions {
  /** The ring file (JSON lines); a sidecar `<file>.seen` keeps the last sample's identities. */
  file?: string;
  /** Records kept (default 23,040: at least a day at 5 s, as a quarter is dropped at once). */
  maxRecords?: number;
  /** File size cap in bytes (default 4 MiB): older records are dropped to stay under it. */
  maxBytes?: number;
  /** Identities remembered between samples (default 50,000). */
  maxSeen?: number;
}

export class RouteAudit {
  private records: Rec[] = [];
  private seen = new Set<string>();
  private bytes = 0;
  private seenWrittenAt = 0;
  private readonly maxRecords: number;
  private readonly maxBytes: number;
  private readonly maxSeen: number;
  /** Since this probe started, by `${class}|${host}` (Prometheus counters never go down). */
  readonly totals = new Map<string, number>();

  constructor(private readonly opts: RouteAuditOptions = {}) {
    // a day at 5 s, plus the quarter dropped at once when the ring is full
    this.maxRecords = opts.maxRecords ?? 23_040;
    this.maxBytes = opts.maxBytes ?? 4 * 1024 * 1024;
    this.maxSeen = opts.maxSeen ?? 50_000;
    this.load();
  }

  private load(): void {
    const file = this.opts.file;
    if (!file) return;
    try {
      const text = fs.readFileSync(file, "utf8");
      for (const line of text.split("\n")) {
        if (!line) continue;
        try {
          const r = JSON.parse(line) as Rec;
          if (typeof r.t === "number" && Array.isArray(r.n)) this.records.push(r);
        } catch {
          /* a torn last line after a crash: skipped */
        }
      }
      this.records = this.records.slice(-this.maxRecords);
      this.bytes = Buffer.byteLength(text);
    } catch {
      /* no ring yet */
    }
    try {
      const ids = JSON.parse(fs.readFileSync(file + ".seen", "utf8")) as unknown;
      if (Array.isArray(ids)) this.seen = new Set(ids.filter((x): x is string => typeof x === "string").slice(-this.maxSeen));
    } catch {
      /* first start */
    }
  }

  /** One sample's model connections; returns how many were new. */
  observe(conns: readonly Connection[], at = Date.now()): number {
    const now = new Set<string>();
    const counts = new Map<string, [number, string, RemoteClass, string, number]>();
    for (const c of conns) {
      now.add(c.id);
      if (this.seen.has(c.id)) continue;
      const k = `${c.pid}|${c.remote}`;
      const row = counts.get(k) ?? [c.pid, c.remote, c.class, c.host ?? "", 0];
      row[4]++;
      counts.set(k, row);
      const tk = `${c.class}|${c.host ?? "other"}`;
      this.totals.set(tk, (this.totals.get(tk) ?? 0) + 1);
    }
    this.seen = now.size > this.maxSeen ? new Set([...now].slice(-this.maxSeen)) : now;
    if (!counts.size) {
      if (Date.now() - this.seenWrittenAt > 30_000) this.persistSeen();
      return 0;
    }
    const rec: Rec = { t: at, n: [...counts.values()] };
    this.records.push(rec);
    let dropped = false;
    if (this.records.length > this.maxRecords) {
      // drop a quarter at once, so the file is rewritten once per maxRecords/4 samples, not every sample
      this.records.splice(0, this.records.length - Math.floor((this.maxRecords * 3) / 4));
      dropped = true;
    }
    this.append(rec, dropped);
    let n = 0;
    for (const r of counts.values()) n += r[4];
    return n;
  }

  /** New connections of `pid` per remote over the last `ms` (default a day). */
  since(pid: number, ms = 86_400_000, now = Date.now()): Map<string, { count: number; class: RemoteClass }> {
    const out = new Map<string, { count: number; class: RemoteClass }>();
    for (let i = this.records.length - 1; i >= 0; i--) {
      const r = this.records[i];
      if (now - r.t > ms) break;
      for (const [p, remote, cls, , count] of r.n) {
        if (p !== pid) continue;
        const o = out.get(remote) ?? { count: 0, class: cls };
        o.count += count;
        out.set(remote, o);
      }
    }
    return out;
  }

  /** Share of `remote` among `pid`'s new model connections over the window, or undefined when none. */
  shareOf(pid: number, remote: string, ms?: number): number | undefined {
    const m = this.since(pid, ms);
    let total = 0;
    for (const v of m.values()) total += v.count;
    return total ? (m.get(remote)?.count ?? 0) / total : undefined;
  }

  /** `pid 4242, last 24 h: api.groq.com:443 5,120 · openrouter.ai:443 4,797 · localhost:11434 79 (0.8 % local)` */
  summary(pid: number, ms = 86_400_000): string | undefined {
    const m = [...this.since(pid, ms).entries()].sort((a, b) => b[1].count - a[1].count);
    if (!m.length) return undefined;
    const total = m.reduce((s, [, v]) => s + v.count, 0);
    const local = m.filter(([, v]) => v.class === "local").reduce((s, [, v]) => s + v.count, 0);
    const hours = Math.round(ms / 3_600_000);
    return `pid ${pid}, last ${hours} h: ${m.map(([r, v]) => `${r} ${v.count.toLocaleString("en-US")}`).join(" · ")} (${((100 * local) / total).toFixed(1)} % local)`;
  }

  get size(): { records: number; bytes: number } {
    return { records: this.records.length, bytes: this.bytes };
  }

  private append(rec: Rec, rewrite: boolean): void {
    const file = this.opts.file;
    if (!file) return;
    const line = JSON.stringify(rec) + "\n";
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      if (rewrite || this.bytes + line.length > this.maxBytes) this.rewrite();
      else {
        fs.appendFileSync(file, line, { mode: 0o600 });
        this.bytes += Buffer.byteLength(line);
      }
    } catch {
      /* a full or read-only disk costs the history, never the sample */
    }
    if (Date.now() - this.seenWrittenAt > 30_000) this.persistSeen();
  }

  /** Write the last sample's identities now (on shutdown), so a restart does not count open sockets again. */
  close(): void {
    this.persistSeen();
  }

  /** Rewrite the ring with the newest records that fit in 3/4 of the size cap (atomic rename). */
  private rewrite(): void {
    const file = this.opts.file!;
    const lines: string[] = [];
    let bytes = 0;
    for (let i = this.records.length - 1; i >= 0; i--) {
      const l = JSON.stringify(this.records[i]) + "\n";
      if (bytes + l.length > (this.maxBytes * 3) / 4) {
        this.records.splice(0, i + 1);
        break;
      }
      lines.push(l);
      bytes += l.length;
    }
    const tmp = `${file}.${process.pid}.tmp`;
    fs.rmSync(tmp, { force: true });
    fs.writeFileSync(tmp, lines.reverse().join(""), { mode: 0o600, flag: "wx" });
    fs.renameSync(tmp, file);
    this.bytes = bytes;
  }

  private persistSeen(): void {
    const file = this.opts.file;
    if (!file) return;
    this.seenWrittenAt = Date.now();
    try {
      const tmp = `${file}.seen.${process.pid}.tmp`;
      fs.rmSync(tmp, { force: true });
      fs.writeFileSync(tmp, JSON.stringify([...this.seen]), { mode: 0o600, flag: "wx" });
      fs.renameSync(tmp, file + ".seen");
    } catch {
      /* see append */
    }
  }
}
