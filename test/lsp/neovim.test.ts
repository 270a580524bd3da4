/**
 * Neovim (headless) as a second real LSP client, set up exactly as docs/language-server.md says:
 * the snippet for the installed version (0.11+: `vim.lsp.config`/`vim.lsp.enable`; 0.7–0.10:
 * `vim.lsp.start_client`) is taken from the page as written and run against the built server
 * through `npx ghostwatch-lsp --stdio` in a project that has the package in node_modules. It must
 * receive the cross-file honest-llm-names diagnostic, honour the snippet's settings (a rule
 * turned off), and get the reach code lens after a refresh.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ROOT, SERVER, copyFixture, removeFixtureCopies } from "./helpers.js";

const NVIM = ["/usr/bin/nvim", "/usr/local/bin/nvim"].find((p) => fs.existsSync(p));

function lua(s: string): string {
  return JSON.stringify(s); // a JSON string is a valid Lua string literal for these paths
}

/** The Lua block between `<!-- nvim-<tag>:begin -->` and `<!-- nvim-<tag>:end -->` in the docs. */
function docsSnippet(tag: string): string {
  const md = fs.readFileSync(path.join(ROOT, "docs/language-server.md"), "utf8");
  const m = new RegExp(`<!-- nvim-${tag}:begin -->\\s*\`\`\`lua\\n([\\s\\S]*?)\`\`\`\\s*<!-- nvim-${tag}:end -->`).exec(md);
  if (!m) throw new Error(`docs/language-server.md has no nvim-${tag} snippet`);
  return m[1]!;
}

function nvimVersion(): [number, number] {
  const out = spawnSync(NVIM!, ["--version"], { encoding: "utf8" }).stdout;
  const m = /NVIM v(\d+)\.(\d+)/.exec(out);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

afterEach(() => removeFixtureCopies());

describe("Neovim as an LSP client (the documented setup)", () => {
  it("npx ghostwatch-lsp --stdio: the cross-file diagnostic, the snippet's settings, and the code lens", async () => {
    expect(NVIM, "neovim is required: apt-get install -y neovim (or bash scripts/e2e-setup.sh)").toBeTruthy();
    const [major, minor] = nvimVersion();
    const tag = major > 0 || minor >= 11 ? "current" : "0.7";
    const root = copyFixture("zombie");
    // What `npm install -D ghostwatch` leaves: the package and its bin link.
    fs.writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "scratch", private: true, devDependencies: { ghostwatch: "*" } }));
    fs.mkdirSync(path.join(root, "node_modules/.bin"), { recursive: true });
    fs.symlinkSync(ROOT, path.join(root, "node_modules/ghostwatch"));
    fs.chmodSync(SERVER, 0o755);
    fs.symlinkSync("../ghostwatch/dist/server/lsp.js", path.join(root, "node_modules/.bin/ghostwatch-lsp"));
    const out = path.join(root, "nvim-result.json");
    const init = path.join(root, "init.lua");
    fs.writeFileSync(
      init,
`-- The documented setup (docs/language-server.md, nvim-${tag}), as written:
${docsSnippet(tag)}
-- The test, once startup is done (filetype detection on, as for a user): open the file, wait, record.
vim.api.nvim_create_autocmd("VimEnter", { nested = true, callback = function()
local file = ${lua(path.join(root, "src/runner.ts"))}
vim.cmd("edit " .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
local function has(code)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == code then return true end
  end
  return false
end
local ok = vim.wait(45000, function() return has("ghostwatch/honest-llm-names") end, 50)
-- The user pauses (CursorHold): the snippet's refresh brings the lenses.
vim.cmd("doautocmd CursorHold")
local lens_ok = vim.wait(15000, function()
  for _, l in ipairs(vim.lsp.codelens.get(bufnr) or {}) do
    if l.command and l.command.title:find("reaches:", 1, true) then return true end
  end
  return false
end, 500)
local diags = {}
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  table.insert(diags, { lnum = d.lnum, col = d.col, code = d.code, source = d.source, message = d.message, severity = d.severity })
end
local lenses = {}
for _, l in ipairs(vim.lsp.codelens.get(bufnr) or {}) do
  table.insert(lenses, { lnum = l.range.start.line, title = l.command and l.command.title or "" })
end
local clients = {}
for _, c in pairs(vim.lsp.get_active_clients()) do
  table.insert(clients, c.name)
  vim.lsp.stop_client(c.id)
end
vim.fn.writefile({ vim.fn.json_encode({ ok = ok, lens_ok = lens_ok, diagnostics = diags, lenses = lenses, clients = clients }) }, ${lua(out)})
vim.wait(2000, function() return #vim.lsp.get_active_clients() == 0 end, 50)
vim.cmd("qa!")
end })
`,
    );
    const child = spawn("timeout", ["-k", "5", "90", NVIM!, "--headless", "--clean", "-u", init], {
      cwd: root,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, npm_config_offline: "true", npm_config_update_notifier: "false" },
    });
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    try {
      const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
      expect(code, stderr).toBe(0);
      const result = JSON.parse(fs.readFileSync(out, "utf8")) as {
        ok: boolean;
        lens_ok: boolean;
        clients: string[];
        diagnostics: Array<{ lnum: number; col: number; code: string; source: string; message: string; severity: number }>;
        lenses: Array<{ lnum: number; title: string }>;
      };
      expect(result.clients).toEqual(["ghostwatch"]);
      expect(result.ok, JSON.stringify(result.diagnostics)).toBe(true);
      const d = result.diagnostics.find((x) => x.code === "ghostwatch/honest-llm-names");
      expect(d).toMatchObject({ lnum: 8, col: 22, source: "ghostwatch", severity: 1 });
      expect(d!.message).toContain("callOllama() claims a local model but reaches localhost:4000 (LiteLLM) (src/router.ts:4), openrouter.ai (src/router.ts:5)");
      // The snippet's settings reach the server: require-llm-temperature is off, require-llm-max-tokens is not.
      expect(result.diagnostics.filter((x) => x.code === "ghostwatch/require-llm-temperature")).toEqual([]);
      expect(result.diagnostics.some((x) => x.code === "ghostwatch/require-llm-max-tokens")).toBe(true);
      expect(result.lens_ok, JSON.stringify(result.lenses)).toBe(true);
      expect(result.lenses).toContainEqual({ lnum: 8, title: "reaches: localhost:4000 (LiteLLM) → openrouter.ai → api.groq.com → localhost:11434" });
    } finally {
      try {
        process.kill(-child.pid!, "SIGKILL"); // nvim, npx and the server it started
      } catch {
        /* already gone */
      }
    }
  }, 120_000);
});
