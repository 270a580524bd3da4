/**
 * Neovim (Debian's 0.7, headless) as a second real LSP client: it starts `ghostwatch-lsp
 * --stdio` itself, opens runner.ts, and must receive the cross-file honest-llm-names diagnostic.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SERVER, copyFixture, removeFixtureCopies } from "./helpers.js";

const NVIM = ["/usr/bin/nvim", "/usr/local/bin/nvim"].find((p) => fs.existsSync(p));

function lua(s: string): string {
  return JSON.stringify(s); // a JSON string is a valid Lua string literal for these paths
}

afterEach(() => removeFixtureCopies());

describe("Neovim as an LSP client", () => {
  it("receives the cross-file callOllama diagnostic", async () => {
    expect(NVIM, "neovim is required: apt-get install -y neovim").toBeTruthy();
    const root = copyFixture("zombie");
    const out = path.join(root, "nvim-diagnostics.json");
    const init = path.join(root, "init.lua");
    fs.writeFileSync(
      init,
      `
local root = ${lua(root)}
local file = ${lua(path.join(root, "src/runner.ts"))}
vim.cmd("edit " .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
local id = vim.lsp.start_client({
  name = "ghostwatch",
  cmd = { ${lua(process.execPath)}, ${lua(SERVER)}, "--stdio" },
  root_dir = root,
  settings = { ghostwatch = { workspaceScan = false } },
})
vim.lsp.buf_attach_client(bufnr, id)
local ok = vim.wait(30000, function()
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == "ghostwatch/honest-llm-names" then return true end
  end
  return false
end, 50)
local diags = {}
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  table.insert(diags, { lnum = d.lnum, col = d.col, code = d.code, source = d.source, message = d.message, severity = d.severity })
end
vim.fn.writefile({ vim.fn.json_encode({ ok = ok, diagnostics = diags }) }, ${lua(out)})
vim.lsp.stop_client(id)
vim.wait(2000, function() return vim.lsp.get_client_by_id(id) == nil end, 50)
vim.cmd("qa!")
`,
    );
    const child = spawn("timeout", ["-k", "5", "60", NVIM!, "--headless", "--clean", "-u", init], { cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    try {
      const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
      expect(code, stderr).toBe(0);
      const result = JSON.parse(fs.readFileSync(out, "utf8")) as { ok: boolean; diagnostics: Array<{ lnum: number; col: number; code: string; source: string; message: string; severity: number }> };
      expect(result.ok).toBe(true);
      const d = result.diagnostics.find((x) => x.code === "ghostwatch/honest-llm-names");
      expect(d).toMatchObject({ lnum: 8, col: 22, source: "ghostwatch", severity: 1 });
      expect(d!.message).toContain("callOllama() claims a local model but reaches localhost:4000 (LiteLLM) (src/router.ts:4), openrouter.ai (src/router.ts:5)");
    } finally {
      try {
        process.kill(-child.pid!, "SIGKILL"); // nvim and the server it started
      } catch {
        /* already gone */
      }
    }
  });
});
