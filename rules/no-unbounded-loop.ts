/**
 * no-unbounded-loop — long-running loops are infrastructure (SPEC §2.3).
 * `while (true)`, `for (;;)`, `do … while (true)` and loops whose condition never changes, when
 * the body awaits or (transitively) reaches a model: one message per missing part of the
 * "immune system". Also `setInterval` with async work and no overlap guard, and intervals
 * created again on every event/reconnect without `clearInterval`.
 */
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { ASTUtils } from "@typescript-eslint/utils";
import { createRule } from "./create-rule.js";
import { getFileFacts, getResolver, relativeTo } from "./core/eslint-facts.js";
import type { FnInfo } from "./core/file-facts.js";
import { analyzeInterval, analyzeLoop, loopWork, analyzeLoopWithoutAwait, calleeName, isSetInterval, isUnboundedTest, type LoopAnalysis, type LoopEnv, type LoopFinding, type LoopNode, type Missing } from "./core/loops.js";
import { formatHit, reachOf } from "./core/reach.js";

export type Options = [{ checkIntervals?: boolean }];
export type MessageIds = Missing | "intervalOverlap" | "intervalNotCleared" | "rewriteSupervised";

type Context = Readonly<TSESLint.RuleContext<MessageIds, Options>>;

export default createRule<Options, MessageIds>({
  name: "no-unbounded-loop",
  meta: {
    type: "problem",
    docs: {
      description: "Long-running loops that call models or the network need an immune system: try/catch, capped backoff, a pause, an exit, an iteration cap or deadline.",
      recommended: "warn",
    },
    hasSuggestions: true,
    schema: [
      {
        type: "object",
        properties: {
          checkIntervals: { type: "boolean", description: "Also check setInterval callbacks (overlap guard, intervals re-created on every event)." },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      noTryCatch: "{{loop}} runs {{work}}{{leads}} with no {{guard}} around it: one failure (a timeout, a 429) ends the loop.",
      retryWithoutBackoff: "The failure path of {{loop}} retries {{retry}}: a lasting failure becomes a retry storm{{leads}}. Back off exponentially, capped.",
      retryConstantDelayCapped: "{{loop}} retries after a constant delay ({{delay}}), capped at {{cap}}{{leads}}: the attempts run out before an outage clears.",
      hotLoop: "{{loop}} starts {{work}} again as soon as it succeeds, with no pause: a hot loop hammering{{target}}.",
      noExit: "{{loop}} has no exit: no {{exits}} and no stop-flag or abort check{{leads}}, so only a kill ends it.",
      agentWithoutCap: "This agent loop{{leads}} stops only when the model says so ({{exit}}) and has no iteration cap.",
      pollWithoutDeadline: "This polling loop waits for {{exit}} every {{delay}}{{leads}} with no deadline or attempt cap: it can poll forever.",
      intervalOverlap: "setInterval runs async network work ({{work}}) every {{every}} with no overlap guard: slow runs pile up.",
      intervalNotCleared: "setInterval is created in {{where}}, which runs on every event, and the previous interval is never cleared.",
      rewriteSupervised:
        "Rewrite as a supervised loop: try/catch, error counter, exponential backoff capped at {{cap}} and reset on success, a longer sleep when idle, and an AbortSignal that SIGINT/SIGTERM abort.",
    },
    defaultOptions: [{ checkIntervals: true }],
  },
  create(context, [options]) {
    const source = context.sourceCode;
    const text = (n: TSESTree.Node) => source.getText(n);
    let imports: Map<string, string> | undefined;
    const importSource = (name: string): string | undefined => {
      if (!imports) {
        imports = new Map();
        for (const s of source.ast.body) {
          if (s.type === "ImportDeclaration") for (const sp of s.specifiers) imports.set(sp.local.name, String(s.source.value));
          else if (s.type === "VariableDeclaration") {
            for (const d of s.declarations) {
              const init = d.init;
              if (d.id.type === "Identifier" && init?.type === "CallExpression" && init.callee.type === "Identifier" && init.callee.name === "require" && init.arguments[0]?.type === "Literal") {
                imports.set(d.id.name, String(init.arguments[0].value));
              }
            }
          }
        }
      }
      return imports.get(name);
    };
    const env: LoopEnv = {
      text,
      importSource,
      isStable(id) {
        try {
          const v = ASTUtils.findVariable(source.getScope(id), id.name);
          if (!v || !v.defs.length) return false;
          const def = v.defs[0];
          if (def.type === "Variable" && def.parent?.type === "VariableDeclaration" && def.parent.kind === "const") return true;
          if (def.type !== "Variable") return false;
          return v.references.every((r) => !r.isWrite() || r.init === true);
        } catch {
          return false;
        }
      },
      isNetwork(call) {
        return networkShaped(call, importSource, env.functionNamed, 0) || reachOfNode(call).length > 0;
      },
      reachesModel(call) {
        return reachOfNode(call).length > 0;
      },
      functionNamed(name) {
        // Cheap exact pre-check before the file facts (a whole-file visit, most of this rule's
        // time on real code): a function named `name` in this file needs the name in the text at
        // least twice, its definition and the call asking.
        if (!mayDefine(name)) return undefined;
        try {
          const fn = getFileFacts(context).fnByName.get(name);
          const node = fn?.fn as TSESTree.Node | undefined;
          return node && (node.type === "FunctionDeclaration" || node.type === "FunctionExpression" || node.type === "ArrowFunctionExpression") ? node : undefined;
        } catch {
          return undefined;
        }
      },
    };

    // Names that occur at most once as a whole word in the file text (a sound over-count: strings
    // and comments count too). Off when the text has escapes that spell a name differently from
    // its text (`\u0066oo`, `"\x66oo"`, octal, a line continuation), and for names that are no
    // identifier (`x["a-b"]()`).
    const fileText = source.text;
    let escapes: boolean | undefined;
    const twice = new Map<string, boolean>();
    const mayDefine = (name: string): boolean => {
      escapes ??= /\\(u|x|[0-7]|\r|\n|\u2028|\u2029)/.test(fileText);
      if (escapes || !IDENT.test(name)) return true;
      let known = twice.get(name);
      if (known === undefined) {
        known = false;
        for (let i = fileText.indexOf(name), seen = 0; i >= 0; i = fileText.indexOf(name, i + 1)) {
          if (ID_CHAR.test(fileText[i - 1] ?? " ") || ID_CHAR.test(fileText[i + name.length] ?? " ")) continue;
          if (++seen === 2) {
            known = true;
            break;
          }
        }
        twice.set(name, known);
      }
      return known;
    };

    const reachMemo = new Map<TSESTree.Node, ReturnType<typeof reachOf>>();
    // The innermost function of a node, found by walking up its parents (linear in the nesting
    // depth, not in the number of functions: a file with 8,000 loops stays linear — issue 15).
    let byNode: Map<unknown, FnInfo> | undefined;
    const ownerOf = (functions: FnInfo[], node: TSESTree.Node): FnInfo | undefined => {
      if (!byNode) {
        byNode = new Map();
        for (const f of functions) if (!byNode.has(f.fn)) byNode.set(f.fn, f);
      }
      for (let p: TSESTree.Node | undefined = node; p; p = p.parent) {
        loopWork.nodes++;
        const f = byNode.get(p);
        if (f && f.range[0] <= node.range[0] && f.range[1] >= node.range[1]) return f;
      }
      return undefined;
    };
    const reachOfNode = (node: TSESTree.Node) => {
      const cached = reachMemo.get(node);
      if (cached) return cached;
      const hits = reachUncached(node);
      reachMemo.set(node, hits);
      return hits;
    };
    const reachUncached = (node: TSESTree.Node) => {
      try {
        const facts = getFileFacts(context);
        const owner = ownerOf(facts.functions, node);
        const pseudo = { ...(owner ?? {}), name: "<loop>", nameNode: node, fn: node, range: node.range, classRange: owner?.classRange, topLevel: false, exported: false, statement: node } as FnInfo;
        return reachOf(facts, pseudo, getResolver(context));
      } catch {
        return [];
      }
    };
    const leadsTo = (node: TSESTree.Node, prefix: string) => {
      const hits = reachOfNode(node);
      if (!hits.length) return "";
      const rel = relativeTo(context);
      const shown = hits.slice(0, 3).map((h) => formatHit(h, rel)).join(", ");
      return `${prefix}${shown}${hits.length > 3 ? ` and ${hits.length - 3} more` : ""}`;
    };

    const checkLoop = (loop: LoopNode) => {
      let a: LoopAnalysis | undefined;
      try {
        if (!isUnboundedTest(loop, env)) return;
        a = analyzeLoop(loop, env);
        // Without an await, only a loop that calls something network-shaped is worth the reach analysis.
        if (!a && bodyShape(loop) === "network-call" && reachOfNode(loop.body).length) a = analyzeLoopWithoutAwait(loop, env);
      } catch {
        return; // weird shapes never crash the rule
      }
      if (!a || !a.findings.length) return;
      report(context, loop, a, leadsTo, text);
    };

    return {
      WhileStatement: checkLoop,
      DoWhileStatement: checkLoop,
      ForStatement: checkLoop,
      // Selector, so the listener only runs on setInterval calls (cheap on call-heavy files).
      "CallExpression[callee.name='setInterval'], CallExpression[callee.property.name='setInterval']"(node: TSESTree.CallExpression) {
        if (options.checkIntervals === false || !isSetInterval(node)) return;
        let found;
        try {
          found = analyzeInterval(node, env, source.text);
        } catch {
          return;
        }
        for (const f of found) {
          if (f.kind === "intervalOverlap") {
            context.report({ node: node.callee, messageId: "intervalOverlap", data: { work: f.work ? short(text(f.work)) : "async work", every: every(node, text) } });
          } else {
            context.report({ node: node.callee, messageId: "intervalNotCleared", data: { where: f.where ?? "an event handler" } });
          }
        }
      },
    };
  },
});

/** A character that continues an identifier: a name found next to one is part of a longer name. */
const ID_CHAR = /[\p{ID_Continue}$\u200c\u200d]/u;
const IDENT = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u;

const HTTP_LIBS = /^(axios|got|ky|node-fetch|cross-fetch|undici|superagent|needle|request|request-promise|phin|wretch|ofetch|openai|@anthropic-ai\/sdk|ollama|groq-sdk|@mistralai\/mistralai|cohere-ai|@google\/genai|@google\/generative-ai|ai|@ai-sdk\/.*|@langchain\/.*|langchain|ws|node:https?|https?)$/;
const HTTP_ROOT = /^(axios|got|ky|superagent|needle|http|https|undici|fetcher|httpClient|apiClient|api|client|openai|anthropic|ollama|groq|llm|sdk)$/i;

/** A call that is network work by its shape: fetch, an HTTP library or SDK, or a same-file helper that makes one. */
function networkShaped(call: TSESTree.Node, importSource: (name: string) => string | undefined, functionNamed: LoopEnv["functionNamed"], depth: number): boolean {
  if (call.type !== "CallExpression" && call.type !== "NewExpression") return false;
  let c: TSESTree.Node = call.callee;
  while (c.type === "MemberExpression" || c.type === "CallExpression" || c.type === "ChainExpression" || c.type === "TSNonNullExpression") c = c.type === "MemberExpression" ? c.object : c.type === "CallExpression" ? c.callee : c.expression;
  const root = c.type === "Identifier" ? c.name : c.type === "ThisExpression" && call.callee.type === "MemberExpression" && call.callee.object.type === "MemberExpression" && !call.callee.object.computed && call.callee.object.property.type === "Identifier" ? call.callee.object.property.name : undefined;
  const name = calleeName(call) ?? "";
  if (name === "fetch" || (root && HTTP_ROOT.test(root) && call.callee.type === "MemberExpression")) return true;
  const src = root ? importSource(root) : undefined;
  if (src && HTTP_LIBS.test(src)) return true;
  if (depth >= 2 || !functionNamed) return false;
  const fn = functionNamed(name, call);
  if (!fn?.body) return false;
  let found = false;
  const stack: TSESTree.Node[] = [fn.body];
  while (stack.length && !found) {
    const n = stack.pop()!;
    if ((n.type === "CallExpression" || n.type === "NewExpression") && networkShaped(n, importSource, functionNamed, depth + 1)) found = true;
    if (n !== fn.body && (n.type === "FunctionExpression" || n.type === "ArrowFunctionExpression" || n.type === "FunctionDeclaration")) continue;
    for (const key of Object.keys(n)) {
      if (key === "parent") continue;
      const v = (n as unknown as Record<string, unknown>)[key];
      if (Array.isArray(v)) for (const x of v) { if (x && typeof x === "object" && "type" in x) stack.push(x as TSESTree.Node); }
      else if (v && typeof v === "object" && "type" in (v as object)) stack.push(v as TSESTree.Node);
    }
  }
  return found;
}

const NETWORK_CALL = /^(fetch|request|get|post|put|create|generate|chat|complete|completion|invoke|send|call\w*|query|ask\w*|run\w*|then)$/;

/** "await" (analyzed already), "network-call" (a call that might reach a model), or "other". */
function bodyShape(loop: LoopNode): "await" | "network-call" | "other" {
  let found = false;
  let network = false;
  const stack: TSESTree.Node[] = [loop.body];
  while (stack.length && !found) {
    const n = stack.pop()!;
    if (n.type === "AwaitExpression" || n.type === "YieldExpression" || (n.type === "ForOfStatement" && n.await)) found = true;
    if (n.type === "CallExpression" && NETWORK_CALL.test(calleeName(n) ?? "")) network = true;
    if (n.type === "FunctionExpression" || n.type === "ArrowFunctionExpression" || n.type === "FunctionDeclaration") continue;
    for (const key of Object.keys(n)) {
      if (key === "parent") continue;
      const c = (n as unknown as Record<string, unknown>)[key];
      if (Array.isArray(c)) for (const x of c) { if (x && typeof x === "object" && "type" in x) stack.push(x as TSESTree.Node); }
      else if (c && typeof c === "object" && "type" in (c as object)) stack.push(c as TSESTree.Node);
    }
  }
  return found ? "await" : network ? "network-call" : "other";
}

function short(s: string): string {
  const one = s.replace(/\s+/g, " ").replace(/^await /, "");
  return one.length > 60 ? one.slice(0, 57) + "…" : one;
}

function every(call: TSESTree.CallExpression, text: (n: TSESTree.Node) => string): string {
  const ms = call.arguments[1];
  if (!ms) return "tick";
  if (ms.type === "Literal" && typeof ms.value === "number") return `${ms.raw} ms`;
  return text(ms);
}

function loopHead(loop: LoopNode, text: (n: TSESTree.Node) => string): string {
  if (loop.type === "ForStatement") return loop.test ? `for (…; ${text(loop.test)}; …)` : "for (;;)";
  if (loop.type === "DoWhileStatement") return `do … while (${text(loop.test)})`;
  return `while (${text(loop.test)})`;
}

function headLoc(loop: LoopNode): TSESTree.SourceLocation {
  if (loop.type === "DoWhileStatement") return { start: loop.loc.start, end: { line: loop.loc.start.line, column: loop.loc.start.column + 2 } };
  return { start: loop.loc.start, end: loop.body.loc.start.line === loop.loc.start.line ? loop.body.loc.start : { line: loop.loc.start.line, column: loop.loc.start.column + 5 } };
}

function report(
  context: Context,
  loop: LoopNode,
  a: LoopAnalysis,
  leadsTo: (node: TSESTree.Node, prefix: string) => string,
  text: (n: TSESTree.Node) => string,
): void {
  const head = loopHead(loop, text);
  const Loop = `\`${head}\``;
  const work = a.work ? `\`${short(text(a.work))}\`` : "its work";
  let leadsCache: string | undefined;
  const leads = (prefix: string) => (leadsCache ??= leadsTo(loop.body, "\u0000")).replace("\u0000", prefix);
  const loc = headLoc(loop);
  const seen = new Set<Missing>();
  for (const f of a.findings) {
    if (seen.has(f.messageId)) continue; // once per loop
    seen.add(f.messageId);
    const data = dataFor(f, { Loop, work, leads, text });
    const suggest = (f.messageId === "noTryCatch" || f.messageId === "noExit") && a.simple && !seen.has("noTryCatch" === f.messageId ? "noExit" : "noTryCatch") ? supervisedSuggestion(context, loop, a.simple) : [];
    context.report({ loc, messageId: f.messageId, data, suggest });
  }
}

function dataFor(
  f: LoopFinding,
  x: { Loop: string; work: string; leads: (prefix: string) => string; text: (n: TSESTree.Node) => string },
): Record<string, string> {
  const leadsIn = (p: string) => x.leads(p);
  switch (f.messageId) {
    case "noTryCatch":
      return { loop: x.Loop, work: f.at ? `\`${short(x.text(f.at))}\`` : x.work, leads: leadsIn(" (reaching ") && `${leadsIn(" (reaching ")})`, guard: "try/catch" };
    case "retryWithoutBackoff": {
      const retry = f.retry === "none" ? "immediately, with no delay" : f.retry === "uncapped" ? `with a growing delay that has no cap (${f.delay ? `\`${short(x.text(f.delay))}\`` : "?"})` : `after a constant delay (${f.delay ? `\`${short(x.text(f.delay))}\`` : "the same every time"})`;
      const leads = leadsIn(" against ");
      return { loop: x.Loop, retry, leads };
    }
    case "retryConstantDelayCapped":
      return { loop: x.Loop, delay: f.delay ? `\`${short(x.text(f.delay))}\`` : "the same every time", cap: f.cap ? `\`${short(x.text(f.cap))}\`` : "a limit", leads: leadsIn(" against ") };
    case "hotLoop":
      return { loop: x.Loop, work: x.work, target: leadsIn(" ") || " its backend" };
    case "noExit":
      return { loop: x.Loop, leads: leadsIn(" (it holds connections to ") && `${leadsIn(" (it holds connections to ")})`, exits: "break/return/throw" };
    case "agentWithoutCap":
      return { leads: leadsIn(" (calling ") && `${leadsIn(" (calling ")})`, exit: f.at ? exitText(f.at, x.text) : "the model's answer" };
    case "pollWithoutDeadline":
      return { exit: f.at ? exitText(f.at, x.text) : "a status", delay: f.delay ? `\`${short(x.text(f.delay))}\`` : "no delay argument", leads: leadsIn(" ") };
  }
}

