/**
 * The probe's side of live evidence while it serves: from one sample's host read, the model
 * connections (CLOSE-WAIT, and ESTABLISHED to cloud LLM hosts or to local model ports) with their
 * owners and the processes holding them — served in `/health` as `live` for the language server
 * and the extension, and counted by the route audit.
 */
import path from "node:path";
import type { HostRead, ProcInfo, TcpSocket } from "../probe/types.js";
import { commandLine } from "../probe/redact.js";
import { scriptOf } from "../probe/analyze.js";
import { LOCAL_MODEL_PORTS } from "./attribute.js";
import type { Connection, RemoteClass, RouteAudit } from "./audit.js";
import { isLoopbackAddress, normaliseAddress } from "./resolve.js";

export interface LiveProcess {
  pid: number;
  command: string;
  cwd: string | null;
  script: string | null;
}

export interface LiveSocketGroup {
  pid: number;
  /** `address:port` (IPv6 in brackets). */
  remote: string;
  remoteAddress: string;
  remotePort: number;
  state: "CLOSE_WAIT" | "ESTABLISHED";
  count: number;
  class: RemoteClass;
  /** Catalogue host for cloud remotes. */
  host?: string;
}

export interface LiveSection {
  processes: LiveProcess[];
  sockets: LiveSocketGroup[];
  /** Per process: new model connections over the last 24 h by remote (the route audit). */
  routeAudit: Array<{ pid: number; remote: string; class: RemoteClass; count: number }>;
  /** Groups left out to keep the section bounded. */
  truncated: number;
}

const MAX_GROUPS = 500;

function remoteClass(addr: string, cloud: ReadonlyMap<string, string>): RemoteClass {
  if (cloud.has(addr)) return "cloud";
  if (isLoopbackAddress(addr) || /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|fe80:|f[cd])/i.test(addr)) return "local";
  return "other";
}

/** Model connections of one sample, owners resolved (local-model-port sockets too, for those pids only). */
/** Is a remote a model endpoint: a cloud LLM host, one of the probe's endpoints, a local model port on loopback. */
function endpointPredicate(cloud: ReadonlyMap<string, string>, endpoints: readonly string[]): (address: string, port: number) => boolean {
  const ports = new Set<number>();
  const exact = new Set<string>();
  for (const e of endpoints) {
    const m = /^(.*):(\d+)$/.exec(e);
    if (!m) continue;
    if (m[1] === "localhost" || isLoopbackAddress(m[1])) ports.add(Number(m[2]));
    else exact.add(`${normaliseAddress(m[1])}:${m[2]}`);
  }
  return (a, port) => cloud.has(a) || exact.has(`${a}:${port}`) || (isLoopbackAddress(a) && (LOCAL_MODEL_PORTS.has(port) || ports.has(port)));
}

export function modelSockets(read: HostRead, cloud: ReadonlyMap<string, string>, endpoints: readonly string[] = []): Array<TcpSocket & { pid: number }> {
  const isEndpoint = endpointPredicate(cloud, endpoints);
  const isModel = (s: TcpSocket) => s.state === "CLOSE_WAIT" || (s.state === "ESTABLISHED" && isEndpoint(normaliseAddress(s.remoteAddress), s.remotePort));
  const picked = read.sockets.filter(isModel);
  const missing = new Set<number>();
  for (const s of picked) if (s.pid === undefined && s.inode) missing.add(s.inode);
  if (missing.size && read.resolveOwners) {
    // Loopback model ports: the owner is a process of this host; the analysis did not ask for these.
    const owners = read.resolveOwners(missing, read.processes.filter((p) => p.state !== "Z").map((p) => p.pid));
    for (const s of picked) if (s.pid === undefined && s.inode && owners.has(s.inode)) s.pid = owners.get(s.inode);
  }
  return picked.filter((s): s is TcpSocket & { pid: number } => s.pid !== undefined);
}

/** The `live` section of `/health`, and the connections for the route audit. */
export function liveSection(read: HostRead, cloud: ReadonlyMap<string, string>, endpoints: readonly string[] = []): { section: LiveSection; connections: Connection[] } {
  const sockets = modelSockets(read, cloud, endpoints);
  const isEndpoint = endpointPredicate(cloud, endpoints);
  const groups = new Map<string, LiveSocketGroup>();
  const connections: Connection[] = [];
  for (const s of sockets) {
    const addr = normaliseAddress(s.remoteAddress);
    const remote = `${addr.includes(":") ? `[${addr}]` : addr}:${s.remotePort}`;
    const cls = remoteClass(addr, cloud);
    const host = cloud.get(addr);
    const key = `${s.pid}|${remote}|${s.state}`;
    const g = groups.get(key) ?? { pid: s.pid, remote, remoteAddress: addr, remotePort: s.remotePort, state: s.state as LiveSocketGroup["state"], count: 0, class: cls, ...(host ? { host } : {}) };
    g.count++;
    groups.set(key, g);
    // the route audit counts connections to model endpoints only (a CLOSE-WAIT to a database is a symptom, not a route)
    if (!isEndpoint(addr, s.remotePort)) continue;
    const name = host ? `${host}:${s.remotePort}` : isLoopbackAddress(addr) ? `localhost:${s.remotePort}` : remote;
    connections.push({ pid: s.pid, id: `${s.pid}|${s.localAddress}:${s.localPort}|${remote}${s.inode ? `|${s.inode}` : ""}`, remote: name, class: cls, host });
  }
  const all = [...groups.values()].sort((a, b) => b.count - a.count);
  const kept = all.slice(0, MAX_GROUPS);
  const pids = new Set(kept.map((g) => g.pid));
  const procs: LiveProcess[] = [];
  for (const p of read.processes as ProcInfo[]) {
    if (!pids.has(p.pid)) continue;
    const script = scriptOf(p);
    procs.push({ pid: p.pid, command: commandLine(p.argv, p.comm), cwd: p.cwd ?? null, script: script ? path.resolve(p.cwd ?? "/", script) : null });
  }
  return { section: { processes: procs, sockets: kept, routeAudit: [], truncated: all.length - kept.length }, connections };
}

/** Fill the section's route audit (last 24 h per listed process) after the audit saw this sample. */
export function withRouteAudit(section: LiveSection, audit: RouteAudit): LiveSection {
  const routeAudit: LiveSection["routeAudit"] = [];
  for (const p of section.processes) for (const [remote, v] of audit.since(p.pid)) routeAudit.push({ pid: p.pid, remote, class: v.class, count: v.count });
  return { ...section, routeAudit };
}
