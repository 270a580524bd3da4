/**
 * honest-llm-names — a name is a contract (SPEC §2.1).
 * A function whose name (or JSDoc/leading comment/file header) claims a model route must not
 * reach any other route; reported on the name with the reached routes in order.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { createRule } from "./create-rule.js";
import { getFileFacts, getResolver, relativeTo } from "./core/eslint-facts.js";
import type { FnInfo } from "./core/file-facts.js";
import { describeReach, findLies, isTestOnlyPath, renameAdvice, type Finding, type LieOptions } from "./core/lies.js";
import { AMBIGUOUS_CLAIM_WORDS, claimsOfComment, claimsOfName, describeClaim } from "./core/names.js";
import { reachOf } from "./core/reach.js";
import { LOCAL_CLAIM_WORDS, PROVIDERS, providerForPackage } from "./core/providers.js";

export type Options = [LieOptions];
export type MessageIds = "lyingName" | "lyingComment" | "renameTo";
export type { Finding };

export default createRule<Options, MessageIds>({
  name: "honest-llm-names",
  meta: {
    type: "problem",
    docs: {
      description: "A function whose name or comment claims a model route (local, Ollama, OpenAI…) must not reach any other route.",
      recommended: "error",
    },
    hasSuggestions: true,
    schema: [
      {
        type: "object",
        properties: {
          checkComments: { type: "boolean", description: "Also check claims made by a function's JSDoc or leading comment." },
          checkFileHeader: { type: "boolean", description: "Also check claims made by the file's header comment." },
          checkTestFiles: { type: "boolean", description: "Also check test files, mocks and fixture folders (default true; false in recommended)." },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      lyingName: "{{name}}() claims {{claim}} but reaches {{reach}}. {{advice}}",
      lyingComment: "{{name}}() is documented as using {{claim}} (\"{{word}}\") but reaches {{reach}}. Keep that promise, or fix the comment.",
      renameTo: "Rename {{name}} to {{honest}} in this file.",
    },
    defaultOptions: [{ checkComments: true, checkFileHeader: true, checkTestFiles: true }],
  },
  create(context, [options]) {
    if (options.checkTestFiles === false && isTestOnlyPath(context.physicalFilename)) return {};
    // Fast path: a file whose text holds no claim word (in a name or a comment) cannot lie.
    if (!mayClaim(context.sourceCode.text)) return {};
    return {
      "Program:exit"() {
        // Second gate before the facts walk: some identifier or comment really makes a claim.
        if (!makesClaim(context.sourceCode.text, context.sourceCode.getAllComments(), options)) return;
        const resolver = getResolver(context);
        // Third gate: no text that can become a route (a URL or host, an env var, a cloud model tag,
        // a provider package, a project module a resolver can follow): no reach, so no facts walk.
        if (!mayReach(context.sourceCode.text, !!resolver)) return;
        const facts = getFileFacts(context);
        const relative = relativeTo(context);
        const callees = (fn: FnInfo) => facts.atoms.flatMap((a) => (a.kind === "ref" && a.start >= fn.range[0] && a.start < fn.range[1] && facts.fnByName.get(a.name)) || []);
        for (const f of findLies(facts.functions, (fn) => reachOf(facts, fn, resolver), facts.header, options, callees)) {
          // The ESLint suggestion renames in this file only: offered where no other file can use the name
          // (issue 14 item 4), and never into a name the file already uses (it would change what the code calls).
          const safe = !f.viaClass && !!f.honest && renameStaysInFile(context, f.fn);
          const data = {
            name: f.viaClass ? `${f.fn.className}.${f.fn.name}` : f.fn.name,
            claim: describeClaim(f.claim),
            word: f.claim.word,
            reach: describeReach(f, relative),
            honest: f.honest,
            advice: renameAdvice(f, safe),
          };
          const nameNode = f.fn.nameNode as TSESTree.Node;
          context.report({
            node: nameNode,
            messageId: f.claim.source === "name" ? "lyingName" : "lyingComment",
            data,
            suggest: f.claim.source === "name" && safe && !nameTaken(facts, f.honest) ? [{ messageId: "renameTo", data, fix: (fixer) =>
                      renameInFile(context, f.fn, f.honest).map((n) =>
                        n.type === "Literal"
                          ? fixer.replaceText(n, JSON.stringify(f.honest))
                          : // only the name: a declared identifier's range also covers its type annotation
                            fixer.replaceTextRange([n.range[0], n.range[0] + f.fn.name.length], f.honest),
                      ) }] : [],
          });
        }
      },
    };
  },
});

/** Every unambiguous claim word, in any case or separator style; a superset test on the raw text. */
const CLAIM_TEXT = new RegExp(
  [
    ...new Set(
      [...PROVIDERS.flatMap((p) => p.claimWords), ...LOCAL_CLAIM_WORDS]
        .filter((w) => !AMBIGUOUS_CLAIM_WORDS.has(w))
        .map((w) => (w === "llamacpp" ? "llama" : w === "lmstudio" ? "lm.?studio" : w)),
    ),
    "opus|sonnet|haiku", // Claude tiers (names.ts CLAUDE_TIER_WORDS decides)
    "no\\s+(?:paid|cloud|external)",
    "local[- ]only",
  ].join("|"),
  "i",
);
/**
 * Ambiguous claim words (local, azure, google…) only claim before a model noun or at the end of a
 * word (`localModel`, `local_llm`, "local model", `callAzure(`), not in `localStorage`, `locale`,
 * `AzureCloudInstance`. Case-sensitive, so camelCase word ends are visible.
 */
