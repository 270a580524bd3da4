/**
 * The `no-unbounded-loop` decision (SPEC §2.3), one function for every language: a front (ESTree
 * in `loops.ts`, tree-sitter in `python/loop-facts.ts`) reduces an unbounded loop to `LoopFacts`
 * — what its work, exits, pauses and failure paths are — and `decideLoop` says which parts of the
 * loop's "immune system" are missing. The verdict carries the front's own nodes (`N`) as data;
 * each front words them in its language (`try/catch` or `try/except`, `while (true)` or
 * `while True`). The shared vocabulary (what a model-answer exit, a stop flag, a cap looks like)
 * lives here too, so both fronts classify names the same way.
 */

export type Missing = "noTryCatch" | "retryWithoutBackoff" | "retryConstantDelayCapped" | "hotLoop" | "noExit" | "agentWithoutCap" | "pollWithoutDeadline";

/** What an exit of the loop depends on. */
export type ExitClass = "model" | "cap" | "stop" | "failure" | "data";

/** A delay's growth: constant, growing without a cap, or growing and capped ("ok"). */
export type DelayShape = "constant" | "uncapped" | "ok";

export interface LoopFacts<N> {
  /** An awaited/blocking read paced by a person (`rl.question`, `input()`, a websocket receive, a microphone read). */
  userPaced: boolean;
  /** Reads a stream/iterator and leaves when it is done. */
  streamRead: boolean;
  /** A generator loop: paced and ended by its consumer. */
  generator: boolean;
  /** Units of work, in source order. `guarded`: inside a try with a handler, or caught (`.catch()`, a catching callee). */
  works: Array<{ at: N; guarded: boolean; network: boolean }>;
  /** Ways out of the loop (break, return, throw/raise, process exit). */
  exits: Array<{ at: N; cls: ExitClass; inTry: boolean; conditional: boolean }>;
  /** A deadline or attempt cap bounds the loop; `limit` is what the message quotes. */
  cap?: { limit?: N; deadline: boolean };
  /** The loop checks an abort signal or stop flag (its own condition, `signal.aborted`, `stop.is_set()`). */
  stopCheck: boolean;
  /** The language's own interrupt ends the loop (Python: Ctrl-C raises KeyboardInterrupt unless a handler swallows it). */
  interruptible?: boolean;
  /** Something paces the success path: a sleep, a blocking receive, a read, a long-poll, a callee that sleeps. */
  paced: boolean;
  /** The first sleep on the success path (for polling loops). */
  pause?: { at: N; delay?: N; shape: DelayShape };
  /** Failure paths that run the same work again (already without skip-this-item, progress and leaving paths). */
  retries: Array<{ at: N; delays: Array<{ at: N; delay?: N; shape: DelayShape }> }>;
  /** A retry library / backoff helper handles retries. */
  retryLib: boolean;
  /** The request's input advances every iteration (a paginator, not a poll). */
  pages: boolean;
  /** The loop forbids tool calls on the next turn (`tool_choice = "none"`, tools removed): at most two turns. */
  toolsDisabled: boolean;
}

export interface LoopFinding<N> {
  messageId: Missing;
  /** The node the finding is about (the unprotected work, the constant sleep, the model exit…). */
  at?: N;
  /** For `retryWithoutBackoff`: what the failure path does. */
  retry?: "none" | "constant" | "uncapped";
  delay?: N;
  /** For `retryConstantDelayCapped`: the limit the retries stop at. */
  cap?: N;
}

export interface LoopVerdict<N> {
  kind: "daemon" | "task" | "stream" | "user" | "generator";
  findings: Array<LoopFinding<N>>;
}

