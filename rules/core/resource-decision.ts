/**
 * The `no-unclosed-http-client` decision (SPEC §2.2), one function for every language: "is this
 * client/response released on every path". A front (ESTree + ESLint code paths in
 * `rules/no-unclosed-http-client/`, tree-sitter in `rules/python/resource-facts.ts`) says what
 * was created, where (once at module level, once per call, once per unit of work: a loop
 * iteration, a request, a message) and what happens to it on the paths it can see; the decision
 * says which message applies. The front words it (`with` block or `.close()`, `body?.cancel()`).
 */

export type ResourceKind = "response" | "incoming" | "pool" | "sdkClient";

export interface ResourceFacts {
  kind: ResourceKind;
  /** Where it is created: once (module level), on every call of a function, once per unit of work. */
  scope: "module" | "call" | "unit";
  /**
   * What happens to it: released (read, cancelled, closed, `with`), handed on (returned, stored,
   * passed), left live on some path out, dropped on creation, or something we cannot follow.
   */
  fate: "released" | "handed" | "leaked" | "discarded" | "unknown";
  /** How the value was obtained: a variable, a `.then()` callback, a response callback. */
  via?: "var" | "then" | "callback";
}

export type ResourceMessage = "unconsumedResponse" | "unconsumedThen" | "discardedResponse" | "unconsumedIncoming" | "resourceNotClosed" | "clientPerUnit";

export function decideResource(f: ResourceFacts): ResourceMessage | undefined {
  if (f.fate === "released" || f.fate === "unknown") return undefined;
  switch (f.kind) {
    case "sdkClient":
      // a client kept (stored, returned from a live cache) is reused; one built per unit of work is a pool per unit
      return f.scope === "unit" && f.fate !== "handed" ? "clientPerUnit" : undefined;
    case "response":
      if (f.fate === "discarded") return "discardedResponse";
      if (f.fate !== "leaked") return undefined;
      return f.via === "then" ? "unconsumedThen" : "unconsumedResponse";
    case "incoming":
      return f.fate === "leaked" || f.fate === "discarded" ? "unconsumedIncoming" : undefined;
    case "pool":
      return f.scope !== "module" && (f.fate === "leaked" || f.fate === "discarded") ? "resourceNotClosed" : undefined;
  }
}
