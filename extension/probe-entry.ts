/**
 * The probe process the extension starts when none serves: `ghostwatch probe --serve`
 * plus a lease watchdog. Bundled as `dist/probe.mjs` in the .vsix.
 *
 *   node probe.mjs --port N --state-dir DIR [probe options…]
 *
 * It records itself in `DIR/extension-probe.json` and stops itself once no Ghostwatch
 * window holds a lease (`DIR/extension-leases/<pid>` of a live process) for two checks
 * in a row — also when the windows died without saying goodbye.
 */
import * as fs from "node:fs";
import { Command } from "commander";
import { registerProbeCommand } from "../server/probe/command.js";
import { liveLeases, ownerFilePath, readOwnerFile } from "./probe-owner.js";

const argv = process.argv.slice(2);
function take(flag: string): string | undefined {
  const i = argv.indexOf(flag);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  argv.splice(i, 2);
  return v;
}

const port = take("--port") ?? "0";
const stateDir = take("--state-dir") ?? process.env.GHOSTWATCH_STATE_DIR;
if (!stateDir) {
  console.error("probe.mjs: --state-dir or GHOSTWATCH_STATE_DIR is required");
  process.exit(3);
}
process.env.GHOSTWATCH_STATE_DIR = stateDir;
const checkMs = Number(process.env.GHOSTWATCH_LEASE_CHECK_MS ?? 1000);

fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
fs.writeFileSync(ownerFilePath(stateDir), JSON.stringify({ pid: process.pid, port: Number(port), startedAt: new Date().toISOString(), by: process.ppid }));

function dropOwnerFile(): void {
  try {
    if (readOwnerFile(stateDir!)?.pid === process.pid) fs.unlinkSync(ownerFilePath(stateDir!));
  } catch {
    /* gone */
  }
}
process.on("exit", dropOwnerFile);

let empty = 0;
let stopping = false;
const watchdog = setInterval(() => {
  if (stopping) return;
  empty = liveLeases(stateDir).length ? 0 : empty + 1;
  if (empty >= 2) {
    stopping = true;
    console.log(`[${new Date().toISOString()}] no Ghostwatch window holds a lease: stopping the probe (PID ${process.pid})`);
    dropOwnerFile();
    // Let the probe's own SIGTERM handling release its lock; make sure we do exit.
    setTimeout(() => process.exit(0), 3000).unref();
    process.kill(process.pid, "SIGTERM");
  }
}, checkMs);
watchdog.unref(); // the probe's server keeps the process alive, not this timer

for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
  process.once(sig, () => {
    // Give the probe's own handler (lock release) a moment, then make sure we leave.
    setTimeout(() => process.exit(0), 1500).unref();
  });
}

const program = new Command("ghostwatch").exitOverride();
registerProbeCommand(program);
console.log(`[${new Date().toISOString()}] probe PID ${process.pid} serving on 127.0.0.1:${port} for Ghostwatch windows (state ${stateDir})`);
program
  .parseAsync(["node", "ghostwatch", "probe", "--serve", "--port", port, ...argv])
  .catch((e: unknown) => {
    console.error(`probe failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(3);
  });
