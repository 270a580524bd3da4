/**
 * The Host Health view: a TreeDataProvider over the nodes of health-nodes.ts — codicons in
 * theme colours, evidence tooltips, a badge with the number of warnings, and a message when
 * the data is partial. Actions (copy, reveal the process in a terminal, open the probe
 * report) are contributed per node kind through `contextValue`.
 */
import * as vscode from "vscode";
import { closeWaitTotal, type HealthSample, type ProbeWarning, type Thresholds } from "../health-model.js";
import { buildHealthNodes, type HealthNode, type OpenedBy } from "./health-nodes.js";

export { buildHealthNodes, openedByNodes, shortCommand, type HealthNode, type OpenedBy } from "./health-nodes.js";

export class HealthTreeProvider implements vscode.TreeDataProvider<HealthNode> {
  private readonly changed = new vscode.EventEmitter<HealthNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: HealthNode[] = [];
  view: vscode.TreeView<HealthNode> | undefined;

  /** The current top-level nodes (tests read them through the extension's API). */
  get nodes(): HealthNode[] {
    return this.roots;
  }

  update(sample: HealthSample | undefined, warnings: ProbeWarning[], t: Thresholds, status: { error?: string; source: string }, openedBy: readonly OpenedBy[] = []): void {
    if (!sample) {
      this.roots = [];
      if (this.view) this.view.message = status.error ? `Probe unavailable: ${status.error}` : `Waiting for the probe (${status.source})…`;
    } else {
      this.roots = buildHealthNodes(sample, warnings, t, openedBy);
      if (this.view) {
        const notes = [...(sample.notes ?? []), ...(Array.isArray(sample.errors) ? (sample.errors as string[]).slice(0, 3) : [])];
        if (sample.partial && !notes.length) notes.push("Partial data: some sockets or processes belong to other users and could not be attributed.");
        if (status.error) notes.unshift(`Last refresh failed: ${status.error}`);
        this.view.message = notes.length ? notes.join(" ") : undefined;
      }
    }
    if (this.view) {
      this.view.badge = warnings.length ? { value: warnings.length, tooltip: `${warnings.length} host-health warning${warnings.length === 1 ? "" : "s"}` } : undefined;
      this.view.description = sample ? `CLOSE-WAIT ${closeWaitTotal(sample)}` : undefined;
    }
    this.changed.fire(undefined);
  }

  getTreeItem(n: HealthNode): vscode.TreeItem {
    const state = n.children?.length ? (n.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed) : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(n.label, state);
    item.id = n.id;
    item.description = n.description;
    if (n.icon) item.iconPath = new vscode.ThemeIcon(n.icon, n.color ? new vscode.ThemeColor(n.color) : undefined);
    if (n.evidence) {
      const md = new vscode.MarkdownString();
      md.appendMarkdown(`**${escapeMd(n.label)}**\n\n`);
      md.appendCodeblock(n.evidence, "text");
      item.tooltip = md;
    }
    item.contextValue = n.contextValue ?? (n.evidence ? "ghostwatch.evidence" : undefined);
    if (n.open) {
      const line = Math.max(0, n.open.line - 1);
      item.command = { title: "Reveal the code", command: "vscode.open", arguments: [vscode.Uri.parse(n.open.uri), { selection: new vscode.Range(line, 0, line, 0) }] };
    }
    item.accessibilityInformation = { label: `${n.label}${n.description ? `, ${n.description}` : ""}` };
    return item;
  }

  getChildren(n?: HealthNode): HealthNode[] {
    return n ? (n.children ?? []) : this.roots;
  }

  getParent(n: HealthNode): HealthNode | undefined {
    const find = (list: HealthNode[], parent?: HealthNode): HealthNode | undefined => {
      for (const c of list) {
        if (c === n) return parent;
        const r = c.children ? find(c.children, c) : undefined;
        if (r) return r;
      }
      return undefined;
    };
    return find(this.roots);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|]/g, (c) => `\\${c}`);
}
