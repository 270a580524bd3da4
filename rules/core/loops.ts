/**
 * Loop "immune system" analysis for `no-unbounded-loop` (SPEC §2.3), independent of ESLint
 * reporting: given a loop node, decide whether it is unbounded, what kind of loop it is
 * (daemon, retry, agent, polling, stream reader, user-paced REPL) and which parts of the
 * immune system it lacks. Also the `setInterval` checks (overlap guard, re-created intervals).
 *
 * Works on typescript-estree ASTs with `parent` links; walks only the loop (never the file),
 * and does not enter nested functions: what runs inside a callback is not this loop's body.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { visitorKeys } from "@typescript-eslint/visitor-keys";
import { AUDIO_OBJECT, AUDIO_READ, classifyExit as classifyExitNames, decideLoop, isCapName, LONG_POLL, MODEL_EXIT, MODEL_EXIT_LITERAL, PENDING_WORD, RESOURCE_READ, STATUS_TEST, STOP_WORD, type DelayShape, type LoopFacts, type LoopFinding as CoreFinding, type Missing } from "./loop-decision.js";

type Node = TSESTree.Node;
export type LoopNode = TSESTree.WhileStatement | TSESTree.DoWhileStatement | TSESTree.ForStatement;

export type { Missing };
export type LoopFinding = CoreFinding<Node>;

export interface LoopAnalysis {
  kind: "daemon" | "task" | "stream" | "user" | "generator";
  findings: LoopFinding[];
  /** First awaited unit of work (for messages), if any. */
  work?: Node;
  /** The simplest shape `while (true) { await work(); await sleep(n); }`, for the suggestion. */
  simple?: { work: TSESTree.Statement[]; pause: TSESTree.ExpressionStatement; delay: Node };
}

