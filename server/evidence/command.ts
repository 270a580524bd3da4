/**
 * `ghostwatch probe --explain [paths…]`: one probe sample joined to one lint pass of the paths
 * (default: the current directory). Exit codes as `--check` (0 OK / 1 WARNING / 2 CRITICAL /
 * 3 UNKNOWN), from the same sample's warnings.
 */
import { Sampler, type SampleOptions } from "../probe/sample.js";
import { nagiosCode } from "../probe/thresholds.js";
import { explainRead, renderExplanations } from "./explain.js";
import { AddressResolver, parseConnectTo } from "./resolve.js";
import { collectStaticEvidence } from "./workspace.js";

export interface ExplainCliOptions {
  json?: boolean;
  connectTo?: string[];
}

export async function runExplain(paths: string[], sample: SampleOptions, o: ExplainCliOptions): Promise<number> {
  const connectTo = new Map((o.connectTo ?? []).map(parseConnectTo));
  const resolver = new AddressResolver({ connectTo });
  const evidence = await collectStaticEvidence(paths.length ? paths : ["."]);
  // DNS answers about the code's hosts are awaited while the host is sampled, not after.
  const warm = resolver.warm(evidence.sites.flatMap((s) => s.endpoints.map((e) => e.host)), 1500);
  const sampler = new Sampler(sample);
  let snap;
  try {
    snap = await sampler.sample();
    await warm;
  } finally {
    sampler.close();
  }
  const cloud = sampler.cloudIps;
  const result = await explainRead(sampler.lastRead!, evidence.roots, {
    evidence,
    resolver,
    dnsWaitMs: 0,
    pids: sample.pids,
    isCloudAddress: (a) => cloud.has(a),
  });
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ ...snap, explanations: result.explanations }, null, 2)}\n`);
  } else {
    process.stdout.write(renderExplanations(result));
  }
  return nagiosCode(snap.warnings);
}
