// Ghostwatch lints itself (issue 17, item 5): `npm run lint:self`.
//   - eslint-plugin-eslint-plugin's recommended rules on the rules (meta, messages, schemas, fixers),
//   - Ghostwatch's own `strict` preset on all of its source (rules/, server/, extension/, scripts/).
// Reads the built plugin (dist/), so `lint:self` builds first. Formatting is Prettier's
// (`npm run format:check`), not ESLint's.
import eslintPlugin from "eslint-plugin-eslint-plugin";
import tseslint from "typescript-eslint";
import ghostwatch from "./dist/rules/index.js";

export default [
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      "test/fixtures/**",
      "**/*.d.ts",
      ".eval/**",
      "scripts/eval/results/**",
      "examples/**",
    ],
  },
  {
    files: ["**/*.ts", "**/*.mts", "**/*.cts"],
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaFeatures: { jsx: true } } },
  },
  {
    files: ["rules/**/*.ts", "server/**/*.ts", "extension/**/*.ts", "scripts/**/*.{ts,mjs,js}"],
    ...ghostwatch.configs.strict,
  },
  {
    // the rule files (not the core, the Python front or the registry)
    files: ["rules/*.ts", "rules/*/index.ts"],
    ignores: [
      "rules/index.ts",
      "rules/all-rules.ts",
      "rules/configs.ts",
      "rules/create-rule.ts",
      "rules/core/**",
      "rules/python/**",
    ],
    ...eslintPlugin.configs.recommended,
  },
  // last, over the presets: directives for rules of other configs are not ours to judge
  { linterOptions: { reportUnusedDisableDirectives: "off" } },
];
