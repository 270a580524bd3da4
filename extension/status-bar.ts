/**
 * One status-bar item: `$(pulse) Ollama ✓ 12 ms · CLOSE-WAIT 0`, warning background only
 * while a threshold is crossed by one of the user's own processes (another user's leak is in the
 * Host Health view, not amber), Markdown tooltip with the live figures, click reveals the view.
 */
import * as vscode from "vscode";
import { statusText, statusTooltip, type HealthSample, type ProbeWarning } from "./health-model.js";

export const FOCUS_COMMAND = "ghostwatch.focusHealth";

export class HealthStatusBar {
  readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem("ghostwatch.health", vscode.StatusBarAlignment.Left, 50);
    this.item.name = "Ghostwatch host health";
    this.item.command = FOCUS_COMMAND;
    this.item.text = "$(pulse) Ghostwatch …";
  }

  /** What the item shows now (tests read it through the extension's API). */
  get state(): { text: string; warning: boolean; tooltip: string } {
    const tip = this.item.tooltip;
    return {
      text: this.item.text,
      warning: this.item.backgroundColor !== undefined,
      tooltip: typeof tip === "string" ? tip : (tip?.value ?? ""),
    };
  }

  /** `own`: the warnings about the user's own processes (or the host): only they turn the item amber. */
  update(sample: HealthSample | undefined, warnings: ProbeWarning[], source: string, error?: string, own: ProbeWarning[] = warnings): void {
    this.item.text = sample ? statusText(sample, own) : `$(pulse) Ghostwatch ${error ? "$(circle-slash) probe" : "…"}`;
    const md = new vscode.MarkdownString(statusTooltip(sample, warnings, source) + (error ? `\n\n$(error) ${error.replace(/[\\`*_[\]]/g, "\\$&")}` : ""), true);
    md.isTrusted = false;
    this.item.tooltip = md;
    this.item.backgroundColor = own.length ? new vscode.ThemeColor("statusBarItem.warningBackground") : undefined;
    this.item.accessibilityInformation = {
      label: `Ghostwatch host health: ${this.item.text.replace(/\$\([^)]+\)\s*/g, "")}${warnings.length ? `, ${warnings.length} warnings` : ""}`,
    };
  }

  /** Whether the item is shown (tests read it through the extension's API). */
  shown = false;

  show(on: boolean): void {
    this.shown = on;
    if (on) this.item.show();
    else this.item.hide();
  }

  dispose(): void {
    this.item.dispose();
  }
}
