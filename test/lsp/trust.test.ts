/**
 * Workspace trust and vscode-eslint (issue 14 items 1 and 3), on the real server over stdio:
 *  - untrusted (`initializationOptions.workspaceTrusted: false`): the workspace's eslint.config.mjs
 *    is never imported (it writes a marker file when it is), the rules still run with the
 *    settings, and the client is told why (status note + log); trust granted by notification →
 *    the config is loaded and the file re-validated with it;
 *  - vscode-eslint active and the workspace config enables Ghostwatch: no second set of
 *    diagnostics, while hovers and the project-wide rename (on vscode-eslint's diagnostic) stay.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { CodeAction, Diagnostic, Hover } from "vscode-languageserver-protocol";
import { RULE, TestClient, copyFixture, removeFixtureCopies, uriOf } from "./helpers.js";

let client: TestClient | undefined;
afterEach(async () => {
  await client?.stop();
  client = undefined;
  removeFixtureCopies();
});

const ROOT = path.resolve(__dirname, "../..");

/** The zombie fixture with an eslint.config.mjs that enables Ghostwatch ("warn") and leaves a marker when imported. */
function workspaceWithConfig(): { root: string; runner: string; marker: string } {
  const root = copyFixture("zombie");
  fs.mkdirSync(path.join(root, "node_modules"), { recursive: true });
  fs.symlinkSync(ROOT, path.join(root, "node_modules/ghostwatch"));
  fs.symlinkSync(path.join(ROOT, "node_modules/@typescript-eslint"), path.join(root, "node_modules/@typescript-eslint"));
  const marker = path.join(root, "CONFIG-WAS-IMPORTED");
  fs.writeFileSync(
    path.join(root, "eslint.config.mjs"),
    [
      `import fs from "node:fs";`,
      `import tsParser from "@typescript-eslint/parser";`,
      `import ghostwatch from "ghostwatch";`,
      `fs.writeFileSync(${JSON.stringify(marker)}, String(process.pid));`,
      `export default [`,
      `  { files: ["**/*.ts"], languageOptions: { parser: tsParser } },`,
      `  { plugins: { ghostwatch }, rules: { "ghostwatch/honest-llm-names": "warn" } },`,
      `];`,
      ``,
    ].join("\n"),
  );
  return { root, runner: path.join(root, "src/runner.ts"), marker };
}

const lie = (c: TestClient, file: string) => c.diagnostics.get(uriOf(file))?.diagnostics.find((d) => d.code === RULE && d.message.startsWith("callOllama()"));

describe("ghostwatch-lsp in an untrusted workspace (Restricted Mode)", () => {
  it("never imports the workspace eslint.config, still reports with the settings, says why, and loads the config once trusted", async () => {
    const { root, runner, marker } = workspaceWithConfig();
    client = new TestClient({ root, progress: false, settings: { workspaceScan: true, rules: { "honest-llm-names": "error" } }, initOptions: { workspaceTrusted: false } });
    await client.initialize();
    client.open(runner);
    const d = await client.waitFor("the lie, from the settings", () => lie(client!, runner));
    expect(d.severity, "error from the settings, not the config's warn").toBe(1);
    expect(d.range.start).toEqual({ line: 8, character: 22 });
    // The scan covered the workspace too (router.ts, caller.ts …): still nothing imported.
    await client.waitFor("scan finished", () => client!.status.some((s) => (s as { state: string; total?: number }).state === "idle" && (s as { total?: number }).total));
    expect(fs.existsSync(marker), "the workspace eslint.config.mjs was imported in Restricted Mode").toBe(false);
    const note = await client.waitFor("a status note saying why", () => client!.status.map((s) => s as { restricted?: boolean; note?: string }).find((s) => s.restricted && s.note?.includes("not loaded")));
    expect(note.note).toMatch(/^Restricted Mode: workspace eslint\.config ignored \(eslint\.config\.mjs not loaded\)/);
    expect(client.logs.some((l) => l.includes("Restricted Mode") && l.includes("eslint.config.mjs not loaded"))).toBe(true);

    // The user trusts the folder: the config is imported now and the file re-validated with it.
    await client.conn.sendNotification("ghostwatch/workspaceTrust", { trusted: true });
    const warned = await client.waitFor("the lie at the config's level", () => {
      const x = lie(client!, runner);
      return x && x.severity === 2 ? x : undefined;
    });
    expect(warned.range.start).toEqual({ line: 8, character: 22 });
    expect(fs.existsSync(marker), "once trusted, the config is loaded").toBe(true);
    expect(client.status.at(-1)).toMatchObject({ restricted: false });
  });

  it("a client without a trust model (no workspaceTrusted) counts as trusted: the config is used", async () => {
    const { root, runner, marker } = workspaceWithConfig();
    client = new TestClient({ root, progress: false, settings: { workspaceScan: false, rules: { "honest-llm-names": "error" } } });
    await client.initialize();
    client.open(runner);
    const d = await client.waitFor("the lie", () => lie(client!, runner));
    expect(d.severity).toBe(2);
    expect(fs.existsSync(marker)).toBe(true);
  });
});

