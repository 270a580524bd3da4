/**
 * Issue 15: another local user must not be able to hijack or block the probe when
 * XDG_RUNTIME_DIR is unset (state in `$TMPDIR/ghostwatch-<uid>`). Two real Unix users are created
 * for the test (useradd; removed after): a victim who runs `ghostwatch probe`, and an attacker.
 * TMPDIR points both at a fresh sticky 1777 directory, as /tmp is, so nothing here touches the
 * machine's real /tmp/ghostwatch-* directories.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, ROOT, killPid, killTracked, waitFor } from "./helpers.js";

interface User {
  name: string;
  uid: number;
  gid: number;
}

const tag = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const users: User[] = [];
const procs: ChildProcess[] = [];
let victim: User;
let attacker: User;
let tmp: string;

function addUser(prefix: string): User {
  const name = `${prefix}${tag}`.slice(0, 30);
  execFileSync("useradd", ["-M", "-N", "-s", "/usr/sbin/nologin", name]);
  const u = { name, uid: Number(execFileSync("id", ["-u", name], { encoding: "utf8" })), gid: Number(execFileSync("id", ["-g", name], { encoding: "utf8" })) };
  users.push(u);
  return u;
}

function envFor(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, TMPDIR: tmp, HOME: tmp, LANG: "C.UTF-8" };
  return env; // no XDG_RUNTIME_DIR, no GHOSTWATCH_STATE_DIR
}

/** Run node as `u`; resolve with exit code and output. */
function runAs(u: User, args: string[], timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const c = spawn(process.execPath, args, { uid: u.uid, gid: u.gid, env: envFor(), cwd: tmp, stdio: ["ignore", "pipe", "pipe"] });
    procs.push(c);
    let stdout = "";
    let stderr = "";
    c.stdout!.on("data", (d) => (stdout += d));
    c.stderr!.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      killPid(c.pid);
      reject(new Error(`timed out: ${args.join(" ")}\n${stderr}`));
    }, timeoutMs);
    c.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

/** Start a long-running node process as `u` that prints one line when ready. */
function startAs(u: User, args: string[], word: string): Promise<{ child: ChildProcess; line: string }> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, args, { uid: u.uid, gid: u.gid, env: envFor(), cwd: tmp, stdio: ["ignore", "pipe", "pipe"] });
    procs.push(c);
    let out = "";
    let err = "";
    c.stderr!.on("data", (d) => (err += d));
    c.stdout!.on("data", (d) => {
      out += d;
      if (out.includes(word)) resolve({ child: c, line: out.trim().split("\n")[0]! });
    });
    c.on("close", (code) => reject(new Error(`exited ${code} before "${word}": ${out} ${err}`)));
  });
}

const discover = (u: User) =>
  runAs(u, ["--input-type=module", "-e", `const { findServingProbe, stateDir } = await import(${JSON.stringify(path.join(ROOT, "dist/server/probe/instance.js"))}); console.log(JSON.stringify({ dir: stateDir(), found: (await findServingProbe({ timeoutMs: 2000 })) ?? null }));`]).then((r) => JSON.parse(r.stdout));

beforeAll(() => {
  victim = addUser("gwv");
  attacker = addUser("gwa");
  tmp = fs.mkdtempSync("/tmp/gw-users-");
  fs.chmodSync(tmp, 0o1777); // like /tmp: everyone may create, only owners may remove
});

