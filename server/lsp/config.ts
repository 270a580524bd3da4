/**
 * Lint configuration per resource: the workspace's ESLint flat config when it uses the
 * Ghostwatch plugin, else the client's `ghostwatch.*` settings (preset + per-rule levels).
 * Either way the plugin object is the one from `rules/index.ts` — never a copy — and only
 * Ghostwatch rules run (other plugins' rules are vscode-eslint's job).
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import tsParser from "@typescript-eslint/parser";
import { ESLint, type Linter } from "eslint";
import plugin from "../../rules/index.js";
import { presetRules } from "../../rules/configs.js";
import { DEFAULT_SETTINGS, type GhostwatchSettings, type Preset } from "../shared/protocol.js";
import { EXTENSIONS } from "./project.js";
import { EDITOR_FLAT_CONFIG_NAMES, EDITOR_IGNORED_FOLDERS, ignoreGlobs } from "../workspace.js";

export const FLAT_CONFIG_NAMES = EDITOR_FLAT_CONFIG_NAMES;
const FILE_GLOBS = EXTENSIONS.map((e) => `**/*${e}`);
const PLUGIN_NAME = "ghostwatch";

export interface ResolvedConfig {
  /** Flat config objects, without the per-pass resolver settings. */
  configs: Linter.Config[];
  /** The Linter's cwd (the flat config's folder, or the workspace root). */
  cwd: string;
  /** `eslint.config.mjs` path, or "settings". */
  source: string;
  /** Restricted Mode: a workspace flat config exists but was not loaded (the workspace is not trusted). */
  restrictedConfig?: string;
  /**
   * The Ghostwatch `rules` record (`ghostwatch/<rule>` → level or [level, options]) for a Python
   * file: what a `.ts` file in the same folder gets, since flat configs match TS/JS globs.
   */
  pythonRules: (file: string) => Promise<Record<string, unknown>>;
}

/** Parser and file globs for every extension the server lints. */
function baseConfigs(): Linter.Config[] {
  return [
    { ignores: ignoreGlobs(EDITOR_IGNORED_FOLDERS) },
    {
      files: FILE_GLOBS,
      // No program, so no node maps (only type-aware code reads them) and no JSDoc parsing (rules read
      // comments from ESLint's comment list): less work and garbage per validation.
      languageOptions: { parser: tsParser as never, parserOptions: { ecmaFeatures: { jsx: true }, preserveNodeMaps: false, jsDocParsingMode: "none" } },
      linterOptions: { reportUnusedDisableDirectives: "off" },
    },
  ];
}

export function normaliseSettings(raw: unknown): GhostwatchSettings {
  const s = (raw && typeof raw === "object" ? raw : {}) as Partial<GhostwatchSettings>;
  const preset: Preset = s.preset === "strict" || s.preset === "local-only" ? s.preset : "recommended";
  return {
    enable: s.enable !== false,
    preset,
    rules: s.rules && typeof s.rules === "object" ? s.rules : {},
    useFlatConfig: s.useFlatConfig !== false,
    run: s.run === "onSave" ? "onSave" : "onType",
    debounceMs: typeof s.debounceMs === "number" && s.debounceMs >= 0 ? s.debounceMs : DEFAULT_SETTINGS.debounceMs,
    codeLens: s.codeLens !== false,
    workspaceScan: s.workspaceScan !== false,
    maxFileBytes: typeof s.maxFileBytes === "number" && s.maxFileBytes > 0 ? s.maxFileBytes : DEFAULT_SETTINGS.maxFileBytes,
    deferToVscodeEslint: s.deferToVscodeEslint !== false,
  };
}

/** Config from settings: the preset, then per-rule overrides (`honest-llm-names` or `ghostwatch/honest-llm-names`). */
export function configFromSettings(settings: GhostwatchSettings, root: string): ResolvedConfig {
  const rules: Record<string, unknown> = { ...presetRules(settings.preset) };
  for (const [k, v] of Object.entries(settings.rules)) {
    const id = k.startsWith(`${PLUGIN_NAME}/`) ? k : `${PLUGIN_NAME}/${k}`;
    if (id.slice(PLUGIN_NAME.length + 1) in plugin.rules) rules[id] = v;
  }
  return {
    configs: [...baseConfigs(), { files: FILE_GLOBS, plugins: { [PLUGIN_NAME]: plugin as never }, rules: rules as Linter.RulesRecord }],
    cwd: root,
    source: "settings",
    pythonRules: async () => rules,
  };
}

export function findFlatConfigFile(fromDir: string, root: string): string | undefined {
  let dir = path.resolve(fromDir);
  const stop = path.resolve(root);
  for (;;) {
    for (const n of FLAT_CONFIG_NAMES) {
      const p = path.join(dir, n);
      if (fs.existsSync(p)) return p;
    }
    if (dir === stop) return undefined;
    const up = path.dirname(dir);
    if (up === dir || !up.startsWith(stop)) return undefined;
    dir = up;
  }
}

function isGhostwatchPlugin(key: string, value: unknown): boolean {
  const meta = (value as { meta?: { name?: string } } | undefined)?.meta;
  return key === PLUGIN_NAME || meta?.name === PLUGIN_NAME;
}

/**
 * Loads a flat config file; returns its Ghostwatch-only form, or undefined when it does
 * not use the Ghostwatch plugin (then settings apply).
 */
export async function loadFlatConfig(file: string): Promise<Linter.Config[] | undefined> {
  const st = fs.statSync(file);
  const mod = (await import(`${pathToFileURL(file).href}?mtime=${st.mtimeMs}`)) as { default?: unknown };
  let exported: unknown = mod.default;
  if (exported && typeof (exported as Promise<unknown>).then === "function") exported = await exported;
  const list = [exported].flat(Infinity).filter((c): c is Linter.Config => !!c && typeof c === "object");
  // Which plugin keys stand for Ghostwatch (`ghostwatch`, or any key bound to a plugin named ghostwatch).
  const aliases = new Set<string>();
  for (const c of list) for (const [k, v] of Object.entries(c.plugins ?? {})) if (isGhostwatchPlugin(k, v)) aliases.add(k);
  const usesRules = list.some((c) => Object.keys(c.rules ?? {}).some((r) => aliases.has(r.split("/")[0]) || r.startsWith(`${PLUGIN_NAME}/`)));
  if (!aliases.size && !usesRules) return undefined;
  aliases.add(PLUGIN_NAME);
  return list.map((c) => {
    const out: Linter.Config = { ...c };
    if (c.plugins) {
      const plugins: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(c.plugins)) {
        if (aliases.has(k)) plugins[PLUGIN_NAME] = plugin;
        else plugins[k] = v;
      }
      out.plugins = plugins as never;
    }
    if (c.rules) {
      const rules: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(c.rules)) {
        const [prefix, ...rest] = k.split("/");
        if (rest.length && aliases.has(prefix)) rules[`${PLUGIN_NAME}/${rest.join("/")}`] = v;
      }
      out.rules = rules as Linter.RulesRecord;
    }
    const po = c.languageOptions?.parserOptions as Record<string, unknown> | undefined;
    if (po && ("project" in po || "projectService" in po)) {
      // Type-aware parsing is not needed: the server hands the rules its own project resolver.
      const { project: _p, projectService: _s, ...rest } = po;
      out.languageOptions = { ...c.languageOptions, parserOptions: rest };
    }
    return out;
  });
}

/** Caches loaded flat configs by file + mtime. */
export class ConfigResolver {
  private readonly flat = new Map<string, { mtime: number; configs: Linter.Config[] | undefined; error?: string; pyRules?: Map<string, Promise<Record<string, unknown>>> }>();

  constructor(private readonly root: string, private readonly log: (m: string) => void) {}

  invalidate(): void {
    this.flat.clear();
  }

  private restrictedLogged = new Set<string>();

  /**
   * `trusted: false` (Restricted Mode): the workspace's flat config is never imported — importing it
   * runs the workspace's code and loads its plugins. The settings' preset applies instead.
   */
  async forFile(file: string, settings: GhostwatchSettings, trusted = true): Promise<ResolvedConfig> {
    if (settings.useFlatConfig) {
      const cfgFile = findFlatConfigFile(path.dirname(file), this.root);
      if (cfgFile && !trusted) {
        if (!this.restrictedLogged.has(cfgFile)) {
          this.restrictedLogged.add(cfgFile);
          this.log(`Ghostwatch: Restricted Mode: ${cfgFile} not loaded (the workspace is not trusted); using the ghostwatch.* settings`);
        }
        return { ...configFromSettings(settings, this.root), restrictedConfig: cfgFile };
      }
      if (cfgFile) {
        let mtime = 0;
        try {
          mtime = fs.statSync(cfgFile).mtimeMs;
        } catch {
          /* vanished */
        }
        let entry = this.flat.get(cfgFile);
        if (!entry || entry.mtime !== mtime) {
          try {
            entry = { mtime, configs: await loadFlatConfig(cfgFile) };
            this.log(
              entry.configs
                ? `Ghostwatch: using ${cfgFile}`
                : `Ghostwatch: ${cfgFile} does not use the Ghostwatch plugin; using the ghostwatch.* settings`,
            );
          } catch (e) {
            entry = { mtime, configs: undefined, error: (e as Error).message };
            this.log(`Ghostwatch: could not load ${cfgFile} (${(e as Error).message.split("\n")[0]}); using the ghostwatch.* settings`);
          }
          this.flat.set(cfgFile, entry);
        }
        if (entry.configs) {
          const configs = [...baseConfigs(), ...entry.configs];
          const cwd = path.dirname(cfgFile);
          const cache = (entry.pyRules ??= new Map());
          const pythonRules = (pyFile: string): Promise<Record<string, unknown>> => {
            const dir = path.dirname(pyFile);
            let p = cache.get(dir);
            if (!p) {
              // ESLint's own config calculation (files/ignores globs, merging) for a sibling `.ts` path.
              p = new ESLint({ cwd, overrideConfigFile: true, overrideConfig: configs })
                .calculateConfigForFile(path.join(dir, "__ghostwatch_python__.ts"))
                .then((c: { rules?: Record<string, unknown> } | undefined) => Object.fromEntries(Object.entries(c?.rules ?? {}).filter(([k]) => k.startsWith(`${PLUGIN_NAME}/`))))
                .catch((e: Error) => {
                  this.log(`Ghostwatch: could not compute the ${cfgFile} rules for Python files in ${dir} (${e.message.split("\n")[0]}); using none`);
                  return {};
                });
              cache.set(dir, p);
            }
            return p;
          };
          return { configs, cwd, source: cfgFile, pythonRules };
        }
      }
    }
    return configFromSettings(settings, this.root);
  }
}
