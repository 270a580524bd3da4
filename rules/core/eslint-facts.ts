/**
 * The bridge between ESLint and the analysis core: file facts cached per linted AST, and a
 * ModuleResolver over the TypeScript program when the user lints with type information
 * (`parserOptions.projectService`), or one the language server installs via settings.
 */
import path from "node:path";
import { parse } from "@typescript-eslint/typescript-estree";
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import ts from "typescript";
import { buildFileFacts, type FileFacts } from "./file-facts.js";
import type { ModuleResolver } from "./reach.js";

const factsCache = new WeakMap<object, FileFacts>();

export function getFileFacts(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): FileFacts {
  const ast = context.sourceCode.ast;
  let facts = factsCache.get(ast);
  if (!facts) {
    // Absolute, so imports resolve even when a host (RuleTester, Linter API) passes a relative filename.
    facts = buildFileFacts(ast, path.resolve(context.cwd, context.filename));
    factsCache.set(ast, facts);
  }
  return facts;
}

/** Facts for a file that is not being linted (an import target), parsed from its text. */
export function factsFromText(fileName: string, text: string): FileFacts | undefined {
  if (text.length > 2_000_000) return undefined;
  try {
    const ast = parse(text, {
      range: true,
      loc: true,
      comment: true,
      jsx: /\.[jt]sx$/.test(fileName),
      errorOnUnknownASTType: false,
    }) as TSESTree.Program;
    return buildFileFacts(ast, fileName);
  } catch {
    return undefined; // a file that does not parse contributes nothing
  }
}

const programResolvers = new WeakMap<ts.Program, ModuleResolver>();

/** A resolver over a TypeScript program: follows relative imports to project source files. */
export function programResolver(program: ts.Program): ModuleResolver {
  let r = programResolvers.get(program);
  if (r) return r;
  const cache = new WeakMap<ts.SourceFile, FileFacts | null>();
  const options = program.getCompilerOptions();
  r = {
    resolve(fromFile, source) {
      const resolved = ts.resolveModuleName(source, fromFile, options, ts.sys).resolvedModule;
      if (!resolved || resolved.isExternalLibraryImport || resolved.resolvedFileName.endsWith(".d.ts")) return undefined;
      const sf = program.getSourceFile(resolved.resolvedFileName);
      if (!sf) return undefined;
      let facts = cache.get(sf);
      if (facts === undefined) {
        facts = factsFromText(sf.fileName, sf.text) ?? null;
        cache.set(sf, facts);
      }
      return facts ?? undefined;
    },
  };
  programResolvers.set(program, r);
  return r;
}

/** Hook for hosts that own a project model (the language server): settings.ghostwatch.resolver. */
export function getResolver(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): ModuleResolver | undefined {
  const fromSettings = (context.settings as { ghostwatch?: { resolver?: ModuleResolver } } | undefined)?.ghostwatch?.resolver;
  if (fromSettings && typeof fromSettings.resolve === "function") return fromSettings;
  const program = context.sourceCode.parserServices?.program as ts.Program | null | undefined;
  return program ? programResolver(program) : undefined;
}

/** Path shown in messages: relative to the lint's cwd. */
export function relativeTo(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): (file: string) => string {
  const cwd = context.cwd;
  return (file) => {
    const rel = path.relative(cwd, file);
    return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel.split(path.sep).join("/") : file;
  };
}
