/**
 * The workspace's project model: the text of every file (open buffers first, then disk),
 * file facts cached per file version, module resolution with the project's compiler
 * options, the dependency graph between files' diagnostics, and a lazily built ts-morph
 * Project (tsconfig or inferred) kept in sync with buffers and watcher events, used for
 * project-wide renames.
 */
import fs from "node:fs";
import path from "node:path";
import { Project, ts } from "ts-morph";
import { factsFromText } from "../../rules/core/eslint-facts.js";
import type { FileFacts } from "../../rules/core/file-facts.js";
import type { ModuleResolver } from "../../rules/core/reach.js";
import { buildPythonFacts } from "../../rules/python/facts.js";
import { pythonFilesIn } from "../../rules/python/lint.js";
import { pythonParser } from "../../rules/python/parser.js";
import { resolvePythonModule } from "../../rules/python/resolver.js";
import { EDITOR_MAX_FILE_BYTES, MAX_SCAN_FILES, SCAN_SKIPPED_FOLDERS, SCRIPT_EXTENSIONS, isLintable, isPython, isScript } from "../workspace.js";

/** TS/JS: linted with ESLint's Linter, resolved with TypeScript, renamed with ts-morph. */
export const EXTENSIONS: readonly string[] = SCRIPT_EXTENSIONS;
const SKIP_DIRS: ReadonlySet<string> = new Set(SCAN_SKIPPED_FOLDERS);
export { isLintable, isPython, isScript };

/** Facts of a Python text; undefined when the parser is not loaded yet or the text does not parse. */
function pythonFactsFromText(file: string, text: string): FileFacts | undefined {
  const parser = pythonParser();
  const tree = parser?.parse(text);
  if (!tree) return undefined;
  try {
    return tree.rootNode.hasError ? undefined : buildPythonFacts(tree.rootNode, file, text).facts;
  } catch {
    return undefined;
  } finally {
    tree.delete();
  }
}

export type Readable = { ok: true; text: string; key: string } | { ok: false; reason: string };

interface DiskEntry {
  mtime: number;
  size: number;
  read: Readable;
}

/** Why a text is not analysed: too large, binary, or looks minified. */
export function unanalysable(text: string, maxBytes: number): string | undefined {
  if (text.length > maxBytes) return `larger than ${Math.round(maxBytes / 1000)} kB`;
  const head = text.slice(0, 8192);
  if (head.includes("\u0000")) return "binary content";
  // Binary without NUL bytes (a PNG/ZIP/compiled blob renamed .js, UTF-16 decoded as UTF-8): many
  // U+FFFD replacement characters (invalid UTF-8) or C0 control characters a source file never has.
  // 10 % of the first 8 KiB is far above what real text with a stray escape reaches.
  let odd = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c === 0xfffd || (c < 0x20 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0x7f) odd++;
  }
  if (head.length >= 64 && odd / head.length > 0.1) return "binary content";
  return undefined;
}

/**
 * A resolver for one validation pass with a budget for analysing files not seen before: the
 * cold first lint of a file whose reach pulls in a large SDK is bounded; `exhausted` says the
 * budget ran out (the server then continues in the background), `built` how many files it analysed.
 */
export interface PassResolver extends ModuleResolver {
  exhausted: boolean;
  built: number;
}

export class ProjectModel {
  readonly root: string;
  maxFileBytes = EDITOR_MAX_FILE_BYTES;
  readonly compilerOptions: ts.CompilerOptions;
  readonly tsconfig?: string;
  private readonly tsconfigFiles?: string[];
  private readonly open = new Map<string, { version: number; text: string }>();
  private readonly disk = new Map<string, DiskEntry>();
  private readonly facts = new Map<string, { key: string; facts: FileFacts | undefined; lazy?: () => FileFacts | undefined }>();
  private readonly resolutions = new Map<string, string | null>();
  /** file → the other files its diagnostics were computed from (recorded by the resolver). */
  private readonly deps = new Map<string, Set<string>>();
  private morph?: Project;
  private readonly morphDirty = new Set<string>();
  private readonly host: ts.ModuleResolutionHost;

