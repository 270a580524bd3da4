/**
 * A ModuleResolver for Python imports over the file system (the Python twin of
 * `rules/core/disk-resolver.ts`): `.router`/`..pkg.mod` relative to the importing file's
 * package, `~/pkg.mod` (an absolute import of a non-provider module) next to the importing file
 * or in one of its parent folders (script-style projects, `src/` layouts). `x.py` or
 * `x/__init__.py`; each target parsed once per run.
 */
import fs from "node:fs";
import path from "node:path";
import type { FileFacts } from "../core/file-facts.js";
import type { ModuleResolver } from "../core/reach.js";
import { buildPythonFacts } from "./facts.js";
import { pythonParser, tooDeepForParser } from "./parser.js";

const MAX_BYTES = 2_000_000;
const MAX_PARENTS = 4;

function candidates(dir: string, dotted: string): string[] {
  const rel = dotted ? dotted.split(".").join(path.sep) : "";
  return rel ? [path.join(dir, rel + ".py"), path.join(dir, rel, "__init__.py")] : [path.join(dir, "__init__.py")];
}

function firstFile(paths: string[]): string | undefined {
  for (const c of paths) {
    try {
      const st = fs.statSync(c);
      if (st.isFile() && st.size <= MAX_BYTES) return c;
    } catch {
      /* next */
    }
  }
  return undefined;
}

export function resolvePythonModule(fromFile: string, source: string): string | undefined {
  if (source.startsWith(".")) {
    const dots = /^\.+/.exec(source)![0].length;
    let dir = path.dirname(fromFile);
    for (let i = 1; i < dots; i++) dir = path.dirname(dir);
    return firstFile(candidates(dir, source.slice(dots)));
  }
  if (source.startsWith("~/")) {
    const dotted = source.slice(2);
    let dir = path.dirname(fromFile);
    for (let i = 0; i <= MAX_PARENTS; i++) {
      const hit = firstFile(candidates(dir, dotted));
      if (hit && hit !== fromFile) return hit;
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return undefined;
}

/** Facts of a Python file read from disk (undefined when unreadable or the parser is not loaded). */
export function pythonFactsFromDisk(file: string): FileFacts | undefined {
  const parser = pythonParser();
  if (!parser) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  if (text.includes("\u0000") || text.length > MAX_BYTES || tooDeepForParser(text) !== undefined) return undefined;
  const tree = parser.parse(text);
  if (!tree) return undefined;
  try {
    return buildPythonFacts(tree.rootNode, file, text).facts;
  } catch {
    return undefined;
  } finally {
    tree.delete();
  }
}

export function pythonResolver(known?: Map<string, FileFacts>): ModuleResolver {
  const cache = new Map<string, FileFacts | null>();
  // Lookups memoised for this resolver's life (one lint run): reach analysis asks for the same
  // imports once per function, and each miss costs up to ten stat calls. The language server
  // resolves through its own project model, so a long-lived memo never goes stale there.
  const lookups = new Map<string, string | null>();
  return {
    resolve(fromFile, source) {
      const key = `${fromFile}\u0000${source}`;
      let file = lookups.get(key);
      if (file === undefined) {
        file = resolvePythonModule(fromFile, source) ?? null;
        if (lookups.size > 100_000) lookups.clear();
        lookups.set(key, file);
      }
      if (!file) return undefined;
      if (!file) return undefined;
      const linted = known?.get(file);
      if (linted) return linted;
      let facts = cache.get(file);
      if (facts === undefined) {
        facts = pythonFactsFromDisk(file) ?? null;
        cache.set(file, facts);
      }
      return facts ?? undefined;
    },
  };
}
