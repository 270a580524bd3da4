/**
 * A Route is one model endpoint a piece of code reaches: a classified URL, an SDK client,
 * an API-key env var or an Ollama cloud model tag. Pure functions, no AST.
 */
import {
  LLM_PATHS,
  LOOPBACK_HOSTS,
  PROVIDERS_BY_ID,
  isCloudModelTag,
  providerForEnvVar,
  providerForHost,
  providerForPort,
  type Provider,
} from "./providers.js";

export interface Route {
  /** Provider id from the catalogue, or "local" / "remote" for unknown model servers. */
  provider: string;
  /** What a user reads: `openrouter.ai`, `localhost:11434`, `gpt-oss:120b-cloud`. */
  label: string;
  local: boolean;
  router: boolean;
  /** Host (no port) when known: used by `no-cloud-llm`'s allow list. */
  host?: string;
  /** The endpoint could not be resolved statically (e.g. comes from an env var). */
  unresolved?: boolean;
  /** A provider's client pointed at a host outside the catalogue (a company gateway): keeps provider claims, never a local one. */
  custom?: boolean;
}

/** RFC 2606 / 6761 example and reserved names: placeholders, never a route. */
export function isPlaceholderHost(host: string): boolean {
  const h = host.toLowerCase();
  return /(?:^|\.)(?:example\.(?:com|net|org)|example|test|invalid)$/.test(h) || h === "localhost.example";
}

/**
 * A path on a known provider host that is a model API (or its base): empty, an LLM path, or an
 * API prefix (`/v1`, `/api/v1`, `/openai/v1`, `/v1beta`). Web pages (`/library`, `/docs`) and other
 * services on the same host (`/api/web_search`) are not.
 */
const API_PATH = /^\/(?:(?:api\/)?v\d+(?:beta\d*|alpha\d*)?(?:\/|$)|openai(?:\/|$)|api\/(?:openai|chat|generate|embed|embeddings|tags|ps|show)(?:\/|$|\?)|inference(?:\/|$)|model(?:\/|$)|models\/|chat\/completions|completions(?:$|\?)|messages(?:$|\?)|responses(?:$|\?)|embeddings(?:$|\?))/i;
function isModelApiPath(path: string): boolean {
  return path === "" || path === "/" || API_PATH.test(path) || LLM_PATHS.some((re) => re.test(path));
}

/** Platforms that serve a model family besides its maker (`claude` on Bedrock or Vertex, `gpt` on Azure). */
export function servesFamily(route: Route, word: string): boolean {
  const family = word.replace(/\d.*$/, "");
  const vertex = route.provider === "google" && (route.host ?? "").startsWith("aiplatform.");
  switch (family) {
    case "claude":
    case "opus":
    case "sonnet":
    case "haiku":
      return route.provider === "bedrock" || vertex;
    case "gpt":
    case "chatgpt":
      return route.provider === "azure-openai" || route.provider === "bedrock";
    case "mistral":
    case "llama":
      return route.provider === "bedrock" || vertex || route.provider === "azure-openai" || route.provider === "groq" || route.provider === "together" || route.provider === "fireworks";
    case "gemini":
      return vertex;
    default:
      return false;
  }
}

export function routeForProvider(p: Provider, label?: string, host?: string): Route {
  return {
    provider: p.id,
    label: label ?? p.hosts.find((h) => h.includes(".")) ?? (p.ports ? `localhost:${p.ports[0]}` : p.display),
    local: p.local,
    router: p.router,
    host: host ?? p.hosts.find((h) => h.includes(".")) ?? (p.local ? "localhost" : undefined),
  };
}

export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "");
  return LOOPBACK_HOSTS.has(h) || LOOPBACK_HOSTS.has(`[${h}]`) || /^127\./.test(h);
}

function isPrivateLanHost(host: string): boolean {
  return /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(host) || host.endsWith(".local") || host.endsWith(".lan") || !host.includes(".");
}

