/**
 * Known cloud LLM hosts (from the provider catalogue, `cloudLlmHosts()`), resolved to IP
 * addresses so outbound sockets can be matched by remote address. Resolution uses c-ares
 * (`dns.Resolver`, not the libuv thread pool) with a short timeout and never holds a sample up:
 *  - answers are cached on disk (`cloud-hosts.json` in the private state directory, 0600) so a
 *    one-shot run matches with the last answers at once and refreshes them in the background;
 *  - a sample waits for a refresh at most `waitMs` (default 0: matching uses what is known);
 *  - failures leave the previous answers in place; pending queries are cancelled on `close()` so a
 *    one-shot CLI exits without waiting for DNS.
 * Matching is by IP: a CDN address shared with another site can match.
 */
import { Resolver } from "node:dns/promises";
import * as path from "node:path";
import { isIP } from "node:net";
import { cloudLlmHosts } from "../../rules/core/providers.js";
import { ensurePrivateDir, readOwnFile, stateDir, writeFileAtomic } from "./instance.js";

interface CacheFile {
  resolvedAt: number;
  hosts: Record<string, string[]>;
}

export class CloudHostResolver {
  private map = new Map<string, string>();
  private lastRefresh = 0;
  private inflight: Promise<void> | undefined;
  private resolver: Resolver | undefined;
  readonly hosts: string[];

  constructor(
    extraHosts: string[] = [],
    private readonly refreshMs = 10 * 60_000,
    private readonly timeoutMs = 1200,
    /** Directory of the on-disk cache; null: no disk cache. */
    private readonly cacheDir: string | null = defaultCacheDir(),
    /** DNS servers ("ip:port"); default: the system's. */
    private readonly servers?: string[],
  ) {
    this.hosts = [...new Set([...cloudLlmHosts(), ...extraHosts])];
    for (const h of this.hosts) if (isIP(h)) this.map.set(h, h);
    this.loadCache();
  }

  /** IP address → catalogue host name. */
  ipMap(): ReadonlyMap<string, string> {
    return this.map;
  }

  private cacheFile(): string | undefined {
    return this.cacheDir ? path.join(this.cacheDir, "cloud-hosts.json") : undefined;
  }

  private loadCache(): void {
    const f = this.cacheFile();
    const text = f ? readOwnFile(f) : undefined;
    if (!text) return;
    try {
      const c = JSON.parse(text) as CacheFile;
      const wanted = new Set(this.hosts);
      for (const [h, ips] of Object.entries(c.hosts ?? {})) if (wanted.has(h) && Array.isArray(ips)) for (const ip of ips) if (typeof ip === "string" && isIP(ip)) this.map.set(ip, h);
      if (Number.isFinite(c.resolvedAt) && c.resolvedAt <= Date.now()) this.lastRefresh = c.resolvedAt;
    } catch {
      /* corrupt cache: resolve again */
    }
  }

  private saveCache(fresh: number): void {
    const f = this.cacheFile();
    if (!f || fresh === 0) return;
    const byHost = new Map<string, string[]>(); // every answer known, so a partial failure keeps older ones
    for (const [ip, h] of this.map) if (!isIP(h)) byHost.set(h, [...(byHost.get(h) ?? []), ip]);
    try {
      ensurePrivateDir(this.cacheDir!);
      writeFileAtomic(f, JSON.stringify({ resolvedAt: Date.now(), hosts: Object.fromEntries(byHost) } satisfies CacheFile));
    } catch {
      /* unsafe or read-only state directory: keep the answers in memory only */
    }
  }

  /**
   * Start a refresh when due; resolves once it finished or after `waitMs`, whichever comes first
   * (late answers still land in the map for the next sample).
   */
  async refreshIfDue(waitMs = 0, now = Date.now()): Promise<void> {
    if (now - this.lastRefresh < this.refreshMs) return;
    this.lastRefresh = now;
    this.inflight ??= this.resolveAll().finally(() => (this.inflight = undefined));
    if (waitMs <= 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.inflight, new Promise<void>((r) => (timer = setTimeout(r, Math.min(waitMs, this.timeoutMs))))]);
    clearTimeout(timer);
  }

  /** Wait for a running refresh (tests, benches). */
  settled(): Promise<void> {
    return this.inflight ?? Promise.resolve();
  }

  /** Cancel pending DNS queries (a one-shot run must not wait for them). */
  close(): void {
    this.resolver?.cancel();
  }

  private async resolveAll(): Promise<void> {
    const resolver = (this.resolver = new Resolver({ timeout: this.timeoutMs, tries: 1 }));
    if (this.servers) resolver.setServers(this.servers);
    let fresh = 0;
    await Promise.all(
      this.hosts.filter((h) => !isIP(h)).map(async (h) => {
        const [v4, v6] = await Promise.all([resolver.resolve4(h).catch(() => [] as string[]), resolver.resolve6(h).catch(() => [] as string[])]);
        for (const ip of [...v4, ...v6]) this.map.set(ip, h);
        fresh += v4.length + v6.length;
      }),
    );
    this.saveCache(fresh);
  }
}

function defaultCacheDir(): string | null {
  try {
    return stateDir();
  } catch {
    return null;
  }
}
