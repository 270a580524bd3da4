/**
 * Pure parts of the probe on recorded inputs: /proc/net/tcp{,6}, ss, /proc/PID/stat, macOS
 * ps/lsof, Windows PowerShell JSON; redaction; hysteresis; Host checks; keep_alive; scripts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers.js";

const dist = (p: string) => import(path.join(ROOT, "dist/server/probe", p));
const fixture = (name: string) => fs.readFileSync(path.join(ROOT, "test/probe/fixtures", name), "utf8");

describe("Linux parsers", () => {
  it("/proc/net/tcp: IPv4 little-endian addresses, states, inodes", async () => {
    const { parseProcNetTcp } = await dist("backends/linux.js");
    const s = parseProcNetTcp(fixture("proc-net-tcp.txt"));
    expect(s).toHaveLength(5);
    expect(s[0]).toEqual({ state: "LISTEN", localAddress: "0.0.0.0", localPort: 2024, remoteAddress: "0.0.0.0", remotePort: 0, inode: 632, uid: 0 });
    expect(s[1]).toEqual({ state: "CLOSE_WAIT", localAddress: "127.0.0.1", localPort: 40000, remoteAddress: "127.0.0.1", remotePort: 8080, inode: 48211, uid: 1000, sendQueue: 0 });
    // tx_queue (hex) is the kernel's unsent bytes: the probe drops /events clients that let it grow.
    const q = parseProcNetTcp("hdr\n   0: 0100007F:1F90 0100007F:9C40 01 0003E800:00000000 00:00000000 00000000     0        0 777 1 0 20 4\n");
    expect(q[0]).toMatchObject({ state: "ESTABLISHED", localPort: 8080, sendQueue: 256_000, inode: 777 });
    expect(s[3]).toMatchObject({ state: "ESTABLISHED", localAddress: "192.0.2.2", remoteAddress: "203.0.113.80", remotePort: 443 });
    expect(s[4]).toMatchObject({ state: "TIME_WAIT", inode: 0 });
  });

  it("/proc/net/tcp6: ::1, IPv4-mapped addresses become IPv4, zero compression", async () => {
    const { parseProcNetTcp } = await dist("backends/linux.js");
    const s = parseProcNetTcp(fixture("proc-net-tcp6.txt"));
    expect(s.map((x: { localAddress: string }) => x.localAddress)).toEqual(["::", "::1", "127.0.0.1", "2001:db8::1"]);
    expect(s[1]).toMatchObject({ state: "CLOSE_WAIT", remoteAddress: "::1", remotePort: 11434, localPort: 41394, inode: 51001 });
    expect(s[2]).toMatchObject({ state: "ESTABLISHED", remoteAddress: "127.0.0.1", localPort: 50000 });
  });

  it("ss -tanHe (inodes) and ss -tanp (PIDs, header line)", async () => {
    const { parseSs } = await dist("backends/linux.js");
    const e = parseSs(fixture("ss-tanHe.txt"));
    expect(e).toHaveLength(8);
    expect(e[1]).toEqual({ state: "CLOSE_WAIT", localAddress: "127.0.0.1", localPort: 40000, remoteAddress: "127.0.0.1", remotePort: 8080, inode: 48211, uid: 1000, sendQueue: 0 });
    expect(e[0]).not.toHaveProperty("sendQueue"); // a LISTEN socket's Send-Q is its backlog
    expect(parseSs("ESTAB 0 262144 127.0.0.1:8080 127.0.0.1:40000 ino:9\n")[0]).toMatchObject({ sendQueue: 262_144, inode: 9 });
    expect(e[5]).toMatchObject({ state: "CLOSE_WAIT", localAddress: "::1", remoteAddress: "::1", remotePort: 11434, inode: 51001 });
    expect(e[6]).toMatchObject({ localAddress: "127.0.0.1", remoteAddress: "127.0.0.1", remotePort: 11434 });
    expect(e[7]).toMatchObject({ state: "LISTEN", localAddress: "fe80::1", localPort: 443, remotePort: 0 });
    const p = parseSs(fixture("ss-tanp.txt"));
    expect(p).toHaveLength(4);
    expect(p[1]).toMatchObject({ state: "CLOSE_WAIT", pid: 4242 });
    expect(p[3]).toMatchObject({ state: "ESTABLISHED", remoteAddress: "104.18.33.45", pid: 5151 });
  });

  it("/proc/PID/stat: split after the last ')' (commands with spaces and parentheses)", async () => {
    const { parseStat } = await dist("backends/linux.js");
    const st = parseStat("4242 (my (weird) cmd) Z 1 4242 4242 0 -1 4194560 100 0 0 0 7 3 0 0 20 0 1 0 123456 0 0 18446744073709551615");
    expect(st).toEqual({ comm: "my (weird) cmd", state: "Z", ppid: 1, utime: 7, stime: 3, starttime: 123456 });
    expect(parseStat("garbage")).toBeUndefined();
  });
});

describe("macOS parsers (ps, lsof -F)", () => {
  it("ps -axo pid,ppid,uid,stat,etime,args", async () => {
    const { parsePs, parseEtime } = await dist("backends/darwin.js");
    expect(parseEtime("7-00:00:11")).toBe(7 * 86400 + 11);
    expect(parseEtime("1:02:03")).toBe(3723);
    expect(parseEtime("00:10")).toBe(10);
    const now = Date.parse("2026-03-29T12:00:00Z");
    const ps = parsePs(fixture("darwin-ps.txt"), now);
    expect(ps).toHaveLength(6);
    expect(ps[2]).toMatchObject({ pid: 70240, ppid: 1, uid: 501, state: "S", comm: "python3", argv: ["/opt/homebrew/bin/python3", "foresight/main.py", "--api-key", "sk-abcdefghijklmnopqrstu"] });
    expect(ps[2].startedAt).toBe(now - (7 * 86400 + 11) * 1000);
    expect(ps[3]).toMatchObject({ pid: 70311, state: "Z", argv: [], comm: "python3" });
  });

  it("lsof -iTCP -FpcfnT: sockets with states and owners; lsof -Fpfn: fd counts, cwd, exe", async () => {
    const { parseLsofTcp, parseLsofFiles } = await dist("backends/darwin.js");
    const s = parseLsofTcp(fixture("darwin-lsof-tcp.txt"));
    expect(s).toHaveLength(4);
    expect(s[0]).toMatchObject({ state: "LISTEN", localAddress: "127.0.0.1", localPort: 11434, pid: 512 });
    expect(s[1]).toEqual({ state: "CLOSE_WAIT", localAddress: "127.0.0.1", localPort: 50001, remoteAddress: "127.0.0.1", remotePort: 11434, pid: 81001 });
    expect(s[3]).toMatchObject({ state: "ESTABLISHED", remoteAddress: "2606:4700::6812:1b2d", remotePort: 443, pid: 81001 });
    const f = parseLsofFiles(fixture("darwin-lsof-files.txt"));
    expect(f.get(81001)).toEqual({ fds: 4, cwd: "/Users/dev/agent", exe: "/opt/homebrew/Cellar/node/22.3.0/bin/node" });
    expect(f.get(70240)).toMatchObject({ fds: 1, cwd: "/Users/dev/foresight" });
  });
});

describe("Windows parser (PowerShell JSON)", () => {
  it("Get-NetTCPConnection + Win32_Process: states (string and numeric), mapped addresses, quoted command lines, both date forms", async () => {
    const { parsePowerShell, splitWindowsCommandLine } = await dist("backends/windows.js");
    const { processes, sockets } = parsePowerShell(fixture("windows-powershell.json"));
    expect(sockets.map((s: { state: string }) => s.state)).toEqual(["LISTEN", "CLOSE_WAIT", "CLOSE_WAIT", "ESTABLISHED", "LISTEN"]);
    expect(sockets[3]).toMatchObject({ localAddress: "10.0.0.5", remoteAddress: "104.18.33.45", pid: 9316 });
    const node = processes.find((p: { pid: number }) => p.pid === 9316);
    expect(node).toMatchObject({ ppid: 7000, comm: "node.exe", argv: ["C:\\Program Files\\nodejs\\node.exe", "agent.js", "--token=abc123secretvalue"], fds: 1390, startedAt: 1774771200000 });
    expect(processes.find((p: { pid: number }) => p.pid === 6120).startedAt).toBe(Date.parse("2026-03-29T08:00:00Z"));
    expect(processes.find((p: { pid: number }) => p.pid === 4).argv).toEqual([]);
    expect(splitWindowsCommandLine('a "b c" "" d')).toEqual(["a", "b c", "", "d"]);
    // a single object (one row) is not wrapped in an array by ConvertTo-Json
    expect(parsePowerShell('{"connections":{"LocalAddress":"127.0.0.1","LocalPort":1,"RemoteAddress":"127.0.0.1","RemotePort":2,"State":"CloseWait","OwningProcess":7},"processes":null}').sockets).toHaveLength(1);
  });

  it("the analysis finds the CLOSE-WAIT group and redacts the token on Windows data", async () => {
    const { parsePowerShell } = await dist("backends/windows.js");
    const { analyze } = await dist("analyze.js");
    const { DEFAULT_THRESHOLDS } = await dist("thresholds.js");
    const read = { platform: "win32", backend: "powershell", errors: [], ...parsePowerShell(fixture("windows-powershell.json")) };
    const a = analyze(read, { thresholds: { ...DEFAULT_THRESHOLDS, closeWaitWarn: 1 }, uid: -1 });
    expect(a.sockets.closeWait).toEqual([{ pid: 9316, command: "C:\\Program Files\\nodejs\\node.exe agent.js --token=***", remote: "127.0.0.1:11434", count: 2 }]);
    expect(a.rawWarnings).toContainEqual(expect.objectContaining({ kind: "close_wait", pid: 9316 }));
    expect(JSON.stringify(a)).not.toContain("abc123secretvalue");
  });
});

describe("redaction", () => {
  it("masks keys, flags, bearer tokens, URL passwords, query tokens, env assignments", async () => {
    const { redactArgv, redactText, commandLine } = await dist("redact.js");
    expect(redactArgv(["node", "a.js", "--api-key", "abc123", "--token=xyz", "-p", "8080"])).toEqual(["node", "a.js", "--api-key", "***", "--token=***", "-p", "8080"]);
    expect(redactText("curl -H 'Authorization: Bearer sk-ant-api03-abcdefghijklmnop' https://x")).not.toMatch(/abcdefghijklmnop/);
    expect(redactText("OPENAI_API_KEY=sk-proj-0123456789abcdef python x.py")).toBe("OPENAI_API_KEY=*** python x.py");
    expect(redactText("postgres://app:pa55word@db:5432/x")).toBe("postgres://app:***@db:5432/x");
    expect(redactText("https://api.example.com/v1?token=abcdef&x=1")).toBe("https://api.example.com/v1?token=***&x=1");
    expect(redactText("hf_abcdefghijklmnopqrstuvwxyz ghp_abcdefghijklmnopqrstuvwxyz0123")).toBe("hf_*** ghp_***");
    expect(redactText("AKIAABCDEFGHIJKLMNOP")).toBe("***");
    expect(redactArgv(["curl", "-u", "me:secretpass", "x"])).toEqual(["curl", "-u", "me:***", "x"]);
    expect(commandLine(["python", "main.py", "--password", "hunter2"], "python")).toBe("python main.py --password ***");
    // nothing secret: unchanged
    expect(commandLine(["node", "server.js", "--port", "3000", "--watch"], "node")).toBe("node server.js --port 3000 --watch");
    expect(commandLine([], "kworker/0:1")).toBe("[kworker/0:1]");
    // JSON-style env blobs on a command line
    expect(redactText(`--env {"HOME": "/root", "GITHUB_TOKEN": "abcdef123456", 'db_password': 'x y z'}`)).toBe(`--env {"HOME": "/root", "GITHUB_TOKEN": ***, 'db_password': ***}`);
  });
});

describe("hysteresis", () => {
  it("raises after 3 samples, survives 2 clean ones, clears after 3", async () => {
    const { Hysteresis } = await dist("thresholds.js");
    const h = new Hysteresis(3, 3);
    const w = { kind: "zombie", severity: "warning", message: "m", key: "zombie:1" };
    const seq = [[w], [w], [w], [], [], [w], [], [], []].map((cur) => h.update(cur).active.length);
    expect(seq).toEqual([0, 0, 1, 1, 1, 1, 1, 1, 0]);
    // flapping never raises
    const f = new Hysteresis(3, 3);
    expect([[w], [], [w], [], [w], []].map((cur) => f.update(cur).active.length)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("Nagios code from severities", async () => {
    const { nagiosCode } = await dist("thresholds.js");
    expect(nagiosCode([])).toBe(0);
    expect(nagiosCode([{ severity: "warning" }])).toBe(1);
    expect(nagiosCode([{ severity: "warning" }, { severity: "critical" }])).toBe(2);
  });
});

describe("small contracts", () => {
  it("Host header check accepts loopback names only, with our port", async () => {
    const { hostAllowed } = await dist("serve.js");
    for (const h of ["127.0.0.1:9000", "localhost:9000", "[::1]:9000", "localhost"]) expect(hostAllowed(h, 9000)).toBe(true);
    for (const h of ["evil.example", "evil.example:9000", "127.0.0.1:9001", "127.0.0.1.evil.example:9000", "", undefined, "localhost.:9000"]) expect(hostAllowed(h, 9000)).toBe(false);
  });

  it("keep_alive for the functional check never extends a model's life", async () => {
    const { keepAliveFor } = await dist("endpoints.js");
    const now = Date.parse("2026-03-29T12:00:00Z");
    expect(keepAliveFor("2026-03-29T12:04:00Z", now)).toBe("240s");
    expect(keepAliveFor("2026-03-29T12:00:03Z", now)).toBeNull(); // about to unload: leave it alone
    expect(keepAliveFor("2318-01-01T00:00:00Z", now)).toBe("-1"); // keep_alive -1 models stay so
    expect(keepAliveFor(undefined, now)).toBeNull();
  });

  it("scriptOf finds the script an interpreter runs", async () => {
    const { scriptOf } = await dist("analyze.js");
    expect(scriptOf({ argv: ["node", "--require", "x", "dist/a.js", "--flag"], cwd: "/srv" })).toBe("/srv/dist/a.js");
    expect(scriptOf({ argv: ["/usr/bin/python3", "-u", "/opt/app/main.py"], cwd: "/" })).toBe("/opt/app/main.py");
    expect(scriptOf({ argv: ["python3", "-m", "http.server"], cwd: "/" })).toBeUndefined();
    expect(scriptOf({ argv: ["node", "-e", "1"], cwd: "/" })).toBeUndefined();
    expect(scriptOf({ argv: ["vim", "a.js"], cwd: "/" })).toBeUndefined();
  });

  it("OLLAMA_HOST forms and endpoint specs", async () => {
    const { defaultEndpoints, parseEndpoint } = await dist("endpoints.js");
    expect(defaultEndpoints({})).toEqual([{ url: "http://127.0.0.1:11434", kind: "ollama", configured: false }]);
    expect(defaultEndpoints({ OLLAMA_HOST: "0.0.0.0" })[0].url).toBe("http://127.0.0.1:11434");
    expect(defaultEndpoints({ OLLAMA_HOST: "192.168.50.94:11434" })[0]).toMatchObject({ url: "http://192.168.50.94:11434", configured: true });
    expect(parseEndpoint("openai=http://localhost:8000/v1/")).toEqual({ url: "http://localhost:8000/v1", kind: "openai", configured: true });
  });
});

describe("fleet files", () => {
  it("every ghostwatch_ metric used by the alert rules and the Grafana dashboard is exported", async () => {
    const { sampleOnce } = await dist("sample.js");
    const { renderMetrics } = await dist("metrics.js");
    const text: string = await renderMetrics(await sampleOnce({ endpoints: [], resolveCloudHosts: false }));
    const exported = new Set([...text.matchAll(/^# TYPE (ghostwatch_\w+)/gm)].map((m) => m[1]));
    const used = new Set<string>();
    // Histogram series are used through their _bucket/_sum/_count children.
    for (const f of ["docs/prometheus-alerts.yml", "docs/grafana-dashboard.json"]) for (const m of fs.readFileSync(path.join(ROOT, f), "utf8").matchAll(/ghostwatch_\w+/g)) used.add(m[0].replace(/_(bucket|sum|count)$/, ""));
    used.delete("ghostwatch_"); // none expected, guard only
    expect(used.size).toBeGreaterThan(8);
    expect([...used].filter((n) => !exported.has(n))).toEqual([]);
    JSON.parse(fs.readFileSync(path.join(ROOT, "docs/grafana-dashboard.json"), "utf8"));
  });
});

describe("--listen addresses", () => {
  it("HOST:PORT, [IPv6]:PORT, :PORT and PORT; garbage is a usage error", async () => {
    const { parseListen } = await dist("command.js");
    expect(parseListen(":9464")).toEqual({ host: "0.0.0.0", port: 9464 });
    expect(parseListen("9464")).toEqual({ host: "0.0.0.0", port: 9464 });
    expect(parseListen("10.0.0.5:9464")).toEqual({ host: "10.0.0.5", port: 9464 });
    expect(parseListen("[::]:9464")).toEqual({ host: "::", port: 9464 });
    expect(parseListen("gpu1.lan:0")).toEqual({ host: "gpu1.lan", port: 0 });
    for (const bad of ["", "a:b", "1.2.3.4:70000", "[x]:1", "::9464", "host"]) expect(() => parseListen(bad)).toThrow(/expected HOST:PORT/);
  });
});

describe("cloud-host DNS never holds a sample up", () => {
  it("a DNS server that never answers: refresh returns at once, cached answers are used, close() cancels", async () => {
    const dgram = await import("node:dgram");
    const os = await import("node:os");
    const blackhole = dgram.createSocket("udp4");
    let queries = 0;
    blackhole.on("message", () => queries++); // swallow every query
    await new Promise<void>((r) => blackhole.bind(0, "127.0.0.1", () => r()));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gw-dns-"));
    try {
      const { CloudHostResolver } = await dist("cloud.js");
      fs.writeFileSync(path.join(dir, "cloud-hosts.json"), JSON.stringify({ resolvedAt: Date.now() - 3_600_000, hosts: { "api.groq.com": ["192.0.2.77"] } }), { mode: 0o600 });
      const r = new CloudHostResolver(["llm.example.test"], 600_000, 1200, dir, [`127.0.0.1:${blackhole.address().port}`]);
      expect(r.ipMap().get("192.0.2.77")).toBe("api.groq.com"); // from the on-disk cache, before any DNS
      const t0 = performance.now();
      await r.refreshIfDue(0);
      expect(performance.now() - t0).toBeLessThan(50);
      await new Promise((res) => setTimeout(res, 100));
      expect(queries).toBeGreaterThan(0); // the refresh really runs in the background …
      const t1 = performance.now();
      r.close(); // … and a one-shot run does not wait for it
      await r.settled();
      expect(performance.now() - t1).toBeLessThan(200);
      expect(r.ipMap().get("192.0.2.77")).toBe("api.groq.com"); // a failed refresh keeps the old answers
    } finally {
      blackhole.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
