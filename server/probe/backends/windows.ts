/**
 * Windows backend: one PowerShell call (`Get-NetTCPConnection`, `Get-CimInstance Win32_Process`)
 * returning JSON. The parser is a pure function tested on recorded output (test/probe/fixtures/windows-*).
 */
import { execFile } from "node:child_process";
import type { HostRead, ProcInfo, TcpSocket, TcpState } from "../types.js";

export const POWERSHELL_SCRIPT = [
  "$ErrorActionPreference='SilentlyContinue'",
  "$c = @(Get-NetTCPConnection | Select-Object LocalAddress,LocalPort,RemoteAddress,RemotePort,@{n='State';e={[string]$_.State}},OwningProcess)",
  "$p = @(Get-CimInstance Win32_Process | Select-Object ProcessId,ParentProcessId,Name,CommandLine,ExecutablePath,HandleCount,@{n='Created';e={if($_.CreationDate){$_.CreationDate.ToUniversalTime().ToString('o')}}})",
  "@{connections=$c;processes=$p} | ConvertTo-Json -Depth 3 -Compress",
].join("; ");

const WIN_STATES: Record<string, TcpState> = {
  Established: "ESTABLISHED", SynSent: "SYN_SENT", SynReceived: "SYN_RECV", FinWait1: "FIN_WAIT1", FinWait2: "FIN_WAIT2",
  TimeWait: "TIME_WAIT", Closed: "CLOSE", CloseWait: "CLOSE_WAIT", LastAck: "LAST_ACK", Listen: "LISTEN", Closing: "CLOSING",
  DeleteTCB: "CLOSE", Bound: "CLOSE",
  // Numeric enum values (when the State column was not stringified)
  "1": "CLOSE", "2": "LISTEN", "3": "SYN_SENT", "4": "SYN_RECV", "5": "ESTABLISHED", "6": "FIN_WAIT1", "7": "FIN_WAIT2",
  "8": "CLOSE_WAIT", "9": "CLOSING", "10": "LAST_ACK", "11": "TIME_WAIT", "12": "CLOSE",
};

/** Windows command lines: split respecting double quotes (CommandLineToArgvW, simplified). */
export function splitWindowsCommandLine(s: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  let any = false;
  for (const ch of s) {
    if (ch === '"') { quoted = !quoted; any = true; continue; }
    if (!quoted && /\s/.test(ch)) {
      if (cur || any) out.push(cur);
      cur = ""; any = false;
      continue;
    }
    cur += ch;
  }
  if (cur || any) out.push(cur);
  return out;
}

function parseDate(v: unknown): number {
  if (typeof v !== "string") return Number.NaN;
  const ms = /\/Date\((-?\d+)\)\//.exec(v);
  if (ms) return Number(ms[1]);
  return Date.parse(v);
}

/** Parse the JSON printed by POWERSHELL_SCRIPT. */
export function parsePowerShell(json: string): { processes: ProcInfo[]; sockets: TcpSocket[] } {
  const data = JSON.parse(json.replace(/^\uFEFF/, "")) as { connections?: unknown; processes?: unknown };
  const asArray = (v: unknown): Array<Record<string, unknown>> => (Array.isArray(v) ? v : v && typeof v === "object" ? [v] : []) as Array<Record<string, unknown>>;
  const sockets: TcpSocket[] = asArray(data.connections).map((c) => ({
    state: WIN_STATES[String(c.State)] ?? "UNKNOWN",
    localAddress: String(c.LocalAddress ?? "").replace(/^::ffff:(?=\d+\.)/, ""),
    localPort: Number(c.LocalPort ?? 0),
    remoteAddress: String(c.RemoteAddress ?? "").replace(/^::ffff:(?=\d+\.)/, ""),
    remotePort: Number(c.RemotePort ?? 0),
    pid: Number(c.OwningProcess ?? 0),
  }));
  const processes: ProcInfo[] = asArray(data.processes).map((p) => {
    const cmd = typeof p.CommandLine === "string" ? p.CommandLine : "";
    return {
      pid: Number(p.ProcessId), ppid: Number(p.ParentProcessId ?? 0), uid: -1, state: "R",
      comm: String(p.Name ?? ""), argv: cmd ? splitWindowsCommandLine(cmd) : [],
      startedAt: parseDate(p.Created ?? p.CreationDate),
      exe: typeof p.ExecutablePath === "string" ? p.ExecutablePath : undefined,
      fds: typeof p.HandleCount === "number" ? p.HandleCount : undefined,
    };
  });
  return { processes, sockets };
}

export class WindowsReader {
  async read(): Promise<HostRead> {
    const errors: string[] = [];
    const text = await new Promise<string>((resolve) =>
      execFile("powershell.exe", ["-NoProfile", "-NonInteractive", "-Command", POWERSHELL_SCRIPT], { encoding: "utf8", timeout: 20_000, maxBuffer: 256 * 1024 * 1024, windowsHide: true }, (err, stdout) => {
        if (err && !stdout) errors.push(`powershell: ${err.message}`);
        resolve(stdout ?? "");
      }),
    );
    try {
      const { processes, sockets } = parsePowerShell(text || "{}");
      return { platform: "win32", backend: "powershell", processes, sockets, errors };
    } catch (e) {
      errors.push(`powershell output unreadable: ${(e as Error).message}`);
      return { platform: "win32", backend: "powershell", processes: [], sockets: [], errors };
    }
  }
}
