/**
 * The probe's data model. `Snapshot` is the SPEC §4 object printed by `ghostwatch probe --json`
 * and served by `GET /health`; extra fields are additive only (the contract is documented in docs/probe.md).
 */

/** One process as a backend reads it (commands are redacted before they leave the probe). */
export interface ProcInfo {
  pid: number;
  ppid: number;
  /** Owner uid, or -1 when unknown (Windows). */
  uid: number;
  /** Single-letter state: R S D Z T … (Linux/macOS first letter of ps STAT); "R" on Windows. */
  state: string;
  /** Executable name (comm). */
  comm: string;
  /** argv; empty for kernel threads and zombies. */
  argv: string[];
  /** Start time, ms since epoch (NaN when unknown). */
  startedAt: number;
  /** Working directory when readable. */
  cwd?: string;
  /** Executable path; ends in " (deleted)" on Linux when the binary was replaced. */
  exe?: string;
  /** Open file descriptors (handles on Windows) when readable. */
  fds?: number;
  /** Soft limit on open files when readable. */
  fdLimit?: number;
}

export type TcpState =
  | "ESTABLISHED" | "SYN_SENT" | "SYN_RECV" | "FIN_WAIT1" | "FIN_WAIT2" | "TIME_WAIT" | "CLOSE"
  | "CLOSE_WAIT" | "LAST_ACK" | "LISTEN" | "CLOSING" | "NEW_SYN_RECV" | "UNKNOWN";

export interface TcpSocket {
  state: TcpState;
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  /** Socket inode (Linux) — used to find the owning process lazily. */
  inode?: number;
  /** Owning process when the backend already knows it (ss -p, lsof, PowerShell). */
  pid?: number;
  /** Owner uid of the socket when the reader knows it (Linux). */
  uid?: number;
  /** Bytes queued in the kernel for sending (Linux: /proc/net/tcp tx_queue, ss Send-Q). */
  sendQueue?: number;
}

/** What one backend read from the host in one sample. */
export interface HostRead {
  platform: string;
  backend: string;
  processes: ProcInfo[];
  sockets: TcpSocket[];
  /** Resolve owners of sockets lacking a pid (Linux /proc: lazy fd → inode scan). */
  resolveOwners?: (inodes: Set<number>, candidatePids: number[]) => Map<number, number>;
  errors: string[];
}

export interface FunctionalCheck {
  ok: boolean;
  model: string;
  latencyMs: number | null;
  error: string | null;
  /** keep_alive sent with the request (the model's remaining lifetime, so it is not extended). */
  keepAlive: string | null;
}

export interface EndpointModel {
  name: string;
  /** Set for Ollama cloud models (`remote_host` in /api/tags). */
  remoteHost?: string;
}

export interface EndpointStatus {
  url: string;
  kind: "ollama" | "openai";
  /** true when the endpoint answered its API correctly. */
  ok: boolean;
  /** up = answered, down = refused/unreachable, hanging = accepted but no answer in time, error = answered with an error. */
  status: "up" | "down" | "hanging" | "error";
  /** Whether the user configured it (explicit endpoints raise warnings when down; the implicit default does not). */
  configured: boolean;
  version: string | null;
  models: string[];
  loaded: string[];
  /** Installed models that run remotely (Ollama cloud models, `remote_host`). */
  cloudModels: string[];
  /** Ollama `/api/status` cloud section when the server has one. */
  cloud: { disabled: boolean | null; raw: unknown } | null;
  latencyMs: number | null;
  /** null when not run (disabled, nothing loaded, or not an Ollama endpoint). */
  functional: FunctionalCheck | null;
  error: string | null;
}

export interface ProcRef {
  pid: number;
  ppid: number;
  command: string;
}

export interface Warning {
  kind: string;
  severity: "warning" | "critical";
  message: string;
  pid?: number;
  /** Stable key used for hysteresis (kind + subject). */
  key: string;
}

export interface Snapshot {
  host: { hostname: string; platform: string; backend: string };
  endpoints: EndpointStatus[];
  sockets: {
    byState: Record<string, number>;
    total: number;
    /** `host`: the cloud LLM host (provider catalogue) the remote address belongs to, when known. */
    closeWait: Array<{ pid: number | null; command: string; remote: string; host?: string; count: number }>;
    cloudLlm: Array<{ pid: number | null; command: string; remote: string; host: string; count: number }>;
  };
  fds: Array<{ pid: number; command: string; open: number; limit: number | null; ratio: number | null }>;
  processes: {
    total: number;
    zombies: Array<ProcRef & { parentCommand: string }>;
    orphans: Array<ProcRef & { startedAt: string | null; pattern: string }>;
    duplicates: Array<{ command: string; cwd: string | null; count: number; pids: number[]; processes: ProcRef[] }>;
    stale: Array<ProcRef & { reason: "deleted-executable" | "script-changed"; file: string; startedAt: string | null; fileChangedAt: string | null }>;
    longRunning: Array<ProcRef & { startedAt: string; ageHours: number }>;
  };
  warnings: Array<Omit<Warning, "key">>;
  /** Warnings seen in this sample but not yet held for `raiseAfter` samples (serve mode only). */
  pending?: Array<Omit<Warning, "key">>;
  errors: string[];
  sampledAt: string;
  durationMs: number;
  /** Serve mode: model connections with their processes and the route audit (live evidence, docs/probe.md). */
  live?: import("../evidence/live.js").LiveSection;
}
