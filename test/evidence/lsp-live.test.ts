/**
 * Live evidence in the editor, end to end on the real kernel: the agent of agent-world.ts runs,
 * a real `ghostwatch probe --serve` samples the host (the Ollama stand-in as its endpoint, the
 * cloud stand-ins as --cloud-host), and the real language server over stdio, given that probe,
 * publishes `ghostwatch-live` diagnostics and code lenses on the calls that opened the sockets,
 * the route audit in the hover of the lying name — and drops them when the agent dies.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { CodeLens, Diagnostic, Hover } from "vscode-languageserver-protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, TestClient, uriOf } from "../lsp/helpers.js";
import { startAgentWorld, type AgentWorld } from "./agent-world.js";
import { DEFAULT_THRESHOLDS, evaluate, normaliseSample } from "../../extension/health-model.js";
import { buildHealthNodes, type HealthNode, type OpenedBy } from "../../extension/views/health-nodes.js";

function find(nodes: HealthNode[], pred: (n: HealthNode) => boolean): HealthNode | undefined {
  for (const n of nodes) {
    if (pred(n)) return n;
    const c = n.children ? find(n.children, pred) : undefined;
    if (c) return c;
  }
  return undefined;
}

let w: AgentWorld;
let probe: ChildProcess | undefined;
let probeUrl = "";
let stateDir = "";
let client: TestClient | undefined;

beforeAll(async () => {
  w = await startAgentWorld();
  stateDir = mkdtempSync(path.join(os.tmpdir(), "gw-live-state-"));
  probe = spawn(
    process.execPath,
    [path.join(ROOT, "dist/server/cli.js"), "probe", "--serve", "--interval", "400", "--endpoint", `http://localhost:${w.ollamaPort}`, "--cloud-host", "127.0.0.2", "--cloud-host", "127.0.0.4", "--raise-after", "1"],
    { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"], detached: true, env: { ...process.env, GHOSTWATCH_STATE_DIR: stateDir } },
  );
  probeUrl = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("probe did not serve")), 20_000);
    probe!.stdout!.on("data", (d: Buffer) => {
      const m = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(d.toString());
      if (m) (clearTimeout(t), resolve(m[1]));
    });
    probe!.once("exit", (c) => reject(new Error(`probe exited (${c})`)));
  });
}, 40_000);

afterAll(async () => {
  await client?.stop();
  if (probe?.pid && probe.exitCode === null && probe.signalCode === null) {
    const gone = new Promise((r) => probe!.once("exit", r));
    process.kill(-probe.pid, "SIGTERM");
    await gone;
  }
  await w?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

const live = (ds: Diagnostic[] | undefined) => (ds ?? []).filter((d) => d.source === "ghostwatch-live");

describe.runIf(process.platform === "linux")("live evidence in the language server", () => {
  it("publishes ghostwatch-live diagnostics and lenses on the calls, the audit in the lying name's hover, and drops them when the process ends", async () => {
    client = new TestClient({ root: w.dir, initOptions: { liveEvidence: { probeUrl, intervalMs: 300, closeWaitWarn: 10, connectTo: [...w.connectTo].map(([k, v]) => `${k}:${v}`) } } });
    await client.initialize();
    client.open(w.file);
    const uri = uriOf(w.file);
    const diags = await client.waitFor("live diagnostics", () => {
      const last = [...client!.publishes].reverse().find((p) => p.uri === uri);
      const l = live(last?.diagnostics);
      return l.length === 3 ? l : undefined;
    }, 30_000);
    const rows = diags
      .map((d) => ({ line: d.range.start.line + 1, severity: d.severity, code: d.code, message: d.message, related: (d.relatedInformation ?? []).map((r) => r.message.split(":")[0]).sort() }))
      .sort((a, b) => a.line - b.line);
    expect(rows).toEqual([
      { line: 8, severity: 3, code: "close-wait", message: `live: pid ${w.pid} holds ${w.g} CLOSE-WAIT sockets to api.groq.com:443 from fetch() (node agent.mjs)`, related: ["honest-llm-names", "no-unclosed-http-client", "require-llm-max-tokens", "require-llm-temperature", "require-request-timeout"] },
      { line: 14, severity: 2, code: "close-wait", message: `live: pid ${w.pid} holds ${w.n} CLOSE-WAIT sockets to 127.0.0.2:${w.cloudPort} from fetch() (node agent.mjs)`, related: ["no-unclosed-http-client", "require-llm-max-tokens", "require-llm-temperature", "require-request-timeout"] },
      { line: 20, severity: 3, code: "connections", message: `live: pid ${w.pid} holds ${w.m} established sockets to localhost:${w.ollamaPort} from fetch() (node agent.mjs)`, related: ["require-llm-max-tokens", "require-llm-temperature", "require-request-timeout"] },
    ]);

    const lenses = await client.request<CodeLens[]>("textDocument/codeLens", { textDocument: { uri } });
    const cloudPct = Math.round((100 * (w.n + w.g)) / (w.n + w.g + w.m));
    expect(lenses.filter((l) => l.command?.title.startsWith("live:")).map((l) => `${l.range.start.line + 1} ${l.command!.title}`).sort()).toEqual([
      `14 live: ${w.n} CLOSE-WAIT · ${cloudPct} % cloud (pid ${w.pid})`,
      `20 live: ${w.m} established · ${cloudPct} % cloud (pid ${w.pid})`,
      `8 live: ${w.g} CLOSE-WAIT · ${cloudPct} % cloud (pid ${w.pid})`,
    ]);

    const text = client.text(w.file);
    const at = text.indexOf("callOllama");
    const line = text.slice(0, at).split("\n").length - 1;
    const character = at - text.lastIndexOf("\n", at) - 1;
    const hover = await client.request<Hover>("textDocument/hover", { textDocument: { uri }, position: { line, character } });
    const value = (hover.contents as { value: string }).value;
    expect(value).toContain(`**Live route audit** contradicts the name: pid ${w.pid}, last 24 h: `);
    // the probe knows the stand-ins by address (--cloud-host), the code by name: the audit speaks the probe's terms
    expect(value).toContain(`pid ${w.pid}, last 24 h: 127.0.0.2:${w.cloudPort} ${w.n} · localhost:${w.ollamaPort} ${w.m} · 127.0.0.4:${w.groqPort} ${w.g} (${((100 * w.m) / (w.n + w.m + w.g)).toFixed(1)} % local)`);

    // Host Health: the process node of the agent lists "opened by" children that reveal the code
    const opened = await client.request<{ explanations: OpenedBy[] }>("ghostwatch/liveEvidence", {});
    const health = normaliseSample(await (await fetch(`${probeUrl}/health`)).json());
    const nodes = buildHealthNodes(health, evaluate(health, DEFAULT_THRESHOLDS), DEFAULT_THRESHOLDS, opened.explanations);
    const proc = find(nodes, (n) => n.id === `sockets/close-wait/${w.pid}`);
    expect(proc?.children?.filter((c) => c.label.startsWith("opened by")).map((c) => `${c.label} | ${c.description} | ${c.open?.uri === uri ? "agent.mjs" : c.open?.uri}:${c.open?.line}`).sort()).toEqual([
      `opened by callCloud | agent.mjs:14 · ${w.n} CLOSE-WAIT to 127.0.0.2:${w.cloudPort} | agent.mjs:14`,
      `opened by callOllama | agent.mjs:8 · ${w.g} CLOSE-WAIT to api.groq.com:443 | agent.mjs:8`,
    ]);

    // the process ends: its sockets close, the evidence goes stale and disappears
    await w.killAgent();
    await client.waitFor("live diagnostics gone", () => {
      const last = [...client!.publishes].reverse().find((p) => p.uri === uri);
      return last && live(last.diagnostics).length === 0 ? true : undefined;
    }, 30_000);
  }, 90_000);
});
