/**
 * `createRule` in the typescript-eslint style: the docs URL is derived from the rule name,
 * options are typed and defaulted, messages go through `messageId` only.
 *
 * It also holds the one crash policy of every Ghostwatch rule: `create` and each listener run
 * inside a guard. Under tests (`VITEST` set) or with `GHOSTWATCH_DEBUG=1` an error is rethrown,
 * so a bug fails the suite with its stack. Otherwise (the editor, `ghostwatch lint`, a user's
 * ESLint run) it is logged once per rule and file, with the file name, and the rule is switched
 * off for the rest of that file: the other rules' findings and the rest of the workspace survive,
 * instead of ESLint aborting the file or a rule swallowing the error in a silent `catch {}`.
 */
import { ESLintUtils, type TSESLint } from "@typescript-eslint/utils";
import type { RuleWithMetaAndName } from "@typescript-eslint/utils/eslint-utils";

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

const ruleCreator = ESLintUtils.RuleCreator<GhostwatchDocs>((name) => `${DOCS_BASE}/${name}.md`);

export function createRule<Options extends readonly unknown[], MessageIds extends string>(
  rule: Readonly<RuleWithMetaAndName<Options, MessageIds, GhostwatchDocs>>,
): ReturnType<typeof ruleCreator<Options, MessageIds>> {
  const create = rule.create;
  return ruleCreator<Options, MessageIds>({
    ...rule,
    create(context, optionsWithDefault) {
      const guard = new RuleGuard(rule.name, context.filename);
      const listeners = guard.run(() => create(context, optionsWithDefault));
      return listeners ? guardListeners(listeners, guard) : {};
    },
  });
}

export function docsUrl(name: string): string {
  return `${DOCS_BASE}/${name}.md`;
}

/** Rethrow instead of logging: under vitest, or when the user asks for it. */
export function rethrowRuleErrors(): boolean {
  const env = typeof process === "undefined" ? undefined : process.env;
  return !!env && (!!env.VITEST || env.GHOSTWATCH_DEBUG === "1");
}

/** (rule, file) pairs already logged in this process: an editor re-lints a file on every edit. */
const logged = new Set<string>();

/** One rule on one file: off after its first error. */
class RuleGuard {
  off = false;
  constructor(
    private readonly rule: string,
    private readonly file: string,
  ) {}

  run<T>(body: () => T): T | undefined {
    if (this.off) return undefined;
    try {
      return body();
    } catch (error) {
      if (rethrowRuleErrors()) throw error;
      this.off = true;
      const key = `${this.rule}\u0000${this.file}`;
      if (!logged.has(key)) {
        logged.add(key);
        const what = error instanceof Error ? error.message : String(error);
        console.error(
          `ghostwatch: rule ${this.rule} failed on ${this.file} (${what}); it is off for this file. GHOSTWATCH_DEBUG=1 rethrows the error.`,
        );
      }
      return undefined;
    }
  }
}

function guardListeners(listeners: TSESLint.RuleListener, guard: RuleGuard): TSESLint.RuleListener {
  const guarded: Record<string, (...args: unknown[]) => void> = {};
  for (const [selector, listener] of Object.entries(listeners)) {
    if (typeof listener !== "function") continue;
    const call = listener as (...args: unknown[]) => void;
    guarded[selector] = (...args) => guard.run(() => call(...args));
  }
  return guarded as TSESLint.RuleListener;
}
