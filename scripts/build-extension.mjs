#!/usr/bin/env node
// Builds the VS Code extension into a staging folder and, with --package, a .vsix.
//
//   node scripts/build-extension.mjs            → .e2e/vsix-stage/ (an unpacked extension)
//                                                 + .e2e/ext-tests/index.js (the extension-host suite)
//   node scripts/build-extension.mjs --package  → also ghostwatch-<version>.vsix at the repo root
//
// The root package.json stays the npm package (its `main` is the ESLint plugin). The
// extension's manifest is generated here from the root's VS Code fields (displayName,
// publisher, engines.vscode, activationEvents, contributes, icon, categories, repository)
// plus `main: ./dist/extension.js`, so vsce packages the stage, not the repo.
// Three esbuild bundles, no node_modules inside the .vsix (`vsce --no-dependencies`):
//   dist/extension.js  the client (CJS, `vscode` external)
//   dist/lsp.mjs       the language server (`server/lsp.ts`, ESM: it imports flat configs)
//   dist/probe.mjs     the probe the extension starts when none serves (`extension/probe-entry.ts`)
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const stage = path.join(root, ".e2e", "vsix-stage");
const testsOut = path.join(root, ".e2e", "ext-tests");
const doPackage = process.argv.includes("--package");
const t0 = Date.now();

const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));

fs.rmSync(stage, { recursive: true, force: true });
fs.mkdirSync(path.join(stage, "dist"), { recursive: true });

// ESM bundles of CJS dependencies need a real `require` (node builtins, JSON).
const esmBanner = [
  "import { createRequire as __gwCreateRequire } from 'node:module';",
  "import { fileURLToPath as __gwFileURLToPath } from 'node:url';",
  "import { dirname as __gwDirname } from 'node:path';",
  "const require = __gwCreateRequire(import.meta.url);",
  "const __filename = __gwFileURLToPath(import.meta.url);",
  "const __dirname = __gwDirname(__filename);",
].join("\n");

// Python in the .vsix: web-tree-sitter finds its runtime (`tree-sitter.wasm`) next to the bundle
// (`new URL("tree-sitter.wasm", import.meta.url)`), and the grammar is resolved from node_modules in
// rules/python/parser.ts — which the .vsix does not have. Rewrite that one resolution to a file next
// to the bundle and copy both .wasm files there (below). Fails the build if parser.ts changes shape.
const PY_WASM_NEEDLE = 'require.resolve("tree-sitter-python/tree-sitter-python.wasm")';
const pythonWasmPlugin = {
  name: "ghostwatch-python-wasm",
  setup(b) {
    b.onLoad({ filter: /rules[\\/]python[\\/]parser\.ts$/ }, (args) => {
      const src = fs.readFileSync(args.path, "utf8");
      if (!src.includes(PY_WASM_NEEDLE)) throw new Error(`${args.path} no longer contains ${PY_WASM_NEEDLE}: update scripts/build-extension.mjs`);
      return { contents: src.replace(PY_WASM_NEEDLE, '__gwFileURLToPath(new URL("./tree-sitter-python.wasm", import.meta.url))'), loader: "ts" };
    });
  },
};

const common = { bundle: true, platform: "node", target: "node20", logLevel: "warning", legalComments: "none", minify: true, keepNames: true, sourcemap: false };

const lspEntry = path.join(root, "server", "lsp.ts");
const lspEntryAlt = path.join(root, "server", "lsp", "server.ts");
const serverEntry = fs.existsSync(lspEntry) ? lspEntry : lspEntryAlt;

