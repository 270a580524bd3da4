import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { RULE, TestClient, copyFixture, uriOf, removeFixtureCopies } from "./helpers.js";

let client: TestClient | undefined;
afterEach(async () => {
  await client?.stop();
  client = undefined;
  removeFixtureCopies();
});

const lie = (file: string) => (c: TestClient) => c.ours(file)?.find((d) => d.message.startsWith("callOllama()"));

describe("ghostwatch-lsp diagnostics (push)", () => {
  it("reports the cross-file lie on open, and it disappears and reappears with edits", async () => {
    const root = copyFixture("zombie");
    const runner = path.join(root, "src/runner.ts");
    client = new TestClient({ root, progress: false, settings: { workspaceScan: false } });
    await client.initialize();
    client.open(runner);
    const d = await client.waitFor("callOllama diagnostic", () => lie(runner)(client!));
    expect(d.range.start).toEqual({ line: 8, character: 22 });
    expect(d.severity).toBe(1);
    expect(d.code).toBe(RULE);
    expect(d.codeDescription?.href).toMatch(/docs\/rules\/honest-llm-names\.md$/);
    // cross-file evidence, in order, with file:line
    expect(d.message).toContain("callOllama() claims a local model but reaches localhost:4000 (LiteLLM) (src/router.ts:4), openrouter.ai (src/router.ts:5), api.groq.com (src/runner.ts:7) before localhost:11434 (src/runner.ts:17)");
    expect(d.message).toContain("callRouterWithOllamaFallback");

    const original = client.text(runner);
    // Make the name honest: the diagnostic disappears.
    const v = client.change(runner, original.replace(/callOllama/g, "callRouterWithOllamaFallback"));
    await client.waitFor("empty diagnostics", () => client!.diagnostics.get(uriOf(runner))?.version === v && client!.ours(runner)?.length === 0);
    // And comes back when the lie does.
    const v2 = client.change(runner, original);
    await client.waitFor("diagnostic back", () => client!.diagnostics.get(uriOf(runner))?.version === v2 && lie(runner)(client!));
  });

  it("editing router.ts updates the callOllama diagnostic in runner.ts (cross-file, open dependent)", async () => {
    const root = copyFixture("zombie");
    const runner = path.join(root, "src/runner.ts");
    const router = path.join(root, "src/router.ts");
    client = new TestClient({ root, progress: false, settings: { workspaceScan: false } });
    await client.initialize();
    client.open(runner);
    client.open(router);
    await client.waitFor("initial", () => lie(runner)(client!)?.message.includes("openrouter.ai"));
    // The router stops calling OpenRouter: runner.ts's diagnostic must drop openrouter.ai.
    const text = client.text(router).replace("if (!res.ok) return callOpenRouter(prompt);", "if (!res.ok) return undefined;");
    client.change(router, text);
    const d = await client.waitFor("updated", () => {
      const x = lie(runner)(client!);
      return x && !x.message.includes("openrouter.ai") ? x : undefined;
    });
    expect(d.message).toContain("localhost:4000 (LiteLLM) (src/router.ts:4), api.groq.com (src/runner.ts:7) before localhost:11434");
    // And back.
    client.change(router, fs.readFileSync(router, "utf8"));
    await client.waitFor("restored", () => lie(runner)(client!)?.message.includes("openrouter.ai (src/router.ts:5)"));
  });

  it("a file changed on disk (watcher event) updates the diagnostics of the open files that depend on it", async () => {
    const root = copyFixture("zombie");
    const runner = path.join(root, "src/runner.ts");
    const router = path.join(root, "src/router.ts");
    client = new TestClient({ root, progress: false, settings: { workspaceScan: false } });
    await client.initialize();
    client.open(runner);
    await client.waitFor("initial", () => lie(runner)(client!)?.message.includes("openrouter.ai"));
    fs.writeFileSync(router, fs.readFileSync(router, "utf8").replace("if (!res.ok) return callOpenRouter(prompt);", "if (!res.ok) return undefined;"));
    await client.conn.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: uriOf(router), type: 2 }] });
    await client.waitFor("updated from disk", () => {
      const x = lie(runner)(client!);
      return x && !x.message.includes("openrouter.ai");
    });
  });

  it("uses the workspace flat config when it uses the Ghostwatch plugin (severity from the config, other plugins' rules not run)", async () => {
    const root = copyFixture("flatconfig");
    fs.mkdirSync(path.join(root, "node_modules"), { recursive: true });
    fs.symlinkSync(path.resolve(__dirname, "../.."), path.join(root, "node_modules/ghostwatch"));
    fs.symlinkSync(path.resolve(__dirname, "../../node_modules/@typescript-eslint"), path.join(root, "node_modules/@typescript-eslint"));
    const runner = path.join(root, "src/runner.ts");
    client = new TestClient({ root, progress: false, settings: { workspaceScan: false, rules: { "honest-llm-names": "error" } } });
    await client.initialize();
    client.open(runner);
    const d = await client.waitFor("diagnostic", () => lie(runner)(client!));
    expect(d.severity).toBe(2); // "warn" from eslint.config.mjs, not "error" from settings
    expect(client.diagnostics.get(uriOf(runner))!.diagnostics.every((x) => String(x.code).startsWith("ghostwatch/"))).toBe(true); // no-console is vscode-eslint's job
    expect(client.logs.some((l) => l.includes("using") && l.includes("eslint.config.mjs"))).toBe(true);
  });

  it("falls back to the client's settings per resource (a rule turned off → no diagnostic)", async () => {
    const root = copyFixture("zombie");
    const runner = path.join(root, "src/runner.ts");
    const caller = path.join(root, "src/caller.ts");
    client = new TestClient({ root, progress: false, settings: { workspaceScan: false, rules: { "honest-llm-names": "off" } } });
    await client.initialize();
    client.open(runner);
    client.open(caller);
    await client.waitFor("publish for runner", () => client!.diagnostics.has(uriOf(runner)) && client!.diagnostics.has(uriOf(caller)));
    expect(client.ours(runner)).toEqual([]);
  });
});

