// Python front figures (ratios, not asserts): parse + facts + every rule the front runs, with the
// `local-only` preset (all eight rules on), per file.
//  1. a generated project (200 files × 50 helpers, cross-file reach);
//  2. real repositories: the folders in GHOSTWATCH_BENCH_PY (":"-separated; e.g. checkouts of
//     openai-python, ollama-python, instructor, langchain-community), else this project's own .py files.
// Target (issue 13): ≤ 15 ms per file on real repositories.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { lintPythonFiles, pythonFilesIn } from "../../dist/rules/python/lint.js";
import { loadPythonParser } from "../../dist/rules/python/parser.js";

const t0 = performance.now();
await loadPythonParser();
console.log(`python: parser load ${(performance.now() - t0).toFixed(0)} ms (once per process)`);

async function run(label, files, cwd) {
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  const t = performance.now();
  const cpu0 = process.cpuUsage();
  const res = await lintPythonFiles(files, { cwd, preset: "local-only" });
  const ms = performance.now() - t;
  // CPU time of this process: the wall time swings with other load on a shared machine.
  const c = process.cpuUsage(cpu0);
  const cpuMs = (c.user + c.system) / 1000;
  const findings = res.reduce((n, r) => n + r.messages.length, 0);
  const fatal = res.filter((r) => r.messages.some((m) => m.fatal)).length;
  const n = Math.max(1, files.length);
  console.log(`python: ${label}: ${files.length} files, ${(bytes / 1e6).toFixed(2)} MB in ${ms.toFixed(0)} ms wall (${(ms / n).toFixed(2)} ms/file), ${cpuMs.toFixed(0)} ms CPU (${(cpuMs / n).toFixed(2)} ms/file, ${(bytes / 1e6 / (cpuMs / 1000)).toFixed(2)} MB/s); ${findings} findings, ${fatal} files not parsed`);
  return cpuMs / n;
}

const dir = mkdtempSync(path.join(os.tmpdir(), "ghostwatch-bench-py-"));
try {
  const files = [];
  for (let f = 0; f < 200; f++) {
    const parts = ["import requests, time, json\nfrom litellm import completion\nfrom openai import OpenAI\nclient = OpenAI()\n"];
    for (let i = 0; i < 50; i++) parts.push(`def helper_${i}(x):\n    r = requests.post("http://localhost:11434/api/generate", json={"model": "llama3", "prompt": x}, timeout=5)\n    return helper_${i ? i - 1 : 0}(r.json())\n`);
    parts.push(`def call_ollama(p):\n    return completion(model="groq/llama3", messages=[])\n\ndef plan(t):\n    r = client.chat.completions.create(model="gpt-4o", messages=[])\n    return json.loads(r.choices[0].message.content)["steps"]\n\ndef main():\n    while True:\n        helper_49(1)\n        time.sleep(5)\n`);
    const file = path.join(dir, `m${f}.py`);
    writeFileSync(file, parts.join(""));
    files.push(file);
  }
  await run("generated project", files, dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const roots = (process.env.GHOSTWATCH_BENCH_PY ?? "").split(":").filter(Boolean);
if (roots.length) {
  for (const r of roots) await run(path.basename(r), pythonFilesIn([r], r), r);
  const all = roots.flatMap((r) => pythonFilesIn([r], r));
  const per = await run(`all ${roots.length} repositories`, all, "/");
  console.log(`python: real repositories ${per <= 15 ? "within" : "OVER"} the 15 ms/file target (${per.toFixed(2)} ms CPU per file)`);
} else {
  const own = pythonFilesIn([path.resolve("examples"), path.resolve("test")], process.cwd()).filter((f) => readFileSync(f, "utf8").length < 2_000_000);
  await run("this project's .py files (set GHOSTWATCH_BENCH_PY for real repositories)", own, process.cwd());
}
