/**
 * Linux backend: `/proc` for processes, `/proc/net/tcp{,6}` or `ss -tane` (netlink) for sockets.
 * Socket owners are resolved lazily: only sockets the report needs (CLOSE-WAIT, cloud LLM) are
 * mapped to PIDs by scanning `/proc/PID/fd`, and the scan stops once every wanted inode is found.
 * Every read tolerates a process vanishing mid-scan (ENOENT/ESRCH/EACCES → skip).
 */
import { execFileSync, execFile } from "node:child_process";
import * as fs from "node:fs";
import type { HostRead, ProcInfo, TcpSocket, TcpState } from "../types.js";

const PROC_STATES: Record<string, TcpState> = {
  "01": "ESTABLISHED", "02": "SYN_SENT", "03": "SYN_RECV", "04": "FIN_WAIT1", "05": "FIN_WAIT2", "06": "TIME_WAIT",
  "07": "CLOSE", "08": "CLOSE_WAIT", "09": "LAST_ACK", "0A": "LISTEN", "0B": "CLOSING", "0C": "NEW_SYN_RECV",
};

const SS_STATES: Record<string, TcpState> = {
  ESTAB: "ESTABLISHED", "SYN-SENT": "SYN_SENT", "SYN-RECV": "SYN_RECV", "FIN-WAIT-1": "FIN_WAIT1", "FIN-WAIT-2": "FIN_WAIT2",
  "TIME-WAIT": "TIME_WAIT", CLOSE: "CLOSE", UNCONN: "CLOSE", "CLOSE-WAIT": "CLOSE_WAIT", "LAST-ACK": "LAST_ACK", LISTEN: "LISTEN", CLOSING: "CLOSING",
  "NEW-SYN-RECV": "NEW_SYN_RECV",
};

/** Decode a /proc/net/tcp address ("0100007F:1F90" or the 32-hex-digit IPv6 form). IPv4-mapped IPv6 becomes IPv4. */
export function decodeProcAddress(field: string): { address: string; port: number } {
  const [hex = "", portHex = "0"] = field.split(":");
  const port = parseInt(portHex, 16);
  if (hex.length === 8) {
    const n = parseInt(hex, 16);
    return { address: `${n & 255}.${(n >>> 8) & 255}.${(n >>> 16) & 255}.${(n >>> 24) & 255}`, port };
  }
  // IPv6: four 32-bit words, each in host (little-endian) byte order.
  const bytes: number[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    for (let b = 3; b >= 0; b--) bytes.push(parseInt(word.slice(b * 2, b * 2 + 2), 16));
  }
  return { address: formatIpv6(bytes), port };
}

function formatIpv6(bytes: number[]): string {
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255 && bytes[11] === 255;
  if (mapped) return bytes.slice(12).join(".");
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  // Compress the longest run of zeros.
  let best = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) { best = i; bestLen = j - i; }
    i = j;
  }
  const hexes = groups.map((g) => g.toString(16));
  if (best < 0) return hexes.join(":");
  return `${hexes.slice(0, best).join(":")}::${hexes.slice(best + bestLen).join(":")}`;
}

/**
 * Whitespace-separated fields of a line, at most `max`. Hand-written because it is the hot loop of
 * a sample on a busy host (one call per socket): 3–5× faster than `trim().split(/\s+/)`.
 */
export function fields(line: string, max = Number.MAX_SAFE_INTEGER): string[] {
  const out: string[] = [];
  const n = line.length;
  let i = 0;
  while (i < n && out.length < max) {
    let c = line.charCodeAt(i);
    while (c === 32 || c === 9) c = line.charCodeAt(++i);
    if (i >= n) break;
    let j = i;
    while (j < n && c !== 32 && c !== 9) c = line.charCodeAt(++j);
    out.push(line.slice(i, j));
    i = j;
  }
  return out;
}

/** Parse the text of /proc/net/tcp or /proc/net/tcp6. */
export function parseProcNetTcp(text: string): TcpSocket[] {
  const out: TcpSocket[] = [];
  const lines = text.split("\n");
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length < 20) continue;
    const f = fields(line, 10);
    if (f.length < 10) continue;
    const local = decodeProcAddress(f[1]!);
    const remote = decodeProcAddress(f[2]!);
    out.push({
      state: PROC_STATES[f[3]!.toUpperCase()] ?? "UNKNOWN",
      localAddress: local.address, localPort: local.port,
      remoteAddress: remote.address, remotePort: remote.port,
      inode: Number(f[9]),
      uid: Number(f[7]),
      ...(f[3] === "0A" ? {} : { sendQueue: parseInt(f[4]!.slice(0, f[4]!.indexOf(":")), 16) || 0 }),
    });
  }
  return out;
}

