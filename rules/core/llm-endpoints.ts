/**
 * Where an LLM client or raw HTTP call sends its requests, as a Route from the shared catalogue:
 * the endpoint expression of a client construction (`baseURL`, `host`, `configuration.baseURL`…),
 * its resolution, and the short provider label messages use. Shared by `no-cloud-llm` (policy)
 * and the settings rules (message wording), so both read an endpoint the same way.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import type { LlmClient } from "./llm-calls.js";
import { PROVIDERS_BY_ID, providerForHost, providerForPackage } from "./providers.js";
import { classifyUrl, isLoopbackHost, routeForProvider, type Route } from "./routes.js";
import { getProp, resolveUrlText, resolveValue, unwrapExpr, type ValueEnv } from "./values.js";

type Node = TSESTree.Node;

export const ENDPOINT_KEYS = ["baseURL", "baseUrl", "base_url", "host", "endpoint", "basePath", "serverURL", "serverUrl", "url", "apiBase", "api_base", "apiUrl"];

/**
 * The endpoint expression a client construction was given: a string first argument (not for
 * LangChain), or an endpoint key of its options (also under `configuration`). `spread` when an
 * options object we cannot fully see may carry it.
 */
export function clientEndpointNode(c: LlmClient, env: ValueEnv): { node?: Node; spread?: boolean } {
  let endpoint: Node | undefined;
  let spread = false;
  const scan = (arg: Node | undefined, depth: number) => {
    if (!arg || depth > 2) return;
    const v = resolveValue(arg, env);
    if (v.kind !== "object") return;
    for (const k of ENDPOINT_KEYS) {
      const p = getProp(v, k, env);
      if (p.state === "present") {
        endpoint = p.node;
        return;
      }
    }
    const cfg = getProp(v, "configuration", env);
    if (cfg.state === "present") scan(cfg.node, depth + 1);
    if (!endpoint && !v.complete) {
      endpoint = v.node; // a spread we cannot see may carry the endpoint
      spread = true;
    }
  };
  const first = c.args[0] ? unwrapExpr(c.args[0]) : undefined;
  if (first && (first.type === "Literal" || first.type === "TemplateLiteral") && c.kind !== "langchain-model") endpoint = first;
  else for (const a of c.args) if (!endpoint) scan(a, 0);
  return { node: endpoint, spread };
}

/** The endpoint route of a client construction (`new OpenAI({ baseURL })`, `createOllama({…})`, `new ChatOllama({ baseUrl })`). */
export function clientEndpoint(c: LlmClient, env: ValueEnv): Route {
  const provider = providerForPackage(c.source);
  if (c.kind === "ai-model") return provider ? routeForProvider(provider) : { provider: "unknown", label: c.source, local: false, router: false, unresolved: true };
  const { node: endpoint, spread } = clientEndpointNode(c, env);
  const name = c.imported === "default" || c.imported === "*" ? provider?.display ?? c.source : c.imported;
  if (!endpoint) {
    // AzureOpenAI reads its endpoint from AZURE_OPENAI_ENDPOINT
    if (c.imported === "AzureOpenAI") return { provider: "azure-openai", label: "AzureOpenAI at process.env.AZURE_OPENAI_ENDPOINT", local: false, router: false, unresolved: true };
    if (provider) return routeForProvider(provider);
    return { provider: "unknown", label: `${name} (provider unknown)`, local: false, router: false, unresolved: true };
  }
  if (spread) return { provider: provider?.id ?? "unknown", label: `${name} with an endpoint from a spread`, local: false, router: false, unresolved: true };
  return urlRoute(resolveUrlText(endpoint, env), name, resolveValue(endpoint, env));
}

