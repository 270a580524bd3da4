#!/usr/bin/env node
/**
 * Bench: `probe --explain` on a 1,000-file workspace vs a plain sample plus one lint pass
 * (target: explain ≤ 2 × sample + lint). The workspace is 1,000 real `.ts` files copied from
 * node_modules (code no one here wrote) plus the zombie agent, in a temp dir removed afterwards.
 * Figures, not asserts. Medians of 3 runs.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const { Sampler } = await import(path.join(root, "dist/server/probe/sample.js"));
const { collectStaticEvidence } = await import(path.join(root, "dist/server/evidence/workspace.js"));
const { explainRead } = await import(path.join(root, "dist/server/evidence/explain.js"));

const files = [];
const walk = (d) => {
  if (files.length >= 1000) return;
  let entries = [];
  try {
    entries = fs.readdirSync(d, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (files.length >= 1000) return;
    const p = path.join(d, e.name);
    if (e.isDirectory() && !e.name.startsWith(".")) walk(p);
    else if (e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") && fs.statSync(p).size < 200_000) files.push(p);
  }
};
walk(path.join(root, "node_modules"));
const ws = fs.mkdtempSync(path.join(os.tmpdir(), "gw-bench-explain-"));
try {
  files.forEach((f, i) => fs.copyFileSync(f, path.join(ws, `f${i}.ts`)));
  fs.cpSync(path.join(root, "examples/zombie-agent/src"), path.join(ws, "agent"), { recursive: true });
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const time = async (fn) => {
    const t = performance.now();
    await fn();
    return performance.now() - t;
  };
  const samples = [], lints = [], explains = [], joins = [];
  const evidence = await collectStaticEvidence([ws]);
  for (let i = 0; i < 3; i++) {
    samples.push(await time(async () => {
      const s = new Sampler({ endpoints: [] });
      await s.sample();
      s.close();
    }));
    lints.push(await time(() => collectStaticEvidence([ws])));
    explains.push(await time(async () => {
      const evidence = await collectStaticEvidence([ws]);
      const s = new Sampler({ endpoints: [] });
      await s.sample();
      await explainRead(s.lastRead, evidence.roots, { evidence, dnsWaitMs: 0, isCloudAddress: (a) => s.cloudIps.has(a) });
      s.close();
    }));
    // the sample part of --explain alone: one sample + the join, sites already known
    joins.push(await time(async () => {
      const s = new Sampler({ endpoints: [] });
      await s.sample();
      await explainRead(s.lastRead, evidence.roots, { evidence, dnsWaitMs: 0, isCloudAddress: (a) => s.cloudIps.has(a) });
      s.close();
    }));
  }
  const [sm, lm, em, jm] = [median(samples), median(lints), median(explains), median(joins)];
  console.log(`workspace: ${files.length + 4} files`);
  console.log(`plain sample ${sm.toFixed(0)} ms · lint pass (sites + findings) ${lm.toFixed(0)} ms · --explain ${em.toFixed(0)} ms`);
  console.log(`sample + join (sites known) ${jm.toFixed(0)} ms = ${(jm / sm).toFixed(2)} × a plain sample (target ≤ 2)`);
  console.log(`--explain / (2 × sample + lint) = ${(em / (2 * sm + lm)).toFixed(2)} (target ≤ 1)`);
} finally {
  fs.rmSync(ws, { recursive: true, force: true });
}
