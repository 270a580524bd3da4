// issue 15: the facts walk (rules/core/file-facts.ts) and reach analysis never overflow the JS
// stack, however deeply the code nests. The AST is built directly (20,000 nested arrows): the
// TypeScript parser itself gives up long before that in-process, so this is the walker's own limit.
import { describe, expect, it } from "vitest";
import type { TSESTree } from "@typescript-eslint/utils";
import { buildFileFacts } from "../../rules/core/file-facts.js";
import { findLies } from "../../rules/core/lies.js";
import { reachOf } from "../../rules/core/reach.js";

const loc = { start: { line: 1, column: 0 }, end: { line: 1, column: 1 } };
const at = <T extends object>(n: T): T => Object.assign(n, { range: [0, 1] as [number, number], loc });

function nestedArrows(depth: number, url: string): TSESTree.Program {
  let body: TSESTree.Expression = at({ type: "CallExpression", callee: at({ type: "Identifier", name: "fetch" }), arguments: [at({ type: "Literal", value: url, raw: JSON.stringify(url) })], optional: false }) as never;
  for (let i = 0; i < depth; i++) body = at({ type: "ArrowFunctionExpression", params: [], body, async: false, expression: true, generator: false }) as never;
  const decl = at({ type: "VariableDeclaration", kind: "const", declarations: [at({ type: "VariableDeclarator", id: at({ type: "Identifier", name: "callOllama" }), init: body })] });
  return at({ type: "Program", sourceType: "module", body: [at({ type: "ExportNamedDeclaration", declaration: decl, specifiers: [], source: null })], comments: [], tokens: [] }) as never;
}

describe("file facts on deeply nested code", () => {
  it("1,500 and 20,000 nested arrows: no throw", () => {
    for (const depth of [1_500, 20_000]) {
      const ast = nestedArrows(depth, "https://openrouter.ai/api/v1/chat/completions");
      const facts = buildFileFacts(ast, "/x/deep.ts");
      expect(facts.functions.map((f) => f.name)).toEqual(["callOllama"]);
      expect(() => findLies(facts.functions, (fn) => reachOf(facts, fn), undefined, {})).not.toThrow();
    }
  });
  it("code within the depth bound is still read (a lie 300 arrows deep is found)", () => {
    const facts = buildFileFacts(nestedArrows(300, "https://openrouter.ai/api/v1/chat/completions"), "/x/deep.ts");
    const lies = findLies(facts.functions, (fn) => reachOf(facts, fn), undefined, {});
    expect(lies.map((l) => `${l.fn.name} ${l.offending.map((h) => h.route.label).join()}`)).toEqual(["callOllama openrouter.ai"]);
  });
});
