#!/usr/bin/env node
/**
 * `ghostwatch` — subcommands `lint [paths…]` and `probe`. Argument parsing by commander.
 */
import { Command, Option } from "commander";
import { registerProbeCommand } from "./probe/command.js";
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
  .option("--max-file-size <MB>", "skip (with a warning) files larger than this", "2")
  .option("--report-unused-disable-directives", "report disable directives (eslint-disable, # noqa: ghostwatch/…) that suppress nothing")
  // Bad usage (unknown option, bad --format) exits 2, as documented; commander's default is 1, which reads as "errors found".
  .exitOverride((e) => process.exit(e.exitCode === 0 ? 0 : 2))
  .action(async (paths: string[], opts: { format: "stylish" | "json" | "sarif"; preset: string; config: boolean; maxFileSize: string; reportUnusedDisableDirectives?: boolean }) => {
    const mb = Number(opts.maxFileSize);
    if (!Number.isFinite(mb) || mb <= 0) {
      process.stderr.write(`ghostwatch lint: --max-file-size needs a positive number of megabytes, got "${opts.maxFileSize}"\n`);
      process.exitCode = 2;
      return;
    }
    // Loaded on demand: ESLint costs ~1 s of CPU that `ghostwatch probe` must not pay.
    const { runLint } = await import("./lint.js");
    process.exitCode = await runLint(paths, { ...opts, maxFileBytes: Math.round(mb * 1024 * 1024) });
  });

registerProbeCommand(program);

await program.parseAsync(process.argv);
