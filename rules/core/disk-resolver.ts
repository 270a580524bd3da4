/**
 * A ModuleResolver over the file system, for runs without type information (the zero-config
 * `ghostwatch lint`): relative imports are resolved like TypeScript's bundler resolution
 * (`./router` → router.ts/.tsx/.js…, `./router.js` → router.ts, `./dir` → dir/index.ts) and
 * each target is parsed once per run.
 */
import fs from "node:fs";
import path from "node:path";
import { factsFromText } from "./eslint-facts.js";
import type { FileFacts } from "./file-facts.js";
import type { ModuleResolver } from "./reach.js";

const EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];
const MAX_BYTES = 2_000_000;

export function resolveRelative(fromFile: string, source: string): string | undefined {
  if (!source.startsWith(".")) return undefined;
  const base = path.resolve(path.dirname(fromFile), source);
  const stripped = base.replace(/\.(m|c)?js$/, "");
  const candidates = [
    base,
    ...EXTENSIONS.map((e) => stripped + e),
    ...EXTENSIONS.map((e) => path.join(base, "index" + e)),
  ];
  for (const c of candidates) {
    try {
      const st = fs.statSync(c);
      if (st.isFile() && st.size <= MAX_BYTES) return c;
    } catch {
      /* next candidate */
    }
  }
  return undefined;
}

export function diskResolver(): ModuleResolver {
  const cache = new Map<string, FileFacts | null>();
  return {
    resolve(fromFile, source) {
      const file = resolveRelative(fromFile, source);
      if (!file) return undefined;
      let facts = cache.get(file);
      if (facts === undefined) {
        let text: string | undefined;
        try {
          text = fs.readFileSync(file, "utf8");
        } catch {
          text = undefined;
        }
        facts = (text !== undefined && !text.includes("\u0000") ? factsFromText(file, text) : undefined) ?? null;
        cache.set(file, facts);
      }
      return facts ?? undefined;
    },
  };
}
