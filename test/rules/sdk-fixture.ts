/**
 * A throw-away project folder with SDK packages "installed" at given versions (a package.json and,
 * when given, a minimal `.d.ts` that mirrors the real SDK's signature), so rules that read the
 * installed SDK version next to the linted file can be tested, and suggestions type-checked.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface FakePackage {
  name: string;
  version: string;
  /** index.d.ts text (optional). */
  types?: string;
}

export function sdkProject(packages: FakePackage[]): { dir: string; file: (name?: string) => string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gw-sdk-"));
  for (const p of packages) {
    const pkgDir = path.join(dir, "node_modules", ...p.name.split("/"));
    fs.mkdirSync(pkgDir, { recursive: true });
    fs.writeFileSync(path.join(pkgDir, "package.json"), JSON.stringify({ name: p.name, version: p.version, types: "index.d.ts" }));
    if (p.types) fs.writeFileSync(path.join(pkgDir, "index.d.ts"), p.types);
  }
  fs.mkdirSync(path.join(dir, "src"), { recursive: true });
  return { dir, file: (name = "agent.ts") => path.join(dir, "src", name) };
}
