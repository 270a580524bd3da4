/**
 * Known cloud LLM hosts (from the provider catalogue, `cloudLlmHosts()`), resolved to IP
 * addresses periodically so outbound sockets can be matched by remote address. Resolution uses
 * c-ares (`dns.Resolver`, not the libuv thread pool) with a short timeout; failures leave the
 * previous answers in place. Matching is by IP: a CDN address shared with another site can match.
 */
import { Resolver } from "node:dns/promises";
import { isIP } from "node:net";
import { cloudLlmHosts } from "../../rules/core/providers.js";

export class CloudHostResolver {
  private map = new Map<string, string>();
  private lastRefresh = 0;
  private inflight: Promise<void> | undefined;
  readonly hosts: string[];

  constructor(extraHosts: string[] = [], private readonly refreshMs = 10 * 60_000, private readonly timeoutMs = 1200) {
    this.hosts = [...new Set([...cloudLlmHosts(), ...extraHosts])];
    for (const h of this.hosts) if (isIP(h)) this.map.set(h, h);
  }

  /** IP address → catalogue host name. */
  ipMap(): ReadonlyMap<string, string> {
    return this.map;
  }

  /** Refresh when due; resolves within `timeoutMs` even when DNS hangs (late answers still land). */
  async refreshIfDue(now = Date.now()): Promise<void> {
    if (now - this.lastRefresh < this.refreshMs) return;
    this.lastRefresh = now;
    this.inflight ??= this.resolveAll().finally(() => (this.inflight = undefined));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.inflight, new Promise<void>((r) => (timer = setTimeout(r, this.timeoutMs)))]);
    clearTimeout(timer);
  }

  private async resolveAll(): Promise<void> {
    const resolver = new Resolver({ timeout: this.timeoutMs, tries: 1 });
    await Promise.all(
      this.hosts.filter((h) => !isIP(h)).map(async (h) => {
        const [v4, v6] = await Promise.all([resolver.resolve4(h).catch(() => [] as string[]), resolver.resolve6(h).catch(() => [] as string[])]);
        for (const ip of [...v4, ...v6]) this.map.set(ip, h);
      }),
    );
  }
}
