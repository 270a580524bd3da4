/**
 * macOS backend: `ps` for the process table, `lsof -F` (machine-readable field output) for TCP
 * sockets, and one `lsof` over the user's own processes for FD counts, cwd and executable.
 * The parsers are pure functions tested on recorded outputs (test/probe/fixtures/darwin-*).
 */
import { execFile } from "node:child_process";
import type { HostRead, ProcInfo, TcpSocket, TcpState } from "../types.js";

/** `[[dd-]hh:]mm:ss` → seconds. */
export function parseEtime(s: string): number {
  const m = /^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+)$/.exec(s.trim());
  if (!m) return Number.NaN;
  return Number(m[1] ?? 0) * 86400 + Number(m[2] ?? 0) * 3600 + Number(m[3]) * 60 + Number(m[4]);
}

/** Parse `ps -axo pid=,ppid=,uid=,stat=,etime=,args=` (also works for Linux procps output). */
export function parsePs(text: string, now = Date.now()): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const line of text.split("\n")) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\S+)\s?(.*)$/.exec(line);
    if (!m) continue;
    const args = m[6]!.trim();
    const secs = parseEtime(m[5]!);
    const argv = args && !/^\(.*\)$/.test(args) ? splitArgs(args) : [];
    const comm = argv[0] ? argv[0].split("/").pop()! : args.replace(/^\(|\)$/g, "");
    out.push({
      pid: Number(m[1]), ppid: Number(m[2]), uid: Number(m[3]), state: m[4]!.charAt(0), comm, argv,
      startedAt: Number.isNaN(secs) ? Number.NaN : now - secs * 1000,
    });
  }
  return out;
}

/** ps prints args joined by spaces; we cannot recover the original boundaries, so split on spaces. */
function splitArgs(s: string): string[] {
  return s.split(/\s+/).filter(Boolean);
}

const LSOF_STATES: Record<string, TcpState> = {
  ESTABLISHED: "ESTABLISHED", SYN_SENT: "SYN_SENT", SYN_RCVD: "SYN_RECV", SYN_RECV: "SYN_RECV", FIN_WAIT_1: "FIN_WAIT1", FIN_WAIT_2: "FIN_WAIT2",
  TIME_WAIT: "TIME_WAIT", CLOSED: "CLOSE", CLOSE_WAIT: "CLOSE_WAIT", LAST_ACK: "LAST_ACK", LISTEN: "LISTEN", CLOSING: "CLOSING",
};

function hostPort(s: string): { address: string; port: number } {
  const i = s.lastIndexOf(":");
  let host = s.slice(0, i);
  if (host.startsWith("[")) host = host.slice(1, -1);
  if (host.startsWith("::ffff:") && host.includes(".")) host = host.slice(7);
  const port = s.slice(i + 1);
  return { address: host === "*" ? "0.0.0.0" : host, port: port === "*" ? 0 : Number(port) };
}

/** Parse `lsof -nP -iTCP -FpcfnT` field output into sockets with their owning PID (n and T fields in either order). */
export function parseLsofTcp(text: string): TcpSocket[] {
  const out: TcpSocket[] = [];
  let pid = 0;
  let name: string | undefined;
  let state: TcpState = "UNKNOWN";
  const flush = () => {
    if (name !== undefined) {
      const [l = "", r] = name.split("->");
      const local = hostPort(l);
      const remote = r ? hostPort(r) : { address: "0.0.0.0", port: 0 };
      out.push({ state, localAddress: local.address, localPort: local.port, remoteAddress: remote.address, remotePort: remote.port, pid });
    }
    name = undefined;
    state = "UNKNOWN";
  };
  for (const line of text.split("\n")) {
    if (!line) continue;
    const tag = line[0];
    const val = line.slice(1);
    if (tag === "p") {
      flush();
      pid = Number(val);
    } else if (tag === "f") flush();
    else if (tag === "n") name = val;
    else if (tag === "T" && val.startsWith("ST=")) state = LSOF_STATES[val.slice(3)] ?? "UNKNOWN";
  }
  flush();
  return out;
}

/** Parse `lsof -nP -w -Fpfn -u UID`: FD count (numeric fds only), cwd and executable per PID. */
export function parseLsofFiles(text: string): Map<number, { fds: number; cwd?: string; exe?: string }> {
  const out = new Map<number, { fds: number; cwd?: string; exe?: string }>();
  let cur: { fds: number; cwd?: string; exe?: string } | undefined;
  let fd = "";
  for (const line of text.split("\n")) {
    if (!line) continue;
    const tag = line[0];
    const val = line.slice(1);
    if (tag === "p") {
      cur = { fds: 0 };
      out.set(Number(val), cur);
    } else if (tag === "f" && cur) {
      fd = val;
      if (/^\d+$/.test(fd)) cur.fds++;
    } else if (tag === "n" && cur) {
      if (fd === "cwd") cur.cwd = val;
      else if (fd === "txt" && cur.exe === undefined) cur.exe = val;
    }
  }
  return out;
}

function run(cmd: string, args: string[], timeout: number): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { encoding: "utf8", timeout, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, LC_ALL: "C" } }, (err, stdout) =>
      // lsof exits 1 when some selections found nothing; its output is still valid.
      err && !stdout ? reject(err) : resolve(stdout),
    ),
  );
}

export class DarwinReader {
  private sample = 0;
  private files = new Map<number, { fds: number; cwd?: string; exe?: string }>();
  constructor(private readonly opts: { refreshEvery?: number } = {}) {}

  async read(): Promise<HostRead> {
    this.sample++;
    const errors: string[] = [];
    const uid = process.getuid?.() ?? 0;
    const refresh = (this.sample - 1) % (this.opts.refreshEvery ?? 12) === 0;
    const [ps, tcp, files] = await Promise.all([
      run("ps", ["-axo", "pid=,ppid=,uid=,stat=,etime=,args="], 10_000).catch((e: Error) => (errors.push(`ps: ${e.message}`), "")),
      run("lsof", ["-nP", "-w", "-iTCP", "-FpcfnT"], 15_000).catch((e: Error) => (errors.push(`lsof: ${e.message}`), "")),
      refresh ? run("lsof", ["-nP", "-w", "-Fpfn", "-u", String(uid)], 20_000).catch(() => "") : Promise.resolve(undefined),
    ]);
    if (files !== undefined) this.files = parseLsofFiles(files);
    const processes = parsePs(ps);
    for (const p of processes) {
      const f = this.files.get(p.pid);
      if (f) Object.assign(p, { fds: f.fds, cwd: f.cwd, exe: f.exe });
    }
    return { platform: "darwin", backend: "ps+lsof", processes, sockets: parseLsofTcp(tcp), errors };
  }
}
