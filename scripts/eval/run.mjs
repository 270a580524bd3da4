#!/usr/bin/env node
/**
 * Held-out accuracy evaluation of a Ghostwatch build (how to run, protocol: README.md here).
 *
 *   node scripts/eval/run.mjs [--project DIR] [--mirror-root DIR] [--only id,id] [--no-whole]
 *                             [--sample N] [--seed S] [--sample-set SET|all] [--timeout SEC]
 *                             [--reuse]   (re-score the last lint outputs in .eval/_out/ without linting)
 *
 * For every repository of scripts/eval/sets/*.json: extract its commit from the bare mirror into
 * .eval/<id>/, run the built CLI of --project (`node dist/server/cli.js lint … --no-config
 * --format json`, the recommended preset as a user runs it) once on the scope files (scored) and
 * once on the whole repository (counted, and sampled with --sample), match findings against
 * scripts/eval/labels/<id>.json, print recall/precision per rule — one table per `set` value
 * (heldout2, heldout, dev…, each apart) — and per repository, and write .eval/report.json.
 */
import fs from "node:fs";
import path from "node:path";
import { spawnSync, execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { RULES, ruleName, matchFindings, scopeFindings, countByRule, addCounts, figures, sample, orderSets, setTitle, setColumn } from "./score.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * Whole-repository runs lint the repository root, except where most of the tree is vendored
 * upstream code the maintainer did not write (a VS Code fork): there, the maintainer's own folder.
 */
const WHOLE_ROOTS = {
  voideditor__void: ["src/vs/workbench/contrib/void"],
};

/** Files extracted from a commit: what `ghostwatch lint` lints (TS/JS and Python) and package manifests. */
const EXTRACTED = /(\.(?:[cm]?[jt]sx?|py)|(?:^|\/)(?:package\.json|pyproject\.toml|setup\.cfg|requirements\.txt))$/;
const MAX_BLOB_BYTES = 8 * 1024 * 1024;

function parseArgs(argv) {
  const o = { reuse: false, project: process.cwd(), mirrorRoot: "/work/.mirror", only: null, whole: true, sample: 0, seed: 1, sampleSet: "heldout", timeout: 1800, work: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) fail(`${a} needs a value`);
      return v;
    };
    if (a === "--project") o.project = path.resolve(next());
    else if (a === "--mirror-root") o.mirrorRoot = path.resolve(next());
    else if (a === "--only") o.only = next().split(",").filter(Boolean);
    else if (a === "--no-whole") o.whole = false;
    else if (a === "--reuse") o.reuse = true;
    else if (a === "--sample") o.sample = Number(next());
    else if (a === "--seed") o.seed = Number(next());
    else if (a === "--sample-set") o.sampleSet = next();
    else if (a === "--timeout") o.timeout = Number(next());
    else if (a === "--work") o.work = path.resolve(next());
    else if (a === "-h" || a === "--help") {
      process.stdout.write(fs.readFileSync(fileURLToPath(import.meta.url), "utf8").split("*/")[0] + "*/\n");
      process.exit(0);
    } else fail(`unknown argument ${a}`);
  }
  if (!Number.isInteger(o.sample) || o.sample < 0) fail("--sample needs a whole number");
  if (!/^[\w-]+$/.test(o.sampleSet)) fail("--sample-set is a set name (heldout, heldout2, dev…) or all");
  o.work ??= path.join(process.cwd(), ".eval");
  return o;
}

function fail(msg) {
  process.stderr.write(`eval: ${msg}\n`);
  process.exit(2);
}

function loadSets() {
  const dir = path.join(HERE, "sets");
  const repos = [];
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith(".json")).sort()) {
    for (const r of JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"))) repos.push(r);
  }
  return repos;
}

function loadLabels(id) {
  const f = path.join(HERE, "labels", `${id}.json`);
  if (!fs.existsSync(f)) return null;
  return JSON.parse(fs.readFileSync(f, "utf8"));
}

