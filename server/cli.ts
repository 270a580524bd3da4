#!/usr/bin/env node
/**
 * `ghostwatch` — subcommands `lint [paths…]` and `probe`. Argument parsing by commander.
 */
import { Command, Option } from "commander";
import { runLint } from "./lint.js";
import { pkgVersion } from "./version.js";

const program = new Command("ghostwatch")
  .description("Find the bugs that let an LLM agent run for days as a functional zombie.")
  .version(pkgVersion())
  .showHelpAfterError();

program
  .command("lint")
  .description("Lint TS/JS files with Ghostwatch's recommended rules (honours an eslint.config.* when present).")
  .argument("[paths...]", "files or folders", ["."])
  .addOption(new Option("-f, --format <format>", "output format").choices(["stylish", "json", "sarif"]).default("stylish"))
  .option("--preset <preset>", "recommended | strict | local-only (zero-config mode)", "recommended")
  .option("--no-config", "ignore any eslint.config.* and use the preset")
  .action(async (paths: string[], opts: { format: "stylish" | "json" | "sarif"; preset: string; config: boolean }) => {
    process.exitCode = await runLint(paths, opts);
  });

// Subcommands added by other faces register themselves here.
const extensions: Array<(p: Command) => void> = [];
try {
  const probeModule = "./probe/command.js"; // registers `ghostwatch probe`
  const probe = (await import(probeModule).catch(() => undefined)) as { registerProbeCommand?: (p: Command) => void } | undefined;
  if (probe?.registerProbeCommand) extensions.push(probe.registerProbeCommand);
} catch {
  /* the probe is optional at build time */
}
for (const register of extensions) register(program);

await program.parseAsync(process.argv);