export function decideLoop<N>(f: LoopFacts<N>): LoopVerdict<N> {
  if (f.userPaced) return { kind: "user", findings: [] };
  if (f.streamRead) return { kind: "stream", findings: [] };
  const findings: Array<LoopFinding<N>> = [];
  const hasCap = !!f.cap;

  // 5. agent loop: exits only when the model says so, no iteration cap
  const modelExit = f.exits.find((e) => e.cls === "model");
  const agent = !!modelExit;
  if (modelExit && !hasCap && !f.toolsDisabled) findings.push({ messageId: "agentWithoutCap", at: modelExit.at });
  if (f.generator) return { kind: "generator", findings };

  const daemon = !agent && !f.exits.some((e) => e.cls === "data" || e.cls === "model" || e.cls === "cap");

  // 1. no try/catch around the work: any work of a loop that never succeeds out; network or
  // model work of the other long-running loops: agent loops (capped or not), polling and crawl
  // loops without a deadline. A deadline- or attempt-bounded wait, a paginator and a loop that
  // throws on failure itself let errors reach their caller by design; a loop whose next turn
  // forbids tool calls runs at most twice.
  // A task loop that throws on failure itself (`if (!res.ok) throw …`) lets errors escape by design.
  const propagates = f.exits.some((e) => e.cls === "failure" && !e.inTry);
  const longRunning = daemon || agent || (!hasCap && !f.pages && !propagates);
  const bare = f.toolsDisabled || !longRunning ? undefined : f.works.find((w) => !w.guarded && (daemon || w.network));
  if (bare) findings.push({ messageId: "noTryCatch", at: bare.at });
  if (daemon) {
    // 3. hot loop: nothing paces the success path
    if (!f.paced && f.works.length) findings.push({ messageId: "hotLoop", at: f.works[0].at });
    // 4. no exit at all
    if (!f.exits.length && !f.stopCheck && !f.interruptible) findings.push({ messageId: "noExit" });
  }

  // 2. failure path retries with no / a constant / an uncapped delay
  if (!f.retryLib) {
    for (const p of f.retries) {
      if (!p.delays.length) {
        findings.push({ messageId: "retryWithoutBackoff", at: p.at, retry: "none" });
        break;
      }
      const shapes = p.delays.map((d) => d.shape);
      if (shapes.includes("ok")) continue;
      const d = p.delays[0];
      // Capped attempts (or a deadline) at a constant pace: bounded, but no room for the backend to recover.
      if (!shapes.includes("uncapped") && hasCap) findings.push({ messageId: "retryConstantDelayCapped", at: d.at, retry: "constant", delay: d.delay, cap: f.cap?.limit });
      else findings.push({ messageId: "retryWithoutBackoff", at: d.at, retry: shapes.includes("uncapped") ? "uncapped" : "constant", delay: d.delay });
      break;
    }
  }

  // 6. polling: constant sleep, waits for a status, no deadline / attempt cap
  if (!daemon && !agent && !hasCap && !f.stopCheck && !f.retryLib && !f.pages && f.pause?.shape === "constant") {
    const dataExit = f.exits.find((e) => e.cls === "data" && e.conditional && !e.inTry);
    if (dataExit) findings.push({ messageId: "pollWithoutDeadline", at: dataExit.at, delay: f.pause.delay });
  }
  return { kind: daemon ? "daemon" : "task", findings };
}

// ---------------------------------------------------------------------------------------------
// Shared vocabulary (both fronts; names of either case style)

