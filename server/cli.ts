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

const collect = (v: string, all: string[]) => [...all, v];

program
  .command("lint")
  .description(
    "Lint TS/JS and Python files with Ghostwatch's rules. An eslint.config.* that enables a Ghostwatch rule is used as it is; one that enables none gets the preset on top.",
  )
  .argument("[paths...]", "files, folders or globs", ["."])
  .addOption(new Option("-f, --format <format>", "output format").choices(["stylish", "json", "sarif"]).default("stylish"))
  .option("--preset <preset>", "recommended | strict | local-only (when Ghostwatch builds the config)", "recommended")
  .option("--no-config", "ignore any eslint.config.* and use the preset")
  .option("--config-only", "use the project's eslint.config.* alone, even when it enables no Ghostwatch rule")
  .option("-o, --output-file <file>", "write the report to this file instead of stdout")
  .option("--max-warnings <n>", "exit 1 when there are more warnings than this (as ESLint)")
  .option("--ignore-pattern <pattern>", "more files to ignore (flat-config syntax; repeatable)", collect, [] as string[])
  .option("--max-file-size <MB>", "skip (with a warning) files larger than this", "2")
  .option("--report-unused-disable-directives", "report disable directives (eslint-disable, # noqa: ghostwatch/…) that suppress nothing")
  // Bad usage (unknown option, bad --format) exits 2, as documented; commander's default is 1, which reads as "errors found".
  .exitOverride((e) => process.exit(e.exitCode === 0 ? 0 : 2))
  .action(async (paths: string[], opts: { format: "stylish" | "json" | "sarif"; preset: string; config: boolean; configOnly?: boolean; outputFile?: string; maxWarnings?: string; ignorePattern: string[]; maxFileSize: string; reportUnusedDisableDirectives?: boolean }) => {
    const mb = Number(opts.maxFileSize);
    if (!Number.isFinite(mb) || mb <= 0) {
      process.stderr.write(`ghostwatch lint: --max-file-size needs a positive number of megabytes, got "${opts.maxFileSize}"\n`);
      process.exitCode = 2;
      return;
    }
    const maxWarnings = opts.maxWarnings === undefined ? undefined : Number(opts.maxWarnings);
    if (maxWarnings !== undefined && !Number.isInteger(maxWarnings)) {
      process.stderr.write(`ghostwatch lint: --max-warnings needs a whole number, got "${opts.maxWarnings}"\n`);
      process.exitCode = 2;
      return;
    }
    // Loaded on demand: ESLint costs ~1 s of CPU that `ghostwatch probe` must not pay.
    const { runLint } = await import("./lint.js");
    process.exitCode = await runLint(paths, { ...opts, maxWarnings, maxFileBytes: Math.round(mb * 1024 * 1024) });
  });

registerProbeCommand(program);

await program.parseAsync(process.argv);
