/** Human-readable report of a snapshot (the default `ghostwatch probe` output). */
import type { Snapshot } from "./types.js";
import { stripControl } from "./redact.js";

function table(head: string[], rows: Array<Array<string | number | null>>): string {
  // Every cell may carry endpoint- or process-provided text: no terminal control reaches the screen.
  const cells = [head, ...rows.map((r) => r.map((c) => (c === null ? "-" : stripControl(String(c)))))];
  const widths = head.map((_, i) => Math.min(70, Math.max(...cells.map((r) => (r[i] ?? "").length))));
  const fit = (s: string, w: number) => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w));
  return cells.map((r) => "  " + r.map((c, i) => fit(c, widths[i]!)).join("  ").trimEnd()).join("\n");
}

export function renderTable(s: Snapshot): string {
  const out: string[] = [];
  out.push(`Ghostwatch probe — ${s.host.hostname} (${s.host.platform}, ${s.host.backend}) at ${s.sampledAt}, ${s.durationMs} ms`);
  out.push("");
  out.push("LLM endpoints");
  if (s.endpoints.length === 0) out.push("  (none checked)");
  else
    out.push(
      table(
        ["url", "status", "version", "latency", "models", "loaded", "cloud", "functional"],
        s.endpoints.map((e) => [
          e.url,
          e.ok ? "ok" : `${e.status}${e.configured ? "" : " (default)"}`,
          e.version,
          e.latencyMs === null ? null : `${e.latencyMs} ms`,
          e.models.length,
          e.loaded.join(", ") || "-",
          e.cloudModels.length ? `${e.cloudModels.length} cloud model(s)` : e.cloud?.disabled === false ? "enabled" : "-",
          e.functional ? (e.functional.ok ? `ok ${e.functional.latencyMs} ms` : `FAILED: ${e.functional.error}`) : "-",
        ]),
      ),
    );
  for (const e of s.endpoints) if (e.error) out.push(`    ${e.url}: ${e.error}`);
  out.push("");
  out.push(`TCP sockets (${s.sockets.total}): ${Object.entries(s.sockets.byState).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(", ") || "none"}`);
  if (s.sockets.closeWait.length) {
    out.push("CLOSE-WAIT by process and remote");
    out.push(table(["pid", "count", "remote", "command"], s.sockets.closeWait.map((c) => [c.pid, c.count, c.remote, c.command])));
  }
  if (s.sockets.cloudLlm.length) {
    out.push("Connections to cloud LLM hosts");
    out.push(table(["pid", "host", "remote", "count", "command"], s.sockets.cloudLlm.map((c) => [c.pid, c.host, c.remote, c.count, c.command])));
  }
  out.push("");
  out.push("File descriptors (highest use first)");
  out.push(table(["pid", "open", "limit", "use", "command"], s.fds.slice(0, 10).map((f) => [f.pid, f.open, f.limit, f.ratio === null ? null : `${Math.round(f.ratio * 100)}%`, f.command])));
  out.push("");
  const p = s.processes;
  out.push(`Processes: ${p.total} total, ${p.zombies.length} zombie, ${p.orphans.length} orphaned, ${p.duplicates.length} duplicate group(s), ${p.stale.length} stale, ${p.longRunning.length} long-running`);
  if (p.zombies.length) out.push(table(["zombie", "parent", "parent command"], p.zombies.slice(0, 20).map((z) => [z.pid, z.ppid, z.parentCommand])));
  if (p.orphans.length) out.push(table(["orphan", "started", "command"], p.orphans.slice(0, 20).map((o) => [o.pid, o.startedAt, o.command])));
  if (p.duplicates.length) out.push(table(["copies", "pids", "cwd", "command"], p.duplicates.slice(0, 20).map((d) => [d.count, d.pids.slice(0, 6).join(",") + (d.pids.length > 6 ? ",…" : ""), d.cwd, d.command])));
  if (p.stale.length) out.push(table(["stale", "reason", "file", "command"], p.stale.slice(0, 20).map((x) => [x.pid, x.reason, x.file, x.command])));
  if (p.longRunning.length) out.push(table(["long", "age (h)", "command"], p.longRunning.slice(0, 20).map((x) => [x.pid, x.ageHours, x.command])));
  out.push("");
  if (s.warnings.length === 0) out.push("No warnings.");
  else {
    out.push(`Warnings (${s.warnings.length})`);
    for (const w of s.warnings) out.push(`  ${w.severity === "critical" ? "CRITICAL" : "WARNING "} [${w.kind}] ${w.message}`);
  }
  for (const e of s.errors) out.push(`  note: ${e}`);
  // Line by line, so the layout's own newlines survive while any control inside a line goes.
  return out.join("\n").split("\n").map((l) => stripControl(l)).join("\n") + "\n";
}
