/**
 * The join: the probe's sockets of a process that runs a workspace's code → the call sites of
 * that workspace whose endpoint is the socket's remote. Pure; the probe supplies processes and
 * sockets (with owners), sites come from sites.ts, addresses from resolve.ts.
 */
import path from "node:path";
import type { ProcInfo, TcpSocket, TcpState } from "../probe/types.js";
import { isLoopbackAddress, normaliseAddress, type AddressResolver } from "./resolve.js";
import type { SiteFinding, SiteWithFindings } from "./workspace.js";

/** Ports of local model servers (Ollama, LM Studio, llama.cpp, vLLM, LiteLLM): loopback sockets to them are model traffic. */
export const LOCAL_MODEL_PORTS = new Set([11434, 1234, 8080, 8000, 4000]);

export interface ExplanationSite {
  /** Relative to the workspace root the process runs in. */
  file: string;
  /** Absolute path. */
  path: string;
  line: number;
  function: string;
  call: string;
  findings: SiteFinding[];
}

export interface Explanation {
  pid: number;
  command: string;
  cwd: string | null;
  /** The endpoint as the code names it (`api.groq.com:443`), or the socket's address when no site matches. */
  remote: string;
  /** The socket's remote address:port. */
  address: string;
  state: "CLOSE_WAIT" | "ESTABLISHED";
  count: number;
  /** This remote's share of the process's model connections (route audit when known, else this sample). */
  share?: number;
  /** Empty: unattributed (no site of the workspace reaches this remote). */
  sites: ExplanationSite[];
}

export interface AttributeInput {
  processes: ReadonlyArray<Pick<ProcInfo, "pid" | "argv" | "comm" | "cwd">>;
  /** Sockets, or groups of them (`count`, default 1). */
  sockets: ReadonlyArray<Pick<TcpSocket, "state" | "remoteAddress" | "remotePort" | "pid"> & { count?: number }>;
  sites: readonly SiteWithFindings[];
  /** Workspace folders (absolute). */
  roots: readonly string[];
  resolver: AddressResolver;
  /** Remote addresses of cloud LLM hosts (the probe's catalogue resolution). */
  isCloudAddress?: (address: string) => boolean;
  /** Share of a remote in a pid's model connections over time (the route audit), when known. */
  shareOf?: (pid: number, remote: string) => number | undefined;
  commandOf?: (p: Pick<ProcInfo, "argv" | "comm" | "cwd">) => string;
}

function inside(file: string, root: string): boolean {
  const rel = path.relative(root, file);
  return !!rel && !rel.startsWith("..") && !path.isAbsolute(rel);
}

/** The workspace root a process runs in: its cwd or its script lies inside it. */
export function rootOfProcess(p: Pick<ProcInfo, "argv" | "cwd">, roots: readonly string[]): string | undefined {
  const cands: string[] = [];
  if (p.cwd) cands.push(p.cwd);
  for (const a of p.argv.slice(1, 4)) if (/\.[cm]?[jt]sx?$|\.py$/.test(a)) cands.push(path.resolve(p.cwd ?? "/", a));
  let best: string | undefined;
  for (const r of roots) for (const c of cands) if ((c === r || inside(c, r)) && (!best || r.length > best.length)) best = r;
  return best;
}

