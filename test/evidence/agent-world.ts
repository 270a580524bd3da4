/**
 * A workspace whose code really runs: `agent.mjs` is linted and executed as a child process,
 * against loopback stand-ins — a cloud host at 127.0.0.2 (500 + error page, then hang-up), an
 * Ollama at localhost (answers /api/version and /api/tags, never answers /api/chat) and a third
 * remote at 127.0.0.3 that no call site reaches (its URL comes from the environment).
 * The child ends with N CLOSE-WAIT sockets to the cloud stand-in (bodies left unread on the throw
 * path), M established connections to Ollama and K CLOSE-WAIT sockets to the unknown remote.
 * `stop()` kills the child by PID and closes every server; call it from afterAll.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

export interface AgentWorld {
  dir: string;
  file: string;
  pid: number;
  cloudPort: number;
  ollamaPort: number;
  otherPort: number;
  groqPort: number;
  /** `api.groq.com:443` → the Groq stand-in, as `--connect-to` / the resolver's connectTo takes it. */
  connectTo: Map<string, string>;
  n: number;
  /** CLOSE-WAIT sockets opened by callOllama() to the Groq stand-in. */
  g: number;
  /** Kill the agent only (its evidence must go stale). */
  killAgent(): Promise<void>;
  m: number;
  k: number;
  stop(): Promise<void>;
}

const BODY = Buffer.alloc(64 * 1024, "x");

export function agentSource(pc: number, po: number, n: number, m: number, k: number, g: number): string {
  return `// A zombie agent, reduced: the cloud call leaves its error body unread on the throw path.
const CLOUD_URL = "http://127.0.0.2:${pc}/v1/chat/completions";
const OLLAMA_URL = "http://localhost:${po}/api/chat";
const GROQ_URL = "https://api.groq.com/openai/v1/chat/completions";

/** Claims the local model, reaches Groq. */
export async function callOllama(prompt) {
  const res = await fetch(GROQ_URL, { method: "POST", body: JSON.stringify({ model: "llama-3.1-8b-instant", messages: [{ role: "user", content: prompt }] }) });
  if (!res.ok) throw new Error("groq " + res.status);
  return res.json();
}

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
  for (let i = 0; i < ${n}; i++) await callCloud("hi").catch(() => {});
  for (let i = 0; i < ${m}; i++) callLocal("hi").catch(() => {});
  for (let i = 0; i < ${k}; i++) await report(process.env.OTHER_URL).catch(() => {});
  for (let i = 0; i < ${g}; i++) await callOllama("hi").catch(() => {});
  process.stdout.write("ready\\n");
  setInterval(() => {}, 1000);
}
`;
}

const listen = (s: http.Server, host: string) => new Promise<number>((r) => s.listen(0, host, () => r((s.address() as AddressInfo).port)));
const failing = () =>
  http.createServer((req, res) => {
    req.resume();
    res.writeHead(500, { "content-type": "text/plain", connection: "close", "content-length": BODY.length });
    res.end(BODY);
  });

// Preload of the agent process (outside the linted code's logic): the Groq endpoint the code names is
// reached at its loopback stand-in, as the probe and the language server are told with connectTo.
const shim = (map: Record<string, string>) => `const map = ${JSON.stringify(map)};
const real = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const u = new URL(typeof input === "string" ? input : input.url);
  const to = map[u.hostname + ":" + (u.port || (u.protocol === "https:" ? "443" : "80"))];
  return real(to ? "http://" + to + u.pathname + u.search : input, init);
};
`;

export async function startAgentWorld(n = 12, m = 5, k = 3, g = 4): Promise<AgentWorld> {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), "gw-live-")));
  const held: http.ServerResponse[] = [];
  const cloud = failing();
  const other = failing();
  const groq = failing();
  const ollama = http.createServer((req, res) => {
    req.resume();
    if (req.url === "/api/version") return void res.writeHead(200, { "content-type": "application/json" }).end('{"version":"0.12.0"}');
    if (req.url === "/api/tags" || req.url === "/api/ps") return void res.writeHead(200, { "content-type": "application/json" }).end('{"models":[]}');
    held.push(res); // Ollama busy: the generation is accepted and never answered
  });
  const servers = [cloud, ollama, other, groq];
  let child: ChildProcess | undefined;
  const killAgent = async () => {
    if (child?.pid && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((r) => child!.once("exit", r));
      process.kill(child.pid, "SIGKILL");
      await gone;
    }
  };
  const stop = async () => {
    await killAgent();
    for (const r of held) r.destroy();
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [pc, po, pu, pg] = [await listen(cloud, "127.0.0.2"), await listen(ollama, "127.0.0.1"), await listen(other, "127.0.0.3"), await listen(groq, "127.0.0.4")];
    const file = path.join(dir, "agent.mjs");
    writeFileSync(file, agentSource(pc, po, n, m, k, g));
    const connectTo = new Map([["api.groq.com:443", `127.0.0.4:${pg}`]]);
    const shimFile = path.join(os.tmpdir(), `gw-live-shim-${process.pid}-${pg}.cjs`);
    writeFileSync(shimFile, shim(Object.fromEntries(connectTo)));
    child = spawn(process.execPath, ["--require", shimFile, "agent.mjs", "run"], { cwd: dir, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, OTHER_URL: `http://127.0.0.3:${pu}/metrics` } });
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("agent did not start")), 20_000);
      child!.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && (clearTimeout(t), resolve()));
      child!.once("exit", (c) => reject(new Error(`agent exited (${c})`)));
    });
    // the servers' FINs reach the child's sockets; the held requests are ESTABLISHED
    await new Promise((r) => setTimeout(r, 800));
    setTimeout(() => rmSync(shimFile, { force: true }), 2000).unref();
    return { dir, file, pid: child.pid!, cloudPort: pc, ollamaPort: po, otherPort: pu, groqPort: pg, connectTo, n, m, k, g, stop, killAgent };
  } catch (e) {
    await stop();
    throw e;
  }
}
