/**
 * The diagnostics store: the last lint result of every file the server validated, as ESLint
 * messages (code actions and rename read them) and as LSP diagnostics (what is published), with
 * the result id pull clients compare.
 */
import type { Linter } from "eslint";
import { type Diagnostic, DiagnosticSeverity } from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import plugin from "../../rules/index.js";
import { DIAGNOSTIC_SOURCE } from "../shared/protocol.js";
import { toUri } from "./uri.js";

export interface FileResult {
  /** Document version for open files, null for files validated from disk. */
  version: number | null;
  text: string;
  messages: Linter.LintMessage[];
  diagnostics: Diagnostic[];
  resultId: string;
  pushed: boolean;
  /** vscode-eslint publishes these findings (the workspace config enables Ghostwatch): not published again. */
  deferred?: boolean;
  /** Why the file was not analysed (too large, binary): one Information diagnostic on open documents. */
  skipped?: string;
}

/** What a validation pass hands the store; the store adds the diagnostics and the result id. */
export type LintRecord = Omit<FileResult, "pushed" | "resultId" | "diagnostics">;

export function ruleDocsUrl(ruleId: string): string | undefined {
  const name = ruleId.replace(/^ghostwatch\//, "");
  const rule = (plugin.rules as Record<string, { meta?: { docs?: { url?: string } } }>)[name];
  return rule?.meta?.docs?.url;
}

export function toDiagnostic(m: Linter.LintMessage, doc: TextDocument, resultId: string, index: number): Diagnostic {
  const line = Math.max(0, m.line - 1);
  const start = { line, character: Math.max(0, m.column - 1) };
  const end =
    m.endLine !== undefined && m.endColumn !== undefined
      ? { line: Math.max(0, m.endLine - 1), character: Math.max(0, m.endColumn - 1) }
      : doc.positionAt(doc.offsetAt(start) + 1);
  const href = m.ruleId ? ruleDocsUrl(m.ruleId) : undefined;
  return {
    range: { start, end },
    severity: m.severity === 2 ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: DIAGNOSTIC_SOURCE,
    code: m.ruleId ?? undefined,
    ...(href ? { codeDescription: { href } } : {}),
    message: m.message,
    data: { resultId, index },
  };
}

/**
 * Said once, where the user looks: one Information diagnostic on a skipped (open) file, as ESLint
 * reports "File ignored …" as one message on the file; scanned files only get the log line.
 */
export function skippedDiagnostic(reason: string): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    source: DIAGNOSTIC_SOURCE,
    message: `Ghostwatch did not analyse this file (${reason}).`,
  };
}

export class DiagnosticsStore extends Map<string, FileResult> {
  private resultSeq = 0;

  /** Store a lint result; a new result id when it `changed` (or is the first). */
  record(file: string, r: LintRecord, changed: boolean, isOpen: boolean): FileResult {
    const prev = this.get(file);
    const full: FileResult = {
      ...r,
      diagnostics: [],
      resultId: changed || !prev ? String(++this.resultSeq) : prev.resultId,
      pushed: prev?.pushed ?? false,
    };
    const doc = TextDocument.create(toUri(file), "typescript", 0, r.text);
    // Deferred: the messages are kept (code actions on vscode-eslint's diagnostics, rename) but not published.
    full.diagnostics = r.deferred ? [] : r.messages.map((m, i) => toDiagnostic(m, doc, full.resultId, i));
    if (r.skipped && isOpen) full.diagnostics = [skippedDiagnostic(r.skipped)];
    this.set(file, full);
    return full;
  }

  /** Files with at least one published diagnostic. */
  withProblems(): number {
    return [...this.values()].filter((r) => r.diagnostics.length).length;
  }
}