/** What an exit statement waits for: its nearest enclosing `if` test or `case`. */
function exitText(n: TSESTree.Node, text: (n: TSESTree.Node) => string): string {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === "IfStatement") return `\`${short(text(p.test))}\``;
    if (p.type === "SwitchCase" && p.parent.type === "SwitchStatement") {
      return p.test ? `\`${short(`${text(p.parent.discriminant)} === ${text(p.test)}`)}\`` : `\`${short(text(p.parent.discriminant))}\``;
    }
    if (p.type === "WhileStatement" || p.type === "ForStatement" || p.type === "DoWhileStatement") break;
  }
  return `\`${short(text(n))}\``;
}

// ---------------------------------------------------------------------------------------------
// Suggestion: the seed's supervised loop

function supervisedSuggestion(
  context: Context,
  loop: LoopNode,
  simple: NonNullable<LoopAnalysis["simple"]>,
): TSESLint.ReportSuggestionArray<MessageIds> {
  const source = context.sourceCode;
  const fileText = source.text;
  const lineStart = fileText.lastIndexOf("\n", loop.range[0] - 1) + 1;
  const indent = /^[ \t]*/.exec(fileText.slice(lineStart))![0];
  const firstStmt = simple.work[0];
  const stmtLineStart = fileText.lastIndexOf("\n", firstStmt.range[0] - 1) + 1;
  const inner = /^[ \t]*/.exec(fileText.slice(stmtLineStart))![0];
  const unit = inner.startsWith(indent) && inner.length > indent.length ? inner.slice(indent.length) : "  ";
  const i1 = indent + unit;
  const i2 = i1 + unit;

  // Fresh names: never shadow something the function already uses.
  let owner: TSESTree.Node = loop;
  for (let p: TSESTree.Node | undefined = loop.parent; p; p = p.parent) {
    owner = p;
    if (p.type === "FunctionDeclaration" || p.type === "FunctionExpression" || p.type === "ArrowFunctionExpression") break;
  }
  const ownerText = source.getText(owner);
  const fresh = (base: string) => {
    let name = base;
    for (let k = 2; new RegExp(`\\b${name}\\b`).test(ownerText); k++) name = `${base}${k}`;
    return name;
  };
  const errors = fresh("errorCount");
  const backoff = fresh("backoffMs");
  const result = fresh("result");
  const err = fresh("error");

  // An AbortSignal in scope (a `signal` parameter) is used; otherwise one is created and wired to SIGINT/SIGTERM.
  let signalExpr: string | undefined;
  try {
    const v = ASTUtils.findVariable(source.getScope(loop), "signal");
    if (v) signalExpr = "signal";
  } catch {
    signalExpr = undefined;
  }
  const stop = signalExpr ? undefined : fresh("stop");
  const aborted = signalExpr ? `${signalExpr}.aborted` : `${stop}.signal.aborted`;

  const delayText = source.getText(simple.delay);
  const delayValue = simple.delay.type === "Literal" && typeof simple.delay.value === "number" ? simple.delay.value : undefined;
  const fmt = (n: number) => String(n).replace(/\B(?=(\d{3})+$)/g, "_");
  const capMs = delayValue !== undefined ? Math.max(900_000, delayValue) : 900_000;
  const capText = fmt(capMs);
  const baseText = delayValue !== undefined ? fmt(Math.min(delayValue, 60_000)) : undefined;
  const pauseText = source.getText(simple.pause.expression);
  const dRel = [simple.delay.range[0] - simple.pause.expression.range[0], simple.delay.range[1] - simple.pause.expression.range[0]];
  const pauseWith = (d: string) => pauseText.slice(0, dRel[0]) + d + pauseText.slice(dRel[1]);
  const atomic = /^[\w.$]+$/.test(delayText) ? delayText : `(${delayText})`;

  // The last work statement's value decides "idle": `const x = await work()` keeps its name.
  const lastWork = simple.work[simple.work.length - 1];
  const isTs = /\.[cm]?tsx?$/.test(context.filename);
  const workLines: string[] = simple.work.slice(0, -1).map((s) => source.getText(s));
  let idleName: string;
  if (lastWork.type === "VariableDeclaration" && lastWork.declarations.length === 1 && lastWork.declarations[0].id.type === "Identifier") {
    workLines.push(source.getText(lastWork));
    idleName = lastWork.declarations[0].id.name;
  } else if (lastWork.type === "ExpressionStatement" && lastWork.expression.type === "AwaitExpression") {
    workLines.push(`const ${result} = ${source.getText(lastWork.expression)};`);
    idleName = result;
  } else {
    workLines.push(source.getText(lastWork));
    idleName = "";
  }
  // Work declared in the try block must stay visible to the idle sleep.
  const hoist = lastWork.type === "VariableDeclaration" || idleName === result;
  let pre = "";
  let tryLines = workLines.map((l) => i2 + l.replace(/\n/g, "\n" + unit));
  if (hoist && idleName) {
    const decl = isTs ? `let ${idleName}: unknown;` : `let ${idleName};`;
    pre = `${decl}\n${indent}`;
    const last = tryLines.length - 1;
    tryLines[last] = tryLines[last].replace(/^(\s*)(const|let|var)\s+([\w$]+)(\s*:\s*[^=]+)?\s*=/, `$1$3 =`);
    if (lastWork.type === "VariableDeclaration") {
      // keep the user's declared type on the hoisted variable
      const t = lastWork.declarations[0].id.typeAnnotation;
      if (t && isTs) pre = `let ${idleName}${source.getText(t)} | undefined;\n${indent}`;
    }
  }
  const idleSleep = idleName ? pauseWith(`${idleName} ? ${delayText} : 2 * ${atomic}`) : pauseWith(delayText);
  const lines = [
    ...(stop ? [`const ${stop} = new AbortController();`, `process.once("SIGINT", () => ${stop}.abort());`, `process.once("SIGTERM", () => ${stop}.abort());`] : []),
    `let ${errors} = 0;`,
    `${pre}while (!${aborted}) {`,
    `${unit}try {`,
    ...tryLines.map((l) => l.slice(indent.length)),
    `${unit}${unit}${errors} = 0;`,
    `${unit}} catch (${err}) {`,
    `${unit}${unit}${errors} += 1;`,
    `${unit}${unit}const ${backoff} = Math.min(${baseText ?? atomic} * 2 ** ${errors}, ${capText});`,
    `${unit}${unit}console.error(\`loop failed (\${${errors}} in a row), retrying in \${${backoff}} ms\`, ${err});`,
    `${unit}${unit}await ${pauseWith(backoff).replace(/^await\s+/, "")};`,
    `${unit}${unit}continue;`,
    `${unit}}`,
    `${unit}await ${idleSleep.replace(/^await\s+/, "")};`,
    `}`,
  ];
  const replacement = lines.join("\n" + indent).replace(/\n[ \t]+\n/g, "\n\n");
  void i1;
  return [
    {
      messageId: "rewriteSupervised",
      data: { cap: capMs % 60_000 === 0 ? `${capMs / 60_000} min` : `${capMs} ms` },
      fix: (fixer) => fixer.replaceText(loop, replacement),
    },
  ];
}

export { calleeName };