const MODEL_NOUN_START = "[_\\- ]?(?:[Oo]pen|[Aa][Ii]|[Mm]odel|[Ll][Ll][Mm]|[Ll][Mm]|[Cc]hat|[Cc]omplet|[Gg]enerat|[Ee]mbed|[Ii]nfer|[Cc]lient|[Aa][Pp][Ii]|[Ee]ndpoint|[Pp]rovider|[Ss]erver|[Bb]ackend|[Ee]ngine|[Aa]gent|[Gg][Pp][Tt]|[Pp]rompt|[Aa]nswer|[Rr]eply|[Gg]en|[Ss][Ll][Mm]|[Ll]lama)";
const AMBIGUOUS_TEXT = new RegExp(
  [...AMBIGUOUS_CLAIM_WORDS]
    // not in a package name (`@azure/msal-node`, `@google-cloud/storage`)
    .map((w) => `(?<![@/])(?:${w.toUpperCase()}|[${w[0]}${w[0].toUpperCase()}]${w.slice(1)})(?:${MODEL_NOUN_START}|(?![a-zA-Z/-]))`)
    .join("|"),
);

export function mayClaim(text: string): boolean {
  return CLAIM_TEXT.test(text) || AMBIGUOUS_TEXT.test(text);
}

const CLAIM_TEXT_G = new RegExp(CLAIM_TEXT.source, "gi");
const AMBIGUOUS_TEXT_G = new RegExp(AMBIGUOUS_TEXT.source, "g");
const IDENT_CHAR = /[\w$]/;

/**
 * Does any comment, or any identifier around a claim word, make a claim? Only the matches of the
 * pre-filter are looked at, so a file that merely mentions "OpenAI" in a string skips the walk.
 */
export function makesClaim(text: string, comments: ReadonlyArray<{ value: string }>, opts: Options[0]): boolean {
  if (opts.checkComments !== false || opts.checkFileHeader !== false) {
    // One test over all comments (a superset of testing each: a phrase may also span two of them).
    if (comments.length && claimsOfComment(comments.map((c) => c.value).join("\n")).length) return true;
  }
  let budget = 5000;
  for (const re of [CLAIM_TEXT_G, AMBIGUOUS_TEXT_G]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (--budget < 0) return true;
      let a = m.index;
      let b = m.index + m[0].length;
      while (a > 0 && IDENT_CHAR.test(text[a - 1])) a--;
      while (b < text.length && IDENT_CHAR.test(text[b])) b++;
      const ident = text.slice(a, b);
      // Only a name that can be a function, method or class name (or a quoted key) can lie: not an
      // import, a type, a `new X(…)` or a member read (cheap superset test on the text around it).
      if (!declares(text, a, b)) continue;
      if (claimsOfName(ident).length || claimsOfName(ident.replace(/^[\W_]+/, "")).length) return true;
      if (m[0].length === 0) re.lastIndex++;
    }
  }
  return false;
}

