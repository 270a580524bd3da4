#!/usr/bin/env node
/**
 * `ghostwatch-lsp --stdio` (any LSP client) or `--node-ipc` (the VS Code client).
 */
import { createConnection, ProposedFeatures } from "vscode-languageserver/node";
import { startServer } from "./lsp/server.js";
import { pkgVersion } from "./version.js";

const args = process.argv.slice(2);
if (args.includes("--version") || args.includes("-v")) {
  process.stdout.write(`${pkgVersion()}\n`);
  process.exit(0);
}
if (args.includes("--help") || args.includes("-h") || !args.some((a) => a === "--stdio" || a === "--node-ipc" || a.startsWith("--socket=") || a.startsWith("--pipe="))) {
  process.stderr.write(
    "Usage: ghostwatch-lsp --stdio | --node-ipc | --socket=PORT | --pipe=NAME\n" +
      "The Ghostwatch language server: diagnostics, quick fixes, hovers and code lenses for any LSP client.\n",
  );
  process.exit(args.includes("--help") || args.includes("-h") ? 0 : 2);
}

const connection = createConnection(ProposedFeatures.all);
startServer(connection);
connection.listen();