/** Route of a URL text (unknown parts as \u0000); unresolved when the text does not show a host. */
export function urlRoute(text: string | undefined, name: string, v?: ReturnType<typeof resolveValue>): Route {
  if (text && !text.includes("\u0000") && !text.startsWith("/")) {
    const r = classifyUrl(text);
    if (r) return r;
    const m = /^(?:[a-z]+:\/\/)?(\[[0-9a-f:]+\]|[^/:?#]+)(?::(\d+))?/i.exec(text);
    if (m) {
      const host = m[1].toLowerCase();
      return { provider: isLoopbackHost(host) ? "local" : "remote", label: m[2] ? `${host}:${m[2]}` : host, local: isLoopbackHost(host), router: false, host };
    }
  }
  const envName = v?.kind === "env" ? `process.env.${v.name}` : undefined;
  return { provider: "unknown", label: envName ? `${name} at ${envName}` : text ? `${name} at ${text.replace(/\u0000/g, "${…}")}` : `${name} with a computed endpoint`, local: false, router: false, unresolved: true };
}

/** A short name for a route: the provider's display name on its own API host (`Groq`, `OpenRouter`), else the route label (`localhost:11434`, `api.aimlapi.com`). */
export function routeLabel(route: Route): string {
  const p = PROVIDERS_BY_ID.get(route.provider);
  if (p && route.host && providerForHost(route.host) === p) return p.display;
  return route.label;
}

/**
 * Label of a resolved endpoint text (a URL or `host:port`), or undefined when it names no
 * endpoint (an API key passed as the first argument, a relative path).
 */
export function endpointLabel(text: string): string | undefined {
  const r = classifyUrl(text);
  if (r) return routeLabel(r);
  const m = /^[a-z][a-z\d+.-]*:\/\/([^/?#\s]+)/i.exec(text.trim());
  return m ? m[1].toLowerCase() : undefined;
}

/**
 * An endpoint written as an env var with a literal default (`process.env.X ?? "http://localhost…"`,
 * `env.X || "…"`, also through a const): the env var can point anywhere, so the default proves
 * nothing (misses.md P1). Returns the override's text (`process.env.X`), or undefined.
 */
export function overridableEndpoint(node: Node | undefined, env: ValueEnv, depth = 0): string | undefined {
  if (!node || depth > 4) return undefined;
  const n = unwrapExpr(node);
  if (n.type === "LogicalExpression" && (n.operator === "??" || n.operator === "||")) {
    const left = resolveValue(n.left, env);
    if (left.kind === "env") return `process.env.${left.name}`;
    if (left.kind === "unknown") return "a value known only at run time";
    return undefined;
  }
  if (n.type === "TemplateLiteral") {
    for (const e of n.expressions) {
      const r = overridableEndpoint(e as Node, env, depth + 1);
      if (r) return r;
    }
    return undefined;
  }
  if (n.type === "Identifier") {
    const v = resolveValue(n, env);
    return v.node && v.node !== n ? overridableEndpoint(v.node, env, depth + 1) : undefined;
  }
  return undefined;
}

/** Policy of no-cloud-llm (SPEC §2.8): hosts or globs allowed, and whether unprovable endpoints pass. */
export interface EndpointPolicy {
  allow: readonly string[];
  allowUnresolved?: boolean;
}

export const DEFAULT_ALLOW = ["localhost", "127.0.0.1", "::1", "host.docker.internal"];

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

/**
 * THE decision "is this endpoint allowed" under a local-only policy, over a Route (TS/JS and
 * Python fronts alike): a router is never local; an unresolved endpoint is unprovable unless
 * `allowUnresolved`; anything else must match `allow` (host, or host:port).
 */
export function endpointVerdict(route: Route, policy: EndpointPolicy): "router" | "unprovable" | "cloud" | undefined {
  if (route.router) return "router";
  if (route.unresolved) return policy.allowUnresolved ? undefined : "unprovable";
  const h = route.host?.toLowerCase().replace(/^\[|\]$/g, "");
  if (!h) return "cloud";
  const port = /:(\d+)(?:\s|$|\))/.exec(route.label)?.[1];
  const ok = policy.allow.map(globRe).some((re) => re.test(h) || (port !== undefined && re.test(`${h}:${port}`)));
  return ok ? undefined : "cloud";
}