function splitHostPort(s: string): { address: string; port: number } {
  const i = s.lastIndexOf(":");
  let host = i >= 0 ? s.slice(0, i) : s;
  const portStr = i >= 0 ? s.slice(i + 1) : "0";
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  const pct = host.indexOf("%");
  if (pct >= 0) host = host.slice(0, pct);
  if (host.startsWith("::ffff:") && host.includes(".")) host = host.slice(7);
  return { address: host, port: portStr === "*" ? 0 : Number(portStr) };
}

/** Parse `ss -tan[e][p]` output (header optional). Fills inode (`ino:`) and pid (`users:(("x",pid=N,fd=M))`). */
export function parseSs(text: string): TcpSocket[] {
  const out: TcpSocket[] = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("State") || line.startsWith("Recv-Q")) continue;
    const f = fields(line);
    if (f.length < 5) continue;
    // Without a state filter the first column is the state; `ss state X` omits it.
    let k = 0;
    let state: TcpState | undefined = SS_STATES[f[0]!];
    if (state) k = 1;
    else if (/^\d+$/.test(f[0]!)) state = "UNKNOWN";
    else continue;
    const local = splitHostPort(f[k + 2]!);
    const remote = splitHostPort(f[k + 3]!);
    const sock: TcpSocket = { state, localAddress: local.address, localPort: local.port, remoteAddress: remote.address, remotePort: remote.port };
    if (state !== "LISTEN") sock.sendQueue = Number(f[k + 1]) || 0; // Send-Q (a LISTEN socket's is its backlog)
    const rest = f.slice(k + 4).join(" ");
    const ino = /\bino:(\d+)/.exec(rest);
    if (ino) sock.inode = Number(ino[1]);
    const uid = /\buid:(\d+)/.exec(rest);
    if (uid) sock.uid = Number(uid[1]);
    const pid = /pid=(\d+)/.exec(rest);
    if (pid) sock.pid = Number(pid[1]);
    out.push(sock);
  }
  return out;
}

/** Fields of /proc/PID/stat; the command may contain spaces and parentheses, so split after the last ")". */
export function parseStat(text: string): { comm: string; state: string; ppid: number; starttime: number; utime: number; stime: number } | undefined {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) return undefined;
  const f = text.slice(close + 2).split(" ");
  if (f.length < 20) return undefined;
  return { comm: text.slice(open + 1, close), state: f[0]!, ppid: Number(f[1]), utime: Number(f[11]), stime: Number(f[12]), starttime: Number(f[19]) };
}

/** CPU used by this process's reaped children (ms), from /proc/self/stat cutime + cstime. */
function childCpuMs(): number {
  const st = tryRead("/proc/self/stat");
  if (!st) return 0;
  const f = st.slice(st.lastIndexOf(")") + 2).split(" ");
  return ((Number(f[13]) + Number(f[14])) / ticksPerSecond()) * 1000;
}

let bootTimeMs: number | undefined;
let clkTck: number | undefined;
function bootTime(): number {
  if (bootTimeMs === undefined) {
    try {
      const m = /^btime (\d+)/m.exec(fs.readFileSync("/proc/stat", "latin1"));
      bootTimeMs = m ? Number(m[1]) * 1000 : 0;
    } catch {
      bootTimeMs = 0;
    }
  }
  return bootTimeMs;
}
function ticksPerSecond(): number {
  if (clkTck === undefined) {
    try {
      clkTck = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8", timeout: 2000 }).trim()) || 100;
    } catch {
      clkTck = 100;
    }
  }
  return clkTck;
}

interface StaticInfo {
  argv: string[];
  uid: number;
  cwd?: string;
  exe?: string;
  fdLimit?: number;
  readAtSample: number;
}

export interface LinuxReaderOptions {
  /** "proc" | "ss" | "auto" (auto: ss when present and measured faster; /proc otherwise). */
  socketBackend?: "proc" | "ss" | "auto";
  /** Re-read command line, cwd, exe and limits of a known process every N samples (tiered sampling). */
  refreshEvery?: number;
  /** Skip FD counting. */
  countFds?: boolean;
  /** Tiered process scan: walk /proc/PID every N samples, reuse the last table in between (serve mode). */
  processEvery?: number;
  /** Tiered FD counting: recount every process every N samples; in between only those above 25 % of their limit. */
  fdEvery?: number;
  procRoot?: string;
}

function tryRead(path: string, encoding: BufferEncoding = "latin1"): string | undefined {
  try {
    return fs.readFileSync(path, encoding);
  } catch {
    return undefined;
  }
}
function tryReadlink(path: string): string | undefined {
  try {
    return fs.readlinkSync(path);
  } catch {
    return undefined;
  }
}

