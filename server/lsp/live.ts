/**
 * Live evidence in the editor: the serving probe's model connections (`/health` → `live`)
 * joined to the workspace's request sites (server/evidence/), published as the language
 * server's own diagnostics source `ghostwatch-live` (Information; Warning past the CLOSE-WAIT
 * threshold) with related information to the static findings on the same call, code lenses
 * (`live: 37 CLOSE-WAIT · 99 % cloud (pid 4242)`) and hover figures for a lying name.
 * Evidence is recomputed on every poll, so it disappears when the process ends or the sockets close.
 */
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { DiagnosticSeverity, type Diagnostic } from "vscode-languageserver";
import { attribute, type Explanation } from "../evidence/attribute.js";
import type { LiveSection } from "../evidence/live.js";
import { AddressResolver } from "../evidence/resolve.js";
import { collectStaticEvidence, type SiteWithFindings } from "../evidence/workspace.js";

export const LIVE_SOURCE = "ghostwatch-live";

export interface LiveOptions {
  /** Workspace folders (absolute paths). */
  roots: () => string[];
  /** The probe to read (`http://127.0.0.1:PORT`), or undefined when none is serving. */
  probeUrl: () => Promise<string | undefined>;
  intervalMs?: number;
  /** CLOSE-WAIT sockets of one process to one remote above which the diagnostic is a Warning. */
  closeWaitWarn?: number;
  /** Files whose live diagnostics, lenses or hovers changed. */
  onChange: (files: string[]) => void;
  log?: (message: string) => void;
  resolver?: AddressResolver;
}

interface FileLive {
  diagnostics: Diagnostic[];
  lenses: Array<{ line: number; title: string }>;
  /** function name → hover markdown */
  hovers: Map<string, string>;
  key: string;
}

