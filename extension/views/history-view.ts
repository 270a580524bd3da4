/**
 * The History webview view: small SVG charts of CLOSE-WAIT, FD use and endpoint latency
 * over the session. No network (strict CSP, local script only), theme colours through
 * VS Code's CSS variables, each chart with a text alternative.
 */
import * as vscode from "vscode";
import type { HistoryPoint } from "./history-point.js";

export { toPoint, type HistoryPoint } from "./history-point.js";

export class HistoryViewProvider implements vscode.WebviewViewProvider {
  static readonly viewId = "ghostwatch.history";
  private view: vscode.WebviewView | undefined;
  readonly points: HistoryPoint[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly max = 720,
  ) {}

  add(p: HistoryPoint): void {
    const last = this.points[this.points.length - 1];
    if (last && last.t === p.t) return; // same sample twice
    this.points.push(p);
    if (this.points.length > this.max) this.points.splice(0, this.points.length - this.max);
    void this.view?.webview.postMessage({ type: "point", point: p });
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const media = vscode.Uri.joinPath(this.extensionUri, "media");
    view.webview.options = { enableScripts: true, localResourceRoots: [media] };
    const nonce = Array.from({ length: 24 }, () => Math.floor(Math.random() * 36).toString(36)).join("");
    const script = view.webview.asWebviewUri(vscode.Uri.joinPath(media, "history.js"));
    const style = view.webview.asWebviewUri(vscode.Uri.joinPath(media, "history.css"));
    view.webview.html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${view.webview.cspSource} data:; style-src ${view.webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${style}">
<title>Ghostwatch history</title></head>
<body>
<main id="charts" aria-live="polite"><p class="empty">Waiting for the first probe sample…</p></main>
<script nonce="${nonce}" src="${script}"></script>
</body></html>`;
    view.webview.onDidReceiveMessage((m: { type?: string }) => {
      if (m?.type === "ready") void view.webview.postMessage({ type: "history", points: this.points });
    });
    view.onDidDispose(() => (this.view = undefined));
  }
}
