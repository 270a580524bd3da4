#!/usr/bin/env node
/**
 * `npm run bench` (after the build): runs every `scripts/bench/*.mjs` in turn, each in its own
 * Node process, with a header per file, and prints their output. Figures, not asserts: a bench
 * that fails is reported and the next one still runs; the exit code is 1 if any failed.
 * `npm run bench -- rules probe` runs only `scripts/bench/rules.mjs` and `scripts/bench/probe.mjs`.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dir = path.join(root, "scripts", "bench");
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".mjs"))
  .filter((f) => !only.length || only.some((w) => f === w || f === `${w}.mjs`))
  .sort();

const failed = [];
for (const f of files) {
  process.stdout.write(`\n\x1b[1m== bench: ${f} ==\x1b[0m\n`);
  const t = performance.now();
  const r = spawnSync(process.execPath, [path.join(dir, f)], { cwd: root, stdio: "inherit", env: process.env });
  const secs = ((performance.now() - t) / 1000).toFixed(1);
  if (r.status !== 0) {
    failed.push(f);
    process.stdout.write(`-- ${f} failed (exit ${r.status ?? r.signal}) after ${secs}s\n`);
  } else {
    process.stdout.write(`-- ${f} done in ${secs}s\n`);
  }
}
process.stdout.write(`\n${files.length} bench file(s) run${failed.length ? `, failed: ${failed.join(", ")}` : ", all completed"}\n`);
process.exitCode = failed.length ? 1 : 0;
