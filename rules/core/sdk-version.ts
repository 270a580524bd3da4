/**
 * The installed version of an npm package as the linted file would load it: the nearest
 * `node_modules/<pkg>/package.json` walking up from the file's folder (Node's own lookup order).
 * Cached per (folder, package); a missing or unreadable package is `undefined` (callers treat
 * an unknown version conservatively — see `requiredParams` in llm-params.ts).
 *
 * Hand-written rather than `require.resolve`: resolving from an arbitrary folder would execute
 * nothing, but `createRequire(...).resolve(pkg/package.json)` fails on packages whose `exports`
 * hide package.json, and we need only this one read.
 */
import fs from "node:fs";
import path from "node:path";

const cache = new Map<string, string | null>();

export function installedVersion(fromFile: string | undefined, pkg: string): string | undefined {
  if (!fromFile || !path.isAbsolute(fromFile)) return undefined;
  const start = path.dirname(fromFile);
  const key = `${start}\u0000${pkg}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit ?? undefined;
  const seen: string[] = [];
  let found: string | null = null;
  for (let dir = start, i = 0; i < 64; i++) {
    const k = `${dir}\u0000${pkg}`;
    const c = cache.get(k);
    if (c !== undefined) {
      found = c;
      break;
    }
    seen.push(k);
    if (path.basename(dir) !== "node_modules") {
      try {
        const text = fs.readFileSync(path.join(dir, "node_modules", pkg, "package.json"), "utf8");
        const v = (JSON.parse(text) as { version?: unknown }).version;
        found = typeof v === "string" ? v : null;
        break;
      } catch {
        /* not installed here: look one folder up */
      }
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  if (cache.size > 20_000) cache.clear();
  for (const k of seen) cache.set(k, found);
  return found ?? undefined;
}

/** Major version of a semver string (`"1.2.3"`, `"v6.0.0-beta.1"`), or undefined. */
export function majorOf(version: string | undefined): number | undefined {
  const m = version ? /^v?(\d+)\./.exec(version.trim()) : null;
  return m ? Number(m[1]) : undefined;
}

/** For tests: forget every cached lookup. */
export function clearVersionCache(): void {
  cache.clear();
}