/** Exit conditions that depend on the model's answer (`sawToolCall`, `stop_reason`, `finish_reason`…). */
export const MODEL_EXIT = /tool_?calls?|tool_?use|toolUses|function_?calls?|finish_?reason|stop_?reason|final_?answer|is_?final|requires_action|required_?action|tool_?invocations|tool_?results?|tool_?requests?|tools_?requested|requested_?tools|agent_?finish|return_?values|wants_?tools?|needs_?tools?/i;
/** String literals that only a model's answer carries (`block.type === "tool_use"`, `"end_turn"`). */
export const MODEL_EXIT_LITERAL = /["'`](tool_use|tool_calls|tool-calls|end_turn|function_call|tool_call|requires_action)["'`]/;
/** Identifiers of a stop flag / abort signal. */
export const STOP_WORD = /signal|abort|stop|shutdown|shutting_?down|cancel|closed|closing|dispos|destroy|terminat|exit|quit|kill|alive|running|active|enabled|disconnect|ended|finish(ed)?$|halt|retrying|keep_?going|should_?run|should_?continue/i;
/** Identifiers of a deadline or an attempt/iteration counter. */
export const CAP_WORD = /deadline|timeout|time_?out|elapsed|expire|until|attempt|iteration|iter|step|turn|round|tries|retries|retry|count|loops?$|max|limit|budget|remaining|left$|^i$|^n$|^j$|depth|calls$|polls?$|tick/i;
/** Statuses that mean "not ready yet" (a poll continues on them; they are no failure). */
export const PENDING_WORD = /pending|queued|in_?progress|processing|running|waiting|not_?ready|notready|starting|created|submitted|scheduled|validating|loading/i;
/** Calls whose request waits server-side until something changes (long-polls): they pace a loop. */
export const LONG_POLL = /\b(since|etag|if_?none_?match|if-none-match|wait=|waitTime|wait_time|long_?poll|timeout=)\b|\/(watch|changes|updates|subscribe|next|poll)\b|\bwatch=true/i;

/** An agent object of a framework (an agent, an executor, a chain, a runner): calling it runs the model. */
export const AGENT_OBJECT = /(agent|executor|chain|llm|crew|assistant|runner)s?$/i;
/** What an agent object is called with to run a turn (`invoke`, `stream`, `run`, `run_stream`, `kickoff`). */
export const AGENT_VERB = /^(a?invoke|a?stream|a?run|run_?sync|run_?stream|stream_?async|invoke_?async|kickoff\w*|a?chat|a?generate|a?predict|a?step)$/i;
/** A condition that tests a job's status (`status == "completed"`): a poll's exit, not the model's say. */
export const STATUS_TEST = /\b(status|state)\b|["'`](completed?|succeeded|success|failed|failure|done|finished|cancell?ed|expired|ready)["'`]/i;

/** Objects a person paces: a microphone, an audio recorder, a wake-word or speech listener. */
export const AUDIO_OBJECT = /mic|microphone|audio|stream|recorder|recogni[sz]er|source|pyaudio|sd$|sounddevice|wake_?word|voice|speech/i;
/** Reads of such an object: they block until the person speaks. */
export const AUDIO_READ = /^(read|listen|record|rec|record_?audio|listen_in_background|get_?audio)$/i;

/** Calls that read a resource (a page of a list, a job's state), not a model's turn: their answer is data. */
export const RESOURCE_READ = /^(list\w*|retrieve\w*|get\w*|fetch\w*|poll\w*|status|search\w*|find\w*|query|read\w*|download|upload|delete\w*|update\w*|next_?page|page)$/i;

/** Is a name a stop flag? */
export function isStopName(name: string): boolean {
  return STOP_WORD.test(name);
}

/** Is a name (in a comparison) an iteration cap or deadline? A size of the model's answer is none. */
export function isCapName(name: string): boolean {
  return CAP_WORD.test(name) && !MODEL_EXIT.test(name);
}

/**
 * How an exit is classified from what its conditions name (the front has already decided whether
 * a condition is a cap, whether the names of a response object are excluded as stop flags).
 */
export function classifyExit(e: { capCond: boolean; names: string[]; modelLiteral: boolean; modelAnswer?: boolean; inCatch: boolean; kind: "break" | "return" | "throw" | "exitCall" }): ExitClass {
  if (e.capCond) return "cap";
  // `if "The task is complete" in answer: break` with `answer = call_model(…)`: the model's text decides
  if (e.modelLiteral || e.modelAnswer || MODEL_EXIT.test(e.names.join(" "))) return "model";
  if (e.names.some(isStopName)) return "stop";
  if (e.inCatch || e.kind === "throw" || e.kind === "exitCall") return "failure";
  if (/err|fail|exception/i.test(e.names.join(" "))) return "failure";
  return "data";
}
