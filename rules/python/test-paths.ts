/**
 * Python test files (facts for the LLM-parameter rules' `checkTestFiles: false`, the
 * `recommended` preset): pytest/unittest naming (`test_*.py`, `*_test.py`, `conftest.py`) and the
 * folders tests, mocks and fixtures live in. The folder list is the one the TS front uses
 * (rules/core/test-files.ts on the gw/llm branch); once that file is on main this should call its
 * `isTestOrFixturePath` and keep only the Python file names here. Paths are relative to the lint's
 * working directory, so folders above the project never count.
 */
import path from "node:path";

const PY_TEST_FILE = /^(?:test_.*|.*_test|conftest)\.py$/;
const TEST_DIR = /^(?:test|tests|__tests__|__mocks__|__fixtures__|__testfixtures__|fixtures|e2e|examples?)$/;

export function isPythonTestPath(filename: string, cwd: string): boolean {
  const rel = path.isAbsolute(filename) ? path.relative(cwd, filename) : filename;
  const parts = rel.split(/[\\/]+/);
  if (PY_TEST_FILE.test(parts[parts.length - 1] ?? "")) return true;
  for (let i = 0; i < parts.length - 1; i++) if (parts[i] !== ".." && TEST_DIR.test(parts[i])) return true;
  return false;
}
