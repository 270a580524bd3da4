import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CodeAction, CodeLens, Diagnostic, DocumentDiagnosticReport, Hover, WorkspaceEdit } from "vscode-languageserver-protocol";
import { afterEach, describe, expect, it } from "vitest";
import { CancellationTokenSource, RULE, TestClient, applyEditToDisk, copyFixture, uriOf, removeFixtureCopies } from "./helpers.js";

let client: TestClient | undefined;
afterEach(async () => {
  await client?.stop();
  client = undefined;
  removeFixtureCopies();
});

async function openZombie(opts: Partial<ConstructorParameters<typeof TestClient>[0]> = {}) {
  const root = copyFixture("zombie");
  const runner = path.join(root, "src/runner.ts");
  client = new TestClient({ root, progress: false, settings: { workspaceScan: false }, ...opts });
  await client.initialize();
  client.open(runner);
  const d = await client.waitFor("callOllama diagnostic", () => client!.ours(runner)?.find((x) => x.message.startsWith("callOllama()")));
  return { root, runner, d, client };
}

function actions(c: TestClient, file: string, d: Diagnostic, only?: string[]) {
  return c.request<CodeAction[]>("textDocument/codeAction", {
    textDocument: { uri: uriOf(file) },
    range: d.range,
    context: { diagnostics: [d], ...(only ? { only } : {}) },
  });
}