export interface LoopEnv {
  text(node: Node): string;
  /** Is this identifier's value fixed (a `const`, or a `let` never written after its declaration)? */
  isStable(id: TSESTree.Identifier): boolean;
  /** Import source of a local name (`pRetry` → `p-retry`), if imported. */
  importSource(name: string): string | undefined;
  /** Same-file function a callee name refers to (for "is the work wrapped in try/catch there"). */
  functionNamed?(name: string, from: Node): TSESTree.FunctionLike | undefined;
  /** Does this awaited call do network or model work (fetch, an HTTP library, an SDK, a call reaching a model route)? */
  isNetwork?(call: Node): boolean;
  /** Does this call reach a model route (directly or through same-file/imported functions)? */
  reachesModel?(call: Node): boolean;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

const RETRY_LIBS = /^(p-retry|async-retry|exponential-backoff|cockatiel|promise-retry|retry|ts-retry-promise|@lifeomic\/attempt|retry-axios|axios-retry|backoff|p-queue|bottleneck)$/;
const PROMPT_LIBS = /^(inquirer|prompts|enquirer|@clack\/prompts|@inquirer\/.*|readline-sync|node:readline(\/promises)?|readline(\/promises)?|prompt|prompt-sync|@topcli\/prompts)$/;
const PROMPT_FNS = new Set(["prompt", "input", "confirm", "select", "text", "password", "multiselect", "autocomplete", "editor", "expand", "checkbox", "rawlist", "number", "search", "question", "groupMultiselect"]);
/** Callee names that wait (sleep) rather than work. */
const PAUSE_NAME = /^(sleep\w*|delay|delayMs|delayFor\w*|wait\w*|pause|nap|setTimeout|setTimeoutPromise|timeout|backoff\w*|exponentialBackoff|throttle|idle|cooldown|tick|rest)$/i;
/** Awaited receives that block until there is something to do (queue consumers, event waits). */
const BLOCKING_NAME = /^(getUpdates|longPoll|pollUpdates|receiveMessages?|receiveMessageBatch|waitForMessages?|take|receive|recv|dequeue|pop|shift|acquire|accept|once|waitUntil|waitOne|consume|pull|claim|blpop|brpop|xread|xreadgroup|subscribe|nextEvent|nextMessage|getNextMessage|nextJob|getNextJob|waitForEvent|waitForMessage|waitForJob|select)$/;
/** Read calls whose result says "done" (streams, iterators). */
const READ_NAME = /^(read|next|readLine|readline|readChunk|readUntil|readNext|readMessage|readFrame|readBytes|recv|receive)$/;
const USER_NAME = /^(question|readLine|readline|askUser|askQuestion|getUserInput|getInput|promptUser|readUserInput|waitForUserInput|waitForInput|userInput|askHuman|getHumanInput|ask)$/;
/** Reads that take the next item of a source (a fresh input every iteration). */
const FRESH_ITEM = /^(read\w*|next\w*|shift|pop|take|dequeue|receive\w*|recv|poll|pull|claim|lease|consume|get(Next|Item|Line|Job|Task|Message)\w*)$/i;
const ERROR_WORD = /err|fail|exception|retry|\bok\b|\.ok$|status|429|50\d|rate.?limit/i;

// ---------------------------------------------------------------------------------------------
// Small AST helpers

function isFunctionNode(n: Node): n is TSESTree.FunctionLike {
  return n.type === "FunctionDeclaration" || n.type === "FunctionExpression" || n.type === "ArrowFunctionExpression";
}

const SKIP_KEYS = new Set(["typeAnnotation", "typeParameters", "typeArguments", "returnType", "decorators"]);

/**
 * Work done by the loop analysis, in visited nodes (issue 15: a test checks it grows linearly with
 * the number of loops in a file, which a timing assertion could not do reliably).
 */
export const loopWork = { nodes: 0 };

/** Pre-order walk of `root`'s subtree, not entering functions or classes (other than `root`). */
function walk(root: Node, visit: (n: Node, parent: Node | undefined) => boolean | void): void {
  const go = (n: Node, parent: Node | undefined): void => {
    loopWork.nodes++;
    if (visit(n, parent) === false) return;
    if (n !== root && (isFunctionNode(n) || n.type === "ClassBody")) return;
    const keys = visitorKeys[n.type] ?? [];
    for (const key of keys) {
      if (SKIP_KEYS.has(key)) continue;
      const c = (n as unknown as Record<string, unknown>)[key];
      if (Array.isArray(c)) {
        for (const x of c) if (x && typeof x === "object" && "type" in x) go(x as Node, n);
      } else if (c && typeof c === "object" && "type" in (c as object)) go(c as Node, n);
    }
  };
  go(root, undefined);
}

function unwrapExpr(n: Node): Node {
  let x = n;
  while (x.type === "TSAsExpression" || x.type === "TSNonNullExpression" || x.type === "TSSatisfiesExpression" || x.type === "ChainExpression" || x.type === "TSTypeAssertion") x = x.expression;
  return x;
}

/** `a.b.c(…)` → "c"; `f(…)` → "f". */
export function calleeName(call: Node): string | undefined {
  if (call.type !== "CallExpression" && call.type !== "NewExpression") return undefined;
  const c = unwrapExpr(call.callee);
  if (c.type === "Identifier") return c.name;
  if (c.type === "MemberExpression" && !c.computed && c.property.type === "Identifier") return c.property.name;
  if (c.type === "MemberExpression" && c.property.type === "Literal" && typeof c.property.value === "string") return c.property.value;
  return undefined;
}

/** `a.b.c(…)` → "a"; `f(…)` → "f". */
function calleeRoot(call: TSESTree.CallExpression | TSESTree.NewExpression): string | undefined {
  let c = unwrapExpr(call.callee);
  while (c.type === "MemberExpression" || c.type === "CallExpression") c = unwrapExpr(c.type === "MemberExpression" ? c.object : c.callee);
  return c.type === "Identifier" ? c.name : c.type === "ThisExpression" ? "this" : undefined;
}

/** Names (identifiers, `a.b` member paths) used in an expression, string literals ignored. */
function namesIn(n: Node, env: LoopEnv): string[] {
  const out: string[] = [];
  walk(n, (x) => {
    if (x.type === "Identifier") out.push(x.name);
    else if (x.type === "MemberExpression" && !x.computed && x.property.type === "Identifier") out.push(x.property.name);
    else if (x.type === "PrivateIdentifier") out.push(x.name);
  });
  void env;
  return out;
}

function isTruthyLiteral(n: Node): boolean {
  const x = unwrapExpr(n);
  if (x.type === "Literal") return !!x.value;
  if (x.type === "UnaryExpression" && x.operator === "!" ) {
    const a = unwrapExpr(x.argument);
    return a.type === "Literal" && !a.value;
  }
  return false;
}

/** The loop's own test never changes: `true`, `1`, `;;`, `!0`, or a const / never-written flag. */
export function isUnboundedTest(loop: LoopNode, env: LoopEnv): boolean {
  const test = loop.test;
  if (!test) return true;
  if (isTruthyLiteral(test)) return true;
  let x = unwrapExpr(test);
  if (x.type === "UnaryExpression" && x.operator === "!") x = unwrapExpr(x.argument);
  if (x.type === "Identifier" && x.name !== "undefined") return env.isStable(x);
  return false;
}

// ---------------------------------------------------------------------------------------------
// What an awaited expression is

type AwaitKind = "pause" | "blocking" | "read" | "user" | "work";

interface AwaitInfo {
  node: Node;
  kind: AwaitKind;
  call?: TSESTree.CallExpression | TSESTree.NewExpression;
  delay?: Node;
  inTry: boolean;
  inCatch: boolean;
  /** `.catch()` chained, `Promise.allSettled`, or a same-file callee that catches. */
  guarded: boolean;
  conds: Node[];
  /** A request the server holds until something changes (a long-poll): it paces the loop. */
  longPoll?: boolean;
}

function pauseDelay(call: TSESTree.CallExpression | TSESTree.NewExpression): Node | undefined {
  if (call.type === "NewExpression") {
    // new Promise((r) => setTimeout(r, n))
    let found: Node | undefined;
    for (const a of call.arguments) {
      walk(a, (x) => {
        if (found) return false;
        if (x.type === "CallExpression" && calleeName(x) === "setTimeout" && x.arguments[1]) found = x.arguments[1];
        return undefined;
      });
    }
    return found;
  }
  const name = calleeName(call);
  if (name === "wait" && call.callee.type === "MemberExpression" && call.arguments[0]) return call.arguments[0]; // scheduler.wait(n)
  return call.arguments[0] && call.arguments[0].type !== "ObjectExpression" && !isFunctionNode(call.arguments[0]) ? (call.arguments[0] as Node) : undefined;
}

/** Same-file callee that sleeps or blocks itself (`await this.tick()` where tick sleeps). */
function calleePauses(a: AwaitInfo, env: LoopEnv): boolean {
  const name = a.call ? calleeName(a.call) : undefined;
  const fn = name && env.functionNamed ? env.functionNamed(name, a.node) : undefined;
  if (!fn?.body) return false;
  let found = false;
  walk(fn.body, (x) => {
    if (found) return false;
    if (x !== fn.body && isFunctionNode(x)) return false;
    if (x.type === "AwaitExpression") {
      const k = classifyAwaited(x.argument, env).kind;
      if (k === "pause" || k === "blocking") found = true;
    }
    return undefined;
  });
  return found;
}

/** A same-file callee that awaits a person's input itself (`async function confirm(q) { return await rl.question(q) }`). */
function calleePrompts(call: TSESTree.CallExpression | TSESTree.NewExpression, env: LoopEnv): boolean {
  const name = calleeName(call);
  const fn = name && env.functionNamed ? env.functionNamed(name, call) : undefined;
  if (!fn?.body) return false;
  let found = false;
  walk(fn.body, (x) => {
    if (found) return false;
    if (x !== fn.body && isFunctionNode(x)) return false;
    if (x.type === "AwaitExpression" && classifyAwaited(x.argument, env).kind === "user") found = true;
    return undefined;
  });
  return found;
}

/** File-system and other local I/O: no network behind it. */
function isLocalIo(call: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
  const root = calleeRoot(call) ?? "";
  const name = calleeName(call) ?? "";
  return /^(fs|fsp|fse|fsPromises|promises|path|os|crypto|zlib)$/.test(root) || /^(readFile|writeFile|appendFile|mkdir|stat|lstat|unlink|rm|rmdir|readdir|rename|copyFile|access|realpath)$/.test(name);
}

function isTimeLike(n: Node): boolean {
  const x = unwrapExpr(n);
  if (x.type === "Literal") return typeof x.value === "number";
  if (x.type === "BinaryExpression" || x.type === "ConditionalExpression") return true;
  if (x.type === "LogicalExpression") return isTimeLike(x.left) || isTimeLike(x.right);
  if (x.type === "CallExpression") return /^(min|max|pow|floor|round|ceil|random)$|backoff|delay|jitter|interval/i.test(calleeName(x) ?? "");
  const t = x.type === "Identifier" ? x.name : x.type === "MemberExpression" && !x.computed && x.property.type === "Identifier" ? x.property.name : "";
  return /ms$|Ms$|MS$|delay|interval|timeout|sec|backoff|duration|wait|sleep|time|period|poll/i.test(t);
}

function isPromiseWait(call: TSESTree.NewExpression): boolean {
  return call.callee.type === "Identifier" && call.callee.name === "Promise";
}

function classifyAwaited(arg: Node, env: LoopEnv): { kind: AwaitKind; call?: TSESTree.CallExpression | TSESTree.NewExpression; delay?: Node; guarded: boolean } {
  let x = unwrapExpr(arg);
  let guarded = false;
  // work().catch(…), work().then(ok, fail)
  while (x.type === "CallExpression" && x.callee.type === "MemberExpression" && !x.callee.computed && x.callee.property.type === "Identifier" && ["catch", "then", "finally"].includes(x.callee.property.name)) {
    if (x.callee.property.name === "catch" || (x.callee.property.name === "then" && x.arguments.length > 1)) guarded = true;
    x = unwrapExpr(x.callee.object);
  }
  if (x.type === "NewExpression") {
    if (isPromiseWait(x)) return { kind: "pause", call: x, delay: pauseDelay(x), guarded };
    return { kind: "work", call: x, guarded };
  }
  if (x.type !== "CallExpression") return { kind: "work", guarded };
  const name = calleeName(x) ?? "";
  const root = calleeRoot(x);
  if (name === "allSettled") guarded = true;
  if (root && env.importSource(root) && PROMPT_LIBS.test(env.importSource(root)!) && (PROMPT_FNS.has(name) || root === name)) return { kind: "user", call: x, guarded };
  if (root && /^(inquirer|prompts|enquirer|clack|rl|readline|readlineInterface|terminal|term|cli)$/i.test(root) && PROMPT_FNS.has(name)) return { kind: "user", call: x, guarded };
  if (USER_NAME.test(name)) {
    // `ask` alone is a user prompt only on a readline/prompt object or an imported prompt helper.
    if (name !== "ask" || (root && /^(rl|readline|cli|prompt|prompter|inquirer|terminal|term|user|human|io)$/i.test(root))) return { kind: "user", call: x, guarded };
  }
  // `await mic.record()`, `await config.wakeWord.record()`: a person speaking paces the loop
  if (AUDIO_READ.test(name) && x.callee.type === "MemberExpression" && AUDIO_OBJECT.test(memberText(x.callee.object, env)?.split(".").pop() ?? "") && !/stream$/i.test(memberText(x.callee.object, env) ?? "")) return { kind: "user", call: x, guarded };
  if (PAUSE_NAME.test(name) && !(root && root !== name && /^(page|browser|driver|locator|element|frame|client|api)$/i.test(root) && /^waitFor/.test(name))) {
    let delay = pauseDelay(x);
    // `waitForRetryDelay(signal, ms)`: the delay is whichever argument looks like a time
    if (delay && !isTimeLike(delay)) delay = (x.arguments as Node[]).find((a) => isTimeLike(a)) ?? delay;
    // `waitForUpdate(taskId)` waits for an event, not for a clock: it paces the loop but is no sleep.
    if (/^(wait\w*|tick|idle)$/i.test(name) && !(delay && isTimeLike(delay))) return { kind: "blocking", call: x, guarded };
    return { kind: "pause", call: x, delay, guarded };
  }
  if (READ_NAME.test(name) && x.callee.type === "MemberExpression") return { kind: "read", call: x, guarded };
  if (BLOCKING_NAME.test(name) && x.callee.type === "MemberExpression") return { kind: "blocking", call: x, guarded };
  if (name === "race" || name === "any") {
    // Promise.race([work, sleep]) is work with a timeout, not a pause.
    return { kind: "work", call: x, guarded };
  }
  return { kind: "work", call: x, guarded };
}

// ---------------------------------------------------------------------------------------------
// One walk over the loop

interface Exit {
  node: Node;
  kind: "break" | "return" | "throw" | "exitCall";
  conds: Node[];
  inCatch: boolean;
  inTry: boolean;
}

interface Facts {
  awaits: AwaitInfo[];
  exits: Exit[];
  yields: boolean;
  stopCheck: boolean;
  tries: TSESTree.TryStatement[];
  /** `if (!res.ok) { …; continue }` failure paths. */
  failIfs: TSESTree.IfStatement[];
  updated: Set<string>;
  retryLib: boolean;
  /** `if (x) continue` with x a read result: a stream/iterator loop even without `done`. */
  readNames: Set<string>;
  capCheck: boolean;
  conds: Node[];
  /** Variables the loop declares or assigns from an awaited result (`const change = await post(…)`). */
  awaitedVars: Set<string>;
  /** The awaited call each such variable was assigned from (checked for a model route only when an exit reads it). */
  awaitedCalls: Map<string, Node>;
  /** Variables declared per iteration from a read of a source (`const line = buffer.readLine()`), outside any try. */
  freshVars: Set<string>;
  /** Variables passed as `tool_choice`/`toolChoice`, and variables assigned `"none"`. */
  toolChoiceVars: Set<string>;
  noneAssigned: Set<string>;
}

function memberText(n: Node, env: LoopEnv): string | undefined {
  const x = unwrapExpr(n);
  if (x.type === "Identifier") return x.name;
  if (x.type === "MemberExpression" && !x.computed) return env.text(x);
  return undefined;
}

function collect(loop: LoopNode, env: LoopEnv): Facts {
  const f: Facts = { awaits: [], exits: [], yields: false, stopCheck: false, tries: [], failIfs: [], updated: new Set(), retryLib: false, readNames: new Set(), capCheck: false, conds: [], awaitedVars: new Set(), awaitedCalls: new Map(), freshVars: new Set(), toolChoiceVars: new Set(), noneAssigned: new Set() };
  const nestedLabels = new Set<string>();

  // Context stacks, maintained by an explicit recursive walk.
  const conds: Node[] = [];
  let breakDepth = 0; // nested loops/switches: an unlabeled break there does not leave this loop
  let loopDepth = 0; // nested loops: their try/catch and `continue` retry or skip their own items
  let tryDepth = 0; // inside a try block that has a handler
  let catchDepth = 0;

  const visitChildren = (n: Node) => {
    const keys = visitorKeys[n.type] ?? [];
    for (const key of keys) {
      if (SKIP_KEYS.has(key)) continue;
      const c = (n as unknown as Record<string, unknown>)[key];
      if (Array.isArray(c)) {
        for (const x of c) if (x && typeof x === "object" && "type" in x) go(x as Node);
      } else if (c && typeof c === "object" && "type" in (c as object)) go(c as Node);
    }
  };

  const pushExit = (node: Node, kind: Exit["kind"]) => f.exits.push({ node, kind, conds: conds.slice(), inCatch: catchDepth > 0, inTry: tryDepth > 0 });

  const go = (n: Node): void => {
    loopWork.nodes++;
    if (isFunctionNode(n) || n.type === "ClassBody" || n.type === "ClassDeclaration" || n.type === "ClassExpression") {
      // A callback may still check a stop signal (`signal.addEventListener('abort', …)`): not walked.
      return;
    }
    switch (n.type) {
      case "WhileStatement":
      case "DoWhileStatement":
      case "ForStatement":
      case "ForInStatement":
      case "ForOfStatement":
      case "SwitchStatement":
        if (n.type === "ForOfStatement" && n.await) {
          f.awaits.push({ node: n, kind: "work", inTry: tryDepth > 0, inCatch: catchDepth > 0, guarded: false, conds: conds.slice() });
        }
        breakDepth++;
        const isLoop = n.type !== "SwitchStatement";
        if (isLoop) loopDepth++;
        if (n.type === "WhileStatement" || n.type === "DoWhileStatement" || n.type === "ForStatement") {
          if (n.test) {
            f.conds.push(n.test);
            conds.push(n.test);
            visitChildren(n);
            conds.pop();
          } else visitChildren(n);
        } else if (n.type === "SwitchStatement") {
          // `switch (run.status) { case "completed": return run; }` exits on the discriminant
          go(n.discriminant);
          conds.push(n.discriminant);
          for (const c of n.cases) go(c);
          conds.pop();
        } else visitChildren(n);
        breakDepth--;
        if (isLoop) loopDepth--;
        return;
      case "LabeledStatement":
        nestedLabels.add(n.label.name);
        visitChildren(n);
        return;
      case "IfStatement": {
        f.conds.push(n.test);
        go(n.test);
        conds.push(n.test);
        go(n.consequent);
        if (n.alternate) go(n.alternate);
        conds.pop();
        // `if (job.status === "pending") continue` polls; it is no failure path.
        const t = env.text(n.test);
        if (loopDepth === 0 && ERROR_WORD.test(t) && !PENDING_WORD.test(t) && continuesLoop(n.consequent)) f.failIfs.push(n);
        return;
      }
      case "ConditionalExpression":
      case "LogicalExpression": {
        const test = n.type === "ConditionalExpression" ? n.test : n.left;
        go(test);
        conds.push(test);
        if (n.type === "ConditionalExpression") {
          go(n.consequent);
          go(n.alternate);
        } else go(n.right);
        conds.pop();
        return;
      }
      case "TryStatement": {
        if (n.handler) {
          if (loopDepth === 0) f.tries.push(n);
          tryDepth++;
          go(n.block);
          tryDepth--;
          catchDepth++;
          go(n.handler);
          catchDepth--;
        } else go(n.block);
        if (n.finalizer) go(n.finalizer);
        return;
      }
      case "BreakStatement":
        if (n.label ? !nestedLabels.has(n.label.name) : breakDepth === 0) pushExit(n, "break");
        return;
      case "ReturnStatement":
        pushExit(n, "return");
        visitChildren(n);
        return;
      case "ThrowStatement":
        if (tryDepth === 0) pushExit(n, "throw");
        visitChildren(n);
        return;
      case "YieldExpression":
        f.yields = true;
        break;
      case "AwaitExpression": {
        const c = classifyAwaited(n.argument, env);
        // `await confirm(question)` where the same-file `confirm` awaits `rl.question(…)`: a person paces it
        if (c.kind === "work" && c.call && calleePrompts(c.call, env)) c.kind = "user";
        let guarded = c.guarded;
        if (!guarded && c.kind === "work" && c.call && env.functionNamed) {
          const name = calleeName(c.call);
          const fn = name ? env.functionNamed(name, n) : undefined;
          if (fn && fn.body?.type === "BlockStatement" && fn.body.body.some((s) => s.type === "TryStatement" && s.handler)) guarded = true;
        }
        const longPoll = c.kind === "work" && !!c.call && c.call.arguments.some((a) => LONG_POLL.test(env.text(a as Node)));
        f.awaits.push({ node: n, kind: c.kind, call: c.call, delay: c.delay, inTry: tryDepth > 0, inCatch: catchDepth > 0, guarded, conds: conds.slice(), longPoll });
        {
          const holder = n.parent?.type === "TSAsExpression" || n.parent?.type === "TSNonNullExpression" ? n.parent.parent : n.parent;
          const note = (x: Node) => {
            if (x.type !== "Identifier") return;
            f.awaitedVars.add(x.name);
            if (c.kind === "work" && c.call && !RESOURCE_READ.test(calleeName(c.call) ?? "")) f.awaitedCalls.set(x.name, c.call);
          };
          if (holder?.type === "VariableDeclarator") walk(holder.id, (x) => void note(x));
          else if (holder?.type === "AssignmentExpression") walk(holder.left, (x) => void note(x));
        }
        // const { done, value } = await reader.read()  /  const chunk = await it.next()
        if (c.kind === "read") {
          const decl = n.parent;
          if (decl?.type === "VariableDeclarator") {
            if (decl.id.type === "Identifier") f.readNames.add(decl.id.name);
            else walk(decl.id, (x) => void (x.type === "Identifier" && f.readNames.add(x.name)));
          } else if (decl?.type === "AssignmentExpression") {
            walk(decl.left, (x) => void (x.type === "Identifier" && f.readNames.add(x.name)));
          }
        }
        break;
      }
      case "CallExpression": {
        const name = calleeName(n);
        const root = calleeRoot(n);
        if (name === "exit" && root === "process") pushExit(n, "exitCall");
        else if (tryDepth === 0 && name && env.functionNamed) {
          // `checkForTimeout();` — a same-file helper that throws on a deadline / attempt cap
          const fn = env.functionNamed(name, n);
          const cap = fn ? helperCapExit(fn, f, env, 0, new Set()) : undefined;
          if (cap) f.exits.push({ node: n, kind: "throw", conds: [...conds, cap], inCatch: catchDepth > 0, inTry: false });
        }
        if (name === "throwIfAborted") f.stopCheck = true;
        const src = root ? env.importSource(root) : undefined;
        if ((src && RETRY_LIBS.test(src)) || (name && /backoff|^p?retry$|^withRetr|^retryWith|^retryAsync$|^retrying$/i.test(name))) f.retryLib = true;
        break;
      }
      case "VariableDeclarator": {
        // `const line = buffer.readLine()` before the try: a fresh item every iteration
        const init = n.init ? unwrapExpr(n.init.type === "AwaitExpression" ? n.init.argument : n.init) : undefined;
        if (loopDepth === 0 && tryDepth === 0 && catchDepth === 0 && n.id.type === "Identifier" && init?.type === "CallExpression" && init.callee.type === "MemberExpression" && FRESH_ITEM.test(calleeName(init) ?? "")) f.freshVars.add(n.id.name);
        break;
      }
      case "Property": {
        if (!n.computed && n.key.type === "Identifier" && /^(tool_choice|toolChoice)$/.test(n.key.name) && n.value.type === "Identifier") f.toolChoiceVars.add(n.value.name);
        break;
      }
      case "UpdateExpression": {
        const t = memberText(n.argument, env);
        if (t) f.updated.add(t);
        break;
      }
      case "AssignmentExpression": {
        if (n.operator !== "=") {
          const t = memberText(n.left, env);
          if (t) f.updated.add(t);
        } else if (n.right.type === "Literal" && n.right.value === "none" && n.left.type === "Identifier") f.noneAssigned.add(n.left.name);
        break;
      }
      case "Identifier":
      case "PrivateIdentifier":
        // a signal in scope (`{ signal }`, `signal.aborted`), not the `signal:` option key or the `AbortSignal` class
        if (/^(signal|abortSignal|cancelSignal|cancellationToken|abortController|controller)$/i.test(n.name) && n.name !== "AbortSignal" && n.name !== "AbortController" && !(n.parent?.type === "Property" && n.parent.key === n && !n.parent.shorthand)) f.stopCheck = true;
        break;
      case "MemberExpression":
        if (!n.computed && n.property.type === "Identifier" && /^(aborted|isCancellationRequested|signal)$/.test(n.property.name)) f.stopCheck = true;
        break;
    }
    visitChildren(n);
  };

  go(loop.body);
  if (loop.type === "ForStatement" && loop.update) go(loop.update);
  return f;
}

/** Does this statement (block) end by continuing the loop? */
function continuesLoop(s: Node): boolean {
  if (s.type === "ContinueStatement") return !s.label;
  if (s.type === "BlockStatement") {
    const last = s.body[s.body.length - 1];
    return !!last && continuesLoop(last);
  }
  return false;
}

/**
 * Does this block leave the loop on every path (throw/return/break/exit, also through
 * `if … else …`, `switch` with a default, `try … finally`)? A `continue` on the way (`if (n < max)
 * { …; continue } throw err`) retries before it exits. Written by hand rather than with ESLint's
 * code-path analysis because the Python front needs the same answer from a tree-sitter tree.
 */
function exitsUnconditionally(block: TSESTree.BlockStatement): boolean {
  return leaves(block);
}

function leaves(s: Node): boolean {
  switch (s.type) {
    case "ThrowStatement":
    case "ReturnStatement":
      return true;
    case "BreakStatement":
      return !s.label;
    case "ExpressionStatement":
      return s.expression.type === "CallExpression" && calleeName(s.expression) === "exit";
    case "BlockStatement":
      for (const x of s.body) {
        if (leaves(x)) return true;
        if (containsContinue(x)) return false;
      }
      return false;
    case "IfStatement":
      return !!s.alternate && leaves(s.consequent) && leaves(s.alternate);
    case "TryStatement":
      return (s.finalizer ? leaves(s.finalizer) : false) || (leaves(s.block) && (!s.handler || leaves(s.handler.body)));
    case "SwitchStatement": {
      // a `break` in a switch leaves the switch, not the loop
      if (!s.cases.some((c) => !c.test)) return false;
      return s.cases.every((c, i) => {
        const body = s.cases.slice(i).flatMap((k) => k.consequent);
        for (const x of body) {
          if (x.type === "BreakStatement" && !x.label) return false;
          if (leaves(x) && !containsBreak(x)) return true;
          if (containsContinue(x)) return false;
        }
        return false;
      });
    }
    default:
      return false;
  }
}

function containsBreak(root: Node): boolean {
  let found = false;
  walk(root, (x) => {
    if (found) return false;
    if (x.type === "WhileStatement" || x.type === "DoWhileStatement" || x.type === "ForStatement" || x.type === "ForInStatement" || x.type === "ForOfStatement" || x.type === "SwitchStatement") return false;
    if (x.type === "BreakStatement" && !x.label) found = true;
    return undefined;
  });
  return found;
}

function containsContinue(root: Node): boolean {
  let found = false;
  walk(root, (x) => {
    if (found) return false;
    if (x.type === "WhileStatement" || x.type === "DoWhileStatement" || x.type === "ForStatement" || x.type === "ForInStatement" || x.type === "ForOfStatement") return false;
    if (x.type === "ContinueStatement") found = true;
    return undefined;
  });
  return found;
}

function within(n: Node, outer: Node): boolean {
  return n.range[0] >= outer.range[0] && n.range[1] <= outer.range[1];
}

// ---------------------------------------------------------------------------------------------
// Delay growth

/** Every expression a delay can take its value from, within the enclosing function. */
function delaySources(delay: Node, loop: LoopNode, env: LoopEnv): Node[] {
  let scopeRoot: Node = loop;
  for (let p: Node | undefined = loop.parent; p; p = p.parent) {
    scopeRoot = p;
    if (isFunctionNode(p)) break;
  }
  const out: Node[] = [delay];
  const seen = new Set<string>();
  let frontier = [delay];
  for (let round = 0; round < 3 && frontier.length; round++) {
    const names = new Set<string>();
    for (const e of frontier) {
      walk(e, (x) => {
        if (x.type === "Identifier" && !seen.has(x.name)) names.add(x.name);
        if (x.type === "MemberExpression" && !x.computed && x.object.type === "ThisExpression") {
          const t = env.text(x);
          if (!seen.has(t)) names.add(t);
        }
      });
    }
    if (!names.size) break;
    for (const nm of names) seen.add(nm);
    const next: Node[] = [];
    walk(scopeRoot, (x) => {
      if (x.type === "VariableDeclarator" && x.id.type === "Identifier" && names.has(x.id.name) && x.init) next.push(x.init);
      else if (x.type === "AssignmentExpression") {
        const t = memberText(x.left, env);
        if (t && names.has(t)) next.push(x);
      } else if (x.type === "PropertyDefinition" && x.value && !x.computed && x.key.type === "Identifier" && names.has(`this.${x.key.name}`)) next.push(x.value);
      return undefined;
    });
    out.push(...next);
    frontier = next;
  }
  return out;
}

/** A factor that cannot change between attempts: number literals, UPPER_CASE constants, and products of them. */
function constFactor(n: Node): boolean {
  const x = unwrapExpr(n);
  if (x.type === "Literal") return typeof x.value === "number";
  if (x.type === "UnaryExpression" && x.operator === "-") return constFactor(x.argument);
  if (x.type === "Identifier") return /^[A-Z][A-Z0-9_]*$/.test(x.name);
  if (x.type === "BinaryExpression" && ["*", "/", "+", "-"].includes(x.operator)) return constFactor(x.left as Node) && constFactor(x.right);
  return false;
}

function delayShape(delay: Node | undefined, loop: LoopNode, env: LoopEnv, capped: boolean): "constant" | "uncapped" | "ok" {
  if (!delay) return "constant";
  let grows = false;
  let hasCap = capped;
  for (const e of delaySources(delay, loop, env)) {
    walk(e, (x) => {
      // `10 * 1000` is a unit conversion: growth needs a factor that changes between attempts
      if (x.type === "BinaryExpression" && (x.operator === "*" || x.operator === "**" || x.operator === "<<") && !(constFactor(x.left as Node) && constFactor(x.right))) grows = true;
      if (x.type === "AssignmentExpression" && (x.operator === "*=" || x.operator === "**=" || x.operator === "<<=")) grows = true;
      if (x.type === "CallExpression") {
        const nm = calleeName(x) ?? "";
        if (nm === "pow" || /backoff|exponential|jitter/i.test(nm)) grows = true;
        if (/backoff|exponential/i.test(nm)) hasCap = true;
        if (nm === "min" || nm === "clamp") hasCap = true;
      }
      if (x.type === "ConditionalExpression") hasCap = true;
      if (x.type === "Identifier" && /backoff/i.test(x.name)) grows = hasCap = true; // a backoff policy counts as one
      return undefined;
    });
  }
  if (!grows) return "constant";
  if (!hasCap) {
    // `if (delay > MAX) delay = MAX` somewhere in the loop
    const dn = memberText(delay, env);
    if (dn) {
      walk(loop.body, (x) => {
        if (x.type === "IfStatement" && namesIn(x.test, env).some((n) => dn.endsWith(n)) && /[<>]/.test(env.text(x.test))) hasCap = true;
        return undefined;
      });
    }
  }
  return hasCap ? "ok" : "uncapped";
}

// ---------------------------------------------------------------------------------------------
// Exit classification

function isCapCond(cond: Node, f: Facts, env: LoopEnv, depth = 0): boolean {
  let cap = false;
  walk(cond, (x) => {
    if (cap) return false;
    // `if (isOverdue()) throw …`: a same-file helper that returns a deadline / attempt-cap comparison
    if (x.type === "CallExpression" && depth < HELPER_DEPTH && env.functionNamed) {
      const name = calleeName(x);
      const fn = name ? env.functionNamed(name, x) : undefined;
      if (fn?.body && fn.body.type !== "BlockStatement") cap = isCapCond(fn.body, f, env, depth + 1);
      else if (fn?.body) {
        walk(fn.body, (r) => {
          if (cap) return false;
          if (r !== fn.body && isFunctionNode(r)) return false;
          if (r.type === "ReturnStatement" && r.argument && isCapCond(r.argument, f, env, depth + 1)) cap = true;
          return undefined;
        });
      }
      if (cap) return false;
    }
    if (x.type === "BinaryExpression" && ["<", "<=", ">", ">=", "===", "!==", "==", "!="].includes(x.operator)) {
      for (const side of [x.left, x.right]) {
        const s = unwrapExpr(side as Node);
        const t = memberText(s, env);
        if (t && f.updated.has(t) && !MODEL_EXIT.test(t)) cap = true;
        if (s.type === "UpdateExpression") cap = true;
        if (s.type === "CallExpression" && (/^now$/.test(calleeName(s) ?? "") || /Date\.now|performance\.now/.test(env.text(s)))) cap = true;
        if (s.type === "NewExpression" && env.text(s.callee) === "Date") cap = true;
        if (["<", "<=", ">", ">="].includes(x.operator) && namesIn(s, env).some((n) => isCapName(n)) && !namesIn(s, env).some((n) => MODEL_EXIT.test(n))) cap = true;
      }
    }
    if (x.type === "CallExpression" && /Date\.now|performance\.now|hrtime/.test(env.text(x.callee))) cap = true;
    // a deadline flag of the loop's own (`deadlineHit`, `timedOut`), not a field of an answer (`session.keysExpired`)
    if (x.type === "Identifier" && /deadline|expired|timedOut|timed_out|outOfTime/i.test(x.name) && !(x.parent?.type === "MemberExpression" && x.parent.property === x)) cap = true;
    return undefined;
  });
  return cap;
}

/** How many levels of same-file calls are followed to find a deadline / attempt cap. */
const HELPER_DEPTH = 3;

/**
 * A same-file helper the loop calls that throws (or exits) on a deadline or attempt-cap comparison
 * (`function checkForTimeout() { if (Date.now() - start >= timeout) throw … }`), following a few
 * levels of same-file calls: returns the comparison, which bounds the loop like an inline check.
 */
function helperCapExit(fn: TSESTree.FunctionLike, f: Facts, env: LoopEnv, depth: number, seen: Set<Node>): Node | undefined {
  if (!fn.body || fn.body.type !== "BlockStatement" || seen.has(fn)) return undefined;
  seen.add(fn);
  const body = fn.body;
  let found: Node | undefined;
  walk(body, (x) => {
    if (found) return false;
    if (x !== body && isFunctionNode(x)) return false;
    if (x.type === "TryStatement" && x.handler) {
      // a throw in the try block is caught in the helper; only the handler and finalizer can leave it
      walk(x.handler.body, (y) => void (!found && y.type === "ThrowStatement" && (found = capAbove(y, body, f, env))));
      return false;
    }
    const exits = x.type === "ThrowStatement" || (x.type === "CallExpression" && calleeName(x) === "exit" && calleeRoot(x) === "process");
    if (exits) found = capAbove(x, body, f, env);
    else if (x.type === "CallExpression" && depth + 1 < HELPER_DEPTH && env.functionNamed) {
      const name = calleeName(x);
      const next = name ? env.functionNamed(name, x) : undefined;
      if (next) found = helperCapExit(next, f, env, depth + 1, seen);
    }
    return undefined;
  });
  return found;
}

/**
 * The deadline / cap comparison of an `if` between `n` and `root`, if any. A throw inside a loop
 * of the helper bounds that inner loop (a retry helper giving up), not the caller's loop; and a
 * comparison of only the helper's own variables (`const start = Date.now()` … `Date.now() - start
 * > TIMEOUT`) is a per-call timeout, not a deadline of the loop.
 */
function capAbove(n: Node, root: Node, f: Facts, env: LoopEnv): Node | undefined {
  let fn: Node | undefined;
  for (let p: Node | undefined = root.parent; p; p = p.parent) if (isFunctionNode(p)) { fn = p; break; }
  for (let p = n.parent; p && p !== root; p = p.parent) {
    if (p.type === "WhileStatement" || p.type === "DoWhileStatement" || p.type === "ForStatement" || p.type === "ForInStatement" || p.type === "ForOfStatement" || isFunctionNode(p)) return undefined;
  }
  for (let p = n.parent; p && p !== root; p = p.parent) {
    if ((p.type === "IfStatement" || p.type === "ConditionalExpression") && !within(n, p.test) && isCapCond(p.test, f, env, HELPER_DEPTH) && readsOuterState(p.test, fn, env)) return p.test;
  }
  return undefined;
}

/** Does a comparison read a variable the helper does not declare itself (a closure or module variable)? */
function readsOuterState(test: Node, fn: Node | undefined, env: LoopEnv): boolean {
  const local = new Set<string>();
  if (fn && isFunctionNode(fn)) {
    for (const p of fn.params) walk(p, (x) => void (x.type === "Identifier" && local.add(x.name)));
    if (fn.body) walk(fn.body, (x) => void (x.type === "VariableDeclarator" && walk(x.id, (y) => void (y.type === "Identifier" && local.add(y.name)))));
  }
  let outer = false;
  walk(test, (x) => {
    if (outer) return false;
    if (x.type === "MemberExpression" && !x.computed && x.object.type === "ThisExpression") outer = true; // this.deadline
    if (x.type === "MemberExpression" && !x.computed) {
      walk(x.object, (y) => void (y.type === "Identifier" && !local.has(y.name) && !/^(Date|performance|Math|process|Number)$/.test(y.name) && (outer = true)));
      return false;
    }
    if (x.type === "Identifier" && !local.has(x.name) && !/^[A-Z][A-Z0-9_]*$/.test(x.name)) outer = true;
    return undefined;
  });
  void env;
  return outer;
}

/** The limit side of a cap comparison (`retryCount >= retryMaxAttempts` → `retryMaxAttempts`), or the comparison. */
function capLimit(cond: Node, f: Facts, env: LoopEnv): Node {
  let limit: Node | undefined;
  walk(cond, (x) => {
    if (limit) return false;
    if (x.type === "BinaryExpression" && ["<", "<=", ">", ">="].includes(x.operator)) {
      const counter = (n: Node) => {
        const u = unwrapExpr(n);
        const t = memberText(u, env);
        return u.type === "UpdateExpression" || (t !== undefined && f.updated.has(t)) || /Date\.now|performance\.now|hrtime/.test(env.text(u));
      };
      const [l, r] = [x.left as Node, x.right as Node];
      if (counter(l) && !counter(r)) limit = r;
      else if (counter(r) && !counter(l)) limit = l;
      // a countdown (`left <= 0`) is capped at the counter's start (`let left = attempts`), not at 0
      const other = limit === r ? l : r;
      const lit = limit && unwrapExpr(limit);
      if (lit?.type === "Literal" && lit.value === 0 && unwrapExpr(other).type === "Identifier") limit = initialValue(unwrapExpr(other) as TSESTree.Identifier, cond) ?? limit;
    }
    return undefined;
  });
  return limit ?? cond;
}

/** The initialiser of a `let` (within the enclosing function): `let left = attempts` → `attempts`. */
function initialValue(id: TSESTree.Identifier, from: Node): Node | undefined {
  let root: Node = from;
  for (let p: Node | undefined = from.parent; p; p = p.parent) {
    root = p;
    if (isFunctionNode(p)) break;
  }
  let init: Node | undefined;
  walk(root, (x) => {
    if (init) return false;
    if (x.type === "VariableDeclarator" && x.id.type === "Identifier" && x.id.name === id.name && x.init) init = x.init;
    return undefined;
  });
  return init;
}

type ExitClass = "model" | "cap" | "stop" | "failure" | "data";

function classifyExit(e: Exit, f: Facts, env: LoopEnv): ExitClass {
  const capCond = e.conds.some((c) => isCapCond(c, f, env));
  // A field of an answer the loop awaited (`change.closed`, `job.finished`) is data, not a stop flag.
  const names: string[] = [];
  for (const c of e.conds) {
    walk(c, (x) => {
      if (x.type === "MemberExpression" && !x.computed && x.property.type === "Identifier") {
        let root: Node = x.object;
        while (root.type === "MemberExpression" || root.type === "ChainExpression" || root.type === "TSNonNullExpression") root = root.type === "MemberExpression" ? root.object : root.expression;
        names.push(root.type === "Identifier" && f.awaitedVars.has(root.name) && STOP_WORD.test(x.property.name) ? "value" : x.property.name);
        walk(x.object, (y) => void (y.type === "Identifier" && names.push(y.name)));
        return false;
      }
      if (x.type === "Identifier" || x.type === "PrivateIdentifier") names.push(x.name);
      return undefined;
    });
  }
  const modelLiteral = e.conds.some((c) => MODEL_EXIT_LITERAL.test(env.text(c)));
  // `if (answer.includes("TASK COMPLETE")) break` with `answer = await callModel(…)`: the model's text decides
  const modelAnswer = !capCond && !!env.reachesModel && e.conds.some((c) => !STATUS_TEST.test(env.text(c)) && namesIn(c, env).some((n) => f.awaitedCalls.has(n) && env.reachesModel!(f.awaitedCalls.get(n)!)));
  return classifyExitNames({ capCond, names, modelLiteral, modelAnswer, inCatch: e.inCatch, kind: e.kind });
}

// ---------------------------------------------------------------------------------------------
// The decision

export function analyzeLoop(loop: LoopNode, env: LoopEnv): LoopAnalysis | undefined {
  if (!isUnboundedTest(loop, env)) return undefined;
  const f = collect(loop, env);
  if (!f.awaits.length) return undefined; // no awaited work: out of scope (reach is checked by the caller)
  return decide(loop, f, env);
}

/** For loops with no await that still reach a model route (sync SDK wrappers…): the rule decides. */
export function analyzeLoopWithoutAwait(loop: LoopNode, env: LoopEnv): LoopAnalysis | undefined {
  if (!isUnboundedTest(loop, env)) return undefined;
  return decide(loop, collect(loop, env), env);
}

/** The TS front of the loop decision: this loop's facts, decided by `decideLoop` (core/loop-decision.ts). */
function decide(loop: LoopNode, f: Facts, env: LoopEnv): LoopAnalysis {
  const facts = loopFacts(loop, f, env);
  const verdict = decideLoop(facts);
  const work = f.awaits.find((a) => a.kind === "work")?.node;
  return { kind: verdict.kind, findings: verdict.findings, work, simple: verdict.findings.length ? simpleShape(loop, f) : undefined };
}

const TIME_CAP = /Date\.now|performance\.now|hrtime|deadline|elapsed|timeout|expire/i;

export function loopFacts(loop: LoopNode, f: Facts, env: LoopEnv): LoopFacts<Node> {
  const works = f.awaits.filter((a) => a.kind === "work");
  const userPaced = f.awaits.some((a) => a.kind === "user");
  const readExit = f.exits.some((e) => e.kind !== "throw" && e.conds.some((c) => namesIn(c, env).some((n) => n === "done" || f.readNames.has(n))));
  const streamRead = f.awaits.some((a) => a.kind === "read") && readExit;
  const base = { userPaced, streamRead, generator: f.yields, stopCheck: f.stopCheck, retryLib: f.retryLib };
  if (userPaced || streamRead) return { ...base, works: [], exits: [], paced: true, retries: [], pages: false, toolsDisabled: false };
  const classes = f.exits.map((e) => classifyExit(e, f, env));
  const capCond = f.exits.flatMap((e, i) => (classes[i] === "cap" ? e.conds : [])).find((c) => isCapCond(c, f, env)) ?? f.conds.find((c) => isCapCond(c, f, env));
  const cap = capCond || classes.includes("cap") ? { limit: capCond ? capLimit(capCond, f, env) : undefined, deadline: !!capCond && TIME_CAP.test(env.text(capCond)) } : undefined;
  const pauses = f.awaits.filter((a) => (a.kind === "pause" || a.kind === "blocking" || a.kind === "read" || a.longPoll) && !a.inCatch);
  const firstPause = f.awaits.find((a) => a.kind === "pause" && !a.inCatch);
  const exits = f.exits.map((e, i) => ({ at: e.node, cls: classes[i], inTry: e.inTry, conditional: e.conds.length > 0 }));
  const pause = firstPause ? { at: firstPause.node, delay: firstPause.delay, shape: delayShape(firstPause.delay, loop, env, false) } : undefined;
  // The (costlier) paginator test runs only when the decision asks for it.
  let pagesMemo: boolean | undefined;
  return {
    ...base,
    works: works.map((w) => {
      const guarded = w.inTry || w.guarded || w.inCatch;
      return { at: w.node, guarded, get network() { return !guarded && !!env.isNetwork?.(w.call ?? w.node); } };
    }),
    exits,
    cap,
    paced: pauses.length > 0 || works.some((w) => calleePauses(w, env)),
    pause,
    retries: retryPaths(loop, f, env, !!cap, !!cap?.deadline),
    get pages() {
      return (pagesMemo ??= works.some((w) => inputsChange(w.node, loop, env)));
    },
    toolsDisabled: [...f.toolChoiceVars].some((v) => f.noneAssigned.has(v)),
  };
}

type RetryPath = LoopFacts<Node>["retries"][number];

/** The failure paths of the loop that run the same work again, with the pauses that pace them. */
function retryPaths(loop: LoopNode, f: Facts, env: LoopEnv, hasCap: boolean, deadline: boolean): RetryPath[] {
  if (f.retryLib) return [];
  const shapeOf = (d: AwaitInfo) => ({ at: d.node, delay: d.delay, shape: delayShape(d.delay, loop, env, hasCap) as DelayShape });
  // A pause that starts the loop body (before any work) paces every attempt, failures included.
  const body = loop.body.type === "BlockStatement" ? loop.body.body : [loop.body];
  const firstWork = f.awaits.find((a) => a.kind === "work");
  const topPauses = f.awaits.filter((a) => a.kind === "pause" && !a.inCatch && !a.inTry && !a.conds.length && firstWork && a.node.range[1] <= firstWork.node.range[0] && body.some((st) => st.type === "ExpressionStatement" && within(a.node, st)));
  const paths: RetryPath[] = [];
  for (const t of f.tries) {
    const handler = t.handler!;
    // A try inside another try's catch falls back into that catch, not into the next iteration.
    if (f.tries.some((o) => o !== t && within(t, o.handler!))) continue;
    // Only a try around awaited work is a retry (not `try { JSON.parse(line) } catch { continue }`).
    if (!f.awaits.some((a) => a.kind === "work" && within(a.node, t.block))) continue;
    if (exitsUnconditionally(handler.body)) continue;
    // `try { await saveMemory() } catch { log } break;` swallows a side error, then leaves: no retry.
    if (!continuesLoop(handler.body) && t.parent?.type === "BlockStatement") {
      const rest = t.parent.body.slice(t.parent.body.indexOf(t) + 1);
      if (exitsUnconditionally({ ...t.parent, body: rest })) continue;
    }
    if (t.finalizer && exitsUnconditionally(t.finalizer)) continue;
    // A deadline-bounded poll whose catch lets only the expected "not ready" error through.
    if (deadline && rethrowsUnexpected(handler)) continue;
    // A fresh item every iteration (`const line = buffer.readLine()` before the try): the catch skips it.
    if (f.freshVars.size && readsAny(t.block, f.freshVars)) continue;
    // Retry only if the success path leaves the loop or the loop goes on (both retry the work).
    const inCatch = f.awaits.filter((a) => a.kind === "pause" && within(a.node, handler.body));
    let delays = inCatch;
    if (!inCatch.length && !continuesLoop(handler.body)) {
      // falls through: the pauses after the try statement pace the retry too
      delays = f.awaits.filter((a) => a.kind === "pause" && a.node.range[0] > t.range[1] && !a.inCatch);
    }
    if (!delays.length) delays = topPauses;
    // The failure path changes what the next iteration does (walks up a directory, falls back to
    // the next model, repairs state): that is progress, not a retry of the same work.
    const after = loop.body.type === "BlockStatement" ? loop.body.body.filter((st) => st.range[0] > t.range[1]) : [];
    if (makesProgress([handler.body, ...(continuesLoop(handler.body) ? [] : after)], loop, env)) continue;
    if (inputsChange(t.block, loop, env)) continue;
    paths.push({ at: handler, delays: delays.map(shapeOf) });
  }
  for (const s of f.failIfs) {
    if (!f.awaits.some((a) => a.kind === "work" && a.node.range[1] <= s.range[0])) continue;
    if (makesProgress([s.consequent], loop, env)) continue;
    const inside = f.awaits.filter((a) => a.kind === "pause" && within(a.node, s.consequent));
    paths.push({ at: s, delays: (inside.length ? inside : topPauses).map(shapeOf) });
  }
  return paths;
}

/** `catch (e) { if (!(e instanceof NotReady)) throw e; }`: only an expected error is swallowed, every other one leaves. */
function rethrowsUnexpected(handler: TSESTree.CatchClause): boolean {
  const param = handler.param?.type === "Identifier" ? handler.param.name : undefined;
  if (!param) return false;
  return handler.body.body.some((st) => {
    if (st.type !== "IfStatement" || !leaves(st.consequent)) return false;
    let mentions = false;
    walk(st.test, (x) => void (x.type === "Identifier" && x.name === param && (mentions = true)));
    // a retryable failure (rate limit, overload, 5xx) filtered in is a retry, not a poll
    return mentions && !/429|5\d\d|rate|overload|unavailable|ECONN|ETIMEDOUT|timeout/i.test(sourceOf(st.test));
  });
}

function sourceOf(n: Node): string {
  // identifiers and literals are enough to tell a status filter from a type filter
  const out: string[] = [];
  walk(n, (x) => void (x.type === "Identifier" ? out.push(x.name) : x.type === "Literal" ? out.push(String(x.value)) : undefined));
  return out.join(" ");
}

function readsAny(block: Node, names: Set<string>): boolean {
  let found = false;
  walk(block, (x) => {
    if (found) return false;
    if (x.type === "Identifier" && names.has(x.name)) found = true;
    return undefined;
  });
  return found;
}

const LOGGER = /log|console|debug|trace|metric|span|telemetry|emit|report|sentry|stats|counter/i;

/** Does the failure path change something the rest of the loop reads? */
function makesProgress(regions: Node[], loop: LoopNode, env: LoopEnv): boolean {
  const changed = new Set<string>();
  // Path by path: a change on a branch that then leaves (`cooling.set(key); throw err`) is no
  // progress of the next attempt.
  const leaving = new Set<Node>();
  for (const r of regions) {
    walk(r, (x) => {
      if (leaving.has(x)) return false;
      if (x.type === "BlockStatement") {
        let k = -1;
        for (let i = x.body.length - 1; i >= 0 && k < 0; i--) if (leaves(x.body[i])) k = i;
        for (let i = 0; i < k; i++) if (!containsContinue(x.body[i])) leaving.add(x.body[i]);
      }
      if (x.type === "AssignmentExpression" || x.type === "UpdateExpression") {
        const target = x.type === "AssignmentExpression" ? x.left : x.argument;
        const t = memberText(target, env);
        if (t) changed.add(t);
        if (target.type === "ObjectPattern" || target.type === "ArrayPattern") walk(target, (y) => void (y.type === "Identifier" && changed.add(y.name)));
      } else if (x.type === "CallExpression" && /^(set|store|update|add|push|append|apply|inject|repair|fix|patch|rotate|switch|next|advance|unshift)/i.test(calleeName(x) ?? "") && !LOGGER.test(calleeName(x) ?? "")) {
        // `this.storeRetryFeedback(oc, message)`: the retry carries feedback, the input changed
        for (const a of x.arguments) {
          const t = memberText(a as Node, env);
          if (t) changed.add(t);
        }
        const obj = x.callee.type === "MemberExpression" ? memberText(x.callee.object, env) : undefined;
        if (obj) changed.add(obj);
      } else if (x.type === "CallExpression" && x.callee.type === "MemberExpression") {
        const obj = memberText(x.callee.object, env);
        const name = calleeName(x) ?? "";
        if (obj && !LOGGER.test(obj) && !LOGGER.test(name) && !/^(get|is|has|to|find|check|read|includes|startsWith|endsWith|test|then|catch|finally|some|every|map|filter|forEach|slice|indexOf|at$|keys|values|entries)/.test(name)) changed.add(obj);
      }
      return undefined;
    });
  }
  dropBookkeeping(changed, loop, env);
  if (!changed.size) return false;
  const inRegion = (n: Node) => regions.some((r) => within(n, r));
  let reads = false;
  walk(loop.body, (x) => {
    if (reads || inRegion(x)) return false;
    if (x.type === "AssignmentExpression" && x.operator === "=") {
      // a plain write is not a read of its target
      walk(x.right, (y) => {
        if (reads) return false;
        const t = y.type === "Identifier" || y.type === "MemberExpression" ? memberText(y, env) : undefined;
        if (t && changed.has(t)) reads = true;
        return undefined;
      });
      return false;
    }
    const t = x.type === "Identifier" || x.type === "MemberExpression" ? memberText(x, env) : undefined;
    if (t && changed.has(t)) reads = true;
    return undefined;
  });
  return reads;
}

/** Attempt counters (compared against a limit) and bookkeeping (spans, metrics, status) are no progress. */
function dropBookkeeping(names: Set<string>, loop: LoopNode, env: LoopEnv): void {
  walk(loop.body, (x) => {
    if (x.type === "BinaryExpression" && ["<", "<=", ">", ">="].includes(x.operator)) {
      for (const side of [x.left, x.right]) {
        const name = memberText(side as Node, env);
        if (name) names.delete(name);
      }
    }
    return undefined;
  });
  for (const w of [...names]) if (/log|console|span|trace|metric|telemetry|stats/i.test(w) || /status|error|attempt|retr/i.test(w.split(".").pop() ?? "")) names.delete(w);
}

/** Is a variable the block (a try block, an awaited request) reads assigned elsewhere in the loop (a walk, not a retry)? */
function inputsChange(block: Node, loop: LoopNode, env: LoopEnv): boolean {
  const written = new Set<string>();
  walk(loop.body, (x) => {
    if (x === block) return false;
    if (x.type === "AssignmentExpression" || x.type === "UpdateExpression") {
      // `job = await api.get(job.id)` refreshes the polled object from this very request: no new input
      if (x.type === "AssignmentExpression" && within(block, x.right)) return undefined;
      const target = x.type === "AssignmentExpression" ? x.left : x.argument;
      const name = memberText(target, env);
      if (name) written.add(name);
    }
    return undefined;
  });
  dropBookkeeping(written, loop, env);
  if (!written.size) return false;
  // `const candidate = \`${slug}-${counter}\`` changes with `counter`
  for (let round = 0; round < 2; round++) {
    walk(loop.body, (x) => {
      if (x === block) return false;
      if (x.type === "VariableDeclarator" && x.id.type === "Identifier" && x.init && !written.has(x.id.name)) {
        let uses = false;
        walk(x.init, (y) => void ((y.type === "Identifier" || y.type === "MemberExpression") && written.has(memberText(y, env) ?? "") && (uses = true)));
        if (uses) written.add(x.id.name);
      }
      return undefined;
    });
  }
  let reads = false;
  walk(block, (x) => {
    if (reads) return false;
    if (x.type === "AssignmentExpression" && x.operator === "=") {
      walk(x.right, (y) => void ((y.type === "Identifier" || y.type === "MemberExpression") && written.has(memberText(y, env) ?? "") && (reads = true)));
      return false;
    }
    if ((x.type === "Identifier" || x.type === "MemberExpression") && written.has(memberText(x, env) ?? "")) reads = true;
    return undefined;
  });
  return reads;
}

/** `while (true) { [const x =] await work(); …; await sleep(n); }` with no control flow. */
function simpleShape(loop: LoopNode, f: Facts): LoopAnalysis["simple"] {
  if (loop.type === "DoWhileStatement" || loop.body.type !== "BlockStatement") return undefined;
  if (f.exits.length || f.tries.length || f.yields) return undefined;
  const body = loop.body.body;
  if (body.length < 2) return undefined;
  const last = body[body.length - 1];
  if (last.type !== "ExpressionStatement" || last.expression.type !== "AwaitExpression") return undefined;
  const pause = f.awaits.find((a) => a.node === last.expression);
  if (!pause || pause.kind !== "pause" || !pause.delay) return undefined;
  const work = body.slice(0, -1);
  for (const s of work) {
    if (s.type !== "ExpressionStatement" && s.type !== "VariableDeclaration") return undefined;
  }
  let hasControl = false;
  for (const s of work) walk(s, (x) => void ((x.type === "ContinueStatement" || x.type === "BreakStatement") && (hasControl = true)));
  if (hasControl) return undefined;
  if (!f.awaits.some((a) => a.kind === "work")) return undefined;
  return { work, pause: last, delay: pause.delay };
}

// ---------------------------------------------------------------------------------------------
// setInterval

export interface IntervalFinding {
  kind: "intervalOverlap" | "intervalNotCleared";
  call: TSESTree.CallExpression;
  /** For intervalNotCleared: the event/handler it is created in. */
  where?: string;
  work?: Node;
}

// `connectSymmetryWs`, `reconnectSocket`: a connect function runs again on every reconnect
const HANDLER_NAME = /^((re)?connect(ed)?([A-Z_]\w*)?|onOpen|onConnect|onConnected|onReconnect|onReconnected|handleOpen|handleConnect|handleReconnect|onopen|onconnect|onMessage|onmessage|handleMessage)$/i;
/** Functions that run once, at the end of the object's life: a clear there does not clear the previous interval on reconnect. */
const TEARDOWN_NAME = /^(dispose|destroy|deactivate|teardown|unmount|componentWillUnmount|shutdown|terminate|finalize)$/i;
/** Awaited calls that release a resource (`client.close()`, `transport.terminateSession()`): no network work that can pile up. */
const RELEASE_NAME = /^(close|disconnect|terminate\w*|dispose|destroy|end|quit|unref|release|abort|cancel|kill|shutdown|unsubscribe|removeAllListeners)$/i;
const GUARD_WORD = /running|busy|inFlight|in_flight|pending|polling|isPolling|active|lock|locked|processing|working|ticking|executing|fetching|syncing|refreshing|loading|updating|inProgress|in_progress|checking|scheduled|promise/i;

export function isSetInterval(call: TSESTree.CallExpression): boolean {
  const c = unwrapExpr(call.callee);
  if (c.type === "Identifier") return c.name === "setInterval";
  return c.type === "MemberExpression" && !c.computed && c.property.type === "Identifier" && c.property.name === "setInterval" && c.object.type === "Identifier" && /^(window|globalThis|global|self|timers)$/.test(c.object.name);
}

export function analyzeInterval(call: TSESTree.CallExpression, env: LoopEnv, fileText: string): IntervalFinding[] {
  const out: IntervalFinding[] = [];
  const cb = call.arguments[0] ? unwrapExpr(call.arguments[0] as Node) : undefined;
  if (!cb) return out;
  const fns: TSESTree.FunctionLike[] = [];
  const resolveFn = (n: Node) => {
    let x = unwrapExpr(n);
    if (x.type === "CallExpression" && calleeName(x) === "bind" && x.callee.type === "MemberExpression") x = unwrapExpr(x.callee.object);
    if (isFunctionNode(x)) return x;
    const name = x.type === "Identifier" ? x.name : x.type === "MemberExpression" && !x.computed && x.property.type === "Identifier" ? x.property.name : undefined;
    return name && env.functionNamed ? env.functionNamed(name, call) : undefined;
  };
  const top = resolveFn(cb);
  if (top) {
    fns.push(top);
    // a sync callback that kicks off an async function: `() => void this.poll()`
    walk(top, (x) => {
      if (x !== top && isFunctionNode(x)) return false;
      if (x.type === "CallExpression" && env.functionNamed) {
        const nm = calleeName(x);
        const target = nm ? env.functionNamed(nm, call) : undefined;
        if (target && target !== top && target.async && !fns.includes(target)) fns.push(target);
      }
      return undefined;
    });
  }
  // 1. async work with no overlap guard
  let work: Node | undefined;
  let guarded = false;
  for (const fn of fns) {
    if (!fn.async || !fn.body) continue;
    walk(fn.body, (x) => {
      if (x !== fn.body && isFunctionNode(x)) return false;
      if (x.type === "AwaitExpression" && !work) {
        const c = classifyAwaited(x.argument, env);
        // SPEC §2.3: async *network* work (not `await this.promise`, not IPC or local state)
        if (c.kind === "work" && c.call && !isLocalIo(c.call) && !RELEASE_NAME.test(calleeName(c.call) ?? "") && (env.isNetwork ? env.isNetwork(c.call) : true)) work = x;
      }
      if (x.type === "IfStatement" && earlyExit(x.consequent)) {
        const names = namesIn(x.test, env);
        if (names.some((n) => GUARD_WORD.test(n))) guarded = true;
        for (const t of names) if (assignedIn(fns, t)) guarded = true;
      }
      if (x.type === "CallExpression" && /^(runExclusive|acquire|tryAcquire|tryLock|lock|withLock|schedule|add)$/.test(calleeName(x) ?? "")) guarded = true;
      return undefined;
    });
  }
  if (work && !guarded) out.push({ kind: "intervalOverlap", call, work });

  // 2. created again on every event / reconnect, never cleared
  const where = handlerContext(call, env);
  if (where) {
    const parent = call.parent;
    let target: string | undefined;
    if (parent?.type === "AssignmentExpression" && parent.right === call) target = memberText(parent.left, env);
    else if (parent?.type === "VariableDeclarator" && parent.init === call && parent.id.type === "Identifier") target = parent.id.name;
    let cleared = false;
    if (target) {
      const t = target.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      // clearInterval(this.timer) anywhere in the file, or `if (!this.timer) this.timer = setInterval(…)`
      cleared = new RegExp(`clearInterval\\(\\s*${t}\\s*[),]`).test(fileText) && clearedOutsideTeardown(call, target, env);
      for (let p: Node | undefined = call.parent; p && !cleared && !isFunctionNode(p); p = p.parent) {
        if (p.type === "IfStatement" && env.text(p.test).includes(target)) cleared = true;
      }
    }
    if (!cleared) out.push({ kind: "intervalNotCleared", call, where });
  }
  return out;
}

/** Is `clearInterval(target)` called somewhere other than a teardown (`dispose()`), e.g. before re-creating it or on close? */
function clearedOutsideTeardown(call: Node, target: string, env: LoopEnv): boolean {
  let root: Node = call;
  for (let p: Node | undefined = root.parent; p; p = p.parent) root = p;
  const nameOf = (p: Node): string | undefined => {
    const parent = p.parent;
    if (p.type === "FunctionDeclaration" && p.id) return p.id.name;
    if (parent?.type === "VariableDeclarator" && parent.id.type === "Identifier") return parent.id.name;
    if ((parent?.type === "MethodDefinition" || parent?.type === "Property" || parent?.type === "PropertyDefinition") && !parent.computed && parent.key.type === "Identifier") return parent.key.name;
    return undefined;
  };
  // every node of the file, functions included (an explicit stack: no recursion on deep files)
  const stack: Node[] = [root];
  while (stack.length) {
    const x = stack.pop()!;
    loopWork.nodes++;
    if (x.type === "CallExpression" && calleeName(x) === "clearInterval" && x.arguments[0] && memberText(x.arguments[0] as Node, env) === target) {
      let name: string | undefined;
      for (let p: Node | undefined = x.parent; p; p = p.parent) if (isFunctionNode(p)) { name = nameOf(p); break; }
      if (!name || !TEARDOWN_NAME.test(name)) return true;
    }
    for (const key of visitorKeys[x.type] ?? []) {
      if (SKIP_KEYS.has(key)) continue;
      const c = (x as unknown as Record<string, unknown>)[key];
      if (Array.isArray(c)) { for (const y of c) if (y && typeof y === "object" && "type" in y) stack.push(y as Node); }
      else if (c && typeof c === "object" && "type" in (c as object)) stack.push(c as Node);
    }
  }
  return false;
}

function earlyExit(s: Node): boolean {
  if (s.type === "ReturnStatement") return true;
  if (s.type === "BlockStatement") return s.body.some((x) => x.type === "ReturnStatement");
  return false;
}

function assignedIn(fns: TSESTree.FunctionLike[], name: string): boolean {
  let found = false;
  for (const fn of fns) {
    if (!fn.body) continue;
    walk(fn.body, (x) => {
      if (found) return false;
      if (x.type === "AssignmentExpression" && x.operator === "=") {
        const l = x.left;
        const t = l.type === "Identifier" ? l.name : l.type === "MemberExpression" && !l.computed && l.property.type === "Identifier" ? l.property.name : undefined;
        if (t === name) found = true;
      }
      return undefined;
    });
  }
  return found;
}

/** Is this call inside an event handler / reconnect function that runs many times? */
function handlerContext(call: Node, env: LoopEnv): string | undefined {
  for (let p: Node | undefined = call.parent; p; p = p.parent) {
    if (!isFunctionNode(p)) continue;
    const parent = p.parent;
    // emitter.on("open", () => setInterval(…)), ws.addEventListener("open", …)
    if (parent?.type === "CallExpression" && parent.arguments.includes(p as TSESTree.CallExpressionArgument)) {
      const nm = calleeName(parent);
      if (nm && /^(on|addListener|addEventListener|prependListener|subscribe)$/.test(nm)) {
        const ev = parent.arguments[0];
        const evText = ev && ev.type === "Literal" ? `"${String(ev.value)}"` : ev ? env.text(ev as Node) : "";
        return `the ${evText} handler (${nm})`;
      }
      if (nm && /^(once|then|setTimeout|setImmediate|nextTick|queueMicrotask)$/.test(nm)) return undefined;
    }
    // ws.onopen = () => …
    if (parent?.type === "AssignmentExpression" && parent.right === p) {
      const t = memberText(parent.left, env);
      const last = t?.split(".").pop();
      if (last && /^on[a-z]+$/.test(last)) return `the ${last} handler`;
      if (last && HANDLER_NAME.test(last)) return `${last}()`;
    }
    // function reconnect() { … setInterval(…) }
    let name: string | undefined;
    if (p.type === "FunctionDeclaration" && p.id) name = p.id.name;
    else if (parent?.type === "VariableDeclarator" && parent.id.type === "Identifier") name = parent.id.name;
    else if ((parent?.type === "MethodDefinition" || parent?.type === "Property" || parent?.type === "PropertyDefinition") && !parent.computed && parent.key.type === "Identifier") name = parent.key.name;
    if (name && HANDLER_NAME.test(name)) return `${name}()`;
    return undefined; // only the innermost function decides
  }
  return undefined;
}
