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
      const file = path.join(dir, "node_modules", pkg, "package.json");
      // existsSync first: most folders have no such package, and a thrown ENOENT per folder is slow.
      if (fs.existsSync(file)) {
        try {
          const v = (JSON.parse(fs.readFileSync(file, "utf8")) as { version?: unknown }).version;
          found = typeof v === "string" ? v : null;
        } catch {
          found = null; // unreadable package.json: unknown version
        }
        break;
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

/**
 * The installed version, or — when nothing is installed next to the file (a fresh clone, CI
 * before `npm ci`, an editor on a checkout) — the lowest version the nearest `package.json`
 * that lists `pkg` in its dependencies allows (`"^4.3.13"` → `4.3.13`, `"~1.2"` → `1.2.0`).
 * Ranges that name no lower bound (`*`, `latest`, `workspace:*`, `file:`, a git URL) stay unknown.
 */
export function sdkVersionFor(fromFile: string | undefined, pkg: string): string | undefined {
  return installedVersion(fromFile, pkg) ?? declaredVersion(fromFile, pkg);
}

const manifestCache = new Map<string, Record<string, string> | null>();
function dependenciesOf(dir: string): Record<string, string> | null {
  let deps = manifestCache.get(dir);
  if (deps !== undefined) return deps;
  deps = null;
  const file = path.join(dir, "package.json");
  if (fs.existsSync(file)) {
    try {
      const j = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
      deps = {};
      for (const k of ["peerDependencies", "devDependencies", "optionalDependencies", "dependencies"]) {
        const d = j[k];
        if (d && typeof d === "object") for (const [n, v] of Object.entries(d as Record<string, unknown>)) if (typeof v === "string") deps[n] = v;
      }
    } catch {
      deps = {}; // unreadable package.json: it declares nothing we can use
    }
  }
  if (manifestCache.size > 5_000) manifestCache.clear();
  manifestCache.set(dir, deps);
  return deps;
}

/** The lower bound of a dependency range from the nearest package.json that lists `pkg`. */
export function declaredVersion(fromFile: string | undefined, pkg: string): string | undefined {
  if (!fromFile || !path.isAbsolute(fromFile)) return undefined;
  for (let dir = path.dirname(fromFile), i = 0; i < 64; i++) {
    const range = dependenciesOf(dir)?.[pkg];
    if (range !== undefined) return lowerBound(range);
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** `^4.3.13` → `4.3.13`, `~1.2` → `1.2.0`, `>=0.20.0 <1` → `0.20.0`, `npm:ai@^5.0.0` → `5.0.0`; anything else undefined. */
export function lowerBound(range: string): string | undefined {
  const r = range.trim().replace(/^npm:(?:@[^/]+\/)?[^@]+@/, "");
  const m = /^(?:\^|~|>=|=|v)?\s*(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?(?:-[\w.]+)?(?:\s|$|\s*<|\s*\|\|)/.exec(r);
  if (!m) return undefined;
  const n = (x: string | undefined) => (x === undefined || x === "x" || x === "*" ? "0" : x);
  return `${m[1]}.${n(m[2])}.${n(m[3])}`;
}

/** Major version of a semver string (`"1.2.3"`, `"v6.0.0-beta.1"`), or undefined. */
export function majorOf(version: string | undefined): number | undefined {
  const m = version ? /^v?(\d+)\./.exec(version.trim()) : null;
  return m ? Number(m[1]) : undefined;
}

/** For tests: forget every cached lookup. */
export function clearVersionCache(): void {
  cache.clear();
  manifestCache.clear();
}