/**
 * Extract `commit` of the bare mirror into `dir`, blob by blob (`git archive` aborts on the
 * large blobs a partial mirror lacks; those are skipped here, they are never source files).
 */
function extract(repo, dir, mirrorRoot) {
  const stamp = path.join(dir, ".eval-commit");
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8").trim() === repo.commit) return { skipped: 0, cached: true };
  const gitDir = path.join(mirrorRoot, repo.repo.replace("/", "+"), "repo");
  if (!fs.existsSync(gitDir)) fail(`no mirror for ${repo.repo} at ${gitDir} (fetch github:${repo.repo} first)`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const tree = execFileSync("git", ["--git-dir", gitDir, "ls-tree", "-r", "-z", "--long", repo.commit], { maxBuffer: 1 << 30 }).toString();
  const blobs = [];
  for (const entry of tree.split("\0").filter(Boolean)) {
    const m = /^(\d+) (\w+) ([0-9a-f]+)\s+(-|\d+)\t(.*)$/s.exec(entry);
    if (!m || m[2] !== "blob" || m[1] === "120000") continue; // symlinks and submodules are not extracted
    // Only what the linter reads: source files and manifests (no images, archives, data files).
    if (!EXTRACTED.test(m[5]) || m[4] === "-" || Number(m[4]) > MAX_BLOB_BYTES) continue;
    blobs.push({ sha: m[3], file: m[5] });
  }
  const out = spawnSync("git", ["--git-dir", gitDir, "cat-file", "--batch"], { input: blobs.map((b) => b.sha).join("\n") + "\n", maxBuffer: 2 ** 31 });
  if (out.status !== 0) fail(`git cat-file failed for ${repo.repo}: ${out.stderr}`);
  const buf = out.stdout;
  let pos = 0;
  let skipped = 0;
  for (const b of blobs) {
    const nl = buf.indexOf(0x0a, pos);
    const header = buf.subarray(pos, nl).toString();
    pos = nl + 1;
    if (header.endsWith(" missing")) {
      skipped++;
      continue;
    }
    const size = Number(header.split(" ")[2]);
    const content = buf.subarray(pos, pos + size);
    pos += size + 1;
    const target = path.join(dir, b.file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
  fs.writeFileSync(stamp, repo.commit + "\n");
  return { skipped, cached: false };
}

/** Run the CLI of the build under test; returns normalised findings (paths relative to `dir`). */
function lint(project, dir, paths, timeoutSec, outFile, reuse, extra = []) {
  if (reuse && fs.existsSync(outFile)) return parseResults(dir, fs.readFileSync(outFile), 0);
  const cli = path.join(project, "dist", "server", "cli.js");
  if (!fs.existsSync(cli)) fail(`no build at ${cli} (run npm run build in ${project})`);
  const t0 = Date.now();
  const res = spawnSync(process.execPath, [cli, "lint", ...paths, "--no-config", "--format", "json", ...extra], {
    cwd: dir,
    maxBuffer: 2 ** 31,
    timeout: timeoutSec * 1000,
    killSignal: "SIGKILL",
    env: { ...process.env, NODE_OPTIONS: "--max-old-space-size=4096" },
  });
  const ms = Date.now() - t0;
  if (res.error || (res.status !== 0 && res.status !== 1)) {
    return { ok: false, ms, error: res.error ? String(res.error) : `exit ${res.status}: ${String(res.stderr).slice(0, 2000)}`, findings: [] };
  }
  fs.writeFileSync(outFile, res.stdout);
  return { ...parseResults(dir, res.stdout, ms), stderr: String(res.stderr).slice(0, 2000) };
}

function parseResults(dir, stdout, ms) {
  const results = JSON.parse(stdout.toString() || "[]");
  const findings = [];
  for (const r of results) {
    const file = path.relative(dir, r.filePath).split(path.sep).join("/");
    for (const m of r.messages) {
      findings.push({ file, line: m.line ?? 0, column: m.column ?? 0, rule: ruleName(m.ruleId), message: m.message, severity: m.severity, fatal: !!m.fatal || !m.ruleId });
    }
  }
  return { ok: true, ms, findings };
}

function pct(x) {
  return x === null ? "  –  " : x.toFixed(2).padStart(5);
}

function table(title, perRule) {
  const lines = [`${title}`, `  ${"rule".padEnd(26)}  TP  FN  FP  recall  precision`];
  for (const rule of RULES) {
    const c = perRule[rule] ?? { tp: 0, fn: 0, fp: 0 };
    if (rule === "no-cloud-llm" && c.tp + c.fn + c.fp === 0) continue;
    const f = figures(c);
    lines.push(`  ${rule.padEnd(26)} ${String(f.tp).padStart(3)} ${String(f.fn).padStart(3)} ${String(f.fp).padStart(3)}   ${pct(f.recall)}      ${pct(f.precision)}`);
  }
  return lines.join("\n");
}

function snippet(dir, file, line, around = 2) {
  try {
    const src = fs.readFileSync(path.join(dir, file), "utf8").split("\n");
    const out = [];
    for (let i = Math.max(1, line - around); i <= Math.min(src.length, line + around); i++) out.push(`${i === line ? ">" : " "}${String(i).padStart(5)} | ${src[i - 1].slice(0, 160)}`);
    return out.join("\n");
  } catch {
    return "(source unavailable)";
  }
}

function main() {
  const o = parseArgs(process.argv.slice(2));
  fs.mkdirSync(path.join(o.work, "_out"), { recursive: true });
  let repos = loadSets();
  if (o.only) repos = repos.filter((r) => o.only.includes(r.id));
  if (!repos.length) fail("no repositories selected");
  let buildCommit = null;
  try {
    buildCommit = execFileSync("git", ["-C", o.project, "rev-parse", "HEAD"]).toString().trim();
  } catch {
    /* not a git checkout: reported as null */
  }
  const report = { generatedAt: new Date().toISOString(), project: o.project, buildCommit, tolerance: 2, rules: RULES, repos: [], perRule: {}, whole: {}, errors: [] };
  const langKeys = new Set(); // `${set}-${lang}` tables, kept in perRule as before
  const setNames = orderSets(repos.map((r) => r.set));
  for (const s of setNames) {
    report.perRule[s] = {};
    report.whole[s] = {};
  }
  if (o.sampleSet !== "all" && !setNames.includes(o.sampleSet)) fail(`--sample-set ${o.sampleSet}: no such set (${setNames.join(", ")}, all)`);
  for (const repo of repos) {
    const labels = loadLabels(repo.id);
    if (!labels) {
      report.errors.push({ id: repo.id, error: "no labels file" });
      process.stderr.write(`eval: ${repo.id}: no labels, skipped\n`);
      continue;
    }
    if (labels.commit !== repo.commit) fail(`${repo.id}: labels are for ${labels.commit}, set says ${repo.commit}`);
    const dir = path.join(o.work, repo.id);
    const ex = extract(repo, dir, o.mirrorRoot);
    const missingScope = repo.scope.filter((f) => !fs.existsSync(path.join(dir, f)));
    if (missingScope.length) fail(`${repo.id}: scope files missing from the checkout: ${missingScope.join(", ")}`);
    process.stderr.write(`eval: ${repo.id} (${repo.set}) scope: ${repo.scope.length} files… `);
    const scoped = lint(o.project, dir, repo.scope, o.timeout, path.join(o.work, "_out", `${repo.id}.scope.json`), o.reuse);
    if (!scoped.ok) {
      report.errors.push({ id: repo.id, phase: "scope", error: scoped.error });
      process.stderr.write(`FAILED (${scoped.error.slice(0, 200)})\n`);
      continue;
    }
    let inScope = scopeFindings(scoped.findings, repo.scope);
    // A project that states it must stay local (`localOnly`): no-cloud-llm is scored from a `local-only` run
    // (the preset a user of such a project enables); elsewhere no-cloud-llm is not labelled and not scored.
    if (labels.localOnly) {
      const lo = lint(o.project, dir, repo.scope, o.timeout, path.join(o.work, "_out", `${repo.id}.local-only.json`), o.reuse, ["--preset", "local-only"]);
      if (lo.ok) inScope = [...inScope.filter((f) => f.rule !== "no-cloud-llm"), ...scopeFindings(lo.findings, repo.scope).filter((f) => f.rule === "no-cloud-llm")];
    }
    // Hazards the rule's docs page lists as out of scope (`docsOutOfScope`) are neutral: not a miss, and a
    // finding on one is not a false positive. Counted apart.
    const neutral = labels.hazards.filter((h) => h.docsOutOfScope);
    const scored = labels.hazards.filter((h) => !h.docsOutOfScope);
    const neutralMatch = matchFindings(neutral, inScope);
    const neutralFound = new Set(neutralMatch.tp.map((t) => t.finding));
    const match = matchFindings(scored, inScope.filter((f) => !neutralFound.has(f)));
    const counts = countByRule(match);
    addCounts(report.perRule[repo.set], counts);
    const langKey = `${repo.set}-${repo.lang ?? "ts"}`;
    langKeys.add(langKey);
    report.perRule[langKey] ??= {};
    addCounts(report.perRule[langKey], counts);
    report.neutral = (report.neutral ?? 0) + neutral.length;
    const fatal = scoped.findings.filter((f) => f.fatal);
    process.stderr.write(`${scoped.ms} ms`);
    let whole = null;
    if (o.whole) {
      const roots = WHOLE_ROOTS[repo.id] ?? ["."];
      process.stderr.write(`; whole (${roots.join(" ")})… `);
      const w = lint(o.project, dir, roots, o.timeout, path.join(o.work, "_out", `${repo.id}.whole.json`), o.reuse);
      if (!w.ok) {
        report.errors.push({ id: repo.id, phase: "whole", error: w.error });
        process.stderr.write(`FAILED (${w.error.slice(0, 200)})`);
      } else {
        // Locations (file, rule, line), as scored; `messages` counts every message.
        const locs = scopeFindings(w.findings, [...new Set(w.findings.map((f) => f.file))]);
        const byRule = Object.fromEntries(RULES.map((r) => [r, 0]));
        const messages = Object.fromEntries(RULES.map((r) => [r, 0]));
        for (const f of locs) {
          byRule[f.rule]++;
          messages[f.rule] += f.messages.length;
        }
        whole = { ms: w.ms, roots, byRule, messages, findings: locs, fatal: w.findings.filter((f) => f.fatal).length, filesWithFindings: new Set(locs.map((f) => f.file)).size };
        for (const r of RULES) report.whole[repo.set][r] = (report.whole[repo.set][r] ?? 0) + byRule[r];
        // Scope findings as seen by the whole-repository run (a check that the two runs agree).
        const wScope = scopeFindings(w.findings, repo.scope);
        whole.scopeAgreement = { scopeRun: inScope.length, wholeRun: wScope.length };
        process.stderr.write(`${w.ms} ms, ${whole.findings.length} findings`);
      }
    }
    process.stderr.write(ex.skipped ? ` (${ex.skipped} blobs absent from the mirror)\n` : "\n");
    report.repos.push({
      id: repo.id,
      repo: repo.repo,
      commit: repo.commit,
      set: repo.set,
      lang: repo.lang,
      scopeFiles: repo.scope.length,
      hazards: labels.hazards.length,
      counts,
      fatal: fatal.map((f) => ({ file: f.file, line: f.line, message: f.message })),
      tp: match.tp.map(({ hazard, finding }) => ({ file: hazard.file, line: hazard.line, rule: hazard.rule, foundAt: finding.line, message: finding.message })),
      fn: match.fn.map((h) => ({ file: h.file, line: h.line, rule: h.rule, why: h.why })),
      fp: match.fp.map((f) => ({ file: f.file, line: f.line, rule: f.rule, message: f.message })),
      whole,
    });
  }

  // ---- print ----
  const out = [];
  out.push(`Ghostwatch held-out evaluation — build ${buildCommit ?? "(unknown)"} at ${o.project}`);
  // One table per set value of sets/*.json (heldout2, heldout, dev…), then per set and language.
  for (const s of setNames) out.push(table(setTitle(s), report.perRule[s]));
  for (const k of [...langKeys].sort()) out.push(table(`${k.toUpperCase()} (scope files)`, report.perRule[k]));
  if (report.neutral) out.push(`(${report.neutral} labelled hazards the rules' docs list as out of scope: neutral, neither missed nor false)`);
  out.push("Per repository (per rule TP/FN/FP; rules with nothing labelled or found omitted):");
  for (const r of report.repos) {
    const parts = RULES.filter((rule) => r.counts[rule].tp + r.counts[rule].fn + r.counts[rule].fp > 0).map((rule) => `${rule.replace(/^require-/, "")} ${r.counts[rule].tp}/${r.counts[rule].fn}/${r.counts[rule].fp}`);
    out.push(`  [${r.set}] ${r.id.padEnd(38)} ${parts.join("  ") || "(no hazards, no findings)"}${r.fatal.length ? `  ⚠ ${r.fatal.length} parse errors` : ""}`);
  }
  if (o.whole) {
    out.push(`Whole-repository findings per rule, locations (file, rule, line) (${setNames.map(setColumn).join(" | ")}):`);
    for (const rule of RULES) out.push(`  ${rule.padEnd(26)} ${setNames.map((s) => String(report.whole[s][rule] ?? 0).padStart(5)).join(" | ")}`);
  }
  if (report.errors.length) out.push(`Errors: ${report.errors.map((e) => `${e.id}${e.phase ? ` (${e.phase})` : ""}: ${String(e.error).slice(0, 160)}`).join("; ")}`);
  report.figures = Object.fromEntries(setNames.map((s) => [s, Object.fromEntries(RULES.map((r) => [r, figures(report.perRule[s][r] ?? { tp: 0, fn: 0, fp: 0 })]))]));

  // ---- sample ----
  if (o.sample > 0) {
    const pool = report.repos.filter((r) => r.whole && (o.sampleSet === "all" || r.set === o.sampleSet));
    const md = [`# Sample of whole-repository findings (seed ${o.seed}, ${o.sample} per rule, set ${o.sampleSet}, build ${buildCommit ?? "?"})`, ""];
    report.sample = {};
    for (const rule of RULES) {
      const items = [];
      for (const r of pool) for (const f of r.whole.findings) if (f.rule === rule) items.push({ id: r.id, ...f });
      // Stable order before the seeded shuffle, so the sample depends only on the findings and the seed.
      items.sort((a, b) => (a.id + a.file).localeCompare(b.id + b.file) || a.line - b.line || a.column - b.column);
      const picked = sample(items, o.sample, o.seed);
      report.sample[rule] = picked;
      if (!picked.length) continue;
      md.push(`## ${rule} (${picked.length} of ${items.length})`, "");
      picked.forEach((f, i) => {
        md.push(`${i + 1}. \`${f.id}\` ${f.file}:${f.line}:${f.column} — ${f.messages.join(" ⏐ ")}`, "", "```", snippet(path.join(o.work, f.id), f.file, f.line), "```", "");
      });
    }
    fs.writeFileSync(path.join(o.work, "sample.md"), md.join("\n"));
    out.push(`Sample: ${path.join(o.work, "sample.md")}`);
  }
  fs.writeFileSync(path.join(o.work, "report.json"), JSON.stringify(report, null, 2) + "\n");
  out.push(`Report: ${path.join(o.work, "report.json")}`);
  process.stdout.write(out.join("\n\n") + "\n");
}

main();
