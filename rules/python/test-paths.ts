/**
 * Python test files (facts for the LLM-parameter rules' `checkTestFiles: false`, the
 * `recommended` preset): the core's test/mock/fixture/example folders
 * (`isTestOrFixturePath`, rules/core/test-files.ts, the same list as for TS) plus pytest/unittest
 * file names (`test_*.py`, `*_test.py`, `conftest.py`). Paths are relative to the lint's working
 * directory, so folders above the project never count.
 */
import path from "node:path";
import { isTestOrFixturePath } from "../core/test-files.js";

const PY_TEST_FILE = /^(?:test_.*|.*_test|conftest)\.py$/;

export function isPythonTestPath(filename: string, cwd: string): boolean {
  const rel = path.isAbsolute(filename) ? path.relative(cwd, filename) : filename;
  const base = rel.split(/[\\/]+/).pop() ?? "";
  return (!rel.startsWith("..") && PY_TEST_FILE.test(base)) || isTestOrFixturePath(filename, cwd);
}
