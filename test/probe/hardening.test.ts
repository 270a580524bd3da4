/**
 * Issue 15, the probe's HTTP surface against a real `ghostwatch probe --serve` (and its `--listen`
 * fleet listener), over raw TCP where a client library would refuse to send the input:
 *  - malformed request targets → 400 and the server keeps serving (it used to exit 1);
 *  - two Host headers → 400; absolute-form naming a foreign host → 421;
 *  - 64 /events clients that never read: RSS stays < 150 MB, the stuck clients are dropped and
 *    their slots freed (a 65th client is served);
 *  - `--listen`: /metrics only, any Host; /health and /events are not there.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, killPid, killTracked, tempDir, track } from "./helpers.js";

const stateDir = tempDir("gw-hard-");
let server: ChildProcess;
let port = 0;
let listenUrl = "";

/** Send raw bytes, resolve with the status line (or "closed" when the server hung up without one). */
export function raw(p: number, text: string, host = "127.0.0.1"): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port: p }, () => s.write(text));
    let buf = "";
    s.setTimeout(10_000, () => (s.destroy(), reject(new Error(`no answer to ${JSON.stringify(text.slice(0, 60))}`))));
    s.on("data", (d) => {
      buf += d;
      if (buf.includes("\r\n")) {
        s.destroy();
        resolve(buf.slice(0, buf.indexOf("\r\n")));
      }
    });
    s.on("error", () => resolve(buf ? buf.split("\r\n")[0]! : "closed"));
    s.on("close", () => resolve(buf ? buf.split("\r\n")[0]! : "closed"));
  });
}

function get(p: number, path: string, host = `127.0.0.1:${p}`, addr = "127.0.0.1"): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: addr, port: p, path, agent: false, headers: { host } }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode!, body }));
    });
    req.setTimeout(15_000, () => req.destroy(new Error(`timeout GET ${path}`)));
    req.on("error", reject);
  });
}

function rssMb(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m![1]) / 1024;
}

beforeAll(async () => {
  server = track(process.execPath, [CLI, "probe", "--serve", "--json", "--no-endpoints", "--interval", "250", "--top", "1000", "--listen", "127.0.0.2:0"], { env: { ...process.env, GHOSTWATCH_STATE_DIR: stateDir } });
  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    let err = "";
    server.stderr!.on("data", (d) => (err += d));
    server.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve(out.split("\n")[0]!);
    });
    server.on("exit", (code) => reject(new Error(`--serve exited ${code}: ${err}`)));
  });
  const info = JSON.parse(line);
  port = info.port;
  listenUrl = info.listen;
  expect((await get(port, "/health")).status).toBe(200);
}, 60_000);

