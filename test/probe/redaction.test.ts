/**
 * Issue 15: 0 leaks over the secret table (test/probe/fixtures/secret-forms.json: CLI flags,
 * `-p` forms of mysql/sshpass/docker login, config verbs, env-style assignments, URLs with
 * userinfo, bearer/header forms, API-key shapes of OpenAI, Anthropic, Groq, Hugging Face, xAI,
 * OpenRouter, GitHub, GitLab, Slack, AWS, Google, Stripe, Replicate, Perplexity …), first through
 * the redactor, then as real processes on the host read by the real CLI and `--serve`.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, ROOT, killPid, killTracked, probe, procState, tempDir, track, waitFor } from "./helpers.js";

interface Form {
  name: string;
  argv: string[];
  secret: string | null;
  keep?: string[];
}
const { forms } = JSON.parse(fs.readFileSync(path.join(ROOT, "test/probe/fixtures/secret-forms.json"), "utf8")) as { forms: Form[] };
const secrets = forms.map((f) => f.secret).filter((s): s is string => !!s);
const holders: ChildProcess[] = [];
const stateDir = tempDir("gw-redact-");

beforeAll(async () => {
  // One real process per form whose argv[0] is the form's program (a tiny `sh` that sleeps:
  // its command line reads `mysql -c "sleep 600; :" -u root -p …`, as the probe sees it in /proc).
  for (const f of forms) {
    // detached: its own process group, so the group kill below also stops its `sleep`.
    const c = spawn("/bin/sh", ["-c", "sleep 600; :", ...f.argv.slice(1)], { argv0: f.argv[0], stdio: "ignore", detached: true });
    holders.push(c);
  }
  await waitFor(() => holders.every((h, i) => h.pid && fs.readFileSync(`/proc/${h.pid}/cmdline`, "utf8").startsWith(`${forms[i]!.argv[0]}\0-c\0`)), 5000);
});

afterAll(() => {
  for (const h of holders) if (h.pid) killPid(-h.pid);
  killTracked();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

describe("secret table", () => {
  it(`has at least 30 secret forms (${forms.length})`, () => {
    expect(secrets.length).toBeGreaterThanOrEqual(30);
    expect(new Set(secrets).size).toBe(secrets.length);
  });

  it("redactor: 0 leaks, and what is not secret survives", async () => {
    const { commandLine } = await import(path.join(ROOT, "dist/server/probe/redact.js"));
    const problems: string[] = [];
    for (const f of forms) {
      const line: string = commandLine(f.argv, "");
      if (f.secret && line.includes(f.secret)) problems.push(`LEAK ${f.name}: ${line}`);
      if (f.secret && !line.includes("***") && !line.includes("[private key redacted]")) problems.push(`NO MASK ${f.name}: ${line}`);
      for (const k of f.keep ?? []) if (!line.includes(k)) problems.push(`LOST "${k}" in ${f.name}: ${line}`);
    }
    expect(problems).toEqual([]);
  });

  it("real processes: --json, the table, --check, --metrics and /health of --serve leak none of them", async () => {
    const pids = holders.map((h) => h.pid!);
    for (const pid of pids) expect(procState(pid)).toMatch(/^[SR]$/);
    const scope = ["--pid", pids.join(","), "--no-endpoints", "--top", "1000"];
    const [json, table, check, metrics] = await Promise.all([probe(["--json", ...scope]), probe(scope), probe(["--check", ...scope]), probe(["--metrics", ...scope])]);
    const snap = JSON.parse(json.stdout);
    const rows = new Map<number, string>(snap.fds.map((f: { pid: number; command: string }) => [f.pid, f.command]));
    const problems: string[] = [];
    forms.forEach((f, i) => {
      const cmd = rows.get(pids[i]!);
      if (cmd === undefined) return problems.push(`NOT LISTED ${f.name} (pid ${pids[i]})`);
      if (!cmd.startsWith(f.argv[0]!)) problems.push(`WRONG PROCESS ${f.name}: ${cmd}`);
      if (f.secret && cmd.includes(f.secret)) problems.push(`LEAK ${f.name}: ${cmd}`);
      for (const k of f.keep ?? []) if (!cmd.includes(k)) problems.push(`LOST "${k}" in ${f.name}: ${cmd}`);
    });
    expect(problems).toEqual([]);
    // --serve's /health and /metrics
    const s = track(process.execPath, [CLI, "probe", "--serve", "--json", ...scope, "--interval", "500"], { env: { ...process.env, GHOSTWATCH_STATE_DIR: stateDir } });
    const line = await new Promise<string>((resolve) => {
      let out = "";
      s.stdout!.on("data", (d) => {
        out += d;
        if (out.includes("\n")) resolve(out);
      });
    });
    const { port } = JSON.parse(line);
    const get = (p: string) =>
      new Promise<string>((resolve, reject) => {
        http.get({ host: "127.0.0.1", port, path: p, agent: false, headers: { host: `127.0.0.1:${port}` } }, (res) => {
          let b = "";
          res.on("data", (d) => (b += d));
          res.on("end", () => resolve(b));
        }).on("error", reject);
      });
    const [health, served] = [await get("/health"), await get("/metrics")];
    killPid(s.pid, "SIGTERM");
    const all = [json.stdout, json.stderr, table.stdout, table.stderr, check.stdout, check.stderr, metrics.stdout, metrics.stderr, health, served].join("\n");
    expect(secrets.filter((x) => all.includes(x))).toEqual([]);
    expect(JSON.parse(health).fds.length).toBeGreaterThanOrEqual(forms.length);
  }, 90_000);
});
