/**
 * Kernel evidence for no-unclosed-http-client: a loopback HTTP server answers 500 with a body,
 * a child Node process runs the flagged snippet (fetch 50 times, body left unread on the
 * error path) or the fixed one (`await res.body?.cancel()` before the throw), and we read the
 * child's TCP sockets from /proc/net/tcp{,6} (matched by inode against /proc/<pid>/fd) and the
 * server's open-connection count. The flagged snippet holds its sockets; the fixed one does not.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Linter } from "eslint";
import tsParser from "@typescript-eslint/parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import rule from "../../rules/no-unclosed-http-client/index.js";

const CALLS = 50;
const BODY = Buffer.alloc(Number(process.env.GW_BODY_KB ?? 64) * 1024, "x"); // an error page bigger than undici reads ahead once the body stream is full

const snippet = (fixed: boolean) => `
async function callModel(url) {
  const res = await fetch(url, { method: "POST", body: "{}" });
  if (!res.ok) {
    ${fixed ? "await res.body?.cancel();\n    " : ""}throw new Error("model " + res.status);
  }
  return res.json();
}
`;

const TCP_STATES: Record<string, string> = {
  "01": "ESTABLISHED", "02": "SYN_SENT", "03": "SYN_RECV", "04": "FIN_WAIT1", "05": "FIN_WAIT2", "06": "TIME_WAIT",
  "07": "CLOSE", "08": "CLOSE_WAIT", "09": "LAST_ACK", "0A": "LISTEN", "0B": "CLOSING",
};

/** TCP sockets owned by `pid` whose remote port is `port`, counted by state. */
function socketsOf(pid: number, port: number): Record<string, number> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {
      // fd closed while we looked
    }
  }
  const out: Record<string, number> = {};
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const remotePort = parseInt(f[2].split(":")[1], 16);
      if (remotePort !== port || !inodes.has(f[9])) continue;
      const state = TCP_STATES[f[3]] ?? f[3];
      out[state] = (out[state] ?? 0) + 1;
    }
  }
  return out;
}

const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);

let server: http.Server;
let port = 0;
let dir = "";
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "gw-close-wait-"));
  server = http.createServer((req, res) => {
    req.resume();
    // An overloaded upstream: 500 with an error page, then the server hangs up.
    res.writeHead(500, { "content-type": "text/plain", connection: "close", "content-length": BODY.length });
    res.end(BODY);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const c of children) stop(c);
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function stop(c: ChildProcess): void {
  if (c.exitCode !== null || c.signalCode !== null || !c.pid) return;
  try {
    process.kill(c.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

async function runChild(fixed: boolean): Promise<{ sockets: Record<string, number>; serverOpen: number }> {
  const file = path.join(dir, fixed ? "fixed.mjs" : "flagged.mjs");
  writeFileSync(
    file,
    `${snippet(fixed)}
const url = process.argv[2];
for (let i = 0; i < ${CALLS}; i++) { try { await callModel(url); } catch {} }
process.stdout.write("done\\n");
setInterval(() => {}, 1000); // stay alive, like the agent, until the test has looked
`,
  );
  const child = spawn(process.execPath, ["--max-old-space-size=256", file, `http://127.0.0.1:${port}/v1/chat/completions`], { stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  try {
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("child did not finish")), 30_000);
      child.stdout!.on("data", (d: Buffer) => {
        if (d.toString().includes("done")) {
          clearTimeout(t);
          resolve();
        }
      });
      child.on("exit", (code) => reject(new Error(`child exited early (${code})`)));
    });
    // let the kernel and both sides settle (FINs, undici closing cancelled sockets, the server's 5 s keep-alive timer)
    await new Promise((r) => setTimeout(r, 6000));
    const sockets = socketsOf(child.pid!, port);
    const serverOpen = await new Promise<number>((r) => server.getConnections((_e, n) => r(n)));
    return { sockets, serverOpen };
  } finally {
    const exited = new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once("exit", r)));
    stop(child);
    await exited;
  }
}

describe.runIf(process.platform === "linux")("CLOSE-WAIT on the real kernel", () => {
  it("the rule flags the leaking snippet and passes the fixed one", () => {
    const linter = new Linter({ configType: "flat" });
    const lint = (code: string) =>
      linter.verify(code, [{ languageOptions: { parser: tsParser, sourceType: "module" }, plugins: { g: { rules: { r: rule as never } } }, rules: { "g/r": "error" } }]);
    expect(lint(snippet(false)).map((m) => m.messageId)).toEqual(["unconsumedResponse"]);
    expect(lint(snippet(true))).toEqual([]);
  });

  it(`${CALLS} failing calls: the flagged snippet holds its sockets, the fixed one holds none`, async () => {
    const flagged = await runChild(false);
    const fixed = await runChild(true);
    // Printed so the docs page can quote the measured numbers.
    console.log(`[close-wait] flagged: sockets ${JSON.stringify(flagged.sockets)}, server open ${flagged.serverOpen}; fixed: sockets ${JSON.stringify(fixed.sockets)}, server open ${fixed.serverOpen}`);
    expect(total(flagged.sockets)).toBeGreaterThanOrEqual(CALLS * 0.8);
    expect(flagged.sockets.CLOSE_WAIT ?? 0).toBeGreaterThanOrEqual(CALLS * 0.8);
    expect(total(fixed.sockets)).toBeLessThanOrEqual(2);
  });
});