afterAll(() => {
  killPid(server?.pid);
  killTracked();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

const alive = async () => {
  expect(server.exitCode).toBeNull();
  expect((await get(port, "/health")).status).toBe(200);
};

describe("probe --serve survives hostile requests", () => {
  it("malformed request targets → 400, and the server keeps serving", async () => {
    const targets = ["//[/x", "http://[/health", "http://%zz/health", "http://a:b:c/health", "http://127.0.0.1:99999/health", "/%zz", "/he alth?x", "/{x}", "*", "health", "http:/health", "ftp://127.0.0.1/health"];
    for (const t of targets) {
      const status = await raw(port, `GET ${t} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
      expect([t, status]).toEqual([t, "HTTP/1.1 400 Bad Request"]);
      await alive();
    }
    // Rejected by the HTTP parser itself (control bytes, bad versions, oversized headers): 400, still alive.
    for (const junk of [`GET /health\u0000 HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`, "GET /health HTTP/9.9\r\n\r\n", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u01fc\u0003\u0003", `GET /health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX: ${"a".repeat(20_000)}\r\n\r\n`]) {
      expect(await raw(port, junk)).toMatch(/^HTTP\/1\.1 (400|431) /);
      await alive();
    }
    // The browser form of the attack: <img src="http://127.0.0.1:P//[/x"> sends exactly this.
    expect(await raw(port, `GET //[/x HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://evil.example\r\n\r\n`)).toBe("HTTP/1.1 400 Bad Request");
    await alive();
  }, 60_000);

  it("two Host headers → 400; absolute-form with a foreign host → 421; with our own host → 200", async () => {
    expect(await raw(port, `GET /health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nHost: evil.com\r\n\r\n`)).toBe("HTTP/1.1 400 Bad Request");
    expect(await raw(port, `GET /health HTTP/1.1\r\nHost: evil.com\r\nHost: 127.0.0.1:${port}\r\n\r\n`)).toBe("HTTP/1.1 400 Bad Request");
    expect(await raw(port, `GET /health HTTP/1.1\r\n\r\n`)).toBe("HTTP/1.1 400 Bad Request");
    expect(await raw(port, `GET http://evil.com/health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`)).toBe("HTTP/1.1 421 Misdirected Request");
    expect(await raw(port, `GET http://127.0.0.1:1/health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`)).toBe("HTTP/1.1 421 Misdirected Request");
    expect(await raw(port, `GET http://127.0.0.1:${port}/health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`)).toBe("HTTP/1.1 200 OK");
    await alive();
  });

  it("63 /events clients that never read + 1 that does: RSS < 150 MB, the 63 dropped, slots freed, the reader kept", async () => {
    const rss0 = rssMb(server.pid!);
    // Real sockets that never read: the kernel's buffers fill first (the probe reads its own
    // sockets' Send-Q each sample), then Node's would.
    // One client that does read, alongside: it must keep its stream.
    let readerSnapshots = 0;
    const reader = http.get({ host: "127.0.0.1", port, path: "/events", agent: false, headers: { host: `127.0.0.1:${port}` } }, (res) => res.on("data", (d) => (readerSnapshots += (String(d).match(/event: snapshot/g) ?? []).length)));
    reader.on("error", () => undefined);
    await new Promise((r) => setTimeout(r, 300));
    const socks: net.Socket[] = [];
    for (let i = 0; i < 63; i++) {
      const s = net.connect({ host: "127.0.0.1", port });
      s.on("error", () => undefined);
      await new Promise<void>((r) => s.once("connect", () => r()));
      s.write(`GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      s.pause();
      socks.push(s);
    }
    // The slots are taken: the 65th client is refused while the 64 hold them.
    await new Promise((r) => setTimeout(r, 500));
    expect(await raw(port, `GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`)).toBe("HTTP/1.1 503 Service Unavailable");
    let peak = rss0;
    let dropped = 0;
    const deadline = Date.now() + 45_000;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      peak = Math.max(peak, rssMb(server.pid!));
      const m = (await get(port, "/metrics")).body;
      dropped = Number(/^ghostwatch_events_clients_dropped_total (\d+)/m.exec(m)![1]);
      if (dropped >= 63) break;
    }
    expect(dropped).toBe(63);
    expect(peak).toBeLessThan(150);
    const before = readerSnapshots;
    await new Promise((r) => setTimeout(r, 1000));
    expect(readerSnapshots).toBeGreaterThan(before); // the reading client was never dropped
    expect(before).toBeGreaterThan(10);
    reader.destroy();
    // Slots freed: a reading client is served again and gets snapshots.
    const first = await new Promise<string>((resolve, reject) => {
      const req = http.get({ host: "127.0.0.1", port, path: "/events", agent: false, headers: { host: `127.0.0.1:${port}` } }, (res) => {
        expect(res.statusCode).toBe(200);
        let buf = "";
        res.on("data", (d) => {
          buf += d;
          if (buf.includes("event: snapshot\ndata: {")) {
            req.destroy();
            resolve(buf);
          }
        });
      });
      req.on("error", reject);
    });
    expect(first).toContain("retry: 5000");
    for (const s of socks) s.destroy();
    await alive();
    console.log(`63 non-reading + 1 reading /events clients: RSS ${rss0.toFixed(0)} → peak ${peak.toFixed(0)} MB, ${dropped} dropped`);
  }, 90_000);
});

describe("--listen: the fleet listener serves /metrics only", () => {
  it("answers /metrics for any Host, 404 for /health and /events, 400 for malformed targets; loopback rules unchanged", async () => {
    const u = new URL(listenUrl);
    expect(u.hostname).toBe("127.0.0.2");
    const lp = Number(u.port);
    const m = await get(lp, "/metrics", "prometheus.example.net:9464", "127.0.0.2");
    expect(m.status).toBe(200);
    expect(m.body).toMatch(/^ghostwatch_build_info\{version="[^"]+",node_version="v[\d.]+",platform="linux"\} 1$/m);
    for (const p of ["/health", "/events", "/", "/metrics/../health"]) expect([p, (await get(lp, p, "prometheus.example.net:9464", "127.0.0.2")).status]).toEqual([p, 404]);
    expect(await raw(lp, `GET //[/x HTTP/1.1\r\nHost: a\r\n\r\n`, "127.0.0.2")).toBe("HTTP/1.1 400 Bad Request");
    expect(await raw(lp, `POST /metrics HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n`, "127.0.0.2")).toBe("HTTP/1.1 405 Method Not Allowed");
    // The loopback server still refuses foreign hosts, and nothing of it is on the fleet address.
    expect((await get(port, "/metrics", "prometheus.example.net")).status).toBe(403);
    await expect(get(port, "/health", `127.0.0.2:${port}`, "127.0.0.2")).rejects.toThrow(/ECONNREFUSED/);
    await alive();
  });
});
