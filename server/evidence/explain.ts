/**
 * `ghostwatch probe --explain [paths…]`: one host read, joined to one lint pass of the paths.
 * Only the sockets of processes that run the workspace's code are attributed, so owner lookup
 * scans the file descriptors of those few processes, not the whole host.
 */
import type { HostRead, TcpSocket } from "../probe/types.js";
import { attribute, explainLines, rootOfProcess, type Explanation } from "./attribute.js";
import { AddressResolver } from "./resolve.js";
import { collectStaticEvidence, type StaticEvidence } from "./workspace.js";
import type { RouteAudit } from "./audit.js";

export interface ExplainOptions {
  /** Static evidence already collected (the language server's, a previous pass). */
  evidence?: StaticEvidence;
  resolver?: AddressResolver;
  /** How long a one-shot run waits for DNS answers about the code's hosts (ms). */
  dnsWaitMs?: number;
  isCloudAddress?: (address: string) => boolean;
  audit?: RouteAudit;
  /** Only these pids (and nothing else). */
  pids?: number[];
  preset?: "recommended" | "strict" | "local-only";
}

export interface ExplainResult {
  explanations: Explanation[];
  evidence: StaticEvidence;
}

/** Give sockets of workspace processes their owner pid (Linux: fd → inode scan of just those pids). */
export function ownedSockets(read: HostRead, pids: number[]): TcpSocket[] {
  const wanted = new Set<number>();
  for (const s of read.sockets) if (s.pid === undefined && s.inode && (s.state === "CLOSE_WAIT" || s.state === "ESTABLISHED")) wanted.add(s.inode);
  const owners = wanted.size && read.resolveOwners && pids.length ? read.resolveOwners(wanted, pids) : new Map<number, number>();
  const set = new Set(pids);
  const out: TcpSocket[] = [];
  for (const s of read.sockets) {
    const pid = s.pid ?? (s.inode ? owners.get(s.inode) : undefined);
    if (pid !== undefined && set.has(pid)) out.push(pid === s.pid ? s : { ...s, pid });
  }
  return out;
}

export async function explainRead(read: HostRead, roots: string[], opts: ExplainOptions = {}): Promise<ExplainResult> {
  const evidence = opts.evidence ?? (await collectStaticEvidence(roots, { preset: opts.preset }));
  const resolver = opts.resolver ?? new AddressResolver();
  await resolver.warm(evidence.sites.flatMap((s) => s.endpoints.map((e) => e.host)), opts.dnsWaitMs ?? 1500);
  const procs = read.processes.filter((p) => (!opts.pids || opts.pids.includes(p.pid)) && rootOfProcess(p, evidence.roots));
  const sockets = ownedSockets(read, procs.map((p) => p.pid));
  const explanations = attribute({
    processes: procs,
    sockets,
    sites: evidence.sites,
    roots: evidence.roots,
    resolver,
    isCloudAddress: opts.isCloudAddress,
    shareOf: opts.audit ? (pid, remote) => opts.audit!.shareOf(pid, remote) : undefined,
  });
  return { explanations, evidence };
}

/** The human report: per process, the live symptom and the code behind it. */
export function renderExplanations(result: ExplainResult, audit?: RouteAudit): string {
  const { explanations, evidence } = result;
  const lines: string[] = [];
  const byPid = new Map<number, Explanation[]>();
  for (const e of explanations) byPid.set(e.pid, [...(byPid.get(e.pid) ?? []), e]);
  lines.push(`${evidence.sites.length} call site(s) reaching a model in ${evidence.files} file(s); ${byPid.size} process(es) of this workspace with model sockets`);
  for (const [pid, list] of byPid) {
    lines.push("", `pid ${pid}  ${list[0].command}${list[0].cwd ? `  (cwd ${list[0].cwd})` : ""}`);
    const s = audit?.summary(pid);
    if (s) lines.push(`  route audit: ${s}`);
    for (const e of list) for (const l of explainLines(e)) lines.push(`  ${l}`);
  }
  if (!byPid.size) lines.push("No running process of this workspace holds a model socket right now.");
  return lines.join("\n") + "\n";
}