describe("ghostwatch-lsp next to vscode-eslint", () => {
  it("publishes no second set when vscode-eslint runs a config that enables Ghostwatch; hover and rename stay", async () => {
    const { root, runner } = workspaceWithConfig();
    client = new TestClient({ root, progress: false, resolveEdit: false, settings: { workspaceScan: false }, initOptions: { vscodeEslint: true, workspaceTrusted: true } });
    await client.initialize();
    client.open(runner);
    const published = await client.waitFor("a publish for runner.ts", () => client!.diagnostics.get(uriOf(runner)));
    expect(published.diagnostics).toEqual([]);
    const note = await client.waitFor("the status says where the diagnostics come from", () => client!.status.map((s) => s as { diagnosticsFrom?: string; note?: string }).find((s) => s.diagnosticsFrom));
    expect(note).toMatchObject({ diagnosticsFrom: "vscode-eslint" });
    expect(note.note).toMatch(/^diagnostics from vscode-eslint/);

    // Hover still shows the reach chain.
    const hover = await client.request<Hover | null>("textDocument/hover", { textDocument: { uri: uriOf(runner) }, position: { line: 8, character: 25 } });
    expect((hover?.contents as { value: string }).value).toContain("openrouter.ai");

    // vscode-eslint's own diagnostic of the finding (source "eslint"): the project-wide rename is offered on it.
    const eslintDiag: Diagnostic = {
      range: { start: { line: 8, character: 22 }, end: { line: 8, character: 32 } },
      severity: 2,
      source: "eslint",
      code: RULE,
      message: "callOllama() claims a local model …",
    };
    const actions = await client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri: uriOf(runner) }, range: eslintDiag.range, context: { diagnostics: [eslintDiag] } });
    expect(actions.map((a) => a.title)).toEqual(["Rename callOllama to callRouterWithOllamaFallback across the project"]);
    expect(Object.keys(actions[0]!.edit!.changes!).length).toBeGreaterThanOrEqual(2); // runner.ts and its importer

    // vscode-eslint turned off → Ghostwatch publishes again.
    await client.conn.sendNotification("ghostwatch/vscodeEslint", { active: false });
    const back = await client.waitFor("diagnostics published again", () => lie(client!, runner));
    expect(back.range.start).toEqual({ line: 8, character: 22 });
  });

  it("still publishes when the workspace config does not enable Ghostwatch (vscode-eslint would not report these)", async () => {
    const root = copyFixture("zombie");
    const runner = path.join(root, "src/runner.ts");
    client = new TestClient({ root, progress: false, settings: { workspaceScan: false }, initOptions: { vscodeEslint: true } });
    await client.initialize();
    client.open(runner);
    const d = await client.waitFor("the lie", () => lie(client!, runner));
    expect(d.range.start).toEqual({ line: 8, character: 22 });
  });
});
