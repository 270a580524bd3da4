/**
 * The extension-host suite: the standard `extensionTestsPath` contract (`run()`), mocha.
 * Runs in code-server's Node extension host (test/e2e/vscode.test.ts) and in desktop
 * VS Code through @vscode/test-electron (`npm run test:electron`).
 * Bundled by scripts/build-extension.mjs into .e2e/ext-tests/index.js.
 */
import Mocha from "mocha";
import { registerSuite } from "./suite.js";

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: "bdd", timeout: 60_000, color: false, reporter: "spec" });
  mocha.suite.emit("pre-require", globalThis, "ghostwatch-extension-suite", mocha);
  registerSuite();
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures ? reject(new Error(`${failures} extension test(s) failed`)) : resolve()));
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}
