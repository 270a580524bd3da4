/**
 * The ESLint flat-config plugin: `import ghostwatch from "ghostwatch"`.
 *   export default [ghostwatch.configs.recommended];
 */
import { createRequire } from "node:module";
import type { TSESLint } from "@typescript-eslint/utils";
import { rules } from "./all-rules.js";
import { buildConfigs } from "./configs.js";

const require = createRequire(import.meta.url);
// Source (rules/index.ts) and build (dist/rules/index.js) sit at different depths.
const pkg = (() => {
  try {
    return require("../package.json") as { name: string; version: string };
  } catch {
    return require("../../package.json") as { name: string; version: string };
  }
})();

const plugin = {
  meta: { name: pkg.name, version: pkg.version },
  rules,
  configs: {} as ReturnType<typeof buildConfigs>,
};
plugin.configs = buildConfigs(plugin as unknown as TSESLint.FlatConfig.Plugin);

export { rules };
export const configs = plugin.configs;
export default plugin;