await Promise.all([
  esbuild.build({ ...common, entryPoints: [path.join(root, "extension", "extension.ts")], outfile: path.join(stage, "dist", "extension.js"), format: "cjs", external: ["vscode"] }),
  esbuild.build({ ...common, entryPoints: [serverEntry], outfile: path.join(stage, "dist", "lsp.mjs"), format: "esm", banner: { js: esmBanner }, plugins: [pythonWasmPlugin], external: ["jiti", "jiti/*"] /* only for eslint.config.ts */ }),
  esbuild.build({ ...common, entryPoints: [path.join(root, "extension", "probe-entry.ts")], outfile: path.join(stage, "dist", "probe.mjs"), format: "esm", banner: { js: esmBanner } }),
  // The extension-host suite (mocha stays external: resolved from the repo's node_modules).
  esbuild.build({ ...common, minify: false, entryPoints: [path.join(root, "test", "extension", "index.ts")], outfile: path.join(testsOut, "index.js"), format: "cjs", external: ["vscode", "mocha"] }),
]);

// The repo is "type": "module"; the suite bundle is CommonJS (VS Code require()s it).
fs.writeFileSync(path.join(testsOut, "package.json"), JSON.stringify({ type: "commonjs" }) + "\n");

// The Python grammar and the tree-sitter runtime, next to dist/lsp.mjs (see pythonWasmPlugin).
fs.copyFileSync(path.join(root, "node_modules", "tree-sitter-python", "tree-sitter-python.wasm"), path.join(stage, "dist", "tree-sitter-python.wasm"));
fs.copyFileSync(path.join(root, "node_modules", "web-tree-sitter", "tree-sitter.wasm"), path.join(stage, "dist", "tree-sitter.wasm"));

// Static files: media, rule docs, readme, licence.
fs.cpSync(path.join(root, "media"), path.join(stage, "media"), { recursive: true });
if (fs.existsSync(path.join(root, "docs", "rules"))) fs.cpSync(path.join(root, "docs", "rules"), path.join(stage, "docs", "rules"), { recursive: true });
for (const f of ["README.md", "LICENSE", "CHANGELOG.md"]) {
  if (fs.existsSync(path.join(root, f))) fs.copyFileSync(path.join(root, f), path.join(stage, f));
}
if (!fs.existsSync(path.join(stage, "LICENSE"))) {
  fs.writeFileSync(path.join(stage, "LICENSE"), `MIT License\n\nCopyright (c) ${new Date().getFullYear()} Ghostwatch contributors\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files (the "Software"), to deal in the Software without restriction, including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.\n`);
}
fs.copyFileSync(path.join(root, ".vscodeignore"), path.join(stage, ".vscodeignore"));

// The generated manifest: the root's VS Code fields, the extension's own entry point.
const manifest = {
  name: pkg.name,
  displayName: pkg.displayName,
  description: pkg.description,
  version: pkg.version,
  publisher: pkg.publisher,
  license: pkg.license,
  icon: pkg.icon,
  categories: pkg.categories,
  keywords: ["llm", "ollama", "agent", "eslint", "close-wait", "zombie"],
  repository: pkg.repository,
  engines: { vscode: pkg.engines.vscode },
  main: "./dist/extension.js",
  activationEvents: pkg.activationEvents,
  contributes: pkg.contributes,
  capabilities: pkg.capabilities,
};
fs.writeFileSync(path.join(stage, "package.json"), JSON.stringify(manifest, null, 2) + "\n");

const size = (f) => (fs.statSync(f).size / 1024).toFixed(0) + " KiB";
console.log(`[build-extension] stage ${path.relative(root, stage)}: extension.js ${size(path.join(stage, "dist/extension.js"))}, lsp.mjs ${size(path.join(stage, "dist/lsp.mjs"))}, probe.mjs ${size(path.join(stage, "dist/probe.mjs"))} (${Date.now() - t0} ms)`);

if (doPackage) {
  const out = path.join(root, `${pkg.name}-${pkg.version}.vsix`);
  const vsce = path.join(root, "node_modules", "@vscode", "vsce", "vsce");
  const r = spawnSync(process.execPath, [vsce, "package", "--no-dependencies", "--allow-missing-repository", "--skip-license", "--out", out], { cwd: stage, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", timeout: 180_000 });
  if (r.status !== 0) {
    process.stderr.write(r.stdout + r.stderr);
    throw new Error(`vsce package failed (exit ${r.status})`);
  }
  console.log(`[build-extension] ${path.relative(root, out)} ${size(out)} (${Date.now() - t0} ms)`);
}
