// The package as a user gets it: `npm pack` (its `prepack` builds), installed with eslint +
// typescript-eslint into scratch projects (the newest TypeScript, and the lowest of the peer
// range), linted by the real `eslint` CLI; its SARIF formatter validated against the SARIF 2.1.0
// schema and GitHub's ingestion rules; the plugin entry's import graph; the bins.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
let dir: string;
let low: string;
let tgzPath: string;
/** The lowest TypeScript of the peer range (typescript-eslint's own floor). */
const LOWEST_TS = "4.8.4";

interface Msg { ruleId: string; line: number; column: number; message: string }

function eslint(args: string[], cwd = dir): Array<{ filePath: string; messages: Msg[] }> {
  const r = spawnSync(process.execPath, [path.join(cwd, "node_modules/eslint/bin/eslint.js"), "-f", "json", ...args], { cwd, encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`eslint exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const router = `export async function callRouter(prompt: string) {
  const res = await fetch("https://openrouter.ai/api/v1/chat/completions", { method: "POST", body: prompt });
  return res.json();
}
`;

const sameFile = `async function viaGroq(prompt: string) {
  return fetch("https://api.groq.com/openai/v1/chat/completions", { method: "POST", body: prompt }).then((r) => r.json());
}

export async function callOllama(prompt: string) {
  const cloud = await viaGroq(prompt).catch(() => undefined);
  if (cloud) return cloud;
  return fetch("http://localhost:11434/api/generate", { method: "POST", body: prompt }).then((r) => r.json());
}

export async function callGroqWithOllamaFallback(prompt: string) {
  return callOllama(prompt);
}
`;

const crossFile = `import { callRouter } from "./router";

export async function askLocalModel(prompt: string) {
  const routed = await callRouter(prompt);
  if (routed) return routed;
  return fetch("http://127.0.0.1:11434/api/chat", { method: "POST", body: prompt }).then((r) => r.json());
}
`;

function scratch(deps: string[]): string {
  const d = mkdtempSync(path.join(os.tmpdir(), "ghostwatch-pack-"));
  writeFileSync(path.join(d, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tgzPath, ...deps], { cwd: d, stdio: "pipe", timeout: 240_000 });
  mkdirSync(path.join(d, "src"));
  writeFileSync(path.join(d, "src/agent.ts"), sameFile);
  writeFileSync(path.join(d, "src/router.ts"), router);
  writeFileSync(path.join(d, "src/runner.ts"), crossFile);
  writeFileSync(path.join(d, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, module: "ESNext", moduleResolution: "node", target: "ES2020", lib: ["ES2020", "DOM"], noEmit: true }, include: ["src"] }));
  return d;
}

const untypedConfig = `import tseslint from "typescript-eslint";\nimport ghostwatch from "ghostwatch";\nexport default [{ files: ["**/*.ts"], languageOptions: { parser: tseslint.parser } }, ghostwatch.configs.recommended];\n`;
const typedConfig = `import tseslint from "typescript-eslint";\nimport ghostwatch from "ghostwatch";\nexport default [{ files: ["**/*.ts"], languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } }, ghostwatch.configs.recommended];\n`;

beforeAll(() => {
  // A clean copy of the sources (the tracked files as they are now, no dist/): `prepack` must build.
  const packDir = mkdtempSync(path.join(os.tmpdir(), "ghostwatch-tgz-"));
  const clone = path.join(packDir, "clone");
  for (const f of execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" }).split("\0").filter(Boolean)) {
    if (f === "node_modules" || !existsSync(path.join(root, f)) || !statSync(path.join(root, f)).isFile()) continue;
    mkdirSync(path.dirname(path.join(clone, f)), { recursive: true });
    copyFileSync(path.join(root, f), path.join(clone, f));
  }
  symlinkSync(realpathSync(path.join(root, "node_modules")), path.join(clone, "node_modules"));
  const tgz = execFileSync("npm", ["pack", "--silent", "--pack-destination", packDir], { cwd: clone, encoding: "utf8", timeout: 240_000 }).trim().split("\n").pop()!;
  tgzPath = path.join(packDir, tgz);
  // The SARIF 2.1.0 schema ships in @microsoft/jest-sarif; ajv@6 validates its draft-04 schema.
  dir = scratch(["eslint@^10", "typescript-eslint@^8.73.0", "typescript@~6.0.3", "ajv@^6.12.6", "@microsoft/jest-sarif@1.0.0-beta.0"]);
  low = scratch(["eslint@^10", "typescript-eslint@^8.73.0", `typescript@${LOWEST_TS}`]);
}, 600_000);

afterAll(() => {
  for (const d of [dir, low, tgzPath && path.dirname(tgzPath)]) if (d) rmSync(d, { recursive: true, force: true });
});

describe("npm pack → eslint CLI", () => {
  it("reports the lying callOllama with its chain and not the honest name (untyped)", () => {
    writeFileSync(
      path.join(dir, "eslint.config.js"),
      `import tseslint from "typescript-eslint";\nimport ghostwatch from "ghostwatch";\nexport default [{ files: ["**/*.ts"], languageOptions: { parser: tseslint.parser } }, ghostwatch.configs.recommended];\n`,
    );
    const results = eslint(["src/agent.ts"]);
    const msgs = results[0].messages.filter((m) => m.ruleId === "ghostwatch/honest-llm-names");
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatchObject({ line: 5, column: 23 });
    expect(msgs[0].message).toBe(
      "callOllama() claims a local model but reaches api.groq.com (src/agent.ts:2) before localhost:11434 (src/agent.ts:8). Rename it project-wide (e.g. callGroqWithOllamaFallback; your editor's Rename Symbol) or remove the other routes.",
    );
  });

  it("follows the router into another file in typed mode (projectService)", () => {
    writeFileSync(
      path.join(dir, "eslint.config.js"),
      `import tseslint from "typescript-eslint";\nimport ghostwatch from "ghostwatch";\nexport default [{ files: ["**/*.ts"], languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } }, ghostwatch.configs.recommended];\n`,
    );
    const results = eslint(["src/runner.ts"]);
    const msgs = results[0].messages.filter((m) => m.ruleId === "ghostwatch/honest-llm-names");
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatchObject({ line: 3, column: 23 });
    expect(msgs[0].message).toBe(
      "askLocalModel() claims a local model but reaches openrouter.ai (src/router.ts:2) before 127.0.0.1:11434 (src/runner.ts:6). Rename it project-wide (e.g. askRouterWithOllamaFallback; your editor's Rename Symbol) or remove the other routes.",
    );
  });

  it("sees no cross-file route without type information (same-file only)", () => {
    writeFileSync(
      path.join(dir, "eslint.config.js"),
      `import tseslint from "typescript-eslint";\nimport ghostwatch from "ghostwatch";\nexport default [{ files: ["**/*.ts"], languageOptions: { parser: tseslint.parser } }, ghostwatch.configs.recommended];\n`,
    );
    const results = eslint(["src/runner.ts"]);
    expect(results[0].messages.filter((m) => m.ruleId === "ghostwatch/honest-llm-names")).toEqual([]);
  });
});

describe("packaging", () => {
  it("the tarball built by prepack holds the plugin, the bins and the SARIF formatter, not the sources", () => {
    const files = execFileSync("tar", ["tzf", tgzPath], { encoding: "utf8" }).split("\n");
    for (const f of ["package/dist/rules/index.js", "package/dist/server/cli.js", "package/dist/server/lsp.js", "package/dist/server/sarif-formatter.js", "package/docs/rules/honest-llm-names.md"]) expect(files).toContain(f);
    expect(files.filter((f) => /\.ts$/.test(f) && !f.endsWith(".d.ts"))).toEqual([]);
  });

  it("typescript is a peer (one copy in the project: the project's own)", () => {
    const pkg = JSON.parse(readFileSync(path.join(dir, "node_modules/ghostwatch/package.json"), "utf8"));
    expect(pkg.dependencies.typescript).toBeUndefined();
    expect(pkg.peerDependencies.typescript).toBe(">=4.8.4 <6.1.0");
    const copies = execFileSync("find", ["node_modules", "-name", "package.json", "-path", "*/typescript/package.json", "-not", "-path", "*/node_modules/*/node_modules/*/*/*"], { cwd: low, encoding: "utf8" }).trim().split("\n");
    expect(copies).toEqual(["node_modules/typescript/package.json"]);
    expect(JSON.parse(readFileSync(path.join(low, copies[0]), "utf8")).version).toBe(LOWEST_TS);
  });

  it("the plugin entry loads no language server, probe, Python grammar or ts-morph", () => {
    // A resolve hook records every ESM import; require.cache every CommonJS one.
    writeFileSync(path.join(dir, "hooks.mjs"), `export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write("LOAD " + r.url + "\\n"); return r; }\n`);
    writeFileSync(path.join(dir, "probe-load.mjs"), `import { register, createRequire } from "node:module";\nregister("./hooks.mjs", import.meta.url);\nconst plugin = (await import("ghostwatch")).default;\nconst req = createRequire(import.meta.url);\nfor (const k of Object.keys(req.cache)) process.stderr.write("LOAD " + k + "\\n");\nconsole.log(Object.keys(plugin.rules).length);\n`);
    const r = spawnSync(process.execPath, ["probe-load.mjs"], { cwd: dir, encoding: "utf8", timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(Number(r.stdout.trim())).toBeGreaterThanOrEqual(8);
    const loaded = r.stderr.split("\n").filter((l) => l.startsWith("LOAD "));
    expect(loaded.some((l) => l.includes("/ghostwatch/dist/rules/index.js"))).toBe(true);
    expect(loaded.some((l) => l.includes("@typescript-eslint/typescript-estree"))).toBe(true); // the hook saw the real graph
    for (const heavy of ["ts-morph", "@ts-morph", "vscode-languageserver", "web-tree-sitter", "tree-sitter-python", "prom-client", "/dist/server/"]) {
      expect(loaded.filter((l) => l.includes(heavy)), heavy).toEqual([]);
    }
  });

  it("ghostwatch-lsp answers initialize and ghostwatch probe --json runs, from the installed package", async () => {
    const lsp = spawn(path.join(dir, "node_modules/.bin/ghostwatch-lsp"), ["--stdio"], { cwd: dir });
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { processId: null, rootUri: null, capabilities: {} } });
    const reply = await new Promise<string>((resolve, reject) => {
      let out = "";
      const t = setTimeout(() => reject(new Error(`no initialize reply: ${out}`)), 30_000);
      lsp.stdout.on("data", (d) => {
        out += d;
        if (out.includes('"id":1')) {
          clearTimeout(t);
          resolve(out);
        }
      });
      lsp.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    }).finally(() => lsp.kill());
    expect(reply).toContain('"textDocumentSync"');
    const probe = spawnSync(path.join(dir, "node_modules/.bin/ghostwatch"), ["probe", "--json", "--endpoint", "http://127.0.0.1:9"], { cwd: dir, encoding: "utf8", timeout: 60_000 });
    expect(JSON.parse(probe.stdout).host.platform).toBe("linux");
  });
});

describe(`the lowest supported TypeScript (${LOWEST_TS})`, () => {
  it("untyped: the same finding as with the newest", () => {
    writeFileSync(path.join(low, "eslint.config.js"), untypedConfig);
    const msgs = eslint(["src/agent.ts"], low)[0].messages.filter((m) => m.ruleId === "ghostwatch/honest-llm-names");
    expect(msgs.map((m) => [m.line, m.column, m.message])).toEqual([
      [5, 23, "callOllama() claims a local model but reaches api.groq.com (src/agent.ts:2) before localhost:11434 (src/agent.ts:8). Rename it project-wide (e.g. callGroqWithOllamaFallback; your editor's Rename Symbol) or remove the other routes."],
    ]);
  });

  it("typed (projectService): follows the router into another file", () => {
    writeFileSync(path.join(low, "eslint.config.js"), typedConfig);
    const msgs = eslint(["src/runner.ts"], low)[0].messages.filter((m) => m.ruleId === "ghostwatch/honest-llm-names");
    expect(msgs.map((m) => [m.line, m.column, m.message])).toEqual([
      [3, 23, "askLocalModel() claims a local model but reaches openrouter.ai (src/router.ts:2) before 127.0.0.1:11434 (src/runner.ts:6). Rename it project-wide (e.g. askRouterWithOllamaFallback; your editor's Rename Symbol) or remove the other routes."],
    ]);
  });

  it("ghostwatch lint (zero-config) runs on it", () => {
    rmSync(path.join(low, "eslint.config.js"));
    const r = spawnSync(path.join(low, "node_modules/.bin/ghostwatch"), ["lint", "src", "-f", "json"], { cwd: low, encoding: "utf8", timeout: 120_000 });
    expect(r.status).toBe(1);
    const agent = (JSON.parse(r.stdout) as Array<{ filePath: string; messages: Msg[] }>).find((x) => x.filePath.endsWith("agent.ts"))!;
    expect(agent.messages.filter((m) => m.ruleId === "ghostwatch/honest-llm-names").map((m) => m.line)).toEqual([5]);
  });
});

describe("eslint -f with the exported SARIF formatter", () => {
  const FORMATTER = "./node_modules/ghostwatch/dist/server/sarif-formatter.js";
  type Sarif = {
    version: string;
    runs: Array<{
      tool: { driver: { name: string; rules: Array<{ id: string; shortDescription: { text: string }; fullDescription: { text: string }; help: { text: string; markdown: string }; defaultConfiguration: { level: string } }> } };
      results: Array<{
        ruleId: string;
        ruleIndex: number;
        level: string;
        message: { text: string };
        locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number } } }>;
        partialFingerprints: Record<string, string>;
        relatedLocations?: Array<{ id: number; message: { text: string }; physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>;
      }>;
    }>;
  };
  let sarif: Sarif;

  beforeAll(() => {
    writeFileSync(path.join(dir, "eslint.config.js"), typedConfig);
    const r = spawnSync(process.execPath, [path.join(dir, "node_modules/eslint/bin/eslint.js"), "-f", FORMATTER, "-o", "out/ghostwatch.sarif", "src"], { cwd: dir, encoding: "utf8", timeout: 120_000 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(1);
    sarif = JSON.parse(readFileSync(path.join(dir, "out/ghostwatch.sarif"), "utf8"));
  });

  it("validates against the SARIF 2.1.0 JSON schema", () => {
    const req = createRequire(path.join(dir, "package.json"));
    const Ajv = req("ajv");
    const ajv = new Ajv({ schemaId: "id", allErrors: true, unknownFormats: "ignore" });
    ajv.addMetaSchema(req("ajv/lib/refs/json-schema-draft-04.json"));
    const schema = req("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
    const ok = ajv.validate(schema, sarif);
    expect(ajv.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // The validator is live: a result without a message is rejected.
    const broken = JSON.parse(JSON.stringify(sarif));
    delete broken.runs[0].results[0].message;
    expect(ajv.validate(schema, broken)).toBe(false);
  });

  it("meets GitHub code scanning's ingestion rules", () => {
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs).toHaveLength(1);
    const { rules } = sarif.runs[0].tool.driver;
    const results = sarif.runs[0].results;
    expect(results.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(rule.shortDescription.text.length).toBeGreaterThan(10);
      expect(rule.fullDescription.text.length).toBeGreaterThan(rule.shortDescription.text.length / 2);
      expect(rule.help.markdown).toMatch(new RegExp(`^# (ghostwatch/)?${rule.id.replace("ghostwatch/", "")}\\n`)); // the docs page
      expect(["error", "warning", "note"]).toContain(rule.defaultConfiguration.level);
    }
    for (const res of results) {
      expect(rules[res.ruleIndex].id).toBe(res.ruleId);
      expect(res.message.text.length).toBeGreaterThan(0);
      const loc = res.locations[0].physicalLocation;
      expect(loc.artifactLocation.uri).toMatch(/^src\/[a-z]+\.ts$/); // relative, no scheme
      expect(loc.region.startLine).toBeGreaterThanOrEqual(1);
      expect(res.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{16}:\d+$/);
      expect((res.relatedLocations ?? []).length).toBeLessThanOrEqual(10);
      for (const rel of res.relatedLocations ?? []) {
        expect(res.message.text).toContain(`](${rel.id})`); // each related location is linked from the message
        expect(rel.physicalLocation.region.startLine).toBeGreaterThanOrEqual(1);
      }
    }
    const fps = results.map((r) => `${r.locations[0].physicalLocation.artifactLocation.uri}|${r.ruleId}|${r.partialFingerprints.primaryLocationLineHash}`);
    expect(new Set(fps).size).toBe(fps.length);
  });

  it("gives the reach chain as related locations, one per step", () => {
    const lie = sarif.runs[0].results.find((r) => r.ruleId === "ghostwatch/honest-llm-names" && r.locations[0].physicalLocation.artifactLocation.uri === "src/runner.ts")!;
    expect(lie.message.text).toBe(
      "askLocalModel() claims a local model but reaches openrouter.ai ([src/router.ts:2](1)) before 127.0.0.1:11434 ([src/runner.ts:6](2)). Rename it project-wide (e.g. askRouterWithOllamaFallback; your editor's Rename Symbol) or remove the other routes.",
    );
    expect(lie.relatedLocations!.map((l) => [l.id, l.message.text, l.physicalLocation.artifactLocation.uri, l.physicalLocation.region.startLine])).toEqual([
      [1, "openrouter.ai", "src/router.ts", 2],
      [2, "127.0.0.1:11434", "src/runner.ts", 6],
    ]);
    expect(lie.level).toBe("error");
    const rule = sarif.runs[0].tool.driver.rules.find((r) => r.id === "ghostwatch/honest-llm-names")!;
    expect(rule.defaultConfiguration.level).toBe("error");
    expect(rule.fullDescription.text).toMatch(/^A name is a contract\./);
  });

  it("is importable as ghostwatch/sarif and writes the same as ghostwatch lint --format sarif", () => {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", `import f from "ghostwatch/sarif"; console.log(typeof f);`], { cwd: dir, encoding: "utf8" });
    expect(r.stdout.trim()).toBe("function");
    const cli = spawnSync(path.join(dir, "node_modules/.bin/ghostwatch"), ["lint", "src", "-f", "sarif"], { cwd: dir, encoding: "utf8", timeout: 120_000 });
    const viaCli = JSON.parse(cli.stdout) as Sarif;
    const ids = (s: Sarif) => s.runs[0].results.map((x) => `${x.ruleId}@${x.locations[0].physicalLocation.artifactLocation.uri}:${x.locations[0].physicalLocation.region.startLine}`).sort();
    expect(ids(viaCli)).toEqual(ids(sarif));
  });
});