/** Stateful reader: caches per-process static facts keyed by (pid, start time). */
export class LinuxReader {
  private cache = new Map<string, StaticInfo>();
  private fdCache = new Map<string, number>();
  private lastProcesses: ProcInfo[] | undefined;
  private sample = 0;
  private ssPath: string | null | undefined;
  private timings = { proc: Number.NaN, ss: Number.NaN };
  private readonly root: string;
  /** FD names read while counting in this sample (reused by the owner scan: one readdir per process). */
  private fdLists = new Map<number, string[]>();
  /** Where each wanted socket was found last time (inode → pid, fd): one readlink confirms it next time. */
  private owners = new Map<number, { pid: number; fd: string }>();
  constructor(private readonly opts: LinuxReaderOptions = {}) {
    this.root = opts.procRoot ?? "/proc";
  }

  async read(): Promise<HostRead> {
    this.sample++;
    this.fdLists.clear();
    const errors: string[] = [];
    // The socket read first: with `ss` it is a child process, so the (synchronous) /proc walk
    // below runs while it works — on two cores the two overlap instead of adding up.
    const socketsRead = this.readSockets(errors);
    const every = this.opts.processEvery ?? 1;
    const processes = this.lastProcesses && (this.sample - 1) % every !== 0 ? this.lastProcesses.filter((p) => fs.existsSync(`${this.root}/${p.pid}`)) : this.readProcesses();
    const [sockets, backend] = await socketsRead;
    this.lastProcesses = processes;
    const root = this.root;
    return {
      platform: "linux",
      backend: `proc+${backend}`,
      processes,
      sockets,
      errors,
      resolveOwners: (inodes, pids) => this.resolveOwners(root, inodes, pids),
    };
  }

  /**
   * Socket inode → owning PID. First the places the sockets were found last sample (a readlink
   * each confirms them: FD numbers are reused), then `/proc/PID/fd` of the candidates in the
   * order given, reusing this sample's FD listings, stopping once every inode is found.
   */
  private resolveOwners(root: string, inodes: Set<number>, pids: number[]): Map<number, number> {
    const found = new Map<number, number>();
    const seen = new Map<number, { pid: number; fd: string }>();
    if (inodes.size === 0) {
      this.owners = seen;
      return found;
    }
    for (const ino of inodes) {
      const at = this.owners.get(ino);
      if (at && tryReadlink(`${root}/${at.pid}/fd/${at.fd}`) === `socket:[${ino}]`) {
        found.set(ino, at.pid);
        seen.set(ino, at);
      }
    }
    if (found.size < inodes.size) {
      const done = new Set<number>();
      scan: for (const pid of pids) {
        if (done.has(pid)) continue;
        done.add(pid);
        let fds = this.fdLists.get(pid);
        if (!fds) {
          try {
            fds = fs.readdirSync(`${root}/${pid}/fd`);
          } catch {
            continue;
          }
        }
        for (const fd of fds) {
          const link = tryReadlink(`${root}/${pid}/fd/${fd}`);
          if (!link || !link.startsWith("socket:[")) continue;
          const ino = Number(link.slice(8, -1));
          if (inodes.has(ino) && !found.has(ino)) {
            found.set(ino, pid);
            seen.set(ino, { pid, fd });
            if (found.size === inodes.size) break scan;
          }
        }
      }
    }
    this.owners = seen; // bounded: only this sample's wanted sockets
    return found;
  }

  private hasSs(): boolean {
    if (this.ssPath === undefined) {
      this.ssPath = null;
      for (const p of ["/usr/bin/ss", "/bin/ss", "/usr/sbin/ss", "/sbin/ss"]) if (fs.existsSync(p)) { this.ssPath = p; break; }
    }
    return this.ssPath !== null;
  }

