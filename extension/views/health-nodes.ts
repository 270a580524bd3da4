/**
 * The Host Health tree's nodes, built from one probe sample: endpoints, sockets, file
 * descriptors and processes, each with its evidence. Pure (no \`vscode\` import), so the
 * unit tests and the extension-host suite assert the same structure.
 */
import {
  closeWaitByProcess,
  closeWaitTotal,
  endpointLabel,
  fdPercent,
  type HealthSample,
  type ProbeWarning,
  type Thresholds,
} from "../health-model.js";

export interface HealthNode {
  id: string;
  label: string;
  description?: string;
  /** Evidence shown in the tooltip and copied by "Copy". */
  evidence?: string;
  icon?: string;
  color?: string;
  pid?: number;
  command?: string;
  contextValue?: string;
  children?: HealthNode[];
  expanded?: boolean;
  /** Reveal this place in the code when the node is clicked (live evidence: "opened by"). */
  open?: { uri: string; line: number };
}

/** Live evidence from the language server (`ghostwatch/liveEvidence`): per process and remote, the calls behind it. */
export interface OpenedBy {
  pid: number;
  remote: string;
  state: string;
  count: number;
  sites: Array<{ uri: string; line: number; function: string; call: string }>;
}

/** "opened by" children of a process node: the call sites whose sockets the process holds. */
export function openedByNodes(idBase: string, pid: number | null | undefined, openedBy: readonly OpenedBy[], state?: string): HealthNode[] {
  if (pid === null || pid === undefined) return [];
  const out: HealthNode[] = [];
  for (const e of openedBy) {
    if (e.pid !== pid || (state && e.state !== state)) continue;
    for (const site of e.sites) {
      const file = decodeURIComponent(site.uri.replace(/^.*\//, ""));
      const id = `${idBase}/opened-by/${site.uri}:${site.line}/${e.remote}/${e.state}`;
      if (out.some((n) => n.id === id)) continue;
      out.push({
        id,
        label: `opened by ${site.function}`,
        description: `${file}:${site.line} · ${e.count} ${e.state === "CLOSE_WAIT" ? "CLOSE-WAIT" : "established"} to ${e.remote}`,
        icon: "go-to-file",
        evidence: `${e.count} ${e.state.replace("_", "-")} socket(s) of PID ${pid} to ${e.remote} ← ${site.call} in ${site.function} (${file}:${site.line})`,
        open: { uri: site.uri, line: site.line },
      });
    }
  }
  return out;
}

const warnColor = "list.warningForeground";
const errColor = "list.errorForeground";
const okColor = "testing.iconPassed";

/** Builds the node tree from one sample (pure, so tests can assert it). */
export function buildHealthNodes(s: HealthSample, warnings: ProbeWarning[], t: Thresholds, openedBy: readonly OpenedBy[] = []): HealthNode[] {
  const nodes: HealthNode[] = [];
  if (warnings.length) {
    nodes.push({
      id: "warnings",
      label: "Warnings",
      description: String(warnings.length),
      icon: "warning",
      color: warnColor,
      expanded: true,
      children: warnings.map((w, i) => ({
        id: `warnings/${i}`,
        label: w.message,
        icon: "warning",
        color: warnColor,
        pid: w.pid,
        evidence: `${w.kind}: ${w.message}`,
        contextValue: w.pid ? "ghostwatch.process" : "ghostwatch.evidence",
      })),
    });
  }

  nodes.push({
    id: "endpoints",
    label: "Endpoints",
    description: `${s.endpoints.filter((e) => e.ok).length}/${s.endpoints.length} up`,
    icon: "plug",
    expanded: true,
    children: s.endpoints.map((e, i) => {
      const fn = typeof e.functional === "object" && e.functional ? e.functional.ok : e.functional;
      const children: HealthNode[] = [];
      if (e.version) children.push({ id: `ep/${i}/version`, label: "version", description: e.version, icon: "tag" });
      if (e.models?.length) children.push({ id: `ep/${i}/models`, label: "models installed", description: String(e.models.length), icon: "library", children: e.models.map((m, j) => ({ id: `ep/${i}/m/${j}`, label: m, icon: /cloud/.test(m) ? "cloud" : "circle-small" })) });
      children.push({ id: `ep/${i}/loaded`, label: "loaded", description: e.loaded?.length ? e.loaded.join(", ") : "none", icon: "chip" });
      if (fn !== undefined && fn !== null) children.push({ id: `ep/${i}/functional`, label: "functional check", description: fn ? "answers" : "up but not answering", icon: fn ? "pass" : "error", color: fn ? okColor : errColor });
      if (e.error) children.push({ id: `ep/${i}/error`, label: "error", description: e.error, icon: "error", color: errColor, evidence: e.error });
      return {
        id: `ep/${i}`,
        label: `${endpointLabel(e.url)}`,
        description: e.ok ? `✓ ${typeof e.latencyMs === "number" ? `${Math.round(e.latencyMs)} ms` : ""} ${e.url}` : `✗ ${e.url}`,
        icon: e.ok ? "pass" : "error",
        color: e.ok ? okColor : errColor,
        evidence: `${e.url} ${e.ok ? `reachable in ${e.latencyMs ?? "?"} ms${e.version ? `, version ${e.version}` : ""}` : `unreachable: ${e.error ?? "no answer"}`}`,
        contextValue: "ghostwatch.endpoint",
        children,
      };
    }),
  });

  const cw = closeWaitTotal(s);
  const byProc = closeWaitByProcess(s);
  const states = Object.entries(s.sockets.byState).sort((a, b) => b[1] - a[1]);
  nodes.push({
    id: "sockets",
    label: "Sockets",
    description: `CLOSE-WAIT ${cw}`,
    icon: "radio-tower",
    color: byProc.some((p) => p.count > t.closeWaitPerProcess) ? warnColor : undefined,
    expanded: true,
    children: [
      {
        id: "sockets/close-wait",
        label: "CLOSE-WAIT",
        description: `${cw} socket${cw === 1 ? "" : "s"} in ${byProc.length} process${byProc.length === 1 ? "" : "es"}`,
        icon: cw ? "debug-disconnect" : "pass",
        color: cw ? (byProc.some((p) => p.count > t.closeWaitPerProcess) ? warnColor : undefined) : okColor,
        expanded: cw > 0,
        evidence: `CLOSE-WAIT: the peer closed the connection, the process never did (threshold ${t.closeWaitPerProcess} per process)`,
        children: byProc.map((p) => ({
          id: `sockets/close-wait/${p.pid ?? "unknown"}`,
          label: p.pid === null ? "owner not visible (another user's process?)" : `${shortCommand(p.command) || "process"} (PID ${p.pid})`,
          description: `${p.count} CLOSE-WAIT`,
          icon: p.count > t.closeWaitPerProcess ? "warning" : "debug-disconnect",
          color: p.count > t.closeWaitPerProcess ? warnColor : undefined,
          pid: p.pid ?? undefined,
          command: p.command,
          evidence: `PID ${p.pid ?? "?"} ${p.command}\n${p.remotes.map((r) => `  ${r.count} × CLOSE-WAIT to ${r.remote}`).join("\n")}`,
          contextValue: p.pid ? "ghostwatch.process" : "ghostwatch.evidence",
          children: [
            ...openedByNodes(`sockets/close-wait/${p.pid ?? "unknown"}`, p.pid, openedBy, "CLOSE_WAIT"),
            ...p.remotes.map((r, j) => ({ id: `sockets/close-wait/${p.pid ?? "unknown"}/${j}`, label: r.remote, description: `${r.count}`, icon: "arrow-right", evidence: `${r.count} CLOSE-WAIT to ${r.remote}` })),
          ],
        })),
      },
      {
        id: "sockets/cloud",
        label: "Connections to cloud LLMs",
        description: String(s.sockets.cloudLlm.length),
        icon: "cloud",
        children: s.sockets.cloudLlm.map((c, j) => ({
          id: `sockets/cloud/${j}`,
          label: c.host,
          description: `${shortCommand(c.command)} (PID ${c.pid ?? "?"}) → ${c.remote}`,
          icon: "cloud",
          pid: c.pid ?? undefined,
          command: c.command,
          evidence: `PID ${c.pid ?? "?"} ${c.command} → ${c.host} (${c.remote})`,
          contextValue: c.pid ? "ghostwatch.process" : "ghostwatch.evidence",
          children: openedByNodes(`sockets/cloud/${j}`, c.pid, openedBy, "ESTABLISHED"),
        })),
      },
      {
        id: "sockets/states",
        label: "By state",
        description: states.map(([k, v]) => `${k.replace(/_/g, "-")} ${v}`).slice(0, 3).join(" · "),
        icon: "list-flat",
        children: states.map(([k, v]) => ({ id: `sockets/states/${k}`, label: k.replace(/_/g, "-"), description: String(v), icon: "circle-small" })),
      },
    ],
  });

  const fds = [...s.fds].sort((a, b) => (fdPercent(b) ?? 0) - (fdPercent(a) ?? 0) || b.open - a.open);
  const fdOver = (p: number | undefined) => p !== undefined && p > t.fdPercent;
  nodes.push({
    id: "fds",
    label: "File descriptors",
    description: fds[0] ? `max ${fdPercent(fds[0])?.toFixed(0) ?? "?"}% (${shortCommand(fds[0].command)})` : "no data",
    icon: "files",
    color: fds.some((f) => fdOver(fdPercent(f))) ? warnColor : undefined,
    children: fds.slice(0, 25).map((f) => {
      const pct = fdPercent(f);
      return {
        id: `fds/${f.pid}`,
        label: `${shortCommand(f.command)} (PID ${f.pid})`,
        description: `${f.open}/${f.limit ?? "?"}${pct !== undefined ? ` · ${pct.toFixed(0)}%` : ""}`,
        icon: fdOver(pct) ? "warning" : "file",
        color: fdOver(pct) ? warnColor : undefined,
        pid: f.pid,
        command: f.command,
        evidence: `PID ${f.pid} ${f.command}: ${f.open} open file descriptors, soft limit ${f.limit ?? "unknown"}`,
        contextValue: "ghostwatch.process",
      };
    }),
  });

  const groups: Array<[keyof HealthSample["processes"], string, string]> = [
    ["zombies", "Zombies", "Exited, never reaped by the parent"],
    ["orphans", "Orphans", "Parent gone (e.g. a test runner)"],
    ["duplicates", "Duplicates", "The same command running more than once"],
    ["stale", "Stale", "Started before its script or checkout last changed"],
  ];
  const procCount = groups.reduce((n, [k]) => n + ((s.processes[k] as unknown[]) ?? []).length, 0);
  nodes.push({
    id: "processes",
    label: "Processes",
    description: groups.map(([k, l]) => `${l.toLowerCase()} ${((s.processes[k] as unknown[]) ?? []).length}`).join(" · "),
    icon: "server-process",
    color: s.processes.zombies.length && t.zombies ? warnColor : undefined,
    expanded: procCount > 0,
    children: groups.map(([k, label, explain]) => {
      const list = (s.processes[k] as HealthSample["processes"]["zombies"]) ?? [];
      return {
        id: `processes/${k}`,
        label,
        description: String(list.length),
        icon: list.length ? (k === "zombies" ? "warning" : "circle-filled") : "pass",
        color: list.length ? (k === "zombies" ? warnColor : undefined) : okColor,
        evidence: explain,
        children: list.map((p, j) => (k === "duplicates" && !p.pid ? duplicateNode(p as unknown as Duplicate, j) : {
          id: `processes/${k}/${p.pid}`,
          label: `${shortCommand(p.command)} (PID ${p.pid})`,
          description: p.ppid !== undefined ? `parent ${p.ppid}` : undefined,
          icon: "server-process",
          pid: p.pid,
          command: p.command,
          evidence: `${label.replace(/s$/, "")}: PID ${p.pid} (parent ${p.ppid ?? "?"}) ${p.command}`,
          contextValue: "ghostwatch.process",
        })),
      };
    }),
  });
  return nodes;
}

interface Duplicate {
  command: string;
  count: number;
  pids?: number[];
  cwd?: string | null;
}

function duplicateNode(d: Duplicate, j: number): HealthNode {
  const pids = d.pids ?? [];
  return {
    id: `processes/duplicates/${j}/${pids.join(",")}`,
    label: shortCommand(d.command) || d.command,
    description: `× ${d.count ?? pids.length}`,
    icon: "copy",
    command: d.command,
    evidence: `${d.count ?? pids.length} processes run the same command${d.cwd ? ` in ${d.cwd}` : ""}:\n${d.command}\nPIDs ${pids.join(", ")}`,
    contextValue: "ghostwatch.evidence",
    children: pids.map((pid) => ({ id: `processes/duplicates/${j}/pid/${pid}`, label: `PID ${pid}`, icon: "server-process", pid, command: d.command, contextValue: "ghostwatch.process", evidence: `PID ${pid} ${d.command}` })),
  };
}

export function shortCommand(cmd: string | undefined): string {
  if (!cmd) return "";
  const argv = cmd.trim().split(/\s+/);
  const base = (argv[0] ?? "").split("/").pop() ?? "";
  if (!/^(node|nodejs|python\d*(\.\d+)?|bun|deno|tsx|ts-node)$/.test(base)) return base;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-e" || a === "--eval" || a === "-c" || a === "-p") return `${base} ${a}`; // inline code
    if (a === "-m") return `${base} -m ${argv[i + 1] ?? ""}`.trim();
    if (a.startsWith("-")) {
      if (/^--(require|import|loader|conditions|inspect-port|env-file)$/.test(a) || a === "-r") i++; // takes a value
      continue;
    }
    return `${base} ${a.split("/").pop()}`;
  }
  return base;
}
