/**
 * Finds the probe serving for this user through the probe's own single-instance record
 * (`findServingProbe()`: state file + PID check + a `/health` that answers with that PID).
 */
import { findServingProbe, stateDir } from "../server/probe/instance.js";
import type { ServingProbe } from "./probe-owner.js";

export function probeStateDir(): string {
  return stateDir();
}

export async function locateServingProbe(dir: string): Promise<ServingProbe | undefined> {
  return findServingProbe({ dir, timeoutMs: 3000 });
}
