#!/usr/bin/env node
/**
 * `npm run stress`: runs every scripts/stress/*.mjs (this file aside) one after another, each in
 * its own process group with a time limit, collects the `STRESS-ROW <json>` lines they print
 * ({ suite, metric, value, target, ok }) and prints ONE table. Arguments are passed on to every
 * suite (e.g. `npm run stress -- --files 10000`); `--only fuzz,lsp` picks suites. Exit 1 when a
 * row is not ok or a suite failed. Not part of `npm test`.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const onlyAt = argv.indexOf("--only");
const only = onlyAt >= 0 ? new Set(argv[onlyAt + 1].split(",")) : undefined;
const passOn = onlyAt >= 0 ? argv.filter((_, i) => i !== onlyAt && i !== onlyAt + 1) : argv;
const LIMIT_MS = Number(process.env.GHOSTWATCH_STRESS_SUITE_SECONDS ?? 1800) * 1000;

const suites = fs
  .readdirSync(here)
  .filter((f) => f.endsWith(".mjs") && f !== "index.mjs")
  .map((f) => f.replace(/\.mjs$/, ""))
  .filter((s) => !only || only.has(s))
  .sort();

function run(suite) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [path.join(here, `${suite}.mjs`), ...passOn], { stdio: ["ignore", "pipe", "pipe"], detached: true });
    const rows = [];
    let buf = "";
    child.stdout.on("data", (d) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const m = /^STRESS-ROW (.*)$/.exec(line);
        if (m) {
          try {
            rows.push(JSON.parse(m[1]));
          } catch {
            rows.push({ suite, metric: "unreadable STRESS-ROW", value: line.slice(0, 60), target: "-", ok: false });
          }
        } else process.stdout.write(`[${suite}] ${line}\n`);
      }
    });
    child.stderr.on("data", (d) => process.stderr.write(String(d).replace(/^(?=.)/gm, `[${suite}] `)));
    // The suite and everything it started are one process group: stopped together, by its id.
    const timer = setTimeout(() => {
      rows.push({ suite, metric: `finished within ${LIMIT_MS / 1000} s`, value: "no (stopped)", target: "yes", ok: false });
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }, LIMIT_MS);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (!rows.length || (code !== 0 && code !== 1)) rows.push({ suite, metric: "suite exit", value: signal ?? code, target: "0 or 1", ok: false });
      resolve({ suite, rows, seconds: (Date.now() - started) / 1000 });
    });
  });
}

const all = [];
for (const s of suites) {
  process.stderr.write(`stress: ${s}…\n`);
  const r = await run(s);
  all.push(...r.rows.map((row) => ({ suite: s, ...row })));
  all.push({ suite: s, metric: "suite wall time (s)", value: r.seconds.toFixed(0), target: "-", ok: true });
}

const cells = [["suite", "metric", "value", "target", "ok"], ...all.map((r) => [r.suite, r.metric, String(r.value), String(r.target), r.ok ? "✓" : "✗"])];
const widths = cells[0].map((_, c) => Math.max(...cells.map((row) => [...row[c]].length)));
const line = (row) => `| ${row.map((v, c) => v + " ".repeat(widths[c] - [...v].length)).join(" | ")} |`;
console.log("");
console.log(line(cells[0]));
console.log(`| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`);
for (const row of cells.slice(1)) console.log(line(row));
process.exitCode = all.every((r) => r.ok) ? 0 : 1;
