/**
 * One file through ESLint's Linter (flat config, in-process), with the project's resolver in
 * `settings.ghostwatch.resolver`. A rule that throws is logged and switched off for that file
 * only; the other rules' findings on the file are kept.
 */
import { Linter } from "eslint";
import { getFileFacts } from "../../rules/core/eslint-facts.js";
import type { FileFacts } from "../../rules/core/file-facts.js";
import type { ModuleResolver } from "../../rules/core/reach.js";
import { lintPythonText } from "../../rules/python/lint.js";
import type { ResolvedConfig } from "./config.js";

export interface LintOutcome {
  messages: Linter.LintMessage[];
  /** A syntax error: the file could not be analysed at this version. */
  parseError?: string;
  /** Rules that threw on this file (logged, switched off for it). */
  crashed: string[];
  /**
   * The file's facts from the AST this lint parsed (the very facts its rules used; built only when
   * called, and free when a rule already built them), so hovers and code lenses do not parse again.
   */
  facts?: () => FileFacts | undefined;
}

/**
 * A fresh Linter per validation: a Linter keeps its last SourceCode (the whole AST, tokens and
 * scopes) alive until the next verify, so a long-lived one makes the next edit's first scavenge
 * copy the previous document's AST. Constructing one is cheap (no config or rule state is cached
 * on it in flat mode: the config array is built per verify anyway).
 */
function linterFor(cwd: string): Linter {
  return new Linter({ configType: "flat", cwd });
}

function withResolver(configs: Linter.Config[], resolver: ModuleResolver | undefined, off: Set<string>): Linter.Config[] {
  const extra: Linter.Config[] = [];
  if (resolver) extra.push({ settings: { ghostwatch: { resolver } } });
  if (off.size) extra.push({ rules: Object.fromEntries([...off].map((r) => [r, "off" as const])) });
  return [...configs, ...extra];
}

export function lintText(
  text: string,
  file: string,
  config: ResolvedConfig,
  resolver: ModuleResolver | undefined,
  log: (m: string) => void,
  fix = false,
): LintOutcome & { output?: string } {
  const linter = linterFor(config.cwd);
  const off = new Set<string>();
  const crashed: string[] = [];
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      if (fix) {
        const r = linter.verifyAndFix(text, withResolver(config.configs, resolver, off), { filename: file });
        return { ...split(r.messages), crashed, output: r.fixed ? r.output : undefined };
      }
      const messages = linter.verify(text, withResolver(config.configs, resolver, off), { filename: file });
      const out: LintOutcome = { ...split(messages), crashed };
      const sourceCode = linter.getSourceCode();
      if (!out.parseError && sourceCode) {
        const context = { sourceCode, cwd: config.cwd, filename: file } as unknown as Parameters<typeof getFileFacts>[0];
        out.facts = () => {
          try {
            return getFileFacts(context);
          } catch {
            return undefined;
          }
        };
      }
      return out;
    } catch (e) {
      const err = e as Error & { ruleId?: string };
      const first = err.message.split("\n")[0];
      if (!err.ruleId || off.has(err.ruleId)) {
        log(`Ghostwatch: linting ${file} failed: ${first}`);
        return { messages: [], crashed, parseError: `internal error: ${first}` };
      }
      log(`Ghostwatch: rule ${err.ruleId} crashed on ${file}: ${first}\n${err.stack ?? ""}`);
      crashed.push(err.ruleId);
      off.add(err.ruleId);
    }
  }
  return { messages: [], crashed };
}

function split(messages: Linter.LintMessage[]): Omit<LintOutcome, "crashed"> {
  const fatal = messages.find((m) => m.fatal);
  // Messages without a rule (unused directives, "no matching configuration") are not ours to show.
  const own = messages.filter((m) => !m.fatal && m.ruleId);
  return fatal ? { messages: own, parseError: fatal.message } : { messages: own };
}

/**
 * One Python buffer through the Python front (`lintPythonText`: same core, rule ids, messageIds
 * and message templates as `ghostwatch lint` on `.py`). The parser must be loaded
 * (`loadPythonParser()`); a syntax error becomes `parseError` like ESLint's fatal message.
 */
export function lintPython(
  text: string,
  file: string,
  rulesRecord: Record<string, unknown>,
  cwd: string,
  resolver: ModuleResolver | undefined,
  log: (m: string) => void,
): LintOutcome {
  try {
    const r = lintPythonText(text, file, { rules: rulesRecord, cwd, resolver });
    if (!r) return { messages: [], crashed: [], parseError: "the Python parser is not loaded" };
    const facts = r.facts;
    return { ...split(r.messages), crashed: [], facts: facts ? () => facts : undefined };
  } catch (e) {
    const first = (e as Error).message.split("\n")[0];
    log(`Ghostwatch: linting ${file} failed: ${first}\n${(e as Error).stack ?? ""}`);
    return { messages: [], crashed: [], parseError: `internal error: ${first}` };
  }
}
