/**
 * Issue 14 item 7: the probe's Prometheus exposition as exporters do it, checked with Prometheus'
 * own tool on the real thing — `promtool check metrics` on a real `--serve` /metrics and on
 * `--metrics`, `promtool test rules` on docs/prometheus-alerts.yml — plus bounded labels: six
 * scrapes while processes with CLOSE-WAIT sockets come and go give the same series set, and no
 * series carries a pid, command line or remote address.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOllama, type FakeOllama } from "./fake-ollama.js";
import { CLI, ROOT, killPid, killTracked, probe, startReady, tempDir, track } from "./helpers.js";

const INSTALL = "apt-get install -y --no-install-recommends prometheus   (Debian/Ubuntu: provides /usr/bin/promtool)";

function findPromtool(): string {
  for (const dir of [...(process.env.PATH ?? "").split(path.delimiter), "/usr/bin", "/usr/local/bin"]) {
    const p = path.join(dir, "promtool");
    if (dir && fs.existsSync(p)) return p;
  }
  throw new Error(`promtool not found on PATH: the Prometheus checks need it. Install it with: ${INSTALL}`);
}

const stateDir = tempDir("gw-prom-");
let ollama: FakeOllama;
let port = 0;

function get(p: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get({ host: "127.0.0.1", port, path: p, agent: false, headers: { host: `127.0.0.1:${port}` } }, (res) => {
      let b = "";
      res.on("data", (d) => (b += d));
      res.on("end", () => resolve(b));
    }).on("error", reject);
  });
}

function promtool(args: string[], input?: string, cwd?: string) {
  const r = spawnSync(findPromtool(), args, { input, cwd, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Series identities (name + labels) of an exposition, without values. */
const series = (text: string) => new Set(text.split("\n").filter((l) => l && !l.startsWith("#")).map((l) => l.slice(0, l.lastIndexOf(" "))));

beforeAll(async () => {
  ollama = await startFakeOllama("normal");
  const s = track(process.execPath, [CLI, "probe", "--serve", "--json", "--interval", "300", "--endpoint", `ollama=${ollama.url}`, "--endpoint", "http://127.0.0.1:9", "--functional"], { env: { ...process.env, GHOSTWATCH_STATE_DIR: stateDir } });
  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    s.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve(out);
    });
    s.on("exit", (c) => reject(new Error(`--serve exited ${c}`)));
  });
  port = JSON.parse(line).port;
  await new Promise((r) => setTimeout(r, 1500)); // a few samples: histograms and counters have data
}, 60_000);