export function attribute(input: AttributeInput): Explanation[] {
  const { resolver } = input;
  // address:port → sites whose endpoint resolves to it (with the name the code uses)
  const byTarget = new Map<string, Array<{ site: SiteWithFindings; name: string }>>();
  for (const site of input.sites) {
    for (const ep of site.endpoints) {
      for (const t of resolver.targetsNow(ep.host, ep.port)) {
        const list = byTarget.get(t) ?? [];
        list.push({ site, name: `${ep.host}:${ep.port}` });
        byTarget.set(t, list);
      }
    }
  }
  const procs = new Map<number, { p: AttributeInput["processes"][number]; root: string }>();
  for (const p of input.processes) {
    const root = rootOfProcess(p, input.roots);
    if (root) procs.set(p.pid, { p, root });
  }
  const groups = new Map<string, Explanation & { root: string }>();
  for (const s of input.sockets) {
    if (s.pid === undefined || !procs.has(s.pid)) continue;
    if (s.state !== "CLOSE_WAIT" && s.state !== "ESTABLISHED") continue;
    const addr = normaliseAddress(s.remoteAddress);
    const address = `${addr.includes(":") ? `[${addr}]` : addr}:${s.remotePort}`;
    const key = `${addr}:${s.remotePort}`;
    const matches = byTarget.get(key) ?? [];
    const relevant =
      s.state === "CLOSE_WAIT" || matches.length > 0 || input.isCloudAddress?.(addr) === true || (isLoopbackAddress(addr) && LOCAL_MODEL_PORTS.has(s.remotePort));
    if (!relevant) continue;
    const { p, root } = procs.get(s.pid)!;
    const gk = `${s.pid}|${key}|${s.state}`;
    let g = groups.get(gk);
    if (!g) {
      const seen = new Set<SiteWithFindings>();
      const sites: ExplanationSite[] = [];
      for (const m of matches) {
        if (seen.has(m.site)) continue;
        seen.add(m.site);
        sites.push({ file: path.relative(root, m.site.file) || m.site.file, path: m.site.file, line: m.site.line, function: m.site.function, call: m.site.call, findings: m.site.findings });
      }
      g = {
        pid: s.pid,
        command: input.commandOf ? input.commandOf(p) : [p.comm, ...p.argv.slice(1)].join(" ").slice(0, 200),
        cwd: p.cwd ?? null,
        remote: matches[0]?.name ?? address,
        address,
        state: s.state as "CLOSE_WAIT" | "ESTABLISHED",
        count: 0,
        sites,
        root,
      };
      groups.set(gk, g);
    }
    g.count += s.count ?? 1;
  }
  const out = [...groups.values()];
  // share: the route audit's when known, else this sample's (model connections of the pid)
  const totals = new Map<number, number>();
  for (const g of out) totals.set(g.pid, (totals.get(g.pid) ?? 0) + g.count);
  const result: Explanation[] = out.map(({ root: _root, ...g }) => {
    const share = input.shareOf?.(g.pid, g.remote) ?? (totals.get(g.pid) ? g.count / totals.get(g.pid)! : undefined);
    return share === undefined ? g : { ...g, share };
  });
  const stateRank = (st: TcpState) => (st === "CLOSE_WAIT" ? 0 : 1);
  result.sort((a, b) => a.pid - b.pid || stateRank(a.state) - stateRank(b.state) || b.count - a.count || a.remote.localeCompare(b.remote));
  return result;
}

/** The short reason of a finding for one line of `--explain`: its message up to the first sentence end, capped. */
export function shortReason(f: SiteFinding): string {
  const first = f.message.split(/(?<=[.:;])\s/)[0].replace(/[.:;]$/, "");
  return `${first.length > 90 ? first.slice(0, 89) + "…" : first} (${f.rule})`;
}

/** `37 CLOSE-WAIT to api.groq.com:443 ← src/router.ts:19 fetch() in callRouter — <reason> (rule)` */
export function explainLines(e: Explanation): string[] {
  const state = e.state === "CLOSE_WAIT" ? "CLOSE-WAIT" : "ESTABLISHED";
  const share = e.share !== undefined && e.state === "ESTABLISHED" ? ` (${(e.share * 100).toFixed(e.share < 0.1 ? 1 : 0)} % of its model connections)` : "";
  const head = `${e.count} ${state} to ${e.remote}${e.remote !== e.address ? ` [${e.address}]` : ""}${share}`;
  if (!e.sites.length) return [`${head} ← unattributed: no call site of this workspace reaches ${e.address}`];
  return e.sites.map((s, i) => {
    const lead = i === 0 ? head : " ".repeat(Math.min(head.length, 40));
    const relevant = e.state === "CLOSE_WAIT" ? s.findings.filter((f) => f.rule === "no-unclosed-http-client") : [];
    const reasons = (relevant.length ? relevant : s.findings.filter((f) => f.rule !== "honest-llm-names").slice(0, 1)).map(shortReason);
    const lie = s.findings.find((f) => f.rule === "honest-llm-names");
    const why = [...reasons, ...(lie ? [shortReason(lie)] : [])].join("; ");
    return `${lead} ← ${s.file}:${s.line} ${s.call} in ${s.function}${why ? ` — ${why}` : ""}`;
  });
}