describe("ghostwatch-lsp features", () => {
  it("renames to the honest name across the project in one WorkspaceEdit; applied, no honest-llm-names report remains", async () => {
    const { root, runner, d, client: c } = await openZombie({ resolveEdit: true });
    const list = await actions(c, runner, d);
    const rename = list.find((a) => a.title.startsWith("Rename callOllama to"));
    expect(rename?.title).toBe("Rename callOllama to callRouterWithOllamaFallback across the project");
    expect(rename?.edit).toBeUndefined(); // computed lazily (codeAction/resolve)
    const resolved = await c.request<CodeAction>("codeAction/resolve", rename);
    const edit = resolved.edit as WorkspaceEdit;
    const files = Object.keys(edit.changes ?? {}).map((u) => path.relative(root, fileURLToPath(u))).sort();
    expect(files).toEqual(["src/caller.ts", "src/runner.ts"]);
    expect(edit.changes![uriOf(runner)].length).toBe(2); // declaration + the call in runNextExperiment
    expect(edit.changes![uriOf(path.join(root, "src/caller.ts"))].length).toBe(2); // import + call

    // Apply it on disk and lint the project with the same rule through the CLI: nothing left.
    applyEditToDisk(edit);
    expect(fs.readFileSync(path.join(root, "src/caller.ts"), "utf8")).toContain('import { callRouterWithOllamaFallback } from "./runner";');
    const newText = fs.readFileSync(runner, "utf8");
    c.change(runner, newText);
    await c.waitFor("no report after rename", () => c.diagnostics.get(uriOf(runner))?.version === c.version(runner) && c.ours(runner)?.length === 0);
    const caller = path.join(root, "src/caller.ts");
    c.open(caller);
    await c.waitFor("caller clean", () => c.ours(caller)?.length === 0);

    // Other quick fixes offered: disable for this line, show documentation. No in-file ESLint rename:
    // callOllama is exported and imported by caller.ts, so only the project-wide rename is safe (issue 14 item 4).
    const titles = list.map((a) => a.title);
    expect(titles).not.toContain("Rename callOllama to callRouterWithOllamaFallback in this file.");
    expect(titles).toContain(`Disable ${RULE} for this line`);
    expect(titles).toContain(`Show documentation for ${RULE}`);
    const disable = list.find((a) => a.title === `Disable ${RULE} for this line`)!;
    expect(Object.values(disable.edit!.changes!)[0][0]).toMatchObject({ range: { start: { line: 8, character: 0 } }, newText: `// eslint-disable-next-line ${RULE}\n` });
    const docs = list.find((a) => a.title.startsWith("Show documentation"))!;
    await c.request("workspace/executeCommand", docs.command);
    expect(c.shown.at(-1)).toMatch(/docs\/rules\/honest-llm-names\.md$/);
  });

  it("'disable for this line' applied silences the diagnostic; rename without resolve support carries its edit", async () => {
    const { runner, d, client: c } = await openZombie({ resolveEdit: false });
    const list = await actions(c, runner, d);
    const rename = list.find((a) => a.title.startsWith("Rename callOllama to") && a.title.endsWith("across the project"));
    expect(Object.keys(rename?.edit?.changes ?? {}).length).toBe(2);
    const disable = list.find((a) => a.title.startsWith("Disable"))!;
    const text = c.text(runner);
    const edits = disable.edit!.changes![uriOf(runner)];
    const lines = text.split("\n");
    lines.splice(edits[0].range.start.line, 0, edits[0].newText.replace(/\n$/, ""));
    c.change(runner, lines.join("\n"));
    await c.waitFor("silenced", () => c.diagnostics.get(uriOf(runner))?.version === c.version(runner) && c.ours(runner)?.length === 0);
  });

  it("hover shows the reach chain with file:line links; code lens shows the chain", async () => {
    const { root, runner, d, client: c } = await openZombie();
    const hover = await c.request<Hover>("textDocument/hover", { textDocument: { uri: uriOf(runner) }, position: { line: d.range.start.line, character: d.range.start.character + 3 } });
    const md = (hover.contents as { value: string }).value;
    expect(md).toContain("**callOllama()** reaches: localhost:4000 (LiteLLM) → openrouter.ai → api.groq.com → localhost:11434");
    expect(md).toContain(`[src/router.ts:4](${uriOf(path.join(root, "src/router.ts"))}#L4)`);
    expect(md).toContain(`[src/runner.ts:17](${uriOf(runner)}#L17)`);
    expect(md).toContain("Honest name: `callRouterWithOllamaFallback`");
    // Hover on a call site of an imported function (router.ts's callRouter) shows its chain too.
    const callLine = c.text(runner).split("\n").findIndex((l) => l.includes("await callRouter(prompt)"));
    const h2 = await c.request<Hover>("textDocument/hover", { textDocument: { uri: uriOf(runner) }, position: { line: callLine, character: c.text(runner).split("\n")[callLine].indexOf("callRouter") + 2 } });
    expect((h2.contents as { value: string }).value).toContain("**callRouter()** reaches: localhost:4000 (LiteLLM) → openrouter.ai");
    // Nothing on a function that reaches no model.
    const paths = path.join(root, "src/config-paths.ts");
    c.open(paths);
    const h3 = await c.request<Hover | null>("textDocument/hover", { textDocument: { uri: uriOf(paths) }, position: { line: 3, character: 18 } });
    expect(h3).toBeNull();

    const lenses = await c.request<CodeLens[]>("textDocument/codeLens", { textDocument: { uri: uriOf(runner) } });
    const byLine = Object.fromEntries(lenses.map((l) => [l.range.start.line, l.command!.title]));
    expect(byLine[8]).toBe("reaches: localhost:4000 (LiteLLM) → openrouter.ai → api.groq.com → localhost:11434");
    expect(Object.values(byLine)).toContain("reaches: localhost:4000 (LiteLLM) → openrouter.ai → api.groq.com → localhost:11434"); // runNextExperiment too
    expect(lenses.length).toBe(3); // callOllama, runNextExperiment, main
    const res = await c.request<string>("workspace/executeCommand", lenses[0].command);
    expect(res).toBe(lenses[0].command!.title);
    expect(await c.request<CodeLens[]>("textDocument/codeLens", { textDocument: { uri: uriOf(paths) } })).toEqual([]);
  });

  it("pull diagnostics: the client pulls open documents, and a cross-file change triggers a refresh", async () => {
    const root = copyFixture("zombie");
    const runner = path.join(root, "src/runner.ts");
    const router = path.join(root, "src/router.ts");
    const c = (client = new TestClient({ root, progress: false, pull: true, settings: { workspaceScan: false } }));
    const init = (await c.initialize()) as { capabilities: { diagnosticProvider?: unknown } };
    expect(init.capabilities.diagnosticProvider).toMatchObject({ interFileDependencies: true });
    c.open(runner);
    c.open(router);
    const pull = () => c.request<DocumentDiagnosticReport & { items?: Diagnostic[]; resultId?: string }>("textDocument/diagnostic", { textDocument: { uri: uriOf(runner) } });
    const r1 = await pull();
    expect(r1.kind).toBe("full");
    expect(r1.items!.find((x) => x.code === RULE)?.message).toContain("openrouter.ai (src/router.ts:5)");
    const unchanged = await c.request<DocumentDiagnosticReport>("textDocument/diagnostic", { textDocument: { uri: uriOf(runner) }, previousResultId: r1.resultId });
    expect(unchanged.kind).toBe("unchanged");
    expect(c.publishes.filter((p) => p.uri === uriOf(runner) && p.diagnostics.length)).toEqual([]); // never pushed for open docs
    const before = c.refreshes;
    c.change(router, c.text(router).replace("if (!res.ok) return callOpenRouter(prompt);", "if (!res.ok) return undefined;"));
    await c.waitFor("refresh", () => c.refreshes > before);
    const r2 = await pull();
    expect(r2.items!.find((x) => x.code === RULE)?.message).not.toContain("openrouter.ai");
  });

  it("cancellation: a pending pull request answers RequestCancelled; a cancelled scan stops", async () => {
    const root = copyFixture("zombie");
    const runner = path.join(root, "src/runner.ts");
    const c = (client = new TestClient({ root, progress: false, pull: true, settings: { workspaceScan: false, debounceMs: 3000 } }));
    await c.initialize();
    c.open(runner);
    await c.request("textDocument/diagnostic", { textDocument: { uri: uriOf(runner) } });
    // The first edit after a pause is validated at once (leading edge); the second, right behind it,
    // is debounced for 3 s (trailing edge): the pull below waits for it.
    c.change(runner, c.text(runner) + "\n// edit\n");
    c.change(runner, c.text(runner) + "\n// edit 2\n");
    await new Promise((r) => setTimeout(r, 100));
    const cts = new CancellationTokenSource();
    const p = c.request("textDocument/diagnostic", { textDocument: { uri: uriOf(runner) } }, cts);
    setTimeout(() => cts.cancel(), 100);
    await expect(p).rejects.toMatchObject({ code: -32800 });
  });

  it("workspace scan on start reports unopened files with work-done progress, and can be cancelled", async () => {
    const root = copyFixture("zombie");
    // 300 more files so the scan takes a while.
    for (let i = 0; i < 300; i++) fs.writeFileSync(path.join(root, `src/gen${i}.ts`), `export function helper${i}(x: number) { return x + ${i}; }\n`);
    const c = (client = new TestClient({ root, progress: true, settings: {} }));
    await c.initialize();
    const runner = path.join(root, "src/runner.ts");
    await c.waitFor("scan diagnostic for unopened runner.ts", () => c.ours(runner)?.find((x) => x.message.startsWith("callOllama()")));
    await c.waitFor("progress end", () => c.progress.find((p) => p.value.kind === "end"));
    const begin = c.progress.find((p) => p.value.kind === "begin")!;
    expect(begin.value).toMatchObject({ title: "Ghostwatch", cancellable: true });
    expect(c.progress.some((p) => p.value.kind === "report" && /scanning \d+\/304 files/.test(p.value.message ?? ""))).toBe(true);
    const idle = await c.waitFor("idle status", () => c.status.find((s) => (s as { state: string }).state === "idle"));
    expect(idle).toMatchObject({ state: "idle", scanned: 304, total: 304 });
    expect((idle as { filesWithProblems: number }).filesWithProblems).toBeGreaterThanOrEqual(1); // other rules may flag router.ts too

    // Rescan, cancel through the progress token: it stops before the end.
    const c2 = c;
    const n = c2.progress.length;
    void c2.request("workspace/executeCommand", { command: "ghostwatch.scanWorkspace", arguments: [] });
    const b2 = await c2.waitFor("second begin", () => c2.progress.slice(n).find((p) => p.value.kind === "begin"));
    await c2.conn.sendNotification("window/workDoneProgress/cancel", { token: b2.token });
    await c2.waitFor("cancelled", () => c2.logs.find((l) => l.includes("workspace scan cancelled after")));
    const last = c2.status.at(-1) as { scanned: number; total: number };
    expect(last.scanned).toBeLessThan(last.total);
  });
});