afterAll(async () => {
  killTracked();
  await ollama?.close();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

describe("Prometheus exposition", () => {
  it("promtool is installed (the checks below need it)", () => {
    expect(() => findPromtool()).not.toThrow();
    expect(execFileSync(findPromtool(), ["--version"], { encoding: "utf8" })).toMatch(/promtool, version \d/);
  });

  it("`promtool check metrics` passes on a real --serve /metrics and on --metrics", async () => {
    const served = await get("/metrics");
    const once = await probe(["--metrics", "--endpoint", `ollama=${ollama.url}`]);
    for (const text of [served, once.stdout]) {
      expect(text).toMatch(/^ghostwatch_build_info\{version="\d+\.\d+\.\d+[^"]*",node_version="v[\d.]+",platform="linux"\} 1$/m);
      const r = promtool(["check", "metrics"], text);
      expect(r.out).toBe("");
      expect(r.code).toBe(0);
    }
  });

  it("exporter shapes: counters for failures, latency histograms, configured vs implicit endpoints, info metrics", async () => {
    const m = await get("/metrics");
    const down = "http://127.0.0.1:9";
    expect(m).toContain(`ghostwatch_endpoint_up{url="${ollama.url}",kind="ollama"} 1`);
    expect(m).toContain(`ghostwatch_endpoint_up{url="${down}",kind="ollama"} 0`);
    expect(m).toContain(`ghostwatch_endpoint_configured{url="${down}",kind="ollama"} 1`);
    expect(m).toContain(`ghostwatch_endpoint_info{url="${ollama.url}",kind="ollama",version="0.12.6"} 1`);
    expect(m).toMatch(new RegExp(`^ghostwatch_endpoint_check_failures_total\\{url="${down.replace(/[.:/]/g, "\\$&")}",reason="down"\\} [1-9]\\d*$`, "m"));
    expect(m).toContain(`ghostwatch_endpoint_check_failures_total{url="${ollama.url}",reason="down"} 0`);
    expect(m).toMatch(/^# TYPE ghostwatch_endpoint_request_duration_seconds histogram$/m);
    expect(m).toMatch(new RegExp(`^ghostwatch_endpoint_request_duration_seconds_count\\{url="${ollama.url.replace(/[.:/]/g, "\\$&")}"\\} [1-9]`, "m"));
    expect(m).toMatch(/^ghostwatch_endpoint_functional_ok\{url="[^"]+"\} 1$/m);
    expect(m).toMatch(/^# TYPE ghostwatch_sample_duration_seconds histogram$/m);
    expect(m).toMatch(/^ghostwatch_samples_total [1-9]/m);
    expect(m).toMatch(/^ghostwatch_sample_errors_total \d+$/m);
    // The implicit default endpoint is marked as such (alerts ignore it until it was seen up).
    const dflt = await probe(["--metrics"], { OLLAMA_HOST: "" });
    expect(dflt.stdout).toContain(`ghostwatch_endpoint_configured{url="http://127.0.0.1:11434",kind="ollama"} 0`);
  });

  it("bounded labels: six scrapes while CLOSE-WAIT holders come and go give one series set, with no pid/command/remote labels", async () => {
    const script = `
      const net = require("net");
      const srv = net.createServer((s) => s.end());
      srv.listen(0, "127.0.0.1", () => { let n = 0; for (let i = 0; i < 5; i++) { const c = net.connect(srv.address().port, "127.0.0.1", () => { if (++n === 5) console.log("ready"); }); c.on("end", () => {}); c.pause(); } });
      setInterval(() => {}, 1000);`;
    const seen: Array<Set<string>> = [];
    for (let i = 0; i < 6; i++) {
      const holder = await startReady(process.execPath, ["-e", script, "--", `--run=${i}`]);
      await new Promise((r) => setTimeout(r, 700));
      const text = await get("/metrics");
      seen.push(series(text));
      expect(text).toMatch(/^ghostwatch_close_wait_sockets\{remote_class="local",host=""\} [1-9]\d*$/m);
      expect(text).toMatch(/^ghostwatch_close_wait_sockets_process_max [1-9]\d*$/m);
      killPid(holder.pid);
    }
    const labels = new Set([...seen.flatMap((s) => [...s])].flatMap((id) => [...id.matchAll(/(\w+)="/g)].map((m) => m[1]!)));
    const allowed = new Set(["category", "host", "kind", "le", "node_version", "platform", "reason", "remote_class", "severity", "state", "url", "version"]);
    expect([...labels].filter((l) => !allowed.has(l))).toEqual([]);
    for (const bad of ["pid", "command", "remote", "model"]) expect(labels.has(bad)).toBe(false);
    // Warnings may appear/disappear with host state; every other series is the same in all six scrapes.
    const stable = (s: Set<string>) => [...s].filter((id) => !id.startsWith("ghostwatch_warnings{")).sort();
    for (const s of seen.slice(1)) expect(stable(s)).toEqual(stable(seen[0]!));
    expect(seen[0]!.size).toBeLessThan(200);
  }, 60_000);

  it("`promtool test rules`: the alert rules fire for configured or seen-up endpoints only, and on the per-process maxima", () => {
    const r = promtool(["check", "rules", path.join(ROOT, "docs/prometheus-alerts.yml")]);
    expect(r.code).toBe(0);
    const t = promtool(["test", "rules", "alerts.test.yml"], undefined, path.join(ROOT, "test/probe/fixtures"));
    expect(t.out).toMatch(/SUCCESS/);
    expect(t.code).toBe(0);
  });
});