const URL_RE = /^(?:(https?|wss?):\/\/)?((?:\[[0-9a-f:]+\])|[a-z0-9.-]+)(?::(\d{1,5}))?(\/[^\s?#]*)?/i;

/**
 * Classify a string (a URL, or `host:port`) as a model route, or undefined if it is not one.
 * `partial` is true for the head of a template literal (`${base}/api/chat` gives only a path).
 */
export function classifyUrl(text: string): Route | undefined {
  const s = text.trim();
  if (s.length < 4 || s.length > 2048) return undefined;
  // Cheap reject (most string literals): a URL needs a scheme, a `host:port` or a `host/path`.
  if (!s.includes(":") && !s.includes("/")) return undefined;
  const hasScheme = /^(https?|wss?):\/\//i.test(s);
  const m = URL_RE.exec(s);
  if (!m) return undefined;
  const host = m[2].toLowerCase();
  const port = m[3] ? Number(m[3]) : undefined;
  const path = m[4] ?? "";
  if (!hasScheme) {
    // Without a scheme only `host:port` on loopback, or a known API host with a path, counts.
    if (!(port && isLoopbackHost(host)) && !(path && host.includes(".") && providerForHost(host))) return undefined;
    if (s.length !== m[0].length) return undefined;
  }
  if (isPlaceholderHost(host)) return undefined;
  const known = providerForHost(host);
  if (known && host.includes(".")) {
    return isModelApiPath(path) ? routeForProvider(known, host, host) : undefined;
  }
  const loopback = isLoopbackHost(host);
  const lan = !loopback && isPrivateLanHost(host);
  if (loopback || lan) {
    const byPort = port ? providerForPort(port) : undefined;
    const label = port ? `${host}:${port}` : host;
    if (byPort) {
      // A LiteLLM proxy on localhost is still a router; Ollama on a LAN box is still Ollama.
      return { provider: byPort.id, label: byPort.router ? `${label} (${byPort.display})` : label, local: byPort.local, router: byPort.router, host };
    }
    if (LLM_PATHS.some((re) => re.test(path))) {
      return { provider: "local", label, local: true, router: false, host };
    }
    return undefined;
  }
  if (LLM_PATHS.some((re) => re.test(path)) && hasScheme) {
    return { provider: "remote", label: host, local: false, router: false, host };
  }
  return undefined;
}

export function classifyEnvVar(name: string): Route | undefined {
  const p = providerForEnvVar(name);
  if (!p) return undefined;
  const r = routeForProvider(p);
  return p.local ? r : { ...r };
}

export function classifyModelTag(text: string): Route | undefined {
  if (!isCloudModelTag(text)) return undefined;
  return { provider: "ollama-cloud", label: `${text} (Ollama cloud)`, local: false, router: false, host: "ollama.com" };
}

export function providerDisplay(route: Route): string {
  if (route.provider === "google" && (route.host ?? "").startsWith("aiplatform.")) return "Vertex";
  const p = PROVIDERS_BY_ID.get(route.provider);
  if (p) return p.display;
  return route.local ? "Local" : "Remote";
}

/** Does `route` satisfy a claim? `claim` is "local" or a provider id. */
export function satisfiesClaim(route: Route, claim: string): boolean {
  if (route.unresolved) return true; // unprovable: never reported as a lie
  if (claim === "local") return route.local && !route.router;
  if (route.custom) return true; // a provider's client at a gateway we cannot see behind
  if (route.provider === claim) return true;
  if (route.router) return false;
  if (claim === "openai" && route.provider === "azure-openai") return true;
  // Ollama's cloud is reached through the local daemon (`…-cloud` model tags on :11434).
  if (claim === "ollama-cloud" && route.provider === "ollama") return true;
  return route.provider === claim;
}

/**
 * The route of a client whose endpoint option resolved (statically) to `resolved`: a classified
 * URL, any other http(s) host as a remote server, an env var from the catalogue, or unresolved.
 * Shared by the TS/JS facts (file-facts.ts) and the Python front (python/facts.ts).
 */
export function routeOfEndpoint(
  resolved: { value?: string; env?: string },
  providerId: string | undefined,
  callee: string,
  envText: (name: string) => string,
): Route {
  if (resolved.value !== undefined) {
    const m = /^https?:\/\/([^/:]+)/i.exec(resolved.value);
    const host = m?.[1].toLowerCase();
    // A placeholder (`https://llm-gateway.example.com`) says nothing about where the client goes.
    if (host && isPlaceholderHost(host)) return { provider: providerId ?? "unknown", label: host, local: false, router: false, unresolved: true };
    const classified = classifyUrl(resolved.value);
    if (classified) return classified;
    // A provider's client at an unknown host (a company gateway in front of it): that provider, at that host.
    if (host && providerId) return { provider: providerId, label: host, local: false, router: false, host, custom: true };
    if (host) return { provider: "remote", label: host, local: false, router: false, host };
  }
  if (resolved.env) {
    const byEnv = classifyEnvVar(resolved.env);
    if (byEnv) return byEnv;
    return { provider: providerId ?? "unknown", label: `${callee} at ${envText(resolved.env)}`, local: false, router: false, unresolved: true };
  }
  return { provider: providerId ?? "unknown", label: `${callee} with a computed endpoint`, local: false, router: false, unresolved: true };
}
