#!/usr/bin/env node
// Bench: honest-llm-names alone as a share of parse time (figures, not asserts); GW_BENCH_DIR for a corpus.
import { ruleShareOfParse } from "../bench-rule-share.mjs";

await ruleShareOfParse({ label: "honest-llm-names", rules: { "honest-llm-names": "error" }, targetPct: 3 });