  constructor(root: string, private readonly log: (msg: string) => void = () => {}) {
    this.root = path.resolve(root);
    const tsconfig = path.join(this.root, "tsconfig.json");
    let options: ts.CompilerOptions = inferredOptions();
    if (fs.existsSync(tsconfig)) {
      try {
        const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
        const parsed = ts.parseJsonConfigFileContent(read.config ?? {}, ts.sys, this.root, undefined, tsconfig);
        options = { ...parsed.options, allowJs: true, noEmit: true };
        this.tsconfig = tsconfig;
        this.tsconfigFiles = parsed.fileNames.map((f) => path.resolve(f)).filter(isScript);
      } catch (e) {
        this.log(`Ghostwatch: could not read ${tsconfig}: ${(e as Error).message}; using an inferred project`);
      }
    }
    this.compilerOptions = options;
    this.host = {
      fileExists: (f) => this.open.has(f) || ts.sys.fileExists(f),
      readFile: (f) => this.open.get(f)?.text ?? ts.sys.readFile(f),
      directoryExists: (d) => ts.sys.directoryExists?.(d) ?? true,
      realpath: ts.sys.realpath,
      getCurrentDirectory: () => this.root,
    };
  }

  // ---------- buffers and disk ----------

  setOpen(file: string, version: number, text: string): void {
    const wasOpen = this.open.has(file);
    this.open.set(file, { version, text });
    this.morphDirty.add(file);
    if (!wasOpen) this.resolutions.clear(); // an unsaved new file can be an import target
  }

  closeOpen(file: string): void {
    this.open.delete(file);
    this.morphDirty.add(file);
  }

  isOpen(file: string): boolean {
    return this.open.has(file);
  }

  openFiles(): string[] {
    return [...this.open.keys()];
  }

  /** A file changed, appeared or vanished on disk. */
  diskChanged(file: string, kind: "created" | "changed" | "deleted"): void {
    this.disk.delete(file);
    if (kind !== "changed") this.resolutions.clear();
    this.morphDirty.add(file);
    if (kind === "deleted") {
      this.facts.delete(file);
      this.deps.delete(file);
    }
  }

