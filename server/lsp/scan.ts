/**
 * The workspace scan: on start (and on `ghostwatch.scanWorkspace`) every analysable file of the
 * workspace folders is queued in the background, with work-done progress and `ghostwatch/status`
 * reports, cancellable from the client. Validation itself stays in the server: it calls
 * `validated(file)` after each pass.
 */
import type { StatusParams } from "../shared/protocol.js";

interface Progress {
  begin(title: string, percentage: number, message: string, cancellable: boolean): void;
  report(percentage: number, message: string): void;
  done(): void;
  token: { onCancellationRequested(listener: () => void): unknown };
}

export interface ScanHost {
  /** The files to scan (folders whose settings turn the scan or Ghostwatch off are left out). */
  listFiles(): Promise<string[]>;
  /** Work-done progress, when the client supports it. */
  createProgress(): Promise<Progress | undefined>;
  status(params: StatusParams): void;
  isOpen(file: string): boolean;
  /** The file is part of the workspace (validated from disk while not open). */
  markScanned(file: string): void;
  /** Queue a background validation. */
  schedule(file: string): void;
  /** Cancelled: drop the queued background validations of these files. */
  drop(pending: ReadonlySet<string>): void;
  /** The figures of the final `idle` status. */
  idleStatus(): Pick<StatusParams, "filesWithProblems" | "usesLlm" | "restricted" | "note">;
  log(message: string): void;
}

interface Running {
  total: number;
  done: number;
  files: Set<string>;
  report: (done: number) => void;
  finish: (cancelled: boolean) => void;
}

export class WorkspaceScan {
  private running: Running | undefined;

  constructor(private readonly host: ScanHost) {}

  async start(): Promise<void> {
    if (this.running) return;
    const host = this.host;
    const files = await host.listFiles();
    if (!files.length) return;
    const reporter = await host.createProgress();
    const started = Date.now();
    const pending = new Set(files);
    const total = files.length;
    let lastReport = 0;
    reporter?.begin("Ghostwatch", 0, `scanning 0/${total} files`, true);
    host.status({ state: "scanning", scanned: 0, total });
    const scan: Running = {
      total,
      done: 0,
      files: pending,
      report: (done) => {
        const now = Date.now();
        if (now - lastReport < 100 && done < total) return;
        lastReport = now;
        reporter?.report(Math.floor((done / total) * 100), `scanning ${done}/${total} files`);
        host.status({ state: "scanning", scanned: done, total });
      },
      finish: (wasCancelled) => {
        const finished = this.running;
        this.running = undefined;
        reporter?.done();
        host.status({ state: "idle", scanned: finished?.done, total, ...host.idleStatus() });
        host.log(`Ghostwatch: workspace scan ${wasCancelled ? "cancelled after" : "finished:"} ${finished?.done}/${total} files in ${Date.now() - started} ms`);
      },
    };
    this.running = scan;
    reporter?.token.onCancellationRequested(() => {
      if (!this.running) return;
      host.drop(pending);
      this.running.finish(true);
    });
    for (const f of files) {
      host.markScanned(f);
      if (host.isOpen(f)) {
        pending.delete(f);
        scan.done++;
      } else host.schedule(f);
    }
    if (!pending.size) scan.finish(false);
  }

  /** A validation pass of `file` ended (whatever its outcome). */
  validated(file: string): void {
    const scan = this.running;
    if (!scan?.files.has(file)) return;
    scan.files.delete(file);
    scan.report(++scan.done);
    if (!scan.files.size) scan.finish(false);
  }
}
