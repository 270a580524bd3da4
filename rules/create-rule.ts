/**
 * `createRule` in the typescript-eslint style: the docs URL is derived from the rule name,
 * options are typed and defaulted, messages go through `messageId` only.
 */
import { ESLintUtils } from "@typescript-eslint/utils";

export const DOCS_BASE = "https://github.com/ghostwatch/ghostwatch/blob/main/docs/rules";

export interface GhostwatchDocs {
  description: string;
  /** Level in `recommended` (and so in `local-only`); `strict` turns every rule into an error. */
  recommended?: "error" | "warn";
  /** Presets that enable a rule not in `recommended` (e.g. `no-cloud-llm` in `local-only`). */
  presets?: Array<"strict" | "local-only">;
  /** Options `strict` passes instead of the defaults (e.g. the SDK-client part of a rule). */
  strictOptions?: unknown[];
}

export const createRule = ESLintUtils.RuleCreator<GhostwatchDocs>((name) => `${DOCS_BASE}/${name}.md`);

export function docsUrl(name: string): string {
  return `${DOCS_BASE}/${name}.md`;
}
