/**
 * Live evidence on the real kernel: a workspace whose code really runs as a child process
 * (the same file is linted and executed), loopback servers standing in for a cloud host
 * (127.0.0.2) and for Ollama (localhost), and a third remote no call site reaches. The child
 * holds N CLOSE-WAIT sockets to the cloud stand-in (error bodies left unread on the throw path),
 * M established connections to the Ollama stand-in (requests it never answers) and K CLOSE-WAIT
 * sockets to the unknown remote; the join must attribute exactly that.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LinuxReader } from "../../server/probe/backends/linux.js";
import { explainRead, renderExplanations } from "../../server/evidence/explain.js";
import { AddressResolver } from "../../server/evidence/resolve.js";

const N = 12;
const M = 5;
const K = 3;
const BODY = Buffer.alloc(64 * 1024, "x");

let dir = "";
let cloud: http.Server;
let ollama: http.Server;
let other: http.Server;
let child: ChildProcess | undefined;
const held: http.ServerResponse[] = [];

const listen = (s: http.Server, host: string) => new Promise<number>((r) => s.listen(0, host, () => r((s.address() as AddressInfo).port)));
const failing = () =>
  http.createServer((req, res) => {
    req.resume();
    res.writeHead(500, { "content-type": "text/plain", connection: "close", "content-length": BODY.length });
    res.end(BODY);
  });

function agentSource(pc: number, po: number): string {
  return `// A zombie agent, reduced: the cloud call leaves its error body unread on the throw path.
const CLOUD_URL = "http://127.0.0.2:${pc}/v1/chat/completions";
const OLLAMA_URL = "http://localhost:${po}/api/chat";

export async function callCloud(prompt) {
  const res = await fetch(CLOUD_URL, { method: "POST", body: JSON.stringify({ model: "m", messages: [{ role: "user", content: prompt }] }) });
  if (!res.ok) throw new Error("cloud " + res.status);
  return res.json();
}

export async function callLocal(prompt) {
  const res = await fetch(OLLAMA_URL, { method: "POST", body: JSON.stringify({ model: "llama3", messages: [{ role: "user", content: prompt }], stream: false }) });
  return res.json();
}

async function report(url) {
  const res = await fetch(url, { method: "POST" });
  if (!res.ok) throw new Error("report " + res.status);
}

if (process.argv[2] === "run") {
  for (let i = 0; i < ${N}; i++) await callCloud("hi").catch(() => {});
  for (let i = 0; i < ${M}; i++) callLocal("hi").catch(() => {});
  for (let i = 0; i < ${K}; i++) await report(process.env.OTHER_URL).catch(() => {});
  process.stdout.write("ready\\n");
  setInterval(() => {}, 1000);
}
`;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "gw-live-"));
  cloud = failing();
  other = failing();
  ollama = http.createServer((req, res) => {
    req.resume();
    held.push(res); // Ollama busy: the request is accepted and never answered
  });
  const [pc, po, pu] = [await listen(cloud, "127.0.0.2"), await listen(ollama, "127.0.0.1"), await listen(other, "127.0.0.3")];
  writeFileSync(path.join(dir, "agent.mjs"), agentSource(pc, po));
  child = spawn(process.execPath, ["agent.mjs", "run"], { cwd: dir, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, OTHER_URL: `http://127.0.0.3:${pu}/metrics` } });
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("agent did not start")), 20_000);
    child!.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && (clearTimeout(t), resolve()));
    child!.once("exit", (c) => reject(new Error(`agent exited (${c})`)));
  });
  // the servers' FINs reach the child's sockets; the held requests are ESTABLISHED
  await new Promise((r) => setTimeout(r, 800));
}, 30_000);

afterAll(async () => {
  if (child?.pid && child.exitCode === null && child.signalCode === null) {
    const gone = new Promise((r) => child!.once("exit", r));
    process.kill(child.pid, "SIGKILL");
    await gone;
  }
  for (const r of held) r.destroy();
  for (const s of [cloud, ollama, other]) {
    s?.closeAllConnections();
    await new Promise((r) => s?.close(r));
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.runIf(process.platform === "linux")("live evidence: sockets of a running agent → its call sites", () => {
  it("attributes exactly: N CLOSE-WAIT to the cloud site, M established to the local site, K unattributed", async () => {
    const read = await new LinuxReader().read();
    const result = await explainRead(read, [dir], { resolver: new AddressResolver(), pids: [child!.pid!] });
    const pc = (cloud.address() as AddressInfo).port;
    const po = (ollama.address() as AddressInfo).port;
    const pu = (other.address() as AddressInfo).port;
    const rows = result.explanations.map((e) => ({
      state: e.state,
      remote: e.remote,
      count: e.count,
      sites: e.sites.map((s) => `${s.file}:${s.line} ${s.call} in ${s.function}`),
      rules: e.sites.flatMap((s) => s.findings.map((f) => f.rule)).filter((r) => r === "no-unclosed-http-client"),
    }));
    expect(rows).toEqual([
      { state: "CLOSE_WAIT", remote: `127.0.0.2:${pc}`, count: N, sites: ["agent.mjs:6 fetch() in callCloud"], rules: ["no-unclosed-http-client"] },
      { state: "CLOSE_WAIT", remote: `127.0.0.3:${pu}`, count: K, sites: [], rules: [] },
      { state: "ESTABLISHED", remote: `localhost:${po}`, count: M, sites: ["agent.mjs:12 fetch() in callLocal"], rules: [] },
    ]);
    expect(result.explanations.every((e) => e.pid === child!.pid && e.cwd === dir)).toBe(true);
    const text = renderExplanations(result);
    expect(text).toContain(`${N} CLOSE-WAIT to 127.0.0.2:${pc} ← agent.mjs:6 fetch() in callCloud — `);
    expect(text).toContain("(no-unclosed-http-client)");
    expect(text).toContain(`${K} CLOSE-WAIT to 127.0.0.3:${pu} ← unattributed`);
    expect(text).toMatch(new RegExp(`${M} ESTABLISHED to localhost:${po} \\[127\\.0\\.0\\.1:${po}\\] \\(\\d+ % of its model connections\\) ← agent\\.mjs:12 fetch\\(\\) in callLocal`));
  });

  it("a process outside the workspace is not attributed", async () => {
    const read = await new LinuxReader().read();
    const result = await explainRead(read, [path.join(dir, "elsewhere")], { resolver: new AddressResolver() });
    expect(result.explanations).toEqual([]);
  });
});
