/**
 * Files the server does not analyse (issue 15): a 5 MB file and a binary file without NUL bytes
 * are said once, where the user looks — one Information diagnostic on the open document (as
 * ESLint reports "File ignored …" as one message) — and once in the log; never per edit.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { TestClient, copyFixture, removeFixtureCopies, uriOf } from "./helpers.js";

let client: TestClient | undefined;
afterEach(async () => {
  await client?.stop();
  client = undefined;
  removeFixtureCopies();
});

describe("ghostwatch-lsp skipped files", () => {
  it("a 5 MB file and a binary file without NUL bytes: one Information diagnostic each, one log line each, also after edits", async () => {
    const root = copyFixture("zombie");
    const big = path.join(root, "src/big.ts");
    const line = `export const x = "${"a".repeat(80)}";\n`;
    fs.writeFileSync(big, line.repeat(Math.ceil((5 * 1024 * 1024) / line.length)));
    const blob = path.join(root, "src/blob.js");
    // A PNG-like header and high bytes, no 0x00 anywhere: invalid UTF-8 and control characters.
    const bytes = Buffer.alloc(16_384);
    for (let i = 0; i < bytes.length; i++) bytes[i] = 1 + ((i * 131 + 7) % 255);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes);
    expect(bytes.includes(0)).toBe(false);
    fs.writeFileSync(blob, bytes);
    client = new TestClient({ root, progress: false, settings: { workspaceScan: false } });
    await client.initialize();
    client.open(big);
    client.open(blob, bytes.toString("utf8"));
    const bigD = await client.waitFor("big.ts notice", () => client!.diagnostics.get(uriOf(big))?.diagnostics);
    const blobD = await client.waitFor("blob.js notice", () => client!.diagnostics.get(uriOf(blob))?.diagnostics);
    expect(bigD).toEqual([{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 3, source: "ghostwatch", message: "Ghostwatch did not analyse this file (larger than 1000 kB)." }]);
    expect(blobD).toEqual([{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 3, source: "ghostwatch", message: "Ghostwatch did not analyse this file (binary content)." }]);
    // Edits: still one notice, no new log line, no popup.
    const v = client.change(big, client.text(big) + "// more\n");
    await client.waitFor("big.ts after the edit", () => client!.diagnostics.get(uriOf(big))?.version === v);
    expect(client.diagnostics.get(uriOf(big))!.diagnostics).toHaveLength(1);
    expect(client.logs.filter((l) => l.includes("skipped") && l.includes("big.ts"))).toHaveLength(1);
    expect(client.logs.filter((l) => l.includes("skipped") && l.includes("blob.js"))).toHaveLength(1);
    expect(client.shown).toEqual([]);
    // Back under the limit: the notice goes, real findings come.
    const runnerText = fs.readFileSync(path.join(root, "src/runner.ts"), "utf8");
    const v2 = client.change(big, runnerText);
    const after = await client.waitFor("big.ts analysed", () => {
      const p = client!.diagnostics.get(uriOf(big));
      return p?.version === v2 ? p.diagnostics : undefined;
    });
    expect(after.some((d) => d.severity === 3)).toBe(false);
    expect(after.some((d) => d.code === "ghostwatch/no-unbounded-loop")).toBe(true);
  });

  it("ordinary text with a stray control character is analysed", async () => {
    const root = copyFixture("zombie");
    const runner = path.join(root, "src/runner.ts");
    client = new TestClient({ root, progress: false, settings: { workspaceScan: false } });
    await client.initialize();
    client.open(runner, fs.readFileSync(runner, "utf8").replace("Runs queued", "Runs\u001b queued"));
    const d = await client.waitFor("diagnostics", () => client!.diagnostics.get(uriOf(runner))?.diagnostics);
    expect(d.some((x) => x.code === "ghostwatch/honest-llm-names")).toBe(true);
  });
});
