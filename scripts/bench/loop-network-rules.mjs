#!/usr/bin/env node
// Bench: no-unbounded-loop, no-unclosed-http-client and require-request-timeout together as a
// share of parse time (issue 12: ≤ 3 %), figures not asserts; GW_BENCH_DIR for a corpus.
import { ruleShareOfParse } from "../bench-rule-share.mjs";

await ruleShareOfParse({
  label: "loop+network rules",
  rules: { "no-unbounded-loop": "warn", "no-unclosed-http-client": "error", "require-request-timeout": "warn" },
  targetPct: 3,
});
