#!/usr/bin/env node
// `npm run test:electron`: the extension-host suite in desktop VS Code via @vscode/test-electron.
// Set VSCODE_EXECUTABLE to a local VS Code binary (no download); without it test-electron
// downloads VS Code (needs internet). Run `node scripts/build-extension.mjs` first (the npm
// script does). On this offline machine the same suite runs in code-server instead:
// test/e2e/vscode.test.ts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runTests } from "@vscode/test-electron";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "gw-electron-"));
const workspace = path.join(scratch, "zombie-agent");
fs.cpSync(path.join(root, "examples", "zombie-agent"), workspace, { recursive: true });
const stateDir = path.join(scratch, "state");
fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });

try {
  await runTests({
    ...(process.env.VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE } : {}),
    extensionDevelopmentPath: path.join(root, ".e2e", "vsix-stage"),
    extensionTestsPath: path.join(root, ".e2e", "ext-tests", "index.js"),
    launchArgs: [workspace, "--disable-extensions", "--disable-workspace-trust", "--user-data-dir", path.join(scratch, "user-data"), "--extensions-dir", path.join(scratch, "extensions")],
    extensionTestsEnv: { GHOSTWATCH_STATE_DIR: stateDir },
  });
  console.log("extension-host suite passed in VS Code");
} catch (e) {
  console.error(`extension-host suite failed: ${e instanceof Error ? e.message : e}`);
  process.exitCode = 1;
} finally {
  // The extension's probe stops itself once VS Code's extension host is gone; wait for it.
  const ownerFile = path.join(stateDir, "extension-probe.json");
  for (let i = 0; i < 40 && fs.existsSync(ownerFile); i++) await new Promise((r) => setTimeout(r, 250));
  if (fs.existsSync(ownerFile)) {
    const { pid } = JSON.parse(fs.readFileSync(ownerFile, "utf8"));
    try {
      process.kill(pid, "SIGTERM");
      console.error(`the extension's probe (PID ${pid}) outlived VS Code; stopped it`);
      process.exitCode = 1;
    } catch {
      /* gone */
    }
  }
  fs.rmSync(scratch, { recursive: true, force: true });
}
