/**
 * Every Ghostwatch rule, by name. Adding a rule = one import and one entry here; presets,
 * the README table and the meta-tests are derived from each rule's `meta.docs`.
 */
import honestLlmNames from "./honest-llm-names.js";

export const rules = {
  "honest-llm-names": honestLlmNames,
};

export type RuleName = keyof typeof rules;
