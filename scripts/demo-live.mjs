#!/usr/bin/env node
// Live evidence demo (part of `npm start`): the bundled zombie agent really runs for a few
// seconds against loopback stand-ins for LiteLLM, OpenRouter, Groq and Ollama, then
// `ghostwatch probe --explain examples/zombie-agent` joins its sockets to the lines behind them.
//
// - The agent's own code (examples/zombie-agent/src/router.ts, runner.ts) is transpiled as is;
//   a preload maps the endpoints it names to the stand-ins (the probe gets the same mapping
//   through --connect-to, curl's option), because this machine reaches no cloud host.
// - groq-sdk is replaced by a 15-line stand-in that posts to Groq's real chat-completions URL:
//   the real SDK is not a dependency of Ghostwatch and could not reach api.groq.com here.
// Every process and server this script starts is stopped by PID before it exits, also on failure.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const example = path.join(root, "examples", "zombie-agent");
const cli = path.join(root, "dist/server/cli.js");
const CALLS = Number(process.env.GW_DEMO_CALLS ?? 20);
const BODY = Buffer.alloc(64 * 1024, "x"); // an error page bigger than undici reads ahead

const servers = [];
function standIn(host, handler) {
  const s = http.createServer(handler);
  s.keepAliveTimeout = 60_000; // pooled connections stay ESTABLISHED while the probe looks
  servers.push(s);
  return new Promise((resolve, reject) => {
    s.once("error", reject);
    s.listen(0, host, () => resolve(s.address().port));
  });
}
const overloaded = (status) => (req, res) => {
  req.resume();
  res.writeHead(status, { "content-type": "text/plain", connection: "close", "content-length": BODY.length });
  res.end(BODY);
};

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gw-demo-live-"));
let agent;
try {
  // 127.0.0.2/3 are loopback addresses too (Linux routes all of 127/8 to lo).
  const litellm = await standIn("127.0.0.1", overloaded(502));
  const openrouter = await standIn("127.0.0.3", overloaded(429));
  const groq = await standIn("127.0.0.2", (req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ choices: [{ message: { role: "assistant", content: "ok (from the Groq stand-in)" } }] }));
    });
  });
  const ollama = await standIn("127.0.0.1", (req, res) => {
    req.resume();
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ response: "ok (from the Ollama stand-in)" }));
  });
  const map = {
    "localhost:4000": `127.0.0.1:${litellm}`,
    "openrouter.ai:443": `127.0.0.3:${openrouter}`,
    "api.groq.com:443": `127.0.0.2:${groq}`,
    "localhost:11434": `127.0.0.1:${ollama}`,
  };

  // The agent's code, transpiled unchanged (CommonJS so `./router` resolves without an extension).
  for (const f of ["router.ts", "runner.ts"]) {
    const src = fs.readFileSync(path.join(example, "src", f), "utf8");
    const out = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } });
    fs.writeFileSync(path.join(tmp, f.replace(/\.ts$/, ".js")), out.outputText);
  }
  fs.writeFileSync(path.join(tmp, "package.json"), JSON.stringify({ type: "commonjs" }));
  fs.mkdirSync(path.join(tmp, "node_modules", "groq-sdk"), { recursive: true });
  fs.writeFileSync(
    path.join(tmp, "node_modules", "groq-sdk", "index.js"),
    `class Groq {
  constructor(opts = {}) { this.apiKey = opts.apiKey; }
  get chat() {
    return { completions: { create: async (body) => {
      const res = await fetch("https://api.groq.com/openai/v1/chat/completions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error("groq " + res.status);
      return res.json();
    } } };
  }
}
module.exports = Groq;
module.exports.default = Groq;
`,
  );
  fs.writeFileSync(
    path.join(tmp, "connect-to.js"),
    `// Preload: the endpoints the agent names are reached at the loopback stand-ins.
const map = ${JSON.stringify(map)};
const real = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const u = new URL(typeof input === "string" ? input : input.url);
  const port = u.port || (u.protocol === "https:" ? "443" : "80");
  const to = map[u.hostname + ":" + port];
  return real(to ? "http://" + to + u.pathname + u.search : input, init);
};
`,
  );
  fs.writeFileSync(
    path.join(tmp, "drive.js"),
    `const { callOllama } = require("./runner");
(async () => {
  for (let i = 0; i < ${CALLS}; i++) await callOllama("experiment " + i).catch(() => undefined);
  process.stdout.write("ready\\n");
  setInterval(() => {}, 1000);
})();
`,
  );
  // cwd is the example: the probe sees a process that runs this workspace's code.
  agent = spawn(process.execPath, ["--require", path.join(tmp, "connect-to.js"), path.join(tmp, "drive.js")], { cwd: example, stdio: ["ignore", "pipe", "inherit"] });
  await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("the agent did not start within 20 s")), 20_000);
    agent.stdout.on("data", (d) => d.toString().includes("ready") && (clearTimeout(t), resolve()));
    agent.once("exit", (c) => reject(new Error(`the agent exited (${c})`)));
  });
  await new Promise((r) => setTimeout(r, 500));
  if (process.env.GW_DEMO_DEBUG) spawnSync("ss", ["-tanp"], { stdio: "inherit" });
  const args = ["probe", "--explain", example, "--pid", String(agent.pid), "--no-endpoints", ...Object.entries(map).flatMap(([k, v]) => ["--connect-to", `${k}:${v}`])];
  process.stdout.write(`$ ghostwatch probe --explain examples/zombie-agent --pid ${agent.pid} --connect-to …  (agent made ${CALLS} calls to the stand-ins)\n`);
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: "inherit", timeout: 120_000 });
  if (r.error) throw r.error;
  if (![0, 1, 2].includes(r.status ?? -1)) throw new Error(`probe --explain exited with ${r.status ?? r.signal}`);
} finally {
  if (agent?.pid && agent.exitCode === null && agent.signalCode === null) {
    const gone = new Promise((r) => agent.once("exit", r));
    process.kill(agent.pid, "SIGKILL");
    await gone;
  }
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}