function getJson(url: string, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs, headers: { accept: "application/json" } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`HTTP ${res.statusCode}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size > 32 * 1024 * 1024) req.destroy(new Error("/health answer too large"));
        else chunks.push(c);
      });
      res.on("end", () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        } catch (e) {
          reject(e as Error);
        }
      });
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
  });
}

const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 && x > 0 ? 1 : 0)} %`;

export class LiveEvidence {
  private sites = new Map<string, SiteWithFindings[]>();
  private staticReady: Promise<void> | undefined;
  private dirty = new Set<string>();
  private files = new Map<string, FileLive>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = false;
  private readonly resolver: AddressResolver;
  /** Last explanations (for tests and the Host Health "opened by" request). */
  explanations: Explanation[] = [];
  live: LiveSection | undefined;

  constructor(private readonly opts: LiveOptions) {
    this.resolver = opts.resolver ?? new AddressResolver();
  }

  start(): void {
    this.stopped = false;
    const loop = async () => {
      await this.refresh().catch((e) => this.opts.log?.(`live evidence: ${(e as Error).message}`));
      if (!this.stopped) {
        this.timer = setTimeout(loop, this.opts.intervalMs ?? 5000);
        this.timer.unref?.();
      }
    };
    void loop();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    const changed = [...this.files.keys()];
    this.files.clear();
    if (changed.length) this.opts.onChange(changed);
  }

  /** A file changed on disk or was saved: its sites are recollected at the next refresh. */
  invalidate(file: string): void {
    this.dirty.add(path.resolve(file));
  }

  diagnosticsFor(file: string): Diagnostic[] {
    return this.files.get(path.resolve(file))?.diagnostics ?? [];
  }

  lensesFor(file: string): Array<{ line: number; title: string }> {
    return this.files.get(path.resolve(file))?.lenses ?? [];
  }

  hoverFor(file: string, fnName: string): string | undefined {
    return this.files.get(path.resolve(file))?.hovers.get(fnName);
  }

  /** A key that changes whenever this file's live evidence changes (pull-diagnostic result ids). */
  versionOf(file: string): string {
    return this.files.get(path.resolve(file))?.key ?? "";
  }

  private async loadStatic(): Promise<void> {
    if (!this.staticReady) {
      this.staticReady = (async () => {
        const roots = this.opts.roots();
        if (!roots.length) return;
        const ev = await collectStaticEvidence(roots);
        for (const s of ev.sites) this.sites.set(s.file, [...(this.sites.get(s.file) ?? []), s]);
      })();
    }
    await this.staticReady;
    if (this.dirty.size) {
      const files = [...this.dirty];
      this.dirty.clear();
      const ev = await collectStaticEvidence(files);
      for (const f of files) this.sites.delete(f);
      for (const s of ev.sites) this.sites.set(s.file, [...(this.sites.get(s.file) ?? []), s]);
    }
  }

  /** One poll: read the probe, join, publish what changed. */
  async refresh(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const url = await this.opts.probeUrl();
      let live: LiveSection | undefined;
      if (url) {
        try {
          const health = (await getJson(`${url.replace(/\/+$/, "")}/health`, 3000)) as { live?: LiveSection };
          live = health?.live;
        } catch (e) {
          this.opts.log?.(`live evidence: probe ${url}: ${(e as Error).message}`);
        }
      }
      this.live = live;
      let explanations: Explanation[] = [];
      if (live && live.sockets.length) {
        await this.loadStatic();
        const sites = [...this.sites.values()].flat();
        await this.resolver.warm(sites.flatMap((s) => s.endpoints.map((e) => e.host)), 500);
        explanations = attribute({
          processes: live.processes.map((p) => ({ pid: p.pid, comm: p.command.split(/\s+/)[0] ?? "", argv: p.script ? [p.command, p.script] : [p.command], cwd: p.cwd ?? undefined })),
          sockets: live.sockets.map((g) => ({ pid: g.pid, state: g.state, remoteAddress: g.remoteAddress, remotePort: g.remotePort, count: g.count })),
          sites,
          roots: this.opts.roots(),
          resolver: this.resolver,
          isCloudAddress: (a) => live!.sockets.some((g) => g.remoteAddress === a && g.class === "cloud"),
          // `node agent.mjs`: the program and the workspace script, not the whole command line
          commandOf: (p) => {
            const prog = path.basename((p.argv[0] ?? p.comm).split(/\s+/)[0] ?? p.comm);
            const script = p.argv[1];
            if (script) return `${prog} ${p.cwd && script.startsWith(p.cwd + path.sep) ? path.relative(p.cwd, script) : path.basename(script)}`;
            const cmd = p.argv[0] ?? p.comm;
            return cmd.length > 40 ? cmd.slice(0, 39) + "…" : cmd;
          },
        });
      }
      this.explanations = explanations;
      this.publish(explanations, live);
    } finally {
      this.running = false;
    }
  }

  private publish(explanations: Explanation[], live: LiveSection | undefined): void {
    const warn = this.opts.closeWaitWarn ?? 50;
    const next = new Map<string, FileLive>();
    const cloudShare = (pid: number) => {
      const audit = live?.routeAudit.filter((a) => a.pid === pid) ?? [];
      const total = audit.reduce((n, a) => n + a.count, 0);
      if (total) return audit.filter((a) => a.class === "cloud").reduce((n, a) => n + a.count, 0) / total;
      const now = live?.sockets.filter((g) => g.pid === pid) ?? [];
      const t = now.reduce((n, g) => n + g.count, 0);
      return t ? now.filter((g) => g.class === "cloud").reduce((n, g) => n + g.count, 0) / t : undefined;
    };
    const auditLine = (pid: number) => {
      const rows = (live?.routeAudit ?? []).filter((a) => a.pid === pid).sort((a, b) => b.count - a.count);
      const total = rows.reduce((n, a) => n + a.count, 0);
      if (!total) return undefined;
      const local = rows.filter((a) => a.class === "local").reduce((n, a) => n + a.count, 0);
      return `pid ${pid}, last 24 h: ${rows.map((r) => `${r.remote} ${r.count.toLocaleString("en-US")}`).join(" · ")} (${((100 * local) / total).toFixed(1)} % local)`;
    };
    for (const e of explanations) {
      for (const s of e.sites) {
        const file = s.path;
        const f: FileLive = next.get(file) ?? { diagnostics: [], lenses: [], hovers: new Map(), key: "" };
        next.set(file, f);
        const state = e.state === "CLOSE_WAIT" ? "CLOSE-WAIT" : "established";
        const over = e.state === "CLOSE_WAIT" && e.count > warn;
        const uri = pathToFileURL(file).href;
        const related = s.findings.map((x) => ({ location: { uri, range: { start: { line: x.line - 1, character: x.column - 1 }, end: { line: x.line - 1, character: x.column - 1 } } }, message: `${x.rule}: ${x.message}` }));
        f.diagnostics.push({
          range: { start: { line: s.line - 1, character: 0 }, end: { line: s.line - 1, character: Number.MAX_SAFE_INTEGER } },
          severity: over ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
          source: LIVE_SOURCE,
          code: e.state === "CLOSE_WAIT" ? "close-wait" : "connections",
          message: `live: pid ${e.pid} holds ${e.count} ${state} socket${e.count === 1 ? "" : "s"} to ${e.remote} from ${s.call} (${e.command})`,
          ...(related.length ? { relatedInformation: related } : {}),
        });
        const share = cloudShare(e.pid);
        const title = `live: ${e.count} ${state}${share !== undefined ? ` · ${pct(share)} cloud` : ""} (pid ${e.pid})`;
        if (!f.lenses.some((l) => l.line === s.line - 1 && l.title === title)) f.lenses.push({ line: s.line - 1, title });
        const lie = s.findings.find((x) => x.rule === "honest-llm-names");
        const a = auditLine(e.pid);
        if (lie && a) f.hovers.set(s.function.replace(/^.*\./, ""), `**Live route audit** contradicts the name: ${a}`);
      }
    }
    for (const f of next.values()) f.key = JSON.stringify([f.diagnostics.map((d) => [d.range.start.line, d.message, d.severity]), f.lenses, [...f.hovers]]);
    const changed: string[] = [];
    for (const [file, f] of next) if (this.files.get(file)?.key !== f.key) changed.push(file);
    for (const file of this.files.keys()) if (!next.has(file)) changed.push(file);
    this.files = next;
    if (changed.length) this.opts.onChange(changed);
  }
}
