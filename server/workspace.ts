/**
 * The workspace policy of every face that walks a folder: which files are Ghostwatch's (TS/JS
 * extensions, Python), which ESLint config files are looked for, which folders are never walked
 * and how large a file may be. `ghostwatch lint` (server/lint.ts), the language server
 * (server/lsp/) and the callers of the Python front read these lists from here, so a folder or
 * an extension is added once.
 *
 * Data and string functions only (no imports): `server/shared/protocol.ts`, which the extension
 * bundles, reads the editor's default size limit from here.
 */

/** TS/JS extensions Ghostwatch lints (ESLint's Linter in the editor, ESLint's Node API in the CLI). */
export const SCRIPT_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"] as const;
/** Python: analysed by the Python front (`rules/python/`) with the same core and rule semantics. */
export const PYTHON_EXTENSION = ".py";

/** The same extensions without the dot (globs: `**\/*.{ts,tsx,…}`). */
export const LINTED_EXTENSIONS: readonly string[] = SCRIPT_EXTENSIONS.map((e) => e.slice(1));

/** ESLint's flat config file names, in ESLint's lookup order (`ghostwatch lint` honours all of them). */
export const FLAT_CONFIG_NAMES = [
  "eslint.config.js",
  "eslint.config.mjs",
  "eslint.config.cjs",
  "eslint.config.ts",
  "eslint.config.mts",
  "eslint.config.cts",
] as const;
/**
 * The flat configs the language server loads: it imports the file into its own Node process, which
 * cannot import a `.ts` config without a loader (ESLint's Node API brings one, the Linter does not).
 */
export const EDITOR_FLAT_CONFIG_NAMES: readonly string[] = FLAT_CONFIG_NAMES.filter((n) => /\.[cm]?js$/.test(n));

/** Generated or vendored folders: never walked by the CLI's size check, ignored by its zero-config run. */
export const SKIPPED_FOLDERS = ["node_modules", "dist", "build", "out", ".git", ".e2e"] as const;
/**
 * The editor's workspace scan skips more: test coverage, benchmark scratch folders and framework
 * build caches hold generated copies of the sources, which nobody opens. (Folders whose name
 * starts with a dot are skipped by the scan as well.)
 */
export const SCAN_SKIPPED_FOLDERS: readonly string[] = [...SKIPPED_FOLDERS, "coverage", ".bench", ".next", ".turbo"];
/**
 * Folders the language server does not lint even when a file in them is opened (ESLint ignores of
 * its settings-only configuration). Narrower than SKIPPED_FOLDERS on purpose: a file the user
 * opens from `build/` or `out/` is still linted.
 */
export const EDITOR_IGNORED_FOLDERS = ["node_modules", "dist", ".e2e"] as const;
/** ESLint ignore globs of a folder list, plus minified bundles. */
export function ignoreGlobs(folders: readonly string[]): string[] {
  return [...folders.filter((f) => f !== ".git").map((f) => `**/${f}/**`), "**/*.min.js"];
}

/** `ghostwatch lint` skips larger files with a warning (`--max-file-size <MB>`). */
export const CLI_MAX_FILE_BYTES = 2 * 1024 * 1024;
/** The language server's default (`ghostwatch.maxFileBytes`): an editor re-lints on every keystroke. */
export const EDITOR_MAX_FILE_BYTES = 1_000_000;
/** The language server's workspace scan stops after this many TS/JS files. */
export const MAX_SCAN_FILES = 20_000;

/** A TS/JS source file (not a declaration file or minified bundle). */
export function isScript(file: string): boolean {
  if (file.endsWith(".d.ts") || file.endsWith(".d.mts") || file.endsWith(".d.cts") || file.endsWith(".min.js"))
    return false;
  const dot = file.lastIndexOf(".");
  const slash = Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\"));
  return dot > slash + 1 && (SCRIPT_EXTENSIONS as readonly string[]).includes(file.slice(dot));
}

export function isPython(file: string): boolean {
  return file.endsWith(PYTHON_EXTENSION);
}

/** Any file the server analyses: TS/JS or Python. */
export function isLintable(file: string): boolean {
  return isScript(file) || isPython(file);
}
