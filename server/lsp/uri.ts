/** File URIs ↔ absolute paths (the server analyses `file:` documents only). */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The absolute path of a `file:` URI; undefined for other schemes or a malformed URI. */
export function toPath(uri: string): string | undefined {
  if (!uri.startsWith("file:")) return undefined;
  try {
    return path.resolve(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

export function toUri(file: string): string {
  return pathToFileURL(file).href;
}
