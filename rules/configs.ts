/**
 * Presets derived from each rule's meta.docs (SPEC "Presets"):
 * recommended = rules marked recommended at their level; strict = every recommended rule as
 * an error, with `strictOptions`; local-only = recommended + rules that list "local-only".
 *
 * `recommended` (and `local-only`) run the LLM-parameter rules with `checkTestFiles: false`:
 * test files, mocks and fixture / codemod-input folders are not reported there (issue 11 item 3;
 * see rules/core/test-files.ts; also example folders). `strict` keeps them. honest-llm-names
 * takes the same option but reads only test file names (rules/core/lies.ts `isTestOnlyPath`).
 *
 * `recommended` (and `local-only`) also run `require-llm-temperature` with
 * `maxTemperatureScope: "structured"`: an explicit temperature above `maxTemperature` is reported
 * only where the answer is machine-consumed (structured output, tool calls); a deliberate 0.7 in a
 * free-text chat is the maintainer's choice. `strict` keeps the rule's default "all" (SPEC §2.4).
 */
import type { TSESLint } from "@typescript-eslint/utils";
import type { GhostwatchDocs } from "./create-rule.js";
import { rules } from "./all-rules.js";

type Level = "error" | "warn";

/** Rules whose findings in tests, mocks and fixtures a maintainer does not want from `recommended`. */
const QUIET_IN_TESTS = new Set(["require-llm-temperature", "require-llm-max-tokens", "honest-llm-names"]);
/** Extra options of `recommended` / `local-only` per rule. */
const RECOMMENDED_OPTIONS: Record<string, Record<string, unknown>> = { "require-llm-temperature": { maxTemperatureScope: "structured" } };
type RuleEntry = Level | [Level, ...unknown[]];

function docsOf(name: string): GhostwatchDocs {
  return (rules as Record<string, { meta: { docs?: GhostwatchDocs } }>)[name].meta.docs as GhostwatchDocs;
}

export function presetRules(preset: "recommended" | "strict" | "local-only"): Record<string, RuleEntry> {
  const out: Record<string, RuleEntry> = {};
  for (const name of Object.keys(rules)) {
    const d = docsOf(name);
    const id = `ghostwatch/${name}`;
    const extra = { ...(QUIET_IN_TESTS.has(name) ? { checkTestFiles: false } : {}), ...RECOMMENDED_OPTIONS[name] };
    const level = (l: Level): RuleEntry => (Object.keys(extra).length ? [l, extra] : l);
    if (preset === "recommended") {
      if (d.recommended) out[id] = level(d.recommended);
    } else if (preset === "strict") {
      if (d.recommended || d.presets?.includes("strict")) out[id] = d.strictOptions ? ["error", ...d.strictOptions] : "error";
    } else {
      if (d.recommended) out[id] = level(d.recommended);
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
