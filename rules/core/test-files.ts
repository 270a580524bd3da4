/**
 * Test files, mocks and fixture / codemod-input folders (issue 11 item 3): the LLM-parameter rules
 * do not report there by default (`recommended`), `strict` turns them back on. The path is taken
 * relative to the lint's working directory, so folders above the project (`/home/me/tests/app`)
 * never count.
 */
import fs from "node:fs";
import path from "node:path";

const TEST_FILE = /\.(?:test|spec)\.[cm]?[jt]sx?$/i;
/** Test, mock and fixture folders (issue 11 item 3). */
const TEST_DIR = /^(?:test|tests|__tests__|__mocks__|__fixtures__|__testfixtures__|fixtures|e2e)$/;
/**
 * Example folders: the measured findings there were deliberately minimal SDK examples that gain
 * nothing from `temperature: 0` (accuracy README, "SDK and framework examples") — loose snippets.
 * An example that is a project of its own (a manifest in a folder below `examples/`, e.g.
 * `examples/deep-research/package.json`, `examples/chatbot/pyproject.toml`) is an application a
 * user copies and deploys: it is linted like any other code.
 */
const EXAMPLE_DIR = /^examples?$/;
const MANIFESTS = ["package.json", "pyproject.toml", "setup.py", "setup.cfg", "requirements.txt"];

const manifestMemo = new Map<string, boolean>();
function hasManifest(dir: string): boolean {
  let r = manifestMemo.get(dir);
  if (r === undefined) {
    r = MANIFESTS.some((m) => {
      try {
        return fs.existsSync(path.join(dir, m));
      } catch {
        return false;
      }
    });
    if (manifestMemo.size > 10_000) manifestMemo.clear();
    manifestMemo.set(dir, r);
  }
  return r;
}

export function isTestOrFixturePath(filename: string, cwd: string): boolean {
  const rel = path.isAbsolute(filename) ? path.relative(cwd, filename) : filename;
  const parts = rel.split(/[\\/]+/);
  if (TEST_FILE.test(parts[parts.length - 1] ?? "")) return true;
  // Folders only (not the file itself), and not above the working directory.
  for (let i = 0; i < parts.length - 1; i++) {
    if (parts[i] === "..") continue;
    if (TEST_DIR.test(parts[i])) return true;
    if (EXAMPLE_DIR.test(parts[i]) && !exampleApp(parts, i, cwd)) return true;
  }
  return false;
}

/** Is there a project manifest in a folder strictly below `parts[i]` (the example folder) on the file's path? */
function exampleApp(parts: string[], i: number, cwd: string): boolean {
  for (let j = i + 1; j < parts.length - 1; j++) {
    if (hasManifest(path.resolve(cwd, ...parts.slice(0, j + 1)))) return true;
  }
  return false;
}
