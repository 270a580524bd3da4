/**
 * Test files, mocks and fixture / codemod-input folders (issue 11 item 3): the LLM-parameter rules
 * do not report there by default (`recommended`), `strict` turns them back on. The path is taken
 * relative to the lint's working directory, so folders above the project (`/home/me/tests/app`)
 * never count.
 */
import path from "node:path";

const TEST_FILE = /\.(?:test|spec)\.[cm]?[jt]sx?$/i;
/**
 * Test, mock and fixture folders (issue 11 item 3), and example folders: the measured findings
 * there were deliberately minimal SDK examples that gain nothing from `temperature: 0`
 * (accuracy README, "SDK and framework examples").
 */
const TEST_DIR = /^(?:test|tests|__tests__|__mocks__|__fixtures__|__testfixtures__|fixtures|e2e|examples?)$/;

export function isTestOrFixturePath(filename: string, cwd: string): boolean {
  const rel = path.isAbsolute(filename) ? path.relative(cwd, filename) : filename;
  const parts = rel.split(/[\\/]+/);
  if (TEST_FILE.test(parts[parts.length - 1] ?? "")) return true;
  // Folders only (not the file itself), and not above the working directory.
  for (let i = 0; i < parts.length - 1; i++) if (parts[i] !== ".." && TEST_DIR.test(parts[i])) return true;
  return false;
}
