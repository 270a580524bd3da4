/**
 * The model ids a project module hands out, for an AI SDK call whose `model:` comes from it
 * (`model: getModel()` imported from `./ai/providers`). The module is parsed once per run and
 * scanned for provider-model constructions: a call of a binding created by an AI SDK provider
 * factory (`const openai = createOpenAI(…)` … `openai?.("o3-mini")`) or of a default provider
 * instance imported from an `@ai-sdk/*` package (`openai("gpt-4o")`). Only literal ids count; an
 * id from the environment is unknown and ignored (rules never report on an unknown anyway).
 *
 * Used only to exempt calls whose every statically known model is a reasoning model.
 */
import fs from "node:fs";
import { parse } from "@typescript-eslint/typescript-estree";
import type { TSESTree } from "@typescript-eslint/utils";
import { visitorKeys } from "@typescript-eslint/visitor-keys";
import { resolveRelative } from "./disk-resolver.js";

type Node = TSESTree.Node;
const cache = new Map<string, string[] | null>();

function isProviderSource(s: string): boolean {
  return (s.startsWith("@ai-sdk/") && !/^@ai-sdk\/(?:react|ui-utils|provider|provider-utils|rsc|svelte|vue|solid|angular)$/.test(s)) || /-ai-sdk-provider$|^ollama-ai-provider/.test(s);
}

/** Literal model ids constructed in the module `source` imported from `fromFile` (undefined: not readable). */
export function moduleModelIds(fromFile: string | undefined, source: string): string[] | undefined {
  if (!fromFile || !source.startsWith(".")) return undefined;
  const file = resolveRelative(fromFile, source);
  if (!file) return undefined;
  const hit = cache.get(file);
  if (hit !== undefined) return hit ?? undefined;
  let ids: string[] | null = null;
  try {
    const text = fs.readFileSync(file, "utf8");
    if (text.length <= 500_000) ids = scan(parse(text, { range: true, jsx: /\.[jt]sx$/.test(file), errorOnUnknownASTType: false }) as TSESTree.Program);
  } catch {
    ids = null; // unreadable or unparsable: unknown
  }
  if (cache.size > 2_000) cache.clear();
  cache.set(file, ids);
  return ids ?? undefined;
}

function scan(program: TSESTree.Program): string[] {
  const factories = new Set<string>(); // createOpenAI, createFireworks… imported from provider packages
  const instances = new Set<string>(); // openai, anthropic… default instances, and bindings of factory results
  for (const st of program.body) {
    if (st.type !== "ImportDeclaration" || !isProviderSource(String(st.source.value))) continue;
    for (const s of st.specifiers) {
      if (s.type !== "ImportSpecifier" || s.importKind === "type") continue;
      (/^create[A-Z]/.test(s.imported.type === "Identifier" ? s.imported.name : "") ? factories : instances).add(s.local.name);
    }
  }
  if (!factories.size && !instances.size) return [];
  const calls: TSESTree.CallExpression[] = [];
  const stack: Node[] = [program];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === "CallExpression") calls.push(n);
    if (n.type === "VariableDeclarator" && n.id.type === "Identifier" && n.init && containsFactoryCall(n.init, factories)) instances.add(n.id.name);
    for (const k of visitorKeys[n.type] ?? []) {
      const c = (n as unknown as Record<string, unknown>)[k];
      if (Array.isArray(c)) for (const x of c) x && typeof x === "object" && "type" in x && stack.push(x as Node);
      else if (c && typeof c === "object" && "type" in (c as object)) stack.push(c as Node);
    }
  }
  const ids: string[] = [];
  for (const c of calls) {
    if (c.callee.type !== "Identifier" || !instances.has(c.callee.name)) continue;
    const a = c.arguments[0];
    if (a?.type === "Literal" && typeof a.value === "string") ids.push(a.value);
    else if (a?.type === "TemplateLiteral" && !a.expressions.length) ids.push(a.quasis[0].value.cooked ?? "");
  }
  return ids;
}

/** `createOpenAI(…)`, `KEY ? createOpenAI(…) : undefined` */
function containsFactoryCall(n: Node, factories: Set<string>): boolean {
  if (n.type === "CallExpression") return n.callee.type === "Identifier" && factories.has(n.callee.name);
  if (n.type === "ConditionalExpression") return containsFactoryCall(n.consequent, factories) || containsFactoryCall(n.alternate, factories);
  if (n.type === "LogicalExpression") return containsFactoryCall(n.left, factories) || containsFactoryCall(n.right, factories);
  if (n.type === "TSAsExpression" || n.type === "TSNonNullExpression") return containsFactoryCall(n.expression, factories);
  return false;
}
