#!/usr/bin/env node
// Bench: no-unclosed-http-client and require-request-timeout as a share of parse time (figures, not asserts).
import { ruleShareOfParse } from "../bench-rule-share.mjs";

await ruleShareOfParse({
  label: "network-rules",
  rules: { "no-unclosed-http-client": "error", "require-request-timeout": ["warn", { checkSdkClients: true }] },
  targetPct: 3,
});