  private async readSockets(errors: string[]): Promise<[TcpSocket[], string]> {
    const mode = this.opts.socketBackend ?? "auto";
    let useSs = mode === "ss" && this.hasSs();
    if (mode === "auto" && this.hasSs()) {
      // Measure both once, then every 60 samples, and keep the faster.
      // ss (netlink) first: reading /proc/net/tcp walks the whole established hash table (262,144 buckets
      // on a small VM: ~40-90 ms even with 50 sockets). /proc is timed on the 2nd sample and every 60th after.
      const phase = this.sample % 60;
      if (phase === 1) useSs = true;
      else if (phase === 2) useSs = false;
      else useSs = !(this.timings.proc < this.timings.ss);
    }
    // Compare CPU, not wall time: the /proc/net/tcp walk is kernel CPU in this process, ss's cost is
    // the child's CPU (reaped → this process's cutime/cstime); spawn latency under load is not cost.
    const c0 = childCpuMs();
    if (useSs) {
      try {
        const text = await new Promise<string>((resolve, reject) =>
          execFile(this.ssPath!, ["-tanHe"], { encoding: "utf8", timeout: 10_000, maxBuffer: 256 * 1024 * 1024 }, (err, stdout) => (err ? reject(err) : resolve(stdout))),
        );
        this.timings.ss = Math.max(childCpuMs() - c0, 1);
        return [parseSs(text), "ss"];
      } catch (e) {
        errors.push(`ss failed (${(e as Error).message.split("\n")[0]}); using /proc/net/tcp`);
        this.timings.ss = Number.POSITIVE_INFINITY;
      }
    }
    const u1 = process.cpuUsage();
    const sockets: TcpSocket[] = [];
    for (const f of ["tcp", "tcp6"]) {
      const text = tryRead(`${this.root}/net/${f}`);
      if (text === undefined) {
        if (f === "tcp") errors.push(`cannot read ${this.root}/net/${f}`);
        continue;
      }
      for (const s of parseProcNetTcp(text)) sockets.push(s);
    }
    const du = process.cpuUsage(u1);
    this.timings.proc = (du.user + du.system) / 1000;
    return [sockets, "procnet"];
  }

  private readProcesses(): ProcInfo[] {
    const root = this.root;
    const refreshEvery = this.opts.refreshEvery ?? 12;
    const countFds = this.opts.countFds ?? true;
    const fdEvery = this.opts.fdEvery ?? 3;
    let names: string[];
    try {
      names = fs.readdirSync(root);
    } catch {
      return [];
    }
    const boot = bootTime();
    const tck = ticksPerSecond();
    const seen = new Set<string>();
    const out: ProcInfo[] = [];
    for (const name of names) {
      const c0 = name.charCodeAt(0);
      if (c0 < 48 || c0 > 57) continue;
      const pid = Number(name);
      const statText = tryRead(`${root}/${pid}/stat`);
      if (!statText) continue; // vanished
      const st = parseStat(statText);
      if (!st) continue;
      if (pid === 2 || st.ppid === 2) continue; // kernel threads (children of kthreadd)
      const key = `${pid}:${st.starttime}`;
      seen.add(key);
      let info = this.cache.get(key);
      if (!info || this.sample - info.readAtSample >= refreshEvery) {
        const cmdline = tryRead(`${root}/${pid}/cmdline`, "utf8");
        if (cmdline === undefined) continue; // vanished
        const argv = cmdline.length ? cmdline.replace(/\0+$/, "").split("\0") : [];
        let uid = -1;
        try {
          uid = fs.statSync(`${root}/${pid}`).uid;
        } catch {
          continue;
        }
        let fdLimit: number | undefined;
        const limits = tryRead(`${root}/${pid}/limits`);
        if (limits) {
          const m = /^Max open files\s+(\S+)/m.exec(limits);
          if (m && m[1] !== "unlimited") fdLimit = Number(m[1]);
        }
        info = {
          argv,
          uid,
          cwd: tryReadlink(`${root}/${pid}/cwd`),
          exe: tryReadlink(`${root}/${pid}/exe`),
          fdLimit,
          readAtSample: this.sample,
        };
        this.cache.set(key, info);
      }
      // Kernel threads: no command line, not a zombie, no exe.
      if (info.argv.length === 0 && st.state !== "Z" && info.exe === undefined) continue;
      const p: ProcInfo = {
        pid, ppid: st.ppid, uid: info.uid, state: st.state, comm: st.comm, argv: info.argv,
        startedAt: boot ? boot + (st.starttime / tck) * 1000 : Number.NaN,
        cwd: info.cwd, exe: info.exe, fdLimit: info.fdLimit,
      };
      if (countFds && st.state !== "Z") {
        const last = this.fdCache.get(key);
        const due = last === undefined || (this.sample - 1) % fdEvery === 0 || (info.fdLimit !== undefined && last > info.fdLimit * 0.25);
        if (due) {
          try {
            const list = fs.readdirSync(`${root}/${pid}/fd`);
            p.fds = list.length;
            if (list.length > 32) this.fdLists.set(pid, list);
            this.fdCache.set(key, p.fds);
          } catch {
            /* not ours or vanished */
          }
        } else p.fds = last;
      }
      out.push(p);
    }
    for (const k of this.cache.keys()) if (!seen.has(k)) this.cache.delete(k);
    for (const k of this.fdCache.keys()) if (!seen.has(k)) this.fdCache.delete(k);
    return out;
  }
}

