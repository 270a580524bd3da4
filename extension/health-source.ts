/**
 * Polls the serving probe's `GET /health` and fans each sample out to the views.
 * Plain node:http against 127.0.0.1 — no network beyond the local probe.
 */
import * as http from "node:http";
import { normaliseSample, type HealthSample } from "./health-model.js";

export type SampleListener = (sample: HealthSample | undefined, error?: string) => void;

export function getJson(url: string, timeoutMs = 5000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs, headers: { accept: "application/json" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        if ((res.statusCode ?? 500) >= 400) return reject(new Error(`HTTP ${res.statusCode} from ${url}`));
        try {
          resolve(JSON.parse(body));
        } catch {
          reject(new Error(`not JSON from ${url}`));
        }
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`timeout after ${timeoutMs} ms: ${url}`)));
    req.on("error", reject);
  });
}

export class HealthSource {
  private timer: NodeJS.Timeout | undefined;
  private listeners: SampleListener[] = [];
  private inFlight: Promise<void> | undefined;
  last: HealthSample | undefined;
  lastError: string | undefined;
  baseUrl: string | undefined;

  constructor(private intervalMs: number) {}

  onSample(l: SampleListener): { dispose(): void } {
    this.listeners.push(l);
    return { dispose: () => (this.listeners = this.listeners.filter((x) => x !== l)) };
  }

  setBaseUrl(url: string | undefined): void {
    this.baseUrl = url?.replace(/\/+$/, "");
  }

  setInterval(ms: number): void {
    this.intervalMs = Math.max(500, ms);
    if (this.timer) this.start();
  }

  start(): void {
    this.stop();
    this.timer = setInterval(() => void this.refresh(), this.intervalMs);
    void this.refresh();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One sample now (coalesces concurrent calls). */
  refresh(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    this.inFlight = (async () => {
      if (!this.baseUrl) return;
      try {
        const raw = await getJson(`${this.baseUrl}/health`);
        this.last = normaliseSample(raw);
        this.lastError = undefined;
      } catch (e) {
        this.lastError = e instanceof Error ? e.message : String(e);
      }
      for (const l of this.listeners) {
        try {
          l(this.last, this.lastError);
        } catch {
          /* a view failing must not stop the others */
        }
      }
    })().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  dispose(): void {
    this.stop();
    this.listeners = [];
  }
}