/** Superset of what file-facts turns into a route atom or a followable reference (see buildFileFacts). */
const ROUTE_TEXT = /:\/\/|localhost|127\.0\.0\.1|::1|0\.0\.0\.0|host\.docker\.internal|[\w-]\.[a-z]{2,}\/|\w:\d{2,5}|cloud|\benv\b/i;
const IMPORT_SOURCE = /(?:\bfrom|\brequire\s*\(|\bimport\s*\(|\bimport)\s*["'`]([^"'`\n]+)["'`]/g;
export function mayReach(text: string, followsImports: boolean): boolean {
  if (ROUTE_TEXT.test(text)) return true;
  IMPORT_SOURCE.lastIndex = 0;
  for (let m = IMPORT_SOURCE.exec(text); m; m = IMPORT_SOURCE.exec(text)) {
    const src = m[1];
    if (providerForPackage(src) || /openai-compatible|litellm/.test(src)) return true;
    if (followsImports && /^(?:\.|\/|@\/|~\/)/.test(src)) return true;
  }
  return false;
}

type Context = Parameters<Parameters<typeof createRule>[0]["create"]>[0];

/**
 * Can no other file reference this function by name? Not exported (declaration, `export { f }`,
 * `export default f`, `module.exports`/`exports.f`), and not a class or object member (unless
 * `private`/`#private`): those are reachable from outside, so only a project-wide rename is safe.
 */
function renameStaysInFile(context: Context, fn: FnInfo): boolean {
  if (fn.exported) return false;
  const owner = fn.nameNode.parent;
  if (owner?.type === "MethodDefinition" || owner?.type === "PropertyDefinition" || owner?.type === "TSAbstractMethodDefinition") {
    return owner.key.type === "PrivateIdentifier" || owner.accessibility === "private";
  }
  if (owner?.type === "Property" || owner?.type === "MemberExpression") return false;
  const scopeManager = context.sourceCode.scopeManager;
  if (fn.nameNode.type !== "Identifier" || !scopeManager) return false;
  for (const v of scopeManager.variables) {
    if (v.name !== fn.name || (!v.identifiers.some((id) => id === fn.nameNode) && !v.references.some((r) => r.identifier === fn.nameNode))) continue;
    return v.references.every((r) => !exportsValue(r.identifier as TSESTree.Node));
  }
  return false;
}

/** Is this reference part of an export (`export { f }`, `export default f`, `module.exports = { f }`, `exports.x = f`)? */
function exportsValue(id: TSESTree.Node): boolean {
  for (let n: TSESTree.Node | undefined = id; n && n.type !== "Program"; n = n.parent) {
    if (n.type === "ExportSpecifier" || n.type === "ExportDefaultDeclaration" || n.type === "TSExportAssignment") return true;
    if (n.type === "AssignmentExpression" && isCommonJsExport(n.left)) return true;
    if (n.type === "BlockStatement" || n.type === "ArrowFunctionExpression" || n.type === "FunctionExpression" || n.type === "FunctionDeclaration") return false;
  }
  return false;
}

function isCommonJsExport(n: TSESTree.Node): boolean {
  let root: TSESTree.Node = n;
  while (root.type === "MemberExpression") {
    if (root.object.type === "Identifier" && root.object.name === "module" && !root.computed && root.property.type === "Identifier" && root.property.name === "exports") return true;
    root = root.object;
  }
  return root.type === "Identifier" && root.name === "exports";
}

const DECL_BEFORE = /(?:\bfunction\*?|\bclass|\bconst|\blet|\bvar)\s+$/;
const NEW_BEFORE = /\bnew\s+$|\.\s*$/;
const DECL_AFTER = /^\s*["'`]?\s*[?!]?\s*(?:<[^>()]*>\s*)?(?:\(|=(?![=>])|:)/;
function declares(text: string, a: number, b: number): boolean {
  const before = text.slice(Math.max(0, a - 16), a);
  if (DECL_BEFORE.test(before)) return true;
  const after = text.slice(b, b + 64);
  // `x.callOllama = function …` / `module.exports.askLocal = …` assign a function to a member.
  if (NEW_BEFORE.test(before)) return /^\s*=(?![=>])/.test(after) && !/\bnew\s+$/.test(before);
  return DECL_AFTER.test(after);
}

function nameTaken(facts: ReturnType<typeof getFileFacts>, name: string): boolean {
  return facts.fnByName.has(name) || facts.values.has(name) || facts.imports.has(name);
}

/** The declaration name and every reference to it in this file (scope-resolved, or this.x for methods). */
function renameInFile(context: Context, fn: FnInfo, _honest: string): TSESTree.Node[] {
  const nodes: TSESTree.Node[] = [fn.nameNode as TSESTree.Node];
  const scopeManager = context.sourceCode.scopeManager;
  if (fn.nameNode.type === "Identifier" && scopeManager) {
    for (const v of scopeManager.variables) {
      if (v.name !== fn.name) continue;
      // Declared by this name, or (`x = async () => …`) assigned to an existing variable.
      if (!v.identifiers.some((id) => id === fn.nameNode) && !v.references.some((r) => r.identifier === fn.nameNode)) continue;
      for (const id of v.identifiers) if (!nodes.includes(id)) nodes.push(id);
      for (const ref of v.references) if (!nodes.includes(ref.identifier)) nodes.push(ref.identifier);
      // exported under its own name: `export { callOllama }`
      return nodes;
    }
  }
  if (fn.classRange) {
    const visit = (n: TSESTree.Node) => {
      if (n.type === "MemberExpression" && n.object.type === "ThisExpression" && !n.computed && n.property.type === "Identifier" && n.property.name === fn.name) nodes.push(n.property);
    };
    walkRange(context.sourceCode.ast, fn.classRange, visit);
  }
  return nodes;
}

function walkRange(root: TSESTree.Node, range: [number, number], visit: (n: TSESTree.Node) => void): void {
  const stack: TSESTree.Node[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.range[1] < range[0] || n.range[0] > range[1]) continue;
    visit(n);
    for (const key of Object.keys(n)) {
      if (key === "parent") continue;
      const c = (n as unknown as Record<string, unknown>)[key];
      if (Array.isArray(c)) for (const x of c) { if (x && typeof x === "object" && "type" in x) stack.push(x as TSESTree.Node); }
      else if (c && typeof c === "object" && "type" in (c as object)) stack.push(c as TSESTree.Node);
    }
  }
}