afterAll(() => {
  for (const c of procs) if (c.exitCode === null && c.signalCode === null) killPid(c.pid);
  killTracked();
  for (const u of users) {
    try {
      execFileSync("userdel", [u.name]);
    } catch {
      /* already gone */
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("state directory in a shared /tmp, with a hostile second user", () => {
  it("a planted ghostwatch-<uid> directory is refused with a clear message; its probe.json redirects nothing; nothing is written into it", async () => {
    const planted = path.join(tmp, `ghostwatch-${victim.uid}`);
    // The attacker serves a fake "probe" and points the victim's discovery at it.
    const fake = await startAs(attacker, ["-e", `const h=require("http").createServer((q,s)=>s.writeHead(200,{"x-ghostwatch-pid":String(process.pid)}).end("{}"));h.listen(0,"127.0.0.1",()=>console.log("port "+h.address().port));`], "port ");
    const fakePort = Number(fake.line.split(" ")[1]);
    const precious = path.join(tmp, "victim-precious.txt");
    fs.writeFileSync(precious, "unchanged\n");
    fs.chownSync(precious, victim.uid, victim.gid);
    await runAs(attacker, ["-e", `
      const fs = require("fs"), p = require("path"), d = ${JSON.stringify(planted)};
      fs.mkdirSync(d, { mode: 0o777 }); fs.chmodSync(d, 0o777);
      fs.writeFileSync(p.join(d, "probe.json"), JSON.stringify({ pid: ${fake.child.pid}, port: ${fakePort}, url: "http://127.0.0.1:${fakePort}", startedAt: "x", version: "0" }));
      for (let i = 0; i < 64; i++) fs.symlinkSync(${JSON.stringify(precious)}, p.join(d, "probe.json." + i + ".tmp"));
      fs.symlinkSync(${JSON.stringify(precious)}, p.join(d, "cloud-hosts.json"));
    `]);
    const before = fs.readdirSync(planted).sort();
    // Discovery (the extension's API) ignores it …
    const d = await discover(victim);
    expect(d).toEqual({ dir: planted, found: null });
    // … --serve refuses it, clearly, at once …
    const serve = await runAs(victim, [CLI, "probe", "--serve", "--no-endpoints"]);
    expect(serve.code).toBe(3);
    expect(serve.stderr).toContain(`ghostwatch probe: refusing to use the state directory ${planted}: it is owned by uid ${attacker.uid}, not ${victim.uid}. Another user may have planted it; remove it, or set XDG_RUNTIME_DIR or GHOSTWATCH_STATE_DIR to a directory only you can write`);
    expect(serve.ms).toBeLessThan(20_000);
    // … and a one-shot run works and writes nothing there (no cloud-host cache through the symlink).
    const once = await runAs(victim, [CLI, "probe", "--json", "--no-endpoints"]);
    expect(once.code).toBe(0);
    expect(JSON.parse(once.stdout)).toHaveProperty("sockets");
    expect(fs.readdirSync(planted).sort()).toEqual(before);
    expect(fs.readFileSync(precious, "utf8")).toBe("unchanged\n");
    // A directory of the victim's own that is open to others is refused as well.
    fs.rmSync(planted, { recursive: true, force: true });
    fs.mkdirSync(planted, { mode: 0o777 });
    fs.chmodSync(planted, 0o777);
    fs.chownSync(planted, victim.uid, victim.gid);
    const open = await runAs(victim, [CLI, "probe", "--serve", "--no-endpoints"]);
    expect(open.code).toBe(3);
    expect(open.stderr).toContain(`refusing to use the state directory ${planted}: its mode is 777, not 700`);
    fs.rmSync(planted, { recursive: true, force: true });
    killPid(fake.child.pid);
  }, 120_000);

  it("a fresh directory is created 0700; the other user can neither read, connect to, squat nor block the lock", async () => {
    const dir = path.join(tmp, `ghostwatch-${victim.uid}`);
    expect(fs.existsSync(dir)).toBe(false);
    const first = await startAs(victim, [CLI, "probe", "--serve", "--json", "--no-endpoints", "--interval", "500"], '"serving":true');
    const info = JSON.parse(first.line);
    const st = fs.statSync(dir);
    expect([st.uid, st.mode & 0o777]).toEqual([victim.uid, 0o700]);
    const files = fs.readdirSync(dir).sort();
    expect(files).toEqual(expect.arrayContaining(["probe.json", "probe.sock"]));
    for (const f of ["probe.json"]) expect(fs.statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
    expect((await discover(victim)).found).toEqual({ pid: info.pid, port: info.port, url: info.url });
    // The attacker: no read, no connect, no file of theirs in it.
    const probeAttack = await runAs(attacker, ["-e", `
      const fs = require("fs"), net = require("net"), d = ${JSON.stringify(dir)}; const out = {};
      try { fs.readFileSync(d + "/probe.json"); out.read = "ok"; } catch (e) { out.read = e.code; }
      try { fs.writeFileSync(d + "/probe.json.1.tmp", "x"); out.write = "ok"; } catch (e) { out.write = e.code; }
      const c = net.connect({ path: d + "/probe.sock" });
      c.on("connect", () => { out.connect = "ok"; console.log(JSON.stringify(out)); process.exit(0); });
      c.on("error", (e) => { out.connect = e.code; console.log(JSON.stringify(out)); process.exit(0); });
    `]);
    expect(JSON.parse(probeAttack.stdout)).toEqual({ read: "EACCES", write: "EACCES", connect: "EACCES" });
    // The attacker squats every name the old design used (abstract socket "\\0ghostwatch-probe-<uid>-<hash>")
    // and a copy of ours in the shared tmp; the owner's probe is killed and started again: it serves at once.
    const { createHash } = await import("node:crypto");
    const oldName = `\\0ghostwatch-probe-${victim.uid}-${createHash("sha256").update(path.resolve(dir)).digest("hex").slice(0, 16)}`;
    const squat = await startAs(attacker, ["-e", `const net=require("net");let n=0;for(const p of [${JSON.stringify(oldName)}, ${JSON.stringify(path.join(tmp, "probe.sock"))}]) net.createServer().listen(p,()=>{if(++n===2)console.log("squatting")});`], "squatting");
    killPid(info.pid, "SIGKILL");
    await waitFor(() => !fs.existsSync(`/proc/${info.pid}`), 5000);
    const t0 = Date.now();
    const second = await startAs(victim, [CLI, "probe", "--serve", "--json", "--no-endpoints", "--interval", "500"], '"serving":true');
    const took = Date.now() - t0;
    const info2 = JSON.parse(second.line);
    expect(info2.pid).not.toBe(info.pid);
    expect(took).toBeLessThan(15_000);
    expect((await discover(victim)).found).toEqual({ pid: info2.pid, port: info2.port, url: info2.url });
    // A second start of the owner's sees the first and exits 3 (the lock holds).
    const third = await runAs(victim, [CLI, "probe", "--serve", "--json", "--no-endpoints"]);
    expect(third.code).toBe(3);
    expect(JSON.parse(third.stdout)).toMatchObject({ alreadyServing: true, pid: info2.pid });
    killPid(squat.child.pid);
    killPid(info2.pid, "SIGTERM");
    await waitFor(() => second.child.exitCode !== null, 10_000);
    expect(second.child.exitCode).toBe(0);
    expect(fs.existsSync(path.join(dir, "probe.json"))).toBe(false); // removed on a clean stop
  }, 120_000);

  it("discovery ignores a probe.json that is not the user's file (other owner, symlink), even in the user's own directory", async () => {
    const dir = path.join(tmp, `ghostwatch-${victim.uid}`);
    const s = await startAs(victim, [CLI, "probe", "--serve", "--json", "--no-endpoints", "--interval", "500"], '"serving":true');
    const info = JSON.parse(s.line);
    const state = path.join(dir, "probe.json");
    expect((await discover(victim)).found).toMatchObject({ pid: info.pid });
    fs.chownSync(state, attacker.uid, attacker.gid); // as if another user had written it
    expect((await discover(victim)).found).toBeNull();
    fs.chownSync(state, victim.uid, victim.gid);
    expect((await discover(victim)).found).toMatchObject({ pid: info.pid });
    const real = path.join(tmp, "elsewhere.json");
    fs.copyFileSync(state, real);
    fs.chownSync(real, victim.uid, victim.gid);
    fs.rmSync(state);
    fs.symlinkSync(real, state);
    fs.lchownSync(state, victim.uid, victim.gid);
    expect((await discover(victim)).found).toBeNull();
    killPid(info.pid, "SIGTERM");
    await waitFor(() => s.child.exitCode !== null, 10_000);
  }, 120_000);
});