describe("ghostwatch-lsp transports", () => {
  it("--node-ipc (the VS Code client's transport) serves the same diagnostics", async () => {
    const { fork } = await import("node:child_process");
    const { createMessageConnection, IPCMessageReader, IPCMessageWriter } = await import("vscode-jsonrpc/node");
    const { SERVER } = await import("./helpers.js");
    const root = copyFixture("zombie");
    const runner = path.join(root, "src/runner.ts");
    const child = fork(SERVER, ["--node-ipc"], { cwd: root, stdio: ["ignore", "ignore", "pipe", "ipc"], detached: true });
    const conn = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    try {
      const got = new Promise<{ message: string }>((resolve) =>
        conn.onNotification("textDocument/publishDiagnostics", (p: { uri: string; diagnostics: Array<{ code: string; message: string }> }) => {
          const d = p.uri === uriOf(runner) && p.diagnostics.find((x) => x.code === RULE);
          if (d) resolve(d);
        }),
      );
      conn.onRequest("workspace/configuration", (p: { items: unknown[] }) => p.items.map(() => ({ workspaceScan: false })));
      conn.listen();
      const init = (await conn.sendRequest("initialize", { processId: process.pid, rootUri: uriOf(root), capabilities: { workspace: { configuration: true } } })) as { serverInfo: { name: string } };
      expect(init.serverInfo.name).toBe("ghostwatch-lsp");
      await conn.sendNotification("initialized", {});
      await conn.sendNotification("textDocument/didOpen", { textDocument: { uri: uriOf(runner), languageId: "typescript", version: 1, text: fs.readFileSync(runner, "utf8") } });
      const d = await got;
      expect(d.message).toContain("callOllama() claims a local model but reaches localhost:4000 (LiteLLM) (src/router.ts:4)");
    } finally {
      conn.dispose();
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* gone */
      }
    }
  });

  it("without a transport flag it prints usage and exits 2 (never hangs)", async () => {
    const { spawnSync } = await import("node:child_process");
    const { SERVER } = await import("./helpers.js");
    const r = spawnSync(process.execPath, [SERVER], { encoding: "utf8", timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Usage: ghostwatch-lsp --stdio");
  });
});
