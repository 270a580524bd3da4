/**
 * honest-llm-names — a name is a contract (SPEC §2.1).
 * A function whose name (or JSDoc/leading comment/file header) claims a model route must not
 * reach any other route; reported on the name with the reached routes in order.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { createRule } from "./create-rule.js";
import { getFileFacts, getResolver, relativeTo } from "./core/eslint-facts.js";
import type { FnInfo } from "./core/file-facts.js";
import { AMBIGUOUS_CLAIM_WORDS, claimsOfComment, claimsOfName, describeClaim, honestName, statesRoute, type Claim } from "./core/names.js";
import { formatHit, reachOf, type Hit } from "./core/reach.js";
import { satisfiesClaim } from "./core/routes.js";
import { LOCAL_CLAIM_WORDS, PROVIDERS } from "./core/providers.js";

export type Options = [{ checkComments?: boolean; checkFileHeader?: boolean }];
export type MessageIds = "lyingName" | "lyingComment" | "renameTo";

export interface Finding {
  fn: FnInfo;
  claim: Claim;
  hits: Hit[];
  offending: Hit[];
  honest: string;
  /** The claim is the enclosing class's name (`OllamaClient.complete`); `honest` renames the class. */
  viaClass?: boolean;
}

/** The rule's decision, shared with the language server's hover and rename. */
export function findLies(
  fns: FnInfo[],
  reach: (fn: FnInfo) => Hit[],
  header: string | undefined,
  opts: Options[0],
  callees: (fn: FnInfo) => FnInfo[] = () => [],
): Finding[] {
  const headerClaims = opts.checkFileHeader !== false && header ? claimsOfComment(header) : [];
  const out: Finding[] = [];
  const classesReported = new Set<string>();
  for (const fn of fns) {
    if (statesRoute(fn.name)) continue;
    let claims = claimsOfName(fn.name);
    if (!claims.length && opts.checkComments !== false && fn.comment) claims = claimsOfComment(fn.comment);
    if (!claims.length && fn.topLevel && headerClaims.length) claims = headerClaims;
    // A method of `class OllamaClient` makes its class's claim (reported once per class).
    let viaClass = false;
    if (!claims.length && fn.className && !statesRoute(fn.className) && !classesReported.has(fn.className)) {
      claims = claimsOfName(fn.className);
      viaClass = claims.length > 0;
    }
    if (!claims.length) continue;
    const hits = reach(fn);
    if (!hits.length) continue; // reaches no model route: names like getLocalConfigPath are never checked
    const claim = claims[0];
    const offending = hits.filter((h) => !satisfiesClaim(h.route, claim.claim));
    if (!offending.length) continue;
    const routes = hits.filter((h) => !h.route.unresolved).map((h) => h.route);
    if (viaClass) classesReported.add(fn.className!);
    out.push({ fn, claim, hits, offending, honest: viaClass ? honestName(fn.className!, claim, routes) : honestName(fn.name, claim, routes), viaClass });
  }
  // A file-header claim is reported where the lie starts, not again on every caller of it.
  const reported = new Set(out.map((f) => f.fn));
  return out.filter((f) => f.claim.source === "name" || !callees(f.fn).some((c) => c !== f.fn && reported.has(c)));
}

/** `openrouter.ai (src/router.ts:14), api.groq.com (…) before localhost:11434 (…)` */
export function describeReach(f: Finding, relative: (file: string) => string): string {
  const firstOk = f.hits.findIndex((h) => satisfiesClaim(h.route, f.claim.claim) && !h.route.unresolved);
  const bad = f.offending.map((h) => formatHit(h, relative)).join(", ");
  if (firstOk < 0) return `${bad} and never ${f.claim.claim === "local" ? "a local model" : describeClaim(f.claim)}`;
  const before = f.offending.filter((h) => f.hits.indexOf(h) < firstOk);
  const after = f.offending.filter((h) => f.hits.indexOf(h) > firstOk);
  const ok = formatHit(f.hits[firstOk], relative);
  const parts: string[] = [];
  if (before.length) parts.push(`${before.map((h) => formatHit(h, relative)).join(", ")} before ${ok}`);
  if (after.length) parts.push(`${before.length ? "then " : `${ok}, then `}${after.map((h) => formatHit(h, relative)).join(", ")}`);
  return parts.join(", ");
}

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
        },
        additionalProperties: false,
      },
    ],
    messages: {
      lyingName:
        "{{name}}() claims {{claim}} but reaches {{reach}}. Rename it to say the route (e.g. {{honest}}) or remove the other routes.",
      lyingComment:
        "{{name}}() is documented as using {{claim}} (\"{{word}}\") but reaches {{reach}}. Make the code keep that promise, or correct the comment.",
      renameTo: "Rename {{name}} to {{honest}} in this file.",
    },
  },
  defaultOptions: [{ checkComments: true, checkFileHeader: true }],
  create(context, [options]) {
    // Fast path: a file whose text holds no claim word (in a name or a comment) cannot lie.
    if (!mayClaim(context.sourceCode.text)) return {};
    return {
      "Program:exit"() {
        // Second gate before the facts walk: some identifier or comment really makes a claim.
        if (!makesClaim(context.sourceCode.text, context.sourceCode.getAllComments(), options)) return;
        const facts = getFileFacts(context);
        const resolver = getResolver(context);
        const relative = relativeTo(context);
        const callees = (fn: FnInfo) => facts.atoms.flatMap((a) => (a.kind === "ref" && a.start >= fn.range[0] && a.start < fn.range[1] && facts.fnByName.get(a.name)) || []);
        for (const f of findLies(facts.functions, (fn) => reachOf(facts, fn, resolver), facts.header, options, callees)) {
          const data = {
            name: f.viaClass ? `${f.fn.className}.${f.fn.name}` : f.fn.name,
            claim: describeClaim(f.claim),
            word: f.claim.word,
            reach: describeReach(f, relative),
            honest: f.honest,
          };
          const nameNode = f.fn.nameNode as TSESTree.Node;
          context.report({
            node: nameNode,
            messageId: f.claim.source === "name" ? "lyingName" : "lyingComment",
            data,
            // No rename into a name the file already uses (it would change what the code calls).
            suggest: f.claim.source === "name" && !f.viaClass && !nameTaken(facts, f.honest) ? [{ messageId: "renameTo", data, fix: (fixer) =>
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
    for (const c of comments) if (claimsOfComment(c.value).length) return true;
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
      if (claimsOfName(ident).length || claimsOfName(ident.replace(/^[\W_]+/, "")).length) return true;
      if (m[0].length === 0) re.lastIndex++;
    }
  }
  return false;
}

function nameTaken(facts: ReturnType<typeof getFileFacts>, name: string): boolean {
  return facts.fnByName.has(name) || facts.values.has(name) || facts.imports.has(name);
}

/** The declaration name and every reference to it in this file (scope-resolved, or this.x for methods). */
function renameInFile(context: Parameters<Parameters<typeof createRule>[0]["create"]>[0], fn: FnInfo, _honest: string): TSESTree.Node[] {
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
