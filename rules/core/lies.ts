/**
 * THE decision "does this name lie" (SPEC §2.1), over facts: functions with their names, comments
 * and owners, and the routes each reaches (`reach`). Used by honest-llm-names (ESLint), the
 * language server's hover and rename, and the Python front. No AST, no ESLint.
 */
import type { FnInfo } from "./file-facts.js";
import { claimsOfComment, claimsOfName, describeClaim, honestName, isModelFamilyWord, statesRoute, type Claim } from "./names.js";
import { formatHit, type Hit } from "./reach.js";
import { satisfiesClaim, servesFamily, type Route } from "./routes.js";

export interface LieOptions {
  checkComments?: boolean;
  checkFileHeader?: boolean;
  /** Also check test files (default true; false in `recommended`): see `isTestOnlyPath`. */
  checkTestFiles?: boolean;
}

const TEST_FILE = /\.(?:test|spec)\.[cm]?[jt]sx?$|^(?:test_.*|.*_test|conftest)\.py$/i;
/**
 * A test file by its name (`*.test.ts`, `*.spec.js`, `test_*.py`, `*_test.py`, `conftest.py`).
 * Test functions and their helpers are named for the scenario (`test_session_with_gemini_key`,
 * `streamThroughOllama` over a mocked model table), not for a route. Only the file name counts,
 * not folders (core/test-files.ts, used by the LLM-parameter rules, also takes test, fixture and
 * example folders): a module under `fixtures/` or `examples/` holds code people run and copy,
 * and the incident itself lives in an example.
 */
export function isTestOnlyPath(filename: string): boolean {
  return TEST_FILE.test(filename.split(/[\\/]+/).pop() ?? "");
}

export interface Finding {
  fn: FnInfo;
  claim: Claim;
  hits: Hit[];
  offending: Hit[];
  /** The honest name (the route actually taken, in order), or "" when none can be derived. */
  honest: string;
  /** The claim is the enclosing class's name (`OllamaClient.complete`); `honest` renames the class. */
  viaClass?: boolean;
}

/** Does `route` keep the promise of `claim`? A model-family word (`claude`) is kept by a platform serving that family. */
export function keepsClaim(route: Route, claim: Claim): boolean {
  if (satisfiesClaim(route, claim.claim)) return true;
  return claim.claim !== "local" && isModelFamilyWord(claim.word) && servesFamily(route, claim.word);
}

/**
 * A route chosen at run time by a setting (one branch of `if provider == "openai" … elif …`, one
 * of a field's assignments in different methods) does not break a claim that another branch of
 * the same choice keeps: `_openai_generate()` uses the OpenAI branch. Routes outside the choice,
 * and fallbacks (catch/except, a status check), still count.
 */
export function dropOtherChoices(hits: Hit[], claim: Claim): Hit[] {
  const keeping = hits.filter((h) => keepsClaim(h.route, claim));
  if (!keeping.length) return hits;
  // Dropped: an offending route in a branch of a choice where the claim is not broken, i.e. no
  // route of that same branch keeps the claim while the claim is kept elsewhere (another branch, outside).
  const inBranch = (h: Hit, g: string, b: number) => !!h.alts?.some(([g2, b2]) => g2 === g && b2 === b);
  return hits.filter((h) => keepsClaim(h.route, claim) || !h.alts?.some(([g, b]) => !keeping.some((k) => inBranch(k, g, b))));
}

/** The lies among `fns`. `callees` lets a file-header claim be reported where the lie starts. */
export function findLies(
  fns: FnInfo[],
  reach: (fn: FnInfo) => Hit[],
  header: string | undefined,
  opts: LieOptions,
  callees: (fn: FnInfo) => FnInfo[] = () => [],
): Finding[] {
  const headerClaims = opts.checkFileHeader !== false && header ? claimsOfComment(header) : [];
  const out: Finding[] = [];
  const classesReported = new Set<string>();
  for (const fn of fns) {
    if (statesRoute(fn.name)) continue;
    // A qualifier in the enclosing class / object states the route (`ViaLiteLLM.gpt4o()`, `VertexGateway.completeWithClaude()`).
    const owner = fn.className ?? fn.ownerName;
    if (owner && statesRoute(owner)) continue;
    let claims = claimsOfName(fn.name);
    if (!claims.length && opts.checkComments !== false && fn.comment) claims = claimsOfComment(fn.comment);
    if (!claims.length && fn.topLevel && headerClaims.length) claims = headerClaims;
    // A method of `class OllamaClient` makes its class's claim (reported once per class).
    let viaClass = false;
    if (!claims.length && fn.className && !classesReported.has(fn.className)) {
      claims = claimsOfName(fn.className);
      viaClass = claims.length > 0;
    }
    if (!claims.length) continue;
    const claim = claims[0];
    const hits = dropOtherChoices(reach(fn), claim);
    if (!hits.length) continue; // reaches no model route: names like getLocalConfigPath are never checked
    const offending = hits.filter((h) => !keepsClaim(h.route, claim));
    if (!offending.length) continue;
    const routes = hits.filter((h) => !h.route.unresolved).map((h) => h.route);
    if (viaClass) classesReported.add(fn.className!);
    // No honest name from a route we cannot name (an unknown remote host): none rather than a wrong one.
    const nameable = offending.every((h) => h.route.provider !== "remote" && h.route.provider !== "unknown" && !h.route.custom);
    const honest = nameable ? honestName(viaClass ? fn.className! : fn.name, claim, routes) : "";
    out.push({ fn, claim, hits, offending, honest, viaClass });
  }
  // A file-header claim is reported where the lie starts, not again on every caller of it.
  const reported = new Set(out.map((f) => f.fn));
  return out.filter((f) => f.claim.source === "name" || !callees(f.fn).some((c) => c !== f.fn && reported.has(c)));
}

/**
 * The offending routes, in order, with where the claimed route sits among them:
 * `openrouter.ai (src/router.ts:14), api.groq.com (…) before localhost:11434 (…)`, or
 * `api.openai.com (…) after localhost:11434 (…)`, or `x (…) and never Ollama`.
 */
export function describeReach(f: Finding, relative: (file: string) => string): string {
  const firstOk = f.hits.findIndex((h) => keepsClaim(h.route, f.claim) && !h.route.unresolved);
  const fmt = (hs: Hit[]) => hs.map((h) => formatHit(h, relative)).join(", ");
  if (firstOk < 0) return `${fmt(f.offending)} and never ${describeClaim(f.claim)}`;
  const before = f.offending.filter((h) => f.hits.indexOf(h) < firstOk);
  const after = f.offending.filter((h) => f.hits.indexOf(h) > firstOk);
  const ok = formatHit(f.hits[firstOk], relative);
  const parts: string[] = [];
  if (before.length) parts.push(`${fmt(before)} before ${ok}`);
  if (after.length) parts.push(before.length ? `then ${fmt(after)}` : `${fmt(after)} after ${ok}`);
  return parts.join(", ");
}

/** The advice part of the message: where a rename is safe in one file, or must be project-wide. */
export function renameAdvice(f: Finding, inFileRenameSafe: boolean): string {
  if (!f.honest) return "State the route in the name or remove the other routes.";
  return inFileRenameSafe
    ? `Rename it to say the route (e.g. ${f.honest}) or remove the other routes.`
    : `Rename it project-wide (e.g. ${f.honest}; your editor's Rename Symbol) or remove the other routes.`;
}
