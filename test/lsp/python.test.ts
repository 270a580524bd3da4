// Python in the language server: a real JSON-RPC client over stdio (dist/server/lsp.js --stdio)
// opening `.py` buffers. Same rule ids, messages and positions as `ghostwatch lint` on Python.
import fs from "node:fs";
import path from "node:path";
import type { CodeAction, CodeLens, Diagnostic, DocumentDiagnosticReport, Hover } from "vscode-languageserver-protocol";
import { afterEach, describe, expect, it } from "vitest";
import { RULE, TestClient, copyFixture, removeFixtureCopies, uriOf } from "./helpers.js";

let client: TestClient | undefined;
afterEach(async () => {
  await client?.stop();
  client = undefined;
  removeFixtureCopies();
});

const LIE =
  "call_ollama() claims a local model but reaches LiteLLM (runner.py:20) before localhost:11434 (runner.py:13). Rename it to say the route (e.g. call_router_with_ollama_fallback) or remove the other routes.";

const byCode = (ds: Diagnostic[] | undefined) => (ds ?? []).map((d) => [d.code, d.range.start.line, d.range.start.character]);

describe("ghostwatch-lsp on Python", () => {
  it("the incident's call_ollama (LiteLLM before localhost:11434): exact diagnostic from the buffer, cleared by an honest name, back with the lie", async () => {
    const root = copyFixture("python");
    const runner = path.join(root, "runner.py");
    client = new TestClient({ root, progress: false, settings: { workspaceScan: false } });
    await client.initialize();
    client.open(runner);
    const d = await client.waitFor("call_ollama diagnostic", () => client!.ours(runner)?.[0]);
    expect(d).toMatchObject({
      range: { start: { line: 15, character: 4 }, end: { line: 15, character: 15 } },
      severity: 1,
      source: "ghostwatch",
      code: RULE,
      message: LIE,
    });
    expect(d.codeDescription?.href).toMatch(/docs\/rules\/honest-llm-names\.md$/);
    // The other Python checks ride along, as in `ghostwatch lint`.
    expect(byCode(client.diagnostics.get(uriOf(runner))?.diagnostics)).toEqual([
      [RULE, 15, 4],
      ["ghostwatch/require-llm-temperature", 19, 15],
      ["ghostwatch/require-llm-max-tokens", 19, 15],
      ["ghostwatch/require-llm-temperature", 27, 29],
      ["ghostwatch/require-llm-max-tokens", 27, 29],
      ["ghostwatch/no-unclosed-http-client", 28, 14],
      ["ghostwatch/require-request-timeout", 28, 14],
      ["ghostwatch/no-unbounded-loop", 42, 4],
    ]);

    // Quick fixes for Python: the Python front's suggestions (a `# noqa` for the line; no ESLint
    // directive comment, no ts-morph rename) and the documentation.
    const actions = await client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri: uriOf(runner) }, range: d.range, context: { diagnostics: [d] } });
    expect(actions.map((a) => a.title)).toEqual([`Disable honest-llm-names for this line (# noqa: ${RULE})`, `Show documentation for ${RULE}`]);
    expect(actions[0].edit?.changes?.[uriOf(runner)]).toEqual([{ range: { start: { line: 15, character: 24 }, end: { line: 15, character: 24 } }, newText: `  # noqa: ${RULE}` }]);
    // A missing temperature: `temperature=0` into the call, as a quick fix.
    const temp = client.diagnostics.get(uriOf(runner))!.diagnostics.find((x) => x.code === "ghostwatch/require-llm-temperature")!;
    const tActions = await client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri: uriOf(runner) }, range: temp.range, context: { diagnostics: [temp] } });
    expect(tActions.map((a) => a.title)).toEqual(["Add `temperature=0` to this call.", "Disable require-llm-temperature for this line (# noqa: ghostwatch/require-llm-temperature)", "Show documentation for ghostwatch/require-llm-temperature"]);
    expect(tActions[0].edit?.changes?.[uriOf(runner)]).toEqual([{ range: { start: { line: 22, character: 123 }, end: { line: 22, character: 123 } }, newText: "\n            temperature=0," }]);

    // The honest name, typed into the buffer (the file on disk still lies): call_ollama's diagnostic
    // goes; the module docstring's "on local model" promise now lands on run_next_experiment, exactly
    // as `ghostwatch lint` reports the renamed file.
    const original = client.text(runner);
    const v = client.change(runner, original.replace(/call_ollama/g, "call_router_with_ollama_fallback"));
    await client.waitFor("honest name", () => client!.diagnostics.get(uriOf(runner))?.version === v);
    expect(client.ours(runner)?.map((x) => [x.range.start.line, x.message.split(" but ")[0]])).toEqual([
      [32, 'run_next_experiment() is documented as using a local model ("on local model")'],
    ]);
    // Fixing the code instead (no LiteLLM route: local only) clears every honest-llm-names finding.
    const localOnly = original.replace(/    try:\n[\s\S]*?    except Exception:\n/, "    if True:\n");
    expect(localOnly).not.toContain("completion(");
    const v2 = client.change(runner, localOnly);
    await client.waitFor("local only clears it", () => client!.diagnostics.get(uriOf(runner))?.version === v2 && client!.ours(runner)?.length === 0);
    expect(byCode(client.diagnostics.get(uriOf(runner))?.diagnostics).map((x) => x[0])).toEqual(["ghostwatch/require-llm-temperature", "ghostwatch/require-llm-max-tokens", "ghostwatch/no-unclosed-http-client", "ghostwatch/require-request-timeout", "ghostwatch/no-unbounded-loop"]);
    const v3 = client.change(runner, original);
    const back = await client.waitFor("lie back", () => client!.diagnostics.get(uriOf(runner))?.version === v3 && client!.ours(runner)?.[0]);
    expect(back.message).toBe(LIE);

  });

  it("cross-file through a relative import: editing router.py (unsaved) re-validates agent.py", async () => {
    const root = copyFixture("python");
    const agent = path.join(root, "pkg/agent.py");
    const router = path.join(root, "pkg/router.py");
    client = new TestClient({ root, progress: false, settings: { workspaceScan: false } });
    await client.initialize();
    client.open(agent);
    const d = await client.waitFor("ask_local_llm diagnostic", () => client!.ours(agent)?.[0]);
    expect(d.range).toEqual({ start: { line: 4, character: 4 }, end: { line: 4, character: 17 } });
    expect(d.message).toBe(
      "ask_local_llm() claims a local model but reaches openrouter.ai (pkg/router.py:6) and never a local model. Rename it to say the route (e.g. ask_router) or remove the other routes.",
    );
    client.open(router);
    client.change(router, client.text(router).replace("https://openrouter.ai/api/v1/chat/completions", "http://localhost:11434/v1/chat/completions"));
    await client.waitFor("agent.py cleared by the router edit", () => client!.ours(agent)?.length === 0);
    client.change(router, client.text(router).replace("http://localhost:11434/v1/chat/completions", "https://api.groq.com/openai/v1/chat/completions"));
    const d2 = await client.waitFor("agent.py back, with the new route", () => client!.ours(agent)?.[0]);
    expect(d2.message).toContain("reaches api.groq.com (pkg/router.py:6) and never a local model");
  });

  it("hover and code lens on Python functions show the reach chain", async () => {
    const root = copyFixture("python");
    const runner = path.join(root, "runner.py");
    const agent = path.join(root, "pkg/agent.py");
    client = new TestClient({ root, progress: false, settings: { workspaceScan: false } });
    await client.initialize();
    client.open(runner);
    client.open(agent);
    await client.waitFor("diagnostics", () => client!.ours(runner)?.length && client!.ours(agent)?.length);
    const hover = await client.request<Hover>("textDocument/hover", { textDocument: { uri: uriOf(runner) }, position: { line: 15, character: 8 } });
    const md = (hover.contents as { value: string }).value;
    expect(md.split("\n")[0]).toBe("**call_ollama()** reaches: LiteLLM → localhost:11434");
    expect(md).toContain("Honest name: `call_router_with_ollama_fallback`");
    expect(hover.range).toEqual({ start: { line: 15, character: 4 }, end: { line: 15, character: 15 } });
    // A call of an imported function: the chain of router.py's chat().
    const h2 = await client.request<Hover>("textDocument/hover", { textDocument: { uri: uriOf(agent) }, position: { line: 5, character: 12 } });
    expect((h2.contents as { value: string }).value.split("\n")[0]).toBe("**chat()** reaches: openrouter.ai");
    const lenses = await client.request<CodeLens[]>("textDocument/codeLens", { textDocument: { uri: uriOf(runner) } });
    expect(lenses.map((l) => [l.range.start.line, l.command?.title])).toEqual([
      [15, "reaches: LiteLLM → localhost:11434"],
      [32, "reaches: LiteLLM → localhost:11434"],
      [41, "reaches: LiteLLM → localhost:11434"],
    ]);
  });

  it("the workspace scan includes .py files; a pull client gets the same diagnostics for an open .py", async () => {
    const root = copyFixture("python");
    const runner = path.join(root, "runner.py");
    const agent = path.join(root, "pkg/agent.py");
    client = new TestClient({ root, pull: true, progress: true });
    await client.initialize();
    // Unopened files are pushed by the scan.
    await client.waitFor("scan pushed both", () => client!.ours(runner)?.length && client!.ours(agent)?.length);
    expect(client.ours(runner)![0].message).toBe(LIE);
    await client.waitFor("scan end", () => client!.progress.some((p) => p.value.kind === "end"));
    expect(client.progress.find((p) => p.value.kind === "begin")?.value.message).toBe("scanning 0/4 files");
    client.open(runner);
    const report = await client.request<DocumentDiagnosticReport>("textDocument/diagnostic", { textDocument: { uri: uriOf(runner) } });
    expect(report.kind).toBe("full");
    const items = (report as { items: Diagnostic[] }).items;
    expect(items.map((d) => d.code)).toEqual([RULE, "ghostwatch/require-llm-temperature", "ghostwatch/require-llm-max-tokens", "ghostwatch/require-llm-temperature", "ghostwatch/require-llm-max-tokens", "ghostwatch/no-unclosed-http-client", "ghostwatch/require-request-timeout", "ghostwatch/no-unbounded-loop"]);
    expect(items[0].message).toBe(LIE);

    // Mid-typing syntax error: the last good diagnostics stay until the file parses again.
    const original = client.text(runner);
    client.change(runner, original.replace("def run_next_experiment(db):", "def run_next_experiment(db:"));
    const during = await client.request<DocumentDiagnosticReport>("textDocument/diagnostic", { textDocument: { uri: uriOf(runner) } });
    expect((during as { items: Diagnostic[] }).items.map((d) => d.message)).toEqual(items.map((d) => d.message));
    client.change(runner, original.replace('OLLAMA_URL = "http://localhost:11434', 'OLLAMA_URL = "http://127.0.0.1:11434'));
    const after = await client.request<DocumentDiagnosticReport>("textDocument/diagnostic", { textDocument: { uri: uriOf(runner) } });
    expect((after as { items: Diagnostic[] }).items[0].message).toContain("before 127.0.0.1:11434 (runner.py:13)");
  });

  it("rule levels and options come from the workspace flat config (as for a .ts file in the same folder), else from settings", async () => {
    const root = copyFixture("flatconfig");
    fs.mkdirSync(path.join(root, "node_modules"), { recursive: true });
    fs.symlinkSync(path.resolve(__dirname, "../.."), path.join(root, "node_modules/ghostwatch"));
    fs.symlinkSync(path.resolve(__dirname, "../../node_modules/@typescript-eslint"), path.join(root, "node_modules/@typescript-eslint"));
    const runner = path.join(root, "src/runner.py");
    fs.copyFileSync(path.join(__dirname, "fixtures/python/runner.py"), runner);
    client = new TestClient({ root, progress: false, settings: { workspaceScan: false, rules: { "honest-llm-names": "error" } } });
    await client.initialize();
    client.open(runner);
    await client.waitFor("publish", () => client!.ours(runner)?.length);
    // eslint.config.mjs: honest-llm-names "warn", nothing else from Ghostwatch.
    expect(client.diagnostics.get(uriOf(runner))!.diagnostics.map((d) => [d.code, d.severity, d.message])).toEqual([
      [RULE, 2, LIE.replace(/runner\.py:/g, "src/runner.py:")],
    ]);

    // Settings (no flat config): the preset with per-rule overrides.
    const plain = copyFixture("python");
    const r2 = path.join(plain, "runner.py");
    await client.stop();
    client = new TestClient({ root: plain, progress: false, settings: { workspaceScan: false, rules: { "no-unbounded-loop": "off", "honest-llm-names": "warn" } } });
    await client.initialize();
    client.open(r2);
    await client.waitFor("publish", () => client!.ours(r2)?.length);
    expect(client.diagnostics.get(uriOf(r2))!.diagnostics.map((d) => [d.code, d.severity])).toEqual([
      [RULE, 2],
      ["ghostwatch/require-llm-temperature", 2],
      ["ghostwatch/require-llm-max-tokens", 2],
      ["ghostwatch/require-llm-temperature", 2],
      ["ghostwatch/require-llm-max-tokens", 2],
      ["ghostwatch/no-unclosed-http-client", 1],
      ["ghostwatch/require-request-timeout", 2],
    ]);
  });
});
