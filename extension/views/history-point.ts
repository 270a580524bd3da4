/** One point of the History charts, from one probe sample (pure, no \`vscode\`). */
import { closeWaitTotal, fdPercent, type HealthSample } from "../health-model.js";

export interface HistoryPoint {
  t: number;
  closeWait: number;
  fdMaxPercent: number | null;
  latencyMs: number | null;
  warnings: number;
}

export function toPoint(s: HealthSample, warnings: number): HistoryPoint {
  const pcts = s.fds.map(fdPercent).filter((p): p is number => p !== undefined);
  const ep = s.endpoints[0];
  return {
    t: Date.parse(s.sampledAt) || Date.now(),
    closeWait: closeWaitTotal(s),
    fdMaxPercent: pcts.length ? Math.round(Math.max(...pcts) * 10) / 10 : null,
    latencyMs: ep?.ok && typeof ep.latencyMs === "number" ? Math.round(ep.latencyMs) : null,
    warnings,
  };
}
