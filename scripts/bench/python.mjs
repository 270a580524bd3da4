// Python front figures: parse + facts + checks throughput on a generated project (ratios, not asserts).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { lintPythonFiles } from "../../dist/rules/python/lint.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "ghostwatch-bench-py-"));
try {
  const files = [];
  for (let f = 0; f < 200; f++) {
    const parts = ["import requests, time\nfrom litellm import completion\n"];
    for (let i = 0; i < 50; i++) parts.push(`def helper_${i}(x):\n    r = requests.post("http://localhost:11434/api/generate", json={"x": x}, timeout=5)\n    return helper_${i ? i - 1 : 0}(r.json())\n`);
    parts.push(`def call_ollama(p):\n    return completion(model="groq/llama3", messages=[])\n\ndef main():\n    while True:\n        helper_49(1)\n        time.sleep(5)\n`);
    const file = path.join(dir, `m${f}.py`);
    writeFileSync(file, parts.join(""));
    files.push(file);
  }
  const bytes = files.length * 0 + (await import("node:fs")).readFileSync(files[0]).length * files.length;
  const t0 = performance.now();
  const res = await lintPythonFiles(files, { cwd: dir });
  const ms = performance.now() - t0;
  const findings = res.reduce((n, r) => n + r.messages.length, 0);
  console.log(`python: ${files.length} files, ${(bytes / 1e6).toFixed(2)} MB in ${ms.toFixed(0)} ms (${(bytes / 1e6 / (ms / 1000)).toFixed(2)} MB/s, ${(ms / files.length).toFixed(1)} ms/file), ${findings} findings`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
