#!/usr/bin/env node
// Bench: the four LLM-call rules together as a share of parse time (figures, not asserts).
import { ruleShareOfParse } from "../bench-rule-share.mjs";

await ruleShareOfParse({
  label: "llm-rules",
  rules: { "require-llm-temperature": "warn", "require-llm-schema": "warn", "require-llm-max-tokens": "warn", "no-cloud-llm": "warn" },
  targetPct: 4,
});
