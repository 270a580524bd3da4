/**
 * Live evidence on the real kernel: a workspace whose code really runs as a child process
 * (the same file is linted and executed), loopback servers standing in for a cloud host
 * (127.0.0.2) and for Ollama (localhost), and a third remote no call site reaches. The child
 * holds N CLOSE-WAIT sockets to the cloud stand-in (error bodies left unread on the throw path),
 * M established connections to the Ollama stand-in (requests it never answers) and K CLOSE-WAIT
 * sockets to the unknown remote; the join must attribute exactly that.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LinuxReader } from "../../server/probe/backends/linux.js";
import { explainRead, renderExplanations } from "../../server/evidence/explain.js";
import { AddressResolver } from "../../server/evidence/resolve.js";
import { startAgentWorld, type AgentWorld } from "./agent-world.js";

let w: AgentWorld;
beforeAll(async () => {
  w = await startAgentWorld();
}, 30_000);
afterAll(async () => {
  await w?.stop();
});

describe.runIf(process.platform === "linux")("live evidence: sockets of a running agent → its call sites", () => {
  it("attributes exactly: N CLOSE-WAIT to the cloud site, M established to the local site, K unattributed", async () => {
    const read = await new LinuxReader().read();
    const result = await explainRead(read, [w.dir], { resolver: new AddressResolver({ connectTo: w.connectTo }), pids: [w.pid] });
    const [pc, po, pu, pg, N, M, K, G] = [w.cloudPort, w.ollamaPort, w.otherPort, w.groqPort, w.n, w.m, w.k, w.g];
    const rows = result.explanations.map((e) => ({
      state: e.state,
      remote: e.remote,
      count: e.count,
      sites: e.sites.map((s) => `${s.file}:${s.line} ${s.call} in ${s.function}`),
      rules: [...new Set(e.sites.flatMap((s) => s.findings.map((f) => f.rule)).filter((r) => r === "no-unclosed-http-client" || r === "honest-llm-names"))].sort(),
    }));
    expect(rows).toEqual([
      { state: "CLOSE_WAIT", remote: `127.0.0.2:${pc}`, count: N, sites: ["agent.mjs:14 fetch() in callCloud"], rules: ["no-unclosed-http-client"] },
      { state: "CLOSE_WAIT", remote: "api.groq.com:443", count: G, sites: ["agent.mjs:8 fetch() in callOllama"], rules: ["honest-llm-names", "no-unclosed-http-client"] },
      { state: "CLOSE_WAIT", remote: `127.0.0.3:${pu}`, count: K, sites: [], rules: [] },
      { state: "ESTABLISHED", remote: `localhost:${po}`, count: M, sites: ["agent.mjs:20 fetch() in callLocal"], rules: [] },
    ]);
    expect(result.explanations.every((e) => e.pid === w.pid && e.cwd === w.dir)).toBe(true);
    const text = renderExplanations(result);
    expect(text).toContain(`${N} CLOSE-WAIT to 127.0.0.2:${pc} ← agent.mjs:14 fetch() in callCloud — `);
    expect(text).toContain(`${G} CLOSE-WAIT to api.groq.com:443 [127.0.0.4:${pg}] ← agent.mjs:8 fetch() in callOllama — `);
    expect(text).toContain("(no-unclosed-http-client)");
    expect(text).toContain(`${K} CLOSE-WAIT to 127.0.0.3:${pu} ← unattributed`);
    expect(text).toMatch(new RegExp(`${M} ESTABLISHED to localhost:${po} \\[127\\.0\\.0\\.1:${po}\\] \\(\\d+ % of its model connections\\) ← agent\\.mjs:20 fetch\\(\\) in callLocal`));
  });

  it("a process outside the workspace is not attributed", async () => {
    const read = await new LinuxReader().read();
    const result = await explainRead(read, [path.join(w.dir, "elsewhere")], { resolver: new AddressResolver() });
    expect(result.explanations).toEqual([]);
  });
});
