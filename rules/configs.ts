/**
 * Presets derived from each rule's meta.docs (SPEC "Presets"):
 * recommended = rules marked recommended at their level; strict = every recommended rule as
 * an error, with `strictOptions`; local-only = recommended + rules that list "local-only".
 */
import type { TSESLint } from "@typescript-eslint/utils";
import type { GhostwatchDocs } from "./create-rule.js";
import { rules } from "./all-rules.js";

type Level = "error" | "warn";
type RuleEntry = Level | [Level, ...unknown[]];

function docsOf(name: string): GhostwatchDocs {
  return (rules as Record<string, { meta: { docs?: GhostwatchDocs } }>)[name].meta.docs as GhostwatchDocs;
}

export function presetRules(preset: "recommended" | "strict" | "local-only"): Record<string, RuleEntry> {
  const out: Record<string, RuleEntry> = {};
  for (const name of Object.keys(rules)) {
    const d = docsOf(name);
    const id = `ghostwatch/${name}`;
    if (preset === "recommended") {
      if (d.recommended) out[id] = d.recommended;
    } else if (preset === "strict") {
      if (d.recommended || d.presets?.includes("strict")) out[id] = d.strictOptions ? ["error", ...d.strictOptions] : "error";
    } else {
      if (d.recommended) out[id] = d.recommended;
      if (d.presets?.includes("local-only")) out[id] = "error";
    }
  }
  return out;
}

export function buildConfigs(plugin: TSESLint.FlatConfig.Plugin): Record<"recommended" | "strict" | "local-only", TSESLint.FlatConfig.Config> {
  const make = (preset: "recommended" | "strict" | "local-only"): TSESLint.FlatConfig.Config => ({
    name: `ghostwatch/${preset}`,
    plugins: { ghostwatch: plugin },
    rules: presetRules(preset) as TSESLint.FlatConfig.Rules,
  });
  return { recommended: make("recommended"), strict: make("strict"), "local-only": make("local-only") };
}
