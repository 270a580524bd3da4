#!/usr/bin/env node
// `npm start`: lint the bundled zombie agent (findings with their reach chains), then one
// probe report of this host. Findings are the point of the demo, so lint's exit code 1 is
// expected here; anything else (a crash, a missing build) fails the demo.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(root, "dist/server/cli.js");
const example = path.join("examples", "zombie-agent");

function section(title) {
  process.stdout.write(`\n\x1b[1m== ${title} ==\x1b[0m\n`);
}

function run(args, okCodes) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: "inherit", timeout: 120_000 });
  if (r.error) throw r.error;
  if (!okCodes.includes(r.status ?? -1)) {
    process.stderr.write(`ghostwatch ${args.join(" ")} exited with ${r.status ?? r.signal}\n`);
    process.exit(1);
  }
  return r.status;
}

if (!existsSync(cli)) {
  process.stderr.write("dist/ is missing: run `npm run build` first (npm start does this).\n");
  process.exit(1);
}

section(`ghostwatch lint ${example}  (before it ships)`);
run(["lint", example], [0, 1]);

section("ghostwatch probe  (while it runs: this host)");
run(["probe"], [0, 1, 2]);

section("ghostwatch probe --explain  (the live join: sockets of the running agent → the lines behind them)");
if (process.platform !== "linux") process.stdout.write("(skipped: the live demo reads /proc; run it on Linux)\n");
else {
  const r = spawnSync(process.execPath, [path.join(root, "scripts/demo-live.mjs")], { cwd: root, stdio: "inherit", timeout: 120_000 });
  if (r.status !== 0) {
    process.stderr.write(`the live demo failed (${r.status ?? r.signal})\n`);
    process.exit(1);
  }
}
