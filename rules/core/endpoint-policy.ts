/**
 * THE no-cloud-llm decision (SPEC §2.8) over a language-neutral `Route`: is this endpoint allowed
 * under the local-only policy? A router is never a local model (even on localhost); an endpoint
 * that cannot be resolved statically is "unprovable" unless `allowUnresolved`; anything else must
 * match an `allow` host or glob (`host` or `host:port`). Used by the Python front; the TS rule's
 * inline `decide()` (rules/no-cloud-llm.ts) makes the same three checks and should call this.
 */
import type { Route } from "./routes.js";

export type EndpointVerdict = "router" | "unprovable" | "cloud" | undefined;

const globMemo = new Map<string, RegExp>();
function globRe(pattern: string): RegExp {
  let re = globMemo.get(pattern);
  if (!re) {
    const p = pattern.toLowerCase().replace(/^\[|\]$/g, "");
    re = new RegExp("^" + p.replace(/[.+?^${}()|\\]/g, "\\$&").replace(/\*/g, ".*") + "$");
    if (globMemo.size < 1000) globMemo.set(pattern, re);
  }
  return re;
}

/** Does the route's host (or host:port) match one of the allow patterns? */
export function endpointAllowed(route: Route, allow: readonly string[]): boolean {
  const h = route.host?.toLowerCase().replace(/^\[|\]$/g, "");
  if (!h) return false;
  const port = /:(\d+)(?:\s|$|\))/.exec(route.label)?.[1];
  return allow.map(globRe).some((re) => re.test(h) || (port !== undefined && re.test(`${h}:${port}`)));
}

/** The message id to report for a route under the policy, or undefined when it is allowed. */
export function endpointVerdict(route: Route, allow: readonly string[], allowUnresolved: boolean): EndpointVerdict {
  if (route.router) return "router";
  if (route.unresolved) return allowUnresolved ? undefined : "unprovable";
  return endpointAllowed(route, allow) ? undefined : "cloud";
}
