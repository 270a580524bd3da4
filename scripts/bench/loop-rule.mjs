#!/usr/bin/env node
// Bench: no-unbounded-loop as a share of parse time (figures, not asserts).
import { ruleShareOfParse } from "../bench-rule-share.mjs";

await ruleShareOfParse({ label: "loop-rule", rules: { "no-unbounded-loop": "warn" }, targetPct: 3 });