  /** The current text of a file, with a key that changes whenever the text does. */
  read(file: string): Readable {
    const o = this.open.get(file);
    if (o) {
      const why = unanalysable(o.text, this.maxFileBytes);
      return why ? { ok: false, reason: why } : { ok: true, text: o.text, key: `o${o.version}` };
    }
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      this.disk.delete(file);
      return { ok: false, reason: "not found" };
    }
    const cached = this.disk.get(file);
    if (cached && cached.mtime === st.mtimeMs && cached.size === st.size) return cached.read;
    let read: Readable;
    if (!st.isFile()) read = { ok: false, reason: "not a file" };
    else if (st.size > this.maxFileBytes) read = { ok: false, reason: `larger than ${Math.round(this.maxFileBytes / 1000)} kB` };
    else {
      try {
        const text = fs.readFileSync(file, "utf8");
        const why = unanalysable(text, this.maxFileBytes);
        read = why ? { ok: false, reason: why } : { ok: true, text, key: `d${st.mtimeMs}:${st.size}` };
      } catch (e) {
        read = { ok: false, reason: (e as Error).message };
      }
    }
    this.disk.set(file, { mtime: st.mtimeMs, size: st.size, read });
    return read;
  }

  /**
   * Facts of a file at its current version, cached per version. A file that stops parsing
   * (mid-typing) keeps its last good facts, so its dependents' diagnostics do not flicker.
   */
  factsOf(file: string): FileFacts | undefined {
    const r = this.read(file);
    const prev = this.facts.get(file);
    if (!r.ok) {
      this.facts.delete(file);
      return undefined;
    }
    if (prev && prev.key === r.key) {
      if (prev.lazy) {
        const lazy = prev.lazy;
        prev.lazy = undefined;
        prev.facts = lazy() ?? factsFromText(file, r.text);
      }
      return prev.facts;
    }
    if (isPython(file) && !pythonParser()) return prev?.facts; // not cached: the parser loads asynchronously
    const facts = (isPython(file) ? pythonFactsFromText(file, r.text) : factsFromText(file, r.text)) ?? prev?.facts;
    this.facts.set(file, { key: r.key, facts });
    return facts;
  }

  /** Facts of the text with this key from a validation pass's own parse (built on first use: saves a second parse). */
  putFacts(file: string, key: string, facts: () => FileFacts | undefined): void {
    this.facts.set(file, { key, facts: undefined, lazy: facts });
  }

  // ---------- module resolution and the dependency graph ----------

  resolveModule(fromFile: string, source: string): string | undefined {
    const py = isPython(fromFile);
    // Python's `~/x` is searched from the importing file's folder upwards, skipping the file itself: keyed per file.
    const key = py ? `py\0${source.startsWith("~/") ? fromFile : path.dirname(fromFile)}\0${source}` : `${path.dirname(fromFile)}\0${source}`;
    const hit = this.resolutions.get(key);
    if (hit !== undefined) return hit ?? undefined;
    if (py) {
      // `.router`, `..pkg.mod`, `~/pkg.mod` (Python's own resolution, on disk); never into TS/JS.
      let target: string | undefined;
      try {
        target = resolvePythonModule(fromFile, source);
      } catch {
        target = undefined;
      }
      const out = target && target !== fromFile ? path.resolve(target) : undefined;
      this.resolutions.set(key, out ?? null);
      return out;
    }
    let out: string | undefined;
    try {
      const r = ts.resolveModuleName(source, fromFile, this.compilerOptions, this.host).resolvedModule;
      if (r && !r.isExternalLibraryImport && !/\.d\.[mc]?ts$/.test(r.resolvedFileName)) out = path.resolve(r.resolvedFileName);
    } catch {
      out = undefined;
    }
    if (!out && (source.startsWith("./") || source.startsWith("../"))) out = this.guess(path.resolve(path.dirname(fromFile), source));
    this.resolutions.set(key, out ?? null);
    return out;
  }

  /** Extension-less or `.js`-for-`.ts` specifiers when the compiler options do not cover them. */
  private guess(base: string): string | undefined {
    const stem = base.replace(/\.(m|c)?js$/, "");
    const candidates = [base, ...EXTENSIONS.map((e) => stem + e), ...EXTENSIONS.map((e) => path.join(base, "index" + e))];
    return candidates.find((c) => this.open.has(c) || (fs.existsSync(c) && fs.statSync(c).isFile()));
  }

  /**
   * A resolver for one validation pass. Reach results are memoised per resolver object, so
   * every pass gets a fresh one; the facts underneath stay cached per file version. Every
   * file it resolves is recorded as a dependency of the file being validated.
   */
  passResolver(deps: Set<string>, budgetMs = Infinity): PassResolver {
    let spent = 0;
    const r: PassResolver = {
      exhausted: false,
      built: 0,
      resolve: (fromFile: string, source: string) => {
        const target = this.resolveModule(fromFile, source);
        if (!target) return undefined;
        deps.add(target);
        if (this.hasFacts(target)) return this.factsOf(target);
        // A file not analysed yet: parsing it counts against this pass's budget. Once spent, the rest of
        // the reach is left for the next pass (facts stay cached, so each pass gets further).
        if (spent >= budgetMs) {
          r.exhausted = true;
          return undefined;
        }
        const t = performance.now();
        const facts = this.factsOf(target);
        spent += performance.now() - t;
        r.built++;
        return facts;
      },
    };
    return r;
  }

  /** Facts of the file's current text are cached (no parse needed). */
  hasFacts(file: string): boolean {
    const f = this.facts.get(file);
    if (!f) return false;
    const r = this.read(file);
    return r.ok && f.key === r.key && !f.lazy;
  }

  setDeps(file: string, deps: Set<string>): void {
    deps.delete(file);
    this.deps.set(file, deps);
  }

  /** Files whose diagnostics were computed from `file` (transitively: the resolver records the whole walk). */
  dependentsOf(file: string): string[] {
    const out: string[] = [];
    for (const [f, d] of this.deps) if (d.has(file)) out.push(f);
    return out;
  }

  // ---------- the file list ----------

  /**
   * Every lintable file of the workspace: TS/JS from the tsconfig's files, else a walk of the
   * folder; plus the `.py` files (virtualenvs, caches and build folders skipped).
   */
  listFiles(): string[] {
    const scripts = this.scriptFiles();
    let py: string[] = [];
    try {
      py = pythonFilesIn([this.root], this.root);
    } catch {
      py = [];
    }
    return [...scripts, ...py].slice(0, MAX_SCAN_FILES);
  }

  private scriptFiles(): string[] {
    if (this.tsconfigFiles?.length) return this.tsconfigFiles.slice(0, MAX_SCAN_FILES);
    const out: string[] = [];
    const stack = [this.root];
    while (stack.length && out.length < MAX_SCAN_FILES) {
      const dir = stack.pop()!;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : 1));
      for (const e of entries) {
        if (e.isDirectory()) {
          if (!SKIP_DIRS.has(e.name) && !e.name.startsWith(".")) stack.push(path.join(dir, e.name));
        } else if (e.isFile() && isScript(e.name)) out.push(path.join(dir, e.name));
      }
    }
    return out.sort();
  }

  // ---------- ts-morph ----------

  /** The ts-morph project, built on first use and synced with buffers/disk before each use. */
  project(): Project {
    if (!this.morph) {
      const started = Date.now();
      this.morph = this.tsconfig
        ? new Project({ tsConfigFilePath: this.tsconfig, compilerOptions: { allowJs: true, noEmit: true }, skipAddingFilesFromTsConfig: true })
        : new Project({ compilerOptions: this.compilerOptions });
      for (const f of this.listFiles()) this.syncMorphFile(f);
      for (const f of this.open.keys()) this.syncMorphFile(f);
      this.morphDirty.clear();
      this.log(`Ghostwatch: ts-morph project of ${this.morph.getSourceFiles().length} files built in ${Date.now() - started} ms`);
    }
    for (const f of this.morphDirty) this.syncMorphFile(f);
    this.morphDirty.clear();
    return this.morph;
  }

  private syncMorphFile(file: string): void {
    const morph = this.morph!;
    const existing = morph.getSourceFile(file);
    const r = isScript(file) ? this.read(file) : ({ ok: false, reason: "not a TS/JS source file" } as Readable);
    if (!r.ok) {
      if (existing) morph.removeSourceFile(existing);
      return;
    }
    if (!existing) morph.createSourceFile(file, r.text, { overwrite: true });
    else if (existing.getFullText() !== r.text) existing.replaceWithText(r.text);
  }

  /** Project-wide rename locations for the identifier at `offset` (no edits applied). */
  renameLocations(file: string, offset: number): Array<{ file: string; start: number; length: number }> | undefined {
    const project = this.project();
    if (!project.getSourceFile(file)) return undefined;
    const ls = project.getLanguageService().compilerObject;
    const locs = ls.findRenameLocations(file, offset, false, false, { providePrefixAndSuffixTextForRename: false });
    return locs?.map((l) => ({ file: path.resolve(l.fileName), start: l.textSpan.start, length: l.textSpan.length }));
  }
}

function inferredOptions(): ts.CompilerOptions {
  return {
    allowJs: true,
    checkJs: false,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    jsx: ts.JsxEmit.Preserve,
    skipLibCheck: true,
    types: [],
  };
}
