import { createRequire } from "node:module";

/** The package version (works from source and from dist/). */
export function pkgVersion(): string {
  const require = createRequire(import.meta.url);
  for (const rel of ["../package.json", "../../package.json"]) {
    try {
      const pkg = require(rel) as { name?: string; version?: string };
      if (pkg.name === "ghostwatch" && pkg.version) return pkg.version;
    } catch {
      /* try the next depth */
    }
  }
  return "0.0.0";
}
