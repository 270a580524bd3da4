#!/usr/bin/env node
/**
 * Probe bench (figures, not asserts):
 *  1. One full sample with BENCH_CONNECTIONS × 2 loopback sockets (default 7,000 × 2 = 14,000 ESTABLISHED)
 *     vs `ss -tanp` in the same run → ratio (target ≤ 1.0), for both socket readers.
 *  2. After closing BENCH_CLOSE (default 2,000) server ends: 10,000 ESTABLISHED + 2,000 CLOSE-WAIT
 *     (+ 2,000 FIN-WAIT-2); the probe maps every CLOSE-WAIT socket to its PID. One-shot (a fresh
 *     Sampler per sample, cloud-host DNS on as in a real run) and serving (one Sampler, tiered).
 *  3. CPU of a serving probe over BENCH_SERVE_SECONDS (default 60; 0 skips) at a 5 s interval (target ≤ 0.5 %).
 * Medians of BENCH_ROUNDS (default 5) alternating runs. Every child is killed by PID at the end.
 */
import { execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const { sampleOnce, Sampler } = await import(path.join(root, "dist/server/probe/sample.js"));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 7000); // × 2 ends = 14,000 sockets
const CLOSE = Number(process.env.BENCH_CLOSE ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SERVE_SECONDS = Number(process.env.BENCH_SERVE_SECONDS ?? 60);
const kids = [];

function holder() {
  const code = `
    const net = require("net"); const keep = []; let n = 0; const N = ${CONNECTIONS};
    const server = net.createServer({ allowHalfOpen: true }, (s) => { keep.push(s); served.push(s); s.on("error", () => {}); });
    const served = []; process.stdin.on("data", () => { let k = 0; for (const s of served) { if (k++ >= ${CLOSE}) break; s.end(); } setTimeout(() => console.log("closed"), 1000); });
    server.listen(0, "127.0.0.1", () => {
      const port = server.address().port;
      const next = () => { if (n >= N) return console.log("ready"); const c = net.connect({ port, host: "127.0.0.1", allowHalfOpen: true }, () => { n++; next(); }); c.on("error", () => {}); keep.push(c); };
      for (let i = 0; i < 50; i++) next();
    });`;
  const c = spawn("/bin/sh", ["-c", `ulimit -n ${CONNECTIONS * 2 + 500} 2>/dev/null; exec "${process.execPath}" -e '${code}'`], { stdio: ["pipe", "pipe", "inherit"] });
  kids.push(c);
  return c;
}

function waitLine(c, word) {
  return new Promise((resolve) => {
    let out = "";
    const on = (d) => {
      out += d;
      if (out.includes(word)) {
        c.stdout.off("data", on);
        resolve();
      }
    };
    c.stdout.on("data", on);
  });
}

function timeSs() {
  const t0 = performance.now();
  return new Promise((resolve) => execFile("ss", ["-tanp"], { maxBuffer: 512 * 1024 * 1024 }, () => resolve(performance.now() - t0)));
}

async function timeSample(backend, sampler) {
  const t0 = performance.now();
  const s = sampler ? await sampler.sample() : await sampleOnce({ endpoints: [], socketBackend: backend });
  return { ms: performance.now() - t0, s };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function round(label, modes = ["one-shot"]) {
  const rows = [];
  for (const mode of modes) {
    for (const backend of ["proc", "ss"]) {
      const probe = [];
      const ss = [];
      let last;
      const sampler = mode === "serving" ? new Sampler({ endpoints: [], socketBackend: backend }, { raiseAfter: 3, clearAfter: 3 }) : undefined;
      if (sampler) await sampler.sample(); // warm: the serving probe has sampled before
      for (let i = 0; i < ROUNDS; i++) {
        ss.push(await timeSs());
        const r = await timeSample(backend, sampler);
        probe.push(r.ms);
        last = r.s;
      }
      sampler?.close();
      const byState = last.sockets.byState;
      rows.push({ mode, backend, probe: median(probe), ss: median(ss), sockets: last.sockets.total, established: byState.ESTABLISHED ?? 0, closeWait: byState.CLOSE_WAIT ?? 0, grouped: last.sockets.closeWait.reduce((n, g) => n + (g.pid ? g.count : 0), 0) });
    }
  }
  for (const r of rows) {
    console.log(`  ${label} [${r.mode}, ${r.backend} reader] ${r.sockets} sockets (${r.established} ESTABLISHED, ${r.closeWait} CLOSE-WAIT, ${r.grouped} mapped to a PID): full sample ${r.probe.toFixed(1)} ms, ss -tanp ${r.ss.toFixed(1)} ms → ratio ${(r.probe / r.ss).toFixed(2)} (target ≤ 1.0)`);
  }
  return rows;
}

async function serveCpu(viaCli) {
  const state = fs.mkdtempSync(path.join(os.tmpdir(), "gw-bench-"));
  const moduleOnly = `const { startServer } = await import(${JSON.stringify(path.join(root, "dist/server/probe/serve.js"))}); await startServer({ intervalMs: 5000 }); console.log('"serving"');`;
  const args = viaCli ? [path.join(root, "dist/server/cli.js"), "probe", "--serve", "--json", "--interval", "5000"] : ["--input-type=module", "-e", moduleOnly];
  const c = spawn(process.execPath, args, { env: { ...process.env, GHOSTWATCH_STATE_DIR: state }, stdio: ["ignore", "pipe", "inherit"] });
  kids.push(c);
  await waitLine(c, '"serving"');
  await new Promise((r) => setTimeout(r, 6000)); // past start-up and the first sample
  const ticks = () => {
    const f = fs.readFileSync(`/proc/${c.pid}/stat`, "utf8");
    const x = f.slice(f.lastIndexOf(")") + 2).split(" ");
    return Number(x[11]) + Number(x[12]) + Number(x[13]) + Number(x[14]); // own + reaped children (ss)
  };
  const t0 = ticks();
  const w0 = Date.now();
  await new Promise((r) => setTimeout(r, SERVE_SECONDS * 1000));
  const used = (ticks() - t0) / 100; // CLK_TCK 100
  const wall = (Date.now() - w0) / 1000;
  console.log(`  serving probe at 5 s interval (${viaCli ? "ghostwatch probe --serve" : "probe module alone, without the CLI's ESLint import"}): ${(used / wall * 100).toFixed(2)} % of one core over ${wall.toFixed(0)} s (target ≤ 0.5 %)`);
  try { process.kill(c.pid, "SIGTERM"); } catch {}
  fs.rmSync(state, { recursive: true, force: true });
}

try {
  console.log(`probe bench (${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)})`);
  if (process.platform !== "linux") {
    console.log("  socket bench needs Linux (/proc, ss); skipped");
  } else {
    const h = holder();
    await waitLine(h, "ready");
    await round(`${CONNECTIONS * 2} loopback sockets`);
    h.stdin.write("close\n");
    await waitLine(h, "closed");
    await round(`after closing ${CLOSE} server ends`, ["one-shot", "serving"]);
    try { process.kill(h.pid, "SIGKILL"); } catch {}
    if (SERVE_SECONDS > 0) {
      await serveCpu(true);
      await serveCpu(false);
    }
  }
} finally {
  for (const k of kids) try { process.kill(k.pid, "SIGKILL"); } catch {}
}
