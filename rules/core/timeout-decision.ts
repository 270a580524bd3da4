/**
 * The `require-request-timeout` decision (SPEC §2.1), one function for every language: a front
 * (ESTree in `rules/require-request-timeout/`, tree-sitter in `rules/python/timeout-facts.ts`)
 * reduces a request (or a client that makes requests) to what it sets, and `decideTimeout` says
 * whether a timeout is missing and which advice fits. A streamed response (SSE, `stream=True`,
 * a body read chunk by chunk) must not get a total timeout — that cuts a healthy stream — but a
 * connect timeout and an idle timer reset per chunk.
 */

/** What the request sets: nothing, a timeout that disables itself (`None`, `0`, `Infinity`), a real one, or something we cannot see (`**kwargs`, a spread, a parameter). */
export type TimeoutSetting = "absent" | "disabled" | "set" | "unknown";

export interface TimeoutFacts {
  setting: TimeoutSetting;
  /** The response is consumed as a stream. */
  streamed: boolean;
  /** A timeout comes from elsewhere: a session/client/instance default, a global default. */
  inherited?: boolean;
}

export interface TimeoutVerdict {
  missing: "absent" | "disabled";
  /** "total": a timeout for the whole request; "connect-idle": a connect timeout and an idle timer per chunk. */
  advice: "total" | "connect-idle";
}

export function decideTimeout(f: TimeoutFacts): TimeoutVerdict | undefined {
  if (f.setting === "set" || f.setting === "unknown" || f.inherited) return undefined;
  return { missing: f.setting, advice: f.streamed ? "connect-idle" : "total" };
}
