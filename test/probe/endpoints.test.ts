/**
 * Fake Ollama servers on loopback (normal, hanging, HTTP 500, cloud model, failing generation,
 * nothing loaded) and an OpenAI-compatible one, checked through the real CLI.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOllama, ANSI_MODEL, ANSI_VERSION, type FakeOllama, type Mode } from "./fake-ollama.js";
import { killTracked, probe } from "./helpers.js";

const fakes: Partial<Record<Mode, FakeOllama>> = {};

beforeAll(async () => {
  for (const m of ["normal", "hang", "500", "cloud", "generate-500", "nothing-loaded", "openai", "invalid-json", "ansi", "basic-auth"] as Mode[]) fakes[m] = await startFakeOllama(m);
});
afterAll(async () => {
  killTracked();
  for (const f of Object.values(fakes)) await f!.close();
});

const NONE = ["--pid", String(2 ** 22 + 1)]; // an impossible PID: keep host findings out of the exit code

async function json(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = await probe(["--json", ...NONE, ...args], env);
  if (!r.stdout.trim()) throw new Error(`no JSON from probe (exit ${r.code}): ${r.stderr}`);
  return { code: r.code, snap: JSON.parse(r.stdout) };
}

describe("LLM endpoints", () => {
  it("normal Ollama: up, version, installed and loaded models, latency, functional check that does not extend keep_alive", async () => {
    const f = fakes.normal!;
    const { snap } = await json(["--endpoint", `ollama=${f.url}`, "--functional"]);
    const e = snap.endpoints[0];
    expect(e).toMatchObject({ url: f.url, kind: "ollama", ok: true, status: "up", version: "0.12.6", models: ["llama3.2:1b"], loaded: ["llama3.2:1b"], cloudModels: [], error: null });
    expect(e.latencyMs).toBeGreaterThan(0);
    expect(e.functional).toMatchObject({ ok: true, model: "llama3.2:1b", error: null });
    const gen = f.requests.find((r) => r.path === "/api/generate")!.body as { model: string; keep_alive: string; options: { temperature: number; num_predict: number }; stream: boolean };
    expect(gen.model).toBe("llama3.2:1b");
    expect(gen.options).toEqual({ temperature: 0, num_predict: 1 });
    expect(gen.stream).toBe(false);
    const keep = Number(/^(\d+)s$/.exec(gen.keep_alive)![1]);
    expect(keep).toBeLessThanOrEqual(240); // the model's remaining life, never more
    expect(keep).toBeGreaterThan(200);
    expect(snap.warnings).toEqual([]);
  });

  it("never loads a model to probe it: no generation when nothing is loaded", async () => {
    const f = fakes["nothing-loaded"]!;
    const { snap } = await json(["--endpoint", `ollama=${f.url}`, "--functional"]);
    expect(snap.endpoints[0]).toMatchObject({ ok: true, loaded: [], functional: null });
    expect(f.requests.some((r) => r.path === "/api/generate")).toBe(false);
  });

  it("a hanging endpoint is reported as hanging within the timeout, CRITICAL for --check", async () => {
    const f = fakes.hang!;
    const t0 = Date.now();
    const [{ snap }, check] = await Promise.all([json(["--endpoint", f.url, "--timeout", "400"]), probe(["--check", ...NONE, "--endpoint", f.url, "--timeout", "400"])]);
    expect(snap.endpoints[0]).toMatchObject({ ok: false, status: "hanging" });
    expect(snap.endpoints[0].error).toMatch(/no answer within 400 ms/);
    expect(snap.warnings).toContainEqual(expect.objectContaining({ kind: "endpoint_hanging", severity: "critical" }));
    expect(check.code).toBe(2);
    expect(check.stdout).toMatch(/^GHOSTWATCH CRITICAL - .*hanging/);
    expect(Date.now() - t0).toBeLessThan(30_000);
  });

  it("HTTP 500 is an error, CRITICAL", async () => {
    const f = fakes["500"]!;
    const [{ snap }, check] = await Promise.all([json(["--endpoint", `ollama=${f.url}`]), probe(["--check", ...NONE, "--endpoint", `ollama=${f.url}`])]);
    expect(snap.endpoints[0]).toMatchObject({ ok: false, status: "error" });
    expect(snap.endpoints[0].error).toMatch(/HTTP 500/);
    expect(check.code).toBe(2);
  });

  it("cloud models (remote_host) and /api/status cloud section are reported, and never probed functionally", async () => {
    const f = fakes.cloud!;
    const { snap } = await json(["--endpoint", `ollama=${f.url}`, "--functional"]);
    expect(snap.endpoints[0]).toMatchObject({ ok: true, cloudModels: ["gpt-oss:120b-cloud"], cloud: { disabled: false } });
    const gen = f.requests.filter((r) => r.path === "/api/generate").map((r) => (r.body as { model: string }).model);
    expect(gen).not.toContain("gpt-oss:120b-cloud");
  });

  it("up but not working: a failing 1-token generation is CRITICAL", async () => {
    const f = fakes["generate-500"]!;
    const [{ snap }, check] = await Promise.all([json(["--endpoint", `ollama=${f.url}`, "--functional"]), probe(["--check", ...NONE, "--endpoint", `ollama=${f.url}`, "--functional"])]);
    expect(snap.endpoints[0]).toMatchObject({ ok: false, status: "up", functional: { ok: false, model: "llama3.2:1b" } });
    expect(snap.endpoints[0].functional.error).toMatch(/HTTP 500: model runner has unexpectedly stopped/);
    expect(check.code).toBe(2);
    expect(check.stdout).toMatch(/up but not working/);
  });

  it("OpenAI-compatible servers (auto-detected) and OLLAMA_HOST; a refused default is not a warning", async () => {
    const o = fakes.openai!;
    const [{ snap }, env, dflt] = await Promise.all([
      json(["--endpoint", o.url]),
      json([], { OLLAMA_HOST: fakes.normal!.url.replace("http://", "") }),
      probe(["--check", ...NONE], { OLLAMA_HOST: "" }),
    ]);
    expect(snap.endpoints[0]).toMatchObject({ kind: "openai", ok: true, models: ["qwen2.5-7b-instruct"] });
    expect(env.snap.endpoints[0]).toMatchObject({ url: fakes.normal!.url, ok: true, configured: true });
    expect(dflt.code).toBe(0); // no Ollama on 127.0.0.1:11434 here: reported, not a warning
  });

  it("200 with a body that is not JSON (a proxy's HTML page) is not up: error, --check CRITICAL, for ollama, openai and auto", async () => {
    const f = fakes["invalid-json"]!;
    const [{ snap }, check, asOpenAi, auto] = await Promise.all([
      json(["--endpoint", `ollama=${f.url}`]),
      probe(["--check", ...NONE, "--endpoint", `ollama=${f.url}`]),
      json(["--endpoint", `openai=${f.url}/v1`]),
      json(["--endpoint", f.url]),
    ]);
    expect(snap.endpoints[0]).toMatchObject({ ok: false, status: "error", version: null });
    expect(snap.endpoints[0].error).toBe('/api/version answered HTTP 200 without a JSON object (starts "<html><body>Welcome to nginx!</body></h…")');
    expect(check.code).toBe(2);
    expect(check.stdout).toMatch(/^GHOSTWATCH CRITICAL - .*answers with errors: \/api\/version answered HTTP 200 without a JSON object/);
    expect(asOpenAi.snap.endpoints[0]).toMatchObject({ kind: "openai", ok: false, status: "error" });
    expect(asOpenAi.snap.endpoints[0].error).toMatch(/^\/v1\/models answered HTTP 200 without a JSON object/);
    expect(auto.snap.endpoints[0]).toMatchObject({ ok: false, status: "error" });
  });

  it("terminal control in an endpoint's version and model names never reaches the output (table, --check, --json)", async () => {
    const f = fakes.ansi!;
    const args = ["--endpoint", `ollama=${f.url}`];
    const [{ snap }, table, check] = await Promise.all([json(args), probe([...NONE, ...args]), probe(["--check", ...NONE, ...args])]);
    expect(snap.endpoints[0]).toMatchObject({ ok: true, version: "0.12.6red", models: ["llama3.2:1b"], loaded: ["llama3.2:1b"] });
    expect(table.stdout).toMatch(/ok\s+0\.12\.6red\s+/);
    for (const out of [table.stdout, check.stdout, JSON.stringify(snap)]) {
      // eslint-disable-next-line no-control-regex
      expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]|\\u001b|\\u009b|pwned|retitled/);
    }
    expect(ANSI_VERSION).toContain("\u001b]0;pwned"); // the fake really sends it
    expect(ANSI_MODEL).toContain("\u001b]2;retitled");
  });

  it("a password in the --endpoint URL or OLLAMA_HOST is used for the request but shown nowhere (url, warnings, /metrics labels)", async () => {
    const f = fakes["basic-auth"]!;
    const withPw = f.url.replace("http://", "http://ollama:s3cretPassw0rdInUrl@");
    const down = "http://admin:hunter2Hunter2@127.0.0.1:9/x?api_key=k3yK3yK3y";
    const [{ snap }, env, metrics, check] = await Promise.all([
      json(["--endpoint", `ollama=${withPw}`, "--endpoint", down]),
      json([], { OLLAMA_HOST: withPw }),
      probe(["--metrics", ...NONE, "--endpoint", `ollama=${withPw}`, "--endpoint", down]),
      probe(["--check", ...NONE, "--endpoint", down]),
    ]);
    expect(snap.endpoints[0]).toMatchObject({ ok: true, url: f.url.replace("http://", "http://ollama:***@") });
    expect(snap.endpoints[1]).toMatchObject({ ok: false, url: "http://admin:***@127.0.0.1:9/x?api_key=***" });
    expect(env.snap.endpoints[0]).toMatchObject({ ok: true, configured: true, url: f.url.replace("http://", "http://ollama:***@") });
    expect(metrics.stdout).toContain(`ghostwatch_endpoint_up{url="${f.url.replace("http://", "http://ollama:***@")}",kind="ollama"} 1`);
    expect(check.stdout).toMatch(/LLM endpoint http:\/\/admin:\*\*\*@127\.0\.0\.1:9\/x\?api_key=\*\*\* is down/);
    const all = [JSON.stringify(snap), JSON.stringify(env.snap), metrics.stdout, metrics.stderr, check.stdout, check.stderr].join("\n");
    for (const secret of ["s3cretPassw0rdInUrl", "hunter2Hunter2", "k3yK3yK3y"]) expect(all).not.toContain(secret);
  });
});
