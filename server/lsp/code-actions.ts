/**
 * Code actions of one Ghostwatch diagnostic (its fix, suggestions, disable comments, docs link)
 * and the edits behind them. Pure functions of the lint result and the document: the server
 * (server/lsp/server.ts) adds the project-wide rename, which needs the project model.
 */
import type { Linter } from "eslint";
import {
  type CodeAction,
  CodeActionKind,
  type Diagnostic,
  type TextEdit,
  type WorkspaceEdit,
} from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { Commands } from "../shared/protocol.js";
import { isPython } from "../workspace.js";
import { ruleDocsUrl, type FileResult } from "./diagnostics.js";
import { toUri } from "./uri.js";

export const FIX_ALL_TITLE = "Fix all auto-fixable Ghostwatch problems";

export function fixEdit(doc: TextDocument, fix: { range: [number, number]; text: string }): TextEdit {
  return { range: { start: doc.positionAt(fix.range[0]), end: doc.positionAt(fix.range[1]) }, newText: fix.text };
}

function diagnosticCode(d: Diagnostic): string {
  return typeof d.code === "object" && d.code ? String((d.code as { value?: unknown }).value) : String(d.code ?? "");
}

/** A Ghostwatch finding published by vscode-eslint (when deferring to it). */
export function isEslintGhostwatchDiagnostic(d: Diagnostic): boolean {
  return (
    d.source === "eslint" &&
    /^ghostwatch\//.test(String(typeof d.code === "object" && d.code ? (d.code as { value?: unknown }).value : d.code))
  );
}

/** The lint message behind a diagnostic: by result id and index, else (another source's) by rule and position. */
export function findMessage(r: FileResult, d: Diagnostic): Linter.LintMessage | undefined {
  const data = d.data as { resultId?: string; index?: number } | undefined;
  if (data?.resultId === r.resultId && typeof data.index === "number") return r.messages[data.index];
  // Another source's diagnostic of the same finding (vscode-eslint's, when deferring): match by rule and position.
  const code = diagnosticCode(d);
  return r.messages.find(
    (m) => m.ruleId === code && m.line - 1 === d.range.start.line && m.column - 1 === d.range.start.character,
  );
}

/** The file-wide disable comment for these rules (TS/JS), after a shebang line. */
export function disableFileEdit(file: string, text: string, rules: string[]): WorkspaceEdit | undefined {
  if (isPython(file) || !rules.length) return undefined;
  const uri = toUri(file);
  const line = text.startsWith("#!") ? 1 : 0;
  return {
    changes: {
      [uri]: [
        {
          range: { start: { line, character: 0 }, end: { line, character: 0 } },
          newText: `/* eslint-disable ${[...new Set(rules)].sort().join(", ")} */\n`,
        },
      ],
    },
  };
}

/**
 * Python's auto-fixes (the Python front's ESLint-shaped `fix` on its messages): applied in one pass
 * like ESLint's fixer — sorted by position, a fix that overlaps an earlier one is left for the next run.
 */
export function pythonFixEdits(messages: Linter.LintMessage[], doc: TextDocument): TextEdit[] {
  const fixes = messages
    .map((m) => m.fix)
    .filter((f): f is NonNullable<typeof f> => !!f)
    .sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  const edits: TextEdit[] = [];
  let end = -1;
  for (const f of fixes) {
    if (f.range[0] < end) continue;
    edits.push(fixEdit(doc, f));
    end = f.range[1];
  }
  return edits;
}

export function renameTitle(from: string, to: string): string {
  return `Rename ${from} to ${to} across the project`;
}

/** The actions of one of our own diagnostics: the fix first (`fix`), the others (`rest`) after the rename. */
export function ruleActions(
  uri: string,
  file: string,
  text: string,
  doc: TextDocument,
  d: Diagnostic,
  m: Linter.LintMessage & { ruleId: string },
): { fix?: CodeAction; rest: CodeAction[] } {
  const ruleId = m.ruleId;
  const fix: CodeAction | undefined = m.fix
    ? {
        title: `Fix this ${ruleId} problem`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: true,
        edit: { changes: { [uri]: [fixEdit(doc, m.fix)] } },
      }
    : undefined;
  const rest: CodeAction[] = [];
  for (const s of m.suggestions ?? []) {
    rest.push({
      title: s.desc,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      edit: { changes: { [uri]: [fixEdit(doc, s.fix)] } },
    });
  }
  const lineText = doc.getText({
    start: { line: d.range.start.line, character: 0 },
    end: { line: d.range.start.line + 1, character: 0 },
  });
  const indent = /^\s*/.exec(lineText)?.[0] ?? "";
  // Python has no ESLint directive comments: no "disable for this line" there.
  if (!isPython(file)) {
    const at = { line: d.range.start.line, character: 0 };
    rest.push({
      title: `Disable ${ruleId} for this line`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      edit: {
        changes: {
          [uri]: [
            {
              range: { start: at, end: at },
              newText: `${indent.replace(/\n/g, "")}// eslint-disable-next-line ${ruleId}\n`,
            },
          ],
        },
      },
    });
  }
  const fileEdit = disableFileEdit(file, text, [ruleId]);
  if (fileEdit)
    rest.push({
      title: `Disable ${ruleId} for the entire file`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      edit: fileEdit,
    });
  const url = ruleDocsUrl(ruleId);
  if (url)
    rest.push({
      title: `Show documentation for ${ruleId}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      command: { title: "Show documentation", command: Commands.showDocumentation, arguments: [url] },
    });
  return { fix, rest };
}
