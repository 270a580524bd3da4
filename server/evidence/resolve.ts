/**
 * Host names in the code → the addresses a socket shows. Answers come from a cache and never
 * block a sample: a miss starts a lookup in the background (bounded by a timeout) and the sample
 * uses what is known now; `warm()` lets a one-shot command wait a bounded time first.
 * Literal IPs match themselves, `localhost` matches loopback, and `--connect-to HOST:PORT:ADDR:PORT`
 * (curl's option, for proxies and test stand-ins) maps an endpoint to another address.
 */
import dns from "node:dns";
import net from "node:net";

export interface AddressResolverOptions {
  /** How long an answer is used (ms, default 5 min). */
  ttlMs?: number;
  /** A lookup that takes longer is abandoned (ms, default 1,500). */
  timeoutMs?: number;
  /** `host:port` → `address:port` overrides (curl's --connect-to). */
  connectTo?: Map<string, string>;
  /** At most this many names are cached (default 1,000). */
  maxEntries?: number;
  lookup?: (host: string) => Promise<string[]>;
}

interface Entry {
  addrs: string[];
  at: number;
  pending?: Promise<void>;
}

const LOOPBACK_NAMES = new Set(["localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"]);

/** `::ffff:1.2.3.4` → `1.2.3.4`; brackets and case removed. */
export function normaliseAddress(a: string): string {
  const s = a.toLowerCase().replace(/^\[|\]$/g, "");
  return s.startsWith("::ffff:") && net.isIPv4(s.slice(7)) ? s.slice(7) : s;
}

export function isLoopbackAddress(a: string): boolean {
  const s = normaliseAddress(a);
  return s === "::1" || /^127\./.test(s);
}

/** Parse curl-style `HOST1:PORT1:HOST2:PORT2` (IPv6 in brackets). */
export function parseConnectTo(spec: string): [string, string] {
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5}):(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(spec.trim());
  if (!m) throw new Error(`--connect-to expects HOST:PORT:ADDRESS:PORT, got "${spec}"`);
  return [`${normaliseAddress(m[1])}:${Number(m[2])}`, `${normaliseAddress(m[3])}:${Number(m[4])}`];
}

export class AddressResolver {
  private readonly cache = new Map<string, Entry>();
  private readonly ttl: number;
  private readonly timeout: number;
  private readonly max: number;
  private readonly lookup: (host: string) => Promise<string[]>;
  readonly connectTo: Map<string, string>;

  constructor(opts: AddressResolverOptions = {}) {
    this.ttl = opts.ttlMs ?? 300_000;
    this.timeout = opts.timeoutMs ?? 1_500;
    this.max = opts.maxEntries ?? 1_000;
    this.connectTo = opts.connectTo ?? new Map();
    this.lookup = opts.lookup ?? (async (h) => (await dns.promises.lookup(h, { all: true })).map((r) => r.address));
  }

  /** Addresses (normalised) `host` is known to have right now; starts a refresh when unknown or old. */
  addressesNow(host: string): string[] {
    const h = normaliseAddress(host);
    if (net.isIP(h)) return [h];
    if (LOOPBACK_NAMES.has(h)) return ["127.0.0.1", "::1"];
    const e = this.cache.get(h);
    if (!e || Date.now() - e.at > this.ttl) this.refresh(h);
    return e?.addrs ?? [];
  }

  /** The `address:port` pairs a socket to `host:port` may show. */
  targetsNow(host: string, port: number): string[] {
    const over = this.connectTo.get(`${normaliseAddress(host)}:${port}`);
    if (over) return [over];
    return this.addressesNow(host).map((a) => `${a}:${port}`);
  }

  /** Wait (at most `ms`) for answers about `hosts` — for one-shot commands. */
  async warm(hosts: Iterable<string>, ms = this.timeout): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const host of hosts) {
      const h = normaliseAddress(host);
      if (net.isIP(h) || LOOPBACK_NAMES.has(h)) continue;
      this.addressesNow(h);
      const p = this.cache.get(h)?.pending;
      if (p) waits.push(p);
    }
    if (!waits.length) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(waits), new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
    clearTimeout(timer);
  }

  private refresh(h: string): void {
    const old = this.cache.get(h);
    if (old?.pending) return;
    if (!old && this.cache.size >= this.max) this.cache.delete(this.cache.keys().next().value as string);
    const entry: Entry = old ?? { addrs: [], at: 0 };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string[]>((_, rej) => {
      timer = setTimeout(() => rej(new Error("timeout")), this.timeout);
      timer.unref?.();
    });
    entry.pending = Promise.race([this.lookup(h), timeout])
      .then((addrs) => {
        entry.addrs = [...new Set(addrs.map(normaliseAddress))];
      })
      .catch(() => {
        /* unknown name or slow DNS: keep the old answer; retried after the TTL */
      })
      .finally(() => {
        clearTimeout(timer);
        entry.at = Date.now();
        entry.pending = undefined;
      });
    this.cache.set(h, entry);
  }
}
