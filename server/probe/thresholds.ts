/**
 * Thresholds (SPEC §4 defaults), Nagios exit codes, and hysteresis: in serve/watch mode a warning
 * is raised only after it held for `raiseAfter` consecutive samples and cleared after `clearAfter`
 * clean ones, so a flapping condition does not flap the editor's status bar.
 */
import type { Warning } from "./types.js";

export interface Thresholds {
  /** CLOSE-WAIT sockets per process: warning above, critical above. */
  closeWaitWarn: number;
  closeWaitCrit: number;
  /** Open FDs as a fraction of the soft limit. */
  fdWarn: number;
  fdCrit: number;
  /** Zombies per parent above which a warning is raised (0 = any zombie); total above which critical. */
  zombieWarn: number;
  zombieCrit: number;
  /** Warn about orphans / duplicates / stale processes / cloud LLM connections. */
  warnOrphans: boolean;
  warnDuplicates: boolean;
  warnStale: boolean;
  warnCloudLlm: boolean;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  closeWaitWarn: 50,
  closeWaitCrit: 200,
  fdWarn: 0.5,
  fdCrit: 0.9,
  zombieWarn: 0,
  zombieCrit: 50,
  warnOrphans: true,
  warnDuplicates: true,
  warnStale: true,
  warnCloudLlm: false,
};

export const NAGIOS = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 } as const;

export function nagiosCode(warnings: ReadonlyArray<Pick<Warning, "severity">>): 0 | 1 | 2 {
  if (warnings.some((w) => w.severity === "critical")) return 2;
  return warnings.length > 0 ? 1 : 0;
}

interface Track {
  hits: number;
  misses: number;
  active: boolean;
  last: Warning;
}

export class Hysteresis {
  private tracks = new Map<string, Track>();
  constructor(readonly raiseAfter = 3, readonly clearAfter = 3) {}

  /** Feed one sample's raw warnings; returns the raised (active) ones and the pending ones. */
  update(current: readonly Warning[]): { active: Warning[]; pending: Warning[] } {
    const now = new Map(current.map((w) => [w.key, w]));
    for (const [key, w] of now) {
      const t = this.tracks.get(key);
      if (!t) this.tracks.set(key, { hits: 1, misses: 0, active: this.raiseAfter <= 1, last: w });
      else {
        t.hits++;
        t.misses = 0;
        t.last = w;
        if (t.hits >= this.raiseAfter) t.active = true;
      }
    }
    for (const [key, t] of this.tracks) {
      if (now.has(key)) continue;
      if (!t.active) {
        this.tracks.delete(key);
        continue;
      }
      t.misses++;
      t.hits = 0;
      if (t.misses >= this.clearAfter) this.tracks.delete(key);
    }
    const active: Warning[] = [];
    const pending: Warning[] = [];
    for (const t of this.tracks.values()) (t.active ? active : pending).push(t.last);
    return { active, pending };
  }
}
