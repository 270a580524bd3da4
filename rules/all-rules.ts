/**
 * Every Ghostwatch rule, by name. Adding a rule = one import and one entry here; presets,
 * the README table and the meta-tests are derived from each rule's `meta.docs`.
 */
import honestLlmNames from "./honest-llm-names.js";
import noUnclosedHttpClient from "./no-unclosed-http-client/index.js";
import requireRequestTimeout from "./require-request-timeout/index.js";
import noUnboundedLoop from "./no-unbounded-loop.js";
import requireLlmTemperature from "./require-llm-temperature.js";
import requireLlmSchema from "./require-llm-schema.js";
import requireLlmMaxTokens from "./require-llm-max-tokens.js";
import noCloudLlm from "./no-cloud-llm.js";

export const rules = {
  "honest-llm-names": honestLlmNames,
  "no-unclosed-http-client": noUnclosedHttpClient,
  "require-request-timeout": requireRequestTimeout,
  "no-unbounded-loop": noUnboundedLoop,
  "require-llm-temperature": requireLlmTemperature,
  "require-llm-schema": requireLlmSchema,
  "require-llm-max-tokens": requireLlmMaxTokens,
  "no-cloud-llm": noCloudLlm,
};

export type RuleName = keyof typeof rules;
